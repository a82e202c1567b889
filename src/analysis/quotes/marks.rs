//! Quotation marks: which characters open and close quotations, told apart from
//! apostrophes and breadcrumb separators, paired into quotations (nested,
//! mixed styles, missing closers, mangled closers), multi-paragraph
//! continuations, and the stray marks that open or close nothing.
//!
//! The marks and their default directions come from `data/common/quotes_marks.txt`.
//! A mark's neighbours decide its role first, as for emphasis delimiters in
//! CommonMark: after a space and before a word it opens; after a word and
//! before a space or punctuation it closes; its default direction only breaks
//! ties (`« … »` padded with spaces on both sides, `"` between two words).
//!
//! One pass over the text with a bounded stack: linear in the number of marks.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use crate::analysis::lexicon::Lexicon;
use crate::analysis::{Lines, Span};

/// Nesting deeper than this is not believed: further openers are treated as stray.
const MAX_DEPTH: usize = 32;
/// At most this many short unpunctuated lines (captions) may sit between two
/// segments of a multi-paragraph quotation.
const MAX_SKIPPED_LINES: usize = 3;
/// A line longer than this (in words) is never skipped as a caption.
const CAPTION_MAX_WORDS: usize = 20;

/// What a mark does when its neighbours do not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Open,
    Close,
    Either,
}

/// Double marks make quotations; single marks double as apostrophes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Double,
    Single,
}

#[derive(Debug, Clone)]
struct MarkDef {
    direction: Direction,
    level: Level,
    closes: Vec<char>,
    separator: bool,
}

/// The mark table, with a bit per ASCII char saying whether it is a mark:
/// most chars of a text are ASCII non-marks, answered without hashing.
struct MarkTable {
    defs: HashMap<char, MarkDef>,
    ascii: u128,
}

fn mark_table() -> &'static MarkTable {
    static TABLE: OnceLock<MarkTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let defs = parse_marks(Lexicon::get().common("quotes_marks"));
        let ascii = defs
            .keys()
            .filter(|c| c.is_ascii())
            .fold(0u128, |bits, &c| bits | (1u128 << u32::from(c)));
        MarkTable { defs, ascii }
    })
}

/// The definition of mark `c`, if it is one.
fn mark_def(c: char) -> Option<&'static MarkDef> {
    let table = mark_table();
    if c.is_ascii() && table.ascii & (1u128 << u32::from(c)) == 0 {
        return None;
    }
    table.defs.get(&c)
}

fn parse_marks(entries: &[&str]) -> HashMap<char, MarkDef> {
    let mut out = HashMap::default();
    for entry in entries {
        let mut parts = entry.split_whitespace();
        let Some(mark) = parts.next().and_then(|m| {
            let mut cs = m.chars();
            let c = cs.next()?;
            cs.next().is_none().then_some(c)
        }) else {
            continue;
        };
        let mut def = MarkDef {
            direction: Direction::Either,
            level: Level::Double,
            closes: Vec::new(),
            separator: false,
        };
        for p in parts {
            match p {
                "open" => def.direction = Direction::Open,
                "close" => def.direction = Direction::Close,
                "either" => def.direction = Direction::Either,
                "double" => def.level = Level::Double,
                "single" => def.level = Level::Single,
                "separator" => def.separator = true,
                other => {
                    if let Some(list) = other.strip_prefix("closes=") {
                        def.closes = list.chars().collect();
                    }
                }
            }
        }
        out.insert(mark, def);
    }
    out
}

/// Whether `c` is a quotation mark of the data table (either level).
pub fn is_mark(c: char) -> bool {
    mark_def(c).is_some()
}

/// The level of a quotation mark, if `c` is one.
pub fn level_of(c: char) -> Option<Level> {
    mark_def(c).map(|d| d.level)
}

/// A quotation found by its marks, before attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawQuote {
    /// The content, trimmed of the spaces just inside the marks.
    pub content: Span,
    pub open: Option<Span>,
    pub close: Option<Span>,
    /// Index of the quotation this one continues (multi-paragraph quotations).
    pub continues: Option<usize>,
}

/// Everything the marks of a text say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkScan {
    /// Quotations in text order (an enclosing quotation before those nested in it).
    pub quotes: Vec<RawQuote>,
    /// Marks that open or close nothing (adjacent ones merged into one span).
    pub strays: Vec<Span>,
}

