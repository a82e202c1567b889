//! Line and paragraph geometry of an article: where each line starts and ends
//! (in bytes, without its `\n` or `\r\n`), and which lines form paragraphs.

/// Line table of a text. Lines are separated by `\n`; a trailing `\r` is not
/// part of a line's content. A lone `\r` is not a line break here (the text
/// layer normalises nothing, so offsets stay exact).
#[derive(Debug, Clone)]
pub struct Lines {
    /// (start, end) byte offsets of each line's content.
    spans: Spans,
}

/// Line offsets as `u32` pairs (8 bytes a line: a corpus keeps one table per
/// document), or as `usize` pairs for a text of 4 GiB or more.
#[derive(Debug, Clone)]
enum Spans {
    Narrow(Vec<[u32; 2]>),
    Wide(Vec<(usize, usize)>),
}

/// Calls `f(start, end)` for each line's content, in order.
fn each_line(text: &str, mut f: impl FnMut(usize, usize)) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let mut end = i;
            if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            f(start, end);
            start = i + 1;
        }
    }
    let mut end = text.len();
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    f(start, end);
}

impl Lines {
    pub fn new(text: &str) -> Self {
        Lines::build(text, u32::try_from(text.len()).is_ok())
    }

    fn build(text: &str, narrow: bool) -> Self {
        // Counted first: a corpus keeps one table per document, with no spare room.
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let spans = if narrow {
            let mut v = Vec::with_capacity(lines);
            // Every offset is at most `text.len()`, which fits.
            let narrow = super::saturating_u32;
            each_line(text, |s, e| v.push([narrow(s), narrow(e)]));
            Spans::Narrow(v)
        } else {
            let mut v = Vec::with_capacity(lines);
            each_line(text, |s, e| v.push((s, e)));
            Spans::Wide(v)
        };
        Lines { spans }
    }

    /// Number of lines (a text always has at least one, possibly empty).
    pub fn len(&self) -> usize {
        match &self.spans {
            Spans::Narrow(v) => v.len(),
            Spans::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Byte range of line `i`'s content, or `None` past the end.
    pub fn span(&self, i: usize) -> Option<(usize, usize)> {
        match &self.spans {
            Spans::Narrow(v) => v.get(i).map(|&[s, e]| (s as usize, e as usize)),
            Spans::Wide(v) => v.get(i).copied(),
        }
    }

    /// Bytes this table holds (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        match &self.spans {
            Spans::Narrow(v) => v.capacity() * std::mem::size_of::<[u32; 2]>(),
            Spans::Wide(v) => v.capacity() * std::mem::size_of::<(usize, usize)>(),
        }
    }

    /// Line `i`'s content (without line terminator), or `""` past the end.
    pub fn text<'a>(&self, text: &'a str, i: usize) -> &'a str {
        self.span(i).and_then(|(s, e)| text.get(s..e)).unwrap_or("")
    }

    /// The 0-based line holding byte `offset` (the last line for offsets past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        let found = match &self.spans {
            Spans::Narrow(v) => v.binary_search_by(|&[s, _]| (s as usize).cmp(&offset)),
            Spans::Wide(v) => v.binary_search_by(|(s, _)| s.cmp(&offset)),
        };
        match found {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// Whether line `i` is empty or only whitespace.
    pub fn is_blank(&self, text: &str, i: usize) -> bool {
        self.text(text, i).trim().is_empty()
    }

    /// Iterator over (line number, content).
    pub fn iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        (0..self.len()).map(move |i| (i, self.text(text, i)))
    }

    /// Paragraphs: maximal runs of non-blank lines, as (first line, last line) inclusive.
    pub fn paragraphs(&self, text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for i in 0..self.len() {
            let blank = self.is_blank(text, i);
            match (blank, start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    out.push((s, i - 1));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, self.len() - 1));
        }
        out
    }
}

/// Fast character classes for the per-character scans of the analysis
/// (tokenizers, line shapes). The same answers as `char`'s methods, but
/// Latin letters (`é`, `ç`, `ł`) and typographic punctuation (`’`, `«`, `—`),
/// most of the non-ASCII characters of French and English news, are decided by
/// a range test instead of the Unicode table search `char` does for every
/// non-ASCII character. Checked against `char` over these ranges by a test.
pub(crate) mod chars {
    /// `c.is_alphabetic()`.
    #[inline]
    pub(crate) fn is_alphabetic(c: char) -> bool {
        match c {
            '\0'..='\u{7f}' => c.is_ascii_alphabetic(),
            // Latin-1 symbols: only `ª`, `µ` and `º` are letters.
            '\u{80}'..='\u{bf}' => matches!(c, 'ª' | 'µ' | 'º'),
            // Latin-1 letters and Latin Extended-A/B: all letters but `×` and `÷`.
            '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
            // General Punctuation (dashes, quotation marks, spaces): no letters.
            '\u{2000}'..='\u{206f}' => false,
            _ => c.is_alphabetic(),
        }
    }

