//! `news-ls export`: the corpus's annotations (curated and detected) written
//! for other tools, never touching the input files.
//!
//! - `brat`: for each article, a copy of the `.txt` and an `.ann` that keeps
//!   the curated sidecar's lines as they are and adds the detected entities
//!   (`T`, with an `N` line when an identity is known) and quotations
//!   (`Quotation` spans, `Speaker` relations).
//! - `conll`: for each article, a `.conll` file of CoNLL-2003-style BIO tokens
//!   (`token LABEL`, labels `PER`, `LOC`, `ORG`, `MISC`), a `-DOCSTART- O`
//!   line first and a blank line after each sentence.
//! - `jsonl`: one `corpus.jsonl` with one article per line: its text, its
//!   entities and quotations with offsets in Unicode scalar values (`start`,
//!   `end`, as in BRAT and Python strings) and in UTF-8 bytes (`byte_start`,
//!   `byte_end`), each marked `curated` or not and with its `source`
//!   (`curated`, `gazetteer` or `detected`).
//!
//! Output paths mirror the articles' paths relative to the folders given.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::{EntityKind, Span};
use crate::corpus::{Corpus, DocEntry, EntityTable};

use super::brat::{AnnFile, CharIndex};
use super::curated::{CuratedRole, Source, TypeMap};
use super::index::{ann_path_for, AnnotationIndex};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Brat,
    Conll,
    Jsonl,
}

/// What an export wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub files: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

/// The roots of the annotation index for the paths given on the command
/// line: folders themselves, and the folder of each file.
pub fn roots_for(paths: &[PathBuf]) -> Vec<PathBuf> {
    let given: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut roots: Vec<PathBuf> = given
        .iter()
        .map(|p| {
            let p = p.canonicalize().unwrap_or_else(|_| p.clone());
            if p.is_file() {
                p.parent().map(Path::to_path_buf).unwrap_or(p)
            } else {
                p
            }
        })
        .collect();
    roots.sort();
    roots.dedup();
    roots
}

/// An absolute, normalised form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = base;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve the deepest existing ancestor (symlinks) and re-append the rest.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        real.push(n);
    }
    real
}

/// Exports the corpus under `paths` to `out`.
pub fn export(
    paths: &[PathBuf],
    format: Format,
    out: &Path,
    settings: &crate::config::Settings,
) -> Result<Summary, String> {
    let roots = roots_for(paths);
    let out_abs = absolute(out);
    for r in &roots {
        if out_abs == *r {
            return Err(format!(
                "--out {}: this is an input folder; export never writes over its inputs: choose another folder",
                out.display()
            ));
        }
        if r.starts_with(&out_abs) {
            return Err(format!(
                "--out {}: this folder contains the input {}; choose a folder outside the corpus",
                out.display(),
                r.display()
            ));
        }
    }
    let index = Arc::new(AnnotationIndex::new(roots.clone()));
    let mut summary = Summary::default();
    for c in index.load_configs() {
        for issue in &c.gazetteer.issues {
            summary
                .warnings
                .push(format!("{}: {}", c.path.display(), issue.message));
        }
    }
    index.load_sidecars();
    let corpus = Corpus::new(index.analysis_options());
    corpus.set_curation(index.clone());
    let (corpus, warnings) = crate::cli::load::load_into(corpus, paths, settings)?;
    summary.warnings.extend(warnings);
    let docs: Vec<Arc<DocEntry>> = corpus
        .documents()
        .into_iter()
        .filter(|d| {
            let inside_out = absolute(&d.path).starts_with(&out_abs);
            if inside_out {
                summary.warnings.push(format!(
                    "{}: skipped: it is inside the output folder",
                    d.path.display()
                ));
            }
            !inside_out
        })
        .collect();
    // Every input file (and its sidecar) is off limits for writing.
    let inputs: HashSet<PathBuf> = docs
        .iter()
        .flat_map(|d| [absolute(&d.path), absolute(&ann_path_for(&d.path))])
        .chain(index.configs().into_iter().map(|c| absolute(&c.path)))
        .collect();
    std::fs::create_dir_all(&out_abs)
        .map_err(|e| format!("--out {}: cannot create the folder: {e}", out.display()))?;
    let table = corpus.entities();
    let rels = relative_paths(&roots, &docs);
    let mut jsonl = String::new();
    for (doc, rel) in docs.iter().zip(&rels) {
        let facts = DocFacts::new(&index, &table, doc);
        match format {
            Format::Brat => {
                let txt = out_abs.join(rel).with_extension("txt");
                let ann = out_abs.join(rel).with_extension("ann");
                let bytes =
                    std::fs::read(&doc.path).unwrap_or_else(|_| doc.text.as_bytes().to_vec());
                write_new(&txt, &bytes, &inputs)?;
                let types = index.types_for(&doc.path);
                let base = index
                    .sidecar(&doc.path)
                    .map(|s| s.file.clone())
                    .unwrap_or_default();
                write_new(&ann, brat(doc, &facts, base, &types).as_bytes(), &inputs)?;
                summary.files.extend([txt, ann]);
            }
            Format::Conll => {
                let path = out_abs.join(rel).with_extension("conll");
                write_new(&path, conll(doc, &facts).as_bytes(), &inputs)?;
                summary.files.push(path);
            }
            Format::Jsonl => {
                let line = jsonl_line(doc, &facts, rel);
                jsonl.push_str(&line.to_string());
                jsonl.push('\n');
            }
        }
        summary.articles += 1;
    }
    if format == Format::Jsonl {
        let path = out_abs.join("corpus.jsonl");
        write_new(&path, jsonl.as_bytes(), &inputs)?;
        summary.files.push(path);
    }
    Ok(summary)
}

