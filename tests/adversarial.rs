//! Adversarial articles: huge, single-line, full of quotation marks, nested
//! opening marks, NUL bytes, invalid UTF-8, a BOM, mixed line endings,
//! right-to-left text, combining characters. Each is analysed (structure,
//! mentions, quotations, every rule) with valid output, and in linear time.
//!
//! The test bounds the *work*, not the wall clock: it analyses an input of
//! size n and one of size 2n and compares (1) the number of heap allocations
//! and the bytes allocated, counted by a counting allocator on the analysing
//! thread only (deterministic: the same on an idle or a loaded machine), and
//! (2) the CPU time of the analysing thread (its own CPU clock, `CLOCK_THREAD_CPUTIME_ID`:
//! time spent waiting for a core, when other jobs load the machine, is not
//! counted). Linear work doubles; quadratic work quadruples; the bound is 3.
//! A wall-clock timeout serves only as a hang guard. Sizes are smaller in
//! debug builds; `tests/run.sh` runs the release build with the full sizes.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use news_ls::analysis::rules::{self, RuleContext};
use news_ls::analysis::{analyze, AnalysisOptions, Article, Lines};

/// Twice the input may cost at most this many times the work (linear: ~2;
/// quadratic: ~4).
const MAX_RATIO: f64 = 3.0;
const HANG_GUARD: Duration = Duration::from_secs(600);

/// Counts the allocations (and the bytes asked for) of the current thread.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static ALLOCATED_BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count_allocation(bytes: usize) {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get().wrapping_add(1)));
    let _ = ALLOCATED_BYTES.try_with(|c| c.set(c.get().wrapping_add(bytes as u64)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are plain thread-local cells (no allocation, no destructor).
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// (allocations, bytes allocated) by the current thread so far.
fn allocations() -> (u64, u64) {
    (
        ALLOCATIONS.try_with(Cell::get).unwrap_or(0),
        ALLOCATED_BYTES.try_with(Cell::get).unwrap_or(0),
    )
}

/// CPU time of the current thread (time waiting for a core is not counted),
/// from the thread's own CPU clock; the wall clock where there is none.
/// (`/proc/thread-self/schedstat`, used before, is only brought up to date at
/// scheduler ticks on some kernels — 4 ms here — so a 2 ms run could read
/// as 0 or 4 ms, and two such readings as a super-linear ratio.)
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `clock_gettime` only writes the `timespec` we own.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Some(Duration::new(
                u64::try_from(ts.tv_sec).ok()?,
                u32::try_from(ts.tv_nsec).ok()?,
            ));
        }
    }
    None
}

/// The work of one analysis, measured on the calling thread.
#[derive(Debug, Clone, Copy)]
struct Work {
    allocations: u64,
    bytes: u64,
    cpu: Duration,
}

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

/// The work of `run` on a text: allocations of the run with the least CPU
/// time of three (allocations are the same every run).
fn work_of(text: &str, run: fn(&str)) -> Work {
    let mut best: Option<Work> = None;
    for _ in 0..3 {
        let (a0, b0) = allocations();
        let wall = Instant::now();
        let c0 = thread_cpu_time();
        run(text);
        let cpu = match (c0, thread_cpu_time()) {
            (Some(c0), Some(c1)) => c1.saturating_sub(c0),
            _ => wall.elapsed(),
        };
        let (a1, b1) = allocations();
        let w = Work {
            allocations: a1 - a0,
            bytes: b1 - b0,
            cpu,
        };
        best = Some(match best {
            Some(b) if b.cpu <= w.cpu => b,
            _ => w,
        });
    }
    best.unwrap_or(Work {
        allocations: 0,
        bytes: 0,
        cpu: Duration::ZERO,
    })
}

fn ratio(large: f64, small: f64) -> f64 {
    large / small.max(1e-9)
}

/// Checks that doubling the input (built by `make(n)`) at most ~doubles the
/// work. Allocations are deterministic and checked once; CPU time is
/// measured on the analysing thread, so other jobs on the machine barely
/// change it, and a ratio over the bound is measured again (up to three
/// times) in case of cache or frequency noise: a real super-linear path fails
/// every time.
fn assert_linear(what: &str, n: usize, make: fn(usize) -> String) {
    assert_linear_work(what, n, make, |text| {
        let _ = analyse(text);
    });
}

