//! The editor's review: what to check before a briefing goes out (`brief review`, and the
//! `/review/` page of `brief serve`).
//!
//! The review sits on top of the library, as [`crate::lock`] does: it reads the briefing
//! `lib.rs`'s `prepare` loaded and resolved, and nothing below calls it. Each kind of finding
//! ([`Kind`]) has a stable kebab-case name, used by the JSON output and by `reviewed:` in the
//! briefing's YAML, where an editor acknowledges a finding with a note; acknowledged findings
//! are counted, not listed as open, so the list converges.
//!
//! - [`mod@checks`]: one function per kind of finding;
//! - [`mod@names`]: the names the sources use often that match no item;
//! - [`mod@output`]: the review for the terminal, as JSON and as serve's page.

pub mod checks;
pub mod names;
pub mod output;

use std::path::Path;

use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Reviewed;
use crate::resolve::{Briefing, CitationId, ItemId, Owner, SourceId};
use crate::{Report, Stopwatch, site_map};

/// A kind of finding, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A claim whose citations all cite one source.
    SingleSource,
    /// A claim with no citation of a passage (none at all, or whole sources only).
    NoQuote,
    /// A dispute position with no citation.
    PositionUncited,
    /// A dispute of which only one position is cited.
    OneSidedDispute,
    /// An item (not a dispute) without claims.
    NoClaims,
    /// A source nothing cites.
    NeverCited,
    /// A source cited, but only as a whole, never a passage of it.
    CitedWholeOnly,
    /// A quote that occurs more than once in its source.
    AmbiguousQuote,
    /// A source whose text is not the one brief.lock recorded.
    ChangedSinceLock,
    /// A source retrieved longer ago than `[review] stale_after_days`.
    StaleSource,
    /// A claim dated after the publication of every source it cites.
    ClaimAfterSources,
    /// A name the sources use often that matches no item.
    CandidateName,
}

impl Kind {
    /// Every kind, in the order the review lists them.
    pub const ALL: [Kind; 12] = [
        Kind::SingleSource,
        Kind::NoQuote,
        Kind::ClaimAfterSources,
        Kind::PositionUncited,
        Kind::OneSidedDispute,
        Kind::NoClaims,
        Kind::NeverCited,
        Kind::CitedWholeOnly,
        Kind::AmbiguousQuote,
        Kind::ChangedSinceLock,
        Kind::StaleSource,
        Kind::CandidateName,
    ];

    /// The stable name (`single-source`): in the JSON and in `reviewed:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::SingleSource => "single-source",
            Kind::NoQuote => "no-quote",
            Kind::PositionUncited => "position-uncited",
            Kind::OneSidedDispute => "one-sided-dispute",
            Kind::NoClaims => "no-claims",
            Kind::NeverCited => "never-cited",
            Kind::CitedWholeOnly => "cited-whole-only",
            Kind::AmbiguousQuote => "ambiguous-quote",
            Kind::ChangedSinceLock => "changed-since-lock",
            Kind::StaleSource => "stale-source",
            Kind::ClaimAfterSources => "claim-after-sources",
            Kind::CandidateName => "candidate-name",
        }
    }

    /// The kind of this name.
    pub fn of_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What findings of the kind are, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Kind::SingleSource => "Claims resting on a single source",
            Kind::NoQuote => "Claims with no quoted citation",
            Kind::PositionUncited => "Dispute positions with no citation",
            Kind::OneSidedDispute => "Disputes where only one side is cited",
            Kind::NoClaims => "Items without claims",
            Kind::NeverCited => "Sources never cited",
            Kind::CitedWholeOnly => "Sources cited only as a whole",
            Kind::AmbiguousQuote => "Quotes that occur more than once in their source",
            Kind::ChangedSinceLock => "Sources changed since brief.lock",
            Kind::StaleSource => "Stale sources",
            Kind::ClaimAfterSources => "Claims dated after every source they cite",
            Kind::CandidateName => "Names in the sources that match no item",
        }
    }

    /// How a finding of the kind is acknowledged, for the help under the open ones.
    fn how_to_acknowledge(self) -> String {
        match self {
            Kind::CandidateName => {
                "add the name under [review.names] in site.toml: \"The Name\" = \"why it needs no item\"".to_string()
            }
            _ => format!(
                "add `reviewed: {{ {}: \"why it stands\" }}` to {}",
                self.name(),
                self.acknowledged_on()
            ),
        }
    }

    /// Where the finding is acknowledged with `reviewed:`.
    fn acknowledged_on(self) -> &'static str {
        match self {
            Kind::SingleSource | Kind::NoQuote | Kind::ClaimAfterSources => "the claim",
            Kind::PositionUncited => "the position",
            Kind::OneSidedDispute | Kind::NoClaims => "the item",
            Kind::NeverCited
            | Kind::CitedWholeOnly
            | Kind::ChangedSinceLock
            | Kind::StaleSource => "the source's front matter",
            Kind::AmbiguousQuote => {
                "the claim or position that cites it (else the item, else the source cited)"
            }
            Kind::CandidateName => "site.toml, under [review.names]",
        }
    }
}

