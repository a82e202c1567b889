//! Reading articles from disk: walking folders for `*.txt` (respecting
//! `.gitignore` and skipping hidden folders, through the `ignore` crate),
//! size limits, and lossy decoding of files that are not UTF-8.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The text of a file and what went wrong reading it.
#[derive(Debug, Clone)]
pub struct ReadText {
    /// Shared as the corpus stores it (decoded straight from the bytes read,
    /// with no intermediate `String`).
    pub text: Arc<str>,
    /// Human messages (e.g. "not valid UTF-8") to surface as diagnostics.
    pub problems: Vec<String>,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    TooLarge { bytes: u64, limit: u64 },
    NotAFile,
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { bytes, limit } => write!(
                f,
                "file is {bytes} bytes, over the {limit}-byte limit (raise `news-ls.maxFileSize` to index it)"
            ),
            ReadError::NotAFile => write!(f, "not a regular file"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Decodes bytes as UTF-8, lossily, reporting where the first invalid byte was.
/// A UTF-8 byte-order mark is kept (offsets stay those of the file).
pub fn decode(bytes: &[u8]) -> ReadText {
    match std::str::from_utf8(bytes) {
        Ok(s) => ReadText {
            text: Arc::from(s),
            problems: Vec::new(),
        },
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes
                .get(..at)
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                + 1;
            ReadText {
                text: Arc::from(String::from_utf8_lossy(bytes)),
                problems: vec![format!(
                    "this file is not valid UTF-8 (first invalid byte at offset {at}, line {line}); \
                     it was decoded with replacement characters (�). Convert it to UTF-8, \
                     e.g. `iconv -f latin1 -t utf-8`, before editing it here"
                )],
            }
        }
    }
}

/// Reads one article, refusing files over `limit` bytes. (Checked before
/// opening: opening a FIFO or a device named `*.txt` could block.)
pub fn read_article(path: &Path, limit: u64) -> Result<ReadText, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            bytes: meta.len(),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    Ok(decode(&bytes))
}

/// Whether a path names an article file (`*.txt`).
pub fn is_article(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Every `*.txt` under `root` (or `root` itself when it is a file), sorted.
/// Hidden entries and `.gitignore`d paths are skipped; symlinks are not followed.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    if root.is_file() {
        return vec![root.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        // Ignore files above the workspace are outside it: not read.
        .parents(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| is_article(p))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_problem() {
        let r = decode(b"caf\xe9\nok");
        assert_eq!(&*r.text, "caf\u{fffd}\nok");
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].contains("offset 3, line 1"));
        assert!(decode("déjà".as_bytes()).problems.is_empty());
    }

    #[test]
    fn walk_finds_txt_and_skips_hidden_and_ignored() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = dir.path();
        for (p, c) in [
            ("a.txt", "a"),
            ("sub/b.TXT", "b"),
            (".hidden/c.txt", "c"),
            ("ignored/d.txt", "d"),
            ("e.md", "e"),
            (".gitignore", "ignored/\n"),
        ] {
            let full = root.join(p);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(full, c).unwrap_or_else(|e| panic!("{e}"));
        }
        let found: Vec<String> = walk(root)
            .iter()
            .filter_map(|p| p.strip_prefix(root).ok())
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(found, vec!["a.txt", "sub/b.TXT"]);
    }
}
