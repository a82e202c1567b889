//! Rule `misspelled-name`: a name that is a likely typo of a well-attested one

use super::{Edit, Finding, Fix, LinkRelation, Rule, RuleContext, Severity};
use crate::analysis::Span;

/// Flags likely misspellings of well-attested names: a rare spelling one edit
/// away (on transliteration-folded keys) from a spelling the corpus uses often,
/// or from a name of the shipped gazetteer. Only the misspelt word is flagged;
/// the quick fix writes the well-attested spelling.
///
/// Example: `Volodymyr Zelesnky` where the corpus or the gazetteer has
/// `Zelensky` → warning on `Zelesnky`, fix "Replace with `Zelensky`".
pub struct MisspelledName;

impl Rule for MisspelledName {
    fn code(&self) -> &'static str {
        "misspelled-name"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a name that is a likely typo of a well-attested one"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (m, link) in ctx.article.mentions.iter().zip(ctx.links.iter()) {
            let Some(link) = link else { continue };
            if link.relation != LinkRelation::Typo {
                continue;
            }
            let Some(preferred) = link.preferred_surface.as_deref() else {
                continue;
            };
            if m.span().text(ctx.text) != &*m.text {
                continue;
            }
            let (span, wrong, right) = differing_words(&m.text, m.span(), preferred).unwrap_or((
                m.span(),
                m.text.to_string(),
                preferred.to_string(),
            ));
            if wrong == right {
                continue;
            }
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span,
                message: format!(
                    "`{wrong}` looks like a misspelling of `{right}` ({})",
                    link.canonical
                ),
                data: Some(right.clone()),
                unnecessary: false,
                fixes: vec![Fix {
                    title: format!("Replace with `{right}`"),
                    edits: vec![Edit {
                        span,
                        new_text: right,
                    }],
                }],
            });
        }
    }
}

/// The words of a mention (with byte offsets inside it), split on spaces.
fn word_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((st, s.get(st..i).unwrap_or("")));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.get(st..).unwrap_or("")));
    }
    out
}

/// The smallest run of words that differs between the surface and its
/// correction, as (span in the article, wrong text, right text).
fn differing_words(surface: &str, span: Span, preferred: &str) -> Option<(Span, String, String)> {
    let a = word_offsets(surface);
    let b = word_offsets(preferred);
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let first = a.iter().zip(&b).position(|(x, y)| x.1 != y.1)?;
    let last = a.iter().zip(&b).rposition(|(x, y)| x.1 != y.1)?;
    let (a_start, _) = *a.get(first)?;
    let (a_last, a_last_word) = *a.get(last)?;
    let a_end = a_last + a_last_word.len();
    let (b_start, _) = *b.get(first)?;
    let (b_last, b_last_word) = *b.get(last)?;
    let b_end = b_last + b_last_word.len();
    Some((
        Span::new(span.start + a_start, span.start + a_end),
        surface.get(a_start..a_end)?.to_string(),
        preferred.get(b_start..b_end)?.to_string(),
    ))
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
        MisspelledName.check(&ctx, &mut out);
        out
    }

    fn typo(canonical: &str, preferred: &str) -> MentionLink {
        MentionLink {
            canonical: canonical.into(),
            preferred_surface: Some(preferred.into()),
            relation: LinkRelation::Typo,
        }
    }

    #[test]
    fn flags_only_the_misspelt_word_in_french() {
        let text = "Il a parlé des forces du président Volodymyr Zelesnky à Kyiv.\n";
        let out = findings(text, |s| {
            (s == "Volodymyr Zelesnky").then(|| typo("Volodymyr Zelensky", "Volodymyr Zelensky"))
        });
        assert_eq!(out.len(), 1);
        let f = &out[0];
        assert_eq!(f.code, "misspelled-name");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.span.text(text), "Zelesnky");
        assert_eq!(f.fixes[0].title, "Replace with `Zelensky`");
        assert_eq!(f.fixes[0].edits[0].new_text, "Zelensky");
        assert!(f.message.contains("Volodymyr Zelensky"));
    }

    #[test]
    fn english_surname_typo() {
        let text = "Later, Lukashneko told reporters that Belarus would stay out.\n";
        let out = findings(text, |s| {
            (s == "Lukashneko").then(|| typo("Alexander Lukashenko", "Lukashenko"))
        });
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.text(text), "Lukashneko");
        assert_eq!(out[0].fixes[0].edits[0].new_text, "Lukashenko");
    }

    #[test]
    fn variants_are_not_misspellings() {
        let text = "Selon la presse, Lukashenko a rencontré Poutine.\n";
        let out = findings(text, |s| {
            Some(MentionLink {
                canonical: s.into(),
                preferred_surface: Some("Loukachenko".into()),
                relation: LinkRelation::Variant,
            })
        });
        assert!(out.is_empty());
    }
}
