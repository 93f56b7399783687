//! What a render makes and where it goes: the files of the site ([`OutFile`]), the [`Sink`]
//! they are handed to as they are made (a folder being written, memory, serve's site), and
//! which of them a render makes ([`Part`]). render makes them; write, links and serve take
//! them. Who reads each file is the site map's to say ([`crate::site_map::read_by`]).

use std::collections::HashSet;
use std::io::Write;

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// What a file holds: rendered bytes, or a user's static file to copy.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
}

/// Where rendered files go as they are made: a folder being written, or memory. Files are
/// handed over as soon as they are rendered, so a large site is never held in memory whole.
pub trait Sink: Sync {
    /// Takes one file of the site. Called from several threads at once.
    fn put(&self, file: OutFile) -> std::io::Result<()>;

    /// Takes a file too large to hold whole (the print view, briefing.json, the search
    /// index): `make` writes it to the writer it is given, in pieces of any size. A sink
    /// that keeps files whole gathers the pieces and calls [`Sink::put`].
    fn put_pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        make(&mut bytes)?;
        self.put(OutFile {
            path: path.to_string(),
            contents: Contents::Bytes(bytes),
        })
    }
}

/// Which files of the site a render makes, by site path (`people/x/index.html`). `brief
/// build` makes them all at once; `brief serve` makes the pages open in the browser first, so
/// they can reload at once, and then the rest.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// Every file.
    All,
    /// Only these files.
    Only(&'a HashSet<String>),
    /// Every file but these.
    AllBut(&'a HashSet<String>),
}

impl Part<'_> {
    /// True when this part makes the file at `path`.
    pub fn makes(&self, path: &str) -> bool {
        match self {
            Part::All => true,
            Part::Only(these) => these.contains(path),
            Part::AllBut(these) => !these.contains(path),
        }
    }
}
