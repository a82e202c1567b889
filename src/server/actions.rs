//! Code actions: every finding's quick fixes where the selection touches it,
//! and the source action "Remove all boilerplate in this article" as one edit.

use std::collections::HashMap;

use tower_lsp_server::ls_types::*;

use crate::analysis::rules::{Edit, Finding};
use crate::analysis::Span;

use super::convert::{self, Positions};
use super::state::State;

/// The kind of the source action that removes every boilerplate line.
pub const REMOVE_BOILERPLATE: &str = "source.removeBoilerplate";

fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        })
    })
}

fn workspace_edit(uri: &Uri, pos: &Positions<'_>, edits: &[Edit]) -> WorkspaceEdit {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span);
    sorted.dedup_by_key(|e| e.span);
    let text_edits = sorted
        .into_iter()
        .map(|e| TextEdit::new(pos.range(e.span), e.new_text.clone()))
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), text_edits)])),
        document_changes: None,
        change_annotations: None,
    }
}

fn touches(span: Span, lo: usize, hi: usize) -> bool {
    span.start <= hi && lo <= span.end
}

pub fn code_actions(state: &State, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let key = convert::uri_to_key(&uri);
    let entry = state.entry(&key)?;
    let pos = state.positions(&entry);
    let lo = pos.offset(params.range.start);
    let hi = pos.offset(params.range.end);
    let findings: Vec<Finding> = state.findings(&entry);
    let only = params.context.only.as_ref();
    let mut out: Vec<CodeActionOrCommand> = Vec::new();

    if wanted(only, &CodeActionKind::QUICKFIX) {
        for f in findings.iter().filter(|f| touches(f.span, lo, hi)) {
            let diag = convert::diagnostic(&pos, f);
            for (n, fix) in f.fixes.iter().enumerate() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(workspace_edit(&uri, &pos, &fix.edits)),
                    command: None,
                    is_preferred: Some(n == 0),
                    disabled: None,
                    data: None,
                }));
            }
        }
    }

    let source_kind = CodeActionKind::from(REMOVE_BOILERPLATE.to_string());
    if wanted(only, &source_kind) {
        let edits: Vec<Edit> = findings
            .iter()
            .filter(|f| f.code == "boilerplate")
            .filter_map(|f| f.fixes.first())
            .flat_map(|fix| fix.edits.iter().cloned())
            .collect();
        if !edits.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Remove all boilerplate in this article".to_string(),
                kind: Some(source_kind),
                diagnostics: None,
                edit: Some(workspace_edit(&uri, &pos, &edits)),
                command: None,
                is_preferred: None,
                disabled: None,
                data: None,
            }));
        }
    }
    out.extend(super::annotations::code_actions(
        state, &entry, &uri, lo, hi, &findings, only,
    ));
    Some(out)
}
