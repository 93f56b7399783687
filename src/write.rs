//! Writing: where rendered files go.
//!
//! Nothing is written into the output folder while the site is being rendered. Each file is
//! compared with the one already at its path there: when the bytes are the same it is left
//! alone (its modification time and inode stay, so rsync, caches and watchers see only what
//! really changed), otherwise it is written into a staging folder beside the output folder.
//! Only when the whole build succeeded does [`Staging::commit`] remove what the new site no
//! longer has and rename the staged files into place. Rewriting and deleting every file on
//! each build cost more than the rendering itself on large sites; now a rebuild touches only
//! what changed. A large site is never held in memory whole.
//!
//! When the output folder does not exist yet (or is empty), the whole site is staged and
//! put in place with one rename, as there is nothing to compare with.
//!
//! A failed build, a full disk or a Ctrl-C while rendering leaves the output folder exactly as
//! it was. The commit itself is not atomic: it removes and renames file by file, so if it is
//! interrupted the output folder may hold a mix of old and new files, and the next build,
//! comparing with whatever is there, mends it.
//!
//! A symbolic link in the output folder never leads a write outside it: files are written only
//! into the staging folder, a file counts as unchanged only when it is reached through real
//! folders, and the commit removes every symlink it finds (the link, never what it points to).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::render::{Contents, OutFile, Sink};

/// The files of a build on their way to the output folder: the changed ones are staged
/// beside it, and [`Staging::commit`] puts them in place. Dropped without a commit, it
/// removes the staging folder and leaves the output folder as it was.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Set when the output folder already holds files to compare with; `None` when the whole
    /// site is staged and renamed into place at once.
    update: Option<Update>,
    files: AtomicUsize,
    staged: AtomicUsize,
    /// The staging folder became the output folder, so there is nothing left to remove.
    moved: bool,
}

/// What a commit did to the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files in the built site.
    pub files: usize,
    /// Files written because they were new or their bytes changed; the others were not touched.
    pub changed: usize,
    /// Files, folders and links removed because the new site does not have them (a folder
    /// counts once, however much it held).
    pub removed: usize,
}

