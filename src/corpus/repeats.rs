//! Lines repeated verbatim (after whitespace normalisation) across articles:
//! site templates that no cue list names. Counts are kept per normalised line
//! and updated by difference when one document changes.

use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;
use std::hash::Hasher;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::analysis::names::FastMap;
use crate::analysis::{BoilerplateKind, BoilerplateLine, Lines};

use super::DocEntry;

/// Lines shorter than this (in characters) are never counted: a lone `par`
/// or `Il a déclaré :` repeats by chance, and cue lists handle short templates.
const MIN_CHARS: usize = 12;

#[derive(Debug, Default)]
pub struct LineRepeats {
    inner: Mutex<Inner>,
}

/// Lines are kept as 64-bit keys of their normalised text, not as strings: the
/// index then costs 8 bytes a line instead of a second copy of the corpus.
/// The key is rustc-hash's FxHasher (fast; its 64-bit output mixes well
/// enough that two different lines of ordinary text sharing a key is
/// negligible, and a collision could only mislabel one line as repeated).
#[derive(Debug, Default)]
struct Inner {
    /// line key → number of documents containing the line.
    counts: FastMap<u64, u32>,
    /// document → its distinct line keys.
    per_doc: FastMap<Arc<Path>, Box<[u64]>>,
}

/// The key of a line with its whitespace runs collapsed and its ends trimmed;
/// `None` for lines too short to count. Most lines are already in that form
/// and are hashed in place, in one call (word-by-word hashing was a few
/// percent of indexing); the others are normalised into a new string first.
pub fn line_key(line: &str) -> Option<u64> {
    let trimmed = line.trim();
    let ascii = trimmed.is_ascii();
    let normalised: Cow<'_, str> = if is_normalised(trimmed, ascii) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let chars = if ascii {
        normalised.len()
    } else {
        normalised.chars().count()
    };
    if chars < MIN_CHARS {
        return None;
    }
    let mut h = rustc_hash::FxHasher::default();
    h.write(normalised.as_bytes());
    // Terminate like `str`'s own `Hash`.
    h.write_u8(0xff);
    Some(h.finish())
}

/// Whether a trimmed line's only whitespace is single spaces between words
/// (what `split_whitespace` joined by `' '` gives back unchanged). Scans the
/// bytes (vectorised) rather than decoding every character: ASCII bytes never
/// occur inside a multi-byte character, and whitespace outside ASCII (U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
/// starts with one of four bytes (C2, E1, E2, E3), so only characters
/// starting with those are decoded.
fn is_normalised(trimmed: &str, ascii: bool) -> bool {
    let bytes = trimmed.as_bytes();
    // ASCII whitespace but the space: `\t`..=`\r` (with \x0B).
    let other_whitespace: usize = bytes
        .iter()
        .map(|&b| usize::from(b.wrapping_sub(b'\t') <= b'\r' - b'\t'))
        .sum();
    if other_whitespace != 0 || memchr::memmem::find(bytes, b"  ").is_some() {
        return false;
    }
    if ascii {
        return true;
    }
    let whitespace_at = |i: usize| {
        trimmed
            .get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_whitespace)
    };
    !memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(whitespace_at)
}

impl LineRepeats {
    /// Replaces a document's lines in the counts.
    pub fn update(&self, path: &Arc<Path>, text: &str, lines: &Lines) {
        let mut keys: Vec<u64> = lines.iter(text).filter_map(|(_, l)| line_key(l)).collect();
        keys.sort_unstable();
        keys.dedup();
        let keys = crate::analysis::exact(keys).into_boxed_slice();
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.per_doc.remove(path) {
            for k in old.iter() {
                decrement(&mut inner.counts, *k);
            }
        }
        for k in keys.iter() {
            *inner.counts.entry(*k).or_insert(0) += 1;
        }
        inner.per_doc.insert(path.clone(), keys);
    }

    /// Removes a document from the counts.
    pub fn remove(&self, path: &Path) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.per_doc.remove(path) {
            for k in old.iter() {
                decrement(&mut inner.counts, *k);
            }
        }
    }

    /// Number of documents containing this normalised line.
    pub fn count(&self, normalised: &str) -> usize {
        let Some(k) = line_key(normalised) else {
            return 0;
        };
        self.inner
            .lock()
            .ok()
            .and_then(|i| i.counts.get(&k).copied())
            .map_or(0, |c| c as usize)
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
            let Some(k) = line_key(line) else { continue };
            let count = inner.counts.get(&k).copied().map_or(0, |c| c as usize);
            if count >= threshold {
                out.push(BoilerplateLine {
                    line: i,
                    kind: BoilerplateKind::RepeatedAcrossCorpus,
                    text: line.trim().to_string(),
                    reason: format!("this line appears verbatim in {count} articles of the corpus")
                        .into(),
                });
            }
        }
        out
    }
}

