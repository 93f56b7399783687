//! End-to-end: bad input gives one clear error at the right place, and the last good output
//! stays as it was.

mod common;

use common::Site;

/// Builds the fixture once, breaks it with `mutate`, builds again: the second build must fail
/// naming `expect` (all of them) on stderr, and leave public/ byte for byte as it was.
fn fails_keeping_output(mutate: impl FnOnce(&Site), expect: &[&str]) -> String {
    let site = Site::copy("basic");
    site.build_clean();
    let before = site.snapshot();
    mutate(&site);
    let run = site.run(&["build"]);
    assert!(!run.ok, "build should fail");
    assert_eq!(run.code, Some(1));
    for e in expect {
        assert!(
            run.stderr.contains(e) || run.problems.contains(e),
            "stderr lacks {e:?}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(before, site.snapshot(), "a failed build changed public/");
    // `check` reports the same problems.
    let check = site.run(&["check"]);
    assert!(!check.ok);
    for e in expect {
        assert!(
            check.stderr.contains(e) || check.problems.contains(e),
            "check lacks {e:?}:\n{}",
            check.stderr
        );
    }
    run.stderr
}

#[test]
fn wrong_quote_names_the_place_and_the_closest_passage() {
    let err = fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/people.yaml",
                "\"the memorandum was ready\"",
                "\"the memorandum is ready\"",
            )
        },
        &[
            "error: content/annotations/people.yaml:16:20: the quote is not in source `alpha`",
            "did you mean “",
        ],
    );
    assert!(err.contains("memorandum was ready"), "{err}");
}

#[test]
fn wrong_inline_quote_in_markdown_is_located_in_its_file() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/index.md",
                "\"meet at Çırağan Palace on Monday\"]. Medinsky",
                "\"meet at the palace on Sunday\"]. Medinsky",
            )
        },
        &["content/index.md:4:", "the quote is not in source `alpha`"],
    );
}

#[test]
fn duplicate_id_points_at_both_places() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/venues.yaml",
                "id: ciragan-palace",
                "id: rustem-umerov",
            )
        },
        &[
            "content/annotations/venues.yaml:4:9: the id `rustem-umerov` is used twice",
            "content/annotations/people.yaml:22:9: first used here",
        ],
    );
}

#[test]
fn dangling_reference_suggests_the_near_id() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/events.yaml",
                "place: ciragan-palace",
                "place: ciragan-palce",
            )
        },
        &[
            "events.yaml:7:12: there is no item with the id `ciragan-palce`",
            "did you mean `ciragan-palace`?",
        ],
    );
}

#[test]
fn bad_yaml_is_reported_at_its_line() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/venues.yaml",
                "    city: Istanbul\n",
                "    city: [Istanbul\n",
            )
        },
        &["content/annotations/venues.yaml:"],
    );
}

#[test]
fn unknown_field_gets_a_did_you_mean() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/people.yaml",
                "    role: Defence minister",
                "    rol: Defence minister",
            )
        },
        &[
            "content/annotations/people.yaml:24:5: unknown field `rol`",
            "did you mean `role`?",
        ],
    );
}

