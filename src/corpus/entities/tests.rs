//! Linking tests on small made-up French and English corpora.

use super::*;
use crate::analysis::{analyze, AnalysisOptions};

fn corpus(texts: &[(&str, &str)]) -> (Vec<(Arc<Path>, Article)>, EntityTable) {
    let docs: Vec<(Arc<Path>, Article)> = texts
        .iter()
        .map(|(p, t)| {
            (
                path_key(Path::new(p)),
                analyze(t, &AnalysisOptions::default()),
            )
        })
        .collect();
    let table = EntityTable::build(docs.iter().map(|(p, a)| (p, a)));
    (docs, table)
}

fn entity_named<'a>(table: &'a EntityTable, name: &str) -> &'a Entity {
    table
        .entities
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no entity {name}: {:?}",
                table.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
            )
        })
}

fn link_of(
    docs: &[(Arc<Path>, Article)],
    table: &EntityTable,
    doc: usize,
    surface: &str,
) -> MentionLink {
    let (path, article) = &docs[doc];
    let i = article
        .mentions
        .iter()
        .position(|m| &*m.text == surface)
        .unwrap_or_else(|| panic!("no mention {surface}"));
    table.links_of(path)[i].clone().unwrap()
}

const FR1: &str = "Le président russe Vladimir Poutine a rencontré Alexandre Loukachenko à Minsk.\n\nPoutine a déclaré que la Biélorussie restait une alliée. Loukachenko a ajouté que Kiev devait négocier avec Moscou.\n\nLe ministre de la Défense, Sergueï Choïgou, était présent. M. Choïgou a salué l’armée biélorusse.\n";
const FR2: &str = "Selon Dmitri Peskov, porte-parole du Kremlin, Poutine ne se rendra pas à Kyiv.\n\nLe Bélarus a démenti. Loukachenko a dit que le Bélarus ne bougerait pas et que Kyiv mentait.\n\nPeskov a précisé que la Russie restait prudente. Le président Volodymyr Zelesnky a répondu depuis Kyiv.\n";
const EN1: &str = "Russian President Vladimir Putin met Belarusian leader Alexander Lukashenko in Minsk on Monday.\n\nPutin said Belarus was a close ally. Lukashenko said Kyiv should talk to Moscow.\n\nDefence Minister Sergei Shoigu also attended. Shoigu praised the Belarusian army.\n";

#[test]
fn links_across_languages_and_spellings() {
    let (_, table) = corpus(&[("a.txt", FR1), ("b.txt", FR2), ("c.txt", EN1)]);
    let putin = entity_named(&table, "Vladimir Poutine");
    assert_eq!(putin.kind, EntityKind::Person);
    let aliases: Vec<&str> = putin.aliases.iter().map(|(a, _)| a.as_str()).collect();
    for a in ["Vladimir Poutine", "Poutine", "Vladimir Putin", "Putin"] {
        assert!(aliases.contains(&a), "{a} not in {aliases:?}");
    }
    assert_eq!(putin.documents, 3);
    let luka = entity_named(&table, "Alexandre Loukachenko");
    let aliases: Vec<&str> = luka.aliases.iter().map(|(a, _)| a.as_str()).collect();
    for a in ["Loukachenko", "Alexander Lukashenko", "Lukashenko"] {
        assert!(aliases.contains(&a), "{a} not in {aliases:?}");
    }
    let shoigu = entity_named(&table, "Sergueï Choïgou");
    let aliases: Vec<&str> = shoigu.aliases.iter().map(|(a, _)| a.as_str()).collect();
    for a in ["Choïgou", "Sergei Shoigu", "Shoigu"] {
        assert!(aliases.contains(&a), "{a} not in {aliases:?}");
    }
    // Exonyms: Kiev/Kyiv (Kyiv is more frequent), Biélorussie/Bélarus/Belarus.
    let kyiv = entity_named(&table, "Kyiv");
    assert_eq!(kyiv.kind, EntityKind::Place);
    assert!(kyiv.aliases.iter().any(|(a, _)| a == "Kiev"));
    let by = table
        .entities
        .iter()
        .find(|e| e.aliases.iter().any(|(a, _)| a == "Biélorussie"))
        .unwrap();
    assert!(by.aliases.iter().any(|(a, _)| a == "Bélarus"));
    assert!(by.aliases.iter().any(|(a, _)| a == "Belarus"));
    assert_eq!(entity_named(&table, "Moscou").aliases.len(), 2);
}

