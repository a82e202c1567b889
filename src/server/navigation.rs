//! Moving around the corpus: hover cards, references, definition, highlights,
//! rename of a spelling across the corpus, and workspace symbols.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::analysis::{Attribution, Quote, Span};
use crate::corpus::{DocEntry, Entity, EntityView, MentionRef};

use super::convert;
use super::raw::{self, LocationsJson, RawOutput};
use super::state::State;
use super::Cancel;

/// What the cursor is on.
pub enum Target {
    Mention(usize),
    Quote(usize),
}

/// The document and the thing under a position.
pub fn target_at(state: &State, uri: &Uri, pos: Position) -> Option<(Arc<DocEntry>, Target)> {
    let key = convert::uri_to_key(uri);
    let entry = state.entry(&key)?;
    let offset = state.positions(&entry).offset(pos);
    let a = &entry.article;
    if let Some(i) = a
        .mentions
        .iter()
        .position(|m| m.span().start <= offset && offset <= m.span().end)
    {
        return Some((entry, Target::Mention(i)));
    }
    let q = a.quotes.iter().position(|q| q.extent().contains(offset))?;
    Some((entry, Target::Quote(q)))
}

/// The sentence around a span, on its line, trimmed to about 300 bytes.
pub fn sentence_around(entry: &DocEntry, span: Span) -> String {
    let line = entry.lines.line_of(span.start);
    let (ls, le) = entry.lines.span(line).unwrap_or((0, 0));
    let text = &entry.text;
    let before = text.get(ls..span.start.max(ls).min(le)).unwrap_or("");
    let after = text.get(span.end.min(le).max(ls)..le).unwrap_or("");
    let start = before
        .char_indices()
        .rev()
        .find(|(i, c)| {
            matches!(c, '.' | '!' | '?') && before.get(i + 1..).is_some_and(|r| r.starts_with(' '))
        })
        .map_or(0, |(i, _)| i + 1);
    let end = after
        .char_indices()
        .find(|(_, c)| matches!(c, '.' | '!' | '?'))
        .map_or(after.len(), |(i, c)| i + c.len_utf8());
    let mut s = format!(
        "{}{}{}",
        before.get(start..).unwrap_or(""),
        span.text(text),
        after.get(..end).unwrap_or("")
    )
    .trim()
    .to_string();
    if s.len() > 300 {
        let cut = convert::floor_boundary(&s, 300);
        s.truncate(cut);
        s.push('…');
    }
    s
}

