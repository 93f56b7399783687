//! One page's render: the state a page is rendered in ([`PageState`]: its way to the root
//! and its notes), what a page type gives ([`PageOut`]), the context every template gets, and
//! the dispatch from a [`PageJob`] to its page type in [`super::pages`].

use tera::Value;

use super::jsonld::{self, LinkedData};
use super::notes::{Backlink, Notes};
use super::pieces::{self, Piece, Segment};
use super::plan::{Job, PageJob};
use super::{Renderer, meta};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, site_link};
use crate::resolve::{Briefing, CitationId, ItemId, Owner, ResolvedItem, Text};
use crate::site_map::{self, FixedPage};

/// What a page type gives: its template, its kind (`page.kind` in templates), its title and
/// description, and the template variables of its own.
pub(super) struct PageOut {
    pub(super) template: &'static str,
    pub(super) kind: &'static str,
    pub(super) title: String,
    /// Empty when the page has none of its own (see [`Renderer::make`]).
    pub(super) description: String,
    pub(super) vars: Vec<(&'static str, Value)>,
    /// What the page stands for, for its schema.org JSON-LD (`None`: no such block).
    pub(super) linked_data: Option<LinkedData>,
}

/// A rendered page: its HTML, and the backlinks it gives the source pages it cites.
pub(super) struct RenderedPage {
    pub(super) html: String,
    pub(super) backlinks: Vec<Backlink>,
}

/// A page rendered but for its large pieces (the print view's items and notes, the
/// timeline's entries), which go in as it is written: on a large briefing they are tens of
/// megabytes that need not be copied into one string.
pub(super) struct Made<'r> {
    page: PageState<'r>,
    title: String,
    /// Tera's output, with placeholders for `pieces`.
    html: String,
    pieces: Vec<Piece<'r>>,
}

impl Made<'_> {
    /// Writes the page to `w`, with `text` writing each stretch of HTML.
    pub(super) fn write<W: ?Sized>(
        &self,
        r: &Renderer<'_>,
        w: &mut W,
        mut text: impl FnMut(&mut W, &str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for segment in pieces::segments(&self.html, self.pieces.len()) {
            match segment {
                Segment::Text(html) => text(w, html)?,
                Segment::Piece(k) => match &self.pieces[k] {
                    Piece::Html(html) => text(w, html)?,
                    Piece::Shared(html) => text(w, html)?,
                    Piece::Notes => {
                        let page = &self.page;
                        page.notes.write_html(
                            r.briefing,
                            &r.fragments,
                            &page.root,
                            &mut |html| text(w, html),
                        )?;
                    }
                },
            }
        }
        Ok(())
    }
}

/// The relative way from a page at `path` to the site root.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The site's navigation, the same on every page: title and folder of each entry.
pub(super) fn nav(b: &Briefing) -> Vec<(String, String)> {
    let t = &b.site.strings;
    let mut v = vec![(t.get("home").to_string(), String::new())];
    for c in &b.collections {
        v.push((c.title.clone(), site_map::collection_dir(&c.id)));
    }
    v.push((t.get("timeline").into(), FixedPage::Timeline.dir().into()));
    v.push((t.get("network").into(), FixedPage::Network.dir().into()));
    v.push((t.get("sources").into(), FixedPage::Sources.dir().into()));
    if site_map::has(b, FixedPage::Changes) {
        v.push((t.get("changes").into(), FixedPage::Changes.dir().into()));
    }
    for p in b.pages.iter().filter(|p| !p.page.slug.is_empty()) {
        v.push((p.page.title.clone(), site_map::page_dir(&p.page.slug)));
    }
    v
}

/// Per-page rendering state: the way to the root and the page's notes.
pub(super) struct PageState<'a> {
    pub(super) briefing: &'a Briefing,
    /// The relative way to the site root (`../../`).
    pub(super) root: String,
    pub(super) notes: Notes,
}