#[test]
fn variants_and_typos_get_their_relation() {
    let (docs, table) = corpus(&[("a.txt", FR1), ("b.txt", FR2), ("c.txt", EN1)]);
    let l = link_of(&docs, &table, 2, "Lukashenko");
    assert_eq!(l.relation, LinkRelation::Variant);
    assert_eq!(l.preferred_surface.as_deref(), Some("Loukachenko"));
    assert_eq!(l.canonical, "Alexandre Loukachenko");
    let l = link_of(&docs, &table, 0, "Poutine");
    assert_eq!(l.relation, LinkRelation::Canonical);
    assert_eq!(l.preferred_surface, None);
    let l = link_of(&docs, &table, 0, "Kiev");
    assert_eq!(l.relation, LinkRelation::Variant);
    assert_eq!(l.preferred_surface.as_deref(), Some("Kyiv"));
    // A misspelt name nobody else uses is a typo of the gazetteer's spelling.
    let l = link_of(&docs, &table, 1, "Volodymyr Zelesnky");
    assert_eq!(l.relation, LinkRelation::Typo);
    assert_eq!(l.preferred_surface.as_deref(), Some("Volodymyr Zelensky"));
    assert_eq!(l.canonical, "Volodymyr Zelensky");
}

#[test]
fn surnames_link_to_the_person_named_in_the_same_article() {
    let a = "Hunter Biden a été entendu. Selon la presse, Biden a refusé de répondre.\n";
    let b = "Joe Biden a parlé au Congrès. Biden a promis une aide.\n";
    let c = "Joe Biden et Hunter Biden étaient présents. Le président Joe Biden a parlé.\n";
    let (docs, table) = corpus(&[("a.txt", a), ("b.txt", b), ("c.txt", c)]);
    let hunter = table.entity_of(&docs[0].0, 0).unwrap().id;
    let biden_a = docs[0]
        .1
        .mentions
        .iter()
        .position(|m| &*m.text == "Biden")
        .unwrap();
    assert_eq!(table.entity_of(&docs[0].0, biden_a).unwrap().id, hunter);
    let joe = table.entity_of(&docs[1].0, 0).unwrap().id;
    assert_ne!(joe, hunter);
    let biden_b = docs[1]
        .1
        .mentions
        .iter()
        .position(|m| &*m.text == "Biden")
        .unwrap();
    assert_eq!(table.entity_of(&docs[1].0, biden_b).unwrap().id, joe);
}

