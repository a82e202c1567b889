//! Entity mention recognition: capitalised token runs with name particles,
//! honorifics and role words as cues, function-word and demonym lists, and the
//! shipped gazetteer. Produces spans and per-mention kind evidence; linking
//! across the corpus is done in `corpus::entities`.
//!
//! The recogniser is rule-based, data-driven and linear in the text:
//! 1. each line is tokenized ([`tokens`]); the article-wide evidence is
//!    collected: words seen capitalised mid-sentence (names), words seen in
//!    lowercase (common words), headline-case and all-caps lines;
//! 2. words are classified: gazetteer forms (longest match), honorifics
//!    (`M.`, `Mr`), roles (`président`, `Minister`), generic ministry
//!    portfolios (`ministère de la Défense`), demonyms (`Russes`,
//!    `Belarusians`), day and month names, names;
//! 3. adjacent capitalised words form runs, joined through particles after a
//!    given name (`Charles de Gaulle`) or an organisation head (`Université de
//!    Southampton`), and French organisation names run on through lowercase
//!    words (`Institut pour l'étude de la guerre`);
//! 4. leading honorifics, roles, demonyms and sentence-initial function words
//!    are stripped (`Le président russe Vladimir Poutine` → `Vladimir
//!    Poutine`); a sentence-initial word needs evidence (seen capitalised
//!    mid-sentence, gazetteer, given name) so `Cependant` or `Reportage` are not
//!    names; headline-case lines keep only evidenced words;
//! 5. kind votes come from the gazetteer, honorifics, roles, given names,
//!    organisation heads and suffixes, place prepositions and speech verbs;
//!    roles in apposition are recorded.
//!
//! Data tables (`data/<lang>/` and `data/common/`, every language's entries
//! apply everywhere since copies mix languages): `entities_function_words`,
//! `entities_calendar`, `entities_roles`, `entities_portfolios`,
//! `entities_portfolio_cues`, `entities_org_heads`,
//! `entities_org_adjective_heads`, `entities_adjective_suffixes`,
//! `entities_org_linking`, `entities_org_suffixes`, `entities_org_cues`,
//! `entities_place_cues`, `entities_place_cues_weak`, `entities_person_cues`,
//! `entities_auxiliaries`, `entities_not_alone`, `names_honorifics`,
//! `names_demonyms`, `names_demonym_suffixes`, `names_particles`,
//! `names_prefix_particles`, `names_elisions`, `names_given`,
//! `names_given_variants`, `names_fold` and the `gazetteer_*` tables.

mod cues;
mod tokens;

use std::cell::RefCell;

use self::cues::{flag, Cues};
use self::tokens::{tokenize, Tok};
use super::lines::chars;
use super::names::gazetteer::{EntryId, Gazetteer};
use super::names::{self, FastMap, FastSet};
use super::{
    lexicon::Lexicon, AnalysisOptions, BoilerplateKind, EntityKind, KindVotes, Language, Lines,
    Mention, Span, Structure,
};

/// Finds the entity mentions of an article, in text order, non-overlapping.
pub fn find(
    text: &str,
    lines: &Lines,
    structure: &Structure,
    language: Language,
    lexicon: &Lexicon,
    options: &AnalysisOptions,
) -> Vec<Mention> {
    let _ = lexicon;
    let cues = Cues::get();
    let gaz = Gazetteer::get();
    let not_entities: FastSet<String> = options
        .not_entities
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let skipped: FastSet<usize> = structure
        .boilerplate
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BoilerplateKind::CookieNotice
                    | BoilerplateKind::CommentForm
                    | BoilerplateKind::BackToTop
            )
        })
        .map(|b| b.line)
        .collect();

    // Pass 1: tokens and article-wide evidence.
    let mut all: Vec<LineToks<'_>> = Vec::with_capacity(lines.len());
    for i in 0..lines.len() {
        let (s, e) = lines.span(i).unwrap_or((0, 0));
        let line = text.get(s..e).unwrap_or("");
        let toks = tokenize(line, s, cues);
        let style = line_style(&toks);
        let mut words = Vec::with_capacity(toks.len());
        let mut word_pos = vec![usize::MAX; toks.len()];
        for (ti, t) in toks.iter().enumerate() {
            if t.word {
                if let Some(slot) = word_pos.get_mut(ti) {
                    *slot = words.len();
                }
                words.push(ti);
            }
        }
        all.push(LineToks {
            toks,
            words,
            word_pos,
            style,
            skip: skipped.contains(&i),
        });
    }
    let mut ev = Evidence {
        mid_caps: FastSet::with_capacity_and_hasher(text.len() / 64, Default::default()),
        lower: FastSet::with_capacity_and_hasher(text.len() / 12, Default::default()),
    };
    for lt in &all {
        let mut after_initial_function = false;
        // Inside a capitalised run that began a sentence (`Related Articles`):
        // its later words are capitalised by the run, not evidence.
        let mut initial_run = false;
        for t in lt.toks.iter().filter(|t| t.word) {
            if t.lower {
                ev.lower.insert(t.text);
            }
            let initial = t.sent_start && !after_initial_function;
            after_initial_function =
                t.sent_start && (t.flags & (flag::FUNCTION_WORDS | flag::ELISIONS) != 0);
            if !t.cap {
                // Particles keep a sentence-initial run going (`Terms of Use`).
                if t.flags & (flag::PARTICLES | flag::ORG_LINKING | flag::ELISIONS) == 0 {
                    initial_run = false;
                }
                continue;
            }
            if initial {
                initial_run = !after_initial_function;
                continue;
            }
            if initial_run {
                continue;
            }
            if lt.style == LineStyle::Normal && !t.upper {
                ev.mid_caps.insert(t.text);
            }
        }
    }

    // Pass 2: mentions line by line.
    let ctx = Ctx {
        text,
        cues,
        gaz,
        ev: &ev,
        lang: language.code(),
        not_entities: &not_entities,
        memo: RefCell::new(Memo::default()),
    };
    let mut out = Vec::new();
    // Ordinary lines first: headline-case lines then only keep words that
    // the article names elsewhere.
    for lt in &all {
        if lt.skip || lt.style != LineStyle::Normal {
            continue;
        }
        line_mentions(&ctx, lt, &mut out);
    }
    if all
        .iter()
        .any(|lt| lt.style == LineStyle::TitleCase && !lt.skip)
    {
        if let Ok(mut memo) = ctx.memo.try_borrow_mut() {
            for m in &out {
                if let Some(t) = text.get(m.span().range()) {
                    memo.named.insert(t);
                    if let Some(last) = t.rsplit(' ').next() {
                        if m.kind == EntityKind::Person {
                            memo.named.insert(last);
                        }
                    }
                }
            }
        }
        for lt in &all {
            if lt.skip || lt.style != LineStyle::TitleCase {
                continue;
            }
            line_mentions(&ctx, lt, &mut out);
        }
        out.sort_by_key(|m| m.span().start);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStyle {
    Normal,
    /// Most words capitalised, including function words: a headline or a menu.
    TitleCase,
    /// Mostly all-caps words: a shouted promo or section label.
    Shouting,
}

struct LineToks<'a> {
    toks: Vec<Tok<'a>>,
    /// Token indices of the words.
    words: Vec<usize>,
    /// Token index → position in `words` (`usize::MAX` for other tokens).
    word_pos: Vec<usize>,
    style: LineStyle,
    skip: bool,
}

