//! Matching text the way a reader would: quotes in sources and names in texts.
//!
//! Everything here compares *folded* text ([`fold()`]): case, typographic quotes and dashes,
//! invisible characters and runs of white space do not matter, diacritics do. Ranges handed
//! back always point into the original text, so a match can be highlighted as it was written.
//!
//! - [`mod@fold`]: the folding rules, [`Folded`] (a folded text with a map back to the original);
//! - [`quote`]: [`find_quote`], whether a cited quote occurs in a source, or what is closest;
//! - [`mention`]: [`MentionFinder`], where item names and aliases occur in a text;
//! - [`collapse_white_space`], text as it is shown in one line (notes, excerpts, hints).

pub mod fold;
pub mod mention;
pub mod quote;

pub use fold::{Folded, fold};
pub use mention::{Mention, MentionFinder};
pub use quote::{QuoteMatch, WordIndex, find_quote, find_quote_with};

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::{memchr_iter, memchr2, memchr3, memchr3_iter, memmem};

/// `s` with every run of white space as one space and none at either end; borrowed when it
/// already is so (most passages are).
pub fn collapse_white_space(s: &str) -> Cow<'_, str> {
    if is_collapsed(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Cow::Owned(out)
}

/// Whether `s` has no white space but single spaces between words.
///
/// This runs over every passage of a briefing several times a build, and most passages are
/// collapsed, so it is built from memchr's fast searches: for two spaces, for ASCII white
/// space other than the space, and for the lead bytes of the non-ASCII white space chars,
/// where alone a char is decoded.
fn is_collapsed(s: &str) -> bool {
    static TWO_SPACES: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"  "));
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(b' '), _) | (_, Some(b' ')) | (None, None) => return false,
        _ => {}
    }
    if TWO_SPACES.find(bytes).is_some()
        // `char::is_whitespace` also counts the vertical tab and form feed.
        || memchr3(b'\t', b'\n', b'\r', bytes).is_some()
        || memchr2(b'\x0B', b'\x0C', bytes).is_some()
    {
        return false;
    }
    // Non-ASCII white space is U+0085 and U+00A0 (UTF-8 lead byte 0xC2), U+1680 (0xE1),
    // U+2000 to U+205F (0xE2) and U+3000 (0xE3).
    let is_space_at = |at: usize| s[at..].chars().next().is_some_and(char::is_whitespace);
    !(memchr3_iter(0xC2, 0xE1, 0xE2, bytes).any(is_space_at)
        || memchr_iter(0xE3, bytes).any(is_space_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_and_clean_text_is_borrowed() {
        assert!(matches!(
            collapse_white_space("a b c"),
            Cow::Borrowed("a b c")
        ));
        assert_eq!(collapse_white_space("  a\n\tb \u{a0} c "), "a b c");
        assert_eq!(collapse_white_space("a  b"), "a b");
        assert_eq!(collapse_white_space(""), "");
        assert_eq!(collapse_white_space("   "), "");
        assert_eq!(collapse_white_space("a\u{2003}b\u{b}c "), "a b c");
        assert!(matches!(
            collapse_white_space("Çırağan – İstanbul"),
            Cow::Borrowed(_)
        ));
    }

    /// Every white space char by `char::is_whitespace`, ASCII and not.
    fn white_space_chars() -> Vec<char> {
        let chars: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let expected = [
            '\t', '\n', '\u{B}', '\u{C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}',
            '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}',
            '\u{2008}', '\u{2009}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}',
            '\u{3000}',
        ];
        assert_eq!(
            chars, expected,
            "is_collapsed knows the lead bytes of these"
        );
        chars
    }

    #[test]
    fn every_white_space_char_is_collapsed() {
        for c in white_space_chars() {
            // A single space between words is what collapsed text has.
            let between = (c != ' ').then(|| format!("a{c}b"));
            for text in between.into_iter().chain([
                format!("{c}ab"),
                format!("ab{c}"),
                format!("a {c}b"),
                format!("a{c} b"),
                format!("«Мединский»{c}— “да”…{c}"),
            ]) {
                assert!(!is_collapsed(&text), "{text:?}");
                let collapsed = collapse_white_space(&text);
                assert!(matches!(collapsed, Cow::Owned(_)), "{text:?}");
                let words: Vec<&str> = text.split_whitespace().collect();
                assert_eq!(collapsed, words.join(" "), "{text:?}");
            }
        }
    }

    #[test]
    fn non_ascii_text_without_white_space_is_collapsed() {
        // Chars that share a lead byte with white space (0xC2, 0xE1, 0xE2, 0xE3) or only
        // their continuation bytes, and chars around the white space chars.
        let words = [
            "\u{84}\u{86}\u{9F}\u{A1}©«»",
            "\u{167F}\u{1681}ᚁᛒ",
            "\u{1FFF}\u{200B}\u{200D}“”‘’–—…\u{2027}\u{202A}\u{2030}\u{205E}\u{2060}€",
            "\u{2FFF}\u{3001}。「」ひらがな",
            "Мединский",
            "Çırağan",
            "😀👍🏽",
        ];
        let text = words.join(" ");
        assert!(is_collapsed(&text));
        assert!(matches!(collapse_white_space(&text), Cow::Borrowed(_)));
        let long = [text.as_str(); 50].join(" ");
        assert!(is_collapsed(&long));
        assert!(!is_collapsed(&format!("{long}\u{3000}{long}")));
        assert!(!is_collapsed(&format!("{long}  {long}")));
        assert!(!is_collapsed(&format!("{long}\u{0B}{long}")));
    }

    #[test]
    fn is_collapsed_agrees_with_collapsing() {
        let chars = [
            'a', 'é', 'д', ' ', '\n', '\u{A0}', '\u{2009}', '“', '\u{3001}',
        ];
        // Every string of up to four of these chars.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| chars.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        for text in texts {
            let words: Vec<&str> = text.split_whitespace().collect();
            let collapsed = words.join(" ");
            assert_eq!(
                is_collapsed(&text),
                !text.is_empty() && text == collapsed,
                "{text:?}"
            );
            assert_eq!(collapse_white_space(&text), collapsed);
        }
    }
}
