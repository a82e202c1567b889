//! The analysis core: pure functions from one article's text to facts.
//!
//! Everything here works on `&str` and UTF-8 byte offsets. Nothing knows about
//! LSP, files or the rest of the corpus: facts that need the corpus (entity
//! links, lines repeated across articles) are handed in through
//! [`rules::RuleContext`] by the corpus layer.
//!
//! The pipeline ([`analyze`]): split lines → detect the language → article
//! structure (title, byline, date, headings, captions, boilerplate) → entity
//! mentions → quotations and their attribution. Diagnostics are produced
//! afterwards by the rule registry in [`rules`].

pub mod atom;
pub mod boilerplate;
pub mod language;
pub mod lexicon;
pub mod lines;
pub mod mentions;
pub mod names;
pub mod quotes;
pub mod rules;
pub mod structure;

use serde::Serialize;

pub use atom::Atom;

pub use language::Language;
pub use lines::Lines;

/// Options that change what the analysis finds (from `news-ls.toml` and editor settings).
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Force the article language instead of detecting it.
    pub language: Option<Language>,
    /// Extra speech verbs (any language), as written (`a martelé`).
    pub extra_speech_verbs: Vec<String>,
    /// Words that are never entities.
    pub not_entities: Vec<String>,
    /// Extra boilerplate line patterns (already-validated regular expressions).
    pub extra_boilerplate: Vec<regex::Regex>,
}

/// A half-open byte range `[start, end)` into the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The byte range, for `str::get`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
    /// The text of this span, or `""` when it does not fall on character boundaries.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A whole line referred to by its 0-based number and its trimmed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRef {
    pub line: usize,
    pub text: String,
}

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    #[default]
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organization => "organization",
            EntityKind::Other => "other",
        }
    }
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Organization,
        EntityKind::Other,
    ];
}

/// Evidence for each kind collected around a mention; the corpus layer sums
/// these over all mentions of an entity to vote on its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct KindVotes {
    pub person: u16,
    pub place: u16,
    pub organization: u16,
    pub other: u16,
}

impl KindVotes {
    pub fn add(&mut self, kind: EntityKind, weight: u16) {
        let slot = match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Place => &mut self.place,
            EntityKind::Organization => &mut self.organization,
            EntityKind::Other => &mut self.other,
        };
        *slot = slot.saturating_add(weight);
    }
    pub fn merge(&mut self, other: &KindVotes) {
        self.person = self.person.saturating_add(other.person);
        self.place = self.place.saturating_add(other.place);
        self.organization = self.organization.saturating_add(other.organization);
        self.other = self.other.saturating_add(other.other);
    }
    /// The votes as person, place, organization, other.
    pub fn counts(&self) -> [u16; 4] {
        [self.person, self.place, self.organization, self.other]
    }
    /// The kind with most votes (ties: person > place > organization > other), if any vote.
    pub fn winner(&self) -> Option<EntityKind> {
        winner_of(self.counts().map(u32::from))
    }
}

/// [`KindVotes`] summed over many mentions (a surface's, a cluster's, an
/// entity's): 32-bit counts, as a frequent name's votes pass 65,535, where
/// 16-bit sums would saturate and tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoteTotals {
    /// Person, place, organization, other (the order of [`KindVotes::counts`]).
    counts: [u32; 4],
}

impl VoteTotals {
    /// Adds one mention's votes.
    pub fn add(&mut self, v: &KindVotes) {
        self.add_counts(v.counts().map(u32::from));
    }
    pub fn merge(&mut self, o: &VoteTotals) {
        self.add_counts(o.counts);
    }
    fn add_counts(&mut self, counts: [u32; 4]) {
        for (total, n) in self.counts.iter_mut().zip(counts) {
            *total = total.saturating_add(n);
        }
    }
    /// The votes for one kind.
    pub fn count(&self, kind: EntityKind) -> u32 {
        KINDS
            .iter()
            .position(|&k| k == kind)
            .and_then(|i| self.counts.get(i))
            .copied()
            .unwrap_or(0)
    }
    /// The kind with most votes (ties as [`KindVotes::winner`]), if any vote.
    pub fn winner(&self) -> Option<EntityKind> {
        winner_of(self.counts)
    }
}

