//! Finding a cited quote in a source text.
//!
//! A quote matches where its folded form (see [`mod@super::fold`]) occurs in the folded source.
//! When it does not occur, [`find_quote`] still points at the most similar passage, so an
//! error can say "did you mean …".

use std::ops::Range;

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::char::is_combining_mark;

use super::fold::{Folded, fold};

/// The outcome of looking for a quote in a source.
#[derive(Debug, Clone, PartialEq)]
pub enum QuoteMatch {
    /// The quote occurs in the source.
    ///
    /// `range`: original byte range of the first match; `also`: original ranges of further
    /// matches (non-empty means ambiguous). Overlapping matches count: "ha ha" occurs twice in
    /// "ha ha ha".
    Found {
        range: Range<usize>,
        also: Vec<Range<usize>>,
    },
    /// The quote does not occur in the source.
    ///
    /// `closest`: original byte range of the most similar passage, when something is
    /// reasonably close (for "did you mean …"). It starts and ends on whole words.
    NotFound { closest: Option<Range<usize>> },
}

/// Looks for `quote` in a source text.
///
/// `original` is the source text and `folded` must be `Folded::new(original)`. Matches need
/// not be at word boundaries, but never cut through a unit of the original (a char and its
/// combining marks, or the `…` that folds to `...`), so for every returned range `r`,
/// `fold(&original[r]) == fold(quote)`. A quote that is blank after folding is never found
/// and has no closest passage.
///
/// Never panics; if `folded` was made from some other text, the ranges are still clamped to
/// char boundaries of `original`, though they mean nothing.
pub fn find_quote(original: &str, folded: &Folded, quote: &str) -> QuoteMatch {
    let needle = fold(quote);
    if needle.is_empty() {
        return QuoteMatch::NotFound { closest: None };
    }
    let mut matches = find_all(folded, &needle).map(|range| fit(original, range));
    match matches.next() {
        Some(range) => QuoteMatch::Found {
            range,
            also: matches.collect(),
        },
        None => QuoteMatch::NotFound {
            closest: closest_passage(folded, &needle).map(|range| fit(original, range)),
        },
    }
}

/// Original ranges of every occurrence of the folded `needle` that starts and ends between
/// units, overlapping ones included, in text order.
fn find_all<'a>(folded: &'a Folded, needle: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let hay = folded.as_str();
    // memchr's searcher, built once per needle, is several times faster than `str::find`
    // on long sources.
    let finder = memmem::Finder::new(needle.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = hay
            .as_bytes()
            .get(from..)
            .and_then(|rest| finder.find(rest))
        {
            let start = from + offset;
            let end = start + needle.len();
            // Step one char on, so that overlapping matches are found as well.
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
            if folded.is_unit_boundary(start) && folded.is_unit_boundary(end) {
                return Some(folded.original_range(start..end));
            }
        }
        None
    })
}

/// Clamps `range` into `text` on char boundaries: a no-op for ranges from the right
/// [`Folded`], and a guard against panics in callers that slice with a mismatched one.
fn fit(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text.floor_char_boundary(range.start);
    let end = text.floor_char_boundary(range.end).max(start);
    start..end
}

// --- The closest passage -----------------------------------------------------------------
//
// Comparing the quote with every window of the text is O(n·m) and far too slow for large
// sources. Instead, words of the quote that also occur in the text (the rarest first) anchor
// a handful of candidate windows of about the quote's length in words. The candidates are
// ranked by how many of the quote's words they contain, and the best few are also compared
// with the quote by edit distance (strsim's normalized Levenshtein).

/// At most this many distinct words of the quote anchor candidates (the rarest in the text).
const ANCHOR_WORDS: usize = 8;
/// At most this many occurrences of each anchor word are used.
const ANCHOR_OCCURRENCES: usize = 16;
/// At most this many anchors in all.
const ANCHORS: usize = 128;
/// About this many window lengths are tried for each anchor.
const LENGTHS: usize = 8;
/// Candidates that are scored with the (quadratic) edit distance.
const FINALISTS: usize = 16;
/// Quotes longer than this (in bytes) are scored by shared words only, to bound the cost.
const MAX_EDIT_DISTANCE_LEN: usize = 1000;
/// How similar two single words must be to anchor a candidate when the quote shares no word
/// with the text at all (for example a one-word quote with a typo).
const WORD_SIMILARITY: f64 = 0.7;
/// Share of words (Sørensen–Dice, 0 to 1) from which a passage counts as the quote with its
/// words reordered.
const REORDERED: f64 = 0.9;
/// Below this similarity (0 to 1) a passage is not worth suggesting.
const THRESHOLD: f64 = 0.6;