#[test]
fn unknown_source_and_unknown_site_key() {
    fails_keeping_output(
        |s| {
            s.edit("content/index.md", "[@beta]", "[@betta]");
            s.edit("site.toml", "language = \"en\"", "langauge = \"en\"");
        },
        &["site.toml:4:1: unknown field `langauge`"],
    );
    // With site.toml fine, the unknown source is reported with a suggestion.
    fails_keeping_output(
        |s| s.edit("content/index.md", "[@beta]", "[@betta]"),
        &[
            "content/index.md:6:",
            "there is no source `betta`",
            "did you mean `beta`?",
        ],
    );
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let err = fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/events.yaml",
                "place: ciragan-palace",
                "place: nowhere",
            );
            s.edit(
                "content/annotations/people.yaml",
                "\"the memorandum was ready\"",
                "\"no such words here\"",
            );
            s.edit(
                "content/annotations/venues.yaml",
                "id: ciragan-palace",
                "id: rustem-umerov",
            );
        },
        &[
            "there is no item with the id `nowhere`",
            "the quote is not in source `alpha`",
            "is used twice",
        ],
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn a_source_with_a_bad_date_still_has_its_quotes_checked() {
    // The date is wrong, but the text is sound: the wrong quote from it is told in the same
    // run, not only once the date is mended.
    let err = fails_keeping_output(
        |s| {
            s.edit(
                "content/sources/alpha.md",
                "published: 2025-06-01",
                "published: 2025-06-31",
            );
            s.edit(
                "content/annotations/people.yaml",
                "\"the memorandum was ready\"",
                "\"no such words here\"",
            );
        },
        &[
            "content/sources/alpha.md:6:12: `2025-06-31` does not exist",
            "content/annotations/people.yaml:16:20: the quote is not in source `alpha`",
        ],
    );
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn a_broken_link_is_told_where_the_markdown_writes_it() {
    let err = fails_keeping_output(
        |s| {
            s.edit(
                "content/index.md",
                "[the methodology](/methodology/)",
                "[the methodology](/methodolgy/)",
            );
            s.edit(
                "content/annotations/people.yaml",
                "Said the memorandum was ready.",
                "Said the memorandum was ready (see [Umerov](/people/rustem-umerov/#claim-9)).",
            );
            s.edit(
                "content/pages/methodology.md",
                "How this fixture was made [@alpha].",
                "How this fixture was made [@alpha], see [below](#nowhere).",
            );
        },
        &[
            // The page it is first met on depends on which is rendered first.
            "error: content/index.md:8:23: the link `/methodolgy/` is broken: there is no methodolgy/index.html (on ",
            "help: did you mean /methodology/?",
            "error: content/annotations/people.yaml:12:59: the link `/people/rustem-umerov/#claim-9` is broken: people/rustem-umerov/index.html has no element with id `claim-9` (on ",
            // A link within its own page, too.
            "error: content/pages/methodology.md:4:49: the link `#nowhere` is broken: methodology/index.html has no element with id `nowhere` (on methodology/index.html)",
        ],
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn a_broken_link_made_by_a_template_names_the_page() {
    let err = fails_keeping_output(
        |s| {
            s.write(
                "templates/page.html",
                r#"{% extends "base.html" %}{% block content %}<a href="{{ page.root }}nowhere/">x</a>{% endblock content %}"#,
            )
        },
        &[
            "error: methodology/index.html: the link `../nowhere/` is broken: there is no nowhere/index.html",
        ],
    );
    assert!(!err.contains("(on "), "{err}");
}

#[test]
fn html_inside_a_quote_is_named_not_told_as_an_unclosed_quote() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/index.md",
                "\"meet at Çırağan Palace on Monday\"]. Medinsky",
                "\"meet at <b>Çırağan</b> Palace on Monday\"]. Medinsky",
            )
        },
        &["error: content/index.md:4:26: a citation cannot hold HTML (`<b>`)"],
    );
}

#[test]
fn ambiguous_quote_is_a_warning_not_an_error() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/disputes.yaml",
        "\"the talks would be difficult. Officials\"",
        "\"Officials said the talks would be difficult.\"",
    );
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.problems.contains(
            "warning: content/annotations/disputes.yaml:15:20: the quote occurs 2 times in `alpha`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn impossible_date_is_an_error() {
    fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/events.yaml",
                "date: 2025-06-02",
                "date: 2025-02-30",
            )
        },
        &["events.yaml:6:11: `2025-02-30` does not exist: February 2025 has 28 days"],
    );
}

