//! Internal and public: who a build is for, decided once, between load and resolve.
//!
//! A source, item, claim, dispute position or page may be `internal: true`, and each may have
//! `internal_notes`, which are always internal. [`separate`] runs on the loaded site before
//! resolving:
//!
//! - for every audience, it refuses a public claim or position whose citations all cite
//!   internal sources ([`Code::InternalOnlyCitations`]): the public site would show it with
//!   no evidence;
//! - for [`Audience::Public`] it takes every internal part out of the site (and every
//!   `internal_notes`), records the ids it took ([`Withheld`], which resolve reads to drop a
//!   citation of a withheld source and a reference to a withheld item without an error),
//!   and makes the [`LeakCheck`] that scans the built files for what it took.
//!
//! So resolve and render never ask whether a part is internal to leave it out: in a public
//! build it is not there. In an internal build (`brief build --internal`, `brief serve`) it
//! is, and [`crate::resolve::Briefing::internal`] says which parts are, so that render can
//! mark them.

use std::collections::HashSet;

use crate::citation;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::{CiteSpec, Details, Markdown, Site};

pub mod leak;

pub use leak::LeakCheck;

/// Who a build is for: the one place a build's mode is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Audience {
    /// The published site: internal parts are left out, and the leak check runs.
    #[default]
    Public,
    /// The editors' site: everything, internal parts marked.
    Internal,
}

/// The ids a public build left out, so that resolve drops what refers to them quietly.
#[derive(Debug, Clone, Default)]
pub struct Withheld {
    /// Ids of internal sources: a citation of one in public text is dropped.
    pub sources: HashSet<String>,
    /// Ids of internal items: a reference to one (`related`, `affiliation` …) is dropped.
    pub items: HashSet<String>,
    /// How many parts were taken out (sources, items, claims, positions, pages; notes do not
    /// count: they hold no citation).
    pub parts: usize,
    /// The site folders of the pages left out (`people/x/`, `sources/y/`, `z/`): a Markdown
    /// link written to one is made its text ([`crate::markdown::RenderOptions::unlinked`]).
    pub paths: HashSet<String>,
}

impl Withheld {
    /// True when the public site is the whole briefing but for internal notes.
    pub fn nothing(&self) -> bool {
        self.parts == 0
    }
}

/// One piece of internal text the leak check looks for.
#[derive(Debug, Clone)]
pub struct Needle {
    /// The text as the check looks for it (white space collapsed).
    pub text: String,
    /// What it is, for the error: "the name of item `x`".
    pub what: String,
    /// Where it is written.
    pub at: Option<Location>,
    /// An id (matched at any length of at least [`leak::MIN_ID`], bounded by characters
    /// that cannot be part of an id) or text (names at least [`leak::MIN_NAME`], prose
    /// pieces at least [`leak::MIN_PROSE`] characters and three words).
    pub kind: NeedleKind,
}

/// How a [`Needle`] is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedleKind {
    Id,
    Name,
    Prose,
}

