//! Internal material and the leak check (issue 20 §2), end to end on tests/fixtures/internal,
//! which puts internal material in every field that takes it: an internal source (title,
//! notes, text), internal items (name, alias, role, summary, claims, a dispute's question and
//! positions), an internal claim and position in public items, an internal page, and
//! `internal_notes` on each kind of part, public ones too.
//!
//! The public build must leave every byte of its output free of all of it (the test scans
//! every file itself, not trusting brief's own check); a leak forced into a static file, a
//! template or a public page fails the build naming the file and the text and leaves the
//! previous output as it was; `--internal` shows and marks it all.

mod common;

use std::path::Path;

use common::{Site, files_under};

/// Every internal string of the fixture, as its files write them: ids, names, titles,
/// quotes, notes and texts.
const INTERNAL: &[&str] = &[
    // internal_notes of every kind of part, public parts' included
    "ZETA-FRONT",
    "ZETA-METHOD",
    "ZETA-BACKROOM",
    "ZETA-SOURCE",
    "ZETA-CABLE",
    "ZETA-ENVOY",
    "ZETA-CLAIM",
    "ZETA-PUBCLAIM",
    "ZETA-KELLER",
    "ZETA-POSITION",
    "ZETA-PUBPOS",
    // the internal source: id, title, notes, text
    "secret-cable",
    "Cable from the delegation secretariat",
    "Confidential channel",
    "Received through the liaison office",
    "Cable number nine",
    "cable number nine",
    "unease in the delegation",
    "threatened to walk out",
    "sequencing",
    // the internal item: id, alias, role, summary, claim
    "anna-keller",
    "Keller-Brandt",
    "Liaison officer",
    "Runs the liaison office",
    "Handed over cable",
    // the internal claim of a public item
    "envoy-unease-claim",
    "Sensed unease",
    // the internal position of a public dispute
    "The secretariat cable says",
    // the internal dispute
    "secret-dispute",
    "Who leaked",
    "liaison office leaked",
    "Nobody leaked",
    // the internal page
    "backroom",
    "Backroom",
    "retired diplomat in Lausanne",
    "go-betweens",
];

/// The internal strings found in any file under `dir`, as `file: string`.
fn leaks_in(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in files_under(dir) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for s in INTERNAL {
            if text.contains(s) {
                found.push(format!(
                    "{}: {s}",
                    file.strip_prefix(dir).unwrap().display()
                ));
            }
        }
    }
    found
}

