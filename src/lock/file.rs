//! brief.lock, the file: what it records, how it is read (with the place of each entry, for
//! errors) and how it is written (deterministically, so that its diffs are small).
//!
//! ```toml
//! version = 1
//!
//! [[source]]
//! id = "alpha"
//! sha256 = "…"            # of the source's text, as briefing.json's `text` holds it
//!
//! [[source.citation]]
//! file = "content/annotations/people.yaml"
//! item = "medinsky"       # for a citation in an item; else the file is its place
//! quote = "the memorandum was ready"
//! start = 120             # byte offsets of the passage in the text
//! end = 144
//! line = 9                # the line of the source file the passage starts on
//! sha256 = "…"            # of text[start..end]
//! ```

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::digest::Sha256;
use crate::resolve::{Briefing, CitationId, Owner};

/// The lock's file name, in the briefing's folder.
pub const FILE: &str = "brief.lock";

/// The version of the format this brief reads and writes.
pub const VERSION: u32 = 1;

/// What brief.lock records: every source with the digest of its text and the passages its
/// citations point at.
#[derive(Debug, Clone)]
pub struct Lock {
    /// Sorted by id.
    pub sources: Vec<LockedSource>,
}

/// One source of a lock.
#[derive(Debug, Clone)]
pub struct LockedSource {
    pub id: String,
    pub sha256: Sha256,
    /// Sorted by file, then place, quote and `n`.
    pub citations: Vec<LockedCitation>,
    /// Where the entry stands in brief.lock (`None` for a lock made from a briefing).
    pub at: Option<Location>,
}

/// One citation of a passage: which one it is, and the passage it pointed at.
#[derive(Debug, Clone)]
pub struct LockedCitation {
    pub key: CitationKey,
    /// The file the citation is written in (for an item's, a help to the reader only: the
    /// item may move to another file and stay the same citation).
    pub file: String,
    pub passage: Passage,
    /// Where the entry stands in brief.lock (`None` for a lock made from a briefing).
    pub at: Option<Location>,
}

/// What makes a citation the same one from lock to lock, whatever is reordered or edited
/// around it: where it is written, its quote, and which of the citations with both it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CitationKey {
    pub place: Place,
    /// The quote as written.
    pub quote: String,
    /// 1 for the first citation of this quote from this place to this source, 2 for the
    /// second …
    pub n: u32,
}

/// Where a citation is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// In an item (its summary, claims, positions or fields), by the item's id.
    Item(String),
    /// In a file that is no item: the front page, a free page, a collection's description,
    /// a source's notes (each file's stem is its id).
    File(String),
}

/// A cited passage of a source's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    /// Byte offsets in the source's text (the file after its front matter), as briefing.json
    /// gives them.
    pub start: usize,
    pub end: usize,
    /// The 1-based line of the source's file the passage starts on.
    pub line: usize,
    /// The SHA-256 of `text[start..end]`.
    pub sha256: Sha256,
}

impl LockedCitation {
    /// The order of citations in the file: by file, then place and quote.
    fn order(&self) -> (&str, &CitationKey) {
        (&self.file, &self.key)
    }
}

/// The key of each citation of a passage in `b` (whole-source citations have none: the
/// source's digest covers them), in citation order.
pub fn keys(b: &Briefing) -> Vec<(CitationId, CitationKey)> {
    let mut seen: rustc_hash::FxHashMap<(u32, Place, &str), u32> = Default::default();
    b.citations
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let quote = c.quote.as_deref()?;
            let place = match c.owner {
                Owner::Item(item) => Place::Item(b.items[item.0 as usize].id.clone()),
                Owner::Page(_) | Owner::Collection(_) | Owner::Source(_) => {
                    Place::File(path_text(&c.location.file))
                }
            };
            let n = seen.entry((c.source.0, place.clone(), quote)).or_default();
            *n += 1;
            let key = CitationKey {
                place,
                quote: quote.to_string(),
                n: *n,
            };
            Some((CitationId(i as u32), key))
        })
        .collect()
}

