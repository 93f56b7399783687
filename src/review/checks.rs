//! One function per kind of finding, each reading the resolved briefing and returning its
//! findings in the briefing's order (the review sorts them for output).

use crate::diagnostics::Diagnostics;
use crate::load::Kind as ItemKind;
use crate::resolve::{Briefing, CitationId, ItemId, ResolvedClaim, SourceId, Text};

use super::{Finding, Kind};

/// Every citation of a claim or position: its `cite:` list and those in its text.
pub(super) fn citations<'a>(
    cites: &'a [CitationId],
    text: &'a Text,
) -> impl Iterator<Item = CitationId> + 'a {
    cites.iter().chain(text.groups.iter().flatten()).copied()
}

/// The claims of every item, with their item and index.
fn claims(b: &Briefing) -> impl Iterator<Item = (ItemId, usize, &ResolvedClaim)> {
    b.items.iter().enumerate().flat_map(|(i, item)| {
        item.claims
            .iter()
            .enumerate()
            .map(move |(k, c)| (ItemId(i as u32), k, c))
    })
}

/// The distinct sources a claim cites, in the order first cited.
fn sources_of(b: &Briefing, c: &ResolvedClaim) -> Vec<SourceId> {
    let mut sources: Vec<SourceId> = Vec::new();
    for cid in citations(&c.cites, &c.text) {
        let s = b.citations[cid.0 as usize].source;
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    sources
}

/// `single-source`: claims whose citations all cite one source.
pub fn single_source(b: &Briefing) -> Vec<Finding> {
    claims(b)
        .filter_map(|(item, claim, c)| match sources_of(b, c).as_slice() {
            [source] => Some(Finding::SingleSource {
                item,
                claim,
                source: *source,
            }),
            _ => None,
        })
        .collect()
}

/// `no-quote`: claims that cite no passage: nothing at all, or whole sources only.
pub fn no_quote(b: &Briefing) -> Vec<Finding> {
    claims(b)
        .filter_map(|(item, claim, c)| {
            let all: Vec<CitationId> = citations(&c.cites, &c.text).collect();
            let quoted = all
                .iter()
                .any(|cid| b.citations[cid.0 as usize].quote.is_some());
            (!quoted).then_some(Finding::NoQuote {
                item,
                claim,
                citations: all.len(),
            })
        })
        .collect()
}

/// `claim-after-sources`: dated claims whose cited sources all give a publication date, and
/// all of them before the claim's date. Partial dates are taken generously: the claim's
/// earliest possible day against a source's latest, so `2025-06` is not after `2025-06-02`.
pub fn claim_after_sources(b: &Briefing) -> Vec<Finding> {
    claims(b)
        .filter_map(|(item, claim, c)| {
            let date = c.date?;
            let sources = sources_of(b, c);
            let published: Option<Vec<_>> = sources
                .iter()
                .map(|s| b.sources[s.0 as usize].source.meta.published)
                .collect();
            let latest = published?.into_iter().max_by_key(|d| d.latest_day())?;
            (date.earliest_day() > latest.latest_day()).then_some(Finding::ClaimAfterSources {
                item,
                claim,
                date,
                latest,
            })
        })
        .collect()
}

/// The disputes, with their ids.
fn disputes(b: &Briefing) -> impl Iterator<Item = (ItemId, &crate::resolve::ResolvedItem)> {
    b.items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind() == ItemKind::Dispute)
        .map(|(i, it)| (ItemId(i as u32), it))
}

/// `position-uncited`: dispute positions that cite nothing.
pub fn position_uncited(b: &Briefing) -> Vec<Finding> {
    disputes(b)
        .flat_map(|(item, it)| {
            it.positions()
                .iter()
                .enumerate()
                .filter(|(_, p)| citations(&p.cites, &p.text).next().is_none())
                .map(move |(position, _)| Finding::PositionUncited { item, position })
        })
        .collect()
}

/// `one-sided-dispute`: disputes of two or more positions of which exactly one cites
/// anything (a dispute citing nothing at all is its positions' findings).
pub fn one_sided_dispute(b: &Briefing) -> Vec<Finding> {
    disputes(b)
        .filter_map(|(item, it)| {
            let cited: Vec<usize> = it
                .positions()
                .iter()
                .enumerate()
                .filter(|(_, p)| citations(&p.cites, &p.text).next().is_some())
                .map(|(k, _)| k)
                .collect();
            match cited.as_slice() {
                [cited] if it.positions().len() >= 2 => Some(Finding::OneSidedDispute {
                    item,
                    cited: *cited,
                }),
                _ => None,
            }
        })
        .collect()
}