/// Checks what must hold for every audience and, for the public, takes the internal parts
/// out of `site`. Returns the leak check of a public build with internal material.
pub fn separate(site: &mut Site, audience: Audience, diags: &mut Diagnostics) -> Option<LeakCheck> {
    let internal_sources: HashSet<String> = site
        .sources
        .iter()
        .filter(|s| s.meta.internal)
        .map(|s| s.id.clone())
        .collect();
    refuse_public_on_internal(site, &internal_sources, diags);
    if audience == Audience::Internal {
        return None;
    }
    let mut n = Needles::default();
    let mut withheld = Withheld {
        sources: internal_sources,
        items: HashSet::new(),
        parts: 0,
        paths: HashSet::new(),
    };
    // Sources.
    let all = site.sources.len();
    let mut kept = Vec::with_capacity(all);
    for mut s in std::mem::take(&mut site.sources) {
        let at = Some(s.origin.start());
        if let Some(notes) = s.meta.internal_notes.take() {
            n.prose(&notes, &format!("the internal notes of source `{}`", s.id));
        }
        if !s.meta.internal {
            kept.push(s);
            continue;
        }
        withheld
            .paths
            .insert(crate::site_map::layout::source_dir(&s.id));
        let what = format!("internal source `{}`", s.id);
        n.push(&s.id, &what, at.clone(), NeedleKind::Id);
        n.push(&s.meta.title, &what, at.clone(), NeedleKind::Name);
        if let Some(notes) = &s.meta.notes {
            n.prose(notes, &what);
        }
        for p in &s.paragraphs {
            n.prose_plain(&s.text()[p.range.clone()], &what, at.clone());
        }
    }
    withheld.parts += all - kept.len();
    site.sources = kept;
    // Quotes of internal sources, wherever they are cited (a public claim's citation of one
    // is dropped, and its quote must not show).
    let quotes = Quotes(&withheld.sources);
    for c in &site.collections {
        for item in &c.items {
            quotes.of_item(item, &mut n);
        }
    }
    for p in &site.pages {
        quotes.of_text(&p.body, &mut n);
    }
    // Items, their claims and positions.
    for c in &mut site.collections {
        let mut items = Vec::with_capacity(c.items.len());
        for mut item in std::mem::take(&mut c.items) {
            if let Some(notes) = item.internal_notes.take() {
                n.prose(&notes, &format!("the internal notes of item `{}`", item.id));
            }
            if item.internal {
                withheld.parts += 1;
                withheld
                    .paths
                    .insert(crate::site_map::layout::item_dir(&c.id, &item.id));
                withheld.items.insert(item.id.clone());
                item_needles(&item, &mut n);
                continue;
            }
            let id = item.id.clone();
            let before = item.claims.len() + item.positions_len();
            item.claims.retain_mut(|claim| {
                if let Some(notes) = claim.internal_notes.take() {
                    n.prose(
                        &notes,
                        &format!("the internal notes of a claim of item `{id}`"),
                    );
                }
                if claim.internal {
                    let what = format!("internal claim `{}` of item `{id}`", claim.id);
                    n.push(
                        &claim.id,
                        &what,
                        Some(claim.id_location.clone()),
                        NeedleKind::Id,
                    );
                    n.prose(&claim.text, &what);
                }
                !claim.internal
            });
            if let Details::Dispute { positions, .. } = &mut item.details {
                positions.retain_mut(|p| {
                    if let Some(notes) = p.internal_notes.take() {
                        n.prose(
                            &notes,
                            &format!("the internal notes of a position of `{id}`"),
                        );
                    }
                    if p.internal {
                        n.prose(&p.text, &format!("an internal position of `{id}`"));
                    }
                    !p.internal
                });
            }
            withheld.parts += before - (item.claims.len() + item.positions_len());
            items.push(item);
        }
        c.items = items;
    }
    // Pages (never the front page: load refuses an internal one).
    let pages = site.pages.len();
    site.pages.retain_mut(|p| {
        if let Some(notes) = p.internal_notes.take() {
            n.prose(
                &notes,
                &format!("the internal notes of page {}", p.path.display()),
            );
        }
        if p.internal {
            withheld
                .paths
                .insert(crate::site_map::layout::page_dir(&p.slug));
            let what = format!("internal page {}", p.path.display());
            let at = Some(Location::file(&p.path));
            n.push(&p.slug, &what, at.clone(), NeedleKind::Id);
            n.push(&p.title, &what, at.clone(), NeedleKind::Name);
            n.push(&p.description, &what, at, NeedleKind::Prose);
            n.prose(&p.body, &what);
        }
        !p.internal
    });
    withheld.parts += pages - site.pages.len();
    site.withheld = withheld;
    if n.0.is_empty() {
        return None;
    }
    // What the public site shows anyway is no leak: a name an internal item shares with the
    // words of a public source, a role or title a public part has too (`Negotiator`), the
    // site's own title. Only these short labels and the sources' texts: the public prose
    // (pages, claims, summaries) is what the check reads for leaks.
    let mut public: Vec<&str> = site.sources.iter().map(|s| s.text()).collect();
    public.push(&site.config.title);
    for s in &site.sources {
        let m = &s.meta;
        public.push(&m.title);
        public.extend(
            [&m.outlet, &m.author]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    for p in &site.pages {
        public.push(&p.title);
    }
    for c in &site.collections {
        public.push(&c.title);
        for item in &c.items {
            public.push(&item.name);
            public.extend(item.aliases.iter().map(String::as_str));
            let labels = match &item.details {
                Details::Person { role, side, .. } => vec![role, side],
                Details::Organization {
                    short_name,
                    country,
                    ..
                } => vec![short_name, country],
                Details::Venue { city, country, .. } => vec![city, country],
                _ => Vec::new(),
            };
            public.extend(labels.into_iter().flatten().map(String::as_str));
        }
    }
    Some(LeakCheck::new(n.0, &public))
}

/// The needles of an internal item: its id, names, texts and quotes.
fn item_needles(item: &crate::load::Item, n: &mut Needles) {
    let what = format!("internal item `{}`", item.id);
    let at = Some(item.id_location.clone());
    n.push(&item.id, &what, at.clone(), NeedleKind::Id);
    n.push(&item.name, &what, at.clone(), NeedleKind::Name);
    for a in &item.aliases {
        n.push(a, &what, at.clone(), NeedleKind::Name);
    }
    if let Some(s) = &item.summary {
        n.prose(s, &what);
    }
    for c in &item.claims {
        n.push(&c.id, &what, Some(c.id_location.clone()), NeedleKind::Id);
        n.prose(&c.text, &what);
        if let Some(notes) = &c.internal_notes {
            n.prose(notes, &what);
        }
        for q in c.cite.iter().filter_map(|c| c.quote.as_deref()) {
            n.push(q, &what, at.clone(), NeedleKind::Prose);
        }
    }
    match &item.details {
        Details::Person { role, side, .. } => {
            for v in [role, side].into_iter().flatten() {
                n.push(v, &what, at.clone(), NeedleKind::Name);
            }
        }
        Details::Organization { short_name, .. } => {
            if let Some(v) = short_name {
                n.push(v, &what, at.clone(), NeedleKind::Name);
            }
        }
        Details::Dispute {
            question,
            positions,
            ..
        } => {
            n.push(question, &what, at.clone(), NeedleKind::Prose);
            for p in positions {
                n.prose(&p.text, &what);
                if let Some(notes) = &p.internal_notes {
                    n.prose(notes, &what);
                }
                for q in p.cite.iter().filter_map(|c| c.quote.as_deref()) {
                    n.push(q, &what, at.clone(), NeedleKind::Prose);
                }
            }
        }
        Details::Free { fields } => {
            for (_, v) in fields {
                n.prose(v, &what);
            }
        }
        Details::Venue { .. } | Details::Event { .. } => {}
    }
}

/// The quotes of internal sources in the texts and `cite:` lists of the briefing.
struct Quotes<'a>(&'a HashSet<String>);

impl Quotes<'_> {
    fn of_item(&self, item: &crate::load::Item, n: &mut Needles) {
        if let Some(s) = &item.summary {
            self.of_text(s, n);
        }
        for c in &item.claims {
            self.of_text(&c.text, n);
            self.of_specs(&c.cite, n);
        }
        if let Details::Dispute { positions, .. } = &item.details {
            for p in positions {
                self.of_text(&p.text, n);
                self.of_specs(&p.cite, n);
            }
        }
        if let Details::Free { fields } = &item.details {
            for (_, v) in fields {
                self.of_text(v, n);
            }
        }
    }

    fn of_specs(&self, specs: &[CiteSpec], n: &mut Needles) {
        for s in specs.iter().filter(|s| self.0.contains(&s.source)) {
            if let Some(q) = &s.quote {
                let what = format!("a quote of internal source `{}`", s.source);
                n.push(q, &what, s.quote_location.clone(), NeedleKind::Prose);
            }
        }
    }

    fn of_text(&self, md: &Markdown, n: &mut Needles) {
        if !md.text.contains("[@") {
            return;
        }
        for g in citation::parse(&md.text).0 {
            for c in g.cites.iter().filter(|c| self.0.contains(&c.source)) {
                if let Some(q) = &c.quote {
                    let what = format!("a quote of internal source `{}`", c.source);
                    n.push(q, &what, Some(md.origin.start()), NeedleKind::Prose);
                }
            }
        }
    }
}

