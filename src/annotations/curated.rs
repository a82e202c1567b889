//! Curated spans and how they win over detected ones: a sidecar resolved
//! against its article ([`resolve`]), the BRAT type → entity kind mapping
//! ([`TypeMap`]), and [`merge_curated`], which replaces the automatic
//! mentions and quotation speakers where curation says otherwise.

use std::collections::{BTreeMap, HashMap};

use crate::analysis::{
    Article, Attribution, EntityKind, KindVotes, Mention, Quote, QuoteKind, SmallSpan, Span,
};

use super::brat::{AnnFile, CharIndex};
use super::spans::{check_text_bound, reanchor, Anchor, Mismatch};

/// At most this many mismatches of one file get a re-anchoring search (each
/// scans the text).
pub const MAX_REANCHORED: usize = 200;

/// Fills the re-anchoring of the mismatches of `file` against `text` (the
/// first [`MAX_REANCHORED`] of them).
pub fn find_reanchors(file: &AnnFile, text: &str, mismatches: &mut [Mismatch]) {
    if mismatches.is_empty() {
        return;
    }
    let index = CharIndex::new(text);
    let by_id: HashMap<&str, &super::brat::TextBound> =
        file.text_bounds().map(|t| (t.id.as_str(), t)).collect();
    for m in mismatches.iter_mut().take(MAX_REANCHORED) {
        if let Some(t) = by_id.get(m.id.as_str()) {
            m.reanchor = reanchor(t, text, &index);
        }
    }
}

/// Where a curated span comes from; earlier variants win over later ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A text-bound annotation of the article's `.ann` sidecar.
    Sidecar,
    /// A spelling listed in the corpus gazetteer (`news-ls.toml`).
    Gazetteer,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Sidecar => "curated",
            Source::Gazetteer => "gazetteer",
        }
    }
}

/// Who a curated quotation's speaker is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedSpeaker {
    pub span: Span,
    pub text: String,
    /// The speaker's canonical name when it is normalised (`N` line).
    pub canonical: Option<String>,
}

/// What a curated span is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CuratedRole {
    Entity {
        kind: EntityKind,
        /// The annotation type as written (`PER`, `Person`).
        type_name: String,
        /// The identity (`Wikidata:Q7747`) when normalised.
        identity: Option<String>,
        /// The canonical name: the normalisation's or gazetteer's name.
        canonical: Option<String>,
    },
    Quotation {
        speaker: Option<CuratedSpeaker>,
    },
}

/// A span of an article fixed by a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedSpan {
    /// The whole extent in bytes (first fragment start to last fragment end).
    pub span: Span,
    /// The text at `span`.
    pub text: String,
    pub role: CuratedRole,
    pub source: Source,
    /// The annotation id in the sidecar (`T3`), for sidecar spans.
    pub id: Option<String>,
}

impl CuratedSpan {
    pub fn kind(&self) -> Option<EntityKind> {
        match &self.role {
            CuratedRole::Entity { kind, .. } => Some(*kind),
            CuratedRole::Quotation { .. } => None,
        }
    }
}

/// How annotation types map to entity kinds, and which names are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMap {
    /// Lower-cased type → kind.
    kinds: HashMap<String, EntityKind>,
    /// Lower-cased types that are quotations.
    quotations: Vec<String>,
    /// Lower-cased relation types linking a quotation to its speaker.
    speaker_relations: Vec<String>,
    /// The type written for each kind (`EntityKind::ALL` order).
    write: [String; 4],
    /// The type written for quotations.
    write_quotation: String,
    /// The relation type written for speakers.
    write_speaker: String,
}

impl Default for TypeMap {
    fn default() -> Self {
        let mut kinds = HashMap::new();
        for (t, k) in [
            ("person", EntityKind::Person),
            ("per", EntityKind::Person),
            ("location", EntityKind::Place),
            ("loc", EntityKind::Place),
            ("gpe", EntityKind::Place),
            ("place", EntityKind::Place),
            ("organization", EntityKind::Organization),
            ("organisation", EntityKind::Organization),
            ("org", EntityKind::Organization),
        ] {
            kinds.insert(t.to_string(), k);
        }
        TypeMap {
            kinds,
            quotations: vec!["quotation".into(), "quote".into()],
            speaker_relations: vec!["speaker".into()],
            write: [
                "Person".into(),
                "Location".into(),
                "Organization".into(),
                "Other".into(),
            ],
            write_quotation: "Quotation".into(),
            write_speaker: "Speaker".into(),
        }
    }
}

