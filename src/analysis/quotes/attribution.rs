//! Speaker attribution: finds the attribution cues of an article (speech verbs
//! in every tense and inversion, `selon` / `according to`), the noun phrase
//! each one credits (subject before the verb, inverted subject after it,
//! clitic of `a-t-il`, apposition `Le porte-parole du Kremlin, Dmitri Peskov,`),
//! classifies it (name, pronoun, definite description, described or vague
//! source), resolves pronouns and definite descriptions against the recent
//! speakers and subjects of the article, and gives each quotation the cue of
//! its sentence, of the adjacent sentence, or of the quotation it continues.
//!
//! Every search is bounded (a sentence, a few paragraphs, a fixed number of
//! candidates), so the whole pass is linear in the size of the article.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::{Atom, Attribution, Cue, Language, Lines, Mention, QuoteKind, Span};

use super::marks::RawQuote;
use super::names::{self, Cand};
use super::tables::{Phrases, Tables};
use super::tokens::{self, Kind, Token};

const NONE: usize = usize::MAX;
/// Longest noun phrase read around a verb, in tokens.
const MAX_NP: usize = 12;
/// Farthest a cue is looked for from a quotation inside its sentence, in tokens.
const MAX_REACH: usize = 80;
/// Most candidates examined by one backward or forward search.
const MAX_LOOK: usize = 200;
/// A quotation of at most this many words inside a sentence is a term.
const TERM_MAX_WORDS: usize = 3;
/// A caption or heading line has at most this many words.
const SHORT_LINE_WORDS: usize = 20;

/// What one quotation is credited to.
#[derive(Debug, Clone, PartialEq)]
pub struct Attributed {
    pub kind: QuoteKind,
    pub attribution: Attribution,
    pub speaker: Option<Atom>,
    pub speaker_span: Option<Span>,
    pub cue: Option<Cue>,
    pub nearest_candidate: Option<Atom>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Verb,
    Prep,
    Participle,
    /// `Zelensky: “…”`: a name and a colon before a quotation, no verb.
    Colon,
}

#[derive(Debug, Clone)]
struct CueHit {
    kind: CueKind,
    /// First token (auxiliary, verb or preposition) and last token, inclusive.
    first: usize,
    last: usize,
    /// The inverted subject clitic (`a-t-il`, `dit-elle`) and its span.
    clitic: Option<(Span, String)>,
    /// Token range of the reported speech (`que …`, `: …`).
    reported: Option<(usize, usize)>,
    /// An incise inside a quotation (`« …, explique-t-elle. … »`).
    inside: bool,
}

#[derive(Debug, Clone)]
enum RawSpeaker {
    Name(usize),
    Pronoun {
        span: Span,
        text: String,
    },
    Plural {
        span: Span,
        text: String,
    },
    DefPerson {
        span: Span,
        text: String,
        words: Vec<String>,
    },
    Described {
        span: Span,
        text: String,
        head: String,
    },
    Vague {
        span: Span,
        text: String,
    },
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
enum Resolved {
    Named(usize),
    Described {
        text: String,
        span: Span,
        head: String,
    },
    Anonymous {
        text: String,
        span: Span,
    },
    Unknown,
}

#[derive(Debug, Clone)]
struct Event {
    pos: usize,
    block: usize,
    referent: Resolved,
    /// Made by a speech verb (its subject speaks), not by `selon`.
    verb: bool,
}

/// Where a quotation's attribution comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Cue(usize),
    /// `“…” — Name`, or an embed header line (`Name (@handle) date`).
    Named(usize),
    Parent(usize),
    Continues(usize),
    PrevQuote(usize),
    /// An answer after a question of an interview: the interviewee.
    Interview,
    Heading,
    Nothing,
}

struct Sentence {
    start: usize,
    end: usize,
    block: usize,
}

struct Doc<'a> {
    text: &'a str,
    tabs: &'a Tables,
    extra: Phrases,
    toks: Vec<Token>,
    /// Per token: the top-level quotation it belongs to (marks included).
    qid: Vec<usize>,
    sent_of: Vec<usize>,
    sents: Vec<Sentence>,
    /// Per line: its paragraph block (NONE for blank lines).
    block_of_line: Vec<usize>,
    body_line: Vec<bool>,
    /// Per block: number of body blocks before it, and whether it is body.
    rank: Vec<usize>,
    body_block: Vec<bool>,
    cands: Vec<Cand>,
    cues: Vec<CueHit>,
    cue_of_tok: Vec<usize>,
    reported: Vec<bool>,
    /// Longest written form of each person key.
    display: HashMap<String, String>,
    first_pos_of_key: HashMap<String, usize>,
    /// What each cue credits, before resolution.
    raw: Vec<RawSpeaker>,
}

/// Attributes every quotation (same order as `quotes`).
///
/// `known` lists the lines the structure analysis knows to be captions,
/// boilerplate or the title (sorted).
pub fn attribute(
    text: &str,
    lines: &Lines,
    known: &[usize],
    mentions: &[Mention],
    language: Language,
    extra_verbs: &[String],
    quotes: &[RawQuote],
) -> Vec<Attributed> {
    let tabs = Tables::get(language);
    let toks = tokens::tokenize(text, lines, &|w| tabs.is_elision(w));
    let mut extra = Phrases::default();
    for v in extra_verbs {
        let words: Vec<&str> = v.split_whitespace().collect();
        // `a martelé`: the auxiliary is found on its own
        let start = usize::from(
            words.len() > 1
                && words
                    .first()
                    .is_some_and(|w| tabs.auxiliaries.contains(&tokens::normalise(w))),
        );
        extra.add(&words.get(start..).unwrap_or(&[]).join(" "), &|w| {
            tabs.is_elision(w)
        });
    }
    let n = toks.len();
    let mut doc = Doc {
        text,
        tabs,
        extra,
        qid: vec![NONE; n],
        sent_of: vec![0; n],
        sents: Vec::new(),
        block_of_line: vec![NONE; lines.len()],
        body_line: vec![false; lines.len()],
        rank: Vec::new(),
        body_block: Vec::new(),
        cands: Vec::new(),
        cues: Vec::new(),
        cue_of_tok: vec![NONE; n],
        reported: vec![false; n],
        display: HashMap::default(),
        first_pos_of_key: HashMap::default(),
        raw: Vec::new(),
        toks,
    };
    doc.blocks(lines, known);
    let parents = nesting(quotes);
    doc.mark_quotes(quotes, &parents);
    doc.sentences(quotes, &parents);
    let body_line = doc.body_line.clone();
    doc.cands = names::candidates(text, &doc.toks, mentions, tabs, &|l| {
        body_line.get(l).copied().unwrap_or(false)
    });
    doc.index_names();
    doc.find_cues();
    let raw: Vec<RawSpeaker> = (0..doc.cues.len()).map(|c| doc.speaker_of(c)).collect();
    doc.raw = raw.clone();
    let sources: Vec<Source> = (0..quotes.len())
        .map(|i| doc.source_of(i, quotes, &parents))
        .collect();
    // names inside a cue's quotations and reported clause are not its speaker
    let mut excluded: Vec<HashSet<String>> = vec![HashSet::default(); doc.cues.len()];
    for (i, s) in sources.iter().enumerate() {
        if let (Source::Cue(c), Some(q)) = (s, quotes.get(i)) {
            if let Some(ex) = excluded.get_mut(*c) {
                doc.keys_within(q.content, ex);
            }
        }
    }
    for (c, ex) in excluded.iter_mut().enumerate() {
        if let Some((a, b)) = doc.cues.get(c).and_then(|c| c.reported) {
            if let (Some(ta), Some(tb)) = (doc.toks.get(a), doc.toks.get(b.saturating_sub(1))) {
                doc.keys_within(Span::new(ta.span.start, tb.span.end), ex);
            }
        }
    }
    // only cues that report speech make their speaker an antecedent
    let mut speech: Vec<bool> = doc
        .cues
        .iter()
        .map(|c| c.reported.is_some() || matches!(c.kind, CueKind::Prep | CueKind::Verb))
        .collect();
    for s in &sources {
        if let Source::Cue(c) = s {
            if let Some(slot) = speech.get_mut(*c) {
                *slot = true;
            }
        }
    }
    let resolved = doc.resolve_all(&raw, &excluded, &speech);
    doc.assemble(quotes, &parents, &sources, &resolved)
}

