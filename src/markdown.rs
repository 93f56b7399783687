//! Markdown with citations: finding the `[@…]` groups, and rendering to HTML.
//!
//! Citations are looked for only in the text of the Markdown (never in code spans or code
//! blocks), so both passes walk the same pulldown-cmark event stream: [`scan`] (during
//! resolving) finds the groups in order, and [`render`] (during rendering) meets them again in
//! the same order and swaps each for the footnote marks the page gives it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::citation::{self, CiteGroup, SyntaxError};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The events of `text` with their ranges, each soft line break turned into the newline it
/// stands for and merged with the text around it, so that a citation may be wrapped over
/// several lines. (A soft break is written as a newline either way.)
fn text_events(text: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    let events = Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::SoftBreak => (Event::Text(CowStr::Borrowed("\n")), range),
            event => (event, range),
        });
    TextMergeWithOffset::new(events)
}

/// The citation groups of a Markdown text, with ranges into the text, and syntax errors.
pub fn scan(text: &str) -> (Vec<CiteGroup>, Vec<SyntaxError>) {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    let mut in_code = false;
    // The text events are merged here rather than by `TextMergeWithOffset`, as it does,
    // keeping where each piece stands in the Markdown, so that a range of the merged text
    // maps back exactly (see [`Shift`]).
    let mut events = Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::SoftBreak => (Event::Text(CowStr::Borrowed("\n")), range),
            event => (event, range),
        })
        .peekable();
    while let Some((event, mut range)) = events.next() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(first) if !in_code => {
                let mut t = first.into_string();
                let mut pieces = vec![(0, range.clone())];
                while let Some((Event::Text(more), r)) =
                    events.next_if(|(e, _)| matches!(e, Event::Text(_)))
                {
                    pieces.push((t.len(), r.clone()));
                    t.push_str(&more);
                    range.end = r.end;
                }
                let (gs, mut es) = citation::parse(&t);
                // A citation that runs into markup (`<b>`, `*`, a code span) reads as
                // unclosed to the parser, which sees the text around the markup apart.
                if let (Some(e), Some(markup)) =
                    (es.last_mut(), events.peek().and_then(|(e, _)| markup(e)))
                    && e.range.end == t.trim_end().len()
                {
                    e.message = format!("a citation cannot hold {markup}");
                    e.help = "quote the source's words as plain text: [@src-id \"quote\"]".into();
                }
                let shift = Shift::new(text, &range, &t, pieces);
                for mut g in gs {
                    g.range = shift.map(g.range.clone());
                    for c in &mut g.cites {
                        c.source_range = shift.map(c.source_range.clone());
                        c.quote_range = c.quote_range.clone().map(|r| shift.map(r));
                        c.translation_range = c.translation_range.clone().map(|r| shift.map(r));
                        if let Some(t) = &mut c.translation
                            && let Cow::Owned(one_line) = crate::text::collapse_white_space(t)
                        {
                            *t = one_line;
                        }
                        // A quote wrapped over lines reads with a space where it wraps.
                        if let Some(q) = &mut c.quote
                            && let Cow::Owned(one_line) = crate::text::collapse_white_space(q)
                        {
                            *q = one_line;
                        }
                    }
                    groups.push(g);
                }
                for mut e in es {
                    e.range = shift.map(e.range.clone());
                    errors.push(e);
                }
            }
            _ => {}
        }
    }
    (groups, errors)
}

/// The numeric character references of a Markdown text that stand for a control character
/// (`&#27;`, `&#x1B;`; see [`crate::control`]): the byte range of each and its character.
/// Only those the Markdown parser decodes count (in text, link targets and titles); one in
/// a code span or block is shown as it is written.
pub fn control_references(text: &str) -> Vec<(Range<usize>, char)> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let decoded = match &event {
            Event::Text(t) => crate::control::find(t).is_some(),
            Event::Start(Tag::Link {
                dest_url, title, ..
            })
            | Event::Start(Tag::Image {
                dest_url, title, ..
            }) => crate::control::find(dest_url)
                .or_else(|| crate::control::find(title))
                .is_some(),
            _ => false,
        };
        if decoded {
            let raw = text.get(range.clone()).unwrap_or("");
            for (at, len, c) in numeric_references(raw) {
                if crate::control::is_forbidden(c) {
                    let start = range.start + at;
                    found.push((start..start + len, c));
                }
            }
        }
    }
    // A link's references are met again in its text's events.
    found.sort_by_key(|(r, _)| r.start);
    found.dedup_by_key(|(r, _)| r.start);
    found
}