/// The kinds in the order of [`KindVotes::counts`] and [`VoteTotals`].
const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Place,
    EntityKind::Organization,
    EntityKind::Other,
];

/// The kind with most votes among person, place, organization and other
/// counts (ties: the first), if any vote.
fn winner_of(counts: [u32; 4]) -> Option<EntityKind> {
    let mut best: Option<(u32, EntityKind)> = None;
    for (n, k) in counts.into_iter().zip(KINDS) {
        if n > 0 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, k));
        }
    }
    best.map(|(_, k)| k)
}

/// A proper name in the text (span excludes titles and honorifics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Where it is written (read with [`Mention::span`]; 8 bytes: a corpus
    /// keeps millions of mentions).
    pub span: SmallSpan,
    /// The surface text exactly as written. (Interned strings here and
    /// below: a corpus keeps millions of mentions, and an [`Atom`] is 4 bytes
    /// with no allocation of its own.)
    pub text: Atom,
    /// The kind decided from this article's evidence alone.
    pub kind: EntityKind,
    /// Evidence for each kind in this article (gazetteer, honorifics, cues).
    pub votes: KindVotes,
    /// A role found in apposition (`le président biélorusse`), if any.
    pub role: Option<Atom>,
    /// The gazetteer's canonical name when the surface is a known exonym/variant.
    pub gazetteer: Option<Atom>,
}

impl Mention {
    /// Where it is written.
    pub fn span(&self) -> Span {
        self.span.span()
    }
}

/// Whether a quoted span is someone's words or a short quoted term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Quote,
    Term,
}

/// Who the article credits with a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// A named person or organization (directly, or via a resolved pronoun/description).
    Named,
    /// An identifiable but unnamed source (`un haut responsable slovaque`).
    Described,
    /// A vague source (`a-t-on affirmé`, `selon des sources`).
    Anonymous,
    /// Nobody.
    None,
}

impl Attribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Named => "named",
            Attribution::Described => "described",
            Attribution::Anonymous => "anonymous",
            Attribution::None => "none",
        }
    }
}

/// The word(s) that attribute a quotation: a speech verb or a preposition (`selon`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cue {
    /// Where the cue is written (read with [`Cue::span`]).
    pub span: SmallSpan,
    pub text: Atom,
}

impl Cue {
    /// Where the cue is written.
    pub fn span(&self) -> Span {
        self.span.span()
    }
}

/// A quotation: the text between quotation marks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The content, without the marks and without padding spaces inside them
    /// (read with [`Quote::span`]; 8 bytes, as the marks and speaker spans:
    /// a corpus keeps hundreds of thousands of quotations).
    pub span: SmallSpan,
    /// The opening mark, when there is one (read with [`Quote::open_mark`]).
    pub open_mark: Option<SmallSpan>,
    /// The closing mark, when there is one (read with [`Quote::close_mark`]).
    pub close_mark: Option<SmallSpan>,
    pub kind: QuoteKind,
    pub attribution: Attribution,
    /// The speaker as named (`Alexandre Loukachenko`) or described (`un haut responsable`).
    pub speaker: Option<Atom>,
    /// Where the speaker is written: the credited mention, the resolved antecedent
    /// of a pronoun, or the description (read with [`Quote::speaker_span`]).
    pub speaker_span: Option<SmallSpan>,
    /// The attribution cue (speech verb or preposition).
    pub cue: Option<Cue>,
    /// Index (in [`Article::quotes`]) of the quotation this one continues, for
    /// multi-paragraph quotations.
    pub continues: Option<u32>,
    /// When no speaker was found: the nearest plausible person, for the diagnostic message.
    pub nearest_candidate: Option<Atom>,
}

