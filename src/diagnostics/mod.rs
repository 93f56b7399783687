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

mod code;
pub use code::Code;

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
}

/// Texts shorter than this are counted from their start each time, as before: it is quick.
const LINES_FROM: usize = 64 * 1024;

impl Lines {
    fn new(text: &str) -> Lines {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        Lines { newlines }
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
    /// The kind of problem; its stable name (`quote-not-found`, `duplicate-id` …) is for
    /// tests, `--format json` and editors.
    pub code: Code,
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
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
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
    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
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

    /// The problem as brief prints it, everywhere (build, check, serve's terminal and its
    /// overlay), in the form rustc gives its errors: the severity and code with the message,
    /// the place, the line with the span underlined, then the help and the notes:
    ///
    /// ```text
    /// error[unknown-source]: there is no source `alhpa`
    ///   --> content/annotations/people.yaml:10:37
    ///    |
    /// 10 |     summary: Led the Russian side [@alhpa "…"].
    ///    |                                     ^^^^^
    ///    |
    ///    = help: did you mean `alpha`? Sources are the files in content/sources/
    /// ```
    ///
    /// Every text of the briefing in it (message, help, notes, file names, the line shown) has
    /// its control characters written as escapes ([`crate::control::for_terminal`]), so that
    /// no text of a briefing can act on the terminal or a CI log. `color` adds the terminal's
    /// colours.
    pub fn render(&self, color: bool) -> String {
        use crate::control::for_terminal as escape;
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = escape(&self.message);
        let title = level.primary_title(message.as_ref()).id(self.code.as_str());
        let mut group = match &self.location {
            None => Group::with_title(title),
            Some(loc) => {
                let file = escape(&loc.file.to_string_lossy()).into_owned();
                match Shown::lines_of(loc) {
                    Some(shown) => title.element(
                        Snippet::source(shown.text)
                            .line_start(shown.line)
                            .path(file)
                            .annotation(AnnotationKind::Primary.span(shown.span)),
                    ),
                    None => title.element(
                        Origin::path(file)
                            .line(loc.line())
                            .char_column(loc.column()),
                    ),
                }
            }
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(escape(help).into_owned()));
        }
        for (loc, label) in &self.related {
            group = group.element(Level::NOTE.message(format!("{loc}: {}", escape(label))));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    /// What makes it the same problem as another ([`Diagnostics::push`] keeps one of them):
    /// its code, message, file and span.
    pub(crate) fn key(&self) -> Key {
        (
            self.code,
            self.message.clone(),
            self.location
                .as_ref()
                .map(|l| (l.file.clone(), l.span.start, l.span.end)),
        )
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
            "code": self.code.as_str(),
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

/// The problem as [`Diagnostic::render`] draws it, without colours.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The lines of a file a problem is shown with: the lines its span stands on (at most
/// [`Shown::MOST_LINES`]), their control characters escaped, and the span in them.
struct Shown {
    text: String,
    /// The 1-based number of the first line.
    line: usize,
    span: Range<usize>,
}

impl Shown {
    /// A line longer than this (a minified or pasted one-line file) is not drawn: the place
    /// alone says where the problem is.
    const LONGEST_LINE: usize = 2000;
    /// A span over more lines (a long quote) is shown by its first lines.
    const MOST_LINES: usize = 4;

    fn lines_of(loc: &Location) -> Option<Shown> {
        use crate::control::for_terminal as escape;
        let text = loc.text.as_ref()?;
        let start = floor_char_boundary(text, loc.span.start);
        let mut end = floor_char_boundary(text, loc.span.end.max(start));
        let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
        // The end of the last line shown: the span's, or the MOST_LINES-th line's.
        let mut to = from;
        for _ in 0..Shown::MOST_LINES {
            to = text[to..].find('\n').map_or(text.len(), |i| to + i + 1);
            if to >= end || to == text.len() {
                break;
            }
        }
        // Without the line break that ends the last line (`\n` or `\r\n`).
        let to = text[from..to]
            .strip_suffix('\n')
            .map_or(to, |rest| from + rest.trim_end_matches('\r').len());
        end = end.min(to.max(start));
        if text[from..to]
            .lines()
            .any(|l| l.len() > Shown::LONGEST_LINE)
        {
            return None;
        }
        let window = &text[from..to];
        // The printer counts the column in the text it shows: with an escape before the span
        // on its line, it would not be the file's.
        if escape(&text[from..start]).len() != start - from {
            return None;
        }
        let shift = |at: usize| escape(&window[..at - from]).len();
        Some(Shown {
            text: escape(window).into_owned(),
            line: loc.line(),
            span: shift(start)..shift(end),
        })
    }
}

/// Prints `problems` as [`Diagnostic::render`] draws them, sorted by place, each followed by a
/// blank line; what build, check and serve print. `color` as for [`Diagnostic::render`].
pub fn print(
    out: &mut impl std::io::Write,
    problems: &Diagnostics,
    color: bool,
) -> std::io::Result<()> {
    for d in problems.sorted() {
        writeln!(out, "{}\n", d.render(color))?;
    }
    Ok(())
}

/// Whether problems printed on standard error may be coloured: it is a terminal and
/// `NO_COLOR` is not set.
pub fn color_on_stderr() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `2 errors, 1 warning`: the count that ends a run's problems.
pub fn summary(problems: &Diagnostics) -> String {
    format!(
        "{}, {}",
        crate::plural(problems.error_count(), "error"),
        crate::plural(problems.warning_count(), "warning")
    )
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
pub(crate) type Key = (Code, String, Option<(PathBuf, usize, usize)>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds a problem, unless the same problem at the same place is already there.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.seen.insert(diagnostic.key()) {
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
            let end = ["\n", "\r\n", "\n\n"][i % 3];
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
    fn a_long_texts_problem_is_shown_at_its_line() {
        let text = long_text();
        for offset in (0..text.len() - 40).step_by(4999).chain([0, 1, 20]) {
            if text.as_bytes()[offset.saturating_sub(1)..=offset].contains(&b'\r') {
                // After a `\r` on its line, the place is given without the line.
                continue;
            }
            let loc = Location::new(Path::new("f"), &text, offset..offset + 3);
            let (line, column) = line_col(&text, offset);
            let shown = Diagnostic::error(Code::Config, "y").at(loc).render(false);
            assert!(
                shown.contains(&format!("--> f:{line}:{column}\n")),
                "at {offset}: {shown}"
            );
            let line_text = text
                .split('\n')
                .nth(line - 1)
                .unwrap()
                .trim_end_matches('\r');
            let escaped = crate::control::for_terminal(line_text);
            assert!(
                shown.contains(&format!("\n{line} | ")) && shown.contains(escaped.as_ref()),
                "at {offset}: {escaped:?} in {shown:?}"
            );
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
    fn a_problem_is_printed_once_as_rustc_prints_errors() {
        let text: Arc<str> = Arc::from("title: x\nbad: y\n");
        let d = Diagnostic::error(Code::UnknownField, "unknown field `bad`")
            .at(Location::new(Path::new("site.toml"), &text, 9..12))
            .help("remove it")
            .related(Location::file(Path::new("docs.md")), "the fields");
        assert_eq!(
            d.to_string(),
            "error[unknown-field]: unknown field `bad`\n --> site.toml:2:1\n  |\n2 | bad: y\n  | ^^^\n  |\n  = help: remove it\n  = note: docs.md:1:1: the fields"
        );
        let no_text = Diagnostic::warning(Code::MissingIndex, "no index")
            .at(Location::file(Path::new("content/index.md")))
            .help("write one");
        assert_eq!(
            no_text.to_string(),
            "warning[missing-index]: no index\n--> content/index.md:1:1\n = help: write one"
        );
    }

    #[test]
    fn what_is_printed_holds_no_control_character() {
        let text: Arc<str> = Arc::from("a: 1\nb: x\u{1b}[2Jy\nc: 3\n");
        let at = text.find('\u{1b}').unwrap();
        let d = Diagnostic::error(Code::ControlCharacter, "bad \u{1b}]0;title\u{7} here")
            .at(Location::new(
                Path::new("dir\u{9b}/f.yaml"),
                &text,
                at..at + 1,
            ))
            .help("mend\r it")
            .related(Location::file(Path::new("g\u{7f}")), "see \u{1b}");
        let plain = d.render(false);
        assert!(
            !plain.contains(|c: char| c.is_control() && c != '\n'),
            "{plain}"
        );
        for s in [
            "bad \\u{1b}]0;title\\u{7} here",
            "dir\\u{9b}/f.yaml:2:5",
            "mend\\u{d} it",
            "g\\u{7f}:1:1: see \\u{1b}",
        ] {
            assert!(plain.contains(s), "{s} in {plain}");
        }
        let fancy = d.render(true);
        // Colour codes are the printer's own; none of the text's is left.
        assert!(
            !fancy.contains("\u{1b}[2J") && !fancy.contains("\u{1b}]0"),
            "{fancy}"
        );
        assert!(!fancy.contains(['\u{7}', '\u{9b}', '\u{7f}']), "{fancy}");
        // The underline stands under the escaped character, on the same line.
        let line = plain
            .lines()
            .position(|l| l.contains("x\\u{1b}[2Jy"))
            .unwrap();
        let shown = plain.lines().nth(line).unwrap();
        let under = plain.lines().nth(line + 1).unwrap();
        let column = |l: &str, s: &str| l[..l.find(s).unwrap()].chars().count();
        assert_eq!(column(under, "^"), column(shown, "\\u{1b}"), "{plain}");
        assert_eq!(under.matches('^').count(), 6, "{plain}");
    }

    #[test]
    fn json_lines_escape_del_and_c1_too() {
        let d = Diagnostic::error(Code::Config, "a\u{1b}b\u{7f}c\u{9b}d\u{a0}e");
        let line = d.to_json_line();
        assert!(!line.chars().any(|c| c.is_control()), "{line}");
        assert!(line.contains(r"a\u001bb\u007fc\u009bd"), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["message"], "a\u{1b}b\u{7f}c\u{9b}d\u{a0}e");
        assert_eq!(
            Diagnostic::error(Code::Config, "plain").to_json_line(),
            d_json("plain")
        );
    }

    fn d_json(message: &str) -> String {
        Diagnostic::error(Code::Config, message)
            .to_json()
            .to_string()
    }

    #[test]
    fn no_snippet_for_a_very_long_line() {
        let text: Arc<str> = Arc::from(format!("a: 1\n{}\n", "x ".repeat(5000)));
        let d =
            Diagnostic::error(Code::Config, "bad").at(Location::new(Path::new("a"), &text, 10..11));
        let shown = d.render(false);
        assert!(shown.contains("--> a:2:6"), "{shown}");
        assert!(!shown.contains("x x"), "{shown}");
        let d =
            Diagnostic::error(Code::Config, "bad").at(Location::new(Path::new("a"), &text, 0..1));
        assert!(d.render(false).contains("1 | a: 1"));
        assert_eq!(
            Diagnostic::error(Code::Config, "bad").render(false),
            "error[config]: bad"
        );
    }

    #[test]
    fn a_span_over_many_lines_is_shown_by_its_first() {
        let text: Arc<str> =
            Arc::from("quote: >\n  one\n  two\n  three\n  four\n  five\n  six\nnext: 1\n");
        let start = text.find("one").unwrap();
        let end = text.find("six").unwrap() + 3;
        let shown = Diagnostic::error(Code::Config, "bad")
            .at(Location::new(Path::new("a"), &text, start..end))
            .render(false);
        assert!(shown.contains("one") && shown.contains("four"), "{shown}");
        assert!(
            !shown.contains("five") && !shown.contains("next"),
            "{shown}"
        );
    }

    #[test]
    fn the_same_problem_is_reported_once() {
        let text: Arc<str> = Arc::from("{{ x }}\n");
        let mut ds = Diagnostics::new();
        for _ in 0..7 {
            ds.push(
                Diagnostic::error(Code::TemplateRender, "x is not defined").at(Location::new(
                    Path::new("templates/item.html"),
                    &text,
                    3..4,
                )),
            );
        }
        ds.push(
            Diagnostic::error(Code::TemplateRender, "x is not defined").at(Location::new(
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
        ds.push(Diagnostic::error(Code::Config, "late").at(Location::new(
            Path::new("b"),
            &text,
            4..5,
        )));
        ds.push(Diagnostic::warning(Code::Config, "early").at(Location::new(
            Path::new("a"),
            &text,
            2..3,
        )));
        let v = ds.sorted();
        assert_eq!(v[0].message, "early");
        assert!(ds.has_errors());
        assert_eq!(ds.warning_count(), 1);
    }
}
