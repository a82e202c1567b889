//! Cold indexing of a generated corpus, in process: the read-and-split-words
//! floor, then reading and analysing every article on every core (the CLI
//! loader) and linking the corpus's entities; wall times and peak memory
//! (`VmHWM`). `cargo run --release --example bench_index -- [ARTICLES]`
//! (default 10000; the corpus is generated once under the temp folder).

use std::time::Instant;

/// The same allocator as the `news-ls` binary, counting live bytes.
#[global_allocator]
static GLOBAL: Counting = Counting;

struct Counting;
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK_LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Counting costs two contended atomics per allocation: only with BENCH_SIZES=1.
static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// SAFETY: forwards to mimalloc; only counts.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        if COUNTING.load(Relaxed) {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK_LIVE.fetch_max(now, Relaxed);
        }
        // SAFETY: same layout contract as the caller's.
        unsafe { mimalloc::MiMalloc.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        if COUNTING.load(std::sync::atomic::Ordering::Relaxed) {
            LIVE.fetch_sub(l.size(), std::sync::atomic::Ordering::Relaxed);
        }
        // SAFETY: same pointer and layout the allocation used.
        unsafe { mimalloc::MiMalloc.dealloc(p, l) }
    }
}

/// mimalloc's options as the binary sets them (arenas committed on demand).
#[path = "../src/mimalloc_init.rs"]
mod mimalloc_init;

use unicode_segmentation::UnicodeSegmentation;

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let counting = std::env::var_os("BENCH_SIZES").is_some();
    COUNTING.store(counting, std::sync::atomic::Ordering::Relaxed);
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = news_ls::synth::bench_dir(n);
    let paths: Vec<_> = news_ls::files::walk(&dir);
    let bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());

    // Floor: read and split into Unicode words, on the same number of threads.
    let t = Instant::now();
    let words: usize = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(paths.len().div_ceil(workers).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|p| std::fs::read_to_string(p).ok())
                        .map(|t| t.unicode_words().count())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).sum()
    });
    let floor = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let settings = news_ls::config::Settings::default();
    let Ok((corpus, _)) = news_ls::cli::load::load(std::slice::from_ref(&dir), &settings) else {
        eprintln!("bench_index: cannot load {}", dir.display());
        std::process::exit(2);
    };
    let analyse = t.elapsed().as_secs_f64();
    let live_analysed = LIVE.load(std::sync::atomic::Ordering::Relaxed);
    let t = Instant::now();
    let entities = corpus.entities().entities.len();
    let link = t.elapsed().as_secs_f64();
    let peak = peak_kib().unwrap_or(0);
    if std::env::var_os("BENCH_SIZES").is_some() {
        sizes(&corpus);
    }
    if counting {
        println!(
            "heap: live {:.0} MB once analysed, {:.0} MB once linked, peak live {:.0} MB",
            live_analysed as f64 / 1e6,
            LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6,
            PEAK_LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6
        );
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "articles: {} ({mb:.1} MB, {words} words) on {workers} threads",
        corpus.len()
    );
    println!(
        "floor (read + split words): {floor:.2} s | read + analyse: {analyse:.2} s ({:.1}x floor) | link {entities} entities: {link:.2} s | total {:.2} s | peak memory {:.0} MB ({:.1}x corpus)",
        analyse / floor.max(1e-9),
        analyse + link,
        peak as f64 / 1024.0,
        peak as f64 * 1024.0 / (bytes.max(1) as f64)
    );
}

/// Approximate heap bytes per part of the stored documents (BENCH_SIZES=1).
fn sizes(corpus: &news_ls::corpus::Corpus) {
    use news_ls::analysis::*;
    use std::mem::size_of;
    let s = |x: &String| x.capacity();
    let (mut text, mut lines, mut mentions, mut quotes, mut structure) = (0, 0, 0, 0, 0);
    for d in corpus.documents_unordered() {
        text += d.text.len();
        lines += d.lines.heap_bytes();
        let a = &d.article;
        // Their strings are interned (counted once, below).
        mentions += a.mentions.capacity() * size_of::<Mention>();
        quotes += a.quotes.capacity() * size_of::<Quote>();
        let st = &a.structure;
        // Boilerplate reasons are interned (counted once, above).
        structure += st.boilerplate.capacity() * size_of::<BoilerplateLine>()
            + st.boilerplate.iter().map(|b| s(&b.text)).sum::<usize>()
            + st.headings
                .iter()
                .chain(st.captions.iter())
                .chain(st.title.iter())
                .map(|h| s(&h.text) + 32)
                .sum::<usize>()
            + st.sections.capacity() * size_of::<Section>();
    }
    let (atoms, atom_bytes) = Atom::interned();
    println!(
        "interned texts: {atoms} ({:.1} MB with their table)",
        atom_bytes as f64 / 1e6
    );
    println!(
        "sizes MB: text {:.1} lines {:.1} mentions {:.1} (Mention = {} B) quotes {:.1} (Quote = {} B) structure {:.1}",
        text as f64 / 1e6, lines as f64 / 1e6, mentions as f64 / 1e6, size_of::<Mention>(),
        quotes as f64 / 1e6, size_of::<Quote>(), structure as f64 / 1e6
    );
}
