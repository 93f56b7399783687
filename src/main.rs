//! The `brief` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// The briefing's folder (default: the current folder).
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
        /// Where to write the site.
        #[arg(short, long, value_name = "DIR", default_value = "public")]
        output: PathBuf,
        /// Override site.toml's base_url (e.g. https://user.github.io/repo/).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Load and verify everything (ids, references, quotes, links) without writing.
    Check {
        /// Output format of the problems.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
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
        Command::Build { output, base_url } => {
            let report = brief::build(&BuildOptions {
                root: cli.root.clone(),
                output: output.clone(),
                base_url,
            });
            print_problems(&report, Format::Human);
            if cli.verbose {
                print_stages(&report);
            }
            if report.ok() {
                if !cli.quiet {
                    eprintln!(
                        "built {} files from {} sources, {} items and {} citations into {} in {:.2}s",
                        report.files,
                        report.sources,
                        report.items,
                        report.citations,
                        output.display(),
                        report.elapsed.as_secs_f64()
                    );
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
        Command::Check {
            format,
            deny_warnings,
        } => {
            let report = brief::check(&cli.root);
            print_problems(&report, format);
            if cli.verbose {
                print_stages(&report);
            }
            let failed = !report.ok() || (deny_warnings && report.diagnostics.warning_count() > 0);
            if matches!(format, Format::Human) && (!cli.quiet || failed) {
                if report.diagnostics.is_empty() {
                    eprintln!(
                        "ok: {} sources, {} items, {} citations — all verified",
                        report.sources, report.items, report.citations
                    );
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
    }
}

fn print_stages(report: &Report) {
    for (stage, took) in &report.stages {
        eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
    }
}

fn summary(report: &Report) -> String {
    let e = report.diagnostics.error_count();
    let w = report.diagnostics.warning_count();
    format!(
        "{e} error{}, {w} warning{}",
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" }
    )
}

fn print_problems(report: &Report, format: Format) {
    use std::io::Write;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    for d in report.diagnostics.sorted() {
        let written = match format {
            Format::Json => writeln!(out, "{}", d.to_json()),
            Format::Human => {
                // miette draws the snippet; the plain first line keeps `file:line:col` greppable.
                writeln!(err, "{d}").and_then(|()| match d.snippet(color) {
                    Some(s) => writeln!(err, "{s}"),
                    None => Ok(()),
                })
            }
        };
        if written.is_err() {
            // The reader went away (`brief check --format json | head`): stop quietly, with
            // the exit code the run has earned, instead of panicking on a closed pipe.
            std::process::exit(if report.ok() { 0 } else { 1 });
        }
    }
}
