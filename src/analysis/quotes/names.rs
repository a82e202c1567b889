//! Speaker candidates: the article's proper names, from the entity mentions
//! when there are some and otherwise (or in addition) from runs of
//! capitalised words, with the evidence that a name is a person (honorific,
//! role noun in apposition, first name + surname) and the role words written
//! with it (`le président biélorusse Alexandre Loukachenko` → président,
//! biélorusse) for resolving descriptions.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::{EntityKind, Mention, Span};

use super::tables::Tables;
use super::tokens::{Kind, Token};

/// How sure we are that a name is a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Person {
    /// Known not to be a person (a place, a thing).
    Not,
    /// A bare name with no evidence either way.
    Weak,
    /// First name + surname, or the surname of such a name.
    Medium,
    /// An honorific, a role or a recognised person mention.
    Strong,
}

#[derive(Debug, Clone)]
pub struct Cand {
    pub span: Span,
    /// Token range `[start, end)`.
    pub toks: (usize, usize),
    /// The name as written (possessive `’s` removed).
    pub text: String,
    /// Normalised last word, to tell when two names are the same person.
    pub key: String,
    pub person: Person,
    pub org: bool,
    /// Written right after an honorific (`M. Veser`).
    pub honorific: bool,
    /// Role words written with the name, lowercase.
    pub roles: Vec<String>,
    /// Right after a preposition (`la fin du règne de Loukachenko`).
    pub pp: bool,
    /// Written with a possessive `’s` (`Putin’s closest ally`).
    pub possessive: bool,
}

impl Cand {
    pub fn is_person(&self) -> bool {
        self.person >= Person::Medium
    }
}

/// Index of the first token whose span starts at or after `offset`.
pub fn token_at(toks: &[Token], offset: usize) -> usize {
    toks.partition_point(|t| t.span.start < offset)
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s")
        .or_else(|| s.strip_suffix("'s"))
        .unwrap_or(s)
}

