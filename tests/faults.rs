//! Faults over stdio: files deleted, renamed, made unreadable or replaced by
//! a folder while indexed or open; the workspace folder removed; symlink
//! loops; symlinks leaving the workspace; and concurrency: many requests in
//! flight during indexing and during rapid edits, with the published
//! diagnostics always those of the latest version of the document.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const ARTICLE_FR: &str = "Minsk accuse Varsovie de provocation\n\nLe président biélorusse Alexandre Loukachenko a accusé la Pologne.\n\n« Nous ne céderons pas », a déclaré Alexandre Loukachenko.\n";
const ARTICLE_EN: &str = "Kyiv says talks stalled\n\nPresident Volodymyr Zelensky said on Monday that talks had stalled.\n\n\"We will not give in,\" said Volodymyr Zelensky.\n";

fn status(s: &mut Server) -> Value {
    s.call("news-ls/status", Value::Null)
}

/// Polls the status until `documents` equals `n`.
fn wait_documents(s: &mut Server, n: u64) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let st = status(s);
        if st["documents"] == n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "documents never reached {n}: {st}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn watched(s: &mut Server, changes: &[(&Path, u8)]) {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(p, t)| json!({"uri": uri(p), "type": t}))
        .collect();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    );
}

fn symbols(s: &mut Server, query: &str) -> Vec<Value> {
    s.call("workspace/symbol", json!({ "query": query }))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn start(root: &Path) -> Server {
    let (mut s, _) = Server::start(root, json!({"textDocument": {"diagnostic": {}}}));
    s.wait_indexed();
    s
}

#[test]
fn deleted_and_renamed_files_leave_the_index() {
    let dir = corpus(&[("a.txt", ARTICLE_FR), ("b.txt", ARTICLE_EN)]);
    let mut s = start(dir.path());
    wait_documents(&mut s, 2);
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    // Deleted without the client saying so: what was indexed is still served.
    std::fs::remove_file(&a).expect("rm");
    assert!(!symbols(&mut s, "Loukachenko").is_empty());
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&a)}, "position": {"line": 2, "character": 30}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    // Then the watcher reports it.
    watched(&mut s, &[(&a, 3)]);
    wait_documents(&mut s, 1);
    // Renamed: deleted under the old name, created under the new one.
    let c = dir.path().join("c.txt");
    std::fs::rename(&b, &c).expect("rename");
    watched(&mut s, &[(&b, 3), (&c, 1)]);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let found = symbols(&mut s, "Zelensky");
        let in_c = found
            .iter()
            .any(|x| x["location"]["uri"].as_str() == Some(uri(&c).as_str()));
        let in_b = found
            .iter()
            .any(|x| x["location"]["uri"].as_str() == Some(uri(&b).as_str()));
        if in_c && !in_b {
            break;
        }
        assert!(Instant::now() < deadline, "rename never seen: {found:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    wait_documents(&mut s, 1);
    // A change event for a file that no longer exists: it leaves the index.
    std::fs::remove_file(&c).expect("rm");
    watched(&mut s, &[(&c, 2)]);
    wait_documents(&mut s, 0);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn an_open_document_outlives_its_file() {
    let dir = corpus(&[("a.txt", ARTICLE_FR)]);
    let mut s = start(dir.path());
    let a = dir.path().join("a.txt");
    let u = s.open(&a, ARTICLE_FR);
    std::fs::remove_file(&a).expect("rm");
    watched(&mut s, &[(&a, 3)]);
    // The editor's text wins: still there, still analysed.
    let d = s.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert!(d["items"].is_array());
    assert_eq!(status(&mut s)["documents"], 1);
    // Closed: the disk copy is gone, so is the document.
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    wait_documents(&mut s, 0);
    assert_eq!(s.shutdown(), Some(0));
}

/// Renamed while open: the editor's text stays under the old name until the
/// editor closes it; the new name is indexed from the disk; after the close
/// only the new name remains.
#[test]
fn an_open_document_renamed_on_disk() {
    let dir = corpus(&[("a.txt", ARTICLE_FR)]);
    let mut s = start(dir.path());
    wait_documents(&mut s, 1);
    let a = dir.path().join("a.txt");
    let moved = dir.path().join("moved.txt");
    // The editor's text differs from the disk: it names someone else.
    let edited = ARTICLE_FR.replace("Alexandre Loukachenko", "Sviatlana Tsikhanouskaya");
    let u = s.open(&a, &edited);
    s.diagnostics(&u, Some(1));
    std::fs::rename(&a, &moved).expect("rename");
    watched(&mut s, &[(&a, 3), (&moved, 1)]);
    wait_documents(&mut s, 2);
    let uris = |found: Vec<Value>| -> Vec<String> {
        let mut u: Vec<String> = found
            .iter()
            .filter_map(|x| x["location"]["uri"].as_str().map(str::to_string))
            .collect();
        u.sort();
        u.dedup();
        u
    };
    // The open text under the old name, the disk text under the new one.
    assert_eq!(uris(symbols(&mut s, "Tsikhanouskaya")), vec![uri(&a)]);
    assert_eq!(uris(symbols(&mut s, "Loukachenko")), vec![uri(&moved)]);
    let hover = s.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 40}}),
    );
    assert!(
        hover.to_string().contains("Tsikhanouskaya"),
        "hover on the open document: {hover}"
    );
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    wait_documents(&mut s, 1);
    assert!(symbols(&mut s, "Tsikhanouskaya").is_empty());
    assert_eq!(uris(symbols(&mut s, "Loukachenko")), vec![uri(&moved)]);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn a_file_replaced_by_a_folder() {
    let dir = corpus(&[("a.txt", ARTICLE_FR), ("b.txt", ARTICLE_EN)]);
    let mut s = start(dir.path());
    wait_documents(&mut s, 2);
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let u = s.open(&b, ARTICLE_EN);
    for p in [&a, &b] {
        std::fs::remove_file(p).expect("rm");
        std::fs::create_dir(p).expect("mkdir");
        std::fs::write(p.join("inner.txt"), "Un article dans le dossier.\n").expect("write");
    }
    watched(&mut s, &[(&a, 2)]);
    wait_documents(&mut s, 1);
    // The open one keeps its editor text until closed.
    let d = s.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert!(d["items"].is_array());
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    wait_documents(&mut s, 0);
    assert!(status(&mut s)["documents"].is_number());
    assert_eq!(s.shutdown(), Some(0));
}

