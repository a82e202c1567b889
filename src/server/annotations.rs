//! Curated annotations in the editor: reading `.ann` sidecars and
//! `news-ls.toml` at the workspace roots (at start and when they change on
//! disk), diagnostics on `news-ls.toml` itself and on unreadable sidecar
//! lines, curated spans following edits of an open article (written back on
//! save), hover provenance, and the annotation code actions, carried out by
//! `workspace/executeCommand` commands that write the files atomically and
//! re-index at once.
//!
//! Every write is an explicit user action (a command, or saving the article
//! whose annotations moved), goes only to an `.ann` beside a workspace article
//! or to a root's `news-ls.toml`, and replaces the file atomically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use crate::analysis::rules::{annotation_mismatch, Finding};
use crate::analysis::{EntityKind, Lines, QuoteKind, Span};
use crate::annotations::brat::{AnnFile, CharIndex, Item, Update};
use crate::annotations::curated::Source;
use crate::annotations::export::{self, split_lines, DocFacts};
use crate::annotations::gazetteer::{self, FILE_NAME};
use crate::annotations::index::{ann_path_for, relative, RootConfig};
use crate::annotations::{fsio, spans};
use crate::corpus::DocEntry;
use crate::text::Change;

use super::convert::{self, Positions};
use super::diagnostics;
use super::state::State;

/// Commands executed by `workspace/executeCommand`.
pub const ANNOTATE: &str = "news-ls.annotate";
pub const LINK_ENTITY: &str = "news-ls.linkEntity";
pub const NOT_ENTITY: &str = "news-ls.notEntity";
pub const SET_SPEAKER: &str = "news-ls.setSpeaker";
pub const ACCEPT_ALL: &str = "news-ls.acceptAll";
pub const REANCHOR: &str = "news-ls.reanchor";
pub const SUPPRESS: &str = "news-ls.suppress";

/// Every command, for the server capabilities.
pub const COMMANDS: [&str; 7] = [
    ANNOTATE,
    LINK_ENTITY,
    NOT_ENTITY,
    SET_SPEAKER,
    ACCEPT_ALL,
    REANCHOR,
    SUPPRESS,
];

/// Code action kinds offered here (added to the capabilities).
pub const ANNOTATE_KIND: &str = "refactor.annotate";
pub const ACCEPT_KIND: &str = "source.acceptAnnotations";

/// Installs the annotation index as the corpus's curation.
pub fn install(state: &State) {
    state.corpus.set_curation(state.annotations.clone());
}

/// Whether a file is an annotation file (`.ann`, `news-ls.toml`), which the
/// article handlers leave alone.
pub fn claims(key: &Path) -> bool {
    fsio::is_writable_kind(key)
}

// ---- loading and reloading ---------------------------------------------------

/// Reads the gazetteers and sidecars under the workspace roots (before
/// indexing, so that the articles are analysed with them) and publishes the
/// gazetteers' diagnostics.
pub async fn load_workspace(client: &Client, state: &Arc<State>) {
    let st = state.clone();
    let configs = tokio::task::spawn_blocking(move || {
        st.annotations.set_roots(st.session().roots);
        let configs = st.annotations.load_configs();
        st.annotations.load_sidecars();
        st.corpus.set_options(st.annotations.analysis_options());
        configs
    })
    .await
    .unwrap_or_default();
    for c in configs {
        publish_config(client, state, &c, &[]).await;
    }
}

/// After indexing: reports suppressions that hide nothing and unreadable
/// sidecar lines.
pub async fn after_indexing(client: &Client, state: &Arc<State>) {
    publish_all_configs(client, state).await;
    for (_, sidecar) in state.annotations.loaded_sidecars() {
        if !sidecar.problems.is_empty() {
            publish_sidecar(client, state, &sidecar.ann_path).await;
        }
    }
}

/// Publishes the diagnostics of every root's `news-ls.toml`, with the
/// suppressions that no longer match anything.
async fn publish_all_configs(client: &Client, state: &Arc<State>) {
    let st = state.clone();
    let unused = tokio::task::spawn_blocking(move || {
        let threshold = st.settings().repeat_threshold;
        st.annotations.unused_suppressions(&st.corpus, threshold)
    })
    .await
    .unwrap_or_default();
    for c in state.annotations.configs() {
        let mine: Vec<usize> = unused
            .iter()
            .filter(|(u, _)| u.root == c.root)
            .map(|(_, i)| *i)
            .collect();
        publish_config(client, state, &c, &mine).await;
    }
}

