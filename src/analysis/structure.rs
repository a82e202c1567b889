//! The article model built from the text alone: header block (breadcrumb,
//! title, repeated title, byline, dateline), body sections opened by author
//! subheadings, stray captions, and the trailer block (source line, author
//! bio, related links, cookie notice…), plus untranslated bracketed fragments.
//!
//! The analysis works on lines (a paragraph per line, a sentence per line or
//! whole web pages dumped with their menus), in a few linear passes:
//! 1. every line is matched against the boilerplate cue tables and the
//!    breadcrumb shape ([`super::boilerplate`]);
//! 2. the author box at the end (a name line + a biography) is found;
//! 3. the header is read up to the first line of prose: bylines, datelines,
//!    the title (a line repeated later, or contained in a breadcrumb, or the
//!    first headline-shaped line), labels before it (navigation), image
//!    titles and captions after it;
//! 4. the trailer: teasers under a related-links header, menu lines between
//!    boilerplate lines, section labels outside the body;
//! 5. short lines inside the body are headings or captions. Strong caption
//!    cues: the line interrupts a quotation, uses other apostrophes than the
//!    body, names a picture (`ci-dessus`, `pictured`), or sits above a photo
//!    credit. Strong heading cues: a short quoted line, Markdown `#`, capitals.
//!    Other short lines follow the page's habit: once a page is seen dropping
//!    captions inline, its unmarked short lines are captions; otherwise they
//!    are headings when prose follows them.

mod byline;
mod date;
mod fragments;

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use super::boilerplate::{self, key_of_folded, CueSet};
use super::lines::chars;
use super::{
    lexicon::Lexicon, AnalysisOptions, BoilerplateKind, BoilerplateLine, Language, LineRef, Lines,
    Section, Span, Structure,
};

pub use byline::{is_names, is_person_name};
pub use date::{find_dates, DateHit};

/// What a line is in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Blank,
    Unknown,
    Boiler(BoilerplateKind),
    Title,
    Byline,
    Date,
    Caption,
    Heading,
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// `.` or `…`
    Sentence,
    /// `?` or `!`
    Exclaim,
    /// `:`, `,`, `;`, a dash: the sentence goes on.
    Continues,
    /// No punctuation: a headline, a label, a caption.
    Open,
}

const OPENERS: &[char] = &['«', '“', '„', '‹'];
const CLOSERS: &[char] = &['»', '”', '›'];

/// Shape facts of one line.
#[derive(Debug, Clone)]
struct Info<'a> {
    text: &'a str,
    words: usize,
    end: End,
    starts_lower: bool,
    /// Quotation marks opened and not closed on this line (negative: closes more).
    quote_excess: i32,
    starts_quote: bool,
    /// The whole line is one short quotation with no sentence punctuation inside.
    whole_quote: bool,
    straight_apostrophes: usize,
    curly_apostrophes: usize,
    /// A sentence break inside the line (`… fin. Début …`).
    inner_sentence: bool,
    /// The line is a list item (`- …`, `• …`, `1) …`).
    bullet: bool,
}

