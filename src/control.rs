//! Control characters: which characters of a briefing's text brief refuses, and how they are
//! shown on a terminal.
//!
//! A raw control character breaks what it reaches: XML 1.0 forbids most of them, so a feed or
//! sitemap holding one no longer parses; in HTML they are parse errors that browsers show as
//! boxes or drop; on a terminal an escape sequence (`ESC [ …`) recolours, moves the cursor or
//! retitles the window. They also must never meet the control characters brief itself uses
//! as placeholders while it splices the print view (see `render/print.rs`).
//!
//! So every text a briefing gives is checked once, when it is read (`load`), with
//! [`is_forbidden`]: values the user wrote (annotation and front matter values, site.toml,
//! pages, templates) are refused with an error at their place, and source texts, often pasted
//! from the web with stray control characters in them, are kept with each such character
//! replaced by a [`stand_in`] of the same length and a warning (see [`blank`]). Markdown's
//! numeric character references (`&#27;`), which only a Markdown parser reveals, are refused
//! where the Markdown is first parsed (`resolve`). Past that, no text in the pipeline holds
//! one.
//!
//! Text shown on a terminal goes through [`for_terminal`], which writes any control character
//! left (in a file name, or the very character a problem is about) as `\u{1b}`.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Location};

/// How many more places one problem lists as notes (a pasted text may hold thousands).
const MAX_NOTES: usize = 20;

/// True for a character no output of brief may hold: the C0 controls but tab, line feed and
/// carriage return; DEL and the C1 controls (U+007F–U+009F); and the Unicode noncharacters
/// (U+FDD0–U+FDEF, and U+FFFE and U+FFFF of every plane), which XML 1.0 (U+FFFE, U+FFFF)
/// and HTML refuse.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7f..=0x9f).contains(&u)
        || is_noncharacter(c)
}

/// The byte offset and character of every forbidden character of `text`, in order.
pub fn find_all(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            // Only these bytes can start a forbidden character (`0xc2` C1, `0xef` U+FDD0 and
            // up, `0xf0`… the planes above); all are char boundaries. Scanning bytes rather
            // than chars keeps the check of a large briefing's texts cheap: nearly every byte
            // is passed over by the first comparison.
            let i = at;
            at += 1;
            let b = bytes[i];
            if (0x20..0x7f).contains(&b) || (0x80..0xc2).contains(&b) || (0xc3..0xef).contains(&b) {
                continue;
            }
            if b < 0x80 {
                if is_forbidden(b as char) {
                    return Some((i, b as char));
                }
                continue;
            }
            if let Some(c) = text[i..].chars().next()
                && is_forbidden(c)
            {
                at = i + c.len_utf8();
                return Some((i, c));
            }
        }
        None
    })
}

/// The first forbidden character of `text`, if any.
pub fn find(text: &str) -> Option<(usize, char)> {
    find_all(text).next()
}

/// A character named for a message: `the control character U+001B (escape)`, `the
/// noncharacter U+FFFE`.
pub fn name(c: char) -> String {
    if is_noncharacter(c) {
        format!("the noncharacter {}", code(c))
    } else {
        format!("the control character {}", code(c))
    }
}

/// A character's code point, and its name for the common ones: `U+001B (escape)`.
fn code(c: char) -> String {
    let known = match c {
        '\0' => " (null)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\u{b}' => " (vertical tab)",
        '\u{c}' => " (form feed)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{85}' => " (next line)",
        '\u{9b}' => " (control sequence introducer)",
        _ => "",
    };
    format!("U+{:04X}{known}", c as u32)
}

/// True for the Unicode noncharacters: U+FDD0–U+FDEF and the last two of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xfdd0..=0xfdef).contains(&u) || u & 0xfffe == 0xfffe
}

/// What stands in a source text for a forbidden character: as many bytes as it had, so every
/// offset into the text (citations, problems) and every line stays what it is in the file,
/// and one character where possible, so columns do too. A space for C0 and DEL, a no-break
/// space for C1 (both read as white space when quotes are matched), U+FFFD (the replacement
/// character) for a noncharacter, followed by a space beyond the first plane.
pub fn stand_in(c: char) -> &'static str {
    match c.len_utf8() {
        1 => " ",
        2 => "\u{a0}",
        3 => "\u{fffd}",
        _ => "\u{fffd} ",
    }
}

