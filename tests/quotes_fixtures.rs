//! Quotation detection and attribution measured on the hand-annotated French
//! and English articles under `tests/fixtures/quotes/` (wire copy, tabloid,
//! web dumps with menus, one-sentence-per-line copies, British single
//! quotes), with the matching rules of `score.py`: a quotation is found when
//! it covers half of a gold quotation; attribution is scored on `quote`
//! records; an `unattributed-quote` diagnostic is right when it overlaps a gold
//! quotation with attribution `none`.

use std::path::Path;

use news_ls::analysis::rules::{self, RuleContext};
use news_ls::analysis::{analyze, AnalysisOptions, Lines, Span};
use serde_json::Value;

fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

#[derive(Default)]
struct Counts {
    found: usize,
    gold: usize,
    extra: usize,
    attr_ok: usize,
    attr_n: usize,
    un_tp: usize,
    un_fp: usize,
    un_fn: usize,
}

fn score_file(gold_path: &Path, corpus: &Path, c: &mut Counts) {
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
    let file = gold["file"].as_str().unwrap();
    let text = std::fs::read_to_string(corpus.join(file)).unwrap();
    let lines = Lines::new(&text);
    let article = analyze(&text, &AnalysisOptions::default());
    let findings = rules::run_all(&RuleContext::standalone(&text, &lines, &article));
    let boiler: Vec<usize> = gold["boilerplate"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|x| x["line"].as_u64())
                .map(|l| l as usize)
                .collect()
        })
        .unwrap_or_default();
    let mut used = vec![false; article.quotes.len()];
    let mut gold_none: Vec<Vec<Span>> = Vec::new();
    for q in gold["quotes"].as_array().unwrap() {
        let t = q["text"].as_str().unwrap();
        let spans: Vec<Span> = text
            .match_indices(t)
            .map(|(i, _)| Span::new(i, i + t.len()))
            .filter(|s| !boiler.contains(&lines.line_of(s.start)))
            .collect();
        assert!(!spans.is_empty(), "{file}: gold text not found: {t}");
        c.gold += 1;
        let is_quote = q["kind"] == "quote";
        if is_quote && q["attribution"] == "none" {
            gold_none.push(spans.clone());
        }
        let hit = article.quotes.iter().enumerate().find(|(i, sq)| {
            !used[*i] && spans.iter().any(|g| 2 * overlap(sq.span(), *g) >= g.len())
        });
        let Some((i, sq)) = hit else { continue };
        used[i] = true;
        c.found += 1;
        if is_quote {
            c.attr_n += 1;
            if sq.attribution.as_str() == q["attribution"].as_str().unwrap() {
                c.attr_ok += 1;
            }
        }
    }
    for (i, sq) in article.quotes.iter().enumerate() {
        if !used[i] && !boiler.contains(&lines.line_of(sq.span().start)) {
            c.extra += 1;
        }
    }
    let mut hit = vec![false; gold_none.len()];
    for f in findings.iter().filter(|f| f.code == "unattributed-quote") {
        let m: Vec<usize> = (0..gold_none.len())
            .filter(|&g| gold_none[g].iter().any(|s| overlap(f.span, *s) > 0))
            .collect();
        if m.is_empty() {
            c.un_fp += 1;
        } else {
            c.un_tp += 1;
            for g in m {
                hit[g] = true;
            }
        }
    }
    c.un_fn += hit.iter().filter(|h| !**h).count();
}

#[test]
fn held_out_articles_meet_the_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quotes");
    let mut c = Counts::default();
    let mut files: Vec<_> = std::fs::read_dir(root.join("gold"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    for f in &files {
        score_file(f, &root.join("corpus"), &mut c);
    }
    let p = c.found as f64 / (c.found + c.extra) as f64;
    let r = c.found as f64 / c.gold as f64;
    let f1 = 2.0 * p * r / (p + r);
    let acc = c.attr_ok as f64 / c.attr_n as f64;
    let up = c.un_tp as f64 / (c.un_tp + c.un_fp).max(1) as f64;
    let ur = (c.un_tp as f64) / ((c.un_tp + c.un_fn).max(1) as f64);
    let uf1 = 2.0 * up * ur / (up + ur).max(f64::EPSILON);
    eprintln!("quotations F1 {f1:.3}, attribution {acc:.3}, unattributed-quote F1 {uf1:.3}");
    assert!(f1 >= 0.95, "quotation F1 {f1:.3}");
    assert!(acc >= 0.85, "attribution accuracy {acc:.3}");
    assert!(uf1 >= 0.85, "unattributed-quote F1 {uf1:.3}");
}
