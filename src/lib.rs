//! `brief` turns source texts and quote-pinned YAML annotations into a static briefing site.
//!
//! The pipeline runs in one direction, a module per stage:
//!
//! 1. [`load`] reads the files of a briefing (site.toml, content/, templates/, static/) and
//!    parses them into plain values;
//! 2. [`resolve`] links ids, anchors every quote to a byte range of its source and finds the
//!    items each source mentions; [`lock`] then says what changed since the briefing's
//!    brief.lock, if it has one;
//! 3. [`render`] makes the HTML pages and the other files of the site, in memory;
//! 4. [`links`] checks every internal link of the result, and [`write`] puts it on disk: the
//!    files whose bytes changed, once the whole build succeeded.
//!
//! Problems found on the way are [`diagnostics::Diagnostic`] values with file, line and
//! column; a run collects them all. [`build`] and [`check`] are the entry points; the CLI in
//! `main.rs` only parses arguments and calls them (and [`init::run`], [`publish::run`],
//! [`lock::run`] and [`review::run`] for the commands of those names).

// Diagnostics are large values on purpose (file, span, text, hint); they are made only when
// something is wrong, off the hot path, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod add;
pub mod audience;
mod cache;
pub mod changes;
pub mod citation;
pub mod config;
pub mod control;
pub mod date;
pub mod diagnostics;
pub mod digest;
pub mod init;
pub mod links;
pub mod load;
pub mod lock;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod publish;
pub mod quote;
pub mod render;
pub mod resolve;
pub mod review;
pub mod schemas;
pub mod serve;
pub mod site_map;
pub mod strings;
pub mod text;
pub mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Code, Diagnostic, Diagnostics};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The briefing's folder (holding site.toml).
    pub root: PathBuf,
    /// The output folder; relative paths are taken from `root`.
    pub output: PathBuf,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
    /// `--locked`: what changed since brief.lock is an error, and a missing lock too.
    pub locked: bool,
    /// Who the site is for: the public (internal parts left out, the leak check run) or
    /// the editors (`--internal`).
    pub audience: audience::Audience,
    /// `--since`: the baseline of the changes page and changes.xml (none without it).
    pub since: Option<changes::Since>,
}

/// What a run did: its problems, and figures for the summary line.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// Files in the built site (0 when nothing was written).
    pub files: usize,
    pub sources: usize,
    pub items: usize,
    pub citations: usize,
    pub elapsed: Duration,
    /// How long each stage took, in order (`load`, `resolve`, `render`, `links`, and for a
    /// build `commit`).
    pub stages: Vec<(&'static str, Duration)>,
    /// The address the site was made for (site.toml's `base_url` or `--base-url`), once
    /// site.toml was read.
    pub base_url: Option<String>,
    /// With `--since`: what changed, in one line ([`changes::Changes::summary`]).
    pub changes: Option<String>,
}

impl Report {
    /// Takes in the report of the second half of a run made in two (see
    /// [`Session::rebuild_first`]): its problems and stages follow this one's, its time adds
    /// up, and its file count is the site's.
    fn absorb(&mut self, more: Report) {
        self.diagnostics.extend(more.diagnostics);
        self.stages.extend(more.stages);
        self.elapsed += more.elapsed;
        self.files = more.files;
    }

    /// True when the run found no error.
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// "5 sources, 60 items and 235 citations", for summary lines.
    pub fn counts(&self) -> String {
        format!(
            "{}, {} and {}",
            plural(self.sources, "source"),
            plural(self.items, "item"),
            plural(self.citations, "citation")
        )
    }
}

/// "1 source", "2 sources".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Builds the site into `options.output`. The previous output is replaced only when the
/// whole build succeeded.
pub fn build(options: &BuildOptions) -> Report {
    build_with_progress(options, &progress::Silent)
}

