//! Resolving: links ids, anchors every quote to a byte range of its source, finds mentions.
//!
//! Input is the loaded [`Site`]; output is a [`Briefing`] in which references are typed ids
//! ([`SourceId`], [`ItemId`], [`CitationId`]) and every citation knows its passage. Quote
//! anchoring and mention finding run per source in parallel, each source folded once.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cache::Memo;
use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::digest::Sha256;
use crate::load::{CiteSpec, Details, Item, Kind, Markdown, Page, Ref, Site, Source};
use crate::markdown;
use crate::text::fold::Folded;
use crate::text::mention::MentionFinder;
use crate::text::quote::{QuoteMatch, WordIndex, find_quote_with};

/// Index of a source in [`Briefing::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// Index of an item in [`Briefing::items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub u32);

/// Index of a citation in [`Briefing::citations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CitationId(pub u32);

/// A briefing with everything linked.
#[derive(Debug)]
pub struct Briefing {
    pub site: SiteParts,
    pub sources: Vec<ResolvedSource>,
    pub collections: Vec<ResolvedCollection>,
    pub items: Vec<ResolvedItem>,
    pub citations: Vec<Citation>,
    /// The front page (slug empty) and free pages.
    pub pages: Vec<ResolvedPage>,
    /// Which parts are internal, and their internal notes: empty in a public build, from
    /// which [`crate::audience::separate`] took them.
    pub internal: crate::audience::Internal,
    /// Who the build is for (set by the caller of resolve; public by default).
    pub audience: crate::audience::Audience,
    /// The leak check a public build with internal material runs on every file it makes
    /// (set by the caller of resolve).
    pub leak_check: Option<crate::audience::LeakCheck>,
    /// What changed since `brief build --since`'s baseline (set after resolving; `None`
    /// without `--since`).
    pub changes: Option<crate::changes::Changes>,
    /// The site folders of the pages a public build left out, which a link in Markdown is
    /// not made to (set by the caller of resolve; see [`crate::audience::Withheld::paths`]).
    pub unlinked: std::collections::HashSet<String>,
}

/// The parts of the loaded site that pass through resolving unchanged.
#[derive(Debug)]
pub struct SiteParts {
    pub root: std::path::PathBuf,
    pub config: crate::config::Config,
    pub templates: Vec<crate::load::UserTemplate>,
    /// The theme's words in the site's language.
    pub strings: crate::strings::Strings,
    pub static_files: Vec<(std::path::PathBuf, std::path::PathBuf)>,
}

/// A source with its cited passages and the items its text mentions.
#[derive(Debug)]
pub struct ResolvedSource {
    pub source: Source,
    /// Distinct cited byte ranges of `source.text()`, sorted; passage `i` is `#q-{i+1}`.
    pub passages: Vec<Range<usize>>,
    /// Mentions of items in the text, in order.
    pub mentions: Vec<(Range<usize>, ItemId)>,
    pub notes: Option<Text>,
    /// A hash of `source.text()`, for the fingerprints of pages made from it.
    pub text_hash: u64,
    /// The SHA-256 of `source.text()` (briefing.json, brief.lock).
    pub sha256: Sha256,
}

/// A collection with its items.
#[derive(Debug)]
pub struct ResolvedCollection {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub description: Option<Text>,
    pub items: Vec<ItemId>,
}

/// An item with its texts resolved and its references turned into ids.
#[derive(Debug)]
pub struct ResolvedItem {
    pub id: String,
    /// Where the id is written.
    pub id_location: Location,
    pub name: String,
    pub aliases: Vec<String>,
    /// Index into [`Briefing::collections`].
    pub collection: usize,
    pub summary: Option<Text>,
    pub claims: Vec<ResolvedClaim>,
    /// The fields of the item's kind.
    pub details: ResolvedDetails,
    /// Items this one names (in `related:` or a field of its kind) and items that name it,
    /// without duplicates.
    pub related: Vec<ItemId>,
    /// Sources whose text mentions the item, with the number of mentions.
    pub mentioned_in: Vec<(SourceId, usize)>,
    /// The review findings acknowledged on the item.
    pub reviewed: crate::load::Reviewed,
}

