//! Line tokenizer for name recognition: words (letters and digits, with
//! internal hyphens, domain dots and initials joined: `Royaume-Uni`,
//! `Express.co.uk`, `U.S.`, `COVID-19`, `al-Assad`), one token per other
//! character, apostrophes split (`l’Ukraine` → `l`, `’`, `Ukraine`;
//! `Lukashenko’s` → `Lukashenko`, `’`, `s`), and where sentences start.

use std::borrow::Cow;

use super::cues::{flag, Cues};
use crate::analysis::lines::chars;

/// One token of a line; offsets are bytes into the whole text.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// The text in lowercase (borrowed when it has no capital).
    pub lw: Cow<'a, str>,
    pub word: bool,
    /// Capitalised like a name: first letter uppercase, or a lowercase name
    /// prefix before an uppercase part (`al-Assad`).
    pub cap: bool,
    /// Two or more letters, all uppercase (`OTAN`, `MONDE`).
    pub upper: bool,
    /// Every letter lowercase.
    pub lower: bool,
    pub digit: bool,
    /// The cue tables the lowercase word is in (bits of `cues::flag`).
    pub flags: u32,
    /// The first word of a sentence (after `.`, `?`, `:`, an opening quote, a
    /// breadcrumb separator or at the start of the line).
    pub sent_start: bool,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’' || c == 'ʼ'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '‑' || c == '‐'
}

/// Tokenizes one line whose text starts at byte `base` of the article.
pub(crate) fn tokenize<'a>(line: &'a str, base: usize, cues: &Cues) -> Vec<Tok<'a>> {
    let peek = |b: usize| char_at(line, b);
    let mut out: Vec<Tok<'a>> = Vec::with_capacity(line.len() / 5 + 1);
    let mut i = 0;
    while let Some(c) = peek(i) {
        let cl = c.len_utf8();
        if c.is_whitespace() || c.is_control() {
            i += cl;
            continue;
        }
        if !chars::is_alphanumeric(c) {
            let text = line.get(i..i + cl).unwrap_or("");
            out.push(Tok {
                start: base + i,
                end: base + i + cl,
                text,
                lw: Cow::Borrowed(text),
                word: false,
                cap: false,
                upper: false,
                lower: false,
                digit: false,
                flags: 0,
                sent_start: false,
            });
            i += cl;
            continue;
        }
        let start = i;
        let mut j = i + cl;
        let mut seg_start = i;
        loop {
            j = alphanumeric_run_end(line, j);
            let Some(next) = peek(j) else { break };
            // Only a hyphen, a dot or an apostrophe can join what follows
            // (most words end at a space or a comma: nothing more to decode).
            if !(is_hyphen(next) || next == '.' || is_apostrophe(next)) {
                break;
            }
            let after_at = j + next.len_utf8();
            let after = peek(after_at);
            let after_end = after_at + after.map_or(0, char::len_utf8);
            if is_hyphen(next) && after.is_some_and(chars::is_alphanumeric) {
                seg_start = after_at;
                j = after_end;
                continue;
            }
            if next == '.' {
                // Domains: `Express.co.uk`, `bfmtv.com`.
                if after.is_some_and(|a| a.is_lowercase() || a.is_ascii_digit())
                    && j - seg_start >= 2
                {
                    seg_start = after_at;
                    j = after_end;
                    continue;
                }
                // Initials: `U.S.`, `U.K.` (single letters separated by dots).
                let seg = line.get(seg_start..j).unwrap_or("");
                let mut sc = seg.chars();
                let single = sc.next().is_some_and(char::is_uppercase) && sc.next().is_none();
                if single
                    && after.is_some_and(char::is_uppercase)
                    && !peek(after_end).is_some_and(chars::is_alphanumeric)
                {
                    seg_start = after_at;
                    j = after_end;
                    if peek(j) == Some('.') {
                        j += 1;
                        break;
                    }
                    continue;
                }
            }
            // `O’Brien`: a lone capital O before an apostrophe and a capital.
            if is_apostrophe(next)
                && line.get(start..j) == Some("O")
                && after.is_some_and(char::is_uppercase)
            {
                seg_start = after_at;
                j = after_end;
                continue;
            }
            break;
        }
        let text = line.get(start..j).unwrap_or("");
        out.push(word_token(text, base + start, base + j, cues));
        i = j.max(i + cl);
    }
    mark_sentence_starts(&mut out);
    out
}

/// The char at byte `i` of `line` (`None` past the end or inside a char):
/// an ASCII byte is its own char, with no decoding.
fn char_at(line: &str, i: usize) -> Option<char> {
    match line.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => line.get(i..).and_then(|s| s.chars().next()),
        None => None,
    }
}