/// `no-claims`: items without claims (disputes have positions instead, and are left out).
pub fn no_claims(b: &Briefing) -> Vec<Finding> {
    b.items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind() != ItemKind::Dispute && it.claims.is_empty())
        .map(|(i, _)| Finding::NoClaims {
            item: ItemId(i as u32),
        })
        .collect()
}

/// How many citations cite each source, and how many of those quote a passage.
fn citation_counts(b: &Briefing) -> Vec<(usize, usize)> {
    let mut counts = vec![(0, 0); b.sources.len()];
    for c in &b.citations {
        let n = &mut counts[c.source.0 as usize];
        n.0 += 1;
        if c.quote.is_some() {
            n.1 += 1;
        }
    }
    counts
}

/// `never-cited`: sources nothing cites, anywhere (items, pages, notes).
pub fn never_cited(b: &Briefing) -> Vec<Finding> {
    citation_counts(b)
        .into_iter()
        .enumerate()
        .filter(|(_, (all, _))| *all == 0)
        .map(|(i, _)| Finding::NeverCited {
            source: SourceId(i as u32),
        })
        .collect()
}

/// `cited-whole-only`: sources cited, but never by a quote.
pub fn cited_whole_only(b: &Briefing) -> Vec<Finding> {
    citation_counts(b)
        .into_iter()
        .enumerate()
        .filter(|(_, (all, quoted))| *all > 0 && *quoted == 0)
        .map(|(i, (times, _))| Finding::CitedWholeOnly {
            source: SourceId(i as u32),
            times,
        })
        .collect()
}

/// `ambiguous-quote`: citations whose quote occurs more than once in the source, as resolve
/// found when it anchored them (the first occurrence is the one cited).
pub fn ambiguous_quote(b: &Briefing) -> Vec<Finding> {
    b.citations
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.elsewhere.is_empty())
        .map(|(i, c)| Finding::AmbiguousQuote {
            citation: CitationId(i as u32),
            times: c.elsewhere.len() + 1,
        })
        .collect()
}

/// `changed-since-lock`: sources whose text is not the one brief.lock recorded, by the lock's
/// own comparison ([`crate::lock::verify::changed_sources`]); nothing without a brief.lock.
/// A brief.lock that cannot be read is a problem in `diags`.
pub fn changed_since_lock(b: &Briefing, diags: &mut Diagnostics) -> Vec<Finding> {
    match crate::lock::file::read(&b.site.root) {
        Ok(Some(lock)) => crate::lock::verify::changed_sources(b, &lock)
            .into_iter()
            .map(|source| Finding::ChangedSinceLock { source })
            .collect(),
        Ok(None) => Vec::new(),
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    }
}

/// `stale-source`: with `[review] stale_after_days` set, the sources retrieved more days
/// before `today` (a day number) than it says, counting from the last day a partial
/// `retrieved` can mean. A source without `retrieved` is not counted stale.
pub fn stale_source(b: &Briefing, today: i64) -> Vec<Finding> {
    let Some(limit) = b.site.config.review.stale_after_days else {
        return Vec::new();
    };
    b.sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let retrieved = s.source.meta.retrieved?;
            let days = today - retrieved.latest_day();
            (days > i64::from(limit)).then_some(Finding::StaleSource {
                source: SourceId(i as u32),
                retrieved,
                days,
                limit,
            })
        })
        .collect()
}

/// Every `reviewed:` name that is no kind of finding is a warning: a misspelt name would
/// otherwise acknowledge nothing, in silence.
pub fn unknown_acknowledgements(b: &Briefing, diags: &mut Diagnostics) {
    let mut all: Vec<&crate::load::Reviewed> = Vec::new();
    for it in &b.items {
        all.push(&it.reviewed);
        all.extend(it.claims.iter().map(|c| &c.reviewed));
        all.extend(it.positions().iter().map(|p| &p.reviewed));
    }
    all.extend(b.sources.iter().map(|s| &s.source.meta.reviewed));
    for r in all {
        for a in &r.0 {
            if Kind::of_name(&a.kind).is_none() {
                diags.push(super::unknown_kind(&a.kind, a.location.clone()));
            }
        }
    }
}