impl<'a> Info<'a> {
    fn new(raw: &'a str) -> Self {
        let text = raw.trim();
        let stripped = text.trim_end_matches(|c: char| {
            CLOSERS.contains(&c)
                || matches!(c, '"' | '\'' | '’' | ')' | ']' | '*')
                || c.is_whitespace()
        });
        let end = match stripped.chars().next_back() {
            Some('.' | '…') => End::Sentence,
            Some('?' | '!') => End::Exclaim,
            Some(':' | ',' | ';' | '-' | '–' | '—') => End::Continues,
            _ => End::Open,
        };
        // One pass over the chars for the counts and the 3-char patterns
        // (`a'b` apostrophes, `. U` sentence breaks).
        let mut words = 0usize;
        let mut in_word = false;
        let mut starts_lower: Option<bool> = None;
        let (mut opens, mut closes, mut straight) = (0i32, 0i32, 0i32);
        let mut straight_apostrophes = 0;
        let mut curly_apostrophes = 0;
        let mut inner_sentence = false;
        let (mut prev2, mut prev1): (Option<char>, Option<char>) = (None, None);
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(c) = text.get(i..).and_then(|t| t.chars().next()) {
            i += c.len_utf8();
            if c.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                words += 1;
            }
            if starts_lower.is_none() && chars::is_alphanumeric(c) {
                starts_lower = Some(c.is_lowercase());
            }
            if c == '"' {
                straight += 1;
            } else if c.is_ascii() {
                // Every other quotation mark is outside ASCII.
            } else if OPENERS.contains(&c) {
                opens += 1;
            } else if CLOSERS.contains(&c) {
                closes += 1;
            }
            if let (Some(a), Some(m)) = (prev2, prev1) {
                match m {
                    '\'' | '’' if chars::is_alphabetic(a) && chars::is_alphabetic(c) => {
                        if m == '\'' {
                            straight_apostrophes += 1;
                        } else {
                            curly_apostrophes += 1;
                        }
                    }
                    ' ' if !inner_sentence && matches!(a, '.' | '?' | '!') && c.is_uppercase() => {
                        inner_sentence = true;
                    }
                    _ => {}
                }
            }
            prev2 = prev1;
            prev1 = Some(c);
            // The rest of an ASCII word changes nothing above but the last two
            // chars: it is inside a word already counted, after the first
            // letter, holds no quotation mark, and no 3-char pattern has a
            // letter in the middle. Skip it in one byte scan.
            if c.is_ascii_alphanumeric() {
                let rest = bytes.get(i..).unwrap_or(&[]);
                let run = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                if run > 0 {
                    let at = |k: usize| rest.get(k).map(|&b| char::from(b));
                    prev2 = if run >= 2 { at(run - 2) } else { Some(c) };
                    prev1 = at(run - 1);
                    i += run;
                }
            }
        }
        let starts_lower = starts_lower.unwrap_or(false);
        // An odd straight quote opens when it is followed by a letter.
        let straight_excess = if straight % 2 == 1 {
            let last = text.rfind('"').unwrap_or(0);
            let after = text.get(last + 1..).and_then(|s| s.chars().next());
            if after.is_some_and(char::is_alphanumeric) {
                1
            } else {
                -1
            }
        } else {
            0
        };
        let first = text.chars().next();
        let last = text.chars().next_back();
        let starts_quote = first.is_some_and(|c| OPENERS.contains(&c) || c == '"');
        let whole_quote = starts_quote
            && last.is_some_and(|c| CLOSERS.contains(&c) || c == '"')
            && end == End::Open
            && opens + straight <= 2
            && words <= 12;
        let bullet =
            first.is_some_and(|c| matches!(c, '-' | '•' | '*' | '–' | '—' | '·' | '▪' | '►')) || {
                let digits = text.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && text.chars().nth(digits).is_some_and(|c| c == ')')
            };
        Info {
            text,
            words,
            bullet,
            end,
            starts_lower,
            quote_excess: opens - closes + straight_excess,
            starts_quote,
            whole_quote,
            straight_apostrophes,
            curly_apostrophes,
            inner_sentence,
        }
    }

    /// Running text: a sentence of some length.
    fn is_prose(&self) -> bool {
        match self.end {
            End::Sentence => self.words >= 4,
            End::Continues => self.words >= 5,
            End::Exclaim => self.words >= 15,
            End::Open => self.words >= 30 || (self.inner_sentence && self.words >= 10),
        }
    }

    /// A headline-shaped line: no sentence punctuation, not a continuation.
    fn is_short(&self) -> bool {
        self.words >= 1
            && self.text.chars().any(char::is_alphabetic)
            && self.words <= 20
            && !self.starts_lower
            && !self.bullet
            && (self.end == End::Open || self.whole_quote)
            && !self.inner_sentence
    }

    fn is_all_caps(&self) -> bool {
        self.words >= 2
            && self.text.chars().any(char::is_alphabetic)
            && !self.text.chars().any(char::is_lowercase)
    }
}

/// What a cue table says of a line outside the boilerplate kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Caption,
    Bio,
}

fn cues() -> &'static CueSet<Cue> {
    static C: OnceLock<CueSet<Cue>> = OnceLock::new();
    C.get_or_init(|| {
        CueSet::build(
            Lexicon::get(),
            &[
                ("structure_caption_cues", Cue::Caption),
                ("structure_bio_cues", Cue::Bio),
            ],
        )
    })
}

/// The cue of a line (folded with [`boilerplate::fold`]) if it is the wanted one.
fn cue_of(folded: &str, want: Cue) -> Option<&'static str> {
    let max = |c: Cue| match c {
        Cue::Caption => 40,
        Cue::Bio => 200,
    };
    // Caption and bio cues do not compete: look for the wanted one only.
    let hit = cues().find_folded(folded, max)?;
    if hit.tag == want {
        return Some(hit.cue);
    }
    None
}

