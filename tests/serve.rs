//! End-to-end tests of `brief serve`: the real binary serves a copy of
//! tests/fixtures/serve-site, and a headless Chromium, driven over the DevTools protocol,
//! shows what a writer would see. HTTP-level checks talk to the server directly.
//!
//! Chromium is required (Debian: `apt-get install -y chromium`; another binary can be named
//! with BRIEF_CHROMIUM or CHROMIUM): these tests fail rather than skip without it.
//!
//! Every wait polls with a deadline; no test sleeps to let something happen, except where
//! it checks that nothing does.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use cdp::Browser;
use common::copy_dir;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/serve-site");
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// The server under test

/// A `brief serve` process on a copy of the fixture; killed on drop.
struct Serve {
    child: Child,
    port: u16,
    site: TempDir,
    /// The TMPDIR of the process (which serve must leave empty: it serves from memory).
    tmp: TempDir,
    log: Arc<Mutex<String>>,
}

impl Serve {
    fn start(args: &[&str]) -> Serve {
        Serve::start_with(args, |_| {})
    }

    /// Starts serve after `prepare` had its way with the copy of the fixture.
    fn start_with(args: &[&str], prepare: impl FnOnce(&Path)) -> Serve {
        let site = tempfile::tempdir().unwrap();
        copy_dir(Path::new(FIXTURE), site.path());
        prepare(site.path());
        let tmp = tempfile::tempdir().unwrap();
        let port = free_port();
        let (child, log) = spawn_serve(site.path(), tmp.path(), port, args);
        let serve = Serve {
            child,
            port,
            site,
            tmp,
            log,
        };
        serve.wait_log("serving the briefing at");
        serve
    }