/// The numeric character references of `raw` as CommonMark reads them (up to 7 decimal or
/// 6 hex digits; zero and what is not a character stand for U+FFFD): offset, length and
/// character of each.
fn numeric_references(raw: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
    memchr::memmem::find_iter(raw.as_bytes(), b"&#").filter_map(move |at| {
        let rest = &raw[at + 2..];
        let (hex, digits_at) = match rest.as_bytes().first() {
            Some(b'x' | b'X') => (true, 1),
            _ => (false, 0),
        };
        let digits = &rest[digits_at..];
        let len = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if len == 0 || len > if hex { 6 } else { 7 } || !digits[len..].starts_with(';') {
            return None;
        }
        let n = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok()?;
        let c = match n {
            0 => '\u{fffd}',
            n => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        Some((at, 2 + digits_at + len + 1, c))
    })
}

/// What inline markup `event` starts, in words for an error, if it does.
fn markup(event: &Event<'_>) -> Option<String> {
    Some(match event {
        Event::InlineHtml(h) | Event::Html(h) => format!("HTML (`{}`)", h.trim()),
        Event::Code(_) => "a code span".into(),
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => "emphasis".into(),
        Event::Start(Tag::Link { .. }) => "a link".into(),
        Event::Start(Tag::Image { .. }) => "an image".into(),
        Event::HardBreak => "a hard line break".into(),
        _ => return None,
    })
}

/// Maps ranges of a merged text event's text (with escapes and entities resolved) back to
/// the Markdown.
struct Shift {
    /// Where the event stands in the Markdown.
    start: usize,
    /// Whether the event's text is its Markdown as written (most are), so that a range maps
    /// by an offset. Compared once per event: comparing for each citation of a text with
    /// fifty thousand of them was quadratic.
    verbatim: bool,
    /// Otherwise, the pieces the event was merged from: where each starts in the event's
    /// text, its range in the Markdown, and whether it is written as it reads.
    pieces: Vec<(usize, Range<usize>, bool)>,
}

impl Shift {
    fn new(
        text: &str,
        event_range: &Range<usize>,
        event_text: &str,
        pieces: Vec<(usize, Range<usize>)>,
    ) -> Shift {
        let raw = text.get(event_range.clone()).unwrap_or("");
        let verbatim = raw == event_text;
        let mut mapped = Vec::new();
        if !verbatim {
            for (k, (at, r)) in pieces.iter().enumerate() {
                let end = pieces.get(k + 1).map_or(event_text.len(), |p| p.0);
                let as_written = text.get(r.clone()) == event_text.get(*at..end);
                mapped.push((*at, r.clone(), as_written));
            }
        }
        Shift {
            start: event_range.start,
            verbatim,
            pieces: mapped,
        }
    }

    /// The range in the Markdown of `r`, a range of the event's text: each end moved by
    /// the offset of the piece it falls in when that piece is written as it reads, else to
    /// that piece's start (or end), as an entity or escape reads shorter than it is written.
    fn map(&self, r: Range<usize>) -> Range<usize> {
        if self.verbatim {
            return self.start + r.start..self.start + r.end;
        }
        let place = |at: usize, is_end: bool| {
            // The piece holding the byte at `at`, or for an end the byte before it.
            let byte = if is_end { at.saturating_sub(1) } else { at };
            let k = self
                .pieces
                .partition_point(|(off, ..)| *off <= byte)
                .saturating_sub(1);
            match self.pieces.get(k) {
                Some((off, raw, true)) => (raw.start + at.saturating_sub(*off)).min(raw.end),
                Some((_, raw, false)) if is_end => raw.end,
                Some((_, raw, false)) => raw.start,
                None => self.start,
            }
        };
        let start = place(r.start, false);
        start..place(r.end, true).max(start)
    }
}

/// How to render one Markdown text on a page.
pub struct RenderOptions<'a> {
    /// Relative path from the page to the site root (`../../`), for site-absolute links.
    pub root: &'a str,
    /// Let raw HTML through instead of escaping it.
    pub allow_html: bool,
    /// Site folders (`people/x/`) that a public build left out: a link written to one
    /// becomes its text (see [`crate::audience`]). `None`: every link stays.
    pub unlinked: Option<&'a std::collections::HashSet<String>>,
}

