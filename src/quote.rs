//! Quoting a source: where a text occurs in it, the shortest unique passage around each
//! occurrence, and the citation ready to paste (`brief quote`, and the Cite button of
//! `brief serve`).
//!
//! Everything is decided by the matcher that anchors citations at build time
//! ([`crate::text::quote`], under brief's folding): a passage is "unique" here exactly when
//! the build would anchor it without an `ambiguous-quote` warning, and every citation given
//! is checked with [`find_quote`] before it is handed out.
//!
//! - [`look_up`]: a text typed by the user (`brief quote <id> "<text>"`);
//! - [`cite_selection`]: a selection made on the source's page, given by paragraph and
//!   offset, as the Cite button sends it;
//! - [`inline_citation`] and [`yaml_cite`]: the two ways to write a citation.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{Paragraph, Source};
use crate::text::quote::{QuoteMatch, find_all_folded, find_quote, words};
use crate::text::{Folded, collapse_white_space, fold};

/// A passage of a source: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// Byte range in the source's text.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The passage as written, white space collapsed: what a quote of it says.
    pub text: String,
    /// 1-based line of its start in the source's file.
    pub line: usize,
    /// 1-based column (in characters) of its start.
    pub column: usize,
    /// The number of its (first) paragraph on the source's page; `None` when that paragraph
    /// is hidden boilerplate, which has no number.
    pub paragraph: Option<usize>,
}

/// How an occurrence can be cited without ambiguity.
#[derive(Debug, Clone, PartialEq)]
pub enum Unique {
    /// It is the only occurrence: cite it as it is.
    AsIs,
    /// Extended by `before` words before it and `after` words after it (within its
    /// paragraph), it occurs once.
    Extended {
        passage: Passage,
        before: usize,
        after: usize,
    },
    /// No extension within its paragraph is unique: why, in one sentence.
    Impossible(String),
}

/// One place where a looked-up text occurs, and how to cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub passage: Passage,
    pub unique: Unique,
}

impl Occurrence {
    /// The quote that cites this occurrence alone, if there is one.
    pub fn quote(&self) -> Option<&str> {
        match &self.unique {
            Unique::AsIs => Some(&self.passage.text),
            Unique::Extended { passage, .. } => Some(&passage.text),
            Unique::Impossible(_) => None,
        }
    }
}

/// What [`look_up`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The text occurs: every occurrence, in text order (more than one: ambiguous).
    Found(Vec<Occurrence>),
    /// The text does not occur; the most similar passage, when one is close.
    NotFound { closest: Option<Passage> },
}

/// The answer to `brief quote <id> "<text>"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The source's id.
    pub source: String,
    /// The source's file, relative to the briefing.
    pub file: PathBuf,
    /// The text looked for, white space collapsed.
    pub quote: String,
    /// How many times it occurs (the outcome lists the first [`MAX_SHOWN`]).
    pub count: usize,
    pub outcome: Outcome,
}

/// Looks for `quote` in `source` as the build does, and works out how to cite each place
/// it occurs.
pub fn look_up(source: &Source, quote: &str) -> Lookup {
    let text = source.text();
    let folded = Folded::new(text);
    let needle = fold(quote);
    let all: Vec<Range<usize>> = find_all_folded(&folded, &needle).collect();
    let outcome = if all.is_empty() {
        let closest = match find_quote(text, &folded, quote) {
            QuoteMatch::NotFound { closest } => closest.map(|r| passage(source, r)),
            // Not reachable: the same matcher found nothing above.
            QuoteMatch::Found { range, .. } => Some(passage(source, range)),
        };
        Outcome::NotFound { closest }
    } else {
        Outcome::Found(
            all.iter()
                .take(MAX_SHOWN)
                .map(|occ| {
                    let passage = passage(source, folded.original_range(occ.clone()));
                    let unique = match make_unique(source, &folded, occ.clone(), &all) {
                        // The citation syntax ends a quote at `[@`.
                        Unique::AsIs if passage.text.contains("[@") => Unique::Impossible(
                            "it holds `[@`, which starts a citation: a quote cannot hold it"
                                .into(),
                        ),
                        Unique::Extended { passage: p, .. } if p.text.contains("[@") => {
                            Unique::Impossible(
                                "its unique extension holds `[@`, which starts a citation: a quote cannot hold it"
                                    .into(),
                            )
                        }
                        other => other,
                    };
                    Occurrence { passage, unique }
                })
                .collect(),
        )
    };
    Lookup {
        source: source.id.clone(),
        file: source.path.clone(),
        count: all.len(),
        quote: collapse_white_space(quote).into_owned(),
        outcome,
    }
}

/// A passage of `source` at `range`, located.
fn passage(source: &Source, range: Range<usize>) -> Passage {
    let text = source.text();
    let at = source.origin.locate(text, range.clone());
    Passage {
        text: collapse_white_space(&text[range.clone()]).into_owned(),
        line: at.line(),
        column: at.column(),
        paragraph: page_number(&source.paragraphs, range.start),
        range,
    }
}

/// The index of the paragraph that holds byte `at` of the text, or the last one before it.
fn paragraph_at(paragraphs: &[Paragraph], at: usize) -> Option<usize> {
    paragraphs
        .partition_point(|p| p.range.start <= at)
        .checked_sub(1)
}

/// The number the source's page gives the paragraph holding byte `at` (visible paragraphs
/// are numbered from 1; hidden boilerplate has no number).
fn page_number(paragraphs: &[Paragraph], at: usize) -> Option<usize> {
    let i = paragraph_at(paragraphs, at)?;
    if paragraphs[i].hidden {
        return None;
    }
    Some(paragraphs[..=i].iter().filter(|p| !p.hidden).count())
}

