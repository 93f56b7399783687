//! The hostile-input suite: every case in tests/bad-input/ breaks the basic fixture in one
//! way and says which problem `brief` must report.
//!
//! A case is a folder holding `expect.toml` and, optionally, files laid over the fixture at
//! the same paths (`templates/item.html`, `content/sources/x.txt` …). For each case the
//! runner copies tests/fixtures/basic to a temporary folder, builds it once (clean), applies
//! the case, then:
//!
//! - `brief build` must fail with exit code 1, without a panic, within a time limit (a named
//!   pipe once made it wait forever), leaving public/ byte for byte as it was (a warning case
//!   must build, and print the warning);
//! - `brief check --format json` must list the expected problem: its code, file, line (and
//!   column, message and help fragments, and related place when given), and exit 1 (0 for a
//!   warning, 1 again with `--deny-warnings`);
//! - `brief check` must print it as `file:line:col: message` for people.
//!
//! `expect.toml`:
//!
//! ```toml
//! description = "what the case is"
//! code = "unknown-field"                       # the diagnostic's code
//! file = "content/annotations/people.yaml"     # where it is reported
//! line = 24
//! column = 5                                   # optional
//! message = "unknown field `rol`"              # optional: a fragment of the message
//! help = "did you mean `role`?"                # optional: a fragment of the hint
//! severity = "warning"                         # optional: "error" by default
//! related_file = "…"                           # optional: the other place it names
//! related_line = 22
//! count = 1                                    # optional: how often the code is reported
//!
//! [[edit]]                                     # replace text in a fixture file
//! file = "content/annotations/people.yaml"
//! from = "    role: Defence minister"
//! to = "    rol: Defence minister"
//!
//! remove = ["content/index.md"]                # delete files
//! mkdir = ["content/index.md"]                 # make folders
//! symlink = [{ path = "content/sources/x.md", target = "nowhere.md" }]
//! fifo = ["content/sources/pipe.md"]           # named pipes (mkfifo)
//! socket = ["static/live.css"]                 # Unix sockets
//! [[bytes]]                                    # files given byte for byte, in hex
//! path = "content/sources/latin.txt"
//! hex = "436166e9"
//! ```
//!
//! Files that cannot live in git (pipes, sockets, link loops) are made by the runner.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, Site};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    description: String,
    code: String,
    file: String,
    line: usize,
    column: Option<usize>,
    message: Option<String>,
    help: Option<String>,
    #[serde(default = "error")]
    severity: String,
    related_file: Option<String>,
    related_line: Option<usize>,
    count: Option<usize>,
    #[serde(default)]
    edit: Vec<Edit>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    mkdir: Vec<String>,
    #[serde(default)]
    symlink: Vec<Link>,
    #[serde(default)]
    fifo: Vec<String>,
    #[serde(default)]
    socket: Vec<String>,
    #[serde(default)]
    bytes: Vec<Bytes>,
}

fn error() -> String {
    "error".into()
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    from: String,
    to: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Link {
    path: String,
    target: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Bytes {
    path: String,
    hex: String,
}

/// The folder of the cases.
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input")
}

/// Every case: its name and expectations.
fn cases() -> Vec<(String, Expect)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(cases_dir())
        .expect("tests/bad-input")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(e.path().join("expect.toml"))
            .unwrap_or_else(|err| panic!("{name}/expect.toml: {err}"));
        let expect: Expect =
            toml::from_str(&text).unwrap_or_else(|err| panic!("{name}/expect.toml: {err}"));
        out.push((name, expect));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Lays the case's files over the site and makes what it asks for.
fn apply(site: &Site, case: &Path, expect: &Expect) {
    overlay(case, site.path(), Path::new(""));
    for e in &expect.edit {
        site.edit(&e.file, &e.from, &e.to);
    }
    let at = |p: &str| {
        let path = site.path().join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        path
    };
    for p in &expect.remove {
        std::fs::remove_file(at(p)).unwrap_or_else(|e| panic!("remove {p}: {e}"));
    }
    for p in &expect.mkdir {
        std::fs::create_dir_all(at(p)).expect("mkdir");
    }
    for l in &expect.symlink {
        std::os::unix::fs::symlink(&l.target, at(&l.path)).expect("symlink");
    }
    for p in &expect.fifo {
        let ok = Command::new("mkfifo")
            .arg(at(p))
            .status()
            .expect("mkfifo")
            .success();
        assert!(ok, "mkfifo {p}");
    }
    for p in &expect.socket {
        // The socket file stays when the listener is dropped.
        std::os::unix::net::UnixListener::bind(at(p)).expect("socket");
    }
    for b in &expect.bytes {
        let bytes: Vec<u8> = (0..b.hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&b.hex[i..i + 2], 16).expect("hex"))
            .collect();
        std::fs::write(at(&b.path), bytes).expect("write");
    }
}

