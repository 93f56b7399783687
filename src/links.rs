//! Checks every internal link and `#fragment` of the built site.
//!
//! Pages are recorded as they are rendered (in parallel, and then dropped, so a large site
//! is never held in memory whole); [`LinkIndex::check`] runs once every file is known. The
//! index keeps only 64-bit hashes of file paths and element ids, and the first use of each
//! distinct link target, which keeps it small for tens of thousands of pages.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::diagnostics::{Diagnostic, Location};
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

    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if !has_links(path) {
            self.index.record(path, None);
            return self.inner.put_pieces(path, make);
        }
        let mut page = PageLinks::new(self.index, path);
        self.inner.put_pieces(path, &mut |w| {
            let mut scanning = Scanning {
                w,
                page: &mut page,
                carry: Vec::new(),
            };
            make(&mut scanning)?;
            let rest = std::mem::take(&mut scanning.carry);
            scanning.page.scan_bytes(&rest);
            Ok(())
        })?;
        page.finish();
        Ok(())
    }
}

/// A page on its way to the sink in pieces, scanned as it passes. The scan goes up to the
/// last `>` of what came so far, so that no attribute is cut in two (our HTML escapes `>`
/// inside attribute values).
struct Scanning<'a, 'p> {
    w: &'a mut dyn Write,
    page: &'a mut PageLinks<'p>,
    /// What came since the last scan.
    carry: Vec<u8>,
}

impl Write for Scanning<'_, '_> {
    fn write(&mut self, piece: &[u8]) -> std::io::Result<usize> {
        self.w.write_all(piece)?;
        // What ends at the piece's last `>` is scanned now; only the rest is kept, so that a
        // piece of many megabytes is not copied.
        match memchr::memrchr(b'>', piece) {
            Some(end) if self.carry.len() + end >= 64 * 1024 => {
                let (done, rest) = piece.split_at(end + 1);
                if self.carry.is_empty() {
                    self.page.scan_bytes(done);
                } else {
                    // Up to the first `>` completes what was carried.
                    let first = memchr::memchr(b'>', done).unwrap_or(end);
                    self.carry.extend_from_slice(&done[..=first]);
                    self.page.scan_bytes(&self.carry);
                    self.carry.clear();
                    self.page.scan_bytes(&done[first + 1..]);
                }
                self.carry.extend_from_slice(rest);
            }
            _ => self.carry.extend_from_slice(piece),
        }
        Ok(piece.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
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
    /// Links within a page to an id it does not have: the page, the link, why, how many.
    broken_within: Vec<(Arc<str>, String, String, usize)>,
    /// The paths of the HTML pages, for the "did you mean" of a link to a missing one.
    page_paths: Vec<Box<str>>,
}

/// A broken link found by [`LinkIndex::check`]: its page, the link as written, why it is
/// broken, how many uses, and the missing file it leads to, if that is why.
type BrokenLink = (Arc<str>, String, String, usize, Option<String>);

/// A broken link to look for in the user's files (see [`LinkIndex::check`]).
pub struct Wanted {
    /// The page it was found on.
    pub page: Arc<str>,
    /// The ways it may be written there.
    pub spellings: Vec<String>,
}

/// The first use of a link target. A large site has a hundred thousand targets or more, so
/// only what finds the target is kept; the words of an error are worked out again from the
/// page and the link for the few that are broken.
struct LinkUse {
    /// The page it is on, shared by all the targets first seen there.
    page: Arc<str>,
    /// The link as written.
    url: Box<str>,
    /// The hash of the file it leads to, and of `file#fragment` when it has one.
    file: u64,
    id: Option<u64>,
}

/// An attribute whose values [`attributes`] finds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Id,
    Href,
    Src,
}

/// The `id`, `href` and `src` attributes (`href="…"`) of HTML we wrote, with their values:
/// always double-quoted and preceded by white space. A plain substring scan is several times
/// faster than a regex over the tens of megabytes a large briefing produces; one scan for
/// `="`, looking back at the name, reads the page once where a scan for each name would read
/// it three times.
fn attributes(html: &str) -> impl Iterator<Item = (Attr, &str)> + '_ {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'=', bytes).filter_map(move |eq| {
        if bytes.get(eq + 1) != Some(&b'"') {
            return None;
        }
        let before = &bytes[..eq];
        let (attr, name) = if before.ends_with(b"href") {
            (Attr::Href, 4)
        } else if before.ends_with(b"id") {
            (Attr::Id, 2)
        } else if before.ends_with(b"src") {
            (Attr::Src, 3)
        } else {
            return None;
        };
        let at = eq - name;
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            return None;
        }
        let start = eq + 2;
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        html.get(start..end).map(|value| (attr, value))
    })
}