/// A text that occurs more often than this is not extended: a reader means one of its
/// places, and more of its words say which far better than brief can guess.
const MAX_RIVALS: usize = 1000;

/// At most this many words are added to a passage to make it unique: a passage that needs
/// more is better chosen by its reader.
const MAX_ADDED: usize = 30;

/// The occurrences `brief quote` shows, each with its unique extension; the count says how
/// many there are in all.
const MAX_SHOWN: usize = 20;

/// Another occurrence of the text being extended (see [`make_unique`]).
struct Rival {
    /// Its folded range.
    at: Range<usize>,
    /// How many folded bytes before it, and after it, equal those around the occurrence
    /// being extended.
    before: usize,
    after: usize,
}

/// The shortest passage around the occurrence `occ` (a folded range) that occurs once,
/// given `all` the occurrences of its text.
///
/// It grows word by word, within the paragraph it starts in (backwards) and the one it ends
/// in (forwards): first by one word, trying the word after it and then the word before,
/// then by two (two after, one on each side, two before), and so on, so the first unique
/// passage found has the fewest words added, and of those the most after it. A passage that
/// holds the occurrence at a fixed place can only occur where another occurrence of the
/// text stands at the same place, so each try compares it with those only; the one chosen
/// is then checked with the matcher itself.
fn make_unique(
    source: &Source,
    folded: &Folded,
    occ: Range<usize>,
    all: &[Range<usize>],
) -> Unique {
    if all.len() == 1 {
        return Unique::AsIs;
    }
    let text = source.text();
    let hay = folded.as_str();
    let bytes = hay.as_bytes();
    let original = folded.original_range(occ.clone());
    let paragraphs = &source.paragraphs;
    let first = paragraph_at(paragraphs, original.start);
    let last = paragraph_at(
        paragraphs,
        original.end.saturating_sub(1).max(original.start),
    );
    let from = first.map_or(occ.start, |i| {
        folded
            .folded_offset(paragraphs[i].range.start)
            .min(occ.start)
    });
    let to = last.map_or(occ.end, |i| {
        folded.folded_offset(paragraphs[i].range.end).max(occ.end)
    });
    // Where each added word ends (forwards) or starts (backwards), nearest first.
    let after: Vec<usize> = words(&hay[occ.end..to])
        .iter()
        .map(|w| occ.end + w.end)
        .collect();
    let before: Vec<usize> = words(&hay[from..occ.start])
        .iter()
        .rev()
        .map(|w| from + w.start)
        .collect();
    if all.len() > MAX_RIVALS {
        return Unique::Impossible(format!(
            "it occurs {} times: quote more words of the passage you mean",
            all.len()
        ));
    }
    // How far the text on each side of every other occurrence reads the same as around this
    // one (in folded bytes, as far as the words that may be added reach): an extension occurs there too
    // exactly when it reaches no further than that on either side. Worked out once, each try
    // below is then a comparison of two numbers per occurrence.
    // No try reaches further than the words it may add.
    let back_to = before[..before.len().min(MAX_ADDED)]
        .last()
        .copied()
        .unwrap_or(occ.start);
    let forth_to = after[..after.len().min(MAX_ADDED)]
        .last()
        .copied()
        .unwrap_or(occ.end);
    let rivals: Vec<Rival> = all
        .iter()
        .filter(|o| o.start != occ.start)
        .map(|o| Rival {
            at: o.clone(),
            before: bytes[back_to..occ.start]
                .iter()
                .rev()
                .zip(bytes[..o.start].iter().rev())
                .take_while(|(a, b)| a == b)
                .count(),
            after: bytes[occ.end..forth_to]
                .iter()
                .zip(&bytes[o.end..])
                .take_while(|(a, b)| a == b)
                .count(),
        })
        .collect();
    for added in 1..=(after.len() + before.len()).min(MAX_ADDED) {
        for forwards in (0..=added.min(after.len())).rev() {
            let backwards = added - forwards;
            if backwards > before.len() {
                break;
            }
            let start = if backwards == 0 {
                occ.start
            } else {
                before[backwards - 1]
            };
            let end = if forwards == 0 {
                occ.end
            } else {
                after[forwards - 1]
            };
            let (back, forth) = (occ.start - start, end - occ.end);
            let alone = rivals.iter().all(|r| {
                r.before < back
                    || r.after < forth
                    || !folded.is_unit_boundary(r.at.start - back)
                    || !folded.is_unit_boundary(r.at.end + forth)
            });
            if !alone {
                continue;
            }
            // The matcher is the judge: the passage must be found once, here.
            let range = folded.original_range(start..end);
            if let QuoteMatch::Found { range: found, also } =
                find_quote(text, folded, &text[range.clone()])
                && also.is_empty()
                && found == range
            {
                return Unique::Extended {
                    passage: passage(source, range),
                    before: backwards,
                    after: forwards,
                };
            }
        }
    }
    if after.len() + before.len() > MAX_ADDED {
        return Unique::Impossible(format!(
            "it occurs {} times, and stays ambiguous with {MAX_ADDED} words added around it: quote a passage that says which one you mean",
            all.len()
        ));
    }
    Unique::Impossible(format!(
        "it occurs {} times, and stays ambiguous up to the ends of its paragraph: quote on into the next paragraph, or cite the whole source",
        all.len()
    ))
}

