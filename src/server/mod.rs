//! The LSP layer: capabilities, handlers and conversions between LSP types and
//! the analysis core. Thin: every fact comes from `analysis` and `corpus`.

use std::process::ExitCode;

/// Runs the language server on stdin/stdout until `exit`.
pub fn run_stdio() -> ExitCode {
    ExitCode::SUCCESS
}
