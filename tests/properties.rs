//! Property tests (proptest) over the real binary and the analysis:
//! - incremental sync over stdio equals full replacement;
//! - every range the server returns (diagnostics, symbols, hovers,
//!   references, highlights, semantic tokens, inlay hints, code lenses, code
//!   action edits) lies inside the document and on character boundaries, in
//!   UTF-16 and in UTF-8;
//! - the analysis is independent of the line-ending style (`\n` vs `\r\n`)
//!   except for offsets, which map one to one.
//!
//! Position round trips are properties in `src/text/mod.rs` and
//! `src/server/convert.rs`.

mod common;

use std::sync::{Mutex, OnceLock};

use common::*;
use news_ls::analysis::rules::{self, RuleContext};
use news_ls::analysis::{analyze, AnalysisOptions, Lines, Span};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Lines article texts are made of: FR and EN prose, quotations of every
/// style, names, boilerplate, headings, captions, odd characters.
const POOL: &[&str] = &[
    "Minsk accuse Varsovie de provocation",
    "Kyiv says talks stalled",
    "Le président biélorusse Alexandre Loukachenko a accusé la Pologne.",
    "President Volodymyr Zelensky said on Monday that talks had stalled.",
    "« Nous ne céderons pas », a déclaré Alexandre Loukachenko.",
    "\"We will not give in,\" said Volodymyr Zelensky.",
    "« Une phrase sans auteur »",
    "Selon des sources proches du dossier, « rien n'est décidé ».",
    "“It is over”, a senior official said. ‘Really’, he added.",
    "Par Jean Dupont",
    "By Jane Smith and John Doe",
    "Publié le 19 décembre 2022 à 10h30",
    "Published December 19, 2022",
    "Partager sur Facebook Twitter LinkedIn",
    "Lire aussi : Le dossier ukrainien",
    "Photo : AFP / Sergei Gapon",
    "Accueil > Monde > Europe",
    "Contexte",
    "😀 Ünïcödé e\u{301} « ligne » 😀 مرحبا שלום",
    "\u{feff}Titre avec BOM",
    "Emmanuel Macron et Olaf Scholz à Berlin [in English: \"we agree\"].",
    "»» «« \" ' ’ ‘ „ “",
    "\t  \u{a0}",
    "",
];

fn article() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((prop::sample::select(POOL), prop::bool::ANY), 1..18),
        prop::collection::vec(
            (any::<prop::sample::Index>(), "[a-zé😀«»\"\r\n\u{301} ]"),
            0..4,
        ),
    )
        .prop_map(|(lines, noise)| {
            let mut s = String::new();
            for (l, blank) in lines {
                s.push_str(l);
                s.push_str(if blank { "\n\n" } else { "\n" });
            }
            for (at, t) in noise {
                let bounds: Vec<usize> =
                    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                let b = bounds[at.index(bounds.len())];
                s.insert_str(b, &t);
            }
            s
        })
}

// ---------------------------------------------------------------- servers

struct Shared {
    server: Server,
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    next: usize,
}

fn shared(enc: &'static str) -> &'static Mutex<Shared> {
    static UTF16: OnceLock<Mutex<Shared>> = OnceLock::new();
    static UTF8: OnceLock<Mutex<Shared>> = OnceLock::new();
    let cell = if enc == "utf-8" { &UTF8 } else { &UTF16 };
    cell.get_or_init(|| {
        let dir = seed_corpus();
        let root = dir.path().to_path_buf();
        let (mut server, init) = Server::start(
            &root,
            json!({"general": {"positionEncodings": [enc]}, "textDocument": {"diagnostic": {}}}),
        );
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], enc);
        server.wait_indexed();
        Mutex::new(Shared {
            server,
            _dir: dir,
            root,
            next: 0,
        })
    })
}

fn units(c: char, enc: &str) -> u64 {
    if enc == "utf-8" {
        c.len_utf8() as u64
    } else {
        c.len_utf16() as u64
    }
}

