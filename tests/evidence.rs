//! Evidence in view (issue 21 §1), end to end on tests/fixtures/evidence: each dispute
//! position shows its quoted passages (source, outlet, date, the quote, a link to the
//! passage highlighted in its source), a quote from a source in Russian carries its `lang`
//! and its translation, a claim's `<details>` hold its quotes, user text spelling HTML stays
//! text; and in headless Chromium, from file:// and without JavaScript, the positions sit side
//! by side on a wide screen and stack on a phone, with no axe violation in light or dark
//! (the claims' quotes unfolded). The example briefing too: every position of every dispute
//! shows its evidence, and its dispute and item pages pass the same checks.
//!
//! Chromium and axe-core are required, as for tests/browser.rs: the browser test fails rather
//! than skips without them.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::path::{Path, PathBuf};

use cdp::Browser;
use common::Site;
use serde_json::Value;

/// The fixture, copied and built.
fn built() -> Site {
    let site = Site::copy("evidence");
    site.build_clean();
    site
}

/// The HTML of each dispute position on a page, in order (each `<div class="position">` up
/// to the line that closes it).
fn positions(html: &str) -> Vec<&str> {
    html.split("<div class=\"position\">")
        .skip(1)
        .map(|p| p.split("\n  </div>").next().unwrap_or(p))
        .collect()
}

/// The entries of the evidence list in `html` (the first `<ul class="evidence">`), as HTML.
fn evidence(html: &str) -> Vec<&str> {
    let Some((_, list)) = html.split_once("<ul class=\"evidence\"") else {
        return Vec::new();
    };
    let list = list.split("</ul>").next().unwrap_or(list);
    list.split("<li>").skip(1).collect()
}

/// The `href` of the "Read in context" link of an evidence entry.
fn passage_link(entry: &str) -> &str {
    let (_, rest) = entry
        .split_once("<a class=\"passage-link\" href=\"")
        .unwrap_or_else(|| panic!("no passage link in {entry}"));
    rest.split('"').next().unwrap_or_default()
}

/// The text of the mark `#q-N` that `link` (`…/sources/<id>/index.html#q-N`, relative to
/// `page`) leads to, on the source's page.
fn passage_reached(site: &Site, page: &str, link: &str) -> String {
    let (file, anchor) = link.split_once('#').expect("an anchor");
    let dir = Path::new(page).parent().expect("a folder");
    let source = site.output(&normalize(&dir.join(file)));
    let at = format!("<mark id=\"{anchor}\"");
    let (_, rest) = source
        .split_once(&at)
        .unwrap_or_else(|| panic!("{link}: no <mark id=\"{anchor}\">"));
    let inside = rest.split_once('>').map_or("", |x| x.1);
    let text = inside.split("</mark>").next().unwrap_or_default();
    regex::Regex::new("<[^>]*>")
        .expect("regex")
        .replace_all(text, "")
        .into_owned()
}

/// `a/b/../c` as `a/c`.
fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c.as_os_str().to_str().unwrap_or_default() {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}

