//! Problems found in a briefing, as values.
//!
//! Every stage reports what is wrong with the user's files as a [`Diagnostic`]: the file, the byte
//! span in it (and so line and column), one line saying what is wrong, and a hint saying how to
//! mend it. Stages push into a shared [`Diagnostics`] list and keep going where they can, so one
//! run reports every problem at once instead of stopping at the first.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a user's file: the file (relative to the site root) and a byte span; the
/// 1-based line and column of the span's start are worked out when asked for.
///
/// Locations are made for every citation and reference (most are never shown), so making one
/// must be cheap: counting lines happens only when a problem is reported.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: PathBuf,
    pub span: Range<usize>,
    /// The file's text, kept so the problem can be shown with the line it stands on.
    pub text: Option<Arc<str>>,
    /// Line and column when known without the text (or given by a parser).
    known: Option<(usize, usize)>,
}

impl Location {
    /// A location at a byte span of a file whose text we have.
    pub fn new(file: &Path, text: &Arc<str>, span: Range<usize>) -> Location {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        Location {
            file: file.to_path_buf(),
            span: start..end,
            text: Some(text.clone()),
            known: None,
        }
    }

    /// A location known only by line and column (for example from a parser that gives no
    /// byte offset); the span is recovered from the text when we have it.
    pub fn at_line_col(
        file: &Path,
        text: Option<&Arc<str>>,
        line: usize,
        column: usize,
    ) -> Location {
        match text {
            Some(text) => {
                let offset = offset_of(text, line, column);
                let mut loc = Location::new(file, text, offset..offset);
                loc.known = Some((line.max(1), column.max(1)));
                loc
            }
            None => Location {
                file: file.to_path_buf(),
                span: 0..0,
                text: None,
                known: Some((line.max(1), column.max(1))),
            },
        }
    }

    /// A location for a whole file, without a position in it.
    pub fn file(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            span: 0..0,
            text: None,
            known: Some((1, 1)),
        }
    }

    /// The 1-based line of the span's start.
    pub fn line(&self) -> usize {
        self.line_col().0
    }

    /// The 1-based column (in characters) of the span's start.
    pub fn column(&self) -> usize {
        self.line_col().1
    }

    fn line_col(&self) -> (usize, usize) {
        match (&self.known, &self.text) {
            (Some(k), _) => *k,
            (None, Some(text)) => with_lines(text, |lines| match lines {
                Some(lines) => lines.line_col(text, self.span.start),
                None => line_col(text, self.span.start),
            }),
            (None, None) => (1, 1),
        }
    }
}

/// Where the lines of a long text start, found once for all the problems shown in it:
/// counting the lines before each of fifty thousand problems in a large file, from its
/// start, took minutes.
struct Lines {
    /// The offset of each `\n`, for [`Location::line`] and [`Location::column`].
    newlines: Vec<usize>,
    /// Where each line starts after the first, as miette splits lines (at `\r\n`, `\r` or
    /// `\n`), for the snippets.
    starts: Vec<usize>,
}

/// Texts shorter than this are counted from their start each time, as before: it is quick.
const LINES_FROM: usize = 64 * 1024;

impl Lines {
    fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut newlines = Vec::new();
        let mut starts = Vec::new();
        for at in memchr::memchr2_iter(b'\r', b'\n', bytes) {
            if bytes[at] == b'\n' {
                newlines.push(at);
                // The `\n` of a `\r\n` ends the line the `\r` began to end.
                if at > 0 && bytes[at - 1] == b'\r' {
                    starts.pop();
                }
            }
            starts.push(at + 1);
        }
        Lines { newlines, starts }
    }

    /// [`line_col`], with the line found by binary search.
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.newlines.partition_point(|&n| n < offset);
        let line_start = match line {
            0 => 0,
            k => self.newlines[k - 1] + 1,
        };
        (line + 1, text[line_start..offset].chars().count() + 1)
    }
}

/// Calls `f` with the [`Lines`] of `text`, or `None` for a short text. The lines of the last
/// long text asked about are kept (problems are shown file by file), with the text itself, so
/// that they are never taken for another's.
fn with_lines<R>(text: &Arc<str>, f: impl FnOnce(Option<&Lines>) -> R) -> R {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Arc<str>, Lines)>> = const { std::cell::RefCell::new(None) };
    }
    if text.len() < LINES_FROM {
        return f(None);
    }
    LAST.with_borrow_mut(|last| {
        if !last.as_ref().is_some_and(|(t, _)| Arc::ptr_eq(t, text)) {
            *last = Some((text.clone(), Lines::new(text)));
        }
        f(last.as_ref().map(|(_, lines)| lines))
    })
}

