//! The Cite button of serve's source pages: the script added to them, and the answer to its
//! requests.
//!
//! The page knows where the reader's selection starts and ends (a paragraph's number and an
//! offset in its text, see cite.js); the server turns that into the citation with
//! [`crate::quote::cite_selection`], the same logic (and the same matcher) as `brief quote`
//! and the build, reading the source from the briefing's folder as the build would. So the
//! page carries nothing for it but the script, and `brief build`'s output nothing at all
//! unless site.toml has `cite_button = true` (see [`crate::quote::page_data`]); a page that
//! has it gets the server's way here all the same.

use std::path::Path;

use axum::http::StatusCode;
use serde_json::json;

use crate::markdown::escape_html;
use crate::quote::{Selection, cite_selection};

/// The path of the Cite button's requests (beside the live-reload socket's).
pub const PATH: &str = "/__brief/quote";

use crate::quote::CITE_JS;

/// Where serve keeps the Cite button's words in the site's language beside the pages it
/// serves (only serve makes it, with the `/review/` page; no build writes it).
pub const STRINGS_FILE: &str = "__brief/cite-strings.json";

/// The Cite button's words for a site, as JSON ([`STRINGS_FILE`]).
pub fn strings_json(strings: &crate::strings::Strings) -> String {
    crate::quote::cite_strings_json(strings)
}

/// The id of the source whose page is the site file `file` (`sources/<id>/index.html`).
pub fn source_of_page(file: &str) -> Option<&str> {
    let id = file.strip_prefix("sources/")?.strip_suffix("/index.html")?;
    crate::load::is_valid_id(id).then_some(id)
}

/// The markup added to a source page: the Cite button's script, told the source, where to
/// ask, and its words (`strings`, [`strings_json`]; `{}` leaves them English).
pub fn snippet(source: &str, strings: &str) -> String {
    format!(
        "<script data-source=\"{}\" data-endpoint=\"{}\" data-strings=\"{}\">\n{}</script>\n",
        escape_html(source),
        escape_html(PATH),
        escape_html(strings),
        // As for the reload script: a `</script` inside would end the element early.
        CITE_JS.replace("</script", "<\\/script"),
    )
}

/// The answer to `GET /__brief/quote?source=ID&sp=N&so=N&ep=N&eo=N&text=…`: the citation of
/// the selection from paragraph `sp`, offset `so`, to paragraph `ep`, offset `eo`, whose text
/// the page showed as `text`. A JSON object: `{"ok": true, "citation", "yaml", "quotes",
/// "notes"}`, or `{"ok": false, "why"}` when it cannot be cited; 400 for a malformed
/// request.
pub fn answer(root: &Path, query: &str) -> (StatusCode, String) {
    let Some((source, selection)) = parse_query(query) else {
        let why = "a request needs source, sp, so, ep, eo and text";
        return (
            StatusCode::BAD_REQUEST,
            json!({"ok": false, "why": why}).to_string(),
        );
    };
    let mut diags = crate::diagnostics::Diagnostics::new();
    let Some(loaded) = crate::load::load_source(root, &source, &mut diags) else {
        let why = format!("the source `{source}` cannot be read: save it and reload the page");
        return (StatusCode::OK, json!({"ok": false, "why": why}).to_string());
    };
    let body = match cite_selection(&loaded, &selection) {
        Ok(cited) => json!({
            "ok": true,
            "citation": cited.citation,
            "yaml": cited.yaml,
            "quotes": cited.quotes,
            "notes": cited.notes,
        }),
        Err(why) => json!({"ok": false, "why": why}),
    };
    (StatusCode::OK, body.to_string())
}

/// The source id and the selection of a request's query, if it has them all.
fn parse_query(query: &str) -> Option<(String, Selection)> {
    let mut source = None;
    let mut text = None;
    let mut numbers = [None; 4];
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        // Form encoding writes a space as `+`; a `+` of the text itself comes as %2B.
        let value = value.replace('+', " ");
        let value = percent_encoding::percent_decode_str(&value)
            .decode_utf8()
            .ok()?
            .into_owned();
        match key {
            "source" => source = Some(value),
            "text" => text = Some(value),
            "sp" | "so" | "ep" | "eo" => {
                let i = ["sp", "so", "ep", "eo"].iter().position(|k| *k == key)?;
                numbers[i] = Some(value.parse::<usize>().ok()?);
            }
            _ => {}
        }
    }
    let [Some(sp), Some(so), Some(ep), Some(eo)] = numbers else {
        return None;
    };
    let source = source.filter(|s| crate::load::is_valid_id(s))?;
    Some((
        source,
        Selection {
            start: (sp, so),
            end: (ep, eo),
            text: text?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_pages_are_recognized() {
        assert_eq!(
            source_of_page("sources/quay-report/index.html"),
            Some("quay-report")
        );
        assert_eq!(source_of_page("sources/index.html"), None);
        assert_eq!(source_of_page("sources/a/b/index.html"), None);
        assert_eq!(source_of_page("people/x/index.html"), None);
    }

    #[test]
    fn queries_parse_and_bad_ones_are_refused() {
        let (source, sel) =
            parse_query("source=quay-report&sp=1&so=4&ep=2&eo=10&text=%E2%80%9Ca%E2%80%9D+b%2Bc")
                .unwrap();
        assert_eq!(source, "quay-report");
        assert_eq!(sel.start, (1, 4));
        assert_eq!(sel.end, (2, 10));
        assert_eq!(sel.text, "“a” b+c");
        assert!(parse_query("source=../x&sp=1&so=0&ep=1&eo=1&text=a").is_none());
        assert!(parse_query("source=x&sp=1&so=0&ep=1&text=a").is_none());
        assert!(parse_query("source=x&sp=1&so=-1&ep=1&eo=1&text=a").is_none());
    }

    #[test]
    fn the_snippet_carries_the_source_and_one_script() {
        let s = snippet(
            "quay-report",
            &strings_json(&crate::strings::Strings::default()),
        );
        assert!(s.contains("data-source=\"quay-report\""));
        assert!(
            s.contains("&quot;cite_button&quot;:&quot;Cite&quot;"),
            "{s}"
        );
        let uk = crate::strings::Strings::built_in("uk").expect("uk");
        let s = snippet("quay-report", &strings_json(&uk));
        assert!(
            s.contains("&quot;cite_button&quot;:&quot;Цитувати&quot;"),
            "{s}"
        );
        for key in crate::quote::CITE_STRING_KEYS {
            assert!(s.contains(&format!("&quot;{key}&quot;:")), "{key}");
        }
        assert!(s.contains("data-endpoint=\"/__brief/quote\""));
        assert_eq!(s.matches("</script>").count(), 1);
    }
}
