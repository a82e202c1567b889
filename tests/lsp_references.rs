//! References and rename of frequent entities over stdio: large results
//! written as JSON bytes and spliced into their response by the transport
//! (request ids as numbers and strings, concurrent requests, cancellation),
//! and references streamed as partial results (`$/progress` with the
//! client's `partialResultToken`, the current document's first, then an
//! empty final response).

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

/// A corpus of synthetic French and English articles whose people come from
/// a few names, so that some entities have hundreds of mentions.
fn corpus(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..n {
        let a = news_ls::synth::article(i, 12);
        std::fs::write(dir.path().join(&a.name), a.text).expect("write article");
    }
    dir
}

struct Fixture {
    dir: tempfile::TempDir,
    server: Server,
    /// The most frequent entity's first full mention (a `Location`).
    top: Value,
    /// The URI of the article holding it, opened.
    uri: String,
}

fn start() -> Fixture {
    let dir = corpus(120);
    let (mut server, _) = Server::start(dir.path(), json!({}));
    server.wait_indexed();
    let sym = server.call("workspace/symbol", json!({"query": ""}));
    let top = sym[0]["location"].clone();
    let uri = top["uri"].as_str().expect("a location").to_string();
    let path = uri.strip_prefix("file://").expect("a file URI").to_string();
    let text = std::fs::read_to_string(&path).expect("read article");
    server.open(std::path::Path::new(&path), &text);
    server.diagnostics(&uri, None);
    Fixture {
        dir,
        server,
        top,
        uri,
    }
}

impl Fixture {
    fn position(&self) -> Value {
        json!({"textDocument": {"uri": self.top["uri"]}, "position": self.top["range"]["start"]})
    }

    fn references_params(&self) -> Value {
        let mut p = self.position();
        p["context"] = json!({"includeDeclaration": true});
        p
    }
}

/// Locations as sortable strings (a multiset when collected in a Vec).
fn keys(locs: &[Value]) -> Vec<String> {
    let mut k: Vec<String> = locs.iter().map(Value::to_string).collect();
    k.sort();
    k
}

/// Writes a request with any id (e.g. a string) and returns its response.
fn request_with_id(server: &mut Server, id: Value, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
    server.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    server
        .wait_for(|m| m["id"] == id && m.get("method").is_none(), TIMEOUT)
        .unwrap_or_else(|| panic!("no response to {id}"))
}

/// Partial results of a request with `token`: the `$/progress` values in
/// arrival order, and the response.
fn partial(
    server: &mut Server,
    token: Value,
    method: &str,
    mut params: Value,
) -> (Vec<Value>, Value) {
    params["partialResultToken"] = token.clone();
    let id = server.send_request(method, params);
    let mut batches = Vec::new();
    loop {
        let m = server
            .wait_for(
                |m| {
                    (m["method"] == "$/progress" && m["params"]["token"] == token)
                        || (m["id"] == json!(id) && m.get("method").is_none())
                },
                TIMEOUT,
            )
            .expect("progress or response");
        if m["method"] == "$/progress" {
            batches.push(m["params"]["value"].clone());
        } else {
            return (batches, m);
        }
    }
}

#[test]
fn large_results_are_whole_valid_and_answer_their_own_request() {
    let mut f = start();
    let params = f.references_params();
    let locs = f.server.call("textDocument/references", params.clone());
    let locs = locs.as_array().cloned().expect("an array");
    assert!(locs.len() > 300, "{} references", locs.len());
    // Every location points at the entity's name in a corpus file.
    for l in &locs {
        let uri = l["uri"].as_str().expect("uri");
        assert!(uri.starts_with("file://"), "{uri}");
        assert!(
            l["range"]["start"]["line"] == l["range"]["end"]["line"],
            "{l}"
        );
    }
    // Not the placeholder: no marker anywhere.
    assert!(!locs
        .iter()
        .any(|l| l.to_string().contains("news-ls-splice")));
    // A string id gets the same result under its own id.
    let r = request_with_id(
        &mut f.server,
        json!("refs-1"),
        "textDocument/references",
        params.clone(),
    );
    assert_eq!(r["id"], json!("refs-1"));
    assert_eq!(keys(r["result"].as_array().expect("array")), keys(&locs));
    // So does a very long string id.
    let long = json!("x".repeat(20_000));
    let r = request_with_id(
        &mut f.server,
        long.clone(),
        "textDocument/references",
        params.clone(),
    );
    assert_eq!(r["id"], long);
    assert_eq!(keys(r["result"].as_array().expect("array")), keys(&locs));
    // Without the declaration: one location less.
    let mut without = params.clone();
    without["context"]["includeDeclaration"] = json!(false);
    let fewer = f.server.call("textDocument/references", without);
    assert_eq!(fewer.as_array().map(Vec::len), Some(locs.len() - 1));
}

