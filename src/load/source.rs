//! Source texts: `content/sources/<id>.md` (front matter + text) and `.txt` (as pasted).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::{self, Doc};
use super::{Markdown, Origin, is_valid_id, read_text};
use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Location};

/// A source text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file stem.
    pub id: String,
    /// Path relative to the site root.
    pub path: PathBuf,
    pub meta: SourceMeta,
    /// Where the body text starts in the file (see [`Source::text`]).
    pub origin: Origin,
    /// The paragraphs of `text`, in order.
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Byte range in the source's `text`, trimmed of surrounding white space.
    pub range: Range<usize>,
    /// Web boilerplate (matched a pattern in site.toml): not shown on the page.
    pub hidden: bool,
}

/// What the front matter says about a source.
#[derive(Debug, Clone, Default, Hash)]
pub struct SourceMeta {
    pub title: String,
    /// `short_title:`, what a page's short notes call the source ("Kremlin warns of
    /// difficult talks, ¶3: …"); without it the notes cut `title` at a word.
    pub short_title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub published: Option<PartialDate>,
    pub retrieved: Option<PartialDate>,
    pub language: Option<String>,
    /// A copy of the page at `url` in a web archive.
    pub archived: Option<ArchivedCopy>,
    /// The original as retrieved, kept in content/archive/ (`original` and `sha256`).
    pub original: Option<KeptOriginal>,
    pub summary_of: Option<SummaryOf>,
    pub notes: Option<Markdown>,
    /// `internal: true`: the source is left out of the public site (see [`crate::audience`]).
    pub internal: bool,
    /// `internal_notes:`, Markdown that is always internal (`notes` is public).
    pub internal_notes: Option<Markdown>,
    /// The review findings acknowledged on the source (`reviewed:`).
    pub reviewed: super::Reviewed,
}

/// The bytes of the original as `brief add` retrieved them, kept in the briefing
/// (`original: archive/<id>.html` and `sha256: …` in front matter): anyone can check the
/// text against what was retrieved, and the check that the file is still the one hashed is
/// made on every load.
#[derive(Debug, Clone, Hash)]
pub struct KeptOriginal {
    /// The file, relative to content/ (`archive/<id>.<ext>`).
    pub path: String,
    /// Its SHA-256, lower-case hex.
    pub sha256: Option<String>,
    /// Where `original` stands in the source's file, for the problems of the kept file.
    pub at: Range<usize>,
}

/// The folder of the kept originals, under content/ (what `original` names starts with it).
pub const ARCHIVE_DIR: &str = "archive";

/// A copy of a web page kept by a web archive (`archived` and `archived_at` in front
/// matter): readers can still reach the text when the original moves or changes.
#[derive(Debug, Clone, Hash)]
pub struct ArchivedCopy {
    /// The archive's address of the copy (`https://web.archive.org/web/…/…`).
    pub url: String,
    /// When the archive made the copy.
    pub at: Option<PartialDate>,
}

/// The report a source summarizes (for summaries written in the briefing's own words).
#[derive(Debug, Clone, Default, Hash)]
pub struct SummaryOf {
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub date: Option<PartialDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// A copy of the report at `url` in a web archive.
    pub archived: Option<ArchivedCopy>,
}

impl Source {
    /// The body text, exactly as in the file; citation offsets index into it. (It is a view
    /// of the file's text, which the source keeps anyway for error messages.)
    pub fn text(&self) -> &str {
        self.origin
            .file_text
            .get(self.origin.offset..)
            .unwrap_or("")
    }
}

impl SummaryOf {
    /// `“Headline”, by Jane Doe, Reuters, 2 June 2025`: the report, for a credit line.
    pub fn describe(&self) -> String {
        self.describe_in(crate::strings::Strings::english())
    }

