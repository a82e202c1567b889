//! Name keys: accent and transliteration folding between spellings of the same
//! name (`Loukachenko`/`Lukashenko`, `Sergueï`/`Sergei`) and typo distance on
//! folded keys, used by the recogniser and the corpus linker.
//!
//! Folding is data-driven: `data/common/names_fold.txt` lists the rewrite rules
//! (French and English transliterations of Cyrillic fold to one pivot key), and
//! `names_given_variants.txt` groups the spellings of one given name
//! (`Alexandre`/`Alexander`/`Aleksandr`). The shipped gazetteer lives in
//! [`gazetteer`].

pub mod gazetteer;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::Lexicon;

/// A `HashMap` with rustc's FxHash: fast on the short string keys of the
/// analysis. Inputs are a user's own files, so hash flooding is not a concern.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// A `HashSet` with rustc's FxHash.
pub type FastSet<K> = rustc_hash::FxHashSet<K>;

/// One folding rule: `pattern -> replacement`, optionally anchored at the word end.
#[derive(Debug)]
struct FoldRule {
    pattern: Vec<char>,
    replacement: String,
    at_end: bool,
}

#[derive(Debug)]
struct FoldTables {
    /// Rules sorted longest pattern first.
    rules: Vec<FoldRule>,
    /// First character of a pattern → indices of its rules (longest first).
    by_first: FastMap<char, Vec<usize>>,
    /// Plain-folded given name → variant group id.
    given_groups: HashMap<String, usize>,
    /// Transliteration key of a given name → variant group id.
    given_folded: HashMap<String, usize>,
    /// Plain-folded given names (groups and the plain list).
    given: HashSet<String>,
}

fn tables() -> &'static FoldTables {
    static T: OnceLock<FoldTables> = OnceLock::new();
    T.get_or_init(|| {
        let lex = Lexicon::get();
        let mut rules = Vec::new();
        for line in lex.common("names_fold") {
            let Some((pat, rep)) = line.split_once("->") else {
                continue;
            };
            let pat = pat.trim();
            let (pat, at_end) = match pat.strip_suffix('$') {
                Some(p) => (p, true),
                None => (pat, false),
            };
            if pat.is_empty() {
                continue;
            }
            rules.push(FoldRule {
                pattern: pat.chars().collect(),
                replacement: rep.trim().to_string(),
                at_end,
            });
        }
        rules.sort_by_key(|r| std::cmp::Reverse(r.pattern.len()));
        let mut by_first: FastMap<char, Vec<usize>> = FastMap::default();
        for (i, r) in rules.iter().enumerate() {
            if let Some(c) = r.pattern.first() {
                by_first.entry(*c).or_default().push(i);
            }
        }
        // Given-name groups: union groups that share a form.
        let mut given_groups: HashMap<String, usize> = HashMap::default();
        let mut parent: Vec<usize> = Vec::new();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while let Some(&p) = parent.get(i) {
                if p == i {
                    break;
                }
                i = p;
            }
            i
        }
        for line in lex.all_languages("names_given_variants") {
            let id = parent.len();
            parent.push(id);
            for form in line.split('|').map(str::trim).filter(|f| !f.is_empty()) {
                let key = plain_fold(form);
                match given_groups.get(&key).copied() {
                    Some(other) => {
                        let a = root(&mut parent, other);
                        let b = root(&mut parent, id);
                        if let Some(slot) = parent.get_mut(b) {
                            *slot = a;
                        }
                    }
                    None => {
                        given_groups.insert(key, id);
                    }
                }
            }
        }
        let keys: Vec<String> = given_groups.keys().cloned().collect();
        for k in keys {
            if let Some(g) = given_groups.get(&k).copied() {
                let r = root(&mut parent, g);
                given_groups.insert(k, r);
            }
        }
        let mut given_folded: HashMap<String, usize> = HashMap::default();
        for (k, g) in &given_groups {
            given_folded
                .entry(fold_with(&rules, &by_first, k))
                .or_insert(*g);
        }
        let mut given: HashSet<String> = given_groups.keys().cloned().collect();
        for name in lex.all_languages("names_given") {
            given.insert(plain_fold(name));
        }
        FoldTables {
            rules,
            by_first,
            given_groups,
            given_folded,
            given,
        }
    })
}