#[test]
fn concurrent_large_requests_do_not_mix() {
    let mut f = start();
    let params = f.references_params();
    let refs = f.server.call("textDocument/references", params.clone());
    let mut rename = f.position();
    rename["newName"] = json!("Quelqu'un d'autre");
    let edit = f.server.call("textDocument/rename", rename.clone());
    // A second, smaller entity.
    let sym = f.server.call("workspace/symbol", json!({"query": ""}));
    let other = sym
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|s| s["kind"] != json!(1) && s["location"] != f.top)
        })
        .expect("another entity")["location"]
        .clone();
    let mut other_params =
        json!({"textDocument": {"uri": other["uri"]}, "position": other["range"]["start"]});
    other_params["context"] = json!({"includeDeclaration": true});
    let other_refs = f
        .server
        .call("textDocument/references", other_params.clone());
    assert_ne!(
        keys(other_refs.as_array().unwrap()),
        keys(refs.as_array().unwrap())
    );
    // All at once, several times over, answered in any order.
    let mut sent = Vec::new();
    for _ in 0..3 {
        sent.push((
            f.server
                .send_request("textDocument/references", params.clone()),
            0,
        ));
        sent.push((
            f.server.send_request("textDocument/rename", rename.clone()),
            1,
        ));
        sent.push((
            f.server
                .send_request("textDocument/references", other_params.clone()),
            2,
        ));
    }
    for (id, which) in sent {
        let r = f.server.response(id);
        match which {
            0 => assert_eq!(
                keys(r["result"].as_array().unwrap()),
                keys(refs.as_array().unwrap())
            ),
            1 => assert_eq!(r["result"], edit),
            _ => assert_eq!(
                keys(r["result"].as_array().unwrap()),
                keys(other_refs.as_array().unwrap())
            ),
        }
    }
}

#[test]
fn rename_of_a_frequent_entity_edits_each_file_once() {
    let mut f = start();
    let mut params = f.position();
    params["newName"] = json!("Nom «nouveau» \"cité\"");
    let r = request_with_id(
        &mut f.server,
        json!(987654321),
        "textDocument/rename",
        params,
    );
    assert_eq!(r["id"], json!(987654321));
    let changes = r["result"]["changes"]
        .as_object()
        .cloned()
        .expect("changes");
    assert!(changes.len() > 10, "{} files", changes.len());
    let mut edits = 0;
    for (uri, list) in &changes {
        let path = uri.strip_prefix("file://").expect("a file URI");
        let text = std::fs::read_to_string(path).expect("read");
        let lines: Vec<&str> = text.split('\n').collect();
        for e in list.as_array().expect("edits") {
            assert_eq!(e["newText"], json!("Nom «nouveau» \"cité\""));
            let line = lines[e["range"]["start"]["line"].as_u64().unwrap() as usize];
            let units: Vec<u16> = line.encode_utf16().collect();
            let a = e["range"]["start"]["character"].as_u64().unwrap() as usize;
            let b = e["range"]["end"]["character"].as_u64().unwrap() as usize;
            let old = String::from_utf16_lossy(&units[a..b]);
            assert!(
                !old.is_empty() && old.chars().next().unwrap().is_uppercase(),
                "{old}"
            );
            edits += 1;
        }
    }
    assert!(edits > changes.len(), "{edits} edits");
}

#[test]
fn references_stream_as_partial_results_current_document_first() {
    let mut f = start();
    let params = f.references_params();
    let all = f.server.call("textDocument/references", params.clone());
    let all = all.as_array().cloned().expect("array");
    for token in [json!("refs-token"), json!(42)] {
        let (batches, response) = partial(
            &mut f.server,
            token.clone(),
            "textDocument/references",
            params.clone(),
        );
        // The final response is empty in terms of result values.
        assert_eq!(response["result"], json!([]), "{response}");
        assert!(batches.len() >= 2, "{} batches", batches.len());
        // The first batch: the current document's locations, all of them.
        let first = batches[0].as_array().expect("a Location[]");
        assert!(!first.is_empty());
        assert!(first.iter().all(|l| l["uri"] == json!(f.uri)), "{first:?}");
        let in_current = all.iter().filter(|l| l["uri"] == json!(f.uri)).count();
        assert_eq!(first.len(), in_current);
        // Together the batches are the whole result.
        let streamed: Vec<Value> = batches
            .iter()
            .flat_map(|b| b.as_array().cloned().expect("a Location[]"))
            .collect();
        assert_eq!(keys(&streamed), keys(&all));
        // Nothing follows the response.
        let late = f.server.wait_for(
            |m| m["method"] == "$/progress" && m["params"]["token"] == token,
            Duration::from_millis(300),
        );
        assert!(late.is_none(), "progress after the response: {late:?}");
    }
    // Without a token: the whole array in the response, as before.
    let again = f.server.call("textDocument/references", params);
    assert_eq!(keys(again.as_array().unwrap()), keys(&all));
}

