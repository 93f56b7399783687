//! schema.org JSON-LD for the pages that stand for a thing: an item's page (a `Person`,
//! `Place`, `Event`, `Organization`, a dispute as a `CreativeWork` whose parts are the
//! positions as `Claim`s, or a `Thing`), a source's page (a `NewsArticle` or `CreativeWork`;
//! a summary `isBasedOn` the report it summarizes) and the front page (the site as a
//! `WebSite`, and the briefing as a `Dataset` whose download is briefing.json).
//!
//! Each is built as a `serde_json` value and written by [`script_text`] for a
//! `<script type="application/ld+json">` block, which nothing a briefing holds can close.
//! Addresses are absolute (site.toml's `base_url` is required and absolute): a page's `@id`
//! is its canonical address.

use serde_json::{Map, Value, json};

use super::meta::plain_text;
use crate::date::PartialDate;
use crate::load::{ArchivedCopy, Kind};
use crate::resolve::{Briefing, CitationId, ItemId, ResolvedDetails, SourceId};
use crate::site_map::{self, SiteFile};

/// What a page of the briefing stands for, and so what its JSON-LD describes.
#[derive(Debug, Clone, Copy)]
pub(super) enum LinkedData {
    /// The front page: the site and the briefing's data.
    Site,
    /// An item's page.
    Item(ItemId),
}

/// The script text of the JSON-LD for `what`, on a page described by `description`.
pub(super) fn of(b: &Briefing, what: LinkedData, description: &str) -> String {
    let doc = match what {
        LinkedData::Site => site(b, description),
        LinkedData::Item(id) => item(b, id, description),
    };
    script_text(&doc)
}

/// The script text of the JSON-LD of source `i`'s page.
pub(super) fn source_page(b: &Briefing, i: usize, description: &str) -> String {
    let mut doc = Map::new();
    doc.insert("@context".into(), CONTEXT.into());
    doc.append(&mut source(b, SourceId(i as u32), description));
    script_text(&Value::Object(doc))
}

const CONTEXT: &str = "https://schema.org";

/// `value` as JSON that may stand inside a `<script>` element: `<`, `>` and `&` written as
/// `\u003c`, `\u003e` and `\u0026` (so no text can close the script or open a comment), and
/// U+2028 and U+2029 escaped too (older JavaScript reads them as line ends). Outside strings
/// JSON has none of these characters, so the escapes stand inside strings, where they read
/// back as the same characters.
pub(super) fn script_text(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Adds `key: value` to `map` unless the value is empty (an empty string or list, or null):
/// JSON-LD readers take an empty value for a statement that the thing has it.
fn put(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    let value = value.into();
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !empty {
        map.insert(key.into(), value);
    }
}

fn date(d: Option<PartialDate>) -> Value {
    d.map_or(Value::Null, |d| d.iso().into())
}

/// The front page: the site, and the briefing's whole data as a dataset (briefing.json).
fn site(b: &Briefing, description: &str) -> Value {
    let config = &b.site.config;
    let base = config.base_url.as_str();
    let publisher = match config.author.trim() {
        "" => Value::Null,
        name => json!({"@type": "Organization", "name": name}),
    };
    let mut website = Map::new();
    website.insert("@type".into(), "WebSite".into());
    website.insert("@id".into(), base.into());
    website.insert("url".into(), base.into());
    put(&mut website, "name", config.title.trim());
    put(&mut website, "description", description);
    put(&mut website, "inLanguage", config.language.as_str());
    put(&mut website, "publisher", publisher.clone());
    let mut dataset = Map::new();
    dataset.insert("@type".into(), "Dataset".into());
    dataset.insert("@id".into(), format!("{base}#dataset").into());
    dataset.insert("url".into(), base.into());
    put(&mut dataset, "name", config.title.trim());
    put(&mut dataset, "description", description);
    put(&mut dataset, "inLanguage", config.language.as_str());
    put(&mut dataset, "creator", publisher.clone());
    put(&mut dataset, "publisher", publisher);
    dataset.insert("isPartOf".into(), json!({"@id": base}));
    dataset.insert(
        "distribution".into(),
        json!({
            "@type": "DataDownload",
            "encodingFormat": "application/json",
            "contentUrl": format!("{base}{}", SiteFile::Briefing.path()),
        }),
    );
    json!({"@context": CONTEXT, "@graph": [website, dataset]})
}

/// The schema.org type of an item of `kind`.
fn item_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "Person",
        Kind::Venue => "Place",
        Kind::Event => "Event",
        Kind::Organization => "Organization",
        // A question and the positions taken on it: a work whose parts are claims.
        Kind::Dispute => "CreativeWork",
        Kind::Free => "Thing",
    }
}

