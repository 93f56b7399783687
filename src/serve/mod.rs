//! `brief serve`: builds the briefing into a private folder, serves it on a local port,
//! rebuilds when its files change, and reloads the open pages.
//!
//! Three parts run side by side:
//!
//! - the **watcher** ([`watch`]) turns file events into batches: one burst of saves is one
//!   batch, editor temp files and reads never count;
//! - the **builder**, one thread that owns the [`Session`](crate::Session), builds each batch,
//!   brings the private folder up to date ([`sync`], writing only the files whose bytes
//!   changed) and only then tells the pages (a reload, a stylesheet swap, or the error). It
//!   builds the pages open in a browser first (each page's socket says which page it is),
//!   puts them in place and reloads them, and then the rest of the site, whose cost grows
//!   with the corpus (every other page, the print view, the search index, the link check);
//!   a page reloads only when a file it shows or uses changed, and a request for another page
//!   waits until the rest is in place;
//! - the **server** ([`server`], axum on tokio) serves the folder, adds the live-reload
//!   script and error overlay to the HTML it sends ([`inject`]), and keeps a WebSocket open
//!   to every page.
//!
//! A failed build never stops serve: the last good site stays in the folder and every page
//! shows the problems until a build succeeds. Ctrl-C (or SIGTERM) removes the folder.

mod inject;
mod server;
mod sync;
mod watch;

use std::collections::HashSet;
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;

use crate::diagnostics::{Diagnostics, Severity};
use crate::plural;
use crate::render::Part;
use crate::{Report, Session, config};
use server::{Outcome, Shared};
use sync::{Changes, OutputDir};
use watch::Watch;

/// How `brief serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The briefing's folder (holding site.toml).
    pub root: PathBuf,
    /// The port to listen on; when it is taken the next free one is used. 0 lets the
    /// system choose.
    pub port: u16,
    /// The address to listen on: 127.0.0.1 unless the user opts into others.
    pub bind: IpAddr,
    /// Open the site in the browser once the first build is done.
    pub open: bool,
    /// Poll the files instead of relying on the system's change notifications.
    pub poll: bool,
    /// Overrides the base URL; by default the server's own address. A URL with a path
    /// (`http://127.0.0.1:1111/repo/`) serves the site under that path.
    pub base_url: Option<String>,
    /// How much to print.
    pub verbosity: Verbosity,
}

/// How much serve prints on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Problems only.
    Quiet,
    /// One line per rebuild, and problems in full.
    Normal,
    /// Also the files each rebuild wrote and removed, and where things are.
    Verbose,
}

/// How long the builder waits after a batch for the rest of its burst: more than the
/// debouncer's tick (see [`watch`]), by which the parts of a burst come apart.
const SETTLE: Duration = Duration::from_millis(15);

/// The longest a steady stream of changes can put off a build.
const MAX_SETTLE: Duration = Duration::from_secs(1);

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 50;