    /// Stops serve with SIGINT and starts it again on the same port and site.
    fn restart(&mut self) {
        interrupt(&mut self.child);
        let (child, log) = spawn_serve(self.site.path(), self.tmp.path(), self.port, &[]);
        self.child = child;
        self.log = log;
        self.wait_built();
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn get(&self, path: &str) -> Http {
        http(self.port, "GET", path)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the terminal output contains `needle`; returns it all.
    fn wait_log(&self, needle: &str) -> String {
        self.wait_log_n(needle, 1)
    }

    /// Waits until the terminal output contains `needle` `n` times; returns it all.
    fn wait_log_n(&self, needle: &str, n: usize) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let log = self.log();
            if log.matches(needle).count() >= n {
                return log;
            }
            if Instant::now() > deadline {
                panic!("serve never printed {needle:?}; it printed:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the first build to be served.
    fn wait_built(&self) {
        self.wait_log("built ");
        let deadline = Instant::now() + WAIT;
        while self.get("/").status != 200 {
            assert!(Instant::now() < deadline, "the site is never served");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The WebSocket the pages listen on.
    fn socket(&self) -> Socket {
        Socket::connect(&format!("ws://127.0.0.1:{}/__brief/ws", self.port))
    }

    /// The WebSocket as the page at `path` opens it (naming itself, as reload.js does).
    fn socket_of(&self, path: &str) -> Socket {
        let page: String = path
            .bytes()
            .map(|b| match b {
                b'/' => "%2F".to_string(),
                _ => (b as char).to_string(),
            })
            .collect();
        Socket::connect(&format!(
            "ws://127.0.0.1:{}/__brief/ws?page={page}",
            self.port
        ))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_serve(site: &Path, tmp: &Path, port: u16, args: &[&str]) -> (Child, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("-C")
        .arg(site)
        .args(["serve", "--port", &port.to_string()])
        .args(args)
        .env("TMPDIR", tmp)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start brief serve");
    let log = collect(child.stderr.take().unwrap());
    (child, log)
}

/// Sends SIGINT and waits for the process to end; returns how it ended.
fn interrupt(child: &mut Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Saves a file the way many editors do: a temporary file beside it, renamed over it.
fn save_like_an_editor(path: &Path, contents: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp = path.with_file_name(format!("{name}___jb_tmp___"));
    std::fs::write(&tmp, contents).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn replace_in(path: &Path, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    let new = text.replacen(from, to, 1);
    save_like_an_editor(path, &new);
    text
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Gathers a child's output on a thread.
fn collect(out: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let log = Arc::new(Mutex::new(String::new()));
    let l = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let mut l = l.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    log
}

// ---------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client: the requests are sent exactly as written, unnormalised.

struct Http {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Http {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn http(port: u16, method: &str, path: &str) -> Http {
    http_as(port, method, path, &format!("127.0.0.1:{port}"))
}

/// A request with the given Host header.
fn http_as(port: u16, method: &str, path: &str, host: &str) -> Http {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // Read the head, then as much body as it announces (DevTools' HTTP server keeps the
    // connection open whatever the request asks).
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = s.read(&mut buf).expect("read the answer");
        assert!(n > 0, "the connection closed before the head ended");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse::<usize>().unwrap());
    let mut body = raw[split + 4..].to_vec();
    match length {
        // No body may follow, whatever the length says: read until the server closes.
        _ if method == "HEAD" => {
            s.read_to_end(&mut body).expect("read after the head");
        }
        Some(len) => {
            while body.len() < len {
                let n = s.read(&mut buf).expect("read the body");
                assert!(n > 0, "the body ended early");
                body.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut body).expect("read the body");
        }
    }
    Http {
        status,
        headers,
        body,
    }
}

// ---------------------------------------------------------------------------------------
// The live-reload socket, as a page sees it.

struct Socket {
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
}

impl Socket {
    fn connect(url: &str) -> Socket {
        let (ws, _) = tungstenite::connect(url).expect("connect to the live-reload socket");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
        }
        Socket { ws }
    }

    /// The next message within `within`, or `None`.
    fn next(&mut self, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(tungstenite::Message::Text(t)) => {
                    return Some(serde_json::from_str(&t).unwrap());
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("the live-reload socket failed: {e}"),
            }
        }
        None
    }

    /// The next message, which must come.
    fn expect(&mut self) -> Value {
        self.next(WAIT)
            .expect("a message on the live-reload socket")
    }
}

// ---------------------------------------------------------------------------------------
// Headless Chromium over the DevTools protocol (the client tests/browser.rs uses too).

/// Opens a URL and waits until it has loaded.
fn open(browser: &mut Browser, url: &str) {
    browser.call("Page.navigate", json!({"url": url}));
    browser.wait_for(&format!(
        "location.href === {} && document.readyState === 'complete'",
        json!(url)
    ));
}

/// Opens `path` and waits until the page's live-reload socket is open, so that edits from
/// now on reach it.
fn open_live(browser: &mut Browser, serve: &Serve, path: &str) {
    open(browser, &serve.url(path));
    browser.wait_for("window.__briefLive === true");
}

// ---------------------------------------------------------------------------------------
// In the browser

#[test]
fn an_edited_source_shows_in_the_open_page_without_a_manual_reload() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/sources/harbour-report/");
    b.wait_for("document.body.innerText.includes('FINAL-PARAGRAPH')");

    replace_in(
        &serve.path("content/sources/harbour-report.md"),
        "the report ends with the tide tables",
        "the report now ends with EDITED-IN-PLACE tide tables",
    );
    b.wait_for("document.body.innerText.includes('EDITED-IN-PLACE')");
    let log = serve.wait_log("content/sources/harbour-report.md changed: rebuilt in");
    assert!(!log.contains("___jb_tmp___"), "a temp file counted:\n{log}");
}

#[test]
fn a_css_edit_applies_without_a_reload() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let css = serve.get("/assets/brief.css").text();
    assert!(css.len() > 100);
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/");
    b.eval("window.__marker = 1");

    // static/ does not exist yet: the new folder must be picked up, and its file
    // overrides the theme's stylesheet.
    let override_css = serve.path("static/assets/brief.css");
    std::fs::create_dir_all(override_css.parent().unwrap()).unwrap();
    std::fs::write(
        &override_css,
        format!("{css}\nbody {{ background: rgb(1, 2, 3) !important; }}\n"),
    )
    .unwrap();
    b.wait_for("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'");
    assert_eq!(b.eval("window.__marker"), json!(1), "the page reloaded");

    // Once more, now that static/ is watched.
    std::fs::write(
        &override_css,
        format!("{css}\nbody {{ background: rgb(4, 5, 6) !important; }}\n"),
    )
    .unwrap();
    b.wait_for("getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'");
    assert_eq!(b.eval("window.__marker"), json!(1), "the page reloaded");
    serve.wait_log("swapping styles");
}

/// Whether a `reload` message is for the page at `path`: every page, or the pages it names.
fn reloads(message: &Value, path: &str) -> bool {
    message["type"] == "reload"
        && message
            .get("pages")
            .is_none_or(|pages| pages.as_array().unwrap().iter().any(|p| p == path))
}

#[test]
fn a_reload_comes_once_the_whole_site_is_served_and_only_for_changed_pages() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut item = serve.socket_of("/people/mara-lind/");
    let mut other = serve.socket_of("/sources/council-statement/");
    for s in [&mut item, &mut other] {
        assert_eq!(s.expect()["type"], "hello");
    }

    replace_in(
        &serve.path("content/annotations/people.yaml"),
        "Called the talks slow but honest.",
        "Called the talks WHOLE-BUILD slow but honest.",
    );
    // When the page is told, the whole new site is served: its own page and every other
    // (the print view shows the claim too).
    let m = item.expect();
    assert!(reloads(&m, "/people/mara-lind/"), "{m}");
    let built = m["build"].clone();
    assert!(
        serve
            .get("/people/mara-lind/")
            .text()
            .contains("WHOLE-BUILD")
    );
    assert!(serve.get("/print/").text().contains("WHOLE-BUILD"));
    // A page the edit did not change is told of the new build, but does not reload.
    let m = other.expect();
    assert!(!reloads(&m, "/sources/council-statement/"), "{m}");
    assert_eq!(m["build"], built);
    assert_eq!(
        other.next(Duration::from_millis(500)),
        None,
        "one build, one message"
    );
    let log = serve.wait_log("content/annotations/people.yaml changed: rebuilt in");
    let rebuilds = log.lines().filter(|l| l.contains("rebuilt in")).count();
    assert_eq!(rebuilds, 1, "one rebuild, one line:\n{log}");
}

#[test]
fn a_page_the_edit_did_not_change_is_not_reloaded() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/sources/council-statement/");
    b.eval("window.__marker = 1");
    replace_in(
        &serve.path("content/annotations/people.yaml"),
        "Called the talks slow but honest.",
        "Called the talks ELSEWHERE slow but honest.",
    );
    serve.wait_log("content/annotations/people.yaml changed: rebuilt in");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(b.eval("window.__marker"), json!(1), "the page reloaded");
    // It is still listening, and reloads when its own page changes.
    replace_in(
        &serve.path("content/sources/council-statement.txt"),
        "Council",
        "COUNCIL-EDIT",
    );
    b.wait_for("document.body.innerText.includes('COUNCIL-EDIT')");
}

#[test]
fn a_broken_annotation_shows_the_overlay_until_it_is_mended() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/people/mara-lind/");
    b.eval("window.__marker = 1");

    let file = serve.path("content/annotations/people.yaml");
    let good = replace_in(
        &file,
        "    role: Chair of the union's negotiating team",
        "    role: \"Chair of the union's negotiating team",
    );
    // The terminal names the file and line; the overlay must say the same. (The "build
    // failed" line comes before the errors: wait for the error itself.)
    let log = serve.wait_log("--> content/annotations/people.yaml:");
    let first_error = log
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with("--> content/annotations/people.yaml:"))
        .unwrap_or_else(|| panic!("no located error in:\n{log}"))
        .to_string();
    b.wait_for(&format!(
        "!!document.getElementById('__brief-overlay') && document.getElementById('__brief-overlay').textContent.includes({})",
        json!(first_error)
    ));
    assert_eq!(b.eval("window.__marker"), json!(1), "pushed, not reloaded");

    // The server keeps answering with the last good site, overlay included.
    let page = serve.get("/people/mara-lind/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Mara Lind"));
    assert!(html.contains("id=\"__brief-overlay\""));
    let location = first_error.trim_start_matches("--> ");
    assert!(
        html.contains(location),
        "{location} not in the served overlay"
    );

    // A page opened now shows it too.
    open(&mut b, &serve.url("/sources/"));
    b.wait_for("!!document.getElementById('__brief-overlay')");

    save_like_an_editor(&file, &good);
    b.wait_for("!document.getElementById('__brief-overlay')");
    assert!(!serve.get("/").text().contains("id=\"__brief-overlay\""));
}

#[test]
fn new_renamed_and_deleted_sources_show_in_the_list_of_sources() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/sources/");
    b.wait_for("document.body.innerText.includes('Council statement')");
    std::fs::write(
        serve.path("content/sources/lighthouse-notes.txt"),
        "Lighthouse keepers' logbook\n\nThe lamp was lit at dusk.\n",
    )
    .unwrap();
    b.wait_for("document.body.innerText.includes(\"Lighthouse keepers' logbook\")");
    assert_eq!(serve.get("/sources/lighthouse-notes/").status, 200);

    // Renamed, then deleted: the old page goes, the new one comes, then it goes too.
    std::fs::rename(
        serve.path("content/sources/lighthouse-notes.txt"),
        serve.path("content/sources/lamp-notes.txt"),
    )
    .unwrap();
    b.wait_for("document.body.innerHTML.includes('lamp-notes/')");
    assert_eq!(serve.get("/sources/lighthouse-notes/").status, 404);
    assert_eq!(serve.get("/sources/lamp-notes/").status, 200);
    std::fs::remove_file(serve.path("content/sources/lamp-notes.txt")).unwrap();
    b.wait_for("!document.body.innerText.includes(\"Lighthouse keepers' logbook\")");
    assert_eq!(serve.get("/sources/lamp-notes/").status, 404);
    serve.wait_log("content/sources/lamp-notes.txt, content/sources/lighthouse-notes.txt changed");
}

#[test]
fn the_scroll_position_survives_a_reload() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/sources/harbour-report/");
    b.wait_for("document.documentElement.scrollHeight > innerHeight + 800");
    b.eval("window.scrollTo(0, 600); window.__marker = 1");
    b.wait_for("Math.abs(scrollY - 600) < 2");

    replace_in(
        &serve.path("content/sources/harbour-report.md"),
        "FINAL-PARAGRAPH",
        "FINAL-PARAGRAPH-RELOADED",
    );
    b.wait_for("document.body.innerText.includes('FINAL-PARAGRAPH-RELOADED')");
    b.wait_for("document.readyState === 'complete'");
    assert_eq!(
        b.eval("window.__marker === undefined"),
        json!(true),
        "the page was not reloaded"
    );
    b.wait_for("Math.abs(scrollY - 600) < 2");
}

#[test]
fn an_open_page_reconnects_when_serve_restarts() {
    let mut serve = Serve::start(&[]);
    serve.wait_built();
    let mut b = Browser::launch();
    open_live(&mut b, &serve, "/sources/harbour-report/");
    b.eval("window.__marker = 1");
    serve.restart();
    // A new server's build: the page reloads once it is back.
    b.wait_for("window.__marker === undefined && window.__briefLive === true");
    replace_in(
        &serve.path("content/sources/harbour-report.md"),
        "FINAL-PARAGRAPH",
        "FINAL-PARAGRAPH-AFTER-RESTART",
    );
    b.wait_for("document.body.innerText.includes('FINAL-PARAGRAPH-AFTER-RESTART')");
}

// ---------------------------------------------------------------------------------------
// Over HTTP and the socket

#[test]
fn a_site_toml_edit_rebuilds() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut socket = serve.socket();
    assert_eq!(socket.expect()["type"], "hello");
    replace_in(
        &serve.path("site.toml"),
        "title = \"Harbour Talks\"",
        "title = \"Harbour Talks Renamed\"",
    );
    assert_eq!(socket.expect()["type"], "reload");
    assert!(serve.get("/").text().contains("Harbour Talks Renamed"));
    serve.wait_log("site.toml changed: rebuilt in");
}