#[test]
fn each_position_shows_its_quotes_with_source_outlet_date_and_the_passage() {
    let site = built();
    // The collection's page and the dispute's own page show the same evidence.
    for (page, root) in [
        ("disputes/index.html", "../"),
        ("disputes/length-of-meeting/index.html", "../../"),
    ] {
        let html = site.output(page);
        let ps = positions(&html);
        assert_eq!(ps.len(), 2, "{page}: two positions");

        // Position 1: an inline citation and two `cite:` entries, one of them the same
        // passage as the inline one: two quotes, the text's first.
        let first = evidence(ps[0]);
        assert_eq!(first.len(), 2, "{page}: {first:?}");
        for e in &first {
            assert!(
                e.contains(&format!(
                    "<cite><a href=\"{root}sources/wire-report/index.html\">Talks &lt;b&gt;resume&lt;/b&gt; in Istanbul</a></cite>"
                )),
                "{page}: the source, linked: {e}"
            );
            assert!(
                e.contains(", <span class=\"outlet\">Wire &amp; Co</span>"),
                "{e}"
            );
            assert!(
                e.contains(", <time datetime=\"2025-06-02\">2 June 2025</time>"),
                "{e}"
            );
        }
        assert!(
            first[0].contains(
                "<blockquote class=\"evidence-quote\"><p>talked for about an hour</p></blockquote>"
            ),
            "{}",
            first[0]
        );
        // The link leads to the passage highlighted in the source, the note's own target.
        for (e, quote) in first.iter().zip([
            "talked for about an hour",
            "read <script>alert('quote')</script> in large",
        ]) {
            let link = passage_link(e);
            assert!(
                link.starts_with(&format!("{root}sources/wire-report/index.html#q-")),
                "{link}"
            );
            // The page's notes lead there too.
            let notes = html
                .split_once("<section class=\"notes\"")
                .expect("notes")
                .1;
            assert!(
                notes.contains(&format!("href=\"{link}\"")),
                "{page}: {link}"
            );
            let reached = passage_reached(&site, page, link)
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'");
            assert_eq!(reached, quote, "{page}: {link}");
        }
        // The evidence numbers nothing: the marks stay in the position's text.
        assert!(ps[0].contains("<sup class=\"cite\">"), "{}", ps[0]);
        assert!(first.iter().all(|e| !e.contains("data-note")), "{first:?}");

        // Position 2: a quote in Russian with its translation, and a whole source.
        let second = evidence(ps[1]);
        assert_eq!(second.len(), 2, "{page}: {second:?}");
        let ru = second[0];
        assert!(
            ru.contains(&format!("<cite lang=\"ru\"><a href=\"{root}sources/tass-ru/index.html\">Переговоры в Стамбуле продлились два часа</a></cite>")),
            "{ru}"
        );
        assert!(ru.contains("<span class=\"outlet\">ТАСС</span>"), "{ru}");
        assert!(
            ru.contains("<time datetime=\"2025-06-03\">3 June 2025</time>"),
            "{ru}"
        );
        assert!(
            ru.contains("<blockquote class=\"evidence-quote\" lang=\"ru\"><p>продлилась около двух часов</p></blockquote>"),
            "{ru}"
        );
        assert!(
            ru.contains("<p class=\"evidence-translation\"><span class=\"translation-label\">Translation</span> <q>lasted about two hours &lt;script&gt;alert(&#39;translation&#39;)&lt;/script&gt;</q> <span class=\"translator\">translated by Jane &lt;i&gt;Roe&lt;/i&gt;</span></p>"),
            "{ru}"
        );
        assert_eq!(
            passage_reached(&site, page, passage_link(ru)),
            "продлилась около двух часов"
        );
        let whole = second[1];
        assert!(
            whole.contains("<p class=\"evidence-quote whole\">The source as a whole.</p>"),
            "{whole}"
        );
        assert_eq!(
            passage_link(whole),
            format!("{root}sources/statement/index.html")
        );
        assert!(!whole.contains("class=\"outlet\""), "{whole}");
    }
}

/// The example briefing built once into a temporary folder (it is the repository's root).
fn example() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evidence-example");
        let run = common::brief(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &["-q", "build", "--output", out.to_str().expect("path")],
        );
        assert!(run.ok, "{}", run.stderr);
        out
    })
}

#[test]
fn every_dispute_of_the_example_shows_its_evidence() {
    let out = example();
    let html = std::fs::read_to_string(out.join("disputes/index.html")).expect("disputes");
    let disputes: Vec<&str> = html.split("<article class=\"dispute\"").skip(1).collect();
    assert!(disputes.len() >= 5, "{}", disputes.len());
    for d in &disputes {
        let ps = positions(d);
        assert!(ps.len() >= 2, "{d}");
        for p in ps {
            let quotes = evidence(p);
            assert!(!quotes.is_empty(), "a position without evidence: {p}");
            for q in quotes {
                assert!(q.contains("<blockquote class=\"evidence-quote\""), "{q}");
                assert!(passage_link(q).contains("/index.html#q-"), "{q}");
            }
        }
    }
    // The Ukrainian summary is quoted on both sides of one dispute, with translations.
    let rounds = std::fs::read_to_string(out.join("disputes/number-of-rounds/index.html"))
        .expect("number-of-rounds");
    for p in positions(&rounds) {
        assert!(
            evidence(p).iter().any(|q| q.contains("lang=\"uk\"><p>")
                && q.contains("<p class=\"evidence-translation\">")),
            "{p}"
        );
    }
}

