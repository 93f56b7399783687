//! Helpers for the end-to-end tests: copies of fixture sites and runs of the real binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary copy of a fixture site under tests/fixtures/.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn copy(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&from, dir.path());
        Site { dir }
    }

    /// The site's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `brief <args>` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run brief");
        Run::from(out)
    }

    /// Builds into public/ and asserts success without warnings.
    pub fn build_clean(&self) -> Run {
        let run = self.run(&["build"]);
        assert!(run.ok, "build failed:\n{}", run.stderr);
        assert!(
            !run.stderr.contains("warning"),
            "build warned:\n{}",
            run.stderr
        );
        run
    }

    /// A file of the built site, as text.
    pub fn output(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join("public").join(path))
            .unwrap_or_else(|e| panic!("public/{path}: {e}"))
    }

    /// Reads a file of the site.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).expect("read")
    }

    /// Writes a file of the site.
    pub fn write(&self, path: &str, text: &str) {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Replaces `from` with `to` in a file of the site (which must contain it).
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Every file under public/ with its bytes, to compare outputs.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let root = self.path().join("public");
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.insert(
                        p.strip_prefix(&root).expect("prefix").to_path_buf(),
                        std::fs::read(&p).expect("read"),
                    );
                }
            }
        }
        out
    }
}

/// The result of a run of the binary.
pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            ok: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// The folded form used for quote matching, for checking offsets from outside the crate.
pub fn fold(s: &str) -> String {
    brief::text::fold::fold(s)
}
