//! Publishing diagnostics: push (`publishDiagnostics` with the document
//! version) after each change, or pull (`textDocument/diagnostic`) when the
//! client supports it.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::convert;
use super::state::State;

/// Analyses a document version (unless a newer one arrived) and converts its
/// findings; `None` when the version is stale or the document closed.
fn compute(
    state: &Arc<State>,
    key: &Arc<Path>,
    text: String,
    version: i32,
) -> Option<(Vec<Diagnostic>, Uri)> {
    let st = state.clone();
    let k = key.clone();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let entry = st.analyse_open(&k, &text, version)?;
        let findings = st.findings(&entry);
        let pos = st.positions(&entry);
        let diags: Vec<Diagnostic> = findings
            .iter()
            .map(|f| convert::diagnostic(&pos, f))
            .collect();
        let uri = st.open.get(&k).map(|d| d.uri.clone())?;
        Some((diags, uri))
    }));
    match outcome {
        Ok(r) => r,
        Err(_) => {
            tracing::error!("analysis of {} panicked", key.display());
            None
        }
    }
}

/// Computes and publishes one document version's diagnostics (push mode), or
/// only analyses it (pull mode: the client asks).
async fn publish(client: &Client, state: &Arc<State>, key: Arc<Path>, text: String, version: i32) {
    let pull = state.session().pull_diagnostics;
    let st = state.clone();
    let k = key.clone();
    let computed = tokio::task::spawn_blocking(move || {
        if pull {
            let _ = st.analyse_open(&k, &text, version);
            None
        } else {
            compute(&st, &k, text, version)
        }
    })
    .await;
    if let Ok(Some((diags, uri))) = computed {
        // Publish only the newest version.
        if state.open_version(&key) == Some(version) {
            client.publish_diagnostics(uri, diags, Some(version)).await;
        }
    }
}

/// Analyses a document version in the background and publishes its
/// diagnostics, unless a newer version arrives first.
pub fn schedule(client: Client, state: Arc<State>, key: Arc<Path>, text: String, version: i32) {
    tokio::spawn(async move {
        publish(&client, &state, key, text, version).await;
        schedule_relink(client, state);
    });
}

/// How long edits must pause before the corpus is relinked.
const RELINK_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(300);

/// Once edits pause, relinks the corpus's entities in the background (the
/// edit's own diagnostics were published against the last table), then
/// republishes the open documents whose links changed.
pub fn schedule_relink(client: Client, state: Arc<State>) {
    let epoch = state.relink_epoch.fetch_add(1, Ordering::AcqRel) + 1;
    tokio::spawn(async move {
        tokio::time::sleep(RELINK_DEBOUNCE).await;
        if state.relink_epoch.load(Ordering::Acquire) != epoch
            || !state.indexing_done()
            || !state.corpus.relink_pending()
        {
            // A newer edit will relink, or indexing ends with a relink.
            return;
        }
        let st = state.clone();
        let changed = tokio::task::spawn_blocking(move || {
            let open: Vec<Arc<crate::corpus::DocEntry>> = st
                .open
                .iter()
                .filter_map(|e| st.corpus.get(e.key()))
                .collect();
            let before: Vec<_> = open.iter().map(|d| st.corpus.links_of(d)).collect();
            if !st.corpus.relink() {
                return Vec::new();
            }
            open.iter()
                .zip(before)
                .filter(|(d, b)| st.corpus.links_of(d) != *b)
                .map(|(d, _)| d.path.clone())
                .collect::<Vec<Arc<Path>>>()
        })
        .await
        .unwrap_or_default();
        if state.session().pull_diagnostics {
            if !changed.is_empty() {
                let _ = client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        for key in changed {
            let Some((text, version)) = state
                .open
                .get(&key)
                .map(|d| (d.doc.text(), d.doc.version()))
            else {
                continue;
            };
            publish(&client, &state, key, text, version).await;
        }
    });
}

/// Pull diagnostics for one document.
pub fn pull(state: &State, uri: &Uri) -> DocumentDiagnosticReportResult {
    let key = convert::uri_to_key(uri);
    let items = match state.entry(&key) {
        Some(entry) => {
            let pos = state.positions(&entry);
            state
                .findings(&entry)
                .iter()
                .map(|f| convert::diagnostic(&pos, f))
                .collect()
        }
        None => Vec::new(),
    };
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// Re-publishes (push) or asks the client to re-pull (pull) the diagnostics of
/// every open document, after a corpus-wide change.
pub async fn refresh_open(client: &Client, state: &Arc<State>) {
    if state.session().pull_diagnostics {
        let _ = client.workspace_diagnostic_refresh().await;
        return;
    }
    let open: Vec<(Arc<Path>, String, i32)> = state
        .open
        .iter()
        .map(|e| (e.key().clone(), e.doc.text(), e.doc.version()))
        .collect();
    for (key, text, version) in open {
        publish(client, state, key, text, version).await;
    }
}
