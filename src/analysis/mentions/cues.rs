//! The word lists the recogniser consults, loaded once from the data tables
//! (`entities_*`, `names_*`) of every language plus `data/common/`: articles
//! mix languages (English fragments in French copy), so a cue of any language
//! counts everywhere.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::analysis::lexicon::Lexicon;
use crate::analysis::names::{self, gazetteer::Gazetteer, plain_fold};

/// Lowercased word sets.
#[derive(Debug, Default)]
pub(crate) struct Cues {
    pub function_words: HashSet<String>,
    pub stopwords: HashSet<String>,
    pub calendar: HashSet<String>,
    pub honorifics: HashSet<String>,
    pub roles: HashSet<String>,
    pub portfolios: HashSet<String>,
    pub portfolio_cues: HashSet<String>,
    pub demonyms: HashSet<String>,
    /// (suffix, endings that make stem + ending a place), longest suffix first.
    pub demonym_suffixes: Vec<(String, Vec<String>)>,
    pub particles: HashSet<String>,
    pub prefix_particles: HashSet<String>,
    pub elisions: HashSet<String>,
    pub org_heads: HashSet<String>,
    pub org_adjective_heads: HashSet<String>,
    pub adjective_suffixes: Vec<String>,
    pub org_suffixes: HashSet<String>,
    pub org_cues: HashSet<String>,
    pub org_linking: HashSet<String>,
    pub place_cues: HashSet<String>,
    pub place_cues_weak: HashSet<String>,
    pub person_cues: HashSet<String>,
    pub auxiliaries: HashSet<String>,
    pub not_alone: HashSet<String>,
    /// Plain-folded single-word place forms, for the demonym suffix rule.
    pub place_words: HashSet<String>,
}

fn set(lex: &Lexicon, table: &str) -> HashSet<String> {
    lex.all_languages(table)
        .into_iter()
        .map(str::to_lowercase)
        .collect()
}

impl Cues {
    pub fn get() -> &'static Cues {
        static C: OnceLock<Cues> = OnceLock::new();
        C.get_or_init(|| {
            let lex = Lexicon::get();
            let mut demonym_suffixes: Vec<(String, Vec<String>)> = lex
                .all_languages("names_demonym_suffixes")
                .into_iter()
                .map(|line| {
                    let (suffix, endings) = match line.split_once('|') {
                        Some((s, e)) => (s.trim(), Some(e)),
                        None => (line.trim(), None),
                    };
                    let endings: Vec<String> = match endings {
                        Some(e) => e
                            .split_whitespace()
                            .map(|x| {
                                if x == "0" {
                                    String::new()
                                } else {
                                    plain_fold(x)
                                }
                            })
                            .collect(),
                        None => ["", "e", "ie", "ia", "a"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    };
                    (plain_fold(suffix), endings)
                })
                .collect();
            // The same suffix may come from several languages: merge endings.
            demonym_suffixes.sort_by(|a, b| {
                b.0.chars()
                    .count()
                    .cmp(&a.0.chars().count())
                    .then(a.0.cmp(&b.0))
            });
            let mut merged: Vec<(String, Vec<String>)> = Vec::new();
            for (s, e) in demonym_suffixes {
                match merged.last_mut() {
                    Some((ls, le)) if *ls == s => {
                        for x in e {
                            if !le.contains(&x) {
                                le.push(x);
                            }
                        }
                    }
                    _ => merged.push((s, e)),
                }
            }
            let mut adjective_suffixes: Vec<String> = lex
                .all_languages("entities_adjective_suffixes")
                .into_iter()
                .map(str::to_lowercase)
                .collect();
            adjective_suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            let place_words = Gazetteer::get()
                .place_forms()
                .filter(|f| !f.contains(' '))
                .map(plain_fold)
                .collect();
            Cues {
                function_words: set(lex, "entities_function_words"),
                stopwords: set(lex, "stopwords"),
                calendar: set(lex, "entities_calendar"),
                honorifics: set(lex, "names_honorifics"),
                roles: set(lex, "entities_roles"),
                portfolios: set(lex, "entities_portfolios"),
                portfolio_cues: set(lex, "entities_portfolio_cues"),
                demonyms: set(lex, "names_demonyms"),
                demonym_suffixes: merged,
                particles: set(lex, "names_particles"),
                prefix_particles: set(lex, "names_prefix_particles"),
                elisions: set(lex, "names_elisions"),
                org_heads: set(lex, "entities_org_heads"),
                org_adjective_heads: set(lex, "entities_org_adjective_heads"),
                adjective_suffixes,
                org_suffixes: set(lex, "entities_org_suffixes"),
                org_cues: set(lex, "entities_org_cues"),
                org_linking: set(lex, "entities_org_linking"),
                place_cues: set(lex, "entities_place_cues"),
                place_cues_weak: set(lex, "entities_place_cues_weak"),
                person_cues: set(lex, "entities_person_cues"),
                auxiliaries: set(lex, "entities_auxiliaries"),
                not_alone: set(lex, "entities_not_alone"),
                place_words,
            }
        })
    }

    /// Whether a capitalised word names a people or nationality (`Russes`,
    /// `Belarusians`): the demonym tables, or a demonym suffix whose stem plus
    /// an ending is a gazetteer place. Given names and gazetteer forms never are.
    pub fn is_demonym(&self, word: &str, lower: &str) -> bool {
        if self.demonyms.contains(lower) {
            return true;
        }
        if names::is_given_name(word) || Gazetteer::get().is_exact_form(word) {
            return false;
        }
        let folded = plain_fold(word);
        for (suffix, endings) in &self.demonym_suffixes {
            let Some(stem) = folded.strip_suffix(suffix.as_str()) else {
                continue;
            };
            if stem.chars().count() < 3 {
                continue;
            }
            for e in endings {
                let mut cand = String::with_capacity(stem.len() + e.len());
                cand.push_str(stem);
                cand.push_str(e);
                if self.place_words.contains(&cand) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether a lowercase word looks like an adjective that may continue an
    /// organisation name (`européenne`, `nationale`).
    pub fn is_adjective(&self, lower: &str) -> bool {
        !self.stopwords.contains(lower)
            && !self.function_words.contains(lower)
            && self
                .adjective_suffixes
                .iter()
                .any(|s| lower.ends_with(s.as_str()) && lower.len() > s.len() + 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_in_both_languages() {
        let c = Cues::get();
        for w in [
            "Russes",
            "Biélorusses",
            "Ukrainiens",
            "Géorgiens",
            "Belarusians",
            "Russians",
            "Syrians",
            "Européens",
            "Iraqi",
            "Moldaves",
        ] {
            assert!(c.is_demonym(w, &w.to_lowercase()), "{w}");
        }
        for w in [
            "Russie",
            "Poutine",
            "Kavaleuski",
            "Roman",
            "Alexandre",
            "Marie",
            "Georgi",
            "Belarus",
            "Ukraine",
            "Slunkin",
        ] {
            assert!(!c.is_demonym(w, &w.to_lowercase()), "{w}");
        }
    }

    #[test]
    fn adjectives_continue_org_names() {
        let c = Cues::get();
        assert!(c.is_adjective("européenne"));
        assert!(c.is_adjective("nationale"));
        assert!(!c.is_adjective("a"));
        assert!(!c.is_adjective("décidera"));
    }
}
