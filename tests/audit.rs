//! End-to-end: what page auditors (Lighthouse, axe, search engines) check on every page of
//! a built site — one `<h1>`, a favicon that is there, a description that is never empty,
//! and quotes from a source in another language marked with that language — on the audit
//! fixture (a site in English quoting Russian and Ukrainian sources, with no description of
//! its own) and on the example briefing.

mod common;

use std::path::{Path, PathBuf};

use common::Site;

/// Every HTML page of a built site: its path below the site root (with `/`) and its text.
fn pages(root: &Path) -> Vec<(String, String)> {
    common::files_under(root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .expect("under the site")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let html = std::fs::read_to_string(&p).expect("read page");
            (rel, html)
        })
        .collect()
}

/// The example briefing at the repository's root, built into a temporary folder.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let run = common::brief(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["-q", "build", "--output", out.to_str().expect("utf-8 path")],
    );
    assert!(run.ok, "the example did not build:\n{}", run.stderr);
    (dir, out)
}

/// The texts of the elements `<tag …>…</tag>` of a page, markup inside dropped.
fn texts_of(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        // `<h1>` or `<h1 …>`, not `<h10` nor `<header`.
        if !rest.starts_with(['>', ' ']) {
            continue;
        }
        let start = rest.find('>').expect("tag ends") + 1;
        let end = rest[start..].find(&close).expect("element closes") + start;
        let mut text = String::new();
        let mut in_tag = false;
        for c in rest[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(text.trim().to_string());
        rest = &rest[end..];
    }
    out
}

/// The values of `attr` of every `<meta name="description">` of a page (undone: `&#39;`,
/// `&quot;`, `&amp;`).
fn descriptions(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<meta name=\"description\"") {
        rest = &rest[i..];
        let tag = &rest[..rest.find('>').expect("tag ends")];
        let at = tag.find("content=\"").expect("a content attribute") + 9;
        let value = &tag[at..at + tag[at..].find('"').expect("value ends")];
        out.push(
            value
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        );
        rest = &rest[1..];
    }
    out
}

/// The value of attribute `name` in the first tag of `html` that starts with `start`.
fn attr<'a>(html: &'a str, start: &str, name: &str) -> Option<&'a str> {
    let i = html.find(start)?;
    let tag = &html[i..i + html[i..].find('>')?];
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[test]
fn every_page_type_has_exactly_one_h1() {
    let site = Site::copy("audit");
    site.build_clean();
    let root = site.path().join("public");
    let all = pages(&root);
    // Every page type is among them.
    for page in [
        "index.html",
        "people/index.html",
        "events/index.html",
        "people/vladimir-medinsky/index.html",
        "events/second-round/index.html",
        "sources/index.html",
        "sources/tass-peskov/index.html",
        "sources/ukrinform-exchange/index.html",
        "methodology/index.html",
        "about/index.html",
        "reading/index.html",
        "timeline/index.html",
        "search/index.html",
        "print/index.html",
        "404.html",
    ] {
        assert!(all.iter().any(|(p, _)| p == page), "{page} was not built");
    }
    let (_dir, out) = example();
    let example = pages(&out);
    assert!(example.len() > 40, "{} pages", example.len());
    for (p, html) in all.iter().chain(&example) {
        let h1 = texts_of(html, "h1");
        assert_eq!(h1.len(), 1, "{p}: {h1:?}");
        assert!(!h1[0].is_empty(), "{p}: an empty <h1>");
    }
    let h1 = |page: &str| texts_of(&site.output(page), "h1").remove(0);
    // The front page's title is its body's `# heading`, shown once, where it is written.
    assert_eq!(
        h1("index.html"),
        "Talks in Istanbul, as the reports tell them"
    );
    let index = site.output("index.html");
    assert!(
        index.contains("<div class=\"prose summary\">\n<h1>Talks in Istanbul"),
        "{index}"
    );
    // A page titled by its heading (underlined), one titled by the front matter, and one
    // whose front matter repeats the heading.
    assert_eq!(h1("about/index.html"), "About this fixture");
    assert_eq!(h1("methodology/index.html"), "Methodology");
    assert_eq!(h1("reading/index.html"), "Reading the reports");
    assert_eq!(
        h1("sources/tass-peskov/index.html"),
        "Песков о переговорах в Стамбуле"
    );
    assert_eq!(
        h1("people/vladimir-medinsky/index.html"),
        "Vladimir Medinsky"
    );
    assert_eq!(h1("people/index.html"), "People");
    assert_eq!(h1("404.html"), "Page not found");
    // The print view's one <h1> is the site's title; the front page's heading is a heading
    // of the summary there.
    assert_eq!(h1("print/index.html"), "Audit Fixture");
    assert!(
        site.output("print/index.html")
            .contains("<h2>Talks in Istanbul, as the reports tell them</h2>")
    );

    // A front page with neither a title nor a heading is titled as the site, not left empty.
    site.edit(
        "content/index.md",
        "# Talks in Istanbul, as the reports tell them\n",
        "",
    );
    site.build_clean();
    let h1 = texts_of(&site.output("index.html"), "h1");
    assert_eq!(h1, ["Audit Fixture"]);
}

