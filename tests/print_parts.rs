//! The print view of a large briefing (issue 22): past `PRINT_PART_ITEMS` (100) items, the
//! items are printed in parts (`print/1/` …) of one collection and at most 100 items each,
//! each part with its own notes, all listed on the print page under their collections with a
//! note saying why; a small briefing still prints on one page.

mod common;

use std::collections::BTreeSet;

use common::Site;

/// A site of one source and collections of `sizes` items, each item's summary citing a
/// passage of its own.
fn large_site(sizes: &[(&str, &str, usize)]) -> Site {
    let site = Site::copy("empty");
    site.write(
        "site.toml",
        "title = \"Large\"\nbase_url = \"https://example.org/large/\"\n",
    );
    let total: usize = sizes.iter().map(|s| s.2).sum();
    let text: Vec<String> = (0..total)
        .map(|i| format!("Passage number {i} ends here."))
        .collect();
    site.write(
        "content/sources/src.md",
        &format!(
            "---\ntitle: The source\noutlet: Desk\npublished: 2024-01-02\n---\n{}\n",
            text.join("\n\n")
        ),
    );
    site.write(
        "content/index.md",
        "---\ntitle: Large\n---\nA large briefing.\n",
    );
    let mut i = 0;
    for (id, kind, n) in sizes {
        let mut yaml = format!("title: {id}\nkind: {kind}\nitems:\n");
        for _ in 0..*n {
            yaml.push_str(&format!(
                "  - id: i{i:04}\n    name: Item {i:04}\n    summary: Said [@src \"Passage number {i} ends here.\"].\n"
            ));
            i += 1;
        }
        site.write(&format!("content/annotations/{id}.yaml"), &yaml);
    }
    site
}

/// The `href`s of the part links of a print page.
fn part_links(html: &str) -> Vec<String> {
    html.split("<li><a href=\"")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(h, _)| h.to_string()))
        .filter(|h| h.starts_with("../print/"))
        .collect()
}

#[test]
fn a_large_briefing_prints_its_items_in_parts_each_listed_on_the_print_page() {
    let site = large_site(&[("people", "person", 230), ("venues", "venue", 5)]);
    site.build_clean();
    let print = site.output("print/index.html");
    assert!(print.contains("class=\"print-parts-note\""), "{print}");
    assert!(
        print.contains("printed in 4 parts of at most 100 items each"),
        "{print}"
    );
    assert!(!print.contains("class=\"print-item\""));
    assert!(print.contains("href=\"../timeline/index.html\""));
    // Every part linked from the print page, in order, and no more parts than those.
    let links = part_links(&print);
    let expected: Vec<String> = (1..=4)
        .map(|k| format!("../print/{k}/index.html"))
        .collect();
    assert_eq!(links, expected);
    assert!(
        print.contains("Part 1 of 4</a>: Item 0000 – Item 0099"),
        "{print}"
    );
    assert!(
        print.contains("Part 4 of 4</a>: Item 0230 – Item 0234"),
        "{print}"
    );
    assert!(!site.path().join("public/print/5").exists());
    // Each item is printed once, in its collection's part, with its note numbered on that
    // part's own list.
    let mut seen = BTreeSet::new();
    for (k, count) in [(1, 100), (2, 100), (3, 30), (4, 5)] {
        let part = site.output(&format!("print/{k}/index.html"));
        assert_eq!(
            part.matches("class=\"print-item\"").count(),
            count,
            "part {k}"
        );
        assert!(part.contains(&format!("Part {k} of 4: ")), "part {k}");
        assert!(
            part.contains("<a href=\"../../print/index.html\">Print view</a>"),
            "part {k}"
        );
        assert!(part.contains("id=\"note-1\"") && part.contains(&format!("id=\"note-{count}\"")));
        assert!(!part.contains(&format!("id=\"note-{}\"", count + 1)));
        assert!(part.contains("noindex"));
        for item in part.split("<article id=\"item-").skip(1) {
            let id = item.split('"').next().expect("id").to_string();
            assert!(seen.insert(id.clone()), "{id} printed twice");
        }
    }
    assert_eq!(seen.len(), 235);
    // The parts are pages of the print view, not of the sitemap.
    assert!(!site.output("sitemap.xml").contains("print/"));
}

#[test]
fn a_briefing_of_up_to_a_hundred_items_prints_on_one_page() {
    let site = large_site(&[("people", "person", 100)]);
    site.build_clean();
    let print = site.output("print/index.html");
    assert_eq!(print.matches("class=\"print-item\"").count(), 100);
    assert!(!print.contains("print-parts"));
    assert!(print.contains("The whole briefing on one page"));
    assert!(!site.path().join("public/print/1").exists());
}
