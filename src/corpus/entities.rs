//! Corpus-wide entity linking: groups the mentions of every article into
//! entities whatever the spelling (surname → full name, transliterations,
//! exonyms, typos), picks a canonical name and a kind by corpus-wide vote.
//!
//! Linking works on distinct surfaces, not on mentions, so its cost grows with
//! the vocabulary of names rather than with the corpus:
//! 1. surfaces sharing a gazetteer entry (`Kiev`/`Kyiv`, `Bélarus`/`Belarus`)
//!    or an article-defined acronym (`OTSC`) are joined;
//! 2. surfaces with the same folded key (accents, French/English
//!    transliteration, given-name variants: `Loukachenko`/`Lukashenko`,
//!    `Sergueï Shoigu`/`Sergei Shoigu`) are joined;
//! 3. a lone surname joins the one person whose full name ends with it
//!    (`Poutine` → `Vladimir Poutine`); when several people share it, each
//!    mention goes to the one named in its own article;
//! 4. a rare spelling one edit away from a well-attested one (or from a
//!    gazetteer surname) is a typo of it (`Zelesnky` → Zelensky); candidates
//!    come from a deletion index, never from all pairs, and two well-attested
//!    names are never merged (`Sergei`/`Sergio`, `Minsk`/`Pinsk`).
//!
//! The canonical name is the fullest form for people and the most frequent
//! form otherwise, counted in the corpus's dominant language; each mention gets
//! a [`MentionLink`] saying whether its surface is canonical, a variant or a
//! typo, with the preferred spelling of the same shape.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::DocEntry;
use crate::analysis::names::gazetteer::{EntryId, Gazetteer};
use crate::analysis::names::{
    self, fold_word, is_likely_typo, name_key, plain_fold, DeletionIndex, FastMap, FastSet,
};
use crate::analysis::rules::{LinkRelation, MentionLink};
use crate::analysis::saturating_u32 as narrow;
use crate::analysis::{Article, Atom, EntityKind, Language, Span, VoteTotals};

/// Index of an entity in [`EntityTable::entities`].
pub type EntityId = usize;

/// One entity of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub id: EntityId,
    /// The canonical name: the fullest, most frequent form.
    pub name: String,
    pub kind: EntityKind,
    /// Every spelling seen, with its number of mentions (most frequent first).
    pub aliases: Vec<(String, usize)>,
    pub mentions: usize,
    pub documents: usize,
    /// Roles found in apposition, with counts (most frequent first).
    pub roles: Vec<(String, usize)>,
    /// The gazetteer id when the entity is a known referent (`kyiv`, `vladimir-putin`).
    pub gazetteer: Option<String>,
}

/// Where a mention is: its document, the version of that document
/// ([`DocEntry::generation`]) and its index in that version's mentions (its
/// span is read from the document: [`MentionRef::span_in`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRef {
    pub path: Arc<Path>,
    pub index: usize,
    pub generation: u64,
}

impl MentionRef {
    /// The mention's span in `doc`, when `doc` is the version the index is
    /// into; `None` for any other version (an edit landed after the entity
    /// view was taken: its indices may point at other mentions now).
    pub fn span_in(&self, doc: &DocEntry) -> Option<Span> {
        if doc.generation != self.generation {
            return None;
        }
        doc.article
            .mentions
            .get(self.index)
            .map(crate::analysis::Mention::span)
    }
}

/// A mention as the table stores it (8 bytes: a corpus has millions): its
/// document's number in [`EntityTable::paths`] and its index in that
/// article's mentions. Its span is not repeated here: the document has it,
/// and [`MentionRef::span_in`] reads it only from the version the table was
/// built from (whose generation the table keeps per document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredRef {
    doc: u32,
    index: u32,
}

/// The linked entities of a corpus at one moment.
#[derive(Debug, Default)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
    /// The documents the table was built from, in corpus (path) order.
    paths: Vec<Arc<Path>>,
    /// Per document number: the version ([`DocEntry::generation`]) the table
    /// was built from (see [`EntityTable::set_generations`]; empty: all 0).
    generations: Vec<u64>,
    /// Path → its number in `paths`.
    doc_of: FastMap<Arc<Path>, u32>,
    /// Per document number: for each mention (same index), its entity and
    /// link verdict (an index into `verdicts`: mentions with the same entity
    /// and surface share one).
    links: Vec<Box<[RawLink]>>,
    verdicts: Vec<MentionLink>,
    /// Per entity: its mentions in corpus order (path, then offset).
    mentions: Vec<Vec<StoredRef>>,
    /// Per entity: the number of words of each mention's surface (same order
    /// as `mentions`, saturating at 255).
    mention_words: Vec<Vec<u8>>,
    /// Per surface: the (entity, verdict) pairs it was linked to, so that an
    /// edited article can be linked against this table without a rebuild.
    by_surface: FastMap<String, Vec<(EntityId, u32)>>,
}

/// A mention's link in an [`EntityTable`]: its entity and verdict index, or
/// none; 8 bytes, as the table keeps one per mention of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLink {
    entity: u32,
    verdict: u32,
}

impl RawLink {
    /// No entity.
    pub const NONE: RawLink = RawLink {
        entity: u32::MAX,
        verdict: u32::MAX,
    };

