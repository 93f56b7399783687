//! The builder: one thread that owns the [`Session`], turns each batch of changes into a
//! whole build in memory and, only when the whole build succeeded, puts it up to be served
//! and tells the open pages.
//!
//! Each build takes these steps:
//!
//! 1. **collect** the batch and whatever follows it within [`SETTLE`] into one set of
//!    changed files;
//! 2. **build** the site in memory ([`Session::rebuild_deferring`]): loading, resolving,
//!    rendering every page and checking every link, each file compared with the served
//!    one as it is made ([`Gather`]); the site-wide files no open page reads (the print
//!    view, briefing.json, the search index, the exports) and `/review/` are left to be
//!    made from this build's briefing when first asked for ([`Site::defer`]);
//! 3. **finish** the new [`Site`] (reading the static files that changed) and list what
//!    changed;
//! 4. **serve** the new site, swapped in at once, and only then tell the pages: a reload of
//!    the pages that changed, a stylesheet swap, or nothing.
//!
//! A build that fails at any step changes nothing served: the error goes to the terminal
//! and over every page, and the last good site stays. The site is built whole, not the open
//! pages first: what a page shows may change only once the whole build succeeded, so
//! making its file earlier would not show it any sooner.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;

use super::log::Log;
use super::site::{Changes, Gather, Site};
use super::state::{Outcome, Shared};
use super::watch::{self, Watch};
use crate::diagnostics::{Diagnostics, Severity};
use crate::output::{Contents, OutFile, Sink};
use crate::site_map::{self, ReadBy};
use crate::{Report, Session, plural};

/// How long the builder waits after a batch for the rest of its burst: more than the
/// debouncer's tick (see [`watch`]), by which the parts of a burst come apart.
const SETTLE: Duration = Duration::from_millis(15);

/// The longest a steady stream of changes can put off a build.
const MAX_SETTLE: Duration = Duration::from_secs(1);

/// The files a rebuild leaves to be made when first asked for, from the briefing of the
/// build served ([`Site::defer`]): the print view, briefing.json, the search index and the
/// exports. At 10,000 sources they are most of the site's bytes (the print view and the
/// search index alone are tens of megabytes) and their links, and making them on each save
/// only put off the reload of a page that reads none of them.
fn deferred() -> [&'static str; 5] {
    [
        site_map::FixedPage::Print.file(),
        site_map::SiteFile::Briefing.path(),
        site_map::SiteFile::SearchIndex.path(),
        site_map::SiteFile::Annotations.path(),
        site_map::SiteFile::Csl.path(),
    ]
}

/// The builder thread's state.
pub struct Builder {
    root: PathBuf,
    base_url: String,
    audience: crate::audience::Audience,
    shared: Arc<Shared>,
    log: Log,
    /// The site served: the last good build.
    served: Arc<Site>,
    /// The warnings last printed, so a rebuild repeats them only when they change.
    last_warnings: Vec<crate::diagnostics::Key>,
}

impl Builder {
    /// A builder of the briefing in `root` (canonical) for the site at `base_url`, which
    /// serves its builds through `shared`.
    pub fn new(
        root: PathBuf,
        base_url: String,
        audience: crate::audience::Audience,
        shared: Arc<Shared>,
        log: Log,
    ) -> Builder {
        Builder {
            root,
            base_url,
            audience,
            shared,
            log,
            served: Arc::default(),
            last_warnings: Vec::new(),
        }
    }

    /// Builds the site, then again after every batch of changes, until the watcher stops.
    /// `opened` runs once the first build is done (to open the browser).
    pub fn run(
        mut self,
        mut watch: Watch,
        events: Receiver<DebounceEventResult>,
        opened: impl FnOnce(),
    ) {
        let mut session =
            Session::for_audience(&self.root, Some(self.base_url.clone()), self.audience);
        self.build(&mut session, None);
        opened();
        while let Ok(first) = events.recv() {
            let changed = self.collect(first, &events);
            // Watch new folders before building, so nothing written in them from now on
            // is missed; what was written before is read by this build.
            if let Err(e) = watch.refresh() {
                self.log.warn(&format!("cannot watch a new folder: {e}"));
            }
            if changed.any() {
                self.build(&mut session, Some(&changed));
            }
        }
    }

