//! A saved or fetched web page: decoded in the charset it declares, its article's main text
//! taken readability-style (dom_smoothie, a port of Firefox's Readability.js: navigation,
//! share bars, comments and "related stories" left out), and what the page says about
//! itself read from its metadata (JSON-LD, OpenGraph, `<link rel=canonical>`, `<html lang>`,
//! `<time datetime>`).

use dom_query::Document;
use encoding_rs::Encoding;

use super::{Extracted, one_line};
use crate::date::PartialDate;

/// How far into a page its `<meta charset>` is looked for. The HTML standard's prescan stops
/// at 1,024 bytes; saved pages often carry a comment or a long `<head>` before it.
const CHARSET_SCAN: usize = 8 * 1024;

/// Decodes a document: by its byte order mark, else the charset of the Content-Type header,
/// else the page's `<meta charset>` or `<meta http-equiv="Content-Type">`, else UTF-8 when the
/// bytes are UTF-8, else windows-1252 (what browsers assume of an undeclared legacy page).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| content_type.and_then(charset_param))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(CHARSET_SCAN)]))
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                encoding_rs::UTF_8
            } else {
                encoding_rs::WINDOWS_1252
            }
        });
    // `decode` lets a byte order mark override the label, as browsers do.
    encoding.decode(bytes).0.into_owned()
}

/// The `charset=` of a Content-Type value.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| label(v.trim().trim_matches(['"', '\''])))
            .flatten()
    })
}

/// The charset a page's `<meta>` declares in its first bytes (`<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(i) = find(&lower[at..], b"<meta") {
        let start = at + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let value: Vec<u8> = rest
                    .iter()
                    .take_while(|b| !matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .copied()
                    .collect();
                if let Some(e) = std::str::from_utf8(&value).ok().and_then(label) {
                    return Some(e);
                }
            }
        }
        at = end.max(start + 1);
    }
    None
}

/// An encoding by its label; a page declaring UTF-16 in ASCII bytes is not UTF-16 (the
/// HTML standard reads it as UTF-8).
fn label(name: &str) -> Option<&'static Encoding> {
    let e = Encoding::for_label(name.trim().as_bytes())?;
    Some(
        if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            e
        },
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