/// Runs the development server until Ctrl-C or SIGTERM. Returns an error only when serve
/// cannot start (no port, no temporary folder, no runtime); problems in the briefing are
/// shown, not returned.
pub fn run(options: ServeOptions) -> io::Result<()> {
    let log = Log::new(options.verbosity);
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot serve {}: {e}", options.root.display()),
        )
    })?;

    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr()?;
    if options.port != 0 && addr.port() != options.port {
        log.notice(&format!(
            "port {} is in use; serving on port {} instead",
            options.port,
            addr.port()
        ));
    }
    let base_url = match &options.base_url {
        Some(url) => config::normalize_base_url(url),
        None => format!("http://{}/", display_addr(addr)),
    };
    let base_path = config::base_path_of(&base_url);
    let url = format!("http://{}{base_path}", display_addr(addr));

    // The private folder: never public/, never inside the watched folders (the system's
    // temporary folder), gone when serve stops.
    let tmp = tempfile::Builder::new().prefix("brief-serve-").tempdir()?;
    let dir = std::fs::canonicalize(tmp.path())?;
    // On the loopback address, answer only to local names (and the base URL's host, which
    // may be a name the user mapped to it); anywhere else the user chose to be reachable.
    let hosts = addr.ip().is_loopback().then(|| {
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).into();
        if let Some(authority) = base_url.split_once("://").map(|(_, rest)| rest) {
            let authority = authority.split('/').next().unwrap_or_default();
            hosts.push(server::host_name(authority));
        }
        hosts
    });
    let shared = Arc::new(Shared::new(dir.clone(), base_path, hosts));

    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let watch = match Watch::start(&root, options.poll, events_tx.clone()) {
        Ok(w) => w,
        Err(e) if !options.poll => {
            log.warn(&format!(
                "cannot watch the files with the system's notifications ({e}); polling instead"
            ));
            Watch::start(&root, true, events_tx).map_err(io::Error::other)?
        }
        Err(e) => return Err(io::Error::other(format!("cannot watch the files: {e}"))),
    };

    log.info(&format!("serving the briefing at {url}  (Ctrl-C to stop)"));
    if addr.ip().is_unspecified() {
        log.warn(&format!(
            "listening on every network interface ({}): anyone on your network can read this briefing",
            addr.ip()
        ));
    }
    log.verbose(&format!(
        "building into the private folder {} (removed on exit); watching content/, templates/, static/ and site.toml{}",
        dir.display(),
        if options.poll { " by polling" } else { "" }
    ));

    let stop = Arc::new(Stop::default());
    let builder = Builder {
        root: root.clone(),
        base_url: base_url.clone(),
        output_dir: dir.clone(),
        output: OutputDir::new(&dir),
        shared: shared.clone(),
        stop: stop.clone(),
        log: log.clone(),
        last_warnings: Vec::new(),
        underway: None,
    };
    let open = options.open.then(|| url.clone());
    std::thread::Builder::new()
        .name("brief-builder".into())
        .spawn(move || builder.run(watch, events_rx, open))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::select! {
            r = axum::serve(listener, server::router(shared)) => r,
            () = shutdown_signal() => Ok(()),
        }
    });

    // Let a build that is writing finish, and keep any later one from starting, before the
    // folder goes.
    stop.stopping.store(true, Ordering::SeqCst);
    let _writing = stop.writing.lock().unwrap_or_else(|e| e.into_inner());
    runtime.shutdown_timeout(Duration::from_millis(200));
    let removed = tmp.close();
    match &removed {
        Ok(()) => log.info(&format!(
            "stopped; removed the private folder {}",
            dir.display()
        )),
        Err(e) => log.warn(&format!("cannot remove {}: {e}", dir.display())),
    }
    served
}

/// Binds the port, or the next free one when it is taken.
fn bind(ip: IpAddr, port: u16) -> io::Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut taken = None;
    for p in port..=last {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => taken = Some(e),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)),
                ));
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        format!(
            "ports {port} to {last} on {ip} are all in use ({}); choose another with --port",
            taken.map(|e| e.to_string()).unwrap_or_default()
        ),
    ))
}

/// The address for URLs: the loopback address when listening everywhere, brackets around
/// IPv6.
fn display_addr(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port()).to_string()
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Tells the builder that serve is stopping; held while the folder is written.
#[derive(Default)]
struct Stop {
    stopping: AtomicBool,
    writing: Mutex<()>,
}

/// The builder thread's state.
struct Builder {
    root: PathBuf,
    base_url: String,
    output_dir: PathBuf,
    output: OutputDir,
    shared: Arc<Shared>,
    stop: Arc<Stop>,
    log: Log,
    /// The warnings last printed, so a rebuild repeats them only when they change.
    last_warnings: Vec<String>,
    /// A build whose open pages are in place, and whose rest is still to make.
    underway: Option<Underway>,
}

/// The first half of a build, done: see [`Builder::build`].
struct Underway {
    start: Instant,
    /// What changed, for the summary line.
    what: Option<String>,
    /// The files made first (those of the pages open in a browser).
    first: HashSet<String>,
    report: Report,
    changes: Changes,
    built_in: Duration,
}

/// Tells the server, when dropped, that the rest of the site is no longer underway.
struct RestDone(Arc<Shared>);

impl Drop for RestDone {
    fn drop(&mut self) {
        self.0.rest_underway(None);
    }
}

/// What the open pages must do about the files a build changed.
fn outcome(changes: &Changes) -> Outcome {
    if changes.is_empty() {
        return Outcome::Unchanged;
    }
    if changes.only_css() {
        return Outcome::Css;
    }
    let mut pages = Vec::new();
    for path in changes.written.iter().chain(&changes.removed) {
        match path.as_str() {
            p if p.ends_with(".html") => pages.push(p.to_string()),
            // Read only by the search page.
            crate::render::SEARCH_INDEX => pages.push("search/index.html".into()),
            // Read by no page.
            "briefing.json" | "feed.xml" | "sitemap.xml" | "robots.txt" | "CNAME" | ".nojekyll" => {
            }
            // A stylesheet, a script, an image: any page may use it.
            _ => return Outcome::Reload,
        }
    }
    Outcome::Pages(pages)
}

