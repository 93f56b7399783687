//! What serve adds to the HTML it serves: the live-reload script and, while the build is
//! broken, the error overlay. Only the server adds it, when it sends a page; the files of
//! the site (and so `brief build`'s output) never contain it.

use crate::markdown::escape_html;

/// The live-reload script (see its head comment for the messages it understands).
const RELOAD_JS: &str = include_str!("reload.js");

/// The path of the live-reload WebSocket.
pub const WS_PATH: &str = "/__brief/ws";

/// The overlay's styles, inline so that no stylesheet of the site can hide or restyle it.
const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:.75rem 1rem;background:#2b0b0e;color:#ffe9e9;border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4);text-align:left;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
const HEAD_STYLE: &str = "margin:0 0 .5rem;font:inherit;font-weight:bold;color:inherit";
const BUTTON_STYLE: &str = "margin-left:1rem;font:inherit;font-weight:normal;color:inherit;background:transparent;border:1px solid currentColor;border-radius:3px;padding:0 .5rem;cursor:pointer";
const PRE_STYLE: &str = "margin:0;white-space:pre-wrap;font:inherit;color:inherit;background:transparent;border:0;padding:0";
const HEAD_TEXT: &str =
    "brief: the build failed. Mend the file and save; this page updates by itself.";

/// The markup added before `</body>`: the overlay when `error` is set, and the script,
/// which learns the build it belongs to from `build`.
pub fn snippet(build: &str, error: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(text) = error {
        out.push_str(&overlay(text));
    }
    out.push_str(&format!(
        "<script data-build=\"{}\" data-ws=\"{}\" data-overlay-style=\"{}\" data-head-style=\"{}\" data-button-style=\"{}\" data-pre-style=\"{}\" data-head-text=\"{}\">\n{}</script>\n",
        escape_html(build),
        escape_html(WS_PATH),
        escape_html(OVERLAY_STYLE),
        escape_html(HEAD_STYLE),
        escape_html(BUTTON_STYLE),
        escape_html(PRE_STYLE),
        escape_html(HEAD_TEXT),
        // A `</script` inside would end the element early; the script has none, and this
        // keeps it so if it is ever edited carelessly.
        RELOAD_JS.replace("</script", "<\\/script"),
    ));
    out
}

/// The error overlay as HTML: the problems exactly as the terminal prints them, escaped.
pub fn overlay(text: &str) -> String {
    format!(
        "<div id=\"__brief-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p style=\"{HEAD_STYLE}\">{} <button type=\"button\" style=\"{BUTTON_STYLE}\">hide</button></p><pre style=\"{PRE_STYLE}\">{}</pre></div>\n",
        escape_html(HEAD_TEXT),
        escape_html(text)
    )
}

/// Puts `snippet` before the page's last `</body>` (in any letter case), or at the end
/// when there is none.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    const END: &[u8] = b"</body>";
    let at = html
        .windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page served while there is no good build to show: before the first build ends, or
/// when it failed.
pub fn placeholder(title: &str, message: &str, snippet: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>{0}</title>\n</head>\n<body style=\"font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem\">\n<h1>{0}</h1>\n<p>{1}</p>\n{2}</body>\n</html>\n",
        escape_html(title),
        escape_html(message),
        snippet
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_before_the_last_closing_body() {
        let page = b"<html><body><p>a</p><pre>&lt;/body&gt;</pre></BODY>\n</html>";
        let out = String::from_utf8(inject(page, "<x>")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>a</p><pre>&lt;/body&gt;</pre><x></BODY>\n</html>"
        );
        let bare = String::from_utf8(inject(b"<p>no body", "<x>")).unwrap();
        assert_eq!(bare, "<p>no body<x>");
    }

    #[test]
    fn the_snippet_carries_the_build_and_the_script() {
        let s = snippet("abc.3", None);
        assert!(s.contains("data-build=\"abc.3\""));
        assert!(s.contains("data-ws=\"/__brief/ws\""));
        assert!(s.contains("new WebSocket"));
        assert!(
            !s.contains("__brief-overlay\" role"),
            "no overlay without an error"
        );
        assert_eq!(s.matches("</script>").count(), 1);
    }

    #[test]
    fn the_overlay_escapes_the_error_text() {
        let text = "error: content/annotations/a.yaml:3:7: expected `:` <not a tag> & \"more\"";
        let s = snippet("x", Some(text));
        assert!(s.contains("id=\"__brief-overlay\""));
        assert!(s.contains(
            "content/annotations/a.yaml:3:7: expected `:` &lt;not a tag&gt; &amp; &quot;more&quot;"
        ));
        assert!(!s.contains("<not a tag>"));
    }

    #[test]
    fn placeholder_pages_are_whole_documents() {
        let p = placeholder("Building <site>", "wait", &snippet("none", None));
        assert!(p.starts_with("<!doctype html>"));
        assert!(p.contains("<h1>Building &lt;site&gt;</h1>"));
        assert!(p.contains("data-build=\"none\""));
    }
}
