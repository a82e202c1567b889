//! Line tokenizer for name recognition: words (letters and digits, with
//! internal hyphens, domain dots and initials joined: `Royaume-Uni`,
//! `Express.co.uk`, `U.S.`, `COVID-19`, `al-Assad`), one token per other
//! character, apostrophes split (`l’Ukraine` → `l`, `’`, `Ukraine`;
//! `Lukashenko’s` → `Lukashenko`, `’`, `s`), and where sentences start.

use super::cues::Cues;

/// One token of a line; offsets are bytes into the whole text.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub word: bool,
    /// Capitalised like a name: first letter uppercase, or a lowercase name
    /// prefix before an uppercase part (`al-Assad`).
    pub cap: bool,
    /// Two or more letters, all uppercase (`OTAN`, `MONDE`).
    pub upper: bool,
    /// Every letter lowercase.
    pub lower: bool,
    pub digit: bool,
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
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let byte = |i: usize| chars.get(i).map(|(b, _)| *b).unwrap_or(line.len());
    let mut out: Vec<Tok<'a>> = Vec::new();
    let mut i = 0;
    while i < n {
        let Some(c) = at(i) else { break };
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let s = byte(i);
            let e = byte(i + 1);
            out.push(Tok {
                start: base + s,
                end: base + e,
                text: line.get(s..e).unwrap_or(""),
                word: false,
                cap: false,
                upper: false,
                lower: false,
                digit: false,
                sent_start: false,
            });
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        let mut seg_start = i;
        loop {
            while at(j).is_some_and(char::is_alphanumeric) {
                j += 1;
            }
            let next = at(j);
            let after = at(j + 1);
            if next.is_some_and(is_hyphen) && after.is_some_and(char::is_alphanumeric) {
                j += 2;
                seg_start = j - 1;
                continue;
            }
            if next == Some('.') {
                // Domains: `Express.co.uk`, `bfmtv.com`.
                if after.is_some_and(|a| a.is_lowercase() || a.is_ascii_digit())
                    && j - seg_start >= 2
                {
                    j += 2;
                    seg_start = j - 1;
                    continue;
                }
                // Initials: `U.S.`, `U.K.` (single letters separated by dots).
                let seg_len = j - seg_start;
                let single = seg_len == 1 && at(seg_start).is_some_and(char::is_uppercase);
                if single
                    && after.is_some_and(char::is_uppercase)
                    && !at(j + 2).is_some_and(char::is_alphanumeric)
                {
                    j += 2;
                    seg_start = j - 1;
                    if at(j) == Some('.') {
                        j += 1;
                        break;
                    }
                    continue;
                }
            }
            // `O’Brien`: a lone capital O before an apostrophe and a capital.
            if next.is_some_and(is_apostrophe)
                && j - start == 1
                && at(start) == Some('O')
                && after.is_some_and(char::is_uppercase)
            {
                j += 2;
                seg_start = j - 1;
                continue;
            }
            break;
        }
        let s = byte(start);
        let e = byte(j);
        let text = line.get(s..e).unwrap_or("");
        out.push(word_token(text, base + s, base + e, cues));
        i = j;
    }
    mark_sentence_starts(&mut out, cues);
    out
}

fn word_token<'a>(text: &'a str, start: usize, end: usize, cues: &Cues) -> Tok<'a> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper_letters = text.chars().filter(|c| c.is_uppercase()).count();
    let first = text.chars().next();
    let mut cap = first.is_some_and(char::is_uppercase);
    if !cap {
        // `al-Assad`, `el-Sissi`: a lowercase name prefix before a capital part.
        if let Some((prefix, rest)) = text.split_once(|c: char| is_hyphen(c)) {
            cap = cues.prefix_particles.contains(prefix)
                && rest.chars().next().is_some_and(char::is_uppercase);
        }
    }
    Tok {
        start,
        end,
        text,
        word: true,
        cap,
        upper: letters >= 2 && upper_letters == letters,
        lower: letters > 0 && !text.chars().any(char::is_uppercase),
        digit: text.chars().any(|c| c.is_ascii_digit()),
        sent_start: false,
    }
}

fn mark_sentence_starts(toks: &mut [Tok<'_>], cues: &Cues) {
    let mut boundary = true;
    let mut seen_word = false;
    // (lowercase, one uppercase letter) of the last word.
    let mut prev_word: Option<(String, bool)> = None;
    for t in toks.iter_mut() {
        if t.word {
            t.sent_start = boundary;
            boundary = false;
            seen_word = true;
            let lower = t.text.to_lowercase();
            let initial = t.text.chars().count() == 1 && t.text.chars().all(char::is_uppercase);
            prev_word = Some((lower, initial));
            continue;
        }
        let c = t.text.chars().next().unwrap_or(' ');
        match c {
            '.' => {
                // `M. Veser`, `George W. Bush`: not the end of a sentence.
                let abbreviation = prev_word
                    .as_ref()
                    .is_some_and(|(w, initial)| *initial || cues.honorifics.contains(w));
                if !abbreviation {
                    boundary = true;
                }
            }
            '!' | '?' | '…' | ':' | '«' | '»' | '“' | '”' | '"' | '‘' | '„' | '•' | '|' | '›'
            | '>' | '·' | '▶' | '►' => boundary = true,
            '-' | '–' | '—' | '*' if !seen_word => boundary = true,
            ',' | ';' => boundary = false,
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
