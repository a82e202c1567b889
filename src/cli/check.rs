//! `news-ls check` and `news-ls analyze`: analyse files or folders and print
//! diagnostics like a compiler (or JSON).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annotate_snippets::{Level, Renderer, Snippet};
use serde_json::json;

use super::{load, report, EXIT_USAGE};
use crate::analysis::rules::{Finding, Severity};
use crate::config::Settings;
use crate::corpus::DocEntry;
use crate::text::{PositionEncoding, TextPositions};

pub fn run(paths: &[PathBuf], json_out: bool, settings_json: Option<&str>, full: bool) -> ExitCode {
    let command = if full { "analyze" } else { "check" };
    let mut settings = Settings::default();
    if let Some(raw) = settings_json {
        match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(v) => {
                for e in settings.apply_json(&v) {
                    eprintln!("news-ls {command}: --settings: {e}");
                }
            }
            Err(e) => {
                eprintln!("news-ls {command}: --settings is not valid JSON: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let (corpus, warnings) = match load::load(paths, &settings) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("news-ls {command}: error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for w in &warnings {
        eprintln!("news-ls {command}: warning: {w}");
    }
    let table = corpus.entities();
    let docs = corpus.documents();
    let mut any_warning = false;
    let mut counts = [0usize; 4];
    let mut out_docs = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let renderer = if std::env::var_os("NO_COLOR").is_none() && is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for doc in &docs {
        let findings = settings.effective(corpus.findings(doc, settings.repeat_threshold));
        any_warning |= report::has_warnings(&findings);
        for f in &findings {
            counts[f.severity as usize] += 1;
        }
        if json_out {
            if full {
                out_docs.push(report::document_json(
                    doc, &findings, &table, &corpus, &settings,
                ));
            } else {
                let pos = TextPositions::new(&doc.text);
                out_docs.push(json!({
                    "path": doc.path.display().to_string(),
                    "diagnostics": findings.iter().map(|f| report::diagnostic_json(&pos, f)).collect::<Vec<_>>(),
                }));
            }
        } else {
            let pos = TextPositions::new(&doc.text);
            for f in &findings {
                let _ = writeln!(out, "{}\n", render(&renderer, doc, &pos, f));
            }
        }
    }
    let result = if json_out {
        let value = if full {
            json!({"documents": out_docs, "entities": report::entities_json(&table)})
        } else {
            json!({"documents": out_docs})
        };
        serde_json::to_writer_pretty(&mut out, &value)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        writeln!(
            out,
            "{}: {} article{} checked: {} error{}, {} warning{}, {} information, {} hint{}",
            if any_warning {
                "news-ls check failed"
            } else {
                "news-ls check passed"
            },
            docs.len(),
            plural(docs.len()),
            counts[0],
            plural(counts[0]),
            counts[1],
            plural(counts[1]),
            counts[2],
            counts[3],
            plural(counts[3]),
        )
    };
    if let Err(e) = result.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("news-ls {command}: cannot write output: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if any_warning {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Information => Level::Info,
        Severity::Hint => Level::Help,
    }
}

/// At most this many bytes of a long line are shown on each side of a finding.
const CONTEXT_BYTES: usize = 160;

/// One finding rendered with its source line (a window of it, for long lines)
/// and a caret underline. `pos` is built once per document.
fn render(renderer: &Renderer, doc: &DocEntry, pos: &TextPositions, f: &Finding) -> String {
    let start = pos.position(f.span.start, PositionEncoding::Utf32);
    let line_no = doc.lines.line_of(f.span.start);
    let (ls, le) = doc.lines.span(line_no).unwrap_or((0, 0));
    let lo = floor_boundary(
        &doc.text,
        f.span.start.saturating_sub(CONTEXT_BYTES).max(ls),
    );
    let hi = ceil_boundary(
        &doc.text,
        f.span.end.saturating_add(CONTEXT_BYTES).min(le).max(lo),
    );
    let source = doc.text.get(lo..hi).unwrap_or("");
    let a = f.span.start.saturating_sub(lo).min(source.len());
    let b = f.span.end.saturating_sub(lo).clamp(a, source.len());
    let origin = format!(
        "{}:{}:{}",
        doc.path.display(),
        start.line + 1,
        start.character + 1
    );
    let lvl = level(f.severity);
    let title = format!("{} [{}]", f.message, f.code);
    let message = lvl.title(&title).snippet(
        Snippet::source(source)
            .line_start(line_no + 1)
            .origin(&origin)
            .annotation(lvl.span(a..b.max(a)).label(f.code)),
    );
    let rendered = renderer.render(message).to_string();
    rendered
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