/// [`build`], telling `progress` how far it is.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn progress::Progress) -> Report {
    let start = Instant::now();
    let output = match write::output::check(
        &options.root,
        &options.root.join(&options.output),
        &options.output,
    ) {
        Ok(real) => real,
        Err(refused) => {
            let mut report = Report::default();
            report.diagnostics.push(refused);
            return report;
        }
    };
    let staging = match write::Staging::new(&output) {
        Ok(s) => s,
        Err(e) => {
            let mut report = Report::default();
            report.diagnostics.push(
                Diagnostic::error(
                    Code::Write,
                    format!("cannot write the site to {}: {e}", output.display()),
                )
                .help("check that the output folder's parent exists and is writable"),
            );
            return report;
        }
    };
    let mut report = compile(
        &options.root,
        options.base_url.as_deref(),
        lock::Mode::locked_if(options.locked),
        options.audience,
        options.since.as_ref(),
        &staging,
        &mut Caches::default(),
        progress,
        &mut |_| {},
    );
    // Passed with --base-url, the address is the user's choice, whatever it is.
    // Not with errors: a site.toml that failed to read is checked with the placeholder.
    if options.base_url.is_none()
        && !report.diagnostics.has_errors()
        && report.base_url.as_deref() == Some(config::PLACEHOLDER_BASE_URL)
    {
        report.diagnostics.push(
            Diagnostic::warning(
                Code::PlaceholderBaseUrl,
                format!(
                    "base_url is still {}, the placeholder `brief init` wrote: the feed, the sitemap and each page's canonical address point there",
                    config::PLACEHOLDER_BASE_URL
                ),
            )
            .at(diagnostics::Location::file(Path::new("site.toml")))
            .help("set base_url in site.toml to the address the site is published at (https://USER.github.io/REPO/ for a GitHub project site), or pass --base-url"),
        );
    }
    if report.ok() {
        let t = Instant::now();
        match staging.commit() {
            Ok(written) => {
                report.files = written.files;
                if let Some((folder, left)) = written.left_in {
                    report.diagnostics.push(
                        Diagnostic::warning(
                            Code::WriteKept,
                            format!(
                                "the new site is in place; what is left of the old one is in {}",
                                folder.display()
                            ),
                        )
                        .help(format!("files that appeared in {} during the build, or why it was not cleared: {}; look there, move what you need and remove the folder", output.display(), left.join(", "))),
                    );
                }
            }
            Err(write::CommitError::Foreign(paths)) => report.diagnostics.push(
                Diagnostic::error(
                    Code::OutputForeign,
                    format!("{}: {}", output.display(), write::CommitError::Foreign(paths)),
                )
                .help("move those files out of the output folder (a file of the site belongs in static/), or build into another folder with --output"),
            ),
            Err(write::CommitError::Io(e)) => report.diagnostics.push(
                Diagnostic::error(Code::Write, format!("cannot put the new site in place at {}: {e}", output.display()))
                    .help("check that the output folder and its parent are writable and on one file system; the output folder is as it was"),
            ),
        }
        report.stages.push(("commit", t.elapsed()));
    }
    report.elapsed = start.elapsed();
    report
}

/// Loads, resolves and renders the briefing in `root` without writing anything; what
/// changed since its brief.lock is a warning.
pub fn check(root: &Path) -> Report {
    check_with(root, lock::Mode::Warn)
}

/// [`check`], holding the briefing to its brief.lock as `lock` says.
pub fn check_with(root: &Path, lock: lock::Mode) -> Report {
    let start = Instant::now();
    let mut report = compile(
        root,
        None,
        lock,
        audience::Audience::Public,
        None,
        &write::Discard,
        &mut Caches::default(),
        &progress::Silent,
        &mut |_| {},
    );
    report.elapsed = start.elapsed();
    report
}

/// A briefing being built again and again (by `brief serve`): call [`Session::rebuild`]
/// after files change. Keeping the session between builds is what lets later builds reuse
/// earlier work.
///
/// A rebuild can also put its files into a sink of the caller's ([`Session::rebuild_into`],
/// which serve uses), or be made in two halves, so that some pages are ready before the rest
/// of the site: [`Session::rebuild_first`] with those pages, then [`Session::rebuild_rest`].
pub struct Session {
    root: PathBuf,
    base_url: Option<String>,
    /// Who the builds are for (public unless [`Session::for_audience`] says otherwise).
    audience: audience::Audience,
    caches: Caches,
    /// Between the two halves of a rebuild: the briefing, the files made first, and their
    /// links.
    pending: Option<Pending>,
}

struct Pending {
    briefing: resolve::Briefing,
    first: HashSet<String>,
    links: links::LinkIndex,
}

/// What each stage keeps between the builds of a session. The default (a one-off build's)
/// keeps nothing; [`Session::new`] makes caches that keep.
#[derive(Default)]
pub(crate) struct Caches {
    load: load::Cache,
    resolve: resolve::Cache,
    render: render::Cache,
}

impl Session {
    /// A session for the briefing in `root`, with an optional base URL override.
    pub fn new(root: &Path, base_url: Option<String>) -> Session {
        Session::for_audience(root, base_url, audience::Audience::Public)
    }

