//! `brief quote`: the real binary on tests/fixtures/quote — a unique text, a text that
//! occurs twice, one that is not there, and the JSON answer; every citation it prints,
//! pasted into the briefing, builds without a warning.

mod common;

use common::Site;

/// The inline citations (`[@…]` lines) of `brief quote`'s human output.
fn citations(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with("[@")).collect()
}

/// Puts `citation` into the front page and the YAML `cite:` entry `yaml` into a new claim,
/// then builds: the build must pass without a warning (an ambiguous quote would warn).
fn paste_and_build(site: &Site, citation: &str, yaml: &str) {
    site.edit(
        "content/index.md",
        "[@quay-report \"the night shifts would resume\"].",
        &format!("[@quay-report \"the night shifts would resume\"]. Pasted {citation}."),
    );
    let entry: String = yaml.lines().map(|l| format!("        {l}\n")).collect();
    let claims = site.read("content/annotations/people.yaml");
    site.write(
        "content/annotations/people.yaml",
        &format!("{claims}      - text: Pasted from brief quote.\n{entry}"),
    );
    site.build_clean();
}

#[test]
fn a_unique_text_is_located_and_cited() {
    let site = Site::copy("quote");
    let run = site.run(&["quote", "quay-report", "“WORKABLE  but\nlate”"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "found once in `quay-report` at content/sources/quay-report.md:9:56 (paragraph 1)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(
        citations(&run.stdout),
        ["[@quay-report \"“workable but late”\"]"]
    );
    assert!(
        run.stdout
            .contains("cite:\n  - source: quay-report\n    quote: \"“workable but late”\"\n")
    );
    paste_and_build(
        &site,
        citations(&run.stdout)[0],
        "cite:\n  - source: quay-report\n    quote: \"“workable but late”\"",
    );
}

#[test]
fn a_text_found_twice_gets_the_shortest_unique_passage_of_each_place() {
    let site = Site::copy("quote");
    let run = site.run(&["quote", "quay-report", "harbour authority said"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stdout.contains("found 2 times"), "{}", run.stdout);
    // The second starts a line of the file, inside its paragraph.
    assert!(
        run.stdout
            .contains("content/sources/quay-report.md:8:5 (paragraph 1)")
    );
    assert!(
        run.stdout
            .contains("content/sources/quay-report.md:15:1 (paragraph 2)")
    );
    assert!(run.stdout.contains("unique when extended by 2 words after"));
    let found = citations(&run.stdout);
    assert_eq!(
        found,
        [
            "[@quay-report \"harbour authority said on Monday\"]",
            "[@quay-report \"harbour authority said on Tuesday\"]"
        ]
    );
    // Each, cited as given, builds without the ambiguous-quote warning.
    for (i, citation) in found.iter().enumerate() {
        let site = Site::copy("quote");
        let quote = citation
            .trim_start_matches("[@quay-report \"")
            .trim_end_matches("\"]");
        paste_and_build(
            &site,
            citation,
            &format!("cite:\n  - source: quay-report\n    quote: \"{quote}\""),
        );
        // And the text as it was, unextended, would have warned.
        if i == 0 {
            site.edit(
                "content/index.md",
                "Pasted",
                "Pasted [@quay-report \"harbour authority said\"]",
            );
            let build = site.run(&["build"]);
            assert!(build.stderr.contains("ambiguous-quote"), "{}", build.stderr);
        }
    }
}

#[test]
fn a_missing_text_fails_with_the_closest_passage() {
    let site = Site::copy("quote");
    let run = site.run(&["quote", "quay-report", "workable and late"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(
        run.problems.contains(
            "error: content/sources/quay-report.md:9:57: the quote is not in source `quay-report`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean “workable but late"),
        "{}",
        run.stderr
    );

    let run = site.run(&["quote", "quay-reprt", "workable"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("unknown-source"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `quay-report`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_answers_for_scripts() {
    let site = Site::copy("quote");
    let run = site.run(&[
        "quote",
        "quay-report",
        "dockworkers on the",
        "--format",
        "json",
    ]);
    assert!(run.ok, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    assert_eq!(v["source"], "quay-report");
    assert_eq!(v["file"], "content/sources/quay-report.md");
    assert_eq!(v["found"], true);
    assert_eq!(v["unique"], false);
    assert_eq!(v["count"], 2);
    let matches = v["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 2);
    assert_eq!(matches[0]["line"], 18);
    assert_eq!(matches[0]["paragraph"], 3);
    assert_eq!(matches[0]["text"], "Dockworkers on the");
    assert_eq!(matches[0]["cite_as"], "Dockworkers on the east");
    assert_eq!(matches[0]["extended"]["after"], 1);
    assert_eq!(
        matches[1]["citation"],
        "[@quay-report \"dockworkers on the west\"]"
    );
    assert_eq!(
        matches[1]["yaml"],
        "cite:\n  - source: quay-report\n    quote: \"dockworkers on the west\"\n"
    );

    let run = site.run(&["quote", "quay-report", "only once", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["found"], false);
    assert_eq!(v["matches"], serde_json::json!([]));

    let run = site.run(&["quote", "quay-report", "evening tide", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (v["found"].clone(), v["unique"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(v["matches"][0]["extended"], serde_json::Value::Null);
    assert_eq!(
        v["matches"][0]["citation"],
        "[@quay-report \"evening tide\"]"
    );
}

#[test]
fn a_text_that_cannot_be_made_unique_says_why() {
    let site = Site::copy("quote");
    let run = site.run(&["quote", "quay-report", "tide turned", "--format", "json"]);
    assert!(run.ok, "found, though not unique: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (v["count"].clone(), v["unique"].clone()),
        (2.into(), false.into())
    );
    for m in v["matches"].as_array().unwrap() {
        assert_eq!(m["cite_as"], serde_json::Value::Null);
        assert_eq!(m["citation"], serde_json::Value::Null);
        let why = m["ambiguous"].as_str().unwrap();
        assert!(why.contains("up to the ends of its paragraph"), "{why}");
    }
    let human = site.run(&["quote", "quay-report", "tide turned"]);
    assert!(
        human
            .stdout
            .contains("cannot be cited alone: it occurs 2 times"),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains("[@"), "{}", human.stdout);
}
