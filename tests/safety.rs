//! Nothing lost, nothing leaked: what a build may touch, tried as a careless and as a hostile
//! user would. Each case runs the real binary on real folders (and real git repositories,
//! real signals) and checks the user's files byte for byte.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, brief, git};

/// Everything under `dir`, `.git` included, without following links: each path with its
/// bytes, its link target or `/` for a folder.
fn everything(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = format!("{rel}{}", e.file_name().to_string_lossy());
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                let to = std::fs::read_link(e.path()).unwrap();
                out.insert(path, format!("-> {}", to.display()).into_bytes());
            } else if kind.is_dir() {
                out.insert(format!("{path}/"), Vec::new());
                walk(&e.path(), &format!("{path}/"), out);
            } else {
                out.insert(path, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// A fixture site in a git repository of its own, with a note beside site.toml.
fn project() -> Site {
    let site = Site::copy("basic");
    site.write("NOTES.txt", "my notes, not a site\n");
    git(site.path(), &["init", "-q", "-b", "main"]);
    git(site.path(), &["add", "-A"]);
    git(site.path(), &["commit", "-q", "-m", "briefing"]);
    site
}

#[test]
fn an_output_that_overlaps_the_briefing_is_refused_and_nothing_is_touched() {
    let site = project();
    let before = everything(site.path());
    for output in [
        ".",
        "./",
        "..",
        "content",
        "content/sources",
        "content/new-folder",
        "templates",
        "static/site",
        ".git",
        "NOTES.txt",
        "site.toml",
        "public/../content",
    ] {
        let run = site.run(&["build", "--output", output]);
        assert!(!run.ok, "--output {output} was allowed");
        assert!(
            run.stderr.contains("error[output]") || run.stderr.contains("--output"),
            "{output}: {}",
            run.stderr
        );
        assert_eq!(
            everything(site.path()),
            before,
            "--output {output} touched the briefing"
        );
    }
    // -C from outside, and an output that holds the briefing.
    let parent = site.path().parent().unwrap();
    let name = site.path().file_name().unwrap().to_str().unwrap();
    for output in ["..", "../.."] {
        let run = brief(parent, &["-C", name, "build", "--output", output]);
        assert!(!run.ok, "-C {name} --output {output} was allowed");
    }
    assert_eq!(everything(site.path()), before);
    // An absolute path to the briefing's own folder, too.
    let run = site.run(&["build", "--output", site.path().to_str().unwrap()]);
    assert!(!run.ok);
    assert_eq!(everything(site.path()), before);
}

#[test]
fn a_public_folder_that_is_a_git_clone_keeps_its_git() {
    let site = project();
    site.build_clean();
    // The deploy clone: public/ is a repository with a commit not pushed anywhere.
    let public = site.path().join("public");
    git(&public, &["init", "-q", "-b", "gh-pages"]);
    git(&public, &["add", "-A"]);
    git(&public, &["commit", "-q", "-m", "unpushed deploy"]);
    std::fs::write(public.join("README.md"), "deploy notes\n").unwrap();
    let head = git(&public, &["rev-parse", "HEAD"]);
    let git_before: BTreeMap<_, _> = everything(&public)
        .into_iter()
        .filter(|(p, _)| p.starts_with(".git/") || p == "README.md")
        .collect();
    // A change that rewrites pages, and one that removes a page.
    site.edit("site.toml", "title = \"", "title = \"New: ");
    site.write("content/pages/extra.md", "# Extra\n\nA page for a while.\n");
    site.build_clean();
    assert!(public.join("extra/index.html").exists());
    std::fs::remove_file(site.path().join("content/pages/extra.md")).unwrap();
    site.build_clean();
    assert!(!public.join("extra").exists(), "a page of brief's stayed");
    let after = everything(&public);
    for (path, bytes) in &git_before {
        assert_eq!(after.get(path), Some(bytes), "{path} changed");
    }
    assert_eq!(git(&public, &["rev-parse", "HEAD"]), head);
    let top = git(&public, &["rev-parse", "--show-toplevel"]);
    assert_eq!(
        std::fs::canonicalize(top).unwrap(),
        std::fs::canonicalize(&public).unwrap(),
        "git in public/ fell back to another repository"
    );
    assert!(site.output("index.html").contains("New: "));
    // git sees the rebuilt pages as changes of the deploy repository.
    assert!(!git(&public, &["status", "--porcelain"]).is_empty());
}

#[test]
fn a_public_folder_that_is_a_worktree_keeps_its_git_file() {
    let site = project();
    git(
        site.path(),
        &[
            "worktree", "add", "-q", "--orphan", "-b", "gh-pages", "public",
        ],
    );
    let link = std::fs::read(site.path().join("public/.git")).unwrap();
    site.build_clean();
    site.edit("site.toml", "title = \"", "title = \"Again: ");
    site.build_clean();
    assert_eq!(
        std::fs::read(site.path().join("public/.git")).unwrap(),
        link
    );
    assert_eq!(
        git(&site.path().join("public"), &["branch", "--show-current"]),
        "gh-pages"
    );
}

#[test]
fn a_file_of_the_users_where_the_site_has_one_is_an_error_and_stays() {
    let site = project();
    std::fs::create_dir_all(site.path().join("public")).unwrap();
    site.write("public/index.html", "<p>my hand-made page</p>");
    let before = everything(site.path());
    let run = site.run(&["build"]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("brief did not write index.html"),
        "{}",
        run.stderr
    );
    assert_eq!(everything(site.path()), before);
}

/// /proc takes no new folders, even from root: the staging folder cannot be made there.
#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_cannot_be_made_is_a_write_error() {
    let site = project();
    let before = everything(site.path());
    let run = site.run(&["build", "--output", "/proc/brief-output-test"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[write]: cannot write the site to /proc/brief-output-test"),
        "{}",
        run.stderr
    );
    assert_eq!(everything(site.path()), before);
}

#[test]
fn links_that_lead_outside_the_briefing_are_errors() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.txt"),
        "Secret title\nThe runner's token.\n",
    )
    .unwrap();
    std::fs::create_dir(outside.path().join("certs")).unwrap();
    std::fs::write(outside.path().join("certs/key.pem"), "PRIVATE").unwrap();
    let cases: [(&str, &Path); 5] = [
        ("content/sources/passwd.txt", Path::new("/etc/passwd")),
        (
            "content/sources/secret.txt",
            &outside.path().join("secret.txt"),
        ),
        ("static/ssl", &outside.path().join("certs")),
        ("static/env", Path::new("/proc/self/environ")),
        ("templates/page.html", &outside.path().join("secret.txt")),
    ];
    for (link, target) in cases {
        let site = Site::copy("basic");
        std::fs::create_dir_all(site.path().join(link).parent().unwrap()).unwrap();
        symlink(target, site.path().join(link)).unwrap();
        let run = site.run(&["build"]);
        assert!(!run.ok, "{link} -> {} was published", target.display());
        assert!(
            run.stderr.contains(&format!(
                "{link} is a symbolic link to {}, outside the briefing",
                target.display()
            )),
            "{link}: {}",
            run.stderr
        );
        assert!(!site.path().join("public").exists());
    }
    // content/ itself a link out, and site.toml.
    let site = Site::copy("basic");
    let moved = outside.path().join("content");
    std::fs::rename(site.path().join("content"), &moved).unwrap();
    symlink(&moved, site.path().join("content")).unwrap();
    let run = site.run(&["check"]);
    assert!(
        !run.ok && run.stderr.contains("outside the briefing"),
        "{}",
        run.stderr
    );
    let site = Site::copy("basic");
    std::fs::rename(
        site.path().join("site.toml"),
        outside.path().join("site.toml"),
    )
    .unwrap();
    symlink(
        outside.path().join("site.toml"),
        site.path().join("site.toml"),
    )
    .unwrap();
    let run = site.run(&["check"]);
    assert!(
        !run.ok && run.stderr.contains("outside the briefing"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_inside_the_briefing_are_followed_and_outside_ones_when_allowed() {
    let site = Site::copy("basic");
    site.write(
        "shared/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    symlink("../shared/logo.svg", site.path().join("static/logo.svg")).unwrap();
    site.build_clean();
    assert!(site.output("logo.svg").contains("<svg"));

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("extra.css"), "body{}").unwrap();
    symlink(
        outside.path().join("extra.css"),
        site.path().join("static/extra.css"),
    )
    .unwrap();
    assert!(!site.run(&["build"]).ok);
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("allow_outside_links = true\n{toml}"));
    site.build_clean();
    assert_eq!(site.output("extra.css"), "body{}");
}

#[test]
fn a_symlinked_output_folder_is_written_through() {
    let site = Site::copy("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("www");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "the server's own file").unwrap();
    symlink(&target, site.path().join("public")).unwrap();
    site.build_clean();
    site.edit("site.toml", "title = \"", "title = \"Twice: ");
    site.build_clean();
    let link = std::fs::symlink_metadata(site.path().join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(
        std::fs::read_to_string(target.join("index.html"))
            .unwrap()
            .contains("Twice: ")
    );
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).unwrap(),
        "the server's own file"
    );
    // Nothing staged is left beside the real folder or the link.
    for dir in [elsewhere.path(), site.path()] {
        let left: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("brief-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

#[test]
fn an_id_too_long_for_a_file_name_is_a_load_error() {
    let site = Site::copy("basic");
    let long = "a".repeat(300);
    let people = std::fs::read_dir(site.path().join("content/annotations"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("\n  - id: "))
        .expect("a collection with items");
    let text = std::fs::read_to_string(&people).unwrap();
    let first = text.find("\n  - id: ").unwrap() + "\n  - id: ".len();
    let end = first + text[first..].find('\n').unwrap();
    std::fs::write(&people, format!("{}{long}{}", &text[..first], &text[end..])).unwrap();
    let run = site.run(&["build"]);
    assert!(!run.ok);
    assert!(run.stderr.contains("bad-id"), "{}", run.stderr);
    assert!(run.stderr.contains("at most 200"), "{}", run.stderr);
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_static_file_cannot_replace_a_page_but_may_replace_the_theme() {
    let site = Site::copy("basic");
    site.write("static/assets/brief.css", "body { color: red }");
    site.write("static/robots.txt", "User-agent: *\n");
    site.build_clean();
    assert_eq!(site.output("assets/brief.css"), "body { color: red }");
    for path in ["index.html", "sources/index.html", "feed.xml"] {
        let site = Site::copy("basic");
        site.write(&format!("static/{path}"), "mine");
        let run = site.run(&["build"]);
        assert!(!run.ok, "static/{path} replaced the page");
        assert!(
            run.stderr
                .contains(&format!("static/{path} would replace the file brief makes")),
            "{}",
            run.stderr
        );
    }
}

/// Two versions of a briefing whose every page differs (the title is on each), and what
/// each builds, to tell a whole old or new site from a mix.
struct TwoVersions {
    site: Site,
    a: BTreeMap<String, Vec<u8>>,
    b: BTreeMap<String, Vec<u8>>,
}

impl TwoVersions {
    fn new() -> TwoVersions {
        // The example briefing: large enough that a build takes a while, small enough to run
        // many times.
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        common::copy_dir(&root.join("content"), &site.path().join("content"));
        std::fs::copy(root.join("site.toml"), site.path().join("site.toml")).unwrap();
        let mut versions = Vec::new();
        for title in ["Version A", "Version B"] {
            site.set_title(title);
            let out = tempfile::tempdir().unwrap();
            let run = site.run(&["build", "--output", out.path().to_str().unwrap()]);
            assert!(run.ok, "{}", run.stderr);
            versions.push(everything(out.path()));
        }
        let b = versions.pop().unwrap();
        let a = versions.pop().unwrap();
        TwoVersions { site, a, b }
    }

    /// The output folder is wholly one of the two builds (or `None` for neither).
    fn which(&self) -> Option<char> {
        let now = everything(&self.site.path().join("public"));
        if now == self.a {
            Some('A')
        } else if now == self.b {
            Some('B')
        } else {
            None
        }
    }

    /// No staging folder is left in the briefing's folder.
    fn staging_left(&self) -> Vec<String> {
        std::fs::read_dir(self.site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".brief-"))
            .collect()
    }
}

trait Title {
    fn set_title(&self, title: &str);
}

impl Title for Site {
    fn set_title(&self, title: &str) {
        let toml = self.read("site.toml");
        let rest: Vec<&str> = toml
            .lines()
            .filter(|l| !l.starts_with("title = "))
            .collect();
        self.write(
            "site.toml",
            &format!("title = \"{title}\"\n{}\n", rest.join("\n")),
        );
    }
}

/// Starts `brief build` into public/.
fn start_build(site: &Site) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// How long a build of `site` takes, from start to exit.
fn time_build(site: &Site) -> Duration {
    let t = Instant::now();
    let status = start_build(site).wait().unwrap();
    assert!(status.success());
    t.elapsed()
}

/// A small, fixed sequence of pseudo-random numbers (no dependency, the same every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let v = TwoVersions::new();
    v.site.set_title("Version A");
    let full = time_build(&v.site);
    assert_eq!(v.which(), Some('A'));
    let mut rng = Lcg(0x5eed);
    // How often the kill found the old site still there, and the new one in place.
    let (mut old, mut new) = (0, 0);
    let mut round = 0;
    // At least 24 kills, and on until both outcomes were seen (a slower machine moves
    // the moment the new site goes in place), within reason.
    while round < 24 || (old == 0 || new == 0) && round < 80 {
        let current = v.which().expect("a whole site before the kill");
        let to = if current == 'A' {
            "Version B"
        } else {
            "Version A"
        };
        v.site.set_title(to);
        let mut child = start_build(&v.site);
        // Anywhere from the start to a little past the end of a build.
        let at = Duration::from_micros(rng.below(full.as_micros() as u64 * 5 / 4));
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let after = v.which();
        assert!(
            after.is_some(),
            "round {round}: killed after {at:?}, public/ is a mix of two builds"
        );
        if after == Some(current) {
            old += 1;
        } else {
            new += 1;
        }
        round += 1;
    }
    assert!(
        old > 0 && new > 0,
        "kills: {old} before and {new} after the exchange"
    );
    // What the kills left is cleared by the next build.
    v.site.set_title("Version B");
    assert!(start_build(&v.site).wait().unwrap().success());
    assert_eq!(v.which(), Some('B'));
    assert!(v.staging_left().is_empty(), "{:?}", v.staging_left());
}

#[test]
fn ctrl_c_and_kill_remove_the_staging_folder() {
    let v = TwoVersions::new();
    v.site.set_title("Version A");
    let full = time_build(&v.site);
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        for k in 1..=4u32 {
            v.site.set_title("Version B");
            let mut child = start_build(&v.site);
            std::thread::sleep(full * k / 5);
            let _ = Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .status();
            let status = child.wait().unwrap();
            let which = v.which();
            assert!(which.is_some(), "SIG{signal} left a mixed site");
            // Either it was done before the signal came, or it stopped with the signal's code.
            assert!(
                status.success() || status.code() == Some(code),
                "SIG{signal}: {status:?}"
            );
            assert!(
                v.staging_left().is_empty(),
                "SIG{signal} left {:?}",
                v.staging_left()
            );
            v.site.set_title("Version A");
            assert!(start_build(&v.site).wait().unwrap().success());
        }
    }
}

#[test]
fn a_build_that_fails_says_so_and_leaves_the_output_whole() {
    let site = project();
    site.build_clean();
    let before = everything(&site.path().join("public"));
    site.write(
        "content/sources/broken.md",
        "---\ntitle: [unclosed\n---\ntext\n",
    );
    let run = site.run(&["build"]);
    assert!(!run.ok);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(everything(&site.path().join("public")), before);
}

#[test]
fn publish_refuses_branch_names_git_would_read_as_another_branch() {
    let site = project();
    for branch in ["@", "@{-1}", "HEAD"] {
        let run = brief(site.path(), &["publish", "--no-push", "--branch", branch]);
        assert!(!run.ok, "--branch {branch} was taken");
        assert!(
            run.stderr.contains("is not a valid branch name"),
            "{branch}: {}",
            run.stderr
        );
    }
    let branches = git(site.path(), &["branch", "--list"]);
    assert_eq!(branches.trim(), "* main");
}

#[test]
fn init_never_follows_a_gitignore_link() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("created-by-init");
    symlink(&target, dir.path().join(".gitignore")).unwrap();
    let run = brief(dir.path(), &["init"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        !target.exists(),
        "init created the link's target outside the folder"
    );
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    // A fresh .gitignore covers the staging folders as well as public/.
    let dir = tempfile::tempdir().unwrap();
    assert!(brief(dir.path(), &["init"]).ok);
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/.public.brief-*/"), "{ignore}");
}