/// Lines of a text as LSP splits them (`\n`, `\r\n`, `\r`), without breaks.
fn lsp_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push(&text[start..i]);
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// Why a position is not inside `text` on a character boundary, if it is not.
fn position_problem(lines: &[&str], enc: &str, p: &Value) -> Option<String> {
    let (Some(l), Some(c)) = (p["line"].as_u64(), p["character"].as_u64()) else {
        return Some(format!("not a position: {p}"));
    };
    let Some(line) = lines.get(l as usize) else {
        return Some(format!("line {l} of {} lines", lines.len()));
    };
    let mut at = 0;
    for ch in line.chars() {
        if at == c {
            return None;
        }
        at += units(ch, enc);
        if at > c {
            return Some(format!("{l}:{c} splits {ch:?}"));
        }
    }
    (at != c).then(|| format!("{l}:{c} past the line's end ({at})"))
}

fn range_problem(lines: &[&str], enc: &str, r: &Value) -> Option<String> {
    let s = position_problem(lines, enc, &r["start"]);
    let e = position_problem(lines, enc, &r["end"]);
    if s.is_some() || e.is_some() {
        return s.or(e);
    }
    let key = |p: &Value| (p["line"].as_u64(), p["character"].as_u64());
    (key(&r["start"]) > key(&r["end"])).then(|| format!("reversed range {r}"))
}

/// Every range found anywhere in a JSON answer (objects with start/end positions).
fn ranges_in(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            if m.get("start").is_some_and(|s| s.get("line").is_some())
                && m.get("end").is_some_and(|s| s.get("line").is_some())
            {
                out.push(v.clone());
            }
            if let Some(p) = m.get("position").filter(|p| p.get("line").is_some()) {
                out.push(json!({"start": p, "end": p}));
            }
            m.values().for_each(|x| ranges_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| ranges_in(x, out)),
        _ => {}
    }
}

/// Absolute ranges of LSP semantic tokens.
fn token_ranges(data: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    let (mut line, mut start) = (0u64, 0u64);
    for t in data.chunks(5) {
        let dl = t[0].as_u64().unwrap_or(0);
        let ds = t[1].as_u64().unwrap_or(0);
        let len = t[2].as_u64().unwrap_or(0);
        if dl > 0 {
            line += dl;
            start = ds;
        } else {
            start += ds;
        }
        out.push(json!({"start": {"line": line, "character": start},
                        "end": {"line": line, "character": start + len}}));
    }
    out
}

/// Checks every range the server returns for `text`; returns how many it checked.
fn check_server_ranges(enc: &'static str, text: &str) -> Result<usize, TestCaseError> {
    let mut guard = shared(enc).lock().unwrap_or_else(|e| e.into_inner());
    let sh = &mut *guard;
    sh.next += 1;
    let path = sh.root.join(format!("prop{}.txt", sh.next));
    let s = &mut sh.server;
    let u = s.open(&path, text);
    let lines = lsp_lines(text);
    let td = json!({ "uri": u });
    let last = lines.len().saturating_sub(1);
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": last + 1, "character": 0}});
    let mut answers: Vec<(String, Value)> = Vec::new();
    let mut ask = |s: &mut Server, m: &str, p: Value| {
        let r = s.request(m, p);
        answers.push((m.to_string(), r));
    };
    ask(s, "textDocument/diagnostic", json!({"textDocument": td}));
    ask(
        s,
        "textDocument/documentSymbol",
        json!({"textDocument": td}),
    );
    ask(
        s,
        "textDocument/inlayHint",
        json!({"textDocument": td, "range": whole}),
    );
    ask(s, "textDocument/codeLens", json!({"textDocument": td}));
    ask(s, "textDocument/foldingRange", json!({"textDocument": td}));
    ask(
        s,
        "textDocument/codeAction",
        json!({"textDocument": td, "range": whole, "context": {"diagnostics": []}}),
    );
    let tokens = s.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": td}),
    );
    let data = tokens["result"]["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut token_rs = token_ranges(&data);
    // Hover, references and highlights at each token's start and at line ends.
    let mut probes: Vec<Value> = token_rs
        .iter()
        .map(|r| r["start"].clone())
        .take(12)
        .collect();
    for (l, line) in lines.iter().enumerate().take(6) {
        let n: u64 = line.chars().map(|c| units(c, enc)).sum();
        probes.push(json!({"line": l, "character": n}));
    }
    for p in probes {
        ask(
            s,
            "textDocument/hover",
            json!({"textDocument": td, "position": p}),
        );
        ask(
            s,
            "textDocument/references",
            json!({"textDocument": td, "position": p, "context": {"includeDeclaration": true}}),
        );
        ask(
            s,
            "textDocument/documentHighlight",
            json!({"textDocument": td, "position": p}),
        );
        ask(
            s,
            "textDocument/prepareRename",
            json!({"textDocument": td, "position": p}),
        );
    }
    s.notify("textDocument/didClose", json!({"textDocument": td}));
    let mut problems = Vec::new();
    let mut checked = token_rs.len();
    for r in token_rs.drain(..) {
        if let Some(p) = range_problem(&lines, enc, &r) {
            problems.push(format!("semantic token: {p}"));
        }
    }
    for (m, a) in &answers {
        if a.get("error").is_some() && !m.contains("ename") {
            problems.push(format!("{m}: {a}"));
            continue;
        }
        let mut rs = Vec::new();
        ranges_in(&a["result"], &mut rs);
        checked += rs.len();
        for r in rs {
            // Only ranges in this document (references may point elsewhere).
            if let Some(p) = range_problem(&lines, enc, &r) {
                let elsewhere = a.to_string().contains("\"uri\"")
                    && !m.contains("diagnostic")
                    && !m.contains("Symbol");
                if !elsewhere {
                    problems.push(format!("{m}: {p}"));
                }
            }
        }
    }
    prop_assert!(problems.is_empty(), "{problems:#?}\ntext: {text:?}");
    Ok(checked)
}