/// What an update in place needs to know, filled by [`Sink::put`] from several threads.
#[derive(Default)]
struct Update {
    /// The site path of every file of the new site, and the name it was staged under (`None`:
    /// the output folder already holds these bytes).
    produced: Mutex<Vec<(String, Option<usize>)>>,
    /// Folders of the output folder (site paths) looked at so far, and whether each is a real
    /// folder. Nearly every page has a folder of its own, but they share their parents.
    folders: Mutex<FxHashMap<String, bool>>,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn new(output: &Path) -> std::io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        // Only a real, non-empty folder is updated in place. Anything else (nothing, an empty
        // folder, a file, a symlink, a folder we cannot list) is replaced whole, as a symlinked
        // output folder always was.
        let update = match std::fs::symlink_metadata(output) {
            Ok(m)
                if m.is_dir()
                    && std::fs::read_dir(output).is_ok_and(|mut e| e.next().is_some()) =>
            {
                Some(Update::default())
            }
            _ => None,
        };
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            update,
            files: AtomicUsize::new(0),
            staged: AtomicUsize::new(0),
            moved: false,
        })
    }

    /// The number of files in the site so far, whether written or left as they were.
    pub fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Puts the new site in place of the output folder. Call it only when the whole build
    /// succeeded; an error part way may leave a mix of old and new files (see the module
    /// documentation).
    pub fn commit(mut self) -> std::io::Result<Written> {
        let files = self.count();
        let changed = self.staged.load(Ordering::Relaxed);
        let removed = match self.update.take() {
            None => self.swap()?,
            Some(update) => self.update_in_place(update)?,
        };
        Ok(Written {
            files,
            changed,
            removed,
        })
    }

    /// Renames the staging folder to the output folder, putting back the last good site if
    /// that fails. Returns how many things were removed (the old output, if any).
    fn swap(&mut self) -> std::io::Result<usize> {
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace("brief-new", "brief-old"))
                .unwrap_or_default(),
        );
        let _ = std::fs::remove_dir_all(&old);
        // Not `exists()`, which follows a symlink: a dangling link is still in the way.
        let had_output = std::fs::symlink_metadata(&self.output).is_ok();
        if had_output {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.moved = true;
        if had_output {
            // Removes a symlink itself, never what it points to.
            let _ = std::fs::remove_dir_all(&old);
            let _ = std::fs::remove_file(&old);
        }
        Ok(usize::from(had_output))
    }

    /// Removes from the output folder what the new site does not have, then renames the
    /// staged files into place. Returns how many things were removed.
    fn update_in_place(&mut self, update: Update) -> std::io::Result<usize> {
        let produced = update
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        // A path given twice is here once, as the last put left it.
        let files: FxHashMap<&str, Option<usize>> =
            produced.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        let mut folders = FxHashSet::default();
        for (path, _) in &produced {
            folders.extend(parents(path));
        }
        // It was a real folder when the build began; never follow a link put there since.
        if !std::fs::symlink_metadata(&self.output)?.is_dir() {
            return Err(std::io::Error::other(format!(
                "{} is no longer a folder",
                self.output.display()
            )));
        }
        let found = Prune {
            files: &files,
            folders: &folders,
        }
        .walk(&self.output, "")?;
        let kept = files.values().filter(|staged| staged.is_none()).count();
        if found.kept != kept {
            // A file found unchanged during the build went away before the commit.
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "files of the output folder were removed during the build; build again",
            ));
        }
        // Every folder on the way is now a real folder or nothing (the walk removed whatever
        // else was there), so `create_dir` makes the missing ones, outermost first.
        let mut made: FxHashSet<&str> = found.present.into_iter().collect();
        for (&path, &staged) in &files {
            let Some(n) = staged else { continue };
            for folder in parents(path) {
                if made.insert(folder) {
                    std::fs::create_dir(self.output.join(folder))?;
                }
            }
            std::fs::rename(self.dir.join(n.to_string()), self.output.join(path))?;
        }
        Ok(found.removed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After an update in place the staging folder is empty (but for a file put twice);
        // after a failed build it holds what was staged.
        if !self.moved {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Staging {
    /// Where the file at site path `path` is staged, under the next staging number, with the
    /// folders on the way made. A whole new site is staged as the tree it will be, to become
    /// the output folder in one rename. An update stages its files flat, numbered, and the
    /// commit renames each to its place: making and removing a staging folder per page cost
    /// more than the writing itself when many pages change.
    fn stage(&self, path: &str) -> std::io::Result<(usize, PathBuf)> {
        let mirrored = self.inside(path)?;
        let n = self.staged.fetch_add(1, Ordering::Relaxed);
        match self.update {
            None => {
                if let Some(p) = mirrored.parent() {
                    std::fs::create_dir_all(p)?;
                }
                Ok((n, mirrored))
            }
            Some(_) => Ok((n, self.dir.join(n.to_string()))),
        }
    }

    /// The path `path` would have in the staging tree; an error for a path that would leave
    /// the output folder. Checked for every file, whether it is staged or found unchanged.
    fn inside(&self, path: &str) -> std::io::Result<PathBuf> {
        safe_join(&self.dir, path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {path}"),
            )
        })
    }

    /// Counts a file of the new site, `staged` under that number or (`None`) left as it was.
    fn produced(&self, path: String, staged: Option<usize>) {
        if let Some(update) = &self.update {
            lock(&update.produced).push((path, staged));
        }
        self.files.fetch_add(1, Ordering::Relaxed);
    }
}

