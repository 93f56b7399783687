//! YAML documents and front matter, parsed with serde-saphyr into spanned values.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::control;
use crate::diagnostics::{Code, Diagnostic, Location, offset_of};

/// A file's text split at its front matter.
pub struct Split<'a> {
    /// The YAML between the `---` lines, with its byte offset in the file.
    pub front_matter: Option<(&'a str, usize)>,
    /// Everything after the closing `---` line, with its byte offset in the file.
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits `---`-fenced YAML front matter off the top of a file.
///
/// A file without front matter is all body. An opening fence without a closing one is an
/// error: silently treating half a header as text would put YAML on the page.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (usize, String)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            front_matter: None,
            body: text,
            body_offset: 0,
        });
    }
    let yaml_start = start + first_line_end;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                front_matter: Some((&text[yaml_start..line_start], yaml_start)),
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        line_start = line_end;
    }
    Err((
        start,
        "front matter opened with `---` is never closed".to_string(),
    ))
}

/// Parses YAML that stands at byte `offset` of `file`, turning parser errors into
/// diagnostics at the right line of the whole file.
///
/// A document that holds a control character (raw, or written as an escape in a quoted
/// value) is refused like one that does not parse: see [`crate::control`].
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    file_text: &Arc<str>,
    yaml: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    // Raw ones first: the parser refuses most of them itself, in words that do not say which
    // character it is or that it cannot be seen.
    let whole = offset..offset + yaml.len();
    if let Some(d) = control::refuse(file, file_text, whole, "the file") {
        return Err(d);
    }
    let value = deserialize(file, file_text, yaml, offset)?;
    // Only a double-quoted value can spell one, as an escape (`\e`, `\x1b`, `\u001b`): a file
    // without such an escape anywhere (nearly all) need not be read twice to find which.
    if escapes_in_text(yaml).next().is_some()
        && let Some(d) = escaped_controls(file, file_text, yaml, offset)
    {
        return Err(d);
    }
    Ok(value)
}

/// A YAML file whose top-level `key:` list was read in pieces (see [`parse_list`]): the rest of
/// the document, and the list's items, each piece's with the byte offset its spans count from.
pub struct ListPieces<H, I> {
    pub head: H,
    pub pieces: Vec<(usize, Vec<I>)>,
}

/// The smallest piece of a list [`parse_list`] parses on its own (below this, splitting costs
/// more than it saves).
pub const LIST_PIECE_BYTES: usize = 64 * 1024;

/// Reads the whole file `file_text` as [`parse`] would, with its top-level list under `key:`
/// parsed in pieces of at least `piece_bytes` on all cores — the YAML parse is the largest
/// single cost of a build of 10,000 sources, and one collection file is otherwise one core's
/// work. `head` is the document without the list's items (its `key:` then holds null).
///
/// `None` when the file cannot be read this way — its list is not the last top-level key in
/// block style, it has anchors, aliases, directives, document markers or escapes to check, or
/// any piece fails to parse or to deserialize: the caller then parses the file whole with
/// [`parse`], so every problem is reported exactly as before, at the same place. When every
/// piece parses, the items are those of the whole file: a piece boundary is a line at the
/// list's indentation starting with `- `, which no quoted, flow or block scalar reaching past
/// it could hold without leaving its piece unparsable.
pub fn parse_list<H, I>(
    file: &Path,
    file_text: &Arc<str>,
    key: &str,
    piece_bytes: usize,
) -> Option<ListPieces<H, I>>
where
    H: DeserializeOwned + Send,
    I: DeserializeOwned + Send,
{
    use rayon::prelude::*;
    let text: &str = file_text;
    let (head_end, ranges) = list_pieces(text, key, piece_bytes)?;
    if ranges.len() < 2
        || might_hold_anchor(text)
        || escapes_in_text(text).next().is_some()
        || control::find_all(text).next().is_some()
    {
        return None;
    }
    let (head, pieces) = rayon::join(
        || deserialize::<H>(file, file_text, &text[..head_end], 0).ok(),
        || {
            ranges
                .par_iter()
                .map(|r| {
                    serde_saphyr::from_str_with_options::<Vec<I>>(
                        &text[r.clone()],
                        options(&text[r.clone()]),
                    )
                    .ok()
                    .map(|items| (r.start, items))
                })
                .collect::<Option<Vec<_>>>()
        },
    );
    Some(ListPieces {
        head: head?,
        pieces: pieces?,
    })
}

