//! A page's citation notes: numbered by first use, the same passage keeping its number.

use std::collections::HashMap;

use rayon::prelude::*;

use super::fragments::TextFragments;
use crate::load::{ArchivedCopy, SourceMeta};
use crate::markdown::site_link;
use crate::resolve::{Briefing, CitationId, Owner, SourceId};
use crate::site_map;
use crate::strings::Strings;
use crate::text::collapse_white_space;

/// The notes of one page, filled while its Markdown is rendered in page order.
#[derive(Default)]
pub struct Notes {
    entries: Vec<Entry>,
    by_key: HashMap<(SourceId, Option<usize>), usize>,
    /// The texts this page is the home of: only their citations are linked back from the
    /// source pages (a claim also shown on the timeline links back to its item, once).
    home: Option<Owner>,
    /// A part of a page rendered apart from the rest (the print view renders its items in
    /// parallel): marks hold placeholders for their numbers until [`Notes::absorb`] numbers
    /// them in page order.
    deferred: bool,
}

/// Placeholders of a deferred part: `OPEN entry CLOSE` for a note's number and
/// `OPEN entry . use CLOSE` for a mark's `N-x`. No text of a briefing can hold these control
/// characters: load refuses them in what the user writes and blanks them in source texts,
/// and resolve refuses the Markdown references that spell them (see [`crate::control`]). So
/// every one in a part's HTML is a placeholder of ours; were one ever to come from elsewhere,
/// [`Notes::absorb`] leaves whatever is not exactly a placeholder as it is.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

struct Entry {
    source: SourceId,
    passage: Option<usize>,
    /// Element ids of the marks that cite this note (`cite-3-a`, `cite-3-b` …).
    uses: Vec<String>,
    /// The first mark citing it from a text this page is the home of.
    home_mark: Option<String>,
    /// The first citation of it on this page that gives a translation (see
    /// [`crate::resolve::Citation::translation`]): the note shows that one.
    translated: Option<CitationId>,
}

/// One note as templates see it (`notes` in docs/templates.md).
#[derive(serde::Serialize)]
pub struct NoteContext<'a> {
    n: usize,
    id: String,
    source_title: &'a str,
    /// The source's short title (its `short_title`, else its title cut at a word), as the
    /// short note names it.
    short_title: String,
    /// The number of the paragraph the passage starts in (`¶3`), 0 for the whole source.
    paragraph: usize,
    /// The element id of the source's entry in the page's list of sources cited (`ref-<id>`).
    ref_id: String,
    source_url: String,
    outlet: &'a str,
    author: &'a str,
    date: String,
    is_summary: bool,
    summary_of: String,
    quote: String,
    /// The quote's translation and who made it (empty when it has none, or no translator).
    translation: String,
    translator: String,
    /// The quote's language (`lang` of its `<q>`) when the source is in another language
    /// than the site; empty otherwise.
    lang: String,
    passage_url: String,
    original_url: String,
    /// The archived copy of the original, and when it was made (empty when there is none).
    archived_url: String,
    archived_at: String,
    backrefs: Vec<Backref<'a>>,
    /// The theme's words, for [`NoteContext::write_html`].
    #[serde(skip)]
    t: &'a Strings,
}