/// The diagnostics of one `news-ls.toml`.
pub fn config_diagnostics(state: &State, c: &RootConfig, unused: &[usize]) -> Vec<Diagnostic> {
    let lines = Lines::new(&c.text);
    let pos = Positions::new(&c.text, &lines, state.encoding());
    let mut out: Vec<Diagnostic> = c
        .gazetteer
        .issues
        .iter()
        .map(|i| Diagnostic {
            range: pos.range(Span::new(i.span.start, i.span.end)),
            severity: Some(convert::severity(i.severity)),
            code: Some(NumberOrString::String("gazetteer".to_string())),
            source: Some("news-ls".to_string()),
            message: i.message.clone(),
            ..Diagnostic::default()
        })
        .collect();
    for &i in unused {
        if let Some(s) = c.gazetteer.suppress.get(i) {
            out.push(Diagnostic {
                range: pos.range(Span::new(s.span.start, s.span.end)),
                severity: Some(DiagnosticSeverity::WARNING),
                code: Some(NumberOrString::String("unused-suppression".to_string())),
                source: Some("news-ls".to_string()),
                message: format!(
                    "this suppression of `{}` no longer hides anything{}; remove it",
                    s.code,
                    s.file
                        .as_deref()
                        .map(|f| format!(" in `{f}`"))
                        .unwrap_or_default()
                ),
                tags: Some(vec![DiagnosticTag::UNNECESSARY]),
                ..Diagnostic::default()
            });
        }
    }
    out
}

async fn publish_config(client: &Client, state: &Arc<State>, c: &RootConfig, unused: &[usize]) {
    let Some(uri) = convert::key_to_uri(&c.path) else {
        return;
    };
    let diags = config_diagnostics(state, c, unused);
    client.publish_diagnostics(uri, diags, None).await;
}

/// Publishes the unreadable lines of a sidecar (empty when it has none).
async fn publish_sidecar(client: &Client, state: &Arc<State>, ann_path: &Path) {
    let Some(uri) = convert::key_to_uri(ann_path) else {
        return;
    };
    let article = ann_path.with_extension("txt");
    let diags = match state.annotations.sidecar(&article) {
        Some(s) => {
            let text = s.file.render();
            let lines = Lines::new(&text);
            let pos = Positions::new(&text, &lines, state.encoding());
            s.problems
                .iter()
                .map(|p| {
                    let (a, b) = lines.span(p.line).unwrap_or((0, 0));
                    Diagnostic {
                        range: pos.range(Span::new(a, b)),
                        severity: Some(DiagnosticSeverity::WARNING),
                        code: Some(NumberOrString::String("annotation-syntax".to_string())),
                        source: Some("news-ls".to_string()),
                        message: format!("{}; news-ls keeps this line as it is", p.message),
                        ..Diagnostic::default()
                    }
                })
                .collect()
        }
        None => Vec::new(),
    };
    client.publish_diagnostics(uri, diags, None).await;
}

/// Re-analyses one article so that its curated spans apply.
fn recurate(state: &State, article: &Path) {
    if let Some(e) = state.corpus.get(article) {
        state.corpus.insert(
            e.path.clone(),
            e.text.clone(),
            e.open_version,
            e.article.read_problems.clone(),
        );
    }
}

/// Applies a changed configuration: options (every article re-analysed) and
/// forgotten suppression hits.
fn apply_config(state: &State) {
    state.annotations.clear_hits();
    state
        .corpus
        .set_options(state.annotations.analysis_options());
}

/// Handles the `.ann` and `news-ls.toml` files among watched-file events.
/// Returns whether anything changed.
pub async fn watched_files(client: &Client, state: &Arc<State>, changes: &[FileEvent]) -> bool {
    let mut anns = Vec::new();
    let mut configs = false;
    for ev in changes {
        let key = convert::uri_to_key(&ev.uri);
        let name = key.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == FILE_NAME {
            configs = true;
        } else if key.extension().and_then(|e| e.to_str()) == Some("ann") {
            anns.push(key.to_path_buf());
        }
    }
    if anns.is_empty() && !configs {
        return false;
    }
    let st = state.clone();
    let ann_list = anns.clone();
    let changed = tokio::task::spawn_blocking(move || {
        let mut changed = false;
        if configs {
            for c in st.annotations.configs() {
                let before = c.text.clone();
                if let Some(now) = st.annotations.reload_config(&c.path) {
                    changed |= now.text != before;
                }
            }
            if changed {
                apply_config(&st);
            }
        }
        for ann in &ann_list {
            let article = ann.with_extension("txt");
            let before = st.annotations.sidecar(&article).map(|s| s.file.render());
            let now = st
                .annotations
                .reload_sidecar(&article)
                .map(|s| s.file.render());
            if before != now {
                recurate(&st, &article);
                changed = true;
            }
        }
        changed
    })
    .await
    .unwrap_or(false);
    for ann in &anns {
        publish_sidecar(client, state, ann).await;
    }
    // Changed annotations can make suppressions stale (or used again).
    let any_suppression = state
        .annotations
        .configs()
        .iter()
        .any(|c| !c.gazetteer.suppress.is_empty());
    if configs || (changed && any_suppression) {
        publish_all_configs(client, state).await;
    }
    if changed {
        diagnostics::refresh_open(client, state).await;
    }
    changed
}