/// Where the top-level block list under `key:` of `text` can be cut: the end of the head (the
/// text before the first item) and the byte ranges of pieces of whole items, each at least
/// `piece_bytes` long but the last, the last ending at the end of the text. `None` unless the
/// list is the document's last top-level key, in block style, indented with spaces.
fn list_pieces(text: &str, key: &str, piece_bytes: usize) -> Option<(usize, Vec<Range<usize>>)> {
    if text.starts_with(['\u{feff}', '%']) {
        return None;
    }
    let mut at = 0;
    let mut key_seen = false;
    // The list's indentation, once its first item is seen; and the item starts.
    let mut indent: Option<usize> = None;
    let mut starts = Vec::new();
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1);
        let line = &text[at..end];
        let content = line.trim_start_matches(' ');
        let this_indent = line.len() - content.len();
        let content = content.trim_end();
        if content.starts_with('\t') {
            return None;
        }
        let blank = content.is_empty() || content.starts_with('#');
        if !key_seen {
            if content == "---" || content == "..." {
                return None;
            }
            key_seen =
                this_indent == 0 && content.strip_prefix(key).is_some_and(|rest| rest == ":");
        } else if !blank {
            let is_item = content == "-" || content.starts_with("- ");
            match indent {
                None if is_item => {
                    indent = Some(this_indent);
                    starts.push(at);
                }
                None => return None,
                Some(k) if this_indent > k => {}
                Some(k) if this_indent == k && is_item => starts.push(at),
                Some(_) => return None,
            }
        }
        at = end;
    }
    let head_end = *starts.first()?;
    let mut ranges = Vec::new();
    let mut from = head_end;
    for &s in &starts[1..] {
        if s - from >= piece_bytes {
            ranges.push(from..s);
            from = s;
        }
    }
    ranges.push(from..text.len());
    Some((head_end, ranges))
}

/// Whether `text` may hold a YAML anchor (`&a`) or alias (`*a`): an `&` or `*` that starts a
/// node (after a line's start, `:`, `-`, `?`, `[`, `{` or `,` and spaces) and is followed by a
/// name. An alias in one piece of a list may name an anchor in another, so such a file is
/// parsed whole. `*` inside a text (Markdown emphasis) does not count; a false alarm only
/// costs the parallel parse.
fn might_hold_anchor(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'&', b'*', bytes).any(|at| {
        let named = bytes.get(at + 1).is_some_and(|b| !b.is_ascii_whitespace());
        let before = bytes[..at].iter().rposition(|&b| b != b' ');
        let starts_node = before.is_none_or(|i| {
            matches!(
                bytes[i],
                b'\n' | b'\r' | b':' | b'-' | b'?' | b'[' | b'{' | b','
            )
        });
        named && starts_node
    })
}

/// `yaml` read as `T` with brief's options, for a second look at a document [`parse`]
/// refused: `None` if it cannot be read so either.
pub fn read_leniently<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    serde_saphyr::from_str_with_options(yaml, options(yaml)).ok()
}

/// The parser's options for brief's YAML, sized for `yaml`.
fn options(yaml: &str) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // `yes`, `no`, `on`, `off` are words in briefings (names, answers), not booleans.
    options.strict_booleans = true;
    options.with_snippet = false;
    // The parser's default budget (250,000 nodes, 1,000,000 events) refuses an annotation file
    // of about 6 MB, which a briefing of 20,000 sources has. Plain YAML cannot hold more nodes
    // or scalar bytes than it has bytes, so those limits grow with the file; the limits on
    // aliases and anchors, where YAML can blow up, stay as they are.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(yaml.len());
    budget.max_events = budget.max_events.max(2 * yaml.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(yaml.len());
    options.budget = Some(budget);
    options
}

