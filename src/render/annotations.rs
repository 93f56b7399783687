//! `annotations.jsonld`: every quoted citation as a W3C Web Annotation (docs/exports.md).
//!
//! One `AnnotationCollection` whose `first` page holds every annotation: the text that cites
//! (a claim, a dispute position, else the paragraph the citation stands in) as its body (none,
//! motivation `highlighting`, for a citation that stands alone in its paragraph), and
//! as its target the quoted passage on the source's page of the site — found by a
//! `TextQuoteSelector` (the passage with 32 characters of context on each side, within its
//! paragraph) and a `TextPositionSelector` (code points of the source's `text` in
//! briefing.json) — and, when the source has a `url`, on the original page too (by the quote
//! alone, as Hypothesis re-anchors on a live page).

use std::io::Write;
use std::ops::Range;

use serde::Serialize;

use crate::markdown;
use crate::resolve::{Briefing, CitationId, ResolvedSource, Text};
use crate::site_map::{self, SiteFile};

/// The W3C Web Annotation context.
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// Characters (code points) of context a `TextQuoteSelector` gives on each side, unless the
/// paragraph ends first.
const CONTEXT_CHARS: usize = 32;

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    generator: Generator,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Generator {
    id: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    homepage: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "partOf")]
    part_of: String,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    /// None where the citation stands alone, with no words of the briefing around it: the
    /// annotation then only highlights the passage (the W3C model allows a bodiless one).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Bodies<'a>>,
    target: Vec<Target<'a>>,
}

/// One body, or several (the text that cites and the quote's translation): the W3C model
/// takes either.
#[derive(Serialize)]
#[serde(untagged)]
enum Bodies<'a> {
    One(Body<'a>),
    Many(Vec<Body<'a>>),
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
    format: &'static str,
    language: &'a str,
    /// `describing` on a translation of the quote: it says in the site's language what the
    /// target says in the source's (the text that cites has none, as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<&'static str>,
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    TextPositionSelector {
        start: usize,
        end: usize,
    },
}

/// Where a text that cites stands, which names its annotations (`#<where>/<n>`, `n` counting
/// the text's quoted citations from 1) and says what their body is.
enum Written<'a> {
    /// A claim: `items/<item>/claims/<claim id>`; the body is the claim.
    Claim { item: &'a str, claim: &'a str },
    /// A dispute's position: `items/<item>/positions/<n>`; the body is the position.
    Position { item: &'a str, n: usize },
    /// Any other text (`front`, `front/key_points/<n>`, `pages/<slug>`, `collections/<id>`, `items/<item>/summary`,
    /// `items/<item>/fields`, `sources/<id>/notes`): the body is the paragraph that cites.
    Other(String),
}

impl Written<'_> {
    fn fragment(&self) -> String {
        match self {
            Written::Claim { item, claim } => format!("items/{item}/claims/{claim}"),
            Written::Position { item, n } => format!("items/{item}/positions/{n}"),
            Written::Other(path) => path.clone(),
        }
    }
}

/// Code point offsets of byte offsets of one text, found in one pass over it.
struct CodePoints {
    /// (byte offset, code points before it), sorted by byte offset.
    at: Vec<(usize, usize)>,
}

impl CodePoints {
    fn new(text: &str, mut offsets: Vec<usize>) -> CodePoints {
        offsets.sort_unstable();
        offsets.dedup();
        let mut at = Vec::with_capacity(offsets.len());
        let (mut byte, mut count) = (0, 0);
        for o in offsets {
            let o = o.min(text.len());
            count += text.get(byte..o).map_or(0, |s| s.chars().count());
            byte = o;
            at.push((o, count));
        }
        CodePoints { at }
    }

    fn of(&self, byte: usize) -> usize {
        match self.at.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.at[i].1,
            Err(_) => 0,
        }
    }
}

