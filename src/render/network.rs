//! The network of the actors: the people, organizations, events and venues of a briefing
//! and the links among them (a person's `affiliation`, an event's `actors` and `place`, an
//! organization's `parent`, and `related`), drawn as inline SVG at build time: the whole on
//! the network page, and an item's neighbourhood on its page. Every node is a link to its
//! item; the page lists the same links in words.
//!
//! The layout is deterministic: the same briefing draws the same picture, byte for byte.
//! The whole network is laid out by a force-directed layout (Fruchterman–Reingold) from a
//! fixed start (a sunflower spiral in the order of the nodes), a fixed number of rounds, and
//! no randomness or hash order anywhere. It is O(n²) a round, so the page draws at most
//! [`MAX_NODES`] nodes, the most linked (say so in its caption): a few milliseconds, at any
//! size of briefing. A neighbourhood is laid out on an ellipse around its item, in O(links).

use std::fmt::Write;

use super::svg::{self, Rect, n, num};
use crate::load::Kind;
use crate::markdown::escape_into;
use crate::resolve::{Briefing, ItemId, ResolvedDetails};
use crate::strings::Strings;

/// The most nodes the network page draws: the most linked first.
pub(in crate::render) const MAX_NODES: usize = 120;
/// The rounds of the force layout.
const ROUNDS: usize = 250;
/// The most neighbours an item's neighbourhood draws.
const MAX_NEIGHBOURS: usize = 14;
/// The labels' size and length.
const LABEL: f64 = 11.0;
const LABEL_CHARS: usize = 22;

/// How two items are linked: by a field of one of them, or by `related`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(in crate::render) enum LinkKind {
    /// A person's `affiliation`.
    Affiliation,
    /// One of an event's `actors`.
    Actor,
    /// An event's `place`.
    Place,
    /// An organization's `parent`.
    Parent,
    /// `related`, or a position held (both ways).
    Related,
}

impl LinkKind {
    /// The link's class, and its word in the lists.
    pub(in crate::render) fn word(self) -> &'static str {
        match self {
            LinkKind::Affiliation => "affiliation",
            LinkKind::Actor => "actor",
            LinkKind::Place => "place",
            LinkKind::Parent => "parent",
            LinkKind::Related => "related",
        }
    }

    /// How `a` names `b` in its fields, if it does.
    fn of(a: &ResolvedDetails, b: ItemId) -> Option<LinkKind> {
        match a {
            ResolvedDetails::Person {
                affiliation: Some(x),
                ..
            } if *x == b => Some(LinkKind::Affiliation),
            ResolvedDetails::Event { place, actors, .. } => {
                if *place == Some(b) {
                    Some(LinkKind::Place)
                } else if actors.contains(&b) {
                    Some(LinkKind::Actor)
                } else {
                    None
                }
            }
            ResolvedDetails::Organization {
                parent: Some(x), ..
            } if *x == b => Some(LinkKind::Parent),
            _ => None,
        }
    }
}

/// Whether items of `kind` are nodes of the network: the actors, and the events and venues
/// that tie them (disputes and free items have pages of their own kind).
fn is_node(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Person | Kind::Organization | Kind::Event | Kind::Venue
    )
}

/// The kind's word and class.
pub(in crate::render) fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Organization => "organization",
        Kind::Event => "event",
        Kind::Venue => "venue",
        Kind::Dispute => "dispute",
        Kind::Free => "item",
    }
}

/// The network of a briefing, made once a render: its nodes (items, in briefing order), the
/// links of each (sorted by node), and the nodes the network page draws.
pub(in crate::render) struct Graph {
    /// The node of each item (`u32::MAX`: not a node).
    node_of: Vec<u32>,
    items: Vec<ItemId>,
    /// Each node's links: (node, kind), sorted by node.
    links: Vec<Vec<(u32, LinkKind)>>,
    /// The nodes the network page draws, most linked first (ties in briefing order).
    pub(in crate::render) drawn: Vec<u32>,
    /// Whether each node is drawn on the network page.
    is_drawn: Vec<bool>,
}

