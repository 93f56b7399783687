//! End-to-end: text from sources, annotations, pages and site.toml that tries to inject HTML
//! or script comes out inert in every file of the site, and nothing from content can write
//! outside the output folder.
//!
//! The checks read the output as a browser would: a `<` that starts a tag is markup, so a
//! tag may not be a script (but the theme's own), an element that runs or embeds content,
//! or carry an event handler attribute, and a link or source may not use a script URL after
//! entities are decoded and the chars browsers ignore are dropped. Escaped text (`&lt;script`)
//! is fine anywhere. briefing.json is JSON: it must parse, and hold the hostile text as data;
//! a data script (a search index) must hold it inside one JSON literal.

mod common;

use std::path::Path;

use common::Site;
use regex::Regex;

/// Every problem of the site's output, as `file: what`.
fn unsafe_markup(site: &Site) -> Vec<String> {
    let tag = Regex::new(r#"<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#).unwrap();
    let attr =
        Regex::new(r#"([^\s=/"'>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"#).unwrap();
    let own_script =
        Regex::new(r#"^\s+src="(?:\.\./)*(?:/[a-z0-9/_-]*/)?[a-z0-9/_.-]+\.js" defer$"#).unwrap();
    // The theme's own drawings (the map, the network, the timeline strip, the network's
    // legend): an inline <svg> exactly as render/map.rs, network.rs and strip.rs open it.
    // What is inside is checked as everything else is, and the SVG elements that could run
    // or pull in anything are never allowed.
    let own_svg = Regex::new(
        r#"^ (?:class="(?:map|network|strip)-svg" viewBox="[-0-9. ]+" role="group" aria-labelledby="[a-z]+-title"(?: aria-describedby="[a-z]+-desc")?|viewBox="0 0 [0-9]+ [0-9]+" width="[0-9]+" height="[0-9]+" aria-hidden="true")$"#,
    )
    .unwrap();
    let mut problems = Vec::new();
    for (path, bytes) in site.snapshot() {
        let name = path.to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            continue;
        }
        // A script of data (a search index: `window.X = {…};`) holds content only inside
        // its JSON literal: that must parse whole, so no text broke out of it.
        if name.ends_with(".js") && !name.starts_with("assets/") {
            let start = text.find(['{', '[']).unwrap_or(0);
            let end = text.rfind(['}', ']']).map_or(0, |i| i + 1);
            if serde_json::from_str::<serde_json::Value>(text.get(start..end).unwrap_or(""))
                .is_err()
            {
                problems.push(format!("{name}: its data is not one JSON literal"));
            }
            continue;
        }
        if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")) {
            continue;
        }
        for t in tag.captures_iter(&text) {
            let element = t[1].to_ascii_lowercase();
            let attrs = &t[2];
            let whole = &t[0];
            match element.as_str() {
                "script" if own_script.is_match(attrs) => {}
                // The page's JSON-LD: data, which holds no `<` at all (so nothing in it can
                // close the script) and is one JSON value.
                "script" if attrs == r#" type="application/ld+json""# => {
                    let body = &text[t.get(0).unwrap().end()..];
                    let body = &body[..body.find("</script>").unwrap_or(body.len())];
                    if body.contains('<')
                        || serde_json::from_str::<serde_json::Value>(body).is_err()
                    {
                        problems.push(format!("{name}: JSON-LD that is not one JSON value"));
                    }
                }
                "svg" if own_svg.is_match(attrs) => {}
                "script" | "iframe" | "frame" | "object" | "embed" | "svg" | "math" | "style"
                | "base" | "foreignobject" | "use" | "animate" | "set" | "image" | "handler" => {
                    problems.push(format!("{name}: <{element}> in {whole}"))
                }
                _ => {}
            }
            for a in attr.captures_iter(attrs) {
                let key = a[1].to_ascii_lowercase();
                let value = a
                    .get(2)
                    .or_else(|| a.get(3))
                    .or_else(|| a.get(4))
                    .map_or("", |m| m.as_str());
                if key.starts_with("on") {
                    problems.push(format!("{name}: event handler `{key}` in {whole}"));
                }
                if [
                    "href",
                    "src",
                    "action",
                    "formaction",
                    "xlink:href",
                    "srcset",
                    "poster",
                ]
                .contains(&key.as_str())
                    && is_script_url(value)
                {
                    problems.push(format!("{name}: script URL in {whole}"));
                }
            }
        }
    }
    problems
}

