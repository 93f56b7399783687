//! Pages: the front page (`content/index.md`) and free pages (`content/pages/*.md`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::yaml;
use super::{Markdown, Origin, is_valid_id, read_text};
use crate::diagnostics::{Diagnostic, Location};

/// A Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Empty for the front page; the file stem for a free page (its URL).
    pub slug: String,
    pub path: PathBuf,
    /// From the front matter, else the first `# heading`, else the slug.
    pub title: String,
    pub description: String,
    pub body: Markdown,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<String>,
    description: Option<String>,
}

/// Loads a page. `path` is relative to `root`.
pub fn load(root: &Path, path: &Path, slug: String) -> Result<Page, Diagnostic> {
    let text = read_text(root, path)?;
    if !slug.is_empty() && !is_valid_id(&slug) {
        return Err(Diagnostic::error("bad-id", format!("`{slug}` cannot be a page name"))
            .at(Location::file(path))
            .help("rename the file: lower-case letters, digits and `-` only, at most 200 of them (e.g. methodology.md)"));
    }
    let split = yaml::split_front_matter(&text).map_err(|(at, msg)| {
        Diagnostic::error("yaml-syntax", msg)
            .at(Location::new(path, &text, at..at + 3))
            .help("close the front matter with a line of three dashes: ---")
    })?;
    let front: RawFront = match split.front_matter {
        Some((y, offset)) => yaml::parse(path, &text, y, offset)?,
        None => RawFront {
            title: None,
            description: None,
        },
    };
    // The page is the user's own writing: a control character in it is refused, not hidden.
    if let Some(d) = crate::control::refuse(path, &text, split.body_offset..text.len(), "this page")
    {
        return Err(d);
    }
    let heading = split
        .body
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()));
    let title = front
        .title
        .or(heading)
        .unwrap_or_else(|| slug.replace('-', " "));
    Ok(Page {
        slug,
        path: path.to_path_buf(),
        title,
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
    })
}