impl Graph {
    /// The network of `b`: O(items + links).
    pub(in crate::render) fn of(b: &Briefing) -> Graph {
        let mut node_of = vec![u32::MAX; b.items.len()];
        let mut items = Vec::new();
        for (i, it) in b.items.iter().enumerate() {
            if is_node(it.kind()) {
                node_of[i] = items.len() as u32;
                items.push(ItemId(i as u32));
            }
        }
        let mut links: Vec<Vec<(u32, LinkKind)>> = vec![Vec::new(); items.len()];
        for (a, &ia) in items.iter().enumerate() {
            let item = &b.items[ia.0 as usize];
            for &ib in &item.related {
                let bn = node_of[ib.0 as usize];
                if bn == u32::MAX || bn as usize == a {
                    continue;
                }
                let other = &b.items[ib.0 as usize];
                let kind = LinkKind::of(&item.details, ib)
                    .or_else(|| LinkKind::of(&other.details, ia))
                    .unwrap_or(LinkKind::Related);
                links[a].push((bn, kind));
            }
            links[a].sort();
            links[a].dedup_by_key(|l| l.0);
        }
        let mut drawn: Vec<u32> = (0..items.len() as u32)
            .filter(|&k| !links[k as usize].is_empty())
            .collect();
        drawn.sort_by_key(|&k| (std::cmp::Reverse(links[k as usize].len()), k));
        drawn.truncate(MAX_NODES);
        let mut is_drawn = vec![false; items.len()];
        for &k in &drawn {
            is_drawn[k as usize] = true;
        }
        Graph {
            node_of,
            items,
            links,
            drawn,
            is_drawn,
        }
    }

    /// How many nodes have at least one link.
    pub(in crate::render) fn linked(&self) -> usize {
        self.links.iter().filter(|l| !l.is_empty()).count()
    }

    /// Whether the network page draws `id` (and lists it, with its anchor).
    pub(in crate::render) fn draws(&self, id: ItemId) -> bool {
        match self.node_of.get(id.0 as usize) {
            Some(&k) if k != u32::MAX => self.is_drawn[k as usize],
            _ => false,
        }
    }

    fn linked_to(&self, a: u32, b: u32) -> Option<LinkKind> {
        let links = &self.links[a as usize];
        links
            .binary_search_by_key(&b, |l| l.0)
            .ok()
            .map(|k| links[k].1)
    }
}

/// What a drawing needs of a node: its name, link, kind and (on the network page) anchor.
pub(in crate::render) struct Node<'a> {
    pub(in crate::render) name: &'a str,
    pub(in crate::render) url: String,
    pub(in crate::render) kind: Kind,
}

