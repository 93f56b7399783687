//! Helpers for the end-to-end tests: copies of fixture sites, runs of the real binary, and git
//! with a fixed identity and no user or system configuration.

#![allow(dead_code)]

pub mod linked;
pub mod search_index;
pub mod theme_words;

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
        copy_fixture(name, dir.path());
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
        let root = self.path().join("public");
        files_under(&root)
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("read");
                (p.strip_prefix(&root).expect("prefix").to_path_buf(), bytes)
            })
            .collect()
    }
}

/// The result of a run of the binary.
pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The problems on stderr, each as one line `error: file:line:col: message` (what the
    /// first two lines of brief's rustc-style block say), for tests to look for.
    pub problems: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        Run {
            ok: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            problems: one_line_problems(&stderr),
            stderr,
        }
    }
}

/// Each problem of brief's output (`error[code]: message`, then ` --> file:line:col` when it
/// has a place) as one line: `error: file:line:col: message`.
pub fn one_line_problems(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        for severity in ["error", "warning"] {
            let Some(rest) = line
                .strip_prefix(severity)
                .and_then(|r| r.strip_prefix('['))
            else {
                continue;
            };
            let Some((_, message)) = rest.split_once("]: ") else {
                continue;
            };
            let place = lines
                .get(i + 1)
                .and_then(|l| l.trim_start().strip_prefix("--> "));
            match place {
                Some(place) => out.push_str(&format!("{severity}: {place}: {message}\n")),
                None => out.push_str(&format!("{severity}: {message}\n")),
            }
        }
    }
    out
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// Runs `brief <args>` in `dir`, with git isolated as in [`git`].
pub fn brief(dir: &Path, args: &[&str]) -> Run {
    brief_with_env(dir, args, &[])
}

/// [`brief`] with environment variables set (`PATH` without git, a `TMPDIR` that is not there).
pub fn brief_with_env(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brief"));
    c.args(args).current_dir(dir).env("NO_COLOR", "1");
    isolate_git(&mut c);
    c.envs(vars.iter().copied());
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

/// Checks that every quoted citation's byte offsets in briefing.json cut its quote out of its
/// source's `text` (after folding); returns how many quoted citations there are.
pub fn check_offsets(json: &serde_json::Value) -> usize {
    let sources = json["sources"].as_array().expect("sources");
    let mut quoted = 0;
    for c in json["citations"].as_array().expect("citations") {
        let Some(quote) = c["quote"].as_str() else {
            continue;
        };
        let s = sources
            .iter()
            .find(|s| s["id"] == c["source"])
            .expect("cited source");
        let text = s["text"].as_str().expect("text");
        let (a, b) = (
            c["start"].as_u64().expect("start") as usize,
            c["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(fold(&text[a..b]), fold(quote), "offsets of {quote:?}");
        quoted += 1;
    }
    quoted
}

/// The folder of the five seed reports (../shared/seeds/ beside the repository), or `None`
/// when they are not there — they never are on a user's clone, only in the project's own CI,
/// which sets `BRIEF_REQUIRE_SEEDS=1` so that they are never skipped there. `test` names the
/// test in the line that says it was skipped.
pub fn seed_reports(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let present = dir.is_dir();
    needed_or_skipped(
        test,
        "the seed reports",
        dir,
        present,
        "they are only beside the repository in the project's own CI",
    )
}

/// ../shared/standards/ beside the repository (the W3C annotation context, the CSL schema),
/// or `None` (with a note) when it is not there.
pub fn standards(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/standards");
    let present = dir.is_dir();
    needed_or_skipped(
        test,
        "the standards documents",
        dir,
        present,
        "they are only beside the repository in the project's own CI",
    )
}

/// The folder of the pinned Python packages the outside checks use (PyLD, jsonschema), which
/// scripts/test.sh installs into target/ci-python (or `BRIEF_CI_PYTHON`), when `module` is
/// there; else `None` (with a note).
pub fn python_packages(test: &str, module: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("BRIEF_CI_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-python"));
    let present = dir.join(module).is_dir();
    needed_or_skipped(
        test,
        &format!("the Python package `{module}`"),
        dir,
        present,
        "scripts/test.sh installs it: pip install --target target/ci-python PyLD==2.0.4 jsonschema==4.26.0",
    )
}

/// Runs the Python `script` with `args` and the pinned `packages` on its path.
pub fn python(packages: &Path, script: &Path, args: &[&Path]) -> Run {
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .env("PYTHONPATH", packages)
        .output()
        .expect("run python3");
    Run::from(out)
}

/// `dir` when `present`; otherwise `None` and a line saying that `test` is skipped for want of
/// `what` (`why` says where to get it), or, with `BRIEF_REQUIRE_SEEDS=1` (CI), a panic: in
/// CI nothing is skipped.
pub fn needed_or_skipped(
    test: &str,
    what: &str,
    dir: PathBuf,
    present: bool,
    why: &str,
) -> Option<PathBuf> {
    if present {
        return Some(dir);
    }
    if std::env::var_os("BRIEF_REQUIRE_SEEDS").is_some_and(|v| v == "1") {
        panic!(
            "{what} needed at {} (BRIEF_REQUIRE_SEEDS=1): not found; {why}",
            dir.display()
        );
    }
    // Straight to standard error, past the test harness's capture, so that it is seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "note: {test} skipped: {what} not found at {} ({why})",
        dir.display()
    );
    None
}
