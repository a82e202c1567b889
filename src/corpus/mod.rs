//! The corpus: every article of the workspace (open or on disk), its analysis,
//! the entities linked across all of them, and the lines repeated across
//! articles. Concurrent (`dashmap`), updated one document at a time; the
//! corpus-wide entity table is rebuilt lazily when it is next asked for, or,
//! in lazy mode (the server), by an explicit background relink while the
//! documents changed since are linked on the fly against the last table
//! ([`view::EntityView`]).

pub mod entities;
pub mod repeats;
pub mod view;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;

use crate::analysis::rules::{self, Finding, RuleContext};
use crate::analysis::{self, AnalysisOptions, Article, Lines};

pub use entities::{Entity, EntityId, EntityTable, MentionRef};
pub use view::EntityView;

use crate::analysis::names::{FastMap, FastSet};

/// In lazy mode, corpora up to this many documents are still relinked
/// synchronously (a relink costs well under a millisecond per document, so
/// small corpora stay exact at every request).
const SYNC_RELINK_MAX_DOCS: usize = 200;

/// One document of the corpus.
#[derive(Debug)]
pub struct DocEntry {
    pub path: Arc<Path>,
    pub text: Arc<str>,
    pub lines: Lines,
    pub article: Article,
    /// The editor's version when the document is open; `None` for files read from disk.
    pub open_version: Option<i32>,
    /// Unique per stored version (increasing): tells whether the entity table
    /// was built from this very version.
    pub generation: u64,
    /// The title folded for symbol search, computed on first use.
    pub title_key: std::sync::OnceLock<String>,
}

/// What people curated, applied on top of the analysis (implemented by
/// `crate::annotations::AnnotationIndex`: `.ann` sidecars and `news-ls.toml`).
pub trait Curation: Send + Sync + std::fmt::Debug {
    /// Adjusts an article right after its analysis (curated spans win).
    fn curate(&self, path: &Path, text: &str, article: &mut Article);
    /// Adjusts a document's findings (adds annotation findings, applies
    /// configured severities and suppressions).
    fn adjust_findings(&self, path: &Path, text: &str, findings: &mut Vec<Finding>);
    /// Whether curation can change this article's analysis at all (a sidecar
    /// or a configuration applies to it). Articles it cannot change may have
    /// their quotations found later, in the background.
    fn affects(&self, _path: &Path) -> bool {
        true
    }
}

/// The workspace-wide index.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: DashMap<Arc<Path>, Arc<DocEntry>>,
    options: RwLock<AnalysisOptions>,
    curation: RwLock<Option<Arc<dyn Curation>>>,
    /// The last built entity table and the generation of each document it saw.
    entity_table: Mutex<Option<Linking>>,
    /// Serialises relinks.
    relink: Mutex<()>,
    /// Documents changed or removed since the table was built.
    pending: Mutex<FastSet<Arc<Path>>>,
    /// Documents stored without their quotations yet (see [`Corpus::insert_deferred`]).
    quotes_pending: Mutex<FastSet<Arc<Path>>>,
    /// The cached view, valid while `changes` equals its stamp.
    view: Mutex<Option<(u64, Arc<EntityView>)>>,
    changes: AtomicU64,
    next_generation: AtomicU64,
    /// When set, requests never relink a large corpus: see [`Corpus::set_lazy_linking`].
    lazy: AtomicBool,
    repeats: repeats::LineRepeats,
}

#[derive(Debug, Clone)]
struct Linking {
    table: Arc<EntityTable>,
    generations: Arc<FastMap<Arc<Path>, u64>>,
}

impl Corpus {
    pub fn new(options: AnalysisOptions) -> Self {
        Corpus {
            options: RwLock::new(options),
            ..Corpus::default()
        }
    }

    /// Replaces the analysis options; every document is re-analysed.
    pub fn set_options(&self, options: AnalysisOptions) {
        if let Ok(mut o) = self.options.write() {
            *o = options;
        }
        let all: Vec<Arc<DocEntry>> = self.docs.iter().map(|e| e.value().clone()).collect();
        for d in all {
            let problems = d.article.read_problems.clone();
            self.insert(d.path.clone(), d.text.clone(), d.open_version, problems);
        }
    }

