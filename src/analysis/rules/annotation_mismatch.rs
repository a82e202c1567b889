//! Rule `annotation-mismatch`: a curated annotation (`.ann` sidecar) whose
//! text no longer matches the article

use super::{Finding, Rule, RuleContext, Severity};
use crate::analysis::Span;
use crate::annotations::spans::Mismatch;

/// Flags a text-bound annotation of the article's `.ann` sidecar whose text is
/// not what the article says at its offsets: the `.txt` was edited elsewhere
/// and the annotation now points at the wrong words. The editor offers to
/// re-anchor it to the nearest exact occurrence of its text.
///
/// Example: `T3<TAB>Location 37 41<TAB>Rome` over an article that reads `Pari` there.
///
/// The facts come from the sidecar, not from the text: findings are made by
/// the annotation index (see `crate::annotations::index`) through
/// [`finding`], and [`Rule::check`] adds nothing on its own.
pub struct AnnotationMismatch;

pub const CODE: &str = "annotation-mismatch";

impl Rule for AnnotationMismatch {
    fn code(&self) -> &'static str {
        CODE
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a curated annotation whose text no longer matches the article"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let _ = (ctx, out);
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count())
        + 1
}

/// The finding for one mismatched annotation of `ann_name` (the sidecar's file
/// name). `data` carries the annotation id.
pub fn finding(text: &str, m: &Mismatch, ann_name: &str) -> Finding {
    let span = if m.span.is_empty() && m.span.start >= text.len() {
        // Past the end: point at the last character so that editors show it.
        let start = text.char_indices().next_back().map_or(0, |(i, _)| i);
        Span::new(start, text.len())
    } else {
        m.span
    };
    let found = if m.found.is_empty() {
        "nothing (its offsets fall past the end of the text)".to_string()
    } else {
        format!("“{}”", m.found)
    };
    let hint = match &m.reanchor {
        Some((_, at)) => format!(
            "; “{}” occurs on line {}: re-anchor the annotation there",
            m.expected,
            line_of(text, at.start)
        ),
        None => format!("; “{}” no longer occurs in the article", m.expected),
    };
    Finding {
        code: CODE,
        severity: Severity::Error,
        span,
        message: format!(
            "annotation {} ({}) in {ann_name} expects “{}” here, but the article has {found}{hint}",
            m.id, m.kind, m.expected
        ),
        data: Some(m.id.clone()),
        unnecessary: false,
        fixes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Article, Lines};

    fn mismatch(span: Span, expected: &str, found: &str, at: Option<Span>) -> Mismatch {
        Mismatch {
            id: "T3".into(),
            kind: "Location".into(),
            span,
            expected: expected.into(),
            found: found.into(),
            reanchor: at.map(|s| (vec![(s.start, s.end)], s)),
        }
    }

    #[test]
    fn check_alone_adds_nothing() {
        let text = "Paris";
        let lines = Lines::new(text);
        let article = Article::default();
        let mut out = Vec::new();
        AnnotationMismatch.check(&RuleContext::standalone(text, &lines, &article), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn french_mismatch_names_the_nearest_occurrence() {
        let text = "Olaf Scholz à Pari.\nPuis à Rome.";
        let at = text.find("Rome").unwrap();
        let f = finding(
            text,
            &mismatch(
                Span::new(15, 19),
                "Rome",
                "Pari",
                Some(Span::new(at, at + 4)),
            ),
            "a.ann",
        );
        assert_eq!(f.code, "annotation-mismatch");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.span, Span::new(15, 19));
        assert_eq!(f.data.as_deref(), Some("T3"));
        assert!(f.message.contains("expects “Rome”"), "{}", f.message);
        assert!(f.message.contains("“Pari”"));
        assert!(f.message.contains("line 2"));
    }

    #[test]
    fn english_mismatch_past_the_end_points_at_the_last_character() {
        let text = "Biden spoke.";
        let f = finding(
            text,
            &mismatch(Span::new(12, 12), "Washington", "", None),
            "b.ann",
        );
        assert_eq!(f.span, Span::new(11, 12));
        assert!(f.message.contains("past the end"));
        assert!(f.message.contains("no longer occurs"));
    }
}
