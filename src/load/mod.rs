//! Loading: reads a briefing's files and parses them into plain values.
//!
//! Nothing here links one file to another (that is [`crate::resolve`]); loading only checks
//! what a single file can tell: syntax, types, unknown and missing fields, dates.

mod annotation;
mod claim;
mod page;
mod reviewed;
mod source;
pub mod yaml;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::Memo;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};

pub use annotation::parse as parse_collection;
pub use annotation::{CiteSpec, Claim, Collection, Details, Item, Kind, Position, Ref};
pub use page::Page;
pub use reviewed::{Acknowledged, Reviewed};
pub use source::parse as parse_source;
pub use source::{
    ARCHIVE_DIR, ArchivedCopy, KeptOriginal, Paragraph, Source, SourceMeta, SummaryOf,
};

/// Everything a briefing's folder holds, parsed.
#[derive(Debug)]
pub struct Site {
    /// The briefing's folder.
    pub root: PathBuf,
    pub config: Config,
    /// Sources, sorted by id.
    pub sources: Vec<Source>,
    /// Annotation collections, in the order site.toml's `collections` gives, the others by id.
    pub collections: Vec<Collection>,
    /// The front page (`slug` empty) and the free pages, sorted by slug.
    pub pages: Vec<Page>,
    /// The user's templates (`templates/`), by name relative to that folder.
    pub templates: Vec<UserTemplate>,
    /// The theme's words in the site's language, strings.toml on top (see [`crate::strings`]).
    pub strings: crate::strings::Strings,
    /// Files under `static/`: path relative to `static/`, and on disk.
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// Ids of sources whose files failed to load (their problems are already reported).
    pub failed_sources: Vec<String>,
    /// True when a collection file failed to load: references may then point at items that
    /// exist but could not be read, so dangling references are not reported.
    pub failed_collections: bool,
    /// The ids of the items in those files, as far as they could be read, with where each
    /// is written: resolve checks that they are unique with the others.
    pub unread_ids: Vec<(String, Location)>,
    /// What a public build took out ([`crate::audience::separate`]; empty until then).
    pub withheld: crate::audience::Withheld,
}

/// A template file of the user's.
#[derive(Debug, Clone)]
pub struct UserTemplate {
    /// Name relative to `templates/`, with `/` separators (`item.html`, `partials/notes.html`).
    pub name: String,
    /// Path relative to the site root, for error messages.
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Markdown written by the user, with where it came from (for citation error positions).
#[derive(Debug, Clone)]
pub struct Markdown {
    pub text: String,
    pub origin: Origin,
}

/// Markdown hashes as what it says: where it came from (the whole file's text) tells a
/// fingerprint nothing a page shows.
impl std::hash::Hash for Markdown {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// Where a piece of text stands in a user's file.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Path relative to the site root.
    pub file: PathBuf,
    pub file_text: Arc<str>,
    /// Byte offset of the text (or of the YAML value holding it) in the file.
    pub offset: usize,
    /// True when the text is a verbatim slice of the file starting at `offset`; false for YAML
    /// values, whose quoting and indentation make the mapping approximate.
    pub verbatim: bool,
}

impl Origin {
    /// The location in the file of `range` of the text `text` that came from here.
    pub fn locate(&self, text: &str, range: Range<usize>) -> Location {
        if self.verbatim {
            let span = self.offset + range.start..self.offset + range.end;
            return Location::new(&self.file, &self.file_text, span);
        }
        // A YAML value: find the first line of the slice in the file after the value's start.
        let slice = text.get(range.clone()).unwrap_or("");
        let needle = slice.lines().next().unwrap_or("").trim();
        let from = self.offset.min(self.file_text.len());
        let found = if needle.is_empty() {
            None
        } else {
            self.file_text
                .get(from..)
                .and_then(|rest| rest.find(needle))
                .map(|i| from + i)
        };
        match found {
            Some(start) => Location::new(&self.file, &self.file_text, start..start + needle.len()),
            None => Location::new(&self.file, &self.file_text, from..from),
        }
    }

    /// The location of the start of the text.
    pub fn start(&self) -> Location {
        Location::new(&self.file, &self.file_text, self.offset..self.offset)
    }
}

/// What earlier loads parsed (kept by a build session): a source or collection file whose
/// size and modification time are unchanged is not read and parsed again.
///
/// A one-off build keeps nothing ([`Cache::default`]): storing a copy of every parsed file
/// for a next build that never comes would only add to its peak memory. A session keeps
/// them ([`Cache::keeping`]).
#[derive(Default)]
pub struct Cache {
    /// The boilerplate patterns the sources were split with; other patterns void the cache.
    boilerplate: Vec<String>,
    sources: Memo<PathBuf, (Stamp, SourceResult)>,
    collections: Memo<PathBuf, (Stamp, CollectionResult)>,
}

type CollectionResult = Result<(Collection, Vec<Diagnostic>), annotation::Unread>;
type SourceResult = source::Loaded;

/// A file's size and modification time.
type Stamp = (u64, Option<std::time::SystemTime>);

impl Cache {
    /// A cache that keeps what each load parses for the next.
    pub fn keeping() -> Cache {
        Cache {
            boilerplate: Vec::new(),
            sources: Memo::keeping(),
            collections: Memo::keeping(),
        }
    }

