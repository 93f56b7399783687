//! The small files of the site that are not pages of the briefing: 404, the feed, the
//! sitemap, robots.txt, the theme's assets and the hosting files.

use super::{Renderer, templates};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight_css;
use crate::output::{Contents, OutFile, Part};
use crate::site_map::SiteFile;

impl Renderer<'_> {
    /// The small files that are not pages, those of them `part` makes (the sink is told of
    /// the rest too, and leaves out those the part does not make).
    pub(super) fn site_files(&self, part: Part<'_>) -> Result<Vec<OutFile>, Diagnostic> {
        let config = &self.briefing.site.config;
        let base = &config.base_url;
        let mut files = Vec::new();
        // sitemap.xml, and its parts when it is an index of them.
        if part.makes(SiteFile::Sitemap.path()) {
            for (path, xml) in self.sitemaps(super::sitemap::LIMITS)? {
                files.push(OutFile {
                    path,
                    contents: Contents::Bytes(xml.into_bytes()),
                });
            }
        }
        let mut add = |file: SiteFile, s: String| {
            files.push(OutFile {
                path: file.path().to_string(),
                contents: Contents::Bytes(s.into_bytes()),
            })
        };
        if part.makes(SiteFile::NotFound.path()) {
            add(SiteFile::NotFound, self.not_found()?);
        }
        if part.makes(SiteFile::Feed.path()) {
            add(SiteFile::Feed, self.feed()?);
        }
        add(
            SiteFile::Robots,
            format!(
                "User-agent: *\nAllow: /\nSitemap: {base}{}\n",
                SiteFile::Sitemap.path()
            ),
        );
        add(
            SiteFile::Css,
            format!("{}\n{}", templates::CSS, highlight_css()),
        );
        add(SiteFile::Js, templates::JS.to_string());
        add(SiteFile::SearchJs, templates::SEARCH_JS.to_string());
        if config.cite_button {
            add(SiteFile::CiteJs, crate::quote::CITE_JS.to_string());
        }
        add(SiteFile::Favicon, templates::FAVICON.to_string());
        add(SiteFile::NoJekyll, String::new());
        if let Some(domain) = config
            .domain
            .as_ref()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
        {
            add(SiteFile::Cname, format!("{domain}\n"));
        }
        Ok(files)
    }
}
