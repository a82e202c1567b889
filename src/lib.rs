//! news-ls: a language server for corpora of news articles kept as plain `.txt` files.
//!
//! The crate is layered:
//! - [`analysis`]: pure functions from one article's text to facts (structure,
//!   mentions, quotations, boilerplate, diagnostics). No LSP types, no I/O.
//! - [`corpus`]: the workspace-wide index of documents and entities.
//! - [`text`]: an open document held in a rope, with exact position conversion.
//! - [`server`]: the LSP glue (capabilities, handlers, conversions).
//! - [`annotations`]: curated annotations (BRAT `.ann` sidecars, the
//!   `news-ls.toml` gazetteer) that win over the analysis, and export.
//! - [`cli`]: the command line (`serve`, `check`, `analyze`, `export`).

pub mod analysis;
pub mod annotations;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod files;
pub mod invariants;
pub mod memory;
pub mod server;
pub mod synth;
pub mod text;