    /// A session whose builds are for `audience` (`brief serve` shows everything unless
    /// `--public`).
    pub fn for_audience(
        root: &Path,
        base_url: Option<String>,
        audience: audience::Audience,
    ) -> Session {
        Session {
            root: root.to_path_buf(),
            base_url,
            audience,
            caches: Caches {
                load: load::Cache::keeping(),
                resolve: resolve::Cache::keeping(),
                render: render::Cache::keeping(),
            },
            pending: None,
        }
    }

    /// Builds the whole site in memory. `changed` lists the files (relative to the root) that
    /// changed since the last call (empty for the first build, or when unknown). Returns the
    /// files of the site, sorted by path, or `None` with the problems in the report.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> (Option<Vec<output::OutFile>>, Report) {
        let (first, mut report) = self.rebuild_first(changed, &HashSet::new());
        if first.is_none() {
            return (None, report);
        }
        let (rest, more) = self.rebuild_rest();
        report.absorb(more);
        (rest, report)
    }

    /// Builds the whole site into `sink` (which may compare each file with an earlier
    /// build's as it comes, as `brief serve` does, rather than hold all of them).
    /// `changed` is as for [`Session::rebuild`]. The sink holds a complete site only when
    /// the report has no error.
    pub fn rebuild_into(&mut self, changed: &[PathBuf], sink: &dyn output::Sink) -> Report {
        self.rebuild_into_then(changed, sink, &mut |_| {})
    }

    /// [`Session::rebuild_into`], and once the whole site is in `sink` and every link of it
    /// checked without an error, `then` with the briefing it was made from: a verb on top of
    /// the library adds what it makes of the briefing (`brief serve` its `/review/` page),
    /// without loading and resolving it a second time.
    pub fn rebuild_into_then(
        &mut self,
        changed: &[PathBuf],
        sink: &dyn output::Sink,
        then: &mut dyn FnMut(&resolve::Briefing),
    ) -> Report {
        let start = Instant::now();
        self.pending = None;
        self.caches.load.forget(changed);
        let mut report = compile(
            &self.root,
            self.base_url.as_deref(),
            lock::Mode::Warn,
            self.audience,
            None,
            sink,
            &mut self.caches,
            &progress::Silent,
            then,
        );
        report.elapsed = start.elapsed();
        report
    }

    /// [`Session::rebuild_into`], but without making the files in `deferred` (site paths,
    /// such as `print/index.html`): they are recorded as files of the site, so links to
    /// them hold, and the caller makes them from the briefing returned, when they are
    /// wanted, with [`render_only`]. The briefing is returned only when the build succeeded.
    ///
    /// `brief serve` defers the site-wide files (the print view, briefing.json, the search
    /// index, the exports): together they are most of a large briefing's bytes, and a page
    /// open in the browser reads none of them, so making them on each save only delays the
    /// reload. A render is deterministic, so a file made later from the same briefing is the
    /// file a whole build makes.
    pub fn rebuild_deferring(
        &mut self,
        changed: &[PathBuf],
        sink: &dyn output::Sink,
        deferred: &HashSet<String>,
    ) -> (Report, Option<std::sync::Arc<resolve::Briefing>>) {
        let start = Instant::now();
        self.pending = None;
        self.caches.load.forget(changed);
        let mut report = Report::default();
        let mut t = Stopwatch::new();
        let briefing = prepare(
            &self.root,
            self.base_url.as_deref(),
            lock::Mode::Warn,
            self.audience,
            &mut self.caches,
            &mut report,
            &mut t,
            &progress::Silent,
        );
        let mut made = None;
        if let Some(briefing) = briefing {
            let index = links::LinkIndex::new();
            for path in deferred {
                index.record(path, None);
            }
            render_part(
                &self.root,
                &briefing,
                output::Part::AllBut(deferred),
                sink,
                index,
                &mut self.caches.render,
                &mut report,
                &mut t,
                &progress::Silent,
            );
            made = report.ok().then(|| std::sync::Arc::new(briefing));
        }
        report.elapsed = start.elapsed();
        (report, made)
    }

    /// The first half of a rebuild: loads and resolves the briefing, and makes only the files
    /// in `first` (site paths, such as `people/x/index.html`; those the site does not have
    /// are left out). Their links are checked by [`Session::rebuild_rest`], which must follow.
    /// Returns the files, sorted by path, or `None` with the problems in the report.
    pub fn rebuild_first(
        &mut self,
        changed: &[PathBuf],
        first: &HashSet<String>,
    ) -> (Option<Vec<output::OutFile>>, Report) {
        let start = Instant::now();
        self.pending = None;
        self.caches.load.forget(changed);
        let memory = write::Memory::default();
        let mut report = Report::default();
        let mut t = Stopwatch::new();
        if let Some(briefing) = prepare(
            &self.root,
            self.base_url.as_deref(),
            lock::Mode::Warn,
            self.audience,
            &mut self.caches,
            &mut report,
            &mut t,
            &progress::Silent,
        ) {
            let links = links::LinkIndex::new();
            if !first.is_empty() {
                let scanning = briefing
                    .leak_check
                    .as_ref()
                    .map(|c| audience::leak::Scanning::new(&memory, c));
                let sink: &dyn output::Sink = match &scanning {
                    Some(s) => s,
                    None => &memory,
                };
                render::render_cached(
                    &briefing,
                    output::Part::Only(first),
                    &links::Checked::new(sink, &links),
                    &mut report.diagnostics,
                    &mut self.caches.render,
                    &progress::Silent,
                );
                t.lap(&mut report, "render");
                leaks_found(&briefing, scanning, &mut report);
            }
            if report.ok() {
                self.pending = Some(Pending {
                    briefing,
                    first: first.clone(),
                    links,
                });
            }
        }
        let files = report.ok().then(|| memory.into_files());
        report.files = files.as_ref().map_or(0, Vec::len);
        report.elapsed = start.elapsed();
        (files, report)
    }

    /// The second half of a rebuild: every file [`Session::rebuild_first`] did not make, and
    /// the check of every link of the site. Returns the files, sorted by path, or `None` with
    /// the problems in the report; no files and an empty report when there is nothing to
    /// finish (the first half failed, or this was called already).
    pub fn rebuild_rest(&mut self) -> (Option<Vec<output::OutFile>>, Report) {
        let start = Instant::now();
        let mut report = Report::default();
        let Some(pending) = self.pending.take() else {
            return (Some(Vec::new()), report);
        };
        let b = &pending.briefing;
        report.sources = b.sources.len();
        report.items = b.items.len();
        report.citations = b.citations.len();
        let memory = write::Memory::default();
        render_part(
            &self.root,
            b,
            output::Part::AllBut(&pending.first),
            &memory,
            pending.links,
            &mut self.caches.render,
            &mut report,
            &mut Stopwatch::new(),
            &progress::Silent,
        );
        let files = report.ok().then(|| memory.into_files());
        report.files = files.as_ref().map_or(0, Vec::len);
        report.elapsed = start.elapsed();
        (files, report)
    }
}