/// A selection on a source's page, as the Cite button sends it: where it starts and ends,
/// each as the number of a visible paragraph (from 1, as the page numbers them) and an
/// offset in that paragraph's text in UTF-16 code units (as the browser counts), and the
/// text the page shows for it (its paragraphs' pieces, joined by line breaks).
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub text: String,
}

/// A citation of a selection, ready to paste.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    /// The quotes: one, or one for each stretch between hidden boilerplate paragraphs.
    pub quotes: Vec<String>,
    /// `[@id "quote"]` (`[@id "a"; @id "b"]` for several).
    pub citation: String,
    /// The `cite:` entry for a claim in YAML.
    pub yaml: String,
    /// What was done to the selection, for the reader (empty when it is cited as it is).
    pub notes: Vec<String>,
}

/// The citation of a selection on `source`'s page: its text, extended word by word where
/// that is needed to be unique, and cut in two around a hidden boilerplate paragraph (whose
/// text the page does not show, so the reader did not select it). `Err` says why it cannot
/// be cited.
pub fn cite_selection(source: &Source, selection: &Selection) -> Result<Cited, String> {
    let text = source.text();
    let paragraphs = &source.paragraphs;
    let point = |(number, offset): (usize, usize)| -> Option<usize> {
        let p = paragraphs
            .iter()
            .filter(|p| !p.hidden)
            .nth(number.checked_sub(1)?)?;
        Some(p.range.start + utf16_to_byte(&text[p.range.clone()], offset))
    };
    let stale = "the page is older than the source's file: reload the page and select again";
    let (Some(a), Some(b)) = (point(selection.start), point(selection.end)) else {
        return Err(stale.into());
    };
    if a >= b {
        return Err("select some words of the text first".into());
    }
    // The stretches of the selection between hidden paragraphs.
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    for p in paragraphs
        .iter()
        .filter(|p| p.range.end > a && p.range.start < b)
    {
        if p.hidden {
            parts.extend(open.take());
        } else {
            let piece = a.max(p.range.start)..b.min(p.range.end);
            open = Some(match open {
                Some(o) => o.start..piece.end,
                None => piece,
            });
        }
    }
    parts.extend(open);
    let parts: Vec<Range<usize>> = parts
        .into_iter()
        .map(|r| trim(text, r))
        .filter(|r| !fold(&text[r.clone()]).is_empty())
        .collect();
    if parts.is_empty() {
        return Err("select some words of the text first".into());
    }
    // What the page showed must be what the file says there, or the offsets are stale.
    let shown: Vec<&str> = parts.iter().map(|r| &text[r.clone()]).collect();
    if fold(&shown.join(" ")) != fold(&selection.text) {
        return Err(stale.into());
    }

    let folded = Folded::new(text);
    let mut quotes = Vec::new();
    let mut notes = Vec::new();
    if parts.len() > 1 {
        notes.push(format!(
            "the selection spans hidden boilerplate: cited as {} passages, one on each side",
            parts.len()
        ));
    }
    for r in &parts {
        let needle = fold(&text[r.clone()]);
        let at = folded.folded_offset(r.start);
        let all: Vec<Range<usize>> = find_all_folded(&folded, &needle).collect();
        // The occurrence the reader selected, none other: when the selection cuts a
        // character in two (a letter from its accent), its folded words are not there.
        let Some(occ) = all.iter().find(|o| o.start == at).cloned() else {
            return Err(
                "the selection starts or ends inside a character: select whole words".into(),
            );
        };
        let selected = collapse_white_space(&text[r.clone()]).into_owned();
        match make_unique(source, &folded, occ, &all) {
            Unique::AsIs => quotes.push(selected),
            Unique::Extended {
                passage,
                before,
                after,
            } => {
                notes.push(format!(
                    "“{selected}” occurs {} times in the source: {} to be unique",
                    all.len(),
                    extended_by(before, after)
                ));
                quotes.push(passage.text);
            }
            Unique::Impossible(why) => return Err(format!("“{selected}” cannot be cited: {why}")),
        }
    }
    if let Some(q) = quotes.iter().find(|q| q.contains("[@")) {
        return Err(format!(
            "“{q}” holds `[@`, which starts a citation: a quote cannot hold it"
        ));
    }
    Ok(Cited {
        citation: inline_citation(&source.id, &quotes),
        yaml: yaml_cite(&source.id, &quotes),
        quotes,
        notes,
    })
}

/// "extended by 2 words after" and the like.
pub fn extended_by(before: usize, after: usize) -> String {
    let words = |n: usize| crate::plural(n, "word");
    match (before, after) {
        (0, a) => format!("extended by {} after", words(a)),
        (b, 0) => format!("extended by {} before", words(b)),
        (b, a) => format!("extended by {} before and {} after", words(b), words(a)),
    }
}

/// `range` of `text` without the white space at either end.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    start..(start + s.trim().len()).max(start)
}

/// The byte offset in `s` of the UTF-16 offset `units` of the page's text of `s`, on a char
/// boundary (a surrogate pair split in two counts whole); past the end gives the end.
///
/// The page's text is `s` as the browser's HTML parser left it, which makes every `\r\n` one
/// `\n`: so a file saved with Windows line breaks counts one unit for each.
fn utf16_to_byte(s: &str, units: usize) -> usize {
    let mut seen = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if seen >= units {
            return at;
        }
        if c == '\r' && chars.next_if(|&(_, n)| n == '\n').is_some() {
            seen += 1;
            continue;
        }
        seen += c.len_utf16();
    }
    s.len()
}