#[test]
fn a_claims_quotes_unfold_in_place() {
    let site = built();
    let html = site.output("disputes/length-of-meeting/index.html");
    let claims = html
        .split_once("<ol class=\"claims\">")
        .expect("claims")
        .1
        .split("</ol>")
        .next()
        .expect("claims");
    let items: Vec<&str> = claims.split("<li id=\"claim-").skip(1).collect();
    assert_eq!(items.len(), 2, "{claims}");
    // Folded (no `open`) under the claim, the same evidence markup as the positions.
    assert!(
        items[0].contains(
            "<details class=\"claim-evidence\">\n        <summary>Show the 2 quotes</summary>"
        ),
        "{}",
        items[0]
    );
    let quotes = evidence(items[0]);
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert!(
        quotes[0].contains("<p>agreed to swap prisoners</p>"),
        "{}",
        quotes[0]
    );
    assert!(
        quotes[1].contains(
            "<blockquote class=\"evidence-quote\" lang=\"ru\"><p>договорились об обмене пленными</p></blockquote>"
        ) && quotes[1].contains("<q>agreed on an exchange of prisoners</q>"),
        "{}",
        quotes[1]
    );
    assert!(
        !items[1].contains("claim-evidence"),
        "a claim that cites nothing has nothing to unfold: {}",
        items[1]
    );
    // On a person's page too, one quote.
    let person = site.output("people/jane-envoy/index.html");
    assert!(
        person.contains("<summary>Show the quote</summary>"),
        "{person}"
    );
    let quotes = evidence(&person);
    assert_eq!(quotes.len(), 1);
    assert!(quotes[0].contains("<p>met at the palace on Monday</p>"));
    assert!(passage_link(quotes[0]).starts_with("../../sources/wire-report/index.html#q-"));

    // The print view shows the positions' evidence (it has no `<details>` to open).
    let print = site.output("print/index.html");
    assert!(
        print.matches("<ul class=\"evidence\"").count() >= 2,
        "{print}"
    );
    assert!(!print.contains("claim-evidence"), "{print}");
}

#[test]
fn user_text_in_evidence_is_escaped() {
    let site = built();
    let html = site.output("disputes/index.html");
    assert!(
        html.contains("<p>read &lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt; in large</p>"),
        "{html}"
    );
    for file in common::files_under(&site.path().join("public")) {
        if file.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read");
        for raw in ["<script>alert(", "<b>resume", "<i>Roe"] {
            assert!(!text.contains(raw), "{}: {raw} unescaped", file.display());
        }
    }
}

#[test]
fn the_evidence_speaks_the_sites_language() {
    let site = Site::copy("evidence");
    site.edit("site.toml", "language = \"en\"", "language = \"uk\"");
    site.build_clean();
    let html = site.output("disputes/length-of-meeting/index.html");
    for words in [
        "aria-label=\"Цитати з джерел\"",
        "<summary>Показати 2 цитати</summary>",
        ">Читати в контексті<",
        "<span class=\"translation-label\">Переклад</span>",
    ] {
        assert!(html.contains(words), "{words}");
    }
    // The English source is now the one in another language.
    assert!(
        html.contains(
            "<blockquote class=\"evidence-quote\" lang=\"en\"><p>talked for about an hour</p>"
        ),
        "{html}"
    );
    assert!(html.contains("<blockquote class=\"evidence-quote\" lang=\"ru\">"));
}

fn ci_node() -> PathBuf {
    std::env::var_os("BRIEF_CI_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-node"))
}

