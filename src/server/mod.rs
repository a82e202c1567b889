//! The LSP layer: capabilities, handlers and conversions between LSP types and
//! the analysis core. Thin: every fact comes from `analysis` and `corpus`;
//! this layer converts positions and types, keeps the open documents in
//! order, and talks to the client.
//!
//! Ordering: `didOpen`/`didChange`/`didClose` mutate the open documents
//! synchronously (no `.await` between reading and writing a document), then
//! analysis runs on a blocking thread and diagnostics are published only if
//! the document has not moved on meanwhile.

mod actions;
mod annotations;
mod capabilities;
mod convert;
mod decorations;
mod diagnostics;
mod indexing;
mod navigation;
mod outline;
mod raw;
mod state;
pub mod transport;

use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures::FutureExt;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::text::Change;

pub use state::State;

/// Runs the language server on stdin/stdout until `exit`.
pub fn run_stdio() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("news-ls: cannot start the async runtime: {e}");
            return ExitCode::from(crate::cli::EXIT_USAGE);
        }
    };
    let state = Arc::new(State::default());
    let shared = state.clone();
    let debug_panic = std::env::var_os(DEBUG_PANIC_ENV).is_some_and(|v| v == "1");
    let writer = runtime.block_on(async {
        let (input, output, raw, writer) = transport::stdio();
        let mut builder = LspService::build(move |client| {
            let mut backend = Backend::with_state(client, shared);
            backend.raw = Some(raw);
            backend
        })
        .custom_method("news-ls/status", Backend::status)
        .custom_method("news-ls/documentText", Backend::document_text);
        if debug_panic {
            tracing::warn!("{DEBUG_PANIC_ENV}=1: the news-ls/debugPanic request is enabled");
            builder = builder.custom_method(DEBUG_PANIC_METHOD, Backend::debug_panic);
        }
        let (service, socket) = builder.finish();
        Server::new(input, output, socket)
            .concurrency_level(64)
            .serve(service)
            .await;
        writer
    });
    // Blocking analysis threads must not keep the process alive after `exit`.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    // The last frames (the `shutdown` answer) reach the client.
    writer.finish(std::time::Duration::from_millis(200));
    // LSP: `exit` after `shutdown` ends with 0; `exit` without it (or the
    // client closing the stream first) with 1.
    if state.shutting_down.load(Ordering::Acquire) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Logging to stderr (stdout carries the protocol); level from `NEWS_LS_LOG`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWS_LS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// The language server.
pub struct Backend {
    client: Client,
    state: Arc<State>,
    /// The transport's output, when the server runs behind it: large results
    /// are then written as JSON bytes (see `raw.rs`).
    raw: Option<raw::RawOutput>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Self::with_state(client, Arc::new(State::default()))
    }

    /// A server over a state the caller keeps (to read it after the session).
    pub fn with_state(client: Client, state: Arc<State>) -> Self {
        // Edits never wait for the corpus-wide relink: see `diagnostics::schedule_relink`.
        state.corpus.set_lazy_linking(true);
        annotations::install(&state);
        Backend {
            client,
            state,
            raw: None,
        }
    }
}

/// Parameters of `news-ls/documentText`.
#[derive(Debug, serde::Deserialize)]
pub struct DocumentTextParams {
    #[serde(rename = "textDocument")]
    pub text_document: TextDocumentIdentifier,
}

impl Backend {
    /// `news-ls/status`: what the server holds (for clients' status displays and tests).
    async fn status(&self) -> Result<serde_json::Value> {
        let state = self.state.clone();
        blocking("news-ls/status", move || {
            // While indexing, the count of the last linked table: building the
            // current view would link every article indexed since, at each poll.
            let entities = if state.indexing_done() {
                state.corpus.entities().entities.len()
            } else {
                state.corpus.linked_entity_count()
            };
            Ok(serde_json::json!({
                "documents": state.corpus.len(),
                "open": state.open.len(),
                "entities": entities,
                "indexing": !state.indexing_done(),
                "relinkPending": state.corpus.relink_pending(),
                "quotationsPending": state.corpus.quotes_pending_count(),
                "positionEncoding": convert::encoding_kind(state.encoding()).as_str(),
                "version": env!("CARGO_PKG_VERSION"),
            }))
        })
        .await
    }

    /// `news-ls/documentText`: the server's copy of an open document, with its
    /// version (to check that editor and server agree).
    async fn document_text(&self, params: DocumentTextParams) -> Result<serde_json::Value> {
        let key = convert::uri_to_key(&params.text_document.uri);
        match self.state.open.get(&key) {
            Some(d) => Ok(serde_json::json!({"version": d.doc.version(), "text": d.doc.text()})),
            None => Err(Error::invalid_params(format!(
                "news-ls: {} is not open",
                params.text_document.uri.as_str()
            ))),
        }
    }
}

