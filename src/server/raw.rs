//! Large results written straight to JSON bytes, past tower-lsp-server's
//! `serde_json::Value` round trip.
//!
//! tower-lsp-server turns every result into a `serde_json::Value` (a BTreeMap
//! per object) before writing it: for the 58,000 locations of a frequent
//! entity that conversion, the serialisation of the tree and its drop took
//! two thirds of the server's time. Handlers of large results (references,
//! rename) therefore write their result as JSON bytes themselves and hand
//! them to [`RawOutput::stage`], which keeps them under a fresh marker and
//! returns a tiny placeholder result carrying that marker (a location or a
//! workspace edit whose URI is `news-ls-splice:<nonce>-<n>`). The handler
//! returns the placeholder through tower-lsp-server as usual, so request ids,
//! cancellation (`$/cancelRequest`), errors and the initialisation state
//! stay tower-lsp-server's. The transport (see `transport.rs`), which sees
//! every outgoing frame, recognises the placeholder response and writes the
//! staged bytes in place of its `result` ([`Splices::splice`]):
//!
//! - a marker is used once and only by the response that carries exactly the
//!   placeholder value staged with it, so concurrent requests never mix
//!   (their markers differ) and the id, number or string, is copied as is;
//! - the nonce is random per process, so a client cannot forge a marker (a
//!   document named `news-ls-splice:…` stays an ordinary URI);
//! - bytes are staged only after the handler's work is done, just before it
//!   returns, so a cancelled request stages nothing; a staged entry whose
//!   response never came (the session ended) is dropped after
//!   [`STALE_AFTER`].
//!
//! The same handle also writes `$/progress` notifications carrying partial
//! results ([`RawOutput::progress`]) straight to the output queue, ahead of
//! the request's final response, which is queued only after the handler
//! returns.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{ProgressToken, Range, Uri};

/// URI scheme of placeholder markers.
const SCHEME: &str = "news-ls-splice";

/// A staged result whose response has not come after this long is dropped.
pub const STALE_AFTER: Duration = Duration::from_secs(300);

/// A staged result: the placeholder value its response must carry, and the
/// JSON bytes to write instead.
struct Staged {
    placeholder: Value,
    json: Vec<u8>,
    at: Instant,
}

/// The results staged for splicing, shared by the handlers and the transport.
pub struct Splices {
    /// `news-ls-splice:<nonce>-`, the prefix of every marker of this process.
    prefix: String,
    /// Finds `prefix` in a frame.
    finder: Option<aho_corasick::AhoCorasick>,
    next: AtomicU64,
    pending: AtomicUsize,
    staged: Mutex<HashMap<u64, Staged>>,
}

impl Default for Splices {
    fn default() -> Self {
        Splices::with_nonce(random_nonce())
    }
}

/// 64 random bits from the standard library's per-process hash keys.
fn random_nonce() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.write_u32(std::process::id());
    h.finish()
}

impl Splices {
    fn with_nonce(nonce: u64) -> Self {
        let prefix = format!("{SCHEME}:{nonce:016x}-");
        Splices {
            finder: aho_corasick::AhoCorasick::new([&prefix]).ok(),
            prefix,
            next: AtomicU64::new(1),
            pending: AtomicUsize::new(0),
            staged: Mutex::new(HashMap::new()),
        }
    }

    /// Number of results waiting for their response.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }

