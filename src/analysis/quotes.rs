//! Quotation detection (every mark style and mix, multi-paragraph quotations,
//! apostrophes told apart from single quotes) and speaker attribution (speech
//! verbs, `selon`, colon introductions, pronoun and description resolution).
//!
//! - [`marks`]: quotation marks → quotations, continuations and stray marks;
//! - [`tokens`]: word tokens for the cue search;
//! - [`tables`]: the cue tables of each language (`speech_*`, `attribution_*`);
//! - [`names`]: speaker candidates (entity mentions and capitalised names);
//! - [`attribution`]: cues, speakers, resolution, term/quote kind.

pub mod attribution;
pub mod marks;
pub mod names;
pub mod tables;
pub mod tokens;

use super::{
    lexicon::Lexicon, AnalysisOptions, Language, Lines, Mention, Quote, SmallSpan, Span, Structure,
};

/// Lines the structure analysis knows are not running text (sorted).
fn known_lines(structure: &Structure) -> Vec<usize> {
    let mut known: Vec<usize> = structure
        .captions
        .iter()
        .map(|c| c.line)
        .chain(structure.boilerplate.iter().map(|b| b.line))
        .chain(structure.title.iter().map(|t| t.line))
        .collect();
    known.sort_unstable();
    known.dedup();
    known
}

