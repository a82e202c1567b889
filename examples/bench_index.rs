//! Cold indexing of a generated corpus, in process: the read-and-split-words
//! floor, then reading and analysing every article on every core (the CLI
//! loader) and linking the corpus's entities; wall times and peak memory
//! (`VmHWM`). `cargo run --release --example bench_index -- [ARTICLES]`
//! (default 10000; the corpus is generated once under the temp folder).

use std::time::Instant;

use unicode_segmentation::UnicodeSegmentation;

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("news-ls-bench-{n}"));
    if !dir.join("done").exists() {
        let _ = std::fs::create_dir_all(&dir);
        for a in news_ls::synth::corpus(n) {
            let _ = std::fs::write(dir.join(&a.name), a.text);
        }
        let _ = std::fs::write(dir.join("done"), "");
    }
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
    let t = Instant::now();
    let entities = corpus.entities().entities.len();
    let link = t.elapsed().as_secs_f64();
    let peak = peak_kib().unwrap_or(0);
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
