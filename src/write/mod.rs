//! Writing: putting a built site in place, all or nothing, and never touching what brief did
//! not write.
//!
//! Nothing is written into the output folder while the site is rendered. The new site is
//! made in a staging folder beside it (`.public.brief-new-<pid>`): each file whose bytes the
//! output folder already holds is linked there (a hard link: the same file, with its inode
//! and modification time, so rsync, caches and watchers see only what really changed), the
//! others are written. Only when the whole build succeeded does [`Staging::commit`]:
//!
//! 1. walk the output folder and link into the staging folder everything brief did not
//!    write — a `.git`, a README, files put there by hand — so they stay exactly as they
//!    are (brief's own files are those its last build listed in `.brief-files`; see
//!    [`record`]). A file of the user's where the new site has a file of its own is an
//!    error, and nothing is changed;
//! 2. exchange the staging folder and the output folder in one step (see [`swap`]): at every
//!    moment the output folder is wholly the old site or wholly the new one;
//! 3. clear away the old folder: brief's files and the links to what was kept.
//!
//! A build whose files are all unchanged changes nothing at all. A failed build, a full disk,
//! Ctrl-C or `kill` (see [`interrupt`]) leave the output folder as it was; a staging folder
//! that a SIGKILL left is removed by the next build.
//!
//! A symbolic link in the output folder never leads a write outside it: files are written
//! only into the staging folder, and a file counts as unchanged only when it is reached
//! through real folders. A symlink the user put in the output folder is kept as a link. An
//! output folder that is itself a symlink is written through: the folder it points to is
//! the one exchanged, and the link stays.

pub mod interrupt;
pub mod output;
pub(crate) mod record;
mod swap;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::output::{Contents, OutFile, Sink};
use record::{Owned, parents};

/// The file that marks a staging folder as one: all it holds is brief's, so a killed build's
/// staging folder can be removed whole.
const MARKER: &str = ".brief-staging";

/// Why a commit changed nothing.
#[derive(Debug)]
pub enum CommitError {
    /// The output folder holds files brief did not write where the new site has files of its
    /// own (site paths, sorted).
    Foreign(Vec<String>),
    /// Reading or writing failed.
    Io(io::Error),
}

impl From<io::Error> for CommitError {
    fn from(e: io::Error) -> CommitError {
        CommitError::Io(e)
    }
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommitError::Foreign(paths) => {
                write!(f, "brief did not write ")?;
                let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
                write!(f, "{}", shown.join(", "))?;
                if paths.len() > shown.len() {
                    write!(f, " and {} more", paths.len() - shown.len())?;
                }
                write!(f, ", which the site would replace")
            }
            CommitError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The files of a build on their way to the output folder, staged beside it; see the module
/// documentation. Dropped without a commit, it removes the staging folder and leaves the
/// output folder as it was.
pub struct Staging {
    /// The output folder, symlinks resolved.
    output: PathBuf,
    /// The staging folder beside it.
    dir: PathBuf,
    /// The output folder as the build found it, when it held anything.
    old: Option<OldOutput>,
    /// Files in the new site.
    files: AtomicUsize,
    /// Files written anew (the others are linked from the output folder).
    written: AtomicUsize,
    /// The site path of every file of the new site.
    produced: Mutex<Vec<String>>,
    /// Files whose bytes the output folder holds already: linked at the commit, when it puts
    /// a new site in place (a build that changes nothing links nothing).
    unchanged: Mutex<FxHashSet<String>>,
    /// Site paths where the output folder holds a different file that brief did not write.
    foreign: Mutex<Vec<String>>,
    /// Folders made in the staging folder so far (site paths).
    made: Mutex<FxHashSet<String>>,
    /// The staging folder became the output folder, or is gone.
    finished: bool,
}

/// What a commit did to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files in the built site.
    pub files: usize,
    /// Files written because they were new or their bytes changed; the others were not touched.
    pub changed: usize,
    /// Files of the last build removed because the new site does not have them.
    pub removed: usize,
    /// What is left of the old output folder, and why: files that appeared in the output
    /// folder while the build ran and could not be moved into the new one, or the error that
    /// stopped its clearing (the new site is in place either way).
    pub left_in: Option<(PathBuf, Vec<String>)>,
}

/// The output folder as a build found it.
struct OldOutput {
    owned: Owned,
    /// Folders of the output folder (site paths) looked at so far, and whether each is a real
    /// folder. Nearly every page has a folder of its own, but they share their parents.
    folders: Mutex<FxHashMap<String, bool>>,
}

