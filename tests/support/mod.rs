//! Helpers for the GitHub Pages tests: temporary copies of fixture sites, runs of the real
//! binary, and git with a fixed identity and no user or system configuration.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of running a program.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `brief <args>` in `dir`, with git isolated as in [`git`].
pub fn brief(dir: &Path, args: &[&str]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brief"));
    c.args(args).current_dir(dir).env("NO_COLOR", "1");
    isolate_git(&mut c);
    c.output().expect("run brief").into()
}

/// Runs `git <args>` in `dir` and returns its trimmed stdout, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let run = git_run(dir, args);
    assert!(
        run.ok,
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        run.stderr
    );
    run.stdout.trim().to_string()
}

/// Runs `git <args>` in `dir`.
pub fn git_run(dir: &Path, args: &[&str]) -> Run {
    let mut c = Command::new("git");
    c.args(args).current_dir(dir);
    isolate_git(&mut c);
    c.output().expect("run git").into()
}

/// A fixed identity, no global or system configuration, and never a prompt, so git behaves
/// the same on every machine and never waits for input.
fn isolate_git(c: &mut Command) {
    c.env("GIT_AUTHOR_NAME", "Brief Test")
        .env("GIT_AUTHOR_EMAIL", "test@brief.invalid")
        .env("GIT_COMMITTER_NAME", "Brief Test")
        .env("GIT_COMMITTER_EMAIL", "test@brief.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
}

/// Copies `tests/fixtures/<name>` into `to` (created if missing).
pub fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&from, to);
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` (relative path with `/` → bytes), to compare folders.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for path in files_under(dir) {
        let rel = path
            .strip_prefix(dir)
            .expect("under dir")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.insert(rel, std::fs::read(&path).expect("read"));
    }
    out
}

/// Every file under `dir`, skipping `.git`.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                if e.file_name() != ".git" {
                    stack.push(p);
                }
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
