//! The timeline (`timeline/`): every dated event, dispute and claim, by year. Its years are
//! made once a build and shared with the print view.

use std::collections::BTreeMap;

use tera::Value;
use tera::value::Key;

use crate::date::{PartialDate, Precision};
use crate::markdown;
use crate::render::page::{PageOut, PageState};
use crate::render::pieces::{self, Piece};
use crate::render::strip::{self, Mark};
use crate::render::{Renderer, html_runs};
use crate::resolve::ItemId;
use crate::resolve::ResolvedDetails;
use crate::site_map;

/// One year of the timeline, made once a build (see [`Renderer::timeline_years`]).
pub(in crate::render) struct TimelineYear {
    year: i32,
    /// The year's entries rendered by `partials/timeline-entries.html`; `None` when the user
    /// replaced that partial, which may read the page it is on: then each page includes it.
    html: Option<String>,
    /// The entries as template values, when a template may read them.
    entries: Option<Value>,
}

impl Renderer<'_> {
    /// The timeline page's template, kind, title, description and extra context. Each year's
    /// entries are made once a build ([`Renderer::timeline_years`]) and shared with the print
    /// view; the context gets a placeholder for them (`entries_html`), their HTML goes to
    /// `pieces` (see [`Made::write`]).
    pub(in crate::render) fn timeline<'r>(
        &'r self,
        page: &mut PageState<'_>,
        pieces: &mut Vec<Piece<'r>>,
    ) -> PageOut {
        let years = self.timeline_years(page);
        let timeline: Vec<Value> = years
            .iter()
            .map(|y| {
                let entries_html = match &y.html {
                    Some(html) => {
                        pieces.push(Piece::Shared(html));
                        pieces::placeholder(pieces.len() - 1)
                    }
                    None => String::new(),
                };
                let mut group = tera::Map::default();
                group.insert(Key::Str("year"), y.year.into());
                group.insert(Key::Str("entries_html"), entries_html.into());
                if let Some(entries) = &y.entries {
                    group.insert(Key::Str("entries"), entries.clone());
                }
                Value::from(group)
            })
            .collect();
        let strip_html = self.strip(page);
        PageOut {
            template: "timeline.html",
            kind: "timeline",
            title: self.briefing.site.strings.get("timeline").into(),
            description: String::new(),
            vars: vec![
                ("timeline", Value::from(timeline)),
                ("strip_html", Value::from(strip_html)),
            ],
            linked_data: None,
        }
    }

    /// The strip of the dated events and disputes above the timeline's list
    /// ([`strip::strip_html`]), each linking to its item.
    fn strip(&self, page: &PageState<'_>) -> String {
        let b = self.briefing;
        let marks: Vec<Mark> = b
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| {
                let (kind, date, end) = match &it.details {
                    ResolvedDetails::Event {
                        date: Some(d),
                        end_date,
                        ..
                    } => ("event", *d, *end_date),
                    ResolvedDetails::Dispute { date: Some(d), .. } => ("dispute", *d, None),
                    _ => return None,
                };
                Some(Mark {
                    name: &it.name,
                    url: page.link(&site_map::item(b, ItemId(i as u32))),
                    kind,
                    date,
                    end,
                })
            })
            .collect();
        strip::strip_html(&b.site.strings, &marks)
    }

    /// The years of the timeline, made the first time they are asked for. The timeline page
    /// and the print view show the same entries (both pages sit one folder deep, so even
    /// their links are the same): on a large briefing they are tens of thousands, and making
    /// them once instead of twice halves the work.
    pub(in crate::render) fn timeline_years(&self, page: &mut PageState<'_>) -> &[TimelineYear] {
        debug_assert_eq!(
            page.root, "../",
            "the timeline and print pages are one folder deep"
        );
        self.timeline.get_or_init(|| {
            // The built-in partial is written here, in Rust (the same bytes, without
            // making tens of thousands of template values first); a user's partial is
            // rendered by Tera on each page that includes it.
            let shared = !self.templates.is_users("partials/timeline-entries.html");
            let values = !shared || self.templates.user_may_read("entries");
            self.timeline_entries(page)
                .into_iter()
                .map(|(year, entries)| TimelineYear {
                    year,
                    html: shared.then(|| timeline_html(&entries)),
                    // A template that includes the partial (or reads the entries itself)
                    // spells `entries`; otherwise no template can read them.
                    entries: values.then(|| {
                        Value::from(entries.iter().map(TimelineEntry::value).collect::<Vec<_>>())
                    }),
                })
                .collect()
        })
    }

    /// Every dated event and claim, by year.
    pub(in crate::render) fn timeline_entries(
        &self,
        page: &mut PageState<'_>,
    ) -> BTreeMap<i32, Vec<TimelineEntry<'_>>> {
        let b = self.briefing;
        // (date, item, claim or None for the dated item itself), in item order; rendered
        // only once sorted.
        let mut dated: Vec<(PartialDate, usize, Option<usize>)> = Vec::new();
        for (i, it) in b.items.iter().enumerate() {
            if let ResolvedDetails::Event { date: Some(d), .. }
            | ResolvedDetails::Dispute { date: Some(d), .. } = &it.details
            {
                dated.push((*d, i, None));
            }
            for (k, claim) in it.claims.iter().enumerate() {
                if let Some(d) = claim.date {
                    dated.push((d, i, Some(k)));
                }
            }
        }
        dated.sort_by_key(|e| e.0); // stable: item order within a date
        // The timeline is an index over the whole briefing: its entries link to the items
        // (and claims) where the notes are, instead of repeating thousands of notes here.
        let mut years: BTreeMap<i32, Vec<TimelineEntry<'_>>> = BTreeMap::new();
        for (date, i, claim) in dated {
            let it = &b.items[i];
            let url = page.link(&site_map::item(b, ItemId(i as u32)));
            let entry = match claim {
                None => TimelineEntry {
                    date,
                    kind: match it.details {
                        ResolvedDetails::Dispute { .. } => EntryKind::Dispute,
                        _ => EntryKind::Event,
                    },
                    title: &it.name,
                    url,
                    text_html: it
                        .summary
                        .as_ref()
                        .map(|t| page.md_plain(t))
                        .unwrap_or_default(),
                    strings: &b.site.strings,
                },
                Some(k) => TimelineEntry {
                    date,
                    kind: EntryKind::Claim,
                    title: &it.name,
                    url: page.link(&site_map::claim(
                        &site_map::item(b, ItemId(i as u32)),
                        &it.claims[k].id,
                    )),
                    text_html: page.md_plain_inline(&it.claims[k].text),
                    strings: &b.site.strings,
                },
            };
            years.entry(date.year).or_default().push(entry);
        }
        years
    }
}

