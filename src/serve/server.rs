//! The HTTP side of serve: the files of the private output folder, the live-reload
//! WebSocket, and the state the builder shares with both.
//!
//! Only GET and HEAD are answered. A URL is decoded once and refused when any segment would
//! climb (`..`, in any encoding), hold a backslash or a NUL; the file found is resolved
//! through any links and must still lie inside the output folder. Nothing is cached by the
//! browser (`Cache-Control: no-store`), so a reload always shows the newest build.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::sync::broadcast;

use super::inject;

/// What the builder and the server share.
pub struct Shared {
    /// The private output folder, canonical.
    dir: PathBuf,
    /// The path the site lives under (`/`, or `/repo/` for a project-path base URL).
    base_path: String,
    state: RwLock<BuildState>,
    /// Messages to every open page's socket (JSON text).
    tx: broadcast::Sender<String>,
    /// The host names answered (lower case, without port), or `None` for any. See
    /// [`Shared::new`].
    hosts: Option<Vec<String>>,
    /// Tells this run's builds from a previous run's, so a page served by a server that was
    /// restarted reloads when its socket reconnects.
    run_tag: String,
    /// The pages open in a browser (their live-reload sockets), by the site path of their
    /// file (`people/x/index.html`), and how many sockets each.
    open: Mutex<HashMap<String, usize>>,
    /// While the open pages of a build are in place and the rest of the site is still being
    /// made: the files made first (see [`Shared::rest_underway`]).
    rest: tokio::sync::watch::Sender<Option<HashSet<String>>>,
}

/// Where the builds stand.
#[derive(Debug, Default, Clone)]
struct BuildState {
    /// The number of the build in the folder; `None` until a build succeeded.
    build: Option<u64>,
    /// The problems of the last build, when it failed, as the terminal shows them.
    error: Option<String>,
    /// True once the first build finished, good or bad.
    started: bool,
}

/// How a good build changed the folder, for the open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Files any page may use changed: every page reloads.
    Reload,
    /// Only these pages changed (site paths of their files): the pages showing them reload.
    Pages(Vec<String>),
    /// Only stylesheets changed: swap them.
    Css,
    /// Nothing changed.
    Unchanged,
}

