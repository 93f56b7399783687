//! The offline search index: items (name, aliases, summary), claims and every visible source
//! paragraph, written as a script (`search-index.js`) that sets a global, so that the search
//! page works from `file://` (where `fetch()` of a JSON file is blocked) and under any base path.
//!
//! The index is compact on purpose: a sorted term list (folded words, one a line) with a
//! posting list per term (document numbers, delta-encoded in base 36), and the documents'
//! plain text for the excerpts. Passages and claims point into small tables of sources and
//! items instead of repeating their titles and URLs. `assets/search.js` looks terms up by
//! prefix with a binary search over the sorted list.

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::meta::plain_text;
use crate::resolve::{Briefing, ItemId};
use crate::site_map::{self, SiteFile};
use crate::text::collapse_white_space;

/// What a document of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An item: its name, aliases and summary; `of` is the item.
    Item = 0,
    /// A claim or dispute position; `of` is the item, `n` the claim's number from 1 (its
    /// anchor is the item's `claim anchors` entry `n - 1` in the index).
    Claim = 1,
    /// A source paragraph; `of` is the source, `n` the paragraph's number (`#pn`).
    Passage = 2,
}

/// One searchable document.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub kind: DocKind,
    pub of: usize,
    pub n: usize,
    /// Searched text that is not shown (an item's name and aliases).
    pub keys: String,
    /// The plain text shown in the excerpt (a source's own text when it needs no change).
    pub text: Cow<'a, str>,
}

/// Every document of the briefing, in a stable order: items with their claims, then sources
/// with their paragraphs.
pub fn docs(b: &Briefing) -> Vec<Doc<'_>> {
    let items = b.items.par_iter().enumerate().map(|(i, it)| {
        let mut out = Vec::with_capacity(1 + it.claims.len());
        let mut keys = it.name.clone();
        for a in &it.aliases {
            keys.push(' ');
            keys.push_str(a);
        }
        let mut text = it
            .summary
            .as_ref()
            .map(|s| plain(&s.markdown))
            .unwrap_or_default();
        if let crate::resolve::ResolvedDetails::Dispute { question, .. } = &it.details {
            // A dispute's positions have no anchors of their own: they are found on its page.
            let mut all = vec![question.clone(), text];
            all.extend(it.positions().iter().map(|p| plain(&p.text.markdown)));
            text = all
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
        out.push(Doc {
            kind: DocKind::Item,
            of: i,
            n: 0,
            keys,
            text: text.into(),
        });
        for (n, c) in it.claims.iter().enumerate() {
            out.push(Doc {
                kind: DocKind::Claim,
                of: i,
                n: n + 1,
                keys: String::new(),
                text: plain(&c.text.markdown).into(),
            });
        }
        out
    });
    let sources = b.sources.par_iter().enumerate().map(|(i, s)| {
        let visible = s.source.paragraphs.iter().filter(|p| !p.hidden);
        visible
            .enumerate()
            .map(|(n, p)| Doc {
                kind: DocKind::Passage,
                of: i,
                n: n + 1,
                keys: String::new(),
                text: collapse_white_space(&s.source.text()[p.range.clone()]),
            })
            .collect::<Vec<_>>()
    });
    let mut out: Vec<Vec<Doc>> = items.collect();
    out.par_extend(sources);
    out.into_iter().flatten().collect()
}

/// Markdown as plain text, without the space a citation left before punctuation.
fn plain(md: &str) -> String {
    let mut t = plain_text(md);
    for p in [";", ":", ")", "!", "?"] {
        t = t.replace(&format!(" {p}"), p);
    }
    t
}