fn item_url(b: &Briefing, id: ItemId) -> String {
    format!("{}{}", b.site.config.base_url, site_map::item(b, id))
}

/// Another item, named where this one refers to it.
fn item_ref(b: &Briefing, id: ItemId) -> Value {
    let it = &b.items[id.0 as usize];
    json!({"@type": item_type(it.kind()), "@id": item_url(b, id), "name": it.name})
}

fn item(b: &Briefing, id: ItemId, description: &str) -> Value {
    let it = &b.items[id.0 as usize];
    let url = item_url(b, id);
    let mut node = Map::new();
    node.insert("@context".into(), CONTEXT.into());
    node.insert("@type".into(), item_type(it.kind()).into());
    node.insert("@id".into(), url.clone().into());
    node.insert("url".into(), url.clone().into());
    put(&mut node, "name", it.name.as_str());
    put(&mut node, "description", description);
    let mut alternate: Vec<&str> = it.aliases.iter().map(String::as_str).collect();
    match &it.details {
        ResolvedDetails::Person {
            role, affiliation, ..
        } => {
            // The side a person is on has no schema.org property: the description says it.
            put(&mut node, "jobTitle", role.as_deref());
            put(
                &mut node,
                "affiliation",
                affiliation.map(|a| item_ref(b, a)),
            );
        }
        ResolvedDetails::Venue {
            city,
            country,
            coordinates,
        } => {
            put(
                &mut node,
                "address",
                address(city.as_deref(), country.as_deref()),
            );
            if let Some((lat, lon)) = coordinates {
                node.insert(
                    "geo".into(),
                    json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
                );
            }
        }
        ResolvedDetails::Event {
            date: start,
            end_date,
            place,
            actors,
        } => {
            put(&mut node, "startDate", date(*start));
            put(&mut node, "endDate", date(*end_date));
            put(&mut node, "location", place.map(|p| item_ref(b, p)));
            // schema.org's `actor` is a performer's: those who take part in an event attend it.
            let attendees: Vec<Value> = actors.iter().map(|&a| item_ref(b, a)).collect();
            put(&mut node, "attendee", attendees);
        }
        ResolvedDetails::Organization {
            short_name,
            country,
            parent,
        } => {
            if let Some(s) = short_name {
                alternate.insert(0, s);
            }
            put(&mut node, "address", address(None, country.as_deref()));
            put(
                &mut node,
                "parentOrganization",
                parent.map(|p| item_ref(b, p)),
            );
        }
        ResolvedDetails::Dispute {
            question,
            date: d,
            positions,
        } => {
            put(&mut node, "headline", question.as_str());
            put(&mut node, "temporalCoverage", date(*d));
            let parts: Vec<Value> = positions
                .iter()
                .map(|p| {
                    let mut claim = claim(b, &p.text.markdown, &p.cites);
                    let holders: Vec<Value> = p.held_by.iter().map(|&h| item_ref(b, h)).collect();
                    put(&mut claim, "author", holders);
                    Value::Object(claim)
                })
                .collect();
            put(&mut node, "hasPart", parts);
        }
        ResolvedDetails::Free { .. } => {}
    }
    alternate.dedup();
    put(&mut node, "alternateName", alternate);
    let claims: Vec<Value> = it
        .claims
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let mut claim = claim(b, &c.text.markdown, &c.cites);
            // The item page's anchor of the claim (`claim-1` …, item.html).
            claim.insert("@id".into(), format!("{url}#claim-{}", k + 1).into());
            put(&mut claim, "datePublished", date(c.date));
            Value::Object(claim)
        })
        .collect();
    put(&mut node, "subjectOf", claims);
    Value::Object(node)
}

fn address(city: Option<&str>, country: Option<&str>) -> Value {
    if city.is_none() && country.is_none() {
        return Value::Null;
    }
    let mut a = Map::new();
    a.insert("@type".into(), "PostalAddress".into());
    put(&mut a, "addressLocality", city);
    put(&mut a, "addressCountry", country);
    Value::Object(a)
}

/// A claim or a position: its text, and the sources it is cited from, once each.
fn claim(b: &Briefing, markdown: &str, cites: &[CitationId]) -> Map<String, Value> {
    let mut claim = Map::new();
    claim.insert("@type".into(), "Claim".into());
    put(&mut claim, "text", plain_text(markdown));
    let mut sources: Vec<SourceId> = cites
        .iter()
        .map(|&c| b.citations[c.0 as usize].source)
        .collect();
    sources.sort();
    sources.dedup();
    let appearance: Vec<Value> = sources.iter().map(|&s| source_ref(b, s)).collect();
    put(&mut claim, "appearance", appearance);
    claim
}