    /// Step 1: the files changed in `first` and the batches that follow it closely. The
    /// debouncer times each path apart, so one burst (a checkout, a save-all) can come as
    /// several batches a few milliseconds apart; and whatever arrived while the last build
    /// ran is waiting already. All of it is one build.
    fn collect(
        &self,
        first: DebounceEventResult,
        events: &Receiver<DebounceEventResult>,
    ) -> watch::Changed {
        let mut batches = vec![first];
        let settle_until = Instant::now() + MAX_SETTLE;
        while let Ok(more) = events.recv_timeout(SETTLE) {
            batches.push(more);
            if Instant::now() > settle_until {
                break;
            }
        }
        let mut changed = watch::Changed::default();
        for batch in batches {
            match batch {
                Ok(events) => {
                    let c = watch::changed(&self.root, &events);
                    changed.rescan |= c.rescan;
                    changed.paths.extend(c.paths);
                }
                Err(errors) => {
                    for e in errors {
                        self.log.warn(&format!(
                            "watching the files: {e} (if changes are missed, try --poll)"
                        ));
                    }
                }
            }
        }
        changed.paths.sort();
        changed.paths.dedup();
        changed
    }

    /// Steps 2 to 4 for one batch of changes (`None` for the first build).
    fn build(&mut self, session: &mut Session, changed: Option<&watch::Changed>) {
        let start = Instant::now();
        let what = changed.map(describe_changes);
        let paths: Vec<PathBuf> = match changed {
            Some(c) if !c.rescan => c.paths.clone(),
            // Unknown: the session rebuilds everything.
            _ => Vec::new(),
        };

        // Step 2: the whole site, in memory, each file compared with the served one as it
        // is made; the site-wide files that no open page reads are made when first asked
        // for (see [`deferred`]), but not for a public preview, whose every file the leak
        // check reads.
        let served = self.served.clone();
        let gather = Gather::new(&served);
        let deferred: HashSet<String> = match self.audience {
            crate::audience::Audience::Public => HashSet::new(),
            _ => deferred().iter().map(|p| p.to_string()).collect(),
        };
        let Some((report, briefing)) = self.guarded(session, start, &what, |s| {
            s.rebuild_deferring(&paths, &gather, &deferred)
        }) else {
            return;
        };
        if !report.ok() {
            self.failed(start, what, &report.diagnostics, None);
            return;
        }
        if let Some(b) = &briefing {
            // With it, for the page only serve shows (the editor's review of this very
            // build, made when asked for as the deferred files are), the Cite button's words
            // in the site's language (a failure: English). Into memory: this cannot fail.
            let _ = gather.put(OutFile {
                path: super::cite::STRINGS_FILE.to_string(),
                contents: Contents::Bytes(super::cite::strings_json(&b.site.strings).into_bytes()),
            });
        }
        let built_in = start.elapsed();

        // Step 3: the new site, and what changed.
        let t = Instant::now();
        let (mut site, mut changes) = match gather.finish() {
            Ok(new) => new,
            Err(e) => {
                let problem = format!(
                    "error: cannot read a static file: {e}\n  help: check that it exists and is readable"
                );
                self.failed(start, what, &report.diagnostics, Some(problem));
                return;
            }
        };
        if let Some(b) = briefing {
            let mut later: Vec<String> = deferred.into_iter().collect();
            later.push(site_map::ServePage::Review.file().to_string());
            // A file made later is taken as changed whenever the build changed a page: each
            // of them shows the whole briefing, and it is not made to be compared.
            if !changes.is_empty() && !changes.only_css() {
                changes.written.extend(later.iter().cloned());
                changes.written.sort();
                changes.written.dedup();
            }
            site.defer(b, &later, Box::new(make_later));
        }
        let finished_in = t.elapsed();

        // Step 4: serve it, then tell the pages.
        let outcome = outcome(&changes);
        self.served = Arc::new(site);
        self.shared.built(self.served.clone(), outcome.clone());
        self.succeeded(start, what, &report, &changes, outcome);
        let stages: Vec<String> = report
            .stages
            .iter()
            .map(|(stage, t)| format!("{stage} {}", took(*t)))
            .collect();
        self.log.verbose(&format!(
            "  (build {}: {}; finish {})",
            took(built_in),
            stages.join(", "),
            took(finished_in)
        ));
    }