#[test]
fn every_page_links_the_favicon_that_is_in_the_output() {
    let site = Site::copy("audit");
    site.build_clean();
    let root = site.path().join("public");
    let (_dir, out) = example();
    for (root, base) in [(root.as_path(), "/audit/"), (out.as_path(), "/istanbul/")] {
        let icon = root.join("assets/favicon.svg");
        let svg = std::fs::read_to_string(&icon).expect("assets/favicon.svg is written");
        assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
        for (p, html) in pages(root) {
            let href = attr(&html, "<link rel=\"icon\"", "href")
                .unwrap_or_else(|| panic!("{p}: no <link rel=\"icon\">"));
            assert_eq!(
                attr(&html, "<link rel=\"icon\"", "type"),
                Some("image/svg+xml"),
                "{p}"
            );
            // Relative to the page; on 404.html (served at any address) from the base path.
            let file = match href.strip_prefix(base) {
                Some(rel) => {
                    assert_eq!(p, "404.html", "{p}: an absolute icon link {href}");
                    root.join(rel)
                }
                None => {
                    let dir = Path::new(&p).parent().expect("parent");
                    root.join(dir).join(href)
                }
            };
            assert_eq!(
                file.canonicalize().ok(),
                icon.canonicalize().ok(),
                "{p}: {href} is not the icon"
            );
            // A browser asks for /favicon.ico only when a page names no icon; none names it.
            assert!(!html.contains("favicon.ico"), "{p}");
        }
    }
    // static/assets/favicon.svg is the site's own icon, in place of brief's.
    let own = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>";
    site.write("static/assets/favicon.svg", own);
    site.build_clean();
    assert_eq!(site.output("assets/favicon.svg"), own);
}

