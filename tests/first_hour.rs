//! What a newcomer trips on in the first hour (issue 17 §6), end to end on fixture sites: the
//! collections' order, a dated dispute on the timeline, the placeholder base_url, files that
//! brief does not read, and `brief serve` started outside a briefing.

mod common;

use std::process::Command;

use common::Site;

/// The titles of the navigation's links, in order.
fn nav(html: &str) -> Vec<String> {
    let nav = html
        .split_once("<nav class=\"site-nav\"")
        .and_then(|(_, rest)| rest.split_once("</nav>"))
        .map(|(nav, _)| nav)
        .expect("a site navigation");
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let text = a.split_once('>').expect("link text").1;
            text.split_once("</a>").expect("closed link").0.to_string()
        })
        .collect()
}

#[test]
fn site_toml_orders_the_collections_without_renaming_files() {
    let site = Site::copy("basic");
    site.build_clean();
    // File-name order by default.
    assert_eq!(
        nav(&site.output("index.html"))[1..5],
        ["Disputes", "Events", "People", "Venues"]
    );

    site.edit(
        "site.toml",
        "language = \"en\"\n",
        "language = \"en\"\ncollections = [\"people\", \"events\"]\n",
    );
    site.build_clean();
    let order = nav(&site.output("index.html"));
    // The named ones first, the others after them in file-name order; URLs unchanged.
    assert_eq!(order[1..5], ["People", "Events", "Disputes", "Venues"]);
    assert!(site.output("people/index.html").contains("<h1"));
    let print = site.output("print/index.html");
    let at = |needle: &str| {
        print
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in print"))
    };
    assert!(at("id=\"collection-people\"") < at("id=\"collection-events\""));
    assert!(at("id=\"collection-events\"") < at("id=\"collection-disputes\""));
}

#[test]
fn a_collection_order_naming_no_collection_is_an_error_at_its_place() {
    let site = Site::copy("basic");
    site.edit(
        "site.toml",
        "language = \"en\"\n",
        "language = \"en\"\ncollections = [\"peple\", \"events\", \"events\"]\n",
    );
    let run = site.run(&["build"]);
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("`collections` names `peple`, but content/annotations/ has no peple.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `people`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("site.toml:5:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`collections` names `events` twice"),
        "{}",
        run.stderr
    );
    let json = site.run(&["check", "--format", "json"]);
    let codes: Vec<String> = json
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("a JSON line")["code"].to_string()
        })
        .collect();
    assert_eq!(
        codes,
        ["\"unknown-collection\"", "\"unknown-collection\""],
        "{}",
        json.stdout
    );
}

#[test]
fn a_dated_dispute_is_tagged_as_a_dispute_on_the_timeline() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/disputes.yaml",
        "    question: How difficult will the talks be?\n",
        "    question: How difficult will the talks be?\n    date: 2025-06-01\n",
    );
    site.build_clean();
    let timeline = site.output("timeline/index.html");
    let entry = timeline
        .split("<li class=\"entry ")
        .skip(1) // what stands before the first entry (the strip links to it too)
        .find(|e| e.contains("how-difficult"))
        .expect("the dispute on the timeline");
    assert!(entry.starts_with("dispute "), "{entry}");
    assert!(
        entry.contains("<span class=\"tag\">Dispute</span>"),
        "{entry}"
    );
    // Events stay events.
    let events = timeline.matches("<span class=\"tag\">Event</span>").count();
    assert_eq!(events, 3, "{timeline}");
}

#[test]
fn a_build_with_the_placeholder_base_url_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let init = common::brief(dir.path(), &["init", "b"]);
    assert!(init.ok, "{}", init.stderr);
    let briefing = dir.path().join("b");
    let run = common::brief(&briefing, &["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("base_url is still https://example.org/, the placeholder `brief init` wrote"),
        "{}",
        run.stderr
    );
    // --base-url, or a real address in site.toml, is the mend.
    let run = common::brief(
        &briefing,
        &["build", "--base-url", "https://a.github.io/b/"],
    );
    assert!(!run.stderr.contains("placeholder"), "{}", run.stderr);
    let toml = briefing.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("https://example.org/", "https://a.github.io/b/"),
    )
    .unwrap();
    let run = common::brief(&briefing, &["build"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn files_brief_does_not_read_in_content_are_named() {
    let site = Site::copy("basic");
    site.write("content/sources/report.pdf", "%PDF-1.7");
    site.write("content/sources/saved.html", "<p>a page</p>");
    site.write("content/annotations/people.json", "{}");
    site.write("content/pages/notes.txt", "notes");
    // Hidden and editor files stay unnamed.
    site.write("content/sources/.DS_Store", "");
    site.write("content/sources/alpha.txt~", "");
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    for (file, says) in [
        (
            "content/sources/report.pdf",
            "this is a .pdf file, which brief does not read here: a source is a .md or .txt file",
        ),
        ("content/sources/saved.html", "this is a .html file"),
        (
            "content/annotations/people.json",
            "a collection is a .yaml file",
        ),
        ("content/pages/notes.txt", "a page is a .md file"),
    ] {
        let line = run
            .problems
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named:\n{}", run.stderr));
        assert!(line.contains(says), "{line}");
    }
    assert_eq!(
        run.stderr.matches("which brief does not read here").count(),
        4,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(".DS_Store"), "{}", run.stderr);
    assert!(!run.stderr.contains("alpha.txt~"), "{}", run.stderr);
}

#[test]
fn serve_outside_a_briefing_fails_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let build = common::brief(dir.path(), &["build"]);
    let serve = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run brief serve");
    assert!(!build.ok);
    assert_eq!(serve.status.code(), Some(1));
    let serve_err = String::from_utf8_lossy(&serve.stderr);
    let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert_eq!(first(&serve_err), first(&build.stderr));
    assert!(
        serve_err.contains("create one with `brief init`"),
        "{serve_err}"
    );
    assert!(!serve_err.contains("serving"), "{serve_err}");
}

#[test]
fn help_names_each_default_once() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["build", "check", "serve", "init", "publish"] {
        let help = common::brief(dir.path(), &[command, "--help"]);
        assert!(help.ok, "{command} --help: {}", help.stderr);
        for line in help.stdout.lines() {
            let said = line.matches("default").count();
            assert!(
                said <= 1,
                "brief {command} --help says its default twice: {line}"
            );
        }
    }
    let serve = common::brief(dir.path(), &["serve", "--help"]);
    assert!(serve.stdout.contains("[default: 1111]"), "{}", serve.stdout);
}