    /// Runs a step of the pipeline. A panic in it is a bug, but it must not end serve: it is
    /// shown like a failed build, and the session, whose state it may have broken, starts
    /// afresh.
    fn guarded<T>(
        &mut self,
        session: &mut Session,
        start: Instant,
        what: &Option<String>,
        step: impl FnOnce(&mut Session) -> T,
    ) -> Option<T> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(session))) {
            Ok(r) => Some(r),
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                *session =
                    Session::for_audience(&self.root, Some(self.base_url.clone()), self.audience);
                let problem = format!(
                    "error: brief crashed while building ({why}); this is a bug in brief, please report it"
                );
                self.failed(start, what.clone(), &Diagnostics::new(), Some(problem));
                None
            }
        }
    }

    /// Prints the line of a good build, the files it changed (with -v), and its warnings
    /// when they are not those printed last.
    fn succeeded(
        &mut self,
        start: Instant,
        what: Option<String>,
        report: &Report,
        changes: &Changes,
        outcome: Outcome,
    ) {
        let took = took(start.elapsed());
        let line = match what {
            None => format!(
                "built {} from {} in {took}",
                plural(self.served.len(), "file"),
                report.counts()
            ),
            Some(what) => {
                let pages = match self.shared.pages_open() {
                    0 => "no page is open".to_string(),
                    n => format!("{} open", plural(n, "page")),
                };
                let n = changes.len();
                match outcome {
                    Outcome::Unchanged => {
                        format!("{what}: rebuilt in {took}; the site is unchanged")
                    }
                    Outcome::Css => format!(
                        "{what}: rebuilt in {took}; {} changed, swapping styles ({pages})",
                        plural(n, "stylesheet")
                    ),
                    Outcome::Reload | Outcome::Pages(_) => {
                        format!(
                            "{what}: rebuilt in {took}; {} changed, reloading ({pages})",
                            plural(n, "file")
                        )
                    }
                }
            }
        };
        self.log.info(&line);
        for p in &changes.written {
            self.log.verbose(&format!("  changed {p}"));
        }
        for p in &changes.removed {
            self.log.verbose(&format!("  removed {p}"));
        }
        // Compared by what makes a problem the same, not by its printed text: drawing every
        // warning of a large briefing on each save, only to compare, would cost more.
        let warnings: Vec<_> = report
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.key())
            .collect();
        if warnings != self.last_warnings {
            self.log.problems(&report.diagnostics);
            self.last_warnings = warnings;
        }
    }

    /// Reports a failed build on the terminal and over every page; the site served stays.
    fn failed(
        &mut self,
        start: Instant,
        what: Option<String>,
        diags: &Diagnostics,
        extra: Option<String>,
    ) {
        let mut errors: Vec<String> = diags
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        errors.extend(extra.clone());
        let count = plural(errors.len(), "error");
        let took = took(start.elapsed());
        let line = match what {
            None => format!(
                "the first build failed in {took} with {count}; the page shows them until a build succeeds"
            ),
            Some(what) => format!(
                "{what}: build failed in {took} with {count}; still serving the last good site"
            ),
        };
        self.log.failure(&line);
        self.log.problems(diags);
        if let Some(e) = &extra {
            self.log.failure(e);
        }
        self.last_warnings.clear();
        self.shared.failed(errors.join("\n\n"));
    }
}

