//! The fuzz targets' checks (fuzz/checks.rs) on their seed inputs (fuzz/seeds/<target>/) and
//! on every input that once crashed a target (fuzz/regressions/<target>/), as a plain test:
//! what fuzzing found stays fixed without libFuzzer. See docs/fuzzing.md.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of fuzz/seeds/<target>/ and fuzz/regressions/<target>/;
/// returns how many it ran.
fn run(target: &str, check: fn(&str)) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).expect("read");
            // libFuzzer gives a `&str` target only valid UTF-8; do the same.
            if let Ok(text) = std::str::from_utf8(&bytes) {
                check(text);
                n += 1;
            }
        }
    }
    n
}

#[test]
fn citation() {
    assert!(run("citation", checks::citation) > 0);
}

#[test]
fn front_matter() {
    assert!(run("front_matter", checks::front_matter) > 0);
}

#[test]
fn markdown() {
    assert!(run("markdown", checks::markdown) > 0);
}

#[test]
fn quote() {
    assert!(run("quote", checks::quote) > 0);
}