/// Finds the candidates of an article, sorted by position.
/// `body` tells whether a line is running text (not a title, caption or
/// navigation line): a first name + surname is believed only there.
pub fn candidates(
    text: &str,
    toks: &[Token],
    mentions: &[Mention],
    tabs: &Tables,
    body: &dyn Fn(usize) -> bool,
) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let mut covered: Vec<bool> = vec![false; toks.len()];
    for m in mentions {
        let span = m.span();
        let a = token_at(toks, span.start);
        let b = token_at(toks, span.end).max(a + 1).min(toks.len());
        if a >= toks.len() {
            continue;
        }
        for c in covered.iter_mut().take(b).skip(a) {
            *c = true;
        }
        // `other` means no evidence either way (a bare first name such as `Olena`)
        let person = match m.kind {
            EntityKind::Person => Person::Strong,
            EntityKind::Organization => Person::Not,
            EntityKind::Place if m.votes.person > 0 && m.votes.person >= m.votes.place => {
                Person::Medium
            }
            EntityKind::Place => Person::Not,
            EntityKind::Other if m.votes.person > 0 => Person::Medium,
            EntityKind::Other => Person::Weak,
        };
        let mut roles: Vec<String> = Vec::new();
        if let Some(r) = &m.role {
            roles.extend(r.split_whitespace().map(super::tokens::normalise));
        }
        out.push(Cand {
            span,
            toks: (a, b),
            text: strip_possessive(&m.text).to_string(),
            key: key_of(&m.text),
            person,
            org: m.kind == EntityKind::Organization,
            honorific: false,
            roles,
            pp: false,
            possessive: strip_possessive(&m.text).len() != m.text.len(),
        });
    }
    // Sized for the words of the article at once (no rehash while filling).
    let mut lowercase_seen: HashSet<&str> =
        HashSet::with_capacity_and_hasher(toks.len() / 2, Default::default());
    lowercase_seen.extend(
        toks.iter()
            .filter(|t| t.is_word() && !t.is_capitalised(text))
            .map(|t| t.norm.as_str()),
    );
    let mut i = 0;
    while i < toks.len() {
        if covered.get(i).copied().unwrap_or(true)
            || !starts_name(text, toks, i, tabs, &lowercase_seen)
        {
            i += 1;
            continue;
        }
        let (start, end) = extend_run(text, toks, i, tabs, &covered);
        let next = end.max(i + 1);
        // leading titles are roles, not names (`Defence Secretary Ben Wallace`,
        // `Lithuanian President Gitanas Nauseda`): cut after the last title word
        // that comes before another capitalised word
        let mut a = start;
        let mut title_roles = Vec::new();
        for t in start..end.saturating_sub(1) {
            let Some(tok) = toks.get(t) else { break };
            let next_cap = toks.get(t + 1).is_some_and(|n| n.is_capitalised(text));
            if next_cap && (tabs.roles.contains(&tok.norm) || tabs.domains.contains(&tok.norm)) {
                a = t + 1;
            }
        }
        for t in start..a {
            if let Some(tok) = toks.get(t) {
                title_roles.push(tok.norm.clone());
            }
        }
        // `Polish PM`, `Russian President`: a description, not a name
        let ends_with_title = toks
            .get(end.saturating_sub(1))
            .is_some_and(|t| tabs.roles.contains(&t.norm));
        if ends_with_title {
            i = next;
            continue;
        }
        if let (Some(first), Some(last)) = (toks.get(a), toks.get(end.saturating_sub(1))) {
            let raw = Span::new(first.span.start, last.span.end);
            let written = raw.text(text);
            let shown = strip_possessive(written);
            let span = Span::new(raw.start, raw.start + shown.len());
            let org = toks.get(a..end).is_some_and(|ts| {
                ts.iter()
                    .any(|t| tabs.institutions.contains(&t.norm) || tabs.domains.contains(&t.norm))
            });
            let caps = toks
                .get(a..end)
                .map_or(0, |ts| ts.iter().filter(|t| t.is_capitalised(text)).count());
            let particles = toks
                .get(a..end)
                .is_some_and(|ts| ts.iter().any(|t| !t.is_capitalised(text)));
            // an acronym is no part of a person's name (`Retired US general`)
            let acronym = toks.get(a..end).is_some_and(|ts| {
                ts.iter().any(|t| {
                    let w = t.span.text(text);
                    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && w.chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase)
                })
            });
            let all_caps = acronym || !body(first.line);
            let person = if !title_roles.is_empty() {
                Person::Strong
            } else if caps >= 2 && !org && !particles && !all_caps {
                Person::Medium
            } else {
                Person::Weak
            };
            out.push(Cand {
                span,
                toks: (a, end),
                text: shown.to_string(),
                key: key_of(shown),
                person: if org { Person::Not } else { person },
                org,
                honorific: false,
                roles: title_roles,
                pp: false,
                possessive: shown.len() != written.len(),
            });
        }
        i = next;
    }
    out.sort_by_key(|c| (c.span.start, c.span.end));
    for c in out.iter_mut() {
        let (a, b) = c.toks;
        let honorific = has_honorific_before(toks, a, tabs);
        let lone_opener = b == a + 1 && sentence_initial(text, toks, a);
        let roles = roles_around(text, toks, a, b, tabs, !lone_opener);
        let pp = pp_before(toks, a, tabs);
        c.pp = pp;
        if honorific {
            c.honorific = true;
            c.person = c.person.max(Person::Strong);
        }
        if !roles.is_empty() {
            if c.person != Person::Not {
                c.person = c.person.max(Person::Strong);
            }
            for r in roles {
                if !c.roles.contains(&r) {
                    c.roles.push(r);
                }
            }
        }
    }
    // a surname alone is the person named in full elsewhere in the article
    let persons: HashSet<String> = out
        .iter()
        .filter(|c| c.person >= Person::Medium)
        .map(|c| c.key.clone())
        .collect();
    let mut roles_by_key: HashMap<String, Vec<String>> = HashMap::default();
    for c in &out {
        if c.person >= Person::Medium {
            // Distinct roles only: a name repeated n times must not make the
            // merge below quadratic (reliability fix).
            let list = roles_by_key.entry(c.key.clone()).or_default();
            for r in &c.roles {
                if !list.contains(r) {
                    list.push(r.clone());
                }
            }
        }
    }
    for c in &mut out {
        if c.person == Person::Weak && persons.contains(&c.key) {
            c.person = Person::Medium;
        }
        if let Some(rs) = roles_by_key.get(&c.key) {
            for r in rs {
                if !c.roles.contains(r) {
                    c.roles.push(r.clone());
                }
            }
        }
    }
    out
}

