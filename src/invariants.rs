//! Invariants of the analysis output, checked by the fuzz targets, the
//! property tests and the adversarial-input tests (not used by the server
//! itself): every span lies inside the text on character boundaries, every
//! line number names a line of the text, every surface text is the text of its
//! span, mentions are in text order and disjoint, and every fix edits inside
//! the text.

use crate::analysis::rules::Finding;
use crate::analysis::{Article, Lines, Span};

/// Every violated invariant of an analysis of `text`, as human messages
/// (empty when all hold).
pub fn violations(text: &str, article: &Article, findings: &[Finding]) -> Vec<String> {
    let mut out = Vec::new();
    let lines = Lines::new(text).len();
    let mut span = |what: &str, s: Span| {
        if let Some(e) = span_problem(text, s) {
            out.push(format!("{what}: {e}"));
        }
    };
    let st = &article.structure;
    if let Some(d) = st.date_span {
        span("date span", d);
    }
    for f in &st.untranslated {
        span("untranslated fragment", f.span);
    }
    for (i, m) in article.mentions.iter().enumerate() {
        span(&format!("mention {i}"), m.span());
    }
    for (i, q) in article.quotes.iter().enumerate() {
        span(&format!("quote {i}"), q.span());
        if let Some(s) = q.open_mark() {
            span(&format!("quote {i} opening mark"), s);
        }
        if let Some(s) = q.close_mark() {
            span(&format!("quote {i} closing mark"), s);
        }
        if let Some(s) = q.speaker_span() {
            span(&format!("quote {i} speaker"), s);
        }
        if let Some(c) = &q.cue {
            span(&format!("quote {i} cue"), c.span());
        }
    }
    for f in findings {
        span(&format!("finding {}", f.code), f.span);
        for fix in &f.fixes {
            for e in &fix.edits {
                span(&format!("fix `{}` of {}", fix.title, f.code), e.span);
            }
        }
    }
    for (i, m) in article.mentions.iter().enumerate() {
        if text.get(m.span().range()) != Some(&*m.text) {
            out.push(format!(
                "mention {i}: text {:?} is not the text of its span {:?}",
                m.text, m.span
            ));
        }
    }
    // In text order and disjoint: references read a mention by its index,
    // and the entity view orders a document's mentions by index.
    for (i, pair) in article.mentions.windows(2).enumerate() {
        if let [a, b] = pair {
            if a.span().end > b.span().start {
                out.push(format!(
                    "mentions {i} and {}: {:?} and {:?} are not in text order and disjoint",
                    i + 1,
                    a.span,
                    b.span
                ));
            }
        }
    }
    for (i, q) in article.quotes.iter().enumerate() {
        // `u32` to `usize` is lossless on every target this builds for.
        if q.continues
            .is_some_and(|c| c as usize >= article.quotes.len())
        {
            out.push(format!(
                "quote {i}: continues a quotation that does not exist"
            ));
        }
    }
    let mut named = Vec::new();
    if let Some(t) = &st.title {
        named.push(("title", t.line));
    }
    if let Some(b) = st.byline_line {
        named.push(("byline", b));
    }
    named.extend(st.headings.iter().map(|h| ("heading", h.line)));
    named.extend(st.captions.iter().map(|c| ("caption", c.line)));
    named.extend(st.boilerplate.iter().map(|b| ("boilerplate", b.line)));
    for s in &st.sections {
        named.push(("section start", s.start_line));
        named.push(("section end", s.end_line));
        if s.start_line > s.end_line {
            out.push(format!(
                "section ends (line {}) before it starts (line {})",
                s.end_line, s.start_line
            ));
        }
    }
    for (what, l) in named {
        if l >= lines.max(1) {
            out.push(format!("{what}: line {l} of a text with {lines} lines"));
        }
    }
    out
}

/// Why a span is not a valid range of `text`, if it is not.
pub fn span_problem(text: &str, s: Span) -> Option<String> {
    if s.start > s.end {
        return Some(format!("{s:?} ends before it starts"));
    }
    if s.end > text.len() {
        return Some(format!("{s:?} ends past the text ({} bytes)", text.len()));
    }
    if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
        return Some(format!("{s:?} is not on character boundaries"));
    }
    None
}

/// Analyses `text` on its own (no corpus) and runs every rule, as the fuzz
/// target and the property tests do; returns the violations.
pub fn check_text(text: &str) -> Vec<String> {
    let article = crate::analysis::analyze(text, &Default::default());
    let lines = Lines::new(text);
    let ctx = crate::analysis::rules::RuleContext::standalone(text, &lines, &article);
    let findings = crate::analysis::rules::run_all(&ctx);
    violations(text, &article, &findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_spans_are_reported() {
        let text = "é";
        assert!(span_problem(text, Span::new(0, 2)).is_none());
        assert!(span_problem(text, Span::new(1, 2)).is_some());
        assert!(span_problem(text, Span::new(0, 3)).is_some());
        assert!(span_problem(text, Span::new(2, 1)).is_some());
    }

    #[test]
    fn small_articles_in_both_languages_hold_the_invariants() {
        for text in [
            "Minsk accuse Varsovie\n\n« Nous ne céderons pas », a déclaré Alexandre Loukachenko.\n",
            "Kyiv says talks stalled\n\n\"We will not give in,\" said Volodymyr Zelensky on Monday.\n",
            "",
            "\u{feff}«««",
        ] {
            assert_eq!(check_text(text), Vec::<String>::new(), "{text:?}");
        }
    }
}
