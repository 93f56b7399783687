//! Putting a staged site in place in one step, and clearing away what it replaced.
//!
//! On Linux the staging folder and the output folder trade places with one system call
//! (`renameat2` with `RENAME_EXCHANGE`), so at every moment the output folder is wholly the
//! old site or wholly the new one, whatever kills the process. On macOS `renamex_np` with
//! `RENAME_SWAP` does the same. Elsewhere, or on a file system that cannot exchange, the old
//! folder is renamed aside and the new one into its place: for the moment between the two
//! renames the output folder is missing (never mixed), and a build after a kill there puts
//! the last good site back.

use std::io;
use std::path::{Path, PathBuf};

use super::record;
use rayon::prelude::*;

/// Makes `staged` the output folder. Returns where the old output folder now is (to be
/// cleared away), or `None` when there was none.
pub(crate) fn put_in_place(staged: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(output).is_err() {
        std::fs::rename(staged, output)?;
        return Ok(None);
    }
    match exchange(staged, output) {
        Ok(()) => Ok(Some(staged.to_path_buf())),
        Err(e) if cannot_exchange(&e) => {
            // Two renames: the output folder is missing between them, never mixed.
            let aside = aside_name(staged);
            std::fs::rename(output, &aside)?;
            if let Err(e) = std::fs::rename(staged, output) {
                let _ = std::fs::rename(&aside, output);
                return Err(e);
            }
            Ok(Some(aside))
        }
        Err(e) => Err(e),
    }
}

/// The name the old output folder takes when it cannot be exchanged: the staging folder's,
/// as `brief-old` (which [`remove_stale`] knows too).
fn aside_name(staged: &Path) -> PathBuf {
    let name = staged.file_name().unwrap_or_default().to_string_lossy();
    staged.with_file_name(name.replace(".brief-new-", ".brief-old-"))
}

fn cannot_exchange(e: &io::Error) -> bool {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(code) if code == libc::EINVAL || code == libc::ENOSYS || code == libc::ENOTSUP)
    {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(target_os = "macos")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let done = unsafe { libc::renamex_np(a.as_ptr(), b.as_ptr(), libc::RENAME_SWAP) };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Clears away the old output folder `old`, now beside the new one at `output`, removing
/// only what brief wrote there (`owned`) and what the new folder holds as the same file
/// (the user's files, linked into the new folder, and the unchanged pages). Anything else
/// appeared while the build ran: it is moved into the new folder when its place there is
/// free, and otherwise left where it is. Returns the paths left behind.
pub(crate) fn clear_old(
    old: &Path,
    output: &Path,
    owned: &(dyn Fn(&str) -> bool + Sync),
) -> io::Result<Vec<String>> {
    let mut left = Clear { output, owned }.folder(old, "")?;
    if left.is_empty() {
        std::fs::remove_dir(old)?;
    }
    left.sort();
    Ok(left)
}

struct Clear<'a> {
    output: &'a Path,
    owned: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Clear<'_> {
    /// Clears the folder `dir` at site path `rel`; returns what it left.
    fn folder(&self, dir: &Path, rel: &str) -> io::Result<Vec<String>> {
        let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
        let left = entries
            .into_par_iter()
            .map(|entry| -> io::Result<Vec<String>> {
                let name = entry.file_name();
                let site = match rel {
                    "" => name.to_string_lossy().into_owned(),
                    _ => format!("{rel}/{}", name.to_string_lossy()),
                };
                let path = entry.path();
                if entry.file_type()?.is_dir() {
                    let left = self.folder(&path, &site)?;
                    if left.is_empty() {
                        std::fs::remove_dir(&path)?;
                    }
                    return Ok(left);
                }
                let ours = name.to_str().is_some() && (self.owned)(&site)
                    || (rel.is_empty() && name == record::RECORD)
                    || same_file(&path, &self.output.join(&site));
                if ours {
                    std::fs::remove_file(&path)?;
                    return Ok(Vec::new());
                }
                // Appeared during the build: into the new folder, if its place is free.
                let there = self.output.join(&site);
                let parent_is_folder = there
                    .parent()
                    .is_some_and(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()));
                if parent_is_folder
                    && std::fs::symlink_metadata(&there).is_err()
                    && std::fs::rename(&path, &there).is_ok()
                {
                    return Ok(Vec::new());
                }
                Ok(vec![site])
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(left.into_iter().flatten().collect())
    }
}

/// Whether `a` and `b` are the same file (one inode under two names), or symlinks to the
/// same place, without following symlinks.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) if x.file_type().is_symlink() && y.file_type().is_symlink() => {
            std::fs::read_link(a).ok() == std::fs::read_link(b).ok()
        }
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        // No stable file identity to compare: kept, never removed on a guess.
        _ => false,
    }
}

