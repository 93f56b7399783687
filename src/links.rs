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

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::output::{Contents, OutFile, Sink};

mod tags;

use tags::{Attr, Tags};

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
                next_read: CARRY,
            };
            make(&mut scanning)?;
            let rest = std::mem::take(&mut scanning.carry);
            scanning.page.read(&rest, true);
            Ok(())
        })?;
        page.finish();
        Ok(())
    }
}

/// How much of a page in pieces is gathered before it is read (see [`Scanning`]).
const CARRY: usize = 64 * 1024;

/// A page on its way to the sink in pieces, read as it passes. A piece that comes when
/// nothing waits is read at once; what it ends with that cannot be read yet (a tag cut in
/// two) waits with what follows until there is [`CARRY`] of it, or twice what was left
/// unread the last time, so that no byte is read more than a few times however long an
/// unfinished tag is, and a piece of many megabytes is not copied.
struct Scanning<'a, 'p> {
    w: &'a mut dyn Write,
    page: &'a mut PageLinks<'p>,
    /// What came and was not read yet.
    carry: Vec<u8>,
    /// How long `carry` grows before it is read.
    next_read: usize,
}

impl Write for Scanning<'_, '_> {
    fn write(&mut self, piece: &[u8]) -> std::io::Result<usize> {
        self.w.write_all(piece)?;
        if self.carry.is_empty() {
            let read = self.page.read(piece, false);
            self.carry.extend_from_slice(&piece[read..]);
        } else {
            self.carry.extend_from_slice(piece);
            if self.carry.len() >= self.next_read {
                let read = self.page.read(&self.carry, false);
                self.carry.drain(..read);
                self.next_read = CARRY.max(2 * self.carry.len());
            }
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
                page.read(html, true);
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
            let url: &str = &link.url;
            let mut target = String::new();
            let Lead::Internal { fragment } = lead(&link.page, url, &mut target) else {
                continue;
            };
            let why = match &fragment {
                Some(f) if !missing => format!("{target} has no element with id `{f}`"),
                _ => format!("there is no {target}"),
            };
            let mut written = spellings(&target, fragment.as_deref(), url);
            // A Markdown link may be written percent-encoded (`/files/f%C3%B6.txt`).
            if let Some(raw) = undecoded_target(&link.page, url).filter(|raw| *raw != target) {
                written.extend(spellings(&raw, fragment.as_deref(), url));
            }
            wanted.push(Wanted {
                page: link.page.clone(),
                spellings: written,
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
    /// Where the reading of the page's tags stands.
    tags: Tags,
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
            tags: Tags::default(),
        }
    }

    /// Reads a stretch of the page on from where the last one ended (see [`Tags::read`];
    /// `last` for the end of the page), and returns how many of its bytes were read: the
    /// rest is to come again with what follows. A stretch may cut a character in two.
    fn read(&mut self, html: &[u8], last: bool) -> usize {
        if !self.text {
            return html.len();
        }
        let text = match std::str::from_utf8(html) {
            Ok(text) => text,
            // A character cut by the end of the stretch waits for its other bytes.
            Err(e) if e.error_len().is_none() && !last => {
                std::str::from_utf8(&html[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(_) => {
                self.text = false;
                return html.len();
            }
        };
        self.scan(text, last)
    }

    /// [`PageLinks::read`] of a stretch that is text.
    fn scan(&mut self, html: &str, last: bool) -> usize {
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
        let ids = &mut self.ids;
        let read = self.tags.read(html, last, &mut |attr, value| match attr {
            Attr::Id => {
                ids.insert(here(&value));
            }
            Attr::Href => hrefs.push(value),
            Attr::Src => srcs.push(value),
        });
        for url in hrefs.iter().chain(&srcs) {
            let url: &str = url;
            if let Some(f) = url.strip_prefix('#') {
                if !f.is_empty() && !f.starts_with(":~:") {
                    self.local
                        .entry(here(&decode(f)))
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
            match lead(path, url, &mut self.target) {
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
                wrong => self.problems.push(wrong_everywhere(path, url, wrong)),
            }
        }
        read
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
                let why = format!("{path} has no element with id `{}`", decode(&url[1..]));
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
    Diagnostic::error(
        Code::BrokenLink,
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
        Code::BrokenLink,
        format!("the link `{written}` is broken: {why} (on {page}{more})"),
    )
    .at(at)
    .help("link to a page of the site by its path, e.g. /sources/x/, /people/y/#claim-led-the-talks-3f2a9c or /timeline/")
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

/// Where a link leads (see [`lead`]).
enum Lead<'u> {
    /// Another site or scheme (`https:`, `mailto:`, `tel:`, `//host/`), or the page itself
    /// without a fragment.
    External,
    /// The file written into `target`, and maybe an element id (percent-decoded).
    Internal { fragment: Option<Cow<'u, str>> },
    /// A site path (`/x/`).
    SitePath,
    /// Above the site root.
    Outside,
    /// A URL that runs a script (`javascript:`; see [`crate::markdown::SCRIPT_SCHEMES`]).
    Script,
}

/// Where `url` (an attribute's value, its character references decoded) on `page` leads,
/// read as a browser reads it (the URL standard, with the page's http(s) or file URL as its
/// base); an internal target is written into `target`, percent-decoded, as the file a
/// browser asks for.
fn lead<'u>(page: &str, url: &'u str, target: &mut String) -> Lead<'u> {
    let url = browser_form(url);
    if url.is_empty() || &*url == "#" || url.starts_with("//") {
        return Lead::External;
    }
    if let Some(scheme) = scheme(&url) {
        let script = crate::markdown::SCRIPT_SCHEMES
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s));
        return if script { Lead::Script } else { Lead::External };
    }
    let bytes = url.as_bytes();
    // The path ends at the first `?` or `#`; the fragment starts after the first `#`.
    let end = memchr::memchr2(b'?', b'#', bytes).unwrap_or(bytes.len());
    let fragment_at = match bytes.get(end) {
        Some(b'#') => Some(end),
        Some(_) => memchr::memchr(b'#', &bytes[end..]).map(|at| end + at),
        None => None,
    };
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
    let fragment = fragment_at
        .map(|at| at + 1..url.len())
        .filter(|r| !r.is_empty() && !url[r.clone()].starts_with(":~:"))
        .map(|r| match &url {
            Cow::Borrowed(u) => decode(&u[r]),
            Cow::Owned(u) => Cow::Owned(decode(&u[r]).into_owned()),
        });
    Lead::Internal { fragment }
}

/// The file an internal link leads to as [`lead`] finds it, but not percent-decoded: the
/// site path as a Markdown link may spell it. `None` when it has nothing to decode.
fn undecoded_target(page: &str, url: &str) -> Option<String> {
    let url = browser_form(url);
    let path = &url[..memchr::memchr2(b'?', b'#', url.as_bytes()).unwrap_or(url.len())];
    if path.is_empty() || !path.contains('%') {
        return None;
    }
    let mut target = String::new();
    join_segments(page, path, &mut target, |seg| Cow::Borrowed(seg)).then_some(target)
}

/// `url` as a browser reads it before it resolves it: without the spaces and control
/// characters at either end, without tabs and line breaks anywhere (`java&#9;script:` is
/// `javascript:`), and with each `\` a `/`, as in every http(s) and file URL.
fn browser_form(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if !trimmed.contains(['\t', '\n', '\r', '\\']) {
        return Cow::Borrowed(trimmed);
    }
    Cow::Owned(
        trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect(),
    )
}

/// The scheme of `url` (`https`, `mailto`, `tel`, `urn`), if it starts with one: as RFC 3986
/// writes it, `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`. A relative link to a file
/// whose name holds a `:` (`a:b.txt`) therefore starts `./`, or writes the colon `%3A`.
fn scheme(url: &str) -> Option<&str> {
    let colon = memchr::memchr(b':', url.as_bytes())?;
    let scheme = &url[..colon];
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    (first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then_some(scheme)
}

/// A piece of a URL percent-decoded, as the server (or the file system, for `file://`)
/// reads it; bytes that are not UTF-8 become U+FFFD.
fn decode(piece: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(piece).decode_utf8_lossy()
}

/// The error for a link that is wrong wherever it leads (a [`Lead::SitePath`] or
/// [`Lead::Outside`]).
fn wrong_everywhere(page: &str, url: &str, lead: Lead) -> Diagnostic {
    match lead {
        // Markdown's `/path` links are made relative when rendered, so this comes from
        // a template or raw HTML; it would leave a site served under /repo/ or file://.
        Lead::SitePath => Diagnostic::error(Code::BrokenLink, format!("{page}: the link `{url}` starts with `/`, so it leads outside the site when it is served under a project path (https://user.github.io/repo/) or opened from a file"))
            .help("in a template, write {{ page.root }} before the site path (e.g. {{ page.root }}feed.xml); in Markdown, /path links are made relative for you"),
        Lead::Script => Diagnostic::error(Code::BrokenLink, format!("{page}: the link `{url}` would run a script: `javascript:`, `vbscript:` and `data:` links are refused"))
            .help("link to a page of the site or to a web address; a Markdown link to such a URL is made `#` for you, so this one is in raw HTML or a template"),
        _ => Diagnostic::error(Code::BrokenLink, format!("{page}: the link `{url}` is broken: it leads outside the site"))
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

/// [`join`] into `path` (cleared first); false when it climbs above the site root. Each
/// segment is percent-decoded, as the file it names is asked for (`f%C3%B6.txt` is
/// `fö.txt`, and `%2e%2e` is `..`, as browsers read it). The paths are short: a plain loop
/// over their bytes beats `memchr` and `split`.
fn join_into(page: &str, rel: &str, path: &mut String) -> bool {
    join_segments(page, rel, path, decode)
}

/// [`join_into`], each segment read by `decode`.
fn join_segments(
    page: &str,
    rel: &str,
    path: &mut String,
    decode: impl Fn(&str) -> Cow<'_, str>,
) -> bool {
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
        let decoded = decode(seg);
        match &*decoded {
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
                // A `%2F` is no folder's end, and no file's name holds it: left as written,
                // the segment names no file of the site.
                path.push_str(if s.contains('/') { seg } else { s });
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

    fn messages(problems: &[Diagnostic]) -> Vec<&str> {
        problems.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn text_that_reads_like_an_attribute_is_text() {
        // As pulldown-cmark writes a sentence and a code span (`"` is not escaped in text),
        // and an attribute value that quotes one: none is a link or an id.
        let files = vec![page(
            "a/index.html",
            r##"<p>Write href="/x/" or <code>&lt;a href="/y/"&gt;</code>; id="findings" is text.</p><p title='id="t" href="/z/"'><a href="#findings">see</a> <a href="#t">t</a></p><!-- <a href="/c/"> --><script>let s = '<a href="/s/">';</script>"##,
        )];
        assert_eq!(
            messages(&check(&files)),
            [
                "a/index.html: the link `#findings` is broken: a/index.html has no element with id `findings`",
                "a/index.html: the link `#t` is broken: a/index.html has no element with id `t`",
            ]
        );
    }

    #[test]
    fn every_scheme_is_another_site_and_script_urls_are_refused() {
        let links: String = [
            "tel:+15551234",
            "MAILTO:A@B.ORG",
            "mailto:a@b.org",
            "urn:isbn:0451450523",
            "xmpp:desk@example.org",
            "sms:+15551234",
            "a+b-c.d:x",
            "HTTPS://E.ORG/",
            "//cdn.example.org/x.js",
            "data:image/png;base64,AAAA",
            " JavaScript:alert(1)",
            "java&#9;script:alert(1)",
            "vbscript:x",
        ]
        .iter()
        .map(|u| format!("<a href=\"{u}\">x</a>"))
        .collect();
        let problems = check(&[page("a/index.html", &links)]);
        let mut refused: Vec<&str> = messages(&problems);
        refused.sort();
        assert_eq!(refused.len(), 4, "{refused:?}");
        for (m, url) in refused.iter().zip([
            " JavaScript:alert(1)",
            "data:image/png;base64,AAAA",
            "java\tscript:alert(1)",
            "vbscript:x",
        ]) {
            assert_eq!(
                *m,
                format!(
                    "a/index.html: the link `{url}` would run a script: `javascript:`, `vbscript:` and `data:` links are refused"
                )
            );
        }
    }

    #[test]
    fn links_are_percent_decoded_into_the_file_they_ask_for() {
        let files = vec![
            page(
                "a/index.html",
                r#"<a href="../files/f%C3%B6.txt">1</a><a href="../files/my%20map.txt">2</a><a href="../files/it&#x27;s.txt">3</a><a href="..%2F%2e%2e/files/x">4</a><a href="../files/a%3Ab.txt">5</a><a href="../files\c%5Cd.txt">6</a><a href="../b/#f%C3%B6">7</a>"#,
            ),
            page("b/index.html", r#"<p id="fö"></p>"#),
            page("files/fö.txt", ""),
            page("files/my map.txt", ""),
            page("files/it's.txt", ""),
            page("files/a:b.txt", ""),
            page("files/c\\d.txt", ""),
            // A file named as the link is written is not the file it asks for.
            page("files/f%C3%B6.txt", ""),
        ];
        assert_eq!(
            messages(&check(&files)),
            [
                "a/index.html: the link `..%2F%2e%2e/files/x` is broken: there is no a/..%2F%2e%2e/files/x"
            ]
        );
        let problems = check(&[
            page("a/index.html", r#"<a href="../f%C3%B6.txt">x</a>"#),
            page("f%C3%B6.txt", ""),
        ]);
        assert_eq!(
            messages(&problems),
            ["a/index.html: the link `../f%C3%B6.txt` is broken: there is no fö.txt"]
        );
        // `%2e%2e` is `..` to a browser, and above the root is outside.
        let problems = check(&[page("a/index.html", r#"<a href="%2e%2e/%2E%2E/x">x</a>"#)]);
        assert_eq!(
            messages(&problems),
            ["a/index.html: the link `%2e%2e/%2E%2E/x` is broken: it leads outside the site"]
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
