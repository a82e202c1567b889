//! Tests of the structure analysis on made-up French and English articles:
//! web pages dumped with their menus, one-sentence-per-line copies, pages that
//! drop image captions into the text, author boxes.

use super::*;
use crate::analysis::{language, BoilerplateKind as K};

fn run(text: &str) -> Structure {
    let lines = Lines::new(text);
    let lang = language::detect(text);
    analyze(
        text,
        &lines,
        lang,
        Lexicon::get(),
        &AnalysisOptions::default(),
    )
}

fn kinds(s: &Structure) -> Vec<(usize, K)> {
    s.boilerplate.iter().map(|b| (b.line, b.kind)).collect()
}

fn lines_of(refs: &[LineRef]) -> Vec<usize> {
    refs.iter().map(|r| r.line).collect()
}

const EN_WEB_DUMP: &str = "Skip to main content
Menu
Search
Sign in
Subscribe
World
Politics
Business
Home > World > Europe
Putin visits Belarus as fears of a new offensive grow
By Jane Doe and John Roe
Published December 19, 2022 10:30 AM ET
Share on Facebook
Share on Twitter
5 min read
Russian President Vladimir Putin travelled to Minsk on Monday, his first visit to Belarus in more than three years.
Kyiv fears the Kremlin wants to push its neighbour into the war.
\"We are not going to war,\" Lukashenko told reporters after the talks, adding that Belarus only wanted peace.
Advertisement
Sanctions bite
Western sanctions have made it hard for Belarus to export potash, its main export.
The Pentagon said on Dec. 13 it saw no sign of an imminent cross-border attack.
Related Articles
Belarus denies plans to join the war
Kremlin says talks were productive
Most Read
© 2022 Example News Ltd. All rights reserved.
Privacy Policy
Terms of Use
Back to top";

#[test]
fn english_web_dump_with_menus() {
    let s = run(EN_WEB_DUMP);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(9));
    assert_eq!(s.byline.as_deref(), Some("Jane Doe and John Roe"));
    assert_eq!(s.byline_line, Some(10));
    assert_eq!(s.date.as_deref(), Some("2022-12-19"));
    assert_eq!(lines_of(&s.headings), vec![19]);
    assert!(s.captions.is_empty(), "{:?}", s.captions);
    assert_eq!(
        kinds(&s),
        vec![
            (0, K::Navigation),
            (1, K::Navigation),
            (2, K::Navigation),
            (3, K::Navigation),
            (4, K::Promo),
            (5, K::Navigation),
            (6, K::Navigation),
            (7, K::Navigation),
            (8, K::Navigation),
            (12, K::Navigation),
            (13, K::Navigation),
            (14, K::Navigation),
            (18, K::Promo),
            (22, K::RelatedLinks),
            (23, K::Teaser),
            (24, K::Teaser),
            (25, K::RelatedLinks),
            (26, K::Navigation),
            (27, K::Navigation),
            (28, K::Navigation),
            (29, K::BackToTop),
        ]
    );
    // Lede, then the section under `Sanctions bite`; boilerplate excluded.
    assert_eq!(s.sections.len(), 2);
    assert_eq!((s.sections[0].start_line, s.sections[0].end_line), (15, 17));
    assert_eq!((s.sections[1].start_line, s.sections[1].end_line), (19, 21));
    assert!(s.boilerplate.iter().all(|b| !b.reason.is_empty()));
}

const FR_ONE_SENTENCE_PER_LINE: &str = "Accueil
Monde
Europe
Poutine en visite à Minsk pour rallier Loukachenko
Par Marie Dupont, envoyée spéciale à Minsk
Publié le 19 décembre 2022 à 10h30
Le président russe s’est rendu lundi en Biélorussie pour la première fois depuis trois ans.
Il a rencontré Alexandre Loukachenko à Minsk.
Il a déclaré :
« Nous sommes des alliés et nous le resterons. »
Une alliance sous tension
Les deux pays ont signé plusieurs accords économiques.
Lire aussi : Minsk refuse d’envoyer des troupes en Ukraine
Les diplomates occidentaux restent prudents.
Partager sur Facebook
Partager sur Twitter
Articles similaires
Loukachenko promet de ne pas entrer en guerre
";

