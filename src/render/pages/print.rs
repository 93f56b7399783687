//! The print view (`/print/`): the whole briefing on one page — the front page summary, every
//! collection with every item, its claims and positions, and the timeline — with one notes
//! list for the whole page, numbered by first use across all of it.
//!
//! The items are most of the page; each is rendered on its own (in parallel) with
//! `partials/print-item.html` and deferred notes, then numbered into the page's notes in
//! reading order ([`Notes::absorb`]), so a passage cited in several items keeps its number and
//! every mark id is unique.
//!
//! Past [`site_map::PRINT_PART_ITEMS`] items (a briefing of thousands of sources made one
//! page of 63 MB) the items are printed in parts of one collection and at most that many
//! items each (`print/1/` …, [`Renderer::print_part`]), each with its own notes; the print
//! page keeps the summary and the collections, lists the parts and links to the timeline.
//!
//! The items and the notes list are tens of megabytes on a large briefing: the template gets
//! short placeholders for them, which [`splice`] replaces once Tera is done, rather than
//! copying all of it into Tera's values and out again.

use rayon::prelude::*;
use tera::Value;
use tera::value::Key;

use crate::diagnostics::Diagnostic;
use crate::load::Kind;
use crate::render::Renderer;
use crate::render::notes::Notes;
use crate::render::page::{PageOut, PageState};
use crate::render::pieces::{Piece, placeholder};
use crate::resolve::ItemId;
use crate::site_map;

