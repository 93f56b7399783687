//! `briefing.json`: the whole resolved briefing for other tools.
//!
//! Serialized straight from borrowed views of the briefing: a large briefing's texts are
//! tens of megabytes, and building a `serde_json::Value` tree of them first would double that.

use std::io::Write;

use serde::Serialize;

use crate::digest::Sha256;
use crate::load::Kind;
use crate::resolve::{Briefing, ItemId};
use crate::schemas;
use crate::site_map;

#[derive(Serialize)]
struct Doc<'a> {
    /// The URL of briefing.schema.json for this version of brief.
    #[serde(rename = "$schema")]
    schema: String,
    /// The format version (`schemas::BRIEFING_FORMAT_VERSION`).
    version: u32,
    title: &'a str,
    /// site.toml's `edition` (what `--since` compares with, and names).
    edition: Option<&'a str>,
    base_url: &'a str,
    sources: Vec<Source<'a>>,
    items: Vec<Item<'a>>,
    citations: Vec<Citation<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    original_url: Option<&'a str>,
    /// The web archive's copy of `original_url`, and when it was made.
    archived: Option<&'a str>,
    archived_at: Option<String>,
    /// The SHA-256 of the original as retrieved, kept in the briefing (`brief add`).
    original_sha256: Option<&'a str>,
    /// Where that original is published, when site.toml publishes archives.
    original_file: Option<String>,
    published: Option<String>,
    summary_of: Option<SummaryOf<'a>>,
    /// The SHA-256 of `text`'s UTF-8 bytes (what brief.lock records).
    sha256: Sha256,
    /// The body text; citation offsets index into it.
    text: &'a str,
}

#[derive(Serialize)]
struct SummaryOf<'a> {
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    date: Option<String>,
    title: Option<&'a str>,
    url: Option<&'a str>,
    archived: Option<&'a str>,
    archived_at: Option<String>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    collection: &'a str,
    kind: Kind,
    name: &'a str,
    aliases: &'a [String],
    url: String,
    related: Vec<&'a str>,
    claims: Vec<Claim<'a>>,
    /// A dispute's positions (empty for other kinds).
    positions: Vec<Position<'a>>,
}

#[derive(Serialize)]
struct Position<'a> {
    /// Its Markdown as written.
    text: &'a str,
    /// Indices into `citations` of its `cite:` list.
    citations: Vec<u32>,
}

#[derive(Serialize)]
struct Claim<'a> {
    /// Stable across reorderings: its `id:`, else derived from its text.
    id: &'a str,
    /// Its Markdown as written (`brief build --since` compares it).
    text: &'a str,
    /// The claim on its item's page (its permalink).
    url: String,
    date: Option<String>,
    /// Indices into `citations` of its `cite:` list.
    citations: Vec<u32>,
}

#[derive(Serialize)]
struct Citation<'a> {
    source: &'a str,
    quote: Option<&'a str>,
    /// The quote's translation and its translator, when the citation gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translator: Option<&'a str>,
    /// Byte offsets of the quote in the source's `text`.
    start: Option<usize>,
    end: Option<usize>,
    /// The highlighted passage on the source page.
    passage: Option<String>,
    /// The page the citation is written on.
    url: String,
}

/// Writes the briefing as JSON to `w`.
pub fn write_briefing(b: &Briefing, w: &mut dyn Write) -> std::io::Result<()> {
    let base = b.site.config.base_url.as_str();
    let doc = Doc {
        schema: schemas::url(schemas::BRIEFING),
        version: schemas::BRIEFING_FORMAT_VERSION,
        title: &b.site.config.title,
        edition: b.site.config.edition.as_deref(),
        base_url: base,
        sources: b
            .sources
            .iter()
            .map(|s| {
                let m = &s.source.meta;
                Source {
                    id: &s.source.id,
                    title: &m.title,
                    url: format!("{base}{}", site_map::source_dir(&s.source.id)),
                    outlet: m.outlet.as_deref(),
                    author: m.author.as_deref(),
                    original_url: m.url.as_deref(),
                    archived: m.archived.as_ref().map(|a| a.url.as_str()),
                    archived_at: m.archived.as_ref().and_then(|a| a.at).map(|d| d.iso()),
                    original_sha256: m.original.as_ref().and_then(|k| k.sha256.as_deref()),
                    original_file: m
                        .original
                        .as_ref()
                        .filter(|_| b.site.config.publish_archives)
                        .map(|k| {
                            format!("{base}{}", site_map::original_file(&s.source.id, &k.path))
                        }),
                    published: m.published.map(|d| d.iso()),
                    summary_of: m.summary_of.as_ref().map(|x| SummaryOf {
                        outlet: x.outlet.as_deref(),
                        author: x.author.as_deref(),
                        date: x.date.map(|d| d.iso()),
                        title: x.title.as_deref(),
                        url: x.url.as_deref(),
                        archived: x.archived.as_ref().map(|a| a.url.as_str()),
                        archived_at: x.archived.as_ref().and_then(|a| a.at).map(|d| d.iso()),
                    }),
                    sha256: s.sha256,
                    text: s.source.text(),
                }
            })
            .collect(),
        items: b
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let dir = site_map::item(b, ItemId(i as u32));
                Item {
                    id: &it.id,
                    collection: &b.collections[it.collection].id,
                    kind: it.kind(),
                    name: &it.name,
                    aliases: &it.aliases,
                    url: format!("{base}{dir}"),
                    related: it
                        .related
                        .iter()
                        .map(|r| b.items[r.0 as usize].id.as_str())
                        .collect(),
                    claims: it
                        .claims
                        .iter()
                        .map(|c| Claim {
                            id: &c.id,
                            text: &c.text.markdown,
                            url: format!("{base}{}", site_map::claim(&dir, &c.id)),
                            date: c.date.map(|d| d.iso()),
                            citations: c.cites.iter().map(|id| id.0).collect(),
                        })
                        .collect(),
                    positions: it
                        .positions()
                        .iter()
                        .map(|p| Position {
                            text: &p.text.markdown,
                            citations: p.cites.iter().map(|id| id.0).collect(),
                        })
                        .collect(),
                }
            })
            .collect(),
        citations: b
            .citations
            .iter()
            .map(|c| {
                let s = &b.sources[c.source.0 as usize];
                Citation {
                    source: &s.source.id,
                    quote: c.quote.as_deref(),
                    translation: c.translation.as_deref(),
                    translator: c.translator.as_deref(),
                    start: c.range.as_ref().map(|r| r.start),
                    end: c.range.as_ref().map(|r| r.end),
                    passage: c.passage.map(|p| {
                        format!(
                            "{base}{}",
                            site_map::passage(&site_map::source_dir(&s.source.id), p)
                        )
                    }),
                    url: format!("{base}{}", site_map::owner(b, c.owner)),
                }
            })
            .collect(),
    };
    // serde_json writes a few bytes at a time.
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer(&mut w, &doc)?;
    w.flush()
}