#[test]
fn french_one_sentence_per_line_copy() {
    let s = run(FR_ONE_SENTENCE_PER_LINE);
    assert_eq!(
        s.title.as_ref().map(|t| t.text.as_str()),
        Some("Poutine en visite à Minsk pour rallier Loukachenko")
    );
    assert_eq!(s.byline.as_deref(), Some("Marie Dupont"));
    assert_eq!(s.date.as_deref(), Some("2022-12-19"));
    let span = s.date_span.map(|sp| sp.text(FR_ONE_SENTENCE_PER_LINE));
    assert_eq!(span, Some("19 décembre 2022"));
    assert_eq!(lines_of(&s.headings), vec![10]);
    assert!(s.captions.is_empty(), "{:?}", s.captions);
    assert_eq!(
        kinds(&s),
        vec![
            (0, K::Navigation),
            (1, K::Navigation),
            (2, K::Navigation),
            (12, K::Teaser),
            (14, K::Navigation),
            (15, K::Navigation),
            (16, K::RelatedLinks),
            (17, K::Teaser),
        ]
    );
    assert_eq!(s.sections.len(), 2);
    assert_eq!(s.sections[0].heading, None);
    assert_eq!(s.sections[1].heading.as_ref().map(|h| h.line), Some(10));
    assert_eq!(s.sections[1].end_line, 13);
}

/// A page that prints its title twice, drops image captions into the text
/// (straight apostrophes in a body with curly ones; a line inside a quotation),
/// and ends with a source line.
const FR_CAPTIONS: &str = "Loukachenko refuse d’envoyer ses troupes en Ukraine

Loukachenko refuse d’envoyer ses troupes en Ukraine

Alexandre Loukachenko et Vladimir Poutine
M. Loukachenko a reçu M. Poutine à Minsk lundi, pour la première fois depuis trois ans.

Le président biélorusse a répété lundi qu’il n’enverrait pas de soldats en Ukraine.

Selon lui, l’armée biélorusse n’a pas l’expérience d’une guerre de haute intensité.

Il a déclaré : « Nous ne ferons pas la guerre à nos voisins, jamais.

Cadets de l'armée biélorusse

« Notre armée défend notre terre et rien d’autre, c’est tout.

Les soldats biélorusses à l’exercice

Les analystes restent sceptiques face à ces déclarations d’apaisement.

Source : Le Courrier de l’Est
";

#[test]
fn french_captions_on_a_page_that_drops_them_inline() {
    let s = run(FR_CAPTIONS);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(0));
    assert_eq!(s.date, None);
    assert_eq!(s.byline, None);
    assert_eq!(kinds(&s), vec![(2, K::DuplicateTitle), (21, K::SourceLine)]);
    // Image title + caption under the title; a caption inside the quotation
    // (and with straight apostrophes); so the unmarked short line is a caption too.
    assert_eq!(lines_of(&s.captions), vec![4, 5, 13, 17]);
    assert!(s.headings.is_empty());
    assert_eq!(s.sections.len(), 1);
    assert_eq!(s.sections[0].start_line, 4);
    assert_eq!(s.sections[0].end_line, 19);
}

const EN_AUTHOR_BOX: &str = "News

Belarus will not mobilise its forces, Lukashenko says

Belarusian President Alexander Lukashenko said on Friday that his country would not mobilise its forces.

Russia announced a partial mobilisation on Wednesday, drawing protests in dozens of cities.

Lukashenko speaks in Minsk
Above, Lukashenko speaks at a summit of the CSTO in Moscow on May 16.
Contributor/Getty Images

\"We will only fight when we have to defend our home,\" Lukashenko said.

Newsweek has contacted the Russian foreign ministry for comment.

Oliver Barker

Oliver Barker is a reporter based in London. He grew up in Bristol and holds a degree in economics.

Leave a Reply

Your email address will not be published. Required fields are marked *
";

#[test]
fn english_author_box_and_credited_caption() {
    let s = run(EN_AUTHOR_BOX);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(2));
    assert_eq!(s.byline.as_deref(), Some("Oliver Barker"));
    assert_eq!(s.date, None);
    assert_eq!(
        kinds(&s),
        vec![
            (0, K::Navigation),
            (10, K::PhotoCredit),
            (16, K::AuthorBio),
            (18, K::AuthorBio),
            (20, K::CommentForm),
            (22, K::CommentForm),
        ]
    );
    assert_eq!(lines_of(&s.captions), vec![8, 9]);
    assert!(s.headings.is_empty());
}

const EN_HEADINGS: &str = "Will Belarus join the war in Ukraine?

MINSK (Reuters) - Russian President Vladimir Putin flew to Minsk on Monday, stoking fears in Kyiv that he wants to drag his ally into the war.

Moscow and Minsk have set up a joint military unit in Belarus and held many exercises.

“A new aggression”

Ukraine's commander said he believed the talks would be about “a new aggression” against Ukraine.

Sanctions bite exports

Western sanctions have made it difficult for Belarus to ship potash, its main export.

The Pentagon said on Dec. 13 it saw no imminent cross-border activity.
";

