//! An item's page: what it is (its kind's fields), its summary, claims and positions, the
//! items related to it and the sources that mention it.

use tera::Value;

use crate::audience::Part;
use crate::date::PartialDate;
use crate::markdown;
use crate::render::jsonld::LinkedData;
use crate::render::page::{PageOut, PageState};
use crate::render::{Renderer, meta};
use crate::resolve::ResolvedDetails;
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
        // the item is mentioned (on a large briefing, a hundred sources an item) nor the
        // claims' quotes: the print view makes them only if a template of the user's may
        // read them.
        let whole = !print || self.print_reads_more;
        let fields = self.fields(it, page);
        let summary_html = page.opt_md(it.summary.as_ref());
        let positions = page.positions(it);
        let cite = CiteThis::new(b, id);
        let internal_html = page.internal_html(Part::Item(id));
        // With --since: what is new or changed in this edition, marked.
        let edition = b.changes.as_ref();
        let claims: Vec<Value> = it
            .claims
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let internal = b.internal.is_internal(Part::Claim(id, k));
                let internal_html = page.internal_html(Part::Claim(id, k));
                let change = edition
                    .and_then(|e| e.mark(&it.id, &c.id))
                    .map_or("", |m| m.name());
                let html = page.claim(&c.text, &c.cites);
                let anchor = site_map::claim_anchor(&c.id);
                // As the annotations give it: raw HTML in a claim is shown as text, so it stays.
                let claim_text = markdown::plain_text(&c.text.markdown);
                let (permalink, reference) = cite.of_claim(&anchor, &claim_text, c.date);
                // The built-in print-item.html unfolds no quotes (a page of paper has no
                // `<details>` to open): made there only for a template of the user's.
                let evidence = if whole {
                    page.evidence(&c.text, &c.cites)
                } else {
                    Vec::new()
                };
                tv!({id: c.id, anchor: anchor, html: html, evidence: evidence, date: c.date.map(|d| b.site.strings.date(&d)).unwrap_or_default(), date_iso: c.date.map(|d| d.iso()).unwrap_or_default(), permalink: permalink, reference: reference, internal: internal, internal_html: internal_html, change: change})
            })
            .collect();
        let (permalink, reference) = cite.of_item();
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
        let question = match &it.details {
            ResolvedDetails::Dispute { question, .. } => question.clone(),
            _ => String::new(),
        };
        // The print view's partial shows no neighbourhood.
        let neighbourhood_html = if print {
            String::new()
        } else {
            self.neighbourhood(page, id)
        };
        let item = tv!({
            id: it.id, name: it.name, kind: c.kind,
            collection: tv!({id: c.id, title: c.title, url: page.link(&site_map::collection_dir(&c.id))}),
            aliases: it.aliases, fields: fields, summary_html: summary_html, question: question,
            positions: positions, claims: claims, related: related, mentioned_in: mentioned_in,
            permalink: permalink, reference: reference,
            internal: b.internal.is_internal(Part::Item(id)), internal_html: internal_html,
            change: if edition.is_some_and(|e| e.is_new_item(&it.id)) { "new" } else { "" },
            positions_changed: edition.is_some_and(|e| e.dispute_changed(&it.id)),
            neighbourhood_html: neighbourhood_html,
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
            title: it.name.clone(),
            description,
            vars: vec![("item", item)],
            linked_data: (!print).then_some(LinkedData::Item(id)),
        }
    }

    /// The kind's own fields as label and HTML value (references become links).
    pub(in crate::render) fn fields(
        &self,
        it: &ResolvedItem,
        page: &mut PageState<'_>,
    ) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let t = &self.briefing.site.strings;
        let text = |label: &str, v: &Option<String>, out: &mut Vec<Value>| {
            if let Some(v) = v {
                out.push(tv!({label: label, value_html: markdown::escape_html(v)}));
            }
        };
        let links = |label: &str, ids: &[ItemId], out: &mut Vec<Value>, page: &PageState<'_>| {
            if !ids.is_empty() {
                let html: Vec<String> = ids
                    .iter()
                    .map(|&id| {
                        format!(
                            "<a href=\"{}\">{}</a>",
                            page.link(&site_map::item(self.briefing, id)),
                            markdown::escape_html(&self.briefing.items[id.0 as usize].name)
                        )
                    })
                    .collect();
                out.push(tv!({label: label, value_html: html.join(", ")}));
            }
        };
        let date = |label: &str, d: &Option<PartialDate>, out: &mut Vec<Value>| {
            if let Some(d) = d {
                out.push(tv!({label: label, value_html: format!("<time datetime=\"{}\">{}</time>", d.iso(), markdown::escape_html(&t.date(d)))}));
            }
        };
        match &it.details {
            ResolvedDetails::Person {
                role,
                side,
                affiliation,
            } => {
                text(t.get("role"), role, &mut out);
                text(t.get("side"), side, &mut out);
                links(t.get("affiliation"), affiliation.as_slice(), &mut out, page);
            }
            ResolvedDetails::Venue {
                city,
                country,
                coordinates,
            } => {
                text(t.get("city"), city, &mut out);
                text(t.get("country"), country, &mut out);
                if let Some((lat, lon)) = coordinates {
                    out.push(
                        tv!({label: t.get("coordinates"), value_html: format!("{lat:.4}, {lon:.4}")}),
                    );
                }
            }
            ResolvedDetails::Event {
                date: d,
                end_date,
                place,
                actors,
            } => {
                date(t.get("date"), d, &mut out);
                date(t.get("until"), end_date, &mut out);
                links(t.get("place"), place.as_slice(), &mut out, page);
                links(t.get("actors"), actors, &mut out, page);
            }
            ResolvedDetails::Organization {
                short_name,
                country,
                parent,
            } => {
                text(t.get("short_name"), short_name, &mut out);
                text(t.get("country"), country, &mut out);
                links(t.get("part_of"), parent.as_slice(), &mut out, page);
            }
            ResolvedDetails::Dispute { date: d, .. } => date(t.get("date"), d, &mut out),
            ResolvedDetails::Free { fields } => {
                for (label, t) in fields {
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
    let name_of = |id: &Option<ItemId>| id.map(|id| b.items[id.0 as usize].name.clone());
    let parts: Vec<String> = match &it.details {
        ResolvedDetails::Person { role, side, .. } => vec![role.clone(), side.clone()]
            .into_iter()
            .flatten()
            .collect(),
        ResolvedDetails::Venue { city, country, .. } => vec![city.clone(), country.clone()]
            .into_iter()
            .flatten()
            .collect(),
        ResolvedDetails::Event { date, place, .. } => {
            vec![date.map(|d| b.site.strings.date(&d)), name_of(place)]
                .into_iter()
                .flatten()
                .collect()
        }
        ResolvedDetails::Organization {
            short_name,
            country,
            ..
        } => vec![short_name.clone(), country.clone()]
            .into_iter()
            .flatten()
            .collect(),
        ResolvedDetails::Dispute { question, .. } => vec![question.clone()],
        ResolvedDetails::Free { .. } => Vec::new(),
    };
    parts.join(" · ")
}

/// "Cite this": the permalink of an item's page or of one of its claims (the claim's stable
/// id keeps it while claims are added or reordered), and a plain-text reference to it, for a
/// reader who cites a finding of the briefing rather than the briefing as a whole.
struct CiteThis<'a> {
    /// Who wrote the briefing, when site.toml says.
    author: &'a str,
    site_title: &'a str,
    item_name: &'a str,
    /// The item page's canonical address.
    page_url: String,
    /// The theme's words, for the date.
    strings: &'a crate::strings::Strings,
}

impl<'a> CiteThis<'a> {
    fn new(b: &'a Briefing, id: ItemId) -> CiteThis<'a> {
        let config = &b.site.config;
        CiteThis {
            author: config.author.trim(),
            site_title: &config.title,
            item_name: &b.items[id.0 as usize].name,
            page_url: format!("{}{}", config.base_url, site_map::item(b, id)),
            strings: &b.site.strings,
        }
    }

    /// The page's permalink and its reference: `Author, “Item”, Site title, <address>`.
    fn of_item(&self) -> (String, String) {
        let reference = self.reference(&format!("“{}”", self.item_name), None, &self.page_url);
        (self.page_url.clone(), reference)
    }

    /// A claim's permalink and reference: `Author, “Item: the claim…”, Site title, date,
    /// <address>`.
    fn of_claim(&self, anchor: &str, text: &str, date: Option<PartialDate>) -> (String, String) {
        let permalink = format!("{}#{anchor}", self.page_url);
        // Cut at a word, as a page's description is.
        let claim = meta::description(text.trim());
        let title = format!("“{}: {claim}”", self.item_name);
        let reference = self.reference(&title, date, &permalink);
        (permalink, reference)
    }

    fn reference(&self, title: &str, date: Option<PartialDate>, url: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.author.is_empty() {
            parts.push(self.author.to_string());
        }
        parts.push(title.to_string());
        parts.push(self.site_title.to_string());
        if let Some(d) = date {
            parts.push(self.strings.date(&d));
        }
        parts.push(url.to_string());
        parts.join(", ")
    }
}
