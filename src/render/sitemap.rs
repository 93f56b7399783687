//! The sitemap (`sitemap.xml`): every page with something of its own.
//!
//! The sitemaps.org protocol allows one file at most [`SITEMAP_MAX_URLS`] URLs and
//! [`SITEMAP_MAX_BYTES`]; a larger site gets `sitemap.xml` as a `<sitemapindex>` of parts
//! (`sitemap-1.xml` …, [`site_map::sitemap_part`]), each a `<urlset>` within both limits.
//! robots.txt names `sitemap.xml` either way.

use super::Renderer;
use crate::diagnostics::Diagnostic;
use crate::markdown::escape_html;
use crate::resolve::ItemId;
use crate::site_map::{self, FixedPage, SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS, SiteFile};

/// What one `<url>` entry of the built-in template adds to a file besides its escaped URL
/// (`\n  <url><loc></loc></url>`).
const ENTRY_BYTES: usize = 24;

/// How many URLs and bytes one sitemap file may hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub(super) urls: usize,
    pub(super) bytes: usize,
}

/// The sitemaps.org limits.
pub(super) const LIMITS: Limits = Limits {
    urls: SITEMAP_MAX_URLS,
    bytes: SITEMAP_MAX_BYTES,
};

/// `locs` cut into runs in order, each within `limits` (a URL alone longer than the byte
/// limit still gets a run of its own: the protocol caps URLs at 2,048 characters anyway).
fn split(locs: &[String], limits: Limits) -> Vec<&[String]> {
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, loc) in locs.iter().enumerate() {
        let size = escape_html(loc).len() + ENTRY_BYTES;
        if i > start && (i - start >= limits.urls || bytes + size > limits.bytes) {
            runs.push(&locs[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < locs.len() || runs.is_empty() {
        runs.push(&locs[start..]);
    }
    runs
}

/// The `<sitemapindex>` of `parts` sitemap files at `base`, escaped for XML.
fn index(base: &str, parts: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for n in 1..=parts {
        let loc = escape_html(&[base, &site_map::sitemap_part(n)].concat());
        xml.push_str(&format!("\n  <sitemap><loc>{loc}</loc></sitemap>"));
    }
    xml.push_str("\n</sitemapindex>\n");
    xml
}

impl Renderer<'_> {
    /// The sitemap's files by site path: `sitemap.xml` alone, rendered with `sitemap.xml`,
    /// listing the front page, brief's own pages that are indexed
    /// ([`FixedPage::in_sitemap`]), the collections, items, sources and free pages; or, past
    /// `limits`, `sitemap.xml` as the index of its parts.
    pub(super) fn sitemaps(&self, limits: Limits) -> Result<Vec<(String, String)>, Diagnostic> {
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
        let urlset = |locs: &[String]| {
            let mut ctx = tera::Context::new();
            ctx.insert("site", &tv!({base_url: base}));
            ctx.insert(
                "sitemap",
                &locs.iter().map(|l| tv!({loc: l})).collect::<Vec<_>>(),
            );
            self.templates.render("sitemap.xml", &ctx)
        };
        let runs = split(&locs, limits);
        if runs.len() == 1 {
            return Ok(vec![(SiteFile::Sitemap.path().to_string(), urlset(&locs)?)]);
        }
        let mut files = vec![(
            SiteFile::Sitemap.path().to_string(),
            index(base, runs.len()),
        )];
        for (n, run) in runs.into_iter().enumerate() {
            files.push((site_map::sitemap_part(n + 1), urlset(run)?));
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("https://e.org/s/{i:05}/")).collect()
    }

    #[test]
    fn runs_keep_to_both_limits_and_the_order() {
        let all = locs(23);
        let runs = split(
            &all,
            Limits {
                urls: 10,
                bytes: usize::MAX,
            },
        );
        assert_eq!(
            runs.iter().map(|r| r.len()).collect::<Vec<_>>(),
            [10, 10, 3]
        );
        assert_eq!(runs.concat(), all);
        // Each entry is 22 + 24 bytes: three fit under 140.
        let runs = split(
            &all,
            Limits {
                urls: 10,
                bytes: 140,
            },
        );
        assert!(runs.iter().all(|r| r.len() == 3 || r.len() == 2));
        assert_eq!(runs.concat(), all);
        // Exactly at the limit: one file.
        assert_eq!(
            split(
                &locs(10),
                Limits {
                    urls: 10,
                    bytes: usize::MAX
                }
            )
            .len(),
            1
        );
        assert_eq!(split(&[], LIMITS).len(), 1);
        // A URL over the byte limit alone still goes in.
        assert_eq!(split(&locs(2), Limits { urls: 10, bytes: 5 }).len(), 2);
    }

    #[test]
    fn the_index_escapes_its_urls() {
        let xml = index("https://e.org/a&b/", 2);
        assert!(
            xml.contains("<loc>https://e.org/a&amp;b/sitemap-2.xml</loc>"),
            "{xml}"
        );
        assert!(
            xml.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert_eq!(xml.matches("<sitemap>").count(), 2);
    }
}