fn line_style(toks: &[Tok<'_>]) -> LineStyle {
    // One pass over the words that start with a letter, counting without
    // collecting them (this runs on every line of every article).
    let (mut n, mut upper, mut caps, mut cap_function) = (0usize, 0usize, 0usize, 0usize);
    for t in toks
        .iter()
        .filter(|t| t.word && t.text.chars().next().is_some_and(chars::is_alphabetic))
    {
        // The first word may be capitalised by its position: not counted.
        if n > 0 && t.cap && !t.sent_start && t.flags & flag::FUNCTION_WORDS != 0 {
            cap_function += 1;
        }
        n += 1;
        upper += usize::from(t.upper);
        caps += usize::from(t.cap);
    }
    if n == 0 {
        return LineStyle::Normal;
    }
    if upper >= 2 && upper * 10 >= n * 6 {
        return LineStyle::Shouting;
    }
    if n < 4 {
        return LineStyle::Normal;
    }
    // Menus and breadcrumbs: several separators between capitalised items.
    let separators = toks
        .iter()
        .filter(|t| !t.word && matches!(t.text, "|" | "»" | "›" | "•" | "·" | "/"))
        .count();
    if separators >= 2 && caps * 10 >= n * 6 {
        return LineStyle::TitleCase;
    }
    if caps == n || (caps * 10 >= n * 6 && cap_function >= 1) {
        LineStyle::TitleCase
    } else {
        LineStyle::Normal
    }
}

#[derive(Debug, Default)]
struct Evidence<'a> {
    /// Words seen capitalised in the middle of a sentence on ordinary lines.
    mid_caps: FastSet<&'a str>,
    /// Words seen in lowercase anywhere.
    lower: FastSet<&'a str>,
}

struct Ctx<'a> {
    text: &'a str,
    cues: &'static Cues,
    gaz: &'static Gazetteer,
    ev: &'a Evidence<'a>,
    lang: &'static str,
    not_entities: &'a FastSet<String>,
    /// Per-article memo of word facts that do not depend on context.
    memo: RefCell<Memo<'a>>,
}

#[derive(Debug, Default)]
struct Memo<'a> {
    /// Mentions found on ordinary lines (and people's surnames), the evidence
    /// for single words on headline-case lines.
    named: FastSet<&'a str>,
    demonym: FastMap<&'a str, bool>,
    given: FastMap<&'a str, bool>,
    gaz: FastMap<&'a str, Option<EntryId>>,
}

impl<'a> Ctx<'a> {
    fn is_demonym(&self, word: &'a str, lower: &str) -> bool {
        if let Ok(memo) = self.memo.try_borrow() {
            if let Some(v) = memo.demonym.get(word) {
                return *v;
            }
        }
        let v = shared(
            |s| &mut s.demonym,
            word,
            || self.cues.is_demonym(word, lower),
        );
        if let Ok(mut memo) = self.memo.try_borrow_mut() {
            memo.demonym.insert(word, v);
        }
        v
    }

    fn is_given(&self, word: &'a str) -> bool {
        if let Ok(memo) = self.memo.try_borrow() {
            if let Some(v) = memo.given.get(word) {
                return *v;
            }
        }
        let v = shared(|s| &mut s.given, word, || names::is_given_name(word));
        if let Ok(mut memo) = self.memo.try_borrow_mut() {
            memo.given.insert(word, v);
        }
        v
    }

    fn is_named(&self, word: &str) -> bool {
        self.memo.try_borrow().is_ok_and(|m| m.named.contains(word))
    }

    fn gaz_lookup(&self, surface: &'a str) -> Option<EntryId> {
        if let Ok(memo) = self.memo.try_borrow() {
            if let Some(v) = memo.gaz.get(surface) {
                return *v;
            }
        }
        let v = shared(|s| &mut s.gaz, surface, || self.gaz.lookup(surface));
        if let Ok(mut memo) = self.memo.try_borrow_mut() {
            memo.gaz.insert(surface, v);
        }
        v
    }
}

/// Word facts shared by the articles analysed on one thread, behind the
/// per-article [`Memo`]. They depend only on the shipped tables (demonyms,
/// given names, gazetteer), and a corpus repeats its names from article to
/// article: each distinct word is worked out (folded, looked up under its
/// transliteration key…) once per thread instead of once per article.
#[derive(Debug, Default)]
struct Shared {
    demonym: FastMap<Box<str>, bool>,
    given: FastMap<Box<str>, bool>,
    gaz: FastMap<Box<str>, Option<EntryId>>,
}

/// Entries a [`Shared`] map may hold; it is emptied when full, which bounds
/// the memory of a long-running server.
const SHARED_LIMIT: usize = 50_000;

thread_local! {
    static SHARED: RefCell<Shared> = RefCell::new(Shared::default());
}

/// The value of `key` in the thread's `pick` map, computed and stored on a miss.
fn shared<V: Copy>(
    pick: fn(&mut Shared) -> &mut FastMap<Box<str>, V>,
    key: &str,
    compute: impl FnOnce() -> V,
) -> V {
    let hit = SHARED.with(|s| {
        s.try_borrow_mut()
            .ok()
            .and_then(|mut s| pick(&mut s).get(key).copied())
    });
    if let Some(v) = hit {
        return v;
    }
    let v = compute();
    SHARED.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            let map = pick(&mut s);
            if map.len() >= SHARED_LIMIT {
                map.clear();
            }
            map.insert(key.into(), v);
        }
    });
    v
}

/// What a word (or a gazetteer form spanning several words) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Name,
    Gaz(EntryId),
    /// A lone capital before a period inside a name (`George W. Bush`).
    Initial,
    Honorific,
    Role,
    Demonym,
    Calendar,
    /// A capitalised word that ends a name here (generic portfolio, excluded word).
    Breaker,
    /// A lowercase word that may join two name parts (`de`, `von`, `of`).
    Particle,
    Other,
}

#[derive(Debug, Clone)]
struct Elem<'t> {
    /// First and last token index (into the line's tokens).
    first: usize,
    last: usize,
    class: Class,
    lower: &'t str,
    /// Cue-table bits of the first word.
    flags: u32,
    /// The element starts a sentence.
    initial: bool,
}

