//! The `news-ls` binary: parses the command line and hands over to [`news_ls::cli`].

/// mimalloc instead of the system allocator: analysis allocates many small,
/// short-lived strings on every core, where glibc's malloc both spends ~15 % of
/// the indexing time and fragments memory across thread arenas (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option number of `mi_option_arena_eager_commit` (the same in the
/// bundled v2 and v3 headers; `libmimalloc-sys` exports no constant for it).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Makes mimalloc commit its arenas on demand instead of all at once. On
/// Linux (an overcommitting system) it otherwise commits each 1 GiB arena
/// eagerly, and the pages it later purges inside that arena stayed resident:
/// at 10k articles the server's resident memory once indexed fell from
/// 281–289 MB to 244 MB, and the kernel's share of indexing (faulting in and
/// zeroing pages) halved (BENCHMARKS.md, round 5). Only the default is
/// changed, so `MIMALLOC_ARENA_EAGER_COMMIT` still overrides it. Linux only
/// (an ELF constructor, and the system where it was measured).
///
/// It must run before the first allocation, which reserves the first arena
/// and happens before `main` (the Rust runtime allocates): hence a
/// constructor in `.init_array`, which the loader runs before any of that.
#[cfg(target_os = "linux")]
extern "C" fn commit_arenas_on_demand() {
    // SAFETY: `mi_option_set_default` takes plain integers and only stores
    // them; mimalloc reads options lazily, so it is valid before its own
    // initialisation.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static COMMIT_ARENAS_ON_DEMAND: extern "C" fn() = commit_arenas_on_demand;

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