fn source_url(b: &Briefing, s: SourceId) -> String {
    format!(
        "{}{}",
        b.site.config.base_url,
        site_map::source(b, s.0 as usize)
    )
}

/// A source as a claim's appearance: enough to name it, and its page for the rest.
fn source_ref(b: &Briefing, s: SourceId) -> Value {
    let meta = &b.sources[s.0 as usize].source.meta;
    let mut node = Map::new();
    node.insert("@type".into(), work_type(meta.outlet.as_deref()).into());
    node.insert("@id".into(), source_url(b, s).into());
    put(&mut node, "headline", meta.title.as_str());
    put(
        &mut node,
        "url",
        meta.url.clone().unwrap_or_else(|| source_url(b, s)),
    );
    put(&mut node, "datePublished", date(meta.published));
    Value::Object(node)
}

/// A work from an outlet is a news article; anything else a creative work.
fn work_type(outlet: Option<&str>) -> &'static str {
    match outlet.map(str::trim) {
        Some(o) if !o.is_empty() => "NewsArticle",
        _ => "CreativeWork",
    }
}

/// A source in full, for its own page (without the `@context`).
fn source(b: &Briefing, s: SourceId, description: &str) -> Map<String, Value> {
    let meta = &b.sources[s.0 as usize].source.meta;
    let page = source_url(b, s);
    let mut node = Map::new();
    node.insert("@type".into(), work_type(meta.outlet.as_deref()).into());
    node.insert("@id".into(), page.clone().into());
    put(&mut node, "headline", meta.title.as_str());
    put(&mut node, "name", meta.title.as_str());
    put(&mut node, "description", description);
    // The original's address when there is one; else the text is ours, and at our page.
    put(&mut node, "url", meta.url.clone().unwrap_or(page));
    put(&mut node, "author", person(meta.author.as_deref()));
    put(&mut node, "publisher", organization(meta.outlet.as_deref()));
    put(&mut node, "datePublished", date(meta.published));
    put(&mut node, "inLanguage", meta.language.as_deref());
    put(&mut node, "archivedAt", archived(meta.archived.as_ref()));
    if let Some(of) = &meta.summary_of {
        let mut original = Map::new();
        original.insert("@type".into(), work_type(of.outlet.as_deref()).into());
        put(&mut original, "headline", of.title.as_deref());
        put(&mut original, "author", person(of.author.as_deref()));
        put(
            &mut original,
            "publisher",
            organization(of.outlet.as_deref()),
        );
        put(&mut original, "datePublished", date(of.date));
        put(&mut original, "url", of.url.as_deref());
        put(&mut original, "archivedAt", archived(of.archived.as_ref()));
        node.insert("isBasedOn".into(), Value::Object(original));
    }
    node
}

fn person(name: Option<&str>) -> Value {
    match name.map(str::trim) {
        Some(n) if !n.is_empty() => json!({"@type": "Person", "name": n}),
        _ => Value::Null,
    }
}

fn organization(name: Option<&str>) -> Value {
    match name.map(str::trim) {
        Some(n) if !n.is_empty() => json!({"@type": "Organization", "name": n}),
        _ => Value::Null,
    }
}

/// An archived copy: its address, and when the archive made it.
fn archived(copy: Option<&ArchivedCopy>) -> Value {
    let Some(copy) = copy else {
        return Value::Null;
    };
    let mut node = Map::new();
    node.insert("@type".into(), "WebPage".into());
    node.insert("url".into(), copy.url.clone().into());
    put(&mut node, "dateCreated", date(copy.at));
    Value::Object(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_script_and_reads_back_the_same() {
        let hostile = "</script><!-- \"\\ & > \u{2028}\u{2029} 🦀";
        let v = json!({"name": hostile});
        let text = script_text(&v);
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!text.contains(c), "{c:?} in {text}");
        }
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], hostile);
    }

    #[test]
    fn empty_values_are_left_out() {
        let mut m = Map::new();
        put(&mut m, "a", "  ");
        put(&mut m, "b", Value::Null);
        put(&mut m, "c", Vec::<Value>::new());
        put(&mut m, "d", "x");
        assert_eq!(Value::Object(m), json!({"d": "x"}));
    }
}
