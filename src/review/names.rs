//! `candidate-name`: names the sources use often that match no item, candidates for new
//! items.
//!
//! The rule, kept simple so an editor can predict it (docs/review.md):
//!
//! 1. The words of each source's shown paragraphs (boilerplate left out) are runs of letters
//!    and digits, with `'`, `’` and `-` inside a word; a final `'s` or `’s` is dropped and
//!    ends the name.
//! 2. A name is two or more capitalised words in a row, nothing but spaces between them.
//! 3. Leading words that the sources also write in lower case are dropped (`The`, `On`,
//!    `President`, `Defense` when the sources say `defense` somewhere): sentence openers
//!    and titles are common words, not names.
//! 4. A name that overlaps a mention of an item (its name or an alias, as resolve found
//!    them) or is spelt as an item's name or alias is no candidate.
//! 5. A candidate occurs in at least `[review] name_min_sources` sources (2 by default).

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashSet;

use crate::resolve::{Briefing, SourceId};

use super::Finding;

/// A word of a source's text.
struct Word<'t> {
    range: Range<usize>,
    text: &'t str,
    /// A possessive `'s` was dropped: the name ends with this word.
    possessive: bool,
}

/// Where a name was seen: in how many sources, how often, and first where.
struct Seen {
    sources: Vec<SourceId>,
    times: usize,
    first: (SourceId, Range<usize>),
}

/// Calls `each` with the words of `text` in `range` (their byte ranges in `text`), in order.
fn each_word<'t>(text: &'t str, range: Range<usize>, mut each: impl FnMut(Word<'t>)) {
    let part = &text[range.clone()];
    let inner = |c: char| matches!(c, '\'' | '’' | '-');
    let mut emit = |s: usize, e: usize| {
        let w = part[s..e].trim_end_matches(inner);
        let (w, possessive) = match w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            Some(stem) if !stem.is_empty() => (stem, true),
            _ => (w, false),
        };
        if !w.is_empty() {
            let at = range.start + s..range.start + s + w.len();
            each(Word {
                text: &text[at.clone()],
                range: at,
                possessive,
            });
        }
    };
    let mut start: Option<usize> = None;
    for (i, c) in part.char_indices() {
        let word_char = c.is_alphanumeric() || (start.is_some() && inner(c));
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        emit(s, part.len());
    }
}

#[cfg(test)]
fn words(text: &str, range: Range<usize>) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    each_word(text, range, |w| out.push(w));
    out
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A run of two or more capitalised words in a row, in one source.
struct Run<'t> {
    source: SourceId,
    words: Vec<Word<'t>>,
}

/// `candidate-name` findings, by name.
pub fn candidate_names(b: &Briefing) -> Vec<Finding> {
    let min_sources = b.site.config.review.name_min_sources.max(1);
    // One pass over the words: the runs of capitalised words, and the words the sources
    // write in lower case somewhere (common words, never a name's start). Those are borrowed,
    // not lower-cased: a word that starts in lower case and has a capital inside (`iPhone`)
    // is no common word anyway.
    let mut common: FxHashSet<&str> = FxHashSet::default();
    let mut runs: Vec<Run<'_>> = Vec::new();
    for (si, rs) in b.sources.iter().enumerate() {
        let text = rs.source.text();
        let source = SourceId(si as u32);
        let mut run: Vec<Word<'_>> = Vec::new();
        // A single capitalised word is never a name: only longer runs are kept.
        fn flush<'t>(source: SourceId, run: &mut Vec<Word<'t>>, runs: &mut Vec<Run<'t>>) {
            if run.len() >= 2 {
                runs.push(Run {
                    source,
                    words: std::mem::take(run),
                });
            }
            run.clear();
        }
        for p in rs.source.paragraphs.iter().filter(|p| !p.hidden) {
            each_word(text, p.range.clone(), |w| {
                let joined = run.last().is_some_and(|prev| {
                    !prev.possessive
                        && text[prev.range.end..w.range.start]
                            .bytes()
                            .all(|c| c == b' ')
                });
                if !joined {
                    flush(source, &mut run, &mut runs);
                }
                if capitalised(w.text) {
                    run.push(w);
                } else {
                    if !w.text.chars().any(char::is_uppercase) {
                        common.insert(w.text);
                    }
                    flush(source, &mut run, &mut runs);
                }
            });
            flush(source, &mut run, &mut runs);
        }
    }
    let item_names: FxHashSet<String> = b
        .items
        .iter()
        .flat_map(|it| std::iter::once(&it.name).chain(&it.aliases))
        .map(|n| n.to_lowercase())
        .collect();
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for run in runs {
        let start = run
            .words
            .iter()
            .position(|w| !common.contains(w.text.to_lowercase().as_str()))
            .unwrap_or(run.words.len());
        let name_words = &run.words[start..];
        if name_words.len() < 2 {
            continue;
        }
        let at = name_words[0].range.start..name_words[name_words.len() - 1].range.end;
        // The mentions are in order and apart: only the last that starts before the name
        // ends can reach into it.
        let mentions = &b.sources[run.source.0 as usize].mentions;
        let before = mentions.partition_point(|(m, _)| m.start < at.end);
        if before > 0 && mentions[before - 1].0.end > at.start {
            continue;
        }
        let name: Vec<&str> = name_words.iter().map(|w| w.text).collect();
        let name = name.join(" ");
        if item_names.contains(&name.to_lowercase()) {
            continue;
        }
        let s = seen.entry(name).or_insert_with(|| Seen {
            sources: Vec::new(),
            times: 0,
            first: (run.source, at),
        });
        s.times += 1;
        if !s.sources.contains(&run.source) {
            s.sources.push(run.source);
        }
    }
    seen.into_iter()
        .filter(|(_, s)| s.sources.len() >= min_sources)
        .map(|(name, s)| Finding::CandidateName {
            name,
            sources: s.sources.len(),
            times: s.times,
            first: s.first.0,
            at: s.first.1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_drop_possessives() {
        let text = "O'Brien met Russia's envoy — Jean-Luc Picard’s ship.";
        let w = words(text, 0..text.len());
        let texts: Vec<&str> = w.iter().map(|w| w.text).collect();
        assert_eq!(
            texts,
            [
                "O'Brien", "met", "Russia", "envoy", "Jean-Luc", "Picard", "ship"
            ]
        );
        assert!(w[2].possessive && w[5].possessive && !w[0].possessive);
        assert_eq!(&text[w[4].range.clone()], "Jean-Luc");
    }
}
