//! Rendering: turns a resolved [`Briefing`] into the files of the site, in memory, handed to
//! a [`Sink`] as they are made.
//!
//! A render is a short list of steps ([`render_cached`]): plan the pages ([`plan`]); render
//! the pages that cite, beside the site-wide files (the print view, briefing.json, the search
//! index, the feed, the sitemap, 404 and the theme's files); render the source pages, which
//! show after every cited passage the backlinks the first pages gave; copy the static files.
//! Each page type is one file of [`pages`]; each site-wide file one file here. The paths of
//! all of them are the site map's ([`crate::site_map`]).

/// A map for the templates: `tv!({name: it.name, count: n})`, with any `Serialize`
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

mod annotations;
mod changes_feed;
mod csl;
mod emit;
mod evidence;
mod feed;
mod fragments;
mod json;
mod jsonld;
mod map;
mod meta;
mod network;
mod notes;
mod page;
mod pages;
mod pieces;
mod plan;
mod search;
mod site_files;
mod sitemap;
mod source_body;
mod strip;
mod svg;
pub mod templates;

pub use meta::language_name;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::Value;

use crate::cache::Memo;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Contents, OutFile, Part, Sink};
use crate::progress::Progress;
use crate::resolve::{Briefing, hash_of};
use crate::site_map::{self, SiteFile};
use emit::Emit;
use notes::Backlink;
use pages::timeline::TimelineYear;
use plan::Plan;
use templates::Templates;

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
}

/// Source pages kept from the last build, by file path: the fingerprint of what each shows,
/// and its bytes.
type Pages = Memo<String, (u64, Vec<u8>)>;

impl Cache {
    /// A cache that keeps the source pages of each build for the next.
    pub fn keeping() -> Cache {
        Cache {
            pages: Memo::keeping(),
        }
    }
}

/// The backlinks the pages that cite give, by source and passage (`None`: the source as a
/// whole).
type Backlinks = HashMap<(u32, Option<usize>), Vec<Backlink>>;

/// [`render`] of one [`Part`] of the site, reusing the source pages in `cache` whose inputs
/// did not change.
pub fn render_cached(
    b: &Briefing,
    part: Part<'_>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
    cache: &mut Cache,
    progress: &dyn Progress,
) -> bool {
    let Some(templates) = Templates::new(&b.site.templates, b.site.strings.rule(), diags) else {
        return false;
    };
    let r = Renderer::new(b, &templates);
    let emit = Emit::new(b, sink, part, progress);
    let plan = Plan::of(b, part);
    progress.start("writing pages", plan.len());
    let (cited, site_wide) = rayon::join(
        || r.pages_that_cite(&plan, &emit),
        || r.site_wide_files(&plan, part, &emit),
    );
    let mut failures = Vec::new();
    let backlinks = gather_backlinks(cited, &mut failures);
    failures.extend(r.source_pages(&plan, &backlinks, cache, part, &emit));
    failures.extend(site_wide.err());
    failures.extend(emit.static_files().into_iter().filter_map(Result::err));
    failures.extend(emit.originals().into_iter().filter_map(Result::err));
    progress.finish();
    let in_the_way = emit.in_the_way();
    let ok = failures.is_empty() && in_the_way.is_empty();
    failures
        .into_iter()
        .chain(in_the_way)
        .for_each(|d| diags.push(d));
    ok
}

/// The backlinks of the pages rendered, by source and passage; the pages that failed go to
/// `failures`.
fn gather_backlinks(
    rendered: Vec<Result<Vec<Backlink>, Diagnostic>>,
    failures: &mut Vec<Diagnostic>,
) -> Backlinks {
    let mut backlinks = Backlinks::new();
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
            Err(d) => failures.push(d),
        }
    }
    backlinks
}

/// What every page of a render shares: the briefing, the templates, and what is worked out
/// once for all pages.
struct Renderer<'a> {
    briefing: &'a Briefing,
    templates: &'a Templates,
    /// The site's navigation: title and folder of each entry.
    nav: Vec<(String, String)>,
    /// Citations per source, by source index.
    citation_counts: Vec<usize>,
    /// The user's templates replace `partials/notes.html`: Tera renders the notes.
    notes_by_tera: bool,
    /// A user template may read the `notes` list (see [`Renderer::insert_notes`]).
    notes_list: bool,
    /// The timeline's years, made once for the timeline page and the print view.
    timeline: std::sync::OnceLock<Vec<TimelineYear>>,
    /// The network of the actors, made when a page first draws it.
    network: std::sync::OnceLock<network::Graph>,
    /// `site` for the templates: the same on every page (template maps are shared, so each
    /// page takes it without a copy).
    site: Value,
    /// `t` for the templates: the theme's words in the site's language (shared, as `site`).
    t: Value,
    /// A user's template may read an item's `related` or `mentioned_in`, or its claims'
    /// `evidence`, in the print view (see [`Renderer::item`]).
    print_reads_more: bool,
    /// The text fragments of the links to the originals, worked out per source when first
    /// needed.
    fragments: fragments::TextFragments,
}