/// The folded range of the passage most similar to `needle`, on whole words, if any is
/// similar enough.
fn closest_passage(folded: &Folded, needle: &str) -> Option<Range<usize>> {
    let hay = folded.as_str();
    let text_words = words(hay);
    let needle_words: Vec<&str> = words(needle).into_iter().map(|w| &needle[w]).collect();
    let wanted = needle_words.len();
    if text_words.is_empty() || wanted == 0 {
        return None;
    }

    let anchors = anchors(hay, &text_words, &needle_words);
    // Candidate windows: aligned so the anchor is where it is in the quote, and also
    // starting or ending at the anchor, which catches quotes with their words reordered.
    // Lengths run from a quarter fewer words than the quote has (for quotes with words
    // added) to half as many more (for quotes that left words out); for long quotes only
    // some of them are tried, to bound the work.
    let shortest = wanted.saturating_sub(1 + wanted / 4).max(1);
    let longest = wanted + 1 + wanted / 2;
    let step = ((longest - shortest) / LENGTHS).max(1);
    let lengths: Vec<usize> = (shortest..=longest).step_by(step).chain([wanted]).collect();
    let mut windows = FxHashSet::default();
    for (at, in_needle) in anchors {
        for start in [
            at.saturating_sub(in_needle),
            at,
            (at + 1).saturating_sub(wanted),
        ] {
            for &len in &lengths {
                let end = (start + len).min(text_words.len());
                if start < end {
                    windows.insert(start..end);
                }
            }
        }
    }

    let mut needle_counts: FxHashMap<&str, usize> = FxHashMap::default();
    for word in &needle_words {
        *needle_counts.entry(word).or_default() += 1;
    }
    let mut ranked: Vec<(f64, Range<usize>)> = windows
        .into_iter()
        .map(|window| {
            let shared = shared_words(
                &needle_counts,
                text_words[window.clone()].iter().map(|w| &hay[w.clone()]),
            );
            (word_dice(shared, wanted, window.len()), window)
        })
        .collect();
    // Best first; ties broken by position so the result does not depend on hashing.
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.start.cmp(&b.1.start))
            .then(a.1.end.cmp(&b.1.end))
    });
    ranked.truncate(FINALISTS);

    // The finalists are ranked by two measures: the edit distance of their text to the
    // quote favours the passage with the quote's wording and order (what a typo or a changed
    // word leaves), the share of words the passage with the quote's words. Usually both
    // count equally; a passage with (nearly) all the quote's words is the quote with its
    // words reordered, where the edit distance means little.
    let mut best: Option<((f64, f64), f64, Range<usize>)> = None;
    for (dice, window) in ranked {
        let span = text_words[window.start].start..text_words[window.end - 1].end;
        let edit = if needle.len() <= MAX_EDIT_DISTANCE_LEN {
            strsim::normalized_levenshtein(&hay[span.clone()], needle)
        } else {
            dice
        };
        let rank = if dice >= REORDERED {
            edit.max(dice)
        } else {
            (edit + dice) / 2.0
        };
        if best
            .as_ref()
            .is_none_or(|(best_rank, ..)| (rank, dice) > *best_rank)
        {
            best = Some(((rank, dice), edit.max(dice), span));
        }
    }
    best.filter(|(_, similarity, _)| *similarity >= THRESHOLD)
        .map(|(.., span)| folded.original_range(span))
}

