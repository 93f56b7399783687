//! The source lock end to end: `brief lock` on a copy of tests/fixtures/lock/, then edits of
//! its sources, and what `brief check`, `brief check --locked` and `brief build` say of them.

mod common;

use common::Site;

const ALPHA: &str = "content/sources/alpha.md";
const LOCK: &str = "brief.lock";

/// A copy of the lock fixture with a fresh brief.lock.
fn locked_site() -> Site {
    let site = Site::copy("lock");
    let run = site.run(&["lock"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("locked 2 sources, 5 citations in brief.lock"),
        "{}",
        run.stderr
    );
    site
}

/// The bytes and modification time of brief.lock.
fn lock_state(site: &Site) -> (Vec<u8>, std::time::SystemTime) {
    let path = site.path().join(LOCK);
    let bytes = std::fs::read(&path).expect("brief.lock");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    (bytes, mtime)
}

/// Alpha's second paragraph moves down (a paragraph is put before it, holding a look-alike of
/// the third's quote with a capital letter) and its third is reworded, so of the citations of
/// alpha one is unchanged, one moved and two (in people.yaml and index.md) gone.
fn edit_alpha(site: &Site) {
    site.edit(
        ALPHA,
        "Officials said",
        "Ended after forty minutes, the first round was called a success by neither side.\n\nOfficials said",
    );
    site.edit(
        ALPHA,
        "The talks ended after forty minutes without",
        "The talks broke up without",
    );
}

#[test]
fn lock_then_check_is_clean_and_a_second_lock_changes_nothing() {
    let site = locked_site();
    let text = site.read(LOCK);
    assert!(
        text.starts_with("# brief.lock: written by `brief lock`"),
        "{text}"
    );
    assert!(text.contains("\nversion = 1\n"), "{text}");
    let check = site.run(&["check", "--locked"]);
    assert!(check.ok, "{}", check.stderr);
    assert!(check.stderr.contains("all verified"), "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    site.build_clean();
    let before = lock_state(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = site.run(&["lock"]);
    assert!(again.ok, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("brief.lock is up to date: 2 sources, 5 citations"),
        "{}",
        again.stderr
    );
    assert_eq!(
        lock_state(&site),
        before,
        "an up-to-date lock is not rewritten"
    );
}

#[test]
fn the_lock_records_what_briefing_json_and_sha256sum_say() {
    let site = locked_site();
    site.build_clean();
    let json: serde_json::Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    let lock: toml::Table = toml::from_str(&site.read(LOCK)).unwrap();
    let locked = lock["source"].as_array().unwrap();
    for source in json["sources"].as_array().unwrap() {
        let id = source["id"].as_str().unwrap();
        let text = source["text"].as_str().unwrap();
        let sha = source["sha256"].as_str().unwrap();
        assert_eq!(sha, sha256_hex(text.as_bytes()), "{id}");
        let entry = locked
            .iter()
            .find(|s| s["id"].as_str() == Some(id))
            .unwrap();
        assert_eq!(entry["sha256"].as_str(), Some(sha), "{id}");
        for c in entry["citation"].as_array().unwrap() {
            let (start, end) = (
                c["start"].as_integer().unwrap() as usize,
                c["end"].as_integer().unwrap() as usize,
            );
            let passage = &text.as_bytes()[start..end];
            assert_eq!(c["sha256"].as_str().unwrap(), sha256_hex(passage), "{c}");
            assert_eq!(
                std::str::from_utf8(passage).unwrap().to_lowercase(),
                c["quote"].as_str().unwrap().to_lowercase()
            );
        }
    }
}

/// SHA-256 by the system's `sha256sum`, so the test does not check brief with itself.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum (coreutils)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn an_edited_source_names_each_citation_unchanged_moved_or_gone() {
    let site = locked_site();
    let locked = lock_state(&site);
    edit_alpha(&site);

    let check = site.run(&["check"]);
    assert!(
        check.ok,
        "warnings only without --locked:\n{}",
        check.stderr
    );
    let p = &check.problems;
    assert!(
        p.contains("warning: content/sources/alpha.md:1:1: the text of source `alpha` changed since brief.lock: of its 4 locked citations, 1 unchanged, 1 moved, 2 gone"),
        "{p}"
    );
    for note in [
        "= note: content/annotations/people.yaml:13:20: unchanged: “met at the palace on Monday morning”",
        "= note: content/annotations/people.yaml:17:20: moved: “the memorandum was ready for signing”",
        "= note: content/annotations/people.yaml:21:20: gone: “ended after forty minutes”",
        "= note: content/index.md:4:80: gone: “ended after forty minutes”",
    ] {
        assert!(check.stderr.contains(note), "{note} in\n{}", check.stderr);
    }
    assert!(
        p.contains("warning: content/annotations/people.yaml:17:20: the passage cited moved in `alpha` since brief.lock: from line 8 to line 10"),
        "{p}"
    );
    assert!(
        check
            .stderr
            .contains("= note: content/sources/alpha.md:10:16: the passage now"),
        "{}",
        check.stderr
    );
    // The look-alike the quote now lands on is not taken for the passage locked.
    for at in [
        "content/annotations/people.yaml:21:20",
        "content/index.md:4:80",
    ] {
        assert!(
            p.contains(&format!("warning: {at}: the passage cited is gone from `alpha` since brief.lock (it was at line 10)")),
            "{at} in {p}"
        );
    }
    assert!(
        check.stderr.contains("= note: content/sources/alpha.md:8:1: the quote now matches “Ended after forty minutes”, which is not the text locked"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("0 errors, 4 warnings"),
        "{}",
        check.stderr
    );

    let strict = site.run(&["check", "--locked"]);
    assert!(!strict.ok, "{}", strict.stderr);
    assert_eq!(strict.code, Some(1));
    assert_eq!(
        strict.problems,
        check.problems.replace("warning: ", "error: "),
        "the same problems, as errors"
    );
    assert!(
        strict.stderr.contains("4 errors, 0 warnings"),
        "{}",
        strict.stderr
    );

    // A build warns and builds; with --locked it fails and writes nothing.
    let build = site.run(&["build"]);
    assert!(build.ok, "{}", build.stderr);
    assert!(
        build.stderr.contains("warning[passage-gone]"),
        "{}",
        build.stderr
    );
    let output = site.snapshot();
    let strict_build = site.run(&["build", "--locked", "--output", "public"]);
    assert!(!strict_build.ok, "{}", strict_build.stderr);
    assert!(
        strict_build.stderr.contains("error[source-changed]"),
        "{}",
        strict_build.stderr
    );
    assert_eq!(
        site.snapshot(),
        output,
        "a failed build leaves public/ as it was"
    );
    assert_eq!(
        lock_state(&site),
        locked,
        "no build or check touches brief.lock"
    );

    let relock = site.run(&["lock"]);
    assert!(relock.ok, "{}", relock.stderr);
    assert!(
        relock.stderr.contains("locked 2 sources, 5 citations"),
        "{}",
        relock.stderr
    );
    let clean = site.run(&["check", "--locked"]);
    assert!(
        clean.ok && !clean.stderr.contains("warning"),
        "{}",
        clean.stderr
    );
}

#[test]
fn a_quote_that_now_occurs_earlier_is_moved_not_silently_reanchored() {
    let site = locked_site();
    // The same words, earlier: the quote now anchors to them, which is said.
    site.edit(
        ALPHA,
        "The delegations met",
        "Last week they met at the palace on Monday morning too.\n\nThe delegations met",
    );
    let check = site.run(&["check"]);
    assert!(check.ok, "{}", check.stderr);
    assert!(
        check.problems.contains("warning: content/annotations/people.yaml:13:20: the passage cited moved in `alpha` since brief.lock: within line 6"),
        "{}",
        check.problems
    );
    assert!(
        check
            .stderr
            .contains("moved: “met at the palace on Monday morning”"),
        "{}",
        check.stderr
    );
}

#[test]
fn a_reworded_passage_is_gone_with_the_nearest_passage() {
    let site = locked_site();
    site.edit(
        ALPHA,
        "the memorandum was ready for signing",
        "the memorandum was nearly ready for signing",
    );
    let check = site.run(&["check"]);
    assert!(!check.ok, "a quote not found is an error in any case");
    let p = &check.problems;
    assert!(
        p.contains(
            "error: content/annotations/people.yaml:17:20: the quote is not in source `alpha`"
        ),
        "{p}"
    );
    assert!(
        p.contains("warning: content/annotations/people.yaml:17:20: the passage cited is gone from `alpha` since brief.lock (it was at line 8)"),
        "{p}"
    );
    assert!(
        check
            .stderr
            .contains("the nearest passage now: “the memorandum was nearly ready for signing”"),
        "{}",
        check.stderr
    );
    // And brief lock refuses to lock a briefing with an error.
    let before = lock_state(&site);
    let lock = site.run(&["lock"]);
    assert!(!lock.ok);
    assert!(
        lock.stderr.contains("brief.lock was not written"),
        "{}",
        lock.stderr
    );
    assert_eq!(lock_state(&site), before);
}

#[test]
fn lock_refuses_a_broken_briefing_and_writes_nothing() {
    let site = Site::copy("lock");
    site.edit(
        "content/annotations/people.yaml",
        "met at the palace on Monday morning",
        "met at the castle",
    );
    let run = site.run(&["lock"]);
    assert!(!run.ok);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("error[quote-not-found]"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join(LOCK).exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn build_and_check_never_write_the_lock() {
    let site = Site::copy("lock");
    site.build_clean();
    let check = site.run(&["check", "--format", "json"]);
    assert!(check.ok);
    assert!(
        !site.path().join(LOCK).exists(),
        "no lock unless `brief lock`"
    );

    let site = locked_site();
    let before = lock_state(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    edit_alpha(&site);
    site.edit(
        "content/annotations/people.yaml",
        "      - text: The talks were short.",
        "      - text: Expected a second round.\n        cite:\n          - source: beta\n            quote: \"The second round\"\n      - text: The talks were short.",
    );
    assert!(site.run(&["build"]).ok);
    assert!(!site.run(&["build", "--locked"]).ok);
    assert!(site.run(&["check"]).ok);
    assert!(!site.run(&["check", "--locked"]).ok);
    assert_eq!(lock_state(&site), before, "bytes and modification time");
}

#[test]
fn locked_without_a_lock_fails_and_without_locked_nothing_is_said() {
    let site = Site::copy("lock");
    let check = site.run(&["check"]);
    assert!(
        check.ok && !check.stderr.contains("brief.lock"),
        "{}",
        check.stderr
    );
    let strict = site.run(&["check", "--locked"]);
    assert!(!strict.ok);
    assert!(
        strict
            .problems
            .contains("error: there is no brief.lock, which --locked holds the briefing to"),
        "{}",
        strict.problems
    );
    assert!(
        strict.stderr.contains("run `brief lock`"),
        "{}",
        strict.stderr
    );
}

#[test]
fn sources_and_citations_added_or_removed_since_the_lock_are_said() {
    let site = locked_site();
    site.write(
        "content/sources/gamma.txt",
        "Gamma\nA third report, cited nowhere.\n",
    );
    std::fs::remove_file(site.path().join("content/sources/beta.txt")).unwrap();
    site.edit(
        "content/index.md",
        "[@beta \"expected in June\"]",
        "[@alpha \"The delegations met\"]",
    );
    let check = site.run(&["check", "--format", "json"]);
    assert!(check.ok, "{}", check.stdout);
    let problems: Vec<serde_json::Value> = check
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let find = |code: &str| {
        problems
            .iter()
            .find(|p| p["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {problems:#?}"))
    };
    let added = find("source-added");
    assert_eq!(added["severity"], "warning");
    assert_eq!(added["location"]["file"], "content/sources/gamma.txt");
    assert_eq!(
        added["message"],
        "source `gamma` is new since brief.lock (cited 0 times)"
    );
    let removed = find("source-removed");
    assert_eq!(removed["location"]["file"], "brief.lock");
    assert_eq!(
        removed["message"],
        "brief.lock locks the source `beta`, which the briefing no longer has"
    );
    let lock = site.read(LOCK);
    assert_eq!(
        removed["location"]["line"].as_u64().unwrap() as usize,
        line_of(&lock, "id = \"beta\"") - 1,
        "at the source's [[source]]"
    );
    let new = find("citation-added");
    assert_eq!(new["location"]["file"], "content/index.md");
    assert_eq!(
        new["message"],
        "this citation of `alpha` is new since brief.lock"
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");

    // A quote mended in the annotation is another citation: the old one is gone from it.
    let site = locked_site();
    site.edit(
        "content/annotations/people.yaml",
        "\"the memorandum was ready for signing\"",
        "\"the memorandum was ready\"",
    );
    let check = site.run(&["check"]);
    assert!(check.ok);
    let lock = site.read(LOCK);
    let entry = line_of(&lock, "quote = \"the memorandum was ready for signing\"");
    assert!(
        check.problems.contains(&format!(
            "warning: brief.lock:{}:1: brief.lock locks a citation of `alpha` that the briefing no longer has: “the memorandum was ready for signing” in item `envoy` (content/annotations/people.yaml)",
            entry - 3
        )),
        "{}",
        check.problems
    );
    assert!(
        check.problems.contains("warning: content/annotations/people.yaml:17:20: this citation of `alpha` is new since brief.lock"),
        "{}",
        check.problems
    );
}

/// The 1-based line of the first line of `text` holding `what`.
fn line_of(text: &str, what: &str) -> usize {
    text.lines().position(|l| l.contains(what)).expect(what) + 1
}

#[test]
fn a_malformed_lock_is_one_error_at_its_line() {
    let site = locked_site();
    let lock = site.read(LOCK);
    let line = line_of(&lock, "start = 16");
    site.write(LOCK, &lock.replacen("start = 16", "start = \"16\"", 1));
    for args in [&["check"][..], &["check", "--locked"], &["build"]] {
        let run = site.run(args);
        assert!(!run.ok, "{args:?}: a lock that cannot be read is an error");
        assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
        assert!(
            run.problems.contains(&format!("error: brief.lock:{line}:9: brief.lock cannot be read: invalid type: string \"16\", expected usize")),
            "{}",
            run.problems
        );
        assert!(run.stderr.contains("error[lock-syntax]"), "{}", run.stderr);
    }

    // A merge conflict left in it; `brief lock` writes it anew.
    site.write(
        LOCK,
        &lock.replacen("version = 1\n", "version = 1\n<<<<<<< HEAD\n", 1),
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems.contains(&format!(
            "error: brief.lock:{}:1: brief.lock holds a merge conflict",
            line_of(&lock, "version = 1") + 1
        )),
        "{}",
        run.problems
    );
    let relock = site.run(&["lock"]);
    assert!(relock.ok, "{}", relock.stderr);
    assert_eq!(site.read(LOCK), lock);

    // A later version of the format.
    site.write(
        LOCK,
        &lock.replacen("version = 1", "version = 2\nnew_field = true", 1),
    );
    let run = site.run(&["check"]);
    assert!(
        run.problems.contains(&format!(
            "error: brief.lock:{}:11: brief.lock is of version 2, and this brief reads version 1",
            line_of(&lock, "version = 1")
        )),
        "{}",
        run.problems
    );
}

#[test]
fn the_example_briefing_is_held_to_its_committed_lock() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join(LOCK).is_file(),
        "the example commits its brief.lock"
    );
    let run = common::brief(root, &["check", "--locked"]);
    assert!(
        run.ok && !run.stderr.contains("warning"),
        "content/ changed since brief.lock: check the passages named, then run `brief lock`:\n{}",
        run.stderr
    );
}
