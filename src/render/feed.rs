//! The Atom feed (`feed.xml`): the sources and the dated events, newest first.

use tera::Value;

use super::Renderer;
use super::meta::plain_text;
use crate::date::PartialDate;
use crate::diagnostics::Diagnostic;
use crate::resolve::ItemId;
use crate::resolve::ResolvedDetails;
use crate::site_map::{self, SiteFile};

impl Renderer<'_> {
    /// The feed, rendered with `feed.xml`.
    pub(super) fn feed(&self) -> Result<String, Diagnostic> {
        let b = self.briefing;
        let config = &b.site.config;
        let base = &config.base_url;
        // (date, url, entry), sorted by date then url.
        let mut entries: Vec<(PartialDate, String, Value)> = Vec::new();
        for (i, s) in b.sources.iter().enumerate() {
            if let Some(d) = s.source.meta.published {
                let url = format!("{base}{}", site_map::source(b, i));
                let summary = s
                    .source
                    .meta
                    .summary_of
                    .as_ref()
                    .map(|x| x.describe_in(&b.site.strings))
                    .unwrap_or_else(|| s.source.meta.outlet.clone().unwrap_or_default());
                entries.push((d, url.clone(), tv!({title: s.source.meta.title, url: url, id: url, updated: d.rfc3339(), summary: summary})));
            }
        }
        for (i, it) in b.items.iter().enumerate() {
            if let ResolvedDetails::Event { date: Some(d), .. } = &it.details {
                let url = format!("{base}{}", site_map::item(b, ItemId(i as u32)));
                let summary = it
                    .summary
                    .as_ref()
                    .map(|s| plain_text(&s.markdown))
                    .unwrap_or_default();
                entries.push((*d, url.clone(), tv!({title: it.name, url: url, id: url, updated: d.rfc3339(), summary: summary})));
            }
        }
        entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let updated = entries
            .first()
            .map(|e| e.0.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert(
            "feed",
            &tv!({title: config.title, id: base, url: format!("{base}{}", SiteFile::Feed.path()), updated: updated,
                    entries: entries.into_iter().map(|e| e.2).collect::<Vec<_>>()}),
        );
        self.templates.render("feed.xml", &ctx)
    }
}
