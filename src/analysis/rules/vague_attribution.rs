//! Rule `vague-attribution`: a quotation credited only to a vague source

use super::{Finding, Rule, RuleContext, Severity};
use crate::analysis::Attribution;

/// Flags quotations attributed to an impersonal or vague source (`on`, `un
/// initié`, `des sources`, `officials`), terms included: a fact-checker wants
/// to know which words nobody identifiable stands behind.
///
/// Example: `« … », a-t-on affirmé.` or `according to sources`.
pub struct VagueAttribution;

impl Rule for VagueAttribution {
    fn code(&self) -> &'static str {
        "vague-attribution"
    }
    fn default_severity(&self) -> Severity {
        Severity::Information
    }
    fn summary(&self) -> &'static str {
        "a quotation credited only to a vague source"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for q in &ctx.article.quotes {
            if q.attribution != Attribution::Anonymous {
                continue;
            }
            let span = q.extent();
            let source = q.speaker.as_deref().unwrap_or("an unnamed source");
            let message = match &q.cue {
                Some(cue) => format!(
                    "This quotation is credited only to a vague source: `{source}` ({})",
                    cue.text
                ),
                None => format!("This quotation is credited only to a vague source: `{source}`"),
            };
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span,
                message,
                data: q.speaker.map(String::from),
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

    fn run(text: &str) -> Vec<Finding> {
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let mut out = Vec::new();
        VagueAttribution.check(&RuleContext::standalone(text, &lines, &article), &mut out);
        out
    }

    #[test]
    fn french_impersonal_on_and_insider() {
        let text = "Poutine “n’a pas de véritables alliés en dehors de la Russie”, a-t-on affirmé.\n\nL’armée “changerait de camp”, affirme un initié.";
        let out = run(text);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].severity, Severity::Information);
        assert_eq!(
            out[0].message,
            "This quotation is credited only to a vague source: `on` (a-t-on affirmé)"
        );
        assert!(out[1].message.contains("`un initié`"));
    }

    #[test]
    fn english_sources_said() {
        let text = "“The offensive could start as early as January,” sources said.";
        let out = run(text);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("`sources`"));
    }

    #[test]
    fn named_and_described_sources_are_not_flagged() {
        let text = "« Nous resterons neutres », a déclaré Loukachenko. « La situation est compliquée », a estimé un haut responsable slovaque.";
        assert!(run(text).is_empty());
    }
}