#[test]
fn english_headings_and_sections() {
    let s = run(EN_HEADINGS);
    assert_eq!(
        s.title.as_ref().map(|t| t.text.as_str()),
        Some("Will Belarus join the war in Ukraine?")
    );
    assert_eq!(
        s.date, None,
        "a date without a year is not a publication date"
    );
    assert!(s.boilerplate.is_empty(), "{:?}", s.boilerplate);
    assert_eq!(lines_of(&s.headings), vec![6, 10]);
    assert!(s.captions.is_empty());
    let spans: Vec<(Option<usize>, usize, usize)> = s
        .sections
        .iter()
        .map(|x| (x.heading.as_ref().map(|h| h.line), x.start_line, x.end_line))
        .collect();
    assert_eq!(
        spans,
        vec![(None, 2, 4), (Some(6), 6, 8), (Some(10), 10, 14)]
    );
}

#[test]
fn french_article_without_title_with_merged_dateline() {
    let text =
        " date 2022-12 Le président russe s’est rendu lundi en Biélorussie avec ses ministres.\n\n\
Le 21 septembre 2022, il avait annoncé une mobilisation partielle.\n\n\
Les sanctions frappent les exportations\n\n\
Les sanctions occidentales ont rendu difficile l’expédition d’engrais.\n";
    let s = run(text);
    assert_eq!(s.title, None);
    assert_eq!(s.date.as_deref(), Some("2022-12"));
    assert_eq!(s.date_span.map(|sp| sp.text(text)), Some("2022-12"));
    assert!(s.boilerplate.is_empty());
    assert_eq!(lines_of(&s.headings), vec![4]);
}

#[test]
fn breadcrumb_repeating_the_title_and_empty_byline() {
    let text = "Home » WORLD » Putin isolated as cracks show with his key ally\n\n\
Putin isolated as cracks show with his key ally\n\nBy\n\n\
Vladimir Putin has no real allies outside Russia, an analyst said on Tuesday.\n";
    let s = run(text);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(2));
    assert_eq!(s.byline, None);
    assert_eq!(kinds(&s), vec![(0, K::Navigation), (4, K::EmptyByline)]);
}

#[test]
fn empty_and_odd_texts_do_not_panic() {
    for t in [
        "",
        "\n\n\n",
        "[",
        "]]]][[[",
        "«",
        "Par",
        "2022-13-45",
        "é\r\n\r\n»",
    ] {
        let s = run(t);
        assert!(s.headings.is_empty());
    }
}

const EN_MIXED: &str = "Belarus braces for a long winter of sanctions

Jane Doe
Monday 19 December 2022 10.30 GMT

Belarus has been hit hard by Western sanctions since it let Russian troops use its territory.

Pictured: the potash plant in Soligorsk

Its potash exports, once shipped through Lithuania, now go by rail to Russian ports.

The three main routes:
- rail to Saint Petersburg
- trucks to China

Prices are rising

Shops in Minsk have raised prices by a fifth since the summer.

About the author
Jane Doe is a correspondent covering Eastern Europe. She was born in Vilnius.

Tags: Belarus, sanctions, potash
";

#[test]
fn english_marked_caption_list_and_author_header() {
    let s = run(EN_MIXED);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(0));
    assert_eq!(s.byline.as_deref(), Some("Jane Doe"));
    assert_eq!(s.date.as_deref(), Some("2022-12-19"));
    // A caption that names its picture does not turn headings into captions.
    assert_eq!(lines_of(&s.captions), vec![7]);
    assert_eq!(lines_of(&s.headings), vec![15]);
    assert_eq!(
        kinds(&s),
        vec![(19, K::AuthorBio), (20, K::AuthorBio), (22, K::Navigation)]
    );
}

#[test]
fn one_odd_caption_does_not_turn_subheadings_into_captions() {
    let text = "Les sanctions frappent Minsk de plein fouet

Les sanctions occidentales ont rendu difficile l’expédition d’engrais potassiques.

Les exportations s’effondrent

Les ventes de potasse ont chuté de moitié depuis l’été, selon les douanes.

Il a déclaré : « Nous trouverons d’autres routes, par la Russie.

Une usine de potasse à Soligorsk

« Les ports russes nous suffiront », a-t-il ajouté.

Les prix grimpent

Les magasins de Minsk ont augmenté leurs prix d’un cinquième.

Un hiver difficile

Les ménages biélorusses se préparent à un hiver difficile.
";
    let s = run(text);
    assert_eq!(lines_of(&s.captions), vec![10]);
    assert_eq!(lines_of(&s.headings), vec![4, 14, 18]);
}

