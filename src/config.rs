//! `site.toml`: the briefing's title, base URL and options.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};

/// The settings of a briefing, from `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The briefing's title.
    pub title: String,
    /// One line saying what the briefing is about.
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// The language of the briefing (`lang` of every page).
    #[serde(default = "default_language")]
    pub language: String,
    /// Who wrote the briefing (feed author).
    #[serde(default)]
    pub author: String,
    /// A custom domain: written to `CNAME` for GitHub Pages.
    #[serde(default)]
    pub domain: Option<String>,
    /// Let raw HTML in Markdown through; by default it is escaped.
    #[serde(default)]
    pub allow_html: bool,
    /// Line patterns (regular expressions) of web boilerplate to hide on source pages.
    #[serde(default)]
    pub boilerplate: Vec<String>,
    /// Let symbolic links in content/, templates/ and static/ lead outside the briefing's
    /// folder. Off by default: a briefing someone else wrote could publish any file the build
    /// can read.
    #[serde(default)]
    pub allow_outside_links: bool,
}

/// The keys site.toml takes.
const KEYS: [&str; 9] = [
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "domain",
    "allow_html",
    "boilerplate",
    "allow_outside_links",
];

/// A code, a plain message and a hint for a problem the TOML parser found.
fn explain(message: String) -> (&'static str, String, String) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let help = match crate::diagnostics::closest_name(key, KEYS.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("site.toml takes: {}", KEYS.join(", ")),
        };
        (
            "unknown-field",
            format!("unknown field `{key}` in site.toml"),
            help,
        )
    } else if message.starts_with("missing field") {
        (
            "missing-field",
            message,
            "site.toml needs at least title = \"My briefing\" and base_url = \"https://user.github.io/repo/\"".into(),
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (
            "wrong-type",
            message,
            "text is written in quotes, allow_html is true or false, boilerplate is a list: ['^Advertisement$']".into(),
        )
    } else {
        (
            "toml-syntax",
            message,
            "check the quoting and brackets on this line; docs/format.md shows a whole site.toml"
                .into(),
        )
    }
}

fn default_language() -> String {
    "en".to_string()
}

impl Config {
    /// Parses the text of `site.toml`; `file` names it in errors.
    pub fn parse(file: &Path, text: &Arc<str>) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            let (code, message, help) = match text.get(span.clone()) {
                Some(key) if message == "duplicate key" => (
                    "toml-syntax",
                    format!("`{}` is set twice in site.toml", key.trim()),
                    "keep one of them".to_string(),
                ),
                _ => explain(message),
            };
            Diagnostic::error(code, message)
                .at(Location::new(file, text, span))
                .help(help)
        })?;
        if let Err(why) = check_base_url(&config.base_url) {
            // Point at the value: the line that starts with `base_url`.
            let at = text
                .lines()
                .scan(0, |offset, line| {
                    let start = *offset;
                    *offset += line.len() + 1;
                    Some((start, line))
                })
                .find(|(_, line)| line.trim_start().starts_with("base_url"))
                .map_or(0..0, |(start, line)| start..start + line.len());
            return Err(Diagnostic::error("config", format!("base_url {why}"))
                .at(Location::new(file, text, at))
                .help("give the full address the site is published at, e.g. base_url = \"https://user.github.io/repo/\""));
        }
        config.base_url = normalize_base_url(&config.base_url);
        Ok(config)
    }

    /// The path part of the base URL, always starting and ending with `/` (`/` or `/repo/`).
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

/// Why a base URL cannot be used, if it cannot: the feed's ids, the sitemap and the
/// canonical links need an absolute `http(s)://host/…` address, and 404.html takes its path.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(format!(
            "`{url}` is not an absolute address: it must start with https:// (or http://)"
        ));
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    if url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(format!(
            "`{url}` must be a plain address, without spaces, `?` or `#`"
        ));
    }
    Ok(())
}

/// Ensures a base URL ends with exactly one `/`.
pub fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

/// The path of a URL (`https://a.b/repo/` → `/repo/`).
pub fn base_path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.trim_end_matches('/');
    format!("{path}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("site.toml"), &Arc::from(s))
    }

    #[test]
    fn base_url_and_path() {
        let c = parse("title = \"T\"\nbase_url = \"https://u.github.io/repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/repo/");
        assert_eq!(c.base_path(), "/repo/");
        let c = parse("title = \"T\"\nbase_url = \"https://example.org\"\n").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_url_must_be_absolute() {
        let e = parse("title = \"T\"\nbase_url = \"user.github.io/repo\"\n").unwrap_err();
        assert!(e.message.contains("https://"), "{}", e.message);
        assert_eq!(e.location.unwrap().line(), 2);
        assert!(check_base_url("https://u.github.io/repo/").is_ok());
        assert!(check_base_url("http://127.0.0.1:1111/").is_ok());
        assert!(check_base_url("/repo/").is_err());
        assert!(check_base_url("https:///repo/").is_err());
        assert!(check_base_url("https://u.github.io/a b/").is_err());
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line() {
        let e = parse("title = \"T\"\nbase_url = \"/\"\ntheme = \"x\"\n").unwrap_err();
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert_eq!(e.location.unwrap().line(), 3);
    }

    #[test]
    fn missing_title_is_an_error() {
        let e = parse("base_url = \"/\"\n").unwrap_err();
        assert_eq!(e.code, "missing-field");
        assert!(e.message.contains("title"), "{}", e.message);
    }

    #[test]
    fn an_unknown_key_gets_a_did_you_mean() {
        let e = parse("title = \"T\"\nbase_url = \"/\"\ntheme = \"x\"\n").unwrap_err();
        assert_eq!(e.code, "unknown-field");
        assert_eq!(e.message, "unknown field `theme` in site.toml");
        let e = parse("title = \"T\"\nbase_url = \"/\"\nlangauge = \"x\"\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn syntax_and_type_errors_have_their_own_codes() {
        let e = parse("title = \"T\nbase_url = \"/\"\n").unwrap_err();
        assert_eq!(e.code, "toml-syntax");
        assert!(e.to_string().starts_with("error: site.toml:1:"), "{e}");
        let e = parse("title = \"T\"\nbase_url = \"/\"\nallow_html = \"yes\"\n").unwrap_err();
        assert_eq!(e.code, "wrong-type");
        assert!(e.to_string().starts_with("error: site.toml:3:"), "{e}");
    }
}