    pub fn new(entity: EntityId, verdict: u32) -> RawLink {
        match u32::try_from(entity) {
            Ok(entity) if entity != u32::MAX => RawLink { entity, verdict },
            _ => RawLink::NONE,
        }
    }

    /// The entity and verdict index, if linked.
    pub fn get(self) -> Option<(EntityId, u32)> {
        (self.entity != u32::MAX).then_some((self.entity as usize, self.verdict))
    }
}

/// Union-find over surfaces and gazetteer entries.
struct Dsu {
    parent: Vec<usize>,
}

impl Dsu {
    fn new(n: usize) -> Self {
        Dsu {
            parent: (0..n).collect(),
        }
    }
    fn push(&mut self) -> usize {
        let id = self.parent.len();
        self.parent.push(id);
        id
    }
    fn find(&mut self, mut x: usize) -> usize {
        let mut root = x;
        while let Some(&p) = self.parent.get(root) {
            if p == root {
                break;
            }
            root = p;
        }
        while let Some(&p) = self.parent.get(x) {
            if p == root {
                break;
            }
            if let Some(slot) = self.parent.get_mut(x) {
                *slot = root;
            }
            x = p;
        }
        root
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root: earlier surfaces anchor clusters.
            let (keep, other) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(slot) = self.parent.get_mut(other) {
                *slot = keep;
            }
        }
    }
}

/// Numbers per mention of every article, in one allocation (`u32`: a corpus
/// has far fewer distinct surfaces than that; see [`narrow`]).
struct Rows {
    values: Vec<u32>,
    /// Where each row ends in `values`.
    ends: Vec<usize>,
}

impl Rows {
    fn with_capacity(rows: usize, values: usize) -> Rows {
        Rows {
            values: Vec::with_capacity(values),
            ends: Vec::with_capacity(rows),
        }
    }
    fn push(&mut self, value: usize) {
        self.values.push(narrow(value));
    }
    fn end_row(&mut self) {
        self.ends.push(self.values.len());
    }
    fn row(&self, i: usize) -> Row<'_> {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        Row(self.values.get(start..end).unwrap_or(&[]))
    }
}

#[derive(Clone, Copy)]
struct Row<'a>(&'a [u32]);

impl<'a> Row<'a> {
    fn get(self, i: usize) -> Option<usize> {
        self.0.get(i).map(|&v| v as usize)
    }
    fn iter(self) -> impl Iterator<Item = usize> + 'a {
        self.0.iter().map(|&v| v as usize)
    }
}

/// Everything known about one distinct surface string.
#[derive(Debug)]
struct Surface<'a> {
    text: &'a str,
    words: Vec<&'a str>,
    count: usize,
    /// Mentions in articles of the corpus's dominant language.
    dominant: usize,
    docs: usize,
    last_doc: Option<usize>,
    votes: VoteTotals,
    gaz: Option<EntryId>,
    /// Another surface this one stands for (an acronym defined in parentheses).
    alias_of: Option<Atom>,
    /// Corrected spelling when this surface is a likely typo.
    typo_fix: Option<String>,
    /// Linking key of the whole surface ([`name_key`]).
    key: String,
    /// Transliteration key of the last word.
    last_fold: String,
    /// An all-caps single word (`OTAN`, `NATO`).
    acronym: bool,
}

impl Surface<'_> {
    fn is_acronym(&self) -> bool {
        self.acronym
    }
}

fn is_acronym_text(text: &str) -> bool {
    !text.contains(char::is_whitespace)
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !text.chars().any(char::is_lowercase)
}

/// Surfaces used at most this often (in one article) may be typos.
const RARE: usize = 2;
/// Surfaces used at least this often (or in two articles) are well attested.
const WELL_ATTESTED: usize = 3;

impl EntityTable {
    /// Links the mentions of every article.
    pub fn build<'a>(docs: impl IntoIterator<Item = (&'a Arc<Path>, &'a Article)>) -> EntityTable {
        let mut docs: Vec<(&Arc<Path>, &Article)> = docs.into_iter().collect();
        docs.sort_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        let gaz = Gazetteer::get();
        let dominant = dominant_language(&docs);

        // 1. Distinct surfaces.
        let mut surfaces: Vec<Surface<'_>> = Vec::new();
        // Surface of each text (keyed by atom: hashing a 4-byte id, not the
        // text; a map, not a table by atom index, which would grow with every
        // text the process ever interned).
        let mut by_text: FastMap<Atom, usize> = FastMap::default();
        let total: usize = docs.iter().map(|(_, a)| a.mentions.len()).sum();
        let mut mention_surface = Rows::with_capacity(docs.len(), total);
        for (di, (_, article)) in docs.iter().enumerate() {
            for m in &article.mentions {
                let sid = *by_text.entry(m.text).or_insert_with(|| {
                    let (gaz_id, alias_of) = match m.gazetteer {
                        Some(g) => match gaz.lookup(&g) {
                            Some(e) => (Some(e), None),
                            None => (None, Some(g)),
                        },
                        None => (None, None),
                    };
                    let words = names::words(&m.text);
                    let last_fold = words.last().map(|w| fold_word(w)).unwrap_or_default();
                    surfaces.push(Surface {
                        key: name_key(&m.text),
                        last_fold,
                        acronym: is_acronym_text(&m.text),
                        text: &m.text,
                        words,
                        count: 0,
                        dominant: 0,
                        docs: 0,
                        last_doc: None,
                        votes: VoteTotals::default(),
                        gaz: gaz_id,
                        alias_of,
                        typo_fix: None,
                    });
                    surfaces.len() - 1
                });
                if let Some(s) = surfaces.get_mut(sid) {
                    s.count += 1;
                    if article.language == dominant {
                        s.dominant += 1;
                    }
                    if s.last_doc != Some(di) {
                        s.docs += 1;
                        s.last_doc = Some(di);
                    }
                    s.votes.add(&m.votes);
                }
                mention_surface.push(sid);
            }
            mention_surface.end_row();
        }

