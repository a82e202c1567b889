//! The BRAT standoff format (`article.ann` beside `article.txt`): a lossless
//! parser and writer, and conversion between the format's offsets (Unicode
//! scalar values) and the analysis's UTF-8 byte offsets.
//!
//! Understood lines: `T` text-bound annotations (type, possibly discontinuous
//! fragments `0 5;10 15`, text), `N` normalisations (`N1 Reference T1
//! Wikidata:Q7747<TAB>Vladimir Putin`), `R` relations (`R1 Speaker Arg1:T4
//! Arg2:T2`), `A`/`M` attributes and `#` notes. Everything else (events `E`,
//! equivalences `*`, blank or malformed lines) is kept verbatim. A file read
//! and written without changes is byte-identical: each line keeps its bytes
//! and its own line ending, and only lines changed through this API are
//! re-rendered.

use std::fmt::Write as _;

/// How a line ends in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    Lf,
    CrLf,
    /// The last line of a file without a trailing newline.
    None,
}

impl LineEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnd::Lf => "\n",
            LineEnd::CrLf => "\r\n",
            LineEnd::None => "",
        }
    }
}

/// Offsets of one fragment, in Unicode scalar values, half-open.
pub type Fragment = (usize, usize);

/// A `T` line: a typed stretch of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBound {
    pub id: String,
    pub kind: String,
    /// One or more fragments, in file order.
    pub fragments: Vec<Fragment>,
    /// The text field (fragments joined by one space), when the line has one.
    pub text: Option<String>,
}

impl TextBound {
    /// The whole extent: first start to last end.
    pub fn extent(&self) -> Fragment {
        let start = self.fragments.iter().map(|f| f.0).min().unwrap_or(0);
        let end = self.fragments.iter().map(|f| f.1).max().unwrap_or(0);
        (start, end)
    }
}

/// An `N` line: the identity of a text-bound annotation in some knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalization {
    pub id: String,
    /// Usually `Reference`.
    pub kind: String,
    pub target: String,
    /// `Wikidata:Q7747`.
    pub reference: String,
    /// The display name after the tab, when given.
    pub name: Option<String>,
}

/// An `R` line: a typed binary relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: String,
    pub kind: String,
    /// `(role, target id)`, e.g. `("Arg1", "T4")`.
    pub arg1: (String, String),
    pub arg2: (String, String),
}

/// An `A` (or legacy `M`) line: an attribute of another annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub id: String,
    pub name: String,
    pub target: String,
    pub value: Option<String>,
}

/// A `#` line: a note on another annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub text: String,
}

/// What a line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Text(TextBound),
    Norm(Normalization),
    Relation(Relation),
    Attribute(Attribute),
    Note(Note),
    /// Kept verbatim (events, equivalences, blank and malformed lines).
    Other,
}

impl Item {
    /// The annotation id, when the line has one that can be referred to.
    pub fn id(&self) -> Option<&str> {
        match self {
            Item::Text(t) => Some(&t.id),
            Item::Norm(n) => Some(&n.id),
            Item::Relation(r) => Some(&r.id),
            Item::Attribute(a) => Some(&a.id),
            Item::Note(n) => Some(&n.id),
            Item::Other => None,
        }
    }

    /// The ids this line refers to.
    pub fn references(&self) -> Vec<&str> {
        match self {
            Item::Norm(n) => vec![n.target.as_str()],
            Item::Relation(r) => vec![r.arg1.1.as_str(), r.arg2.1.as_str()],
            Item::Attribute(a) => vec![a.target.as_str()],
            Item::Note(n) => vec![n.target.as_str()],
            Item::Text(_) | Item::Other => Vec::new(),
        }
    }