impl NoteContext<'_> {
    /// One `<li>` of [`Notes::html`]: a short note, "↩ Short title, ¶3: “the quote”",
    /// the source given in full once in the list of sources cited below the notes.
    fn write_html(&self, out: &mut String) {
        use std::fmt::Write;
        let e = |out: &mut String, s: &str| crate::markdown::escape_into(out, s);
        let n = self.n;
        let t = self.t;
        let n_text = n.to_string();
        let of_note = t.fill("of_note", &[("n", &n_text)]);
        out.push_str("\n    <li id=\"");
        e(out, &self.id);
        let _ = write!(out, "\" value=\"{n}\">");
        match self.backrefs.as_slice() {
            [] => {}
            [one] => {
                out.push_str("<a class=\"backref\" href=\"#");
                e(out, one.id);
                out.push_str("\" aria-label=\"");
                e(out, &t.fill("back_to_text", &[("n", &n_text)]));
                out.push_str("\">↩</a> ");
            }
            all => {
                out.push_str("<span class=\"backrefs\"><span aria-hidden=\"true\">↩</span>");
                for b in all {
                    out.push_str(" <a class=\"backref\" href=\"#");
                    e(out, b.id);
                    out.push_str("\" aria-label=\"");
                    e(
                        out,
                        &t.fill("back_to_citation", &[("n", &n_text), ("label", &b.label)]),
                    );
                    out.push_str("\">");
                    e(out, &b.label);
                    out.push_str("</a>");
                }
                out.push_str("</span> ");
            }
        }
        out.push_str("<cite class=\"note-source\"");
        if !self.lang.is_empty() {
            out.push_str(" lang=\"");
            e(out, &self.lang);
            out.push('"');
        }
        out.push_str("><a href=\"#");
        e(out, &self.ref_id);
        out.push_str("\">");
        e(out, &self.short_title);
        out.push_str("</a></cite>, <a class=\"passage-link\" href=\"");
        e(out, &self.passage_url);
        out.push_str("\">");
        let of_note_html = {
            let mut h = String::from("<span class=\"visually-hidden\"> ");
            e(&mut h, &of_note);
            h.push_str("</span></a>");
            h
        };
        if self.paragraph > 0 {
            let p = self.paragraph.to_string();
            let _ = write!(
                out,
                "<span aria-hidden=\"true\">¶{p}</span><span class=\"visually-hidden\">"
            );
            e(out, &t.fill("paragraph_n", &[("n", &p)]));
            out.push_str("</span>");
        } else {
            e(
                out,
                t.get(if self.quote.is_empty() {
                    "source"
                } else {
                    "passage"
                }),
            );
        }
        out.push_str(&of_note_html);
        if self.quote.is_empty() {
            out.push_str(": <span class=\"note-quote whole\">");
            e(out, t.get("whole_source"));
            out.push_str("</span>");
        } else {
            out.push_str(": <q class=\"note-quote\"");
            if !self.lang.is_empty() {
                out.push_str(" lang=\"");
                e(out, &self.lang);
                out.push('"');
            }
            out.push('>');
            e(out, &self.quote);
            out.push_str("</q>");
            if !self.translation.is_empty() {
                out.push_str(
                    " <span class=\"note-translation\"><span class=\"translation-label\">",
                );
                e(out, t.get("translation"));
                out.push_str("</span> <q>");
                e(out, &self.translation);
                out.push_str("</q>");
                if !self.translator.is_empty() {
                    out.push_str(" <span class=\"translator\">");
                    e(out, &t.fill("translated_by", &[("name", &self.translator)]));
                    out.push_str("</span>");
                }
                out.push_str("</span>");
            }
        }
        if !self.original_url.is_empty() || !self.archived_url.is_empty() {
            out.push_str(" <span class=\"note-links\">");
            if !self.original_url.is_empty() {
                out.push_str("\n        <a class=\"original-link\" href=\"");
                e(out, &self.original_url);
                out.push_str("\" rel=\"external noopener\">");
                e(out, t.get("original"));
                out.push_str(&of_note_html);
            }
            if !self.archived_url.is_empty() {
                out.push_str("\n        <a class=\"archived-link\" href=\"");
                e(out, &self.archived_url);
                out.push_str("\" rel=\"external noopener\">");
                e(out, t.get("archived_copy"));
                if !self.archived_at.is_empty() {
                    out.push_str(" (");
                    e(out, &self.archived_at);
                    out.push(')');
                }
                out.push_str(&of_note_html);
            }
            out.push_str("</span>");
        }
        out.push_str("</li>");
    }
}

/// One entry of a page's list of sources cited (`references` in docs/templates.md): each
/// source the page's notes cite, given in full once, in the order of its first note.
#[derive(serde::Serialize)]
pub struct ReferenceContext<'a> {
    /// `ref-<source id>`, what the short notes link to.
    id: String,
    title: &'a str,
    /// The source's page on this site.
    url: String,
    outlet: &'a str,
    author: &'a str,
    date: String,
    is_summary: bool,
    summary_of: String,
    /// The source's language when it is not the site's (the `lang` of its title), else `""`.
    lang: String,
    /// The source's own `url` (for a summary without one, that of the report summarized),
    /// and its archived copy with the day it was made; each `""` when there is none.
    original_url: &'a str,
    archived_url: &'a str,
    archived_at: String,
    #[serde(skip)]
    t: &'a Strings,
}

