//! User settings: what the editor sends (`initializationOptions`,
//! `workspace/configuration` section `news-ls`) and what the command line
//! accepts. Parsing is lenient: an invalid entry is reported and skipped, and
//! the rest still applies.

use std::collections::HashMap;

use serde_json::Value;

use crate::analysis::rules::{self, Finding, Severity};

/// When inlay hints name a quotation's speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InlayHintMode {
    #[default]
    All,
    UnattributedOnly,
    Off,
}

/// Settings of the server and the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Per-code severity overrides: `None` turns the code off.
    pub severities: HashMap<String, Option<Severity>>,
    pub inlay_hints: InlayHintMode,
    /// Files larger than this are not indexed.
    pub max_file_bytes: u64,
    /// A line found in this many articles is boilerplate.
    pub repeat_threshold: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            severities: HashMap::new(),
            inlay_hints: InlayHintMode::All,
            max_file_bytes: 10 * 1024 * 1024,
            repeat_threshold: 3,
        }
    }
}

impl Settings {
    /// The severity of a code after overrides (`None`: off).
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.severities.get(code) {
            Some(s) => *s,
            None => Some(default),
        }
    }

    /// Findings after the severity overrides (codes turned off are dropped).
    pub fn effective(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| {
                f.severity = self.severity(f.code, f.severity)?;
                Some(f)
            })
            .collect()
    }

    /// Applies a JSON settings object (the `news-ls` section, or an object that
    /// contains it under `news-ls`). Returns one message per invalid entry.
    pub fn apply_json(&mut self, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        let obj = match value.get("news-ls") {
            Some(inner) => inner,
            None => value,
        };
        let Some(obj) = obj.as_object() else {
            if !value.is_null() {
                errors.push("news-ls settings must be an object".to_string());
            }
            return errors;
        };
        for (key, v) in obj {
            match key.as_str() {
                "diagnostics" => match v.as_object() {
                    Some(map) => {
                        for (code, level) in map {
                            if rules::by_code(code).is_none() {
                                errors.push(format!(
                                    "news-ls.diagnostics.{code}: unknown diagnostic code (known: {})",
                                    known_codes()
                                ));
                                continue;
                            }
                            match level.as_str().map(Severity::parse_level) {
                                Some(Ok(s)) => {
                                    self.severities.insert(code.clone(), s);
                                }
                                Some(Err(e)) => errors.push(format!("news-ls.diagnostics.{code}: {e}")),
                                None => errors.push(format!(
                                    "news-ls.diagnostics.{code}: expected a string such as \"warning\""
                                )),
                            }
                        }
                    }
                    None => errors
                        .push("news-ls.diagnostics: expected an object of code → severity".into()),
                },
                "inlayHints" => match v.as_str() {
                    Some("all") => self.inlay_hints = InlayHintMode::All,
                    Some("unattributed") | Some("unattributedOnly") | Some("unattributed-only") => {
                        self.inlay_hints = InlayHintMode::UnattributedOnly
                    }
                    Some("off") => self.inlay_hints = InlayHintMode::Off,
                    _ => errors.push(
                        "news-ls.inlayHints: expected \"all\", \"unattributed\" or \"off\"".into(),
                    ),
                },
                "maxFileSize" => match v.as_u64() {
                    // Offsets are stored as 32-bit numbers.
                    Some(n) if n > 0 && n < u64::from(u32::MAX) => self.max_file_bytes = n,
                    _ => errors.push(
                        "news-ls.maxFileSize: expected a positive number of bytes below 4 GiB"
                            .into(),
                    ),
                },
                "repeatThreshold" => match v.as_u64() {
                    Some(n) if n >= 2 => {
                        self.repeat_threshold = usize::try_from(n).unwrap_or(usize::MAX)
                    }
                    _ => errors
                        .push("news-ls.repeatThreshold: expected a number of articles ≥ 2".into()),
                },
                // Settings read by editor clients only.
                "path" | "trace" | "server" => {}
                other => errors.push(format!("news-ls.{other}: unknown setting")),
            }
        }
        errors
    }
}

fn known_codes() -> String {
    rules::registry()
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_size_limit_stays_below_four_gib() {
        let mut s = Settings::default();
        assert!(s
            .apply_json(&json!({"news-ls": {"maxFileSize": 1024}}))
            .is_empty());
        assert_eq!(s.max_file_bytes, 1024);
        for bad in [
            json!(0),
            json!(4_294_967_295u64),
            json!(1u64 << 40),
            json!("big"),
        ] {
            let errs = s.apply_json(&json!({"news-ls": {"maxFileSize": bad}}));
            assert_eq!(errs.len(), 1, "{bad}");
            assert!(errs[0].contains("below 4 GiB"), "{errs:?}");
            assert_eq!(s.max_file_bytes, 1024, "{bad} kept the last good value");
        }
    }

    #[test]
    fn applies_severities_and_reports_bad_entries() {
        let mut s = Settings::default();
        let errs = s.apply_json(&json!({"news-ls": {
            "diagnostics": {"boilerplate": "off", "unattributed-quote": "error", "nope": "hint", "stray-caption": "loud"},
            "inlayHints": "unattributed",
            "repeatThreshold": 1
        }}));
        assert_eq!(s.severity("boilerplate", Severity::Information), None);
        assert_eq!(
            s.severity("unattributed-quote", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            s.severity("stray-caption", Severity::Information),
            Some(Severity::Information)
        );
        assert_eq!(s.inlay_hints, InlayHintMode::UnattributedOnly);
        assert_eq!(s.repeat_threshold, 3);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("nope")));
    }
}