fn kind_slot(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organization => 2,
        EntityKind::Other => 3,
    }
}

impl TypeMap {
    /// The kind of an annotation type (unknown types are `other`).
    pub fn kind(&self, type_name: &str) -> EntityKind {
        self.kinds
            .get(&type_name.to_lowercase())
            .copied()
            .unwrap_or(EntityKind::Other)
    }

    pub fn is_quotation(&self, type_name: &str) -> bool {
        let t = type_name.to_lowercase();
        self.quotations.contains(&t)
    }

    pub fn is_speaker_relation(&self, type_name: &str) -> bool {
        let t = type_name.to_lowercase();
        self.speaker_relations.contains(&t)
    }

    /// Maps one more type (configuration).
    pub fn set_kind(&mut self, type_name: &str, kind: EntityKind) {
        self.kinds.insert(type_name.to_lowercase(), kind);
    }

    /// Sets the type written for a kind (configuration); it also reads as that kind.
    pub fn set_written(&mut self, kind: EntityKind, type_name: &str) {
        self.set_kind(type_name, kind);
        if let Some(slot) = self.write.get_mut(kind_slot(kind)) {
            *slot = type_name.to_string();
        }
    }

    pub fn set_quotation_type(&mut self, type_name: &str) {
        let t = type_name.to_lowercase();
        if !self.quotations.contains(&t) {
            self.quotations.push(t);
        }
        self.write_quotation = type_name.to_string();
    }

    pub fn set_speaker_relation(&mut self, type_name: &str) {
        let t = type_name.to_lowercase();
        if !self.speaker_relations.contains(&t) {
            self.speaker_relations.push(t);
        }
        self.write_speaker = type_name.to_string();
    }

    /// The type written for a kind.
    pub fn written(&self, kind: EntityKind) -> &str {
        self.write
            .get(kind_slot(kind))
            .map_or("Other", String::as_str)
    }

    pub fn quotation_type(&self) -> &str {
        &self.write_quotation
    }

    pub fn speaker_relation(&self) -> &str {
        &self.write_speaker
    }
}

/// A sidecar read against its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Entities and quotations whose text matches, in text order.
    pub spans: Vec<CuratedSpan>,
    /// Annotations whose text no longer matches.
    pub mismatches: Vec<Mismatch>,
}

