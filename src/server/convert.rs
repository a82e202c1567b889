//! Conversions between LSP types and the core's: URIs ↔ document keys, byte
//! spans ↔ ranges in the negotiated encoding, findings → diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    self as lsp, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString,
    PositionEncodingKind, Range, Uri,
};

use crate::analysis::rules::{Finding, Severity};
use crate::analysis::{Lines, Span};
use crate::text::{self, PositionEncoding};

/// The document key of a URI: its file path for `file:` URIs, else the URI
/// text itself (for `untitled:` buffers).
pub fn uri_to_key(uri: &Uri) -> Arc<Path> {
    match uri.to_file_path() {
        Some(p) => Arc::from(p.as_ref()),
        None => Arc::from(PathBuf::from(uri.as_str()).as_path()),
    }
}

/// The URI of a document key.
pub fn key_to_uri(key: &Path) -> Option<Uri> {
    if key.is_absolute() {
        Uri::from_file_path(key)
    } else {
        key.to_str().and_then(|s| s.parse().ok())
    }
}

pub fn encoding_kind(enc: PositionEncoding) -> PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Picks the position encoding: UTF-8, then UTF-32 when offered, else UTF-16.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    let offered = offered.unwrap_or(&[]);
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        PositionEncoding::Utf32
    } else {
        PositionEncoding::Utf16
    }
}

pub fn to_lsp_position(p: text::Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub fn from_lsp_position(p: lsp::Position) -> text::Position {
    text::Position::new(p.line, p.character)
}

/// Converts byte offsets of a text to LSP positions. Uses the analysis line
/// table (lines split at `\n`), which agrees with LSP's line breaks unless the
/// text contains a lone `\r`; then it falls back to a rope.
pub struct Positions<'a> {
    text: &'a str,
    lines: &'a Lines,
    rope: Option<ropey::Rope>,
    enc: PositionEncoding,
    /// Which lines are pure ASCII, when known: a position on such a line
    /// is its byte offset from the line start in every encoding, found
    /// without reading the text.
    facts: Option<Arc<TextFacts>>,
}

/// What position conversion needs to know about one text, found in one pass
/// (the server caches it per document version).
#[derive(Debug, Clone, Default)]
pub struct TextFacts {
    /// Whether the text holds a lone carriage return ([`has_lone_cr`]).
    pub lone_cr: bool,
    /// Bit `i` set: line `i` of the line table holds only ASCII.
    ascii_lines: Vec<u64>,
}

impl TextFacts {
    pub fn of(text: &str, lines: &Lines) -> Self {
        let mut ascii_lines = vec![0u64; lines.len().div_ceil(64)];
        for i in 0..lines.len() {
            let ascii = lines
                .span(i)
                .and_then(|(s, e)| text.get(s..e))
                .is_some_and(|l| l.is_ascii());
            if let Some(w) = ascii_lines.get_mut(i / 64).filter(|_| ascii) {
                *w |= 1u64 << (i % 64);
            }
        }
        TextFacts {
            lone_cr: has_lone_cr(text),
            ascii_lines,
        }
    }

    /// Whether line `i` holds only ASCII.
    pub fn ascii_line(&self, i: usize) -> bool {
        self.ascii_lines
            .get(i / 64)
            .is_some_and(|w| (w >> (i % 64)) & 1 == 1)
    }
}

/// Whether a text holds a carriage return not followed by a line feed (a
/// line break for LSP, not for the analysis line table).
pub fn has_lone_cr(text: &str) -> bool {
    text.contains('\r')
        && text
            .as_bytes()
            .windows(2)
            .any(|w| w.first() == Some(&b'\r') && w.get(1) != Some(&b'\n'))
        || text.ends_with('\r')
}

/// Length of a text in UTF-16 code units: one per character, two for those
/// above U+FFFF (written with four bytes in UTF-8). Counts bytes instead of
/// decoding characters.
pub fn utf16_len(s: &str) -> usize {
    s.as_bytes()
        .iter()
        .map(|&b| usize::from((b as i8) >= -64) + usize::from(b >= 0xF0))
        .sum()
}

