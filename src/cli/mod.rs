//! The command line: `serve` (the language server on stdio, the default),
//! `check` (diagnostics printed like a compiler's) and `analyze` (the full
//! analysis as one JSON document: the machine contract) and `export` (the
//! corpus's annotations as BRAT, CoNLL or JSON Lines).

mod check;
pub mod load;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// A language server for corpora of news articles kept as plain `.txt` files.
#[derive(Debug, Parser)]
#[command(name = "news-ls", version, about, long_about = None)]
pub struct Cli {
    /// Speak LSP over stdin/stdout (the default; accepted for clients that pass it).
    #[arg(long, global = true)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server on stdio (the default).
    Serve,
    /// Print every diagnostic the server would publish, like a compiler.
    Check {
        /// Files or folders (default: the current folder).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Settings as JSON (same keys as the editor's `news-ls` section).
        #[arg(long, value_name = "JSON")]
        settings: Option<String>,
    },
    /// Print the full analysis of the corpus as one JSON document.
    Analyze {
        /// Files or folders (default: the current folder).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Settings as JSON (same keys as the editor's `news-ls` section).
        #[arg(long, value_name = "JSON")]
        settings: Option<String>,
    },
    /// Write the corpus's annotations (curated and detected) for other tools.
    Export {
        /// Files or folders (default: the current folder).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum)]
        format: crate::annotations::export::Format,
        /// The folder to write into (created if needed; never an input folder).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Exit status for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Serve) => crate::server::run_stdio(),
        Some(Command::Check {
            paths,
            format,
            settings,
        }) => check::run(&paths, format == Format::Json, settings.as_deref(), false),
        Some(Command::Analyze {
            paths,
            format,
            settings,
        }) => {
            if format != Format::Json {
                eprintln!("news-ls analyze: only `--format json` is supported");
                return ExitCode::from(EXIT_USAGE);
            }
            check::run(&paths, true, settings.as_deref(), true)
        }
        Some(Command::Export { paths, format, out }) => {
            crate::annotations::export::run(&paths, format, &out)
        }
    }
}
