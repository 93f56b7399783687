//! The start tags of a page and their `id`, `href` and `src` attributes, read as a browser's
//! tokenizer reads them (the HTML standard, §13.2.5), reduced to what the link check needs.
//!
//! Text is never read as markup: a sentence or a code span that holds `href="/x/"` is text
//! (in our own HTML its `<` is escaped; in raw HTML a briefing lets through it may not be).
//! Comments, `<!…>` and `<?…>` are skipped, and so are the contents of the elements whose text
//! is not HTML (`<script>`, `<style>`, `<textarea>`, `<title>`, …): a `<a href>` inside them is
//! no link. Attribute values have their character references decoded, as a browser decodes
//! them before it follows the link.
//!
//! Not read as a browser would: foreign content (a `<style>` inside `<svg>` is HTML there,
//! and `<![CDATA[…]]>` text), and the legacy character references written without a `;`.
//! Neither is written by brief or by pulldown-cmark.

use std::borrow::Cow;

/// An attribute whose values [`Tags::read`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Id,
    Href,
    Src,
}

/// Where the tokenizer stands between two stretches of a page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    /// Among text and tags.
    #[default]
    Data,
    /// Inside a comment, up to its `-->`.
    Comment,
    /// Inside an element whose text is not HTML, up to its end tag (the name, lower-case).
    RawText(&'static str),
    /// After `<plaintext>`: the rest of the page is text.
    Plaintext,
}

/// The elements whose contents are text up to their end tag (raw text and escapable raw
/// text, in the standard's words). `<noscript>` is not among them: without scripting it is
/// HTML, and its links are checked.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// What the tokenizer found at a `<`.
enum Step {
    /// Markup (or a `<` that is text) read up to this offset.
    Read(usize),
    /// Markup that the stretch ends inside of.
    Unfinished,
}

/// A tokenizer that reads a page in stretches (see [`Tags::read`]).
#[derive(Default)]
pub struct Tags {
    state: State,
}

/// The attributes of one start tag that count, with their values as written.
#[derive(Default)]
struct TagAttrs<'h> {
    id: Option<&'h str>,
    href: Option<&'h str>,
    src: Option<&'h str>,
}

impl Tags {
    /// Reads `html` on from where the last stretch ended, and calls `found` with each `id`,
    /// `href` and `src` attribute of each start tag that has a value, in the order they
    /// stand, with its value decoded. Returns how many bytes of `html` it read: all but an unfinished tag (or the
    /// few bytes that may begin the end of a comment or of a `<script>`) at its end, which are
    /// to be given again followed by what comes next. When `last` (the end of the page),
    /// everything is read, and an unfinished tag is dropped, as browsers drop it.
    pub fn read<'h>(
        &mut self,
        html: &'h str,
        last: bool,
        found: &mut dyn FnMut(Attr, Cow<'h, str>),
    ) -> usize {
        let bytes = html.as_bytes();
        let mut at = 0;
        loop {
            match self.state {
                State::Plaintext => return bytes.len(),
                State::Comment => match comment_end(bytes, at) {
                    Some(end) => {
                        at = end;
                        self.state = State::Data;
                    }
                    // `--!>` is the longest end: keep what may begin one.
                    None => return keep_tail(html, at, 3, last),
                },
                State::RawText(name) => match raw_text_end(bytes, at, name) {
                    RawEnd::At(end) => {
                        at = end;
                        self.state = State::Data;
                    }
                    RawEnd::Unfinished(_) if last => return bytes.len(),
                    RawEnd::Unfinished(lt) => return lt,
                    // `</name` and the byte after it may begin the end.
                    RawEnd::NotYet => return keep_tail(html, at, name.len() + 3, last),
                },
                State::Data => {
                    let Some(lt) = memchr::memchr(b'<', &bytes[at..]) else {
                        return bytes.len();
                    };
                    let lt = at + lt;
                    match self.markup(bytes, lt, found) {
                        Step::Read(next) => at = next,
                        Step::Unfinished if last => return bytes.len(),
                        Step::Unfinished => return lt,
                    }
                }
            }
        }
    }