fn line_mentions<'a>(ctx: &Ctx<'a>, lt: &LineToks<'a>, out: &mut Vec<Mention>) {
    let toks = &lt.toks;
    let words = &lt.words;
    let elems = classify(ctx, toks, words);
    let start_len = out.len();
    // Each chunk is emitted as it is found: no list of chunks per line.
    chunk(ctx, toks, &elems, |ch| emit_chunk(ctx, lt, &elems, ch, out));
    link_parenthesised_acronyms(ctx.text, out, start_len);
}

/// Whether two tokens are separated only by spaces, or by one apostrophe (`l’Est`).
fn joinable(text: &str, a: &Tok<'_>, b: &Tok<'_>) -> bool {
    let gap = text.get(a.end..b.start).unwrap_or("x");
    if gap.is_empty() {
        return false;
    }
    // A single space, the usual gap, decides at once.
    if gap == " " {
        return true;
    }
    let (mut len, mut apostrophes, mut spaces) = (0usize, 0usize, 0usize);
    for c in gap.chars() {
        len += 1;
        if len > 3 {
            return false;
        }
        if c == '\'' || c == '’' {
            apostrophes += 1;
        }
        if c.is_whitespace() && c != '\n' {
            spaces += 1;
        }
    }
    (apostrophes == 0 && spaces == len) || (apostrophes == 1 && len == 1)
}