        let n = surfaces.len();
        let mut dsu = Dsu::new(n);
        let mut gaz_node: FastMap<EntryId, usize> = FastMap::default();

        // 2. Gazetteer entries, acronyms, folded keys.
        let mut by_key: FastMap<&str, usize> = FastMap::default();
        for (sid, s) in surfaces.iter().enumerate() {
            if let Some(e) = s.gaz {
                let node = *gaz_node.entry(e).or_insert_with(|| dsu.push());
                dsu.union(sid, node);
            }
            if let Some(&other) = s.alias_of.and_then(|a| by_text.get(&a)) {
                dsu.union(sid, other);
            }
            if s.is_acronym() {
                // Acronyms only join by exact text or gazetteer: folding `RT` and
                // `Rt` (or `US` and `Us`) would say nothing.
                continue;
            }
            if s.key.chars().count() < 3 {
                continue;
            }
            match by_key.get(s.key.as_str()) {
                Some(&other) => dsu.union(sid, other),
                None => {
                    by_key.insert(s.key.as_str(), sid);
                }
            }
        }

        // Cluster votes, for telling people from places and organisations.
        let cluster_votes = |dsu: &mut Dsu, surfaces: &[Surface<'_>]| {
            let mut v: FastMap<usize, VoteTotals> = FastMap::default();
            for (sid, s) in surfaces.iter().enumerate() {
                v.entry(dsu.find(sid)).or_default().merge(&s.votes);
            }
            v
        };
        let votes = cluster_votes(&mut dsu, &surfaces);
        let person_like = |root: usize, s: &Surface<'_>| -> bool {
            let v = votes.get(&root).copied().unwrap_or_default();
            match v.winner() {
                Some(EntityKind::Person) => true,
                None => (2..=4).contains(&s.words.len()),
                _ => false,
            }
        };

        // 3. Surname → full name.
        let mut by_surname: FastMap<&str, Vec<usize>> = FastMap::default();
        for (sid, s) in surfaces.iter().enumerate() {
            if s.words.len() < 2 || s.is_acronym() {
                continue;
            }
            let root = dsu.find(sid);
            if !person_like(root, s) {
                continue;
            }
            let roots = by_surname.entry(s.last_fold.as_str()).or_default();
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
        let mut ambiguous: FastMap<usize, Vec<usize>> = FastMap::default();
        for sid in 0..n {
            let Some(s) = surfaces.get(sid) else { continue };
            if s.words.len() != 1 || s.is_acronym() {
                continue;
            }
            let own = dsu.find(sid);
            let own_votes = votes.get(&own).copied().unwrap_or_default();
            if matches!(
                own_votes.winner(),
                Some(EntityKind::Place | EntityKind::Organization | EntityKind::Other)
            ) && s.gaz.is_some()
            {
                continue;
            }
            let Some(cands) = by_surname.get(s.last_fold.as_str()) else {
                continue;
            };
            let mut roots: Vec<usize> = cands.iter().map(|&r| dsu.find(r)).collect();
            roots.sort_unstable();
            roots.dedup();
            match roots.as_slice() {
                [one] => dsu.union(sid, *one),
                [] => {}
                many => {
                    ambiguous.insert(sid, many.to_vec());
                }
            }
        }

        // 4. Typos of well-attested spellings.
        link_typos(&mut surfaces, &mut dsu, &mut gaz_node, gaz, dominant);

        // 5. Each mention's cluster. No union happens from here on: roots are
        // final, read from one array, and an ambiguous surname resolves the
        // same way for all its mentions in one article.
        let root_of: Vec<usize> = (0..n).map(|sid| dsu.find(sid)).collect();
        let mut root_size: FastMap<usize, usize> = FastMap::default();
        for (s, &root) in surfaces.iter().zip(&root_of) {
            *root_size.entry(root).or_default() += s.count;
        }
        // Folded last words as numbers: an ambiguous surname is compared with
        // an article's full names by number, not by string (178k resolutions
        // at 10k articles).
        let mut fold_ids: FastMap<&str, u32> = FastMap::default();
        let last_fold_id: Vec<u32> = surfaces
            .iter()
            .map(|s| {
                let next = narrow(fold_ids.len());
                *fold_ids.entry(s.last_fold.as_str()).or_insert(next)
            })
            .collect();
        let surname_key: FastMap<usize, u32> = ambiguous
            .keys()
            .map(|&sid| {
                let folded = surfaces.get(sid).map(|s| fold_word(s.text));
                let id = folded.and_then(|f| fold_ids.get(f.as_str()).copied());
                // No surface ends with it: matches nothing.
                (sid, id.unwrap_or(u32::MAX))
            })
            .collect();
        let mut mention_root = Rows::with_capacity(docs.len(), total);
        let mut resolved: FastMap<usize, usize> = FastMap::default();
        // The article's full names, each surface once, in text order (built
        // only for articles with an ambiguous surname).
        let mut full_names: Vec<usize> = Vec::new();
        let mut seen: FastSet<usize> = FastSet::default();
        for ids in (0..docs.len()).map(|di| mention_surface.row(di)) {
            resolved.clear();
            full_names.clear();
            for sid in ids.iter() {
                let cands = if ambiguous.is_empty() {
                    None
                } else {
                    ambiguous.get(&sid)
                };
                let root = match cands {
                    Some(cands) => *resolved.entry(sid).or_insert_with(|| {
                        if full_names.is_empty() {
                            seen.clear();
                            full_names.extend(ids.iter().filter(|&o| {
                                surfaces.get(o).is_some_and(|s| s.words.len() >= 2)
                                    && seen.insert(o)
                            }));
                        }
                        let key = surname_key.get(&sid).copied().unwrap_or(u32::MAX);
                        let surname = Surname { sid, key, cands };
                        resolve_ambiguous(
                            &root_of,
                            &surfaces,
                            &last_fold_id,
                            &root_size,
                            &full_names,
                            &surname,
                        )
                    }),
                    None => root_of.get(sid).copied().unwrap_or(sid),
                };
                mention_root.push(root);
            }
            mention_root.end_row();
        }

        // 6. Entities in order of first mention.
        let mut table = EntityTable::default();
        // Root → entity (`usize::MAX`: none yet); roots index the union-find.
        let mut entity_of_root: Vec<EntityId> = vec![usize::MAX; dsu.parent.len()];
        // First the entities and their mention counts, so that each one's
        // list of mentions is allocated once, at its exact size.
        let mut counts: Vec<usize> = Vec::new();
        for root in mention_root.values.iter().map(|&r| r as usize) {
            let Some(slot) = entity_of_root.get_mut(root) else {
                continue;
            };
            if *slot == usize::MAX {
                *slot = counts.len();
                counts.push(0);
            }
            if let Some(c) = counts.get_mut(*slot) {
                *c += 1;
            }
        }
        table.entities = (0..counts.len())
            .map(|id| Entity {
                id,
                name: String::new(),
                kind: EntityKind::Other,
                aliases: Vec::new(),
                mentions: 0,
                documents: 0,
                roles: Vec::new(),
                gazetteer: None,
            })
            .collect();
        table.mentions = counts.iter().map(|&c| Vec::with_capacity(c)).collect();
        table.mention_words = counts.iter().map(|&c| Vec::with_capacity(c)).collect();
        let mut ent_surfaces: Vec<FastMap<usize, usize>> = vec![FastMap::default(); counts.len()];
        let mut ent_roles: Vec<FastMap<Atom, usize>> = vec![FastMap::default(); counts.len()];
        let mut ent_votes: Vec<VoteTotals> = vec![VoteTotals::default(); counts.len()];
        let mut ent_docs: Vec<Option<usize>> = vec![None; counts.len()];
        for (di, (_, article)) in docs.iter().enumerate() {
            let roots = mention_root.row(di);
            let ids = mention_surface.row(di);
            for (index, m) in article.mentions.iter().enumerate() {
                let (Some(root), Some(sid)) = (roots.get(index), ids.get(index)) else {
                    continue;
                };
                let Some(&eid) = entity_of_root.get(root).filter(|&&e| e != usize::MAX) else {
                    continue;
                };
                if let Some(e) = table.entities.get_mut(eid) {
                    e.mentions += 1;
                }
                if let Some(last) = ent_docs.get_mut(eid) {
                    if *last != Some(di) {
                        *last = Some(di);
                        if let Some(e) = table.entities.get_mut(eid) {
                            e.documents += 1;
                        }
                    }
                }
                if let Some(map) = ent_surfaces.get_mut(eid) {
                    *map.entry(sid).or_default() += 1;
                }
                if let (Some(r), Some(map)) = (m.role, ent_roles.get_mut(eid)) {
                    *map.entry(r).or_default() += 1;
                }
                if let Some(v) = ent_votes.get_mut(eid) {
                    v.add(&m.votes);
                }
                if let Some(list) = table.mentions.get_mut(eid) {
                    list.push(StoredRef {
                        doc: narrow(di),
                        index: narrow(index),
                    });
                }
                if let Some(list) = table.mention_words.get_mut(eid) {
                    let words = surfaces.get(sid).map_or(1, |s| s.words.len());
                    list.push(u8::try_from(words).unwrap_or(u8::MAX));
                }
            }
        }

        // Entity names, kinds, aliases, roles.
        let mut canonical_words: Vec<Vec<String>> = Vec::with_capacity(table.entities.len());
        for (eid, entity) in table.entities.iter_mut().enumerate() {
            let used = ent_surfaces
                .get_mut(eid)
                .map(std::mem::take)
                .unwrap_or_default();
            // When two spellings name different gazetteer entries, the most
            // used one decides, not the order of a hash map.
            let by_use = spellings_by_use(&surfaces, &used);
            let gaz_entry = by_use.iter().find_map(|(s, _)| s.gaz).or_else(|| {
                by_use
                    .iter()
                    .find_map(|(s, _)| s.typo_fix.as_deref().and_then(|f| gaz.lookup(f)))
            });
            let votes = ent_votes.get(eid).copied().unwrap_or_default();
            entity.kind = votes
                .winner()
                .or_else(|| gaz_entry.and_then(|g| gaz.entry(g)).map(|e| e.kind))
                .unwrap_or_default();
            entity.gazetteer = gaz_entry
                .and_then(|g| gaz.entry(g))
                .map(|e| e.id.to_string());
            entity.name = canonical_name(&surfaces, &used, entity.kind, gaz_entry, gaz, dominant);
            entity.aliases = by_use
                .iter()
                .map(|(s, c)| (s.text.to_string(), *c))
                .collect();
            let mut roles: Vec<(String, usize)> = ent_roles
                .get(eid)
                .map(|m| m.iter().map(|(r, c)| (r.to_string(), *c)).collect())
                .unwrap_or_default();
            roles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            entity.roles = roles;
            canonical_words.push(
                names::words(&entity.name)
                    .into_iter()
                    .map(String::from)
                    .collect(),
            );
        }

        // 7. Link verdicts, one per (entity, surface).
        let mut verdict_of: FastMap<(EntityId, usize), u32> = FastMap::default();
        for (di, (path, article)) in docs.iter().enumerate() {
            let roots = mention_root.row(di);
            let ids = mention_surface.row(di);
            let mut links = Vec::with_capacity(article.mentions.len());
            for index in 0..article.mentions.len() {
                let (Some(root), Some(sid)) = (roots.get(index), ids.get(index)) else {
                    links.push(RawLink::NONE);
                    continue;
                };
                let Some(&eid) = entity_of_root.get(root).filter(|&&e| e != usize::MAX) else {
                    links.push(RawLink::NONE);
                    continue;
                };
                let v = match verdict_of.get(&(eid, sid)) {
                    Some(v) => *v,
                    None => {
                        let (Some(entity), Some(surface)) =
                            (table.entities.get(eid), surfaces.get(sid))
                        else {
                            links.push(RawLink::NONE);
                            continue;
                        };
                        let cw = canonical_words.get(eid).map(Vec::as_slice).unwrap_or(&[]);
                        let v = u32::try_from(table.verdicts.len()).unwrap_or(u32::MAX);
                        table.verdicts.push(link_verdict(entity, cw, surface));
                        verdict_of.insert((eid, sid), v);
                        table
                            .by_surface
                            .entry(surface.text.to_string())
                            .or_default()
                            .push((eid, v));
                        v
                    }
                };
                links.push(RawLink::new(eid, v));
            }
            table.doc_of.insert((*path).clone(), narrow(di));
            table.paths.push((*path).clone());
            table.links.push(links.into_boxed_slice());
        }
        table
    }

    /// Records the version of each document the table was built from (the
    /// corpus's generations), so that its mentions are read from no other.
    pub fn set_generations(&mut self, generation_of: impl Fn(&Path) -> Option<u64>) {
        self.generations = self
            .paths
            .iter()
            .map(|p| generation_of(p).unwrap_or(0))
            .collect();
    }

    /// The link verdicts of a document's mentions (empty when unknown).
    pub fn links_of(&self, path: &Path) -> Vec<Option<MentionLink>> {
        self.raw_links(path)
            .map(|v| v.iter().map(|l| self.verdict(*l)).collect())
            .unwrap_or_default()
    }

    /// A document's raw links, when the table was built with it.
    pub fn raw_links(&self, path: &Path) -> Option<&[RawLink]> {
        let doc = *self.doc_of.get(path)?;
        self.links.get(doc as usize).map(|l| &**l)
    }

    /// The verdict of a raw link.
    pub fn verdict(&self, link: RawLink) -> Option<MentionLink> {
        let (_, v) = link.get()?;
        self.verdicts.get(v as usize).cloned()
    }

    /// Links an article's mentions against this table without rebuilding it
    /// (an edited article, before the background relink): each surface goes
    /// to the entity it was linked to; a surface linked to several entities
    /// (a shared surname) goes to the one the article also names otherwise,
    /// else to the most mentioned; unknown surfaces stay unlinked.
    pub fn link_article(&self, article: &Article) -> Vec<RawLink> {
        let mut out: Vec<RawLink> = Vec::with_capacity(article.mentions.len());
        let mut present: names::FastSet<EntityId> = names::FastSet::default();
        for m in &article.mentions {
            match self.by_surface.get(&*m.text).map(Vec::as_slice) {
                Some([one]) => {
                    present.insert(one.0);
                    out.push(RawLink::new(one.0, one.1));
                }
                _ => out.push(RawLink::NONE),
            }
        }
        for (m, slot) in article.mentions.iter().zip(out.iter_mut()) {
            if slot.get().is_some() {
                continue;
            }
            let Some(cands) = self.by_surface.get(&*m.text) else {
                continue;
            };
            let mentions = |eid: EntityId| self.entities.get(eid).map_or(0, |e| e.mentions);
            if let Some(&(eid, v)) = cands
                .iter()
                .max_by_key(|(eid, _)| (present.contains(eid), mentions(*eid)))
            {
                *slot = RawLink::new(eid, v);
            }
        }
        out
    }

    /// The entity of a document's mention.
    pub fn entity_of(&self, path: &Path, mention_index: usize) -> Option<&Entity> {
        let (id, _) = self.raw_links(path)?.get(mention_index)?.get()?;
        self.entities.get(id)
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id)
    }

    fn expand(&self, r: &StoredRef) -> Option<MentionRef> {
        Some(MentionRef {
            path: self.paths.get(r.doc as usize)?.clone(),
            index: r.index as usize,
            generation: self.generations.get(r.doc as usize).copied().unwrap_or(0),
        })
    }

    /// Every mention of an entity, in corpus order.
    pub fn mentions_of(&self, id: EntityId) -> Vec<MentionRef> {
        self.mentions
            .get(id)
            .map(|refs| refs.iter().filter_map(|r| self.expand(r)).collect())
            .unwrap_or_default()
    }

    /// An entity's first mention in corpus order.
    pub fn first_mention_of(&self, id: EntityId) -> Option<MentionRef> {
        self.expand(self.mentions.get(id)?.first()?)
    }

    /// The entity's mentions in one document, in text order.
    pub fn mentions_in(&self, id: EntityId, path: &Path) -> Vec<MentionRef> {
        let (Some(refs), Some(&doc)) = (self.mentions.get(id), self.doc_of.get(path)) else {
            return Vec::new();
        };
        let from = refs.partition_point(|r| r.doc < doc);
        refs.get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|r| r.doc == doc)
            .filter_map(|r| self.expand(r))
            .collect()
    }

    /// The entity's defining mention: the first one written with its fullest
    /// form (the article that introduces it by full name), else the first.
    pub fn definition(&self, id: EntityId) -> Option<MentionRef> {
        let refs = self.mentions.get(id)?;
        let words = self.mention_words.get(id)?;
        let most = words.iter().copied().max()?;
        let at = words.iter().position(|&w| w == most).unwrap_or(0);
        self.expand(refs.get(at).or_else(|| refs.first())?)
    }

    /// Entities whose name or an alias matches a query (case- and accent-insensitive
    /// substring), best first.
    pub fn search(&self, query: &str) -> Vec<&Entity> {
        let q = plain_fold(query.trim());
        let mut out: Vec<(usize, &Entity)> = self
            .entities
            .iter()
            .filter_map(|e| {
                if q.is_empty() {
                    return Some((2, e));
                }
                let name = plain_fold(&e.name);
                if name.starts_with(&q) {
                    return Some((0, e));
                }
                if name.contains(&q) {
                    return Some((1, e));
                }
                e.aliases
                    .iter()
                    .any(|(a, _)| plain_fold(a).contains(&q))
                    .then_some((1, e))
            })
            .collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.mentions.cmp(&a.1.mentions))
                .then(a.1.name.cmp(&b.1.name))
        });
        out.into_iter().map(|(_, e)| e).collect()
    }

    /// The document paths that have link entries (every indexed document).
    pub fn documents(&self) -> impl Iterator<Item = &Arc<Path>> {
        self.paths.iter()
    }
}

