//! The layout every site shares: brief's own pages ([`FixedPage`]) and files
//! ([`SiteFile`]) at fixed paths, the folder scheme of the briefing's own pages, the names
//! these leave no room for ([`is_reserved`]), and who reads each file ([`read_by`]). It
//! needs nothing of a briefing, so load and resolve check names against it.

/// The pages brief makes at fixed folders, besides the front page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedPage {
    /// Every source, with its outlet and date.
    Sources,
    /// The dated events and claims, by year.
    Timeline,
    /// The search form (reads [`SiteFile::SearchIndex`]).
    Search,
    /// The whole briefing on one page; past [`PRINT_PART_ITEMS`] items, the briefing but its
    /// items and timeline, with the parts its items are printed in ([`print_part_dir`]).
    Print,
    /// What changed since `brief build --since`'s baseline; made only with `--since`
    /// ([`FixedPage::needs_since`]), its name reserved always.
    Changes,
    /// The network of the actors, drawn and in words.
    Network,
}

impl FixedPage {
    /// Every fixed page, in the order they are made.
    pub const ALL: [FixedPage; 6] = [
        FixedPage::Sources,
        FixedPage::Timeline,
        FixedPage::Search,
        FixedPage::Print,
        FixedPage::Changes,
        FixedPage::Network,
    ];

    /// The page's folder (`sources/`).
    pub fn dir(self) -> &'static str {
        match self {
            FixedPage::Sources => "sources/",
            FixedPage::Timeline => "timeline/",
            FixedPage::Search => "search/",
            FixedPage::Print => "print/",
            FixedPage::Changes => "changes/",
            FixedPage::Network => "network/",
        }
    }

    /// The page's file (`sources/index.html`).
    pub fn file(self) -> &'static str {
        match self {
            FixedPage::Sources => "sources/index.html",
            FixedPage::Timeline => "timeline/index.html",
            FixedPage::Search => "search/index.html",
            FixedPage::Print => "print/index.html",
            FixedPage::Changes => "changes/index.html",
            FixedPage::Network => "network/index.html",
        }
    }

    /// Whether the page is listed in the sitemap: the search page and the print view (which
    /// repeats every item page) ask search engines not to index them, so a reader lands on
    /// the item or source page itself.
    pub fn in_sitemap(self) -> bool {
        matches!(
            self,
            FixedPage::Sources | FixedPage::Timeline | FixedPage::Changes | FixedPage::Network
        )
    }

    /// Whether the page is made only by a build with `--since` (the changes page).
    pub fn needs_since(self) -> bool {
        matches!(self, FixedPage::Changes)
    }
}

/// The pages only `brief serve` shows, made from the briefing by the verbs on top of the
/// library and put into the site it serves; no build plans or writes them, so a published
/// site never has them. Their folders are reserved like the fixed pages', so that the site
/// served and the site built have the same pages besides these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServePage {
    /// The editor's review of the evidence (`brief review`'s findings).
    Review,
}

impl ServePage {
    /// Every serve-only page.
    pub const ALL: [ServePage; 1] = [ServePage::Review];

    /// The page's folder (`review/`).
    pub fn dir(self) -> &'static str {
        match self {
            ServePage::Review => "review/",
        }
    }

    /// The page's file (`review/index.html`).
    pub fn file(self) -> &'static str {
        match self {
            ServePage::Review => "review/index.html",
        }
    }
}

/// Who reads a file of the site: what `brief serve` must reload when the file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    /// A page: the browser showing it reloads it.
    ItsPage,
    /// Any page may load it (a stylesheet, a script, an image): every open page reloads.
    AnyPage,
    /// Only this page reads it (the search index, by the search page).
    Page(FixedPage),
    /// No page reads it (the exports, the feed, the hosting files): nothing reloads.
    NoPage,
}

