//! Annotation collections: `content/annotations/<id>.yaml`, one collection a file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::reviewed::{RawReviewed, Reviewed};
use super::yaml::{self, Doc};
use super::{Markdown, is_valid_id, read_text};
use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Location};

/// The kind of a collection, which decides the fields its items have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Venue,
    Event,
    Organization,
    Dispute,
    Free,
}

impl Kind {
    const ALL: [(&'static str, Kind); 6] = [
        ("person", Kind::Person),
        ("venue", Kind::Venue),
        ("event", Kind::Event),
        ("organization", Kind::Organization),
        ("dispute", Kind::Dispute),
        ("free", Kind::Free),
    ];

    /// The kind's name as written in YAML.
    pub fn name(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("free", |(n, _)| n)
    }

    /// The fields an item of this kind may have besides the common ones.
    fn own_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Person => &["role", "side", "affiliation"],
            Kind::Venue => &["city", "country", "coordinates"],
            Kind::Event => &["date", "end_date", "place", "actors"],
            Kind::Organization => &["short_name", "country", "parent"],
            Kind::Dispute => &["question", "date", "positions"],
            Kind::Free => &["fields"],
        }
    }
}

/// A collection of annotated items.
#[derive(Debug, Clone)]
pub struct Collection {
    /// The file stem: the collection's id and URL.
    pub id: String,
    pub path: PathBuf,
    pub title: String,
    pub kind: Kind,
    pub description: Option<Markdown>,
    pub items: Vec<Item>,
}

/// One annotated item: a person, a venue, an event, an organization, a dispute …
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub id_location: Location,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: Option<Markdown>,
    pub claims: Vec<Claim>,
    pub related: Vec<Ref>,
    pub details: Details,
    /// `internal: true`: left out of the public site (see [`crate::audience`]).
    pub internal: bool,
    /// `internal_notes:`, Markdown that is always internal.
    pub internal_notes: Option<Markdown>,
    /// The review findings acknowledged on the item (`reviewed:`).
    pub reviewed: Reviewed,
}

/// The fields that depend on the collection's kind.
#[derive(Debug, Clone)]
pub enum Details {
    Person {
        role: Option<String>,
        side: Option<String>,
        affiliation: Option<Ref>,
    },
    Venue {
        city: Option<String>,
        country: Option<String>,
        coordinates: Option<(f64, f64)>,
    },
    Event {
        date: Option<PartialDate>,
        end_date: Option<PartialDate>,
        place: Option<Ref>,
        actors: Vec<Ref>,
    },
    Organization {
        short_name: Option<String>,
        country: Option<String>,
        parent: Option<Ref>,
    },
    Dispute {
        question: String,
        date: Option<PartialDate>,
        positions: Vec<Position>,
    },
    Free {
        fields: Vec<(String, Markdown)>,
    },
}

/// A statement about an item and the quotes it rests on.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Its `id:`, else derived from its text (see [`super::claim`]); unique in its item.
    pub id: String,
    /// Where its `id:` is written, else its text.
    pub id_location: Location,
    pub text: Markdown,
    pub date: Option<PartialDate>,
    pub cite: Vec<CiteSpec>,
    /// `internal: true`: left out of the public site.
    pub internal: bool,
    /// `internal_notes:`, always internal.
    pub internal_notes: Option<Markdown>,
    /// The review findings acknowledged on the claim (`reviewed:`).
    pub reviewed: Reviewed,
}

/// One side of a dispute.
#[derive(Debug, Clone)]
pub struct Position {
    pub text: Markdown,
    pub held_by: Vec<Ref>,
    pub cite: Vec<CiteSpec>,
    /// `internal: true`: left out of the public site.
    pub internal: bool,
    /// `internal_notes:`, always internal.
    pub internal_notes: Option<Markdown>,
    /// Where its text is written (for problems about the position as a whole).
    pub location: Location,
    /// The review findings acknowledged on the position (`reviewed:`).
    pub reviewed: Reviewed,
}

/// An entry of a structured `cite:` list.
#[derive(Debug, Clone)]
pub struct CiteSpec {
    pub source: String,
    pub source_location: Location,
    pub quote: Option<String>,
    pub quote_location: Option<Location>,
    /// `translation:` (the quote in the site's language) and `translator:`, each with where
    /// it is written.
    pub translation: Option<(String, Location)>,
    pub translator: Option<(String, Location)>,
}