#[test]
fn http_answers_get_and_head_only_and_never_caches() {
    let serve = Serve::start(&[]);
    serve.wait_built();

    let get = serve.get("/");
    assert_eq!(get.status, 200);
    assert_eq!(get.header("cache-control"), Some("no-store"));
    assert_eq!(get.header("content-type"), Some("text/html; charset=utf-8"));
    let html = get.text();
    assert!(html.contains("Harbour Talks"));
    assert!(
        html.contains("/__brief/ws"),
        "the page has the live-reload script"
    );
    let script_at = html.find("data-ws=").unwrap();
    assert!(script_at < html.rfind("</body>").unwrap());

    let head = http(serve.port, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length")
            .map(|l| l.parse::<usize>().unwrap()),
        Some(get.body.len())
    );
    assert_eq!(head.header("cache-control"), Some("no-store"));

    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = http(serve.port, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }

    let css = serve.get("/assets/brief.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__brief"), "only HTML gets the script");
    assert_eq!(
        serve.get("/briefing.json").header("content-type"),
        Some("application/json; charset=utf-8")
    );

    let folder = serve.get("/sources");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("location"), Some("/sources/"));
    let index = serve.get("/sources/");
    assert_eq!(index.status, 200);
    assert!(index.text().contains("Council statement"));

    let missing = serve.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    let page = missing.text();
    assert!(page.contains("Page not found"), "the site's 404.html");
    assert!(page.contains("/__brief/ws"));
}

