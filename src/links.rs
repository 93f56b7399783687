//! Checks every internal link and `#fragment` of the built site before anything is written.

use std::collections::{HashMap, HashSet};

use regex::Regex;
use std::sync::OnceLock;

use crate::diagnostics::Diagnostic;
use crate::render::{Contents, OutFile};

/// Every link in the HTML files that points inside the site must reach a file, and its
/// fragment an element id of that file. Returns one error per broken link.
pub fn check(files: &[OutFile]) -> Vec<Diagnostic> {
    static ATTR: OnceLock<Regex> = OnceLock::new();
    static ID: OnceLock<Regex> = OnceLock::new();
    let attr = ATTR.get_or_init(|| Regex::new(r#"\s(?:href|src)="([^"]*)""#).expect("valid regex"));
    let id_re = ID.get_or_init(|| Regex::new(r#"\sid="([^"]*)""#).expect("valid regex"));

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
        .iter()
        .map(|(p, text)| {
            (
                *p,
                id_re
                    .captures_iter(text)
                    .filter_map(|c| c.get(1))
                    .map(|m| m.as_str())
                    .collect(),
            )
        })
        .collect();

    let mut problems = Vec::new();
    for (page, text) in &html {
        for cap in attr.captures_iter(text) {
            let Some(url) = cap.get(1).map(|m| m.as_str()) else {
                continue;
            };
            if url.is_empty()
                || url.contains("://")
                || url.starts_with("//")
                || url.starts_with("mailto:")
                || url == "#"
            {
                continue;
            }
            let url = url.replace("&amp;", "&");
            let (path_part, fragment) = match url.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("").to_string();
            let target = if path_part.is_empty() {
                Some(page.to_string())
            } else {
                join(page, &path_part)
            };
            let broken = match &target {
                None => Some("it leads outside the site".to_string()),
                Some(t) if !paths.contains(t.as_str()) => Some(format!("there is no {t}")),
                Some(t) => match &fragment {
                    Some(f) if !f.is_empty() && !f.starts_with(":~:") => {
                        match ids.get(t.as_str()) {
                            Some(set) if set.contains(f.as_str()) => None,
                            Some(_) => Some(format!("{t} has no element with id `{f}`")),
                            None => None, // not an HTML page of ours (e.g. a static file)
                        }
                    }
                    _ => None,
                },
            };
            if let Some(why) = broken {
                problems.push(
                    Diagnostic::error("broken-link", format!("{page}: the link `{url}` is broken: {why}"))
                        .help("fix the link in the Markdown or template that makes it; site paths start with `/` (e.g. /sources/x/)"),
                );
            }
        }
    }
    problems.sort_by(|a, b| a.message.cmp(&b.message));
    problems.dedup_by(|a, b| a.message == b.message);
    problems
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
