//! Every diagnostic code over stdio on made-up articles (French and English),
//! corpus-level boilerplate on a generated corpus, and severity settings.

mod common;

use common::*;
use serde_json::{json, Value};

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

const UNATTRIBUTED_FR: &str = "Les négociations reprennent à Genève\n\nPar Claire Dubois\n\n\
La délégation est arrivée mardi dans la ville suisse pour une nouvelle série d’entretiens.\n\n\
« Nous ne reculerons devant aucune exigence, et nous le dirons haut et fort. »\n\n\
Les discussions doivent durer trois jours.\n";

const UNATTRIBUTED_EN: &str = "Talks resume in Geneva\n\nBy Claire Dubois\n\n\
The delegation arrived in the Swiss city on Tuesday for a new round of talks.\n\n\
“We will not back down from any demand, and we will say so loudly and clearly.”\n\n\
The discussions are expected to last three days.\n";

#[test]
fn unattributed_quotations_are_flagged_in_french_and_english() {
    let dir = corpus(&[("fr.txt", UNATTRIBUTED_FR), ("en.txt", UNATTRIBUTED_EN)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    for (name, text) in [("fr.txt", UNATTRIBUTED_FR), ("en.txt", UNATTRIBUTED_EN)] {
        let uri = s.open(&dir.path().join(name), text);
        let d = s.diagnostics(&uri, Some(1));
        let un: Vec<Value> = d["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d["code"] == "unattributed-quote")
            .collect();
        assert_eq!(un.len(), 1, "{name}: {d}");
        assert_eq!(un[0]["severity"], 2, "warning");
        assert_eq!(un[0]["range"]["start"]["line"], 6, "{name}");
        assert!(
            un[0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("No speaker"),
            "{}",
            un[0]["message"]
        );
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn vague_attribution_and_stray_quote_mark_with_fix() {
    let text = "Le ministre sous pression\n\nPar Jean Martin\n\n\
« La réforme est morte », a-t-on affirmé dans l’entourage du ministre.\n\n\
Le ministre a reconnu en mai que le projet \"traînait en longueur\". \"\n";
    let dir = corpus(&[("a.txt", text)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let uri = s.open(&dir.path().join("a.txt"), text);
    let d = s.diagnostics(&uri, Some(1));
    let c = codes(&d);
    assert!(c.contains(&"vague-attribution".to_string()), "{c:?}");
    let stray = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["code"] == "stray-quote-mark")
        .expect("stray mark");
    assert_eq!(stray["range"]["start"]["line"], 6);
    let actions = s.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": stray["range"], "context": {"diagnostics": [stray]}}),
    );
    let edits = actions[0]["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "");
    assert_eq!(edits[0]["range"]["start"]["line"], 6);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn repeated_banner_across_the_corpus_is_boilerplate() {
    let banner = "Le Courrier du Soir, édition numérique du groupe Presse Régionale";
    let mut files = Vec::new();
    for i in 0..4 {
        files.push((
            format!("a{i}.txt"),
            format!("Titre numéro {i} sur la réforme\n\nUn paragraphe de texte numéro {i} sur la réforme des retraites.\n\n{banner}\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = corpus(&refs);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let uri = s.open(&dir.path().join("a0.txt"), &files[0].1);
    let d = s.diagnostics(&uri, Some(1));
    let hit = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["code"] == "boilerplate" && d["range"]["start"]["line"] == 4);
    let hit = hit.unwrap_or_else(|| panic!("banner not flagged: {d}"));
    assert_eq!(hit["data"]["kind"], "repeated-across-corpus");
    assert!(
        hit["message"].as_str().unwrap_or("").contains("4 articles"),
        "{}",
        hit["message"]
    );
    // Above the threshold only: with the threshold at 5 it is not boilerplate.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"news-ls": {"repeatThreshold": 5}}}),
    );
    let d = s.diagnostics(&uri, None);
    assert!(
        !d["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .any(|d| d["range"]["start"]["line"] == 4),
        "{d}"
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn severities_are_configurable_per_code() {
    let dir = corpus(&[("fr.txt", UNATTRIBUTED_FR)]);
    let (mut s, _) = Server::start_with_options(
        dir.path(),
        json!({}),
        json!({"news-ls": {"diagnostics": {"unattributed-quote": "error", "boilerplate": "off"}}}),
    );
    let uri = s.open(&dir.path().join("fr.txt"), UNATTRIBUTED_FR);
    let d = s.diagnostics(&uri, Some(1));
    let un = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["code"] == "unattributed-quote")
        .expect("flagged");
    assert_eq!(un["severity"], 1, "raised to error");
    assert!(!codes(&d).contains(&"boilerplate".to_string()));
    assert_eq!(s.shutdown(), Some(0));
}
