//! Holding a briefing to its brief.lock: which sources changed since the lock was written,
//! and for each citation whether its passage is unchanged, moved or gone.
//!
//! A citation is found again by its [`CitationKey`] (where it is written, its quote, which
//! of those it is), never by looking for a passage like the locked one: a quote that now
//! points at other words, however alike, is `gone`, and one that points at the same words
//! elsewhere (the quote now also occurs earlier) is `moved`. Either is said, never accepted
//! in silence.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::Mode;
use super::file::{CitationKey, Lock, LockedCitation, LockedSource, Place};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::digest::Sha256;
use crate::resolve::{Briefing, Citation, CitationId, ResolvedSource, SourceId};
use crate::text::collapse_white_space;

/// The hint of every problem a new `brief lock` settles.
const RELOCK: &str = "check it, then run `brief lock` to accept the briefing as it is now";

/// Says how `b` differs from `lock`: warnings, or errors with [`Mode::Locked`].
///
/// With `whole` false (a public build of a briefing with internal parts), what the lock holds
/// and `b` lacks is not reported: it may be what the build left out.
pub fn verify(b: &Briefing, lock: &Lock, mode: Mode, whole: bool, diags: &mut Diagnostics) {
    let problem = |code: Code, message: String| match mode {
        Mode::Locked => Diagnostic::error(code, message),
        Mode::Warn | Mode::Skip => Diagnostic::warning(code, message),
    };
    let mut cited: Vec<Vec<(CitationId, CitationKey)>> = vec![Vec::new(); b.sources.len()];
    for (id, key) in super::file::keys(b) {
        cited[b.citations[id.0 as usize].source.0 as usize].push((id, key));
    }
    let mut locked: FxHashMap<&str, &LockedSource> =
        lock.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    for (s, cited) in b.sources.iter().zip(cited) {
        let id = &s.source.id;
        let Some(ls) = locked.remove(id.as_str()) else {
            diags.push(
                problem(
                    Code::SourceAdded,
                    format!(
                        "source `{id}` is new since brief.lock (cited {})",
                        crate::plural(cited.len(), "time")
                    ),
                )
                .at(Location::file(&s.source.path))
                .help(RELOCK),
            );
            continue;
        };
        let changed = text_changed(s, ls);
        let mut unmatched: FxHashMap<&CitationKey, &LockedCitation> =
            ls.citations.iter().map(|c| (&c.key, c)).collect();
        let mut states = Vec::new();
        for (cid, key) in &cited {
            let c = &b.citations[cid.0 as usize];
            let Some(lc) = unmatched.remove(key) else {
                diags.push(
                    problem(
                        Code::CitationAdded,
                        format!("this citation of `{id}` is new since brief.lock"),
                    )
                    .at(c.location.clone())
                    .help(RELOCK),
                );
                continue;
            };
            let state = State::of(s, c, lc, changed);
            if let Some(d) = state.problem(s, c, lc, &problem) {
                diags.push(d);
            }
            states.push((c, state));
        }
        let mut removed: Vec<&LockedCitation> = unmatched.into_values().collect();
        if !whole {
            removed.clear();
        }
        removed.sort_by_key(|c| c.at.as_ref().map(|l| l.span.start));
        for lc in removed {
            let d = problem(
                Code::CitationRemoved,
                format!(
                    "brief.lock locks a citation of `{id}` that the briefing no longer has: {} in {}",
                    quoted(&lc.key.quote),
                    place(lc)
                ),
            )
            .help(RELOCK);
            diags.push(match &lc.at {
                Some(at) => d.at(at.clone()),
                None => d,
            });
        }
        if changed {
            diags.push(source_changed(s, &states, &problem));
        }
    }
    let mut gone: Vec<&LockedSource> = locked.into_values().collect();
    if !whole {
        gone.clear();
    }
    gone.sort_by(|a, b| a.id.cmp(&b.id));
    for ls in gone {
        let d = problem(
            Code::SourceRemoved,
            format!(
                "brief.lock locks the source `{}`, which the briefing no longer has",
                ls.id
            ),
        )
        .help(RELOCK);
        diags.push(match &ls.at {
            Some(at) => d.at(at.clone()),
            None => d,
        });
    }
}

/// Whether the text of `s` is not the one its entry `ls` in the lock recorded: the one
/// comparison behind `source-changed` here and `changed-since-lock` in `brief review`.
fn text_changed(s: &ResolvedSource, ls: &LockedSource) -> bool {
    ls.sha256 != s.sha256
}

/// The sources of `b` whose text changed since `lock` was written, in the briefing's order
/// (a source the lock does not hold is new, not changed, and is not among them).
pub fn changed_sources(b: &Briefing, lock: &Lock) -> Vec<SourceId> {
    let locked: FxHashMap<&str, &LockedSource> =
        lock.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    b.sources
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            locked
                .get(s.source.id.as_str())
                .is_some_and(|ls| text_changed(s, ls))
        })
        .map(|(i, _)| SourceId(i as u32))
        .collect()
}

/// What became of a locked citation's passage.
enum State {
    /// The same text at the same place.
    Unchanged,
    /// The same text at another place: `now`.
    Moved { now: Range<usize> },
    /// The quote now points at other text (`now`), or at nothing.
    Gone { now: Option<Range<usize>> },
}

