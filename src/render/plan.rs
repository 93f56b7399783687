//! The plan of a render: which pages it makes, in what order, and which source pages.

use super::Part;
use crate::resolve::{Briefing, ItemId};
use crate::site_map::{self, FixedPage};

/// What a page shows.
#[derive(Debug, Clone, Copy)]
pub(super) enum PageJob {
    /// The front page (index.md, or the site's title when there is none).
    Index,
    /// A collection's list, by index into `Briefing::collections`.
    Collection(usize),
    /// An item's page.
    Item(ItemId),
    /// A free page, by index into `Briefing::pages`.
    Page(usize),
    /// One of brief's own pages.
    Fixed(FixedPage),
    /// A part of the print view of a large briefing, by index into
    /// [`site_map::print_parts`].
    PrintPart(usize),
}

impl PageJob {
    /// True for the pages whose own texts may cite, and so give source pages backlinks.
    pub(super) fn may_cite(self) -> bool {
        match self {
            PageJob::Index | PageJob::Collection(_) | PageJob::Item(_) | PageJob::Page(_) => true,
            PageJob::Fixed(_) | PageJob::PrintPart(_) => false,
        }
    }
}

/// One page to render: its folder (`negotiators/medinsky/`) and what it shows.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) dir: String,
    pub(super) page: PageJob,
}

/// What a render makes.
pub(super) struct Plan {
    /// The pages other than the print view and the source pages: those the part makes, and,
    /// when a source page is made, every page that may cite (for its backlinks).
    pub(super) pages: Vec<Job>,
    /// The print view and its parts, those the part makes: the largest pages, made beside
    /// the others.
    pub(super) print: Vec<Job>,
    /// The sources whose pages the part makes, by index into `Briefing::sources`.
    pub(super) sources: Vec<usize>,
}

impl Plan {
    /// The plan for `part` of the site: the front page, each collection and its items, brief's
    /// own pages, the free pages; the source pages.
    pub(super) fn of(b: &Briefing, part: Part<'_>) -> Plan {
        let job = |dir: String, page| Job { dir, page };
        let mut pages = vec![job(String::new(), PageJob::Index)];
        for (i, c) in b.collections.iter().enumerate() {
            pages.push(job(site_map::collection_dir(&c.id), PageJob::Collection(i)));
            for &id in &c.items {
                pages.push(job(site_map::item(b, id), PageJob::Item(id)));
            }
        }
        for fixed in FixedPage::ALL.into_iter().filter(|&p| site_map::has(b, p)) {
            pages.push(job(fixed.dir().to_string(), PageJob::Fixed(fixed)));
        }
        for k in 0..site_map::print_parts(b).len() {
            pages.push(job(site_map::print_part_dir(k + 1), PageJob::PrintPart(k)));
        }
        for (i, p) in b.pages.iter().enumerate() {
            if !p.page.slug.is_empty() {
                pages.push(job(site_map::page_dir(&p.page.slug), PageJob::Page(i)));
            }
        }
        let sources: Vec<usize> = (0..b.sources.len())
            .filter(|&i| part.makes(&site_map::file_of(&site_map::source(b, i))))
            .collect();
        // A source page shows where each of its passages is cited: when one is made, every
        // page that may cite is rendered for its backlinks, even one this part does not make.
        pages.retain(|j| {
            part.makes(&site_map::file_of(&j.dir)) || (!sources.is_empty() && j.page.may_cite())
        });
        let (print, pages) = pages.into_iter().partition(|j| {
            matches!(
                j.page,
                PageJob::Fixed(FixedPage::Print) | PageJob::PrintPart(_)
            )
        });
        Plan {
            pages,
            print,
            sources,
        }
    }

    /// How many files the plan makes: its pages, the source pages, 404.html and the print
    /// view and its parts (for the progress bar).
    pub(super) fn len(&self) -> usize {
        self.pages.len() + self.sources.len() + 1 + self.print.len()
    }
}
