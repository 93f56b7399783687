//! The bottom line first (issue 21 §3): index.md's `key_points`, each a line of Markdown with
//! its citations, shown in a box above the front page's text and the print view's; their
//! citations numbered first, a repeat keeping its number; a free page cannot have them.

mod common;

use common::Site;

const POINTS: &str = "key_points:\n  - The talks *resume* on Monday [@alpha \"meet at Çırağan Palace on Monday\"].\n  - Medinsky <leads> again [@alpha \"Vladimir Medinsky, an aide to the president, heads the Russian team\"].\n";

fn with_points() -> Site {
    let site = Site::copy("basic");
    let index = site.read("content/index.md");
    let index = index.replacen(
        "title: Fixture front page\n",
        &format!("title: Fixture front page\n{POINTS}"),
        1,
    );
    std::fs::write(site.path().join("content/index.md"), index).unwrap();
    site
}

/// The box on a page, from its opening tag to its end.
fn key_points_box(html: &str) -> &str {
    let start = html
        .find("<section class=\"key-points\"")
        .expect("a key points box");
    let end = start + html[start..].find("</section>").expect("its end");
    &html[start..end]
}

#[test]
fn the_key_points_stand_first_on_the_front_page_and_in_print() {
    let site = with_points();
    site.build_clean();
    for page in ["index.html", "print/index.html"] {
        let html = site.output(page);
        let key = key_points_box(&html);
        assert!(
            key.contains("<h2 id=\"key-points-heading\">Key points</h2>"),
            "{page}: {key}"
        );
        assert_eq!(key.matches("<li>").count(), 2, "{page}: {key}");
        // Markdown, and what the briefing wrote escaped.
        assert!(
            key.contains("The talks <em>resume</em> on Monday"),
            "{page}: {key}"
        );
        assert!(
            key.contains("Medinsky &lt;leads&gt; again"),
            "{page}: {key}"
        );
        // Before the text: the box comes first, so do its notes.
        let text = html.find("class=\"prose summary\"").expect("the text");
        assert!(html.find("class=\"key-points\"").unwrap() < text, "{page}");
        assert!(key.contains("href=\"#note-1\""), "{page}: {key}");
        assert!(key.contains("href=\"#note-2\""), "{page}: {key}");
    }
    // The text's first citation is the key points' first passage again: it keeps note 1.
    let index = site.output("index.html");
    let text = &index[index.find("class=\"prose summary\"").unwrap()..];
    assert!(
        text.contains("id=\"cite-1-b\" href=\"#note-1\""),
        "{}",
        &text[..600]
    );
}

#[test]
fn a_site_in_ukrainian_heads_the_box_in_ukrainian() {
    let site = with_points();
    let toml = site.read("site.toml");
    let toml = if toml.contains("language =") {
        toml.replace("language = \"en\"", "language = \"uk\"")
    } else {
        format!("language = \"uk\"\n{toml}")
    };
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    let html = site.output("index.html");
    assert!(key_points_box(&html).contains(">Головне</h2>"));
}

#[test]
fn a_front_page_without_key_points_has_no_box_and_a_free_page_cannot_have_them() {
    let site = Site::copy("basic");
    site.build_clean();
    assert!(!site.output("index.html").contains("key-points"));
    let page = site.read("content/pages/methodology.md");
    let page = page.replacen(
        "title: Methodology\n",
        &format!("title: Methodology\n{POINTS}"),
        1,
    );
    std::fs::write(site.path().join("content/pages/methodology.md"), page).unwrap();
    let run = site.run(&["build"]);
    assert!(!run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[unknown-field]"),
        "{}",
        run.stderr
    );
    assert!(
        run.problems.contains("content/pages/methodology.md:4:5:"),
        "{}",
        run.problems
    );
    assert!(
        run.stderr.contains("belongs to the front page"),
        "{}",
        run.stderr
    );
}
