//! From the path of a request to a file of the site, and back from a site path to a URL.
//!
//! A request's path is decoded once and refused when any segment would climb (`..`, in any
//! encoding), holds a backslash, a NUL or a colon. What is left is read as its segments:
//! repeated slashes are one, as on any file system, so `//sources/` names `sources/`.
//!
//! A URL serve sends back (a redirect's `Location`) is always made from the site path of
//! the file found, never from the request's own spelling: it starts with a single `/`, and
//! every byte that is not plainly part of a path is percent-encoded, so no request can
//! turn it into `//evil.example/` or `/\evil.example`, which a browser reads as another
//! host.

/// Decodes a URL path once. `None` when it is not valid UTF-8, or any segment is `.` or
/// `..` or holds a backslash, a NUL or a colon (a drive letter on Windows) — whether written
/// plainly or percent-encoded — so nothing outside the site can be named.
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

/// What a decoded path inside the site (the part after the base path) asks for.
#[derive(Debug, PartialEq, Eq)]
pub struct Wanted {
    /// Its segments joined by single slashes (`sources/a`; empty for the site's root).
    pub path: String,
    /// True when it ends with a slash (or is the root): a folder, whose page is its
    /// `index.html`.
    pub folder: bool,
}

impl Wanted {
    /// Reads `rel`, a decoded path relative to the base path (`sources//a/`).
    pub fn of(rel: &str) -> Wanted {
        let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
        Wanted {
            path: segments.join("/"),
            folder: segments.is_empty() || rel.ends_with('/'),
        }
    }

    /// The site path of the file to serve: the path itself, or a folder's `index.html`.
    pub fn file(&self) -> String {
        match (self.folder, self.path.is_empty()) {
            (true, true) => "index.html".to_string(),
            (true, false) => format!("{}/index.html", self.path),
            (false, _) => self.path.clone(),
        }
    }

    /// The site path of the page of the folder of this name, for a request that left out
    /// the final slash (`/sources`).
    pub fn folder_page(&self) -> Option<String> {
        (!self.folder).then(|| format!("{}/index.html", self.path))
    }
}

/// The URL of the folder `path` (a site path, `sources`) under `base_path` (`/` or
/// `/repo/`), with a final slash: `/repo/sources/`. Only unreserved characters and those
/// that cannot end a path segment stay as they are; a slash separates segments, and no
/// segment is empty, so the result never starts with `//`.
pub fn folder_url(base_path: &str, path: &str) -> String {
    let mut url = String::with_capacity(base_path.len() + path.len() + 1);
    url.push_str(base_path);
    for (i, segment) in path.split('/').filter(|s| !s.is_empty()).enumerate() {
        if i > 0 {
            url.push('/');
        }
        for &b in segment.as_bytes() {
            let plain = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b'@'
                );
            if plain {
                url.push(b as char);
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
    }
    url.push('/');
    url
}

/// Whether `location` can only be read as a path on this server: it starts with one `/`,
/// not followed by another `/` or a `\` (which browsers read as a host), and holds no
/// control character or white space (which browsers drop, joining what is around it).
pub fn stays_on_this_origin(location: &str) -> bool {
    let b = location.as_bytes();
    b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/' | b'\\'))
        && !b
            .iter()
            .any(|c| c.is_ascii_control() || *c == b' ' || *c == b'\\')
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
            "/\\evil.example",
            "/%5Cevil.example",
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
    fn repeated_slashes_are_one() {
        let w = |rel: &str| {
            let w = Wanted::of(rel);
            (w.file(), w.folder_page())
        };
        assert_eq!(w(""), ("index.html".into(), None));
        assert_eq!(w("/"), ("index.html".into(), None));
        assert_eq!(
            w("sources"),
            ("sources".into(), Some("sources/index.html".into()))
        );
        assert_eq!(
            w("/sources"),
            ("sources".into(), Some("sources/index.html".into()))
        );
        assert_eq!(
            w("//evil.example/"),
            ("evil.example/index.html".into(), None)
        );
        assert_eq!(w("a//b///"), ("a/b/index.html".into(), None));
        assert_eq!(w("assets//brief.css").0, "assets/brief.css");
    }

    #[test]
    fn folder_urls_start_with_one_slash_and_are_encoded() {
        assert_eq!(folder_url("/", "sources"), "/sources/");
        assert_eq!(folder_url("/repo/", "a/b"), "/repo/a/b/");
        assert_eq!(folder_url("/", "/evil.example"), "/evil.example/");
        assert_eq!(folder_url("/", "a b/ç"), "/a%20b/%C3%A7/");
        assert_eq!(folder_url("/", "a?b#c%d"), "/a%3Fb%23c%25d/");
        assert_eq!(folder_url("/", "x\t\ny"), "/x%09%0Ay/");
        for url in [
            folder_url("/", "/evil.example"),
            folder_url("/", "\\evil.example"),
            folder_url("/", "//x"),
        ] {
            assert!(stays_on_this_origin(&url), "{url}");
        }
    }

    #[test]
    fn locations_that_leave_the_origin_are_recognised() {
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "http://evil.example/",
            "evil.example",
            "/\t/evil.example",
            "",
        ] {
            assert!(!stays_on_this_origin(bad), "{bad:?}");
        }
        for good in ["/", "/sources/", "/repo/a%20b/?q=1"] {
            assert!(stays_on_this_origin(good), "{good}");
        }
    }
}