/// An English page with captions dropped into a quotation, one sentence per
/// line and no blank lines.
const EN_CAPTIONS_ONE_PER_LINE: &str =
    "Home » WORLD » Lukashenko will not help Putin because his army would switch sides
Lukashenko will not help Putin because his army would switch sides
By
Belarus’s leader has sounded more and more like Putin in recent weeks.
He said: “The fact that this has not happened is not because Lukashenko is so careful.
It is because he has to think about his own army’s mood.
Belarusian army cadets
“Losses could trigger protests at home, and he knows it.”
Belarus and Ukraine on the map
Analysts say Minsk will keep its troops at home for now.
Related Articles
This website uses cookies to improve your experience.
";

#[test]
fn english_captions_one_sentence_per_line() {
    let s = run(EN_CAPTIONS_ONE_PER_LINE);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(1));
    assert_eq!(s.byline, None);
    assert_eq!(
        kinds(&s),
        vec![
            (0, K::Navigation),
            (2, K::EmptyByline),
            (10, K::RelatedLinks),
            (11, K::CookieNotice),
        ]
    );
    assert_eq!(lines_of(&s.captions), vec![6, 8]);
    assert!(s.headings.is_empty());
}

#[test]
fn configured_patterns_are_navigation() {
    let text = "A long enough title for the story\n\nThe minister said the talks went well.\n\nNEWSWIRE-ID 4411\n";
    let lines = Lines::new(text);
    let options = AnalysisOptions {
        extra_boilerplate: vec![regex::Regex::new("^NEWSWIRE-ID").unwrap()],
        ..AnalysisOptions::default()
    };
    let s = analyze(text, &lines, Language::EN, Lexicon::get(), &options);
    assert_eq!(kinds(&s), vec![(4, K::Navigation)]);
    assert!(s.boilerplate[0].reason.contains("NEWSWIRE-ID"));
}

#[test]
fn french_menu_on_one_line_and_byline_with_date() {
    let text = "Accueil Monde Europe Politique Économie Société Culture Sport
Minsk refuse de suivre Moscou dans la guerre
Marie Dupont | 19 décembre 2022
Le président biélorusse a exclu lundi toute participation de son armée au conflit.
Il l’a répété devant les cadets de l’académie militaire.
";
    let s = run(text);
    assert_eq!(kinds(&s), vec![(0, K::Navigation)]);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(1));
    assert_eq!(s.byline.as_deref(), Some("Marie Dupont"));
    assert_eq!(s.byline_line, Some(2));
    assert_eq!(s.date.as_deref(), Some("2022-12-19"));
}

#[test]
fn english_byline_label_on_its_own_line() {
    let text = "Lukashenko keeps his army at home\nBy\nJane Doe\nBelarus will not send troops to Ukraine, its leader said on Monday.\n";
    let s = run(text);
    assert_eq!(s.title.as_ref().map(|t| t.line), Some(0));
    assert_eq!(s.byline.as_deref(), Some("Jane Doe"));
    assert_eq!(s.byline_line, Some(2));
    assert!(s.captions.is_empty());
}

/// The one-pass line facts: words, quotes, apostrophes, sentence breaks.
#[test]
fn line_info_counts_in_one_pass() {
    let x = Info::new("  « C’est l’heure », a dit M. Dupont. Puis il est parti  ");
    assert_eq!(
        x.text,
        "« C’est l’heure », a dit M. Dupont. Puis il est parti"
    );
    assert_eq!(x.words, 12);
    assert_eq!(x.curly_apostrophes, 2);
    assert_eq!(x.straight_apostrophes, 0);
    assert!(x.inner_sentence);
    assert!(x.starts_quote);
    assert!(!x.starts_lower);
    assert_eq!(x.quote_excess, 0);
    assert_eq!(x.end, End::Open);

    let y = Info::new("\"We don't know what's next, he said");
    assert_eq!(y.words, 7);
    assert_eq!(y.straight_apostrophes, 2);
    assert_eq!(y.curly_apostrophes, 0);
    assert!(!y.inner_sentence);
    assert_eq!(y.quote_excess, 1);
    assert!(!y.whole_quote);

    let z = Info::new("“Breaking news”");
    assert!(z.whole_quote);
    assert_eq!(z.quote_excess, 0);
    let w = Info::new("3) the list goes on.");
    assert!(w.bullet);
    // The first alphanumeric char is the digit.
    assert!(!w.starts_lower);
    assert!(Info::new("- la liste continue.").starts_lower);
    assert_eq!(w.end, End::Sentence);
}

/// The line facts skip ASCII chars when counting curly quotation marks.
#[test]
fn curly_marks_are_not_ascii() {
    assert!(OPENERS.iter().chain(CLOSERS).all(|c| !c.is_ascii()));
}
