//! The corpus gazetteer `news-ls.toml` at a workspace root: curated entities
//! (canonical name, kind, spellings, identifier), words that are never
//! entities, extra boilerplate patterns and speech verbs, diagnostic
//! severities, suppressions, and the annotation type mapping.
//!
//! Reading is lenient and exact: every invalid entry is reported with the
//! byte range of the offending key or value in the TOML text, and everything
//! else still applies. User patterns are compiled with `regex` (linear-time
//! matching) under size limits. Editing helpers ([`add_not_entity`],
//! [`add_suppression`], [`add_entity`]) change one entry and keep the rest of
//! the file (comments, order, formatting) as it was, through `toml_edit`.
//!
//! ```toml
//! not_entities = ["Covid", "Brexit"]
//! boilerplate_patterns = ["^Lire aussi"]
//! speech_verbs = { fr = ["a martelé"], en = ["quipped"] }
//!
//! [diagnostics]
//! vague-attribution = "off"
//!
//! [annotation]
//! types = { Team = "organization" }   # extra BRAT type → kind
//! write = { person = "PER" }          # the type written for a kind
//! quotation = "Quotation"
//! speaker = "Speaker"
//!
//! [[entity]]
//! name = "Vladimir Poutine"
//! kind = "person"
//! spellings = ["Poutine", "Vladimir Putin"]
//! id = "Wikidata:Q7747"
//!
//! [[suppress]]
//! code = "unattributed-quote"
//! file = "2022/*.txt"
//! text = "Nous vaincrons"
//! ```

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::analysis::rules::{self, Severity};
use crate::analysis::{AnalysisOptions, EntityKind, Language, Span};

use super::curated::{CuratedRole, CuratedSpan, Source, TypeMap};

/// The gazetteer's file name.
pub const FILE_NAME: &str = "news-ls.toml";

/// Longest accepted user pattern, in bytes.
const MAX_PATTERN_LEN: usize = 1000;
/// Compiled-size limit of one user pattern.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A curated entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazEntity {
    pub name: String,
    pub kind: EntityKind,
    /// Other spellings (the name itself is always matched too).
    pub spellings: Vec<String>,
    /// An identity such as `Wikidata:Q7747`.
    pub id: Option<String>,
}

/// A finding to hide: by code, optionally in the files matching a glob
/// (relative to the gazetteer's folder) and optionally only where the flagged
/// text is this.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub code: String,
    pub file: Option<String>,
    glob: Option<globset::GlobMatcher>,
    pub text: Option<String>,
    /// Where the entry is written in `news-ls.toml`.
    pub span: Range<usize>,
}

impl Suppression {
    /// Whether this entry hides a finding with `code` on `flagged` text in the
    /// file at `rel_path` (relative to the gazetteer's folder, `/`-separated).
    pub fn matches(&self, rel_path: &str, code: &str, flagged: &str) -> bool {
        (self.code == code || self.code == "*")
            && self.glob.as_ref().is_none_or(|g| g.is_match(rel_path))
            && self
                .text
                .as_deref()
                .is_none_or(|t| t.trim() == flagged.trim())
    }

    /// Whether the entry can apply to a file at all.
    pub fn applies_to(&self, rel_path: &str) -> bool {
        self.glob.as_ref().is_none_or(|g| g.is_match(rel_path))
    }
}

/// A problem in `news-ls.toml`, with the exact byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub span: Range<usize>,
    pub message: String,
    pub severity: Severity,
}

/// A parsed `news-ls.toml`.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub entities: Vec<GazEntity>,
    pub not_entities: Vec<String>,
    pub boilerplate_patterns: Vec<regex::Regex>,
    /// Language code → verbs.
    pub speech_verbs: BTreeMap<String, Vec<String>>,
    /// Code → severity (`None`: off).
    pub severities: HashMap<String, Option<Severity>>,
    pub suppress: Vec<Suppression>,
    pub types: TypeMap,
    /// Problems found reading the file.
    pub issues: Vec<Issue>,
    matcher: OnceLock<Option<(AhoCorasick, Vec<usize>)>>,
    not_entity_set: OnceLock<std::collections::HashSet<String>>,
}

struct Reader<'a> {
    src: &'a str,
    issues: Vec<Issue>,
}

fn span_of(item: &Item) -> Range<usize> {
    item.span().unwrap_or(0..0)
}

