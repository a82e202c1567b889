//! Integration-test harness: starts the real `news-ls` binary and speaks
//! JSON-RPC to it over stdio (Content-Length framing), like an editor does.
//! Server-to-client requests (configuration, registrations, progress tokens)
//! are answered automatically.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_news-ls")
}

pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// `file://` URI of a path (percent-encoding spaces and non-ASCII).
pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().as_bytes() {
        match *b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*b as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub fn write_frame(w: &mut impl Write, msg: &Value) {
    let body = serde_json::to_vec(msg).expect("serialise");
    write!(w, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
    w.write_all(&body).expect("write body");
    w.flush().expect("flush");
}

/// Reads one framed message; `None` at end of stream.
pub fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
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
    serde_json::from_slice(&body).ok()
}

pub struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    rx: Receiver<Value>,
    /// Messages received but not yet consumed (notifications, responses).
    inbox: VecDeque<Value>,
    next_id: i64,
    pub settings: Arc<Mutex<Value>>,
}

impl Server {
    /// Starts the binary (`news-ls serve`) in `cwd`.
    pub fn spawn(cwd: &Path) -> Server {
        Self::spawn_with(cwd, &["serve"])
    }

    pub fn spawn_with(cwd: &Path, args: &[&str]) -> Server {
        Self::spawn_program(bin(), args, cwd)
    }

    /// Starts any program speaking LSP on stdio (e.g. the binary under a tracer).
    pub fn spawn_program(program: &str, args: &[&str], cwd: &Path) -> Server {
        Self::spawn_program_env(program, args, cwd, &[])
    }

    /// Starts the binary (`news-ls serve`) with extra environment variables.
    pub fn spawn_env(cwd: &Path, env: &[(&str, &str)]) -> Server {
        Self::spawn_program_env(bin(), &["serve"], cwd, env)
    }

    /// [`Server::spawn_program`] with extra environment variables.
    pub fn spawn_program_env(
        program: &str,
        args: &[&str],
        cwd: &Path,
        env: &[(&str, &str)],
    ) -> Server {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env("NEWS_LS_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start news-ls");
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let settings = Arc::new(Mutex::new(Value::Null));
        let (tx, rx) = mpsc::channel();
        let reply_to = stdin.clone();
        let reply_settings = settings.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut reader) {
                // Answer server-to-client requests so the server never waits.
                if msg.get("id").is_some() && msg.get("method").is_some() {
                    let result = match msg["method"].as_str() {
                        Some("workspace/configuration") => {
                            let n = msg["params"]["items"].as_array().map_or(1, |a| a.len());
                            let s = reply_settings
                                .lock()
                                .map(|s| s.clone())
                                .unwrap_or(Value::Null);
                            Value::Array(vec![s; n])
                        }
                        _ => Value::Null,
                    };
                    if let Ok(mut w) = reply_to.lock() {
                        write_frame(
                            &mut *w,
                            &json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}),
                        );
                    }
                }
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            inbox: VecDeque::new(),
            next_id: 0,
            settings,
        }
    }

    /// Starts a server and initializes it on `root` with extra client capabilities.
    pub fn start(root: &Path, capabilities: Value) -> (Server, Value) {
        let mut s = Server::spawn(root);
        let init = s.initialize(root, capabilities);
        (s, init)
    }

    /// Starts a server with `initializationOptions`.
    pub fn start_with_options(root: &Path, capabilities: Value, options: Value) -> (Server, Value) {
        let mut s = Server::spawn(root);
        let init = s.initialize_with(root, capabilities, options);
        (s, init)
    }

    pub fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        self.initialize_with(root, capabilities, Value::Null)
    }

    pub fn initialize_with(&mut self, root: &Path, capabilities: Value, options: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "corpus"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut w = self.stdin.lock().expect("stdin lock");
        w.write_all(bytes).expect("write");
        w.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut w = self.stdin.lock().expect("stdin lock");
        write_frame(
            &mut *w,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        );
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let mut w = self.stdin.lock().expect("stdin lock");
        write_frame(
            &mut *w,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The `result` of a request; panics on an error response.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    pub fn response(&mut self, id: i64) -> Value {
        let is_resp = |m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none();
        self.wait_for(is_resp, TIMEOUT)
            .unwrap_or_else(|| panic!("no response to request {id}"))
    }

    /// Waits for the first message matching `pred` (looking at unconsumed
    /// messages first), consuming it.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool, timeout: Duration) -> Option<Value> {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.rx.recv_timeout(left) {
                Ok(m) if pred(&m) => return Some(m),
                Ok(m) => self.inbox.push_back(m),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            }
        }
    }

    /// Forgets every message received so far and not consumed.
    pub fn forget_received(&mut self) {
        self.inbox.clear();
    }

    /// Opens a document with its text.
    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "plaintext", "version": 1, "text": text}}),
        );
        u
    }

    /// Waits for the diagnostics of `uri` (optionally of a given version).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let u = uri.to_string();
        let msg = self
            .wait_for(
                |m| {
                    m["method"] == "textDocument/publishDiagnostics"
                        && m["params"]["uri"] == json!(u)
                        && version.is_none_or(|v| m["params"]["version"] == json!(v))
                },
                TIMEOUT,
            )
            .unwrap_or_else(|| panic!("no diagnostics for {uri} (version {version:?})"));
        msg["params"].clone()
    }

    /// Waits until the workspace is indexed, quotations included (they are
    /// found in the background after the entities are linked).
    pub fn wait_indexed(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let status = self.call("news-ls/status", Value::Null);
            if status["indexing"] == json!(false) && status["quotationsPending"] == json!(0) {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "indexing never finished: {status}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to end by itself; its exit code (`None`: still
    /// running after `timeout`, or killed by a signal).
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `shutdown` then `exit`; returns the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Copies the seed articles into a fresh temporary folder.
pub fn seed_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(seeds_dir()).expect("seeds") {
        let p = entry.expect("entry").path();
        if let Some(name) = p.file_name() {
            std::fs::copy(&p, dir.path().join(name)).expect("copy seed");
        }
    }
    dir
}

/// A temporary corpus from (relative path, text) pairs.
pub fn corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, text) in files {
        let full = dir.path().join(p);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, text).expect("write");
    }
    dir
}
