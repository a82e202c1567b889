//! Feature tests over stdio on the seed corpus: hover cards, references across
//! files (including files never opened), rename across files, highlights,
//! workspace symbols, semantic tokens, code lens, outline, folding, inlay
//! hints, diagnostics and their code actions.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use common::*;
use serde_json::{json, Value};

const F000: &str = "000_091163bae6314d22.txt";
const F001: &str = "001_e4564e332a95ab24.txt";
const F002: &str = "002_f2058b10de2506b4.txt";
const F003: &str = "003_32fe3fea501d7c45.txt";

/// UTF-16 position of the `nth` occurrence of `needle` in `text`.
fn pos_of(text: &str, needle: &str, nth: usize) -> Value {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not found"));
    let before = &text[..byte];
    let line = before.matches('\n').count();
    let col = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({"line": line, "character": col})
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read seed")
}

/// Applies LSP text edits (UTF-16 positions) to a text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let ch = p["character"].as_u64().unwrap_or(0) as usize;
        let mut start = 0;
        for (i, l) in text.split('\n').enumerate() {
            if i == line {
                let mut units = 0;
                for (b, c) in l.char_indices() {
                    if units >= ch {
                        return start + b;
                    }
                    units += c.len_utf16();
                }
                return start + l.len();
            }
            start += l.len() + 1;
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

struct Fixture {
    dir: tempfile::TempDir,
    server: Server,
}

fn start() -> Fixture {
    let dir = seed_corpus();
    let (mut server, _) = Server::start(
        dir.path(),
        json!({"textDocument": {"hover": {"contentFormat": ["markdown"]}}, "window": {"workDoneProgress": true}}),
    );
    server.wait_indexed();
    Fixture { dir, server }
}

impl Fixture {
    fn open(&mut self, name: &str) -> (String, String) {
        let text = read(self.dir.path(), name);
        let uri = self.server.open(&self.dir.path().join(name), &text);
        (uri, text)
    }
}

#[test]
fn hover_shows_the_entity_card() {
    let mut f = start();
    let (uri, text) = f.open(F000);
    let r = f.server.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Loukachenko", 2)}),
    );
    let md = r["contents"]["value"].as_str().unwrap_or("").to_string();
    assert_eq!(r["contents"]["kind"], "markdown");
    assert!(md.contains("Alexandre Loukachenko"), "{md}");
    assert!(md.contains("person"), "{md}");
    assert!(md.contains("Lukashenko"), "spellings listed: {md}");
    assert!(md.contains("First mention"), "{md}");
}

#[test]
fn references_cover_every_article_including_unopened_ones() {
    let mut f = start();
    let (uri, text) = f.open(F002);
    let r = f.server.call(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Poutine", 0), "context": {"includeDeclaration": true}}),
    );
    let locs = r.as_array().cloned().unwrap_or_default();
    let files: HashSet<String> = locs
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .filter_map(|u| u.rsplit('/').next().map(str::to_string))
        .collect();
    assert_eq!(files.len(), 5, "Poutine is named in every seed: {files:?}");
    // Every location really is a spelling of Poutine.
    for l in &locs {
        let name = l["uri"]
            .as_str()
            .and_then(|u| u.rsplit('/').next())
            .unwrap_or("");
        let t = read(f.dir.path(), name);
        let line = t
            .split('\n')
            .nth(l["range"]["start"]["line"].as_u64().unwrap_or(0) as usize)
            .unwrap_or("");
        let a = l["range"]["start"]["character"].as_u64().unwrap_or(0) as usize;
        let b = l["range"]["end"]["character"].as_u64().unwrap_or(0) as usize;
        let units: Vec<u16> = line.encode_utf16().collect();
        let word = String::from_utf16_lossy(units.get(a..b).unwrap_or(&[]));
        assert!(
            word == "Poutine" || word == "Vladimir Poutine",
            "unexpected reference `{word}` in {name}"
        );
    }
    assert!(locs.len() >= 35, "{} references", locs.len());
}

#[test]
fn definition_and_highlights() {
    let mut f = start();
    let (uri, text) = f.open(F003);
    let def = f.server.call(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Loukachenko", 3)}),
    );
    let def_file = def["uri"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .unwrap_or("")
        .to_string();
    let t = read(f.dir.path(), &def_file);
    let line = t
        .split('\n')
        .nth(def["range"]["start"]["line"].as_u64().unwrap_or(0) as usize)
        .unwrap_or("");
    assert!(
        line.contains("Alexandre Loukachenko"),
        "definition is a full-name mention: {line}"
    );
    let hl = f.server.call(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Loukachenko", 3)}),
    );
    let n = hl.as_array().map_or(0, |a| a.len());
    assert_eq!(
        n,
        text.matches("Loukachenko").count(),
        "every mention in this article is highlighted"
    );
}

#[test]
fn rename_rewrites_a_spelling_across_files() {
    let mut f = start();
    let (uri, text) = f.open(F002);
    let prep = f.server.call(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Lukashenko", 0)}),
    );
    assert_eq!(prep["placeholder"], "Lukashenko");
    let edit = f.server.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "Lukashenko", 0), "newName": "Loukachenko"}),
    );
    let changes = edit["changes"].as_object().cloned().unwrap_or_default();
    let by_file: BTreeMap<String, Vec<Value>> = changes
        .into_iter()
        .map(|(u, e)| {
            (
                u.rsplit('/').next().unwrap_or("").to_string(),
                e.as_array().cloned().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        by_file.keys().cloned().collect::<Vec<_>>(),
        vec![F000.to_string(), F002.to_string()]
    );
    for (name, edits) in &by_file {
        let before = read(f.dir.path(), name);
        let after = apply_edits(&before, edits);
        assert!(!after.contains("Lukashenko"), "{name} still has Lukashenko");
        assert_eq!(
            after.matches("Loukachenko").count(),
            before.matches("Loukachenko").count() + before.matches("Lukashenko").count()
        );
    }
    // Not on a name: a clear error.
    let r = f.server.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "rumeurs", 0)}),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("place the cursor on a name"),
        "{r}"
    );
}