#[test]
fn nothing_outside_the_site_is_served() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    // Beside the briefing and in serve's temporary folder.
    std::fs::write(serve.site.path().join("secret.txt"), "SECRET-NEXT-DOOR").unwrap();
    std::fs::write(serve.tmp.path().join("secret.txt"), "SECRET-NEXT-DOOR").unwrap();

    for path in [
        "/..%2f..%2fetc/passwd",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/sources/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
        "/.%2e/.%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/secret.txt",
        "/content/sources/harbour-report.md",
        "/site.toml",
        "/etc/passwd",
        "/etc/",
        "//etc/passwd",
    ] {
        let r = serve.get(path);
        let text = r.text();
        assert!(matches!(r.status, 400 | 404), "{path}: status {}", r.status);
        assert!(!text.contains("root:"), "{path} served /etc/passwd");
        assert!(
            !text.contains("SECRET-NEXT-DOOR"),
            "{path} served a file beside"
        );
    }
}

/// Whether a browser reads `location` as a path on the server it came from: one `/`, then
/// neither `/` nor `\\` (which make it another host), and nothing a browser drops.
fn stays_on_this_server(location: &str) -> bool {
    let b = location.as_bytes();
    b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/' | b'\\'))
        && !b
            .iter()
            .any(|c| c.is_ascii_control() || *c == b' ' || *c == b'\\')
}

#[test]
fn redirects_never_leave_the_server() {
    // Folders whose names are hosts, as a static/ folder may have.
    let serve = Serve::start_with(&[], |site| {
        for folder in ["evil.example", "x"] {
            let dir = site.join("static").join(folder);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("index.html"),
                "<!doctype html><title>x</title><body>HERE</body>",
            )
            .unwrap();
        }
    });
    serve.wait_built();
    for (path, to) in [
        ("/sources", Some("/sources/")),
        ("//sources", Some("/sources/")),
        ("//x", Some("/x/")),
        ("//evil.example", Some("/evil.example/")),
        ("///evil.example", Some("/evil.example/")),
        ("/%2F%2Fevil.example", Some("/evil.example/")),
        ("/%2f/evil.example?q=1", Some("/evil.example/?q=1")),
        ("/evil.example", Some("/evil.example/")),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("/\\evil.example/", None),
        ("/%5Cevil.example", None),
        ("/%5C%5Cevil.example", None),
        ("/%09/evil.example", None),
    ] {
        let r = serve.get(path);
        let location = r.header("location");
        assert_eq!(location, to, "{path}: status {}", r.status);
        if (300..400).contains(&r.status) {
            let location = location.unwrap_or_else(|| panic!("{path}: a redirect to nowhere"));
            assert!(stays_on_this_server(location), "{path} -> {location}");
            // And it leads somewhere real.
            assert_eq!(serve.get(location).status, 200, "{path} -> {location}");
        }
    }
}