/// Normalised last word of a name.
pub fn key_of(name: &str) -> String {
    let name = strip_possessive(name.trim());
    let last = name.split_whitespace().last().unwrap_or(name);
    let last = last.rsplit(['’', '\'']).next().unwrap_or(last);
    super::tokens::normalise(last)
}

fn sentence_initial(text: &str, toks: &[Token], i: usize) -> bool {
    let Some(t) = toks.get(i) else { return false };
    let Some(prev) = i.checked_sub(1).and_then(|p| toks.get(p)) else {
        return true;
    };
    if prev.line != t.line {
        return true;
    }
    match prev.punct(text) {
        Some(c) => {
            matches!(c, '.' | '!' | '?' | '…' | ':' | '(' | '—' | '–' | '-')
                || prev.kind == Kind::Mark
        }
        None => false,
    }
}

fn starts_name(
    text: &str,
    toks: &[Token],
    i: usize,
    tabs: &Tables,
    lowercase_seen: &HashSet<&str>,
) -> bool {
    let Some(t) = toks.get(i) else { return false };
    if !t.is_capitalised(text) {
        return false;
    }
    if tabs.is_function_word(&t.norm) || tabs.honorifics.contains(&t.norm) {
        return false;
    }
    // `M.`: a one-letter capital followed by a period is an initial or an honorific
    if sentence_initial(text, toks, i) && lowercase_seen.contains(t.norm.as_str()) {
        return false;
    }
    true
}

fn extend_run(
    text: &str,
    toks: &[Token],
    i: usize,
    tabs: &Tables,
    covered: &[bool],
) -> (usize, usize) {
    let line = toks.get(i).map(|t| t.line);
    let mut end = i + 1;
    while let Some(t) = toks.get(end) {
        if Some(t.line) != line || covered.get(end).copied().unwrap_or(true) {
            break;
        }
        if t.is_capitalised(text)
            && !tabs.is_function_word(&t.norm)
            && !tabs.honorifics.contains(&t.norm)
        {
            // `Lukashenko’s` ends the name
            end += 1;
            if strip_possessive(t.span.text(text)).len() != t.span.text(text).len() {
                break;
            }
            continue;
        }
        // particles between capitalised words: `de`, `de la`, `von der`
        let mut k = end;
        let mut n = 0;
        while n < 2 {
            let Some(p) = toks.get(k) else { break };
            let ok = p.is_word()
                && !p.is_capitalised(text)
                && tabs.particles.contains(&p.norm)
                && !(n == 0 && tabs.definite.contains(&p.norm));
            if !ok {
                break;
            }
            k += 1;
            n += 1;
        }
        if n > 0
            && toks.get(k).is_some_and(|t| {
                t.is_capitalised(text) && Some(t.line) == line && !tabs.is_function_word(&t.norm)
            })
        {
            end = k;
            continue;
        }
        break;
    }
    (i, end)
}

