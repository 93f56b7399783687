//! Checks of the linked-data exports shared by the end-to-end tests: the W3C annotations
//! (tests/exports.rs, tests/seeds.rs) and the schema.org JSON-LD of the pages
//! (tests/jsonld.rs, tests/seeds.rs).

use std::collections::BTreeMap;

use serde_json::Value;

use super::Site;

/// Every `<script type="application/ld+json">` block of a page, as written.
pub fn blocks(html: &str) -> Vec<&str> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let body = &rest[at + OPEN.len()..];
        let end = body.find("</script>").expect("an unclosed JSON-LD script");
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// Every HTML page of a built site by its path, with the JSON-LD blocks it holds, each
/// checked: no `<`, `>`, `&`, U+2028 or U+2029 in the raw text (nothing can close the
/// script or open a comment in it), and it parses as JSON.
pub fn json_ld_of(site: &Site) -> BTreeMap<String, Vec<Value>> {
    let mut pages = BTreeMap::new();
    for (path, bytes) in site.snapshot() {
        let name = path.to_string_lossy().replace('\\', "/");
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8");
        let mut docs = Vec::new();
        for raw in blocks(&html) {
            for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
                assert!(!raw.contains(c), "{name}: {c:?} in its JSON-LD: {raw}");
            }
            let doc: Value = serde_json::from_str(raw)
                .unwrap_or_else(|e| panic!("{name}: the JSON-LD does not parse ({e}): {raw}"));
            assert_eq!(doc["@context"], "https://schema.org", "{name}");
            docs.push(doc);
        }
        pages.insert(name, docs);
    }
    pages
}

/// The text of `s` from code point `start` to `end`.
pub fn by_code_points(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

/// Checks annotations.jsonld against briefing.json: one annotation per quoted citation, each
/// positioned by code points of its source's text, its quote and context cut from there;
/// returns the annotations.
pub fn check_annotations(briefing: &str, annotations: &str, base: &str) -> Vec<Value> {
    let b: Value = serde_json::from_str(briefing).expect("briefing.json");
    let a: Value = serde_json::from_str(annotations).expect("annotations.jsonld parses");
    assert_eq!(a["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(a["type"], "AnnotationCollection");
    assert_eq!(a["id"], format!("{base}annotations.jsonld"));
    assert_eq!(a["first"]["type"], "AnnotationPage");
    let items = a["first"]["items"].as_array().expect("items").clone();
    assert_eq!(a["total"].as_u64(), Some(items.len() as u64));

    let sources = b["sources"].as_array().expect("sources");
    let text_of = |url: &str| {
        sources
            .iter()
            .find(|s| s["url"] == url)
            .and_then(|s| s["text"].as_str())
            .unwrap_or_else(|| panic!("no source at {url}"))
    };
    // Every quoted citation, as (source page, code point range).
    let mut expected: Vec<(String, usize, usize)> = b["citations"]
        .as_array()
        .expect("citations")
        .iter()
        .filter(|c| c["quote"].is_string())
        .map(|c| {
            let s = sources
                .iter()
                .find(|s| s["id"] == c["source"])
                .expect("source");
            let text = s["text"].as_str().expect("text");
            let (start, end) = (
                c["start"].as_u64().expect("start") as usize,
                c["end"].as_u64().expect("end") as usize,
            );
            (
                s["url"].as_str().expect("url").to_string(),
                text[..start].chars().count(),
                text[..end].chars().count(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    let mut found = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for an in &items {
        let id = an["id"].as_str().expect("id");
        assert!(
            id.starts_with(&format!("{base}annotations.jsonld#")),
            "{id}"
        );
        assert!(ids.insert(id.to_string()), "the id {id} twice");
        assert_eq!(an["type"], "Annotation");
        // A body where words of the briefing stand around the citation; a citation standing
        // alone only highlights its passage.
        match an.get("body") {
            Some(body) => {
                // The text that cites; and, for a quote with a translation, a second body
                // with it (purpose `describing`).
                let bodies = match body.as_array() {
                    Some(all) => {
                        assert_eq!(all.len(), 2, "{id}");
                        assert_eq!(all[1]["purpose"], "describing", "{id}");
                        all.clone()
                    }
                    None => vec![body.clone()],
                };
                // Words of the briefing around the citation make it a comment; a translation
                // alone leaves it a highlight.
                let commenting = bodies.iter().any(|b| b.get("purpose").is_none());
                let motivation = if commenting {
                    "commenting"
                } else {
                    "highlighting"
                };
                assert_eq!(an["motivation"], motivation, "{id}");
                for body in &bodies {
                    assert_eq!(body["type"], "TextualBody");
                    assert_eq!(body["format"], "text/plain");
                    let value = body["value"].as_str().expect("body");
                    assert!(
                        !value.trim().is_empty() && !value.contains("[@"),
                        "{id}: {value:?}"
                    );
                }
            }
            None => assert_eq!(an["motivation"], "highlighting", "{id}"),
        }
        let target = &an["target"][0];
        let page = target["source"].as_str().expect("source");
        let text = text_of(page);
        let sel = target["selector"].as_array().expect("selectors");
        let quote = sel
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .expect("quote");
        let pos = sel
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .expect("position");
        let (start, end) = (
            pos["start"].as_u64().expect("start") as usize,
            pos["end"].as_u64().expect("end") as usize,
        );
        let exact = quote["exact"].as_str().expect("exact");
        assert_eq!(by_code_points(text, start, end), exact, "{id}");
        let prefix = quote["prefix"].as_str().expect("prefix");
        let suffix = quote["suffix"].as_str().expect("suffix");
        let np = prefix.chars().count();
        let ns = suffix.chars().count();
        assert!(np <= 32 && ns <= 32, "{id}: {prefix:?} {suffix:?}");
        assert_eq!(by_code_points(text, start - np, start), prefix, "{id}");
        assert_eq!(by_code_points(text, end, end + ns), suffix, "{id}");
        // Context is 32 characters, or stops at the paragraph's edge (a line break).
        let chars: Vec<char> = text.chars().collect();
        if np < 32 && start > np {
            assert_eq!(chars[start - np - 1], '\n', "{id}: prefix {prefix:?}");
        }
        if ns < 32 && end + ns < chars.len() {
            assert_eq!(chars[end + ns], '\n', "{id}: suffix {suffix:?}");
        }
        assert!(!prefix.contains('\n') && !suffix.contains('\n'), "{id}");
        // The original, by the quote alone, when the source has an address.
        let s = sources.iter().find(|s| s["url"] == page).expect("source");
        match s["original_url"].as_str() {
            Some(original) => {
                let t = &an["target"][1];
                assert_eq!(t["source"], original);
                assert_eq!(t["selector"].as_array().map(Vec::len), Some(1));
                assert_eq!(t["selector"][0], *quote);
            }
            None => assert_eq!(an["target"].as_array().map(Vec::len), Some(1)),
        }
        found.push((page.to_string(), start, end));
    }
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "one annotation per quoted citation");
    items
}