/// For each quotation, the quotation it is nested in (spans include the marks).
fn nesting(quotes: &[RawQuote]) -> Vec<Option<usize>> {
    let outer = |q: &RawQuote| {
        Span::new(
            q.open.map_or(q.content.start, |o| o.start),
            q.close.map_or(q.content.end, |c| c.end),
        )
    };
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| {
        quotes
            .get(i)
            .map(|q| (outer(q).start, std::cmp::Reverse(outer(q).end)))
    });
    let mut parents = vec![None; quotes.len()];
    let mut stack: Vec<(usize, Span)> = Vec::new();
    for i in order {
        let Some(q) = quotes.get(i) else { continue };
        let s = outer(q);
        while stack.last().is_some_and(|&(_, t)| t.end <= s.start) {
            stack.pop();
        }
        if let Some(&(p, t)) = stack.last() {
            if t.start <= s.start && s.end <= t.end && t != s {
                if let Some(slot) = parents.get_mut(i) {
                    *slot = Some(p);
                }
            }
        }
        stack.push((i, s));
    }
    parents
}

impl Doc<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.toks
            .get(i)
            .filter(|t| t.is_word())
            .map(|t| t.norm.as_str())
    }

    fn in_quote(&self, i: usize) -> bool {
        self.qid.get(i).is_some_and(|&q| q != NONE)
    }

    fn block_of_tok(&self, i: usize) -> usize {
        self.tok(i)
            .and_then(|t| self.block_of_line.get(t.line).copied())
            .unwrap_or(NONE)
    }

    fn is_body_tok(&self, i: usize) -> bool {
        self.tok(i)
            .and_then(|t| self.body_line.get(t.line).copied())
            .unwrap_or(false)
    }

    /// Whether an item in block `item` is within `back` body paragraphs before block `here`.
    fn within(&self, item: usize, here: usize, back: usize) -> bool {
        if item == here {
            return true;
        }
        if item > here || item == NONE || here == NONE {
            return false;
        }
        let (Some(&ri), Some(&rh)) = (self.rank.get(item), self.rank.get(here)) else {
            return false;
        };
        rh.saturating_sub(ri) <= back
    }

    // ---------------------------------------------------------------- layout

    fn blocks(&mut self, lines: &Lines, known: &[usize]) {
        let text = self.text;
        for (b, (first, last)) in lines.paragraphs(text).into_iter().enumerate() {
            let mut body = false;
            for line in first..=last {
                if let Some(slot) = self.block_of_line.get_mut(line) {
                    *slot = b;
                }
                let is_body =
                    known.binary_search(&line).is_err() && !caption_like(lines.text(text, line));
                if let Some(slot) = self.body_line.get_mut(line) {
                    *slot = is_body;
                }
                body |= is_body;
            }
            let before = self.rank.len();
            let count = self.body_block.iter().filter(|&&x| x).count();
            let _ = before;
            self.rank.push(count);
            self.body_block.push(body);
        }
    }

    fn mark_quotes(&mut self, quotes: &[RawQuote], parents: &[Option<usize>]) {
        for (i, q) in quotes.iter().enumerate() {
            if parents.get(i).copied().flatten().is_some() {
                continue;
            }
            let start = q.open.map_or(q.content.start, |o| o.start);
            let end = q.close.map_or(q.content.end, |c| c.end);
            let mut k = names::token_at(&self.toks, start);
            while let Some(t) = self.toks.get(k) {
                if t.span.start >= end {
                    break;
                }
                if let Some(slot) = self.qid.get_mut(k) {
                    if *slot == NONE {
                        *slot = i;
                    }
                }
                k += 1;
            }
        }
    }

    /// Splits the tokens into sentences; boundaries inside quotations do not count.
    fn sentences(&mut self, quotes: &[RawQuote], parents: &[Option<usize>]) {
        let text = self.text;
        let n = self.toks.len();
        // a closing mark after `.`/`!`/`?` inside the quotation ends the sentence
        // when a capitalised word or a new quotation follows
        let mut ends_after_close: HashSet<usize> = HashSet::default();
        for (i, q) in quotes.iter().enumerate() {
            if parents.get(i).copied().flatten().is_some() {
                continue;
            }
            let Some(close) = q.close else { continue };
            let last = q.content.text(text).trim_end().chars().last();
            if !last.is_some_and(|c| matches!(c, '.' | '!' | '?' | '…')) {
                continue;
            }
            let k = names::token_at(&self.toks, close.start);
            let next = self.toks.get(k + 1);
            if next.is_some_and(|t| t.is_capitalised(text) || t.kind == Kind::Mark) {
                ends_after_close.insert(k);
            }
        }
        let mut start = 0;
        for i in 0..n {
            let Some(t) = self.toks.get(i) else { break };
            let next = self.toks.get(i + 1);
            let mut boundary = next.is_none();
            if !boundary {
                let nt = next.map(|x| x.line).unwrap_or(t.line);
                let same_block = self.block_of_line.get(nt) == self.block_of_line.get(t.line);
                if !same_block {
                    boundary = true;
                } else if nt != t.line {
                    let inside = self.qid.get(i) == self.qid.get(i + 1) && self.in_quote(i);
                    let lower = next.is_some_and(|x| x.is_word() && !x.is_capitalised(text));
                    boundary = !inside && !lower;
                } else if !self.in_quote(i) {
                    if let Some(c) = t.punct(text) {
                        if matches!(c, '.' | '!' | '?' | '…') && !self.abbreviation_before(i) {
                            boundary = true;
                        }
                    }
                } else if ends_after_close.contains(&i) {
                    boundary = true;
                }
            }
            if let Some(slot) = self.sent_of.get_mut(i) {
                *slot = self.sents.len();
            }
            if boundary {
                let block = self.block_of_tok(start);
                self.sents.push(Sentence {
                    start,
                    end: i + 1,
                    block,
                });
                start = i + 1;
            }
        }
    }

    /// Whether the `.` at `i` ends an honorific or an initial (`M.`, `J.`).
    fn abbreviation_before(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1).and_then(|p| self.toks.get(p)) else {
            return false;
        };
        if !prev.is_word() || self.toks.get(i).map(|t| t.span.start) != Some(prev.span.end) {
            return false;
        }
        let w = prev.span.text(self.text);
        self.tabs.honorifics.contains(&prev.norm)
            || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
    }

    fn index_names(&mut self) {
        for (i, c) in self.cands.iter().enumerate() {
            let _ = i;
            if c.is_person() || c.org {
                let e = self.display.entry(c.key.clone()).or_default();
                if c.text.chars().count() > e.chars().count() {
                    *e = c.text.clone();
                }
            }
            self.first_pos_of_key
                .entry(c.key.clone())
                .or_insert(c.toks.0);
        }
    }

    fn display_of(&self, c: usize) -> Option<String> {
        let cand = self.cands.get(c)?;
        Some(
            self.display
                .get(&cand.key)
                .filter(|d| d.ends_with(cand.text.as_str()))
                .cloned()
                .unwrap_or_else(|| cand.text.clone()),
        )
    }

    fn keys_within(&self, span: Span, out: &mut HashSet<String>) {
        let a = self.cands.partition_point(|c| c.span.start < span.start);
        for c in self.cands.iter().skip(a) {
            if c.span.start >= span.end {
                break;
            }
            out.insert(c.key.clone());
        }
    }

    // ---------------------------------------------------------------- cues

    fn is_verb_at(&self, i: usize) -> Option<usize> {
        self.tabs
            .verbs
            .match_at(&self.toks, i)
            .or_else(|| self.extra.match_at(&self.toks, i))
    }

    /// `a-t-il`, `dit-elle`, `estime-t-on`: (first part, clitic, clitic span).
    fn inversion(&self, i: usize) -> Option<(String, String, Span)> {
        let t = self.tok(i)?;
        if !t.is_word() || !t.norm.contains('-') {
            return None;
        }
        let parts: Vec<&str> = t.norm.split('-').collect();
        let last = *parts.last()?;
        let first = *parts.first()?;
        let clitic = self.tabs.pronouns.contains_word(last)
            || self.tabs.plural_pronouns.contains(last)
            || self.tabs.impersonal.contains(last);
        if !clitic || parts.len() < 2 {
            return None;
        }
        let written = t.span.text(self.text);
        let cut = written.len().checked_sub(last.len())?;
        let span = Span::new(t.span.start + cut, t.span.end);
        Some((first.to_string(), span.text(self.text).to_string(), span))
    }

    fn find_cues(&mut self) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let is_word = self.tok(i).is_some_and(|t| t.is_word());
            if is_word && self.in_quote(i) {
                // `« …, explique-t-elle. … »`: an incise inside the quotation
                let after_comma = i
                    .checked_sub(1)
                    .and_then(|p| self.tok(p))
                    .is_some_and(|p| p.norm == ",");
                if let Some((_, clitic, span)) = self.inversion(i).filter(|_| after_comma) {
                    self.push_cue(CueKind::Verb, i, i, Some((span, clitic)));
                    if let Some(c) = self.cues.last_mut() {
                        c.inside = true;
                    }
                }
                i += 1;
                continue;
            }
            if !is_word {
                // `Zelensky: “…”`
                let colon = self.tok(i).is_some_and(|t| t.norm == ":") && !self.in_quote(i);
                let quote_next = self.in_quote(i + 1);
                let after_cue = i
                    .checked_sub(1)
                    .and_then(|p| self.cue_of_tok.get(p))
                    .is_some_and(|&c| c != NONE);
                if colon && quote_next && !after_cue {
                    self.push_cue(CueKind::Colon, i, i, None);
                }
                i += 1;
                continue;
            }
            let prev_word = i
                .checked_sub(1)
                .and_then(|p| self.word(p))
                .map(str::to_string);
            let at_sentence_start = self.sentence_bounds(i).0 == i;
            if at_sentence_start
                && self
                    .word(i)
                    .is_some_and(|w| self.tabs.opening_prepositions.contains(w))
            {
                self.push_cue(CueKind::Prep, i, i, None);
                i += 1;
                continue;
            }
            if prev_word
                .as_deref()
                .is_some_and(|w| self.tabs.pp.contains(w))
                && self
                    .word(i)
                    .is_some_and(|w| self.tabs.infinitives.contains(w))
            {
                // `s'est contenté de déclarer`, `a tenu à préciser`
                let first = self.auxiliary_before(i.saturating_sub(1)).unwrap_or(i);
                self.push_cue(CueKind::Verb, first.min(i), i, None);
                i += 1;
                continue;
            }
            if let Some(len) = self.tabs.prepositions.match_at(&self.toks, i) {
                self.push_cue(CueKind::Prep, i, i + len - 1, None);
                i += len;
                continue;
            }
            // inverted auxiliary then participle: `a-t-il déclaré`
            if let Some((first, clitic, span)) = self.inversion(i) {
                if self.tabs.auxiliaries.contains(&first) {
                    let mut j = i + 1;
                    let mut skipped = 0;
                    while skipped < 3 && self.word(j).is_some_and(|w| self.tabs.adverbs.contains(w))
                    {
                        j += 1;
                        skipped += 1;
                    }
                    if let Some(len) = self.is_verb_at(j) {
                        self.push_cue(CueKind::Verb, i, j + len - 1, Some((span, clitic)));
                        i = j + len;
                        continue;
                    }
                } else if self.tabs.verbs.contains_word(&first)
                    || self.tabs.participles.contains(&first)
                    || self.right_after_quote(i)
                {
                    // `dit-il`; after a quotation any inverted verb is an
                    // attribution (`pouvait-on lire`, `sourit-elle`)
                    self.push_cue(CueKind::Verb, i, i, Some((span, clitic)));
                    i += 1;
                    continue;
                }
            }
            if let Some(len) = self.is_verb_at(i) {
                // `la note`, `the president's claims`: a noun, not a verb
                let after_det = i
                    .checked_sub(1)
                    .and_then(|p| self.word(p))
                    .is_some_and(|w| {
                        (self.tabs.is_determiner(w) && !self.tabs.auxiliaries.contains(w))
                            || w.ends_with("'s")
                    });
                let aux = self.auxiliary_before(i);
                let bare_participle = aux.is_none()
                    && self
                        .word(i)
                        .is_some_and(|w| self.tabs.past_participles.contains(w));
                if !after_det && !bare_participle {
                    let first = aux.unwrap_or(i);
                    let clitic = if first != i {
                        self.inversion(first).map(|(_, c, s)| (s, c))
                    } else {
                        None
                    };
                    self.push_cue(CueKind::Verb, first, i + len - 1, clitic);
                    i += len;
                    continue;
                }
            }
            // a participle opens a clause (`, ajoutant que`, `en précisant`); after
            // any other word it is a noun or an adjective (`a chilling warning`)
            let clause_opening = match i.checked_sub(1).and_then(|p| self.tok(p)) {
                None => true,
                Some(p) => {
                    !p.is_word()
                        || p.line != self.tok(i).map_or(p.line, |t| t.line)
                        || self.tabs.pp.contains(&p.norm)
                        || self.tabs.clause_starts.contains(&p.norm)
                }
            };
            if clause_opening
                && self
                    .word(i)
                    .is_some_and(|w| self.tabs.participles.contains(w))
            {
                self.push_cue(CueKind::Participle, i, i, None);
            }
            i += 1;
        }
    }

    /// Whether token `i` comes right after a closing quotation mark (and a comma).
    fn right_after_quote(&self, i: usize) -> bool {
        let mut k = i;
        if k.checked_sub(1)
            .and_then(|p| self.tok(p))
            .is_some_and(|p| p.norm == ",")
        {
            k -= 1;
        }
        k.checked_sub(1).is_some_and(|p| self.in_quote(p))
    }

    /// The auxiliary of a compound tense (`a déclaré`, `a également déclaré`).
    fn auxiliary_before(&self, v: usize) -> Option<usize> {
        let mut k = v;
        for _ in 0..4 {
            k = k.checked_sub(1)?;
            let t = self.tok(k)?;
            if !t.is_word() {
                return None;
            }
            if self.tabs.auxiliaries.contains(&t.norm) {
                return Some(k);
            }
            if let Some((first, _, _)) = self.inversion(k) {
                return self.tabs.auxiliaries.contains(&first).then_some(k);
            }
            if !self.tabs.adverbs.contains(&t.norm) {
                return None;
            }
        }
        None
    }

    fn push_cue(
        &mut self,
        kind: CueKind,
        first: usize,
        last: usize,
        clitic: Option<(Span, String)>,
    ) {
        let idx = self.cues.len();
        let sent_end = self
            .sent_of
            .get(last)
            .and_then(|&s| self.sents.get(s))
            .map_or(last + 1, |s| s.end);
        let mut reported = None;
        if kind != CueKind::Prep {
            for k in last + 1..(last + 12).min(sent_end) {
                let Some(t) = self.tok(k) else { break };
                if self.in_quote(k) {
                    // `a déclaré “…”`: the quotation is the content
                    reported = Some((k, sent_end));
                    break;
                }
                if t.is_word() && self.tabs.report_links.contains(&t.norm) || t.norm == ":" {
                    reported = Some((k, sent_end));
                    break;
                }
                if !t.is_word() && t.norm != "," {
                    break;
                }
            }
        }
        if let Some((a, b)) = reported {
            for k in a..b.min(a + MAX_REACH) {
                if let Some(slot) = self.reported.get_mut(k) {
                    *slot = true;
                }
            }
        }
        for k in first..=last {
            if let Some(slot) = self.cue_of_tok.get_mut(k) {
                *slot = idx;
            }
        }
        self.cues.push(CueHit {
            kind,
            first,
            last,
            clitic,
            reported,
            inside: false,
        });
    }

    fn cue_of(&self, c: usize) -> Option<Cue> {
        let hit = self.cues.get(c)?;
        let a = self.tok(hit.first)?.span.start;
        let b = self.tok(hit.last)?.span.end;
        let span = Span::new(a, b);
        Some(Cue {
            span: span.into(),
            text: span.text(self.text).into(),
        })
    }

    // ---------------------------------------------------------------- noun phrases

    fn sentence_bounds(&self, i: usize) -> (usize, usize) {
        self.sent_of
            .get(i)
            .and_then(|&s| self.sents.get(s))
            .map_or((0, self.toks.len()), |s| (s.start, s.end))
    }

    /// The noun phrase ending just before token `end` (a subject).
    fn np_left(&self, end: usize) -> (usize, usize) {
        let (s0, _) = self.sentence_bounds(end.saturating_sub(1));
        let mut k = end;
        let mut taken = 0;
        while k > s0 && taken < MAX_NP {
            let p = k - 1;
            let Some(t) = self.tok(p) else { break };
            if self.in_quote(p) {
                break;
            }
            if t.norm == "." {
                // `M. Veser`
                let hon = p
                    .checked_sub(1)
                    .and_then(|q| self.word(q))
                    .is_some_and(|w| self.tabs.honorifics.contains(w));
                if hon && p > s0 {
                    k = p;
                    continue;
                }
                break;
            }
            if !t.is_word() {
                break;
            }
            let w = t.norm.as_str();
            let of = matches!(w, "de" | "du" | "des" | "d'" | "of");
            // `a source close to the talks`: the phrase goes on
            let linked = p
                .checked_sub(1)
                .and_then(|q| self.word(q))
                .is_some_and(|q| self.tabs.np_links.contains(q));
            if self.tabs.clause_starts.contains(w) || (self.tabs.pp.contains(w) && !of && !linked) {
                break;
            }
            if self.cue_of_tok.get(p).is_some_and(|&c| c != NONE)
                || self.tabs.auxiliaries.contains(w)
            {
                break;
            }
            k = p;
            taken += 1;
        }
        // a phrase never starts with `de`
        while k < end
            && self
                .word(k)
                .is_some_and(|w| matches!(w, "de" | "du" | "des" | "d'" | "of"))
        {
            k += 1;
        }
        (k, end)
    }

    /// Whether a noun phrase starts a clause (sentence start, after a comma,
    /// colon, clause word or quotation).
    fn starts_clause(&self, start: usize) -> bool {
        let (s0, _) = self.sentence_bounds(start);
        if start <= s0 {
            return true;
        }
        let Some(p) = self.tok(start - 1) else {
            return true;
        };
        match p.kind {
            Kind::Mark => true,
            Kind::Punct => matches!(p.norm.as_str(), "," | ":" | ";" | "(" | "—" | "–" | "-"),
            Kind::Word => self.tabs.clause_starts.contains(&p.norm),
        }
    }

    /// The noun phrase starting at token `start` (an inverted subject or the
    /// object of `selon`), inside the sentence of the token before it.
    fn np_right(&self, start: usize) -> (usize, usize) {
        self.np_right_in(start, start.saturating_sub(1))
    }

    /// The noun phrase starting at token `start`, inside the sentence of `anchor`.
    fn np_right_in(&self, start: usize, anchor: usize) -> (usize, usize) {
        let (_, s1) = self.sentence_bounds(anchor);
        let mut k = start;
        let mut skipped = 0;
        while skipped < 3 && k < s1 && self.word(k).is_some_and(|w| self.tabs.adverbs.contains(w)) {
            k += 1;
            skipped += 1;
        }
        let a = k;
        // an inverted subject never starts with `que`
        if self
            .word(a)
            .is_some_and(|w| self.tabs.report_links.contains(w))
        {
            return (a, a);
        }
        while k < s1 && k - a < MAX_NP {
            let Some(t) = self.tok(k) else { break };
            if self.in_quote(k) {
                break;
            }
            if t.norm == "." {
                let hon = k
                    .checked_sub(1)
                    .and_then(|q| self.word(q))
                    .is_some_and(|w| self.tabs.honorifics.contains(w));
                if hon {
                    k += 1;
                    continue;
                }
                break;
            }
            if !t.is_word() {
                break;
            }
            let w = t.norm.as_str();
            if k > a
                && (self.tabs.np_breaks.contains(w)
                    || self.tabs.report_links.contains(w)
                    || self.tabs.auxiliaries.contains(w))
            {
                break;
            }
            if self.cue_of_tok.get(k).is_some_and(|&c| c != NONE) && k > a {
                break;
            }
            k += 1;
        }
        (a, k)
    }

    /// A comma-delimited apposition right after a noun phrase ending at `end`
    /// (`said the minister, Jaroslav Nad.`): a few words with no verb, closed by
    /// a comma or the end of the sentence.
    fn apposition_after(&self, end: usize) -> Option<(usize, usize)> {
        if self.tok(end).map(|t| t.norm.as_str()) != Some(",") {
            return None;
        }
        let (_, s1) = self.sentence_bounds(end);
        let a = end + 1;
        let mut k = a;
        while k < s1 && k - a < 7 {
            let t = self.tok(k)?;
            if !t.is_word() {
                let hon = t.norm == "."
                    && k.checked_sub(1)
                        .and_then(|p| self.word(p))
                        .is_some_and(|w| self.tabs.honorifics.contains(w));
                if hon {
                    k += 1;
                    continue;
                }
                break;
            }
            if self.tabs.auxiliaries.contains(&t.norm)
                || self.cue_of_tok.get(k).is_some_and(|&c| c != NONE)
            {
                return None;
            }
            k += 1;
        }
        let closed = k + 1 >= s1 || self.tok(k).is_some_and(|t| t.norm == ",");
        (k > a && closed).then_some((a, k))
    }

    fn speaker_of(&self, c: usize) -> RawSpeaker {
        let Some(hit) = self.cues.get(c) else {
            return RawSpeaker::Nothing;
        };
        if let Some((span, text)) = &hit.clitic {
            return self.classify_word(*span, text);
        }
        if hit.kind == CueKind::Prep {
            let (a, b) = self.np_right(hit.last + 1);
            return self.classify(a, b, self.apposition_after(b), false);
        }
        if hit.kind == CueKind::Colon {
            // `Zelensky: “…”`, `he was blunt: “…”`: the subject of the clause
            let (s0, _) = self.sentence_bounds(hit.first);
            let mut k = hit.first;
            while k > s0 && hit.first - k < MAX_NP {
                let Some(p) = self.tok(k - 1) else { break };
                if self.in_quote(k - 1)
                    || p.norm == ","
                    || p.norm == ";"
                    || self.tabs.clause_starts.contains(&p.norm)
                {
                    break;
                }
                k -= 1;
            }
            let (a, b) = self.np_right_in(k, hit.first);
            let b = b.min(hit.first);
            if b > a {
                return self.classify(a, b, None, false);
            }
            return RawSpeaker::Nothing;
        }
        // left of the verb: skip adverbs and reflexives (`ne`, `s'est`)
        let mut j = hit.first;
        for _ in 0..3 {
            match j.checked_sub(1).and_then(|p| self.word(p)) {
                Some(w) if self.tabs.adverbs.contains(w) || self.tabs.reflexives.contains(w) => {
                    j -= 1
                }
                _ => break,
            }
        }
        let (s0, _) = self.sentence_bounds(hit.first);
        let prev = j
            .checked_sub(1)
            .filter(|&p| p >= s0)
            .and_then(|p| self.tok(p));
        // `told reporters`: after such a verb comes the person spoken to
        let addressee = self
            .word(hit.last)
            .is_some_and(|w| self.tabs.addressee_verbs.contains(w));
        let after = || {
            if addressee && hit.clitic.is_none() {
                return RawSpeaker::Nothing;
            }
            if hit.kind == CueKind::Participle {
                // `X has issued a warning, claiming that …`: the subject of the sentence
                let (a, b) = self.np_right_in(s0, hit.first);
                if b > a && b <= hit.first {
                    return self.classify(a, b, None, false);
                }
                return RawSpeaker::Nothing;
            }
            let (a, b) = self.np_right(hit.last + 1);
            self.classify(a, b, self.apposition_after(b), true)
        };
        match prev {
            None => after(),
            Some(p) if p.kind == Kind::Mark || self.in_quote(j - 1) => after(),
            Some(p) if p.norm == "," => {
                // `X, apposition, a déclaré` or `…, a déclaré X`
                let comma = j - 1;
                let mut k = comma;
                let mut found = None;
                while k > s0 && comma - k < 24 {
                    k -= 1;
                    if self.in_quote(k) {
                        break;
                    }
                    if self.tok(k).is_some_and(|t| t.norm == ",") {
                        found = Some(k);
                        break;
                    }
                }
                if let Some(open) = found {
                    let (a, b) = self.np_left(open);
                    if b > a && self.starts_clause(a) {
                        return self.classify(a, b, Some((open + 1, comma)), false);
                    }
                }
                if hit.kind == CueKind::Participle {
                    return after();
                }
                let (a, b) = self.np_right(hit.last + 1);
                if b > a && !addressee {
                    return self.classify(a, b, self.apposition_after(b), true);
                }
                RawSpeaker::Nothing
            }
            Some(_) => {
                let (a, b) = self.np_left(j);
                // `“…,” the 58-year-old teacher said`: right after a quotation
                // the subject is the speaker whatever its noun
                let parenthetical = a > s0 && (a - 1..a).any(|p| self.in_quote(p))
                    || a > s0 + 1
                        && self.tok(a - 1).is_some_and(|t| t.norm == ",")
                        && self.in_quote(a - 2);
                match self.classify(a, b, None, parenthetical) {
                    RawSpeaker::Nothing => after(),
                    found => found,
                }
            }
        }
    }

    fn classify_word(&self, span: Span, text: &str) -> RawSpeaker {
        let w = tokens::normalise(text);
        let text = text.to_string();
        if self.tabs.impersonal.contains(&w) {
            RawSpeaker::Vague { span, text }
        } else if self.tabs.plural_pronouns.contains(&w) {
            RawSpeaker::Plural { span, text }
        } else {
            RawSpeaker::Pronoun { span, text }
        }
    }

    /// Whether candidate `c` heads the phrase `[a, b)` rather than complementing it.
    fn is_direct(&self, c: &Cand, a: usize, b: usize) -> bool {
        // the preposition before the phrase itself (`selon BelTA`, `Pour M. X`) does not count
        let heads_phrase = (a..c.toks.0).all(|k| {
            self.tok(k).is_some_and(|t| {
                t.norm == "."
                    || self.tabs.honorifics.contains(&t.norm)
                    || self.tabs.definite.contains(&t.norm)
            })
        });
        if (c.pp && !heads_phrase) || c.possessive {
            return false;
        }
        // `Kremlin spokesman`, `the Belarusian border committee`: a name before
        // a common noun of the same phrase modifies it
        let next = c.toks.1;
        if next < b {
            if let Some(t) = self.tok(next) {
                let function = self.tabs.pp.contains(&t.norm)
                    || self.tabs.is_determiner(&t.norm)
                    || self.tabs.particles.contains(&t.norm)
                    || self.tabs.clause_starts.contains(&t.norm);
                if t.is_word() && !t.is_capitalised(self.text) && !function {
                    return false;
                }
            }
        }
        true
    }

    fn cands_in(&self, a: usize, b: usize) -> impl Iterator<Item = (usize, &Cand)> {
        let start = self.cands.partition_point(|c| c.toks.0 < a);
        self.cands
            .iter()
            .enumerate()
            .skip(start)
            .take_while(move |(_, c)| c.toks.0 < b)
            .filter(move |(_, c)| c.toks.1 <= b)
    }

    /// Classifies the noun phrase `[a, b)` credited by a cue. `inverted`: the
    /// phrase follows its verb (`a témoigné une habitante`), where even an
    /// unknown noun is a speaker.
    fn classify(
        &self,
        a: usize,
        b: usize,
        appos: Option<(usize, usize)>,
        inverted: bool,
    ) -> RawSpeaker {
        if b <= a {
            return RawSpeaker::Nothing;
        }
        let (Some(ta), Some(tb)) = (self.tok(a), self.tok(b - 1)) else {
            return RawSpeaker::Nothing;
        };
        let span = Span::new(ta.span.start, tb.span.end);
        let text = one_line(span.text(self.text));
        if self.tabs.pronouns.match_at(&self.toks, a) == Some(b - a) {
            return RawSpeaker::Pronoun { span, text };
        }
        if b - a == 1 {
            if self.tabs.plural_pronouns.contains(&ta.norm) {
                return RawSpeaker::Plural { span, text };
            }
            if self.tabs.impersonal.contains(&ta.norm) {
                return RawSpeaker::Vague { span, text };
            }
        }
        let direct: Vec<usize> = self
            .cands_in(a, b)
            .filter(|(_, c)| self.is_direct(c, a, b))
            .map(|(i, _)| i)
            .collect();
        if let Some(&c) = direct
            .iter()
            .find(|&&c| self.cands.get(c).is_some_and(|c| c.is_person()))
            .or(direct.first())
        {
            return RawSpeaker::Name(c);
        }
        if let Some((pa, pb)) = appos {
            let in_appos = self.cands_in(pa, pb).find(|(_, c)| {
                self.is_direct(c, pa, pb) && (c.person != names::Person::Not || c.org)
            });
            if let Some((c, _)) = in_appos {
                return RawSpeaker::Name(c);
            }
        }
        // `Russia's defence ministry`: a possessive name is a definite determiner
        let possessive = self
            .cands_in(a, b)
            .find(|(_, c)| c.toks.0 == a && c.possessive)
            .map(|(_, c)| c.toks.1);
        let det = match possessive {
            Some(_) => Some("the".to_string()),
            None => self
                .word(a)
                .filter(|w| self.tabs.is_determiner(w))
                .map(str::to_string),
        };
        let body = possessive.unwrap_or(a + usize::from(det.is_some()));
        // the head noun by class, whatever its place (`le porte-parole du
        // ministère`, `the ministry spokesman`): vague, then role, then
        // institution, then a noun for words
        let window: Vec<&str> = (body..b.min(body + 6))
            .filter_map(|k| self.word(k))
            .collect();
        let tables = [
            &self.tabs.vague,
            &self.tabs.roles,
            &self.tabs.institutions,
            &self.tabs.reporting,
        ];
        let head: Option<String> = tables
            .iter()
            .find_map(|t| window.iter().find(|w| t.contains(**w)))
            .map(|w| w.to_string());
        let head_known = head.is_some();
        let head = head
            .or_else(|| self.word(body).map(str::to_string))
            .unwrap_or_default();
        if self.tabs.reporting.contains(&head) {
            if let Some((c, _)) = self.cands_in(a, b).next() {
                return RawSpeaker::Name(c);
            }
        }
        let det_w = det.as_deref().unwrap_or("");
        if self.tabs.vague.contains(&head) || self.tabs.plural_det.contains(det_w) {
            return RawSpeaker::Vague { span, text };
        }
        // `a video posted online`, `le pays répondra`: not a source
        if !(head_known || (inverted && det.is_some())) {
            return RawSpeaker::Nothing;
        }
        if !head_known && self.tabs.definite.contains(det_w) {
            // `the 58-year-old teacher`: someone already named, if anyone
            let words = (a..b)
                .filter_map(|k| self.word(k))
                .filter(|w| !self.tabs.is_determiner(w) && !self.tabs.pp.contains(*w))
                .map(str::to_string)
                .collect();
            return RawSpeaker::DefPerson { span, text, words };
        }
        if self.tabs.indefinite.contains(det_w) {
            return RawSpeaker::Described { span, text, head };
        }
        if self.tabs.institutions.contains(&head) {
            return RawSpeaker::Described { span, text, head };
        }
        if self.tabs.roles.contains(&head) {
            let words = (a..b)
                .filter_map(|k| self.word(k))
                .filter(|w| !self.tabs.is_determiner(w) && !self.tabs.pp.contains(*w))
                .map(str::to_string)
                .collect();
            return RawSpeaker::DefPerson { span, text, words };
        }
        RawSpeaker::Described { span, text, head }
    }

    // ---------------------------------------------------------------- quotations → cues

    fn q_tokens(&self, q: &RawQuote) -> (usize, usize) {
        let open = q.open.map_or(q.content.start, |o| o.start);
        let o = names::token_at(&self.toks, open);
        let c = match q.close {
            Some(cl) => names::token_at(&self.toks, cl.start),
            None => names::token_at(&self.toks, q.content.end).saturating_sub(1),
        };
        (o, c.max(o))
    }

    /// The cue of a quotation's own sentence.
    fn cue_in_sentence(&self, o: usize, c: usize) -> Option<usize> {
        let (s0, _) = self.sentence_bounds(o);
        let (_, s1) = self.sentence_bounds(c);
        let mut left: Vec<usize> = Vec::new();
        let mut k = o;
        let mut steps = 0;
        while k > s0 && steps < MAX_REACH {
            k -= 1;
            steps += 1;
            if self.in_quote(k) {
                continue;
            }
            if let Some(&cue) = self.cue_of_tok.get(k) {
                if cue != NONE && left.last() != Some(&cue) {
                    left.push(cue);
                }
            }
        }
        let mut right: Vec<(usize, usize)> = Vec::new();
        let mut words = 0;
        let mut k = c + 1;
        while k < s1 && k - c <= MAX_REACH {
            if !self.in_quote(k) {
                if let Some(&cue) = self.cue_of_tok.get(k) {
                    if cue != NONE && right.last().map(|r| r.0) != Some(cue) {
                        right.push((cue, words));
                    }
                }
                if self.tok(k).is_some_and(|t| t.is_word()) {
                    words += 1;
                }
            }
            k += 1;
        }
        let weak = |c: usize| {
            self.cues
                .get(c)
                .is_none_or(|h| matches!(h.kind, CueKind::Participle | CueKind::Colon))
        };
        // a cue that credits nobody (`the president's claims`) is no cue
        left.retain(|&c| self.credits(c));
        right.retain(|&(c, _)| self.credits(c));
        // `«…», a déclaré X` / `“…,” Smith said`
        if let Some(&(cue, before)) = right.first() {
            if before <= 6 && !weak(cue) {
                return Some(cue);
            }
        }
        if let Some(&cue) = left.iter().find(|&&c| !weak(c)) {
            return Some(cue);
        }
        if let Some(&(cue, _)) = right.iter().find(|&&(c, _)| !weak(c)) {
            return Some(cue);
        }
        left.first().copied().or_else(|| right.first().map(|r| r.0))
    }

    /// Whether a cue credits someone.
    fn credits(&self, c: usize) -> bool {
        !matches!(self.raw.get(c), Some(RawSpeaker::Nothing) | None)
    }

    /// The last cue of a sentence (outside quotations).
    fn last_cue_of(&self, s: usize) -> Option<usize> {
        let sent = self.sents.get(s)?;
        let start = sent.start.max(sent.end.saturating_sub(MAX_REACH * 2));
        (start..sent.end)
            .rev()
            .filter(|&k| !self.in_quote(k))
            .filter_map(|k| self.cue_of_tok.get(k).copied())
            .find(|&c| c != NONE && self.credits(c))
    }

    fn first_cue_of(&self, s: usize) -> Option<usize> {
        let sent = self.sents.get(s)?;
        (sent.start..sent.end.min(sent.start + MAX_REACH * 2))
            .filter(|&k| !self.in_quote(k))
            .filter_map(|k| self.cue_of_tok.get(k).copied())
            .find(|&c| c != NONE && self.credits(c))
    }

    /// The previous sentence in the same paragraph or the previous body
    /// paragraph, stepping over captions.
    fn prev_sentence(&self, s: usize) -> Option<usize> {
        let here = self.sents.get(s)?.block;
        let mut p = s;
        for _ in 0..4 {
            p = p.checked_sub(1)?;
            let sent = self.sents.get(p)?;
            if !self.within(sent.block, here, 1) {
                return None;
            }
            if self.is_body_tok(sent.start) {
                return Some(p);
            }
        }
        None
    }

    fn next_sentence(&self, s: usize) -> Option<usize> {
        let here = self.sents.get(s)?.block;
        let mut p = s;
        for _ in 0..4 {
            p += 1;
            let sent = self.sents.get(p)?;
            if sent.block != here && !self.within(here, sent.block, 1) {
                return None;
            }
            if self.is_body_tok(sent.start) {
                return Some(p);
            }
        }
        None
    }

    /// A name signing a quotation: `“…” — Name` on its line, or an embed
    /// header right above it in the same paragraph (`Name (@handle) date`).
    fn signature(&self, o: usize, c: usize) -> Option<usize> {
        let (_, s1) = self.sentence_bounds(c);
        let dash = self
            .tok(c + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "—" | "–" | "-"));
        if dash && c + 2 < s1 {
            let k = self.cands.partition_point(|x| x.toks.0 < c + 2);
            let signed = self
                .cands
                .get(k)
                .is_some_and(|x| x.toks.0 == c + 2 && x.person != names::Person::Not);
            if signed {
                return Some(k);
            }
        }
        let line = self.tok(o)?.line;
        let above = line.checked_sub(1)?;
        if self.block_of_line.get(above) != self.block_of_line.get(line)
            || self.body_line.get(above).copied().unwrap_or(true)
        {
            return None;
        }
        let first = self.toks.partition_point(|t| t.line < above);
        let k = self.cands.partition_point(|x| x.toks.0 < first);
        self.cands
            .get(k)
            .filter(|x| x.toks.0 == first && x.person >= names::Person::Medium)
            .map(|_| k)
    }

    /// Whether a quotation is a line of its own without final punctuation (a
    /// quoted subheading such as `“Une nouvelle agression”`).
    fn heading_like(&self, q: &RawQuote, o: usize, c: usize) -> bool {
        let (s0, s1) = self.sentence_bounds(o);
        let alone = (s0..s1).all(|k| k >= o && k <= c || !self.tok(k).is_some_and(|t| t.is_word()));
        let content = q.content.text(self.text).trim_end();
        let final_punct = content
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'));
        alone && !final_punct && content.split_whitespace().count() <= 10
    }

    fn source_of(&self, i: usize, quotes: &[RawQuote], parents: &[Option<usize>]) -> Source {
        if let Some(p) = parents.get(i).copied().flatten() {
            return Source::Parent(p);
        }
        let Some(q) = quotes.get(i) else {
            return Source::Nothing;
        };
        let (o, c) = self.q_tokens(q);
        if let Some(cue) = self.cue_in_sentence(o, c) {
            return Source::Cue(cue);
        }
        // `« …, explique-t-elle. … »`
        let incise = (o..=c)
            .filter_map(|k| self.cue_of_tok.get(k).copied())
            .find(|&cue| cue != NONE && self.cues.get(cue).is_some_and(|h| h.inside));
        if let Some(cue) = incise {
            return Source::Cue(cue);
        }
        if let Some(name) = self.signature(o, c) {
            return Source::Named(name);
        }
        if let Some(p) = q.continues {
            return Source::Continues(p);
        }
        if self.heading_like(q, o, c) {
            return Source::Heading;
        }
        let s = self.sent_of.get(o).copied().unwrap_or(0);
        if !self.floating(o, c) {
            return Source::Nothing;
        }
        let Some(p) = self.prev_sentence(s) else {
            return Source::Nothing;
        };
        if self.is_question(p) {
            return Source::Interview;
        }
        if let Some(src) = self.carried_from(p, i) {
            return src;
        }
        Source::Nothing
    }

    /// The speaker a sentence hands on to a floating quotation: its last cue,
    /// or its last quotation.
    fn carried_from(&self, p: usize, i: usize) -> Option<Source> {
        if let Some(cue) = self.last_cue_of(p) {
            return Some(Source::Cue(cue));
        }
        let sent = self.sents.get(p)?;
        (sent.start..sent.end)
            .rev()
            .filter_map(|k| self.qid.get(k).copied())
            .find(|&qi| qi != NONE && qi != i)
            .map(Source::PrevQuote)
    }

    /// Whether a sentence is a question of the author (`Is Belarus about to
    /// enter the war?`), as in an interview.
    fn is_question(&self, s: usize) -> bool {
        let Some(sent) = self.sents.get(s) else {
            return false;
        };
        let last = sent.end.checked_sub(1);
        last.is_some_and(|k| !self.in_quote(k) && self.tok(k).is_some_and(|t| t.norm == "?"))
    }

    // ---------------------------------------------------------------- resolution

    fn salient(&self, c: &Cand) -> bool {
        c.is_person()
            && !c.pp
            && !self.in_quote(c.toks.0)
            && !self.reported.get(c.toks.0).copied().unwrap_or(false)
            && self.is_body_tok(c.toks.0)
    }

    fn resolve_all(
        &self,
        raw: &[RawSpeaker],
        excluded: &[HashSet<String>],
        speech: &[bool],
    ) -> Vec<Resolved> {
        let salient: Vec<usize> = (0..self.cands.len())
            .filter(|&i| self.cands.get(i).is_some_and(|c| self.salient(c)))
            .collect();
        let mut events: Vec<Event> = Vec::new();
        let mut out = Vec::with_capacity(raw.len());
        let empty = HashSet::default();
        for (ci, r) in raw.iter().enumerate() {
            let Some(hit) = self.cues.get(ci) else {
                out.push(Resolved::Unknown);
                continue;
            };
            let block = self.block_of_tok(hit.first);
            let ex = excluded.get(ci).unwrap_or(&empty);
            // a pronoun or description is resolved from where it is written,
            // and never to a name inside it (`Putin's closest ally`)
            let (pos, own) = match r {
                RawSpeaker::Pronoun { span, .. } | RawSpeaker::DefPerson { span, .. } => {
                    let at = names::token_at(&self.toks, span.start).min(hit.first);
                    let mut own = ex.clone();
                    self.keys_within(*span, &mut own);
                    (at, own)
                }
                _ => (hit.first, ex.clone()),
            };
            let ex = &own;
            let res = match r {
                RawSpeaker::Name(c) => Resolved::Named(*c),
                RawSpeaker::Pronoun { span, text } => self
                    .backward(&salient, &events, pos, block, (1, 1), ex, false)
                    .or_else(|| self.second_reference(pos, block, ex))
                    .or_else(|| self.backward(&salient, &events, pos, block, (3, 3), ex, false))
                    .unwrap_or_else(|| Resolved::Described {
                        text: text.clone(),
                        span: *span,
                        head: String::new(),
                    }),
                RawSpeaker::Plural { span, text } => events
                    .iter()
                    .rev()
                    .take_while(|e| self.within(e.block, block, 1))
                    .find(|e| matches!(e.referent, Resolved::Described { .. }))
                    .map(|e| e.referent.clone())
                    .unwrap_or_else(|| Resolved::Anonymous {
                        text: text.clone(),
                        span: *span,
                    }),
                RawSpeaker::DefPerson { span, text, words } => self
                    .by_role(pos, words, ex)
                    .or_else(|| self.backward(&salient, &events, pos, block, (2, 2), ex, true))
                    .or_else(|| self.backward(&salient, &events, pos, block, (0, 6), ex, true))
                    .or_else(|| self.next_subject(&salient, pos, ex))
                    .unwrap_or_else(|| Resolved::Described {
                        text: text.clone(),
                        span: *span,
                        head: String::new(),
                    }),
                RawSpeaker::Described { span, text, head } => {
                    let fuller = events
                        .iter()
                        .rev()
                        .take_while(|e| self.within(e.block, block, 4))
                        .filter_map(|e| match &e.referent {
                            Resolved::Described {
                                text: t, head: h, ..
                            } if h == head && t.len() > text.len() => Some(t.clone()),
                            _ => None,
                        })
                        .max_by_key(String::len);
                    Resolved::Described {
                        text: fuller.unwrap_or_else(|| text.clone()),
                        span: *span,
                        head: head.clone(),
                    }
                }
                RawSpeaker::Vague { span, text } => Resolved::Anonymous {
                    text: text.clone(),
                    span: *span,
                },
                RawSpeaker::Nothing => Resolved::Unknown,
            };
            let reports = speech.get(ci).copied().unwrap_or(false);
            if reports
                && matches!(res, Resolved::Named(_) | Resolved::Described { .. })
                && self.is_body_tok(pos)
            {
                events.push(Event {
                    pos,
                    block,
                    referent: res.clone(),
                    verb: hit.kind == CueKind::Verb,
                });
            }
            out.push(res);
        }
        out
    }

    /// The most recent subject person within `cand_back` paragraphs, or
    /// speaker within `event_back` paragraphs, whichever is later (a window of
    /// 0 paragraphs for persons means speakers only).
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &self,
        salient: &[usize],
        events: &[Event],
        pos: usize,
        block: usize,
        (cand_back, event_back): (usize, usize),
        ex: &HashSet<String>,
        persons_only: bool,
    ) -> Option<Resolved> {
        let end = salient.partition_point(|&c| self.cands.get(c).is_some_and(|c| c.toks.0 < pos));
        let mut best_cand: Option<(usize, usize)> = None;
        for &c in salient
            .get(..end)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take(MAX_LOOK)
        {
            let Some(cand) = self.cands.get(c) else {
                continue;
            };
            if cand_back == 0 || !self.within(self.block_of_tok(cand.toks.0), block, cand_back) {
                break;
            }
            if ex.contains(&cand.key) {
                continue;
            }
            best_cand = Some((cand.toks.0, c));
            break;
        }
        // Subjects outrank objects (`Lukashenko met Putin. “…,” he said`):
        // within the sentence of the most recent candidate, take the first
        // salient person, which in French and English is the subject.
        if let Some((cp, c)) = best_cand {
            let (s0, _) = self.sentence_bounds(cp);
            // Start at the sentence, not at the article's first candidate
            // (`salient` is in text order): linear on long articles
            // (reliability fix).
            let from = salient
                .get(..end)
                .unwrap_or(&[])
                .partition_point(|&o| self.cands.get(o).is_some_and(|c| c.toks.0 < s0));
            let earlier = salient
                .get(from..end)
                .unwrap_or(&[])
                .iter()
                .copied()
                .take_while(|&o| o != c)
                .filter_map(|o| self.cands.get(o).map(|cand| (o, cand)))
                .find(|(_, cand)| cand.toks.0 >= s0 && cand.toks.0 < cp && !ex.contains(&cand.key));
            if let Some((o, cand)) = earlier {
                best_cand = Some((cand.toks.0, o));
            }
        }
        let mut best_event: Option<&Event> = None;
        for e in events.iter().rev().take(MAX_LOOK) {
            if e.pos >= pos {
                continue;
            }
            if !self.within(e.block, block, event_back) {
                break;
            }
            let ok = match &e.referent {
                // a speaker is a person unless known otherwise
                Resolved::Named(c) => self.cands.get(*c).is_some_and(|c| {
                    let person =
                        c.is_person() || (e.verb && c.person != names::Person::Not && !c.org);
                    !ex.contains(&c.key) && (!persons_only || person)
                }),
                Resolved::Described { .. } => !persons_only,
                _ => false,
            };
            if ok {
                best_event = Some(e);
                break;
            }
        }
        match (best_cand, best_event) {
            (Some((cp, c)), Some(e)) => {
                if cp > e.pos {
                    Some(Resolved::Named(c))
                } else {
                    Some(e.referent.clone())
                }
            }
            (Some((_, c)), None) => Some(Resolved::Named(c)),
            (None, Some(e)) => Some(e.referent.clone()),
            (None, None) => None,
        }
    }

    /// A pronoun with no antecedent before it: the person the article goes on
    /// to call by honorific and surname without having introduced them (the
    /// introduction was lost from the copy).
    fn second_reference(&self, pos: usize, block: usize, ex: &HashSet<String>) -> Option<Resolved> {
        let start = self.cands.partition_point(|c| c.toks.0 <= pos);
        for (i, c) in self.cands.iter().enumerate().skip(start).take(MAX_LOOK) {
            let cb = self.block_of_tok(c.toks.0);
            if !self.within(block, cb, 6) {
                break;
            }
            if !c.honorific || !c.is_person() || self.in_quote(c.toks.0) || ex.contains(&c.key) {
                continue;
            }
            let first = self.first_pos_of_key.get(&c.key).copied().unwrap_or(0);
            if first >= pos {
                return Some(Resolved::Named(i));
            }
        }
        None
    }

    /// A definite description that opens an article (`Putin's closest ally
    /// has issued a warning … Alexander Lukashenko made the comments`): the
    /// first person named as a subject in the next two sentences.
    fn next_subject(
        &self,
        salient: &[usize],
        pos: usize,
        ex: &HashSet<String>,
    ) -> Option<Resolved> {
        let s = self.sent_of.get(pos).copied()?;
        let limit = self.sents.get(s + 2).map_or(self.toks.len(), |x| x.end);
        let start =
            salient.partition_point(|&c| self.cands.get(c).is_some_and(|c| c.toks.0 <= pos));
        salient
            .get(start..)?
            .iter()
            .take(MAX_LOOK)
            .filter_map(|&c| self.cands.get(c).map(|x| (c, x)))
            .take_while(|(_, x)| x.toks.0 < limit)
            .find(|(_, x)| !ex.contains(&x.key))
            .map(|(c, _)| Resolved::Named(c))
    }

    /// A definite description (`le président russe`) resolved by the roles
    /// written with the persons named before it.
    fn by_role(&self, pos: usize, words: &[String], ex: &HashSet<String>) -> Option<Resolved> {
        let end = self.cands.partition_point(|c| c.toks.0 < pos);
        let mut best: Option<(usize, usize)> = None;
        for (i, c) in self
            .cands
            .iter()
            .enumerate()
            .take(end)
            .rev()
            .take(MAX_LOOK * 2)
        {
            if !c.is_person() || self.in_quote(c.toks.0) || ex.contains(&c.key) {
                continue;
            }
            let score = words.iter().filter(|w| c.roles.contains(w)).count();
            if score > 0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| Resolved::Named(i))
    }

    // ---------------------------------------------------------------- results

    fn attributed_from(&self, r: &Resolved, cue: Option<usize>) -> Attributed {
        let cue = cue.and_then(|c| self.cue_of(c));
        let (attribution, speaker, speaker_span) = match r {
            Resolved::Named(c) => (
                Attribution::Named,
                self.display_of(*c).map(Atom::from),
                self.cands.get(*c).map(|c| c.span),
            ),
            Resolved::Described { text, span, .. } => {
                (Attribution::Described, Some(Atom::new(text)), Some(*span))
            }
            Resolved::Anonymous { text, span } => {
                (Attribution::Anonymous, Some(Atom::new(text)), Some(*span))
            }
            Resolved::Unknown => (Attribution::None, None, None),
        };
        Attributed {
            kind: QuoteKind::Quote,
            attribution,
            speaker,
            speaker_span,
            cue: if attribution == Attribution::None {
                None
            } else {
                cue
            },
            nearest_candidate: None,
        }
    }

    /// The speaker of an interview answer: the last attributed quotation or
    /// speaker before it (within three paragraphs).
    fn interviewee(
        &self,
        o: usize,
        i: usize,
        out: &[Option<Attributed>],
        resolved: &[Resolved],
    ) -> Attributed {
        let block = self.block_of_tok(o);
        let quote_pos = |j: usize| out.get(j).cloned().flatten();
        let from_quote = (0..i)
            .rev()
            .take(MAX_LOOK)
            .find_map(|j| quote_pos(j).filter(|a| a.attribution != Attribution::None));
        let from_cue = self
            .cues
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, h)| h.first < o && !h.inside)
            .take(MAX_LOOK)
            .take_while(|(_, h)| self.within(self.block_of_tok(h.first), block, 3))
            .find(|(c, _)| {
                matches!(
                    resolved.get(*c),
                    Some(Resolved::Named(_) | Resolved::Described { .. })
                )
            })
            .and_then(|(c, _)| resolved.get(c).map(|r| self.attributed_from(r, Some(c))));
        from_quote.or(from_cue).unwrap_or_else(Self::none)
    }

    fn none() -> Attributed {
        Attributed {
            kind: QuoteKind::Quote,
            attribution: Attribution::None,
            speaker: None,
            speaker_span: None,
            cue: None,
            nearest_candidate: None,
        }
    }

    /// Whether a quotation stands nearly alone in its sentence (at most three
    /// words of the author around it): only then does it take the speaker of
    /// the sentence before.
    fn floating(&self, o: usize, c: usize) -> bool {
        let (s0, _) = self.sentence_bounds(o);
        let (_, s1) = self.sentence_bounds(c);
        let outside = (s0..s1)
            .filter(|&k| (k < o || k > c) && !self.in_quote(k))
            .filter(|&k| self.tok(k).is_some_and(|t| t.is_word()))
            .take(4)
            .count();
        outside <= TERM_MAX_WORDS
    }

    /// Whether a quotation is a short term inside the author's sentence.
    fn is_term(&self, q: &RawQuote, o: usize, c: usize) -> bool {
        if q.continues.is_some()
            || q.content.text(self.text).split_whitespace().count() > TERM_MAX_WORDS
        {
            return false;
        }
        let (s0, _) = self.sentence_bounds(o);
        let (_, s1) = self.sentence_bounds(c);
        (s0..s1).any(|k| {
            (k < o || k > c) && !self.in_quote(k) && self.tok(k).is_some_and(|t| t.is_word())
        })
    }

    /// The person named nearest to a quotation (same or adjacent paragraphs).
    fn nearest_person(&self, o: usize, c: usize) -> Option<String> {
        let block = self.block_of_tok(o);
        let mid = self.cands.partition_point(|x| x.toks.0 < o);
        let before = self
            .cands
            .get(..mid)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .rev()
            .take(MAX_LOOK)
            .filter(|(_, x)| x.is_person() && !self.in_quote(x.toks.0))
            .find(|(_, x)| self.within(self.block_of_tok(x.toks.0), block, 1));
        let after = self
            .cands
            .iter()
            .enumerate()
            .skip(mid)
            .take(MAX_LOOK)
            .filter(|(_, x)| x.toks.0 > c && x.is_person() && !self.in_quote(x.toks.0))
            .find(|(_, x)| self.within(block, self.block_of_tok(x.toks.0), 1));
        let dist = |x: &Cand| {
            if x.toks.0 < o {
                o - x.toks.1.min(o)
            } else {
                x.toks.0.saturating_sub(c)
            }
        };
        let pick = match (before, after) {
            (Some(b), Some(a)) => Some(if dist(b.1) <= dist(a.1) { b.0 } else { a.0 }),
            (Some(b), None) => Some(b.0),
            (None, Some(a)) => Some(a.0),
            (None, None) => None,
        };
        pick.and_then(|i| self.display_of(i))
    }

    fn assemble(
        &self,
        quotes: &[RawQuote],
        parents: &[Option<usize>],
        sources: &[Source],
        resolved: &[Resolved],
    ) -> Vec<Attributed> {
        let mut out: Vec<Option<Attributed>> = vec![None; quotes.len()];
        let mut headings = Vec::new();
        for (i, q) in quotes.iter().enumerate() {
            let (o, c) = self.q_tokens(q);
            let src = sources.get(i).copied().unwrap_or(Source::Nothing);
            let copy = |j: usize, out: &[Option<Attributed>]| out.get(j).cloned().flatten();
            let mut a = match src {
                Source::Cue(cue) => resolved
                    .get(cue)
                    .map(|r| self.attributed_from(r, Some(cue)))
                    .unwrap_or_else(Self::none),
                Source::Parent(p) | Source::Continues(p) | Source::PrevQuote(p) if p < i => {
                    copy(p, &out).unwrap_or_else(Self::none)
                }
                Source::Named(n) => self.attributed_from(&Resolved::Named(n), None),
                Source::Interview => self.interviewee(o, i, &out, resolved),
                Source::Heading => {
                    headings.push(i);
                    Self::none()
                }
                _ => Self::none(),
            };
            let nested = parents.get(i).copied().flatten().is_some();
            let short = q.content.text(self.text).split_whitespace().count() <= TERM_MAX_WORDS;
            a.kind = if (!nested && self.is_term(q, o, c)) || (nested && short) {
                QuoteKind::Term
            } else {
                QuoteKind::Quote
            };
            a.nearest_candidate = None;
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(a);
            }
        }
        // a quoted subheading takes the speaker of the passage that repeats it,
        // else of the next sentence
        for i in headings {
            let Some(q) = quotes.get(i) else { continue };
            let needle = q.content.text(self.text).trim().to_lowercase();
            let (o, _) = self.q_tokens(q);
            let block = self.block_of_tok(o);
            let found = quotes
                .iter()
                .enumerate()
                .skip(i + 1)
                .take(MAX_LOOK)
                .find(|(j, other)| {
                    let (oo, _) = self.q_tokens(other);
                    *j != i
                        && self.within(block, self.block_of_tok(oo), 3)
                        && other
                            .content
                            .text(self.text)
                            .to_lowercase()
                            .contains(&needle)
                });
            let attributed = match found {
                Some((j, _)) => out.get(j).cloned().flatten(),
                None => {
                    let s = self.sent_of.get(o).copied().unwrap_or(0);
                    self.next_sentence(s)
                        .and_then(|n| self.first_cue_of(n))
                        .and_then(|cue| {
                            resolved
                                .get(cue)
                                .map(|r| self.attributed_from(r, Some(cue)))
                        })
                }
            };
            if let (Some(mut a), Some(slot)) = (attributed, out.get_mut(i)) {
                a.kind = QuoteKind::Quote;
                *slot = Some(a);
            }
        }
        let mut result: Vec<Attributed> = out
            .into_iter()
            .map(|a| a.unwrap_or_else(Self::none))
            .collect();
        for (i, a) in result.iter_mut().enumerate() {
            if a.attribution == Attribution::None {
                if let Some(q) = quotes.get(i) {
                    let (o, c) = self.q_tokens(q);
                    a.nearest_candidate = self.nearest_person(o, c).map(Atom::from);
                }
            }
        }
        result
    }
}

