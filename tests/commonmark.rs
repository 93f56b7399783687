//! Every example of the CommonMark spec (0.31.2), run through brief: one briefing whose free
//! pages are the 652 examples, built once by the real binary, and each page's Markdown
//! compared with the HTML the spec expects, after the spec's own normalisation (its
//! test/normalize.py: attributes sorted, white space around block tags dropped, character
//! references read alike).
//!
//! A page may differ from the spec only by what brief documents it does to Markdown, and
//! the test undoes exactly that (see [`Rewrite`]). The spec's links lead to files such as
//! `/url` and `foo`: the test puts each file a link names (percent-decoded, as a browser asks
//! for it) into the briefing's static/, and each `#fragment` id on its page, so that the
//! link check finds every one and the build must pass without an error or a warning. A link
//! the check then still called broken would be brief misreading a link.
//!
//! The spec is not in the repository (it is CC-BY-SA 4.0): scripts/test.sh installs the
//! npm package `commonmark-spec@0.31.2` into target/ci-node. Without it the test is skipped
//! with a note, unless BRIEF_REQUIRE_SEEDS=1 (the project's CI), where it fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::Site;

/// The spec's version, and how many examples it has.
const VERSION: &str = "0.31.2";
const EXAMPLES: usize = 652;

/// Installs the spec where this test looks for it.
const INSTALL: &str = "npm install --prefix target/ci-node --no-audit --no-fund commonmark-spec@0.31.2 (scripts/test.sh does)";

/// The examples whose raw HTML holds a link that a browser reads as site-absolute, which
/// brief refuses by design (it would leave a site served under a project path,
/// https://user.github.io/repo/, or opened from a file; Markdown's own `/path` links are made
/// relative for this reason): the example, the link, and why it is site-absolute.
const REFUSED: [(usize, &str, &str); 2] = [
    (21, "/bar\\/)", "an HTML block `<a href=\"/bar\\/)\">`"),
    (
        631,
        "\\*",
        "inline HTML `<a href=\"\\*\">`: a browser reads `\\` as `/` in an http(s) or file URL",
    ),
];

/// The examples whose fenced code brief highlights: the reason is the language, which the
/// test checks is one syntect knows (the difference is undone by [`Rewrite::Highlight`]).
const HIGHLIGHTED: [(usize, &str); 2] = [(142, "ruby"), (143, "ruby")];

/// One example of the spec.
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The folder of the spec's npm package, or `None` (with a note) when it is not installed
/// and may be skipped.
fn spec_package() -> Option<PathBuf> {
    let dir = std::env::var_os("BRIEF_CI_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-node"))
        .join("node_modules/commonmark-spec");
    let present = dir.join("spec.txt").is_file();
    common::needed_or_skipped(
        "commonmark",
        "the CommonMark spec",
        dir,
        present,
        &format!("install it with: {INSTALL}"),
    )
}

/// The examples of spec.txt, read as the package's index.js reads them (its regular
/// expression), with `→` standing for a tab, as the spec's own test runner reads them.
fn examples(spec: &str) -> Vec<Example> {
    let spec = spec.replace("\r\n", "\n").replace('\r', "\n");
    let spec = match spec.find("\n<!-- END TESTS -->") {
        Some(end) => &spec[..end + 1],
        None => &spec[..],
    };
    let re =
        regex::Regex::new(r"(?m)^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$")
            .unwrap();
    let mut section = String::new();
    let mut out = Vec::new();
    for c in re.captures_iter(spec) {
        if let Some(s) = c.get(3) {
            section = s.as_str().to_string();
            continue;
        }
        out.push(Example {
            number: out.len() + 1,
            section: section.clone(),
            markdown: c[1].replace('→', "\t"),
            html: c[2].replace('→', "\t"),
        });
    }
    out
}

fn slug(n: usize) -> String {
    format!("example-{n:03}")
}

/// Markers around the page's Markdown in the fixture's page template.
const START: &str = "<!-- commonmark example: start -->\n";
const END: &str = "<!-- commonmark example: end -->";

