//! The drawings (issue 21 §4–6): the venue map, the network of the actors and the timeline
//! strip, built by the real binary on the example briefing and on fixtures. Each drawing is
//! there, every mark in it links to a page that exists (and to the anchor it names), the
//! list beside it says the same, and two builds draw the same bytes.

mod common;

use std::path::Path;
use std::process::Command;

use common::Site;

/// Builds the repository's example into a fresh folder.
fn build_example() -> tempfile::TempDir {
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
    out
}

/// The first `<svg class="{class}" …>…</svg>` of a page.
fn svg<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("<svg class=\"{class}\""))
        .unwrap_or_else(|| panic!("no svg of class {class}"));
    let end = html[start..].find("</svg>").expect("svg closed") + start;
    &html[start..end]
}

/// The `href`s of a stretch of HTML, unescaped.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

/// Asserts that `href`, on the page `page` (a path under `out`), leads to a file of the
/// site and, with a fragment, to an element of that id in it.
fn assert_leads_somewhere(out: &Path, page: &str, href: &str) {
    assert!(!href.starts_with("http"), "{page}: outside link {href}");
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let dir = Path::new(page).parent().unwrap();
    let target = out.join(dir).join(path);
    let target = if path.is_empty() {
        out.join(page)
    } else {
        target
    };
    assert!(
        target.is_file(),
        "{page}: {href} leads to no file ({target:?})"
    );
    if !fragment.is_empty() {
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains(&format!("id=\"{fragment}\"")),
            "{page}: {href}: no #{fragment} in {target:?}"
        );
    }
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn the_map_draws_every_venue_with_coordinates_as_a_link() {
    let out = build_example();
    let out = out.path();
    for page in ["venues/index.html", "index.html"] {
        let html = read(out, page);
        let map = svg(&html, "map-svg");
        let links = hrefs(map);
        // The example's venues with coordinates (Istanbul, Çırağan Palace, Moscow, the
        // regions, Bucha …): each a link to its own venue page.
        assert_eq!(links.len(), 8, "{page}: {links:?}");
        for l in &links {
            assert!(l.contains("venues/"), "{page}: {l}");
            assert_leads_somewhere(out, page, l);
        }
        assert!(map.contains("<title id=\"map-title\">Map of the 8 venues</title>"));
        assert!(map.contains("aria-label=\"Çırağan Palace, Istanbul, Türkiye\""));
        assert!(
            map.contains("class=\"map-land\" d=\"M"),
            "{page}: no land drawn"
        );
        // The attribution, and the list that says the same in words.
        assert!(html.contains("Natural Earth (public domain), via world-atlas"));
        let list = &html[html.find("<ul class=\"map-list\">").unwrap()..];
        let list = &list[..list.find("</ul>").unwrap()];
        assert_eq!(
            hrefs(list),
            links,
            "{page}: the list names what the map draws"
        );
        assert!(list.contains("41.04° N, 29.02° E"));
    }
    // Collections of other kinds have no map.
    assert!(!read(out, "negotiators/index.html").contains("map-svg"));
}

#[test]
fn the_network_links_every_node_and_lists_the_same() {
    let out = build_example();
    let out = out.path();
    let page = "network/index.html";
    let html = read(out, page);
    let drawing = svg(&html, "network-svg");
    let nodes = hrefs(drawing);
    assert!(nodes.len() >= 40, "{} nodes", nodes.len());
    for l in &nodes {
        assert_leads_somewhere(out, page, l);
    }
    // People, organizations, events and venues are drawn, each as its own shape.
    for kind in ["person", "organization", "event", "venue"] {
        assert!(
            drawing.contains(&format!("class=\"node kind-{kind}\"")),
            "{kind}"
        );
    }
    assert!(drawing.contains("class=\"link-affiliation\""));
    assert!(drawing.contains("class=\"link-actor\""));
    assert!(drawing.contains("class=\"link-place\""));
    // The list in words: an entry a node drawn, each with an anchor.
    let list = &html[html.find("<ul class=\"network-list\">").unwrap()..];
    assert_eq!(list.matches("<li id=\"n-").count(), nodes.len());
    assert!(list.contains("id=\"n-rustem-umerov\""));
    // The page is in the navigation and the sitemap.
    assert!(read(out, "index.html").contains("href=\"network/index.html\""));
    assert!(read(out, "sitemap.xml").contains("network/"));

    // An item's neighbourhood: its links around it, its own mark leading to its entry in
    // the whole network.
    let page = "negotiators/rustem-umerov/index.html";
    let html = read(out, page);
    let around = svg(&html, "network-svg");
    let links = hrefs(around);
    assert!(links.len() >= 4, "{links:?}");
    for l in &links {
        assert_leads_somewhere(out, page, l);
    }
    assert!(
        links
            .iter()
            .any(|l| l == "../../network/index.html#n-rustem-umerov"),
        "{links:?}"
    );
    assert!(links.iter().any(|l| l.contains("organizations/")));
    // A dispute is no node: its page draws no neighbourhood.
    let disputes = std::fs::read_dir(out.join("disputes")).unwrap();
    for d in disputes.flatten().filter(|d| d.path().is_dir()) {
        let html = std::fs::read_to_string(d.path().join("index.html")).unwrap();
        assert!(!html.contains("network-svg"), "{:?}", d.path());
    }
}

