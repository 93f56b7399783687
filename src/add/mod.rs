//! `brief add <FILE|URL|->`: a source made from a saved web page, a URL, a PDF or plain
//! text, with the original kept beside it.
//!
//! It sits on top of the library like `init` and `publish`: nothing below calls it. Its steps
//! read as [`run`] does them: take the bytes (`fetch.rs` for a URL), tell what they are,
//! extract the text and what the page says about itself (`html.rs`, `pdf.rs`, plain text
//! here), choose an id, then write the original to `content/archive/` and the source to
//! `content/sources/` (`write.rs`), never over an existing file. `boilerplate.rs` finds the
//! lines left in the text that site.toml could hide.

mod boilerplate;
mod fetch;
mod html;
mod pdf;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic};

pub use fetch::Limits;

/// What `brief add` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file: a saved page (`.html`, `.htm`), a PDF, or plain text.
    File(PathBuf),
    /// An `http://` or `https://` address, fetched.
    Url(String),
    /// Standard input (`-`): plain text, or a page or PDF piped in.
    Stdin,
}

impl Input {
    /// Reads the command line's argument: `-` is standard input, an `http(s)://` address a
    /// URL, anything else a file.
    pub fn parse(arg: &str) -> Input {
        let lower = arg.to_ascii_lowercase();
        if arg == "-" {
            Input::Stdin
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Input::Url(arg.to_string())
        } else {
            Input::File(PathBuf::from(arg))
        }
    }
}

/// The options of one `brief add`.
#[derive(Debug, Clone)]
pub struct AddOptions {
    /// The briefing's folder.
    pub root: PathBuf,
    pub input: Input,
    /// The source's id; else a slug of its title.
    pub id: Option<String>,
    /// The title; required for plain text, else it replaces the one found.
    pub title: Option<String>,
    /// How long a URL may take and how large it may be.
    pub limits: Limits,
}

/// What kind of document the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Html,
    Pdf,
    Text,
}

impl DocKind {
    /// The extension of the kept original.
    pub fn extension(self) -> &'static str {
        match self {
            DocKind::Html => "html",
            DocKind::Pdf => "pdf",
            DocKind::Text => "txt",
        }
    }
}

/// What a document says about itself, and its text: what becomes the source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// The author, or the authors joined with `, `.
    pub author: Option<String>,
    pub published: Option<PartialDate>,
    /// The page's own (canonical) address.
    pub url: Option<String>,
    pub language: Option<String>,
    /// The text, a paragraph an entry, each on one line.
    pub paragraphs: Vec<String>,
}

/// What `brief add` wrote and found.
#[derive(Debug, Clone)]
pub struct Added {
    pub id: String,
    /// The source written, relative to the briefing's folder.
    pub source: PathBuf,
    /// The original kept, relative to the briefing's folder.
    pub original: PathBuf,
    pub sha256: String,
    pub kind: DocKind,
    /// The address the document was fetched from in the end, after redirects (a URL input).
    pub fetched_from: Option<String>,
    /// The front matter's fields that were filled, with their values, in the file's order.
    pub found: Vec<(&'static str, String)>,
    /// The fields that the document did not tell.
    pub missing: Vec<&'static str>,
    /// Lines of the text that look like web boilerplate, as site.toml patterns; only those
    /// that site.toml's `boilerplate` does not already hide.
    pub boilerplate: Vec<String>,
    pub paragraphs: usize,
}

/// Adds a source to the briefing in `options.root`. Writes nothing on any error.
pub fn run(options: &AddOptions) -> Result<Added, Diagnostic> {
    let root = &options.root;
    let config = read_config(root)?;
    let (bytes, content_type, fetched_from) = take_bytes(options)?;
    let kind = kind_of(&options.input, content_type.as_deref(), &bytes)?;
    let mut doc = match kind {
        DocKind::Html => html::extract(&bytes, content_type.as_deref(), fetched_from.as_deref()),
        DocKind::Pdf => pdf::extract(&bytes)?,
        DocKind::Text => plain_text(&bytes),
    };
    // A fetched page without a canonical address of its own was at least where it was
    // fetched from (after redirects).
    if doc.url.is_none() {
        doc.url = fetched_from.clone();
    }
    if let Some(t) = &options.title {
        doc.title = Some(t.trim().to_string());
    }
    let title = match doc.title.clone().filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => {
            return Err(input_error(match kind {
                DocKind::Text => "plain text says nothing of its title".to_string(),
                _ => "the document has no title brief could find".to_string(),
            })
            .help("give it one: --title \"The headline\""));
        }
    };
    if doc.paragraphs.is_empty() {
        return Err(input_error(format!(
            "no text was found in {}",
            describe(&options.input)
        ))
        .help(match kind {
            DocKind::Pdf => "a PDF of scanned pages has no text to extract: run it through OCR first, or paste its text with `brief add - --title …`",
            _ => "save the article's text as a .txt file and `brief add` that, with --title",
        }));
    }
    let id = match &options.id {
        Some(id) => {
            if !crate::load::is_valid_id(id) {
                return Err(input_error(format!("`{id}` cannot be a source id"))
                    .help("lower-case letters, digits and `-` only, at most 200 of them (e.g. tass-2025-06-02)"));
            }
            id.clone()
        }
        None => id_of(&title),
    };
    write::refuse_existing(root, &id, kind)?;
    let patterns = compile(&config.boilerplate);
    let boilerplate = boilerplate::suggest(&doc.paragraphs, &patterns);
    let today = today();
    write::write(root, &id, kind, &bytes, &title, &doc, today).map(|w| Added {
        id,
        source: w.source,
        original: w.original,
        sha256: w.sha256,
        kind,
        fetched_from,
        found: w.found,
        missing: w.missing,
        boilerplate,
        paragraphs: doc.paragraphs.len(),
    })
}