    /// [`SummaryOf::describe`] in the site's language: `“Заголовок”, автор: …, 2 червня 2025`.
    pub fn describe_in(&self, t: &crate::strings::Strings) -> String {
        let mut parts = Vec::new();
        if let Some(title) = &self.title {
            parts.push(format!("“{title}”"));
        }
        if let Some(a) = &self.author {
            parts.push(t.fill("by_author", &[("name", a)]));
        }
        if let Some(o) = &self.outlet {
            parts.push(o.clone());
        }
        if let Some(d) = &self.date {
            parts.push(t.date(d));
        }
        parts.join(", ")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<Spanned<String>>,
    short_title: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    url: Option<Spanned<String>>,
    published: Option<Spanned<String>>,
    retrieved: Option<Spanned<String>>,
    language: Option<String>,
    archived: Option<Spanned<String>>,
    archived_at: Option<Spanned<String>>,
    original: Option<Spanned<String>>,
    sha256: Option<Spanned<String>>,
    summary_of: Option<RawSummaryOf>,
    notes: Option<Spanned<String>>,
    internal: Option<bool>,
    internal_notes: Option<Spanned<String>>,
    reviewed: super::reviewed::RawReviewed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSummaryOf {
    outlet: Option<String>,
    author: Option<String>,
    date: Option<Spanned<String>>,
    title: Option<String>,
    url: Option<Spanned<String>>,
    archived: Option<Spanned<String>>,
    archived_at: Option<Spanned<String>>,
}

/// A loaded source with the problems of its front matter's values, or the problems that
/// leave no source to work with.
pub type Loaded = Result<(Source, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Loads one source file. `path` is relative to `root`.
pub fn load(root: &Path, path: &Path, boilerplate: &[regex::Regex]) -> Loaded {
    let text = read_text(root, path).map_err(|d| vec![d])?;
    parse(path, text, boilerplate)
}

/// The problems of the sources' kept originals (see [`check_original`]), hashed in parallel:
/// a PDF can be tens of MiB.
pub fn check_originals(root: &Path, sources: &[Source]) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    sources
        .par_iter()
        .filter_map(|s| check_original(root, s, s.meta.original.as_ref()?))
        .collect()
}

/// The problem with a source's kept original, if any: a file that is not there, not inside
/// the briefing, or not the one its `sha256` was taken of.
fn check_original(root: &Path, source: &Source, kept: &KeptOriginal) -> Option<Diagnostic> {
    let rel = Path::new("content").join(&kept.path);
    let at = Location::new(&source.path, &source.origin.file_text, kept.at.clone());
    let abs = root.join(&rel);
    let inside = match (abs.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => true,
    };
    if !inside {
        // When archives are published, the file would be copied into the site.
        return Some(
            Diagnostic::error(
                Code::SymlinkOutside,
                format!("{} leads outside the briefing", rel.display()),
            )
            .at(at)
            .help("copy the original into content/archive/ instead of linking to it"),
        );
    }
    let bytes = match std::fs::read(&abs) {
        Ok(b) => b,
        Err(e) => {
            return Some(
                Diagnostic::error(Code::NotFound, format!("cannot read the kept original {}: {e}", rel.display()))
                    .at(at)
                    .help("put the original back where `original` says (git checkout content/archive/), or remove `original` and `sha256`"),
            );
        }
    };
    let want = kept.sha256.as_deref()?;
    let got = crate::digest::Sha256::of_bytes(&bytes).to_string();
    (got != want).then(|| {
        Diagnostic::error(
            Code::OriginalChanged,
            format!(
                "{} is not the original that was retrieved: its SHA-256 is {got}, and the source says {want}",
                rel.display()
            ),
        )
        .at(at)
        .help("put the file as retrieved back (git checkout content/archive/); if it was retrieved anew, add it again with `brief add`")
    })
}

/// Parses the text of a source file; `path` (relative to the site root) gives the id and
/// names the file in problems.
///
/// A wrong value in the front matter (a date, a url, a missing title) still gives the
/// source, with its errors: its text is sound, so the quotes cited from it are checked in
/// the same run rather than after the date is mended. Without a usable id, front matter or
/// text there is no source.
pub fn parse(path: &Path, text: Arc<str>, boilerplate: &[regex::Regex]) -> Loaded {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut diags = Vec::new();
    let bad_id = !is_valid_id(&id);
    if bad_id {
        diags.push(
            Diagnostic::error(Code::BadId, format!("`{id}` cannot be a source id"))
                .at(Location::file(path))
                .help("rename the file: lower-case letters, digits and `-` only, at most 200 of them (e.g. tass-2025-06-02.md)"),
        );
    }
    let is_txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));

