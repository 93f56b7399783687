//! End-to-end, without a browser: the search index, the search page and the print view that
//! `brief build` writes for the fixture site. (tests/browser.rs runs them in Chromium.)

mod common;

use std::collections::HashSet;

use common::Site;
use serde_json::Value;

/// The search index, its manifest and chunks read as one (tests/common/search_index.rs).
fn index(site: &Site) -> Value {
    common::search_index::whole(&site.path().join("public"))
}

fn ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').expect("quote");
        out.push(rest[..end].to_string());
    }
    out
}

#[test]
fn the_search_index_holds_items_claims_and_passages_with_their_anchors() {
    let site = Site::copy("basic");
    site.build_clean();
    let idx = index(&site);
    let docs = idx["docs"].as_array().expect("docs");
    let items = idx["items"].as_array().expect("items");
    let sources = idx["sources"].as_array().expect("sources");
    let terms: Vec<&str> = idx["terms"].as_str().expect("terms").split('\n').collect();
    assert_eq!(
        terms.len(),
        idx["postings"].as_array().expect("postings").len()
    );
    let mut sorted = terms.clone();
    sorted.sort();
    assert_eq!(terms, sorted, "terms are sorted for prefix lookup");
    // Folded: Çırağan is found as "ciragan", and no term keeps a capital or a diacritic.
    assert!(terms.contains(&"ciragan"), "{terms:?}");
    assert!(terms.contains(&"medinsky"));
    assert!(
        terms
            .iter()
            .all(|t| t.chars().all(|c| !c.is_uppercase() && c.is_alphanumeric())),
        "{terms:?}"
    );

    let mut kinds = [0; 3];
    for d in docs {
        let kind = d[0].as_u64().expect("kind") as usize;
        kinds[kind] += 1;
        let of = d[1].as_u64().expect("of") as usize;
        let n = d[2].as_u64().expect("n");
        // Every document leads to an element of a built page.
        let (path, anchor) = match kind {
            0 => (items[of][1].as_str().expect("path").to_string(), None),
            1 => (
                items[of][1].as_str().expect("path").to_string(),
                Some(
                    items[of][4][n as usize - 1]
                        .as_str()
                        .expect("claim anchor")
                        .to_string(),
                ),
            ),
            _ => (
                sources[of][1].as_str().expect("path").to_string(),
                Some(format!("p{n}")),
            ),
        };
        let html = site.output(&format!("{path}index.html"));
        if let Some(a) = anchor {
            assert!(html.contains(&format!("id=\"{a}\"")), "{path}#{a}");
        }
        assert!(
            !d[3].as_str().expect("text").contains("[@"),
            "citations are stripped: {d}"
        );
    }
    assert!(
        kinds.iter().all(|&k| k > 0),
        "items, claims, passages: {kinds:?}"
    );
    // Hidden boilerplate paragraphs are not indexed.
    assert!(
        !docs.iter().any(|d| d[3]
            .as_str()
            .is_some_and(|t| t.starts_with("Advertisement"))),
        "boilerplate is not searchable"
    );
    // Posting lists decode to documents that hold the term.
    let postings = idx["postings"].as_array().expect("postings");
    let at = terms.iter().position(|t| *t == "memorandum").expect("term");
    let mut doc = 0;
    for gap in postings[at].as_str().expect("list").split(' ') {
        doc += u64::from_str_radix(gap, 36).expect("base 36");
        let text = docs[doc as usize][3].as_str().expect("text").to_lowercase();
        assert!(text.contains("memorandum"), "{text}");
    }
}