/// The end of the run of letters and digits starting at byte `j` of `line`:
/// ASCII bytes are tested as bytes, other characters decoded one by one.
fn alphanumeric_run_end(line: &str, mut j: usize) -> usize {
    let bytes = line.as_bytes();
    while let Some(&b) = bytes.get(j) {
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            j += 1;
            continue;
        }
        match line.get(j..).and_then(|s| s.chars().next()) {
            Some(a) if chars::is_alphanumeric(a) => j += a.len_utf8(),
            _ => break,
        }
    }
    j
}

fn word_token<'a>(text: &'a str, start: usize, end: usize, cues: &Cues) -> Tok<'a> {
    let (mut letters, mut uppers, mut digit) = (0usize, 0usize, false);
    let ascii = text.is_ascii();
    if ascii {
        // Most words: byte tests, the same answers as the char tests below.
        for b in text.bytes() {
            if b.is_ascii_alphabetic() {
                letters += 1;
                if b.is_ascii_uppercase() {
                    uppers += 1;
                }
            } else if b.is_ascii_digit() {
                digit = true;
            }
        }
    } else {
        for c in text.chars() {
            if chars::is_alphabetic(c) {
                letters += 1;
                if c.is_uppercase() {
                    uppers += 1;
                }
            } else if c.is_ascii_digit() {
                digit = true;
            }
        }
    }
    let first = text.chars().next();
    let mut cap = first.is_some_and(char::is_uppercase);
    if !cap && uppers > 0 {
        // `al-Assad`, `el-Sissi`: a lowercase name prefix before a capital part.
        if let Some((prefix, rest)) = text.split_once(is_hyphen) {
            cap = cues.prefix_particles.contains(prefix)
                && rest.chars().next().is_some_and(char::is_uppercase);
        }
    }
    let lw = if uppers > 0 && ascii {
        Cow::Owned(text.to_ascii_lowercase())
    } else if uppers > 0 {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    };
    let flags = cues.flags(&lw);
    Tok {
        start,
        end,
        text,
        lw,
        flags,
        word: true,
        cap,
        upper: letters >= 2 && uppers == letters,
        lower: letters > 0 && uppers == 0,
        digit,
        sent_start: false,
    }
}

fn mark_sentence_starts(toks: &mut [Tok<'_>]) {
    let mut boundary = true;
    let mut seen_word = false;
    // Whether the last word was an initial or an honorific (`M.`, `W.`).
    let mut prev_abbreviation = false;
    for t in toks.iter_mut() {
        if t.word {
            t.sent_start = boundary;
            boundary = false;
            seen_word = true;
            let mut chars = t.text.chars();
            let initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
            prev_abbreviation = initial || t.flags & flag::HONORIFICS != 0;
            continue;
        }
        let c = t.text.chars().next().unwrap_or(' ');
        match c {
            // `M. Veser`, `George W. Bush`: not the end of a sentence.
            '.' if !prev_abbreviation => boundary = true,
            '!' | '?' | '…' | ':' | ';' | '«' | '»' | '“' | '”' | '"' | '‘' | '„' | '•' | '|'
            | '›' | '>' | '·' | '▶' | '►' => boundary = true,
            '-' | '–' | '—' | '*' if !seen_word => boundary = true,
            ',' => boundary = false,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<&str> {
        tokenize(line, 0, Cues::get())
            .into_iter()
            .filter(|t| t.word)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn joins_hyphens_domains_and_initials() {
        assert_eq!(
            words("Le Royaume-Uni, Express.co.uk et les U.S. contre COVID-19."),
            vec![
                "Le",
                "Royaume-Uni",
                "Express.co.uk",
                "et",
                "les",
                "U.S.",
                "contre",
                "COVID-19"
            ]
        );
        assert_eq!(
            words("l’Ukraine d'Europe"),
            vec!["l", "Ukraine", "d", "Europe"]
        );
        assert_eq!(words("Lukashenko’s army"), vec!["Lukashenko", "s", "army"]);
        assert_eq!(words("O’Brien said"), vec!["O’Brien", "said"]);
    }

    #[test]
    fn prefix_particles_make_a_capitalised_name() {
        let t = tokenize("with al-Assad and pro-Kremlin", 0, Cues::get());
        let assad = t.iter().find(|t| t.text == "al-Assad").unwrap();
        assert!(assad.cap);
        let pro = t.iter().find(|t| t.text == "pro-Kremlin").unwrap();
        assert!(!pro.cap);
    }

    #[test]
    fn sentence_starts() {
        let t = tokenize(
            "Cependant, M. Veser a dit. Il part: «Nous» Home » MONDE",
            0,
            Cues::get(),
        );
        let starts: Vec<&str> = t
            .iter()
            .filter(|t| t.word && t.sent_start)
            .map(|t| t.text)
            .collect();
        assert_eq!(starts, vec!["Cependant", "Il", "Nous", "Home", "MONDE"]);
    }
}
