//! Protocol abuse over stdio: malformed JSON, wrong or missing
//! `Content-Length`, oversized header lines, unknown methods, requests before
//! `initialize` and after `shutdown`, unknown URIs, out-of-range positions,
//! edits that do not apply, a client that never reads its output, and the
//! exit status of every way a session can end. The server answers with the
//! proper JSON-RPC error and keeps serving.

mod common;

use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

/// The server still answers a plain request.
fn assert_alive(s: &mut Server) {
    let r = s.request("news-ls/status", Value::Null);
    assert!(r["result"]["documents"].is_number(), "{r}");
}

fn wait_error(s: &mut Server, code: i64) -> Value {
    s.wait_for(|m| m["error"]["code"] == code && m["id"].is_null(), TIMEOUT)
        .unwrap_or_else(|| panic!("no error {code} answered"))
}

#[test]
fn malformed_frames_are_answered_and_the_server_keeps_serving() {
    let dir = corpus(&[]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    // Not JSON.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    wait_error(&mut s, -32700);
    assert_alive(&mut s);
    // Truncated JSON, then valid JSON that is not an object, then a batch.
    for body in [
        &b"{\"jsonrpc\":\"2.0\",\"id\":"[..],
        b"[1,2,3]",
        b"42",
        b"null",
    ] {
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend_from_slice(body);
        s.send_raw(&msg);
    }
    let errors: Vec<Value> = (0..4)
        .map(|_| {
            s.wait_for(
                |m| m["error"]["code"] == -32700 || m["error"]["code"] == -32600,
                TIMEOUT,
            )
            .expect("error for each bad body")
        })
        .collect();
    assert_eq!(errors.len(), 4);
    assert_alive(&mut s);
    // A wrong JSON-RPC version, with an id: the error carries the id.
    s.send_raw(b"Content-Length: 40\r\n\r\n{\"jsonrpc\":\"1.0\",\"id\":77,\"method\":\"x\"}  ");
    let e = s
        .wait_for(|m| m["id"] == 77, TIMEOUT)
        .expect("answered with its id");
    assert_eq!(e["error"]["code"], -32600, "{e}");
    // Headers without Content-Length, or with a bad one.
    s.send_raw(b"Content-Type: application/json\r\n\r\n");
    wait_error(&mut s, -32700);
    s.send_raw(b"Content-Length: -5\r\n\r\n");
    wait_error(&mut s, -32700);
    s.send_raw(b"Content-Length: 99999999999999999999999\r\n\r\n");
    wait_error(&mut s, -32700);
    // A header line of 1 MiB with no end in sight, then a good message.
    let mut junk = vec![b'A'; 1 << 20];
    junk.extend_from_slice(b"\r\n\r\n");
    s.send_raw(&junk);
    let e = wait_error(&mut s, -32700);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("longer than"));
    assert_alive(&mut s);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn a_wrong_content_length_loses_at_most_the_messages_it_overlaps() {
    let dir = corpus(&[]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    // Too short: the tail of the body spills into the next header, which is
    // found again.
    let body = br#"{"jsonrpc":"2.0","id":500,"method":"news-ls/status"}"#;
    let mut msg = b"Content-Length: 10\r\n\r\n".to_vec();
    msg.extend_from_slice(body);
    s.send_raw(&msg);
    wait_error(&mut s, -32700);
    assert_alive(&mut s);
    // Too long: the body swallows the start of the next message; the one
    // after that is served.
    let mut msg = format!("Content-Length: {}\r\n\r\n", body.len() + 30).into_bytes();
    msg.extend_from_slice(body);
    s.send_raw(&msg);
    let lost = s.send_request("news-ls/status", Value::Null);
    assert_alive(&mut s);
    // The swallowed request may go unanswered, but never answered wrongly.
    if let Some(r) = s.wait_for(|m| m["id"] == lost, Duration::from_millis(200)) {
        assert!(r.get("result").is_some() || r.get("error").is_some(), "{r}");
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn unknown_methods_and_bad_params() {
    let dir = corpus(&[]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let pos =
        json!({"textDocument": {"uri": "file:///a.txt"}, "position": {"line": 0, "character": 0}});
    for method in ["news-ls/nope", "textDocument/completion", "$/custom", ""] {
        let r = s.request(method, pos.clone());
        assert_eq!(r["error"]["code"], -32601, "{method}: {r}");
    }
    // Unknown notifications are ignored without an answer.
    s.notify("news-ls/nope", json!({"x": 1}));
    s.notify("$/setTrace", json!({"value": "verbose"}));
    // Parameters of the wrong shape: InvalidParams.
    for params in [json!("text"), json!({"textDocument": 3}), json!([1, 2])] {
        let r = s.request("textDocument/hover", params.clone());
        assert_eq!(r["error"]["code"], -32602, "{params}: {r}");
    }
    // Negative positions do not fit LSP's unsigned integers.
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///a.txt"}, "position": {"line": -1, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert_alive(&mut s);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn requests_before_initialize_and_after_shutdown() {
    let dir = corpus(&[("a.txt", "Titre\n\nTexte.\n")]);
    let mut s = Server::spawn(dir.path());
    for method in ["textDocument/hover", "workspace/symbol", "shutdown"] {
        let r = s.request(
            method,
            json!({"textDocument": {"uri": uri(&dir.path().join("a.txt"))},
                   "position": {"line": 0, "character": 0}, "query": ""}),
        );
        assert_eq!(r["error"]["code"], -32002, "{method}: {r}");
    }
    // Notifications before initialize are dropped, not fatal.
    s.open(&dir.path().join("a.txt"), "Texte.");
    s.initialize(dir.path(), json!({}));
    // A second initialize is refused.
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(r.get("error").is_some(), "{r}");
    let r = s.request("shutdown", Value::Null);
    assert!(r.get("error").is_none(), "{r}");
    // After shutdown every request but exit is an InvalidRequest.
    let r = s.request("news-ls/status", Value::Null);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(0));
}

#[test]
fn exit_status_follows_the_spec() {
    let dir = corpus(&[]);
    // exit without shutdown: 1.
    let (mut s, _) = Server::start(dir.path(), json!({}));
    assert_alive(&mut s);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(1));
    // exit before initialize: 1.
    let mut s = Server::spawn(dir.path());
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(1));
    // shutdown then exit: 0.
    let (s, _) = Server::start(dir.path(), json!({}));
    assert_eq!(s.shutdown(), Some(0));
    // The client vanishing (end of input) ends the server too: 1 without shutdown.
    for shut_down_first in [false, true] {
        let mut child = Command::new(bin())
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
            write_frame(
                &mut stdin,
                &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
            );
            while read_frame(&mut stdout).is_some_and(|m| m["id"] != 1) {}
            if shut_down_first {
                write_frame(
                    &mut stdin,
                    &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
                );
                while read_frame(&mut stdout).is_some_and(|m| m["id"] != 2) {}
            }
        } // stdin closed here
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let code = loop {
            if let Ok(Some(st)) = child.try_wait() {
                break st.code();
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("server still running after its input closed");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(code, Some(if shut_down_first { 0 } else { 1 }));
    }
}

/// Every request that takes a document, with the given URI and position.
fn document_requests(u: &str, line: u64, character: u64) -> Vec<(&'static str, Value)> {
    let td = json!({"uri": u});
    let pos = json!({"line": line, "character": character});
    let range =
        json!({"start": pos, "end": {"line": (line + 3).min(u32::MAX as u64), "character": 0}});
    vec![
        (
            "textDocument/hover",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": td, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/prepareRename",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": td, "position": pos, "newName": "X"}),
        ),
        ("textDocument/documentSymbol", json!({"textDocument": td})),
        ("textDocument/foldingRange", json!({"textDocument": td})),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": td}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": td, "range": range}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": td, "range": range}),
        ),
        ("textDocument/codeLens", json!({"textDocument": td})),
        (
            "textDocument/codeAction",
            json!({"textDocument": td, "range": range, "context": {"diagnostics": []}}),
        ),
        ("textDocument/diagnostic", json!({"textDocument": td})),
    ]
}

#[test]
fn unknown_uris_and_out_of_range_positions_never_fail() {
    let dir = corpus(&[(
        "a.txt",
        "Minsk accuse Varsovie\n\n« Nous ne céderons pas », a déclaré Alexandre Loukachenko.\n",
    )]);
    let (mut s, _) = Server::start(dir.path(), json!({"textDocument": {"diagnostic": {}}}));
    s.wait_indexed();
    let open = s.open(
        &dir.path().join("a.txt"),
        "Minsk accuse Varsovie\n\n« Nous ne céderons pas », a déclaré Alexandre Loukachenko 😀.\n",
    );
    let unknown = [
        uri(&dir.path().join("missing.txt")),
        "file:///etc/passwd".to_string(),
        "untitled:Untitled-1".to_string(),
        "https://example.invalid/a.txt".to_string(),
        "file:///".to_string(),
    ];
    let mut cases: Vec<(String, u64, u64)> = unknown.iter().map(|u| (u.clone(), 0, 0)).collect();
    for (l, c) in [
        (0, 1_000_000),
        (1_000_000, 0),
        (2, 55),
        (2, 57),
        (u32::MAX as u64, u32::MAX as u64),
    ] {
        cases.push((open.clone(), l, c));
    }
    for (u, l, c) in cases {
        for (method, params) in document_requests(&u, l, c) {
            let r = s.request(method, params);
            let code = r["error"]["code"].as_i64();
            // A refusal is fine for rename (nothing there); an internal error never is.
            assert!(
                code.is_none() || (method.contains("ename") && code != Some(-32603)),
                "{method} on {u} at {l}:{c}: {r}"
            );
        }
    }
    // Workspace-wide requests with odd queries.
    for q in ["", "\u{0}", "((((", "😀", &"a".repeat(100_000)] {
        let r = s.request("workspace/symbol", json!({"query": q}));
        assert!(r.get("error").is_none(), "{r}");
    }
    assert_eq!(s.shutdown(), Some(0));
}

fn change(version: i64, u: &str, range: Option<((u64, u64), (u64, u64))>, text: &str) -> Value {
    let c = match range {
        Some(((l1, c1), (l2, c2))) => json!({"range": {"start": {"line": l1, "character": c1},
                                                       "end": {"line": l2, "character": c2}}, "text": text}),
        None => json!({"text": text}),
    };
    json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [c]})
}

