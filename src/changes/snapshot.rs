//! A [`Snapshot`]: what an edition of a briefing holds, as far as the changes page compares
//! it. Made from a resolved briefing (this build's, or the one at a git ref) or from a
//! previous build's briefing.json, so the comparison ([`super::diff`]) is one function
//! whatever the baseline.
//!
//! It holds only what briefing.json carries: a snapshot made from a briefing and one made
//! from that briefing's briefing.json are equal (a unit test holds them to it).

use serde::Deserialize;

use crate::resolve::{Briefing, CitationId};

/// One edition of a briefing: its sources and items, in the briefing's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// site.toml's `edition`, when it names one.
    pub edition: Option<String>,
    pub sources: Vec<SourceSnap>,
    pub items: Vec<ItemSnap>,
}

/// A source: its id and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSnap {
    pub id: String,
    pub title: String,
}

/// An item: what names it, its claims and (a dispute's) positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSnap {
    pub id: String,
    /// The id of its collection.
    pub collection: String,
    /// Its kind, as YAML names it (`person`, `dispute` …).
    pub kind: String,
    pub name: String,
    pub claims: Vec<ClaimSnap>,
    /// A dispute's positions; `None` when the baseline does not record them (a briefing.json
    /// of an older brief), so that they are not compared.
    pub positions: Option<Vec<PositionSnap>>,
}

/// A claim: its stable id and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSnap {
    pub id: String,
    /// Its Markdown with white space collapsed (re-wrapping a line is no change); `None`
    /// when the baseline does not record it (a briefing.json of an older brief).
    pub text: Option<String>,
    /// Its date, ISO (maybe partial).
    pub date: Option<String>,
    /// Its `cite:` list.
    pub cites: Vec<CiteSnap>,
}

/// One side of a dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionSnap {
    /// Its Markdown, white space collapsed.
    pub text: String,
    pub cites: Vec<CiteSnap>,
}

/// A citation: the source's id and the quote (`None`: the whole source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteSnap {
    pub source: String,
    pub quote: Option<String>,
}

/// A text as a snapshot keeps it: white space collapsed, so that re-wrapping a YAML line
/// changes nothing (as it keeps a derived claim id).
fn normalized(markdown: &str) -> String {
    crate::text::collapse_white_space(markdown.trim()).into_owned()
}

