//! Keeps the private output folder equal to the latest good build while touching as little
//! as it can: only files whose bytes changed are written, and only files the build no longer
//! makes are removed.
//!
//! Writing little matters twice over: a rebuild after one edit costs a few writes instead of
//! thousands, and the list of what really changed tells the browser whether a stylesheet swap
//! is enough or the page must reload.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::render::{Contents, OutFile, Part};

/// The private folder the server serves, and what was last written into it.
pub struct OutputDir {
    dir: PathBuf,
    /// What each file on disk holds, by site path. Rendered bytes are kept whole: comparing
    /// them with the next build's bytes is exact and faster than hashing, and the new build's
    /// buffers are moved in, never copied.
    held: HashMap<String, Held>,
}

/// What a written file holds.
#[derive(Debug, PartialEq)]
enum Held {
    Bytes(Vec<u8>),
    /// A user's static file, copied; known by where it came from and the source's size and
    /// modification time (reading every image on every rebuild to compare would be slow).
    Copy {
        src: PathBuf,
        len: u64,
        modified: Option<SystemTime>,
    },
}

/// The site paths a sync wrote or removed, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    /// True when the folder was left exactly as it was.
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

impl OutputDir {
    /// An output folder that is empty (as a fresh temporary folder is).
    pub fn new(dir: &Path) -> OutputDir {
        OutputDir {
            dir: dir.to_path_buf(),
            held: HashMap::new(),
        }
    }

