//! Workspace indexing: the initial scan of every `*.txt` under the workspace
//! folders (in the background, with `$/progress`), files changed on disk
//! (`workspace/didChangeWatchedFiles`), and settings pulled from the client.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use crate::files;

use super::convert;
use super::diagnostics;
use super::state::State;

/// Everything done once the client said `initialized`.
pub async fn after_initialized(client: Client, state: Arc<State>) {
    let session = state.session();
    if session.watch_dynamic {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.{txt,ann,toml}".to_string()),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "news-ls-watch-txt".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = client.register_capability(vec![registration]).await {
            tracing::warn!("could not register file watchers: {e}");
        }
    }
    reload_settings(&client, &state, None).await;
    super::annotations::load_workspace(&client, &state).await;
    let started = std::time::Instant::now();
    index_workspace(&client, &state).await;
    let analysed = started.elapsed();
    // Link the whole corpus once, before anyone waits on it.
    let st = state.clone();
    let _ = tokio::task::spawn_blocking(move || st.corpus.relink()).await;
    state.indexing_done.store(true, Ordering::Release);
    tracing::info!(
        "indexing: {} articles read and analysed in {:.2} s, linked in {:.2} s",
        state.corpus.len(),
        analysed.as_secs_f64(),
        (started.elapsed() - analysed).as_secs_f64()
    );
    // Give back what indexing freed (its working data). A relink at each
    // edit frees and reuses about the same memory, so is left alone:
    // releasing there would make the next edit fault its pages in again.
    let _ = tokio::task::spawn_blocking(crate::memory::release).await;
    super::annotations::after_indexing(&client, &state).await;
    diagnostics::refresh_open(&client, &state).await;
    complete_quotations(&client, &state).await;
}

/// Finds the quotations that indexing left for later (see
/// `Corpus::insert_deferred`), in the background on all cores but one so
/// that requests keep being answered; stops at shutdown. Until it is done,
/// lists of a speaker's quotations across the corpus can be partial
/// (`quotationsPending` in `news-ls/status` says how many articles remain).
async fn complete_quotations(client: &Client, state: &Arc<State>) {
    let pending = state.corpus.quotes_pending();
    if pending.is_empty() {
        return;
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .clamp(1, 8);
    let started = std::time::Instant::now();
    let st = state.clone();
    let count = pending.len();
    let _ = tokio::task::spawn_blocking(move || {
        let done = AtomicUsize::new(0);
        for_each_on_workers(&st, &pending, workers, &done, |p| {
            st.corpus.complete_quotes(p);
        });
        // The workers' working data is freed.
        crate::memory::release();
    })
    .await;
    if state.shutting_down.load(Ordering::Acquire) {
        return;
    }
    tracing::info!(
        "quotations of {} articles found in {:.1} s",
        count,
        started.elapsed().as_secs_f64()
    );
    client
        .log_message(
            MessageType::INFO,
            format!("news-ls: quotations found in {count} articles"),
        )
        .await;
}

/// Reads settings: from the `didChangeConfiguration` payload when it carries
/// them, else by asking the client (`workspace/configuration`).
pub async fn reload_settings(client: &Client, state: &Arc<State>, pushed: Option<Value>) {
    let mut value = pushed.filter(|v| !v.is_null() && v.as_object().is_none_or(|o| !o.is_empty()));
    if value.is_none() && state.session().configuration_pull {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("news-ls".to_string()),
        };
        match client.configuration(vec![item]).await {
            Ok(mut values) => value = values.pop(),
            Err(e) => tracing::info!("workspace/configuration failed: {e}"),
        }
    }
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return;
    };
    let mut settings = crate::config::Settings::default();
    let errors = settings.apply_json(&value);
    if let Ok(mut s) = state.settings.write() {
        *s = settings;
    }
    for e in errors {
        client
            .log_message(MessageType::WARNING, format!("news-ls settings: {e}"))
            .await;
    }
}

/// Indexes every article under the workspace folders, reporting progress.
async fn index_workspace(client: &Client, state: &Arc<State>) {
    index_roots(client, state, state.session().roots).await;
}

/// Workspace folders added or removed by the client
/// (`workspace/didChangeWorkspaceFolders`): the roots, gazetteers and sidecars
/// are reloaded, the articles of removed folders leave the corpus (unless
/// open in the editor), those of added folders are indexed, and the corpus is
/// linked again.
pub async fn change_folders(
    client: &Client,
    state: &Arc<State>,
    added: Vec<std::path::PathBuf>,
    removed: Vec<std::path::PathBuf>,
) {
    if let Ok(mut s) = state.session.write() {
        s.roots.retain(|r| !removed.contains(r));
        for a in &added {
            if !s.roots.contains(a) {
                s.roots.push(a.clone());
            }
        }
    }
    let st = state.clone();
    let gone = removed.clone();
    let _ = tokio::task::spawn_blocking(move || {
        for doc in st.corpus.documents_unordered() {
            let under_removed = gone.iter().any(|r| doc.path.starts_with(r));
            if under_removed && !st.open.contains_key(&doc.path) && !st.in_workspace(&doc.path) {
                st.corpus.remove(&doc.path);
            }
        }
    })
    .await;
    super::annotations::load_workspace(client, state).await;
    index_roots(client, state, added).await;
    let st = state.clone();
    let _ = tokio::task::spawn_blocking(move || st.corpus.relink()).await;
    diagnostics::refresh_open(client, state).await;
    complete_quotations(client, state).await;
}

