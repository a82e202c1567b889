//! The annotation index: every workspace root's gazetteer and every article's
//! sidecar, as the corpus sees them. It implements [`Curation`], so a
//! [`Corpus`] given one applies curated spans after each analysis and adds
//! annotation findings (mismatches, gazetteer severities, suppressions) to
//! each document's diagnostics. Used by the language server and by
//! `news-ls export`.
//!
//! Sidecars are read lazily (the first time their article is analysed) and
//! kept in memory; the server moves their spans while an article is edited
//! and writes them back on save.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;

use crate::analysis::rules::{self, Finding, Severity};
use crate::analysis::{AnalysisOptions, Article, Span};
use crate::corpus::{Corpus, Curation};

use super::brat::{AnnFile, Problem};
use super::curated::{
    find_reanchors, merge_curated, resolve, CuratedRole, CuratedSpan, Resolved, Source, TypeMap,
};
use super::gazetteer::{Gazetteer, FILE_NAME};
use super::spans::Mismatch;

/// Largest sidecar or gazetteer read, in bytes.
pub const MAX_ANNOTATION_FILE: u64 = 16 * 1024 * 1024;

/// One article's sidecar as held in memory.
#[derive(Debug, Clone)]
pub struct Sidecar {
    pub ann_path: PathBuf,
    pub file: AnnFile,
    /// Lines that could not be understood (kept verbatim).
    pub problems: Vec<Problem>,
    /// Whether the in-memory file differs from the disk (spans moved by edits
    /// not yet saved).
    pub dirty: bool,
}

/// A workspace root's gazetteer.
#[derive(Debug, Clone)]
pub struct RootConfig {
    pub root: PathBuf,
    /// `root/news-ls.toml`.
    pub path: PathBuf,
    /// The file's text (empty when there is no file).
    pub text: String,
    pub gazetteer: Arc<Gazetteer>,
}

/// Gazetteers and sidecars of a workspace.
#[derive(Debug, Default)]
pub struct AnnotationIndex {
    /// Canonical roots (for containment checks).
    roots: RwLock<Vec<PathBuf>>,
    /// The roots as given (the corpus's document keys start with these).
    given_roots: RwLock<Vec<PathBuf>>,
    configs: RwLock<Vec<RootConfig>>,
    /// Identity → the name most normalisations give it (cache).
    identity_names: RwLock<Option<Arc<HashMap<String, String>>>>,
    /// Article path → its sidecar (`None`: known to have none).
    sidecars: DashMap<PathBuf, Option<Arc<Sidecar>>>,
    /// Article path → the suppressions (config index, entry index) that hid
    /// one of its findings when they were last computed.
    hits: DashMap<PathBuf, Vec<(usize, usize)>>,
}

/// The sidecar path of an article: `a.txt` → `a.ann`.
pub fn ann_path_for(article: &Path) -> PathBuf {
    article.with_extension("ann")
}

