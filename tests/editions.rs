//! Editions and what changed (`brief build --since`): a real git repository made here, its
//! two commits the fixtures `editions` and `editions-2`, and the changes page and changes.xml of the second
//! held to exactly what the second commit added, changed and removed; the same lists from
//! the first build's briefing.json; the working tree untouched; the errors.

mod common;

use std::path::Path;

use common::{Run, brief, copy_fixture, git, snapshot};

/// The anchors of the changes page's entries, in order: `<kind>.<item>.<claim>` and the like.
const EXPECTED: &[&str] = &[
    "claim-added.vladimir-medinsky.new-round",
    "claim-added.hakan-fidan.host",
    "claim-changed.vladimir-medinsky.memo",
    "claim-removed.vladimir-medinsky.delegation",
    "claim-removed.rustem-umerov.lead",
    "dispute-changed.how-difficult",
    "item-added.hakan-fidan",
    "item-removed.rustem-umerov",
    "source-added.gamma",
    "source-removed.delta",
];

/// A repository holding the fixture in `briefing/` (so the briefing is not at the top of
/// the repository), with two commits; returns the briefing's folder.
fn two_commits(repo: &Path, before_second: impl FnOnce(&Path)) -> std::path::PathBuf {
    let dir = repo.join("briefing");
    copy_fixture("editions", &dir);
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "Edition 1"]);
    before_second(&dir);
    second_edition(&dir);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "Edition 2"]);
    dir
}

/// The second commit: the fixture `editions-2` in place of `editions` (a claim edited, one
/// added and one removed, an item and a source added and removed, a dispute's position
/// reworded, another claim re-wrapped, the edition renamed).
fn second_edition(dir: &Path) {
    std::fs::remove_dir_all(dir.join("content")).expect("remove content/");
    copy_fixture("editions-2", dir);
}

/// The anchors of the entries on a changes page, in order.
fn page_entries(html: &str) -> Vec<String> {
    let kinds = ["claim-", "dispute-", "item-", "source-"];
    html.split("<li id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| kinds.iter().any(|k| id.starts_with(k)) && id.contains('.'))
        .map(str::to_string)
        .collect()
}

/// The anchors of changes.xml's entries (from their ids), after checking that it is
/// well-formed Atom.
fn feed_entries(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("changes.xml: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["title", "id", "updated"] {
        assert!(
            feed.children().any(|n| n.has_tag_name(required)),
            "the feed has no <{required}>"
        );
    }
    feed.children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            for required in ["title", "id", "updated", "summary"] {
                assert!(
                    e.children().any(|n| n.has_tag_name(required)),
                    "an entry has no <{required}>"
                );
            }
            let id = e
                .children()
                .find(|n| n.has_tag_name("id"))
                .and_then(|n| n.text())
                .expect("entry id");
            let anchor = id.split('#').nth(1).expect("a fragment");
            anchor.split('@').next().expect("anchor").to_string()
        })
        .collect()
}