/// Folds text for searching: canonical decomposition, combining marks dropped, lower case,
/// dotless ı as i — except in Cyrillic, whose letters with marks are letters of their own
/// (`й` is not `и`, Ukrainian `ї` not `і`) and where only `ё` becomes `е`; every apostrophe
/// look-alike (`’ ʼ ′ ʹ` …) is `'`, and one between two Cyrillic letters is dropped, so that
/// the Ukrainian `мʼясо`, `м’ясо` and `м'ясо` are the one word `мясо`. `assets/search.js`
/// folds queries the same way (`NFD` outside Cyrillic, `\p{M}`, `toLowerCase`), so
/// "Çırağan", "CIRAGAN" and "ciragan" meet, and so do "Ещё" and "еще".
#[cfg(test)]
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`], appending to `out`.
#[cfg(test)]
fn fold_into(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_apostrophe(c) && joins_cyrillic(out.chars().next_back(), chars.peek().copied()) {
            continue;
        }
        fold_char(c, |l| out.push(l));
    }
}

/// Whether `c` is an apostrophe or one of the look-alikes typed for it.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '‘' | '’' | '‛' | '′' | '´' | 'ʼ' | 'ʹ' | 'ʻ' | '＇' | 'ꞌ'
    )
}

/// Whether an apostrophe between `before` (the last folded char) and `after` (the next char
/// of the text) is the Ukrainian one inside a word, which the word keeps going across.
fn joins_cyrillic(before: Option<char>, after: Option<char>) -> bool {
    let letter = |c: Option<char>| c.is_some_and(|c| is_cyrillic(c) && c.is_alphabetic());
    letter(before) && letter(after)
}

/// Whether `c` is in one of the Cyrillic blocks.
fn is_cyrillic(c: char) -> bool {
    matches!(u32::from(c), 0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F)
}

/// Hands `push` what `c` folds to (nothing, one character or more).
fn fold_char(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(if c == '`' {
            '\''
        } else {
            c.to_ascii_lowercase()
        });
        return;
    }
    if is_apostrophe(c) {
        push('\'');
        return;
    }
    if is_cyrillic(c) && !is_combining_mark(c) {
        match c {
            'ё' | 'Ё' => push('е'),
            _ => c.to_lowercase().for_each(push),
        }
        return;
    }
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            if l == 'ı' {
                push('i');
            } else if !is_combining_mark(l) {
                push(l);
            }
        }
    });
}

/// The [`words`] of `s` [`fold`]ed, in one pass (the search index folds every paragraph of
/// a briefing): each is handed to `add`; `word` is room to build them in.
///
/// Most of a briefing is ASCII, which folds to itself in lower case and whose letters and
/// digits are the ASCII ones: runs of those are taken whole, and a run that is a word by
/// itself and needs no lowering is handed over without a copy. Other characters go through
/// [`fold_char`] one at a time.
fn fold_words(s: &str, word: &mut String, add: &mut impl FnMut(&str)) {
    word.clear();
    let bytes = s.as_bytes();
    let class = |at: usize| bytes.get(at).map_or(Byte::End, |&b| BYTES[b as usize]);
    let mut at = 0;
    loop {
        match class(at) {
            Byte::Lower | Byte::Upper => {
                let start = at;
                let mut upper = false;
                let next = loop {
                    match class(at) {
                        Byte::Lower => {}
                        Byte::Upper => upper = true,
                        other => break other,
                    }
                    at += 1;
                };
                let run = &s[start..at];
                // A word goes on across a character that folds to a letter (`é`): only
                // ASCII (or the end) surely ends it here.
                let ends = next != Byte::Other;
                if ends && word.is_empty() && !upper {
                    add(run);
                    continue;
                }
                let from = word.len();
                word.push_str(run);
                word[from..].make_ascii_lowercase();
                if ends {
                    add(word);
                    word.clear();
                }
            }
            Byte::Break => {
                if is_apostrophe(char::from(bytes[at]))
                    && joins_cyrillic(word.chars().next_back(), s[at + 1..].chars().next())
                {
                    at += 1;
                    continue;
                }
                if !word.is_empty() {
                    add(word);
                    word.clear();
                }
                at += 1;
            }
            Byte::Other => {
                let c = s[at..].chars().next().expect("a character starts here");
                at += c.len_utf8();
                if is_apostrophe(c)
                    && joins_cyrillic(word.chars().next_back(), s[at..].chars().next())
                {
                    continue;
                }
                fold_char(c, |l| {
                    if l.is_alphanumeric() {
                        word.push(l);
                    } else if !word.is_empty() {
                        add(word);
                        word.clear();
                    }
                });
            }
            Byte::End => break,
        }
    }
    if !word.is_empty() {
        add(word);
        word.clear();
    }
}