impl Builder {
    fn run(
        mut self,
        mut watch: Watch,
        events: Receiver<DebounceEventResult>,
        open: Option<String>,
    ) {
        let mut session = Session::new(&self.root, Some(self.base_url.clone()));
        self.build(&mut session, None);
        if let Some(url) = open {
            open_browser(url, self.log.clone());
        }
        // A batch that arrived while the last build ran.
        let mut waiting = None;
        loop {
            // The pages are in place and announced; the files made from the whole briefing
            // follow, unless more changes came meanwhile: then the next build makes them.
            if waiting.is_none() {
                match events.try_recv() {
                    Ok(batch) => waiting = Some(batch),
                    Err(_) => self.finish(&mut session),
                }
            }
            let first = match waiting.take() {
                Some(batch) => batch,
                None => match events.recv() {
                    Ok(batch) => batch,
                    Err(_) => return,
                },
            };
            // The debouncer times each path apart, so one burst (a checkout, a save-all)
            // can come as several batches a few milliseconds apart; and whatever arrived
            // while the last build ran is waiting already. All of it is one build.
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
                        let c = watch::changed(&self.root, &self.output_dir, &events);
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
            // Watch new folders before building, so nothing written in them from now on
            // is missed; what was written before is read by this build.
            if let Err(e) = watch.refresh() {
                self.log.warn(&format!("cannot watch a new folder: {e}"));
            }
            if !changed.any() {
                continue;
            }
            if self.stop.stopping.load(Ordering::SeqCst) {
                return;
            }
            self.build(&mut session, Some(&changed));
        }
    }

    /// Builds after a change: first only the pages open in a browser, which are put in place
    /// and reloaded at once; then the rest of the site ([`Builder::finish`]), which the run
    /// loop starts unless more changes are waiting. The first build, and a build while no
    /// page is open, is made whole. `changed` is `None` for the first build.
    fn build(&mut self, session: &mut Session, changed: Option<&watch::Changed>) {
        let start = Instant::now();
        let what = changed.map(describe_changes);
        // A rest left unmade for this build is made by it, if it succeeds.
        self.underway = None;
        self.shared.rest_underway(None);
        let paths: Vec<PathBuf> = match changed {
            Some(c) if !c.rescan => c.paths.clone(),
            // Unknown: the session rebuilds everything.
            _ => Vec::new(),
        };
        let first = match changed {
            Some(_) => {
                let mut open = self.shared.open_pages();
                // The search page is its index as much as its HTML.
                if open.contains("search/index.html") {
                    open.insert(crate::render::SEARCH_INDEX.to_string());
                }
                open
            }
            None => HashSet::new(),
        };
        let Some((files, report)) =
            self.guarded(session, start, &what, |s| s.rebuild_first(&paths, &first))
        else {
            return;
        };
        let Some(files) = files else {
            self.failed(start, what, &report.diagnostics, None);
            return;
        };
        let built_in = start.elapsed();
        let Some(changes) = self.write(files, Part::Only(&first), start, &what, &report) else {
            return;
        };
        if !changes.is_empty() {
            // The open pages are in place: they may reload now.
            self.shared.built(outcome(&changes));
            self.log.verbose(&format!(
                "  the open {} first, in {} (build {}, write {})",
                if first.len() == 1 { "page" } else { "pages" },
                took(start.elapsed()),
                took(built_in),
                took(start.elapsed() - built_in)
            ));
        }
        let nothing_open = first.is_empty();
        self.shared
            .rest_underway((!nothing_open).then(|| first.clone()));
        self.underway = Some(Underway {
            start,
            what,
            first,
            report,
            changes,
            built_in,
        });
        if nothing_open {
            self.finish(session);
        }
    }

