//! The stdio transport around tower-lsp-server's: frames are read and checked
//! here first, so that malformed input (bad JSON, a message that is not
//! JSON-RPC, a missing or wrong `Content-Length`) is answered with the proper
//! JSON-RPC error while the server keeps serving — tower-lsp-server's own
//! decoder ends the session at the first decoding error. All output goes
//! through one writer task, one whole frame at a time.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Largest message accepted (bigger ones are answered with an error and skipped).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Wires stdin/stdout to the server: returns the (reader, writer) pair to hand
/// to `tower_lsp_server::Server::new`.
pub fn stdio() -> (impl AsyncRead + Unpin, impl AsyncWrite + Unpin) {
    wire(tokio::io::stdin(), tokio::io::stdout())
}

/// Same, over any byte streams (tests use in-memory pipes).
pub fn wire<I, O>(input: I, output: O) -> (impl AsyncRead + Unpin, impl AsyncWrite + Unpin)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (frames_tx, frames_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(write_frames(output, frames_rx));
    tokio::spawn(forward_server_output(from_server, frames_tx.clone()));
    tokio::spawn(filter_input(input, to_server, frames_tx));
    (server_in, server_out)
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
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

/// Reads the server's framed output and forwards whole frames.
async fn forward_server_output<R: AsyncRead + Unpin>(
    from_server: R,
    tx: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut reader = BufReader::new(from_server);
    loop {
        match read_frame(&mut reader).await {
            Frame::Body(body) => {
                if tx.send(frame(&body)).is_err() {
                    return;
                }
            }
            Frame::Eof => return,
            Frame::Bad(_) => continue,
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    Bad(String),
    Eof,
}

/// Reads headers up to the blank line, then the body.
async fn read_frame<R: AsyncBufReadExt + Unpin>(r: &mut R) -> Frame {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        match r.read_until(b'\n', &mut line).await {
            Ok(0) => return Frame::Eof,
            Ok(_) => {}
            Err(e) => return Frame::Bad(format!("cannot read input: {e}")),
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
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        bad_header = Some(format!("invalid Content-Length `{}`", value.trim()))
                    }
                }
            }
        } else {
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
    let mut body = vec![0u8; n];
    match r.read_exact(&mut body).await {
        Ok(_) => Frame::Body(body),
        Err(_) => Frame::Eof,
    }
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
fn check(body: &[u8]) -> Result<(), (Value, i64, String)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| (Value::Null, -32700, format!("Parse error: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
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
}