/// What `brief add` tells the user: the files written, what was found and what was not, and
/// the site.toml line that hides the boilerplate left in the text.
pub fn describe_added(a: &Added) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let what = match a.kind {
        DocKind::Html => "a web page",
        DocKind::Pdf => "a PDF",
        DocKind::Text => "plain text",
    };
    let _ = writeln!(
        out,
        "added source `{}` from {what}: {} ({})",
        a.id,
        a.source.display(),
        crate::plural(a.paragraphs, "paragraph")
    );
    let _ = writeln!(
        out,
        "kept the original as {} (SHA-256 {})",
        a.original.display(),
        a.sha256
    );
    let _ = writeln!(out, "found:");
    for (name, value) in &a.found {
        if !matches!(*name, "original" | "sha256") {
            let _ = writeln!(out, "  {name:<10} {value}");
        }
    }
    let url = a.found.iter().find(|(n, _)| *n == "url").map(|(_, v)| v);
    if let Some(from) = a.fetched_from.as_ref().filter(|f| Some(*f) != url) {
        let _ = writeln!(
            out,
            "  (fetched from {from}; the url is the page's own canonical address)"
        );
    }
    if !a.missing.is_empty() {
        let _ = writeln!(
            out,
            "not found: {} (add them to the front matter if you know them)",
            a.missing.join(", ")
        );
    }
    if a.boilerplate.is_empty() {
        let _ = writeln!(out, "no boilerplate lines left in the text");
    } else {
        let _ = writeln!(
            out,
            "{} that look like boilerplate; to hide them on the page, add to site.toml's boilerplate:",
            crate::plural(a.boilerplate.len(), "line")
        );
        let _ = writeln!(out, "  {}", boilerplate::site_toml_line(&a.boilerplate));
    }
    let _ = writeln!(
        out,
        "next: cite it as [@{} \"words from the text\"] (`brief quote {} \"words\"` checks them)",
        a.id, a.id
    );
    out
}

/// site.toml, for the boilerplate patterns it already has; its absence means the folder
/// is no briefing.
fn read_config(root: &Path) -> Result<crate::config::Config, Diagnostic> {
    let path = root.join("site.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        input_error(format!("cannot read {}: {e}", path.display())).help(
            "run brief add in a briefing's folder (or give it with -C DIR); `brief init` makes one",
        )
    })?;
    // A site.toml with mistakes is for `brief check` to report; here only its patterns count.
    Ok(
        crate::config::Config::parse(Path::new("site.toml"), &text.clone().into())
            .unwrap_or_else(|_| crate::config::Config::salvage(&text)),
    )
}

fn compile(patterns: &[String]) -> Vec<regex::Regex> {
    patterns
        .iter()
        .filter_map(|p| regex::Regex::new(p).ok())
        .collect()
}

/// The bytes as given or fetched, the Content-Type they came with, and the address they
/// were fetched from in the end.
type Taken = (Vec<u8>, Option<String>, Option<String>);

/// Reads or fetches the input ([`Taken`]), within the size limit.
fn take_bytes(options: &AddOptions) -> Result<Taken, Diagnostic> {
    match &options.input {
        Input::Url(url) => {
            let f = fetch::get(url, &options.limits)?;
            Ok((f.bytes, f.content_type, Some(f.url)))
        }
        Input::File(path) => {
            let abs = if path.is_absolute() {
                path.clone()
            } else {
                std::env::current_dir().unwrap_or_default().join(path)
            };
            std::fs::read(&abs)
                .map(|b| (b, None, None))
                .map_err(|e| input_error(format!("cannot read {}: {e}", path.display())))
        }
        Input::Stdin => {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(options.limits.max_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| input_error(format!("cannot read standard input: {e}")))?;
            if bytes.len() as u64 > options.limits.max_bytes {
                return Err(input_error(format!(
                    "standard input holds more than {} bytes",
                    options.limits.max_bytes
                ))
                .help("save it as a file and add that, or raise --max-size"));
            }
            Ok((bytes, None, None))
        }
    }
}

