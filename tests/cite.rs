//! The Cite button of `brief serve` in a real browser: the real binary serves a copy of
//! tests/fixtures/quote and headless Chromium, over the DevTools protocol, selects words
//! of the source's page as a reader would (across a mention link, a "cited by" note and a
//! line break; a passage that occurs twice; across a hidden boilerplate paragraph), presses
//! Cite with the mouse and the keyboard, and reads what the button gives. Each citation is
//! then pasted into the briefing, which must build without an error or a warning.
//!
//! Chromium and axe-core are required (see tests/browser.rs): these tests fail rather than
//! skip without them.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use cdp::Browser;
use common::Site;

/// `brief serve` on a copy of the fixture; killed on drop.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(site: &Path) -> Serve {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .arg("-C")
            .arg(site)
            .args(["-q", "serve", "--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start brief serve");
        let serve = Serve { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !serve
            .get("/sources/quay-report/")
            .starts_with("HTTP/1.1 200")
        {
            assert!(Instant::now() < deadline, "brief serve did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
        serve
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The raw answer to a GET, or "" when the server is not there yet.
    fn get(&self, path: &str) -> String {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return String::new();
        };
        let _ = write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        );
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn axe_path() -> PathBuf {
    std::env::var_os("BRIEF_CI_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-node"))
        .join("node_modules/axe-core/axe.min.js")
}

/// Selects from the start of `from` in paragraph `para` of the page to the end of `to` in
/// paragraph `to_para` (each found in one text node), as a reader's drag would.
fn select(b: &mut Browser, para: u32, from: &str, to_para: u32, to: &str) {
    let script = format!(
        r#"(() => {{
          const p = document.getElementById("p{para}");
          const spot = (root, needle) => {{
            const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let t = walk.nextNode(); t; t = walk.nextNode()) {{
              const at = t.data.indexOf(needle);
              if (at >= 0) return [t, at];
            }}
            throw new Error("not on the page: " + needle);
          }};
          const [a, i] = spot(p, {from});
          const [z, j] = spot(document.getElementById("p{to_para}"), {to});
          const r = document.createRange();
          r.setStart(a, i);
          r.setEnd(z, j + {to}.length);
          const s = getSelection();
          s.removeAllRanges();
          s.addRange(r);
          return s.toString();
        }})()"#,
        from = json!(from),
        to = json!(to),
    );
    b.eval(&script);
    // The page places its button on the frame after the selection changed.
    b.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
}

/// Clicks the middle of the element with `id` with the mouse.
fn click(b: &mut Browser, id: &str) {
    b.wait_for(&format!(
        "(() => {{ const e = document.getElementById({0}); return !!e && !e.hidden && e.offsetWidth > 0; }})()",
        json!(id)
    ));
    let at = b.eval(&format!(
        "(() => {{ const r = document.getElementById({}).getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
        json!(id)
    ));
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    b.call(
        "Input.dispatchMouseEvent",
        json!({"type": "mouseMoved", "x": x, "y": y}),
    );
    for kind in ["mousePressed", "mouseReleased"] {
        b.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
        );
    }
}

fn key(b: &mut Browser, key: &str, code: u32) {
    key_with(b, key, key, code, 0);
}

/// Presses a key; `modifiers` as CDP counts them (Alt 1, Shift 8).
fn key_with(b: &mut Browser, key: &str, code_name: &str, code: u32, modifiers: u32) {
    let text = if key == "Enter" { "\r" } else { "" };
    b.call(
        "Input.dispatchKeyEvent",
        json!({"type": "keyDown", "key": key, "code": code_name, "windowsVirtualKeyCode": code, "text": text, "modifiers": modifiers}),
    );
    b.call(
        "Input.dispatchKeyEvent",
        json!({"type": "keyUp", "key": key, "code": code_name, "windowsVirtualKeyCode": code, "modifiers": modifiers}),
    );
}