/// Lowercase and strip accents (`Biélorussie` → `bielorussie`); characters
/// without a decomposition are kept.
pub fn plain_fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfd()
        .filter(|c| c.is_ascii() || !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The transliteration key of one word: plain fold, then the rewrite rules of
/// `names_fold`, then doubled letters collapsed. Hyphens and apostrophes are
/// dropped (`Royaume-Uni` → `royaumeuni`).
pub fn fold_word(word: &str) -> String {
    let t = tables();
    fold_with(&t.rules, &t.by_first, word)
}

fn fold_with(rules: &[FoldRule], by_first: &FastMap<char, Vec<usize>>, word: &str) -> String {
    fold_plain(rules, by_first, &plain_fold(word))
}

/// [`fold_with`] of a word already folded with [`plain_fold`].
fn fold_plain(rules: &[FoldRule], by_first: &FastMap<char, Vec<usize>>, plain: &str) -> String {
    let plain: Vec<char> = plain.chars().filter(|c| c.is_alphanumeric()).collect();
    // Rewritten, with doubled letters collapsed as they are written: the last
    // char kept is always the previous char written.
    let mut out = String::with_capacity(plain.len());
    let mut prev: Option<char> = None;
    let mut put = |out: &mut String, c: char| {
        if prev != Some(c) {
            out.push(c);
        }
        prev = Some(c);
    };
    let mut i = 0;
    while i < plain.len() {
        let mut matched = false;
        let candidates = plain
            .get(i)
            .and_then(|c| by_first.get(c))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for r in candidates.iter().filter_map(|&k| rules.get(k)) {
            let end = i + r.pattern.len();
            if end > plain.len() || (r.at_end && end != plain.len()) {
                continue;
            }
            if plain.get(i..end) == Some(r.pattern.as_slice()) {
                for c in r.replacement.chars() {
                    put(&mut out, c);
                }
                i = end;
                matched = true;
                break;
            }
        }
        if !matched {
            if let Some(&c) = plain.get(i) {
                put(&mut out, c);
            }
            i += 1;
        }
    }
    out
}

/// The words of a name: split on whitespace and apostrophes (`l’Est` → `l`, `Est`).
pub fn words(name: &str) -> Vec<&str> {
    name.split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .filter(|w| !w.is_empty())
        .collect()
}

/// The last of [`words`], found from the end without collecting them.
pub fn last_word(name: &str) -> Option<&str> {
    name.split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .rfind(|w| !w.is_empty())
}

/// The variant group of a given name (`Sergueï` and `Sergei` share one).
pub fn given_group(word: &str) -> Option<usize> {
    let t = tables();
    t.given_groups
        .get(&plain_fold(word))
        .or_else(|| t.given_folded.get(&fold_word(word)))
        .copied()
}

/// [`given_group`] and [`fold_word`] at once, folding the word only once.
fn group_or_fold(word: &str) -> Result<usize, String> {
    let t = tables();
    let plain = plain_fold(word);
    if let Some(g) = t.given_groups.get(&plain) {
        return Ok(*g);
    }
    let folded = fold_plain(&t.rules, &t.by_first, &plain);
    match t.given_folded.get(&folded) {
        Some(g) => Ok(*g),
        None => Err(folded),
    }
}

/// Whether a word is a known given name (any spelling of any language).
pub fn is_given_name(word: &str) -> bool {
    let t = tables();
    let key = plain_fold(word);
    if t.given.contains(&key) {
        return true;
    }
    // Hyphenated first names: every part a given name (`Jean-Pierre`).
    key.contains('-') && key.split('-').all(|p| !p.is_empty() && t.given.contains(p))
}

/// The folded key of one word, with given names replaced by their variant group
/// so that `Alexandre` and `Alexander` fold alike.
pub fn word_key(word: &str) -> String {
    match group_or_fold(word) {
        Ok(g) => format!("#{g}"),
        Err(folded) => folded,
    }
}

/// The linking key of a whole name: every word's [`word_key`], space-separated.
pub fn name_key(name: &str) -> String {
    let mut out = String::new();
    for w in words(name) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word_key(w));
    }
    out
}