/// Anchors for candidate windows: `(index of a text word, index of the same word in the
/// needle)`. Exact shared words, rarest in the text first; if there are none, text words
/// that are similar to a needle word.
fn anchors(hay: &str, text_words: &[Range<usize>], needle_words: &[&str]) -> Vec<(usize, usize)> {
    // Where each needle word occurs in the text.
    let mut positions: FxHashMap<&str, Vec<usize>> =
        needle_words.iter().map(|&w| (w, Vec::new())).collect();
    for (index, word) in text_words.iter().enumerate() {
        if let Some(list) = positions.get_mut(&hay[word.clone()]) {
            list.push(index);
        }
    }
    let mut shared: Vec<(&str, Vec<usize>)> = positions
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .collect();
    shared.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(a.0.cmp(b.0)));

    let mut anchors = Vec::new();
    for (word, list) in shared.into_iter().take(ANCHOR_WORDS) {
        for (in_needle, _) in needle_words.iter().enumerate().filter(|(_, w)| **w == word) {
            anchors.extend(
                list.iter()
                    .take(ANCHOR_OCCURRENCES)
                    .map(|&at| (at, in_needle)),
            );
        }
    }
    if anchors.is_empty() {
        anchors = similar_word_anchors(hay, text_words, needle_words);
    }
    anchors.truncate(ANCHORS);
    anchors
}

/// Anchors from text words that look like a needle word (a typo), for quotes that share no
/// word with the text. Each distinct text word is compared once.
fn similar_word_anchors(
    hay: &str,
    text_words: &[Range<usize>],
    needle_words: &[&str],
) -> Vec<(usize, usize)> {
    let mut verdicts: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut anchors = Vec::new();
    for (at, word) in text_words.iter().enumerate() {
        let word = &hay[word.clone()];
        let similar = *verdicts.entry(word).or_insert_with(|| {
            needle_words.iter().position(|n| {
                n.chars().count() >= 3
                    && strsim::normalized_damerau_levenshtein(word, n) >= WORD_SIMILARITY
            })
        });
        if let Some(in_needle) = similar {
            anchors.push((at, in_needle));
            if anchors.len() >= ANCHORS {
                break;
            }
        }
    }
    anchors
}

/// How many of `window`'s words are needle words, each needle word counted at most as often
/// as it occurs in the needle.
fn shared_words<'a>(
    needle_counts: &FxHashMap<&str, usize>,
    window: impl Iterator<Item = &'a str>,
) -> usize {
    let mut left = needle_counts.clone();
    window
        .filter(|word| match left.get_mut(word) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count()
}

/// Sørensen–Dice similarity of two bags of words: 1 when they hold the same words in any
/// order, 0 when they share none.
fn word_dice(shared: usize, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        return 0.0;
    }
    2.0 * shared as f64 / (a + b) as f64
}

/// Byte ranges of the words of a folded text: maximal runs of letters, digits and
/// combining marks.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                words.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