    /// Forgets what was parsed from these files (relative to the root), whatever their stamps
    /// say: editors can save twice within one tick of the file system's clock.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.sources.remove(p);
            self.collections.remove(p);
        }
    }
}

fn stamp(root: &Path, path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(root.join(path)).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// Reads and parses the briefing in `root`. Problems go to `diags`; what could be loaded is
/// returned even when there were errors, so later stages can report their problems too.
/// `None` only when `site.toml` itself cannot be read.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Site> {
    load_cached(root, diags, &mut Cache::default(), &crate::progress::Silent)
}

/// Reads one source, `content/sources/<id>.md` or `.txt` (in any folder under it), with
/// site.toml's boilerplate patterns, for the verbs that look at one source without
/// loading the whole briefing (`brief quote`, the Cite button of `brief serve`). `None`,
/// with the problem in `diags`, when there is no such source or it cannot be read.
pub fn load_source(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<Source> {
    let (config, _) = read_config(root, diags)?;
    let boilerplate = compile_boilerplate(&config, root, diags);
    let within = Within::briefing(root, config.allow_outside_links);
    let files = list_files_in(
        root,
        Path::new("content/sources"),
        &["md", "txt"],
        &within,
        diags,
    );
    let stem = |p: &PathBuf| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let Some(path) = files.iter().find(|p| stem(p).as_deref() == Some(id)) else {
        let stems: Vec<String> = files.iter().filter_map(stem).collect();
        let near = crate::diagnostics::closest_name(id, stems.iter().map(String::as_str));
        diags.push(
            Diagnostic::error(Code::UnknownSource, format!("there is no source `{id}`"))
                .at(Location::file(Path::new("content/sources")))
                .help(match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("a source is a file content/sources/{id}.md or .txt"),
                }),
        );
        return None;
    };
    match source::load(root, path, &boilerplate) {
        Ok((source, problems)) => {
            problems.into_iter().for_each(|d| diags.push(d));
            Some(source)
        }
        Err(problems) => {
            problems.into_iter().for_each(|d| diags.push(d));
            None
        }
    }
}

/// [`load`], reusing what `cache` holds from earlier loads and keeping what it parses.
pub fn load_cached(
    root: &Path,
    diags: &mut Diagnostics,
    cache: &mut Cache,
    progress: &dyn crate::progress::Progress,
) -> Option<Site> {
    let (config, config_text) = read_config(root, diags)?;
    let boilerplate = compile_boilerplate(&config, root, diags);
    let within = Within::briefing(root, config.allow_outside_links);
    let list_files = |dir: &str, extensions: &[&str], diags: &mut Diagnostics| {
        list_files_in(root, Path::new(dir), extensions, &within, diags)
    };
    let source_files = list_files("content/sources", &["md", "txt"], diags);
    let collection_files = list_files("content/annotations", &["yaml", "yml"], diags);
    let parsed = parse_files(
        root,
        &source_files,
        &collection_files,
        &boilerplate,
        cache,
        progress,
    );
    let (sources, failed_sources) = take_sources(parsed.sources, &source_files, cache, diags);
    // Outside the cache of parsed sources: a kept original may change while its source does not.
    source::check_originals(root, &sources)
        .into_iter()
        .for_each(|d| diags.push(d));
    let mut collections = take_collections(parsed.collections, &collection_files, cache, diags);
    order_collections(
        &mut collections.read,
        &collection_files,
        &config,
        &config_text,
        diags,
    );
    let pages = load_pages(
        root,
        &within,
        list_files("content/pages", &["md"], diags),
        diags,
    );
    let templates = load_templates(root, list_files("templates", &[], diags), diags);
    let strings = load_strings(root, &within, &config, &config_text, diags);
    let static_files = list_files("static", &[], diags)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix("static").unwrap_or(&p).to_path_buf();
            let abs = root.join(&p);
            (rel, abs)
        })
        .collect();
    Some(Site {
        root: root.to_path_buf(),
        config,
        sources,
        collections: collections.read,
        pages,
        templates,
        strings,
        static_files,
        failed_sources,
        failed_collections: collections.failed,
        unread_ids: collections.unread_ids,
        withheld: crate::audience::Withheld::default(),
    })
}

