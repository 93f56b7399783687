//! `brief publish`: commits the built site as the whole tree of a branch (`gh-pages`) and
//! pushes it, for GitHub Pages' "deploy from a branch".
//!
//! The user's working tree, index and checked-out branch are never touched. The site is
//! built into a temporary folder (not `public/`, which may hold a `brief serve` or a
//! differently addressed build), and git's plumbing makes the commit from it: a temporary
//! index (`GIT_INDEX_FILE`) filled with `git --work-tree=<site> add`, `write-tree`,
//! `commit-tree` with the branch's tip as parent, and `update-ref`. A publish whose site is
//! the same as the tip's makes no commit, so the branch's history records real changes only.
//!
//! Git is run as the `git` program rather than through a library: it is what the user has
//! configured (credentials, SSH, proxies), and its messages are the ones they know.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::diagnostics::{Code, Diagnostic};
use crate::{BuildOptions, Report};

/// What to publish and where.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The briefing's folder (holding site.toml); it must be inside a git repository.
    pub root: PathBuf,
    /// The branch that receives the site (`gh-pages`).
    pub branch: String,
    /// The remote to push to (`origin`).
    pub remote: String,
    /// The commit message; a default names brief and the commit the site was built from.
    pub message: Option<String>,
    /// Push the branch after committing; false commits locally only.
    pub push: bool,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
}

/// What a successful publish did.
#[derive(Debug, Clone)]
pub struct Published {
    /// The branch's tip after publishing.
    pub commit: String,
    /// The commit before it on the branch, when the branch existed.
    pub parent: Option<String>,
    /// False when the site was the same as at the branch's tip: no commit was made.
    pub created: bool,
    /// True when the branch was pushed (false with `--no-push`, or when the remote had it).
    pub pushed: bool,
    /// Files in the published site.
    pub files: usize,
}

/// Builds the site and publishes it. The report holds the build's problems and, on
/// failure, one error saying what went wrong; `None` means nothing was published (though
/// a commit may stand on the local branch when only the push failed, as the error says).
pub fn run(options: &PublishOptions) -> (Report, Option<Published>) {
    let mut report = Report::default();
    match publish(options, &mut report) {
        Ok(p) => (report, Some(p)),
        Err(d) => {
            if let Some(d) = d {
                report.diagnostics.push(d);
            }
            (report, None)
        }
    }
}

/// `Err(None)`: the build failed and its errors are already in the report.
fn publish(options: &PublishOptions, report: &mut Report) -> Result<Published, Option<Diagnostic>> {
    let git = Git::open(&options.root)?;
    let branch = &options.branch;
    let branch_ref = format!("refs/heads/{branch}");
    git.check_branch_name(branch)?;
    git.refuse_checked_out(&branch_ref)?;
    let remote_exists = git.remote_exists(&options.remote)?;
    if options.push && !remote_exists {
        return Err(Some(git.no_remote(&options.remote)));
    }

    // Build first: a briefing with errors publishes nothing, and needs no network.
    let tmp = tempfile::Builder::new()
        .prefix("brief-publish-")
        .tempdir()
        .map_err(|e| {
            Diagnostic::error(
                Code::PublishTemp,
                format!("cannot make a temporary folder: {e}"),
            )
            .help("check that the system's temporary folder (TMPDIR) is writable")
        })?;
    let site = tmp.path().join("site");
    let built = crate::build(&BuildOptions {
        root: options.root.clone(),
        output: site.clone(),
        base_url: options.base_url.clone(),
        locked: false,
        // What is published is the public site, leak check and all.
        audience: crate::audience::Audience::Public,
        since: None,
    });
    let files = built.files;
    *report = built;
    if !report.ok() {
        return Err(None);
    }
    // The record of what the build wrote is for the next build into the same folder; this
    // folder is thrown away, and the branch gets the site alone.
    let _ = std::fs::remove_file(site.join(crate::write::record::RECORD));

    // The tips the new commit must follow: the local branch, and the remote's (asked for
    // afresh when pushing, so the push is a fast-forward; else the last one fetched).
    let local = git.commit_of(&branch_ref)?;
    let tracking_ref = format!("refs/remotes/{}/{branch}", options.remote);
    let remote = if options.push {
        git.fetch_tip(&options.remote, &branch_ref, &tracking_ref)?
    } else if remote_exists {
        git.commit_of(&tracking_ref)?
    } else {
        None
    };
    let parent = match (&local, &remote) {
        (None, None) => None,
        (Some(tip), None) | (None, Some(tip)) => Some(tip.clone()),
        // The one that contains the other: local commits not yet pushed, or a remote that
        // moved on (another machine or CI published).
        (Some(l), Some(r)) if l == r || git.is_ancestor(r, l)? => Some(l.clone()),
        (Some(l), Some(r)) if git.is_ancestor(l, r)? => Some(r.clone()),
        (Some(_), Some(_)) => {
            return Err(Some(
                Diagnostic::error(
                    Code::PublishDiverged,
                    format!(
                        "the local branch `{branch}` and `{}/{branch}` have diverged: each has commits the other lacks",
                        options.remote
                    ),
                )
                .help(format!(
                    "keep the remote's history with `git branch -f {branch} {}/{branch}` (the local commits are only older builds), then run brief publish again",
                    options.remote
                )),
            ));
        }
    };

    let tree = git.tree_of_folder(&site, &tmp.path().join("index"))?;
    let same = match &parent {
        Some(p) => {
            git.stdout(
                ["rev-parse", format!("{p}^{{tree}}").as_str()],
                "read the branch",
            )? == tree
        }
        None => false,
    };
    let commit = match (&parent, same) {
        (Some(p), true) => p.clone(),
        _ => {
            let message = match &options.message {
                Some(m) => m.clone(),
                None => git.default_message(&options.root),
            };
            git.commit_tree(&tree, parent.as_deref(), &message)?
        }
    };
    if local.as_deref() != Some(commit.as_str()) {
        // The old value makes update-ref refuse if the branch moved meanwhile ("" = absent).
        git.stdout(
            [
                "update-ref",
                "-m",
                "brief publish",
                &branch_ref,
                &commit,
                local.as_deref().unwrap_or(""),
            ],
            "update the branch",
        )?;
    }

    let mut pushed = false;
    if options.push && remote.as_deref() != Some(commit.as_str()) {
        git.push(&options.remote, &branch_ref, branch, &commit)?;
        pushed = true;
    }
    Ok(Published {
        created: !same,
        parent,
        commit,
        pushed,
        files,
    })
}