// ---------------------------------------------------------------------------------------
// A small HTML tokenizer and the spec's normalisation (test/normalize.py of the CommonMark
// repository), written here so that the test does not read HTML with the code it tests.

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Start {
        name: String,
        attrs: Vec<(String, Option<String>)>,
        self_closing: bool,
    },
    End(String),
    /// Text, its character references decoded.
    Text(String),
    /// A comment, declaration, processing instruction or CDATA section, as written.
    Verbatim(String),
}

/// Decodes the character references of `s` (numeric, and the named ones pulldown-cmark
/// knows, which are HTML's).
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..]
            .find(';')
            .map(|i| i + 1)
            .filter(|&i| i > 1 && i < 40);
        let decoded = semi.and_then(|i| {
            let name = &rest[1..i];
            if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                }?;
                let c = char::from_u32(n)
                    .filter(|&c| c != '\0')
                    .unwrap_or('\u{fffd}');
                return Some((i + 1, c.to_string()));
            }
            if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            let written = &rest[..=i];
            let text: String = pulldown_cmark::Parser::new(written)
                .filter_map(|e| match e {
                    pulldown_cmark::Event::Text(t) => Some(t.into_string()),
                    _ => None,
                })
                .collect();
            (text != written).then_some((i + 1, text))
        });
        match decoded {
            Some((len, text)) => {
                out.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tokens of `html`, as Python's HTMLParser (which normalize.py uses) reads them: `<script>`
/// and `<style>` hold text; a `<` that starts no markup is text.
fn tokens(html: &str) -> Vec<Token> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut at = 0;
    let flush = |text: &mut String, out: &mut Vec<Token>| {
        if !text.is_empty() {
            out.push(Token::Text(decode_entities(text)));
            text.clear();
        }
    };
    while at < b.len() {
        let rest = &html[at..];
        let verbatim_to =
            |end: &str, from: usize| rest[from..].find(end).map(|i| from + i + end.len());
        let special = if rest.starts_with("<!--") {
            verbatim_to("-->", 4)
        } else if rest.starts_with("<![CDATA[") {
            verbatim_to("]]>", 9)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            verbatim_to(">", 2)
        } else {
            None
        };
        if let Some(len) = special {
            flush(&mut text, &mut out);
            out.push(Token::Verbatim(rest[..len].to_string()));
            at += len;
            continue;
        }
        let is_alpha = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphabetic());
        if b[at] == b'<'
            && b.get(at + 1) == Some(&b'/')
            && is_alpha(at + 2)
            && let Some(gt) = rest.find('>')
        {
            flush(&mut text, &mut out);
            let name: String = rest[2..gt]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect();
            out.push(Token::End(name.to_ascii_lowercase()));
            at += gt + 1;
            continue;
        }
        if b[at] == b'<'
            && is_alpha(at + 1)
            && let Some((token, len)) = start_tag(rest)
        {
            flush(&mut text, &mut out);
            let raw = match &token {
                Token::Start { name, .. } if name == "script" || name == "style" => {
                    Some(format!("</{name}"))
                }
                _ => None,
            };
            out.push(token);
            at += len;
            if let Some(close) = raw {
                let body_end = html[at..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or(html.len(), |i| at + i);
                if body_end > at {
                    out.push(Token::Text(html[at..body_end].to_string()));
                }
                at = body_end;
            }
            continue;
        }
        let c = rest.chars().next().unwrap();
        text.push(c);
        at += c.len_utf8();
    }
    flush(&mut text, &mut out);
    out
}

/// The start tag at the start of `s`, and its length; `None` when it is not one.
fn start_tag(s: &str) -> Option<(Token, usize)> {
    let b = s.as_bytes();
    let mut at = 1;
    while at < b.len() && !b[at].is_ascii_whitespace() && !matches!(b[at], b'/' | b'>') {
        at += 1;
    }
    let name = s[1..at].to_ascii_lowercase();
    let mut attrs: Vec<(String, Option<String>)> = Vec::new();
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        match b.get(at)? {
            b'>' => {
                return Some((
                    Token::Start {
                        name,
                        attrs,
                        self_closing: false,
                    },
                    at + 1,
                ));
            }
            b'/' if b.get(at + 1) == Some(&b'>') => {
                return Some((
                    Token::Start {
                        name,
                        attrs,
                        self_closing: true,
                    },
                    at + 2,
                ));
            }
            _ => {}
        }
        let from = at;
        while at < b.len() && !b[at].is_ascii_whitespace() && !matches!(b[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        if at == from {
            // A stray `/` or `=`: HTMLParser would not read this as a tag.
            return None;
        }
        let attr = s[from..at].to_ascii_lowercase();
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = None;
        if b.get(at) == Some(&b'=') {
            at += 1;
            while at < b.len() && b[at].is_ascii_whitespace() {
                at += 1;
            }
            match *b.get(at)? {
                q @ (b'"' | b'\'') => {
                    let end = at + 1 + s[at + 1..].find(q as char)?;
                    value = Some(decode_entities(&s[at + 1..end]));
                    at = end + 1;
                }
                _ => {
                    let from = at;
                    while at < b.len() && !b[at].is_ascii_whitespace() && b[at] != b'>' {
                        at += 1;
                    }
                    value = Some(decode_entities(&s[from..at]));
                }
            }
        }
        attrs.push((attr, value));
    }
}

fn is_block_tag(tag: &str) -> bool {
    [
        "article",
        "header",
        "aside",
        "hgroup",
        "blockquote",
        "hr",
        "iframe",
        "body",
        "li",
        "map",
        "button",
        "object",
        "canvas",
        "ol",
        "caption",
        "output",
        "col",
        "p",
        "colgroup",
        "pre",
        "dd",
        "progress",
        "div",
        "section",
        "dl",
        "table",
        "td",
        "dt",
        "tbody",
        "embed",
        "textarea",
        "fieldset",
        "tfoot",
        "figcaption",
        "th",
        "figure",
        "thead",
        "footer",
        "tr",
        "form",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "video",
        "script",
        "style",
    ]
    .contains(&tag)
}

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// normalize.py's normal form of a list of tokens.
fn normalize(tokens: &[Token]) -> String {
    #[derive(PartialEq)]
    enum Last {
        StartTag,
        EndTag,
        Other,
    }
    let mut out = String::new();
    let mut last = Last::StartTag;
    let mut last_tag = String::new();
    let mut in_pre = false;
    for t in tokens {
        match t {
            Token::Text(data) => {
                let after_tag = last != Last::Other;
                let after_block_tag = after_tag && is_block_tag(&last_tag);
                let mut data = escape(data, false);
                if after_tag && last_tag == "br" {
                    data = data.trim_start_matches('\n').to_string();
                }
                if !in_pre {
                    let mut collapsed = String::new();
                    let mut space = false;
                    for c in data.chars() {
                        if c.is_whitespace() {
                            if !space {
                                collapsed.push(' ');
                            }
                            space = true;
                        } else {
                            collapsed.push(c);
                            space = false;
                        }
                    }
                    data = collapsed;
                }
                if after_block_tag && !in_pre {
                    data = match last {
                        Last::StartTag => data.trim_start().to_string(),
                        _ => data.trim().to_string(),
                    };
                }
                out.push_str(&data);
                last = Last::Other;
            }
            Token::End(tag) => {
                if tag == "pre" {
                    in_pre = false;
                } else if is_block_tag(tag) {
                    out.truncate(out.trim_end().len());
                }
                out.push_str(&format!("</{tag}>"));
                last_tag = tag.clone();
                last = Last::EndTag;
            }
            Token::Start {
                name,
                attrs,
                self_closing,
            } => {
                if name == "pre" {
                    in_pre = true;
                }
                if is_block_tag(name) {
                    out.truncate(out.trim_end().len());
                }
                out.push('<');
                out.push_str(name);
                let mut attrs = attrs.clone();
                attrs.sort();
                for (k, v) in attrs {
                    out.push(' ');
                    out.push_str(&k);
                    if let Some(v) = v {
                        out.push_str(&format!("=\"{}\"", escape(&v, true)));
                    }
                }
                out.push('>');
                last_tag = name.clone();
                last = if *self_closing {
                    Last::EndTag
                } else {
                    Last::StartTag
                };
            }
            Token::Verbatim(v) => {
                out.push_str(v);
                last = Last::Other;
            }
        }
    }
    out.trim().to_string()
}

// ---------------------------------------------------------------------------------------
// What brief documents it does to Markdown, undone.

/// A documented way in which brief's HTML differs from CommonMark's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rewrite {
    /// A Markdown link or image to a site path (`/url`) is made relative to the page
    /// (`../url` from a free page, `example-001/index.html`), and one to a folder (`/`,
    /// `/x/`) gets its `index.html`, so the site works under a project path and from
    /// `file://` (README, "Publish on GitHub Pages"; markdown.rs `rewrite_url`).
    RelativeLinks,
    /// A fenced code block in a language syntect knows is highlighted: `<pre class="hl">`
    /// and `<span class="hl-…">` around its words (docs/templates.md).
    Highlight,
}

/// The link a Markdown link to `url` becomes on a free page (whose way to the root is
/// `../`), as [`Rewrite::RelativeLinks`] says.
fn relative(url: &str) -> Option<String> {
    let path = url.strip_prefix('/').filter(|p| !p.starts_with('/'))?;
    let (path, fragment) = path.split_at(path.find('#').unwrap_or(path.len()));
    let index = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    Some(format!("../{path}{index}{fragment}"))
}

/// The expected tokens with every site-path `href` and `src` made relative.
fn with_relative_links(tokens: &[Token]) -> Vec<Token> {
    tokens
        .iter()
        .map(|t| match t {
            Token::Start {
                name,
                attrs,
                self_closing,
            } => Token::Start {
                name: name.clone(),
                attrs: attrs
                    .iter()
                    .map(|(k, v)| match (k.as_str(), v) {
                        ("href" | "src", Some(v)) => {
                            (k.clone(), Some(relative(v).unwrap_or_else(|| v.clone())))
                        }
                        _ => (k.clone(), v.clone()),
                    })
                    .collect(),
                self_closing: *self_closing,
            },
            t => t.clone(),
        })
        .collect()
}

/// brief's tokens without the highlighting: the `hl` class of a `<pre>`, and the `<span>`s
/// of `hl-` classes inside it (with their text kept).
fn without_highlight(tokens: &[Token]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut in_hl = false;
    // The `</span>`s to drop: one for each highlighting `<span>` open.
    let mut spans: Vec<bool> = Vec::new();
    for t in tokens {
        match t {
            Token::Start {
                name,
                attrs,
                self_closing,
            } if name == "pre" => {
                let hl = attrs
                    .iter()
                    .any(|(k, v)| k == "class" && v.as_deref() == Some("hl"));
                in_hl = hl;
                out.push(Token::Start {
                    name: name.clone(),
                    attrs: attrs
                        .iter()
                        .filter(|(k, v)| !(hl && k == "class" && v.as_deref() == Some("hl")))
                        .cloned()
                        .collect(),
                    self_closing: *self_closing,
                });
            }
            Token::End(name) if name == "pre" => {
                in_hl = false;
                out.push(t.clone());
            }
            Token::Start { name, attrs, .. } if in_hl && name == "span" => {
                let hl = attrs.iter().any(|(k, v)| {
                    k == "class" && v.as_deref().is_some_and(|v| v.starts_with("hl-"))
                });
                spans.push(hl);
                if !hl {
                    out.push(t.clone());
                }
            }
            Token::End(name) if in_hl && name == "span" => {
                if !spans.pop().unwrap_or(false) {
                    out.push(t.clone());
                }
            }
            // The text between two spans is one text again.
            Token::Text(s) if in_hl => match out.last_mut() {
                Some(Token::Text(before)) => before.push_str(s),
                _ => out.push(t.clone()),
            },
            t => out.push(t.clone()),
        }
    }
    out
}

/// How an example's page compares with the spec.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Matches,
    /// Alike once these rewrites are undone.
    Rewritten(BTreeSet<Rewrite>),
    /// Different: the spec's normal form (with the rewrites applied) and brief's.
    Differs {
        expected: String,
        actual: String,
    },
}

