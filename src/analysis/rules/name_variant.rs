//! Rule `name-variant`: a name spelled differently from its entity's canonical form

use super::{Edit, Finding, Fix, LinkRelation, Rule, RuleContext, Severity};

/// Flags a spelling of an entity that differs from the canonical one
/// (another transliteration, an exonym, missing accents), with a quick fix that
/// writes the canonical spelling of the same shape (the canonical surname for a
/// surname).
///
/// Example: `Lukashenko` in a corpus where the canonical form is `Alexandre
/// Loukachenko` → "Use canonical spelling `Loukachenko`"; `Kiev` where the
/// corpus mostly writes `Kyiv`.
pub struct NameVariant;

impl Rule for NameVariant {
    fn code(&self) -> &'static str {
        "name-variant"
    }
    fn default_severity(&self) -> Severity {
        Severity::Information
    }
    fn summary(&self) -> &'static str {
        "a name spelled differently from its entity's canonical form"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (m, link) in ctx.article.mentions.iter().zip(ctx.links.iter()) {
            let Some(link) = link else { continue };
            if link.relation != LinkRelation::Variant {
                continue;
            }
            let Some(preferred) = link.preferred_surface.as_deref() else {
                continue;
            };
            if preferred == &*m.text || m.span().text(ctx.text) != &*m.text {
                continue;
            }
            let message = if preferred == link.canonical {
                format!(
                    "`{}`: the corpus's canonical spelling is `{}`",
                    m.text, preferred
                )
            } else {
                format!(
                    "`{}`: the corpus's canonical spelling is `{}` (entity: {})",
                    m.text, preferred, link.canonical
                )
            };
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span: m.span(),
                message,
                data: Some(preferred.to_string()),
                unnecessary: false,
                fixes: vec![Fix {
                    title: format!("Use canonical spelling `{preferred}`"),
                    edits: vec![Edit {
                        span: m.span(),
                        new_text: preferred.to_string(),
                    }],
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::MentionLink;
    use crate::analysis::{analyze, AnalysisOptions, Lines};

    fn findings(text: &str, links: impl Fn(&str) -> Option<MentionLink>) -> Vec<Finding> {
        let article = analyze(text, &AnalysisOptions::default());
        let lines = Lines::new(text);
        let links: Vec<Option<MentionLink>> =
            article.mentions.iter().map(|m| links(&m.text)).collect();
        let mut ctx = RuleContext::standalone(text, &lines, &article);
        ctx.links = &links;
        let mut out = Vec::new();
        NameVariant.check(&ctx, &mut out);
        out
    }

    fn link(canonical: &str, preferred: Option<&str>, relation: LinkRelation) -> MentionLink {
        MentionLink {
            canonical: canonical.into(),
            preferred_surface: preferred.map(String::from),
            relation,
        }
    }

    #[test]
    fn french_variant_gets_the_canonical_surname() {
        let text = "Selon la presse, Lukashenko a rencontré Poutine à Minsk.\n";
        let out = findings(text, |s| match s {
            "Lukashenko" => Some(link(
                "Alexandre Loukachenko",
                Some("Loukachenko"),
                LinkRelation::Variant,
            )),
            "Poutine" => Some(link("Vladimir Poutine", None, LinkRelation::Canonical)),
            _ => None,
        });
        assert_eq!(out.len(), 1);
        let f = &out[0];
        assert_eq!(f.code, "name-variant");
        assert_eq!(f.severity, Severity::Information);
        assert_eq!(f.span.text(text), "Lukashenko");
        assert!(f.message.contains("Loukachenko"));
        assert_eq!(f.fixes[0].title, "Use canonical spelling `Loukachenko`");
        assert_eq!(f.fixes[0].edits[0].new_text, "Loukachenko");
        assert_eq!(f.fixes[0].edits[0].span, f.span);
    }

    #[test]
    fn english_exonym_variant() {
        let text = "Russian troops massed near Kiev on Monday, officials in Kyiv said.\n";
        let out = findings(text, |s| match s {
            "Kiev" => Some(link("Kyiv", Some("Kyiv"), LinkRelation::Variant)),
            "Kyiv" => Some(link("Kyiv", None, LinkRelation::Canonical)),
            _ => None,
        });
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.text(text), "Kiev");
        assert_eq!(
            out[0].message,
            "`Kiev`: the corpus's canonical spelling is `Kyiv`"
        );
    }

    #[test]
    fn canonical_and_typo_mentions_are_not_variants() {
        let text = "Le président Volodymyr Zelesnky a remercié Poutine.\n";
        let out = findings(text, |s| match s {
            "Volodymyr Zelesnky" => Some(link(
                "Volodymyr Zelensky",
                Some("Volodymyr Zelensky"),
                LinkRelation::Typo,
            )),
            _ => Some(link(s, None, LinkRelation::Canonical)),
        });
        assert!(out.is_empty());
        // Without corpus links nothing is reported.
        let article = analyze(text, &AnalysisOptions::default());
        let lines = Lines::new(text);
        let ctx = RuleContext::standalone(text, &lines, &article);
        let mut out = Vec::new();
        NameVariant.check(&ctx, &mut out);
        assert!(out.is_empty());
    }
}