/// One thing an editor should check, by what it concerns.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Claim `claim` of `item` cites only `source`.
    SingleSource {
        item: ItemId,
        claim: usize,
        source: SourceId,
    },
    /// Claim `claim` of `item` cites no passage (`citations` of whole sources).
    NoQuote {
        item: ItemId,
        claim: usize,
        citations: usize,
    },
    /// Position `position` (0-based) of the dispute `item` cites nothing.
    PositionUncited { item: ItemId, position: usize },
    /// Of the positions of the dispute `item`, only `cited` (0-based) is cited.
    OneSidedDispute { item: ItemId, cited: usize },
    /// `item` has no claims.
    NoClaims { item: ItemId },
    /// Nothing cites `source`.
    NeverCited { source: SourceId },
    /// `source` is cited `times` times, each time as a whole.
    CitedWholeOnly { source: SourceId, times: usize },
    /// The quote of `citation` occurs `times` times in its source.
    AmbiguousQuote { citation: CitationId, times: usize },
    /// The text of `source` is not the one brief.lock recorded.
    ChangedSinceLock { source: SourceId },
    /// `source` was retrieved `days` days before the review (`limit` is the setting).
    StaleSource {
        source: SourceId,
        retrieved: PartialDate,
        days: i64,
        limit: u32,
    },
    /// Claim `claim` of `item` is dated `date`, after `latest`, the latest publication date
    /// of the sources it cites.
    ClaimAfterSources {
        item: ItemId,
        claim: usize,
        date: PartialDate,
        latest: PartialDate,
    },
    /// `name` occurs `times` times in `sources` sources and matches no item; first in
    /// `first`, at `at` (a byte range of its text).
    CandidateName {
        name: String,
        sources: usize,
        times: usize,
        first: SourceId,
        at: std::ops::Range<usize>,
    },
}

