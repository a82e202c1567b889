//! The corpus: every article of the workspace (open or on disk), its analysis,
//! the entities linked across all of them, and the lines repeated across
//! articles. Concurrent (`dashmap`), updated one document at a time; the
//! corpus-wide entity table is rebuilt lazily when it is next asked for.

pub mod entities;
pub mod repeats;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;

use crate::analysis::rules::{self, Finding, RuleContext};
use crate::analysis::{self, AnalysisOptions, Article, Lines};

pub use entities::{Entity, EntityId, EntityTable, MentionRef};

/// One document of the corpus.
#[derive(Debug)]
pub struct DocEntry {
    pub path: Arc<Path>,
    pub text: Arc<str>,
    pub lines: Lines,
    pub article: Article,
    /// The editor's version when the document is open; `None` for files read from disk.
    pub open_version: Option<i32>,
}

/// What people curated, applied on top of the analysis (implemented by
/// `crate::annotations::AnnotationIndex`: `.ann` sidecars and `news-ls.toml`).
pub trait Curation: Send + Sync + std::fmt::Debug {
    /// Adjusts an article right after its analysis (curated spans win).
    fn curate(&self, path: &Path, text: &str, article: &mut Article);
    /// Adjusts a document's findings (adds annotation findings, applies
    /// configured severities and suppressions).
    fn adjust_findings(&self, path: &Path, text: &str, findings: &mut Vec<Finding>);
}

/// The workspace-wide index.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: DashMap<Arc<Path>, Arc<DocEntry>>,
    options: RwLock<AnalysisOptions>,
    curation: RwLock<Option<Arc<dyn Curation>>>,
    entity_table: Mutex<Option<Arc<EntityTable>>>,
    repeats: repeats::LineRepeats,
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
        let options = self.options();
        let mut article = analysis::analyze(&text, &options);
        article.read_problems = read_problems;
        if let Some(c) = self.curation() {
            c.curate(&path, &text, &mut article);
        }
        let lines = Lines::new(&text);
        let entry = Arc::new(DocEntry {
            path: path.clone(),
            lines,
            article,
            text,
            open_version,
        });
        self.repeats.update(&path, &entry.text, &entry.lines);
        self.docs.insert(path, entry.clone());
        self.invalidate_entities();
        entry
    }

    /// Forgets a document.
    pub fn remove(&self, path: &Path) -> bool {
        let removed = self.docs.remove(path).is_some();
        if removed {
            self.repeats.remove(path);
            self.invalidate_entities();
        }
        removed
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

    /// Every document, sorted by path.
    pub fn documents(&self) -> Vec<Arc<DocEntry>> {
        let mut v: Vec<Arc<DocEntry>> = self.docs.iter().map(|e| e.value().clone()).collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    fn invalidate_entities(&self) {
        if let Ok(mut t) = self.entity_table.lock() {
            *t = None;
        }
    }

    /// The entity table, rebuilt if any document changed since it was last built.
    pub fn entities(&self) -> Arc<EntityTable> {
        let mut guard = match self.entity_table.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(t) = guard.as_ref() {
            return t.clone();
        }
        let docs = self.documents();
        let table = Arc::new(EntityTable::build(
            docs.iter().map(|d| (&d.path, &d.article)),
        ));
        *guard = Some(table.clone());
        table
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
        let table = self.entities();
        let links = table.links_of(&doc.path);
        let repeated = self.repeated_lines(doc, repeat_threshold);
        let ctx = RuleContext {
            text: &doc.text,
            lines: &doc.lines,
            article: &doc.article,
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
