//! Synthetic corpora for benchmarks and load tests: a deterministic generator
//! (fixed seed) of articles of realistic shape and size — French and English,
//! titles, bylines, datelines, boilerplate blocks, quotations in every mark
//! style, entities drawn from a few thousand names with Zipf-like frequencies
//! and spelling variants. Runs at 1k, 10k and 100k articles are comparable
//! because article `i` is the same whatever `n` is.
//!
//! The random generator is a hand-written SplitMix64 on purpose: its output
//! must never change with a dependency upgrade, or benchmark figures taken at
//! different times would measure different corpora.

use std::fmt::Write as _;

/// SplitMix64: tiny, fast, and stable forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % (n.max(1) as u64)) as usize
    }
    /// A uniformly chosen item (`items` must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i.min(items.len().saturating_sub(1))]
    }
    /// Zipf-like rank in `0..n`: rank r has weight ~ 1/(r+1).
    pub fn zipf(&mut self, n: usize) -> usize {
        // Inverse of the continuous approximation: r = n^u - 1.
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let r = ((n as f64 + 1.0).powf(u) - 1.0) as usize;
        r.min(n.saturating_sub(1))
    }
}

const FIRST: &[&str] = &[
    "Vladimir",
    "Alexandre",
    "Sergueï",
    "Dmitri",
    "Olga",
    "Anna",
    "Maria",
    "Ivan",
    "Pavel",
    "Natalia",
    "Mikhaïl",
    "Iouri",
    "Andriy",
    "Viktor",
    "Oleg",
    "Svetlana",
    "Tatiana",
    "Boris",
    "Elena",
    "Igor",
    "John",
    "Mary",
    "Peter",
    "Sarah",
    "David",
    "Laura",
    "Thomas",
    "Claire",
];
const SYLL: &[&str] = &[
    "kov", "chen", "lou", "ka", "sha", "ro", "vi", "tch", "mir", "za", "pe", "dov", "ne", "ski",
    "ma", "len", "tor", "bar", "gri", "sto", "vel", "na", "ber", "lan",
];
const PLACES: &[&str] = &[
    "Russie",
    "Biélorussie",
    "Ukraine",
    "Moscou",
    "Minsk",
    "Kyiv",
    "Pologne",
    "Lituanie",
    "Géorgie",
    "Crimée",
    "Varsovie",
    "Berlin",
    "Paris",
    "Londres",
    "Bruxelles",
    "Vilnius",
];
const PLACES_EN: &[&str] = &[
    "Russia",
    "Belarus",
    "Ukraine",
    "Moscow",
    "Minsk",
    "Kyiv",
    "Poland",
    "Lithuania",
    "Georgia",
    "Crimea",
    "Warsaw",
    "Berlin",
    "Paris",
    "London",
    "Brussels",
    "Vilnius",
];
const ORGS: &[&str] = &[
    "Kremlin",
    "OTAN",
    "BelTA",
    "Reuters",
    "Pentagone",
    "Gazprom",
    "ONU",
];
const ORGS_EN: &[&str] = &[
    "Kremlin", "NATO", "BelTA", "Reuters", "Pentagon", "Gazprom", "UN",
];

/// One generated article.
#[derive(Debug, Clone)]
pub struct Article {
    pub name: String,
    pub text: String,
}

/// The person names of the generator's world: `count` surnames with first names.
fn person(i: usize, english: bool) -> (String, String) {
    let mut r = Rng::new(0xA11CE ^ (i as u64).wrapping_mul(0x9E37));
    let first = (*r.pick(FIRST)).to_string();
    let mut sur = String::new();
    for _ in 0..2 + r.below(2) {
        sur.push_str(r.pick::<&str>(SYLL));
    }
    let mut chars = sur.chars();
    let mut surname: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    surname.push_str(chars.as_str());
    if english {
        // A transliteration variant: the English spelling of a French one.
        surname = surname
            .replace("ou", "u")
            .replace("ch", "sh")
            .replace('ï', "i");
    }
    (first, surname)
}

fn sentence_fr(r: &mut Rng, names: usize, out: &mut String) {
    let (f, s) = person(r.zipf(names), false);
    let (_, s2) = person(r.zipf(names), false);
    let place = r.pick(PLACES);
    let org = r.pick(ORGS);
    let _ = match r.below(9) {
        0 => write!(
            out,
            "« Nous ne céderons rien à {place} », a déclaré {f} {s}. "
        ),
        1 => write!(
            out,
            "Selon {org}, {s} a rencontré {s2} à {place} la semaine dernière. "
        ),
        2 => write!(
            out,
            "M. {s} a affirmé que la situation en {place} était “très préoccupante”. "
        ),
        3 => write!(
            out,
            "Le président {f} {s} s’est rendu lundi à {place} pour des entretiens avec le {org}. "
        ),
        4 => write!(
            out,
            "\"Les sanctions ne changeront rien\", a-t-il ajouté, selon l’agence {org}. "
        ),
        5 => write!(
            out,
            "Les analystes estiment que l’économie de la {place} pourrait ralentir cette année. "
        ),
        6 => write!(
            out,
            "„Wir werden sehen“, a répondu {s2} en allemand, d’après {org}. "
        ),
        7 => write!(
            out,
            "« La guerre n’est pas notre choix », a-t-on affirmé à {place}. "
        ),
        _ => write!(
            out,
            "Cependant, {s} n’a pas souhaité commenter les déclarations de {s2}. "
        ),
    };
}

