//! Watching the briefing's files: which folders are watched, and which events count.
//!
//! Folders are watched, not files, because editors save by writing a new file and renaming
//! it over the old one, which ends a watch on the file itself. The root is watched without
//! recursion (for site.toml, and for content/, templates/ or static/ being created, removed
//! or renamed) and the three folders with it; a folder that appears later is picked up by
//! [`Watch::refresh`], which the builder calls before every build. Serve writes nothing (the
//! site is served from memory), so a build cannot trigger itself.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, FileIdCache, FileIdMap, RecommendedCache,
};

/// The folders of a briefing whose changes rebuild the site.
pub const WATCHED_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long the debouncer waits for a burst of events (a save, a `git checkout`) to end
/// before handing it over as one batch: long enough to join an editor's write-and-rename
/// (well under a millisecond), short enough not to be felt: it is part of every reload.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the debouncer looks for batches that are due.
const TICK: Duration = Duration::from_millis(5);

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// The watcher of a briefing; dropping it stops watching.
pub struct Watch {
    debouncer: Box<dyn Watching>,
    root: PathBuf,
    /// The watched folders, each with an identity of the folder (device and inode), so a
    /// folder removed and made again between two batches is watched again.
    folders: HashMap<PathBuf, Option<u128>>,
}

/// The two kinds of debouncers (native and polling) behind one face.
trait Watching: Send {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()>;
    fn unwatch(&mut self, path: &Path) -> notify::Result<()>;
}

impl<T: notify::Watcher + Send, C: FileIdCache + Send> Watching for Debouncer<T, C> {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        Debouncer::watch(self, path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        Debouncer::unwatch(self, path)
    }
}

/// Polling: one watcher that compares contents (everything but static/), one that does not.
struct Polling {
    static_dir: PathBuf,
    texts: Debouncer<PollWatcher, FileIdMap>,
    statics: Debouncer<PollWatcher, FileIdMap>,
}

impl Polling {
    fn pick(&mut self, path: &Path) -> &mut Debouncer<PollWatcher, FileIdMap> {
        if path == self.static_dir {
            &mut self.statics
        } else {
            &mut self.texts
        }
    }
}

impl Watching for Polling {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.pick(path).watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.pick(path).unwatch(path)
    }
}

/// Hands the debouncer's batches to the builder.
#[derive(Clone)]
struct Handler(Sender<DebounceEventResult>);

impl notify_debouncer_full::DebounceEventHandler for Handler {
    fn handle_event(&mut self, batch: DebounceEventResult) {
        // The builder is gone only when serve is stopping.
        let _ = self.0.send(batch);
    }
}

impl Watch {
    /// Starts watching the briefing in `root` (an absolute, canonical path); batches of
    /// events go to `events`. `poll` uses a polling watcher instead of the system's
    /// notifications (for network drives, containers and other places where they fail).
    pub fn start(
        root: &Path,
        poll: bool,
        events: Sender<DebounceEventResult>,
    ) -> notify::Result<Watch> {
        let handler = Handler(events);
        let debouncer: Box<dyn Watching> = if poll {
            // The polling watcher knows modification times only to the second, so a second
            // save within the same second looks like no change unless it compares contents.
            // Comparing means reading every file on every poll: fine for texts and
            // templates, too much for a static/ full of images, which is watched apart.
            let poller = |compare_contents: bool| {
                notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, FileIdMap>(
                    DEBOUNCE,
                    Some(TICK),
                    handler.clone(),
                    FileIdMap::new(),
                    notify::Config::default()
                        .with_poll_interval(POLL_INTERVAL)
                        .with_compare_contents(compare_contents),
                )
            };
            Box::new(Polling {
                static_dir: root.join("static"),
                texts: poller(true)?,
                statics: poller(false)?,
            })
        } else {
            Box::new(notify_debouncer_full::new_debouncer_opt::<
                _,
                RecommendedWatcher,
                RecommendedCache,
            >(
                DEBOUNCE,
                Some(TICK),
                handler,
                RecommendedCache::new(),
                notify::Config::default(),
            )?)
        };
        let mut watch = Watch {
            debouncer,
            root: root.to_path_buf(),
            folders: HashMap::new(),
        };
        watch.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watch.refresh()?;
        Ok(watch)
    }

