//! Line and paragraph geometry of an article: where each line starts and ends
//! (in bytes, without its `\n` or `\r\n`), and which lines form paragraphs.

/// Line table of a text. Lines are separated by `\n`; a trailing `\r` is not
/// part of a line's content. A lone `\r` is not a line break here (the text
/// layer normalises nothing, so offsets stay exact).
#[derive(Debug, Clone)]
pub struct Lines {
    /// (start, end) byte offsets of each line's content.
    spans: Vec<(usize, usize)>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut spans = Vec::new();
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                let mut end = i;
                if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                spans.push((start, end));
                start = i + 1;
            }
        }
        let mut end = text.len();
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        spans.push((start, end));
        Lines { spans }
    }

    /// Number of lines (a text always has at least one, possibly empty).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Byte range of line `i`'s content, or `None` past the end.
    pub fn span(&self, i: usize) -> Option<(usize, usize)> {
        self.spans.get(i).copied()
    }

    /// Line `i`'s content (without line terminator), or `""` past the end.
    pub fn text<'a>(&self, text: &'a str, i: usize) -> &'a str {
        self.span(i).and_then(|(s, e)| text.get(s..e)).unwrap_or("")
    }

    /// The 0-based line holding byte `offset` (the last line for offsets past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.spans.binary_search_by(|(s, _)| s.cmp(&offset)) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