// ---------------------------------------------------------------- analysis

/// The analysis of a text as comparable facts, offsets mapped by `map`.
fn facts(text: &str, map: &dyn Fn(usize) -> usize) -> Value {
    let a = analyze(text, &AnalysisOptions::default());
    let lines = Lines::new(text);
    let ctx = RuleContext::standalone(text, &lines, &a);
    let findings = rules::run_all(&ctx);
    let sp = |s: Span| json!([map(s.start), map(s.end)]);
    let st = &a.structure;
    json!({
        "language": a.language.to_string(),
        "title": st.title.as_ref().map(|t| (t.line, t.text.clone())),
        "date": st.date, "byline": st.byline, "byline_line": st.byline_line,
        "headings": st.headings.iter().map(|h| (h.line, h.text.clone())).collect::<Vec<_>>(),
        "captions": st.captions.iter().map(|h| (h.line, h.text.clone())).collect::<Vec<_>>(),
        "boilerplate": st.boilerplate.iter().map(|b| (b.line, b.kind.as_str(), b.text.clone())).collect::<Vec<_>>(),
        "mentions": a.mentions.iter().map(|m| json!([sp(m.span()), m.text, m.kind.as_str()])).collect::<Vec<_>>(),
        "quotes": a.quotes.iter().map(|q| json!([sp(q.span()), q.attribution.as_str(), q.speaker, q.kind == news_ls::analysis::QuoteKind::Quote])).collect::<Vec<_>>(),
        "findings": findings.iter().map(|f| json!([f.code, sp(f.span), f.message])).collect::<Vec<_>>(),
    })
}

/// Compares the analysis of `text` (with `\n` only) and of its `\r\n` copy.
fn assert_line_ending_independent(text: &str) -> Result<(), TestCaseError> {
    let crlf = text.replace('\n', "\r\n");
    // Offset in the CRLF copy of an offset in the LF text.
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let to_crlf = |o: usize| o + newlines.partition_point(|&n| n < o);
    let lf = facts(text, &to_crlf);
    let cr = facts(&crlf, &|o| o);
    prop_assert_eq!(lf, cr, "text: {:?}", text);
    Ok(())
}

