//! Moving around the corpus: hover cards, references, definition, highlights,
//! rename of a spelling across the corpus, and workspace symbols.

use std::collections::HashMap;
use std::path::Path;
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
    let uri = state.uri(&doc)?;
    Some(Location::new(uri, state.positions(&doc).range(span)))
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
                let here = spans_in(&entry, &table.mentions_in(e.id, &entry.path), skip);
                let mut w = LocationsJson::with_capacity(here.len() * 128);
                push_run(state, &mut w, &entry, &here);
                send_batch(w, cancel, raw, token)?;
            }
            let all = table.mentions_of(e.id);
            if let Some((raw, token)) = stream {
                let others = runs_of(state, &all, skip, Some(&entry.path));
                stream_references(state, others, cancel, raw, token)?;
                return Some(b"[]".to_vec());
            }
            let writer = LocationWriter {
                state,
                skip,
                cancel,
            };
            writer.json(&all).map(LocationsJson::finish)
        }
        Target::Quote(i) => {
            let q = entry.article.quotes.get(i)?;
            let speaker = quote_speaker(&entry, &table, q)?;
            let mut w = LocationsJson::default();
            for (doc, j) in same_speaker_quotes(state, &table, &speaker) {
                let Some(q) = doc.article.quotes.get(j) else {
                    continue;
                };
                let Some(uri) = state.uri(&doc) else {
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

/// The mentions of `refs` (in corpus order) grouped by document, each
/// document with the spans of its mentions in the version the entity table
/// was built from, `skip` left out, and the document `except` left out
/// before it is looked up.
fn runs_of<'a>(
    state: &'a State,
    refs: &'a [MentionRef],
    skip: Option<&'a MentionRef>,
    except: Option<&'a Path>,
) -> impl Iterator<Item = (Arc<DocEntry>, Vec<Span>)> + 'a {
    refs.chunk_by(same_document).filter_map(move |run| {
        let path = &run.first()?.path;
        if except.is_some_and(|p| p == &**path) {
            return None;
        }
        let doc = state.entry(path)?;
        let spans = spans_in(&doc, run, skip);
        (!spans.is_empty()).then_some((doc, spans))
    })
}

/// Whether two mentions are in the same document.
fn same_document(a: &MentionRef, b: &MentionRef) -> bool {
    a.path.as_os_str() == b.path.as_os_str()
}

/// The spans of a run of one document's mentions in the version the entity
/// table was built from, `skip` left out.
fn spans_in(doc: &DocEntry, run: &[MentionRef], skip: Option<&MentionRef>) -> Vec<Span> {
    run.iter()
        .filter(|r| Some(*r) != skip)
        .filter_map(|r| r.span_in(doc))
        .collect()
}

/// Locations written by one thread before the work is split between the
/// cores (a thread costs tens of microseconds; a location about one).
const LOCATIONS_PER_THREAD: usize = 8192;

/// What writing an entity's locations needs besides the mentions: the
/// server state, the mention left out (the declaration, when the client
/// asks so) and the request's cancellation.
struct LocationWriter<'a> {
    state: &'a State,
    skip: Option<&'a MentionRef>,
    cancel: &'a Cancel,
}

