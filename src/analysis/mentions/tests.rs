//! Recogniser tests on small made-up French and English articles.

use super::*;
use crate::analysis::{AnalysisOptions, Language, Lines, Structure};

fn run(text: &str, lang: Language) -> Vec<Mention> {
    run_with(text, lang, &AnalysisOptions::default())
}

fn run_with(text: &str, lang: Language, options: &AnalysisOptions) -> Vec<Mention> {
    let lines = Lines::new(text);
    find(
        text,
        &lines,
        &Structure::default(),
        lang,
        Lexicon::get(),
        options,
    )
}

fn surfaces(ms: &[Mention]) -> Vec<&str> {
    ms.iter().map(|m| &*m.text).collect()
}

fn mention<'a>(ms: &'a [Mention], s: &str) -> &'a Mention {
    ms.iter()
        .find(|m| &*m.text == s)
        .unwrap_or_else(|| panic!("no mention {s} in {:?}", surfaces(ms)))
}

const FR: &str = "Accueil » POLITIQUE » Le maire de Lyon reçoit M. Dubreuil

Le maire de Lyon reçoit M. Dubreuil

par

Le président français Emmanuel Macron a reçu lundi à l’Élysée le chancelier allemand Olaf Scholz, a indiqué la présidence. Cependant, les Allemands restent prudents face à la Russie.

Gérard Dubreuil, porte-parole de la Fédération de Russie à Genève, a déclaré que Moscou « n’a pas d’alliés ». M. Dubreuil a ajouté que l’Ukraine et la Biélorussie discutaient.

Selon Marianne Quillet, chercheuse à l'Institut pour la recherche sur la paix, le ministère de la Défense du Royaume-Uni a confirmé l'information. L'agence de presse Interfax a repris la nouvelle.

Reportage supplémentaire de Jeanne Ferrand

Articles similaires
";

#[test]
fn french_article_mentions() {
    let ms = run(FR, Language::FR);
    let s = surfaces(&ms);
    for want in [
        "Lyon",
        "Dubreuil",
        "Emmanuel Macron",
        "Élysée",
        "Olaf Scholz",
        "Russie",
        "Gérard Dubreuil",
        "Fédération de Russie",
        "Genève",
        "Moscou",
        "Ukraine",
        "Biélorussie",
        "Marianne Quillet",
        "Institut pour la recherche sur la paix",
        "Royaume-Uni",
        "Interfax",
        "Jeanne Ferrand",
    ] {
        assert!(s.contains(&want), "missing {want} in {s:?}");
    }
    for bad in [
        "Accueil",
        "POLITIQUE",
        "Le",
        "Cependant",
        "Allemands",
        "Défense",
        "Reportage",
        "Articles",
        "Articles similaires",
        "M",
        "L",
    ] {
        assert!(!s.contains(&bad), "unexpected {bad} in {s:?}");
    }
}

#[test]
fn french_kinds_roles_and_gazetteer() {
    let ms = run(FR, Language::FR);
    let macron = mention(&ms, "Emmanuel Macron");
    assert_eq!(macron.kind, EntityKind::Person);
    assert_eq!(macron.role.as_deref(), Some("président français"));
    let gd = mention(&ms, "Gérard Dubreuil");
    assert_eq!(gd.kind, EntityKind::Person);
    assert_eq!(
        gd.role.as_deref(),
        Some("porte-parole de la Fédération de Russie à Genève")
    );
    assert_eq!(mention(&ms, "Genève").kind, EntityKind::Place);
    let fed = mention(&ms, "Fédération de Russie");
    assert_eq!(fed.gazetteer.as_deref(), Some("Russie"));
    assert_eq!(fed.kind, EntityKind::Place);
    let inst = mention(&ms, "Institut pour la recherche sur la paix");
    assert_eq!(inst.kind, EntityKind::Organization);
    assert_eq!(mention(&ms, "Interfax").kind, EntityKind::Organization);
    assert_eq!(mention(&ms, "Dubreuil").kind, EntityKind::Person);
}

#[test]
fn spans_are_exact_and_ordered() {
    let ms = run(FR, Language::FR);
    for w in ms.windows(2) {
        assert!(w[0].span().end <= w[1].span().start);
    }
    for m in &ms {
        assert_eq!(m.span().text(FR), &*m.text);
    }
}

