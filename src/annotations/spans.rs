//! Annotations following the text: moving spans through an edit
//! ([`shift`]), noticing that a span's text no longer matches
//! ([`check_text_bound`]) and re-anchoring it to the nearest exact occurrence
//! ([`reanchor`]).
//!
//! Spans here are half-open `[start, end)` in any unit (BRAT's scalar values
//! or UTF-8 bytes), as long as the edit uses the same unit.

use crate::analysis::Span;

use super::brat::{CharIndex, Fragment, TextBound};

/// Where one span goes when `edit` (a range of the old text) is replaced by
/// `new_len` units of new text. `None`: the span disappeared.
///
/// - entirely before the edit (an insertion right after a name included):
///   unchanged;
/// - entirely after (an insertion right before a name included): moved;
/// - the edit inside the span (touching its ends included, except a pure
///   insertion at an end): the span covers the new text;
/// - the edit overlaps one end: the span shrinks to what is left;
/// - the edit covers the span: dropped.
pub fn shift_one(span: Span, edit: Span, new_len: usize) -> Option<Span> {
    let (s, e) = (span.start, span.end);
    let (a, b) = (edit.start, edit.end.max(edit.start));
    let removed = b - a;
    let moved = |x: usize| (x + new_len).checked_sub(removed);
    let out = if e <= a {
        Some(Span::new(s, e))
    } else if s >= b {
        Some(Span::new(moved(s)?, moved(e)?))
    } else if s <= a && b <= e {
        Some(Span::new(s, moved(e)?))
    } else if a < s && b < e {
        Some(Span::new(a + new_len, moved(e)?))
    } else if s < a && e <= b {
        Some(Span::new(s, a))
    } else {
        None
    };
    out.filter(|sp| sp.start < sp.end)
}

/// Moves every span through one edit, dropping the spans that disappear.
pub fn shift(spans: &mut Vec<Span>, edit: Span, new_len: usize) {
    spans.retain_mut(|sp| match shift_one(*sp, edit, new_len) {
        Some(n) => {
            *sp = n;
            true
        }
        None => false,
    });
}

/// Moves a text-bound annotation's fragments through an edit (scalar-value
/// offsets). Returns `None` when every fragment disappeared, else the new
/// fragments and whether the edit touched the annotation's text (not merely
/// moved it).
pub fn shift_fragments(
    fragments: &[Fragment],
    edit: Span,
    new_len: usize,
) -> Option<(Vec<Fragment>, bool)> {
    let mut out = Vec::with_capacity(fragments.len());
    let mut touched = false;
    for &(s, e) in fragments {
        let before = Span::new(s, e);
        match shift_one(before, edit, new_len) {
            Some(n) => {
                // Anything but "unchanged" or "moved as a whole" changes its text.
                if !(e <= edit.start || s >= edit.end) {
                    touched = true;
                }
                out.push((n.start, n.end));
            }
            None => touched = true,
        }
    }
    (!out.is_empty()).then_some((out, touched))
}

/// How a text-bound annotation reads against the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The fragments, in bytes; their text matches (or the line has no text field).
    Ok(Vec<Span>),
    /// The text no longer matches (or the offsets fall outside the text).
    Mismatch(Mismatch),
}

/// A text-bound annotation whose text no longer matches the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub id: String,
    pub kind: String,
    /// Where the annotation points now, in bytes (clamped to the text).
    pub span: Span,
    /// The text the annotation expects.
    pub expected: String,
    /// What the article has there.
    pub found: String,
    /// The nearest place where the expected text occurs exactly: new fragments
    /// in scalar values, and the extent in bytes (filled by [`reanchor`] on
    /// demand: it scans the text).
    pub reanchor: Option<(Vec<Fragment>, Span)>,
}

