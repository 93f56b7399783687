//! Ctrl-C and `kill`: a build stopped by SIGINT, SIGTERM or SIGHUP removes its staging
//! folder before it exits, and one stopped while it puts the new site in place finishes that
//! first (it takes a moment), so the output folder is never left half-done. SIGKILL cannot
//! be caught: what it leaves is cleared by the next build (see `swap::remove_stale`).

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The staging folders of the builds under way. Held while a site is put in place, so that a
/// signal waits for that to finish.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a signal came: new files are refused, so the folders can be removed for good.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Makes SIGINT, SIGTERM and SIGHUP remove the staging folders of the builds under way, then
/// exit with 128 + the signal's number, as a shell reports a killed command. Called once by
/// the `brief` binary for the commands that build into a folder.
///
/// Elsewhere than on Unix it does nothing: a stopped build's staging folder stays.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    watch_signals();
}

#[cfg(unix)]
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            STOPPING.store(true, Ordering::SeqCst);
            let staging = lock();
            for dir in staging.iter() {
                // The build's threads may still be adding files: try until the folder is gone.
                for _ in 0..50 {
                    if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
            std::process::exit(128 + signal);
        }
    });
}

/// True once a signal asked the process to stop.
pub(crate) fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

/// Notes a staging folder to remove on a signal.
pub(crate) fn register(dir: PathBuf) {
    lock().push(dir);
}

/// Forgets a staging folder (removed, or put in place).
pub(crate) fn forget(dir: &std::path::Path) {
    lock().retain(|d| d != dir);
}

/// Holds off the signal's clean-up while the returned guard lives.
pub(crate) fn hold() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    lock()
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(|e| e.into_inner())
}