fn compare(expected_html: &str, actual_html: &str) -> Outcome {
    let (expected, actual) = (tokens(expected_html), tokens(actual_html));
    if normalize(&expected) == normalize(&actual) {
        return Outcome::Matches;
    }
    let relative = with_relative_links(&expected);
    let plain = without_highlight(&actual);
    for (rewrites, e, a) in [
        (vec![Rewrite::RelativeLinks], &relative, &actual),
        (vec![Rewrite::Highlight], &expected, &plain),
        (
            vec![Rewrite::RelativeLinks, Rewrite::Highlight],
            &relative,
            &plain,
        ),
    ] {
        if normalize(e) == normalize(a) {
            return Outcome::Rewritten(rewrites.into_iter().collect());
        }
    }
    Outcome::Differs {
        expected: normalize(&relative),
        actual: normalize(&plain),
    }
}

// ---------------------------------------------------------------------------------------
// The fixture: the files and ids the spec's links lead to.

/// What the spec's links on one page lead to: files of the site and ids on the page.
#[derive(Default)]
struct Targets {
    files: BTreeSet<String>,
    ids: BTreeSet<String>,
}

/// Adds to `targets` what the `href` or `src` value `url` on the page of example `n` leads
/// to, read as a browser reads it (the URL standard): tabs and line breaks dropped, spaces at
/// the ends trimmed, `\` a `/`, links with a scheme or a host left out, and each segment of
/// the path percent-decoded into the name of the file asked for. A site path names a file
/// at the root (brief makes the link relative), any other a file beside the page.
fn add_target(targets: &mut Targets, n: usize, url: &str) {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let has_scheme = url.find(':').is_some_and(|colon| {
        let s = &url[..colon];
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if url.is_empty() || has_scheme || url.starts_with("//") {
        return;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            let id = percent_encoding::percent_decode_str(f).decode_utf8_lossy();
            targets.ids.insert(id.into_owned());
        }
        return;
    }
    let mut file: Vec<String> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => vec![slug(n)],
    };
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
        match &*seg {
            "." => {}
            ".." => {
                file.pop();
            }
            s => file.push(s.to_string()),
        }
    }
    // A folder's page is brief's own (none of the spec's links leads to one but `/`).
    if !path.ends_with('/') && !file.is_empty() {
        targets.files.insert(file.join("/"));
    }
}