/// `file:line:col`, the file name escaped for a terminal ([`crate::control::for_terminal`]).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            crate::control::for_terminal(&self.file.to_string_lossy()),
            self.line(),
            self.column()
        )
    }
}

/// One problem in the user's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for the kind of problem (`quote-not-found`, `duplicate-id` …),
    /// for tests, `--format json` and editors.
    pub code: &'static str,
    /// One line: what is wrong.
    pub message: String,
    pub location: Option<Location>,
    /// How to mend it.
    pub help: Option<String>,
    /// Other places that belong to the problem (the first definition of a duplicate id …).
    pub related: Vec<(Location, String)>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets where the problem stands.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Sets the hint on how to mend it.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds another place that belongs to the problem.
    pub fn related(mut self, location: Location, label: impl Into<String>) -> Diagnostic {
        self.related.push((location, label.into()));
        self
    }

    /// The problem as a miette report, for a terminal: its texts, file name and the lines of
    /// the file it shows escaped as [`Diagnostic::for_terminal`] does.
    pub fn render(&self, color: bool) -> String {
        let handler = if color {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
        } else {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        };
        let shown = self.for_terminal();
        let mut out = String::new();
        if handler.render_report(&mut out, &Report(&shown)).is_err() {
            out = shown.to_string();
        }
        out
    }

    /// The problem as a terminal may be given it: every control character of its message,
    /// help, notes, file names and of the lines of the file around it (those a report shows)
    /// written as an escape (`\u{1b}`, see [`crate::control::for_terminal`]), so that no text
    /// of a briefing can act on the terminal or a CI log. [`Diagnostic::render`] draws it
    /// (the plain [`fmt::Display`] escapes the same texts); a problem without such characters
    /// (nearly all) is borrowed as it is.
    pub fn for_terminal(&self) -> std::borrow::Cow<'_, Diagnostic> {
        use crate::control::for_terminal as escape;
        use std::borrow::Cow;
        let escaped = |s: &str| match escape(s) {
            Cow::Borrowed(_) => None,
            Cow::Owned(e) => Some(e),
        };
        let file = |l: &Location| escaped(&l.file.to_string_lossy()).map(PathBuf::from);
        let window = self.location.as_ref().and_then(|l| {
            let text = l.text.as_ref()?;
            let (start, end) = shown_lines(text, &l.span);
            escaped(&text[start..end]).map(|e| (start, end, e))
        });
        let clean = escaped(&self.message).is_none()
            && self.help.as_deref().and_then(escaped).is_none()
            && self.location.as_ref().and_then(file).is_none()
            && window.is_none()
            && self
                .related
                .iter()
                .all(|(l, label)| file(l).is_none() && escaped(label).is_none());
        if clean {
            return Cow::Borrowed(self);
        }
        let mut d = self.clone();
        d.message = escape(&d.message).into_owned();
        d.help = d.help.as_deref().map(|h| escape(h).into_owned());
        for (l, label) in &mut d.related {
            l.file = file(l).unwrap_or_else(|| l.file.clone());
            *label = escape(label).into_owned();
        }
        if let Some(l) = &mut d.location {
            l.file = file(l).unwrap_or_else(|| l.file.clone());
            if let (Some((start, end, lines)), Some(text)) = (window, &l.text) {
                // Escapes only lengthen the lines they are on (no line break is added or
                // taken), so the lines before and after, and every line number, stay.
                let shift = |at: usize| start + escape(&text[start..at]).len();
                l.span = shift(l.span.start)..shift(l.span.end);
                l.text = Some(Arc::from([&text[..start], &lines, &text[end..]].concat()));
            }
        }
        Cow::Owned(d)
    }

    /// The miette report with the line the problem stands on, if there is a line worth
    /// showing: `None` without the file's text, or when the line is too long to draw (a
    /// minified or pasted one-line file), where the plain form says it all.
    pub fn snippet(&self, color: bool) -> Option<String> {
        const LONGEST_LINE: usize = 2000;
        let loc = self.location.as_ref()?;
        let text = loc.text.as_ref()?;
        let start = floor_char_boundary(text, loc.span.start);
        let end = floor_char_boundary(text, loc.span.end.max(start));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if line_end - line_start > LONGEST_LINE {
            return None;
        }
        Some(self.render(color))
    }

    /// The problem as one line of JSON (for `--format json`), safe to print on a terminal:
    /// serde escapes the C0 controls in strings, and DEL and the C1 controls, which JSON lets
    /// stand raw, are escaped too (`\u009b`; the same string to any JSON reader).
    pub fn to_json_line(&self) -> String {
        let line = self.to_json().to_string();
        if !line.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)) {
            return line;
        }
        let mut out = String::with_capacity(line.len() + 12);
        for c in line.chars() {
            if ('\u{7f}'..='\u{9f}').contains(&c) {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The problem as one JSON object (for `--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let loc = |l: &Location| {
            serde_json::json!({
                "file": l.file.to_string_lossy(),
                "line": l.line(),
                "column": l.column(),
                "start": l.span.start,
                "end": l.span.end,
            })
        };
        serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location.as_ref().map(loc),
            "help": self.help,
            "related": self.related.iter().map(|(l, label)| {
                let mut v = loc(l);
                v["label"] = label.clone().into();
                v
            }).collect::<Vec<_>>(),
        })
    }
}

/// The plain, one-paragraph form: `error: file:line:col: message (help: …)`, its texts escaped
/// for a terminal as in [`Diagnostic::for_terminal`].
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Each text escaped on its own ([`Location`]'s display escapes the file name): the
        // whole [`Diagnostic::for_terminal`] would also escape the file's text, not shown here.
        use crate::control::for_terminal as escape;
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}")?;
        if let Some(loc) = &self.location {
            write!(f, ": {loc}")?;
        }
        write!(f, ": {}", escape(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape(help))?;
        }
        for (loc, label) in &self.related {
            write!(f, "\n  note: {loc}: {}", escape(label))?;
        }
        Ok(())
    }
}

/// Adapts a [`Diagnostic`] to miette's report renderer.
struct Report<'a>(&'a Diagnostic);

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.location {
            // miette shows the file name and position above the snippet only when it has the
            // text; without it the position goes into the message itself.
            Some(loc) if loc.text.is_none() => write!(f, "{loc}: {}", self.0.message),
            _ => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.0.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        let loc = self.0.location.as_ref()?;
        loc.text.as_ref()?;
        Some(self.0 as &Diagnostic as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let loc = self.0.location.as_ref()?;
        loc.text.as_ref()?;
        let len = loc.span.len();
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_primary_with_span(
                Some("here".to_string()),
                (loc.span.start, len),
            ),
        )))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        None
    }
}

/// The file text of a diagnostic, named by its path, for miette's snippets.
impl miette::SourceCode for Diagnostic {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let loc = self
            .location
            .as_ref()
            .ok_or(miette::MietteError::OutOfBounds)?;
        let text = loc.text.as_ref().ok_or(miette::MietteError::OutOfBounds)?;
        // miette reads the text from its start up to the span; in a long text it is given
        // only what follows the start of a line a little above the span's context (which
        // changes nothing it shows), and its lines are then counted from there.
        let (base, base_line) = with_lines(text, |lines| match lines {
            Some(lines) => {
                let line = lines.starts.partition_point(|&p| p <= span.offset());
                let k = line.saturating_sub(context_lines_before + 1);
                (k.checked_sub(1).map_or(0, |i| lines.starts[i]), k)
            }
            None => (0, 0),
        });
        let rest = text.get(base..).ok_or(miette::MietteError::OutOfBounds)?;
        let shifted = miette::SourceSpan::new((span.offset() - base).into(), span.len());
        let inner = rest.read_span(&shifted, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            loc.file.display().to_string(),
            inner.data(),
            miette::SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + base_line,
            inner.column(),
            inner.line_count() + base_line,
        )))
    }
}

/// The byte range of the lines a report shows around `span` of `text`: the span's own lines
/// and two on either side (miette shows one).
fn shown_lines(text: &str, span: &Range<usize>) -> (usize, usize) {
    let start = floor_char_boundary(text, span.start);
    let end = floor_char_boundary(text, span.end.max(start));
    let mut from = start;
    for _ in 0..3 {
        from = text[..from].rfind('\n').unwrap_or(0);
    }
    let from = if from == 0 { 0 } else { from + 1 };
    let mut to = end;
    for _ in 0..3 {
        to = text[to..].find('\n').map_or(text.len(), |i| to + i + 1);
    }
    (from, to)
}

/// All problems of a run, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    /// What is already in `list`: the same problem found again (a template that fails on
    /// every page that uses it) is reported once.
    seen: std::collections::HashSet<Key>,
}

/// What makes two problems the same: code, message, file and span.
type Key = (&'static str, String, Option<(PathBuf, usize, usize)>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds a problem, unless the same problem at the same place is already there.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = (
            diagnostic.code,
            diagnostic.message.clone(),
            diagnostic
                .location
                .as_ref()
                .map(|l| (l.file.clone(), l.span.start, l.span.end)),
        );
        if self.seen.insert(key) {
            self.list.push(diagnostic);
        }
    }

    /// Adds all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        other.list.into_iter().for_each(|d| self.push(d));
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems, sorted by file and position so output is stable whatever order the
    /// parallel stages found them in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.list.iter().collect();
        v.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line(), l.column()))
                    .unwrap_or_default()
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        v
    }

    /// Iterates over the problems in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        let mut list = Diagnostics::new();
        list.push(d);
        list
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters); clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[offset..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let col_bytes = line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    offset + col_bytes
}

/// The largest char boundary at or before `i`.
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `names` to `wanted`, if any is close: the "did you mean" of a hint.
pub fn closest_name<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names
        .into_iter()
        .map(|n| (strsim::jaro_winkler(wanted, n), n))
        .filter(|(s, _)| *s > 0.8)
        // Equally close names: the first in alphabetical order, whatever the order given.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long text (so that its lines are indexed) with every kind of line break.
    fn long_text() -> Arc<str> {
        let mut text = String::new();
        for i in 0..20_000 {
            let end = ["\n", "\r\n", "\r", "\n\n"][i % 4];
            text.push_str(&format!("line {i} «é» text{end}"));
        }
        Arc::from(text)
    }

    #[test]
    fn lines_of_a_long_text_are_counted_as_from_its_start() {
        let text = long_text();
        assert!(text.len() >= LINES_FROM);
        for offset in (0..text.len())
            .step_by(997)
            .chain([text.len(), text.len() + 5])
        {
            let loc = Location::new(Path::new("f"), &text, offset..offset);
            assert_eq!(
                (loc.line(), loc.column()),
                line_col(&text, offset),
                "at {offset}"
            );
        }
    }

    #[test]
    fn snippets_of_a_long_text_are_what_miette_reads_from_its_start() {
        use miette::SourceCode;
        let text = long_text();
        for offset in (0..text.len() - 40)
            .step_by(4999)
            .chain([0, 1, 20, text.len() - 3])
        {
            let loc = Location::new(Path::new("f"), &text, offset..offset + 3);
            let span = miette::SourceSpan::new(loc.span.start.into(), loc.span.len());
            let d = Diagnostic::error("x", "y").at(loc);
            for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                let ours = d.read_span(&span, before, after).expect("span");
                let whole = text.read_span(&span, before, after).expect("span");
                assert_eq!(ours.data(), whole.data(), "at {offset}");
                assert_eq!(ours.span(), whole.span(), "at {offset}");
                assert_eq!(
                    (ours.line(), ours.column(), ours.line_count()),
                    (whole.line(), whole.column(), whole.line_count()),
                    "at {offset}, context {before} {after}"
                );
            }
        }
    }

    #[test]
    fn line_and_column_count_chars_not_bytes() {
        let text = "a: 1\nçı: [x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let off = text.find('[').unwrap();
        assert_eq!(line_col(text, off), (2, 5));
        assert_eq!(offset_of(text, 2, 5), off);
        assert_eq!(offset_of(text, 9, 9), text.len());
    }

    #[test]
    fn display_names_file_line_column_and_help() {
        let text: Arc<str> = Arc::from("title: x\nbad: y\n");
        let d = Diagnostic::error("unknown-field", "unknown field `bad`")
            .at(Location::new(Path::new("site.toml"), &text, 9..12))
            .help("remove it");
        let s = d.to_string();
        assert!(
            s.starts_with("error: site.toml:2:1: unknown field `bad`"),
            "{s}"
        );
        assert!(s.contains("help: remove it"));
        let fancy = d.render(false);
        assert!(fancy.contains("site.toml:2:1"), "{fancy}");
        assert!(fancy.contains("bad: y"), "{fancy}");
    }

    #[test]
    fn what_is_printed_holds_no_control_character() {
        let text: Arc<str> = Arc::from("a: 1\nb: x\u{1b}[2Jy\nc: 3\n");
        let at = text.find('\u{1b}').unwrap();
        let d = Diagnostic::error("control-character", "bad \u{1b}]0;title\u{7} here")
            .at(Location::new(
                Path::new("dir\u{9b}/f.yaml"),
                &text,
                at..at + 1,
            ))
            .help("mend\r it")
            .related(Location::file(Path::new("g\u{7f}")), "see \u{1b}");
        let plain = d.to_string();
        assert_eq!(
            plain,
            "error: dir\\u{9b}/f.yaml:2:5: bad \\u{1b}]0;title\\u{7} here\n  help: mend\\u{d} it\n  note: g\\u{7f}:1:1: see \\u{1b}"
        );
        for color in [false, true] {
            let fancy = d.render(color);
            // Colour codes are miette's own; none of the text's is left.
            assert!(
                !fancy.contains("\u{1b}[2J") && !fancy.contains("\u{1b}]0"),
                "{fancy}"
            );
            assert!(!fancy.contains(['\u{7}', '\u{9b}', '\u{7f}']), "{fancy}");
            assert!(fancy.contains("x\\u{1b}[2Jy"), "{fancy}");
        }
        // The underline stands under the escaped character, on the same line.
        let fancy = d.render(false);
        let line = fancy
            .lines()
            .position(|l| l.contains("x\\u{1b}[2Jy"))
            .unwrap();
        let under = fancy.lines().nth(line + 1).unwrap();
        let column = |l: &str, s: &str| l[..l.find(s).unwrap()].chars().count();
        let shown = fancy.lines().nth(line).unwrap();
        assert_eq!(column(under, "─"), column(shown, "\\u{1b}"), "{fancy}");
        assert_eq!(
            under.matches('─').count() + under.matches('┬').count(),
            6,
            "{fancy}"
        );
        // A problem without control characters is not copied.
        let clean: Arc<str> = Arc::from("a: 1\n".repeat(3) + "b: x\u{1b}\n");
        let clean = Diagnostic::error("x", "fine").at(Location::new(Path::new("a"), &clean, 0..1));
        assert!(matches!(
            clean.for_terminal(),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_lines_escape_del_and_c1_too() {
        let d = Diagnostic::error("x", "a\u{1b}b\u{7f}c\u{9b}d\u{a0}e");
        let line = d.to_json_line();
        assert!(!line.chars().any(|c| c.is_control()), "{line}");
        assert!(line.contains(r"a\u001bb\u007fc\u009bd"), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["message"], "a\u{1b}b\u{7f}c\u{9b}d\u{a0}e");
        assert_eq!(
            Diagnostic::error("x", "plain").to_json_line(),
            d_json("plain")
        );
    }

    fn d_json(message: &str) -> String {
        Diagnostic::error("x", message).to_json().to_string()
    }

    #[test]
    fn no_snippet_for_a_very_long_line() {
        let text: Arc<str> = Arc::from(format!("a: 1\n{}\n", "x ".repeat(5000)));
        let d = Diagnostic::error("x", "bad").at(Location::new(Path::new("a"), &text, 10..11));
        assert!(d.snippet(false).is_none());
        let d = Diagnostic::error("x", "bad").at(Location::new(Path::new("a"), &text, 0..1));
        assert!(d.snippet(false).unwrap().contains("a: 1"));
        assert!(Diagnostic::error("x", "bad").snippet(false).is_none());
    }

    #[test]
    fn the_same_problem_is_reported_once() {
        let text: Arc<str> = Arc::from("{{ x }}\n");
        let mut ds = Diagnostics::new();
        for _ in 0..7 {
            ds.push(
                Diagnostic::error("template-render", "x is not defined").at(Location::new(
                    Path::new("templates/item.html"),
                    &text,
                    3..4,
                )),
            );
        }
        ds.push(
            Diagnostic::error("template-render", "x is not defined").at(Location::new(
                Path::new("templates/page.html"),
                &text,
                3..4,
            )),
        );
        assert_eq!(ds.error_count(), 2);
    }

    #[test]
    fn sorted_orders_by_file_and_line() {
        let text: Arc<str> = Arc::from("a\nb\nc\n");
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("x", "late").at(Location::new(Path::new("b"), &text, 4..5)));
        ds.push(Diagnostic::warning("x", "early").at(Location::new(Path::new("a"), &text, 2..3)));
        let v = ds.sorted();
        assert_eq!(v[0].message, "early");
        assert!(ds.has_errors());
        assert_eq!(ds.warning_count(), 1);
    }
}