impl LocationWriter<'_> {
    /// The locations of `refs` (in corpus order), or `None` once the
    /// request is cancelled. A long list is split at document boundaries
    /// between the available cores: each writes its part (the time goes to
    /// waiting on memory: every document's entry, line table and text are
    /// read), and the parts are joined in order.
    fn json(&self, refs: &[MentionRef]) -> Option<LocationsJson> {
        let parts = match refs.len() / LOCATIONS_PER_THREAD {
            0 | 1 => 1,
            wanted => wanted.min(std::thread::available_parallelism().map_or(1, |n| n.get())),
        };
        self.json_in(refs, parts)
    }

    /// [`LocationWriter::json`] split into `parts` (at least one) written
    /// at once.
    fn json_in(&self, refs: &[MentionRef], parts: usize) -> Option<LocationsJson> {
        // About 110 bytes a location; the first part's writer receives the
        // others' locations, so it is sized for all of them (no reallocation
        // when they are joined: a second copy of megabytes at the peak).
        let bytes = |n: usize| n.saturating_mul(128);
        if parts == 1 {
            return self.write(refs, bytes(refs.len()));
        }
        let pieces = split_at_documents(refs, parts);
        let written: Vec<Option<LocationsJson>> = std::thread::scope(|scope| {
            // A part whose thread cannot be started is written here after
            // the first; a panic in a part is the request's, as on one thread.
            let rest: Vec<_> = pieces
                .iter()
                .skip(1)
                .map(|part| {
                    let spawned = std::thread::Builder::new()
                        .spawn_scoped(scope, || self.write(part, bytes(part.len())));
                    (part, spawned.ok())
                })
                .collect();
            let first = pieces
                .first()
                .and_then(|part| self.write(part, bytes(refs.len())));
            let rest = rest.into_iter().map(|(part, handle)| match handle {
                Some(h) => h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => self.write(part, bytes(part.len())),
            });
            std::iter::once(first).chain(rest).collect()
        });
        let mut parts = written.into_iter();
        let mut all = parts.next().flatten()?;
        for part in parts {
            all.append(part?);
        }
        Some(all)
    }

    /// The locations of `refs` (in corpus order), or `None` once the request
    /// is cancelled, in a writer of `capacity` bytes: [`WINDOW`] documents at
    /// a time, in phases. A document's entry, mention list, line table and
    /// text lie apart in memory and mostly outside the caches; converted one
    /// document after the other, every read of one waited for the previous.
    /// Each phase's reads are independent across the window's documents, so
    /// the processor overlaps their cache misses. Measured at 10k articles
    /// on two cores, the first byte of the most frequent entity's
    /// references: 30–32 ms without the phases, 24–28 ms with the read-ahead
    /// of line tables, texts and facts, 2–5 ms less again with that of the
    /// mention lists (alternated runs; this machine's noise is ±15 %).
    fn write(&self, refs: &[MentionRef], capacity: usize) -> Option<LocationsJson> {
        let state = self.state;
        let mut w = LocationsJson::with_capacity(capacity);
        let mut runs = refs.chunk_by(same_document);
        loop {
            if self.cancel.is_cancelled() {
                return None;
            }
            // Entries (map look-ups).
            let docs: Vec<(Arc<DocEntry>, &[MentionRef])> = runs
                .by_ref()
                .filter_map(|run| Some((state.entry(&run.first()?.path)?, run)))
                .take(WINDOW)
                .collect();
            if docs.is_empty() {
                return Some(w);
            }
            // URIs and position facts (map look-ups).
            let uris: Vec<Option<Arc<[u8]>>> =
                docs.iter().map(|(doc, _)| state.quoted_uri(doc)).collect();
            let positions: Vec<_> = docs.iter().map(|(doc, _)| state.positions(doc)).collect();
            // The mentions' spans: the documents' mention lists, then the
            // mentions in them.
            let lists = docs.iter().fold(0usize, |acc, (doc, _)| {
                acc ^ doc.article.mentions.len() ^ doc.generation as usize
            });
            let mentions = docs.iter().fold(lists, |acc, (doc, run)| {
                run.iter()
                    .filter_map(|r| doc.article.mentions.get(r.index))
                    .fold(acc, |acc, m| acc ^ m.span().start)
            });
            std::hint::black_box(mentions);
            let spans: Vec<Vec<Span>> = docs
                .iter()
                .map(|(doc, run)| spans_in(doc, run, self.skip))
                .collect();
            // What converting them reads (line tables, texts, position facts).
            let warmed = positions
                .iter()
                .zip(&spans)
                .fold(0u32, |acc, (pos, spans)| acc ^ pos.warm(spans));
            std::hint::black_box(warmed);
            for ((uri, pos), spans) in uris.iter().zip(&positions).zip(&spans) {
                if let Some(uri) = uri.as_deref().filter(|_| !spans.is_empty()) {
                    w.push_doc_quoted(uri, &pos.ranges(spans));
                }
            }
        }
    }
}

/// Documents resolved at a time by [`LocationWriter::write`].
const WINDOW: usize = 32;