/// Writes the briefing of `examples` into `site`: a free page for each, a page template
/// that marks where the Markdown stands and holds the ids the spec's fragments lead to, and
/// in static/ every file their links lead to.
fn write_fixture(site: &Site, examples: &[&Example]) {
    // CommonMark lets raw HTML through; brief does with `allow_html = true` (docs/format.md).
    site.write(
        "site.toml",
        "title = \"CommonMark\"\nbase_url = \"https://example.org/commonmark/\"\nallow_html = true\n",
    );
    site.write(
        "content/index.md",
        "The examples of the CommonMark spec, a page each.\n",
    );
    let mut files = BTreeSet::new();
    let mut ids = String::new();
    for e in examples {
        let mut targets = Targets::default();
        for t in tokens(&e.html) {
            if let Token::Start { attrs, .. } = t {
                for (k, v) in attrs {
                    if let ("href" | "src", Some(v)) = (k.as_str(), v) {
                        add_target(&mut targets, e.number, &v);
                    }
                }
            }
        }
        files.extend(targets.files);
        if !targets.ids.is_empty() {
            ids.push_str(&format!(
                "{{% if page.title == \"Example {}\" %}}",
                e.number
            ));
            for id in &targets.ids {
                ids.push_str(&format!("<span id=\"{}\"></span>", escape(id, true)));
            }
            ids.push_str("{% endif %}\n");
        }
        // Front matter first: a spec example may itself start with `---`.
        site.write(
            &format!("content/pages/{}.md", slug(e.number)),
            &format!("---\ntitle: Example {}\n---\n{}", e.number, e.markdown),
        );
    }
    site.write(
        "templates/page.html",
        &format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}\n<article class=\"prose page-content\">\n{START}{{{{ content_html | safe }}}}{END}\n{ids}</article>\n{{% endblock content %}}\n"
        ),
    );
    for f in &files {
        // Neither a file and a folder of one name, nor a file in a page's place.
        assert!(
            !files.iter().any(|g| g.starts_with(&format!("{f}/"))),
            "{f} is both a file and a folder"
        );
        site.write(&format!("static/{f}"), "a file a spec example links to\n");
    }
}

