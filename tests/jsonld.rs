//! End-to-end: the schema.org JSON-LD of the front page, every item page and every source
//! page (the example briefing, and tests/fixtures/jsonld/, whose every value tries to close
//! the script or break its JSON), read back from the built files and, for the hostile
//! fixture, in headless Chromium; and archived copies of sources (tests/fixtures/archived/)
//! on the source pages, in the notes, in briefing.json and in the JSON-LD.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::Site;
use common::linked::json_ld_of;
use serde_json::Value;

/// The one JSON-LD document of a page.
fn one<'a>(pages: &'a BTreeMap<String, Vec<Value>>, page: &str) -> &'a Value {
    match pages.get(page).map(Vec::as_slice) {
        Some([doc]) => doc,
        other => panic!("{page} should have one JSON-LD block: {other:?}"),
    }
}

fn example() -> Site {
    let site = Site {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.toml", "content"] {
        let from = root.join(part);
        if from.is_dir() {
            common::copy_dir(&from, &site.path().join(part));
        } else {
            std::fs::copy(&from, site.path().join(part)).expect("copy");
        }
    }
    site.build_clean();
    site
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        v => vec![v],
    }
}

#[test]
fn the_example_gives_each_item_and_source_its_schema_org_type() {
    let site = example();
    let pages = json_ld_of(&site);
    let briefing: Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    let base = briefing["base_url"].as_str().unwrap();
    let page_of = |url: &str| format!("{}index.html", url.strip_prefix(base).unwrap());

    // Every item page: its type by kind, its address as its @id, its claims with the
    // sources they are cited from.
    let source_urls: BTreeSet<&str> = briefing["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    let mut kinds = BTreeSet::new();
    let mut appearances = 0;
    for item in briefing["items"].as_array().unwrap() {
        let url = item["url"].as_str().unwrap();
        let page = page_of(url);
        let doc = one(&pages, &page);
        let kind = item["kind"].as_str().unwrap();
        let expected = match kind {
            "person" => "Person",
            "venue" => "Place",
            "event" => "Event",
            "organization" => "Organization",
            "dispute" => "CreativeWork",
            _ => "Thing",
        };
        kinds.insert(kind.to_string());
        assert_eq!(doc["@type"], expected, "{page}");
        assert_eq!(doc["@id"], url, "{page}");
        assert_eq!(doc["name"], item["name"], "{page}");
        let html = site.output(&page);
        let claims = as_list(&doc["subjectOf"]);
        assert_eq!(
            claims.len(),
            html.matches("<li id=\"claim-").count(),
            "{page}: one Claim a claim"
        );
        for (k, claim) in claims.iter().enumerate() {
            assert_eq!(claim["@type"], "Claim", "{page}");
            assert_eq!(claim["@id"], format!("{url}#claim-{}", k + 1), "{page}");
            assert!(claim["text"].as_str().is_some_and(|t| !t.is_empty()));
            for a in as_list(&claim["appearance"]) {
                let id = a["@id"].as_str().unwrap();
                assert!(source_urls.contains(id), "{page}: {id} is no source's page");
                assert!(a["headline"].is_string(), "{page}");
                appearances += 1;
            }
        }
        if kind == "dispute" {
            let parts = as_list(&doc["hasPart"]);
            assert!(parts.len() >= 2, "{page}: the positions");
            assert!(
                parts
                    .iter()
                    .all(|p| p["@type"] == "Claim" && !as_list(&p["appearance"]).is_empty())
            );
        }
    }
    assert_eq!(
        kinds.len(),
        5,
        "the example has every kind but free: {kinds:?}"
    );
    assert!(
        appearances > 50,
        "claims carry their sources: {appearances}"
    );

    // Places have their coordinates, events their date and place.
    let palace = one(&pages, "venues/ciragan-palace/index.html");
    assert_eq!(palace["geo"]["@type"], "GeoCoordinates");
    assert_eq!(palace["geo"]["latitude"], 41.0436);
    assert_eq!(palace["geo"]["longitude"], 29.0156);
    let round = one(&pages, "talks/istanbul-talks-2025-06-02/index.html");
    assert_eq!(round["startDate"], "2025-06-02");
    assert_eq!(round["location"]["@type"], "Place");
    assert_eq!(
        round["location"]["@id"],
        format!("{base}venues/ciragan-palace/")
    );
    assert!(!as_list(&round["attendee"]).is_empty());

    // Every source page: our summaries are based on the reports they summarize.
    for s in briefing["sources"].as_array().unwrap() {
        let url = s["url"].as_str().unwrap();
        let doc = one(&pages, &page_of(url));
        let expected = if s["outlet"].is_string() {
            "NewsArticle"
        } else {
            "CreativeWork"
        };
        assert_eq!(doc["@type"], expected, "{url}");
        assert_eq!(doc["@id"], url);
        assert_eq!(doc["headline"], s["title"]);
        assert_eq!(doc["datePublished"], s["published"]);
        let of = &s["summary_of"];
        assert_eq!(
            doc["isBasedOn"]["datePublished"], of["date"],
            "{url}: the summarized report"
        );
        assert_eq!(doc["isBasedOn"]["publisher"]["name"], of["outlet"]);
    }
    let kremlin = one(&pages, "sources/kremlin-difficult-talks/index.html");
    assert_eq!(kremlin["isBasedOn"]["@type"], "NewsArticle");
    assert!(
        kremlin["isBasedOn"]["archivedAt"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://web.archive.org/web/2025")
    );

    // The front page: the site and its data.
    let front = one(&pages, "index.html");
    let graph = front["@graph"].as_array().unwrap();
    let website = graph.iter().find(|n| n["@type"] == "WebSite").unwrap();
    assert_eq!(website["@id"], base);
    assert_eq!(website["name"], briefing["title"]);
    assert_eq!(website["inLanguage"], "en");
    assert_eq!(website["publisher"]["name"], "Brief Desk");
    let dataset = graph.iter().find(|n| n["@type"] == "Dataset").unwrap();
    assert!(
        dataset["description"]
            .as_str()
            .is_some_and(|d| d.len() > 50)
    );
    assert_eq!(dataset["distribution"]["@type"], "DataDownload");
    assert_eq!(
        dataset["distribution"]["contentUrl"],
        format!("{base}briefing.json")
    );

    // The other pages stand for no one thing.
    for page in [
        "negotiators/index.html",
        "timeline/index.html",
        "print/index.html",
    ] {
        assert!(pages[page].is_empty(), "{page}");
    }
}

#[test]
fn hostile_text_stays_inside_the_json_ld_and_reads_back_the_same() {
    let site = Site::copy("jsonld");
    site.build_clean();
    let pages = json_ld_of(&site);
    let name = "Ann </script><script>window.pwned = 6</script> \"Q\" \\ 🦀";

    let person = one(&pages, "people/hostile-person/index.html");
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], name);
    assert_eq!(person["alternateName"][1], "line\u{2028}break");
    assert_eq!(person["jobTitle"], "Envoy </script>");
    assert_eq!(person["affiliation"]["@type"], "Organization");
    let claim = &person["subjectOf"][0];
    assert_eq!(claim["datePublished"], "2025-06-02");
    let cited: Vec<&str> = as_list(&claim["appearance"])
        .iter()
        .map(|a| a["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        cited,
        [
            "https://example.net/brief/sources/summary/",
            "https://example.net/brief/sources/verbatim/"
        ]
    );

    let place = one(&pages, "venues/hostile-palace/index.html");
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["name"], "Palace </script><!--");
    assert_eq!(place["geo"]["latitude"], 41.0431);
    assert_eq!(place["geo"]["longitude"], 29.0136);
    assert_eq!(place["address"]["addressCountry"], "Türkiye");

    let event = one(&pages, "events/hostile-talks/index.html");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["startDate"], "2025-06-02");
    assert_eq!(event["endDate"], "2025-06-03");
    assert_eq!(event["location"]["name"], "Palace </script><!--");
    let attendees: Vec<&str> = as_list(&event["attendee"])
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(attendees, [name, "Ministry </script>"]);

    let org = one(&pages, "orgs/hostile-org/index.html");
    assert_eq!(org["@type"], "Organization");
    assert_eq!(org["alternateName"], serde_json::json!(["M<!--"]));

    let dispute = one(&pages, "disputes/hostile-dispute/index.html");
    assert_eq!(dispute["@type"], "CreativeWork");
    assert_eq!(
        dispute["headline"],
        "How long </script><script>window.pwned = 9</script>?"
    );
    assert_eq!(dispute["hasPart"][0]["author"][0]["name"], name);
    assert_eq!(dispute["hasPart"][1]["text"], "Longer \\ \"than\" that.");

    assert_eq!(
        one(&pages, "notes/hostile-note/index.html")["@type"],
        "Thing"
    );

    let verbatim = one(&pages, "sources/verbatim/index.html");
    assert_eq!(verbatim["@type"], "NewsArticle");
    assert_eq!(
        verbatim["headline"],
        "</script><script>window.pwned = 4</script> \"Quoted\" \\ title 🦀"
    );
    assert_eq!(verbatim["publisher"]["name"], "Outlet <!-- </script>");
    assert_eq!(verbatim["url"], "https://example.org/story?a=1&b=2");
    assert_eq!(
        verbatim["archivedAt"]["url"],
        "https://web.archive.org/web/20250603101500/https://example.org/story?a=1&b=2"
    );
    assert_eq!(verbatim["archivedAt"]["dateCreated"], "2025-06-03");
    let summary = one(&pages, "sources/summary/index.html");
    assert_eq!(summary["@type"], "CreativeWork");
    assert_eq!(summary["isBasedOn"]["@type"], "NewsArticle");
    assert_eq!(
        summary["isBasedOn"]["headline"],
        "The </script><script>window.pwned = 5</script> report"
    );
    assert_eq!(summary["isBasedOn"]["author"]["name"], "Ann <Writer>");

    let front = one(&pages, "index.html");
    assert_eq!(
        front["@graph"][0]["description"],
        "A briefing that tries to close a script: </script><!-- \" \\ \u{2028} \u{2029} 🦀 & done"
    );
    assert_eq!(
        front["@graph"][0]["publisher"]["name"],
        "Desk </script><script>window.pwned = 2</script>"
    );
}

