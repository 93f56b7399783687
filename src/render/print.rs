//! The print view (`/print/`): the whole briefing on one page — the front page summary, every
//! collection with every item, its claims and positions, and the timeline — with one notes
//! list for the whole page. A single [`Notes`](super::notes::Notes) collector numbers the
//! marks, so a passage cited in several items keeps its number and every mark id is unique.

use serde_json::{Value, json};

use super::{Page, PageOut, Renderer};
use crate::load::Kind;

impl Renderer<'_> {
    /// The print page's template, kind, title, description and extra context.
    pub(super) fn print(&self, page: &mut Page<'_>) -> PageOut {
        let b = self.b;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        let summary_html = front.map(|p| page.md(&p.body)).unwrap_or_default();
        let collections: Vec<Value> = b
            .collections
            .iter()
            .map(|c| {
                let description_html = page.opt_md(c.description.as_ref());
                let items: Vec<Value> = c
                    .items
                    .iter()
                    .map(|&id| {
                        let (_, _, _, subtitle, extra) = self.item(id, page);
                        let mut item = extra
                            .into_iter()
                            .find(|(k, _)| *k == "item")
                            .map(|(_, v)| v)
                            .unwrap_or_else(|| json!({}));
                        item["subtitle"] = json!(subtitle);
                        item["url"] = json!(page.link(&super::item_path(b, id)));
                        item
                    })
                    .collect();
                json!({
                    "id": c.id, "title": c.title, "kind": c.kind,
                    "url": page.link(&format!("{}/", c.id)),
                    "is_dispute": c.kind == Kind::Dispute,
                    "description_html": description_html, "items": items,
                })
            })
            .collect();
        let (_, _, _, _, timeline) = self.timeline(page);
        let mut extra = vec![
            ("summary_html", json!(summary_html)),
            ("collections", json!(collections)),
        ];
        extra.extend(timeline);
        (
            "print.html",
            "print",
            "Print view".to_string(),
            b.site.config.description.clone(),
            extra,
        )
    }
}
