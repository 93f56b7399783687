//! Pages: the front page (`content/index.md`) and free pages (`content/pages/*.md`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::yaml;
use super::{Markdown, Origin, is_valid_id, read_text};
use crate::diagnostics::{Code, Diagnostic, Location};

/// A Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Empty for the front page; the file stem for a free page (its URL).
    pub slug: String,
    pub path: PathBuf,
    /// From the front matter, else the first `# heading`, else the slug.
    pub title: String,
    /// True when the title is the body's first `# heading` (taken from it, or the front
    /// matter's `title` spelled the same): the body shows it, so the page must not show it
    /// again above (one `<h1>` a page).
    pub title_in_body: bool,
    pub description: String,
    pub body: Markdown,
    /// `internal: true`: the page is left out of the public site (see [`crate::audience`]);
    /// the front page cannot be.
    pub internal: bool,
    /// `internal_notes:`, Markdown that is always internal.
    pub internal_notes: Option<Markdown>,
    /// `key_points:` of the front page, each a line of Markdown with its citations: the
    /// bottom line, shown in a box above the front page's text and the print view's.
    pub key_points: Vec<Markdown>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<String>,
    description: Option<String>,
    internal: Option<bool>,
    internal_notes: Option<serde_saphyr::Spanned<String>>,
    key_points: Option<Vec<serde_saphyr::Spanned<String>>>,
}

/// Loads a page. `path` is relative to `root`.
pub fn load(root: &Path, path: &Path, slug: String) -> Result<Page, Diagnostic> {
    let text = read_text(root, path)?;
    if !slug.is_empty() && !is_valid_id(&slug) {
        return Err(Diagnostic::error(Code::BadId, format!("`{slug}` cannot be a page name"))
            .at(Location::file(path))
            .help("rename the file: lower-case letters, digits and `-` only, at most 200 of them (e.g. methodology.md)"));
    }
    let split = yaml::split_front_matter(&text).map_err(|(at, msg)| {
        Diagnostic::error(Code::YamlSyntax, msg)
            .at(Location::new(path, &text, at..at + 3))
            .help("close the front matter with a line of three dashes: ---")
    })?;
    let (front, internal_notes, key_points): (RawFront, _, _) = match split.front_matter {
        Some((y, offset)) => {
            let front: RawFront = yaml::parse(path, &text, y, offset)?;
            let doc = yaml::Doc {
                file: path.to_path_buf(),
                file_text: text.clone(),
                offset,
            };
            let notes = front.internal_notes.as_ref().map(|n| doc.markdown(n));
            if let (false, Some(first)) =
                (slug.is_empty(), front.key_points.iter().flatten().next())
            {
                // The bottom line is the briefing's, on its front page; a free page has none.
                return Err(Diagnostic::error(
                    Code::UnknownField,
                    "`key_points` belongs to the front page (content/index.md), not to a free page",
                )
                .at(doc.loc(first))
                .help(
                    "move the key points to content/index.md, or write them in this page's text",
                ));
            }
            let points = front
                .key_points
                .iter()
                .flatten()
                .map(|p| doc.markdown(p))
                .collect();
            (front, notes, points)
        }
        None => (
            RawFront {
                title: None,
                description: None,
                internal: None,
                internal_notes: None,
                key_points: None,
            },
            None,
            Vec::new(),
        ),
    };
    if slug.is_empty() && front.internal == Some(true) {
        return Err(Diagnostic::error(
            Code::InternalFrontPage,
            "the front page cannot be internal: the public site needs one",
        )
        .at(Location::file(path))
        .help("remove `internal: true` from content/index.md; put what is internal in `internal_notes:` or in a page of its own"));
    }
    // The page is the user's own writing: a control character in it is refused, not hidden.
    if let Some(d) = crate::control::refuse(path, &text, split.body_offset..text.len(), "this page")
    {
        return Err(d);
    }
    let heading = first_heading(split.body);
    let title_in_body = match (&front.title, &heading) {
        (None, Some(_)) => true,
        (Some(t), Some(h)) => t.trim() == h,
        _ => false,
    };
    let title = front
        .title
        .or(heading)
        .unwrap_or_else(|| slug.replace('-', " "));
    Ok(Page {
        slug,
        path: path.to_path_buf(),
        title,
        title_in_body,
        description: front.description.unwrap_or_default(),
        body: Markdown {
            text: split.body.to_string(),
            origin: Origin {
                file: path.to_path_buf(),
                file_text: text.clone(),
                offset: split.body_offset,
                verbatim: true,
            },
        },
        internal: front.internal.unwrap_or(false),
        key_points,
        internal_notes,
    })
}

/// The text of the first level-1 heading of Markdown (`# Title` or `Title` underlined with
/// `===`), markup dropped; none when there is none or it is empty. A `#` line inside a code
/// block is not a heading.
fn first_heading(md: &str) -> Option<String> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut parser = Parser::new(md);
    parser.find(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    })?;
    let mut text = String::new();
    for e in parser {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
