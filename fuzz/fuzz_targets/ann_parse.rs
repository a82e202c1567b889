//! Arbitrary bytes as a BRAT `.ann` sidecar (before the first NUL byte) and
//! its article (after it): parsing never panics, rendering an unchanged file
//! gives back its text byte for byte, and resolving it against the article
//! (offsets in scalar values → bytes, mismatches, re-anchoring) yields only
//! spans inside the article on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use news_ls::annotations::brat::AnnFile;
use news_ls::annotations::curated::{find_reanchors, resolve, TypeMap};
use news_ls::invariants::span_problem;

fuzz_target!(|data: &[u8]| {
    let (ann, article) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let ann = String::from_utf8_lossy(ann);
    let text = String::from_utf8_lossy(article);
    let (file, problems) = AnnFile::parse(&ann);
    assert_eq!(file.render(), ann, "render of an unchanged file");
    for p in &problems {
        assert!(
            p.line < file.lines().len().max(1),
            "problem on line {}",
            p.line
        );
    }
    let mut resolved = resolve(&file, &text, &TypeMap::default(), &|_| None);
    for s in &resolved.spans {
        assert!(span_problem(&text, s.span).is_none(), "{s:?}");
        assert_eq!(text.get(s.span.start..s.span.end), Some(s.text.as_str()));
    }
    find_reanchors(&file, &text, &mut resolved.mismatches);
    for m in &resolved.mismatches {
        assert!(span_problem(&text, m.span).is_none(), "{m:?}");
        if let Some((_, span)) = &m.reanchor {
            assert!(span_problem(&text, *span).is_none(), "{m:?}");
        }
    }
});