impl Renderer<'_> {
    /// The print page; the pieces its placeholders stand for go to `pieces`. A briefing past
    /// [`site_map::PRINT_PART_ITEMS`] items gets, instead of its items and timeline, the
    /// list of the parts its items are printed in ([`Renderer::print_part`]) and a link to
    /// the timeline's page, with a note that says why.
    pub(in crate::render) fn print<'r>(
        &'r self,
        page: &mut PageState<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> Result<PageOut, Diagnostic> {
        let b = self.briefing;
        let t = &b.site.strings;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        // Made before the text, as resolve numbered their citations first.
        let key_points: Vec<String> = front
            .map(|p| p.key_points.iter().map(|k| page.md(k)).collect())
            .unwrap_or_default();
        // The page's one `<h1>` is the site's title: a `# heading` of the front page (its
        // title, when it is written in the body) becomes a heading of the summary.
        let summary_html = front
            .map(|p| {
                page.md(&p.body)
                    .replace("<h1>", "<h2>")
                    .replace("</h1>", "</h2>")
            })
            .unwrap_or_default();
        let parts = site_map::print_parts(b);
        let total = parts.len().to_string();
        let mut collections: Vec<Value> = Vec::with_capacity(b.collections.len());
        for (i, c) in b.collections.iter().enumerate() {
            let items = match parts.is_empty() {
                true => self.print_items(i, 0..c.items.len(), page, pieces)?,
                false => Vec::new(),
            };
            let own_parts: Vec<Value> = parts
                .iter()
                .enumerate()
                .filter(|(_, p)| p.collection == i)
                .map(|(k, p)| {
                    let name = |at: usize| &b.items[c.items[at].0 as usize].name;
                    tv!({
                        url: page.link(&site_map::print_part_dir(k + 1)),
                        title: t.fill("print_part", &[("n", &(k + 1).to_string()), ("total", &total)]),
                        first: name(p.items.start),
                        last: name(p.items.end - 1),
                        count: p.items.len(),
                    })
                })
                .collect();
            collections.push(self.print_collection(i, items, own_parts, page));
        }
        let mut vars = vec![
            ("summary_html", Value::from(summary_html)),
            ("key_points", Value::from(key_points)),
            ("collections", Value::from(collections)),
        ];
        if parts.is_empty() {
            vars.extend(self.timeline(page, pieces).vars);
        } else {
            let n = parts.len().to_string();
            let max = site_map::PRINT_PART_ITEMS.to_string();
            let note = t.fill("print_parts_note", &[("n", &n), ("max", &max)]);
            vars.push(("print_parts_note", Value::from(note)));
            let timeline = page.link(site_map::FixedPage::Timeline.dir());
            vars.push(("timeline_url", Value::from(timeline)));
        }
        Ok(PageOut {
            template: "print.html",
            kind: "print",
            title: t.get("print_view").to_string(),
            description: b.site.config.description.clone(),
            vars,
            linked_data: None,
        })
    }

    /// Part `k` of the print view of a large briefing ([`site_map::print_parts`]): its
    /// collection's heading and its items with their notes, on the print page's template,
    /// with `print_part` saying which part it is and linking back to the print page.
    pub(in crate::render) fn print_part<'r>(
        &'r self,
        k: usize,
        page: &mut PageState<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> Result<PageOut, Diagnostic> {
        let b = self.briefing;
        let t = &b.site.strings;
        let parts = site_map::print_parts(b);
        let part = &parts[k];
        let items = self.print_items(part.collection, part.items.clone(), page, pieces)?;
        let collection = self.print_collection(part.collection, items, Vec::new(), page);
        let title = t.fill(
            "print_part",
            &[
                ("n", &(k + 1).to_string()),
                ("total", &parts.len().to_string()),
            ],
        );
        let print_part = tv!({
            title: title,
            collection: b.collections[part.collection].title,
            url: page.link(site_map::FixedPage::Print.dir()),
        });
        Ok(PageOut {
            template: "print.html",
            kind: "print",
            title: format!("{} · {title}", t.get("print_view")),
            description: b.site.config.description.clone(),
            vars: vec![
                ("collections", Value::from(vec![collection])),
                ("print_part", print_part),
            ],
            linked_data: None,
        })
    }

    /// A collection of the print view, for `print.html`: its heading, description, the
    /// items printed on this page and the parts its items are printed in.
    fn print_collection(
        &self,
        i: usize,
        items: Vec<Value>,
        parts: Vec<Value>,
        page: &mut PageState<'_>,
    ) -> Value {
        let c = &self.briefing.collections[i];
        let description_html = page.opt_md(c.description.as_ref());
        let mut collection = self
            .collection_value(i, page)
            .into_map()
            .unwrap_or_default();
        collection.insert(Key::Str("description_html"), description_html.into());
        collection.insert(Key::Str("items"), items.into());
        collection.insert(Key::Str("parts"), parts.into());
        collection.into()
    }

    /// `collection` for `partials/print-item.html`.
    fn collection_value(&self, i: usize, page: &PageState<'_>) -> Value {
        let c = &self.briefing.collections[i];
        tv!({
            id: c.id, title: c.title, kind: c.kind, url: page.link(&site_map::collection_dir(&c.id)),
            is_dispute: c.kind == Kind::Dispute,
        })
    }

    /// The items `range` of collection `i`, each rendered on its own (in parallel) and its
    /// notes numbered into the page's in reading order; their HTML goes to `pieces`.
    fn print_items<'r>(
        &'r self,
        i: usize,
        range: std::ops::Range<usize>,
        page: &mut PageState<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> Result<Vec<Value>, Diagnostic> {
        let b = self.briefing;
        let ids = &b.collections[i].items[range];
        let collection = self.collection_value(i, page);
        let rendered: Vec<Result<(Notes, String), Diagnostic>> = ids
            .par_iter()
            .map(|&id| self.print_item(id, &page.root, &collection))
            .collect();
        let mut items = Vec::with_capacity(rendered.len());
        for (&id, item) in ids.iter().zip(rendered) {
            let (notes, html) = item?;
            let it = &b.items[id.0 as usize];
            items.push(tv!({
                id: it.id, name: it.name,
                url: page.link(&site_map::item(b, id)),
                html: placeholder(pieces.len()),
            }));
            pieces.push(Piece::Html(page.notes.absorb(notes, &html)));
        }
        Ok(items)
    }

    /// One item of the print view, with its notes deferred.
    fn print_item(
        &self,
        id: ItemId,
        root: &str,
        collection: &Value,
    ) -> Result<(Notes, String), Diagnostic> {
        let b = self.briefing;
        let mut page = PageState {
            briefing: b,
            root: root.to_string(),
            notes: Notes::deferred(),
        };
        let out = self.item(id, &mut page, true);
        let subtitle = out.description;
        let mut item = out
            .vars
            .into_iter()
            .find(|(k, _)| *k == "item")
            .and_then(|(_, v)| v.into_map())
            .unwrap_or_default();
        item.insert(Key::Str("subtitle"), subtitle.into());
        item.insert(Key::Str("url"), page.link(&site_map::item(b, id)).into());
        let mut ctx = tera::Context::new();
        ctx.insert_value("item", Value::from(item));
        ctx.insert_value("collection", collection.clone());
        ctx.insert_value("t", self.t.clone());
        let html = self.templates.render("partials/print-item.html", &ctx)?;
        Ok((page.notes, html))
    }
}
