//! The changes page (`/changes/`, only with `brief build --since`): what this edition
//! added, changed and removed since the baseline, a section for each kind of change. Its
//! entries ([`entries`]) are changes.xml's too.

use tera::Value;

use crate::changes::{Changes, ClaimChange, ClaimSnap, PositionSnap};
use crate::markdown;
use crate::render::Renderer;
use crate::render::page::{PageOut, PageState};
use crate::resolve::{Briefing, ItemId};
use crate::site_map;
use crate::strings::Strings;

/// The kinds of change, in the order the page and the feed list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::render) enum Kind {
    ClaimAdded,
    ClaimChanged,
    ClaimRemoved,
    DisputeChanged,
    ItemAdded,
    ItemRemoved,
    SourceAdded,
    SourceRemoved,
}

impl Kind {
    const ALL: [Kind; 8] = [
        Kind::ClaimAdded,
        Kind::ClaimChanged,
        Kind::ClaimRemoved,
        Kind::DisputeChanged,
        Kind::ItemAdded,
        Kind::ItemRemoved,
        Kind::SourceAdded,
        Kind::SourceRemoved,
    ];

    /// The start of each entry's anchor, and its section's id.
    pub(in crate::render) fn id(self) -> &'static str {
        match self {
            Kind::ClaimAdded => "claim-added",
            Kind::ClaimChanged => "claim-changed",
            Kind::ClaimRemoved => "claim-removed",
            Kind::DisputeChanged => "dispute-changed",
            Kind::ItemAdded => "item-added",
            Kind::ItemRemoved => "item-removed",
            Kind::SourceAdded => "source-added",
            Kind::SourceRemoved => "source-removed",
        }
    }

    /// The section's heading, in the site's language.
    fn heading(self, t: &Strings) -> String {
        t.get(&format!("changes_{}", self.id().replace('-', "_")))
            .to_string()
    }

    /// An entry's title in the feed starts with this, in the site's language.
    pub(in crate::render) fn label(self, t: &Strings) -> String {
        t.get(&format!("change_{}", self.id().replace('-', "_")))
            .to_string()
    }
}

/// One change, as the page and the feed show it. Texts are plain (no Markdown, no
/// citations): an old text may link to pages this edition no longer has.
pub(in crate::render) struct Entry {
    pub(in crate::render) kind: Kind,
    /// Its anchor on the changes page: the kind, `.`, and the ids (ids hold no `.`).
    pub(in crate::render) anchor: String,
    /// What it is about: an item's name or a source's title.
    pub(in crate::render) subject: String,
    /// Where that is in this edition (a site folder, with a claim's fragment), if it is.
    pub(in crate::render) target: Option<String>,
    /// A line on what changed (a changed claim's "Changed: the text and the date") or where
    /// (an item's collection).
    pub(in crate::render) what: String,
    /// The texts before (a claim's, a dispute's positions) and now.
    pub(in crate::render) old: Vec<String>,
    pub(in crate::render) new: Vec<String>,
}

/// A claim's text as the changes show it, with its date.
fn claim_line(t: &Strings, c: &ClaimSnap) -> String {
    let text = c
        .text
        .as_deref()
        .map(markdown::plain_text)
        .unwrap_or_else(|| t.get("changes_no_text").to_string());
    match &c.date {
        // In the reader's words where the snapshot's date reads as one; as it was otherwise.
        Some(d) => {
            let shown =
                crate::date::PartialDate::parse(d).map_or_else(|_| d.clone(), |d| t.date(&d));
            format!("{text} ({shown})")
        }
        None => text,
    }
}

fn position_lines(positions: &[PositionSnap]) -> Vec<String> {
    positions
        .iter()
        .map(|p| markdown::plain_text(&p.text))
        .collect()
}

/// What differs between two versions of a claim, in words.
/// A whole line for each of the seven cases, not a list put together: each language says
/// "the text and the date" in its own way (its cases, its agreement).
fn what_changed(t: &Strings, old: &ClaimSnap, new: &ClaimSnap) -> String {
    let text = old.text.is_some() && new.text.is_some() && old.text != new.text;
    let date = old.date != new.date;
    let cites = old.cites != new.cites;
    let key = match (text, date, cites) {
        (false, false, false) => return String::new(),
        (true, false, false) => "changed_text",
        (false, true, false) => "changed_date",
        (false, false, true) => "changed_citations",
        (true, true, false) => "changed_text_date",
        (true, false, true) => "changed_text_citations",
        (false, true, true) => "changed_date_citations",
        (true, true, true) => "changed_text_date_citations",
    };
    t.get(key).to_string()
}

