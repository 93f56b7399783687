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
    /// One `<li>` of [`Notes::html`].
    fn write_html(&self, out: &mut String) {
        use std::fmt::Write;
        let e = |out: &mut String, s: &str| crate::markdown::escape_into(out, s);
        let n = self.n;
        let t = self.t;
        let n_text = n.to_string();
        let of_note = t.fill("of_note", &[("n", &n_text)]);
        out.push_str("\n    <li id=\"");
        e(out, &self.id);
        let _ = write!(
            out,
            "\" value=\"{n}\">\n      <p class=\"note-source\"><cite><a href=\""
        );
        e(out, &self.source_url);
        out.push_str("\">");
        e(out, self.source_title);
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
            out.push_str("<br><span class=\"note-summary-of\">");
            e(out, &t.fill("our_summary_of", &[("of", &self.summary_of)]));
            out.push_str("</span>");
        }
        out.push_str("</p>");
        if self.quote.is_empty() {
            out.push_str("\n      <p class=\"note-quote whole\">");
            e(out, t.get("whole_source"));
            out.push_str("</p>");
        } else {
            out.push_str("\n      <p class=\"note-quote\"><q");
            if !self.lang.is_empty() {
                out.push_str(" lang=\"");
                e(out, &self.lang);
                out.push('"');
            }
            out.push('>');
            e(out, &self.quote);
            out.push_str("</q></p>");
            if !self.translation.is_empty() {
                out.push_str(
                    "\n      <p class=\"note-translation\"><span class=\"translation-label\">",
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
                out.push_str("</p>");
            }
        }
        out.push_str("\n      <p class=\"note-links\">");
        match self.backrefs.as_slice() {
            [] => {}
            [one] => {
                out.push_str("\n        <a class=\"backref\" href=\"#");
                e(out, one.id);
                out.push_str("\" aria-label=\"");
                e(out, &t.fill("back_to_text", &[("n", &n_text)]));
                out.push_str("\">↩</a>");
            }
            all => {
                out.push_str(
                    "\n        <span class=\"backrefs\"><span aria-hidden=\"true\">↩</span>",
                );
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
                out.push_str("</span>");
            }
        }
        out.push_str("\n        <a class=\"passage-link\" href=\"");
        e(out, &self.passage_url);
        out.push_str("\">");
        e(
            out,
            t.get(if self.quote.is_empty() {
                "source"
            } else {
                "passage"
            }),
        );
        let of_note_html = {
            let mut h = String::from("<span class=\"visually-hidden\"> ");
            e(&mut h, &of_note);
            h.push_str("</span></a>");
            h
        };
        out.push_str(&of_note_html);
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
        out.push_str("\n      </p>\n    </li>");
    }
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

    /// [`Notes::context`] of the notes in `range`.
    fn context_of<'a>(
        &'a self,
        b: &'a Briefing,
        fragments: &TextFragments,
        root: &str,
        range: std::ops::Range<usize>,
    ) -> Vec<NoteContext<'a>> {
        let first = range.start;
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
                NoteContext {
                    n: i + 1,
                    id: format!("note-{}", i + 1),
                    source_title: &meta.title,
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
    pub fn html(notes: &[NoteContext]) -> String {
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
        let _ = push(LIST_END);
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
        text(LIST_END)
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
const LIST_END: &str = "\n  </ol>\n</section>\n";

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
    fn backlink_letters() {
        assert_eq!(letters(0), "a");
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        assert_eq!(letters(27), "ab");
    }
}
