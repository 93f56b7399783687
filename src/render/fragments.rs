//! Text fragments (`#:~:text=…`, the WICG Text Fragments draft) that lead a reader from a
//! note to the cited words on the original page.
//!
//! A browser highlights the *first* place on the page where the fragment's opening words
//! occur. Where those words occur more than once in the source, the fragment adds the words
//! just before and after the passage in its paragraph (`prefix-,` and `,-suffix`), so that it
//! lands on the passage cited, not on an earlier look-alike.
//!
//! Whether the opening words repeat is a property of the source, worked out once per source
//! (one Aho-Corasick pass over its text for all its passages) when a note first needs it,
//! not once per note: a long source cited hundreds of times would otherwise be read once for
//! every note of every page.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::resolve::{Briefing, ResolvedSource, SourceId};
use crate::text::collapse_white_space;

/// A passage of at most this many words is given whole; a longer one by its first and last
/// [`EDGE_WORDS`] words (`start,end`).
const WHOLE_WORDS: usize = 8;
/// Words of a long passage's start and end terms.
const EDGE_WORDS: usize = 4;
/// Words of context in a `prefix-` or `-suffix`.
const CONTEXT_WORDS: usize = 3;

/// The text fragment of each cited passage of each source, made when first asked for.
pub(super) struct TextFragments {
    by_source: Vec<OnceLock<Vec<String>>>,
}

impl TextFragments {
    pub(super) fn new(b: &Briefing) -> TextFragments {
        TextFragments {
            by_source: b.sources.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The directive value (what follows `#:~:text=`) for passage `passage` of `source`.
    pub(super) fn of<'a>(&'a self, b: &Briefing, source: SourceId, passage: usize) -> &'a str {
        let all = self.by_source[source.0 as usize]
            .get_or_init(|| of_source(&b.sources[source.0 as usize]));
        all.get(passage).map(String::as_str).unwrap_or_default()
    }
}

/// What a fragment names of one passage: its terms, and its context when they repeat.
struct Terms {
    start: String,
    end: Option<String>,
    prefix: String,
    suffix: String,
}

/// The fragments of every passage of `s`.
fn of_source(s: &ResolvedSource) -> Vec<String> {
    let text = s.source.text();
    let terms: Vec<Terms> = s
        .passages
        .iter()
        .map(|r| terms(text, r.start, r.end))
        .collect();
    let repeated = repeated_starts(text, &terms);
    terms
        .iter()
        .zip(repeated)
        .map(|(t, repeated)| directive(t, repeated))
        .collect()
}

/// The start and end terms of the passage `text[start..end]`, and the words around it in
/// its paragraph (a line of the source's text).
fn terms(text: &str, start: usize, end: usize) -> Terms {
    let passage = collapse_white_space(&text[start..end]);
    let words: Vec<&str> = passage.split_whitespace().collect();
    let (start_term, end_term) = if words.len() <= WHOLE_WORDS {
        (words.join(" "), None)
    } else {
        (
            words[..EDGE_WORDS].join(" "),
            Some(words[words.len() - EDGE_WORDS..].join(" ")),
        )
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let before: Vec<&str> = text[line_start..start].split_whitespace().collect();
    let after: Vec<&str> = text[end..line_end].split_whitespace().collect();
    Terms {
        start: start_term,
        end: end_term,
        prefix: before[before.len().saturating_sub(CONTEXT_WORDS)..].join(" "),
        suffix: after[..after.len().min(CONTEXT_WORDS)].join(" "),
    }
}

/// For each passage, whether its start term occurs more than once in the source's text
/// (white space collapsed, ASCII letters of either case, as browsers match).
fn repeated_starts(text: &str, terms: &[Terms]) -> Vec<bool> {
    // One pattern per distinct start term (two passages may open alike).
    let mut patterns: Vec<&str> = Vec::new();
    let mut pattern_of: FxHashMap<&str, usize> = FxHashMap::default();
    let ids: Vec<Option<usize>> = terms
        .iter()
        .map(|t| {
            (!t.start.is_empty()).then(|| {
                *pattern_of.entry(t.start.as_str()).or_insert_with(|| {
                    patterns.push(t.start.as_str());
                    patterns.len() - 1
                })
            })
        })
        .collect();
    // A contiguous NFA: one search per source does not repay building a DFA, which took
    // most of this file's time when it was the builder's choice.
    let automaton = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&patterns);
    // Past the automaton's limits, say nothing rather than guess.
    let Ok(automaton) = automaton else {
        return vec![false; terms.len()];
    };
    let hay = collapse_white_space(text);
    let mut seen = vec![0u32; patterns.len()];
    for m in automaton.find_overlapping_iter(hay.as_ref()) {
        seen[m.pattern().as_usize()] += 1;
    }
    ids.iter()
        .map(|id| id.is_some_and(|i| seen[i] > 1))
        .collect()
}