/// The text before `range` (up to [`CONTEXT_CHARS`] code points, not past the start of the
/// paragraph the range starts in) and after it (likewise, to the end of the paragraph it ends
/// in).
pub(in crate::render) fn context<'t>(
    s: &'t ResolvedSource,
    range: &Range<usize>,
    chars: usize,
) -> (&'t str, &'t str) {
    let text = s.source.text();
    let paragraph_of = |at: usize| {
        let p = &s.source.paragraphs;
        let i = p.partition_point(|p| p.range.end < at);
        p.get(i)
            .filter(|p| p.range.start <= at)
            .map(|p| p.range.clone())
    };
    let start_limit = paragraph_of(range.start).map_or(0, |p| p.start);
    let end_limit = paragraph_of(range.end).map_or(text.len(), |p| p.end.max(range.end));
    let before = &text[start_limit.min(range.start)..range.start];
    let prefix_start = before
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let after = &text[range.end..end_limit];
    let suffix_end = after
        .char_indices()
        .nth(chars)
        .map_or(after.len(), |(i, _)| i);
    (&before[prefix_start..], &after[..suffix_end])
}

/// The blocks of Markdown around each citation group of `t`, as plain text, in the order of
/// `t.groups`: the paragraph (the text between blank lines) each group stands in.
fn paragraphs_of_groups(t: &Text) -> Vec<String> {
    if t.groups.is_empty() {
        return Vec::new();
    }
    let md = &t.markdown;
    let (groups, _) = markdown::scan(md);
    groups
        .iter()
        .map(|g| {
            let start = md[..g.range.start].rfind("\n\n").map_or(0, |i| i + 2);
            let end = md[g.range.end..]
                .find("\n\n")
                .map_or(md.len(), |i| g.range.end + i);
            markdown::plain_text(&md[start..end])
        })
        .collect()
}

/// Collects the annotations of a briefing, text by text, in the order its citations are
/// numbered.
struct Collect<'a> {
    b: &'a Briefing,
    base: &'a str,
    code_points: Vec<CodePoints>,
    out: Vec<Annotation<'a>>,
}

impl<'a> Collect<'a> {
    /// The annotations of one text: its inline citations, then `cites` (a `cite:` list).
    fn text(&mut self, written: Written<'a>, t: Option<&'a Text>, cites: &'a [CitationId]) {
        let body_of_all = match &written {
            Written::Claim { .. } | Written::Position { .. } => {
                t.map(|t| markdown::plain_text(&t.markdown))
            }
            Written::Other(_) => None,
        };
        let paragraphs = match (&body_of_all, t) {
            (None, Some(t)) => paragraphs_of_groups(t),
            _ => Vec::new(),
        };
        let fragment = written.fragment();
        let mut n = 0;
        let inline = t.into_iter().flat_map(|t| {
            t.groups
                .iter()
                .enumerate()
                .flat_map(|(g, ids)| ids.iter().map(move |id| (Some(g), *id)))
        });
        let listed = cites.iter().map(|id| (None, *id));
        for (group, id) in inline.chain(listed).collect::<Vec<_>>() {
            let body = match (&body_of_all, group) {
                (Some(all), _) => all.clone(),
                (None, Some(g)) => paragraphs.get(g).cloned().unwrap_or_default(),
                (None, None) => String::new(),
            };
            if let Some(a) = self.annotation(&fragment, n + 1, id, body) {
                n += 1;
                self.out.push(a);
            }
        }
    }

    /// The annotation of citation `id`, if it quotes a passage.
    fn annotation(
        &self,
        fragment: &str,
        n: usize,
        id: CitationId,
        body: String,
    ) -> Option<Annotation<'a>> {
        let b = self.b;
        let c = &b.citations[id.0 as usize];
        let range = c.range.clone()?;
        c.quote.as_ref()?;
        let s = &b.sources[c.source.0 as usize];
        let text = s.source.text();
        let (prefix, suffix) = context(s, &range, CONTEXT_CHARS);
        let exact = &text[range.clone()];
        let cp = &self.code_points[c.source.0 as usize];
        let quote = Selector::TextQuoteSelector {
            exact,
            prefix,
            suffix,
        };
        let mut target = vec![Target {
            source: format!("{}{}", self.base, site_map::source_dir(&s.source.id)),
            selector: vec![
                quote,
                Selector::TextPositionSelector {
                    start: cp.of(range.start),
                    end: cp.of(range.end),
                },
            ],
        }];
        if let Some(url) = &s.source.meta.url {
            target.push(Target {
                source: url.clone(),
                selector: vec![Selector::TextQuoteSelector {
                    exact,
                    prefix,
                    suffix,
                }],
            });
        }
        Some(Annotation {
            id: format!(
                "{}{}#{fragment}/{n}",
                self.base,
                SiteFile::Annotations.path()
            ),
            kind: "Annotation",
            motivation: match body.is_empty() {
                true => "highlighting",
                false => "commenting",
            },
            body: {
                let language = b.site.config.language.as_str();
                let text = (!body.is_empty()).then_some(Body {
                    kind: "TextualBody",
                    value: body,
                    format: "text/plain",
                    language,
                    purpose: None,
                });
                let translation = c.translation.as_ref().map(|t| Body {
                    kind: "TextualBody",
                    value: t.clone(),
                    format: "text/plain",
                    language,
                    purpose: Some("describing"),
                });
                match (text, translation) {
                    (Some(text), Some(translation)) => Some(Bodies::Many(vec![text, translation])),
                    (one, None) | (None, one) => one.map(Bodies::One),
                }
            },
            target,
        })
    }
}

