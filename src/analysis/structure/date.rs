//! Dates written in datelines: `19 décembre 2022`, `lundi 1er décembre 2022`,
//! `December 19, 2022`, `Dec. 2022`, `2022-12-19`, `19/12/2022`, and a bare year
//! after a dateline cue (`date 2022`). Month and day names and the cues come
//! from the `structure_months`, `structure_weekdays` and `structure_date_cues`
//! tables of every language (and the words a dateline may hold besides the
//! date from `structure_date_filler`); regexes are built once.
//!
//! Numeric dates `a/b/yyyy` are read day/month unless `b` cannot be a month.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::super::boilerplate::fold;
use super::super::lexicon::Lexicon;
use super::super::lines::chars;

/// A date found in a piece of text (byte offsets into that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateHit {
    /// ISO 8601, as precise as written.
    pub iso: String,
    pub start: usize,
    pub end: usize,
}

struct Patterns {
    day_month_year: Regex,
    month_day_year: Regex,
    month_year: Regex,
    iso: Regex,
    numeric: Regex,
    year: Regex,
    cue_prefix: Regex,
    time: Regex,
    months: HashMap<String, u32>,
    filler: Vec<String>,
}

/// Both the written and the accent-free spelling of each entry, escaped, longest first.
fn alternation(entries: &[String]) -> String {
    let mut all: Vec<String> = Vec::new();
    for e in entries {
        all.push(regex::escape(e));
        let f = fold(e);
        if f != *e {
            all.push(regex::escape(&f));
        }
    }
    all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    all.dedup();
    if all.is_empty() {
        // Matches nothing: a table is missing.
        return "[^\\s\\S]".to_string();
    }
    all.join("|")
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let lex = Lexicon::get();
        let mut months = HashMap::default();
        let mut month_names = Vec::new();
        for entry in lex.all_languages("structure_months") {
            let mut parts = entry.rsplitn(2, char::is_whitespace);
            let (Some(num), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Ok(n) = num.trim().parse::<u32>() else {
                continue;
            };
            let name = name.trim().to_lowercase();
            months.insert(fold(&name), n);
            month_names.push(name);
        }
        let weekdays: Vec<String> = lex
            .all_languages("structure_weekdays")
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let cues: Vec<String> = lex
            .all_languages("structure_date_cues")
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let m = alternation(&month_names);
        let w = alternation(&weekdays);
        let c = alternation(&cues);
        let wd = format!(r"(?:(?:{w})\.?,?\s+)?");
        let build = |s: &str| Regex::new(s).ok();
        let mut filler: Vec<String> = weekdays.iter().map(|x| fold(x)).collect();
        filler.extend(cues.iter().flat_map(|x| {
            fold(x)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        }));
        filler.extend(
            lex.all_languages("structure_date_filler")
                .iter()
                .map(|x| fold(x)),
        );
        Some(Patterns {
            day_month_year: build(&format!(
                r"(?i)\b{wd}(\d{{1,2}})(?:er|re|st|nd|rd|th)?\s+(?:de\s+|of\s+)?({m})\.?,?\s+(\d{{4}})\b"
            ))?,
            month_day_year: build(&format!(
                r"(?i)\b{wd}({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
            ))?,
            month_year: build(&format!(r"(?i)\b({m})\.?,?\s+(\d{{4}})\b"))?,
            iso: build(r"\b(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?)?\b")?,
            numeric: build(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")?,
            year: build(r"\b((?:19|20)\d{2})\b")?,
            cue_prefix: build(&format!(r"(?i)^[\s\p{{Pd}}|•·:]*(?:{c})\b[\s:,\p{{Pd}}]*"))?,
            time: build(r"(?i)\b\d{1,2}\s*(?:[h:.]\s*\d{2}|h)(?:\s*(?:am|pm))?\b")?,
            months,
            filler,
        })
    })
    .as_ref()
}

fn iso(year: u32, month: Option<u32>, day: Option<u32>) -> Option<String> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    match (month, day) {
        (None, _) => Some(format!("{year:04}")),
        (Some(m), _) if !(1..=12).contains(&m) => None,
        (Some(m), None) => Some(format!("{year:04}-{m:02}")),
        (Some(_), Some(d)) if !(1..=31).contains(&d) => None,
        (Some(m), Some(d)) => Some(format!("{year:04}-{m:02}-{d:02}")),
    }
}