const EN: &str = "Home | World | Europe

Putin Isolated As Cracks Show In His Relationship With Key Ally Lukashenko

By Jane Porter

Russian President Vladimir Putin met Belarusian leader Alexander Lukashenko in Minsk on Monday, the Kremlin said. However, Belarusians fear being dragged into the war.

Lukashenko's spokeswoman, Natalia Eismont, told Reuters that Kyiv had nothing to fear. Foreign Minister Sergei Lavrov and Defense Minister Sergei Shoigu joined the talks at the Ministry of Defence.

\"We are ready,\" said Colonel Mark Ewing, a former NATO officer now at the Institute for the Study of War. Mr. Ewing added that Ukraine's army, backed by the United States, was stronger.

Related Articles

Read More
";

#[test]
fn english_article_mentions() {
    let ms = run(EN, Language::EN);
    let s = surfaces(&ms);
    for want in [
        "Putin",
        "Lukashenko",
        "Jane Porter",
        "Vladimir Putin",
        "Alexander Lukashenko",
        "Minsk",
        "Kremlin",
        "Natalia Eismont",
        "Reuters",
        "Kyiv",
        "Sergei Lavrov",
        "Sergei Shoigu",
        "Mark Ewing",
        "NATO",
        "Institute for the Study of War",
        "Ewing",
        "Ukraine",
        "United States",
        "Europe",
    ] {
        assert!(s.contains(&want), "missing {want} in {s:?}");
    }
    for bad in [
        "Home",
        "World",
        "Isolated",
        "Cracks",
        "Key Ally",
        "Russian",
        "Russian President",
        "Monday",
        "However",
        "Belarusians",
        "Belarusian",
        "Defence",
        "Ministry of Defence",
        "Related Articles",
        "Read More",
        "We",
        "Colonel",
        "Mr",
    ] {
        assert!(!s.contains(&bad), "unexpected {bad} in {s:?}");
    }
    let putin = ms.iter().find(|m| &*m.text == "Vladimir Putin").unwrap();
    assert_eq!(putin.role.as_deref(), Some("Russian President"));
    assert_eq!(putin.kind, EntityKind::Person);
    let lavrov = mention(&ms, "Sergei Lavrov");
    assert_eq!(lavrov.role.as_deref(), Some("Foreign Minister"));
    assert_eq!(
        mention(&ms, "Institute for the Study of War").kind,
        EntityKind::Organization
    );
    assert_eq!(mention(&ms, "Minsk").kind, EntityKind::Place);
    assert_eq!(mention(&ms, "Ewing").kind, EntityKind::Person);
}

#[test]
fn elisions_demonyms_acronyms_and_shouting() {
    let text = "A NE PAS MANQUER\n\nLes Russes et les Biélorusses regardent l’Ukraine et l’OTAN depuis d’Europe de l’Est. Le Kremlin et la CIA se taisent.\n";
    let ms = run(text, Language::FR);
    let s = surfaces(&ms);
    assert_eq!(
        s,
        vec!["Ukraine", "OTAN", "Europe de l’Est", "Kremlin", "CIA"]
    );
}

#[test]
fn organisation_names_and_acronyms_in_parentheses() {
    let text = "Il a parlé au sommet de l’Organisation du traité de sécurité collective (OTSC) à Moscou, puis devant l’Union européenne et la Banque de France.\n";
    let ms = run(text, Language::FR);
    let s = surfaces(&ms);
    assert_eq!(
        s,
        vec![
            "Organisation du traité de sécurité collective",
            "OTSC",
            "Moscou",
            "Union européenne",
            "Banque de France"
        ]
    );
    let otsc = mention(&ms, "OTSC");
    assert!(otsc.gazetteer.is_some());
    assert_eq!(otsc.kind, EntityKind::Organization);
}

#[test]
fn particles_join_personal_names_only_after_given_names() {
    let text = "Hier, Charles de Gaulle et Ursula von der Leyen ont parlé de la Russie de Poutine.\nMilitaire de Poutine\n";
    let ms = run(text, Language::FR);
    let s = surfaces(&ms);
    assert_eq!(
        s,
        vec![
            "Charles de Gaulle",
            "Ursula von der Leyen",
            "Russie",
            "Poutine",
            "Poutine"
        ]
    );
}

