//! The outline of an article (`documentSymbol`): title with date and byline,
//! one node per section with its quotations, one collapsed node per
//! boilerplate block; and folding ranges for sections and boilerplate blocks.

use tower_lsp_server::ls_types::*;

use crate::analysis::{QuoteKind, Span};
use crate::corpus::DocEntry;

use super::convert::{self, Positions};
use super::navigation::quote_speaker;
use super::state::State;

/// Consecutive boilerplate lines (blank lines between them allowed), as
/// (first line, last line, kinds).
pub fn boilerplate_blocks(
    entry: &DocEntry,
    extra: &[crate::analysis::BoilerplateLine],
) -> Vec<(usize, usize, Vec<&'static str>)> {
    let mut lines: Vec<(usize, &'static str)> = entry
        .article
        .structure
        .boilerplate
        .iter()
        .chain(extra.iter())
        .map(|b| (b.line, b.kind.as_str()))
        .collect();
    lines.sort();
    lines.dedup_by_key(|(l, _)| *l);
    let mut blocks: Vec<(usize, usize, Vec<&'static str>)> = Vec::new();
    for (line, kind) in lines {
        let joins = blocks.last().is_some_and(|(_, last, _)| {
            (*last + 1..line).all(|l| entry.lines.is_blank(&entry.text, l))
        });
        match blocks.last_mut() {
            Some((_, last, kinds)) if joins => {
                *last = line;
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            _ => blocks.push((line, line, vec![kind])),
        }
    }
    blocks
}

fn line_range(pos: &Positions<'_>, entry: &DocEntry, first: usize, last: usize) -> Range {
    let start = entry.lines.span(first).map_or(0, |(s, _)| s);
    let end = entry.lines.span(last).map_or(entry.text.len(), |(_, e)| e);
    pos.range(Span::new(start, end.max(start)))
}

fn preview(text: &str, max: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        return t;
    }
    let mut s: String = t.chars().take(max).collect();
    s.push('…');
    s
}

#[allow(deprecated)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "(empty)".to_string()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: Range::new(range.start, range.start),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(
    state: &State,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let key = convert::uri_to_key(&params.text_document.uri);
    let entry = state.entry(&key)?;
    let pos = state.positions(&entry);
    let s = &entry.article.structure;
    let table = state.corpus.entities();
    let mut roots = Vec::new();

    // Header: the title, with date and byline as children.
    let mut header_children = Vec::new();
    if let Some(date) = &s.date {
        let range = match s.date_span {
            Some(sp) => pos.range(sp),
            None => line_range(&pos, &entry, 0, 0),
        };
        header_children.push(symbol(
            date.clone(),
            Some("date".into()),
            SymbolKind::CONSTANT,
            range,
            vec![],
        ));
    }
    if let Some(by) = &s.byline {
        let line = s.byline_line.unwrap_or(0);
        header_children.push(symbol(
            by.clone(),
            Some("byline".into()),
            SymbolKind::PROPERTY,
            line_range(&pos, &entry, line, line),
            vec![],
        ));
    }
    match &s.title {
        Some(t) => {
            let last = header_children
                .iter()
                .map(|c| c.range.end.line as usize)
                .chain([t.line])
                .max()
                .unwrap_or(t.line);
            let first = header_children
                .iter()
                .map(|c| c.range.start.line as usize)
                .chain([t.line])
                .min()
                .unwrap_or(t.line);
            let mut sym = symbol(
                t.text.clone(),
                Some("title".into()),
                SymbolKind::FILE,
                line_range(&pos, &entry, first, last),
                header_children,
            );
            if let Some((a, b)) = entry.lines.span(t.line) {
                sym.selection_range = pos.range(Span::new(a, b));
            }
            roots.push(sym);
        }
        None => roots.extend(header_children),
    }

    // Sections with their quotations.
    for (n, sec) in s.sections.iter().enumerate() {
        let lo = entry.lines.span(sec.start_line).map_or(0, |(a, _)| a);
        let hi = entry
            .lines
            .span(sec.end_line)
            .map_or(entry.text.len(), |(_, b)| b);
        let quotes: Vec<DocumentSymbol> = entry
            .article
            .quotes
            .iter()
            .filter(|q| {
                let start = q.span().start;
                q.kind == QuoteKind::Quote && start >= lo && start < hi.max(lo + 1)
            })
            .map(|q| {
                let who = quote_speaker(&entry, &table, q).unwrap_or_else(|| "?".to_string());
                let ext = q.extent();
                symbol(
                    format!("{who}: «{}»", preview(q.span().text(&entry.text), 40)),
                    Some(q.attribution.as_str().to_string()),
                    SymbolKind::STRING,
                    pos.range(ext),
                    vec![],
                )
            })
            .collect();
        let (name, detail) = match &sec.heading {
            Some(h) => (h.text.clone(), Some("section".to_string())),
            None => (
                if n == 0 {
                    "Lede".to_string()
                } else {
                    "Section".to_string()
                },
                Some(preview(entry.lines.text(&entry.text, sec.start_line), 50)),
            ),
        };
        let mut sym = symbol(
            name,
            detail,
            SymbolKind::NAMESPACE,
            line_range(&pos, &entry, sec.start_line, sec.end_line),
            quotes,
        );
        if let Some(h) = &sec.heading {
            if let Some((a, b)) = entry.lines.span(h.line) {
                sym.selection_range = pos.range(Span::new(a, b));
            }
        }
        roots.push(sym);
    }

    // One collapsed node per boilerplate block.
    let extra = state
        .corpus
        .repeated_lines(&entry, state.settings().repeat_threshold);
    for (first, last, kinds) in boilerplate_blocks(&entry, &extra) {
        roots.push(symbol(
            "boilerplate".to_string(),
            Some(kinds.join(", ")),
            SymbolKind::NULL,
            line_range(&pos, &entry, first, last),
            vec![],
        ));
    }
    roots.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    // The title leads the outline even when a breadcrumb block precedes it.
    if let Some(i) = roots
        .iter()
        .position(|r| r.detail.as_deref() == Some("title"))
    {
        let title = roots.remove(i);
        roots.insert(0, title);
    }
    Some(DocumentSymbolResponse::Nested(roots))
}

pub fn folding_ranges(state: &State, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let key = convert::uri_to_key(&params.text_document.uri);
    let entry = state.entry(&key)?;
    let s = &entry.article.structure;
    let mut out = Vec::new();
    let fold = |first: usize, last: usize, kind: Option<FoldingRangeKind>, text: Option<String>| {
        FoldingRange {
            start_line: u32::try_from(first).unwrap_or(u32::MAX),
            start_character: None,
            end_line: u32::try_from(last).unwrap_or(u32::MAX),
            end_character: None,
            kind,
            collapsed_text: text,
        }
    };
    for sec in &s.sections {
        if sec.end_line > sec.start_line {
            out.push(fold(
                sec.start_line,
                sec.end_line,
                Some(FoldingRangeKind::Region),
                None,
            ));
        }
    }
    let extra = state
        .corpus
        .repeated_lines(&entry, state.settings().repeat_threshold);
    for (first, last, kinds) in boilerplate_blocks(&entry, &extra) {
        if last > first {
            out.push(fold(
                first,
                last,
                Some(FoldingRangeKind::Comment),
                Some(format!("boilerplate: {}", kinds.join(", "))),
            ));
        }
    }
    Some(out)
}
