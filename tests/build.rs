//! End-to-end: `brief build` on the fixture site, asserting on the HTML and briefing.json.

mod common;

use common::Site;

/// The marks (`cite-N-x` ids and their numbers) of a page, in order.
fn marks(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a id=\"cite-") {
        rest = &rest[i + 7..];
        let id_end = rest.find('"').unwrap();
        let id = rest[..id_end].to_string();
        let num_start = rest.find('>').unwrap() + 1;
        let num_end = num_start + rest[num_start..].find('<').unwrap();
        out.push((id, rest[num_start..num_end].to_string()));
    }
    out
}

#[test]
fn footnotes_are_numbered_by_first_use_and_repeats_keep_their_number() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("index.html");
    let m = marks(&html);
    let ids: Vec<&str> = m.iter().map(|(id, _)| id.as_str()).collect();
    // The summary cites the palace (1), Medinsky + ÇIRAĞAN (2, 3), the palace again (1, b),
    // the whole of beta (4).
    assert_eq!(
        &ids[..5],
        ["cite-1-a", "cite-2-a", "cite-3-a", "cite-1-b", "cite-4-a"],
        "{ids:?}"
    );
    let nums: Vec<&str> = m.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(&nums[..5], ["1", "2", "3", "1", "4"]);
    // Two citations at one point share one <sup>.
    assert!(
        html.contains("aria-label=\"Note 2\">2</a>, <a id=\"cite-3-a\""),
        "multi-cite not grouped"
    );
}

#[test]
fn a_citation_wrapped_over_lines_builds_as_one() {
    // The Markdown as an editor that hard-wraps leaves it.
    let site = Site::copy("basic");
    site.build_clean();
    let before = site.output("index.html");
    site.edit(
        "content/index.md",
        "The talks resume [@alpha \"meet at Çırağan Palace on Monday\"]. Medinsky leads [@alpha \"Vladimir",
        "The talks resume [@alpha \"meet at Çırağan\nPalace on Monday\"]. Medinsky leads [@alpha\n  \"Vladimir",
    );
    site.build_clean();
    // The same marks and notes; only the wrapped text differs, by its line breaks.
    let after = site.output("index.html");
    assert_eq!(marks(&after), marks(&before));
    let notes = |html: &str| html[html.find("<section class=\"notes").unwrap()..].to_string();
    assert_eq!(notes(&after), notes(&before));
    assert!(
        after.contains("<p>The talks resume<sup class=\"cite\">"),
        "{after}"
    );
}

#[test]
fn notes_carry_source_quote_backlinks_and_passage_links() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("index.html");
    let note1 = &html[html.find("id=\"note-1\"").expect("note 1")..];
    let note1 = &note1[..note1.find("</li>").unwrap()];
    // A short note (issue 21 §2): the source's short title (its title, short enough), the
    // paragraph of the passage, the quote; the source in full once, in the list below.
    assert!(
        note1.contains("<cite class=\"note-source\"><a href=\"#ref-alpha\">Talks resume at the palace</a></cite>, <a class=\"passage-link\" href=\"sources/alpha/index.html#q-"),
        "{note1}"
    );
    assert!(
        note1.contains(
            "<span aria-hidden=\"true\">¶1</span><span class=\"visually-hidden\">Paragraph 1</span>"
        ),
        "{note1}"
    );
    assert!(
        !note1.contains("Example Wire") && !note1.contains("Our summary of"),
        "{note1}"
    );
    let refs = &html[html
        .find("<section class=\"references\"")
        .expect("the list of sources cited")..];
    let refs = &refs[..refs.find("</section>").unwrap()];
    assert!(
        refs.contains("<h2 id=\"references-heading\">Sources cited</h2>"),
        "{refs}"
    );
    let alpha = &refs[refs.find("<li id=\"ref-alpha\">").expect("alpha listed")..];
    let alpha = &alpha[..alpha.find("</li>").unwrap()];
    assert!(
        alpha.contains("<cite><a href=\"sources/alpha/index.html\">Talks resume at the palace</a></cite>, <span class=\"outlet\">Example Wire</span>, Jane Roe, 1 June 2025"),
        "{alpha}"
    );
    assert!(
        alpha.contains("https://example.org/news/talks-resume\""),
        "{alpha}"
    );
    // Each source once, however many notes cite it; "Our summary of …" said once a page.
    for li in refs.split("<li id=\"").skip(1) {
        let id = &li[..li.find('"').unwrap()];
        assert_eq!(
            refs.matches(&format!("<li id=\"{id}\"")).count(),
            1,
            "{refs}"
        );
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "{id} is cited by a note"
        );
    }
    assert_eq!(html.matches("Our summary of").count(), 1, "{html}");
    assert!(
        note1.contains("meet at Çırağan Palace on Monday"),
        "{note1}"
    );
    assert!(
        note1.contains("href=\"#cite-1-a\"") && note1.contains("href=\"#cite-1-b\""),
        "{note1}"
    );
    assert!(note1.contains("sources/alpha/index.html#q-"), "{note1}");
    // The source has a url: the original is linked with a text fragment.
    assert!(
        note1.contains("https://example.org/news/talks-resume#:~:text=meet%20at%20"),
        "{note1}"
    );
}

