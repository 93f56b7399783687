//! The briefing as it was at a git ref, read with git from the repository's history into a
//! temporary folder outside it: no working file, no index, no ref of the repository is
//! touched (only `rev-parse`, `ls-tree` and `cat-file` are run).

use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::diagnostics::{Code, Diagnostic};

/// The folders and files of a briefing that its snapshot is made from (static/ and the rest
/// of the repository are not read).
fn wanted(path: &str) -> bool {
    path == "site.toml" || path.starts_with("content/") || path.starts_with("templates/")
}

/// A git command on the repository holding `root`, isolated from an inherited index or work
/// tree (as in a hook).
fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(root)
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_DIR")
        .stdin(Stdio::null());
    c
}

fn run(c: &mut Command) -> Result<Output, Diagnostic> {
    c.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::error(Code::GitMissing, "git is not installed (or not on PATH)")
                .help("install git (https://git-scm.com/downloads), or give --since the briefing.json of an earlier build")
        } else {
            Diagnostic::error(Code::GitFailed, format!("cannot run git: {e}"))
                .help("check that git is installed and can be run")
        }
    })
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// Whether `reference` may be handed to git as a revision: not empty, not an option (a
/// leading `-`), and without the characters no ref or revision holds.
fn plausible(reference: &str) -> bool {
    !reference.is_empty()
        && !reference.starts_with('-')
        && !reference
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
}

/// Checks out the briefing in `root` as it was at `reference` into `into` (an empty folder):
/// site.toml, content/ and templates/ from the same folder of the repository. Returns the
/// commit's full and short id.
pub(super) fn extract(
    root: &Path,
    reference: &str,
    into: &Path,
) -> Result<(String, String), Diagnostic> {
    let bad_ref = |why: String| {
        Diagnostic::error(
            Code::SinceRef,
            format!("--since `{reference}` names no commit: {why}"),
        )
        .help("give a commit, branch or tag of the briefing's repository (HEAD~1, v14, a commit id), or the path of an earlier build's briefing.json")
    };
    if !plausible(reference) {
        return Err(bad_ref(
            "a git ref cannot be empty, start with `-` or hold spaces or control characters".into(),
        ));
    }
    let prefix = run(git(root).args(["rev-parse", "--show-prefix"]))?;
    if !prefix.status.success() {
        let shown = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        return Err(Diagnostic::error(
            Code::NotARepository,
            format!(
                "--since `{reference}`: {} is not in a git repository: {}",
                shown.display(),
                stderr_of(&prefix)
            ),
        )
        .help("a git ref is read from the briefing's repository; outside one, give --since the path of an earlier build's briefing.json"));
    }
    let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    // `--end-of-options`: whatever the ref is, git reads it as a revision, never an option.
    let commit = run(git(root).args([
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{reference}^{{commit}}"),
    ]))?;
    if !commit.status.success() {
        return Err(bad_ref(
            "git knows no commit of that name in this repository".into(),
        ));
    }
    let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();
    let short = commit.chars().take(7).collect::<String>();
    let tree = format!("{commit}:{prefix}");
    // `--full-tree`: from inside the repository, ls-tree would list only the part of the tree
    // under the current folder's path (which the tree, already that folder, does not hold).
    let listing = run(git(root).args([
        "ls-tree",
        "-r",
        "-z",
        "--full-tree",
        "--end-of-options",
        &tree,
    ]))?;
    if !listing.status.success() {
        return Err(Diagnostic::error(
            Code::SinceBaseline,
            format!("--since `{reference}`: the commit {short} has no folder {prefix}"),
        )
        .help("the briefing's folder did not exist at that commit: give a later one"));
    }
    // (mode, object, path) of each file under the briefing's folder.
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    for entry in listing.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        if kind != "blob" || !wanted(path) {
            continue;
        }
        // A tree made by hand may hold `..` or an absolute path: nothing is written outside
        // the temporary folder.
        let safe = Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(n) if n != ".git"));
        if safe {
            files.push((mode.to_string(), object.to_string(), PathBuf::from(path)));
        }
    }
    if !files.iter().any(|(_, _, p)| p == Path::new("site.toml")) {
        return Err(Diagnostic::error(
            Code::SinceBaseline,
            format!(
                "--since `{reference}`: the commit {short} has no site.toml in {}",
                if prefix.is_empty() {
                    "the repository's top folder".to_string()
                } else {
                    prefix.clone()
                }
            ),
        )
        .help("the briefing did not exist at that commit: give a later one"));
    }
    write_blobs(root, &files, into).map_err(|e| {
        Diagnostic::error(
            Code::SinceBaseline,
            format!("--since `{reference}`: cannot read the briefing at {short} into a temporary folder: {e}"),
        )
        .help("check that the temporary folder (TMPDIR) is writable")
    })?;
    Ok((commit, short))
}

/// Writes each blob of `files` under `into`, read with one `git cat-file --batch`.
fn write_blobs(
    root: &Path,
    files: &[(String, String, PathBuf)],
    into: &Path,
) -> std::io::Result<()> {
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped");
    let objects: Vec<String> = files.iter().map(|(_, o, _)| o.clone()).collect();
    // Written from a thread: git answers as it reads, and a full pipe either way would stop
    // both.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for o in objects {
            writeln!(stdin, "{o}")?;
        }
        Ok(())
    });
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let result = read_blobs(&mut out, files, into);
    drop(out);
    let _ = writer.join();
    let _ = child.wait();
    result
}

/// Reads `files`' blobs from `git cat-file --batch`'s output into `into`.
fn read_blobs(
    out: &mut impl BufRead,
    files: &[(String, String, PathBuf)],
    into: &Path,
) -> std::io::Result<()> {
    for (mode, _, path) in files {
        let mut header = String::new();
        out.read_line(&mut header)?;
        // `<object> blob <size>`
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("git cat-file said {header:?}")))?;
        let mut body = vec![0; size];
        out.read_exact(&mut body)?;
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
        let target = into.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if mode == "120000" {
            // A symbolic link: the same link, so the briefing loads as it did (and a link
            // leading outside it is refused as it was).
            #[cfg(unix)]
            std::os::unix::fs::symlink(String::from_utf8_lossy(&body).as_ref(), &target)?;
            continue;
        }
        std::fs::write(&target, &body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_that_would_be_options_are_refused() {
        for bad in ["", "-p", "--output=x", "a b", "a\nb"] {
            assert!(!plausible(bad), "{bad:?}");
        }
        for good in [
            "HEAD~1",
            "v14",
            "main",
            "3f2a9c1",
            "HEAD@{1}",
            "origin/main",
        ] {
            assert!(plausible(good), "{good:?}");
        }
    }
}