/// `[@id "quote"]`, or `[@id "a"; @id "b"]` for several quotes of one source, in the
/// citation syntax of docs/format.md: straight quotation marks with `\"` for a straight
/// quote inside, or `“…”` (`«…»`) when the quote ends with a backslash, which would escape
/// the closing mark.
pub fn inline_citation(id: &str, quotes: &[String]) -> String {
    let cites: Vec<String> = quotes
        .iter()
        .map(|q| {
            let marked = if !q.ends_with('\\') {
                format!("\"{}\"", q.replace('"', "\\\""))
            } else if !q.contains('”') {
                format!("“{q}”")
            } else {
                format!("«{q}»")
            };
            format!("@{id} {marked}")
        })
        .collect();
    format!("[{}]", cites.join("; "))
}

/// The `cite:` entry of a claim (or position) for `quotes` of source `id`, in YAML as
/// docs/format.md writes it; each quote a double-quoted scalar (JSON's escapes are YAML's).
pub fn yaml_cite(id: &str, quotes: &[String]) -> String {
    let mut out = String::from("cite:\n");
    for q in quotes {
        out.push_str(&format!(
            "  - source: {}\n    quote: {}\n",
            yaml_id(id),
            serde_json::Value::from(q.as_str())
        ));
    }
    out
}

/// A source id as a YAML value: bare, unless YAML would read it as something other than a
/// string (`2025`, `1.5`, `true`, `null`, `no` …).
fn yaml_id(id: &str) -> String {
    const WORDS: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let plain = id.starts_with(|c: char| c.is_ascii_alphabetic())
        && !WORDS.contains(&id.to_ascii_lowercase().as_str());
    if plain {
        id.to_owned()
    } else {
        serde_json::Value::from(id).to_string()
    }
}

/// The answer to `brief quote --format json`, one JSON object.
#[derive(Serialize)]
pub struct JsonLookup<'a> {
    pub source: &'a str,
    pub file: String,
    pub quote: &'a str,
    pub found: bool,
    /// True when the text occurs exactly once.
    pub unique: bool,
    /// How many times it occurs; `matches` lists the first twenty.
    pub count: usize,
    pub matches: Vec<JsonOccurrence<'a>>,
    pub closest: Option<&'a Passage>,
}

/// How many words were added on each side, in [`JsonOccurrence`].
#[derive(Serialize)]
pub struct JsonExtended {
    pub before: usize,
    pub after: usize,
}

/// One occurrence in [`JsonLookup`].
#[derive(Serialize)]
pub struct JsonOccurrence<'a> {
    #[serde(flatten)]
    pub passage: &'a Passage,
    /// The quote that cites it alone (the text itself when it is unique), or `null`.
    pub cite_as: Option<&'a str>,
    /// Words added before and after it to make it unique.
    pub extended: Option<JsonExtended>,
    /// Why it cannot be cited alone, when it cannot.
    pub ambiguous: Option<&'a str>,
    pub citation: Option<String>,
    pub yaml: Option<String>,
}

impl Lookup {
    /// This lookup as [`JsonLookup`].
    pub fn to_json(&self) -> JsonLookup<'_> {
        let (matches, closest) = match &self.outcome {
            Outcome::Found(all) => (all.as_slice(), None),
            Outcome::NotFound { closest } => (&[][..], closest.as_ref()),
        };
        JsonLookup {
            source: &self.source,
            file: self.file.display().to_string(),
            quote: &self.quote,
            found: self.count > 0,
            unique: self.count == 1,
            count: self.count,
            matches: matches
                .iter()
                .map(|o| {
                    let quote = o.quote();
                    JsonOccurrence {
                        passage: &o.passage,
                        cite_as: quote,
                        extended: match &o.unique {
                            Unique::Extended { before, after, .. } => Some(JsonExtended {
                                before: *before,
                                after: *after,
                            }),
                            _ => None,
                        },
                        ambiguous: match &o.unique {
                            Unique::Impossible(why) => Some(why),
                            _ => None,
                        },
                        citation: quote.map(|q| inline_citation(&self.source, &[q.to_owned()])),
                        yaml: quote.map(|q| yaml_cite(&self.source, &[q.to_owned()])),
                    }
                })
                .collect(),
            closest,
        }
    }
}

/// The Cite button's script, for `brief serve` (which answers it with [`cite_selection`])
/// and for the published source pages of a site with `cite_button = true` (where it cites
/// from [`page_data`] itself). See its head comment.
pub const CITE_JS: &str = include_str!("serve/cite.js");

/// The keys of the strings table the Cite button shows (its words in the site's language;
/// the matcher's reasons stay `brief quote`'s, in English).
pub const CITE_STRING_KEYS: &[&str] = &[
    "cite_button",
    "cite_button_label",
    "cite_head",
    "cite_inline_label",
    "cite_yaml_label",
    "cite_copy",
    "cite_copy_yaml",
    "cite_close",
    "cite_what_citation_copied",
    "cite_what_citation_select",
    "cite_what_yaml_copied",
    "cite_what_yaml_select",
    "cite_no_answer",
    "cite_refused",
];

/// The Cite button's words for a site, as JSON (the script's `data-strings`).
pub fn cite_strings_json(strings: &crate::strings::Strings) -> String {
    strings.to_json(CITE_STRING_KEYS)
}

/// The markup a published source page ends with when site.toml has `cite_button = true`:
/// the page's [`page_data`] and the Cite button's script (`assets/cite.js`, one file for
/// every page, so that a reader's browser loads it once). `root` leads from the page to the
/// site's root (`../../`).
pub fn published_snippet(source: &Source, root: &str, strings: &crate::strings::Strings) -> String {
    format!(
        "<script type=\"application/json\" id=\"__brief-cite-data\" data-source=\"{}\" data-strings=\"{}\">{}</script>\n<script src=\"{}{}\" defer></script>\n",
        crate::markdown::escape_html(&source.id),
        crate::markdown::escape_html(&cite_strings_json(strings)),
        page_data(source),
        crate::markdown::escape_html(root),
        crate::site_map::SiteFile::CiteJs.path(),
    )
}

