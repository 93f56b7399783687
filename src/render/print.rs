//! The print view (`/print/`): the whole briefing on one page — the front page summary, every
//! collection with every item, its claims and positions, and the timeline — with one notes
//! list for the whole page, numbered by first use across all of it.
//!
//! The items are most of the page; each is rendered on its own (in parallel) with
//! `partials/print-item.html` and deferred notes, then numbered into the page's notes in
//! reading order ([`Notes::absorb`]), so a passage cited in several items keeps its number and
//! every mark id is unique.
//!
//! The items and the notes list are tens of megabytes on a large briefing: the template gets
//! short placeholders for them, which [`splice`] replaces once Tera is done, rather than
//! copying all of it into Tera's values and out again.

use rayon::prelude::*;
use tera::Value;
use tera::value::Key;

use super::notes::Notes;
use super::{Page, PageOut, Renderer};
use crate::diagnostics::Diagnostic;
use crate::load::Kind;
use crate::resolve::ItemId;

impl Renderer<'_> {
    /// The print page's template, kind, title, description and extra context; the parts its
    /// placeholders stand for go to `pieces`.
    pub(super) fn print<'r>(
        &'r self,
        page: &mut Page<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> Result<PageOut, Diagnostic> {
        let b = self.b;
        let front = b.pages.iter().find(|p| p.page.slug.is_empty());
        // The page's one `<h1>` is the site's title: a `# heading` of the front page (its
        // title, when it is written in the body) becomes a heading of the summary.
        let summary_html = front
            .map(|p| {
                page.md(&p.body)
                    .replace("<h1>", "<h2>")
                    .replace("</h1>", "</h2>")
            })
            .unwrap_or_default();
        let mut collections: Vec<Value> = Vec::with_capacity(b.collections.len());
        for c in &b.collections {
            let description_html = page.opt_md(c.description.as_ref());
            let collection = tv!({
                id: c.id, title: c.title, kind: c.kind, url: page.link(&format!("{}/", c.id)),
                is_dispute: c.kind == Kind::Dispute,
            });
            let parts: Vec<Result<(Notes, String), Diagnostic>> = c
                .items
                .par_iter()
                .map(|&id| self.print_item(id, &page.root, &collection))
                .collect();
            let mut items = Vec::with_capacity(parts.len());
            for (&id, part) in c.items.iter().zip(parts) {
                let (notes, html) = part?;
                let it = &b.items[id.0 as usize];
                items.push(tv!({
                    id: it.item.id, name: it.item.name,
                    url: page.link(&super::item_path(b, id)),
                    html: placeholder(pieces.len()),
                }));
                pieces.push(Piece::Html(page.notes.absorb(notes, &html)));
            }
            let mut collection = collection.into_map().unwrap_or_default();
            collection.insert(Key::Str("description_html"), description_html.into());
            collection.insert(Key::Str("items"), items.into());
            collections.push(collection.into());
        }
        let (_, _, _, _, timeline) = self.timeline(page, pieces);
        let mut extra = vec![
            ("summary_html", Value::from(summary_html)),
            ("collections", Value::from(collections)),
        ];
        extra.extend(timeline);
        let out = (
            "print.html",
            "print",
            "Print view".to_string(),
            b.site.config.description.clone(),
            extra,
        );
        Ok(out)
    }

    /// One item of the print view, with its notes deferred.
    fn print_item(
        &self,
        id: ItemId,
        root: &str,
        collection: &Value,
    ) -> Result<(Notes, String), Diagnostic> {
        let b = self.b;
        let mut page = Page {
            b,
            root: root.to_string(),
            notes: Notes::deferred(),
        };
        let (_, _, _, subtitle, extra) = self.item(id, &mut page, true);
        let mut item = extra
            .into_iter()
            .find(|(k, _)| *k == "item")
            .and_then(|(_, v)| v.into_map())
            .unwrap_or_default();
        item.insert(Key::Str("subtitle"), subtitle.into());
        item.insert(Key::Str("url"), page.link(&super::item_path(b, id)).into());
        let mut ctx = tera::Context::new();
        ctx.insert_value("item", Value::from(item));
        ctx.insert_value("collection", collection.clone());
        let html = self.t.render("partials/print-item.html", &ctx)?;
        Ok((page.notes, html))
    }
}

/// Marks the ends of a placeholder: a control character no text of a briefing can hold (load
/// refuses it in what the user writes and blanks it in source texts; see [`crate::control`]),
/// so the placeholders cannot be forged or broken by the text around them. [`segments`] takes
/// only exact placeholders of the page's parts, should a mark ever come from elsewhere.
const MARK: char = '\u{3}';

/// The placeholder for part `k`.
pub(super) fn placeholder(k: usize) -> String {
    format!("{MARK}brief-part-{k}{MARK}")
}

/// A large piece of a page that its template holds a placeholder for.
pub(super) enum Piece<'r> {
    /// HTML made for this page (a print item).
    Html(String),
    /// HTML shared with another page (a year of the timeline).
    Shared(&'r str),
    /// The page's notes list, written from its notes when the page is.
    Notes,
}

/// A stretch of a page's HTML: text of the template, or the part a placeholder stands for.
#[derive(Debug, PartialEq)]
pub(super) enum Segment<'h> {
    Text(&'h str),
    Part(usize),
}

/// `html` cut at its placeholders for parts `0..parts`. Anything else between marks is
/// text.
pub(super) fn segments(html: &str, parts: usize) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let (mut text, mut at) = (0, 0);
    while let Some(found) = html[at..].find(MARK) {
        let inside = at + found + MARK.len_utf8();
        let part = html[inside..].split_once(MARK).and_then(|(name, _)| {
            let k: usize = name.strip_prefix("brief-part-")?.parse().ok()?;
            (k < parts).then_some((k, name.len()))
        });
        match part {
            Some((k, len)) => {
                out.push(Segment::Text(&html[text..at + found]));
                out.push(Segment::Part(k));
                at = inside + len + MARK.len_utf8();
                text = at;
            }
            None => at = inside,
        }
    }
    out.push(Segment::Text(&html[text..]));
    out.retain(|s| *s != Segment::Text(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_by_their_parts() {
        let parts = ["<li>one</li>", "<ol>two</ol>"];
        let spliced = |html: &str| {
            let mut out = String::new();
            for s in segments(html, parts.len()) {
                match s {
                    Segment::Text(t) => out.push_str(t),
                    Segment::Part(k) => out.push_str(parts[k]),
                }
            }
            out
        };
        let html = format!("a{}b{}c{}", placeholder(1), placeholder(0), placeholder(1));
        assert_eq!(spliced(&html), "a<ol>two</ol>b<li>one</li>c<ol>two</ol>");
        let odd = format!("{MARK}x{MARK} {} {MARK}", placeholder(7));
        assert_eq!(spliced(&odd), odd);
        assert_eq!(
            segments(&format!("{}{}", placeholder(0), placeholder(1)), 2),
            [Segment::Part(0), Segment::Part(1)]
        );
        // A stray mark right before a placeholder does not take it.
        assert_eq!(
            segments(&format!("{MARK}{}", placeholder(0)), 1),
            [Segment::Text("\u{3}"), Segment::Part(0)]
        );
    }
}