/// Working state of one analysis.
struct Builder<'a> {
    text: &'a str,
    lines: &'a Lines,
    infos: Vec<Info<'a>>,
    /// Each line's text folded for cue matching ([`boilerplate::fold`]),
    /// computed once: every pass matches cues or compares line keys.
    folded: Vec<String>,
    roles: Vec<Role>,
    reasons: Vec<String>,
}

impl<'a> Builder<'a> {
    fn len(&self) -> usize {
        self.roles.len()
    }
    fn role(&self, i: usize) -> Role {
        self.roles.get(i).copied().unwrap_or(Role::Blank)
    }
    fn info(&self, i: usize) -> Option<&Info<'a>> {
        self.infos.get(i)
    }
    fn set(&mut self, i: usize, role: Role, reason: impl Into<String>) {
        if let (Some(r), Some(why)) = (self.roles.get_mut(i), self.reasons.get_mut(i)) {
            *r = role;
            *why = reason.into();
        }
    }
    fn is_boiler(&self, i: usize) -> bool {
        matches!(self.role(i), Role::Boiler(_))
    }
    /// The previous non-blank line before `i`.
    fn prev_content(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| self.role(j) != Role::Blank)
    }
    /// The next non-blank line after `i`.
    fn next_content(&self, i: usize) -> Option<usize> {
        (i + 1..self.len()).find(|&j| self.role(j) != Role::Blank)
    }
    /// The previous line before `i` that is neither blank nor boilerplate.
    fn prev_text(&self, i: usize) -> Option<usize> {
        (0..i)
            .rev()
            .find(|&j| self.role(j) != Role::Blank && !self.is_boiler(j))
    }
    /// The next line after `i` that is neither blank nor boilerplate.
    fn next_text(&self, i: usize) -> Option<usize> {
        (i + 1..self.len()).find(|&j| self.role(j) != Role::Blank && !self.is_boiler(j))
    }
    fn line_text(&self, i: usize) -> &'a str {
        self.infos.get(i).map(|x| x.text).unwrap_or("")
    }
    /// The line's text folded for cue matching.
    fn folded(&self, i: usize) -> &str {
        self.folded.get(i).map(String::as_str).unwrap_or("")
    }
    /// The line's key for whole-line comparisons ([`boilerplate::line_key`]).
    fn key(&self, i: usize) -> &str {
        key_of_folded(self.folded(i))
    }
    fn line_ref(&self, i: usize) -> LineRef {
        LineRef {
            line: i,
            text: self.line_text(i).to_string(),
        }
    }
    /// Absolute span of a hit found in the raw text of line `i`.
    fn abs(&self, i: usize, start: usize, end: usize) -> Span {
        let base = self.lines.span(i).map(|(s, _)| s).unwrap_or(0);
        Span::new(base + start, base + end)
    }
}

