//! Boilerplate line classification from cue tables (navigation, cookie
//! notices, related links, promos, comment forms, photo credits…), plus the
//! shape rule for breadcrumbs (`Home » MONDE » …`).
//!
//! Cue tables are `data/<lang>/boilerplate_<kind>.txt` (and `data/common/`).
//! Every language's table applies to every article: scraped French pages carry
//! English banners (`This website uses cookies…`, `Related Articles`). An entry
//! matches, case-, accent- and punctuation-insensitively:
//! - `entry`: the whole line is this text;
//! - `^entry`: the line starts with it (short lines only);
//! - `*entry`: the line contains it (short lines only).
//!
//! The same matcher ([`CueSet`]) serves other line-cue tables of the structure
//! analysis (section labels, caption cues).

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::lexicon::Lexicon;
use super::BoilerplateKind;

/// Folds text for cue matching: decomposed accents removed, lowercase, typographic
/// apostrophes and quotation marks made plain, no space before `: ; ! ?`,
/// whitespace collapsed, trimmed.
pub fn fold(s: &str) -> String {
    // Built as bytes: ASCII (most of any text) is folded by a table look-up
    // and a byte push per character; other characters are decomposed (char by
    // char, the string's NFD up to the order of combining marks, which are
    // dropped anyway) and folded by `fold_char`, which writes whole UTF-8
    // sequences. The bytes are therefore always valid UTF-8.
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut pending_space = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(&folded) = ASCII_FOLD.get(usize::from(b)) {
            i += 1;
            if folded == SPACE {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space && !matches!(b, b':' | b';' | b'!' | b'?') {
                out.push(b' ');
            }
            pending_space = false;
            out.push(folded);
        } else {
            let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            unicode_normalization::char::decompose_canonical(c, |d| {
                fold_char(&mut out, &mut pending_space, d)
            });
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`ASCII_FOLD`]'s mark for whitespace (a byte no folded character is).
const SPACE: u8 = 0xff;

/// How [`fold`] writes each ASCII byte: lowercase, the backquote as an
/// apostrophe, whitespace (with the vertical tab) as [`SPACE`].
static ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() || byte == 0x0b {
            SPACE
        } else if byte == b'`' {
            b'\''
        } else {
            byte.to_ascii_lowercase()
        };
        b += 1;
    }
    table
};

/// Appends a char's UTF-8 bytes.
fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// One char of [`fold`] (after decomposition).
fn fold_char(out: &mut Vec<u8>, pending_space: &mut bool, c: char) {
    if !c.is_ascii() && unicode_normalization::char::is_combining_mark(c) {
        return;
    }
    let c = match c {
        '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
        '“' | '”' | '„' | '«' | '»' => '"',
        '\u{a0}' | '\u{202f}' | '\u{2009}' => ' ',
        other => other,
    };
    if c.is_whitespace() {
        *pending_space = !out.is_empty();
        return;
    }
    if *pending_space && !matches!(c, ':' | ';' | '!' | '?') {
        out.push(b' ');
    }
    *pending_space = false;
    if c.is_ascii() {
        push_char(out, c.to_ascii_lowercase());
    } else {
        for l in c.to_lowercase() {
            push_char(out, l);
        }
    }
}

/// The folded line with punctuation, bullets and quotation marks trimmed at
/// both ends: the key of whole-line matches.
pub fn line_key(s: &str) -> String {
    key_of_folded(&fold(s)).to_string()
}

/// [`line_key`] of a line already folded with [`fold`].
pub fn key_of_folded(folded: &str) -> &str {
    folded.trim_matches(|c: char| !c.is_alphanumeric())
}

/// How an entry matches a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Whole,
    Prefix,
    Contains,
}

/// A successful cue match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueHit<T: Copy> {
    pub tag: T,
    /// The entry as written in the table (without its mode mark).
    pub cue: &'static str,
    pub mode: Mode,
}

