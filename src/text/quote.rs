//! Finding a cited quote in a source text.
//!
//! A quote matches where its folded form (see [`mod@super::fold`]) occurs in the folded source.
//! When it does not occur, [`find_quote`] still points at the most similar passage, so an
//! error can say "did you mean …".

use std::cell::{Cell, OnceCell};
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
    find_quote_with(original, folded, &OnceCell::new(), quote)
}

/// [`find_quote`] for one of many quotes of the same source: `words` is the source's
/// [`WordIndex`], made the first time a quote is not found and then shared by the quotes
/// that follow, so that each "did you mean" costs about the quote's length rather than the
/// source's.
pub fn find_quote_with<'f>(
    original: &str,
    folded: &'f Folded,
    words: &OnceCell<WordIndex<'f>>,
    quote: &str,
) -> QuoteMatch {
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
        None => {
            let words = words.get_or_init(|| WordIndex::new(folded.as_str()));
            QuoteMatch::NotFound {
                closest: closest_passage(folded, words, &needle).map(|range| fit(original, range)),
            }
        }
    }
}

/// Original ranges of every occurrence of the folded `needle` that starts and ends between
/// units, overlapping ones included, in text order.
fn find_all<'a>(folded: &'a Folded, needle: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    find_all_folded(folded, needle).map(move |range| folded.original_range(range))
}

/// Folded ranges of every occurrence of the folded `needle` that [`find_quote`] counts (between
/// units, overlapping ones included), in text order: what `brief quote` extends until one
/// is left.
pub(crate) fn find_all_folded<'a>(
    folded: &'a Folded,
    needle: &'a str,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let end = needle.len();
    Occurrences::new(folded.as_str().as_bytes(), needle.as_bytes())
        .filter(move |&start| {
            folded.is_unit_boundary(start) && folded.is_unit_boundary(start + end)
        })
        .map(move |start| start..start + end)
}

/// The start of every occurrence of `needle` in `hay`, overlapping ones included, in order,
/// in time linear in the length of both.
///
/// memchr's searcher (several times faster than `str::find` on long sources) finds each
/// next occurrence in time linear in the distance it covers. Searching again one byte after
/// each find is linear in all as long as the occurrences do not overlap; where they do (a
/// quote of "ha ha ha …" in a text of laughter), every search would read the whole needle
/// again, which is quadratic. So at the first overlap the rest of the text is read once by
/// Knuth–Morris–Pratt, which finds overlapping occurrences without reading a byte twice.
/// (Both search bytes: a UTF-8 needle only matches at char boundaries of UTF-8 text.)
struct Occurrences<'a> {
    hay: &'a [u8],
    needle: &'a [u8],
    finder: memmem::Finder<'a>,
    /// Where the next search starts.
    from: usize,
    /// The start of the last occurrence found.
    last: Option<usize>,
    /// Once occurrences overlap: the KMP table of the needle and the length of the needle's
    /// prefix matched just before `from`.
    kmp: Option<(Vec<usize>, usize)>,
}

impl<'a> Occurrences<'a> {
    fn new(hay: &'a [u8], needle: &'a [u8]) -> Occurrences<'a> {
        Occurrences {
            hay,
            needle,
            finder: memmem::Finder::new(needle),
            from: 0,
            last: None,
            kmp: None,
        }
    }

    /// The next occurrence by KMP, from `from` on.
    fn next_kmp(&mut self) -> Option<usize> {
        let (table, matched) = self.kmp.as_mut()?;
        let needle = self.needle;
        while self.from < self.hay.len() {
            let b = self.hay[self.from];
            while *matched > 0 && needle[*matched] != b {
                *matched = table[*matched - 1];
            }
            if needle[*matched] == b {
                *matched += 1;
            }
            self.from += 1;
            if *matched == needle.len() {
                *matched = table[*matched - 1];
                return Some(self.from - needle.len());
            }
        }
        None
    }
}

impl Iterator for Occurrences<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.needle.is_empty() {
            return None;
        }
        if self.kmp.is_some() {
            return self.next_kmp();
        }
        let start = self.from + self.finder.find(self.hay.get(self.from..)?)?;
        if let Some(last) = self.last
            && start < last + self.needle.len()
        {
            // Overlapping occurrences: from here on, KMP (see above). `start` is an
            // occurrence; KMP goes on right after it, having matched all but its first byte.
            let table = kmp_table(self.needle);
            let matched = table[self.needle.len() - 1];
            self.kmp = Some((table, matched));
            self.from = start + self.needle.len();
            return Some(start);
        }
        self.last = Some(start);
        self.from = start + 1;
        Some(start)
    }
}

