//! The JSON shapes of `news-ls analyze` and `news-ls check --format json`.
//! Field names are a contract with scoring tools and scripts: add, never rename.

use serde_json::{json, Value};

use crate::analysis::rules::{Finding, Severity};
use crate::analysis::Attribution;
use crate::config::Settings;
use crate::corpus::{Corpus, DocEntry, EntityTable};
use crate::text::{PositionEncoding, TextPositions};

/// Entity id as printed: `e1`, `e2`, …
pub fn entity_id(id: usize) -> String {
    format!("e{}", id + 1)
}

pub fn diagnostic_json(pos: &TextPositions, f: &Finding) -> Value {
    let a = pos.position(f.span.start, PositionEncoding::Utf16);
    let b = pos.position(f.span.end, PositionEncoding::Utf16);
    json!({
        "line": a.line, "character": a.character,
        "end_line": b.line, "end_character": b.character,
        "severity": f.severity.as_str(), "code": f.code, "message": f.message,
        "data": f.data,
    })
}

/// One document of the contract.
pub fn document_json(
    doc: &DocEntry,
    findings: &[Finding],
    table: &EntityTable,
    corpus: &Corpus,
    settings: &Settings,
) -> Value {
    let a = &doc.article;
    let s = &a.structure;
    let pos = TextPositions::new(&doc.text);
    let mentions: Vec<Value> = a
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let ent = table.entity_of(&doc.path, i);
            let span = m.span();
            json!({
                "start": span.start, "end": span.end,
                "line": doc.lines.line_of(span.start),
                "text": m.text,
                "entity": ent.map(|e| entity_id(e.id)),
                "kind": ent.map(|e| e.kind).unwrap_or(m.kind),
            })
        })
        .collect();
    let overlapping = MentionIndex::new(&a.mentions);
    let quotes: Vec<Value> = a
        .quotes
        .iter()
        .map(|q| {
            let speaker_entity = q
                .speaker_span()
                .filter(|_| q.attribution == Attribution::Named)
                .and_then(|sp| {
                    overlapping
                        .first_overlapping(&a.mentions, sp)
                        .and_then(|i| table.entity_of(&doc.path, i))
                });
            let span = q.span();
            json!({
                "start": span.start, "end": span.end,
                "line": doc.lines.line_of(span.start),
                "text": span.text(&doc.text),
                "kind": q.kind, "attribution": q.attribution,
                "speaker": speaker_entity.map(|e| e.name.clone()).or_else(|| q.speaker.map(String::from)),
                "speaker_entity": speaker_entity.map(|e| entity_id(e.id)),
                "cue": q.cue.as_ref().map(|c| c.text),
                "continues": q.continues,
            })
        })
        .collect();
    let mut boilerplate: Vec<Value> = s
        .boilerplate
        .iter()
        .map(|b| json!({"line": b.line, "kind": b.kind.as_str(), "text": b.text}))
        .collect();
    for b in corpus.repeated_lines(doc, settings.repeat_threshold) {
        boilerplate.push(json!({"line": b.line, "kind": b.kind.as_str(), "text": b.text}));
    }
    json!({
        "path": doc.path.display().to_string(),
        "language": a.language,
        "title": s.title.as_ref().map(|t| json!({"line": t.line, "text": t.text})),
        "date": s.date,
        "byline": s.byline,
        "mentions": mentions,
        "quotes": quotes,
        "boilerplate": boilerplate,
        "headings": s.headings.iter().map(|h| json!({"line": h.line, "text": h.text})).collect::<Vec<_>>(),
        "captions": s.captions.iter().map(|h| json!({"line": h.line, "text": h.text})).collect::<Vec<_>>(),
        "diagnostics": findings.iter().map(|f| diagnostic_json(&pos, f)).collect::<Vec<_>>(),
    })
}

pub fn entities_json(table: &EntityTable) -> Vec<Value> {
    table
        .entities
        .iter()
        .map(|e| {
            json!({
                "id": entity_id(e.id), "name": e.name, "kind": e.kind,
                "aliases": e.aliases.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(),
                "mentions": e.mentions, "documents": e.documents,
            })
        })
        .collect()
}

/// Whether any finding is at warning level or above.
pub fn has_warnings(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|f| matches!(f.severity, Severity::Warning | Severity::Error))
}

/// Finds the first mention (lowest index) overlapping a span without scanning
/// every mention for every quotation (linear-time reports on huge articles).
struct MentionIndex {
    /// Mention indices sorted by start.
    by_start: Vec<usize>,
    /// The longest mention, in bytes.
    longest: usize,
}

impl MentionIndex {
    fn new(mentions: &[crate::analysis::Mention]) -> Self {
        let mut by_start: Vec<usize> = (0..mentions.len()).collect();
        by_start.sort_by_key(|&i| mentions.get(i).map(|m| m.span().start));
        let longest = mentions.iter().map(|m| m.span().len()).max().unwrap_or(0);
        MentionIndex { by_start, longest }
    }

    fn first_overlapping(
        &self,
        mentions: &[crate::analysis::Mention],
        sp: crate::analysis::Span,
    ) -> Option<usize> {
        let start_of = |i: &usize| mentions.get(*i).map_or(0, |m| m.span().start);
        // An overlapping mention starts after `sp.start - longest` and before `sp.end`.
        let lo = sp.start.saturating_sub(self.longest);
        let from = self.by_start.partition_point(|i| start_of(i) < lo);
        let to = self
            .by_start
            .partition_point(|i| start_of(i) < sp.end.max(lo));
        self.by_start
            .get(from..to.max(from))
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|&i| mentions.get(i).is_some_and(|m| m.span().overlaps(sp)))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Mention, Span};

    fn mention(start: usize, end: usize) -> Mention {
        Mention {
            span: Span::new(start, end).into(),
            text: crate::analysis::Atom::new(""),
            kind: Default::default(),
            votes: Default::default(),
            role: None,
            gazetteer: None,
        }
    }

    #[test]
    fn mention_index_finds_the_first_overlapping_mention() {
        let ms = vec![
            mention(50, 60),
            mention(0, 10),
            mention(20, 45),
            mention(40, 42),
        ];
        let idx = MentionIndex::new(&ms);
        let linear = |sp: Span| ms.iter().position(|m| m.span().overlaps(sp));
        for (a, b) in [
            (0, 5),
            (9, 21),
            (41, 41),
            (44, 52),
            (61, 70),
            (10, 20),
            (0, 100),
        ] {
            let sp = Span::new(a, b);
            assert_eq!(idx.first_overlapping(&ms, sp), linear(sp), "{sp:?}");
        }
    }
}