    fn stage<T: Serialize>(
        &self,
        json: Vec<u8>,
        make: impl FnOnce(Uri) -> T,
    ) -> Result<T, Vec<u8>> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let Ok(marker) = format!("{}{n}", self.prefix).parse::<Uri>() else {
            return Err(json);
        };
        let placeholder = make(marker);
        let Ok(value) = serde_json::to_value(&placeholder) else {
            return Err(json);
        };
        let Ok(mut staged) = self.staged.lock() else {
            return Err(json);
        };
        let now = Instant::now();
        staged.retain(|_, s| now.duration_since(s.at) < STALE_AFTER);
        staged.insert(
            n,
            Staged {
                placeholder: value,
                json,
                at: now,
            },
        );
        self.pending.store(staged.len(), Ordering::Release);
        Ok(placeholder)
    }

    /// The frame (headers included) to write instead of a response body
    /// that carries a staged placeholder; `None` for every other body.
    pub fn splice(&self, body: &[u8]) -> Option<Vec<u8>> {
        if self.pending() == 0 {
            return None;
        }
        // Any frame may carry a placeholder (a request id can be long).
        let prefix = self.prefix.as_bytes();
        let at = match &self.finder {
            Some(f) => f.find(body)?.start(),
            None => body.windows(prefix.len()).position(|w| w == prefix)?,
        };
        let digits: Vec<u8> = body
            .get(at + prefix.len()..)?
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .take(20)
            .collect();
        let n: u64 = std::str::from_utf8(&digits).ok()?.parse().ok()?;
        let msg: Value = serde_json::from_slice(body).ok()?;
        let obj = msg.as_object()?;
        if obj.contains_key("method") || obj.contains_key("error") {
            return None;
        }
        let id = obj.get("id")?;
        let result = obj.get("result")?;
        let mut staged = self.staged.lock().ok()?;
        if staged.get(&n)?.placeholder != *result {
            return None;
        }
        let entry = staged.remove(&n)?;
        self.pending.store(staged.len(), Ordering::Release);
        drop(staged);
        let id = serde_json::to_vec(id).ok()?;
        let mut head = br#"{"jsonrpc":"2.0","id":"#.to_vec();
        head.extend_from_slice(&id);
        head.extend_from_slice(br#","result":"#);
        Some(frame_in_place(&head, entry.json))
    }
}

/// Spaces a large result's JSON starts with ([`LocationsJson`] writes
/// them), so that its response frame is written in place: the header and
/// the response's head go into them, the rest stay spaces (whitespace
/// before a JSON value), and megabytes of result are not copied.
pub const FRAME_ROOM: usize = 96;

/// The frame of a response whose body is `head`, `json` and `}`: written
/// in `json`'s leading spaces when they hold the header and `head`, else
/// copied into a new frame.
fn frame_in_place(head: &[u8], mut json: Vec<u8>) -> Vec<u8> {
    let room = json.iter().take_while(|&&b| b == b' ').count();
    const FIXED: usize = "Content-Length: \r\n\r\n".len();
    // The body is what follows the header: the length's digits decide
    // where the header ends, hence the body's length.
    let body_len = (1..=20).find_map(|digits| {
        let body_len = (json.len() + 1).checked_sub(FIXED + digits)?;
        (body_len.to_string().len() == digits).then_some(body_len)
    });
    let header = body_len.map(|len| format!("Content-Length: {len}\r\n\r\n"));
    match header {
        Some(header) if header.len() + head.len() <= room => {
            let (at_header, rest) = json.split_at_mut(header.len());
            at_header.copy_from_slice(header.as_bytes());
            if let Some(at_head) = rest.get_mut(..head.len()) {
                at_head.copy_from_slice(head);
            }
            json.push(b'}');
            json
        }
        _ => frame_of(&[head, &json, b"}"]),
    }
}

