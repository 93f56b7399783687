//! The leak check of a public build: every byte of every file the build makes (pages, the
//! search index, briefing.json, the feed, the sitemap, the exports, the static files copied)
//! is scanned, as it is handed to the output, for the internal material the build left out.
//!
//! The needles ([`super::Needle`]) are the ids, names (titles, aliases) and texts (notes,
//! quotes, claims, summaries, page bodies, the sentences of internal sources) of what was
//! withheld, white space collapsed, each also as HTML escapes it (`&amp;`, `&#39;` …), as
//! JSON does (`\"`) and as JSON-LD in a page does (`\u003c`). A needle too short to mean
//! anything is not looked for: an id under [`MIN_ID`] characters, a name under
//! [`MIN_NAME`], a piece of prose under [`MIN_PROSE`] or of fewer than three words. A match
//! counts only where it is not part of a longer word (or, for an id, of a longer id); a
//! needle that occurs in the public material anyway (a public source's text, a label of a
//! public part: a title, a name, a role …) is not looked for. All of them are found in one
//! Aho-Corasick pass over each file.

use std::io::Write;
use std::sync::Mutex;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Needle, NeedleKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::output::{Contents, OutFile, Sink};

/// The shortest id looked for.
pub const MIN_ID: usize = 3;
/// The shortest name (title, alias, role …) looked for, in characters.
pub const MIN_NAME: usize = 8;
/// The shortest piece of prose looked for, in characters (and at least three words).
pub const MIN_PROSE: usize = 20;
/// At most this many leaks are told (the rest are counted).
const MAX_TOLD: usize = 20;

/// True when `text` (white space collapsed) is long enough to look for as `kind`.
pub fn long_enough(text: &str, kind: NeedleKind) -> bool {
    let chars = text.chars().count();
    match kind {
        NeedleKind::Id => chars >= MIN_ID,
        NeedleKind::Name => chars >= MIN_NAME,
        NeedleKind::Prose => chars >= MIN_PROSE && text.split_whitespace().count() >= 3,
    }
}

/// The pieces of Markdown that stand unbroken in whatever is made of it: the runs of text
/// between markup, line breaks and citations, cut into sentences.
pub fn pieces(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    let mut runs: Vec<String> = Vec::new();
    let mut run = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Text(t) => run.push_str(&t),
            Event::Code(t) => {
                runs.push(std::mem::take(&mut run));
                runs.push(t.to_string());
            }
            _ => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    let mut out = Vec::new();
    for r in runs {
        let (groups, _) = crate::citation::parse(&r);
        let mut at = 0;
        let mut parts = Vec::new();
        for g in groups {
            parts.push(&r[at..g.range.start]);
            at = g.range.end;
        }
        parts.push(&r[at..]);
        for p in parts {
            out.extend(sentences(p).map(str::to_string));
        }
    }
    out
}

/// `text` cut after each `.`, `?`, `!` or `;` followed by white space, and at line breaks.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    for i in 0..bytes.len() {
        let next_space = bytes.get(i + 1).is_some_and(|b| b.is_ascii_whitespace());
        if bytes[i] == b'\n' || (matches!(bytes[i], b'.' | b'?' | b'!' | b';') && next_space) {
            cuts.push(i + 1);
        }
    }
    cuts.push(bytes.len());
    cuts.dedup();
    // The cuts are after ASCII bytes, so at character boundaries.
    (0..cuts.len() - 1)
        .map(move |k| text[cuts[k]..cuts[k + 1]].trim())
        .filter(|s| !s.is_empty())
}

/// The spellings a needle may take in a file: as written, HTML-escaped (with `'` escaped or
/// not, as brief's templates and Markdown each write it), JSON-escaped, and
/// JSON-escaped for a `<script>` (as JSON-LD is written).
fn spellings(text: &str) -> Vec<String> {
    let html = crate::markdown::escape_html(text);
    let json = serde_json::to_string(text).unwrap_or_default();
    let json = json[1..json.len().saturating_sub(1).max(1)].to_string();
    let script = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    // Markdown's HTML leaves `'` as it is.
    let markdown = html.replace("&#39;", "'");
    let mut all = vec![text.to_string(), html, markdown, json, script];
    all.sort();
    all.dedup();
    all
}

/// One internal text found in a file of the site.
#[derive(Debug, Clone)]
pub struct Leak {
    /// The file's site path.
    pub file: String,
    /// Index into the check's needles.
    needle: usize,
}

