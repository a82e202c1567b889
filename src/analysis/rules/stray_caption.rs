//! Rule `stray-caption`: a short caption line that interrupts the flow of the text

use super::{Finding, Rule, RuleContext, Severity};

/// Flags image captions and alt texts scraped into the body.
///
/// Example: `Cadets de l'armée biélorusse` between two paragraphs of a quotation.
pub struct StrayCaption;

impl Rule for StrayCaption {
    fn code(&self) -> &'static str {
        "stray-caption"
    }
    fn default_severity(&self) -> Severity {
        Severity::Information
    }
    fn summary(&self) -> &'static str {
        "a short caption line that interrupts the flow of the text"
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let _ = (ctx, out);
    }
}