/// A file the build left for later ([`deferred`], and the `/review/` page), made from the
/// briefing of the build it belongs to: the same bytes the build would have made.
fn make_later(b: &crate::resolve::Briefing, path: &str) -> Option<Vec<u8>> {
    if path == site_map::ServePage::Review.file() {
        return match review_page(b).contents {
            Contents::Bytes(bytes) => Some(bytes),
            Contents::Copy(_) => None,
        };
    }
    let paths = HashSet::from([path.to_string()]);
    let files = crate::render_only(b, &paths).ok()?;
    let file = files.into_iter().find(|f| f.path == path)?;
    match file.contents {
        Contents::Bytes(bytes) => Some(bytes),
        Contents::Copy(src) => std::fs::read(src).ok(),
    }
}

/// The `/review/` page of the briefing `b` ([`crate::review`]), as of today: only serve
/// makes it, from the build it serves, and no build writes it.
fn review_page(b: &crate::resolve::Briefing) -> OutFile {
    let mut problems = Diagnostics::new();
    let review = crate::review::review(b, crate::review::today(), &mut problems);
    let problems: Vec<String> = problems.sorted().iter().map(|d| d.to_string()).collect();
    let html = crate::review::output::page(&review, &b.site.config.language, &problems);
    OutFile {
        path: site_map::ServePage::Review.file().to_string(),
        contents: Contents::Bytes(html.into_bytes()),
    }
}

/// What the open pages must do about the files a build changed, from who reads each (the
/// site map's [`site_map::read_by`]): a page reloads when its own file changed, or a file it
/// reads, or one any page may use; the files no page reads never reload one.
pub fn outcome(changes: &Changes) -> Outcome {
    if changes.is_empty() {
        return Outcome::Unchanged;
    }
    if changes.only_css() {
        return Outcome::Css;
    }
    let mut pages = Vec::new();
    for path in changes.written.iter().chain(&changes.removed) {
        match site_map::read_by(path) {
            ReadBy::ItsPage => pages.push(path.to_string()),
            ReadBy::Page(page) => pages.push(page.file().into()),
            ReadBy::NoPage => {}
            ReadBy::AnyPage => return Outcome::Reload,
        }
    }
    Outcome::Pages(pages)
}

/// "content/sources/a.md changed", naming at most three files.
fn describe_changes(c: &watch::Changed) -> String {
    if c.paths.is_empty() {
        return "files changed (the system lost track of which)".into();
    }
    let names: Vec<String> = c
        .paths
        .iter()
        .take(3)
        // A file name may hold control characters: shown escaped, as in problems.
        .map(|p| crate::control::for_terminal(&p.to_string_lossy()).into_owned())
        .collect();
    let more = c.paths.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more changed", names.join(", "))
    } else {
        format!("{} changed", names.join(", "))
    }
}

fn took(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_map::SiteFile;

    fn changes(written: &[&str], removed: &[&str]) -> Changes {
        Changes {
            written: written.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn only_the_pages_that_changed_reload() {
        assert_eq!(outcome(&changes(&[], &[])), Outcome::Unchanged);
        assert_eq!(outcome(&changes(&["assets/brief.css"], &[])), Outcome::Css);
        assert_eq!(
            outcome(&changes(
                &["briefing.json", "feed.xml", "people/x/index.html"],
                &["sitemap.xml"]
            )),
            Outcome::Pages(vec!["people/x/index.html".into()])
        );
        assert_eq!(
            outcome(&changes(&[SiteFile::SearchIndex.path()], &[])),
            Outcome::Pages(vec!["search/index.html".into()])
        );
        assert_eq!(
            outcome(&changes(&["a/index.html", "logo.png"], &[])),
            Outcome::Reload
        );
    }
}
