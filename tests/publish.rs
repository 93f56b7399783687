//! `brief publish` against a local bare repository: the site becomes the whole tree of
//! gh-pages, history is kept, identical builds make no commit, and the user's working tree,
//! index and branch are exactly as before.

mod common;

use std::path::{Path, PathBuf};

use common::{brief, brief_with_env, copy_fixture, git, git_run, snapshot};

/// A working repository holding the fixture site (committed on main), with a bare
/// repository beside it as `origin`.
struct Repos {
    _dir: tempfile::TempDir,
    work: PathBuf,
    origin: PathBuf,
}

fn repos() -> Repos {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin.git");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "--quiet", "--bare", "-b", "main"]);
    copy_fixture("pages", &work);
    std::fs::write(work.join(".gitignore"), "/public/\n").unwrap();
    git(&work, &["init", "--quiet", "-b", "main"]);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "--quiet", "-m", "The briefing"]);
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    Repos {
        _dir: dir,
        work,
        origin,
    }
}

/// What publishing must leave alone: status, current branch, index, HEAD, and the files.
fn state(
    work: &Path,
) -> (
    String,
    String,
    String,
    String,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    (
        git(work, &["status", "--porcelain", "--untracked-files=all"]),
        git(work, &["rev-parse", "--abbrev-ref", "HEAD"]),
        git(work, &["ls-files", "-s"]),
        git(work, &["rev-parse", "HEAD"]),
        snapshot(work),
    )
}

/// The tip of a branch, or `None`.
fn tip(repo: &Path, branch: &str) -> Option<String> {
    let run = git_run(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/heads/{branch}"),
        ],
    );
    run.ok.then(|| run.stdout.trim().to_string())
}