impl Shared {
    /// Shared state for serving `dir` (canonical) under `base_path`. With `hosts`, only
    /// requests naming one of them (or any `*.localhost`) in their Host header are answered:
    /// a server on the loopback address is thereby out of reach of web pages elsewhere that
    /// point a name of theirs at 127.0.0.1 (DNS rebinding) to read an unpublished briefing.
    pub fn new(dir: PathBuf, base_path: String, hosts: Option<Vec<String>>) -> Shared {
        let (tx, _) = broadcast::channel(64);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Shared {
            dir,
            base_path,
            state: RwLock::new(BuildState::default()),
            tx,
            hosts,
            run_tag: format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff_ffff),
            open: Mutex::new(HashMap::new()),
            rest: tokio::sync::watch::Sender::new(None),
        }
    }

    /// Says whether the rest of the site is being made after the files in `first` (the open
    /// pages), which are in place. Until it is, the folder mixes new pages with old ones: a
    /// page other than those, and anything not found, is answered once the rest is in place
    /// (the open pages' stylesheets and scripts are not held up).
    pub fn rest_underway(&self, first: Option<HashSet<String>>) {
        self.rest.send_replace(first);
    }

    /// Whether a request for `uri` must wait for the rest of the site; `found` says whether
    /// the folder has the file now.
    fn must_wait(&self, uri: &Uri, found: bool) -> bool {
        let rest = self.rest.borrow();
        let Some(first) = rest.as_ref() else {
            return false;
        };
        let Some(file) = self.site_file_of(uri.path()) else {
            return false;
        };
        !found || (file.ends_with(".html") && !first.contains(&file))
    }

    /// Waits (up to a minute) until the rest of the site is in place.
    async fn wait_for_rest(&self) {
        let mut rx = self.rest.subscribe();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            rx.wait_for(Option::is_none),
        )
        .await;
    }

    /// The site paths of the files of the pages open in a browser.
    pub fn open_pages(&self) -> HashSet<String> {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    /// The site path of the file a page's URL path (`/repo/people/x/`, as the page's
    /// `location.pathname`) shows, if it is one of the site's.
    fn site_file_of(&self, url_path: &str) -> Option<String> {
        // The page's path is itself URL-encoded: decode it once more.
        let path = decode_path(url_path)?;
        let rel = path.strip_prefix(&self.base_path)?;
        if rel.is_empty() || rel.ends_with('/') {
            Some(format!("{rel}index.html"))
        } else {
            Some(rel.to_string())
        }
    }

    /// The number of pages with an open live-reload socket.
    pub fn pages_open(&self) -> usize {
        self.tx.receiver_count()
    }

    /// Records a good build whose files are all in place, and tells the open pages. Call it
    /// only after the last file was written.
    pub fn built(&self, outcome: Outcome) {
        let message = {
            let mut s = self.state.write().expect("state lock");
            let had_error = s.error.take().is_some();
            let first = !s.started || s.build.is_none();
            s.started = true;
            let kind = match outcome {
                _ if first => "reload",
                Outcome::Reload | Outcome::Pages(_) => "reload",
                Outcome::Css => "css",
                Outcome::Unchanged if had_error => "ok",
                Outcome::Unchanged => return,
            };
            if first || outcome != Outcome::Unchanged {
                s.build = Some(s.build.map_or(1, |n| n + 1));
            }
            let build = self.build_id(&s);
            match outcome {
                Outcome::Pages(pages) if !first => {
                    // As the pages know themselves: `location.pathname`, either way.
                    let mut urls = Vec::new();
                    for p in pages {
                        let url = format!("{}{p}", self.base_path);
                        if let Some(dir) = url.strip_suffix("index.html") {
                            urls.push(dir.to_string());
                        }
                        urls.push(url);
                    }
                    json!({"type": kind, "build": build, "pages": urls}).to_string()
                }
                _ => json!({"type": kind, "build": build}).to_string(),
            }
        };
        let _ = self.tx.send(message);
    }

    /// Records a failed build (the folder keeps the last good one) and shows its problems
    /// on the open pages.
    pub fn failed(&self, text: String) {
        {
            let mut s = self.state.write().expect("state lock");
            s.started = true;
            s.error = Some(text.clone());
        }
        let _ = self
            .tx
            .send(json!({"type": "error", "text": text}).to_string());
    }

    fn build_id(&self, s: &BuildState) -> String {
        match s.build {
            Some(n) => format!("{}.{n}", self.run_tag),
            None => "none".into(),
        }
    }

    fn snapshot(&self) -> (BuildState, String) {
        let s = self.state.read().expect("state lock").clone();
        let id = self.build_id(&s);
        (s, id)
    }
}

/// The router of the development server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(inject::WS_PATH, get(socket))
        .fallback(file)
        .with_state(shared)
}

/// Upgrades to the live-reload socket, for pages of this server only (a WebSocket is not
/// bound by the same-origin policy, so the server checks the Origin itself).
async fn socket(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    // The page says which it is (`?page=` its path), so a rebuild can make it first.
    let page = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .and_then(decode_path)
        .and_then(|p| shared.site_file_of(&p));
    let mut res = if let Some(refused) = refuse_host(&shared, &headers) {
        refused
    } else if !same_origin(&headers) {
        plain(
            StatusCode::FORBIDDEN,
            "forbidden: the live-reload socket is for this server's pages\n",
        )
    } else {
        ws.on_upgrade(move |socket| talk(shared, socket, page))
    };
    no_store(&mut res);
    res
}