impl Quote {
    /// The content, without the marks.
    pub fn span(&self) -> Span {
        self.span.span()
    }
    /// The opening mark, when there is one.
    pub fn open_mark(&self) -> Option<Span> {
        self.open_mark.map(SmallSpan::span)
    }
    /// The closing mark, when there is one.
    pub fn close_mark(&self) -> Option<Span> {
        self.close_mark.map(SmallSpan::span)
    }
    /// Where the speaker is written.
    pub fn speaker_span(&self) -> Option<Span> {
        self.speaker_span.map(SmallSpan::span)
    }
    /// The quotation with its marks.
    pub fn extent(&self) -> Span {
        let content = self.span();
        let start = self
            .open_mark()
            .map_or(content.start, |m| m.start.min(content.start));
        let end = self
            .close_mark()
            .map_or(content.end, |m| m.end.max(content.end));
        Span::new(start, end)
    }
}

/// A [`Span`] in 8 bytes, with `Option<SmallSpan>` 8 bytes too, for the
/// spans a corpus keeps by the million (a mention's; a quotation's content,
/// marks, speaker and cue). Serialises exactly like a `Span`. Offsets saturate at
/// `u32::MAX - 1` (articles are far smaller: files over the size limit are
/// never analysed).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SmallSpan {
    /// `start + 1`, so that `None` costs nothing.
    start1: std::num::NonZeroU32,
    end1: u32,
}

impl SmallSpan {
    pub fn span(self) -> Span {
        Span::new(self.start1.get() as usize - 1, self.end1 as usize)
    }
}

/// `x` as a `u32`, saturating at `u32::MAX` (for stored offsets and indices:
/// articles are far below 4 GiB, as `maxFileSize` is).
pub fn saturating_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

impl std::fmt::Debug for SmallSpan {
    // As the `Span` it stands for (its fields hold `start + 1`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.span().fmt(f)
    }
}

impl From<Span> for SmallSpan {
    fn from(s: Span) -> SmallSpan {
        let narrow = |x: usize| saturating_u32(x).min(u32::MAX - 1);
        SmallSpan {
            start1: std::num::NonZeroU32::MIN.saturating_add(narrow(s.start)),
            end1: narrow(s.end),
        }
    }
}

impl Serialize for SmallSpan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.span().serialize(serializer)
    }
}

/// What a boilerplate line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoilerplateKind {
    Navigation,
    DuplicateTitle,
    EmptyByline,
    CookieNotice,
    RelatedLinks,
    Promo,
    Teaser,
    CommentForm,
    BackToTop,
    PhotoCredit,
    AuthorBio,
    SourceLine,
    RepeatedAcrossCorpus,
}

impl BoilerplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoilerplateKind::Navigation => "navigation",
            BoilerplateKind::DuplicateTitle => "duplicate-title",
            BoilerplateKind::EmptyByline => "empty-byline",
            BoilerplateKind::CookieNotice => "cookie-notice",
            BoilerplateKind::RelatedLinks => "related-links",
            BoilerplateKind::Promo => "promo",
            BoilerplateKind::Teaser => "teaser",
            BoilerplateKind::CommentForm => "comment-form",
            BoilerplateKind::BackToTop => "back-to-top",
            BoilerplateKind::PhotoCredit => "photo-credit",
            BoilerplateKind::AuthorBio => "author-bio",
            BoilerplateKind::SourceLine => "source-line",
            BoilerplateKind::RepeatedAcrossCorpus => "repeated-across-corpus",
        }
    }
    /// A human description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            BoilerplateKind::Navigation => "site navigation",
            BoilerplateKind::DuplicateTitle => "a repeated title",
            BoilerplateKind::EmptyByline => "an empty byline",
            BoilerplateKind::CookieNotice => "a cookie notice",
            BoilerplateKind::RelatedLinks => "a related-articles header",
            BoilerplateKind::Promo => "a promotional header",
            BoilerplateKind::Teaser => "a teaser link",
            BoilerplateKind::CommentForm => "a comment form",
            BoilerplateKind::BackToTop => "a back-to-top button",
            BoilerplateKind::PhotoCredit => "a photo credit",
            BoilerplateKind::AuthorBio => "an author biography",
            BoilerplateKind::SourceLine => "a syndication source line",
            BoilerplateKind::RepeatedAcrossCorpus => "a line repeated across the corpus",
        }
    }
}