/// What a byte of UTF-8 is to [`fold_words`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Byte {
    /// An ASCII lower-case letter or digit: folds to itself.
    Lower,
    /// An ASCII upper-case letter: folds to its lower case.
    Upper,
    /// Other ASCII: ends a word.
    Break,
    /// A byte of a character beyond ASCII.
    Other,
    /// Past the end of the text.
    End,
}

/// [`Byte`] by value: one load per byte where the tests of a range would be several.
const BYTES: [Byte; 256] = {
    let mut t = [Byte::Other; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            Byte::Upper
        } else if c.is_ascii_alphanumeric() {
            Byte::Lower
        } else {
            Byte::Break
        };
        b += 1;
    }
    t
};

/// The words of a folded text: runs of letters and digits.
#[cfg(test)]
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// How large a term chunk grows before the next begins (its terms' and postings' bytes): a
/// query word reads the chunk holding it (a prefix, the few in its range), so this bounds
/// what a word costs beyond its own postings.
const TERM_CHUNK: usize = 24 * 1024;

/// How large a document chunk grows before the next begins (its texts' bytes): a page of
/// results reads the chunks of the 50 documents it shows, at worst one each.
const DOC_CHUNK: usize = 8 * 1024;

/// Writes the search index as script files for the search page, each handed to `put` with
/// its site path: a small manifest ([`SiteFile::SearchIndex`], loaded with the page) and
/// chunks loaded on demand (as Pagefind splits its index), so that a search reads only the
/// terms it asks for and the documents it shows. Each file is a script, not JSON to fetch,
/// so that the search works from `file://`: the manifest sets `window.BRIEF_SEARCH = {…};`,
/// a chunk calls `window.BRIEF_SEARCH_CHUNK({…});`. The JSON escapes `<`, `>`, `&`, U+2028
/// and U+2029 (`\u003c` …), so that no text of the briefing reads as markup anywhere.
///
/// The manifest: `term_chunks` and `doc_chunks` (the chunks' folders, from the site map),
/// `terms` (the first term of each term chunk, in order) and `docs` (the first document of
/// each document chunk), `count` (documents), and what ranks a result without its chunk:
/// `names` (each item's name and aliases, `"name a, b"`, as the search folds them), `item_docs`
/// (each item's document; its claims follow it) and `passages` (the first source paragraph's
/// document; every one after it is one).
///
/// A term chunk: `terms` (its number), `list` (its sorted folded words, one a line) and
/// `postings` (for each term the documents holding it, as base-36 gaps). A document chunk:
/// `docs` (its number), `list` (`[kind, item or source number, claim or paragraph number,
/// text]` of each of its documents, from its first on), and the `items` (`[name, site path,
/// collection title, aliases, claim anchors]`) and `sources` (`[title, site path, language]`)
/// those documents belong to, by number (site paths such as `negotiators/x/`, the page
/// prefixes its way to the root; a source's language tag when it is not the site's, else
/// empty).
pub fn write_index<E: Send>(
    b: &Briefing,
    put: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let docs = docs(b);
    let postings = postings(&docs);
    let post: Vec<String> = postings.par_iter().map(|(_, v)| encode(v)).collect();
    let term_chunks = split(
        postings
            .iter()
            .zip(&post)
            .map(|((t, _), p)| t.len() + p.len() + 6),
        TERM_CHUNK,
    );
    let doc_chunks = split(docs.iter().map(|d| d.text.len() + 12), DOC_CHUNK);

    term_chunks.par_iter().enumerate().try_for_each(|(k, r)| {
        put(
            site_map::search_terms_chunk(k),
            term_chunk(k, &postings[r.clone()], &post[r.clone()]),
        )
    })?;
    doc_chunks.par_iter().enumerate().try_for_each(|(k, r)| {
        put(
            site_map::search_docs_chunk(k),
            doc_chunk(b, k, r.start, &docs[r.clone()]),
        )
    })?;

    let names: Vec<String> = b
        .items
        .iter()
        .map(|it| format!("{} {}", it.name, it.aliases.join(", ")))
        .collect();
    let item_docs: Vec<usize> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == DocKind::Item)
        .map(|(k, _)| k)
        .collect();
    let passages = docs
        .iter()
        .position(|d| d.kind == DocKind::Passage)
        .unwrap_or(docs.len());
    let manifest = serde_json::json!({
        "v": 2,
        "term_chunks": site_map::SEARCH_TERMS_DIR,
        "doc_chunks": site_map::SEARCH_DOCS_DIR,
        "terms": term_chunks.iter().map(|r| postings[r.start].0.as_str()).collect::<Vec<_>>(),
        "docs": doc_chunks.iter().map(|r| r.start).collect::<Vec<_>>(),
        "count": docs.len(),
        "names": names,
        "item_docs": item_docs,
        "passages": passages,
    });
    let mut out = b"/* The search index of this briefing, made by brief; read by assets/search.js, which loads its chunks as needed. */\nwindow.BRIEF_SEARCH = ".to_vec();
    out.extend(script_safe(
        serde_json::to_vec(&manifest).expect("JSON of strings and numbers"),
    ));
    out.extend_from_slice(b";\n");
    put(SiteFile::SearchIndex.path().to_string(), out)
}