    /// Reads the markup at the `<` at `lt`.
    fn markup<'h>(
        &mut self,
        bytes: &'h [u8],
        lt: usize,
        found: &mut dyn FnMut(Attr, Cow<'h, str>),
    ) -> Step {
        // A bogus comment (`<!…>`, `<?…>`, `</…>` that is no end tag) ends at the next `>`.
        let bogus = || match memchr::memchr(b'>', &bytes[lt..]) {
            Some(gt) => Step::Read(lt + gt + 1),
            None => Step::Unfinished,
        };
        match &bytes[lt + 1..] {
            // Not yet known to be a comment, or the empty comments `<!-->` and `<!--->`.
            [] | [b'!'] | [b'!', b'-'] | [b'!', b'-', b'-'] | [b'!', b'-', b'-', b'-'] => {
                Step::Unfinished
            }
            [b'!', b'-', b'-', b'>', ..] => Step::Read(lt + 5),
            [b'!', b'-', b'-', b'-', b'>', ..] => Step::Read(lt + 6),
            [b'!', b'-', b'-', ..] => {
                self.state = State::Comment;
                Step::Read(lt + 4)
            }
            [b'!' | b'?', ..] => bogus(),
            [b'/'] => Step::Unfinished,
            [b'/', b'>', ..] => Step::Read(lt + 3),
            // An end tag is read as a start tag is, and its attributes dropped.
            [b'/', c, ..] if c.is_ascii_alphabetic() => match tag(bytes, lt + 2) {
                Some((_, _, end)) => Step::Read(end),
                None => Step::Unfinished,
            },
            [b'/', ..] => bogus(),
            [c, ..] if c.is_ascii_alphabetic() => {
                let Some((name, attrs, end)) = tag(bytes, lt + 1) else {
                    return Step::Unfinished;
                };
                for (attr, value) in [
                    (Attr::Id, attrs.id),
                    (Attr::Href, attrs.href),
                    (Attr::Src, attrs.src),
                ] {
                    if let Some(value) = value {
                        found(attr, decode_references(value));
                    }
                }
                if name.eq_ignore_ascii_case("plaintext") {
                    self.state = State::Plaintext;
                } else if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
                    self.state = State::RawText(raw);
                }
                Step::Read(end)
            }
            // `<` before anything else is text.
            _ => Step::Read(lt + 1),
        }
    }
}

/// White space as the tokenizer knows it.
fn is_space(b: u8) -> bool {
    CLASS[b as usize] & SPACE != 0
}

/// The bytes that end a part of a tag, by class: a table, as a tag is read a byte at a time
/// and a large briefing has millions of tags.
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[0x0c] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b' ' as usize] = SPACE;
    t[b'/' as usize] = SLASH;
    t[b'>' as usize] = GT;
    t[b'=' as usize] = EQ;
    t
};

/// The offset of the first byte from `from` whose class is in `classes` (or, with `not`,
/// is not); `None` when there is none.
fn find_class(bytes: &[u8], from: usize, classes: u8, not: bool) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| (CLASS[b as usize] & classes != 0) != not)
        .map(|at| from + at)
}

/// The tag whose name starts at `start`: its name, the attributes that count, and the offset
/// after its `>`; `None` when the bytes end first. The first of two attributes of one name
/// is the one that counts, as in a browser.
///
/// Only attributes with a value can count (an `id`, `href` or `src` without one names
/// nothing), and a quote starts a value only after a `=`: so the tag is read from one `=` or
/// `>` to the next, with memchr, and each name is found back from its `=`. A large briefing
/// has millions of tags.
fn tag(bytes: &[u8], start: usize) -> Option<(&str, TagAttrs<'_>, usize)> {
    // The bytes read are ASCII wherever a slice starts or ends, so each slice is UTF-8.
    let text = |r: std::ops::Range<usize>| std::str::from_utf8(&bytes[r]).unwrap_or_default();
    let mut at = find_class(bytes, start, SPACE | SLASH | GT, false)?;
    let name = text(start..at);
    let mut attrs = TagAttrs::default();
    // Where the next attribute's name may start: after the tag's name or the last value.
    let mut names_from = at;
    loop {
        let stop = at + memchr::memchr2(b'=', b'>', &bytes[at..])?;
        if bytes[stop] == b'>' {
            return Some((name, attrs, stop + 1));
        }
        // The name ends before the white space before the `=`, and starts after white space
        // or a `/`. A `=` with no name before it begins one (`<a =x=1>`), which runs to the
        // next `=`.
        let before = &bytes[names_from..stop];
        let name_end = names_from
            + before
                .iter()
                .rposition(|&b| !is_space(b))
                .map_or(0, |i| i + 1);
        let name_start = names_from
            + bytes[names_from..name_end]
                .iter()
                .rposition(|&b| CLASS[b as usize] & (SPACE | SLASH) != 0)
                .map_or(0, |i| i + 1);
        if name_start == name_end {
            at = stop + 1;
            continue;
        }
        let attr_name = &bytes[name_start..name_end];
        at = find_class(bytes, stop + 1, SPACE, true)?;
        let value = match bytes[at] {
            quote @ (b'"' | b'\'') => {
                let from = at + 1;
                let end = from + memchr::memchr(quote, &bytes[from..])?;
                at = end + 1;
                from..end
            }
            // `href=>`: an empty value, and the tag ends.
            b'>' => at..at,
            _ => {
                let end = find_class(bytes, at, SPACE | GT, false)?;
                let value = at..end;
                at = end;
                value
            }
        };
        names_from = at;
        let slot = match attr_name.len() {
            2 if attr_name.eq_ignore_ascii_case(b"id") => &mut attrs.id,
            3 if attr_name.eq_ignore_ascii_case(b"src") => &mut attrs.src,
            4 if attr_name.eq_ignore_ascii_case(b"href") => &mut attrs.href,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(text(value));
        }
    }
}

