//! `brief review` end to end: tests/fixtures/review holds exactly one finding of each kind
//! (none hiding another), and the review lists exactly those, on the terminal and as JSON;
//! `reviewed:` acknowledges them; `brief serve` shows them at `/review/`, which no build
//! writes; and the review of the example briefing names the kinds it holds.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, brief};
use serde_json::Value;

/// The day the fixture is reviewed on: alpha, retrieved on 2025-06-01, is stale (183 days,
/// more than its site.toml's 30); beta, retrieved the day before, is not.
const TODAY: &str = "2025-12-01";

/// The fixture's findings: kind, file, line, column, page.
const FINDINGS: [(&str, &str, usize, usize, &str); 12] = [
    (
        "single-source",
        "content/annotations/people.yaml",
        18,
        13,
        "people/anna-lind/#claim-in-the-port",
    ),
    (
        "no-quote",
        "content/annotations/people.yaml",
        24,
        13,
        "people/anna-lind/#claim-tired",
    ),
    (
        "claim-after-sources",
        "content/annotations/people.yaml",
        27,
        13,
        "people/anna-lind/#claim-in-july",
    ),
    (
        "position-uncited",
        "content/annotations/disputes.yaml",
        12,
        15,
        "disputes/fleet/",
    ),
    (
        "one-sided-dispute",
        "content/annotations/disputes.yaml",
        5,
        9,
        "disputes/fleet/",
    ),
    (
        "no-claims",
        "content/annotations/people.yaml",
        44,
        9,
        "people/piet-vos/",
    ),
    (
        "never-cited",
        "content/sources/gamma.md",
        1,
        1,
        "sources/gamma/",
    ),
    (
        "cited-whole-only",
        "content/sources/delta.md",
        1,
        1,
        "sources/delta/",
    ),
    (
        "ambiguous-quote",
        "content/annotations/people.yaml",
        40,
        20,
        "people/anna-lind/#claim-the-talks",
    ),
    (
        "changed-since-lock",
        "content/sources/gamma.md",
        1,
        1,
        "sources/gamma/",
    ),
    (
        "stale-source",
        "content/sources/alpha.md",
        1,
        1,
        "sources/alpha/",
    ),
    (
        "candidate-name",
        "content/sources/alpha.md",
        8,
        41,
        "sources/alpha/",
    ),
];