/// The fields that depend on the collection's kind, as [`Details`] has them but with the
/// references turned into ids (a reference to no item is reported and left out) and the
/// texts resolved.
#[derive(Debug)]
pub enum ResolvedDetails {
    Person {
        role: Option<String>,
        side: Option<String>,
        affiliation: Option<ItemId>,
    },
    Venue {
        city: Option<String>,
        country: Option<String>,
        coordinates: Option<(f64, f64)>,
    },
    Event {
        date: Option<PartialDate>,
        end_date: Option<PartialDate>,
        place: Option<ItemId>,
        actors: Vec<ItemId>,
    },
    Organization {
        short_name: Option<String>,
        country: Option<String>,
        parent: Option<ItemId>,
    },
    Dispute {
        question: String,
        date: Option<PartialDate>,
        positions: Vec<ResolvedPosition>,
    },
    Free {
        /// Label and text, in the order written.
        fields: Vec<(String, Text)>,
    },
}

/// A claim: its text, its date and its structured citations.
#[derive(Debug)]
pub struct ResolvedClaim {
    /// Unique among the item's claims: its anchor ([`crate::site_map::claim_anchor`]).
    pub id: String,
    pub text: Text,
    pub date: Option<PartialDate>,
    pub cites: Vec<CitationId>,
    /// Where its `id:` is written, else its text.
    pub location: Location,
    /// The review findings acknowledged on the claim.
    pub reviewed: crate::load::Reviewed,
}

/// One side of a dispute: its text, the items holding it and its structured citations.
#[derive(Debug)]
pub struct ResolvedPosition {
    pub text: Text,
    pub held_by: Vec<ItemId>,
    pub cites: Vec<CitationId>,
    /// Where its text is written.
    pub location: Location,
    /// The review findings acknowledged on the position.
    pub reviewed: crate::load::Reviewed,
}

/// Markdown whose citation groups are resolved, in the order they stand in the text.
#[derive(Debug, Clone)]
pub struct Text {
    pub markdown: String,
    pub groups: Vec<Vec<CitationId>>,
}

/// A front page or free page.
#[derive(Debug)]
pub struct ResolvedPage {
    pub page: Page,
    pub body: Text,
    /// The front page's key points, resolved (empty for a free page).
    pub key_points: Vec<Text>,
}

/// Where a citation is written: the page that is its home (its backlink target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The front page or a free page (index into [`Briefing::pages`]).
    Page(usize),
    /// A collection's description (index into [`Briefing::collections`]).
    Collection(usize),
    /// An item's summary, claims, positions or fields.
    Item(ItemId),
    /// A source's notes.
    Source(SourceId),
}

/// One citation of a source (a passage, or the whole source).
#[derive(Debug, Clone)]
pub struct Citation {
    pub source: SourceId,
    /// The quote as written, `None` for the whole source.
    pub quote: Option<String>,
    /// The quote in the site's language, when the citation gives one (`translation:` of a
    /// `cite:` entry, or the second quoted text of `[@id "quote" "translation"]`): the
    /// quote is still found in the original, and shown with this beside it.
    pub translation: Option<String>,
    /// Who translated it (`translator:`), when the citation says.
    pub translator: Option<String>,
    /// The byte range of the quote in the source's text.
    pub range: Option<Range<usize>>,
    /// Index into the source's `passages`.
    pub passage: Option<usize>,
    /// The other places the quote occurs in the source (the first is cited): an ambiguous
    /// quote, which resolve warns of and `brief review` lists.
    pub elsewhere: Vec<Range<usize>>,
    /// Where the citation is written.
    pub location: Location,
    /// The page it is written for.
    pub owner: Owner,
}

/// A quote's translation as a citation gives it.
struct Translation {
    text: String,
    translator: Option<String>,
}

/// The error for an item id used a second time, at `at`.
fn duplicate_id(id: &str, at: &Location, first: &Location) -> Diagnostic {
    Diagnostic::error(Code::DuplicateId, format!("the id `{id}` is used twice"))
        .at(at.clone())
        .related(first.clone(), "first used here")
        .help("ids are unique across the whole briefing: rename one of them")
}

/// The ids of items in collection files that failed to load (see [`Site::unread_ids`]) that
/// are used twice, among them or with the items read: the same error as for those.
fn duplicates_among_unread(
    unread: &[(String, Location)],
    item_ids: &FxHashMap<String, ItemId>,
    flat: &[(usize, Item)],
    diags: &mut Diagnostics,
) {
    let mut seen: FxHashMap<&str, &Location> = FxHashMap::default();
    for (id, at) in unread {
        let first = match item_ids.get(id) {
            Some(&first) => Some(&flat[first.0 as usize].1.id_location),
            None => seen.get(id.as_str()).copied(),
        };
        match first {
            Some(first) => diags.push(duplicate_id(id, at, first)),
            None => {
                seen.insert(id, at);
            }
        }
    }
}