/// What the panel shows once the answer came: the status line, the citation and the YAML
/// entry (both empty when the selection cannot be cited).
fn panel(b: &mut Browser) -> (String, String, String) {
    b.wait_for(
        "(() => { const p = document.getElementById('__brief-cite-panel'); return !!p && !p.hidden && document.getElementById('__brief-cite-status').textContent !== ''; })()",
    );
    let v = b.eval(
        "(() => { const f = document.getElementById('__brief-cite-fields'); return [document.getElementById('__brief-cite-status').textContent, f.hidden ? '' : document.getElementById('__brief-cite-inline').value, f.hidden ? '' : document.getElementById('__brief-cite-yaml').value]; })()",
    );
    let s = |i: usize| v[i].as_str().unwrap_or_default().to_owned();
    (s(0), s(1), s(2))
}

/// Closes the panel with Escape and clears the fields, for the next selection.
fn close(b: &mut Browser) {
    key(b, "Escape", 27);
    b.wait_for("document.getElementById('__brief-cite-panel').hidden");
    b.eval("document.getElementById('__brief-cite-status').textContent = ''");
}

/// Serious and critical axe-core violations of the page as it is.
fn axe(b: &mut Browser) -> Vec<String> {
    let axe = std::fs::read_to_string(axe_path()).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install it from the repository root with: npm install --prefix target/ci-node --no-audit --no-fund axe-core@4 vnu-jar",
            axe_path().display()
        )
    });
    b.eval(&axe);
    let found = b.eval(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
           .filter(v => v.impact === 'serious' || v.impact === 'critical')
           .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')))",
    );
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Where the text and the page's height are: what a layout shift would move.
fn layout(b: &mut Browser) -> Value {
    b.eval(
        "(() => { const r = document.querySelector('.source-text').getBoundingClientRect(); return [r.top, r.left, r.width, r.height, document.documentElement.scrollHeight]; })()",
    )
}