/// Resolves a sidecar against the article text: offsets to bytes, types to
/// kinds, `N` lines to identities, `Speaker` relations to quotation speakers.
/// `names` gives the canonical name of an identity (from the gazetteer or the
/// corpus), when known; otherwise the `N` line's own name is used.
pub fn resolve(
    file: &AnnFile,
    text: &str,
    types: &TypeMap,
    names: &dyn Fn(&str) -> Option<String>,
) -> Resolved {
    let index = CharIndex::new(text);
    let mut anchored: HashMap<&str, (Vec<Span>, &str)> = HashMap::new();
    let mut out = Resolved::default();
    for t in file.text_bounds() {
        match check_text_bound(t, text, &index) {
            Anchor::Ok(spans) => {
                anchored.insert(t.id.as_str(), (spans, t.kind.as_str()));
            }
            Anchor::Mismatch(m) => out.mismatches.push(m),
        }
    }
    let mut identity: HashMap<&str, (String, Option<String>)> = HashMap::new();
    for n in file.normalizations() {
        let canonical = names(&n.reference).or_else(|| n.name.clone());
        identity.insert(n.target.as_str(), (n.reference.clone(), canonical));
    }
    let extent = |spans: &[Span]| {
        let start = spans.iter().map(|s| s.start).min().unwrap_or(0);
        let end = spans.iter().map(|s| s.end).max().unwrap_or(0);
        Span::new(start, end)
    };
    // Quotation → speaker annotation id.
    let mut speakers: HashMap<&str, &str> = HashMap::new();
    for r in file
        .relations()
        .filter(|r| types.is_speaker_relation(&r.kind))
    {
        let a = r.arg1.1.as_str();
        let b = r.arg2.1.as_str();
        let is_quote = |id: &str| anchored.get(id).is_some_and(|(_, k)| types.is_quotation(k));
        match (is_quote(a), is_quote(b)) {
            (true, false) => {
                speakers.insert(a, b);
            }
            (false, true) => {
                speakers.insert(b, a);
            }
            _ => {}
        }
    }
    for t in file.text_bounds() {
        let Some((spans, kind)) = anchored.get(t.id.as_str()) else {
            continue;
        };
        let span = extent(spans);
        let role = if types.is_quotation(kind) {
            let speaker = speakers.get(t.id.as_str()).and_then(|sid| {
                let (sspans, _) = anchored.get(sid)?;
                let sspan = extent(sspans);
                Some(CuratedSpeaker {
                    span: sspan,
                    text: sspan.text(text).to_string(),
                    canonical: identity.get(sid).and_then(|(_, c)| c.clone()),
                })
            });
            CuratedRole::Quotation { speaker }
        } else {
            let (ident, canonical) = match identity.get(t.id.as_str()) {
                Some((i, c)) => (Some(i.clone()), c.clone()),
                None => (None, None),
            };
            CuratedRole::Entity {
                kind: types.kind(kind),
                type_name: kind.to_string(),
                identity: ident,
                canonical,
            }
        };
        out.spans.push(CuratedSpan {
            span,
            text: span.text(text).to_string(),
            role,
            source: Source::Sidecar,
            id: Some(t.id.clone()),
        });
    }
    out.spans.sort_by_key(|s| (s.span.start, s.span.end));
    out
}

/// Indices of `sorted` (sorted by start) whose spans overlap `q`, using the
/// running maximum of ends so that nested spans are found too.
fn overlapping(sorted: &[Span], max_end: &[usize], q: Span) -> Vec<usize> {
    let upto = sorted.partition_point(|s| s.start < q.end);
    let mut out = Vec::new();
    let mut j = upto;
    while j > 0 {
        j -= 1;
        if max_end.get(j).is_none_or(|&m| m <= q.start) {
            break;
        }
        if sorted.get(j).is_some_and(|s| s.overlaps(q)) {
            out.push(j);
        }
    }
    out
}

fn running_max(spans: &[Span]) -> Vec<usize> {
    let mut m = 0;
    spans
        .iter()
        .map(|s| {
            m = m.max(s.end);
            m
        })
        .collect()
}

fn curated_mention(c: &CuratedSpan, kind: EntityKind, canonical: Option<&String>) -> Mention {
    let mut votes = KindVotes::default();
    votes.add(kind, 100);
    Mention {
        span: c.span.into(),
        text: c.text.as_str().into(),
        kind,
        votes,
        role: None,
        gazetteer: canonical.map(|c| c.as_str().into()),
    }
}

/// Makes curated spans win over detected ones:
/// - a sidecar entity replaces every detected mention it overlaps;
/// - a gazetteer entity replaces the detected mentions it overlaps when it is
///   at least as long as each of them (a longer detected name is kept), and
///   never overrides a sidecar entity;
/// - a curated quotation fixes the speaker of the detected quotation it
///   overlaps, or is added when none was detected.
///
/// Mentions stay sorted and non-overlapping; quotation `continues` indices
/// are kept valid. Mentions normalised to the same identity get the same
/// canonical name (in [`Mention::gazetteer`]), so the corpus links them as one.
pub fn merge_curated(article: &mut Article, curated: &[CuratedSpan]) {
    merge_entities(article, curated);
    merge_quotes(article, curated);
}

