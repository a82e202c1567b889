//! Adversarial articles: huge, single-line, full of quotation marks, nested
//! opening marks, NUL bytes, invalid UTF-8, a BOM, mixed line endings,
//! right-to-left text, combining characters. Each is analysed (structure,
//! mentions, quotations, every rule) with valid output, and in linear time:
//! the test bounds the *work* by comparing the analysis of an input of size n
//! with one of size 2n (a generous ratio, best of several runs), with a
//! generous timeout only as a hang guard. Sizes are smaller in debug builds;
//! `tests/run.sh` runs the release build with the full sizes.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use news_ls::analysis::rules::{self, RuleContext};
use news_ls::analysis::{analyze, AnalysisOptions, Article, Lines};

/// Twice the input may cost at most this many times the time (linear: ~2;
/// quadratic: ~4).
const MAX_RATIO: f64 = 3.0;
const HANG_GUARD: Duration = Duration::from_secs(600);

fn release() -> bool {
    !cfg!(debug_assertions)
}

/// Analyses and checks the invariants, returning the article and the findings' codes.
fn analyse(text: &str) -> (Article, Vec<&'static str>) {
    let article = analyze(text, &AnalysisOptions::default());
    let lines = Lines::new(text);
    let ctx = RuleContext::standalone(text, &lines, &article);
    let findings = rules::run_all(&ctx);
    let problems = news_ls::invariants::violations(text, &article, &findings);
    assert!(problems.is_empty(), "{problems:#?}");
    let codes = findings.iter().map(|f| f.code).collect();
    (article, codes)
}

/// Runs `f` on a thread, failing the test if it takes longer than the hang guard.
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(HANG_GUARD) {
        Ok(v) => v,
        Err(_) => panic!("{what}: no result after {HANG_GUARD:?} (hang?)"),
    }
}

