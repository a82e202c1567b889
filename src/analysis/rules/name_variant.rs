//! Rule `name-variant`: a name spelled differently from its entity's canonical form

use super::{Finding, Rule, RuleContext, Severity};

/// Flags a spelling of an entity that differs from the canonical one.
///
/// Example: `Lukashenko` in a corpus where the canonical form is `Loukachenko`.
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
        let _ = (ctx, out);
    }
}