/// The KMP failure table of `needle`: for each prefix, the length of its longest proper
/// prefix that is also its suffix.
fn kmp_table(needle: &[u8]) -> Vec<usize> {
    let mut table = vec![0; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = table[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        table[i] = k;
    }
    table
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
fn closest_passage(folded: &Folded, index: &WordIndex<'_>, needle: &str) -> Option<Range<usize>> {
    let hay = folded.as_str();
    let text_words = &index.words;
    let needle_words: Vec<&str> = words(needle).into_iter().map(|w| &needle[w]).collect();
    let wanted = needle_words.len();
    if text_words.is_empty() || wanted == 0 {
        return None;
    }

    let anchors = anchors(index, &needle_words);
    // Candidate windows: aligned so the anchor is where it is in the quote, and also
    // starting or ending at the anchor, which catches quotes with their words reordered.
    // Lengths run from a quarter fewer words than the quote has (for quotes with words
    // added) to half as many more (for quotes that left words out); for long quotes only
    // some of them are tried, to bound the work.
    let shortest = wanted.saturating_sub(1 + wanted / 4).max(1);
    let longest = wanted + 1 + wanted / 2;
    let step = ((longest - shortest) / LENGTHS).max(1);
    let lengths: Vec<usize> = (shortest..=longest).step_by(step).chain([wanted]).collect();
    let mut starts: Vec<usize> = anchors
        .iter()
        .flat_map(|&(at, in_needle)| {
            [
                at.saturating_sub(in_needle),
                at,
                (at + 1).saturating_sub(wanted),
            ]
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();

    // Each window is ranked by the share of the quote's words it holds. The windows that
    // start at the same word are counted together, longest last, each word read once: a
    // thousand candidate windows of a quote cost a few thousand word look-ups.
    let mut needle_ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut needle_counts: Vec<usize> = Vec::new();
    for word in &needle_words {
        let id = *needle_ids.entry(word).or_insert_with(|| {
            needle_counts.push(0);
            needle_counts.len() - 1
        });
        needle_counts[id] += 1;
    }
    let mut ranked: Vec<(f64, Range<usize>)> = Vec::new();
    for start in starts {
        let mut ends: Vec<usize> = lengths
            .iter()
            .map(|len| (start + len).min(text_words.len()))
            .filter(|&end| start < end)
            .collect();
        ends.sort_unstable();
        ends.dedup();
        // Each needle word counts at most as often as it occurs in the needle.
        let mut left = needle_counts.clone();
        let (mut shared, mut at) = (0, start);
        for end in ends {
            for word in &text_words[at..end] {
                if let Some(&id) = needle_ids.get(&hay[word.clone()])
                    && left[id] > 0
                {
                    left[id] -= 1;
                    shared += 1;
                }
            }
            at = end;
            ranked.push((word_dice(shared, wanted, end - start), start..end));
        }
    }
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

/// The words of a source's folded text, indexed once for all the quotes not found in it.
///
/// Without it, each missing quote read the whole source again (to split it into words and
/// to find where the quote's words occur): a thousand missing quotes against a 4 MB source
/// took twenty seconds.
pub struct WordIndex<'f> {
    /// Byte ranges of the words of the folded text, in order.
    words: Vec<Range<usize>>,
    /// Where each distinct word occurs, as indices into `words`, in text order.
    positions: FxHashMap<&'f str, Vec<usize>>,
    /// The distinct words by their length in chars, each list in order of first occurrence
    /// and each word with its [`char_mask`], for the quotes that share no word with the text
    /// (see [`similar_word_anchors`]).
    by_length: Vec<Vec<(&'f str, u64)>>,
    /// How many more word comparisons [`similar_word_anchors`] may make in this source, all
    /// quotes together; see [`SIMILAR_WORD_BUDGET`].
    budget: Cell<usize>,
}

/// How much comparing of words [`similar_word_anchors`] may do for the quotes of one source
/// that share no word with it, all together: a quick test of two words costs 1, an edit
/// distance [`EDIT_DISTANCE_COST`]. Every word of the source is looked at, so a typo in a
/// one-word quote is found in a source of millions of words; but a thousand such quotes
/// against a long text would take minutes. Past the budget (about half a second of work),
/// such a quote gets no "did you mean".
const SIMILAR_WORD_BUDGET: usize = 200_000_000;
/// What an edit distance of two words costs of [`SIMILAR_WORD_BUDGET`], against 1 for the
/// quick test before it (about its share of the time).
const EDIT_DISTANCE_COST: usize = 200;

impl<'f> WordIndex<'f> {
    /// Indexes the words of `hay`, a folded text.
    pub fn new(hay: &'f str) -> WordIndex<'f> {
        let words = words(hay);
        let mut positions: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut by_length: Vec<Vec<(&str, u64)>> = Vec::new();
        for (at, range) in words.iter().enumerate() {
            let word = &hay[range.clone()];
            let list = positions.entry(word).or_insert_with(|| {
                let len = word.chars().count();
                if by_length.len() <= len {
                    by_length.resize_with(len + 1, Vec::new);
                }
                by_length[len].push((word, char_mask(word)));
                Vec::new()
            });
            list.push(at);
        }
        WordIndex {
            words,
            positions,
            by_length,
            budget: Cell::new(SIMILAR_WORD_BUDGET),
        }
    }
}

/// Anchors for candidate windows: `(index of a text word, index of the same word in the
/// needle)`. Exact shared words, rarest in the text first; if there are none, text words
/// that are similar to a needle word.
fn anchors(index: &WordIndex<'_>, needle_words: &[&str]) -> Vec<(usize, usize)> {
    // Where each needle word occurs in the text.
    let mut shared: Vec<(&str, &[usize])> = needle_words
        .iter()
        .collect::<FxHashSet<_>>()
        .into_iter()
        .filter_map(|w| index.positions.get(w).map(|list| (*w, list.as_slice())))
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
        anchors = similar_word_anchors(index, needle_words);
    }
    anchors.truncate(ANCHORS);
    anchors
}

/// Anchors from text words that look like a needle word (a typo), for quotes that share no
/// word with the text: the first [`ANCHORS`] in text order, each with the first needle word
/// it looks like.
///
/// Each distinct text word is compared at most once with each needle word, and by edit
/// distance only when a quick lower bound of it (see [`could_be_similar`]) allows the
/// similarity wanted; the comparisons come out of the source's shared budget.
fn similar_word_anchors(index: &WordIndex<'_>, needle_words: &[&str]) -> Vec<(usize, usize)> {
    let mut verdicts: FxHashMap<&str, usize> = FxHashMap::default();
    for (in_needle, n) in needle_words.iter().enumerate() {
        let n_len = n.chars().count();
        if n_len < 3 {
            continue;
        }
        let n_mask = char_mask(n);
        for (len, list) in index.by_length.iter().enumerate() {
            // Lengths too far apart are never similar enough; skip them whole.
            if list.is_empty() || !could_be_similar(len, 0, n_len, 0) {
                continue;
            }
            for &(word, mask) in list {
                let cost = if could_be_similar(len, mask, n_len, n_mask) {
                    1 + EDIT_DISTANCE_COST
                } else {
                    1
                };
                let Some(left) = index.budget.get().checked_sub(cost) else {
                    return Vec::new();
                };
                index.budget.set(left);
                if cost > 1
                    && !verdicts.contains_key(word)
                    && strsim::normalized_damerau_levenshtein(word, n) >= WORD_SIMILARITY
                {
                    verdicts.insert(word, in_needle);
                }
            }
        }
    }
    // The first occurrences of the similar words, in text order.
    let mut anchors: Vec<(usize, usize)> = verdicts
        .iter()
        .flat_map(|(word, &in_needle)| {
            index.positions[word]
                .iter()
                .take(ANCHORS)
                .map(move |&at| (at, in_needle))
        })
        .collect();
    anchors.sort_unstable();
    anchors.truncate(ANCHORS);
    anchors
}

/// Whether two words of `a_len` and `b_len` chars, with the [`char_mask`]s `a_mask` and
/// `b_mask`, may be similar enough ([`WORD_SIMILARITY`]) by normalized Damerau–Levenshtein
/// distance, `1 - d / max(a_len, b_len)`. It uses two lower bounds of `d`: the difference of
/// the lengths, and the number of chars (bits of the masks) of either word that the other
/// lacks, as each of those needs an edit of its own (a substitution mends at most one on
/// each side, a transposition none). So a false is certain; a true must be checked.
fn could_be_similar(a_len: usize, a_mask: u64, b_len: usize, b_mask: u64) -> bool {
    let missing = (a_mask & !b_mask)
        .count_ones()
        .max((b_mask & !a_mask).count_ones()) as usize;
    let d = a_len.abs_diff(b_len).max(missing);
    let longest = a_len.max(b_len);
    // `1 - d / longest >= WORD_SIMILARITY`, with a little room for rounding, as the edit
    // distance decides the rest.
    d as f64 <= (1.0 - WORD_SIMILARITY) * longest as f64 + 1e-9
}

/// The chars of a word as a set of 64 bits (a char sets bit `c mod 64`). Chars that share a
/// bit only make [`could_be_similar`]'s bound smaller, never wrong.
fn char_mask(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| mask | 1 << (c as u32 % 64))
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
pub(crate) fn words(text: &str) -> Vec<Range<usize>> {
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

    /// Every start of `needle` in `hay`, the slow way.
    fn naive_occurrences(hay: &[u8], needle: &[u8]) -> Vec<usize> {
        (0..hay.len())
            .filter(|&i| !needle.is_empty() && hay[i..].starts_with(needle))
            .collect()
    }

    proptest! {
        /// memchr, then KMP from the first overlap: the same occurrences as trying each place.
        #[test]
        fn occurrences_are_every_place_the_needle_starts(
            hay in "[ab]{0,60}",
            needle in "[ab]{1,6}",
            prefix in "[ab ]{0,5}",
        ) {
            let hay = format!("{prefix}{hay}");
            prop_assert_eq!(
                Occurrences::new(hay.as_bytes(), needle.as_bytes()).collect::<Vec<_>>(),
                naive_occurrences(hay.as_bytes(), needle.as_bytes())
            );
        }
    }

    #[test]
    fn occurrences_far_apart_then_overlapping() {
        let hay = b"xaax aaaaa x aa";
        assert_eq!(
            Occurrences::new(hay, b"aa").collect::<Vec<_>>(),
            naive_occurrences(hay, b"aa")
        );
    }

    /// A 40 kB quote that occurs at every third byte of 1 MB: searching again after each
    /// occurrence read the whole quote each time (about 10^10 steps); KMP reads the text
    /// once. The bound is generous, for slow machines and debug builds.
    #[test]
    fn a_long_quote_in_repetitive_text_is_counted_in_linear_time() {
        let text = "ha ".repeat(1_000_000 / 3);
        let quote = "ha ".repeat(40_000 / 3);
        let start = std::time::Instant::now();
        let QuoteMatch::Found { range, also } = find(&text, quote.trim_end()) else {
            panic!("not found");
        };
        assert_eq!(range.start, 0);
        assert_eq!(
            also.len() + 1,
            (text.len() - quote.trim_end().len()) / 3 + 1
        );
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }

    /// Quotes that are not in a 1 MB source share one index of its words: each costs about
    /// its own length, not the source's (which made a thousand of them take twenty seconds
    /// in 4 MB), and each gets the same "did you mean" as when looked up alone.
    #[test]
    fn missing_quotes_share_the_index_of_the_source() {
        let words: Vec<String> = (0..150_000)
            .map(|i| format!("w{}x{}", i % 997, i % 13))
            .collect();
        let text = words.join(" ");
        let folded = Folded::new(&text);
        let index = OnceCell::new();
        let quotes: Vec<String> = (0..300)
            .map(|k| match k % 10 {
                0..=7 => {
                    let at = k * 400;
                    let mut q = words[at..at + 10].to_vec();
                    q[4] = "changed".into();
                    q.join(" ")
                }
                8 => format!("{}q", words[k * 7]),
                _ => "zzzz qqqq".into(),
            })
            .collect();
        let start = std::time::Instant::now();
        let shared: Vec<QuoteMatch> = quotes
            .iter()
            .map(|q| find_quote_with(&text, &folded, &index, q))
            .collect();
        assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
        for k in [0, 8, 9, 150, 298, 299] {
            assert_eq!(
                shared[k],
                find_quote(&text, &folded, &quotes[k]),
                "{}",
                quotes[k]
            );
        }
        let suggested = shared
            .iter()
            .filter(|m| matches!(m, QuoteMatch::NotFound { closest: Some(_) }))
            .count();
        assert!(suggested >= 200, "{suggested} suggestions");
    }

    #[test]
    fn the_quick_bound_never_rules_out_a_similar_word() {
        let words = [
            "medinsky",
            "medinksy",
            "medinskyi",
            "mdinsky",
            "kyiv",
            "kiev",
            "kyyiv",
            "istanbul",
            "istambul",
            "ıstanbul",
        ];
        for a in words {
            for b in words {
                let similar = strsim::normalized_damerau_levenshtein(a, b) >= WORD_SIMILARITY;
                let (la, lb) = (a.chars().count(), b.chars().count());
                if similar {
                    assert!(
                        could_be_similar(la, char_mask(a), lb, char_mask(b)),
                        "{a} {b}"
                    );
                }
            }
        }
    }
}
