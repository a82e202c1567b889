//! Quotation detection (every mark style and mix, multi-paragraph quotations,
//! apostrophes told apart from single quotes) and speaker attribution (speech
//! verbs, `selon`, colon introductions, pronoun and description resolution).
//!
//! - [`marks`]: quotation marks → quotations, continuations and stray marks;
//! - [`tokens`]: word tokens for the cue search;
//! - [`tables`]: the cue tables of each language (`speech_*`, `attribution_*`);
//! - [`names`]: speaker candidates (entity mentions and capitalised names);
//! - [`attribution`]: cues, speakers, resolution, term/quote kind.

pub mod attribution;
pub mod marks;
pub mod names;
pub mod tables;
pub mod tokens;

use super::{lexicon::Lexicon, AnalysisOptions, Language, Lines, Mention, Quote, Span, Structure};

/// Lines the structure analysis knows are not running text (sorted).
fn known_lines(structure: &Structure) -> Vec<usize> {
    let mut known: Vec<usize> = structure
        .captions
        .iter()
        .map(|c| c.line)
        .chain(structure.boilerplate.iter().map(|b| b.line))
        .chain(structure.title.iter().map(|t| t.line))
        .collect();
    known.sort_unstable();
    known.dedup();
    known
}

fn boilerplate_lines(structure: &Structure) -> Vec<usize> {
    let mut lines: Vec<usize> = structure.boilerplate.iter().map(|b| b.line).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// The marks of a text that open or close nothing (outside boilerplate lines).
pub fn stray_marks(text: &str, lines: &Lines, structure: &Structure) -> Vec<Span> {
    let known = known_lines(structure);
    let boiler = boilerplate_lines(structure);
    marks::scan(text, lines, &known)
        .strays
        .into_iter()
        .filter(|s| boiler.binary_search(&lines.line_of(s.start)).is_err())
        .collect()
}

/// Finds the quotations of an article, in text order.
pub fn find(
    text: &str,
    lines: &Lines,
    structure: &Structure,
    mentions: &[Mention],
    language: Language,
    lexicon: &Lexicon,
    options: &AnalysisOptions,
) -> Vec<Quote> {
    let _ = lexicon;
    let known = known_lines(structure);
    let boiler = boilerplate_lines(structure);
    let scan = marks::scan(text, lines, &known);
    // quotations inside boilerplate lines (a breadcrumb repeating the title) are dropped
    let keep: Vec<bool> = scan
        .quotes
        .iter()
        .map(|q| {
            let first = lines.line_of(q.content.start);
            let last = lines.line_of(q.content.end.saturating_sub(1).max(q.content.start));
            !(first..=last).all(|l| boiler.binary_search(&l).is_ok())
        })
        .collect();
    let mut new_index = vec![None; scan.quotes.len()];
    let mut raws = Vec::new();
    for (i, q) in scan.quotes.iter().enumerate() {
        if keep.get(i).copied().unwrap_or(false) {
            new_index[i] = Some(raws.len());
            raws.push(q.clone());
        }
    }
    for q in &mut raws {
        q.continues = q
            .continues
            .and_then(|c| new_index.get(c).copied().flatten());
    }
    let attributed = attribution::attribute(
        text,
        lines,
        &known,
        mentions,
        language,
        &options.extra_speech_verbs,
        &raws,
    );
    raws.into_iter()
        .zip(attributed)
        .map(|(q, a)| Quote {
            span: q.content,
            open_mark: q.open,
            close_mark: q.close,
            kind: a.kind,
            attribution: a.attribution,
            speaker: a.speaker,
            speaker_span: a.speaker_span,
            cue: a.cue,
            continues: q.continues,
            nearest_candidate: a.nearest_candidate,
        })
        .collect()
}