/// A set of line cues from several tables, each table carrying a tag.
/// Matching a line is linear in its length (one Aho-Corasick pass).
#[derive(Debug)]
pub struct CueSet<T: Copy> {
    whole: HashMap<String, (usize, T, &'static str)>,
    patterns: Vec<(usize, T, &'static str, Mode)>,
    automaton: Option<AhoCorasick>,
    /// The tags of the tables, to bound the line length any cue accepts.
    tags: Vec<T>,
}

impl<T: Copy> CueSet<T> {
    /// Builds the set from `(table, tag)` pairs, in priority order (earlier wins),
    /// over every language's table of that name and `data/common/`.
    pub fn build(lexicon: &Lexicon, tables: &[(&str, T)]) -> Self {
        let mut whole = HashMap::default();
        let mut patterns = Vec::new();
        let mut needles = Vec::new();
        for (priority, (table, tag)) in tables.iter().enumerate() {
            for entry in lexicon.all_languages(table) {
                let (mode, body) = if let Some(rest) = entry.strip_prefix('^') {
                    (Mode::Prefix, rest)
                } else if let Some(rest) = entry.strip_prefix('*') {
                    (Mode::Contains, rest)
                } else {
                    (Mode::Whole, entry)
                };
                if mode == Mode::Whole {
                    let key = line_key(body);
                    if !key.is_empty() {
                        whole.entry(key).or_insert((priority, *tag, body));
                    }
                    continue;
                }
                let needle = fold(body);
                if needle.is_empty() {
                    continue;
                }
                needles.push(needle);
                patterns.push((priority, *tag, body, mode));
            }
        }
        // A DFA: a few hundred short cues, matched against every line.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&needles)
            .ok();
        CueSet {
            whole,
            patterns,
            automaton,
            tags: tables.iter().map(|(_, tag)| *tag).collect(),
        }
    }

    /// The best cue of a line: a whole-line match first, else the highest-priority
    /// prefix or contained cue. `max_words` says, per tag, how long a line may be
    /// for a prefix/contains cue to count.
    pub fn find(&self, line: &str, max_words: impl Fn(T) -> usize) -> Option<CueHit<T>> {
        self.find_folded(&fold(line), max_words)
    }

    /// [`CueSet::find`] on a line already folded with [`fold`].
    pub fn find_folded(&self, folded: &str, max_words: impl Fn(T) -> usize) -> Option<CueHit<T>> {
        // The same key as `line_key`, without folding the line twice.
        let key = key_of_folded(folded);
        if key.is_empty() {
            return None;
        }
        if let Some((_, tag, cue)) = self.whole.get(key) {
            return Some(CueHit {
                tag: *tag,
                cue,
                mode: Mode::Whole,
            });
        }
        let body = cue_body(folded);
        // A line longer than every tag allows has no prefix or contained cue.
        let limit = self.tags.iter().map(|&t| max_words(t)).max()?;
        let words = folded_words(body);
        if words > limit {
            return None;
        }
        let automaton = self.automaton.as_ref()?;
        // Cues are rare in a line: a first search answers whether any occurs,
        // and most lines stop there (an overlapping search reports every
        // match, which costs more per byte than a search for the first).
        if !automaton.is_match(body) {
            return None;
        }
        let mut best: Option<(usize, CueHit<T>)> = None;
        for m in automaton.find_overlapping_iter(body) {
            let Some(&(priority, tag, cue, mode)) = self.patterns.get(m.pattern().as_usize())
            else {
                continue;
            };
            if words > max_words(tag) {
                continue;
            }
            if mode == Mode::Prefix && m.start() != 0 {
                continue;
            }
            if !at_word_boundaries(body, m.start(), m.end()) {
                continue;
            }
            if best.is_none_or(|(p, _)| priority < p) {
                best = Some((priority, CueHit { tag, cue, mode }));
            }
        }
        best.map(|(_, h)| h)
    }
}

/// A folded line without the bullets and marks that may lead it (`• `, `> `,
/// `– `): where prefix cues are looked for.
fn cue_body(folded: &str) -> &str {
    folded.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '•' | '-' | '*' | '>' | '·' | '–' | '—' | '|')
    })
}