/// The offset after the end of the comment that `bytes[from..]` is inside of (`-->`, or
/// `--!>`, which browsers take for one too).
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let dashes = at + memchr::memmem::find(&bytes[at..], b"--")?;
        match &bytes[dashes + 2..] {
            [b'>', ..] => return Some(dashes + 3),
            [b'!', b'>', ..] => return Some(dashes + 4),
            _ => at = dashes + 1,
        }
    }
}

/// Where the raw text of an element ends (see [`raw_text_end`]).
enum RawEnd {
    /// After its end tag, here.
    At(usize),
    /// In an end tag that the stretch ends inside of, which starts here.
    Unfinished(usize),
    /// Not in this stretch.
    NotYet,
}

/// Where the raw text from `from` ends: after the end tag `</name>` (any case; `</name `
/// and `</name/` too, read to its `>`).
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> RawEnd {
    let mut at = from;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"</") {
        let lt = at + found;
        let after = lt + 2 + name.len();
        let named = bytes
            .get(lt + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        match bytes.get(after) {
            Some(&b) if named && (is_space(b) || b == b'/' || b == b'>') => {
                return match tag(bytes, lt + 2) {
                    Some((_, _, end)) => RawEnd::At(end),
                    None => RawEnd::Unfinished(lt),
                };
            }
            _ => at = lt + 1,
        }
    }
    RawEnd::NotYet
}

