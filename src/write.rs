//! Writing: puts the rendered site on disk, all or nothing.
//!
//! The site is written into a fresh folder beside the output folder and swapped in with two
//! renames only when every file was written, so a failed build, a full disk or a Ctrl-C
//! never leaves a half-written site where the last good one was.

use std::path::{Path, PathBuf};

use crate::render::{Contents, OutFile};

/// Writes `files` as the new contents of `output`.
pub fn write_site(output: &Path, files: &[OutFile]) -> std::io::Result<()> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.brief-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);

    if let Err(e) = write_all(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        std::fs::rename(output, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, output) {
        // Put the last good site back.
        let _ = std::fs::rename(&old, output);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write_all(dir: &Path, files: &[OutFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in files {
        let path = safe_join(dir, &f.path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", f.path),
            )
        })?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        match &f.contents {
            Contents::Bytes(b) => std::fs::write(&path, b)?,
            Contents::Copy(src) => {
                std::fs::copy(src, &path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", src.display()))
                })?;
            }
        }
    }
    Ok(())
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

    fn file(path: &str, s: &str) -> OutFile {
        OutFile {
            path: path.into(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
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
    }
}