impl Staging {
    /// Creates an empty staging folder beside `output`, removing those killed builds left.
    /// `output` must be a folder or not exist (see [`crate::output`]); a symlink to a folder
    /// is followed.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = match std::fs::canonicalize(output) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => output.to_path_buf(),
            Err(e) => return Err(e),
        };
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        swap::remove_stale(&parent, &name, &output);
        let dir = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir)?;
        interrupt::register(dir.clone());
        std::fs::write(dir.join(MARKER), "")?;
        let old = match std::fs::symlink_metadata(&output) {
            Ok(m) if m.is_dir() && std::fs::read_dir(&output)?.next().is_some() => {
                Some(OldOutput {
                    owned: Owned::of(&output),
                    folders: Mutex::default(),
                })
            }
            _ => None,
        };
        Ok(Staging {
            output,
            dir,
            old,
            files: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            produced: Mutex::default(),
            unchanged: Mutex::default(),
            foreign: Mutex::default(),
            made: Mutex::default(),
            finished: false,
        })
    }

    /// The number of files in the site so far, whether written or left as they were.
    pub fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Puts the new site in place of the output folder. Call it only when the whole build
    /// succeeded. On an error the output folder is as it was.
    pub fn commit(mut self) -> Result<Written, CommitError> {
        let produced: FxHashSet<String> = lock(&self.produced).drain(..).collect();
        let old = self.old.take();
        let had_old = old.is_some();
        let owned = old.map_or(Owned::Nothing, |o| o.owned);
        let mut foreign = std::mem::take(&mut *lock(&self.foreign));
        let mut kept = Kept::default();
        if had_old {
            let walk = Keep {
                staging: &self,
                produced: &produced,
                folders: &produced.iter().flat_map(|p| parents(p)).collect(),
                owned: &owned,
                owned_folders: &owned.folders(&produced),
            };
            kept = walk.folder(&self.output, "")?;
            foreign.append(&mut kept.foreign);
        }
        if !foreign.is_empty() {
            foreign.sort();
            foreign.dedup();
            return Err(CommitError::Foreign(foreign));
        }
        let files = self.count();
        let changed = self.written.load(Ordering::Relaxed);
        let same_files = matches!(&owned, Owned::Listed(listed) if *listed == produced);
        if changed == 0 && kept.removed == 0 && same_files {
            // Nothing to do: the output folder stays as it is, to the inode.
            return Ok(Written {
                files,
                changed,
                removed: 0,
                left_in: None,
            });
        }
        self.link_unchanged()?;
        record::write(&self.dir, produced.iter().map(String::as_str))?;
        // From here a signal waits until the old folder is cleared away.
        let mut staging = interrupt::hold();
        std::fs::remove_file(self.dir.join(MARKER))?;
        let old_at = swap::put_in_place(&self.dir, &self.output)?;
        staging.retain(|d| d != &self.dir);
        self.finished = true;
        let mut left_in = None;
        if let Some(old_at) = old_at {
            // The new site is in place: a failure from here on is told, not an error of the
            // build, whose output is whole.
            match swap::clear_old(&old_at, &self.output, &|p| owned.owns(p, &produced)) {
                Ok(left) if left.is_empty() => {}
                Ok(left) => left_in = Some((old_at, left)),
                Err(e) => left_in = Some((old_at, vec![format!("(not cleared: {e})")])),
            }
        }
        drop(staging);
        Ok(Written {
            files,
            changed,
            removed: kept.removed,
            left_in,
        })
    }

    /// Links into the staging folder the files found unchanged in the output folder.
    fn link_unchanged(&self) -> io::Result<()> {
        let unchanged = std::mem::take(&mut *lock(&self.unchanged));
        // Their folders first, outermost first, so that the links need no lock.
        let mut folders: Vec<&str> = unchanged.iter().flat_map(|p| parents(p)).collect();
        folders.sort_unstable();
        folders.dedup();
        let made = lock(&self.made);
        for folder in folders.into_iter().filter(|f| !made.contains(*f)) {
            match std::fs::create_dir(self.dir.join(folder)) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
        }
        drop(made);
        unchanged.par_iter().try_for_each(|path| {
            let staged = self.inside(path)?;
            match link_or_copy(&self.output.join(path), &staged) {
                // The path was put twice, and written the other time: that one stays.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
                done => done,
            }
        })
    }

    /// The path `path` has in the staging folder, with the folders on the way made.
    fn make_parents(&self, path: &str) -> io::Result<PathBuf> {
        let staged = self.inside(path)?;
        for folder in parents(path) {
            if lock(&self.made).contains(folder) {
                continue;
            }
            match std::fs::create_dir(self.dir.join(folder)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            lock(&self.made).insert(folder.to_owned());
        }
        Ok(staged)
    }

    /// The path `path` would have in the staging tree; an error for a path that would leave
    /// the output folder, and once a signal asked the build to stop.
    fn inside(&self, path: &str) -> io::Result<PathBuf> {
        if interrupt::stopping() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the build was stopped",
            ));
        }
        safe_join(&self.dir, path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {path}"),
            )
        })
    }

    /// Counts a file of the new site: written anew, or found unchanged.
    fn produced(&self, path: String, written: bool) {
        if written {
            self.written.fetch_add(1, Ordering::Relaxed);
        } else {
            lock(&self.unchanged).insert(path.clone());
        }
        lock(&self.produced).push(path);
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    /// What the output folder holds at `path` compared with `file`, and whether a
    /// different file there is one brief may replace.
    fn compare(&self, file: &OutFile) -> Found {
        let Some(old) = &self.old else {
            return Found::Nothing;
        };
        match old.existing(&self.output, &file.path) {
            None => Found::Nothing,
            Some((_, len)) if old.unchanged(&self.output, file, len) => Found::Same,
            Some(_) => Found::Different,
        }
    }

    /// Records that the output folder holds a file brief did not write at `path`, unless it
    /// is brief's.
    fn check_replaceable(&self, path: &str) {
        let Some(old) = &self.old else { return };
        let mine = match &old.owned {
            Owned::Listed(listed) => listed.contains(path),
            Owned::Adopted => true,
            Owned::Nothing => false,
        };
        if !mine {
            lock(&self.foreign).push(path.to_owned());
        }
    }
}