/// Environment variable that, set to `1` when the server starts, enables the
/// [`DEBUG_PANIC_METHOD`] request (for tests of the panic guard). Without it
/// that method is unknown like any other (`-32601` MethodNotFound).
pub const DEBUG_PANIC_ENV: &str = "NEWS_LS_DEBUG_PANIC";

/// A request that panics inside its handler on purpose, to test that a panic
/// becomes a JSON-RPC InternalError and the server keeps serving. Parameters:
/// `{"in": "async"}` (or `{}`: panics in the request's future, caught by
/// [`guarded`]) or `{"in": "blocking"}` (panics on the blocking pool, caught
/// by [`blocking`]). Registered only when [`DEBUG_PANIC_ENV`] is `1`.
pub const DEBUG_PANIC_METHOD: &str = "news-ls/debugPanic";

/// Parameters of [`DEBUG_PANIC_METHOD`].
#[derive(Debug, Default, serde::Deserialize)]
pub struct DebugPanicParams {
    #[serde(rename = "in", default)]
    pub place: Option<String>,
}

impl Backend {
    /// [`DEBUG_PANIC_METHOD`]: panics on purpose, inside the same guards as
    /// every other handler.
    async fn debug_panic(&self, params: DebugPanicParams) -> Result<serde_json::Value> {
        let place = params.place.unwrap_or_default();
        if place == "blocking" {
            blocking(DEBUG_PANIC_METHOD, || -> Result<serde_json::Value> {
                panic!("deliberate panic on the blocking pool ({DEBUG_PANIC_ENV}=1)")
            })
            .await
        } else {
            guarded(DEBUG_PANIC_METHOD, async {
                panic!("deliberate panic in a request handler ({DEBUG_PANIC_ENV}=1)")
            })
            .await
        }
    }
}

/// The message of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// A JSON-RPC internal error with this message.
fn internal(message: String) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

/// The JSON-RPC answer to a handler that panicked (logged, with its message).
fn internal_error(method: &str, panic: &(dyn std::any::Any + Send)) -> Error {
    let what = panic_message(panic);
    tracing::error!("{method} panicked: {what}");
    internal(format!("news-ls: internal error in {method}: {what}"))
}

/// The answer to a request whose result was written as JSON bytes: a
/// placeholder staged for the transport to splice the bytes into (see
/// `raw.rs`), or, without the transport, the result read back.
fn answer<T>(
    raw: Option<&raw::RawOutput>,
    json: Vec<u8>,
    placeholder: impl FnOnce(Uri) -> T,
) -> Result<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = match raw {
        Some(raw) => match raw.stage(json, placeholder) {
            Ok(staged) => return Ok(staged),
            Err(json) => json,
        },
        None => json,
    };
    serde_json::from_slice(&json).map_err(|e| {
        tracing::error!("a result written as JSON does not read back: {e}");
        internal("news-ls: internal error writing the result".to_string())
    })
}

/// Runs a request handler, turning a panic into an internal error so that the
/// server keeps serving.
async fn guarded<T, F>(method: &'static str, fut: F) -> Result<T>
where
    F: std::future::Future<Output = Result<T>>,
{
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r,
        Err(panic) => Err(internal_error(method, &*panic)),
    }
}

/// Set once a request is given up (its future dropped: `$/cancelRequest`, or
/// the connection closing), so that blocking work can stop between documents.
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    flag: Arc<std::sync::atomic::AtomicBool>,
    /// Held while cancelling and by [`Cancel::unless_cancelled`].
    gate: Arc<std::sync::Mutex<()>>,
}

impl Cancel {
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }
    fn cancel(&self) {
        let _gate = self.gate.lock();
        self.flag.store(true, Ordering::Release);
    }
    /// Runs `f` unless the request is cancelled, with cancellation held off
    /// meanwhile: what `f` queues for the client (a partial result) is queued
    /// before tower-lsp-server's answer to a `$/cancelRequest`, which is
    /// produced only after the request's future, hence its [`CancelOnDrop`],
    /// is dropped.
    pub fn unless_cancelled<R>(&self, f: impl FnOnce() -> R) -> Option<R> {
        let _gate = self.gate.lock();
        (!self.is_cancelled()).then(f)
    }
}

