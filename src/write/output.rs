//! Which folders a site may be built into.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

/// The folders of a briefing that hold the user's own files: a site built into one of them
/// (or into the briefing's folder, or a folder above it) would mix with them.
const USER_FOLDERS: [&str; 4] = ["content", "templates", "static", ".git"];

/// Checks that `output` (as given, relative to the current folder or absolute) is a place a
/// site may be built into for the briefing in `root`: not the briefing's folder or one above
/// it, not inside its content/, templates/, static/ or .git, and not an existing file. A
/// symlink to a folder is followed. Returns the output folder with symlinks resolved.
pub fn check(root: &Path, output: &Path, shown: &Path) -> Result<PathBuf, Diagnostic> {
    let refuse = |why: String, help: &str| {
        Err(
            Diagnostic::error(Code::Output, format!("--output {}: {why}", shown.display()))
                .help(help.to_string()),
        )
    };
    let other = "build into a folder of its own, such as public/ (the default)";
    let meta = std::fs::symlink_metadata(output);
    if let Ok(m) = &meta {
        if m.file_type().is_symlink() {
            match std::fs::metadata(output) {
                Ok(t) if t.is_dir() => {}
                Ok(_) => return refuse("is a symbolic link to a file, not a folder".into(), other),
                Err(_) => {
                    let to = std::fs::read_link(output).unwrap_or_default();
                    return refuse(
                        format!(
                            "is a symbolic link to {}, which does not exist",
                            to.display()
                        ),
                        "create the folder it points to, or remove the link",
                    );
                }
            }
        } else if !m.is_dir() {
            return refuse(
                "is an existing file, not a folder: building there would replace it".into(),
                other,
            );
        }
    }
    let real = real_path(output).map_err(|e| {
        Diagnostic::error(
            Code::Output,
            format!("cannot use --output {}: {e}", shown.display()),
        )
        .help("check that the output folder's parent exists and is readable")
    })?;
    let root = std::fs::canonicalize(root).map_err(|e| {
        Diagnostic::error(
            Code::Output,
            format!("cannot read the briefing's folder {}: {e}", root.display()),
        )
    })?;
    if real == root {
        return refuse(
            "is the briefing's own folder: the site would be mixed with site.toml and content/"
                .into(),
            other,
        );
    }
    if root.starts_with(&real) {
        return refuse(
            "holds the briefing's folder: the site would be mixed with the briefing".into(),
            other,
        );
    }
    for folder in USER_FOLDERS {
        if real.starts_with(root.join(folder)) {
            return refuse(
                format!("is inside the briefing's {folder}/, which holds your own files"),
                other,
            );
        }
    }
    Ok(real)
}

/// `path` with symlinks resolved, also when it does not exist yet: the real path of its
/// nearest existing folder, and the rest as written (`..` taken lexically).
fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        match std::fs::canonicalize(existing) {
            Ok(real) => {
                let mut out = real;
                for part in rest.iter().rev() {
                    match part {
                        Component::ParentDir => {
                            out.pop();
                        }
                        Component::Normal(name) => out.push(name),
                        _ => {}
                    }
                }
                return Ok(out);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let Some(parent) = existing.parent() else {
                    return Err(e);
                };
                rest.extend(existing.components().next_back());
                existing = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn briefing() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content/sources", "templates", "static"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        std::fs::write(dir.path().join("NOTES.txt"), "mine").unwrap();
        dir
    }

    fn verdict(root: &Path, output: &str) -> Result<PathBuf, String> {
        let out = root.join(output);
        check(root, &out, Path::new(output)).map_err(|d| d.message.clone())
    }

    #[test]
    fn refuses_the_briefing_its_parents_and_its_folders() {
        let dir = briefing();
        let root = dir.path();
        for output in [
            ".",
            "..",
            "../..",
            "content",
            "content/sources",
            "content/new",
            "static/x",
            "templates",
            ".git/x",
            "NOTES.txt",
            "public/../content",
        ] {
            assert!(verdict(root, output).is_err(), "{output} was allowed");
        }
        let real = std::fs::canonicalize(root).unwrap();
        assert_eq!(verdict(root, "public").unwrap(), real.join("public"));
        assert_eq!(verdict(root, "out/site").unwrap(), real.join("out/site"));
        assert_eq!(verdict(root, "public/../site").unwrap(), real.join("site"));
    }

    #[test]
    fn follows_a_symlinked_output_folder() {
        let dir = briefing();
        let root = dir.path();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("public")).unwrap();
        assert_eq!(
            verdict(root, "public").unwrap(),
            std::fs::canonicalize(elsewhere.path()).unwrap()
        );
        // A link into the briefing's content is refused as the folder itself would be.
        std::os::unix::fs::symlink(root.join("content"), root.join("sneaky")).unwrap();
        assert!(verdict(root, "sneaky").is_err());
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        assert!(
            verdict(root, "dangling")
                .unwrap_err()
                .contains("does not exist")
        );
    }
}
