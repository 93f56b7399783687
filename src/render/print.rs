//! The print view (`/print/`): the whole briefing on one page — the front page summary, every
//! collection with every item, its claims and positions, and the timeline — with one notes
//! list for the whole page, numbered by first use across all of it.
//!
//! The items are most of the page; each is rendered on its own (in parallel) with
//! `partials/print-item.html` and deferred notes, then numbered into the page's notes in
//! reading order ([`Notes::absorb`]), so a passage cited in several items keeps its number and
//! every mark id is unique.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::notes::Notes;
use super::{Page, PageOut, Renderer};
use crate::diagnostics::Diagnostic;
use crate::load::Kind;
use crate::resolve::ItemId;

impl Renderer<'_> {
    /// The print page's template, kind, title, description and extra context.
    pub(super) fn print(&self, page: &mut Page<'_>) -> Result<PageOut, Diagnostic> {
        let b = self.b;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        let summary_html = front.map(|p| page.md(&p.body)).unwrap_or_default();
        let mut collections: Vec<Value> = Vec::with_capacity(b.collections.len());
        for c in &b.collections {
            let description_html = page.opt_md(c.description.as_ref());
            let collection = json!({
                "id": c.id, "title": c.title, "kind": c.kind,
                "url": page.link(&format!("{}/", c.id)),
                "is_dispute": c.kind == Kind::Dispute,
            });
            let parts: Vec<Result<(Notes, String), Diagnostic>> = c
                .items
                .par_iter()
                .map(|&id| self.print_item(id, &page.root, &collection))
                .collect();
            let mut items = Vec::with_capacity(parts.len());
            for (&id, part) in c.items.iter().zip(parts) {
                let (notes, html) = part?;
                let it = &b.items[id.0 as usize];
                items.push(json!({
                    "id": it.item.id, "name": it.item.name,
                    "url": page.link(&super::item_path(b, id)),
                    "html": page.notes.absorb(notes, &html),
                }));
            }
            let mut collection = collection;
            collection["description_html"] = json!(description_html);
            collection["items"] = json!(items);
            collections.push(collection);
        }
        let (_, _, _, _, timeline) = self.timeline(page);
        let mut extra = vec![
            ("summary_html", json!(summary_html)),
            ("collections", json!(collections)),
        ];
        extra.extend(timeline);
        Ok((
            "print.html",
            "print",
            "Print view".to_string(),
            b.site.config.description.clone(),
            extra,
        ))
    }

    /// One item of the print view, with its notes deferred.
    fn print_item(
        &self,
        id: ItemId,
        root: &str,
        collection: &Value,
    ) -> Result<(Notes, String), Diagnostic> {
        let b = self.b;
        let mut page = Page {
            b,
            root: root.to_string(),
            notes: Notes::deferred(),
        };
        let (_, _, _, subtitle, extra) = self.item(id, &mut page);
        let mut item = extra
            .into_iter()
            .find(|(k, _)| *k == "item")
            .map(|(_, v)| v)
            .unwrap_or_else(|| json!({}));
        item["subtitle"] = json!(subtitle);
        item["url"] = json!(page.link(&super::item_path(b, id)));
        let mut ctx = tera::Context::new();
        ctx.insert("item", &item);
        ctx.insert("collection", collection);
        let html = self.t.render("partials/print-item.html", &ctx)?;
        Ok((page.notes, html))
    }
}