/// Copies the files of a case folder (but its expect.toml) into the site.
fn overlay(from: &Path, to: &Path, rel: &Path) {
    for e in std::fs::read_dir(from.join(rel)).expect("case").flatten() {
        let rel = rel.join(e.file_name());
        if rel == Path::new("expect.toml") {
            continue;
        }
        if e.path().is_dir() {
            overlay(from, to, &rel);
        } else {
            let target = to.join(&rel);
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// Runs `brief <args>` in the site, killing it after a minute: a hang is a failure too.
fn run(site: &Site, args: &[&str]) -> Result<Run, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run brief");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return Ok(Run::from(child.wait_with_output().expect("output")));
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("`brief {}` hung for a minute", args.join(" ")));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs one case; `Err` says what went wrong.
fn check_case(name: &str, expect: &Expect) -> Result<(), String> {
    let warning = match expect.severity.as_str() {
        "error" => false,
        "warning" => true,
        other => return Err(format!("severity `{other}` is neither error nor warning")),
    };
    let site = Site::copy("basic");
    site.build_clean();
    let before = site.snapshot();
    apply(&site, &cases_dir().join(name), expect);

    // build
    let build = run(&site, &["build"])?;
    if build.stderr.contains("panicked") {
        return Err(format!("build panicked:\n{}", build.stderr));
    }
    if warning {
        if !build.ok {
            return Err(format!("a warning failed the build:\n{}", build.stderr));
        }
        if !build
            .problems
            .contains(&format!("warning: {}:{}:", expect.file, expect.line))
        {
            return Err(format!(
                "build did not print the warning:\n{}",
                build.stderr
            ));
        }
    } else {
        if build.code != Some(1) {
            return Err(format!(
                "build exited with {:?}, not 1:\n{}",
                build.code, build.stderr
            ));
        }
        if site.snapshot() != before {
            return Err("the failed build changed public/".into());
        }
    }

    // check --format json
    let json = run(&site, &["check", "--format", "json"])?;
    if json.stderr.contains("panicked") {
        return Err(format!("check panicked:\n{}", json.stderr));
    }
    let expected_code = if warning { Some(0) } else { Some(1) };
    if json.code != expected_code {
        return Err(format!(
            "check exited with {:?}, not {expected_code:?}",
            json.code
        ));
    }
    let problems: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).map_err(|e| format!("not JSON: {l}: {e}")))
        .collect::<Result<_, _>>()?;
    let found = problems.iter().find(|p| matches(p, expect));
    let Some(found) = found else {
        return Err(format!(
            "check --format json lacks {} at {}:{}; it printed:\n{}",
            expect.code, expect.file, expect.line, json.stdout
        ));
    };
    if let Some(n) = expect.count {
        let same = problems.iter().filter(|p| p["code"] == expect.code).count();
        if same != n {
            return Err(format!(
                "{} reported {same} times, not {n}:\n{}",
                expect.code, json.stdout
            ));
        }
    }
    if warning {
        let deny = run(&site, &["check", "--deny-warnings", "--format", "json"])?;
        if deny.code != Some(1) {
            return Err(format!(
                "check --deny-warnings exited with {:?}, not 1",
                deny.code
            ));
        }
    }

    // check, for people
    let human = run(&site, &["check"])?;
    let column = found["location"]["column"].as_u64().unwrap_or(0);
    let head = format!(
        "{}: {}:{}:{column}: {}",
        expect.severity,
        expect.file,
        expect.line,
        found["message"].as_str().unwrap_or("")
    );
    if !human.problems.contains(&head) {
        return Err(format!("check does not print {head:?}:\n{}", human.stderr));
    }
    Ok(())
}