/// Without the declaration, the streamed batches are the whole array's
/// locations too: the declaration is left out of the current document's
/// batch (sent first) as of the others.
#[test]
fn streamed_references_leave_out_the_declaration_as_the_whole_array_does() {
    let mut f = start();
    let with_declaration = f
        .server
        .call("textDocument/references", f.references_params());
    let with_declaration = with_declaration.as_array().cloned().expect("array");
    let mut params = f.references_params();
    params["context"]["includeDeclaration"] = json!(false);
    let whole = f.server.call("textDocument/references", params.clone());
    let whole = whole.as_array().cloned().expect("array");
    // The declaration is one location of the entity's.
    assert_eq!(whole.len() + 1, with_declaration.len());
    let (batches, response) = partial(
        &mut f.server,
        json!("without-declaration"),
        "textDocument/references",
        params,
    );
    assert_eq!(response["result"], json!([]), "{response}");
    let streamed: Vec<Value> = batches
        .iter()
        .flat_map(|b| b.as_array().cloned().expect("a Location[]"))
        .collect();
    assert_eq!(keys(&streamed), keys(&whole));
}

#[test]
fn a_cancelled_streamed_request_stops_and_sends_nothing_after_its_answer() {
    let mut f = start();
    let params = f.references_params();
    for round in 0..5 {
        let token = json!(format!("cancel-{round}"));
        let mut p = params.clone();
        p["partialResultToken"] = token.clone();
        let id = f.server.send_request("textDocument/references", p);
        f.server.notify("$/cancelRequest", json!({"id": id}));
        let response = f.server.response(id);
        // What came before the response (partial results sent in time) is
        // fine; only what follows it is checked below.
        f.server.forget_received();
        // Either cancelled in time, or already answered (empty: streamed).
        if let Some(e) = response.get("error") {
            assert_eq!(e["code"], json!(-32800), "{response}");
        } else {
            assert_eq!(response["result"], json!([]), "{response}");
        }
        let late = f.server.wait_for(
            |m| m["method"] == "$/progress" && m["params"]["token"] == token,
            Duration::from_millis(200),
        );
        assert!(late.is_none(), "progress after the response: {late:?}");
    }
    // Still serving, with the whole result.
    let all = f.server.call("textDocument/references", params);
    assert!(all.as_array().is_some_and(|a| a.len() > 300));
    let _ = f.dir.path();
}

#[test]
fn a_document_named_like_a_marker_is_an_ordinary_document() {
    let mut f = start();
    // An untitled buffer whose URI looks like a splice marker.
    let uri = "news-ls-splice:0000000000000000-1";
    let text = "Tatiana Zator a parlé. Tatiana Zator est partie.\n";
    f.server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
    );
    f.server.diagnostics(uri, None);
    let r = f.server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}, "context": {"includeDeclaration": true}}),
    );
    // Whatever the answer (the name may or may not be an entity here), it is
    // a well-formed response to this request.
    assert!(r.get("error").is_none(), "{r}");
    if let Some(locs) = r["result"].as_array() {
        assert!(locs.iter().all(|l| l["uri"].is_string()));
    }
}

#[test]
fn references_of_a_quotation_stream_too() {
    let dir = seed_corpus();
    let (mut server, _) = Server::start(dir.path(), json!({}));
    server.wait_indexed();
    let path = dir.path().join("003_32fe3fea501d7c45.txt");
    let text = std::fs::read_to_string(&path).expect("read seed");
    let uri = server.open(&path, &text);
    server.diagnostics(&uri, None);
    let byte = text.find("nous battrons").expect("the quotation");
    let before = &text[..byte];
    let position = json!({
        "line": before.matches('\n').count(),
        "character": before.rsplit('\n').next().unwrap_or("").encode_utf16().count(),
    });
    let params = json!({"textDocument": {"uri": uri}, "position": position, "context": {"includeDeclaration": true}});
    let all = server.call("textDocument/references", params.clone());
    let all = all.as_array().cloned().expect("an array");
    assert!(all.len() >= 3, "quotations of the same speaker: {all:?}");
    let (batches, response) = partial(
        &mut server,
        json!("quotes"),
        "textDocument/references",
        params,
    );
    assert_eq!(response["result"], json!([]));
    let streamed: Vec<Value> = batches
        .iter()
        .flat_map(|b| b.as_array().cloned().expect("a Location[]"))
        .collect();
    assert_eq!(keys(&streamed), keys(&all));
}