    // Stray control characters in the text (pasted web text has them) are shown as spaces,
    // with a warning; the front matter's values are the user's own and refused with an
    // error (by `yaml::parse`) instead.
    let body_start = yaml::split_front_matter(&text).map_or(0, |s| s.body_offset);
    let text = match crate::control::blank(path, &text, body_start..text.len()) {
        Some((blanked, warning)) => {
            diags.push(warning);
            blanked
        }
        None => text,
    };

    let split = yaml::split_front_matter(&text).map_err(|(at, msg)| {
        vec![
            Diagnostic::error(Code::YamlSyntax, msg)
                .at(Location::new(path, &text, at..at + 3))
                .help("close the front matter with a line of three dashes: ---"),
        ]
    })?;

    let mut meta = SourceMeta::default();
    let mut title_loc = None;
    if let Some((yaml_text, offset)) = split.front_matter {
        let doc = Doc {
            file: path.to_path_buf(),
            file_text: text.clone(),
            offset,
        };
        let raw: RawMeta = yaml::parse(path, &text, yaml_text, offset).map_err(|d| vec![d])?;
        meta = convert_meta(&doc, raw, &mut diags, &mut title_loc);
    }

    // The text that citations index: for .md and fronted .txt the body, for a bare .txt
    // everything after the first non-empty line (its title).
    let (body, body_offset) = if is_txt && split.front_matter.is_none() {
        let body = split.body;
        let mut offset = 0;
        let mut title = None;
        for line in body.split_inclusive('\n') {
            offset += line.len();
            if !line.trim().is_empty() {
                title = Some(line.trim().to_string());
                break;
            }
        }
        meta.title = title.unwrap_or_default();
        (&body[offset..], split.body_offset + offset)
    } else {
        (split.body, split.body_offset)
    };

    if meta.title.is_empty() {
        let help = if is_txt {
            "a .txt source's first non-empty line is its title"
        } else {
            "add `title: …` to the front matter"
        };
        diags.push(
            Diagnostic::error(Code::MissingField, "the source has no title")
                .at(title_loc.unwrap_or_else(|| Location::file(path)))
                .help(help),
        );
    }

    let paragraphs = paragraphs(body, is_txt, boilerplate);
    if paragraphs.iter().all(|p| p.hidden) {
        diags.push(
            Diagnostic::error(Code::EmptySource, format!("source `{id}` has no text"))
                .at(Location::file(path))
                .help("paste the text under the title (or below the front matter), or remove the file"),
        );
        // Every quote from it would be "not found" too: this one error says it all.
        return Err(diags);
    }
    if bad_id {
        // Nothing can cite it by this name, and a page cannot be made under it.
        return Err(diags);
    }

    let source = Source {
        id,
        path: path.to_path_buf(),
        meta,
        origin: Origin {
            file: path.to_path_buf(),
            file_text: text.clone(),
            offset: body_offset,
            verbatim: true,
        },
        paragraphs,
    };
    Ok((source, diags))
}

fn convert_meta(
    doc: &Doc,
    raw: RawMeta,
    diags: &mut Vec<Diagnostic>,
    title_loc: &mut Option<Location>,
) -> SourceMeta {
    if let Some(t) = &raw.title {
        *title_loc = Some(doc.loc(t));
    }
    let url = raw.url.and_then(|u| check_url(doc, "url", &u, diags));
    let archived = archived_copy(doc, raw.archived, raw.archived_at, diags);
    let original = kept_original(doc, raw.original, raw.sha256, diags);
    SourceMeta {
        title: raw
            .title
            .map(|t| t.value.trim().to_string())
            .unwrap_or_default(),
        short_title: raw
            .short_title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        outlet: raw.outlet,
        author: raw.author,
        url,
        published: doc.date(raw.published.as_ref(), diags),
        retrieved: doc.date(raw.retrieved.as_ref(), diags),
        language: raw.language,
        archived,
        original,
        summary_of: raw.summary_of.map(|s| SummaryOf {
            outlet: s.outlet,
            author: s.author,
            date: doc.date(s.date.as_ref(), diags),
            title: s.title,
            url: s.url.and_then(|u| check_url(doc, "url", &u, diags)),
            archived: archived_copy(doc, s.archived, s.archived_at, diags),
        }),
        notes: raw.notes.as_ref().map(|n| doc.markdown(n)),
        internal: raw.internal.unwrap_or(false),
        internal_notes: raw.internal_notes.as_ref().map(|n| doc.markdown(n)),
        reviewed: super::Reviewed::of(doc, raw.reviewed),
    }
}