fn num(c: Option<regex::Match<'_>>) -> Option<u32> {
    c.and_then(|m| m.as_str().parse().ok())
}

/// Every full or partial date in `s` (not a bare year), in order, without overlaps.
pub fn find_dates(s: &str) -> Vec<DateHit> {
    // Every pattern needs a four-digit year that parses: most lines have none,
    // and this byte scan spares them five regex searches.
    if !has_four_ascii_digits(s) {
        return Vec::new();
    }
    let Some(p) = patterns() else {
        return Vec::new();
    };
    let month_of = |c: Option<regex::Match<'_>>| -> Option<u32> {
        c.and_then(|m| {
            p.months
                .get(fold(m.as_str()).trim_end_matches('.'))
                .copied()
        })
    };
    let mut hits: Vec<DateHit> = Vec::new();
    let mut push = |iso: Option<String>, m: regex::Match<'_>| {
        if let Some(iso) = iso {
            hits.push(DateHit {
                iso,
                start: m.start(),
                end: m.end(),
            });
        }
    };
    for c in p.day_month_year.captures_iter(s) {
        if let (Some(all), Some(y)) = (c.get(0), num(c.get(3))) {
            push(iso(y, month_of(c.get(2)), num(c.get(1))), all);
        }
    }
    for c in p.month_day_year.captures_iter(s) {
        if let (Some(all), Some(y)) = (c.get(0), num(c.get(3))) {
            push(iso(y, month_of(c.get(1)), num(c.get(2))), all);
        }
    }
    for c in p.month_year.captures_iter(s) {
        if let (Some(all), Some(y)) = (c.get(0), num(c.get(2))) {
            if let Some(mo) = month_of(c.get(1)) {
                push(iso(y, Some(mo), None), all);
            }
        }
    }
    for c in p.iso.captures_iter(s) {
        if let (Some(all), Some(y)) = (c.get(0), num(c.get(1))) {
            push(iso(y, num(c.get(2)), num(c.get(3))), all);
        }
    }
    for c in p.numeric.captures_iter(s) {
        if let (Some(all), Some(a), Some(b), Some(y)) =
            (c.get(0), num(c.get(1)), num(c.get(2)), num(c.get(3)))
        {
            let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
            push(iso(y, Some(m), Some(d)), all);
        }
    }
    // Earliest first; at one start, the longest (most precise) wins.
    hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<DateHit> = Vec::new();
    for h in hits {
        if out.last().is_none_or(|l| h.start >= l.end) {
            out.push(h);
        }
    }
    out
}

/// Whether `s` holds four ASCII digits in a row: every date [`find_dates`]
/// reports has such a year (`\d{4}` parsed as a number, which only ASCII
/// digits are).
fn has_four_ascii_digits(s: &str) -> bool {
    let mut run = 0;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// A date that opens `s`, possibly after a dateline cue (`date 2022-12 …`,
/// `Publié le 19 décembre 2022`). After a cue, a bare year also counts.
pub fn date_at_start(s: &str) -> Option<DateHit> {
    let p = patterns()?;
    let (after_cue, had_cue) = match p.cue_prefix.find(s) {
        Some(m) => (m.end(), true),
        None => (
            s.len() - s.trim_start_matches(|c: char| c.is_whitespace()).len(),
            false,
        ),
    };
    let rest = s.get(after_cue..)?;
    if let Some(h) = find_dates(rest).into_iter().next() {
        if h.start == 0 {
            return Some(DateHit {
                iso: h.iso,
                start: h.start + after_cue,
                end: h.end + after_cue,
            });
        }
    }
    if had_cue {
        if let Some(m) = p.year.find(rest) {
            if m.start() == 0 {
                return Some(DateHit {
                    iso: m.as_str().to_string(),
                    start: m.start() + after_cue,
                    end: m.end() + after_cue,
                });
            }
        }
    }
    None
}

/// Whether `s` starts with a dateline cue (`Publié le`, `Updated`).
pub fn has_cue(s: &str) -> bool {
    patterns().is_some_and(|p| p.cue_prefix.is_match(s))
}

/// The date of a line that is essentially a dateline: a cue followed by a date
/// anywhere in a short line (`Mis à jour le 19 décembre 2022 à 10h30`), or a date
/// with at most a few other words (weekday, time, zone).
pub fn dateline(s: &str) -> Option<DateHit> {
    let words = chars::count_words_upto(s, 17);
    if words == 0 || words > 16 {
        return None;
    }
    if let Some(h) = date_at_start(s) {
        if has_cue(s) || rest_is_filler(s, &h) {
            return Some(h);
        }
    }
    let h = find_dates(s).into_iter().next()?;
    if has_cue(s) || rest_is_filler(s, &h) {
        return Some(h);
    }
    None
}

/// Whether the words of `s` outside the date are only times, zones, day names and cues.
fn rest_is_filler(s: &str, h: &DateHit) -> bool {
    let _ = h;
    let rest = without_dates(s);
    let Some(p) = patterns() else {
        return false;
    };
    let others = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !p.filler.contains(&fold(w)))
        .count();
    others <= 1
}