/// The sources a text's citation groups and a `cite:` list cite.
fn cited_sources<'a>(md: &'a Markdown, specs: &'a [CiteSpec]) -> Vec<String> {
    let mut out: Vec<String> = specs.iter().map(|s| s.source.clone()).collect();
    if md.text.contains("[@") {
        for g in citation::parse(&md.text).0 {
            out.extend(g.cites.into_iter().map(|c| c.source));
        }
    }
    out
}

/// A public claim or position whose every citation cites an internal source is an error:
/// the public site would show it resting on nothing.
fn refuse_public_on_internal(site: &Site, internal: &HashSet<String>, diags: &mut Diagnostics) {
    if internal.is_empty() {
        return;
    }
    let rests_on_internal = |md: &Markdown, specs: &[CiteSpec]| {
        let cited = cited_sources(md, specs);
        !cited.is_empty() && cited.iter().all(|s| internal.contains(s))
    };
    let refuse = |what: String, at: Location, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::error(
                Code::InternalOnlyCitations,
                format!("{what} is public but cites only internal sources"),
            )
            .at(at)
            .help("cite a public source for it too, or mark it `internal: true`"),
        );
    };
    for c in &site.collections {
        for item in c.items.iter().filter(|i| !i.internal) {
            for claim in item.claims.iter().filter(|c| !c.internal) {
                if rests_on_internal(&claim.text, &claim.cite) {
                    let what = format!("claim `{}` of item `{}`", claim.id, item.id);
                    refuse(what, claim.id_location.clone(), diags);
                }
            }
            if let Details::Dispute { positions, .. } = &item.details {
                for (k, p) in positions.iter().enumerate().filter(|(_, p)| !p.internal) {
                    if rests_on_internal(&p.text, &p.cite) {
                        let what = format!("position {} of dispute `{}`", k + 1, item.id);
                        refuse(what, p.location.clone(), diags);
                    }
                }
            }
        }
    }
}