/// Length of a text in the units of an encoding.
fn units(s: &str, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => utf16_len(s),
        PositionEncoding::Utf32 => s.chars().count(),
    }
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, lines: &'a Lines, enc: PositionEncoding) -> Self {
        Self::with_lone_cr(text, lines, enc, has_lone_cr(text))
    }

    /// [`Positions::new`] when [`has_lone_cr`] is known already.
    pub fn with_lone_cr(
        text: &'a str,
        lines: &'a Lines,
        enc: PositionEncoding,
        lone_cr: bool,
    ) -> Self {
        Positions {
            text,
            lines,
            rope: lone_cr.then(|| ropey::Rope::from_str(text)),
            enc,
            facts: None,
        }
    }

    /// [`Positions::new`] with the text's [`TextFacts`] (computed by
    /// [`TextFacts::of`] from this very text and line table).
    pub fn with_facts(
        text: &'a str,
        lines: &'a Lines,
        enc: PositionEncoding,
        facts: Arc<TextFacts>,
    ) -> Self {
        let mut p = Self::with_lone_cr(text, lines, enc, facts.lone_cr);
        p.facts = Some(facts);
        p
    }

    /// The line of a byte offset (clamped to the text) and, when that line
    /// is known to be ASCII, the offset's position on it: found from the
    /// line table alone. A line start is a character boundary, so flooring
    /// the offset to one never changes its line.
    /// `from` is a line at or before the offset's (0 when unknown).
    fn ascii_fast(&self, byte: usize, from: usize) -> (usize, Option<(usize, usize)>) {
        let byte = byte.min(self.text.len());
        let line = self.line_from(from, byte);
        let fast = self
            .facts
            .as_ref()
            .filter(|f| f.ascii_line(line))
            .and_then(|_| self.lines.span(line))
            .map(|(start, end)| {
                let upto = byte.min(end).max(start);
                (upto, upto - start)
            });
        (line, fast)
    }

    /// The line holding `byte` (as `Lines::line_of`: the last line starting
    /// at or before it), searched forward from line `from`, which must start
    /// at or before `byte`: galloping, then bisecting. Offsets converted in
    /// ascending order touch the line table nearly sequentially.
    fn line_from(&self, from: usize, byte: usize) -> usize {
        let n = self.lines.len();
        let starts_by = |i: usize| self.lines.span(i).is_some_and(|(s, _)| s <= byte);
        if from >= n || !starts_by(from) {
            return self.lines.line_of(byte);
        }
        // Invariant: `lo` starts at or before `byte`; `hi` is past the end
        // or starts after it.
        let mut lo = from;
        let mut step = 1;
        let mut hi = loop {
            let next = lo.saturating_add(step);
            if next >= n || !starts_by(next) {
                break next.min(n);
            }
            lo = next;
            step = step.saturating_mul(2);
        };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if starts_by(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub fn position(&self, byte: usize) -> lsp::Position {
        if let Some(rope) = &self.rope {
            return to_lsp_position(text::byte_to_position(rope, byte, self.enc));
        }
        if let (line, Some((_, units))) = self.ascii_fast(byte, 0) {
            return lsp::Position::new(
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(units).unwrap_or(u32::MAX),
            );
        }
        let byte = floor_boundary(self.text, byte.min(self.text.len()));
        let line = self.lines.line_of(byte);
        let (start, end) = self.lines.span(line).unwrap_or((0, 0));
        let upto = byte.min(end).max(start);
        let slice = self.text.get(start..upto).unwrap_or("");
        let character = units(slice, self.enc);
        lsp::Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The ranges of many spans of this document, equal to mapping
    /// [`Positions::range`], but each line is counted once from left to right
    /// instead of from its start for every offset (references and rename
    /// convert thousands of spans, many on the same long paragraph line).
    pub fn ranges(&self, spans: &[Span]) -> Vec<Range> {
        if self.rope.is_some() || spans.len() < 4 {
            return spans.iter().map(|s| self.range(*s)).collect();
        }
        let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(spans.len() * 2);
        for (i, s) in spans.iter().enumerate() {
            offsets.push((s.start, 2 * i));
            offsets.push((s.end, 2 * i + 1));
        }
        offsets.sort_unstable();
        let mut out = vec![lsp::Position::default(); spans.len() * 2];
        // The cursor: a line, a byte offset on it and the units before it.
        let mut cur: Option<(usize, usize, usize)> = None;
        for (byte, slot) in offsets {
            let from = cur.map_or(0, |(l, _, _)| l);
            let (line, upto, units) = match self.ascii_fast(byte, from) {
                (line, Some((upto, units))) => (line, upto, units),
                (line, None) => {
                    // Same line: flooring to a character boundary never
                    // crosses a line start.
                    let byte = floor_boundary(self.text, byte.min(self.text.len()));
                    let (start, end) = self.lines.span(line).unwrap_or((0, 0));
                    let upto = byte.min(end).max(start);
                    let (from, before) = match cur {
                        Some((l, at, units)) if l == line && at <= upto => (at, units),
                        _ => (start, 0),
                    };
                    let slice = self.text.get(from..upto).unwrap_or("");
                    (line, upto, before + units(slice, self.enc))
                }
            };
            cur = Some((line, upto, units));
            if let Some(p) = out.get_mut(slot) {
                *p = lsp::Position::new(
                    u32::try_from(line).unwrap_or(u32::MAX),
                    u32::try_from(units).unwrap_or(u32::MAX),
                );
            }
        }
        out.chunks_exact(2)
            .map(|p| match p {
                [a, b] => Range::new(*a, *b),
                _ => Range::default(),
            })
            .collect()
    }

    /// Byte offset of an LSP position (clamped to the document).
    pub fn offset(&self, pos: lsp::Position) -> usize {
        let rope = match &self.rope {
            Some(r) => std::borrow::Cow::Borrowed(r),
            None => std::borrow::Cow::Owned(ropey::Rope::from_str(self.text)),
        };
        let (c, _) = text::position_to_char(&rope, from_lsp_position(pos), self.enc);
        rope.char_to_byte(c)
    }
}

/// The largest char boundary ≤ `i`.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A finding as an LSP diagnostic (source `news-ls`, code, tags, data).
pub fn diagnostic(pos: &Positions<'_>, f: &Finding) -> Diagnostic {
    Diagnostic {
        range: pos.range(f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: None,
        source: Some("news-ls".to_string()),
        message: f.message.clone(),
        related_information: None,
        tags: f.unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "kind": f.data })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf16_lengths_count_surrogate_pairs() {
        for s in [
            "",
            "abc",
            "é«»",
            "😀",
            "a😀b\u{301}",
            "日本語",
            "\u{10FFFF}\u{FFFF}",
        ] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s:?}");
        }
    }

    proptest! {
        /// The fast line-table conversion agrees with the rope's for every
        /// byte offset (inside characters too), in every encoding, and
        /// positions of character boundaries convert back to the same offset.
        #[test]
        fn positions_agree_with_the_rope_and_round_trip(
            s in "[a-zé😀«\u{301} \n\r\t]{0,40}",
            picks in proptest::collection::vec(0usize..64, 1..8),
        ) {
            let lines = Lines::new(&s);
            let rope = ropey::Rope::from_str(&s);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let pos = Positions::new(&s, &lines, enc);
                for &b in &picks {
                    let b = b % (s.len() + 2);
                    let fast = pos.position(b);
                    let slow = to_lsp_position(text::byte_to_position(&rope, b, enc));
                    prop_assert_eq!(fast, slow, "byte {} of {:?}", b, s);
                    let on_boundary = s.is_char_boundary(b.min(s.len()));
                    let in_crlf = b > 0
                        && s.as_bytes().get(b - 1) == Some(&b'\r')
                        && s.as_bytes().get(b) == Some(&b'\n');
                    if on_boundary && !in_crlf {
                        prop_assert_eq!(pos.offset(fast), b.min(s.len()));
                    }
                }
            }
        }

        /// Converting many spans at once gives the same ranges as one by one,
        /// with or without knowing which lines are ASCII.
        #[test]
        fn batched_ranges_equal_single_ranges(
            s in "[a-zé😀«\u{301} \n\r\t]{0,60}",
            picks in proptest::collection::vec((0usize..64, 0usize..8), 0..24),
        ) {
            let lines = Lines::new(&s);
            let spans: Vec<Span> = picks
                .iter()
                .map(|&(a, l)| Span::new(a % (s.len() + 2), a % (s.len() + 2) + l))
                .collect();
            let facts = Arc::new(TextFacts::of(&s, &lines));
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let pos = Positions::new(&s, &lines, enc);
                let one_by_one: Vec<Range> = spans.iter().map(|sp| pos.range(*sp)).collect();
                prop_assert_eq!(&pos.ranges(&spans), &one_by_one);
                // Knowing the ASCII lines changes nothing but the speed.
                let fast = Positions::with_facts(&s, &lines, enc, facts.clone());
                let fast_one_by_one: Vec<Range> = spans.iter().map(|sp| fast.range(*sp)).collect();
                prop_assert_eq!(&fast.ranges(&spans), &one_by_one);
                prop_assert_eq!(&fast_one_by_one, &one_by_one);
            }
        }
    }
}