/// The site folder a site-absolute link leads to (`/people/x/#claim-a` → `people/x/`), to
/// compare with [`RenderOptions::unlinked`]; `None` for any other link.
fn site_folder(dest: &str) -> Option<String> {
    let path = dest.strip_prefix('/')?;
    let path = path.split(['#', '?']).next().unwrap_or("");
    let path = path.strip_suffix("index.html").unwrap_or(path);
    Some(if path.is_empty() || path.ends_with('/') {
        path.to_string()
    } else {
        [path, "/"].concat()
    })
}

/// Renders Markdown to HTML, replacing the n-th citation group with `marks(n)`.
pub fn render(
    text: &str,
    opts: &RenderOptions<'_>,
    marks: &mut dyn FnMut(usize) -> String,
) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut group_index = 0;
    let mut code: Option<(String, String)> = None; // (language, text) of a code block being read
    // For each link open: whether it was dropped (its text stays), so that its end goes too.
    let mut links: Vec<bool> = Vec::new();
    for (event, _) in text_events(text) {
        if let Some((lang, body)) = code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(highlight(lang, body).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) => {
                let (groups, _) = citation::parse(&t);
                if groups.is_empty() {
                    events.push(Event::Text(t));
                    continue;
                }
                let mut at = 0;
                for g in groups {
                    // A mark hugs the word it follows: "Istanbul [@a]." reads "Istanbul¹.",
                    // and so does "Istanbul\n[@a]." (the line break is in the text).
                    let before = t[at..g.range.start].trim_end_matches([' ', '\t', '\n']);
                    if !before.is_empty() {
                        events.push(Event::Text(CowStr::from(before.to_string())));
                    }
                    events.push(Event::InlineHtml(marks(group_index).into()));
                    group_index += 1;
                    at = g.range.end;
                }
                if at < t.len() {
                    events.push(Event::Text(CowStr::from(t[at..].to_string())));
                }
            }
            // Raw HTML is shown as text, escaped quotes and all, so that nothing of it reads
            // as markup or as an attribute (`href="…"`) to anything that scans the page.
            Event::Html(h) if !opts.allow_html => events.push(Event::Html(escape_html(&h).into())),
            Event::InlineHtml(h) if !opts.allow_html => {
                events.push(Event::InlineHtml(escape_html(&h).into()))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dropped = opts.unlinked.is_some_and(|u| {
                    site_folder(&dest_url).is_some_and(|f| !f.is_empty() && u.contains(&f))
                });
                links.push(dropped);
                if !dropped {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: rewrite_url(dest_url, opts.root),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop() != Some(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite_url(dest_url, opts.root),
                title,
                id,
            })),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Renders Markdown that holds a single paragraph without the `<p>` around it (claim texts,
/// positions), so it can stand inline in a list item.
pub fn render_inline(
    text: &str,
    opts: &RenderOptions<'_>,
    marks: &mut dyn FnMut(usize) -> String,
) -> String {
    let html = render(text, opts, marks);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// The schemes of URLs that run a script where they are followed: a Markdown link to one is
/// made `#` ([`rewrite_url`]), and the link check refuses one in raw HTML or a template.
pub(crate) const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// Site-absolute links (`/negotiators/x/`) become relative to the page, folders get their
/// `index.html` (so the site works from `file://`), and script URLs are neutralised.
fn rewrite_url<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    // As browsers read a URL: tabs and newlines anywhere, and leading control chars and
    // spaces, do not count (`java&#9;script:` is `javascript:` to them).
    let lower: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ' || c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if SCRIPT_SCHEMES
        .iter()
        .any(|s| lower.strip_prefix(s).is_some_and(|r| r.starts_with(':')))
    {
        return CowStr::from("#");
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return CowStr::from(site_link(root, &url[1..]));
    }
    url
}

/// A link from a page (whose way to the root is `root`) to a site path such as
/// `sources/x/` or `sources/x/#q-1`: relative, with `index.html` for folders.
pub fn site_link(root: &str, path: &str) -> String {
    let (path, fragment) = path.split_at(path.find('#').unwrap_or(path.len()));
    let file = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    // Not `format!`: a large briefing makes millions of links, and `concat` copies once.
    [root, path, file, fragment].concat()
}

/// Highlights a fenced code block with CSS classes (`hl-…`); unknown languages stay plain.
fn highlight(lang: &str, code: &str) -> String {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    let escaped = |s: &str| escape_html(s);
    if lang.is_empty() {
        return format!("<pre><code>{}</code></pre>\n", escaped(code));
    }
    let set = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return format!(
            "<pre><code class=\"language-{}\">{}</code></pre>\n",
            escaped(lang),
            escaped(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre><code>{}</code></pre>\n", escaped(code));
        }
    }
    format!(
        "<pre class=\"hl\"><code class=\"language-{}\">{}</code></pre>\n",
        escaped(lang),
        generator.finalize()
    )
}

/// The CSS for highlighted code: a light theme, and a dark one under `prefers-color-scheme`.
pub fn highlight_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::{ClassStyle, css_for_theme_with_class_style};
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, style).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, style).ok())
        .unwrap_or_default();
    format!(
        "/* Code highlighting (generated by syntect) */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

/// Markdown as plain text: its words without markup (a link is its text, an image its alt
/// text, a code span its code, raw HTML as written), its citations (`[@id "quote"]`) dropped, blocks separated by a
/// space and white space collapsed. For what is not HTML: a claim's slug, the body of an
/// exported annotation, a reference to cite.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(md, options()) {
        match event {
            // Raw HTML is text: pages show it escaped unless site.toml allows HTML.
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    without_citations(&out)
}

/// Plain text with its citations (`[@id "quote"]`) dropped and white space collapsed (a
/// space before `.` or `,` left by a dropped citation goes too).
pub fn without_citations(text: &str) -> String {
    let (groups, _) = citation::parse(text);
    let mut clean = String::with_capacity(text.len());
    let mut at = 0;
    for g in groups {
        clean.push_str(&text[at..g.range.start]);
        at = g.range.end;
    }
    clean.push_str(&text[at..]);
    crate::text::collapse_white_space(&clean)
        .replace(" .", ".")
        .replace(" ,", ",")
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped for HTML (content and attributes, quoted either way).
pub fn escape_into(out: &mut String, s: &str) {
    escape_runs(s, |run| out.push_str(run));
}

/// The same escape for Tera (`Tera::set_escape_fn`): its own writes a byte at a time, and
/// templates print tens of megabytes of text on a large briefing.
pub fn escape_html_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_runs(s, |run| {
        if result.is_ok() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Hands `s` to `put` in runs: text that needs no escape, and entities between.
fn escape_runs(s: &str, mut put: impl FnMut(&str)) {
    let bytes = s.as_bytes();
    // The next of `&<>` and the next of `"'`, found by memchr's vector scans: a large
    // briefing escapes tens of megabytes of source text, most of it with long runs that
    // need nothing. Each scan starts where the last one it found was, so no byte is
    // scanned more than twice.
    let markup = |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|i| from + i);
    let quotes = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|i| from + i);
    let (mut next_markup, mut next_quote) = (markup(0), quotes(0));
    let mut start = 0;
    loop {
        let i = match (next_markup, next_quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        // The escaped bytes are ASCII, so `i` is a character boundary.
        if start < i {
            put(&s[start..i]);
        }
        put(entity);
        start = i + 1;
        if next_markup == Some(i) {
            next_markup = markup(start);
        } else {
            next_quote = quotes(start);
        }
    }
    put(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty thousand unclosed citations in one paragraph: each error is mapped back to the
    /// Markdown once (comparing the whole paragraph for each was quadratic), and where an
    /// entity makes the text differ from the Markdown, each to its own place rather than all
    /// to the first alike.
    #[test]
    fn many_unclosed_citations_map_back_in_linear_time() {
        for entity in ["", "&amp; "] {
            let text: String = (0..20_000)
                .map(|i| format!("{entity}Note {i} [@alpha \"the talks went on\n"))
                .collect();
            let start = std::time::Instant::now();
            let (_, errors) = scan(&text);
            assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
            assert_eq!(errors.len(), 20_000);
            let mut last = None;
            for e in &errors {
                assert!(text[e.range.clone()].starts_with("\"the talks went on"));
                assert!(
                    last < Some(e.range.start),
                    "errors out of order or at one place"
                );
                last = Some(e.range.start);
            }
        }
    }

    fn opts() -> RenderOptions<'static> {
        RenderOptions {
            root: "../../",
            allow_html: false,
            unlinked: None,
        }
    }

    #[test]
    fn a_link_to_a_page_left_out_is_its_text() {
        assert_eq!(
            site_folder("/people/x/#claim-a").as_deref(),
            Some("people/x/")
        );
        assert_eq!(site_folder("/x/index.html").as_deref(), Some("x/"));
        assert_eq!(site_folder("/x").as_deref(), Some("x/"));
        assert_eq!(site_folder("https://example.org/x/"), None);
        let unlinked: std::collections::HashSet<String> = ["people/x/".to_string()].into();
        let opts = RenderOptions {
            root: "../",
            allow_html: false,
            unlinked: Some(&unlinked),
        };
        let html = render(
            "See [*X*](/people/x/) and [Y](/people/y/).",
            &opts,
            &mut |_| String::new(),
        );
        assert_eq!(
            html,
            "<p>See <em>X</em> and <a href=\"../people/y/index.html\">Y</a>.</p>\n"
        );
    }

    #[test]
    fn character_references_to_control_characters_are_found() {
        let text = "a &#27;[1m b &#x9B; c &#65; &#0; `&#27;` [x](https://a.org/&#127; \"&#7;\")\n\n    &#27;\n";
        let found: Vec<(&str, char)> = control_references(text)
            .into_iter()
            .map(|(r, c)| (&text[r], c))
            .collect();
        assert_eq!(
            found,
            [
                ("&#27;", '\u{1b}'),
                ("&#x9B;", '\u{9b}'),
                ("&#127;", '\u{7f}'),
                ("&#7;", '\u{7}')
            ]
        );
        assert!(control_references("&#65; &#xFFFD; &amp; &#27").is_empty());
    }

    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        let text = "Çırağan <b> & \"q\" 'a' — ok";
        let want = "Çırağan &lt;b&gt; &amp; &quot;q&quot; &#39;a&#39; — ok";
        assert_eq!(escape_html(text), want);
        let mut tera_out = Vec::new();
        escape_html_to(text, &mut tera_out).unwrap();
        assert_eq!(String::from_utf8(tera_out).unwrap(), want);
        assert_eq!(escape_html("&&"), "&amp;&amp;");
        assert_eq!(escape_html(""), "");
    }

    proptest::proptest! {
        /// The vector scans find what a byte-by-byte escape would, wherever the five are.
        #[test]
        fn escaping_matches_a_char_by_char_escape(s in "[a&<>\"' é—\n]{0,40}") {
            let mut want = String::new();
            for c in s.chars() {
                match c {
                    '&' => want.push_str("&amp;"),
                    '<' => want.push_str("&lt;"),
                    '>' => want.push_str("&gt;"),
                    '"' => want.push_str("&quot;"),
                    '\'' => want.push_str("&#39;"),
                    c => want.push(c),
                }
            }
            proptest::prop_assert_eq!(escape_html(&s), want);
        }
    }

    #[test]
    fn scan_finds_groups_outside_code_with_positions() {
        let text =
            "Intro [@a \"one\"] and `[@b \"no\"]`\n\n```\n[@c]\n```\n\nEnd [@d; @e \"x\"].\n";
        let (groups, errors) = scan(text);
        assert!(errors.is_empty());
        let found: Vec<&str> = groups.iter().map(|g| &text[g.range.clone()]).collect();
        assert_eq!(found, ["[@a \"one\"]", "[@d; @e \"x\"]"]);
        assert_eq!(&text[groups[1].cites[1].source_range.clone()], "e");
    }

    #[test]
    fn a_citation_may_be_wrapped_over_lines() {
        // As an editor that wraps Markdown leaves it: the quote and the group over two lines.
        let text = "Talks [@a \"meet at the\n  palace on Monday\"; @b\n\"x\"] went on\nand on.";
        let (groups, errors) = scan(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(groups.len(), 1);
        let quote = groups[0].cites[0].quote.as_deref();
        assert_eq!(quote, Some("meet at the palace on Monday"));
        let where_b = &text[groups[0].cites[1].source_range.clone()];
        assert_eq!(where_b, "b");
        let html = render(text, &opts(), &mut |i| format!("<sup>{i}</sup>"));
        assert_eq!(html, "<p>Talks<sup>0</sup> went on\nand on.</p>\n");
    }

    #[test]
    fn markup_inside_a_citation_is_named() {
        for (text, what) in [
            ("A [@a \"meet <b>at</b> the\"].", "HTML (`<b>`)"),
            ("A [@a \"meet *at* the\"].", "emphasis"),
            ("A [@a \"meet `at` the\"].", "a code span"),
        ] {
            let (groups, errors) = scan(text);
            assert!(groups.is_empty(), "{text}");
            assert_eq!(errors.len(), 1, "{text}: {errors:?}");
            assert_eq!(errors[0].message, format!("a citation cannot hold {what}"));
            assert_eq!(&text[errors[0].range.clone()], "\"meet", "{text}");
        }
        // A quote left open is still told as such.
        let (_, errors) = scan("A [@a \"meet at the].\n\nNext.");
        assert_eq!(errors[0].message, "quote is missing its closing `\"`");
    }

    proptest::proptest! {
        /// The resolver numbers what `scan` finds and the page swaps what `render` meets:
        /// they must agree, whatever the markup, line breaks and code around the citations.
        #[test]
        fn scan_and_render_meet_the_same_groups(
            text in r#"([a "\n*_`<>;@\[\]]|\[@a\]|\[@a "q r"\]|\[@b "q\n  r"\]|\n\n|```\n|<b>){0,40}"#
        ) {
            let (groups, _) = scan(&text);
            let mut met = 0;
            render(&text, &opts(), &mut |_| { met += 1; String::new() });
            proptest::prop_assert_eq!(met, groups.len());
            for g in &groups {
                proptest::prop_assert!(text.get(g.range.clone()).is_some());
            }
        }
    }

    #[test]
    fn render_swaps_groups_for_marks_in_order() {
        let mut n = 0;
        let html = render("A [@a \"x\"] b [@b].", &opts(), &mut |i| {
            n += 1;
            format!("<sup>{i}</sup>")
        });
        assert_eq!(html, "<p>A<sup>0</sup> b<sup>1</sup>.</p>\n");
        assert_eq!(n, 2);
        // Also across a line break in the Markdown.
        let html = render("in Istanbul\n[@a \"x\"]. Next", &opts(), &mut |i| {
            format!("<sup>{i}</sup>")
        });
        assert_eq!(html, "<p>in Istanbul<sup>0</sup>. Next</p>\n");
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let html = render(
            "<script>alert(1)</script>\n\nx <b>y</b>",
            &opts(),
            &mut |_| String::new(),
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let html = render(
            "a <a href=\"javascript:x\" onclick='y'>b</a>\n\n<div id=\"z\">\n\nc</div>",
            &opts(),
            &mut |_| String::new(),
        );
        assert!(
            !html.contains("href=\"") && !html.contains("id=\""),
            "{html}"
        );
        assert!(
            html.contains("&lt;a href=&quot;javascript:x&quot; onclick=&#39;y&#39;&gt;"),
            "{html}"
        );
        let html = render(
            "x <b>y</b>",
            &RenderOptions {
                root: "",
                allow_html: true,
                unlinked: None,
            },
            &mut |_| String::new(),
        );
        assert!(html.contains("<b>y</b>"));
    }

    #[test]
    fn links_are_made_relative_and_scripts_neutralised() {
        let html = render(
            "[a](/sources/x/#q-1) [b](javascript:alert(1)) [c](https://e.org/)",
            &opts(),
            &mut |_| String::new(),
        );
        assert!(
            html.contains("href=\"../../sources/x/index.html#q-1\""),
            "{html}"
        );
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(html.contains("href=\"https://e.org/\""));
        // What browsers would still read as a script URL: tabs inside, controls before.
        for link in [
            "[a](java&#9;script:alert(1))",
            "[a](<java\tscript:alert(1)>)",
            "[a](&#1;javascript:alert(1))",
            "[a](JaVaScRiPt&colon;alert(1))",
            "[a](&#x20;vbscript:x)",
            "[a][r]\n\n[r]: DATA:text/html,x",
        ] {
            let html = render(link, &opts(), &mut |_| String::new());
            assert!(html.contains("href=\"#\""), "{link}: {html}");
        }
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let html = render("```rust\nfn main() {}\n```\n", &opts(), &mut |_| {
            String::new()
        });
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(highlight_css().contains(".hl-"));
    }

    #[test]
    fn inline_render_drops_the_paragraph() {
        assert_eq!(
            render_inline("Led *talks*.", &opts(), &mut |_| String::new()),
            "Led <em>talks</em>."
        );
    }
}