fn title_of(entry: &DocEntry) -> String {
    entry
        .article
        .structure
        .title
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_else(|| {
            entry
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

/// The entity's first, fullest mention: the first mention written with the
/// canonical name (the article that introduces it in full), else its first mention.
pub fn definition_of(state: &State, table: &EntityView, entity: &Entity) -> Option<MentionRef> {
    table.cached_definition(entity.id, || find_definition(state, table, entity))
}

fn find_definition(state: &State, table: &EntityView, entity: &Entity) -> Option<MentionRef> {
    let all = table.mentions_of(entity.id);
    let mut doc: Option<Arc<DocEntry>> = None;
    for r in all.iter() {
        if doc.as_ref().is_none_or(|d| d.path != r.path) {
            doc = state.corpus.get(&r.path);
        }
        if doc
            .as_ref()
            .is_some_and(|d| r.span_in(d).map(|s| s.text(&d.text)) == Some(&entity.name))
        {
            return Some(r.clone());
        }
    }
    all.first().cloned()
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Markdown card of an entity.
pub fn entity_card(state: &State, table: &EntityView, entity: &Entity) -> String {
    let mut md = format!(
        "### {}\n*{}* · {} mention{} in {} article{}\n",
        md_escape(&entity.name),
        entity.kind.as_str(),
        entity.mentions,
        if entity.mentions == 1 { "" } else { "s" },
        entity.documents,
        if entity.documents == 1 { "" } else { "s" },
    );
    let spellings: Vec<String> = entity
        .aliases
        .iter()
        .map(|(a, n)| format!("{} ({n})", md_escape(a)))
        .collect();
    md.push_str(&format!("\n**Spellings:** {}\n", spellings.join(", ")));
    if !entity.roles.is_empty() {
        let roles: Vec<String> = entity
            .roles
            .iter()
            .take(5)
            .map(|(r, n)| format!("{} ({n})", md_escape(r)))
            .collect();
        md.push_str(&format!("\n**Roles:** {}\n", roles.join(", ")));
    }
    if let Some(first) = table.first_mention_of(entity.id) {
        if let Some(doc) = state.corpus.get(&first.path) {
            if let Some(span) = first.span_in(&doc) {
                md.push_str(&format!(
                    "\n**First mention** in *{}*:\n\n> {}\n",
                    md_escape(&title_of(&doc)),
                    md_escape(&sentence_around(&doc, span))
                ));
            }
        }
    }
    md
}

/// The speaker's name of a quotation, resolved through the entity table.
pub fn quote_speaker(entry: &DocEntry, table: &EntityView, q: &Quote) -> Option<String> {
    // Only a named speaker is an entity: a description such as `le ministère
    // de la Défense du Royaume-Uni` contains a place but is not that place.
    if let Some(sp) = q
        .speaker_span()
        .filter(|_| q.attribution == Attribution::Named)
    {
        if let Some(i) = entry
            .article
            .mentions
            .iter()
            .position(|m| m.span().overlaps(sp))
        {
            if let Some(e) = table.entity_of(&entry.path, i) {
                return Some(e.name.clone());
            }
        }
    }
    q.speaker.map(String::from)
}

/// Every quotation in the corpus credited to the same speaker.
fn same_speaker_quotes(
    state: &State,
    table: &EntityView,
    speaker: &str,
) -> Vec<(Arc<DocEntry>, usize)> {
    let mut out = Vec::new();
    for doc in state.corpus.documents() {
        for (i, q) in doc.article.quotes.iter().enumerate() {
            if q.attribution == Attribution::Named
                && quote_speaker(&doc, table, q).as_deref() == Some(speaker)
            {
                out.push((doc.clone(), i));
            }
        }
    }
    out
}

fn preview(text: &str, max: usize) -> String {
    let t = text.trim();
    if t.chars().count() <= max {
        return t.to_string();
    }
    let mut s: String = t.chars().take(max).collect();
    s.push('…');
    s
}

pub fn hover(state: &State, params: HoverParams) -> Option<Hover> {
    let tdp = params.text_document_position_params;
    let (entry, target) = target_at(state, &tdp.text_document.uri, tdp.position)?;
    let table = state.corpus.entities();
    let pos = state.positions(&entry);
    let (md, span) = match target {
        Target::Mention(i) => {
            let m = entry.article.mentions.get(i)?;
            let e = table.entity_of(&entry.path, i)?;
            (entity_card(state, &table, e), m.span())
        }
        Target::Quote(i) => {
            let q = entry.article.quotes.get(i)?;
            let speaker = quote_speaker(&entry, &table, q);
            let mut md = format!(
                "### Quotation · {}\n",
                match q.attribution {
                    Attribution::Named => "named speaker",
                    Attribution::Described => "described source",
                    Attribution::Anonymous => "vague source",
                    Attribution::None => "no speaker credited",
                }
            );
            match &speaker {
                Some(s) => md.push_str(&format!("\n**Speaker:** {}\n", md_escape(s))),
                None => md.push_str("\n**Speaker:** none found\n"),
            }
            if let Some(c) = &q.cue {
                md.push_str(&format!("\n**Cue:** “{}”\n", md_escape(&c.text)));
            }
            if q.attribution == Attribution::None {
                if let Some(c) = &q.nearest_candidate {
                    md.push_str(&format!("\n*Nearest candidate:* {}\n", md_escape(c)));
                }
            }
            if let Some(s) = speaker.filter(|_| q.attribution == Attribution::Named) {
                let others: Vec<String> = same_speaker_quotes(state, &table, &s)
                    .into_iter()
                    .filter(|(d, j)| !(Arc::ptr_eq(d, &entry) && *j == i))
                    .take(8)
                    .filter_map(|(d, j)| {
                        let q = d.article.quotes.get(j)?;
                        Some(format!(
                            "- «{}» — *{}*",
                            md_escape(&preview(q.span().text(&d.text), 80)),
                            md_escape(&title_of(&d))
                        ))
                    })
                    .collect();
                if !others.is_empty() {
                    md.push_str(&format!(
                        "\n**Other quotations of {}:**\n{}\n",
                        md_escape(&s),
                        others.join("\n")
                    ));
                }
            }
            (md, q.extent())
        }
    };
    let md = md + &super::annotations::hover_note(state, &entry, span);
    let contents = if state.session().markdown_hover {
        HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        })
    } else {
        HoverContents::Markup(MarkupContent {
            kind: MarkupKind::PlainText,
            value: md.replace('\\', ""),
        })
    };
    Some(Hover {
        contents,
        range: Some(pos.range(span)),
    })
}

/// The location of one mention (references and renames, which convert many
/// at once, go through [`push_run`]).
fn location(state: &State, r: &MentionRef) -> Option<Location> {
    let doc = state.entry(&r.path)?;
    let span = r.span_in(&doc)?;
    let uri = uri_of(state, &doc)?;
    Some(Location::new(uri, state.positions(&doc).range(span)))
}

/// The URI of a corpus document (the client's own URI when it is open).
pub fn uri_of(state: &State, doc: &DocEntry) -> Option<Uri> {
    if let Some(open) = state.open.get(&doc.path) {
        return Some(open.uri.clone());
    }
    convert::key_to_uri(&doc.path)
}

/// Locations sent per `$/progress` notification when streaming references
/// (after the first, which holds the current document's).
const BATCH: usize = 4096;

/// `textDocument/references` as JSON bytes (an array of `Location`s), or
/// `None` when nothing is under the cursor or the request was cancelled.
/// With a `partialResultToken` and the transport's output, the locations go
/// out as partial results instead (see [`stream_references`]) and the
/// answer is `[]`.
pub fn references_json(
    state: &State,
    params: ReferenceParams,
    cancel: &Cancel,
    raw: Option<&RawOutput>,
) -> Option<Vec<u8>> {
    let token = params.partial_result_params.partial_result_token;
    let stream = raw.zip(token.as_ref());
    let tdp = params.text_document_position;
    let (entry, target) = target_at(state, &tdp.text_document.uri, tdp.position)?;
    let table = state.corpus.entities();
    match target {
        Target::Mention(i) => {
            let e = table.entity_of(&entry.path, i)?;
            let skip = if params.context.include_declaration {
                None
            } else {
                definition_of(state, &table, e)
            };
            let skip = skip.as_ref();
            // Streamed, the current document's mentions go out first, before
            // the entity's mentions across the corpus are even gathered (at
            // 100k articles that took hundreds of milliseconds).
            if let Some((raw, token)) = stream {
                let here: Vec<Span> = table
                    .mentions_in(e.id, &entry.path)
                    .iter()
                    .filter(|r| Some(*r) != skip)
                    .filter_map(|r| r.span_in(&entry))
                    .collect();
                let mut w = LocationsJson::with_capacity(here.len() * 128);
                push_run(state, &mut w, &entry, &here);
                send_batch(w, cancel, raw, token)?;
            }
            let all = table.mentions_of(e.id);
            // Mentions come in corpus order: one run of spans per document.
            let runs = all
                .chunk_by(|a, b| a.path.as_os_str() == b.path.as_os_str())
                .filter(|run| {
                    stream.is_none() || run.first().is_some_and(|r| *r.path != *entry.path)
                })
                .filter_map(|run| {
                    let doc = state.entry(&run.first()?.path)?;
                    let spans: Vec<Span> = run
                        .iter()
                        .filter(|r| Some(*r) != skip)
                        .filter_map(|r| r.span_in(&doc))
                        .collect();
                    (!spans.is_empty()).then_some((doc, spans))
                });
            if let Some((raw, token)) = stream {
                stream_references(state, runs, cancel, raw, token)?;
                return Some(b"[]".to_vec());
            }
            let mut w = LocationsJson::with_capacity(all.len() * 128);
            for (path, spans) in runs {
                if cancel.is_cancelled() {
                    return None;
                }
                push_run(state, &mut w, &path, &spans);
            }
            Some(w.finish())
        }
        Target::Quote(i) => {
            let q = entry.article.quotes.get(i)?;
            let speaker = quote_speaker(&entry, &table, q)?;
            let mut w = LocationsJson::default();
            for (doc, j) in same_speaker_quotes(state, &table, &speaker) {
                let Some(q) = doc.article.quotes.get(j) else {
                    continue;
                };
                let Some(uri) = uri_of(state, &doc) else {
                    continue;
                };
                w.push_doc(&uri, &[state.positions(&doc).range(q.extent())]);
            }
            if let Some((raw, token)) = stream {
                send_batch(w, cancel, raw, token)?;
                return Some(b"[]".to_vec());
            }
            Some(w.finish())
        }
    }
}

/// Appends the locations of one document's spans.
fn push_run(state: &State, w: &mut LocationsJson, doc: &DocEntry, spans: &[Span]) {
    let Some(uri) = uri_of(state, doc) else {
        return;
    };
    w.push_doc(&uri, &state.positions(doc).ranges(spans));
}

/// Sends one batch of locations as a partial result (`$/progress` with the
/// client's token, its value a `Location[]`); nothing when it is empty.
/// `None` once the request is cancelled (nothing is sent after
/// tower-lsp-server has answered the cancellation: see
/// [`Cancel::unless_cancelled`]).
fn send_batch(
    w: LocationsJson,
    cancel: &Cancel,
    raw: &RawOutput,
    token: &ProgressToken,
) -> Option<()> {
    if w.is_empty() {
        return Some(());
    }
    let batch = w.finish();
    cancel.unless_cancelled(|| raw.progress(token, &batch))?;
    Some(())
}

/// Sends the references of the documents other than the current one (whose
/// own went first) as partial results: the other open documents' first,
/// then the rest in batches of about [`BATCH`] locations.
fn stream_references(
    state: &State,
    runs: impl Iterator<Item = (Arc<DocEntry>, Vec<Span>)>,
    cancel: &Cancel,
    raw: &RawOutput,
    token: &ProgressToken,
) -> Option<()> {
    let (open, rest): (Vec<_>, Vec<_>) =
        runs.partition(|(doc, _)| state.open.contains_key(&doc.path));
    let mut w = LocationsJson::with_capacity(BATCH * 128);
    for (doc, spans) in open.into_iter().chain(rest) {
        if cancel.is_cancelled() {
            return None;
        }
        push_run(state, &mut w, &doc, &spans);
        if w.len() >= BATCH {
            let full = std::mem::replace(&mut w, LocationsJson::with_capacity(BATCH * 128));
            send_batch(full, cancel, raw, token)?;
        }
    }
    send_batch(w, cancel, raw, token)
}

pub fn definition(state: &State, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let tdp = params.text_document_position_params;
    let (entry, target) = target_at(state, &tdp.text_document.uri, tdp.position)?;
    let Target::Mention(i) = target else {
        return None;
    };
    let table = state.corpus.entities();
    let e = table.entity_of(&entry.path, i)?;
    let def = definition_of(state, &table, e)?;
    location(state, &def).map(GotoDefinitionResponse::Scalar)
}

pub fn highlights(
    state: &State,
    params: DocumentHighlightParams,
) -> Option<Vec<DocumentHighlight>> {
    let tdp = params.text_document_position_params;
    let (entry, target) = target_at(state, &tdp.text_document.uri, tdp.position)?;
    let Target::Mention(i) = target else {
        return None;
    };
    let table = state.corpus.entities();
    let e = table.entity_of(&entry.path, i)?;
    let pos = state.positions(&entry);
    Some(
        table
            .mentions_in(e.id, &entry.path)
            .iter()
            .filter_map(|r| {
                Some(DocumentHighlight {
                    range: pos.range(r.span_in(&entry)?),
                    kind: Some(DocumentHighlightKind::TEXT),
                })
            })
            .collect(),
    )
}

fn not_a_name() -> Error {
    Error::invalid_params(
        "news-ls: place the cursor on a name (a person, place or organization) to rename it",
    )
}

pub fn prepare_rename(
    state: &State,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((entry, Target::Mention(i))) =
        target_at(state, &params.text_document.uri, params.position)
    else {
        return Err(not_a_name());
    };
    let m = entry.article.mentions.get(i).ok_or_else(not_a_name)?;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: state.positions(&entry).range(m.span()),
        placeholder: m.text.to_string(),
    }))
}