impl Sink for Staging {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        self.inside(&file.path)?;
        let unchanged = match &self.update {
            Some(update) => update.unchanged(&self.output, &file),
            None => false,
        };
        let mut staged = None;
        if !unchanged {
            let (n, path) = self.stage(&file.path)?;
            staged = Some(n);
            match &file.contents {
                Contents::Bytes(b) => std::fs::write(&path, b)?,
                Contents::Copy(src) => {
                    std::fs::copy(src, &path).map_err(|e| {
                        std::io::Error::new(e.kind(), format!("{}: {e}", src.display()))
                    })?;
                }
            }
        }
        self.produced(file.path, staged);
        Ok(())
    }

    /// Compares the pieces with the file already at `path` as they come, writing nothing
    /// while they match; at the first difference the matching start is copied from the old
    /// file into the staged one and the rest written after it.
    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.inside(path)?;
        let old = match &self.update {
            Some(update) => update.existing(&self.output, path).and_then(|(old, len)| {
                Some(Old {
                    file: File::open(old).ok()?,
                    len,
                    matched: 0,
                    buf: Vec::new(),
                })
            }),
            None => None,
        };
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
                self.produced(path.to_string(), None);
                return Ok(());
            }
            pieces.diverge()?;
        }
        if pieces.new.is_none() {
            // Nothing was written and there was no old file: an empty file.
            pieces.diverge()?;
        }
        let staged = pieces.new.as_ref().map(|(n, _)| *n);
        self.produced(path.to_string(), staged);
        Ok(())
    }
}

/// A file made in pieces on its way to the staging folder (see [`Staging::put_pieces`]).
struct Pieces<'a> {
    staging: &'a Staging,
    path: &'a str,
    /// The output folder's file at the path, while every piece so far matched it.
    old: Option<Old>,
    /// The staged file and its number, once the pieces differ from the old file (or there
    /// is none).
    new: Option<(usize, File)>,
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
    fn diverge(&mut self) -> std::io::Result<()> {
        let (n, staged) = self.staging.stage(self.path)?;
        let mut new = File::create(staged)?;
        if let Some(mut old) = self.old.take() {
            use std::io::{Seek, SeekFrom};
            old.file.seek(SeekFrom::Start(0))?;
            let copied = std::io::copy(&mut (&mut old.file).take(old.matched), &mut new)?;
            if copied != old.matched {
                return Err(std::io::Error::other(format!(
                    "{} changed while it was compared",
                    self.path
                )));
            }
        }
        self.new = Some((n, new));
        Ok(())
    }
}

impl std::io::Write for Pieces<'_> {
    fn write(&mut self, piece: &[u8]) -> std::io::Result<usize> {
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
        let (_, new) = self.new.as_mut().expect("staged");
        new.write_all(&piece[at..])?;
        Ok(piece.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.new {
            Some((_, new)) => new.flush(),
            None => Ok(()),
        }
    }
}

