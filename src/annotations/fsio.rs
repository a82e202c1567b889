//! Writing annotation files safely: only `.ann` sidecars and `news-ls.toml`,
//! only inside the given roots, always through a temporary file in the same
//! folder renamed over the target (the original stays untouched when
//! anything fails).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::gazetteer::FILE_NAME;

/// Why a write was refused or failed.
#[derive(Debug)]
pub enum WriteError {
    /// Not an `.ann` file or `news-ls.toml`.
    NotAnAnnotationFile(PathBuf),
    /// Outside every workspace root (or its folder does not exist).
    OutsideWorkspace(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotAnAnnotationFile(p) => write!(
                f,
                "{}: news-ls only writes `.ann` sidecars and `news-ls.toml`",
                p.display()
            ),
            WriteError::OutsideWorkspace(p) => write!(
                f,
                "{}: outside the workspace folders; news-ls does not write there",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

/// Whether news-ls may ever write a file with this name.
pub fn is_writable_kind(path: &Path) -> bool {
    let ann = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e == "ann");
    let toml = path.file_name().and_then(|n| n.to_str()) == Some(FILE_NAME);
    ann || toml
}

/// Checks that `path` may be written: the right kind of file, in an existing
/// folder that lies (after resolving symlinks) inside one of `roots`, and not
/// itself a symlink leading elsewhere.
pub fn check_target(path: &Path, roots: &[PathBuf]) -> Result<(), WriteError> {
    if !is_writable_kind(path) || !path.is_absolute() {
        return Err(WriteError::NotAnAnnotationFile(path.to_path_buf()));
    }
    let outside = || WriteError::OutsideWorkspace(path.to_path_buf());
    let parent = path.parent().ok_or_else(outside)?;
    let real_parent = parent.canonicalize().map_err(|_| outside())?;
    let inside = |p: &Path| {
        roots.iter().any(|r| {
            let root = r.canonicalize().unwrap_or_else(|_| r.clone());
            p.starts_with(root)
        })
    };
    if !inside(&real_parent) {
        return Err(outside());
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            let target = path.canonicalize().map_err(|_| outside())?;
            if !inside(&target) {
                return Err(outside());
            }
        } else if meta.is_dir() {
            return Err(WriteError::Io(
                path.to_path_buf(),
                std::io::Error::other("is a folder"),
            ));
        }
    }
    Ok(())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over `path`. The existing file's permissions
/// are kept. On any failure the temporary file is removed and `path` is
/// unchanged.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    atomic_write_with(path, |f| f.write_all(bytes))
}

/// [`atomic_write`] with the writing step given (tests simulate a full disk).
fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(path.to_path_buf(), e);
    let parent = path
        .parent()
        .ok_or_else(|| io(std::io::Error::other("no parent folder")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = parent.join(format!(".{name}.news-ls-{}-{n}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        fill(&mut f)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// Checks the target, then writes atomically.
pub fn write_checked(path: &Path, bytes: &[u8], roots: &[PathBuf]) -> Result<(), WriteError> {
    check_target(path, roots)?;
    atomic_write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let p = root.join("a.ann");
        write_checked(&p, b"T1\tPER 0 4\tAnna\n", std::slice::from_ref(&root)).unwrap();
        write_checked(&p, b"T1\tPER 0 4\tAnne\n", std::slice::from_ref(&root)).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "T1\tPER 0 4\tAnne\n");
        let names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.ann"]);
    }

    #[test]
    fn refuses_other_kinds_and_places() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let roots = vec![dir.path().to_path_buf()];
        let txt = dir.path().join("a.txt");
        assert!(matches!(
            write_checked(&txt, b"x", &roots),
            Err(WriteError::NotAnAnnotationFile(_))
        ));
        let outside = other.path().join("news-ls.toml");
        assert!(matches!(
            write_checked(&outside, b"x", &roots),
            Err(WriteError::OutsideWorkspace(_))
        ));
        let dotdot = dir.path().join("..").join("x.ann");
        assert!(write_checked(&dotdot, b"x", &roots).is_err());
        assert!(!dir.path().parent().unwrap().join("x.ann").exists());
        #[cfg(unix)]
        {
            // A symlink inside the workspace pointing out of it is not followed.
            let target = other.path().join("victim.ann");
            std::fs::write(&target, "keep").unwrap();
            let link = dir.path().join("link.ann");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(write_checked(&link, b"x", &roots).is_err());
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_write_leaves_the_original_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ann");
        std::fs::write(&p, "original").unwrap();
        // A read-only folder: the temporary file cannot be created.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let r = atomic_write(&p, b"new");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        if r.is_ok() {
            // Running as root: permissions do not apply; nothing to check.
            return;
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "original");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_full_disk_leaves_the_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ann");
        std::fs::write(&p, "original").unwrap();
        let r = atomic_write_with(&p, |f| {
            f.write_all(b"half of the new ")?;
            Err(std::io::Error::other("No space left on device"))
        });
        assert!(matches!(r, Err(WriteError::Io(..))));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "original");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}
