//! Rule `untranslated-fragment`: a bracketed span in another language than the article

use super::{Edit, Finding, Fix, Rule, RuleContext, Severity, Span};

/// Flags bracketed fragments left untranslated in a translated article (found
/// by the structure analysis: function words of another language, or a name
/// with another language's endings written nowhere else in the article). The
/// span covers the brackets; the fix removes the fragment and one adjacent
/// space, so no double space remains.
///
/// Example: `… un homme sage [it is because] il a dû …` in a French article
/// becomes `… un homme sage il a dû …`.
pub struct UntranslatedFragment;

/// The span that removes `span` and one space next to it: the space after it,
/// or the one before it when punctuation or the end of the line follows.
fn removal(text: &str, span: Span) -> Span {
    let before = text.get(..span.start).and_then(|s| s.chars().next_back());
    let after = text.get(span.end..).and_then(|s| s.chars().next());
    let is_space =
        |c: Option<char>| c.is_some_and(|c| c == ' ' || c == '\u{a0}' || c == '\u{202f}');
    let width = |c: Option<char>| c.map(char::len_utf8).unwrap_or(0);
    if is_space(after) && (is_space(before) || before.is_none_or(|c| !c.is_alphanumeric())) {
        Span::new(span.start, span.end + width(after))
    } else if is_space(before) {
        Span::new(span.start - width(before), span.end)
    } else if is_space(after) {
        Span::new(span.start, span.end + width(after))
    } else {
        span
    }
}

impl Rule for UntranslatedFragment {
    fn code(&self) -> &'static str {
        "untranslated-fragment"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a bracketed span in another language than the article"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let article_lang = ctx.article.language;
        for f in &ctx.article.structure.untranslated {
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span: f.span,
                message: format!(
                    "Untranslated fragment `{}`: it reads as `{}` in an article in `{}`",
                    f.text, f.language, article_lang
                ),
                data: Some(f.language.code().to_string()),
                unnecessary: false,
                fixes: vec![Fix {
                    title: "Remove bracketed fragment".to_string(),
                    edits: vec![Edit {
                        span: removal(ctx.text, f.span),
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
    use crate::analysis::{analyze, AnalysisOptions, Language, Lines};

    fn run(text: &str) -> Vec<Finding> {
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let ctx = RuleContext::standalone(text, &lines, &article);
        let mut out = Vec::new();
        UntranslatedFragment.check(&ctx, &mut out);
        out
    }

    fn fix(text: &str, f: &Finding) -> String {
        let e = &f.fixes[0].edits[0];
        let mut s = text.to_string();
        s.replace_range(e.span.start..e.span.end, &e.new_text);
        s
    }

    #[test]
    fn french_article_with_english_brackets() {
        let text = "Le président a dit qu’il voulait être un homme sage [it is because] il a dû tenir compte des [Belarusians] et de l’armée.\n\n\
Il a commenté : «[Lukashenko’s] prétendre que la Biélorussie est menacée est faux [in Belarus].\n\n\
Le ministre [de la Défense] a parlé [sic] hier.\n";
        let f = run(text);
        let spans: Vec<&str> = f.iter().map(|x| x.span.text(text)).collect();
        assert_eq!(
            spans,
            vec![
                "[it is because]",
                "[Belarusians]",
                "[Lukashenko’s]",
                "[in Belarus]"
            ]
        );
        assert!(f.iter().all(|x| x.severity == Severity::Warning));
        assert!(f[0].message.contains("`en`"), "{}", f[0].message);
        assert!(fix(text, &f[0]).contains("homme sage il a dû"));
        assert!(fix(text, &f[2]).contains("«prétendre"));
        assert!(fix(text, &f[3]).contains("est faux."));
    }

    #[test]
    fn english_article_with_french_brackets() {
        let text = "The president said the army [est prête] would not move, and the [Biélorusses] agreed.\n\n\
The minister [of defence] spoke on Monday.\n";
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        assert_eq!(article.language, Language::EN);
        let ctx = RuleContext::standalone(text, &lines, &article);
        let mut f = Vec::new();
        UntranslatedFragment.check(&ctx, &mut f);
        let spans: Vec<&str> = f.iter().map(|x| x.span.text(text)).collect();
        assert_eq!(spans, vec!["[est prête]", "[Biélorusses]"]);
        assert_eq!(fix(text, &f[0]), "The president said the army would not move, and the [Biélorusses] agreed.\n\nThe minister [of defence] spoke on Monday.\n");
    }
}