#[test]
fn workspace_symbols_find_entities_and_articles() {
    let mut f = start();
    let r = f.server.call("workspace/symbol", json!({"query": "louka"}));
    let names: Vec<String> = r
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("Alexandre Loukachenko"),
        "{names:?}"
    );
    let r = f
        .server
        .call("workspace/symbol", json!({"query": "principal allié"}));
    let article = r
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|s| s["kind"] == 1);
    assert!(article.is_some_and(|a| a["location"]["uri"].as_str().unwrap_or("").ends_with(F003)));
}

#[test]
fn semantic_tokens_mark_people_places_and_organizations() {
    let mut f = start();
    let (uri, text) = f.open(F002);
    let r = f.server.call(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data: Vec<u64> = r["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(data.len() % 5, 0);
    let (mut line, mut col) = (0u64, 0u64);
    let mut found = BTreeMap::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            col = t[1];
        } else {
            col += t[1];
        }
        let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let word = String::from_utf16_lossy(&units[col as usize..(col + t[2]) as usize]);
        found.insert(word, t[3]);
    }
    assert_eq!(found.get("Vladimir Poutine"), Some(&0), "person: {found:?}");
    assert_eq!(found.get("Biélorussie"), Some(&1), "place: {found:?}");
    assert_eq!(found.get("Kremlin"), Some(&2), "organization: {found:?}");
    let r = f.server.call(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
    );
    let n = r["data"].as_array().map_or(0, |a| a.len()) / 5;
    assert_eq!(
        n, 4,
        "title line: Poutine, Biélorussie, Loukachenko, Ukraine"
    );
}

#[test]
fn code_lens_counts_resolve_lazily() {
    let mut f = start();
    let (uri, _) = f.open(F003);
    let lenses = f.server.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lens = lenses[0].clone();
    assert!(lens["command"].is_null(), "unresolved at first");
    let resolved = f.server.call("codeLens/resolve", lens);
    let title = resolved["command"]["title"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        title.contains("people")
            && title.contains("places")
            && title.contains("organization")
            && title.contains("quotation"),
        "{title}"
    );
}

fn collect_symbols(v: &Value, out: &mut Vec<(String, u64, usize)>, depth: usize) {
    for s in v.as_array().cloned().unwrap_or_default() {
        out.push((
            s["name"].as_str().unwrap_or("").to_string(),
            s["kind"].as_u64().unwrap_or(0),
            depth,
        ));
        collect_symbols(&s["children"], out, depth + 1);
    }
}

