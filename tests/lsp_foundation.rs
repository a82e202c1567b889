//! Foundation over stdio: lifecycle, capabilities, incremental sync, position
//! encodings, non-UTF-8 files, files appearing on disk, protocol errors.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

#[test]
fn initialize_shutdown_exit_and_capabilities() {
    let dir = corpus(&[("a.txt", "Titre\n\nTexte.\n")]);
    let (server, init) = Server::start(dir.path(), json!({}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(init["result"]["serverInfo"]["name"], "news-ls");
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for key in [
        "hoverProvider",
        "referencesProvider",
        "definitionProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "renameProvider",
        "codeActionProvider",
        "codeLensProvider",
        "foldingRangeProvider",
        "inlayHintProvider",
        "semanticTokensProvider",
    ] {
        assert!(!caps[key].is_null(), "{key} is advertised");
    }
    // Not implemented, so not advertised.
    assert!(caps["completionProvider"].is_null());
    assert!(caps["documentFormattingProvider"].is_null());
    // No pull diagnostics unless the client supports them.
    assert!(caps["diagnosticProvider"].is_null());
    assert_eq!(
        caps["semanticTokensProvider"]["legend"]["tokenTypes"],
        json!(["person", "place", "organization", "other"])
    );
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn negotiates_utf8_and_pull_diagnostics_when_offered() {
    let dir = corpus(&[("a.txt", "x\n")]);
    let (server, init) = Server::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-32", "utf-8", "utf-16"]},
               "textDocument": {"diagnostic": {"dynamicRegistration": false}},
               "workspace": {"diagnostics": {"refreshSupport": true}}}),
    );
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], true);
    assert_eq!(server.shutdown(), Some(0));

    let (server, init) = Server::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-32");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn stdio_flag_is_accepted() {
    let dir = corpus(&[]);
    for args in [&["--stdio"][..], &["serve", "--stdio"][..], &[][..]] {
        let mut s = Server::spawn_with(dir.path(), args);
        let init = s.initialize(dir.path(), json!({}));
        assert_eq!(
            init["result"]["serverInfo"]["name"], "news-ls",
            "args {args:?}"
        );
        assert_eq!(s.shutdown(), Some(0));
    }
}