impl Update {
    /// True when `output` already holds `file`'s bytes at its path, as a regular file reached
    /// through real folders. Anything unreadable counts as changed: writing it anew is safe.
    fn unchanged(&self, output: &Path, file: &OutFile) -> bool {
        let Some((path, len)) = self.existing(output, &file.path) else {
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

/// The walk of the output folder at commit, removing what the new site does not have.
struct Prune<'a> {
    /// The new site's files, and the names they were staged under.
    files: &'a FxHashMap<&'a str, Option<usize>>,
    /// The folders on the way to them.
    folders: &'a FxHashSet<&'a str>,
}

/// What [`Prune::walk`] found.
#[derive(Default)]
struct Found<'a> {
    /// The folders on the way to the new site's files that the output folder has, as real
    /// folders.
    present: Vec<&'a str>,
    /// Unchanged files found where they were.
    kept: usize,
    removed: usize,
}

impl<'a> Found<'a> {
    fn merge(mut self, mut other: Found<'a>) -> Found<'a> {
        if self.present.len() < other.present.len() {
            std::mem::swap(&mut self.present, &mut other.present);
        }
        self.present.append(&mut other.present);
        self.kept += other.kept;
        self.removed += other.removed;
        self
    }
}

impl<'a> Prune<'a> {
    /// Walks the folder `dir`, at site path `rel` ("" for the output folder itself). Its
    /// folders are walked in parallel: a large site has a folder per page, and listing them one
    /// after another took most of the commit's time.
    fn walk(&self, dir: &Path, rel: &str) -> std::io::Result<Found<'a>> {
        let mut found = Found::default();
        let mut below = Vec::new();
        // Listed whole before anything is removed, as removing while listing may skip entries.
        let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        for entry in entries {
            // From the directory listing, without following a symlink.
            let kind = entry.file_type()?;
            let path = entry.path();
            let site = entry.file_name().to_str().map(|name| match rel {
                "" => name.to_owned(),
                _ => format!("{rel}/{name}"),
            });
            let site = site.as_deref();
            if kind.is_dir()
                && let Some(&folder) = site.and_then(|s| self.folders.get(s))
            {
                found.present.push(folder);
                below.push((path, folder));
            } else if kind.is_file()
                && let Some(&staged) = site.and_then(|s| self.files.get(s))
            {
                // A staged file replaces it with its rename.
                found.kept += usize::from(staged.is_none());
            } else {
                // Stale, a symlink (removed, never followed), or a folder where the new site
                // has a file and the other way round.
                if kind.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else {
                    std::fs::remove_file(&path)?;
                }
                found.removed += 1;
            }
        }
        let below = below
            .into_par_iter()
            .map(|(path, folder)| self.walk(&path, folder))
            .try_reduce(Found::default, |a, b| Ok(a.merge(b)))?;
        Ok(found.merge(below))
    }
}

/// The site paths of the folders on the way to `path`, outermost first: `a`, `a/b` for
/// `a/b/c.html`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(i, _)| &path[..i])
}

/// How much of a file is read at a time to compare it: some files of a large site (the search
/// index, briefing.json, the print page) run to tens of megabytes, and reading them whole would
/// add as much to the build's peak memory.
const CHUNK: usize = 64 * 1024;

/// Whether the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
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
fn same_bytes(a: &Path, b: &Path, len: u64) -> std::io::Result<bool> {
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
fn fill(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
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

/// Joins a site path to the output folder, refusing anything that would leave it.
pub(crate) fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for seg in rel.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') || seg.contains(':') {
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
        staging.commit()
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
                removed: 0
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
                removed: 0
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
        // a/old.html, a/gone/ and stale/, each once.
        assert_eq!(
            w,
            Written {
                files: 6,
                changed: 4,
                removed: 3
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
    fn never_writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "home")]).unwrap();
        // The very bytes the new site has, behind links: they must not count as unchanged.
        std::fs::write(outside.path().join("index.html"), "a").unwrap();
        std::fs::write(outside.path().join("b.html"), "b").unwrap();
        std::fs::create_dir(outside.path().join("keep")).unwrap();
        std::fs::write(outside.path().join("keep/x"), "x").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, out.join(name)).unwrap();
        };
        link(outside.path(), "a");
        link(&outside.path().join("b.html"), "b.html");
        link(&outside.path().join("keep"), "stale");
        link(Path::new("/nonexistent/brief"), "dangling");
        let outside_before = snapshot(outside.path());
        write_site(
            &out,
            &[
                file("index.html", "home"),
                file("a/index.html", "a"),
                file("b.html", "b"),
            ],
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            ["a/", "a/index.html=a", "b.html=b", "index.html=home"]
        );
        assert!(std::fs::symlink_metadata(out.join("a")).unwrap().is_dir());
        assert!(
            std::fs::symlink_metadata(out.join("b.html"))
                .unwrap()
                .is_file()
        );
        assert_eq!(snapshot(outside.path()), outside_before);
        assert_alone(dir.path());
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
    fn a_path_put_twice_ends_as_the_last_put_left_it() {
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
        assert_eq!(tree(&out), ["x=old", "y=new"]);
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
    }
}