/// In a real browser, no text of the hostile fixture runs: each payload would set
/// `window.pwned`, and each page has only the theme's script and its JSON-LD, which
/// JavaScript's own JSON.parse reads back.
#[test]
fn in_chromium_no_hostile_text_runs_and_the_json_ld_parses() {
    let site = Site::copy("jsonld");
    site.build_clean();
    let out = site.path().join("public");
    let mut b = cdp::Browser::launch();
    for page in [
        "index.html",
        "people/hostile-person/index.html",
        "events/hostile-talks/index.html",
        "disputes/hostile-dispute/index.html",
        "sources/verbatim/index.html",
        "sources/summary/index.html",
    ] {
        b.open(&out, page);
        assert_eq!(b.eval("typeof window.pwned"), "undefined", "{page}");
        let scripts = b.eval(
            "Array.from(document.scripts).map(s => s.type === 'application/ld+json'
               ? (JSON.parse(s.textContent)['@context'] || 'no context') : 'src:' + s.src.split('/').pop())",
        );
        assert_eq!(
            scripts,
            serde_json::json!(["src:brief.js", "https://schema.org"]),
            "{page}"
        );
    }
    b.open(&out, "people/hostile-person/index.html");
    assert_eq!(
        b.eval(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent).name"
        ),
        "Ann </script><script>window.pwned = 6</script> \"Q\" \\ 🦀"
    );
}