/// Refuses the forbidden characters written in `range` of a file's text (raw, as they stand
/// in the file): an error at the first, naming the others as notes. `what` says what holds
/// them (`the file`, `this page`).
pub fn refuse(file: &Path, text: &Arc<str>, range: Range<usize>, what: &str) -> Option<Diagnostic> {
    let part = text.get(range.clone())?;
    let places = find_all(part).map(|(i, c)| {
        let at = range.start + i;
        (Location::new(file, text, at..at + c.len_utf8()), c)
    });
    refuse_at(
        places,
        &format!("{what} holds"),
        "remove it: a control character cannot be shown on a page or put in the feed (a space or a line break keeps words apart)",
    )
}

/// Refuses texts that hold forbidden characters: `places` are their locations with the
/// (first) character of each. An error at the first, naming the others as notes; `None` when
/// there are none. `lead` begins the message: `this value holds` the control character ….
pub fn refuse_at(
    mut places: impl Iterator<Item = (Location, char)>,
    lead: &str,
    help: &str,
) -> Option<Diagnostic> {
    let (first, c) = places.next()?;
    let mut d = Diagnostic::error(Code::ControlCharacter, format!("{lead} {}", name(c)))
        .at(first)
        .help(help);
    let mut more = 0;
    for (loc, c) in places {
        if more < MAX_NOTES {
            d = d.related(loc, format!("and {} here", name(c)));
        }
        more += 1;
    }
    if more > MAX_NOTES {
        d.message.push_str(&format!(
            " ({more} more after it, the first {MAX_NOTES} noted)"
        ));
    }
    Some(d)
}

/// A source text with its forbidden characters in `range` replaced by their [`stand_in`]s,
/// and a warning naming them; `None` when it has none. Pasted web text often carries a stray
/// form feed or escape: the source still builds, and what it looks like on the page does not
/// change (browsers show none of them).
pub fn blank(file: &Path, text: &Arc<str>, range: Range<usize>) -> Option<(Arc<str>, Diagnostic)> {
    let part = text.get(range.clone())?;
    let found: Vec<(usize, char)> = find_all(part).collect();
    let (first, c) = *found.first()?;
    let mut blanked = String::with_capacity(text.len());
    blanked.push_str(&text[..range.start]);
    let mut at = 0;
    for &(i, c) in &found {
        blanked.push_str(&part[at..i]);
        blanked.push_str(stand_in(c));
        at = i + c.len_utf8();
    }
    blanked.push_str(&part[at..]);
    blanked.push_str(&text[range.end..]);
    let blanked: Arc<str> = Arc::from(blanked);
    let count = found.len();
    let message = if count == 1 {
        format!("the source holds {}", name(c))
    } else {
        format!(
            "the source holds {count} control characters, the first {}",
            code(c)
        )
    };
    // The location shows the original text: the character is what the warning is about.
    let at = range.start + first;
    let d = Diagnostic::warning(Code::ControlCharacter, message)
        .at(Location::new(file, text, at..at + c.len_utf8()))
        .help(if count == 1 {
            "it is shown as a space; remove it from the file to silence this"
        } else {
            "they are shown as spaces; remove them from the file to silence this"
        });
    Some((blanked, d))
}

/// True for a character a terminal must not be given raw: a C0 control but tab and line
/// feed, DEL, or a C1 control. A carriage return is one only when no line feed follows (it
/// would send the cursor back over the line); see [`for_terminal`].
fn escapes_terminal(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || (0x7f..=0x9f).contains(&u)
}