/// A short line without final punctuation that is not quoted: a caption, a
/// heading or a navigation line.
fn caption_like(line: &str) -> bool {
    let t = line.trim();
    let Some(first) = t.chars().next() else {
        return false;
    };
    if super::marks::is_mark(first) {
        return false;
    }
    let last = t.chars().last().unwrap_or(' ');
    let punctuated =
        matches!(last, '.' | '!' | '?' | '…' | ':' | ';' | ',') || super::marks::is_mark(last);
    !punctuated && t.split_whitespace().count() <= SHORT_LINE_WORDS
}

/// A speaker's words as one line: a line break inside (with the spaces
/// around it) becomes one space, so that the speaker does not depend on the
/// line-ending style (reliability fix).
fn one_line(s: &str) -> String {
    if !s.contains(['\r', '\n']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' || c == '\n' {
            while out.ends_with([' ', '\t']) {
                out.pop();
            }
            out.push(' ');
            while chars
                .next_if(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
                .is_some()
            {}
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod one_line_tests {
    use super::one_line;

    #[test]
    fn line_breaks_inside_a_speaker_become_one_space() {
        assert_eq!(one_line("a\n senior official"), "a senior official");
        assert_eq!(one_line("a \r\n\r\n  senior"), "a senior");
        assert_eq!(one_line("un haut\rresponsable"), "un haut responsable");
        assert_eq!(one_line("M.\u{a0}Macron"), "M.\u{a0}Macron");
    }
}
