//! The theme's English words, and what a reader sees of a page: for the tests that hold a
//! site in another language to showing none of them (tests/languages.rs,
//! tests/strings_features.rs).

use std::collections::BTreeMap;
use std::path::Path;

/// The English theme strings (src/theme/strings/en.toml) that the Ukrainian table words
/// differently, each as a pattern of a whole text (its `{n}`, `{name}` … standing for
/// anything), with its key. A text with fewer than `min_letters` letters besides its
/// placeholders (`{names} and {name}`, `In {name}`) is left out: it would match readers' own
/// words.
pub fn english_theme_words(min_letters: usize) -> Vec<(String, String, regex::Regex)> {
    let read = |lang: &str| -> BTreeMap<String, toml::Value> {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/theme/strings/{lang}.toml"));
        toml::from_str(&std::fs::read_to_string(path).expect("strings")).expect("toml")
    };
    let texts = |v: &toml::Value| -> Vec<String> {
        match v {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    let (en, uk) = (read("en"), read("uk"));
    let placeholder = regex::Regex::new(r"\\\{[a-z]+\\\}").expect("regex");
    let placeholder_text = regex::Regex::new(r"\{[a-z]+\}").expect("regex");
    let mut out = Vec::new();
    for (key, value) in &en {
        let ukrainian = texts(&uk[key]);
        for text in texts(value) {
            let letters = placeholder_text
                .replace_all(&text, "")
                .chars()
                .filter(|c| c.is_alphabetic())
                .count();
            if ukrainian.contains(&text) || letters < min_letters {
                continue;
            }
            let pattern = placeholder
                .replace_all(&regex::escape(&text), ".*?")
                .into_owned();
            out.push((
                key.clone(),
                text,
                regex::Regex::new(&format!("(?s)^{pattern}$")).expect("pattern"),
            ));
        }
    }
    out
}

/// What a reader sees or hears of a page: its text between tags (outside scripts and styles)
/// and the attributes that are read out or shown.
pub fn shown(html: &str) -> Vec<String> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&")
    };
    let code = regex::Regex::new(r"(?s)<script\b.*?</script>|<style\b.*?</style>").expect("regex");
    let html = code.replace_all(html, "");
    let text = regex::Regex::new(r">([^<]+)<").expect("regex");
    let attr = regex::Regex::new(
        r#"(?:aria-label|title|placeholder|alt|data-note-label|data-said|content)="([^"]*)""#,
    )
    .expect("regex");
    text.captures_iter(&html)
        .chain(attr.captures_iter(&html))
        .map(|c| unescape(&c[1]).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}
