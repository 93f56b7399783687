//! The site map: where every page and file of a built site lives, and who reads each file.
//!
//! This is the one place that spells the site's paths. The pages of the briefing's own
//! items, sources, collections and free pages sit at folders named by their ids; brief's own
//! pages ([`FixedPage`]) and files ([`SiteFile`]) sit at fixed paths, which is why a
//! collection or a page may not take their names ([`is_reserved`], checked when the briefing
//! is loaded and resolved). render, briefing.json, the search index, the sitemap, the feed and
//! serve all ask here.
//!
//! Paths are site paths: relative to the output folder, `/`-separated. A page's *folder* ends
//! in `/` (`people/x/`, `""` for the front page) and is what links name; its *file* is the
//! folder's `index.html` ([`file_of`]).
//!
//! [`layout`] holds what every site shares and needs no briefing; this file, the paths of a
//! briefing's own pages.

pub mod layout;

use std::collections::HashMap;
use std::path::PathBuf;

pub use layout::*;

use crate::resolve::{Briefing, ItemId, Owner, SourceId};

/// Whether the briefing's site has the fixed page `page`: the changes page only when the
/// build compares with a baseline (`--since`).
pub fn has(b: &Briefing, page: FixedPage) -> bool {
    !page.needs_since() || b.changes.is_some()
}

/// The folder of the page of item `id`.
pub fn item(b: &Briefing, id: ItemId) -> String {
    let it = &b.items[id.0 as usize];
    item_dir(&b.collections[it.collection].id, &it.id)
}

/// The folder of the page of source `i`.
pub fn source(b: &Briefing, i: usize) -> String {
    source_dir(&b.sources[i].source.id)
}

/// The folder of the page a citation is written for.
pub fn owner(b: &Briefing, owner: Owner) -> String {
    match owner {
        Owner::Page(i) => page_dir(&b.pages[i].page.slug),
        Owner::Collection(i) => collection_dir(&b.collections[i].id),
        Owner::Item(id) => item(b, id),
        Owner::Source(s) => source(b, s.0 as usize),
    }
}

/// The user's files each page of the site is made from, by the page's file
/// (`people/x/index.html`): a source's page from its file (and the one holding its notes),
/// an item's from its collection's file, a collection's list from the files of its items, a
/// free page from its Markdown file. Pages that gather texts from all over the briefing (the
/// front page, which shows collections and events, the timeline, the print view …) are not
/// in it.
///
/// A broken link found on a page is looked for in these files only, so that the error names
/// the file that writes the link for that page, not the first file that happens to hold the
/// same text.
pub fn page_files(b: &Briefing) -> HashMap<String, Vec<PathBuf>> {
    let mut files: HashMap<String, Vec<PathBuf>> = HashMap::new();
    let mut add = |owner: Owner, file: &std::path::Path| {
        let list = files.entry(file_of(&self::owner(b, owner))).or_default();
        if !list.iter().any(|f| f == file) {
            list.push(file.to_path_buf());
        }
    };
    for (i, p) in b.pages.iter().enumerate() {
        if !p.page.slug.is_empty() {
            add(Owner::Page(i), &p.page.path);
        }
    }
    for (i, s) in b.sources.iter().enumerate() {
        let owner = Owner::Source(SourceId(i as u32));
        add(owner, &s.source.path);
        if let Some(notes) = &s.source.meta.notes {
            add(owner, &notes.origin.file);
        }
    }
    for (i, it) in b.items.iter().enumerate() {
        let file = &it.id_location.file;
        add(Owner::Item(ItemId(i as u32)), file);
        add(Owner::Collection(it.collection), file);
    }
    files
}