/// A refusal when the Host header names a host this server does not answer to.
fn refuse_host(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let allowed = shared.hosts.as_ref()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let name = host_name(host);
    if allowed.contains(&name) || name.ends_with(".localhost") {
        return None;
    }
    Some(plain(
        StatusCode::FORBIDDEN,
        "forbidden: brief serve answers to localhost only (use --bind or --base-url for other names)\n",
    ))
}

/// The host name of a Host header value, lower case, without the port.
pub fn host_name(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => host[..=end].to_string(),
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
        _ => host,
    }
}

/// Whether a request comes from a page of this very server: no Origin (not a browser
/// page), or an Origin whose host and port are the request's Host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|h| h.to_str()),
    ) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

/// Tells one page what happens, until it goes away. `page` is the site path of its file.
async fn talk(shared: Arc<Shared>, socket: WebSocket, page: Option<String>) {
    let count = |delta: isize| {
        let Some(page) = &page else { return };
        let mut open = shared.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(page.clone()).or_default();
        *n = n.saturating_add_signed(delta);
        if *n == 0 {
            open.remove(page);
        }
    };
    count(1);
    talk_to(&shared, socket).await;
    count(-1);
}

async fn talk_to(shared: &Shared, mut socket: WebSocket) {
    // Subscribe before reading the state, so no build can slip between the two.
    let mut rx = shared.tx.subscribe();
    let hello = || {
        let (s, id) = shared.snapshot();
        json!({"type": "hello", "build": id, "error": s.error}).to_string()
    };
    if socket.send(Message::Text(hello().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            msg = rx.recv() => {
                let text = match msg {
                    Ok(text) => text,
                    // Fell behind (a page asleep through many builds): the state says all.
                    Err(broadcast::error::RecvError::Lagged(_)) => hello(),
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    }
}

/// Serves a file of the output folder (GET and HEAD only).
async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut res = if let Some(refused) = refuse_host(&shared, &headers) {
        refused
    } else if method != Method::GET && method != Method::HEAD {
        let mut r = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    } else {
        let res = answer(&shared, &uri).await;
        if shared.must_wait(&uri, res.status() != StatusCode::NOT_FOUND) {
            shared.wait_for_rest().await;
            answer(&shared, &uri).await
        } else {
            res
        }
    };
    no_store(&mut res);
    res
}

async fn answer(shared: &Shared, uri: &Uri) -> Response {
    // Read the state before the file: should a build land in between, the page is newer
    // than the build it names, and its socket's hello makes it reload once more.
    let (state, build_id) = shared.snapshot();
    let snippet = inject::snippet(&build_id, state.error.as_deref());

    let raw = uri.path();
    let Some(path) = decode_path(raw) else {
        return plain(StatusCode::BAD_REQUEST, "bad request: unsafe path\n");
    };
    let Some(rel) = path.strip_prefix(&shared.base_path) else {
        if format!("{path}/") == shared.base_path || path == "/" {
            return redirect(&shared.base_path);
        }
        return not_found(shared, &state, &snippet).await;
    };

    if state.build.is_none() {
        return placeholder(&state, &snippet);
    }

    let mut target = shared.dir.clone();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        target.push(seg);
    }
    let meta = match tokio::fs::metadata(&target).await {
        Ok(m) => m,
        Err(_) => return not_found(shared, &state, &snippet).await,
    };
    if meta.is_dir() {
        if !rel.is_empty() && !rel.ends_with('/') {
            // Relative links in the page only work from the folder's own URL.
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            return redirect(&format!("{raw}/{query}"));
        }
        target.push("index.html");
    }
    match read_inside(&shared.dir, &target).await {
        Some(bytes) => file_response(StatusCode::OK, &target, bytes, &snippet),
        None => not_found(shared, &state, &snippet).await,
    }
}

/// Reads a file if it lies inside `dir` once every link is resolved.
async fn read_inside(dir: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = tokio::fs::canonicalize(file).await.ok()?;
    if !real.starts_with(dir) {
        return None;
    }
    if !tokio::fs::metadata(&real).await.ok()?.is_file() {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

/// The site's 404.html with status 404 (or a plain 404 when the site has none).
async fn not_found(shared: &Shared, state: &BuildState, snippet: &str) -> Response {
    if state.build.is_none() {
        return placeholder(state, snippet);
    }
    let page = shared.dir.join("404.html");
    match read_inside(&shared.dir, &page).await {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, &page, bytes, snippet),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// The page shown while there is no good build.
fn placeholder(state: &BuildState, snippet: &str) -> Response {
    let (status, title, message) = if state.started {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The first build failed",
            "brief could not build the site yet. The problems are shown below and in the terminal; this page reloads by itself once a build succeeds.",
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "Building the site…",
            "brief is building the site; this page reloads by itself when it is ready.",
        )
    };
    let html = inject::placeholder(title, message, snippet);
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

fn file_response(status: StatusCode, path: &Path, bytes: Vec<u8>, snippet: &str) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        inject::inject(&bytes, snippet)
    } else {
        bytes
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// The content type of a file by its name, with a charset for text.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let texty = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
        || essence.ends_with("+xml");
    if texty {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// Decodes a URL path once. `None` when it is not valid UTF-8, or any segment is `.` or
/// `..` or holds a backslash, a NUL or a colon (a drive letter on Windows) — whether written
/// plainly or percent-encoded — so nothing outside the folder can be named.
pub fn decode_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if !path.starts_with('/') {
        return None;
    }
    for seg in path.split('/') {
        if seg == "." || seg == ".." || seg.contains(['\\', '\0', ':']) {
            return None;
        }
    }
    Some(path)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, text).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn redirect(to: &str) -> Response {
    let mut res = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Every answer is fresh: a cached page or stylesheet would hide the newest build.
fn no_store(res: &mut Response) {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_are_refused_in_every_spelling() {
        for p in [
            "/../etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/sources/%2e%2e/%2e%2e/x",
            "/a/..",
            "/./a",
            "/..%5c..%5cetc%5cpasswd",
            "/a\\b",
            "/c:/windows",
            "/%00",
            "/%zz",
            "/%2",
            "/%ff%fe",
            "relative",
        ] {
            assert_eq!(decode_path(p), None, "{p}");
        }
    }

    #[test]
    fn ordinary_paths_decode() {
        assert_eq!(decode_path("/").as_deref(), Some("/"));
        assert_eq!(
            decode_path("/sources/a%20b/").as_deref(),
            Some("/sources/a b/")
        );
        assert_eq!(
            decode_path("/%C3%A7%C4%B1ra%C4%9Fan/").as_deref(),
            Some("/çırağan/")
        );
        assert_eq!(decode_path("/a..b/c...").as_deref(), Some("/a..b/c..."));
    }

    #[test]
    fn host_names_lose_their_port() {
        assert_eq!(host_name("127.0.0.1:1111"), "127.0.0.1");
        assert_eq!(host_name("LocalHost:80"), "localhost");
        assert_eq!(host_name("[::1]:1111"), "[::1]");
        assert_eq!(host_name("[::1]"), "[::1]");
        assert_eq!(host_name("example.org"), "example.org");
    }

    #[test]
    fn the_socket_is_for_this_servers_pages() {
        let h = |origin: Option<&str>, host: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            if let Some(o) = origin {
                m.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            same_origin(&m)
        };
        assert!(h(None, "127.0.0.1:1111"));
        assert!(h(Some("http://127.0.0.1:1111"), "127.0.0.1:1111"));
        assert!(!h(Some("http://127.0.0.1:1112"), "127.0.0.1:1111"));
        assert!(!h(Some("https://evil.example"), "127.0.0.1:1111"));
        assert!(!h(Some("null"), "127.0.0.1:1111"));
    }

    #[test]
    fn content_types() {
        let ct = |p: &str| content_type(Path::new(p));
        assert_eq!(ct("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(ct("assets/brief.css"), "text/css; charset=utf-8");
        assert!(ct("assets/brief.js").contains("javascript"));
        assert_eq!(ct("briefing.json"), "application/json; charset=utf-8");
        assert!(
            ct("feed.xml").starts_with("application/xml") || ct("feed.xml").starts_with("text/xml")
        );
        assert_eq!(ct("logo.png"), "image/png");
        assert_eq!(ct("CNAME"), "application/octet-stream");
    }

    #[test]
    fn builds_are_numbered_only_when_files_changed() {
        let s = Shared::new(PathBuf::from("/x"), "/".into(), None);
        let mut rx = s.tx.subscribe();
        s.failed("error: a.yaml:1:1: bad".into());
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(m["type"], "error");
        assert_eq!(s.snapshot().1, "none");

        // The first good build is always news, even when it wrote nothing new.
        s.built(Outcome::Unchanged);
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(m["type"], "reload");
        let first = s.snapshot().1;
        assert_eq!(m["build"], first.as_str());

        s.built(Outcome::Unchanged);
        assert!(rx.try_recv().is_err(), "nothing to say");
        assert_eq!(s.snapshot().1, first);

        s.built(Outcome::Css);
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(m["type"], "css");
        assert_ne!(s.snapshot().1, first);

        s.failed("error: x".into());
        let _ = rx.try_recv();
        s.built(Outcome::Unchanged);
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(m["type"], "ok", "mending the error clears the overlay");
        assert!(s.snapshot().0.error.is_none());
    }

    #[test]
    fn changed_pages_are_named_as_the_browser_knows_them() {
        let s = Shared::new(PathBuf::from("/x"), "/repo/".into(), None);
        let mut rx = s.tx.subscribe();
        // The first build reloads everything, whatever changed.
        s.built(Outcome::Pages(vec!["a/index.html".into()]));
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert!(m.get("pages").is_none(), "{m}");
        let before = s.snapshot().1;
        s.built(Outcome::Pages(vec![
            "print/index.html".into(),
            "404.html".into(),
        ]));
        let m: serde_json::Value = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(m["type"], "reload");
        assert_eq!(
            m["pages"],
            serde_json::json!(["/repo/print/", "/repo/print/index.html", "/repo/404.html"])
        );
        assert_ne!(m["build"], before.as_str());
        assert_eq!(m["build"], s.snapshot().1.as_str());
    }

    #[test]
    fn pages_are_known_by_the_file_they_show() {
        let s = Shared::new(PathBuf::from("/x"), "/repo/".into(), None);
        assert_eq!(s.site_file_of("/repo/").as_deref(), Some("index.html"));
        assert_eq!(
            s.site_file_of("/repo/people/x/").as_deref(),
            Some("people/x/index.html")
        );
        assert_eq!(
            s.site_file_of("/repo/a%20b/index.html").as_deref(),
            Some("a b/index.html")
        );
        assert_eq!(s.site_file_of("/other/"), None);
        assert_eq!(s.site_file_of("/repo/../x/"), None);
    }

    #[test]
    fn while_the_rest_is_made_only_the_open_pages_and_assets_are_served_at_once() {
        let s = Shared::new(PathBuf::from("/x"), "/".into(), None);
        let uri = |p: &str| p.parse::<Uri>().unwrap();
        assert!(!s.must_wait(&uri("/other/"), true), "nothing underway");
        s.rest_underway(Some(["a/index.html".to_string()].into()));
        assert!(!s.must_wait(&uri("/a/"), true), "an open page");
        assert!(!s.must_wait(&uri("/assets/brief.css"), true), "an asset");
        assert!(
            s.must_wait(&uri("/other/"), true),
            "another page may be stale"
        );
        assert!(s.must_wait(&uri("/new.css"), false), "not written yet");
        s.rest_underway(None);
        assert!(!s.must_wait(&uri("/other/"), true));
    }
}
