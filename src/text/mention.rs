//! Finding mentions of annotated items (people, places, …) in texts.
//!
//! Every name and alias of every item is folded (see [`mod@super::fold`]) and put into one
//! Aho–Corasick automaton, which is built once and then scans each text in a single pass,
//! however many names there are.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use rustc_hash::FxHashSet;

use super::fold::{Folded, fold};
use super::quote::is_word_char;

/// One mention of an item in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range of the mention in the original text.
    pub range: Range<usize>,
    /// The owner index given with the name to [`MentionFinder::new`].
    pub owner: usize,
}

/// Finds names and aliases of items in texts: one aho-corasick automaton over all folded
/// names.
#[derive(Debug, Clone)]
pub struct MentionFinder {
    /// `None` when there are no names (or, in theory, too many for an automaton).
    automaton: Option<AhoCorasick>,
    /// Owner of each pattern of the automaton, by pattern index.
    owners: Vec<usize>,
}

impl MentionFinder {
    /// Builds the finder.
    ///
    /// `names`: (name or alias, owner index). Names are folded, so case, typographic quotes
    /// and spacing do not matter. Empty or blank names are ignored; the same name for two
    /// owners: the first wins.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, usize)>) -> MentionFinder {
        let mut seen = FxHashSet::default();
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (name, owner) in names {
            let folded = fold(name);
            if !folded.is_empty() && seen.insert(folded.clone()) {
                patterns.push(folded);
                owners.push(owner);
            }
        }
        // A DFA scans several times faster than the default automaton; a briefing's names
        // make a small one. Past the DFA's size limit, the default is built instead; that
        // only fails far beyond any briefing's names, and then nothing is found rather than
        // a panic.
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                // Unanchored to scan for the next mention, anchored to retry a shorter name
                // where the longest one is not a whole word.
                .start_kind(StartKind::Both)
                .kind(kind)
                .build(&patterns)
                .ok()
        };
        let automaton = build(Some(aho_corasick::AhoCorasickKind::DFA)).or_else(|| build(None));
        MentionFinder { automaton, owners }
    }

    /// Non-overlapping mentions as original byte ranges, in text order, leftmost-longest,
    /// whole words only (the char before and after the match in the original must not be
    /// alphanumeric, nor a combining mark), so "Medinsky" is not found in "Medinskyi" and
    /// "Istanbul talks" wins over "Istanbul" where both fit.
    ///
    /// `folded` must be `Folded::new(original)`. A longer name that is not a whole word does
    /// not hide a shorter one at the same place: with names "Istanbul" and "Istanbul talk",
    /// "Istanbul talks" mentions "Istanbul".
    pub fn find(&self, original: &str, folded: &Folded) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let hay = folded.as_str();
        let mut mentions = Vec::new();
        let mut from = 0;
        while from < hay.len() {
            // The leftmost (then longest) name starting at or after `from`.
            let Some(found) = search(automaton, Input::new(hay).range(from..)) else {
                break;
            };
            let start = found.start();
            let mut candidate = Some(found);
            let mut accepted = None;
            while let Some(m) = candidate {
                if let Some(range) = whole_word(original, folded, m.start()..m.end()) {
                    accepted = Some((m, range));
                    break;
                }
                // Not a whole word: try the longest name at the same start that ends
                // earlier. Names are never empty and every retry ends strictly earlier, so
                // this loop ends.
                let shorter = Input::new(hay).range(start..m.end() - 1);
                candidate = search(automaton, shorter.anchored(Anchored::Yes));
            }
            from = match accepted {
                Some((m, range)) => {
                    let owner = self.owners.get(m.pattern().as_usize());
                    mentions.push(Mention {
                        range,
                        owner: owner.copied().unwrap_or_default(),
                    });
                    m.end()
                }
                // No name fits here; one may still start inside the rejected ones.
                None => start + hay[start..].chars().next().map_or(1, char::len_utf8),
            };
        }
        mentions
    }
}

/// `automaton.find`, which panics on a search the automaton was not built for; the
/// automaton is built for both unanchored and anchored searches, so that never happens, and
/// this is the total version that would just find nothing.
fn search(automaton: &AhoCorasick, input: Input<'_>) -> Option<aho_corasick::Match> {
    automaton.try_find(input).ok().flatten()
}

