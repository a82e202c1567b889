//! The attribution cue tables of one language, read once from the data tables
//! (`speech_*` and `attribution_*` under `data/<language>/`, plus
//! `data/common/`): speech verbs, auxiliaries, prepositions such as `selon`,
//! pronouns, determiners and the nouns that tell a described source from a
//! vague one. Multi-word entries (`d'après`, `according to`, `fait savoir`)
//! are matched as token sequences.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use crate::analysis::lexicon::Lexicon;
use crate::analysis::{Language, Lines};

use super::tokens::{self, Token};

/// Phrases of one or more words, matched against normalised tokens.
#[derive(Debug, Default, Clone)]
pub struct Phrases {
    /// first word → the whole phrases starting with it, longest first.
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    fn build<'a>(
        entries: impl IntoIterator<Item = &'a str>,
        is_elision: &dyn Fn(&str) -> bool,
    ) -> Self {
        let mut p = Phrases::default();
        for e in entries {
            p.add(e, is_elision);
        }
        p
    }

    /// Adds one phrase as written.
    pub fn add(&mut self, entry: &str, is_elision: &dyn Fn(&str) -> bool) {
        let lines = Lines::new(entry);
        let words: Vec<String> = tokens::tokenize(entry, &lines, is_elision)
            .into_iter()
            .map(|t| t.norm)
            .collect();
        let Some(first) = words.first().cloned() else {
            return;
        };
        let list = self.by_first.entry(first).or_default();
        if !list.contains(&words) {
            list.push(words);
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
    }

    /// The number of tokens of the longest phrase starting at token `i`.
    pub fn match_at(&self, toks: &[Token], i: usize) -> Option<usize> {
        let first = toks.get(i)?;
        let list = self.by_first.get(&first.norm)?;
        list.iter()
            .find(|words| {
                words.iter().enumerate().all(|(k, w)| {
                    toks.get(i + k).is_some_and(|t| &t.norm == w)
                        && toks.get(i + k).map(|t| t.line) == Some(first.line)
                })
            })
            .map(Vec::len)
    }

    /// Whether a single normalised word is a whole phrase.
    pub fn contains_word(&self, word: &str) -> bool {
        self.by_first
            .get(word)
            .is_some_and(|l| l.iter().any(|w| w.len() == 1))
    }
}

/// Every cue table of one language.
#[derive(Debug, Default)]
pub struct Tables {
    pub verbs: Phrases,
    pub participles: HashSet<String>,
    pub past_participles: HashSet<String>,
    pub infinitives: HashSet<String>,
    pub addressee_verbs: HashSet<String>,
    pub np_links: HashSet<String>,
    pub opening_prepositions: HashSet<String>,
    pub auxiliaries: HashSet<String>,
    pub prepositions: Phrases,
    pub pronouns: Phrases,
    pub plural_pronouns: HashSet<String>,
    pub impersonal: HashSet<String>,
    pub vague: HashSet<String>,
    pub roles: HashSet<String>,
    pub institutions: HashSet<String>,
    pub reporting: HashSet<String>,
    pub honorifics: HashSet<String>,
    pub definite: HashSet<String>,
    pub indefinite: HashSet<String>,
    pub plural_det: HashSet<String>,
    pub pp: HashSet<String>,
    pub clause_starts: HashSet<String>,
    pub np_breaks: HashSet<String>,
    pub adverbs: HashSet<String>,
    pub report_links: HashSet<String>,
    pub domains: HashSet<String>,
    pub elisions: HashSet<String>,
    pub reflexives: HashSet<String>,
    pub stopwords: HashSet<String>,
    pub particles: HashSet<String>,
}

fn set(lex: &Lexicon, lang: Language, table: &str) -> HashSet<String> {
    lex.table(lang, table)
        .iter()
        .map(|e| tokens::normalise(e))
        .collect()
}

