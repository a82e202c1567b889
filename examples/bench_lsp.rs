//! End-to-end latency of the real binary over stdio on a generated corpus:
//! cold indexing, keystroke → publishDiagnostics, hover, references for the
//! most frequent entity (also streamed as partial results), workspace
//! symbol, rename preview.
//!
//! `cargo run --release --example bench_lsp -- [ARTICLES] [ROUNDS]`
//! (default 10000 articles, 30 rounds). Prints medians in milliseconds.
//! `BENCH_LSP_SERVER=/path/to/news-ls` measures that binary instead of the
//! one built beside the example (before/after pairs).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// When a message's first byte arrived and when its last byte was read
/// (before it is parsed): the server's part, then the server's and the
/// transfer's, apart from the client's own parsing.
#[derive(Clone, Copy)]
struct Arrival {
    first: Instant,
    last: Instant,
}

/// Reads one message, with its [`Arrival`].
fn read_frame(r: &mut impl BufRead) -> Option<(Arrival, Value)> {
    let mut len = None;
    let mut arrived = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        arrived.get_or_insert_with(Instant::now);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; len?];
    r.read_exact(&mut body).ok()?;
    let at = Arrival {
        first: arrived?,
        last: Instant::now(),
    };
    Some((at, serde_json::from_slice(&body).ok()?))
}

/// A `/proc/PID/status` figure in KiB (`VmRSS:`, `VmHWM:`).
fn proc_kib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Prints the server's resident memory and its peak so far.
fn print_memory(pid: u32, when: &str) {
    if let (Some(rss), Some(hwm)) = (proc_kib(pid, "VmRSS:"), proc_kib(pid, "VmHWM:")) {
        println!(
            "server memory {when}: {:.0} MB resident, {:.0} MB peak so far",
            rss / 1024.0,
            hwm / 1024.0
        );
    }
}

/// The CPU seconds a process has used so far, in user and in system mode.
fn cpu_seconds(pid: u32) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces, in parentheses):
    // utime and stime are the 12th and 13th, in clock ticks (100 a second).
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user / 100.0, system / 100.0))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

struct Client {
    stdin: std::process::ChildStdin,
    rx: mpsc::Receiver<(Arrival, Value)>,
    id: i64,
    /// When the last awaited message arrived.
    arrived: Arrival,
}

