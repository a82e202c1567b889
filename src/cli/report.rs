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
            json!({
                "start": m.span.start, "end": m.span.end,
                "line": doc.lines.line_of(m.span.start),
                "text": m.text,
                "entity": ent.map(|e| entity_id(e.id)),
                "kind": ent.map(|e| e.kind).unwrap_or(m.kind),
            })
        })
        .collect();
    let quotes: Vec<Value> = a
        .quotes
        .iter()
        .map(|q| {
            let speaker_entity = q
                .speaker_span
                .filter(|_| q.attribution == Attribution::Named)
                .and_then(|sp| {
                    a.mentions
                        .iter()
                        .position(|m| m.span.overlaps(sp))
                        .and_then(|i| table.entity_of(&doc.path, i))
                });
            json!({
                "start": q.span.start, "end": q.span.end,
                "line": doc.lines.line_of(q.span.start),
                "text": q.span.text(&doc.text),
                "kind": q.kind, "attribution": q.attribution,
                "speaker": speaker_entity.map(|e| e.name.clone()).or_else(|| q.speaker.clone()),
                "speaker_entity": speaker_entity.map(|e| entity_id(e.id)),
                "cue": q.cue.as_ref().map(|c| c.text.clone()),
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
