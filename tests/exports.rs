//! The exports and what they rest on: stable claim ids (anchors and permalinks that survive
//! reordering), annotations.jsonld (W3C Web Annotations), sources.csl.json (CSL-JSON) and the
//! "cite this" control, on the example briefing and on the `exports` fixture (hostile text:
//! straight quotes, `</script>`, U+2028, emoji and other astral characters, combining marks).

mod common;

use common::Site;
use common::linked::check_annotations;
use serde_json::Value;

const PEOPLE: &str = "content/annotations/people.yaml";

/// The ids of the claims of `item` in briefing.json, in order.
fn claim_ids(site: &Site, item: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(&site.output("briefing.json")).expect("briefing.json");
    let it = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == item)
        .unwrap_or_else(|| panic!("no item {item}"));
    it["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| c["id"].as_str().expect("claim id").to_string())
        .collect()
}

#[test]
fn a_claim_keeps_its_anchor_when_claims_are_inserted_and_reordered_around_it() {
    let site = Site::copy("exports");
    site.build_clean();
    let before = claim_ids(&site, "envoy");
    assert_eq!(before.len(), 3);
    assert_eq!(before[1], "resumption", "an explicit id is kept as written");
    let derived = before[0].clone();
    assert!(derived.starts_with("wrote-peace-now-with-an-"), "{derived}");
    let page = site.output("people/envoy/index.html");
    assert!(
        page.contains(&format!("<li id=\"claim-{derived}\">")),
        "{page}"
    );
    assert!(page.contains("<li id=\"claim-resumption\">"));

    // A new claim first, and the first and last claims swapped.
    let yaml = site.read(PEOPLE);
    let (head, claims) = yaml.split_once("    claims:\n").expect("claims");
    // One block a claim: from a line `      - ` (six spaces) to the next.
    let mut blocks: Vec<String> = Vec::new();
    for line in claims.lines() {
        if line.starts_with("      - ") || blocks.is_empty() {
            blocks.push(String::new());
        }
        let last = blocks.last_mut().expect("a block");
        last.push_str(line);
        last.push('\n');
    }
    assert_eq!(blocks.len(), 3);
    blocks.swap(0, 2);
    blocks.insert(
        0,
        "      - text: A claim added on top.\n        cite:\n          - source: statement\n"
            .to_string(),
    );
    site.write(PEOPLE, &format!("{head}    claims:\n{}", blocks.concat()));
    site.build_clean();
    let after = claim_ids(&site, "envoy");
    assert_eq!(after.len(), 4);
    assert_eq!(after[3], derived, "the same claim, the same derived id");
    assert_eq!(after[2], "resumption");
    assert_eq!(after[1], before[2]);
    let page = site.output("people/envoy/index.html");
    assert!(page.contains(&format!("<li id=\"claim-{derived}\">")));
    // No position anchors are left to lead to the wrong claim.
    assert!(!page.contains("id=\"claim-1\""), "{page}");
    // Links within the site use the new anchors: briefing.json's permalink, the search index.
    let json = site.output("briefing.json");
    assert!(json.contains(&format!(
        "https://example.org/exports/people/envoy/#claim-{derived}"
    )));
    assert!(
        common::search_index::text(&site.path().join("public"))
            .contains(&format!("\"claim-{derived}\""))
    );
}

#[test]
fn rewrapping_a_claim_keeps_its_id_and_rewording_it_does_not() {
    let site = Site::copy("exports");
    site.build_clean();
    let before = claim_ids(&site, "envoy");
    site.edit(
        PEOPLE,
        "      - text: Quoted Moscow’s answer.",
        "      - text: >-\n          Quoted   Moscow’s\n          answer.",
    );
    site.build_clean();
    assert_eq!(claim_ids(&site, "envoy"), before);
    site.edit(PEOPLE, "Moscow’s\n          answer.", "Moscow’s reply.");
    site.build_clean();
    let after = claim_ids(&site, "envoy");
    assert_eq!(after[..2], before[..2]);
    assert_ne!(after[2], before[2]);
}