fn merge_entities(article: &mut Article, curated: &[CuratedSpan]) {
    let mut entities: Vec<&CuratedSpan> = curated
        .iter()
        .filter(|c| matches!(c.role, CuratedRole::Entity { .. }))
        .collect();
    if entities.is_empty() {
        return;
    }
    entities.sort_by_key(|c| (c.source, c.span.start, c.span.end));
    let mut mentions = std::mem::take(&mut article.mentions);
    mentions.sort_by_key(Mention::span);
    let spans: Vec<Span> = mentions.iter().map(|m| m.span()).collect();
    let max_end = running_max(&spans);
    let mut removed = vec![false; mentions.len()];
    let mut added: Vec<Mention> = Vec::new();
    // Curated spans kept so far, by start (they never overlap each other).
    let mut taken: BTreeMap<usize, Span> = BTreeMap::new();
    for c in entities {
        let CuratedRole::Entity {
            kind, canonical, ..
        } = &c.role
        else {
            continue;
        };
        // Never two curated spans over the same text: the first (higher priority) wins.
        let clash = taken
            .range(..c.span.end)
            .next_back()
            .is_some_and(|(_, s)| s.overlaps(c.span));
        if clash {
            continue;
        }
        let hits = overlapping(&spans, &max_end, c.span);
        if c.source == Source::Gazetteer
            && hits
                .iter()
                .any(|&i| spans.get(i).is_some_and(|s| s.len() > c.span.len()))
        {
            continue;
        }
        for i in hits {
            if let Some(r) = removed.get_mut(i) {
                *r = true;
            }
        }
        taken.insert(c.span.start, c.span);
        added.push(curated_mention(c, *kind, canonical.as_ref()));
    }
    let mut out: Vec<Mention> = mentions
        .into_iter()
        .zip(removed)
        .filter_map(|(m, r)| (!r).then_some(m))
        .collect();
    out.extend(added);
    out.sort_by_key(Mention::span);
    article.mentions = out;
}

/// A quotation span that may include its marks: the content and the marks.
fn strip_marks(text: &str, span: Span) -> (Span, Option<Span>, Option<Span>) {
    let s = span.text(text);
    let is_open = |c: char| matches!(c, '«' | '“' | '"' | '‘' | '„' | '‹' | '\'');
    let is_close = |c: char| matches!(c, '»' | '”' | '"' | '’' | '“' | '›' | '\'');
    let (mut start, mut end) = (span.start, span.end);
    let mut open = None;
    let mut close = None;
    if let Some(c) = s.chars().next().filter(|&c| is_open(c)) {
        open = Some(Span::new(start, start + c.len_utf8()));
        start += c.len_utf8();
    }
    if let Some(c) = s.chars().next_back().filter(|&c| is_close(c)) {
        if end - c.len_utf8() >= start {
            close = Some(Span::new(end - c.len_utf8(), end));
            end -= c.len_utf8();
        }
    }
    // Padding spaces inside French marks are not content.
    let inner = text.get(start..end).unwrap_or("");
    let lead = inner.len() - inner.trim_start().len();
    let trail = inner.len() - inner.trim_end().len();
    if lead + trail < inner.len() {
        start += lead;
        end -= trail;
    }
    (Span::new(start, end), open, close)
}

fn merge_quotes(article: &mut Article, curated: &[CuratedSpan]) {
    let extents: Vec<Span> = article.quotes.iter().map(Quote::extent).collect();
    let mut order: Vec<usize> = (0..extents.len()).collect();
    order.sort_by_key(|&i| extents.get(i).map(|e| (e.start, e.end)));
    let sorted: Vec<Span> = order
        .iter()
        .filter_map(|&i| extents.get(i).copied())
        .collect();
    let max_end = running_max(&sorted);
    let mut added: Vec<Quote> = Vec::new();
    for c in curated {
        let CuratedRole::Quotation { speaker } = &c.role else {
            continue;
        };
        let best = overlapping(&sorted, &max_end, c.span)
            .into_iter()
            .filter_map(|j| Some((*order.get(j)?, *sorted.get(j)?)))
            .max_by_key(|(i, e)| {
                let overlap = e
                    .end
                    .min(c.span.end)
                    .saturating_sub(e.start.max(c.span.start));
                (overlap, std::cmp::Reverse(*i))
            })
            .map(|(i, _)| i);
        match best.and_then(|i| article.quotes.get_mut(i)) {
            Some(q) => {
                q.kind = QuoteKind::Quote;
                if let Some(s) = speaker {
                    set_speaker(q, s);
                }
            }
            None => {
                let (span, open_mark, close_mark) = strip_marks_of(c);
                let mut q = Quote {
                    span: span.into(),
                    open_mark: open_mark.map(SmallSpan::from),
                    close_mark: close_mark.map(SmallSpan::from),
                    kind: QuoteKind::Quote,
                    attribution: Attribution::None,
                    speaker: None,
                    speaker_span: None,
                    cue: None,
                    continues: None,
                    nearest_candidate: None,
                };
                if let Some(s) = speaker {
                    set_speaker(&mut q, s);
                }
                added.push(q);
            }
        }
    }
    if added.is_empty() {
        return;
    }
    // Insert in text order, keeping `continues` pointing at the same quotations.
    let old = std::mem::take(&mut article.quotes);
    let n_old = old.len();
    let mut all: Vec<(usize, Quote)> = old.into_iter().enumerate().collect();
    all.extend(added.into_iter().enumerate().map(|(i, q)| (n_old + i, q)));
    all.sort_by_key(|(_, q)| (q.span().start, q.span().end));
    let mut new_index = vec![0usize; all.len()];
    for (new, (old_i, _)) in all.iter().enumerate() {
        if let Some(slot) = new_index.get_mut(*old_i) {
            *slot = new;
        }
    }
    article.quotes = all
        .into_iter()
        .map(|(_, mut q)| {
            q.continues = q
                .continues
                .and_then(|c| new_index.get(c as usize).copied())
                .map(crate::analysis::saturating_u32);
            q
        })
        .collect();
}