/// Whether a JSON diagnostic is the one a case expects.
fn matches(p: &serde_json::Value, expect: &Expect) -> bool {
    let loc = &p["location"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    p["code"] == expect.code.as_str()
        && p["severity"] == expect.severity.as_str()
        && loc["file"] == expect.file.as_str()
        && loc["line"].as_u64() == Some(expect.line as u64)
        && expect
            .column
            .is_none_or(|c| loc["column"].as_u64() == Some(c as u64))
        && expect
            .message
            .as_ref()
            .is_none_or(|m| text(&p["message"]).contains(m.as_str()))
        && expect
            .help
            .as_ref()
            .is_none_or(|h| text(&p["help"]).contains(h.as_str()))
        && expect.related_file.as_ref().is_none_or(|f| {
            p["related"].as_array().is_some_and(|rs| {
                rs.iter().any(|r| {
                    r["file"] == f.as_str()
                        && expect
                            .related_line
                            .is_none_or(|l| r["line"].as_u64() == Some(l as u64))
                })
            })
        })
}

#[test]
fn every_case_is_reported_where_it_stands() {
    let cases = cases();
    assert!(!cases.is_empty());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((name, expect)) = cases.get(i) else {
                        break;
                    };
                    let result = std::panic::catch_unwind(|| check_case(name, expect))
                        .unwrap_or_else(|_| Err("the runner panicked".into()));
                    if let Err(e) = result {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("{name} ({}): {e}", expect.description));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The codes of a table of docs/errors.md (the section under `heading`), each with the rest
/// of its row: the first cell of each row, without its backticks.
fn documented(heading: &str) -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md"))
        .expect("docs/errors.md");
    let section = doc
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/errors.md has no {heading:?}"));
    let table = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    table
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(code, rest)| (code.to_string(), rest.to_string()))
        .collect()
}

/// Every code docs/errors.md lists has a case here, or is one of the codes that arise only
/// from how brief is run, each with a test that docs/errors.md names and that exists.
#[test]
fn every_code_has_a_case_or_a_named_test() {
    let cases: Vec<String> = cases().into_iter().map(|(_, e)| e.code).collect();
    let codes = documented("## What is checked");
    let run_time = documented("these tests cover them:");
    assert!(
        codes.len() > 40 && run_time.len() > 10,
        "docs/errors.md's tables were not found"
    );
    for code in &cases {
        assert!(
            codes.iter().any(|(c, _)| c == code),
            "a case in tests/bad-input/ expects `{code}`, which docs/errors.md does not list"
        );
    }
    for (code, _) in &codes {
        let covered = run_time.iter().find(|(c, _)| c == code);
        assert!(
            cases.contains(code) || covered.is_some(),
            "`{code}` has no case in tests/bad-input/ and no test named in docs/errors.md"
        );
    }
    for (code, cell) in &run_time {
        assert!(
            codes.iter().any(|(c, _)| c == code),
            "docs/errors.md names a test for `{code}`, which its table of codes does not list"
        );
        if cell.contains("| no test") {
            continue;
        }
        // `| `tests/x.rs` `the_test` |`: the file, then the test.
        let names: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
        let [file, test, ..] = names[..] else {
            panic!("docs/errors.md names no file and test for `{code}`: {cell}");
        };
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
            .unwrap_or_else(|e| panic!("docs/errors.md names {file} for `{code}`: {e}"));
        assert!(
            text.contains(&format!("fn {test}()")),
            "docs/errors.md names the test {test} in {file} for `{code}`, which is not there"
        );
    }
}
