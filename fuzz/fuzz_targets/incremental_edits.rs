//! A sequence of edits (ranges as line/character positions in UTF-8, UTF-16
//! or UTF-32, anywhere: inside characters, past line ends, past the end,
//! reversed) applied to `news_ls::text::Document`: after each step its rope
//! equals a reference `String` edited by an independent, naive
//! implementation of the same clamping rules, and positions of every
//! character boundary round-trip.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use news_ls::text::{Change, Document, Position, PositionEncoding};

#[derive(Arbitrary, Debug)]
struct Edit {
    whole: bool,
    start: (u8, u8),
    end: (u8, u8),
    text: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    encoding: u8,
    initial: String,
    edits: Vec<Edit>,
}

fn encoding(n: u8) -> PositionEncoding {
    match n % 3 {
        0 => PositionEncoding::Utf8,
        1 => PositionEncoding::Utf16,
        _ => PositionEncoding::Utf32,
    }
}

/// Byte ranges of the lines' contents (without their breaks): `\n`, `\r\n`, `\r`.
fn line_contents(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push((start, i));
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, b.len()));
    out
}

fn units(c: char, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => c.len_utf8(),
        PositionEncoding::Utf16 => c.len_utf16(),
        PositionEncoding::Utf32 => 1,
    }
}

/// The reference: byte offset of a position, clamped to the line's end or the
/// text's end; a position inside a character goes to that character's start.
fn offset(s: &str, p: Position, enc: PositionEncoding) -> usize {
    let lines = line_contents(s);
    let Some(&(start, end)) = lines.get(p.line as usize) else {
        return s.len();
    };
    let want = p.character as usize;
    let mut counted = 0;
    for (i, c) in s[start..end].char_indices() {
        if counted == want {
            return start + i;
        }
        let n = units(c, enc);
        if counted + n > want {
            return start + i; // inside this character
        }
        counted += n;
    }
    end
}

fn position(s: &str, lines: &[(usize, usize)], byte: usize, enc: PositionEncoding) -> Position {
    for (l, &(start, end)) in lines.iter().enumerate() {
        let next = lines.get(l + 1).map_or(usize::MAX, |n| n.0);
        if byte < next {
            let upto = byte.min(end);
            let character: usize = s[start..upto].chars().map(|c| units(c, enc)).sum();
            return Position::new(l as u32, character as u32);
        }
    }
    Position::new(0, 0)
}

fuzz_target!(|input: Input| {
    if input.edits.len() > 64 {
        return;
    }
    let enc = encoding(input.encoding);
    let mut doc = Document::new(&input.initial, 0);
    let mut reference = input.initial.clone();
    for (v, e) in input.edits.iter().enumerate() {
        let range = (!e.whole).then(|| {
            (
                Position::new(e.start.0 as u32, e.start.1 as u32),
                Position::new(e.end.0 as u32, e.end.1 as u32),
            )
        });
        doc.apply(
            &[Change {
                range,
                text: e.text.clone(),
            }],
            v as i32 + 1,
            enc,
        );
        match range {
            None => reference = e.text.clone(),
            Some((s, t)) => {
                let a = offset(&reference, s, enc);
                let b = offset(&reference, t, enc).max(a);
                reference.replace_range(a..b, &e.text);
            }
        }
        assert_eq!(doc.text(), reference, "after edit {v}: {e:?}");
        assert_eq!(doc.version(), v as i32 + 1);
    }
    // Every character boundary (except between \r and \n) round-trips.
    let bytes = reference.as_bytes();
    let lines = line_contents(&reference);
    for (b, _) in reference.char_indices().chain([(reference.len(), ' ')]) {
        if b > 0 && bytes[b - 1] == b'\r' && bytes.get(b) == Some(&b'\n') {
            continue;
        }
        let p = doc.position(b, enc);
        assert_eq!(
            p,
            position(&reference, &lines, b, enc),
            "position of byte {b}"
        );
        assert_eq!(doc.offset(p, enc), b, "offset of {p:?}");
    }
});