/// Starts a server for which `chmod` matters. Tests run as root here, where
/// `chmod 000` does not stop reading: the server then runs under `setpriv`
/// as user `nobody` (the workspace is made readable to it). `None` (the test
/// says it skipped) only when neither works.
fn start_unprivileged(root: &Path, probe: &Path) -> Option<Server> {
    use std::os::unix::fs::PermissionsExt;
    let mut server = if std::fs::read(probe).is_err() {
        Server::spawn(root)
    } else {
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).ok()?;
        let drop_root = [
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
        ];
        let can_read = std::process::Command::new("setpriv")
            .args(drop_root)
            .arg("cat")
            .arg(probe)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        if can_read.success() {
            return None;
        }
        let mut args: Vec<&str> = drop_root.to_vec();
        args.extend([bin(), "serve"]);
        Server::spawn_program("setpriv", &args, root)
    };
    server.initialize(root, json!({"textDocument": {"diagnostic": {}}}));
    server.wait_indexed();
    Some(server)
}

#[test]
fn an_unreadable_file_is_skipped_with_a_notice() {
    use std::os::unix::fs::PermissionsExt;
    let dir = corpus(&[
        ("ok.txt", ARTICLE_EN),
        ("locked.txt", ARTICLE_FR),
        ("later.txt", ARTICLE_FR),
    ]);
    let locked = dir.path().join("locked.txt");
    let later = dir.path().join("later.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let Some(mut s) = start_unprivileged(dir.path(), &locked) else {
        eprintln!(
            "SKIPPED an_unreadable_file_is_skipped_with_a_notice: chmod 000 does not stop \
             reading here and setpriv cannot run the server as another user"
        );
        return;
    };
    // At the scan: skipped with a notice naming it.
    assert_eq!(status(&mut s)["documents"], 2);
    let note = s.wait_for(
        |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("locked.txt"))
        },
        TIMEOUT,
    );
    assert!(note.is_some(), "no notice naming the unreadable file");
    assert_eq!(symbols(&mut s, "Loukachenko").len(), 1, "only later.txt");

    // While indexed: made unreadable, then reported changed: it leaves the
    // index instead of keeping a copy the server can no longer check.
    std::fs::set_permissions(&later, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    watched(&mut s, &[(&later, 2)]);
    wait_documents(&mut s, 1);
    assert!(symbols(&mut s, "Loukachenko").is_empty());

    // While open: the editor's text is served; on close the unreadable file
    // is not read back and leaves the index.
    let u = s.open(&locked, ARTICLE_FR);
    let d = s.diagnostics(&u, Some(1));
    assert!(d["diagnostics"].is_array(), "{d}");
    assert_eq!(symbols(&mut s, "Loukachenko").len(), 1, "the open text");
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    wait_documents(&mut s, 1);
    assert!(symbols(&mut s, "Loukachenko").is_empty());

    // Readable again and reported: back in the index.
    std::fs::set_permissions(&later, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    watched(&mut s, &[(&later, 2)]);
    wait_documents(&mut s, 2);
    assert_alive_status(&mut s);
    assert_eq!(s.shutdown(), Some(0));
}

fn assert_alive_status(s: &mut Server) {
    assert!(status(s)["documents"].is_number());
}

#[test]
fn the_workspace_folder_removed_while_serving() {
    let dir = corpus(&[("a.txt", ARTICLE_FR), ("sub/b.txt", ARTICLE_EN)]);
    let root = dir.path().to_path_buf();
    let mut s = start(&root);
    wait_documents(&mut s, 2);
    let a = root.join("a.txt");
    let u = s.open(&a, ARTICLE_FR);
    std::fs::remove_dir_all(&root).expect("rm -rf");
    // Everything still answers from memory.
    for (method, params) in [
        ("workspace/symbol", json!({"query": ""})),
        (
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        ),
        (
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": u}}),
        ),
    ] {
        let r = s.request(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
    }
    // Edits still apply to the open document.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "Nouveau texte.\n"}]}),
    );
    let t = s.call("news-ls/documentText", json!({"textDocument": {"uri": u}}));
    assert_eq!(t["text"], "Nouveau texte.\n");
    // The watcher's deletions empty the index; closing drops the open one.
    let b = root.join("sub/b.txt");
    watched(&mut s, &[(&b, 3)]);
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    wait_documents(&mut s, 0);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn symlink_loops_and_links_out_of_the_workspace_are_not_followed() {
    let outside = corpus(&[("secret.txt", "Le mot de passe est Hortensia.\n")]);
    let dir = corpus(&[("a.txt", ARTICLE_FR)]);
    let root = dir.path();
    let secret = outside.path().join("secret.txt");
    std::os::unix::fs::symlink(root, root.join("loop")).expect("loop");
    std::os::unix::fs::symlink(root.join("l2.txt"), root.join("l1.txt")).expect("l1");
    std::os::unix::fs::symlink(root.join("l1.txt"), root.join("l2.txt")).expect("l2");
    std::os::unix::fs::symlink(&secret, root.join("leak.txt")).expect("leak");
    std::os::unix::fs::symlink(outside.path(), root.join("outdir")).expect("outdir");
    let mut s = start(root);
    assert_eq!(status(&mut s)["documents"], 1, "only a.txt is indexed");
    // Events naming the links do not make the server read through them.
    watched(
        &mut s,
        &[
            (&root.join("l1.txt"), 1),
            (&root.join("leak.txt"), 1),
            (&root.join("outdir/secret.txt"), 1),
            (&root.join("loop/a.txt"), 2),
            (&secret, 1),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(&mut s)["documents"], 1);
    assert!(symbols(&mut s, "Hortensia").is_empty());
    // Opening and closing the link: the client's text is used while open,
    // the target is not read after closing.
    let u = s.open(&root.join("leak.txt"), "Texte de l'éditeur.\n");
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(&mut s)["documents"], 1);
    assert!(symbols(&mut s, "Hortensia").is_empty());
    assert_eq!(s.shutdown(), Some(0));
}

/// Many requests in flight while the workspace is being indexed: every one
/// gets an answer, none an internal error.
#[test]
fn many_requests_in_flight_during_indexing() {
    let files: Vec<(String, String)> = (0..300)
        .map(|i| {
            let text = if i % 2 == 0 { ARTICLE_FR } else { ARTICLE_EN };
            (format!("d{}/a{i}.txt", i % 7), text.repeat(1 + i % 5))
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = corpus(&refs);
    let (mut s, _) = Server::start(
        dir.path(),
        json!({"textDocument": {"diagnostic": {}}, "window": {"workDoneProgress": true}}),
    );
    let some = dir.path().join("d0/a0.txt");
    let u = uri(&some);
    let mut ids = Vec::new();
    for i in 0..200u32 {
        let (method, params) = match i % 6 {
            0 => ("workspace/symbol", json!({"query": "Lou"})),
            1 => ("news-ls/status", Value::Null),
            2 => (
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": u}}),
            ),
            3 => (
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 40}}),
            ),
            4 => (
                "textDocument/references",
                json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 40}, "context": {"includeDeclaration": true}}),
            ),
            _ => (
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": u}}),
            ),
        };
        ids.push((s.send_request(method, params), method));
    }
    for (id, method) in ids {
        let r = s.response(id);
        assert!(
            r.get("result").is_some() && r.get("error").is_none(),
            "{method}: {r}"
        );
    }
    let st = s.wait_indexed();
    assert_eq!(st["documents"], 300);
    assert_eq!(s.shutdown(), Some(0));
}