fn assert_ok(run: &Run) {
    assert!(run.ok, "build failed:\n{}", run.stderr);
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn since_the_previous_commit_lists_exactly_what_changed() {
    let tmp = tempfile::tempdir().expect("temp");
    let repo = tmp.path();
    let dir = two_commits(repo, |_| {});
    let head = git(repo, &["rev-parse", "HEAD"]);
    let status = git(repo, &["status", "--porcelain", "--ignored"]);
    assert_eq!(status, "", "the repository starts clean");
    let files_before = snapshot(repo);

    let run = brief(&dir, &["build", "--since", "HEAD~1"]);
    assert_ok(&run);
    // The terminal says what changed in one line.
    assert!(
        run.stderr.contains(": 2 claims added, 1 changed, 2 removed; 1 item added, 1 removed; 1 source added, 1 removed; 1 dispute changed\n"),
        "{}",
        run.stderr
    );

    // The working tree, the index, HEAD and the stashes are as they were: git status sees
    // only the (ignored) output folder, and every file of the repository has its bytes.
    assert_eq!(git(repo, &["status", "--porcelain"]), "");
    assert_eq!(
        git(repo, &["status", "--porcelain", "--ignored"]),
        "!! briefing/public/"
    );
    assert_eq!(git(repo, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(repo, &["stash", "list"]), "");
    let mut files_after = snapshot(repo);
    files_after.retain(|path, _| !path.starts_with("briefing/public/"));
    assert_eq!(
        files_before, files_after,
        "a file of the repository changed"
    );

    let public = dir.join("public");
    let page = read(&public, "changes/index.html");
    assert_eq!(page_entries(&page), EXPECTED, "the changes page");
    let xml = read(&public, "changes.xml");
    assert_eq!(feed_entries(&xml), EXPECTED, "changes.xml");

    // The changed claim shows its old and new text, escaped, and its date as readers read it.
    assert!(
        page.contains("<del>Said the memorandum was ready. (June 2025)</del>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<ins>Said the memorandum was ready, &lt;b&gt;signed&lt;&#x2F;b&gt; &amp; sealed. (June 2025)</ins>"
        ) || page.contains(
            "<ins>Said the memorandum was ready, &lt;b&gt;signed&lt;/b&gt; &amp; sealed. (June 2025)</ins>"
        ),
        "{page}"
    );
    assert!(page.contains("Changed: the text"), "{page}");
    assert!(
        !page.contains("<b>signed"),
        "unescaped HTML on the changes page"
    );
    assert!(xml.contains("&lt;b&gt;signed"), "{xml}");
    // A name and a title made of markup stay text on the page and in the feed.
    for text in [&page, &xml] {
        assert!(!text.contains("<script>alert"), "{text}");
        assert!(!text.contains("<\"&\">"), "{text}");
        assert!(
            text.contains("Hakan Fidan &lt;&quot;&amp;&quot;&gt;"),
            "{text}"
        );
        assert!(
            text.contains("&lt;/title&gt;&lt;script&gt;alert(1)"),
            "{text}"
        );
    }
    // The removed claim's text, the dispute's positions before and after.
    assert!(
        page.contains("<del>Heads the Russian team.</del>"),
        "{page}"
    );
    assert!(
        page.contains("<del>Difficult, say officials.</del>"),
        "{page}"
    );
    assert!(
        page.contains("<ins>Merely difficult, say officials.</ins>"),
        "{page}"
    );
    assert!(
        page.contains("HEAD~1 ("),
        "the page names its baseline: {page}"
    );
    assert!(
        page.contains("edition No. 1"),
        "and the baseline's edition: {page}"
    );

    // Item pages mark what is new or changed in this edition, and nothing else.
    let medinsky = read(&public, "people/vladimir-medinsky/index.html");
    let marks: Vec<&str> = medinsky
        .split("class=\"change change-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(marks, ["changed", "new"], "marks on Medinsky's claims");
    let memo = medinsky
        .split("id=\"claim-memo\"")
        .nth(1)
        .expect("the memo claim");
    assert!(
        memo.split("</li>")
            .next()
            .unwrap()
            .contains("change-changed"),
        "the memo claim is marked changed"
    );
    let fidan = read(&public, "people/hakan-fidan/index.html");
    assert!(fidan.contains("New in this edition"), "{fidan}");
    assert!(fidan.contains("change-new\">new"), "{fidan}");
    let dispute = read(&public, "disputes/how-difficult/index.html");
    assert!(
        dispute.contains("Positions changed in this edition"),
        "{dispute}"
    );

    // The edition's name on the front page and in the feed, escaped.
    let index = read(&public, "index.html");
    assert!(index.contains("Edition No. 2 &lt;&amp;&gt;"), "{index}");
    assert!(
        index.contains("changes/index.html"),
        "the front page links the changes"
    );
    let feed = read(&public, "feed.xml");
    roxmltree::Document::parse(&feed).expect("feed.xml parses");
    assert!(feed.contains("Edition No. 2 &lt;&amp;&gt;"), "{feed}");
    assert!(xml.contains("No. 2 &lt;&amp;&gt;"), "{xml}");
    // The page is in the navigation and the sitemap.
    assert!(index.contains("changes/index.html\">Changes</a>") || index.contains(">Changes<"));
    assert!(read(&public, "sitemap.xml").contains("https://example.org/editions/changes/"));
}

#[test]
fn since_an_earlier_briefing_json_gives_the_same_lists() {
    let tmp = tempfile::tempdir().expect("temp");
    let repo = tmp.path();
    let earlier = tempfile::tempdir().expect("temp");
    let old_json = earlier.path().join("briefing.json");
    let dir = two_commits(repo, |dir| {
        // The first edition's build, kept before the second is made.
        assert_ok(&brief(dir, &["build"]));
        std::fs::copy(dir.join("public/briefing.json"), &old_json).expect("keep briefing.json");
    });
    let run = brief(
        &dir,
        &[
            "build",
            "--since",
            old_json.to_str().expect("utf-8 path"),
            "-o",
            "by-json",
        ],
    );
    assert_ok(&run);
    let by_json = dir.join("by-json");
    assert_eq!(
        page_entries(&read(&by_json, "changes/index.html")),
        EXPECTED
    );
    assert_eq!(feed_entries(&read(&by_json, "changes.xml")), EXPECTED);
    // The baseline is named by its file name: the folder it was kept in (a home folder, a
    // CI runner's workspace) never reaches the published pages or the feed.
    let kept_in = earlier.path().to_str().expect("utf-8 path");
    for page in ["changes/index.html", "changes.xml", "index.html"] {
        let text = read(&by_json, page);
        assert!(!text.contains(kept_in), "{page} names the folder {kept_in}");
    }
    assert!(read(&by_json, "changes/index.html").contains("briefing.json"));
    assert_ok(&brief(
        &dir,
        &["build", "--since", "HEAD~1", "-o", "by-git"],
    ));
    // The two pages differ only in how they name the baseline.
    let by_git = read(&dir.join("by-git"), "changes/index.html");
    let by_json = read(&by_json, "changes/index.html");
    let entries = |html: &str| {
        html.split("<nav class=\"changes-toc\"")
            .nth(1)
            .map(str::to_string)
    };
    assert_eq!(entries(&by_git), entries(&by_json));

    // Compared with itself, nothing changed: the page says so, the feed has no entry.
    let same = dir.join("by-git/briefing.json");
    assert_ok(&brief(
        &dir,
        &[
            "build",
            "--since",
            same.to_str().expect("utf-8"),
            "-o",
            "same",
        ],
    ));
    let same_dir = dir.join("same");
    assert!(read(&same_dir, "changes/index.html").contains("Nothing changed"));
    assert_eq!(
        feed_entries(&read(&same_dir, "changes.xml")),
        Vec::<String>::new()
    );
}

#[test]
fn without_since_there_is_no_changes_page_and_no_marks() {
    let tmp = tempfile::tempdir().expect("temp");
    let dir = two_commits(tmp.path(), |_| {});
    assert_ok(&brief(&dir, &["build"]));
    let public = dir.join("public");
    assert!(!public.join("changes").exists());
    assert!(!public.join("changes.xml").exists());
    let medinsky = read(&public, "people/vladimir-medinsky/index.html");
    assert!(!medinsky.contains("class=\"change "), "{medinsky}");
    assert!(!medinsky.contains(">Changes</a>"), "no nav entry");
    assert!(!read(&public, "sitemap.xml").contains("changes/"));
    // The edition is still named.
    assert!(read(&public, "index.html").contains("Edition No. 2"));
}

/// The run failed with exactly one problem, of `code`, and wrote nothing.
fn one_error(run: &Run, code: &str, dir: &Path) {
    assert!(!run.ok, "the build succeeded:\n{}", run.stderr);
    assert_eq!(run.code, Some(1));
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("error[{code}]")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert!(!dir.join("public").exists(), "something was written");
}

#[test]
fn a_bad_ref_is_one_clear_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("temp");
    let repo = tmp.path();
    let dir = two_commits(repo, |_| {});
    let run = brief(&dir, &["build", "--since", "no-such-tag"]);
    one_error(&run, "since-ref", &dir);
    assert!(
        run.stderr.contains("`no-such-tag` names no commit"),
        "{}",
        run.stderr
    );
    // A ref that git would take for an option is refused before git sees it.
    for option in ["--output=elsewhere", "-h", "--since"] {
        let run = brief(&dir, &["build", &format!("--since={option}")]);
        one_error(&run, "since-ref", &dir);
        assert!(run.stderr.contains("start with `-`"), "{}", run.stderr);
    }
    assert!(!dir.join("elsewhere").exists());
    assert_eq!(git(repo, &["status", "--porcelain"]), "");

    // Outside a repository, a ref is no baseline.
    let bare = tempfile::tempdir().expect("temp");
    copy_fixture("editions", bare.path());
    let run = brief(bare.path(), &["build", "--since", "HEAD~1"]);
    one_error(&run, "not-a-repository", bare.path());
}

#[test]
fn a_baseline_that_cannot_be_read_is_one_clear_error() {
    let tmp = tempfile::tempdir().expect("temp");
    let repo = tmp.path();
    let dir = two_commits(repo, |_| {});
    // A JSON file that is not brief's, and one that is not there.
    std::fs::write(tmp.path().join("other.json"), "{\"name\": \"x\"}").expect("write");
    let run = brief(&dir, &["build", "--since", "../other.json"]);
    one_error(&run, "since-baseline", &dir);
    assert!(
        run.stderr.contains("not a briefing.json that brief wrote"),
        "{}",
        run.stderr
    );
    let run = brief(&dir, &["build", "--since", "missing.json"]);
    one_error(&run, "since-baseline", &dir);

    // A commit from before the briefing was in the repository.
    let empty_tree_commit = git(
        repo,
        &[
            "commit-tree",
            "-m",
            "before",
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        ],
    );
    let run = brief(&dir, &["build", "--since", &empty_tree_commit]);
    one_error(&run, "since-baseline", &dir);
    assert!(run.stderr.contains("has no"), "{}", run.stderr);

    // A commit whose briefing does not build names its first error.
    std::fs::write(
        dir.join("content/sources/alpha.md"),
        "---\ntitle: Emptied\n---\nNothing of what was quoted.\n",
    )
    .expect("write");
    git(repo, &["commit", "-q", "-am", "Broken"]);
    git(repo, &["revert", "--no-edit", "HEAD"]);
    let run = brief(&dir, &["build", "--since", "HEAD~1"]);
    one_error(&run, "since-baseline", &dir);
    assert!(run.stderr.contains("does not build"), "{}", run.stderr);
    assert!(run.stderr.contains("quote"), "{}", run.stderr);
}