/// `news-ls export`: runs [`export`] and reports like the other commands.
pub fn run(paths: &[PathBuf], format: Format, out: &Path) -> std::process::ExitCode {
    match export(paths, format, out, &crate::config::Settings::default()) {
        Ok(s) => {
            for w in &s.warnings {
                eprintln!("news-ls export: warning: {w}");
            }
            eprintln!(
                "news-ls export: {} article{} exported to {} ({} file{})",
                s.articles,
                if s.articles == 1 { "" } else { "s" },
                out.display(),
                s.files.len(),
                if s.files.len() == 1 { "" } else { "s" },
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("news-ls export: error: {e}");
            std::process::ExitCode::from(crate::cli::EXIT_USAGE)
        }
    }
}

/// Writes one output file, refusing to touch an input.
fn write_new(path: &Path, bytes: &[u8], inputs: &HashSet<PathBuf>) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{}: cannot create the folder: {e}", parent.display()))?;
    }
    if inputs.contains(&absolute(path)) {
        return Err(format!(
            "{}: this is an input file; export never writes over its inputs",
            path.display()
        ));
    }
    let mut f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.flush())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Each document's path relative to its root, unique across the export.
fn relative_paths(roots: &[PathBuf], docs: &[Arc<DocEntry>]) -> Vec<PathBuf> {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    docs.iter()
        .map(|d| {
            let abs = absolute(&d.path);
            let rel = roots
                .iter()
                .filter(|r| abs.starts_with(r))
                .max_by_key(|r| r.components().count())
                .and_then(|r| abs.strip_prefix(r).ok())
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(abs.file_name().unwrap_or_default()));
            let mut candidate = rel.clone();
            let mut n = 2;
            while !seen.insert(candidate.clone()) {
                let stem = rel
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                candidate = rel.with_file_name(format!("{stem}-{n}.txt"));
                n += 1;
            }
            candidate
        })
        .collect()
}

/// One exported entity.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEntity {
    pub span: Span,
    pub text: String,
    pub kind: EntityKind,
    pub source: Option<Source>,
    pub canonical: Option<String>,
    pub identity: Option<String>,
}

/// One exported quotation.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportQuote {
    pub span: Span,
    pub text: String,
    pub speaker: Option<String>,
    pub speaker_span: Option<Span>,
    pub curated: bool,
    /// A short quoted term rather than someone's words.
    pub term: bool,
    pub index: usize,
}

/// What an export says of one document: its entities and quotations with
/// their provenance.
pub struct DocFacts {
    pub entities: Vec<ExportEntity>,
    pub quotes: Vec<ExportQuote>,
}