/// Best-of-3 analysis time of a text.
fn time_of(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let _ = analyse(text);
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Checks that doubling the input (built by `make(n)`) at most ~doubles the work.
fn assert_linear(what: &str, n: usize, make: fn(usize) -> String) {
    let what = what.to_string();
    let w = what.clone();
    let (t1, t2, b1, b2) = guarded(&what, move || {
        let _ = analyse("warm up the lexicon");
        let small = make(n);
        let large = make(2 * n);
        (time_of(&small), time_of(&large), small.len(), large.len())
    });
    let ratio = t2.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    eprintln!("{w}: {b1} bytes in {t1:?}, {b2} bytes in {t2:?} (ratio {ratio:.2})");
    // Below a millisecond, noise dominates: only the hang guard applies.
    if t2 > Duration::from_millis(5) {
        assert!(
            ratio < MAX_RATIO,
            "{w}: doubling the input multiplied the time by {ratio:.2} ({t1:?} → {t2:?})"
        );
    }
}

/// A plausible paragraph of French news prose with names and a quotation.
const PARA_FR: &str = "Le président Emmanuel Macron a rencontré Olaf Scholz à Berlin. \
« Nous devons avancer ensemble », a déclaré M. Macron devant la presse.\n\n";
const PARA_EN: &str = "Prime Minister Keir Starmer met Joe Biden in Washington. \
\"We stand together,\" said Mr Starmer after the talks.\n\n";

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

fn prose(bytes: usize) -> String {
    let mut s = String::from("Un titre sur la diplomatie européenne\n\n");
    s.push_str(&repeat_to(&format!("{PARA_FR}{PARA_EN}"), bytes));
    s
}

fn single_line(bytes: usize) -> String {
    prose(bytes).replace('\n', " ")
}

fn quotation_marks(n: usize) -> String {
    // Straight and typographic marks, closing and opening, with and without text.
    repeat_to("\"« » “ ” ' ‘ ’ „ ‹ › ", n * 2)
}

fn nested_openings(n: usize) -> String {
    let mut s = String::from("Il a dit ");
    for i in 0..n {
        s.push_str(if i % 2 == 0 { "« " } else { "“" });
        s.push_str("mot ");
    }
    s
}

fn nul_bytes(bytes: usize) -> String {
    repeat_to("Le\0 président\0\0 Macron « a\0 dit » \0\n", bytes)
}

fn mixed_line_endings(bytes: usize) -> String {
    repeat_to(
        "Titre\r\nLe président Macron a parlé.\rIl a dit « oui ».\n\r\n\r",
        bytes,
    )
}

fn right_to_left(bytes: usize) -> String {
    repeat_to(
        "قال الرئيس محمود عباس « لن نتنازل » في رام الله.\u{202e}Macron\u{202c} שלום עולם\n\n",
        bytes,
    )
}

fn combining(bytes: usize) -> String {
    repeat_to(
        "Le pre\u{301}sident E\u{301}douard a dit « c\u{327}a\u{300}\u{300}\u{300} va » Z\u{35c}\u{35d}\u{35e}a\u{33f}\u{346}lgo.\n",
        bytes,
    )
}

fn invalid_utf8_bytes(bytes: usize) -> Vec<u8> {
    let unit: &[u8] =
        b"Le caf\xe9 de Minsk \xff\xfe\x80 \xc3 \xe2\x80 \xf0\x9f\x98 \xed\xa0\x80 \xc0\xaf.\n";
    unit.iter().copied().cycle().take(bytes).collect()
}

fn scale(release_bytes: usize) -> usize {
    if release() {
        release_bytes
    } else {
        release_bytes / 10
    }
}

#[test]
fn fifty_megabytes_in_one_article() {
    let bytes = scale(50 * 1024 * 1024);
    let (len, mentions, quotes, secs) = guarded("50 MB", move || {
        let text = prose(bytes);
        let t = Instant::now();
        let (a, _) = analyse(&text);
        (text.len(), a.mentions.len(), a.quotes.len(), t.elapsed())
    });
    eprintln!("huge article: {len} bytes, {mentions} mentions, {quotes} quotes in {secs:?}");
    assert!(mentions > 1000 && quotes > 1000);
    assert_linear("prose", scale(2 * 1024 * 1024), prose);
}

#[test]
fn five_megabytes_on_a_single_line() {
    let bytes = scale(5 * 1024 * 1024);
    let (a, _) = guarded("single line", move || analyse(&single_line(bytes)));
    assert!(!a.mentions.is_empty() && !a.quotes.is_empty());
    assert_linear("single line", scale(1024 * 1024), single_line);
}

#[test]
fn a_hundred_thousand_quotation_marks() {
    let text = quotation_marks(scale(100_000 * 2));
    let marks = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(marks >= scale(100_000), "{marks} marks");
    let (_, codes) = guarded("quotes", move || analyse(&text));
    // Unbalanced marks are reported, not silently swallowed.
    assert!(codes.contains(&"stray-quote-mark"), "{codes:?}");
    assert_linear("quotation marks", scale(100_000), quotation_marks);
}

#[test]
fn ten_thousand_nested_opening_marks() {
    let (a, codes) = guarded("nested", || analyse(&nested_openings(10_000)));
    assert!(codes.contains(&"stray-quote-mark"), "{codes:?}");
    assert!(a.quotes.len() < 10_000);
    assert_linear("nested openings", scale(10_000), nested_openings);
}

#[test]
fn nul_bytes_are_just_characters() {
    let (a, _) = guarded("nul", || analyse(&nul_bytes(scale(1 << 20))));
    assert!(a.mentions.iter().any(|m| m.text.contains("Macron")));
    assert_linear("NUL bytes", scale(1 << 20), nul_bytes);
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_one_problem() {
    let bytes = invalid_utf8_bytes(scale(1 << 20));
    let read = news_ls::files::decode(&bytes);
    assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
    assert!(read.problems[0].contains("offset 6, line 1"));
    assert!(read.text.contains('\u{fffd}'));
    let (_, _) = guarded("invalid utf-8", move || analyse(&read.text));
    assert_linear("invalid UTF-8", scale(1 << 20), |n| {
        news_ls::files::decode(&invalid_utf8_bytes(n)).text
    });
}

#[test]
fn a_byte_order_mark_does_not_hide_the_title() {
    let text = "\u{feff}Minsk accuse Varsovie de provocation\n\nLe président biélorusse Alexandre Loukachenko a accusé la Pologne.\n";
    let (a, _) = analyse(text);
    let title = a.structure.title.map(|t| t.text).unwrap_or_default();
    assert!(
        title.trim_start_matches('\u{feff}').starts_with("Minsk"),
        "{title:?}"
    );
    let en = "\u{feff}Kyiv says talks stalled\n\nPresident Volodymyr Zelensky said on Monday that talks had stalled.\n";
    let (a, _) = analyse(en);
    assert!(a.structure.title.is_some());
    assert!(a.mentions.iter().any(|m| m.text.contains("Zelensky")));
}

#[test]
fn mixed_line_endings_split_lines_everywhere() {
    let (a, _) = guarded("mixed", || analyse(&mixed_line_endings(scale(1 << 20))));
    assert!(a.mentions.iter().any(|m| m.text == "Macron"));
    assert_linear("mixed line endings", scale(1 << 20), mixed_line_endings);
}

#[test]
fn right_to_left_text_and_bidi_controls() {
    let (_, _) = guarded("rtl", || analyse(&right_to_left(scale(1 << 20))));
    assert_linear("right-to-left", scale(1 << 20), right_to_left);
}

#[test]
fn combining_characters_stay_whole() {
    let text = combining(4096);
    let (a, _) = analyse(&text);
    // No span splits a base letter from its combining marks.
    for m in &a.mentions {
        let after = text[m.span.end..].chars().next();
        assert!(
            !after.is_some_and(|c| ('\u{300}'..='\u{36f}').contains(&c)),
            "mention {:?} ends before a combining mark",
            m.text
        );
    }
    assert_linear("combining marks", scale(1 << 20), combining);
}

/// The server skips a file over its size limit with a notice naming it, and
/// keeps serving; the CLI says the same.
#[test]
fn files_over_the_size_limit_are_skipped_with_a_notice() {
    use common::*;
    use serde_json::{json, Value};
    let dir = corpus(&[("small.txt", "Un petit article.\n")]);
    let big = dir.path().join("big.txt");
    std::fs::write(&big, prose(11 * 1024 * 1024)).expect("write big");
    let (mut s, _) = Server::start(dir.path(), json!({}));
    let status = s.wait_indexed();
    assert_eq!(status["documents"], 1, "{status}");
    let note = s
        .wait_for(
            |m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|t| t.contains("big.txt") && t.contains("limit"))
            },
            TIMEOUT,
        )
        .expect("a notice naming the skipped file");
    assert!(note["params"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("maxFileSize"));
    let r = s.request("news-ls/status", Value::Null);
    assert!(r["result"].is_object());
    assert_eq!(s.shutdown(), Some(0));

    let out = std::process::Command::new(bin())
        .args(["check", &big.display().to_string()])
        .output()
        .expect("run check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        format!("{stdout}{stderr}").contains("big.txt"),
        "{stdout}{stderr}"
    );
}