/// A path relative to a root, `/`-separated (for suppression globs).
pub fn relative(root: &Path, path: &Path) -> String {
    let real = path.canonicalize().ok();
    let rel = path
        .strip_prefix(root)
        .ok()
        .or_else(|| real.as_deref().and_then(|r| r.strip_prefix(root).ok()))
        .unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_limited(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_ANNOTATION_FILE {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

impl AnnotationIndex {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        let index = AnnotationIndex::default();
        index.set_roots(roots);
        index
    }

    /// Sets the workspace roots (forgetting every sidecar read so far).
    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        if let Ok(mut g) = self.given_roots.write() {
            g.clone_from(&roots);
        }
        let roots = roots
            .into_iter()
            .map(|r| r.canonicalize().unwrap_or(r))
            .collect();
        if let Ok(mut r) = self.roots.write() {
            *r = roots;
        }
        self.sidecars.clear();
        self.forget_identity_names();
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots.read().map(|r| r.clone()).unwrap_or_default()
    }

    /// Whether a path lies inside a root (symlinks resolved, so a link that
    /// leaves the workspace is outside).
    pub fn in_roots(&self, path: &Path) -> bool {
        let roots = self.roots();
        let real = match path.canonicalize() {
            Ok(p) => p,
            Err(_) => match path.parent().and_then(|p| p.canonicalize().ok()) {
                Some(parent) => parent.join(path.file_name().unwrap_or_default()),
                None => return false,
            },
        };
        roots.iter().any(|r| real.starts_with(r))
    }

    /// The root containing a path (the deepest one).
    pub fn root_of(&self, path: &Path) -> Option<PathBuf> {
        let roots = self.roots();
        let depth = |r: &PathBuf| r.components().count();
        // The deepest root holding the path as written. When every root that
        // does not hold it so is shallower, resolving the path's symlinks
        // could not make a deeper or as deep one hold it: the answer is known
        // without a `realpath` (a system call per path component, for every
        // article indexed).
        if let Some(best) = roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| depth(r))
        {
            let d = depth(best);
            if roots.iter().all(|r| path.starts_with(r) || depth(r) < d) {
                return Some(best.clone());
            }
        }
        let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        roots
            .into_iter()
            .filter(|r| real.starts_with(r) || path.starts_with(r))
            .max_by_key(|r| r.components().count())
    }

    // ---- gazetteers -------------------------------------------------------

    /// Reads `news-ls.toml` at every root. Returns the configurations (with
    /// their issues) for reporting.
    pub fn load_configs(&self) -> Vec<RootConfig> {
        let configs: Vec<RootConfig> = self
            .roots()
            .into_iter()
            .map(|root| {
                let path = root.join(FILE_NAME);
                let text = self.read_config(&path);
                RootConfig {
                    gazetteer: Arc::new(Gazetteer::parse(&text)),
                    root,
                    path,
                    text,
                }
            })
            .collect();
        if let Ok(mut c) = self.configs.write() {
            *c = configs.clone();
        }
        configs
    }

    /// Re-reads one `news-ls.toml` (after it changed on disk); `None` when the
    /// path is not a root's gazetteer.
    pub fn reload_config(&self, path: &Path) -> Option<RootConfig> {
        let root = path.parent()?;
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if path.file_name().and_then(|n| n.to_str()) != Some(FILE_NAME)
            || !self.roots().contains(&real_root)
        {
            return None;
        }
        let text = self.read_config(path);
        Some(self.set_config_text(&real_root, &text))
    }

    /// A gazetteer's text; empty when missing, too large, or a symlink that
    /// leaves the workspace.
    fn read_config(&self, path: &Path) -> String {
        if !self.in_roots(path) {
            return String::new();
        }
        read_limited(path).unwrap_or_default()
    }

    /// Installs a gazetteer text for a root (what was just written or read).
    pub fn set_config_text(&self, root: &Path, text: &str) -> RootConfig {
        let config = RootConfig {
            root: root.to_path_buf(),
            path: root.join(FILE_NAME),
            text: text.to_string(),
            gazetteer: Arc::new(Gazetteer::parse(text)),
        };
        if let Ok(mut c) = self.configs.write() {
            match c.iter_mut().find(|c| c.root == config.root) {
                Some(slot) => *slot = config.clone(),
                None => c.push(config.clone()),
            }
        }
        config
    }

    pub fn configs(&self) -> Vec<RootConfig> {
        self.configs.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// The configuration of the root containing a path.
    pub fn config_for(&self, path: &Path) -> Option<RootConfig> {
        let root = self.root_of(path)?;
        self.configs().into_iter().find(|c| c.root == root)
    }

    /// The type mapping that applies to an article.
    pub fn types_for(&self, path: &Path) -> TypeMap {
        self.config_for(path)
            .map(|c| c.gazetteer.types.clone())
            .unwrap_or_default()
    }

    /// Analysis options from every root's gazetteer, merged.
    pub fn analysis_options(&self) -> AnalysisOptions {
        let mut out = AnalysisOptions::default();
        for c in self.configs() {
            let o = c.gazetteer.to_analysis_options();
            out.extra_speech_verbs.extend(o.extra_speech_verbs);
            out.not_entities.extend(o.not_entities);
            out.extra_boilerplate.extend(o.extra_boilerplate);
        }
        out
    }

    /// The canonical name of an identity: the gazetteer's, else the name the
    /// corpus's normalisations give it most often (ties: alphabetical), so
    /// that every mention of one identity gets one name across the corpus.
    pub fn name_of_identity(&self, identity: &str) -> Option<String> {
        self.configs()
            .iter()
            .find_map(|c| c.gazetteer.name_of_identity(identity).map(str::to_string))
            .or_else(|| self.identity_names().get(identity).cloned())
    }

    fn identity_names(&self) -> Arc<HashMap<String, String>> {
        if let Some(m) = self.identity_names.read().ok().and_then(|m| m.clone()) {
            return m;
        }
        let mut counts: HashMap<(String, String), usize> = HashMap::new();
        for e in self.sidecars.iter() {
            if let Some(s) = e.value() {
                for n in s.file.normalizations() {
                    if let Some(name) = n.name.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                        *counts
                            .entry((n.reference.clone(), name.to_string()))
                            .or_default() += 1;
                    }
                }
            }
        }
        let mut best: HashMap<String, (usize, String)> = HashMap::new();
        for ((id, name), n) in counts {
            let slot = best.entry(id).or_insert((0, String::new()));
            if n > slot.0 || (n == slot.0 && name < slot.1) {
                *slot = (n, name);
            }
        }
        let map: Arc<HashMap<String, String>> =
            Arc::new(best.into_iter().map(|(k, (_, v))| (k, v)).collect());
        if let Ok(mut m) = self.identity_names.write() {
            *m = Some(map.clone());
        }
        map
    }

    fn forget_identity_names(&self) {
        if let Ok(mut m) = self.identity_names.write() {
            *m = None;
        }
    }

    // ---- sidecars -----------------------------------------------------------

    /// The sidecar of an article, read from disk the first time.
    pub fn sidecar(&self, article: &Path) -> Option<Arc<Sidecar>> {
        if let Some(s) = self.sidecars.get(article) {
            return s.clone();
        }
        let loaded = self.read_sidecar(article);
        if loaded
            .as_ref()
            .is_some_and(|s| s.file.normalizations().next().is_some())
        {
            self.forget_identity_names();
        }
        self.sidecars.insert(article.to_path_buf(), loaded.clone());
        loaded
    }

    /// Reads every `.ann` under the roots at once (hidden and ignored paths
    /// skipped, symlinks not followed), so that identities have one name across
    /// the corpus from the start. Returns how many were read.
    pub fn load_sidecars(&self) -> usize {
        let given = self
            .given_roots
            .read()
            .map(|g| g.clone())
            .unwrap_or_default();
        let mut n = 0;
        for root in given {
            let walker = ignore::WalkBuilder::new(&root)
                .hidden(true)
                .git_ignore(true)
                .git_global(false)
                .git_exclude(true)
                .require_git(false)
                .follow_links(false)
                .build();
            for entry in walker.filter_map(std::result::Result::ok) {
                let p = entry.path();
                let is_ann = entry.file_type().is_some_and(|t| t.is_file())
                    && p.extension().and_then(|e| e.to_str()) == Some("ann");
                if !is_ann {
                    continue;
                }
                let article = p.with_extension("txt");
                if let Some(s) = self.read_sidecar(&article) {
                    self.sidecars.insert(article, Some(s));
                    n += 1;
                }
            }
        }
        self.forget_identity_names();
        n
    }

    fn read_sidecar(&self, article: &Path) -> Option<Arc<Sidecar>> {
        if !article.is_absolute() || !crate::files::is_article(article) {
            return None;
        }
        let ann_path = ann_path_for(article);
        if !self.in_roots(&ann_path) {
            return None;
        }
        let text = read_limited(&ann_path)?;
        let (file, problems) = AnnFile::parse(&text);
        Some(Arc::new(Sidecar {
            ann_path,
            file,
            problems,
            dirty: false,
        }))
    }

    /// Forgets the in-memory sidecar of an article and reads it again from disk.
    pub fn reload_sidecar(&self, article: &Path) -> Option<Arc<Sidecar>> {
        let loaded = self.read_sidecar(article);
        self.sidecars.insert(article.to_path_buf(), loaded.clone());
        self.forget_identity_names();
        loaded
    }

    /// Replaces the in-memory sidecar of an article.
    pub fn set_sidecar(&self, article: &Path, file: AnnFile, dirty: bool) -> Arc<Sidecar> {
        let (_, problems) = AnnFile::parse(&file.render());
        let s = Arc::new(Sidecar {
            ann_path: ann_path_for(article),
            file,
            problems,
            dirty,
        });
        self.sidecars.insert(article.to_path_buf(), Some(s.clone()));
        self.forget_identity_names();
        s
    }

    /// Marks a sidecar as saved.
    pub fn mark_saved(&self, article: &Path) {
        if let Some(mut entry) = self.sidecars.get_mut(article) {
            if let Some(s) = entry.as_mut() {
                Arc::make_mut(s).dirty = false;
            }
        }
    }

    /// Every sidecar held in memory (loaded so far).
    pub fn loaded_sidecars(&self) -> Vec<(PathBuf, Arc<Sidecar>)> {
        self.sidecars
            .iter()
            .filter_map(|e| e.value().clone().map(|s| (e.key().clone(), s)))
            .collect()
    }

    // ---- resolution -----------------------------------------------------------

    /// The article's sidecar resolved against its text.
    pub fn resolve(&self, article: &Path, text: &str) -> Resolved {
        let Some(sidecar) = self.sidecar(article) else {
            return Resolved::default();
        };
        let types = self.types_for(article);
        let names = |id: &str| self.name_of_identity(id);
        resolve(&sidecar.file, text, &types, &names)
    }

    /// The article's mismatched annotations, with where each could be
    /// re-anchored (for diagnostics and fixes).
    pub fn mismatches(&self, article: &Path, text: &str) -> Vec<Mismatch> {
        let mut resolved = self.resolve(article, text);
        if let Some(sidecar) = self.sidecar(article) {
            find_reanchors(&sidecar.file, text, &mut resolved.mismatches);
        }
        resolved.mismatches
    }

    /// Every curated span of an article: its sidecar's, then the gazetteer's
    /// entity occurrences.
    pub fn curated_spans(&self, article: &Path, text: &str) -> (Vec<CuratedSpan>, Vec<Mismatch>) {
        self.curated_spans_with(article, text, self.config_for(article).as_ref())
    }

    /// [`Self::curated_spans`] with the article's configuration already looked up.
    fn curated_spans_with(
        &self,
        article: &Path,
        text: &str,
        config: Option<&RootConfig>,
    ) -> (Vec<CuratedSpan>, Vec<Mismatch>) {
        let resolved = self.resolve(article, text);
        let mut spans = resolved.spans;
        if let Some(c) = config {
            spans.extend(c.gazetteer.entity_spans(text));
        }
        (spans, resolved.mismatches)
    }

    /// Whether a span of an article is curated: from its sidecar, from the
    /// gazetteer, or (`None`) detected.
    pub fn provenance(&self, article: &Path, text: &str, span: Span) -> Option<Source> {
        let (spans, _) = self.curated_spans(article, text);
        spans
            .iter()
            .filter(|c| c.span == span || (c.span.overlaps(span) && c.source == Source::Sidecar))
            .map(|c| c.source)
            .min()
    }

    /// Suppressions that hide nothing in the corpus: (config, entry index).
    /// Computes the findings of the documents each entry could apply to until
    /// one is hidden.
    pub fn unused_suppressions(
        &self,
        corpus: &Corpus,
        repeat_threshold: usize,
    ) -> Vec<(RootConfig, usize)> {
        let configs = self.configs();
        let used = |ci: usize, si: usize| self.hits.iter().any(|h| h.value().contains(&(ci, si)));
        let mut out = Vec::new();
        for (ci, c) in configs.iter().enumerate() {
            for (si, s) in c.gazetteer.suppress.iter().enumerate() {
                if used(ci, si) {
                    continue;
                }
                for doc in corpus.documents() {
                    if !doc.path.starts_with(&c.root)
                        || !s.applies_to(&relative(&c.root, &doc.path))
                        || self.hits.contains_key(&doc.path.to_path_buf())
                    {
                        continue;
                    }
                    let _ = corpus.findings(&doc, repeat_threshold);
                    if used(ci, si) {
                        break;
                    }
                }
                if !used(ci, si) {
                    out.push((c.clone(), si));
                }
            }
        }
        out
    }

    /// Forgets which suppressions matched (after a configuration change).
    pub fn clear_hits(&self) {
        self.hits.clear();
    }
}