/// Whether two spellings fold to the same key (transliteration or accent variants).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// Damerau-Levenshtein distance between two folded keys.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

/// Whether folded key `rare` is a likely typo of folded key `known`: one edit
/// (substitution, insertion, deletion or adjacent transposition), the same
/// first letter, at least five letters, not a mere added ending (`Peskov` /
/// `Peskova` are two names), and a Jaro-Winkler similarity of at least 0.9.
pub fn is_likely_typo(rare: &str, known: &str) -> bool {
    if rare == known {
        return false;
    }
    let (rl, kl) = (rare.chars().count(), known.chars().count());
    if rl < 5 || kl < 5 || rl.abs_diff(kl) > 1 {
        return false;
    }
    if rare.chars().next() != known.chars().next() {
        return false;
    }
    if rare.starts_with(known) || known.starts_with(rare) {
        return false;
    }
    distance(rare, known) == 1 && strsim::jaro_winkler(rare, known) >= 0.9
}

/// A deletion-neighbourhood index over keys: every key is stored under itself
/// and each of its one-character deletions, so that all keys within one edit
/// of a query are found without comparing against every key.
#[derive(Debug, Clone)]
pub struct DeletionIndex<T> {
    map: FastMap<String, Vec<T>>,
}

impl<T> Default for DeletionIndex<T> {
    fn default() -> Self {
        DeletionIndex {
            map: FastMap::default(),
        }
    }
}

fn deletions(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out = Vec::with_capacity(chars.len() + 1);
    out.push(key.to_string());
    for i in 0..chars.len() {
        let s: String = chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| *c)
            .collect();
        out.push(s);
    }
    out.sort();
    out.dedup();
    out
}

impl<T: Clone + PartialEq> DeletionIndex<T> {
    pub fn insert(&mut self, key: &str, value: T) {
        for d in deletions(key) {
            let slot = self.map.entry(d).or_default();
            if !slot.contains(&value) {
                slot.push(value.clone());
            }
        }
    }