fn boilerplate_lines(structure: &Structure) -> Vec<usize> {
    let mut lines: Vec<usize> = structure.boilerplate.iter().map(|b| b.line).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// The marks of a text that open or close nothing (outside boilerplate lines).
pub fn stray_marks(text: &str, lines: &Lines, structure: &Structure) -> Vec<Span> {
    let known = known_lines(structure);
    let boiler = boilerplate_lines(structure);
    marks::scan(text, lines, &known)
        .strays
        .into_iter()
        .filter(|s| boiler.binary_search(&lines.line_of(s.start)).is_err())
        .collect()
}

/// Finds the quotations of an article, in text order.
pub fn find(
    text: &str,
    lines: &Lines,
    structure: &Structure,
    mentions: &[Mention],
    language: Language,
    lexicon: &Lexicon,
    options: &AnalysisOptions,
) -> Vec<Quote> {
    let _ = lexicon;
    let known = known_lines(structure);
    let boiler = boilerplate_lines(structure);
    let scan = marks::scan(text, lines, &known);
    // quotations inside boilerplate lines (a breadcrumb repeating the title) are dropped
    let keep: Vec<bool> = scan
        .quotes
        .iter()
        .map(|q| {
            let first = lines.line_of(q.content.start);
            let last = lines.line_of(q.content.end.saturating_sub(1).max(q.content.start));
            !(first..=last).all(|l| boiler.binary_search(&l).is_ok())
        })
        .collect();
    let mut new_index = vec![None; scan.quotes.len()];
    let mut raws = Vec::new();
    for (i, q) in scan.quotes.iter().enumerate() {
        if keep.get(i).copied().unwrap_or(false) {
            if let Some(slot) = new_index.get_mut(i) {
                *slot = Some(raws.len());
            }
            raws.push(q.clone());
        }
    }
    for q in &mut raws {
        q.continues = q
            .continues
            .and_then(|c| new_index.get(c).copied().flatten());
    }
    if raws.is_empty() {
        return Vec::new();
    }
    let attributed = attribution::attribute(
        text,
        lines,
        &known,
        mentions,
        language,
        &options.extra_speech_verbs,
        &raws,
    );
    raws.into_iter()
        .zip(attributed)
        .map(|(q, a)| Quote {
            span: q.content.into(),
            open_mark: q.open.map(SmallSpan::from),
            close_mark: q.close.map(SmallSpan::from),
            kind: a.kind,
            attribution: a.attribution,
            speaker: a.speaker,
            speaker_span: a.speaker_span.map(SmallSpan::from),
            cue: a.cue,
            continues: q.continues.map(super::saturating_u32),
            nearest_candidate: a.nearest_candidate,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Attribution, EntityKind, KindVotes, QuoteKind};

    fn quotes(text: &str) -> Vec<Quote> {
        analyze(text, &AnalysisOptions::default()).quotes
    }

    /// (text, kind, attribution, speaker) of each quotation.
    fn summary(text: &str) -> Vec<(String, QuoteKind, Attribution, Option<String>)> {
        quotes(text)
            .into_iter()
            .map(|q| {
                (
                    q.span().text(text).to_string(),
                    q.kind,
                    q.attribution,
                    q.speaker.map(String::from),
                )
            })
            .collect()
    }

    fn one(text: &str) -> (Attribution, Option<String>) {
        let q = quotes(text);
        assert_eq!(q.len(), 1, "{q:?}");
        (q[0].attribution, q[0].speaker.map(String::from))
    }

    fn named(s: &str) -> (Attribution, Option<String>) {
        (Attribution::Named, Some(s.to_string()))
    }

    #[test]
    fn french_inverted_verbs() {
        assert_eq!(
            one("« Nous ne nous battrons que pour défendre notre terre », a déclaré Loukachenko."),
            named("Loukachenko")
        );
        assert_eq!(
            one("« La situation est grave », estime le politologue Artyom Chraibman."),
            named("Artyom Chraibman")
        );
        let text =
            "Pavel Slunkin a décrit la situation.\n\n« Je dirais oui et non », a-t-il déclaré.";
        assert_eq!(one(text), named("Pavel Slunkin"));
        assert_eq!(
            one("Poutine “n’a pas de véritables alliés”, car son partisan a fait un jeu, a-t-on affirmé."),
            (Attribution::Anonymous, Some("on".into()))
        );
        assert_eq!(
            one("« Aucune menace pour la population », pouvait-on lire dans un communiqué."),
            (Attribution::Anonymous, Some("on".into()))
        );
    }

    #[test]
    fn english_inverted_and_plain_verbs() {
        assert_eq!(
            one("“We will not be intimidated,” said Mr Smith."),
            named("Smith")
        );
        assert_eq!(
            one("“We will not be intimidated,” Smith said on Monday."),
            named("Smith")
        );
        assert_eq!(
            one("“The drills are purely defensive,” the ministry said in a statement."),
            (Attribution::Described, Some("the ministry".into()))
        );
        assert_eq!(
            one("“It is a meat grinder,” one Western diplomat said."),
            (Attribution::Described, Some("one Western diplomat".into()))
        );
    }

    #[test]
    fn colon_introductions_and_pronouns() {
        let fr = "M. Kavaleuski était prudent.\n\nIl a expliqué: “Le fait est que les troupes ne bougeront pas.”";
        let q = quotes(fr);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].attribution, Attribution::Named);
        assert_eq!(q[0].speaker.as_deref(), Some("Kavaleuski"));
        // the speaker span is the antecedent, the cue the verb
        assert_eq!(q[0].speaker_span().map(|s| s.text(fr)), Some("Kavaleuski"));
        assert_eq!(
            q[0].cue.as_ref().map(|c| c.text.as_str()),
            Some("a expliqué")
        );
        let en = "Defence analyst Dr Sarah Pearson spoke to us.\n\nShe explained: \"Lukashenko is trying to show Moscow that he is useful.\"";
        assert_eq!(one(en), named("Sarah Pearson"));
    }

    #[test]
    fn pronouns_skip_names_inside_the_quotation_and_reported_clauses() {
        let fr = "Pavel Slunkin a parlé longtemps. Il a déclaré que Poutine pourrait utiliser la Biélorussie.\n\nIl a ajouté : « Loukachenko ne bougera pas. »";
        assert_eq!(one(fr), named("Pavel Slunkin"));
        let en = "Katia Glod spoke on Monday. She said that Putin wanted a new front.\n\n“Lukashenko will not move,” she said.";
        assert_eq!(one(en), named("Katia Glod"));
    }

    #[test]
    fn selon_and_according_to() {
        assert_eq!(
            one("Selon BelTA, le président a affirmé que « la Biélorussie ne mobilisera pas »."),
            (Attribution::Described, Some("le président".into()))
        );
        assert_eq!(
            one("« Minsk cherche à montrer son utilité », selon Artyom Chraibman."),
            named("Artyom Chraibman")
        );
        assert_eq!(
            one(
                "« L’offensive pourrait commencer en janvier », d’après des sources diplomatiques."
            ),
            (
                Attribution::Anonymous,
                Some("des sources diplomatiques".into())
            )
        );
        assert_eq!(
            one("“The offensive could start in January,” according to Andriy Yusov."),
            named("Andriy Yusov")
        );
        assert_eq!(
            one("“The offensive could start in January,” according to sources."),
            (Attribution::Anonymous, Some("sources".into()))
        );
    }

    #[test]
    fn definite_descriptions_resolve_by_role_or_recency() {
        let fr = "Le président russe Vladimir Poutine et le président biélorusse Alexandre Loukachenko se sont vus.\n\nLe président russe a déclaré que l’ordre était nécessaire pour « protéger la souveraineté de la Russie ».";
        assert_eq!(one(fr), named("Vladimir Poutine"));
        let despot = "Loukachenko a déclaré qu’il avait ordonné le déploiement.\n\nLe despote a affirmé lors d’une réunion: «Des frappes sont prévues contre nous.";
        assert_eq!(one(despot), named("Loukachenko"));
        let en = "Kremlin spokesman Dmitry Peskov spoke on Monday.\n\n“We have never refused negotiations,” the Kremlin spokesman said.";
        assert_eq!(one(en), named("Dmitry Peskov"));
    }

    #[test]
    fn described_and_vague_sources() {
        assert_eq!(
            one("Un haut responsable slovaque a prédit jeudi « une situation politique très compliquée pour lui »."),
            (
                Attribution::Described,
                Some("Un haut responsable slovaque".into())
            )
        );
        assert_eq!(
            one("Les forces ont pu lancer des attaques « précises et dévastatrices contre des cibles », estiment des responsables du renseignement."),
            (
                Attribution::Anonymous,
                Some("des responsables du renseignement".into())
            )
        );
        assert_eq!(
            one("“The situation is difficult but under control,” a senior official told Reuters."),
            (Attribution::Described, Some("a senior official".into()))
        );
        assert_eq!(
            one("“They are throwing everything they have at us,” officials said."),
            (Attribution::Anonymous, Some("officials".into()))
        );
        assert_eq!(
            one("“It's over,” one source close to the talks told the newspaper."),
            (
                Attribution::Anonymous,
                Some("one source close to the talks".into())
            )
        );
        assert_eq!(
            one("“The deal is done,” people familiar with the matter said on Friday."),
            (
                Attribution::Anonymous,
                Some("people familiar with the matter".into())
            )
        );
        assert_eq!(
            one("« Rien n’est décidé », confie une source proche du dossier."),
            (
                Attribution::Anonymous,
                Some("une source proche du dossier".into())
            )
        );
        // the fullest description written before
        let full = "Le ministère de la Défense du Royaume-Uni a déclaré que les exercices étaient routiniers.\n\n« Il est hautement improbable que ces exercices soient une indication de préparatifs », a déclaré le ministère.";
        assert_eq!(
            one(full),
            (
                Attribution::Described,
                Some("Le ministère de la Défense du Royaume-Uni".into())
            )
        );
    }

    #[test]
    fn continuation_inherits_the_speaker_over_a_caption() {
        let fr = "Pavel Slunkin a parlé.\n\n« Pourquoi oui ? Parce qu’elle est mieux préparée, a-t-il dit. Voilà.\n\n« Pourquoi non ? Cette armée n’a jamais combattu.\n\nDes soldats ukrainiens près de la frontière\n\n“Et même s’ils se préparent, ils n’envahiront pas.”";
        let q = quotes(fr);
        assert_eq!(q.len(), 3);
        assert_eq!(q[1].continues, Some(0));
        assert_eq!(q[2].continues, Some(1));
        for x in &q {
            assert_eq!(x.attribution, Attribution::Named);
            assert_eq!(x.speaker.as_deref(), Some("Pavel Slunkin"));
        }
        let en = "Belarusian dictator Alexander Lukashenko spoke in Minsk on Friday.\n\nHe said: \"Our neighbours are preparing for war.\n\n\"Their tanks are lined up.\n\nAlexander Lukashenko in Minsk\n\n\"If they cross the line, the answer will be terrible.\"";
        let q = quotes(en);
        assert_eq!(q.len(), 3);
        assert_eq!(q[2].continues, Some(1));
        assert!(q
            .iter()
            .all(|x| x.speaker.as_deref() == Some("Alexander Lukashenko")));
    }

    #[test]
    fn british_single_quotes_and_apostrophes() {
        let en = "The Belarusian leader Alexander Lukashenko met Putin on Sunday.\n\n'The Wagner guys are starting to stress us out,' he said. 'They want to go west.\n\n'But I am keeping them in the centre.'\n\nIt's not the first time Lukashenko's claims worried Warsaw.";
        let s = summary(en);
        let texts: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "The Wagner guys are starting to stress us out,",
                "They want to go west.",
                "But I am keeping them in the centre."
            ]
        );
        assert!(s
            .iter()
            .all(|x| x.3.as_deref() == Some("Alexander Lukashenko")));
    }

    #[test]
    fn terms_and_quotes() {
        let fr = "La Biélorussie a agi comme un \"co-belligérant\" dans l'invasion.\n\n“Une nouvelle agression”\n\nLe commandant ukrainien, Serhiy Nayev, avait déclaré que les pourparlers porteraient sur “une nouvelle agression contre l’Ukraine”.";
        let s = summary(fr);
        assert_eq!(s[0].0, "co-belligérant");
        assert_eq!(s[0].1, QuoteKind::Term);
        // a quoted subheading is a quotation, credited to the passage that repeats it
        assert_eq!(s[1].0, "Une nouvelle agression");
        assert_eq!(s[1].1, QuoteKind::Quote);
        assert_eq!(s[1].3.as_deref(), Some("Serhiy Nayev"));
        assert_eq!(s[2].1, QuoteKind::Quote);
        let en = "Russia called it a “special military operation” on Monday.";
        assert_eq!(summary(en)[0].1, QuoteKind::Term);
    }

    #[test]
    fn unattributed_quotations_name_the_nearest_candidate() {
        let fr = "Le président Alexandre Loukachenko a visité une usine.\n\n« On a l’habitude, ça fait des années que ça dure. »\n\nLa vie suit son cours.";
        let q = quotes(fr);
        assert_eq!(q[0].attribution, Attribution::None);
        assert_eq!(
            q[0].nearest_candidate.as_deref(),
            Some("Alexandre Loukachenko")
        );
        assert!(q[0].cue.is_none());
        let en = "The streets were dark on Sunday night.\n\n“We have been living like this for two years.”\n\nShops stayed closed.";
        let q = quotes(en);
        assert_eq!(q[0].attribution, Attribution::None);
        assert_eq!(q[0].nearest_candidate, None);
        // a banner is nobody: no carry-over from the sentence before
        let banner = "“We need more air defence,” Galushchenko said.\n\nA banner on the town hall read “We will rebuild every house in this city” in large blue letters.";
        assert_eq!(quotes(banner)[1].attribution, Attribution::None);
    }

    #[test]
    fn incises_signatures_and_headlines() {
        let fr = "Pour Tatiana Stanovaïa, chercheuse au centre Carnegie, le Kremlin veut mobiliser.\n\n« Chaque attaque sert à justifier la guerre, explique-t-elle. Le pouvoir a besoin de ces images.";
        assert_eq!(one(fr), named("Tatiana Stanovaïa"));
        let en = "“Nobody will cross this border without our consent.” — Mariusz Blaszczak";
        assert_eq!(one(en), named("Mariusz Blaszczak"));
        let headline =
            "Zelensky: 'We need more air defence now'\n\nThe strikes hit Kyiv overnight.";
        assert_eq!(one(headline), named("Zelensky"));
    }

    #[test]
    fn entity_mentions_are_used_when_present() {
        let text = "Le Kremlin a réagi.\n\n« Nous ne commentons pas », a déclaré le porte-parole Dmitri Peskov.";
        let lines = Lines::new(text);
        let start = text.find("Dmitri").unwrap();
        let kremlin = text.find("Kremlin").unwrap();
        let mention = |s: usize, t: &str, kind| Mention {
            span: Span::new(s, s + t.len()).into(),
            text: t.into(),
            kind,
            votes: KindVotes::default(),
            role: None,
            gazetteer: None,
        };
        let mentions = vec![
            mention(kremlin, "Kremlin", EntityKind::Organization),
            mention(start, "Dmitri Peskov", EntityKind::Person),
        ];
        let q = find(
            text,
            &lines,
            &Structure::default(),
            &mentions,
            Language::FR,
            Lexicon::get(),
            &AnalysisOptions::default(),
        );
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].speaker.as_deref(), Some("Dmitri Peskov"));
        assert_eq!(q[0].speaker_span(), Some(mentions[1].span()));
        // a bare first name of unknown kind can still be the speaker
        let en = "A Kyiv resident, who gave only her first name, Olena, said she slept in the metro. “The children were crying all night,” she said.";
        let lines = Lines::new(en);
        let at = en.find("Olena").unwrap();
        let kyiv = en.find("Kyiv").unwrap();
        let mentions = vec![
            mention(kyiv, "Kyiv", EntityKind::Place),
            mention(at, "Olena", EntityKind::Other),
        ];
        let q = find(
            en,
            &lines,
            &Structure::default(),
            &mentions,
            Language::EN,
            Lexicon::get(),
            &AnalysisOptions::default(),
        );
        assert_eq!(q[0].speaker.as_deref(), Some("Olena"));
    }

    #[test]
    fn extra_speech_verbs_from_the_options() {
        let text = "« Nous gagnerons », a tonné Loukachenko.";
        let lines = Lines::new(text);
        let plain = find(
            text,
            &lines,
            &Structure::default(),
            &[],
            Language::FR,
            Lexicon::get(),
            &AnalysisOptions::default(),
        );
        assert_eq!(plain[0].attribution, Attribution::None);
        let options = AnalysisOptions {
            extra_speech_verbs: vec!["a tonné".into()],
            ..AnalysisOptions::default()
        };
        let q = find(
            text,
            &lines,
            &Structure::default(),
            &[],
            Language::FR,
            Lexicon::get(),
            &options,
        );
        assert_eq!(q[0].speaker.as_deref(), Some("Loukachenko"));
    }

    #[test]
    fn quotations_on_boilerplate_lines_are_dropped() {
        let text = "Home » MONDE » L’armée “changerait de camp”\n\nL’armée “changerait de camp”, affirme un initié";
        let lines = Lines::new(text);
        let structure = Structure {
            boilerplate: vec![crate::analysis::BoilerplateLine {
                line: 0,
                kind: crate::analysis::BoilerplateKind::Navigation,
                text: String::new(),
                reason: "".into(),
            }],
            ..Structure::default()
        };
        let q = find(
            text,
            &lines,
            &structure,
            &[],
            Language::FR,
            Lexicon::get(),
            &AnalysisOptions::default(),
        );
        assert_eq!(q.len(), 1);
        assert_eq!(lines.line_of(q[0].span().start), 2);
        assert_eq!(q[0].attribution, Attribution::Anonymous);
    }

    #[test]
    fn a_hundred_thousand_marks_stay_linear() {
        let mut text = String::new();
        for i in 0..25_000 {
            match i % 4 {
                0 => text.push_str("« Nous resterons », a déclaré Loukachenko. "),
                1 => text.push_str("“ “ Il a dit: "),
                2 => text.push_str("l’\"armée\" ’ "),
                _ => text.push_str("»\n\n"),
            }
        }
        let start = std::time::Instant::now();
        let article = analyze(&text, &AnalysisOptions::default());
        assert!(!article.quotes.is_empty());
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any mix of marks, apostrophes, words, punctuation and line breaks:
        /// no panic, spans inside the text on character boundaries, marks
        /// around their content, continuations pointing backwards.
        #[test]
        fn random_texts_give_well_formed_quotations(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "« ", " »", "“", "”", "„", "\"", "'", "‘", "’", "‹", "›", "«", "»", "「",
                "Il", " a déclaré", " said", " Loukachenko", " Mr", ". ", ", ", ": ", "?",
                " l’", "Ukraine", " a-t-il dit", " selon", " he", " —", "\n", "\n\n",
                "\u{a0}", "\u{202f}", "é", " ", "M.", " Smith", " 12",
            ]),
            0..60,
        )) {
            let text: String = parts.concat();
            let lines = Lines::new(&text);
            let article = analyze(&text, &AnalysisOptions::default());
            for (i, q) in article.quotes.iter().enumerate() {
                proptest::prop_assert!(text.get(q.span().start..q.span().end).is_some());
                if let Some(o) = q.open_mark() {
                    proptest::prop_assert!(o.end <= q.span().start);
                    proptest::prop_assert!(text.get(o.start..o.end).is_some());
                }
                if let Some(c) = q.close_mark() {
                    proptest::prop_assert!(c.start >= q.span().end);
                    proptest::prop_assert!(text.get(c.start..c.end).is_some());
                }
                if let Some(p) = q.continues {
                    proptest::prop_assert!((p as usize) < i);
                }
                if let Some(s) = q.speaker_span() {
                    proptest::prop_assert!(text.get(s.start..s.end).is_some());
                }
            }
            let ctx = crate::analysis::rules::RuleContext::standalone(&text, &lines, &article);
            for f in crate::analysis::rules::run_all(&ctx) {
                proptest::prop_assert!(text.get(f.span.start..f.span.end).is_some());
                for fix in &f.fixes {
                    for e in &fix.edits {
                        proptest::prop_assert!(text.get(e.span.start..e.span.end).is_some());
                    }
                }
            }
        }
    }
}
