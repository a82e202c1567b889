//! Word tokens for attribution: words (with inner hyphens, apostrophes and
//! dots: `a-t-il`, `aujourd’hui`, `Express.co.uk`), elided articles split off
//! (`l’` + `Ukraine`), punctuation and quotation marks, each with its byte span,
//! its line and a normalised lowercase form (`’` → `'`) for table look-ups.

use crate::analysis::{Lines, Span};

use super::marks;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
    Mark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: Kind,
    /// Lowercase with typographic apostrophes and hyphens made ASCII.
    pub norm: String,
    pub line: usize,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    /// Whether the word starts with an uppercase letter.
    pub fn is_capitalised(&self, text: &str) -> bool {
        self.kind == Kind::Word
            && self
                .span
                .text(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }
    /// The punctuation or mark character of a non-word token.
    pub fn punct(&self, text: &str) -> Option<char> {
        if self.kind == Kind::Word {
            return None;
        }
        self.span.text(text).chars().next()
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '‐' || c == '‑'
}

/// Lowercase form with ASCII apostrophes and hyphens.
pub fn normalise(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '’' => out.push('\''),
            '‐' | '‑' => out.push('-'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Splits a text into tokens. `is_elision` says whether a lowercase word is an
/// elided article or pronoun that is written glued to the next word (`l`, `qu`).
pub fn tokenize(text: &str, lines: &Lines, is_elision: &dyn Fn(&str) -> bool) -> Vec<Token> {
    // About one token per five bytes of prose.
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    // The chars of the current line (one buffer for all lines).
    let mut chars: Vec<(usize, char)> = Vec::new();
    for line in 0..lines.len() {
        let Some((ls, le)) = lines.span(line) else {
            continue;
        };
        let Some(body) = text.get(ls..le) else {
            continue;
        };
        chars.clear();
        chars.extend(body.char_indices());
        let mut i = 0;
        while let Some(&(off, c)) = chars.get(i) {
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if c.is_alphanumeric() {
                let start = off;
                let mut j = i + 1;
                while let Some(&(_, d)) = chars.get(j) {
                    let prev = chars.get(j - 1).map(|&(_, p)| p);
                    let next = chars.get(j + 1).map(|&(_, n)| n);
                    let inner = match d {
                        d if d.is_alphanumeric() => true,
                        d if is_hyphen(d) || d == '°' => {
                            prev.is_some_and(char::is_alphanumeric)
                                && next.is_some_and(char::is_alphanumeric)
                        }
                        '.' => {
                            prev.is_some_and(char::is_alphanumeric)
                                && next.is_some_and(char::is_alphanumeric)
                        }
                        d if is_apostrophe(d) => {
                            prev.is_some_and(char::is_alphabetic)
                                && next.is_some_and(char::is_alphabetic)
                        }
                        _ => false,
                    };
                    if !inner {
                        break;
                    }
                    j += 1;
                }
                let mut end = chars.get(j).map(|&(o, _)| o).unwrap_or(body.len());
                // an elided word keeps its apostrophe even before a mark (`l’« …`)
                if let Some(&(o, d)) = chars.get(j) {
                    let word = body.get(start..end).unwrap_or("");
                    if is_apostrophe(d) && is_elision(&normalise(word)) {
                        end = o + d.len_utf8();
                        j += 1;
                    }
                }
                push_word(&mut out, body, ls, start, end, line, is_elision);
                i = j;
                continue;
            }
            let kind = if marks::is_mark(c) {
                Kind::Mark
            } else {
                Kind::Punct
            };
            let span = Span::new(ls + off, ls + off + c.len_utf8());
            out.push(Token {
                span,
                kind,
                norm: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// Pushes a word, splitting elided prefixes off (`qu’aujourd’hui` → `qu’` `aujourd’hui`).
fn push_word(
    out: &mut Vec<Token>,
    body: &str,
    base: usize,
    mut start: usize,
    end: usize,
    line: usize,
    is_elision: &dyn Fn(&str) -> bool,
) {
    loop {
        let word = body.get(start..end).unwrap_or("");
        let split = word
            .char_indices()
            .find(|&(_, c)| is_apostrophe(c))
            .and_then(|(k, c)| {
                let prefix = word.get(..k)?;
                let rest = word.get(k + c.len_utf8()..)?;
                (is_elision(&normalise(prefix)) && !rest.is_empty()).then_some(k + c.len_utf8())
            });
        match split {
            Some(cut) => {
                out.push(Token {
                    span: Span::new(base + start, base + start + cut),
                    kind: Kind::Word,
                    norm: normalise(word.get(..cut).unwrap_or("")),
                    line,
                });
                start += cut;
            }
            None => {
                if !word.is_empty() {
                    out.push(Token {
                        span: Span::new(base + start, base + end),
                        kind: Kind::Word,
                        norm: normalise(word),
                        line,
                    });
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr_elision(w: &str) -> bool {
        matches!(w, "l" | "d" | "n" | "qu" | "s" | "jusqu")
    }

    fn words(text: &str) -> Vec<String> {
        let lines = Lines::new(text);
        tokenize(text, &lines, &fr_elision)
            .iter()
            .map(|t| t.span.text(text).to_string())
            .collect()
    }

    #[test]
    fn french_elisions_and_inversions() {
        assert_eq!(
            words("l’Ukraine, a-t-il déclaré aujourd’hui qu’il n’a"),
            vec![
                "l’",
                "Ukraine",
                ",",
                "a-t-il",
                "déclaré",
                "aujourd’hui",
                "qu’",
                "il",
                "n’",
                "a"
            ]
        );
        assert_eq!(words("l’« opération »"), vec!["l’", "«", "opération", "»"]);
    }

    #[test]
    fn english_possessives_and_contractions_stay_whole() {
        assert_eq!(
            words("Lukashenko’s army won't, said Mr. Smith of Express.co.uk"),
            vec![
                "Lukashenko’s",
                "army",
                "won't",
                ",",
                "said",
                "Mr",
                ".",
                "Smith",
                "of",
                "Express.co.uk"
            ]
        );
    }

    #[test]
    fn normalised_forms() {
        let text = "D’après";
        let lines = Lines::new(text);
        let t = tokenize(text, &lines, &fr_elision);
        assert_eq!(t[0].norm, "d'");
        assert_eq!(t[1].norm, "après");
    }

    #[test]
    fn normalise_lowercases_and_makes_typography_ascii() {
        assert_eq!(normalise("L’ÉTAT‑MAJOR"), "l'état-major");
        assert_eq!(normalise("Aujourd’hui"), "aujourd'hui");
        assert_eq!(normalise("WON’T"), "won't");
        assert_eq!(normalise("Self‐Defence"), "self-defence");
        assert_eq!(normalise("Said"), "said");
    }
}
