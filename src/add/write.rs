//! Writing what `brief add` made: the original's bytes to `content/archive/<id>.<ext>` and
//! the source to `content/sources/<id>.md`, each created new (never over a file), the source
//! last so that it never names an original that is not there.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{DocKind, Extracted};
use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic};

use crate::load::ARCHIVE_DIR;

/// What was written.
pub struct Written {
    pub source: PathBuf,
    pub original: PathBuf,
    pub sha256: String,
    pub found: Vec<(&'static str, String)>,
    pub missing: Vec<&'static str>,
}

/// The files an id would take: its source (`.md`, and `.txt`, which would take the same id)
/// and its original.
fn taken(root: &Path, id: &str, kind: DocKind) -> Vec<PathBuf> {
    vec![
        Path::new("content/sources").join(format!("{id}.md")),
        Path::new("content/sources").join(format!("{id}.txt")),
        Path::new("content")
            .join(ARCHIVE_DIR)
            .join(format!("{id}.{}", kind.extension())),
    ]
    .into_iter()
    .filter(|p| root.join(p).symlink_metadata().is_ok())
    .collect()
}

/// Refuses an id whose files exist, suggesting the first free `<id>-2`, `<id>-3`, ….
pub fn refuse_existing(root: &Path, id: &str, kind: DocKind) -> Result<(), Diagnostic> {
    let existing = taken(root, id, kind);
    let Some(first) = existing.first() else {
        return Ok(());
    };
    let free = (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| crate::load::is_valid_id(c) && taken(root, c, kind).is_empty())
        .unwrap_or_else(|| "another-id".to_string());
    Err(Diagnostic::error(
        Code::AddExists,
        format!(
            "{} already exists, and brief add never replaces a file",
            first.display()
        ),
    )
    .help(format!(
        "if this is another source, give it another id: --id {free}"
    )))
}

/// Writes the original and the source.
pub fn write(
    root: &Path,
    id: &str,
    kind: DocKind,
    bytes: &[u8],
    title: &str,
    doc: &Extracted,
    retrieved: PartialDate,
) -> Result<Written, Diagnostic> {
    let original_rel = format!("{ARCHIVE_DIR}/{id}.{}", kind.extension());
    let original = Path::new("content").join(&original_rel);
    let source = Path::new("content/sources").join(format!("{id}.md"));
    let sha256 = crate::digest::Sha256::of_bytes(bytes).to_string();

    let mut found: Vec<(&'static str, String)> = vec![("title", title.to_string())];
    let mut missing = Vec::new();
    let told = [
        ("outlet", doc.outlet.clone()),
        ("author", doc.author.clone()),
        ("url", doc.url.clone()),
        ("published", doc.published.map(|d| d.iso())),
        ("retrieved", Some(retrieved.iso())),
        ("language", doc.language.clone()),
    ];
    for (name, value) in told {
        match value {
            Some(v) => found.push((name, v)),
            None => missing.push(name),
        }
    }
    found.push(("original", original_rel.clone()));
    found.push(("sha256", sha256.clone()));

    let mut text = String::from("---\n");
    for (name, value) in &found {
        text.push_str(name);
        text.push_str(": ");
        text.push_str(&yaml_value(name, value));
        text.push('\n');
    }
    text.push_str("---\n");
    for (i, p) in doc.paragraphs.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(p);
        text.push('\n');
    }

    create_new(root, &original, bytes)?;
    if let Err(e) = create_new(root, &source, text.as_bytes()) {
        // The original alone would be a stray file that names no source: it was written by
        // this run a moment ago, so it is taken back.
        let _ = std::fs::remove_file(root.join(&original));
        return Err(e);
    }
    Ok(Written {
        source,
        original,
        sha256,
        found,
        missing,
    })
}

/// A front matter value: dates, the hash and the original's path as they are (plain YAML
/// scalars brief reads back), everything else a double-quoted string (JSON's escapes are
/// YAML's), so that a title with `: ` or `#` stays a title.
fn yaml_value(name: &str, value: &str) -> String {
    match name {
        "published" | "retrieved" | "sha256" | "original" => value.to_string(),
        _ => serde_json::Value::String(value.to_string()).to_string(),
    }
}

fn create_new(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let abs = root.join(rel);
    let error = |e: std::io::Error| {
        Diagnostic::error(
            Code::AddWrite,
            format!("cannot write {}: {e}", rel.display()),
        )
        .help("check that the briefing's folder is writable")
    };
    if let Some(dir) = abs.parent() {
        std::fs::create_dir_all(dir).map_err(error)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&abs)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                // Made since `refuse_existing` looked (another brief add at once).
                Diagnostic::error(
                    Code::AddExists,
                    format!(
                        "{} already exists, and brief add never replaces a file",
                        rel.display()
                    ),
                )
                .help("run brief add again: it will suggest a free --id")
            } else {
                error(e)
            }
        })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            let _ = std::fs::remove_file(&abs);
            error(e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_read_back_as_written() {
        for v in ["Talks: day 2 # live", "\"Quoted\" \\ back", "Мир и война"] {
            let y = format!("t: {}\n", yaml_value("title", v));
            let back: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&y).unwrap();
            assert_eq!(back["t"], v);
        }
    }
}