/// The number of words of a folded line (or of its end from a word on):
/// [`fold`] leaves exactly one ASCII space between words and none at the
/// ends, so they are counted as spaces, a vectorised byte count (this runs on
/// every line of every article).
fn folded_words(folded: &str) -> usize {
    if folded.is_empty() {
        return 0;
    }
    1 + folded.bytes().filter(|&b| b == b' ').count()
}

/// Whether `[start, end)` of `s` neither starts nor ends inside a word (only
/// checked where the match itself begins/ends with a letter or digit).
fn at_word_boundaries(s: &str, start: usize, end: usize) -> bool {
    let inner_first = s.get(start..).and_then(|t| t.chars().next());
    let inner_last = s.get(..end).and_then(|t| t.chars().next_back());
    let before = s.get(..start).and_then(|t| t.chars().next_back());
    let after = s.get(end..).and_then(|t| t.chars().next());
    let ok_start = !(inner_first.is_some_and(char::is_alphanumeric)
        && before.is_some_and(char::is_alphanumeric));
    let ok_end = !(inner_last.is_some_and(char::is_alphanumeric)
        && after.is_some_and(char::is_alphanumeric));
    ok_start && ok_end
}

/// Tables of boilerplate cues, in priority order.
const KIND_TABLES: &[(&str, BoilerplateKind)] = &[
    ("boilerplate_cookie_notice", BoilerplateKind::CookieNotice),
    ("boilerplate_comment_form", BoilerplateKind::CommentForm),
    ("boilerplate_back_to_top", BoilerplateKind::BackToTop),
    ("boilerplate_author_bio", BoilerplateKind::AuthorBio),
    ("boilerplate_source_line", BoilerplateKind::SourceLine),
    ("boilerplate_empty_byline", BoilerplateKind::EmptyByline),
    ("boilerplate_related_links", BoilerplateKind::RelatedLinks),
    ("boilerplate_teaser", BoilerplateKind::Teaser),
    ("boilerplate_promo", BoilerplateKind::Promo),
    ("boilerplate_navigation", BoilerplateKind::Navigation),
    ("boilerplate_photo_credit", BoilerplateKind::PhotoCredit),
];

/// How many words a line may have for a prefix/contains cue of this kind to
/// classify it (a cookie banner is a paragraph; a credit is a few words).
fn max_words(kind: BoilerplateKind) -> usize {
    match kind {
        BoilerplateKind::CookieNotice => 80,
        BoilerplateKind::CommentForm => 30,
        BoilerplateKind::Teaser | BoilerplateKind::Promo => 25,
        BoilerplateKind::SourceLine | BoilerplateKind::AuthorBio => 20,
        BoilerplateKind::PhotoCredit => 12,
        _ => 15,
    }
}

fn cues() -> &'static CueSet<BoilerplateKind> {
    static CUES: OnceLock<CueSet<BoilerplateKind>> = OnceLock::new();
    CUES.get_or_init(|| CueSet::build(Lexicon::get(), KIND_TABLES))
}

fn sections() -> &'static CueSet<()> {
    static CUES: OnceLock<CueSet<()>> = OnceLock::new();
    CUES.get_or_init(|| CueSet::build(Lexicon::get(), &[("boilerplate_sections", ())]))
}

/// The boilerplate kind of a line from the cue tables, with the reason.
pub fn classify(line: &str) -> Option<(BoilerplateKind, String)> {
    classify_folded(&fold(line))
}