/// Builds the article structure.
pub fn analyze(
    text: &str,
    lines: &Lines,
    language: Language,
    lexicon: &Lexicon,
    options: &AnalysisOptions,
) -> Structure {
    let n = lines.len();
    let infos: Vec<Info<'_>> = (0..n).map(|i| Info::new(lines.text(text, i))).collect();
    let roles = infos
        .iter()
        .map(|x| {
            if x.text.is_empty() {
                Role::Blank
            } else {
                Role::Unknown
            }
        })
        .collect();
    let folded = infos.iter().map(|x| boilerplate::fold(x.text)).collect();
    let mut b = Builder {
        text,
        lines,
        infos,
        folded,
        roles,
        reasons: vec![String::new(); n],
    };
    let content_lines = b.roles.iter().filter(|r| **r != Role::Blank).count();
    let blank_lines = n - content_lines;
    // Paragraphs are separated by blank lines (rather than one per line).
    let blank_separated = content_lines > 1 && blank_lines * 3 >= content_lines;

    mark_cues(&mut b, options);
    let author = mark_author_box(&mut b);
    let header = read_header(&mut b, blank_separated);
    let (body_start, body_end) = body_bounds(&b, header.body_start);
    mark_trailer(&mut b, body_start, body_end);
    mark_captions_and_headings(&mut b, body_start, body_end, blank_separated);

    let mut date = header.date;
    let mut byline = header.byline;
    // A dateline merged into the first paragraph (` date 2022-12 Le président…`).
    if date.is_none() && body_start < n {
        let raw = lines.text(text, body_start);
        if let Some(h) = date::date_at_start(raw) {
            date = Some((h.iso.clone(), b.abs(body_start, h.start, h.end)));
        }
    }
    // Bylines and datelines printed after the article.
    for i in body_end.saturating_add(1)..n {
        if b.role(i) != Role::Unknown {
            continue;
        }
        if byline.is_none() {
            if let Some(by) = byline::parse(b.line_text(i)) {
                byline = Some((by.names, Some(i)));
                b.set(i, Role::Byline, "byline");
                continue;
            }
        }
        if date.is_none() {
            let raw = lines.text(text, i);
            if let Some(h) = date::dateline(raw) {
                date = Some((h.iso.clone(), b.abs(i, h.start, h.end)));
                b.set(i, Role::Date, "dateline");
            }
        }
    }
    if byline.is_none() {
        byline = author.map(|(name, line)| (name, Some(line)));
    }

    // Whatever is left is running text.
    let mut structure = Structure {
        title: header.title.map(|t| b.line_ref(t)),
        date: date.as_ref().map(|(d, _)| d.clone()),
        date_span: date.map(|(_, s)| s),
        byline: byline.as_ref().map(|(name, _)| name.clone()),
        byline_line: byline.and_then(|(_, l)| l),
        ..Structure::default()
    };
    let mut current: Option<Section> = None;
    for i in 0..n {
        match b.role(i) {
            Role::Boiler(kind) => structure.boilerplate.push(BoilerplateLine {
                line: i,
                kind,
                text: b.line_text(i).to_string(),
                reason: b.reasons.get(i).map_or("", String::as_str).into(),
            }),
            Role::Heading => {
                structure.headings.push(b.line_ref(i));
                if let Some(s) = current.take() {
                    structure.sections.push(s);
                }
                current = Some(Section {
                    heading: Some(b.line_ref(i)),
                    start_line: i,
                    end_line: i,
                });
            }
            Role::Caption | Role::Unknown => {
                if b.role(i) == Role::Caption {
                    structure.captions.push(b.line_ref(i));
                }
                match current.as_mut() {
                    Some(s) => s.end_line = i,
                    None => {
                        current = Some(Section {
                            heading: None,
                            start_line: i,
                            end_line: i,
                        })
                    }
                }
            }
            Role::Blank | Role::Title | Role::Byline | Role::Date => {}
        }
    }
    if let Some(s) = current {
        structure.sections.push(s);
    }
    structure.untranslated = fragments::find(text, lines, language, lexicon);
    structure
}

/// Pass 1: cue tables, breadcrumbs and configured patterns.
fn mark_cues(b: &mut Builder<'_>, options: &AnalysisOptions) {
    for i in 0..b.len() {
        if b.role(i) == Role::Blank {
            continue;
        }
        let t = b.line_text(i);
        if let Some((kind, reason)) = boilerplate::classify_folded(b.folded(i)) {
            b.set(i, Role::Boiler(kind), reason);
        } else if boilerplate::is_breadcrumb(t) {
            b.set(
                i,
                Role::Boiler(BoilerplateKind::Navigation),
                "a breadcrumb trail of site sections",
            );
        } else if let Some(re) = options.extra_boilerplate.iter().find(|r| r.is_match(t)) {
            b.set(
                i,
                Role::Boiler(BoilerplateKind::Navigation),
                format!(
                    "the line matches the configured boilerplate pattern `{}`",
                    re.as_str()
                ),
            );
        }
    }
}

/// Pass 2: the author box at the very end: a person's name on its own line
/// (or an `About the author` header) followed by a biography (1–3 lines, one
/// with a biography cue), with only boilerplate after. Returns the name and
/// its line when a name line was found.
fn mark_author_box(b: &mut Builder<'_>) -> Option<(String, usize)> {
    let mut bio: Vec<usize> = Vec::new();
    let mut i = b.len();
    let has_cue = |b: &Builder<'_>, bio: &[usize]| {
        bio.iter().any(|&k| cue_of(b.folded(k), Cue::Bio).is_some())
    };
    let mark_bio = |b: &mut Builder<'_>, bio: &[usize]| {
        for &k in bio {
            let reason = match cue_of(b.folded(k), Cue::Bio) {
                Some(cue) => format!("the author's biography (`{cue}`) after the article"),
                None => "part of the author's biography".to_string(),
            };
            b.set(k, Role::Boiler(BoilerplateKind::AuthorBio), reason);
        }
    };
    while let Some(j) = b.prev_text(i) {
        // An author-box header right above the biography.
        if !bio.is_empty()
            && b.prev_content(i)
                .is_some_and(|h| h > j && b.role(h) == Role::Boiler(BoilerplateKind::AuthorBio))
        {
            if has_cue(b, &bio) {
                mark_bio(b, &bio);
            }
            return None;
        }
        let info = b.info(j)?;
        if byline::is_person_name(info.text) && !bio.is_empty() {
            if !has_cue(b, &bio) {
                return None;
            }
            let name = info.text.to_string();
            b.set(
                j,
                Role::Boiler(BoilerplateKind::AuthorBio),
                "the author's name heading a biography at the end of the article",
            );
            mark_bio(b, &bio);
            return Some((name, j));
        }
        if bio.len() >= 3 || info.words < 4 {
            return None;
        }
        bio.push(j);
        i = j;
    }
    None
}