fn has_honorific_before(toks: &[Token], a: usize, tabs: &Tables) -> bool {
    let mut k = a;
    if let Some(p) = k.checked_sub(1).and_then(|p| toks.get(p)) {
        if p.norm == "." {
            k -= 1;
        }
    }
    k.checked_sub(1)
        .and_then(|p| toks.get(p))
        .is_some_and(|p| p.is_word() && tabs.honorifics.contains(&p.norm))
}

/// Whether the name follows a preposition (skipping a determiner and an honorific).
fn pp_before(toks: &[Token], a: usize, tabs: &Tables) -> bool {
    let mut k = a;
    for _ in 0..3 {
        let Some(p) = k.checked_sub(1).and_then(|p| toks.get(p)) else {
            return false;
        };
        if p.norm == "." || tabs.honorifics.contains(&p.norm) || tabs.definite.contains(&p.norm) {
            k -= 1;
            continue;
        }
        return p.is_word() && tabs.pp.contains(&p.norm);
    }
    false
}

/// Role words written before the name (`le président russe Vladimir Poutine`,
/// `Le porte-parole du Kremlin, Dmitri Peskov`) or in apposition after it
/// (`Reinhard Veser, rédacteur politique du journal …,`).
fn roles_around(
    text: &str,
    toks: &[Token],
    a: usize,
    b: usize,
    tabs: &Tables,
    appos: bool,
) -> Vec<String> {
    let content = |t: &Token| {
        t.is_word()
            && !tabs.is_determiner(&t.norm)
            && !tabs.pp.contains(&t.norm)
            && !tabs.particles.contains(&t.norm)
    };
    let mut out = Vec::new();
    // before: up to 5 words back, possibly across one comma right before the name
    // `Le porte-parole du Kremlin, Dmitri Peskov, a déclaré`: across a comma
    // only when the name is itself set off by commas
    let mut k = a;
    let comma_before = k
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .is_some_and(|p| p.norm == ",");
    let comma_after = toks.get(b).is_some_and(|t| t.norm == ",");
    if comma_before && comma_after {
        k -= 1;
    }
    let mut words = Vec::new();
    let mut found = false;
    for _ in 0..6 {
        let Some(p) = k.checked_sub(1).and_then(|p| toks.get(p)) else {
            break;
        };
        if toks.get(a).is_some_and(|t| t.line != p.line) {
            break;
        }
        // another name, a verb or a clause word between: the role is not this name's
        let other_name = p.is_capitalised(text)
            && !tabs.domains.contains(&p.norm)
            && !tabs.roles.contains(&p.norm);
        if !p.is_word()
            || other_name
            || tabs.clause_starts.contains(&p.norm)
            || tabs.auxiliaries.contains(&p.norm)
            || tabs.verbs.contains_word(&p.norm)
        {
            break;
        }
        k -= 1;
        if content(p) {
            words.push(p.norm.clone());
        }
        if tabs.roles.contains(&p.norm) && !p.is_capitalised(text) {
            found = true;
            break;
        }
        // `chercheuse au centre Carnegie`: a name after any preposition but
        // `de` is a complement, and the role is someone else's
        if tabs.pp.contains(&p.norm)
            && !matches!(p.norm.as_str(), "de" | "du" | "des" | "d'" | "of")
        {
            break;
        }
        // `de la Défense` goes on; any other determiner starts the phrase
        let after_pp = k
            .checked_sub(1)
            .and_then(|q| toks.get(q))
            .is_some_and(|q| tabs.pp.contains(&q.norm));
        if tabs.is_determiner(&p.norm) && !after_pp {
            break;
        }
    }
    if found {
        words.reverse();
        out.extend(words);
    }
    // after: `, <det>? <role> …,`
    if appos && toks.get(b).is_some_and(|t| t.norm == ",") {
        let mut k = b + 1;
        if toks.get(k).is_some_and(|t| tabs.is_determiner(&t.norm)) {
            k += 1;
        }
        let head_is_role = (k..k + 2).any(|j| {
            toks.get(j).is_some_and(|t| {
                t.is_word() && !t.is_capitalised(text) && tabs.roles.contains(&t.norm)
            })
        });
        // an apposition is closed by a comma or the end of the sentence and has
        // no verb (`Selon BelTA, le président a affirmé` is a new clause)
        let mut closed = false;
        let name_line = toks.get(a).map(|t| t.line);
        for t in toks.iter().skip(k).take(16) {
            if Some(t.line) != name_line {
                break;
            }
            if t.is_word() {
                if tabs.auxiliaries.contains(&t.norm) || tabs.verbs.contains_word(&t.norm) {
                    break;
                }
                continue;
            }
            closed = matches!(t.norm.as_str(), "," | "." | ";" | "!" | "?" | ")");
            break;
        }
        if head_is_role && closed {
            // up to a second role noun: `un allié du président russe` is about
            // someone else's role
            let mut roles_seen = 0;
            for t in toks.iter().skip(k).take(12) {
                if !t.is_word()
                    || Some(t.line) != name_line
                    || t.is_capitalised(text)
                    || tabs.clause_starts.contains(&t.norm)
                {
                    break;
                }
                if tabs.roles.contains(&t.norm) {
                    roles_seen += 1;
                    if roles_seen > 1 {
                        break;
                    }
                }
                if content(t) {
                    out.push(t.norm.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Language, Lines};

    fn cands(text: &str, lang: Language) -> Vec<Cand> {
        let tabs = Tables::get(lang);
        let lines = Lines::new(text);
        let toks = super::super::tokens::tokenize(text, &lines, &|w| tabs.is_elision(w));
        candidates(text, &toks, &[], tabs, &|_| true)
    }

    #[test]
    fn french_names_with_roles_and_honorifics() {
        let text = "Le président biélorusse Alexandre Loukachenko a parlé. Ensuite M. Veser a écrit. Le ministre de la Défense Jaroslav Nad a tranché.";
        let c = cands(text, Language::FR);
        let names: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            names,
            vec!["Alexandre Loukachenko", "Veser", "Jaroslav Nad"]
        );
        assert!(c[0].roles.contains(&"président".to_string()));
        assert!(c[0].roles.contains(&"biélorusse".to_string()));
        assert!(c[1].honorific);
        assert_eq!(c[1].person, Person::Strong);
        assert_eq!(c[2].person, Person::Strong);
    }

    #[test]
    fn surnames_inherit_personhood_and_prepositions_are_noted() {
        let text = "Pavel Slunkin a parlé. La fin du règne de Slunkin approche.";
        let c = cands(text, Language::FR);
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].text, "Slunkin");
        assert_eq!(c[1].person, Person::Medium);
        assert!(c[1].pp);
    }

    #[test]
    fn english_titles_and_possessives() {
        let text = "Defence Secretary Ben Wallace spoke. Lukashenko’s army, said Dmitry Peskov, the Kremlin spokesman.";
        let c = cands(text, Language::EN);
        let names: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            names,
            vec!["Ben Wallace", "Lukashenko", "Dmitry Peskov", "Kremlin"]
        );
        assert_eq!(c[0].person, Person::Strong);
        assert!(c[2].roles.is_empty() || c[2].person >= Person::Medium);
    }

    #[test]
    fn apposition_roles_are_the_head_only() {
        let text = "Reinhard Veser, rédacteur politique du journal allemand Frankfurter Allgemeine, a écrit. Mais Loukachenko, un allié du président russe Vladimir Poutine, a parlé.";
        let c = cands(text, Language::FR);
        let veser = c.iter().find(|c| c.text == "Reinhard Veser").unwrap();
        assert!(veser.roles.contains(&"rédacteur".to_string()));
        let louk = c.iter().find(|c| c.text == "Loukachenko").unwrap();
        assert!(!louk.roles.contains(&"président".to_string()));
        let pout = c.iter().find(|c| c.text == "Vladimir Poutine").unwrap();
        assert!(pout.roles.contains(&"président".to_string()));
    }
}
