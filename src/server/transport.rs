//! The stdio transport around tower-lsp-server's: frames are read and checked
//! here first, so that malformed input (bad JSON, a message that is not
//! JSON-RPC, a missing or wrong `Content-Length`) is answered with the proper
//! JSON-RPC error while the server keeps serving — tower-lsp-server's own
//! decoder ends the session at the first decoding error. All output goes
//! through one writer (a thread for stdout), one whole frame at a time;
//! responses carrying a staged placeholder get their large result spliced in
//! on the way (see `raw.rs`).

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

use super::raw::{RawOutput, Splices};

/// Largest message accepted (bigger ones are answered with an error and skipped).
pub const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Longest header line accepted (longer ones are skipped and reported).
pub const MAX_HEADER_LINE: usize = 8 * 1024;

/// Capacity of the in-memory pipes between the transport and tower-lsp-server.
const PIPE: usize = 1 << 20;

/// Wires stdin/stdout to the server: returns the (reader, writer) pair to hand
/// to `tower_lsp_server::Server::new`, the server's [`RawOutput`], and the
/// stdout writer (see [`StdoutWriter::finish`]).
pub fn stdio() -> (
    impl AsyncRead + Unpin,
    impl AsyncWrite + Unpin,
    RawOutput,
    StdoutWriter,
) {
    let (frames_tx, frames_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = StdoutWriter::spawn(frames_rx);
    let (input, output, raw) = wire_frames(ThreadStdin::spawn(), frames_tx);
    (input, output, raw, writer)
}

/// The thread that writes frames to standard output: a frame of megabytes
/// goes out in one `write_all`, without tokio's 2 MB staging copies.
pub struct StdoutWriter {
    done: std::sync::mpsc::Receiver<()>,
}

impl StdoutWriter {
    fn spawn(mut frames: mpsc::UnboundedReceiver<Vec<u8>>) -> Self {
        let (done_tx, done) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("news-ls-stdout".to_string())
            .spawn(move || {
                use std::io::Write;
                let mut ok = true;
                while let Some(f) = frames.blocking_recv() {
                    if ok {
                        let mut out = std::io::stdout().lock();
                        // The client is gone: keep draining so producers never block.
                        ok = out.write_all(&f).is_ok() && out.flush().is_ok();
                    }
                }
                let _ = done_tx.send(());
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the standard output thread: {e}");
        }
        StdoutWriter { done }
    }

    /// Waits (at most `limit`) until every queued frame is written, once
    /// every producer is gone (the runtime shut down).
    pub fn finish(self, limit: std::time::Duration) {
        let _ = self.done.recv_timeout(limit);
    }
}

/// Standard input read by a dedicated thread (as tokio's documentation
/// advises for interactive input) and handed over in chunks. tokio's own
/// `Stdin` runs each read as a blocking task; when the runtime shut down at
/// `exit` with such a read pending, polling it again panicked inside tokio
/// ("JoinHandle polled after completion"). The thread blocks in `read` until
/// the process ends.
struct ThreadStdin {
    chunks: mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
}

impl ThreadStdin {
    fn spawn() -> Self {
        let (tx, chunks) = mpsc::channel::<Vec<u8>>(16);
        let spawned = std::thread::Builder::new()
            .name("news-ls-stdin".to_string())
            .spawn(move || {
                use std::io::Read;
                let mut stdin = std::io::stdin().lock();
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match stdin.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx
                                .blocking_send(buf.get(..n).unwrap_or(&[]).to_vec())
                                .is_err()
                            {
                                break;
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => {
                            tracing::warn!("reading standard input: {e}");
                            break;
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            // Without a reader the input is at its end: the session ends cleanly.
            tracing::error!("cannot start the standard input thread: {e}");
        }
        ThreadStdin {
            chunks,
            current: Vec::new(),
            at: 0,
        }
    }
}

impl AsyncRead for ThreadStdin {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::task::Poll;
        loop {
            let this = &mut *self;
            if let Some(rest) = this.current.get(this.at..).filter(|r| !r.is_empty()) {
                let n = rest.len().min(buf.remaining());
                buf.put_slice(rest.get(..n).unwrap_or(&[]));
                this.at += n;
                return Poll::Ready(Ok(()));
            }
            match this.chunks.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    this.current = chunk;
                    this.at = 0;
                }
                // The thread ended: end of input.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Same, over any byte streams (tests use in-memory pipes).
pub fn wire<I, O>(
    input: I,
    output: O,
) -> (impl AsyncRead + Unpin, impl AsyncWrite + Unpin, RawOutput)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (frames_tx, frames_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(write_frames(output, frames_rx));
    wire_frames(input, frames_tx)
}

/// The input filter and the output forwarder around tower-lsp-server, with
/// every outgoing frame sent to `frames`.
fn wire_frames<I>(
    input: I,
    frames_tx: mpsc::UnboundedSender<Vec<u8>>,
) -> (impl AsyncRead + Unpin, impl AsyncWrite + Unpin, RawOutput)
where
    I: AsyncRead + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(PIPE);
    let (server_out, from_server) = tokio::io::duplex(PIPE);
    let splices = std::sync::Arc::new(Splices::default());
    let raw = RawOutput::new(frames_tx.clone(), splices.clone());
    tokio::spawn(forward_server_output(
        from_server,
        frames_tx.clone(),
        splices,
    ));
    tokio::spawn(filter_input(input, to_server, frames_tx));
    (server_in, server_out, raw)
}

/// A body with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    super::raw::frame_of(&[body])
}

fn error_frame(id: Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    frame(body.to_string().as_bytes())
}

/// The only writer of the real output.
async fn write_frames<O: AsyncWrite + Unpin>(mut out: O, mut rx: mpsc::UnboundedReceiver<Vec<u8>>) {
    while let Some(f) = rx.recv().await {
        if out.write_all(&f).await.is_err() || out.flush().await.is_err() {
            // The client is gone: keep draining so producers never block.
            while rx.recv().await.is_some() {}
            return;
        }
    }
}

/// Reads the server's framed output and forwards whole frames, splicing
/// staged results into their placeholder responses.
async fn forward_server_output<R: AsyncRead + Unpin>(
    from_server: R,
    tx: mpsc::UnboundedSender<Vec<u8>>,
    splices: std::sync::Arc<Splices>,
) {
    let mut reader = BufReader::with_capacity(PIPE, from_server);
    loop {
        match read_frame(&mut reader).await {
            Frame::Body(body) => {
                let out = splices.splice(&body).unwrap_or_else(|| frame(&body));
                if tx.send(out).is_err() {
                    return;
                }
            }
            Frame::Eof => return,
            Frame::Bad(_) => continue,
        }
    }
}

/// One frame read from a byte stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message body.
    Body(Vec<u8>),
    /// Headers that cannot be used (the message, if any, is skipped).
    Bad(String),
    /// The stream ended.
    Eof,
}

/// Reads one header line of at most [`MAX_HEADER_LINE`] bytes into `line`.
/// A longer line is skipped up to its end and reported as `Ok(true)`.
async fn read_header_line<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
    line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    let n = (&mut *r)
        .take(MAX_HEADER_LINE as u64)
        .read_until(b'\n', line)
        .await?;
    if n < MAX_HEADER_LINE || line.last() == Some(&b'\n') {
        return Ok(false);
    }
    // Overlong: drop the rest of the line without buffering it.
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(true);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                return Ok(true);
            }
            None => {
                let len = buf.len();
                r.consume(len);
            }
        }
    }
}