#[test]
fn every_description_is_text_and_a_page_without_one_is_described_by_its_opening() {
    let site = Site::copy("audit");
    site.build_clean();
    let root = site.path().join("public");
    let (_dir, out) = example();
    for (p, html) in pages(&root).iter().chain(&pages(&out)) {
        assert!(
            !html.contains("content=\"\""),
            "{p}: an empty attribute value"
        );
        let d = descriptions(html);
        assert!(d.len() <= 1, "{p}: {d:?}");
        if let Some(d) = d.first() {
            assert!(!d.trim().is_empty(), "{p}");
            assert!(
                d.chars().count() <= 160,
                "{p}: {} characters",
                d.chars().count()
            );
        }
    }
    // The example says what it is in site.toml: every page has a description.
    for (p, html) in pages(&out) {
        assert_eq!(descriptions(&html).len(), 1, "{p}");
    }

    let description = |page: &str| {
        let d = descriptions(&site.output(page));
        assert_eq!(d.len(), 1, "{page}: {d:?}");
        d[0].clone()
    };
    // Cut at a word, with an ellipsis, from the opening paragraph as plain text: the
    // heading, the markup and the citations are not in it.
    let about = "This page has no front matter: its title is its first heading, written underlined, and its description is its opening paragraph, which runs on well past the hundred and sixty characters that a search engine shows of a page, so that brief has to cut it at a word.";
    let front = "Delegations from Russia and Ukraine met at Çırağan Palace in Istanbul for a second round of direct talks, which the Kremlin said would be very hard going, while Kyiv's side spoke of a prisoner exchange and of a memorandum that each side had written.";
    for (page, opening) in [("about/index.html", about), ("index.html", front)] {
        let d = description(page);
        let kept = d
            .strip_suffix('…')
            .unwrap_or_else(|| panic!("{page}: {d:?} is not cut"));
        assert!(opening.starts_with(kept), "{page}: {d:?}");
        assert!(
            opening[kept.len()..].starts_with([' ', ',']),
            "{page}: {d:?} is cut within a word"
        );
        assert!(d.chars().count() <= 160, "{page}");
        assert!(d.chars().count() > 120, "{page}: {d:?} is cut too short");
        assert!(!d.contains("[@") && !d.contains('#'), "{page}: {d:?}");
    }
    // A page's own description, whole; a short opening, whole.
    assert_eq!(
        description("methodology/index.html"),
        "How this fixture was put together."
    );
    assert_eq!(
        description("reading/index.html"),
        "The front matter's title and the first heading are the same words: the page shows them once."
    );
    // A collection by its description; an item by what it is, then what its summary says;
    // a source by its first paragraph.
    assert_eq!(
        description("people/index.html"),
        "Who speaks for the two sides, as the reports name them."
    );
    assert_eq!(
        description("people/vladimir-medinsky/index.html"),
        "Head of the Russian delegation · Russia — Heads Russia's team again."
    );
    assert_eq!(description("people/rustem-umerov/index.html"), "Ukraine");
    assert_eq!(
        description("sources/tass-peskov/index.html"),
        "Пресс-секретарь президента России Дмитрий Песков заявил, что переговоры будут очень непростыми."
    );
    // The pages brief makes up have nothing of their own to say, and this site says nothing
    // of itself: each says what it lists, in words no other page uses.
    for (page, said) in [
        (
            "sources/index.html",
            "The 3 sources cited in Audit Fixture, with their outlets and dates.",
        ),
        (
            "timeline/index.html",
            "Timeline of Audit Fixture: the dated events and claims, year by year.",
        ),
        ("events/index.html", "Events in Audit Fixture: 1 entry."),
        (
            "search/index.html",
            "Search the items and sources of Audit Fixture.",
        ),
        ("404.html", "This page is not part of Audit Fixture."),
    ] {
        assert_eq!(description(page), said, "{page}");
    }
    // Once site.toml has a description, those pages have it.
    site.edit(
        "site.toml",
        "language = \"en\"",
        "language = \"en\"\ndescription = \"A fixture of talks.\"",
    );
    site.build_clean();
    for page in ["sources/index.html", "timeline/index.html", "404.html"] {
        assert_eq!(description(page), "A fixture of talks.", "{page}");
    }
    assert_eq!(description("index.html"), "A fixture of talks.");
    // The front page's own description comes before the site's.
    let front = site.read("content/index.md");
    site.write(
        "content/index.md",
        &format!("---\ndescription: The front page's own words.\n---\n{front}"),
    );
    site.build_clean();
    assert_eq!(description("index.html"), "The front page's own words.");
    assert_eq!(description("404.html"), "A fixture of talks.");
}