#[test]
fn archived_copies_stand_beside_the_original_on_source_pages_in_notes_and_exports() {
    let site = Site::copy("archived");
    site.build_clean();
    let original = "https://example.org/news/talks-resume";
    let copy = "https://web.archive.org/web/20250602101500/https://example.org/news/talks-resume";
    let fragment = "#:~:text=the%20talks%20resumed%20on%20Monday";

    // The source page: the original, then its archived copy and the date of the copy.
    let page = site.output("sources/report/index.html");
    assert!(
        page.contains(&format!(
            "<dt>Original</dt><dd><a class=\"url\" href=\"{original}\" rel=\"external noopener\">{original}</a> · <a class=\"archived-link\" href=\"{copy}\" rel=\"external noopener\">archived copy</a> (2 June 2025)</dd>"
        )),
        "{page}"
    );
    // A page kept only by the archive still has its copy; a text with no address, neither.
    let gone = site.output("sources/copy-only/index.html");
    assert!(gone.contains(
        "<dd><a class=\"archived-link\" href=\"https://web.archive.org/web/2024/https://example.org/gone\" rel=\"external noopener\">archived copy</a></dd>"
    ));
    assert!(
        !site
            .output("sources/plain/index.html")
            .contains("<dt>Original</dt>")
    );
    // A summary leads to the report it summarizes and that report's copy.
    let summary = site.output("sources/summary/index.html");
    assert!(summary.contains("href=\"https://example.org/times/short-meeting\""));
    assert!(summary.contains(
        "href=\"https://web.archive.org/web/20250603000000/https://example.org/times/short-meeting\" rel=\"external noopener\">archived copy</a> (3 June 2025)"
    ));

    // The notes, on the front page and on the item page: both, each with the quote's text
    // fragment; for a summary both lead to the report, without a fragment (the report
    // holds other words than ours).
    for page in ["index.html", "people/an-official/index.html"] {
        let html = site.output(page);
        assert!(
            html.contains(&format!(
                "<a class=\"original-link\" href=\"{original}{fragment}\" rel=\"external noopener\">original<span class=\"visually-hidden\"> of note 1</span></a>\n        <a class=\"archived-link\" href=\"{copy}{fragment}\" rel=\"external noopener\">archived copy (2 June 2025)<span class=\"visually-hidden\"> of note 1</span></a>"
            )),
            "{page}: {html}"
        );
    }
    let front = site.output("index.html");
    assert!(front.contains(
        "<a class=\"archived-link\" href=\"https://web.archive.org/web/20250603000000/https://example.org/times/short-meeting\" rel=\"external noopener\">archived copy (3 June 2025)<span class=\"visually-hidden\"> of note 2</span></a>"
    ));
    assert!(front.contains(
        "<a class=\"archived-link\" href=\"https://web.archive.org/web/2024/https://example.org/gone#:~:text=the%20copy\" rel=\"external noopener\">archived copy<span class=\"visually-hidden\"> of note 3</span></a>"
    ));
    assert_eq!(front.matches("class=\"archived-link\"").count(), 3);

    // briefing.json carries the copy of each source and of each summarized report.
    let json: Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    let by_id = |id: &str| {
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    let report = by_id("report");
    assert_eq!(report["archived"], copy);
    assert_eq!(report["archived_at"], "2025-06-02");
    let gone = by_id("copy-only");
    assert_eq!(
        gone["archived"],
        "https://web.archive.org/web/2024/https://example.org/gone"
    );
    assert_eq!(gone["archived_at"], Value::Null);
    assert_eq!(by_id("plain")["archived"], Value::Null);
    let of = &by_id("summary")["summary_of"];
    assert_eq!(
        of["archived"],
        "https://web.archive.org/web/20250603000000/https://example.org/times/short-meeting"
    );
    assert_eq!(of["archived_at"], "2025-06-03");

    // And the JSON-LD of the source.
    let pages = json_ld_of(&site);
    let doc = one(&pages, "sources/report/index.html");
    assert_eq!(doc["url"], original);
    assert_eq!(doc["archivedAt"]["url"], copy);
    assert_eq!(doc["archivedAt"]["dateCreated"], "2025-06-02");
}

#[test]
fn a_bad_archived_copy_is_one_clear_error_at_its_place() {
    let site = Site::copy("archived");
    site.edit(
        "content/sources/report.md",
        "archived: https://web",
        "archived: javascript:alert(1)//web",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert_eq!(
        run.problems,
        "error: content/sources/report.md:5:11: `javascript:alert(1)//web.archive.org/web/20250602101500/https://example.org/news/talks-resume` is not a web address\n",
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bad-url"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a source's archived must start with https:// or http://"),
        "{}",
        run.stderr
    );

    // A date with no copy to date, and a copy's date that does not exist.
    let site = Site::copy("archived");
    site.edit(
        "content/sources/plain.md",
        "title: A note with no address\n",
        "title: A note with no address\narchived_at: 2025-06-02\n",
    );
    site.edit(
        "content/sources/report.md",
        "archived_at: 2025-06-02",
        "archived_at: 2025-06-31",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert_eq!(
        run.problems,
        "error: content/sources/plain.md:3:14: `archived_at` dates an archived copy, but there is no `archived`\n\
         error: content/sources/report.md:6:14: `2025-06-31` does not exist: June 2025 has 30 days\n",
        "{}",
        run.stderr
    );
}