#[test]
fn an_error_in_a_file_does_not_hide_the_others() {
    // A bad date used to drop its whole collection, which hid every dangling reference of
    // the briefing and every quote error of the collection.
    let err = fails_keeping_output(
        |s| {
            s.edit(
                "content/annotations/events.yaml",
                "date: 2025-06-02",
                "date: 2025-02-30",
            );
            s.edit(
                "content/annotations/events.yaml",
                "place: ciragan-palace",
                "place: ciragan-palce",
            );
            s.edit(
                "content/annotations/people.yaml",
                "    name: Rustem Umerov\n",
                "",
            );
            s.edit(
                "content/annotations/people.yaml",
                "\"the memorandum was ready\"",
                "\"the memorandum is ready\"",
            );
        },
        &[
            "events.yaml:6:11: `2025-02-30` does not exist",
            "events.yaml:7:12: there is no item with the id `ciragan-palce`",
            "people.yaml:16:20: the quote is not in source `alpha`",
            "people.yaml:22:9: item `rustem-umerov` has no name",
        ],
    );
    assert!(err.contains("4 errors"), "{err}");
    // The item without a name is not also a dangling reference in events.yaml.
    assert!(!err.contains("`rustem-umerov`\n"), "{err}");
}

#[test]
fn a_reader_that_goes_away_is_no_panic() {
    // `brief check --format json | head -1`: the pipe closes while problems are printed.
    let site = Site::copy("basic");
    let many: String = (0..600).map(|i| format!("[@nosuch{i}] ")).collect();
    site.write("content/pages/many.md", &format!("# Many\n\n{many}\n"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--format", "json"])
        .current_dir(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run brief");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

#[test]
fn thousands_of_problems_on_one_long_line_print_quickly() {
    // miette draws the whole line for every problem; a pasted one-line file with thousands
    // of mistakes took minutes. Such lines are shown without the snippet.
    let site = Site::copy("basic");
    let line: String = (0..3000).map(|_| "[@alpha \"unclosed ").collect();
    site.write("content/pages/long.md", &format!("{line}\n"));
    let start = std::time::Instant::now();
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("3000 errors"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(500)..]
    );
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

#[test]
fn a_front_page_that_is_a_link_to_nothing_is_an_error() {
    let site = Site::copy("basic");
    std::fs::remove_file(site.path().join("content/index.md")).expect("rm");
    std::os::unix::fs::symlink("gone.md", site.path().join("content/index.md")).expect("ln");
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems.contains(
            "error: content/index.md:1:1: content/index.md is a symbolic link to gone.md, which does not exist"
        ),
        "{}",
        run.stderr
    );
}

/// The problem blocks of a run's stderr (each ends with a blank line), without the summary.
fn blocks(stderr: &str) -> Vec<String> {
    stderr
        .split("\n\n")
        .map(str::trim_end)
        .filter(|b| b.starts_with("error[") || b.starts_with("warning["))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_problem_is_printed_once_as_rustc_prints_errors() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/people.yaml",
        "\"the memorandum was ready\"",
        "\"the memorandum is ready\"",
    );
    let build = site.run(&["build"]);
    assert!(!build.ok);
    let shown = blocks(&build.stderr);
    assert_eq!(shown.len(), 1, "{}", build.stderr);
    let block = &shown[0];
    assert!(
        block.eq(
            "error[quote-not-found]: the quote is not in source `alpha`\n  --> content/annotations/people.yaml:16:20\n   |\n16 |             quote: \"the memorandum is ready\"\n   |                    ^^^^^^^^^^^^^^^^^^^^^^^^^\n   |\n   = help: did you mean “the memorandum was ready”?\n   = note: content/sources/alpha.md:16:30: the closest passage of the source"
        ),
        "{block}"
    );
    // Said once: the message, the help and the place appear one time each.
    assert_eq!(
        build.stderr.matches("the quote is not in source").count(),
        1
    );
    assert_eq!(build.stderr.matches("did you mean").count(), 1);
    assert_eq!(build.stderr.matches("people.yaml:16:20").count(), 1);
    // check prints the very same.
    let check = site.run(&["check"]);
    assert_eq!(blocks(&check.stderr), shown);
    assert!(
        build.stderr.trim_end().ends_with(
            "1 error, 0 warnings; nothing was written (the previous output is unchanged)"
        ),
        "{}",
        build.stderr
    );
}

#[test]
fn a_tab_is_named_on_its_own_line() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/events.yaml",
        "    name: June talks",
        "\tname: June talks",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems.contains(
            "error: content/annotations/events.yaml:15:1: line 15 is indented with a tab\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("use spaces") || run.stderr.contains("spaces only"));
    assert!(!run.stderr.contains("scanning"), "{}", run.stderr);
}

#[test]
fn a_missing_colon_is_named_after_its_key() {
    for (from, to, says) in [
        (
            "    role: Aide to the president",
            "    role Aide to the president",
            "error: content/annotations/people.yaml:8:5: missing `:` after `role`?\n",
        ),
        (
            "title: People",
            "title People",
            "error: content/annotations/people.yaml:1:1: missing `:` after `title`?\n",
        ),
    ] {
        let site = Site::copy("basic");
        site.edit("content/annotations/people.yaml", from, to);
        let run = site.run(&["check"]);
        assert!(!run.ok);
        assert!(run.problems.contains(says), "{says}\n{}", run.stderr);
        assert!(!run.stderr.contains("simple key"), "{}", run.stderr);
        assert!(!run.stderr.contains("list"), "{}", run.stderr);
    }
}

#[test]
fn an_unknown_source_is_underlined_at_its_id() {
    let site = Site::copy("basic");
    site.edit(
        "content/index.md",
        "[@alpha \"meet at Çırağan Palace on Monday\"]. Medinsky",
        "[@alhpa \"meet at Çırağan Palace on Monday\"]. Medinsky",
    );
    site.edit(
        "content/annotations/people.yaml",
        "source: alpha\n            quote: \"the memorandum was ready\"",
        "source: alpah\n            quote: \"the memorandum was ready\"",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    let shown = blocks(&run.stderr);
    let inline = shown
        .iter()
        .find(|b| b.contains("`alhpa`"))
        .expect("the inline one");
    // The caret line stands under the five letters of the id, not the quote.
    let lines: Vec<&str> = inline.lines().collect();
    let code = lines.iter().position(|l| l.contains("[@alhpa")).unwrap();
    let carets = lines[code + 1];
    assert_eq!(carets.matches('^').count(), 5, "{inline}");
    let col = |l: &str, s: &str| l[..l.find(s).unwrap()].chars().count();
    assert_eq!(col(carets, "^"), col(lines[code], "alhpa"), "{inline}");
    assert!(
        run.problems
            .contains("error: content/annotations/people.yaml:15:21: there is no source `alpah`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_toml_error_does_not_hide_the_contents() {
    let site = Site::copy("basic");
    site.edit("site.toml", "title = ", "titel = ");
    site.edit(
        "content/annotations/people.yaml",
        "\"the memorandum was ready\"",
        "\"the memorandum is ready\"",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems.contains("error: site.toml:") && run.problems.contains("`titel`"),
        "{}",
        run.stderr
    );
    assert!(
        run.problems.contains(
            "error: content/annotations/people.yaml:16:20: the quote is not in source `alpha`"
        ),
        "{}",
        run.stderr
    );
    // Not a warning about a placeholder address the file does not hold.
    assert!(!run.stderr.contains("placeholder"), "{}", run.stderr);
}

#[test]
fn a_missing_field_does_not_hide_a_duplicate_id() {
    let site = Site::copy("basic");
    let events = site.read("content/annotations/events.yaml");
    site.write(
        "content/annotations/events.yaml",
        &format!("{events}  - name: No id here\n    date: 2025\n  - id: vladimir-medinsky\n    name: Another\n    date: 2025\n"),
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems.contains("missing field `id`"),
        "{}",
        run.stderr
    );
    assert!(
        run.problems
            .contains("the id `vladimir-medinsky` is used twice"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("first used here"), "{}", run.stderr);
}

#[test]
fn a_quote_with_an_ellipsis_or_a_straight_quote_gets_advice() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/people.yaml",
        "\"the memorandum was ready\"",
        "\"the memorandum … ready\"",
    );
    site.edit(
        "content/index.md",
        "and the whole report [@beta]",
        "and the round [@beta \"could prove \"very difficult\" for everyone\"]",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("a quote is one unbroken passage of the source"),
        "{}",
        run.stderr
    );
    assert!(
        run.problems.contains("error: content/index.md:6:")
            && run.problems.contains("ends the quote"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("“…”"), "{}", run.stderr);
}