/// Links and verifies a loaded site. Problems go to `diags`.
pub fn resolve(site: Site, diags: &mut Diagnostics) -> Briefing {
    resolve_cached(site, diags, &mut Cache::default(), &crate::progress::Silent)
}

/// A free page may not take the folder of a collection or of one of brief's own pages (see
/// [`crate::site_map::is_reserved`]): it would replace that page.
fn check_page_folders(site: &Site, diags: &mut Diagnostics) {
    for p in site.pages.iter().filter(|p| !p.slug.is_empty()) {
        if site.collections.iter().any(|c| c.id == p.slug)
            || crate::site_map::layout::is_reserved(&p.slug)
        {
            diags.push(
                Diagnostic::error(
                    Code::ReservedId,
                    format!(
                        "the page `{}` would replace another page of the site",
                        p.slug
                    ),
                )
                .at(crate::diagnostics::Location::file(&p.path))
                .help("rename the file in content/pages/"),
            );
        }
    }
}

/// [`resolve`], reusing what `cache` holds from earlier runs and keeping what it finds.
pub fn resolve_cached(
    mut site: Site,
    diags: &mut Diagnostics,
    cache: &mut Cache,
    progress: &dyn crate::progress::Progress,
) -> Briefing {
    check_page_folders(&site, diags);
    let source_ids: FxHashMap<String, SourceId> = site
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), SourceId(i as u32)))
        .collect();
    let flat = Flat::of(&mut site.collections, &site.unread_ids, diags);
    let internal = crate::audience::Internal::of(&site.sources, &flat.items, &site.pages);
    let mut cx = Cx {
        withheld: &site.withheld,
        source_ids: &source_ids,
        sources: &site.sources,
        failed_sources: &site.failed_sources,
        failed_collections: site.failed_collections,
        item_ids: &flat.ids,
        owner: Owner::Page(0),
        citations: Vec::new(),
        diags,
    };
    // Texts in the order their citations are numbered: pages, collections, items, notes.
    let pages: Vec<ResolvedPage> = std::mem::take(&mut site.pages)
        .into_iter()
        .enumerate()
        .map(|(i, page)| cx.page(i, page))
        .collect();
    let collections: Vec<ResolvedCollection> = std::mem::take(&mut site.collections)
        .into_iter()
        .zip(flat.by_collection)
        .enumerate()
        .map(|(i, (c, items))| cx.collection(i, c, items))
        .collect();
    let mut items: Vec<ResolvedItem> = flat
        .items
        .into_iter()
        .enumerate()
        .map(|(i, (collection, item))| cx.item(ItemId(i as u32), collection, item))
        .collect();
    let notes: Vec<Option<Text>> = site
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            cx.owner = Owner::Source(SourceId(i as u32));
            s.meta.notes.as_ref().map(|n| cx.text(n))
        })
        .collect();
    let mut citations = std::mem::take(&mut cx.citations);
    relate_both_ways(&mut items);
    let found = anchor_all(&site.sources, &items, &citations, cache, progress);
    let sources = place_found(
        std::mem::take(&mut site.sources),
        found,
        notes,
        &mut citations,
        &mut items,
        diags,
    );
    Briefing {
        site: SiteParts {
            root: site.root,
            config: site.config,
            templates: site.templates,
            strings: site.strings,
            static_files: site.static_files,
        },
        sources,
        collections,
        items,
        citations,
        pages,
        internal,
        audience: crate::audience::Audience::default(),
        leak_check: None,
        changes: None,
        unlinked: Default::default(),
    }
}

/// The items of every collection in one list, with ids unique across the briefing.
struct Flat {
    /// Each item with the index of its collection.
    items: Vec<(usize, Item)>,
    ids: FxHashMap<String, ItemId>,
    /// The items of each collection.
    by_collection: Vec<Vec<ItemId>>,
}