fn server_text(s: &mut Server, u: &str) -> (i64, String) {
    let r = s.call("news-ls/documentText", json!({"textDocument": {"uri": u}}));
    (
        r["version"].as_i64().unwrap_or(-1),
        r["text"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn edits_that_do_not_apply_are_clamped_or_ignored() {
    let dir = corpus(&[]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    // An edit to a document that was never opened: ignored.
    s.notify(
        "textDocument/didChange",
        change(2, &uri(&dir.path().join("never.txt")), None, "x"),
    );
    let u = s.open(&dir.path().join("d.txt"), "ab😀\ncd\n");
    // Past the end of a line: clamped to its end, and the client is told.
    s.notify(
        "textDocument/didChange",
        change(2, &u, Some(((0, 99), (0, 99))), "!"),
    );
    assert_eq!(server_text(&mut s, &u), (2, "ab😀!\ncd\n".to_string()));
    let warn = s
        .wait_for(
            |m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|t| t.contains("clamped"))
            },
            TIMEOUT,
        )
        .expect("a warning about the clamped edit");
    assert_eq!(warn["params"]["type"], 2);
    // Past the last line: appended at the end.
    s.notify(
        "textDocument/didChange",
        change(3, &u, Some(((50, 0), (60, 0))), "Z"),
    );
    assert_eq!(server_text(&mut s, &u).1, "ab😀!\ncd\nZ");
    // A reversed range: an insertion at its start.
    s.notify(
        "textDocument/didChange",
        change(4, &u, Some(((1, 2), (0, 0))), "R"),
    );
    assert_eq!(server_text(&mut s, &u).1, "ab😀!\ncdR\nZ");
    // Inside a surrogate pair (UTF-16 unit 3 splits 😀): snaps to the character start.
    s.notify(
        "textDocument/didChange",
        change(5, &u, Some(((0, 3), (0, 4))), "_"),
    );
    assert_eq!(server_text(&mut s, &u).1, "ab_!\ncdR\nZ");
    // A stale version and a repeated version: ignored.
    s.notify("textDocument/didChange", change(5, &u, None, "stale"));
    s.notify("textDocument/didChange", change(1, &u, None, "older"));
    assert_eq!(server_text(&mut s, &u), (5, "ab_!\ncdR\nZ".to_string()));
    // A change with no content changes still bumps the version.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 6}, "contentChanges": []}),
    );
    assert_eq!(server_text(&mut s, &u).0, 6);
    // Close twice, change after close: ignored.
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    s.notify("textDocument/didChange", change(7, &u, None, "closed"));
    let r = s.request("news-ls/documentText", json!({"textDocument": {"uri": u}}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert_alive(&mut s);
    assert_eq!(s.shutdown(), Some(0));
}

/// A client that writes but never reads: the server must keep consuming its
/// input and applying edits (its output is buffered), not deadlock on a full
/// output pipe. Bounded: the writer must get everything through in time.
#[test]
fn a_client_that_never_reads_does_not_block_the_input() {
    let dir = corpus(&[]);
    let path = dir.path().join("big.txt");
    let u = uri(&path);
    let mut child = Command::new(bin())
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let base = "« Une citation sans auteur », dit le texte. ".repeat(200);
    let edits = 400i64;
    let mut stdout = BufReader::new(stdout);
    // Read only the answer to initialize, then stop reading.
    write_frame(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    while read_frame(&mut stdout).is_some_and(|m| m["id"] != 1) {}
    let (tx, rx) = mpsc::channel();
    let u2 = u.clone();
    let base2 = base.clone();
    let writer = std::thread::spawn(move || {
        let mut send = |v: &Value| write_frame(&mut stdin, v);
        send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": {"textDocument": {"uri": u2, "languageId": "", "version": 1, "text": base2}}}));
        for v in 2..=edits {
            send(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                          "params": {"textDocument": {"uri": u2, "version": v},
                                     "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                                   "end": {"line": 0, "character": 0}}, "text": "x"}]}}),
            );
            // Each answer carries the whole text (~9 KB): far more than a pipe holds.
            send(
                &json!({"jsonrpc": "2.0", "id": 1000 + v, "method": "news-ls/documentText",
                          "params": {"textDocument": {"uri": u2}}}),
            );
        }
        let _ = tx.send(());
        stdin
    });
    // 400 × 9 KB = 3.6 MB of answers nobody reads while we write.
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the server stopped reading its input while its output was not read");
    let mut stdin = writer.join().expect("writer");
    // Now read: the last answer has every edit applied.
    write_frame(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 9999, "method": "news-ls/documentText",
                "params": {"textDocument": {"uri": u}}}),
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Drains everything (the backlog, then the shutdown answer) to the end.
        while let Some(m) = read_frame(&mut stdout) {
            if m["id"] == 9999 || m["id"] == 10000 {
                let _ = tx.send(m);
            }
        }
    });
    let last = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("final answer");
    assert_eq!(last["result"]["version"], edits);
    let expected = format!("{}{base}", "x".repeat(edits as usize - 1));
    assert_eq!(last["result"]["text"].as_str(), Some(expected.as_str()));
    write_frame(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 10000, "method": "shutdown"}),
    );
    let answer = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("shutdown answered");
    assert!(answer.get("error").is_none(), "{answer}");
    write_frame(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = stdin.flush();
    // The backlog once read, `shutdown`/`exit` end the process with 0.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let code = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(code, Some(0));
}

/// A panic inside a request handler (triggered by the debug request that
/// `NEWS_LS_DEBUG_PANIC=1` enables) becomes a JSON-RPC InternalError, and the
/// server keeps serving: other requests are answered, diagnostics are still
/// published for new versions, and `shutdown`/`exit` end with status 0.
#[test]
fn a_panicking_request_handler_answers_internal_error_and_the_server_keeps_serving() {
    let article = "Sommet franco-allemand à Berlin\n\n\
Le président Emmanuel Macron a rencontré le chancelier Olaf Scholz à Berlin.\n\n\
« Nous devons avancer ensemble », a déclaré Emmanuel Macron devant la presse.\n";
    let dir = corpus(&[("sommet.txt", article)]);
    let path = dir.path().join("sommet.txt");
    let mut s = Server::spawn_env(dir.path(), &[("NEWS_LS_DEBUG_PANIC", "1")]);
    s.initialize(dir.path(), json!({}));
    s.wait_indexed();
    let u = s.open(&path, article);
    let first = s.diagnostics(&u, Some(1));
    assert!(first["diagnostics"].is_array(), "{first}");

    // Both guards: a panic in the request's future, and one on the blocking pool.
    for place in ["async", "blocking"] {
        let r = s.request("news-ls/debugPanic", json!({ "in": place }));
        assert_eq!(r["error"]["code"], -32603, "{place}: {r}");
        let msg = r["error"]["message"].as_str().unwrap_or_default();
        assert!(
            msg.contains("news-ls/debugPanic") && msg.contains("deliberate panic"),
            "{place}: {msg}"
        );
        assert!(r.get("result").is_none(), "{r}");
        assert!(s.is_running(), "the server died after a panic in {place}");
    }

    // The next request is answered with real content.
    let line = 2;
    let character = article
        .lines()
        .nth(line)
        .and_then(|l| l.find("Macron"))
        .map(|b| {
            article.lines().nth(line).unwrap_or("")[..b]
                .encode_utf16()
                .count()
        })
        .expect("Macron on line 2");
    let hover = s.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character + 2}}),
    );
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("Emmanuel Macron"),
        "hover after a panic: {hover}"
    );

    // Diagnostics still come, for the new version.
    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": 2},
            "contentChanges": [{"text": format!("{article}« Il ment », a dit.\n")}],
        }),
    );
    let second = s.diagnostics(&u, Some(2));
    assert_eq!(second["version"], 2, "{second}");
    assert!(second["diagnostics"].is_array(), "{second}");

    // A panic after the edit does not disturb the session either.
    let r = s.request("news-ls/debugPanic", json!({}));
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert_alive(&mut s);
    assert_eq!(s.shutdown(), Some(0));
}