/// A frame (`Content-Length` header and body) from the body's parts, in one
/// allocation.
pub fn frame_of(parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let header = format!("Content-Length: {len}\r\n\r\n");
    let mut out = Vec::with_capacity(header.len() + len);
    out.extend_from_slice(header.as_bytes());
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// The server's handle on the output: staging of large results, and frames
/// written ahead of tower-lsp-server (partial results).
#[derive(Clone)]
pub struct RawOutput {
    frames: mpsc::UnboundedSender<Vec<u8>>,
    splices: Arc<Splices>,
}

impl RawOutput {
    pub fn new(frames: mpsc::UnboundedSender<Vec<u8>>, splices: Arc<Splices>) -> Self {
        RawOutput { frames, splices }
    }

    /// Stages a result's JSON bytes and returns the placeholder to answer
    /// with (`make` builds it around the marker URI). The bytes come back
    /// only if the placeholder cannot be built, which does not happen.
    pub fn stage<T: Serialize>(
        &self,
        json: Vec<u8>,
        make: impl FnOnce(Uri) -> T,
    ) -> Result<T, Vec<u8>> {
        self.splices.stage(json, make)
    }

    /// Writes a `$/progress` notification whose value is `value` (JSON
    /// bytes). Returns whether it was queued.
    pub fn progress(&self, token: &ProgressToken, value: &[u8]) -> bool {
        let Ok(token) = serde_json::to_vec(token) else {
            return false;
        };
        let frame = frame_of(&[
            br#"{"jsonrpc":"2.0","method":"$/progress","params":{"token":"#,
            &token,
            br#","value":"#,
            value,
            b"}}",
        ]);
        self.frames.send(frame).is_ok()
    }
}

/// Appends a number in decimal.
pub fn push_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends a range as LSP JSON.
pub fn push_range(out: &mut Vec<u8>, r: &Range) {
    out.extend_from_slice(br#"{"start":{"line":"#);
    push_u32(out, r.start.line);
    out.extend_from_slice(br#","character":"#);
    push_u32(out, r.start.character);
    out.extend_from_slice(br#"},"end":{"line":"#);
    push_u32(out, r.end.line);
    out.extend_from_slice(br#","character":"#);
    push_u32(out, r.end.character);
    out.extend_from_slice(b"}}");
}

/// A string as a JSON string literal.
pub fn quoted(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

/// Appends a string as a JSON string literal.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Writes a JSON array of `Location`s, one document's ranges at a time.
#[derive(Debug)]
pub struct LocationsJson {
    /// The array so far, from its `[`.
    out: Vec<u8>,
    count: usize,
}

impl Default for LocationsJson {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl LocationsJson {
    pub fn with_capacity(bytes: usize) -> Self {
        let mut out = Vec::with_capacity(FRAME_ROOM + bytes.max(64) + 2);
        out.resize(FRAME_ROOM, b' ');
        out.push(b'[');
        LocationsJson { out, count: 0 }
    }

    /// Appends the locations of `ranges` in the document `uri`.
    pub fn push_doc(&mut self, uri: &Uri, ranges: &[Range]) {
        if !ranges.is_empty() {
            self.push_doc_quoted(&quoted(uri.as_str()), ranges);
        }
    }

    /// [`LocationsJson::push_doc`] with the URI already written as a JSON
    /// string ([`quoted`]).
    pub fn push_doc_quoted(&mut self, quoted_uri: &[u8], ranges: &[Range]) {
        for r in ranges {
            if self.count > 0 {
                self.out.push(b',');
            }
            self.out.extend_from_slice(br#"{"uri":"#);
            self.out.extend_from_slice(quoted_uri);
            self.out.extend_from_slice(br#","range":"#);
            push_range(&mut self.out, r);
            self.out.push(b'}');
            self.count += 1;
        }
    }

    /// Appends the locations another writer holds, after this one's.
    pub fn append(&mut self, other: LocationsJson) {
        let Some(items) = other.out.get(FRAME_ROOM + 1..).filter(|_| other.count > 0) else {
            return;
        };
        if self.count > 0 {
            self.out.push(b',');
        }
        self.out.extend_from_slice(items);
        self.count += other.count;
    }

    /// Locations written so far.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The JSON array, after [`FRAME_ROOM`] spaces.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.push(b']');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tower_lsp_server::ls_types::{Location, NumberOrString, Position};

    fn body_of(frame: &[u8]) -> Value {
        let text = std::str::from_utf8(frame).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        serde_json::from_str(body).unwrap()
    }

    fn locations() -> Vec<Location> {
        let uri: Uri = "file:///tmp/a%20b/caf%C3%A9.txt".parse().unwrap();
        vec![
            Location::new(
                uri.clone(),
                Range::new(Position::new(0, 0), Position::new(0, 4_000_000_000)),
            ),
            Location::new(uri, Range::new(Position::new(12, 7), Position::new(13, 0))),
        ]
    }

    /// The frame written in a result's leading spaces is the frame that
    /// copying gives, whitespace aside: its `Content-Length` is its body's
    /// length and the body reads as the same response, for results whose
    /// length crosses a power of ten (where the header's length changes);
    /// the result is not copied when its spaces hold the header and head.
    #[test]
    fn frames_written_in_place_equal_copied_frames() {
        let head = br#"{"jsonrpc":"2.0","id":"request-7","result":"#;
        for total in (FRAME_ROOM + 2..FRAME_ROOM + 40)
            .chain(980..1030)
            .chain(9_980..10_030)
        {
            let mut json = vec![b' '; FRAME_ROOM];
            json.push(b'[');
            json.resize(total - 1, b' ');
            json.push(b']');
            json.reserve(1);
            let at = json.as_ptr();
            let copied = frame_of(&[head, &json, b"}"]);
            let framed = frame_in_place(head, json);
            let body = |frame: &[u8]| -> Value {
                let text = std::str::from_utf8(frame).unwrap();
                let (header, body) = text.split_once("\r\n\r\n").unwrap();
                assert_eq!(header, format!("Content-Length: {}", body.len()), "{total}");
                serde_json::from_str(body).unwrap()
            };
            assert_eq!(body(&framed), body(&copied), "{total}");
            assert_eq!(
                body(&framed),
                json!({"jsonrpc": "2.0", "id": "request-7", "result": []})
            );
            // Written in place, except where no header length fits: with a
            // 2-digit length the body would be 100 bytes, with 3 digits 99.
            let frame_len = total + 1;
            let some_header_fits = (1..=20usize).any(|digits| {
                let body = frame_len - "Content-Length: \r\n\r\n".len() - digits;
                body.to_string().len() == digits
            });
            let in_place = framed.as_ptr() == at;
            assert_eq!(in_place, some_header_fits, "{total}");
            assert!(
                in_place
                    || [100usize, 1000, 10_000]
                        .iter()
                        .any(|p| { (p - 2..=p + 2).contains(&(frame_len - 22)) }),
                "{total}"
            );
        }
        // Too little room (a long id): copied, still right.
        let long_head = format!(r#"{{"jsonrpc":"2.0","id":"{}","result":"#, "x".repeat(200));
        let mut json = vec![b' '; FRAME_ROOM];
        json.extend_from_slice(b"[]");
        let framed = frame_in_place(long_head.as_bytes(), json.clone());
        assert_eq!(framed, frame_of(&[long_head.as_bytes(), &json, b"}"]));
    }

    #[test]
    fn written_locations_equal_serde_s() {
        let locs = locations();
        let mut w = LocationsJson::default();
        let ranges: Vec<Range> = locs.iter().map(|l| l.range).collect();
        w.push_doc(&locs[0].uri, &ranges);
        assert_eq!(w.len(), 2);
        let ours: Value = serde_json::from_slice(&w.finish()).unwrap();
        assert_eq!(ours, serde_json::to_value(&locs).unwrap());
        let empty: Value = serde_json::from_slice(&LocationsJson::default().finish()).unwrap();
        assert_eq!(empty, json!([]));
        // Documents one after the other make one array.
        let mut w = LocationsJson::with_capacity(10);
        w.push_doc(&locs[0].uri, &ranges[..1]);
        w.push_doc(&locs[0].uri, &[]);
        w.push_doc(&locs[1].uri, &ranges[1..]);
        let ours: Value = serde_json::from_slice(&w.finish()).unwrap();
        assert_eq!(ours, serde_json::to_value(&locs).unwrap());
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 65_535, u32::MAX] {
            let mut out = Vec::new();
            push_u32(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    fn placeholder_response(id: Value, placeholder: &[Location]) -> Vec<u8> {
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "result": placeholder, "id": id})).unwrap()
    }

    #[test]
    fn a_placeholder_response_is_replaced_once_with_its_own_bytes() {
        let s = Splices::with_nonce(42);
        let a = s
            .stage(b"[1,2,3]".to_vec(), |u| {
                vec![Location::new(u, Range::default())]
            })
            .unwrap();
        let b = s
            .stage(b"\"b\"".to_vec(), |u| {
                vec![Location::new(u, Range::default())]
            })
            .unwrap();
        assert_ne!(a, b);
        assert_eq!(s.pending(), 2);
        // Answered in the other order, with a string and a number id.
        let out = s.splice(&placeholder_response(json!("x-1"), &b)).unwrap();
        assert_eq!(
            body_of(&out),
            json!({"jsonrpc": "2.0", "id": "x-1", "result": "b"})
        );
        let out = s.splice(&placeholder_response(json!(7), &a)).unwrap();
        assert_eq!(
            body_of(&out),
            json!({"jsonrpc": "2.0", "id": 7, "result": [1, 2, 3]})
        );
        assert_eq!(s.pending(), 0);
        // Used once.
        assert!(s.splice(&placeholder_response(json!(7), &a)).is_none());
        // A long id.
        let c = s
            .stage(b"[]".to_vec(), |u| vec![Location::new(u, Range::default())])
            .unwrap();
        let long = "i".repeat(100_000);
        let out = s.splice(&placeholder_response(json!(long), &c)).unwrap();
        assert_eq!(
            body_of(&out),
            json!({"jsonrpc": "2.0", "id": long, "result": []})
        );
    }

    #[test]
    fn only_the_exact_placeholder_of_a_live_marker_is_replaced() {
        let s = Splices::with_nonce(42);
        let a = s
            .stage(b"[]".to_vec(), |u| vec![Location::new(u, Range::default())])
            .unwrap();
        // The marker in another shape of result, in an error, in a request.
        let mut other = a.clone();
        other.push(other[0].clone());
        assert!(s.splice(&placeholder_response(json!(1), &other)).is_none());
        let marker = a[0].uri.as_str();
        let error = json!({"jsonrpc": "2.0", "id": 1, "error": {"code": 1, "message": marker}});
        assert!(s.splice(&serde_json::to_vec(&error).unwrap()).is_none());
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": "x", "result": a});
        assert!(s.splice(&serde_json::to_vec(&request).unwrap()).is_none());
        // Another process's nonce, or a marker never staged.
        let forged: Uri = "news-ls-splice:000000000000002b-99".parse().unwrap();
        let forged = vec![Location::new(forged, Range::default())];
        assert!(s.splice(&placeholder_response(json!(1), &forged)).is_none());
        let other_nonce = Splices::with_nonce(43);
        assert!(other_nonce
            .splice(&placeholder_response(json!(1), &a))
            .is_none());
        // Still there for its own response.
        assert!(s.splice(&placeholder_response(json!(1), &a)).is_some());
    }

    #[tokio::test]
    async fn progress_notifications_carry_the_token_and_the_value() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let raw = RawOutput::new(tx, Arc::new(Splices::default()));
        assert!(raw.progress(&NumberOrString::String("t\"1".into()), b"[1]"));
        assert!(raw.progress(&NumberOrString::Number(3), b"[]"));
        assert_eq!(
            body_of(&rx.recv().await.unwrap()),
            json!({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "t\"1", "value": [1]}})
        );
        assert_eq!(
            body_of(&rx.recv().await.unwrap())["params"]["token"],
            json!(3)
        );
    }
}