/// The force layout of `n` nodes linked by `edges`, in a `w` × `h` box: deterministic, as
/// the module says. Returns each node's place.
pub(in crate::render) fn layout(
    count: usize,
    edges: &[(usize, usize)],
    w: f64,
    h: f64,
    rounds: usize,
) -> Vec<(f64, f64)> {
    if count == 0 {
        return Vec::new();
    }
    let (cx, cy) = (w / 2.0, h / 2.0);
    let k = (w * h / count as f64).sqrt();
    // A sunflower: every node apart from the start, the first (most linked) in the middle.
    let mut p: Vec<(f64, f64)> = (0..count)
        .map(|i| {
            let r = k * 0.6 * (i as f64 + 0.5).sqrt();
            let a = i as f64 * 2.399_963_229_728_653;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let mut heat = w / 8.0;
    let cool = heat / (rounds as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); count];
    for _ in 0..rounds {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        // Every pair repels…
        for i in 0..count {
            for j in i + 1..count {
                let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
                let dist2 = (dx * dx + dy * dy).max(0.01);
                let f = k * k / dist2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        // …linked nodes attract…
        for &(a, b) in edges {
            let (dx, dy) = (p[a].0 - p[b].0, p[a].1 - p[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(0.1);
            let f = dist / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        // …and a little gravity keeps the parts that are not linked together in view.
        for i in 0..count {
            disp[i].0 -= (p[i].0 - cx) * 0.01;
            disp[i].1 -= (p[i].1 - cy) * 0.01;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt();
            if len > 0.0 {
                let step = len.min(heat);
                p[i].0 += disp[i].0 / len * step;
                p[i].1 += disp[i].1 / len * step;
            }
        }
        heat = (heat - cool).max(1.0);
    }
    p
}

/// Spreads the middle of a layout: a force layout packs the most linked nodes tight in its
/// middle and leaves its leaves far out, so each node's distance from the centre of all is
/// taken to the power 0.6 (nearer nodes move out the most, the order of distances is kept).
fn spread(points: &mut [(f64, f64)]) {
    let count = points.len().max(1) as f64;
    let cx = points.iter().map(|p| p.0).sum::<f64>() / count;
    let cy = points.iter().map(|p| p.1).sum::<f64>() / count;
    let far = points
        .iter()
        .map(|p| ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt())
        .fold(1e-9, f64::max);
    for p in points.iter_mut() {
        let (dx, dy) = (p.0 - cx, p.1 - cy);
        let r = (dx * dx + dy * dy).sqrt();
        if r > 0.0 {
            let s = far * (r / far).powf(0.6) / r;
            *p = (cx + dx * s, cy + dy * s);
        }
    }
}

/// `points` scaled and moved to fill `bounds` (each way on its own: a graph has no true
/// aspect ratio, and the box is best used whole).
fn fit(points: &mut [(f64, f64)], bounds: Rect) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points.iter() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (bw, bh) = (bounds.x1 - bounds.x0, bounds.y1 - bounds.y0);
    // A lone node, or nodes in a line, stay in the middle of the box.
    let sx = if x1 - x0 > 1e-6 { bw / (x1 - x0) } else { 0.0 };
    let sy = if y1 - y0 > 1e-6 { bh / (y1 - y0) } else { 0.0 };
    let (ox, oy) = (
        bounds.x0 + (bw - (x1 - x0) * sx) / 2.0,
        bounds.y0 + (bh - (y1 - y0) * sy) / 2.0,
    );
    for p in points.iter_mut() {
        *p = (ox + (p.0 - x0) * sx, oy + (p.1 - y0) * sy);
    }
}

/// A node's mark: a circle for a person, a square for an organization, a diamond for an
/// event, a triangle for a venue (told apart without colour).
fn shape(out: &mut String, kind: Kind, x: f64, y: f64, r: f64) {
    match kind {
        Kind::Person => {
            out.push_str("<circle cx=\"");
            num(out, x);
            out.push_str("\" cy=\"");
            num(out, y);
            out.push_str("\" r=\"");
            num(out, r);
            out.push_str("\"/>");
        }
        Kind::Organization => {
            let s = r * 0.9;
            out.push_str("<rect x=\"");
            num(out, x - s);
            out.push_str("\" y=\"");
            num(out, y - s);
            out.push_str("\" width=\"");
            num(out, 2.0 * s);
            out.push_str("\" height=\"");
            num(out, 2.0 * s);
            out.push_str("\" rx=\"2\"/>");
        }
        Kind::Event => {
            let s = r * 1.25;
            let _ = write!(
                out,
                "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\"/>",
                n(x),
                n(y - s),
                n(x + s),
                n(y),
                n(x),
                n(y + s),
                n(x - s),
                n(y)
            );
        }
        _ => {
            let s = r * 1.2;
            let _ = write!(
                out,
                "<path d=\"M{} {}L{} {}L{} {}Z\"/>",
                n(x),
                n(y - s),
                n(x + s),
                n(y + s * 0.75),
                n(x - s),
                n(y + s * 0.75)
            );
        }
    }
}

/// A node as a link: its mark and, where there is room, its label.
fn node(
    out: &mut String,
    t: &Strings,
    node: &Node,
    at: (f64, f64),
    r: f64,
    label: Option<svg::Label>,
) {
    let kind = kind_word(node.kind);
    let _ = write!(out, "<a class=\"node kind-{kind}\" href=\"");
    escape_into(out, &node.url);
    out.push_str("\" aria-label=\"");
    escape_into(out, node.name);
    out.push_str(" (");
    escape_into(out, kind_shown(t, node.kind));
    out.push_str(")\">");
    // A tooltip only where the label does not show the whole name: on a large briefing
    // every item page draws one, and the bytes add up.
    let text = svg::short(node.name, LABEL_CHARS);
    if label.is_none() || text != node.name {
        out.push_str("<title>");
        escape_into(out, node.name);
        out.push_str("</title>");
    }
    shape(out, node.kind, at.0, at.1, r);
    if let Some(l) = label {
        out.push_str("<text x=\"");
        num(out, l.x);
        out.push_str("\" y=\"");
        num(out, l.y);
        let _ = write!(out, "\" text-anchor=\"{}\">", l.anchor);
        escape_into(out, &text);
        out.push_str("</text>");
    }
    out.push_str("</a>\n");
}

/// The lines of `edges` between the nodes at `at`, each classed by its kind.
fn lines(out: &mut String, edges: &[(usize, usize, LinkKind)], at: &[(f64, f64)]) {
    out.push_str("<g class=\"links\" aria-hidden=\"true\">");
    for &(a, b, kind) in edges {
        let _ = write!(out, "<line class=\"link-{}\" x1=\"", kind.word());
        num(out, at[a].0);
        out.push_str("\" y1=\"");
        num(out, at[a].1);
        out.push_str("\" x2=\"");
        num(out, at[b].0);
        out.push_str("\" y2=\"");
        num(out, at[b].1);
        out.push_str("\"/>");
    }
    out.push_str("</g>\n");
}

/// The kind's word for readers, in the site's language (`kind_word` is its class).
fn kind_shown(t: &Strings, kind: Kind) -> &str {
    t.get(match kind {
        Kind::Person => "kind_person",
        Kind::Organization => "kind_organization",
        Kind::Event => "kind_event",
        Kind::Venue => "kind_venue",
        Kind::Dispute => "kind_dispute",
        Kind::Free => "kind_item",
    })
}

/// The link's word for readers, in the site's language (`LinkKind::word` is its class).
fn link_shown(t: &Strings, kind: LinkKind) -> &str {
    t.get(match kind {
        LinkKind::Affiliation => "link_affiliation",
        LinkKind::Actor => "link_actor",
        LinkKind::Place => "link_place",
        LinkKind::Parent => "link_parent",
        LinkKind::Related => "link_related",
    })
}

/// The key to the marks and lines, in HTML beside the drawing.
fn legend(out: &mut String, t: &Strings) {
    out.push_str("<ul class=\"network-legend\">");
    for (kind, key) in [
        (Kind::Person, "legend_person"),
        (Kind::Organization, "legend_organization"),
        (Kind::Event, "legend_event"),
        (Kind::Venue, "legend_venue"),
    ] {
        let _ = write!(
            out,
            "<li class=\"kind-{}\"><svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">",
            kind_word(kind)
        );
        shape(out, kind, 8.0, 8.5, 5.5);
        out.push_str("</svg>");
        escape_into(out, t.get(key));
        out.push_str("</li>");
    }
    out.push_str("<li><svg viewBox=\"0 0 24 16\" width=\"24\" height=\"16\" aria-hidden=\"true\"><line class=\"link-actor\" x1=\"1\" y1=\"8\" x2=\"23\" y2=\"8\"/></svg>");
    escape_into(out, t.get("legend_field_link"));
    out.push_str("</li>");
    out.push_str("<li><svg viewBox=\"0 0 24 16\" width=\"24\" height=\"16\" aria-hidden=\"true\"><line class=\"link-related\" x1=\"1\" y1=\"8\" x2=\"23\" y2=\"8\"/></svg>");
    escape_into(out, link_shown(t, LinkKind::Related));
    out.push_str("</li>");
    out.push_str("</ul>\n");
}

/// The anchor of a node's entry in the network page's list.
pub(in crate::render) fn anchor(item_id: &str) -> String {
    ["n-", item_id].concat()
}

impl Graph {
    /// The network page's drawing and its list in words, with `node` giving each item's
    /// name, link and kind. Empty strings when nothing is linked.
    pub(in crate::render) fn page_html<'b>(
        &self,
        b: &'b Briefing,
        node_of: impl Fn(ItemId) -> Node<'b>,
    ) -> (String, String) {
        let t = &b.site.strings;
        let count = self.drawn.len();
        if count == 0 {
            return (String::new(), String::new());
        }
        let mut place = vec![usize::MAX; self.items.len()];
        for (k, &nd) in self.drawn.iter().enumerate() {
            place[nd as usize] = k;
        }
        let mut edges: Vec<(usize, usize, LinkKind)> = Vec::new();
        for (k, &nd) in self.drawn.iter().enumerate() {
            for &(other, kind) in &self.links[nd as usize] {
                let j = place[other as usize];
                if j != usize::MAX && k < j {
                    edges.push((k, j, kind));
                }
            }
        }
        let w = (110.0 * (count as f64).sqrt()).clamp(520.0, 900.0).round();
        let h = (w * 0.75).round();
        let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
        let mut at = layout(count, &pairs, w, h, ROUNDS);
        spread(&mut at);
        fit(
            &mut at,
            Rect {
                x0: 70.0,
                y0: 24.0,
                x1: w - 70.0,
                y1: h - 24.0,
            },
        );
        let nodes: Vec<Node> = self
            .drawn
            .iter()
            .map(|&k| node_of(self.items[k as usize]))
            .collect();
        let marks: Vec<(f64, f64, f64)> = at.iter().map(|&(x, y)| (x, y, 7.0)).collect();
        let widths: Vec<f64> = nodes
            .iter()
            .map(|nd| svg::text_width(&svg::short(nd.name, LABEL_CHARS), LABEL))
            .collect();
        let labels = svg::place_labels(
            &marks,
            &widths,
            LABEL,
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: w,
                y1: h,
            },
        );
        let mut out = String::with_capacity(256 * count);
        out.push_str("<figure class=\"network\" aria-labelledby=\"network-caption\">\n");
        legend(&mut out, t);
        let _ = write!(
            out,
            "<div class=\"drawing-scroll\">\n<svg class=\"network-svg\" viewBox=\"0 0 {} {}\" role=\"group\" aria-labelledby=\"network-title\">\n<title id=\"network-title\">",
            n(w),
            n(h)
        );
        escape_into(&mut out, &t.plural("network_title", count as u64, &[]));
        out.push_str("</title>\n");
        lines(&mut out, &edges, &at);
        for (k, nd) in nodes.iter().enumerate() {
            node(&mut out, t, nd, at[k], 7.0, labels[k]);
        }
        out.push_str("</svg>\n</div>\n<figcaption id=\"network-caption\">");
        let linked = self.linked();
        let links = edges.len().to_string();
        let caption = if linked > count {
            t.plural(
                "network_caption_most",
                linked as u64,
                &[("of", &count.to_string()), ("name", &links)],
            )
        } else {
            t.plural("network_caption", count as u64, &[("name", &links)])
        };
        escape_into(&mut out, &caption);
        out.push_str("</figcaption>\n</figure>\n");
        // The list in words: each node drawn, its kind, and what it is linked to.
        let mut list = String::with_capacity(200 * count);
        list.push_str("<ul class=\"network-list\">");
        let mut in_order: Vec<u32> = self.drawn.clone();
        in_order.sort_unstable(); // briefing order
        for nd in in_order {
            let id = self.items[nd as usize];
            let me = node_of(id);
            list.push_str("\n<li id=\"");
            escape_into(&mut list, &anchor(&b.items[id.0 as usize].id));
            list.push_str("\"><a href=\"");
            escape_into(&mut list, &me.url);
            list.push_str("\">");
            escape_into(&mut list, me.name);
            list.push_str("</a> <span class=\"meta\">");
            escape_into(&mut list, kind_shown(t, me.kind));
            list.push_str("</span>: ");
            let mut first = true;
            for &(other, kind) in &self.links[nd as usize] {
                if !self.is_drawn[other as usize] {
                    continue;
                }
                let o = node_of(self.items[other as usize]);
                if !first {
                    list.push_str(", ");
                }
                first = false;
                list.push_str("<a href=\"");
                escape_into(&mut list, &o.url);
                list.push_str("\">");
                escape_into(&mut list, o.name);
                list.push_str("</a> <span class=\"meta\">(");
                escape_into(&mut list, link_shown(t, kind));
                list.push_str(")</span>");
            }
            list.push_str("</li>");
        }
        list.push_str("\n</ul>\n");
        (out, list)
    }

    /// The neighbourhood of `id` on its page: the item in the middle, up to
    /// [`MAX_NEIGHBOURS`] of its links around it (the most linked first, then in briefing
    /// order), and the links among them. Its own mark leads to the network page (`whole`).
    /// Empty when the item is no node or has no link.
    pub(in crate::render) fn neighbourhood_html<'b>(
        &self,
        t: &Strings,
        id: ItemId,
        whole: &str,
        node_of: impl Fn(ItemId) -> Node<'b>,
    ) -> String {
        let Some(&me) = self.node_of.get(id.0 as usize).filter(|&&k| k != u32::MAX) else {
            return String::new();
        };
        let mut around: Vec<(u32, LinkKind)> = self.links[me as usize].clone();
        if around.is_empty() {
            return String::new();
        }
        let total = around.len();
        around.sort_by_key(|&(k, _)| (std::cmp::Reverse(self.links[k as usize].len()), k));
        around.truncate(MAX_NEIGHBOURS);
        // Around the ellipse, grouped by how they are linked, then in briefing order.
        around.sort_by_key(|&(k, kind)| (kind, k));
        let (w, h) = (600.0, 270.0);
        let (cx, cy, rx, ry) = (w / 2.0, h / 2.0, 150.0, 95.0);
        let m = around.len();
        let mut at = vec![(cx, cy)];
        for k in 0..m {
            let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / m as f64;
            at.push((cx + rx * a.cos(), cy + ry * a.sin()));
        }
        let mut edges: Vec<(usize, usize, LinkKind)> = around
            .iter()
            .enumerate()
            .map(|(k, &(_, kind))| (0, k + 1, kind))
            .collect();
        for a in 0..m {
            for b in a + 1..m {
                if let Some(kind) = self.linked_to(around[a].0, around[b].0) {
                    edges.push((a + 1, b + 1, kind));
                }
            }
        }
        let mut out = String::with_capacity(4096);
        let centre = node_of(id);
        out.push_str("<figure class=\"network neighbourhood\" aria-labelledby=\"neighbourhood-caption\">\n<div class=\"drawing-scroll\">\n");
        let _ = write!(
            out,
            "<svg class=\"network-svg\" viewBox=\"0 0 {} {}\" role=\"group\" aria-labelledby=\"neighbourhood-title\">\n<title id=\"neighbourhood-title\">",
            n(w),
            n(h)
        );
        escape_into(
            &mut out,
            &t.fill("neighbourhood_title", &[("name", centre.name)]),
        );
        out.push_str("</title>\n");
        lines(&mut out, &edges, &at);
        // The labels stand away from the middle: right of the nodes on the right, left on
        // the left, above or below at the top and bottom.
        for (k, &(other, _)) in around.iter().enumerate() {
            let (x, y) = at[k + 1];
            let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
            let label = if dx > 0.35 {
                svg::Label {
                    x: x + 11.0,
                    y: y + 4.0,
                    anchor: "start",
                }
            } else if dx < -0.35 {
                svg::Label {
                    x: x - 11.0,
                    y: y + 4.0,
                    anchor: "end",
                }
            } else if dy < 0.0 {
                svg::Label {
                    x,
                    y: y - 12.0,
                    anchor: "middle",
                }
            } else {
                svg::Label {
                    x,
                    y: y + 21.0,
                    anchor: "middle",
                }
            };
            node(
                &mut out,
                t,
                &node_of(self.items[other as usize]),
                (x, y),
                7.0,
                Some(label),
            );
        }
        let me_node = Node {
            name: centre.name,
            url: whole.to_string(),
            kind: centre.kind,
        };
        node(
            &mut out,
            t,
            &me_node,
            (cx, cy),
            9.0,
            Some(svg::Label {
                x: cx,
                y: cy + 25.0,
                anchor: "middle",
            }),
        );
        out.push_str("</svg>\n</div>\n<figcaption id=\"neighbourhood-caption\">");
        let caption = if total > m {
            t.plural(
                "neighbourhood_caption_some",
                total as u64,
                &[("name", centre.name), ("of", &m.to_string())],
            )
        } else {
            t.plural("neighbourhood_caption", m as u64, &[("name", centre.name)])
        };
        escape_into(&mut out, &caption);
        out.push_str("</figcaption>\n</figure>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_the_same_every_time() {
        let edges: Vec<(usize, usize)> = (1..30).map(|i| (i / 3, i)).collect();
        let a = layout(30, &edges, 800.0, 560.0, ROUNDS);
        let b = layout(30, &edges, 800.0, 560.0, ROUNDS);
        assert_eq!(a, b);
        // Every node apart from every other.
        for i in 0..30 {
            for j in i + 1..30 {
                let d = ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
                assert!(d > 1.0, "{i} and {j} at {d}");
            }
        }
    }

    #[test]
    fn linked_nodes_end_closer_than_others() {
        // Two triangles joined by one link.
        let edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)];
        let mut p = layout(6, &edges, 600.0, 400.0, ROUNDS);
        fit(
            &mut p,
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 600.0,
                y1: 400.0,
            },
        );
        let d = |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 5), "{} {}", d(0, 1), d(0, 5));
        assert!(d(4, 5) < d(1, 4));
        let inside = |v: f64, max: f64| (-1e-9..=max + 1e-9).contains(&v);
        assert!(p.iter().all(|&(x, y)| inside(x, 600.0) && inside(y, 400.0)));
    }
}