/// What the Cite button of a published page needs to cite as the build matches, as JSON
/// safe inside a `<script>` element: the source's `id`; its `text` as written; `folded`, the
/// text as [`Folded`] folds it (so that the page never folds anything itself, and the fold
/// stays the build's alone); `map`, where each UTF-16 unit of `folded` comes from in `text`,
/// as pairs `[at, from]` flattened (unit `at + k` comes from `from + k` until the next pair:
/// most text is one pair); `paras`, each paragraph's `[start, end, hidden]` in `text`
/// (hidden 1 for boilerplate, which the page does not show); and `inside`, the places in
/// `text` that cut a unit of the fold in two (see [`inside_units`]). Offsets are UTF-16
/// units, as JavaScript strings count.
pub fn page_data(source: &Source) -> String {
    let text = source.text();
    let folded = Folded::new(text);
    let hay = folded.as_str();
    let mut to_units = Utf16Cursor::default();
    let mut map: Vec<usize> = Vec::new();
    let mut at = 0;
    // Where the unit before came from.
    let mut before: Option<usize> = None;
    for (byte, c) in hay.char_indices() {
        // (An empty range maps in constant time; a char's own would scan its whole unit.)
        let from = to_units.at(text, folded.original_range(byte..byte).start);
        // Every unit of a folded char (both halves of a surrogate pair, each `.` of the
        // `...` of `…`) comes from the start of the same original unit.
        for _ in 0..c.len_utf16() {
            if before.map(|b| b + 1) != Some(from) {
                map.extend([at, from]);
            }
            before = Some(from);
            at += 1;
        }
    }
    let mut to_units = Utf16Cursor::default();
    let inside: Vec<usize> = inside_units(text, &folded)
        .into_iter()
        .map(|p| to_units.at(text, p))
        .collect();
    let mut to_units = Utf16Cursor::default();
    let paras: Vec<usize> = source
        .paragraphs
        .iter()
        .flat_map(|p| {
            let start = to_units.at(text, p.range.start);
            let end = to_units.at(text, p.range.end);
            [start, end, usize::from(p.hidden)]
        })
        .collect();
    serde_json::json!({
        "id": source.id,
        "text": text,
        "folded": hay,
        "map": map,
        "paras": paras,
        "inside": inside,
    })
    .to_string()
    // `<` only occurs inside JSON strings, where `\u003c` reads the same; so no `</script>`
    // or `<!--` can end or change the element.
    .replace('<', "\\u003c")
}

/// The char boundaries of `text` inside a unit of `folded` (see [`Folded`]): between a
/// letter and the combining marks NFC merges into it, for example. A selection that starts
/// or ends there is refused, as [`cite_selection`] refuses it (its folded words are not in
/// the text). In increasing order; most texts have none.
///
/// A unit runs from where its folded bytes come from to where the next unit's do, and the
/// chars after its own (dropped invisible ones, the rest of a white-space run) fold to
/// nothing: so a boundary is inside exactly when the unit cut there folds otherwise.
fn inside_units(text: &str, folded: &Folded) -> Vec<usize> {
    let hay = folded.as_str();
    let mut starts: Vec<usize> = Vec::new();
    for (byte, _) in hay.char_indices() {
        let from = folded.original_range(byte..byte).start;
        if starts.last() != Some(&from) {
            starts.push(from);
        }
    }
    let mut inside = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let unit = &text[start..end];
        if unit.chars().nth(1).is_none() {
            continue;
        }
        // The unit's own chars end at the first boundary from which it folds whole (after
        // it, only chars that fold to nothing): found by halving, so that a letter with
        // thousands of combining marks costs a few folds, not thousands.
        let whole = Folded::new(unit);
        let bounds: Vec<usize> = unit.char_indices().map(|(at, _)| at).skip(1).collect();
        let own = bounds.partition_point(|&at| Folded::new(&unit[..at]).as_str() != whole.as_str());
        inside.extend(bounds[..own].iter().map(|at| start + at));
    }
    inside
}

/// Converts byte offsets of a text, given in increasing order, to UTF-16 offsets, in time
/// linear in the text.
#[derive(Default)]
struct Utf16Cursor {
    byte: usize,
    unit: usize,
}

impl Utf16Cursor {
    fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = Utf16Cursor::default();
        }
        let piece = &text[self.byte..byte.min(text.len())];
        self.unit += piece.encode_utf16().count();
        self.byte = byte.min(text.len());
        self.unit
    }
}

/// `brief quote <id> "<text>"`: loads the source and looks the text up. The problems (no
/// such source, or the text not in it, with the closest passage as the build gives it) are
/// in the diagnostics; the lookup is there whenever the source could be read.
pub fn run(root: &Path, id: &str, quote: &str) -> (Diagnostics, Option<Lookup>) {
    let mut diags = Diagnostics::new();
    let Some(source) = crate::load::load_source(root, id, &mut diags) else {
        return (diags, None);
    };
    let lookup = look_up(&source, quote);
    if let Outcome::NotFound { closest } = &lookup.outcome {
        let d = Diagnostic::error(
            Code::QuoteNotFound,
            format!("the quote is not in source `{id}`"),
        );
        // There is no citation to point at: the closest passage is the place to look.
        let d = match closest {
            Some(p) => d
                .at(source.origin.locate(source.text(), p.range.clone()))
                .help(format!("did you mean “{}”? (the passage shown)", p.text)),
            None => d.at(source.origin.start()).help(format!(
                "quote the exact words of {} (case, quote marks, dashes and spacing may differ)",
                source.path.display()
            )),
        };
        diags.push(d);
    }
    (diags, Some(lookup))
}

