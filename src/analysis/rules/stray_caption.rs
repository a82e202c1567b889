//! Rule `stray-caption`: a short caption line that interrupts the flow of the text

use super::boilerplate::line_removal;
use super::{Edit, Finding, Fix, Rule, RuleContext, Severity};

/// Flags image captions and alt texts scraped into the body (found by the
/// structure analysis: a short line interrupting a quotation, with other
/// apostrophes than the body, above a photo credit, naming a picture, or on a
/// page that drops captions inline). The fix removes the line.
///
/// Example: `Cadets de l'armée biélorusse` between two paragraphs of a quotation.
pub struct StrayCaption;

impl Rule for StrayCaption {
    fn code(&self) -> &'static str {
        "stray-caption"
    }
    fn default_severity(&self) -> Severity {
        Severity::Information
    }
    fn summary(&self) -> &'static str {
        "a short caption line that interrupts the flow of the text"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for c in &ctx.article.structure.captions {
            let shown: String = if c.text.chars().count() > 60 {
                let head: String = c.text.chars().take(59).collect();
                format!("{}…", head.trim_end())
            } else {
                c.text.clone()
            };
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span: ctx.line_span(c.line),
                message: format!(
                    "Stray caption: `{shown}` reads as an image caption or alt text scraped into the article text"
                ),
                data: None,
                unnecessary: false,
                fixes: vec![Fix {
                    title: "Remove caption line".to_string(),
                    edits: vec![Edit {
                        span: line_removal(ctx, c.line),
                        new_text: String::new(),
                    }],
                }],
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
        let ctx = RuleContext::standalone(text, &lines, &article);
        let mut out = Vec::new();
        StrayCaption.check(&ctx, &mut out);
        out
    }

    #[test]
    fn french_caption_inside_a_quotation() {
        let text = "Loukachenko refuse d’envoyer ses troupes en Ukraine\n\n\
Le président biélorusse a répété lundi qu’il n’enverrait pas de soldats.\n\n\
Il a déclaré : « Nous ne ferons pas la guerre à nos voisins, jamais.\n\n\
Cadets de l'armée biélorusse\n\n\
« Notre armée défend notre terre et rien d’autre », a-t-il ajouté.\n";
        let f = run(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span.text(text), "Cadets de l'armée biélorusse");
        assert_eq!(f[0].severity, Severity::Information);
        let e = &f[0].fixes[0].edits[0];
        let mut fixed = text.to_string();
        fixed.replace_range(e.span.start..e.span.end, "");
        assert!(fixed.contains("jamais.\n\n« Notre armée"));
    }

    #[test]
    fn english_caption_above_a_photo_credit() {
        let text = "Putin visits Minsk to court his closest ally\n\n\
Russian President Vladimir Putin travelled to Minsk on Monday for talks.\n\n\
Vladimir Putin and Alexander Lukashenko in Minsk\n\
Sergei Ilyin/Sputnik via Reuters\n\n\
The two leaders did not hold a joint news conference after the meeting.\n";
        let f = run(text);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].span.text(text),
            "Vladimir Putin and Alexander Lukashenko in Minsk"
        );
    }

    #[test]
    fn headings_are_not_captions() {
        let text = "Putin visits Minsk to court his closest ally\n\n\
Russian President Vladimir Putin travelled to Minsk on Monday for talks.\n\n\
Sanctions bite\n\n\
Western sanctions have made it hard for Belarus to export its potash.\n";
        assert!(run(text).is_empty());
    }
}
