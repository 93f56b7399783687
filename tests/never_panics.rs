//! The whole pipeline never panics on a briefing broken at random: a file of the basic
//! fixture is cut short, has a line dropped or doubled, or gets a nasty snippet inserted,
//! and `brief::check` must still return its report. (The fuzz targets in fuzz/ go deeper on
//! single parsers; this walks load → resolve → render → links on whole sites.)

mod common;

use common::Site;
use proptest::prelude::*;

const FILES: &[&str] = &[
    "site.toml",
    "content/index.md",
    "content/pages/methodology.md",
    "content/sources/alpha.md",
    "content/sources/beta.txt",
    "content/annotations/people.yaml",
    "content/annotations/events.yaml",
    "content/annotations/venues.yaml",
    "content/annotations/disputes.yaml",
];

const SNIPPETS: &[&str] = &[
    "\n",
    "---\n",
    "\"",
    "'",
    "[@",
    "]",
    "[@alpha \"",
    "[@beta]",
    "[@ ",
    "“",
    "\t",
    ": ",
    "- ",
    "{",
    "[",
    "#",
    "&",
    "*a",
    "\u{feff}",
    "\u{301}",
    "İı",
    "😀",
    "\r\n",
    "\0",
    "<script>",
    "id: vladimir-medinsky\n",
    "  - id: x\n",
    "    place: nowhere\n",
    "date: 2025-02-30\n",
    "{{ x }}",
    "{% if %}",
];

/// A cut point of `text` at or after `at`, on a char boundary.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, usize),
    DropLine(prop::sample::Index),
    DoubleLine(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), 0..SNIPPETS.len()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        any::<prop::sample::Index>().prop_map(Mutation::DropLine),
        any::<prop::sample::Index>().prop_map(Mutation::DoubleLine),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match m {
        Mutation::Truncate(i) => text[..boundary(text, i.index(text.len() + 1))].to_string(),
        Mutation::Insert(i, s) => {
            let at = boundary(text, i.index(text.len() + 1));
            format!("{}{}{}", &text[..at], SNIPPETS[*s], &text[at..])
        }
        Mutation::DropLine(i) if !lines.is_empty() => {
            let n = i.index(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != n)
                .map(|(_, l)| *l)
                .collect()
        }
        Mutation::DoubleLine(i) if !lines.is_empty() => {
            let n = i.index(lines.len());
            let mut out = String::new();
            for (k, l) in lines.iter().enumerate() {
                out.push_str(l);
                if k == n {
                    out.push_str(l);
                }
            }
            out
        }
        _ => text.to_string(),
    }
}

proptest! {
    // 48 cases keep `cargo test` quick; PROPTEST_CASES=5000 searches longer.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn check_never_panics_on_a_broken_briefing(
        edits in prop::collection::vec((0..FILES.len(), mutation()), 1..4),
    ) {
        let site = Site::copy("basic");
        for (f, m) in &edits {
            let path = site.path().join(FILES[*f]);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            std::fs::write(&path, apply(&text, m)).expect("write");
        }
        let report = brief::check(site.path());
        for d in report.diagnostics.iter() {
            // Every problem can be shown, in every form.
            let _ = d.render(false);
            let _ = d.to_json();
            let _ = d.to_string();
            if let Some(l) = &d.location
                && let Some(t) = &l.text
            {
                prop_assert!(l.span.start <= l.span.end && l.span.end <= t.len());
            }
        }
    }
}