/// [`parse`] without the check for control characters.
fn deserialize<T: DeserializeOwned>(
    file: &Path,
    file_text: &Arc<str>,
    yaml: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(yaml, options(yaml)).map_err(|e| {
        let full = e.to_string();
        // The crate appends " at line L, column C"; we show the position ourselves.
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full.clone(),
        };
        let message = message.lines().next().unwrap_or("").trim().to_string();
        let at = match e.location() {
            Some(l) => offset + offset_of(yaml, l.line() as usize, l.column() as usize),
            None => offset,
        };
        let mut at = at.min(file_text.len());
        let (code, mut help) = yaml_help(&message);
        let mut message = clearer_message(&message, &file_text[at..]);
        if message.contains("quoted scalar") || message == "unclosed quote" {
            // The parser notices an unclosed quote only where the text after it goes wrong,
            // often on a later line: point at the quote mark that opened it.
            if let Some(open) = quote_opening(&file_text[offset..], at - offset) {
                at = offset + open;
                message = "this quoted text is never closed".into();
                help = "end it with the same quote mark it starts with; inside \"…\" write \\\" for a quote mark, inside '…' write ''".into();
            }
        } else if code == Code::MissingField && e.location().is_some_and(|l| l.column() <= 1) {
            // A field missing at the top of the file: the parser points at the last key read.
            at = offset;
        }
        if let Some(slip) = Slip::find(&message, &file_text[offset..], at - offset) {
            let span = offset + slip.span.start..offset + slip.span.end;
            return Diagnostic::error(Code::YamlSyntax, slip.message)
                .at(Location::new(file, file_text, span))
                .help(slip.help);
        }
        let location = Location::new(file, file_text, at..at + token_len(&file_text[at..]));
        Diagnostic::error(code, message).at(location).help(help)
    })
}

/// A slip of the pen that the YAML parser reports in its own terms ("while scanning a plain
/// scalar, found a tab", "simple key expected ':'"), often on another line: said in the
/// writer's words, at the place to mend.
struct Slip {
    message: String,
    help: &'static str,
    /// In the YAML text.
    span: Range<usize>,
}

impl Slip {
    /// The slip behind the parser's `message` at byte `at` of `yaml`, if it is one of these.
    fn find(message: &str, yaml: &str, at: usize) -> Option<Slip> {
        let line_start = yaml[..at.min(yaml.len())].rfind('\n').map_or(0, |i| i + 1);
        if message.contains("found a tab") || message.contains("tab character") {
            // The parser stops on the line before the tab's, or at it: the first line from
            // there indented with a tab.
            let mut start = line_start;
            for line in yaml[line_start..].split_inclusive('\n') {
                let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
                if let Some(tab) = line[..indent].find('\t') {
                    let number = yaml[..start].matches('\n').count() + 1;
                    return Some(Slip {
                        message: format!("line {number} is indented with a tab"),
                        help: "YAML indents with spaces only: replace the tab with spaces, as many as the lines around it use",
                        span: start + tab..start + tab + 1,
                    });
                }
                start += line.len();
            }
            return None;
        }
        let missing_colon = message.contains("expected ':'")
            || message
                .starts_with("expected a mapping of `key: value` lines here, found a single value");
        if !missing_colon {
            return None;
        }
        // `role Aide to the president`: a first word, a space, and no colon on the line.
        let line = yaml[line_start..].lines().next().unwrap_or("");
        let content = line.trim_start_matches(' ');
        let content = content.strip_prefix("- ").unwrap_or(content);
        let key_at = line_start + (line.len() - content.len());
        let key_len = content.find(' ').filter(|_| !content.contains(':'))?;
        let key = &content[..key_len];
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        Some(Slip {
            message: format!("missing `:` after `{key}`?"),
            help: "a field is written with a colon and a space after its name: `name: value`",
            span: key_at..key_at + key_len,
        })
    }
}

