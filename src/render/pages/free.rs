//! A free page: a Markdown file of content/pages/, at the folder of its slug.

use tera::Value;

use crate::render::Renderer;
use crate::render::page::{PageOut, PageState};

impl Renderer<'_> {
    /// Free page `i` of `Briefing::pages`: its Markdown, with its citations.
    pub(in crate::render) fn free_page(&self, i: usize, page: &mut PageState<'_>) -> PageOut {
        let p = &self.briefing.pages[i];
        let html = page.md(&p.body);
        let internal_html = page.internal_html(crate::audience::Part::Page(i));
        PageOut {
            template: "page.html",
            kind: "page",
            title: p.page.title.clone(),
            description: p.page.description.clone(),
            vars: vec![
                ("content_html", Value::from(html)),
                ("title_in_content", Value::from(p.page.title_in_body)),
                ("internal_html", Value::from(internal_html)),
            ],
            linked_data: None,
        }
    }
}
