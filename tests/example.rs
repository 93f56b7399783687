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
    assert_eq!(sources.len(), 5, "one summary per seed report");
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