#[test]
fn different_names_are_not_merged() {
    let a = "Sergio Mattarella a reçu Sergei Lavrov à Rome. Mattarella a salué Lavrov.\n";
    let b = "Le train relie Minsk à Pinsk. Minsk et Pinsk sont en Biélorussie. Minsk a répondu.\n";
    let c = "Dmitri Peskov et Marina Peskova ont parlé. Peskova a souri, Peskov aussi.\n";
    let (_, table) = corpus(&[("a.txt", a), ("b.txt", b), ("c.txt", c)]);
    let names: Vec<&str> = table.entities.iter().map(|e| e.name.as_str()).collect();
    for n in [
        "Sergio Mattarella",
        "Sergei Lavrov",
        "Minsk",
        "Pinsk",
        "Dmitri Peskov",
        "Marina Peskova",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert_ne!(
        entity_named(&table, "Minsk").id,
        entity_named(&table, "Pinsk").id
    );
}

#[test]
fn acronym_in_parentheses_joins_its_long_form() {
    let a = "Il a parlé devant l’Organisation des pays exportateurs de pétrole (OPEP) à Vienne. L’OPEP a répondu.\n";
    let (_, table) = corpus(&[("a.txt", a)]);
    let e = table
        .entities
        .iter()
        .find(|e| e.aliases.iter().any(|(a, _)| a == "OPEP"))
        .unwrap();
    assert!(e
        .aliases
        .iter()
        .any(|(a, _)| a == "Organisation des pays exportateurs de pétrole"));
    assert_eq!(e.kind, EntityKind::Organization);
}

#[test]
fn corpus_typo_of_a_well_attested_name() {
    let a = "Pavel Slunkin a parlé. Slunkin a ajouté que tout allait bien. Slunkin est prudent.\n";
    let b = "Selon Pavel Slunkin, la guerre continue. M. Slunkin a insisté.\n";
    let c = "M. Slunkni a répété ses mises en garde.\n";
    let (docs, table) = corpus(&[("a.txt", a), ("b.txt", b), ("c.txt", c)]);
    let l = link_of(&docs, &table, 2, "Slunkni");
    assert_eq!(l.relation, LinkRelation::Typo);
    assert_eq!(l.preferred_surface.as_deref(), Some("Slunkin"));
    assert_eq!(l.canonical, "Pavel Slunkin");
}

#[test]
fn search_and_definition() {
    let (docs, table) = corpus(&[("a.txt", FR1), ("b.txt", FR2), ("c.txt", EN1)]);
    let hits = table.search("biélo");
    assert!(hits
        .iter()
        .any(|e| e.aliases.iter().any(|(a, _)| a == "Biélorussie")));
    let hits = table.search("loukach");
    assert_eq!(
        hits.first().map(|e| e.name.as_str()),
        Some("Alexandre Loukachenko")
    );
    let putin = entity_named(&table, "Vladimir Poutine");
    let def = table.definition(putin.id).unwrap();
    assert_eq!(def.path, docs[0].0);
    let refs = table.mentions_of(putin.id);
    assert_eq!(refs.len(), putin.mentions);
    let roles: Vec<&str> = entity_named(&table, "Dmitri Peskov")
        .roles
        .iter()
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(roles, vec!["porte-parole du Kremlin"]);
}

#[test]
fn rare_names_near_famous_ones_are_not_typos() {
    // `Martin` is a first name, `Lavrova` only adds an ending, `Mark Rutter`
    // has another first name than Mark Rutte... and `Zelesnky` alone has no
    // first name to confirm it is the president.
    let a = "Le journaliste Pierre Martin a interrogé Anna Lavrova. Martin a conclu.\n";
    let b = "Tom Rutter, un avocat, a parlé. Selon Rutter, Zelesnky a tort.\n";
    let c = "Sanna Marin a reçu Mark Rutte à Helsinki. Marin a salué Rutte.\n";
    let (docs, table) = corpus(&[("a.txt", a), ("b.txt", b), ("c.txt", c)]);
    for (d, article) in docs.iter().enumerate() {
        for (i, m) in article.1.mentions.iter().enumerate() {
            let l = table.links_of(&docs[d].0)[i].clone().unwrap();
            assert_ne!(
                l.relation,
                LinkRelation::Typo,
                "{} flagged as a typo",
                m.text
            );
        }
    }
    assert_ne!(
        table.entity_of(&docs[1].0, 0).map(|e| e.id),
        Some(entity_named(&table, "Mark Rutte").id)
    );
}

#[test]
fn stored_mentions_expand_to_paths_and_indices_per_document() {
    let (docs, table) = corpus(&[
        (
            "/c/a.txt",
            "Vladimir Poutine a parlé à Moscou. Poutine est reparti vers Minsk.\n",
        ),
        (
            "/c/b.txt",
            "The Kremlin said Vladimir Poutine met officials. Poutine left.\n",
        ),
    ]);
    let putin = entity_named(&table, "Vladimir Poutine");
    let all = table.mentions_of(putin.id);
    assert_eq!(all.len(), 4);
    assert_eq!(table.first_mention_of(putin.id).as_ref(), all.first());
    for (path, article) in &docs {
        // The version the table was built from (no generations recorded: 0),
        // and a later one.
        let doc = |generation| DocEntry {
            path: path.clone(),
            text: Arc::from(""),
            lines: crate::analysis::Lines::new(""),
            article: article.clone(),
            open_version: None,
            generation,
            title_key: std::sync::OnceLock::new(),
        };
        let (built, later) = (doc(0), doc(1));
        let here = table.mentions_in(putin.id, path);
        assert_eq!(here.len(), 2, "{}", path.display());
        for r in &here {
            assert_eq!(&r.path, path);
            let m = &article.mentions[r.index];
            assert_eq!(r.span_in(&built), Some(m.span()));
            assert_eq!(r.span_in(&later), None);
            assert!(m.text.ends_with("Poutine"));
            assert_eq!(table.entity_of(path, r.index).map(|e| e.id), Some(putin.id));
        }
    }
    assert!(table
        .mentions_in(putin.id, &path_key(Path::new("/c/other.txt")))
        .is_empty());
    // One link and one stored mention per mention of the corpus: kept small.
    assert_eq!(std::mem::size_of::<RawLink>(), 8);
    assert_eq!(std::mem::size_of::<StoredRef>(), 8);
    assert_eq!(RawLink::NONE.get(), None);
    assert_eq!(RawLink::new(7, 3).get(), Some((7, 3)));
}

#[test]
fn spellings_are_ranked_by_use_then_text_whatever_the_map_order() {
    let surface = |text: &'static str| Surface {
        text,
        words: names::words(text),
        count: 0,
        dominant: 0,
        docs: 0,
        last_doc: None,
        votes: VoteTotals::default(),
        gaz: None,
        alias_of: None,
        typo_fix: None,
        key: name_key(text),
        last_fold: String::new(),
        acronym: false,
    };
    let surfaces = vec![
        surface("Kiev"),
        surface("Kyiv"),
        surface("Kiew"),
        surface("Kyïv"),
    ];
    // Insertion orders differ; the ranking does not.
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
        let counts = [5, 9, 5, 1];
        let mut used: FastMap<usize, usize> = FastMap::default();
        for sid in order {
            used.insert(sid, counts[sid]);
        }
        let ranked: Vec<(&str, usize)> = spellings_by_use(&surfaces, &used)
            .into_iter()
            .map(|(s, c)| (s.text, c))
            .collect();
        assert_eq!(
            ranked,
            vec![("Kyiv", 9), ("Kiev", 5), ("Kiew", 5), ("Kyïv", 1)]
        );
    }
}