/// A whole line that is not part of the article as its author wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoilerplateLine {
    pub line: usize,
    pub kind: BoilerplateKind,
    pub text: String,
    /// Why it was classified so (for the diagnostic message; interned: the
    /// reasons are a few templates).
    pub reason: Atom,
}

/// A section of the article body: the lede (before the first subheading) or
/// the text under one subheading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The subheading line that opens the section; `None` for the lede.
    pub heading: Option<LineRef>,
    /// First and last line (inclusive) of the section.
    pub start_line: usize,
    pub end_line: usize,
}

/// A bracketed fragment in another language than the article's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fragment {
    pub span: Span,
    pub text: String,
    pub language: Language,
}

/// The article model built from the text alone.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Structure {
    pub title: Option<LineRef>,
    /// ISO 8601 as precise as stated (`2022`, `2022-12`, `2022-12-19`).
    pub date: Option<String>,
    /// Where the date is written.
    pub date_span: Option<Span>,
    /// The author line's names as written.
    pub byline: Option<String>,
    pub byline_line: Option<usize>,
    pub headings: Vec<LineRef>,
    pub captions: Vec<LineRef>,
    pub boilerplate: Vec<BoilerplateLine>,
    pub sections: Vec<Section>,
    pub untranslated: Vec<Fragment>,
}

/// Everything the analysis knows about one article.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Article {
    pub language: Language,
    pub structure: Structure,
    pub mentions: Vec<Mention>,
    pub quotes: Vec<Quote>,
    /// Problems found while reading the text itself (e.g. not UTF-8).
    pub read_problems: Vec<String>,
    /// Analysed by [`analyze_deferring_quotes`]: `quotes` is empty until
    /// [`find_quotes`] fills it.
    #[serde(skip)]
    pub quotes_pending: bool,
}

/// Analyses one article.
pub fn analyze(text: &str, options: &AnalysisOptions) -> Article {
    analyze_lines(text, &Lines::new(text), options)
}

/// [`analyze`] with the text's line table already built (the corpus keeps
/// one per document).
pub fn analyze_lines(text: &str, lines: &Lines, options: &AnalysisOptions) -> Article {
    let mut article = analyze_lines_deferring_quotes(text, lines, options);
    article.quotes = find_quotes_in_lines(text, lines, &article, options);
    article.quotes_pending = false;
    article
}

/// Analyses one article except its quotations: what indexing a corpus needs
/// first (structure and mentions link the corpus's entities; quotations can
/// follow in the background). [`find_quotes`] on the result, before anything
/// else changes it, gives exactly [`analyze`]'s quotations.
pub fn analyze_deferring_quotes(text: &str, options: &AnalysisOptions) -> Article {
    analyze_lines_deferring_quotes(text, &Lines::new(text), options)
}

/// [`analyze_deferring_quotes`] with the text's line table already built.
pub fn analyze_lines_deferring_quotes(
    text: &str,
    lines: &Lines,
    options: &AnalysisOptions,
) -> Article {
    let language = options.language.unwrap_or_else(|| language::detect(text));
    let lexicon = lexicon::Lexicon::get();
    let structure = structure::analyze(text, lines, language, lexicon, options);
    // A corpus keeps every article in memory: no spare capacity.
    let mentions = exact(mentions::find(
        text, lines, &structure, language, lexicon, options,
    ));
    Article {
        language,
        structure,
        mentions,
        quotes: Vec::new(),
        read_problems: Vec::new(),
        quotes_pending: true,
    }
}

/// The quotations of an article from its structure and mentions.
pub fn find_quotes(text: &str, article: &Article, options: &AnalysisOptions) -> Vec<Quote> {
    find_quotes_in_lines(text, &Lines::new(text), article, options)
}