/// What the output folder holds at a file's path.
enum Found {
    Nothing,
    Same,
    Different,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
            interrupt::forget(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn put(&self, file: OutFile) -> io::Result<()> {
        self.inside(&file.path)?;
        match self.compare(&file) {
            Found::Same => {
                self.produced(file.path, false);
                return Ok(());
            }
            Found::Different => self.check_replaceable(&file.path),
            Found::Nothing => {}
        }
        let staged = self.make_parents(&file.path)?;
        match &file.contents {
            Contents::Bytes(b) => std::fs::write(&staged, b)?,
            Contents::Copy(src) => {
                std::fs::copy(src, &staged)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", src.display())))?;
            }
        }
        self.produced(file.path, true);
        Ok(())
    }

    /// Compares the pieces with the file already at `path` as they come, writing nothing
    /// while they match; at the first difference the matching start is copied from the old
    /// file into the staged one and the rest written after it.
    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn std::io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        self.inside(path)?;
        let old = self.old.as_ref().and_then(|o| {
            let (old, len) = o.existing(&self.output, path)?;
            Some(Old {
                file: File::open(old).ok()?,
                len,
                matched: 0,
                buf: Vec::new(),
            })
        });
        let had_old = old.is_some();
        let mut out = std::io::BufWriter::with_capacity(
            CHUNK * 4,
            Pieces {
                staging: self,
                path,
                old,
                new: None,
            },
        );
        make(&mut out)?;
        let mut pieces = out.into_inner().map_err(|e| e.into_error())?;
        if let Some(old) = &mut pieces.old {
            // Every piece matched: unchanged if the old file ends there too.
            if old.matched == old.len && fill(&mut old.file, &mut [0])? == 0 {
                self.produced(path.to_string(), false);
                return Ok(());
            }
            pieces.diverge()?;
        }
        if pieces.new.is_none() {
            // Nothing was written and there was no old file: an empty file.
            pieces.diverge()?;
        }
        if had_old {
            self.check_replaceable(path);
        }
        self.produced(path.to_string(), true);
        Ok(())
    }
}

/// A file made in pieces on its way to the staging folder (see [`Staging::put_pieces`]).
struct Pieces<'a> {
    staging: &'a Staging,
    path: &'a str,
    /// The output folder's file at the path, while every piece so far matched it.
    old: Option<Old>,
    /// The staged file, once the pieces differ from the old file (or there is none).
    new: Option<File>,
}

struct Old {
    file: File,
    len: u64,
    /// How many bytes matched so far.
    matched: u64,
    buf: Vec<u8>,
}

impl Pieces<'_> {
    /// Starts the staged file with the part of the old one that matched.
    fn diverge(&mut self) -> io::Result<()> {
        let staged = self.staging.make_parents(self.path)?;
        let mut new = File::create(staged)?;
        if let Some(mut old) = self.old.take() {
            use std::io::{Seek, SeekFrom};
            old.file.seek(SeekFrom::Start(0))?;
            let copied = std::io::copy(&mut (&mut old.file).take(old.matched), &mut new)?;
            if copied != old.matched {
                return Err(io::Error::other(format!(
                    "{} changed while it was compared",
                    self.path
                )));
            }
        }
        self.new = Some(new);
        Ok(())
    }
}

impl std::io::Write for Pieces<'_> {
    fn write(&mut self, piece: &[u8]) -> io::Result<usize> {
        // How much of the piece matched the old file (and so is copied from it).
        let mut at = 0;
        if let Some(old) = &mut self.old {
            let mut same = old.matched + piece.len() as u64 <= old.len;
            while same && at < piece.len() {
                let want = &piece[at..piece.len().min(at + CHUNK)];
                old.buf.resize(want.len(), 0);
                same = fill(&mut old.file, &mut old.buf)? == want.len() && old.buf == want;
                if same {
                    old.matched += want.len() as u64;
                    at += want.len();
                }
            }
            if same {
                return Ok(piece.len());
            }
        }
        if self.new.is_none() {
            self.diverge()?;
        }
        let new = self.new.as_mut().expect("staged");
        new.write_all(&piece[at..])?;
        Ok(piece.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.new {
            Some(new) => new.flush(),
            None => Ok(()),
        }
    }
}

impl OldOutput {
    /// True when `output` holds `file`'s bytes at its path (`len` bytes long).
    /// Anything unreadable counts as changed: writing it anew is safe.
    fn unchanged(&self, output: &Path, file: &OutFile, len: u64) -> bool {
        let Some(path) = safe_join(output, &file.path) else {
            return false;
        };
        // The sizes first: most changed files differ in length, and then nothing is read.
        match &file.contents {
            Contents::Bytes(b) => len == b.len() as u64 && holds(&path, b).unwrap_or(false),
            Contents::Copy(src) => {
                std::fs::metadata(src).is_ok_and(|m| m.len() == len)
                    && same_bytes(src, &path, len).unwrap_or(false)
            }
        }
    }

    /// The path and length of the file at site path `site` in `output`, if there is one: a
    /// regular file reached through real folders.
    fn existing(&self, output: &Path, site: &str) -> Option<(PathBuf, u64)> {
        if !parents(site).all(|f| self.real_folder(output, f)) {
            return None;
        }
        let path = safe_join(output, site)?;
        let meta = std::fs::symlink_metadata(&path).ok()?;
        meta.file_type().is_file().then_some((path, meta.len()))
    }

    /// Whether the site path `folder` is a real folder (not a symlink) in `output`.
    fn real_folder(&self, output: &Path, folder: &str) -> bool {
        if let Some(&real) = lock(&self.folders).get(folder) {
            return real;
        }
        let real = std::fs::symlink_metadata(output.join(folder)).is_ok_and(|m| m.is_dir());
        lock(&self.folders).insert(folder.to_owned(), real);
        real
    }
}