fn review_json(dir: &Path) -> Value {
    let run = brief(dir, &["review", "--today", TODAY, "--format", "json"]);
    assert!(run.ok, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// (kind, file, line, column, page) of each finding of a JSON review.
fn listed(json: &Value) -> Vec<(String, String, usize, usize, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize,
                f["page"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, String, usize, usize, String)> {
    FINDINGS
        .iter()
        .map(|(k, f, l, c, p)| (k.to_string(), f.to_string(), *l, *c, p.to_string()))
        .collect()
}

#[test]
fn the_fixture_has_exactly_one_finding_of_each_kind_as_json() {
    let site = Site::copy("review");
    let json = review_json(site.path());
    assert_eq!(json["version"], 1);
    assert_eq!(json["today"], TODAY);
    assert_eq!(json["open"], 12);
    assert_eq!(json["acknowledged"], 0);
    assert_eq!(listed(&json), expected());
    let counts = json["counts"].as_object().unwrap();
    assert_eq!(counts.len(), 12, "{counts:?}");
    for (kind, ..) in FINDINGS {
        assert_eq!(counts[kind]["open"], 1, "{kind}");
        assert_eq!(counts[kind]["acknowledged"], 0, "{kind}");
    }
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["acknowledged"].is_null());
            f["message"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "claim `in-the-port` of `anna-lind` rests on one source, `alpha`",
            "claim `tired` of `anna-lind` cites nothing",
            "claim `in-july` of `anna-lind` is dated 2025-07-01, after every source it cites (the latest published 2025-06-03)",
            "position 2 of the dispute `fleet` cites nothing",
            "of the 2 positions of the dispute `fleet`, only position 1 is cited",
            "item `piet-vos` has no claims",
            "nothing cites the source `gamma`",
            "the source `delta` is cited 1 time, always as a whole: no passage of it is quoted",
            "the quote “the talks” occurs 2 times in `alpha`; the first is cited",
            "the text of the source `gamma` changed since brief.lock",
            "the source `alpha` was retrieved on 2025-06-01, 183 days ago (stale after 30)",
            "“Black Sea Fleet” occurs 2 times in 2 sources and matches no item",
        ]
    );
}

#[test]
fn the_terminal_lists_the_counts_then_each_open_finding_with_its_place_and_page() {
    let site = Site::copy("review");
    let run = brief(site.path(), &["review", "--today", TODAY]);
    assert!(run.ok, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with(
            "review of Review fixture on 2025-12-01: 12 open findings, 0 acknowledged\n"
        ),
        "{out}"
    );
    // The counts on top: one line a kind, in the review's order.
    let counts: Vec<(&str, &str, &str)> = out
        .lines()
        .skip_while(|l| !l.contains("open  acknowledged  finding"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w[0], w[1], w[2])
        })
        .collect();
    let kinds: Vec<(&str, &str, &str)> = FINDINGS.iter().map(|f| ("1", "0", f.0)).collect();
    assert_eq!(counts, kinds);
    // Then each finding: its kind's heading, file:line:col, the message, the page.
    let places: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with("  content/"))
        .map(|l| l.trim().to_string())
        .collect();
    let want: Vec<String> = FINDINGS
        .iter()
        .map(|(_, f, l, c, _)| format!("{f}:{l}:{c}"))
        .collect();
    assert_eq!(places, want);
    let pages: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("page: /"))
        .collect();
    let want: Vec<&str> = FINDINGS.iter().map(|f| f.4).collect();
    assert_eq!(pages, want);
    for (kind, ..) in FINDINGS {
        assert_eq!(
            out.lines()
                .filter(|l| l.starts_with(&format!("{kind}: ")))
                .count(),
            1,
            "{kind}: {out}"
        );
    }
    assert!(out.contains(
        "  content/annotations/people.yaml:18:13\n    claim `in-the-port` of `anna-lind` rests on one source, `alpha`\n    page: /people/anna-lind/#claim-in-the-port\n  = to acknowledge one, add `reviewed: { single-source: \"why it stands\" }` to the claim\n"
    ), "{out}");
    // The ambiguous quote is the review's finding, not a warning besides it.
    assert!(!run.stderr.contains("ambiguous-quote"), "{}", run.stderr);
}

/// Puts `reviewed:` with a note for the finding `kind` after the line `after` of `file`, at
/// `indent` spaces.
fn acknowledge(site: &Site, file: &str, after: &str, indent: usize, kind: &str) {
    let line = format!(
        "{after}\n{}reviewed: {{ {kind}: \"checked: {kind}\" }}",
        " ".repeat(indent)
    );
    site.edit(file, after, &line);
}