impl DocFacts {
    pub fn new(index: &AnnotationIndex, table: &EntityTable, doc: &DocEntry) -> DocFacts {
        let (curated, _) = index.curated_spans(&doc.path, &doc.text);
        let mut by_span: HashMap<Span, (Source, Option<String>)> = HashMap::new();
        let mut quote_spans: Vec<Span> = Vec::new();
        for c in &curated {
            match &c.role {
                CuratedRole::Entity { identity, .. } => {
                    let e = by_span
                        .entry(c.span)
                        .or_insert((c.source, identity.clone()));
                    if c.source < e.0 {
                        *e = (c.source, identity.clone());
                    }
                }
                CuratedRole::Quotation { .. } => quote_spans.push(c.span),
            }
        }
        let entities = doc
            .article
            .mentions
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let prov = by_span.get(&m.span());
                let entity = table.entity_of(&doc.path, i);
                let kind = match prov {
                    Some(_) => m.kind,
                    None => entity.map_or(m.kind, |e| e.kind),
                };
                ExportEntity {
                    span: m.span(),
                    text: m.text.to_string(),
                    kind,
                    source: prov.map(|p| p.0),
                    canonical: entity
                        .map(|e| e.name.clone())
                        .or_else(|| m.gazetteer.as_deref().map(String::from)),
                    identity: prov.and_then(|p| p.1.clone()),
                }
            })
            .collect();
        let quotes = doc
            .article
            .quotes
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let extent = q.extent();
                ExportQuote {
                    span: q.span(),
                    text: q.span().text(&doc.text).to_string(),
                    speaker: q.speaker.map(String::from),
                    speaker_span: q.speaker_span(),
                    curated: quote_spans.iter().any(|s| s.overlaps(extent)),
                    term: q.kind == crate::analysis::QuoteKind::Term,
                    index: i,
                }
            })
            .collect();
        DocFacts { entities, quotes }
    }
}

/// The brat `.ann` of a document: the curated file's lines as they are, then
/// the detected entities and quotations it lacks.
pub fn brat(doc: &DocEntry, facts: &DocFacts, mut file: AnnFile, types: &TypeMap) -> String {
    let index = CharIndex::new(&doc.text);
    let to_chars = |s: Span| -> Option<(usize, usize)> {
        Some((index.byte_to_char(s.start)?, index.byte_to_char(s.end)?))
    };
    // Existing text-bound annotations by extent.
    let mut by_extent: HashMap<(usize, usize), String> = file
        .text_bounds()
        .map(|t| (t.extent(), t.id.clone()))
        .collect();
    let mut ensure = |file: &mut AnnFile, span: Span, kind: &str| -> Option<String> {
        let chars = to_chars(span)?;
        if let Some(id) = by_extent.get(&chars) {
            return Some(id.clone());
        }
        let id = file.add_text_bound(
            kind,
            split_lines(&doc.text, span, &index),
            span.text(&doc.text),
        );
        by_extent.insert(chars, id.clone());
        Some(id)
    };
    for e in &facts.entities {
        let Some(id) = ensure(&mut file, e.span, types.written(e.kind)) else {
            continue;
        };
        if let Some(identity) = &e.identity {
            if e.source != Some(Source::Sidecar) {
                file.set_normalization(&id, identity, e.canonical.as_deref());
            }
        }
    }
    let quote_ids: HashSet<String> = file
        .text_bounds()
        .filter(|t| types.is_quotation(&t.kind))
        .map(|t| t.id.clone())
        .collect();
    let curated_speakers: HashSet<String> = file
        .relations()
        .filter(|r| types.is_speaker_relation(&r.kind))
        .flat_map(|r| [r.arg1.1.clone(), r.arg2.1.clone()])
        .filter(|id| quote_ids.contains(id))
        .collect();
    for q in &facts.quotes {
        if q.curated || q.term {
            continue;
        }
        let Some(qid) = ensure(&mut file, q.span, types.quotation_type()) else {
            continue;
        };
        if curated_speakers.contains(&qid) {
            continue;
        }
        if let Some(sspan) = q.speaker_span {
            let kind = facts
                .entities
                .iter()
                .find(|e| e.span == sspan)
                .map_or(EntityKind::Person, |e| e.kind);
            if let Some(sid) = ensure(&mut file, sspan, types.written(kind)) {
                file.add_relation(types.speaker_relation(), &qid, &sid);
            }
        }
    }
    file.render()
}

/// Fragments (scalar values) of a span, split at line breaks as brat does.
pub fn split_lines(text: &str, span: Span, index: &CharIndex<'_>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let body = span.text(text);
    let mut offset = span.start;
    for piece in body.split_inclusive('\n') {
        let content = piece.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            let s = offset + lead;
            let e = s + trimmed.len();
            if let (Some(a), Some(b)) = (index.byte_to_char(s), index.byte_to_char(e)) {
                out.push((a, b));
            }
        }
        offset += piece.len();
    }
    if out.is_empty() {
        if let (Some(a), Some(b)) = (index.byte_to_char(span.start), index.byte_to_char(span.end)) {
            out.push((a, b));
        }
    }
    out
}

