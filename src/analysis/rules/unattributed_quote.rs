//! Rule `unattributed-quote`: a quotation that no one is credited with

use super::{Finding, Rule, RuleContext, Severity};
use crate::analysis::{Attribution, QuoteKind};

/// Flags quotations (not short terms) with no speaker in the sentence, the
/// surrounding sentences, or the paragraph it continues. The message names the
/// nearest person as a candidate when there is one.
///
/// Example: `« Nous ne reculerons pas. »` in a paragraph that names nobody.
pub struct UnattributedQuote;

impl Rule for UnattributedQuote {
    fn code(&self) -> &'static str {
        "unattributed-quote"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a quotation that no one is credited with"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for q in &ctx.article.quotes {
            if q.kind != QuoteKind::Quote || q.attribution != Attribution::None {
                continue;
            }
            let span = q.extent();
            let message = match &q.nearest_candidate {
                Some(name) => format!(
                    "No speaker is credited for this quotation; nearest candidate: {name}"
                ),
                None => "No speaker is credited for this quotation (nobody in its sentence, the sentences around it or the quotation it continues)".to_string(),
            };
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span,
                message,
                data: q.nearest_candidate.map(String::from),
                unnecessary: false,
                fixes: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisOptions, Lines};

    fn run(text: &str) -> Vec<(String, String)> {
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let mut out = Vec::new();
        UnattributedQuote.check(&RuleContext::standalone(text, &lines, &article), &mut out);
        out.into_iter()
            .map(|f| (f.span.text(text).to_string(), f.message))
            .collect()
    }

    #[test]
    fn french_floating_quotation_names_the_nearest_candidate() {
        let text = "Le président Alexandre Loukachenko a reçu les ambassadeurs lundi à Minsk.\n\n« Nous ne reculerons devant aucune menace venue de l’Ouest. »\n\nLa réunion a duré deux heures.";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].0,
            "« Nous ne reculerons devant aucune menace venue de l’Ouest. »"
        );
        assert_eq!(
            out[0].1,
            "No speaker is credited for this quotation; nearest candidate: Alexandre Loukachenko"
        );
    }

    #[test]
    fn english_quotation_without_any_source() {
        let text = "The border crossing was closed on Tuesday.\n\n“This is the beginning of the end of the war in the east.”\n\nTraffic resumed later.";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert!(out[0]
            .1
            .starts_with("No speaker is credited for this quotation"));
    }

    #[test]
    fn attributed_quotations_and_terms_are_not_flagged() {
        let fr = "« Nous ne nous battrons que pour défendre notre maison », a déclaré Loukachenko. Son « opération spéciale » continue.";
        assert!(run(fr).is_empty());
        let en =
            "The so-called “special operation” went on. “We will win this war,” said Mr Smith.";
        assert!(run(en).is_empty());
    }
}