#[test]
fn positions_stand_side_by_side_when_wide_and_stack_on_a_phone() {
    let axe_js = ci_node().join("node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_js).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install it from the repository root with: npm install --prefix target/ci-node --no-audit --no-fund axe-core@4",
            axe_js.display()
        )
    });
    let site = built();
    let public = site.path().join("public");
    let mut b = Browser::launch();
    // Where each position of the page's first dispute stands, and whether its evidence shows.
    let measure = "[...document.querySelector('.positions').children].map(p => {
        const r = p.getBoundingClientRect(), e = p.querySelector('.evidence');
        return {left: Math.round(r.left), top: Math.round(r.top), bottom: Math.round(r.bottom),
                evidence: !!e && e.getBoundingClientRect().height > 0}; })";
    let example = example();
    for (public, page) in [
        (public.as_path(), "disputes/index.html"),
        (public.as_path(), "disputes/length-of-meeting/index.html"),
        (example, "disputes/index.html"),
        (example, "disputes/number-of-rounds/index.html"),
    ] {
        for dark in [false, true] {
            b.emulate(1280, dark);
            b.open(public, page);
            let wide = b.eval(measure);
            let (a, c) = (&wide[0], &wide[1]);
            assert_eq!(a["top"], c["top"], "{page}: one row at 1280 px: {wide}");
            assert!(
                c["left"].as_i64() > a["left"].as_i64(),
                "{page}: side by side: {wide}"
            );
            assert!(
                a["evidence"] == true && c["evidence"] == true,
                "{page}: {wide}"
            );
            axe_clean(&mut b, &axe, page, 1280, dark);

            b.emulate(390, dark);
            b.open(public, page);
            let phone = b.eval(measure);
            let (a, c) = (&phone[0], &phone[1]);
            assert_eq!(
                a["left"], c["left"],
                "{page}: one column at 390 px: {phone}"
            );
            assert!(
                c["top"].as_i64() >= a["bottom"].as_i64(),
                "{page}: stacked: {phone}"
            );
            let overflow = b.eval("document.documentElement.scrollWidth > innerWidth");
            assert_eq!(overflow, false, "{page}: no sideways scroll at 390 px");
            axe_clean(&mut b, &axe, page, 390, dark);
        }
    }
    // An item page with its claims' quotes unfolded: axe sees them too.
    for (public, page) in [
        (public.as_path(), "disputes/length-of-meeting/index.html"),
        (example, "negotiators/vladimir-medinsky/index.html"),
    ] {
        for (width, dark) in [(1280, false), (1280, true), (390, false), (390, true)] {
            b.emulate(width, dark);
            b.open(public, page);
            let opened = b.eval(
                "[...document.querySelectorAll('details.claim-evidence')].map(d => d.open = true).length",
            );
            assert!(opened.as_u64() > Some(0), "{page}: {opened}");
            axe_clean(&mut b, &axe, page, width, dark);
        }
    }
    std::fs::create_dir_all(screenshots()).expect("screenshots");
    for (dark, name) in [(false, "light"), (true, "dark")] {
        b.emulate(1280, dark);
        b.open(&public, "disputes/index.html");
        std::fs::write(
            screenshots().join(format!("evidence-dispute-1280-{name}.png")),
            b.screenshot(2400),
        )
        .expect("write");
    }

    // Without JavaScript a claim's quotes unfold from their summary.
    b.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": true}),
    );
    b.emulate(390, false);
    b.open(&public, "disputes/length-of-meeting/index.html");
    b.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": false}),
    );
    let folded = b.eval(
        "(() => { const d = document.querySelector('details.claim-evidence');
           // Chromium lays a closed <details>' content out, hidden: ask whether it shows.
           const shown = () => d.querySelector('.evidence').checkVisibility();
           const before = shown(); d.querySelector('summary').click();
           return [before, d.open, shown()]; })()",
    );
    assert_eq!(folded, serde_json::json!([false, true, true]), "{folded}");
    std::fs::write(
        screenshots().join("evidence-item-390.png"),
        b.screenshot(2400),
    )
    .expect("write");
}

/// Runs axe on the open page; fails on any serious or critical violation.
fn axe_clean(b: &mut Browser, axe: &str, page: &str, width: u32, dark: bool) {
    b.eval(axe);
    let found: Value = b.eval(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
           .filter(v => v.impact === 'serious' || v.impact === 'critical')
           .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')))",
    );
    assert_eq!(
        found,
        serde_json::json!([]),
        "{page} at {width} px, {}: axe found violations",
        if dark { "dark" } else { "light" }
    );
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[test]
fn a_print_item_partial_of_the_users_can_read_the_claims_evidence() {
    let site = Site::copy("evidence");
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/theme/templates/partials/print-item.html"),
    )
    .expect("print-item.html");
    // The built-in partial unfolds no claim's quotes, so the print view makes none; one of
    // the user's that reads them gets them.
    let extra = "{% for cl in item.claims %}<p data-quotes=\"{% for e in cl.evidence %}{{ e.quote }};{% endfor %}\"></p>{% endfor %}\n</article>";
    site.write(
        "templates/partials/print-item.html",
        &built_in.replace("</article>", extra),
    );
    site.build_clean();
    let print = site.output("print/index.html");
    assert!(
        print.contains("data-quotes=\"agreed to swap prisoners;договорились об обмене пленными;\""),
        "{print}"
    );
    assert!(
        print.contains("data-quotes=\"\""),
        "a claim without quotes: {print}"
    );
}