    /// Installs the curation applied after every analysis (documents already
    /// analysed are not redone: call [`Corpus::set_options`] or re-insert them).
    pub fn set_curation(&self, curation: Arc<dyn Curation>) {
        if let Ok(mut c) = self.curation.write() {
            *c = Some(curation);
        }
    }

    fn curation(&self) -> Option<Arc<dyn Curation>> {
        self.curation.read().ok().and_then(|c| c.clone())
    }

    pub fn options(&self) -> AnalysisOptions {
        self.options.read().map(|o| o.clone()).unwrap_or_default()
    }

    /// Analyses a document and stores it (replacing any previous version).
    pub fn insert(
        &self,
        path: Arc<Path>,
        text: Arc<str>,
        open_version: Option<i32>,
        read_problems: Vec<String>,
    ) -> Arc<DocEntry> {
        self.insert_with(path, text, open_version, read_problems, false)
    }

    /// Like [`Corpus::insert`] for a file read from disk, but leaves its
    /// quotations to [`Corpus::complete_quotes`] when curation cannot change
    /// the article: indexing links the corpus's entities first, and the
    /// quotations (a third of the analysis) follow in the background.
    pub fn insert_deferred(
        &self,
        path: Arc<Path>,
        text: Arc<str>,
        read_problems: Vec<String>,
    ) -> Arc<DocEntry> {
        let defer = self.curation().is_none_or(|c| !c.affects(&path));
        self.insert_with(path, text, None, read_problems, defer)
    }

    fn insert_with(
        &self,
        path: Arc<Path>,
        text: Arc<str>,
        open_version: Option<i32>,
        read_problems: Vec<String>,
        defer_quotes: bool,
    ) -> Arc<DocEntry> {
        let options = self.options();
        let lines = Lines::new(&text);
        let mut article = if defer_quotes {
            analysis::analyze_lines_deferring_quotes(&text, &lines, &options)
        } else {
            analysis::analyze_lines(&text, &lines, &options)
        };
        article.read_problems = read_problems;
        if let Some(c) = self.curation() {
            c.curate(&path, &text, &mut article);
        }
        let entry = Arc::new(DocEntry {
            path: path.clone(),
            lines,
            article,
            text,
            open_version,
            generation: self.next_generation.fetch_add(1, Ordering::Relaxed),
            title_key: std::sync::OnceLock::new(),
        });
        self.repeats.update(&path, &entry.text, &entry.lines);
        self.docs.insert(path.clone(), entry.clone());
        if let Ok(mut p) = self.quotes_pending.lock() {
            if defer_quotes {
                p.insert(path.clone());
            } else {
                p.remove(&path);
            }
        }
        self.invalidate_entities(path);
        entry
    }

