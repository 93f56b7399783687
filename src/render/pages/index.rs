//! The front page: index.md's text, the collections, the latest events, the sources and
//! the briefing's figures.

use tera::Value;

use crate::date::PartialDate;
use crate::render::Renderer;
use crate::render::jsonld::LinkedData;
use crate::render::page::{PageOut, PageState};
use crate::render::pages::sources::source_summary;
use crate::resolve::ItemId;
use crate::resolve::ResolvedDetails;
use crate::site_map;

impl Renderer<'_> {
    pub(in crate::render) fn index(&self, page: &mut PageState<'_>) -> PageOut {
        let b = self.briefing;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        // Made before the text, as resolve numbered their citations first.
        let key_points: Vec<String> = front
            .map(|p| p.key_points.iter().map(|k| page.md(k)).collect())
            .unwrap_or_default();
        let summary_html = front.map(|p| page.md(&p.body)).unwrap_or_default();
        let internal_html = match b.pages.iter().position(|p| p.page.slug.is_empty()) {
            Some(i) => page.internal_html(crate::audience::Part::Page(i)),
            None => String::new(),
        };
        let collections: Vec<Value> = b
            .collections
            .iter()
            .map(|c| {
                let description_html = page.opt_md(c.description.as_ref());
                tv!({
                    id: c.id, title: c.title, kind: c.kind, url: page.link(&site_map::collection_dir(&c.id)),
                    count: c.items.len(), description_html: description_html,
                })
            })
            .collect();
        let mut events: Vec<(PartialDate, ItemId)> = b
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match &it.details {
                ResolvedDetails::Event { date: Some(d), .. } => Some((*d, ItemId(i as u32))),
                _ => None,
            })
            .collect();
        events.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let latest_events: Vec<Value> = events
            .iter()
            .take(6)
            .map(|(d, id)| {
                let it = &b.items[id.0 as usize];
                let place = match it.details {
                    ResolvedDetails::Event { place: Some(p), .. } => Some(b.items[p.0 as usize].name.clone()),
                    _ => None,
                };
                let summary_html = page.opt_md(it.summary.as_ref());
                tv!({
                    name: it.name, url: page.link(&site_map::item(b, *id)), date: b.site.strings.date(d), date_iso: d.iso(),
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
            .map(|i| i.claims.len() + i.positions().len())
            .sum();
        let quotes = b.citations.iter().filter(|c| c.quote.is_some()).count();
        let map_html = self.venue_map(page, (0..b.items.len() as u32).map(ItemId), "map");
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
        PageOut {
            template: "index.html",
            kind: "index",
            title,
            description,
            vars: vec![
                ("summary_html", Value::from(summary_html)),
                ("key_points", Value::from(key_points)),
                ("internal_html", Value::from(internal_html)),
                ("has_changes", Value::from(b.changes.is_some())),
                (
                    "title_in_content",
                    Value::from(front.is_some_and(|p| p.page.title_in_body)),
                ),
                ("collections", Value::from(collections)),
                ("map_html", Value::from(map_html)),
                ("latest_events", Value::from(latest_events)),
                ("sources", Value::from(sources)),
                (
                    "figures",
                    tv!({sources: b.sources.len(), items: b.items.len(), claims: claims, citations: b.citations.len(), quotes: quotes}),
                ),
            ],
            linked_data: Some(LinkedData::Site),
        }
    }
}
