//! `brief init`: scaffolds a new briefing that builds right away and publishes itself on
//! GitHub Pages.
//!
//! The scaffold's files live in `src/init/scaffold/` and are compiled into the binary, so
//! `brief init` needs nothing but the program. They are a briefing of their own (`brief -C
//! src/init/scaffold build` builds it) to edit and try as such. Dot files are stored without
//! their dot (`gitignore`, `github/`) so they do not act on this repository.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

/// The crate the workflow installs brief from (crates.io, and the release binaries that
/// `cargo binstall` finds through its `[package.metadata.binstall]`).
pub const BRIEF_CRATE: &str = env!("CARGO_PKG_NAME");

/// The version of brief the workflow installs: exactly the one that wrote it.
pub const BRIEF_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The files of a new briefing: where each goes, and its text.
pub const SCAFFOLD: &[(&str, &str)] = &[
    ("site.toml", include_str!("init/scaffold/site.toml")),
    (
        "content/index.md",
        include_str!("init/scaffold/content/index.md"),
    ),
    (
        "content/sources/example-report.md",
        include_str!("init/scaffold/content/sources/example-report.md"),
    ),
    (
        "content/annotations/people.yaml",
        include_str!("init/scaffold/content/annotations/people.yaml"),
    ),
    (
        "content/pages/about.md",
        include_str!("init/scaffold/content/pages/about.md"),
    ),
    (
        WORKFLOW_PATH,
        include_str!("init/scaffold/github/workflows/pages.yml"),
    ),
];

/// Where the GitHub Actions workflow goes.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The lines the scaffold's `.gitignore` holds (or adds to an existing one).
const GITIGNORE: &str = include_str!("init/scaffold/gitignore");

/// What `brief init` did.
#[derive(Debug)]
pub struct Created {
    /// The briefing's folder.
    pub dir: PathBuf,
    /// The files written, relative to `dir`.
    pub files: Vec<String>,
    /// What happened to `.gitignore`.
    pub gitignore: Gitignore,
}

/// `.gitignore`: written anew, extended, or left alone because it already ignores public/
/// and the staging folders, or because it is a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gitignore {
    Written,
    Extended,
    AlreadyIgnoresPublic,
    LeftAlone,
}

/// The workflow's text with the crate and the exact version of brief to install filled in.
pub fn workflow() -> String {
    let (_, text) = SCAFFOLD
        .iter()
        .find(|(path, _)| *path == WORKFLOW_PATH)
        .expect("the scaffold has a workflow");
    text.replace("{{BRIEF_CRATE}}", BRIEF_CRATE)
        .replace("{{BRIEF_VERSION}}", BRIEF_VERSION)
}

/// Writes a new briefing into `dir`, creating it if needed. Refuses, writing nothing, when
/// `dir` already holds a briefing (site.toml or content/) or a Pages workflow.
pub fn run(dir: &Path) -> Result<Created, Diagnostic> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(
            Code::InitNotAFolder,
            format!("{} exists and is not a folder", dir.display()),
        )
        .help("give brief init the name of a new or existing folder"));
    }
    // Everything that would be replaced is checked before anything is written.
    for existing in ["site.toml", "content", WORKFLOW_PATH] {
        let path = dir.join(existing);
        if path.exists() {
            return Err(Diagnostic::error(
                Code::InitExists,
                format!(
                    "{} already exists: {} already holds a briefing, and brief init never replaces files",
                    path.display(),
                    if dir == Path::new(".") || dir.as_os_str().is_empty() {
                        "this folder".to_string()
                    } else {
                        dir.display().to_string()
                    }
                ),
            )
            .help("run `brief init NEW-FOLDER` to start a new briefing elsewhere, or `brief build` to build this one"));
        }
    }

    let io_error = |path: &Path, e: std::io::Error| {
        Diagnostic::error(
            Code::InitWrite,
            format!("cannot write {}: {e}", path.display()),
        )
        .help("check that the folder is writable")
    };
    let mut files = Vec::new();
    for (rel, text) in SCAFFOLD {
        let text = if *rel == WORKFLOW_PATH {
            workflow()
        } else if rel.starts_with("content/annotations/") {
            format!("{}\n{text}", crate::schemas::yaml_modeline())
        } else {
            text.to_string()
        };
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        // create_new: a file that appeared since the check above is never overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| io_error(&path, e))?;
        files.push(rel.to_string());
    }

    // An existing .gitignore is the user's: like `cargo init`, add our lines, never replace.
    let path = dir.join(".gitignore");
    let gitignore = match std::fs::symlink_metadata(&path) {
        // A link may lead anywhere (or nowhere, and writing would create its target): not ours.
        Ok(m) if m.file_type().is_symlink() => Gitignore::LeftAlone,
        Ok(_) => {
            let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
            let missing = missing_lines(&text);
            if missing.is_empty() {
                Gitignore::AlreadyIgnoresPublic
            } else {
                let sep = if text.is_empty() || text.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .and_then(|mut f| f.write_all(format!("{sep}{}", missing.join("")).as_bytes()))
                    .map_err(|e| io_error(&path, e))?;
                Gitignore::Extended
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(GITIGNORE.as_bytes()))
                .map_err(|e| io_error(&path, e))?;
            files.push(".gitignore".into());
            Gitignore::Written
        }
        Err(e) => return Err(io_error(&path, e)),
    };

    Ok(Created {
        dir: dir.to_path_buf(),
        files,
        gitignore,
    })
}