#[test]
fn the_cite_button_gives_citations_that_build_on_the_first_try() {
    let site = Site::copy("quote");
    let serve = Serve::start(site.path());
    let mut b = Browser::launch();
    b.emulate(1280, false);
    b.goto(&serve.url("/sources/quay-report/"));
    b.wait_for("!!document.getElementById('__brief-cite')");
    assert_eq!(
        b.eval("document.getElementById('__brief-cite').hidden"),
        true,
        "no button before a selection"
    );
    let before = layout(&mut b);

    // Across a cited passage's end, its "cited by" note, a line break, a mention link and
    // into the next cited passage.
    select(&mut b, 1, "would resume", 1, "who speaks");
    click(&mut b, "__brief-cite");
    let (status, across, across_yaml) = panel(&mut b);
    assert_eq!(
        layout(&mut b),
        before,
        "the button and the panel move nothing"
    );
    assert_eq!(
        across, "[@quay-report \"would resume. Ines Varga, who speaks\"]",
        "{status}"
    );
    assert_eq!(
        across_yaml,
        "cite:\n  - source: quay-report\n    quote: \"would resume. Ines Varga, who speaks\"\n"
    );
    // The citation is ready to copy: copied to the clipboard, or selected in its field.
    assert!(
        status.contains("copied to the clipboard") || status.contains("copy it"),
        "{status}"
    );
    assert_eq!(
        b.eval("document.activeElement.id"),
        "__brief-cite-inline",
        "the citation's field has the focus"
    );
    let violations = axe(&mut b);
    b.emulate(1280, true);
    let dark = axe(&mut b);
    // For review: the button and the panel in dark mode.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join("cite-panel-dark.png"), b.viewport_screenshot()).unwrap();
    assert!(
        violations.is_empty() && dark.is_empty(),
        "axe-core, light: {violations:?}; dark: {dark:?}"
    );
    b.emulate(1280, false);

    // Escape gives the focus back to the button; Enter on it cites again.
    close(&mut b);
    assert_eq!(b.eval("document.activeElement.id"), "__brief-cite");
    key(&mut b, "Enter", 13);
    let (_, again, _) = panel(&mut b);
    assert_eq!(again, across);
    close(&mut b);

    // A passage that occurs twice in the source ("The harbour authority said" opens the
    // first paragraph too), across a line break: extended until it is unique.
    select(&mut b, 2, "The\nharbour", 2, "authority said");
    click(&mut b, "__brief-cite");
    let (status, twice, twice_yaml) = panel(&mut b);
    assert_eq!(
        twice, "[@quay-report \"tide. The harbour authority said\"]",
        "{status}"
    );
    assert!(status.contains("occurs 2 times"), "{status}");
    assert!(status.contains("extended by 1 word before"), "{status}");
    close(&mut b);

    // Across the hidden "Advertisement" paragraph: one passage on each side of it.
    select(&mut b, 1, "written timetable", 2, "The ferries");
    click(&mut b, "__brief-cite");
    let (status, split, split_yaml) = panel(&mut b);
    assert_eq!(
        split, "[@quay-report \"written timetable.\"; @quay-report \"The ferries\"]",
        "{status}"
    );
    assert!(status.contains("hidden boilerplate"), "{status}");
    std::fs::write(shots.join("cite-panel-light.png"), b.viewport_screenshot()).unwrap();
    close(&mut b);

    // Typographic quotes and a line break, into a cited passage; cited with the keyboard
    // shortcut, the focus elsewhere on the page.
    select(&mut b, 1, "plan “workable", 1, "late”\nand");
    b.eval("document.querySelector('.pnum').focus()");
    key_with(&mut b, "C", "KeyC", 67, 1 | 8);
    let (status, curly, curly_yaml) = panel(&mut b);
    assert_eq!(
        curly, "[@quay-report \"plan “workable but late” and\"]",
        "{status}"
    );
    close(&mut b);

    // A passage whose whole paragraph occurs twice cannot be made unique: the panel says
    // why and offers nothing to paste.
    select(&mut b, 4, "tide turned", 4, "tide turned");
    click(&mut b, "__brief-cite");
    let (status, nothing, _) = panel(&mut b);
    assert!(
        status.starts_with(
            "This selection cannot be cited: “tide turned” cannot be cited: it occurs 2 times"
        ),
        "{status}"
    );
    assert_eq!(nothing, "");
    assert_eq!(
        b.eval("document.activeElement.id"),
        "__brief-cite-close",
        "the focus goes to the panel's Close button"
    );
    close(&mut b);
    drop(b);
    drop(serve);

    // Pasted as they came: the citations into the front page, the entries into claims.
    site.edit(
        "content/index.md",
        "would resume\"].",
        &format!("would resume\"]. Pasted {across}, {twice}, {curly} and {split}."),
    );
    let mut people = site.read("content/annotations/people.yaml");
    for (i, yaml) in [across_yaml, twice_yaml, curly_yaml, split_yaml]
        .iter()
        .enumerate()
    {
        people.push_str(&format!("      - text: Pasted claim {i}.\n"));
        for line in yaml.lines() {
            people.push_str(&format!("        {line}\n"));
        }
    }
    site.write("content/annotations/people.yaml", &people);
    let build = site.run(&["build"]);
    assert!(build.ok, "{}", build.stderr);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    // Every pasted quote is a highlighted passage of the source page.
    let page = site.output("sources/quay-report/index.html");
    assert!(page.matches("class=\"passage\"").count() >= 7, "{page}");
    assert!(
        !page.contains("__brief"),
        "brief build writes no trace of the button"
    );
}