#[test]
fn every_page_has_a_search_box_and_the_search_page_works_without_javascript() {
    let site = Site::copy("basic");
    site.build_clean();
    let item = site.output("people/vladimir-medinsky/index.html");
    assert!(
        item.contains(
            "<form class=\"site-search\" role=\"search\" action=\"../../search/index.html\" method=\"get\">"
        ),
        "{item}"
    );
    assert!(item.contains("name=\"q\""));
    assert!(
        item.contains("href=\"../../print/index.html\""),
        "footer links the print view"
    );
    let search = site.output("search/index.html");
    assert!(search.contains("<script src=\"../search-index.js\" defer></script>"));
    assert!(search.contains("<script src=\"../assets/search.js\" defer></script>"));
    assert!(search.contains("data-root=\"../\""));
    assert!(search.contains("<noscript>"));
    // The plain list: every item and every source.
    for href in [
        "../people/vladimir-medinsky/index.html",
        "../people/rustem-umerov/index.html",
        "../sources/alpha/index.html",
        "../sources/beta/index.html",
    ] {
        assert!(search.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(site.output("assets/search.js").contains("BRIEF_SEARCH"));
}

#[test]
fn the_print_view_holds_the_whole_briefing_with_one_notes_list_and_unique_ids() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("print/index.html");
    let all = ids(&html);
    let mut seen = HashSet::new();
    let dups: Vec<&String> = all.iter().filter(|id| !seen.insert(*id)).collect();
    assert!(dups.is_empty(), "duplicate ids: {dups:?}");
    // Every in-page link reaches an element.
    let mut rest = html.as_str();
    while let Some(i) = rest.find("href=\"#") {
        rest = &rest[i + 7..];
        let end = rest.find('"').expect("quote");
        assert!(seen.contains(&rest[..end].to_string()), "#{}", &rest[..end]);
    }
    // The front page summary, every item (with its claims), the disputes and the timeline.
    let json: Value = serde_json::from_str(&site.output("briefing.json")).expect("briefing.json");
    for item in json["items"].as_array().expect("items") {
        let id = item["id"].as_str().expect("id");
        assert!(all.contains(&format!("item-{id}")), "{id}");
    }
    assert!(all.contains(&"summary".to_string()));
    assert!(all.contains(&"timeline".to_string()));
    assert!(
        all.iter()
            .filter(|id| id.starts_with("item-vladimir-medinsky-claim-"))
            .count()
            >= 2
    );
    assert!(html.contains("class=\"positions\""), "dispute positions");
    // One notes list for the page; the same passage keeps its number across items.
    assert_eq!(html.matches("<section class=\"notes\"").count(), 1);
    let note_count = all.iter().filter(|id| id.starts_with("note-")).count();
    let mark_count = all.iter().filter(|id| id.starts_with("cite-")).count();
    assert!(
        note_count >= 3 && mark_count > note_count,
        "{note_count} notes, {mark_count} marks"
    );
    // Print view pages are not a source page's "cited by" target.
    let alpha = site.output("sources/alpha/index.html");
    assert!(!alpha.contains("print/index.html#cite-"), "{alpha}");
}

#[test]
fn search_and_print_are_reserved_page_names() {
    let site = Site::copy("basic");
    site.write(
        "content/pages/search.md",
        "---\ntitle: Search\n---\nMine.\n",
    );
    let run = site.run(&["build"]);
    assert!(
        !run.ok,
        "a page named search must not replace the search page"
    );
    assert!(run.stderr.contains("search"), "{}", run.stderr);
}

#[test]
fn the_print_view_numbers_its_notes_in_reading_order_and_the_timeline_links_to_them() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("print/index.html");
    let mut highest = 0;
    let mut rest = html.as_str();
    while let Some(i) = rest.find("aria-label=\"Note ") {
        rest = &rest[i + 17..];
        let n: usize = rest[..rest.find('"').expect("quote")]
            .parse()
            .expect("number");
        assert!(
            n <= highest + 1,
            "print: note {n} comes before note {}",
            highest + 1
        );
        highest = highest.max(n);
    }
    assert!(highest >= 2, "print: {highest} notes");
    // The timeline is an index: no notes of its own, each claim links to where its notes are.
    let timeline = site.output("timeline/index.html");
    assert!(
        !timeline.contains("aria-label=\"Note "),
        "the timeline repeats notes"
    );
    assert!(
        timeline.contains("people/vladimir-medinsky/index.html#claim-"),
        "claims link to their item"
    );
}