/// Whether the file at `path` is a page whose ids and links are recorded: an HTML page
/// other than 404.html, whose links are absolute by design.
fn has_links(path: &str) -> bool {
    path.ends_with(".html") && path != "404.html"
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
        match contents.filter(|_| has_links(path)) {
            Some(html) => {
                let mut page = PageLinks::new(self, path);
                page.scan_bytes(html);
                page.finish();
            }
            None => {
                let file = self.hash(&[path]);
                self.inner.lock().expect("link index").files.insert(file);
            }
        }
    }

    /// Every link that reaches no file, or no element of its page: one error per target.
    ///
    /// `locate` is asked, once for all of them, where the broken links are written in the
    /// user's files: it gets each link's page and the ways its target can be spelt there
    /// (`/sources/x/`, `/sources/x`, …), and answers with a place (or none) for each; an
    /// error then points at that place rather than only at the page it was found on. (A
    /// broken link in a template is on every page: asking for each alone read every file of
    /// the briefing once per page.)
    pub fn check(self, locate: &dyn Fn(&[Wanted]) -> Vec<Option<Location>>) -> Vec<Diagnostic> {
        let inner = std::mem::take(&mut *self.inner.lock().expect("link index"));
        let mut problems = inner.problems;
        // The broken links, each with its page, the link, why and how many uses, and whether
        // it leads to a missing file (and which).
        let mut broken_links: Vec<BrokenLink> = Vec::new();
        let mut wanted = Vec::new();
        for (page, url, why, uses) in inner.broken_within {
            wanted.push(Wanted {
                page: page.clone(),
                spellings: vec![url.clone()],
            });
            broken_links.push((page, url, why, uses, None));
        }
        for (_, (link, uses)) in inner.links {
            let missing = !inner.files.contains(&link.file);
            let no_id = link
                .id
                .is_some_and(|id| inner.pages.contains(&link.file) && !inner.ids.contains(&id));
            if !(missing || no_id) {
                continue;
            }
            let url = unescape(&link.url);
            let mut target = String::new();
            let Lead::Internal { fragment } = lead(&link.page, &url, &mut target) else {
                continue;
            };
            let why = match fragment {
                Some(f) if !missing => format!("{target} has no element with id `{f}`"),
                _ => format!("there is no {target}"),
            };
            wanted.push(Wanted {
                page: link.page.clone(),
                spellings: spellings(&target, fragment, &url),
            });
            let missing_file = missing.then_some(target);
            broken_links.push((link.page, link.url.into(), why, uses, missing_file));
        }
        let places = if wanted.is_empty() {
            Vec::new()
        } else {
            locate(&wanted)
        };
        // Links to a missing file, with the file, for a "did you mean".
        let mut missing_files = Vec::new();
        for (k, (page, url, why, uses, missing_file)) in broken_links.into_iter().enumerate() {
            let problem = match places.get(k).cloned().flatten() {
                Some(at) => broken_at(at, &page, &why, uses),
                None => broken(&page, &url, &why, uses),
            };
            match missing_file {
                Some(target) => missing_files.push((problem, target)),
                None => problems.push(problem),
            }
        }
        // The "did you mean" compares the file with every page: for the first few only (in
        // the order they are told), as a renamed collection can break thousands of links.
        missing_files.sort_by(|a, b| a.0.message.cmp(&b.0.message));
        // Compared as site paths: a shared `index.html` would make any two alike.
        fn folder(p: &str) -> &str {
            p.strip_suffix("index.html").unwrap_or(p)
        }
        for (k, (mut problem, target)) in missing_files.into_iter().enumerate() {
            let pages = inner.page_paths.iter().map(|p| folder(p));
            if k < 50
                && let Some(path) = crate::diagnostics::closest_name(folder(&target), pages)
            {
                problem = problem.help(format!("did you mean /{path}?"));
            }
            problems.push(problem);
        }
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        problems.dedup_by(|a, b| a.message == b.message);
        problems
    }
}