#[test]
fn sentence_initial_words_need_evidence() {
    // `Veser` is seen mid-sentence, so `Reinhard Veser` at a line start is a name;
    // `Reportage` and `Cadets` are not.
    let text = "Reinhard Veser, rédacteur, a écrit.\n\nSelon M. Veser, tout va bien.\n\nCadets de l'armée biélorusse\n\nNewsweek a contacté le ministère.\n\nKavaleuski a déclaré que non. Reste à savoir.\n";
    let ms = run(text, Language::FR);
    assert_eq!(
        surfaces(&ms),
        vec!["Reinhard Veser", "Veser", "Newsweek", "Kavaleuski"]
    );
    assert_eq!(
        mention(&ms, "Reinhard Veser").role.as_deref(),
        Some("rédacteur")
    );
}

#[test]
fn not_entities_option_is_honoured() {
    let options = AnalysisOptions {
        not_entities: vec!["Kremlin".into()],
        ..AnalysisOptions::default()
    };
    let ms = run_with(
        "Le Kremlin et Moscou ont répondu.\n",
        Language::FR,
        &options,
    );
    assert_eq!(surfaces(&ms), vec!["Moscou"]);
}

#[test]
fn english_possessives_and_titles() {
    let text = "The talks in Kyiv were hosted by Ukraine's president, Volodymyr Zelensky, and Prime Minister Denys Shmyhal.\nTheresa May said the U.S. would help, as George W. Bush did.\n";
    let ms = run(text, Language::EN);
    assert_eq!(
        surfaces(&ms),
        vec![
            "Kyiv",
            "Ukraine",
            "Volodymyr Zelensky",
            "Denys Shmyhal",
            "Theresa May",
            "U.S.",
            "George W. Bush"
        ]
    );
    assert_eq!(
        mention(&ms, "Denys Shmyhal").role.as_deref(),
        Some("Prime Minister")
    );
}

const WEB: &str = "Menu
Search
Newsletters
Politics | Opinion | Climate | Tech

ADVERTISEMENT

Ukraine War Latest: Russia Pounds Kharkiv As Zelensky Visits Front Line

Updated 14:32 GMT, 3 March 2023
Share on Facebook

By Tom Balmforth

KYIV — Russian missiles struck the city of Kharkiv overnight, regional governor Oleh Syniehubov said on Telegram.

The Russia-Ukraine war entered a new phase, Franco-German talks stalled and the International Atomic Energy Agency (IAEA) warned of a power cut. Secretary of State Antony Blinken said Mr Zelensky would visit Washington.

Read more:
We use cookies. By clicking Accept All you agree to our use of cookies.
Accept All
Manage Preferences
";

#[test]
fn web_page_dump_in_english() {
    let ms = run(WEB, Language::EN);
    let s = surfaces(&ms);
    assert_eq!(
        s,
        vec![
            "Ukraine",
            "Russia",
            "Kharkiv",
            "Zelensky",
            "Facebook",
            "Tom Balmforth",
            "KYIV",
            "Kharkiv",
            "Oleh Syniehubov",
            "Telegram",
            "International Atomic Energy Agency",
            "IAEA",
            "Antony Blinken",
            "Zelensky",
            "Washington",
        ]
    );
    assert_eq!(mention(&ms, "KYIV").gazetteer.as_deref(), Some("Kyiv"));
    assert_eq!(
        mention(&ms, "Antony Blinken").role.as_deref(),
        Some("Secretary of State")
    );
    assert_eq!(
        mention(&ms, "Oleh Syniehubov").role.as_deref(),
        Some("governor")
    );
}

const FR_LINES: &str = "Guerre en Ukraine : la Pologne renforce sa frontière avec la Biélorussie
Le ministre polonais de la Défense, Mariusz Błaszczak, a annoncé mardi l'envoi de soldats.
Varsovie accuse Minsk d'organiser l'arrivée de migrants.
Jens Stoltenberg, secrétaire général de l'Alliance, a rappelé que l'article 5 s'appliquait.
Cependant, la Commission européenne reste prudente.
Mercredi, le président Andrzej Duda s'est rendu à Białystok.
";