/// `s` with every date and time removed (replaced by spaces).
pub fn without_dates(s: &str) -> String {
    let mut rest = String::with_capacity(s.len());
    let mut last = 0;
    for h in find_dates(s) {
        rest.push_str(s.get(last..h.start).unwrap_or(""));
        rest.push(' ');
        last = h.end;
    }
    rest.push_str(s.get(last..).unwrap_or(""));
    match patterns() {
        Some(p) => p.time.replace_all(&rest, " ").into_owned(),
        None => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso_of(s: &str) -> Option<String> {
        find_dates(s).into_iter().next().map(|h| h.iso)
    }

    #[test]
    fn french_dates() {
        assert_eq!(
            iso_of("Publié le 19 décembre 2022"),
            Some("2022-12-19".into())
        );
        assert_eq!(iso_of("lundi 1er décembre 2022"), Some("2022-12-01".into()));
        assert_eq!(iso_of("le 5 fevrier 2021 à 10h"), Some("2021-02-05".into()));
        assert_eq!(iso_of("en décembre 2022"), Some("2022-12".into()));
        assert_eq!(iso_of("19/12/2022"), Some("2022-12-19".into()));
        assert_eq!(iso_of("le 21 septembre"), None);
    }

    #[test]
    fn english_dates() {
        assert_eq!(iso_of("December 19, 2022"), Some("2022-12-19".into()));
        assert_eq!(iso_of("Mon, Dec. 19, 2022"), Some("2022-12-19".into()));
        assert_eq!(iso_of("19 December 2022"), Some("2022-12-19".into()));
        assert_eq!(iso_of("2022-12-19T10:00:00Z"), Some("2022-12-19".into()));
        assert_eq!(iso_of("12/19/2022"), Some("2022-12-19".into()));
        assert_eq!(iso_of("May 2021"), Some("2021-05".into()));
        assert_eq!(iso_of("on Monday 10"), None);
    }

    #[test]
    fn datelines() {
        let d = |s: &str| dateline(s).map(|h| h.iso);
        assert_eq!(d(" date 2022-12 "), Some("2022-12".into()));
        assert_eq!(
            d("Mis à jour le 19 décembre 2022 à 10h30"),
            Some("2022-12-19".into())
        );
        assert_eq!(
            d("Updated: December 19, 2022 10:30 AM ET"),
            Some("2022-12-19".into())
        );
        assert_eq!(d("2022-12-19"), Some("2022-12-19".into()));
        assert_eq!(
            d("19 décembre 2022 | Mis à jour le 20 décembre 2022"),
            Some("2022-12-19".into())
        );
        assert_eq!(
            d("Monday 19 December 2022 10.30 GMT"),
            Some("2022-12-19".into())
        );
        assert_eq!(
            d("Poutine a déclaré le 21 septembre 2022 qu'une mobilisation aurait lieu."),
            None
        );
        let h = date_at_start(" date 2022-12 Le président russe s’est rendu lundi à Minsk.");
        assert_eq!(h.map(|h| h.iso), Some("2022-12".into()));
        assert_eq!(
            date_at_start("date 2021 Le président"),
            Some(DateHit {
                iso: "2021".into(),
                start: 5,
                end: 9
            })
        );
        assert_eq!(date_at_start("Le 21 septembre, Poutine a déclaré"), None);
    }
}