/// The needles of a public build, ready to be looked for in its files.
pub struct LeakCheck {
    needles: Vec<Needle>,
    /// For each pattern of the automaton, the needle it spells.
    owner: Vec<usize>,
    /// For each pattern, the whole spelling it is the start of.
    full: Vec<Vec<u8>>,
    /// The first [`PREFIX`] bytes of each spelling: a smaller automaton than the whole
    /// texts would make (sentences share few prefixes), each match checked against `full`.
    automaton: AhoCorasick,
    /// The longest spelling, in bytes: how much of one piece a scan keeps for the next.
    longest: usize,
}

/// How many bytes of each spelling the automaton holds.
const PREFIX: usize = 24;

/// The most bytes of prefixes made into a DFA (see [`LeakCheck::of`]).
const DFA_BYTES: usize = 200_000;

impl std::fmt::Debug for LeakCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LeakCheck({} needles)", self.needles.len())
    }
}

impl LeakCheck {
    /// The check for `needles`, without those that occur in any of `public`.
    pub fn new(needles: Vec<Needle>, public: &[&str]) -> LeakCheck {
        let all = LeakCheck::of(needles);
        let mut shown = vec![false; all.needles.len()];
        for text in public {
            let hay = text.as_bytes();
            for m in all.automaton.find_overlapping_iter(hay) {
                if let Some(n) = all.confirm(m.pattern().as_usize(), hay, m.start(), true) {
                    shown[n] = true;
                }
            }
        }
        if !shown.contains(&true) {
            return all;
        }
        let kept = all
            .needles
            .into_iter()
            .zip(shown)
            .filter(|(_, s)| !s)
            .map(|(n, _)| n)
            .collect();
        LeakCheck::of(kept)
    }

    fn of(mut needles: Vec<Needle>) -> LeakCheck {
        // The same text from two places is looked for once.
        let mut seen = std::collections::HashSet::new();
        needles.retain(|n| seen.insert((n.text.clone(), n.kind == NeedleKind::Id)));
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        let mut full = Vec::new();
        for (i, n) in needles.iter().enumerate() {
            for s in spellings(&n.text) {
                let mut cut = s.len().min(PREFIX);
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                patterns.push(s[..cut].to_string());
                owner.push(i);
                full.push(s.into_bytes());
            }
        }
        // A DFA scans about twice as fast as an NFA once its many patterns leave the
        // prefilter nothing to skip, but takes some 200 bytes a pattern byte: up to
        // DFA_BYTES of prefixes (some 40 MB), a DFA; beyond, a contiguous NFA.
        let bytes: usize = patterns.iter().map(String::len).sum();
        let kind = if bytes <= DFA_BYTES {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&patterns)
            .expect("the needles are plain strings of bounded length");
        let longest = full.iter().map(Vec::len).max().unwrap_or(0);
        LeakCheck {
            needles,
            owner,
            full,
            automaton,
            longest,
        }
    }

    /// How many needles are looked for.
    pub fn len(&self) -> usize {
        self.needles.len()
    }

    /// The heap the automaton takes, in bytes.
    pub fn memory(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// True when nothing is looked for.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// True when the match `start..end` of needle `n` in `hay` is not part of a longer word
    /// (a letter, digit or `_` on either side; for an id, `-` too). `end_known` is false
    /// when the byte after the match is not yet in `hay`: then it counts as a boundary.
    fn bounded(&self, n: usize, hay: &[u8], start: usize, end: usize, end_known: bool) -> bool {
        let id = self.needles[n].kind == NeedleKind::Id;
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || (id && b == b'-');
        let text = self.needles[n].text.as_bytes();
        let first_word = text.first().is_some_and(|&b| word(b));
        let last_word = text.last().is_some_and(|&b| word(b));
        let before_ok = !first_word || start == 0 || !word(hay[start - 1]);
        let after_ok = !last_word || !end_known || end >= hay.len() || !word(hay[end]);
        before_ok && after_ok
    }

    /// The needle of pattern `p` when its whole spelling stands at `start` in `hay`, not
    /// inside a longer word; `None` when it does not, or when `hay` ends before the spelling
    /// and the byte after it (then, unless `last`, it is judged once more of the file came).
    fn confirm(&self, p: usize, hay: &[u8], start: usize, last: bool) -> Option<usize> {
        let full = &self.full[p];
        let end = start + full.len();
        let known = end < hay.len() || (last && end == hay.len());
        if !known || hay.get(start..end) != Some(full.as_slice()) {
            return None;
        }
        let n = self.owner[p];
        self.bounded(n, hay, start, end, true).then_some(n)
    }

    /// The needles found in `bytes`, a whole file.
    fn scan_whole(&self, bytes: &[u8]) -> Vec<usize> {
        let mut scan = Scan::new(self);
        scan.feed(bytes);
        scan.finish()
    }

    /// The errors for the leaks found (the first 20, and how many more).
    pub fn problems(&self, leaks: &[Leak]) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = leaks
            .iter()
            .take(MAX_TOLD)
            .map(|l| {
                let n = &self.needles[l.needle];
                let mut d = Diagnostic::error(
                    Code::InternalLeak,
                    format!(
                        "the public site's {} holds internal text: “{}” ({})",
                        l.file, n.text, n.what
                    ),
                )
                .help(format!(
                    "the public build was not written; take the text out of what makes {} (a page, a template, a static file, a public field), or mark that part `internal: true`",
                    l.file
                ));
                if let Some(at) = &n.at {
                    d = d.at(at.clone());
                }
                d
            })
            .collect();
        if leaks.len() > MAX_TOLD
            && let Some(last) = out.last_mut()
        {
            last.message
                .push_str(&format!(" — and {} more leaks", leaks.len() - MAX_TOLD));
        }
        out
    }
}

