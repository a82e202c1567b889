//! mimalloc's options set before it starts, for the binaries that use it as
//! their global allocator (`news-ls` itself, and `examples/bench_index.rs`,
//! which includes this file so that it measures the same allocator). Not
//! part of the library: an embedder chooses its own allocator.

/// mimalloc's option number of `mi_option_arena_eager_commit` (the same in
/// the bundled v2 and v3 headers; `libmimalloc-sys` exports no constant for
/// it).
#[cfg(target_os = "linux")]
pub const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Makes mimalloc commit its arenas on demand instead of all at once. On
/// Linux (an overcommitting system) it otherwise commits each 1 GiB arena
/// eagerly, and the pages it later purges inside that arena stayed resident:
/// at 10k articles the server's resident memory once indexed fell from
/// 281–289 MB to 244 MB, and the kernel's share of indexing (faulting in and
/// zeroing pages) halved (BENCHMARKS.md, round 5). Only the default is
/// changed, so `MIMALLOC_ARENA_EAGER_COMMIT` still overrides it.
///
/// It must run before mimalloc's own initialisation, which reads every
/// option once and fixes it (setting the default in `main` does nothing:
/// measured); mimalloc initialises itself from a constructor of its own.
/// Hence a constructor in `.init_array.00100`: prioritised entries run before
/// unprioritised ones and in increasing order, so it runs before mimalloc's
/// whether its C compiler emits an unprioritised constructor (GCC) or one of
/// priority 101 (Clang), and after the standard library's own (00099),
/// which does not allocate. Linux only (an ELF section, and the system where
/// it was measured).
#[cfg(target_os = "linux")]
extern "C" fn commit_arenas_on_demand() {
    // SAFETY: `mi_option_set_default` takes plain integers and only stores
    // them; it is valid before mimalloc's initialisation.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00100")]
static COMMIT_ARENAS_ON_DEMAND: extern "C" fn() = commit_arenas_on_demand;

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn arenas_are_committed_on_demand_unless_the_environment_says_otherwise() {
        // SAFETY: reads an option; no pointer, no precondition.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_ARENA_EAGER_COMMIT) };
        match std::env::var("MIMALLOC_ARENA_EAGER_COMMIT") {
            Err(_) => assert_eq!(value, 0, "the constructor ran after mimalloc started"),
            Ok(set) => assert_eq!(value.to_string(), set),
        }
    }
}