/// [`classify`] of a line already folded with [`fold`].
pub fn classify_folded(folded: &str) -> Option<(BoilerplateKind, String)> {
    let hit = cues().find_folded(folded, max_words)?;
    let how = match hit.mode {
        Mode::Whole => "is",
        Mode::Prefix => "starts with",
        Mode::Contains => "contains",
    };
    Some((hit.tag, format!("the line {how} `{}`", hit.cue.trim())))
}

/// Whether a line is only a site section label (`Monde`, `Politics`): navigation
/// when it stands outside the article body.
pub fn is_section_label(line: &str) -> bool {
    is_section_label_folded(&fold(line))
}

/// [`is_section_label`] of a line already folded with [`fold`].
pub fn is_section_label_folded(folded: &str) -> bool {
    sections().find_folded(folded, |_| 0).is_some()
}

/// Whether a line is a whole menu flattened onto one line (`Accueil Monde
/// Europe Politique Économie Sport`): at least three words, and at least two
/// thirds of its words (or `|`-separated items) are section labels or
/// navigation cues.
pub fn is_menu_line(line: &str) -> bool {
    let items: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '•' | '·' | '/'))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if items.len() < 3 {
        return false;
    }
    let known = |w: &str| {
        is_section_label(w)
            || cues()
                .find(w, |_| 0)
                .is_some_and(|h| h.tag == BoilerplateKind::Navigation)
    };
    // Two items in three must be known (`known * 3 >= n * 2`), that is at
    // most one in three unknown: stop at the first unknown item too many
    // (prose lines reach here, and each item is folded and looked up).
    let n = items.len();
    let mut unknown = 0;
    for w in &items {
        if !known(w) {
            unknown += 1;
            if unknown * 3 > n {
                return false;
            }
        }
    }
    true
}

/// Separators of breadcrumbs and menus written on one line.
const SEPARATORS: &[&str] = &[
    " » ", " > ", " › ", " | ", " / ", " • ", " · ", " → ", " >> ",
];

