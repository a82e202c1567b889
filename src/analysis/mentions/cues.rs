//! The word lists the recogniser consults, loaded once from the data tables
//! (`entities_*`, `names_*`) of every language plus `data/common/`: articles
//! mix languages (English fragments in French copy), so a cue of any language
//! counts everywhere.

use std::sync::OnceLock;

use crate::analysis::lexicon::Lexicon;
use crate::analysis::names::{self, gazetteer::Gazetteer, plain_fold, FastMap, FastSet};

/// Bits of [`Cues::flags`]: which tables a lowercase word is in.
pub(crate) mod flag {
    pub const FUNCTION_WORDS: u32 = 1 << 0;
    pub const STOPWORDS: u32 = 1 << 1;
    pub const CALENDAR: u32 = 1 << 2;
    pub const HONORIFICS: u32 = 1 << 3;
    pub const ROLES: u32 = 1 << 4;
    pub const PORTFOLIOS: u32 = 1 << 5;
    pub const PORTFOLIO_CUES: u32 = 1 << 6;
    pub const DEMONYMS: u32 = 1 << 7;
    pub const PARTICLES: u32 = 1 << 8;
    pub const PREFIX_PARTICLES: u32 = 1 << 9;
    pub const ELISIONS: u32 = 1 << 10;
    pub const ORG_HEADS: u32 = 1 << 11;
    pub const ORG_ADJECTIVE_HEADS: u32 = 1 << 12;
    pub const ORG_SUFFIXES: u32 = 1 << 13;
    pub const ORG_CUES: u32 = 1 << 14;
    pub const ORG_LINKING: u32 = 1 << 15;
    pub const PLACE_CUES: u32 = 1 << 16;
    pub const PLACE_CUES_WEAK: u32 = 1 << 17;
    pub const PERSON_CUES: u32 = 1 << 18;
    pub const AUXILIARIES: u32 = 1 << 19;
    pub const NOT_ALONE: u32 = 1 << 20;
}

/// Lowercased word sets.
#[derive(Debug, Default)]
pub(crate) struct Cues {
    pub function_words: FastSet<String>,
    pub stopwords: FastSet<String>,
    pub calendar: FastSet<String>,
    pub honorifics: FastSet<String>,
    pub roles: FastSet<String>,
    pub portfolios: FastSet<String>,
    pub portfolio_cues: FastSet<String>,
    pub demonyms: FastSet<String>,
    /// (suffix, endings that make stem + ending a place), longest suffix first.
    pub demonym_suffixes: Vec<(String, Vec<String>)>,
    pub particles: FastSet<String>,
    pub prefix_particles: FastSet<String>,
    pub elisions: FastSet<String>,
    pub org_heads: FastSet<String>,
    pub org_adjective_heads: FastSet<String>,
    pub adjective_suffixes: Vec<String>,
    pub org_suffixes: FastSet<String>,
    pub org_cues: FastSet<String>,
    pub org_linking: FastSet<String>,
    pub place_cues: FastSet<String>,
    pub place_cues_weak: FastSet<String>,
    pub person_cues: FastSet<String>,
    pub auxiliaries: FastSet<String>,
    pub not_alone: FastSet<String>,
    /// Plain-folded single-word place forms, for the demonym suffix rule.
    pub place_words: FastSet<String>,
    /// Lowercase word → the tables it is in (bits of [`flag`]), for one lookup per word.
    pub flags: FastMap<String, u32>,
}

fn set(lex: &Lexicon, table: &str) -> FastSet<String> {
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
            let mut c = Cues {
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
                flags: FastMap::default(),
            };
            let tables: [(&FastSet<String>, u32); 21] = [
                (&c.function_words, flag::FUNCTION_WORDS),
                (&c.stopwords, flag::STOPWORDS),
                (&c.calendar, flag::CALENDAR),
                (&c.honorifics, flag::HONORIFICS),
                (&c.roles, flag::ROLES),
                (&c.portfolios, flag::PORTFOLIOS),
                (&c.portfolio_cues, flag::PORTFOLIO_CUES),
                (&c.demonyms, flag::DEMONYMS),
                (&c.particles, flag::PARTICLES),
                (&c.prefix_particles, flag::PREFIX_PARTICLES),
                (&c.elisions, flag::ELISIONS),
                (&c.org_heads, flag::ORG_HEADS),
                (&c.org_adjective_heads, flag::ORG_ADJECTIVE_HEADS),
                (&c.org_suffixes, flag::ORG_SUFFIXES),
                (&c.org_cues, flag::ORG_CUES),
                (&c.org_linking, flag::ORG_LINKING),
                (&c.place_cues, flag::PLACE_CUES),
                (&c.place_cues_weak, flag::PLACE_CUES_WEAK),
                (&c.person_cues, flag::PERSON_CUES),
                (&c.auxiliaries, flag::AUXILIARIES),
                (&c.not_alone, flag::NOT_ALONE),
            ];
            let mut flags: FastMap<String, u32> = FastMap::default();
            for (set, bit) in tables {
                for w in set {
                    *flags.entry(w.clone()).or_default() |= bit;
                }
            }
            c.flags = flags;
            c
        })
    }

    /// The tables a lowercase word is in.
    pub fn flags(&self, lower: &str) -> u32 {
        self.flags.get(lower).copied().unwrap_or(0)
    }

    /// Whether a capitalised word names a people or nationality (`Russes`,
    /// `Belarusians`): the demonym tables, or a demonym suffix whose stem plus
    /// an ending is a gazetteer place. Given names and gazetteer forms never are.
    pub fn is_demonym(&self, word: &str, lower: &str) -> bool {
        if self.demonyms.contains(lower) {
            return true;
        }
        // `Franco-German`, `Russo-Ukrainian`: a compound ending in a demonym.
        if let Some((_, last)) = word.rsplit_once(['-', '‑']) {
            return !last.is_empty() && self.is_demonym(last, &last.to_lowercase());
        }
        if names::is_given_name(word) || Gazetteer::get().is_exact_form(word) {
            return false;
        }
        let folded = plain_fold(word);
        // One buffer for every stem + ending tried.
        let mut cand = String::with_capacity(folded.len() + 8);
        for (suffix, endings) in &self.demonym_suffixes {
            let Some(stem) = folded.strip_suffix(suffix.as_str()) else {
                continue;
            };
            if stem.chars().count() < 3 {
                continue;
            }
            for e in endings {
                cand.clear();
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
            "Franco-German",
            "Russo-Ukrainian",
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
