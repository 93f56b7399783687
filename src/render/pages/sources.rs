//! The list of sources (`sources/`), each with its outlet, date and how often it is cited.

use tera::Value;

use crate::render::Renderer;
use crate::render::page::{PageOut, PageState};

impl Renderer<'_> {
    pub(in crate::render) fn sources(&self, page: &PageState<'_>) -> PageOut {
        let list: Vec<Value> = self
            .briefing
            .sources
            .iter()
            .zip(&self.citation_counts)
            .map(|(s, n)| source_summary(s, *n, page))
            .collect();
        PageOut {
            template: "sources.html",
            kind: "sources",
            title: self.briefing.site.strings.get("sources").into(),
            description: String::new(),
            vars: vec![("sources", Value::from(list))],
            linked_data: None,
        }
    }
}

pub(in crate::render) fn source_summary(
    s: &crate::resolve::ResolvedSource,
    citations: usize,
    page: &PageState<'_>,
) -> Value {
    let meta = &s.source.meta;
    tv!({
        id: s.source.id, title: meta.title, url: page.source_link(&s.source.id),
        outlet: meta.outlet.clone().unwrap_or_default(), author: meta.author.clone().unwrap_or_default(),
        date: meta.published.map(|d| page.briefing.site.strings.date(&d)).unwrap_or_default(),
        is_summary: meta.summary_of.is_some(),
        summary_of: meta.summary_of.as_ref().map(|x| x.describe_in(&page.briefing.site.strings)).unwrap_or_default(),
        paragraphs: s.source.paragraphs.iter().filter(|p| !p.hidden).count(),
        citations: citations,
        // Only an internal build has internal sources.
        internal: meta.internal,
    })
}