/// Rapid edits with requests in between (push diagnostics): every request is
/// answered, every published diagnostic lies inside the text of the version it
/// names, and the last one published names the last version.
#[test]
fn diagnostics_follow_the_latest_version_under_rapid_edits() {
    let dir = corpus(&[("other.txt", ARTICLE_EN)]);
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let path = dir.path().join("live.txt");
    let mut text = String::from("Titre\n\n");
    let u = s.open(&path, &text);
    let mut versions = vec![text.clone()];
    let mut ids = Vec::new();
    let lines_added = [
        "« Une citation sans auteur », lit-on.\n",
        "Le président Emmanuel Macron a parlé à Berlin.\n",
        "\"A quote nobody said,\" the text goes on.\n",
        "😀 Ünïcödé « ligne » 😀\n",
    ];
    for v in 2..=300i64 {
        let add = lines_added[(v as usize) % lines_added.len()];
        let line = text.matches('\n').count() as u32;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [
                {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": add}]}),
        );
        text.push_str(add);
        versions.push(text.clone());
        if v % 10 == 0 {
            ids.push(s.send_request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": u}}),
            ));
            ids.push(s.send_request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": u}}),
            ));
        }
    }
    for id in ids {
        let r = s.response(id);
        assert!(r.get("error").is_none(), "{r}");
    }
    let last = s.diagnostics(&u, Some(300));
    assert_eq!(last["version"], 300);
    // Every diagnostic published meanwhile fits the text of its own version.
    let mut published = vec![last];
    while let Some(m) = s.wait_for(
        |m| m["method"] == "textDocument/publishDiagnostics",
        Duration::from_millis(300),
    ) {
        published.push(m["params"].clone());
    }
    for p in &published {
        if p["uri"] != json!(u) {
            continue;
        }
        let v = p["version"].as_i64().expect("version") as usize;
        let t = &versions[v - 1];
        let lines: Vec<&str> = t.split('\n').collect();
        for d in p["diagnostics"].as_array().into_iter().flatten() {
            for end in ["start", "end"] {
                let l = d["range"][end]["line"].as_u64().unwrap_or(u64::MAX) as usize;
                let c = d["range"][end]["character"].as_u64().unwrap_or(0) as usize;
                let line = lines
                    .get(l)
                    .unwrap_or_else(|| panic!("v{v}: line {l} of {d}"));
                assert!(c <= line.encode_utf16().count(), "v{v}: {d}");
            }
        }
        assert!(v <= 300);
    }
    // Nothing newer than 300 exists, and nothing older arrives after it.
    assert_eq!(s.shutdown(), Some(0));
}