fn sentence_en(r: &mut Rng, names: usize, out: &mut String) {
    let (f, s) = person(r.zipf(names), true);
    let (_, s2) = person(r.zipf(names), true);
    let place = r.pick(PLACES_EN);
    let org = r.pick(ORGS_EN);
    let _ = match r.below(8) {
        0 => write!(
            out,
            "“We will not give up {place},” {f} {s} said on Monday. "
        ),
        1 => write!(
            out,
            "According to {org}, {s} met {s2} in {place} last week. "
        ),
        2 => write!(
            out,
            "Mr {s} told reporters the situation in {place} was ‘deeply worrying’. "
        ),
        3 => write!(
            out,
            "President {f} {s} travelled to {place} for talks with the {org}. "
        ),
        4 => write!(
            out,
            "\"Sanctions will change nothing,\" he added, according to {org}. "
        ),
        5 => write!(
            out,
            "Analysts expect the economy of {place} to slow down this year. "
        ),
        6 => write!(out, "“This is not our war,” officials said in {place}. "),
        _ => write!(
            out,
            "However, {s} declined to comment on the remarks made by {s2}. "
        ),
    };
}

/// Article `i` of a corpus whose people are drawn from `names` names.
pub fn article(i: usize, names: usize) -> Article {
    let mut r = Rng::new(0x5EED_0000 ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let english = r.below(3) == 0;
    let target = 3000 + r.below(5000);
    let mut text = String::with_capacity(target + 512);
    let (f, s) = person(r.zipf(names), english);
    let place = if english {
        *r.pick(PLACES_EN)
    } else {
        *r.pick(PLACES)
    };
    let title = if english {
        format!("{f} {s} warns {place} as tensions rise")
    } else {
        format!("{f} {s} met en garde {place} alors que les tensions montent")
    };
    if r.below(2) == 0 {
        let _ = writeln!(
            text,
            "Home » {} » {title}\n",
            if english { "WORLD" } else { "MONDE" }
        );
    }
    let _ = writeln!(text, "{title}\n");
    let (bf, bs) = person(r.zipf(names), english);
    let _ = writeln!(text, "{} {bf} {bs}\n", if english { "By" } else { "par" });
    let _ = writeln!(
        text,
        "{} 2022-{:02}-{:02}\n",
        if english { "Published" } else { "Publié le" },
        1 + r.below(12),
        1 + r.below(28)
    );
    let mut para = 0;
    while text.len() < target {
        let n = 2 + r.below(4);
        for _ in 0..n {
            if english {
                sentence_en(&mut r, names, &mut text);
            } else {
                sentence_fr(&mut r, names, &mut text);
            }
        }
        text.push_str("\n\n");
        para += 1;
        if para % 5 == 0 {
            let _ = writeln!(
                text,
                "{}\n",
                if english {
                    "The sanctions bite"
                } else {
                    "Les sanctions frappent"
                }
            );
        }
    }
    let trailer = if english {
        "Related Articles\n\nThis website uses cookies to improve your experience. Accept Read More\n"
    } else {
        "Articles similaires\n\nLaisser un commentaire\n\nBouton retour en haut de la page\n"
    };
    text.push_str(trailer);
    Article {
        name: format!("{i:06}_{}.txt", if english { "en" } else { "fr" }),
        text,
    }
}

/// The first `n` articles of the benchmark corpus (3000 names).
pub fn corpus(n: usize) -> Vec<Article> {
    (0..n).map(|i| article(i, 3000)).collect()
}

/// The benchmark corpus of `n` articles under the temp folder
/// (`news-ls-bench-N`), written once and reused by later runs.
pub fn bench_dir(n: usize) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("news-ls-bench-{n}"));
    if !dir.join("done").exists() {
        let _ = std::fs::create_dir_all(&dir);
        for a in corpus(n) {
            let _ = std::fs::write(dir.join(&a.name), a.text);
        }
        let _ = std::fs::write(dir.join("done"), "");
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_realistic_sizes() {
        let a = corpus(20);
        let b = corpus(20);
        assert_eq!(
            a.iter().map(|x| &x.text).collect::<Vec<_>>(),
            b.iter().map(|x| &x.text).collect::<Vec<_>>()
        );
        assert_eq!(
            article(7, 3000).text,
            a[7].text,
            "article i does not depend on n"
        );
        for x in &a {
            assert!(
                (3000..9000).contains(&x.text.len()),
                "{} bytes",
                x.text.len()
            );
        }
        assert!(a.iter().any(|x| x.name.ends_with("_en.txt")));
        assert!(a.iter().any(|x| x.name.ends_with("_fr.txt")));
        assert!(a.iter().any(|x| x.text.contains('«')) && a.iter().any(|x| x.text.contains('“')));
    }

    #[test]
    fn zipf_prefers_low_ranks() {
        let mut r = Rng::new(1);
        let low = (0..10_000).filter(|_| r.zipf(3000) < 30).count();
        assert!(low > 3000, "{low}");
    }
}