/// What the header says.
struct Header {
    title: Option<usize>,
    date: Option<(String, Span)>,
    byline: Option<(String, Option<usize>)>,
    /// The first line of the body (first prose line after the header).
    body_start: usize,
}

/// Pass 3: the header block.
fn read_header(b: &mut Builder<'_>, blank_separated: bool) -> Header {
    let n = b.len();
    let mut candidates: Vec<usize> = Vec::new();
    let mut image_block: Vec<usize> = Vec::new();
    let mut date: Option<(String, Span)> = None;
    let mut byline: Option<(String, Option<usize>)> = None;
    let mut body_start = n;
    let mut i = 0;
    while i < n {
        let role = b.role(i);
        if role != Role::Unknown {
            i += 1;
            continue;
        }
        let t = b.line_text(i);
        let raw = b.lines.text(b.text, i);
        if byline.is_none() {
            if let Some(by) = byline::parse(t) {
                byline = Some((by.names, Some(i)));
                if date.is_none() {
                    if let Some(h) = date::find_dates(raw).into_iter().next() {
                        date = Some((h.iso, b.abs(i, h.start, h.end)));
                    }
                }
                b.set(i, Role::Byline, "byline");
                i += 1;
                continue;
            }
        }
        if let Some(h) = date::dateline(raw) {
            if date.is_none() {
                date = Some((h.iso, b.abs(i, h.start, h.end)));
            }
            b.set(i, Role::Date, "dateline");
            i += 1;
            continue;
        }
        // A byline label alone on its line, the names on the next: `By` / `Jane Doe`.
        if byline.is_none()
            && b.prev_content(i)
                .is_some_and(|p| b.role(p) == Role::Boiler(BoilerplateKind::EmptyByline))
            && is_names(t, 8)
        {
            byline = Some((t.to_string(), Some(i)));
            b.set(i, Role::Byline, "author names under a byline label");
            i += 1;
            continue;
        }
        // Names and a date on one line, without a cue: `Jane Doe | 19 Dec 2022`.
        if byline.is_none() {
            if let Some(h) = date::find_dates(raw).into_iter().next() {
                let rest = date::without_dates(t);
                let names = rest.trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | ',' | '·' | '•' | '/')
                });
                if !names.is_empty() && is_names(names, 8) {
                    byline = Some((names.to_string(), Some(i)));
                    if date.is_none() {
                        date = Some((h.iso, b.abs(i, h.start, h.end)));
                    }
                    b.set(i, Role::Byline, "author names with the date");
                    i += 1;
                    continue;
                }
            }
        }
        if boilerplate::is_menu_line(t) {
            b.set(
                i,
                Role::Boiler(BoilerplateKind::Navigation),
                "a menu of site sections on one line",
            );
            i += 1;
            continue;
        }
        let prose = b.info(i).is_some_and(Info::is_prose);
        if !prose {
            candidates.push(i);
            i += 1;
            continue;
        }
        // An image title followed by its caption, in one paragraph, between
        // the title and the first paragraph.
        let prev_is_candidate = i > 0 && candidates.last() == Some(&(i - 1));
        if blank_separated && prev_is_candidate && candidates.len() >= 2 {
            let mut j = i;
            while j < n && b.role(j) != Role::Blank {
                image_block.push(j);
                j += 1;
            }
            i = j;
            continue;
        }
        body_start = i;
        break;
    }

    let title = choose_title(b, &candidates);
    if let Some(t) = title {
        b.set(t, Role::Title, "title");
        let key = b.key(t).to_string();
        for j in 0..n {
            if j != t && b.role(j) != Role::Blank && b.key(j) == key {
                b.set(
                    j,
                    Role::Boiler(BoilerplateKind::DuplicateTitle),
                    format!("the title (line {}) printed again", t + 1),
                );
            }
        }
        for &c in &candidates {
            if b.role(c) != Role::Unknown {
                continue;
            }
            if c < t {
                let reason = if b.key(c).contains(&key) {
                    "a page heading that repeats the title"
                } else {
                    "a label above the title (site section, kicker or menu)"
                };
                b.set(c, Role::Boiler(BoilerplateKind::Navigation), reason);
                continue;
            }
            let near_date = [b.prev_content(c), b.next_content(c)]
                .iter()
                .flatten()
                .any(|&k| b.role(k) == Role::Date);
            if byline.is_none() && near_date && is_names(b.line_text(c), 8) {
                byline = Some((b.line_text(c).to_string(), Some(c)));
                b.set(c, Role::Byline, "author names next to the dateline");
                continue;
            }
            b.set(
                c,
                Role::Caption,
                "a short line between the title and the first paragraph",
            );
        }
        for &c in &image_block {
            b.set(
                c,
                Role::Caption,
                "an image caption between the title and the first paragraph",
            );
        }
    } else {
        for &c in &candidates {
            let info_words = b.info(c).map(|x| x.words).unwrap_or(0);
            if boilerplate::is_section_label_folded(b.folded(c)) || info_words <= 2 {
                b.set(
                    c,
                    Role::Boiler(BoilerplateKind::Navigation),
                    "a menu label before the article",
                );
            }
        }
    }
    Header {
        title,
        date,
        byline,
        body_start,
    }
}