/// Whether a line is a breadcrumb trail (`Home » MONDE » Title`, `News > World`):
/// at least two separators, or one separator between short labels of which
/// one is a known section or navigation label.
pub fn is_breadcrumb(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.ends_with('.') {
        return false;
    }
    // Every separator has one of these marks: most lines have none, and are
    // spared the nine substring counts.
    if !t.contains(['»', '>', '›', '|', '/', '•', '·', '→']) {
        return false;
    }
    let mut best = 0;
    let mut best_sep = "";
    for sep in SEPARATORS {
        let n = t.matches(sep).count();
        if n > best {
            best = n;
            best_sep = sep;
        }
    }
    if best >= 2 {
        // `a / b / c` also occurs in prose; require short leading segments.
        return t
            .split(best_sep)
            .take(best)
            .all(|seg| seg.split_whitespace().count() <= 4);
    }
    if best == 1 {
        let mut parts = t.split(best_sep);
        let first = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("");
        let label = |seg: &str| {
            is_section_label(seg)
                || cues()
                    .find(seg, |_| 0)
                    .is_some_and(|h| h.tag == BoilerplateKind::Navigation)
        };
        return first.split_whitespace().count() <= 2
            && rest.split_whitespace().count() <= 3
            && !t.chars().any(|c| c.is_ascii_digit())
            && (label(first) || label(rest));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::lines::chars;
    use super::*;

    /// The char-by-char fold equals folding the string's NFD (French,
    /// English, decomposed input, typography).
    #[test]
    fn fold_matches_whole_string_nfd() {
        use unicode_normalization::UnicodeNormalization;
        for s in [
            "Écoutez « Le Téléphone sonne » sur France Inter !",
            "Cre\u{301}dit photo : AFP",
            "Sign up for our newsletter \u{2019}Today\u{2019}   — It’s free",
            "Lire aussi\u{a0}: Ça s’est passé à Bruxelles",
        ] {
            let nfd: String = s.nfd().collect();
            assert_eq!(fold(s), fold(&nfd), "{s}");
        }
        assert_eq!(fold("Crédit PHOTO"), "credit photo");
        assert_eq!(fold("Cre\u{301}dit"), "credit");
    }

    /// The character-by-character fold, as it was before ASCII runs were
    /// copied at once: the fast [`fold`] must give the same strings.
    fn fold_by_chars(s: &str) -> String {
        let mut out: Vec<u8> = Vec::with_capacity(s.len());
        let mut pending_space = false;
        for c in s.chars() {
            if c.is_ascii() {
                if c.is_ascii_whitespace() || c == '\u{b}' {
                    pending_space = !out.is_empty();
                    continue;
                }
                if pending_space && !matches!(c, ':' | ';' | '!' | '?') {
                    out.push(b' ');
                }
                pending_space = false;
                push_char(
                    &mut out,
                    if c == '`' {
                        '\''
                    } else {
                        c.to_ascii_lowercase()
                    },
                );
            } else {
                unicode_normalization::char::decompose_canonical(c, |d| {
                    fold_char(&mut out, &mut pending_space, d)
                });
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fold_by_runs_equals_fold_by_chars() {
        for s in [
            "",
            "   ",
            "Hello, World !",
            "  Le `Monde` :  ÉDITION\u{b}du SOIR\t? ",
            "Mis à jour le 19 décembre 2022 à 10h30 ; fin",
            "``a`` ` b`c",
            "Straße İstanbul ǅemal — « OTAN »\u{a0}! x",
            "a\u{85}b\u{2009}c\u{202f}:d",
        ] {
            assert_eq!(fold(s), fold_by_chars(s), "{s:?}");
        }
    }

    proptest::proptest! {
        /// The table-driven fold equals the character-by-character one on
        /// any text: every ASCII byte (controls, backquotes, each kind of
        /// whitespace), accents precomposed and decomposed, typography.
        #[test]
        fn fold_equals_fold_by_chars_on_any_text(
            s in "[\\x00-\\x7f\u{a0}\u{85}\u{2009}\u{202f}\u{3000}éÉàÇ\u{301}’‘«»“”İǅß]{0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_by_chars(&s));
        }

        /// Counting a folded line's spaces gives its words as the generic
        /// count does, for any text (whitespace of every kind, bullets,
        /// accents, punctuation before which `fold` drops the space).
        #[test]
        fn folded_words_are_its_spaces_plus_one(
            s in "[ \t\u{b}\u{a0}\u{85}\u{2009}\u{3000}a-zA-Z:;!?•*>\u{2014}éÉ\u{301}’«»-]{0,40}"
        ) {
            let folded = fold(&s);
            let body = cue_body(&folded);
            proptest::prop_assert_eq!(folded_words(body), chars::count_words_upto(body, usize::MAX));
            proptest::prop_assert_eq!(folded_words(&folded), chars::count_words_upto(&folded, usize::MAX));
        }
    }

    #[test]
    fn folded_words_counts_words_of_folded_lines() {
        assert_eq!(folded_words(&fold("")), 0);
        assert_eq!(folded_words(&fold("  \t ")), 0);
        assert_eq!(folded_words(&fold("Lire   aussi\u{a0}: la suite")), 4);
        assert_eq!(folded_words(&fold(" un\u{3000}deux\u{85}trois ")), 3);
    }

    #[test]
    fn folds_accents_case_and_typography() {
        assert_eq!(fold("  À NE PAS  Manquer "), "a ne pas manquer");
        assert_eq!(fold("Source : Newsweek"), "source: newsweek");
        assert_eq!(fold("L’armée"), "l'armee");
        // ASCII whitespace of every kind (vertical tab included) collapses.
        assert_eq!(fold("A\tB\u{b}C\r\nD `x`"), "a b c d 'x'");
        assert_eq!(
            fold("Read more ! Lire la suite ?"),
            "read more! lire la suite?"
        );
        assert_eq!(line_key("« Related Articles: »"), "related articles");
    }

    #[test]
    fn french_cues() {
        let k = |s: &str| classify(s).map(|(k, _)| k);
        assert_eq!(k("A NE PAS MANQUER"), Some(BoilerplateKind::Promo));
        assert_eq!(
            k("Articles similaires"),
            Some(BoilerplateKind::RelatedLinks)
        );
        assert_eq!(
            k("Laisser un commentaire"),
            Some(BoilerplateKind::CommentForm)
        );
        assert_eq!(
            k("Votre adresse e-mail ne sera pas publiée."),
            Some(BoilerplateKind::CommentForm)
        );
        assert_eq!(
            k("Bouton retour en haut de la page"),
            Some(BoilerplateKind::BackToTop)
        );
        assert_eq!(k("Source : Newsweek"), Some(BoilerplateKind::SourceLine));
        assert_eq!(k("par"), Some(BoilerplateKind::EmptyByline));
        assert_eq!(
            k("Contributeur/Getty Images"),
            Some(BoilerplateKind::PhotoCredit)
        );
        assert_eq!(
            k("Partager sur Facebook"),
            Some(BoilerplateKind::Navigation)
        );
        assert_eq!(
            k("Lire aussi : Minsk refuse d’envoyer des troupes"),
            Some(BoilerplateKind::Teaser)
        );
        assert_eq!(
            k("© 2022 Le Journal. Tous droits réservés."),
            Some(BoilerplateKind::Navigation)
        );
        // Running text is never a cue match.
        assert_eq!(
            k("Par ailleurs, le photographe de l'AFP a quitté la ville avec les images de Getty Images et de Reuters sous le bras."),
            None
        );
        assert_eq!(k("Le président a parlé."), None);
    }

    #[test]
    fn english_cues() {
        let k = |s: &str| classify(s).map(|(k, _)| k);
        assert_eq!(
            k("This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More"),
            Some(BoilerplateKind::CookieNotice)
        );
        assert_eq!(k("Related Articles"), Some(BoilerplateKind::RelatedLinks));
        assert_eq!(k("By"), Some(BoilerplateKind::EmptyByline));
        assert_eq!(k("Share on Twitter"), Some(BoilerplateKind::Navigation));
        assert_eq!(k("Back to top ↑"), Some(BoilerplateKind::BackToTop));
        assert_eq!(
            k("Your email address will not be published. Required fields are marked *"),
            Some(BoilerplateKind::CommentForm)
        );
        assert_eq!(k("Advertisement"), Some(BoilerplateKind::Promo));
        assert_eq!(
            k("Photo: Sergei Ilyin/Sputnik via Reuters"),
            Some(BoilerplateKind::PhotoCredit)
        );
        assert_eq!(k("Kyiv/apartment blocks"), None);
        assert_eq!(k("The ministry said cookies were sold."), None);
    }

    #[test]
    fn menus_on_one_line() {
        assert!(is_menu_line(
            "Accueil Monde Europe Politique Économie Sport"
        ));
        assert!(is_menu_line("Home | World | Politics | Business | Tech"));
        assert!(!is_menu_line(
            "Putin visits Europe to talk politics and business"
        ));
        assert!(!is_menu_line("Monde Europe"));
    }

    #[test]
    fn section_labels_and_breadcrumbs() {
        assert!(is_section_label("Actualités"));
        assert!(is_section_label("Politics"));
        assert!(!is_section_label("Politics matters here"));
        assert!(is_breadcrumb(
            "Home » MONDE » Poutine isolé alors que les fissures le montrent"
        ));
        assert!(is_breadcrumb("News > World > Europe"));
        assert!(is_breadcrumb("Accueil › Monde"));
        assert!(!is_breadcrumb(
            "Le rapport 2021 / 2022 / 2023 de l'agence européenne est paru."
        ));
        assert!(!is_breadcrumb("Il a dit que la guerre est finie."));
    }
}