/// The CoNLL label of a kind.
pub fn conll_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "PER",
        EntityKind::Place => "LOC",
        EntityKind::Organization => "ORG",
        EntityKind::Other => "MISC",
    }
}

/// Tokens of a text: Unicode word boundaries, without whitespace, also split
/// at every entity boundary (French elisions such as `l'Ukraine`).
pub fn tokens(text: &str, cuts: &[usize]) -> Vec<Span> {
    let mut cuts: Vec<usize> = cuts.to_vec();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for (start, word) in text.split_word_bound_indices() {
        if word.trim().is_empty() {
            continue;
        }
        let end = start + word.len();
        let mut s = start;
        let from = cuts.partition_point(|&c| c <= start);
        for &c in cuts.get(from..).unwrap_or(&[]) {
            if c >= end {
                break;
            }
            if text.is_char_boundary(c) && c > s {
                out.push(Span::new(s, c));
                s = c;
            }
        }
        out.push(Span::new(s, end));
    }
    out
}

/// The CoNLL file of a document.
pub fn conll(doc: &DocEntry, facts: &DocFacts) -> String {
    let text = &doc.text;
    let mut ents: Vec<&ExportEntity> = facts.entities.iter().collect();
    ents.sort_by_key(|e| (e.span.start, e.span.end));
    let cuts: Vec<usize> = ents
        .iter()
        .flat_map(|e| [e.span.start, e.span.end])
        .collect();
    let toks = tokens(text, &cuts);
    let mut out = String::from("-DOCSTART- O\n\n");
    let mut in_sentence = false;
    let mut ei = 0usize;
    let mut prev_end = 0usize;
    for t in toks {
        while ents.get(ei).is_some_and(|e| e.span.end <= t.start) {
            ei += 1;
        }
        // A line break between tokens ends the sentence.
        if in_sentence
            && text
                .get(prev_end..t.start)
                .is_some_and(|gap| gap.contains('\n'))
        {
            out.push('\n');
        }
        let word = t.text(text);
        let label = match ents
            .get(ei)
            .filter(|e| e.span.start <= t.start && t.end <= e.span.end)
        {
            Some(e) if e.span.start == t.start => format!("B-{}", conll_label(e.kind)),
            Some(e) => format!("I-{}", conll_label(e.kind)),
            None => "O".to_string(),
        };
        out.push_str(word);
        out.push(' ');
        out.push_str(&label);
        out.push('\n');
        in_sentence = true;
        prev_end = t.end;
        if matches!(word, "." | "!" | "?" | "…") && label == "O" {
            out.push('\n');
            in_sentence = false;
        }
    }
    if in_sentence {
        out.push('\n');
    }
    out
}