/// Picks the title among the header lines: a line repeated later (the page
/// prints its title twice), else one contained in a breadcrumb above it, else
/// the first headline-shaped line. A page heading `Title - Site` followed by
/// `Title` yields the shorter one.
fn choose_title(b: &Builder<'_>, candidates: &[usize]) -> Option<usize> {
    // The title is near the top: a page of menus has at most this many
    // header lines worth considering (keeps the search linear).
    const MAX_CANDIDATES: usize = 60;
    let candidates = candidates.get(..candidates.len().min(MAX_CANDIDATES))?;
    if candidates.is_empty() {
        return None;
    }
    let keys: Vec<&str> = (0..b.len())
        .map(|i| {
            if b.role(i) == Role::Blank {
                ""
            } else {
                b.key(i)
            }
        })
        .collect();
    let key = |i: usize| keys.get(i).copied().unwrap_or("");
    let mut count: HashMap<&str, usize> = HashMap::default();
    for k in &keys {
        if !k.is_empty() {
            *count.entry(k).or_insert(0) += 1;
        }
    }
    let words = |i: usize| b.info(i).map(|x| x.words).unwrap_or(0);
    let headline = |i: usize| {
        let w = words(i);
        (3..=40).contains(&w) && !boilerplate::is_section_label_folded(b.folded(i))
    };
    let repeated = candidates
        .iter()
        .copied()
        .find(|&c| words(c) >= 2 && count.get(key(c)).copied().unwrap_or(0) >= 2);
    if repeated.is_some() {
        return repeated;
    }
    let last = candidates.last().copied().unwrap_or(0);
    let crumbs: Vec<usize> = (0..last)
        .filter(|&j| b.role(j) == Role::Boiler(BoilerplateKind::Navigation))
        .take(MAX_CANDIDATES)
        .collect();
    let in_breadcrumb = candidates.iter().copied().find(|&c| {
        headline(c) && {
            let k = key(c);
            crumbs.iter().any(|&j| j < c && key(j).contains(k))
        }
    });
    if in_breadcrumb.is_some() {
        return in_breadcrumb;
    }
    let first = candidates.iter().copied().find(|&c| headline(c))?;
    let fk = key(first);
    let shorter = candidates.iter().copied().find(|&c| {
        c > first && headline(c) && {
            let k = key(c);
            k.len() * 2 >= fk.len() && fk.starts_with(k) && k.len() < fk.len()
        }
    });
    Some(shorter.unwrap_or(first))
}

/// First and last line of the body: from the header's end to the last prose
/// line that is not boilerplate (the body is empty when `start > end`).
fn body_bounds(b: &Builder<'_>, body_start: usize) -> (usize, usize) {
    let last = (body_start..b.len())
        .rev()
        .find(|&i| b.role(i) == Role::Unknown && b.info(i).is_some_and(Info::is_prose));
    match last {
        Some(e) => (body_start, e),
        None => (body_start, body_start.saturating_sub(1)),
    }
}