/// The files brief makes that are not pages of the briefing, each at a fixed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFile {
    /// The page a host shows for a missing path.
    NotFound,
    /// The Atom feed of sources and dated events.
    Feed,
    /// The sitemap for search engines.
    Sitemap,
    /// robots.txt, naming the sitemap.
    Robots,
    /// The whole briefing as JSON (docs/exports.md).
    Briefing,
    /// Every quoted citation as a W3C Web Annotation (docs/exports.md).
    Annotations,
    /// The sources as CSL-JSON, for Zotero and Pandoc (docs/exports.md).
    Csl,
    /// The search page's index manifest, a script: the chunks of the index
    /// ([`SEARCH_TERMS_DIR`], [`SEARCH_DOCS_DIR`]) and what ranks a result.
    SearchIndex,
    /// The theme's stylesheet.
    Css,
    /// The theme's script (notes, previews, live reload hooks).
    Js,
    /// The search page's script.
    SearchJs,
    /// The Cite button's script (only with `cite_button = true` in site.toml).
    CiteJs,
    /// The site's icon.
    Favicon,
    /// Tells GitHub Pages not to run Jekyll.
    NoJekyll,
    /// The custom domain for GitHub Pages (only with `domain` in site.toml).
    Cname,
    /// The Atom feed of what changed since `--since`'s baseline (only with `--since`).
    Changes,
}

impl SiteFile {
    /// Every file, in the order they are listed here.
    pub const ALL: [SiteFile; 16] = [
        SiteFile::NotFound,
        SiteFile::Feed,
        SiteFile::Sitemap,
        SiteFile::Robots,
        SiteFile::Briefing,
        SiteFile::Annotations,
        SiteFile::Csl,
        SiteFile::SearchIndex,
        SiteFile::Css,
        SiteFile::Js,
        SiteFile::SearchJs,
        SiteFile::CiteJs,
        SiteFile::Favicon,
        SiteFile::NoJekyll,
        SiteFile::Cname,
        SiteFile::Changes,
    ];

    /// The file's site path.
    pub fn path(self) -> &'static str {
        match self {
            SiteFile::NotFound => "404.html",
            SiteFile::Feed => "feed.xml",
            SiteFile::Sitemap => "sitemap.xml",
            SiteFile::Robots => "robots.txt",
            SiteFile::Briefing => "briefing.json",
            SiteFile::Annotations => "annotations.jsonld",
            SiteFile::Csl => "sources.csl.json",
            SiteFile::SearchIndex => "search-index.js",
            SiteFile::Css => "assets/brief.css",
            SiteFile::Js => "assets/brief.js",
            SiteFile::SearchJs => "assets/search.js",
            SiteFile::CiteJs => "assets/cite.js",
            SiteFile::Favicon => "assets/favicon.svg",
            SiteFile::NoJekyll => ".nojekyll",
            SiteFile::Cname => "CNAME",
            SiteFile::Changes => "changes.xml",
        }
    }

    /// Who reads the file.
    pub fn read_by(self) -> ReadBy {
        match self {
            SiteFile::NotFound => ReadBy::ItsPage,
            SiteFile::SearchIndex => ReadBy::Page(FixedPage::Search),
            SiteFile::Css
            | SiteFile::Js
            | SiteFile::SearchJs
            | SiteFile::CiteJs
            | SiteFile::Favicon => ReadBy::AnyPage,
            SiteFile::Feed
            | SiteFile::Sitemap
            | SiteFile::Robots
            | SiteFile::Briefing
            | SiteFile::Annotations
            | SiteFile::Csl
            | SiteFile::NoJekyll
            | SiteFile::Cname
            | SiteFile::Changes => ReadBy::NoPage,
        }
    }

    /// Whether a file in static/ may take this file's place: the theme's stylesheets,
    /// scripts, icon and robots.txt are there to be replaced; the feed, the sitemap and the
    /// exports are not.
    pub fn replaceable(self) -> bool {
        matches!(
            self,
            SiteFile::Css
                | SiteFile::Js
                | SiteFile::SearchJs
                | SiteFile::CiteJs
                | SiteFile::Favicon
                | SiteFile::Robots
        )
    }

    /// The file at `path`, if brief makes one there.
    pub fn at(path: &str) -> Option<SiteFile> {
        SiteFile::ALL.into_iter().find(|f| f.path() == path)
    }
}

