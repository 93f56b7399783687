//! The print view (`/print/`): the whole briefing on one page — the front page summary, every
//! collection with every item, its claims and positions, and the timeline — with one notes
//! list for the whole page, numbered by first use across all of it.
//!
//! The items are most of the page; each is rendered on its own (in parallel) with
//! `partials/print-item.html` and deferred notes, then numbered into the page's notes in
//! reading order ([`Notes::absorb`]), so a passage cited in several items keeps its number and
//! every mark id is unique.
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
    /// The print page; the pieces its placeholders stand for go to `pieces`.
    pub(in crate::render) fn print<'r>(
        &'r self,
        page: &mut PageState<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> Result<PageOut, Diagnostic> {
        let b = self.briefing;
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
        let mut collections: Vec<Value> = Vec::with_capacity(b.collections.len());
        for c in &b.collections {
            let description_html = page.opt_md(c.description.as_ref());
            let collection = tv!({
                id: c.id, title: c.title, kind: c.kind, url: page.link(&site_map::collection_dir(&c.id)),
                is_dispute: c.kind == Kind::Dispute,
            });
            let rendered: Vec<Result<(Notes, String), Diagnostic>> = c
                .items
                .par_iter()
                .map(|&id| self.print_item(id, &page.root, &collection))
                .collect();
            let mut items = Vec::with_capacity(rendered.len());
            for (&id, item) in c.items.iter().zip(rendered) {
                let (notes, html) = item?;
                let it = &b.items[id.0 as usize];
                items.push(tv!({
                    id: it.id, name: it.name,
                    url: page.link(&site_map::item(b, id)),
                    html: placeholder(pieces.len()),
                }));
                pieces.push(Piece::Html(page.notes.absorb(notes, &html)));
            }
            let mut collection = collection.into_map().unwrap_or_default();
            collection.insert(Key::Str("description_html"), description_html.into());
            collection.insert(Key::Str("items"), items.into());
            collections.push(collection.into());
        }
        let timeline = self.timeline(page, pieces);
        let mut vars = vec![
            ("summary_html", Value::from(summary_html)),
            ("key_points", Value::from(key_points)),
            ("collections", Value::from(collections)),
        ];
        vars.extend(timeline.vars);
        Ok(PageOut {
            template: "print.html",
            kind: "print",
            title: b.site.strings.get("print_view").to_string(),
            description: b.site.config.description.clone(),
            vars,
            linked_data: None,
        })
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
