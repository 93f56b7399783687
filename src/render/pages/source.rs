//! A source's page: its text with every cited passage marked, each followed by the pages
//! that cite it, and the items it mentions linked; its notes. The costliest pages of a
//! briefing, and most of them: a session keeps them and renders again only those whose
//! inputs changed.

use std::collections::HashMap;

use tera::Value;

use crate::diagnostics::Diagnostic;
use crate::output::{Contents, OutFile};
use crate::render::notes::{self, Backlink, Notes};
use crate::render::page::{PageState, root_of};
use crate::render::{Pages, Renderer, jsonld, meta, source_body};
use crate::resolve::{ItemId, Owner, SourceId, hash_of};
use crate::site_map;

impl Renderer<'_> {
    /// A source's page, and the fingerprint of what it shows (`common`: the site-wide inputs).
    /// A page whose fingerprint is in `cached` is not rendered again.
    pub(in crate::render) fn source_page(
        &self,
        i: usize,
        backlinks: &HashMap<(u32, Option<usize>), Vec<Backlink>>,
        cache: Option<(u64, &Pages)>,
    ) -> Result<(OutFile, Option<u64>), Diagnostic> {
        let b = self.briefing;
        let s = &b.sources[i];
        let path = site_map::source(b, i);
        let mut page = PageState {
            briefing: b,
            root: root_of(&path),
            notes: Notes::new(Some(Owner::Source(SourceId(i as u32)))),
        };
        let cited_by: Vec<Vec<source_body::CitedBy>> = (0..s.passages.len())
            .map(|p| {
                backlinks
                    .get(&(i as u32, Some(p)))
                    .map(|v| {
                        v.iter()
                            .map(|l| source_body::CitedBy {
                                href: format!("{}#{}", page.link(&l.page_path), l.mark_id),
                                label: l.page_title.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mentions: Vec<(std::ops::Range<usize>, String)> = s
            .mentions
            .iter()
            .map(|(r, id)| (r.clone(), page.link(&site_map::item(b, *id))))
            .collect();
        let paragraphs: Vec<(std::ops::Range<usize>, bool)> = s
            .source
            .paragraphs
            .iter()
            .map(|p| (p.range.clone(), p.hidden))
            .collect();
        let mut mentioned: Vec<ItemId> = s.mentions.iter().map(|(_, id)| *id).collect();
        mentioned.sort();
        mentioned.dedup();
        let mentioned: Vec<Value> = mentioned.iter().map(|&id| page.item_ref(id)).collect();
        let file_path = format!("{path}index.html");
        // Everything the page shows, when there is a cache to keep the page in (a one-off
        // build has none). Notes of the source that cite other sources would bring those
        // sources' titles in too: such pages are always rendered.
        let fingerprint = cache.map(|(common, _)| {
            hash_of(&(
                common,
                s.text_hash,
                &s.source.meta,
                &paragraphs,
                &s.passages,
                cited_by
                    .iter()
                    .map(|v| v.iter().map(|c| (&c.href, &c.label)).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
                &mentions,
                mentioned.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
                self.citation_counts[i],
            ))
        });
        let cacheable = s.notes.as_ref().is_none_or(|n| n.groups.is_empty());
        if let Some((_, cached)) = cache
            && let Some((f, bytes)) = cached.get(&file_path)
            && Some(*f) == fingerprint
            && cacheable
        {
            let file = OutFile {
                path: file_path,
                contents: Contents::Bytes(bytes.clone()),
            };
            return Ok((file, fingerprint));
        }
        let foreign =
            !notes::foreign_language(s.source.meta.language.as_deref(), &b.site.config.language)
                .is_empty();
        let body_html = source_body::render(
            s.source.text(),
            &paragraphs,
            &source_body::Overlay {
                passages: &s.passages,
                cited_by: &cited_by,
                mentions: &mentions,
                notes_lang: foreign.then_some(b.site.config.language.as_str()),
                strings: &b.site.strings,
            },
        );
        let notes_html = page.opt_md(s.notes.as_ref());
        let internal_html = page.internal_html(crate::audience::Part::Source(SourceId(i as u32)));
        let meta = &s.source.meta;
        let citations = self.citation_counts[i];
        let originals = notes::Originals::of(meta);
        let archived_at = originals.archived.and_then(|a| a.at);
        let t = &b.site.strings;
        // The kept original, linked from beside the page only when site.toml publishes it.
        let kept_url = meta
            .original
            .as_ref()
            .filter(|_| b.site.config.publish_archives)
            .map(|k| {
                let file = site_map::original_file(&s.source.id, &k.path);
                file.rsplit('/').next().unwrap_or_default().to_string()
            })
            .unwrap_or_default();
        let source = tv!({
            id: s.source.id, title: meta.title, outlet: meta.outlet.clone().unwrap_or_default(),
            author: meta.author.clone().unwrap_or_default(),
            date: meta.published.map(|d| t.date(&d)).unwrap_or_default(),
            retrieved: meta.retrieved.map(|d| t.date(&d)).unwrap_or_default(),
            language: meta.language.clone().unwrap_or_default(),
            language_name: meta.language.as_deref().map(|l| t.language_name(l)).unwrap_or_default(),
            original_url: originals.url.unwrap_or_default(),
            archived_url: originals.archived.map(|a| a.url.as_str()).unwrap_or_default(),
            archived_at: archived_at.map(|d| t.date(&d)).unwrap_or_default(),
            kept_sha256: meta.original.as_ref().and_then(|k| k.sha256.clone()).unwrap_or_default(),
            kept_url: kept_url,
            is_summary: meta.summary_of.is_some(),
            summary_of: meta.summary_of.as_ref().map(|s| s.describe_in(t)).unwrap_or_default(),
            notes_html: notes_html, body_html: body_html, citations: citations,
            mentions: mentioned, internal_html: internal_html,
        });
        // A source is described by its first paragraph the reader sees.
        let opening = paragraphs
            .iter()
            .find(|(_, hidden)| !hidden)
            .map(|(r, _)| meta::description(&s.source.text()[r.clone()]))
            .unwrap_or_default();
        let mut ctx = self.base_context(&path, "source", &meta.title, &opening, &page);
        ctx.insert_value("source", source);
        ctx.insert("jsonld", &jsonld::source_page(b, i, &opening));
        self.insert_notes(&mut ctx, &page, None);
        let mut html = self.templates.render("source.html", &ctx)?;
        if b.site.config.cite_button {
            // Before the page's end, so it works with the site's own templates too.
            let snippet = crate::quote::published_snippet(&s.source, &page.root, &b.site.strings);
            let at = html.rfind("</body>").unwrap_or(html.len());
            html.insert_str(at, &snippet);
        }
        let file = OutFile {
            path: file_path,
            contents: Contents::Bytes(html.into_bytes()),
        };
        Ok((file, fingerprint))
    }
}
