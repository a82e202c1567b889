//! A consistent view of the corpus's entities between two relinks: the last
//! built [`EntityTable`] plus an overlay for the documents changed since
//! (their mentions linked against the table on the fly), so that an edit
//! never waits for the corpus-wide relink and never sees stale per-document
//! links (mention indices shift when the text changes).

use std::ops::Deref;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::analysis::names::{FastMap, FastSet};
use crate::analysis::rules::MentionLink;

use super::entities::{Entity, EntityId, EntityTable, MentionRef, RawLink};
use super::DocEntry;

/// The entity table as of the last relink, corrected for the documents
/// changed since. Dereferences to the table for entity-level facts (names,
/// aliases, counts: those are refreshed by the next relink).
#[derive(Debug, Default)]
pub struct EntityView {
    base: Arc<EntityTable>,
    /// Links of the documents changed or added since the table was built.
    overlay: FastMap<Arc<Path>, Vec<RawLink>>,
    /// Documents whose links in the table are stale (changed or removed).
    hidden: FastSet<Arc<Path>>,
    /// Mentions of the overlay documents, per entity, in corpus order.
    extra: FastMap<EntityId, Vec<MentionRef>>,
    /// Per entity: its name and aliases folded for search (see [`EntityView::search_keys`]).
    search_keys: OnceLock<Vec<Vec<String>>>,
    /// Per entity: its defining mention, once computed (see [`EntityView::cached_definition`]).
    definitions: std::sync::Mutex<FastMap<EntityId, Option<MentionRef>>>,
}

impl Deref for EntityView {
    type Target = EntityTable;
    fn deref(&self) -> &EntityTable {
        &self.base
    }
}

impl EntityView {
    /// The table alone (every document current).
    pub fn fresh(base: Arc<EntityTable>) -> Self {
        EntityView {
            base,
            ..EntityView::default()
        }
    }

    /// The table corrected for `changed` documents: `Some(doc)` for the
    /// current version of a changed or new document, `None` for a removed one.
    pub fn with_changes<'a>(
        base: Arc<EntityTable>,
        changed: impl IntoIterator<Item = (&'a Arc<Path>, Option<&'a DocEntry>)>,
    ) -> Self {
        let mut view = EntityView::fresh(base);
        for (path, doc) in changed {
            if view.base.raw_links(path).is_some() {
                view.hidden.insert(path.clone());
            }
            let Some(doc) = doc else { continue };
            let links = view.base.link_article(&doc.article);
            for (index, l) in links.iter().enumerate() {
                if let Some((eid, _)) = l.get() {
                    view.extra.entry(eid).or_default().push(MentionRef {
                        path: path.clone(),
                        index,
                        generation: doc.generation,
                    });
                }
            }
            view.overlay.insert(path.clone(), links);
        }
        for refs in view.extra.values_mut() {
            refs.sort_by(|a, b| {
                a.path
                    .as_os_str()
                    .cmp(b.path.as_os_str())
                    .then(a.index.cmp(&b.index))
            });
        }
        view
    }

    fn raw(&self, path: &Path) -> Option<&[RawLink]> {
        if let Some(l) = self.overlay.get(path) {
            return Some(l);
        }
        if self.hidden.contains(path) {
            return None;
        }
        self.base.raw_links(path)
    }

    /// The link verdicts of a document's mentions (empty when unknown).
    pub fn links_of(&self, path: &Path) -> Vec<Option<MentionLink>> {
        self.raw(path)
            .map(|v| v.iter().map(|l| self.base.verdict(*l)).collect())
            .unwrap_or_default()
    }

    /// The entity of a document's mention.
    pub fn entity_of(&self, path: &Path, mention_index: usize) -> Option<&Entity> {
        let (id, _) = self.raw(path)?.get(mention_index)?.get()?;
        self.base.entities.get(id)
    }

    /// Every mention of an entity, in corpus order.
    pub fn mentions_of(&self, id: EntityId) -> Vec<MentionRef> {
        let base = self.base.mentions_of(id);
        let extra = self.extra.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        let stale = |r: &MentionRef| self.hidden.contains(&r.path);
        if extra.is_empty() && (self.hidden.is_empty() || !base.iter().any(stale)) {
            return base;
        }
        let mut out: Vec<MentionRef> = Vec::with_capacity(base.len() + extra.len());
        out.extend(base.into_iter().filter(|r| !stale(r)));
        // Both lists are in corpus order and the overlay is small: insert
        // each document's run where it belongs.
        for run in extra.chunk_by(|a, b| a.path.as_os_str() == b.path.as_os_str()) {
            let Some(first) = run.first() else { continue };
            let at = out.partition_point(|r| r.path.as_os_str() < first.path.as_os_str());
            out.splice(at..at, run.iter().cloned());
        }
        out
    }

    /// An entity's first mention in corpus order.
    pub fn first_mention_of(&self, id: EntityId) -> Option<MentionRef> {
        if self.hidden.is_empty() && self.extra.is_empty() {
            return self.base.first_mention_of(id);
        }
        self.mentions_of(id).first().cloned()
    }

    /// An entity's mentions in one document, in text order.
    pub fn mentions_in(&self, id: EntityId, path: &Path) -> Vec<MentionRef> {
        if self.overlay.contains_key(path) {
            let extra = self.extra.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            return extra
                .iter()
                .filter(|r| r.path.as_os_str() == path.as_os_str())
                .cloned()
                .collect();
        }
        if self.hidden.contains(path) {
            return Vec::new();
        }
        self.base.mentions_in(id, path)
    }

    /// An entity's defining mention as `compute` finds it, computed once per view.
    pub fn cached_definition(
        &self,
        id: EntityId,
        compute: impl FnOnce() -> Option<MentionRef>,
    ) -> Option<MentionRef> {
        if let Some(d) = self
            .definitions
            .lock()
            .ok()
            .and_then(|m| m.get(&id).cloned())
        {
            return d;
        }
        let d = compute();
        if let Ok(mut m) = self.definitions.lock() {
            m.insert(id, d.clone());
        }
        d
    }

    /// Per entity (same order as `entities`): its name then its aliases,
    /// passed through `fold` once per view.
    pub fn search_keys(&self, fold: impl Fn(&str) -> String) -> &[Vec<String>] {
        self.search_keys.get_or_init(|| {
            self.base
                .entities
                .iter()
                .map(|e| {
                    std::iter::once(e.name.as_str())
                        .chain(e.aliases.iter().map(|(a, _)| a.as_str()))
                        .map(&fold)
                        .collect()
                })
                .collect()
        })
    }
}