impl State {
    /// `c` as the source `s` has it now, against its entry `lc` in the lock; `changed` when
    /// the source's text is not the locked one.
    fn of(s: &ResolvedSource, c: &Citation, lc: &LockedCitation, changed: bool) -> State {
        let Some(now) = c.range.clone() else {
            return State::Gone { now: None };
        };
        let same_place = now.start == lc.passage.start && now.end == lc.passage.end;
        // In the text that was locked, the same place holds the same words.
        if same_place && !changed {
            return State::Unchanged;
        }
        if Sha256::of(&s.source.text()[now.clone()]) != lc.passage.sha256 {
            State::Gone { now: Some(now) }
        } else if same_place {
            State::Unchanged
        } else {
            State::Moved { now }
        }
    }

    /// The word for it in the source's list.
    fn word(&self) -> &'static str {
        match self {
            State::Unchanged => "unchanged",
            State::Moved { .. } => "moved",
            State::Gone { .. } => "gone",
        }
    }

    /// The problem a moved or gone passage is, told at the citation.
    fn problem(
        &self,
        s: &ResolvedSource,
        c: &Citation,
        lc: &LockedCitation,
        problem: &impl Fn(Code, String) -> Diagnostic,
    ) -> Option<Diagnostic> {
        let source = &s.source;
        let text = source.text();
        let id = &source.id;
        let was = lc.passage.line;
        match self {
            State::Unchanged => None,
            State::Moved { now } => {
                let at = source.origin.locate(text, now.clone());
                let line = at.line();
                let whereto = if line == was {
                    format!("within line {line}")
                } else {
                    format!("from line {was} to line {line}")
                };
                Some(
                    problem(
                        Code::PassageMoved,
                        format!("the passage cited moved in `{id}` since brief.lock: {whereto}"),
                    )
                    .at(c.location.clone())
                    .related(at, "the passage now")
                    .help("if it is the passage meant, run `brief lock` to accept its new place; if the same words now also stand elsewhere, quote more of them"),
                )
            }
            State::Gone { now } => {
                let d = problem(
                    Code::PassageGone,
                    format!(
                        "the passage cited is gone from `{id}` since brief.lock (it was at line {was})"
                    ),
                )
                .at(c.location.clone());
                Some(match now {
                    // A look-alike: the quote matches other words than the locked ones.
                    Some(now) => d
                        .related(
                            source.origin.locate(text, now.clone()),
                            format!(
                                "the quote now matches {}, which is not the text locked",
                                quoted(&text[now.clone()])
                            ),
                        )
                        .help("if these words say what the citation needs, run `brief lock` to accept them; otherwise mend the quote"),
                    None => {
                        let nearest = c.quote.as_deref().and_then(|q| nearest(text, q));
                        let d = d.help("the quote is no longer in the source: quote its new words, then run `brief lock`");
                        match nearest {
                            Some(r) => d.related(
                                source.origin.locate(text, r.clone()),
                                format!("the nearest passage now: {}", quoted(&text[r])),
                            ),
                            None => d,
                        }
                    }
                })
            }
        }
    }
}

/// The passage of `text` closest to `quote`, found as for a quote that is not found.
fn nearest(text: &str, quote: &str) -> Option<Range<usize>> {
    let folded = crate::text::fold::Folded::new(text);
    match crate::text::quote::find_quote(text, &folded, quote) {
        crate::text::quote::QuoteMatch::NotFound { closest } => closest,
        crate::text::quote::QuoteMatch::Found { range, .. } => Some(range),
    }
}

/// The problem of a source whose text is not the one locked, naming each of its locked
/// citations with what became of it.
fn source_changed(
    s: &ResolvedSource,
    states: &[(&Citation, State)],
    problem: &impl Fn(Code, String) -> Diagnostic,
) -> Diagnostic {
    let count = |word: &str| states.iter().filter(|(_, st)| st.word() == word).count();
    let message = if states.is_empty() {
        format!(
            "the text of source `{}` changed since brief.lock",
            s.source.id
        )
    } else {
        format!(
            "the text of source `{}` changed since brief.lock: of its {} locked citation{}, {} unchanged, {} moved, {} gone",
            s.source.id,
            states.len(),
            if states.len() == 1 { "" } else { "s" },
            count("unchanged"),
            count("moved"),
            count("gone"),
        )
    };
    let mut d = problem(Code::SourceChanged, message)
        .at(Location::file(&s.source.path))
        .help("check the moved and gone passages, then run `brief lock` to accept the new text");
    for (c, state) in states {
        let quote = c.quote.as_deref().unwrap_or_default();
        d = d.related(
            c.location.clone(),
            format!("{}: {}", state.word(), quoted(quote)),
        );
    }
    d
}

/// Where a locked citation is written, in words.
fn place(lc: &LockedCitation) -> String {
    match &lc.key.place {
        Place::Item(id) => format!("item `{id}` ({})", lc.file),
        Place::File(file) => file.clone(),
    }
}

/// “A quote”, its white space collapsed and cut to a line's length.
fn quoted(text: &str) -> String {
    const MOST: usize = 80;
    let text = collapse_white_space(text.trim());
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("“{}…”", &text[..cut]),
        None => format!("“{text}”"),
    }
}