/// The most items one page of the print view holds. A briefing with more has its items
/// printed in parts ([`print_part_dir`]), each of one collection and at most this many items
/// (and so of bounded size: the notes of the items go with them), and the print view's own
/// page lists the parts; the example briefing, far smaller, prints on one page.
pub const PRINT_PART_ITEMS: usize = 100;

/// The folder of part `n` (from 1) of the print view (`print/1/`).
pub fn print_part_dir(n: usize) -> String {
    format!("{}{n}/", FixedPage::Print.dir())
}

/// The most URLs one sitemap file may list, and the most bytes it may be: the limits of
/// the sitemaps.org protocol. A site with more URLs has `sitemap.xml` as an index of
/// [`sitemap_part`] files, each within both.
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// See [`SITEMAP_MAX_URLS`]: 50 MiB, less a margin for the file's opening and closing tags.
pub const SITEMAP_MAX_BYTES: usize = 50 * 1024 * 1024 - 1024;

/// The site path of part `n` (from 1) of a sitemap split into an index and its parts
/// (`sitemap-1.xml`).
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Whether `path` is a part of a split sitemap ([`sitemap_part`]).
pub fn is_sitemap_part(path: &str) -> bool {
    path.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The folder of the theme's assets (and of a user's static files that replace them).
pub const ASSETS_DIR: &str = "assets/";

/// The folder of the search index's term chunks (`search/terms/0.js` …): each holds a range
/// of the sorted terms with their postings; [`SiteFile::SearchIndex`], the manifest, names
/// the first term of each. Under the search page's folder, which no collection may take.
pub const SEARCH_TERMS_DIR: &str = "search/terms/";

/// The folder of the search index's document chunks (`search/docs/0.js` …): each holds a run
/// of documents with what a result shows of them; the manifest names the first of each.
pub const SEARCH_DOCS_DIR: &str = "search/docs/";

/// The file of term chunk `k` of the search index.
pub fn search_terms_chunk(k: usize) -> String {
    format!("{SEARCH_TERMS_DIR}{k}.js")
}

/// The file of document chunk `k` of the search index.
pub fn search_docs_chunk(k: usize) -> String {
    format!("{SEARCH_DOCS_DIR}{k}.js")
}

