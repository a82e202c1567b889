//! Rule `unattributed-quote`: a quotation that no one is credited with

use super::{Finding, Rule, RuleContext, Severity};

/// Flags quotations (not short terms) with no speaker in the sentence, the
/// surrounding sentences, or the paragraph it continues.
///
/// Example: `« Nous ne reculerons pas. »` in a paragraph that names nobody.
pub struct UnattributedQuote;

impl Rule for UnattributedQuote {
    fn code(&self) -> &'static str {
        "unattributed-quote"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a quotation that no one is credited with"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let _ = (ctx, out);
    }
}
