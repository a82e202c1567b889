//! Annotated corpora over stdio: curated `.ann` sidecars win and say so,
//! every annotation code action writes its file (asserted on disk), the
//! mismatch diagnostic and its re-anchoring fix, spans following edits and
//! saved back losslessly, `news-ls.toml` diagnostics and live changes,
//! suppressions, and `news-ls export` of the seeds re-read in three formats.

mod common;

use std::path::Path;

use common::*;
use news_ls::annotations::brat::{AnnFile, CharIndex};
use news_ls::annotations::curated::{resolve, TypeMap};
use news_ls::annotations::Gazetteer;
use serde_json::{json, Value};

const FR: &str = "Le chancelier Olaf Scholz a rencontré Emmanuel Macron à l'Élysée.\n« Nous resterons unis », a déclaré Olaf Scholz.\n";
const EN: &str = "Joe Biden met NATO leaders in Brussels.\n\"We stand together\", Biden said.\n";

/// Scalar-value offsets of the `nth` occurrence of `needle`.
fn chars(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let b = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle} not found"))
        .0;
    let idx = CharIndex::new(text);
    (
        idx.byte_to_char(b).unwrap(),
        idx.byte_to_char(b + needle.len()).unwrap(),
    )
}

/// LSP position (UTF-16) of a byte offset.
fn pos(text: &str, byte: usize) -> Value {
    let before = &text[..byte];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..byte].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// LSP range of the `nth` occurrence of `needle`.
fn range(text: &str, needle: &str, nth: usize) -> Value {
    let b = text.match_indices(needle).nth(nth).unwrap().0;
    json!({"start": pos(text, b), "end": pos(text, b + needle.len())})
}

fn t_line(id: &str, ty: &str, text: &str, needle: &str, nth: usize) -> String {
    let (a, b) = chars(text, needle, nth);
    format!("{id}\t{ty} {a} {b}\t{needle}")
}

fn actions(s: &mut Server, uri: &str, range: Value) -> Vec<Value> {
    let r = s.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    );
    r.as_array().cloned().unwrap_or_default()
}

fn find(actions: &[Value], title: &str) -> Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains(title)))
        .cloned()
        .unwrap_or_else(|| {
            let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
            panic!("no action “{title}” among {titles:#?}")
        })
}

fn execute(s: &mut Server, action: &Value) -> Value {
    let cmd = &action["command"];
    s.call(
        "workspace/executeCommand",
        json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
    )
}

fn hover(s: &mut Server, uri: &str, text: &str, needle: &str, nth: usize) -> String {
    let b = text.match_indices(needle).nth(nth).unwrap().0 + 1;
    let r = s.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(text, b)}),
    );
    r["contents"]["value"].as_str().unwrap_or("").to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn no_temporaries(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
    }
}

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits for the diagnostics of a file that is not open (published without version).
fn file_diagnostics(s: &mut Server, path: &Path) -> Value {
    s.diagnostics(&uri(path), None)
}