impl ReferenceContext<'_> {
    /// One `<li>` of the list of sources cited.
    fn write_html(&self, out: &mut String) {
        let e = |out: &mut String, s: &str| crate::markdown::escape_into(out, s);
        let t = self.t;
        out.push_str("\n    <li id=\"");
        e(out, &self.id);
        out.push_str("\"><cite");
        if !self.lang.is_empty() {
            out.push_str(" lang=\"");
            e(out, &self.lang);
            out.push('"');
        }
        out.push_str("><a href=\"");
        e(out, &self.url);
        out.push_str("\">");
        e(out, self.title);
        out.push_str("</a></cite>");
        if !self.outlet.is_empty() {
            out.push_str(", <span class=\"outlet\">");
            e(out, self.outlet);
            out.push_str("</span>");
        }
        if !self.author.is_empty() {
            out.push_str(", ");
            e(out, self.author);
        }
        if !self.date.is_empty() {
            out.push_str(", ");
            e(out, &self.date);
        }
        if self.is_summary {
            out.push_str(" <span class=\"summary-mark\" title=\"");
            e(out, t.get("summary_mark_title"));
            out.push_str("\">");
            e(out, t.get("summary_mark"));
            out.push_str("</span>");
        }
        if !self.summary_of.is_empty() {
            out.push_str(" <span class=\"note-summary-of\">");
            e(out, &t.fill("our_summary_of", &[("of", &self.summary_of)]));
            out.push_str("</span>");
        }
        if !self.original_url.is_empty() {
            out.push_str(" <a class=\"url\" href=\"");
            e(out, self.original_url);
            out.push_str("\" rel=\"external noopener\">");
            e(out, t.get("original"));
            out.push_str("</a>");
        }
        if !self.archived_url.is_empty() {
            out.push_str(" <a class=\"archived-url\" href=\"");
            e(out, self.archived_url);
            out.push_str("\" rel=\"external noopener\">");
            e(out, t.get("archived_copy"));
            if !self.archived_at.is_empty() {
                out.push_str(" (");
                e(out, &self.archived_at);
                out.push(')');
            }
            out.push_str("</a>");
        }
        out.push_str("</li>");
    }
}

/// What a short note calls a source: its `short_title`, else its title when short, else the
/// title cut at the last word that ends within [`SHORT_TITLE`] characters, with "…".
pub fn short_title(meta: &SourceMeta) -> String {
    if let Some(s) = &meta.short_title {
        return s.clone();
    }
    let title = meta.title.trim();
    if title.chars().count() <= SHORT_TITLE {
        return title.to_string();
    }
    // One cut for every shortened title of the theme (at a word, "…" when cut).
    super::meta::cut(title, SHORT_TITLE + 1)
}

/// The longest a derived short title runs, in characters, before its "…".
const SHORT_TITLE: usize = 40;

/// The number of the paragraph of `source` that its passage `p` starts in, counted as its
/// page numbers them (hidden boilerplate paragraphs left out); `hidden` holds the indices of
/// the hidden ones.
fn paragraph_number(
    paragraphs: &[crate::load::Paragraph],
    hidden: &[usize],
    start: usize,
) -> usize {
    // The paragraph holding `start`, or the first after it when the passage starts between two.
    let i = paragraphs.partition_point(|p| p.range.end <= start);
    let before_hidden = hidden.partition_point(|&h| h < i);
    let own_hidden = usize::from(hidden.get(before_hidden) == Some(&i));
    (i + 1).saturating_sub(before_hidden + own_hidden).max(1)
}

/// Where a reader finds on the web the text a source stands for: the source's own `url`
/// and archived copy; for a summary without them, those of the report it summarizes.
pub(super) struct Originals<'a> {
    pub(super) url: Option<&'a str>,
    pub(super) archived: Option<&'a ArchivedCopy>,
    /// The links lead to the words of the source itself, so a quote's text fragment finds
    /// them there; a summarized report holds other words.
    pub(super) verbatim: bool,
}

