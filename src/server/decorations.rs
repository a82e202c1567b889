//! What the editor paints over the text: semantic tokens for entity mentions,
//! inlay hints naming each quotation's speaker, and the code lens that counts
//! an article's people, places, organizations and quotations.

use std::collections::HashSet;

use serde_json::json;
use tower_lsp_server::ls_types::*;

use crate::analysis::{Attribution, EntityKind, QuoteKind, Span};
use crate::config::InlayHintMode;

use super::convert;
use super::navigation::quote_speaker;
use super::state::State;

fn token_type(kind: EntityKind) -> u32 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organization => 2,
        EntityKind::Other => 3,
    }
}

pub fn semantic_tokens(state: &State, uri: &Uri, range: Option<Range>) -> Option<SemanticTokens> {
    let key = convert::uri_to_key(uri);
    let entry = state.entry(&key)?;
    let pos = state.positions(&entry);
    let table = state.corpus.entities();
    let (lo, hi) = match range {
        Some(r) => (pos.offset(r.start), pos.offset(r.end)),
        None => (0, entry.text.len()),
    };
    let mut data = Vec::new();
    let (mut prev_line, mut prev_char) = (0u32, 0u32);
    for (i, m) in entry.article.mentions.iter().enumerate() {
        let span = m.span();
        if span.end < lo || span.start > hi {
            continue;
        }
        let start = pos.position(span.start);
        let end = pos.position(span.end);
        if end.line != start.line || end.character <= start.character {
            continue; // tokens never span lines
        }
        let kind = table.entity_of(&entry.path, i).map_or(m.kind, |e| e.kind);
        let delta_line = start.line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_char
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: token_type(kind),
            token_modifiers_bitset: 0,
        });
        prev_line = start.line;
        prev_char = start.character;
    }
    Some(SemanticTokens {
        result_id: None,
        data,
    })
}

pub fn inlay_hints(state: &State, params: InlayHintParams) -> Option<Vec<InlayHint>> {
    let mode = state.settings().inlay_hints;
    if mode == InlayHintMode::Off {
        return Some(Vec::new());
    }
    let key = convert::uri_to_key(&params.text_document.uri);
    let entry = state.entry(&key)?;
    let pos = state.positions(&entry);
    let table = state.corpus.entities();
    let lo = pos.offset(params.range.start);
    let hi = pos.offset(params.range.end);
    let mut out = Vec::new();
    for q in &entry.article.quotes {
        if q.kind != QuoteKind::Quote {
            continue;
        }
        let unattributed = matches!(q.attribution, Attribution::None | Attribution::Anonymous);
        if mode == InlayHintMode::UnattributedOnly && !unattributed {
            continue;
        }
        let ext = q.extent();
        if ext.end < lo || ext.end > hi {
            continue;
        }
        let label = match (q.attribution, quote_speaker(&entry, &table, q)) {
            (Attribution::None, _) => "— unattributed".to_string(),
            (Attribution::Anonymous, Some(s)) => format!("— {s} (vague)"),
            (_, Some(s)) => format!("— {s}"),
            (_, None) => "— ?".to_string(),
        };
        out.push(InlayHint {
            position: pos.position(ext.end),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: q
                .cue
                .as_ref()
                .map(|c| InlayHintTooltip::String(format!("cue: {}", c.text))),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    Some(out)
}

pub fn code_lenses(state: &State, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    let key = convert::uri_to_key(&params.text_document.uri);
    let entry = state.entry(&key)?;
    let line = entry.article.structure.title.as_ref().map_or(0, |t| t.line);
    let (a, b) = entry.lines.span(line).unwrap_or((0, 0));
    let range = state.positions(&entry).range(Span::new(a, b));
    Some(vec![CodeLens {
        range,
        command: None,
        data: Some(json!({ "uri": params.text_document.uri.as_str() })),
    }])
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn resolve_code_lens(state: &State, mut lens: CodeLens) -> CodeLens {
    let uri: Option<Uri> = lens
        .data
        .as_ref()
        .and_then(|d| d.get("uri"))
        .and_then(|u| u.as_str())
        .and_then(|u| u.parse().ok());
    let title = match uri.and_then(|u| state.entry(&convert::uri_to_key(&u))) {
        Some(entry) => {
            let table = state.corpus.entities();
            let mut seen: [HashSet<usize>; 4] = Default::default();
            for i in 0..entry.article.mentions.len() {
                if let Some(e) = table.entity_of(&entry.path, i) {
                    if let Some(set) = seen.get_mut(token_type(e.kind) as usize) {
                        set.insert(e.id);
                    }
                }
            }
            let quotes = entry
                .article
                .quotes
                .iter()
                .filter(|q| q.kind == QuoteKind::Quote)
                .count();
            format!(
                "{} · {} · {} · {}",
                plural(seen[0].len(), "person", "people"),
                plural(seen[1].len(), "place", "places"),
                plural(seen[2].len(), "organization", "organizations"),
                plural(quotes, "quotation", "quotations"),
            )
        }
        None => "article not indexed".to_string(),
    };
    lens.command = Some(Command {
        title,
        command: String::new(),
        arguments: None,
    });
    lens
}