/// The Markdown of an example's page, as brief wrote it.
fn page_markdown(site: &Site, n: usize) -> String {
    let page = site.output(&format!("{}/index.html", slug(n)));
    let start = page.find(START).expect("start marker") + START.len();
    let end = page.rfind(END).expect("end marker");
    page[start..end].to_string()
}

#[test]
fn every_commonmark_example_renders_as_the_spec_says_but_for_documented_rewrites() {
    let Some(package) = spec_package() else {
        return;
    };
    let manifest = std::fs::read_to_string(package.join("package.json")).expect("package.json");
    assert!(
        manifest.contains(&format!("\"version\": \"{VERSION}\"")),
        "{} is not commonmark-spec {VERSION}; install it with: {INSTALL}",
        package.display()
    );
    let spec = std::fs::read_to_string(package.join("spec.txt")).expect("spec.txt");
    let examples = examples(&spec);
    assert_eq!(examples.len(), EXAMPLES, "examples in spec.txt {VERSION}");

    // All of them: only the site-absolute links of raw HTML are refused, each where it is.
    let site = Site::copy("empty");
    write_fixture(&site, &examples.iter().collect::<Vec<_>>());
    let run = site.run(&["build"]);
    assert!(!run.ok, "the build should refuse the examples {REFUSED:?}");
    let errors: Vec<&str> = run
        .problems
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    let want: Vec<String> = REFUSED
        .iter()
        .map(|(n, link, _)| {
            let page = slug(*n);
            format!("error: {page}/index.html: the link `{link}` starts with `/`, so it leads outside the site when it is served under a project path (https://user.github.io/repo/) or opened from a file")
        })
        .collect();
    assert_eq!(errors, want, "{}", run.stderr);

    // The rest build with no error and no warning: every link of the spec is found.
    let site = Site::copy("empty");
    let built: Vec<&Example> = examples
        .iter()
        .filter(|e| !REFUSED.iter().any(|(n, ..)| *n == e.number))
        .collect();
    write_fixture(&site, &built);
    let started = std::time::Instant::now();
    site.build_clean();
    let took = started.elapsed();

    let mut counts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut differences = Vec::new();
    for e in &built {
        let outcome = compare(&e.html, &page_markdown(&site, e.number));
        let key = match &outcome {
            Outcome::Matches => "matches".to_string(),
            Outcome::Rewritten(r) => format!("{r:?}"),
            Outcome::Differs { expected, actual } => {
                differences.push(format!(
                    "example {} ({}):\n  markdown: {:?}\n  expected: {expected:?}\n  brief:    {actual:?}",
                    e.number, e.section, e.markdown
                ));
                "differs".to_string()
            }
        };
        counts.entry(key).or_default().push(e.number);
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.len()))
        .collect();
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "commonmark {VERSION}: {} examples built in {took:?}; {}; refused by design: {:?}",
        built.len(),
        summary.join(", "),
        REFUSED.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(
        differences.is_empty(),
        "{} examples differ from the spec beyond brief's documented rewrites:\n{}",
        differences.len(),
        differences.join("\n")
    );
    // Highlighting is expected exactly where the spec's code names a language brief knows.
    let highlighted: Vec<usize> = counts
        .iter()
        .filter(|(k, _)| k.contains("Highlight"))
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    assert_eq!(
        highlighted,
        HIGHLIGHTED.iter().map(|h| h.0).collect::<Vec<_>>(),
        "the examples brief highlights"
    );
    for (n, lang) in HIGHLIGHTED {
        let e = &examples[n - 1];
        // The fence's info string starts with the language.
        let info = e.markdown.lines().next().unwrap_or_default();
        let info = info.trim_start_matches(['`', '~', ' ']);
        assert_eq!(
            info.split_whitespace().next(),
            Some(lang),
            "example {n} is not code in {lang}: {:?}",
            e.markdown
        );
    }
    // Every difference by a relative link is a page whose spec links include a site path.
    for n in counts
        .iter()
        .filter(|(k, _)| k.contains("RelativeLinks"))
        .flat_map(|(_, v)| v)
    {
        let e = &examples[n - 1];
        assert!(
            e.html.contains("href=\"/") || e.html.contains("src=\"/"),
            "example {n} differs by a relative link but links to no site path"
        );
    }
}