/// The sorted terms of `docs` with the documents holding each, in order.
fn postings(docs: &[Doc<'_>]) -> Vec<(String, Vec<u32>)> {
    // Posting lists per run of documents, in parallel, then joined in document order (so
    // each list stays sorted). A run folds one document at a time and copies a word only
    // the first time it meets it.
    const RUN: usize = 2048;
    let runs: Vec<FxHashMap<String, Vec<u32>>> = docs
        .par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| {
            let mut postings: FxHashMap<String, Vec<u32>> = FxHashMap::default();
            let mut word = String::new();
            for (k, doc) in run.iter().enumerate() {
                let d = (r * RUN + k) as u32;
                let mut add = |t: &str| {
                    let list = match postings.get_mut(t) {
                        Some(list) => list,
                        None => postings.entry(t.to_string()).or_default(),
                    };
                    // A repeated word of the same document is the last one in its list.
                    if list.last() != Some(&d) {
                        list.push(d);
                    }
                };
                fold_words(&doc.keys, &mut word, &mut add);
                fold_words(&doc.text, &mut word, &mut add);
            }
            postings
        })
        .collect();
    let mut runs = runs.into_iter();
    let mut postings = runs.next().unwrap_or_default();
    for run in runs {
        for (t, list) in run {
            postings.entry(t).or_default().extend(list);
        }
    }
    let mut postings: Vec<(String, Vec<u32>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    postings
}

/// Consecutive ranges of the things whose sizes are given, each closed once it holds
/// `target` bytes or more (the last may hold less).
fn split(sizes: impl Iterator<Item = usize>, target: usize) -> Vec<Range<usize>> {
    let (mut out, mut start, mut size, mut n) = (Vec::new(), 0, 0, 0);
    for (k, s) in sizes.enumerate() {
        size += s;
        n = k + 1;
        if size >= target {
            out.push(start..n);
            start = n;
            size = 0;
        }
    }
    if start < n {
        out.push(start..n);
    }
    out
}

/// Term chunk `k`: its terms, one a line, and their postings.
fn term_chunk(k: usize, terms: &[(String, Vec<u32>)], post: &[String]) -> Vec<u8> {
    let mut w = Vec::with_capacity(TERM_CHUNK + TERM_CHUNK / 4);
    let _ = write_term_chunk(&mut w, k, terms, post);
    chunk_script(w)
}

fn write_term_chunk(
    w: &mut Vec<u8>,
    k: usize,
    terms: &[(String, Vec<u32>)],
    post: &[String],
) -> std::io::Result<()> {
    write!(w, "{{\"terms\":{k},\"list\":\"")?;
    for (n, (t, _)) in terms.iter().enumerate() {
        if n > 0 {
            w.write_all(b"\\n")?;
        }
        write_json_str_contents(w, t)?;
    }
    w.write_all(b"\",\"postings\":[")?;
    for (n, p) in post.iter().enumerate() {
        if n > 0 {
            w.write_all(b",")?;
        }
        write_json_str(w, p)?;
    }
    w.write_all(b"]}")
}

/// Document chunk `k`, whose first document is number `first`: the documents and the
/// items and sources they belong to.
fn doc_chunk(b: &Briefing, k: usize, first: usize, docs: &[Doc<'_>]) -> Vec<u8> {
    let mut w = Vec::with_capacity(DOC_CHUNK + DOC_CHUNK / 2);
    let _ = write_doc_chunk(&mut w, b, k, first, docs);
    chunk_script(w)
}

fn write_doc_chunk(
    w: &mut Vec<u8>,
    b: &Briefing,
    k: usize,
    first: usize,
    docs: &[Doc<'_>],
) -> std::io::Result<()> {
    let mut items: Vec<usize> = Vec::new();
    let mut sources: Vec<usize> = Vec::new();
    for d in docs {
        let of = if d.kind == DocKind::Passage {
            &mut sources
        } else {
            &mut items
        };
        // Documents of one item or source are consecutive.
        if of.last() != Some(&d.of) {
            of.push(d.of);
        }
    }
    write!(w, "{{\"docs\":{k},\"first\":{first},\"items\":{{")?;
    for (n, &i) in items.iter().enumerate() {
        let it = &b.items[i];
        let row = (
            it.name.as_str(),
            site_map::item(b, ItemId(i as u32)),
            b.collections[it.collection].title.as_str(),
            it.aliases.join(", "),
            it.claims
                .iter()
                .map(|c| site_map::claim_anchor(&c.id))
                .collect::<Vec<_>>(),
        );
        write!(w, "{}\"{i}\":", if n > 0 { "," } else { "" })?;
        serde_json::to_writer(&mut *w, &row)?;
    }
    w.write_all(b"},\"sources\":{")?;
    for (n, &i) in sources.iter().enumerate() {
        let s = &b.sources[i];
        let row = (
            s.source.meta.title.as_str(),
            site_map::source_dir(&s.source.id),
            super::notes::foreign_language(
                s.source.meta.language.as_deref(),
                &b.site.config.language,
            ),
        );
        write!(w, "{}\"{i}\":", if n > 0 { "," } else { "" })?;
        serde_json::to_writer(&mut *w, &row)?;
    }
    w.write_all(b"},\"list\":[")?;
    for (n, d) in docs.iter().enumerate() {
        let comma = if n > 0 { "," } else { "" };
        write!(w, "{comma}[{},{},{},", d.kind as u8, d.of, d.n)?;
        write_json_str(w, &d.text)?;
        w.write_all(b"]")?;
    }
    w.write_all(b"]}")
}

/// A chunk's JSON as the script that hands it to the search page.
fn chunk_script(json: Vec<u8>) -> Vec<u8> {
    let mut out = b"window.BRIEF_SEARCH_CHUNK(".to_vec();
    out.extend(script_safe(json));
    out.extend_from_slice(b");\n");
    out
}

/// JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped (`\u003c` …): the same value, but no
/// text of it can close a script or start markup wherever it is put. (These occur in JSON
/// only inside strings, where the escapes mean the same characters.)
fn script_safe(json: Vec<u8>) -> Vec<u8> {
    let special = |b: &u8| matches!(b, b'<' | b'>' | b'&' | 0xE2);
    if !json.iter().any(special) {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + json.len() / 16);
    let mut at = 0;
    while at < json.len() {
        let b = json[at];
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            0xE2 if json.get(at + 1) == Some(&0x80)
                && matches!(json.get(at + 2), Some(0xA8 | 0xA9)) =>
            {
                out.extend_from_slice(if json[at + 2] == 0xA8 {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                });
                at += 3;
                continue;
            }
            _ => out.push(b),
        }
        at += 1;
    }
    out
}

/// Writes `s` as a JSON string, byte for byte as serde_json does.
fn write_json_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(b"\"")?;
    write_json_str_contents(w, s)?;
    w.write_all(b"\"")
}

/// [`write_json_str`] without the quotes: `\"`, `\\`, the short escapes `\b \t \n \f \r`,
/// and other control characters as `\u00xx`; nothing else is escaped. serde_json looks every
/// byte up in a table, where this tests a block of bytes at a time (the compiler does a block
/// in a few vector instructions): an index is tens of megabytes with little to escape.
fn write_json_str_contents(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let mut done = 0;
    while let Some(at) = next_to_escape(bytes, done) {
        w.write_all(&bytes[done..at])?;
        match bytes[at] {
            b'"' => w.write_all(b"\\\""),
            b'\\' => w.write_all(b"\\\\"),
            0x08 => w.write_all(b"\\b"),
            b'\t' => w.write_all(b"\\t"),
            b'\n' => w.write_all(b"\\n"),
            0x0c => w.write_all(b"\\f"),
            b'\r' => w.write_all(b"\\r"),
            c => write!(w, "\\u{c:04x}"),
        }?;
        done = at + 1;
    }
    w.write_all(&bytes[done..])
}

/// Where the first byte from `from` on that JSON escapes is.
fn next_to_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let first = |block: &[u8]| block.iter().position(|&b| escaped(b));
    let mut blocks = bytes[from..].chunks_exact(BLOCK);
    let mut at = from;
    for block in &mut blocks {
        // Without an early exit, so that it is done on the whole block at once.
        if block.iter().fold(false, |any, &b| any | escaped(b)) {
            return first(block).map(|k| at + k);
        }
        at += BLOCK;
    }
    first(blocks.remainder()).map(|k| at + k)
}