/// The ids and links of one page, gathered as its HTML comes (whole, or in pieces) and
/// merged into the index at the end.
struct PageLinks<'a> {
    index: &'a LinkIndex,
    path: &'a str,
    /// `path#id` of each element id.
    ids: FxHashSet<u64>,
    /// Links within the page (`#note-3`, most of a page's links), by `path#fragment`: the
    /// first as written and how many. They are checked against the page's own ids once all
    /// of it has come, as a mark comes before the note it leads to.
    local: FxHashMap<u64, (String, usize)>,
    /// Links to other files, by target: the link as written, the hashes that find it, and
    /// how many.
    links: FxHashMap<u64, (String, u64, Option<u64>, usize)>,
    /// The key in `links` of each link as written (hashed), or 0 for one to another site.
    written: FxHashMap<u64, u64>,
    problems: Vec<Diagnostic>,
    /// False once a piece was not UTF-8: the file is then recorded as a file only.
    text: bool,
    /// Room to resolve links in.
    target: String,
}

impl<'a> PageLinks<'a> {
    fn new(index: &'a LinkIndex, path: &'a str) -> PageLinks<'a> {
        PageLinks {
            index,
            path,
            ids: FxHashSet::default(),
            local: FxHashMap::default(),
            links: FxHashMap::default(),
            written: FxHashMap::default(),
            problems: Vec::new(),
            text: true,
            target: String::new(),
        }
    }

    /// Scans a stretch of the page that cuts no attribute in two.
    fn scan_bytes(&mut self, html: &[u8]) {
        match std::str::from_utf8(html) {
            Ok(html) if self.text => self.scan(html),
            _ => self.text = false,
        }
    }

    fn scan(&mut self, html: &str) {
        let (index, path) = (self.index, self.path);
        // `path#id` hashes start from the page's path, hashed once.
        let mut on_page = index.hasher.build_hasher();
        on_page.write(path.as_bytes());
        on_page.write_u8(0xff);
        let here = |id: &str| {
            let mut h = on_page.clone();
            h.write(id.as_bytes());
            h.write_u8(0xff);
            h.finish()
        };
        // The `src` links are taken after the `href` ones, as they were when each had a scan
        // of its own: of two ways to write a link to one target, the first met is the one an
        // error quotes.
        let (mut hrefs, mut srcs) = (Vec::new(), Vec::new());
        for (attr, value) in attributes(html) {
            match attr {
                Attr::Id => {
                    self.ids.insert(here(value));
                }
                Attr::Href => hrefs.push(value),
                Attr::Src => srcs.push(value),
            }
        }
        for url in hrefs.into_iter().chain(srcs) {
            if let Some(f) = url.strip_prefix('#') {
                if !f.is_empty() && !f.starts_with(":~:") {
                    self.local
                        .entry(here(f))
                        .or_insert_with(|| (url.to_string(), 0))
                        .1 += 1;
                }
                continue;
            }
            // A page links to the same place many times (an item it mentions, the site's
            // navigation): each link as written is resolved once.
            let written = index.hash(&[url]);
            if let Some(key) = self.written.get(&written) {
                if let Some(link) = self.links.get_mut(key) {
                    link.3 += 1;
                }
                continue;
            }
            let unescaped = unescape(url);
            match lead(path, &unescaped, &mut self.target) {
                Lead::External => {
                    self.written.insert(written, 0);
                }
                Lead::Internal { fragment } => {
                    // `target` and `target#fragment` hashed as `LinkIndex::hash` does, the
                    // target once.
                    let mut h = index.hasher.build_hasher();
                    h.write(self.target.as_bytes());
                    h.write_u8(0xff);
                    let file = h.finish();
                    let id = fragment.map(|f| {
                        h.write(f.as_bytes());
                        h.write_u8(0xff);
                        h.finish()
                    });
                    let key = id.unwrap_or(file);
                    self.written.insert(written, key);
                    self.links
                        .entry(key)
                        .or_insert_with(|| (url.to_string(), file, id, 0))
                        .3 += 1;
                }
                wrong => self
                    .problems
                    .push(wrong_everywhere(path, &unescaped, wrong)),
            }
        }
    }

    /// Checks the links within the page and merges the rest into the index.
    fn finish(self) {
        let (index, path) = (self.index, self.path);
        let file = index.hash(&[path]);
        let mut inner = index.inner.lock().expect("link index");
        inner.files.insert(file);
        if !self.text {
            return;
        }
        inner.pages.insert(file);
        inner.page_paths.push(path.into());
        for (id, (url, uses)) in self.local {
            if !self.ids.contains(&id) {
                let why = format!("{path} has no element with id `{}`", &url[1..]);
                inner.broken_within.push((Arc::from(path), url, why, uses));
            }
        }
        inner.ids.extend(self.ids);
        let mut page: Option<Arc<str>> = None;
        for (key, (url, file, id, n)) in self.links {
            inner
                .links
                .entry(key)
                .or_insert_with(|| {
                    let page = page.get_or_insert_with(|| Arc::from(path)).clone();
                    let first = LinkUse {
                        page,
                        url: url.into_boxed_str(),
                        file,
                        id,
                    };
                    (first, 0)
                })
                .1 += n;
        }
        inner.problems.extend(self.problems);
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

/// A broken link found where it is written: the place, the page it was found on, why, and
/// how many uses.
fn broken_at(at: Location, page: &str, why: &str, uses: usize) -> Diagnostic {
    let written = at
        .text
        .as_deref()
        .and_then(|t| t.get(at.span.clone()))
        .unwrap_or_default()
        .to_string();
    let more = if uses > 1 {
        format!(", and {} more uses", uses - 1)
    } else {
        String::new()
    };
    Diagnostic::error(
        "broken-link",
        format!("the link `{written}` is broken: {why} (on {page}{more})"),
    )
    .at(at)
    .help("link to a page of the site by its path, e.g. /sources/x/, /people/y/#claim-1 or /timeline/")
}

/// The ways a link to `target` (a file of the site, e.g. `sources/x/index.html`) with
/// `fragment` may be written in the user's Markdown: as a site path with or without
/// `index.html` and the last `/`, or as `url`, the link as it stands in the page (a
/// relative link is not rewritten).
fn spellings(target: &str, fragment: Option<&str>, url: &str) -> Vec<String> {
    let folder = target.strip_suffix("index.html");
    let mut paths = vec![format!("/{target}")];
    if let Some(folder) = folder.filter(|f| !f.is_empty()) {
        paths.push(format!("/{folder}"));
        paths.push(format!("/{}", folder.trim_end_matches('/')));
    }
    let mut out: Vec<String> = match fragment {
        Some(f) => paths.into_iter().map(|p| format!("{p}#{f}")).collect(),
        None => paths,
    };
    out.push(url.to_string());
    out
}

/// A link as the browser reads it: `&amp;` is `&`.
fn unescape(url: &str) -> Cow<'_, str> {
    match memchr::memchr(b'&', url.as_bytes()) {
        Some(_) => Cow::Owned(url.replace("&amp;", "&")),
        None => Cow::Borrowed(url),
    }
}