/// Whether `path` is a chunk of the search index (read by the search page only).
pub fn is_search_chunk(path: &str) -> bool {
    [SEARCH_TERMS_DIR, SEARCH_DOCS_DIR].iter().any(|dir| {
        path.strip_prefix(dir).is_some_and(|name| {
            name.strip_suffix(".js")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// Who reads the file at `path`: a page itself, the theme's files and any other static file
/// (any page may load it), the search index's chunks (the search page), or what
/// [`SiteFile::read_by`] says.
pub fn read_by(path: &str) -> ReadBy {
    match SiteFile::at(path) {
        Some(file) => file.read_by(),
        None if is_search_chunk(path) => ReadBy::Page(FixedPage::Search),
        None if is_sitemap_part(path) => ReadBy::NoPage,
        None if path.ends_with(".html") => ReadBy::ItsPage,
        None => ReadBy::AnyPage,
    }
}

/// Whether a file in static/ may replace the file brief makes at `path` (see
/// [`SiteFile::replaceable`]): anything under assets/ may; a chunk of the search index may not.
pub fn static_may_replace(path: &str) -> bool {
    path.starts_with(ASSETS_DIR) || SiteFile::at(path).is_some_and(SiteFile::replaceable)
}

/// Whether `name` may not name a collection or a free page: its folder would be a fixed
/// page's or the assets'.
pub fn is_reserved(name: &str) -> bool {
    let folder = |dir: &str| dir.trim_end_matches('/') == name;
    FixedPage::ALL.iter().any(|p| folder(p.dir()))
        || ServePage::ALL.iter().any(|p| folder(p.dir()))
        || folder(ASSETS_DIR)
}

/// The file of the page whose folder is `dir` (`people/x/` → `people/x/index.html`).
pub fn file_of(dir: &str) -> String {
    [dir, "index.html"].concat()
}

/// The folder of the collection `id`.
pub fn collection_dir(id: &str) -> String {
    [id, "/"].concat()
}

/// The folder of item `item` of the collection `collection`.
pub fn item_dir(collection: &str, item: &str) -> String {
    [collection, "/", item, "/"].concat()
}

/// The folder of the source `id`.
pub fn source_dir(id: &str) -> String {
    ["sources/", id, "/"].concat()
}

/// Where the kept original of the source `id` is published (with site.toml's
/// `publish_archives`), beside its page, from `kept` (its path under content/): a PDF or a
/// text as they are, anything else — a saved web page above all — with `.txt` added, so
/// that it is served as text and the outlet's scripts never run on the briefing's site.
pub fn original_file(id: &str, kept: &str) -> String {
    let ext = std::path::Path::new(kept)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_string());
    let served_as_is = matches!(ext.as_str(), "pdf" | "txt");
    let name = if served_as_is {
        format!("original.{ext}")
    } else {
        format!("original.{ext}.txt")
    };
    [source_dir(id), name].concat()
}

/// The link to passage `p` (0-based) of the source page at `dir`: its anchor is `q-` and
/// the passage's number from 1.
pub fn passage(dir: &str, p: usize) -> String {
    format!("{dir}#q-{}", p + 1)
}

/// The anchor (`id` attribute) of the claim `claim_id` on its item's page: `claim-` and the
/// id, so it meets no other id of the page (`note-1`, `claims-heading`).
pub fn claim_anchor(claim_id: &str) -> String {
    ["claim-", claim_id].concat()
}

/// The link to the claim `claim_id` of the item page at `dir`.
pub fn claim(dir: &str, claim_id: &str) -> String {
    [dir, "#", &claim_anchor(claim_id)].concat()
}

/// The folder of a free page by its slug (`""`: the front page, at the root).
pub fn page_dir(slug: &str) -> String {
    match slug {
        "" => String::new(),
        _ => [slug, "/"].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_pages_and_assets_are_reserved() {
        for name in [
            "sources", "timeline", "search", "print", "changes", "network", "assets", "review",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in ["people", "source", "prints", ""] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn each_file_says_who_reads_it() {
        assert_eq!(read_by("people/x/index.html"), ReadBy::ItsPage);
        assert_eq!(read_by("404.html"), ReadBy::ItsPage);
        assert_eq!(read_by("search-index.js"), ReadBy::Page(FixedPage::Search));
        assert_eq!(
            read_by(&search_terms_chunk(0)),
            ReadBy::Page(FixedPage::Search)
        );
        assert_eq!(
            read_by(&search_docs_chunk(12)),
            ReadBy::Page(FixedPage::Search)
        );
        assert_eq!(read_by("search/other.js"), ReadBy::AnyPage);
        assert_eq!(read_by("briefing.json"), ReadBy::NoPage);
        assert_eq!(read_by("assets/brief.css"), ReadBy::AnyPage);
        assert_eq!(read_by("images/map.png"), ReadBy::AnyPage);
        assert_eq!(read_by("sitemap-2.xml"), ReadBy::NoPage);
        assert!(is_sitemap_part(&sitemap_part(12)));
        assert!(!is_sitemap_part("sitemap-.xml") && !is_sitemap_part("sitemap-a.xml"));
        // Paths are unique, and each fixed page's file is in its folder.
        let mut paths: Vec<&str> = SiteFile::ALL.iter().map(|f| f.path()).collect();
        paths.extend(FixedPage::ALL.iter().map(|p| p.file()));
        let n = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), n);
        for p in FixedPage::ALL {
            assert_eq!(file_of(p.dir()), p.file());
        }
    }

    #[test]
    fn static_files_may_replace_the_theme_only() {
        assert!(static_may_replace("assets/brief.css"));
        assert!(static_may_replace("assets/logo.png"));
        assert!(static_may_replace("robots.txt"));
        for path in [
            "feed.xml",
            "sitemap.xml",
            "briefing.json",
            "annotations.jsonld",
            "sources.csl.json",
            "search-index.js",
            "search/terms/0.js",
            "search/docs/3.js",
            "404.html",
            "changes.xml",
        ] {
            assert!(!static_may_replace(path), "{path}");
        }
    }
}