/// The theme's words for the site's `language`, with the briefing's strings.toml (when
/// there is one) on top; its problems, and words missing in a language without a table, go
/// to `diags` (a `missing-string` warning at site.toml's `language`).
fn load_strings(
    root: &Path,
    within: &Within,
    config: &Config,
    config_text: &Arc<str>,
    diags: &mut Diagnostics,
) -> crate::strings::Strings {
    let path = Path::new(crate::strings::FILE);
    let exists = std::fs::symlink_metadata(root.join(path)).is_ok();
    let file = if !exists {
        None
    } else {
        match within
            .check_file(root, path)
            .and_then(|()| read_text(root, path))
        {
            Ok(text) => Some(text),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let language_at = Location::new(
        Path::new("site.toml"),
        config_text,
        crate::config::value_span(config_text, "language"),
    );
    crate::strings::Strings::for_site(&config.language, file.as_ref(), &language_at, diags)
}

/// Reads and parses site.toml. `None` when it cannot be read; a site.toml that does not
/// parse gives what can be read of it (and its error), so the content is checked all the
/// same and its problems told with this one.
fn read_config(root: &Path, diags: &mut Diagnostics) -> Option<(Config, Arc<str>)> {
    let config_path = Path::new("site.toml");
    // site.toml says whether links may lead outside, so its own link never may.
    if let Err(outside) = Within::briefing(root, false).check_file(root, config_path) {
        diags.push(outside);
        return None;
    }
    let text = match site_toml(root) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let config = match Config::parse(config_path, &text) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            Config::salvage(&text)
        }
    };
    Some((config, text))
}

/// What parsing the sources and collections gave, file by file, with each file's stamp
/// when the cache keeps what it is given.
struct Parsed {
    sources: Vec<(Option<Stamp>, SourceResult)>,
    /// Whether the result is new (not taken from the cache).
    collections: Vec<(Option<Stamp>, bool, CollectionResult)>,
}

/// Parses the source and collection files, taking from the cache each file whose stamp is
/// unchanged. Sources and collections are parsed at the same time: a large briefing has a
/// few big YAML files, which alone would leave cores idle.
fn parse_files(
    root: &Path,
    source_files: &[PathBuf],
    collection_files: &[PathBuf],
    boilerplate: &[regex::Regex],
    cache: &mut Cache,
    progress: &dyn crate::progress::Progress,
) -> Parsed {
    let patterns: Vec<String> = boilerplate.iter().map(|r| r.as_str().to_string()).collect();
    if cache.boilerplate != patterns {
        cache.sources.clear();
        cache.boilerplate = patterns;
    }
    cache
        .collections
        .retain(|p, _| collection_files.contains(p));
    // Without a cache to check or fill, a file's stamp is not needed: no `stat` per file.
    let keep = cache.sources.keeps();
    let stamp = |path: &Path| if keep { stamp(root, path) } else { None };
    let cache = &*cache;
    progress.start("reading sources", source_files.len());
    let (sources, collections) = rayon::join(
        || {
            source_files
                .par_iter()
                .map(|path| {
                    progress.step();
                    let stamp = stamp(path);
                    match cache.sources.get(path) {
                        Some((s, r)) if Some(*s) == stamp => (stamp, r.clone()),
                        _ => (stamp, source::load(root, path, boilerplate)),
                    }
                })
                .collect()
        },
        || {
            collection_files
                .par_iter()
                .map(|path| {
                    let stamp = stamp(path);
                    match cache.collections.get(path) {
                        Some((s, r)) if Some(*s) == stamp => (stamp, false, r.clone()),
                        _ => (stamp, true, annotation::load(root, path)),
                    }
                })
                .collect()
        },
    );
    progress.finish();
    Parsed {
        sources,
        collections,
    }
}

