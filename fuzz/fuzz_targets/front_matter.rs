//! Fuzz target `front_matter`: see `checks::front_matter` for what it checks, and docs/fuzzing.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::front_matter(text));