#[test]
fn the_normalisation_reads_html_as_the_spec_does() {
    let n = |h: &str| normalize(&tokens(h));
    assert_eq!(
        n("<p>a &quot;b&quot; &amp; 'c'</p>\n<ul>\n<li>x</li>\n</ul>\n"),
        n("<p>a \"b\" &amp; &#39;c&#39;</p><ul><li>x</li></ul>")
    );
    assert_eq!(
        n("<a title=\"t\" href=\"/u\">x</a>"),
        n("<a href='/u' title=t>x</a>")
    );
    assert_ne!(n("<a href=\"/u\">x</a>"), n("<a href=\"/v\">x</a>"));
    assert_ne!(
        n("<pre><code>a  b</code></pre>"),
        n("<pre><code>a b</code></pre>")
    );
    assert_eq!(
        compare(
            "<p><a href=\"/url\">a</a></p>\n",
            "<p><a href=\"../url\">a</a></p>\n"
        ),
        Outcome::Rewritten([Rewrite::RelativeLinks].into())
    );
    assert_eq!(
        compare(
            "<p><a href=\"/\">a</a></p>\n",
            "<p><a href=\"../index.html\">a</a></p>\n"
        ),
        Outcome::Rewritten([Rewrite::RelativeLinks].into())
    );
    assert!(matches!(
        compare(
            "<p><a href=\"/url\">a</a></p>\n",
            "<p><a href=\"url\">a</a></p>\n"
        ),
        Outcome::Differs { .. }
    ));
    assert_eq!(
        compare(
            "<pre><code class=\"language-ruby\">def foo(x)\n</code></pre>\n",
            "<pre class=\"hl\"><code class=\"language-ruby\"><span class=\"hl-source hl-ruby\"><span class=\"hl-meta\">def</span> foo(x)\n</span></code></pre>\n"
        ),
        Outcome::Rewritten([Rewrite::Highlight].into())
    );
}

#[test]
fn link_targets_are_the_files_a_browser_asks_for() {
    let mut t = Targets::default();
    for url in [
        "/f%C3%B6%C3%B6",
        "my%20url",
        "foo%5Cbar",
        "\\*",
        "foo\\\nbar",
        "../up",
        "http://e.org/x",
        "MAILTO:a@b",
        "a+b+c:d",
        "//host/x",
        "#frag%20x",
        "/url?q=1#y",
        "",
    ] {
        add_target(&mut t, 7, url);
    }
    assert_eq!(
        t.files.into_iter().collect::<Vec<_>>(),
        [
            "*",
            "example-007/foo/bar",
            "example-007/foo\\bar",
            "example-007/my url",
            "föö",
            "up",
            "url"
        ]
    );
    assert_eq!(t.ids.into_iter().collect::<Vec<_>>(), ["frag x"]);
}