/// [`assert_linear`] for any computation `run` (also used to check that the
/// check itself catches quadratic work).
fn assert_linear_work(what: &str, n: usize, make: fn(usize) -> String, run: fn(&str)) {
    let what = what.to_string();
    let w = what.clone();
    let (small, large) = guarded(&what, move || {
        let _ = analyse("warm up the lexicon");
        (make(n), make(2 * n))
    });
    let mut last = String::new();
    for attempt in 0..3 {
        let (s, l) = (small.clone(), large.clone());
        let (w1, w2) = guarded(&what, move || (work_of(&s, run), work_of(&l, run)));
        let r_alloc = ratio(w2.allocations as f64, w1.allocations as f64);
        let r_bytes = ratio(w2.bytes as f64, w1.bytes as f64);
        let r_cpu = ratio(w2.cpu.as_secs_f64(), w1.cpu.as_secs_f64());
        eprintln!(
            "{w}: {} → {} bytes: allocations {} → {} ({r_alloc:.2}), bytes allocated {} → {} ({r_bytes:.2}), CPU {:?} → {:?} ({r_cpu:.2})",
            small.len(),
            large.len(),
            w1.allocations,
            w2.allocations,
            w1.bytes,
            w2.bytes,
            w1.cpu,
            w2.cpu
        );
        if attempt == 0 {
            assert!(
                r_alloc < MAX_RATIO && r_bytes < MAX_RATIO,
                "{w}: doubling the input multiplied the allocations by {r_alloc:.2} and the bytes allocated by {r_bytes:.2}"
            );
        }
        // Below a few milliseconds of CPU, noise dominates: only the
        // allocation counts and the hang guard apply.
        if w2.cpu <= Duration::from_millis(5) || r_cpu < MAX_RATIO {
            return;
        }
        last = format!(
            "{w}: doubling the input multiplied the CPU time by {r_cpu:.2} ({:?} → {:?})",
            w1.cpu, w2.cpu
        );
    }
    panic!("{last}");
}

/// Analyses the full-size input once, timed, and reports what came out.
fn analyse_main(what: &str, text: String) -> (Article, Vec<&'static str>) {
    let w = what.to_string();
    guarded(what, move || {
        let t = Instant::now();
        let (a, codes) = analyse(&text);
        let mut distinct = codes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        eprintln!(
            "RESULT {w}: {} bytes, {} lines: {} mentions, {} quotations, {} findings {distinct:?}, in {:?}",
            text.len(),
            Lines::new(&text).len(),
            a.mentions.len(),
            a.quotes.len(),
            codes.len(),
            t.elapsed()
        );
        (a, codes)
    })
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
    let (a, _) = analyse_main("50 MB article", prose(bytes));
    assert!(a.mentions.len() > 1000 && a.quotes.len() > 1000);
    assert_linear("prose", scale(2 * 1024 * 1024), prose);
}

#[test]
fn five_megabytes_on_a_single_line() {
    let bytes = scale(5 * 1024 * 1024);
    let (a, _) = analyse_main("5 MB single line", single_line(bytes));
    assert!(!a.mentions.is_empty() && !a.quotes.is_empty());
    assert_linear("single line", scale(1024 * 1024), single_line);
}

#[test]
fn a_hundred_thousand_quotation_marks() {
    let text = quotation_marks(scale(100_000 * 2));
    let marks = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(marks >= scale(100_000), "{marks} marks");
    let (_, codes) = analyse_main("100k quotation marks", text);
    // Unbalanced marks are reported, not silently swallowed.
    assert!(codes.contains(&"stray-quote-mark"), "{codes:?}");
    assert_linear("quotation marks", scale(100_000), quotation_marks);
}

#[test]
fn ten_thousand_nested_opening_marks() {
    let (a, codes) = analyse_main("10k nested opening marks", nested_openings(10_000));
    assert!(codes.contains(&"stray-quote-mark"), "{codes:?}");
    assert!(a.quotes.len() < 10_000);
    assert_linear("nested openings", scale(10_000), nested_openings);
}