/// `s` with every character a terminal would act on written as a Rust escape (`\u{1b}`), so
/// that text from a briefing (a file name, an id, a quote, the line a problem stands on) shows
/// as text and cannot move the cursor, recolour or retitle the terminal, or hide what is
/// printed. Tabs and line breaks (`\n`, `\r\n`) are kept.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    let needs =
        |(i, c): (usize, char)| escapes_terminal(c) || (c == '\r' && !s[i + 1..].starts_with('\n'));
    if !s.char_indices().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if needs((i, c)) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forbidden_characters() {
        for c in ['\0', '\u{1}', '\u{3}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in [
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in [
            '\t', '\n', '\r', ' ', '~', '\u{a0}', '\u{ad}', 'é', 'ı', '—', '\u{fffd}',
        ] {
            assert!(!is_forbidden(c), "{c:?}");
        }
        assert!(!is_forbidden('\u{fdcf}') && !is_forbidden('\u{fdf0}') && !is_forbidden('😀'));
    }

    proptest::proptest! {
        /// The byte scan finds exactly what a scan of every char would.
        #[test]
        fn find_all_matches_a_char_by_char_scan(s in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{fdd0}\\u{fffe}\\u{ffff}\\u{1fffe}«»\u{a0}é—])*") {
            let want: Vec<(usize, char)> = s.char_indices().filter(|&(_, c)| is_forbidden(c)).collect();
            let got: Vec<(usize, char)> = find_all(&s).collect();
            proptest::prop_assert_eq!(got, want);
        }

        /// Stand-ins keep every byte offset and line, and leave nothing forbidden.
        #[test]
        fn blanking_keeps_offsets_and_lines(s in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{fffe}\\u{1ffff}\n])*") {
            let text: Arc<str> = Arc::from(s.as_str());
            if let Some((blanked, _)) = blank(Path::new("a.txt"), &text, 0..text.len()) {
                proptest::prop_assert_eq!(blanked.len(), text.len());
                proptest::prop_assert!(find(&blanked).is_none());
                for (i, c) in s.char_indices() {
                    proptest::prop_assert!(blanked.is_char_boundary(i));
                    proptest::prop_assert_eq!(c == '\n', blanked[i..].starts_with('\n'));
                }
            }
        }

        /// Nothing a terminal acts on is left, and text without such characters is untouched.
        #[test]
        fn terminal_text_holds_no_control_character(s in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}])*") {
            let shown = for_terminal(&s);
            for (i, c) in shown.char_indices() {
                proptest::prop_assert!(!escapes_terminal(c), "{:?}", shown);
                if c == '\r' {
                    proptest::prop_assert!(shown[i + 1..].starts_with('\n'));
                }
            }
            if !s.chars().any(|c| escapes_terminal(c) || c == '\r') {
                proptest::prop_assert!(matches!(shown, Cow::Borrowed(_)));
            }
        }
    }

    #[test]
    fn terminal_escapes_are_rust_escapes() {
        assert_eq!(for_terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(for_terminal("x\u{9b}2J\u{7f}"), "x\\u{9b}2J\\u{7f}");
        assert_eq!(
            for_terminal("tab\tline\nwin\r\nover\rx"),
            "tab\tline\nwin\r\nover\\u{d}x"
        );
        assert!(matches!(for_terminal("Çırağan — “ok”"), Cow::Borrowed(_)));
    }

    #[test]
    fn refusal_names_the_first_and_notes_the_rest() {
        let text: Arc<str> = Arc::from("a: ok\nb: x\u{1b}y\nc: \u{7f}\n");
        let d = refuse(Path::new("f.md"), &text, 0..text.len(), "this page").unwrap();
        assert_eq!(d.code, Code::ControlCharacter);
        assert_eq!(
            d.message,
            "this page holds the control character U+001B (escape)"
        );
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 5));
        assert_eq!(d.related.len(), 1);
        assert_eq!(d.related[0].0.line(), 3);
        assert_eq!(
            d.related[0].1,
            "and the control character U+007F (delete) here"
        );
        assert!(refuse(Path::new("f.md"), &text, 0..5, "this page").is_none());
    }

    #[test]
    fn a_source_is_blanked_with_a_warning() {
        let text: Arc<str> = Arc::from("---\nt: x\n---\nOne\u{c}two\u{85}three\u{fffe}.\n");
        let body = text.find("One").unwrap();
        let (blanked, d) = blank(Path::new("s.md"), &text, body..text.len()).unwrap();
        assert_eq!(&blanked[..body], &text[..body]);
        assert_eq!(&blanked[body..], "One two\u{a0}three\u{fffd}.\n");
        assert_eq!(d.severity, crate::diagnostics::Severity::Warning);
        assert_eq!(
            d.message,
            "the source holds 3 control characters, the first U+000C (form feed)"
        );
        assert_eq!(d.location.unwrap().column(), 4);
        assert!(blank(Path::new("s.md"), &Arc::from("plain\ttext\r\n"), 0..12).is_none());
    }
}