/// The needles gathered so far.
#[derive(Default)]
struct Needles(Vec<Needle>);

impl Needles {
    /// One needle, white space collapsed; left out when too short to mean anything.
    fn push(&mut self, text: &str, what: &str, at: Option<Location>, kind: NeedleKind) {
        let text = crate::text::collapse_white_space(text.trim()).into_owned();
        if leak::long_enough(&text, kind) {
            self.0.push(Needle {
                text,
                what: what.to_string(),
                at,
                kind,
            });
        }
    }

    /// The pieces of a Markdown text that stand unbroken in any file made from it (see
    /// [`leak::pieces`]).
    fn prose(&mut self, md: &Markdown, what: &str) {
        let at = Some(md.origin.start());
        for piece in leak::pieces(&md.text) {
            self.push(&piece, what, at.clone(), NeedleKind::Prose);
        }
    }

    /// The sentences of plain text (a source's paragraph).
    fn prose_plain(&mut self, text: &str, what: &str, at: Option<Location>) {
        for piece in leak::sentences(text) {
            self.push(piece, what, at.clone(), NeedleKind::Prose);
        }
    }
}

/// A part of the briefing that can be internal or have internal notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Source(crate::resolve::SourceId),
    Item(crate::resolve::ItemId),
    /// An item's claim, by its index among the item's claims.
    Claim(crate::resolve::ItemId, usize),
    /// A dispute's position, by its index.
    Position(crate::resolve::ItemId, usize),
    /// A page, by its index in [`crate::resolve::Briefing::pages`].
    Page(usize),
}

/// What an internal build marks: the parts that are internal and the internal notes of each.
/// Empty in a public build, which has neither.
#[derive(Debug, Default)]
pub struct Internal {
    parts: std::collections::HashMap<Part, Mark>,
}

/// How one part is marked.
#[derive(Debug, Default)]
struct Mark {
    internal: bool,
    /// Its `internal_notes`, as Markdown (their citations are not made notes).
    notes: Option<crate::resolve::Text>,
}

impl Internal {
    /// The marks of the loaded parts, in resolve's order: sources, the flattened items, pages.
    pub fn of(
        sources: &[crate::load::Source],
        items: &[(usize, crate::load::Item)],
        pages: &[crate::load::Page],
    ) -> Internal {
        use crate::resolve::{ItemId, SourceId};
        let mut out = Internal::default();
        let mut put = |part: Part, internal: bool, notes: Option<&Markdown>| {
            if internal || notes.is_some() {
                out.parts.insert(
                    part,
                    Mark {
                        internal,
                        notes: notes.map(|n| crate::resolve::Text {
                            markdown: n.text.clone(),
                            groups: Vec::new(),
                        }),
                    },
                );
            }
        };
        for (i, s) in sources.iter().enumerate() {
            let notes = s.meta.internal_notes.as_ref();
            put(Part::Source(SourceId(i as u32)), s.meta.internal, notes);
        }
        for (i, (_, item)) in items.iter().enumerate() {
            let id = ItemId(i as u32);
            put(Part::Item(id), item.internal, item.internal_notes.as_ref());
            for (k, c) in item.claims.iter().enumerate() {
                put(Part::Claim(id, k), c.internal, c.internal_notes.as_ref());
            }
            if let Details::Dispute { positions, .. } = &item.details {
                for (k, p) in positions.iter().enumerate() {
                    put(Part::Position(id, k), p.internal, p.internal_notes.as_ref());
                }
            }
        }
        for (i, p) in pages.iter().enumerate() {
            put(Part::Page(i), p.internal, p.internal_notes.as_ref());
        }
        out
    }

    /// True when `part` is internal (only ever in an internal build).
    pub fn is_internal(&self, part: Part) -> bool {
        self.parts.get(&part).is_some_and(|m| m.internal)
    }

    /// The internal notes of `part`.
    pub fn notes(&self, part: Part) -> Option<&crate::resolve::Text> {
        self.parts.get(&part).and_then(|m| m.notes.as_ref())
    }

    /// True when nothing is internal and nothing has internal notes.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl crate::load::Item {
    /// The number of its dispute positions (none for other kinds).
    fn positions_len(&self) -> usize {
        match &self.details {
            Details::Dispute { positions, .. } => positions.len(),
            _ => 0,
        }
    }
}
