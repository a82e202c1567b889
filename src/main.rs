//! The `news-ls` binary: parses the command line and hands over to [`news_ls::cli`].

/// mimalloc instead of the system allocator: analysis allocates many small,
/// short-lived strings on every core, where glibc's malloc both spends ~15 % of
/// the indexing time and fragments memory across thread arenas (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    news_ls::cli::main()
}