/// The walk of the output folder at commit: links into the staging folder what brief did not
/// write, counts brief's files that go, and finds the user's files in the new site's way.
struct Keep<'a> {
    staging: &'a Staging,
    /// The new site's files, and the folders on the way to them.
    produced: &'a FxHashSet<String>,
    folders: &'a FxHashSet<&'a str>,
    /// brief's files in the output folder, and the folders on the way to them.
    owned: &'a Owned,
    owned_folders: &'a FxHashSet<String>,
}

/// What [`Keep::folder`] found.
#[derive(Default)]
struct Kept {
    /// brief's files the new site does not have.
    removed: usize,
    /// The user's entries where the new site has its own (site paths).
    foreign: Vec<String>,
    /// Whether anything of the user's was found (and linked) below.
    any: bool,
}

impl Kept {
    fn merge(mut self, mut other: Kept) -> Kept {
        self.removed += other.removed;
        self.foreign.append(&mut other.foreign);
        self.any |= other.any;
        self
    }
}

impl Keep<'_> {
    /// Walks the folder `dir` of the output folder, at site path `rel` ("" for the output
    /// folder itself). Folders are walked in parallel: a large site has a folder per page.
    fn folder(&self, dir: &Path, rel: &str) -> io::Result<Kept> {
        let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
        entries
            .into_par_iter()
            .map(|entry| self.entry(&entry, rel))
            .try_reduce(Kept::default, |a, b| Ok(a.merge(b)))
    }

    fn entry(&self, entry: &std::fs::DirEntry, rel: &str) -> io::Result<Kept> {
        let mut kept = Kept::default();
        let name = entry.file_name();
        // From the directory listing, without following a symlink.
        let kind = entry.file_type()?;
        let Some(name) = name.to_str() else {
            // Not a name brief ever writes: the user's.
            self.keep(entry, &kind, rel, &name.to_string_lossy())?;
            kept.any = true;
            return Ok(kept);
        };
        let site = match rel {
            "" => name.to_owned(),
            _ => format!("{rel}/{name}"),
        };
        if rel.is_empty() && (name == record::RECORD || name == MARKER) {
            return Ok(kept);
        }
        let owned = kind.is_file() && self.owned.owns(&site, self.produced);
        if self.produced.contains(&site) {
            // The new site has a file here: a file was compared when it was put, anything
            // else must be brief's (a folder of brief's files) to be replaced.
            if kind.is_dir() {
                if self.holds_the_users(&entry.path(), &site)? {
                    kept.foreign.push(site);
                }
            } else if !kind.is_file() {
                kept.foreign.push(site);
            }
        } else if self.folders.contains(site.as_str()) {
            // The new site has a folder here.
            if kind.is_dir() {
                return self.folder(&entry.path(), &site);
            } else if owned {
                kept.removed += 1;
            } else {
                kept.foreign.push(site);
            }
        } else if kind.is_dir() {
            let below = self.folder(&entry.path(), &site)?;
            if !below.any && !self.owned_folders.contains(&site) {
                // An empty folder of the user's.
                self.keep(entry, &kind, rel, name)?;
                kept.any = true;
            }
            kept = kept.merge(below);
        } else if owned {
            kept.removed += 1;
        } else {
            self.keep(entry, &kind, rel, name)?;
            kept.any = true;
        }
        Ok(kept)
    }

    /// Whether the folder `dir` (at site path `rel`) holds anything brief did not write.
    fn holds_the_users(&self, dir: &Path, rel: &str) -> io::Result<bool> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                return Ok(true);
            };
            let site = format!("{rel}/{name}");
            let users = if kind.is_dir() {
                self.holds_the_users(&entry.path(), &site)?
            } else {
                !(kind.is_file() && self.owned.owns(&site, self.produced))
            };
            if users {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Puts the user's `entry` into the staging folder as it is: a file linked (the same
    /// file), a symlink copied as a link, a folder made (its contents are walked).
    fn keep(
        &self,
        entry: &std::fs::DirEntry,
        kind: &std::fs::FileType,
        rel: &str,
        name: &str,
    ) -> io::Result<()> {
        // `rel` is made of names read from the folder: it cannot leave it.
        let mut to = self.staging.dir.join(rel);
        std::fs::create_dir_all(&to)?;
        to.push(entry.file_name());
        let from = entry.path();
        if kind.is_dir() {
            match std::fs::create_dir(&to) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
            std::fs::set_permissions(&to, std::fs::symlink_metadata(&from)?.permissions())?;
            let site = if rel.is_empty() {
                name.to_owned()
            } else {
                format!("{rel}/{name}")
            };
            lock(&self.staging.made).insert(site);
            Ok(())
        } else if kind.is_symlink() {
            copy_link(&from, &to)
        } else {
            link_or_copy(&from, &to)
        }
    }
}

/// Makes `to` a symbolic link to where the link `from` points.
fn copy_link(from: &Path, to: &Path) -> io::Result<()> {
    let target = std::fs::read_link(from)?;
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, to);
    #[cfg(windows)]
    return match std::fs::metadata(from).is_ok_and(|m| m.is_dir()) {
        true => std::os::windows::fs::symlink_dir(target, to),
        false => std::os::windows::fs::symlink_file(target, to),
    };
    #[cfg(not(any(unix, windows)))]
    return Err(io::ErrorKind::Unsupported.into());
}

/// Makes `to` the same file as `from` (a hard link), or a copy where links cannot be made.
fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => std::fs::copy(from, to).map(|_| ()),
    }
}

/// How much of a file is read at a time to compare it: some files of a large site (the search
/// index, briefing.json, the print page) run to tens of megabytes, and reading them whole would
/// add as much to the build's peak memory.
const CHUNK: usize = 64 * 1024;

