//! The site serve answers from: every file of one whole, successful build, held in memory.
//!
//! A [`Site`] never changes once made. The builder makes a new one from each good build and
//! the server swaps it in at once (see [`super::state`]), so a request is always answered
//! from one build, never from a mix of an old and a new one, and serve writes nothing to
//! disk. Comparing the new build with the site served tells the open pages what changed: a
//! stylesheet swap is enough, only some pages reload, or nothing happened.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use axum::body::Bytes;

use crate::render::{Contents, OutFile};

/// Every file of a build, by site path (`people/x/index.html`).
#[derive(Debug, Default)]
pub struct Site {
    files: HashMap<String, File>,
}

/// One file of a site.
#[derive(Debug)]
struct File {
    /// The bytes served. [`Bytes`] so that a response shares them instead of copying.
    bytes: Bytes,
    /// For a user's static file: where it was read from, so the next build can reuse the
    /// bytes instead of reading every image again.
    origin: Option<Origin>,
}

/// A static file as it was on disk when read: its path, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    src: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl Origin {
    fn of(src: &Path) -> io::Result<Origin> {
        let meta = std::fs::metadata(src).map_err(|e| annotate(e, src))?;
        Ok(Origin {
            src: src.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// The site paths a new build wrote anew (added or changed) or removed, compared with the
/// site served before it; each list sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    /// True when the new build is byte for byte the old one.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }

    /// True when something changed and every changed file is a stylesheet: then open pages
    /// can swap their stylesheets instead of reloading.
    pub fn only_css(&self) -> bool {
        !self.is_empty()
            && self
                .written
                .iter()
                .chain(&self.removed)
                .all(|p| p.to_ascii_lowercase().ends_with(".css"))
    }

    /// How many files changed.
    pub fn len(&self) -> usize {
        self.written.len() + self.removed.len()
    }
}

impl Site {
    /// The site of a build's `files`, and how it differs from `last`, the site served until
    /// now. Rendered bytes are moved in, never copied; a static file is read, unless `last`
    /// read it already and its size and modification time are unchanged. Fails only when a
    /// static file cannot be read.
    pub fn new(files: Vec<OutFile>, last: &Site) -> io::Result<(Site, Changes)> {
        let mut site = Site {
            files: HashMap::with_capacity(files.len()),
        };
        let mut changes = Changes::default();
        for f in files {
            let old = last.files.get(&f.path);
            let file = match f.contents {
                Contents::Bytes(bytes) => File {
                    bytes: Bytes::from(bytes),
                    origin: None,
                },
                Contents::Copy(src) => {
                    let origin = Origin::of(&src)?;
                    match old {
                        Some(old) if old.origin.as_ref() == Some(&origin) => File {
                            bytes: old.bytes.clone(),
                            origin: Some(origin),
                        },
                        _ => File {
                            bytes: Bytes::from(std::fs::read(&src).map_err(|e| annotate(e, &src))?),
                            origin: Some(origin),
                        },
                    }
                }
            };
            if old.is_none_or(|old| old.bytes != file.bytes) {
                changes.written.push(f.path.clone());
            }
            site.files.insert(f.path, file);
        }
        changes.removed = last
            .files
            .keys()
            .filter(|p| !site.files.contains_key(*p))
            .cloned()
            .collect();
        changes.written.sort();
        changes.removed.sort();
        Ok((site, changes))
    }

    /// The bytes of the file at a site path.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.files.get(path).map(|f| &f.bytes)
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len()
    }
}

fn annotate(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(path: &str, s: &str) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
    }

    #[test]
    fn tells_what_changed_and_what_went() {
        let (first, c) = Site::new(
            vec![
                bytes("index.html", "home"),
                bytes("a/b/index.html", "deep"),
                bytes("assets/brief.css", "body{}"),
            ],
            &Site::default(),
        )
        .unwrap();
        assert_eq!(c.written.len(), 3);
        assert!(c.removed.is_empty());

        let (second, c) = Site::new(
            vec![
                bytes("index.html", "home"),
                bytes("assets/brief.css", "body{color:red}"),
            ],
            &first,
        )
        .unwrap();
        assert_eq!(c.written, vec!["assets/brief.css"]);
        assert_eq!(c.removed, vec!["a/b/index.html"]);
        assert!(!c.only_css(), "a removed page is not a style change");
        assert_eq!(second.get("a/b/index.html"), None);
        assert_eq!(second.get("assets/brief.css").unwrap(), "body{color:red}");
        // The old site is untouched: a request being answered from it sees it whole.
        assert_eq!(first.get("a/b/index.html").unwrap(), "deep");

        let (third, c) = Site::new(
            vec![
                bytes("index.html", "home"),
                bytes("assets/brief.css", "body{color:blue}"),
            ],
            &second,
        )
        .unwrap();
        assert!(c.only_css());

        let (_, c) = Site::new(
            vec![
                bytes("index.html", "home"),
                bytes("assets/brief.css", "body{color:blue}"),
            ],
            &third,
        )
        .unwrap();
        assert!(c.is_empty() && !c.only_css());
    }

    #[test]
    fn static_files_are_read_again_only_when_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("logo.svg");
        std::fs::write(&src, "<svg/>").unwrap();
        let copy = || OutFile {
            path: "logo.svg".into(),
            contents: Contents::Copy(src.clone()),
        };
        let (first, c) = Site::new(vec![copy()], &Site::default()).unwrap();
        assert_eq!(c.written, vec!["logo.svg"]);
        assert_eq!(first.get("logo.svg").unwrap(), "<svg/>");

        let (second, c) = Site::new(vec![copy()], &first).unwrap();
        assert!(c.is_empty());
        // The same bytes, shared rather than read again.
        assert_eq!(
            second.get("logo.svg").unwrap().as_ptr(),
            first.get("logo.svg").unwrap().as_ptr()
        );

        std::fs::write(&src, "<svg></svg>").unwrap();
        let (third, c) = Site::new(vec![copy()], &second).unwrap();
        assert_eq!(c.written, vec!["logo.svg"]);
        assert_eq!(third.get("logo.svg").unwrap(), "<svg></svg>");

        std::fs::remove_file(&src).unwrap();
        let err = Site::new(vec![copy()], &third).unwrap_err();
        assert!(err.to_string().contains("logo.svg"), "{err}");
    }
}
