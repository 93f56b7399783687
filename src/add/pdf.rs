//! A PDF: its text page by page (lopdf), each page opened by a marker paragraph
//! `[Page N]` so that a quote can be found by page, and its title, author and date from the
//! document's Info dictionary.

use lopdf::{Document, Object};

use super::{Extracted, input_error, one_line};
use crate::date::PartialDate;
use crate::diagnostics::Diagnostic;

/// The marker paragraph that opens page `n` (from 1) of a PDF's text.
pub fn page_marker(n: u32) -> String {
    format!("[Page {n}]")
}

/// The text and metadata of a PDF.
pub fn extract(bytes: &[u8]) -> Result<Extracted, Diagnostic> {
    let doc = Document::load_mem(bytes).map_err(|e| {
        input_error(format!("this PDF cannot be read: {e}"))
            .help("open it in a PDF reader, save or print it as a new PDF, and add that")
    })?;
    if doc.is_encrypted() {
        return Err(input_error("this PDF is encrypted").help(
            "open it in a PDF reader with its password, print it to a new PDF, and add that",
        ));
    }
    let mut paragraphs = Vec::new();
    let pages = doc.get_pages();
    for &n in pages.keys() {
        // A page whose text cannot be read (a font without a usable encoding) still has
        // its marker: the next page's text stays on its own number.
        let text = doc.extract_text(&[n]).unwrap_or_default();
        let page = page_paragraphs(&text);
        paragraphs.push(page_marker(n));
        paragraphs.extend(page);
    }
    if paragraphs.len() == pages.len() {
        // Markers and no text: a scan, for `run` to say so.
        paragraphs.clear();
    }
    let info = doc.trailer.get(b"Info").ok().and_then(|o| match o {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    let field = |key: &[u8]| -> Option<String> {
        let v = info?.get(key).ok()?;
        let v = match v {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            v => v,
        };
        lopdf::decode_text_string(v)
            .ok()
            .map(|s| one_line(&s))
            .filter(|s| !s.is_empty())
    };
    // A title is the Info's, else the first line of the first page's text.
    let title = field(b"Title").or_else(|| {
        paragraphs
            .get(1)
            .map(|p| p.chars().take(150).collect::<String>())
    });
    Ok(Extracted {
        title,
        author: field(b"Author"),
        published: field(b"CreationDate").and_then(|d| pdf_date(&d)),
        paragraphs,
        ..Extracted::default()
    })
}

/// A PDF date (`D:20250602101500+03'00'`) as a day.
fn pdf_date(s: &str) -> Option<PartialDate> {
    let digits = s.strip_prefix("D:").unwrap_or(s);
    let d = digits.get(..8)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    PartialDate::parse(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])).ok()
}

/// The paragraphs of one page's text. A PDF has lines, not paragraphs: a line ends its
/// paragraph when it ends a sentence and falls short of the page's full line length (the
/// last line of a paragraph: under 85% of the longest line), or when a blank line follows.
fn page_paragraphs(text: &str) -> Vec<String> {
    let lines: Vec<String> = text.lines().map(one_line).collect();
    let full = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut current = String::new();
    for line in &lines {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
        let ends_sentence = line.ends_with(['.', '!', '?', ':', '"', '”', '»', ')']);
        // Ragged-right lines run to 85–100% of the longest; a paragraph's last line
        // usually falls short of that.
        let short = line.chars().count() * 100 < full * 85;
        if ends_sentence && short || full < 20 {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_joined_into_paragraphs() {
        let text = "The delegations met on Monday in the old palace and\ntalked for three hours.\nA second meeting was set for the following week in\nthe same palace, with observers.\n";
        assert_eq!(
            page_paragraphs(text),
            [
                "The delegations met on Monday in the old palace and talked for three hours.",
                "A second meeting was set for the following week in the same palace, with observers."
            ]
        );
    }

    #[test]
    fn pdf_dates_are_days() {
        assert_eq!(
            pdf_date("D:20250602101500+03'00'").unwrap().iso(),
            "2025-06-02"
        );
        assert!(pdf_date("D:2025").is_none());
    }
}