impl Flat {
    /// Moves the items out of their collections (a copy of each would only add to the peak
    /// memory; the collections' other fields are read later), reporting a second use of an
    /// id, also among the ids of files that could not be read.
    fn of(
        collections: &mut [crate::load::Collection],
        unread: &[(String, Location)],
        diags: &mut Diagnostics,
    ) -> Flat {
        let mut flat = Flat {
            items: Vec::new(),
            ids: FxHashMap::default(),
            by_collection: Vec::new(),
        };
        for (ci, c) in collections.iter_mut().enumerate() {
            let mut ids = Vec::new();
            for item in std::mem::take(&mut c.items) {
                if let Some(&first) = flat.ids.get(&item.id) {
                    let first_loc = &flat.items[first.0 as usize].1.id_location;
                    diags.push(duplicate_id(&item.id, &item.id_location, first_loc));
                    continue;
                }
                let id = ItemId(flat.items.len() as u32);
                flat.ids.insert(item.id.clone(), id);
                ids.push(id);
                flat.items.push((ci, item));
            }
            flat.by_collection.push(ids);
        }
        duplicates_among_unread(unread, &flat.ids, &flat.items, diags);
        flat
    }
}

/// Makes every reference count in both directions: an item's `related` becomes the items it
/// names and the items that name it.
fn relate_both_ways(items: &mut [ResolvedItem]) {
    let mut related: Vec<Vec<ItemId>> = vec![Vec::new(); items.len()];
    for (i, item) in items.iter().enumerate() {
        let this = ItemId(i as u32);
        for t in item.related.iter().chain(item.details.references()) {
            if *t != this {
                related[i].push(*t);
                related[t.0 as usize].push(this);
            }
        }
    }
    for (item, mut r) in items.iter_mut().zip(related) {
        r.sort();
        r.dedup();
        item.related = r;
    }
}

/// Anchors the quotes and finds the mentions of the items, source by source in parallel.
fn anchor_all(
    sources: &[Source],
    items: &[ResolvedItem],
    citations: &[Citation],
    cache: &mut Cache,
    progress: &dyn crate::progress::Progress,
) -> Vec<SourceResult> {
    let names: Vec<(&str, usize)> = items
        .iter()
        .enumerate()
        // Disputes are questions, not names that occur in texts.
        .filter(|(_, it)| it.kind() != Kind::Dispute)
        .flat_map(|(i, it)| {
            std::iter::once(it.name.as_str())
                .chain(it.aliases.iter().map(String::as_str))
                .map(move |n| (n, i))
        })
        .collect();
    let finder = MentionFinder::new(names.iter().copied());
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
    for (i, c) in citations.iter().enumerate() {
        by_source[c.source.0 as usize].push(i);
    }
    let names_hash = hash_of(&names);
    progress.start("anchoring quotes", sources.len());
    let keep = cache.sources.keeps();
    let anchored: Vec<(SourceResult, Option<Anchored>)> = sources
        .par_iter()
        .zip(by_source.par_iter())
        .map(|(source, cites)| {
            progress.step();
            let cached = cache.sources.get(&source.id);
            anchor_source(source, cites, citations, &finder, names_hash, cached, keep)
        })
        .collect();
    progress.finish();
    cache.sources.clear();
    let mut results = Vec::with_capacity(anchored.len());
    for (source, (result, memo)) in sources.iter().zip(anchored) {
        results.push(result);
        if let Some(memo) = memo {
            cache.sources.insert(source.id.clone(), memo);
        }
    }
    results
}

/// Gives each citation the range and passage its quote was found at, each source its cited
/// passages and mentions, and each item the sources that mention it.
fn place_found(
    sources: Vec<Source>,
    found: Vec<SourceResult>,
    notes: Vec<Option<Text>>,
    citations: &mut [Citation],
    items: &mut [ResolvedItem],
    diags: &mut Diagnostics,
) -> Vec<ResolvedSource> {
    let mut resolved = Vec::with_capacity(found.len());
    let mut mentioned: Vec<BTreeMap<SourceId, usize>> = vec![BTreeMap::new(); items.len()];
    for (si, ((source, result), notes)) in sources.into_iter().zip(found).zip(notes).enumerate() {
        for d in result.diagnostics {
            diags.push(d);
        }
        let mut passages: Vec<Range<usize>> =
            result.found.iter().map(|(_, r, _)| r.clone()).collect();
        passages.sort_by_key(|r| (r.start, r.end));
        passages.dedup();
        for (ci, range, elsewhere) in result.found {
            let c = &mut citations[ci];
            c.elsewhere = elsewhere;
            c.passage = passages
                .binary_search_by_key(&(range.start, range.end), |r| (r.start, r.end))
                .ok();
            c.range = Some(range);
        }
        for (_, item) in &result.mentions {
            *mentioned[item.0 as usize]
                .entry(SourceId(si as u32))
                .or_default() += 1;
        }
        resolved.push(ResolvedSource {
            source,
            passages,
            mentions: result.mentions,
            notes,
            text_hash: result.text_hash,
            sha256: result.sha256,
        });
    }
    for (item, m) in items.iter_mut().zip(mentioned) {
        item.mentioned_in = m.into_iter().collect();
    }
    resolved
}