impl Snapshot {
    /// The snapshot of a resolved briefing.
    pub fn of(b: &Briefing) -> Snapshot {
        let cites = |ids: &[CitationId]| -> Vec<CiteSnap> {
            ids.iter()
                .map(|id| {
                    let c = &b.citations[id.0 as usize];
                    CiteSnap {
                        source: b.sources[c.source.0 as usize].source.id.clone(),
                        quote: c.quote.clone(),
                    }
                })
                .collect()
        };
        Snapshot {
            edition: b.site.config.edition.clone(),
            sources: b
                .sources
                .iter()
                .map(|s| SourceSnap {
                    id: s.source.id.clone(),
                    title: s.source.meta.title.clone(),
                })
                .collect(),
            items: b
                .items
                .iter()
                .map(|it| ItemSnap {
                    id: it.id.clone(),
                    collection: b.collections[it.collection].id.clone(),
                    kind: it.kind().name().to_string(),
                    name: it.name.clone(),
                    claims: it
                        .claims
                        .iter()
                        .map(|c| ClaimSnap {
                            id: c.id.clone(),
                            text: Some(normalized(&c.text.markdown)),
                            date: c.date.map(|d| d.iso()),
                            cites: cites(&c.cites),
                        })
                        .collect(),
                    positions: Some(
                        it.positions()
                            .iter()
                            .map(|p| PositionSnap {
                                text: normalized(&p.text.markdown),
                                cites: cites(&p.cites),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        }
    }

    /// The snapshot of a briefing.json that brief wrote. Keys it does not compare are passed
    /// over; the claim texts and positions that an older brief did not write are `None`.
    pub fn from_json(json: &[u8]) -> Result<Snapshot, String> {
        let doc: JsonDoc = serde_json::from_slice(json)
            .map_err(|e| format!("it is not a briefing.json that brief wrote ({e})"))?;
        if doc.version > crate::schemas::BRIEFING_FORMAT_VERSION {
            return Err(format!(
                "it is of format version {}, newer than this brief reads ({})",
                doc.version,
                crate::schemas::BRIEFING_FORMAT_VERSION
            ));
        }
        let cites = |indices: &[usize]| -> Result<Vec<CiteSnap>, String> {
            indices
                .iter()
                .map(|&i| {
                    let c = doc.citations.get(i).ok_or_else(|| {
                        format!("it names citation {i}, and it has {}", doc.citations.len())
                    })?;
                    Ok(CiteSnap {
                        source: c.source.clone(),
                        quote: c.quote.clone(),
                    })
                })
                .collect()
        };
        let mut items = Vec::with_capacity(doc.items.len());
        for it in &doc.items {
            let claims = it
                .claims
                .iter()
                .map(|c| {
                    Ok(ClaimSnap {
                        id: c.id.clone(),
                        text: c.text.as_deref().map(normalized),
                        date: c.date.clone(),
                        cites: cites(&c.citations)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let positions = match &it.positions {
                Some(list) => Some(
                    list.iter()
                        .map(|p| {
                            Ok(PositionSnap {
                                text: normalized(&p.text),
                                cites: cites(&p.citations)?,
                            })
                        })
                        .collect::<Result<Vec<_>, String>>()?,
                ),
                None => None,
            };
            items.push(ItemSnap {
                id: it.id.clone(),
                collection: it.collection.clone(),
                kind: it.kind.clone(),
                name: it.name.clone(),
                claims,
                positions,
            });
        }
        Ok(Snapshot {
            edition: doc.edition,
            sources: doc
                .sources
                .into_iter()
                .map(|s| SourceSnap {
                    id: s.id,
                    title: s.title,
                })
                .collect(),
            items,
        })
    }
}

/// The parts of briefing.json a snapshot reads (src/render/json.rs writes them).
#[derive(Deserialize)]
struct JsonDoc {
    version: u32,
    #[serde(default)]
    edition: Option<String>,
    sources: Vec<JsonSource>,
    items: Vec<JsonItem>,
    citations: Vec<JsonCitation>,
}

#[derive(Deserialize)]
struct JsonSource {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct JsonItem {
    id: String,
    collection: String,
    kind: String,
    name: String,
    #[serde(default)]
    claims: Vec<JsonClaim>,
    /// Written since editions were added; absent from an older brief's file.
    #[serde(default)]
    positions: Option<Vec<JsonPosition>>,
}

#[derive(Deserialize)]
struct JsonClaim {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    citations: Vec<usize>,
}

#[derive(Deserialize)]
struct JsonPosition {
    text: String,
    #[serde(default)]
    citations: Vec<usize>,
}

#[derive(Deserialize)]
struct JsonCitation {
    source: String,
    #[serde(default)]
    quote: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The editions fixture, loaded and resolved.
    fn fixture() -> Briefing {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editions");
        let mut report = crate::Report::default();
        crate::prepare(
            &root,
            None,
            crate::lock::Mode::Skip,
            crate::audience::Audience::Public,
            &mut crate::Caches::default(),
            &mut report,
            &mut crate::Stopwatch::new(),
            &crate::progress::Silent,
        )
        .unwrap_or_else(|| panic!("the fixture builds: {:?}", report.diagnostics.sorted()))
    }

    #[test]
    fn a_briefing_and_its_briefing_json_make_the_same_snapshot() {
        let b = fixture();
        let memory = crate::write::Memory::default();
        let mut diags = crate::diagnostics::Diagnostics::default();
        assert!(crate::render::render(&b, &memory, &mut diags));
        let json = memory
            .into_files()
            .into_iter()
            .find(|f| f.path == "briefing.json")
            .and_then(|f| match f.contents {
                crate::output::Contents::Bytes(bytes) => Some(bytes),
                crate::output::Contents::Copy(_) => None,
            })
            .expect("briefing.json");
        let of_briefing = Snapshot::of(&b);
        assert_eq!(Snapshot::from_json(&json), Ok(of_briefing.clone()));
        // It holds what the comparison needs.
        assert_eq!(of_briefing.edition.as_deref(), Some("No. 1"));
        let dispute = of_briefing
            .items
            .iter()
            .find(|i| i.kind == "dispute")
            .unwrap();
        assert_eq!(dispute.positions.as_ref().map(Vec::len), Some(2));
        let medinsky = of_briefing
            .items
            .iter()
            .find(|i| i.id == "vladimir-medinsky")
            .unwrap();
        assert_eq!(medinsky.claims[0].id, "memo");
        assert_eq!(
            medinsky.claims[0].cites,
            [CiteSnap {
                source: "alpha".into(),
                quote: Some("the memorandum was ready".into())
            }]
        );
    }

    #[test]
    fn an_older_briefing_json_without_texts_or_positions_still_reads() {
        let json = br#"{"version": 1, "title": "T", "base_url": "https://x.org/",
            "sources": [{"id": "a", "title": "A", "text": "..."}],
            "items": [{"id": "x", "collection": "people", "kind": "person", "name": "X",
                       "claims": [{"id": "c", "date": null, "citations": [0]}]}],
            "citations": [{"source": "a", "quote": "q"}]}"#;
        let s = Snapshot::from_json(json).expect("reads");
        assert_eq!(s.items[0].claims[0].text, None);
        assert_eq!(s.items[0].positions, None);
        assert!(
            Snapshot::from_json(br#"{"version": 99, "sources": [], "items": [], "citations": []}"#)
                .unwrap_err()
                .contains("newer")
        );
        let bad = br#"{"version": 1, "sources": [], "items": [{"id": "x", "collection": "c",
            "kind": "free", "name": "X", "claims": [{"id": "c", "citations": [5]}]}], "citations": []}"#;
        assert!(Snapshot::from_json(bad).unwrap_err().contains("citation 5"));
    }
}