// ---- curated spans following edits ---------------------------------------------

/// Moves the curated spans of an open article through one `didChange`
/// (called before the change is applied to the document).
pub fn track_change(state: &State, key: &Path, changes: &[Change], version: i32) {
    let Some(sidecar) = state.annotations.sidecar(key) else {
        return;
    };
    let Some(mut doc) = state.open.get(key).map(|d| d.doc.clone()) else {
        return;
    };
    if version <= doc.version() {
        return;
    }
    let enc = state.encoding();
    let mut file = sidecar.file.clone();
    let mut touched: HashSet<String> = HashSet::new();
    for change in changes {
        let rope = doc.rope();
        let (edit, new_len) = match change.range {
            Some((a, b)) => {
                let start = rope.byte_to_char(doc.offset(a, enc));
                let end = rope.byte_to_char(doc.offset(b, enc)).max(start);
                (Span::new(start, end), change.text.chars().count())
            }
            None => full_replacement_edit(&rope.to_string(), &change.text),
        };
        file.update_all(|t| {
            if t.fragments.iter().all(|&(_, e)| e <= edit.start) {
                return Update::Same; // before the edit: the common case
            }
            match spans::shift_fragments(&t.fragments, edit, new_len) {
                Some((frags, text_changed)) => {
                    if text_changed {
                        touched.insert(t.id.clone());
                    }
                    if frags == t.fragments {
                        Update::Same
                    } else {
                        t.fragments = frags;
                        Update::Changed
                    }
                }
                None => Update::Drop,
            }
        });
        doc.apply(std::slice::from_ref(change), version, enc);
    }
    // Spans whose text was edited read the new text.
    let rope = doc.rope();
    file.update_all(|t| {
        if !touched.contains(&t.id) {
            return Update::Same;
        }
        let pieces: Vec<String> = t
            .fragments
            .iter()
            .filter_map(|&(a, b)| rope.get_slice(a..b).map(|s| s.to_string()))
            .collect();
        t.text = Some(pieces.join(" "));
        Update::Changed
    });
    if file != sidecar.file {
        state.annotations.set_sidecar(key, file, true);
    }
}

/// The single edit (scalar values) that turns `old` into `new`.
fn full_replacement_edit(old: &str, new: &str) -> (Span, usize) {
    let prefix = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let old_n = old.chars().count();
    let new_n = new.chars().count();
    let suffix = old
        .chars()
        .rev()
        .zip(new.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(old_n - prefix)
        .min(new_n - prefix);
    (Span::new(prefix, old_n - suffix), new_n - suffix - prefix)
}

/// On save: writes the sidecar whose spans moved with the edits.
pub async fn did_save(client: &Client, state: &Arc<State>, key: &Path) {
    let Some(sidecar) = state.annotations.sidecar(key).filter(|s| s.dirty) else {
        return;
    };
    let roots = state.annotations.roots();
    let bytes = sidecar.file.render();
    let result = fsio::write_checked(&sidecar.ann_path, bytes.as_bytes(), &roots);
    match result {
        Ok(()) => state.annotations.mark_saved(key),
        Err(e) => {
            client
                .show_message(
                    MessageType::ERROR,
                    format!("news-ls: could not update the annotations: {e}"),
                )
                .await;
        }
    }
}

/// On close: span moves that were never saved are dropped (the sidecar is
/// read again from disk).
pub fn did_close(state: &State, key: &Path) {
    if state.annotations.sidecar(key).is_some_and(|s| s.dirty) {
        state.annotations.reload_sidecar(key);
    }
}

// ---- hover -------------------------------------------------------------------------

/// A line for hover cards saying whether a span is curated or detected.
pub fn hover_note(state: &State, entry: &DocEntry, span: Span) -> String {
    let (curated, _) = state.annotations.curated_spans(&entry.path, &entry.text);
    let sidecar = curated
        .iter()
        .find(|c| c.source == Source::Sidecar && c.span.overlaps(span));
    let gaz = curated
        .iter()
        .any(|c| c.source == Source::Gazetteer && c.span == span);
    let ann = ann_path_for(&entry.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match sidecar {
        Some(c) => format!(
            "\n---\n*curated* ({} in {ann})\n",
            c.id.as_deref().unwrap_or("annotation")
        ),
        None if gaz => format!("\n---\n*curated* (corpus gazetteer {FILE_NAME})\n"),
        None => "\n---\n*detected*\n".to_string(),
    }
}

// ---- code actions ---------------------------------------------------------------------

fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
    })
}