impl ResolvedItem {
    /// The kind its details belong to.
    pub fn kind(&self) -> Kind {
        self.details.kind()
    }

    /// A dispute's positions (none for other kinds).
    pub fn positions(&self) -> &[ResolvedPosition] {
        match &self.details {
            ResolvedDetails::Dispute { positions, .. } => positions,
            _ => &[],
        }
    }
}

impl ResolvedDetails {
    /// The kind these details belong to.
    pub fn kind(&self) -> Kind {
        match self {
            ResolvedDetails::Person { .. } => Kind::Person,
            ResolvedDetails::Venue { .. } => Kind::Venue,
            ResolvedDetails::Event { .. } => Kind::Event,
            ResolvedDetails::Organization { .. } => Kind::Organization,
            ResolvedDetails::Dispute { .. } => Kind::Dispute,
            ResolvedDetails::Free { .. } => Kind::Free,
        }
    }

    /// The items the fields name (a dispute's: the items holding its positions).
    pub fn references(&self) -> Box<dyn Iterator<Item = &ItemId> + '_> {
        match self {
            ResolvedDetails::Person { affiliation, .. } => Box::new(affiliation.iter()),
            ResolvedDetails::Event { place, actors, .. } => Box::new(place.iter().chain(actors)),
            ResolvedDetails::Organization { parent, .. } => Box::new(parent.iter()),
            ResolvedDetails::Dispute { positions, .. } => {
                Box::new(positions.iter().flat_map(|p| &p.held_by))
            }
            ResolvedDetails::Venue { .. } | ResolvedDetails::Free { .. } => {
                Box::new(std::iter::empty())
            }
        }
    }
}