    fn render(&self) -> Option<String> {
        let mut s = String::new();
        match self {
            Item::Text(t) => {
                let frags: Vec<String> = t
                    .fragments
                    .iter()
                    .map(|(a, b)| format!("{a} {b}"))
                    .collect();
                let _ = write!(s, "{}\t{} {}", t.id, t.kind, frags.join(";"));
                if let Some(text) = &t.text {
                    let _ = write!(s, "\t{}", one_line(text));
                }
            }
            Item::Norm(n) => {
                let _ = write!(s, "{}\t{} {} {}", n.id, n.kind, n.target, n.reference);
                if let Some(name) = &n.name {
                    let _ = write!(s, "\t{}", one_line(name));
                }
            }
            Item::Relation(r) => {
                let _ = write!(
                    s,
                    "{}\t{} {}:{} {}:{}",
                    r.id, r.kind, r.arg1.0, r.arg1.1, r.arg2.0, r.arg2.1
                );
            }
            Item::Attribute(a) => {
                let _ = write!(s, "{}\t{} {}", a.id, a.name, a.target);
                if let Some(v) = &a.value {
                    let _ = write!(s, " {v}");
                }
            }
            Item::Note(n) => {
                let _ = write!(
                    s,
                    "{}\t{} {}\t{}",
                    n.id,
                    n.kind,
                    n.target,
                    one_line(&n.text)
                );
            }
            Item::Other => return None,
        }
        Some(s)
    }
}

/// Line breaks and tabs cannot appear inside a field: they become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One line of the file: its bytes as read (or as last rendered), its ending,
/// and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    raw: String,
    end: LineEnd,
    pub item: Item,
}

impl Line {
    /// The line's text without its ending.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// What [`AnnFile::update_all`] does with one text-bound annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Left as it was (its line keeps its bytes).
    Same,
    /// Changed in place (its line is re-rendered).
    Changed,
    /// Removed, with every understood line referring to it.
    Drop,
}

/// A problem found reading a line (the line itself is kept verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 0-based line number in the `.ann` file.
    pub line: usize,
    pub message: String,
}

/// A parsed `.ann` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnFile {
    lines: Vec<Line>,
}

fn parse_id_number(id: &str, prefix: char) -> Option<u64> {
    id.strip_prefix(prefix)?.parse().ok()
}

fn parse_fragments(s: &str) -> Result<Vec<Fragment>, String> {
    let mut out = Vec::new();
    for part in s.split(';') {
        let mut nums = part.split_whitespace();
        let (Some(a), Some(b), None) = (nums.next(), nums.next(), nums.next()) else {
            return Err(format!(
                "expected `START END` offsets, found `{}`",
                part.trim()
            ));
        };
        let a: usize = a
            .parse()
            .map_err(|_| format!("`{a}` is not an offset (a whole number of characters)"))?;
        let b: usize = b
            .parse()
            .map_err(|_| format!("`{b}` is not an offset (a whole number of characters)"))?;
        if b <= a {
            return Err(format!("empty or reversed span `{a} {b}`"));
        }
        out.push((a, b));
    }
    if out.is_empty() {
        return Err("no offsets".to_string());
    }
    Ok(out)
}

fn parse_arg(s: &str) -> Option<(String, String)> {
    let (role, id) = s.split_once(':')?;
    (!role.is_empty() && !id.is_empty()).then(|| (role.to_string(), id.to_string()))
}