impl Curation for AnnotationIndex {
    fn affects(&self, path: &Path) -> bool {
        // What `curate` reads: the sidecar's spans, the gazetteer's entities
        // and its words that are never entities.
        let curates = |c: &RootConfig| {
            !c.gazetteer.entities.is_empty() || !c.gazetteer.not_entities.is_empty()
        };
        // The article's configuration is only looked up (which root holds
        // the path, then a copy of that root's configuration) when some
        // gazetteer has anything to apply: for every article indexed.
        let any_curates = self
            .configs
            .read()
            .is_ok_and(|configs| configs.iter().any(curates));
        self.sidecar(path).is_some()
            || any_curates && self.config_for(path).is_some_and(|c| curates(&c))
    }

    fn curate(&self, path: &Path, text: &str, article: &mut Article) {
        // The article changed: which suppressions it uses is known again only
        // when its findings are next computed.
        self.hits.remove(path);
        // Looked up once (a copy of the root's configuration).
        let config = self.config_for(path);
        let (spans, _) = self.curated_spans_with(path, text, config.as_ref());
        // Words the gazetteer says are never entities, unless a person annotated them.
        if let Some(c) = &config {
            if !c.gazetteer.not_entities.is_empty() {
                article
                    .mentions
                    .retain(|m| !c.gazetteer.is_not_entity(&m.text));
            }
        }
        if !spans.is_empty() {
            merge_curated(article, &spans);
        }
        // Mentions of one identity get one canonical name: the gazetteer's or
        // a normalisation's name, else the identity itself.
        let mut canon: HashMap<&str, &str> = HashMap::new();
        for s in &spans {
            if let CuratedRole::Entity {
                identity: Some(i),
                canonical: Some(c),
                ..
            } = &s.role
            {
                canon.entry(i.as_str()).or_insert(c.as_str());
            }
        }
        for s in &spans {
            if let CuratedRole::Entity {
                identity: Some(i),
                canonical: None,
                ..
            } = &s.role
            {
                let name = canon.get(i.as_str()).copied().unwrap_or(i.as_str());
                let at = article.mentions.binary_search_by_key(&s.span, |m| m.span());
                if let Some(m) = at.ok().and_then(|k| article.mentions.get_mut(k)) {
                    m.gazetteer = Some(name.into());
                }
            }
        }
    }

