//! Rendering: turns a resolved [`Briefing`] into the files of the site, in memory.
//!
//! Pages that cite are rendered first (in parallel); each returns its backlinks, which the
//! source pages (rendered second, in parallel) show after every cited passage.

/// A map for the templates: `tv!({name: it.item.name, count: n})`, with any `Serialize`
/// values (taken by reference; a [`tera::Value`] goes in as it is, shared).
///
/// It makes Tera's values straight away: building `serde_json` values that Tera then
/// converted copied every string of a page twice. The map is a one-off struct, whose field
/// names are the keys, because Tera turns a struct into its map without building one first.
macro_rules! tv {
    ({ $($key:ident : $value:expr),* $(,)? }) => {{
        // The keys name the struct's type parameters too (one type a value).
        #[allow(non_camel_case_types)]
        let value = {
            #[derive(serde::Serialize)]
            struct Fields<$($key),*> { $($key: $key),* }
            tera::Value::from_serializable(&Fields { $($key: &$value),* })
        };
        value
    }};
}

mod json;
mod meta;
mod notes;
mod print;
mod search;
mod source_body;
pub mod templates;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;

use rayon::prelude::*;
use tera::Value;
use tera::value::Key;

use crate::date::{PartialDate, Precision};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Details, Kind};
use crate::markdown::{self, site_link};
use crate::resolve::{Briefing, CitationId, ItemId, Owner, ResolvedItem, Text, hash_of};
use notes::{Backlink, Notes};
use print::Piece;
use templates::Templates;

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// What a file holds: rendered bytes, or a user's static file to copy.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
}

/// What a page builder gives: the template, the page kind, title and description, and the
/// template variables of its own.
pub(crate) type PageOut = (
    &'static str,
    &'static str,
    String,
    String,
    Vec<(&'static str, Value)>,
);

/// A rendered page: site path, HTML, and its backlinks.
type RenderedPage = (String, String, Vec<Backlink>);

/// A page rendered but for its large pieces (the print view's items and notes, the
/// timeline's entries), which go in as it is written: on a large briefing they are tens of
/// megabytes that need not be copied into one string.
struct Made<'r> {
    page: Page<'r>,
    title: String,
    /// Tera's output, with placeholders for `parts`.
    html: String,
    parts: Vec<Piece<'r>>,
}

impl Made<'_> {
    /// Writes the page to `w`, with `text` writing each stretch of HTML.
    fn write<W: ?Sized>(
        &self,
        r: &Renderer<'_>,
        w: &mut W,
        mut text: impl FnMut(&mut W, &str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for segment in print::segments(&self.html, self.parts.len()) {
            match segment {
                print::Segment::Text(html) => text(w, html)?,
                print::Segment::Part(k) => match &self.parts[k] {
                    Piece::Html(html) => text(w, html)?,
                    Piece::Shared(html) => text(w, html)?,
                    Piece::Notes => {
                        let page = &self.page;
                        page.notes
                            .write_html(r.b, &page.root, &mut |html| text(w, html))?;
                    }
                },
            }
        }
        Ok(())
    }
}

/// One page to render: its site path (`negotiators/medinsky/`) and what it shows.
enum PageJob {
    Index,
    Collection(usize),
    Item(ItemId),
    Sources,
    Timeline,
    /// A free page, by index into `Briefing::pages`.
    Page(usize),
    /// The search page (render/search.rs).
    Search,
    /// The whole briefing on one page (render/print.rs).
    Print,
}

impl PageJob {
    /// True for the pages whose own texts may cite, and so give source pages backlinks.
    fn may_cite(&self) -> bool {
        match self {
            PageJob::Index | PageJob::Collection(_) | PageJob::Item(_) | PageJob::Page(_) => true,
            PageJob::Sources | PageJob::Timeline | PageJob::Search | PageJob::Print => false,
        }
    }
}

/// Where rendered files go as they are made: a folder being written, or memory. Files are
/// handed over as soon as they are rendered, so a large site is never held in memory whole.
pub trait Sink: Sync {
    /// Takes one file of the site. Called from several threads at once.
    fn put(&self, file: OutFile) -> std::io::Result<()>;

    /// Takes a file too large to hold whole (the print view, briefing.json, the search
    /// index): `make` writes it to the writer it is given, in pieces of any size. A sink
    /// that keeps files whole gathers the pieces and calls [`Sink::put`].
    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        make(&mut bytes)?;
        self.put(OutFile {
            path: path.to_string(),
            contents: Contents::Bytes(bytes),
        })
    }
}

/// Which files of the site a render makes, by site path (`people/x/index.html`). `brief
/// build` makes them all at once; `brief serve` makes the pages open in the browser first, so
/// they can reload at once, and then the rest.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// Every file.
    All,
    /// Only these files.
    Only(&'a HashSet<String>),
    /// Every file but these.
    AllBut(&'a HashSet<String>),
}

impl Part<'_> {
    /// True when this part makes the file at `path`.
    pub fn makes(&self, path: &str) -> bool {
        match self {
            Part::All => true,
            Part::Only(these) => these.contains(path),
            Part::AllBut(these) => !these.contains(path),
        }
    }
}

/// The site path of the search index, which only the search page reads.
pub const SEARCH_INDEX: &str = search::INDEX_PATH;

/// Renders every file of the site into `sink`. Problems go to `diags`; false when any file
/// failed.
pub fn render(b: &Briefing, sink: &dyn Sink, diags: &mut Diagnostics) -> bool {
    render_cached(
        b,
        Part::All,
        sink,
        diags,
        &mut Cache::default(),
        &crate::progress::Silent,
    )
}

/// Source pages rendered by earlier builds of a session, by path: the fingerprint of
/// everything the page shows, and its bytes. Source pages are most of a briefing's pages and
/// the costliest to render; one edit changes few of them.
/// A one-off build keeps nothing ([`Cache::default`]); a session keeps the pages
/// ([`Cache::keeping`]).
#[derive(Default)]
pub struct Cache {
    pages: Pages,
    keep: bool,
}

/// Source pages kept from the last build, by file path: the fingerprint of what each shows,
/// and its bytes.
type Pages = HashMap<String, (u64, Vec<u8>)>;

impl Cache {
    /// A cache that keeps the source pages of each build for the next.
    pub fn keeping() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }
}