/// Parses one line's content (without its ending).
fn parse_line(content: &str) -> Result<Item, String> {
    let Some(first) = content.chars().next() else {
        return Ok(Item::Other);
    };
    if !matches!(first, 'T' | 'N' | 'R' | 'A' | 'M' | '#') {
        return Ok(Item::Other);
    }
    let mut fields = content.splitn(3, '\t');
    let id = fields.next().unwrap_or("");
    let Some(middle) = fields.next() else {
        return Err(format!("`{id}` has no tab-separated fields"));
    };
    let rest = fields.next();
    let mut words = middle.split_whitespace();
    match first {
        'T' => {
            if parse_id_number(id, 'T').is_none() {
                return Ok(Item::Other);
            }
            let kind = words.next().ok_or("text annotation without a type")?;
            let offsets = middle
                .trim_start()
                .get(kind.len()..)
                .ok_or("text annotation without offsets")?;
            let fragments = parse_fragments(offsets)?;
            Ok(Item::Text(TextBound {
                id: id.to_string(),
                kind: kind.to_string(),
                fragments,
                text: rest.map(str::to_string),
            }))
        }
        'N' => {
            if parse_id_number(id, 'N').is_none() {
                return Ok(Item::Other);
            }
            let (Some(kind), Some(target), Some(reference), None) =
                (words.next(), words.next(), words.next(), words.next())
            else {
                return Err(format!(
                    "normalisation `{id}` should read `{id}<TAB>Reference T1 Base:Identifier<TAB>Name`"
                ));
            };
            Ok(Item::Norm(Normalization {
                id: id.to_string(),
                kind: kind.to_string(),
                target: target.to_string(),
                reference: reference.to_string(),
                name: rest.map(str::to_string),
            }))
        }
        'R' => {
            if parse_id_number(id, 'R').is_none() {
                return Ok(Item::Other);
            }
            let (Some(kind), Some(a1), Some(a2), None) =
                (words.next(), words.next(), words.next(), words.next())
            else {
                return Err(format!(
                    "relation `{id}` should read `{id}<TAB>Type Arg1:T1 Arg2:T2`"
                ));
            };
            let (Some(arg1), Some(arg2)) = (parse_arg(a1), parse_arg(a2)) else {
                return Err(format!(
                    "relation `{id}`: arguments must read `Role:Id` (`Arg1:T1`)"
                ));
            };
            if rest.is_some_and(|r| !r.trim().is_empty()) {
                return Err(format!("relation `{id}` has an unexpected third field"));
            }
            Ok(Item::Relation(Relation {
                id: id.to_string(),
                kind: kind.to_string(),
                arg1,
                arg2,
            }))
        }
        'A' | 'M' => {
            if parse_id_number(id, first).is_none() {
                return Ok(Item::Other);
            }
            let (Some(name), Some(target)) = (words.next(), words.next()) else {
                return Err(format!(
                    "attribute `{id}` should read `{id}<TAB>Name T1 [Value]`"
                ));
            };
            let value = words.next().map(str::to_string);
            if words.next().is_some() || rest.is_some() {
                return Err(format!("attribute `{id}` has unexpected extra fields"));
            }
            Ok(Item::Attribute(Attribute {
                id: id.to_string(),
                name: name.to_string(),
                target: target.to_string(),
                value,
            }))
        }
        _ => {
            // `#`: a note.
            let (Some(kind), Some(target), None) = (words.next(), words.next(), words.next())
            else {
                return Err(format!(
                    "note `{id}` should read `{id}<TAB>AnnotatorNotes T1<TAB>text`"
                ));
            };
            Ok(Item::Note(Note {
                id: id.to_string(),
                kind: kind.to_string(),
                target: target.to_string(),
                text: rest.unwrap_or("").to_string(),
            }))
        }
    }
}

impl AnnFile {
    /// Parses a file. Never fails: a line that cannot be understood is kept
    /// verbatim and reported.
    pub fn parse(text: &str) -> (AnnFile, Vec<Problem>) {
        let mut lines = Vec::new();
        let mut problems = Vec::new();
        let mut rest = text;
        let mut n = 0usize;
        while !rest.is_empty() {
            let (content, end, next) = match rest.find('\n') {
                Some(i) => {
                    let line = rest.get(..i).unwrap_or("");
                    let next = rest.get(i + 1..).unwrap_or("");
                    match line.strip_suffix('\r') {
                        Some(c) => (c, LineEnd::CrLf, next),
                        None => (line, LineEnd::Lf, next),
                    }
                }
                None => (rest, LineEnd::None, ""),
            };
            let item = match parse_line(content) {
                Ok(item) => item,
                Err(message) => {
                    problems.push(Problem { line: n, message });
                    Item::Other
                }
            };
            lines.push(Line {
                raw: content.to_string(),
                end,
                item,
            });
            rest = next;
            n += 1;
        }
        let file = AnnFile { lines };
        problems.extend(file.check_references());
        (file, problems)
    }

    /// Duplicate ids and references to ids that do not exist.
    fn check_references(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (n, line) in self.lines.iter().enumerate() {
            if let Some(id) = line.item.id() {
                if !id.starts_with('#') && !seen.insert(id) {
                    problems.push(Problem {
                        line: n,
                        message: format!("duplicate annotation id `{id}`"),
                    });
                }
            }
        }
        for (n, line) in self.lines.iter().enumerate() {
            for r in line.item.references() {
                if !seen.contains(r) {
                    problems.push(Problem {
                        line: n,
                        message: format!("refers to `{r}`, which this file does not define"),
                    });
                }
            }
        }
        problems
    }