/// Whether a URL, as written in an attribute, runs script when followed.
fn is_script_url(raw: &str) -> bool {
    let decoded = decode_entities(raw);
    let probe: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ')
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| probe.starts_with(s))
}

/// Decodes the character references a browser decodes in an attribute value.
fn decode_entities(s: &str) -> String {
    let re = Regex::new(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);?").unwrap();
    re.replace_all(s, |c: &regex::Captures<'_>| {
        let e = &c[1];
        let code = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok()
        } else if let Some(dec) = e.strip_prefix('#') {
            dec.parse().ok()
        } else {
            match e {
                "colon" => Some(':' as u32),
                "Tab" => Some('\t' as u32),
                "NewLine" => Some('\n' as u32),
                "quot" => Some('"' as u32),
                "amp" => Some('&' as u32),
                "lt" => Some('<' as u32),
                "gt" => Some('>' as u32),
                "apos" => Some('\'' as u32),
                _ => None,
            }
        };
        code.and_then(char::from_u32)
            .map_or_else(|| c[0].to_string(), String::from)
    })
    .into_owned()
}

#[test]
fn the_checker_catches_what_it_should() {
    let site = Site::copy("basic");
    site.build_clean();
    assert!(
        unsafe_markup(&site).is_empty(),
        "{:?}",
        unsafe_markup(&site)
    );
    // Plant what the checker must catch, to be sure it is not blind.
    let planted = [
        r#"<script>alert(1)</script>"#,
        r#"<img src=x onerror=alert(1)>"#,
        r#"<a href="java&#9;script:alert(1)">x</a>"#,
        r#"<a href=" JAVASCRIPT&colon;alert(1)">x</a>"#,
        r#"<iframe src="https://e.org/"></iframe>"#,
        r#"<p title='x' onclick='alert(1)'>x</p>"#,
        // An <svg> that is not one of the theme's drawings, or one that is but runs script.
        r#"<svg onload="alert(1)"></svg>"#,
        r#"<svg class="map-svg" viewBox="0 0 1 1" role="group" aria-labelledby="map-title" onload="alert(1)"></svg>"#,
        r#"<svg class="map-svg" viewBox="0 0 1 1" role="group" aria-labelledby="map-title"><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
        r#"<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><foreignObject></foreignObject></svg>"#,
        r#"<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><animate attributeName="href"/></svg>"#,
    ];
    let page = site.path().join("public/index.html");
    let good = std::fs::read_to_string(&page).unwrap();
    for p in planted {
        std::fs::write(&page, format!("{good}{p}")).unwrap();
        assert!(!unsafe_markup(&site).is_empty(), "missed {p}");
    }
    // Escaped, the same text is harmless.
    std::fs::write(
        &page,
        format!("{good}&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)"),
    )
    .unwrap();
    assert!(unsafe_markup(&site).is_empty());
}