#[test]
fn acknowledged_findings_are_counted_and_not_listed() {
    let site = Site::copy("review");
    let people = "content/annotations/people.yaml";
    let disputes = "content/annotations/disputes.yaml";
    // On the claim, the position, the item, the source's front matter, site.toml.
    acknowledge(&site, people, "      - id: in-the-port", 8, "single-source");
    acknowledge(&site, people, "      - id: tired", 8, "no-quote");
    acknowledge(
        &site,
        people,
        "      - id: in-july",
        8,
        "claim-after-sources",
    );
    acknowledge(&site, people, "      - id: the-talks", 8, "ambiguous-quote");
    acknowledge(&site, people, "  - id: piet-vos", 4, "no-claims");
    acknowledge(
        &site,
        disputes,
        "      - text: It was not seen.",
        8,
        "position-uncited",
    );
    acknowledge(&site, disputes, "  - id: fleet", 4, "one-sided-dispute");
    site.edit(
        "content/sources/gamma.md",
        "title: Gamma notes",
        "title: Gamma notes\nreviewed:\n  never-cited: \"checked: never-cited\"\n  changed-since-lock: \"checked: changed-since-lock\"",
    );
    acknowledge(
        &site,
        "content/sources/delta.md",
        "title: Delta statement",
        0,
        "cited-whole-only",
    );
    acknowledge(
        &site,
        "content/sources/alpha.md",
        "title: Alpha report",
        0,
        "stale-source",
    );
    site.edit(
        "site.toml",
        "stale_after_days = 30",
        "stale_after_days = 30\n\n[review.names]\n\"Black Sea Fleet\" = \"checked: candidate-name\"",
    );

    let json = review_json(site.path());
    assert_eq!(json["open"], 0, "{json:#}");
    assert_eq!(json["acknowledged"], 12);
    // The same findings (the lines written in between move them), each with its note.
    let kinds_and_pages =
        |l: Vec<(String, String, usize, usize, String)>| -> Vec<(String, String)> {
            l.into_iter().map(|(k, _, _, _, p)| (k, p)).collect()
        };
    assert_eq!(kinds_and_pages(listed(&json)), kinds_and_pages(expected()));
    for f in json["findings"].as_array().unwrap() {
        let kind = f["kind"].as_str().unwrap();
        assert_eq!(f["acknowledged"], format!("checked: {kind}"), "{f}");
        assert_eq!(json["counts"][kind]["open"], 0);
        assert_eq!(json["counts"][kind]["acknowledged"], 1);
    }
    let run = brief(site.path(), &["review", "--today", TODAY]);
    assert!(run.ok && run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "review of Review fixture on 2025-12-01: 0 open findings, 12 acknowledged\n"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("content/"), "{}", run.stdout);
    assert!(
        run.stdout.contains("     0             1  single-source"),
        "{}",
        run.stdout
    );

    // An acknowledgement is of its kind only: the claim acknowledged as resting on one
    // source is listed again once it also quotes nothing.
    site.edit(people, "            quote: \"Observers said\"\n", "");
    let json = review_json(site.path());
    let open: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["acknowledged"].is_null())
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        open,
        ["claim `in-the-port` of `anna-lind` quotes no passage: it cites a source as a whole"]
    );
}