/// A run of adjacent marks (`“”`, `’”`) decided together.
#[derive(Debug, Clone)]
struct Cluster {
    /// (byte offset, char) of each mark.
    marks: Vec<(usize, char)>,
    line: usize,
    prev: Option<char>,
    next: Option<char>,
    /// Byte offset just after the cluster.
    end: usize,
}

#[derive(Debug, Clone)]
struct Open {
    mark: char,
    level: Level,
    span: Span,
    line: usize,
}

fn is_closing_punct(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '…')
}

fn is_opening_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/') || is_mark(c)
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Whether a single-level mark at this place is an apostrophe (`l’Ukraine`,
/// `don’t`, `l’« opération »`, `12'`).
fn is_apostrophe(prev: Option<char>, next: Option<char>) -> bool {
    match (prev, next) {
        (Some(p), Some(n)) if p.is_alphabetic() && n.is_alphabetic() => true,
        (Some(p), Some(n)) if p.is_alphabetic() && level_of(n) == Some(Level::Double) => true,
        (Some(p), _) if p.is_ascii_digit() => true,
        _ => false,
    }
}

/// Lines a scan may step over between two segments of one quotation.
pub trait LineFilter {
    /// Whether line `i` is known to be a caption or boilerplate.
    fn skippable(&self, line: usize) -> bool;
}

impl LineFilter for () {
    fn skippable(&self, _: usize) -> bool {
        false
    }
}

impl LineFilter for [usize] {
    fn skippable(&self, line: usize) -> bool {
        self.binary_search(&line).is_ok()
    }
}

/// Finds every quotation and stray mark of a text.
///
/// `known` tells which lines the structure analysis already knows to be
/// captions or boilerplate (sorted line numbers); without it, short
/// unpunctuated lines are stepped over between quotation segments.
pub fn scan(text: &str, lines: &Lines, known: &[usize]) -> MarkScan {
    let mut scanner = Scanner {
        text,
        lines,
        quotes: Vec::new(),
        strays: Vec::new(),
        unclosed: Vec::new(),
    };
    for (first, last) in lines.paragraphs(text) {
        scanner.paragraph(first, last);
    }
    scanner.finish(known)
}

struct Scanner<'a> {
    text: &'a str,
    lines: &'a Lines,
    quotes: Vec<RawQuote>,
    strays: Vec<Span>,
    /// Indices (in `quotes`) of quotations left open at the end of a line.
    unclosed: Vec<usize>,
}