/// Rewrites every mention of the entity that uses the renamed spelling, across
/// the corpus (open and unopened files): the `WorkspaceEdit` as JSON bytes.
pub fn rename_json(state: &State, params: RenameParams, cancel: &Cancel) -> Result<Vec<u8>> {
    let new_name = params.new_name.trim();
    if new_name.is_empty() || new_name.contains(['\n', '\r']) {
        return Err(Error::invalid_params(
            "news-ls: the new spelling must be non-empty and on one line",
        ));
    }
    let tdp = params.text_document_position;
    let Some((entry, Target::Mention(i))) = target_at(state, &tdp.text_document.uri, tdp.position)
    else {
        return Err(not_a_name());
    };
    let m = entry.article.mentions.get(i).ok_or_else(not_a_name)?;
    let old = m.text;
    let table = state.corpus.entities();
    let e = table.entity_of(&entry.path, i).ok_or_else(not_a_name)?;
    let refs = table.mentions_of(e.id);
    // One entry per document, in corpus order (a document's edits together
    // even if its mentions were not).
    let mut docs: Vec<(Uri, Vec<Range>)> = Vec::new();
    let mut index: HashMap<Arc<std::path::Path>, usize> = HashMap::new();
    // Mentions come in corpus order: one run of spans per document.
    for run in refs.chunk_by(|a, b| a.path.as_os_str() == b.path.as_os_str()) {
        let Some(first) = run.first() else { continue };
        if cancel.is_cancelled() {
            return Err(Error::request_cancelled());
        }
        let Some(doc) = state.entry(&first.path) else {
            continue;
        };
        let spans: Vec<Span> = run
            .iter()
            .filter_map(|r| r.span_in(&doc))
            .filter(|s| s.text(&doc.text) == old.as_ref())
            .collect();
        if spans.is_empty() {
            continue;
        }
        let ranges = state.positions(&doc).ranges(&spans);
        match index.get(&first.path).and_then(|&k| docs.get_mut(k)) {
            Some((_, existing)) => existing.extend(ranges),
            None => {
                let Some(uri) = uri_of(state, &doc) else {
                    continue;
                };
                index.insert(first.path.clone(), docs.len());
                docs.push((uri, ranges));
            }
        }
    }
    let mut new_text = Vec::new();
    raw::push_str(&mut new_text, new_name);
    let edits: usize = docs.iter().map(|(_, r)| r.len()).sum();
    let mut out = Vec::with_capacity(32 + edits * (80 + new_text.len()) + docs.len() * 128);
    out.extend_from_slice(br#"{"changes":{"#);
    for (k, (uri, ranges)) in docs.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        raw::push_str(&mut out, uri.as_str());
        out.extend_from_slice(b":[");
        for (j, r) in ranges.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"range":"#);
            raw::push_range(&mut out, r);
            out.extend_from_slice(br#","newText":"#);
            out.extend_from_slice(&new_text);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}}");
    Ok(out)
}

