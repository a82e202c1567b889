//! The data tables of the analysis: word lists under `data/<language>/<table>.txt`
//! (and `data/common/` for tables that hold for every language), compiled into
//! the binary by `build.rs`. One entry per line; `#` starts a comment line;
//! entries are kept as written (callers fold case where they need to).
//!
//! This is the one place where cues live: speech verbs, honorifics, boilerplate
//! cues, the gazetteer. A new language is a new folder with the same table names.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use super::language::Language;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/data_tables.rs"));
}

/// The language code of tables that hold for every language.
pub const COMMON: &str = "common";

/// All data tables, parsed once.
#[derive(Debug)]
pub struct Lexicon {
    languages: Vec<Language>,
    /// language code → table name → entries as written.
    tables: HashMap<&'static str, HashMap<&'static str, Vec<&'static str>>>,
    /// language code → table name → lowercased entries.
    lowered: HashMap<&'static str, HashMap<&'static str, HashSet<String>>>,
}

static LEXICON: OnceLock<Lexicon> = OnceLock::new();

impl Lexicon {
    /// The process-wide lexicon (parsed on first use).
    pub fn get() -> &'static Lexicon {
        LEXICON.get_or_init(|| Lexicon::parse(generated::TABLES))
    }

    fn parse(raw: &'static [(&'static str, &'static str, &'static str)]) -> Lexicon {
        let mut languages = Vec::new();
        let mut tables: HashMap<&'static str, HashMap<&'static str, Vec<&'static str>>> =
            HashMap::default();
        let mut lowered: HashMap<&'static str, HashMap<&'static str, HashSet<String>>> =
            HashMap::default();
        for (lang, table, contents) in raw {
            if *lang != COMMON {
                let l = Language::from_static(lang);
                if !languages.contains(&l) {
                    languages.push(l);
                }
            }
            let entries: Vec<&'static str> = contents
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            lowered
                .entry(lang)
                .or_default()
                .insert(table, entries.iter().map(|e| e.to_lowercase()).collect());
            tables.entry(lang).or_default().insert(table, entries);
        }
        languages.sort();
        Lexicon {
            languages,
            tables,
            lowered,
        }
    }

    /// Every language that has data tables.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// The entries of one table of one language (empty when it does not exist).
    pub fn table(&self, lang: Language, table: &str) -> &[&'static str] {
        self.raw_table(lang.code(), table)
    }

    /// The entries of a table shared by all languages (`data/common/`).
    pub fn common(&self, table: &str) -> &[&'static str] {
        self.raw_table(COMMON, table)
    }

    fn raw_table(&self, code: &str, table: &str) -> &[&'static str] {
        self.tables
            .get(code)
            .and_then(|t| t.get(table))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The entries of a table in every language, common entries included.
    pub fn all_languages(&self, table: &str) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .tables
            .values()
            .filter_map(|t| t.get(table))
            .flat_map(|v| v.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `lowercase_word` is in a language's table (case-insensitive).
    /// The lowercased entries of a table as a set: for loops that look up
    /// many words in the same table (one lookup of the table, not one a word).
    pub fn lowered_set(&self, lang: Language, table: &str) -> Option<&HashSet<String>> {
        self.lowered.get(lang.code()).and_then(|t| t.get(table))
    }

    pub fn contains(&self, lang: Language, table: &str, lowercase_word: &str) -> bool {
        self.contains_code(lang.code(), table, lowercase_word)
    }

    /// Whether `lowercase_word` is in a table of `data/common/`.
    pub fn contains_common(&self, table: &str, lowercase_word: &str) -> bool {
        self.contains_code(COMMON, table, lowercase_word)
    }

    fn contains_code(&self, code: &str, table: &str, lowercase_word: &str) -> bool {
        self.lowered
            .get(code)
            .and_then(|t| t.get(table))
            .is_some_and(|set| set.contains(lowercase_word))
    }

    /// Whether `lowercase_word` is in this table in any language (common included).
    pub fn contains_any(&self, table: &str, lowercase_word: &str) -> bool {
        self.lowered
            .values()
            .filter_map(|t| t.get(table))
            .any(|set| set.contains(lowercase_word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_are_known() {
        let lex = Lexicon::get();
        assert!(lex.languages().contains(&Language::FR));
        assert!(lex.languages().contains(&Language::EN));
        assert!(lex.contains(Language::FR, "stopwords", "le"));
        assert!(lex.contains(Language::EN, "stopwords", "the"));
        assert!(!lex.contains(Language::EN, "stopwords", "le"));
    }
}
