//! End-to-end on real scraped text: a briefing over the five verbatim reports in
//! ../shared/seeds/ (typographic quotes, boilerplate, Çırağan) builds clean.
//!
//! The reports' sentences must not live in this repository, so the briefing is written at
//! test time: the sources are the seed files as pasted, and the quotes are cut from them by
//! position, then disguised the way an analyst would type them (straight quotes and
//! apostrophes, hyphens for dashes, other case, other spacing) to exercise folding.

mod common;

use std::path::PathBuf;

use common::Site;

fn seeds(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect(),
        Err(e) => panic!("the seed reports are needed at {}: {e}", dir.display()),
    };
    files.sort();
    files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("report-{i}"),
                std::fs::read_to_string(p).expect("seed text"),
            )
        })
        .collect()
}

/// A quote cut from a paragraph of the report: eight words from the third word on, typed
/// sloppily (ASCII quotes and dashes, upper case, double spaces).
fn quote_from(text: &str, paragraph: usize) -> Option<String> {
    // The first non-empty line of a pasted .txt source is its title, not its text.
    let body = text.lines().skip_while(|l| l.trim().is_empty()).skip(1);
    let para = body
        .filter(|l| l.split_whitespace().count() > 14)
        .nth(paragraph)?;
    let words: Vec<&str> = para.split_whitespace().skip(2).take(8).collect();
    let q = words
        .join("  ")
        .replace(['“', '”'], "'")
        .replace(['’', '‘'], "'")
        .replace(['—', '–'], "-")
        .replace('"', "'");
    Some(q.to_uppercase())
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn a_briefing_over_the_verbatim_reports_builds_clean() {
    let Some(dir) = common::seed_reports("a_briefing_over_the_verbatim_reports_builds_clean")
    else {
        return;
    };
    let site = Site::copy("empty");
    let reports = seeds(&dir);
    assert_eq!(reports.len(), 5);
    for (id, text) in &reports {
        site.write(&format!("content/sources/{id}.txt"), text);
    }

    let mut claims = String::new();
    let mut inline = Vec::new();
    for (id, text) in &reports {
        for k in 0..3 {
            let q = quote_from(text, k).expect("a long paragraph");
            claims.push_str(&format!(
                "      - text: Point {k} of {id}.\n        date: 2025-07\n        cite:\n          - source: {id}\n            quote: {}\n",
                yaml_str(&q)
            ));
        }
        let q = quote_from(text, 3).expect("a long paragraph");
        inline.push(format!("[@{id} “{}”]", q.replace(['“', '”'], "'")));
    }
    site.write(
        "content/annotations/negotiators.yaml",
        &format!(
            "title: Negotiators\nkind: person\nitems:\n  - id: rustem-umerov\n    name: Rustem Umerov\n    aliases: [Umerov]\n    side: Ukraine\n  - id: vladimir-medinsky\n    name: Vladimir Medinsky\n    aliases: [Medinsky]\n    side: Russia\n  - id: alexei-polishchuk\n    name: Alexei Polishchuk\n    aliases: [Polishchuk]\n  - id: the-reports\n    name: The reports\n    summary: What the reports say.\n    claims:\n{claims}"
        ),
    );
    site.write(
        "content/annotations/venues.yaml",
        "title: Venues\nkind: venue\nitems:\n  - id: ciragan-palace\n    name: Çırağan Palace\n    city: Istanbul\n    country: Türkiye\n  - id: istanbul\n    name: Istanbul\n    country: Türkiye\n",
    );
    site.write(
        "content/annotations/battlefield-events.yaml",
        "title: Battlefield events\nkind: event\nitems:\n  - id: drone-strikes\n    name: Drone strikes\n    date: 2025\n    summary: Drones were launched [@report-0].\n",
    );
    site.write(
        "content/index.md",
        &format!("# The talks\n\n{}\n", inline.join(" ")),
    );

    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    // Boilerplate lines are hidden on the pages.
    let all: String = (0..5)
        .map(|i| site.output(&format!("sources/report-{i}/index.html")))
        .collect();
    for junk in [
        "Advertisement",
        "Reklam yükleniyor",
        "Comments are closed",
        "Leave a Reply",
    ] {
        assert!(!all.contains(junk), "{junk} shown");
    }
    // Names are linked in the reports, Çırağan included.
    assert!(
        all.contains("venues/ciragan-palace/index.html\">Çırağan Palace</a>"),
        "Çırağan not linked"
    );
    assert!(
        all.contains("negotiators/rustem-umerov/index.html"),
        "Umerov not linked"
    );
    // Every quote is anchored to the very passage.
    let json: serde_json::Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    let checked = common::check_offsets(&json);
    assert_eq!(checked, 20);

    // The exports hold on scraped text too: every quoted citation is an annotation whose
    // positions cut its quote from the source by code points, its context adjacent …
    let annotations = common::linked::check_annotations(
        &site.output("briefing.json"),
        &site.output("annotations.jsonld"),
        "https://example.org/seeds/",
    );
    assert_eq!(annotations.len(), 20);
    // … and every page's JSON-LD parses, each report a NewsArticle or CreativeWork.
    let pages = common::linked::json_ld_of(&site);
    for i in 0..5 {
        let page = format!("sources/report-{i}/index.html");
        let doc = &pages[&page];
        assert_eq!(doc.len(), 1, "{page}");
        assert!(
            doc[0]["@type"] == "NewsArticle" || doc[0]["@type"] == "CreativeWork",
            "{page}: {}",
            doc[0]["@type"]
        );
    }
    assert_eq!(
        pages["negotiators/rustem-umerov/index.html"][0]["@type"],
        "Person"
    );
    assert_eq!(
        pages["venues/ciragan-palace/index.html"][0]["@type"],
        "Place"
    );
}