/// `archived` and `archived_at` as one copy: a web address, and the date the archive made it.
/// A date without an address dates nothing, and is said so rather than dropped.
fn archived_copy(
    doc: &Doc,
    url: Option<Spanned<String>>,
    at: Option<Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ArchivedCopy> {
    match (url, at) {
        (Some(u), at) => {
            let url = check_url(doc, "archived", &u, diags);
            let at = doc.date(at.as_ref(), diags);
            Some(ArchivedCopy { url: url?, at })
        }
        (None, Some(at)) => {
            doc.date(Some(&at), diags);
            diags.push(
                Diagnostic::error(Code::MissingField, "`archived_at` dates an archived copy, but there is no `archived`")
                    .at(doc.loc(&at))
                    .help("add `archived: https://web.archive.org/web/…` (the archive's address of the copy), or remove `archived_at`"),
            );
            None
        }
        (None, None) => None,
    }
}

/// `original` and `sha256` as one kept original: a path under content/archive/ (no way out
/// of it), and the 64 hex digits of a SHA-256. A hash without a file hashes nothing.
fn kept_original(
    doc: &Doc,
    path: Option<Spanned<String>>,
    sha256: Option<Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<KeptOriginal> {
    let sha = sha256.and_then(|h| {
        let v = h.value.trim().to_ascii_lowercase();
        if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some((v, h))
        } else {
            diags.push(
                Diagnostic::error(Code::WrongType, format!("`{}` is not a SHA-256", h.value.trim()))
                    .at(doc.loc(&h))
                    .help("a SHA-256 is 64 hex digits, as `sha256sum FILE` prints it (brief add writes it)"),
            );
            None
        }
    });
    let Some(path) = path else {
        if let Some((_, h)) = sha {
            diags.push(
                Diagnostic::error(Code::MissingField, "`sha256` is the hash of a kept original, but there is no `original`")
                    .at(doc.loc(&h))
                    .help("add `original: archive/FILE` (the file in content/archive/ it is the hash of), or remove `sha256`"),
            );
        }
        return None;
    };
    let p = path.value.trim();
    let inside = p
        .strip_prefix(ARCHIVE_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| {
            !name.is_empty()
                && !name.contains('\\')
                && name
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
        });
    let at = doc.loc(&path).span;
    if !inside {
        diags.push(
            Diagnostic::error(Code::BadUrl, format!("`{p}` is not a file in content/{ARCHIVE_DIR}/"))
                .at(doc.loc(&path))
                .help(format!("`original` names a file in content/{ARCHIVE_DIR}/, as `{ARCHIVE_DIR}/ID.html` (brief add writes it)")),
        );
        return None;
    }
    Some(KeptOriginal {
        path: p.to_string(),
        sha256: sha.map(|(v, _)| v),
        at,
    })
}

/// Only web links may stand in a `url` or `archived` (the field named `field`): a
/// `javascript:` or `data:` URL would run in the reader's browser when they click
/// "original".
fn check_url(
    doc: &Doc,
    field: &str,
    url: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let u = url.value.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Some(u.to_string())
    } else {
        diags.push(
            Diagnostic::error(Code::BadUrl, format!("`{u}` is not a web address"))
                .at(doc.loc(url))
                .help(format!(
                    "a source's {field} must start with https:// or http://"
                )),
        );
        None
    }
}

