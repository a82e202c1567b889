//! Rule `stray-quote-mark`: a quotation mark that opens or closes nothing

use super::{Finding, Rule, RuleContext, Severity};

/// Flags quotation marks that open or close nothing.
///
/// Example: the last `"` in `… "traînait en longueur". "`.
pub struct StrayQuoteMark;

impl Rule for StrayQuoteMark {
    fn code(&self) -> &'static str {
        "stray-quote-mark"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a quotation mark that opens or closes nothing"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let _ = (ctx, out);
    }
}
