//! The large pieces of a page (the print view's items and notes, the timeline's years),
//! which its template holds placeholders for and which go in as the page is written.

/// Marks the ends of a placeholder: a control character no text of a briefing can hold (load
/// refuses it in what the user writes and blanks it in source texts; see [`crate::control`]),
/// so the placeholders cannot be forged or broken by the text around them. [`segments`] takes
/// only exact placeholders of the page's pieces, should a mark ever come from elsewhere.
const MARK: char = '\u{3}';

/// The placeholder for part `k`.
pub(super) fn placeholder(k: usize) -> String {
    format!("{MARK}brief-part-{k}{MARK}")
}

/// A large piece of a page that its template holds a placeholder for.
pub(super) enum Piece<'r> {
    /// HTML made for this page (a print item).
    Html(String),
    /// HTML shared with another page (a year of the timeline).
    Shared(&'r str),
    /// The page's notes list, written from its notes when the page is.
    Notes,
}

/// A stretch of a page's HTML: text of the template, or the part a placeholder stands for.
#[derive(Debug, PartialEq)]
pub(super) enum Segment<'h> {
    Text(&'h str),
    Piece(usize),
}

/// `html` cut at its placeholders for pieces `0..pieces`. Anything else between marks is
/// text.
pub(super) fn segments(html: &str, pieces: usize) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let (mut text, mut at) = (0, 0);
    while let Some(found) = html[at..].find(MARK) {
        let inside = at + found + MARK.len_utf8();
        let part = html[inside..].split_once(MARK).and_then(|(name, _)| {
            let k: usize = name.strip_prefix("brief-part-")?.parse().ok()?;
            (k < pieces).then_some((k, name.len()))
        });
        match part {
            Some((k, len)) => {
                out.push(Segment::Text(&html[text..at + found]));
                out.push(Segment::Piece(k));
                at = inside + len + MARK.len_utf8();
                text = at;
            }
            None => at = inside,
        }
    }
    out.push(Segment::Text(&html[text..]));
    out.retain(|s| *s != Segment::Text(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_by_their_parts() {
        let parts = ["<li>one</li>", "<ol>two</ol>"];
        let spliced = |html: &str| {
            let mut out = String::new();
            for s in segments(html, parts.len()) {
                match s {
                    Segment::Text(t) => out.push_str(t),
                    Segment::Piece(k) => out.push_str(parts[k]),
                }
            }
            out
        };
        let html = format!("a{}b{}c{}", placeholder(1), placeholder(0), placeholder(1));
        assert_eq!(spliced(&html), "a<ol>two</ol>b<li>one</li>c<ol>two</ol>");
        let odd = format!("{MARK}x{MARK} {} {MARK}", placeholder(7));
        assert_eq!(spliced(&odd), odd);
        assert_eq!(
            segments(&format!("{}{}", placeholder(0), placeholder(1)), 2),
            [Segment::Piece(0), Segment::Piece(1)]
        );
        // A stray mark right before a placeholder does not take it.
        assert_eq!(
            segments(&format!("{MARK}{}", placeholder(0)), 1),
            [Segment::Text("\u{3}"), Segment::Piece(0)]
        );
    }
}