/// The language of most articles (ties: the first in code order).
fn dominant_language(docs: &[(&Arc<Path>, &Article)]) -> Language {
    let mut counts: FastMap<Language, usize> = FastMap::default();
    for (_, a) in docs {
        *counts.entry(a.language).or_default() += 1;
    }
    let mut best: Option<(Language, usize)> = None;
    let mut langs: Vec<(Language, usize)> = counts.into_iter().collect();
    langs.sort();
    for (l, c) in langs {
        if best.is_none_or(|(_, b)| c > b) {
            best = Some((l, c));
        }
    }
    best.map(|(l, _)| l).unwrap_or_default()
}

/// Finds rare surfaces one edit away from a well-attested spelling (in the
/// corpus or a gazetteer surname) and joins them to it as typos.
fn link_typos(
    surfaces: &mut [Surface<'_>],
    dsu: &mut Dsu,
    gaz_node: &mut FastMap<EntryId, usize>,
    gaz: &Gazetteer,
    dominant: Language,
) {
    // Cluster sizes.
    let mut size: FastMap<usize, usize> = FastMap::default();
    for (sid, s) in surfaces.iter().enumerate() {
        *size.entry(dsu.find(sid)).or_default() += s.count;
    }
    let attested = |s: &Surface<'_>| s.count >= WELL_ATTESTED || s.docs >= 2 || s.gaz.is_some();
    // Well-attested words: single-word surfaces and the last words of longer names.
    let mut index: DeletionIndex<usize> = DeletionIndex::default();
    let mut known_keys: FastMap<String, usize> = FastMap::default();
    for (sid, s) in surfaces.iter().enumerate() {
        if !attested(s) || s.is_acronym() {
            continue;
        }
        if s.last_fold.chars().count() >= 5 {
            index.insert(&s.last_fold, sid);
            known_keys.entry(s.last_fold.clone()).or_insert(sid);
        }
        if s.words.len() == 1 {
            continue;
        }
        for w in s.words.iter().take(s.words.len().saturating_sub(1)) {
            known_keys.entry(fold_word(w)).or_insert(sid);
        }
    }
    let mut fixes: Vec<(usize, usize, Option<EntryId>, String)> = Vec::new();
    for (sid, s) in surfaces.iter().enumerate() {
        if s.count > RARE || s.docs > 1 || s.gaz.is_some() || s.alias_of.is_some() || s.is_acronym()
        {
            continue;
        }
        // A known first name (`Martin`) is a name of its own, not a typo.
        if s.words.last().is_some_and(|w| names::is_given_name(w)) {
            continue;
        }
        let key = s.last_fold.clone();
        if key.chars().count() < 5 || known_keys.contains_key(&key) || gaz.is_known_surname(&key) {
            continue;
        }
        let own_root = dsu.find(sid);
        let own_size = size.get(&own_root).copied().unwrap_or(s.count);
        // Corpus references.
        let mut targets: Vec<(usize, String)> = Vec::new();
        for rid in index.candidates(&key) {
            let Some(r) = surfaces.get(rid) else { continue };
            let Some(rlast) = r.words.last() else {
                continue;
            };
            let rkey = fold_word(rlast);
            if !is_likely_typo(&key, &rkey) {
                continue;
            }
            let rroot = dsu.find(rid);
            if rroot == own_root || size.get(&rroot).copied().unwrap_or(0) < 3 * own_size {
                continue;
            }
            if !first_names_agree(&s.words, &r.words) {
                continue;
            }
            if !targets.iter().any(|(t, _)| dsu.find(*t) == rroot) {
                targets.push((rid, (*rlast).to_string()));
            }
        }
        if let [(rid, word)] = targets.as_slice() {
            fixes.push((sid, *rid, None, replace_last(&s.words, s.text, word)));
            continue;
        }
        if !targets.is_empty() {
            continue;
        }
        // Gazetteer surnames of people: only with the same first name written
        // (`Volodymyr Zelesnky`), since a lone rare surname one letter away from
        // a famous one is as likely another person.
        if s.words.len() < 2 {
            continue;
        }
        let hits = gaz.surname_typo_of(&key);
        if let [entry] = hits.as_slice() {
            let Some(e) = gaz.entry(*entry) else { continue };
            let form = e.preferred(dominant.code());
            let fixed_word = names::words(form)
                .last()
                .map(|w| w.to_string())
                .unwrap_or_default();
            let agree = e.forms.iter().any(|(_, f)| {
                let fw = names::words(f);
                fw.len() >= 2 && first_names_agree(&s.words, &fw)
            });
            if !agree {
                continue;
            }
            fixes.push((
                sid,
                usize::MAX,
                Some(*entry),
                replace_last(&s.words, s.text, &fixed_word),
            ));
        }
    }
    for (sid, rid, entry, fix) in fixes {
        match entry {
            Some(e) => {
                let node = *gaz_node.entry(e).or_insert_with(|| dsu.push());
                dsu.union(sid, node);
            }
            None => dsu.union(sid, rid),
        }
        if let Some(s) = surfaces.get_mut(sid) {
            s.typo_fix = Some(fix);
        }
    }
}

/// Whether the words before the surname are compatible: absent on one side, or
/// the same given name (any spelling).
fn first_names_agree(a: &[&str], b: &[&str]) -> bool {
    if a.len() < 2 || b.len() < 2 {
        return true;
    }
    let Some(fa) = a.first() else { return true };
    b.iter()
        .take(b.len().saturating_sub(1))
        .any(|w| names::word_key(w) == names::word_key(fa))
}

/// The surface with its last word replaced (`Volodymyr Zelesnky` → `Volodymyr Zelensky`).
fn replace_last(words: &[&str], text: &str, new_last: &str) -> String {
    match words.last() {
        Some(last) => match text.rfind(last) {
            Some(pos) => {
                let mut out = String::with_capacity(text.len());
                out.push_str(text.get(..pos).unwrap_or(""));
                out.push_str(new_last);
                out.push_str(text.get(pos + last.len()..).unwrap_or(""));
                out
            }
            None => new_last.to_string(),
        },
        None => new_last.to_string(),
    }
}

/// An ambiguous surname to resolve: its surface, the number of its folded
/// text among the surfaces' folded last words, and its candidate clusters.
struct Surname<'c> {
    sid: usize,
    key: u32,
    cands: &'c [usize],
}