/// [`render`] of one [`Part`] of the site, reusing the source pages in `cache` whose inputs
/// did not change.
pub fn render_cached(
    b: &Briefing,
    part: Part<'_>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
    cache: &mut Cache,
    progress: &dyn crate::progress::Progress,
) -> bool {
    let Some(templates) = Templates::new(&b.site.templates, diags) else {
        return false;
    };
    // A file in static/ replaces a file of the theme of the same path (assets/brief.css,
    // robots.txt); one at the path of a page or an export is an error (see below).
    let static_paths: HashSet<String> = b
        .site
        .static_files
        .iter()
        .map(|(rel, _)| site_path_of(rel))
        .collect();
    let in_the_way = std::sync::Mutex::new(Vec::new());
    // Whether a made file goes to the sink (counting the pages that do).
    let wanted = |path: &str| {
        if static_paths.contains(path) {
            if !static_may_replace(path) {
                in_the_way
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(path.to_string());
            }
            return false;
        }
        let wanted = part.makes(path);
        if wanted && path.ends_with(".html") {
            progress.step();
        }
        wanted
    };
    let emit = |file: OutFile| -> Result<(), Diagnostic> {
        match wanted(&file.path) {
            true => put(sink, file),
            false => Ok(()),
        }
    };
    // A file too large to hold whole, written as it is made (see Sink::put_pieces).
    let emit_pieces = |path: &str,
                       make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>|
     -> Result<(), Diagnostic> {
        match wanted(path) {
            true => put_pieces(sink, path, make),
            false => Ok(()),
        }
    };
    let mut citation_counts = vec![0; b.sources.len()];
    for c in &b.citations {
        citation_counts[c.source.0 as usize] += 1;
    }
    let r = Renderer {
        b,
        t: &templates,
        nav: nav(b),
        citation_counts,
        notes_by_tera: templates.is_users("partials/notes.html"),
        notes_list: templates.user_may_read("notes"),
        timeline: std::sync::OnceLock::new(),
        print_reads_more: ["related", "mentioned_in"]
            .iter()
            .any(|name| templates.user_may_read(name)),
        site: tv!({
            title: b.site.config.title,
            description: b.site.config.description,
            language: b.site.config.language,
            author: b.site.config.author,
            base_url: b.site.config.base_url,
        }),
    };

    let mut jobs: Vec<(String, PageJob)> = Vec::new();
    for p in &b.pages {
        if p.page.slug.is_empty() {
            jobs.push((String::new(), PageJob::Index));
        }
    }
    for (i, c) in b.collections.iter().enumerate() {
        jobs.push((format!("{}/", c.id), PageJob::Collection(i)));
        for &id in &c.items {
            jobs.push((item_path(b, id), PageJob::Item(id)));
        }
    }
    if !jobs.iter().any(|(p, _)| p.is_empty()) {
        jobs.insert(0, (String::new(), PageJob::Index));
    }
    jobs.push(("sources/".into(), PageJob::Sources));
    jobs.push(("timeline/".into(), PageJob::Timeline));
    jobs.push(("search/".into(), PageJob::Search));
    jobs.push(("print/".into(), PageJob::Print));
    for (i, p) in b
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.page.slug.is_empty())
    {
        if b.collections.iter().any(|c| c.id == p.page.slug)
            || ["sources", "timeline", "assets", "search", "print"].contains(&p.page.slug.as_str())
        {
            diags.push(
                Diagnostic::error(
                    "reserved-id",
                    format!(
                        "the page `{}` would replace another page of the site",
                        p.page.slug
                    ),
                )
                .at(crate::diagnostics::Location::file(&p.page.path))
                .help("rename the file in content/pages/"),
            );
            return false;
        }
        jobs.push((format!("{}/", p.page.slug), PageJob::Page(i)));
    }
    let sources: Vec<usize> = (0..b.sources.len())
        .filter(|&i| matches!(part, Part::All) || part.makes(&source_path(b, i)))
        .collect();
    // A source page shows where each of its passages is cited: when one is made, every page
    // that may cite is rendered for its backlinks, even one this part does not make.
    jobs.retain(|(path, job)| {
        part.makes(&format!("{path}index.html")) || (!sources.is_empty() && job.may_cite())
    });

    // The print view holds the whole briefing and cites nothing a source page links back to.
    // Much of it is made on one thread (its notes are numbered in reading order), so it is
    // started first, beside the other pages, briefing.json and the search index; written in
    // pieces, none of the three is ever whole in memory.
    let print = jobs
        .iter()
        .position(|(_, job)| matches!(job, PageJob::Print))
        .map(|at| jobs.remove(at));
    // The site-wide files (feed, search index, briefing.json …) need no backlinks: they are
    // made while the pages are.
    let make_print = || -> Result<(), Diagnostic> {
        if let Some((path, job)) = &print {
            let made = r.make(path, job)?;
            emit_pieces(&format!("{path}index.html"), &mut |w| {
                made.write(&r, w, |w, html| w.write_all(html.as_bytes()))
            })?;
        }
        Ok(())
    };
    // The pages, the source pages, 404.html and the print view.
    progress.start(
        "writing pages",
        jobs.len() + sources.len() + 1 + usize::from(print.is_some()),
    );
    let (rendered, more): (Vec<Result<Vec<Backlink>, Diagnostic>>, _) = rayon::join(
        || {
            jobs.par_iter()
                .map(|(path, job)| {
                    let (path, html, links) = r.page(path, job)?;
                    emit(OutFile {
                        path: format!("{path}index.html"),
                        contents: Contents::Bytes(html.into_bytes()),
                    })?;
                    Ok(links)
                })
                .collect()
        },
        || {
            // The print view, briefing.json and the search index are the largest files of
            // the site.
            let (print, (small, (json, search))) = rayon::join(make_print, || {
                rayon::join(
                    || {
                        r.site_files(part)
                            .and_then(|files| files.into_iter().try_for_each(&emit))
                    },
                    || {
                        rayon::join(
                            || {
                                emit_pieces("briefing.json", &mut |w| {
                                    json::write_briefing(b, item_path, owner_path, w)
                                })
                            },
                            || emit_pieces(search::INDEX_PATH, &mut |w| search::write_index(b, w)),
                        )
                    },
                )
            });
            print.and(small).and(json).and(search)
        },
    );
    let mut backlinks: HashMap<(u32, Option<usize>), Vec<Backlink>> = HashMap::new();
    let mut failed = false;
    for result in rendered {
        match result {
            Ok(links) => {
                for l in links {
                    backlinks
                        .entry((l.source.0, l.passage))
                        .or_default()
                        .push(l);
                }
            }
            Err(d) => {
                diags.push(d);
                failed = true;
            }
        }
    }

    let common = hash_of(&(
        format!("{:?}", b.site.config),
        &r.nav,
        b.site
            .templates
            .iter()
            .map(|t| (&t.name, &*t.text))
            .collect::<Vec<_>>(),
    ));
    // (path, fingerprint, bytes) of each source page.
    type Rendered = Result<Option<(String, u64, Vec<u8>)>, Diagnostic>;
    let keep = cache.keep;
    let rendered: Vec<Rendered> = sources
        .par_iter()
        .map(|&i| {
            let (file, fingerprint) =
                r.source_page(i, &backlinks, keep.then_some((common, &cache.pages)))?;
            let kept = match (&file.contents, fingerprint) {
                (Contents::Bytes(bytes), Some(fingerprint)) => {
                    Some((file.path.clone(), fingerprint, bytes.clone()))
                }
                _ => None,
            };
            emit(file)?;
            Ok(kept)
        })
        .collect();
    if keep && !matches!(part, Part::Only(_)) {
        // Forget the pages of sources that are gone.
        let current: HashSet<String> = (0..b.sources.len()).map(|i| source_path(b, i)).collect();
        cache.pages.retain(|path, _| current.contains(path));
    }
    let mut sources = Vec::with_capacity(rendered.len());
    for result in rendered {
        sources.push(result.map(|kept| {
            if let Some((path, fingerprint, bytes)) = kept {
                cache.pages.insert(path, (fingerprint, bytes));
            }
        }));
    }
    let copies = b
        .site
        .static_files
        .par_iter()
        .filter(|(rel, _)| part.makes(&site_path_of(rel)))
        .map(|(rel, abs)| {
            put(
                sink,
                OutFile {
                    path: site_path_of(rel),
                    contents: Contents::Copy(abs.clone()),
                },
            )
        });
    let copies: Vec<Result<(), Diagnostic>> = copies.collect();
    for result in sources.into_iter().chain([more]).chain(copies) {
        if let Err(d) = result {
            diags.push(d);
            failed = true;
        }
    }
    progress.finish();
    let mut in_the_way = in_the_way.into_inner().unwrap_or_else(|e| e.into_inner());
    in_the_way.sort();
    for path in &in_the_way {
        diags.push(
            Diagnostic::error(
                "static-in-the-way",
                format!("static/{path} would replace the file brief makes at {path}"),
            )
            .at(crate::diagnostics::Location::file(&std::path::Path::new("static").join(path)))
            .help("rename or move it; a page's look is changed with a template in templates/ (see docs/templates.md), not by replacing the page"),
        );
    }
    !failed && in_the_way.is_empty()
}