/// Splits a body into paragraphs: every non-empty line for `.txt` (text pasted from the web
/// has one paragraph a line), blank-line-separated blocks for `.md`.
fn paragraphs(body: &str, one_per_line: bool, boilerplate: &[regex::Regex]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut block: Option<Range<usize>> = None;
    let mut block_hidden = true;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(r) = block.take() {
                out.push(Paragraph {
                    range: r,
                    hidden: block_hidden,
                });
            }
            block_hidden = true;
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let range = start + lead..start + lead + trimmed.len();
        let hidden = boilerplate.iter().any(|r| r.is_match(trimmed));
        if one_per_line {
            out.push(Paragraph { range, hidden });
        } else {
            block = Some(match block {
                Some(b) => b.start..range.end,
                None => range,
            });
            block_hidden &= hidden;
        }
    }
    if let Some(r) = block {
        out.push(Paragraph {
            range: r,
            hidden: block_hidden,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let rel = PathBuf::from("content/sources").join(name);
        std::fs::create_dir_all(dir.join("content/sources")).unwrap();
        std::fs::write(dir.join(&rel), text).unwrap();
        rel
    }

    #[test]
    fn txt_first_line_is_title_and_lines_are_paragraphs() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "report.txt",
            "\nThe Title\nFirst para.\n\nAdvertisement\nSecond para.\n",
        );
        let pats = vec![regex::Regex::new("^Advertisement$").unwrap()];
        let (s, problems) = load(dir.path(), &p, &pats).unwrap();
        assert!(problems.is_empty());
        assert_eq!(s.meta.title, "The Title");
        let shown: Vec<&str> = s
            .paragraphs
            .iter()
            .filter(|p| !p.hidden)
            .map(|p| &s.text()[p.range.clone()])
            .collect();
        assert_eq!(shown, ["First para.", "Second para."]);
        assert_eq!(s.paragraphs.len(), 3);
        // Offsets into the body map back into the file.
        let file = std::fs::read_to_string(dir.path().join(&p)).unwrap();
        assert_eq!(&file[s.origin.offset..], s.text());
    }

    #[test]
    fn md_blocks_are_paragraphs_and_front_matter_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "sum.md",
            "---\ntitle: T\npublished: 2025-06\nsummary_of:\n  outlet: Reuters\n---\nLine one\nline two.\n\nNext.\n",
        );
        let (s, problems) = load(dir.path(), &p, &[]).unwrap();
        assert!(problems.is_empty());
        assert_eq!(s.meta.title, "T");
        assert_eq!(s.meta.published.unwrap().iso(), "2025-06");
        assert_eq!(
            s.meta.summary_of.as_ref().unwrap().outlet.as_deref(),
            Some("Reuters")
        );
        assert_eq!(s.paragraphs.len(), 2);
        assert_eq!(
            &s.text()[s.paragraphs[0].range.clone()],
            "Line one\nline two."
        );
    }

    #[test]
    fn bad_date_url_and_unknown_field_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.md",
            "---\ntitle: T\npublished: 2025-02-30\nurl: javascript:alert(1)\n---\nx\n",
        );
        // The text is sound, so the source is there (for its quotes to be checked), with
        // the errors of its front matter.
        let (s, e) = load(dir.path(), &p, &[]).unwrap();
        assert_eq!(s.text(), "x\n");
        assert!(s.meta.published.is_none() && s.meta.url.is_none());
        let codes: Vec<Code> = e.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::BadUrl, Code::BadDate]);
        let p = write(dir.path(), "b.md", "---\ntitle: T\nauthr: x\n---\nx\n");
        let e = load(dir.path(), &p, &[]).unwrap_err();
        assert_eq!(e[0].code, Code::UnknownField);
        assert_eq!(e[0].location.as_ref().unwrap().line(), 3);
    }

    #[test]
    fn an_archived_copy_is_a_web_address_with_a_date() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.md",
            "---\ntitle: T\nurl: https://example.org/story\narchived: https://web.archive.org/web/20250602101500/https://example.org/story\narchived_at: 2025-06-02\nsummary_of:\n  archived: https://web.archive.org/web/2025/https://example.org/x\n---\nx\n",
        );
        let (s, problems) = load(dir.path(), &p, &[]).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let a = s.meta.archived.unwrap();
        assert!(
            a.url
                .starts_with("https://web.archive.org/web/20250602101500/")
        );
        assert_eq!(a.at.unwrap().iso(), "2025-06-02");
        let of = s.meta.summary_of.unwrap().archived.unwrap();
        assert!(of.at.is_none());
        // A script address, a date that does not exist, and a date with no copy to date are
        // each one error at their value.
        let p = write(
            dir.path(),
            "b.md",
            "---\ntitle: T\narchived: javascript:alert(1)\narchived_at: 2025-02-30\nsummary_of:\n  archived_at: 2025-06\n---\nx\n",
        );
        let (s, e) = load(dir.path(), &p, &[]).unwrap();
        assert!(s.meta.archived.is_none());
        let found: Vec<(Code, usize)> = e
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().line()))
            .collect();
        assert_eq!(
            found,
            [
                (Code::BadUrl, 3),
                (Code::BadDate, 4),
                (Code::MissingField, 6)
            ]
        );
        assert!(
            e[0].help
                .as_deref()
                .unwrap()
                .contains("archived must start with https://")
        );
    }

    #[test]
    fn a_kept_original_is_a_file_in_the_archive_with_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = b"<p>as retrieved</p>";
        std::fs::create_dir_all(dir.path().join("content/archive")).unwrap();
        std::fs::write(dir.path().join("content/archive/a.html"), bytes).unwrap();
        let sha = crate::digest::Sha256::of_bytes(bytes).to_string();
        let p = write(
            dir.path(),
            "a.md",
            &format!("---\ntitle: T\noriginal: archive/a.html\nsha256: {sha}\n---\nx\n"),
        );
        let (s, problems) = load(dir.path(), &p, &[]).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(check_originals(dir.path(), std::slice::from_ref(&s)).is_empty());
        std::fs::write(dir.path().join("content/archive/a.html"), b"edited").unwrap();
        let e = check_originals(dir.path(), std::slice::from_ref(&s));
        assert_eq!(
            (e[0].code, e[0].location.as_ref().unwrap().line()),
            (Code::OriginalChanged, 3)
        );
        std::fs::remove_file(dir.path().join("content/archive/a.html")).unwrap();
        assert_eq!(
            check_originals(dir.path(), std::slice::from_ref(&s))[0].code,
            Code::NotFound
        );
        let kept = s.meta.original.unwrap();
        assert_eq!(
            (kept.path.as_str(), kept.sha256.as_deref()),
            ("archive/a.html", Some(sha.as_str()))
        );
        // Out of the archive, a hash that is none, a hash of no file: each an error at its line.
        let p = write(
            dir.path(),
            "b.md",
            "---\ntitle: T\noriginal: ../site.toml\n---\nx\n",
        );
        let (s, e) = load(dir.path(), &p, &[]).unwrap();
        assert!(s.meta.original.is_none());
        assert_eq!(
            (e[0].code, e[0].location.as_ref().unwrap().line()),
            (Code::BadUrl, 3)
        );
        let p = write(dir.path(), "c.md", "---\ntitle: T\nsha256: abc\n---\nx\n");
        let (_, e) = load(dir.path(), &p, &[]).unwrap();
        let codes: Vec<Code> = e.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::WrongType]);
        let p = write(
            dir.path(),
            "d.md",
            &format!("---\ntitle: T\nsha256: {sha}\n---\nx\n"),
        );
        let (_, e) = load(dir.path(), &p, &[]).unwrap();
        assert_eq!(e[0].code, Code::MissingField);
    }

    #[test]
    fn empty_source_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "e.txt", "Only a title\n\n");
        let e = load(dir.path(), &p, &[]).unwrap_err();
        assert_eq!(e[0].code, Code::EmptySource);
    }

    #[test]
    fn a_bad_id_leaves_no_source_but_every_problem_of_the_file_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "Bad_Name.md",
            "---\npublished: 2025-13\n---\nx\n",
        );
        let e = load(dir.path(), &p, &[]).unwrap_err();
        let codes: Vec<Code> = e.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::BadId, Code::BadDate, Code::MissingField]);
    }
}