/// Writes a lookup for a reader: where the text is, whether it is unique, and for each
/// place the citation to paste (inline and as a `cite:` entry).
pub fn write_human(lookup: &Lookup, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let Outcome::Found(all) = &lookup.outcome else {
        return Ok(());
    };
    let file = lookup.file.display();
    let place = |p: &Passage| {
        let para = match p.paragraph {
            Some(n) => format!("paragraph {n}"),
            None => "a hidden boilerplate paragraph".to_owned(),
        };
        format!("{file}:{}:{} ({para})", p.line, p.column)
    };
    if let [one] = all.as_slice() {
        writeln!(
            out,
            "found once in `{}` at {}",
            lookup.source,
            place(&one.passage)
        )?;
    } else {
        let shown = if lookup.count > all.len() {
            format!(" (the first {} shown)", all.len())
        } else {
            String::new()
        };
        writeln!(
            out,
            "found {} times in `{}`: not unique (the build would cite the first and warn){shown}",
            lookup.count, lookup.source
        )?;
    }
    for o in all {
        if all.len() > 1 {
            writeln!(out, "\nat {}: “{}”", place(&o.passage), o.passage.text)?;
        }
        match &o.unique {
            Unique::AsIs => {}
            Unique::Extended {
                passage,
                before,
                after,
            } => writeln!(
                out,
                "  unique when {}: “{}”",
                extended_by(*before, *after),
                passage.text
            )?,
            Unique::Impossible(why) => {
                writeln!(out, "  cannot be cited alone: {why}")?;
                continue;
            }
        }
        if let Some(q) = o.quote() {
            let quotes = [q.to_owned()];
            writeln!(out, "\n{}\n", inline_citation(&lookup.source, &quotes))?;
            write!(out, "{}", yaml_cite(&lookup.source, &quotes))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn source(text: &str, boilerplate: &[&str]) -> Source {
        let patterns: Vec<regex::Regex> = boilerplate
            .iter()
            .map(|p| regex::Regex::new(p).unwrap())
            .collect();
        let file = format!("---\ntitle: T\n---\n{text}");
        let (s, _) = crate::load::parse_source(
            Path::new("content/sources/s.md"),
            Arc::from(file.as_str()),
            &patterns,
        )
        .unwrap();
        s
    }

    const TEXT: &str = "Vladimir Medinsky told reporters the talks were over.\n\n\
        The delegation was led by Vladimir Medinsky again.\n\n\
        Advertisement\n\n\
        Talks at the “Çırağan Palace” lasted forty\nminutes, an aide said.";

    fn found(s: &Source, q: &str) -> Vec<Occurrence> {
        match look_up(s, q).outcome {
            Outcome::Found(all) => all,
            other => panic!("{q:?}: {other:?}"),
        }
    }

    #[test]
    fn a_unique_quote_is_cited_as_it_is() {
        let s = source(TEXT, &["^Advertisement$"]);
        let all = found(&s, "forty minutes");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].unique, Unique::AsIs);
        assert_eq!(all[0].passage.text, "forty minutes");
        assert_eq!(all[0].passage.paragraph, Some(3));
        assert_eq!(all[0].passage.line, 10);
    }

    #[test]
    fn a_repeated_quote_grows_forwards_first_then_backwards() {
        let s = source(TEXT, &[]);
        let all = found(&s, "Vladimir Medinsky");
        assert_eq!(all.len(), 2);
        // The first one is at the start of its paragraph: it can only grow forwards.
        let Unique::Extended {
            passage,
            before,
            after,
        } = &all[0].unique
        else {
            panic!("{:?}", all[0].unique)
        };
        assert_eq!(
            (passage.text.as_str(), *before, *after),
            ("Vladimir Medinsky told", 0, 1)
        );
        // The second: one word after would do too ("Medinsky again"), and forwards comes first.
        let Unique::Extended {
            passage,
            before,
            after,
        } = &all[1].unique
        else {
            panic!("{:?}", all[1].unique)
        };
        assert_eq!(
            (passage.text.as_str(), *before, *after),
            ("Vladimir Medinsky again", 0, 1)
        );
    }

    #[test]
    fn the_shortest_extension_wins_whichever_side_it_is_on() {
        // After "x" both occurrences go on alike for a while; before, one word tells them apart.
        let s = source("one x a b c d e.\n\ntwo x a b c d e.", &[]);
        let all = found(&s, "x a");
        let Unique::Extended {
            passage,
            before,
            after,
        } = &all[0].unique
        else {
            panic!()
        };
        assert_eq!((passage.text.as_str(), *before, *after), ("one x a", 1, 0));
    }

    #[test]
    fn extension_stays_within_the_paragraph() {
        // The repeated paragraph is the same all through: nothing within it is unique.
        let s = source("same words here\n\nsame words here", &[]);
        let all = found(&s, "words");
        assert!(matches!(&all[0].unique, Unique::Impossible(why) if why.contains("2 times")));
        // Extension never crosses into the next paragraph, although "here same" is unique.
        assert!(all.iter().all(|o| o.quote().is_none()));
    }

    #[test]
    fn extensions_are_found_by_the_matcher_once() {
        let s = source("Ha ha ha, he said. Ha ha ha!", &[]);
        for o in found(&s, "ha ha") {
            if let Some(q) = o.quote() {
                let folded = Folded::new(s.text());
                let QuoteMatch::Found { also, .. } = find_quote(s.text(), &folded, q) else {
                    panic!("{q}")
                };
                assert!(also.is_empty(), "{q}");
            }
        }
    }

    #[test]
    fn a_text_everywhere_is_bounded() {
        // One long paragraph of the same words: every extension repeats, and the work stays
        // bounded (each try compares two numbers per occurrence).
        let text = "la la ".repeat(400);
        let s = source(&text, &[]);
        let started = std::time::Instant::now();
        let lookup = look_up(&s, "la la la");
        assert_eq!(lookup.count, 798);
        let Outcome::Found(shown) = &lookup.outcome else {
            panic!()
        };
        assert_eq!(shown.len(), MAX_SHOWN);
        // Only the whole paragraph would be unique, far past the words an extension adds.
        for o in shown {
            assert!(
                matches!(&o.unique, Unique::Impossible(why) if why.contains("30 words")),
                "{:?}",
                o.unique
            );
        }
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        let many = source(&"la ".repeat(3000), &[]);
        let lookup = look_up(&many, "la");
        let Outcome::Found(shown) = &lookup.outcome else {
            panic!()
        };
        assert!(matches!(&shown[0].unique, Unique::Impossible(why) if why.contains("3000 times")));
    }

    #[test]
    fn a_passage_holding_a_citation_mark_is_not_offered() {
        let s = source("See [@x] here.", &[]);
        let all = found(&s, "[@x]");
        assert!(matches!(&all[0].unique, Unique::Impossible(why) if why.contains("`[@`")));
        assert_eq!(all[0].quote(), None);
    }

    #[test]
    fn a_missing_quote_gives_the_closest_passage() {
        let s = source(TEXT, &[]);
        let Outcome::NotFound { closest } = look_up(&s, "lasted fourty minutes").outcome else {
            panic!()
        };
        assert_eq!(closest.unwrap().text, "lasted forty minutes");
    }

    /// UTF-16 offsets of `needle` in the page text of paragraph `text`.
    fn units(text: &str, needle: &str) -> (usize, usize) {
        let at = text.find(needle).unwrap();
        let start = text[..at].encode_utf16().count();
        (start, start + needle.encode_utf16().count())
    }

    #[test]
    fn a_selection_across_a_line_break_and_typographic_quotes() {
        let s = source(TEXT, &["^Advertisement$"]);
        let para = "Talks at the “Çırağan Palace” lasted forty\nminutes, an aide said.";
        let (a, _) = units(para, "“Çırağan");
        let (_, b) = units(para, "forty\nminutes");
        let cited = cite_selection(
            &s,
            &Selection {
                start: (3, a),
                end: (3, b),
                text: "“Çırağan Palace” lasted forty\nminutes".into(),
            },
        )
        .unwrap();
        assert_eq!(cited.quotes, ["“Çırağan Palace” lasted forty minutes"]);
        assert_eq!(
            cited.citation,
            "[@s \"“Çırağan Palace” lasted forty minutes\"]"
        );
        assert!(cited.notes.is_empty());
    }

    #[test]
    fn a_selection_over_hidden_boilerplate_is_cut_in_two() {
        let s = source(TEXT, &["^Advertisement$"]);
        let (a, _) = units(
            "The delegation was led by Vladimir Medinsky again.",
            "led by",
        );
        let (_, b) = units("Talks at the “Çırağan Palace” lasted", "Talks at");
        let cited = cite_selection(
            &s,
            &Selection {
                start: (2, a),
                end: (3, b),
                text: "led by Vladimir Medinsky again.\nTalks at".into(),
            },
        )
        .unwrap();
        assert_eq!(
            cited.quotes,
            ["led by Vladimir Medinsky again.", "Talks at"]
        );
        assert_eq!(
            cited.citation,
            "[@s \"led by Vladimir Medinsky again.\"; @s \"Talks at\"]"
        );
        assert!(cited.notes[0].contains("hidden boilerplate"));
    }

    #[test]
    fn a_repeated_selection_is_extended_and_a_stale_one_refused() {
        let s = source(TEXT, &[]);
        let (a, b) = units(
            "The delegation was led by Vladimir Medinsky again.",
            "Vladimir Medinsky",
        );
        let sel = Selection {
            start: (2, a),
            end: (2, b),
            text: "Vladimir Medinsky".into(),
        };
        let cited = cite_selection(&s, &sel).unwrap();
        assert_eq!(cited.quotes, ["Vladimir Medinsky again"]);
        assert!(
            cited.notes[0].contains("extended by 1 word after"),
            "{:?}",
            cited.notes
        );
        let stale = Selection {
            text: "Vladimir Putin".into(),
            ..sel.clone()
        };
        assert!(cite_selection(&s, &stale).unwrap_err().contains("reload"));
        let nowhere = Selection {
            start: (9, 0),
            ..sel
        };
        assert!(cite_selection(&s, &nowhere).is_err());
    }

    #[test]
    fn citations_parse_back_to_their_quotes() {
        for q in [
            "plain words",
            "a \"straight\" quote",
            "ends with a backslash \\",
            "“typographic” and \\\" both",
        ] {
            let quotes = vec![q.to_owned(), "second".to_owned()];
            let written = inline_citation("src-1", &quotes);
            let (groups, errors) = crate::citation::parse(&written);
            assert!(errors.is_empty(), "{written}: {errors:?}");
            let got: Vec<&str> = groups[0]
                .cites
                .iter()
                .map(|c| c.quote.as_deref().unwrap())
                .collect();
            assert_eq!(got, [q, "second"], "{written}");
        }
    }

    #[test]
    fn yaml_entries_read_back() {
        #[derive(serde::Deserialize)]
        struct Entry {
            source: String,
            quote: String,
        }
        #[derive(serde::Deserialize)]
        struct Claim {
            cite: Vec<Entry>,
        }
        for id in ["talks", "2025", "no", "a.b-c"] {
            let q = "“Ready”: a \"b\" \\ c: # d".to_owned();
            let yaml = yaml_cite(id, std::slice::from_ref(&q));
            let claim: Claim = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(claim.cite[0].source, id, "{yaml}");
            assert_eq!(claim.cite[0].quote, q);
        }
    }

    /// `page_data`'s map, unpacked: where each UTF-16 unit of the folded text comes from.
    fn unpacked(data: &serde_json::Value) -> Vec<u64> {
        let folded: Vec<u16> = data["folded"].as_str().unwrap().encode_utf16().collect();
        let pairs: Vec<u64> = data["map"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let mut m = vec![0; folded.len()];
        for k in (0..pairs.len()).step_by(2) {
            let end = pairs.get(k + 2).map_or(m.len() as u64, |&e| e);
            for i in pairs[k]..end {
                m[i as usize] = pairs[k + 1] + (i - pairs[k]);
            }
        }
        m
    }

    #[test]
    fn page_data_maps_every_folded_unit_to_where_it_comes_from() {
        let text = "Так… «Да»\r\n😀 cafe\u{301}  x\u{ad}y İ";
        let s = source(text, &[]);
        let data: serde_json::Value = serde_json::from_str(&page_data(&s)).unwrap();
        assert_eq!(data["text"], s.text());
        let folded = Folded::new(s.text());
        assert_eq!(data["folded"], folded.as_str());
        // Each folded char comes from where Folded says, counted in UTF-16 units.
        let m = unpacked(&data);
        let mut unit = 0;
        for (byte, c) in folded.as_str().char_indices() {
            let from = folded.original_range(byte..byte).start;
            let want = s.text()[..from].encode_utf16().count() as u64;
            for _ in 0..c.len_utf16() {
                assert_eq!(m[unit], want, "{c:?}");
                unit += 1;
            }
        }
        // Only the inside of "e\u{301}" cuts a unit: not the no-break run, nor the soft hyphen.
        let e = s.text().find("e\u{301}").unwrap() + 1;
        assert_eq!(
            data["inside"],
            serde_json::json!([s.text()[..e].encode_utf16().count()])
        );
        // One paragraph, shown.
        assert_eq!(data["paras"][2], 0);
    }

    #[test]
    fn a_selection_that_cuts_a_letter_from_its_accent_is_refused() {
        // The "e" of a decomposed "é" is selectable on the page; its folded word is not
        // there, and another "e" of the text must not be cited instead.
        let s = source("Cafe\u{301} owners were there.", &[]);
        let cited = cite_selection(
            &s,
            &Selection {
                start: (1, 3),
                end: (1, 4),
                text: "e".into(),
            },
        );
        assert!(cited.unwrap_err().contains("inside a character"));
    }

    #[test]
    fn page_data_cannot_end_its_script_element() {
        let s = source("A </script><!-- b", &[]);
        let data = page_data(&s);
        assert!(!data.contains('<'), "{data}");
        let back: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(back["text"], "A </script><!-- b");
        let snippet = published_snippet(&s, "../../", &crate::strings::Strings::default());
        assert!(snippet.contains("<script src=\"../../assets/cite.js\" defer></script>"));
        assert_eq!(snippet.matches("</script>").count(), 2);
    }

    #[test]
    fn a_letter_with_many_marks_is_one_unit_and_costs_little() {
        let text = format!("a{} b", "\u{301}\u{302}".repeat(5000));
        let folded = Folded::new(&text);
        let started = std::time::Instant::now();
        let inside = inside_units(&text, &folded);
        assert_eq!(inside.len(), 10_000);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn utf16_offsets_map_to_bytes() {
        let s = "a😀é b";
        assert_eq!(utf16_to_byte(s, 0), 0);
        assert_eq!(utf16_to_byte(s, 1), 1);
        assert_eq!(utf16_to_byte(s, 3), 5);
        assert_eq!(
            utf16_to_byte(s, 2),
            5,
            "half a surrogate pair takes the whole char"
        );
        assert_eq!(utf16_to_byte(s, 99), s.len());
        // The browser sees "\r\n" as one "\n".
        let crlf = "ab\r\ncd";
        assert_eq!(utf16_to_byte(crlf, 2), 2);
        assert_eq!(utf16_to_byte(crlf, 3), 4);
        assert_eq!(&crlf[utf16_to_byte(crlf, 4)..], "d");
    }

    #[test]
    fn a_selection_in_a_file_with_windows_line_breaks() {
        let s = source(&TEXT.replace('\n', "\r\n"), &["^Advertisement$"]);
        // As the page shows paragraph 3: the parser made its "\r\n" a "\n".
        let para = "Talks at the “Çırağan Palace” lasted forty\nminutes, an aide said.";
        let (a, b) = units(para, "forty\nminutes, an");
        let cited = cite_selection(
            &s,
            &Selection {
                start: (3, a),
                end: (3, b),
                text: "forty\nminutes, an".into(),
            },
        )
        .unwrap();
        assert_eq!(cited.quotes, ["forty minutes, an"]);
    }
}