/// The repository the briefing is in, and how to run git on it.
struct Git {
    /// The absolute `.git` folder: later commands run from elsewhere (the site folder).
    git_dir: PathBuf,
}

impl Git {
    /// Finds the repository holding `root`, after checking that git can be run at all.
    fn open(root: &Path) -> Result<Git, Diagnostic> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--absolute-git-dir"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Diagnostic::error(Code::GitMissing, "git is not installed (or not on PATH)")
                        .help("install git (https://git-scm.com/downloads), or publish with the GitHub Actions workflow that `brief init` writes")
                } else {
                    Diagnostic::error(Code::GitMissing, format!("cannot run git: {e}"))
                        .help("check that git is installed and can be run")
                }
            })?;
        if !out.status.success() {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            return Err(Diagnostic::error(
                Code::NotARepository,
                format!(
                    "{} is not in a git repository: {}",
                    root.display(),
                    stderr_text(&out)
                ),
            )
            .help("brief publish commits the site to a branch of the briefing's git repository: run `git init -b main`, commit the briefing, and add the GitHub repository as a remote (`git remote add origin URL`)"));
        }
        Ok(Git {
            git_dir: PathBuf::from(String::from_utf8_lossy(&out.stdout).trim_end()),
        })
    }

    /// A git command on the repository. An inherited `GIT_INDEX_FILE` (as in a hook) must not
    /// leak into commands that mean the real index or our own.
    fn command(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("--git-dir")
            .arg(&self.git_dir)
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .stdin(Stdio::null());
        c
    }

    /// Runs git and returns its output, trimmed; a failure becomes an error naming `what`.
    fn stdout<I, S>(&self, args: I, what: &str) -> Result<String, Diagnostic>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let out = exec(self.command().args(args))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(git_failed(what, &out))
        }
    }

    fn check_branch_name(&self, branch: &str) -> Result<(), Diagnostic> {
        // Not `--branch`, which reads `@` and `@{-1}` as the branch checked out now or
        // before: the name is taken as written. `@` and `HEAD` are valid ref names that
        // every git command reads as something else.
        let full = format!("refs/heads/{branch}");
        let out = exec(self.command().args(["check-ref-format", &full]))?;
        if out.status.success() && !branch.starts_with('-') && branch != "@" && branch != "HEAD" {
            return Ok(());
        }
        Err(Diagnostic::error(
            Code::PublishBranch,
            format!("`{branch}` is not a valid branch name"),
        )
        .help("name the branch with --branch, e.g. --branch gh-pages"))
    }

    /// Moving a branch that a working tree has checked out would change that tree's files
    /// under the user's feet (as staged reverse changes): refuse instead.
    fn refuse_checked_out(&self, branch_ref: &str) -> Result<(), Diagnostic> {
        let list = self.stdout(
            ["worktree", "list", "--porcelain"],
            "list the working trees",
        )?;
        let mut path = "";
        for line in list.lines() {
            if let Some(p) = line.strip_prefix("worktree ") {
                path = p;
            } else if line.strip_prefix("branch ") == Some(branch_ref) {
                let branch = branch_ref.trim_start_matches("refs/heads/");
                return Err(Diagnostic::error(
                    Code::PublishCheckedOut,
                    format!("the branch `{branch}` is checked out in {path}; publishing would replace its files"),
                )
                .help("brief publish replaces the whole tree of its branch: give it a branch of its own (the default is gh-pages), or switch that working tree to another branch first"));
            }
        }
        Ok(())
    }

    fn remote_exists(&self, remote: &str) -> Result<bool, Diagnostic> {
        let out = exec(self.command().args(["remote", "get-url", remote]))?;
        Ok(out.status.success())
    }

    fn no_remote(&self, remote: &str) -> Diagnostic {
        let remotes = self
            .stdout(["remote"], "list the remotes")
            .unwrap_or_default();
        let known = if remotes.is_empty() {
            "the repository has no remotes".to_string()
        } else {
            format!(
                "its remotes are: {}",
                remotes.lines().collect::<Vec<_>>().join(", ")
            )
        };
        Diagnostic::error(
            Code::PublishNoRemote,
            format!("there is no git remote named `{remote}` ({known})"),
        )
        .help(format!("add the GitHub repository: `git remote add {remote} https://github.com/USER/REPO.git`; or name another remote with --remote, or commit locally only with --no-push"))
    }

    /// The commit a ref points to, or `None` when there is no such ref.
    fn commit_of(&self, reference: &str) -> Result<Option<String>, Diagnostic> {
        let out = exec(self.command().args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ]))?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()))
    }

    /// The remote's tip of the branch, fetched into the remote-tracking ref when this
    /// repository lacks it; `None` when the remote has no such branch.
    fn fetch_tip(
        &self,
        remote: &str,
        branch_ref: &str,
        tracking_ref: &str,
    ) -> Result<Option<String>, Diagnostic> {
        // `--exit-code` makes "no such branch" exit 2, whatever language git speaks.
        let out = exec(
            self.command()
                .args(["ls-remote", "--exit-code", remote, branch_ref]),
        )?;
        match out.status.code() {
            Some(0) => {}
            Some(2) => return Ok(None),
            _ => {
                return Err(Diagnostic::error(
                    Code::PublishRemote,
                    format!("cannot read the remote `{remote}`: {}", stderr_text(&out)),
                )
                .help(format!("check the network and your access to the repository (`git ls-remote {remote}`), or commit locally only with --no-push")));
            }
        }
        let listing = String::from_utf8_lossy(&out.stdout);
        let Some(tip) = listing.split_whitespace().next().map(str::to_string) else {
            return Ok(None);
        };
        if self.commit_of(&tip)?.is_none() {
            let out = exec(self.command().args([
                "fetch",
                "--quiet",
                "--no-tags",
                remote,
                &format!("+{branch_ref}:{tracking_ref}"),
            ]))?;
            if !out.status.success() {
                return Err(Diagnostic::error(
                    Code::PublishRemote,
                    format!("cannot fetch `{branch_ref}` from `{remote}`: {}", stderr_text(&out)),
                )
                .help(format!("check the network and your access to the repository (`git fetch {remote}`), or commit locally only with --no-push")));
            }
        }
        Ok(Some(tip))
    }

    fn is_ancestor(&self, ancestor: &str, of: &str) -> Result<bool, Diagnostic> {
        let out = exec(
            self.command()
                .args(["merge-base", "--is-ancestor", ancestor, of]),
        )?;
        match out.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(git_failed("compare the branch with the remote's", &out)),
        }
    }

    /// Writes the files of `folder` as a tree object, through a temporary index so the
    /// user's index stays as it is. Line-ending conversion and fsmonitor are off: the site
    /// is published byte for byte, and the folder is not the user's working tree.
    fn tree_of_folder(&self, folder: &Path, index: &Path) -> Result<String, Diagnostic> {
        let with_index = |args: &[&str]| {
            let mut c = self.command();
            c.arg("--work-tree")
                .arg(folder)
                .args([
                    "-c",
                    "core.autocrlf=false",
                    "-c",
                    "core.safecrlf=false",
                    "-c",
                    "core.fsmonitor=false",
                ])
                .args(args)
                .current_dir(folder)
                .env("GIT_INDEX_FILE", index);
            c
        };
        // --force: the user's global ignore rules (*.log, .DS_Store …) must not drop site files.
        let out = exec(&mut with_index(&["add", "--all", "--force", "."]))?;
        if !out.status.success() {
            return Err(git_failed("add the site's files", &out));
        }
        let out = exec(&mut with_index(&["write-tree"]))?;
        if !out.status.success() {
            return Err(git_failed("write the site's tree", &out));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn commit_tree(
        &self,
        tree: &str,
        parent: Option<&str>,
        message: &str,
    ) -> Result<String, Diagnostic> {
        let mut c = self.command();
        c.args(["commit-tree", tree]);
        if let Some(p) = parent {
            c.args(["-p", p]);
        }
        // The message goes in on stdin (-F -): no quoting problems, any length.
        let mut child = c
            .args(["-F", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_failed(&e))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(message.as_bytes());
        }
        let out = child.wait_with_output().map_err(|e| spawn_failed(&e))?;
        if !out.status.success() {
            let mut d = git_failed("make the commit", &out);
            if stderr_text(&out).contains("identity") || stderr_text(&out).contains("user.email") {
                d = d.help("tell git who you are: `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`");
            }
            return Err(d);
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// "Publish the site" and, when HEAD has a commit, which one it was built from, and
    /// whether the briefing's folder had changes not committed yet.
    fn default_message(&self, root: &Path) -> String {
        let mut m = String::from("Publish the site\n");
        let head = self
            .stdout(["rev-parse", "--short", "HEAD"], "read HEAD")
            .ok();
        let branch = self
            .stdout(["symbolic-ref", "--quiet", "--short", "HEAD"], "read HEAD")
            .ok();
        if let Some(head) = head.filter(|h| !h.is_empty()) {
            let from = match branch {
                Some(b) if !b.is_empty() => format!("{b} at {head}"),
                _ => head,
            };
            // Discovery from the root (not --git-dir) so a briefing in a subfolder works;
            // --no-optional-locks keeps status from rewriting the user's index.
            let dirty = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["--no-optional-locks", "status", "--porcelain", "--", "."])
                .env_remove("GIT_INDEX_FILE")
                .stdin(Stdio::null())
                .output()
                .is_ok_and(|o| o.status.success() && !o.stdout.is_empty());
            m.push_str(&format!(
                "\nBuilt with brief {} from {from}{}.\n",
                env!("CARGO_PKG_VERSION"),
                if dirty {
                    " with uncommitted changes"
                } else {
                    ""
                }
            ));
        }
        m
    }

    fn push(
        &self,
        remote: &str,
        branch_ref: &str,
        branch: &str,
        commit: &str,
    ) -> Result<(), Diagnostic> {
        // Not --quiet: git's own words are what the user needs when the push is refused.
        let mut c = self.command();
        c.args(["push", remote, &format!("{branch_ref}:{branch_ref}")]);
        // stdin is the terminal's, for credential or passphrase prompts.
        c.stdin(Stdio::inherit());
        let out = exec(&mut c)?;
        if out.status.success() {
            return Ok(());
        }
        let short = &commit[..commit.len().min(12)];
        Err(Diagnostic::error(
            Code::PublishPush,
            format!("git push to `{remote}` failed, so the site is not online yet:\n{}", indent(&stderr_text(&out))),
        )
        .help(format!("the site is committed on the local branch `{branch}` ({short}); mend the problem above and run brief publish again (it fetches the remote's branch and builds on it), or push by hand: `git push {remote} {branch}`")))
    }
}

/// Runs a prepared git command, capturing its output.
fn exec(c: &mut Command) -> Result<Output, Diagnostic> {
    c.output().map_err(|e| spawn_failed(&e))
}

fn spawn_failed(e: &std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::NotFound {
        Diagnostic::error(Code::GitMissing, "git is not installed (or not on PATH)")
            .help("install git (https://git-scm.com/downloads)")
    } else {
        Diagnostic::error(Code::GitFailed, format!("cannot run git: {e}"))
            .help("check that git is installed and can be run")
    }
}

fn git_failed(what: &str, out: &Output) -> Diagnostic {
    Diagnostic::error(
        Code::GitFailed,
        format!("git could not {what}:\n{}", indent(&stderr_text(out))),
    )
    .help("the message above is git's; nothing was published")
}

fn stderr_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
