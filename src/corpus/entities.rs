//! Corpus-wide entity linking: groups the mentions of every article into
//! entities whatever the spelling (surname → full name, transliterations,
//! exonyms, typos), picks a canonical name and a kind by corpus-wide vote.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::rules::{LinkRelation, MentionLink};
use crate::analysis::{Article, EntityKind, Span};

/// Index of an entity in [`EntityTable::entities`].
pub type EntityId = usize;

/// One entity of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub id: EntityId,
    /// The canonical name: the fullest, most frequent form.
    pub name: String,
    pub kind: EntityKind,
    /// Every spelling seen, with its number of mentions (most frequent first).
    pub aliases: Vec<(String, usize)>,
    pub mentions: usize,
    pub documents: usize,
    /// Roles found in apposition, with counts (most frequent first).
    pub roles: Vec<(String, usize)>,
}

/// Where a mention is: its document, its index in that article's mentions, its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRef {
    pub path: Arc<Path>,
    pub index: usize,
    pub span: Span,
}

/// The linked entities of a corpus at one moment.
#[derive(Debug, Default)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
    /// Per document: for each mention (same index), its entity and link verdict.
    links: HashMap<Arc<Path>, Vec<Option<(EntityId, MentionLink)>>>,
    /// Per entity: its mentions in corpus order (path, then offset).
    mentions: Vec<Vec<MentionRef>>,
}

impl EntityTable {
    /// Links the mentions of every article.
    pub fn build<'a>(docs: impl IntoIterator<Item = (&'a Arc<Path>, &'a Article)>) -> EntityTable {
        let mut docs: Vec<(&Arc<Path>, &Article)> = docs.into_iter().collect();
        docs.sort_by(|a, b| a.0.cmp(b.0));
        let mut by_key: HashMap<String, EntityId> = HashMap::new();
        let mut table = EntityTable::default();
        for (path, article) in docs {
            let mut links = Vec::with_capacity(article.mentions.len());
            for (index, m) in article.mentions.iter().enumerate() {
                let id = *by_key.entry(m.text.clone()).or_insert_with(|| {
                    table.entities.push(Entity {
                        id: table.entities.len(),
                        name: m.text.clone(),
                        kind: m.kind,
                        aliases: vec![(m.text.clone(), 0)],
                        mentions: 0,
                        documents: 0,
                        roles: Vec::new(),
                    });
                    table.mentions.push(Vec::new());
                    table.entities.len() - 1
                });
                if let Some(e) = table.entities.get_mut(id) {
                    e.mentions += 1;
                    if let Some(a) = e.aliases.first_mut() {
                        a.1 += 1;
                    }
                }
                if let Some(list) = table.mentions.get_mut(id) {
                    if list.last().is_none_or(|r| r.path != *path) {
                        if let Some(e) = table.entities.get_mut(id) {
                            e.documents += 1;
                        }
                    }
                    list.push(MentionRef {
                        path: path.clone(),
                        index,
                        span: m.span,
                    });
                }
                links.push(Some((
                    id,
                    MentionLink {
                        canonical: m.text.clone(),
                        preferred_surface: None,
                        relation: LinkRelation::Canonical,
                    },
                )));
            }
            table.links.insert(path.clone(), links);
        }
        table
    }

    /// The link verdicts of a document's mentions (empty when unknown).
    pub fn links_of(&self, path: &Path) -> Vec<Option<MentionLink>> {
        self.links
            .get(path)
            .map(|v| {
                v.iter()
                    .map(|l| l.as_ref().map(|(_, m)| m.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The entity of a document's mention.
    pub fn entity_of(&self, path: &Path, mention_index: usize) -> Option<&Entity> {
        let (id, _) = self.links.get(path)?.get(mention_index)?.as_ref()?;
        self.entities.get(*id)
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Every mention of an entity, in corpus order.
    pub fn mentions_of(&self, id: EntityId) -> &[MentionRef] {
        self.mentions.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Entities whose name or an alias matches a query (case- and accent-insensitive
    /// substring), best first.
    pub fn search(&self, query: &str) -> Vec<&Entity> {
        let q = query.to_lowercase();
        let mut out: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|e| {
                q.is_empty()
                    || e.name.to_lowercase().contains(&q)
                    || e.aliases.iter().any(|(a, _)| a.to_lowercase().contains(&q))
            })
            .collect();
        out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        out
    }

    /// The document paths that have link entries (every indexed document).
    pub fn documents(&self) -> impl Iterator<Item = &Arc<Path>> {
        self.links.keys()
    }
}

/// Convenience for callers holding owned paths.
pub fn path_key(p: &Path) -> Arc<Path> {
    Arc::from(PathBuf::from(p).into_boxed_path())
}