/// The article of a page and what the page says about itself. `content_type` is the
/// header the page came with, `fetched_from` its address (for relative links).
pub fn extract(bytes: &[u8], content_type: Option<&str>, fetched_from: Option<&str>) -> Extracted {
    let html = decode(bytes, content_type);
    let page = Document::from(html.as_str());
    let cfg = dom_smoothie::Config {
        // A long page is still an article: the default (0, no limit) is kept, and the
        // policy falls back to less strict passes when the strict one finds too little.
        ..dom_smoothie::Config::default()
    };
    let base = fetched_from.filter(|u| is_web(u));
    // Readability's passes grow faster than the page with its nesting (a thousand nested
    // <div>s took seconds, three thousand a minute): a page nested far deeper than any
    // article gives its metadata, and no text.
    let article = (depth(&page) <= MAX_DEPTH)
        .then(|| dom_smoothie::Readability::new(html.as_str(), base, Some(cfg)).ok())
        .flatten()
        .and_then(|mut r| r.parse().ok());

    let meta = |selector: &str| -> Option<String> {
        page.select(selector)
            .iter()
            .find_map(|m| m.attr("content").map(|c| one_line(&c)))
            .filter(|c| !c.is_empty())
    };
    let title = article
        .as_ref()
        .map(|a| one_line(&a.title))
        .filter(|t| !t.is_empty())
        .or_else(|| meta(r#"meta[property="og:title"]"#))
        .or_else(|| Some(one_line(&page.select("title").text())).filter(|t| !t.is_empty()));
    let outlet = article
        .as_ref()
        .and_then(|a| a.site_name.as_deref().map(one_line))
        .filter(|s| !s.is_empty())
        .or_else(|| meta(r#"meta[property="og:site_name"]"#));
    // Readability keeps a short headline's " | Outlet" (too few words left without it); the
    // outlet is known, so it is not part of the title.
    let title = title.map(|t| without_outlet(&t, outlet.as_deref()));
    let author = article
        .as_ref()
        .and_then(|a| a.byline.as_deref().map(byline))
        .filter(|s| !s.is_empty())
        .or_else(|| meta(r#"meta[name="author"]"#).map(|a| byline(&a)));
    let published = article
        .as_ref()
        .and_then(|a| a.published_time.as_deref().and_then(date_of))
        .or_else(|| meta(r#"meta[property="article:published_time"]"#).and_then(|d| date_of(&d)))
        .or_else(|| {
            page.select("time[datetime]")
                .iter()
                .find_map(|t| t.attr("datetime").and_then(|d| date_of(&d)))
        });
    let link = |selector: &str, attr: &str| -> Option<String> {
        page.select(selector)
            .iter()
            .find_map(|l| l.attr(attr).and_then(|h| absolute(&h, base)))
    };
    let url = link(r#"link[rel="canonical"]"#, "href")
        .or_else(|| link(r#"meta[property="og:url"]"#, "content"))
        .or_else(|| {
            article
                .as_ref()
                .and_then(|a| a.url.as_deref().and_then(|u| absolute(u, base)))
        });
    let language = page
        .select("html[lang]")
        .attr("lang")
        .map(|l| l.trim().to_string())
        .filter(|l| {
            !l.is_empty()
                && l.len() <= 35
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let paragraphs = match &article {
        Some(a) => paragraphs_of(&a.content, title.as_deref()),
        None => Vec::new(),
    };
    Extracted {
        title,
        outlet,
        author,
        published,
        url,
        language,
        paragraphs,
    }
}

/// The deepest nesting of elements taken for an article; real pages stay under 100.
const MAX_DEPTH: u32 = 400;

/// How deeply the page's elements nest, in one pass (elements come in document order, each
/// after its parent).
fn depth(page: &Document) -> u32 {
    let mut depths: std::collections::HashMap<dom_query::NodeId, u32> = Default::default();
    let mut deepest = 0;
    for node in page.select("*").nodes() {
        let d = node
            .parent()
            .and_then(|p| depths.get(&p.id).copied())
            .unwrap_or(0)
            + 1;
        deepest = deepest.max(d);
        depths.insert(node.id, d);
    }
    deepest
}

/// The elements whose text is a paragraph of the source.
const BLOCKS: &str = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, dt, dd, td, th";

/// The paragraphs of the article's HTML: each block's text on one line, a block inside
/// another (a `<p>` in a `<blockquote>` or an `<li>`) on its own, the headline left out
/// when the article repeats it (it is the source's title).
fn paragraphs_of(content: &str, title: Option<&str>) -> Vec<String> {
    let doc = Document::fragment(content);
    // A line break inside a paragraph (an address, a verse) parts its words.
    doc.select("br").replace_with_html(" ");
    let mut out = Vec::new();
    for block in doc.select(BLOCKS).iter() {
        if block.select(BLOCKS).exists() {
            // Its inner blocks are taken one by one; text loose beside them is rare.
            continue;
        }
        let text = one_line(&block.text());
        if text.is_empty() || (out.is_empty() && Some(text.as_str()) == title) {
            continue;
        }
        out.push(text);
    }
    if out.is_empty() {
        // An article of bare text in <div>s: its lines.
        out = doc
            .select("body")
            .text()
            .lines()
            .map(one_line)
            .filter(|l| !l.is_empty())
            .collect();
    }
    out
}

/// An author line without its "By" (or "Author:", "Автор:", "Yazar:").
fn byline(s: &str) -> String {
    let s = one_line(s);
    for prefix in [
        "By ",
        "by ",
        "BY ",
        "Author:",
        "Автор:",
        "Автор ",
        "Автори:",
        "Yazar:",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    s
}

/// The day of a timestamp (`2025-11-12T09:30:00+03:00`, `2025-11-12`), as the page wrote
/// it: the date in the page's own time zone, which is the one its readers saw.
fn date_of(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let day = s.get(..10).unwrap_or(s);
    PartialDate::parse(day).ok()
}

fn is_web(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// A link made absolute against the page's address: a relative one without an address to
/// resolve it against is dropped (a source's `url` is a web address).
fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if is_web(href) {
        return Some(href.to_string());
    }
    let base = base?;
    let scheme_end = base.find("://")? + 3;
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if let Some(rest) = href.strip_prefix("//") {
        return Some(format!("{}{rest}", &base[..scheme_end]));
    }
    if href.starts_with('/') {
        return Some(format!("{}{href}", &base[..host_end]));
    }
    let dir_end = base[host_end..]
        .rfind('/')
        .map_or(base.len(), |i| host_end + i + 1);
    let dir = &base[..dir_end];
    Some(if dir.ends_with('/') {
        format!("{dir}{href}")
    } else {
        format!("{dir}/{href}")
    })
}

/// `title` without the outlet's name that a page's `<title>` puts before or after the
/// headline (`Headline | Outlet`, `Outlet – Headline`), when that name is `outlet`.
fn without_outlet(title: &str, outlet: Option<&str>) -> String {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " · ", " :: "];
    let Some(outlet) = outlet.map(str::trim).filter(|o| !o.is_empty()) else {
        return title.to_string();
    };
    for sep in SEPARATORS {
        let headline = title
            .strip_suffix(outlet)
            .and_then(|t| t.strip_suffix(sep))
            .or_else(|| title.strip_prefix(outlet).and_then(|t| t.strip_prefix(sep)));
        if let Some(h) = headline.map(str::trim).filter(|h| !h.is_empty()) {
            return h.to_string();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outlet_is_not_part_of_the_title() {
        let o = Some("Daily Wire");
        assert_eq!(
            without_outlet("Envoys return | Daily Wire", o),
            "Envoys return"
        );
        assert_eq!(
            without_outlet("Daily Wire – Envoys return", o),
            "Envoys return"
        );
        // Not the outlet's name, or nothing but it: left as it is.
        assert_eq!(
            without_outlet("Envoys return | Wire", o),
            "Envoys return | Wire"
        );
        assert_eq!(without_outlet("Daily Wire", o), "Daily Wire");
        assert_eq!(without_outlet("A - B", None), "A - B");
    }

    #[test]
    fn the_declared_charset_wins() {
        // "Мир" in windows-1251.
        let page =
            b"<html><head><meta charset=\"windows-1251\"></head><body>\xcc\xe8\xf0</body></html>";
        assert!(decode(page, None).contains("Мир"));
        let page = b"<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-9'>\xfe";
        assert!(decode(page, None).ends_with('ş'));
        // The header overrides the page, a byte order mark both.
        assert!(decode(b"\xcc", Some("text/html; charset=\"windows-1251\"")) == "М");
        assert_eq!(
            decode(b"\xEF\xBB\xBFok", Some("text/html; charset=windows-1251")),
            "ok"
        );
        // Undeclared: UTF-8 if it is, else windows-1252.
        assert_eq!(decode("é".as_bytes(), None), "é");
        assert_eq!(decode(b"\xe9", None), "é");
    }

    #[test]
    fn blocks_are_paragraphs_on_one_line() {
        let html = "<div><h1>The title</h1><p>One<br>two\n  three.</p><blockquote><p>Said.</p></blockquote><ul><li>Item</li></ul></div>";
        assert_eq!(
            paragraphs_of(html, Some("The title")),
            ["One two three.", "Said.", "Item"]
        );
    }

    #[test]
    fn a_page_nested_deeper_than_any_article_gives_no_text_quickly() {
        let n = 5_000;
        let page = format!(
            "<html><head><title>Deep</title></head><body>{}<p>Deep text.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let started = std::time::Instant::now();
        let e = extract(page.as_bytes(), None, None);
        assert!(e.paragraphs.is_empty());
        assert_eq!(e.title.as_deref(), Some("Deep"));
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(
            depth(&Document::from(
                "<html><body><div><p>x</p></div></body></html>"
            )),
            4
        );
    }

    #[test]
    fn dates_links_and_bylines() {
        assert_eq!(
            date_of("2025-11-12T09:30:00+03:00").unwrap().iso(),
            "2025-11-12"
        );
        assert!(date_of("yesterday").is_none());
        let base = Some("https://news.example/world/story.html?x=1");
        assert_eq!(absolute("/a/b", base).unwrap(), "https://news.example/a/b");
        assert_eq!(absolute("c", base).unwrap(), "https://news.example/world/c");
        assert_eq!(
            absolute("//cdn.example/x", base).unwrap(),
            "https://cdn.example/x"
        );
        assert!(absolute("/a", None).is_none());
        assert_eq!(byline("By  Jane Doe"), "Jane Doe");
        assert_eq!(byline("Автор: Мария Лесная"), "Мария Лесная");
    }
}