/// Where a link leads (see [`lead`]).
enum Lead<'u> {
    /// Another site, a `mailto:`, or the page itself without a fragment.
    External,
    /// The file written into `target`, and maybe an element id.
    Internal { fragment: Option<&'u str> },
    /// A site path (`/x/`).
    SitePath,
    /// Above the site root.
    Outside,
}

/// Where `url` (unescaped) on `page` leads; an internal target is written into `target`.
fn lead<'u>(page: &str, url: &'u str, target: &mut String) -> Lead<'u> {
    let bytes = url.as_bytes();
    if url.is_empty()
        || url == "#"
        || url.starts_with("//")
        || url.starts_with("mailto:")
        // Most links have no `:` at all.
        || (memchr::memchr(b':', bytes).is_some() && url.contains("://"))
    {
        return Lead::External;
    }
    // The path ends at the first `?` or `#`; the fragment starts after the first `#`.
    let end = memchr::memchr2(b'?', b'#', bytes).unwrap_or(bytes.len());
    let fragment = match bytes.get(end) {
        Some(b'#') => Some(end),
        Some(_) => memchr::memchr(b'#', &bytes[end..]).map(|at| end + at),
        None => None,
    }
    .map(|at| &url[at + 1..]);
    let path = &url[..end];
    if path.starts_with('/') {
        return Lead::SitePath;
    }
    if path.is_empty() {
        target.clear();
        target.push_str(page);
    } else if !join_into(page, path, target) {
        return Lead::Outside;
    }
    let fragment = fragment.filter(|f| !f.is_empty() && !f.starts_with(":~:"));
    Lead::Internal { fragment }
}