fn classify<'a, 't>(ctx: &Ctx<'a>, toks: &'t [Tok<'a>], words: &[usize]) -> Vec<Elem<'t>> {
    let mut elems: Vec<Elem<'t>> = Vec::with_capacity(words.len());
    // The joinable words from a capitalised word on (one buffer for the line).
    let mut chain: Vec<&str> = Vec::with_capacity(10);
    let mut wp = 0;
    let mut after_initial_function = false;
    while wp < words.len() {
        let Some(&ti) = words.get(wp) else { break };
        let Some(t) = toks.get(ti) else { break };
        let lower: &str = t.lw.as_ref();
        let initial = t.sent_start && !after_initial_function;
        after_initial_function =
            t.sent_start && (t.flags & (flag::FUNCTION_WORDS | flag::ELISIONS) != 0);
        if !t.cap {
            let class = if t.lower
                && (t.flags & (flag::PARTICLES | flag::ORG_LINKING | flag::ELISIONS) != 0)
            {
                Class::Particle
            } else {
                Class::Other
            };
            elems.push(Elem {
                first: ti,
                flags: t.flags,
                last: ti,
                class,
                lower,
                initial,
            });
            wp += 1;
            continue;
        }
        if let Some((n, entry)) = gazetteer_form(ctx, toks, words, wp, &mut chain) {
            let last = words.get(wp + n - 1).copied().unwrap_or(ti);
            elems.push(Elem {
                first: ti,
                flags: t.flags,
                last,
                class: Class::Gaz(entry),
                lower,
                initial,
            });
            wp += n;
            continue;
        }
        let class = classify_word(ctx, toks, words, wp, t, lower);
        elems.push(Elem {
            first: ti,
            flags: t.flags,
            last: ti,
            class,
            lower,
            initial,
        });
        wp += 1;
    }
    elems
}

/// The longest gazetteer form starting at word `wp` over joinable words:
/// (number of words, entry). Most capitalised words start no form: the words
/// after them are then not gathered. `chain` is a buffer for the line.
fn gazetteer_form<'a>(
    ctx: &Ctx<'_>,
    toks: &[Tok<'a>],
    words: &[usize],
    wp: usize,
    chain: &mut Vec<&'a str>,
) -> Option<(usize, EntryId)> {
    let first = toks.get(*words.get(wp)?)?;
    if !ctx.gaz.starts_a_form(first.text) {
        return None;
    }
    chain.clear();
    chain.push(first.text);
    let mut k = wp;
    while chain.len() < 10 {
        let (Some(&a), Some(&b)) = (words.get(k), words.get(k + 1)) else {
            break;
        };
        let (Some(ta), Some(tb)) = (toks.get(a), toks.get(b)) else {
            break;
        };
        if !joinable(ctx.text, ta, tb) {
            break;
        }
        chain.push(tb.text);
        k += 1;
    }
    ctx.gaz.longest_match(chain)
}

fn next_is_period(toks: &[Tok<'_>], ti: usize) -> bool {
    toks.get(ti + 1)
        .is_some_and(|n| n.text == "." && n.start == toks.get(ti).map_or(0, |t| t.end))
}

fn classify_word<'a>(
    ctx: &Ctx<'a>,
    toks: &[Tok<'a>],
    words: &[usize],
    wp: usize,
    t: &Tok<'a>,
    lower: &str,
) -> Class {
    let cues = ctx.cues;
    let ti = words.get(wp).copied().unwrap_or(0);
    let next_word = words.get(wp + 1).and_then(|&i| toks.get(i));
    let next_cap = next_word.is_some_and(|n| n.cap);
    if !ctx.not_entities.is_empty() && ctx.not_entities.contains(lower) {
        return Class::Breaker;
    }
    let chars = t.text.chars().count();
    if chars == 1 {
        if next_is_period(toks, ti) {
            if t.flags & flag::HONORIFICS != 0 && next_cap {
                return Class::Honorific;
            }
            return Class::Initial;
        }
        return Class::Other;
    }
    if t.flags & flag::HONORIFICS != 0 && next_cap && (next_is_period(toks, ti) || chars > 1) {
        // `Mme Dupont`, `Mr. Smith`, `Dr Who`; a word like `Me` only before a name.
        return Class::Honorific;
    }
    // Hyphenated compounds ending in a lowercase part (`Kremlin-backed`,
    // `Kyiv-based`) are adjectives, not names.
    if let Some(last_part) = t.text.rsplit(['-', '‑']).next() {
        if t.text.contains(['-', '‑'])
            && last_part.chars().next().is_some_and(char::is_lowercase)
            && !t
                .text
                .split(['-', '‑'])
                .next()
                .is_some_and(|p| cues.prefix_particles.contains(p))
        {
            return Class::Other;
        }
    }
    // `Russia-Ukraine war`: two place names hyphenated into an adjective.
    if t.text.contains(['-', '‑']) {
        let places = t
            .text
            .split(['-', '‑'])
            .filter(|p| ctx.gaz.is_exact_form(p))
            .count();
        if places >= 2 {
            return Class::Other;
        }
    }
    if t.upper {
        let lw_seen = ctx.ev.lower.contains(lower);
        // A shouted phrase inside a line (`A NE PAS MANQUER Loukachenko`): an
        // all-caps word next to another all-caps word is not an acronym.
        let shouted = |i: Option<usize>| {
            i.and_then(|i| words.get(i))
                .and_then(|&k| toks.get(k))
                .is_some_and(|n| {
                    n.upper
                        || (n.text.chars().count() == 1 && n.text.chars().all(char::is_uppercase))
                })
        };
        if lw_seen
            || t.flags & flag::FUNCTION_WORDS != 0
            || t.flags & flag::NOT_ALONE != 0
            || t.flags & flag::CALENDAR != 0
            || shouted(wp.checked_sub(1))
            || shouted(Some(wp + 1))
        {
            return Class::Other;
        }
    }
    if t.flags & flag::ROLES != 0 {
        return Class::Role;
    }
    if t.flags & flag::PORTFOLIO_CUES != 0 {
        return Class::Breaker;
    }
    if t.flags & flag::PORTFOLIOS != 0 && portfolio_context(toks, words, wp) {
        return Class::Breaker;
    }
    if t.flags & flag::CALENDAR != 0 {
        return Class::Calendar;
    }
    if ctx.is_demonym(t.text, lower) {
        return Class::Demonym;
    }
    Class::Name
}

/// A ministry word among the six words before, or right after (`ministère
/// de la Défense`, `Defense Ministry`, `Foreign Minister`).
fn portfolio_context(toks: &[Tok<'_>], words: &[usize], wp: usize) -> bool {
    let is_cue = |i: usize| {
        words.get(i).and_then(|&ti| toks.get(ti)).is_some_and(|t| {
            let l = t.lw.as_ref();
            t.flags & flag::PORTFOLIO_CUES != 0
                || t.flags & flag::ROLES != 0 && l.starts_with("minist")
        })
    };
    (wp.saturating_sub(6)..wp).any(is_cue) || is_cue(wp + 1)
}

/// A run of elements that may form one or more names.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    /// First and last element index (inclusive).
    first: usize,
    last: usize,
}

fn is_nameish(c: Class) -> bool {
    matches!(
        c,
        Class::Name
            | Class::Gaz(_)
            | Class::Initial
            | Class::Honorific
            | Class::Role
            | Class::Demonym
            | Class::Calendar
            | Class::Breaker
    )
}

fn chunk<'a>(ctx: &Ctx<'a>, toks: &[Tok<'a>], elems: &[Elem<'_>], mut f: impl FnMut(Chunk)) {
    let mut i = 0;
    while i < elems.len() {
        let Some(e) = elems.get(i) else { break };
        if !is_nameish(e.class) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while let (Some(a), Some(b)) = (elems.get(end), elems.get(end + 1)) {
            let (Some(ta), Some(tb)) = (toks.get(a.last), toks.get(b.first)) else {
                break;
            };
            // Adjacent name-ish element (after an initial, across its period:
            // `George W. Bush`).
            let adjacent = joinable(ctx.text, ta, tb)
                || (a.class == Class::Initial
                    && ctx
                        .text
                        .get(ta.end..tb.start)
                        .and_then(|g| g.strip_prefix('.'))
                        .is_some_and(|g| !g.is_empty() && g.chars().all(char::is_whitespace)));
            if is_nameish(b.class) && adjacent {
                end += 1;
                continue;
            }
            // Particles between two name parts.
            if b.class == Class::Particle {
                if let Some(after) = particle_join(ctx, toks, elems, start, end) {
                    end = after;
                    continue;
                }
            }
            break;
        }
        // French organisation names running on through lowercase words.
        end = run_on(ctx, toks, elems, start, end);
        f(Chunk {
            first: start,
            last: end,
        });
        i = end + 1;
    }
}

/// The element index that ends a particle join after `end`, if the chunk
/// `start..=end` may continue through particles (`de`, `von der`, `of the`).
fn particle_join<'a>(
    ctx: &Ctx<'a>,
    toks: &[Tok<'a>],
    elems: &[Elem<'_>],
    start: usize,
    end: usize,
) -> Option<usize> {
    let cues = ctx.cues;
    // Up to two particles, joinable, then a name part.
    let mut k = end + 1;
    let mut parts: Vec<&str> = Vec::new();
    while let Some(p) = elems.get(k) {
        if p.class != Class::Particle || parts.len() >= 2 {
            break;
        }
        let prev = elems.get(k - 1)?;
        if !joinable(ctx.text, toks.get(prev.last)?, toks.get(p.first)?) {
            return None;
        }
        parts.push(p.lower);
        k += 1;
    }
    let next = elems.get(k)?;
    let prev = elems.get(k - 1)?;
    if parts.is_empty()
        || !matches!(next.class, Class::Name | Class::Gaz(_))
        || !joinable(ctx.text, toks.get(prev.last)?, toks.get(next.first)?)
    {
        return None;
    }
    let names: Vec<&Elem<'_>> = elems
        .get(start..=end)?
        .iter()
        .filter(|e| matches!(e.class, Class::Name | Class::Gaz(_) | Class::Initial))
        .collect();
    let has_head = names.iter().any(|e| {
        e.class == Class::Name
            && (e.flags & flag::ORG_HEADS != 0)
            && !(e.initial && names.len() > 1)
    });
    let org_particles = parts
        .iter()
        .all(|p| cues.org_linking.contains(*p) || cues.elisions.contains(*p));
    if has_head && names.len() <= 6 && org_particles {
        return Some(k);
    }
    // `Charles de Gaulle`, `Ursula von der Leyen`: given names then particles.
    let person_particles = parts.iter().all(|p| cues.particles.contains(*p));
    let first_is_particle_word = parts
        .first()
        .is_some_and(|p| !matches!(*p, "la" | "le" | "l" | "the"));
    let given_only = !names.is_empty()
        && names.len() <= 3
        && names.iter().all(|e| {
            e.class == Class::Initial
                || toks
                    .get(e.first)
                    .is_some_and(|t| e.class == Class::Name && ctx.is_given(t.text))
        });
    if given_only && person_particles && first_is_particle_word && next.class == Class::Name {
        return Some(k);
    }
    None
}

/// Extends an organisation name through linking words and lowercase words
/// (`Centre de résistance ukrainien`, `Union européenne`), up to punctuation.
fn run_on<'a>(
    ctx: &Ctx<'a>,
    toks: &[Tok<'a>],
    elems: &[Elem<'_>],
    start: usize,
    end: usize,
) -> usize {
    let cues = ctx.cues;
    let head = elems
        .get(start..=end)
        .unwrap_or(&[])
        .iter()
        .filter(|e| matches!(e.class, Class::Name))
        .map(|e| e.lower)
        .next();
    let Some(head) = head else { return end };
    let only_head = elems
        .get(start..=end)
        .unwrap_or(&[])
        .iter()
        .filter(|e| matches!(e.class, Class::Name | Class::Gaz(_)))
        .count()
        == 1;
    if !only_head || !cues.org_heads.contains(head) {
        return end;
    }
    let adjective_head = cues.org_adjective_heads.contains(head);
    let mut best = end;
    let mut k = end;
    let mut consumed_content = false;
    let mut words = 0;
    while words < 8 {
        // Optional linking words, then a lowercase content word.
        let mut j = k + 1;
        let mut linking = 0;
        while let Some(e) = elems.get(j) {
            let Some(prev) = elems.get(j - 1) else { break };
            let ok = toks
                .get(prev.last)
                .zip(toks.get(e.first))
                .is_some_and(|(a, b)| joinable(ctx.text, a, b));
            if !ok || linking >= 2 {
                break;
            }
            if e.class == Class::Particle
                && ((e.flags & flag::ORG_LINKING != 0) || (e.flags & flag::ELISIONS != 0))
            {
                linking += 1;
                j += 1;
            } else {
                break;
            }
        }
        let Some(w) = elems.get(j) else { break };
        let Some(prev) = elems.get(j - 1) else { break };
        let ok = toks
            .get(prev.last)
            .zip(toks.get(w.first))
            .is_some_and(|(a, b)| joinable(ctx.text, a, b));
        let Some(wt) = toks.get(w.first) else { break };
        if !ok || !wt.lower || w.class == Class::Particle {
            break;
        }
        let content = w.flags & flag::STOPWORDS == 0
            && w.flags & flag::FUNCTION_WORDS == 0
            && w.flags & flag::PERSON_CUES == 0
            && wt.text.chars().count() > 2;
        if !content {
            break;
        }
        if linking == 0 {
            let adjective = cues.is_adjective(w.lower);
            if !(adjective && (adjective_head || consumed_content)) {
                break;
            }
        }
        consumed_content = true;
        best = j;
        k = j;
        words += linking + 1;
    }
    best
}

/// Processes one chunk: strips honorifics, roles, demonyms and initial function
/// words, splits at breakers, checks evidence and emits the mentions.
fn emit_chunk<'a>(
    ctx: &Ctx<'a>,
    lt: &LineToks<'a>,
    elems: &[Elem<'_>],
    ch: Chunk,
    out: &mut Vec<Mention>,
) {
    let Some(all) = elems.get(ch.first..=ch.last) else {
        return;
    };
    // Split at breakers and at role/honorific/calendar elements; remember the
    // roles and honorifics in front of each piece.
    let mut prefix = Prefix::default();
    let mut cur: Option<usize> = None;
    let mut stripped_function = false;
    for (i, e) in all.iter().enumerate() {
        let strip = match e.class {
            Class::Honorific | Class::Role | Class::Breaker => true,
            // `Theresa May`: a month name right after a given name is a surname.
            Class::Calendar => {
                !(cur.is_some()
                    && i > 0
                    && all
                        .get(i - 1)
                        .is_some_and(|p| p.class == Class::Name && ctx_given(ctx, lt, p)))
            }
            // Leading (`Russian President`) or trailing demonyms go; inside an
            // organisation name they stay (`Organization of American States`).
            Class::Demonym => {
                cur.is_none()
                    || !all
                        .get(i + 1..)
                        .unwrap_or(&[])
                        .iter()
                        .any(|r| matches!(r.class, Class::Name | Class::Gaz(_)))
            }
            Class::Name => {
                cur.is_none()
                    && (e.initial || stripped_function)
                    && (e.flags & flag::FUNCTION_WORDS != 0)
            }
            Class::Particle => cur.is_none(),
            _ => false,
        };
        if !strip {
            if cur.is_none() {
                cur = Some(i);
            }
            continue;
        }
        if let Some(s) = cur.take() {
            // Each piece is emitted as it is cut: no list of pieces per chunk.
            let e = last_kept(all, s, i);
            emit_piece(ctx, lt, all, s, e, std::mem::take(&mut prefix), out);
        }
        match e.class {
            Class::Honorific => prefix.honorific = true,
            Class::Role | Class::Demonym => {
                prefix.role_first.get_or_insert(e.first);
                prefix.role_last = Some(e.last);
            }
            // `Foreign Minister`, `Defence Secretary`: the portfolio is part of the role.
            Class::Breaker if (e.flags & flag::PORTFOLIOS != 0) => {
                prefix.role_first.get_or_insert(e.first);
                prefix.role_last = Some(e.last);
            }
            Class::Name => stripped_function = true,
            _ => {}
        }
    }
    if let Some(s) = cur {
        let e = last_kept(all, s, all.len());
        emit_piece(ctx, lt, all, s, e, prefix, out);
    }
}

/// Emits the mentions of the piece `s..=e` of a chunk's elements, with the
/// roles and honorifics stripped in front of it.
fn emit_piece<'a>(
    ctx: &Ctx<'a>,
    lt: &LineToks<'a>,
    all: &[Elem<'_>],
    s: usize,
    e: usize,
    prefix: Prefix,
    out: &mut Vec<Mention>,
) {
    let Some(piece) = all.get(s..=e) else {
        return;
    };
    // Trim trailing particles (from a join that did not complete),
    // trailing function words (`Accept All`) and a trailing pair of
    // interface words run into a name (`Monika Pallenberg Related Articles`).
    let mut piece = piece;
    let interface = |x: &Elem<'_>| x.class == Class::Name && x.flags & flag::NOT_ALONE != 0;
    loop {
        let before = piece.len();
        while piece.len() > 1
            && piece.last().is_some_and(|x| {
                x.class == Class::Particle
                    || (x.class == Class::Name && x.flags & flag::FUNCTION_WORDS != 0)
            })
        {
            piece = piece.get(..piece.len() - 1).unwrap_or(piece);
        }
        let n = piece.iter().rev().take_while(|x| interface(x)).count();
        if n >= 2 && n < piece.len() {
            piece = piece.get(..piece.len() - n).unwrap_or(piece);
        }
        if piece.len() == before {
            break;
        }
    }
    let after_strip = s > 0;
    evidence_split(ctx, lt, piece, after_strip, &mut |sub| {
        gazetteer_split(sub, |part| {
            if let Some(m) = build_mention(ctx, lt, part, &prefix) {
                out.push(m);
            }
        });
    });
}

/// The index of the last element to keep in `s..end` (drops trailing demonyms
/// and calendar words).
fn ctx_given<'a>(ctx: &Ctx<'a>, lt: &LineToks<'a>, e: &Elem<'_>) -> bool {
    lt.toks.get(e.first).is_some_and(|t| ctx.is_given(t.text))
}

fn last_kept(all: &[Elem<'_>], s: usize, end: usize) -> usize {
    let mut e = end.saturating_sub(1).max(s);
    while e > s
        && all
            .get(e)
            .is_some_and(|x| matches!(x.class, Class::Demonym | Class::Particle))
    {
        e -= 1;
    }
    e
}

#[derive(Debug, Default, Clone)]
struct Prefix {
    honorific: bool,
    /// Token range of role words stripped from the front of the run.
    role_first: Option<usize>,
    role_last: Option<usize>,
}

fn tok_evidenced<'a>(ctx: &Ctx<'a>, lt: &LineToks<'a>, e: &Elem<'_>) -> bool {
    match e.class {
        Class::Gaz(_) => true,
        Class::Initial | Class::Particle => false,
        Class::Name => {
            let Some(t) = lt.toks.get(e.first) else {
                return false;
            };
            ctx.ev.mid_caps.contains(t.text)
                || ctx.is_given(t.text)
                || (e.flags & flag::ORG_HEADS != 0)
                || t.digit
                || (t.upper && !ctx.ev.lower.contains(e.lower))
                || ctx.gaz_lookup(t.text).is_some()
        }
        _ => false,
    }
}

/// Keeps the parts of a piece that are names given the article's evidence: a
/// sentence-initial unevidenced word goes when seen in lowercase, a run with no
/// evidenced word at all goes; on headline-case lines only evidenced words stay.
fn evidence_split<'a, 'e>(
    ctx: &Ctx<'a>,
    lt: &LineToks<'a>,
    piece: &'e [Elem<'e>],
    after_strip: bool,
    f: &mut dyn FnMut(&'e [Elem<'e>]),
) {
    if piece.is_empty() {
        return;
    }
    if lt.style == LineStyle::TitleCase {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        for (i, e) in piece.iter().enumerate() {
            // Gazetteer forms stand alone in headlines (`Ukraine War`).
            if matches!(e.class, Class::Gaz(_)) {
                if let Some(p) = start.and_then(|s| piece.get(s..i)) {
                    out.push(p);
                }
                start = None;
                if let Some(p) = piece.get(i..=i) {
                    out.push(p);
                }
                continue;
            }
            let ok = tok_evidenced(ctx, lt, e);
            match (ok, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if let Some(p) = piece.get(s..i) {
                        out.push(p);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            if let Some(p) = piece.get(s..) {
                out.push(p);
            }
        }
        // A lone word on a headline needs to be a name the article uses
        // elsewhere, not just a capitalised word inside a longer name.
        out.retain(|p| match p {
            [one] if !matches!(one.class, Class::Gaz(_)) => lt
                .toks
                .get(one.first)
                .is_some_and(|t| ctx.is_named(t.text) || t.upper),
            _ => true,
        });
        for p in out {
            f(p);
        }
        return;
    }
    if let Some(p) = evidence_trim(ctx, lt, piece, after_strip) {
        f(p);
    }
}

/// [`evidence_split`] on an ordinary line: the piece, its part after a
/// dropped first word, or nothing.
fn evidence_trim<'a, 'e>(
    ctx: &Ctx<'a>,
    lt: &LineToks<'a>,
    piece: &'e [Elem<'e>],
    after_strip: bool,
) -> Option<&'e [Elem<'e>]> {
    let first = piece.first()?;
    let initial = first.initial && !after_strip;
    if !initial || tok_evidenced(ctx, lt, first) {
        return Some(piece);
    }
    let seen_lower = ctx.ev.lower.contains(first.lower);
    let rest = piece.get(1..).unwrap_or(&[]);
    // Drop particles right after a dropped first word (`Militaire de Poutine`).
    let mut rest_start = 0;
    while rest
        .get(rest_start)
        .is_some_and(|e| e.class == Class::Particle)
    {
        rest_start += 1;
    }
    let rest_trimmed = rest.get(rest_start..).unwrap_or(&[]);
    let first_joins_by_particle = rest_start > 0;
    if seen_lower || first_joins_by_particle {
        if rest_trimmed.is_empty() {
            return None;
        }
        return Some(rest_trimmed);
    }
    if rest.iter().any(|e| tok_evidenced(ctx, lt, e)) {
        return Some(piece);
    }
    // `Kavaleuski a déclaré`, `Kavaleuski said`: a speech verb makes it a name.
    if piece
        .last()
        .is_some_and(|l| followed_by_speech_verb(ctx, lt, l.last))
    {
        return Some(piece);
    }
    None
}

/// Whether the words right after token `last` (skipping auxiliaries, with no
/// punctuation in between) are a speech verb.
fn followed_by_speech_verb(ctx: &Ctx<'_>, lt: &LineToks<'_>, last: usize) -> bool {
    let Some(&wp) = lt.word_pos.get(last) else {
        return false;
    };
    let mut prev_end = lt.toks.get(last).map_or(0, |t| t.end);
    for q in wp + 1..wp + 4 {
        let Some(w) = lt.words.get(q).and_then(|&i| lt.toks.get(i)) else {
            return false;
        };
        if ctx
            .text
            .get(prev_end..w.start)
            .is_none_or(|g| !g.trim().is_empty())
        {
            return false;
        }
        if !w.lower {
            return false;
        }
        if w.flags & flag::AUXILIARIES != 0 {
            prev_end = w.end;
            continue;
        }
        return w.flags & flag::PERSON_CUES != 0;
    }
    false
}

/// Splits a run made only of gazetteer forms into one mention each
/// (`Moscou Minsk`, `Poutine Loukachenko` in a caption).
/// Calls `f` on each part, in order.
fn gazetteer_split<'e>(piece: &'e [Elem<'e>], mut f: impl FnMut(&'e [Elem<'e>])) {
    let mut named = piece.iter().filter(|e| !matches!(e.class, Class::Particle));
    let all_gaz = named.clone().all(|e| matches!(e.class, Class::Gaz(_)));
    if all_gaz && named.nth(1).is_some() {
        for (i, e) in piece.iter().enumerate() {
            if matches!(e.class, Class::Gaz(_)) {
                if let Some(one) = piece.get(i..=i) {
                    f(one);
                }
            }
        }
        return;
    }
    f(piece);
}

fn build_mention<'a>(
    ctx: &Ctx<'a>,
    lt: &LineToks<'a>,
    part: &[Elem<'_>],
    prefix: &Prefix,
) -> Option<Mention> {
    let cues = ctx.cues;
    let first = part.first()?;
    let last = part.last()?;
    let ft = lt.toks.get(first.first)?;
    let lt_tok = lt.toks.get(last.last)?;
    let span = Span::new(ft.start, lt_tok.end);
    let surface = span.text(ctx.text);
    if surface.is_empty() {
        return None;
    }
    // The name words of the part (no allocation: iterated where needed).
    let names = || {
        part.iter()
            .filter(|e| matches!(e.class, Class::Name | Class::Gaz(_) | Class::Initial))
    };
    let names_len = names().count();
    if names_len == 0 {
        return None;
    }
    // Single words that are never names on their own.
    if names_len == 1 && part.len() == 1 {
        let e = names().next()?;
        if e.class == Class::Initial || surface.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            return None;
        }
        if !matches!(e.class, Class::Gaz(_))
            && ((e.flags & flag::NOT_ALONE != 0) || (e.flags & flag::FUNCTION_WORDS != 0))
        {
            return None;
        }
    }
    if part.iter().all(|e| {
        e.class == Class::Particle
            || (!matches!(e.class, Class::Gaz(_)) && (e.flags & flag::FUNCTION_WORDS != 0))
    }) {
        return None;
    }
    if !ctx.not_entities.is_empty() && ctx.not_entities.contains(&surface.to_lowercase()) {
        return None;
    }

    let mut votes = KindVotes::default();
    let gaz_entry = match (part, first.class) {
        ([_], Class::Gaz(id)) => Some(id),
        _ => ctx.gaz_lookup(surface),
    };
    if let Some(id) = gaz_entry {
        if let Some(e) = ctx.gaz.entry(id) {
            votes.add(e.kind, 4);
        }
    }
    let toks = &lt.toks;
    let words = &lt.words;
    let first_wp = *lt.word_pos.get(first.first)?;
    let last_wp = *lt.word_pos.get(last.last)?;
    let word_at = |wp: usize| words.get(wp).and_then(|&i| toks.get(i));

    // Honorifics and roles.
    let before = first_wp.checked_sub(1).and_then(word_at);
    let honorific_before =
        prefix.honorific || before.is_some_and(|b| b.flags & flag::HONORIFICS != 0 && b.cap);
    if honorific_before {
        votes.add(EntityKind::Person, 3);
    }
    let mut role = match (prefix.role_first, prefix.role_last) {
        (Some(a), Some(b)) => {
            let s = toks.get(a).map(|t| t.start)?;
            let e = toks.get(b).map(|t| t.end)?;
            let r = ctx.text.get(s..e).unwrap_or("").trim().to_string();
            let has_role = role_words_in(cues, &r);
            has_role.then_some(r)
        }
        _ => None,
    };
    if role.is_none() {
        role = role_before(ctx, toks, words, first_wp).or_else(|| role_after(ctx, toks, last.last));
    }
    if role.is_some() {
        votes.add(EntityKind::Person, 2);
    }
    if names_len >= 2 {
        if let Some(t) = toks.get(first.first) {
            if first.class == Class::Name && ctx.is_given(t.text) {
                votes.add(EntityKind::Person, 3);
            }
        }
    }
    // Organisation heads and suffixes, acronyms, preceding organisation nouns.
    if first.class == Class::Name && (first.flags & flag::ORG_HEADS != 0) && part.len() > 1 {
        votes.add(EntityKind::Organization, 3);
    }
    if part.len() > 1 && last.class == Class::Name && (last.flags & flag::ORG_SUFFIXES != 0) {
        votes.add(EntityKind::Organization, 2);
    }
    if ft.upper && !ft.digit && part.len() == 1 && gaz_entry.is_none() {
        votes.add(EntityKind::Organization, 1);
    }
    if (1..=4).any(|d| {
        first_wp
            .checked_sub(d)
            .and_then(word_at)
            .is_some_and(|w| w.lower && w.flags & flag::ORG_CUES != 0)
    }) {
        votes.add(EntityKind::Organization, 2);
    }
    // Place prepositions (skipping an elided article: `en`, `à l’`), and place
    // nouns before `de`/`of` (`la région de Podlachie`, `the city of Grodno`).
    let mut p = first_wp;
    // The two words before, skipping elided articles (no allocation).
    let mut before: [Option<&Tok<'_>>; 2] = [None, None];
    let mut found = 0;
    while let Some(w) = p.checked_sub(1).and_then(word_at) {
        p -= 1;
        if w.flags & flag::ELISIONS != 0 || matches!(w.lw.as_ref(), "la" | "le" | "the") {
            continue;
        }
        if let Some(slot) = before.get_mut(found) {
            *slot = Some(w);
        }
        found += 1;
        if found >= 2 {
            break;
        }
    }
    if let [Some(w), second] = before {
        if w.flags & flag::PLACE_CUES != 0 {
            votes.add(EntityKind::Place, 2);
        } else if w.flags & flag::PLACE_CUES_WEAK != 0 {
            votes.add(EntityKind::Place, 1);
        } else if matches!(w.lw.as_ref(), "de" | "du" | "d" | "of")
            && second.is_some_and(|n| n.lower && n.flags & flag::PLACE_CUES != 0)
        {
            votes.add(EntityKind::Place, 2);
        }
        if w.flags & flag::PERSON_CUES != 0 {
            votes.add(EntityKind::Person, 1);
        }
    }
    // Speech verbs after the name (`Loukachenko a déclaré`, `Putin said`).
    let mut q = last_wp + 1;
    for _ in 0..3 {
        let Some(w) = word_at(q) else { break };
        // Only words directly after the name: a comma ends the clause.
        let prev_end = word_at(q - 1).map_or(0, |p| p.end);
        if ctx
            .text
            .get(prev_end..w.start)
            .is_some_and(|g| !g.trim().is_empty())
        {
            break;
        }
        if w.flags & flag::AUXILIARIES != 0 {
            q += 1;
            continue;
        }
        if w.flags & flag::PERSON_CUES != 0 && w.lower {
            votes.add(EntityKind::Person, 1);
        }
        break;
    }
    if names().any(|e| lt.toks.get(e.first).is_some_and(|t| t.digit)) {
        votes.add(EntityKind::Other, 1);
    }
    if votes.winner().is_none()
        && (2..=3).contains(&names_len)
        && names().all(|e| {
            e.class == Class::Name
                && lt.toks.get(e.first).is_some_and(|t| {
                    !t.upper && !t.digit && t.text.chars().all(char::is_alphabetic)
                })
        })
    {
        votes.add(EntityKind::Person, 1);
    }
    let gazetteer = gaz_entry
        .and_then(|id| ctx.gaz.entry(id))
        .map(|e| crate::analysis::Atom::new(e.preferred(ctx.lang)));
    Some(Mention {
        span: span.into(),
        text: crate::analysis::Atom::new(surface),
        kind: votes.winner().unwrap_or_default(),
        votes,
        role: role.map(crate::analysis::Atom::from),
        gazetteer,
    })
}

fn role_words_in(cues: &Cues, s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| cues.roles.contains(&w.to_lowercase()))
}

/// A role written just before the name: `le président biélorusse Alexandre
/// Loukachenko`, `Le porte-parole du Kremlin, Dmitri Peskov`.
fn role_before<'a>(
    ctx: &Ctx<'a>,
    toks: &[Tok<'a>],
    words: &[usize],
    first_wp: usize,
) -> Option<String> {
    let cues = ctx.cues;
    let first_ti = *words.get(first_wp)?;
    let name_start = toks.get(first_ti)?.start;
    // The text between the previous words and the name: at most a comma.
    let mut end_byte: Option<usize> = None;
    let apposition = first_wp
        .checked_sub(1)
        .and_then(|p| words.get(p))
        .and_then(|&i| toks.get(i + 1..first_ti))
        .is_some_and(|gap| gap.iter().any(|g| g.text == ","));
    let mut wp = first_wp;
    for _ in 0..8 {
        let prev = wp.checked_sub(1)?;
        let ti = *words.get(prev)?;
        let next_ti = *words.get(wp)?;
        let t = toks.get(ti)?;
        // Only a comma (right before the name) or apostrophes may sit between words.
        let gap_ok = toks
            .get(ti + 1..next_ti)
            .unwrap_or(&[])
            .iter()
            .all(|g| g.text == "’" || g.text == "'" || (g.text == "," && next_ti == first_ti));
        if !gap_ok {
            return None;
        }
        let l = t.lw.as_ref();
        if end_byte.is_none() {
            end_byte = Some(t.end);
        }
        // The token's cue bits say which tables its lowercase form is in.
        if t.flags & flag::ROLES != 0 {
            let mut start_wp = prev;
            // `Premier ministre`, `vice-président`: extend over role words.
            while let Some(p) = start_wp.checked_sub(1) {
                let Some(pt) = words.get(p).and_then(|&i| toks.get(i)) else {
                    break;
                };
                if pt.flags & flag::ROLES != 0 {
                    start_wp = p;
                } else {
                    break;
                }
            }
            let s = toks.get(*words.get(start_wp)?)?.start;
            let e = end_byte.unwrap_or(name_start);
            let r = ctx.text.get(s..e)?.trim().trim_end_matches(',').trim();
            return (!r.is_empty()).then(|| r.to_string());
        }
        let linking = t.flags & (flag::ORG_LINKING | flag::ELISIONS) != 0;
        // `secrétaire général de l'Alliance`: the name completes the role, it
        // does not carry it.
        if linking && next_ti == first_ti {
            return None;
        }
        // Between a role and its name: adjectives and demonyms (`le président
        // biélorusse`), complements after a linking word (`du Kremlin`, `de la
        // Défense`); any lowercase word only in an apposition set off by a
        // comma (`le commandant des forces conjointes ukrainiennes, Serhiy Nayev`).
        let after_linking = prev
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .and_then(|&i| toks.get(i))
            .is_some_and(|p| p.flags & (flag::ORG_LINKING | flag::ELISIONS) != 0);
        let plain_word = t.lower && t.flags & (flag::STOPWORDS | flag::FUNCTION_WORDS) == 0;
        let adjective = plain_word
            && (apposition || after_linking || cues.is_adjective(l) || ctx.is_demonym(t.text, l));
        let capital = t.cap && after_linking;
        if !(linking || adjective || capital) {
            return None;
        }
        wp = prev;
    }
    None
}

/// A role in apposition after the name: `Dmitri Peskov, porte-parole du Kremlin,`.
fn role_after<'a>(ctx: &Ctx<'a>, toks: &[Tok<'a>], last_ti: usize) -> Option<String> {
    let comma = toks.get(last_ti + 1)?;
    if comma.text != "," {
        return None;
    }
    let mut i = last_ti + 2;
    // Optional determiner.
    let mut start: Option<usize> = None;
    for _ in 0..2 {
        let t = toks.get(i)?;
        if !t.word {
            return None;
        }
        let l = t.lw.as_ref();
        if t.flags & flag::ROLES != 0 {
            start = Some(i);
            break;
        }
        if matches!(
            l,
            "son"
                | "sa"
                | "ses"
                | "le"
                | "la"
                | "l"
                | "the"
                | "his"
                | "her"
                | "its"
                | "their"
                | "a"
                | "an"
        ) || t.text == "’"
        {
            i += 1;
            continue;
        }
        return None;
    }
    let s = start?;
    let mut e = s;
    let mut j = s + 1;
    let mut count = 0;
    while let Some(t) = toks.get(j) {
        if !t.word {
            if t.text == "’" || t.text == "'" || t.text == "-" {
                j += 1;
                continue;
            }
            break;
        }
        count += 1;
        if count > 8 {
            break;
        }
        let l = t.lw.as_ref();
        if t.flags & flag::PERSON_CUES != 0 || t.flags & flag::AUXILIARIES != 0 && l != "s" {
            break;
        }
        e = j;
        j += 1;
    }
    let a = toks.get(s)?.start;
    let b = toks.get(e)?.end;
    ctx.text.get(a..b).map(|r| r.trim().to_string())
}

/// `Organisation du traité de sécurité collective (OTSC)`: the acronym in
/// parentheses right after a longer name stands for it; its `gazetteer` field
/// names the long form so the linker puts both in one entity.
fn link_parenthesised_acronyms(text: &str, out: &mut [Mention], from: usize) {
    let mut i = from;
    while i + 1 < out.len() {
        // Most neighbours are not `long (ACRONYM)`: test the gap first, before
        // cloning the long mention's fields (a cost paid per mention otherwise).
        let opens_parenthesis = match (out.get(i), out.get(i + 1)) {
            (Some(a), Some(b)) => text
                .get(a.span().end..b.span().start)
                .unwrap_or("")
                .trim()
                .eq("("),
            _ => false,
        };
        if !opens_parenthesis {
            i += 1;
            continue;
        }
        let (long_text, long_gaz, long_votes, long_end) = match out.get(i) {
            Some(a) => (a.text, a.gazetteer, a.votes, a.span().end),
            None => break,
        };
        let mut long_gets: Option<String> = None;
        if let Some(b) = out.get_mut(i + 1) {
            let gap = text.get(long_end..b.span().start).unwrap_or("");
            let close = text.get(b.span().end..).unwrap_or("").trim_start();
            let acronym = b.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && b.text.chars().all(|c| !c.is_lowercase());
            let same_initial = b.text.chars().next().map(|c| c.to_lowercase().to_string())
                == long_text
                    .chars()
                    .next()
                    .map(|c| c.to_lowercase().to_string());
            if gap.trim() == "("
                && close.starts_with(')')
                && acronym
                && same_initial
                && long_text.contains(' ')
            {
                match (&b.gazetteer, &long_gaz) {
                    (None, _) => b.gazetteer = Some(long_gaz.unwrap_or(long_text)),
                    (Some(g), None) => long_gets = Some(g.to_string()),
                    _ => {}
                }
                b.votes.merge(&long_votes);
                b.kind = b.votes.winner().unwrap_or_default();
            }
        }
        // A known acronym names its long form too (`… (OPEP)`).
        if let (Some(g), Some(a)) = (long_gets, out.get_mut(i)) {
            a.gazetteer = Some(crate::analysis::Atom::from(g));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests;
