//! Lines repeated verbatim (after whitespace normalisation) across articles:
//! site templates that no cue list names. Counts are kept per normalised line
//! and updated by difference when one document changes.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::analysis::{BoilerplateKind, BoilerplateLine, Lines};

use super::DocEntry;

/// Lines shorter than this (in characters) are never counted: a lone `par`
/// or `Il a déclaré :` repeats by chance, and cue lists handle short templates.
const MIN_CHARS: usize = 12;

#[derive(Debug, Default)]
pub struct LineRepeats {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// normalised line → number of documents containing it.
    counts: HashMap<String, usize>,
    /// document → its distinct normalised lines.
    per_doc: HashMap<Arc<Path>, HashSet<String>>,
}

/// Collapses whitespace runs and trims; `None` for lines too short to count.
pub fn normalise(line: &str) -> Option<String> {
    let n: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    (n.chars().count() >= MIN_CHARS).then_some(n)
}

impl LineRepeats {
    /// Replaces a document's lines in the counts.
    pub fn update(&self, path: &Arc<Path>, text: &str, lines: &Lines) {
        let set: HashSet<String> = lines.iter(text).filter_map(|(_, l)| normalise(l)).collect();
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.per_doc.remove(path) {
            for l in old {
                decrement(&mut inner.counts, &l);
            }
        }
        for l in &set {
            *inner.counts.entry(l.clone()).or_insert(0) += 1;
        }
        inner.per_doc.insert(path.clone(), set);
    }

    /// Removes a document from the counts.
    pub fn remove(&self, path: &Path) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.per_doc.remove(path) {
            for l in old {
                decrement(&mut inner.counts, &l);
            }
        }
    }

    /// Number of documents containing this normalised line.
    pub fn count(&self, normalised: &str) -> usize {
        self.inner
            .lock()
            .ok()
            .and_then(|i| i.counts.get(normalised).copied())
            .unwrap_or(0)
    }

    /// The lines of `doc` that occur in at least `threshold` documents and that
    /// the article's own analysis did not already classify.
    pub fn repeated_in(&self, doc: &DocEntry, threshold: usize) -> Vec<BoilerplateLine> {
        let threshold = threshold.max(2);
        let Ok(inner) = self.inner.lock() else {
            return Vec::new();
        };
        // Lines the article's own analysis already placed: boilerplate, and
        // the title and headings, which syndicated copies legitimately share.
        let s = &doc.article.structure;
        let known: HashSet<usize> = s
            .boilerplate
            .iter()
            .map(|b| b.line)
            .chain(s.title.iter().map(|t| t.line))
            .chain(s.headings.iter().map(|h| h.line))
            .collect();
        let mut out = Vec::new();
        for (i, line) in doc.lines.iter(&doc.text) {
            if known.contains(&i) {
                continue;
            }
            let Some(n) = normalise(line) else { continue };
            let count = inner.counts.get(&n).copied().unwrap_or(0);
            if count >= threshold {
                out.push(BoilerplateLine {
                    line: i,
                    kind: BoilerplateKind::RepeatedAcrossCorpus,
                    text: line.trim().to_string(),
                    reason: format!("this line appears verbatim in {count} articles of the corpus"),
                });
            }
        }
        out
    }
}

fn decrement(counts: &mut HashMap<String, usize>, line: &str) {
    if let Some(c) = counts.get_mut(line) {
        *c -= 1;
        if *c == 0 {
            counts.remove(line);
        }
    }
}