/// The sources that loaded, sorted by id, and the ids of those that did not; their
/// problems go to `diags`, what was parsed to the cache.
fn take_sources(
    parsed: Vec<(Option<Stamp>, SourceResult)>,
    files: &[PathBuf],
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> (Vec<Source>, Vec<String>) {
    let listed: std::collections::HashSet<&PathBuf> = files.iter().collect();
    cache.sources.retain(|p, _| listed.contains(p));
    let mut sources = Vec::new();
    let mut failed = Vec::new();
    for ((stamp, r), path) in parsed.into_iter().zip(files) {
        // `stamp` is `None` unless the cache keeps what it is given.
        if let Some(stamp) = stamp {
            cache.sources.insert(path.clone(), (stamp, r.clone()));
        }
        match r {
            Ok((s, problems)) => {
                sources.push(s);
                problems.into_iter().for_each(|d| diags.push(d));
            }
            Err(ds) => {
                ds.into_iter().for_each(|d| diags.push(d));
                failed.extend(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
            }
        }
    }
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    (sources, failed)
}

/// The collections of a load: those read, and what is known of those that could not be.
struct Collections {
    /// Sorted by id.
    read: Vec<Collection>,
    /// Whether a collection file could not be read.
    failed: bool,
    /// The ids that could be made out in the files that could not be read.
    unread_ids: Vec<(String, Location)>,
}

/// The collections that loaded; their problems go to `diags`, what was parsed anew to the
/// cache.
fn take_collections(
    parsed: Vec<(Option<Stamp>, bool, CollectionResult)>,
    files: &[PathBuf],
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> Collections {
    let mut out = Collections {
        read: Vec::new(),
        failed: false,
        unread_ids: Vec::new(),
    };
    for (path, (stamp, fresh, result)) in files.iter().zip(parsed) {
        if let (true, Some(stamp)) = (fresh, stamp) {
            cache
                .collections
                .insert(path.clone(), (stamp, result.clone()));
        }
        match result {
            Ok((c, warnings)) => {
                out.read.push(c);
                warnings.into_iter().for_each(|d| diags.push(d));
            }
            Err(unread) => {
                unread.problems.into_iter().for_each(|d| diags.push(d));
                out.unread_ids.extend(unread.ids);
                out.failed = true;
            }
        }
    }
    out.read.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The front page (content/index.md, slug empty) and the free pages, sorted by slug.
fn load_pages(
    root: &Path,
    within: &Within,
    free_pages: Vec<PathBuf>,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = Vec::new();
    let index = Path::new("content/index.md");
    // A link to nothing is there (and an error), not missing.
    if std::fs::symlink_metadata(root.join(index)).is_ok() {
        match within
            .check_file(root, index)
            .and_then(|()| page::load(root, index, String::new()))
        {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    } else {
        diags.push(
            Diagnostic::warning(
                Code::MissingIndex,
                "content/index.md is missing: the front page has no summary",
            )
            .at(Location::file(index))
            .help("write the briefing's summary in content/index.md"),
        );
    }
    for path in free_pages {
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match page::load(root, &path, slug) {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages
}

/// The user's templates, named by their path under templates/.
fn load_templates(root: &Path, files: Vec<PathBuf>, diags: &mut Diagnostics) -> Vec<UserTemplate> {
    let mut templates = Vec::new();
    for path in files {
        let name = path
            .strip_prefix("templates")
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match read_text(root, &path) {
            // What a template holds goes into every page made with it as it is.
            Ok(text) => match crate::control::refuse(&path, &text, 0..text.len(), "the template") {
                Some(d) => diags.push(d),
                None => templates.push(UserTemplate { name, path, text }),
            },
            Err(d) => diags.push(d),
        }
    }
    templates
}

/// Puts the collections in the order site.toml's `collections` names them, the others after
/// them in file-name order. A name that is no collection's file, or is named twice, is an
/// error at its place in site.toml; a collection whose file failed to load is still known.
fn order_collections(
    collections: &mut [Collection],
    files: &[PathBuf],
    config: &Config,
    text: &Arc<str>,
    diags: &mut Diagnostics,
) {
    let file = Path::new("site.toml");
    let known: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for (k, name) in config.collections.iter().enumerate() {
        let at = Location::new(file, text, name.span());
        let name = name.get_ref().as_str();
        if !known.iter().any(|k| k == name) {
            let help =
                match crate::diagnostics::closest_name(name, known.iter().map(String::as_str)) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!(
                        "name the collections by their file names in content/annotations/: {}",
                        known.join(", ")
                    ),
                };
            diags.push(
                Diagnostic::error(
                    Code::UnknownCollection,
                    format!(
                        "`collections` names `{name}`, but content/annotations/ has no {name}.yaml"
                    ),
                )
                .at(at)
                .help(help),
            );
        } else if rank.insert(name, k).is_some() {
            diags.push(
                Diagnostic::error(
                    Code::UnknownCollection,
                    format!("`collections` names `{name}` twice"),
                )
                .at(at)
                .help("name each collection once"),
            );
        }
    }
    // Stable: the collections not named keep their file-name order, after the named ones.
    collections.sort_by_key(|c| rank.get(c.id.as_str()).copied().unwrap_or(usize::MAX));
}

/// The text of the briefing's site.toml; the problem that `root` is no briefing when it
/// cannot be read (what `brief build` and `brief serve` say in a folder without one).
pub fn site_toml(root: &Path) -> Result<Arc<str>, Diagnostic> {
    read_text(root, Path::new("site.toml")).map_err(|d| {
        d.help("run brief in the briefing's folder (the one with site.toml), or create one with `brief init`")
    })
}

fn compile_boilerplate(config: &Config, root: &Path, diags: &mut Diagnostics) -> Vec<regex::Regex> {
    let mut out = Vec::new();
    for pattern in &config.boilerplate {
        match regex::Regex::new(pattern) {
            Ok(r) => out.push(r),
            Err(e) => {
                let file = Path::new("site.toml");
                let loc = read_text(root, file)
                    .ok()
                    .and_then(|t| {
                        let at = t.find(pattern.as_str())?;
                        Some(Location::new(file, &t, at..at + pattern.len()))
                    })
                    .unwrap_or_else(|| Location::file(file));
                diags.push(
                    Diagnostic::error(
                        Code::BadPattern,
                        format!(
                            "boilerplate pattern `{pattern}` is not a valid regular expression"
                        ),
                    )
                    .at(loc)
                    .help(
                        e.to_string()
                            .lines()
                            .last()
                            .unwrap_or("")
                            .trim()
                            .to_string(),
                    ),
                );
            }
        }
    }
    out
}

/// Reads a user's file as UTF-8 text. `path` is relative to `root`.
pub fn read_text(root: &Path, path: &Path) -> Result<Arc<str>, Diagnostic> {
    // Only regular files are read: opening a named pipe would wait for a writer forever,
    // and a folder or a socket cannot be read as text.
    if let Ok(meta) = std::fs::metadata(root.join(path))
        && !meta.is_file()
    {
        return Err(not_a_file(path, &meta));
    }
    let bytes = std::fs::read(root.join(path)).map_err(|e| {
        if std::fs::read_link(root.join(path)).is_ok() {
            return broken_entry(path, &root.join(path), &e);
        }
        let (code, help) = match e.kind() {
            std::io::ErrorKind::NotFound => (
                Code::NotFound,
                "check the file name; it may have been moved or deleted during the build",
            ),
            std::io::ErrorKind::PermissionDenied => {
                (Code::Unreadable, "make the file readable (chmod u+r)")
            }
            _ => (
                Code::Unreadable,
                "check that the file is a readable regular file",
            ),
        };
        Diagnostic::error(code, format!("cannot read {}: {e}", path.display()))
            .at(Location::file(path))
            .help(help)
    })?;
    if bytes.contains(&0) {
        return Err(Diagnostic::error(
            Code::BinaryFile,
            format!("{} is a binary file, not text", path.display()),
        )
        .at(Location::file(path))
        .help("move it to static/ if it belongs on the site, or remove it from content/"));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Arc::from(s)),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes());
            let text: Arc<str> = Arc::from(text.as_ref());
            Err(Diagnostic::error(
                Code::InvalidUtf8,
                format!("{} is not valid UTF-8 text", path.display()),
            )
            .at(Location::new(path, &text, good..good))
            .help("save the file as UTF-8 in your editor"))
        }
    }
}

/// The problem with a path that names something other than a regular file.
fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> Diagnostic {
    let what = if meta.is_dir() {
        "a folder"
    } else {
        "a named pipe, socket or device"
    };
    Diagnostic::error(
        Code::Unreadable,
        format!("cannot read {}: it is {what}, not a file", path.display()),
    )
    .at(Location::file(path))
    .help("replace it with a regular text file, or remove it")
}

/// The text files of a briefing's content/ folder, read again to find where something
/// found in the output (a broken link) was written.
pub struct ContentFiles(Vec<(PathBuf, Arc<str>)>);

impl ContentFiles {
    /// Reads every Markdown, text and YAML file under content/, in path order; what cannot
    /// be read is left out (loading the briefing has reported it).
    pub fn read(root: &Path) -> ContentFiles {
        let mut reported = Diagnostics::new();
        let extensions = ["md", "markdown", "txt", "yaml", "yml"];
        let paths = list_files(root, Path::new("content"), &extensions, &mut reported);
        let files = paths
            .into_iter()
            .filter_map(|p| read_text(root, &p).ok().map(|text| (p, text)))
            .collect();
        ContentFiles(files)
    }

    /// Where each of many broken links is written: for each `(files, spellings)`, the first
    /// of `files` (all content files when `None`), in path order, where the link's target
    /// is written as one of `spellings`, and there the first such place: in Markdown
    /// `[text](/x/)`, `[text](/x/ "title")`, `<…>` or a reference `[x]: /x/`.
    ///
    /// Every file is read once for all the links together (one Aho–Corasick automaton over
    /// every spelling), so the work is linear in the size of the content and the number of
    /// links, where looking for each link alone read the whole content once per link.
    pub fn find_links(&self, wanted: &[(Option<&[PathBuf]>, &[String])]) -> Vec<Option<Location>> {
        // Each distinct spelling is one pattern.
        let mut patterns: Vec<&str> = Vec::new();
        let mut pattern_ids: FxHashMap<&str, usize> = FxHashMap::default();
        let wanted_ids: Vec<Vec<usize>> = wanted
            .iter()
            .map(|(_, spellings)| {
                spellings
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        *pattern_ids.entry(s.as_str()).or_insert_with(|| {
                            patterns.push(s.as_str());
                            patterns.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let Ok(automaton) = aho_corasick::AhoCorasick::new(&patterns) else {
            return vec![None; wanted.len()];
        };
        // The files to read: those some link may be in.
        let everywhere = wanted.iter().any(|(files, _)| files.is_none());
        let named: FxHashSet<&Path> = wanted
            .iter()
            .filter_map(|(files, _)| *files)
            .flatten()
            .map(PathBuf::as_path)
            .collect();
        // The first place of each pattern in each file read: (file, pattern) -> start.
        let is_end = |c: char| matches!(c, ')' | '>' | '"' | '\'') || c.is_whitespace();
        let mut first: FxHashMap<(usize, usize), usize> = FxHashMap::default();
        let mut file_index: FxHashMap<&Path, usize> = FxHashMap::default();
        for (f, (path, text)) in self.0.iter().enumerate() {
            file_index.insert(path.as_path(), f);
            if !(everywhere || named.contains(path.as_path())) {
                continue;
            }
            for m in automaton.find_overlapping_iter(text.as_ref()) {
                let key = (f, m.pattern().as_usize());
                if first.contains_key(&key) {
                    continue;
                }
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                if matches!(before, Some('(' | '<' | ' ' | '\t')) && after.is_none_or(is_end) {
                    first.insert(key, m.start());
                }
            }
        }
        wanted
            .iter()
            .zip(&wanted_ids)
            .map(|((files, _), ids)| {
                let found_in = |f: usize| {
                    ids.iter()
                        .filter_map(|&id| first.get(&(f, id)).map(|&at| (at, patterns[id].len())))
                        .min_by_key(|&(at, _)| at)
                        .map(|(at, len)| {
                            let (path, text) = &self.0[f];
                            Location::new(path, text, at..at + len)
                        })
                };
                match files {
                    None => (0..self.0.len()).find_map(found_in),
                    Some(files) => {
                        let mut indices: Vec<usize> = files
                            .iter()
                            .filter_map(|p| file_index.get(p.as_path()).copied())
                            .collect();
                        indices.sort_unstable();
                        indices.into_iter().find_map(found_in)
                    }
                }
            })
            .collect()
    }
}

/// Where the files a briefing reads may really be: symbolic links are followed, but by
/// default only to files inside the briefing's folder, so that a briefing someone else wrote
/// (cloned, and built in CI with a deploy token at hand) cannot publish `/etc/passwd` or the
/// runner's environment through a link.
pub struct Within {
    /// The briefing's folder, symlinks resolved; `None` when site.toml's
    /// `allow_outside_links` lets links lead anywhere.
    root: Option<PathBuf>,
}

impl Within {
    /// The rule for the briefing in `root`.
    pub fn briefing(root: &Path, allow_outside_links: bool) -> Within {
        let real = (!allow_outside_links)
            .then(|| std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
        Within { root: real }
    }

    /// An error when the file or folder at `rel` (relative to `root`), whose real path is
    /// `real`, is outside the briefing.
    pub fn check(&self, root: &Path, rel: &Path, real: &Path) -> Result<(), Diagnostic> {
        match &self.root {
            Some(inside) if !real.starts_with(inside) => {
                let shown = std::fs::read_link(root.join(rel))
                    .map_or_else(|_| real.display().to_string(), |t| t.display().to_string());
                Err(Diagnostic::error(
                    Code::SymlinkOutside,
                    format!("{} is a symbolic link to {shown}, outside the briefing", rel.display()),
                )
                .at(Location::file(rel))
                .help("copy the file into the briefing's folder; or, for a briefing you trust, set allow_outside_links = true in site.toml (unsafe for briefings you did not write: a link can publish any file the build can read)"))
            }
            _ => Ok(()),
        }
    }

    /// [`Within::check`] for a file that may be a link.
    pub fn check_file(&self, root: &Path, rel: &Path) -> Result<(), Diagnostic> {
        let abs = root.join(rel);
        if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink())
            && let Ok(real) = std::fs::canonicalize(&abs)
        {
            return self.check(root, rel, &real);
        }
        Ok(())
    }
}

/// [`list_files_in`], with links followed only inside the briefing.
fn list_files(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    list_files_in(root, dir, extensions, &Within::briefing(root, false), diags)
}

/// Files below `dir` (relative to `root`) with one of `extensions` (all files if empty),
/// sorted, as paths relative to `root`. A missing folder is empty. Hidden files and editor
/// temp files are skipped. A link that leads outside what `within` allows is an error.
fn list_files_in(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
    within: &Within,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen_dirs = std::collections::HashSet::new();
    while let Some(d) = stack.pop() {
        let abs = root.join(&d);
        // Following symlinks is allowed, but a loop would never end: remember real folders.
        match std::fs::canonicalize(&abs) {
            Ok(real) => {
                if let Err(outside) = within.check(root, &d, &real) {
                    diags.push(outside);
                    continue;
                }
                if !seen_dirs.insert(real) {
                    diags.push(
                        Diagnostic::error(
                            Code::SymlinkLoop,
                            format!("{} links back to a folder already read", d.display()),
                        )
                        .at(Location::file(&d))
                        .help("remove the symbolic link that makes the loop"),
                    );
                    continue;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && d == dir => continue,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        Code::Unreadable,
                        format!("cannot read folder {}: {e}", d.display()),
                    )
                    .at(Location::file(&d))
                    .help("check the folder's permissions, or remove a broken link"),
                );
                continue;
            }
        }
        let entries = match std::fs::read_dir(&abs) {
            Ok(e) => e,
            Err(e) => {
                if d != dir || e.kind() != std::io::ErrorKind::NotFound {
                    diags.push(
                        Diagnostic::error(
                            Code::Unreadable,
                            format!("cannot read folder {}: {e}", d.display()),
                        )
                        .at(Location::file(&d))
                        .help("check the folder's permissions"),
                    );
                }
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_ignored_name(&name) {
                continue;
            }
            let rel = d.join(&name);
            let ext = rel.extension().map(|e| e.to_string_lossy().to_lowercase());
            let wanted =
                extensions.is_empty() || ext.is_some_and(|e| extensions.contains(&e.as_str()));
            match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_dir() => stack.push(rel),
                Ok(m) if m.is_file() => {
                    if !wanted {
                        if let Some(d) = not_read(dir, &rel) {
                            diags.push(d);
                        }
                        continue;
                    }
                    let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
                    match is_link.then(|| std::fs::canonicalize(entry.path())) {
                        Some(Ok(real)) => match within.check(root, &rel, &real) {
                            Ok(()) => out.push(rel),
                            Err(outside) => diags.push(outside),
                        },
                        Some(Err(e)) => diags.push(broken_entry(&rel, &entry.path(), &e)),
                        None => out.push(rel),
                    }
                }
                // A named pipe would block the build, a socket cannot be read.
                Ok(m) => {
                    if wanted {
                        diags.push(not_a_file(&rel, &m));
                    }
                }
                Err(e) => diags.push(broken_entry(&rel, &entry.path(), &e)),
            }
        }
    }
    out.sort();
    out
}

/// The warning for a file that brief does not read where it lies (a report saved as PDF or
/// HTML into content/sources/): named, so that it is not taken for a source that is cited.
/// `None` outside the folders of sources, collections and pages.
fn not_read(dir: &Path, rel: &Path) -> Option<Diagnostic> {
    let (what, types) = match dir.to_str()? {
        "content/sources" => (
            "a source is a .md or .txt file",
            "save its text as a .txt file (first line the title, one paragraph a line) or as .md with front matter",
        ),
        "content/annotations" => (
            "a collection is a .yaml file",
            "rename it to .yaml if it is a collection",
        ),
        "content/pages" => ("a page is a .md file", "rename it to .md if it is a page"),
        _ => return None,
    };
    let kind = match rel.extension() {
        Some(ext) => format!("a .{} file", ext.to_string_lossy()),
        None => "a file without an extension".into(),
    };
    Some(
        Diagnostic::warning(
            Code::NotRead,
            format!("this is {kind}, which brief does not read here: {what}"),
        )
        .at(Location::file(rel))
        .help(format!("{types}, or move it out of {}", dir.display())),
    )
}

/// The problem with a folder entry whose metadata cannot be read: most often a symbolic
/// link to nothing (a file that vanished) or a link to itself.
fn broken_entry(rel: &Path, abs: &Path, e: &std::io::Error) -> Diagnostic {
    // `ErrorKind::FilesystemLoop` is not stable yet; its name is.
    let is_loop = format!("{:?}", e.kind()) == "FilesystemLoop";
    match std::fs::read_link(abs) {
        Ok(target) if e.kind() == std::io::ErrorKind::NotFound => Diagnostic::error(
            Code::NotFound,
            format!(
                "{} is a symbolic link to {}, which does not exist",
                rel.display(),
                target.display()
            ),
        )
        .at(Location::file(rel))
        .help("the file it pointed to was moved or deleted: fix the link or remove it"),
        Ok(target) if is_loop => Diagnostic::error(
            Code::SymlinkLoop,
            format!(
                "{} is a symbolic link to {} that cannot be followed: {e}",
                rel.display(),
                target.display()
            ),
        )
        .at(Location::file(rel))
        .help("the link points back to itself through other links: fix the link or remove it"),
        _ => Diagnostic::error(
            Code::Unreadable,
            format!("cannot read {}: {e}", rel.display()),
        )
        .at(Location::file(rel))
        .help("check that it exists and is readable; it may have been deleted during the build"),
    }
}

/// Hidden files and the temp files editors leave while saving.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name.starts_with('#')
}

/// The longest id: each id names a folder of the site, and a file name holds 255 bytes on
/// most file systems. The rest is left for what may be added to a name (a suffix, a number).
pub const MAX_ID_LEN: usize = 200;

/// Whether `s` is a valid id: lower-case ASCII letters, digits and `-`, not starting with `-`,
/// at most [`MAX_ID_LEN`] characters.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(files: &[(&str, &str)]) -> ContentFiles {
        ContentFiles(
            files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), Arc::from(*t)))
                .collect(),
        )
    }

    #[test]
    fn a_link_is_found_in_the_files_of_its_page_only() {
        let files = content(&[
            ("content/a.md", "Text `(/x/)` in code.\n"),
            ("content/b.yaml", "summary: See [x](/x/ \"X\") and [y](/x)."),
        ]);
        let spellings = vec!["/x/".to_string(), "/x".to_string()];
        let b = [PathBuf::from("content/b.yaml")];
        let none: [PathBuf; 0] = [];
        let a = [PathBuf::from("content/a.md")];
        let found = files.find_links(&[
            (None, &spellings),
            (Some(&b), &spellings),
            (Some(&none), &spellings),
            (Some(&a[..]), &spellings[1..]),
        ]);
        let at = |l: &Option<Location>| l.as_ref().map(|l| (l.file.clone(), l.span.clone()));
        // Anywhere: the first file that has it wins, the old way.
        assert_eq!(at(&found[0]), Some((PathBuf::from("content/a.md"), 7..10)));
        // The page's own file: where it really is written.
        assert_eq!(
            at(&found[1]),
            Some((PathBuf::from("content/b.yaml"), 17..20))
        );
        // Not in the page's files: no file is named.
        assert_eq!(at(&found[2]), None);
        // `/x` is in a.md only as the start of `/x/`, which is not a whole link.
        assert_eq!(at(&found[3]), None);
    }

    /// A broken link made by a template is on every page: 4,000 of them over 2,000 files
    /// are found in one pass over the files, where each alone read them all (10^4 passes).
    #[test]
    fn many_broken_links_are_located_in_one_pass() {
        let texts: Vec<(String, String)> = (0..2_000)
            .map(|i| {
                (
                    format!("content/s{i}.md"),
                    format!("{} [me](/s{i}/)\n", "words ".repeat(400)),
                )
            })
            .collect();
        let files = content(
            &texts
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect::<Vec<_>>(),
        );
        let spellings: Vec<Vec<String>> = (0..4_000)
            .map(|i| vec![format!("/s{}/", i % 2_000), format!("nowhere-{i}/")])
            .collect();
        let page_files: Vec<[PathBuf; 1]> = (0..4_000)
            .map(|i| [PathBuf::from(format!("content/s{}.md", i % 2_000))])
            .collect();
        let wanted: Vec<(Option<&[PathBuf]>, &[String])> = spellings
            .iter()
            .zip(&page_files)
            .enumerate()
            .map(|(i, (s, f))| (if i % 2 == 0 { Some(&f[..]) } else { None }, s.as_slice()))
            .collect();
        let start = std::time::Instant::now();
        let found = files.find_links(&wanted);
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
        for (i, l) in found.iter().enumerate() {
            let l = l.as_ref().expect("found");
            assert_eq!(l.file, PathBuf::from(format!("content/s{}.md", i % 2_000)));
        }
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("vladimir-medinsky"));
        assert!(is_valid_id("2025-talks"));
        assert!(!is_valid_id("Medinsky"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("../etc"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id(&"a".repeat(MAX_ID_LEN)));
        assert!(!is_valid_id(&"a".repeat(MAX_ID_LEN + 1)));
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for n in [
            ".x.yaml.swp",
            "a.yaml~",
            ".#a.yaml",
            "a.yaml___jb_tmp___",
            "#a#",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("negotiators.yaml"));
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/sources/index.md")).unwrap();
        let e = read_text(root, Path::new("content/sources/index.md")).unwrap_err();
        assert_eq!(e.code, Code::Unreadable);
        assert!(
            e.message.contains("it is a folder, not a file"),
            "{}",
            e.message
        );
        // A socket (like a named pipe, which would block the read) is refused, and listed
        // as a problem rather than as a file.
        let _socket =
            std::os::unix::net::UnixListener::bind(root.join("content/sources/s.md")).unwrap();
        let e = read_text(root, Path::new("content/sources/s.md")).unwrap_err();
        assert!(
            e.message.contains("named pipe, socket or device"),
            "{}",
            e.message
        );
        let mut diags = Diagnostics::new();
        let files = list_files(root, Path::new("content/sources"), &["md"], &mut diags);
        assert!(files.is_empty(), "{files:?}");
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::Unreadable]);
    }

    #[test]
    fn broken_links_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sources = root.join("content/sources");
        std::fs::create_dir_all(&sources).unwrap();
        std::os::unix::fs::symlink("nowhere.md", sources.join("gone.md")).unwrap();
        std::os::unix::fs::symlink("self.md", sources.join("self.md")).unwrap();
        std::os::unix::fs::symlink(".", sources.join("loop")).unwrap();
        let mut diags = Diagnostics::new();
        let files = list_files(root, Path::new("content/sources"), &["md"], &mut diags);
        assert!(files.is_empty(), "{files:?}");
        let mut found: Vec<(&str, String)> = diags
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    d.location.as_ref().unwrap().file.display().to_string(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (
                    Code::NotFound.as_str(),
                    "content/sources/gone.md".to_string()
                ),
                (
                    Code::SymlinkLoop.as_str(),
                    "content/sources/loop".to_string()
                ),
                (
                    Code::SymlinkLoop.as_str(),
                    "content/sources/self.md".to_string()
                ),
            ]
        );
        // A file that vanishes between listing and reading.
        let e = read_text(root, Path::new("content/sources/vanished.md")).unwrap_err();
        assert_eq!(e.code, Code::NotFound);
        let e = read_text(root, Path::new("content/sources/gone.md")).unwrap_err();
        assert!(
            e.message.contains("is a symbolic link to nowhere.md"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_origin_finds_the_line_in_the_file() {
        let file: Arc<str> = Arc::from("summary: |\n  Led the talks [@src \"q\"].\n");
        let origin = Origin {
            file: "a.yaml".into(),
            file_text: file.clone(),
            offset: 9,
            verbatim: false,
        };
        let text = "Led the talks [@src \"q\"].\n";
        let at = text.find("[@").unwrap();
        let loc = origin.locate(text, at..text.len() - 2);
        assert_eq!((loc.line(), loc.column()), (2, 17));
    }
}