/// [`find_quotes`] with the text's line table already built.
pub fn find_quotes_in_lines(
    text: &str,
    lines: &Lines,
    article: &Article,
    options: &AnalysisOptions,
) -> Vec<Quote> {
    let quotes = quotes::find(
        text,
        lines,
        &article.structure,
        &article.mentions,
        article.language,
        lexicon::Lexicon::get(),
        options,
    );
    exact(quotes)
}

/// `v` in an allocation of exactly its length, for what a corpus keeps.
/// (`shrink_to_fit` is not enough: an allocator may shrink in place and keep
/// the whole block — mimalloc does whenever the new size is at least half the
/// old one — so a vector grown by doubling keeps up to half of it spare.)
pub fn exact<T: Clone>(v: Vec<T>) -> Vec<T> {
    if v.capacity() == v.len() {
        return v;
    }
    let mut out = Vec::with_capacity(v.len());
    out.extend_from_slice(&v);
    out
}

#[cfg(test)]
mod deferred_tests {
    use super::*;

    #[test]
    fn vote_totals_count_past_what_one_mention_holds() {
        // 70,000 mentions voting person once and 100,000 voting place: summed
        // in 16 bits both would saturate at 65,535 and tie (person first).
        let mut person = KindVotes::default();
        person.add(EntityKind::Person, 1);
        let mut place = KindVotes::default();
        place.add(EntityKind::Place, 1);
        let mut totals = VoteTotals::default();
        let mut saturated = KindVotes::default();
        for _ in 0..70_000 {
            totals.add(&person);
            saturated.merge(&person);
        }
        for _ in 0..100_000 {
            totals.add(&place);
            saturated.merge(&place);
        }
        assert_eq!(
            (
                totals.count(EntityKind::Person),
                totals.count(EntityKind::Place)
            ),
            (70_000, 100_000)
        );
        assert_eq!(totals.winner(), Some(EntityKind::Place));
        assert_eq!(saturated.winner(), Some(EntityKind::Person));
        // Ties and emptiness as for one mention's votes.
        let mut tie = VoteTotals::default();
        assert_eq!(tie.winner(), None);
        tie.add(&place);
        tie.add(&person);
        assert_eq!(tie.winner(), Some(EntityKind::Person));
        let mut merged = VoteTotals::default();
        merged.merge(&totals);
        assert_eq!(merged, totals);
    }

    #[test]
    fn small_spans_round_trip_and_serialise_like_spans() {
        assert_eq!(std::mem::size_of::<Option<SmallSpan>>(), 8);
        for span in [
            Span::new(0, 0),
            Span::new(0, 3),
            Span::new(17, 19),
            Span::new(5, 2),
        ] {
            let small = SmallSpan::from(span);
            assert_eq!(small.span(), span);
            assert_eq!(
                serde_json::to_string(&small).ok(),
                serde_json::to_string(&span).ok()
            );
        }
        assert_eq!(
            format!("{:?}", SmallSpan::from(Span::new(3, 7))),
            format!("{:?}", Span::new(3, 7))
        );
        let huge = SmallSpan::from(Span::new(usize::MAX, usize::MAX)).span();
        assert_eq!(
            huge,
            Span::new(u32::MAX as usize - 1, u32::MAX as usize - 1)
        );
    }

    #[test]
    fn deferred_quotes_equal_the_whole_analysis() {
        let text = "Minsk accuse Varsovie\n\nPar Jean Dupont\n\n\
            « Nous ne céderons pas », a déclaré Alexandre Loukachenko lundi. \
            Selon Vladimir Poutine, « la Russie est prête ».\n";
        let opts = AnalysisOptions::default();
        let whole = analyze(text, &opts);
        let mut deferred = analyze_deferring_quotes(text, &opts);
        assert!(deferred.quotes_pending);
        assert!(deferred.quotes.is_empty());
        deferred.quotes = find_quotes(text, &deferred, &opts);
        deferred.quotes_pending = false;
        assert_eq!(whole.quotes.len(), 2);
        assert_eq!(deferred, whole);
    }
}