#[test]
fn source_pages_highlight_passages_and_link_back() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("sources/alpha/index.html");
    // Passages are numbered by position in the text: "meet at Çırağan Palace on Monday" first.
    let q1 = &html[html
        .find("<mark id=\"q-1\" class=\"passage\">")
        .expect("q-1 mark")..];
    assert!(
        q1.starts_with("<mark id=\"q-1\" class=\"passage\">meet at <a class=\"mention\""),
        "{}",
        &q1[..200]
    );
    // ... cited by the front page, the venue and the methodology? (no: that cites the whole source)
    let cited = &q1[q1.find("cited-by").unwrap()..];
    let cited = &cited[..cited.find("</span>").unwrap()];
    assert!(cited.contains("../../index.html#cite-1-a"), "{cited}");
    assert!(
        cited.contains("../../venues/ciragan-palace/index.html#cite-1-a"),
        "{cited}"
    );
    // Paragraphs are numbered and linkable.
    assert!(html.contains("<p id=\"p3\" class=\"para\"><a class=\"pnum\" href=\"#p3\""));
}

#[test]
fn mentions_link_to_items_with_folding_and_word_boundaries() {
    let site = Site::copy("basic");
    site.build_clean();
    let beta = site.output("sources/beta/index.html");
    // "ÇIRAĞAN Palace" (capitals, dotless I) is the venue "Çırağan Palace".
    assert!(beta.contains("<a class=\"mention\" href=\"../../venues/ciragan-palace/index.html\">ÇIRAĞAN Palace</a>"), "{beta}");
    assert!(beta.contains("href=\"../../people/rustem-umerov/index.html\">Rustem Umerov</a>"));
    // Boilerplate is hidden, and the file is untouched.
    assert!(!beta.contains("Advertisement") && !beta.contains("Comments are closed"));
    assert!(
        site.read("content/sources/beta.txt")
            .contains("Advertisement")
    );
    // The item page lists the sources that mention it.
    let venue = site.output("venues/ciragan-palace/index.html");
    assert!(
        venue.contains("../../sources/alpha/index.html")
            && venue.contains("../../sources/beta/index.html")
    );
}

#[test]
fn timeline_orders_partial_dates_before_the_days_inside_them() {
    let site = Site::copy("basic");
    site.build_clean();
    let html = site.output("timeline/index.html");
    let pos = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} not on the timeline"))
    };
    // 2025 (a year of talks, a claim) < 2025-06 (June talks, a claim) < 2025-06-02.
    let year = pos("datetime=\"2025\"");
    let month = pos("datetime=\"2025-06\"");
    let day = pos("datetime=\"2025-06-02\"");
    assert!(year < month && month < day, "{year} {month} {day}");
    assert!(pos("A year of talks") < pos("June talks"));
    assert!(pos("June talks") < pos("Second round of talks"));
}