/// The client removes one workspace folder and adds another
/// (`workspace/didChangeWorkspaceFolders`, announced in the capabilities):
/// the removed folder's articles leave the corpus, the added folder's are
/// indexed, and symbols follow.
#[test]
fn workspace_folders_added_and_removed_by_the_client() {
    let a = corpus(&[
        (
            "a1.txt",
            "Minsk durcit le ton\n\nAlexandre Loukachenko a parlé lundi.\n",
        ),
        (
            "a2.txt",
            "Varsovie répond\n\nAndrzej Duda a répondu mardi.\n",
        ),
    ]);
    let b = corpus(&[("b1.txt", "Kiev se prépare\n\nVolodymyr Zelensky a parlé.\n")]);
    let (mut s, init) = Server::start(a.path(), json!({}));
    assert_eq!(
        init["result"]["capabilities"]["workspace"]["workspaceFolders"]["changeNotifications"],
        json!(true),
        "{init}"
    );
    assert_eq!(s.wait_indexed()["documents"], json!(2));
    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {
            "added": [{"uri": uri(b.path()), "name": "b"}],
            "removed": [{"uri": uri(a.path()), "name": "corpus"}],
        }}),
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let st = s.wait_indexed();
        if st["documents"] == json!(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "folders never changed: {st}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let titles = |s: &mut Server, q: &str| -> Vec<String> {
        s.call("workspace/symbol", json!({"query": q}))
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(titles(&mut s, "Kiev")
        .iter()
        .any(|t| t == "Kiev se prépare"));
    assert!(
        titles(&mut s, "Minsk").is_empty(),
        "{:?}",
        titles(&mut s, "Minsk")
    );
    assert!(titles(&mut s, "Zelensky")
        .iter()
        .any(|t| t.contains("Zelensky")));
    assert!(titles(&mut s, "Loukachenko").is_empty());
    assert_eq!(s.shutdown(), Some(0));
}
