//! The `news-ls` binary: parses the command line and hands over to [`news_ls::cli`].

/// mimalloc instead of the system allocator: analysis allocates many small,
/// short-lived strings on every core, where glibc's malloc both spends ~15 % of
/// the indexing time and fragments memory across thread arenas (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod mimalloc_init;

fn main() -> std::process::ExitCode {
    news_ls::memory::set_release(release_free_memory);
    news_ls::cli::main()
}

/// Returns memory mimalloc holds unused to the system: the calling thread's
/// free pages, those of threads that have exited (indexing's workers), and the
/// free parts of its shared arenas. Called once indexing ends and after the
/// background quotations.
fn release_free_memory() {
    // SAFETY: `mi_collect` takes no pointer and has no precondition; it only
    // frees memory that mimalloc itself holds unused.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
