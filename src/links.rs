//! Checks every internal link and `#fragment` of the built site.
//!
//! Pages are recorded as they are rendered (in parallel, and then dropped, so a large site
//! is never held in memory whole); [`LinkIndex::check`] runs once every file is known. The
//! index keeps only 64-bit hashes of file paths and element ids, and the first use of each
//! distinct link target, which keeps it small for tens of thousands of pages.

use std::hash::{BuildHasher, Hasher};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::render::{Contents, OutFile, Sink};

/// A sink that records every file in a [`LinkIndex`] on its way to another sink.
pub struct Checked<'a> {
    inner: &'a dyn Sink,
    index: &'a LinkIndex,
}

impl<'a> Checked<'a> {
    /// Records into `index` what goes to `inner`.
    pub fn new(inner: &'a dyn Sink, index: &'a LinkIndex) -> Checked<'a> {
        Checked { inner, index }
    }
}

impl Sink for Checked<'_> {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        let bytes = match &file.contents {
            Contents::Bytes(b) => Some(b.as_slice()),
            Contents::Copy(_) => None,
        };
        self.index.record(&file.path, bytes);
        self.inner.put(file)
    }
}

/// What the links of a site point at, filled while it is rendered.
#[derive(Default)]
pub struct LinkIndex {
    inner: Mutex<Inner>,
    /// A fast hash: the inputs are our own pages, not an adversary's.
    hasher: FxBuildHasher,
}

#[derive(Default)]
struct Inner {
    /// Every file of the site.
    files: FxHashSet<u64>,
    /// The HTML pages (whose ids are known).
    pages: FxHashSet<u64>,
    /// `path#id` of every element id of every page.
    ids: FxHashSet<u64>,
    /// Each distinct link target (`path` or `path#fragment`): its first use, and how many.
    links: FxHashMap<u64, (LinkUse, usize)>,
    /// Links that are wrong wherever they lead (site-absolute, or above the root).
    problems: Vec<Diagnostic>,
}

struct LinkUse {
    page: String,
    url: String,
    target: String,
    fragment: Option<String>,
}

/// The values of an attribute (`href="…"`) in HTML we wrote: always double-quoted and
/// preceded by white space. A plain substring scan is several times faster than a regex over
/// the tens of megabytes a large briefing produces.
fn attr_values<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).filter_map(move |at| {
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            return None;
        }
        let start = at + name.len();
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        html.get(start..end)
    })
}

impl LinkIndex {
    /// A new, empty index.
    pub fn new() -> LinkIndex {
        LinkIndex::default()
    }

    fn hash(&self, parts: &[&str]) -> u64 {
        let mut h = self.hasher.build_hasher();
        for p in parts {
            h.write(p.as_bytes());
            h.write_u8(0xff);
        }
        h.finish()
    }

    /// Records a file of the site; for an HTML page (other than 404.html, whose links are
    /// absolute by design), also its element ids and its links.
    pub fn record(&self, path: &str, contents: Option<&[u8]>) {
        let file = self.hash(&[path]);
        let html = contents
            .filter(|_| path.ends_with(".html") && path != "404.html")
            .and_then(|b| std::str::from_utf8(b).ok());
        let Some(html) = html else {
            self.inner.lock().expect("link index").files.insert(file);
            return;
        };
        // Work on the page outside the lock; merge at the end.
        let own_ids: FxHashSet<&str> = attr_values(html, "id=\"").collect();
        let ids: Vec<u64> = own_ids.iter().map(|id| self.hash(&[path, id])).collect();
        // Links to other pages, by target: the first use and how many. Links within the page
        // (`#note-3`, most of a page's links) are checked here, against its own ids.
        let mut links: FxHashMap<u64, (&str, String, Option<String>, usize)> = FxHashMap::default();
        let mut problems = Vec::new();
        for url in attr_values(html, "href=\"").chain(attr_values(html, "src=\"")) {
            if let Some(f) = url.strip_prefix('#') {
                if !f.is_empty() && !f.starts_with(":~:") && !own_ids.contains(f) {
                    let why = format!("{path} has no element with id `{f}`");
                    problems.push(broken(path, url, &why, 1));
                }
                continue;
            }
            match resolve_link(path, url) {
                Target::External => {}
                Target::Problem(d) => problems.push(d),
                Target::Internal { target, fragment } => {
                    let key = match &fragment {
                        Some(f) => self.hash(&[&target, f]),
                        None => self.hash(&[&target]),
                    };
                    links
                        .entry(key)
                        .or_insert_with(|| (url, target, fragment, 0))
                        .3 += 1;
                }
            }
        }
        let mut inner = self.inner.lock().expect("link index");
        inner.files.insert(file);
        inner.pages.insert(file);
        inner.ids.extend(ids);
        for (key, (url, target, fragment, n)) in links {
            inner
                .links
                .entry(key)
                .or_insert_with(|| {
                    let first = LinkUse {
                        page: path.to_string(),
                        url: url.replace("&amp;", "&"),
                        target,
                        fragment,
                    };
                    (first, 0)
                })
                .1 += n;
        }
        inner.problems.extend(problems);
    }

