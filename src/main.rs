//! The `brief` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// A build allocates many small strings and maps on every core at once; mimalloc handles that
// better than the system allocator (measured on 1,000 sources: 577 → 447 ms of CPU time). It is
// built without transparent huge pages (Cargo.toml, `no_thp`): with them, every 2 MiB region it
// touched was made resident and zeroed whole, which at 10,000 sources added 30–50 MiB to the
// peak memory and ~0.5 s of kernel time (measured back to back, 21 November 2026).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use brief::{BuildOptions, Report};

/// A static site generator for briefings: source texts and quote-pinned annotations in, a
/// cited HTML briefing out.
#[derive(Parser)]
#[command(name = "brief", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Say more about what is done.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Print only problems.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// The briefing's folder.
    #[arg(
        short = 'C',
        long = "root",
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output); the previous output stays on any error.
    Build {
        /// Where to write the site (a folder of its own: brief replaces only the files it
        /// wrote there); default public/, and internal/ with --internal.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Build the editors' site: internal parts included and marked, no leak check.
        /// Written to internal/ unless --output says otherwise, so it never lands where the
        /// public site goes by accident.
        #[arg(long)]
        internal: bool,
        /// Override site.toml's base_url (e.g. https://user.github.io/repo/).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Fail when a source or cited passage changed since brief.lock, or there is no
        /// brief.lock (for CI).
        #[arg(long)]
        locked: bool,
        /// Add a /changes/ page and changes.xml: what changed since this git ref (HEAD~1,
        /// a tag) or since the briefing.json of an earlier build (a path ending in .json).
        #[arg(long, value_name = "REF|BRIEFING.JSON")]
        since: Option<String>,
    },
    /// Serve the site on 127.0.0.1, rebuild on every change and reload the open pages.
    Serve {
        /// The port to listen on (the next free one when it is taken).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 opens the server to other machines.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Poll the files for changes instead of the system's notifications (network
        /// drives, containers, virtual machines).
        #[arg(long)]
        poll: bool,
        /// Override the base URL (default: the server's own address).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Preview the public site: internal parts left out and the leak check run (by
        /// default serve shows everything, internal parts marked).
        #[arg(long)]
        public: bool,
    },
    /// Load and verify everything (ids, references, quotes, links) without writing.
    Check {
        /// Output format of the problems.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Fail when a source or cited passage changed since brief.lock, or there is no
        /// brief.lock (for CI).
        #[arg(long)]
        locked: bool,
    },
    /// List what an editor should check: claims on one source, uncited positions, sources
    /// never cited, ambiguous quotes, stale or changed sources, names that match no item …
    ///
    /// Loads and resolves the briefing as `brief check` does and prints the counts of each
    /// kind of finding, then each open finding with its file:line and its page. A finding
    /// acknowledged with `reviewed:` in the YAML is counted, not listed. See docs/review.md.
    Review {
        /// Output format: the list for a terminal, or one JSON document on stdout.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Review as of this day (YYYY-MM-DD) instead of today (UTC): stale sources are
        /// counted from it.
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        today: Option<i64>,
    },
    /// Record the SHA-256 of every source and cited passage in brief.lock.
    ///
    /// Checks the briefing as `brief check` does and, when it has no error, writes
    /// brief.lock in its folder (commit it with the briefing). Later builds and checks say
    /// which sources changed since and whether each cited passage is unchanged, moved or
    /// gone; with --locked they fail on it. Run it again to accept the changes.
    Lock,
    /// Say whether and where a text occurs in a source, and print its citation.
    ///
    /// Matches as the build does (case, quote marks, dashes and spacing may differ); gives
    /// file:line and the paragraph, whether the text is unique and, where it is not, the
    /// shortest unique passage around each place (extended word by word within its
    /// paragraph); then the citation to paste, inline and as a `cite:` entry. Exits 1
    /// when the text is not in the source, with the closest passage.
    Quote {
        /// The source's id (its file name without .md or .txt).
        #[arg(value_name = "SOURCE")]
        source: String,
        /// The text to look for.
        #[arg(value_name = "TEXT")]
        text: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Start a new briefing: site.toml, example content and a GitHub Pages workflow.
    ///
    /// Writes site.toml, content/, .gitignore and .github/workflows/pages.yml into DIR.
    /// Refuses a folder that already holds a briefing, and never replaces a file.
    Init {
        /// The folder (created if missing; default: the current folder, or --root).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Add a source from a saved web page, a URL, a PDF or plain text (`-`: standard input).
    ///
    /// Writes content/sources/ID.md (front matter from what the document says, and its
    /// text: a page's article without its navigation, a PDF's pages each after a `[Page N]`
    /// line) and keeps the bytes as given or fetched in content/archive/ID.EXT, their SHA-256
    /// in the front matter. Never replaces a file. Prints what it found and what it did not,
    /// and the site.toml patterns that would hide the boilerplate left in the text.
    Add {
        /// A saved page (.html), a PDF, a text file, an http(s):// address, or - for
        /// standard input.
        #[arg(value_name = "FILE|URL|-")]
        input: String,
        /// The source's id (default: a slug of its title).
        #[arg(long)]
        id: Option<String>,
        /// The title (required for plain text; else it replaces the one found).
        #[arg(long)]
        title: Option<String>,
        /// How long a URL may take, in seconds (also BRIEF_ADD_TIMEOUT).
        #[arg(
            long,
            value_name = "SECONDS",
            env = "BRIEF_ADD_TIMEOUT",
            default_value_t = 30.0
        )]
        timeout: f64,
        /// The largest document taken, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = 50)]
        max_size: u64,
    },
    /// Build the site, commit it to the gh-pages branch and push it, for GitHub Pages.
    ///
    /// The site becomes the whole tree of the branch, one commit per publish (none when
    /// nothing changed). Your working tree, index and checked-out branch are left as they are.
    Publish {
        /// The branch that receives the site.
        #[arg(long, value_name = "NAME", default_value = "gh-pages")]
        branch: String,
        /// The git remote to push to.
        #[arg(long, value_name = "NAME", default_value = "origin")]
        remote: String,
        /// The commit message (default: "Publish the site" and the commit it was built from).
        #[arg(short, long, value_name = "TEXT")]
        message: Option<String>,
        /// Commit to the local branch only; do not push.
        #[arg(long)]
        no_push: bool,
        /// Override site.toml's base_url (e.g. https://user.github.io/repo/).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            output,
            internal,
            base_url,
            locked,
            since,
        } => {
            let (audience, default_output) = if internal {
                (brief::audience::Audience::Internal, "internal")
            } else {
                (brief::audience::Audience::Public, "public")
            };
            let output = output.unwrap_or_else(|| PathBuf::from(default_output));
            if internal && !cli.quiet {
                eprintln!(
                    "building the internal site (internal parts included) into {}: do not publish it",
                    output.display()
                );
            }
            brief::write::interrupt::clean_up_on_signals();
            let bars = Bars::new(!cli.quiet && std::io::stderr().is_terminal());
            let report = brief::build_with_progress(
                &BuildOptions {
                    root: cli.root.clone(),
                    output: output.clone(),
                    base_url,
                    locked,
                    audience,
                    since: since.as_deref().map(brief::changes::Since::parse),
                },
                &bars,
            );
            print_problems(&report, Format::Human);
            if cli.verbose {
                print_stages(&report);
            }
            if report.ok() {
                if !cli.quiet {
                    eprintln!(
                        "built {} from {} into {} in {:.2}s",
                        brief::plural(report.files, "file"),
                        report.counts(),
                        output.display(),
                        report.elapsed.as_secs_f64()
                    );
                    if let Some(changes) = &report.changes {
                        eprintln!("changes {changes}");
                    }
                }
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "{}; nothing was written (the previous output is unchanged)",
                    summary(&report)
                );
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            port,
            bind,
            open,
            poll,
            base_url,
            public,
        } => {
            let verbosity = if cli.quiet {
                brief::serve::Verbosity::Quiet
            } else if cli.verbose {
                brief::serve::Verbosity::Verbose
            } else {
                brief::serve::Verbosity::Normal
            };
            match brief::serve::run(brief::serve::ServeOptions {
                root: cli.root.clone(),
                port,
                bind,
                open,
                poll,
                base_url,
                verbosity,
                audience: if public {
                    brief::audience::Audience::Public
                } else {
                    brief::audience::Audience::Internal
                },
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(brief::serve::StartError::NoBriefing(problem)) => {
                    let mut report = Report::default();
                    report.diagnostics.push(problem);
                    print_problems(&report, Format::Human);
                    ExitCode::FAILURE
                }
                Err(brief::serve::StartError::Io(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            format,
            deny_warnings,
            locked,
        } => {
            let report = brief::check_with(&cli.root, brief::lock::Mode::locked_if(locked));
            print_problems(&report, format);
            if cli.verbose {
                print_stages(&report);
            }
            let failed = !report.ok() || (deny_warnings && report.diagnostics.warning_count() > 0);
            if matches!(format, Format::Human) && (!cli.quiet || failed) {
                if report.diagnostics.is_empty() {
                    eprintln!("ok: {} — all verified", report.counts());
                } else {
                    eprintln!("{}", summary(&report));
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Review { format, today } => review(
            &cli.root,
            format,
            today.unwrap_or_else(brief::review::today),
            cli.verbose,
        ),
        Command::Quote {
            source,
            text,
            format,
        } => quote(&cli.root, &source, &text, format),
        Command::Lock => lock(&cli.root, cli.quiet),
        Command::Add {
            input,
            id,
            title,
            timeout,
            max_size,
        } => add(
            &brief::add::AddOptions {
                root: cli.root.clone(),
                input: brief::add::Input::parse(&input),
                id,
                title,
                limits: brief::add::Limits {
                    // A NaN would panic in Duration; "nan" and "inf" parse as f64.
                    timeout: std::time::Duration::from_secs_f64(if timeout.is_nan() {
                        30.0
                    } else {
                        timeout.clamp(0.001, 86_400.0)
                    }),
                    max_bytes: max_size.saturating_mul(1024 * 1024),
                },
            },
            cli.quiet,
        ),
        Command::Init { dir } => {
            // DIR is taken from --root like --output is; `brief init x` says `x`, not `./x`.
            let dir = match dir {
                Some(d) if cli.root == std::path::Path::new(".") => d,
                Some(d) => cli.root.join(d),
                None => cli.root.clone(),
            };
            init(&dir, cli.quiet)
        }
        Command::Publish {
            branch,
            remote,
            message,
            no_push,
            base_url,
        } => publish(
            &brief::publish::PublishOptions {
                root: cli.root.clone(),
                branch,
                remote,
                message,
                push: !no_push,
                base_url,
            },
            cli.quiet,
        ),
    }
}

/// Progress bars on a terminal, for builds large enough to need them (a small briefing is
/// built before a bar could be read).
struct Bars {
    enabled: bool,
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Bars {
    const MIN_STEPS: usize = 300;

    fn new(enabled: bool) -> Bars {
        Bars {
            enabled,
            bar: std::sync::Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<indicatif::ProgressBar>)) {
        if let Ok(mut bar) = self.bar.lock() {
            f(&mut bar);
        }
    }
}

impl brief::progress::Progress for Bars {
    fn start(&self, stage: &'static str, steps: usize) {
        if !self.enabled || steps < Bars::MIN_STEPS {
            return;
        }
        let style = indicatif::ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = indicatif::ProgressBar::new(steps as u64)
            .with_style(style)
            .with_message(stage);
        self.with_bar(|b| *b = Some(bar));
    }

    fn step(&self) {
        self.with_bar(|b| {
            if let Some(b) = b {
                b.inc(1);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|b| {
            if let Some(b) = b.take() {
                b.finish_and_clear();
            }
        });
    }
}

fn print_stages(report: &Report) {
    for (stage, took) in &report.stages {
        eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
    }
    // Peak memory, where the system tells it (Linux).
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        eprintln!("  peak memory {}", line.trim_start_matches("VmHWM:").trim());
    }
}

fn init(dir: &std::path::Path, quiet: bool) -> ExitCode {
    match brief::init::run(dir) {
        Ok(created) => {
            if !quiet {
                eprintln!("created a briefing in {}:", created.dir.display());
                for f in &created.files {
                    eprintln!("  {f}");
                }
                match created.gitignore {
                    brief::init::Gitignore::Extended => {
                        eprintln!("  .gitignore (added /public/ and /.public.brief-*/)")
                    }
                    brief::init::Gitignore::AlreadyIgnoresPublic => {
                        eprintln!("  (.gitignore already ignores public/: left as it was)")
                    }
                    brief::init::Gitignore::LeftAlone => eprintln!(
                        "  (.gitignore is a symbolic link: left as it was; add /public/ and /.public.brief-*/ to it)"
                    ),
                    brief::init::Gitignore::Written => {}
                }
                let cd = if created.dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", created.dir.display())
                };
                eprintln!(
                    "next: `{cd}brief build` (or `brief serve` to watch it while you write);"
                );
                eprintln!(
                    "to publish, push it to GitHub and set Settings → Pages → Source to \"GitHub Actions\"."
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            let mut report = Report::default();
            report.diagnostics.push(d);
            print_problems(&report, Format::Human);
            ExitCode::FAILURE
        }
    }
}

/// `--today`: a day written YYYY-MM-DD, as its day number.
fn parse_day(s: &str) -> Result<i64, String> {
    let d = brief::date::PartialDate::parse(s)?;
    if d.day.is_none() {
        return Err(format!("`{s}` is not a day: write it as YYYY-MM-DD"));
    }
    Ok(d.earliest_day())
}

fn review(root: &std::path::Path, format: Format, today: i64, verbose: bool) -> ExitCode {
    use std::io::Write;
    let (report, review) = brief::review::run(root, today);
    print_problems(&report, Format::Human);
    if verbose {
        print_stages(&report);
    }
    let Some(review) = review else {
        eprintln!("{}; nothing was reviewed", summary(&report));
        return ExitCode::FAILURE;
    };
    let text = match format {
        Format::Human => brief::review::output::terminal(&review),
        Format::Json => format!("{:#}\n", brief::review::output::json(&review)),
    };
    // A reader that went away (`brief review | head`) ends the run quietly.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn quote(root: &std::path::Path, source: &str, text: &str, format: Format) -> ExitCode {
    use std::io::Write;
    let (diagnostics, lookup) = brief::quote::run(root, source, text);
    let report = Report {
        diagnostics,
        ..Report::default()
    };
    if let Some(lookup) = &lookup {
        let mut out = std::io::stdout().lock();
        let written = match format {
            Format::Json => serde_json::to_writer_pretty(&mut out, &lookup.to_json())
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out)),
            Format::Human => brief::quote::write_human(lookup, &mut out),
        };
        if written.is_err() {
            return ExitCode::FAILURE;
        }
    }
    print_problems(&report, Format::Human);
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn lock(root: &std::path::Path, quiet: bool) -> ExitCode {
    let (report, locked) = brief::lock::run(root);
    print_problems(&report, Format::Human);
    let Some(locked) = locked else {
        eprintln!(
            "{}; {} was not written",
            summary(&report),
            brief::lock::FILE
        );
        return ExitCode::FAILURE;
    };
    if !quiet {
        let what = format!(
            "{}, {}",
            brief::plural(locked.sources, "source"),
            brief::plural(locked.citations, "citation")
        );
        if locked.written {
            eprintln!("locked {what} in {}", brief::lock::FILE);
        } else {
            eprintln!("{} is up to date: {what}", brief::lock::FILE);
        }
    }
    ExitCode::SUCCESS
}

fn add(options: &brief::add::AddOptions, quiet: bool) -> ExitCode {
    let added = match brief::add::run(options) {
        Ok(a) => a,
        Err(d) => {
            let mut report = Report::default();
            report.diagnostics.push(d);
            print_problems(&report, Format::Human);
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if !quiet {
        eprint!("{}", brief::add::describe_added(&added));
    }
    ExitCode::SUCCESS
}

fn publish(options: &brief::publish::PublishOptions, quiet: bool) -> ExitCode {
    let (report, published) = brief::publish::run(options);
    print_problems(&report, Format::Human);
    let Some(p) = published else {
        // A failed push left a local commit, as its message says; anything else, nothing.
        let pushed_failed = report
            .diagnostics
            .sorted()
            .iter()
            .any(|d| d.code == brief::diagnostics::Code::PublishPush);
        if !pushed_failed {
            eprintln!("{}; nothing was published", summary(&report));
        }
        return ExitCode::FAILURE;
    };
    if !quiet {
        let short = |c: &str| c[..c.len().min(12)].to_string();
        let branch = &options.branch;
        if p.created {
            eprintln!(
                "committed the site ({} files) to {branch} as {}{}",
                p.files,
                short(&p.commit),
                p.parent
                    .as_deref()
                    .map(|c| format!(" (after {})", short(c)))
                    .unwrap_or_default()
            );
        } else {
            eprintln!(
                "the site is the same as at {branch} {}: no new commit",
                short(&p.commit)
            );
        }
        if p.pushed {
            eprintln!("pushed {branch} to {}", options.remote);
        } else if options.push {
            eprintln!(
                "{}/{branch} already has it: nothing to push",
                options.remote
            );
        } else {
            eprintln!(
                "not pushed (--no-push): `git push {} {branch}` publishes it",
                options.remote
            );
        }
    }
    ExitCode::SUCCESS
}

fn summary(report: &Report) -> String {
    brief::diagnostics::summary(&report.diagnostics)
}

fn print_problems(report: &Report, format: Format) {
    use std::io::Write;
    let written = match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            report
                .diagnostics
                .sorted()
                .into_iter()
                .try_for_each(|d| writeln!(out, "{}", d.to_json_line()))
        }
        Format::Human => brief::diagnostics::print(
            &mut std::io::stderr().lock(),
            &report.diagnostics,
            brief::diagnostics::color_on_stderr(),
        ),
    };
    if written.is_err() {
        // The reader went away (`brief check --format json | head`): stop quietly, with the
        // exit code the run has earned, instead of panicking on a closed pipe.
        std::process::exit(if report.ok() { 0 } else { 1 });
    }
}
