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
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use axum::body::Bytes;

use crate::output::{Contents, OutFile, Sink};

/// Every file of a build, by site path (`people/x/index.html`).
#[derive(Default)]
pub struct Site {
    files: HashMap<String, File>,
    /// The files of the build made only when first asked for (see [`Site::defer`]).
    later: Option<Later>,
}

/// How a file left for later is made from the build's briefing: its bytes, or `None`.
pub type Make = Box<dyn Fn(&crate::resolve::Briefing, &str) -> Option<Vec<u8>> + Send + Sync>;

/// Files of a build made when first asked for, from the briefing of that very build: a
/// request for one sees the build it belongs to, like every other file of the site.
struct Later {
    briefing: Arc<crate::resolve::Briefing>,
    /// Makes the file at a path from the briefing.
    make: Make,
    /// Each file, once made (`None`: the render failed, or the site has no such file).
    files: HashMap<String, OnceLock<Option<Bytes>>>,
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
    /// now (see [`Gather`], which does the work as a build makes the files).
    #[cfg(test)]
    pub fn new(files: Vec<OutFile>, last: &Site) -> io::Result<(Site, Changes)> {
        let gather = Gather::new(last);
        for f in files {
            gather.put(f)?;
        }
        gather.finish()
    }

    /// The bytes of the file at a site path. A file the build left to be made when wanted
    /// ([`Site::defer`]) is made now, once, from the build's own briefing.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        if let Some(f) = self.files.get(path) {
            return Some(&f.bytes);
        }
        let later = self.later.as_ref()?;
        let cell = later.files.get(path)?;
        cell.get_or_init(|| (later.make)(&later.briefing, path).map(Bytes::from))
            .as_ref()
    }

    /// Whether the site has a file at `path`, without making a deferred one.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
            || self
                .later
                .as_ref()
                .is_some_and(|l| l.files.contains_key(path))
    }

    /// Leaves the files at `paths` to be made by `make` from `briefing`, the briefing of this
    /// build, when first asked for (see [`crate::Session::rebuild_deferring`]).
    pub fn defer(&mut self, briefing: Arc<crate::resolve::Briefing>, paths: &[String], make: Make) {
        let files = paths
            .iter()
            .filter(|p| !self.files.contains_key(*p))
            .map(|p| (p.clone(), OnceLock::new()))
            .collect();
        self.later = Some(Later {
            briefing,
            make,
            files,
        });
    }

    /// How many files the site has, those made when wanted among them.
    pub fn len(&self) -> usize {
        self.files.len() + self.later.as_ref().map_or(0, |l| l.files.len())
    }
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("files", &self.files.len())
            .field("later", &self.later.as_ref().map(|l| l.files.len()))
            .finish()
    }
}

/// Takes the files of a build as they are made (it is the build's [`Sink`]) and makes the
/// new [`Site`] of them, comparing each with `last`, the site served until now. A file
/// whose bytes are unchanged is dropped at once for the served copy of it, so a rebuild
/// holds the served site and only what changed, not two whole sites.
pub struct Gather<'a> {
    last: &'a Site,
    made: Mutex<Vec<Made>>,
}

/// A file of the new build, as [`Gather`] took it.
enum Made {
    /// Rendered bytes; `changed` when they differ from the served file's.
    Rendered {
        path: String,
        bytes: Bytes,
        changed: bool,
    },
    /// A user's static file, read when the build is done (see [`Gather::finish`]).
    Copy { path: String, src: PathBuf },
}

impl<'a> Gather<'a> {
    pub fn new(last: &'a Site) -> Gather<'a> {
        Gather {
            last,
            made: Mutex::new(Vec::new()),
        }
    }

    /// The new site and how it differs from the one served: call it once the build
    /// succeeded. Static files are read here, unless the served site read them already
    /// and their size and modification time are unchanged; fails only when one cannot be
    /// read.
    pub fn finish(self) -> io::Result<(Site, Changes)> {
        let made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut site = Site {
            files: HashMap::with_capacity(made.len()),
            later: None,
        };
        let mut changes = Changes::default();
        for m in made {
            let (path, file, changed) = match m {
                Made::Rendered {
                    path,
                    bytes,
                    changed,
                } => (
                    path,
                    File {
                        bytes,
                        origin: None,
                    },
                    changed,
                ),
                Made::Copy { path, src } => {
                    let origin = Origin::of(&src)?;
                    let old = self.last.files.get(&path);
                    let bytes = match old {
                        Some(old) if old.origin.as_ref() == Some(&origin) => old.bytes.clone(),
                        _ => Bytes::from(std::fs::read(&src).map_err(|e| annotate(e, &src))?),
                    };
                    let changed = old.is_none_or(|old| old.bytes != bytes);
                    let file = File {
                        bytes,
                        origin: Some(origin),
                    };
                    (path, file, changed)
                }
            };
            if changed {
                changes.written.push(path.clone());
            }
            site.files.insert(path, file);
        }
        changes.removed = self
            .last
            .files
            .keys()
            .filter(|p| !site.files.contains_key(*p))
            .cloned()
            .collect();
        changes.written.sort();
        // A path made twice is the last one made (as `insert` keeps it), and told once.
        changes.written.dedup();
        changes.removed.sort();
        Ok((site, changes))
    }
}

impl Sink for Gather<'_> {
    fn put(&self, file: OutFile) -> io::Result<()> {
        let made = match file.contents {
            Contents::Bytes(bytes) => match self.last.files.get(&file.path) {
                // Compared here, on the renderer's threads, so that the new copy of an
                // unchanged file is freed as soon as it is made.
                Some(old) if old.bytes == bytes => Made::Rendered {
                    path: file.path,
                    bytes: old.bytes.clone(),
                    changed: false,
                },
                _ => Made::Rendered {
                    path: file.path,
                    bytes: Bytes::from(bytes),
                    changed: true,
                },
            },
            Contents::Copy(src) => Made::Copy {
                path: file.path,
                src,
            },
        };
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(made);
        Ok(())
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