#[test]
fn a_public_build_leaves_every_internal_string_out_of_every_byte() {
    let site = Site::copy("internal");
    let run = site.build_clean();
    assert!(
        run.stderr.contains("from 1 source, 2 items"),
        "the counts are the public site's: {}",
        run.stderr
    );
    let public = site.path().join("public");
    assert!(files_under(&public).len() > 15);
    assert_eq!(leaks_in(&public), Vec::<String>::new());
    // What stays: the public parts, a public claim that also cited the internal source (its
    // citation of it dropped), the public position of the dispute, a mention of the internal
    // item's name in a public source as plain text.
    let envoy = site.output("people/envoy/index.html");
    assert!(envoy.contains("Spoke to reporters before the session."));
    assert!(envoy.contains("Opened the talks in Geneva."));
    assert!(!envoy.contains("class=\"internal"));
    let walkout = site.output("disputes/walkout/index.html");
    assert!(walkout.contains("No walkout was threatened"));
    assert!(walkout.contains("Reporters saw the envoy speak"));
    let source = site.output("sources/public-report/index.html");
    assert!(source.contains("Anna Keller joined"), "{source}");
    assert!(!site.path().join("public/backroom").exists());
    // A citation group whose only citation was of the internal source leaves no mark.
    let method = site.output("method/index.html");
    assert!(
        method.contains("the desk&#39;s own files.") || method.contains("the desk's own files."),
        "{method}"
    );
    assert!(!method.contains("<sup class=\"cite\"></sup>"), "{method}");
    // A link written to an internal page is its text.
    assert!(
        method.contains("See the liaison and the side channel."),
        "{method}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.output("briefing.json")).expect("briefing.json");
    assert_eq!(json["sources"].as_array().map(Vec::len), Some(1));
}

#[test]
fn an_internal_build_shows_every_part_marked_and_goes_to_a_folder_of_its_own() {
    let site = Site::copy("internal");
    let run = site.run(&["build", "--internal"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("do not publish it"), "{}", run.stderr);
    assert!(
        !site.path().join("public").exists(),
        "public/ is left alone"
    );
    let dir = site.path().join("internal");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    let envoy = read("people/envoy/index.html");
    assert!(envoy.contains("Internal edition"));
    assert!(envoy.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(envoy.contains("<li id=\"claim-envoy-unease-claim\" class=\"internal\">"));
    for memo in ["ZETA-ENVOY", "ZETA-CLAIM", "ZETA-PUBCLAIM"] {
        assert!(envoy.contains(memo), "{memo}");
    }
    assert!(envoy.contains("class=\"internal-notes\""));
    let keller = read("people/anna-keller/index.html");
    assert!(keller.contains("internal-badge") && keller.contains("ZETA-KELLER"));
    let cable = read("sources/secret-cable/index.html");
    assert!(cable.contains("internal-badge") && cable.contains("ZETA-CABLE"));
    assert!(read("sources/public-report/index.html").contains("ZETA-SOURCE"));
    let walkout = read("disputes/walkout/index.html");
    assert!(walkout.contains("The secretariat cable says") && walkout.contains("ZETA-POSITION"));
    assert!(read("backroom/index.html").contains("internal-badge"));
    // The lists mark what is internal too.
    for list in [
        "people/index.html",
        "sources/index.html",
        "disputes/index.html",
    ] {
        assert!(
            read(list).contains("<span class=\"internal-badge\">Internal</span>"),
            "{list}"
        );
    }
    assert!(read("index.html").contains("ZETA-FRONT"));
    let method = read("method/index.html");
    assert!(method.contains("ZETA-METHOD"));
    assert!(
        method.contains("<a href=\"../people/anna-keller/index.html\">the liaison</a>"),
        "{method}"
    );
    // The mention of the internal item in a public source is a link here.
    assert!(read("sources/public-report/index.html").contains("people/anna-keller/"));
}

/// A leak forced into a file of the public site fails the build, naming the file and the
/// text; the previous output stays whole; once mended, the build is clean again.
#[test]
fn a_forced_leak_fails_naming_the_file_and_the_text_until_mended() {
    let site = Site::copy("internal");
    site.build_clean();
    let before = site.snapshot();
    type Leak = (&'static str, &'static str, &'static str, &'static str);
    let leaks: [Leak; 3] = [
        // (file written, its text, the output file named, the internal text named)
        (
            "static/notes.txt",
            "Copied: The deputy head threatened to walk out of the second session entirely.\n",
            "notes.txt",
            "The deputy head threatened to walk out of the second session entirely.",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p>Ask Officer Keller-Brandt.</p>{{ content_html | safe }}{% endblock content %}",
            "method/index.html",
            "Officer Keller-Brandt",
        ),
        (
            "content/pages/leak.md",
            "---\ntitle: Leak\n---\nAs we noted: Keller memo ZETA-KELLER on her reliability.\n",
            "leak/index.html",
            "Keller memo ZETA-KELLER on her reliability.",
        ),
    ];
    for (path, text, out, needle) in leaks {
        site.write(path, text);
        let run = site.run(&["build"]);
        assert!(!run.ok, "{path}: the leak was not caught");
        assert!(
            run.stderr.contains("error[internal-leak]")
                && run.stderr.contains(&format!(
                    "the public site's {out} holds internal text: “{needle}”"
                )),
            "{path}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was written"));
        assert_eq!(
            site.snapshot(),
            before,
            "{path}: the previous output changed"
        );
        // `brief check` says the same.
        let check = site.run(&["check"]);
        assert!(
            !check.ok && check.stderr.contains("internal-leak"),
            "{}",
            check.stderr
        );
        std::fs::remove_file(site.path().join(path)).unwrap();
        site.build_clean();
        assert_eq!(leaks_in(&site.path().join("public")), Vec::<String>::new());
    }
}

#[test]
fn a_public_claim_resting_only_on_internal_sources_is_an_error_in_every_build() {
    let site = Site::copy("internal");
    site.edit(
        "content/annotations/people.yaml",
        "          - source: public-report\n            quote: \"the talks resume in Geneva on Monday\"",
        "          - source: secret-cable\n            quote: \"the deputy head threatened\"",
    );
    for args in [&["build"][..], &["build", "--internal"], &["check"]] {
        let run = site.run(args);
        assert!(!run.ok, "{args:?}");
        assert!(
            run.problems.contains(
                "content/annotations/people.yaml:25:15: claim `opened-the-talks-in-geneva-"
            ) && run
                .problems
                .contains("is public but cites only internal sources"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// brief.lock holds the internal parts too; a public build holds its part of the briefing
/// to it without calling what it left out removed.
#[test]
fn the_lock_holds_everything_and_both_builds_pass_locked() {
    let site = Site::copy("internal");
    let lock = site.run(&["lock"]);
    assert!(lock.ok, "{}", lock.stderr);
    assert!(site.read("brief.lock").contains("secret-cable"));
    let public = site.run(&["build", "--locked"]);
    assert!(
        public.ok && !public.stderr.contains("warning"),
        "{}",
        public.stderr
    );
    let internal = site.run(&["build", "--internal", "--locked"]);
    assert!(
        internal.ok && !internal.stderr.contains("warning"),
        "{}",
        internal.stderr
    );
    assert_eq!(leaks_in(&site.path().join("public")), Vec::<String>::new());
}

/// A label that a public part has too (here the public envoy's role is the internal liaison
/// officer's) is public, and no leak.
#[test]
fn a_label_a_public_part_shares_is_no_leak() {
    let site = Site::copy("internal");
    site.edit(
        "content/annotations/people.yaml",
        "    role: Chief negotiator",
        "    role: Liaison officer",
    );
    site.build_clean();
    assert!(
        site.output("people/envoy/index.html")
            .contains("Liaison officer")
    );
    assert!(!site.path().join("public/people/anna-keller").exists());
}