proptest! {
    // 24 cases per run (each server case is a round trip); more with PROPTEST_CASES.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_sync_over_stdio_equals_full_replacement(
        initial in "[a-zé😀«» \n]{0,40}",
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), "[xé😀\n\r]{0,5}"), 1..12)
    ) {
        let mut guard = shared("utf-16").lock().unwrap_or_else(|e| e.into_inner());
        let sh = &mut *guard;
        sh.next += 1;
        let path = sh.root.join(format!("sync{}.txt", sh.next));
        let s = &mut sh.server;
        let u = s.open(&path, &initial);
        let mut reference = initial.clone();
        for (v, (a, b, t)) in edits.iter().enumerate() {
            let bounds: Vec<usize> = reference.char_indices().map(|(i, _)| i).chain([reference.len()]).collect();
            let (mut x, mut y) = (bounds[a.index(bounds.len())], bounds[b.index(bounds.len())]);
            if x > y { std::mem::swap(&mut x, &mut y); }
            // Never split a \r\n pair (LSP cannot address between them).
            let bytes = reference.as_bytes();
            let inside_crlf = |o: usize| o > 0 && bytes[o - 1] == b'\r' && bytes.get(o) == Some(&b'\n');
            if inside_crlf(x) { x -= 1; }
            if inside_crlf(y) { y -= 1; }
            let pos = |o: usize| {
                let lines = lsp_lines(&reference);
                let mut start = 0;
                for (l, line) in lines.iter().enumerate() {
                    let line_start = line.as_ptr() as usize - reference.as_ptr() as usize;
                    if o <= line_start + line.len() {
                        let c: usize = reference[line_start..o].encode_utf16().count();
                        return json!({"line": l, "character": c});
                    }
                    start = line_start;
                }
                json!({"line": lines.len(), "character": start})
            };
            let range = json!({"start": pos(x), "end": pos(y)});
            s.notify("textDocument/didChange", json!({
                "textDocument": {"uri": u, "version": v as i64 + 2},
                "contentChanges": [{"range": range, "text": t}]}));
            reference.replace_range(x..y, t);
        }
        let r = s.call("news-ls/documentText", json!({"textDocument": {"uri": u}}));
        prop_assert_eq!(r["text"].as_str(), Some(reference.as_str()));
        prop_assert_eq!(r["version"].as_i64(), Some(edits.len() as i64 + 1));
        // The same text sent whole gives the same document.
        s.notify("textDocument/didChange", json!({
            "textDocument": {"uri": u, "version": 1000}, "contentChanges": [{"text": reference}]}));
        let r2 = s.call("news-ls/documentText", json!({"textDocument": {"uri": u}}));
        prop_assert_eq!(&r2["text"], &r["text"]);
        s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    }

    #[test]
    fn every_range_the_server_returns_is_inside_the_document_utf16(text in article()) {
        check_server_ranges("utf-16", &text)?;
    }

    #[test]
    fn every_range_the_server_returns_is_inside_the_document_utf8(text in article()) {
        check_server_ranges("utf-8", &text)?;
    }

    #[test]
    fn analysis_invariants_hold_on_generated_articles(text in article()) {
        let problems = news_ls::invariants::check_text(&text);
        prop_assert!(problems.is_empty(), "{:#?}", problems);
    }

    #[test]
    fn analysis_is_independent_of_line_endings(text in article()) {
        // Generated lone \r would become \r\r\n: keep \n-only texts.
        let text = text.replace('\r', "");
        assert_line_ending_independent(&text)?;
    }
}

#[test]
fn server_ranges_are_checked_on_every_seed_article() {
    for entry in std::fs::read_dir(seeds_dir()).expect("seeds") {
        let p = entry.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read seed");
        for enc in ["utf-16", "utf-8"] {
            let n =
                check_server_ranges(enc, &text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(n > 20, "{}: only {n} ranges came back", p.display());
        }
    }
}

#[test]
fn seed_articles_analyse_the_same_with_crlf() {
    for entry in std::fs::read_dir(seeds_dir()).expect("seeds") {
        let p = entry.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read seed");
        let text = text.replace("\r\n", "\n");
        if let Err(e) = assert_line_ending_independent(&text) {
            panic!("{}: {e}", p.display());
        }
    }
}
