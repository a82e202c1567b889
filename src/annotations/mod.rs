//! Curated annotations: what people fixed by hand wins over what the analysis
//! guesses, and news-ls helps write it without ever losing it.
//!
//! - [`brat`]: the BRAT standoff format of `article.ann` sidecars (lossless
//!   reading and writing, scalar-value ↔ byte offsets).
//! - [`spans`]: annotations following the text (edits, mismatches, re-anchoring).
//! - [`curated`]: curated spans, the type → kind mapping, and
//!   [`curated::merge_curated`], which makes them win over detected ones.
//! - [`gazetteer`]: the corpus gazetteer `news-ls.toml` (reading with exact
//!   error positions, and editing that keeps the rest of the file).
//! - [`index`]: the workspace's gazetteers and sidecars, plugged into the
//!   corpus as its [`crate::corpus::Curation`].
//! - [`fsio`]: safe, atomic writes of `.ann` and `news-ls.toml` files.
//! - [`export`]: `news-ls export` to BRAT, CoNLL and JSON Lines.

pub mod brat;
pub mod curated;
pub mod export;
pub mod fsio;
pub mod gazetteer;
pub mod index;
pub mod spans;

pub use curated::{merge_curated, CuratedRole, CuratedSpan, Source, TypeMap};
pub use gazetteer::Gazetteer;
pub use index::AnnotationIndex;