impl Finding {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Finding::SingleSource { .. } => Kind::SingleSource,
            Finding::NoQuote { .. } => Kind::NoQuote,
            Finding::PositionUncited { .. } => Kind::PositionUncited,
            Finding::OneSidedDispute { .. } => Kind::OneSidedDispute,
            Finding::NoClaims { .. } => Kind::NoClaims,
            Finding::NeverCited { .. } => Kind::NeverCited,
            Finding::CitedWholeOnly { .. } => Kind::CitedWholeOnly,
            Finding::AmbiguousQuote { .. } => Kind::AmbiguousQuote,
            Finding::ChangedSinceLock { .. } => Kind::ChangedSinceLock,
            Finding::StaleSource { .. } => Kind::StaleSource,
            Finding::ClaimAfterSources { .. } => Kind::ClaimAfterSources,
            Finding::CandidateName { .. } => Kind::CandidateName,
        }
    }

    /// What it says, in one line.
    fn message(&self, b: &Briefing) -> String {
        let item = |id: &ItemId| &b.items[id.0 as usize];
        let source = |id: &SourceId| &b.sources[id.0 as usize].source.id;
        let claim = |id: &ItemId, c: &usize| &item(id).claims[*c].id;
        match self {
            Finding::SingleSource {
                item: i,
                claim: c,
                source: s,
            } => format!(
                "claim `{}` of `{}` rests on one source, `{}`",
                claim(i, c),
                item(i).id,
                source(s)
            ),
            Finding::NoQuote {
                item: i,
                claim: c,
                citations: 0,
            } => format!("claim `{}` of `{}` cites nothing", claim(i, c), item(i).id),
            Finding::NoQuote {
                item: i,
                claim: c,
                citations,
            } => format!(
                "claim `{}` of `{}` quotes no passage: it cites {} as a whole",
                claim(i, c),
                item(i).id,
                if *citations == 1 {
                    "a source".to_string()
                } else {
                    format!("{citations} sources")
                }
            ),
            Finding::PositionUncited { item: i, position } => format!(
                "position {} of the dispute `{}` cites nothing",
                position + 1,
                item(i).id
            ),
            Finding::OneSidedDispute { item: i, cited } => format!(
                "of the {} positions of the dispute `{}`, only position {} is cited",
                item(i).positions().len(),
                item(i).id,
                cited + 1
            ),
            Finding::NoClaims { item: i } => format!("item `{}` has no claims", item(i).id),
            Finding::NeverCited { source: s } => {
                format!("nothing cites the source `{}`", source(s))
            }
            Finding::CitedWholeOnly { source: s, times } => format!(
                "the source `{}` is cited {}, always as a whole: no passage of it is quoted",
                source(s),
                crate::plural(*times, "time")
            ),
            Finding::AmbiguousQuote { citation, times } => {
                let c = &b.citations[citation.0 as usize];
                format!(
                    "the quote “{}” occurs {times} times in `{}`; the first is cited",
                    c.quote.as_deref().unwrap_or_default(),
                    source(&c.source)
                )
            }
            Finding::ChangedSinceLock { source: s } => format!(
                "the text of the source `{}` changed since brief.lock",
                source(s)
            ),
            Finding::StaleSource {
                source: s,
                retrieved,
                days,
                limit,
            } => format!(
                "the source `{}` was retrieved on {retrieved}, {days} days ago (stale after {limit})",
                source(s)
            ),
            Finding::ClaimAfterSources {
                item: i,
                claim: c,
                date,
                latest,
            } => format!(
                "claim `{}` of `{}` is dated {date}, after every source it cites (the latest published {latest})",
                claim(i, c),
                item(i).id
            ),
            Finding::CandidateName {
                name,
                sources,
                times,
                ..
            } => format!(
                "“{name}” occurs {} in {} and matches no item",
                crate::plural(*times, "time"),
                crate::plural(*sources, "source")
            ),
        }
    }

    /// Where it is written: the claim, position or item in its YAML file, the source file,
    /// the citation, the first occurrence of a name.
    fn location(&self, b: &Briefing) -> Location {
        let item = |id: &ItemId| &b.items[id.0 as usize];
        let source = |id: &SourceId| Location::file(&b.sources[id.0 as usize].source.path);
        match self {
            Finding::SingleSource { item: i, claim, .. }
            | Finding::NoQuote { item: i, claim, .. }
            | Finding::ClaimAfterSources { item: i, claim, .. } => {
                item(i).claims[*claim].location.clone()
            }
            Finding::PositionUncited { item: i, position } => {
                item(i).positions()[*position].location.clone()
            }
            Finding::OneSidedDispute { item: i, .. } | Finding::NoClaims { item: i } => {
                item(i).id_location.clone()
            }
            Finding::NeverCited { source: s }
            | Finding::CitedWholeOnly { source: s, .. }
            | Finding::ChangedSinceLock { source: s }
            | Finding::StaleSource { source: s, .. } => source(s),
            Finding::AmbiguousQuote { citation, .. } => {
                b.citations[citation.0 as usize].location.clone()
            }
            Finding::CandidateName { first, at, .. } => {
                let s = &b.sources[first.0 as usize].source;
                s.origin.locate(s.text(), at.clone())
            }
        }
    }

    /// The page of the site it concerns: a site folder, with the claim's anchor for a claim.
    fn page(&self, b: &Briefing, where_cited: &WhereCited) -> String {
        match self {
            Finding::SingleSource { item, claim, .. }
            | Finding::NoQuote { item, claim, .. }
            | Finding::ClaimAfterSources { item, claim, .. } => site_map::claim(
                &site_map::item(b, *item),
                &b.items[item.0 as usize].claims[*claim].id,
            ),
            Finding::PositionUncited { item, .. }
            | Finding::OneSidedDispute { item, .. }
            | Finding::NoClaims { item } => site_map::item(b, *item),
            Finding::NeverCited { source }
            | Finding::CitedWholeOnly { source, .. }
            | Finding::ChangedSinceLock { source }
            | Finding::StaleSource { source, .. } => site_map::source(b, source.0 as usize),
            Finding::AmbiguousQuote { citation, .. } => match where_cited.of(*citation) {
                Some(Written::Claim(item, claim)) => site_map::claim(
                    &site_map::item(b, item),
                    &b.items[item.0 as usize].claims[claim].id,
                ),
                _ => site_map::owner(b, b.citations[citation.0 as usize].owner),
            },
            Finding::CandidateName { first, .. } => site_map::source(b, first.0 as usize),
        }
    }

    /// The editor's note acknowledging it, if there is one.
    fn acknowledgement<'b>(&self, b: &'b Briefing, where_cited: &WhereCited) -> Option<&'b str> {
        let name = self.kind().name();
        let on = |r: &'b Reviewed| r.note(name).map(|a| a.note.as_str());
        let item = |id: &ItemId| &b.items[id.0 as usize];
        let source = |id: &SourceId| &b.sources[id.0 as usize].source.meta.reviewed;
        match self {
            Finding::SingleSource { item: i, claim, .. }
            | Finding::NoQuote { item: i, claim, .. }
            | Finding::ClaimAfterSources { item: i, claim, .. } => {
                on(&item(i).claims[*claim].reviewed)
            }
            Finding::PositionUncited { item: i, position } => {
                on(&item(i).positions()[*position].reviewed)
            }
            Finding::OneSidedDispute { item: i, .. } | Finding::NoClaims { item: i } => {
                on(&item(i).reviewed)
            }
            Finding::NeverCited { source: s }
            | Finding::CitedWholeOnly { source: s, .. }
            | Finding::ChangedSinceLock { source: s }
            | Finding::StaleSource { source: s, .. } => on(source(s)),
            Finding::AmbiguousQuote { citation, .. } => {
                let c = &b.citations[citation.0 as usize];
                match (where_cited.of(*citation), c.owner) {
                    (Some(Written::Claim(i, k)), _) => on(&item(&i).claims[k].reviewed),
                    (Some(Written::Position(i, k)), _) => on(&item(&i).positions()[k].reviewed),
                    (None, Owner::Item(i)) => on(&item(&i).reviewed),
                    (None, _) => on(source(&c.source)),
                }
            }
            Finding::CandidateName { name, .. } => b
                .site
                .config
                .review
                .names
                .iter()
                .find(|(n, _)| n.trim() == name)
                .map(|(_, note)| note.trim()),
        }
    }
}