/// Cancels its flag when dropped: tower-lsp-server drops a request's future
/// on `$/cancelRequest`, which cannot stop a blocking thread by itself.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// [`blocking`] for work over many documents: the closure sees a flag set
/// when the request is cancelled, and checks it between documents.
async fn blocking_cancellable<T, F>(method: &'static str, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Cancel) -> Result<T> + Send + 'static,
{
    let cancel = Cancel::default();
    let guard = CancelOnDrop(cancel.clone());
    let r = blocking(method, move || f(&cancel)).await;
    drop(guard);
    r
}

/// Runs a blocking computation on the blocking pool, catching panics.
async fn blocking<T, F>(method: &'static str, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(f))).await {
        Ok(Ok(r)) => r,
        Ok(Err(panic)) => Err(internal_error(method, &*panic)),
        Err(e) => {
            tracing::error!("{method} failed on the blocking pool: {e}");
            Err(internal(format!("news-ls: internal error in {method}")))
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guarded("initialize", async {
            let session = capabilities::session_from(&params);
            let pull = session.pull_diagnostics;
            let enc = session.encoding;
            if let Ok(mut s) = self.state.session.write() {
                *s = session;
            }
            if let Some(opts) = params.initialization_options.as_ref() {
                let errors = self
                    .state
                    .settings
                    .write()
                    .map(|mut s| s.apply_json(opts))
                    .unwrap_or_default();
                for e in errors {
                    let client = self.client.clone();
                    tokio::spawn(async move {
                        client
                            .log_message(
                                MessageType::WARNING,
                                format!("initializationOptions: {e}"),
                            )
                            .await;
                    });
                }
            }
            Ok(InitializeResult {
                capabilities: capabilities::server_capabilities(enc, pull),
                server_info: Some(ServerInfo {
                    name: "news-ls".to_string(),
                    version: Some(env!("CARGO_PKG_VERSION").to_string()),
                }),
                offset_encoding: None,
            })
        })
        .await
    }

    async fn initialized(&self, _: InitializedParams) {
        let client = self.client.clone();
        let state = self.state.clone();
        tokio::spawn(async move {
            indexing::after_initialized(client, state).await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutting_down.store(true, Ordering::Release);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let key = convert::uri_to_key(&doc.uri);
        if annotations::claims(&key) {
            return;
        }
        self.state
            .open(key.clone(), doc.uri, &doc.text, doc.version);
        diagnostics::schedule(
            self.client.clone(),
            self.state.clone(),
            key,
            doc.text,
            doc.version,
        );
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let key = convert::uri_to_key(&params.text_document.uri);
        let changes: Vec<Change> = params
            .content_changes
            .into_iter()
            .map(|c| Change {
                range: c.range.map(|r| {
                    (
                        convert::from_lsp_position(r.start),
                        convert::from_lsp_position(r.end),
                    )
                }),
                text: c.text,
            })
            .collect();
        if annotations::claims(&key) {
            return;
        }
        // Curated spans move with the edit (before it is applied).
        annotations::track_change(&self.state, &key, &changes, params.text_document.version);
        // Synchronous: no await between reading and writing the document.
        let applied = self
            .state
            .change(&key, &changes, params.text_document.version);
        let Some((text, version, clamped)) = applied else {
            tracing::warn!(
                "didChange for {} (version {}) ignored: not open or not newer",
                params.text_document.uri.as_str(),
                params.text_document.version
            );
            return;
        };
        if clamped > 0 {
            let msg = format!(
                "news-ls: {clamped} edit range(s) for {} fell outside the document and were clamped; \
                 if the text looks wrong, close and reopen the file",
                params.text_document.uri.as_str()
            );
            let client = self.client.clone();
            tokio::spawn(async move { client.log_message(MessageType::WARNING, msg).await });
        }
        diagnostics::schedule(self.client.clone(), self.state.clone(), key, text, version);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let key = convert::uri_to_key(&params.text_document.uri);
        annotations::did_save(&self.client, &self.state, &key).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let key = convert::uri_to_key(&uri);
        if annotations::claims(&key) {
            return;
        }
        annotations::did_close(&self.state, &key);
        self.state.open.remove(&key);
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            // The disk copy replaces the editor's text in the corpus.
            let k = key.clone();
            let st = state.clone();
            let _ = blocking("didClose", move || {
                indexing::reload_from_disk(&st, &k);
                Ok(())
            })
            .await;
            if !state.session().pull_diagnostics {
                client.publish_diagnostics(uri, Vec::new(), None).await;
            }
            // The disk copy may name other people than the closed buffer did.
            diagnostics::schedule_relink(client, state);
        });
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let client = self.client.clone();
        let state = self.state.clone();
        tokio::spawn(async move {
            indexing::reload_settings(&client, &state, Some(params.settings)).await;
            diagnostics::refresh_open(&client, &state).await;
        });
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| -> Vec<std::path::PathBuf> {
            folders
                .into_iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect()
        };
        let added = paths(params.event.added);
        let removed = paths(params.event.removed);
        let client = self.client.clone();
        let state = self.state.clone();
        tokio::spawn(async move {
            indexing::change_folders(&client, &state, added, removed).await;
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let client = self.client.clone();
        let state = self.state.clone();
        tokio::spawn(async move {
            indexing::watched_files(&client, &state, params.changes).await;
        });
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let state = self.state.clone();
        guarded("textDocument/diagnostic", async move {
            blocking("textDocument/diagnostic", move || {
                Ok(diagnostics::pull(&state, &params.text_document.uri))
            })
            .await
        })
        .await
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        annotations::execute_command(&self.client, &self.state, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let state = self.state.clone();
        blocking("textDocument/hover", move || {
            Ok(navigation::hover(&state, params))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let state = self.state.clone();
        let raw = self.raw.clone();
        let streamed = raw.clone();
        let json = blocking_cancellable("textDocument/references", move |cancel| {
            Ok(navigation::references_json(
                &state,
                params,
                cancel,
                streamed.as_ref(),
            ))
        })
        .await?;
        let Some(json) = json else {
            return Ok(None);
        };
        answer(raw.as_ref(), json, |marker| {
            Some(vec![Location::new(marker, Range::default())])
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let state = self.state.clone();
        blocking("textDocument/definition", move || {
            Ok(navigation::definition(&state, params))
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let state = self.state.clone();
        blocking("textDocument/documentHighlight", move || {
            Ok(navigation::highlights(&state, params))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let state = self.state.clone();
        blocking("textDocument/prepareRename", move || {
            navigation::prepare_rename(&state, params)
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let state = self.state.clone();
        let json = blocking_cancellable("textDocument/rename", move |cancel| {
            navigation::rename_json(&state, params, cancel)
        })
        .await?;
        answer(self.raw.as_ref(), json, |marker| {
            Some(WorkspaceEdit {
                changes: Some(std::iter::once((marker, Vec::new())).collect()),
                document_changes: None,
                change_annotations: None,
            })
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.state.clone();
        blocking_cancellable("workspace/symbol", move |cancel| {
            Ok(navigation::workspace_symbols(&state, params, cancel))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let state = self.state.clone();
        blocking("textDocument/documentSymbol", move || {
            Ok(outline::document_symbols(&state, params))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let state = self.state.clone();
        blocking("textDocument/foldingRange", move || {
            Ok(outline::folding_ranges(&state, params))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = self.state.clone();
        blocking("textDocument/codeAction", move || {
            Ok(actions::code_actions(&state, params))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let state = self.state.clone();
        blocking("textDocument/semanticTokens/full", move || {
            Ok(
                decorations::semantic_tokens(&state, &params.text_document.uri, None)
                    .map(SemanticTokensResult::Tokens),
            )
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let state = self.state.clone();
        blocking("textDocument/semanticTokens/range", move || {
            Ok(
                decorations::semantic_tokens(&state, &params.text_document.uri, Some(params.range))
                    .map(SemanticTokensRangeResult::Tokens),
            )
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let state = self.state.clone();
        blocking("textDocument/codeLens", move || {
            Ok(decorations::code_lenses(&state, params))
        })
        .await
    }

    async fn code_lens_resolve(&self, params: CodeLens) -> Result<CodeLens> {
        let state = self.state.clone();
        blocking("codeLens/resolve", move || {
            Ok(decorations::resolve_code_lens(&state, params))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let state = self.state.clone();
        blocking("textDocument/inlayHint", move || {
            Ok(decorations::inlay_hints(&state, params))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// A cancelled request (its future dropped, as tower-lsp-server does on
    /// `$/cancelRequest`) stops its blocking work at the next check.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_a_request_stops_its_blocking_work() {
        let (tx, rx) = std::sync::mpsc::channel();
        let fut = blocking_cancellable("test", move |cancel| {
            let start = Instant::now();
            while !cancel.is_cancelled() && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(1));
            }
            let _ = tx.send((cancel.is_cancelled(), start.elapsed()));
            Ok(())
        });
        let r = tokio::time::timeout(Duration::from_millis(50), fut).await;
        assert!(r.is_err(), "the work should still be running");
        let (cancelled, took) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(cancelled);
        assert!(took < Duration::from_secs(5), "{took:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_finished_request_returns_its_result() {
        let r = blocking_cancellable("test", |cancel| Ok(cancel.is_cancelled())).await;
        assert_eq!(r.ok(), Some(false));
    }
}