/// Pass 4: teasers under related-links headers; menu lines and section labels
/// outside the body.
fn mark_trailer(b: &mut Builder<'_>, body_start: usize, body_end: usize) {
    let n = b.len();
    for r in 0..n {
        if b.role(r) != Role::Boiler(BoilerplateKind::RelatedLinks) {
            continue;
        }
        let mut j = r;
        let mut seen = 0;
        while let Some(k) = b.next_content(j) {
            seen += 1;
            if seen > 12 {
                break;
            }
            match b.role(k) {
                Role::Boiler(BoilerplateKind::Teaser | BoilerplateKind::Navigation) => {}
                Role::Unknown => {
                    let Some(info) = b.info(k) else { break };
                    if info.is_prose() || info.words < 2 || info.words > 25 {
                        break;
                    }
                    b.set(
                        k,
                        Role::Boiler(BoilerplateKind::Teaser),
                        "a headline listed under a related-articles header",
                    );
                }
                _ => break,
            }
            j = k;
        }
    }
    let outside = |i: usize| i < body_start || i > body_end;
    for i in 0..n {
        if outside(i)
            && b.role(i) == Role::Unknown
            && boilerplate::is_section_label_folded(b.folded(i))
        {
            b.set(
                i,
                Role::Boiler(BoilerplateKind::Navigation),
                "a site section label outside the article",
            );
        }
    }
    // Short lines between boilerplate lines are menu items; two sweeps let a
    // menu of unknown labels be absorbed from both ends.
    let menu_item = |b: &Builder<'_>, i: usize| {
        outside(i)
            && b.role(i) == Role::Unknown
            && b.info(i)
                .is_some_and(|x| x.words <= 4 && x.end == End::Open && !x.whole_quote)
            && b.prev_content(i).is_none_or(|p| b.is_boiler(p))
            && b.next_content(i).is_none_or(|q| b.is_boiler(q))
            && (b.prev_content(i).is_some() || b.next_content(i).is_some())
    };
    for i in (0..n).chain((0..n).rev()) {
        if menu_item(b, i) {
            b.set(
                i,
                Role::Boiler(BoilerplateKind::Navigation),
                "a menu item among other navigation lines",
            );
        }
    }
}