/// The cluster for a surname several people share: the person named in full in
/// the same article, else its own cluster (a gazetteer person), else the one
/// mentioned most.
fn resolve_ambiguous(
    root_of: &[usize],
    surfaces: &[Surface<'_>],
    last_fold_id: &[u32],
    root_size: &FastMap<usize, usize>,
    full_names: &[usize],
    surname: &Surname<'_>,
) -> usize {
    let Surname { sid, key, cands } = *surname;
    let root = |x: usize| root_of.get(x).copied().unwrap_or(x);
    for &other in full_names {
        let Some(o) = surfaces.get(other) else {
            continue;
        };
        // The folded last word, numbered once per surface.
        if o.words.len() < 2 || last_fold_id.get(other) != Some(&key) {
            continue;
        }
        let r = root(other);
        if cands.iter().any(|&c| root(c) == r) {
            return r;
        }
    }
    let own = root(sid);
    if cands.iter().any(|&c| root(c) == own) {
        return own;
    }
    let mut best: Option<(usize, usize)> = None;
    for &c in cands {
        let r = root(c);
        let size = root_size.get(&r).copied().unwrap_or(0);
        if best.is_none_or(|(_, b)| size > b) {
            best = Some((r, size));
        }
    }
    best.map(|(r, _)| r).unwrap_or(own)
}

/// An entity's spellings (surface number → its mentions of the entity) as
/// surfaces with their counts, most used first (ties: by text).
fn spellings_by_use<'s, 'a>(
    surfaces: &'s [Surface<'a>],
    used: &FastMap<usize, usize>,
) -> Vec<(&'s Surface<'a>, usize)> {
    let mut by_use: Vec<(&Surface<'_>, usize)> = used
        .iter()
        .filter_map(|(&sid, &c)| surfaces.get(sid).map(|s| (s, c)))
        .collect();
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.text.cmp(b.0.text)));
    by_use
}