fn decrement(counts: &mut FastMap<u64, u32>, key: u64) {
    if let Some(c) = counts.get_mut(&key) {
        *c = c.saturating_sub(1);
        if *c == 0 {
            counts.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_whitespace_runs_and_skips_short_lines() {
        assert_eq!(
            line_key("  Suivez-nous   sur\tFacebook "),
            line_key("Suivez-nous sur Facebook")
        );
        assert_ne!(
            line_key("Suivez-nous sur Facebook"),
            line_key("Suivez-nous sur Twitter!")
        );
        assert_eq!(line_key("Il a dit :"), None);
        // The key is the normalised line's, whichever way it is reached.
        let n: String = "Lire aussi   : la suite"
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(line_key(&n), line_key("Lire aussi : la suite"));
        // ASCII lines take a bytewise path: same key as the general one.
        assert_eq!(
            line_key("Lire aussi\u{a0}: la\u{2003}suite"),
            line_key(" Lire aussi\x0B:\x0Cla   suite\r")
        );
        assert_eq!(line_key("\x0B\x0C \t"), None);
        // Already-normalised lines (hashed in place) and those rebuilt share keys.
        assert_eq!(
            line_key("Suivez-nous sur Facebook"),
            line_key("Suivez-nous\u{a0}sur\u{3000}Facebook\u{85}")
        );
        assert_eq!(
            line_key("Abonnez-vous à la lettre"),
            line_key("Abonnez-vous  à\tla lettre")
        );
        // Each whitespace outside ASCII alone between words (each lead byte).
        for ws in [
            '\u{85}', '\u{a0}', '\u{1680}', '\u{2003}', '\u{2028}', '\u{205f}', '\u{3000}',
        ] {
            assert_eq!(
                line_key(&format!("Suivez-nous{ws}sur Facebook")),
                line_key("Suivez-nous sur Facebook"),
                "{ws:?}"
            );
        }
        // Eleven characters once normalised: too short, however it is spaced.
        assert_eq!(line_key("Il a dit ça"), None);
        assert_eq!(line_key("  Il  a \u{2003} dit   ça "), None);
        assert!(line_key("Il a dit ça.").is_some());
    }

    proptest::proptest! {
        /// The key is the hash of the line normalised by `split_whitespace`,
        /// whatever whitespace it had.
        #[test]
        fn key_is_the_normalised_lines(
            s in "[ \t\u{b}\u{c}\r\u{a0}\u{85}\u{1680}\u{2003}\u{2028}\u{205f}\u{3000}\u{1681}\u{3001}a-zé’:.]{0,30}"
        ) {
            let normalised = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(line_key(&s), line_key(&normalised));
            let expected = (normalised.chars().count() >= MIN_CHARS).then(|| {
                let mut h = rustc_hash::FxHasher::default();
                h.write(normalised.as_bytes());
                h.write_u8(0xff);
                h.finish()
            });
            proptest::prop_assert_eq!(line_key(&s), expected);
        }
    }

    #[test]
    fn counts_follow_updates_and_removals() {
        let r = LineRepeats::default();
        let text = "Abonnez-vous à notre lettre\nUn texte propre à cet article\n";
        let lines = Lines::new(text);
        let a: Arc<Path> = Arc::from(Path::new("a.txt"));
        let b: Arc<Path> = Arc::from(Path::new("b.txt"));
        r.update(&a, text, &lines);
        r.update(&b, text, &lines);
        assert_eq!(r.count("Abonnez-vous à notre lettre"), 2);
        // Re-inserting a document replaces its lines, it does not add them again.
        r.update(&a, text, &lines);
        assert_eq!(r.count("Abonnez-vous à notre lettre"), 2);
        let other = "Autre chose entièrement ici\n";
        r.update(&b, other, &Lines::new(other));
        assert_eq!(r.count("Abonnez-vous à notre lettre"), 1);
        assert_eq!(r.count("Autre chose entièrement ici"), 1);
        r.remove(&a);
        assert_eq!(r.count("Abonnez-vous à notre lettre"), 0);
    }
}