#[test]
fn one_sentence_per_line_in_french() {
    let ms = run(FR_LINES, Language::FR);
    assert_eq!(
        surfaces(&ms),
        vec![
            "Ukraine",
            "Pologne",
            "Biélorussie",
            "Mariusz Błaszczak",
            "Varsovie",
            "Minsk",
            "Jens Stoltenberg",
            "Alliance",
            "Commission européenne",
            "Andrzej Duda",
            "Białystok",
        ]
    );
    assert_eq!(
        mention(&ms, "Mariusz Błaszczak").role.as_deref(),
        Some("ministre polonais de la Défense")
    );
    assert_eq!(
        mention(&ms, "Jens Stoltenberg").role.as_deref(),
        Some("secrétaire général de l'Alliance")
    );
    assert_eq!(mention(&ms, "Alliance").role, None);
    assert_eq!(mention(&ms, "Białystok").kind, EntityKind::Place);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any text: no panic, spans on character boundaries, in order, not overlapping.
    #[test]
    fn never_panics_and_spans_are_valid(text in "(?s)[A-Za-zÀ-ÿ’'«»“”\".,:;!?()\\[\\]|» \n\t0-9\u{a0}-]{0,300}") {
        let ms = run(&text, Language::FR);
        let mut last = 0;
        for m in &ms {
            proptest::prop_assert!(m.span().start >= last);
            proptest::prop_assert!(m.span().start < m.span().end);
            proptest::prop_assert_eq!(text.get(m.span().range()), Some(&*m.text));
            last = m.span().end;
        }
    }

    /// Capitalised word soup in either language never breaks the linker either.
    #[test]
    fn linker_accepts_any_mentions(words in proptest::collection::vec("[A-Z][a-zé]{0,8}", 0..40)) {
        let text = words.join(" et ") + ".\n" + &words.join(", ");
        let article = crate::analysis::analyze(&text, &AnalysisOptions::default());
        let path = crate::corpus::entities::path_key(std::path::Path::new("x.txt"));
        let table = crate::corpus::EntityTable::build([(&path, &article)]);
        proptest::prop_assert_eq!(table.links_of(&path).len(), article.mentions.len());
    }
}

#[test]
fn roles_do_not_cross_other_names_or_verbs() {
    let text = "The Belarusian leader Alexander Lukashenko met Putin on Sunday.\nLe secrétaire général de l'OTAN Jens Stoltenberg a parlé avec le président Andrzej Duda.\n";
    let ms = run(text, Language::EN);
    assert_eq!(
        mention(&ms, "Alexander Lukashenko").role.as_deref(),
        Some("leader")
    );
    assert_eq!(mention(&ms, "Putin").role, None);
    assert_eq!(
        mention(&ms, "Jens Stoltenberg").role.as_deref(),
        Some("secrétaire général de l'OTAN")
    );
    assert_eq!(
        mention(&ms, "Andrzej Duda").role.as_deref(),
        Some("président")
    );
}

/// Gaps between name words: one space or one apostrophe joins, a line break
/// or punctuation does not.
#[test]
fn joinable_gaps() {
    let text = "Jean Dupont\nMarie l’Est, Paris  Londres";
    let toks = tokenize(text, 0, Cues::get());
    let tok = |s: &str| toks.iter().find(|t| t.text == s).unwrap();
    assert!(joinable(text, tok("Jean"), tok("Dupont")));
    assert!(!joinable(text, tok("Dupont"), tok("Marie")));
    assert!(joinable(text, tok("l"), tok("Est")));
    assert!(!joinable(text, tok("Est"), tok("Paris")));
    assert!(joinable(text, tok("Paris"), tok("Londres")));
}

/// A caption made only of gazetteer forms gives one mention per form, in
/// French and English.
#[test]
fn gazetteer_only_runs_split() {
    let ms = run("Le président a parlé.\n\nMoscou Minsk\n", Language::FR);
    assert!(surfaces(&ms).contains(&"Moscou"), "{:?}", surfaces(&ms));
    assert!(surfaces(&ms).contains(&"Minsk"), "{:?}", surfaces(&ms));
    let en = run("The president spoke.\n\nMoscow Kyiv\n", Language::EN);
    assert!(surfaces(&en).contains(&"Moscow"), "{:?}", surfaces(&en));
    assert!(surfaces(&en).contains(&"Kyiv"), "{:?}", surfaces(&en));
}