/// What resolving collects while walking the briefing.
struct Cx<'a> {
    /// What a public build took out: references to it are dropped without a word.
    withheld: &'a crate::audience::Withheld,
    source_ids: &'a FxHashMap<String, SourceId>,
    sources: &'a [Source],
    /// What failed to load: references to it are not reported again.
    failed_sources: &'a [String],
    failed_collections: bool,
    /// The ids of the items.
    item_ids: &'a FxHashMap<String, ItemId>,
    /// The page the texts being read belong to.
    owner: Owner,
    citations: Vec<Citation>,
    diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    /// The front page (`i` = 0) or a free page, its body resolved.
    fn page(&mut self, i: usize, page: Page) -> ResolvedPage {
        self.owner = Owner::Page(i);
        // The key points stand above the text, so their citations are numbered first.
        let key_points = page.key_points.iter().map(|k| self.text(k)).collect();
        let body = self.text(&page.body);
        ResolvedPage {
            page,
            body,
            key_points,
        }
    }

    /// A collection, its description resolved.
    fn collection(
        &mut self,
        i: usize,
        c: crate::load::Collection,
        items: Vec<ItemId>,
    ) -> ResolvedCollection {
        self.owner = Owner::Collection(i);
        ResolvedCollection {
            description: c.description.as_ref().map(|d| self.text(d)),
            id: c.id,
            title: c.title,
            kind: c.kind,
            items,
        }
    }

    /// An item: its texts resolved, its references turned into ids, its quotes registered
    /// as citations. `related` holds the items its `related:` names, until
    /// [`relate_both_ways`].
    fn item(&mut self, id: ItemId, collection: usize, item: Item) -> ResolvedItem {
        self.owner = Owner::Item(id);
        let summary = item.summary.as_ref().map(|s| self.text(s));
        let claims = item
            .claims
            .into_iter()
            .map(|c| ResolvedClaim {
                id: c.id,
                text: self.text(&c.text),
                date: c.date,
                cites: self.cites(c.cite),
                location: c.id_location,
                reviewed: c.reviewed,
            })
            .collect();
        let details = self.details(item.details);
        let related = item
            .related
            .iter()
            .filter_map(|r| self.item_ref(r))
            .collect();
        ResolvedItem {
            id: item.id,
            id_location: item.id_location,
            name: item.name,
            aliases: item.aliases,
            collection,
            summary,
            claims,
            details,
            related,
            mentioned_in: Vec::new(),
            reviewed: item.reviewed,
        }
    }

    /// The fields of an item's kind, references turned into ids.
    fn details(&mut self, details: Details) -> ResolvedDetails {
        match details {
            Details::Person {
                role,
                side,
                affiliation,
            } => ResolvedDetails::Person {
                role,
                side,
                affiliation: affiliation.and_then(|r| self.item_ref(&r)),
            },
            Details::Venue {
                city,
                country,
                coordinates,
            } => ResolvedDetails::Venue {
                city,
                country,
                coordinates,
            },
            Details::Event {
                date,
                end_date,
                place,
                actors,
            } => ResolvedDetails::Event {
                date,
                end_date,
                place: place.and_then(|r| self.item_ref(&r)),
                actors: actors.iter().filter_map(|r| self.item_ref(r)).collect(),
            },
            Details::Organization {
                short_name,
                country,
                parent,
            } => ResolvedDetails::Organization {
                short_name,
                country,
                parent: parent.and_then(|r| self.item_ref(&r)),
            },
            Details::Dispute {
                question,
                date,
                positions,
            } => ResolvedDetails::Dispute {
                question,
                date,
                positions: positions
                    .into_iter()
                    .map(|p| {
                        let held_by = p.held_by.iter().filter_map(|r| self.item_ref(r)).collect();
                        ResolvedPosition {
                            text: self.text(&p.text),
                            held_by,
                            cites: self.cites(p.cite),
                            location: p.location,
                            reviewed: p.reviewed,
                        }
                    })
                    .collect(),
            },
            Details::Free { fields } => ResolvedDetails::Free {
                fields: fields
                    .into_iter()
                    .map(|(label, v)| {
                        let text = self.text(&v);
                        (label, text)
                    })
                    .collect(),
            },
        }
    }

    /// Finds the citation groups of a Markdown text and registers their citations.
    fn text(&mut self, md: &Markdown) -> Text {
        // A character reference can spell a control character that load let through as
        // plain text (`&#27;`); only Markdown reads it as one, so it is refused here.
        if md.text.contains("&#") {
            let places = markdown::control_references(&md.text)
                .into_iter()
                .map(|(range, c)| (md.origin.locate(&md.text, range), c));
            if let Some(d) = crate::control::refuse_at(
                places,
                "this character reference stands for",
                "remove it: a control character cannot be shown on a page or put in the feed",
            ) {
                self.diags.push(d);
            }
        }
        // Most claim texts cite through their `cite:` list: a text without `[@` has no group
        // and no citation syntax to get wrong, so it need not be parsed as Markdown here.
        if !md.text.contains("[@") {
            return Text {
                markdown: md.text.clone(),
                groups: Vec::new(),
            };
        }
        let (groups, errors) = markdown::scan(&md.text);
        for e in errors {
            self.diags.push(
                Diagnostic::error(Code::CitationSyntax, e.message)
                    .at(md.origin.locate(&md.text, e.range))
                    .help(e.help),
            );
        }
        let groups = groups
            .into_iter()
            .map(|g| {
                g.cites
                    .into_iter()
                    .filter_map(|c| {
                        // Point at the quote when there is one: that is what a user mends.
                        let range = c.quote_range.clone().unwrap_or(c.source_range.clone());
                        let location = md.origin.locate(&md.text, range);
                        let source_location = md.origin.locate(&md.text, c.source_range);
                        let translation = c.translation.map(|t| Translation {
                            text: t,
                            translator: None,
                        });
                        self.citation(&c.source, c.quote, translation, location, source_location)
                    })
                    .collect()
            })
            .collect();
        Text {
            markdown: md.text.clone(),
            groups,
        }
    }

    /// Registers the entries of a structured `cite:` list, moving their quotes and locations
    /// into the citations.
    fn cites(&mut self, specs: Vec<CiteSpec>) -> Vec<CitationId> {
        specs
            .into_iter()
            .filter_map(|s| {
                let translation = self.translation_of(&s);
                let location = s.quote_location.unwrap_or(s.source_location.clone());
                if s.quote.as_deref().is_some_and(|q| q.trim().is_empty()) {
                    self.diags.push(
                        Diagnostic::error(Code::CitationSyntax, "the quote is empty")
                            .at(location)
                            .help("quote the exact words of the source, or leave out `quote` to cite the whole source"),
                    );
                    return None;
                }
                self.citation(&s.source, s.quote, translation, location, s.source_location)
            })
            .collect()
    }

    /// Registers one citation: `location` is where its quote (or, citing a whole source, its
    /// source id) is written, `source_location` where its source id is, which an unknown
    /// source is shown at.
    fn citation(
        &mut self,
        source: &str,
        quote: Option<String>,
        translation: Option<Translation>,
        location: Location,
        source_location: Location,
    ) -> Option<CitationId> {
        let Some(&sid) = self.source_ids.get(source) else {
            if self.failed_sources.iter().any(|s| s == source)
                || self.withheld.sources.contains(source)
            {
                return None;
            }
            let near = crate::diagnostics::closest_name(
                source,
                self.sources.iter().map(|s| s.id.as_str()),
            );
            self.diags.push(
                Diagnostic::error(
                    Code::UnknownSource,
                    format!("there is no source `{source}`"),
                )
                .at(source_location)
                .help(match near {
                    Some(n) => {
                        format!("did you mean `{n}`? Sources are the files in content/sources/")
                    }
                    None => {
                        "add the source as content/sources/<id>.md or .txt; its file stem is its id"
                            .to_string()
                    }
                }),
            );
            return None;
        };
        let id = CitationId(self.citations.len() as u32);
        let (translation, translator) = match translation {
            Some(t) => (Some(t.text), t.translator),
            None => (None, None),
        };
        self.citations.push(Citation {
            source: sid,
            quote,
            translation,
            translator,
            range: None,
            passage: None,
            elsewhere: Vec::new(),
            location,
            owner: self.owner,
        });
        Some(id)
    }

    /// The translation a `cite:` entry gives, checked: a translation needs a quote (there
    /// is nothing to translate in a whole source) and is not blank, and a translator needs a
    /// translation.
    fn translation_of(&mut self, s: &CiteSpec) -> Option<Translation> {
        let error = |message: &str, at: &Location, help: &str| {
            Diagnostic::error(Code::CitationSyntax, message.to_string())
                .at(at.clone())
                .help(help.to_string())
        };
        match (&s.translation, &s.translator) {
            (None, None) => None,
            (None, Some((_, at))) => {
                self.diags.push(error(
                    "`translator` without a `translation`",
                    at,
                    "give the quote's `translation:` too, or remove `translator:`",
                ));
                None
            }
            (Some((_, at)), _) if s.quote.is_none() => {
                self.diags.push(error(
                    "a `translation` needs a `quote`: a whole source has nothing to translate",
                    at,
                    "add the `quote:` in the source's language, or remove `translation:`",
                ));
                None
            }
            (Some((text, at)), _) if text.trim().is_empty() => {
                self.diags.push(error(
                    "the translation is empty",
                    at,
                    "write the quote in the site's language, or remove `translation:`",
                ));
                None
            }
            (Some((text, _)), translator) => Some(Translation {
                text: text.trim().to_string(),
                translator: translator
                    .as_ref()
                    .map(|(t, _)| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
            }),
        }
    }

    /// Resolves a reference to an item, reporting a dangling one.
    fn item_ref(&mut self, r: &Ref) -> Option<ItemId> {
        let ids = self.item_ids;
        if let Some(&id) = ids.get(&r.id) {
            return Some(id);
        }
        if self.failed_collections || self.withheld.items.contains(&r.id) {
            return None;
        }
        let near = crate::diagnostics::closest_name(&r.id, ids.keys().map(String::as_str));
        self.diags.push(
            Diagnostic::error(
                Code::DanglingReference,
                format!("there is no item with the id `{}`", r.id),
            )
            .at(r.location.clone())
            .help(match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => {
                    "add an item with this id to a collection, or fix the reference".to_string()
                }
            }),
        );
        None
    }
}

