//! Rule `stray-quote-mark`: a quotation mark that opens or closes nothing

use super::{Edit, Finding, Fix, Rule, RuleContext, Severity};
use crate::analysis::{quotes, Span};

/// Flags quotation marks that open or close nothing: a closer with no opener,
/// an opener with nothing after it, an empty pair (`“”`). Missing closers are
/// not flagged (a quotation may run to the end of its paragraph), nor are
/// breadcrumb separators (`Home » MONDE`) or apostrophes. Quick fix: remove
/// the mark. At most [`MAX_FINDINGS`] per article: a file made of marks is
/// not worth a hundred thousand diagnostics.
///
/// Example: the last `"` in `… "traînait en longueur". "`.
pub struct StrayQuoteMark;

/// The most stray marks reported for one article.
pub const MAX_FINDINGS: usize = 1000;

impl Rule for StrayQuoteMark {
    fn code(&self) -> &'static str {
        "stray-quote-mark"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a quotation mark that opens or closes nothing"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for span in quotes::stray_marks(ctx.text, ctx.lines, &ctx.article.structure)
            .into_iter()
            .take(MAX_FINDINGS)
        {
            let mark = span.text(ctx.text).to_string();
            let plural = mark.chars().count() > 1;
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span,
                message: if plural {
                    format!("Stray quotation marks `{mark}`: they open or close nothing")
                } else {
                    format!("Stray quotation mark `{mark}`: it opens or closes nothing")
                },
                data: Some(mark),
                unnecessary: true,
                fixes: vec![Fix {
                    title: if plural {
                        "Remove the stray quotation marks".into()
                    } else {
                        "Remove the stray quotation mark".into()
                    },
                    edits: vec![Edit {
                        span: removal(ctx.text, span),
                        new_text: String::new(),
                    }],
                }],
            });
        }
    }
}

/// The mark plus one space before it when the mark stands between a space and
/// a space, punctuation or the line end (so no double space is left behind).
fn removal(text: &str, span: Span) -> Span {
    let before = text.get(..span.start).and_then(|s| s.chars().next_back());
    let after = text.get(span.end..).and_then(|s| s.chars().next());
    let loose_after =
        after.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?'));
    match before {
        Some(c) if (c == ' ' || c == '\u{a0}') && loose_after => {
            Span::new(span.start - c.len_utf8(), span.end)
        }
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisOptions, Lines};

    fn run(text: &str) -> Vec<Finding> {
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let mut out = Vec::new();
        StrayQuoteMark.check(&RuleContext::standalone(text, &lines, &article), &mut out);
        out
    }

    fn apply(text: &str, f: &Finding) -> String {
        let e = &f.fixes[0].edits[0];
        format!(
            "{}{}{}",
            &text[..e.span.start],
            e.new_text,
            &text[e.span.end..]
        )
    }

    #[test]
    fn trailing_straight_quote_in_french() {
        let text = "M. Loukachenko a reconnu en mai que l'opération \"traînait en longueur\". \"\n";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.text(text), "\"");
        assert_eq!(out[0].severity, Severity::Warning);
        assert_eq!(
            apply(text, &out[0]),
            "M. Loukachenko a reconnu en mai que l'opération \"traînait en longueur\".\n"
        );
    }

    #[test]
    fn english_closer_without_opener() {
        let text = "The talks ended on Monday.” Officials left Minsk.";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.text(text), "”");
        assert!(out[0].message.contains("opens or closes nothing"));
        assert_eq!(
            apply(text, &out[0]),
            "The talks ended on Monday. Officials left Minsk."
        );
    }

    #[test]
    fn empty_pair_is_one_finding() {
        let text = "Il a dit “” puis il est parti.";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.text(text), "“”");
        assert_eq!(apply(text, &out[0]), "Il a dit puis il est parti.");
    }

    #[test]
    fn a_file_of_marks_is_capped() {
        let text = "“” ".repeat(5000);
        assert_eq!(run(&text).len(), MAX_FINDINGS);
    }

    #[test]
    fn missing_closers_separators_and_apostrophes_are_fine() {
        let text = "Home » MONDE » Politique\n\nIl a expliqué : « Nous resterons l’allié de la Russie.\n\nThe players’ union said it won’t strike.";
        assert!(run(text).is_empty());
    }
}