#[test]
fn the_quote_endpoint_is_for_this_servers_source_pages() {
    let site = Site::copy("quote");
    let serve = Serve::start(site.path());
    let page = serve.get("/sources/quay-report/");
    assert!(page.contains("data-endpoint=\"/__brief/quote\""), "{page}");
    assert!(page.contains("data-source=\"quay-report\""));
    for other in ["/", "/sources/", "/people/ines-varga/"] {
        let html = serve.get(other);
        assert!(html.starts_with("HTTP/1.1 200"), "{other}: {html}");
        assert!(
            !html.contains("/__brief/quote"),
            "{other} has no Cite button"
        );
    }
    let ok = serve.get(
        "/__brief/quote?source=quay-report&sp=3&so=0&ep=3&eo=23&text=Dockworkers%20on%20the%20east",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("application/json"), "{ok}");
    assert!(
        ok.contains("\"citation\":\"[@quay-report \\\"Dockworkers on the east\\\"]\""),
        "{ok}"
    );
    let bad = serve.get("/__brief/quote?source=../../etc&sp=1&so=0&ep=1&eo=1&text=x");
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
    let missing = serve.get("/__brief/quote?source=nope&sp=1&so=0&ep=1&eo=1&text=x");
    assert!(missing.contains("\"ok\":false"), "{missing}");
    // Another site's page, or a name that is not this machine's, is refused.
    let raw = |headers: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
        write!(
            s,
            "GET /__brief/quote?source=quay-report&sp=3&so=0&ep=3&eo=11&text=Dockworkers HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    let port = serve.port;
    let cross = raw(&format!(
        "Host: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\n"
    ));
    assert!(cross.starts_with("HTTP/1.1 403"), "{cross}");
    let rebound = raw("Host: evil.example\r\n");
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
}

/// Text that exercises every folding rule and the word-by-word extension: Turkish dotted
/// and dotless i, a decomposed `é`, typographic quotes, apostrophes and dashes, `…`, no-break
/// and zero-width spaces, a soft hyphen, surrogate pairs, Cyrillic `ё`, a ligature, repeated
/// passages, and a hidden boilerplate paragraph between them.
const TRICKY: &str = "İSTANBUL’da “Çırağan” görüşmesi — ilk tur… Kyivʼs envoy said «ready» to resume;\n\
    the talks resumed at the Çırağan Palace.\n\n\
    Advertisement\n\n\
    Cafe\u{301} owners said “ready” to resume — again; the cafe\u{301} was full. Ёлка и елка, ёж\u{a0}и ЁЖ.\n\n\
    Soft\u{ad}ly and zero\u{200b}width, no\u{a0}break \u{2003} space, 😀 here 😀 there; ﬁne ﬁne – done.\n\n\
    The talks resumed at the Çırağan Palace. The talks resumed at noon, ‘at noon’.\n\n\
    Ha ha ha, he said. Ha ha ha!";

/// Selections a reader could make on `source`'s page: runs of one to four whole words of
/// each visible paragraph, a word's inside, every stretch of one to six UTF-16 units, and from a paragraph's last words into the next
/// visible paragraph's first (across the hidden one). As the page reports them: paragraph
/// numbers, UTF-16 offsets of the page's text (where `\r\n` is one `\n`), the text shown.
fn selections(source: &brief::load::Source) -> Vec<brief::quote::Selection> {
    use brief::quote::Selection;
    let text = source.text();
    let pages: Vec<Vec<u16>> = source
        .paragraphs
        .iter()
        .filter(|p| !p.hidden)
        .map(|p| {
            text[p.range.clone()]
                .replace("\r\n", "\n")
                .encode_utf16()
                .collect()
        })
        .collect();
    let words = |units: &[u16]| -> Vec<(usize, usize)> {
        let s = String::from_utf16_lossy(units);
        let mut out = Vec::new();
        let mut at = 0;
        for piece in s.split_inclusive(char::is_whitespace) {
            let word = piece.trim_end_matches(char::is_whitespace);
            let len = word.encode_utf16().count();
            if len > 0 {
                out.push((at, at + len));
            }
            at += piece.encode_utf16().count();
        }
        out
    };
    let shown = |p: usize, a: usize, b: usize| String::from_utf16_lossy(&pages[p][a..b]);
    let mut all = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let w = words(page);
        for i in 0..w.len() {
            for j in i..w.len().min(i + 4) {
                let (a, b) = (w[i].0, w[j].1);
                all.push(Selection {
                    start: (p + 1, a),
                    end: (p + 1, b),
                    text: shown(p, a, b),
                });
            }
            if w[i].1 - w[i].0 > 3 {
                let (a, b) = (w[i].0 + 1, w[i].1 - 1);
                all.push(Selection {
                    start: (p + 1, a),
                    end: (p + 1, b),
                    text: shown(p, a, b),
                });
            }
        }
        // Every short stretch, whole words or not: inside a word, between a letter and its
        // combining mark, across a no-break space, half of a surrogate pair.
        for a in 0..page.len() {
            for b in a + 1..page.len().min(a + 7) {
                all.push(Selection {
                    start: (p + 1, a),
                    end: (p + 1, b),
                    text: shown(p, a, b),
                });
            }
        }
        if p + 1 < pages.len() {
            let (w, next) = (words(page), words(&pages[p + 1]));
            let a = w[w.len().saturating_sub(2)].0;
            let b = next[1.min(next.len() - 1)].1;
            all.push(Selection {
                start: (p + 1, a),
                end: (p + 2, b),
                text: format!("{}\n{}", shown(p, a, page.len()), shown(p + 1, 0, b)),
            });
        }
    }
    all
}