impl Client {
    fn send(&mut self, msg: Value) {
        let _ = self.stdin.write_all(&frame(&msg));
        let _ = self.stdin.flush();
    }
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }
    /// A request with a `partialResultToken`: times (ms from sending) to
    /// the first `$/progress` carrying that token and to the response, and
    /// the number of items received as partial results.
    fn partial_request(&mut self, method: &str, mut params: Value) -> (f64, f64, usize) {
        self.id += 1;
        let id = self.id;
        let token = format!("bench-partial-{id}");
        params["partialResultToken"] = json!(token);
        let t = Instant::now();
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let mut first = None;
        let mut items = 0;
        loop {
            match self.rx.recv_timeout(Duration::from_secs(600)) {
                Ok((at, m))
                    if m["method"] == "$/progress" && m["params"]["token"] == json!(token) =>
                {
                    first.get_or_insert(at.last.duration_since(t).as_secs_f64() * 1e3);
                    items += m["params"]["value"].as_array().map_or(0, |a| a.len());
                }
                Ok((_, m)) if m["id"] == json!(id) && m.get("method").is_none() => {
                    let done = t.elapsed().as_secs_f64() * 1e3;
                    items += m["result"].as_array().map_or(0, |a| a.len());
                    return (first.unwrap_or(done), done, items);
                }
                Ok(_) => {}
                Err(_) => {
                    eprintln!("bench_lsp: the server stopped answering");
                    std::process::exit(1);
                }
            }
        }
    }
    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.rx.recv_timeout(Duration::from_secs(600)) {
                Ok((at, m)) if pred(&m) => {
                    self.arrived = at;
                    return m;
                }
                Ok(_) => {}
                Err(_) => {
                    eprintln!("bench_lsp: the server stopped answering");
                    std::process::exit(1);
                }
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let dir = news_ls::synth::bench_dir(n);
    // `BENCH_LSP_SERVER` names another build to measure (for before/after
    // pairs); by default, the `news-ls` built beside this example.
    let exe = std::env::var_os("BENCH_LSP_SERVER")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent()?.parent().map(|d| d.join("news-ls")))
        });
    let Some(exe) = exe.filter(|p| p.exists()) else {
        eprintln!("bench_lsp: build the binary first (cargo build --release)");
        std::process::exit(2);
    };
    let mut child = match Command::new(&exe)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("NEWS_LS_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bench_lsp: cannot start {}: {e}", exe.display());
            std::process::exit(2);
        }
    };
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return;
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Some(m) = read_frame(&mut r) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    let mut c = Client {
        stdin,
        rx,
        id: 0,
        arrived: Arrival {
            first: Instant::now(),
            last: Instant::now(),
        },
    };
    let t0 = Instant::now();
    c.request("initialize", json!({"processId": null, "rootUri": uri(&dir), "workspaceFolders": [{"uri": uri(&dir), "name": "bench"}], "capabilities": {}}));
    c.notify("initialized", json!({}));
    loop {
        let s = c.request("news-ls/status", Value::Null);
        if s["result"]["indexing"] == json!(false) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let t_index = t0.elapsed().as_secs_f64();
    let cpu_index = cpu_seconds(child.id());
    // Warm the entity table.
    let t1 = Instant::now();
    let s = c.request("news-ls/status", Value::Null);
    let t_link = t1.elapsed().as_secs_f64();
    println!("articles: {n}  indexed in {t_index:.2} s (+{t_link:.2} s first entity query); entities: {}", s["result"]["entities"]);
    if let Some((user, system)) = cpu_index {
        println!(
            "server CPU while indexing: {:.2} s ({user:.2} user, {system:.2} system; {:.2} cores busy on average)",
            user + system,
            (user + system) / t_index.max(1e-9)
        );
    }
    // Quotations are found in the background after indexing.
    loop {
        let s = c.request("news-ls/status", Value::Null);
        if s["result"]["quotationsPending"].as_u64().unwrap_or(0) == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "quotations of every article found {:.2} s after the start (in the background)",
        t0.elapsed().as_secs_f64()
    );
    print_memory(child.id(), "once indexed");

    // A ~10 KB article, opened.
    let path = dir.join("bench-open.txt");
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 10_000 {
        text.push_str(&news_ls::synth::article(n + i, 3000).text);
        i += 1;
    }
    let _ = std::fs::write(&path, &text);
    let u = uri(&path);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "plaintext", "version": 1, "text": text}}),
    );
    let uu = u.clone();
    c.wait(move |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uu)
    });

    let mut keystroke = Vec::new();
    for v in 2..(2 + rounds as i64) {
        let t = Instant::now();
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "x"}]}));
        let uu = u.clone();
        c.wait(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uu)
                && m["params"]["version"] == json!(v)
        });
        keystroke.push(t.elapsed().as_secs_f64() * 1e3);
    }
    // Let the debounced background relink that follows the edits finish, so
    // that the requests below are timed on a settled corpus.
    let t2 = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let s = c.request("news-ls/status", Value::Null);
        if s["result"]["relinkPending"] != json!(true) {
            break;
        }
    }
    println!(
        "background relink after the edits settled in {:.2} s",
        t2.elapsed().as_secs_f64()
    );
    print_memory(child.id(), "after the edits and their relink");
    // The most frequent entity's first mention in the open article.
    let sym = c.request("workspace/symbol", json!({"query": ""}));
    let top = sym["result"][0].clone();
    let loc = top["location"].clone();
    // Medians of the full round trip (the client's JSON parsing included),
    // of the time until the response's first byte (the server's part) and
    // until its last byte (the server's and the transfer's).
    let mut first_bytes: Vec<(&'static str, f64)> = Vec::new();
    let mut last_bytes: Vec<(&'static str, f64)> = Vec::new();
    let mut timed = |c: &mut Client, method: &'static str, params: Value| -> f64 {
        let mut v = Vec::new();
        let mut first = Vec::new();
        let mut last = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            c.request(method, params.clone());
            v.push(t.elapsed().as_secs_f64() * 1e3);
            first.push(c.arrived.first.duration_since(t).as_secs_f64() * 1e3);
            last.push(c.arrived.last.duration_since(t).as_secs_f64() * 1e3);
        }
        first_bytes.push((method, median(first)));
        last_bytes.push((method, median(last)));
        median(v)
    };
    let pos = json!({"textDocument": {"uri": loc["uri"]}, "position": loc["range"]["start"]});
    let hover = timed(&mut c, "textDocument/hover", pos.clone());
    let mut refs_params = pos.clone();
    refs_params["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", refs_params.clone());
    let n_refs = refs["result"].as_array().map_or(0, |a| a.len());
    let references = timed(&mut c, "textDocument/references", refs_params.clone());
    // The same with a partialResultToken: locations streamed by `$/progress`.
    let (mut to_first, mut to_final, mut streamed) = (Vec::new(), Vec::new(), 0);
    for _ in 0..rounds {
        let (first, done, items) =
            c.partial_request("textDocument/references", refs_params.clone());
        to_first.push(first);
        to_final.push(done);
        streamed = items;
    }
    // A typical entity too: the most frequent one with at most 1,000 mentions.
    let typical = sym["result"].as_array().and_then(|all| {
        all.iter().find(|s| {
            s["containerName"]
                .as_str()
                .and_then(|c| c.split(" · ").nth(1))
                .and_then(|n| n.split_whitespace().next())
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n <= 1000)
        })
    });
    let typical_refs = typical.map(|t| {
        let mut p = json!({"textDocument": {"uri": t["location"]["uri"]},
            "position": t["location"]["range"]["start"]});
        p["context"] = json!({"includeDeclaration": true});
        let n = c.request("textDocument/references", p.clone())["result"]
            .as_array()
            .map_or(0, |a| a.len());
        (
            t["name"].clone(),
            n,
            timed(&mut c, "textDocument/references", p),
        )
    });
    let wsym = timed(&mut c, "workspace/symbol", json!({"query": "kov"}));
    let mut rename_params = pos.clone();
    rename_params["newName"] = json!("Renamed");
    let rename = timed(&mut c, "textDocument/rename", rename_params);
    println!(
        "most frequent entity: {} ({n_refs} references)",
        top["name"]
    );
    println!(
        "references with a partialResultToken ({streamed} locations streamed): median {:.2} ms to the first batch, {:.2} ms to the final response",
        median(to_first),
        median(to_final)
    );
    if let Some((name, n, ms)) = &typical_refs {
        println!("typical entity: {name} ({n} references): references median {ms:.2} ms");
    }
    println!("median ms over {rounds} rounds: keystroke→diagnostics {:.2} | hover {hover:.2} | references {references:.2} | workspace/symbol {wsym:.2} | rename preview {rename:.2}", median(keystroke));
    for (which, times) in [("first", &first_bytes), ("last", &last_bytes)] {
        let shown: Vec<String> = times
            .iter()
            .map(|(m, ms)| format!("{} {ms:.2}", m.rsplit('/').next().unwrap_or(m)))
            .collect();
        println!(
            "median ms to the response's {which} byte: {}",
            shown.join(" | ")
        );
    }
    if let Some(kib) = proc_kib(child.id(), "VmHWM:") {
        println!("server peak memory (VmHWM): {:.0} MB", kib / 1024.0);
    }
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let _ = child.wait();
}