impl PageState<'_> {
    /// Renders a text of the page with its citation marks (numbered in this page's notes).
    pub(super) fn md(&mut self, text: &Text) -> String {
        self.render_text(text, false, true)
    }

    /// [`Page::md`] for a one-paragraph text, without the `<p>` around it.
    pub(super) fn md_inline(&mut self, text: &Text) -> String {
        self.render_text(text, true, true)
    }

    /// Markdown without its citation marks (for index pages that link to where the notes are).
    pub(super) fn md_plain(&mut self, text: &Text) -> String {
        self.render_text(text, false, false)
    }

    pub(super) fn md_plain_inline(&mut self, text: &Text) -> String {
        self.render_text(text, true, false)
    }

    fn render_text(&mut self, text: &Text, inline: bool, marks: bool) -> String {
        let opts = markdown::RenderOptions {
            root: &self.root,
            allow_html: self.briefing.site.config.allow_html,
            unlinked: Some(&self.briefing.unlinked).filter(|u| !u.is_empty()),
        };
        let b = self.briefing;
        let notes = &mut self.notes;
        let mut mark = |i: usize| match text.groups.get(i) {
            // A group may be empty: its citations all cite sources a public build left out.
            Some(g) if marks && !g.is_empty() => notes.mark(b, g),
            _ => String::new(),
        };
        if inline {
            markdown::render_inline(&text.markdown, &opts, &mut mark)
        } else {
            markdown::render(&text.markdown, &opts, &mut mark)
        }
    }

    pub(super) fn opt_md(&mut self, text: Option<&Text>) -> String {
        text.map(|t| self.md(t)).unwrap_or_default()
    }

    pub(super) fn link(&self, path: &str) -> String {
        site_link(&self.root, path)
    }

    /// [`Page::link`] to the page of the source `id`, made in one go: item pages list up to
    /// hundreds of sources each.
    pub(super) fn source_link(&self, id: &str) -> String {
        [
            self.root.as_str(),
            &site_map::file_of(&site_map::source_dir(id)),
        ]
        .concat()
    }

    /// A claim or position: text and the marks of its `cite:` list.
    pub(super) fn claim(&mut self, text: &Text, cites: &[CitationId]) -> String {
        let mut html = self.md_inline(text);
        html.push_str(&self.notes.marks_for(self.briefing, cites));
        html
    }

    /// What an internal build shows of `part` being internal: a badge when it is, a box of
    /// its internal notes when it has them; nothing in a public build, which has neither.
    pub(super) fn internal_html(&mut self, part: crate::audience::Part) -> String {
        let internal = &self.briefing.internal;
        let t = &self.briefing.site.strings;
        let badge = internal.is_internal(part).then(|| {
            format!(
                "<span class=\"internal-badge\" title=\"{}\">{}</span>",
                markdown::escape_html(t.get("internal_badge_title")),
                markdown::escape_html(t.get("internal_badge"))
            )
        });
        let Some(notes) = internal.notes(part).cloned() else {
            return badge.unwrap_or_default();
        };
        let mut html = badge.unwrap_or_default();
        let label = markdown::escape_html(t.get("internal_notes"));
        html.push_str(&format!(
            "<aside class=\"internal-notes\" aria-label=\"{label}\"><p class=\"internal-notes-label\">{label}</p>"
        ));
        html.push_str(&self.md_plain(&notes));
        html.push_str("</aside>");
        html
    }

    pub(super) fn item_ref(&self, id: ItemId) -> Value {
        let it = &self.briefing.items[id.0 as usize];
        tv!({
            name: it.name,
            url: self.link(&site_map::item(self.briefing, id)),
            collection: self.briefing.collections[it.collection].title,
        })
    }

    pub(super) fn positions(&mut self, item: &ResolvedItem) -> Vec<Value> {
        let id = self
            .briefing
            .items
            .iter()
            .position(|i| std::ptr::eq(i, item));
        item.positions()
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let text_html = self.claim(&p.text, &p.cites);
                let held_by: Vec<Value> = p.held_by.iter().map(|&h| self.item_ref(h)).collect();
                let part = id.map(|i| crate::audience::Part::Position(ItemId(i as u32), k));
                let internal_html = part.map(|p| self.internal_html(p)).unwrap_or_default();
                let evidence = self.evidence(&p.text, &p.cites);
                tv!({text_html: text_html, held_by: held_by, internal_html: internal_html, evidence: evidence})
            })
            .collect()
    }
}

