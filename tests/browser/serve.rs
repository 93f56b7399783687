//! A minimal static file server on 127.0.0.1 that serves a built site under a base path
//! (`/istanbul/`), as GitHub Pages serves a project site, with 404.html for what is missing,
//! and text gzipped for a client that takes it, as GitHub Pages sends it (Lighthouse times a
//! page by the bytes that cross the wire).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The request targets the servers of this process were asked for, in order.
static REQUESTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Every request target (`/istanbul/assets/brief.css`) asked for so far, of every server.
#[allow(dead_code)]
pub fn requests() -> Vec<String> {
    REQUESTS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Serves `root` at `http://127.0.0.1:PORT{base}` on a background thread; returns the
/// site's address (ending in `/`). The thread lives as long as the test process.
pub fn serve(root: &Path, base: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("addr").port();
    let root = root.to_path_buf();
    let prefix = base.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            let prefix = prefix.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut gzip = false;
                loop {
                    let mut h = String::new();
                    match reader.read_line(&mut h) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if h == "\r\n" || h == "\n" => break,
                        Ok(_) => {
                            let h = h.to_ascii_lowercase();
                            if let Some(v) = h.strip_prefix("accept-encoding:") {
                                gzip = v.split(',').any(|e| e.trim().starts_with("gzip"));
                            }
                        }
                    }
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                REQUESTS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(target.to_string());
                let path = decode(target.split(['?', '#']).next().unwrap_or("/"));
                let (status, file) = match resolve(&root, &prefix, &path) {
                    Some(f) => ("200 OK", f),
                    None => ("404 Not Found", root.join("404.html")),
                };
                let mut body = std::fs::read(&file).unwrap_or_default();
                let kind = content_type(&file);
                let mut encoding = "";
                if gzip && is_text(kind) {
                    let mut z =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                    if z.write_all(&body).is_ok()
                        && let Ok(zipped) = z.finish()
                    {
                        body = zipped;
                        encoding = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n";
                    }
                }
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://127.0.0.1:{port}{base}")
}

fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rel = path.strip_prefix(prefix)?;
    if rel.split('/').any(|s| s == "..") {
        return None;
    }
    let mut file = root.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a type is text, sent gzipped (images and the like are not).
fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/xml")
        || content_type.starts_with("image/svg")
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
