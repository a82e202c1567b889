//! The shipped gazetteer: countries, capitals, major cities and regions, major
//! organizations (alliances, state institutions, agencies, media), public
//! figures and other named things, with their exonyms in each language.
//!
//! Tables: `data/<lang>/gazetteer_{places,organizations,people,other}.txt` and
//! the same names under `data/common/`. A line is `id | form | form …`; the id
//! ties the forms of one referent across language folders, and the first form
//! of a line is that language's preferred name. The kind comes from the table
//! name. Adding a language adds files, not code.

use std::sync::OnceLock;

use crate::analysis::lexicon::{Lexicon, COMMON};
use crate::analysis::EntityKind;

use super::{fold_word, last_word, name_key, word_key, words, DeletionIndex, FastMap, FastSet};

/// Index of an entry in [`Gazetteer::entries`].
pub type EntryId = usize;

/// One referent of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The id shared across language files (`kyiv`, `vladimir-putin`).
    pub id: &'static str,
    pub kind: EntityKind,
    /// (language code or `common`, form), preferred forms first in each language.
    pub forms: Vec<(&'static str, &'static str)>,
}

impl Entry {
    /// The preferred form in a language, else the first English, common or any form.
    pub fn preferred(&self, lang: &str) -> &'static str {
        self.forms
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| self.forms.iter().find(|(l, _)| *l == "en"))
            .or_else(|| self.forms.first())
            .map(|(_, f)| *f)
            .unwrap_or(self.id)
    }

    /// The forms of one language (common forms included).
    pub fn forms_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.forms
            .iter()
            .filter(move |(l, _)| *l == lang || *l == COMMON)
            .map(|(_, f)| *f)
    }
}

/// A multi-word form as recognisable words.
#[derive(Debug)]
struct Sequence {
    words: Vec<&'static str>,
    entry: EntryId,
}

/// The parsed gazetteer, built once.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    /// Exact form → entries.
    exact: FastMap<&'static str, Vec<EntryId>>,
    /// Name key of a form → entries.
    folded: FastMap<String, Vec<EntryId>>,
    /// Keys of the last words of forms: a surface whose last word is not here
    /// has no folded match, so its whole key need not be computed.
    last_keys: FastSet<String>,
    /// First word of a form → forms starting with it, longest first.
    sequences: FastMap<&'static str, Vec<Sequence>>,
    /// Folded last words of people's names (surnames) → entries, for typo search.
    surnames: DeletionIndex<EntryId>,
    surname_keys: FastMap<String, Vec<EntryId>>,
}

const KINDS: [(&str, EntityKind); 4] = [
    ("gazetteer_places", EntityKind::Place),
    ("gazetteer_organizations", EntityKind::Organization),
    ("gazetteer_people", EntityKind::Person),
    ("gazetteer_other", EntityKind::Other),
];