    fn adjust_findings(&self, path: &Path, text: &str, findings: &mut Vec<Finding>) {
        let mismatches = self.mismatches(path, text);
        if !mismatches.is_empty() {
            let ann = ann_path_for(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for m in &mismatches {
                findings.push(rules::annotation_mismatch::finding(text, m, &ann));
            }
            findings.sort_by(|a, b| (a.span, a.code).cmp(&(b.span, b.code)));
        }
        let configs = self.configs();
        let Some((ci, config)) = self
            .root_of(path)
            .and_then(|root| configs.iter().enumerate().find(|(_, c)| c.root == root))
        else {
            return;
        };
        let g = &config.gazetteer;
        if !g.severities.is_empty() {
            findings.retain_mut(|f| match g.severities.get(f.code) {
                Some(Some(s)) => {
                    f.severity = *s;
                    true
                }
                Some(None) => false,
                None => true,
            });
        }
        if g.suppress.is_empty() {
            return;
        }
        let rel = relative(&config.root, path);
        let mut hit = Vec::new();
        findings.retain(|f| {
            let flagged = f.span.text(text);
            match g
                .suppress
                .iter()
                .position(|s| s.matches(&rel, f.code, flagged))
            {
                Some(si) => {
                    if !hit.contains(&(ci, si)) {
                        hit.push((ci, si));
                    }
                    false
                }
                None => true,
            }
        });
        self.hits.insert(path.to_path_buf(), hit);
    }
}

/// The default severity of a rule, for findings made outside the registry.
pub fn default_severity(code: &str) -> Severity {
    rules::by_code(code).map_or(Severity::Warning, |r| r.default_severity())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::EntityKind;

    fn setup(files: &[(&str, &str)]) -> (tempfile::TempDir, Arc<AnnotationIndex>, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            std::fs::write(dir.path().join(p), t).unwrap();
        }
        let index = Arc::new(AnnotationIndex::new(vec![dir.path().to_path_buf()]));
        index.load_configs();
        let corpus = Corpus::new(index.analysis_options());
        corpus.set_curation(index.clone());
        (dir, index, corpus)
    }

