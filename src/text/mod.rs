//! Matching text the way a reader would: quotes in sources and names in texts.
//!
//! Everything here compares *folded* text ([`fold()`]): case, typographic quotes and dashes,
//! invisible characters and runs of white space do not matter, diacritics do. Ranges handed
//! back always point into the original text, so a match can be highlighted as it was written.
//!
//! - [`mod@fold`]: the folding rules, [`Folded`] (a folded text with a map back to the original);
//! - [`quote`]: [`find_quote`], whether a cited quote occurs in a source, or what is closest;
//! - [`mention`]: [`MentionFinder`], where item names and aliases occur in a text.

pub mod fold;
pub mod mention;
pub mod quote;

pub use fold::{Folded, fold};
pub use mention::{Mention, MentionFinder};
pub use quote::{QuoteMatch, find_quote};
