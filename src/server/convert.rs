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
/// text contains a lone `\r`; then it falls back to a rope (built on first
/// use: callers hold many converters at once).
pub struct Positions<'a> {
    text: &'a str,
    lines: &'a Lines,
    lone_cr: bool,
    rope: std::cell::OnceCell<ropey::Rope>,
    enc: PositionEncoding,
    /// The text's [`TextFacts`], when known: which lines are ASCII and the
    /// units per block and per line, from which most columns are found
    /// without counting a line from its start.
    facts: Option<Arc<TextFacts>>,
}

/// What position conversion needs to know about one text, found in one pass
/// (the server caches it per document version).
#[derive(Debug, Clone)]
pub struct TextFacts {
    /// Whether the text holds a lone carriage return ([`has_lone_cr`]).
    pub lone_cr: bool,
    /// Bit `i` set: line `i` of the line table holds only ASCII.
    ascii_lines: Vec<u64>,
    /// Whether every line is ASCII (every column is then a byte count).
    ascii: bool,
    /// The encoding [`TextFacts::block_units`] counts in.
    enc: PositionEncoding,
    /// Entry `i`: the units of `enc` in the text's first `i * BLOCK` bytes.
    /// A column on a line that is not ASCII is then the units between two
    /// offsets, each a table entry plus fewer than [`BLOCK`] bytes counted
    /// (the line index of rust-analyzer keeps the wide characters of each
    /// line for the same purpose). Empty when not needed, UTF-8 (a column
    /// is a byte count) or an ASCII text, and for a text of 4 GiB or more
    /// (whose units `u32` entries could not hold).
    block_units: Vec<u32>,
    /// Entry `i`: the units of `enc` before line `i` of the line table
    /// starts (when `block_units` is kept): a column then reads the text
    /// near its offset only, not at its line's start too.
    line_units: Vec<u32>,
}

/// Bytes per entry of [`TextFacts::block_units`]: the table costs a
/// sixteenth of the text, and a column counts at most this many bytes.
const BLOCK: usize = 64;

impl TextFacts {
    pub fn of(text: &str, lines: &Lines, enc: PositionEncoding) -> Self {
        let mut ascii_lines = vec![0u64; lines.len().div_ceil(64)];
        // Every line ASCII: every column is a byte count (line breaks are).
        let mut ascii = true;
        for i in 0..lines.len() {
            let line_ascii = lines
                .span(i)
                .and_then(|(s, e)| text.get(s..e))
                .is_some_and(|l| l.is_ascii());
            ascii &= line_ascii;
            if let Some(w) = ascii_lines.get_mut(i / 64).filter(|_| line_ascii) {
                *w |= 1u64 << (i % 64);
            }
        }
        let tabled = enc != PositionEncoding::Utf8 && !ascii && u32::try_from(text.len()).is_ok();
        let mut block_units = Vec::new();
        if tabled {
            block_units.reserve(text.len().div_ceil(BLOCK) + 1);
            let mut units = 0u32;
            block_units.push(0);
            for block in text.as_bytes().chunks(BLOCK) {
                // At most the block's length: no overflow below 4 GiB.
                units = units.saturating_add(byte_units(block, enc) as u32);
                block_units.push(units);
            }
        }
        let mut facts = TextFacts {
            lone_cr: has_lone_cr(text),
            ascii_lines,
            ascii,
            enc,
            block_units,
            line_units: Vec::new(),
        };
        if tabled {
            facts.line_units = (0..lines.len())
                .map(|i| {
                    let start = lines.span(i).map_or(0, |(s, _)| s);
                    let units = facts.units_before(text, start).unwrap_or(0);
                    u32::try_from(units).unwrap_or(u32::MAX)
                })
                .collect();
        }
        facts
    }

    /// Whether line `i` holds only ASCII.
    pub fn ascii_line(&self, i: usize) -> bool {
        self.ascii_lines
            .get(i / 64)
            .is_some_and(|w| (w >> (i % 64)) & 1 == 1)
    }

    /// The encoding these facts were found for.
    pub fn encoding(&self) -> PositionEncoding {
        self.enc
    }