#[test]
fn quotes_from_a_source_in_another_language_carry_its_lang_and_its_name_is_shown() {
    let site = Site::copy("audit");
    site.build_clean();
    assert!(site.output("index.html").contains("<html lang=\"en\">"));
    // In the notes of every page that quotes them: the front page, an item, the print view.
    for page in [
        "index.html",
        "people/vladimir-medinsky/index.html",
        "people/rustem-umerov/index.html",
        "print/index.html",
    ] {
        let html = site.output(page);
        let quotes: Vec<&str> = html
            .match_indices("<q")
            .map(|(i, _)| &html[i..i + html[i..].find("</q>").expect("q closes")])
            .collect();
        assert!(!quotes.is_empty(), "{page}");
        for q in quotes {
            let text = &q[q.find('>').expect("tag ends") + 1..];
            let cyrillic = text.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            let lang = attr(q, "<q", "lang");
            if text.contains('є') || text.contains('і') {
                assert_eq!(lang, Some("uk"), "{page}: {q}");
            } else if cyrillic {
                assert_eq!(lang, Some("ru"), "{page}: {q}");
            } else {
                // en-GB is English, the site's language: no lang of its own.
                assert_eq!(lang, None, "{page}: {q}");
            }
        }
    }
    let index = site.output("index.html");
    assert!(
        index.contains("<q class=\"note-quote\" lang=\"ru\">переговоры будут очень непростыми</q>"),
        "{index}"
    );
    assert!(
        index.contains("<q class=\"note-quote\" lang=\"uk\">обмін полоненими</q>"),
        "{index}"
    );

    // On the source's page: the text has the source's language, the "cited by" notes inside
    // it the site's, and the language is named, not given as its code.
    for (id, lang, name) in [
        ("tass-peskov", "ru", "Russian"),
        ("ukrinform-exchange", "uk", "Ukrainian"),
    ] {
        let html = site.output(&format!("sources/{id}/index.html"));
        assert_eq!(
            attr(&html, "<article class=\"source-text\"", "lang"),
            Some(lang),
            "{id}"
        );
        assert!(
            html.contains(&format!("<dt>Language</dt><dd>{name}</dd>")),
            "{id}: {html}"
        );
        assert!(!html.contains(&format!("<dd>{lang}</dd>")), "{id}");
        let text = &html[html.find("<article class=\"source-text\"").expect("text")..];
        let passages = text.matches("<mark id=\"q-").count();
        assert!(passages > 0, "{id}: no passage");
        assert_eq!(
            text.matches(
                "<span class=\"cited-by\" lang=\"en\" data-said=\"cited by 1 page\">cited by "
            )
            .count(),
            passages,
            "{id}: {text}"
        );
    }
    let wire = site.output("sources/wire-talks/index.html");
    assert!(wire.contains("<dt>Language</dt><dd>English</dd>"), "{wire}");
    assert_eq!(
        attr(&wire, "<article class=\"source-text\"", "lang"),
        Some("en-GB")
    );
    assert!(
        wire.contains("<span class=\"cited-by\" data-said=\"cited by 1 page\">cited by "),
        "{wire}"
    );
    assert!(!wire.contains("<span class=\"cited-by\" lang="), "{wire}");

    // The search index tells the search page each source's language when it is not the
    // site's (the page marks the source's paragraphs with it).
    let index = common::search_index::text(&site.path().join("public"));
    for entry in [
        "[\"Песков о переговорах в Стамбуле\",\"sources/tass-peskov/\",\"ru\"]",
        "[\"Умєров про обмін полоненими\",\"sources/ukrinform-exchange/\",\"uk\"]",
        "[\"Talks resume at the palace\",\"sources/wire-talks/\",\"\"]",
    ] {
        assert!(index.contains(entry), "{entry} not in {index}");
    }

    // A site in Russian quoting the Russian source marks nothing; its English source is
    // marked as English.
    site.edit("site.toml", "language = \"en\"", "language = \"ru\"");
    site.build_clean();
    let index = site.output("index.html");
    assert!(index.contains("<html lang=\"ru\">"), "{index}");
    assert!(
        index.contains("<q class=\"note-quote\">переговоры будут очень непростыми</q>"),
        "{index}"
    );
    assert!(
        index.contains("<q class=\"note-quote\" lang=\"en-GB\">Delegations from both sides"),
        "{index}"
    );
}