    /// The root of a path: the deepest root holding it, as written or once
    /// its symlinks are resolved (which is only done when another root is at
    /// least as deep as the one found as written).
    #[cfg(unix)]
    #[test]
    fn root_of_is_the_deepest_root_with_symlinks_resolved_when_they_matter() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().canonicalize().unwrap();
        let sub = ws.join("sub");
        std::fs::create_dir_all(sub.join("inner")).unwrap();
        std::fs::write(sub.join("inner/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(sub.join("inner"), ws.join("link")).unwrap();
        let index = AnnotationIndex::new(vec![ws.clone(), sub.clone()]);
        assert_eq!(index.root_of(&sub.join("inner/a.txt")), Some(sub.clone()));
        assert_eq!(index.root_of(&ws.join("b.txt")), Some(ws.clone()));
        // Written under `ws`, but through a link into `sub`: the deeper root.
        assert_eq!(index.root_of(&ws.join("link/a.txt")), Some(sub.clone()));
        assert_eq!(index.root_of(Path::new("/elsewhere/c.txt")), None);
        // One root: the path as written decides.
        let single = AnnotationIndex::new(vec![ws.clone()]);
        assert_eq!(single.root_of(&ws.join("link/a.txt")), Some(ws.clone()));
    }

    fn insert(corpus: &Corpus, dir: &Path, name: &str) -> Arc<crate::corpus::DocEntry> {
        let p = dir.canonicalize().unwrap().join(name);
        let text = std::fs::read_to_string(&p).unwrap();
        corpus.insert(
            Arc::from(p.as_path()),
            Arc::from(text.as_str()),
            None,
            Vec::new(),
        )
    }

    #[test]
    fn sidecar_spans_become_mentions_and_mismatches_become_findings() {
        let fr = "Emmanuel Macron a reçu Olaf Scholz à Paris.\n";
        let (dir, _index, corpus) = setup(&[
            ("a.txt", fr),
            (
                "a.ann",
                "T1\tPerson 0 15\tEmmanuel Macron\nT2\tPerson 23 34\tOlaf Scholz\nT3\tLOC 37 41\tRome\n",
            ),
        ]);
        let doc = insert(&corpus, dir.path(), "a.txt");
        let got: Vec<(&str, EntityKind)> = doc
            .article
            .mentions
            .iter()
            .map(|m| (&*m.text, m.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Emmanuel Macron", EntityKind::Person),
                ("Olaf Scholz", EntityKind::Person),
                // Detected: the automatic analysis fills what is not curated.
                ("Paris", EntityKind::Place)
            ]
        );
        let findings = corpus.findings(&doc, 3);
        let mm: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code == "annotation-mismatch")
            .collect();
        assert_eq!(mm.len(), 1);
        assert_eq!(mm[0].span.text(fr), "Pari");
        assert_eq!(mm[0].severity, Severity::Error);
        assert!(mm[0].message.contains("Rome"), "{}", mm[0].message);
        assert_eq!(mm[0].data.as_deref(), Some("T3"));
    }

