//! Rule `invalid-utf8`: the file is not valid UTF-8 and was decoded lossily

use super::{Finding, Rule, RuleContext, Severity};

/// Reports that a file was not valid UTF-8: it was decoded with replacement
/// characters, and saving it from the editor would change its bytes.
///
/// Example: a Latin-1 file containing `\\xe9` for `é`.
pub struct InvalidUtf8;

impl Rule for InvalidUtf8 {
    fn code(&self) -> &'static str {
        "invalid-utf8"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "the file is not valid UTF-8 and was decoded lossily"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for problem in &ctx.article.read_problems {
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span: ctx.line_span(0),
                message: problem.clone(),
                data: None,
                unnecessary: false,
                fixes: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Article, Lines};

    #[test]
    fn reports_each_read_problem_on_the_first_line() {
        let text = "Titre\nCorps";
        let lines = Lines::new(text);
        let article = Article {
            read_problems: vec!["not UTF-8".into()],
            ..Article::default()
        };
        let mut out = Vec::new();
        InvalidUtf8.check(&RuleContext::standalone(text, &lines, &article), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.end, 5);
        assert_eq!(out[0].code, "invalid-utf8");
        let clean = Article::default();
        let mut none = Vec::new();
        InvalidUtf8.check(&RuleContext::standalone(text, &lines, &clean), &mut none);
        assert!(none.is_empty());
    }
}