    /// Every link that reaches no file, or no element of its page: one error per target.
    pub fn check(self) -> Vec<Diagnostic> {
        let inner = std::mem::take(&mut *self.inner.lock().expect("link index"));
        let mut problems = inner.problems;
        for (_, (link, uses)) in inner.links {
            let file = self.hash(&[&link.target]);
            let why = if !inner.files.contains(&file) {
                Some(format!("there is no {}", link.target))
            } else {
                match &link.fragment {
                    Some(f)
                        if inner.pages.contains(&file)
                            && !inner.ids.contains(&self.hash(&[&link.target, f])) =>
                    {
                        Some(format!("{} has no element with id `{f}`", link.target))
                    }
                    _ => None,
                }
            };
            if let Some(why) = why {
                problems.push(broken(&link.page, &link.url, &why, uses));
            }
        }
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        problems.dedup_by(|a, b| a.message == b.message);
        problems
    }
}

/// The error for a broken link: the page, the link as written, why, and how many uses.
fn broken(page: &str, url: &str, why: &str, uses: usize) -> Diagnostic {
    let more = if uses > 1 {
        format!(" (and {} more uses)", uses - 1)
    } else {
        String::new()
    };
    let url = url.replace("&amp;", "&");
    Diagnostic::error(
        "broken-link",
        format!("{page}: the link `{url}` is broken: {why}{more}"),
    )
    .help("fix the link in the Markdown or template that makes it; site paths start with `/` (e.g. /sources/x/)")
}

/// Where a link leads.
enum Target {
    /// Another site, a `mailto:`, or the page itself without a fragment.
    External,
    /// A file of the site (`a/index.html`) and maybe an element id.
    Internal {
        target: String,
        fragment: Option<String>,
    },
    /// Broken wherever the site is served.
    Problem(Diagnostic),
}

fn resolve_link(page: &str, url: &str) -> Target {
    if url.is_empty()
        || url.contains("://")
        || url.starts_with("//")
        || url.starts_with("mailto:")
        || url == "#"
    {
        return Target::External;
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
        return Target::Problem(
            Diagnostic::error("broken-link", format!("{page}: the link `{url}` starts with `/`, so it leads outside the site when it is served under a project path (https://user.github.io/repo/) or opened from a file"))
                .help("in a template, write {{ page.root }} before the site path (e.g. {{ page.root }}feed.xml); in Markdown, /path links are made relative for you"),
        );
    }
    let target = if path_part.is_empty() {
        Some(page.to_string())
    } else {
        join(page, path_part)
    };
    let Some(target) = target else {
        return Target::Problem(
            Diagnostic::error("broken-link", format!("{page}: the link `{url}` is broken: it leads outside the site"))
                .help("fix the link in the Markdown or template that makes it; site paths start with `/` (e.g. /sources/x/)"),
        );
    };
    let fragment = fragment
        .filter(|f| !f.is_empty() && !f.starts_with(":~:"))
        .map(str::to_string);
    Target::Internal { target, fragment }
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

    fn check(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let index = LinkIndex::new();
        for (path, html) in files {
            index.record(path, Some(html.as_bytes()));
        }
        index.check()
    }

    fn page<'a>(path: &'a str, html: &'a str) -> (&'a str, &'a str) {
        (path, html)
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
    fn links_within_a_page_are_checked_against_its_ids() {
        let files = vec![page(
            "a/index.html",
            r##"<p id="x"></p><a href="#x">ok</a> <a href="#nope">bad</a> <a href="#nope">again</a> <a href="#">top</a>"##,
        )];
        let problems = check(&files);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("a/index.html: the link `#nope` is broken: a/index.html has no element with id `nope`"),
            "{}",
            problems[0].message
        );
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