impl Renderer<'_> {
    pub(super) fn base_context(
        &self,
        path: &str,
        kind: &str,
        title: &str,
        description: &str,
        page: &PageState<'_>,
    ) -> tera::Context {
        let config = &self.briefing.site.config;
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("t", self.t.clone());
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
        // The page's JSON-LD, ready for its `<script>` block; the page types that have one
        // replace it.
        ctx.insert("jsonld", "");
        ctx
    }

    /// The page's notes for the template: `notes`, and `notes_html` rendered here (the same
    /// bytes as the built-in `partials/notes.html`, quicker) unless the user's templates
    /// replace that partial.
    ///
    /// With `pieces`, the notes section goes there and `notes_html` is its placeholder (see
    /// [`Made::write`]).
    pub(super) fn insert_notes(
        &self,
        ctx: &mut tera::Context,
        page: &PageState<'_>,
        pieces: Option<&mut Vec<Piece<'_>>>,
    ) {
        let deferred = pieces.filter(|_| !self.notes_by_tera && !page.notes.is_empty());
        // The notes list goes in when the page is written; make it here only if read.
        let notes = if deferred.is_none() || self.notes_list {
            page.notes
                .context(self.briefing, &self.fragments, &page.root)
        } else {
            Vec::new()
        };
        if self.notes_by_tera {
            ctx.insert("notes_html", "");
        } else if let Some(pieces) = deferred {
            ctx.insert("notes_html", &pieces::placeholder(pieces.len()));
            pieces.push(Piece::Notes);
        } else {
            ctx.insert(
                "notes_html",
                &Notes::html(&notes, &page.notes.references(self.briefing, &page.root)),
            );
        }
        // A source at most once a page: cheap to make even when no template reads it.
        ctx.insert(
            "references",
            &page.notes.references(self.briefing, &page.root),
        );
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

    /// Renders one page; returns its HTML and backlinks.
    pub(super) fn page(&self, job: &Job) -> Result<RenderedPage, Diagnostic> {
        let made = self.make(job)?;
        let mut html = String::with_capacity(made.html.len());
        // Writing into a String cannot fail.
        let _ = made.write(self, &mut html, |out, t| {
            out.push_str(t);
            Ok(())
        });
        let backlinks = made.page.notes.backlinks(&job.dir, &made.title);
        Ok(RenderedPage { html, backlinks })
    }

    /// Renders one page up to its large pieces, which go in as it is written.
    pub(super) fn make<'r>(&'r self, job: &Job) -> Result<Made<'r>, Diagnostic> {
        let b = self.briefing;
        let mut page = PageState {
            briefing: b,
            root: root_of(&job.dir),
            notes: Notes::new(self.home(job.page)),
        };
        // Large pieces of the timeline and print view, put in after Tera (see Made::write).
        let mut pieces: Vec<Piece<'r>> = Vec::new();
        let out = match job.page {
            PageJob::Index => self.index(&mut page),
            PageJob::Collection(i) => self.collection(i, &mut page),
            PageJob::Item(id) => self.item(id, &mut page, false),
            PageJob::Page(i) => self.free_page(i, &mut page),
            PageJob::Fixed(FixedPage::Sources) => self.sources(&page),
            PageJob::Fixed(FixedPage::Timeline) => self.timeline(&mut page, &mut pieces),
            PageJob::Fixed(FixedPage::Search) => self.search_page(&page),
            PageJob::Fixed(FixedPage::Print) => self.print(&mut page, &mut pieces)?,
            PageJob::PrintPart(k) => self.print_part(k, &mut page, &mut pieces)?,
            PageJob::Fixed(FixedPage::Changes) => self.changes_page(&page),
            PageJob::Fixed(FixedPage::Network) => self.network_page(&page),
        };
        let description = self.description(job.page, out.description);
        let mut ctx = self.base_context(&job.dir, out.kind, &out.title, &description, &page);
        for (k, v) in out.vars {
            ctx.insert_value(k, v);
        }
        if let Some(what) = out.linked_data {
            ctx.insert("jsonld", &jsonld::of(b, what, &description));
        }
        let print = matches!(
            job.page,
            PageJob::Fixed(FixedPage::Print) | PageJob::PrintPart(_)
        );
        self.insert_notes(&mut ctx, &page, print.then_some(&mut pieces));
        let html = self.templates.render(out.template, &ctx)?;
        Ok(Made {
            page,
            title: out.title,
            html,
            pieces,
        })
    }

    /// What a page's citations are written for: its notes number them and its backlinks
    /// point at it. brief's own pages write none of their own.
    fn home(&self, job: PageJob) -> Option<Owner> {
        match job {
            PageJob::Index => self
                .briefing
                .pages
                .iter()
                .position(|p| p.page.slug.is_empty())
                .map(Owner::Page),
            PageJob::Collection(i) => Some(Owner::Collection(i)),
            PageJob::Item(id) => Some(Owner::Item(id)),
            PageJob::Page(i) => Some(Owner::Page(i)),
            PageJob::Fixed(_) | PageJob::PrintPart(_) => None,
        }
    }

    /// A page's `<meta name="description">`: its own, else (an empty one costs a page its
    /// place in search results) what it opens with; nor may every page say the same, so a
    /// page brief makes up, on a briefing that says nothing of itself, says what it lists.
    fn description(&self, job: PageJob, own: String) -> String {
        let b = self.briefing;
        if !own.trim().is_empty() {
            return own;
        }
        match meta::description(&self.opening_text(job)) {
            d if d.is_empty() && b.site.config.description.trim().is_empty() => {
                made_up_description(b, job)
            }
            d => d,
        }
    }

    /// The plain text a page opens with, which describes it when nothing else does: the
    /// first paragraph of the front page, a free page, an item's summary or a collection's
    /// description; empty for the pages brief makes up (the lists, the timeline).
    fn opening_text(&self, job: PageJob) -> String {
        let b = self.briefing;
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
            PageJob::Page(i) => meta::first_paragraph(&b.pages[i].page.body.text),
            PageJob::Item(id) => opening(b.items[id.0 as usize].summary.as_ref()),
            PageJob::Collection(i) => opening(b.collections[i].description.as_ref()),
            PageJob::Fixed(_) | PageJob::PrintPart(_) => String::new(),
        }
    }
}

