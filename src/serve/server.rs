//! The HTTP side of serve: the files of the site in memory, and the live-reload WebSocket.
//!
//! Only GET and HEAD are answered. Every request is answered from the one build served
//! when it arrived ([`Shared::served`]): the page, the 404 page and the script and overlay
//! added to them all come from it. How a path finds its file, and why a redirect never
//! leaves this server, is [`super::url`]'s business. Nothing is cached by the browser
//! (`Cache-Control: no-store`), so a reload always shows the newest build.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::sync::broadcast;

use super::inject;
use super::state::{Served, Shared};
use super::url::{Wanted, decode_path, folder_url, stays_on_this_origin};

/// The router of the development server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(inject::WS_PATH, get(socket))
        .route(super::cite::PATH, get(quote))
        .fallback(file)
        .with_state(shared)
}

/// Upgrades to the live-reload socket, for pages of this server only (a WebSocket is not
/// bound by the same-origin policy, so the server checks the Origin itself).
async fn socket(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let mut res = if let Some(refused) = refuse_host(&shared, &headers) {
        refused
    } else if !same_origin(&headers) {
        plain(
            StatusCode::FORBIDDEN,
            "forbidden: the live-reload socket is for this server's pages\n",
        )
    } else {
        ws.on_upgrade(move |socket| talk(shared, socket))
    };
    no_store(&mut res);
    res
}

/// The Cite button's request (see [`super::cite::answer`]), for pages of this server only;
/// the source is read off the event loop.
async fn quote(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    let mut res = if let Some(refused) = refuse_host(&shared, &headers) {
        refused
    } else if !same_origin(&headers) {
        plain(
            StatusCode::FORBIDDEN,
            "forbidden: the Cite button's requests are for this server's pages\n",
        )
    } else {
        let root = shared.root.clone();
        let query = uri.query().unwrap_or_default().to_owned();
        match tokio::task::spawn_blocking(move || super::cite::answer(&root, &query)).await {
            Ok((status, body)) => {
                let mut r = (status, body).into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                );
                r
            }
            Err(_) => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the citation could not be made\n",
            ),
        }
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

/// Tells one page what happens, until it goes away.
async fn talk(shared: Arc<Shared>, mut socket: WebSocket) {
    // Subscribe before reading the state, so no build can slip between the two.
    let mut rx = shared.subscribe();
    let hello = || {
        let served = shared.served();
        json!({"type": "hello", "build": served.build_id, "error": served.error}).to_string()
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

/// Serves a file of the site (GET and HEAD only).
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
        answer(&shared, &shared.served(), &uri)
    };
    no_store(&mut res);
    res
}

/// The answer to a GET of `uri`, all of it from `served`.
fn answer(shared: &Shared, served: &Served, uri: &Uri) -> Response {
    let snippet = inject::snippet(&served.build_id, served.error.as_deref());
    let Some(path) = decode_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request: unsafe path\n");
    };
    let Some(rel) = path.strip_prefix(&shared.base_path) else {
        // The site's own address without its final slash, or the server's root.
        if format!("{path}/") == shared.base_path || path == "/" {
            return redirect(&shared.base_path, uri);
        }
        return not_found(served, &snippet);
    };
    if served.build.is_none() {
        return placeholder(served, &snippet);
    }
    let wanted = Wanted::of(rel);
    let file = wanted.file();
    if let Some(bytes) = served.site.get(&file) {
        // A source page gets the Cite button too.
        let snippet = match super::cite::source_of_page(&file) {
            Some(id) => {
                let strings = served
                    .site
                    .get(super::cite::STRINGS_FILE)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .unwrap_or("{}");
                snippet + &super::cite::snippet(id, strings)
            }
            None => snippet,
        };
        return file_response(StatusCode::OK, &file, bytes, &snippet);
    }
    // A folder asked for without its final slash: relative links in its page only work
    // from the folder's own URL.
    if wanted
        .folder_page()
        .is_some_and(|page| served.site.has(&page))
    {
        return redirect(&folder_url(&shared.base_path, &wanted.path), uri);
    }
    not_found(served, &snippet)
}

/// The site's 404.html with status 404 (or a plain 404 when the site has none).
fn not_found(served: &Served, snippet: &str) -> Response {
    if served.build.is_none() {
        return placeholder(served, snippet);
    }
    match served.site.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, snippet),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// The page shown while there is no good build.