#[test]
fn outline_of_two_seeds() {
    let mut f = start();
    let (uri, _) = f.open(F003);
    let r = f.server.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut syms = Vec::new();
    collect_symbols(&r, &mut syms, 0);
    assert_eq!(
        syms[0].0,
        "Le principal allié de Poutine éloigne les forces de la mobilisation de la Russie"
    );
    assert_eq!(syms[0].1, 1, "the title is a File symbol");
    assert!(
        syms.iter().any(|s| s.0 == "Oliver Barker" && s.2 == 1),
        "byline under the title: {syms:?}"
    );
    assert!(syms.iter().any(|s| s.0 == "boilerplate" && s.2 == 0));
    assert!(
        syms.iter().any(|s| s.1 == 15
            && s.0
                .starts_with("Alexandre Loukachenko: «Nous ne nous battrons")),
        "quotation symbol: {syms:?}"
    );

    let (uri, _) = f.open("004_d534036d77afa871.txt");
    let r = f.server.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut syms = Vec::new();
    collect_symbols(&r, &mut syms, 0);
    assert!(syms.iter().any(|s| s.0 == "2022-12"), "date: {syms:?}");
    assert!(
        syms.iter()
            .any(|s| s.0 == "Les sanctions frappent les exportations" && s.1 == 3),
        "section: {syms:?}"
    );
    let folds = f.server.call(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(folds.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn diagnostics_and_boilerplate_actions() {
    let mut f = start();
    let (uri, text) = f.open(F000);
    let d = f.server.diagnostics(&uri, Some(1));
    let codes: HashSet<String> = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    for c in [
        "boilerplate",
        "untranslated-fragment",
        "stray-caption",
        "vague-attribution",
    ] {
        assert!(codes.contains(c), "{c} missing from {codes:?}");
    }
    let boiler: Vec<Value> = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|d| d["code"] == "boilerplate")
        .collect();
    assert!(boiler
        .iter()
        .all(|d| d["tags"] == json!([1]) && d["severity"] == 3));
    // Quick fix on one boilerplate line.
    let first = boiler[0].clone();
    let actions = f.server.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}}),
    );
    let fix = actions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|a| a["title"] == "Remove boilerplate line")
        .expect("quick fix");
    let after = apply_edits(
        &text,
        fix["edit"]["changes"][&uri]
            .as_array()
            .map_or(&[][..], |v| v),
    );
    assert!(!after.starts_with("Home »"), "breadcrumb removed");
    assert!(
        after.starts_with("Poutine isolé"),
        "the title now opens the article"
    );
    let removed = text.lines().count() - after.lines().count();
    assert!(
        (1..=2).contains(&removed),
        "the line (and the blank line after it) removed: {removed}"
    );
    // Source action: all boilerplate at once.
    let actions = f.server.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source"]}}),
    );
    let all = actions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|a| a["kind"] == "source.removeBoilerplate")
        .expect("source action");
    let after = apply_edits(
        &text,
        all["edit"]["changes"][&uri]
            .as_array()
            .map_or(&[][..], |v| v),
    );
    for gone in [
        "Home »",
        "A NE PAS MANQUER",
        "Related Articles",
        "This website uses cookies",
    ] {
        assert!(!after.contains(gone), "{gone} still there");
    }
    assert!(after.contains("Reinhard Veser"), "article text kept");
    // Untranslated fragment fix.
    let frag = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["code"] == "untranslated-fragment")
        .expect("fragment");
    let actions = f.server.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": frag["range"], "context": {"diagnostics": [frag]}}),
    );
    let fix = actions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|a| a["title"] == "Remove bracketed fragment")
        .expect("fragment fix");
    let after = apply_edits(
        &text,
        fix["edit"]["changes"][&uri]
            .as_array()
            .map_or(&[][..], |v| v),
    );
    assert!(
        !after.contains("[Lukashenko’s]") && after.contains("«prétendre que"),
        "fragment removed cleanly"
    );
}

#[test]
fn misspelled_name_and_name_variant_have_fixes() {
    let mut f = start();
    let (uri, text) = f.open(F001);
    let d = f.server.diagnostics(&uri, Some(1));
    let diags = d["diagnostics"].as_array().cloned().unwrap_or_default();
    let typo = diags
        .iter()
        .find(|d| d["code"] == "misspelled-name")
        .expect("misspelled-name")
        .clone();
    let actions = f.server.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": typo["range"], "context": {"diagnostics": [typo]}}),
    );
    let fix = &actions[0];
    let after = apply_edits(
        &text,
        fix["edit"]["changes"][&uri]
            .as_array()
            .map_or(&[][..], |v| v),
    );
    assert!(after.contains("Volodymyr Zelensky") && !after.contains("Zelesnky"));

    let (uri, text) = f.open(F002);
    let d = f.server.diagnostics(&uri, Some(1));
    let variant = d["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["code"] == "name-variant")
        .expect("name-variant");
    let actions = f.server.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": variant["range"], "context": {"diagnostics": [variant]}}),
    );
    let fix = actions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains("canonical"))
        .expect("canonical fix");
    let after = apply_edits(
        &text,
        fix["edit"]["changes"][&uri]
            .as_array()
            .map_or(&[][..], |v| v),
    );
    assert!(
        after.matches("Lukashenko").count()
            < text.matches("Lukashenko").count() + text.matches("Sergueï").count()
    );
}

#[test]
fn inlay_hints_name_speakers_and_respect_settings() {
    let mut f = start();
    let (uri, text) = f.open(F003);
    let end = text.split('\n').count();
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": end, "character": 0}});
    let hints = f.server.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    let labels: Vec<String> = hints
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h["label"].as_str().map(str::to_string))
        .collect();
    assert!(
        labels.iter().any(|l| l == "— Alexandre Loukachenko"),
        "{labels:?}"
    );
    // Turned off through configuration.
    f.server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"news-ls": {"inlayHints": "off"}}}),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let hints = f.server.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    assert_eq!(hints.as_array().map_or(1, |a| a.len()), 0);
}

#[test]
fn hover_on_a_quotation_names_its_speaker() {
    let mut f = start();
    let (uri, text) = f.open(F003);
    let r = f.server.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "nous battrons", 0)}),
    );
    let md = r["contents"]["value"].as_str().unwrap_or("");
    assert!(
        md.contains("Quotation") && md.contains("Alexandre Loukachenko") && md.contains("déclaré"),
        "{md}"
    );
    let refs = f.server.call(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "nous battrons", 0), "context": {"includeDeclaration": true}}),
    );
    assert!(
        refs.as_array().map_or(0, |a| a.len()) >= 3,
        "quotations of the same speaker across the corpus: {refs}"
    );
}