#[test]
fn the_timeline_is_the_same_on_its_page_and_in_the_print_view_and_a_user_partial_sees_its_page() {
    let site = Site::copy("basic");
    site.build_clean();
    let entries = |html: &str| {
        let start = html.find("<ol class=\"timeline\">").expect("a timeline");
        let end = start + html[start..].find("</ol>").unwrap();
        html[start..end].to_string()
    };
    let page = entries(&site.output("timeline/index.html"));
    let print = entries(&site.output("print/index.html"));
    assert_eq!(page, print);
    assert!(page.contains("June talks"));

    // A partial of the user's is rendered on each page, with that page's variables.
    site.write(
        "templates/partials/timeline-entries.html",
        "<ol class=\"timeline\" data-on=\"{{ page.kind }}\">{% for e in group.entries %}<li>{{ e.title }}</li>{% endfor %}</ol>",
    );
    site.build_clean();
    let page = site.output("timeline/index.html");
    let print = site.output("print/index.html");
    assert!(page.contains("data-on=\"timeline\"><li>"), "{page}");
    assert!(print.contains("data-on=\"print\"><li>"), "{print}");
    assert!(page.contains("<li>June talks</li>"));
}

#[test]
fn a_user_print_item_partial_can_read_what_the_built_in_one_leaves_out() {
    let site = Site::copy("basic");
    site.build_clean();
    let medinsky = "<h3 id=\"item-vladimir-medinsky-heading\">";
    let print = site.output("print/index.html");
    assert!(print.contains(medinsky), "{print}");
    assert!(!print.contains("data-related"));

    // The built-in partial shows neither `related` nor `mentioned_in`, so the print view
    // leaves them out; a partial of the user's that reads them gets them.
    let built_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/theme/templates/partials/print-item.html"),
    )
    .unwrap();
    let extra = "<p data-related=\"{% for r in item.related %}{{ r.name }};{% endfor %}\" \
                 data-mentions=\"{{ item.mentioned_in | length }}\"></p>\n</article>";
    site.write(
        "templates/partials/print-item.html",
        &built_in.replace("</article>", extra),
    );
    site.build_clean();
    let print = site.output("print/index.html");
    let at = print.find(medinsky).expect("Medinsky in the print view");
    let p = &print[at..];
    assert!(p.contains("Rustem Umerov;"), "{p}");
    let mentions = p.split("data-mentions=\"").nth(1).unwrap();
    assert!(!mentions.starts_with("0\""), "{p}");
}

#[test]
fn dispute_page_shows_positions_and_item_pages_show_fields() {
    let site = Site::copy("basic");
    site.build_clean();
    let d = site.output("disputes/index.html");
    assert!(d.contains("How difficult will the talks be?"));
    assert!(
        d.contains("Very difficult, says the Kremlin.")
            && d.contains("Merely difficult, say officials.")
    );
    let e = site.output("events/second-round/index.html");
    assert!(
        e.contains("href=\"../../venues/ciragan-palace/index.html\">Çırağan Palace</a>"),
        "place is linked"
    );
    assert!(e.contains("<time datetime=\"2025-06-02\">2 June 2025</time>"));
    let p = site.output("people/vladimir-medinsky/index.html");
    assert!(p.contains("Rustem Umerov"), "related in both directions");
    assert!(
        p.contains("Second round of talks"),
        "events naming him are related"
    );
}

#[test]
fn briefing_json_offsets_cut_each_quote_out_of_its_source() {
    let site = Site::copy("basic");
    site.build_clean();
    let json: serde_json::Value = serde_json::from_str(&site.output("briefing.json")).unwrap();
    assert_eq!(common::check_offsets(&json), 13);
    for c in json["citations"].as_array().unwrap() {
        assert!(
            c["url"]
                .as_str()
                .unwrap()
                .starts_with("https://example.org/fixture/")
        );
    }
    assert_eq!(json["items"].as_array().unwrap().len(), 7);
    assert_eq!(
        json["items"][0]["url"],
        "https://example.org/fixture/disputes/how-difficult/"
    );
}

#[test]
fn builds_are_reproducible_and_carry_hosting_files() {
    let site = Site::copy("basic");
    site.build_clean();
    let first = site.snapshot();
    site.build_clean();
    assert_eq!(first, site.snapshot(), "two builds differ");
    for f in [
        ".nojekyll",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "assets/brief.css",
        "assets/brief.js",
    ] {
        assert!(first.contains_key(std::path::Path::new(f)), "{f} missing");
    }
    assert!(
        site.output("sitemap.xml")
            .contains("<loc>https://example.org/fixture/sources/alpha/</loc>")
    );
    // Code blocks are highlighted with classes, and the stylesheet has the classes.
    assert!(site.output("index.html").contains("class=\"hl-"));
    assert!(site.output("assets/brief.css").contains(".hl-"));
}

