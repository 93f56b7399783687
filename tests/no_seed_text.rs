//! The seed reports' sentences belong to their authors and must not enter the repository:
//! no run of eight words of a report may stand in any file we ship (the example briefing's
//! summaries are written in our own words).

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const WINDOW: usize = 8;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" || name == "public" {
            continue;
        }
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_eight_word_run_of_a_seed_report_is_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(seeds) =
        common::seed_reports("no_eight_word_run_of_a_seed_report_is_in_the_repository")
    else {
        return;
    };
    let mut windows = HashSet::new();
    let entries = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("seeds needed at {}: {e}", seeds.display()));
    for e in entries.flatten() {
        let w = words(&std::fs::read_to_string(e.path()).expect("seed"));
        for win in w.windows(WINDOW) {
            windows.insert(win.join(" "));
        }
    }
    assert!(windows.len() > 1000);

    let mut all = Vec::new();
    files(root, &mut all);
    let mut hits = Vec::new();
    for f in &all {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        // Headlines may be credited in `summary_of.title`: a title is not a sentence.
        let text: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("title:"))
            .collect::<Vec<_>>()
            .join("\n");
        let w = words(&text);
        for win in w.windows(WINDOW) {
            let s = win.join(" ");
            if windows.contains(&s) {
                hits.push(format!(
                    "{}: {s}",
                    f.strip_prefix(root).unwrap_or(f).display()
                ));
                break;
            }
        }
    }
    assert!(
        hits.is_empty(),
        "seed text found in the repository:\n{}",
        hits.join("\n")
    );
}