/// The content span and marks of a curated quotation (its text is known).
fn strip_marks_of(c: &CuratedSpan) -> (Span, Option<Span>, Option<Span>) {
    // `c.text` is the text at `c.span`: work on it with offsets relative to the span.
    let (inner, open, close) = strip_marks(&c.text, Span::new(0, c.text.len()));
    let shift = |s: Span| Span::new(s.start + c.span.start, s.end + c.span.start);
    (shift(inner), open.map(shift), close.map(shift))
}

fn set_speaker(q: &mut Quote, s: &CuratedSpeaker) {
    q.attribution = Attribution::Named;
    q.speaker = Some(s.canonical.as_deref().unwrap_or(&s.text).into());
    q.speaker_span = Some(s.span.into());
    q.nearest_candidate = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, doc: &str, kind: EntityKind) -> Mention {
        let start = doc.find(text).unwrap();
        Mention {
            span: Span::new(start, start + text.len()).into(),
            text: text.into(),
            kind,
            votes: KindVotes::default(),
            role: None,
            gazetteer: None,
        }
    }

    fn names(_: &str) -> Option<String> {
        None
    }

    const FR: &str =
        "Selon Vladimir Poutine, « la Russie ne reculera pas », a déclaré le président à Moscou.";

    fn ann_for(doc: &str, lines: &[(&str, &str, &str)]) -> String {
        // (id, type, text) → T lines with scalar offsets of the first occurrence.
        let idx = CharIndex::new(doc);
        lines
            .iter()
            .map(|(id, ty, t)| {
                let b = doc.find(t).unwrap();
                let s = idx.byte_to_char(b).unwrap();
                let e = idx.byte_to_char(b + t.len()).unwrap();
                format!("{id}\t{ty} {s} {e}\t{t}\n")
            })
            .collect()
    }

    #[test]
    fn resolves_types_identities_and_speakers() {
        let mut src = ann_for(
            FR,
            &[
                ("T1", "PER", "Vladimir Poutine"),
                ("T2", "GPE", "Moscou"),
                ("T3", "Quotation", "« la Russie ne reculera pas »"),
                ("T4", "Event", "déclaré"),
            ],
        );
        src.push_str(
            "N1\tReference T1 Wikidata:Q7747\tVladimir Putin\nR1\tSpeaker Arg1:T3 Arg2:T1\n",
        );
        let (file, problems) = AnnFile::parse(&src);
        assert!(problems.is_empty());
        let r = resolve(&file, FR, &TypeMap::default(), &names);
        assert!(r.mismatches.is_empty());
        let kinds: Vec<Option<EntityKind>> = r.spans.iter().map(|s| s.kind()).collect();
        assert_eq!(
            kinds,
            vec![
                Some(EntityKind::Person),
                None,
                Some(EntityKind::Other),
                Some(EntityKind::Place)
            ]
        );
        let CuratedRole::Entity {
            identity,
            canonical,
            ..
        } = &r.spans[0].role
        else {
            panic!()
        };
        assert_eq!(identity.as_deref(), Some("Wikidata:Q7747"));
        assert_eq!(canonical.as_deref(), Some("Vladimir Putin"));
        let CuratedRole::Quotation { speaker: Some(s) } = &r.spans[1].role else {
            panic!("speaker expected: {:?}", r.spans[1]);
        };
        assert_eq!(s.text, "Vladimir Poutine");
        assert_eq!(s.canonical.as_deref(), Some("Vladimir Putin"));
        // Arguments the other way round are understood too.
        let swapped = src.replace("Arg1:T3 Arg2:T1", "Arg1:T1 Arg2:T3");
        let (file, _) = AnnFile::parse(&swapped);
        let r = resolve(&file, FR, &TypeMap::default(), &names);
        assert!(matches!(
            &r.spans[1].role,
            CuratedRole::Quotation { speaker: Some(_) }
        ));
    }

    #[test]
    fn configured_types_change_kinds() {
        let doc = "Paris Saint-Germain won.";
        let src = ann_for(doc, &[("T1", "Team", "Paris Saint-Germain")]);
        let (file, _) = AnnFile::parse(&src);
        let mut types = TypeMap::default();
        assert_eq!(
            resolve(&file, doc, &types, &names).spans[0].kind(),
            Some(EntityKind::Other)
        );
        types.set_kind("Team", EntityKind::Organization);
        assert_eq!(
            resolve(&file, doc, &types, &names).spans[0].kind(),
            Some(EntityKind::Organization)
        );
        types.set_written(EntityKind::Person, "PER");
        assert_eq!(types.written(EntityKind::Person), "PER");
        assert_eq!(types.kind("per"), EntityKind::Person);
    }

    #[test]
    fn sidecar_entities_replace_overlapping_detections() {
        let doc = "Former president Barack Obama met Angela Merkel in Berlin.";
        let mut article = Article {
            mentions: vec![
                mention("Barack", doc, EntityKind::Place),
                mention("Obama", doc, EntityKind::Organization),
                mention("Angela Merkel", doc, EntityKind::Person),
            ],
            ..Article::default()
        };
        let src = ann_for(
            doc,
            &[("T1", "Person", "Barack Obama"), ("T2", "LOC", "Berlin")],
        );
        let (file, _) = AnnFile::parse(&src);
        let r = resolve(&file, doc, &TypeMap::default(), &names);
        merge_curated(&mut article, &r.spans);
        let got: Vec<(&str, EntityKind)> = article
            .mentions
            .iter()
            .map(|m| (&*m.text, m.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Barack Obama", EntityKind::Person),
                ("Angela Merkel", EntityKind::Person),
                ("Berlin", EntityKind::Place)
            ]
        );
        assert_eq!(article.mentions[0].votes.winner(), Some(EntityKind::Person));
    }

    #[test]
    fn gazetteer_spans_yield_to_sidecar_and_longer_detections() {
        let doc = "Vladimir Poutine et Poutine.";
        let mut article = Article {
            mentions: vec![mention("Vladimir Poutine", doc, EntityKind::Person)],
            ..Article::default()
        };
        let gaz = |text: &str, from: usize| {
            let start = doc[from..].find(text).unwrap() + from;
            CuratedSpan {
                span: Span::new(start, start + text.len()),
                text: text.into(),
                role: CuratedRole::Entity {
                    kind: EntityKind::Person,
                    type_name: "Person".into(),
                    identity: None,
                    canonical: Some("Vladimir Poutine".into()),
                },
                source: Source::Gazetteer,
                id: None,
            }
        };
        merge_curated(&mut article, &[gaz("Poutine", 0), gaz("Poutine", 18)]);
        let got: Vec<(&str, Option<&str>)> = article
            .mentions
            .iter()
            .map(|m| (&*m.text, m.gazetteer.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Vladimir Poutine", None),
                ("Poutine", Some("Vladimir Poutine"))
            ]
        );
    }

    #[test]
    fn curated_quotations_fix_speakers_or_are_added() {
        let doc = "« Nous tiendrons », a dit Olaf Scholz. \"We will hold\", Joe Biden said.";
        let detected = Quote {
            span: Span::new(3, 16).into(),
            open_mark: Some(Span::new(0, 2).into()),
            close_mark: Some(Span::new(17, 19).into()),
            kind: QuoteKind::Term,
            attribution: Attribution::None,
            speaker: None,
            speaker_span: None,
            cue: None,
            continues: None,
            nearest_candidate: Some("x".into()),
        };
        let mut follow = detected.clone();
        let w = doc.find("We will").unwrap();
        follow.span = Span::new(w, w + 12).into();
        follow.open_mark = Some(Span::new(w - 1, w).into());
        follow.close_mark = Some(Span::new(w + 12, w + 13).into());
        follow.continues = Some(0);
        let mut article = Article {
            quotes: vec![detected, follow],
            ..Article::default()
        };
        let mut src = ann_for(
            doc,
            &[
                ("T1", "Quotation", "« Nous tiendrons »"),
                ("T2", "Person", "Olaf Scholz"),
                ("T3", "Quotation", "Joe"),
                ("T4", "Person", "Biden"),
            ],
        );
        src.push_str("R1\tSpeaker Arg1:T1 Arg2:T2\nR2\tSpeaker Arg1:T3 Arg2:T4\n");
        let (file, _) = AnnFile::parse(&src);
        let r = resolve(&file, doc, &TypeMap::default(), &names);
        merge_curated(&mut article, &r.spans);
        assert_eq!(article.quotes.len(), 3);
        let q0 = &article.quotes[0];
        assert_eq!(q0.speaker.as_deref(), Some("Olaf Scholz"));
        assert_eq!(q0.attribution, Attribution::Named);
        assert_eq!(q0.kind, QuoteKind::Quote);
        assert_eq!(q0.nearest_candidate, None);
        // The added quotation ("Joe") sorts after "We will hold"; `continues` still points at 0.
        assert_eq!(article.quotes[1].continues, Some(0));
        assert_eq!(article.quotes[2].span().text(doc), "Joe");
        assert_eq!(article.quotes[2].speaker.as_deref(), Some("Biden"));
        assert_eq!(article.mentions.len(), 2, "speakers are entities too");
    }

    #[test]
    fn merging_many_spans_stays_fast() {
        // 40k detected mentions and 40k curated spans: a quadratic merge would
        // take billions of steps; this one sorts and sweeps.
        let n = 40_000;
        let mut article = Article::default();
        for i in 0..n {
            let start = i * 10;
            article.mentions.push(Mention {
                span: Span::new(start, start + 4).into(),
                text: "Abcd".into(),
                kind: EntityKind::Other,
                votes: KindVotes::default(),
                role: None,
                gazetteer: None,
            });
        }
        let curated: Vec<CuratedSpan> = (0..n)
            .map(|i| CuratedSpan {
                span: Span::new(i * 10 + 2, i * 10 + 8),
                text: "cd ef".into(),
                role: CuratedRole::Entity {
                    kind: EntityKind::Person,
                    type_name: "Person".into(),
                    identity: None,
                    canonical: None,
                },
                source: if i % 2 == 0 {
                    Source::Sidecar
                } else {
                    Source::Gazetteer
                },
                id: None,
            })
            .collect();
        merge_curated(&mut article, &curated);
        assert_eq!(article.mentions.len(), n);
        let kinds = article
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .count();
        assert_eq!(
            kinds, n,
            "every curated span wins over the shorter detection"
        );
    }

    #[test]
    fn marks_are_stripped_from_added_quotations() {
        let doc = "Il a dit « oui » hier.";
        let start = doc.find('«').unwrap();
        let end = doc.find('»').unwrap() + '»'.len_utf8();
        let c = CuratedSpan {
            span: Span::new(start, end),
            text: doc[start..end].to_string(),
            role: CuratedRole::Quotation { speaker: None },
            source: Source::Sidecar,
            id: Some("T1".into()),
        };
        let mut article = Article::default();
        merge_curated(&mut article, &[c]);
        let q = &article.quotes[0];
        assert_eq!(q.span().text(doc), "oui");
        assert_eq!(q.open_mark().map(|m| m.text(doc)), Some("«"));
        assert_eq!(q.close_mark().map(|m| m.text(doc)), Some("»"));
    }
}