    /// Makes the rest of the site for the build whose open pages [`Builder::build`] put in
    /// place, checks the links of the whole site, updates the folder, tells the pages, and
    /// prints one line. Does nothing when no build is half done.
    fn finish(&mut self, session: &mut Session) {
        let Some(u) = self.underway.take() else {
            return;
        };
        // However it ends, nothing more is coming for this build.
        let _rest = RestDone(self.shared.clone());
        let t = Instant::now();
        let Some((files, more)) = self.guarded(session, u.start, &u.what, |s| s.rebuild_rest())
        else {
            return;
        };
        let mut report = u.report;
        report.diagnostics.extend(more.diagnostics);
        report.stages.extend(more.stages);
        report.files = more.files;
        let Some(files) = files else {
            self.failed(u.start, u.what, &report.diagnostics, None);
            return;
        };
        let built_in = u.built_in + t.elapsed();
        let write_start = Instant::now();
        let Some(changes) = self.write(files, Part::AllBut(&u.first), u.start, &u.what, &report)
        else {
            return;
        };
        // Every file is in place: only now may the other pages reload.
        self.shared.built(outcome(&changes));
        let mut all = u.changes;
        all.written.extend(changes.written);
        all.removed.extend(changes.removed);
        self.succeeded(u.start, u.what, &report, &all, outcome(&all));
        let stages: Vec<String> = report
            .stages
            .iter()
            .map(|(stage, t)| format!("{stage} {}", took(*t)))
            .collect();
        self.log.verbose(&format!(
            "  (build {}: {}; write {})",
            took(built_in),
            stages.join(", "),
            took(write_start.elapsed())
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
                *session = Session::new(&self.root, Some(self.base_url.clone()));
                self.underway = None;
                let problem = format!(
                    "error: brief crashed while building ({why}); this is a bug in brief, please report it"
                );
                self.failed(start, what.clone(), &Diagnostics::new(), Some(problem));
                None
            }
        }
    }

    /// Brings the files of `part` up to date in the folder. `None` when serve is stopping,
    /// or writing failed (then that is reported).
    fn write(
        &mut self,
        files: Vec<crate::render::OutFile>,
        part: Part<'_>,
        start: Instant,
        what: &Option<String>,
        report: &Report,
    ) -> Option<Changes> {
        let changes = {
            let _writing = self.stop.writing.lock().unwrap_or_else(|e| e.into_inner());
            if self.stop.stopping.load(Ordering::SeqCst) {
                return None;
            }
            self.output.sync(files, part)
        };
        match changes {
            Ok(c) => Some(c),
            Err(e) => {
                let problem = format!(
                    "error: cannot write the site to the private folder {}: {e}",
                    self.output_dir.display()
                );
                self.failed(start, what.clone(), &report.diagnostics, Some(problem));
                None
            }
        }
    }

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
                plural(report.files, "file"),
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
            self.log.verbose(&format!("  wrote {p}"));
        }
        for p in &changes.removed {
            self.log.verbose(&format!("  removed {p}"));
        }
        let warnings: Vec<String> = report
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.to_string())
            .collect();
        if warnings != self.last_warnings {
            self.log.problems(&report.diagnostics);
            self.last_warnings = warnings;
        }
    }

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

/// Opens the site in the browser; a failure is only a warning.
fn open_browser(url: String, log: Log) {
    std::thread::spawn(move || {
        #[cfg(target_os = "macos")]
        let mut cmd = std::process::Command::new("open");
        #[cfg(windows)]
        let mut cmd = {
            let mut c = std::process::Command::new("cmd");
            c.args(["/C", "start", ""]);
            c
        };
        #[cfg(all(unix, not(target_os = "macos")))]
        let mut cmd = std::process::Command::new("xdg-open");
        cmd.arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        match cmd.status() {
            Ok(s) if s.success() => {}
            Ok(s) => log.warn(&format!(
                "could not open a browser ({s}); open {url} yourself"
            )),
            Err(e) => log.warn(&format!(
                "could not open a browser ({e}); open {url} yourself"
            )),
        }
    });
}

/// The terminal: everything goes to stderr, like `brief build`'s output.
#[derive(Clone)]
struct Log {
    verbosity: Verbosity,
    color: bool,
}

impl Log {
    fn new(verbosity: Verbosity) -> Log {
        Log {
            verbosity,
            color: io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// A line of progress: not with --quiet.
    fn info(&self, line: &str) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{line}");
        }
    }

    /// Only with -v.
    fn verbose(&self, line: &str) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("{line}");
        }
    }

    /// Something the user must know even with --quiet (the port changed).
    fn notice(&self, line: &str) {
        eprintln!("{line}");
    }

    fn warn(&self, line: &str) {
        eprintln!("warning: {line}");
    }

    fn failure(&self, line: &str) {
        eprintln!("{line}");
    }

    /// Every problem in full, as `brief build` prints them.
    fn problems(&self, diags: &Diagnostics) {
        for d in diags.sorted() {
            eprintln!("{d}");
            if d.location.as_ref().is_some_and(|l| l.text.is_some()) {
                eprintln!("{}", d.render(self.color));
            }
        }
    }
}
