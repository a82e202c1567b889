//! Rule `boilerplate`: a whole line that is not part of the article as its author wrote it

use super::{Finding, Rule, RuleContext, Severity};

/// Flags boilerplate lines (navigation, cookie notices, related links, …).
///
/// Example: `Home » MONDE » Poutine isolé…` (navigation).
pub struct Boilerplate;

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
        let _ = (ctx, out);
    }
}