/// A dated event or dispute, or a dated claim of an item, on the timeline.
pub(in crate::render) struct TimelineEntry<'a> {
    date: PartialDate,
    kind: EntryKind,
    title: &'a str,
    url: String,
    text_html: String,
    /// The theme's words (its tag, its date).
    strings: &'a crate::strings::Strings,
}

/// What a timeline entry is: its class (`kind` in templates) and its tag.
#[derive(Clone, Copy)]
enum EntryKind {
    /// An event, dated by its `date`.
    Event,
    /// A dispute with a `date`: what the sources disagree about happened then.
    Dispute,
    /// A dated claim of any item, linking to the claim on its item's page.
    Claim,
}

impl EntryKind {
    pub(in crate::render) fn class(self) -> &'static str {
        match self {
            EntryKind::Event => "event",
            EntryKind::Dispute => "dispute",
            EntryKind::Claim => "claim",
        }
    }
}

impl TimelineEntry<'_> {
    pub(in crate::render) fn kind(&self) -> &'static str {
        self.kind.class()
    }

    /// Its tag, "Event", "Dispute" or "Claim" in the site's language (the keys are the
    /// classes).
    pub(in crate::render) fn tag(&self) -> &str {
        self.strings.get(self.kind.class())
    }

    pub(in crate::render) fn precision(&self) -> &'static str {
        match self.date.precision() {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }

    /// The entry as `partials/timeline-entries.html` reads it.
    pub(in crate::render) fn value(&self) -> Value {
        tv!({date: self.strings.date(&self.date), date_iso: self.date.iso(), precision: self.precision(), kind: self.kind(), tag: self.tag(), title: self.title, url: self.url, text_html: self.text_html})
    }

    /// The entry exactly as the built-in `partials/timeline-entries.html` writes it.
    pub(in crate::render) fn write_html(&self, out: &mut String) {
        let e = markdown::escape_into;
        out.push_str("\n  <li class=\"entry ");
        out.push_str(self.kind());
        out.push_str(" precision-");
        out.push_str(self.precision());
        out.push_str("\">\n    <time datetime=\"");
        e(out, &self.date.iso());
        out.push_str("\">");
        e(out, &self.strings.date(&self.date));
        out.push_str("</time>\n    <div class=\"entry-body\">\n      <p class=\"entry-title\"><span class=\"tag\">");
        e(out, self.tag());
        out.push_str("</span> <a href=\"");
        e(out, &self.url);
        out.push_str("\">");
        e(out, self.title);
        out.push_str("</a></p>");
        if !self.text_html.is_empty() {
            out.push_str("\n      <div class=\"prose\">");
            out.push_str(&self.text_html);
            out.push_str("</div>");
        }
        out.push_str("\n    </div>\n  </li>");
    }
}

/// A year's entries exactly as the built-in `partials/timeline-entries.html` renders them
/// (tests/example.rs compares the two).
pub(in crate::render) fn timeline_html(entries: &[TimelineEntry]) -> String {
    let runs = html_runs(entries, 400, TimelineEntry::write_html);
    let mut out = String::with_capacity(runs.iter().map(String::len).sum::<usize>() + 32);
    out.push_str("<ol class=\"timeline\">");
    for run in runs {
        out.push_str(&run);
    }
    // The partial file ends in a line break, which Tera keeps.
    out.push_str("\n</ol>\n");
    out
}