fn value_span(v: &Value) -> Range<usize> {
    v.span().unwrap_or(0..0)
}

fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_)) => "an integer",
        Item::Value(Value::Float(_)) => "a float",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn parse_kind(s: &str) -> Option<EntityKind> {
    match s.trim().to_lowercase().as_str() {
        "person" | "per" => Some(EntityKind::Person),
        "place" | "location" | "loc" | "gpe" => Some(EntityKind::Place),
        "organization" | "organisation" | "org" => Some(EntityKind::Organization),
        "other" | "misc" => Some(EntityKind::Other),
        _ => None,
    }
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.issues.push(Issue {
            span,
            message: message.into(),
            severity: Severity::Error,
        });
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.issues.push(Issue {
            span,
            message: message.into(),
            severity: Severity::Warning,
        });
    }

    /// The span of a key in a table (falls back to the item's).
    fn key_span(table: &dyn TableLike, key: &str) -> Range<usize> {
        table
            .key(key)
            .and_then(|k| k.span())
            .or_else(|| table.get(key).and_then(Item::span))
            .unwrap_or(0..0)
    }

    /// An array of strings; bad elements are reported and skipped.
    fn strings(&mut self, what: &str, item: &Item) -> Vec<(String, Range<usize>)> {
        let Some(array) = item.as_array() else {
            self.error(
                span_of(item),
                format!(
                    "`{what}` must be an array of strings, not {}",
                    type_name(item)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for v in array.iter() {
            match v.as_str() {
                Some(s) if !s.trim().is_empty() => out.push((s.to_string(), value_span(v))),
                Some(_) => self.error(value_span(v), format!("`{what}`: empty string")),
                None => self.error(value_span(v), format!("`{what}`: expected a string here")),
            }
        }
        out
    }

    fn string(&mut self, table: &dyn TableLike, key: &str, ctx: &str) -> Option<String> {
        let item = table.get(key)?;
        match item.as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.to_string()),
            Some(_) => {
                self.error(span_of(item), format!("{ctx}: `{key}` is empty"));
                None
            }
            None => {
                self.error(
                    span_of(item),
                    format!("{ctx}: `{key}` must be a string, not {}", type_name(item)),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, table: &dyn TableLike, known: &[&str], ctx: &str) {
        for (k, _) in table.iter() {
            if !known.contains(&k) {
                let span = Self::key_span(table, k);
                self.warning(
                    span,
                    format!(
                        "{ctx}: unknown key `{k}` (expected one of: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    /// The tables of an array of tables or of an array of inline tables.
    fn tables<'i>(&mut self, what: &str, item: &'i Item) -> Vec<(&'i dyn TableLike, Range<usize>)> {
        match item {
            Item::ArrayOfTables(a) => a
                .iter()
                .map(|t| (t as &dyn TableLike, t.span().unwrap_or(0..0)))
                .collect(),
            Item::Value(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a.iter() {
                    match v.as_inline_table() {
                        Some(t) => out.push((t as &dyn TableLike, value_span(v))),
                        None => {
                            self.error(value_span(v), format!("`{what}`: expected a table here"))
                        }
                    }
                }
                out
            }
            other => {
                self.error(
                    span_of(other),
                    format!(
                        "`{what}` must be written as `[[{what}]]` tables, not {}",
                        type_name(other)
                    ),
                );
                Vec::new()
            }
        }
    }
}

/// Compiles a user pattern with size limits.
pub fn compile_pattern(p: &str) -> Result<regex::Regex, String> {
    if p.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "pattern is {} bytes long; the limit is {MAX_PATTERN_LEN}",
            p.len()
        ));
    }
    regex::RegexBuilder::new(p)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(64)
        .build()
        .map_err(|e| {
            let msg = e.to_string();
            let last = msg
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            format!("invalid regular expression: {}", last.trim())
        })
}

impl Gazetteer {
    /// Parses `news-ls.toml`. Never fails: problems are in [`Gazetteer::issues`].
    pub fn parse(src: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        let doc = match ImDocument::parse(src) {
            Ok(d) => d,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                g.issues.push(Issue {
                    span,
                    message: format!(
                        "news-ls.toml is not valid TOML: {}; nothing in it applies until this is fixed",
                        e.message().trim()
                    ),
                    severity: Severity::Error,
                });
                return g;
            }
        };
        let mut r = Reader {
            src,
            issues: Vec::new(),
        };
        let root = doc.as_table();
        for (key, item) in root.iter() {
            match key {
                "not_entities" => {
                    g.not_entities = r
                        .strings("not_entities", item)
                        .into_iter()
                        .map(|(s, _)| s.trim().to_string())
                        .collect();
                }
                "boilerplate_patterns" => {
                    for (p, span) in r.strings("boilerplate_patterns", item) {
                        match compile_pattern(&p) {
                            Ok(re) => g.boilerplate_patterns.push(re),
                            Err(e) => r.error(span, format!("boilerplate_patterns: {e}")),
                        }
                    }
                }
                "speech_verbs" => g.read_speech_verbs(&mut r, item),
                "diagnostics" => g.read_diagnostics(&mut r, item),
                "entity" | "entities" => g.read_entities(&mut r, key, item),
                "suppress" => g.read_suppress(&mut r, item),
                "annotation" => g.read_annotation(&mut r, item),
                other => {
                    let span = Reader::key_span(root, other);
                    r.warning(
                        span,
                        format!(
                            "unknown key `{other}` (expected: not_entities, boilerplate_patterns, \
                             speech_verbs, diagnostics, entity, suppress, annotation)"
                        ),
                    );
                }
            }
        }
        let _ = r.src;
        g.issues = r.issues;
        g
    }

    fn read_speech_verbs(&mut self, r: &mut Reader<'_>, item: &Item) {
        let Some(table) = item.as_table_like() else {
            r.error(
                span_of(item),
                "`speech_verbs` must be a table of language → verbs, e.g. `{ fr = [\"a martelé\"] }`",
            );
            return;
        };
        for (lang, verbs) in table.iter() {
            let span = Reader::key_span(table, lang);
            if Language::from_code(lang).is_none() {
                let valid =
                    (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
                if !valid {
                    r.error(
                        span,
                        format!(
                            "speech_verbs: `{lang}` is not a language code such as `fr` or `en`"
                        ),
                    );
                    continue;
                }
                r.warning(
                    span,
                    format!("speech_verbs: no data for language `{lang}` yet; these verbs are still used"),
                );
            }
            let list: Vec<String> = r
                .strings(&format!("speech_verbs.{lang}"), verbs)
                .into_iter()
                .map(|(s, _)| s.trim().to_string())
                .collect();
            self.speech_verbs
                .entry(lang.to_string())
                .or_default()
                .extend(list);
        }
    }

    fn read_diagnostics(&mut self, r: &mut Reader<'_>, item: &Item) {
        let Some(table) = item.as_table_like() else {
            r.error(
                span_of(item),
                "`diagnostics` must be a table of code = \"severity\"",
            );
            return;
        };
        for (code, level) in table.iter() {
            if rules::by_code(code).is_none() {
                let known: Vec<&str> = rules::registry().iter().map(|r| r.code()).collect();
                r.error(
                    Reader::key_span(table, code),
                    format!(
                        "diagnostics: unknown code `{code}` (known: {})",
                        known.join(", ")
                    ),
                );
                continue;
            }
            match level.as_str().map(Severity::parse_level) {
                Some(Ok(s)) => {
                    self.severities.insert(code.to_string(), s);
                }
                Some(Err(e)) => r.error(span_of(level), format!("diagnostics.{code}: {e}")),
                None => r.error(
                    span_of(level),
                    format!("diagnostics.{code}: expected a string such as \"warning\" or \"off\""),
                ),
            }
        }
    }

    fn read_entities(&mut self, r: &mut Reader<'_>, key: &str, item: &Item) {
        for (t, span) in r.tables(key, item) {
            r.unknown_keys(
                t,
                &["name", "kind", "spellings", "id", "identifier"],
                "entity",
            );
            let Some(name) = r.string(t, "name", "entity") else {
                if t.get("name").is_none() {
                    r.error(span, "entity: `name` (the canonical name) is required");
                }
                continue;
            };
            let kind = match t.get("kind") {
                None => {
                    r.error(
                        span,
                        format!("entity `{name}`: `kind` is required (person, place, organization or other)"),
                    );
                    continue;
                }
                Some(k) => match k.as_str().and_then(parse_kind) {
                    Some(kind) => kind,
                    None => {
                        r.error(
                            span_of(k),
                            format!("entity `{name}`: `kind` must be person, place, organization or other"),
                        );
                        continue;
                    }
                },
            };
            let spellings = match t.get("spellings") {
                Some(s) => r
                    .strings("spellings", s)
                    .into_iter()
                    .map(|(s, _)| s.trim().to_string())
                    .collect(),
                None => Vec::new(),
            };
            let id = r
                .string(t, "id", "entity")
                .or_else(|| r.string(t, "identifier", "entity"));
            if let Some(i) = &id {
                if i.chars().any(char::is_whitespace) {
                    let at = t
                        .get("id")
                        .or_else(|| t.get("identifier"))
                        .map_or(span.clone(), span_of);
                    r.error(
                        at,
                        format!("entity `{name}`: an identifier cannot contain spaces"),
                    );
                    continue;
                }
            }
            self.entities.push(GazEntity {
                name: name.trim().to_string(),
                kind,
                spellings,
                id,
            });
        }
    }

    fn read_suppress(&mut self, r: &mut Reader<'_>, item: &Item) {
        for (t, span) in r.tables("suppress", item) {
            r.unknown_keys(t, &["code", "file", "text"], "suppress");
            let Some(code) = r.string(t, "code", "suppress") else {
                if t.get("code").is_none() {
                    r.error(
                        span,
                        "suppress: `code` is required (a diagnostic code, or \"*\")",
                    );
                }
                continue;
            };
            if code != "*" && rules::by_code(&code).is_none() {
                let at = t.get("code").map_or(span.clone(), span_of);
                r.error(at, format!("suppress: unknown code `{code}`"));
                continue;
            }
            let file = r.string(t, "file", "suppress");
            let glob = match &file {
                Some(f) => match globset::GlobBuilder::new(f)
                    .literal_separator(false)
                    .build()
                {
                    Ok(g) => Some(g.compile_matcher()),
                    Err(e) => {
                        let at = t.get("file").map_or(span.clone(), span_of);
                        r.error(at, format!("suppress: invalid file pattern: {}", e.kind()));
                        continue;
                    }
                },
                None => None,
            };
            let text = r.string(t, "text", "suppress");
            self.suppress.push(Suppression {
                code,
                file,
                glob,
                text,
                span,
            });
        }
    }

    fn read_annotation(&mut self, r: &mut Reader<'_>, item: &Item) {
        let Some(table) = item.as_table_like() else {
            r.error(span_of(item), "`annotation` must be a table");
            return;
        };
        r.unknown_keys(
            table,
            &["types", "write", "quotation", "speaker"],
            "annotation",
        );
        if let Some(types) = table.get("types") {
            match types.as_table_like() {
                Some(t) => {
                    for (name, kind) in t.iter() {
                        match kind.as_str().and_then(parse_kind) {
                            Some(k) => self.types.set_kind(name, k),
                            None => r.error(
                                span_of(kind),
                                format!("annotation.types.{name}: expected person, place, organization or other"),
                            ),
                        }
                    }
                }
                None => r.error(
                    span_of(types),
                    "annotation.types must be a table of type = \"kind\"",
                ),
            }
        }
        if let Some(write) = table.get("write") {
            match write.as_table_like() {
                Some(t) => {
                    for (kind, name) in t.iter() {
                        let Some(k) = parse_kind(kind) else {
                            r.error(
                                Reader::key_span(t, kind),
                                format!("annotation.write: `{kind}` is not a kind (person, place, organization, other)"),
                            );
                            continue;
                        };
                        match name.as_str().filter(|s| valid_type_name(s)) {
                            Some(s) => self.types.set_written(k, s),
                            None => r.error(
                                span_of(name),
                                "annotation.write: expected a type name without spaces",
                            ),
                        }
                    }
                }
                None => r.error(
                    span_of(write),
                    "annotation.write must be a table of kind = \"Type\"",
                ),
            }
        }
        if let Some(q) = r.string(table, "quotation", "annotation") {
            if valid_type_name(&q) {
                self.types.set_quotation_type(&q);
            } else {
                let at = table.get("quotation").map_or(0..0, span_of);
                r.error(
                    at,
                    "annotation.quotation: a type name cannot contain spaces",
                );
            }
        }
        if let Some(s) = r.string(table, "speaker", "annotation") {
            if valid_type_name(&s) {
                self.types.set_speaker_relation(&s);
            } else {
                let at = table.get("speaker").map_or(0..0, span_of);
                r.error(
                    at,
                    "annotation.speaker: a relation name cannot contain spaces",
                );
            }
        }
    }

    /// Analysis options from this gazetteer.
    pub fn to_analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions {
            language: None,
            extra_speech_verbs: self.speech_verbs.values().flatten().cloned().collect(),
            not_entities: self.not_entities.clone(),
            extra_boilerplate: self.boilerplate_patterns.clone(),
        }
    }

    /// The canonical name of an identity, when an entity declares it.
    pub fn name_of_identity(&self, identity: &str) -> Option<&str> {
        self.entities
            .iter()
            .find(|e| e.id.as_deref() == Some(identity))
            .map(|e| e.name.as_str())
    }

    /// Whether a surface is listed as never an entity (case-insensitive).
    pub fn is_not_entity(&self, surface: &str) -> bool {
        if self.not_entities.is_empty() {
            return false;
        }
        self.not_entity_set
            .get_or_init(|| self.not_entities.iter().map(|w| w.to_lowercase()).collect())
            .contains(&surface.trim().to_lowercase())
    }

    fn matcher(&self) -> Option<&(AhoCorasick, Vec<usize>)> {
        self.matcher
            .get_or_init(|| {
                let mut patterns = Vec::new();
                let mut owner = Vec::new();
                for (i, e) in self.entities.iter().enumerate() {
                    for s in std::iter::once(&e.name).chain(&e.spellings) {
                        if !s.is_empty() {
                            patterns.push(s.clone());
                            owner.push(i);
                        }
                    }
                }
                if patterns.is_empty() {
                    return None;
                }
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
                    .map(|ac| (ac, owner))
            })
            .as_ref()
    }

    /// Every whole-word occurrence of a curated entity's name or spellings.
    pub fn entity_spans(&self, text: &str) -> Vec<CuratedSpan> {
        let Some((ac, owner)) = self.matcher() else {
            return Vec::new();
        };
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let mut out = Vec::new();
        for m in ac.find_iter(text) {
            let before = text.get(..m.start()).and_then(|s| s.chars().next_back());
            let after = text.get(m.end()..).and_then(|s| s.chars().next());
            if word(before) || word(after) {
                continue;
            }
            let Some(e) = owner
                .get(m.pattern().as_usize())
                .and_then(|&i| self.entities.get(i))
            else {
                continue;
            };
            let span = Span::new(m.start(), m.end());
            out.push(CuratedSpan {
                span,
                text: span.text(text).to_string(),
                role: CuratedRole::Entity {
                    kind: e.kind,
                    type_name: self.types.written(e.kind).to_string(),
                    identity: e.id.clone(),
                    canonical: Some(e.name.clone()),
                },
                source: Source::Gazetteer,
                id: None,
            });
        }
        out
    }
}

fn valid_type_name(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == ':' || c == ';')
}

fn parse_mut(src: &str) -> Result<toml_edit::DocumentMut, String> {
    src.parse::<toml_edit::DocumentMut>().map_err(|e| {
        format!(
            "news-ls.toml is not valid TOML ({}); fix it before adding entries",
            e.message().trim()
        )
    })
}

/// Adds a word to `not_entities` (no change when it is there already).
pub fn add_not_entity(src: &str, word: &str) -> Result<String, String> {
    let mut doc = parse_mut(src)?;
    let word = word.trim();
    let item = doc
        .entry("not_entities")
        .or_insert(toml_edit::value(toml_edit::Array::new()));
    let Some(array) = item.as_array_mut() else {
        return Err("`not_entities` in news-ls.toml is not an array".to_string());
    };
    if array.iter().any(|v| v.as_str() == Some(word)) {
        return Ok(src.to_string());
    }
    array.push(word);
    Ok(doc.to_string())
}

/// Adds a `[[suppress]]` entry (no change when an identical one exists).
pub fn add_suppression(
    src: &str,
    code: &str,
    file: Option<&str>,
    text: Option<&str>,
) -> Result<String, String> {
    let mut doc = parse_mut(src)?;
    let same = |t: &dyn TableLike| {
        t.get("code").and_then(Item::as_str) == Some(code)
            && t.get("file").and_then(Item::as_str) == file
            && t.get("text").and_then(Item::as_str) == text
    };
    let mut table = toml_edit::Table::new();
    table.insert("code", toml_edit::value(code));
    if let Some(f) = file {
        table.insert("file", toml_edit::value(f));
    }
    if let Some(t) = text {
        table.insert("text", toml_edit::value(t));
    }
    match doc.get_mut("suppress") {
        None => {
            let mut aot = toml_edit::ArrayOfTables::new();
            aot.push(table);
            doc.insert("suppress", Item::ArrayOfTables(aot));
        }
        Some(Item::ArrayOfTables(aot)) => {
            if aot.iter().any(|t| same(t)) {
                return Ok(src.to_string());
            }
            aot.push(table);
        }
        Some(Item::Value(Value::Array(a))) => {
            if a.iter().filter_map(Value::as_inline_table).any(|t| same(t)) {
                return Ok(src.to_string());
            }
            a.push(table.into_inline_table());
        }
        Some(_) => return Err("`suppress` in news-ls.toml is not a list of tables".to_string()),
    }
    Ok(doc.to_string())
}

/// Adds an entity, or a spelling (and identifier) to the entity with that name.
pub fn add_entity(
    src: &str,
    name: &str,
    kind: EntityKind,
    spellings: &[String],
    id: Option<&str>,
) -> Result<String, String> {
    let mut doc = parse_mut(src)?;
    let merge = |t: &mut dyn TableLike| {
        if let Some(id) = id {
            if t.get("id").is_none() && t.get("identifier").is_none() {
                t.insert("id", toml_edit::value(id));
            }
        }
        let entry = t
            .entry("spellings")
            .or_insert(toml_edit::value(toml_edit::Array::new()));
        if let Some(a) = entry.as_array_mut() {
            for s in spellings {
                if s != name && !a.iter().any(|v| v.as_str() == Some(s)) {
                    a.push(s.as_str());
                }
            }
        }
    };
    let mut table = toml_edit::Table::new();
    table.insert("name", toml_edit::value(name));
    table.insert("kind", toml_edit::value(kind.as_str()));
    let extra: Vec<&String> = spellings.iter().filter(|s| *s != name).collect();
    if !extra.is_empty() {
        let mut a = toml_edit::Array::new();
        for s in extra {
            a.push(s.as_str());
        }
        table.insert("spellings", toml_edit::value(a));
    }
    if let Some(id) = id {
        table.insert("id", toml_edit::value(id));
    }
    match doc.get_mut("entity") {
        None => {
            let mut aot = toml_edit::ArrayOfTables::new();
            aot.push(table);
            doc.insert("entity", Item::ArrayOfTables(aot));
        }
        Some(Item::ArrayOfTables(aot)) => {
            let found = aot
                .iter()
                .position(|t| t.get("name").and_then(Item::as_str) == Some(name));
            match found.and_then(|i| aot.get_mut(i)) {
                Some(t) => merge(t),
                None => aot.push(table),
            }
        }
        Some(Item::Value(Value::Array(a))) => {
            let found = a.iter().position(|v| {
                v.as_inline_table()
                    .and_then(|t| t.get("name"))
                    .and_then(Value::as_str)
                    == Some(name)
            });
            match found
                .and_then(|i| a.get_mut(i))
                .and_then(Value::as_inline_table_mut)
            {
                Some(t) => merge(t),
                None => a.push(table.into_inline_table()),
            }
        }
        Some(_) => return Err("`entity` in news-ls.toml is not a list of tables".to_string()),
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# Corpus gazetteer
not_entities = ["Covid", "Brexit"]
boilerplate_patterns = ["^Lire aussi", "(?i)^publicité$"]
speech_verbs = { fr = ["a martelé", "a tonné"], en = ["quipped"] }

[diagnostics]
vague-attribution = "off"
boilerplate = "warning"

[annotation]
types = { Team = "organization" }
write = { person = "PER" }

[[entity]]
name = "Vladimir Poutine"
kind = "person"
spellings = ["Poutine", "Vladimir Putin", "Putin"]
id = "Wikidata:Q7747"

[[entity]]
name = "Kyiv"
kind = "place"
spellings = ["Kiev", "Kyïv"]

[[suppress]]
code = "unattributed-quote"
file = "2022/*.txt"
text = "Nous vaincrons"
"#;

    #[test]
    fn reads_every_section() {
        let g = Gazetteer::parse(GOOD);
        assert!(g.issues.is_empty(), "{:?}", g.issues);
        assert_eq!(g.not_entities, vec!["Covid", "Brexit"]);
        assert_eq!(g.boilerplate_patterns.len(), 2);
        assert!(g.boilerplate_patterns[1].is_match("PUBLICITÉ"));
        assert_eq!(g.speech_verbs["fr"], vec!["a martelé", "a tonné"]);
        assert_eq!(g.severities.get("vague-attribution"), Some(&None));
        assert_eq!(
            g.severities.get("boilerplate"),
            Some(&Some(Severity::Warning))
        );
        assert_eq!(g.entities.len(), 2);
        assert_eq!(g.entities[0].kind, EntityKind::Person);
        assert_eq!(g.entities[0].id.as_deref(), Some("Wikidata:Q7747"));
        assert_eq!(
            g.name_of_identity("Wikidata:Q7747"),
            Some("Vladimir Poutine")
        );
        assert_eq!(g.types.kind("team"), EntityKind::Organization);
        assert_eq!(g.types.written(EntityKind::Person), "PER");
        let s = &g.suppress[0];
        assert!(s.matches("2022/a.txt", "unattributed-quote", " Nous vaincrons "));
        assert!(s.matches("2022/sub/a.txt", "unattributed-quote", "Nous vaincrons"));
        assert!(!s.matches("2023/a.txt", "unattributed-quote", "Nous vaincrons"));
        assert!(!s.matches("2022/a.txt", "boilerplate", "Nous vaincrons"));
        let o = g.to_analysis_options();
        assert_eq!(o.not_entities, vec!["Covid", "Brexit"]);
        assert_eq!(o.extra_speech_verbs.len(), 3);
        assert_eq!(o.extra_boilerplate.len(), 2);
    }

    fn at<'a>(src: &'a str, issue: &Issue) -> &'a str {
        &src[issue.span.clone()]
    }

    #[test]
    fn invalid_entries_are_reported_at_their_exact_place_and_the_rest_applies() {
        let src = r#"not_entities = ["Covid", 3]
boilerplate_patterns = ["(unclosed", "^ok$"]
speech_verbs = { fr = ["dit"], "Français" = ["x"] }
colour = "blue"

[diagnostics]
nope = "warning"
boilerplate = "loud"

[[entity]]
name = "Kyiv"
kind = "city"

[[entity]]
kind = "person"

[[entity]]
name = "Olaf Scholz"
kind = "person"

[[suppress]]
code = "no-such-code"

[[suppress]]
code = "boilerplate"
file = "a/[b"
"#;
        let g = Gazetteer::parse(src);
        let found: Vec<(&str, Severity)> =
            g.issues.iter().map(|i| (at(src, i), i.severity)).collect();
        assert_eq!(
            found,
            vec![
                ("3", Severity::Error),
                ("\"(unclosed\"", Severity::Error),
                ("\"Français\"", Severity::Error),
                ("colour", Severity::Warning),
                ("nope", Severity::Error),
                ("\"loud\"", Severity::Error),
                ("\"city\"", Severity::Error),
                ("[[entity]]\nkind = \"person\"", Severity::Error),
                ("\"no-such-code\"", Severity::Error),
                ("\"a/[b\"", Severity::Error),
            ],
            "{:#?}",
            g.issues
        );
        // The valid rest applies.
        assert_eq!(g.not_entities, vec!["Covid"]);
        assert_eq!(g.boilerplate_patterns.len(), 1);
        assert_eq!(g.speech_verbs["fr"], vec!["dit"]);
        assert_eq!(g.entities.len(), 1);
        assert_eq!(g.entities[0].name, "Olaf Scholz");
        assert!(g.suppress.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn issues_always_lie_inside_the_text(
            src in "((not_entities|speech_verbs|entity|diagnostics|x)[ ]?=?[ ]?[\\[{\"]?[a-zé ,=\"]{0,12}[\\]}\"]?\n|\\[\\[?(entity|suppress|annotation)\\]\\]?\n){0,6}"
        ) {
            let g = Gazetteer::parse(&src);
            for i in &g.issues {
                proptest::prop_assert!(i.span.start <= i.span.end && i.span.end <= src.len());
                proptest::prop_assert!(src.is_char_boundary(i.span.start) && src.is_char_boundary(i.span.end));
            }
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let src = "not_entities = [\"a\"\n[x]\n";
        let g = Gazetteer::parse(src);
        assert_eq!(g.issues.len(), 1);
        assert!(g.issues[0].message.contains("not valid TOML"));
        assert!(g.issues[0].span.start <= src.len());
        assert!(g.not_entities.is_empty());
    }

    #[test]
    fn huge_patterns_are_refused() {
        let big = format!("boilerplate_patterns = [\"{}\"]\n", "a".repeat(2000));
        let g = Gazetteer::parse(&big);
        assert_eq!(g.issues.len(), 1);
        assert!(g.issues[0].message.contains("limit"));
        // A pattern that compiles into a huge automaton is refused by the size limit.
        assert!(compile_pattern(r"\w{500}\w{500}\w{500}").is_err());
    }

    #[test]
    fn entity_spans_match_whole_words_of_names_and_spellings() {
        let g = Gazetteer::parse(GOOD);
        let fr = "Poutine a parlé à Kiev; Poutinemania n'est pas un nom.";
        let spans = g.entity_spans(fr);
        let got: Vec<(&str, Option<EntityKind>)> =
            spans.iter().map(|s| (s.text.as_str(), s.kind())).collect();
        assert_eq!(
            got,
            vec![
                ("Poutine", Some(EntityKind::Person)),
                ("Kiev", Some(EntityKind::Place))
            ]
        );
        let en = "Vladimir Putin visited Kyiv.";
        let spans = g.entity_spans(en);
        assert_eq!(spans[0].text, "Vladimir Putin", "longest spelling wins");
        let CuratedRole::Entity {
            canonical,
            identity,
            ..
        } = &spans[0].role
        else {
            panic!()
        };
        assert_eq!(canonical.as_deref(), Some("Vladimir Poutine"));
        assert_eq!(identity.as_deref(), Some("Wikidata:Q7747"));
    }

    #[test]
    fn edits_keep_the_rest_of_the_file() {
        let src = GOOD;
        let out = add_not_entity(src, "Omicron").unwrap();
        assert!(
            out.contains("not_entities = [\"Covid\", \"Brexit\", \"Omicron\"]"),
            "{out}"
        );
        assert!(out.starts_with("# Corpus gazetteer\n"));
        assert_eq!(out.replace(", \"Omicron\"", ""), src);
        assert_eq!(add_not_entity(&out, "Omicron").unwrap(), out, "idempotent");

        let out = add_suppression(src, "boilerplate", Some("a.txt"), None).unwrap();
        assert!(out.starts_with(src), "appended at the end:\n{out}");
        assert!(
            out.ends_with("[[suppress]]\ncode = \"boilerplate\"\nfile = \"a.txt\"\n"),
            "{out}"
        );
        assert_eq!(
            add_suppression(&out, "boilerplate", Some("a.txt"), None).unwrap(),
            out
        );
        let g = Gazetteer::parse(&out);
        assert!(g.issues.is_empty());
        assert_eq!(g.suppress.len(), 2);

        let out = add_entity(
            src,
            "Kyiv",
            EntityKind::Place,
            &["Kyjiw".to_string()],
            Some("Wikidata:Q1899"),
        )
        .unwrap();
        let g = Gazetteer::parse(&out);
        assert!(g.issues.is_empty(), "{:?}", g.issues);
        assert_eq!(g.entities[1].spellings, vec!["Kiev", "Kyïv", "Kyjiw"]);
        assert_eq!(g.entities[1].id.as_deref(), Some("Wikidata:Q1899"));
        let out = add_entity(
            src,
            "Joe Biden",
            EntityKind::Person,
            &["Biden".to_string()],
            None,
        )
        .unwrap();
        let g = Gazetteer::parse(&out);
        assert_eq!(g.entities.len(), 3);
        assert_eq!(g.entities[2].spellings, vec!["Biden"]);
    }

    #[test]
    fn edits_create_the_file_from_nothing_and_refuse_broken_files() {
        let out = add_not_entity("", "Covid").unwrap();
        assert_eq!(out, "not_entities = [\"Covid\"]\n");
        let out = add_suppression(&out, "boilerplate", None, Some("Lire aussi")).unwrap();
        let g = Gazetteer::parse(&out);
        assert!(g.issues.is_empty());
        assert_eq!(g.suppress[0].text.as_deref(), Some("Lire aussi"));
        assert!(add_not_entity("x = [", "y").is_err());
        assert!(add_not_entity("not_entities = 3", "y").is_err());
    }
}