/// Whether a file in static/ may take the place of the file brief makes at `path`: the
/// theme's stylesheets, scripts and robots.txt are there to be replaced; the pages, the
/// feed, the sitemap and the exports are not.
fn static_may_replace(path: &str) -> bool {
    path.starts_with("assets/") || path == "robots.txt"
}

/// Hands a file to the sink; a failure to write is a problem of the run.
fn put(sink: &dyn Sink, file: OutFile) -> Result<(), Diagnostic> {
    let path = file.path.clone();
    sink.put(file).map_err(|e| write_error(&path, e))
}

/// [`put`] for a file made in pieces (see [`Sink::put_pieces`]).
fn put_pieces(
    sink: &dyn Sink,
    path: &str,
    make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    sink.put_pieces(path, make)
        .map_err(|e| write_error(path, e))
}

fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("write", format!("cannot write {path}: {e}"))
        .help("check that the output folder is writable and the disk is not full; the previous site was left as it was")
}

/// A path relative to static/ as a site path with `/` separators.
fn site_path_of(rel: &std::path::Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The site path of a source page's file.
fn source_path(b: &Briefing, i: usize) -> String {
    format!("sources/{}/index.html", b.sources[i].source.id)
}

/// The site path of an item's page.
fn item_path(b: &Briefing, id: ItemId) -> String {
    let it = &b.items[id.0 as usize];
    [
        b.collections[it.collection].id.as_str(),
        "/",
        &it.item.id,
        "/",
    ]
    .concat()
}

/// The site path of the page a citation is written for.
fn owner_path(b: &Briefing, owner: Owner) -> String {
    match owner {
        Owner::Page(i) if b.pages[i].page.slug.is_empty() => String::new(),
        Owner::Page(i) => format!("{}/", b.pages[i].page.slug),
        Owner::Collection(i) => format!("{}/", b.collections[i].id),
        Owner::Item(id) => item_path(b, id),
        Owner::Source(s) => format!("sources/{}/", b.sources[s.0 as usize].source.id),
    }
}

/// The user's files each page of the site is made from, by the page's file
/// (`people/x/index.html`): a source's page from its file (and the one holding its notes),
/// an item's from its collection's file, a collection's list from the files of its items, a
/// free page from its Markdown file. Pages that gather texts from all over the briefing (the
/// front page, which shows collections and events, the timeline, the print view …) are not
/// in it.
///
/// A broken link found on a page is looked for in these files only, so that the error names
/// the file that writes the link for that page, not the first file that happens to hold the
/// same text.
pub fn page_files(b: &Briefing) -> HashMap<String, Vec<std::path::PathBuf>> {
    let mut files: HashMap<String, Vec<std::path::PathBuf>> = HashMap::new();
    let mut add = |owner: Owner, file: &std::path::Path| {
        let list = files
            .entry(format!("{}index.html", owner_path(b, owner)))
            .or_default();
        if !list.iter().any(|f| f == file) {
            list.push(file.to_path_buf());
        }
    };
    for (i, p) in b.pages.iter().enumerate() {
        if !p.page.slug.is_empty() {
            add(Owner::Page(i), &p.page.path);
        }
    }
    for (i, s) in b.sources.iter().enumerate() {
        let owner = Owner::Source(crate::resolve::SourceId(i as u32));
        add(owner, &s.source.path);
        if let Some(notes) = &s.source.meta.notes {
            add(owner, &notes.origin.file);
        }
    }
    for (i, it) in b.items.iter().enumerate() {
        let file = &it.item.id_location.file;
        add(Owner::Item(ItemId(i as u32)), file);
        add(Owner::Collection(it.collection), file);
    }
    files
}

/// The relative way from a page at `path` to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn nav(b: &Briefing) -> Vec<(String, String)> {
    let mut v = vec![("Home".to_string(), String::new())];
    for c in &b.collections {
        v.push((c.title.clone(), format!("{}/", c.id)));
    }
    v.push(("Timeline".into(), "timeline/".into()));
    v.push(("Sources".into(), "sources/".into()));
    for p in b.pages.iter().filter(|p| !p.page.slug.is_empty()) {
        v.push((p.page.title.clone(), format!("{}/", p.page.slug)));
    }
    v
}

/// One year of the timeline, made once a build (see [`Renderer::timeline_years`]).
struct TimelineYear {
    year: i32,
    /// The year's entries rendered by `partials/timeline-entries.html`; `None` when the user
    /// replaced that partial, which may read the page it is on: then each page includes it.
    html: Option<String>,
    /// The entries as template values, when a template may read them.
    entries: Option<Value>,
}

struct Renderer<'a> {
    b: &'a Briefing,
    t: &'a Templates,
    nav: Vec<(String, String)>,
    /// Citations per source, by source index.
    citation_counts: Vec<usize>,
    /// The user's templates replace `partials/notes.html`: Tera renders the notes.
    notes_by_tera: bool,
    /// A user template may read the `notes` list (see [`Renderer::insert_notes`]).
    notes_list: bool,
    /// The timeline's years, made once for the timeline page and the print view.
    timeline: std::sync::OnceLock<Vec<TimelineYear>>,
    /// `site` for the templates: the same on every page (template maps are shared, so each
    /// page takes it without a copy).
    site: Value,
    /// A user's template may read an item's `related` or `mentioned_in` in the print view
    /// (see [`Renderer::item`]).
    print_reads_more: bool,
}

/// Per-page rendering state: the way to the root and the page's notes.
struct Page<'a> {
    b: &'a Briefing,
    root: String,
    notes: Notes,
}

impl Page<'_> {
    /// Renders a text of the page with its citation marks (numbered in this page's notes).
    fn md(&mut self, text: &Text) -> String {
        self.render_text(text, false, true)
    }

    /// [`Page::md`] for a one-paragraph text, without the `<p>` around it.
    fn md_inline(&mut self, text: &Text) -> String {
        self.render_text(text, true, true)
    }

    /// Markdown without its citation marks (for index pages that link to where the notes are).
    fn md_plain(&mut self, text: &Text) -> String {
        self.render_text(text, false, false)
    }

    fn md_plain_inline(&mut self, text: &Text) -> String {
        self.render_text(text, true, false)
    }

    fn render_text(&mut self, text: &Text, inline: bool, marks: bool) -> String {
        let opts = markdown::RenderOptions {
            root: &self.root,
            allow_html: self.b.site.config.allow_html,
        };
        let b = self.b;
        let notes = &mut self.notes;
        let mut mark = |i: usize| match text.groups.get(i) {
            Some(g) if marks => notes.mark(b, g),
            _ => String::new(),
        };
        if inline {
            markdown::render_inline(&text.markdown, &opts, &mut mark)
        } else {
            markdown::render(&text.markdown, &opts, &mut mark)
        }
    }

    fn opt_md(&mut self, text: Option<&Text>) -> String {
        text.map(|t| self.md(t)).unwrap_or_default()
    }

    fn link(&self, path: &str) -> String {
        site_link(&self.root, path)
    }

    /// [`Page::link`] to the page of the source `id`, made in one go: item pages list up to
    /// hundreds of sources each.
    fn source_link(&self, id: &str) -> String {
        [&self.root, "sources/", id, "/index.html"].concat()
    }

    /// A claim or position: text and the marks of its `cite:` list.
    fn claim(&mut self, text: &Text, cites: &[CitationId]) -> String {
        let mut html = self.md_inline(text);
        html.push_str(&self.notes.marks_for(self.b, cites));
        html
    }

    fn item_ref(&self, id: ItemId) -> Value {
        let it = &self.b.items[id.0 as usize];
        tv!({
            name: it.item.name,
            url: self.link(&item_path(self.b, id)),
            collection: self.b.collections[it.collection].title,
        })
    }

    fn positions(&mut self, item: &ResolvedItem) -> Vec<Value> {
        item.positions
            .iter()
            .map(|p| {
                let text_html = self.claim(&p.text, &p.cites);
                let held_by: Vec<Value> = p.held_by.iter().map(|&h| self.item_ref(h)).collect();
                tv!({text_html: text_html, held_by: held_by})
            })
            .collect()
    }
}