/// A reference to another item by id, with where it is written.
#[derive(Debug, Clone)]
pub struct Ref {
    pub id: String,
    pub location: Location,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCollection {
    title: Spanned<String>,
    kind: Spanned<String>,
    description: Option<Spanned<String>>,
    items: Vec<RawItem>,
}

/// A [`RawCollection`] without its items, read from the text before them (see
/// [`yaml::parse_list`]), where `items:` holds nothing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    title: Spanned<String>,
    kind: Spanned<String>,
    description: Option<Spanned<String>>,
    #[allow(dead_code)]
    items: Option<serde::de::IgnoredAny>,
}

/// A collection file as read: its head, and its items in pieces, each with the byte offset its
/// spans count from.
struct Read {
    title: Spanned<String>,
    kind: Spanned<String>,
    description: Option<Spanned<String>>,
    pieces: Vec<(usize, Vec<RawItem>)>,
}

/// Reads a collection file, its items in parallel pieces when the file allows (a large file
/// is otherwise one core's work), else whole — which every file with a problem is, so its
/// problems are reported as ever.
fn read(path: &Path, text: &Arc<str>, piece_bytes: usize) -> Result<Read, Diagnostic> {
    if let Some(list) = yaml::parse_list::<RawHead, RawItem>(path, text, "items", piece_bytes) {
        return Ok(Read {
            title: list.head.title,
            kind: list.head.kind,
            description: list.head.description,
            pieces: list.pieces,
        });
    }
    let raw: RawCollection = yaml::parse(path, text, text, 0)?;
    Ok(Read {
        title: raw.title,
        kind: raw.kind,
        description: raw.description,
        pieces: vec![(0, raw.items)],
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    name: Option<Spanned<String>>,
    aliases: Option<Vec<String>>,
    summary: Option<Spanned<String>>,
    claims: Option<Vec<RawClaim>>,
    related: Option<Vec<Spanned<String>>>,
    internal: Option<bool>,
    internal_notes: Option<Spanned<String>>,
    // Kind-specific fields; `Kind::own_fields` says which kind may use which.
    role: Option<Spanned<String>>,
    side: Option<Spanned<String>>,
    affiliation: Option<Spanned<String>>,
    city: Option<Spanned<String>>,
    country: Option<Spanned<String>>,
    coordinates: Option<Spanned<Vec<f64>>>,
    date: Option<Spanned<String>>,
    end_date: Option<Spanned<String>>,
    place: Option<Spanned<String>>,
    actors: Option<Spanned<Vec<Spanned<String>>>>,
    short_name: Option<Spanned<String>>,
    parent: Option<Spanned<String>>,
    question: Option<Spanned<String>>,
    positions: Option<Spanned<Vec<RawPosition>>>,
    fields: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    reviewed: RawReviewed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: Option<Spanned<String>>,
    text: Spanned<String>,
    date: Option<Spanned<String>>,
    cite: Option<Vec<RawCite>>,
    internal: Option<bool>,
    internal_notes: Option<Spanned<String>>,
    reviewed: RawReviewed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPosition {
    text: Spanned<String>,
    held_by: Option<Vec<Spanned<String>>>,
    cite: Option<Vec<RawCite>>,
    internal: Option<bool>,
    internal_notes: Option<Spanned<String>>,
    reviewed: RawReviewed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCite {
    source: Spanned<String>,
    quote: Option<Spanned<String>>,
    translation: Option<Spanned<String>>,
    translator: Option<Spanned<String>>,
}

/// Loads one collection file. Returns the collection with its problems whenever the YAML
/// could be read (errors included: references to its items and its quotes are still checked,
/// so one run reports every problem), or the problems when it could not.
pub fn load(root: &Path, path: &Path) -> Result<(Collection, Vec<Diagnostic>), Unread> {
    let text = read_text(root, path).map_err(|d| Unread {
        problems: vec![d],
        ids: Vec::new(),
    })?;
    parse(path, text.clone()).map_err(|problems| Unread {
        problems,
        ids: ids_of_unread(path, &text),
    })
}

/// A collection file that could not be read: its problems, and the ids of its items as far
/// as they can be read without the rest (so that a duplicate id is found in the same run as
/// a missing field).
#[derive(Debug, Clone)]
pub struct Unread {
    pub problems: Vec<Diagnostic>,
    pub ids: Vec<(String, Location)>,
}

/// The ids of the items of a collection file that failed to load, if the file is YAML with
/// a list of `items` mappings; nothing otherwise.
fn ids_of_unread(path: &Path, text: &Arc<str>) -> Vec<(String, Location)> {
    #[derive(Deserialize)]
    struct Items {
        #[serde(default)]
        items: Vec<Id>,
    }
    #[derive(Deserialize)]
    struct Id {
        id: Option<serde_saphyr::Spanned<String>>,
    }
    let Some(read) = yaml::read_leniently::<Items>(text) else {
        return Vec::new();
    };
    let doc = Doc {
        file: path.to_path_buf(),
        file_text: text.clone(),
        offset: 0,
    };
    read.items
        .into_iter()
        .filter_map(|i| i.id)
        .map(|id| (id.value.clone(), doc.loc(&id)))
        .collect()
}

/// Parses the text of a collection file; `path` (relative to the site root) gives the id and
/// names the file in problems.
pub fn parse(
    path: &Path,
    text: Arc<str>,
) -> Result<(Collection, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_in_pieces(path, text, yaml::LIST_PIECE_BYTES)
}

/// [`parse`], its items read in pieces of at least `piece_bytes` where the file allows.
fn parse_in_pieces(
    path: &Path,
    text: Arc<str>,
    piece_bytes: usize,
) -> Result<(Collection, Vec<Diagnostic>), Vec<Diagnostic>> {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let raw = read(path, &text, piece_bytes).map_err(|d| vec![d])?;
    let doc = Doc {
        file: path.to_path_buf(),
        file_text: text.clone(),
        offset: 0,
    };
    let mut diags = Vec::new();

    if !is_valid_id(&id) {
        diags.push(
            Diagnostic::error(Code::BadId, format!("`{id}` cannot be a collection id"))
                .at(Location::file(path))
                .help("rename the file: lower-case letters, digits and `-` only, at most 200 of them (e.g. battlefield-events.yaml)"),
        );
    }
    if crate::site_map::layout::is_reserved(&id) {
        diags.push(
            Diagnostic::error(
                Code::ReservedId,
                format!("`{id}` is a page of its own and cannot name a collection"),
            )
            .at(Location::file(path))
            .help("rename the file"),
        );
    }

    let (kind, known_kind) = match Kind::ALL.iter().find(|(n, _)| *n == raw.kind.value.trim()) {
        Some((_, k)) => (*k, true),
        None => {
            let near = crate::diagnostics::closest_name(
                raw.kind.value.trim(),
                Kind::ALL.iter().map(|(n, _)| *n),
            );
            diags.push(
                Diagnostic::error(
                    Code::BadKind,
                    format!("`{}` is not a kind of collection", raw.kind.value),
                )
                .at(doc.loc(&raw.kind))
                .help(match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => {
                        "kind is one of: person, venue, event, organization, dispute, free".into()
                    }
                }),
            );
            (Kind::Free, false)
        }
    };

    let mut items = Vec::with_capacity(raw.pieces.iter().map(|(_, p)| p.len()).sum());
    for (offset, piece) in raw.pieces {
        let doc = Doc {
            file: path.to_path_buf(),
            file_text: text.clone(),
            offset,
        };
        items.extend(
            piece
                .into_iter()
                .map(|item| convert_item(&doc, kind, known_kind, item, &mut diags)),
        );
    }

    Ok((
        Collection {
            id,
            path: path.to_path_buf(),
            title: raw.title.value.trim().to_string(),
            kind,
            description: raw.description.as_ref().map(|d| doc.markdown(d)),
            items,
        },
        diags,
    ))
}

/// `known_kind` is false when the collection's kind is misspelt: its items are then read as
/// `free` without blaming their fields on that.
fn convert_item(
    doc: &Doc,
    kind: Kind,
    known_kind: bool,
    mut raw: RawItem,
    diags: &mut Vec<Diagnostic>,
) -> Item {
    let id_location = doc.loc(&raw.id);
    let id = raw.id.value.trim().to_string();
    if !is_valid_id(&id) {
        diags.push(
            Diagnostic::error(Code::BadId, format!("`{id}` cannot be an id"))
                .at(id_location.clone())
                .help("use lower-case letters, digits and `-`, at most 200 of them (e.g. vladimir-medinsky)"),
        );
    }
    if known_kind {
        refuse_fields_of_other_kinds(doc, kind, &raw, diags);
    }
    let at = ItemAt {
        id: &id,
        location: &id_location,
    };
    let details = details(doc, kind, &mut raw, at, diags);
    let name = item_name(raw.name.as_ref(), &details, at, diags);
    let claims = claims(doc, raw.claims.take().unwrap_or_default(), diags);
    Item {
        id,
        id_location,
        name,
        aliases: raw
            .aliases
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        summary: raw.summary.as_ref().map(|s| doc.markdown(s)),
        claims,
        related: references(doc, raw.related.as_ref()),
        details,
        internal: raw.internal.unwrap_or(false),
        internal_notes: raw.internal_notes.as_ref().map(|n| doc.markdown(n)),
        reviewed: Reviewed::of(doc, raw.reviewed.take()),
    }
}

/// An item's claims, each with its id: its `id:` (a slug) or one derived from its text; a
/// second claim of the item with the same id is an error at that claim.
fn claims(doc: &Doc, raw: Vec<RawClaim>, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::with_capacity(raw.len());
    for c in raw {
        let (id, id_location) = match &c.id {
            Some(id) => {
                let value = id.value.trim().to_string();
                if !is_valid_id(&value) {
                    diags.push(
                        Diagnostic::error(Code::BadId, format!("`{value}` cannot be a claim id"))
                            .at(doc.loc(id))
                            .help("use lower-case letters, digits and `-`, at most 200 of them (e.g. memorandum-ready), or leave out `id:` to derive one from the text"),
                    );
                }
                (value, doc.loc(id))
            }
            None => (super::claim::derive(&c.text.value), doc.loc(&c.text)),
        };
        if let Some(first) = out.iter().find(|f| f.id == id) {
            let help = if c.id.is_some() {
                "give one of them another `id:`"
            } else {
                "the two claims have the same text: remove one, or give them different `id:`s"
            };
            diags.push(
                Diagnostic::error(
                    Code::DuplicateClaimId,
                    format!("two claims of this item have the id `{id}`"),
                )
                .at(id_location.clone())
                .related(first.id_location.clone(), "first used here")
                .help(help),
            );
        }
        out.push(Claim {
            id,
            id_location,
            text: doc.markdown(&c.text),
            date: doc.date(c.date.as_ref(), diags),
            cite: cites(doc, c.cite),
            internal: c.internal.unwrap_or(false),
            internal_notes: c.internal_notes.as_ref().map(|n| doc.markdown(n)),
            reviewed: Reviewed::of(doc, c.reviewed),
        });
    }
    out
}

/// An item's id and where it is written, for the errors about the item as a whole.
#[derive(Clone, Copy)]
struct ItemAt<'a> {
    id: &'a str,
    location: &'a Location,
}

/// Fields of other kinds are mistakes worth naming precisely.
fn refuse_fields_of_other_kinds(doc: &Doc, kind: Kind, raw: &RawItem, diags: &mut Vec<Diagnostic>) {
    let present: [(&str, Option<Location>); 15] = [
        ("role", raw.role.as_ref().map(|v| doc.loc(v))),
        ("side", raw.side.as_ref().map(|v| doc.loc(v))),
        ("affiliation", raw.affiliation.as_ref().map(|v| doc.loc(v))),
        ("city", raw.city.as_ref().map(|v| doc.loc(v))),
        ("country", raw.country.as_ref().map(|v| doc.loc(v))),
        ("coordinates", raw.coordinates.as_ref().map(|v| doc.loc(v))),
        ("date", raw.date.as_ref().map(|v| doc.loc(v))),
        ("end_date", raw.end_date.as_ref().map(|v| doc.loc(v))),
        ("place", raw.place.as_ref().map(|v| doc.loc(v))),
        ("actors", raw.actors.as_ref().map(|v| doc.loc(v))),
        ("short_name", raw.short_name.as_ref().map(|v| doc.loc(v))),
        ("parent", raw.parent.as_ref().map(|v| doc.loc(v))),
        ("question", raw.question.as_ref().map(|v| doc.loc(v))),
        ("positions", raw.positions.as_ref().map(|v| doc.loc(v))),
        ("fields", raw.fields.as_ref().map(|v| doc.loc(v))),
    ];
    for (field, loc) in present {
        if let Some(loc) = loc
            && !kind.own_fields().contains(&field)
        {
            diags.push(
                Diagnostic::error(
                    Code::FieldNotForKind,
                    format!("`{field}` is not a field of a {} item", kind.name()),
                )
                .at(loc)
                .help(format!(
                    "a {} item takes: id, name, aliases, summary, claims, related, internal, internal_notes, reviewed, {}",
                    kind.name(),
                    kind.own_fields().join(", ")
                )),
            );
        }
    }
}

/// A reference to an item, where it is written.
fn reference(doc: &Doc, v: &Spanned<String>) -> Ref {
    Ref {
        id: v.value.trim().to_string(),
        location: doc.loc(v),
    }
}

/// A list of references (none when the field is absent).
fn references(doc: &Doc, v: Option<&Vec<Spanned<String>>>) -> Vec<Ref> {
    v.map(|l| l.iter().map(|r| reference(doc, r)).collect())
        .unwrap_or_default()
}

/// A text field, trimmed; `None` when absent or blank.
fn text(v: Option<Spanned<String>>) -> Option<String> {
    v.map(|s| s.value.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The fields of the item's kind, taken out of `raw`.
fn details(
    doc: &Doc,
    kind: Kind,
    raw: &mut RawItem,
    at: ItemAt<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Details {
    match kind {
        Kind::Person => Details::Person {
            role: text(raw.role.take()),
            side: text(raw.side.take()),
            affiliation: raw.affiliation.as_ref().map(|r| reference(doc, r)),
        },
        Kind::Venue => Details::Venue {
            city: text(raw.city.take()),
            country: text(raw.country.take()),
            coordinates: coordinates(doc, raw.coordinates.as_ref(), diags),
        },
        Kind::Event => {
            if raw.date.is_none() {
                diags.push(
                    Diagnostic::error(Code::MissingField, format!("event `{}` has no date", at.id))
                        .at(at.location.clone())
                        .help(
                            "add `date: 2025-06-02` (or 2025-06, or 2025 when only that is known)",
                        ),
                );
            }
            Details::Event {
                date: doc.date(raw.date.as_ref(), diags),
                end_date: doc.date(raw.end_date.as_ref(), diags),
                place: raw.place.as_ref().map(|r| reference(doc, r)),
                actors: references(doc, raw.actors.as_ref().map(|a| &a.value)),
            }
        }
        Kind::Organization => Details::Organization {
            short_name: text(raw.short_name.take()),
            country: text(raw.country.take()),
            parent: raw.parent.as_ref().map(|r| reference(doc, r)),
        },
        Kind::Dispute => dispute(doc, raw, at, diags),
        Kind::Free => Details::Free {
            fields: raw
                .fields
                .take()
                .map(|f| f.value)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, doc.markdown(&v)))
                .collect(),
        },
    }
}

/// A venue's coordinates, when they are a latitude and a longitude.
fn coordinates(
    doc: &Doc,
    raw: Option<&Spanned<Vec<f64>>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(f64, f64)> {
    let c = raw?;
    if c.value.len() == 2
        && (-90.0..=90.0).contains(&c.value[0])
        && (-180.0..=180.0).contains(&c.value[1])
    {
        return Some((c.value[0], c.value[1]));
    }
    diags.push(
        Diagnostic::error(
            Code::BadCoordinates,
            "coordinates must be [latitude, longitude]",
        )
        .at(doc.loc(c))
        .help("e.g. coordinates: [41.0438, 29.0175] (latitude −90…90, longitude −180…180)"),
    );
    None
}

/// A dispute's question, date and positions (at least two).
fn dispute(doc: &Doc, raw: &mut RawItem, at: ItemAt<'_>, diags: &mut Vec<Diagnostic>) -> Details {
    let question = text(raw.question.clone()).unwrap_or_default();
    if question.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                format!("dispute `{}` has no question", at.id),
            )
            .at(at.location.clone())
            .help("add `question: …` saying what the sources disagree on"),
        );
    }
    let positions: Vec<Position> = raw
        .positions
        .take()
        .map(|p| p.value)
        .unwrap_or_default()
        .into_iter()
        .map(|p| Position {
            text: doc.markdown(&p.text),
            held_by: references(doc, p.held_by.as_ref()),
            cite: cites(doc, p.cite),
            internal: p.internal.unwrap_or(false),
            internal_notes: p.internal_notes.as_ref().map(|n| doc.markdown(n)),
            location: doc.loc(&p.text),
            reviewed: Reviewed::of(doc, p.reviewed),
        })
        .collect();
    if positions.len() < 2 {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                format!("dispute `{}` needs at least two positions", at.id),
            )
            .at(at.location.clone())
            .help("add `positions:` with one entry per view, each with `text` and `cite`"),
        );
    }
    Details::Dispute {
        question,
        date: doc.date(raw.date.as_ref(), diags),
        positions,
    }
}

