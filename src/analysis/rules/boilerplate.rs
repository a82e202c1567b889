//! Rule `boilerplate`: a whole line that is not part of the article as its author wrote it

use super::{Edit, Finding, Fix, Rule, RuleContext, Severity, Span};

/// Flags boilerplate lines (navigation, cookie notices, related links, …): the
/// lines the structure analysis classified from cue tables and page shape, and
/// the lines the corpus found repeated across articles. The diagnostic covers
/// the line, is tagged unnecessary (editors fade it) and carries the kind in
/// `data`; its fix deletes the line with its line break.
///
/// Example: in
///
/// ```text
/// Home » MONDE » Poutine isolé…
///
/// Poutine isolé…
/// ```
///
/// line 1 is `navigation` (a breadcrumb), and "Remove boilerplate line" leaves
/// the text starting at `Poutine isolé…`.
pub struct Boilerplate;

/// The span that removes line `line` with its line break. When the line opens
/// a paragraph (first line, or after a blank line) and a blank line follows,
/// that blank line goes too, so no double blank remains. Edits built this way
/// for different lines never overlap (only a blank line is ever taken along).
pub(super) fn line_removal(ctx: &RuleContext<'_>, line: usize) -> Span {
    let mut span = ctx.line_span_with_break(line);
    let opens_paragraph = line == 0 || ctx.lines.is_blank(ctx.text, line - 1);
    let next_blank = line + 1 < ctx.lines.len() && ctx.lines.is_blank(ctx.text, line + 1);
    if opens_paragraph && next_blank {
        let after = ctx.line_span_with_break(line + 1);
        // Only when the blank line has its own break (is not the last line).
        if after.end > after.start && line + 2 < ctx.lines.len() {
            span.end = after.end;
        }
    }
    span
}

impl Rule for Boilerplate {
    fn code(&self) -> &'static str {
        "boilerplate"
    }
    fn default_severity(&self) -> Severity {
        Severity::Information
    }
    fn summary(&self) -> &'static str {
        "a whole line that is not part of the article as its author wrote it"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let own = ctx.article.structure.boilerplate.iter();
        let corpus = ctx.corpus_boilerplate.iter();
        let mut seen = std::collections::HashSet::new();
        for b in own.chain(corpus) {
            if !seen.insert(b.line) {
                continue;
            }
            let reason = if b.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", b.reason)
            };
            out.push(Finding {
                code: self.code(),
                severity: self.default_severity(),
                span: ctx.line_span(b.line),
                message: format!(
                    "Boilerplate ({}): {}, not part of the article{reason}",
                    b.kind.as_str(),
                    b.kind.describe(),
                ),
                data: Some(b.kind.as_str().to_string()),
                unnecessary: true,
                fixes: vec![Fix {
                    title: "Remove boilerplate line".to_string(),
                    edits: vec![Edit {
                        span: line_removal(ctx, b.line),
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
    use crate::analysis::{analyze, AnalysisOptions, BoilerplateKind, BoilerplateLine, Lines};

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut edits: Vec<&Edit> = edits.iter().collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.span.start..e.span.end, &e.new_text);
        }
        out
    }

    fn findings(text: &str) -> Vec<Finding> {
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let ctx = RuleContext::standalone(text, &lines, &article);
        let mut out = Vec::new();
        Boilerplate.check(&ctx, &mut out);
        out
    }

    const FR: &str = "Accueil » Monde » Poutine en visite à Minsk\n\n\
Poutine en visite à Minsk pour rallier Loukachenko\n\npar\n\n\
Le président russe s’est rendu lundi en Biélorussie pour rencontrer son homologue.\n\n\
Les deux dirigeants n’ont fait aucune déclaration commune à l’issue de la rencontre.\n\n\
Articles similaires\n\nLaisser un commentaire\n";

    #[test]
    fn french_page_furniture_is_flagged_and_removed() {
        let f = findings(FR);
        let kinds: Vec<&str> = f.iter().filter_map(|x| x.data.as_deref()).collect();
        assert_eq!(
            kinds,
            vec![
                "navigation",
                "empty-byline",
                "related-links",
                "comment-form"
            ]
        );
        assert!(f
            .iter()
            .all(|x| x.unnecessary && x.severity == Severity::Information));
        assert!(f[1].message.contains("empty byline"), "{}", f[1].message);
        let edits: Vec<Edit> = f.iter().flat_map(|x| x.fixes[0].edits.clone()).collect();
        assert_eq!(
            apply(FR, &edits),
            "Poutine en visite à Minsk pour rallier Loukachenko\n\n\
Le président russe s’est rendu lundi en Biélorussie pour rencontrer son homologue.\n\n\
Les deux dirigeants n’ont fait aucune déclaration commune à l’issue de la rencontre.\n\n"
        );
    }

    #[test]
    fn english_one_sentence_per_line_copy() {
        let text = "Putin visits Minsk to court his closest ally\nBy\n\
Russian President Vladimir Putin travelled to Minsk on Monday.\n\
He met Alexander Lukashenko for talks.\n\
Share on Facebook\n\
This website uses cookies to improve your experience.\n";
        let f = findings(text);
        let kinds: Vec<&str> = f.iter().filter_map(|x| x.data.as_deref()).collect();
        assert_eq!(kinds, vec!["empty-byline", "navigation", "cookie-notice"]);
        let one = apply(text, &f[1].fixes[0].edits);
        assert!(!one.contains("Share on Facebook"));
        assert!(one.contains("for talks.\nThis website"));
    }

    #[test]
    fn corpus_repeats_are_reported() {
        let text = "A title for the story here\n\nThe minister said the talks went well.\n\nThe Daily Brief, every morning in your inbox\n";
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        assert!(article.structure.boilerplate.is_empty());
        let repeated = vec![BoilerplateLine {
            line: 4,
            kind: BoilerplateKind::RepeatedAcrossCorpus,
            text: "The Daily Brief, every morning in your inbox".into(),
            reason: "this line appears verbatim in 3 articles of the corpus".into(),
        }];
        let mut ctx = RuleContext::standalone(text, &lines, &article);
        ctx.corpus_boilerplate = &repeated;
        let mut out = Vec::new();
        Boilerplate.check(&ctx, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].data.as_deref(), Some("repeated-across-corpus"));
        assert!(out[0].message.contains("3 articles"));
        let fixed = apply(text, &out[0].fixes[0].edits);
        assert_eq!(
            fixed,
            "A title for the story here\n\nThe minister said the talks went well.\n\n"
        );
    }

    #[test]
    fn a_line_known_twice_is_reported_once() {
        let text = "A title for the story here\n\nThe minister said the talks went well.\n\nSubscribe to the Daily Brief for more\n";
        let lines = Lines::new(text);
        let article = analyze(text, &AnalysisOptions::default());
        let repeated = vec![BoilerplateLine {
            line: 4,
            kind: BoilerplateKind::RepeatedAcrossCorpus,
            text: "Subscribe to the Daily Brief for more".into(),
            reason: "this line appears verbatim in 3 articles of the corpus".into(),
        }];
        let mut ctx = RuleContext::standalone(text, &lines, &article);
        ctx.corpus_boilerplate = &repeated;
        let mut out = Vec::new();
        Boilerplate.check(&ctx, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span, ctx.line_span(4));
    }
}