/// The directive value: `[prefix-,]start[,end][,-suffix]`, each term percent-encoded; the
/// context only when the start term repeats.
fn directive(t: &Terms, repeated: bool) -> String {
    if t.start.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    if repeated && !t.prefix.is_empty() {
        out.push_str(&encode(&t.prefix));
        out.push_str("-,");
    }
    out.push_str(&encode(&t.start));
    if let Some(end) = &t.end {
        out.push(',');
        out.push_str(&encode(end));
    }
    if repeated && !t.suffix.is_empty() {
        out.push_str(",-");
        out.push_str(&encode(&t.suffix));
    }
    out
}

/// A term percent-encoded so that `-`, `,` and `&` (which have meanings in the directive)
/// and everything but unreserved ASCII stay literal.
fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(text: &str, passage: &str) -> String {
        let start = text.find(passage).expect("the passage");
        let t = terms(text, start, start + passage.len());
        let repeated = repeated_starts(text, std::slice::from_ref(&t))[0];
        directive(&t, repeated)
    }

    #[test]
    fn terms_encode_the_directive_characters() {
        assert_eq!(encode("a-b, c&d"), "a%2Db%2C%20c%26d");
        assert_eq!(fragment("x a-b, c&d y", "a-b, c&d"), "a%2Db%2C%20c%26d");
    }

    #[test]
    fn a_long_passage_is_given_by_its_first_and_last_words() {
        let text = "one two three four five six seven eight nine";
        assert_eq!(
            fragment(text, text),
            "one%20two%20three%20four,six%20seven%20eight%20nine"
        );
    }

    #[test]
    fn a_unique_quote_has_no_context() {
        let text = "Talks resumed in Istanbul.\nThe delegations met at the palace on Monday.";
        assert_eq!(
            fragment(text, "met at the palace"),
            "met%20at%20the%20palace"
        );
    }

    #[test]
    fn a_repeated_quote_carries_the_words_around_it_in_its_paragraph() {
        // "the talks" occurs twice (once in another case): the second is cited.
        let text = "The talks began.\nOn Monday, the envoy said the talks would resume soon.";
        let at = text.rfind("the talks").expect("second");
        let t = terms(text, at, at + "the talks".len());
        let repeated = repeated_starts(text, std::slice::from_ref(&t))[0];
        assert!(repeated);
        assert_eq!(
            directive(&t, repeated),
            "the%20envoy%20said-,the%20talks,-would%20resume%20soon."
        );
    }

    #[test]
    fn context_stops_at_the_paragraph() {
        let text = "a quote here.\na quote there";
        let at = text.rfind("a quote").expect("second");
        let t = terms(text, at, at + "a quote".len());
        assert_eq!(t.prefix, "");
        assert_eq!(t.suffix, "there");
        assert_eq!(directive(&t, true), "a%20quote,-there");
    }

    #[test]
    fn a_long_passage_whose_opening_words_repeat_gets_context() {
        let text = "In the end the sides agreed.\nThey said: in the end the sides agreed on prisoners and on a memorandum.";
        let passage = "in the end the sides agreed on prisoners and on a memorandum";
        let t = terms(
            text,
            text.find(passage).unwrap(),
            text.find(passage).unwrap() + passage.len(),
        );
        let repeated = repeated_starts(text, std::slice::from_ref(&t))[0];
        assert!(repeated, "“in the end the” opens both");
        assert_eq!(
            directive(&t, repeated),
            "They%20said%3A-,in%20the%20end%20the,and%20on%20a%20memorandum,-."
        );
    }
}
