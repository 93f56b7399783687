//! An item's page: what it is (its kind's fields), its summary, claims and positions, the
//! items related to it and the sources that mention it.

use tera::Value;

use crate::date::PartialDate;
use crate::load::Details;
use crate::markdown;
use crate::render::page::{PageOut, PageState};
use crate::render::{Renderer, meta};
use crate::resolve::{Briefing, ItemId, ResolvedItem};
use crate::site_map;

impl Renderer<'_> {
    /// An item's page; for the print view (`print`), without what its partial does not show.
    pub(in crate::render) fn item(
        &self,
        id: ItemId,
        page: &mut PageState<'_>,
        print: bool,
    ) -> PageOut {
        let b = self.briefing;
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
            collection: tv!({id: c.id, title: c.title, url: page.link(&site_map::collection_dir(&c.id))}),
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
        PageOut {
            template: "item.html",
            kind: "item",
            title: it.item.name.clone(),
            description,
            vars: vec![("item", item)],
        }
    }

    /// The kind's own fields as label and HTML value (references become links).
    pub(in crate::render) fn fields(
        &self,
        it: &ResolvedItem,
        page: &mut PageState<'_>,
    ) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let text = |label: &str, v: &Option<String>, out: &mut Vec<Value>| {
            if let Some(v) = v {
                out.push(tv!({label: label, value_html: markdown::escape_html(v)}));
            }
        };
        let links = |label: &str, key: &str, out: &mut Vec<Value>, page: &PageState<'_>| {
            if let Some(ids) = it.links.get(key).filter(|v| !v.is_empty()) {
                let html: Vec<String> = ids
                    .iter()
                    .map(|&id| {
                        format!(
                            "<a href=\"{}\">{}</a>",
                            page.link(&site_map::item(self.briefing, id)),
                            markdown::escape_html(&self.briefing.items[id.0 as usize].item.name)
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
}

/// One line under an item's name: role and side, city and country, date and place …
pub(in crate::render) fn subtitle(b: &Briefing, it: &ResolvedItem) -> String {
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
