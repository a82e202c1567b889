//! Server state: the open documents (ropes, applied synchronously in receipt
//! order), the corpus, the settings and what was negotiated with the client.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::rules::Finding;
use crate::config::Settings;
use crate::corpus::{Corpus, DocEntry};
use crate::text::{Change, Document, PositionEncoding};

use super::convert::{Positions, TextFacts};

/// An open document: its URI as the client wrote it and its rope.
#[derive(Debug, Clone)]
pub struct OpenDoc {
    pub uri: Uri,
    pub doc: Document,
}

/// What the client supports, fixed at `initialize`.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub encoding: PositionEncoding,
    pub pull_diagnostics: bool,
    pub work_done_progress: bool,
    pub watch_dynamic: bool,
    pub configuration_pull: bool,
    pub markdown_hover: bool,
    pub roots: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct State {
    pub corpus: Corpus,
    /// Curated annotations (`.ann` sidecars, `news-ls.toml`): see `server::annotations`.
    pub annotations: Arc<crate::annotations::AnnotationIndex>,
    pub open: DashMap<Arc<Path>, OpenDoc>,
    pub settings: RwLock<Settings>,
    pub session: RwLock<Session>,
    pub indexing_done: AtomicBool,
    pub shutting_down: AtomicBool,
    /// Bumped by every edit: the debounced relink runs only once edits pause.
    pub relink_epoch: std::sync::atomic::AtomicU64,
    /// Position facts of each document, for the version last converted
    /// (its generation and length): scanning every text for a lone carriage
    /// return, then counting UTF-16 units from each line start, took over
    /// half of the time of references to a frequent entity. One entry per
    /// document: the facts of a 1 MB text hold about 100 KB of tables,
    /// which versions replaced by edits must not keep.
    text_facts: DashMap<Arc<Path>, (u64, usize, Arc<TextFacts>)>,
    /// The URI of each document not open, as a JSON string: building it
    /// (percent-encoding the path, then parsing the result) took a fifth of
    /// the time of references to a frequent entity.
    quoted_uris: DashMap<Arc<Path>, Arc<[u8]>>,
}

impl State {
    pub fn session(&self) -> Session {
        self.session.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn settings(&self) -> Settings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.session.read().map(|s| s.encoding).unwrap_or_default()
    }

    pub fn indexing_done(&self) -> bool {
        self.indexing_done.load(Ordering::Acquire)
    }

    /// Opens (or reopens) a document.
    pub fn open(&self, key: Arc<Path>, uri: Uri, text: &str, version: i32) {
        self.open.insert(
            key,
            OpenDoc {
                uri,
                doc: Document::new(text, version),
            },
        );
    }

    /// Applies one `didChange` synchronously. Returns the new text and version,
    /// or `None` when the document is not open or the change is stale (a version
    /// not newer than the one held).
    pub fn change(
        &self,
        key: &Path,
        changes: &[Change],
        version: i32,
    ) -> Option<(String, i32, usize)> {
        let enc = self.encoding();
        let mut entry = self.open.get_mut(key)?;
        if version <= entry.doc.version() {
            return None;
        }
        let clamped = entry.doc.apply(changes, version, enc);
        Some((entry.doc.text(), version, clamped))
    }

    /// The latest version of an open document.
    pub fn open_version(&self, key: &Path) -> Option<i32> {
        self.open.get(key).map(|d| d.doc.version())
    }

    /// Analyses the open document's text for `version` into the corpus, unless a
    /// newer version arrived meanwhile. Returns the corpus entry when it is current.
    pub fn analyse_open(&self, key: &Arc<Path>, text: &str, version: i32) -> Option<Arc<DocEntry>> {
        if self.open_version(key) != Some(version) {
            return None;
        }
        if let Some(existing) = self.corpus.get(key) {
            if existing.open_version == Some(version) {
                return Some(existing);
            }
        }
        let entry = self
            .corpus
            .insert(key.clone(), Arc::from(text), Some(version), Vec::new());
        self.settle(key);
        // A newer version may have landed while we analysed: the caller drops us.
        (self.open_version(key) == Some(version)).then_some(entry)
    }