#[test]
fn publishes_the_site_as_the_branch_tree_without_touching_the_work() {
    let r = repos();
    // An uncommitted change and a staged one: both must stay exactly as they are.
    std::fs::write(r.work.join("notes.txt"), "untracked\n").unwrap();
    let index = r.work.join("content/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("{text}\nA staged line.\n")).unwrap();
    git(&r.work, &["add", "content/index.md"]);
    std::fs::write(
        &index,
        format!("{text}\nA staged line.\n\nAn unstaged line.\n"),
    )
    .unwrap();
    let before = state(&r.work);

    let run = brief(&r.work, &["publish"]);
    assert!(run.ok, "publish failed:\n{}", run.stderr);
    assert_eq!(
        state(&r.work),
        before,
        "publish touched the working repository"
    );
    assert!(!r.work.join("public").exists(), "publish builds elsewhere");

    // The site is the whole tree of gh-pages on the remote, at its root.
    let first = tip(&r.origin, "gh-pages").expect("gh-pages was pushed");
    let files = git(&r.origin, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    let files: Vec<&str> = files.lines().collect();
    for f in [
        "index.html",
        "404.html",
        ".nojekyll",
        "CNAME",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(
            files.contains(&f),
            "{f} is not at the top of gh-pages: {files:?}"
        );
    }
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with("content/") && *f != "site.toml"),
        "{files:?}"
    );
    // Built from the working tree as it is: the unstaged line is in the site.
    let page = git(&r.origin, &["show", "gh-pages:index.html"]);
    assert!(page.contains("An unstaged line."));
    // A single commit with no parent, and the local branch is the same.
    assert_eq!(git(&r.origin, &["rev-list", "--count", "gh-pages"]), "1");
    assert_eq!(tip(&r.work, "gh-pages").as_deref(), Some(first.as_str()));

    // Again with no change: no new commit, here or there.
    let run = brief(&r.work, &["publish"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("no new commit"), "{}", run.stderr);
    assert_eq!(tip(&r.origin, "gh-pages").as_deref(), Some(first.as_str()));
    assert_eq!(state(&r.work), before);

    // A change to the content: a second commit on top of the first.
    std::fs::write(&index, format!("{text}\nA new paragraph.\n")).unwrap();
    let before = state(&r.work);
    let run = brief(&r.work, &["publish", "--message", "Second & last"]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(state(&r.work), before);
    let second = tip(&r.origin, "gh-pages").unwrap();
    assert_ne!(second, first);
    assert_eq!(git(&r.origin, &["rev-parse", "gh-pages^"]), first);
    assert_eq!(
        git(&r.origin, &["log", "-1", "--format=%s", "gh-pages"]),
        "Second & last"
    );
    assert!(git(&r.origin, &["show", "gh-pages:index.html"]).contains("A new paragraph."));
}

#[test]
fn no_push_commits_locally_only() {
    let r = repos();
    let before = state(&r.work);
    let run = brief(&r.work, &["publish", "--no-push", "--branch", "site"]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(state(&r.work), before);
    let local = tip(&r.work, "site").expect("the local branch was made");
    assert_eq!(tip(&r.origin, "site"), None, "nothing was pushed");
    assert!(
        git(&r.work, &["ls-tree", "--name-only", "site"])
            .lines()
            .any(|f| f == "index.html")
    );

    // A later publish pushes that commit: the site did not change, so no new one.
    let run = brief(&r.work, &["publish", "--branch", "site"]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(tip(&r.origin, "site"), Some(local.clone()));
    assert_eq!(tip(&r.work, "site"), Some(local));
}

#[test]
fn builds_on_the_remote_branch_when_the_local_one_is_missing() {
    let r = repos();
    git(&r.work, &["push", "--quiet", "origin", "main"]);
    // Another machine's clone, made before anything was published: it knows no gh-pages.
    let parent = r.work.parent().unwrap();
    git(
        parent,
        &["clone", "--quiet", r.origin.to_str().unwrap(), "clone"],
    );
    let clone = parent.join("clone");
    assert!(brief(&r.work, &["publish"]).ok);
    let first = tip(&r.origin, "gh-pages").unwrap();

    // Its publish fetches the remote's branch and builds on it.
    std::fs::write(
        clone.join("content/pages/extra.md"),
        "---\ntitle: Extra\n---\nMore.\n",
    )
    .unwrap();
    let run = brief(&clone, &["publish"]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(git(&r.origin, &["rev-parse", "gh-pages^"]), first);
    assert_eq!(tip(&clone, "gh-pages"), tip(&r.origin, "gh-pages"));

    // Now the first machine's gh-pages is behind: it moves forward, it does not diverge.
    std::fs::write(
        r.work.join("content/pages/other.md"),
        "---\ntitle: Other\n---\nMore.\n",
    )
    .unwrap();
    let run = brief(&r.work, &["publish"]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(git(&r.origin, &["rev-list", "--count", "gh-pages"]), "3");
}

#[test]
fn a_failed_build_publishes_nothing() {
    let r = repos();
    std::fs::write(
        r.work.join("content/index.md"),
        "Broken [@talks-report \"words that are not in the source\"].\n",
    )
    .unwrap();
    let run = brief(&r.work, &["publish"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("nothing was published"),
        "{}",
        run.stderr
    );
    assert_eq!(tip(&r.work, "gh-pages"), None);
    assert_eq!(tip(&r.origin, "gh-pages"), None);
}

#[test]
fn errors_name_the_problem() {
    // Not a git repository.
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("pages", dir.path());
    let run = brief(dir.path(), &["publish"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("not in a git repository"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert!(!dir.path().join(".git").exists());

    // An unknown remote.
    let r = repos();
    let before = state(&r.work);
    let run = brief(&r.work, &["publish", "--remote", "upstream"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("no git remote named `upstream`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("origin"),
        "names the remotes there are: {}",
        run.stderr
    );
    assert_eq!(state(&r.work), before);
    assert_eq!(tip(&r.work, "gh-pages"), None);

    // The branch that is checked out.
    let run = brief(&r.work, &["publish", "--branch", "main"]);
    assert!(!run.ok);
    assert!(run.stderr.contains("checked out"), "{}", run.stderr);
    assert_eq!(state(&r.work), before);

    // A push the remote refuses: git's words are shown.
    let hook = r.origin.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'this remote takes no pages' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = brief(&r.work, &["publish"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("git push to `origin` failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("this remote takes no pages"),
        "{}",
        run.stderr
    );
    assert_eq!(tip(&r.origin, "gh-pages"), None);
    assert_eq!(state(&r.work), before);
}

#[test]
fn git_and_remote_problems_are_named_and_publish_nothing() {
    let r = repos();
    let before = state(&r.work);

    // No git on PATH.
    let empty = tempfile::tempdir().unwrap();
    let run = brief_with_env(
        &r.work,
        &["publish"],
        &[("PATH", empty.path().to_str().unwrap())],
    );
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("error[git-missing]: git is not installed"),
        "{}",
        run.stderr
    );

    // No temporary folder to build in.
    let run = brief_with_env(
        &r.work,
        &["publish"],
        &[("TMPDIR", "/nonexistent/brief-test-tmp")],
    );
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("error[publish-temp]: cannot make a temporary folder"),
        "{}",
        run.stderr
    );

    // A remote that cannot be read.
    git(
        &r.work,
        &[
            "remote",
            "add",
            "gone",
            "/nonexistent/brief-test-remote.git",
        ],
    );
    let run = brief(&r.work, &["publish", "--remote", "gone"]);
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("error[publish-remote]: cannot read the remote `gone`"),
        "{}",
        run.stderr
    );
    git(&r.work, &["remote", "remove", "gone"]);
    assert_eq!(state(&r.work), before);
    assert_eq!(tip(&r.work, "gh-pages"), None);
    assert_eq!(tip(&r.origin, "gh-pages"), None);

    // A local and a remote gh-pages that each have a commit the other lacks.
    assert!(brief(&r.work, &["publish"]).ok);
    let first = tip(&r.origin, "gh-pages").unwrap();
    let tree = format!("{first}^{{tree}}");
    let local = git(
        &r.work,
        &["commit-tree", &tree, "-p", &first, "-m", "local"],
    );
    git(&r.work, &["update-ref", "refs/heads/gh-pages", &local]);
    let remote = git(
        &r.origin,
        &["commit-tree", &tree, "-p", &first, "-m", "remote"],
    );
    git(&r.origin, &["update-ref", "refs/heads/gh-pages", &remote]);
    let run = brief(&r.work, &["publish"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains(
            "error[publish-diverged]: the local branch `gh-pages` and `origin/gh-pages` have diverged"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(tip(&r.work, "gh-pages"), Some(local));
    assert_eq!(tip(&r.origin, "gh-pages"), Some(remote));
}