/// Tells a page, a PDF and plain text apart: by the Content-Type a server sent, by a file's
/// extension, else by the first bytes.
fn kind_of(input: &Input, content_type: Option<&str>, bytes: &[u8]) -> Result<DocKind, Diagnostic> {
    if let Some(ct) = content_type {
        return fetch::kind_of_content_type(ct).ok_or_else(|| {
            Diagnostic::error(
                Code::AddFetch,
                format!("the server sent {ct}, which is neither a web page, a PDF nor plain text"),
            )
            .help("brief adds HTML pages, PDFs and plain text; save another document's text as a .txt file and add that")
        });
    }
    if let Input::File(path) = input {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("html" | "htm" | "xhtml" | "shtml") => return Ok(DocKind::Html),
            Some("pdf") => return Ok(DocKind::Pdf),
            Some("txt" | "text" | "md") => return Ok(DocKind::Text),
            _ => {}
        }
    }
    Ok(sniff(bytes))
}

/// The kind of a document by its first bytes: `%PDF-`, an HTML start, else text.
fn sniff(bytes: &[u8]) -> DocKind {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let head: Vec<u8> = start
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if head.starts_with(b"%pdf-") {
        DocKind::Pdf
    } else if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        DocKind::Html
    } else {
        DocKind::Text
    }
}

/// Plain text: paragraphs separated by blank lines; text with no blank line at all (as
/// pasted from a browser) has one paragraph a line.
fn plain_text(bytes: &[u8]) -> Extracted {
    let text = html::decode(bytes, None);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    let has_blank = text
        .split('\n')
        .skip_while(|l| l.trim().is_empty())
        .any(|l| l.trim().is_empty());
    let mut paragraphs = Vec::new();
    if has_blank {
        for block in text.split("\n\n") {
            let p = one_line(block);
            if !p.is_empty() {
                paragraphs.push(p);
            }
        }
    } else {
        paragraphs = text
            .lines()
            .map(one_line)
            .filter(|l| !l.is_empty())
            .collect();
    }
    Extracted {
        paragraphs,
        ..Extracted::default()
    }
}

/// A paragraph's text on one line: white space (line breaks, tabs, no-break spaces) as
/// single spaces, control characters dropped, trimmed.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// The id made from a title: its slug (transliterated to ASCII, so that a Cyrillic or
/// Turkish headline gives a readable id), cut at a word to at most 60 characters.
pub fn id_of(title: &str) -> String {
    let slug = slug::slugify(title);
    let mut id = String::new();
    for word in slug.split('-').filter(|w| !w.is_empty()) {
        if !id.is_empty() && id.len() + 1 + word.len() > 60 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word[..word.len().min(60)]);
    }
    if id.is_empty() {
        "source".to_string()
    } else {
        id
    }
}

/// Today in UTC, as the day a document was retrieved.
fn today() -> PartialDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    PartialDate::parse(&format!("{y:04}-{m:02}-{d:02}"))
        .unwrap_or_else(|_| PartialDate::parse("1970-01-01").expect("a valid date"))
}

/// The Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn describe(input: &Input) -> String {
    match input {
        Input::File(p) => p.display().to_string(),
        Input::Url(u) => u.clone(),
        Input::Stdin => "standard input".to_string(),
    }
}

fn input_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::AddInput, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_told_apart() {
        assert_eq!(Input::parse("-"), Input::Stdin);
        assert_eq!(
            Input::parse("HTTPS://x.org/a"),
            Input::Url("HTTPS://x.org/a".into())
        );
        assert_eq!(Input::parse("page.html"), Input::File("page.html".into()));
    }

    #[test]
    fn ids_are_ascii_slugs_cut_at_a_word() {
        assert_eq!(
            id_of("Talks resume in Istanbul!"),
            "talks-resume-in-istanbul"
        );
        assert_eq!(id_of("Переговоры в Стамбуле"), "peregovory-v-stambule");
        assert_eq!(id_of("Görüşmeler İstanbul'da"), "gorusmeler-istanbul-da");
        assert_eq!(id_of("???"), "source");
        let long = id_of(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        assert!(crate::load::is_valid_id(&long));
    }

    #[test]
    fn days_are_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_423), (2025, 12, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn documents_are_sniffed() {
        assert_eq!(sniff(b"%PDF-1.4\n"), DocKind::Pdf);
        assert_eq!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE html><p>"), DocKind::Html);
        assert_eq!(sniff(b"Just words."), DocKind::Text);
    }

    #[test]
    fn plain_text_is_split_into_paragraphs() {
        let e = plain_text(b"One\nline.\n\nTwo.\n");
        assert_eq!(e.paragraphs, ["One line.", "Two."]);
        let e = plain_text(b"\nOne.\nTwo.\r\n");
        assert_eq!(e.paragraphs, ["One.", "Two."]);
    }
}