impl Renderer<'_> {
    fn base_context(
        &self,
        path: &str,
        kind: &str,
        title: &str,
        description: &str,
        page: &Page<'_>,
    ) -> tera::Context {
        let config = &self.b.site.config;
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value(
            "page",
            tv!({
                title: title,
                description: description,
                root: page.root,
                canonical: format!("{}{}", config.base_url, path),
                kind: kind,
            }),
        );
        let nav: Vec<Value> = self
            .nav
            .iter()
            .map(|(t, p)| tv!({title: t, url: page.link(p), current: p == path}))
            .collect();
        ctx.insert_value("nav", Value::from(nav));
        ctx
    }

    /// The page's notes for the template: `notes`, and `notes_html` rendered here (the same
    /// bytes as the built-in `partials/notes.html`, quicker) unless the user's templates
    /// replace that partial.
    ///
    /// With `parts`, the notes section goes there and `notes_html` is its placeholder (see
    /// [`Made::write`]).
    fn insert_notes(
        &self,
        ctx: &mut tera::Context,
        page: &Page<'_>,
        parts: Option<&mut Vec<Piece<'_>>>,
    ) {
        let deferred = parts.filter(|_| !self.notes_by_tera && !page.notes.is_empty());
        // The notes list goes in when the page is written; make it here only if read.
        let notes = if deferred.is_none() || self.notes_list {
            page.notes.context(self.b, &page.root)
        } else {
            Vec::new()
        };
        if self.notes_by_tera {
            ctx.insert("notes_html", "");
        } else if let Some(parts) = deferred {
            ctx.insert("notes_html", &print::placeholder(parts.len()));
            parts.push(Piece::Notes);
        } else {
            ctx.insert("notes_html", &Notes::html(&notes));
        }
        // Of the built-in templates, only partials/notes.html reads the list, and it is not
        // used when `notes_html` holds the notes: unless the user's templates may read it,
        // the list is left out (on a large print view, making it Tera values costs more than
        // writing the notes).
        if self.notes_list {
            ctx.insert("notes", &notes);
        } else {
            ctx.insert("notes", &[(); 0]);
        }
    }

    /// Renders one page; returns its site path, HTML and backlinks.
    fn page(&self, path: &str, job: &PageJob) -> Result<RenderedPage, Diagnostic> {
        let made = self.make(path, job)?;
        let mut html = String::with_capacity(made.html.len());
        // Writing into a String cannot fail.
        let _ = made.write(self, &mut html, |out, t| {
            out.push_str(t);
            Ok(())
        });
        let links = made.page.notes.backlinks(path, &made.title);
        Ok((path.to_string(), html, links))
    }

    /// Renders one page up to its large pieces, which go in as it is written.
    fn make<'r>(&'r self, path: &str, job: &PageJob) -> Result<Made<'r>, Diagnostic> {
        let b = self.b;
        let home = match job {
            PageJob::Index => b
                .pages
                .iter()
                .position(|p| p.page.slug.is_empty())
                .map(Owner::Page),
            PageJob::Collection(i) => Some(Owner::Collection(*i)),
            PageJob::Item(id) => Some(Owner::Item(*id)),
            PageJob::Page(i) => Some(Owner::Page(*i)),
            PageJob::Sources | PageJob::Timeline | PageJob::Search | PageJob::Print => None,
        };
        let mut page = Page {
            b,
            root: root_of(path),
            notes: Notes::new(home),
        };
        // Large pieces of the timeline and print view, put in after Tera (see Made::write).
        let mut parts: Vec<Piece<'r>> = Vec::new();
        let (template, kind, title, description, extra): (
            &str,
            &str,
            String,
            String,
            Vec<(&str, Value)>,
        ) = match job {
            PageJob::Index => self.index(&mut page),
            PageJob::Collection(i) => self.collection(*i, &mut page),
            PageJob::Item(id) => self.item(*id, &mut page, false),
            PageJob::Sources => self.sources(&page),
            PageJob::Timeline => self.timeline(&mut page, &mut parts),
            PageJob::Search => self.search_page(&page),
            PageJob::Print => self.print(&mut page, &mut parts)?,
            PageJob::Page(i) => {
                let p = &b.pages[*i];
                let html = page.md(&p.body);
                (
                    "page.html",
                    "page",
                    p.page.title.clone(),
                    p.page.description.clone(),
                    vec![
                        ("content_html", Value::from(html)),
                        ("title_in_content", Value::from(p.page.title_in_body)),
                    ],
                )
            }
        };
        // An empty `<meta name="description">` costs a page its place in search results:
        // without one of its own, a page is described by what it opens with.
        // Nor may every page say the same: a page brief makes up, on a briefing that says
        // nothing of itself, says what it lists.
        let description = match description.trim() {
            "" => match meta::description(&self.opening_text(job)) {
                d if d.is_empty() && b.site.config.description.trim().is_empty() => {
                    made_up_description(b, job)
                }
                d => d,
            },
            _ => description,
        };
        let mut ctx = self.base_context(path, kind, &title, &description, &page);
        for (k, v) in extra {
            ctx.insert_value(k, v);
        }
        let print = matches!(job, PageJob::Print);
        self.insert_notes(&mut ctx, &page, print.then_some(&mut parts));
        let html = self.t.render(template, &ctx)?;
        Ok(Made {
            page,
            title,
            html,
            parts,
        })
    }

    /// The plain text a page opens with, which describes it when nothing else does: the
    /// first paragraph of the front page, a free page, an item's summary or a collection's
    /// description; empty for the pages brief makes up (the lists, the timeline).
    fn opening_text(&self, job: &PageJob) -> String {
        let b = self.b;
        let opening = |t: Option<&crate::resolve::Text>| {
            t.map(|t| meta::first_paragraph(&t.markdown))
                .unwrap_or_default()
        };
        match job {
            PageJob::Index => b
                .pages
                .iter()
                .find(|p| p.page.slug.is_empty())
                .map(|p| meta::first_paragraph(&p.page.body.text))
                .unwrap_or_default(),
            PageJob::Page(i) => meta::first_paragraph(&b.pages[*i].page.body.text),
            PageJob::Item(id) => opening(b.items[id.0 as usize].summary.as_ref()),
            PageJob::Collection(i) => opening(b.collections[*i].description.as_ref()),
            PageJob::Sources | PageJob::Timeline | PageJob::Search | PageJob::Print => {
                String::new()
            }
        }
    }

    fn index(&self, page: &mut Page<'_>) -> PageOut {
        let b = self.b;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        let summary_html = front.map(|p| page.md(&p.body)).unwrap_or_default();
        let collections: Vec<Value> = b
            .collections
            .iter()
            .map(|c| {
                let description_html = page.opt_md(c.description.as_ref());
                tv!({
                    id: c.id, title: c.title, kind: c.kind, url: page.link(&format!("{}/", c.id)),
                    count: c.items.len(), description_html: description_html,
                })
            })
            .collect();
        let mut events: Vec<(PartialDate, ItemId)> = b
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match &it.item.details {
                Details::Event { date: Some(d), .. } => Some((*d, ItemId(i as u32))),
                _ => None,
            })
            .collect();
        events.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let latest_events: Vec<Value> = events
            .iter()
            .take(6)
            .map(|(d, id)| {
                let it = &b.items[id.0 as usize];
                let place = it.links.get("place").and_then(|p| p.first()).map(|p| b.items[p.0 as usize].item.name.clone());
                let summary_html = page.opt_md(it.summary.as_ref());
                tv!({
                    name: it.item.name, url: page.link(&item_path(b, *id)), date: d.display(), date_iso: d.iso(),
                    place: place.unwrap_or_default(), summary_html: summary_html,
                })
            })
            .collect();
        let sources: Vec<Value> = b
            .sources
            .iter()
            .zip(&self.citation_counts)
            .map(|(s, n)| source_summary(s, *n, page))
            .collect();
        let claims: usize = b
            .items
            .iter()
            .map(|i| i.claims.len() + i.positions.len())
            .sum();
        let quotes = b.citations.iter().filter(|c| c.quote.is_some()).count();
        // A front page with neither a title nor a `# heading` is titled as the site.
        let title = front
            .map(|p| p.page.title.clone())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| b.site.config.title.clone());
        // index.md's own description, else the site's (else, later, its opening paragraph).
        let description = front
            .map(|p| p.page.description.clone())
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| b.site.config.description.clone());
        (
            "index.html",
            "index",
            title,
            description,
            vec![
                ("summary_html", Value::from(summary_html)),
                (
                    "title_in_content",
                    Value::from(front.is_some_and(|p| p.page.title_in_body)),
                ),
                ("collections", Value::from(collections)),
                ("latest_events", Value::from(latest_events)),
                ("sources", Value::from(sources)),
                (
                    "figures",
                    tv!({sources: b.sources.len(), items: b.items.len(), claims: claims, citations: b.citations.len(), quotes: quotes}),
                ),
            ],
        )
    }

    fn collection(&self, i: usize, page: &mut Page<'_>) -> PageOut {
        let b = self.b;
        let c = &b.collections[i];
        let description_html = page.opt_md(c.description.as_ref());
        let url = page.link(&format!("{}/", c.id));
        if c.kind == Kind::Dispute {
            let disputes: Vec<Value> = c
                .items
                .iter()
                .map(|&id| {
                    let it = &b.items[id.0 as usize];
                    let summary_html = page.opt_md(it.summary.as_ref());
                    let positions = page.positions(it);
                    let question = match &it.item.details {
                        Details::Dispute { question, .. } => question.clone(),
                        _ => String::new(),
                    };
                    tv!({
                        id: it.item.id, name: it.item.name, url: page.link(&item_path(b, id)),
                        question: question, summary_html: summary_html, positions: positions,
                    })
                })
                .collect();
            let collection = tv!({id: c.id, title: c.title, kind: c.kind, url: url, description_html: description_html, disputes: disputes});
            return (
                "dispute.html",
                "dispute",
                c.title.clone(),
                String::new(),
                vec![("collection", collection)],
            );
        }
        let items: Vec<Value> = c
            .items
            .iter()
            .map(|&id| {
                let it = &b.items[id.0 as usize];
                let summary_html = page.opt_md(it.summary.as_ref());
                tv!({
                    id: it.item.id, name: it.item.name, url: page.link(&item_path(b, id)),
                    subtitle: subtitle(b, it), summary_html: summary_html, claim_count: it.claims.len(),
                })
            })
            .collect();
        let collection = tv!({id: c.id, title: c.title, kind: c.kind, url: url, description_html: description_html, items: items});
        (
            "collection.html",
            "collection",
            c.title.clone(),
            String::new(),
            vec![("collection", collection)],
        )
    }

    /// An item's page; for the print view (`print`), without what its partial does not show.
    fn item(&self, id: ItemId, page: &mut Page<'_>, print: bool) -> PageOut {
        let b = self.b;
        let it = &b.items[id.0 as usize];
        let c = &b.collections[it.collection];
        // The built-in `partials/print-item.html` shows neither the related items nor where
        // the item is mentioned (on a large briefing, a hundred sources an item): the print
        // view makes them only if a template of the user's may read them.
        let whole = !print || self.print_reads_more;
        let fields = self.fields(it, page);
        let summary_html = page.opt_md(it.summary.as_ref());
        let positions = page.positions(it);
        let claims: Vec<Value> = it
            .claims
            .iter()
            .zip(&it.item.claims)
            .map(|(rc, lc)| {
                let html = page.claim(&rc.text, &rc.cites);
                tv!({html: html, date: lc.date.map(|d| d.display()).unwrap_or_default(), date_iso: lc.date.map(|d| d.iso()).unwrap_or_default()})
            })
            .collect();
        let (related, mentioned_in): (Vec<Value>, Vec<Value>) = if whole {
            let related = it.related.iter().map(|&r| page.item_ref(r)).collect();
            let mentioned_in = it
                .mentioned_in
                .iter()
                .map(|(s, n)| {
                    let src = &b.sources[s.0 as usize].source;
                    tv!({title: src.meta.title, url: page.source_link(&src.id), count: n})
                })
                .collect();
            (related, mentioned_in)
        } else {
            (Vec::new(), Vec::new())
        };
        let question = match &it.item.details {
            Details::Dispute { question, .. } => question.clone(),
            _ => String::new(),
        };
        let item = tv!({
            id: it.item.id, name: it.item.name, kind: c.kind,
            collection: tv!({id: c.id, title: c.title, url: page.link(&format!("{}/", c.id))}),
            aliases: it.item.aliases, fields: fields, summary_html: summary_html, question: question,
            positions: positions, claims: claims, related: related, mentioned_in: mentioned_in,
        });
        // What the item is (its subtitle), then what its summary opens with; the print view
        // has no use for it.
        let subtitle = subtitle(b, it);
        let opening = match (print, it.summary.as_ref()) {
            (false, Some(t)) => meta::first_paragraph(&t.markdown),
            _ => String::new(),
        };
        let description = match (subtitle.is_empty(), opening.trim().is_empty()) {
            (_, true) => subtitle,
            (true, false) => meta::description(&opening),
            (false, false) => meta::description(&format!("{subtitle} — {opening}")),
        };
        (
            "item.html",
            "item",
            it.item.name.clone(),
            description,
            vec![("item", item)],
        )
    }

    /// The kind's own fields as label and HTML value (references become links).
    fn fields(&self, it: &ResolvedItem, page: &mut Page<'_>) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let text = |label: &str, v: &Option<String>, out: &mut Vec<Value>| {
            if let Some(v) = v {
                out.push(tv!({label: label, value_html: markdown::escape_html(v)}));
            }
        };
        let links = |label: &str, key: &str, out: &mut Vec<Value>, page: &Page<'_>| {
            if let Some(ids) = it.links.get(key).filter(|v| !v.is_empty()) {
                let html: Vec<String> = ids
                    .iter()
                    .map(|&id| {
                        format!(
                            "<a href=\"{}\">{}</a>",
                            page.link(&item_path(self.b, id)),
                            markdown::escape_html(&self.b.items[id.0 as usize].item.name)
                        )
                    })
                    .collect();
                out.push(tv!({label: label, value_html: html.join(", ")}));
            }
        };
        let date = |label: &str, d: &Option<PartialDate>, out: &mut Vec<Value>| {
            if let Some(d) = d {
                out.push(tv!({label: label, value_html: format!("<time datetime=\"{}\">{}</time>", d.iso(), d.display())}));
            }
        };
        match &it.item.details {
            Details::Person { role, side, .. } => {
                text("Role", role, &mut out);
                text("Side", side, &mut out);
                links("Affiliation", "affiliation", &mut out, page);
            }
            Details::Venue {
                city,
                country,
                coordinates,
            } => {
                text("City", city, &mut out);
                text("Country", country, &mut out);
                if let Some((lat, lon)) = coordinates {
                    out.push(
                        tv!({label: "Coordinates", value_html: format!("{lat:.4}, {lon:.4}")}),
                    );
                }
            }
            Details::Event {
                date: d, end_date, ..
            } => {
                date("Date", d, &mut out);
                date("Until", end_date, &mut out);
                links("Place", "place", &mut out, page);
                links("Actors", "actors", &mut out, page);
            }
            Details::Organization {
                short_name,
                country,
                ..
            } => {
                text("Short name", short_name, &mut out);
                text("Country", country, &mut out);
                links("Part of", "parent", &mut out, page);
            }
            Details::Dispute { date: d, .. } => date("Date", d, &mut out),
            Details::Free { fields } => {
                for ((label, _), t) in fields.iter().zip(&it.free_fields) {
                    let html = page.md_inline(t);
                    out.push(tv!({label: label, value_html: html}));
                }
            }
        }
        out
    }

    fn sources(&self, page: &Page<'_>) -> PageOut {
        let list: Vec<Value> = self
            .b
            .sources
            .iter()
            .zip(&self.citation_counts)
            .map(|(s, n)| source_summary(s, *n, page))
            .collect();
        (
            "sources.html",
            "sources",
            "Sources".into(),
            String::new(),
            vec![("sources", Value::from(list))],
        )
    }

    /// The timeline page's template, kind, title, description and extra context. Each year's
    /// entries are made once a build ([`Renderer::timeline_years`]) and shared with the print
    /// view; the context gets a placeholder for them (`entries_html`), their HTML goes to
    /// `parts` (see [`Made::write`]).
    fn timeline<'r>(&'r self, page: &mut Page<'_>, parts: &mut Vec<Piece<'r>>) -> PageOut {
        let years = self.timeline_years(page);
        let timeline: Vec<Value> = years
            .iter()
            .map(|y| {
                let entries_html = match &y.html {
                    Some(html) => {
                        parts.push(Piece::Shared(html));
                        print::placeholder(parts.len() - 1)
                    }
                    None => String::new(),
                };
                let mut group = tera::Map::default();
                group.insert(Key::Str("year"), y.year.into());
                group.insert(Key::Str("entries_html"), entries_html.into());
                if let Some(entries) = &y.entries {
                    group.insert(Key::Str("entries"), entries.clone());
                }
                Value::from(group)
            })
            .collect();
        (
            "timeline.html",
            "timeline",
            "Timeline".into(),
            String::new(),
            vec![("timeline", Value::from(timeline))],
        )
    }

    /// The years of the timeline, made the first time they are asked for. The timeline page
    /// and the print view show the same entries (both pages sit one folder deep, so even
    /// their links are the same): on a large briefing they are tens of thousands, and making
    /// them once instead of twice halves the work.
    fn timeline_years(&self, page: &mut Page<'_>) -> &[TimelineYear] {
        debug_assert_eq!(
            page.root, "../",
            "the timeline and print pages are one folder deep"
        );
        self.timeline.get_or_init(|| {
            // The built-in partial is written here, in Rust (the same bytes, without
            // making tens of thousands of template values first); a user's partial is
            // rendered by Tera on each page that includes it.
            let shared = !self.t.is_users("partials/timeline-entries.html");
            let values = !shared || self.t.user_may_read("entries");
            self.timeline_entries(page)
                .into_iter()
                .map(|(year, entries)| TimelineYear {
                    year,
                    html: shared.then(|| timeline_html(&entries)),
                    // A template that includes the partial (or reads the entries itself)
                    // spells `entries`; otherwise no template can read them.
                    entries: values.then(|| {
                        Value::from(entries.iter().map(TimelineEntry::value).collect::<Vec<_>>())
                    }),
                })
                .collect()
        })
    }

    /// Every dated event and claim, by year.
    fn timeline_entries(&self, page: &mut Page<'_>) -> BTreeMap<i32, Vec<TimelineEntry<'_>>> {
        let b = self.b;
        // (date, item, claim or None for the dated item itself), in item order; rendered
        // only once sorted.
        let mut dated: Vec<(PartialDate, usize, Option<usize>)> = Vec::new();
        for (i, it) in b.items.iter().enumerate() {
            if let Details::Event { date: Some(d), .. } | Details::Dispute { date: Some(d), .. } =
                &it.item.details
            {
                dated.push((*d, i, None));
            }
            for (k, lc) in it.item.claims.iter().enumerate() {
                if let Some(d) = lc.date {
                    dated.push((d, i, Some(k)));
                }
            }
        }
        dated.sort_by_key(|e| e.0); // stable: item order within a date
        // The timeline is an index over the whole briefing: its entries link to the items
        // (and claims) where the notes are, instead of repeating thousands of notes here.
        let mut years: BTreeMap<i32, Vec<TimelineEntry<'_>>> = BTreeMap::new();
        for (date, i, claim) in dated {
            let it = &b.items[i];
            let url = page.link(&item_path(b, ItemId(i as u32)));
            let entry = match claim {
                None => TimelineEntry {
                    date,
                    kind: match it.item.details {
                        Details::Dispute { .. } => EntryKind::Dispute,
                        _ => EntryKind::Event,
                    },
                    title: &it.item.name,
                    url,
                    text_html: it
                        .summary
                        .as_ref()
                        .map(|t| page.md_plain(t))
                        .unwrap_or_default(),
                },
                Some(k) => TimelineEntry {
                    date,
                    kind: EntryKind::Claim,
                    title: &it.item.name,
                    url: format!("{url}#claim-{}", k + 1),
                    text_html: page.md_plain_inline(&it.claims[k].text),
                },
            };
            years.entry(date.year).or_default().push(entry);
        }
        years
    }

    /// A source's page, and the fingerprint of what it shows (`common`: the site-wide inputs).
    /// A page whose fingerprint is in `cached` is not rendered again.
    fn source_page(
        &self,
        i: usize,
        backlinks: &HashMap<(u32, Option<usize>), Vec<Backlink>>,
        cache: Option<(u64, &Pages)>,
    ) -> Result<(OutFile, Option<u64>), Diagnostic> {
        let b = self.b;
        let s = &b.sources[i];
        let path = format!("sources/{}/", s.source.id);
        let mut page = Page {
            b,
            root: root_of(&path),
            notes: Notes::new(Some(Owner::Source(crate::resolve::SourceId(i as u32)))),
        };
        let cited_by: Vec<Vec<source_body::CitedBy>> = (0..s.passages.len())
            .map(|p| {
                backlinks
                    .get(&(i as u32, Some(p)))
                    .map(|v| {
                        v.iter()
                            .map(|l| source_body::CitedBy {
                                href: format!("{}#{}", page.link(&l.page_path), l.mark_id),
                                label: l.page_title.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mentions: Vec<(std::ops::Range<usize>, String)> = s
            .mentions
            .iter()
            .map(|(r, id)| (r.clone(), page.link(&item_path(b, *id))))
            .collect();
        let paragraphs: Vec<(std::ops::Range<usize>, bool)> = s
            .source
            .paragraphs
            .iter()
            .map(|p| (p.range.clone(), p.hidden))
            .collect();
        let mut mentioned: Vec<ItemId> = s.mentions.iter().map(|(_, id)| *id).collect();
        mentioned.sort();
        mentioned.dedup();
        let mentioned: Vec<Value> = mentioned.iter().map(|&id| page.item_ref(id)).collect();
        let file_path = format!("{path}index.html");
        // Everything the page shows, when there is a cache to keep the page in (a one-off
        // build has none). Notes of the source that cite other sources would bring those
        // sources' titles in too: such pages are always rendered.
        let fingerprint = cache.map(|(common, _)| {
            hash_of(&(
                common,
                s.text_hash,
                format!("{:?}", s.source.meta),
                &paragraphs,
                &s.passages,
                cited_by
                    .iter()
                    .map(|v| v.iter().map(|c| (&c.href, &c.label)).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
                &mentions,
                mentioned.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
                self.citation_counts[i],
            ))
        });
        let cacheable = s.notes.as_ref().is_none_or(|n| n.groups.is_empty());
        if let Some((_, cached)) = cache
            && let Some((f, bytes)) = cached.get(&file_path)
            && Some(*f) == fingerprint
            && cacheable
        {
            let file = OutFile {
                path: file_path,
                contents: Contents::Bytes(bytes.clone()),
            };
            return Ok((file, fingerprint));
        }
        let foreign =
            !notes::foreign_language(s.source.meta.language.as_deref(), &b.site.config.language)
                .is_empty();
        let body_html = source_body::render(
            s.source.text(),
            &paragraphs,
            &source_body::Overlay {
                passages: &s.passages,
                cited_by: &cited_by,
                mentions: &mentions,
                notes_lang: foreign.then_some(b.site.config.language.as_str()),
            },
        );
        let notes_html = page.opt_md(s.notes.as_ref());
        let meta = &s.source.meta;
        let citations = self.citation_counts[i];
        let source = tv!({
            id: s.source.id, title: meta.title, outlet: meta.outlet.clone().unwrap_or_default(),
            author: meta.author.clone().unwrap_or_default(),
            date: meta.published.map(|d| d.display()).unwrap_or_default(),
            retrieved: meta.retrieved.map(|d| d.display()).unwrap_or_default(),
            language: meta.language.clone().unwrap_or_default(),
            language_name: meta.language.as_deref().map(meta::language_name).unwrap_or_default(),
            original_url: meta.url.clone().unwrap_or_default(),
            is_summary: meta.summary_of.is_some(),
            summary_of: meta.summary_of.as_ref().map(|s| s.describe()).unwrap_or_default(),
            notes_html: notes_html, body_html: body_html, citations: citations,
            mentions: mentioned,
        });
        // A source is described by its first paragraph the reader sees.
        let opening = paragraphs
            .iter()
            .find(|(_, hidden)| !hidden)
            .map(|(r, _)| meta::description(&s.source.text()[r.clone()]))
            .unwrap_or_default();
        let mut ctx = self.base_context(&path, "source", &meta.title, &opening, &page);
        ctx.insert_value("source", source);
        self.insert_notes(&mut ctx, &page, None);
        let html = self.t.render("source.html", &ctx)?;
        let file = OutFile {
            path: file_path,
            contents: Contents::Bytes(html.into_bytes()),
        };
        Ok((file, fingerprint))
    }

    /// The small files that are not pages (404, feed, sitemap, assets, hosting files), those
    /// of them `part` makes.
    fn site_files(&self, part: Part<'_>) -> Result<Vec<OutFile>, Diagnostic> {
        let b = self.b;
        let config = &b.site.config;
        let base = &config.base_url;
        let mut files = Vec::new();
        let bytes = |path: &str, s: String| OutFile {
            path: path.to_string(),
            contents: Contents::Bytes(s.into_bytes()),
        };

        if part.makes("404.html") {
            let page404 = Page {
                b,
                root: config.base_path(),
                notes: Notes::default(),
            };
            let description = match config.description.trim() {
                "" => format!("This page is not part of {}.", config.title.trim()),
                _ => String::new(),
            };
            let mut ctx =
                self.base_context("404.html", "404", "Page not found", &description, &page404);
            ctx.insert("notes", &Vec::<Value>::new());
            ctx.insert("notes_html", "");
            files.push(bytes("404.html", self.t.render("404.html", &ctx)?));
        }

        if part.makes("feed.xml") {
            // Feed: sources and dated events, newest first.
            let mut entries: Vec<(PartialDate, String, Value)> = Vec::new();
            for s in &b.sources {
                if let Some(d) = s.source.meta.published {
                    let url = format!("{base}sources/{}/", s.source.id);
                    let summary = s
                        .source
                        .meta
                        .summary_of
                        .as_ref()
                        .map(|x| x.describe())
                        .unwrap_or_else(|| s.source.meta.outlet.clone().unwrap_or_default());
                    entries.push((d, url.clone(), tv!({title: s.source.meta.title, url: url, id: url, updated: d.rfc3339(), summary: summary})));
                }
            }
            for (i, it) in b.items.iter().enumerate() {
                if let Details::Event { date: Some(d), .. } = &it.item.details {
                    let url = format!("{base}{}", item_path(b, ItemId(i as u32)));
                    let summary = it
                        .summary
                        .as_ref()
                        .map(|s| plain_text(&s.markdown))
                        .unwrap_or_default();
                    entries.push((*d, url.clone(), tv!({title: it.item.name, url: url, id: url, updated: d.rfc3339(), summary: summary})));
                }
            }
            entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let updated = entries
                .first()
                .map(|e| e.0.rfc3339())
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
            let mut ctx = tera::Context::new();
            ctx.insert_value("site", self.site.clone());
            ctx.insert(
                "feed",
                &tv!({title: config.title, id: base, url: format!("{base}feed.xml"), updated: updated,
                        entries: entries.into_iter().map(|e| e.2).collect::<Vec<_>>()}),
            );
            files.push(bytes("feed.xml", self.t.render("feed.xml", &ctx)?));
        }

        if part.makes("sitemap.xml") {
            // The pages with something of their own. The search page and the print view
            // (which repeats every item page) are left out, and ask search engines not to
            // index them: a reader should land on the item or source page itself.
            let mut locs: Vec<String> = vec![
                base.clone(),
                format!("{base}sources/"),
                format!("{base}timeline/"),
            ];
            for c in &b.collections {
                locs.push(format!("{base}{}/", c.id));
            }
            for i in 0..b.items.len() {
                locs.push(format!("{base}{}", item_path(b, ItemId(i as u32))));
            }
            for s in &b.sources {
                locs.push(format!("{base}sources/{}/", s.source.id));
            }
            for p in b.pages.iter().filter(|p| !p.page.slug.is_empty()) {
                locs.push(format!("{base}{}/", p.page.slug));
            }
            locs.sort();
            let mut ctx = tera::Context::new();
            ctx.insert("site", &tv!({base_url: base}));
            ctx.insert(
                "sitemap",
                &locs.iter().map(|l| tv!({loc: l})).collect::<Vec<_>>(),
            );
            files.push(bytes("sitemap.xml", self.t.render("sitemap.xml", &ctx)?));
        }

        files.push(bytes(
            "robots.txt",
            format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"),
        ));

        files.push(bytes(
            "assets/brief.css",
            format!("{}\n{}", templates::CSS, markdown::highlight_css()),
        ));
        files.push(bytes("assets/brief.js", templates::JS.to_string()));
        files.push(bytes("assets/search.js", templates::SEARCH_JS.to_string()));
        files.push(bytes("assets/favicon.svg", templates::FAVICON.to_string()));
        files.push(bytes(".nojekyll", String::new()));
        if let Some(domain) = config
            .domain
            .as_ref()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
        {
            files.push(bytes("CNAME", format!("{domain}\n")));
        }
        Ok(files)
    }
}

/// How many notes or timeline entries are written together by one thread.
const RUN: usize = 1024;

/// The HTML `write` makes of each of `items` (about `size` bytes each), in runs made in
/// parallel: tens of thousands of notes or timeline entries on a large briefing.
fn html_runs<T: Sync>(
    items: &[T],
    size: usize,
    write: impl Fn(&T, &mut String) + Sync,
) -> Vec<String> {
    items
        .par_chunks(RUN)
        .map(|run| {
            let mut out = String::with_capacity(run.len() * size);
            for item in run {
                write(item, &mut out);
            }
            out
        })
        .collect()
}

/// A dated event or dispute, or a dated claim of an item, on the timeline.
struct TimelineEntry<'a> {
    date: PartialDate,
    kind: EntryKind,
    title: &'a str,
    url: String,
    text_html: String,
}

/// What a timeline entry is: its class (`kind` in templates) and its tag.
#[derive(Clone, Copy)]
enum EntryKind {
    /// An event, dated by its `date`.
    Event,
    /// A dispute with a `date`: what the sources disagree about happened then.
    Dispute,
    /// A dated claim of any item, linking to the claim on its item's page.
    Claim,
}

impl EntryKind {
    fn class(self) -> &'static str {
        match self {
            EntryKind::Event => "event",
            EntryKind::Dispute => "dispute",
            EntryKind::Claim => "claim",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            EntryKind::Event => "Event",
            EntryKind::Dispute => "Dispute",
            EntryKind::Claim => "Claim",
        }
    }
}

impl TimelineEntry<'_> {
    fn kind(&self) -> &'static str {
        self.kind.class()
    }

    fn precision(&self) -> &'static str {
        match self.date.precision() {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }

    /// The entry as `partials/timeline-entries.html` reads it.
    fn value(&self) -> Value {
        tv!({date: self.date.display(), date_iso: self.date.iso(), precision: self.precision(), kind: self.kind(), tag: self.kind.tag(), title: self.title, url: self.url, text_html: self.text_html})
    }

    /// The entry exactly as the built-in `partials/timeline-entries.html` writes it.
    fn write_html(&self, out: &mut String) {
        let e = markdown::escape_into;
        out.push_str("\n  <li class=\"entry ");
        out.push_str(self.kind());
        out.push_str(" precision-");
        out.push_str(self.precision());
        out.push_str("\">\n    <time datetime=\"");
        e(out, &self.date.iso());
        out.push_str("\">");
        e(out, &self.date.display());
        out.push_str("</time>\n    <div class=\"entry-body\">\n      <p class=\"entry-title\"><span class=\"tag\">");
        out.push_str(self.kind.tag());
        out.push_str("</span> <a href=\"");
        e(out, &self.url);
        out.push_str("\">");
        e(out, self.title);
        out.push_str("</a></p>");
        if !self.text_html.is_empty() {
            out.push_str("\n      <div class=\"prose\">");
            out.push_str(&self.text_html);
            out.push_str("</div>");
        }
        out.push_str("\n    </div>\n  </li>");
    }
}

/// A year's entries exactly as the built-in `partials/timeline-entries.html` renders them
/// (tests/example.rs compares the two).
fn timeline_html(entries: &[TimelineEntry]) -> String {
    let runs = html_runs(entries, 400, TimelineEntry::write_html);
    let mut out = String::with_capacity(runs.iter().map(String::len).sum::<usize>() + 32);
    out.push_str("<ol class=\"timeline\">");
    for run in runs {
        out.push_str(&run);
    }
    // The partial file ends in a line break, which Tera keeps.
    out.push_str("\n</ol>\n");
    out
}

/// What a page brief makes up says it holds, for a briefing that gives it no description:
/// search engines skip a page whose description is empty or the same as every other's.
fn made_up_description(b: &Briefing, job: &PageJob) -> String {
    let site = b.site.config.title.trim();
    let n = b.sources.len();
    let sources = if n == 1 { "source" } else { "sources" };
    match job {
        PageJob::Sources => {
            format!("The {n} {sources} cited in {site}, with their outlets and dates.")
        }
        PageJob::Timeline => {
            format!("Timeline of {site}: the dated events and claims, year by year.")
        }
        PageJob::Collection(i) => {
            let c = &b.collections[*i];
            let n = c.items.len();
            let entries = if n == 1 { "entry" } else { "entries" };
            format!("{} in {site}: {n} {entries}.", c.title)
        }
        PageJob::Print => format!("{site}, the whole briefing on one page, for print."),
        PageJob::Search => format!("Search the items and sources of {site}."),
        PageJob::Index | PageJob::Item(_) | PageJob::Page(_) => String::new(),
    }
}

fn source_summary(s: &crate::resolve::ResolvedSource, citations: usize, page: &Page<'_>) -> Value {
    let meta = &s.source.meta;
    tv!({
        id: s.source.id, title: meta.title, url: page.source_link(&s.source.id),
        outlet: meta.outlet.clone().unwrap_or_default(), author: meta.author.clone().unwrap_or_default(),
        date: meta.published.map(|d| d.display()).unwrap_or_default(),
        is_summary: meta.summary_of.is_some(),
        summary_of: meta.summary_of.as_ref().map(|x| x.describe()).unwrap_or_default(),
        paragraphs: s.source.paragraphs.iter().filter(|p| !p.hidden).count(),
        citations: citations,
    })
}

/// One line under an item's name: role and side, city and country, date and place …
fn subtitle(b: &Briefing, it: &ResolvedItem) -> String {
    let name_of = |key: &str| {
        it.links
            .get(key)
            .and_then(|v| v.first())
            .map(|id| b.items[id.0 as usize].item.name.clone())
    };
    let parts: Vec<String> = match &it.item.details {
        Details::Person { role, side, .. } => vec![role.clone(), side.clone()]
            .into_iter()
            .flatten()
            .collect(),
        Details::Venue { city, country, .. } => vec![city.clone(), country.clone()]
            .into_iter()
            .flatten()
            .collect(),
        Details::Event { date, .. } => vec![date.map(|d| d.display()), name_of("place")]
            .into_iter()
            .flatten()
            .collect(),
        Details::Organization {
            short_name,
            country,
            ..
        } => vec![short_name.clone(), country.clone()]
            .into_iter()
            .flatten()
            .collect(),
        Details::Dispute { question, .. } => vec![question.clone()],
        Details::Free { .. } => Vec::new(),
    };
    parts.join(" · ")
}

/// Markdown as plain text (for feed summaries): citations and markup dropped.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new(md) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    without_citations(&out)
}

/// Plain text with its citations (`[@id "quote"]`) dropped and white space collapsed.
fn without_citations(out: &str) -> String {
    let (groups, _) = crate::citation::parse(out);
    let mut clean = String::new();
    let mut at = 0;
    for g in groups {
        clean.push_str(&out[at..g.range.start]);
        at = g.range.end;
    }
    clean.push_str(&out[at..]);
    crate::text::collapse_white_space(&clean)
        .replace(" .", ".")
        .replace(" ,", ",")
}