/// Resolves a text-bound annotation against the text (scalar values → bytes)
/// and checks its text field.
pub fn check_text_bound(t: &TextBound, text: &str, index: &CharIndex<'_>) -> Anchor {
    let mut spans = Vec::with_capacity(t.fragments.len());
    let mut inside = true;
    for &(a, b) in &t.fragments {
        match (index.char_to_byte(a), index.char_to_byte(b)) {
            (Some(x), Some(y)) if x < y => spans.push(Span::new(x, y)),
            _ => {
                inside = false;
                break;
            }
        }
    }
    let found = if inside {
        spans
            .iter()
            .map(|s| s.text(text))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        String::new()
    };
    let matches = inside
        && match &t.text {
            None => true,
            Some(expected) => same_text(expected, &found),
        };
    if matches {
        return Anchor::Ok(spans);
    }
    let (start, end) = t.extent();
    let clamp = |c: usize| {
        index
            .char_to_byte(c.min(index.len_chars()))
            .unwrap_or(text.len())
    };
    let span = Span::new(clamp(start), clamp(end));
    let expected = t.text.clone().unwrap_or_default();
    Anchor::Mismatch(Mismatch {
        id: t.id.clone(),
        kind: t.kind.clone(),
        span,
        reanchor: None,
        expected,
        found,
    })
}

/// Whether an annotation's text field matches the text at its fragments: the
/// text field cannot hold line breaks or tabs, so those compare as spaces.
fn same_text(expected: &str, found: &str) -> bool {
    let norm = |c: char| {
        if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        }
    };
    expected.chars().map(norm).eq(found.chars().map(norm))
}

