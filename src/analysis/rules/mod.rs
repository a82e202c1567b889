//! The diagnostic rule registry. A rule is one unit: a stable code, a default
//! severity, a doc comment with an example, a check over one analysed article,
//! and its own tests — in the spirit of ruff's and clippy's registries.
//!
//! Rules see one article plus the corpus facts the corpus layer hands in
//! through [`RuleContext`] (entity links, lines repeated across articles), so
//! they stay pure and testable.

pub mod annotation_mismatch;
mod boilerplate;
mod invalid_utf8;
mod misspelled_name;
mod name_variant;
mod stray_caption;
mod stray_quote_mark;
mod unattributed_quote;
mod untranslated_fragment;
mod vague_attribution;

use serde::Serialize;

use super::{Article, BoilerplateLine, Lines, Span};

/// How serious a finding is; `Off` only appears in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    /// Parses a configured level: `Ok(None)` means `off`.
    pub fn parse_level(s: &str) -> Result<Option<Severity>, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" | "ignore" => Ok(None),
            "hint" => Ok(Some(Severity::Hint)),
            "information" | "info" => Ok(Some(Severity::Information)),
            "warning" | "warn" => Ok(Some(Severity::Warning)),
            "error" => Ok(Some(Severity::Error)),
            other => Err(format!(
                "unknown severity `{other}`: expected off, hint, information, warning or error"
            )),
        }
    }
}

/// A text replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// A quick fix: a title and the edits that make it (applied as one step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One diagnostic produced by a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// Rule-specific detail, e.g. the boilerplate kind.
    pub data: Option<String>,
    /// Whether editors should fade the span (LSP `DiagnosticTag::Unnecessary`).
    pub unnecessary: bool,
    pub fixes: Vec<Fix>,
}

/// How a mention's surface relates to its entity's canonical name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkRelation {
    /// The canonical name itself, or a part of it (`Poutine` of `Vladimir Poutine`).
    Canonical,
    /// Another accepted spelling (transliteration, exonym, accents).
    Variant,
    /// A likely typo of a well-attested spelling.
    Typo,
}

/// The corpus's verdict on one mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionLink {
    /// Canonical name of the entity.
    pub canonical: String,
    /// The spelling the article should use instead of this surface, when it differs
    /// (the canonical form of the same length: surname for a surname).
    pub preferred_surface: Option<String>,
    pub relation: LinkRelation,
}

/// What a rule sees.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub lines: &'a Lines,
    pub article: &'a Article,
    /// One entry per `article.mentions` (same index); empty when no corpus is known.
    pub links: &'a [Option<MentionLink>],
    /// Lines of this article found repeated across the corpus.
    pub corpus_boilerplate: &'a [BoilerplateLine],
}

impl<'a> RuleContext<'a> {
    /// A context with no corpus facts (one article on its own).
    pub fn standalone(text: &'a str, lines: &'a Lines, article: &'a Article) -> Self {
        RuleContext {
            text,
            lines,
            article,
            links: &[],
            corpus_boilerplate: &[],
        }
    }

    /// Byte span of a line's content (empty span at the end for lines past the end).
    pub fn line_span(&self, line: usize) -> Span {
        self.lines
            .span(line)
            .map(|(s, e)| Span::new(s, e))
            .unwrap_or(Span::new(self.text.len(), self.text.len()))
    }

    /// Byte span of a line including its line break, for removing the whole line.
    pub fn line_span_with_break(&self, line: usize) -> Span {
        let start = self.line_span(line).start;
        let end = self
            .lines
            .span(line + 1)
            .map(|(s, _)| s)
            .unwrap_or(self.text.len());
        Span::new(start, end)
    }
}

/// A diagnostic rule.
pub trait Rule: Sync {
    /// The stable code (`unattributed-quote`).
    fn code(&self) -> &'static str;
    /// The severity used unless configuration says otherwise.
    fn default_severity(&self) -> Severity;
    /// One line saying what the rule flags.
    fn summary(&self) -> &'static str;
    /// Appends this rule's findings for one article.
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>);
}

static RULES: &[&dyn Rule] = &[
    &boilerplate::Boilerplate,
    &untranslated_fragment::UntranslatedFragment,
    &stray_caption::StrayCaption,
    &stray_quote_mark::StrayQuoteMark,
    &unattributed_quote::UnattributedQuote,
    &vague_attribution::VagueAttribution,
    &name_variant::NameVariant,
    &misspelled_name::MisspelledName,
    &invalid_utf8::InvalidUtf8,
    &annotation_mismatch::AnnotationMismatch,
];

/// Every rule, in a stable order.
pub fn registry() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this code.
pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.code() == code)
}

/// Runs every rule; findings are sorted by position.
pub fn run_all(ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        rule.check(ctx, &mut out);
    }
    out.sort_by(|a, b| (a.span, a.code).cmp(&(b.span, b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in registry() {
            assert!(seen.insert(r.code()), "duplicate code {}", r.code());
            assert!(r
                .code()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
            assert!(!r.summary().is_empty());
        }
        assert!(by_code("unattributed-quote").is_some());
        assert!(by_code("nope").is_none());
    }

    #[test]
    fn severity_levels_parse() {
        assert_eq!(Severity::parse_level("off"), Ok(None));
        assert_eq!(
            Severity::parse_level("Warning"),
            Ok(Some(Severity::Warning))
        );
        assert!(Severity::parse_level("loud").is_err());
    }
}
