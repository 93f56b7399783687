//! A small client of the Chrome DevTools protocol: starts headless Chromium, opens one tab
//! and sends it commands over a WebSocket. Shared by tests/browser.rs and tests/serve.rs,
//! each of which uses a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// The install line for Chromium, named when it is missing.
pub const CHROMIUM_INSTALL: &str = "apt-get install -y chromium";

/// Finds Chromium: `$BRIEF_CHROMIUM` or `$CHROMIUM`, else `chromium` or `chromium-browser`
/// on the PATH.
pub fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("BRIEF_CHROMIUM").or_else(|| std::env::var_os("CHROMIUM")) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "headless Chromium is needed for the browser tests and was not found: {CHROMIUM_INSTALL}"
    )
}

/// How long [`Browser::wait_for`] waits.
const WAIT: Duration = Duration::from_secs(15);

/// One headless Chromium with one tab.
pub struct Browser {
    /// Chromium leads its own process group (it runs as a wrapper script and a dozen helper
    /// processes): dropping the browser kills the whole group.
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium and attaches to a new blank tab.
    pub fn launch() -> Browser {
        let profile = tempfile::tempdir().expect("temp profile");
        let mut command = Command::new(chromium());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Chromium ({e}): {CHROMIUM_INSTALL}"));
        // Chromium prints its DevTools address on stderr; keep draining it afterwards.
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Only the first address; later lines are drained and dropped.
                if let Some(at) = line.find("ws://")
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(line[at..].trim().to_string());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(u) => u,
            Err(_) => {
                kill_group(&mut child);
                panic!("Chromium did not print its DevTools address within 30 s")
            }
        };
        let config = tungstenite::protocol::WebSocketConfig::default()
            .max_message_size(Some(256 << 20))
            .max_frame_size(Some(256 << 20));
        let (ws, _) = tungstenite::client::connect_with_config(url.as_str(), Some(config), 3)
            .expect("connect to DevTools");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(90)))
                .expect("read timeout");
        }
        let mut b = Browser {
            child,
            ws,
            next: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = b.browser_call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = b.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        b.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        b.call("Page.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b
    }

    /// Sends a command and returns its result, or the error Chromium answered.
    fn send(&mut self, method: &str, params: Value, session: bool) -> Result<Value, String> {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if session {
            msg["sessionId"] = json!(self.session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .expect("send to DevTools");
        let start = Instant::now();
        loop {
            let m = self.ws.read().unwrap_or_else(|e| {
                panic!("no answer to {method} after {:?}: {e}", start.elapsed())
            });
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).expect("DevTools JSON");
            if v["id"].as_u64() == Some(id) {
                if let Some(err) = v.get("error") {
                    return Err(format!("{method} failed: {err}"));
                }
                return Ok(v["result"].clone());
            }
        }
    }

    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, false)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Sends a command to the tab and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, true)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Evaluates JavaScript in the page; an exception (or a page that is just reloading) is
    /// an `Err`.
    pub fn try_eval(&mut self, expression: &str) -> Result<Value, String> {
        let r = self.send(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            true,
        )?;
        match r.get("exceptionDetails") {
            Some(e) => Err(e.to_string()),
            None => Ok(r["result"]["value"].clone()),
        }
    }

    /// Waits until `expression` is true in the page, through reloads.
    pub fn wait_for(&mut self, expression: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.try_eval(expression);
            if got == Ok(Value::Bool(true)) {
                return;
            }
            if Instant::now() > deadline {
                let state = self.try_eval("document.location.href + ' ' + document.readyState + '\\n' + (document.body ? document.body.innerText.slice(0, 2000) : '')");
                panic!("timed out waiting for `{expression}` (last: {got:?}); the page: {state:?}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!(
                "script failed: {}\n{}",
                e["exception"]["description"]
                    .as_str()
                    .unwrap_or(&e.to_string()),
                &expression[..expression.len().min(300)]
            );
        }
        r["result"]["value"].clone()
    }

    /// Opens a URL and waits until the page has loaded and its deferred scripts have run.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(30));
            let r = self.call(
                "Runtime.evaluate",
                json!({"expression": "location.href + ' ' + document.readyState", "returnByValue": true}),
            );
            let state = r["result"]["value"].as_str().unwrap_or("").to_string();
            if state.ends_with(" complete") && !state.starts_with("about:blank") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{url} did not load: {state}"
            );
        }
    }

    /// Opens a file of the built site.
    pub fn open(&mut self, site: &Path, page: &str) {
        self.goto(&file_url(site, page));
    }

    /// Sets the viewport width (height 900, or 800 on a phone) and the colour scheme.
    pub fn emulate(&mut self, width: u32, dark: bool) {
        let mobile = width < 600;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": if mobile { 800 } else { 900 }, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"media": "", "features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
        );
    }

    /// Emulates print media (or screen again).
    pub fn media(&mut self, media: &str) {
        self.call("Emulation.setEmulatedMedia", json!({"media": media}));
    }

    /// A PNG of the whole page (up to `max_height` CSS pixels tall) at the current width.
    pub fn screenshot(&mut self, max_height: u32) -> Vec<u8> {
        let m = self.call("Page.getLayoutMetrics", json!({}));
        let w = m["cssContentSize"]["width"].as_f64().unwrap_or(1280.0);
        let h = m["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(900.0)
            .min(max_height as f64);
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}}),
        );
        decode_base64(r["data"].as_str().expect("png data"))
    }

    /// A PNG of what the viewport shows.
    pub fn viewport_screenshot(&mut self) -> Vec<u8> {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}));
        decode_base64(r["data"].as_str().expect("png data"))
    }

    /// The page printed to PDF (A4).
    pub fn pdf(&mut self) -> Vec<u8> {
        let r = self.call(
            "Page.printToPDF",
            json!({"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true}),
        );
        decode_base64(r["data"].as_str().expect("pdf data"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.ws.close(None);
        kill_group(&mut self.child);
    }
}

/// Kills a child that leads its own process group, with every process of the group.
fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// `file://` URL of a page of the built site (`page` may carry `?query` and `#fragment`).
pub fn file_url(site: &Path, page: &str) -> String {
    format!("file://{}/{}", site.display(), page)
}

fn decode_base64(s: &str) -> Vec<u8> {
    let mut table = [255u8; 256];
    for (i, c) in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        .iter()
        .enumerate()
    {
        table[*c as usize] = i as u8;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s.as_bytes() {
        let v = table[c as usize];
        if v == 255 {
            continue;
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