/// Accent- and case-insensitive form for matching user queries.
pub fn fold_query(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether every char of `query` appears in order in `name` (fuzzy match), and a
/// score (lower is better): exact prefix < substring < subsequence.
fn fuzzy(name: &str, query: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(3);
    }
    if name.starts_with(query) {
        return Some(0);
    }
    if name.contains(query) {
        return Some(1);
    }
    let mut chars = name.chars();
    query
        .chars()
        .all(|q| chars.by_ref().any(|c| c == q))
        .then_some(2)
}

pub fn symbol_kind(kind: crate::analysis::EntityKind) -> SymbolKind {
    use crate::analysis::EntityKind as K;
    match kind {
        K::Person => SymbolKind::VARIABLE,
        K::Place => SymbolKind::NAMESPACE,
        K::Organization => SymbolKind::CLASS,
        K::Other => SymbolKind::ENUM_MEMBER,
    }
}

/// A workspace symbol candidate, before its location is computed.
enum SymbolCandidate {
    Entity(usize),
    Article(Arc<DocEntry>),
}

/// Entities and article titles matching a query (fuzzy, accent- and
/// case-insensitive), best first, at most 256. Names are folded once per
/// entity table and per document version; locations are computed only for
/// the symbols returned.
#[allow(deprecated)]
pub fn workspace_symbols(
    state: &State,
    params: WorkspaceSymbolParams,
    cancel: &Cancel,
) -> Option<WorkspaceSymbolResponse> {
    let q = fold_query(&params.query);
    let table = state.corpus.entities();
    let keys = table.search_keys(fold_query);
    // (score, secondary, tie-break, candidate): entities in table order, then
    // articles in path order, as a stable sort over that sequence would give.
    let mut scored: Vec<(u32, usize, usize, SymbolCandidate)> = Vec::new();
    for (e, names) in table.entities.iter().zip(keys.iter()) {
        if cancel.is_cancelled() {
            return None;
        }
        let Some(score) = names.iter().filter_map(|n| fuzzy(n, &q)).min() else {
            continue;
        };
        scored.push((
            score,
            usize::MAX - e.mentions,
            e.id,
            SymbolCandidate::Entity(e.id),
        ));
    }
    for doc in state.corpus.documents_unordered() {
        if cancel.is_cancelled() {
            return None;
        }
        let Some(t) = doc.article.structure.title.as_ref() else {
            continue;
        };
        let key = doc.title_key.get_or_init(|| fold_query(&t.text));
        let Some(score) = fuzzy(key, &q) else {
            continue;
        };
        scored.push((score, usize::MAX, 0, SymbolCandidate::Article(doc)));
    }
    scored.sort_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| match (&a.3, &b.3) {
                (SymbolCandidate::Article(x), SymbolCandidate::Article(y)) => {
                    x.path.as_os_str().cmp(y.path.as_os_str())
                }
                _ => std::cmp::Ordering::Equal,
            })
    });
    let mut out = Vec::new();
    for (_, _, _, c) in scored {
        if out.len() >= 256 {
            break;
        }
        if cancel.is_cancelled() {
            return None;
        }
        let symbol = match c {
            SymbolCandidate::Entity(id) => {
                let Some(e) = table.entity(id) else { continue };
                let Some(def) = definition_of(state, &table, e) else {
                    continue;
                };
                let Some(loc) = location(state, &def) else {
                    continue;
                };
                SymbolInformation {
                    name: e.name.clone(),
                    kind: symbol_kind(e.kind),
                    tags: None,
                    deprecated: None,
                    location: loc,
                    container_name: Some(format!("{} · {} mentions", e.kind.as_str(), e.mentions)),
                }
            }
            SymbolCandidate::Article(doc) => {
                let Some(t) = doc.article.structure.title.as_ref() else {
                    continue;
                };
                let Some(uri) = uri_of(state, &doc) else {
                    continue;
                };
                let Some((s, e)) = doc.lines.span(t.line) else {
                    continue;
                };
                let range = state.positions(&doc).range(Span::new(s, e));
                SymbolInformation {
                    name: t.text.clone(),
                    kind: SymbolKind::FILE,
                    tags: None,
                    deprecated: None,
                    location: Location::new(uri, range),
                    container_name: Some("article".to_string()),
                }
            }
        };
        out.push(symbol);
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}