/// Removes the staging folders that killed builds left beside `output` (named
/// `.<name>.brief-new-<pid>` or `.<name>.brief-old-<pid>`, of a process that is gone).
/// A folder still marked as staging holds only what brief wrote and links to files that are
/// in the output folder; a folder with a record is an old output folder, cleared as
/// [`clear_old`] does. Returns the folders it could not clear whole.
pub(crate) fn remove_stale(parent: &Path, name: &str, output: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = stale_pid(&file_name.to_string_lossy(), name) else {
            continue;
        };
        if pid == std::process::id() || is_running(pid) {
            continue;
        }
        let dir = entry.path();
        if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        // Killed between the two renames of a folder that could not be exchanged: the
        // output folder is missing and this is the last good site.
        if std::fs::symlink_metadata(output).is_err()
            && file_name.to_string_lossy().contains(".brief-old-")
            && std::fs::rename(&dir, output).is_ok()
        {
            continue;
        }
        let staged = std::fs::symlink_metadata(dir.join(super::MARKER)).is_ok();
        let cleared = match record::read(&dir) {
            Some(listed) if !staged => {
                clear_old(&dir, output, &|p| listed.contains(p)).is_ok_and(|left| left.is_empty())
            }
            _ => std::fs::remove_dir_all(&dir).is_ok(),
        };
        if !cleared {
            kept.push(dir);
        }
    }
    kept
}

/// The process id in a staging folder's name for the output folder `name`.
fn stale_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".brief-new-")
        .or_else(|| rest.strip_prefix(".brief-old-"))?;
    pid.parse().ok()
}

/// Whether a process with this id is running (it may be another program that reused the
/// id: then the folder stays until a later build).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Without a way to ask, every process counts as running: its folders stay.
#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `brief build` reports as `write-kept`: a file that appeared in the old folder
    /// during the build, where the new site has a file of its own, is left there and named;
    /// one whose place is free moves into the new site; brief's own files are removed.
    #[test]
    fn clearing_the_old_folder_names_what_it_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let (old, output) = (dir.path().join("old"), dir.path().join("public"));
        for (folder, file, text) in [
            (&old, "index.html", "old page"),
            (&old, "notes.txt", "appeared during the build"),
            (
                &old,
                "item/index.html",
                "appeared where the new site has a page",
            ),
            (&output, "index.html", "new page"),
            (&output, "item/index.html", "new item page"),
        ] {
            let path = folder.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let left = clear_old(&old, &output, &|p| p == "index.html").unwrap();
        assert_eq!(left, ["item/index.html"]);
        assert!(!old.join("index.html").exists());
        assert_eq!(
            std::fs::read_to_string(output.join("notes.txt")).unwrap(),
            "appeared during the build"
        );
        assert_eq!(
            std::fs::read_to_string(old.join("item/index.html")).unwrap(),
            "appeared where the new site has a page"
        );
        assert_eq!(
            std::fs::read_to_string(output.join("item/index.html")).unwrap(),
            "new item page"
        );
    }
}