fn change(version: i64, uri: &str, range: Option<(u32, u32, u32, u32)>, text: &str) -> Value {
    let change = match range {
        Some((l1, c1, l2, c2)) => {
            json!({"range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}, "text": text})
        }
        None => json!({"text": text}),
    };
    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
}

fn server_text(s: &mut Server, uri: &str) -> (i64, String) {
    let r = s.call(
        "news-ls/documentText",
        json!({"textDocument": {"uri": uri}}),
    );
    (
        r["version"].as_i64().unwrap_or(-1),
        r["text"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn incremental_edits_with_multibyte_and_non_bmp_text_match_full_replacement() {
    let dir = corpus(&[]);
    let path = dir.path().join("doc.txt");
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let uri = s.open(&path, "« Loukachenko » a dit 😀 oui\nligne deux\n");
    // UTF-16: 😀 is two code units. Replace "oui" (after the emoji) with "non".
    // "« Loukachenko » a dit " = 22 units, emoji 2 units, space 1 → "oui" at 25.
    s.notify(
        "textDocument/didChange",
        change(2, &uri, Some((0, 25, 0, 28)), "non"),
    );
    // Insert an accented word at the start of line 1.
    s.notify(
        "textDocument/didChange",
        change(3, &uri, Some((1, 0, 1, 0)), "Élysée "),
    );
    // Replace the emoji itself (units 22..24) with a BMP character.
    s.notify(
        "textDocument/didChange",
        change(4, &uri, Some((0, 22, 0, 24)), "→"),
    );
    let expected = "« Loukachenko » a dit → non\nÉlysée ligne deux\n";
    assert_eq!(server_text(&mut s, &uri), (4, expected.to_string()));
    // The same text sent whole gives the same document.
    let uri2 = s.open(&dir.path().join("doc2.txt"), "");
    s.notify("textDocument/didChange", change(2, &uri2, None, expected));
    assert_eq!(server_text(&mut s, &uri2).1, server_text(&mut s, &uri).1);
    // Stale versions are ignored.
    s.notify(
        "textDocument/didChange",
        change(3, &uri, Some((0, 0, 0, 1)), "X"),
    );
    assert_eq!(server_text(&mut s, &uri), (4, expected.to_string()));
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn utf8_positions_count_bytes() {
    let dir = corpus(&[]);
    let (mut s, init) = Server::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-8"]}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let uri = s.open(&dir.path().join("d.txt"), "é😀x\n");
    // In UTF-8, "é" is 2 bytes and 😀 is 4: "x" starts at byte 6.
    s.notify(
        "textDocument/didChange",
        change(2, &uri, Some((0, 6, 0, 7)), "y"),
    );
    assert_eq!(server_text(&mut s, &uri).1, "é😀y\n");
    // A position inside a character snaps to its start and is clamped, never crashes.
    s.notify(
        "textDocument/didChange",
        change(3, &uri, Some((0, 1, 0, 2)), "e"),
    );
    assert_eq!(server_text(&mut s, &uri).1, "e😀y\n");
    s.notify(
        "textDocument/didChange",
        change(4, &uri, Some((9, 0, 9, 99)), "!"),
    );
    assert_eq!(server_text(&mut s, &uri).1, "e😀y\n!");
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn five_hundred_rapid_edits_end_in_the_right_text_and_version() {
    let dir = corpus(&[]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let uri = s.open(&dir.path().join("fast.txt"), "");
    let mut expected = String::new();
    for v in 2..=501i64 {
        // Append one character per edit at the end of the text (line 0).
        let ch = char::from(b'a' + ((v % 26) as u8));
        let col = expected.chars().count() as u32;
        s.notify(
            "textDocument/didChange",
            change(v, &uri, Some((0, col, 0, col)), &ch.to_string()),
        );
        expected.push(ch);
    }
    assert_eq!(server_text(&mut s, &uri), (501, expected.clone()));
    // The last published diagnostics carry the last version.
    let d = s.diagnostics(&uri, Some(501));
    assert_eq!(d["version"], 501);
    // Nothing published for it after that is older (other files, such as the
    // root's `news-ls.toml` once indexing ends, have diagnostics of their own).
    s.forget_received();
    std::thread::sleep(Duration::from_millis(300));
    let u = uri.clone();
    while let Some(m) = s.wait_for(
        |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(u),
        Duration::from_millis(50),
    ) {
        assert!(
            m["params"]["version"].as_i64() >= Some(501),
            "stale diagnostics after the last: {m}"
        );
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn non_utf8_file_is_decoded_lossily_with_one_diagnostic() {
    let dir = corpus(&[]);
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"Le caf\xe9 de Minsk\n\nTexte.\n",
    )
    .expect("write");
    let (mut s, _) = Server::start(
        dir.path(),
        json!({"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": true}}}),
    );
    s.wait_indexed();
    let r = s.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri(&dir.path().join("latin1.txt"))}}),
    );
    let items = r["items"].as_array().cloned().unwrap_or_default();
    let utf8: Vec<&Value> = items
        .iter()
        .filter(|d| d["code"] == "invalid-utf8")
        .collect();
    assert_eq!(utf8.len(), 1, "{items:?}");
    assert!(utf8[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("not valid UTF-8"));
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn file_created_on_disk_after_startup_joins_the_index() {
    let dir = corpus(&[("a.txt", "Premier article.\n")]);
    let (mut s, _) = Server::start(
        dir.path(),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    // The server registers a watcher for **/*.txt.
    let reg = s
        .wait_for(|m| m["method"] == "client/registerCapability", TIMEOUT)
        .expect("watcher registration");
    assert_eq!(
        reg["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    assert_eq!(s.wait_indexed()["documents"], 1);
    let new = dir.path().join("b.txt");
    std::fs::write(&new, "Deuxième article.\n").expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 1}]}),
    );
    let deadline = std::time::Instant::now() + TIMEOUT;
    while s.call("news-ls/status", Value::Null)["documents"] != 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "created file never indexed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::remove_file(&new).expect("rm");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 3}]}),
    );
    while s.call("news-ls/status", Value::Null)["documents"] != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "deleted file never left the index"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn protocol_errors_are_answered_and_the_server_keeps_serving() {
    let dir = corpus(&[]);
    let mut s = Server::spawn(dir.path());
    // Before initialize: ServerNotInitialized (-32002).
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.txt"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002);
    s.initialize(dir.path(), json!({}));
    // Unknown method: MethodNotFound (-32601).
    let r = s.request("news-ls/doesNotExist", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // Malformed JSON: a parse error, then business as usual.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let err = s
        .wait_for(
            |m| m["id"].is_null() && m["error"]["code"] == -32700,
            TIMEOUT,
        )
        .expect("parse error answered");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("Parse error"));
    // Valid JSON that is not JSON-RPC: Invalid Request (-32600).
    s.send_raw(b"Content-Length: 9\r\n\r\n{\"foo\":1}");
    s.wait_for(|m| m["error"]["code"] == -32600, TIMEOUT)
        .expect("invalid request answered");
    // A bad Content-Length header.
    s.send_raw(b"Content-Length: many\r\n\r\n");
    s.wait_for(|m| m["error"]["code"] == -32700, TIMEOUT)
        .expect("bad header answered");
    let r = s.request("news-ls/status", Value::Null);
    assert!(r["result"]["documents"].is_number(), "{r}");
    // Requests on unknown URIs and out-of-range positions answer null, not an error.
    let r = s.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere.txt"}, "position": {"line": 999, "character": 999}}));
    assert!(r.get("error").is_none() && r["result"].is_null(), "{r}");
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn indexing_reports_progress_and_skips_files_over_the_size_limit() {
    let big = "x".repeat(4096);
    let dir = corpus(&[
        ("a.txt", "Un article.\n"),
        ("b.txt", "Un autre.\n"),
        ("big.txt", &big),
    ]);
    let (mut s, _) = Server::start_with_options(
        dir.path(),
        json!({"window": {"workDoneProgress": true}}),
        json!({"news-ls": {"maxFileSize": 1024}}),
    );
    let create = s
        .wait_for(|m| m["method"] == "window/workDoneProgress/create", TIMEOUT)
        .expect("progress token created");
    let token = create["params"]["token"].clone();
    let begin = s
        .wait_for(
            |m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin",
            TIMEOUT,
        )
        .expect("progress begins");
    assert_eq!(begin["params"]["token"], token);
    assert_eq!(begin["params"]["value"]["title"], "Indexing");
    let end = s
        .wait_for(
            |m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end",
            TIMEOUT,
        )
        .expect("progress ends");
    assert!(
        end["params"]["value"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("3 articles"),
        "{end}"
    );
    // The big file is skipped with a notice the user can see.
    let notice = s
        .wait_for(
            |m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .unwrap_or("")
                        .contains("big.txt")
            },
            TIMEOUT,
        )
        .expect("skip notice");
    assert!(
        notice["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("maxFileSize"),
        "{notice}"
    );
    assert_eq!(s.wait_indexed()["documents"], 2);
    assert_eq!(s.shutdown(), Some(0));
}
