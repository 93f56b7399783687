//! The search page: the form, the results list its script fills from the search index,
//! and a plain list of the items and sources for readers without JavaScript.

use tera::Value;

use crate::render::Renderer;
use crate::render::page::{PageOut, PageState};
use crate::site_map;

/// How many entries the search page's plain list gives of a collection or of the sources:
/// a longer list is left to the collection's page or the sources page, which its heading
/// links to, so that the search page stays small at any size (its whole list was 1 MB at
/// 10,000 sources; the page's budget before a query is 300 kB).
pub const BROWSE_LIMIT: usize = 100;

impl Renderer<'_> {
    /// The search page: the form, the results list the script fills, and a plain list of
    /// the items and sources for readers without JavaScript (each list of at most
    /// [`BROWSE_LIMIT`], else only its heading, a link to the whole list).
    pub(in crate::render) fn search_page(&self, page: &PageState<'_>) -> PageOut {
        let b = self.briefing;
        let collections: Vec<Value> = b
            .collections
            .iter()
            .map(|c| {
                let items: Vec<Value> = c
                    .items
                    .iter()
                    .filter(|_| c.items.len() <= BROWSE_LIMIT)
                    .map(|&id| {
                        tv!({name: b.items[id.0 as usize].name, url: page.link(&site_map::item(b, id))})
                    })
                    .collect();
                tv!({id: c.id, title: c.title, url: page.link(&site_map::collection_dir(&c.id)), items: items})
            })
            .collect();
        let sources: Vec<Value> = b
            .sources
            .iter()
            .filter(|_| b.sources.len() <= BROWSE_LIMIT)
            .map(|s| tv!({title: s.source.meta.title, url: page.link(&site_map::source_dir(&s.source.id))}))
            .collect();
        PageOut {
            template: "search.html",
            kind: "search",
            title: b.site.strings.get("search").into(),
            description: String::new(),
            vars: vec![
                (
                    "search_strings",
                    Value::from(search_strings(&b.site.strings)),
                ),
                ("collections", Value::from(collections)),
                ("sources", Value::from(sources)),
                ("has_sources", Value::from(!b.sources.is_empty())),
            ],
            linked_data: None,
        }
    }
}

/// The words the search page's script shows, as JSON for its `data-strings` (with the
/// language's plural rule: `assets/search.js` chooses the forms itself).
fn search_strings(t: &crate::strings::Strings) -> String {
    t.to_json(&[
        "search_unavailable",
        "search_nothing",
        "search_results",
        "search_first",
        "item",
        "claim",
        "source_paragraph",
        "also",
    ])
}