#[test]
fn a_misspelt_reviewed_name_is_a_warning_and_acknowledges_nothing() {
    let site = Site::copy("review");
    acknowledge(
        &site,
        "content/annotations/people.yaml",
        "      - id: in-the-port",
        8,
        "single-sources",
    );
    let run = brief(site.path(), &["review", "--today", TODAY]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[unknown-finding]: `reviewed:` names `single-sources`, which is no kind of review finding\n  --> content/annotations/people.yaml:19:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `single-source`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(": 12 open findings, 0 acknowledged"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_build_never_writes_the_review_page() {
    let site = Site::copy("review");
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(site.path().join("public/index.html").is_file());
    assert!(!site.path().join("public/review").exists());
    for f in common::files_under(&site.path().join("public")) {
        let text = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&text);
        assert!(
            !text.contains("review/index.html") && !text.contains("\"review/\""),
            "{} links the review page",
            f.display()
        );
    }
}

/// A GET of `path` from the server on `port`: the status and the body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// Starts `brief serve` on `site` and waits for its `/review/`: the process, its port and
/// the page.
// The child is handed to the caller, which kills and waits for it (clippy cannot see that).
#[allow(clippy::zombie_processes)]
fn serve_review(site: &Site) -> (std::process::Child, u16, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("-C")
        .arg(site.path())
        .args(["serve", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start brief serve");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some((200, body)) = get(port, "/review/") {
            return (child, port, body);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve never answered /review/");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_review_page_of_hostile_text_is_inert() {
    let site = Site::copy("hostile");
    let (mut child, _, page) = serve_review(&site);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        page.contains("Hostile &lt;script&gt;alert(&#39;site-title&#39;)&lt;/script&gt;")
            || page.contains("Hostile &lt;script&gt;alert('site-title')&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("item `evil-event` has no claims"), "{page}");
    for raw in ["<script>alert", "<img", "\"><"] {
        assert!(!page.contains(raw), "{raw} in {page}");
    }
}

#[test]
fn serve_shows_the_review_page_from_memory() {
    let site = Site::copy("review");
    let (mut child, port, page) = serve_review(&site);
    let front = get(port, "/");
    // Acknowledged while serve runs, the finding moves to the acknowledged ones on the next
    // build, with its note escaped.
    acknowledge(
        &site,
        "content/annotations/people.yaml",
        "      - id: in-the-port",
        8,
        "single-source",
    );
    site.edit(
        "content/annotations/people.yaml",
        "\"checked: single-source\"",
        "\"Checked <b>twice</b> & more\"",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let acknowledged = loop {
        if let Some((200, body)) = get(port, "/review/")
            && body.contains("<summary>1 acknowledged</summary>")
        {
            break body;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("/review/ never showed the acknowledgement");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        acknowledged.contains("Reviewed: Checked &lt;b&gt;twice&lt;/b&gt; &amp; more</li>"),
        "{acknowledged}"
    );
    assert!(!acknowledged.contains("<b>twice"), "{acknowledged}");
    assert_eq!(front.map(|(s, _)| s), Some(200));
    assert!(page.contains("<h1>Review</h1>"), "{page}");
    // Today (not the fixture's day) counts both dated sources stale: the counts are on top.
    assert!(page.contains(" open findings, 0 acknowledged."), "{page}");
    // Each finding linked to its page and named by its place.
    assert!(
        page.contains("<a href=\"../people/anna-lind/#claim-in-the-port\">claim `in-the-port` of `anna-lind` rests on one source, `alpha`</a><br><code>content/annotations/people.yaml:18:13</code>"),
        "{page}"
    );
    for (kind, ..) in FINDINGS {
        assert!(page.contains(&format!("<section id=\"{kind}\">")), "{kind}");
    }
    // The text of the briefing is escaped: the quote's marks are the briefing's own.
    assert!(
        page.contains("the quote “the talks” occurs 2 times"),
        "{page}"
    );
    assert!(page.contains("href=\"../assets/brief.css\""), "{page}");
}

#[test]
fn the_example_briefing_names_the_kinds_it_holds_and_no_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = review_json(root);
    let mut kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    kinds.dedup();
    // The example's claims each rest on one of its five summaries: the review says so of
    // every such claim, and finds nothing else (every source quoted, every item with claims,
    // every dispute cited on each side, brief.lock up to date, no name left without an item).
    assert_eq!(kinds, ["single-source"], "{json:#}");
    let open = json["open"].as_u64().unwrap();
    assert_eq!(json["counts"]["single-source"]["open"].as_u64(), Some(open));
    assert!(open > 50, "{open}");
    let run = brief(root, &["review", "--today", TODAY]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("single-source: Claims resting on a single source"),
        "{}",
        run.stdout
    );
    for kind in [
        "no-quote",
        "claim-after-sources",
        "position-uncited",
        "one-sided-dispute",
        "no-claims",
        "never-cited",
        "cited-whole-only",
        "ambiguous-quote",
        "changed-since-lock",
        "stale-source",
        "candidate-name",
    ] {
        assert!(!run.stdout.contains(kind), "{kind}: {}", run.stdout);
    }
}

#[test]
fn a_briefing_with_errors_is_not_reviewed() {
    let site = Site::copy("review");
    site.edit(
        "content/annotations/people.yaml",
        "quote: \"Observers said\"",
        "quote: \"Observers wrote\"",
    );
    let run = brief(site.path(), &["review", "--today", TODAY]);
    assert!(!run.ok);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("error[quote-not-found]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 error, 0 warnings; nothing was reviewed"),
        "{}",
        run.stderr
    );
}