/// The Cite button of a published page cites in JavaScript, from the build's folded text,
/// what brief serve's (Rust) answer would be: for every selection of [`selections`] on
/// sources with every folding rule (one saved with Windows line breaks), the script's
/// answer (run with Node) is the server's, word for word: the same citation, YAML entry
/// and notes, or the same reason it cannot be cited.
#[test]
fn the_published_button_cites_as_the_server_does() {
    let site = Site::copy("quote");
    let front = "---\ntitle: Tricky\nlanguage: tr\n---\n";
    site.write("content/sources/tricky.md", &format!("{front}{TRICKY}"));
    site.write(
        "content/sources/tricky-crlf.md",
        &format!("{front}{TRICKY}").replace('\n', "\r\n"),
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/cite.js");
    let runner = site.path().join("run-cite.js");
    std::fs::write(
        &runner,
        "const core = require(process.argv[2]);\n\
         const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n\
         const d = core.prepare(input.data);\n\
         process.stdout.write(JSON.stringify(input.selections.map((s) => core.cite(d, s))));\n",
    )
    .unwrap();
    let mut compared = 0;
    for id in ["tricky", "tricky-crlf", "quay-report"] {
        let mut diags = brief::diagnostics::Diagnostics::new();
        let source = brief::load::load_source(site.path(), id, &mut diags).expect(id);
        let selections = selections(&source);
        let rust: Vec<Value> = selections
            .iter()
            .map(|s| match brief::quote::cite_selection(&source, s) {
                Ok(c) => json!({"ok": true, "citation": c.citation, "yaml": c.yaml, "quotes": c.quotes, "notes": c.notes}),
                Err(why) => json!({"ok": false, "why": why}),
            })
            .collect();
        let data: Value = serde_json::from_str(&brief::quote::page_data(&source)).unwrap();
        let input = json!({
            "data": data,
            "selections": selections
                .iter()
                .map(|s| json!({"start": [s.start.0, s.start.1], "end": [s.end.0, s.end.1], "text": s.text}))
                .collect::<Vec<_>>(),
        });
        let mut node = Command::new("node")
            .arg(&runner)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node is needed for this test (https://nodejs.org)");
        node.stdin
            .take()
            .unwrap()
            .write_all(input.to_string().as_bytes())
            .unwrap();
        let out = node.wait_with_output().unwrap();
        assert!(out.status.success(), "node failed");
        let js: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(js.len(), rust.len());
        let differ: Vec<String> = selections
            .iter()
            .zip(rust.iter().zip(&js))
            .filter(|(_, (r, j))| r != j)
            .map(|(s, (r, j))| format!("{:?}:\n  rust: {r}\n  js:   {j}", s.text))
            .collect();
        assert!(
            differ.is_empty(),
            "{id}: {} of {} differ:\n{}",
            differ.len(),
            js.len(),
            differ[..differ.len().min(8)].join("\n")
        );
        // The selections reach every kind of answer.
        assert!(rust.iter().any(|r| r["ok"] == false), "{id}");
        assert!(
            rust.iter()
                .any(|r| r["notes"].to_string().contains("occurs")),
            "{id}"
        );
        compared += js.len();
    }
    eprintln!("{compared} selections cited alike");
    assert!(compared > 3000, "{compared}");
}

/// Every file of the built site that mentions the Cite button (`__brief`), relative to it.
fn files_with_the_button(public: &Path) -> Vec<String> {
    common::files_under(public)
        .into_iter()
        .filter(|f| {
            std::fs::read(f)
                .map(|b| String::from_utf8_lossy(&b).contains("__brief"))
                .unwrap_or(false)
        })
        .map(|f| f.strip_prefix(public).unwrap_or(&f).display().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// With `cite_button = true`, the source pages of `brief build`'s output have the Cite button,
/// opened from file:// (no server at all): the same selections as in brief serve give the
/// same citations, made in the page, and pasted into the briefing they build clean on the
/// first try, the passage that occurs twice included. The pages stay valid HTML (the Nu
/// checker) and pass axe-core with the panel open; a site without the setting has no trace
/// of the button.
#[test]
fn the_published_cite_button_works_without_a_server() {
    let plain = Site::copy("quote");
    plain.build_clean();
    assert_eq!(
        files_with_the_button(&plain.path().join("public")),
        Vec::<String>::new(),
        "without cite_button the site carries no script or data of the button"
    );

    let site = Site::copy("quote");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}cite_button = true\n"));
    site.build_clean();
    let public = site.path().join("public");
    assert_eq!(
        files_with_the_button(&public),
        ["assets/cite.js", "sources/quay-report/index.html"],
        "only source pages carry the button, and its script is one file for all of them"
    );
    // Only the source page grew.
    for f in [
        "index.html",
        "sources/index.html",
        "people/ines-varga/index.html",
    ] {
        assert_eq!(site.output(f), plain.output(f), "{f}");
    }

    let vnu = axe_path()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("vnu-jar/build/dist/vnu.jar");
    let run = Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--errors-only", "--format", "gnu"])
        .arg(public.join("sources/quay-report/index.html"))
        .output()
        .expect("java is needed for the Nu Html Checker");
    let out =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && out.trim().is_empty(),
        "the Nu Html Checker: {out}"
    );

    let mut b = Browser::launch();
    b.emulate(1280, false);
    b.open(&public, "sources/quay-report/index.html");
    b.wait_for("!!document.getElementById('__brief-cite')");
    assert_eq!(
        b.eval("document.getElementById('__brief-cite').hidden"),
        true
    );
    let before = layout(&mut b);

    select(&mut b, 1, "would resume", 1, "who speaks");
    click(&mut b, "__brief-cite");
    let (status, across, across_yaml) = panel(&mut b);
    assert_eq!(
        layout(&mut b),
        before,
        "the button and the panel move nothing"
    );
    assert_eq!(
        across, "[@quay-report \"would resume. Ines Varga, who speaks\"]",
        "{status}"
    );
    assert_eq!(
        across_yaml,
        "cite:\n  - source: quay-report\n    quote: \"would resume. Ines Varga, who speaks\"\n"
    );
    assert!(
        status.contains("copied to the clipboard") || status.contains("copy it"),
        "{status}"
    );
    let light = axe(&mut b);
    b.emulate(1280, true);
    let dark = axe(&mut b);
    assert!(
        light.is_empty() && dark.is_empty(),
        "axe-core, light: {light:?}; dark: {dark:?}"
    );
    b.emulate(1280, false);
    close(&mut b);

    // The passage that occurs twice: extended until unique, as the server extends it.
    select(&mut b, 2, "The\nharbour", 2, "authority said");
    click(&mut b, "__brief-cite");
    let (status, twice, twice_yaml) = panel(&mut b);
    assert_eq!(
        twice, "[@quay-report \"tide. The harbour authority said\"]",
        "{status}"
    );
    assert!(status.contains("occurs 2 times"), "{status}");
    assert!(status.contains("extended by 1 word before"), "{status}");
    close(&mut b);

    select(&mut b, 1, "written timetable", 2, "The ferries");
    click(&mut b, "__brief-cite");
    let (status, split, split_yaml) = panel(&mut b);
    assert_eq!(
        split, "[@quay-report \"written timetable.\"; @quay-report \"The ferries\"]",
        "{status}"
    );
    assert!(status.contains("hidden boilerplate"), "{status}");
    close(&mut b);

    select(&mut b, 1, "plan “workable", 1, "late”\nand");
    b.eval("document.querySelector('.pnum').focus()");
    key_with(&mut b, "C", "KeyC", 67, 1 | 8);
    let (status, curly, curly_yaml) = panel(&mut b);
    assert_eq!(
        curly, "[@quay-report \"plan “workable but late” and\"]",
        "{status}"
    );
    close(&mut b);

    select(&mut b, 4, "tide turned", 4, "tide turned");
    click(&mut b, "__brief-cite");
    let (status, nothing, _) = panel(&mut b);
    assert!(
        status.starts_with(
            "This selection cannot be cited: “tide turned” cannot be cited: it occurs 2 times"
        ),
        "{status}"
    );
    assert_eq!(nothing, "");
    close(&mut b);
    drop(b);

    site.edit(
        "content/index.md",
        "would resume\"].",
        &format!("would resume\"]. Pasted {across}, {twice}, {curly} and {split}."),
    );
    let mut people = site.read("content/annotations/people.yaml");
    for (i, yaml) in [across_yaml, twice_yaml, curly_yaml, split_yaml]
        .iter()
        .enumerate()
    {
        people.push_str(&format!("      - text: Pasted claim {i}.\n"));
        for line in yaml.lines() {
            people.push_str(&format!("        {line}\n"));
        }
    }
    site.write("content/annotations/people.yaml", &people);
    site.build_clean();
    let page = site.output("sources/quay-report/index.html");
    assert!(page.matches("class=\"passage\"").count() >= 7, "{page}");

    // brief serve of a site with the setting: one button, and it asks the server.
    let serve = Serve::start(site.path());
    let mut b = Browser::launch();
    b.emulate(1280, false);
    b.goto(&serve.url("/sources/quay-report/"));
    b.wait_for("!!document.getElementById('__brief-cite')");
    assert_eq!(
        b.eval("document.querySelectorAll('#__brief-cite, #__brief-cite-panel').length"),
        2
    );
    b.eval(
        "window.__asked = 0; const f = window.fetch; window.fetch = (...a) => { window.__asked++; return f(...a); }",
    );
    select(&mut b, 2, "The\nharbour", 2, "authority said");
    click(&mut b, "__brief-cite");
    let (status, served, _) = panel(&mut b);
    assert_eq!(served, twice, "{status}");
    assert_eq!(b.eval("window.__asked"), 1, "the server was asked");
}

/// On a site in Ukrainian the Cite button and its panel speak Ukrainian (the strings table's
/// `cite_` keys, handed to the script by serve); the matcher's reasons stay brief quote's.
#[test]
fn the_cite_button_speaks_the_sites_language() {
    let site = Site::copy("quote");
    site.edit("site.toml", "language = \"en\"", "language = \"uk\"");
    let serve = Serve::start(site.path());
    let mut b = Browser::launch();
    b.emulate(1280, false);
    b.goto(&serve.url("/sources/quay-report/"));
    b.wait_for("!!document.getElementById('__brief-cite')");
    let shown = b.eval(
        "[document.getElementById('__brief-cite').textContent,
          document.getElementById('__brief-cite').getAttribute('aria-label'),
          document.getElementById('__brief-cite-head').textContent,
          document.querySelector('label[for=__brief-cite-yaml]').innerHTML,
          document.getElementById('__brief-cite-close').textContent].join('|')",
    );
    assert_eq!(
        shown,
        "Цитувати|Цитувати виділені слова|Цитувати виділене|Запис <code>cite:</code> для твердження (YAML)|Закрити"
    );
}