fn action(
    title: String,
    kind: &str,
    command: &str,
    args: Value,
    diag: Option<Diagnostic>,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::from(kind.to_string())),
        diagnostics: diag.map(|d| vec![d]),
        edit: None,
        command: Some(Command {
            title,
            command: command.to_string(),
            arguments: Some(vec![args]),
        }),
        is_preferred: None,
        disabled: None,
        data: None,
    })
}

fn kind_title(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "Person",
        EntityKind::Place => "Place",
        EntityKind::Organization => "Organization",
        EntityKind::Other => "Other",
    }
}

/// A span with its surrounding whitespace trimmed.
fn trim_span(text: &str, span: Span) -> Span {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

fn span_args(uri: &Uri, text: &str, span: Span) -> Value {
    json!({"uri": uri.as_str(), "start": span.start, "end": span.end, "text": span.text(text)})
}

/// Identity for an entity without an external identifier.
fn local_identity(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    format!("news-ls:{slug}")
}

/// Candidate entities to link a surface to: `(name, identity)`, best first.
fn link_candidates(
    state: &State,
    entry: &DocEntry,
    mention: Option<usize>,
    surface: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |name: String, id: String| {
        if !out.iter().any(|(n, i)| *n == name || *i == id) {
            out.push((name, id));
        }
    };
    let low = surface.to_lowercase();
    let related = |s: &str| {
        let l = s.to_lowercase();
        !l.is_empty() && (l == low || l.contains(&low) || low.contains(&l))
    };
    if let Some(c) = state.annotations.config_for(&entry.path) {
        for e in &c.gazetteer.entities {
            if related(&e.name) || e.spellings.iter().any(|s| related(s)) {
                push(
                    e.name.clone(),
                    e.id.clone().unwrap_or_else(|| local_identity(&e.name)),
                );
            }
        }
    }
    for (_, s) in state.annotations.loaded_sidecars() {
        for n in s.file.normalizations() {
            let text = s.file.text_bound(&n.target).and_then(|t| t.text.clone());
            let name = n.name.clone().or(text);
            if let Some(name) = name.filter(|name| related(name)) {
                push(name, n.reference.clone());
            }
        }
    }
    let table = state.corpus.entities();
    if let Some(e) = mention.and_then(|i| table.entity_of(&entry.path, i)) {
        push(e.name.clone(), local_identity(&e.name));
    }
    for e in table.search(surface).into_iter().take(3) {
        push(e.name.clone(), local_identity(&e.name));
    }
    out.truncate(6);
    out
}

/// The annotation code actions at a range of an article.
pub fn code_actions(
    state: &State,
    entry: &DocEntry,
    uri: &Uri,
    lo: usize,
    hi: usize,
    findings: &[Finding],
    only: Option<&Vec<CodeActionKind>>,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let text = &entry.text;
    let pos = state.positions(entry);
    let article = &entry.article;

    if wanted(only, ANNOTATE_KIND) {
        // What to annotate: the selection, else the mention under the cursor.
        let mention = article
            .mentions
            .iter()
            .position(|m| m.span().start <= lo && hi <= m.span().end);
        let target = if lo < hi {
            Some(trim_span(text, Span::new(lo, hi))).filter(|s| !s.is_empty())
        } else {
            mention
                .and_then(|i| article.mentions.get(i))
                .map(|m| m.span())
        };
        if let Some(span) = target {
            let surface = span.text(text).to_string();
            let same = mention
                .and_then(|i| article.mentions.get(i))
                .is_some_and(|m| m.span() == span);
            let mention = mention.filter(|_| same);
            for k in EntityKind::ALL {
                let mut args = span_args(uri, text, span);
                args["kind"] = json!(k.as_str());
                out.push(action(
                    format!("Annotate “{surface}” as {}", kind_title(k)),
                    ANNOTATE_KIND,
                    ANNOTATE,
                    args,
                    None,
                ));
            }
            let kind = mention
                .and_then(|i| article.mentions.get(i))
                .map_or(EntityKind::Other, |m| m.kind);
            for (name, identity) in link_candidates(state, entry, mention, &surface) {
                let mut args = span_args(uri, text, span);
                args["identity"] = json!(identity);
                args["name"] = json!(name);
                args["kind"] = json!(kind.as_str());
                out.push(action(
                    format!("Link “{surface}” to entity {name} ({identity})"),
                    ANNOTATE_KIND,
                    LINK_ENTITY,
                    args,
                    None,
                ));
            }
            let mut args = span_args(uri, text, span);
            args["word"] = json!(surface);
            out.push(action(
                format!("“{surface}” is not an entity (add it to {FILE_NAME})"),
                ANNOTATE_KIND,
                NOT_ENTITY,
                args,
                None,
            ));
        }
        // On a quotation: set its speaker among the article's persons.
        let quote = article.quotes.iter().find(|q| {
            let Span { start, end } = q.extent();
            start <= lo && lo < end.max(start + 1)
        });
        if let Some(q) = quote {
            let content = q.span();
            let table = state.corpus.entities();
            let mut persons: Vec<(usize, Span)> = article
                .mentions
                .iter()
                .enumerate()
                .filter(|(i, m)| {
                    let k = table.entity_of(&entry.path, *i).map_or(m.kind, |e| e.kind);
                    k == EntityKind::Person
                })
                .map(|(_, m)| (m.span().start.abs_diff(content.start), m.span()))
                .collect();
            persons.sort();
            let mut seen = HashSet::new();
            for (_, sp) in persons {
                let name = sp.text(text).to_string();
                if !seen.insert(name.clone()) || seen.len() > 8 {
                    continue;
                }
                out.push(action(
                    format!("Set speaker: {name}"),
                    ANNOTATE_KIND,
                    SET_SPEAKER,
                    json!({
                        "uri": uri.as_str(),
                        "quote": {"start": content.start, "end": content.end, "text": content.text(text)},
                        "speaker": {"start": sp.start, "end": sp.end, "text": name},
                    }),
                    None,
                ));
            }
        }
    }

    if wanted(only, ACCEPT_KIND)
        && (!article.mentions.is_empty()
            || article.quotes.iter().any(|q| q.kind == QuoteKind::Quote))
    {
        out.push(action(
            "Accept all detected entities and quotations (write them to the .ann)".to_string(),
            ACCEPT_KIND,
            ACCEPT_ALL,
            json!({"uri": uri.as_str()}),
            None,
        ));
    }

    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        let mismatches = state.annotations.mismatches(&entry.path, text);
        for f in findings
            .iter()
            .filter(|f| f.span.start <= hi && lo <= f.span.end)
        {
            let diag = convert::diagnostic(&pos, f);
            if f.code == annotation_mismatch::CODE {
                let m = mismatches.iter().find(|m| Some(&m.id) == f.data.as_ref());
                if let Some((m, (frags, at))) = m.and_then(|m| m.reanchor.as_ref().map(|r| (m, r)))
                {
                    let line = entry.lines.line_of(at.start) + 1;
                    let mut a = action(
                        format!(
                            "Re-anchor annotation {} to “{}” on line {line}",
                            m.id, m.expected
                        ),
                        CodeActionKind::QUICKFIX.as_str(),
                        REANCHOR,
                        json!({"uri": uri.as_str(), "id": m.id, "fragments": frags, "expected": m.expected}),
                        Some(diag.clone()),
                    );
                    if let CodeActionOrCommand::CodeAction(ca) = &mut a {
                        ca.is_preferred = Some(true);
                    }
                    out.push(a);
                }
            }
            let flagged = f.span.text(text).to_string();
            for (scope, title) in [
                ("here", "Ignore this finding here"),
                ("article", "Ignore this code in this article"),
                ("corpus", "Ignore this code in the corpus"),
            ] {
                out.push(action(
                    format!("{title} ({})", f.code),
                    CodeActionKind::QUICKFIX.as_str(),
                    SUPPRESS,
                    json!({"uri": uri.as_str(), "code": f.code, "scope": scope, "text": flagged}),
                    Some(diag.clone()),
                ));
            }
        }
    }
    out
}

