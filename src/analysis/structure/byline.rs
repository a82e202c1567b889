//! Bylines and author names: `Par Jean Dupont`, `By Jane Doe and John Roe |
//! Reuters`, a bare name next to a dateline, the name line of an author box.
//! Cue words come from `structure_byline_cues`; the lowercase words allowed
//! inside names from `common/structure_name_particles`.

use std::sync::OnceLock;

use regex::Regex;

use super::super::boilerplate::fold;
use super::super::lexicon::Lexicon;
use super::super::lines::chars;
use super::date;

fn cue_regex() -> Option<&'static Regex> {
    static R: OnceLock<Option<Regex>> = OnceLock::new();
    R.get_or_init(|| {
        let mut cues: Vec<String> = Vec::new();
        for c in Lexicon::get().all_languages("structure_byline_cues") {
            let lower = c.to_lowercase();
            cues.push(regex::escape(&lower));
            let folded = fold(&lower);
            if folded != lower {
                cues.push(regex::escape(&folded));
            }
        }
        cues.sort_by_key(|c| std::cmp::Reverse(c.len()));
        cues.dedup();
        if cues.is_empty() {
            return None;
        }
        Regex::new(&format!(r"(?i)^\s*(?:{})\s*:?\s+", cues.join("|"))).ok()
    })
    .as_ref()
}

/// Whether a lowercase word may sit inside a name (`de`, `van`, `et`, `and`).
fn is_particle(word: &str) -> bool {
    Lexicon::get().contains_common("structure_name_particles", &word.to_lowercase())
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `s` reads as one or more person names: capitalised words (initials,
/// hyphenated names), particles inside, no digits, no sentence punctuation.
pub fn is_names(s: &str, max_words: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > max_words {
        return false;
    }
    if s.chars().any(|c| {
        c.is_ascii_digit() || matches!(c, '!' | '?' | ':' | ';' | '«' | '»' | '“' | '”' | '"')
    }) {
        return false;
    }
    // A full stop only closes an initial (`J.`).
    if words
        .iter()
        .any(|w| w.contains('.') && !(w.ends_with('.') && w.chars().count() <= 3))
    {
        return false;
    }
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if !starts_upper(first) || !starts_upper(last) {
        return false;
    }
    let capitalised = words.iter().filter(|w| starts_upper(w)).count();
    capitalised >= 1
        && words.iter().all(|w| {
            let w = w.trim_end_matches(',');
            starts_upper(w) || is_particle(w)
        })
}

/// Whether a line is a single person's name (an author box): 2–4 capitalised words.
pub fn is_person_name(s: &str) -> bool {
    let t = s.trim();
    let n = t.split_whitespace().count();
    (2..=4).contains(&n)
        && is_names(t, 4)
        && !t.split_whitespace().any(|w| {
            let l = w.to_lowercase();
            l == "et" || l == "and" || l == "&"
        })
        && !t.contains(',')
}

/// What a byline line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Byline {
    /// The names as written.
    pub names: String,
}

/// Punctuation after which a byline goes on with a role, an outlet or a date
/// (the words that do the same are in `structure_byline_stops`).
const STOPS: &[&str] = &[",", " | ", " - ", " – ", " — ", " · ", " • ", "(", " / "];

/// The byline stop words of every language, as ` word ` (space-delimited), in
/// lowercase and, unless the word is also a name particle (`le`: `Jean Le
/// Pen`), capitalised.
fn stop_words() -> &'static [String] {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        let mut out = Vec::new();
        for w in Lexicon::get().all_languages("structure_byline_stops") {
            let lower = w.to_lowercase();
            out.push(format!(" {lower} "));
            if !is_particle(&lower) {
                let mut cs = lower.chars();
                if let Some(first) = cs.next() {
                    out.push(format!(" {}{} ", first.to_uppercase(), cs.as_str()));
                }
            }
        }
        out
    })
}

/// Parses a cue byline (`Par Jean Dupont, envoyé spécial`). `None` when the
/// line does not start with a cue or what follows is not a name.
pub fn parse(line: &str) -> Option<Byline> {
    let t = line.trim();
    if chars::count_words_upto(t, 26) > 25 {
        return None;
    }
    let m = cue_regex()?.find(t)?;
    let mut rest = t.get(m.end()..)?;
    if let Some(h) = date::find_dates(rest).into_iter().next() {
        rest = rest.get(..h.start).unwrap_or(rest);
    }
    let mut cut = rest.len();
    for stop in STOPS {
        if let Some(i) = rest.find(stop) {
            cut = cut.min(i);
        }
    }
    let padded = format!("{rest} ");
    for stop in stop_words() {
        if let Some(i) = padded.find(stop.as_str()) {
            cut = cut.min(i);
        }
    }
    let names = rest
        .get(..cut)
        .unwrap_or("")
        .trim()
        .trim_end_matches(|c: char| c == '.' || c == ',' || c.is_whitespace());
    is_names(names, 10).then(|| Byline {
        names: names.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_bylines() {
        let n = |s: &str| parse(s).map(|b| b.names);
        assert_eq!(n("Par Jean Dupont"), Some("Jean Dupont".into()));
        assert_eq!(
            n("Par Marie-Claire de La Tour et Paul Martin, envoyés spéciaux à Kiev"),
            Some("Marie-Claire de La Tour et Paul Martin".into())
        );
        assert_eq!(
            n("Par Jean Dupont le 19 décembre 2022 à 10h"),
            Some("Jean Dupont".into())
        );
        assert_eq!(
            n("Par ailleurs, le gouvernement a annoncé des mesures."),
            None
        );
        assert_eq!(n("par"), None);
        assert_eq!(
            n("Par Jean Le Pen pour Le Monde"),
            Some("Jean Le Pen".into())
        );
    }

    #[test]
    fn english_bylines() {
        let n = |s: &str| parse(s).map(|b| b.names);
        assert_eq!(
            n("By Jane Doe and John Roe | Reuters"),
            Some("Jane Doe and John Roe".into())
        );
        assert_eq!(
            n("By J. K. Smith, December 19, 2022"),
            Some("J. K. Smith".into())
        );
        assert_eq!(n("By the end of the year, prices had doubled."), None);
        assert_eq!(n("By"), None);
        assert_eq!(n("By Jane Doe for Reuters"), Some("Jane Doe".into()));
        assert_eq!(n("By Jane Doe Updated 19 Dec"), Some("Jane Doe".into()));
    }

    #[test]
    fn person_names() {
        assert!(is_person_name("Oliver Barker"));
        assert!(is_person_name("Marie de La Tour"));
        assert!(!is_person_name("Alexandre Loukachenko et Vladimir Poutine"));
        assert!(!is_person_name("Loukachenko lundi 10"));
        assert!(!is_person_name("Le président a parlé."));
    }
}
