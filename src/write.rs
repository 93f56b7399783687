//! Writing: where rendered files go.
//!
//! A build writes into a fresh staging folder beside the output folder, file by file as pages
//! are rendered, and swaps it in with two renames only when the whole build succeeded. So a
//! failed build, a full disk or a Ctrl-C never leaves a half-written site where the last good
//! one was, and a large site is never held in memory whole.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::render::{Contents, OutFile, Sink};

/// A staging folder that becomes the output folder on [`Staging::commit`], and is removed
/// otherwise.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    files: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn new(output: &Path) -> std::io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            files: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// The number of files written so far.
    pub fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Puts the staged site in place of the output folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace("brief-new", "brief-old"))
                .unwrap_or_default(),
        );
        let _ = std::fs::remove_dir_all(&old);
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            // Put the last good site back.
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        let path = safe_join(&self.dir, &file.path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", file.path),
            )
        })?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        match &file.contents {
            Contents::Bytes(b) => std::fs::write(&path, b)?,
            Contents::Copy(src) => {
                std::fs::copy(src, &path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", src.display()))
                })?;
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Keeps the files in memory (for `brief serve`, which compares them with what it serves).
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutFile>>,
}

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        if safe_join(Path::new("."), &file.path).is_none() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing a path outside the site: {}", file.path),
            ));
        }
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(())
    }
}

/// Drops every file (for `brief check`, which only verifies).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// Joins a site path to the output folder, refusing anything that would leave it.
pub(crate) fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for seg in rel.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') || seg.contains(':') {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the new contents of `output`, all or nothing.
    fn write_site(output: &Path, files: &[OutFile]) -> std::io::Result<()> {
        let staging = Staging::new(output)?;
        for f in files {
            staging.put(f.clone())?;
        }
        staging.commit()
    }

    fn file(path: &str, s: &str) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn a_dropped_staging_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "good")]).unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.put(file("index.html", "half")).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "good")]).unwrap();
        assert!(write_site(&out, &[file("../evil", "x")]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert!(!dir.path().join("evil").exists());
        assert!(Memory::default().put(file("a/../../x", "")).is_err());
    }
}