impl Scanner<'_> {
    fn line_end(&self, line: usize) -> usize {
        self.lines
            .span(line)
            .map(|(_, e)| e)
            .unwrap_or(self.text.len())
    }

    /// The marks of lines `first..=last`, grouped into clusters.
    fn clusters(&self, first: usize, last: usize) -> Vec<Cluster> {
        let mut out: Vec<Cluster> = Vec::new();
        for line in first..=last {
            let Some((ls, le)) = self.lines.span(line) else {
                continue;
            };
            let Some(body) = self.text.get(ls..le) else {
                continue;
            };
            let mut prev: Option<char> = None;
            let mut iter = body.char_indices().peekable();
            let mut current: Option<Cluster> = None;
            while let Some((i, c)) = iter.next() {
                let next = iter.peek().map(|&(_, n)| n);
                let def = mark_def(c);
                let is_quote_mark = match def {
                    Some(d) if d.level == Level::Single => !is_apostrophe(prev, next),
                    Some(_) => true,
                    None => false,
                };
                if is_quote_mark {
                    let at = ls + i;
                    match current.as_mut() {
                        Some(cl) if cl.end == at => {
                            cl.marks.push((at, c));
                            cl.end = at + c.len_utf8();
                            cl.next = next;
                        }
                        _ => {
                            if let Some(cl) = current.take() {
                                out.push(cl);
                            }
                            current = Some(Cluster {
                                marks: vec![(at, c)],
                                line,
                                prev,
                                next,
                                end: at + c.len_utf8(),
                            });
                        }
                    }
                }
                prev = Some(c);
            }
            if let Some(cl) = current.take() {
                out.push(cl);
            }
        }
        out
    }

    fn paragraph(&mut self, first: usize, last: usize) {
        let clusters = self.clusters(first, last);
        let mut stack: Vec<Open> = Vec::new();
        let mut line = first;
        for (ci, cl) in clusters.iter().enumerate() {
            if cl.line != line {
                // single marks never run over a line
                self.flush_singles(&mut stack, line);
                line = cl.line;
            }
            let more_on_line = clusters.get(ci + 1).is_some_and(|n| n.line == cl.line);
            self.cluster(cl, &mut stack, more_on_line);
        }
        self.flush_singles(&mut stack, line);
        self.close_paragraph(stack, last);
    }

    /// Single openers left open at the end of their line: a capital letter
    /// after one opens speech (`'They want to go west, …`, British style) that
    /// runs to the line end; any other is an apostrophe or a typo.
    fn flush_singles(&mut self, stack: &mut Vec<Open>, line: usize) {
        let singles: Vec<Open> = stack
            .iter()
            .filter(|o| o.level == Level::Single)
            .cloned()
            .collect();
        stack.retain(|o| o.level == Level::Double);
        let end = self.line_end(line);
        for (i, o) in singles.iter().enumerate() {
            let speech = self
                .text
                .get(o.span.end..end)
                .and_then(|rest| rest.chars().find(|c| !c.is_whitespace()))
                .is_some_and(char::is_uppercase);
            if !speech {
                continue;
            }
            let stop = singles.get(i + 1).map_or(end, |n| n.span.start);
            let before = self.quotes.len();
            self.emit(o.span, stop, None);
            if self.quotes.len() > before && stop == end {
                self.unclosed.push(before);
            }
        }
    }

    fn cluster(&mut self, cl: &Cluster, stack: &mut Vec<Open>, more_on_line: bool) {
        let prev_space = is_space(cl.prev);
        let next_space = is_space(cl.next);
        let prev_alnum = cl.prev.is_some_and(char::is_alphanumeric);
        let next_alnum = cl.next.is_some_and(char::is_alphanumeric);
        let can_open = !next_space && !cl.next.is_some_and(is_closing_punct) && !prev_alnum;
        let can_close = !prev_space && !cl.prev.is_some_and(is_opening_punct) && !next_alnum;
        // a closing position: nothing can be opened before a comma or the line end
        let closing_position = cl.next.is_none_or(is_closing_punct);
        for &(at, c) in &cl.marks {
            let Some(def) = mark_def(c) else {
                continue;
            };
            let span = Span::new(at, at + c.len_utf8());
            let role = if can_open && !can_close {
                Role::Open
            } else if !can_open && (can_close || closing_position) {
                Role::Close
            } else {
                match def.direction {
                    Direction::Open => Role::Open,
                    Direction::Close => Role::Close,
                    Direction::Either => {
                        if stack.iter().any(|o| o.level == def.level) {
                            Role::Close
                        } else {
                            Role::Open
                        }
                    }
                }
            };
            match role {
                Role::Open => {
                    if stack.len() >= MAX_DEPTH {
                        if def.level == Level::Double {
                            self.stray(span);
                        }
                    } else {
                        stack.push(Open {
                            mark: c,
                            level: def.level,
                            span,
                            line: cl.line,
                        });
                    }
                }
                Role::Close => {
                    let closed = self.close(def, span, stack);
                    match closed {
                        Some(None) => {}
                        Some(Some(q)) => {
                            // a quotation that ends with a colon announces another
                            // one: the mangled closer opens it (`dira:” Ça y est … “”`)
                            let ends_with_colon =
                                q.content.text(self.text).trim_end().ends_with(':');
                            if def.level == Level::Double
                                && ends_with_colon
                                && next_space
                                && more_on_line
                                && self.next_is_word(cl.end)
                            {
                                stack.push(Open {
                                    mark: c,
                                    level: def.level,
                                    span,
                                    line: cl.line,
                                });
                            }
                        }
                        None => {
                            let separator = def.separator && prev_space && next_space;
                            let unit = cl.prev.is_some_and(|p| p.is_ascii_digit());
                            if def.level == Level::Double && !separator && !unit {
                                self.stray(span);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether the first non-space character at or after `at` is alphanumeric.
    fn next_is_word(&self, at: usize) -> bool {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().find(|c| !c.is_whitespace()))
            .is_some_and(char::is_alphanumeric)
    }

    /// Closes the opener that a closing mark pairs with: `None` when there is
    /// none, `Some(None)` when the pair was empty (both marks stray).
    fn close(
        &mut self,
        def: &MarkDef,
        span: Span,
        stack: &mut Vec<Open>,
    ) -> Option<Option<RawQuote>> {
        let exact = stack
            .iter()
            .rposition(|o| o.level == def.level && def.closes.contains(&o.mark));
        let any = || stack.iter().rposition(|o| o.level == def.level);
        let at = exact.or_else(any)?;
        // openers above the one closed: inner doubles end here, inner singles are dropped
        let inner: Vec<Open> = stack.drain(at + 1..).collect();
        let opener = stack.pop()?;
        for o in inner {
            if o.level == Level::Double {
                self.emit(o.span, span.start, None);
            }
        }
        Some(self.emit(opener.span, span.start, Some(span)))
    }

    /// Records a quotation from an opener to `end`; an empty one makes its marks stray.
    fn emit(&mut self, open: Span, end: usize, close: Option<Span>) -> Option<RawQuote> {
        let content = trim_span(self.text, Span::new(open.end, end.max(open.end)));
        let has_word = content.text(self.text).chars().any(char::is_alphanumeric);
        if !has_word {
            let level = self
                .text
                .get(open.start..open.end)
                .and_then(|s| s.chars().next())
                .and_then(level_of);
            if level == Some(Level::Double) {
                self.stray(open);
                if let Some(c) = close {
                    self.stray(c);
                }
            }
            return None;
        }
        let q = RawQuote {
            content,
            open: Some(open),
            close,
            continues: None,
        };
        self.quotes.push(q.clone());
        Some(q)
    }

    fn stray(&mut self, span: Span) {
        match self.strays.last_mut() {
            Some(last) if last.end == span.start => last.end = span.end,
            Some(last) if *last == span => {}
            _ => self.strays.push(span),
        }
    }

    /// Openers left at the end of a paragraph: each runs to the end of its
    /// sentence's line (or the next unclosed opener, or the paragraph end).
    fn close_paragraph(&mut self, stack: Vec<Open>, last: usize) {
        let doubles: Vec<Open> = stack
            .into_iter()
            .filter(|o| o.level == Level::Double)
            .collect();
        for (i, o) in doubles.iter().enumerate() {
            let mut end_line = o.line;
            while end_line < last && !self.line_closes_unclosed(end_line) {
                end_line += 1;
            }
            let mut end = self.line_end(end_line);
            if let Some(next) = doubles.get(i + 1) {
                end = end.min(next.span.start);
            }
            let before = self.quotes.len();
            self.emit(o.span, end, None);
            if self.quotes.len() > before && end == self.line_end(end_line) {
                self.unclosed.push(before);
            }
        }
    }

    /// Whether an unclosed quotation stops at the end of this line: the line
    /// ends a sentence, or the next one reopens with a mark.
    fn line_closes_unclosed(&self, line: usize) -> bool {
        let t = self.lines.text(self.text, line).trim_end();
        let ends_sentence = t
            .chars()
            .last()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';') || is_mark(c));
        let next_reopens = self
            .lines
            .text(self.text, line + 1)
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| level_of(c) == Some(Level::Double));
        ends_sentence || next_reopens
    }

    /// Whether a line can sit between two segments of a quotation: a caption
    /// (short, unpunctuated, not itself quoted) or a line the structure knows.
    fn steppable(&self, line: usize, known: &[usize]) -> bool {
        if known.skippable(line) {
            return true;
        }
        let t = self.lines.text(self.text, line).trim();
        let Some(first) = t.chars().next() else {
            return false;
        };
        if is_mark(first) {
            return false;
        }
        let last = t.chars().last().unwrap_or(' ');
        let punctuated = matches!(last, '.' | '!' | '?' | '…' | ':' | ';' | ',') || is_mark(last);
        !punctuated && t.split_whitespace().count() <= CAPTION_MAX_WORDS
    }

    fn finish(mut self, known: &[usize]) -> MarkScan {
        // continuation: an unclosed quotation at a line end continues into the
        // next content line that opens with a mark
        let mut by_open: HashMap<usize, usize> = HashMap::default();
        for (i, q) in self.quotes.iter().enumerate() {
            if let Some(o) = q.open {
                by_open.entry(o.start).or_insert(i);
            }
        }
        let unclosed = std::mem::take(&mut self.unclosed);
        for qi in unclosed {
            let Some(q) = self.quotes.get(qi) else {
                continue;
            };
            let mut line = self.lines.line_of(q.content.end) + 1;
            let mut skipped = 0;
            while line < self.lines.len() {
                if self.lines.is_blank(self.text, line) {
                    line += 1;
                    continue;
                }
                if skipped < MAX_SKIPPED_LINES && self.steppable(line, known) {
                    skipped += 1;
                    line += 1;
                    continue;
                }
                break;
            }
            let Some((ls, le)) = self.lines.span(line) else {
                continue;
            };
            let body = self.text.get(ls..le).unwrap_or("");
            let lead = body.len() - body.trim_start().len();
            if let Some(&next) = by_open.get(&(ls + lead)) {
                if next != qi {
                    if let Some(nq) = self.quotes.get_mut(next) {
                        nq.continues = Some(qi);
                    }
                }
            }
        }
        // text order, enclosing quotations first; remap continuation indices
        let mut quotes = std::mem::take(&mut self.quotes);
        let mut order: Vec<usize> = (0..quotes.len()).collect();
        order.sort_by_key(|&i| {
            quotes
                .get(i)
                .map(|q| (q.content.start, std::cmp::Reverse(q.content.end)))
        });
        let mut new_index = vec![0; quotes.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = new_index.get_mut(old) {
                *slot = new;
            }
        }
        for q in &mut quotes {
            q.continues = q.continues.and_then(|c| new_index.get(c).copied());
        }
        let mut slots: Vec<Option<RawQuote>> = quotes.into_iter().map(Some).collect();
        let quotes = order
            .iter()
            .filter_map(|&old| slots.get_mut(old).and_then(Option::take))
            .collect();
        self.strays.sort();
        self.strays.dedup();
        MarkScan {
            quotes,
            strays: self.strays,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
}

/// `span` without the whitespace (spaces, no-break spaces) at both ends.
pub fn trim_span(text: &str, span: Span) -> Span {
    let Some(s) = text.get(span.start..span.end) else {
        return span;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    let start = span.start + lead;
    Span::new(start, start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<String>, Vec<String>) {
        let lines = Lines::new(text);
        let scan = scan(text, &lines, &[]);
        (
            scan.quotes
                .iter()
                .map(|q| q.content.text(text).to_string())
                .collect(),
            scan.strays
                .iter()
                .map(|s| s.text(text).to_string())
                .collect(),
        )
    }

    fn quotes(text: &str) -> Vec<String> {
        run(text).0
    }

    #[test]
    fn french_guillemets_with_and_without_padding() {
        assert_eq!(
            quotes("Il a dit « nous resterons » hier et «partirons» demain."),
            vec!["nous resterons", "partirons"]
        );
        // no-break and narrow no-break spaces are padding, not content
        assert_eq!(
            quotes("avec « certaines spécialités » et «\u{202f}l’unification\u{202f}»."),
            vec!["certaines spécialités", "l’unification"]
        );
    }

    #[test]
    fn english_curly_german_low_and_single_guillemets() {
        assert_eq!(
            quotes("“We will not back down,” he said."),
            vec!["We will not back down,"]
        );
        assert_eq!(quotes("Er sagte „Nein“ und ging."), vec!["Nein"]);
        assert_eq!(
            quotes("« Il a parlé de ‹ paix durable › hier »"),
            vec!["Il a parlé de ‹ paix durable › hier", "paix durable"]
        );
        assert_eq!(quotes("Er sagte »Nein« und ging."), vec!["Nein"]);
    }

    #[test]
    fn straight_quotes_are_oriented_by_their_neighbours() {
        assert_eq!(
            quotes(r#"un "co-belligérant" - selon l'Institut - et "stupides"."#),
            vec!["co-belligérant", "stupides"]
        );
        assert_eq!(
            quotes(r#"He called it "a disaster","the worst" ever."#),
            vec!["a disaster", "the worst"]
        );
    }

    #[test]
    fn apostrophes_never_open_quotations() {
        let fr = "L’armée n’a pas quitté l’Ukraine aujourd’hui, jusqu’à l’« opération » d’hier.";
        assert_eq!(quotes(fr), vec!["opération"]);
        let en = "Lukashenko’s army won’t move, the players’ union said, and it's Kyiv's call.";
        assert!(quotes(en).is_empty());
        assert!(run(en).1.is_empty());
    }

    #[test]
    fn single_quotes_pair_but_never_stray() {
        assert_eq!(
            quotes("“He called it ‘a disaster’ on Monday,” she said."),
            vec!["He called it ‘a disaster’ on Monday,", "a disaster"]
        );
        let (q, strays) = run("Back in the ‘90s nobody cared.");
        assert!(q.is_empty());
        assert!(strays.is_empty());
    }

    #[test]
    fn mixed_styles_pair_up() {
        assert_eq!(
            quotes("Il a dit « nous resterons ” puis “ partirons »."),
            vec!["nous resterons", "partirons"]
        );
    }

    #[test]
    fn breadcrumb_separators_are_not_marks() {
        let text = "Home » MONDE » Poutine “changerait de camp”, affirme un initié";
        let (q, strays) = run(text);
        assert_eq!(q, vec!["changerait de camp"]);
        assert!(strays.is_empty());
    }

    #[test]
    fn unclosed_opener_runs_to_the_end_of_its_paragraph() {
        let text = "Le despote a affirmé: «Des frappes sont prévues. Ils nous poussent.\n\nAutre paragraphe.";
        assert_eq!(
            quotes(text),
            vec!["Des frappes sont prévues. Ils nous poussent."]
        );
    }

    #[test]
    fn closed_then_unclosed_in_one_paragraph() {
        let text = "« Je dirais oui et non », a-t-il déclaré. « Pourquoi oui ? Parce que.";
        assert_eq!(
            quotes(text),
            vec!["Je dirais oui et non", "Pourquoi oui ? Parce que."]
        );
    }

    #[test]
    fn continuation_across_paragraphs_and_over_a_caption() {
        let text = "Il a expliqué: “Le fait est simple.\n\n“Les pertes seraient lourdes.\n\nBiélorussie et Ukraine sur la carte\n\n“C’est pourquoi ils restent.”\n\nLa suite.";
        let lines = Lines::new(text);
        let s = scan(text, &lines, &[]);
        assert_eq!(s.quotes.len(), 3);
        assert_eq!(s.quotes[0].continues, None);
        assert_eq!(s.quotes[1].continues, Some(0));
        assert_eq!(s.quotes[2].continues, Some(1));
        assert_eq!(
            s.quotes[2].content.text(text),
            "C’est pourquoi ils restent."
        );
        assert!(s.strays.is_empty());
    }

    #[test]
    fn english_continuation_switching_styles() {
        let text = "He said: \"We are ready.\n\n« We will not stop.\n\nSoldiers training near the border\n\n“And we never did.”";
        let lines = Lines::new(text);
        let s = scan(text, &lines, &[]);
        assert_eq!(s.quotes.len(), 3);
        assert_eq!(s.quotes[1].continues, Some(0));
        assert_eq!(s.quotes[2].continues, Some(1));
    }

    #[test]
    fn a_closed_quotation_is_not_continued() {
        let text = "« Nous resterons », a-t-il dit.\n\n« Nous partirons. »";
        let lines = Lines::new(text);
        let s = scan(text, &lines, &[]);
        assert_eq!(s.quotes.len(), 2);
        assert_eq!(s.quotes[1].continues, None);
    }

    #[test]
    fn trailing_straight_quote_is_stray() {
        let text = r#"il a reconnu que l'opération "traînait en longueur". ""#;
        let (q, strays) = run(text);
        assert_eq!(q, vec!["traînait en longueur"]);
        assert_eq!(strays, vec!["\""]);
    }

    #[test]
    fn mangled_nested_quote_after_a_colon() {
        let text = "“Particulièrement, tout le monde dira:” Ça y est, les Russes dirigent le pays “”, a déclaré Loukachenko.";
        let (q, strays) = run(text);
        assert_eq!(
            q,
            vec![
                "Particulièrement, tout le monde dira:",
                "Ça y est, les Russes dirigent le pays"
            ]
        );
        assert_eq!(strays, vec!["”"]);
    }

    #[test]
    fn empty_pair_is_one_stray() {
        let (q, strays) = run("Le texte “” continue ici.");
        assert!(q.is_empty());
        assert_eq!(strays, vec!["“”"]);
    }

    #[test]
    fn closer_without_opener_is_stray() {
        let (q, strays) = run("Il est parti.» Puis rien.");
        assert!(q.is_empty());
        assert_eq!(strays, vec!["»"]);
        let (_, none) = run("A screen of 12\" wide.");
        assert!(none.is_empty());
    }

    #[test]
    fn closer_on_a_later_line_of_the_same_paragraph() {
        let text = "« Nous ne reculerons pas,\nnous gagnerons », a-t-il dit.";
        assert_eq!(
            quotes(text),
            vec!["Nous ne reculerons pas,\nnous gagnerons"]
        );
    }

    #[test]
    fn many_marks_stay_linear() {
        let mut text = String::new();
        for i in 0..50_000 {
            if i % 3 == 0 {
                text.push_str("« a » ");
            } else if i % 3 == 1 {
                text.push_str("“ “ ");
            } else {
                text.push_str("\"b\" ’ ");
            }
        }
        let lines = Lines::new(&text);
        let start = std::time::Instant::now();
        let s = scan(&text, &lines, &[]);
        assert!(!s.quotes.is_empty());
        assert!(start.elapsed().as_secs() < 5);
    }
}