impl Tables {
    /// The tables of `lang` (empty tables for a language without data).
    pub fn get(lang: Language) -> &'static Tables {
        static ALL: OnceLock<HashMap<&'static str, Tables>> = OnceLock::new();
        static EMPTY: OnceLock<Tables> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            let lex = Lexicon::get();
            lex.languages()
                .iter()
                .map(|&l| (l.code(), Tables::load(lex, l)))
                .collect()
        });
        all.get(lang.code())
            .unwrap_or_else(|| EMPTY.get_or_init(Tables::default))
    }

    fn load(lex: &Lexicon, lang: Language) -> Tables {
        let elisions = set(lex, lang, "attribution_elisions");
        let is_elision = |w: &str| elisions.contains(w.trim_end_matches('\''));
        let phrases =
            |table: &str| Phrases::build(lex.table(lang, table).iter().copied(), &is_elision);
        Tables {
            verbs: phrases("speech_verbs"),
            participles: set(lex, lang, "speech_participles"),
            past_participles: set(lex, lang, "speech_past_participles"),
            infinitives: set(lex, lang, "speech_infinitives"),
            addressee_verbs: set(lex, lang, "speech_addressee_verbs"),
            np_links: set(lex, lang, "attribution_np_links"),
            opening_prepositions: set(lex, lang, "attribution_opening_prepositions"),
            auxiliaries: set(lex, lang, "speech_auxiliaries"),
            prepositions: phrases("attribution_prepositions"),
            pronouns: phrases("attribution_pronouns"),
            plural_pronouns: set(lex, lang, "attribution_plural_pronouns"),
            impersonal: set(lex, lang, "attribution_impersonal"),
            vague: set(lex, lang, "attribution_vague_nouns"),
            roles: set(lex, lang, "attribution_person_roles"),
            institutions: set(lex, lang, "attribution_institution_nouns"),
            reporting: set(lex, lang, "attribution_reporting_nouns"),
            honorifics: set(lex, lang, "attribution_honorifics"),
            definite: set(lex, lang, "attribution_definite"),
            indefinite: set(lex, lang, "attribution_indefinite"),
            plural_det: set(lex, lang, "attribution_plural_determiners"),
            pp: set(lex, lang, "attribution_pp_markers"),
            clause_starts: set(lex, lang, "attribution_clause_starts"),
            np_breaks: set(lex, lang, "attribution_np_breaks"),
            adverbs: set(lex, lang, "attribution_adverbs"),
            report_links: set(lex, lang, "attribution_report_links"),
            domains: set(lex, lang, "attribution_domains"),
            reflexives: set(lex, lang, "attribution_reflexives"),
            stopwords: set(lex, lang, "stopwords"),
            particles: lex
                .common("attribution_name_particles")
                .iter()
                .map(|e| tokens::normalise(e))
                .collect(),
            elisions,
        }
    }

    /// Whether a lowercase word (without its apostrophe) is an elided form.
    pub fn is_elision(&self, word: &str) -> bool {
        self.elisions.contains(word.trim_end_matches('\''))
    }

    /// Whether a word is a determiner of any kind.
    pub fn is_determiner(&self, w: &str) -> bool {
        self.definite.contains(w) || self.indefinite.contains(w) || self.plural_det.contains(w)
    }

    /// Whether a word is a function word that never starts a name.
    pub fn is_function_word(&self, w: &str) -> bool {
        self.stopwords.contains(w)
            || self.is_determiner(w)
            || self.pp.contains(w)
            || self.clause_starts.contains(w)
            || self.adverbs.contains(w)
            || self.np_breaks.contains(w)
            || self.pronouns.contains_word(w)
            || self.plural_pronouns.contains(w)
            || self.impersonal.contains(w)
            || self.auxiliaries.contains(w)
            || self.participles.contains(w)
            || self.verbs.contains_word(w)
            || self.prepositions.contains_word(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_tables_load() {
        let fr = Tables::get(Language::FR);
        assert!(fr.verbs.contains_word("déclaré"));
        assert!(fr.verbs.contains_word("affirme"));
        assert!(fr.auxiliaries.contains("a"));
        assert!(fr.is_elision("l'"));
        let en = Tables::get(Language::EN);
        assert!(en.verbs.contains_word("said"));
        assert!(en.roles.contains("spokesman"));
        assert!(!en.verbs.contains_word("déclaré"));
    }

    #[test]
    fn multi_word_prepositions_match_token_sequences() {
        let fr = Tables::get(Language::FR);
        let text = "D’après des sources";
        let lines = Lines::new(text);
        let toks = tokens::tokenize(text, &lines, &|w| fr.is_elision(w));
        assert_eq!(fr.prepositions.match_at(&toks, 0), Some(2));
        let en = Tables::get(Language::EN);
        let text = "according to officials";
        let lines = Lines::new(text);
        let toks = tokens::tokenize(text, &lines, &|w| en.is_elision(w));
        assert_eq!(en.prepositions.match_at(&toks, 0), Some(2));
    }
}