impl<'a> Renderer<'a> {
    fn new(b: &'a Briefing, templates: &'a Templates) -> Renderer<'a> {
        let mut citation_counts = vec![0; b.sources.len()];
        for c in &b.citations {
            citation_counts[c.source.0 as usize] += 1;
        }
        Renderer {
            briefing: b,
            templates,
            nav: page::nav(b),
            citation_counts,
            notes_by_tera: templates.is_users("partials/notes.html"),
            notes_list: templates.user_may_read("notes"),
            timeline: std::sync::OnceLock::new(),
            network: std::sync::OnceLock::new(),
            print_reads_more: ["related", "mentioned_in", "evidence"]
                .iter()
                .any(|name| templates.user_may_read(name)),
            fragments: fragments::TextFragments::new(b),
            t: b.site.strings.to_value(),
            site: tv!({
                title: b.site.config.title,
                description: b.site.config.description,
                language: b.site.config.language,
                author: b.site.config.author,
                base_url: b.site.config.base_url,
                internal: b.audience == crate::audience::Audience::Internal,
                edition: b.site.config.edition.clone().unwrap_or_default(),
            }),
        }
    }

    /// The network of the actors (the network page, the item pages' neighbourhoods).
    fn graph(&self) -> &network::Graph {
        self.network
            .get_or_init(|| network::Graph::of(self.briefing))
    }

    /// Renders the pages of the plan but the print view and the source pages, in parallel;
    /// returns the backlinks each gives.
    fn pages_that_cite(
        &self,
        plan: &Plan,
        emit: &Emit<'_>,
    ) -> Vec<Result<Vec<Backlink>, Diagnostic>> {
        plan.pages
            .par_iter()
            .map(|job| {
                let rendered = self.page(job)?;
                emit.file(OutFile {
                    path: site_map::file_of(&job.dir),
                    contents: Contents::Bytes(rendered.html.into_bytes()),
                })?;
                Ok(rendered.backlinks)
            })
            .collect()
    }

    /// The files that need no backlinks, made while the pages are: the print view and
    /// briefing.json (the largest files of the site, each written in pieces, none ever whole
    /// in memory), the search index (a manifest and many small chunks), and the small ones
    /// ([`Renderer::site_files`]).
    ///
    /// The print view holds the whole briefing and cites nothing a source page links back
    /// to; much of it is made on one thread (its notes are numbered in reading order), so it
    /// is started first.
    fn site_wide_files(
        &self,
        plan: &Plan,
        part: Part<'_>,
        emit: &Emit<'_>,
    ) -> Result<(), Diagnostic> {
        let b = self.briefing;
        let print = || -> Result<(), Diagnostic> {
            plan.print.par_iter().try_for_each(|job| {
                let made = self.make(job)?;
                emit.pieces(&site_map::file_of(&job.dir), &mut |w| {
                    made.write(self, w, |w, html| w.write_all(html.as_bytes()))
                })
            })
        };
        let small = || {
            self.site_files(part)
                .and_then(|files| files.into_iter().try_for_each(|f| emit.file(f)))
        };
        let json = || {
            emit.pieces(SiteFile::Briefing.path(), &mut |w| {
                json::write_briefing(b, w)
            })
        };
        let annotations = || {
            emit.pieces(SiteFile::Annotations.path(), &mut |w| {
                annotations::write_annotations(b, w)
            })
            .and(emit.pieces(SiteFile::Csl.path(), &mut |w| csl::write_csl(b, w)))
        };
        let search = || {
            // The manifest and its chunks: many small files, each made and handed over
            // on its own, the index never whole in memory.
            search::write_index(b, &|path, bytes| {
                emit.file(OutFile {
                    path,
                    contents: Contents::Bytes(bytes),
                })
            })
            // Only a build with --since has changes to list.
            .and(match b.changes {
                Some(_) => emit.pieces(SiteFile::Changes.path(), &mut |w| {
                    changes_feed::write_changes(b, w)
                }),
                None => Ok(()),
            })
        };
        let (print, (small, (json, (annotations, search)))) = rayon::join(print, || {
            rayon::join(small, || {
                rayon::join(json, || rayon::join(annotations, search))
            })
        });
        print.and(small).and(json).and(annotations).and(search)
    }

    /// Renders the source pages of the plan in parallel, each with its backlinks, reusing
    /// the pages `cache` keeps whose inputs did not change; returns what failed.
    fn source_pages(
        &self,
        plan: &Plan,
        backlinks: &Backlinks,
        cache: &mut Cache,
        part: Part<'_>,
        emit: &Emit<'_>,
    ) -> Vec<Diagnostic> {
        let b = self.briefing;
        let common = self.fingerprint_of_site();
        // (path, fingerprint, bytes) of each source page.
        type Rendered = Result<Option<(String, u64, Vec<u8>)>, Diagnostic>;
        let keep = cache.pages.keeps();
        let rendered: Vec<Rendered> = plan
            .sources
            .par_iter()
            .map(|&i| {
                let (file, fingerprint) =
                    self.source_page(i, backlinks, keep.then_some((common, &cache.pages)))?;
                let kept = match (&file.contents, fingerprint) {
                    (Contents::Bytes(bytes), Some(fingerprint)) => {
                        Some((file.path.clone(), fingerprint, bytes.clone()))
                    }
                    _ => None,
                };
                emit.file(file)?;
                Ok(kept)
            })
            .collect();
        if keep && !matches!(part, Part::Only(_)) {
            // Forget the pages of sources that are gone.
            let current: HashSet<String> = (0..b.sources.len())
                .map(|i| site_map::file_of(&site_map::source(b, i)))
                .collect();
            cache.pages.retain(|path, _| current.contains(path));
        }
        let mut failures = Vec::new();
        for result in rendered {
            match result {
                Ok(Some((path, fingerprint, bytes))) => {
                    cache.pages.insert(path, (fingerprint, bytes));
                }
                Ok(None) => {}
                Err(d) => failures.push(d),
            }
        }
        failures
    }

    /// The fingerprint of what every source page shows besides its own: the site's
    /// settings, its navigation and the templates.
    fn fingerprint_of_site(&self) -> u64 {
        let b = self.briefing;
        hash_of(&(
            &b.site.config,
            &self.nav,
            &b.site.strings,
            b.site
                .templates
                .iter()
                .map(|t| (&t.name, &*t.text))
                .collect::<Vec<_>>(),
        ))
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