impl Gazetteer {
    /// The process-wide gazetteer.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            let lex = Lexicon::get();
            let mut codes: Vec<&'static str> = lex.languages().iter().map(|l| l.code()).collect();
            codes.push(COMMON);
            let mut raw: Vec<(&'static str, EntityKind, &'static str, Vec<&'static str>)> =
                Vec::new();
            for (table, kind) in KINDS {
                for code in &codes {
                    let lines = if *code == COMMON {
                        lex.common(table)
                    } else {
                        match crate::analysis::Language::from_code(code) {
                            Some(l) => lex.table(l, table),
                            None => &[],
                        }
                    };
                    for line in lines {
                        let mut parts = line.split('|').map(str::trim).filter(|p| !p.is_empty());
                        let Some(id) = parts.next() else { continue };
                        let forms: Vec<&'static str> = parts.collect();
                        if !forms.is_empty() {
                            raw.push((id, kind, code, forms));
                        }
                    }
                }
            }
            Gazetteer::from_raw(raw)
        })
    }

    fn from_raw(raw: Vec<(&'static str, EntityKind, &'static str, Vec<&'static str>)>) -> Self {
        let mut g = Gazetteer::default();
        let mut by_id: FastMap<(&'static str, EntityKind), EntryId> = FastMap::default();
        for (id, kind, code, forms) in raw {
            let e = *by_id.entry((id, kind)).or_insert_with(|| {
                g.entries.push(Entry {
                    id,
                    kind,
                    forms: Vec::new(),
                });
                g.entries.len() - 1
            });
            if let Some(entry) = g.entries.get_mut(e) {
                for f in forms {
                    entry.forms.push((code, f));
                }
            }
        }
        for (eid, entry) in g.entries.iter().enumerate() {
            for &(_, form) in &entry.forms {
                push_unique(g.exact.entry(form).or_default(), eid);
                let key = name_key(form);
                let ws = words(form);
                if key.chars().count() >= 4 {
                    push_unique(g.folded.entry(key).or_default(), eid);
                    if let Some(last) = ws.last() {
                        g.last_keys.insert(word_key(last));
                    }
                }
                let starts_capitalised = ws
                    .first()
                    .and_then(|w| w.chars().next())
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
                let single_letter = form.chars().count() < 2;
                if starts_capitalised && !single_letter {
                    if let Some(first) = ws.first() {
                        g.sequences.entry(first).or_default().push(Sequence {
                            words: ws.clone(),
                            entry: eid,
                        });
                    }
                }
                if entry.kind == EntityKind::Person {
                    if let Some(last) = ws.last() {
                        let k = fold_word(last);
                        if k.chars().count() >= 5 {
                            g.surnames.insert(&k, eid);
                            push_unique(g.surname_keys.entry(k).or_default(), eid);
                        }
                    }
                }
            }
        }
        for list in g.sequences.values_mut() {
            list.sort_by_key(|s| std::cmp::Reverse(s.words.len()));
        }
        g
    }

    pub fn entry(&self, id: EntryId) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// The entry a surface names: the exact form first, then the folded key
    /// (accents, transliteration) when that is unambiguous.
    pub fn lookup(&self, surface: &str) -> Option<EntryId> {
        if let Some(v) = self.exact.get(surface) {
            return v.first().copied();
        }
        // `KYIV` in a dateline: try the capitalised spelling.
        if surface.chars().count() >= 3 && !surface.chars().any(char::is_lowercase) {
            let mut chars = surface.chars();
            let titled: String = chars
                .next()
                .into_iter()
                .chain(chars.flat_map(char::to_lowercase))
                .collect();
            if let Some(v) = self.exact.get(titled.as_str()) {
                return v.first().copied();
            }
        }
        let last = last_word(surface).map(word_key)?;
        if !self.last_keys.contains(&last) {
            return None;
        }
        let key = name_key(surface);
        match self.folded.get(&key).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Whether the surface is exactly one of the gazetteer's forms.
    pub fn is_exact_form(&self, surface: &str) -> bool {
        self.exact.contains_key(surface)
    }

    /// Whether some form starts with this word (before [`Self::longest_match`],
    /// so that most capitalised words do not gather the words after them).
    pub fn starts_a_form(&self, word: &str) -> bool {
        self.sequences.contains_key(word)
    }

    /// The longest form that starts at `words[0]` and matches the following
    /// words exactly: (number of words, entry).
    pub fn longest_match(&self, ws: &[&str]) -> Option<(usize, EntryId)> {
        let first = ws.first()?;
        let list = self.sequences.get(first)?;
        list.iter()
            .find(|s| s.words.len() <= ws.len() && ws.get(..s.words.len()) == Some(&s.words[..]))
            .map(|s| (s.words.len(), s.entry))
    }

    /// People whose surname (folded) is one edit away from `folded_word`.
    pub fn surname_typo_of(&self, folded_word: &str) -> Vec<EntryId> {
        if self.surname_keys.contains_key(folded_word) {
            return Vec::new();
        }
        let mut out: Vec<EntryId> = Vec::new();
        for eid in self.surnames.candidates(folded_word) {
            let Some(e) = self.entries.get(eid) else {
                continue;
            };
            let hit = e.forms.iter().any(|(_, f)| {
                words(f)
                    .last()
                    .is_some_and(|w| super::is_likely_typo(folded_word, &fold_word(w)))
            });
            if hit && !out.contains(&eid) {
                out.push(eid);
            }
        }
        out
    }

    /// Whether some person of the gazetteer has exactly this folded surname.
    pub fn is_known_surname(&self, folded_word: &str) -> bool {
        self.surname_keys.contains_key(folded_word)
    }

    /// Every form of every place, for the demonym rule.
    pub fn place_forms(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries
            .iter()
            .filter(|e| e.kind == EntityKind::Place)
            .flat_map(|e| e.forms.iter().map(|(_, f)| *f))
    }
}

fn push_unique(v: &mut Vec<EntryId>, id: EntryId) {
    if !v.contains(&id) {
        v.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exonyms_share_an_entry() {
        let g = Gazetteer::get();
        let kyiv = g.lookup("Kyiv").unwrap();
        assert_eq!(g.lookup("Kiev"), Some(kyiv));
        let by = g.lookup("Biélorussie").unwrap();
        assert_eq!(g.lookup("Bélarus"), Some(by));
        assert_eq!(g.lookup("Belarus"), Some(by));
        assert_eq!(g.lookup("Moscou"), g.lookup("Moscow"));
        assert_eq!(g.lookup("OTAN"), g.lookup("NATO"));
        assert_eq!(g.lookup("Royaume-Uni"), g.lookup("United Kingdom"));
        assert_eq!(g.entry(by).unwrap().kind, EntityKind::Place);
        assert_eq!(g.entry(by).unwrap().preferred("fr"), "Biélorussie");
        assert_eq!(g.entry(by).unwrap().preferred("en"), "Belarus");
        assert_eq!(
            g.entry(g.lookup("OTAN").unwrap()).unwrap().kind,
            EntityKind::Organization
        );
    }

    #[test]
    fn folded_lookup_finds_transliterations() {
        let g = Gazetteer::get();
        let p = g.lookup("Lukashenko").unwrap();
        assert_eq!(g.lookup("Loukachenko"), Some(p));
        assert_eq!(g.lookup("Sergueï Shoigu"), g.lookup("Sergei Shoigu"));
        assert!(g.lookup("Pinsk").is_none());
    }

    #[test]
    fn longest_multiword_match() {
        let g = Gazetteer::get();
        let (n, e) = g
            .longest_match(&["Europe", "de", "l", "Est", "et"])
            .unwrap();
        assert_eq!(n, 4);
        assert_eq!(g.entry(e).unwrap().kind, EntityKind::Place);
        let (n, _) = g.longest_match(&["Europe", "centrale"]).unwrap();
        assert_eq!(n, 2);
        let (n, _) = g.longest_match(&["Europe", "du", "Sud"]).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn surname_typos_point_at_people() {
        let g = Gazetteer::get();
        let hits = g.surname_typo_of(&fold_word("Zelesnky"));
        assert_eq!(hits.len(), 1);
        assert_eq!(g.entry(hits[0]).unwrap().id, "volodymyr-zelensky");
        assert!(g.surname_typo_of(&fold_word("Zelensky")).is_empty());
    }
}
