//! Loading the articles named on the command line into a corpus.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::annotations::export::roots_for;
use crate::annotations::AnnotationIndex;
use crate::config::Settings;
use crate::corpus::Corpus;
use crate::files;

/// Reads every article under `paths` (the current folder when empty) into a new
/// corpus, with the curated annotations of those folders (`.ann` sidecars and
/// `news-ls.toml`) applied as the server applies them. Errors name the file and
/// say what to do; unreadable files are reported and skipped, missing paths are
/// fatal.
pub fn load(paths: &[PathBuf], settings: &Settings) -> Result<(Corpus, Vec<String>), String> {
    let index = Arc::new(AnnotationIndex::new(roots_for(paths)));
    let mut warnings = Vec::new();
    for config in index.load_configs() {
        for issue in &config.gazetteer.issues {
            warnings.push(format!("{}: {}", config.path.display(), issue.message));
        }
    }
    index.load_sidecars();
    let corpus = Corpus::new(index.analysis_options());
    corpus.set_curation(index);
    let (corpus, more) = load_into(corpus, paths, settings)?;
    warnings.extend(more);
    Ok((corpus, warnings))
}

/// [`load`] into a corpus prepared by the caller (options, curation).
pub fn load_into(
    corpus: Corpus,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<(Corpus, Vec<String>), String> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut all = Vec::new();
    for root in &roots {
        if !root.exists() {
            return Err(format!(
                "{}: no such file or folder (give the path of an article or of a folder of .txt articles)",
                root.display()
            ));
        }
        all.extend(files::walk(root));
    }
    all.sort();
    all.dedup();
    let mut warnings = Vec::new();
    let results: Vec<(PathBuf, Result<files::ReadText, files::ReadError>)> =
        parallel_read(&all, settings.max_file_bytes);
    let texts: Vec<(PathBuf, files::ReadText)> = results
        .into_iter()
        .filter_map(|(p, r)| match r {
            Ok(t) => Some((p, t)),
            Err(e) => {
                warnings.push(format!("{}: skipped: {e}", p.display()));
                None
            }
        })
        .collect();
    std::thread::scope(|scope| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = texts.len().div_ceil(threads.max(1)).max(1);
        for part in texts.chunks(chunk) {
            let corpus = &corpus;
            scope.spawn(move || {
                for (p, t) in part {
                    corpus.insert(
                        Arc::from(p.as_path()),
                        t.text.clone(),
                        None,
                        t.problems.clone(),
                    );
                }
            });
        }
    });
    Ok((corpus, warnings))
}

fn parallel_read(
    paths: &[PathBuf],
    limit: u64,
) -> Vec<(PathBuf, Result<files::ReadText, files::ReadError>)> {
    paths
        .iter()
        .map(|p| (p.clone(), files::read_article(Path::new(p), limit)))
        .collect()
}
