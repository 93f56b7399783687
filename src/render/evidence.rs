//! The evidence of a position or a claim, shown where it stands: each passage it cites, with
//! its source, outlet and date, the quote itself (and its translation) and a link to the
//! highlighted passage. One list of [`Evidence`] per text, rendered by the one partial
//! `partials/evidence.html` for a dispute's positions and for an item's claims alike.
//!
//! It reads the citations only and numbers nothing: the page's notes (and their numbers) are
//! made by [`super::notes`] as before, the evidence beside them.

use super::notes::foreign_language;
use super::page::PageState;
use crate::markdown::site_link;
use crate::resolve::{CitationId, SourceId, Text};
use crate::site_map;
use crate::text::collapse_white_space;

/// One quoted passage as templates see it (`evidence` in docs/templates.md). Every field is
/// plain text or a link, escaped by the template.
#[derive(Debug, serde::Serialize)]
pub struct Evidence {
    /// What the short notes call the source ([`super::notes::short_title`]): a full title (a
    /// headline, "Summary: …") would take more room than the quote it stands for.
    pub source_title: String,
    /// Its full title, when `source_title` is cut (else empty).
    pub source_full_title: String,
    /// The link to the source's page.
    pub source_url: String,
    /// The outlet: the source's own, else (for a summary) the summarized report's; or empty.
    pub outlet: String,
    /// The date of what is quoted, formatted and as ISO 8601: the source's `published`, or
    /// for a summary the summarized report's date when it gives one; empty when neither.
    pub date: String,
    pub date_iso: String,
    /// The source is a summary in the briefing's own words (`summary_of`).
    pub is_summary: bool,
    /// The quoted passage as it stands in the source, white space collapsed; empty for a
    /// citation of the whole source.
    pub quote: String,
    /// The source's language tag when it is not the site's (the `lang` of the quote and the
    /// title), else empty.
    pub lang: String,
    /// The quote's translation and its translator, as the citation gives them (the first
    /// citation of the passage in this text that has one), else empty.
    pub translation: String,
    pub translator: String,
    /// The link to the highlighted passage on the source's page, the very target of the
    /// passage's note; for a whole-source citation, the source's page.
    pub passage_url: String,
}

impl PageState<'_> {
    /// The evidence of a text and its `cite:` list: every passage they cite, in the order of
    /// first citation (the text's own citations first), each once.
    pub(super) fn evidence(&self, text: &Text, cites: &[CitationId]) -> Vec<Evidence> {
        let b = self.briefing;
        // The passage of each entry of `out`: a text cites a handful, so a list will do.
        let mut shown: Vec<(SourceId, Option<usize>)> = Vec::new();
        let mut out: Vec<Evidence> = Vec::new();
        for &id in text.groups.iter().flatten().chain(cites) {
            let c = &b.citations[id.0 as usize];
            let key = (c.source, c.passage);
            if let Some(k) = shown.iter().position(|x| *x == key) {
                // Shown already: a later citation of it may give the translation.
                let e = &mut out[k];
                if let (true, Some(t)) = (e.translation.is_empty(), c.translation.as_deref()) {
                    e.translation = collapse_white_space(t).into_owned();
                    e.translator = c.translator.clone().unwrap_or_default();
                }
                continue;
            }
            shown.push(key);
            let s = &b.sources[c.source.0 as usize];
            let m = &s.source.meta;
            let source_path = site_map::source_dir(&s.source.id);
            let quote = c
                .passage
                .map(|p| collapse_white_space(&s.source.text()[s.passages[p].clone()]).into_owned())
                .unwrap_or_default();
            let passage_url = match c.passage {
                Some(p) => site_link(&self.root, &site_map::passage(&source_path, p)),
                None => site_link(&self.root, &source_path),
            };
            let of = m.summary_of.as_ref();
            let outlet = m
                .outlet
                .as_deref()
                .or_else(|| of.and_then(|o| o.outlet.as_deref()))
                .unwrap_or_default()
                .to_string();
            // What a summary quotes is the report's account: its date is the report's.
            let date = of.and_then(|o| o.date).or(m.published);
            let full_title = collapse_white_space(m.title.trim());
            let source_title = super::notes::short_title(m);
            let source_full_title = if source_title == full_title {
                String::new()
            } else {
                full_title.into_owned()
            };
            out.push(Evidence {
                source_title,
                source_full_title,
                source_url: site_link(&self.root, &source_path),
                outlet,
                date: date.map(|d| b.site.strings.date(&d)).unwrap_or_default(),
                date_iso: date.map(|d| d.iso()).unwrap_or_default(),
                is_summary: of.is_some(),
                quote,
                lang: foreign_language(m.language.as_deref(), &b.site.config.language),
                translation: c
                    .translation
                    .as_deref()
                    .map(|t| collapse_white_space(t).into_owned())
                    .unwrap_or_default(),
                translator: c.translator.clone().unwrap_or_default(),
                passage_url,
            });
        }
        out
    }
}