    /// The file's text: unchanged lines byte for byte, changed lines re-rendered.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.raw.len() + 2).sum());
        for line in &self.lines {
            out.push_str(&line.raw);
            out.push_str(line.end.as_str());
        }
        out
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every text-bound annotation.
    pub fn text_bounds(&self) -> impl Iterator<Item = &TextBound> {
        self.lines.iter().filter_map(|l| match &l.item {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }

    pub fn normalizations(&self) -> impl Iterator<Item = &Normalization> {
        self.lines.iter().filter_map(|l| match &l.item {
            Item::Norm(n) => Some(n),
            _ => None,
        })
    }

    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.lines.iter().filter_map(|l| match &l.item {
            Item::Relation(r) => Some(r),
            _ => None,
        })
    }

    /// The text-bound annotation with this id.
    pub fn text_bound(&self, id: &str) -> Option<&TextBound> {
        self.text_bounds().find(|t| t.id == id)
    }

    /// The line ending used for new lines: the file's most common one.
    fn dominant_end(&self) -> LineEnd {
        let crlf = self.lines.iter().filter(|l| l.end == LineEnd::CrLf).count();
        let lf = self.lines.iter().filter(|l| l.end == LineEnd::Lf).count();
        if crlf > lf {
            LineEnd::CrLf
        } else {
            LineEnd::Lf
        }
    }

    /// The next free id with this prefix (`T7` after `T6`).
    pub fn next_id(&self, prefix: char) -> String {
        let max = self
            .lines
            .iter()
            .filter_map(|l| {
                let id = l.raw.split(['\t', ' ']).next()?;
                parse_id_number(id, prefix)
            })
            .max()
            .unwrap_or(0);
        format!("{prefix}{}", max.saturating_add(1))
    }

    /// Appends a line (rendered from `item`).
    fn push(&mut self, item: Item) {
        let end = self.dominant_end();
        if let Some(last) = self.lines.last_mut() {
            if last.end == LineEnd::None {
                last.end = end;
            }
        }
        let raw = item.render().unwrap_or_default();
        self.lines.push(Line { raw, end, item });
    }

    /// Adds a text-bound annotation; returns its id.
    pub fn add_text_bound(&mut self, kind: &str, fragments: Vec<Fragment>, text: &str) -> String {
        let id = self.next_id('T');
        self.push(Item::Text(TextBound {
            id: id.clone(),
            kind: kind.to_string(),
            fragments,
            text: Some(one_line(text)),
        }));
        id
    }

    /// Adds (or replaces) the normalisation of a text-bound annotation.
    pub fn set_normalization(&mut self, target: &str, reference: &str, name: Option<&str>) {
        let existing = self.lines.iter_mut().find(
            |l| matches!(&l.item, Item::Norm(n) if n.target == target && n.kind == "Reference"),
        );
        if let Some(line) = existing {
            if let Item::Norm(n) = &mut line.item {
                n.reference = reference.to_string();
                n.name = name.map(str::to_string);
            }
            line.raw = line.item.render().unwrap_or_default();
            return;
        }
        let id = self.next_id('N');
        self.push(Item::Norm(Normalization {
            id,
            kind: "Reference".to_string(),
            target: target.to_string(),
            reference: reference.to_string(),
            name: name.map(str::to_string),
        }));
    }

    /// Adds a relation; returns its id.
    pub fn add_relation(&mut self, kind: &str, arg1: &str, arg2: &str) -> String {
        let id = self.next_id('R');
        self.push(Item::Relation(Relation {
            id: id.clone(),
            kind: kind.to_string(),
            arg1: ("Arg1".to_string(), arg1.to_string()),
            arg2: ("Arg2".to_string(), arg2.to_string()),
        }));
        id
    }

    /// Changes a text-bound annotation (type, fragments, text) in place;
    /// returns whether it exists. Only a line that really changes is re-rendered.
    pub fn update_text_bound(&mut self, id: &str, f: impl FnOnce(&mut TextBound)) -> bool {
        for line in &mut self.lines {
            if let Item::Text(t) = &mut line.item {
                if t.id == id {
                    let before = t.clone();
                    f(t);
                    if *t != before {
                        line.raw = line.item.render().unwrap_or_default();
                    }
                    return true;
                }
            }
        }
        false
    }

    /// Passes every text-bound annotation through `f` in one sweep; returns
    /// the ids removed.
    pub fn update_all(&mut self, mut f: impl FnMut(&mut TextBound) -> Update) -> Vec<String> {
        let mut gone = Vec::new();
        for line in &mut self.lines {
            if let Item::Text(t) = &mut line.item {
                match f(t) {
                    Update::Same => {}
                    Update::Changed => line.raw = line.item.render().unwrap_or_default(),
                    Update::Drop => gone.push(t.id.clone()),
                }
            }
        }
        self.remove_ids(&gone);
        gone
    }

    /// Removes the lines matching `pred` (and nothing else).
    pub fn remove_where(&mut self, pred: impl Fn(&Item) -> bool) -> usize {
        let before = self.lines.len();
        self.lines.retain(|l| !pred(&l.item));
        before - self.lines.len()
    }

    /// Removes annotations by id, with every understood line that refers to
    /// them (normalisations, relations, attributes, notes). Lines not
    /// understood are kept.
    pub fn remove_ids(&mut self, ids: &[String]) -> usize {
        if ids.is_empty() {
            return 0;
        }
        let mut gone: std::collections::HashSet<String> = ids.iter().cloned().collect();
        // Relations referring to a removed annotation go too, and so on.
        loop {
            let more: Vec<String> = self
                .lines
                .iter()
                .filter_map(|l| {
                    let id = l.item.id()?;
                    (!gone.contains(id) && l.item.references().iter().any(|r| gone.contains(*r)))
                        .then(|| id.to_string())
                })
                .collect();
            if more.is_empty() {
                break;
            }
            gone.extend(more);
        }
        self.remove_where(|item| item.id().is_some_and(|id| gone.contains(id)))
    }
}

/// Converts between Unicode scalar value offsets (BRAT's) and UTF-8 byte
/// offsets (the analysis's) in one text, in O(1) for ASCII text and in at
/// most a few dozen steps otherwise (a checkpoint every 64 characters).
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every 64th character.
    marks: Vec<usize>,
    len_chars: usize,
}

