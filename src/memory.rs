//! Giving memory back to the system after large one-off work (indexing a
//! corpus, finding its quotations in the background), which frees tens of
//! megabytes at once that the allocator would otherwise keep resident. The binary installs its
//! allocator's release function ([`set_release`]); the library only calls
//! [`release`], which does nothing when none is installed (tests, embedders).

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Installs the function that returns the allocator's free memory to the
/// system (the first call wins).
pub fn set_release(f: fn()) {
    let _ = RELEASE.set(f);
}

/// Returns free memory to the system, if a release function is installed.
pub fn release() {
    if let Some(f) = RELEASE.get() {
        f();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn count() {
        CALLS.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn release_calls_the_installed_function() {
        super::set_release(count);
        let before = CALLS.load(Ordering::Relaxed);
        super::release();
        super::release();
        assert_eq!(CALLS.load(Ordering::Relaxed), before + 2);
    }
}
