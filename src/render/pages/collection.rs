//! A collection's page: its items with their subtitles and summaries, or, for a collection
//! of disputes, each dispute with its positions.

use tera::Value;

use crate::load::Kind;
use crate::render::Renderer;
use crate::render::map::{self, Place};
use crate::render::page::{PageOut, PageState};
use crate::render::pages::item::subtitle;
use crate::resolve::{ItemId, ResolvedDetails};
use crate::site_map;

impl Renderer<'_> {
    /// The map of the venues among `items` (see [`map::map_html`]), `id` its ids' prefix;
    /// empty when none has coordinates.
    pub(in crate::render) fn venue_map(
        &self,
        page: &PageState<'_>,
        items: impl Iterator<Item = ItemId>,
        id: &str,
    ) -> String {
        let b = self.briefing;
        let mut places = Vec::new();
        let mut missing = 0;
        for item in items {
            let it = &b.items[item.0 as usize];
            let ResolvedDetails::Venue {
                city,
                country,
                coordinates,
            } = &it.details
            else {
                continue;
            };
            let Some((lat, lon)) = *coordinates else {
                missing += 1;
                continue;
            };
            let where_: Vec<&str> = [city, country]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .filter(|s| *s != it.name)
                .collect();
            places.push(Place {
                name: &it.name,
                where_: where_.join(", "),
                url: page.link(&site_map::item(b, item)),
                lat,
                lon,
            });
        }
        map::map_html(&b.site.strings, &places, id, missing)
    }

    pub(in crate::render) fn collection(&self, i: usize, page: &mut PageState<'_>) -> PageOut {
        let b = self.briefing;
        let c = &b.collections[i];
        let description_html = page.opt_md(c.description.as_ref());
        let url = page.link(&site_map::collection_dir(&c.id));
        if c.kind == Kind::Dispute {
            let disputes: Vec<Value> = c
                .items
                .iter()
                .map(|&id| {
                    let it = &b.items[id.0 as usize];
                    let summary_html = page.opt_md(it.summary.as_ref());
                    let positions = page.positions(it);
                    let question = match &it.details {
                        ResolvedDetails::Dispute { question, .. } => question.clone(),
                        _ => String::new(),
                    };
                    tv!({
                        id: it.id, name: it.name, url: page.link(&site_map::item(b, id)),
                        question: question, summary_html: summary_html, positions: positions,
                        internal: b.internal.is_internal(crate::audience::Part::Item(id)),
                    })
                })
                .collect();
            let collection = tv!({id: c.id, title: c.title, kind: c.kind, url: url, description_html: description_html, disputes: disputes});
            return PageOut {
                template: "dispute.html",
                kind: "dispute",
                title: c.title.clone(),
                description: String::new(),
                vars: vec![("collection", collection)],
                linked_data: None,
            };
        }
        let items: Vec<Value> = c
            .items
            .iter()
            .map(|&id| {
                let it = &b.items[id.0 as usize];
                let summary_html = page.opt_md(it.summary.as_ref());
                tv!({
                    id: it.id, name: it.name, url: page.link(&site_map::item(b, id)),
                    subtitle: subtitle(b, it), summary_html: summary_html, claim_count: it.claims.len(),
                    internal: b.internal.is_internal(crate::audience::Part::Item(id)),
                })
            })
            .collect();
        let collection = tv!({id: c.id, title: c.title, kind: c.kind, url: url, description_html: description_html, items: items});
        let map_html = match c.kind {
            Kind::Venue => self.venue_map(page, c.items.iter().copied(), "map"),
            _ => String::new(),
        };
        PageOut {
            template: "collection.html",
            kind: "collection",
            title: c.title.clone(),
            description: String::new(),
            vars: vec![
                ("collection", collection),
                ("map_html", Value::from(map_html)),
            ],
            linked_data: None,
        }
    }
}
