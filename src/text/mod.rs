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
pub use quote::{QuoteMatch, find_quote};

use std::borrow::Cow;

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

/// Whether `s` has no white space but single spaces between words. Byte by byte, decoding
/// only what is not ASCII: this runs over every passage of a briefing several times a build.
fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
            i += 1;
        } else if b.is_ascii() {
            // `char::is_whitespace` also counts the vertical tab, which `u8` does not.
            if b.is_ascii_whitespace() || b == 0x0b {
                return false;
            }
            after_space = false;
            i += 1;
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                return false;
            }
            after_space = false;
            i += c.len_utf8();
        }
    }
    !after_space
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
}