#[test]
fn nul_bytes_are_just_characters() {
    let (a, _) = analyse_main("NUL bytes", nul_bytes(scale(1 << 20)));
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
    let (_, _) = analyse_main("invalid UTF-8", read.text.to_string());
    assert_linear("invalid UTF-8", scale(1 << 20), |n| {
        news_ls::files::decode(&invalid_utf8_bytes(n))
            .text
            .to_string()
    });
}

#[test]
fn a_byte_order_mark_does_not_hide_the_title() {
    let text = "\u{feff}Minsk accuse Varsovie de provocation\n\nLe président biélorusse Alexandre Loukachenko a accusé la Pologne.\n";
    let (a, _) = analyse_main("BOM (French)", text.to_string());
    let title = a.structure.title.map(|t| t.text).unwrap_or_default();
    assert!(
        title.trim_start_matches('\u{feff}').starts_with("Minsk"),
        "{title:?}"
    );
    let en = "\u{feff}Kyiv says talks stalled\n\nPresident Volodymyr Zelensky said on Monday that talks had stalled.\n";
    let (a, _) = analyse_main("BOM (English)", en.to_string());
    assert!(a.structure.title.is_some());
    assert!(a.mentions.iter().any(|m| m.text.contains("Zelensky")));
}

#[test]
fn mixed_line_endings_split_lines_everywhere() {
    let (a, _) = analyse_main("mixed line endings", mixed_line_endings(scale(1 << 20)));
    assert!(a.mentions.iter().any(|m| &*m.text == "Macron"));
    assert_linear("mixed line endings", scale(1 << 20), mixed_line_endings);
}

#[test]
fn right_to_left_text_and_bidi_controls() {
    let text = right_to_left(scale(1 << 20));
    let units = text.matches("Macron").count();
    let (a, _) = analyse_main("right-to-left", text);
    // The Latin name among the right-to-left text is found in every
    // paragraph, without the bidi controls around it.
    let macron = a
        .mentions
        .iter()
        .filter(|m| m.text.contains("Macron"))
        .count();
    assert_eq!(macron, units, "one mention per paragraph");
    for m in &a.mentions {
        assert!(
            !m.text.contains(['\u{202e}', '\u{202c}']),
            "mention {:?} carries a bidi control",
            m.text
        );
    }
    assert_linear("right-to-left", scale(1 << 20), right_to_left);
}

#[test]
fn combining_characters_stay_whole() {
    let text = combining(scale(1 << 20));
    let (a, _) = analyse_main("combining characters", text.clone());
    // No span splits a base letter from its combining marks.
    for m in &a.mentions {
        let after = text[m.span().end..].chars().next();
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

/// The linearity check fails on quadratic work, whether it allocates (a
/// prefix copied per line) or only computes (a scan from the start per line).
#[test]
fn the_linearity_check_catches_quadratic_work() {
    fn lines(n: usize) -> String {
        repeat_to("Le président Macron a parlé.\n", n)
    }
    fn copies_prefixes(text: &str) {
        let mut kept = 0usize;
        for (i, _) in text.match_indices('\n') {
            kept = kept.wrapping_add(std::hint::black_box(text[..i].to_string()).len());
        }
        std::hint::black_box(kept);
    }
    fn scans_from_the_start(text: &str) {
        let mut seen = 0usize;
        for (i, _) in text.match_indices('\n') {
            seen = seen.wrapping_add(text.as_bytes()[..i].iter().filter(|&&b| b == b'M').count());
        }
        std::hint::black_box(seen);
    }
    fn linear(text: &str) {
        std::hint::black_box(text.to_string().bytes().filter(|&b| b == b'M').count());
    }
    let n = if release() { 100_000 } else { 20_000 };
    assert_linear_work("linear control", n, lines, linear);
    for (what, run) in [
        ("quadratic allocation", copies_prefixes as fn(&str)),
        ("quadratic scan", scans_from_the_start),
    ] {
        // The check passes at the first ratio under its bound (it must not
        // fail linear work on noise), so a noisy measurement of the small
        // input can let quadratic work through once (seen: a scan measured
        // 108 → 223 ms while other jobs ran): it must be caught in one of
        // three tries; a check blind to it passes all three.
        let caught = (0..3)
            .any(|_| std::panic::catch_unwind(|| assert_linear_work(what, n, lines, run)).is_err());
        assert!(caught, "{what} passed the linearity check three times");
    }
}
