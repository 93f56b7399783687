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

/// The words of `text` (byte ranges within it), read from `range`.
fn words<'t>(text: &'t str, range: Range<usize>) -> Vec<Word<'t>> {
    let part = &text[range.clone()];
    let inner = |c: char| matches!(c, '\'' | '’' | '-');
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Word<'t>>| {
        let w = part[s..e].trim_end_matches(inner);
        let (w, possessive) = match w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            Some(stem) if !stem.is_empty() => (stem, true),
            _ => (w, false),
        };
        if !w.is_empty() {
            out.push(Word {
                range: range.start + s..range.start + s + w.len(),
                text: &text[range.start + s..range.start + s + w.len()],
                possessive,
            });
        }
    };
    for (i, c) in part.char_indices() {
        let word_char = c.is_alphanumeric() || (start.is_some() && inner(c));
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, part.len(), &mut out);
    }
    out
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// `candidate-name` findings, by name.
pub fn candidate_names(b: &Briefing) -> Vec<Finding> {
    let min_sources = b.site.config.review.name_min_sources.max(1);
    let by_source: Vec<Vec<Word<'_>>> = b
        .sources
        .iter()
        .map(|s| {
            let text = s.source.text();
            s.source
                .paragraphs
                .iter()
                .filter(|p| !p.hidden)
                .flat_map(|p| words(text, p.range.clone()))
                .collect()
        })
        .collect();
    // Words the sources write in lower case somewhere: common words, never a name's start.
    // Borrowed, not lower-cased: a word that starts in lower case and has a capital inside
    // (`iPhone`) is no common word anyway.
    let common: FxHashSet<&str> = by_source
        .iter()
        .flatten()
        .map(|w| w.text)
        .filter(|w| !w.chars().any(char::is_uppercase))
        .collect();
    let is_common = |w: &str| common.contains(w.to_lowercase().as_str());
    let item_names: FxHashSet<String> = b
        .items
        .iter()
        .flat_map(|it| std::iter::once(&it.name).chain(&it.aliases))
        .map(|n| n.to_lowercase())
        .collect();
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for (si, (rs, words)) in b.sources.iter().zip(&by_source).enumerate() {
        let text = rs.source.text();
        let source = SourceId(si as u32);
        let mut run: Vec<&Word<'_>> = Vec::new();
        let mut flush = |run: &mut Vec<&Word<'_>>| {
            // A single capitalised word is never a name: nothing to look up.
            let start = if run.len() < 2 {
                run.len()
            } else {
                run.iter()
                    .position(|w| !is_common(w.text))
                    .unwrap_or(run.len())
            };
            let name_words = &run[start..];
            if name_words.len() >= 2 {
                let at = name_words[0].range.start..name_words[name_words.len() - 1].range.end;
                // The mentions are in order and apart: only the last that starts before the
                // name ends can reach into it.
                let before = rs.mentions.partition_point(|(m, _)| m.start < at.end);
                let mentioned = before > 0 && rs.mentions[before - 1].0.end > at.start;
                let name: Vec<&str> = name_words.iter().map(|w| w.text).collect();
                let name = name.join(" ");
                if !mentioned && !item_names.contains(&name.to_lowercase()) {
                    let s = seen.entry(name).or_insert_with(|| Seen {
                        sources: Vec::new(),
                        times: 0,
                        first: (source, at),
                    });
                    s.times += 1;
                    if !s.sources.contains(&source) {
                        s.sources.push(source);
                    }
                }
            }
            run.clear();
        };
        for w in words {
            let joined = run.last().is_some_and(|prev| {
                !prev.possessive
                    && text[prev.range.end..w.range.start]
                        .chars()
                        .all(|c| c == ' ')
            });
            if !joined {
                flush(&mut run);
            }
            if capitalised(w.text) {
                run.push(w);
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
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