/// The values of a YAML document that hold a control character written as an escape: an
/// error at the first, naming the others. The document is read a second time for this, into
/// [`Found`], which keeps the place of every key and value whatever the document's shape.
fn escaped_controls(
    file: &Path,
    file_text: &Arc<str>,
    yaml: &str,
    offset: usize,
) -> Option<Diagnostic> {
    let doc = Doc {
        file: file.to_path_buf(),
        file_text: file_text.clone(),
        offset,
    };
    let mut places = Vec::new();
    match serde_saphyr::from_str_with_options::<Spanned<Found>>(yaml, options(yaml)) {
        Ok(root) => Found::places(&root, &doc, &mut places),
        // The typed reading took it, so this one should too; if not (a tag it cannot read
        // without a type), the escapes are looked for in the text instead, which may also
        // find one in an unquoted value, where it is only text: refusing that errs on the
        // safe side.
        Err(_) => places.extend(escapes_in_text(yaml).map(|(at, c)| {
            let start = offset + at;
            (Location::new(file, file_text, start..start + 1), c)
        })),
    }
    control::refuse_at(
        places.into_iter(),
        "this value holds",
        "remove the escape (such as `\\e`, `\\x1b` or `\\u001b`) from the quoted text: a control character cannot be shown on a page or put in the feed",
    )
}

/// What a YAML node holds of control characters, kept with the place of each key and value.
enum Found {
    Nothing,
    /// A text (a key or a value) holding this control character.
    Text(char),
    /// The keys and values of a mapping or the items of a list that hold one.
    Inside(Vec<Spanned<Found>>),
}