#[test]
fn the_strip_marks_each_dated_event_with_partial_dates_as_bars() {
    let out = build_example();
    let out = out.path();
    let page = "timeline/index.html";
    let html = read(out, page);
    let strip = svg(&html, "strip-svg");
    let marks = hrefs(strip);
    assert!(marks.len() >= 15, "{} marks", marks.len());
    for l in &marks {
        assert_leads_somewhere(out, page, l);
    }
    // It stands above the list.
    assert!(html.find("strip-svg").unwrap() < html.find("<ol class=\"timeline\">").unwrap());
    // The annexation of Crimea is dated only to 2014: a bar; the years without events are
    // cut out, with a mark for the cut.
    let crimea = &strip[strip
        .find("aria-label=\"Russia&#39;s annexation of Crimea, 2014\"")
        .or_else(|| strip.find("annexation of Crimea, 2014"))
        .expect("Crimea on the strip")..];
    assert!(crimea[..crimea.find("</a>").unwrap()].contains("strip-bar"));
    assert!(strip.contains("strip-cut"));
    assert!(strip.contains(">2014</text>") && strip.contains(">2025</text>"));
    assert!(!strip.contains(">2017</text>"));
    // An event to the day is a dot.
    assert!(strip.contains("<circle class=\"strip-mark event\""));
}

#[test]
fn two_builds_draw_the_same_bytes() {
    let a = build_example();
    let b = build_example();
    for page in [
        "index.html",
        "venues/index.html",
        "network/index.html",
        "timeline/index.html",
        "negotiators/rustem-umerov/index.html",
    ] {
        assert!(
            read(a.path(), page) == read(b.path(), page),
            "{page} differs between two builds"
        );
    }
}

#[test]
fn a_briefing_without_venues_or_links_draws_nothing() {
    let site = Site::copy("empty");
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(!site.output("index.html").contains("map-svg"));
    assert!(!site.output("timeline/index.html").contains("strip-svg"));
    let network = site.output("network/index.html");
    assert!(!network.contains("network-svg"));
    assert!(network.contains("No links between"));
}

#[test]
fn a_large_network_draws_the_most_linked_only() {
    // 400 people in 20 organizations: the page draws the 120 most linked (the
    // organizations first), and says so; each node still links to its page.
    let site = Site::copy("empty");
    let mut people = String::from("title: People\nkind: person\nitems:\n");
    for i in 0..400 {
        people.push_str(&format!(
            "  - id: p{i}\n    name: Person {i}\n    affiliation: o{}\n",
            i % 20
        ));
    }
    let mut orgs = String::from("title: Organizations\nkind: organization\nitems:\n");
    for i in 0..20 {
        orgs.push_str(&format!("  - id: o{i}\n    name: Organization {i}\n"));
        if i > 0 {
            orgs.push_str(&format!("    parent: o{}\n", i - 1));
        }
    }
    site.write("content/annotations/people.yaml", &people);
    site.write("content/annotations/orgs.yaml", &orgs);
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    let html = site.output("network/index.html");
    let drawing = svg(&html, "network-svg");
    let nodes = hrefs(drawing);
    assert_eq!(nodes.len(), 120);
    for i in 0..20 {
        assert!(
            nodes.contains(&format!("../orgs/o{i}/index.html")),
            "organization {i} not drawn"
        );
    }
    assert!(html.contains("The 120 most linked of the 420 linked"));
    for l in &nodes {
        assert_leads_somewhere(&site.path().join("public"), "network/index.html", l);
    }
    // A person's page draws its neighbourhood: its organization. Drawn on the whole
    // network (the first hundred people, in briefing order, after the organizations), its
    // own mark leads to its entry there; not drawn, to the network page.
    let person = site.output("people/p7/index.html");
    let around = svg(&person, "network-svg");
    assert!(around.contains("../../orgs/o7/index.html"));
    assert!(around.contains("href=\"../../network/index.html#n-p7\""));
    let person = site.output("people/p307/index.html");
    let around = svg(&person, "network-svg");
    assert!(around.contains("href=\"../../network/index.html\""));
}