#[test]
fn only_local_names_and_this_servers_pages_are_answered() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    for host in [
        "localhost:1",
        "LOCALHOST",
        "127.0.0.1",
        "[::1]:8",
        "brief.localhost",
    ] {
        assert_eq!(http_as(serve.port, "GET", "/", host).status, 200, "{host}");
    }
    // A page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding).
    let foreign = http_as(serve.port, "GET", "/", "attacker.example:1111");
    assert_eq!(foreign.status, 403);
    assert!(!foreign.text().contains("Harbour"));

    use tungstenite::client::IntoClientRequest;
    let url = format!("ws://127.0.0.1:{}/__brief/ws", serve.port);
    let mut request = url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Origin", "https://attacker.example".parse().unwrap());
    match tungstenite::connect(request) {
        Err(tungstenite::Error::Http(res)) => assert_eq!(res.status(), 403),
        Ok(_) => panic!("a foreign page opened the live-reload socket"),
        Err(e) => panic!("{e}"),
    }
    let mut request = url.as_str().into_client_request().unwrap();
    let own = format!("http://127.0.0.1:{}", serve.port);
    request.headers_mut().insert("Origin", own.parse().unwrap());
    assert!(
        tungstenite::connect(request).is_ok(),
        "the server's own page"
    );
}

/// Every file under `dir` with its size and modification time, by path.
fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            }
            out.insert(
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                (meta.len(), meta.modified().unwrap()),
            );
        }
    }
    out
}

#[test]
fn serve_writes_nothing_to_disk() {
    let mut serve = Serve::start(&[]);
    serve.wait_built();
    let edited = PathBuf::from("content/sources/council-statement.txt");
    let mut site_before = tree(serve.site.path());
    site_before.remove(&edited);
    assert!(
        tree(serve.tmp.path()).is_empty(),
        "serve wrote to its temporary folder"
    );

    // A rebuild, a failed one, and a good one again.
    let original = replace_in(
        &serve.path(edited.to_str().unwrap()),
        "Council",
        "COUNCIL-EDIT",
    );
    serve.wait_log("council-statement.txt changed: rebuilt in");
    assert!(
        serve
            .get("/sources/council-statement/")
            .text()
            .contains("COUNCIL-EDIT")
    );
    let people = serve.path("content/annotations/people.yaml");
    let good = replace_in(&people, "    role: Chair", "    role: \"Chair");
    serve.wait_log("people.yaml changed: build failed");
    save_like_an_editor(&people, &good);
    serve.wait_log("people.yaml changed: rebuilt in");
    save_like_an_editor(&serve.path(edited.to_str().unwrap()), &original);
    serve.wait_log_n("council-statement.txt changed: rebuilt in", 2);

    let mut site_after = tree(serve.site.path());
    site_after.remove(&edited);
    site_after.remove(Path::new("content/annotations/people.yaml"));
    site_before.remove(Path::new("content/annotations/people.yaml"));
    // The folders holding the edited files changed their times; their names did not.
    let names = |t: &std::collections::BTreeMap<PathBuf, _>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&site_after),
        names(&site_before),
        "serve wrote into the briefing"
    );
    for (path, (len, modified)) in &site_before {
        if serve.site.path().join(path).is_file() {
            assert_eq!(
                site_after[path],
                (*len, *modified),
                "{} was rewritten",
                path.display()
            );
        }
    }
    assert!(
        tree(serve.tmp.path()).is_empty(),
        "serve wrote to its temporary folder"
    );

    let exit = interrupt(&mut serve.child);
    assert!(exit.success(), "{exit}");
    assert!(tree(serve.tmp.path()).is_empty());
}

