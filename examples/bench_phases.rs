//! Single-thread time of each analysis phase over a generated corpus, to show
//! where cold indexing goes: split lines, detect language, structure,
//! mentions, quotations, then linking the corpus's entities.
//!
//! `cargo run --release --example bench_phases -- [ARTICLES]` (default 10000).

use std::time::Instant;

use news_ls::analysis::{self, lexicon::Lexicon, AnalysisOptions, Lines};

/// The server's allocator, so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = news_ls::synth::bench_dir(n);
    let texts: Vec<String> = news_ls::files::walk(&dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let options = AnalysisOptions::default();
    let lexicon = Lexicon::get();
    let mut times = [0f64; 6];
    let mut counts = [0usize; 3];
    for text in &texts {
        let t = Instant::now();
        let lines = Lines::new(text);
        times[0] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let language = analysis::language::detect(text);
        times[1] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let structure = analysis::structure::analyze(text, &lines, language, lexicon, &options);
        times[2] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mentions =
            analysis::mentions::find(text, &lines, &structure, language, lexicon, &options);
        times[3] += t.elapsed().as_secs_f64();
        counts[0] += mentions.len();
        let article = analysis::Article {
            language,
            structure,
            mentions,
            quotes: Vec::new(),
            read_problems: Vec::new(),
            quotes_pending: true,
        };
        let t = Instant::now();
        let quotes = analysis::find_quotes(text, &article, &options);
        times[4] += t.elapsed().as_secs_f64();
        counts[1] += quotes.len();
    }
    let corpus = news_ls::corpus::Corpus::new(options.clone());
    let dir_paths = news_ls::files::walk(&dir);
    for (p, text) in dir_paths.iter().zip(&texts) {
        corpus.insert_deferred(
            std::sync::Arc::from(p.as_path()),
            std::sync::Arc::from(text.as_str()),
            Vec::new(),
        );
    }
    let t = Instant::now();
    counts[2] = corpus.entities().entities.len();
    times[5] = t.elapsed().as_secs_f64();
    println!("{} articles, {mb:.1} MB, one thread", texts.len());
    for (name, s) in [
        "lines",
        "language",
        "structure",
        "mentions",
        "quotations",
        "linking",
    ]
    .iter()
    .zip(times)
    {
        println!("{name:>10}: {s:6.2} s  {:6.1} MB/s", mb / s.max(1e-9));
    }
    println!(
        "mentions {} quotations {} entities {}",
        counts[0], counts[1], counts[2]
    );
}