/// The original range of the folded match `m` if it is a whole word there: it neither starts
/// nor ends inside a unit of the original, and the chars around it in the original are not
/// letters, digits or combining marks.
fn whole_word(original: &str, folded: &Folded, m: Range<usize>) -> Option<Range<usize>> {
    if !folded.is_unit_boundary(m.start) || !folded.is_unit_boundary(m.end) {
        return None;
    }
    let range = folded.original_range(m);
    // `get` rather than indexing: a `folded` made from another text must not panic.
    let before = original.get(..range.start)?.chars().next_back();
    let after = original.get(range.end..)?.chars().next();
    if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
        return None;
    }
    Some(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Mentions of `names` (owner = index in the list) in `text`, as (text, owner) pairs.
    fn mentions<'a>(names: &[&str], text: &'a str) -> Vec<(&'a str, usize)> {
        let finder = MentionFinder::new(names.iter().enumerate().map(|(i, n)| (*n, i)));
        finder
            .find(text, &Folded::new(text))
            .into_iter()
            .map(|m| (&text[m.range], m.owner))
            .collect()
    }

    #[test]
    fn cyrillic_names_are_found_as_folding_says() {
        let names = ["Мединский", "Мар\u{2BC}їнка", "Київ", "Алёксей Полищук"];
        let text = "МЕДИНСКИЙ и Мединского; Мар’їнка, Киев и Київ; Алексей Полищук.";
        assert_eq!(
            mentions(&names, text),
            [
                ("МЕДИНСКИЙ", 0),
                ("Мар’їнка", 1),
                ("Київ", 2),
                ("Алексей Полищук", 3)
            ]
        );
    }

    #[test]
    fn many_thousands_of_names_are_still_found() {
        let names: Vec<String> = (0..50_000)
            .map(|i| format!("Person Number {i} of the Briefing"))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let text = "Talks with person number 31337 of the briefing began.";
        assert_eq!(
            mentions(&refs, text),
            [("person number 31337 of the briefing", 31337)]
        );
    }

    #[test]
    fn finds_names_and_aliases_in_text_order() {
        let finder = MentionFinder::new([
            ("Vladimir Medinsky", 0),
            ("Medinsky", 0),
            ("Rustem Umerov", 1),
            ("Umerov", 1),
        ]);
        let text = "Umerov met Vladimir Medinsky; later Medinsky left.";
        let found = finder.find(text, &Folded::new(text));
        assert_eq!(
            found,
            vec![
                Mention {
                    range: 0..6,
                    owner: 1
                },
                Mention {
                    range: 11..28,
                    owner: 0
                },
                Mention {
                    range: 36..44,
                    owner: 0
                },
            ]
        );
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(
            mentions(&["Medinsky"], "Medinskyi and Medinsky's"),
            vec![("Medinsky", 0)]
        );
        assert_eq!(
            mentions(&["Kyiv"], "xKyiv Kyiv2 Kyiv-based (Kyiv)"),
            vec![("Kyiv", 0), ("Kyiv", 0)]
        );
    }

    #[test]
    fn longest_name_wins() {
        assert_eq!(
            mentions(
                &["Istanbul", "Istanbul talks"],
                "The Istanbul talks in Istanbul"
            ),
            vec![("Istanbul talks", 1), ("Istanbul", 0)]
        );
    }

    #[test]
    fn rejected_longer_name_does_not_hide_a_shorter_one() {
        // "istanbul talk" matches the start of "Istanbul talks" but is not a whole word;
        // "Istanbul" is.
        assert_eq!(
            mentions(&["Istanbul talk", "Istanbul"], "Istanbul talks"),
            vec![("Istanbul", 1)]
        );
        // Nor does it hide a name that starts inside it.
        assert_eq!(mentions(&["xa b", "b c"], "yxa b c"), vec![("b c", 1)]);
        assert_eq!(
            mentions(&["ab", "b"], "ab! cab b"),
            vec![("ab", 0), ("b", 1)]
        );
    }

    #[test]
    fn folding_applies_to_names_and_text() {
        assert_eq!(
            mentions(
                &["Çırağan Palace", "Kyiv’s"],
                "At the ÇIRAĞAN\npalace, Kyiv's envoy"
            ),
            vec![("ÇIRAĞAN\npalace", 0), ("Kyiv's", 1)]
        );
        assert_eq!(
            mentions(&["Medinsky"], "Me\u{AD}dinsky"),
            vec![("Me\u{AD}dinsky", 0)]
        );
    }

    #[test]
    fn first_owner_of_a_name_wins_and_blank_names_are_ignored() {
        assert_eq!(
            mentions(&["Istanbul", "ISTANBUL", "", "  "], "istanbul"),
            vec![("istanbul", 0)]
        );
        assert!(mentions(&[], "anything").is_empty());
        assert!(mentions(&["", " \n"], "anything").is_empty());
    }

    #[test]
    fn multibyte_text_around_mentions() {
        assert_eq!(
            mentions(
                &["Мединский", "Medinsky"],
                "«Мединский» — Medinsky😀, Мединскийй"
            ),
            vec![("Мединский", 0), ("Medinsky", 1)]
        );
        // A combining mark after the name makes it another word.
        assert!(mentions(&["Medinsk"], "Medinsk\u{301}y").is_empty());
        assert!(mentions(&["cafe"], "cafe\u{301}").is_empty());
    }

    fn tricky_string() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'b', ' ', ' ', '\n', 'I', 'İ', 'ı', 'ß', '\u{301}', '\u{AD}', '’', '\'', '…', '.',
            '😀', 'д', 'Д',
        ]);
        prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn mentions_are_ordered_disjoint_and_on_char_boundaries(
            names in prop::collection::vec(tricky_string(), 0..6),
            text in prop_oneof![tricky_string(), any::<String>()],
        ) {
            let finder = MentionFinder::new(names.iter().enumerate().map(|(i, n)| (n.as_str(), i)));
            let found = finder.find(&text, &Folded::new(&text));
            let mut last_end = 0;
            for m in found {
                prop_assert!(last_end <= m.range.start && m.range.start < m.range.end);
                prop_assert!(m.range.end <= text.len());
                prop_assert!(text.is_char_boundary(m.range.start));
                prop_assert!(text.is_char_boundary(m.range.end));
                prop_assert!(m.owner < names.len());
                prop_assert_eq!(fold(&text[m.range.clone()]), fold(&names[m.owner]));
                last_end = m.range.end;
            }
        }
    }
}