fn placeholder(served: &Served, snippet: &str) -> Response {
    let (status, title, message) = if served.started {
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

/// A file of the site; an HTML page gets the live-reload script (and the overlay).
fn file_response(status: StatusCode, path: &str, bytes: &Bytes, snippet: &str) -> Response {
    let content_type = content_type(Path::new(path));
    let body = if content_type.starts_with("text/html") {
        Body::from(inject::inject(bytes, snippet))
    } else {
        // Shared with the site in memory, not copied.
        Body::from(bytes.clone())
    };
    let mut res = Response::new(body);
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

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, text).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// A redirect to `to`, a path on this server (see [`folder_url`]), keeping the request's
/// query. Should `to` ever be a URL a browser could read as another host, the answer is a
/// plain 404 instead: a redirect never leaves this server.
fn redirect(to: &str, uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(q) => format!("{to}?{q}"),
        None => to.to_string(),
    };
    let value = HeaderValue::from_str(&location)
        .ok()
        .filter(|_| stays_on_this_origin(&location));
    let Some(value) = value else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let mut res = StatusCode::FOUND.into_response();
    res.headers_mut().insert(header::LOCATION, value);
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
    use crate::output::{Contents, OutFile};
    use crate::serve::site::Site;
    use crate::serve::state::Outcome;

    fn shared_with(base: &str, files: &[(&str, &str)]) -> Shared {
        let shared = Shared::new(base.into(), None);
        let files = files
            .iter()
            .map(|(p, s)| OutFile {
                path: p.to_string(),
                contents: Contents::Bytes(s.as_bytes().to_vec()),
            })
            .collect();
        let (site, _) = Site::new(files, &Site::default()).unwrap();
        shared.built(Arc::new(site), Outcome::Reload);
        shared
    }

    fn get(shared: &Shared, path: &str) -> Response {
        answer(shared, &shared.served(), &path.parse::<Uri>().unwrap())
    }

    fn location(res: &Response) -> Option<&str> {
        res.headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap())
    }

    #[test]
    fn redirects_never_leave_the_server() {
        let shared = shared_with(
            "/",
            &[
                ("index.html", "home"),
                ("sources/index.html", "list"),
                ("evil.example/index.html", "a folder of that name"),
                ("x/index.html", "x"),
            ],
        );
        for (path, to) in [
            ("/sources", Some("/sources/")),
            ("//sources", Some("/sources/")),
            ("//x", Some("/x/")),
            ("//evil.example", Some("/evil.example/")),
            ("/%2F%2Fevil.example", Some("/evil.example/")),
            ("///evil.example?a=1", Some("/evil.example/?a=1")),
            ("//evil.example/", None),
            ("/\\evil.example", None),
            ("/%5Cevil.example", None),
        ] {
            let res = get(&shared, path);
            assert_eq!(location(&res), to, "{path}: {}", res.status());
            if let Some(to) = location(&res) {
                assert!(stays_on_this_origin(to), "{path} -> {to}");
            }
        }
        // Repeated slashes name the same file.
        assert_eq!(get(&shared, "//evil.example/").status(), StatusCode::OK);
        assert_eq!(
            get(&shared, "/\\evil.example").status(),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn under_a_base_path_redirects_keep_it() {
        let shared = shared_with("/repo/", &[("index.html", "home"), ("a b/index.html", "x")]);
        assert_eq!(location(&get(&shared, "/")), Some("/repo/"));
        assert_eq!(location(&get(&shared, "/repo")), Some("/repo/"));
        assert_eq!(
            location(&get(&shared, "/repo//a%20b")),
            Some("/repo/a%20b/")
        );
        assert_eq!(get(&shared, "/other/").status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn a_folder_without_a_page_is_not_found() {
        let shared = shared_with("/", &[("assets/brief.css", "body{}")]);
        let res = get(&shared, "/assets");
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(location(&res), None);
        assert_eq!(get(&shared, "/assets/brief.css").status(), StatusCode::OK);
    }

    #[test]
    fn a_redirect_that_would_leave_is_refused() {
        let uri = "/x".parse::<Uri>().unwrap();
        for to in [
            "//evil.example/",
            "/\\evil.example/",
            "https://evil.example/",
        ] {
            let res = redirect(to, &uri);
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{to}");
            assert_eq!(location(&res), None);
        }
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
}