/// Reads and analyses every article under `roots` (quotations deferred).
async fn index_roots(client: &Client, state: &Arc<State>, roots: Vec<std::path::PathBuf>) {
    if roots.is_empty() {
        return;
    }
    let st = state.clone();
    let listed = std::time::Instant::now();
    let paths = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        for root in &roots {
            if is_home(root) {
                tracing::warn!("not indexing {}: it is the home folder", root.display());
                continue;
            }
            all.extend(files::walk(root));
        }
        let _ = &st;
        all
    })
    .await
    .unwrap_or_default();
    let total = paths.len();
    tracing::info!(
        "indexing: {total} articles listed in {:.3} s",
        listed.elapsed().as_secs_f64()
    );
    let progress = if state.session().work_done_progress && total > 0 {
        let token = NumberOrString::String("news-ls/indexing".to_string());
        match client.create_work_done_progress(token.clone()).await {
            Ok(()) => Some(
                client
                    .progress(token, "Indexing")
                    .with_message(format!("0/{total} articles"))
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            Err(_) => None,
        }
    } else {
        None
    };
    let limit = state.settings().max_file_bytes;
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let done = Arc::new(AtomicUsize::new(0));
    let mut job = {
        let (st, done) = (state.clone(), done.clone());
        tokio::task::spawn_blocking(move || {
            let skipped = Mutex::new(Vec::new());
            for_each_on_workers(&st, &paths, workers, &done, |p| {
                index_file(&st, p, limit, &skipped)
            });
            skipped.into_inner().unwrap_or_default()
        })
    };
    // Progress is reported while the workers run, a few times a second.
    let skipped: Vec<String> = loop {
        tokio::select! {
            result = &mut job => break result.unwrap_or_default(),
            () = tokio::time::sleep(std::time::Duration::from_millis(250)) => {
                if let Some(p) = &progress {
                    let done = done.load(Ordering::Relaxed);
                    let pct = u32::try_from(done * 100 / total.max(1)).unwrap_or(100);
                    p.report_with_message(format!("{done}/{total} articles"), pct)
                        .await;
                }
            }
        }
    };
    if state.shutting_down.load(Ordering::Acquire) {
        return;
    }
    if let Some(p) = progress {
        p.finish_with_message(format!("{total} articles indexed"))
            .await;
    }
    for s in skipped {
        client
            .log_message(MessageType::WARNING, format!("news-ls: skipped {s}"))
            .await;
    }
    client
        .log_message(
            MessageType::INFO,
            format!("news-ls: indexed {total} articles"),
        )
        .await;
}

/// Runs `work` on every item on `workers` threads kept for the whole list
/// (the analysis keeps per-thread caches of word facts warm from one article
/// to the next: threads started per small chunk lost them, and indexing ran
/// on 1.3 of 2 cores); stops early at shutdown. `done` counts the items
/// processed, for progress reports.
fn for_each_on_workers<T: Sync>(
    state: &State,
    items: &[T],
    workers: usize,
    done: &AtomicUsize,
    work: impl Fn(&T) + Sync,
) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if state.shutting_down.load(Ordering::Acquire) {
                        break;
                    }
                    work(item);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
}

/// Reads and analyses one file into the corpus (unless the editor has it
/// open: its text wins); a file that cannot be read is recorded in `skipped`.
fn index_file(state: &State, p: &Path, limit: u64, skipped: &Mutex<Vec<String>>) {
    let key: Arc<Path> = Arc::from(p);
    if state.open.contains_key(&key) {
        return;
    }
    match files::read_article(p, limit) {
        Ok(t) => {
            state.corpus.insert_deferred(key, t.text, t.problems);
        }
        Err(e) => {
            if let Ok(mut s) = skipped.lock() {
                s.push(format!("{}: {e}", p.display()));
            }
        }
    }
}

fn is_home(root: &Path) -> bool {
    std::env::var_os("HOME").is_some_and(|h| Path::new(&h) == root)
}

/// Puts the disk copy of a document back into the corpus (after `didClose`),
/// or removes it when the file is gone or outside the workspace.
pub fn reload_from_disk(state: &State, key: &Arc<Path>) {
    let limit = state.settings().max_file_bytes;
    if key.is_absolute() && state.in_workspace(key) && files::is_article(key) {
        if let Ok(t) = files::read_article(key, limit) {
            state.corpus.insert(key.clone(), t.text, None, t.problems);
            return;
        }
    }
    state.corpus.remove(key);
}

/// Files created, changed or deleted outside the editor.
pub async fn watched_files(client: &Client, state: &Arc<State>, changes: Vec<FileEvent>) {
    super::annotations::watched_files(client, state, &changes).await;
    let st = state.clone();
    let changed = tokio::task::spawn_blocking(move || {
        let mut any = false;
        for ev in changes {
            let key = convert::uri_to_key(&ev.uri);
            if st.open.contains_key(&key) || !files::is_article(&key) {
                continue; // an open document's editor text wins
            }
            if ev.typ == FileChangeType::DELETED {
                any |= st.corpus.remove(&key);
            } else if st.in_workspace(&key) {
                reload_from_disk(&st, &key);
                any = true;
            }
        }
        any
    })
    .await
    .unwrap_or(false);
    if changed {
        diagnostics::refresh_open(client, state).await;
        diagnostics::schedule_relink(client.clone(), state.clone());
    }
}