struct SourceResult {
    /// A hash of the source's text.
    text_hash: u64,
    sha256: Sha256,
    /// (citation index, anchored range, the other places the quote occurs).
    found: Vec<(usize, Range<usize>, Vec<Range<usize>>)>,
    mentions: Vec<(Range<usize>, ItemId)>,
    diagnostics: Vec<Diagnostic>,
}

/// Anchors the quotes that cite one source and finds the mentions in its text.
///
/// `cached` is what an earlier run found in the same source: quotes looked up then, and the
/// mentions of the same set of names, are not searched again; the text is folded only when
/// something must be searched. With `keep`, what was found is returned for the next run too;
/// without it (a one-off build) it is dropped here, and the mentions move into the result
/// instead of being copied.
fn anchor_source(
    source: &Source,
    cites: &[usize],
    citations: &[Citation],
    finder: &MentionFinder,
    names: u64,
    cached: Option<&Anchored>,
    keep: bool,
) -> (SourceResult, Option<Anchored>) {
    let text_hash = hash_of(source.text());
    let mut memo = match cached {
        Some(a) if a.text_hash == text_hash => a.clone(),
        _ => Anchored {
            text_hash,
            sha256: Sha256::of(source.text()),
            ..Anchored::default()
        },
    };
    // Made the first time something must be searched, and shared by what follows: the
    // folded text, and the index of its words for the "did you mean" of missing quotes.
    let folded: OnceCell<Folded> = OnceCell::new();
    let words: OnceCell<WordIndex<'_>> = OnceCell::new();
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    for &ci in cites {
        let c = &citations[ci];
        let Some(quote) = &c.quote else { continue };
        let result = match memo.quotes.get(quote) {
            Some(r) => r.clone(),
            None => {
                let f = folded.get_or_init(|| Folded::new(source.text()));
                let r = find_quote_with(source.text(), f, &words, quote);
                // Recorded even when nothing is kept: the same quote cited twice in this
                // source is then searched once.
                memo.quotes.insert(quote.clone(), r.clone());
                r
            }
        };
        match result {
            QuoteMatch::Found { range, also } => {
                if !also.is_empty() {
                    let at = source.origin.locate(source.text(), also[0].clone());
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::AmbiguousQuote,
                            format!(
                                "the quote occurs {} times in `{}`; the first is cited",
                                also.len() + 1,
                                source.id
                            ),
                        )
                        .at(c.location.clone())
                        .related(at, "also found here")
                        .help("quote a few more words so the passage is unique"),
                    );
                }
                found.push((ci, range, also));
            }
            QuoteMatch::NotFound { closest } => {
                let mut d = Diagnostic::error(
                    Code::QuoteNotFound,
                    format!("the quote is not in source `{}`", source.id),
                )
                .at(c.location.clone());
                d = match closest {
                    // Words left out of the middle: no passage of the source reads so.
                    _ if quote.contains('…') || quote.contains("...") => d.help(
                        "a quote is one unbroken passage of the source: cite the words on each side of the `…` separately ([@id \"first words\"; @id \"last words\"], or two entries in `cite:`)",
                    ),
                    Some(r) => {
                        let passage = crate::text::collapse_white_space(&source.text()[r.clone()]);
                        d.help(format!("did you mean “{passage}”?"))
                            .related(source.origin.locate(source.text(), r), "the closest passage of the source")
                    }
                    None => d.help(format!(
                        "quote the exact words of {} (case, quote marks, dashes and spacing may differ)",
                        source.path.display()
                    )),
                };
                diagnostics.push(d);
            }
        }
    }
    if memo.names != Some(names) {
        let f = folded.get_or_init(|| Folded::new(source.text()));
        memo.mentions = finder
            .find(source.text(), f)
            .into_iter()
            .map(|m| (m.range, ItemId(m.owner as u32)))
            .collect();
        memo.names = Some(names);
    }
    if !keep {
        // Nothing outlives this call but the result: the memo's quotes are dropped here.
        let result = SourceResult {
            text_hash,
            sha256: memo.sha256,
            found,
            mentions: std::mem::take(&mut memo.mentions),
            diagnostics,
        };
        return (result, None);
    }
    // Quotes no longer cited are dropped, so the memo does not grow with every edit.
    memo.quotes.retain(|q, _| {
        cites
            .iter()
            .any(|&ci| citations[ci].quote.as_ref() == Some(q))
    });
    let result = SourceResult {
        text_hash,
        sha256: memo.sha256,
        found,
        mentions: memo.mentions.clone(),
        diagnostics,
    };
    (result, Some(memo))
}

/// What resolving found in the sources, kept by a build session between builds.
///
/// A one-off build keeps nothing ([`Cache::default`]); a session keeps what each build found
/// ([`Cache::keeping`]).
#[derive(Default)]
pub struct Cache {
    sources: Memo<String, Anchored>,
}

impl Cache {
    /// A cache that keeps what each run finds in the sources for the next.
    pub fn keeping() -> Cache {
        Cache {
            sources: Memo::keeping(),
        }
    }
}

/// What was found in one source's text.
#[derive(Clone, Default)]
struct Anchored {
    text_hash: u64,
    /// The SHA-256 of the text, made once for each text.
    sha256: Sha256,
    quotes: FxHashMap<String, QuoteMatch>,
    /// The fingerprint of the names the mentions were found for.
    names: Option<u64>,
    mentions: Vec<(Range<usize>, ItemId)>,
}

/// A hash for fingerprints of what a build reused (stable within a run).
pub(crate) fn hash_of<T: std::hash::Hash + ?Sized>(v: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(v)
}