/// The canonical name of an entity: for people the fullest form, for other
/// kinds the most frequent one; counts in the dominant language first; ties go
/// to the gazetteer's form in that language, then to the more frequent and
/// earlier surface. Typos never name an entity.
fn canonical_name(
    surfaces: &[Surface<'_>],
    used: &FastMap<usize, usize>,
    kind: EntityKind,
    gaz_entry: Option<EntryId>,
    gaz: &Gazetteer,
    dominant: Language,
) -> String {
    let preferred: Vec<String> = gaz_entry
        .and_then(|g| gaz.entry(g))
        .map(|e| {
            e.forms_in(dominant.code())
                .flat_map(names::words)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let mut cands: Vec<(usize, &Surface<'_>)> = used
        .keys()
        .filter_map(|&sid| surfaces.get(sid).map(|s| (sid, s)))
        .filter(|(_, s)| s.typo_fix.is_none())
        .collect();
    if cands.is_empty() {
        // Only misspellings: the gazetteer's form, else the corrected spelling.
        let fix = used
            .keys()
            .filter_map(|&sid| surfaces.get(sid))
            .filter_map(|s| s.typo_fix.clone())
            .max_by_key(|f| names::words(f).len());
        if let Some(e) = gaz_entry.and_then(|g| gaz.entry(g)) {
            let want = fix.as_deref().map_or(1, |f| names::words(f).len());
            let form = e
                .forms_in(dominant.code())
                .chain(e.forms.iter().map(|(_, f)| *f))
                .find(|f| names::words(f).len() == want)
                .unwrap_or_else(|| e.preferred(dominant.code()));
            return form.to_string();
        }
        return fix.unwrap_or_default();
    }
    let gaz_match = |s: &Surface<'_>| {
        s.words
            .iter()
            .filter(|w| preferred.iter().any(|p| p == *w))
            .count()
    };
    cands.sort_by(|(ia, a), (ib, b)| {
        let full = b.words.len().cmp(&a.words.len());
        let freq = b.dominant.cmp(&a.dominant).then(b.count.cmp(&a.count));
        let first = if kind == EntityKind::Person {
            full.then(freq)
        } else {
            freq.then(full)
        };
        first.then(gaz_match(b).cmp(&gaz_match(a))).then(ia.cmp(ib))
    });
    cands
        .first()
        .map(|(_, s)| s.text.to_string())
        .unwrap_or_default()
}

/// How a surface relates to its entity's canonical name, and the spelling of
/// the same shape it should use (the canonical surname for a surname).
fn link_verdict(entity: &Entity, canonical_words: &[String], s: &Surface<'_>) -> MentionLink {
    let canonical = entity.name.clone();
    if let Some(fix) = &s.typo_fix {
        return MentionLink {
            canonical,
            preferred_surface: Some(fix.clone()),
            relation: LinkRelation::Typo,
        };
    }
    if s.text == canonical {
        return MentionLink {
            canonical,
            preferred_surface: None,
            relation: LinkRelation::Canonical,
        };
    }
    let n = s.words.len();
    let big_n = canonical_words.len();
    let canonical_acronym = big_n == 1
        && !canonical.chars().any(char::is_lowercase)
        && canonical.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    let preferred: Option<String> = if s.is_acronym() != canonical_acronym {
        None
    } else if n == big_n {
        Some(canonical.clone())
    } else if n == 1 && big_n > 1 && entity.kind == EntityKind::Person {
        // A surname (or a first name) alone: the canonical word of that position.
        let key = fold_word(s.text);
        let last = canonical_words.last().cloned().unwrap_or_default();
        let first = canonical_words.first().cloned().unwrap_or_default();
        if names::word_key(s.text) == names::word_key(&first) && fold_word(&last) != key {
            Some(first)
        } else {
            Some(last)
        }
    } else {
        None
    };
    // `MINSK` in a dateline: capitals are typography, not another spelling.
    let only_case = |p: &str| p.to_lowercase() == s.text.to_lowercase();
    match preferred {
        Some(p) if p != s.text && !only_case(&p) => MentionLink {
            canonical,
            preferred_surface: Some(p),
            relation: LinkRelation::Variant,
        },
        _ => MentionLink {
            canonical,
            preferred_surface: None,
            relation: LinkRelation::Canonical,
        },
    }
}

/// Convenience for callers holding owned paths.
pub fn path_key(p: &Path) -> Arc<Path> {
    Arc::from(PathBuf::from(p).into_boxed_path())
}

#[cfg(test)]
mod tests;