    /// Values whose key may be within one edit of `key` (verify with [`is_likely_typo`]).
    pub fn candidates(&self, key: &str) -> Vec<T> {
        let mut out: Vec<T> = Vec::new();
        for d in deletions(key) {
            if let Some(vs) = self.map.get(&d) {
                for v in vs {
                    if !out.contains(v) {
                        out.push(v.clone());
                    }
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merges(a: &str, b: &str) {
        assert!(
            same_name(a, b),
            "{a} / {b}: {} vs {}",
            name_key(a),
            name_key(b)
        );
        assert!(same_name(b, a), "{b} / {a}");
    }

    #[test]
    fn french_and_english_transliterations_fold_together() {
        merges("Loukachenko", "Lukashenko");
        merges("Choïgou", "Shoigu");
        merges("Sergueï", "Sergei");
        merges("Sergueï Shoigu", "Sergei Shoigu");
        merges("Sergueï Choïgou", "Sergey Shoigu");
        merges("Zaloujny", "Zaluzhny");
        merges("Zaluzhniy", "Zaloujny");
        merges("Gorbatchev", "Gorbachev");
        merges("Khrouchtchev", "Khrushchev");
        merges("Iouchtchenko", "Yushchenko");
        merges("Prigojine", "Prigozhin");
        merges("Zelensky", "Zelenskyy");
        merges("Zelenskiy", "Zelenski");
        merges("Dmitri Peskov", "Dmitry Peskov");
        merges("Biélorussie", "Bielorussie");
        merges("Marioupol", "Mariupol");
        merges("Alexandre Loukachenko", "Alexander Lukashenko");
        merges("Wolodymyr", "Volodymyr");
    }

    #[test]
    fn different_names_do_not_fold_together() {
        for (a, b) in [
            ("Sergei", "Sergio"),
            ("Minsk", "Pinsk"),
            ("Poutine", "Peskov"),
            ("Kyiv", "Kirov"),
            ("Louise", "Louis"),
            ("Peskov", "Peskova"),
            ("Ivan", "Iran"),
        ] {
            assert!(!same_name(a, b), "{a} / {b} must differ");
            assert!(!same_name(b, a), "{b} / {a} must differ");
        }
    }

    #[test]
    fn last_word_is_the_last_of_words() {
        for name in [
            "Vladimir Poutine",
            "l’Est",
            "Kyiv",
            "  Jean-Pierre  d'Arc ",
            "",
            "’",
        ] {
            assert_eq!(last_word(name), words(name).last().copied(), "{name}");
        }
    }

    /// Folding a word and folding its plain fold give the same key (the key
    /// of `word_key` and `fold_word` for French and English spellings).
    #[test]
    fn fold_plain_matches_fold_word() {
        let t = tables();
        for w in [
            "Loukachenko",
            "Lukashenko",
            "Zelensky",
            "Zelenskyy",
            "Hollande",
            "Ghedd",
        ] {
            assert_eq!(
                fold_plain(&t.rules, &t.by_first, &plain_fold(w)),
                fold_word(w),
                "{w}"
            );
        }
        assert_eq!(fold_word("Hollande"), fold_word("Holande"));
    }

    #[test]
    fn typos_are_one_edit_on_folded_keys() {
        assert!(is_likely_typo(
            &fold_word("Zelesnky"),
            &fold_word("Zelensky")
        ));
        assert!(is_likely_typo(
            &fold_word("Loukachneko"),
            &fold_word("Loukachenko")
        ));
        assert!(
            is_likely_typo(&fold_word("Putim"), &fold_word("Putin"))
                || fold_word("Putin").len() < 5
        );
        // Never across a first letter, a plural ending or two edits.
        assert!(!is_likely_typo(&fold_word("Pinsk"), &fold_word("Minsk")));
        assert!(!is_likely_typo(&fold_word("Sergio"), &fold_word("Sergei")));
        assert!(!is_likely_typo(&fold_word("Peskova"), &fold_word("Peskov")));
        assert!(!is_likely_typo(&fold_word("Iran"), &fold_word("Irak")));
    }

    #[test]
    fn deletion_index_finds_one_edit_neighbours() {
        let mut idx = DeletionIndex::default();
        idx.insert(&fold_word("Zelensky"), 1usize);
        idx.insert(&fold_word("Medvedev"), 2usize);
        let c = idx.candidates(&fold_word("Zelesnky"));
        assert_eq!(c, vec![1]);
        assert!(idx.candidates("xyz").is_empty());
    }

    #[test]
    fn given_names_and_groups() {
        assert!(is_given_name("Vladimir"));
        assert!(is_given_name("Oliver"));
        assert!(is_given_name("Jean-Pierre"));
        assert!(!is_given_name("Poutine"));
        assert_eq!(given_group("Alexandre"), given_group("Aleksandr"));
        assert_ne!(given_group("Alexandre"), given_group("Sergei"));
    }

    #[test]
    fn words_split_on_elision() {
        assert_eq!(words("Europe de l’Est"), vec!["Europe", "de", "l", "Est"]);
        assert_eq!(words("Royaume-Uni"), vec!["Royaume-Uni"]);
    }
}
