//! The sitemap past the sitemaps.org limit of 50,000 URLs a file: a real site of 50,001
//! sources gets `sitemap.xml` as a `<sitemapindex>` of `<urlset>` parts, each within the
//! limits, listing every URL once; a small site keeps one `<urlset>`. Each file is parsed.

mod common;

use std::collections::BTreeSet;

use common::Site;

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The `<loc>`s of a sitemap file whose root is `root`, each under an element `entry`, all
/// in the sitemaps.org namespace.
fn locs(xml: &str, root: &str, entry: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml:.400}"));
    let top = doc.root_element();
    assert_eq!(top.tag_name().name(), root);
    assert_eq!(top.tag_name().namespace(), Some(NS));
    top.children()
        .filter(|n| n.is_element())
        .map(|n| {
            assert_eq!(n.tag_name().name(), entry);
            assert_eq!(n.tag_name().namespace(), Some(NS));
            let loc: Vec<_> = n.children().filter(|c| c.is_element()).collect();
            assert_eq!(loc.len(), 1);
            assert_eq!(loc[0].tag_name().name(), "loc");
            loc[0].text().expect("a URL").to_string()
        })
        .collect()
}

#[test]
fn a_small_site_has_one_urlset() {
    let site = Site::copy("basic");
    site.build_clean();
    let urls = locs(&site.output("sitemap.xml"), "urlset", "url");
    assert!(urls.len() > 3 && urls.len() < 50_000, "{urls:?}");
    assert!(!site.path().join("public/sitemap-1.xml").exists());
    assert!(site.output("robots.txt").contains("sitemap.xml\n"));
}

#[test]
fn past_fifty_thousand_urls_the_sitemap_is_an_index_of_parts() {
    // 50,001 sources, each a page of its own: the smallest real site past the limit (a
    // debug build of it takes about 45 s of CPU).
    let site = Site::copy("empty");
    let base = "https://example.org/big/";
    site.write(
        "site.toml",
        &format!("title = \"Big\"\nbase_url = \"{base}\"\n"),
    );
    let n = 50_001;
    for i in 0..n {
        site.write(
            &format!("content/sources/s{i:05}.md"),
            &format!(
                "---\ntitle: Source {i}\noutlet: Desk\npublished: 2024-01-02\n---\nText {i}.\n"
            ),
        );
    }
    let run = site.run(&["build", "-q"]);
    assert!(run.ok, "{}", run.stderr);
    let parts = locs(&site.output("sitemap.xml"), "sitemapindex", "sitemap");
    assert_eq!(
        parts,
        [
            format!("{base}sitemap-1.xml"),
            format!("{base}sitemap-2.xml")
        ]
    );
    assert!(!site.path().join("public/sitemap-3.xml").exists());
    let mut all = Vec::new();
    for k in 1..=2 {
        let path = format!("sitemap-{k}.xml");
        let xml = site.output(&path);
        assert!(xml.len() < 50 * 1024 * 1024, "{path}: {} bytes", xml.len());
        let urls = locs(&xml, "urlset", "url");
        assert!(
            !urls.is_empty() && urls.len() <= 50_000,
            "{path}: {}",
            urls.len()
        );
        all.extend(urls);
    }
    // Every source page once, in order, and the front page and the lists beside them.
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(sorted, all);
    for i in [0, 25_000, 49_999, 50_000] {
        assert!(
            unique.contains(&format!("{base}sources/s{i:05}/")),
            "s{i:05}"
        );
    }
    assert!(unique.contains(&base.to_string()));
    assert!(unique.contains(&format!("{base}sources/")));
    assert_eq!(all.iter().filter(|u| u.contains("/sources/s")).count(), n);
    // robots.txt names the index, as it names a single sitemap.
    assert!(
        site.output("robots.txt")
            .contains(&format!("Sitemap: {base}sitemap.xml\n"))
    );
}