/// The JSON Lines record of a document.
pub fn jsonl_line(doc: &DocEntry, facts: &DocFacts, rel: &Path) -> Value {
    let index = CharIndex::new(&doc.text);
    let ch = |b: usize| index.byte_to_char(b);
    let entities: Vec<Value> = facts
        .entities
        .iter()
        .map(|e| {
            json!({
                "start": ch(e.span.start), "end": ch(e.span.end),
                "byte_start": e.span.start, "byte_end": e.span.end,
                "text": e.text, "kind": e.kind,
                "label": conll_label(e.kind),
                "curated": e.source == Some(Source::Sidecar),
                "source": e.source.map_or("detected", Source::as_str),
                "canonical": e.canonical, "identity": e.identity,
            })
        })
        .collect();
    let quotes: Vec<Value> = facts
        .quotes
        .iter()
        .map(|q| {
            let quote = doc.article.quotes.get(q.index);
            json!({
                "start": ch(q.span.start), "end": ch(q.span.end),
                "byte_start": q.span.start, "byte_end": q.span.end,
                "text": q.text,
                "kind": quote.map(|x| x.kind),
                "attribution": quote.map(|x| x.attribution),
                "speaker": q.speaker,
                "speaker_start": q.speaker_span.and_then(|s| ch(s.start)),
                "speaker_end": q.speaker_span.and_then(|s| ch(s.end)),
                "curated": q.curated,
                "source": if q.curated { "curated" } else { "detected" },
            })
        })
        .collect();
    json!({
        "path": rel.to_string_lossy().replace('\\', "/"),
        "language": doc.article.language,
        "text": &*doc.text,
        "entities": entities,
        "quotations": quotes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::curated::resolve;

    const FR: &str = "Kyiv, 3 mars.\nLe président Volodymyr Zelensky a parlé à l'Ukraine depuis Kyiv.\n« Nous tiendrons », a-t-il dit. 😀\n";
    const EN: &str = "Joe Biden met NATO leaders in Brussels. \"We stand together\", Biden said.\n";

    fn chars(text: &str, s: &str, nth: usize) -> (usize, usize) {
        let b = text.match_indices(s).nth(nth).unwrap().0;
        let idx = CharIndex::new(text);
        (
            idx.byte_to_char(b).unwrap(),
            idx.byte_to_char(b + s.len()).unwrap(),
        )
    }

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("fr.txt"), FR).unwrap();
        std::fs::write(d.join("en.txt"), EN).unwrap();
        let (a, b) = chars(FR, "Volodymyr Zelensky", 0);
        let (c, e) = chars(FR, "Ukraine", 0);
        let (q1, q2) = chars(FR, "« Nous tiendrons »", 0);
        std::fs::write(
            d.join("fr.ann"),
            format!(
                "T1\tPER {a} {b}\tVolodymyr Zelensky\nT2\tGPE {c} {e}\tUkraine\nT3\tQuotation {q1} {q2}\t« Nous tiendrons »\nR1\tSpeaker Arg1:T3 Arg2:T1\nN1\tReference T1 Wikidata:Q3874799\tVolodymyr Zelensky\n#1\tAnnotatorNotes T2\tkept as is\n"
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("news-ls.toml"),
            "[[entity]]\nname = \"Joe Biden\"\nkind = \"person\"\nspellings = [\"Biden\"]\nid = \"Wikidata:Q6279\"\n\n[[entity]]\nname = \"Kyiv\"\nkind = \"place\"\n",
        )
        .unwrap();
        dir
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        v.sort();
        v
    }

    fn run(dir: &Path, format: Format) -> (tempfile::TempDir, Summary) {
        let out = tempfile::tempdir().unwrap();
        let before = snapshot(dir);
        let s = export(
            &[dir.to_path_buf()],
            format,
            out.path(),
            &crate::config::Settings::default(),
        )
        .unwrap();
        assert_eq!(snapshot(dir), before, "inputs unchanged");
        (out, s)
    }

    #[test]
    fn brat_export_rereads_with_curated_lines_kept_and_detections_added() {
        let dir = corpus();
        let (out, s) = run(dir.path(), Format::Brat);
        assert_eq!(s.articles, 2);
        assert_eq!(s.files.len(), 4);
        let fr_ann = std::fs::read_to_string(out.path().join("fr.ann")).unwrap();
        let original = std::fs::read_to_string(dir.path().join("fr.ann")).unwrap();
        assert!(
            fr_ann.starts_with(&original),
            "curated lines first, verbatim:\n{fr_ann}"
        );
        assert_eq!(
            std::fs::read_to_string(out.path().join("fr.txt")).unwrap(),
            FR
        );
        // Re-read: every annotation matches the exported text.
        for (name, text) in [("fr", FR), ("en", EN)] {
            let ann = std::fs::read_to_string(out.path().join(format!("{name}.ann"))).unwrap();
            let (file, problems) = AnnFile::parse(&ann);
            assert!(problems.is_empty(), "{name}: {problems:?}");
            let r = resolve(&file, text, &TypeMap::default(), &|_| None);
            assert!(r.mismatches.is_empty(), "{name}: {:?}", r.mismatches);
        }
        // The gazetteer's entities (Kyiv twice) were added to the French file.
        let (file, _) = AnnFile::parse(&fr_ann);
        let kyiv = file
            .text_bounds()
            .filter(|t| t.text.as_deref() == Some("Kyiv"))
            .count();
        assert_eq!(kyiv, 2);
        // English: Biden twice, normalised to the gazetteer's identity.
        let en_ann = std::fs::read_to_string(out.path().join("en.ann")).unwrap();
        let (file, _) = AnnFile::parse(&en_ann);
        assert_eq!(
            file.normalizations()
                .filter(|n| n.reference == "Wikidata:Q6279")
                .count(),
            2
        );
    }

    #[test]
    fn conll_export_rereads_to_the_text_and_entities() {
        let dir = corpus();
        let (out, _) = run(dir.path(), Format::Conll);
        let fr = std::fs::read_to_string(out.path().join("fr.conll")).unwrap();
        assert!(fr.starts_with("-DOCSTART- O\n\n"));
        let mut words = String::new();
        let mut entities: Vec<(String, String)> = Vec::new();
        for line in fr.lines().skip(2).filter(|l| !l.is_empty()) {
            let (w, label) = line.rsplit_once(' ').unwrap();
            words.push_str(w);
            if let Some(k) = label.strip_prefix("B-") {
                entities.push((k.to_string(), w.to_string()));
            } else if let Some(k) = label.strip_prefix("I-") {
                let last = entities.last_mut().unwrap();
                assert_eq!(last.0, k);
                last.1.push_str(w);
            } else {
                assert_eq!(label, "O");
            }
        }
        let no_space: String = FR.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(words, no_space);
        assert_eq!(
            entities,
            vec![
                ("LOC".to_string(), "Kyiv".to_string()),
                ("PER".to_string(), "VolodymyrZelensky".to_string()),
                ("LOC".to_string(), "Ukraine".to_string()),
                ("LOC".to_string(), "Kyiv".to_string()),
            ]
        );
        assert!(fr.contains("l' O\nUkraine B-LOC\n"), "elision split:\n{fr}");
        assert!(fr.contains(". O\n\n"), "sentences end with a blank line");
    }

    #[test]
    fn jsonl_export_rereads_with_offsets_and_marks() {
        let dir = corpus();
        let (out, s) = run(dir.path(), Format::Jsonl);
        assert_eq!(s.files, vec![absolute(&out.path().join("corpus.jsonl"))]);
        let all = std::fs::read_to_string(out.path().join("corpus.jsonl")).unwrap();
        let lines: Vec<Value> = all
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        for rec in &lines {
            let text = rec["text"].as_str().unwrap();
            let chars: Vec<char> = text.chars().collect();
            for e in rec["entities"].as_array().unwrap() {
                let (a, b) = (
                    e["start"].as_u64().unwrap() as usize,
                    e["end"].as_u64().unwrap() as usize,
                );
                let s: String = chars[a..b].iter().collect();
                assert_eq!(s, e["text"].as_str().unwrap());
                let (x, y) = (
                    e["byte_start"].as_u64().unwrap() as usize,
                    e["byte_end"].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[x..y], s);
            }
        }
        let fr = lines.iter().find(|r| r["path"] == "fr.txt").unwrap();
        let z = fr["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["text"] == "Volodymyr Zelensky")
            .unwrap();
        assert_eq!(z["curated"], true);
        assert_eq!(z["source"], "curated");
        assert_eq!(z["identity"], "Wikidata:Q3874799");
        let k = fr["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["text"] == "Kyiv")
            .unwrap();
        assert_eq!(k["curated"], false);
        assert_eq!(k["source"], "gazetteer");
        let q = &fr["quotations"][0];
        assert_eq!(q["text"], "Nous tiendrons");
        assert_eq!(q["speaker"], "Volodymyr Zelensky");
        assert_eq!(q["curated"], true);
        let en = lines.iter().find(|r| r["path"] == "en.txt").unwrap();
        assert_eq!(en["language"], "en");
    }

    #[test]
    fn refuses_to_write_into_the_inputs() {
        let dir = corpus();
        let settings = crate::config::Settings::default();
        let err = export(
            &[dir.path().to_path_buf()],
            Format::Brat,
            dir.path(),
            &settings,
        )
        .unwrap_err();
        assert!(err.contains("input folder"), "{err}");
        let parent = dir.path().parent().unwrap();
        let err = export(&[dir.path().to_path_buf()], Format::Brat, parent, &settings).unwrap_err();
        assert!(err.contains("contains the input"), "{err}");
        // A single file's folder is an input folder too.
        let err = export(
            &[dir.path().join("fr.txt")],
            Format::Jsonl,
            dir.path(),
            &settings,
        )
        .unwrap_err();
        assert!(err.contains("input folder"), "{err}");
    }

    #[test]
    fn tokens_split_at_entity_boundaries_only_inside_words() {
        let t = "d'Emmanuel Macron, 2022.";
        let cuts = [2, 17];
        let got: Vec<&str> = tokens(t, &cuts).iter().map(|s| s.text(t)).collect();
        assert_eq!(got, vec!["d'", "Emmanuel", "Macron", ",", "2022", "."]);
    }
}