// ---- commands -----------------------------------------------------------------------------

fn invalid(msg: impl Into<String>) -> Error {
    Error::invalid_params(format!("news-ls: {}", msg.into()))
}

fn arg_str<'a>(v: &'a Value, key: &str) -> Result<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(format!("missing string argument `{key}`")))
}

fn arg_usize(v: &Value, key: &str) -> Result<usize> {
    v.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| invalid(format!("missing number argument `{key}`")))
}

fn parse_kind(s: &str) -> Result<EntityKind> {
    EntityKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| invalid(format!("unknown kind `{s}`")))
}

/// The article a command is about: its corpus entry (editor text when open).
fn article_of(state: &State, args: &Value) -> Result<Arc<DocEntry>> {
    let uri: Uri = arg_str(args, "uri")?
        .parse()
        .map_err(|_| invalid("`uri` is not a URI"))?;
    let key = convert::uri_to_key(&uri);
    if !key.is_absolute() || !crate::files::is_article(&key) {
        return Err(invalid(
            "annotations can only be written for `.txt` articles saved on disk",
        ));
    }
    if !state.annotations.in_roots(&key) {
        return Err(invalid(format!(
            "{} is outside the workspace folders; news-ls only writes annotations inside them",
            key.display()
        )));
    }
    let entry = state
        .entry(&key)
        .ok_or_else(|| invalid(format!("{} is not indexed", key.display())))?;
    // A closed article may still wait for its quotations (background indexing).
    if entry.article.quotes_pending {
        if let Some(done) = state
            .corpus
            .complete_quotes(&key)
            .filter(|d| d.generation == entry.generation)
        {
            return Ok(done);
        }
    }
    Ok(entry)
}