impl<'a> Originals<'a> {
    pub(super) fn of(meta: &'a SourceMeta) -> Originals<'a> {
        let own = Originals {
            url: meta.url.as_deref(),
            archived: meta.archived.as_ref(),
            verbatim: true,
        };
        match &meta.summary_of {
            Some(of) if own.url.is_none() && own.archived.is_none() => Originals {
                url: of.url.as_deref(),
                archived: of.archived.as_ref(),
                verbatim: false,
            },
            _ => own,
        }
    }
}

/// A mark citing a note: its element id and its letter.
#[derive(serde::Serialize)]
pub struct Backref<'a> {
    id: &'a str,
    label: String,
}

/// A place on a page that cites a passage, for the source page's "cited by" links.
#[derive(Debug, Clone)]
pub struct Backlink {
    pub source: SourceId,
    pub passage: Option<usize>,
    /// The page's site path (`negotiators/medinsky/`) and title.
    pub page_path: std::sync::Arc<str>,
    pub page_title: std::sync::Arc<str>,
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

    /// Notes for a part of a page rendered on its own; see [`Notes::absorb`].
    pub fn deferred() -> Notes {
        Notes {
            deferred: true,
            ..Notes::default()
        }
    }

    /// The footnote marks for one citation point (one or more citations).
    pub fn mark(&mut self, b: &Briefing, ids: &[CitationId]) -> String {
        let mut out = String::from("<sup class=\"cite\">");
        let mut first = true;
        for &id in ids {
            let c = &b.citations[id.0 as usize];
            let n = self.entry_for(c.source, c.passage);
            let entry = &mut self.entries[n];
            if entry.translated.is_none() && c.translation.is_some() {
                entry.translated = Some(id);
            }
            let (mark_id, num) = if self.deferred {
                (
                    format!("cite-{OPEN}{n}.{}{CLOSE}", entry.uses.len()),
                    format!("{OPEN}{n}{CLOSE}"),
                )
            } else {
                (
                    format!("cite-{}-{}", n + 1, letters(entry.uses.len())),
                    (n + 1).to_string(),
                )
            };
            let note_label =
                crate::markdown::escape_html(&b.site.strings.fill("note_label", &[("n", &num)]));
            if !first {
                out.push_str(", ");
            }
            first = false;
            for part in [
                "<a id=\"",
                &mark_id,
                "\" href=\"#note-",
                &num,
                "\" data-note=\"note-",
                &num,
                "\" aria-label=\"",
                &note_label,
                "\">",
                &num,
                "</a>",
            ] {
                out.push_str(part);
            }
            if self.home == Some(c.owner) && entry.home_mark.is_none() {
                entry.home_mark = Some(mark_id.clone());
            }
            entry.uses.push(mark_id);
        }
        out.push_str("</sup>");
        out
    }

    /// The index of the note for a passage, added when the page has none yet.
    fn entry_for(&mut self, source: SourceId, passage: Option<usize>) -> usize {
        *self.by_key.entry((source, passage)).or_insert_with(|| {
            self.entries.push(Entry {
                source,
                passage,
                uses: Vec::new(),
                home_mark: None,
                translated: None,
            });
            self.entries.len() - 1
        })
    }

    /// Marks for a structured `cite:` list, or nothing when it is empty.
    pub fn marks_for(&mut self, b: &Briefing, ids: &[CitationId]) -> String {
        if ids.is_empty() {
            String::new()
        } else {
            self.mark(b, ids)
        }
    }

