//! Handing made files to the sink: only those the part makes, never one a static file
//! replaces, each counted on the progress bar; a failure to write is a problem of the run.

use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::output::{Contents, OutFile, Part, Sink};
use crate::progress::Progress;
use crate::resolve::Briefing;
use crate::site_map;

/// Where a render's files go. Shared by the threads that make them.
pub(super) struct Emit<'a> {
    b: &'a Briefing,
    sink: &'a dyn Sink,
    part: Part<'a>,
    progress: &'a dyn Progress,
    /// The site paths of the files in static/: a static file replaces a file of the theme of
    /// the same path (assets/brief.css, robots.txt); one at the path of a page or an export
    /// is an error ([`Emit::in_the_way`]).
    static_paths: HashSet<String>,
    /// The files brief makes that a static file would replace, but may not.
    in_the_way: Mutex<Vec<String>>,
}

impl<'a> Emit<'a> {
    pub(super) fn new(
        b: &'a Briefing,
        sink: &'a dyn Sink,
        part: Part<'a>,
        progress: &'a dyn Progress,
    ) -> Emit<'a> {
        let static_paths = b
            .site
            .static_files
            .iter()
            .map(|(rel, _)| site_path_of(rel))
            .collect();
        Emit {
            b,
            sink,
            part,
            progress,
            static_paths,
            in_the_way: Mutex::new(Vec::new()),
        }
    }

    /// Whether a made file goes to the sink (counting the pages that do).
    fn wanted(&self, path: &str) -> bool {
        if self.static_paths.contains(path) {
            if !site_map::static_may_replace(path) {
                self.in_the_way
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(path.to_string());
            }
            return false;
        }
        let wanted = self.part.makes(path);
        if wanted && path.ends_with(".html") {
            self.progress.step();
        }
        wanted
    }

    /// Hands a made file to the sink, if the part makes it.
    pub(super) fn file(&self, file: OutFile) -> Result<(), Diagnostic> {
        match self.wanted(&file.path) {
            true => put(self.sink, file),
            false => Ok(()),
        }
    }

    /// A file too large to hold whole, written as it is made (see [`Sink::put_pieces`]).
    pub(super) fn pieces(
        &self,
        path: &str,
        make: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        match self.wanted(path) {
            true => self
                .sink
                .put_pieces(path, make)
                .map_err(|e| write_error(path, e)),
            false => Ok(()),
        }
    }

    /// Copies the user's static files that the part makes.
    pub(super) fn static_files(&self) -> Vec<Result<(), Diagnostic>> {
        self.b
            .site
            .static_files
            .par_iter()
            .filter(|(rel, _)| self.part.makes(&site_path_of(rel)))
            .map(|(rel, abs)| {
                put(
                    self.sink,
                    OutFile {
                        path: site_path_of(rel),
                        contents: Contents::Copy(abs.clone()),
                    },
                )
            })
            .collect()
    }

    /// Copies the originals kept in content/archive/ beside their source pages, when
    /// site.toml publishes archives (a file that is not there is load's error already).
    pub(super) fn originals(&self) -> Vec<Result<(), Diagnostic>> {
        if !self.b.site.config.publish_archives {
            return Vec::new();
        }
        self.b
            .sources
            .iter()
            .filter_map(|s| {
                let kept = s.source.meta.original.as_ref()?;
                let abs = self.b.site.root.join("content").join(&kept.path);
                abs.is_file().then(|| {
                    self.file(OutFile {
                        path: site_map::original_file(&s.source.id, &kept.path),
                        contents: Contents::Copy(abs),
                    })
                })
            })
            .collect()
    }

    /// An error for each static file that stood in the way of a file brief makes.
    pub(super) fn in_the_way(self) -> Vec<Diagnostic> {
        let mut paths = self
            .in_the_way
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        paths.sort();
        paths
            .iter()
            .map(|path| {
                Diagnostic::error(
                    Code::StaticInTheWay,
                    format!("static/{path} would replace the file brief makes at {path}"),
                )
                .at(Location::file(&std::path::Path::new("static").join(path)))
                .help("rename or move it; a page's look is changed with a template in templates/ (see docs/templates.md), not by replacing the page")
            })
            .collect()
    }
}

/// Hands a file to the sink; a failure to write is a problem of the run.
fn put(sink: &dyn Sink, file: OutFile) -> Result<(), Diagnostic> {
    let path = file.path.clone();
    sink.put(file).map_err(|e| write_error(&path, e))
}

fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Write, format!("cannot write {path}: {e}"))
        .help("check that the output folder is writable and the disk is not full; the previous site was left as it was")
}

/// A path relative to static/ as a site path with `/` separators.
fn site_path_of(rel: &std::path::Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
