//! Criterion benchmarks of the analysis core: one article's analysis
//! throughput, the read-and-split-into-words floor on the same text, and cold
//! indexing of a generated corpus (1k articles) against the same floor.
//! Larger corpora (10k, 100k) and end-to-end LSP latencies are measured by
//! `cargo run --release --example bench_index` and `--example bench_lsp`.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use news_ls::analysis::{self, AnalysisOptions};
use news_ls::corpus::Corpus;
use unicode_segmentation::UnicodeSegmentation;

fn words(text: &str) -> usize {
    text.unicode_words().count()
}

fn bench_article(c: &mut Criterion) {
    let seeds = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_091163bae6314d22.txt"
    ))
    .unwrap_or_default();
    let synth = news_ls::synth::article(3, 3000).text;
    let mut g = c.benchmark_group("article");
    for (name, text) in [("seed-000", seeds.as_str()), ("synthetic", synth.as_str())] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("analyze/{name}"), |b| {
            b.iter(|| analysis::analyze(black_box(text), &AnalysisOptions::default()))
        });
        g.bench_function(format!("floor-split-words/{name}"), |b| {
            b.iter(|| words(black_box(text)))
        });
    }
    g.finish();
}

fn bench_corpus(c: &mut Criterion) {
    let n: usize = std::env::var("NEWS_LS_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let articles: Vec<(Arc<std::path::Path>, Arc<str>)> = news_ls::synth::corpus(n)
        .into_iter()
        .map(|a| {
            (
                Arc::from(std::path::Path::new(&a.name)),
                Arc::from(a.text.as_str()),
            )
        })
        .collect();
    let bytes: usize = articles.iter().map(|a| a.1.len()).sum();
    let mut g = c.benchmark_group(format!("corpus-{n}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("index+link", |b| {
        b.iter_batched(
            || Corpus::new(AnalysisOptions::default()),
            |corpus| {
                for (p, t) in &articles {
                    corpus.insert(p.clone(), t.clone(), None, Vec::new());
                }
                black_box(corpus.entities().entities.len())
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("floor-split-words", |b| {
        b.iter(|| articles.iter().map(|a| words(&a.1)).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench_article, bench_corpus);
criterion_main!(benches);