    /// Appends the notes of a deferred `part` (rendered as `html`) after this page's own:
    /// a passage noted before keeps its number, a new one takes the next. Returns `html`
    /// with its placeholders replaced by the numbers and mark ids.
    pub fn absorb(&mut self, part: Notes, html: &str) -> String {
        // For each entry of the part: its number here and how many marks it had before.
        let mut placed = Vec::with_capacity(part.entries.len());
        for e in part.entries {
            let n = self.entry_for(e.source, e.passage);
            let entry = &mut self.entries[n];
            let before = entry.uses.len();
            if entry.translated.is_none() {
                entry.translated = e.translated;
            }
            let mark = |k: usize| format!("cite-{}-{}", n + 1, letters(before + k));
            if entry.home_mark.is_none() {
                entry.home_mark = e.home_mark.as_deref().and_then(|m| {
                    let k = m.rsplit('.').next()?.trim_end_matches(CLOSE).parse().ok()?;
                    Some(mark(k))
                });
            }
            entry.uses.extend((0..e.uses.len()).map(mark));
            placed.push((n, before));
        }
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find(OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + OPEN.len_utf8()..];
            match placeholder_at(after).and_then(|(e, k, len)| Some((placed.get(e)?, k, len))) {
                Some((&(n, before), k, len)) => {
                    match k {
                        Some(k) => out.push_str(&format!("{}-{}", n + 1, letters(before + k))),
                        None => out.push_str(&(n + 1).to_string()),
                    }
                    rest = &after[len..];
                }
                // Not one of ours: kept, and the search goes on right after it, so that it
                // cannot swallow a placeholder that follows.
                None => {
                    out.push(OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The notes for the template, `root` leading from the page to the site root.
    pub fn context<'a>(
        &'a self,
        b: &'a Briefing,
        fragments: &TextFragments,
        root: &str,
    ) -> Vec<NoteContext<'a>> {
        self.context_of(b, fragments, root, 0..self.entries.len())
    }

    /// The list of sources cited by this page's notes, each once, in the order of its first
    /// note.
    pub fn references<'a>(&self, b: &'a Briefing, root: &str) -> Vec<ReferenceContext<'a>> {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .filter(|e| seen.insert(e.source))
            .map(|e| {
                let s = &b.sources[e.source.0 as usize];
                let meta = &s.source.meta;
                let originals = Originals::of(meta);
                ReferenceContext {
                    id: reference_id(&s.source.id),
                    title: &meta.title,
                    url: site_link(root, &site_map::source_dir(&s.source.id)),
                    outlet: meta.outlet.as_deref().unwrap_or_default(),
                    author: meta.author.as_deref().unwrap_or_default(),
                    date: meta
                        .published
                        .map(|d| b.site.strings.date(&d))
                        .unwrap_or_default(),
                    is_summary: meta.summary_of.is_some(),
                    summary_of: meta
                        .summary_of
                        .as_ref()
                        .map(|x| x.describe_in(&b.site.strings))
                        .unwrap_or_default(),
                    lang: foreign_language(meta.language.as_deref(), &b.site.config.language),
                    original_url: originals.url.unwrap_or_default(),
                    archived_url: originals
                        .archived
                        .map(|a| a.url.as_str())
                        .unwrap_or_default(),
                    archived_at: originals
                        .archived
                        .and_then(|a| a.at)
                        .map(|d| b.site.strings.date(&d))
                        .unwrap_or_default(),
                    t: &b.site.strings,
                }
            })
            .collect()
    }