/// What a page brief makes up says it holds, for a briefing that gives it no description:
/// search engines skip a page whose description is empty or the same as every other's.
fn made_up_description(b: &Briefing, job: PageJob) -> String {
    let site = b.site.config.title.trim();
    let t = &b.site.strings;
    let n = b.sources.len() as u64;
    match job {
        PageJob::Fixed(FixedPage::Sources) => t.plural("describe_sources", n, &[("site", site)]),
        PageJob::Fixed(FixedPage::Timeline) => t.fill("describe_timeline", &[("site", site)]),
        PageJob::Collection(i) => {
            let c = &b.collections[i];
            let n = c.items.len() as u64;
            t.plural(
                "describe_collection",
                n,
                &[("site", site), ("title", &c.title)],
            )
        }
        PageJob::Fixed(FixedPage::Print) | PageJob::PrintPart(_) => {
            t.fill("describe_print", &[("site", site)])
        }
        PageJob::Fixed(FixedPage::Search) => t.fill("describe_search", &[("site", site)]),
        PageJob::Fixed(FixedPage::Changes) => t.fill("describe_changes", &[("site", site)]),
        PageJob::Fixed(FixedPage::Network) => t.fill("describe_network", &[("site", site)]),
        PageJob::Index | PageJob::Item(_) | PageJob::Page(_) => String::new(),
    }
}
