//! 404.html, the page a host shows for a path the site does not have. It may be shown at
//! any depth, so its links start from the site's base path, not a relative root.

use tera::Value;

use crate::diagnostics::Diagnostic;
use crate::render::Renderer;
use crate::render::notes::Notes;
use crate::render::page::PageState;
use crate::site_map::SiteFile;

impl Renderer<'_> {
    /// The 404 page, rendered with `404.html`.
    pub(in crate::render) fn not_found(&self) -> Result<String, Diagnostic> {
        let config = &self.briefing.site.config;
        let page = PageState {
            briefing: self.briefing,
            root: config.base_path(),
            notes: Notes::default(),
        };
        let description = match config.description.trim() {
            "" => self
                .briefing
                .site
                .strings
                .fill("not_part_of", &[("site", config.title.trim())]),
            _ => String::new(),
        };
        let path = SiteFile::NotFound.path();
        let title = self.briefing.site.strings.get("not_found");
        let mut ctx = self.base_context(path, "404", title, &description, &page);
        ctx.insert("notes", &Vec::<Value>::new());
        ctx.insert("notes_html", "");
        self.templates.render("404.html", &ctx)
    }
}