    /// The corpus entry of a document, analysing the open text first when the
    /// corpus holds an older version.
    pub fn entry(&self, key: &Arc<Path>) -> Option<Arc<DocEntry>> {
        if let Some(open) = self.open.get(key) {
            let version = open.doc.version();
            let current = self
                .corpus
                .get(key)
                .filter(|e| e.open_version == Some(version));
            if let Some(e) = current {
                return Some(e);
            }
            let text = open.doc.text();
            drop(open);
            let entry = self.corpus.insert(
                key.clone(),
                Arc::from(text.as_str()),
                Some(version),
                Vec::new(),
            );
            self.settle(key);
            return Some(entry);
        }
        self.corpus.get(key)
    }

    /// After putting an open document's text into the corpus: if the document
    /// was closed meanwhile, its editor text must not outlive it there (the
    /// close already put the disk copy back, or removed it, before our insert
    /// landed): redo what the close did.
    fn settle(&self, key: &Arc<Path>) {
        if !self.open.contains_key(key) {
            super::indexing::reload_from_disk(self, key);
        }
    }

    /// Findings of a document after the user's severity settings.
    pub fn findings(&self, entry: &DocEntry) -> Vec<Finding> {
        let settings = self.settings();
        let findings = self.corpus.findings(entry, settings.repeat_threshold);
        settings.effective(findings)
    }

    /// Position converter for a corpus entry.
    pub fn positions<'a>(&self, entry: &'a DocEntry) -> Positions<'a> {
        let version = (entry.generation, entry.text.len());
        let enc = self.encoding();
        let cached = self
            .text_facts
            .get(&entry.path)
            .filter(|known| (known.0, known.1) == version && known.2.encoding() == enc)
            .map(|known| known.2.clone());
        let facts = cached.unwrap_or_else(|| {
            let f = Arc::new(TextFacts::of(&entry.text, &entry.lines, enc));
            self.remember(
                &self.text_facts,
                &entry.path,
                (version.0, version.1, f.clone()),
            );
            f
        });
        Positions::with_facts(&entry.text, &entry.lines, enc, facts)
    }

    /// The URI of a corpus document (the client's own URI when it is open).
    pub fn uri(&self, doc: &DocEntry) -> Option<Uri> {
        if let Some(open) = self.open.get(&doc.path) {
            return Some(open.uri.clone());
        }
        super::convert::key_to_uri(&doc.path)
    }

    /// [`State::uri`] as a JSON string, built once per path for a document
    /// that is not open. `doc` is an entry as [`State::entry`] returns it:
    /// the open text's when the document is open, so only such an entry's
    /// document is looked up among the open ones.
    pub fn quoted_uri(&self, doc: &DocEntry) -> Option<Arc<[u8]>> {
        if doc.open_version.is_some() {
            return Some(Arc::from(super::raw::quoted(self.uri(doc)?.as_str())));
        }
        if let Some(known) = self.quoted_uris.get(&doc.path) {
            return Some(known.clone());
        }
        let uri = super::convert::key_to_uri(&doc.path)?;
        let quoted: Arc<[u8]> = Arc::from(super::raw::quoted(uri.as_str()));
        self.remember(&self.quoted_uris, &doc.path, quoted.clone());
        Some(quoted)
    }

    /// Keeps `value` for a document in one of the per-document caches.
    /// Paths of removed documents accumulate there: the cache starts over
    /// once it holds twice as many paths as the corpus (and a margin).
    fn remember<V>(&self, cache: &DashMap<Arc<Path>, V>, path: &Arc<Path>, value: V) {
        if cache.len() > 2 * self.corpus.len() + 4096 {
            cache.clear();
        }
        cache.insert(path.clone(), value);
    }

    /// Whether a path lies under one of the workspace roots and is reached
    /// from it without following a symlink (a link inside the workspace, to
    /// anywhere, is not followed: the same rule as the initial scan).
    pub fn in_workspace(&self, path: &Path) -> bool {
        let roots = self.session().roots;
        if roots.is_empty() {
            return false;
        }
        let Ok(real) = path.canonicalize() else {
            // A deleted file: judge by its lexical path (only used to drop it).
            return roots.iter().any(|r| path.starts_with(r));
        };
        roots.iter().any(|r| {
            let Ok(rel) = path.strip_prefix(r) else {
                return false;
            };
            let root = r.canonicalize().unwrap_or_else(|_| r.clone());
            real == root.join(rel)
        })
    }
}
