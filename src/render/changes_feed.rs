//! `changes.xml` (only with `brief build --since`): the changes page's entries as an Atom
//! feed, one entry a change, so a reader subscribed to it sees what each edition changed.
//!
//! Written here rather than from a template: every value is escaped by [`esc`], and the
//! feed's shape is brief's, not the theme's.

use std::io::Write;

use super::pages::changes::{Entry, entries};
use crate::markdown::escape_html;
use crate::resolve::{Briefing, ResolvedDetails};
use crate::site_map::{FixedPage, SiteFile};

/// Text escaped for XML content and attribute values (`&`, `<`, `>`, `"`, `'`).
fn esc(s: &str) -> String {
    escape_html(s)
}

/// The newest date the briefing holds (a source's publication, an event's date), as the
/// feed's and every entry's `updated`: a build has no clock of its own (the same input
/// gives the same bytes).
fn newest(b: &Briefing) -> String {
    let sources = b.sources.iter().filter_map(|s| s.source.meta.published);
    let events = b.items.iter().filter_map(|it| match &it.details {
        ResolvedDetails::Event { date, .. } => *date,
        _ => None,
    });
    sources
        .chain(events)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

/// An entry's summary: what changed, the text before and the text now.
fn summary(e: &Entry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !e.what.is_empty() {
        parts.push(format!("{}.", e.what));
    }
    let both = !e.old.is_empty() && !e.new.is_empty();
    if !e.old.is_empty() {
        let label = if both { "Was" } else { "Said" };
        parts.push(format!("{label}: {}", e.old.join(" / ")));
    }
    if !e.new.is_empty() {
        let label = if both { "Now" } else { "Says" };
        parts.push(format!("{label}: {}", e.new.join(" / ")));
    }
    if parts.is_empty() {
        parts.push(e.subject.clone());
    }
    parts.join(" ")
}

/// Writes changes.xml to `w`; nothing when the build has no baseline.
pub fn write_changes(b: &Briefing, w: &mut dyn Write) -> std::io::Result<()> {
    let Some(changes) = &b.changes else {
        return Ok(());
    };
    let config = &b.site.config;
    let base = &config.base_url;
    let page = format!("{base}{}", FixedPage::Changes.dir());
    let updated = newest(b);
    let edition = config.edition.as_deref().unwrap_or("");
    let t = &b.site.strings;
    let title = if edition.is_empty() {
        t.fill("changes_feed_title", &[("site", &config.title)])
    } else {
        t.fill(
            "changes_feed_title_edition",
            &[("site", &config.title), ("name", edition)],
        )
    };
    let since = match &changes.baseline_edition {
        Some(e) => t.fill(
            "changes_since_edition",
            &[("name", e), ("of", &changes.baseline)],
        ),
        None => t.fill("changes_since", &[("of", &changes.baseline)]),
    };
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&config.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", esc(&title)));
    out.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(&since)));
    // The id names the edition too: each edition's feed is a feed of its own changes.
    let id = format!("{base}{}", SiteFile::Changes.path());
    out.push_str(&format!("  <id>{}</id>\n", esc(&id)));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&id)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&page)
    ));
    let author = if config.author.trim().is_empty() {
        &config.title
    } else {
        &config.author
    };
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(author)
    ));
    out.push_str("  <generator>brief</generator>\n");
    for e in entries(b, changes) {
        // An entry's id: the change's place on the page, and the edition it belongs to, so
        // that the same change in a later edition's feed is not taken for this one.
        let entry_id = if edition.is_empty() {
            format!("{page}#{}", e.anchor)
        } else {
            format!(
                "{page}#{}",
                [e.anchor.as_str(), "@", &percent_encode(edition)].concat()
            )
        };
        let link = match &e.target {
            Some(t) => format!("{base}{t}"),
            None => format!("{page}#{}", e.anchor),
        };
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            esc(&format!("{}: {}", e.kind.label(t), e.subject))
        ));
        out.push_str(&format!("    <id>{}</id>\n", esc(&entry_id)));
        out.push_str(&format!("    <updated>{updated}</updated>\n"));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&link)
        ));
        out.push_str(&format!("    <category term=\"{}\"/>\n", e.kind.id()));
        out.push_str(&format!("    <summary>{}</summary>\n", esc(&summary(&e))));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    w.write_all(out.as_bytes())
}

/// `s` with every byte that is not an unreserved URL character percent-encoded, for the
/// edition's name in an entry's id.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_name_is_encoded_in_ids() {
        assert_eq!(percent_encode("No. 14"), "No.%2014");
        assert_eq!(percent_encode("<é>"), "%3C%C3%A9%3E");
    }
}