    /// [`Notes::context`] of the notes in `range`.
    fn context_of<'a>(
        &'a self,
        b: &'a Briefing,
        fragments: &TextFragments,
        root: &str,
        range: std::ops::Range<usize>,
    ) -> Vec<NoteContext<'a>> {
        let first = range.start;
        // The hidden paragraphs of each source cited here, for the notes' paragraph numbers:
        // found once a source, not once a note.
        let mut hidden: HashMap<SourceId, Vec<usize>> = HashMap::new();
        for e in &self.entries[range.clone()] {
            hidden.entry(e.source).or_insert_with(|| {
                let s = &b.sources[e.source.0 as usize];
                s.source
                    .paragraphs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.hidden.then_some(i))
                    .collect()
            });
        }
        self.entries[range]
            .par_iter()
            // Most pages have a few dozen notes: split only the long lists (the print view).
            .with_min_len(512)
            .enumerate()
            .map(|(i, e)| {
                let i = first + i;
                let s = &b.sources[e.source.0 as usize];
                let meta = &s.source.meta;
                let quote = e
                    .passage
                    .map(|p| {
                        collapse_white_space(&s.source.text()[s.passages[p].clone()]).into_owned()
                    })
                    .unwrap_or_default();
                let source_path = site_map::source_dir(&s.source.id);
                let passage_url = match e.passage {
                    Some(p) => site_link(root, &site_map::passage(&source_path, p)),
                    None => site_link(root, &source_path),
                };
                let originals = Originals::of(meta);
                let has_original = originals.url.is_some() || originals.archived.is_some();
                let fragment = match (originals.verbatim && has_original, e.passage) {
                    (true, Some(p)) => match fragments.of(b, e.source, p) {
                        "" => String::new(),
                        directive => format!("#:~:text={directive}"),
                    },
                    _ => String::new(),
                };
                let link = |u: &str| format!("{u}{fragment}");
                let original_url = originals.url.map(link).unwrap_or_default();
                let archived_url = originals.archived.map(|a| link(&a.url)).unwrap_or_default();
                let archived_at = originals
                    .archived
                    .and_then(|a| a.at)
                    .map(|d| b.site.strings.date(&d))
                    .unwrap_or_default();
                let translated = e.translated.map(|id| &b.citations[id.0 as usize]);
                let paragraph = e.passage.map_or(0, |p| {
                    paragraph_number(
                        &s.source.paragraphs,
                        hidden.get(&e.source).map_or(&[][..], Vec::as_slice),
                        s.passages[p].start,
                    )
                });
                NoteContext {
                    n: i + 1,
                    id: format!("note-{}", i + 1),
                    source_title: &meta.title,
                    short_title: short_title(meta),
                    paragraph,
                    ref_id: reference_id(&s.source.id),
                    source_url: site_link(root, &source_path),
                    outlet: meta.outlet.as_deref().unwrap_or_default(),
                    author: meta.author.as_deref().unwrap_or_default(),
                    date: meta
                        .published
                        .map(|d| b.site.strings.date(&d))
                        .unwrap_or_default(),
                    is_summary: meta.summary_of.is_some(),
                    summary_of: meta
                        .summary_of
                        .as_ref()
                        .map(|x| x.describe_in(&b.site.strings))
                        .unwrap_or_default(),
                    quote,
                    translation: translated
                        .and_then(|c| c.translation.as_deref())
                        .map(|t| collapse_white_space(t).into_owned())
                        .unwrap_or_default(),
                    translator: translated
                        .and_then(|c| c.translator.as_deref())
                        .unwrap_or_default()
                        .to_string(),
                    t: &b.site.strings,
                    lang: foreign_language(meta.language.as_deref(), &b.site.config.language),
                    passage_url,
                    original_url,
                    archived_url,
                    archived_at,
                    backrefs: e
                        .uses
                        .iter()
                        .enumerate()
                        .map(|(k, id)| Backref {
                            id,
                            label: letters(k),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// The notes section exactly as the built-in `partials/notes.html` renders it. Tera takes
    /// several microseconds a note, and a large briefing's pages hold tens of thousands of
    /// notes; a test builds the example both ways and compares every byte.
    pub fn html(notes: &[NoteContext], references: &[ReferenceContext]) -> String {
        let mut out = String::new();
        if notes.is_empty() {
            return out;
        }
        // Writing into a String cannot fail.
        let mut push = |html: &str| {
            out.push_str(html);
            Ok(())
        };
        let _ = push(&list_start(notes[0].t));
        let _ = write_runs(notes, &mut push);
        let _ = push(&list_end(notes[0].t, references));
        out
    }

    /// [`Notes::html`] of this page's notes, handed to `text` a stretch at a time: the print
    /// view's notes list runs to tens of megabytes, and is made and written a batch of notes
    /// at a time instead of held whole.
    pub fn write_html(
        &self,
        b: &Briefing,
        fragments: &TextFragments,
        root: &str,
        text: &mut dyn FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        text(&list_start(&b.site.strings))?;
        let batch = super::RUN * rayon::current_num_threads().max(1) * 2;
        for start in (0..self.entries.len()).step_by(batch) {
            let end = self.entries.len().min(start + batch);
            write_runs(&self.context_of(b, fragments, root, start..end), text)?;
        }
        text(&list_end(&b.site.strings, &self.references(b, root)))
    }

    /// True when the page cites nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One backlink per passage cited by a text this page is the home of, to the first mark
    /// citing it there.
    pub fn backlinks(&self, page_path: &str, page_title: &str) -> Vec<Backlink> {
        // Shared by the page's backlinks: a large briefing has tens of thousands.
        let (path, title): (std::sync::Arc<str>, std::sync::Arc<str>) =
            (page_path.into(), page_title.into());
        self.entries
            .iter()
            .filter_map(|e| {
                Some(Backlink {
                    source: e.source,
                    passage: e.passage,
                    page_path: path.clone(),
                    page_title: title.clone(),
                    mark_id: e.home_mark.clone()?,
                })
            })
            .collect()
    }
}

/// The placeholder that `text` (what follows an `OPEN`) starts with: its entry, its use (for
/// a mark), and its length up to and with the `CLOSE`. Only digits, one `.` and digits, and
/// the `CLOSE` make one.
fn placeholder_at(text: &str) -> Option<(usize, Option<usize>, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let e_len = digits(text);
    let entry = text[..e_len].parse().ok()?;
    let rest = &text[e_len..];
    let (used, k_len) = match rest.strip_prefix('.') {
        Some(r) => {
            let k_len = digits(r);
            (Some(r[..k_len].parse().ok()?), 1 + k_len)
        }
        None => (None, 0),
    };
    rest[k_len..]
        .starts_with(CLOSE)
        .then_some((entry, used, e_len + k_len + CLOSE.len_utf8()))
}

/// The notes list around its items (as partials/notes.html writes it; the partial file ends
/// in a line break, which Tera keeps).
fn list_start(t: &Strings) -> String {
    let mut out = String::from(
        "\n<section class=\"notes\" aria-labelledby=\"notes-heading\">\n  <h2 id=\"notes-heading\">",
    );
    crate::markdown::escape_into(&mut out, t.get("notes"));
    out.push_str("</h2>\n  <ol>");
    out
}
/// The end of the notes list, and the list of sources cited after it (a section of its own,
/// which a wide screen sets in the margin beside the text).
fn list_end(t: &Strings, references: &[ReferenceContext]) -> String {
    let mut out = String::from(
        "\n  </ol>\n</section>\n<section class=\"references\" aria-labelledby=\"references-heading\">\n  <h2 id=\"references-heading\">",
    );
    crate::markdown::escape_into(&mut out, t.get("sources_cited"));
    out.push_str("</h2>\n  <ul>");
    for r in references {
        r.write_html(&mut out);
    }
    out.push_str("\n  </ul>\n</section>\n");
    out
}

/// The element id of a source's entry in a page's list of sources cited.
fn reference_id(source: &str) -> String {
    format!("ref-{source}")
}

/// The items of a notes list.
fn write_runs(
    notes: &[NoteContext],
    text: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for run in super::html_runs(notes, 900, NoteContext::write_html) {
        text(&run)?;
    }
    Ok(())
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

/// The language tag a quote from a source in `source` needs on a site in `site`: the source's
/// tag when the two differ, empty when they agree or the source does not say.
pub fn foreign_language(source: Option<&str>, site: &str) -> String {
    match source.map(str::trim) {
        Some(l) if !l.is_empty() && !super::meta::same_language(l, site) => l.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deferred part as [`Notes::mark`] leaves it: one entry per passage, with its uses.
    fn part(entries: &[(u32, usize, usize)]) -> Notes {
        let mut notes = Notes::deferred();
        for &(source, passage, uses) in entries {
            let n = notes.entries.len();
            notes.by_key.insert((SourceId(source), Some(passage)), n);
            notes.entries.push(Entry {
                source: SourceId(source),
                passage: Some(passage),
                uses: (0..uses)
                    .map(|k| format!("cite-{OPEN}{n}.{k}{CLOSE}"))
                    .collect(),
                home_mark: None,
                translated: None,
            });
        }
        notes
    }

    #[test]
    fn absorbed_parts_are_numbered_in_page_order_and_repeats_keep_their_number() {
        let mut page = Notes::default();
        let p = |e: usize| format!("{OPEN}{e}{CLOSE}");
        let m = |e: usize, k: usize| format!("{OPEN}{e}.{k}{CLOSE}");
        // The first part cites passages A and B (A twice).
        let html = format!(
            "[{}:{}][{}:{}][{}:{}]",
            p(0),
            m(0, 0),
            p(1),
            m(1, 0),
            p(0),
            m(0, 1)
        );
        assert_eq!(
            page.absorb(part(&[(0, 0, 2), (0, 1, 1)]), &html),
            "[1:1-a][2:2-a][1:1-b]"
        );
        // The second cites C, then A again: C is new (3), A keeps 1 and its next letter.
        let html = format!("[{}:{}][{}:{}]", p(0), m(0, 0), p(1), m(1, 0));
        assert_eq!(
            page.absorb(part(&[(1, 0, 1), (0, 0, 1)]), &html),
            "[3:3-a][1:1-c]"
        );
        assert_eq!(page.entries.len(), 3);
        assert_eq!(page.entries[0].uses, ["cite-1-a", "cite-1-b", "cite-1-c"]);
        // What is not exactly a placeholder of the part is left as it is, and does not
        // swallow the placeholders after it.
        let odd = format!("{OPEN}x{CLOSE} {OPEN}9{CLOSE} {OPEN}0.{CLOSE} {OPEN}");
        assert_eq!(page.absorb(Notes::deferred(), &odd), odd);
        let html = format!("{OPEN}[{OPEN}1.{OPEN}{}:{}]", p(0), m(0, 0));
        assert_eq!(
            page.absorb(part(&[(2, 0, 1)]), &html),
            format!("{OPEN}[{OPEN}1.{OPEN}4:4-a]")
        );
    }

    #[test]
    fn short_titles_are_the_field_else_the_title_cut_at_a_word() {
        let meta = |title: &str, short: Option<&str>| SourceMeta {
            title: title.to_string(),
            short_title: short.map(str::to_string),
            ..SourceMeta::default()
        };
        assert_eq!(short_title(&meta("Talks resume", None)), "Talks resume");
        assert_eq!(
            short_title(&meta(
                "A very long headline about the talks, in Istanbul",
                Some("Talks")
            )),
            "Talks"
        );
        // Cut before the word that crosses 40 characters, its comma left off.
        assert_eq!(
            short_title(&meta(
                "Talks between the two delegations, resumed in Istanbul",
                None
            )),
            "Talks between the two delegations…"
        );
        let cut = short_title(&meta(
            "Kremlin warns of 'very difficult' talks as delegations gather",
            None,
        ));
        assert_eq!(cut, "Kremlin warns of 'very difficult' talks…");
        assert!(cut.chars().count() <= SHORT_TITLE + 1);
        // One word longer than the limit is cut inside it, on a character boundary.
        let long = "Ч".repeat(60);
        assert_eq!(
            short_title(&meta(&long, None)),
            format!("{}…", "Ч".repeat(40))
        );
    }

    #[test]
    fn paragraph_numbers_skip_hidden_paragraphs() {
        let para = |range: std::ops::Range<usize>, hidden| crate::load::Paragraph { range, hidden };
        // Paragraphs at 0..10, 12..20 (hidden boilerplate), 22..30, 32..40.
        let ps = [
            para(0..10, false),
            para(12..20, true),
            para(22..30, false),
            para(32..40, false),
        ];
        let hidden = [1];
        assert_eq!(paragraph_number(&ps, &hidden, 3), 1);
        assert_eq!(paragraph_number(&ps, &hidden, 22), 2);
        assert_eq!(paragraph_number(&ps, &hidden, 35), 3);
        // A passage in a hidden paragraph is given the number of the one shown before it.
        assert_eq!(paragraph_number(&ps, &hidden, 14), 1);
        assert_eq!(paragraph_number(&ps, &[], 35), 4);
    }

    #[test]
    fn backlink_letters() {
        assert_eq!(letters(0), "a");
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        assert_eq!(letters(27), "ab");
    }
}
