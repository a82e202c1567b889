//! Arbitrary bytes as a `news-ls.toml` (before the first NUL byte) and an
//! article (after it): parsing never panics nor fails (problems are issues
//! with spans inside the file), user patterns compile within their size
//! limits, and the curated entities' spans lie inside the article on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use news_ls::annotations::gazetteer::Gazetteer;
use news_ls::invariants::span_problem;

fuzz_target!(|data: &[u8]| {
    let (toml, article) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let src = String::from_utf8_lossy(toml);
    let text = String::from_utf8_lossy(article);
    let g = Gazetteer::parse(&src);
    for i in &g.issues {
        let ok = i.span.start <= i.span.end
            && i.span.end <= src.len()
            && src.is_char_boundary(i.span.start)
            && src.is_char_boundary(i.span.end);
        assert!(
            ok,
            "issue span {:?} in a file of {} bytes",
            i.span,
            src.len()
        );
    }
    let _ = g.to_analysis_options();
    for s in g.entity_spans(&text) {
        assert!(span_problem(&text, s.span).is_none(), "{s:?}");
        assert_eq!(text.get(s.span.start..s.span.end), Some(s.text.as_str()));
    }
    for p in &g.boilerplate_patterns {
        let _ = p.is_match(&text);
    }
});
