//! Arbitrary bytes into the stdio transport's frame reader and message checker
//! (`news_ls::server::transport::check_stream`): nothing panics, the reader
//! always makes progress, whatever is forwarded to the server is JSON-RPC, and
//! re-framing the forwarded bodies forwards exactly them again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use news_ls::server::transport::{check, check_stream, frame, Outcome};

fuzz_target!(|data: &[u8]| {
    let out = check_stream(data);
    // Each outcome consumes at least one line or body byte.
    assert!(out.len() <= data.len());
    let mut reframed = Vec::new();
    let mut forwarded = Vec::new();
    for o in &out {
        match o {
            Outcome::Forward(body) => {
                assert!(check(body).is_ok());
                let v: serde_json_value::Value = match serde_json_value::from_slice(body) {
                    Ok(v) => v,
                    Err(e) => panic!("forwarded a body that is not JSON: {e}"),
                };
                assert!(v.is_object());
                reframed.extend(frame(body));
                forwarded.push(Outcome::Forward(body.clone()));
            }
            Outcome::Reject(_, code, msg) => {
                assert!([-32700, -32600, -32601].contains(code), "code {code}");
                assert!(!msg.is_empty());
            }
        }
    }
    assert_eq!(check_stream(&reframed), forwarded);
});
