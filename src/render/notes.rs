//! A page's citation notes: numbered by first use, the same passage keeping its number.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::markdown::site_link;
use crate::resolve::{Briefing, CitationId, Owner, SourceId};

/// The notes of one page, filled while its Markdown is rendered in page order.
#[derive(Default)]
pub struct Notes {
    entries: Vec<Entry>,
    by_key: HashMap<(SourceId, Option<usize>), usize>,
    /// The texts this page is the home of: only their citations are linked back from the
    /// source pages (a claim also shown on the timeline links back to its item, once).
    home: Option<Owner>,
}

struct Entry {
    source: SourceId,
    passage: Option<usize>,
    /// Element ids of the marks that cite this note (`cite-3-a`, `cite-3-b` …).
    uses: Vec<String>,
    /// The first mark citing it from a text this page is the home of.
    home_mark: Option<String>,
}

/// A place on a page that cites a passage, for the source page's "cited by" links.
#[derive(Debug, Clone)]
pub struct Backlink {
    pub source: SourceId,
    pub passage: Option<usize>,
    /// The page's site path (`negotiators/medinsky/`) and title.
    pub page_path: String,
    pub page_title: String,
    /// The element id of the first mark on that page citing the passage.
    pub mark_id: String,
}

impl Notes {
    /// Notes for a page that is the home of `home`'s texts (`None`: of no text's).
    pub fn new(home: Option<Owner>) -> Notes {
        Notes {
            home,
            ..Notes::default()
        }
    }

    /// The footnote marks for one citation point (one or more citations).
    pub fn mark(&mut self, b: &Briefing, ids: &[CitationId]) -> String {
        let mut out = String::from("<sup class=\"cite\">");
        let mut first = true;
        for &id in ids {
            let c = &b.citations[id.0 as usize];
            let key = (c.source, c.passage);
            let n = match self.by_key.get(&key) {
                Some(&n) => n,
                None => {
                    self.entries.push(Entry {
                        source: c.source,
                        passage: c.passage,
                        uses: Vec::new(),
                        home_mark: None,
                    });
                    self.by_key.insert(key, self.entries.len() - 1);
                    self.entries.len() - 1
                }
            };
            let entry = &mut self.entries[n];
            let mark_id = format!("cite-{}-{}", n + 1, letters(entry.uses.len()));
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(&format!(
                "<a id=\"{mark_id}\" href=\"#note-{num}\" data-note=\"note-{num}\" aria-label=\"Note {num}\">{num}</a>",
                num = n + 1
            ));
            if self.home == Some(c.owner) && entry.home_mark.is_none() {
                entry.home_mark = Some(mark_id.clone());
            }
            entry.uses.push(mark_id);
        }
        out.push_str("</sup>");
        out
    }

    /// Marks for a structured `cite:` list, or nothing when it is empty.
    pub fn marks_for(&mut self, b: &Briefing, ids: &[CitationId]) -> String {
        if ids.is_empty() {
            String::new()
        } else {
            self.mark(b, ids)
        }
    }

    /// The notes for the template, `root` leading from the page to the site root.
    pub fn context(&self, b: &Briefing, root: &str) -> Vec<Value> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let s = &b.sources[e.source.0 as usize];
                let meta = &s.source.meta;
                let quote = e.passage.map(|p| collapse(&s.source.text()[s.passages[p].clone()])).unwrap_or_default();
                let source_path = format!("sources/{}/", s.source.id);
                let passage_url = match e.passage {
                    Some(p) => site_link(root, &format!("{source_path}#q-{}", p + 1)),
                    None => site_link(root, &source_path),
                };
                let original_url = match &meta.url {
                    Some(u) if !quote.is_empty() => format!("{u}#:~:text={}", text_fragment(&quote)),
                    Some(u) => u.clone(),
                    None => String::new(),
                };
                json!({
                    "n": i + 1,
                    "id": format!("note-{}", i + 1),
                    "source_title": meta.title,
                    "source_url": site_link(root, &source_path),
                    "outlet": meta.outlet.clone().unwrap_or_default(),
                    "author": meta.author.clone().unwrap_or_default(),
                    "date": meta.published.map(|d| d.display()).unwrap_or_default(),
                    "is_summary": meta.summary_of.is_some(),
                    "summary_of": meta.summary_of.as_ref().map(|x| x.describe()).unwrap_or_default(),
                    "quote": quote,
                    "passage_url": passage_url,
                    "original_url": original_url,
                    "backrefs": e.uses.iter().enumerate().map(|(k, id)| json!({"id": id, "label": letters(k)})).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// One backlink per passage cited by a text this page is the home of, to the first mark
    /// citing it there.
    pub fn backlinks(&self, page_path: &str, page_title: &str) -> Vec<Backlink> {
        self.entries
            .iter()
            .filter_map(|e| {
                Some(Backlink {
                    source: e.source,
                    passage: e.passage,
                    page_path: page_path.to_string(),
                    page_title: page_title.to_string(),
                    mark_id: e.home_mark.clone()?,
                })
            })
            .collect()
    }
}

/// `a`, `b` … `z`, `aa`, `ab` …: the labels of backlinks.
pub fn letters(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Collapses white space runs to single spaces.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text fragment directive value (`#:~:text=…`) for a passage: the whole passage when
/// short, else its first and last words (`start,end`), percent-encoded so that `-`, `,` and
/// `&` (which have meanings in the directive) stay literal.
fn text_fragment(passage: &str) -> String {
    let words: Vec<&str> = passage.split_whitespace().collect();
    let enc = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || b"._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    };
    if words.len() <= 8 {
        enc(&words.join(" "))
    } else {
        format!(
            "{},{}",
            enc(&words[..4].join(" ")),
            enc(&words[words.len() - 4..].join(" "))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlink_letters() {
        assert_eq!(letters(0), "a");
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        assert_eq!(letters(27), "ab");
    }

    #[test]
    fn text_fragments_encode_directive_characters() {
        assert_eq!(text_fragment("a-b, c&d"), "a%2Db%2C%20c%26d");
        assert_eq!(
            text_fragment("one two three four five six seven eight nine"),
            "one%20two%20three%20four,six%20seven%20eight%20nine"
        );
    }
}