/// A relative path with `/` between its parts, whatever the system.
fn path_text(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

impl Lock {
    /// The lock of `b` as it is: each source's digest and the passage of each citation whose
    /// quote was found.
    pub fn of(b: &Briefing) -> Lock {
        let mut sources: Vec<LockedSource> = b
            .sources
            .iter()
            .map(|s| LockedSource {
                id: s.source.id.clone(),
                sha256: s.sha256,
                citations: Vec::new(),
                at: None,
            })
            .collect();
        for (id, key) in keys(b) {
            let c = &b.citations[id.0 as usize];
            let Some(range) = c.range.clone() else {
                continue;
            };
            let s = &b.sources[c.source.0 as usize];
            sources[c.source.0 as usize].citations.push(LockedCitation {
                key,
                file: path_text(&c.location.file),
                passage: Passage::of(&s.source, range),
                at: None,
            });
        }
        for s in &mut sources {
            s.citations.sort_by(|a, b| a.order().cmp(&b.order()));
        }
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        Lock { sources }
    }

    /// The number of citations it records.
    pub fn citation_count(&self) -> usize {
        self.sources.iter().map(|s| s.citations.len()).sum()
    }

    /// The text of brief.lock: a header that says what it is, then the TOML.
    pub fn to_file_text(&self) -> String {
        let doc = FileDoc {
            version: VERSION,
            source: self
                .sources
                .iter()
                .map(|s| FileSource {
                    id: s.id.clone(),
                    sha256: s.sha256,
                    citation: s
                        .citations
                        .iter()
                        .map(|c| FileCitation {
                            file: c.file.clone(),
                            item: match &c.key.place {
                                Place::Item(id) => Some(id.clone()),
                                Place::File(_) => None,
                            },
                            quote: c.key.quote.clone(),
                            n: c.key.n,
                            start: c.passage.start,
                            end: c.passage.end,
                            line: c.passage.line,
                            sha256: c.passage.sha256,
                        })
                        .collect(),
                })
                .collect(),
        };
        let body = toml::to_string(&doc).unwrap_or_else(|e| {
            // Every value is a string, a number or a list of tables of them.
            unreachable!("the lock is always TOML: {e}")
        });
        format!("{HEADER}{body}")
    }

    /// Reads the text of brief.lock (`file` names it in errors).
    pub fn parse(file: &Path, text: &Arc<str>) -> Result<Lock, Diagnostic> {
        let at = |span: Range<usize>| Location::new(file, text, span);
        let syntax = |span: Range<usize>, message: String| {
            Diagnostic::error(Code::LockSyntax, message)
                .at(at(span))
                .help("brief.lock is written by `brief lock`: run it again to write a new one (after a merge conflict in it, too)")
        };
        let toml_error = |e: toml::de::Error| {
            syntax(
                e.span().unwrap_or(0..0),
                format!("brief.lock cannot be read: {}", e.message().trim()),
            )
        };
        // After a merge: said in those words, at the conflict.
        if let Some(line) = text.lines().position(|l| l.starts_with("<<<<<<<")) {
            let start = crate::diagnostics::offset_of(text, line + 1, 1);
            return Err(syntax(
                start..start + 7,
                "brief.lock holds a merge conflict".into(),
            ));
        }
        let version: FileVersion = toml::from_str(text).map_err(toml_error)?;
        if *version.version.get_ref() != VERSION {
            return Err(syntax(
                version.version.span(),
                format!(
                    "brief.lock is of version {}, and this brief reads version {VERSION}",
                    version.version.get_ref()
                ),
            ));
        }
        let doc: FileDocIn = toml::from_str(text).map_err(toml_error)?;
        let mut sources: Vec<LockedSource> = Vec::with_capacity(doc.source.len());
        let mut source_ids = rustc_hash::FxHashSet::default();
        for entry in doc.source {
            let span = entry.span();
            let s = entry.into_inner();
            if !source_ids.insert(s.id.clone()) {
                return Err(syntax(
                    span,
                    format!("brief.lock locks the source `{}` twice", s.id),
                ));
            }
            let mut keys = rustc_hash::FxHashSet::default();
            let mut citations = Vec::with_capacity(s.citation.len());
            for c in s.citation {
                let span = c.span();
                let c = c.into_inner();
                if c.start > c.end || c.n == 0 {
                    return Err(syntax(
                        span,
                        "this citation's `start` is after its `end`, or its `n` is 0".into(),
                    ));
                }
                let key = CitationKey {
                    place: match c.item {
                        Some(id) => Place::Item(id),
                        None => Place::File(c.file.clone()),
                    },
                    quote: c.quote,
                    n: c.n,
                };
                if !keys.insert(key.clone()) {
                    return Err(syntax(
                        span,
                        format!("brief.lock locks this citation of `{}` twice", s.id),
                    ));
                }
                citations.push(LockedCitation {
                    key,
                    file: c.file,
                    passage: Passage {
                        start: c.start,
                        end: c.end,
                        line: c.line,
                        sha256: c.sha256,
                    },
                    at: Some(at(span)),
                });
            }
            sources.push(LockedSource {
                id: s.id,
                sha256: s.sha256,
                citations,
                at: Some(at(span)),
            });
        }
        Ok(Lock { sources })
    }
}

/// Reads the briefing's brief.lock: `None` when there is none.
pub fn read(root: &Path) -> Result<Option<Lock>, Diagnostic> {
    let path = Path::new(FILE);
    match std::fs::symlink_metadata(root.join(path)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let text = crate::load::read_text(root, path)?;
    Lock::parse(path, &text).map(Some)
}

impl Passage {
    /// The passage at `range` of `source`'s text.
    pub fn of(source: &crate::load::Source, range: Range<usize>) -> Passage {
        let text = source.text();
        Passage {
            start: range.start,
            end: range.end,
            line: source.origin.locate(text, range.clone()).line(),
            sha256: Sha256::of(&text[range]),
        }
    }
}

/// What brief.lock says of itself.
const HEADER: &str = "\
# brief.lock: written by `brief lock`; do not edit it by hand.
# The SHA-256 of each source's text and, for each citation, the position (byte offsets in
# the text) and SHA-256 of its passage. `brief check` and `brief build` say which sources
# and passages changed since it was written; with `--locked` (for CI) they fail on them.
# Commit it with the briefing; after checking the changes, run `brief lock` to accept them.

";

// The file's shape, for serde. Written and read by the same names; read with the place of
// each entry, for errors.

#[derive(Serialize)]
struct FileDoc {
    version: u32,
    source: Vec<FileSource>,
}

#[derive(Serialize)]
struct FileSource {
    id: String,
    sha256: Sha256,
    citation: Vec<FileCitation>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCitation {
    file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    quote: String,
    #[serde(default = "first", skip_serializing_if = "is_first")]
    n: u32,
    start: usize,
    end: usize,
    line: usize,
    sha256: Sha256,
}

fn first() -> u32 {
    1
}

fn is_first(n: &u32) -> bool {
    *n == 1
}

/// Only the version, read first: a lock of another version may have other fields.
#[derive(Deserialize)]
struct FileVersion {
    version: toml::Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDocIn {
    #[serde(rename = "version")]
    _version: u32,
    #[serde(default)]
    source: Vec<toml::Spanned<FileSourceIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSourceIn {
    id: String,
    sha256: Sha256,
    #[serde(default)]
    citation: Vec<toml::Spanned<FileCitation>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock() -> Lock {
        let citation = |place: Place, quote: &str, n: u32, start: usize| LockedCitation {
            // A citation that is not in an item is placed by its file.
            file: match &place {
                Place::File(file) => file.clone(),
                Place::Item(_) => "content/annotations/people.yaml".into(),
            },
            key: CitationKey {
                place,
                quote: quote.into(),
                n,
            },
            passage: Passage {
                start,
                end: start + quote.len(),
                line: 7,
                sha256: Sha256::of(quote),
            },
            at: None,
        };
        Lock {
            sources: vec![LockedSource {
                id: "alpha".into(),
                sha256: Sha256::of("text"),
                citations: vec![
                    citation(Place::Item("envoy".into()), "said \"no\"\\ then", 1, 3),
                    citation(Place::Item("envoy".into()), "said \"no\"\\ then", 2, 3),
                    citation(Place::File("content/index.md".into()), "it’s — so", 1, 40),
                ],
                at: None,
            }],
        }
    }

    /// A source as a lock says it: id, digest, and each citation's key, file and passage.
    type Said = (String, Sha256, Vec<(CitationKey, String, Passage)>);

    /// What a lock says, without where it was read.
    fn said(lock: &Lock) -> Vec<Said> {
        lock.sources
            .iter()
            .map(|s| {
                let cites = s
                    .citations
                    .iter()
                    .map(|c| (c.key.clone(), c.file.clone(), c.passage))
                    .collect();
                (s.id.clone(), s.sha256, cites)
            })
            .collect()
    }

    #[test]
    fn a_lock_reads_back_as_written() {
        let lock = lock();
        let text: Arc<str> = lock.to_file_text().into();
        let back = Lock::parse(Path::new(FILE), &text).unwrap();
        assert_eq!(said(&back), said(&lock));
        // `n` and `item` only where they say something.
        assert_eq!(text.matches("\nn = 2\n").count(), 1, "{text}");
        assert_eq!(text.matches("\nn = ").count(), 1, "{text}");
        assert_eq!(text.matches("\nitem = \"envoy\"\n").count(), 2, "{text}");
        // Each entry is told where it stands.
        let at = back.sources[0].citations[2].at.as_ref().unwrap();
        assert_eq!(&text[at.span.clone()][..19], "[[source.citation]]");
    }

    #[test]
    fn what_is_not_a_lock_is_refused_at_its_place() {
        let text = lock().to_file_text();
        let refused = |text: String| {
            let text: Arc<str> = text.into();
            let d = Lock::parse(Path::new(FILE), &text).unwrap_err();
            assert_eq!(d.code, Code::LockSyntax);
            let at = d.location.unwrap();
            (d.message, at.line())
        };
        let line = |what: &str| text.lines().position(|l| l.starts_with(what)).unwrap() + 1;
        let (m, l) = refused(text.replacen("sha256 = \"", "sha256 = \"x", 1));
        assert!(m.contains("is not a SHA-256"), "{m}");
        assert_eq!(l, line("sha256"));
        let (m, l) = refused(text.replacen("start = 3", "begin = 3", 1));
        assert!(m.contains("unknown field `begin`"), "{m}");
        assert_eq!(l, line("start"));
        let (m, _) = refused(format!(
            "{text}\n[[source]]\nid = \"alpha\"\nsha256 = \"{}\"\n",
            Sha256::of("")
        ));
        assert_eq!(m, "brief.lock locks the source `alpha` twice");
        let (m, _) = refused(text.replacen("n = 2\n", "", 1));
        assert_eq!(m, "brief.lock locks this citation of `alpha` twice");
        let (m, _) = refused(text.replacen("start = 40", "start = 400", 1));
        assert!(m.contains("`start` is after its `end`"), "{m}");
    }
}