/// `html` without what serve adds to a page: the overlay and the live-reload script.
fn without_snippet(html: &str) -> String {
    let script = html
        .find("<script data-build=")
        .expect("the live-reload script");
    let start = html
        .find("<div id=\"__brief-overlay\"")
        .unwrap_or(script)
        .min(script);
    let end = script + html[script..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn an_open_page_changes_only_when_the_whole_build_succeeded() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let page = "/sources/council-statement/";
    let mut socket = serve.socket_of(page);
    assert_eq!(socket.expect()["type"], "hello");
    let before = serve.get(page).text();

    // A broken link on a page that is not open: the link check, the last step of a build,
    // fails.
    let home = serve.path("content/index.md");
    let good_home = replace_in(
        &home,
        "The council backed a new",
        "The council backed a [new](/no/such/page/)",
    );
    let m = socket.expect();
    assert_eq!(m["type"], "error", "{m}");
    // Then an edit of the open page, while the link is still broken.
    replace_in(
        &serve.path("content/sources/council-statement.txt"),
        "Mara Lind and the port authority",
        "Mara Lind and the HALF-BUILT port authority",
    );
    serve.wait_log("content/sources/council-statement.txt changed: build failed");
    let m = socket.expect();
    assert_eq!(m["type"], "error", "only the error, no reload: {m}");
    assert!(
        m["text"].as_str().unwrap().contains("/no/such/page/"),
        "{m}"
    );

    // The page is the last good build's, byte for byte, with the error over it.
    let during = serve.get(page).text();
    assert!(during.contains("id=\"__brief-overlay\""));
    assert!(during.contains("/no/such/page/"));
    assert!(!during.contains("HALF-BUILT"));
    assert_eq!(without_snippet(&during), without_snippet(&before));
    assert_eq!(socket.next(Duration::from_millis(300)), None);

    // Mended: now the whole build succeeds, and the page changes.
    save_like_an_editor(&home, &good_home);
    let m = socket.expect();
    assert!(reloads(&m, page), "{m}");
    assert!(serve.get(page).text().contains("HALF-BUILT"));
}

/// The number of the build a page was served from (its live-reload script says).
fn build_number(html: &str) -> u64 {
    let at = html.find("data-build=\"").expect("the build's name") + "data-build=\"".len();
    let id = &html[at..at + html[at..].find('"').unwrap()];
    id.rsplit('.').next().unwrap().parse().unwrap()
}

#[test]
fn sequential_requests_never_go_back_to_an_older_build() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    // No page is open. The source's title shows on its page, the list of sources and the
    // print view: each request must see one build, and never an older one than the last.
    let source = serve.path("content/sources/council-statement.txt");
    let text = std::fs::read_to_string(&source).unwrap();
    let saves = 30;
    let writer = std::thread::spawn(move || {
        for n in 1..=saves {
            let new = text.replacen(
                "Council statement on the harbour night shifts",
                &format!("Council statement number {n}"),
                1,
            );
            save_like_an_editor(&source, &new);
            std::thread::sleep(Duration::from_millis(40 + (n % 4) * 15));
        }
    });
    let counter = |html: &str| -> u64 {
        match html.find("Council statement number ") {
            Some(at) => {
                let digits: String = html[at + 25..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().unwrap()
            }
            None => 0,
        }
    };
    let pages = ["/sources/council-statement/", "/sources/", "/print/"];
    let (mut last_edit, mut last_build, mut requests) = (0, 0, 0);
    let deadline = Instant::now() + WAIT * 3;
    while last_edit < saves {
        assert!(Instant::now() < deadline, "the last edit never showed");
        let path = pages[requests % pages.len()];
        let r = serve.get(path);
        assert_eq!(r.status, 200, "{path}");
        let html = r.text();
        let (edit, build) = (counter(&html), build_number(&html));
        assert!(
            edit >= last_edit && build >= last_build,
            "request {requests} ({path}) got edit {edit} of build {build} after edit {last_edit} of build {last_build}"
        );
        (last_edit, last_build) = (edit, build);
        requests += 1;
    }
    writer.join().unwrap();
    assert!(requests > saves as usize, "only {requests} requests");
}

#[test]
fn brief_build_output_has_no_live_reload_script() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("-C")
        .arg(site.path())
        .args(["build", "--output", "public"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut stack = vec![site.path().join("public")];
    let mut pages = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
                continue;
            }
            let bytes = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            pages += usize::from(e.path().extension().is_some_and(|x| x == "html"));
            for needle in ["__brief", "WebSocket", "brief-overlay"] {
                assert!(
                    !text.contains(needle),
                    "{} contains {needle}",
                    e.path().display()
                );
            }
        }
    }
    assert!(pages >= 5, "only {pages} pages built");
}

#[test]
fn a_failed_first_build_is_served_as_an_error_page_until_mended() {
    let broken = "    role: \"Chair of the union's negotiating team";
    let serve = Serve::start_with(&[], |site| {
        let file = site.join("content/annotations/people.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace("    role: Chair of the union's negotiating team", broken),
        )
        .unwrap();
    });
    serve.wait_log("the first build failed");
    // The errors follow the summary line.
    serve.wait_log("--> content/annotations/people.yaml:");

    let page = serve.get("/");
    assert_eq!(page.status, 500);
    let html = page.text();
    assert!(html.contains("The first build failed"));
    assert!(html.contains("content/annotations/people.yaml:"));
    assert!(html.contains("/__brief/ws"));

    let mut socket = serve.socket();
    let hello = socket.expect();
    assert_eq!(hello["type"], "hello");
    assert_eq!(hello["build"], "none");
    assert!(
        hello["error"]
            .as_str()
            .unwrap()
            .contains("content/annotations/people.yaml:")
    );

    let file = serve.path("content/annotations/people.yaml");
    replace_in(
        &file,
        broken,
        "    role: Chair of the union's negotiating team",
    );
    let msg = socket.expect();
    assert_eq!(msg["type"], "reload", "{msg}");
    // The message comes only once the site is in place.
    let page = serve.get("/people/mara-lind/");
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("id=\"__brief-overlay\""));
}

#[test]
fn polling_sees_edits_and_the_reload_follows_the_written_files() {
    let serve = Serve::start(&["--poll"]);
    serve.wait_built();
    let mut socket = serve.socket();
    assert_eq!(socket.expect()["type"], "hello");
    std::fs::write(
        serve.path("content/sources/council-statement.txt"),
        "Council statement on the harbour night shifts\n\nThe city council approves the revised night-shift timetable agreed at the harbour.\nMara Lind and the port authority will report back to the council in April.\nPOLLED-LINE\n",
    )
    .unwrap();
    let msg = socket.expect();
    assert_eq!(msg["type"], "reload", "{msg}");
    // Read at once: the new page must already be there.
    assert!(
        serve
            .get("/sources/council-statement/")
            .text()
            .contains("POLLED-LINE")
    );
}

