//! Claim ids: what names a claim in its anchor, its permalink and the exports, so that a
//! claim keeps them when claims are added, removed or reordered around it.
//!
//! A claim's id is its `id:` when it has one (a slug, checked like item ids), else derived
//! from its text: the first [`SLUG_WORDS`] words of its plain text as a slug, `-`, and the
//! first [`HASH_HEX`] hex digits of the SHA-256 of its normalized text (see [`derive`]).

use unicode_normalization::UnicodeNormalization;

/// Words of the claim's text in the readable part of a derived id.
const SLUG_WORDS: usize = 5;
/// The readable part is cut at a word to at most this many bytes.
const SLUG_MAX: usize = 40;
/// Hex digits of the hash in a derived id (24 bits: two different claims of one item share
/// them about once in 16 million pairs).
const HASH_HEX: usize = 6;

/// The id derived from a claim's text (its Markdown as written).
///
/// The hash is of the *normalized* text: Unicode NFC, white space collapsed to one space and
/// trimmed, so that re-wrapping a YAML line keeps the id; any other change of the text makes
/// a new one. The readable part is the text without its citations and markup, each letter
/// lower-cased and stripped of its accents (`Çırağan` → `ciragan`), runs of anything but
/// ASCII letters and digits becoming `-`; a text with no such letters gives `claim`.
pub(crate) fn derive(markdown_text: &str) -> String {
    let normalized: String = crate::text::collapse_white_space(markdown_text.trim())
        .nfc()
        .collect();
    let mut hash = crate::digest::Sha256::of(&normalized).to_string();
    hash.truncate(HASH_HEX);
    let plain = crate::markdown::plain_text(markdown_text);
    let mut slug = String::new();
    for word in ascii_words(&plain).iter().take(SLUG_WORDS) {
        if !slug.is_empty() && slug.len() + 1 + word.len() > SLUG_MAX {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        // A single word longer than the limit is cut (on ASCII, so at a char boundary).
        slug.push_str(&word[..word.len().min(SLUG_MAX)]);
    }
    if slug.is_empty() {
        slug.push_str("claim");
    }
    format!("{slug}-{hash}")
}

/// The words of `text` as lower-case ASCII: accents dropped (NFD without its marks), the
/// Turkish dotless `ı` read as `i`; any other character separates words.
fn ascii_words(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'ı' => folded.push('i'),
            c if c.is_ascii_alphanumeric() => folded.push(c.to_ascii_lowercase()),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_id_is_readable_and_depends_on_the_text_only() {
        let id = derive("Led the Russian delegation at the second round in Istanbul.");
        assert!(id.starts_with("led-the-russian-delegation-at-"), "{id}");
        assert_eq!(id.len(), "led-the-russian-delegation-at-".len() + HASH_HEX);
        assert!(crate::load::is_valid_id(&id));
        // Re-wrapped, the same id; one word changed, another.
        assert_eq!(
            id,
            derive("  Led the Russian delegation\n  at the second round in Istanbul. ")
        );
        assert_ne!(
            id,
            derive("Led the Russian delegation at the third round in Istanbul.")
        );
        // The same on every machine and in every version: the hash is SHA-256's.
        assert_eq!(derive("abc"), "abc-ba7816");
    }

    #[test]
    fn accents_citations_and_markup_leave_the_readable_part() {
        let id = derive("Met at **Çırağan** Palace [@preview \"the palace\"] on [Monday](/x/).");
        assert!(id.starts_with("met-at-ciragan-palace-on-"), "{id}");
        assert!(derive("— « » —").starts_with("claim-"));
        let long = derive("Supercalifragilisticexpialidociousandmoreandmoreandmore word");
        assert!(crate::load::is_valid_id(&long), "{long}");
        assert_eq!(long.len(), SLUG_MAX + 1 + HASH_HEX);
    }
}