/// Letters, digits and combining marks (which belong to the letter before them).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOURCE: &str = "Russia is ready to resume talks with Ukraine in Istanbul, \
        Vladimir Medinsky told reporters on Tuesday.\n\nThe Russian delegation is to be headed by \
        Vladimir Medinsky, an aide to the president. Talks at the Çırağan Palace lasted about \
        forty minutes — “a brief meeting”, one diplomat said… Medinsky’s team left at noon.";

    fn find(text: &str, quote: &str) -> QuoteMatch {
        find_quote(text, &Folded::new(text), quote)
    }

    /// The original text of the first match, or panics.
    fn found<'a>(text: &'a str, quote: &str) -> &'a str {
        match find(text, quote) {
            QuoteMatch::Found { range, .. } => &text[range],
            other => panic!("{quote:?} not found: {other:?}"),
        }
    }

    /// The original text of the closest passage, if any.
    fn closest<'a>(text: &'a str, quote: &str) -> Option<&'a str> {
        match find(text, quote) {
            QuoteMatch::NotFound { closest } => closest.map(|r| &text[r]),
            other => panic!("{quote:?} unexpectedly found: {other:?}"),
        }
    }

    #[test]
    fn finds_exact_quote() {
        assert_eq!(
            find(SOURCE, "ready to resume talks"),
            QuoteMatch::Found {
                range: 10..31,
                also: vec![]
            }
        );
    }

    #[test]
    fn matches_ignore_case_quotes_dashes_and_white_space() {
        assert_eq!(
            found(SOURCE, "RUSSIA IS READY   to\nresume"),
            "Russia is ready to resume"
        );
        assert_eq!(
            found(SOURCE, "forty minutes - \"a brief meeting\""),
            "forty minutes — “a brief meeting”"
        );
        assert_eq!(found(SOURCE, "Medinsky's team"), "Medinsky’s team");
        assert_eq!(found(SOURCE, "one diplomat said..."), "one diplomat said…");
        assert_eq!(found(SOURCE, "istanbul,  vladimir"), "Istanbul, Vladimir");
    }

    #[test]
    fn matches_across_a_paragraph_break() {
        assert_eq!(
            found(SOURCE, "on Tuesday. The Russian delegation"),
            "on Tuesday.\n\nThe Russian delegation"
        );
    }

    #[test]
    fn turkish_capitals_match() {
        assert_eq!(found(SOURCE, "ÇIRAĞAN PALACE"), "Çırağan Palace");
        let text = "Görüşmeler İSTANBUL'da yapıldı";
        assert_eq!(found(text, "istanbul’da"), "İSTANBUL'da");
    }

    #[test]
    fn multibyte_text_around_matches() {
        let text = "Мединский: «Россия готова» — 😀 да";
        assert_eq!(found(text, "\"россия готова\""), "«Россия готова»");
        assert_eq!(found(text, "- 😀 Да"), "— 😀 да");
        // A match may start inside a word.
        assert_eq!(found(text, "динск"), "динск");
    }

    #[test]
    fn two_matches_are_ambiguous() {
        let QuoteMatch::Found { range, also } = find(SOURCE, "Vladimir Medinsky") else {
            panic!("not found");
        };
        assert_eq!(&SOURCE[range.clone()], "Vladimir Medinsky");
        assert_eq!(also.len(), 1);
        assert!(also[0].start > range.end);
        assert_eq!(&SOURCE[also[0].clone()], "Vladimir Medinsky");
    }

    #[test]
    fn overlapping_matches_count() {
        let QuoteMatch::Found { range, also } = find("ha ha ha", "ha ha") else {
            panic!("not found");
        };
        assert_eq!(range, 0..5);
        assert_eq!(also.len(), 1);
        assert_eq!(also[0], 3..8);
    }

    #[test]
    fn matches_never_cut_a_unit() {
        // "." occurs inside the "..." that "…" folds to, but the range could only be the
        // whole "…", which does not fold to ".": no match.
        assert!(matches!(find("wait…", "."), QuoteMatch::NotFound { .. }));
        assert_eq!(found("wait… ok.", "."), ".");
        // "e" followed by a combining acute is "é", not "e".
        assert!(matches!(
            find("cafe\u{301}", "cafe"),
            QuoteMatch::NotFound { .. }
        ));
    }

    #[test]
    fn empty_or_blank_quote_is_not_found() {
        assert_eq!(find(SOURCE, ""), QuoteMatch::NotFound { closest: None });
        assert_eq!(
            find(SOURCE, " \n\u{200B} "),
            QuoteMatch::NotFound { closest: None }
        );
        assert_eq!(find("", "x"), QuoteMatch::NotFound { closest: None });
    }

    #[test]
    fn closest_passage_for_a_typo() {
        assert_eq!(
            closest(SOURCE, "The Rusian delegation is to be haeded by"),
            Some("The Russian delegation is to be headed by")
        );
        assert_eq!(closest(SOURCE, "Medinksy"), Some("Medinsky"));
    }

    #[test]
    fn closest_passage_for_a_changed_word() {
        assert_eq!(
            closest(SOURCE, "Russia is willing to resume talks with Ukraine"),
            Some("Russia is ready to resume talks with Ukraine")
        );
    }

    #[test]
    fn closest_passage_for_left_out_words() {
        assert_eq!(
            closest(
                SOURCE,
                "the Russian delegation is to be headed by an aide to the president"
            ),
            Some(
                "The Russian delegation is to be headed by Vladimir Medinsky, an aide to the president"
            )
        );
    }

    #[test]
    fn closest_passage_for_changed_or_missing_words() {
        assert_eq!(
            closest(SOURCE, "lasted about 40 minutes"),
            Some("lasted about forty minutes")
        );
        assert_eq!(
            closest(SOURCE, "the delegation is to be headed by Medinsky"),
            Some("The Russian delegation is to be headed by Vladimir Medinsky")
        );
    }

    #[test]
    fn closest_passage_for_reordered_words() {
        assert_eq!(
            closest(
                SOURCE,
                "talks with Ukraine in Istanbul Russia is ready to resume"
            ),
            Some("Russia is ready to resume talks with Ukraine in Istanbul")
        );
    }

    #[test]
    fn nothing_close_means_no_suggestion() {
        assert_eq!(closest(SOURCE, "completely unrelated words here"), None);
        assert_eq!(closest(SOURCE, "the talks lasted two hours"), None);
        assert_eq!(closest(SOURCE, "zzzz qqqq"), None);
        assert_eq!(closest("", "zzzz qqqq"), None);
        assert_eq!(closest("...", "x"), None);
    }

    #[test]
    fn mismatched_folded_text_does_not_panic() {
        let other = Folded::new("ééééééééé Medinsky");
        let _ = find_quote("short", &other, "medinsky");
        let _ = find_quote("short", &other, "medinksy");
    }

    /// Strings with the characters that exercise the folding rules, plus arbitrary ones.
    fn tricky_string() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a',
            'b',
            'A',
            ' ',
            ' ',
            '\n',
            'i',
            'I',
            'İ',
            'ı',
            'ß',
            'é',
            'e',
            '\u{301}',
            '\u{308}',
            '\u{AD}',
            '\u{200B}',
            '“',
            '”',
            '"',
            '’',
            '—',
            '-',
            '…',
            '.',
            'Å',
            '가',
            'ᆨ',
            '😀',
            '\u{1F3FD}',
            'Д',
            'д',
            '\u{a0}',
        ]);
        prop_oneof![
            3 => prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect()),
            1 => any::<String>(),
        ]
    }

    /// Strings of a few letters, spaces and marks that fold together.
    fn few_chars(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'A', 'b', ' ', '\n', '’', '\'', 'İ', 'i', '—', '-',
        ]);
        prop::collection::vec(chars, len).prop_map(|v| v.into_iter().collect())
    }

    /// Moves `at` forward to a place where the original may be cut without changing how the
    /// pieces normalize (the end of the text or before a char that starts a segment).
    fn cut_point(text: &str, mut at: usize) -> usize {
        while at < text.len() {
            if let Some(c) = text.get(at..).and_then(|rest| rest.chars().next())
                && crate::text::fold::starts_segment(c)
            {
                break;
            }
            at += 1;
        }
        at
    }

    proptest! {
        /// Any piece of the original that can be cut out on its own is found, and the range
        /// returned folds to the same text.
        #[test]
        fn every_substring_is_found(
            text in tricky_string(),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let a = cut_point(&text, a.index(text.len() + 1));
            let b = cut_point(&text, b.index(text.len() + 1));
            let piece = &text[a.min(b)..a.max(b)];
            let needle = fold(piece);
            match find(&text, piece) {
                QuoteMatch::Found { range, also } => {
                    prop_assert!(!needle.is_empty());
                    for r in std::iter::once(range).chain(also) {
                        prop_assert_eq!(fold(&text[r]), needle.as_str());
                    }
                }
                QuoteMatch::NotFound { .. } => prop_assert!(needle.is_empty()),
            }
        }

        /// Whatever the quote, a match lies in the text on char boundaries and folds to the
        /// same text as the quote.
        #[test]
        fn any_match_is_on_char_boundaries_and_folds_to_the_quote(
            (text, quote) in prop_oneof![
                (tricky_string(), tricky_string()),
                // A small alphabet, so that quotes do match, often more than once.
                (few_chars(0..30), few_chars(1..4)),
            ],
        ) {
            if let QuoteMatch::Found { range, also } = find(&text, &quote) {
                // Overlapping matches count (`aa` is twice in `aaa`), in text order.
                let mut last_start = None;
                for r in std::iter::once(range).chain(also) {
                    prop_assert!(r.start < r.end && r.end <= text.len());
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    prop_assert!(last_start < Some(r.start), "matches out of order");
                    prop_assert_eq!(fold(&text[r.clone()]), fold(&quote));
                    last_start = Some(r.start);
                }
            }
        }

        #[test]
        fn closest_passage_is_in_bounds(text in tricky_string(), quote in tricky_string()) {
            if let QuoteMatch::NotFound { closest: Some(r) } = find(&text, &quote) {
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }
    }
}