#[test]
fn capabilities_advertise_the_annotation_commands() {
    let dir = corpus(&[("a.txt", EN)]);
    let (server, init) = Server::start(dir.path(), json!({}));
    let caps = &init["result"]["capabilities"];
    let commands = caps["executeCommandProvider"]["commands"]
        .as_array()
        .unwrap();
    for c in [
        "news-ls.annotate",
        "news-ls.setSpeaker",
        "news-ls.suppress",
        "news-ls.reanchor",
    ] {
        assert!(commands.contains(&json!(c)), "{c}");
    }
    let kinds = caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .unwrap();
    assert!(kinds.contains(&json!("refactor.annotate")));
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn curated_annotations_win_and_hover_says_curated() {
    let ann = [
        t_line("T1", "Person", FR, "Olaf Scholz", 0),
        t_line("T2", "PER", FR, "Emmanuel Macron", 0),
        t_line("T3", "Quotation", FR, "« Nous resterons unis »", 0),
        t_line("T4", "Person", FR, "Olaf Scholz", 1),
        "R1\tSpeaker Arg1:T3 Arg2:T4".to_string(),
        "N1\tReference T1 Wikidata:Q61053\tOlaf Scholz".to_string(),
        "N2\tReference T4 Wikidata:Q61053\tOlaf Scholz".to_string(),
    ]
    .join("\n")
        + "\n";
    let dir = corpus(&[("fr.txt", FR), ("fr.ann", &ann)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let status = s.wait_indexed();
    assert_eq!(status["documents"], 1);
    let u = s.open(&dir.path().join("fr.txt"), FR);
    let d = s.diagnostics(&u, Some(1));
    assert!(codes(&d).is_empty(), "{d}");
    let h = hover(&mut s, &u, FR, "Olaf Scholz", 0);
    assert!(h.contains("*curated* (T1 in fr.ann)"), "{h}");
    let h = hover(&mut s, &u, FR, "Emmanuel Macron", 0);
    assert!(h.contains("person"), "{h}");
    assert!(h.contains("curated"), "{h}");
    let h = hover(&mut s, &u, FR, "Nous resterons", 0);
    assert!(h.contains("**Speaker:** Olaf Scholz"), "{h}");
    assert!(h.contains("*curated* (T3 in fr.ann)"), "{h}");
    // The sidecar is untouched by reading it.
    assert_eq!(read(&dir.path().join("fr.ann")), ann);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn annotate_a_selection_writes_the_ann_and_retyping_keeps_the_line() {
    let dir = corpus(&[("en.txt", EN)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("en.txt"), EN);
    s.diagnostics(&u, Some(1));
    let acts = actions(&mut s, &u, range(EN, "NATO", 0));
    let a = find(&acts, "Annotate “NATO” as Organization");
    assert_eq!(a["kind"], "refactor.annotate");
    let r = execute(&mut s, &a);
    let ann = dir.path().join("en.ann");
    assert_eq!(r["written"][0], ann.display().to_string());
    assert_eq!(read(&ann), "T1\tOrganization 14 18\tNATO\n");
    no_temporaries(dir.path());
    let h = hover(&mut s, &u, EN, "NATO", 0);
    assert!(h.contains("*curated* (T1 in en.ann)"), "{h}");
    assert!(h.contains("organization"), "{h}");
    // Annotating the same span again changes its type in place.
    let acts = actions(&mut s, &u, range(EN, "NATO", 0));
    execute(&mut s, &find(&acts, "Annotate “NATO” as Other"));
    assert_eq!(read(&ann), "T1\tOther 14 18\tNATO\n");
    // A selection across a line break is split into fragments, as brat does.
    let b = EN.find("Brussels").unwrap();
    let e = EN.find("\"We").unwrap() + 3;
    let sel = json!({"start": pos(EN, b), "end": pos(EN, e)});
    let acts = actions(&mut s, &u, sel);
    execute(&mut s, &find(&acts, "as Place"));
    assert_eq!(
        read(&ann),
        "T1\tOther 14 18\tNATO\nT2\tLocation 30 39;40 43\tBrussels. \"We\n"
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn link_to_entity_adds_a_normalisation_and_not_an_entity_edits_the_gazetteer() {
    let toml = "# Corpus gazetteer\n[[entity]]\nname = \"Joe Biden\"\nkind = \"person\"\nspellings = [\"Biden\"]\nid = \"Wikidata:Q6279\"\n";
    let dir = corpus(&[("en.txt", EN), ("news-ls.toml", toml)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("en.txt"), EN);
    s.diagnostics(&u, Some(1));
    // The gazetteer's spelling is recognised; hover says where it comes from.
    let h = hover(&mut s, &u, EN, "Biden", 1);
    assert!(h.contains("corpus gazetteer news-ls.toml"), "{h}");
    let b = EN.match_indices("Biden").nth(1).unwrap().0 + 2;
    let at = json!({"start": pos(EN, b), "end": pos(EN, b)});
    let acts = actions(&mut s, &u, at);
    let link = find(&acts, "Link “Biden” to entity Joe Biden (Wikidata:Q6279)");
    execute(&mut s, &link);
    let (x, y) = chars(EN, "Biden", 1);
    assert_eq!(
        read(&dir.path().join("en.ann")),
        format!("T1\tPerson {x} {y}\tBiden\nN1\tReference T1 Wikidata:Q6279\tJoe Biden\n")
    );
    let h = hover(&mut s, &u, EN, "Biden", 1);
    assert!(h.contains("*curated* (T1 in en.ann)"), "{h}");

    let acts = actions(&mut s, &u, range(EN, "Brussels", 0));
    execute(&mut s, &find(&acts, "“Brussels” is not an entity"));
    let new = read(&dir.path().join("news-ls.toml"));
    assert!(new.contains("not_entities = [\"Brussels\"]"), "{new}");
    assert!(
        new.contains(toml.trim_start_matches("# Corpus gazetteer\n")),
        "the rest is kept:\n{new}"
    );
    assert!(new.contains("# Corpus gazetteer"));
    let g = Gazetteer::parse(&new);
    assert!(g.issues.is_empty(), "{:?}", g.issues);
    assert_eq!(g.entities.len(), 1);
    no_temporaries(dir.path());
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn set_speaker_and_accept_all_write_relations_and_spans() {
    let ann = [
        t_line("T1", "Person", FR, "Olaf Scholz", 0),
        t_line("T2", "Person", FR, "Emmanuel Macron", 0),
        t_line("T3", "Quotation", FR, "« Nous resterons unis »", 0),
    ]
    .join("\n")
        + "\n";
    let toml = "[[entity]]\nname = \"Élysée\"\nkind = \"place\"\n";
    let dir = corpus(&[("fr.txt", FR), ("fr.ann", &ann), ("news-ls.toml", toml)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("fr.txt"), FR);
    s.diagnostics(&u, Some(1));
    let q = FR.find("Nous").unwrap();
    let at = json!({"start": pos(FR, q), "end": pos(FR, q)});
    let acts = actions(&mut s, &u, at.clone());
    execute(&mut s, &find(&acts, "Set speaker: Emmanuel Macron"));
    let path = dir.path().join("fr.ann");
    assert_eq!(read(&path), format!("{ann}R1\tSpeaker Arg1:T3 Arg2:T2\n"));
    // Setting another speaker replaces the relation.
    let acts = actions(&mut s, &u, at);
    execute(&mut s, &find(&acts, "Set speaker: Olaf Scholz"));
    let after = read(&path);
    assert!(after.starts_with(&ann), "existing lines kept: {after}");
    let relations: Vec<&str> = after.lines().filter(|l| l.starts_with('R')).collect();
    assert_eq!(relations.len(), 1, "the relation is replaced: {after}");
    let arg2 = relations[0].rsplit("Arg2:").next().unwrap_or("");
    let target = after
        .lines()
        .find(|l| l.split('\t').next() == Some(arg2))
        .unwrap_or("");
    assert!(
        target.ends_with("\tOlaf Scholz"),
        "speaker span is Olaf Scholz: {after}"
    );
    let h = hover(&mut s, &u, FR, "Nous resterons", 0);
    assert!(h.contains("**Speaker:** Olaf Scholz"), "{h}");

    // Accept all: the gazetteer's "Élysée" is added.
    let acts = actions(&mut s, &u, json!({"start": pos(FR, 0), "end": pos(FR, 0)}));
    let accept = find(&acts, "Accept all detected entities and quotations");
    assert_eq!(accept["kind"], "source.acceptAnnotations");
    execute(&mut s, &accept);
    let out = read(&path);
    assert!(out.starts_with(&after), "existing lines kept: {out}");
    let added: Vec<&str> = out.lines().skip(after.lines().count()).collect();
    assert!(
        added
            .iter()
            .any(|l| l.ends_with("\tÉlysée") && l.contains("\tLocation ")),
        "the gazetteer's Élysée is added: {out}"
    );
    for l in &added {
        let fields: Vec<&str> = l.split('\t').collect();
        assert!(
            fields.len() == 3 && fields[0].starts_with('T'),
            "well-formed T line: {l}"
        );
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn mismatched_annotations_are_errors_with_a_reanchoring_fix() {
    // The article was edited elsewhere: "President " now precedes the name.
    let text = format!("President {EN}");
    let ann = "T1\tPerson 0 9\tJoe Biden\n#1\tAnnotatorNotes T1\tcheck\n";
    let dir = corpus(&[("en.txt", &text), ("en.ann", ann)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("en.txt"), &text);
    let d = s.diagnostics(&u, Some(1));
    let diag = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "annotation-mismatch")
        .cloned()
        .unwrap_or_else(|| panic!("no mismatch: {d}"));
    assert_eq!(diag["severity"], 1);
    assert_eq!(
        diag["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 9}})
    );
    assert!(diag["message"].as_str().unwrap().contains("“Joe Biden”"));
    s.forget_received();
    let acts = actions(&mut s, &u, diag["range"].clone());
    let fix = find(&acts, "Re-anchor annotation T1 to “Joe Biden” on line 1");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    execute(&mut s, &fix);
    assert_eq!(
        read(&dir.path().join("en.ann")),
        "T1\tPerson 10 19\tJoe Biden\n#1\tAnnotatorNotes T1\tcheck\n"
    );
    let d = s.diagnostics(&u, None);
    assert!(
        !codes(&d).contains(&"annotation-mismatch".to_string()),
        "{d}"
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn ignore_actions_write_suppressions_and_stale_ones_are_reported() {
    let ann = "T1\tPerson 0 9\tJo Bidenn\nT2\tLOC 30 38\tBruxelles\n";
    let dir = corpus(&[("en.txt", EN), ("en.ann", ann)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("en.txt"), EN);
    let d = s.diagnostics(&u, Some(1));
    assert_eq!(
        codes(&d),
        vec!["annotation-mismatch", "annotation-mismatch"]
    );
    s.forget_received();
    let acts = actions(&mut s, &u, range(EN, "Joe Biden", 0));
    execute(
        &mut s,
        &find(&acts, "Ignore this finding here (annotation-mismatch)"),
    );
    let toml = dir.path().join("news-ls.toml");
    assert_eq!(
        read(&toml),
        "[[suppress]]\ncode = \"annotation-mismatch\"\nfile = \"en.txt\"\ntext = \"Joe Biden\"\n"
    );
    let d = s.diagnostics(&u, None);
    assert_eq!(codes(&d), vec!["annotation-mismatch"], "{d}");
    s.forget_received();
    let acts = actions(&mut s, &u, range(EN, "Brussels", 0));
    execute(&mut s, &find(&acts, "Ignore this code in this article"));
    assert!(
        read(&toml).ends_with("[[suppress]]\ncode = \"annotation-mismatch\"\nfile = \"en.txt\"\n")
    );
    let d = s.diagnostics(&u, None);
    assert!(codes(&d).is_empty(), "{d}");
    let cfg = file_diagnostics(&mut s, &toml);
    assert_eq!(
        cfg["diagnostics"],
        json!([]),
        "both suppressions are in use"
    );

    // The annotations are fixed elsewhere: both suppressions are now stale.
    std::fs::write(dir.path().join("en.ann"), "T1\tPerson 0 9\tJoe Biden\n").unwrap();
    s.forget_received();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir.path().join("en.ann")), "type": 2}]}),
    );
    let cfg = file_diagnostics(&mut s, &toml);
    let stale: Vec<&Value> = cfg["diagnostics"].as_array().unwrap().iter().collect();
    assert_eq!(stale.len(), 2, "{cfg}");
    assert!(stale
        .iter()
        .all(|d| d["code"] == "unused-suppression" && d["severity"] == 2));
    assert_eq!(
        stale[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn spans_follow_edits_and_saving_rewrites_the_ann_losslessly() {
    let text = "Olaf Scholz a rencontré Emmanuel Macron à Paris.\n";
    let ann = "T1\tPerson 0 11\tOlaf Scholz\r\nE1\tMeeting:T9 Agent:T2\r\nT2\tPER 24 39\tEmmanuel Macron\r\n#1\tAnnotatorNotes T2\tvérifier\r\nT3\tLOC 42 47\tParis";
    let dir = corpus(&[("fr.txt", text), ("fr.ann", ann)]);
    let path = dir.path().join("fr.txt");
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&path, text);
    s.diagnostics(&u, Some(1));
    let change = |v: i64, l1: u32, c1: u32, l2: u32, c2: u32, t: &str| {
        json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [
            {"range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}, "text": t}
        ]})
    };
    // Before every span: a prefix.
    s.notify(
        "textDocument/didChange",
        change(2, 0, 0, 0, 0, "Le chancelier "),
    );
    // Inside T1: "Olaf " deleted (T1 shrinks to "Scholz").
    s.notify("textDocument/didChange", change(3, 0, 14, 0, 19, ""));
    // Before T3: a non-BMP character (two UTF-16 units, one scalar value).
    let paris = "Le chancelier Scholz a rencontré Emmanuel Macron à "
        .encode_utf16()
        .count() as u32;
    s.notify(
        "textDocument/didChange",
        change(4, 0, paris, 0, paris, "😀 "),
    );
    let edited = "Le chancelier Scholz a rencontré Emmanuel Macron à 😀 Paris.\n";
    let d = s.diagnostics(&u, Some(4));
    assert!(codes(&d).is_empty(), "spans moved with the text: {d}");
    // Nothing is written before the save.
    assert_eq!(read(&dir.path().join("fr.ann")), ann);
    std::fs::write(&path, edited).unwrap();
    s.notify("textDocument/didSave", json!({"textDocument": {"uri": u}}));
    let expected = "T1\tPerson 14 20\tScholz\r\nE1\tMeeting:T9 Agent:T2\r\nT2\tPER 33 48\tEmmanuel Macron\r\n#1\tAnnotatorNotes T2\tvérifier\r\nT3\tLOC 53 58\tParis";
    let ann_path = dir.path().join("fr.ann");
    let deadline = std::time::Instant::now() + TIMEOUT;
    while read(&ann_path) != expected && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(read(&ann_path), expected);
    no_temporaries(dir.path());
    // The rewritten file matches the saved article exactly.
    let (file, problems) = AnnFile::parse(&read(&ann_path));
    assert!(problems.is_empty(), "{problems:?}");
    let r = resolve(&file, edited, &TypeMap::default(), &|_| None);
    assert!(r.mismatches.is_empty(), "{:?}", r.mismatches);

    // Edits closed without saving leave the file alone.
    s.notify("textDocument/didChange", change(5, 0, 0, 0, 3, ""));
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(read(&ann_path), expected);
    let h = {
        let u2 = s.open(&path, edited);
        s.diagnostics(&u2, Some(1));
        hover(&mut s, &u2, edited, "Scholz", 0)
    };
    assert!(
        h.contains("*curated* (T1 in fr.ann)"),
        "the unsaved move was dropped: {h}"
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn gazetteer_diagnostics_are_exact_and_changes_apply_live() {
    let dir = corpus(&[("en.txt", EN)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&dir.path().join("en.txt"), EN);
    s.diagnostics(&u, Some(1));
    let toml_path = dir.path().join("news-ls.toml");
    let bad = "[[entity]]\nname = \"NATO\"\nkind = \"organisation\"\n\n[[entity]]\nname = \"Joe Biden\"\nkind = \"weird\"\n\n[diagnostics]\nno-such-code = \"off\"\n";
    std::fs::write(&toml_path, bad).unwrap();
    s.forget_received();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml_path), "type": 1}]}),
    );
    let d = file_diagnostics(&mut s, &toml_path);
    let ds = d["diagnostics"].as_array().unwrap();
    assert_eq!(ds.len(), 2, "{d}");
    assert_eq!(ds[0]["severity"], 1);
    assert_eq!(
        ds[0]["range"],
        json!({"start": {"line": 6, "character": 7}, "end": {"line": 6, "character": 14}})
    );
    assert!(ds[0]["message"].as_str().unwrap().contains("Joe Biden"));
    assert_eq!(ds[1]["range"]["start"], json!({"line": 9, "character": 0}));
    // The valid entity applies at once.
    let h = hover(&mut s, &u, EN, "NATO", 0);
    assert!(h.contains("corpus gazetteer"), "{h}");
    assert!(h.contains("organization"), "{h}");
    // Fixed: the diagnostics go away.
    std::fs::write(
        &toml_path,
        "[[entity]]\nname = \"NATO\"\nkind = \"organisation\"\n",
    )
    .unwrap();
    s.forget_received();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml_path), "type": 2}]}),
    );
    let d = file_diagnostics(&mut s, &toml_path);
    assert_eq!(d["diagnostics"], json!([]));
    // Deleted: its entities no longer apply.
    std::fs::remove_file(&toml_path).unwrap();
    s.forget_received();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml_path), "type": 3}]}),
    );
    file_diagnostics(&mut s, &toml_path);
    let r = s.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(EN, EN.find("NATO").unwrap() + 1)}),
    );
    let md = r["contents"]["value"].as_str().unwrap_or("");
    assert!(md.contains("*detected*") && !md.contains("curated"), "{r}");
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn unreadable_sidecar_lines_are_reported_and_kept() {
    let ann = "T1\tPerson 0 9\tJoe Biden\nT2\tPerson nine 12\toops\n";
    let dir = corpus(&[("en.txt", EN), ("en.ann", ann)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let d = file_diagnostics(&mut s, &dir.path().join("en.ann"));
    let ds = d["diagnostics"].as_array().unwrap();
    assert_eq!(ds.len(), 1, "{d}");
    assert_eq!(ds[0]["range"]["start"], json!({"line": 1, "character": 0}));
    assert_eq!(ds[0]["code"], "annotation-syntax");
    // Writing through an action keeps the line byte for byte.
    let u = s.open(&dir.path().join("en.txt"), EN);
    s.diagnostics(&u, Some(1));
    let acts = actions(&mut s, &u, range(EN, "NATO", 0));
    execute(&mut s, &find(&acts, "as Organization"));
    assert_eq!(
        read(&dir.path().join("en.ann")),
        format!("{ann}T3\tOrganization 14 18\tNATO\n")
    );
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn commands_refuse_articles_outside_the_workspace() {
    let dir = corpus(&[("en.txt", EN)]);
    let outside = corpus(&[("b.txt", EN)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    s.wait_indexed();
    let b = outside.path().join("b.txt");
    let ub = s.open(&b, EN);
    s.diagnostics(&ub, Some(1));
    let r = s.request(
        "workspace/executeCommand",
        json!({"command": "news-ls.annotate", "arguments": [
            {"uri": ub, "start": 14, "end": 18, "text": "NATO", "kind": "organization"}
        ]}),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("outside the workspace"),
        "{r}"
    );
    assert!(!outside.path().join("b.ann").exists());
    // Stale arguments are refused too.
    let ua = s.open(&dir.path().join("en.txt"), EN);
    s.diagnostics(&ua, Some(1));
    let r = s.request(
        "workspace/executeCommand",
        json!({"command": "news-ls.annotate", "arguments": [
            {"uri": ua, "start": 14, "end": 18, "text": "OTAN", "kind": "organization"}
        ]}),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("text changed"),
        "{r}"
    );
    assert!(!dir.path().join("en.ann").exists());
    let r = s.request(
        "workspace/executeCommand",
        json!({"command": "news-ls.nope", "arguments": [{"uri": ua}]}),
    );
    assert!(r.get("error").is_some());
    assert_eq!(s.shutdown(), Some(0));
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn export_of_the_seeds_rereads_in_three_formats() {
    let seeds = seed_corpus();
    let before = snapshot(seeds.path());
    let out = tempfile::tempdir().unwrap();
    for format in ["brat", "conll", "jsonl"] {
        let status = std::process::Command::new(bin())
            .args(["export", "--format", format, "--out"])
            .arg(out.path().join(format))
            .arg(seeds.path())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{format}");
    }
    assert_eq!(snapshot(seeds.path()), before, "inputs untouched");
    let texts: Vec<(String, String)> = before
        .iter()
        .filter(|(p, _)| p.ends_with(".txt"))
        .map(|(p, b)| {
            let name = Path::new(p)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, String::from_utf8_lossy(b).into_owned())
        })
        .collect();
    assert!(texts.len() >= 5);
    for (name, text) in &texts {
        // brat: the text copied byte for byte, annotations that match it.
        let b = out.path().join("brat");
        assert_eq!(&read(&b.join(format!("{name}.txt"))), text);
        let (file, problems) = AnnFile::parse(&read(&b.join(format!("{name}.ann"))));
        assert!(problems.is_empty(), "{name}: {problems:?}");
        let r = resolve(&file, text, &TypeMap::default(), &|_| None);
        assert!(r.mismatches.is_empty(), "{name}: {:?}", r.mismatches);
        // CoNLL: every non-space character once, in order, with BIO labels.
        let conll = read(&out.path().join("conll").join(format!("{name}.conll")));
        let mut lines = conll.lines();
        assert_eq!(lines.next(), Some("-DOCSTART- O"));
        let mut words = String::new();
        let mut prev = "O".to_string();
        for l in lines.filter(|l| !l.is_empty()) {
            let (w, label) = l.rsplit_once(' ').unwrap();
            assert!(
                label == "O"
                    || label.starts_with("B-")
                    || (label.starts_with("I-") && prev[2..] == label[2..]),
                "{name}: {l}"
            );
            prev = label.to_string();
            words.push_str(w);
        }
        let no_space: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(words, no_space, "{name}");
    }
    // JSON Lines: one article per line, offsets that slice the text.
    let jsonl = read(&out.path().join("jsonl").join("corpus.jsonl"));
    let recs: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), texts.len());
    for rec in &recs {
        let name = rec["path"].as_str().unwrap().trim_end_matches(".txt");
        let (_, text) = texts.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(rec["text"].as_str().unwrap(), text);
        let cs: Vec<char> = text.chars().collect();
        for e in rec["entities"]
            .as_array()
            .unwrap()
            .iter()
            .chain(rec["quotations"].as_array().unwrap())
        {
            let (a, b) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                cs[a..b].iter().collect::<String>(),
                e["text"].as_str().unwrap()
            );
            assert!(e["curated"].is_boolean());
        }
    }
    // Refuses to write over the inputs.
    let status = std::process::Command::new(bin())
        .args(["export", "--format", "brat", "--out"])
        .arg(seeds.path())
        .arg(seeds.path())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    assert_eq!(snapshot(seeds.path()), before);
}