    /// Makes the folder hold exactly `files` among the files `part` makes (the others are left
    /// as they are). Stale files go first (so a file may turn into a
    /// folder of the same name), then each changed file is written beside its place and
    /// renamed over it, so the server never reads a half-written file. On an error the
    /// folder may be partly updated, but what is recorded stays true, so the next sync
    /// finishes the job.
    pub fn sync(&mut self, files: Vec<OutFile>, part: Part) -> io::Result<Changes> {
        let mut changes = Changes::default();
        let mut wanted: HashMap<String, Contents> = HashMap::with_capacity(files.len());
        for f in files {
            if crate::write::safe_join(&self.dir, &f.path).is_none() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("refusing to write outside the output folder: {}", f.path),
                ));
            }
            wanted.insert(f.path, f.contents);
        }

        let mut stale: Vec<String> = self
            .held
            .keys()
            .filter(|p| part.makes(p) && !wanted.contains_key(*p))
            .cloned()
            .collect();
        stale.sort();
        for path in stale {
            let abs = self.path_of(&path);
            match std::fs::remove_file(&abs) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(annotate(e, &abs)),
            }
            self.held.remove(&path);
            self.prune_empty_parents(&abs);
            changes.removed.push(path);
        }

        let mut order: Vec<(String, Contents)> = wanted.into_iter().collect();
        order.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, contents) in order {
            let new = match contents {
                Contents::Bytes(bytes) => Held::Bytes(bytes),
                Contents::Copy(src) => {
                    let meta = std::fs::metadata(&src).map_err(|e| annotate(e, &src))?;
                    Held::Copy {
                        src,
                        len: meta.len(),
                        modified: meta.modified().ok(),
                    }
                }
            };
            if self.held.get(&path) == Some(&new) {
                continue;
            }
            // Forget the old state first: if writing fails, the next sync must not take the
            // file for up to date.
            self.held.remove(&path);
            let abs = self.path_of(&path);
            write_replacing(&abs, &new).map_err(|e| annotate(e, &abs))?;
            self.held.insert(path.clone(), new);
            changes.written.push(path);
        }
        Ok(changes)
    }

    fn path_of(&self, site_path: &str) -> PathBuf {
        // Checked by `sync` before anything is recorded.
        crate::write::safe_join(&self.dir, site_path).expect("a checked site path")
    }

    /// Removes the folders a removed file leaves empty, up to (not including) the root.
    fn prune_empty_parents(&self, file: &Path) {
        let mut dir = file.parent();
        while let Some(d) = dir {
            if d == self.dir || !d.starts_with(&self.dir) || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// Writes a file beside its place and renames it over the old one.
fn write_replacing(abs: &Path, contents: &Held) -> io::Result<()> {
    let parent = abs.parent().expect("a file inside the output folder");
    std::fs::create_dir_all(parent)?;
    let name = abs.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".brief-tmp-{}", name.unwrap_or_default()));
    let written = match contents {
        Held::Bytes(b) => std::fs::write(&tmp, b),
        Held::Copy { src, .. } => std::fs::copy(src, &tmp)
            .map(|_| ())
            .map_err(|e| annotate(e, src)),
    };
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, abs)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
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

    fn read(dir: &Path, p: &str) -> String {
        std::fs::read_to_string(dir.join(p)).unwrap()
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputDir::new(tmp.path());
        let first = out
            .sync(
                vec![
                    bytes("index.html", "home"),
                    bytes("a/b/index.html", "deep"),
                    bytes("assets/brief.css", "body{}"),
                ],
                Part::All,
            )
            .unwrap();
        assert_eq!(first.written.len(), 3);

        // An unchanged file is not rewritten: its modification time stays.
        let before = std::fs::metadata(tmp.path().join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = out
            .sync(
                vec![
                    bytes("index.html", "home"),
                    bytes("assets/brief.css", "body{color:red}"),
                ],
                Part::All,
            )
            .unwrap();
        assert_eq!(second.written, vec!["assets/brief.css"]);
        assert_eq!(second.removed, vec!["a/b/index.html"]);
        assert!(!second.only_css(), "a removed page is not a style change");
        let after = std::fs::metadata(tmp.path().join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert!(!tmp.path().join("a").exists(), "empty folders are pruned");
        assert_eq!(read(tmp.path(), "assets/brief.css"), "body{color:red}");

        let third = out
            .sync(
                vec![
                    bytes("index.html", "home"),
                    bytes("assets/brief.css", "body{color:blue}"),
                ],
                Part::All,
            )
            .unwrap();
        assert!(third.only_css());

        let none = out
            .sync(
                vec![
                    bytes("index.html", "home"),
                    bytes("assets/brief.css", "body{color:blue}"),
                ],
                Part::All,
            )
            .unwrap();
        assert!(none.is_empty() && !none.only_css());
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("assets"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary files left: {names:?}");
    }

    #[test]
    fn a_file_may_become_a_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputDir::new(tmp.path());
        out.sync(vec![bytes("x", "file")], Part::All).unwrap();
        let c = out
            .sync(vec![bytes("x/index.html", "page")], Part::All)
            .unwrap();
        assert_eq!(c.removed, vec!["x"]);
        assert_eq!(read(tmp.path(), "x/index.html"), "page");
    }

    #[test]
    fn copies_are_redone_when_the_source_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let src_dir = tempfile::tempdir().unwrap();
        let src = src_dir.path().join("logo.svg");
        std::fs::write(&src, "<svg/>").unwrap();
        let copy = || OutFile {
            path: "logo.svg".into(),
            contents: Contents::Copy(src.clone()),
        };
        let mut out = OutputDir::new(tmp.path());
        assert_eq!(
            out.sync(vec![copy()], Part::All).unwrap().written,
            vec!["logo.svg"]
        );
        assert!(out.sync(vec![copy()], Part::All).unwrap().is_empty());
        std::fs::write(&src, "<svg></svg>").unwrap();
        assert_eq!(
            out.sync(vec![copy()], Part::All).unwrap().written,
            vec!["logo.svg"]
        );
        assert_eq!(read(tmp.path(), "logo.svg"), "<svg></svg>");
    }

    #[test]
    fn refuses_paths_outside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let inner = tmp.path().join("out");
        std::fs::create_dir(&inner).unwrap();
        let mut out = OutputDir::new(&inner);
        assert!(out.sync(vec![bytes("../evil", "x")], Part::All).is_err());
        assert!(!tmp.path().join("evil").exists());
    }

    #[test]
    fn a_part_leaves_the_other_files_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputDir::new(tmp.path());
        out.sync(
            vec![bytes("index.html", "home"), bytes("a/index.html", "a")],
            Part::All,
        )
        .unwrap();
        let first: std::collections::HashSet<String> = ["a/index.html".to_string()].into();
        // The first half of a rebuild: only a/index.html is its business.
        let c = out
            .sync(vec![bytes("a/index.html", "a2")], Part::Only(&first))
            .unwrap();
        assert_eq!(c.written, vec!["a/index.html"]);
        assert!(c.removed.is_empty());
        assert_eq!(read(tmp.path(), "index.html"), "home");
        // The second half: everything else; a/index.html stays though not among the files.
        let c = out
            .sync(vec![bytes("b/index.html", "b")], Part::AllBut(&first))
            .unwrap();
        assert_eq!(c.written, vec!["b/index.html"]);
        assert_eq!(c.removed, vec!["index.html"]);
        assert_eq!(read(tmp.path(), "a/index.html"), "a2");
    }
}