impl Found {
    /// The locations of the texts under `node` holding a control character, in document
    /// order, with the character.
    fn places(node: &Spanned<Found>, doc: &Doc, out: &mut Vec<(Location, char)>) {
        match &node.value {
            Found::Nothing => {}
            Found::Text(c) => out.push((doc.loc(node), *c)),
            Found::Inside(nodes) => nodes.iter().for_each(|n| Found::places(n, doc, out)),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Found {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Found, D::Error> {
        d.deserialize_any(FoundVisitor)
    }
}

struct FoundVisitor;

impl<'de> serde::de::Visitor<'de> for FoundVisitor {
    type Value = Found;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Found, E> {
        Ok(control::find(v).map_or(Found::Nothing, |(_, c)| Found::Text(c)))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_i128<E>(self, _: i128) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_u128<E>(self, _: u128) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_unit<E>(self) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_none<E>(self) -> Result<Found, E> {
        Ok(Found::Nothing)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
        let mut found = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Found>>()? {
            keep(&mut found, item);
        }
        Ok(Found::Inside(found))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Found>>()? {
            keep(&mut found, key);
            keep(&mut found, map.next_value::<Spanned<Found>>()?);
        }
        Ok(Found::Inside(found))
    }
}

/// Adds `node` to `found` unless it holds nothing.
fn keep(found: &mut Vec<Spanned<Found>>, node: Spanned<Found>) {
    match &node.value {
        Found::Nothing => {}
        Found::Inside(inner) if inner.is_empty() => {}
        _ => found.push(node),
    }
}

/// The escapes of YAML's double-quoted style that stand for a control character (`\0`, `\a`,
/// `\b`, `\v`, `\f`, `\e`, `\N`, `\xXX`, `\uXXXX`, `\UXXXXXXXX`), wherever they are in `yaml`:
/// their byte offsets and characters. Every control character a value can hold (raw ones are
/// refused before) comes from one of these, though not every one found is in a double-quoted
/// value.
fn escapes_in_text(yaml: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = yaml.as_bytes();
    memchr::memchr_iter(b'\\', bytes).filter_map(move |at| {
        let hex = |len: usize| {
            let digits = yaml.get(at + 2..at + 2 + len)?;
            char::from_u32(u32::from_str_radix(digits, 16).ok()?)
        };
        let c = match bytes.get(at + 1)? {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'e' => '\u{1b}',
            b'N' => '\u{85}',
            b'x' => hex(2)?,
            b'u' => hex(4)?,
            b'U' => hex(8)?,
            _ => return None,
        };
        control::is_forbidden(c).then_some((at, c))
    })
}

/// The length of the word or value that starts `rest` (the rest of the file after an error's
/// position), so the error underlines it: a key up to its `:`, a value up to the end of the
/// line or a comment.
fn token_len(rest: &str) -> usize {
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let line = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    let end = match line
        .find(": ")
        .or_else(|| line.ends_with(':').then(|| line.len() - 1))
    {
        Some(i) => i,
        None => line.len(),
    };
    line[..end].trim_end().len()
}

/// Where the quoted value that ends in trouble at `at` was opened: the last quote mark before
/// it (or at it) that starts a value, after `key: `, `- `, `[`, `{`, `,` or at a line's start.
fn quote_opening(text: &str, at: usize) -> Option<usize> {
    let at = crate::diagnostics::floor_char_boundary(text, at);
    let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
    let before = &text[..end];
    before.char_indices().rev().find_map(|(i, c)| {
        if c != '"' && c != '\'' {
            return None;
        }
        let line_start = before[..i].rfind('\n').map_or(0, |n| n + 1);
        let lead = before[line_start..i].trim_end();
        (lead.is_empty() || lead.ends_with([':', '-', '[', '{', ','])).then_some(i)
    })
}

/// serde's and the YAML parser's terse messages, said plainly: the unknown field without
/// the list of every allowed one (the help names the near one, or the list), and for a
/// wrong type what was found.
fn clearer_message(message: &str, rest: &str) -> String {
    // The parser's advice is for programmers using it, not for the writer of the file.
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set ").next().unwrap_or(key);
        return format!("`{key}` is given twice here");
    }
    if message.starts_with("unknown field `") {
        if let Some((head, _)) = message.split_once(", expected") {
            return head.to_string();
        }
        return message.to_string();
    }
    let expected = match message {
        "expected string scalar" => "text",
        "expected sequence start" => "a list",
        "expected mapping start" => "a mapping of `key: value` lines",
        _ => return message.to_string(),
    };
    let value = rest.trim_start();
    let found = if value.starts_with('[') || value.starts_with("- ") {
        "a list"
    } else if value.starts_with('{') || token_len(value) < value.lines().next().unwrap_or("").len()
    {
        "a mapping"
    } else {
        "a single value"
    };
    format!("expected {expected} here, found {found}")
}

/// A hint for the common YAML mistakes.
fn yaml_help(message: &str) -> (Code, String) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = message
            .split_once("expected one of ")
            .or_else(|| message.split_once("expected "))
            .map(|(_, list)| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        let help = match crate::diagnostics::closest_name(field, expected.iter().copied()) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        };
        (Code::UnknownField, help)
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        (
            Code::MissingField,
            format!("add `{field}: …`; docs/format.md says what each file needs"),
        )
    } else if message.starts_with("budget breached") {
        (
            Code::YamlLimit,
            "the file expands beyond what brief reads (its aliases `*name` repeat too much, or it nests too deep): write the repeated parts out, or split the file".into(),
        )
    } else if message.starts_with("duplicate mapping key") {
        (
            Code::DuplicateKey,
            "keep one of the two: a key may appear once in each mapping (check the indentation if the second belongs to another item)".into(),
        )
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("expected")
    {
        (
            Code::WrongType,
            "check the value's type: a list is written `[a, b]` or as `- a` lines, text may need quotes".into(),
        )
    } else {
        (
            Code::YamlSyntax,
            "check the indentation and quoting on this line (strings with `: ` or `#` need quotes)"
                .into(),
        )
    }
}

/// A YAML document inside a file: turns the positions serde-saphyr gives (relative to the
/// YAML text) into locations in the whole file.
pub struct Doc {
    pub file: std::path::PathBuf,
    pub file_text: Arc<str>,
    /// Byte offset of the YAML text in the file (non-zero for front matter).
    pub offset: usize,
}

impl Doc {
    /// The location of a spanned value.
    pub fn loc<T>(&self, v: &serde_saphyr::Spanned<T>) -> Location {
        let l = v.referenced;
        let start = match l.span().byte_offset() {
            Some(b) => self.offset + b as usize,
            None => {
                self.offset
                    + offset_of(
                        &self.file_text[self.offset..],
                        l.line() as usize,
                        l.column() as usize,
                    )
            }
        };
        let len = l.span().byte_len().unwrap_or(0) as usize;
        Location::new(&self.file, &self.file_text, start..start + len)
    }

    /// A Markdown value, remembering where it stands for citation errors.
    pub fn markdown(&self, v: &serde_saphyr::Spanned<String>) -> crate::load::Markdown {
        crate::load::Markdown {
            text: v.value.clone(),
            origin: crate::load::Origin {
                file: self.file.clone(),
                file_text: self.file_text.clone(),
                offset: self.loc(v).span.start,
                verbatim: false,
            },
        }
    }

    /// Parses an optional date value, reporting a bad one at its place.
    pub fn date(
        &self,
        v: Option<&serde_saphyr::Spanned<String>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<crate::date::PartialDate> {
        let v = v?;
        match crate::date::PartialDate::parse(&v.value) {
            Ok(d) => Some(d),
            Err(msg) => {
                diags.push(
                    Diagnostic::error(Code::BadDate, msg)
                        .at(self.loc(v))
                        .help("dates are YYYY, YYYY-MM or YYYY-MM-DD"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_cut_at_its_items() {
        let text = "title: x\nitems:\n  - id: a\n    name: A\n# note\n  - id: b\n    text: |\n      - inner\n  -\n    id: c\n";
        let (head, pieces) = list_pieces(text, "items", 1).unwrap();
        assert_eq!(&text[..head], "title: x\nitems:\n");
        let cut: Vec<&str> = pieces.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            cut,
            [
                "  - id: a\n    name: A\n# note\n",
                "  - id: b\n    text: |\n      - inner\n",
                "  -\n    id: c\n"
            ]
        );
        // Pieces of at least 30 bytes: the first two items together.
        let (_, pieces) = list_pieces(text, "items", 30).unwrap();
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[1].end, text.len());
    }

    #[test]
    fn a_list_not_last_or_not_in_block_style_is_not_cut() {
        for text in [
            "items:\n  - id: a\ntitle: x\n",
            "items: [a, b]\n",
            "title: x\n",
            "items:\n\t- id: a\n",
            "%YAML 1.2\n---\nitems:\n  - a\n",
            "---\nitems:\n  - a\n---\nitems:\n  - b\n",
            "items:\n  - a\n - b\n",
        ] {
            assert!(
                list_pieces(text, "items", 1).is_none_or(|(_, p)| p.len() < 2),
                "{text:?}"
            );
        }
    }

    #[test]
    fn anchors_and_aliases_are_told_from_text() {
        for text in [
            "a: &x 1\nb: *x\n",
            "- *x\n",
            "a: [*x]\n",
            "<<: *base\n",
            "*x: 1\n",
        ] {
            assert!(might_hold_anchor(text), "{text:?}");
        }
        for text in [
            "a: AT&T\n",
            "a: Smith & Co\n",
            "a: said *no* twice\n",
            "a: 2 * 3\n",
        ] {
            assert!(!might_hold_anchor(text), "{text:?}");
        }
    }

    #[test]
    fn splits_front_matter() {
        let s = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, Some(("title: x\n", 4)));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split_front_matter("Title\n---\ntext").unwrap();
        assert!(s.front_matter.is_none());
        assert_eq!(s.body_offset, 0);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split_front_matter("---\ntitle: x\nbody\n").is_err());
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        author: Option<String>,
    }

    #[test]
    fn errors_point_into_the_whole_file() {
        let file: Arc<str> = Arc::from("---\ntitle: x\nauthr: y\n---\n");
        let e = parse::<T>(Path::new("a.md"), &file, &file[4..22], 4).unwrap_err();
        assert_eq!(e.code, Code::UnknownField);
        assert_eq!(e.help.as_deref(), Some("did you mean `author`?"));
        assert_eq!(e.location.unwrap().line(), 3);
    }

    #[test]
    fn a_large_file_is_not_refused() {
        // 300,000 nodes: more than the YAML parser's default budget allows.
        let yaml: String = "- 1\n".repeat(300_000);
        let file: Arc<str> = Arc::from(yaml.as_str());
        let v = parse::<Vec<u32>>(Path::new("big.yaml"), &file, &yaml, 0).unwrap();
        assert_eq!(v.len(), 300_000);
        // Aliases are still limited: a "billion laughs" is refused.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for k in 1..9 {
            let prev = (b'a' + k - 1) as char;
            let name = (b'a' + k) as char;
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let file: Arc<str> = Arc::from(bomb.as_str());
        let refused = parse::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(
            Path::new("bomb.yaml"),
            &file,
            &bomb,
            0,
        );
        let e = refused.unwrap_err();
        assert_eq!(e.code, Code::YamlLimit, "{}", e.message);
    }

    #[test]
    fn an_unknown_field_is_underlined_without_the_list_of_all() {
        let file: Arc<str> = Arc::from("---\ntitle: x\nauthr: y\n---\n");
        let e = parse::<T>(Path::new("a.md"), &file, &file[4..22], 4).unwrap_err();
        assert_eq!(e.message, "unknown field `authr`");
        let loc = e.location.unwrap();
        assert!(loc.to_string().ends_with("a.md:3:1"), "{loc}");
        assert_eq!(&file[loc.span], "authr");
    }

    #[test]
    fn a_wrong_type_says_what_was_found() {
        let file: Arc<str> = Arc::from("title: [a, b]\n");
        let e = parse::<T>(Path::new("a.yaml"), &file, &file, 0).unwrap_err();
        assert_eq!(e.code, Code::WrongType);
        assert_eq!(e.message, "expected text here, found a list");
        assert_eq!(&file[e.location.unwrap().span], "[a, b]");
    }

    #[test]
    fn a_missing_field_is_named_in_the_help() {
        let file: Arc<str> = Arc::from("author: x\n");
        let e = parse::<T>(Path::new("a.yaml"), &file, &file, 0).unwrap_err();
        assert_eq!(e.code, Code::MissingField);
        assert_eq!(e.message, "missing field `title`");
        assert!(e.help.unwrap().contains("add `title: …`"));
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            name: String,
            city: Option<String>,
        }
        for (yaml, line) in [
            ("- name: \"Çırağan Palace\n  city: Istanbul\n", 1),
            ("- name: x\n  city: 'Ukraine's\n- name: y\n", 2),
            ("- name: x\n- name: \"open at the end\n", 2),
        ] {
            let file: Arc<str> = Arc::from(yaml);
            let e = parse::<Vec<Item>>(Path::new("a.yaml"), &file, &file, 0).unwrap_err();
            assert_eq!(e.code, Code::YamlSyntax, "{yaml:?}: {e:?}");
            assert_eq!(e.message, "this quoted text is never closed", "{yaml:?}");
            let loc = e.location.unwrap();
            assert!(
                loc.to_string().starts_with(&format!("a.yaml:{line}:")),
                "{yaml:?}"
            );
            assert!(file[loc.span.start..].starts_with(['"', '\'']), "{yaml:?}");
        }
        assert_eq!(quote_opening("a: 'it''s", 9), Some(3));
        let file: Arc<str> = Arc::from("- name: x\n  city: a\n  city: b\n");
        let e = parse::<Vec<Item>>(Path::new("a.yaml"), &file, &file, 0).unwrap_err();
        assert_eq!(e.code, Code::DuplicateKey, "{e:?}");
        assert_eq!(e.message, "`city` is given twice here");
        assert!(e.location.unwrap().to_string().starts_with("a.yaml:3:"));
        assert_eq!(quote_opening("no quotes", 5), None);
    }

    #[test]
    fn control_characters_are_refused_where_they_are_written() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            name: String,
            aliases: Option<Vec<String>>,
        }
        let refused = |yaml: &str| {
            let file: Arc<str> = Arc::from(yaml);
            parse::<Vec<Item>>(Path::new("a.yaml"), &file, &file, 0).unwrap_err()
        };
        // Escapes in double-quoted values: at the value, the others noted, keys too.
        let e = refused("- name: \"a\\eb\"\n  aliases: [ok, \"\\x7f\"]\n- name: \"\\u0085\"\n");
        assert_eq!(e.code, Code::ControlCharacter);
        assert_eq!(
            e.message,
            "this value holds the control character U+001B (escape)"
        );
        let loc = e.location.unwrap();
        assert_eq!((loc.line(), loc.column()), (1, 9));
        let noted: Vec<(usize, &str)> = e
            .related
            .iter()
            .map(|(l, m)| (l.line(), m.as_str()))
            .collect();
        assert_eq!(
            noted,
            [
                (2, "and the control character U+007F (delete) here"),
                (3, "and the control character U+0085 (next line) here")
            ]
        );
        // Behind a tag, an anchor or an alias too.
        for yaml in [
            "- name: !!str \"a\\eb\"\n",
            "- name: !custom \"a\\eb\"\n",
            "- name: &n \"a\\eb\"\n- name: *n\n",
        ] {
            let file: Arc<str> = Arc::from(yaml);
            match parse::<Vec<Item>>(Path::new("a.yaml"), &file, &file, 0) {
                Err(e) => assert_eq!(e.code, Code::ControlCharacter, "{yaml:?}: {e}"),
                Ok(v) => panic!("{yaml:?} let through {v:?}"),
            }
        }
        // Raw, even in a comment: at the character itself.
        let e = refused("- name: ok # \u{1b}[2J\n");
        assert_eq!(
            e.message,
            "the file holds the control character U+001B (escape)"
        );
        assert_eq!(e.location.unwrap().column(), 14);
        // In front matter: positions in the whole file.
        let file: Arc<str> = Arc::from("---\ntitle: \"x\\fy\"\n---\nbody\n");
        let e = parse::<T>(Path::new("a.md"), &file, &file[4..18], 4).unwrap_err();
        assert_eq!(e.location.unwrap().to_string(), "a.md:2:8");
        // Backslashes that are not escapes (plain, single-quoted, block values) are text.
        for yaml in [
            "- name: C:\\eval\\fix\n",
            "- name: 'a\\e'\n",
            "- name: |\n    \\e and \\x1b\n",
            "- name: \"a \\\\e b\"\n",
        ] {
            let file: Arc<str> = Arc::from(yaml);
            assert!(
                parse::<Vec<Item>>(Path::new("a.yaml"), &file, &file, 0).is_ok(),
                "{yaml:?}"
            );
        }
    }

    #[test]
    fn escapes_are_found_in_the_text_when_the_document_cannot_be_walked() {
        let found: Vec<(usize, char)> =
            escapes_in_text(r#"a: "\e \t \x41 \x9b \u0001 \U0000fffe \q""#).collect();
        assert_eq!(
            found,
            [
                (4, '\u{1b}'),
                (15, '\u{9b}'),
                (20, '\u{1}'),
                (27, '\u{fffe}')
            ]
        );
    }

    #[test]
    fn tokens_stop_at_colons_comments_and_line_ends() {
        assert_eq!(token_len("authr: y\n"), 5);
        assert_eq!(token_len("[a, b] # c\nx"), 6);
        assert_eq!(token_len("items:\n"), 5);
        assert_eq!(token_len(""), 0);
        assert_eq!(token_len("\n"), 0);
    }
}