/// The files at `paths` (site paths) of the site of the briefing `b`, made as a whole build
/// makes them: those [`Session::rebuild_deferring`] left to be made when wanted. The
/// problems, when one failed.
pub fn render_only(
    b: &resolve::Briefing,
    paths: &HashSet<String>,
) -> Result<Vec<output::OutFile>, Diagnostics> {
    let memory = write::Memory::default();
    let mut diags = Diagnostics::new();
    let ok = render::render_cached(
        b,
        output::Part::Only(paths),
        &memory,
        &mut diags,
        &mut render::Cache::default(),
        &progress::Silent,
    );
    match ok {
        true => Ok(memory.into_files()),
        false => Err(diags),
    }
}

/// Times the stages of a run, one after another.
pub(crate) struct Stopwatch(Instant);

impl Stopwatch {
    pub(crate) fn new() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    /// Records the time since the last lap as `stage`'s.
    pub(crate) fn lap(&mut self, report: &mut Report, stage: &'static str) {
        report.stages.push((stage, self.0.elapsed()));
        self.0 = Instant::now();
    }
}

/// The whole pipeline: renders the site into `sink` and checks its links, then calls `then`
/// with the briefing when all of it succeeded. The sink holds a complete site only when the
/// report has no error.
/// The whole pipeline: renders the site into `sink` and checks its links, with the changes
/// since `since` when it is given. The sink holds a complete site only when the report has
/// no error.
#[allow(clippy::too_many_arguments)]
fn compile(
    root: &Path,
    base_url: Option<&str>,
    lock: lock::Mode,
    audience: audience::Audience,
    since: Option<&changes::Since>,
    sink: &dyn output::Sink,
    caches: &mut Caches,
    progress: &dyn progress::Progress,
    then: &mut dyn FnMut(&resolve::Briefing),
) -> Report {
    let mut report = Report::default();
    let mut t = Stopwatch::new();
    let mut prepared = prepare(
        root,
        base_url,
        lock,
        audience,
        caches,
        &mut report,
        &mut t,
        progress,
    );
    if let (Some(briefing), Some(since)) = (prepared.as_mut(), since) {
        // The baseline is seen by the same audience: a public edition's changes never name
        // an internal claim of the earlier one.
        match changes::compare(root, since, audience, briefing) {
            Ok(changes) => {
                report.changes = Some(changes.summary());
                briefing.changes = Some(changes);
            }
            Err(problem) => {
                report.diagnostics.push(problem);
                prepared = None;
            }
        }
        t.lap(&mut report, "changes");
    }
    if let Some(briefing) = prepared {
        render_part(
            root,
            &briefing,
            output::Part::All,
            sink,
            links::LinkIndex::new(),
            &mut caches.render,
            &mut report,
            &mut t,
            progress,
        );
        if report.ok() {
            then(&briefing);
        }
    }
    report
}