/// `refs` cut into about `parts` slices of similar length, each cut moved
/// forward to the next document boundary (a document's mentions stay
/// together and in order).
fn split_at_documents(refs: &[MentionRef], parts: usize) -> Vec<&[MentionRef]> {
    let mut pieces = Vec::with_capacity(parts);
    let mut rest = refs;
    for i in (1..=parts).rev() {
        let mut cut = rest.len() / i;
        while cut > 0
            && cut < rest.len()
            && rest
                .get(cut - 1)
                .zip(rest.get(cut))
                .is_some_and(|(a, b)| same_document(a, b))
        {
            cut += 1;
        }
        let (piece, tail) = rest.split_at(cut.min(rest.len()));
        if !piece.is_empty() {
            pieces.push(piece);
        }
        rest = tail;
    }
    pieces
}

/// Appends the locations of one document's spans.
fn push_run(state: &State, w: &mut LocationsJson, doc: &DocEntry, spans: &[Span]) {
    let Some(uri) = state.quoted_uri(doc) else {
        return;
    };
    w.push_doc_quoted(&uri, &state.positions(doc).ranges(spans));
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
    // Without the spaces kept for writing a response frame in place.
    cancel.unless_cancelled(|| raw.progress(token, batch.trim_ascii_start()))?;
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
                let Some(uri) = state.uri(&doc) else {
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
                let Some(uri) = state.uri(&doc) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn refs_of(docs: &[(u8, u32)]) -> Vec<MentionRef> {
        let paths: Vec<Arc<Path>> = (0..8)
            .map(|i| Arc::from(Path::new(&format!("/c/{i}.txt"))))
            .collect();
        docs.iter()
            .filter_map(|&(doc, index)| {
                Some(MentionRef {
                    path: paths.get(usize::from(doc))?.clone(),
                    generation: 1,
                    index: index as usize,
                })
            })
            .collect()
    }

    proptest! {
        /// The parts are the list in order, none empty, at most as many as
        /// asked, and no document's mentions are split between two.
        #[test]
        fn parts_keep_documents_whole_and_in_order(
            mut docs in proptest::collection::vec((0u8..8, 0u32..50), 0..60),
            parts in 1usize..6,
        ) {
            docs.sort_by_key(|&(doc, _)| doc);
            let refs = refs_of(&docs);
            let pieces = split_at_documents(&refs, parts);
            prop_assert!(pieces.len() <= parts);
            prop_assert!(pieces.iter().all(|p| !p.is_empty()));
            let joined: Vec<MentionRef> = pieces.iter().flat_map(|p| p.iter().cloned()).collect();
            prop_assert_eq!(&joined, &refs);
            for pair in pieces.windows(2) {
                let (Some(last), Some(first)) = (pair[0].last(), pair[1].first()) else { continue };
                prop_assert!(!same_document(last, first), "a document split between parts");
            }
        }
    }

    /// Written in several parts (threads), the whole array of a frequent
    /// entity's references is the one written in one, with or without its
    /// declaration, in UTF-16 and UTF-8.
    #[test]
    fn locations_written_in_parts_equal_those_written_at_once() {
        let state = State::default();
        for i in 0..60 {
            let a = crate::synth::article(i, 12);
            let path: Arc<Path> = Arc::from(Path::new(&format!("/corpus/{}", a.name)));
            state
                .corpus
                .insert(path, Arc::from(a.text.as_str()), None, Vec::new());
        }
        let table = state.corpus.entities();
        let top = table
            .entities
            .iter()
            .max_by_key(|e| table.mentions_of(e.id).len())
            .expect("entities");
        let all = table.mentions_of(top.id);
        assert!(all.len() > 100, "{}", all.len());
        let definition = definition_of(&state, &table, top);
        let cancel = Cancel::default();
        for enc in [
            crate::text::PositionEncoding::Utf16,
            crate::text::PositionEncoding::Utf8,
        ] {
            if let Ok(mut s) = state.session.write() {
                s.encoding = enc;
            }
            for skip in [None, definition.as_ref()] {
                let writer = LocationWriter {
                    state: &state,
                    skip,
                    cancel: &cancel,
                };
                let once = writer.json_in(&all, 1).expect("written");
                let once: serde_json::Value = serde_json::from_slice(&once.finish()).expect("JSON");
                let expected = all.len() - usize::from(skip.is_some());
                assert_eq!(once.as_array().map(Vec::len), Some(expected));
                for parts in [2, 3, 7] {
                    let split = writer.json_in(&all, parts).expect("written");
                    let split: serde_json::Value =
                        serde_json::from_slice(&split.finish()).expect("JSON");
                    assert_eq!(split, once, "{parts} parts");
                }
            }
        }
    }
}
