//! Article language: a language is a code (`fr`, `en`, …) that names a folder
//! of data tables under `data/`, and detection is a vote of stop words from
//! each language's `stopwords` table. Adding a language adds no code.

use rustc_hash::FxHashMap;
use serde::{Serialize, Serializer};
use std::sync::OnceLock;

use super::lexicon::Lexicon;
use super::lines::chars;

/// A language known to the data tables, by its ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(&'static str);

impl Language {
    pub const FR: Language = Language("fr");
    pub const EN: Language = Language("en");

    /// The language with this code, if the data tables know it.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim().to_ascii_lowercase();
        Lexicon::get()
            .languages()
            .iter()
            .copied()
            .find(|l| l.0 == code)
    }

    pub(crate) const fn from_static(code: &'static str) -> Language {
        Language(code)
    }

    pub fn code(self) -> &'static str {
        self.0
    }
}

impl Default for Language {
    fn default() -> Self {
        Language::EN
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// No stop word of any table is longer than this (checked by a test).
const MAX_STOPWORD_BYTES: usize = 24;

/// Scores of each known language for a piece of text: the number of its words
/// found in that language's stop-word table.
pub fn scores(text: &str) -> Vec<(Language, usize)> {
    let lex = Lexicon::get();
    let mut counts: Vec<(Language, usize)> = lex.languages().iter().map(|l| (*l, 0)).collect();
    let langs_of = stopword_languages();
    let mut lower = String::new();
    for word in words(text).take(5000) {
        // Stop words are short: longer words cannot count.
        if word.len() > MAX_STOPWORD_BYTES {
            continue;
        }
        let key = if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
            // Already lowercase: looked up as it is.
            word
        } else {
            lower.clear();
            for c in word.chars() {
                if c.is_ascii() {
                    lower.push(c.to_ascii_lowercase());
                } else {
                    lower.extend(c.to_lowercase());
                }
            }
            lower.as_str()
        };
        // One look-up for every language's table.
        if let Some(langs) = langs_of.get(key) {
            for &k in langs {
                if let Some((_, n)) = counts.get_mut(k) {
                    *n += 1;
                }
            }
        }
    }
    counts
}

/// The words of a text for stop-word counting: runs of letters and
/// apostrophes (`'`, `’`), the same as splitting at every other character
/// and dropping empty pieces. ASCII bytes are tested as bytes; other
/// characters are decoded and tested with the fast classes of `lines::chars`.
fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while let Some(&b) = bytes.get(i) {
            let (in_word, len) = if b.is_ascii() {
                (b.is_ascii_alphabetic() || b == b'\'', 1)
            } else {
                match text.get(i..).and_then(|t| t.chars().next()) {
                    Some(c) => (chars::is_alphabetic(c) || c == '’', c.len_utf8()),
                    None => (false, 1),
                }
            };
            if in_word {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                let word = text.get(s..i);
                i += len;
                return word;
            }
            i += len;
        }
        start.and_then(|s| text.get(s..))
    })
}

/// Lowercased stop word → the languages (indices into
/// [`Lexicon::languages`]) whose `stopwords` table has it.
fn stopword_languages() -> &'static FxHashMap<String, Vec<usize>> {
    static MAP: OnceLock<FxHashMap<String, Vec<usize>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let lex = Lexicon::get();
        let mut map: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (k, lang) in lex.languages().iter().enumerate() {
            for w in lex.lowered_set(*lang, "stopwords").into_iter().flatten() {
                let langs = map.entry(w.clone()).or_default();
                if !langs.contains(&k) {
                    langs.push(k);
                }
            }
        }
        map
    })
}

/// Detects the language of an article (the default language when no table matches).
pub fn detect(text: &str) -> Language {
    detect_opt(text).unwrap_or_default()
}

/// Detects the language of a text, or `None` when there is no evidence at all.
pub fn detect_opt(text: &str) -> Option<Language> {
    let mut best: Option<(Language, usize)> = None;
    for (lang, n) in scores(text) {
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((lang, n));
        }
    }
    best.map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_and_english() {
        assert_eq!(
            detect("Le président a déclaré que la guerre est dans le pays."),
            Language::FR
        );
        assert_eq!(
            detect("The president said that the war is in the country."),
            Language::EN
        );
    }

    #[test]
    fn bracketed_english_fragment_is_english() {
        assert_eq!(detect_opt("it is because"), Some(Language::EN));
        assert_eq!(detect_opt("1234"), None);
    }

    #[test]
    fn no_stop_word_is_longer_than_the_cut_off() {
        let lex = Lexicon::get();
        for lang in lex.languages() {
            for w in lex.table(*lang, "stopwords") {
                assert!(w.len() <= MAX_STOPWORD_BYTES, "{lang}: {w}");
            }
        }
    }

    #[test]
    fn words_split_like_the_char_splitter() {
        for t in [
            "",
            "  ",
            "L’armée d'Ukraine a dit: « non » — 2022, été… Straße ǅ×÷ª²",
            "word",
            "it's fine's'",
            "\u{2019}\u{2019}a\u{2019}",
        ] {
            let reference: Vec<&str> = t
                .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(words(t).collect::<Vec<_>>(), reference, "{t:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(Language::from_code("FR"), Some(Language::FR));
        assert_eq!(Language::from_code("xx"), None);
    }
}