/// The parts of brief's .gitignore (a comment and its pattern each) that `text` lacks: the
/// built site (public/) and the staging folders of builds under way.
fn missing_lines(text: &str) -> Vec<String> {
    let has = |patterns: &[&str]| text.lines().map(str::trim).any(|l| patterns.contains(&l));
    let mut missing = Vec::new();
    let parts: Vec<&str> = GITIGNORE.split_inclusive('\n').collect();
    for pair in parts.chunks(2) {
        let pattern = pair.last().map_or("", |l| l.trim());
        let known: &[&str] = match pattern {
            "/public/" => &["public", "public/", "/public", "/public/"],
            "/internal/" => &["internal", "internal/", "/internal", "/internal/"],
            other => &[other],
        };
        if !has(known) {
            missing.push(pair.concat());
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_only_the_lines_a_gitignore_lacks() {
        assert!(missing_lines(GITIGNORE).is_empty());
        let staging = "# Where a build stages the new site before it takes public/'s place (removed when it ends).\n/.public.brief-*/\n";
        let internal = "# The editors' site (`brief build --internal`): internal material, never to be committed or published.\n/internal/\n";
        let internal_staging = "# Where an internal build stages its site before it takes internal/'s place.\n/.internal.brief-*/\n";
        assert_eq!(
            missing_lines("target\n/public/\n"),
            [staging, internal, internal_staging]
        );
        assert_eq!(
            missing_lines("public\n/.public.brief-*/\ninternal\n/.internal.brief-*/\n"),
            Vec::<String>::new()
        );
        assert_eq!(missing_lines("# public/\npublic-notes\n").len(), 4);
    }

    #[test]
    fn the_scaffold_base_url_is_the_one_a_build_warns_of() {
        let (_, site) = SCAFFOLD
            .iter()
            .find(|(path, _)| *path == "site.toml")
            .expect("the scaffold has a site.toml");
        let line = format!("base_url = \"{}\"", crate::config::PLACEHOLDER_BASE_URL);
        assert!(
            site.contains(&line),
            "{line} not in the scaffold's site.toml"
        );
    }

    #[test]
    fn workflow_names_the_crate_and_the_version() {
        let w = workflow();
        // `${{ … }}` are GitHub's own expressions; any other `{{` is a placeholder left.
        assert!(
            !w.replace("${{", "").contains("{{"),
            "a placeholder is left"
        );
        assert!(w.contains(&format!("BRIEF_CRATE: \"{BRIEF_CRATE}\"")));
        assert!(w.contains(&format!("BRIEF_VERSION: \"{BRIEF_VERSION}\"")));
        // Installing from git is a fork's choice, never the default.
        assert!(w.contains("BRIEF_GIT_URL: \"\"\n"));
    }
}