#[test]
fn two_claims_with_one_id_are_an_error_at_the_second() {
    let site = Site::copy("exports");
    site.edit(
        PEOPLE,
        "      - text: Quoted Moscow’s answer.",
        "      - id: resumption\n        text: Quoted Moscow’s answer.",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert!(!run.ok);
    let problems: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let dup: Vec<&Value> = problems
        .iter()
        .filter(|p| p["code"] == "duplicate-claim-id")
        .collect();
    assert_eq!(dup.len(), 1, "{}", run.stdout);
    let yaml = site.read(PEOPLE);
    let line_of = |needle: &str, nth: usize| {
        yaml.lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(nth)
            .map(|(i, _)| i as u64 + 1)
            .expect(needle)
    };
    assert_eq!(dup[0]["location"]["file"], PEOPLE);
    assert_eq!(dup[0]["location"]["line"], line_of("id: resumption", 1));
    assert_eq!(dup[0]["related"][0]["line"], line_of("id: resumption", 0));

    // The same text twice without ids is the same id twice.
    let site = Site::copy("exports");
    site.edit(
        PEOPLE,
        "      - text: Quoted Moscow’s answer.",
        "      - text: About forty minutes.\n        cite:\n          - source: statement\n      - text: About   forty minutes.\n        cite:\n          - source: statement\n      - text: Quoted Moscow’s answer.",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("error[duplicate-claim-id]"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
}

#[test]
fn a_claim_id_that_is_not_a_slug_is_an_error_where_it_is_written() {
    let site = Site::copy("exports");
    site.edit(PEOPLE, "id: resumption", "id: Talks Resume");
    let run = site.run(&["check"]);
    assert!(!run.ok);
    let line = site
        .read(PEOPLE)
        .lines()
        .position(|l| l.contains("id: Talks Resume"))
        .expect("line")
        + 1;
    assert!(
        run.stderr.contains(&format!("--> {PEOPLE}:{line}:13")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`Talks Resume` cannot be a claim id"),
        "{}",
        run.stderr
    );
}

/// The example briefing (the repository's root) built into a fresh folder.
struct Example {
    out: tempfile::TempDir,
}

impl Example {
    fn build() -> Example {
        let out = tempfile::tempdir().expect("temp dir");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let public = out.path().join("public");
        let run = common::brief(
            root,
            &["build", "--output", public.to_str().expect("utf-8 path")],
        );
        assert!(run.ok, "{}", run.stderr);
        Example { out }
    }

    fn output(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.path().join("public").join(path)).expect(path)
    }
}

#[test]
fn every_quoted_citation_of_the_example_is_an_annotation_at_its_code_points() {
    let site = Example::build();
    let items = check_annotations(
        &site.output("briefing.json"),
        &site.output("annotations.jsonld"),
        "https://brief-example.github.io/istanbul/",
    );
    // The claim with an `id:` names its annotations.
    assert!(items.iter().any(|a| a["id"]
        == "https://brief-example.github.io/istanbul/annotations.jsonld#items/vladimir-medinsky/claims/figurehead/1"));
}

#[test]
fn hostile_text_is_escaped_and_positioned_by_code_points() {
    let site = Site::copy("exports");
    site.build_clean();
    let raw = site.output("annotations.jsonld");
    let items = check_annotations(
        &site.output("briefing.json"),
        &raw,
        "https://example.org/exports/",
    );
    let exacts: Vec<&str> = items
        .iter()
        .map(|a| {
            a["target"][0]["selector"][0]["exact"]
                .as_str()
                .expect("exact")
        })
        .collect();
    // Straight quotes and an emoji (two UTF-16 units, one code point), a closing script tag,
    // U+2028 inside a quote, a combining accent and a mathematical letter (astral), a flag
    // (two astral code points) in Cyrillic text.
    for needle in [
        "The envoy wrote \"peace now\" \u{1F600}",
        "and then </script><script>alert(1)</script> in the",
        "observers\u{2028}from three countries present",
        "in the cafe\u{301} memo, signed 𝒳",
        "переговоры продолжатся 🇺🇦 в Стамбуле",
    ] {
        assert!(
            exacts.iter().any(|e| e.contains(needle)),
            "{needle:?} in {exacts:?}"
        );
    }
    // The text after the last astral characters is still placed right: checked above by code
    // points; here, that the quote after them in the same source is not shifted by bytes.
    let moscow = items
        .iter()
        .find(|a| a["target"][0]["selector"][0]["exact"] == "переговоры продолжатся 🇺🇦 в Стамбуле")
        .expect("the Cyrillic quote");
    assert_eq!(
        moscow["target"][0]["selector"][0]["prefix"],
        "Москва ответила: "
    );
    // JSON escapes what it must; nothing in the file breaks out of a string.
    assert!(
        !raw.contains("\"peace now\""),
        "straight quotes are escaped"
    );
    assert!(raw.contains("\\\"peace now\\\""));
    // Bodies: the claim's text as plain text, a position's, the paragraph of a summary.
    let bodies: Vec<&str> = items
        .iter()
        .filter_map(|a| a["body"]["value"].as_str())
        .collect();
    assert!(bodies.contains(&"Said the talks would resume with observers </script> present."));
    assert!(bodies.contains(&"Long enough to agree on prisoners."));
    assert!(bodies.contains(&"Wrote a note that others call “hostile” & odd."));
    assert!(items.iter().any(|a| a["id"]
        == "https://example.org/exports/annotations.jsonld#items/envoy/claims/resumption/1"));
    assert!(items.iter().any(|a| a["id"]
        == "https://example.org/exports/annotations.jsonld#items/meeting-length/positions/2/1"));
}

/// Runs `script` (in tests/exports/) on `export` as the example and the `exports` fixture
/// build it, against `standard` (a file of ../shared/standards/), with the Python `module`
/// it needs; skips, saying why, when either is missing (see [`common::standards`]).
fn check_export_with_python(test: &str, module: &str, script: &str, export: &str, standard: &str) {
    let (Some(std), Some(py)) = (
        common::standards(test),
        common::python_packages(test, module),
    ) else {
        return;
    };
    let example = Example::build();
    let fixture = Site::copy("exports");
    fixture.build_clean();
    for file in [
        example.out.path().join("public").join(export),
        fixture.path().join("public").join(export),
    ] {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/exports")
            .join(script);
        let run = common::python(&py, &script, &[&file, &std.join(standard)]);
        assert!(run.ok, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
    }
}

#[test]
fn annotations_expand_as_json_ld_with_no_term_dropped() {
    check_export_with_python(
        "annotations_expand_as_json_ld",
        "pyld",
        "expand_jsonld.py",
        "annotations.jsonld",
        "anno.jsonld",
    );
}

/// The `date-parts` of a CSL date, as `YYYY[-MM[-DD]]`.
fn csl_date(d: &Value) -> String {
    let parts = d["date-parts"][0].as_array().expect("date-parts");
    assert!((1..=3).contains(&parts.len()), "{d}");
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = p.as_i64().expect("a number");
            if i == 0 {
                format!("{n:04}")
            } else {
                format!("{n:02}")
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Checks sources.csl.json against briefing.json: one item per source, in order, with its id,
/// type, title, outlet, published date and original address; returns the items.
fn check_csl(briefing: &str, csl: &str) -> Vec<Value> {
    let b: Value = serde_json::from_str(briefing).expect("briefing.json");
    let items = serde_json::from_str::<Value>(csl)
        .expect("sources.csl.json parses")
        .as_array()
        .expect("an array")
        .clone();
    let sources = b["sources"].as_array().expect("sources");
    assert_eq!(items.len(), sources.len(), "one item per source");
    for (it, s) in items.iter().zip(sources) {
        let id = s["id"].as_str().expect("id");
        assert_eq!(it["id"], id);
        assert_eq!(it["title"], s["title"], "{id}");
        match s["outlet"].as_str() {
            Some(outlet) => {
                assert_eq!(it["type"], "article-newspaper", "{id}");
                assert_eq!(it["container-title"], outlet, "{id}");
            }
            None => {
                assert_eq!(it["type"], "webpage", "{id}");
                assert!(it.get("container-title").is_none(), "{id}");
            }
        }
        match s["published"].as_str() {
            Some(p) => assert_eq!(csl_date(&it["issued"]), p, "{id}"),
            None => assert!(it.get("issued").is_none(), "{id}"),
        }
        match (s["original_url"].as_str(), s["summary_of"].is_null()) {
            (Some(original), _) => assert_eq!(it["URL"], original, "{id}"),
            // A summary is the briefing's own text, published at its page.
            (None, false) => assert_eq!(it["URL"], s["url"], "{id}"),
            (None, true) => assert!(it.get("URL").is_none(), "{id}"),
        }
        if let Some(author) = s["author"].as_str() {
            let names = it["author"].as_array().expect("author");
            assert!(!names.is_empty(), "{id}");
            for n in names {
                assert!(
                    n["literal"].is_string() || (n["family"].is_string() && n["given"].is_string()),
                    "{id}: {n} for {author:?}"
                );
            }
        } else {
            assert!(it.get("author").is_none(), "{id}");
        }
    }
    items
}

#[test]
fn the_example_sources_are_a_csl_json_bibliography() {
    let site = Example::build();
    let items = check_csl(
        &site.output("briefing.json"),
        &site.output("sources.csl.json"),
    );
    assert_eq!(items.len(), 6);
    // The example's sources are all summaries by the Brief Desk: the desk is a literal, the
    // report's author a person, the report its original.
    let kremlin = items
        .iter()
        .find(|i| i["id"] == "kremlin-difficult-talks")
        .expect("kremlin-difficult-talks");
    assert_eq!(kremlin["author"][0]["literal"], "Brief Desk");
    assert_eq!(
        kremlin["original-author"][0],
        serde_json::json!({"family": "Sunday", "given": "Chinomso"})
    );
    assert_eq!(kremlin["original-publisher"], "News Central");
    assert_eq!(csl_date(&kremlin["original-date"]), "2025-07-23");
    assert_eq!(kremlin["language"], "en");
    assert!(items.iter().all(|i| i.get("accessed").is_none()));
    let ukrainian = items
        .iter()
        .find(|i| i["id"] == "ciragan-preview-uk")
        .expect("ciragan-preview-uk");
    assert_eq!(ukrainian["language"], "uk");
}

#[test]
fn hostile_sources_are_valid_csl_json_with_their_text_intact() {
    let site = Site::copy("exports");
    site.edit(
        "content/sources/hostile.md",
        "outlet: Example Wire",
        "outlet: \"Example Wire 🇺🇦 cafe\u{301} 𝒳 \\\\ end\"",
    );
    site.build_clean();
    let raw = site.output("sources.csl.json");
    let items = check_csl(&site.output("briefing.json"), &raw);
    let hostile = &items[0];
    assert_eq!(hostile["id"], "hostile");
    assert_eq!(hostile["title"], "Envoy writes </script> and \"peace now\"");
    assert_eq!(
        hostile["container-title"],
        "Example Wire 🇺🇦 cafe\u{301} 𝒳 \\ end"
    );
    assert_eq!(
        hostile["author"],
        serde_json::json!([{"family": "Roe", "given": "Jane"}])
    );
    assert_eq!(csl_date(&hostile["issued"]), "2025-06-01");
    assert_eq!(csl_date(&hostile["accessed"]), "2025-06-02");
    assert_eq!(hostile["URL"], "https://example.org/news/envoy-writes");
    assert!(
        raw.contains("\\\"peace now\\\""),
        "straight quotes are escaped"
    );
    // A month is as precise as a date without an address gets: no URL, no day.
    let statement = &items[1];
    assert_eq!(
        statement["issued"]["date-parts"],
        serde_json::json!([[2025, 6]])
    );
    assert_eq!(statement["author"][0]["literal"], "Brief Desk");
}

#[test]
fn sources_validate_against_the_csl_json_schema() {
    check_export_with_python(
        "sources_validate_against_the_csl_json_schema",
        "jsonschema",
        "validate_csl.py",
        "sources.csl.json",
        "csl-data.json",
    );
}

/// The "Cite this" of an item page and of each claim: the permalink leads to the claim by
/// its stable id, and the reference names the briefing's author, the item, the claim, the
/// site and the claim's date, all escaped.
#[test]
fn each_claim_and_item_page_can_be_cited_by_its_permalink() {
    let site = Site::copy("exports");
    site.build_clean();
    let page = site.output("people/envoy/index.html");
    let base = "https://example.org/exports/people/envoy/";
    // One per claim, and one for the page.
    assert_eq!(
        page.matches("<summary>Cite this claim</summary>").count(),
        3
    );
    assert_eq!(page.matches("<summary>Cite this page</summary>").count(), 1);
    // The claim with an `id:` is cited by it, and its list entry carries that anchor.
    let permalink = format!("{base}#claim-resumption");
    assert!(page.contains(&format!("<a href=\"{permalink}\">{permalink}</a>")));
    assert!(page.contains("<li id=\"claim-resumption\">"));
    // The reference: author, “item: claim”, site title, date when the claim has one, the
    // permalink; the claim's markup and the title's <, &, " escaped.
    assert!(
        page.contains(&format!(
            "<p class=\"reference\">Test Desk, “The Envoy: Said the talks would resume with observers &lt;/script&gt; present.”, Exports &lt;Fixture&gt; &amp; &quot;Co&quot;, {permalink}</p>"
        )),
        "{page}"
    );
    assert!(page.contains(
        ", 1 June 2025, https://example.org/exports/people/envoy/#claim-wrote-peace-now-with-an-"
    ));
    assert!(page.contains(&format!(
        "<p class=\"reference\">Test Desk, “The Envoy”, Exports &lt;Fixture&gt; &amp; &quot;Co&quot;, {base}</p>"
    )));
    assert!(!page.contains("</script> present"));
}