/// Writes the briefing's quoted citations as a W3C Web Annotation collection to `w`.
pub fn write_annotations(b: &Briefing, w: &mut dyn Write) -> std::io::Result<()> {
    let base = b.site.config.base_url.as_str();
    let mut offsets: Vec<Vec<usize>> = vec![Vec::new(); b.sources.len()];
    for c in &b.citations {
        if let Some(r) = &c.range {
            offsets[c.source.0 as usize].extend([r.start, r.end]);
        }
    }
    let code_points = b
        .sources
        .iter()
        .zip(offsets)
        .map(|(s, o)| CodePoints::new(s.source.text(), o))
        .collect();
    let mut cx = Collect {
        b,
        base,
        code_points,
        out: Vec::new(),
    };
    for p in &b.pages {
        let at = match p.page.slug.as_str() {
            "" => "front".to_string(),
            slug => format!("pages/{slug}"),
        };
        // The key points stand above the text (their citations numbered first).
        for (n, k) in p.key_points.iter().enumerate() {
            cx.text(
                Written::Other(format!("{at}/key_points/{}", n + 1)),
                Some(k),
                &[],
            );
        }
        cx.text(Written::Other(at), Some(&p.body), &[]);
    }
    for c in &b.collections {
        if let Some(d) = &c.description {
            cx.text(
                Written::Other(format!("collections/{}", c.id)),
                Some(d),
                &[],
            );
        }
    }
    for it in &b.items {
        let item = it.id.as_str();
        if let Some(s) = &it.summary {
            cx.text(
                Written::Other(format!("items/{item}/summary")),
                Some(s),
                &[],
            );
        }
        for c in &it.claims {
            let claim = c.id.as_str();
            cx.text(Written::Claim { item, claim }, Some(&c.text), &c.cites);
        }
        for (k, p) in it.positions().iter().enumerate() {
            cx.text(
                Written::Position { item, n: k + 1 },
                Some(&p.text),
                &p.cites,
            );
        }
        if let crate::resolve::ResolvedDetails::Free { fields } = &it.details {
            for (_, t) in fields {
                cx.text(Written::Other(format!("items/{item}/fields")), Some(t), &[]);
            }
        }
    }
    for s in &b.sources {
        if let Some(n) = &s.notes {
            let at = format!("sources/{}/notes", s.source.id);
            cx.text(Written::Other(at), Some(n), &[]);
        }
    }
    let items = cx.out;
    let id = format!("{base}{}", SiteFile::Annotations.path());
    let doc = Collection {
        context: CONTEXT,
        label: format!(
            "{}: the quoted passages every claim rests on",
            b.site.config.title
        ),
        total: items.len(),
        generator: Generator {
            id: "https://github.com/brief-site/brief",
            kind: "Software",
            name: format!("brief {}", env!("CARGO_PKG_VERSION")),
            homepage: "https://github.com/brief-site/brief",
        },
        first: Page {
            id: format!("{id}#page-1"),
            kind: "AnnotationPage",
            part_of: id.clone(),
            start_index: 0,
            items,
        },
        id,
        kind: "AnnotationCollection",
    };
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer(&mut w, &doc)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_count_characters_not_bytes() {
        let text = "a😀é\u{301}b";
        let cp = CodePoints::new(text, vec![text.len(), 0, 1, 5]);
        assert_eq!(cp.of(0), 0);
        assert_eq!(cp.of(1), 1);
        assert_eq!(cp.of(5), 2, "the emoji is one code point (two in UTF-16)");
        assert_eq!(cp.of(text.len()), 5, "e and its combining accent are two");
    }
}
