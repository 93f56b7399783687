//! `reviewed:`, the editor's acknowledgements: on a claim, an item, a dispute position or a
//! source's front matter, a map from the name of a kind of review finding to a note saying
//! why it stands (`reviewed: { single-source: "Only Reuters had it; checked by phone" }`).
//!
//! Load only reads the map; what the names mean, and whether a finding is acknowledged, is
//! the review's business (`brief review`), which sits on top of the library.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::yaml::Doc;
use crate::diagnostics::Location;

/// The raw YAML value: finding name → note.
pub(crate) type RawReviewed = Option<BTreeMap<String, Spanned<String>>>;

/// The acknowledgements written on one claim, item, position or source, in name order.
#[derive(Debug, Clone, Default)]
pub struct Reviewed(pub Vec<Acknowledged>);

/// One acknowledgement: a kind of finding, by its stable name, and the editor's note.
#[derive(Debug, Clone)]
pub struct Acknowledged {
    /// The finding's name as written (`single-source`), trimmed.
    pub kind: String,
    /// The note, trimmed.
    pub note: String,
    /// Where the note is written.
    pub location: Location,
}

impl Reviewed {
    /// The acknowledgements of a `reviewed:` map.
    pub(crate) fn of(doc: &Doc, raw: RawReviewed) -> Reviewed {
        Reviewed(
            raw.unwrap_or_default()
                .into_iter()
                .map(|(kind, note)| Acknowledged {
                    kind: kind.trim().to_string(),
                    location: doc.loc(&note),
                    note: note.value.trim().to_string(),
                })
                .collect(),
        )
    }

    /// The note acknowledging the finding named `kind`, if there is one.
    pub fn note(&self, kind: &str) -> Option<&Acknowledged> {
        self.0.iter().find(|a| a.kind == kind)
    }
}

/// No page shows the editor's notes: they tell a page's fingerprint nothing.
impl std::hash::Hash for Reviewed {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}