/// Where a citation is written, when it is in a claim or a dispute position.
#[derive(Debug, Clone, Copy)]
enum Written {
    /// Claim `.1` of item `.0`.
    Claim(ItemId, usize),
    /// Position `.1` of the dispute `.0`.
    Position(ItemId, usize),
}

/// For each citation, the claim or position it is written in, if any.
struct WhereCited(Vec<Option<Written>>);

impl WhereCited {
    fn of_briefing(b: &Briefing) -> WhereCited {
        let mut at = vec![None; b.citations.len()];
        for (i, item) in b.items.iter().enumerate() {
            let id = ItemId(i as u32);
            for (k, c) in item.claims.iter().enumerate() {
                for cid in checks::citations(&c.cites, &c.text) {
                    at[cid.0 as usize] = Some(Written::Claim(id, k));
                }
            }
            for (k, p) in item.positions().iter().enumerate() {
                for cid in checks::citations(&p.cites, &p.text) {
                    at[cid.0 as usize] = Some(Written::Position(id, k));
                }
            }
        }
        WhereCited(at)
    }

    fn of(&self, c: CitationId) -> Option<Written> {
        self.0[c.0 as usize]
    }
}

/// A finding with what the outputs show of it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub finding: Finding,
    pub kind: Kind,
    /// One line saying what it is.
    pub message: String,
    /// Where it is written.
    pub location: Location,
    /// The page of the site it concerns: a site folder, with an anchor for a claim
    /// (`people/x/#claim-y`).
    pub page: String,
    /// The editor's note when it is acknowledged (`reviewed:`); `None` when it is open.
    pub acknowledged: Option<String>,
}

/// The review of a briefing: every finding, open or acknowledged, in the order of
/// [`Kind::ALL`], then by file and place.
#[derive(Debug)]
pub struct Review {
    /// The briefing's title.
    pub title: String,
    /// The day the review was made for (stale sources are counted from it).
    pub today: PartialDate,
    pub entries: Vec<Entry>,
}