/// Pass 5: captions above photo credits, then short body lines.
fn mark_captions_and_headings(
    b: &mut Builder<'_>,
    body_start: usize,
    body_end: usize,
    blank_separated: bool,
) {
    let n = b.len();
    // Captions sit above their photo credit.
    for p in 0..n {
        if b.role(p) != Role::Boiler(BoilerplateKind::PhotoCredit) {
            continue;
        }
        // The lines above the credit, nearest first.
        let mut above: Vec<usize> = Vec::new();
        let mut j = p;
        while let Some(k) = b.prev_content(j) {
            if above.len() >= 4 || b.role(k) != Role::Unknown {
                break;
            }
            above.push(k);
            j = k;
        }
        let names_picture = |k: usize| cue_of(b.folded(k), Cue::Caption).is_some();
        let short = |k: usize| b.info(k).is_some_and(Info::is_short);
        let mut block: Vec<usize> = Vec::new();
        if let Some(pos) = above.iter().take(3).position(|&k| names_picture(k)) {
            // A caption that says so (`Ci-dessus, …`, `Pictured: …`), the lines
            // between it and the credit, and an image title right above it.
            block.extend(above.iter().take(pos + 1));
            if let Some(&t) = above.get(pos + 1).filter(|&&t| short(t)) {
                block.push(t);
            }
        } else {
            for (taken, &k) in above.iter().take(3).enumerate() {
                let prev = if taken == 0 {
                    p
                } else {
                    block.last().copied().unwrap_or(p)
                };
                // In a page of paragraphs, the caption block is the credit's own
                // paragraph; line by line, the line right above the credit.
                let same_block = if blank_separated {
                    k + 1 == prev
                } else {
                    taken == 0
                };
                if !(same_block || short(k)) {
                    break;
                }
                block.push(k);
            }
        }
        for k in block {
            b.set(k, Role::Caption, "an image caption above a photo credit");
        }
    }

    if body_start > body_end {
        return;
    }
    // The body's apostrophe habit.
    let (mut straight, mut curly) = (0usize, 0usize);
    for i in body_start..=body_end {
        if b.role(i) == Role::Unknown {
            if let Some(x) = b.info(i).filter(|x| x.is_prose()) {
                straight += x.straight_apostrophes;
                curly += x.curly_apostrophes;
            }
        }
    }
    let mismatch = |x: &Info<'_>| {
        (curly >= 3 && straight * 10 <= curly && x.straight_apostrophes > 0)
            || (straight >= 3 && curly * 10 <= straight && x.curly_apostrophes > 0)
    };

    #[derive(Clone, Copy, PartialEq)]
    enum Verdict {
        /// A caption; `true` when the cue is implicit (the page's own habit shows).
        Caption(&'static str, bool),
        Heading(&'static str),
        Neutral,
    }
    let candidates: Vec<usize> = (body_start..=body_end)
        .filter(|&i| b.role(i) == Role::Unknown && b.info(i).is_some_and(Info::is_short))
        .collect();
    let is_candidate = |i: usize| candidates.binary_search(&i).is_ok();
    // Whether a quotation is open before each line of the body. A quotation
    // runs until its closing mark; in a page of paragraphs, a paragraph that
    // does not reopen it with a mark ends it (closers go missing in scraped
    // copies, and quotations over several paragraphs reopen each one).
    let mut open_before = vec![false; n];
    let mut open = false;
    for i in body_start..=body_end {
        if b.role(i) == Role::Blank || b.is_boiler(i) {
            continue;
        }
        let Some(x) = b.info(i) else { continue };
        if let Some(slot) = open_before.get_mut(i) {
            *slot = open;
        }
        if blank_separated && !x.starts_quote {
            open = false;
        }
        let has_closer = x.text.chars().any(|c| CLOSERS.contains(&c));
        open = match x.quote_excess {
            e if e > 0 => true,
            e if e < 0 => false,
            _ if has_closer => false,
            _ => open,
        };
    }
    let mut verdicts: Vec<(usize, Verdict, bool)> = Vec::new();
    for &c in &candidates {
        let Some(x) = b.info(c) else { continue };
        let next_line = b.next_text(c);
        let next = next_line.and_then(|q| b.info(q));
        let follows_text =
            next_line.is_some_and(|q| !is_candidate(q) && b.role(q) == Role::Unknown);
        let interrupts_quote = open_before.get(c).copied().unwrap_or(false)
            && next.is_some_and(|q| q.starts_quote || q.quote_excess < 0);
        let verdict = if mismatch(x) {
            Verdict::Caption(
                "its apostrophes differ from the body's, as scraped image text does",
                true,
            )
        } else if interrupts_quote && !x.whole_quote {
            Verdict::Caption("it interrupts a quotation that goes on after it", true)
        } else if cue_of(b.folded(c), Cue::Caption).is_some() {
            Verdict::Caption("it describes a picture", false)
        } else if x.whole_quote || x.text.starts_with('#') || x.is_all_caps() {
            Verdict::Heading("a short quoted or marked line opening a passage")
        } else {
            Verdict::Neutral
        };
        verdicts.push((c, verdict, follows_text));
    }
    // Does the page drop captions inline, unmarked? (A caption that names its
    // picture, or sits above a credit, says nothing of the other short lines.)
    // The habit must be common enough: one odd line among several subheadings
    // does not turn them into captions.
    let implicit = verdicts
        .iter()
        .filter(|(_, v, _)| matches!(v, Verdict::Caption(_, true)))
        .count();
    let neutral = verdicts
        .iter()
        .filter(|(_, v, _)| *v == Verdict::Neutral)
        .count();
    let inline_captions = implicit > 0 && implicit * 2 >= neutral;
    for (c, verdict, follows_text) in verdicts {
        match verdict {
            Verdict::Caption(why, _) => {
                b.set(c, Role::Caption, format!("an image caption: {why}"));
            }
            Verdict::Heading(why) if follows_text => b.set(c, Role::Heading, why),
            Verdict::Heading(_) => {}
            Verdict::Neutral => {
                let has_text_after = b.next_text(c).is_some();
                if inline_captions && has_text_after {
                    b.set(
                        c,
                        Role::Caption,
                        "a short line between paragraphs on a page that drops image captions into the text",
                    );
                } else if !inline_captions && follows_text {
                    b.set(
                        c,
                        Role::Heading,
                        "a short line without punctuation opening a passage",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