/// The value of a `Content-Length` header found in a line, also when junk
/// (the tail of a message whose announced length was too short) precedes it.
fn content_length_in(line: &str) -> Option<&str> {
    let lower = line.to_ascii_lowercase();
    let at = lower.rfind("content-length:")?;
    line.get(at + "content-length:".len()..).map(str::trim)
}

/// Reads headers up to the blank line, then the body. Memory stays bounded by
/// what the peer actually sends: header lines are capped, and the body buffer
/// grows with the bytes received, not with the announced length.
pub async fn read_frame<R: AsyncBufReadExt + Unpin>(r: &mut R) -> Frame {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        let overlong = match read_header_line(r, &mut line).await {
            Ok(o) => o,
            Err(e) => return Frame::Bad(format!("cannot read input: {e}")),
        };
        if line.is_empty() {
            return Frame::Eof;
        }
        if overlong {
            saw_any = true;
            bad_header = Some(format!("header line longer than {MAX_HEADER_LINE} bytes"));
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_any {
                break;
            }
            continue; // stray blank line between messages
        }
        saw_any = true;
        if let Some(value) = content_length_in(text) {
            match value.parse::<usize>() {
                Ok(n) => {
                    length = Some(n);
                    // Junk before the header belonged to an earlier message.
                    bad_header = None;
                }
                Err(_) => bad_header = Some(format!("invalid Content-Length `{value}`")),
            }
        } else if !text.contains(':') {
            bad_header = Some(format!(
                "malformed header line `{}`",
                text.chars().take(60).collect::<String>()
            ));
        }
    }
    if let Some(e) = bad_header {
        return Frame::Bad(e);
    }
    let Some(n) = length else {
        return Frame::Bad("missing Content-Length header".to_string());
    };
    if n > MAX_MESSAGE {
        // Skip the body without buffering it.
        let mut limited = r.take(n as u64);
        let _ = tokio::io::copy(&mut limited, &mut tokio::io::sink()).await;
        return Frame::Bad(format!(
            "message of {n} bytes exceeds the {MAX_MESSAGE}-byte limit"
        ));
    }
    let mut body = Vec::with_capacity(n.min(1 << 16));
    match (&mut *r).take(n as u64).read_to_end(&mut body).await {
        Ok(got) if got == n => Frame::Body(body),
        _ => Frame::Eof,
    }
}

/// What the input filter does with one frame (see [`check_stream`]).
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Passed to the server unchanged.
    Forward(Vec<u8>),
    /// Answered here with this JSON-RPC error (id, code, message).
    Reject(Value, i64, String),
}