/// What [`Tags::read`] returns for a stretch that ends in a comment or raw text: all of it
/// but its last `keep` bytes (which may begin the end), cut at a character boundary.
fn keep_tail(html: &str, at: usize, keep: usize, last: bool) -> usize {
    if last {
        return html.len();
    }
    let mut cut = html.len().saturating_sub(keep).max(at);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// An attribute value with its character references decoded: `&amp;` is `&`, `&#x27;` and
/// `&#39;` are `'`, `&ouml;` is `ö`. Named references are looked up in the table of
/// pulldown-cmark, which is the HTML standard's; one it does not know stays as written.
pub fn decode_references(value: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', value.as_bytes()) else {
        return Cow::Borrowed(value);
    };
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..first]);
    let mut rest = &value[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((len, decoded)) => {
                out.push_str(&decoded);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference at the start of `s` (which starts with `&`): its length and what
/// it stands for.
fn reference(s: &str) -> Option<(usize, Cow<'static, str>)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (hex, digits) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (true, &num[1..]),
            _ => (false, num),
        };
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
        if len == 0 {
            return None;
        }
        // Too many digits for a character is U+FFFD, as zero and surrogates are.
        let n = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 })
            .ok()
            .filter(|_| len <= 8)
            .unwrap_or(0);
        let c = char::from_u32(n)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let semi = usize::from(digits[len..].starts_with(';'));
        let written = 2 + usize::from(hex) + len + semi;
        return Some((written, Cow::Owned(c.to_string())));
    }
    let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if len == 0 || !body[len..].starts_with(';') {
        return None;
    }
    let name = &body[..len];
    let decoded: Cow<'static, str> = match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            // pulldown-cmark reads `&name;` alone as a paragraph holding the character.
            let written = &s[..len + 2];
            let text: String = pulldown_cmark::Parser::new(written)
                .filter_map(|e| match e {
                    pulldown_cmark::Event::Text(t) => Some(t.into_string()),
                    _ => None,
                })
                .collect();
            if text == written {
                return None;
            }
            text.into()
        }
    };
    Some((len + 2, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attributes `Tags` reports for `html` read whole.
    fn attrs(html: &str) -> Vec<(Attr, String)> {
        let mut out = Vec::new();
        Tags::default().read(html, true, &mut |a, v| out.push((a, v.into_owned())));
        out
    }

    fn hrefs(html: &str) -> Vec<String> {
        attrs(html)
            .into_iter()
            .filter(|(a, _)| *a == Attr::Href)
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn text_is_not_read_as_attributes() {
        // As pulldown-cmark writes them: text escapes `<` but not `"`, a code span too.
        let html = r#"<p>see href="/x/" and <code>&lt;a href="/y/"&gt;</code> id="findings"</p>"#;
        assert_eq!(attrs(html), []);
        assert_eq!(attrs("a < b href=\"x\" > c"), []);
    }

    #[test]
    fn attributes_of_start_tags_in_every_quoting() {
        let html = r#"<a HREF=one id='two'><img src=three alt="a>b" data-src="no"><a title='x href="no"' href="four">"#;
        assert_eq!(
            attrs(html),
            [
                (Attr::Id, "two".to_string()),
                (Attr::Href, "one".to_string()),
                (Attr::Src, "three".to_string()),
                (Attr::Href, "four".to_string()),
            ]
        );
        // The first of two counts; one without a value names nothing; `/` is nothing.
        assert_eq!(hrefs(r#"<a/href="a" href="b">"#), ["a"]);
        assert_eq!(hrefs("<a href id>"), Vec::<String>::new());
        assert_eq!(hrefs("<a href=>x"), [""]);
        assert_eq!(hrefs(r#"<a title = "x" href = 'y' >"#), ["y"]);
        // Attributes run together, a name that starts with `=`, a `/` before `=`, a quote
        // in a name (HTML's parse errors, read as browsers read them).
        assert_eq!(hrefs(r#"<a title="x"href="y">"#), ["y"]);
        assert_eq!(hrefs(r#"<a =href="x" href="y">"#), ["y"]);
        assert_eq!(hrefs(r#"<a href/="x" href="y">"#), ["y"]);
        assert_eq!(hrefs(r#"<a foo"bar href="y">"#), ["y"]);
        assert_eq!(hrefs(r#"<a = "v>" href="x">"#), Vec::<String>::new());
        assert_eq!(hrefs("<a=b href=c>"), ["c"]);
    }

    #[test]
    fn comments_declarations_and_end_tags_hold_no_links() {
        let html = r#"<!-- <a href="c"> --><!DOCTYPE html><?pi href="p"?></a href="e"><!--><a href="1"><!---><a href="2"><!-- x --!><a href="3"></ href="b">"#;
        assert_eq!(hrefs(html), ["1", "2", "3"]);
    }

    #[test]
    fn raw_text_elements_hold_no_links() {
        let html = r#"<script>"<a href='s'>"</SCRIPT ><style>a[href="x"]{}</style><textarea><a href="t"></textarea/><a href="after"><title><a href="n"></title>"#;
        assert_eq!(hrefs(html), ["after"]);
        assert_eq!(hrefs(r#"<plaintext><a href="x">"#), Vec::<String>::new());
        // A `</scriptx>` does not end a script.
        assert_eq!(
            hrefs(r#"<script></scriptx><a href="s"></script><a href="ok">"#),
            ["ok"]
        );
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            hrefs(r#"<a href="a?b=1&amp;c=&#x27;&#39;&ouml;&nosuch;&#0;&"><a href="&#x110000;">"#),
            ["a?b=1&c=''ö&nosuch;\u{fffd}&", "\u{fffd}"]
        );
    }

    #[test]
    fn a_page_read_in_stretches_finds_what_it_finds_whole() {
        let html = "<p>a</p><!-- <a href=\"c\"> -- --><a title=\"x>y\" href=\"one\">é<script>\
                    if (a</b) {}</script ><a href=\"two\"><textarea></textarea><b id=\"z\">";
        let whole = attrs(html);
        assert_eq!(whole.len(), 3, "{whole:?}");
        for size in 1..html.len() {
            let mut tags = Tags::default();
            let mut got = Vec::new();
            let mut carry: Vec<u8> = Vec::new();
            let mut chunks = html.as_bytes().chunks(size).peekable();
            while let Some(chunk) = chunks.next() {
                // A chunk may cut a character: its first bytes wait for the rest.
                carry.extend_from_slice(chunk);
                let valid = match std::str::from_utf8(&carry) {
                    Ok(s) => s.len(),
                    Err(e) => e.valid_up_to(),
                };
                let text = std::str::from_utf8(&carry[..valid]).unwrap();
                let last = chunks.peek().is_none();
                let read = tags.read(text, last, &mut |a, v| got.push((a, v.into_owned())));
                carry.drain(..read);
            }
            assert_eq!(got, whole, "stretches of {size}");
        }
    }
}
