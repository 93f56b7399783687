//! End-to-end: control characters (and Unicode noncharacters) never reach an output file or
//! the terminal.
//!
//! tests/fixtures/control-chars/ has source texts full of raw control characters, as pasted
//! web text can be, among them the ones brief uses as placeholders while it splices the print
//! view. It must build, with a warning naming each source at file:line:col, into files that
//! hold none of them: the feed and the sitemap parse as XML, and the print view's marks and
//! notes match. Then every kind of value the user writes (site.toml, annotation and front
//! matter values, pages, templates, Markdown character references) is given one, as YAML and
//! TOML escapes or raw: each is refused with an error at its place, and what `brief check`
//! prints holds none raw.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{Run, Site};
use regex::Regex;

/// True for a character a terminal acts on: C0 controls but tab, line feed and carriage
/// return (which [`assert_terminal_safe`] allows only before a line feed), DEL, C1.
fn acts_on_terminal(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Asserts that `text`, printed by `what`, holds nothing a terminal would act on.
fn assert_terminal_safe(what: &str, text: &str) {
    for (i, c) in text.char_indices() {
        let lone_cr = c == '\r' && !text[i + 1..].starts_with('\n');
        assert!(
            !acts_on_terminal(c) && !lone_cr,
            "{what} prints {c:?} raw at byte {i}:\n{text}"
        );
    }
}

/// The 1-based line of the first line of `file` in the site that contains `needle`.
fn line_of(site: &Site, file: &str, needle: &str) -> usize {
    site.read(file)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{file} has no line with {needle:?}"))
        + 1
}

#[test]
fn source_texts_with_control_characters_build_into_clean_files() {
    let site = Site::copy("control-chars");
    let run = site.run(&["build"]);
    assert!(run.ok, "build failed:\n{}", run.stderr);
    assert_terminal_safe("brief build", &run.stderr);
    for warning in [
        "warning: content/sources/wire.txt:1:5: the source holds 22 control characters, the first U+001B (escape)",
        "warning: content/sources/summary.md:8:11: the source holds 7 control characters, the first U+0001",
    ] {
        assert!(run.problems.contains(warning), "{warning}\n{}", run.stderr);
    }
    // The snippet shows the character itself, escaped.
    assert!(
        run.stderr.contains(r"Wire\u{1b}[31m report"),
        "{}",
        run.stderr
    );

    // No file of the site holds a forbidden character raw (the JSON files escape none: the
    // texts they hold have none left).
    let files = site.snapshot();
    assert!(files.len() > 15, "{files:?}");
    for (path, bytes) in &files {
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|_| panic!("{} is not UTF-8", path.display()));
        if let Some((i, c)) = text
            .char_indices()
            .find(|&(_, c)| brief::control::is_forbidden(c))
        {
            let around = &text[i.saturating_sub(60)..(i + 60).min(text.len())];
            panic!("{} holds {c:?} at byte {i}: …{around}…", path.display());
        }
    }

    // The feed and the sitemap are XML.
    for name in ["feed.xml", "sitemap.xml"] {
        let xml = site.output(name);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
    }
    assert_eq!(site.output("CNAME"), "control.example.org\n");
    let feed = site.output("feed.xml");
    assert!(feed.contains("Our summary of the meeting"), "{feed}");

    // The print view is whole: the passages with control characters are quoted in its notes
    // (their white space collapsed), every mark leads to a note that is there, and no id is
    // given twice.
    let print = site.output("print/index.html");
    for quote in [
        "<q class=\"note-quote\">the delegations met in the palace for an hour</q>",
        "<q class=\"note-quote\">They agreed to meet again.</q>",
    ] {
        assert!(print.contains(quote), "{quote}\n{print}");
    }
    let id = Regex::new(r#" id="([^"]+)""#).unwrap();
    let mut ids = HashSet::new();
    for c in id.captures_iter(&print) {
        assert!(ids.insert(c[1].to_string()), "id {} twice", &c[1]);
    }
    let href = Regex::new(r##"href="#(note-[^"]*|cite-[^"]*)""##).unwrap();
    let links: Vec<String> = href
        .captures_iter(&print)
        .map(|c| c[1].to_string())
        .collect();
    assert!(links.len() >= 8, "{links:?}");
    for l in &links {
        assert!(ids.contains(l), "#{l} leads nowhere in the print view");
    }
    // The wire's text is shown on its page with every character but the stray ones, which
    // are spaces (the look-alike placeholders kept as the text they are).
    let wire = site.output("sources/wire/index.html");
    for text in [
        "Officials said ",
        "A line with   and   and  brief-part-0  and  0  and  0.0  in it.",
        "Escape sequences:  ]0;window title  and  [2J cleared.",
    ] {
        assert!(wire.contains(text), "{text}\n{wire}");
    }

    // `brief check` tells the same, in both formats, without a raw control character.
    let check = site.run(&["check"]);
    assert!(check.ok, "{}", check.stderr);
    assert_terminal_safe("brief check", &check.stderr);
    assert!(check.stderr.contains("2 warnings"), "{}", check.stderr);
    let json = site.run(&["check", "--format", "json"]);
    assert_terminal_safe("brief check --format json", &json.stdout);
    assert_eq!(json_problems(&json).len(), 2, "{}", json.stdout);
}

/// The problems of a `--format json` run.
fn json_problems(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn control_characters_in_values_are_refused_where_they_are_written() {
    let site = Site::copy("control-chars");
    // (file, text replaced, its replacement with a control character): every kind of value.
    let edits: &[(&str, &str, &str)] = &[
        // An annotation: YAML escapes in the collection's and an item's values, a list item,
        // a Markdown value, a claim's text, a quote.
        (
            "content/annotations/people.yaml",
            "title: People",
            r#"title: "People\x1b""#,
        ),
        (
            "content/annotations/people.yaml",
            "description: Who met.",
            r#"description: "Who\u0085 met.""#,
        ),
        (
            "content/annotations/people.yaml",
            "name: Anna Example",
            r#"name: "Anna\u0001 Example""#,
        ),
        (
            "content/annotations/people.yaml",
            "role: Negotiator",
            "aliases: [\"An\\u009bna\"]\n    role: Negotiator",
        ),
        (
            "content/annotations/people.yaml",
            "side: North",
            r#"side: "North\U0000FFFE""#,
        ),
        (
            "content/annotations/people.yaml",
            "      - text: Agreed to meet again.",
            r#"      - text: "Agreed\a to meet again.""#,
        ),
        (
            "content/annotations/people.yaml",
            r#"quote: "They agreed to meet again.""#,
            r#"quote: "They agreed\vto meet again.""#,
        ),
        // Another: a raw control character in a plain value.
        (
            "content/annotations/events.yaml",
            "name: Palace meeting",
            "name: Palace\u{1b}[2J meeting",
        ),
        // A source's front matter: title, a summary_of value, notes.
        (
            "content/sources/summary.md",
            "title: Our summary of the meeting",
            r#"title: "Our summary\0 of the meeting""#,
        ),
        (
            "content/sources/summary.md",
            "  outlet: Example Times",
            r#"  outlet: "Example\N Times""#,
        ),
        (
            "content/sources/summary.md",
            "published: 2025-06-02",
            "published: 2025-06-02\nnotes: \"Taken \\e[1mdown\\e[0m.\"",
        ),
        // A page's text, raw (a page's front matter is in second.md, below).
        (
            "content/pages/about.md",
            "stray characters.",
            "stray\u{7} characters.\u{9b}",
        ),
        // Markdown character references, in the front page: in the text and a link.
        (
            "content/index.md",
            "The wire reported",
            "The &#27;[31mwire&#x1B;[0m reported",
        ),
        (
            "content/index.md",
            "and our summary",
            "and [our](https://example.org/&#155;) summary",
        ),
    ];
    for (file, from, to) in edits {
        site.edit(file, from, to);
    }
    site.write(
        "content/pages/second.md",
        "---\ntitle: Second\ndescription: \"What\\f this is.\"\n---\nA second page.\n",
    );
    // A key of a free collection's fields.
    site.write(
        "content/annotations/notes.yaml",
        "title: Notes\nkind: free\nitems:\n  - id: a-note\n    name: A note\n    fields:\n      \"Key\\x1b\": A value\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\u{1b}]0;title\u{7}{{ page.body_html | safe }}{% endblock %}\n",
    );
    // Where each must be reported: the line of its replacement that holds the character.
    let mut expected: BTreeSet<(String, usize)> = edits
        .iter()
        .map(|(file, _, to)| {
            let holds = |l: &&str| l.contains(['\\', '&']) || l.chars().any(char::is_control);
            let needle = to.lines().find(holds).expect("a line with the character");
            (file.to_string(), line_of(&site, file, needle.trim()))
        })
        .collect();
    expected.insert(("content/pages/second.md".into(), 3));
    expected.insert(("content/annotations/notes.yaml".into(), 7));
    expected.insert(("templates/page.html".into(), 2));
    let missing: Vec<_> = expected.difference(&refused(&site)).cloned().collect();
    assert!(missing.is_empty(), "not reported: {missing:?}");

    // Refused, not hidden: an error each, at file:line:col, where the value is written.
    let human = site.run(&["check"]);
    assert_eq!(human.code, Some(1));
    assert_terminal_safe("brief check", &human.stderr);
    let at = line_of(&site, "content/annotations/people.yaml", "title: ");
    let at_page = line_of(&site, "content/pages/about.md", "stray");
    for error in [
        format!("error: content/annotations/people.yaml:{at}:8: this value holds the control character U+001B (escape)"),
        format!("error: content/pages/about.md:{at_page}:60: this page holds the control character U+0007 (bell)"),
        "error: content/index.md:3:5: this character reference stands for the control character U+001B (escape)".to_string(),
    ] {
        assert!(human.problems.contains(&error), "{error}\n{}", human.stderr);
    }
    // A raw character is shown escaped in the line the problem stands on.
    for shown in [
        r"stray\u{7} characters.\u{9b}",
        r"Palace\u{1b}[2J meeting",
        r"\u{1b}]0;title\u{7}",
    ] {
        assert!(human.stderr.contains(shown), "{shown}\n{}", human.stderr);
    }

    // site.toml, last: without a usable site.toml nothing is checked past loading. Escapes
    // in basic and multi-line strings and in an array.
    let toml_edits: &[(&str, &str, &str)] = &[
        (
            "site.toml",
            r#"title = "Control characters""#,
            r#"title = "Control\u001b[31m characters""#,
        ),
        (
            "site.toml",
            r#"description = "Stray"#,
            r#"description = "\eStray"#,
        ),
        (
            "site.toml",
            r#"author = "Test Desk""#,
            r#"author = """Test\x7fDesk""""#,
        ),
        ("site.toml", r#"language = "en""#, r#"language = "en\b""#),
        (
            "site.toml",
            r#"boilerplate = ['^Advertisement$']"#,
            r#"boilerplate = ['^Advertisement$', "\f"]"#,
        ),
    ];
    for (file, from, to) in toml_edits {
        site.edit(file, from, to);
    }
    let expected: BTreeSet<(String, usize)> = toml_edits
        .iter()
        .map(|(file, _, to)| (file.to_string(), line_of(&site, file, to)))
        .collect();
    let missing: Vec<_> = expected.difference(&refused(&site)).cloned().collect();
    assert!(missing.is_empty(), "not reported: {missing:?}");

    // And nothing was built.
    let build = site.run(&["build"]);
    assert_eq!(build.code, Some(1));
    assert_terminal_safe("brief build", &build.stderr);
    assert!(!site.path().join("public").exists());
}

/// Where `brief check --format json` refuses a control character with an error (its place,
/// and the others it notes), as (file, line); checks that what it prints is safe.
fn refused(site: &Site) -> BTreeSet<(String, usize)> {
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.code, Some(1), "{}\n{}", json.stdout, json.stderr);
    assert_terminal_safe("brief check --format json", &json.stdout);
    let mut reported = BTreeSet::new();
    for p in json_problems(&json) {
        // The sources' warnings are told too; the values are errors.
        if p["code"] != "control-character" || p["severity"] == "warning" {
            continue;
        }
        let places = std::iter::once(&p["location"]).chain(p["related"].as_array().unwrap());
        for l in places {
            let file = l["file"].as_str().unwrap().to_string();
            reported.insert((file, l["line"].as_u64().unwrap() as usize));
        }
    }
    reported
}