/// A scan of one file handed over in pieces: each piece is searched with the end of the last
/// one before it, so a needle cut by a piece boundary is found too.
struct Scan<'a> {
    check: &'a LeakCheck,
    /// The end of what came before (at most the longest spelling and two bytes).
    carry: Vec<u8>,
    /// The offset in the file of `carry[0]`.
    base: usize,
    /// Matches starting before this offset were judged already.
    judged: usize,
    found: Vec<usize>,
}

impl<'a> Scan<'a> {
    fn new(check: &'a LeakCheck) -> Scan<'a> {
        Scan {
            check,
            carry: Vec::new(),
            base: 0,
            judged: 0,
            found: Vec::new(),
        }
    }

    fn feed(&mut self, piece: &[u8]) {
        if piece.is_empty() {
            return;
        }
        self.carry.extend_from_slice(piece);
        self.judge(false);
        let keep = self.check.longest + 2;
        if self.carry.len() > keep {
            let cut = self.carry.len() - keep;
            self.carry.drain(..cut);
            self.base += cut;
        }
    }

    /// Judges the matches in `carry` not judged yet. One whose spelling (and the byte after
    /// it) runs past what came so far waits for the next piece, unless this is the end: the
    /// carry keeps enough for it to be found again.
    fn judge(&mut self, last: bool) {
        let hay = &self.carry;
        for m in self.check.automaton.find_overlapping_iter(hay.as_slice()) {
            if self.base + m.start() < self.judged {
                continue;
            }
            if let Some(n) = self
                .check
                .confirm(m.pattern().as_usize(), hay, m.start(), last)
                && !self.found.contains(&n)
            {
                self.found.push(n);
            }
        }
        // Every match starting before this had its whole spelling and the byte after it in
        // `hay`; one judged twice is found once.
        let end = self.base + hay.len();
        self.judged = self.judged.max(end.saturating_sub(self.check.longest + 1));
    }

    fn finish(mut self) -> Vec<usize> {
        self.judge(true);
        self.found
    }
}

/// A writer that scans what passes through it on its way to `inner`.
struct Tee<'a, 'b> {
    inner: &'b mut dyn Write,
    scan: Scan<'a>,
}

impl Write for Tee<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.scan.feed(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A sink that scans every file for leaks on its way to the sink it wraps.
pub struct Scanning<'a> {
    inner: &'a dyn Sink,
    check: &'a LeakCheck,
    leaks: Mutex<Vec<Leak>>,
}

impl<'a> Scanning<'a> {
    pub fn new(inner: &'a dyn Sink, check: &'a LeakCheck) -> Scanning<'a> {
        Scanning {
            inner,
            check,
            leaks: Mutex::new(Vec::new()),
        }
    }

    fn record(&self, file: &str, found: Vec<usize>) {
        if found.is_empty() {
            return;
        }
        let mut leaks = self.leaks.lock().unwrap_or_else(|e| e.into_inner());
        leaks.extend(found.into_iter().map(|needle| Leak {
            file: file.to_string(),
            needle,
        }));
    }

