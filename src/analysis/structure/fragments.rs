//! Untranslated bracketed fragments: `[it is because]` in a French article.
//!
//! A bracket on one line, with at most [`MAX_CHARS`] characters of content, is a
//! fragment in another language when:
//! - its function words ([`language::detect_opt`]) point to another language; or
//! - it has no function word (a name, a demonym: `[Lukashenko’s]`,
//!   `[Belarusians]`), is at most [`MAX_NAME_WORDS`] words long, one of its
//!   words ends like the other language (`structure_word_endings`: `’s`,
//!   `-ians`) or has its letters (`structure_letters`: `é`), and not like the
//!   article's language, and none of its words is
//!   written elsewhere in the article outside brackets (an editor's insertion
//!   `[Loukachenko]` repeats a name of the article; a leftover of the source
//!   text does not).
//!
//! Editorial marks (`[sic]`, `[…]`, `[NDLR]`) are never fragments
//! (`common/structure_bracket_ignore`).

use rustc_hash::FxHashSet as HashSet;

use super::super::boilerplate::fold;
use super::super::language;
use super::super::lexicon::Lexicon;
use super::super::{Fragment, Language, Lines, Span};

/// Longest bracket content considered, in characters.
pub const MAX_CHARS: usize = 120;
/// Longest fragment (in words) accepted on word endings alone.
pub const MAX_NAME_WORDS: usize = 3;

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// The word without a possessive ending, folded.
fn stem(w: &str) -> String {
    let f = fold(w);
    f.trim_end_matches("'s").trim_end_matches('\'').to_string()
}

/// Every bracketed span of the text: (span including the brackets, content span).
fn brackets(text: &str, lines: &Lines) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    // Most articles have no bracket at all: one byte search decides.
    if !text.as_bytes().contains(&b'[') {
        return out;
    }
    for i in 0..lines.len() {
        let Some((ls, le)) = lines.span(i) else {
            continue;
        };
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        let mut open: Option<usize> = None;
        // Brackets are ASCII, so their bytes are never inside another char:
        // a byte scan finds the same positions as the chars.
        for (j, &c) in line.as_bytes().iter().enumerate() {
            match c {
                b'[' => open = Some(j),
                b']' => {
                    if let Some(o) = open.take() {
                        let content = Span::new(ls + o + 1, ls + j);
                        if content.text(text).chars().count() <= MAX_CHARS {
                            out.push((Span::new(ls + o, ls + j + 1), content));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Which other language than `article` a word's ending or letters suggest.
fn ending_language(word: &str, article: Language, lex: &Lexicon) -> Option<Language> {
    let lower = word.to_lowercase();
    let ends = |lang: Language| {
        lex.table(lang, "structure_word_endings").iter().any(|e| {
            lower.ends_with(&e.to_lowercase()) && lower.chars().count() > e.chars().count()
        }) || lex
            .table(lang, "structure_letters")
            .iter()
            .any(|l| lower.contains(&l.to_lowercase()))
    };
    if ends(article) {
        return None;
    }
    lex.languages()
        .iter()
        .copied()
        .filter(|l| *l != article)
        .find(|l| ends(*l))
}

/// Finds the untranslated fragments of an article written in `article`.
pub fn find(text: &str, lines: &Lines, article: Language, lex: &Lexicon) -> Vec<Fragment> {
    let all = brackets(text, lines);
    if all.is_empty() {
        return Vec::new();
    }
    // Words written outside brackets, for the name rule (built once).
    let mut outside: HashSet<String> = HashSet::default();
    let mut last = 0;
    for (span, _) in &all {
        if let Some(before) = text.get(last..span.start) {
            outside.extend(words(before).map(stem));
        }
        last = span.end;
    }
    if let Some(rest) = text.get(last..) {
        outside.extend(words(rest).map(stem));
    }
    let mut out = Vec::new();
    for (span, content) in all {
        let inner = content.text(text).trim();
        if inner.is_empty() || !inner.chars().any(char::is_alphabetic) {
            continue;
        }
        let key = inner.to_lowercase();
        if lex.contains_common("structure_bracket_ignore", &key)
            || lex.contains_common("structure_bracket_ignore", key.trim_end_matches('.'))
        {
            continue;
        }
        let found = match language::detect_opt(inner) {
            Some(l) if l != article => Some(l),
            Some(_) => None,
            None => {
                let ws: Vec<&str> = words(inner).collect();
                if ws.is_empty()
                    || ws.len() > MAX_NAME_WORDS
                    || ws.iter().any(|w| outside.contains(&stem(w)))
                {
                    None
                } else {
                    ws.iter().find_map(|w| ending_language(w, article, lex))
                }
            }
        };
        if let Some(language) = found {
            out.push(Fragment {
                span,
                text: span.text(text).to_string(),
                language,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str, lang: Language) -> Vec<String> {
        let lines = Lines::new(t);
        find(t, &lines, lang, Lexicon::get())
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn english_fragments_in_french() {
        let t = "Il voulait être sage [it is because] il a dû compter avec les [Belarusians].\n\
                 Il a commenté : «[Lukashenko’s] prétendre que le pays [in Belarus] est menacé.\n\
                 Le despote [Loukachenko] a parlé [sic] hier […]. Le Loukachenko du jour.";
        assert_eq!(
            texts(t, Language::FR),
            vec![
                "[it is because]",
                "[Belarusians]",
                "[Lukashenko’s]",
                "[in Belarus]"
            ]
        );
    }

    #[test]
    fn french_fragments_in_english() {
        let t = "He said the army [est prête à partir] and the [Biélorusses] would follow.\n\
                 The president [Lukashenko] spoke [sic] on Monday. Lukashenko is in Minsk [1].";
        assert_eq!(
            texts(t, Language::EN),
            vec!["[est prête à partir]", "[Biélorusses]"]
        );
    }

    #[test]
    fn same_language_insertions_are_kept() {
        let t = "Le ministre [de la Défense] a parlé. The [former] minister.";
        assert_eq!(texts(t, Language::FR), Vec::<String>::new());
    }
}