/// Whether the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut f = File::open(path)?;
    let mut buf = vec![0; bytes.len().clamp(1, CHUNK)];
    for want in bytes.chunks(buf.len()) {
        let n = fill(&mut f, &mut buf[..want.len()])?;
        if buf[..n] != *want {
            return Ok(false);
        }
    }
    // And no more: it may have grown since its length was read.
    Ok(fill(&mut f, &mut buf[..1])? == 0)
}

/// Whether the files `a` and `b`, both `len` bytes long, hold the same bytes.
fn same_bytes(a: &Path, b: &Path, len: u64) -> io::Result<bool> {
    let chunk = len.clamp(1, CHUNK as u64) as usize;
    let (mut a, mut b) = (File::open(a)?, File::open(b)?);
    let (mut x, mut y) = (vec![0; chunk], vec![0; chunk]);
    loop {
        let n = fill(&mut a, &mut x)?;
        if n != fill(&mut b, &mut y)? || x[..n] != y[..n] {
            return Ok(false);
        }
        if n < chunk {
            return Ok(true);
        }
    }
}

/// Reads into `buf` until it is full or the file ends; how many bytes were read.
fn fill(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps the files in memory (for `brief serve`, which compares them with what it serves).
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutFile>>,
}

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        if safe_join(Path::new("."), &file.path).is_none() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing a path outside the site: {}", file.path),
            ));
        }
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(())
    }
}