    /// `c.is_alphanumeric()`.
    #[inline]
    pub(crate) fn is_alphanumeric(c: char) -> bool {
        match c {
            '\0'..='\u{7f}' => c.is_ascii_alphanumeric(),
            '\u{80}'..='\u{bf}' => {
                matches!(c, 'ª' | 'µ' | 'º' | '²' | '³' | '¹' | '¼' | '½' | '¾')
            }
            '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
            '\u{2000}'..='\u{206f}' => false,
            _ => c.is_alphanumeric(),
        }
    }

    /// `s.split_whitespace().take(cap).count()`: the words of `s`, counted up
    /// to `cap`. A byte loop (ASCII whitespace tested as bytes, other
    /// characters decoded) instead of the generic splitter, and it stops at
    /// `cap`: line-length limits only need to know "more than N words".
    pub(crate) fn count_words_upto(s: &str, cap: usize) -> usize {
        let bytes = s.as_bytes();
        if s.is_ascii() {
            // Folded lines are nearly always ASCII: one byte test per character.
            let (mut n, mut in_word) = (0usize, false);
            for &b in bytes {
                let space = matches!(b, b' ' | b'\t'..=b'\r');
                if !space && !in_word {
                    if n >= cap {
                        return cap;
                    }
                    n += 1;
                }
                in_word = !space;
            }
            return n.min(cap);
        }
        let (mut n, mut in_word, mut i) = (0usize, false, 0usize);
        while n < cap {
            let Some(&b) = bytes.get(i) else { break };
            let (space, len) = if b.is_ascii() {
                (matches!(b, b' ' | b'\t'..=b'\r'), 1)
            } else {
                match s.get(i..).and_then(|t| t.chars().next()) {
                    Some(c) => (c.is_whitespace(), c.len_utf8()),
                    None => (false, 1),
                }
            };
            if space {
                in_word = false;
            } else if !in_word {
                in_word = true;
                n += 1;
            }
            i += len;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_and_wide_tables_agree() {
        let text = "Titre\r\n\nPar Jean\n  \nUn paragraphe\r\nsur deux lignes\r\rfin";
        let (narrow, wide) = (Lines::build(text, true), Lines::build(text, false));
        assert!(matches!(narrow.spans, Spans::Narrow(_)));
        assert!(matches!(wide.spans, Spans::Wide(_)));
        assert_eq!(narrow.len(), 6);
        assert_eq!(wide.len(), 6);
        for i in 0..8 {
            assert_eq!(narrow.span(i), wide.span(i), "line {i}");
        }
        assert_eq!(narrow.text(text, 0), "Titre");
        assert_eq!(narrow.text(text, 5), "sur deux lignes\r\rfin");
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                narrow.line_of(offset),
                wide.line_of(offset),
                "offset {offset}"
            );
        }
        assert_eq!(narrow.paragraphs(text), wide.paragraphs(text));
        assert_eq!(narrow.heap_bytes(), 6 * 8);
    }

    #[test]
    fn word_counts_agree_with_split_whitespace() {
        for s in [
            "",
            "  ",
            "un",
            " Le  président\tа dit\u{a0}oui ",
            "a\u{2009}b\u{202f}c\u{3000}d\u{85}e\u{b}f\u{1c}g",
            "« Bonjour » — dit-il…",
        ] {
            for cap in 0..10 {
                assert_eq!(
                    chars::count_words_upto(s, cap),
                    s.split_whitespace().take(cap).count(),
                    "{s:?} {cap}"
                );
            }
        }
    }

    #[test]
    fn fast_char_classes_agree_with_char() {
        for u in 0..=0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(chars::is_alphabetic(c), c.is_alphabetic(), "{u:x}");
            assert_eq!(chars::is_alphanumeric(c), c.is_alphanumeric(), "{u:x}");
        }
    }

    #[test]
    fn splits_lf_and_crlf() {
        let t = "a\r\nbé\n\nc";
        let l = Lines::new(t);
        assert_eq!(l.len(), 4);
        assert_eq!(l.text(t, 0), "a");
        assert_eq!(l.text(t, 1), "bé");
        assert_eq!(l.text(t, 2), "");
        assert_eq!(l.text(t, 3), "c");
        assert_eq!(l.line_of(4), 1);
        assert_eq!(l.line_of(100), 3);
        assert_eq!(l.paragraphs(t), vec![(0, 1), (3, 3)]);
    }

    #[test]
    fn empty_text_has_one_line() {
        let l = Lines::new("");
        assert_eq!(l.len(), 1);
        assert_eq!(l.text("", 0), "");
        assert!(l.paragraphs("").is_empty());
    }
}