/// Sorted document numbers as base-36 gaps separated by spaces (`0 3 1a`).
fn encode(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() * 3);
    let mut last = 0u32;
    for (k, &id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        push_base36(&mut out, id - last);
        last = id;
    }
    out
}

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    // u32::MAX has 7 base-36 digits.
    let mut digits = [0u8; 7];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

#[cfg(test)]
fn base36(n: u32) -> String {
    let mut s = String::new();
    push_base36(&mut s, n);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_case_and_dotless_i() {
        assert_eq!(fold("Çırağan"), "ciragan");
        assert_eq!(fold("ÇIRAĞAN"), "ciragan");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("Zelenskyy’s"), "zelenskyy's");
        let folded = fold("Kyiv's “deal”, 23 July");
        let t: Vec<&str> = words(&folded).collect();
        assert_eq!(t, ["kyiv", "s", "deal", "23", "july"]);
    }

    #[test]
    fn cyrillic_keeps_its_letters_and_joins_its_apostrophe() {
        assert_eq!(fold("Ещё ЙОД"), "еще йод");
        assert_eq!(fold("Їжак і Ґанок"), "їжак і ґанок");
        assert_ne!(fold("мої"), fold("мои"));
        assert_ne!(fold("й"), fold("и"));
        // Stress marks are dropped; Latin keeps its folding.
        assert_eq!(fold("доро\u{301}га Çırağan"), "дорога ciragan");
        for f in [
            "Мар\u{2BC}їнка",
            "Мар’їнка",
            "Мар'їнка",
            "Мар`їнка",
            "Мар\u{2032}їнка",
        ] {
            assert_eq!(two_passes(f), ["марїнка"], "{f:?}");
            assert_eq!(one_pass(f), ["марїнка"], "{f:?}");
        }
        // Outside Cyrillic, an apostrophe ends a word, whichever it is.
        assert_eq!(one_pass("Kyiv\u{2BC}s Kyiv's"), ["kyiv", "s", "kyiv", "s"]);
        assert_eq!(one_pass("а' b"), ["а", "b"]);
    }

    #[test]
    fn words_are_folded_in_one_pass_as_in_two() {
        for text in [
            "Мар'їнка м’ясо мʼясо ЁЖ ' а'б a'б а'b",
            "Kyiv's “deal”, 23 July",
            "ÇIRAĞAN Sarayı—İstanbul",
            "",
            "  x  ",
            "ǅemal ﬁ",
        ] {
            let mut one = Vec::new();
            fold_words(text, &mut String::new(), &mut |w| one.push(w.to_string()));
            let folded = fold(text);
            let two: Vec<&str> = words(&folded).collect();
            assert_eq!(one, two, "{text}");
        }
    }

    /// The one-pass folding takes runs of ASCII whole: words that mix ASCII with characters
    /// that fold to letters, to nothing or to punctuation split as the two passes split them.
    #[test]
    fn mixed_words_are_folded_in_one_pass_as_in_two() {
        for text in [
            "Café au LAIT, naïve ÉCOLE",
            "x\u{301}y AB\u{301}C z\u{301}",
            "Zelenskyy’s ABC’DEF 12é34 éa",
            "İSTANBUL ıi Iı",
            "\u{212a}elvin K\u{212a} ǅemal",
            "end ÉÉ",
            "ends in Ç",
            "A",
            "é",
        ] {
            assert_eq!(one_pass(text), two_passes(text), "{text}");
        }
    }

    fn one_pass(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        // A word left over in the room must not leak into the next text.
        let mut word = String::from("stale");
        fold_words(text, &mut word, &mut |w| out.push(w.to_string()));
        out
    }

    fn two_passes(text: &str) -> Vec<String> {
        words(&fold(text)).map(str::to_string).collect()
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_folded_in_one_pass_as_in_two(
            text in "([a-zA-Z0-9 .,’'`ʼ]|[ÇçĞğİıÉéÖöÜüЁёйЙїЇіІєґаб]|\u{301}|\u{306}|\\PC){0,40}",
        ) {
            proptest::prop_assert_eq!(one_pass(&text), two_passes(&text));
        }
    }

    fn json_str(s: &str) -> String {
        let mut out = Vec::new();
        write_json_str(&mut out, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0..=0x7f_u8).map(char::from).collect();
        // Long enough for whole blocks, with the bytes to escape in and across them.
        let long = format!("{}{every_ascii}{}\"\\", "a’".repeat(40), "b".repeat(31));
        for s in [
            "",
            "plain",
            "\"",
            "\\",
            "é\u{2028}\u{7f}",
            &every_ascii,
            &long,
        ] {
            assert_eq!(json_str(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in "(\\PC|[\\x00-\\x1f\"\\\\]){0,100}") {
            proptest::prop_assert_eq!(json_str(&s), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn chunk_json_escapes_what_could_read_as_markup_and_means_the_same() {
        let v = serde_json::json!({"t": "</script><b>&amp; \u{2028}\u{2029} ’ é"});
        let safe = script_safe(serde_json::to_vec(&v).unwrap());
        let text = String::from_utf8(safe.clone()).unwrap();
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!text.contains(c), "{text}");
        }
        assert!(
            text.contains("\\u003c/script\\u003e") && text.contains("’ é"),
            "{text}"
        );
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&safe).unwrap(),
            v
        );
        let script = String::from_utf8(chunk_script(b"{}".to_vec())).unwrap();
        assert_eq!(script, "window.BRIEF_SEARCH_CHUNK({});\n");
    }

    #[test]
    fn chunks_close_once_they_reach_their_size() {
        assert_eq!(split([5, 5, 5, 30, 1].into_iter(), 10), [0..2, 2..4, 4..5]);
        assert_eq!(split([1, 1].into_iter(), 10), vec![(0..2)]);
        assert!(split(std::iter::empty(), 10).is_empty());
    }

    #[test]
    fn encodes_postings_as_base36_gaps() {
        assert_eq!(encode(&[0, 3, 4, 50]), "0 3 1 1a");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }
}
