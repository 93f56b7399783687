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

/// A part of the print view of a large briefing: items `items` (indices into its
/// `items`) of the collection `collection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPart {
    /// The collection, by index into `Briefing::collections`.
    pub collection: usize,
    /// The items of the part, a range of the collection's `items`.
    pub items: std::ops::Range<usize>,
}

/// The parts the print view's items are printed in, in reading order, part `k` at
/// [`print_part_dir`]`(k + 1)`: none when the briefing has at most [`PRINT_PART_ITEMS`]
/// items (it prints on one page); else each collection's items in runs of at most that many.
pub fn print_parts(b: &Briefing) -> Vec<PrintPart> {
    print_parts_of(
        b.collections.iter().map(|c| c.items.len()),
        PRINT_PART_ITEMS,
    )
}

/// [`print_parts`] of collections of `sizes` items, at most `max` a part.
fn print_parts_of(sizes: impl Iterator<Item = usize> + Clone, max: usize) -> Vec<PrintPart> {
    if sizes.clone().sum::<usize>() <= max {
        return Vec::new();
    }
    let mut parts = Vec::new();
    for (collection, n) in sizes.enumerate() {
        for start in (0..n).step_by(max) {
            parts.push(PrintPart {
                collection,
                items: start..n.min(start + max),
            });
        }
    }
    parts
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_parts_split_each_collection_in_runs() {
        assert!(print_parts_of([3, 2].into_iter(), 5).is_empty());
        let parts = print_parts_of([7, 0, 3].into_iter(), 3);
        let got: Vec<(usize, std::ops::Range<usize>)> =
            parts.into_iter().map(|p| (p.collection, p.items)).collect();
        assert_eq!(got, [(0, 0..3), (0, 3..6), (0, 6..7), (2, 0..3)]);
        assert_eq!(print_part_dir(2), "print/2/");
    }
}
