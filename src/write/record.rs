//! The record of what a build wrote: `.brief-files` in the output folder, one site path a
//! line. The next build removes or replaces only the files it lists; everything else in the
//! output folder (a `.git`, a README, files put there by hand) is the user's and stays.

use std::io::Write;
use std::path::Path;

use rustc_hash::FxHashSet;

/// The record's file name, in the output folder. A dot-file: GitHub Pages' artifact upload
/// leaves it out, `brief publish` does not commit it, and no page links to it.
pub const RECORD: &str = ".brief-files";

/// The first line of the record, for whoever opens it.
const HEADER: &str = "# The files brief wrote here in its last build: the next build may replace or remove these, and nothing else.";

/// Which files of an output folder are brief's own.
#[derive(Debug)]
pub(crate) enum Owned {
    /// Those the last build's record lists.
    Listed(FxHashSet<String>),
    /// No record, but the folder is a site an older brief built (it has `briefing.json` and
    /// `.nojekyll`, which every build writes): its files at the paths the new site has are
    /// brief's. The others stay, as nothing says who wrote them.
    Adopted,
    /// No record: nothing in the folder is brief's.
    Nothing,
}

impl Owned {
    /// Reads what the output folder `dir` says of itself.
    pub(crate) fn of(dir: &Path) -> Owned {
        match read(dir) {
            Some(listed) => Owned::Listed(listed),
            None if is_file(&dir.join("briefing.json")) && is_file(&dir.join(".nojekyll")) => {
                Owned::Adopted
            }
            None => Owned::Nothing,
        }
    }

    /// Whether the file at site path `path` is brief's, given the paths of the new site.
    pub(crate) fn owns(&self, path: &str, produced: &FxHashSet<String>) -> bool {
        match self {
            Owned::Listed(listed) => listed.contains(path),
            Owned::Adopted => produced.contains(path),
            Owned::Nothing => false,
        }
    }

    /// The folders on the way to brief's files: a folder of these that ends up empty was
    /// brief's and goes; any other folder is the user's and stays, empty or not.
    pub(crate) fn folders(&self, produced: &FxHashSet<String>) -> FxHashSet<String> {
        let files: Box<dyn Iterator<Item = &String>> = match self {
            Owned::Listed(listed) => Box::new(listed.iter()),
            Owned::Adopted => Box::new(produced.iter()),
            Owned::Nothing => Box::new(std::iter::empty()),
        };
        files.flat_map(|p| parents(p).map(str::to_owned)).collect()
    }
}

fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// The paths the record in `dir` lists, if it has one.
pub(crate) fn read(dir: &Path) -> Option<FxHashSet<String>> {
    let path = dir.join(RECORD);
    // Only a regular file: a link put there must not make brief read (or trust) another file.
    if !is_file(&path) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| crate::write::safe_join(Path::new("."), l).is_some())
            // brief never writes into a .git: a record that says so was not brief's.
            .filter(|l| !l.split('/').any(|seg| seg == ".git"))
            .map(str::to_owned)
            .collect(),
    )
}

/// Writes the record of `paths` into `dir`.
pub(crate) fn write<'a>(
    dir: &Path,
    paths: impl IntoIterator<Item = &'a str>,
) -> std::io::Result<()> {
    let mut sorted: Vec<&str> = paths.into_iter().collect();
    sorted.sort_unstable();
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(RECORD))?);
    writeln!(out, "{HEADER}")?;
    for p in sorted {
        writeln!(out, "{p}")?;
    }
    out.flush()
}

/// The site paths of the folders on the way to `path`, outermost first: `a`, `a/b` for
/// `a/b/c.html`.
pub(crate) fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(i, _)| &path[..i])
}