/// Runs the input filter over a whole byte stream, synchronously: what would
/// reach the server and what would be answered. For tests and fuzzing.
pub fn check_stream(input: &[u8]) -> Vec<Outcome> {
    futures::executor::block_on(async {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader).await {
                Frame::Eof => return out,
                Frame::Bad(msg) => out.push(Outcome::Reject(
                    Value::Null,
                    -32700,
                    format!("Parse error: {msg}"),
                )),
                Frame::Body(body) => match check(&body) {
                    Ok(()) => out.push(Outcome::Forward(body)),
                    Err((id, code, msg)) => out.push(Outcome::Reject(id, code, msg)),
                },
            }
        }
    })
}

/// Checks each incoming frame; valid JSON-RPC goes to the server, anything
/// else is answered here.
async fn filter_input<I, W>(input: I, mut to_server: W, errors: mpsc::UnboundedSender<Vec<u8>>)
where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    loop {
        match read_frame(&mut reader).await {
            Frame::Eof => break,
            Frame::Bad(msg) => {
                tracing::warn!("bad message frame: {msg}");
                let _ = errors.send(error_frame(
                    Value::Null,
                    -32700,
                    &format!("Parse error: {msg}"),
                ));
            }
            Frame::Body(body) => match check(&body) {
                Ok(()) => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        break;
                    }
                }
                Err((id, code, msg)) => {
                    tracing::warn!("rejected message: {msg}");
                    let _ = errors.send(error_frame(id, code, &msg));
                }
            },
        }
    }
    let _ = to_server.shutdown().await;
}

/// Whether a body is a JSON-RPC request, notification or response that the
/// server can decode; else the error to answer with.
pub fn check(body: &[u8]) -> Result<(), (Value, i64, String)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| (Value::Null, -32700, format!("Parse error: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    if let Some(method) = value.get("method").and_then(Value::as_str) {
        // tower-lsp-server drops `$/` requests it does not know without an
        // answer; LSP says they must get MethodNotFound.
        if method.starts_with("$/") && value.get("id").is_some() {
            return Err((id, -32601, format!("Method not found: {method}")));
        }
    }
    if value.get("method").is_some() {
        serde_json::from_value::<Request>(value)
            .map(|_| ())
            .map_err(|e| (id, -32600, format!("Invalid Request: {e}")))
    } else if value.get("result").is_some() || value.get("error").is_some() {
        serde_json::from_value::<Response>(value)
            .map(|_| ())
            .map_err(|e| (id, -32600, format!("Invalid Request: {e}")))
    } else {
        Err((
            id,
            -32600,
            "Invalid Request: neither a request nor a response".to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_message_shapes() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","method":"x","params":{}}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        assert!(
            check(br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#).is_ok()
        );
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","id":3,"method":"$/custom"}"#).map_err(|e| (e.0, e.1)),
            Err((json!(3), -32601))
        );
        assert_eq!(check(b"{not json").map_err(|e| e.1), Err(-32700));
        assert_eq!(check(br#"{"foo":1}"#).map_err(|e| e.1), Err(-32600));
        assert_eq!(
            check(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#).map_err(|e| (e.0, e.1)),
            Err((json!(7), -32600))
        );
    }

    #[tokio::test]
    async fn frames_are_read_and_bad_headers_reported() {
        let input: &[u8] =
            b"Content-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Length: 1\r\n\r\n1";
        let mut r = BufReader::new(input);
        assert!(matches!(read_frame(&mut r).await, Frame::Body(b) if b == b"{}"));
        assert!(matches!(read_frame(&mut r).await, Frame::Bad(_)));
        assert!(matches!(read_frame(&mut r).await, Frame::Body(b) if b == b"1"));
        assert!(matches!(read_frame(&mut r).await, Frame::Eof));
    }

    #[test]
    fn overlong_header_lines_are_skipped_without_buffering() {
        let mut input = vec![b'x'; MAX_HEADER_LINE * 3];
        input.extend_from_slice(b"\r\n\r\n");
        input.extend_from_slice(&frame(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#));
        let out = check_stream(&input);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(&out[0], Outcome::Reject(_, -32700, m) if m.contains("longer than")));
        assert!(matches!(&out[1], Outcome::Forward(_)));
    }

    #[test]
    fn a_too_short_content_length_resynchronises_on_the_next_header() {
        let good = br#"{"jsonrpc":"2.0","id":2,"method":"y"}"#;
        let mut input = b"Content-Length: 5\r\n\r\n".to_vec();
        input.extend_from_slice(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#);
        input.extend_from_slice(&frame(good));
        let out = check_stream(&input);
        assert!(matches!(&out[0], Outcome::Reject(_, -32700, _)), "{out:?}");
        assert_eq!(out.last(), Some(&Outcome::Forward(good.to_vec())));
    }

    #[test]
    fn an_announced_length_longer_than_the_stream_ends_it() {
        let out = check_stream(b"Content-Length: 100000000\r\n\r\n{}");
        assert!(out.is_empty(), "{out:?}");
        let out = check_stream(b"Content-Length: 999999999999\r\n\r\n{}");
        assert!(matches!(&out[0], Outcome::Reject(_, -32700, m) if m.contains("exceeds")));
    }
}