    #[test]
    fn gazetteer_applies_entities_severities_and_suppressions() {
        let en = "Vladimir Putin spoke. Putin left Kyiv.\n";
        let toml = r#"
[[entity]]
name = "Vladimir Poutine"
kind = "person"
spellings = ["Putin", "Vladimir Putin"]
id = "Wikidata:Q7747"

[diagnostics]
annotation-mismatch = "warning"

[[suppress]]
code = "annotation-mismatch"
file = "b.txt"
text = "Kyiv"

[[suppress]]
code = "boilerplate"
"#;
        let (dir, index, corpus) = setup(&[
            ("b.txt", en),
            ("news-ls.toml", toml),
            ("b.ann", "T1\tLOC 33 37\tKiev\nT2\tLOC 0 3\tVlx\n"),
        ]);
        let doc = insert(&corpus, dir.path(), "b.txt");
        let names: Vec<(&str, Option<&str>)> = doc
            .article
            .mentions
            .iter()
            .map(|m| (&*m.text, m.gazetteer.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Vladimir Putin", Some("Vladimir Poutine")),
                ("Putin", Some("Vladimir Poutine")),
                // Detected, with the shipped gazetteer's identity.
                ("Kyiv", Some("Kyiv"))
            ]
        );
        let findings = corpus.findings(&doc, 3);
        // T1 (Kiev → Kyiv) is suppressed; T2 is reported as a warning.
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(findings[0].span.text(en), "Vla");
        let unused = index.unused_suppressions(&corpus, 3);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].1, 1, "the boilerplate suppression hides nothing");
        let p = index.provenance(&doc.path, en, doc.article.mentions[1].span());
        assert_eq!(p, Some(Source::Gazetteer));
    }

    #[test]
    fn one_identity_gets_one_name_across_the_corpus() {
        let (dir, index, corpus) = setup(&[
            ("a.txt", "Vladimir Poutine parle.\n"),
            (
                "a.ann",
                "T1\tPER 0 16\tVladimir Poutine\nN1\tReference T1 Wikidata:Q7747\tVladimir Putin\n",
            ),
            ("b.txt", "Putin spoke.\n"),
            (
                "b.ann",
                "T1\tPER 0 5\tPutin\nN1\tReference T1 Wikidata:Q7747\n",
            ),
            ("c.txt", "Путин.\n"),
            (
                "c.ann",
                "T1\tPER 0 5\tПутин\nN1\tReference T1 Wikidata:Q7747\tVladimir Putin\n",
            ),
        ]);
        assert_eq!(index.load_sidecars(), 3);
        // b.txt is analysed first, before its neighbours: the name is still the corpus's.
        for name in ["b.txt", "a.txt", "c.txt"] {
            let doc = insert(&corpus, dir.path(), name);
            assert_eq!(
                doc.article.mentions[0].gazetteer.as_deref(),
                Some("Vladimir Putin"),
                "{name}"
            );
        }
    }

    #[test]
    fn not_entities_drop_detections_but_not_annotations() {
        let (dir, index, _corpus) = setup(&[("news-ls.toml", "not_entities = [\"Brexit\"]\n")]);
        let p = dir.path().canonicalize().unwrap().join("c.txt");
        let mut article = Article {
            mentions: vec![crate::analysis::Mention {
                span: Span::new(0, 6).into(),
                text: "Brexit".into(),
                kind: EntityKind::Other,
                votes: Default::default(),
                role: None,
                gazetteer: None,
            }],
            ..Article::default()
        };
        index.curate(&p, "Brexit means Brexit.", &mut article);
        assert!(article.mentions.is_empty());
    }

    #[test]
    fn sidecars_outside_the_roots_are_not_read() {
        let inside = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.txt"), "Anna").unwrap();
        std::fs::write(outside.path().join("x.ann"), "T1\tPER 0 4\tAnna\n").unwrap();
        let index = AnnotationIndex::new(vec![inside.path().to_path_buf()]);
        assert!(index.sidecar(&outside.path().join("x.txt")).is_none());
        let index = AnnotationIndex::new(vec![outside.path().to_path_buf()]);
        let real = outside.path().canonicalize().unwrap().join("x.txt");
        assert!(index.sidecar(&real).is_some());
    }
}