/// A byte span of the article given as `{start, end, text}`, checked against
/// the current text.
fn checked_span(entry: &DocEntry, v: &Value) -> Result<Span> {
    let span = Span::new(arg_usize(v, "start")?, arg_usize(v, "end")?);
    let expected = arg_str(v, "text")?;
    match entry.text.get(span.start..span.end) {
        Some(t) if t == expected && span.start < span.end => Ok(span),
        _ => Err(invalid(format!(
            "the text changed since “{expected}” was selected; ask for the action again"
        ))),
    }
}

/// The article's sidecar as held now (a new one when it has none).
fn current_file(state: &State, article: &Path) -> AnnFile {
    state
        .annotations
        .sidecar(article)
        .map(|s| s.file.clone())
        .unwrap_or_default()
}

/// Finds the text-bound annotation over exactly `span`, or adds one.
fn ensure_text_bound(
    file: &mut AnnFile,
    entry: &DocEntry,
    span: Span,
    type_name: &str,
    keep_type_if: impl Fn(&str) -> bool,
) -> Result<String> {
    let index = CharIndex::new(&entry.text);
    let chars = (
        index
            .byte_to_char(span.start)
            .ok_or_else(|| invalid("span is not on character boundaries"))?,
        index
            .byte_to_char(span.end)
            .ok_or_else(|| invalid("span is not on character boundaries"))?,
    );
    if let Some(t) = file
        .text_bounds()
        .find(|t| t.extent() == chars && keep_type_if(&t.kind))
    {
        return Ok(t.id.clone());
    }
    Ok(file.add_text_bound(
        type_name,
        split_lines(&entry.text, span, &index),
        span.text(&entry.text),
    ))
}

/// Writes an article's sidecar and re-indexes the article.
fn write_sidecar(state: &State, article: &Path, file: AnnFile) -> Result<PathBuf> {
    let ann = ann_path_for(article);
    fsio::write_checked(&ann, file.render().as_bytes(), &state.annotations.roots())
        .map_err(|e| invalid(e.to_string()))?;
    state.annotations.set_sidecar(article, file, false);
    recurate(state, article);
    Ok(ann)
}