/// The item's name: a dispute without one is named by its question, another item by its id
/// (an error), so references to it are not reported as dangling too.
fn item_name(
    name: Option<&Spanned<String>>,
    details: &Details,
    at: ItemAt<'_>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    match (name, details) {
        (Some(n), _) if !n.value.trim().is_empty() => n.value.trim().to_string(),
        (_, Details::Dispute { question, .. }) => question.clone(),
        _ => {
            diags.push(
                Diagnostic::error(Code::MissingField, format!("item `{}` has no name", at.id))
                    .at(at.location.clone())
                    .help("add `name: …`: it is the page title and what is linked in source texts"),
            );
            at.id.to_string()
        }
    }
}

fn cites(doc: &Doc, raw: Option<Vec<RawCite>>) -> Vec<CiteSpec> {
    raw.unwrap_or_default()
        .into_iter()
        .map(|c| {
            let quote_location = c.quote.as_ref().map(|q| doc.loc(q));
            let located = |v: Option<Spanned<String>>| {
                v.map(|v| {
                    let at = doc.loc(&v);
                    (v.value, at)
                })
            };
            CiteSpec {
                translation: located(c.translation),
                translator: located(c.translator),
                source: c.source.value.trim().to_string(),
                source_location: doc.loc(&c.source),
                quote: c.quote.map(|q| q.value),
                quote_location,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, yaml: &str) -> Result<(Collection, Vec<Diagnostic>), Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let rel = PathBuf::from("content/annotations").join(name);
        std::fs::create_dir_all(dir.path().join("content/annotations")).unwrap();
        std::fs::write(dir.path().join(&rel), yaml).unwrap();
        load(dir.path(), &rel).map_err(|u| u.problems)
    }

    /// A collection of `n` people with summaries, claims and quotes, comments between items,
    /// a block scalar and non-ASCII names: the shapes a piece boundary must not disturb.
    fn many_items(n: usize) -> String {
        let mut y = String::from("title: People\n# the negotiators\nkind: person\nitems:\n");
        for i in 0..n {
            y.push_str(&format!(
                "  - id: p-{i}\n    name: Ana Ćirić {i}\n    role: Négociatrice\n    summary: |\n      Said *no* twice [@s{i} \"a quote {i}\"].\n\n      - not an item\n    claims:\n      - text: \"Reported, in \\\"quotes\\\" {i}\"\n        date: 2025-01\n        cite:\n          - source: s{i}\n            quote: 'it''s {i}'\n"
            ));
            if i % 7 == 3 {
                y.push_str("# a comment between items\n\n");
            }
        }
        y
    }

    #[test]
    fn items_read_in_pieces_are_those_of_the_whole_file() {
        let path = Path::new("content/annotations/people.yaml");
        let text: Arc<str> = Arc::from(many_items(40));
        // Pieces of one item each, so every boundary is exercised.
        let split = yaml::parse_list::<RawHead, RawItem>(path, &text, "items", 1).unwrap();
        assert_eq!(split.pieces.len(), 40);
        let (pieces, d1) = parse_in_pieces(path, text.clone(), 1).unwrap();
        let (whole, d2) = parse_in_pieces(path, text.clone(), usize::MAX).unwrap();
        assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
        assert_eq!(pieces.items.len(), 40);
        // Every span (ids, Markdown origins, citations) is the same.
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        let last = &pieces.items[39];
        assert_eq!(&text[last.id_location.span.clone()], "p-39");
        let summary = last.summary.as_ref().unwrap();
        assert!(text[summary.origin.offset..].starts_with("Said *no* twice [@s39"));
    }

    #[test]
    fn an_error_in_the_second_half_is_placed_as_in_a_whole_read() {
        let path = Path::new("content/annotations/people.yaml");
        let good = many_items(30);
        // An unknown field, a missing `:` and an unclosed quote in item 25.
        for (wrong, right) in [
            ("    role: Négociatrice\n", "    rloe: Négociatrice\n"),
            ("    role: Négociatrice\n", "    role Négociatrice\n"),
            ("quote: 'it''s 25'", "quote: 'it''s 25"),
        ] {
            let at = good.find("  - id: p-25\n").unwrap();
            let mut bad = good[..at].to_string();
            bad.push_str(&good[at..].replacen(wrong, right, 1));
            let text: Arc<str> = Arc::from(bad.as_str());
            assert!(yaml::parse_list::<RawHead, RawItem>(path, &text, "items", 1).is_none());
            let pieces = parse_in_pieces(path, text.clone(), 1).unwrap_err();
            let whole = parse_in_pieces(path, text.clone(), usize::MAX).unwrap_err();
            assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
            let location = pieces[0].location.as_ref().unwrap();
            assert!(location.span.start > at, "{right}: {:?}", pieces[0]);
            assert!(
                location.line() > bad[..at].lines().count(),
                "{right}: line {}",
                location.line()
            );
        }
    }

    #[test]
    fn loads_a_person_with_claims() {
        let (c, _) = load_str(
            "negotiators.yaml",
            "title: Negotiators\nkind: person\nitems:\n  - id: medinsky\n    name: Vladimir Medinsky\n    aliases: [Medinsky]\n    role: Aide\n    claims:\n      - text: Led the talks.\n        date: 2025-06-02\n        cite:\n          - source: s1\n            quote: \"led by Vladimir Medinsky\"\n",
        )
        .unwrap();
        assert_eq!(c.id, "negotiators");
        assert_eq!(c.kind, Kind::Person);
        let item = &c.items[0];
        assert_eq!(item.name, "Vladimir Medinsky");
        assert_eq!(
            item.claims[0].cite[0].quote.as_deref(),
            Some("led by Vladimir Medinsky")
        );
        assert_eq!(item.claims[0].cite[0].source_location.line(), 12);
        assert_eq!(item.id_location.line(), 4);
    }

    #[test]
    fn a_field_of_another_kind_is_named() {
        let e = load_str(
            "v.yaml",
            "title: V\nkind: person\nitems:\n  - id: a\n    name: A\n    city: Istanbul\n",
        )
        .unwrap()
        .1;
        assert_eq!(e[0].code, Code::FieldNotForKind);
        assert_eq!(e[0].location.as_ref().unwrap().line(), 6);
    }

    #[test]
    fn a_misspelt_kind_is_one_error_with_a_suggestion() {
        let e = load_str(
            "p.yaml",
            "title: P\nkind: persn\nitems:\n  - id: a\n    name: A\n    role: Aide\n",
        )
        .unwrap()
        .1;
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].code, Code::BadKind);
        assert_eq!(e[0].help.as_deref(), Some("did you mean `person`?"));
    }

    #[test]
    fn event_needs_a_valid_date() {
        let e = load_str(
            "e.yaml",
            "title: E\nkind: event\nitems:\n  - id: a\n    name: A\n    date: 2025-02-30\n",
        )
        .unwrap()
        .1;
        assert_eq!(e[0].code, Code::BadDate);
        assert_eq!(e[0].location.as_ref().unwrap().line(), 6);
    }

    #[test]
    fn dispute_needs_question_and_two_positions() {
        let e = load_str(
            "d.yaml",
            "title: D\nkind: dispute\nitems:\n  - id: a\n    positions:\n      - text: x\n",
        )
        .unwrap()
        .1;
        let codes: Vec<Code> = e.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MissingField, Code::MissingField]);
    }
}