/// Loads and resolves the briefing in `root`, and holds it to its brief.lock as `lock`
/// says. `None` when it has errors (they are in the report).
#[allow(clippy::too_many_arguments)]
pub(crate) fn prepare(
    root: &Path,
    base_url: Option<&str>,
    lock: lock::Mode,
    audience: audience::Audience,
    caches: &mut Caches,
    report: &mut Report,
    t: &mut Stopwatch,
    progress: &dyn progress::Progress,
) -> Option<resolve::Briefing> {
    let loaded = load::load_cached(root, &mut report.diagnostics, &mut caches.load, progress);
    t.lap(report, "load");
    let mut site = loaded?;
    if let Some(url) = base_url {
        if let Err(why) = config::check_base_url(url) {
            report.diagnostics.push(
                Diagnostic::error(Code::Config, format!("--base-url {why}"))
                    .help("give the full address the site is published at, e.g. --base-url https://user.github.io/repo/"),
            );
            return None;
        }
        site.config.base_url = config::normalize_base_url(url);
    }
    report.base_url = Some(site.config.base_url.clone());
    // Who the build is for is decided here, once: a public build's site has no internal
    // part from here on.
    let leak_check = audience::separate(&mut site, audience, &mut report.diagnostics);
    let whole = site.withheld.nothing();
    let unlinked = std::mem::take(&mut site.withheld.paths);
    let mut briefing =
        resolve::resolve_cached(site, &mut report.diagnostics, &mut caches.resolve, progress);
    briefing.audience = audience;
    briefing.leak_check = leak_check;
    briefing.unlinked = unlinked;
    lock::check_part(root, &briefing, lock, whole, &mut report.diagnostics);
    t.lap(report, "resolve");
    report.sources = briefing.sources.len();
    report.items = briefing.items.len();
    report.citations = briefing.citations.len();
    (!report.diagnostics.has_errors()).then_some(briefing)
}

/// Tells the leaks the scan of a public build found, as errors (so the build is not
/// written).
fn leaks_found(
    briefing: &resolve::Briefing,
    scanning: Option<audience::leak::Scanning<'_>>,
    report: &mut Report,
) {
    if let (Some(check), Some(scanning)) = (&briefing.leak_check, scanning) {
        for d in check.problems(&scanning.into_leaks()) {
            report.diagnostics.push(d);
        }
    }
}

/// Renders `part` of the briefing in `root` into `sink`, recording its links in `index` (which
/// may hold those of the files made before), and checks every link of the site.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_part(
    root: &Path,
    briefing: &resolve::Briefing,
    part: output::Part<'_>,
    sink: &dyn output::Sink,
    index: links::LinkIndex,
    cache: &mut render::Cache,
    report: &mut Report,
    t: &mut Stopwatch,
    progress: &dyn progress::Progress,
) {
    let scanning = briefing
        .leak_check
        .as_ref()
        .map(|c| audience::leak::Scanning::new(sink, c));
    let sink: &dyn output::Sink = match &scanning {
        Some(s) => s,
        None => sink,
    };
    let checked = links::Checked::new(sink, &index);
    let rendered = render::render_cached(
        briefing,
        part,
        &checked,
        &mut report.diagnostics,
        cache,
        progress,
    );
    t.lap(report, "render");
    leaks_found(briefing, scanning, report);
    if rendered {
        // Only called when a link is broken, to say where it is written: in the files the
        // link's page is made from, or for a page made from all over the briefing, in any.
        let locate = |wanted: &[links::Wanted]| {
            let page_files = site_map::page_files(briefing);
            let wanted: Vec<(Option<&[PathBuf]>, &[String])> = wanted
                .iter()
                .map(|w| {
                    let files = page_files.get(&*w.page).map(Vec::as_slice);
                    (files, w.spellings.as_slice())
                })
                .collect();
            load::ContentFiles::read(root).find_links(&wanted)
        };
        for problem in index.check(&locate) {
            report.diagnostics.push(problem);
        }
        t.lap(report, "links");
    }
}
