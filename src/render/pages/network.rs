//! The network page (`network/`): the people, organizations, events and venues and the
//! links among them, drawn ([`crate::render::network`]) and listed in words.

use tera::Value;

use crate::render::Renderer;
use crate::render::network::Node;
use crate::render::page::{PageOut, PageState};
use crate::resolve::ItemId;
use crate::site_map;

impl Renderer<'_> {
    pub(in crate::render) fn network_page(&self, page: &PageState<'_>) -> PageOut {
        let b = self.briefing;
        let (drawing, list) = self.graph().page_html(b, |id| self.node(page, id));
        PageOut {
            template: "network.html",
            kind: "network",
            title: b.site.strings.get("network").into(),
            description: String::new(),
            vars: vec![
                ("network_html", Value::from(drawing)),
                ("network_list_html", Value::from(list)),
            ],
            linked_data: None,
        }
    }

    /// An item as a node of a drawing of the network, its link relative to `page`.
    pub(in crate::render) fn node<'b>(&'b self, page: &PageState<'_>, id: ItemId) -> Node<'b> {
        let b = self.briefing;
        let it = &b.items[id.0 as usize];
        Node {
            name: &it.name,
            url: page.link(&site_map::item(b, id)),
            kind: it.kind(),
        }
    }

    /// The neighbourhood of an item on its page (empty when it has none).
    pub(in crate::render) fn neighbourhood(&self, page: &PageState<'_>, id: ItemId) -> String {
        let b = self.briefing;
        let graph = self.graph();
        let dir = site_map::FixedPage::Network.dir();
        let whole = if graph.draws(id) {
            page.link(&format!(
                "{dir}#{}",
                crate::render::network::anchor(&b.items[id.0 as usize].id)
            ))
        } else {
            page.link(dir)
        };
        graph.neighbourhood_html(&b.site.strings, id, &whole, |other| self.node(page, other))
    }
}
