//! Arbitrary bytes → lossy UTF-8 → the whole article analysis and every rule
//! (no corpus): nothing panics, every span lies inside the text on character
//! boundaries, every line number names a line (see `news_ls::invariants`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let problems = news_ls::invariants::check_text(&text);
    assert!(problems.is_empty(), "{problems:#?}\ntext: {text:?}");
});