    /// The units of the facts' encoding in `text[..at]` (`at` a character
    /// boundary of the text these facts were found for), when the table
    /// has them.
    fn units_before(&self, text: &str, at: usize) -> Option<usize> {
        let block = at / BLOCK;
        let base = *self.block_units.get(block)?;
        let tail = text.as_bytes().get(block * BLOCK..at)?;
        Some(base as usize + byte_units(tail, self.enc))
    }
}

/// The units of an encoding in some bytes of UTF-8, counted per byte (a
/// character's lead byte counts, its continuation bytes do not, and a
/// four-byte lead counts twice in UTF-16): exact for any slice that does
/// not cut a character at its end.
fn byte_units(bytes: &[u8], enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => bytes.len(),
        PositionEncoding::Utf16 => bytes
            .iter()
            .map(|&b| usize::from((b as i8) >= -64) + usize::from(b >= 0xF0))
            .sum(),
        PositionEncoding::Utf32 => bytes.iter().filter(|&&b| (b as i8) >= -64).count(),
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

/// Length of a text in the units of an encoding.
fn units(s: &str, enc: PositionEncoding) -> usize {
    byte_units(s.as_bytes(), enc)
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
            lone_cr,
            rope: std::cell::OnceCell::new(),
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

    /// The rope, for a text with a lone carriage return (built once).
    fn rope(&self) -> Option<&ropey::Rope> {
        self.lone_cr
            .then(|| self.rope.get_or_init(|| ropey::Rope::from_str(self.text)))
    }

    /// The line of a byte offset (clamped to the text) and, when it is
    /// found without counting the line from its start, the offset floored
    /// to a character boundary and clamped to the line, with its column:
    /// on a line known to be ASCII (the byte offset from the line start,
    /// read from the line table alone), in UTF-8 (the same, once floored),
    /// or from the facts' table of units per block. A line start is a
    /// character boundary, so flooring the offset to one never changes its
    /// line. `from` is a line at or before the offset's (0 when unknown).
    fn direct_column(&self, byte: usize, from: usize) -> (usize, Option<(usize, usize)>) {
        let byte = byte.min(self.text.len());
        let line = self.line_from(from, byte);
        let Some((start, end)) = self.lines.span(line) else {
            return (line, None);
        };
        let clamp = |b: usize| b.min(end).max(start);
        let facts = self.facts.as_deref();
        if facts.is_some_and(|f| f.ascii_line(line)) {
            let upto = clamp(byte);
            return (line, Some((upto, upto - start)));
        }
        let upto = clamp(floor_boundary(self.text, byte));
        if self.enc == PositionEncoding::Utf8 {
            return (line, Some((upto, upto - start)));
        }
        let counted = facts.filter(|f| f.enc == self.enc).and_then(|f| {
            let to = f.units_before(self.text, upto)?;
            let from = *f.line_units.get(line)? as usize;
            Some((upto, to.saturating_sub(from)))
        });
        (line, counted)
    }

    /// Reads the memory that converting `spans` reads (every cache line of
    /// the line table and of the units per line, the text at each span
    /// start and its block's entry), and returns a value made of it, so that a
    /// caller converting many documents can have these reads overlap
    /// (see `navigation::LocationWriter::write`). Changes nothing.
    pub fn warm(&self, spans: &[Span]) -> u32 {
        let mut x = 0u32;
        for i in (0..self.lines.len()).step_by(8) {
            x ^= self.lines.span(i).map_or(0, |(start, _)| start as u32);
        }
        let facts = self.facts.as_deref();
        if let Some(f) = facts {
            x ^= f.ascii_lines.first().map_or(0, |&w| w as u32);
            for i in (0..f.line_units.len()).step_by(16) {
                x ^= f.line_units.get(i).copied().unwrap_or(0);
            }
        }
        for s in spans {
            x ^= u32::from(self.text.as_bytes().get(s.start).copied().unwrap_or(0));
            if let Some(f) = facts {
                x ^= f.block_units.get(s.start / BLOCK).copied().unwrap_or(0);
            }
        }
        x
    }

    /// Whether every column is found without counting its line from the
    /// start ([`Positions::direct_column`] always answers).
    fn columns_direct(&self) -> bool {
        !self.lone_cr
            && (self.enc == PositionEncoding::Utf8
                || self
                    .facts
                    .as_deref()
                    .is_some_and(|f| f.enc == self.enc && (!f.block_units.is_empty() || f.ascii)))
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
        if let Some(rope) = self.rope() {
            return to_lsp_position(text::byte_to_position(rope, byte, self.enc));
        }
        if let (line, Some((_, units))) = self.direct_column(byte, 0) {
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
    /// [`Positions::range`]: with the facts' tables no line is counted;
    /// without them each line is counted once from left to right instead
    /// of from its start for every offset (references and rename convert
    /// thousands of spans, many on the same long paragraph line).
    pub fn ranges(&self, spans: &[Span]) -> Vec<Range> {
        if self.lone_cr || spans.len() < 4 {
            return spans.iter().map(|s| self.range(*s)).collect();
        }
        if self.columns_direct() {
            // No line is counted: each offset's line is searched from the
            // previous one's (spans come mostly in text order; `line_from`
            // starts over from the first line when the offset lies before).
            let mut line = 0;
            let mut at = |byte: usize| {
                let (l, direct) = self.direct_column(byte, line);
                line = l;
                match direct {
                    Some((_, units)) => lsp::Position::new(
                        u32::try_from(l).unwrap_or(u32::MAX),
                        u32::try_from(units).unwrap_or(u32::MAX),
                    ),
                    None => self.position(byte),
                }
            };
            return spans
                .iter()
                .map(|s| {
                    let start = at(s.start);
                    Range::new(start, at(s.end))
                })
                .collect();
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
            let (line, upto, units) = match self.direct_column(byte, from) {
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
        let rope = match self.rope() {
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
            assert_eq!(
                units(s, PositionEncoding::Utf16),
                s.encode_utf16().count(),
                "{s:?}"
            );
            assert_eq!(
                units(s, PositionEncoding::Utf32),
                s.chars().count(),
                "{s:?}"
            );
            assert_eq!(units(s, PositionEncoding::Utf8), s.len(), "{s:?}");
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
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let facts = Arc::new(TextFacts::of(&s, &lines, enc));
                let pos = Positions::new(&s, &lines, enc);
                let one_by_one: Vec<Range> = spans.iter().map(|sp| pos.range(*sp)).collect();
                prop_assert_eq!(&pos.ranges(&spans), &one_by_one);
                // Knowing the ASCII lines and the units per block changes
                // nothing but the speed.
                let fast = Positions::with_facts(&s, &lines, enc, facts.clone());
                let fast_one_by_one: Vec<Range> = spans.iter().map(|sp| fast.range(*sp)).collect();
                prop_assert_eq!(&fast.ranges(&spans), &one_by_one);
                prop_assert_eq!(&fast_one_by_one, &one_by_one);
            }
        }

        /// On texts of many blocks, columns read from the table of units per
        /// block equal the rope's, in every encoding, at every offset asked
        /// (inside characters too, and past the end), one by one and
        /// batched in any order; facts found for another encoding are not
        /// used.
        #[test]
        fn block_table_columns_equal_the_rope_s(
            s in "([a-zé😀«’\u{301} \n\t]|\r\n){0,400}",
            picks in proptest::collection::vec((0usize..1700, 0usize..90), 4..40),
        ) {
            let lines = Lines::new(&s);
            let rope = ropey::Rope::from_str(&s);
            let spans: Vec<Span> = picks
                .iter()
                .map(|&(a, l)| Span::new(a % (s.len() + 2), a % (s.len() + 2) + l))
                .collect();
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let slow = |b: usize| to_lsp_position(text::byte_to_position(&rope, b, enc));
                let expected: Vec<Range> =
                    spans.iter().map(|sp| Range::new(slow(sp.start), slow(sp.end))).collect();
                for facts_enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                    let facts = Arc::new(TextFacts::of(&s, &lines, facts_enc));
                    let pos = Positions::with_facts(&s, &lines, enc, facts);
                    prop_assert_eq!(pos.columns_direct(), enc == PositionEncoding::Utf8
                        || facts_enc == enc);
                    let one_by_one: Vec<Range> = spans.iter().map(|sp| pos.range(*sp)).collect();
                    prop_assert_eq!(&one_by_one, &expected);
                    prop_assert_eq!(&pos.ranges(&spans), &expected);
                }
            }
        }
    }
}