    /// Documents whose quotations are still to be found.
    pub fn quotes_pending(&self) -> Vec<Arc<Path>> {
        self.quotes_pending
            .lock()
            .map(|p| p.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Number of documents whose quotations are still to be found.
    pub fn quotes_pending_count(&self) -> usize {
        self.quotes_pending.lock().map(|p| p.len()).unwrap_or(0)
    }

    /// Finds the quotations of a document stored by
    /// [`Corpus::insert_deferred`] and stores the completed version (same
    /// generation: its mentions, hence its entity links, are unchanged).
    /// Returns the stored document; a document edited meanwhile is left alone.
    pub fn complete_quotes(&self, path: &Path) -> Option<Arc<DocEntry>> {
        let doc = self.get(path)?;
        if !doc.article.quotes_pending {
            return Some(doc);
        }
        let options = self.options();
        let quotes = analysis::find_quotes_in_lines(&doc.text, &doc.lines, &doc.article, &options);
        let generation = doc.generation;
        drop(doc);
        let stored = {
            let mut slot = self.docs.get_mut(path)?;
            if slot.generation == generation {
                match Arc::get_mut(&mut slot) {
                    // Nobody else holds this version: complete it in place
                    // (copying the article would churn a corpus's worth of
                    // mentions through the allocator).
                    Some(entry) => {
                        entry.article.quotes = quotes;
                        entry.article.quotes_pending = false;
                    }
                    None => {
                        let mut article = slot.article.clone();
                        article.quotes = quotes;
                        article.quotes_pending = false;
                        *slot = Arc::new(DocEntry {
                            path: slot.path.clone(),
                            text: slot.text.clone(),
                            lines: slot.lines.clone(),
                            article,
                            open_version: slot.open_version,
                            generation,
                            title_key: std::sync::OnceLock::new(),
                        });
                    }
                }
            }
            slot.clone()
        };
        if !stored.article.quotes_pending {
            if let Ok(mut p) = self.quotes_pending.lock() {
                p.remove(path);
            }
        }
        Some(stored)
    }

    /// Forgets a document.
    pub fn remove(&self, path: &Path) -> bool {
        let removed = self.docs.remove(path);
        if let Ok(mut p) = self.quotes_pending.lock() {
            p.remove(path);
        }
        if let Some((key, _)) = &removed {
            self.repeats.remove(path);
            self.invalidate_entities(key.clone());
        }
        removed.is_some()
    }

    pub fn get(&self, path: &Path) -> Option<Arc<DocEntry>> {
        self.docs.get(path).map(|e| e.value().clone())
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every document, in no particular order (cheaper than [`Corpus::documents`]).
    pub fn documents_unordered(&self) -> Vec<Arc<DocEntry>> {
        self.docs.iter().map(|e| e.value().clone()).collect()
    }

    /// Every document, sorted by path (bytewise: cheap, and the order every
    /// corpus-order list uses).
    pub fn documents(&self) -> Vec<Arc<DocEntry>> {
        let mut v: Vec<Arc<DocEntry>> = self.docs.iter().map(|e| e.value().clone()).collect();
        v.sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        v
    }

    /// Lazy mode (the server): requests use the last entity table plus
    /// on-the-fly links for the documents changed since, and the caller runs
    /// [`Corpus::relink`] in the background. Off (the CLI, tests): every
    /// request after a change relinks the whole corpus first.
    pub fn set_lazy_linking(&self, lazy: bool) {
        self.lazy.store(lazy, Ordering::Release);
    }

    fn invalidate_entities(&self, path: Arc<Path>) {
        if let Ok(mut p) = self.pending.lock() {
            p.insert(path);
        }
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether documents changed since the entity table was built.
    pub fn relink_pending(&self) -> bool {
        self.pending.lock().map(|p| !p.is_empty()).unwrap_or(false)
            || self
                .entity_table
                .lock()
                .map(|t| t.is_none())
                .unwrap_or(false)
    }

    /// The number of entities in the last linked table (0 before the first
    /// link); never links anything.
    pub fn linked_entity_count(&self) -> usize {
        self.entity_table
            .lock()
            .ok()
            .and_then(|t| t.as_ref().map(|l| l.table.entities.len()))
            .unwrap_or(0)
    }

    /// Rebuilds the entity table from every document when any changed since
    /// the last build. Returns whether it rebuilt.
    pub fn relink(&self) -> bool {
        let _serial = match self.relink.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !self.relink_pending() {
            return false;
        }
        let docs = self.documents();
        let mut table = EntityTable::build(docs.iter().map(|d| (&d.path, &d.article)));
        let generations: FastMap<Arc<Path>, u64> = docs
            .iter()
            .map(|d| (d.path.clone(), d.generation))
            .collect();
        table.set_generations(|p| generations.get(p).copied());
        let table = Arc::new(table);
        // The table and what changed since it are replaced together (the
        // table's lock held while `pending` is trimmed), as
        // [`Corpus::entities`] reads them together: a view must never pair
        // the old table with the pending set trimmed for the new one.
        if let Ok(mut t) = self.entity_table.lock() {
            if let Ok(mut p) = self.pending.lock() {
                // Keep what changed while we built.
                p.retain(|path| {
                    self.docs.get(path).map(|d| d.generation) != generations.get(path).copied()
                });
            }
            *t = Some(Linking {
                table,
                generations: Arc::new(generations),
            });
        }
        if let Ok(mut v) = self.view.lock() {
            *v = None;
        }
        true
    }

    /// Relinks first when required: always outside lazy mode and for small
    /// corpora, else only when no table was ever built.
    fn relink_if_required(&self) {
        let must_relink = !self.lazy.load(Ordering::Acquire) || self.len() <= SYNC_RELINK_MAX_DOCS;
        if must_relink
            || self
                .entity_table
                .lock()
                .map(|t| t.is_none())
                .unwrap_or(true)
        {
            self.relink();
        }
    }

    /// The last table (an empty one if none could be built).
    fn current_linking(table: Option<&Linking>) -> Linking {
        table.cloned().unwrap_or_else(|| Linking {
            table: Arc::new(EntityTable::default()),
            generations: Arc::new(FastMap::default()),
        })
    }

    fn linking(&self) -> Linking {
        self.relink_if_required();
        let table = self.entity_table.lock();
        Corpus::current_linking(table.as_ref().ok().and_then(|t| t.as_ref()))
    }

    /// The last table and the documents changed since it was built, read
    /// together (see [`Corpus::relink`]), after relinking when required.
    fn linking_and_pending(&self) -> (Linking, Vec<Arc<Path>>) {
        self.relink_if_required();
        let table = self.entity_table.lock();
        let linking = Corpus::current_linking(table.as_ref().ok().and_then(|t| t.as_ref()));
        let pending = self
            .pending
            .lock()
            .map(|p| p.iter().cloned().collect())
            .unwrap_or_default();
        (linking, pending)
    }

    /// The entities: the last table, with the documents changed since it was
    /// built linked on the fly (relinked first unless in lazy mode).
    pub fn entities(&self) -> Arc<EntityView> {
        let stamp = self.changes.load(Ordering::Acquire);
        if let Ok(v) = self.view.lock() {
            if let Some((s, view)) = v.as_ref() {
                if *s == stamp {
                    return view.clone();
                }
            }
        }
        let (linking, pending) = self.linking_and_pending();
        // A bulk load (the workspace being indexed) leaves thousands of new
        // articles pending: linking them all at every request would make
        // indexing quadratic. Then only the open ones and those the table
        // already knew are linked on the fly; the relink that ends the load
        // links the rest.
        let bulk = self.lazy.load(Ordering::Acquire) && pending.len() > SYNC_RELINK_MAX_DOCS;
        let current: Vec<(Arc<Path>, Option<Arc<DocEntry>>)> = pending
            .into_iter()
            .filter_map(|p| {
                let doc = self.get(&p);
                let built = linking.generations.get(&p).copied();
                let new_on_disk =
                    built.is_none() && doc.as_ref().is_some_and(|d| d.open_version.is_none());
                if bulk && new_on_disk {
                    return None;
                }
                (doc.as_ref().map(|d| d.generation) != built).then_some((p, doc))
            })
            .collect();
        let view = Arc::new(EntityView::with_changes(
            linking.table.clone(),
            current.iter().map(|(p, d)| (p, d.as_deref())),
        ));
        if let Ok(mut v) = self.view.lock() {
            *v = Some((stamp, view.clone()));
        }
        view
    }

    /// The link verdicts of one document's mentions, without building the
    /// whole view (the keystroke path).
    pub fn links_of(&self, doc: &DocEntry) -> Vec<Option<rules::MentionLink>> {
        let linking = self.linking();
        if linking.generations.get(&doc.path) == Some(&doc.generation) {
            return linking.table.links_of(&doc.path);
        }
        linking
            .table
            .link_article(&doc.article)
            .into_iter()
            .map(|l| linking.table.verdict(l))
            .collect()
    }

    /// Boilerplate lines of a document found repeated across the corpus.
    pub fn repeated_lines(
        &self,
        doc: &DocEntry,
        threshold: usize,
    ) -> Vec<analysis::BoilerplateLine> {
        self.repeats.repeated_in(doc, threshold)
    }

    /// Runs every diagnostic rule on a document, with the corpus facts.
    pub fn findings(&self, doc: &DocEntry, repeat_threshold: usize) -> Vec<Finding> {
        let links = self.links_of(doc);
        let repeated = self.repeated_lines(doc, repeat_threshold);
        // Quotation rules need the quotations, found now if still pending.
        let completed;
        let article = if doc.article.quotes_pending {
            let mut a = doc.article.clone();
            a.quotes = analysis::find_quotes(&doc.text, &a, &self.options());
            a.quotes_pending = false;
            completed = a;
            &completed
        } else {
            &doc.article
        };
        let ctx = RuleContext {
            text: &doc.text,
            lines: &doc.lines,
            article,
            links: &links,
            corpus_boilerplate: &repeated,
        };
        let mut findings = rules::run_all(&ctx);
        if let Some(c) = self.curation() {
            c.adjust_findings(&doc.path, &doc.text, &mut findings);
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Minsk répond à Varsovie\n\n\
        « Nous ne céderons pas », a déclaré Alexandre Loukachenko lundi.\n\n\
        Selon Vladimir Poutine, « la Russie est prête ».\n";

    #[test]
    fn deferred_quotations_are_completed_in_place() {
        let corpus = Corpus::new(AnalysisOptions::default());
        let path: Arc<Path> = Arc::from(Path::new("/corpus/a.txt"));
        let whole = analysis::analyze(TEXT, &AnalysisOptions::default());
        let stored = corpus.insert_deferred(path.clone(), Arc::from(TEXT), Vec::new());
        assert!(stored.article.quotes.is_empty());
        assert_eq!(corpus.quotes_pending_count(), 1);
        // Rules see the quotations even before they are stored.
        let findings = corpus.findings(&stored, 3);
        assert_eq!(
            findings,
            corpus.findings(&corpus.complete_quotes(&path).unwrap(), 3)
        );
        let done = corpus.get(&path).unwrap();
        assert_eq!(done.article, whole);
        assert_eq!(done.generation, stored.generation, "links stay valid");
        assert_eq!(corpus.quotes_pending_count(), 0);
    }

    #[test]
    fn mentions_are_read_only_from_the_version_the_view_links() {
        let corpus = Corpus::new(AnalysisOptions::default());
        let a: Arc<Path> = Arc::from(Path::new("/corpus/a.txt"));
        let b: Arc<Path> = Arc::from(Path::new("/corpus/b.txt"));
        corpus.insert(a.clone(), Arc::from(TEXT), None, Vec::new());
        let old_b = corpus.insert(
            b.clone(),
            Arc::from("Le président Alexandre Loukachenko a parlé.\n"),
            Some(1),
            Vec::new(),
        );
        let view = corpus.entities();
        let luka = view
            .entities
            .iter()
            .find(|e| e.name == "Alexandre Loukachenko")
            .unwrap()
            .id;
        let in_b: Vec<MentionRef> = view
            .mentions_of(luka)
            .into_iter()
            .filter(|r| r.path == b)
            .collect();
        assert_eq!(in_b.len(), 1);
        let span = in_b[0].span_in(&old_b).unwrap();
        assert_eq!(span.text(&old_b.text), "Alexandre Loukachenko");
        // An edit lands after the view was taken: a new first sentence puts
        // another name at the old index. The old reference reads nothing
        // from the new version rather than the wrong mention.
        let new_b = corpus.insert(
            b.clone(),
            Arc::from("Vladimir Poutine est venu. Le président Alexandre Loukachenko a parlé.\n"),
            Some(2),
            Vec::new(),
        );
        assert_eq!(in_b[0].span_in(&new_b), None);
        // A view taken now reads the new version.
        let fresh = corpus.entities();
        let spans: Vec<&str> = fresh
            .mentions_of(luka)
            .iter()
            .filter(|r| r.path == b)
            .filter_map(|r| r.span_in(&new_b).map(|s| s.text(&new_b.text)))
            .collect();
        assert_eq!(spans, vec!["Alexandre Loukachenko"]);
    }

    #[test]
    fn an_edit_wins_over_a_late_completion() {
        let corpus = Corpus::new(AnalysisOptions::default());
        let path: Arc<Path> = Arc::from(Path::new("/corpus/a.txt"));
        corpus.insert_deferred(path.clone(), Arc::from(TEXT), Vec::new());
        let edited = corpus.insert(
            path.clone(),
            Arc::from("Autre texte.\n"),
            Some(2),
            Vec::new(),
        );
        assert_eq!(corpus.quotes_pending_count(), 0);
        let after = corpus.complete_quotes(&path).unwrap();
        assert_eq!(after.generation, edited.generation);
        assert_eq!(&*after.text, "Autre texte.\n");
    }
}