const STRIDE: usize = 64;

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return CharIndex {
                text,
                ascii: true,
                marks: Vec::new(),
                len_chars: text.len(),
            };
        }
        let mut marks = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut n = 0usize;
        for (i, _) in text.char_indices() {
            if n % STRIDE == 0 {
                marks.push(i);
            }
            n += 1;
        }
        CharIndex {
            text,
            ascii: false,
            marks,
            len_chars: n,
        }
    }

    /// Number of scalar values in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of a scalar-value offset (`None` past the end).
    pub fn char_to_byte(&self, c: usize) -> Option<usize> {
        if c > self.len_chars {
            return None;
        }
        if self.ascii {
            return Some(c);
        }
        if c == self.len_chars {
            return Some(self.text.len());
        }
        let base = *self.marks.get(c / STRIDE)?;
        let tail = self.text.get(base..)?;
        tail.char_indices().nth(c % STRIDE).map(|(i, _)| base + i)
    }

    /// Scalar-value offset of a byte offset (`None` past the end or inside a character).
    pub fn byte_to_char(&self, b: usize) -> Option<usize> {
        if b > self.text.len() || !self.text.is_char_boundary(b) {
            return None;
        }
        if self.ascii {
            return Some(b);
        }
        let k = self.marks.partition_point(|&m| m <= b).checked_sub(1)?;
        let base = *self.marks.get(k)?;
        let counted = self.text.get(base..b)?.chars().count();
        Some(k * STRIDE + counted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "T1\tPerson 0 16\tVladimir Poutine\n\
T2\tLocation 27 33\tMoscou\n\
T3\tQuotation 40 58;60 70\tnous ne reculerons pas jamais\n\
N1\tReference T1 Wikidata:Q7747\tVladimir Putin\n\
R1\tSpeaker Arg1:T3 Arg2:T1\t\n\
A1\tNegated T2\n\
A2\tConfidence T1 High\n\
#1\tAnnotatorNotes T1\tcheck the spelling\n\
E1\tAttack:T4 Target:T2\n\
*\tAlias T1 T2\n";

    #[test]
    fn unchanged_files_round_trip_byte_for_byte() {
        let variants = [
            REAL.to_string(),
            REAL.trim_end().to_string(),
            REAL.replace('\n', "\r\n"),
            // Mixed endings, blank lines, garbage and a BOM-less empty file.
            "T1\tPER 0 4\tAnna\r\n\nwhat is this\nT2\tORG 5 8\tONU".to_string(),
            String::new(),
            "\n\n".to_string(),
            "T1\tPerson 0 3\tÉlé\tpas un tab\n".to_string(),
        ];
        for v in variants {
            let (file, _) = AnnFile::parse(&v);
            assert_eq!(file.render(), v);
        }
    }

    #[test]
    fn parses_every_understood_line() {
        let (file, problems) = AnnFile::parse(REAL);
        assert!(problems.is_empty(), "{problems:?}");
        let t: Vec<&TextBound> = file.text_bounds().collect();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].kind, "Person");
        assert_eq!(t[0].fragments, vec![(0, 16)]);
        assert_eq!(t[0].text.as_deref(), Some("Vladimir Poutine"));
        assert_eq!(t[2].fragments, vec![(40, 58), (60, 70)]);
        let n: Vec<&Normalization> = file.normalizations().collect();
        assert_eq!(n[0].reference, "Wikidata:Q7747");
        assert_eq!(n[0].name.as_deref(), Some("Vladimir Putin"));
        let r: Vec<&Relation> = file.relations().collect();
        assert_eq!(r[0].kind, "Speaker");
        assert_eq!(r[0].arg1, ("Arg1".into(), "T3".into()));
        assert_eq!(r[0].arg2, ("Arg2".into(), "T1".into()));
        let kinds: Vec<&str> = file
            .lines()
            .iter()
            .map(|l| match &l.item {
                Item::Text(_) => "T",
                Item::Norm(_) => "N",
                Item::Relation(_) => "R",
                Item::Attribute(_) => "A",
                Item::Note(_) => "#",
                Item::Other => "?",
            })
            .collect();
        assert_eq!(kinds, ["T", "T", "T", "N", "R", "A", "A", "#", "?", "?"]);
    }

    #[test]
    fn malformed_lines_are_kept_and_reported() {
        let src = "T1\tPerson x 5\tAnna\nT2\tPerson 5 2\tOups\nN1\tReference T9 Wikidata:Q1\nT3 no tabs\n";
        let (file, problems) = AnnFile::parse(src);
        assert_eq!(file.render(), src);
        assert_eq!(file.text_bounds().count(), 0);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![0, 1, 3, 2], "{problems:?}");
        assert!(problems[3].message.contains("T9"));
    }

    #[test]
    fn edits_rerender_only_changed_lines_and_keep_the_rest() {
        let src = "T1\tPER  0 4\tAnna\r\n#1\tAnnotatorNotes T1\tweird  spacing kept\r\nZ\tunknown\r\nT2\tLOC 10 15\tParis";
        let (mut file, _) = AnnFile::parse(src);
        // A no-op update leaves the line's odd spacing alone.
        assert!(file.update_text_bound("T1", |_| {}));
        assert_eq!(file.render(), src);
        file.update_text_bound("T2", |t| t.fragments = vec![(12, 17)]);
        let t3 = file.add_text_bound("Organization", vec![(20, 23)], "ONU");
        assert_eq!(t3, "T3");
        file.set_normalization("T3", "Wikidata:Q1065", Some("Nations unies"));
        file.add_relation("Speaker", "T3", "T1");
        assert_eq!(
            file.render(),
            "T1\tPER  0 4\tAnna\r\n#1\tAnnotatorNotes T1\tweird  spacing kept\r\nZ\tunknown\r\n\
             T2\tLOC 12 17\tParis\r\nT3\tOrganization 20 23\tONU\r\n\
             N1\tReference T3 Wikidata:Q1065\tNations unies\r\nR1\tSpeaker Arg1:T3 Arg2:T1\r\n"
        );
        // Removing T1 takes its note and the relation, not the unknown line.
        file.remove_ids(&["T1".to_string()]);
        let out = file.render();
        assert!(!out.contains("T1"), "{out}");
        assert!(out.contains("Z\tunknown\r\n"));
        assert!(out.contains("N1\tReference T3"));
    }

    proptest::proptest! {
        #[test]
        fn any_text_round_trips_byte_for_byte(
            src in "([TNRAME#*]([0-9]{0,2})?[\t ]?([A-Za-zé]{0,6})?[ ]?([0-9]{0,3})?[ ;]?([0-9]{0,3})?(\t[^\n]{0,8})?(\r?\n|\r)?){0,8}"
        ) {
            let (file, _) = AnnFile::parse(&src);
            proptest::prop_assert_eq!(file.render(), src);
        }

        #[test]
        fn arbitrary_unicode_never_breaks_parsing(src in "\\PC{0,200}") {
            let (file, problems) = AnnFile::parse(&src);
            proptest::prop_assert_eq!(file.render(), src.clone());
            for p in problems {
                proptest::prop_assert!(p.line <= src.len());
            }
        }
    }

    #[test]
    fn update_all_changes_and_drops_in_one_sweep() {
        let src = "T1\tPER 0 4\tAnna\nT2\tLOC 10 15\tParis\nN1\tReference T2 Wikidata:Q90\nZ unknown T2\n";
        let (mut file, _) = AnnFile::parse(src);
        let gone = file.update_all(|t| match t.id.as_str() {
            "T1" => {
                t.fragments = vec![(1, 5)];
                Update::Changed
            }
            _ => Update::Drop,
        });
        assert_eq!(gone, vec!["T2"]);
        assert_eq!(file.render(), "T1\tPER 1 5\tAnna\nZ unknown T2\n");
    }

    #[test]
    fn next_ids_skip_ids_used_by_unknown_lines() {
        let (file, _) = AnnFile::parse("T1\tPER 0 1\ta\nT9\tbroken\nE2\tx\n");
        assert_eq!(file.next_id('T'), "T10");
        assert_eq!(file.next_id('E'), "E3");
        assert_eq!(file.next_id('N'), "N1");
    }

    #[test]
    fn multi_line_text_is_flattened_on_write() {
        let mut file = AnnFile::default();
        file.add_text_bound("Person", vec![(0, 3)], "a\tb\nc");
        assert_eq!(file.render(), "T1\tPerson 0 3\ta b c\n");
    }

    #[test]
    fn offsets_convert_with_multibyte_and_non_bmp_text() {
        // "é" is 2 bytes, "😀" 4 bytes (and 2 UTF-16 units), each one scalar value.
        let text = "Élysée 😀 Poutine « dit »";
        let idx = CharIndex::new(text);
        let poutine_byte = text.find("Poutine").unwrap();
        assert_eq!(idx.byte_to_char(poutine_byte), Some(9));
        assert_eq!(idx.char_to_byte(9), Some(poutine_byte));
        assert_eq!(idx.char_to_byte(idx.len_chars()), Some(text.len()));
        assert_eq!(idx.char_to_byte(idx.len_chars() + 1), None);
        assert_eq!(idx.byte_to_char(1), None, "inside É");
        // Every boundary round-trips, on a text longer than a checkpoint stride.
        let long = "aé😀".repeat(100);
        let idx = CharIndex::new(&long);
        for (c, (b, _)) in long.char_indices().enumerate() {
            assert_eq!(idx.char_to_byte(c), Some(b));
            assert_eq!(idx.byte_to_char(b), Some(c));
        }
        let ascii = CharIndex::new("plain text");
        assert_eq!(ascii.char_to_byte(5), Some(5));
        assert_eq!(ascii.byte_to_char(10), Some(10));
    }
}
