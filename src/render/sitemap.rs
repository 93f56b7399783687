//! The sitemap (`sitemap.xml`): every page with something of its own.

use super::Renderer;
use crate::diagnostics::Diagnostic;
use crate::resolve::ItemId;
use crate::site_map::{self, FixedPage};

impl Renderer<'_> {
    /// The sitemap, rendered with `sitemap.xml`: the front page, brief's own pages that are
    /// indexed ([`FixedPage::in_sitemap`]), the collections, items, sources and free pages.
    pub(super) fn sitemap(&self) -> Result<String, Diagnostic> {
        let b = self.briefing;
        let base = &b.site.config.base_url;
        let mut locs: Vec<String> = vec![base.clone()];
        for page in FixedPage::ALL
            .into_iter()
            .filter(|&p| p.in_sitemap() && site_map::has(b, p))
        {
            locs.push(format!("{base}{}", page.dir()));
        }
        for c in &b.collections {
            locs.push(format!("{base}{}", site_map::collection_dir(&c.id)));
        }
        for i in 0..b.items.len() {
            locs.push(format!("{base}{}", site_map::item(b, ItemId(i as u32))));
        }
        for i in 0..b.sources.len() {
            locs.push(format!("{base}{}", site_map::source(b, i)));
        }
        for p in b.pages.iter().filter(|p| !p.page.slug.is_empty()) {
            locs.push(format!("{base}{}", site_map::page_dir(&p.page.slug)));
        }
        locs.sort();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &tv!({base_url: base}));
        ctx.insert(
            "sitemap",
            &locs.iter().map(|l| tv!({loc: l})).collect::<Vec<_>>(),
        );
        self.templates.render("sitemap.xml", &ctx)
    }
}