    /// Watches each of content/, templates/ and static/ that exists and is not watched yet
    /// (or was replaced by a new folder of the same name), and forgets those that are gone.
    pub fn refresh(&mut self) -> notify::Result<()> {
        for name in WATCHED_FOLDERS {
            let path = self.root.join(name);
            let now = std::fs::metadata(&path)
                .ok()
                .filter(|m| m.is_dir())
                .map(|m| folder_identity(&m));
            let before = self.folders.get(&path).copied();
            match (before, now) {
                (Some(old), Some(new)) if old == new => {}
                (_, Some(new)) => {
                    if before.is_some() {
                        let _ = self.debouncer.unwatch(&path);
                    }
                    self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                    self.folders.insert(path, new);
                }
                (Some(_), None) => {
                    // The system has dropped its watch with the folder; this only tidies up.
                    let _ = self.debouncer.unwatch(&path);
                    self.folders.remove(&path);
                }
                (None, None) => {}
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn folder_identity(meta: &std::fs::Metadata) -> Option<u128> {
    use std::os::unix::fs::MetadataExt;
    Some(((meta.dev() as u128) << 64) | meta.ino() as u128)
}

#[cfg(not(unix))]
fn folder_identity(_meta: &std::fs::Metadata) -> Option<u128> {
    None
}

/// What a batch of events means for the build.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// The briefing's files that changed, relative to the root, sorted, without repeats.
    pub paths: Vec<PathBuf>,
    /// The system lost events (its queue overflowed): anything may have changed.
    pub rescan: bool,
}

impl Changed {
    /// True when the batch asks for a build.
    pub fn any(&self) -> bool {
        self.rescan || !self.paths.is_empty()
    }
}

/// Sorts the events of a batch into the files that count (see [`relevant`]).
pub fn changed(root: &Path, events: &[DebouncedEvent]) -> Changed {
    let mut out = Changed::default();
    for e in events {
        if e.need_rescan() {
            out.rescan = true;
        }
        if !counts(&e.kind) {
            continue;
        }
        for p in &e.paths {
            if let Some(rel) = relevant(root, p) {
                out.paths.push(rel);
            }
        }
    }
    out.paths.sort();
    out.paths.dedup();
    out
}

/// Whether an event kind can change what a build reads. Reading a file is no change (and
/// the build itself reads every file, so counting opens would rebuild forever).
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// The path relative to `root` when a change to `path` can change the site or its problems:
/// site.toml, brief.lock, strings.toml, or anything under content/, templates/ or static/ that is not an
/// editor's temporary or a hidden file.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut names = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) => names.push(n.to_str()?),
            _ => return None,
        }
    }
    let first = *names.first()?;
    let counted = match first {
        "site.toml" | crate::lock::FILE | crate::strings::FILE => names.len() == 1,
        _ => WATCHED_FOLDERS.contains(&first),
    };
    if !counted || names.iter().any(|n| is_editor_temp(n)) {
        return None;
    }
    Some(rel.to_path_buf())
}

/// Names that never count: hidden files and editors' temporaries (see
/// [`crate::load::is_ignored_name`], which the build itself skips), and `4913`, the file vim
/// creates and deletes at once to test that a folder is writable.
pub fn is_editor_temp(name: &str) -> bool {
    crate::load::is_ignored_name(name) || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::Event;
    use std::time::Instant;

    fn rel(p: &str) -> Option<PathBuf> {
        relevant(Path::new("/site"), Path::new(p))
    }

    #[test]
    fn only_the_briefings_files_count() {
        assert_eq!(rel("/site/site.toml"), Some("site.toml".into()));
        // `brief lock` run beside serve: its warnings go once the lock is new.
        assert_eq!(rel("/site/brief.lock"), Some("brief.lock".into()));
        // The theme's words: the site shows them.
        assert_eq!(rel("/site/strings.toml"), Some("strings.toml".into()));
        assert_eq!(
            rel("/site/content/sources/a.md"),
            Some("content/sources/a.md".into())
        );
        assert_eq!(rel("/site/templates"), Some("templates".into()));
        assert_eq!(
            rel("/site/static/img/logo.svg"),
            Some("static/img/logo.svg".into())
        );
        for p in [
            "/site/Cargo.toml",
            "/site/public/index.html",
            "/site/target/debug/brief",
            "/site/site.toml~",
            "/site/.brief.lock.a1b2c3",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(rel(p), None, "{p}");
        }
    }

    #[test]
    fn editor_temp_files_never_count() {
        for p in [
            "/site/content/sources/.a.md.swp",
            "/site/content/sources/a.md~",
            "/site/content/sources/.#a.md",
            "/site/content/annotations/people.yaml___jb_tmp___",
            "/site/content/annotations/people.yaml___jb_old___",
            "/site/content/sources/4913",
            "/site/content/.git/index",
            "/site/static/.DS_Store",
            "/site/content/#a.md#",
        ] {
            assert_eq!(rel(p), None, "{p}");
        }
    }

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn reads_do_not_count_and_renames_count_both_ends() {
        use notify::event::{CreateKind, ModifyKind, RenameMode};
        let events = [
            event(
                EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any)),
                &["/site/content/a.md"],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[
                    "/site/content/sources/old.md",
                    "/site/content/sources/new.md",
                ],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/sources/.new.md.swp"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/sources/new.md"],
            ),
        ];
        let c = changed(Path::new("/site"), &events);
        assert_eq!(
            c.paths,
            vec![
                PathBuf::from("content/sources/new.md"),
                PathBuf::from("content/sources/old.md")
            ]
        );
        assert!(!c.rescan);
        let reads_only = changed(Path::new("/site"), &events[..1]);
        assert!(!reads_only.any());
    }

    #[test]
    fn a_folder_made_later_is_watched() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watch = Watch::start(&root, false, tx).unwrap();
        assert!(watch.folders.is_empty());
        std::fs::create_dir(root.join("templates")).unwrap();
        watch.refresh().unwrap();
        assert_eq!(watch.folders.len(), 1);
        // Drain what the folder's creation caused, then a file written in it must be seen.
        std::thread::sleep(Duration::from_millis(200));
        while rx.try_recv().is_ok() {}
        std::fs::write(root.join("templates/base.html"), "x").unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = false;
        while Instant::now() < deadline && !seen {
            if let Ok(Ok(events)) = rx.recv_timeout(Duration::from_millis(100)) {
                let c = changed(&root, &events);
                seen = c.paths.contains(&PathBuf::from("templates/base.html"));
            }
        }
        assert!(seen, "the new folder's file was not seen");
        std::fs::remove_dir_all(root.join("templates")).unwrap();
        watch.refresh().unwrap();
        assert!(watch.folders.is_empty());
    }
}