/// Drops every file (for `brief check`, which only verifies).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// Joins a site path to the output folder, refusing anything that would leave it: an
/// absolute path, an empty, `.` or `..` segment, and on Windows a `\\` or `:` (a folder's
/// end, a drive). On Unix both are plain characters of a file name (`static/a:b.txt`).
pub(crate) fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for seg in rel.split('/') {
        let windows_escape = cfg!(windows) && seg.contains(['\\', ':']);
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\0') || windows_escape {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;

    /// Writes `files` as the new contents of `output`, all or nothing.
    fn write_site(output: &Path, files: &[OutFile]) -> std::io::Result<Written> {
        let staging = Staging::new(output)?;
        for f in files {
            staging.put(f.clone())?;
        }
        staging.commit().map_err(|e| match e {
            CommitError::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        })
    }

    fn file(path: &str, s: &str) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
    }

    fn copy(path: &str, src: &Path) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Copy(src.to_path_buf()),
        }
    }

    /// Everything under `dir`, without following symlinks: what each path is, its bytes or
    /// link target, inode and modification time.
    fn snapshot(dir: &Path) -> BTreeMap<String, (String, u64, i64, i64)> {
        fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, (String, u64, i64, i64)>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                let site = format!("{rel}{}", e.file_name().to_string_lossy());
                let m = std::fs::symlink_metadata(e.path()).unwrap();
                let what = if m.file_type().is_symlink() {
                    format!("link {}", std::fs::read_link(e.path()).unwrap().display())
                } else if m.is_dir() {
                    walk(&e.path(), &format!("{site}/"), out);
                    "folder".into()
                } else {
                    format!("file {}", std::fs::read_to_string(e.path()).unwrap())
                };
                out.insert(site, (what, m.ino(), m.mtime(), m.mtime_nsec()));
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, "", &mut out);
        out
    }

    /// The files under `dir` with their contents; folders end with `/`.
    fn tree(dir: &Path) -> Vec<String> {
        snapshot(dir)
            .into_iter()
            .filter(|(path, _)| path != record::RECORD)
            .map(|(path, (what, ..))| match what.strip_prefix("file ") {
                Some(text) => format!("{path}={text}"),
                None if what == "folder" => format!("{path}/"),
                None => format!("{path} {what}"),
            })
            .collect()
    }

    fn ino(path: &Path) -> (u64, i64, i64) {
        let m = std::fs::symlink_metadata(path).unwrap();
        (m.ino(), m.mtime(), m.mtime_nsec())
    }

    /// Nothing but the output folder beside it: no staging folder left behind.
    fn assert_alone(dir: &Path) {
        let names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
        assert_alone(dir.path());
    }

    #[test]
    fn a_new_output_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let w = write_site(&out, &[file("index.html", "i"), file("a/b/c.html", "c")]).unwrap();
        assert_eq!(
            w,
            Written {
                files: 2,
                changed: 2,
                removed: 0,
                left_in: None
            }
        );
        assert_eq!(tree(&out), ["a/", "a/b/", "a/b/c.html=c", "index.html=i"]);
        // An empty output folder too.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        write_site(&empty, &[file("index.html", "i")]).unwrap();
        assert_eq!(tree(&empty), ["index.html=i"]);
    }

    #[test]
    fn an_unchanged_file_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "same"), file("a/index.html", "same a")];
        write_site(&out, &site).unwrap();
        let before = snapshot(&out);
        // Long enough apart that a rewrite would show in the modification time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let w = write_site(&out, &site).unwrap();
        assert_eq!(
            w,
            Written {
                files: 2,
                changed: 0,
                removed: 0,
                left_in: None
            }
        );
        assert_eq!(snapshot(&out), before);
        assert_alone(dir.path());
    }

    #[test]
    fn only_what_changed_is_written_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file("index.html", "home"),
                file("a/index.html", "a"),
                file("a/old.html", "old"),
                file("a/gone/x/y.html", "y"),
                file("b/index.html", "b"),
                file("stale/deep/er/x.html", "x"),
                file("c/index.html", "same length"),
            ],
        )
        .unwrap();
        let home = ino(&out.join("index.html"));
        let a = ino(&out.join("a/index.html"));
        let w = write_site(
            &out,
            &[
                file("index.html", "home"),
                file("a/index.html", "a"),
                file("b/index.html", "b, changed"),
                file("c/index.html", "same LENGTH"),
                file("new/deep/index.html", "new"),
                file("a/new.html", "new a"),
            ],
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                "a/",
                "a/index.html=a",
                "a/new.html=new a",
                "b/",
                "b/index.html=b, changed",
                "c/",
                "c/index.html=same LENGTH",
                "index.html=home",
                "new/",
                "new/deep/",
                "new/deep/index.html=new",
            ]
        );
        assert_eq!(ino(&out.join("index.html")), home);
        assert_eq!(ino(&out.join("a/index.html")), a);
        // a/old.html, a/gone/x/y.html and stale/deep/er/x.html.
        assert_eq!(
            w,
            Written {
                files: 6,
                changed: 4,
                removed: 3,
                left_in: None
            }
        );
        assert_alone(dir.path());
    }

    #[test]
    fn a_dropped_staging_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "good")]).unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.put(file("index.html", "half")).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_build_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file("index.html", "good"),
                file("a/index.html", "a"),
                file("stale/x.html", "x"),
                file("kept.html", "kept"),
            ],
        )
        .unwrap();
        let before = snapshot(&out);
        {
            let s = Staging::new(&out).unwrap();
            for f in [
                file("index.html", "changed"),
                file("a", "a file where a folder was"),
                file("kept.html", "kept"),
                file("new/index.html", "new"),
            ] {
                s.put(f).unwrap();
            }
            // Dropped: the build failed.
        }
        assert_eq!(snapshot(&out), before);
        assert_alone(dir.path());
    }

    #[test]
    fn never_writes_through_a_symlink_and_keeps_the_users_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "home")]).unwrap();
        std::fs::write(outside.path().join("b.html"), "b").unwrap();
        std::fs::create_dir(outside.path().join("keep")).unwrap();
        std::fs::write(outside.path().join("keep/x"), "x").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, out.join(name)).unwrap();
        };
        link(outside.path(), "a");
        link(&outside.path().join("b.html"), "b.html");
        link(&outside.path().join("keep"), "mine");
        link(Path::new("/nonexistent/brief"), "dangling");
        let outside_before = snapshot(outside.path());
        let before = snapshot(&out);
        // Links of the user's where the site has a folder and a file: an error, nothing changed.
        for site in [
            vec![file("index.html", "home"), file("a/index.html", "a")],
            vec![file("index.html", "home"), file("b.html", "b")],
        ] {
            let refused = write_site_err(&out, &site);
            assert!(
                matches!(refused, Err(CommitError::Foreign(_))),
                "{refused:?}"
            );
            assert_eq!(snapshot(&out), before);
        }
        // Elsewhere they stay links, and what they point to is never touched.
        write_site(
            &out,
            &[file("index.html", "new"), file("c/index.html", "c")],
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                format!("a link {}", outside.path().display()),
                format!("b.html link {}", outside.path().join("b.html").display()),
                "c/".into(),
                "c/index.html=c".into(),
                "dangling link /nonexistent/brief".into(),
                "index.html=new".into(),
                format!("mine link {}", outside.path().join("keep").display()),
            ]
        );
        assert_eq!(snapshot(outside.path()), outside_before);
        assert_alone(dir.path());
    }

    /// Like `write_site`, keeping the commit's own error.
    fn write_site_err(output: &Path, files: &[OutFile]) -> Result<Written, CommitError> {
        let staging = Staging::new(output).map_err(CommitError::Io)?;
        for f in files {
            staging.put(f.clone()).map_err(CommitError::Io)?;
        }
        staging.commit()
    }

    #[test]
    fn keeps_everything_brief_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A clone of a Pages repository: only the user's files, and no record.
        std::fs::create_dir_all(out.join(".git/objects/ab")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        std::fs::write(out.join(".git/objects/ab/cdef"), "object").unwrap();
        std::fs::create_dir_all(out.join("empty")).unwrap();
        std::fs::write(out.join("README.md"), "my notes").unwrap();
        let users = snapshot(&out);
        write_site(
            &out,
            &[file("index.html", "one"), file("people/x/index.html", "x")],
        )
        .unwrap();
        // The user's files are the same files (inode and time), in a folder that is not.
        let now = snapshot(&out);
        for (path, what) in &users {
            if what.0 != "folder" {
                assert_eq!(now.get(path), Some(what), "{path}");
            }
        }
        // A file the user puts into one of brief's folders stays when the page goes.
        std::fs::write(out.join("people/x/mine.txt"), "mine").unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            tree(&out),
            [
                ".git/",
                ".git/HEAD=ref: refs/heads/gh-pages\n",
                ".git/objects/",
                ".git/objects/ab/",
                ".git/objects/ab/cdef=object",
                "README.md=my notes",
                "empty/",
                "index.html=two",
                "people/",
                "people/x/",
                "people/x/mine.txt=mine",
            ]
        );
        assert_eq!(
            snapshot(&out).get(".git/objects/ab/cdef"),
            users.get(".git/objects/ab/cdef")
        );
        assert_alone(dir.path());
    }

    #[test]
    fn a_file_of_the_users_in_the_sites_way_is_an_error_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "the user's own page").unwrap();
        std::fs::write(out.join("same.html"), "same").unwrap();
        let before = snapshot(&out);
        match write_site_err(
            &out,
            &[file("index.html", "brief's"), file("same.html", "same")],
        ) {
            Err(CommitError::Foreign(paths)) => assert_eq!(paths, ["index.html"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(snapshot(&out), before);
        // A folder of the user's where the site has a file, too.
        std::fs::remove_file(out.join("index.html")).unwrap();
        std::fs::create_dir(out.join("index.html")).unwrap();
        std::fs::write(out.join("index.html/x"), "x").unwrap();
        let before = snapshot(&out);
        assert!(matches!(
            write_site_err(&out, &[file("index.html", "brief's")]),
            Err(CommitError::Foreign(_))
        ));
        assert_eq!(snapshot(&out), before);
        assert_alone(dir.path());
        // A file with the very bytes the site has becomes brief's.
        std::fs::remove_dir_all(out.join("index.html")).unwrap();
        write_site(&out, &[file("same.html", "same")]).unwrap();
        write_site(&out, &[file("other.html", "o")]).unwrap();
        assert_eq!(tree(&out), ["other.html=o"]);
    }

    #[test]
    fn a_record_never_makes_a_git_folder_brief_s() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/config"), "mine").unwrap();
        // A record brought in with a cloned folder, naming the user's git files.
        record::write(&out, [".git/config", "a/../../x", "index.html"]).unwrap();
        write_site(&out, &[file("index.html", "i")]).unwrap();
        assert_eq!(tree(&out), [".git/", ".git/config=mine", "index.html=i"]);
    }

    #[test]
    fn an_older_briefs_site_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("people/gone")).unwrap();
        for (path, text) in [
            ("briefing.json", "{}"),
            (".nojekyll", ""),
            ("index.html", "old"),
            ("people/gone/index.html", "old page"),
        ] {
            std::fs::write(out.join(path), text).unwrap();
        }
        write_site(
            &out,
            &[
                file("briefing.json", "{\"new\": 1}"),
                file(".nojekyll", ""),
                file("index.html", "new"),
            ],
        )
        .unwrap();
        // Its pages at the new site's paths are replaced; the others, whoever wrote them, stay.
        assert_eq!(
            tree(&out),
            [
                ".nojekyll=",
                "briefing.json={\"new\": 1}",
                "index.html=new",
                "people/",
                "people/gone/",
                "people/gone/index.html=old page",
            ]
        );
    }

    #[test]
    fn a_build_that_changes_nothing_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "i"), file("a/b.html", "b")];
        write_site(&out, &site).unwrap();
        let folder = ino(&out);
        let before = snapshot(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_site(&out, &site).unwrap();
        assert_eq!(ino(&out), folder);
        assert_eq!(snapshot(&out), before);
        // One change: a new folder, with the unchanged files the same files in it.
        write_site(
            &out,
            &[file("index.html", "i"), file("a/b.html", "changed")],
        )
        .unwrap();
        assert_ne!(ino(&out).0, folder.0);
        assert_eq!(snapshot(&out)["index.html"], before["index.html"]);
        assert_alone(dir.path());
    }

    #[test]
    fn what_killed_builds_left_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "i")]).unwrap();
        // A staging folder of a process that is gone (pids are below 2^22 on Linux).
        let staging = dir.path().join(".public.brief-new-99999999");
        std::fs::create_dir_all(staging.join("a")).unwrap();
        std::fs::write(staging.join(MARKER), "").unwrap();
        std::fs::write(staging.join("a/index.html"), "half").unwrap();
        // An old output folder killed before it was cleared away: brief's files, a link to
        // the user's file, and a file of the user's that appeared during that build.
        let old = dir.path().join(".public.brief-new-99999998");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("index.html"), "old").unwrap();
        std::fs::write(out.join("kept.txt"), "mine").unwrap();
        std::fs::hard_link(out.join("kept.txt"), old.join("kept.txt")).unwrap();
        std::fs::write(old.join("late.txt"), "appeared").unwrap();
        record::write(&old, ["index.html"]).unwrap();
        // Another name's folders are not ours to clear.
        let other = dir.path().join(".site.brief-new-99999999");
        std::fs::create_dir(&other).unwrap();
        write_site(&out, &[file("index.html", "i2")]).unwrap();
        assert!(!staging.exists() && !old.exists());
        assert!(other.exists());
        assert_eq!(
            tree(&out),
            ["index.html=i2", "kept.txt=mine", "late.txt=appeared"]
        );
    }

    #[test]
    fn a_file_and_a_folder_trade_places() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file("index.html", "i"),
                file("x", "x was a file"),
                file("y/index.html", "y was a folder"),
                file("y/z/deep.html", "deep"),
            ],
        )
        .unwrap();
        write_site(
            &out,
            &[
                file("index.html", "i"),
                file("x/index.html", "x is a folder"),
                file("y", "y is a file"),
            ],
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                "index.html=i",
                "x/",
                "x/index.html=x is a folder",
                "y=y is a file"
            ]
        );
        // And back, with a kept file beside.
        write_site(
            &out,
            &[
                file("index.html", "i"),
                file("x", "x"),
                file("y/index.html", "y"),
            ],
        )
        .unwrap();
        assert_eq!(tree(&out), ["index.html=i", "x=x", "y/", "y/index.html=y"]);
        assert_alone(dir.path());
    }

    #[test]
    fn unchanged_copies_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (same, changed, empty) = (
            src.path().join("same.css"),
            src.path().join("changed.css"),
            src.path().join("empty"),
        );
        // Larger than one chunk of the comparison.
        let big = "0123456789abcdef".repeat(10_000);
        std::fs::write(&same, &big).unwrap();
        std::fs::write(&changed, &big).unwrap();
        std::fs::write(&empty, "").unwrap();
        let site = [
            copy("s/same.css", &same),
            copy("s/changed.css", &changed),
            copy("empty", &empty),
        ];
        write_site(&out, &site).unwrap();
        let kept = ino(&out.join("s/same.css"));
        let kept_empty = ino(&out.join("empty"));
        // The same length, one byte different, past the first chunk.
        let mut other = big.clone().into_bytes();
        other[100_000] = b'X';
        std::fs::write(&changed, &other).unwrap();
        let w = write_site(&out, &site).unwrap();
        assert_eq!(w.changed, 1);
        assert_eq!(ino(&out.join("s/same.css")), kept);
        assert_eq!(ino(&out.join("empty")), kept_empty);
        assert_eq!(std::fs::read(out.join("s/changed.css")).unwrap(), other);
        assert_eq!(
            std::fs::read_to_string(out.join("s/same.css")).unwrap(),
            big
        );
    }

    #[test]
    fn large_files_are_compared_to_the_last_byte() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let big = "x".repeat(3 * CHUNK + 7);
        let mut other = big.clone();
        other.replace_range(3 * CHUNK + 6.., "y");
        write_site(
            &out,
            &[file("same", &big), file("changed", &big), file("empty", "")],
        )
        .unwrap();
        let kept = (ino(&out.join("same")), ino(&out.join("empty")));
        let w = write_site(
            &out,
            &[
                file("same", &big),
                file("changed", &other),
                file("empty", ""),
            ],
        )
        .unwrap();
        assert_eq!(w.changed, 1);
        assert_eq!((ino(&out.join("same")), ino(&out.join("empty"))), kept);
        assert_eq!(std::fs::read_to_string(out.join("changed")).unwrap(), other);
    }

    /// Puts each text as a file made in pieces of `piece` bytes.
    fn write_pieces(output: &Path, files: &[(&str, &str)], piece: usize) -> Written {
        let staging = Staging::new(output).unwrap();
        for (path, text) in files {
            staging
                .put_pieces(path, &mut |w| {
                    for p in text.as_bytes().chunks(piece) {
                        w.write_all(p)?;
                    }
                    Ok(())
                })
                .unwrap();
        }
        staging.commit().unwrap()
    }

    #[test]
    fn files_made_in_pieces_are_compared_as_they_come() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let big = "abcdefghij".repeat(CHUNK / 4);
        // A first build, staged whole.
        let first = [
            ("a/big.html", big.as_str()),
            ("b.json", "{}"),
            ("empty", ""),
        ];
        assert_eq!(write_pieces(&out, &first, 1000).changed, 3);
        assert_eq!(
            std::fs::read_to_string(out.join("a/big.html")).unwrap(),
            big
        );
        let kept = snapshot(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        // The same bytes in pieces of other sizes: nothing is written.
        for piece in [1, 7, CHUNK, CHUNK * 3 + 1] {
            let w = write_pieces(&out, &first, piece);
            assert_eq!(w.changed, 0, "pieces of {piece}");
            assert_eq!(snapshot(&out), kept, "pieces of {piece}");
        }
        // Changed in the middle, cut short, grown, and new.
        let mut middle = big.clone();
        middle.replace_range(big.len() / 2..big.len() / 2 + 1, "X");
        let short = &big[..big.len() - 3];
        let long = format!("{big}!");
        let cases = [
            (middle.as_str(), 4096),
            (short, 999),
            (long.as_str(), CHUNK),
        ];
        for (k, (text, piece)) in cases.into_iter().enumerate() {
            let w = write_pieces(&out, &[("a/big.html", text), ("new", "n")], piece);
            // `new` is new the first time only.
            assert_eq!((w.files, w.changed), (2, if k == 0 { 2 } else { 1 }));
            assert_eq!(
                std::fs::read_to_string(out.join("a/big.html")).unwrap(),
                text
            );
            assert_eq!(std::fs::read_to_string(out.join("new")).unwrap(), "n");
        }
        assert_alone(dir.path());
    }

    #[test]
    fn a_failure_while_making_pieces_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_pieces(&out, &[("x", "old")], 10);
        let before = snapshot(&out);
        let staging = Staging::new(&out).unwrap();
        let failed = staging.put_pieces("x", &mut |w| {
            w.write_all(b"new")?;
            Err(std::io::Error::other("the page failed"))
        });
        assert!(failed.is_err());
        drop(staging);
        assert_eq!(snapshot(&out), before);
        assert_alone(dir.path());
        let staging = Staging::new(&out).unwrap();
        assert!(staging.put_pieces("../x", &mut |_| Ok(())).is_err());
    }

    #[test]
    fn a_path_put_twice_ends_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("x", "old"), file("y", "old")]).unwrap();
        write_site(
            &out,
            &[
                file("x", "new"),
                file("x", "old"),
                file("y", "old"),
                file("y", "new"),
            ],
        )
        .unwrap();
        assert_eq!(tree(&out), ["x=new", "y=new"]);
        assert_alone(dir.path());
    }

    #[test]
    fn refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "good")]).unwrap();
        assert!(write_site(&out, &[file("../evil", "x")]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert!(!dir.path().join("evil").exists());
        assert!(Memory::default().put(file("a/../../x", "")).is_err());
        assert!(write_site(&out, &[file("/tmp/evil", "x")]).is_err());
    }

    /// `:` and `\\` are characters of a file name on Unix, and such a file of static/ is
    /// written where its name says, not refused.
    #[cfg(unix)]
    #[test]
    fn colons_and_backslashes_are_file_names_on_unix() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            file("a:b.txt", "colon"),
            file("files/c\\d.txt", "backslash"),
        ];
        write_site(&out, &files).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a:b.txt")).unwrap(),
            "colon"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("files").join("c\\d.txt")).unwrap(),
            "backslash"
        );
        assert_eq!(safe_join(Path::new("o"), "x/../y"), None);
    }
}