#[test]
fn a_burst_of_saves_is_one_rebuild_and_editor_temp_files_none() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    let mut socket = serve.socket();
    assert_eq!(socket.expect()["type"], "hello");

    let sources = serve.path("content/sources");
    for temp in [
        ".harbour-report.md.swp",
        "harbour-report.md~",
        ".#harbour-report.md",
        "harbour-report.md___jb_old___",
        "4913",
    ] {
        std::fs::write(sources.join(temp), "scratch").unwrap();
    }
    assert_eq!(
        socket.next(Duration::from_millis(500)),
        None,
        "temp files rebuilt"
    );
    let before = serve.log();
    assert!(!before.contains("rebuilt"), "{before}");

    // A checkout-like burst: three files at once.
    for (name, text) in [
        ("a-one.txt", "Burst one\n\nFirst.\n"),
        ("a-two.txt", "Burst two\n\nSecond.\n"),
        ("a-three.txt", "Burst three\n\nThird.\n"),
    ] {
        std::fs::write(sources.join(name), text).unwrap();
    }
    let msg = socket.expect();
    assert_eq!(msg["type"], "reload");
    assert_eq!(
        socket.next(Duration::from_millis(500)),
        None,
        "a second reload"
    );
    let log = serve.log();
    let rebuilds: Vec<&str> = log.lines().filter(|l| l.contains("rebuilt in")).collect();
    // One rebuild makes the burst's site. When the machine is busy, the last writes of the
    // burst can come in after the debouncer's 20 ms: the build that starts then has read
    // them already, and the one they set off finds the site unchanged (no reload: asserted
    // above). Never one that changes the site again.
    let changed: Vec<&&str> = rebuilds
        .iter()
        .filter(|l| !l.contains("the site is unchanged"))
        .collect();
    assert_eq!(changed.len(), 1, "{log}");
    assert!(rebuilds[0].contains("content/sources/a-one.txt"), "{log}");
    assert!(rebuilds.len() <= 2, "{log}");
    for r in &rebuilds {
        assert!(!r.contains(".swp") && !r.contains("4913"), "{log}");
    }
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("-C")
        .arg(site.path())
        .args(["serve", "--port", &port.to_string()])
        .env("TMPDIR", tmp.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = collect(child.stderr.take().unwrap());
    let deadline = Instant::now() + WAIT;
    let text = loop {
        let l = log.lock().unwrap().clone();
        if l.contains("serving the briefing at") {
            break l;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{l}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        text.contains(&format!("port {port} is in use; serving on port")),
        "{text}"
    );
    assert!(
        !text.contains(&format!("at http://127.0.0.1:{port}/")),
        "{text}"
    );
}

/// `brief serve` shows the editors' site by default (internal parts marked, internal notes
/// in their box); `--public` previews the public site, in which they are not.
#[test]
fn serve_shows_internal_material_unless_public() {
    let prepare = |site: &Path| {
        let people = site.join("content/annotations/people.yaml");
        let text = std::fs::read_to_string(&people).unwrap();
        let text = text.replacen(
            "    side: Union\n",
            "    side: Union\n    internal_notes: Serve memo about the union's strike fund reserves.\n",
            1,
        );
        std::fs::write(&people, text).unwrap();
        let page = site.join("content/pages/backstage.md");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(
            &page,
            "---\ntitle: Backstage\ninternal: true\n---\nWho brokered the harbour deal behind closed doors.\n",
        )
        .unwrap();
    };
    let editors = Serve::start_with(&[], prepare);
    editors.wait_built();
    let item = editors.get("/people/mara-lind/").text();
    assert!(item.contains("class=\"internal-notes\""), "{item}");
    assert!(item.contains("strike fund reserves."));
    assert!(item.contains("Internal edition"));
    let page = editors.get("/backstage/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("internal-badge"));

    let public = Serve::start_with(&["--public"], prepare);
    public.wait_built();
    let item = public.get("/people/mara-lind/").text();
    assert!(!item.contains("strike fund"), "{item}");
    assert!(!item.contains("Internal edition"));
    assert_eq!(public.get("/backstage/").status, 404);
    // The search index: its manifest and every chunk it names.
    let mut index = public.get("/search-index.js").text();
    let manifest = common::search_index::literal(&index);
    for (dir, firsts) in [("term_chunks", "terms"), ("doc_chunks", "docs")] {
        let dir = manifest[dir].as_str().expect("chunks' folder");
        for k in 0..manifest[firsts].as_array().expect("chunks").len() {
            index.push_str(&public.get(&format!("/{dir}{k}.js")).text());
        }
    }
    assert!(index.contains("Mara Lind"));
    assert!(!index.contains("strike fund") && !index.contains("Backstage"));
}

/// Every file a fresh `brief build` of the briefing as it is now makes (for the editors, at
/// serve's address) by site path.
fn fresh_build(serve: &Serve) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("-q")
        .arg("-C")
        .arg(serve.site.path())
        .args(["build", "--internal", "--base-url", &serve.url("/"), "-o"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success(), "the fresh build failed");
    tree(out.path())
        .into_keys()
        .filter(|p| out.path().join(p).is_file())
        .map(|p| {
            let bytes = std::fs::read(out.path().join(&p)).unwrap();
            (p.to_string_lossy().replace('\\', "/"), bytes)
        })
        .collect()
}

/// Asserts that serve answers every file of a fresh build with that file's bytes: exactly,
/// or for a page, with only serve's scripts put in before its last `</body>`. The print
/// view, briefing.json, the search index and the exports among them, which serve makes only
/// when first asked for.
fn assert_served_as_built(serve: &Serve) {
    let built = fresh_build(serve);
    for must in [
        "print/index.html",
        "briefing.json",
        "search-index.js",
        "annotations.jsonld",
        "sources.csl.json",
    ] {
        assert!(built.contains_key(must), "a build makes {must}");
    }
    for (path, bytes) in &built {
        // The server answers no hidden file (.nojekyll).
        if path.split('/').any(|n| n.starts_with('.')) {
            continue;
        }
        let r = serve.get(&format!("/{path}"));
        assert_eq!(r.status, 200, "{path}");
        if !path.ends_with(".html") {
            assert!(r.body == *bytes, "{path} is not as a fresh build makes it");
            continue;
        }
        let at = bytes
            .windows(7)
            .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
            .unwrap_or(bytes.len());
        let served = &r.body;
        assert!(
            served.len() > bytes.len()
                && served.starts_with(&bytes[..at])
                && served.ends_with(&bytes[at..]),
            "{path} is not as a fresh build makes it"
        );
    }
}

#[test]
fn after_a_source_edit_and_an_annotation_edit_the_served_site_equals_a_fresh_build() {
    let serve = Serve::start(&[]);
    serve.wait_built();
    assert_served_as_built(&serve);

    // A source edit: its page changes.
    let page = "/sources/council-statement/";
    let mut socket = serve.socket_of(page);
    assert_eq!(socket.expect()["type"], "hello");
    replace_in(
        &serve.path("content/sources/council-statement.txt"),
        "Mara Lind and the port authority",
        "Mara Lind and the SOURCE-EDITED port authority",
    );
    let m = socket.expect();
    assert!(reloads(&m, page), "{m}");
    assert!(serve.get(page).text().contains("SOURCE-EDITED"));
    // The search index has it too (in a document chunk, the paragraph as it reads), made
    // from the new build when first asked for.
    let chunks: Vec<String> = fresh_build(&serve)
        .into_keys()
        .filter(|p| p.starts_with("search/docs/"))
        .collect();
    assert!(!chunks.is_empty(), "a build makes document chunks");
    assert!(
        chunks
            .iter()
            .any(|c| serve.get(&format!("/{c}")).text().contains("SOURCE-EDITED")),
        "no served document chunk has the edit"
    );
    assert_served_as_built(&serve);

    // An annotation edit: its item's page changes.
    let page = "/people/mara-lind/";
    let mut socket = serve.socket_of(page);
    assert_eq!(socket.expect()["type"], "hello");
    replace_in(
        &serve.path("content/annotations/people.yaml"),
        "Called the talks slow but honest.",
        "Called the talks ANNOTATION-EDITED slow but honest.",
    );
    let m = socket.expect();
    assert!(reloads(&m, page), "{m}");
    assert!(serve.get(page).text().contains("ANNOTATION-EDITED"));
    assert!(
        serve
            .get("/briefing.json")
            .text()
            .contains("ANNOTATION-EDITED")
    );
    assert_served_as_built(&serve);
}

/// The system calls that create, change or remove a file, as `strace -e` names them.
const WRITING_CALLS: &str = "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,truncate,ftruncate,link,linkat,symlink,symlinkat";

#[test]
fn serve_opens_no_file_for_writing_as_strace_sees_it() {
    // Where strace is missing or may not trace (a container without ptrace), the test
    // above, which compares the folders, is the check.
    let works = Command::new("strace")
        .args(["-qq", "-e", "trace=none", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!("strace cannot run here: skipped");
        return;
    }
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    let trace = tempfile::tempdir().unwrap();
    let trace_file = trace.path().join("strace.txt");
    let port = free_port();
    let mut child = Command::new("strace")
        .args(["-f", "-qq", "-e", WRITING_CALLS, "-o"])
        .arg(&trace_file)
        .arg(env!("CARGO_BIN_EXE_brief"))
        .arg("-C")
        .arg(site.path())
        .args(["serve", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = collect(child.stderr.take().unwrap());
    let wait_log = |needle: &str| {
        let deadline = Instant::now() + WAIT * 3;
        while !log.lock().unwrap().contains(needle) {
            assert!(Instant::now() < deadline, "serve never printed {needle:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_log("built ");
    // Every kind of file, the ones made when first asked for among them, then an edit.
    for path in [
        "/",
        "/print/",
        "/briefing.json",
        "/search-index.js",
        "/review/",
    ] {
        assert_eq!(http(port, "GET", path).status, 200, "{path}");
    }
    let source = site.path().join("content/sources/council-statement.txt");
    let text = std::fs::read_to_string(&source).unwrap();
    save_like_an_editor(&source, &text.replacen("Council", "COUNCIL-EDIT", 1));
    wait_log("council-statement.txt changed: rebuilt in");
    assert!(http(port, "GET", "/print/").text().contains("COUNCIL-EDIT"));
    // Stopped as Ctrl-C stops it: the signal to brief itself (strace's first line names it),
    // strace ending with it.
    let first = std::fs::read_to_string(&trace_file).unwrap();
    let pid = first.split_whitespace().next().unwrap().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    }

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let opens = trace.lines().filter(|l| l.contains("open")).count();
    assert!(opens > 0, "strace saw no file opened:\n{trace}");
    let writes: Vec<&str> = trace
        .lines()
        // A call that failed changed nothing.
        .filter(|l| !l.contains("= -1 "))
        .filter(|l| {
            ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
                .iter()
                .any(|flag| l.contains(flag))
                || !l.contains("open")
        })
        .filter(|l| l.contains('('))
        .collect();
    assert!(
        writes.is_empty(),
        "serve changed files on disk:\n{}",
        writes.join("\n")
    );
}