/// Every change, in the page's order.
pub(in crate::render) fn entries(b: &Briefing, c: &Changes) -> Vec<Entry> {
    let ids: std::collections::HashMap<&str, ItemId> = b
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), ItemId(i as u32)))
        .collect();
    let t = &b.site.strings;
    let item_dir = |id: &str| ids.get(id).map(|&i| site_map::item(b, i));
    let claim = |kind: Kind, ch: &ClaimChange| {
        let dir = item_dir(&ch.item.id);
        let target = match (kind, dir) {
            (Kind::ClaimRemoved, dir) => dir,
            (_, Some(dir)) => Some(site_map::claim(&dir, &ch.claim)),
            (_, None) => None,
        };
        let what = match (&ch.old, &ch.new) {
            (Some(old), Some(new)) => what_changed(t, old, new),
            _ => String::new(),
        };
        Entry {
            kind,
            anchor: format!("{}.{}.{}", kind.id(), ch.item.id, ch.claim),
            subject: ch.item.name.clone(),
            target,
            what,
            old: ch.old.iter().map(|c| claim_line(t, c)).collect(),
            new: ch.new.iter().map(|c| claim_line(t, c)).collect(),
        }
    };
    let mut out = Vec::new();
    for kind in Kind::ALL {
        match kind {
            Kind::ClaimAdded => out.extend(c.claims_added.iter().map(|ch| claim(kind, ch))),
            Kind::ClaimChanged => out.extend(c.claims_changed.iter().map(|ch| claim(kind, ch))),
            Kind::ClaimRemoved => out.extend(c.claims_removed.iter().map(|ch| claim(kind, ch))),
            Kind::DisputeChanged => out.extend(c.disputes_changed.iter().map(|d| Entry {
                kind,
                anchor: format!("{}.{}", kind.id(), d.item.id),
                subject: d.item.name.clone(),
                target: item_dir(&d.item.id),
                what: String::new(),
                old: position_lines(&d.old),
                new: position_lines(&d.new),
            })),
            Kind::ItemAdded | Kind::ItemRemoved => {
                let list = if kind == Kind::ItemAdded {
                    &c.items_added
                } else {
                    &c.items_removed
                };
                out.extend(list.iter().map(|it| {
                    Entry {
                        kind,
                        anchor: format!("{}.{}", kind.id(), it.id),
                        subject: it.name.clone(),
                        target: (kind == Kind::ItemAdded)
                            .then(|| item_dir(&it.id))
                            .flatten(),
                        what: t.fill(
                            if kind == Kind::ItemAdded {
                                "changes_added_to"
                            } else {
                                "changes_removed_from"
                            },
                            &[(
                                "name",
                                b.collections
                                    .iter()
                                    .find(|c| c.id == it.collection)
                                    .map_or(it.collection.as_str(), |c| c.title.as_str()),
                            )],
                        ),
                        old: Vec::new(),
                        new: Vec::new(),
                    }
                }));
            }
            Kind::SourceAdded | Kind::SourceRemoved => {
                let list = if kind == Kind::SourceAdded {
                    &c.sources_added
                } else {
                    &c.sources_removed
                };
                out.extend(list.iter().map(|s| Entry {
                    kind,
                    anchor: format!("{}.{}", kind.id(), s.id),
                    subject: s.title.clone(),
                    target: (kind == Kind::SourceAdded).then(|| site_map::source_dir(&s.id)),
                    what: String::new(),
                    old: Vec::new(),
                    new: Vec::new(),
                }));
            }
        }
    }
    out
}

impl Renderer<'_> {
    /// The changes page: a section for each kind of change that there is.
    pub(in crate::render) fn changes_page(&self, page: &PageState<'_>) -> PageOut {
        let b = self.briefing;
        let empty = Changes::default();
        let changes = b.changes.as_ref().unwrap_or(&empty);
        let all = entries(b, changes);
        let sections: Vec<Value> = Kind::ALL
            .into_iter()
            .filter_map(|kind| {
                let list: Vec<Value> = all
                    .iter()
                    .filter(|e| e.kind == kind)
                    .map(|e| {
                        let url = e.target.as_deref().map(|t| page.link(t)).unwrap_or_default();
                        tv!({anchor: e.anchor, subject: e.subject, url: url, what: e.what, old: e.old, new: e.new})
                    })
                    .collect();
                (!list.is_empty()).then(|| {
                    tv!({id: kind.id(), heading: kind.heading(&b.site.strings), count: list.len(), entries: list})
                })
            })
            .collect();
        let feed = page.link(site_map::SiteFile::Changes.path());
        PageOut {
            template: "changes.html",
            kind: "changes",
            title: b.site.strings.get("what_changed").into(),
            description: String::new(),
            vars: vec![(
                "changes",
                tv!({
                    baseline: changes.baseline,
                    baseline_edition: changes.baseline_edition.clone().unwrap_or_default(),
                    edition: b.site.config.edition.clone().unwrap_or_default(),
                    sections: sections,
                    feed: feed,
                }),
            )],
            linked_data: None,
        }
    }
}
