//! Checks every internal link and `#fragment` of the built site before anything is written.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::{Contents, OutFile};

/// The values of an attribute (`href="…"`) in HTML we wrote: always double-quoted and
/// preceded by white space. A plain substring scan is several times faster than a regex over
/// the tens of megabytes a large briefing produces.
fn attr_values<'a>(html: &'a str, finder: &'a memchr::memmem::Finder<'a>) -> impl Iterator<Item = &'a str> + 'a {
    let bytes = html.as_bytes();
    let needle_len = finder.needle().len();
    finder.find_iter(bytes).filter_map(move |at| {
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            return None;
        }
        let start = at + needle_len;
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        html.get(start..end)
    })
}

/// Every link in the HTML files that points inside the site must reach a file, and its
/// fragment an element id of that file. Returns one error per broken link.
pub fn check(files: &[OutFile]) -> Vec<Diagnostic> {
    let id_finder = memchr::memmem::Finder::new("id=\"");
    let href_finder = memchr::memmem::Finder::new("href=\"");
    let src_finder = memchr::memmem::Finder::new("src=\"");

    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html") && f.path != "404.html")
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => std::str::from_utf8(b).ok().map(|s| (f.path.as_str(), s)),
            Contents::Copy(_) => None,
        })
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = html
        .par_iter()
        .map(|(p, text)| (*p, attr_values(text, &id_finder).collect()))
        .collect();

    let mut problems: Vec<Diagnostic> = html
        .par_iter()
        .flat_map_iter(|(page, text)| {
            let urls = attr_values(text, &href_finder).chain(attr_values(text, &src_finder));
            urls.filter_map(|url| check_link(page, url, &paths, &ids)).collect::<Vec<_>>()
        })
        .collect();
    problems.sort_by(|a, b| a.message.cmp(&b.message));
    problems.dedup_by(|a, b| a.message == b.message);
    problems
}

/// Checks one link of `page`; a problem when it is broken.
fn check_link(page: &str, url: &str, paths: &HashSet<&str>, ids: &HashMap<&str, HashSet<&str>>) -> Option<Diagnostic> {
    if url.is_empty() || url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") || url == "#" {
        return None;
    }
    let url = url.replace("&amp;", "&");
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url.as_str(), None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.starts_with('/') {
        // Markdown's `/path` links are made relative when rendered, so this comes from
        // a template or raw HTML; it would leave a site served under /repo/ or file://.
        return Some(
            Diagnostic::error("broken-link", format!("{page}: the link `{url}` starts with `/`, so it leads outside the site when it is served under a project path (https://user.github.io/repo/) or opened from a file"))
                .help("in a template, write {{ page.root }} before the site path (e.g. {{ page.root }}feed.xml); in Markdown, /path links are made relative for you"),
        );
    }
    let target = if path_part.is_empty() { Some(page.to_string()) } else { join(page, path_part) };
    let broken = match &target {
        None => Some("it leads outside the site".to_string()),
        Some(t) if !paths.contains(t.as_str()) => Some(format!("there is no {t}")),
        Some(t) => match fragment {
            Some(f) if !f.is_empty() && !f.starts_with(":~:") => match ids.get(t.as_str()) {
                Some(set) if set.contains(f) => None,
                Some(_) => Some(format!("{t} has no element with id `{f}`")),
                None => None, // not an HTML page of ours (e.g. a static file)
            },
            _ => None,
        },
    };
    broken.map(|why| {
        Diagnostic::error("broken-link", format!("{page}: the link `{url}` is broken: {why}"))
            .help("fix the link in the Markdown or template that makes it; site paths start with `/` (e.g. /sources/x/)")
    })
}

/// Resolves a relative URL against the page it stands on (`a/b/index.html` + `../c/` →
/// `a/c/index.html`); `None` when it climbs above the site root.
fn join(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if rel.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Bytes(html.as_bytes().to_vec()),
        }
    }

    #[test]
    fn joins_relative_links() {
        assert_eq!(
            join("a/b/index.html", "../../c/index.html").as_deref(),
            Some("c/index.html")
        );
        assert_eq!(
            join("index.html", "sources/").as_deref(),
            Some("sources/index.html")
        );
        assert_eq!(join("index.html", "../x"), None);
    }

    #[test]
    fn site_absolute_links_are_refused() {
        let files = vec![
            page("a/index.html", r#"<a href="/feed.xml">feed</a>"#),
            page("feed.xml", ""),
        ];
        let problems = check(&files);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("starts with `/`"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn finds_missing_pages_and_fragments() {
        let files = vec![
            page(
                "index.html",
                r#"<a href="a/index.html#x">ok</a> <a href="a/index.html#nope">bad</a> <a href="b/index.html">bad</a> <a href="https://e.org/">ext</a>"#,
            ),
            page(
                "a/index.html",
                r#"<p id="x"></p><a href="../index.html">up</a>"#,
            ),
        ];
        let problems = check(&files);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("no element with id `nope`"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("there is no b/index.html"))
        );
    }
}