/// Without `NEWS_LS_DEBUG_PANIC=1` at start, the debug request does not exist.
#[test]
fn the_debug_panic_request_is_unknown_unless_enabled_at_start() {
    let dir = corpus(&[]);
    for env in [
        &[][..],
        &[("NEWS_LS_DEBUG_PANIC", "0")][..],
        &[("NEWS_LS_DEBUG_PANIC", "")][..],
    ] {
        let mut s = Server::spawn_env(dir.path(), env);
        s.initialize(dir.path(), json!({}));
        let r = s.request("news-ls/debugPanic", json!({}));
        assert_eq!(r["error"]["code"], -32601, "{env:?}: {r}");
        assert_alive(&mut s);
        assert_eq!(s.shutdown(), Some(0), "{env:?}");
    }
}

/// Regression: a read of standard input pending while the runtime shut down
/// at `exit` made tokio panic ("JoinHandle polled after completion") in about
/// one session in four; the panic message went to standard error. Twenty
/// sessions, none may print a panic.
#[test]
fn shutdown_and_exit_never_panic() {
    let dir = corpus(&[("a.txt", "Titre\n\n« Bonjour », a dit Jean Dupont.\n")]);
    for round in 0..20 {
        let err = tempfile::NamedTempFile::new().expect("stderr file");
        let mut child = Command::new(bin())
            .arg("serve")
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(err.reopen().expect("reopen"))
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let root = format!("file://{}", dir.path().display());
        write_frame(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"processId": null, "rootUri": root, "capabilities": {}}}),
        );
        while let Some(m) = read_frame(&mut stdout) {
            if m["id"] == json!(1) && m.get("method").is_none() {
                break;
            }
        }
        write_frame(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        );
        write_frame(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        );
        // Wait for the shutdown answer, then exit.
        while let Some(m) = read_frame(&mut stdout) {
            if m["id"] == json!(2) && m.get("method").is_none() {
                break;
            }
        }
        write_frame(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "round {round}");
        let log = std::fs::read_to_string(err.path()).unwrap_or_default();
        assert!(!log.contains("panicked"), "round {round}: {log}");
    }
}
