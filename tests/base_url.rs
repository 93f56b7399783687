//! The site honours its base URL: built for a GitHub project site
//! (`https://user.github.io/repo/`) nothing leads outside `/repo/`, and the same content
//! works at a domain root. Also: the files GitHub Pages needs, and a valid Atom feed.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{brief, copy_fixture, files_under};
use regex::Regex;

const PROJECT: &str = "https://user.github.io/repo/";
const ROOT: &str = "https://example.org/";

/// A fixture copy built with `brief build [--base-url URL]`; returns (temp dir, public/).
fn build(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("pages", dir.path());
    let mut args = vec!["build"];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    let run = brief(dir.path(), &args);
    assert!(run.ok, "build failed:\n{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let public = dir.path().join("public");
    (dir, public)
}

/// `https://host/path?q#f` → (`https://host`, `/path`); the path without query or fragment.
fn split(url: &str) -> (&str, &str) {
    let after = url.find("://").map_or(0, |i| i + 3);
    let path_at = url[after..].find('/').map_or(url.len(), |i| after + i);
    let end = url[path_at..]
        .find(['?', '#'])
        .map_or(url.len(), |i| path_at + i);
    (
        &url[..path_at],
        if path_at == end {
            "/"
        } else {
            &url[path_at..end]
        },
    )
}

/// Resolves a link found on the page at `page_url`, as a browser would (RFC 3986 §5.2,
/// dot segments removed, never above the host's root). Query and fragment are dropped.
fn resolve(page_url: &str, link: &str) -> String {
    static SCHEME: OnceLock<Regex> = OnceLock::new();
    let scheme = SCHEME.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap());
    let link = link.split(['#', '?']).next().unwrap_or("");
    if scheme.is_match(link) {
        return link.to_string();
    }
    if let Some(rest) = link.strip_prefix("//") {
        return format!("https://{rest}");
    }
    let (origin, page_path) = split(page_url);
    if link.is_empty() {
        return format!("{origin}{page_path}");
    }
    let merged = if link.starts_with('/') {
        link.to_string()
    } else {
        let dir = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{link}")
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = merged.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{origin}/{}", out.join("/"))
}

/// The URLs an HTML page links to: href, src, action, poster, srcset, URL-like content, url().
fn links_of(html: &str) -> Vec<String> {
    static ATTR: OnceLock<Regex> = OnceLock::new();
    static CSS: OnceLock<Regex> = OnceLock::new();
    let attr = ATTR.get_or_init(|| {
        Regex::new(r#"(?i)\s(href|src|action|poster|srcset|content)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
            .unwrap()
    });
    let css = CSS.get_or_init(|| Regex::new(r#"url\(\s*['"]?([^'")]+)"#).unwrap());
    let mut out = Vec::new();
    for c in attr.captures_iter(html) {
        let name = c[1].to_ascii_lowercase();
        let value = c
            .get(2)
            .or(c.get(3))
            .map_or("", |m| m.as_str())
            .replace("&amp;", "&");
        match name.as_str() {
            // <meta content> holds text too: only URL-like values are links.
            "content" if !(value.starts_with('/') || value.contains("://")) => {}
            "srcset" => out.extend(
                value
                    .split(',')
                    .filter_map(|s| s.split_whitespace().next())
                    .map(str::to_string),
            ),
            _ => out.push(value),
        }
    }
    out.extend(css.captures_iter(html).map(|c| c[1].to_string()));
    out
}

/// The file of the built site that a URL under `base` serves (folders serve index.html).
fn file_for(public: &Path, base: &str, url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix(base)?;
    let mut path = public.join(rest);
    if rest.is_empty() || rest.ends_with('/') || path.is_dir() {
        path = path.join("index.html");
    }
    Some(path)
}

/// The site path of a built file (`a/index.html`).
fn rel(public: &Path, file: &Path) -> String {
    file.strip_prefix(public)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every link of every page resolves under `base` when it is on the site's host, and
/// reaches a file of the site; 404.html links with absolute paths only.
fn assert_links_under(public: &Path, base: &str) {
    let (origin, base_path) = split(base);
    let mut checked = 0;
    for file in files_under(public) {
        let name = rel(public, &file);
        if !name.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).unwrap();
        let page_url = format!("{base}{name}");
        for link in links_of(&html) {
            if link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            if name == "404.html" {
                // Served at whatever address was not found: only absolute links work there.
                assert!(
                    link.starts_with(base_path) || link.starts_with(base),
                    "404.html: `{link}` is not an absolute link under {base_path}"
                );
            }
            let target = resolve(&page_url, &link);
            if split(&target).0 != origin {
                continue; // another host: an outside link
            }
            assert!(
                target.starts_with(base),
                "{name}: `{link}` resolves to {target}, outside {base}"
            );
            let served = file_for(public, base, &target).unwrap();
            assert!(
                served.is_file(),
                "{name}: `{link}` resolves to {target}, which the site does not have"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links were checked");
}

/// feed.xml and sitemap.xml name only absolute URLs under `base`, and those exist.
fn assert_xml_under(public: &Path, base: &str) {
    for name in ["feed.xml", "sitemap.xml"] {
        let text = std::fs::read_to_string(public.join(name)).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
        let mut urls = Vec::new();
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(href) = n.attribute("href") {
                urls.push(href.to_string());
            }
            if matches!(n.tag_name().name(), "id" | "loc") {
                urls.push(n.text().unwrap_or("").to_string());
            }
        }
        assert!(urls.len() > 5, "{name}: {urls:?}");
        for url in urls {
            assert!(url.starts_with(base), "{name}: {url} is not under {base}");
            let served = file_for(public, base, &url).unwrap();
            assert!(served.is_file(), "{name}: {url} is not a file of the site");
        }
    }
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
}

/// Every absolute URL in briefing.json on the site's host is under `base`.
fn assert_json_under(public: &Path, base: &str) {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.starts_with("http") => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("briefing.json")).unwrap())
            .unwrap();
    let mut urls = Vec::new();
    walk(&json, &mut urls);
    let origin = split(base).0;
    let ours: Vec<_> = urls.iter().filter(|u| split(u).0 == origin).collect();
    assert!(ours.len() > 5, "{urls:?}");
    for u in ours {
        assert!(
            u.starts_with(base),
            "briefing.json: {u} is not under {base}"
        );
    }
}

#[test]
fn the_resolver_resolves_like_a_browser() {
    let page = "https://u.github.io/repo/a/b/index.html";
    assert_eq!(resolve(page, "../c/"), "https://u.github.io/repo/a/c/");
    assert_eq!(resolve(page, "../../../../x"), "https://u.github.io/x");
    assert_eq!(resolve(page, "/repo/y"), "https://u.github.io/repo/y");
    assert_eq!(
        resolve(page, "?q#f"),
        "https://u.github.io/repo/a/b/index.html"
    );
    assert_eq!(resolve(page, "./"), "https://u.github.io/repo/a/b/");
    assert_eq!(resolve(page, "https://e.org/z"), "https://e.org/z");
    assert_eq!(resolve("https://e.org/", "x/../"), "https://e.org/");
}

#[test]
fn under_a_project_path_nothing_leads_outside_it() {
    let (_dir, public) = build(Some(PROJECT));
    assert_links_under(&public, PROJECT);
    assert_xml_under(&public, PROJECT);
    assert_json_under(&public, PROJECT);
    let html = std::fs::read_to_string(public.join("404.html")).unwrap();
    assert!(html.contains("href=\"/repo/assets/brief.css\""), "{html}");
}

#[test]
fn at_a_domain_root_the_same_content_works() {
    let (_dir, public) = build(Some(ROOT));
    assert_links_under(&public, ROOT);
    assert_xml_under(&public, ROOT);
    assert_json_under(&public, ROOT);
    let html = std::fs::read_to_string(public.join("404.html")).unwrap();
    assert!(html.contains("href=\"/assets/brief.css\""), "{html}");
    assert!(!html.contains("/repo/"));
}

#[test]
fn site_toml_base_url_is_used_without_the_option() {
    let base = "https://owner.github.io/pages-fixture/";
    let (_dir, public) = build(None);
    assert_links_under(&public, base);
    assert_xml_under(&public, base);
}

#[test]
fn hosting_files_are_written() {
    let (dir, public) = build(Some(PROJECT));
    let nojekyll = public.join(".nojekyll");
    assert!(nojekyll.is_file() && std::fs::read(&nojekyll).unwrap().is_empty());
    assert!(public.join("404.html").is_file());
    assert_eq!(
        std::fs::read_to_string(public.join("CNAME")).unwrap(),
        "briefing.example.org\n"
    );

    // No `domain` in site.toml: no CNAME.
    let toml = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    let without: String = toml
        .lines()
        .filter(|l| !l.starts_with("domain"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("site.toml"), without).unwrap();
    let run = brief(dir.path(), &["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(!public.join("CNAME").exists());
}

#[test]
fn a_base_url_that_is_not_absolute_is_refused() {
    let (dir, public) = build(Some(PROJECT));
    let before = common::snapshot(&public);
    let run = brief(dir.path(), &["build", "--base-url", "user.github.io/repo"]);
    assert!(!run.ok);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
    assert_eq!(
        common::snapshot(&public),
        before,
        "the last good site stays"
    );
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The Atom elements named `name` directly under `node`.
fn atom<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .filter(|n| n.tag_name().namespace() == Some(ATOM))
        .collect()
}

fn the<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    let found = atom(node, name);
    assert_eq!(found.len(), 1, "expected one atom:{name}");
    found[0]
}

fn text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    the(node, name).text().unwrap_or("").to_string()
}

fn assert_rfc3339(s: &str) {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let re = DATE.get_or_init(|| {
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$").unwrap()
    });
    assert!(re.is_match(s), "not an RFC 3339 date: {s}");
}

/// RFC 4287's required elements, absolute ids, newest first, and titles with `& < > " '`
/// that come back from the parser exactly as written.
#[test]
fn the_feed_is_valid_atom_even_with_awkward_titles() {
    let (_dir, public) = build(Some(PROJECT));
    let xml = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));

    assert_eq!(text(feed, "title"), "Talks & Truces: \"Brief\" <Desk>");
    assert_eq!(text(feed, "id"), PROJECT);
    let updated = text(feed, "updated");
    assert_rfc3339(&updated);
    let links = atom(feed, "link");
    let rel = |l: &roxmltree::Node<'_, '_>| l.attribute("rel").unwrap_or("alternate").to_string();
    assert!(
        links.iter().any(|l| rel(l) == "self"
            && l.attribute("href") == Some("https://user.github.io/repo/feed.xml"))
    );
    let alternates: Vec<_> = links.iter().filter(|l| rel(l) == "alternate").collect();
    assert!(
        alternates.len() <= 1,
        "one alternate link of a type at most"
    );
    // atom:author on the feed (else every entry needs one).
    let feed_author = atom(feed, "author")
        .first()
        .map(|a| text(*a, "name"))
        .unwrap_or_default();
    assert_eq!(feed_author, "O'Brien & Co <desk>");

    let entries = atom(feed, "entry");
    assert_eq!(
        entries.len(),
        4,
        "the dated source and the three dated events"
    );
    let mut ids = HashSet::new();
    let mut dates = Vec::new();
    let mut titles = Vec::new();
    for e in &entries {
        let id = text(*e, "id");
        assert!(
            id.starts_with("https://"),
            "entry id is not an absolute IRI: {id}"
        );
        assert!(ids.insert(id.clone()), "entry id twice: {id}");
        titles.push(text(*e, "title"));
        let u = text(*e, "updated");
        assert_rfc3339(&u);
        dates.push(u);
        let alternate: Vec<_> = atom(*e, "link")
            .into_iter()
            .filter(|l| rel(l) == "alternate")
            .collect();
        assert_eq!(alternate.len(), 1, "entry {id} has one alternate link");
        assert!(alternate[0].attribute("href").unwrap().starts_with(PROJECT));
        if atom(*e, "content").is_empty() {
            assert!(
                !text(*e, "summary").is_empty(),
                "entry {id} has no content and no summary"
            );
        }
        if atom(feed, "author").is_empty() {
            assert!(!atom(*e, "author").is_empty());
        }
    }
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "entries are newest first");
    assert_eq!(updated, dates[0], "the feed is as new as its newest entry");
    assert!(
        titles.contains(&"Talks & \"truce\" resume <at last> — 'round two'".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Round two & the \"truce\" <draft>".to_string()),
        "{titles:?}"
    );

    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is well-formed");
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(
        urlset.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<_> = urlset
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    let unique: HashSet<_> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "no URL twice");
    assert!(locs.contains(&format!("{PROJECT}methodology/")), "{locs:?}");
    // Every page is in the sitemap, or asks not to be indexed (the search page and the
    // print view, which repeat what the other pages hold); 404.html is answered with a 404.
    let mut unlisted = Vec::new();
    for file in files_under(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some(dir) = rel.strip_suffix("index.html") else {
            continue;
        };
        let html = std::fs::read_to_string(&file).unwrap();
        let noindex = html.contains(r#"<meta name="robots" content="noindex, follow">"#);
        let listed = locs.contains(&format!("{PROJECT}{dir}"));
        assert!(
            listed != noindex,
            "{rel}: in the sitemap {listed}, noindex {noindex}"
        );
        if noindex {
            unlisted.push(dir.to_string());
        }
    }
    unlisted.sort();
    assert_eq!(unlisted, ["print/", "search/"]);
}