    /// The leaks found, sorted by file.
    pub fn into_leaks(self) -> Vec<Leak> {
        let mut leaks = self.leaks.into_inner().unwrap_or_else(|e| e.into_inner());
        leaks.sort_by(|a, b| (&a.file, a.needle).cmp(&(&b.file, b.needle)));
        leaks
    }
}

impl Sink for Scanning<'_> {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        let found = match &file.contents {
            Contents::Bytes(b) => self.check.scan_whole(b),
            // A static file is copied as it is: read here to be scanned like the rest.
            Contents::Copy(path) => self.check.scan_whole(&std::fs::read(path)?),
        };
        self.record(&file.path, found);
        self.inner.put(file)
    }

    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut found = Vec::new();
        self.inner.put_pieces(path, &mut |w| {
            let mut tee = Tee {
                inner: w,
                scan: Scan::new(self.check),
            };
            make(&mut tee)?;
            found = tee.scan.finish();
            Ok(())
        })?;
        self.record(path, found);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needle(text: &str, kind: NeedleKind) -> Needle {
        Needle {
            text: text.into(),
            what: "test".into(),
            at: None,
            kind,
        }
    }

    #[test]
    fn finds_a_needle_escaped_and_across_pieces_but_not_inside_a_word() {
        let check = LeakCheck::new(
            vec![
                needle("Tom & Jerry's secret", NeedleKind::Name),
                needle("agent-x", NeedleKind::Id),
            ],
            &[],
        );
        assert_eq!(
            check.scan_whole(b"<p>Tom &amp; Jerry&#39;s secret</p>"),
            [0]
        );
        assert_eq!(check.scan_whole(b"{\"a\":\"Tom & Jerry's secret\"}"), [0]);
        assert!(check.scan_whole(b"/people/agent-x-2/").is_empty());
        assert!(check.scan_whole(b"Tom & Jerry's secrets").is_empty());
        assert_eq!(check.scan_whole(b"/people/agent-x/"), [1]);
        // Cut anywhere, found once.
        let text = b"... see /people/agent-x/ now";
        for cut in 0..text.len() {
            let mut scan = Scan::new(&check);
            scan.feed(&text[..cut]);
            scan.feed(&text[cut..]);
            assert_eq!(scan.finish(), [1], "cut at {cut}");
        }
        // Cut just after the needle: the next byte still decides.
        let mut scan = Scan::new(&check);
        scan.feed(b"/agent-x");
        scan.feed(b"-2/");
        assert!(scan.finish().is_empty());
    }

    #[test]
    fn a_long_needle_is_matched_whole_wherever_the_pieces_are_cut() {
        let long = "The deputy head threatened to walk out of the second session";
        let check = LeakCheck::new(vec![needle(long, NeedleKind::Prose)], &[]);
        // The same first 24 bytes and more, but not the whole: no leak.
        assert!(
            check
                .scan_whole(b"<p>The deputy head threatened to walk away.</p>")
                .is_empty()
        );
        let page = format!("<p>As filed: {long}.</p>");
        assert_eq!(check.scan_whole(page.as_bytes()), [0]);
        for cut in 0..page.len() {
            let mut scan = Scan::new(&check);
            for piece in [&page.as_bytes()[..cut], &page.as_bytes()[cut..]] {
                scan.feed(piece);
            }
            assert_eq!(scan.finish(), [0], "cut at {cut}");
        }
        // At the very end of a file, found too.
        assert_eq!(check.scan_whole(long.as_bytes()), [0]);
    }

    #[test]
    fn public_text_and_short_needles_are_not_looked_for() {
        let check = LeakCheck::new(
            vec![
                needle("Istanbul talks", NeedleKind::Name),
                needle("The secret channel", NeedleKind::Name),
            ],
            &["the Istanbul talks began"],
        );
        assert_eq!(check.len(), 1);
        assert!(!long_enough("Medinsk", NeedleKind::Name));
        assert!(long_enough("ab-c", NeedleKind::Id));
        assert!(!long_enough("twowordsonly herewithal", NeedleKind::Prose));
    }

    #[test]
    fn markdown_is_cut_where_markup_and_citations_stand() {
        let p = pieces(
            "A *very* long sentence about the plan [@s \"q\"] and more. Second one here\nthird",
        );
        assert_eq!(
            p,
            [
                "A",
                "very",
                "long sentence about the plan",
                "and more.",
                "Second one here",
                "third"
            ]
        );
    }
}
