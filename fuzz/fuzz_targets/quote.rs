//! Fuzz target `quote`: see `checks::quote` for what it checks, and docs/fuzzing.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::quote(text));