/// The nearest exact occurrence of an annotation's expected text, keeping the
/// gaps between its fragments: new fragments (scalar values) and extent (bytes).
pub fn reanchor(t: &TextBound, text: &str, index: &CharIndex<'_>) -> Option<(Vec<Fragment>, Span)> {
    let expected = t.text.as_deref()?;
    // Split the expected text into the fragments' pieces (joined by one space).
    let mut pieces = Vec::with_capacity(t.fragments.len());
    let mut rest = expected;
    for (i, &(a, b)) in t.fragments.iter().enumerate() {
        let n = b.checked_sub(a)?;
        let cut = rest.char_indices().nth(n).map_or(rest.len(), |(k, _)| k);
        let (piece, tail) = rest.split_at(cut);
        if piece.chars().count() != n {
            return None;
        }
        pieces.push(piece);
        rest = if i + 1 < t.fragments.len() {
            tail.strip_prefix(' ')?
        } else {
            tail
        };
    }
    if !rest.is_empty() {
        return None;
    }
    let first = pieces.first().copied().filter(|p| !p.is_empty())?;
    let (orig_start, _) = *t.fragments.first()?;
    let orig_byte = index
        .char_to_byte(orig_start.min(index.len_chars()))
        .unwrap_or(text.len());
    let mut best: Option<(usize, Vec<Fragment>, Span)> = None;
    for (byte, _) in text.match_indices(first) {
        let distance = byte.abs_diff(orig_byte);
        if best.as_ref().is_some_and(|(d, _, _)| *d <= distance) {
            if byte > orig_byte {
                break; // occurrences only get farther from here on
            }
            continue;
        }
        let Some(start_char) = index.byte_to_char(byte) else {
            continue;
        };
        let delta = start_char as i64 - orig_start as i64;
        let moved: Option<Vec<Fragment>> = t
            .fragments
            .iter()
            .map(|&(a, b)| {
                let a = usize::try_from(a as i64 + delta).ok()?;
                let b = usize::try_from(b as i64 + delta).ok()?;
                Some((a, b))
            })
            .collect();
        let Some(moved) = moved else { continue };
        let ok = moved.iter().zip(&pieces).all(|(&(a, b), piece)| {
            match (index.char_to_byte(a), index.char_to_byte(b)) {
                (Some(x), Some(y)) => text.get(x..y) == Some(*piece),
                _ => false,
            }
        });
        if !ok {
            continue;
        }
        let (lo, hi) = (
            moved.iter().map(|f| f.0).min().unwrap_or(0),
            moved.iter().map(|f| f.1).max().unwrap_or(0),
        );
        let extent = Span::new(
            index.char_to_byte(lo).unwrap_or(0),
            index.char_to_byte(hi).unwrap_or(0),
        );
        best = Some((distance, moved, extent));
    }
    best.map(|(_, f, s)| (f, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sp(a: usize, b: usize) -> Span {
        Span::new(a, b)
    }

    #[test]
    fn edits_before_inside_and_after_a_span() {
        let name = sp(10, 17); // "Poutine" at 10..17
                               // Before: inserting 3 units at 2 moves it.
        assert_eq!(shift_one(name, sp(2, 2), 3), Some(sp(13, 20)));
        // Typing right before the name: moved, not grown.
        assert_eq!(shift_one(name, sp(10, 10), 2), Some(sp(12, 19)));
        // Typing right after: unchanged.
        assert_eq!(shift_one(name, sp(17, 17), 2), Some(name));
        // After: unchanged.
        assert_eq!(shift_one(name, sp(20, 25), 0), Some(name));
        // Inside: a typo fixed in the middle grows it.
        assert_eq!(shift_one(name, sp(12, 13), 2), Some(sp(10, 18)));
        assert_eq!(shift_one(name, sp(12, 12), 1), Some(sp(10, 18)));
        // The whole name replaced: covers the new text.
        assert_eq!(shift_one(name, sp(10, 17), 4), Some(sp(10, 14)));
        // Overlapping the start: shrinks from the left.
        assert_eq!(shift_one(name, sp(5, 12), 0), Some(sp(5, 10)));
        assert_eq!(shift_one(name, sp(5, 12), 3), Some(sp(8, 13)));
        // Overlapping the end: shrinks from the right.
        assert_eq!(shift_one(name, sp(15, 20), 1), Some(sp(10, 15)));
        // Deleted, or covered: dropped.
        assert_eq!(shift_one(name, sp(10, 17), 0), None);
        assert_eq!(shift_one(name, sp(8, 20), 5), None);
        let mut v = vec![sp(0, 3), name, sp(30, 31)];
        shift(&mut v, sp(9, 18), 1);
        assert_eq!(v, vec![sp(0, 3), sp(22, 23)]);
    }

    #[test]
    fn fragments_report_whether_their_text_changed() {
        let frags = [(0, 4), (10, 14)];
        assert_eq!(
            shift_fragments(&frags, sp(20, 20), 3),
            Some((vec![(0, 4), (10, 14)], false))
        );
        assert_eq!(
            shift_fragments(&frags, sp(5, 6), 0),
            Some((vec![(0, 4), (9, 13)], false))
        );
        assert_eq!(
            shift_fragments(&frags, sp(11, 12), 0),
            Some((vec![(0, 4), (10, 13)], true))
        );
        assert_eq!(
            shift_fragments(&frags, sp(0, 4), 0),
            Some((vec![(6, 10)], true))
        );
        assert_eq!(shift_fragments(&frags, sp(0, 20), 0), None);
    }

    /// The reference: model the text as cells tagged with where they came from,
    /// apply the edit to the cells, and read the span back.
    fn reference(span: Span, edit: Span, new_len: usize, len: usize) -> Option<Span> {
        #[derive(Clone, Copy, PartialEq)]
        enum Cell {
            Old(usize),
            New,
        }
        let mut cells: Vec<Cell> = (0..len).map(Cell::Old).collect();
        cells.splice(
            edit.start..edit.end,
            std::iter::repeat_n(Cell::New, new_len),
        );
        let (s, e, a, b) = (span.start, span.end, edit.start, edit.end);
        let include_new = s <= a && b <= e && !(a == b && (a == s || a == e));
        let kept: Vec<usize> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| match c {
                Cell::Old(i) => s <= *i && *i < e,
                Cell::New => include_new,
            })
            .map(|(i, _)| i)
            .collect();
        let lo = *kept.first()?;
        let hi = *kept.last()? + 1;
        assert_eq!(hi - lo, kept.len(), "contiguous");
        Some(Span::new(lo, hi))
    }

    proptest! {
        #[test]
        fn shift_agrees_with_the_cell_model(
            len in 1usize..40,
            s in 0usize..40, w in 1usize..10,
            a in 0usize..40, r in 0usize..10, new_len in 0usize..8,
        ) {
            let s = s % len;
            let e = (s + w).min(len);
            prop_assume!(s < e);
            let a = a % (len + 1);
            let b = (a + r).min(len);
            let span = Span::new(s, e);
            let edit = Span::new(a, b);
            prop_assert_eq!(shift_one(span, edit, new_len), reference(span, edit, new_len, len));
        }

        #[test]
        fn shifted_spans_stay_inside_the_new_text(
            len in 1usize..60, s in 0usize..60, w in 1usize..12,
            a in 0usize..60, r in 0usize..12, new_len in 0usize..12,
        ) {
            let s = s % len;
            let e = (s + w).min(len);
            prop_assume!(s < e);
            let a = a % (len + 1);
            let b = (a + r).min(len);
            if let Some(n) = shift_one(Span::new(s, e), Span::new(a, b), new_len) {
                prop_assert!(n.start < n.end);
                prop_assert!(n.end <= len - (b - a) + new_len);
            }
        }
    }

    fn tb(kind: &str, frags: Vec<Fragment>, text: &str) -> TextBound {
        TextBound {
            id: "T1".into(),
            kind: kind.into(),
            fragments: frags,
            text: Some(text.into()),
        }
    }

    #[test]
    fn matching_annotations_resolve_to_bytes() {
        let text = "Le président 😀 Loukachenko a parlé.";
        let idx = CharIndex::new(text);
        let t = tb("Person", vec![(15, 26)], "Loukachenko");
        let b = text.find("Loukachenko").unwrap();
        assert_eq!(
            check_text_bound(&t, text, &idx),
            Anchor::Ok(vec![Span::new(b, b + "Loukachenko".len())])
        );
        // Discontinuous: "Le … parlé" joined by a space.
        let t = tb("Other", vec![(0, 2), (29, 34)], "Le parlé");
        assert!(matches!(check_text_bound(&t, text, &idx), Anchor::Ok(v) if v.len() == 2));
    }

    #[test]
    fn mismatches_offer_the_nearest_exact_occurrence() {
        // English, the text was edited: two words inserted before the name.
        let text = "Putin said it. Later, the Russian leader Putin said it again.";
        let idx = CharIndex::new(text);
        let t = tb("Person", vec![(37, 42)], "Putin");
        let Anchor::Mismatch(m) = check_text_bound(&t, text, &idx) else {
            panic!("should mismatch");
        };
        assert_eq!(m.expected, "Putin");
        assert_eq!(m.found, "der P");
        assert_eq!(m.reanchor, None, "computed on demand");
        let second = text.rfind("Putin").unwrap();
        assert_eq!(
            reanchor(&t, text, &idx),
            Some((vec![(41, 46)], Span::new(second, second + 5)))
        );
        // French, offsets past the end and a non-BMP character before the name.
        let text = "😀 Macron";
        let idx = CharIndex::new(text);
        let t = tb("Person", vec![(40, 46)], "Macron");
        let Anchor::Mismatch(m) = check_text_bound(&t, text, &idx) else {
            panic!("should mismatch");
        };
        assert_eq!(m.span, Span::new(text.len(), text.len()));
        assert_eq!(
            reanchor(&t, text, &idx),
            Some((vec![(2, 8)], Span::new(5, 11)))
        );
        // Nothing to re-anchor to.
        let t = tb("Person", vec![(0, 3)], "Merkel");
        assert!(matches!(
            check_text_bound(&t, text, &idx),
            Anchor::Mismatch(_)
        ));
        assert_eq!(reanchor(&t, text, &idx), None);
    }

    #[test]
    fn discontinuous_annotations_reanchor_with_their_gaps() {
        let text = "xx Jean et Marie Curie -- Jean et Marie Curie";
        let idx = CharIndex::new(text);
        // "Jean … Curie" one character off to the left.
        let t = tb("Person", vec![(2, 6), (16, 21)], "Jean Curie");
        assert!(matches!(
            check_text_bound(&t, text, &idx),
            Anchor::Mismatch(_)
        ));
        assert_eq!(
            reanchor(&t, text, &idx).map(|r| r.0),
            Some(vec![(3, 7), (17, 22)])
        );
    }
}
