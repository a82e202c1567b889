//! Rule `misspelled-name`: a name that is a likely typo of a well-attested one

use super::{Finding, Rule, RuleContext, Severity};

/// Flags likely misspellings of well-attested names.
///
/// Example: `Zelesnky` where the corpus has `Zelensky`.
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
        let _ = (ctx, out);
    }
}
