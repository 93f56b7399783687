//! The source lock: `brief lock` writes brief.lock, the SHA-256 of each source's text and,
//! for each citation, the position and SHA-256 of its passage; builds and checks then say
//! what changed since ([`check`], between resolve and render).
//!
//! - [`mod@file`]: the file, its types, reading and writing it;
//! - [`mod@verify`]: a resolved briefing against a lock;
//! - [`run`]: the `brief lock` command.
//!
//! brief writes brief.lock only when `brief lock` is run, and no other file of the user's.

pub mod file;
pub mod verify;

use std::io::Write;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::Briefing;
use crate::{Report, Stopwatch};

pub use file::{FILE, Lock};

/// How a run holds the briefing to its brief.lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not at all (`brief lock`, which replaces it).
    Skip,
    /// What changed since the lock is a warning; without a lock nothing is said.
    Warn,
    /// `--locked` (for CI): what changed is an error, and so is a missing brief.lock.
    Locked,
}

impl Mode {
    /// [`Mode::Locked`] when `locked`, else [`Mode::Warn`].
    pub fn locked_if(locked: bool) -> Mode {
        if locked { Mode::Locked } else { Mode::Warn }
    }
}

/// Reads the brief.lock of the briefing in `root` and says how `b` differs from it.
pub fn check(root: &Path, b: &Briefing, mode: Mode, diags: &mut Diagnostics) {
    check_part(root, b, mode, true, diags)
}

/// [`check`] for a briefing that may be a part of the one locked (`whole` false: a public
/// build that left internal material out), where what the lock has and the briefing lacks is
/// not reported: it may be what was left out. `brief lock` locks the whole briefing.
pub fn check_part(root: &Path, b: &Briefing, mode: Mode, whole: bool, diags: &mut Diagnostics) {
    if mode == Mode::Skip {
        return;
    }
    match file::read(root) {
        Ok(Some(lock)) => verify::verify(b, &lock, mode, whole, diags),
        Ok(None) if mode == Mode::Locked => diags.push(
            Diagnostic::error(
                Code::LockMissing,
                "there is no brief.lock, which --locked holds the briefing to",
            )
            .help("run `brief lock` and commit brief.lock with the briefing"),
        ),
        Ok(None) => {}
        Err(d) => diags.push(d),
    }
}

/// What `brief lock` did.
#[derive(Debug)]
pub struct Locked {
    pub sources: usize,
    /// The citations of passages locked (whole-source citations have no passage).
    pub citations: usize,
    /// False when brief.lock already said the same and was left as it was.
    pub written: bool,
}

/// `brief lock`: checks the briefing in `root` as `brief check` does, and when it has no
/// error writes its brief.lock (a new file put in place in one step, so a reader never sees
/// half of it). Returns the run's problems, and what was locked unless there were errors.
pub fn run(root: &Path) -> (Report, Option<Locked>) {
    let start = std::time::Instant::now();
    let mut report = Report::default();
    let mut t = Stopwatch::new();
    let silent = &crate::progress::Silent;
    let Some(b) = crate::prepare(
        root,
        None,
        Mode::Skip,
        // The lock holds every source and citation, internal ones too.
        crate::audience::Audience::Internal,
        &mut crate::Caches::default(),
        &mut report,
        &mut t,
        silent,
    ) else {
        return (report, None);
    };
    crate::render_part(
        root,
        &b,
        crate::output::Part::All,
        &crate::write::Discard,
        crate::links::LinkIndex::new(),
        &mut crate::render::Cache::default(),
        &mut report,
        &mut t,
        silent,
    );
    report.elapsed = start.elapsed();
    if !report.ok() {
        return (report, None);
    }
    let lock = Lock::of(&b);
    let text = lock.to_file_text();
    let path = root.join(FILE);
    let written = match std::fs::read(&path) {
        Ok(old) if old == text.as_bytes() => false,
        _ => {
            match write_in_place(root, &text) {
                Ok(()) => true,
                Err(e) => {
                    report.diagnostics.push(
                    Diagnostic::error(Code::Write, format!("cannot write {FILE}: {e}"))
                        .at(Location::file(Path::new(FILE)))
                        .help("check that the briefing's folder is writable; brief.lock is as it was"),
                );
                    return (report, None);
                }
            }
        }
    };
    let locked = Locked {
        sources: lock.sources.len(),
        citations: lock.citation_count(),
        written,
    };
    (report, Some(locked))
}

/// Writes `text` to a new file beside brief.lock and renames it over brief.lock.
fn write_in_place(root: &Path, text: &str) -> std::io::Result<()> {
    let mut new = tempfile::Builder::new()
        .prefix(".brief.lock.")
        .tempfile_in(root)?;
    new.write_all(text.as_bytes())?;
    new.as_file().sync_all()?;
    // A temporary file is made readable by its owner only; a lock is a file of the
    // briefing, committed and read by everyone, as the file it replaces was.
    let path = root.join(FILE);
    let permissions = match std::fs::metadata(&path) {
        Ok(m) => m.permissions(),
        Err(_) => readable_by_all(new.as_file().metadata()?.permissions()),
    };
    std::fs::set_permissions(new.path(), permissions)?;
    new.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn readable_by_all(_: std::fs::Permissions) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn readable_by_all(p: std::fs::Permissions) -> std::fs::Permissions {
    p
}
