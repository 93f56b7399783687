//! The real binary on briefings that once took minutes (issue 15, item 5): a source line
//! with tens of thousands of mentions, a broken link made by a template on every page,
//! hundreds of missing quotes against a long source, a long quote that occurs everywhere,
//! and thousands of unclosed citations. Each case is small enough to run in a few seconds
//! in a debug build, yet large enough that the quadratic code took minutes; the bounds on
//! time are generous, for slow and shared machines.

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::Site;

/// Runs `brief check` on `site` and checks that it took less than `bound`.
fn check_within(site: &Site, bound: Duration) -> common::Run {
    let start = Instant::now();
    let run = site.run(&["check"]);
    let took = start.elapsed();
    assert!(took < bound, "check took {took:?}:\n{}", run.stderr);
    run
}

fn site_with_medinsky() -> Site {
    let site = Site::copy("empty");
    site.write(
        "content/annotations/people.yaml",
        "title: People\nkind: person\nitems:\n  - id: vladimir-medinsky\n    name: Vladimir Medinsky\n    aliases: [Medinsky]\n",
    );
    site
}

#[test]
fn a_line_of_fifty_thousand_mentions() {
    let site = site_with_medinsky();
    let line = "Medinsky met officials. ".repeat(50_000);
    site.write(
        "content/sources/line.md",
        &format!("---\ntitle: One line\n---\n{line}\n"),
    );
    let start = Instant::now();
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "build took {:?}",
        start.elapsed()
    );
    let page = site.output("sources/line/index.html");
    assert_eq!(page.matches("class=\"mention\"").count(), 50_000);
}

#[test]
fn a_broken_link_in_a_template_is_reported_on_each_page_without_a_wrong_file() {
    let site = Site::copy("empty");
    let mut items = String::from("title: People\nkind: person\nitems:\n");
    for i in 0..300 {
        site.write(
            &format!("content/sources/s{i:03}.md"),
            &format!("---\ntitle: Report {i}\n---\nThe talks went on, report {i} says.\n"),
        );
        let _ = writeln!(
            items,
            "  - id: p{i:03}\n    name: Person {i}\n    summary: In [report {i}](/sources/s{i:03}/)."
        );
    }
    site.write("content/annotations/people.yaml", &items);
    // The link's text, in a code span of a page: not a link, and not where the broken link
    // of the template is written.
    site.write(
        "content/pages/notes.md",
        "---\ntitle: Notes\n---\nA template may write `[x](nowhere/)`.\n",
    );
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/theme/templates/base.html"
    ))
    .expect("base.html");
    let footer = "<footer class=\"site-footer\">";
    assert!(base.contains(footer));
    site.write(
        "templates/base.html",
        &base.replacen(footer, &format!("{footer}<a href=\"nowhere/\">x</a>"), 1),
    );
    let run = check_within(&site, Duration::from_secs(30));
    assert!(!run.ok);
    // Every page made from the annotations or a source has its own error…
    for page in [
        "people/p000/index.html",
        "people/p299/index.html",
        "sources/s123/index.html",
    ] {
        assert!(
            run.stderr
                .contains(&format!("{page}: the link `nowhere/` is broken")),
            "{page}:\n{}",
            run.stderr
        );
    }
    // … and none of them names notes.md, which only holds the same text.
    let on_notes = run
        .stderr
        .lines()
        .filter(|l| {
            l.contains("content/pages/notes.md")
                && (l.contains("people/") || l.contains("sources/s"))
        })
        .count();
    assert_eq!(on_notes, 0, "{}", run.stderr);
}

#[test]
fn hundreds_of_missing_quotes_against_a_long_source() {
    let site = Site::copy("empty");
    let words: Vec<String> = (0..200_000)
        .map(|i| format!("w{}x{}", i % 3_001, i % 7))
        .collect();
    site.write(
        "content/sources/long.md",
        &format!("---\ntitle: Long\n---\n{}\n", words.join(" ")),
    );
    let mut items = String::from(
        "title: People\nkind: person\nitems:\n  - id: reader\n    name: Reader\n    claims:\n",
    );
    for k in 0..300 {
        let mut q = words[k * 500..k * 500 + 10].to_vec();
        q[4] = "changed".into();
        let _ = write!(
            items,
            "      - text: Claim {k}.\n        cite:\n          - source: long\n            quote: \"{}\"\n",
            q.join(" ")
        );
    }
    site.write("content/annotations/people.yaml", &items);
    let run = check_within(&site, Duration::from_secs(60));
    assert!(!run.ok);
    let errors = run
        .problems
        .lines()
        .filter(|l| l.starts_with("error:") && l.contains("the quote is not in source `long`"));
    assert_eq!(errors.count(), 300);
    assert!(
        run.stderr.matches("did you mean").count() >= 300,
        "{}",
        run.stderr
    );
}

#[test]
fn a_long_quote_that_occurs_everywhere() {
    let site = Site::copy("empty");
    site.write(
        "content/sources/laughter.md",
        &format!("---\ntitle: Laughter\n---\n{}\n", "ha ".repeat(100_000)),
    );
    let quote = "ha ".repeat(4_000);
    site.write(
        "content/annotations/people.yaml",
        &format!("title: People\nkind: person\nitems:\n  - id: reader\n    name: Reader\n    claims:\n      - text: Laughs.\n        cite:\n          - source: laughter\n            quote: \"{}\"\n", quote.trim_end()),
    );
    let run = check_within(&site, Duration::from_secs(30));
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains("the quote occurs 96001 times"),
        "{}",
        run.stderr
    );
}

#[test]
fn thousands_of_unclosed_citations() {
    let site = Site::copy("empty");
    site.write(
        "content/sources/alpha.md",
        "---\ntitle: Alpha\n---\nThe talks went on.\n",
    );
    let page: String = (0..5_000)
        .map(|i| format!("Note {i} [@alpha \"the talks went on\n"))
        .collect();
    site.write(
        "content/pages/notes.md",
        &format!("---\ntitle: Notes\n---\n{page}"),
    );
    let run = check_within(&site, Duration::from_secs(60));
    assert!(!run.ok);
    assert!(run.stderr.matches("quote is missing its closing").count() >= 5_000);
}