#[test]
fn output_and_base_url_options() {
    let site = Site::copy("basic");
    let run = site.run(&[
        "build",
        "--output",
        "out",
        "--base-url",
        "https://u.github.io/r",
    ]);
    assert!(run.ok, "{}", run.stderr);
    let sitemap = std::fs::read_to_string(site.path().join("out/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://u.github.io/r/sources/"),
        "{sitemap}"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_writes_nothing_and_help_and_version_work() {
    let site = Site::copy("basic");
    let run = site.run(&["check"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("all verified"));
    assert!(!site.path().join("public").exists());
    let help = site.run(&["--help"]);
    assert!(help.ok && help.stdout.contains("build") && help.stdout.contains("check"));
    let version = site.run(&["--version"]);
    assert!(version.stdout.starts_with("brief "));
    let quiet = site.run(&["build", "--quiet"]);
    assert!(quiet.ok && quiet.stderr.is_empty(), "{}", quiet.stderr);
}

/// The static files the `links` fixture's page links to, with the names a browser asks for.
const LINKED_FILES: [&str; 6] = [
    "files/ö.txt",
    "files/my map.txt",
    "files/a:b.txt",
    "files/c\\d.txt",
    "files/föö.txt",
    "links/a:b.txt",
];

#[test]
fn links_are_checked_as_a_browser_follows_them() {
    let site = Site::copy("links");
    for f in LINKED_FILES {
        site.write(&format!("static/{f}"), f);
    }
    site.build_clean();
    // Files whose names hold `:` and `\` are copied where their names say.
    for f in LINKED_FILES {
        assert_eq!(site.output(f), f, "public/{f}");
    }
    let page = site.output("links/index.html");
    // The links are written percent-encoded, so that the browser asks for these files.
    for href in [
        "href=\"../files/%C3%B6.txt\"",
        "href=\"../files/my%20map.txt\"",
        "src=\"../files/my%20map.txt\"",
        "href=\"../files/a%3Ab.txt\"",
        "href=\"./a:b.txt\"",
        "href=\"tel:+15551234\"",
        "href=\"MAILTO:desk@example.org\"",
    ] {
        assert!(page.contains(href), "{href} in {page}");
    }
    // The text that reads like an attribute stays text.
    assert!(page.contains("write href=\"/nowhere/\" to link"), "{page}");
}

#[test]
fn a_missing_file_or_id_is_found_however_the_page_spells_it() {
    let site = Site::copy("links");
    for f in LINKED_FILES {
        site.write(&format!("static/{f}"), f);
    }
    // A file named as the link is written is not the file the link asks for, and the text
    // `id="findings"` is no element with that id.
    std::fs::remove_file(site.path().join("static/files/föö.txt")).unwrap();
    site.write("static/files/f%C3%B6%C3%B6.txt", "literally");
    site.edit(
        "content/pages/links.md",
        "names nothing.",
        "names nothing: [see](#findings).",
    );
    let run = site.run(&["build"]);
    assert!(!run.ok, "{}", run.stderr);
    let errors: Vec<&str> = run
        .problems
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: content/pages/links.md:5:69: the link `/files/f%C3%B6%C3%B6.txt` is broken: there is no files/föö.txt (on links/index.html)",
            "error: content/pages/links.md:13:40: the link `#findings` is broken: links/index.html has no element with id `findings` (on links/index.html)",
        ],
        "{}",
        run.stderr
    );
}

/// The link to the original names the quote alone when its words are unique in the source,
/// and adds the words around it (`prefix-,` … `,-suffix`) when they occur more than once,
/// so that the browser lands on the passage cited.
#[test]
fn a_repeated_quote_links_the_original_with_its_context() {
    let site = Site::copy("basic");
    site.write(
        "content/index.md",
        "# The talks\n\nThey met [@alpha \"heads the Russian team\"]; it was hard [@alpha \"the talks would be difficult\"].\n",
    );
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("ambiguous-quote"), "{}", run.stderr);
    let html = site.output("index.html");
    let original = "https://example.org/news/talks-resume#:~:text=";
    assert!(
        html.contains(&format!("{original}heads%20the%20Russian%20team\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "{original}Officials%20said-,the%20talks%20would%20be%20difficult,-.%20Officials%20said\""
        )),
        "{html}"
    );
}
