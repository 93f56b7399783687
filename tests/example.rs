//! The example briefing in the repository builds clean and shows every feature.

mod common;

use std::process::Command;

#[test]
fn the_example_briefing_builds_clean_with_verified_quotes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["-C", root, "build", "--output"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("briefing.json")).unwrap())
            .unwrap();
    let sources = json["sources"].as_array().unwrap();
    // One summary per seed report, and one of them again in Ukrainian (issue 21: a source in
    // another script, quoted with translations).
    assert_eq!(sources.len(), 6, "one summary per seed report, one twice");
    let ukrainian: Vec<&serde_json::Value> = sources
        .iter()
        .filter(|s| s["id"] == "ciragan-preview-uk")
        .collect();
    assert_eq!(ukrainian.len(), 1, "one source in Ukrainian");
    let translated = json["citations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == ukrainian[0]["id"] && c["translation"].is_string())
        .count();
    assert!(translated >= 3, "only {translated} translated quotes");
    let quoted = common::check_offsets(&json);
    assert!(quoted >= 40, "only {quoted} quoted citations");

    // Every source is a credited summary.
    for s in sources {
        assert!(
            s["summary_of"]["outlet"].is_string(),
            "{} lacks summary_of",
            s["id"]
        );
    }
    // The collections the example must have, and a dispute.
    let kinds: Vec<(String, String)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["collection"].as_str().unwrap().to_string(),
                i["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (collection, kind) in [
        ("negotiators", "person"),
        ("venues", "venue"),
        ("battlefield-events", "event"),
        ("organizations", "organization"),
    ] {
        assert!(
            kinds.iter().any(|(c, k)| c == collection && k == kind),
            "no {collection} of kind {kind}"
        );
    }
    assert!(kinds.iter().any(|(_, k)| k == "dispute"), "no dispute");
    let timeline = std::fs::read_to_string(out.path().join("timeline/index.html")).unwrap();
    assert!(
        timeline.contains("datetime=\"2025-07-23\""),
        "the July 23 meeting is on the timeline"
    );
}

/// Notes lists and timeline entries are written by Rust for speed (render/notes.rs,
/// render/mod.rs) unless templates/ replaces `partials/notes.html` or
/// `partials/timeline-entries.html`: with the built-in partials copied there, so that Tera
/// renders them, the example must come out the same to the byte.
#[test]
fn notes_and_timeline_written_without_tera_match_the_built_in_partials() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("site.toml"), site.path().join("site.toml")).unwrap();
    common::copy_dir(&root.join("content"), &site.path().join("content"));
    let fast = common::brief(site.path(), &["build", "-q", "-o", "fast"]);
    assert!(fast.ok, "{}", fast.stderr);

    let partial = site.path().join("templates/partials");
    std::fs::create_dir_all(&partial).unwrap();
    for name in ["notes.html", "timeline-entries.html"] {
        std::fs::copy(
            root.join("src/theme/templates/partials").join(name),
            partial.join(name),
        )
        .unwrap();
    }
    let tera = common::brief(site.path(), &["build", "-q", "-o", "tera"]);
    assert!(tera.ok, "{}", tera.stderr);

    let fast = common::snapshot(&site.path().join("fast"));
    let tera = common::snapshot(&site.path().join("tera"));
    assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        tera.keys().collect::<Vec<_>>()
    );
    let mut with_notes = 0;
    for (path, bytes) in &fast {
        let theirs = &tera[path];
        if bytes != theirs {
            let at = bytes.iter().zip(theirs).take_while(|(x, y)| x == y).count();
            let around = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())])
                    .into_owned()
            };
            panic!(
                "{path} differs at byte {at}:\nrust: {:?}\ntera: {:?}",
                around(bytes),
                around(theirs)
            );
        }
        with_notes += usize::from(String::from_utf8_lossy(bytes).contains("class=\"notes\""));
    }
    assert!(with_notes > 50, "only {with_notes} pages with notes");
    let timeline = String::from_utf8_lossy(&fast["timeline/index.html"]);
    assert!(
        timeline.matches("<li class=\"entry ").count() > 5,
        "the timeline has entries"
    );
}