/// The error for a link that is wrong wherever it leads (a [`Lead::SitePath`] or
/// [`Lead::Outside`]).
fn wrong_everywhere(page: &str, url: &str, lead: Lead) -> Diagnostic {
    match lead {
        // Markdown's `/path` links are made relative when rendered, so this comes from
        // a template or raw HTML; it would leave a site served under /repo/ or file://.
        Lead::SitePath => Diagnostic::error("broken-link", format!("{page}: the link `{url}` starts with `/`, so it leads outside the site when it is served under a project path (https://user.github.io/repo/) or opened from a file"))
            .help("in a template, write {{ page.root }} before the site path (e.g. {{ page.root }}feed.xml); in Markdown, /path links are made relative for you"),
        _ => Diagnostic::error("broken-link", format!("{page}: the link `{url}` is broken: it leads outside the site"))
            .help("fix the link in the Markdown or template that makes it; site paths start with `/` (e.g. /sources/x/)"),
    }
}

/// Resolves a relative URL against the page it stands on (`a/b/index.html` + `../c/` →
/// `a/c/index.html`); `None` when it climbs above the site root.
#[cfg(test)]
fn join(page: &str, rel: &str) -> Option<String> {
    let mut path = String::new();
    join_into(page, rel, &mut path).then_some(path)
}

/// [`join`] into `path` (cleared first); false when it climbs above the site root. The
/// paths are short: a plain loop over their bytes beats `memchr` and `split`.
fn join_into(page: &str, rel: &str, path: &mut String) -> bool {
    let last_slash = |s: &str| s.bytes().rposition(|b| b == b'/').unwrap_or(0);
    path.clear();
    // The page's folder, without its own file name.
    path.push_str(&page[..last_slash(page)]);
    let mut rest = rel;
    loop {
        let (seg, more) = match rest.bytes().position(|b| b == b'/') {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        match seg {
            "" | "." => {}
            ".." => {
                if path.is_empty() {
                    return false;
                }
                path.truncate(last_slash(path));
            }
            s => {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(s);
            }
        }
        match more {
            Some(more) => rest = more,
            None => break,
        }
    }
    if rel.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let index = LinkIndex::new();
        for (path, html) in files {
            index.record(path, Some(html.as_bytes()));
        }
        index.check(&|w| vec![None; w.len()])
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

    /// A sink that keeps nothing.
    struct Nowhere;

    impl Sink for Nowhere {
        fn put(&self, _file: OutFile) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_page_in_pieces_is_checked_as_a_whole_page_is() {
        // The mark comes before the note it leads to, and the page's ids and links cross the
        // pieces' ends.
        let page = format!(
            r##"<p><a href="#note-1" id="mark-1">1</a> <a href="#note-9">9</a> <a href="../b/#x">b</a> <a href="../c/">c</a>{}</p><ol><li id="note-1">one</li></ol>"##,
            " <a href=\"../b/#x\">again</a> <a href=\"#gone\">gone</a>".repeat(3000)
        );
        let others = [("b/index.html", r#"<p id="x"></p>"#)];
        let whole = {
            let index = LinkIndex::new();
            for (path, html) in others {
                index.record(path, Some(html.as_bytes()));
            }
            index.record("a/index.html", Some(page.as_bytes()));
            index.check(&|w| vec![None; w.len()])
        };
        let messages = |d: &[Diagnostic]| d.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
        assert_eq!(whole.len(), 3, "{:?}", messages(&whole));
        for piece in [1, 13, 4096, 70_000, page.len()] {
            let index = LinkIndex::new();
            let checked = Checked::new(&Nowhere, &index);
            for (path, html) in others {
                checked
                    .put_pieces(path, &mut |w| w.write_all(html.as_bytes()))
                    .unwrap();
            }
            checked
                .put_pieces("a/index.html", &mut |w| {
                    for p in page.as_bytes().chunks(piece) {
                        w.write_all(p)?;
                    }
                    Ok(())
                })
                .unwrap();
            assert_eq!(
                messages(&index.check(&|w| vec![None; w.len()])),
                messages(&whole),
                "pieces of {piece}"
            );
        }
    }

    #[test]
    fn only_id_href_and_src_attributes_count_and_an_href_is_quoted_before_a_src() {
        let files = vec![
            page(
                "a/index.html",
                r##"<img src="../b/#y"><a href="../b/index.html#y">1</a> <p data-id="x" title="a id=">t</p><a data-href="../gone/" href="#x">x</a>"##,
            ),
            page("b/index.html", ""),
        ];
        let problems = check(&files);
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a/index.html: the link `#x` is broken: a/index.html has no element with id `x`",
                "a/index.html: the link `../b/index.html#y` is broken: b/index.html has no element with id `y` (and 1 more uses)",
            ]
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