#[test]
fn hostile_text_comes_out_inert_everywhere() {
    let site = Site::copy("hostile");
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let problems = unsafe_markup(&site);
    assert!(problems.is_empty(), "{problems:#?}");

    // The hostile text is still there, as text: escaped in HTML and XML…
    let index = site.output("index.html");
    assert!(
        index.contains("&lt;script&gt;alert(&#39;index&#39;)&lt;/script&gt;")
            || index.contains("&lt;script&gt;alert('index')&lt;/script&gt;"),
        "{index}"
    );
    let source = site.output("sources/evil/index.html");
    assert!(
        source.contains("&lt;script&gt;alert(&#39;source-title&#39;)"),
        "{source}"
    );
    let feed = site.output("feed.xml");
    assert!(
        feed.contains("&lt;script&gt;alert(&#39;source-title&#39;)"),
        "{feed}"
    );
    assert!(!feed.contains("]]></summary>"), "{feed}");
    // …and as data in briefing.json.
    let json: serde_json::Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    let text = json.to_string();
    assert!(
        text.contains(r#""<script>alert('source-title')</script>""#),
        "{text}"
    );
    assert!(
        text.contains(r#"\"><img src=x onerror=alert('outlet')>"#),
        "{text}"
    );
    assert!(!site.output("briefing.json").contains("</script>\"") || text.contains("\\\""));

    // Every Markdown link with a script URL became a dead `#` link.
    for page in [
        "index.html",
        "about/index.html",
        "people/index.html",
        "notes/evil-note/index.html",
    ] {
        let html = site.output(page);
        assert!(
            !html.to_ascii_lowercase().contains("<a href=\"javascript"),
            "{page}"
        );
    }
}

#[test]
fn raw_html_in_markdown_is_escaped_unless_allowed() {
    let site = Site::copy("hostile");
    site.build_clean();
    let index = site.output("index.html");
    assert!(index.contains("&lt;div onmouseover="), "{index}");
    assert!(!index.contains("<div onmouseover="), "{index}");

    // `allow_html = true` is the author's own choice to trust their Markdown: raw HTML then
    // goes through, but script URLs in Markdown links are still neutralised.
    site.edit(
        "site.toml",
        "boilerplate = ",
        "allow_html = true\nboilerplate = ",
    );
    // (A raw `<a href="javascript:…">` would now be markup; the link check refuses it.)
    site.edit(
        "content/index.md",
        " and <a href=\"javascript:alert('raw-a')\">a raw link</a>",
        "",
    );
    site.build_clean();
    let index = site.output("index.html");
    assert!(
        index.contains("<div onmouseover=\"alert('div')\">block html</div>"),
        "{index}"
    );
    assert!(
        !index.to_ascii_lowercase().contains("<a href=\"javascript"),
        "{index}"
    );
    // Text that is not Markdown (names, titles, source texts) stays escaped.
    let source = site.output("sources/evil/index.html");
    let start = source
        .find("<article class=\"source-text\"")
        .expect("source text");
    let end = start
        + source[start..]
            .find("</article>")
            .expect("end of source text");
    let body = &source[start..end];
    assert!(body.contains("&lt;script&gt;"), "{body}");
    for tag in ["<script", "<img", "<iframe", "<svg"] {
        assert!(!body.contains(tag), "{tag} in {body}");
    }
}

#[test]
fn script_urls_in_a_source_are_errors() {
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "file:///etc/passwd",
    ] {
        let site = Site::copy("basic");
        site.build_clean();
        let before = site.snapshot();
        site.edit(
            "content/sources/alpha.md",
            "url: https://example.org/news/talks-resume",
            &format!("url: \"{url}\""),
        );
        let run = site.run(&["build"]);
        assert!(!run.ok, "{url} was accepted");
        assert!(
            run.problems.contains("content/sources/alpha.md:5:6: ")
                && run.stderr.contains("is not a web address"),
            "{url}: {}",
            run.stderr
        );
        assert_eq!(
            before,
            site.snapshot(),
            "{url}: a failed build changed public/"
        );
    }
    // The same in summary_of.
    let site = Site::copy("basic");
    site.edit(
        "content/sources/alpha.md",
        "  date: 2025-06-01\n",
        "  date: 2025-06-01\n  url: javascript:alert(1)\n",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.problems
            .contains("alpha.md:11:8: `javascript:alert(1)` is not a web address"),
        "{}",
        run.stderr
    );
}

#[test]
fn nothing_from_content_writes_outside_the_output() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::copy("basic");
    // An id that climbs out, a collection file and a page whose names are not ids.
    site.edit(
        "content/annotations/venues.yaml",
        "id: ciragan-palace",
        &format!("id: ../../../../{}/evil", outside.path().display()),
    );
    site.write(
        "content/annotations/Bad Name.yaml",
        "title: X\nkind: free\nitems: []\n",
    );
    site.write("content/pages/a.b.md", "x\n");
    site.write("content/sources/UP.txt", "Title\nText\n");
    let run = site.run(&["build"]);
    assert!(!run.ok);
    for e in [
        "venues.yaml:4:9: ",
        "cannot be an id",
        "content/annotations/Bad Name.yaml:1:1: `Bad Name` cannot be a collection id",
        "content/pages/a.b.md:1:1: `a.b` cannot be a page name",
        "content/sources/UP.txt:1:1: `UP` cannot be a source id",
    ] {
        assert!(
            run.stderr.contains(e) || run.problems.contains(e),
            "lacks {e:?}:\n{}",
            run.stderr
        );
    }
    assert!(!site.path().join("public").exists());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!Path::new("/evil").exists());
}