/// Changes the `news-ls.toml` of the article's root and applies it.
fn edit_config(
    state: &State,
    article: &Path,
    edit: impl FnOnce(&str) -> std::result::Result<String, String>,
) -> Result<PathBuf> {
    let root = state
        .annotations
        .root_of(article)
        .ok_or_else(|| invalid("the article is not inside a workspace folder"))?;
    let path = root.join(FILE_NAME);
    let current = match std::fs::read(&path) {
        Ok(b) => {
            String::from_utf8(b).map_err(|_| invalid(format!("{} is not UTF-8", path.display())))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(invalid(format!("{}: {e}", path.display()))),
    };
    let new = edit(&current).map_err(invalid)?;
    if new != current {
        fsio::write_checked(&path, new.as_bytes(), &state.annotations.roots())
            .map_err(|e| invalid(e.to_string()))?;
    }
    state.annotations.set_config_text(&root, &new);
    apply_config(state);
    Ok(path)
}

/// What a command changed.
struct Outcome {
    written: Vec<PathBuf>,
    config: bool,
}

fn run_command(state: &State, command: &str, args: &Value) -> Result<Outcome> {
    let entry = article_of(state, args)?;
    let article = entry.path.to_path_buf();
    let types = state.annotations.types_for(&article);
    let sidecar_only = |written: PathBuf| Outcome {
        written: vec![written],
        config: false,
    };
    match command {
        ANNOTATE => {
            let span = checked_span(&entry, args)?;
            let kind = parse_kind(arg_str(args, "kind")?)?;
            let type_name = types.written(kind).to_string();
            let mut file = current_file(state, &article);
            let index = CharIndex::new(&entry.text);
            let chars = (
                index.byte_to_char(span.start).unwrap_or(0),
                index.byte_to_char(span.end).unwrap_or(0),
            );
            let same: Option<String> = file
                .text_bounds()
                .find(|t| t.extent() == chars && !types.is_quotation(&t.kind))
                .map(|t| t.id.clone());
            match same {
                Some(id) => {
                    file.update_text_bound(&id, |t| t.kind = type_name.clone());
                }
                None => {
                    // Entities overlapping the new span give way to it.
                    let overlapping: Vec<String> = file
                        .text_bounds()
                        .filter(|t| !types.is_quotation(&t.kind))
                        .filter(|t| t.fragments.iter().any(|&(a, b)| a < chars.1 && chars.0 < b))
                        .map(|t| t.id.clone())
                        .collect();
                    file.remove_ids(&overlapping);
                    file.add_text_bound(
                        &type_name,
                        split_lines(&entry.text, span, &index),
                        span.text(&entry.text),
                    );
                }
            }
            Ok(sidecar_only(write_sidecar(state, &article, file)?))
        }
        LINK_ENTITY => {
            let span = checked_span(&entry, args)?;
            let identity = arg_str(args, "identity")?;
            if identity.is_empty() || identity.chars().any(char::is_whitespace) {
                return Err(invalid("an identity cannot be empty or contain spaces"));
            }
            let name = args.get("name").and_then(Value::as_str);
            let kind = args
                .get("kind")
                .and_then(Value::as_str)
                .map(parse_kind)
                .transpose()?
                .unwrap_or(EntityKind::Other);
            let mut file = current_file(state, &article);
            let id = ensure_text_bound(&mut file, &entry, span, types.written(kind), |t| {
                !types.is_quotation(t)
            })?;
            file.set_normalization(&id, identity, name);
            Ok(sidecar_only(write_sidecar(state, &article, file)?))
        }
        NOT_ENTITY => {
            let word = arg_str(args, "word")?.trim().to_string();
            if word.is_empty() {
                return Err(invalid("nothing to ignore"));
            }
            let mut written = vec![edit_config(state, &article, |src| {
                gazetteer::add_not_entity(src, &word)
            })?];
            // A curated entity over exactly this word goes too.
            if let Ok(span) = checked_span(&entry, args) {
                let index = CharIndex::new(&entry.text);
                let chars = (index.byte_to_char(span.start), index.byte_to_char(span.end));
                let mut file = current_file(state, &article);
                let ids: Vec<String> = file
                    .text_bounds()
                    .filter(|t| {
                        (Some(t.extent().0), Some(t.extent().1)) == chars
                            && !types.is_quotation(&t.kind)
                    })
                    .map(|t| t.id.clone())
                    .collect();
                if !ids.is_empty() {
                    file.remove_ids(&ids);
                    written.push(write_sidecar(state, &article, file)?);
                }
            }
            Ok(Outcome {
                written,
                config: true,
            })
        }
        SET_SPEAKER => {
            let quote = checked_span(&entry, args.get("quote").unwrap_or(&Value::Null))?;
            let speaker = checked_span(&entry, args.get("speaker").unwrap_or(&Value::Null))?;
            let mut file = current_file(state, &article);
            let index = CharIndex::new(&entry.text);
            let qchars = (
                index.byte_to_char(quote.start).unwrap_or(0),
                index.byte_to_char(quote.end).unwrap_or(0),
            );
            // An existing curated quotation over this one, else a new one.
            let existing = file
                .text_bounds()
                .find(|t| {
                    types.is_quotation(&t.kind)
                        && t.fragments
                            .iter()
                            .any(|&(a, b)| a < qchars.1 && qchars.0 < b)
                })
                .map(|t| t.id.clone());
            let qid = match existing {
                Some(id) => id,
                None => file.add_text_bound(
                    types.quotation_type(),
                    split_lines(&entry.text, quote, &index),
                    quote.text(&entry.text),
                ),
            };
            let kind = entry
                .article
                .mentions
                .iter()
                .find(|m| m.span() == speaker)
                .map_or(EntityKind::Person, |m| m.kind);
            let sid = ensure_text_bound(&mut file, &entry, speaker, types.written(kind), |t| {
                !types.is_quotation(t)
            })?;
            let speaker_rel = |item: &Item| matches!(item, Item::Relation(r) if types.is_speaker_relation(&r.kind) && (r.arg1.1 == qid || r.arg2.1 == qid));
            file.remove_where(speaker_rel);
            file.add_relation(types.speaker_relation(), &qid, &sid);
            Ok(sidecar_only(write_sidecar(state, &article, file)?))
        }
        ACCEPT_ALL => {
            let table = state.corpus.entities();
            let facts = DocFacts::new(&state.annotations, &table, &entry);
            let file = current_file(state, &article);
            let text = export::brat(&entry, &facts, file, &types);
            let (file, _) = AnnFile::parse(&text);
            Ok(sidecar_only(write_sidecar(state, &article, file)?))
        }
        REANCHOR => {
            let id = arg_str(args, "id")?;
            let expected = arg_str(args, "expected")?;
            let frags: Vec<(usize, usize)> = args
                .get("fragments")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|f| {
                            let f = f.as_array()?;
                            Some((
                                usize::try_from(f.first()?.as_u64()?).ok()?,
                                usize::try_from(f.get(1)?.as_u64()?).ok()?,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let index = CharIndex::new(&entry.text);
            let found: Option<Vec<String>> = frags
                .iter()
                .map(|&(a, b)| {
                    let s = Span::new(index.char_to_byte(a)?, index.char_to_byte(b)?);
                    Some(s.text(&entry.text).to_string())
                })
                .collect();
            if frags.is_empty() || found.map(|f| f.join(" ")) != Some(expected.to_string()) {
                return Err(invalid(
                    "the text changed since the fix was offered; ask for it again",
                ));
            }
            let mut file = current_file(state, &article);
            if !file.update_text_bound(id, |t| t.fragments = frags) {
                return Err(invalid(format!("annotation {id} no longer exists")));
            }
            Ok(sidecar_only(write_sidecar(state, &article, file)?))
        }
        SUPPRESS => {
            let code = arg_str(args, "code")?;
            if crate::analysis::rules::by_code(code).is_none() {
                return Err(invalid(format!("unknown code `{code}`")));
            }
            let scope = arg_str(args, "scope")?;
            let root = state
                .annotations
                .root_of(&article)
                .ok_or_else(|| invalid("the article is not inside a workspace folder"))?;
            let rel = relative(&root, &article);
            let flagged = args.get("text").and_then(Value::as_str).map(str::trim);
            let (file, text) = match scope {
                "here" => (Some(rel.as_str()), flagged.filter(|t| !t.is_empty())),
                "article" => (Some(rel.as_str()), None),
                "corpus" => (None, None),
                other => return Err(invalid(format!("unknown scope `{other}`"))),
            };
            let path = edit_config(state, &article, |src| {
                gazetteer::add_suppression(src, code, file, text)
            })?;
            Ok(Outcome {
                written: vec![path],
                config: true,
            })
        }
        other => Err(Error::invalid_params(format!(
            "news-ls: unknown command `{other}`"
        ))),
    }
}

/// `workspace/executeCommand`: runs an annotation command, then refreshes
/// diagnostics. Returns `{"written": [paths]}`.
pub async fn execute_command(
    client: &Client,
    state: &Arc<State>,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    let command = params.command.clone();
    let args = params.arguments.into_iter().next().unwrap_or(Value::Null);
    let st = state.clone();
    let outcome = super::blocking("workspace/executeCommand", move || {
        run_command(&st, &command, &args)
    })
    .await?;
    if outcome.config {
        publish_all_configs(client, state).await;
    }
    for p in &outcome.written {
        if p.extension().and_then(|e| e.to_str()) == Some("ann") {
            publish_sidecar(client, state, p).await;
        }
    }
    diagnostics::refresh_open(client, state).await;
    Ok(Some(json!({
        "written": outcome.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_replacement_edits_are_minimal() {
        assert_eq!(
            full_replacement_edit("abcdef", "abXYef"),
            (Span::new(2, 4), 2)
        );
        assert_eq!(
            full_replacement_edit("Poutine", "Poutine!"),
            (Span::new(7, 7), 1)
        );
        assert_eq!(full_replacement_edit("aaa", "aa"), (Span::new(2, 3), 0));
        assert_eq!(full_replacement_edit("é😀x", "é😀yx"), (Span::new(2, 2), 1));
    }

    #[test]
    fn trimmed_spans_and_local_identities() {
        let t = "  Olaf Scholz \n";
        assert_eq!(trim_span(t, Span::new(0, t.len())).text(t), "Olaf Scholz");
        assert!(trim_span(t, Span::new(0, 2)).is_empty());
        assert_eq!(local_identity("Olaf Scholz"), "news-ls:Olaf_Scholz");
    }
}
