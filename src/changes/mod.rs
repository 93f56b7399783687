//! Editions: what changed since a baseline (`brief build --since`).
//!
//! The baseline is a git ref, whose briefing is read with git from the repository's history
//! into a temporary folder and loaded and resolved there ([`git`]), or the briefing.json of
//! an earlier build. Either becomes a [`Snapshot`], as this build's briefing does, and one
//! function compares two snapshots ([`Changes::between`]). render makes the `/changes/` page
//! and `changes.xml` from the result, and marks the new and changed claims on item pages.

mod diff;
mod git;
mod snapshot;

use std::path::{Path, PathBuf};

pub use diff::Changes;
pub use diff::{ClaimChange, DisputeChange, ItemRef, Mark};
pub use snapshot::{CiteSnap, ClaimSnap, ItemSnap, PositionSnap, Snapshot, SourceSnap};

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::Briefing;

/// What `--since` names: a git ref of the briefing's repository, or an earlier build's
/// briefing.json.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// A commit, branch or tag (`HEAD~1`, `v14`).
    Git(String),
    /// A briefing.json; a relative path is taken from the briefing's folder, as `--output` is.
    File(PathBuf),
}

impl Since {
    /// Reads `--since`'s value: a path ending in `.json` is a briefing.json, anything else a
    /// git ref (so a ref is never mistaken for a file that happens to exist, nor the other
    /// way round).
    pub fn parse(value: &str) -> Since {
        if value.ends_with(".json") {
            Since::File(PathBuf::from(value))
        } else {
            Since::Git(value.to_string())
        }
    }
}

/// What changed in `current` (the briefing in `root`) since `since`.
pub fn compare(
    root: &Path,
    since: &Since,
    audience: crate::audience::Audience,
    current: &Briefing,
) -> Result<Changes, Diagnostic> {
    let (old, label) = baseline(root, since, audience)?;
    Ok(Changes::between(&old, &Snapshot::of(current), label))
}

/// The baseline's snapshot and what to call it on the page.
fn baseline(
    root: &Path,
    since: &Since,
    audience: crate::audience::Audience,
) -> Result<(Snapshot, String), Diagnostic> {
    match since {
        Since::File(path) => {
            let full = root.join(path);
            let bytes = std::fs::read(&full).map_err(|e| {
                Diagnostic::error(
                    Code::SinceBaseline,
                    format!("--since {}: cannot read it: {e}", full.display()),
                )
                .help("give the briefing.json of an earlier build (a relative path is taken from the briefing's folder), or a git ref")
            })?;
            let snapshot = Snapshot::from_json(&bytes).map_err(|why| {
                Diagnostic::error(
                    Code::SinceBaseline,
                    format!("--since {}: {why}", full.display()),
                )
                .help("give the briefing.json that an earlier `brief build` wrote into its output folder")
            })?;
            // Only the file's name: the path is the analyst's own folder layout (often a
            // home folder or a CI runner's), which has no place on a published page.
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "briefing.json".to_string());
            Ok((snapshot, name))
        }
        Since::Git(reference) => {
            let folder = tempfile::Builder::new()
                .prefix("brief-since-")
                .tempdir()
                .map_err(|e| {
                    Diagnostic::error(
                        Code::SinceBaseline,
                        format!("--since {reference}: cannot make a temporary folder: {e}"),
                    )
                    .help("check that the temporary folder (TMPDIR) exists and is writable")
                })?;
            let (_, short) = git::extract(root, reference, folder.path())?;
            let mut report = crate::Report::default();
            let briefing = crate::prepare(
                folder.path(),
                None,
                crate::lock::Mode::Skip,
                audience,
                &mut crate::Caches::default(),
                &mut report,
                &mut crate::Stopwatch::new(),
                &crate::progress::Silent,
            );
            let Some(briefing) = briefing else {
                let errors = report.diagnostics.sorted();
                let first = errors
                    .iter()
                    .find(|d| d.severity == crate::diagnostics::Severity::Error)
                    .map(|d| d.message.clone())
                    .unwrap_or_default();
                return Err(Diagnostic::error(
                    Code::SinceBaseline,
                    format!(
                        "--since {reference}: the briefing at {short} does not build ({}; the first: {first})",
                        crate::plural(report.diagnostics.error_count(), "error"),
                    ),
                )
                .help("compare with a commit whose briefing built, or with the briefing.json of an earlier build"));
            };
            Ok((Snapshot::of(&briefing), format!("{reference} ({short})")))
        }
    }
}
