//! The properties the fuzz targets check, shared with the plain test that runs the seed
//! inputs (tests/fuzz_seeds.rs), so `cargo test` exercises the same code without libFuzzer.

#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use brief::diagnostics::Diagnostic;

fn sound(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

/// The inline citation parser: never panics, and every range it returns lies inside the
/// text, on char boundaries, in order.
pub fn citation(text: &str) {
    let (groups, errors) = brief::citation::parse(text);
    let mut last = 0;
    for g in &groups {
        assert!(sound(text, &g.range) && g.range.start >= last, "{g:?}");
        assert!(text[g.range.clone()].starts_with("[@"));
        assert!(text[g.range.clone()].ends_with(']'));
        assert!(!g.cites.is_empty());
        last = g.range.end;
        for c in &g.cites {
            assert!(sound(text, &c.source_range));
            assert_eq!(&text[c.source_range.clone()], c.source);
            assert!(!c.source.is_empty());
            assert_eq!(c.quote.is_some(), c.quote_range.is_some());
            if let Some(r) = &c.quote_range {
                assert!(sound(text, r));
                assert!(c.quote.as_deref().is_some_and(|q| !q.trim().is_empty()));
            }
        }
    }
    for e in &errors {
        assert!(sound(text, &e.range), "{e:?}");
        assert!(!e.message.contains('\n') && !e.help.contains('\n'));
    }
}

fn check_problems(text: &str, problems: &[Diagnostic]) {
    for d in problems {
        assert!(!d.message.is_empty());
        if let Some(l) = &d.location {
            if l.text.is_some() {
                assert!(sound(text, &l.span), "{d:?}");
            }
            let _ = d.render(false);
        }
        let _ = d.to_json();
        let _ = d.to_string();
    }
}

/// Front matter splitting and the loaders of sources and collections: never panic, and
/// every problem points inside the file.
pub fn front_matter(text: &str) {
    static BOILERPLATE: OnceLock<Vec<regex::Regex>> = OnceLock::new();
    let boilerplate =
        BOILERPLATE.get_or_init(|| vec![regex::Regex::new("^Advertisement$").expect("regex")]);

    if let Ok(split) = brief::load::yaml::split_front_matter(text) {
        assert_eq!(&text[split.body_offset..], split.body);
        if let Some((yaml, offset)) = split.front_matter {
            assert_eq!(&text[offset..offset + yaml.len()], yaml);
        }
    }
    let file: Arc<str> = Arc::from(text);
    for name in ["content/sources/a.md", "content/sources/a.txt"] {
        match brief::load::parse_source(Path::new(name), file.clone(), boilerplate) {
            Ok((s, problems)) => {
                // (The body is `&text[s.origin.offset..]`: `Source::text`.)
                let body = &text[s.origin.offset..];
                for p in &s.paragraphs {
                    assert!(sound(body, &p.range), "{p:?}");
                }
                check_problems(text, &problems);
            }
            Err(problems) => check_problems(text, &problems),
        }
    }
    match brief::load::parse_collection(Path::new("content/annotations/c.yaml"), file) {
        Ok((_, warnings)) => check_problems(text, &warnings),
        Err(problems) => check_problems(text, &problems),
    }
}

/// Markdown with citations, as a page has it: scan for citation groups, locate each in the
/// file, render with footnote marks. Never panics; scan and render agree on the groups.
pub fn markdown(text: &str) {
    let (groups, errors) = brief::markdown::scan(text);
    let yaml_file: Arc<str> = Arc::from(format!("summary: |\n  {text}"));
    for (verbatim, file_text, offset) in [(true, Arc::from(text), 0), (false, yaml_file, 9)] {
        let origin = brief::load::Origin {
            file: PathBuf::from("a.md"),
            file_text: file_text.clone(),
            offset,
            verbatim,
        };
        let mut ranges: Vec<Range<usize>> = errors.iter().map(|e| e.range.clone()).collect();
        for g in &groups {
            ranges.push(g.range.clone());
            for c in &g.cites {
                ranges.push(c.source_range.clone());
                ranges.extend(c.quote_range.clone());
            }
        }
        for r in ranges {
            assert!(sound(text, &r), "{r:?}");
            let loc = origin.locate(text, r);
            assert!(sound(&file_text, &loc.span), "{loc:?}");
        }
    }
    for allow_html in [false, true] {
        let mut marks = 0;
        let html = brief::markdown::render(
            text,
            &brief::markdown::RenderOptions {
                root: "../",
                allow_html,
                unlinked: None,
            },
            &mut |i| {
                marks += 1;
                format!("<sup>{i}</sup>")
            },
        );
        assert_eq!(marks, groups.len(), "scan and render disagree on {text:?}");
        if !allow_html {
            assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
        }
    }
}

/// Quote anchoring and mention finding. The input is the source text, then `\u{1}`, then
/// the quote (also read as `;`-separated names to find).
pub fn quote(input: &str) {
    use brief::text::{Folded, MentionFinder, QuoteMatch, find_quote};
    let (text, quote) = input.split_once('\u{1}').unwrap_or((input, ""));
    let folded = Folded::new(text);
    match find_quote(text, &folded, quote) {
        QuoteMatch::Found { range, also } => {
            assert!(sound(text, &range));
            assert!(also.iter().all(|r| sound(text, r)));
        }
        QuoteMatch::NotFound { closest } => assert!(closest.iter().all(|r| sound(text, r))),
    }
    let names: Vec<&str> = quote.split(';').collect();
    let finder = MentionFinder::new(names.iter().enumerate().map(|(i, n)| (*n, i)));
    let mut last = 0;
    for m in finder.find(text, &folded) {
        assert!(sound(text, &m.range) && m.range.start < m.range.end && m.range.start >= last);
        last = m.range.end;
    }
}