impl Review {
    /// How many findings of `kind` are open and how many acknowledged.
    pub fn count(&self, kind: Kind) -> (usize, usize) {
        let of_kind = self.entries.iter().filter(|e| e.kind == kind);
        let open = of_kind.clone().filter(|e| e.acknowledged.is_none()).count();
        (open, of_kind.count() - open)
    }

    /// The open findings.
    pub fn open(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.acknowledged.is_none())
    }

    /// How many findings are open.
    pub fn open_count(&self) -> usize {
        self.open().count()
    }
}

/// Reviews the briefing `b` on the day `today` (a [`crate::date::day_number`]). Problems
/// of the review itself (a `reviewed:` naming no kind of finding, an unreadable brief.lock)
/// go to `diags`.
pub fn review(b: &Briefing, today: i64, diags: &mut Diagnostics) -> Review {
    let mut findings = Vec::new();
    findings.extend(checks::single_source(b));
    findings.extend(checks::no_quote(b));
    findings.extend(checks::claim_after_sources(b));
    findings.extend(checks::position_uncited(b));
    findings.extend(checks::one_sided_dispute(b));
    findings.extend(checks::no_claims(b));
    findings.extend(checks::never_cited(b));
    findings.extend(checks::cited_whole_only(b));
    findings.extend(checks::ambiguous_quote(b));
    findings.extend(checks::changed_since_lock(b, diags));
    findings.extend(checks::stale_source(b, today));
    findings.extend(names::candidate_names(b));
    checks::unknown_acknowledgements(b, diags);
    let where_cited = WhereCited::of_briefing(b);
    let mut entries: Vec<Entry> = findings
        .into_iter()
        .map(|finding| Entry {
            kind: finding.kind(),
            message: finding.message(b),
            location: finding.location(b),
            page: finding.page(b, &where_cited),
            acknowledged: finding.acknowledgement(b, &where_cited).map(str::to_string),
            finding,
        })
        .collect();
    let order = |k: Kind| Kind::ALL.iter().position(|&x| x == k);
    entries.sort_by(|x, y| {
        (
            order(x.kind),
            &x.location.file,
            x.location.span.start,
            &x.message,
        )
            .cmp(&(
                order(y.kind),
                &y.location.file,
                y.location.span.start,
                &y.message,
            ))
    });
    Review {
        title: b.site.config.title.clone(),
        today: PartialDate::of_day_number(today),
        entries,
    }
}

/// The day number of today (UTC), from the system clock.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// `brief review`: loads and resolves the briefing in `root` as `brief check` does (without
/// rendering it), and reviews it as of `today` (a day number). Returns the run's problems,
/// and the review unless the briefing has errors.
pub fn run(root: &Path, today: i64) -> (Report, Option<Review>) {
    let start = std::time::Instant::now();
    let mut report = Report::default();
    // The lock is the review's to compare (`changed-since-lock`), not a warning besides it.
    let mut t = Stopwatch::new();
    // The editors see everything: internal material is reviewed too.
    let briefing = crate::prepare(
        root,
        None,
        crate::lock::Mode::Skip,
        crate::audience::Audience::Internal,
        &mut crate::Caches::default(),
        &mut report,
        &mut t,
        &crate::progress::Silent,
    );
    let review = briefing.map(|b| review(&b, today, &mut report.diagnostics));
    t.lap(&mut report, "review");
    // Resolve's warning of an ambiguous quote is one of the review's findings: it is listed
    // there, not said twice.
    let mut kept = Diagnostics::new();
    for d in report.diagnostics.iter() {
        if d.code != Code::AmbiguousQuote {
            kept.push(d.clone());
        }
    }
    report.diagnostics = kept;
    report.elapsed = start.elapsed();
    (report, review)
}

/// The problem of a `reviewed:` name that is no kind of finding.
fn unknown_kind(name: &str, at: Location) -> Diagnostic {
    let near = crate::diagnostics::closest_name(name, Kind::ALL.iter().map(|k| k.name()));
    Diagnostic::warning(
        Code::UnknownFinding,
        format!("`reviewed:` names `{name}`, which is no kind of review finding"),
    )
    .at(at)
    .help(match near {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("the kinds are: {}", Kind::ALL.map(|k| k.name()).join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name_of_its_own_that_reads_back() {
        let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        for k in Kind::ALL {
            assert_eq!(Kind::of_name(k.name()), Some(k));
            assert!(
                k.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Kind::ALL.len());
    }
}
