//! `site.toml`: the briefing's title, base URL and options.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Location};

/// The settings of a briefing, from `site.toml`.
#[derive(Debug, Clone, Hash, Deserialize)]
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
    /// The order of the collections (ids, the file names of content/annotations/) in the
    /// navigation and on the front page; collections not named follow in file-name order.
    /// Spanned, so that a name that is no collection is shown where it is written.
    #[serde(default)]
    pub collections: Vec<toml::Spanned<String>>,
    /// The settings of `brief review` (`[review]`); no page of the site depends on them.
    #[serde(default)]
    pub review: ReviewConfig,
    /// The name of this edition of the briefing (`"No. 14"`), shown on the front page, in
    /// the feed and on the changes page.
    #[serde(default)]
    pub edition: Option<String>,
    /// Publish the originals `brief add` kept in content/archive/ beside their source pages,
    /// linked from them. Off by default: the outlet's page is not the briefing's to
    /// republish.
    #[serde(default)]
    pub publish_archives: bool,
    /// Put the Cite button on the source pages of the published site too (it is always on
    /// them in `brief serve`). Off by default: each source page then carries its text twice
    /// more (as written and folded) and the button's script.
    #[serde(default)]
    pub cite_button: bool,
}

/// `[review]` in site.toml: what `brief review` counts as stale or as a name worth an item,
/// and the names it is told to leave alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// A source retrieved more than this many days before the review is stale; without it,
    /// no source is.
    #[serde(default)]
    pub stale_after_days: Option<u32>,
    /// A capitalised name that matches no item is a candidate for one when it occurs in at
    /// least this many sources.
    #[serde(default = "default_name_min_sources")]
    pub name_min_sources: usize,
    /// Names acknowledged as needing no item, each with the editor's note
    /// (`[review.names]`, `"Black Sea" = "a place named in passing"`).
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
}

impl Default for ReviewConfig {
    fn default() -> ReviewConfig {
        ReviewConfig {
            stale_after_days: None,
            name_min_sources: default_name_min_sources(),
            names: Default::default(),
        }
    }
}

fn default_name_min_sources() -> usize {
    2
}

/// The review's settings change no page: a fingerprint of the settings leaves them out, so
/// editing them re-renders nothing in `brief serve`.
impl std::hash::Hash for ReviewConfig {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// The keys site.toml takes.
const KEYS: [&str; 14] = [
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "domain",
    "allow_html",
    "boilerplate",
    "allow_outside_links",
    "collections",
    "review",
    "edition",
    "publish_archives",
    "cite_button",
];

/// A code, a plain message and a hint for a problem the TOML parser found.
fn explain(message: String) -> (Code, String, String) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let help = match crate::diagnostics::closest_name(key, KEYS.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("site.toml takes: {}", KEYS.join(", ")),
        };
        (
            Code::UnknownField,
            format!("unknown field `{key}` in site.toml"),
            help,
        )
    } else if message.starts_with("missing field") {
        (
            Code::MissingField,
            message,
            "site.toml needs at least title = \"My briefing\" and base_url = \"https://user.github.io/repo/\"".into(),
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (
            Code::WrongType,
            message,
            "text is written in quotes, allow_html is true or false, boilerplate is a list: ['^Advertisement$']".into(),
        )
    } else {
        (
            Code::TomlSyntax,
            message,
            "check the quoting and brackets on this line; docs/format.md shows a whole site.toml"
                .into(),
        )
    }
}

/// The `base_url` that `brief init` writes into a new site.toml: a build that still has it
/// says so, since every absolute address of the site would point there.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.org/";

fn default_language() -> String {
    "en".to_string()
}

impl Config {
    /// Parses the text of `site.toml`; `file` names it in errors.
    pub fn parse(file: &Path, text: &Arc<str>) -> Result<Config, Diagnostic> {
        // Raw control characters first: TOML refuses most of them, in words that do not say
        // which (and lets C1 controls and noncharacters through).
        if let Some(d) = crate::control::refuse(file, text, 0..text.len(), "site.toml") {
            return Err(d);
        }
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            let (code, message, help) = match text.get(span.clone()) {
                Some(key) if message == "duplicate key" => (
                    Code::TomlSyntax,
                    format!("`{}` is set twice in site.toml", key.trim()),
                    "keep one of them".to_string(),
                ),
                _ => explain(message),
            };
            Diagnostic::error(code, message)
                .at(Location::new(file, text, span))
                .help(help)
        })?;
        // A control character written as an escape (`"\u001b"`, `"\e"`) needs a backslash.
        if text.contains('\\')
            && let Some(d) = escaped_controls(file, text)
        {
            return Err(d);
        }
        let at = |key: &str| Location::new(file, text, value_span(text, key));
        if let Err(why) = check_base_url(&config.base_url) {
            return Err(Diagnostic::error(Code::Config, format!("base_url {why}"))
                .at(at("base_url"))
                .help("give the full address the site is published at, e.g. base_url = \"https://user.github.io/repo/\""));
        }
        // A blank domain is no domain (no CNAME), as it always was.
        if let Some(domain) = config.domain.as_deref().filter(|d| !d.trim().is_empty())
            && let Err(why) = check_domain(domain)
        {
            return Err(Diagnostic::error(Code::BadDomain, format!("domain {why}"))
                .at(at("domain"))
                .help("give the host name alone, e.g. domain = \"briefing.example.org\" (GitHub Pages reads it from CNAME), or remove the line"));
        }
        config.base_url = normalize_base_url(&config.base_url);
        Ok(config)
    }

    /// What can be read of a site.toml that [`Config::parse`] refused, so that the content
    /// is still checked in the same run (and its problems reported with the one in
    /// site.toml): the entries that do not hold the problems, with a placeholder title and
    /// base URL where they are missing or unusable. Never used to write a site.
    pub fn salvage(text: &str) -> Config {
        let mut text = text.to_string();
        // Each round blanks the entry an error stands in (a key and its value's lines), so
        // the rounds are at most the entries, and a few for missing keys.
        for _ in 0..=text.lines().count() + 2 {
            let e = match toml::from_str::<Config>(&text) {
                Ok(mut config) => {
                    if check_base_url(&config.base_url).is_err() {
                        config.base_url = PLACEHOLDER_BASE_URL.to_string();
                    }
                    config.base_url = normalize_base_url(&config.base_url);
                    return config;
                }
                Err(e) => e,
            };
            let message = e.message();
            if message.starts_with("missing field `title`") {
                text.insert_str(0, "title = \"\"\n");
            } else if message.starts_with("missing field `base_url`") {
                text.insert_str(0, &format!("base_url = \"{PLACEHOLDER_BASE_URL}\"\n"));
            } else {
                let Some(span) = e.span() else { break };
                blank_entry(&mut text, span.start);
            }
        }
        toml::from_str(&format!(
            "title = \"\"\nbase_url = \"{PLACEHOLDER_BASE_URL}\"\n"
        ))
        .expect("the placeholder site.toml reads")
    }

    /// The path part of the base URL, always starting and ending with `/` (`/` or `/repo/`).
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

/// Blanks (with spaces, keeping every other offset) the top-level entry of `text` that byte
/// `at` stands in: from the line of its key to the next line that starts a key or a table.
fn blank_entry(text: &mut String, at: usize) {
    let starts_entry = |line: &str| {
        line.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[' || c == '"' || c == '\'')
    };
    let at = crate::diagnostics::floor_char_boundary(text, at);
    let mut from = text[..at].rfind('\n').map_or(0, |i| i + 1);
    while from > 0 && !starts_entry(&text[from..]) {
        from = text[..from - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    let mut to = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    while to < text.len() && !starts_entry(&text[to..]) {
        to = text[to..].find('\n').map_or(text.len(), |i| to + i + 1);
    }
    let blank: String = text[from..to]
        .chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            c => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(from..to, &blank);
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
    // The base URL is written into every page's links and the feed as it is: characters a
    // URL may not hold unencoded (RFC 3986) would end an attribute (`"`), open a tag (`<`)
    // or make a link that each browser mends its own way.
    if let Some(c) = url.chars().find(|&c| {
        c.is_whitespace()
            || c.is_control()
            || crate::control::is_forbidden(c)
            || "\"<>\\^`{|}".contains(c)
    }) {
        let (shown, encoded) = match c {
            ' ' => (
                "a space".to_string(),
                " (write it percent-encoded, as %20)".to_string(),
            ),
            c if c.is_ascii_graphic() => (
                format!("`{c}`"),
                format!(" (write it percent-encoded, as %{:02X})", c as u32),
            ),
            c => (crate::control::name(c), String::new()),
        };
        return Err(format!(
            "`{url}` must be a plain address: it cannot hold {shown}{encoded}"
        ));
    }
    if url.contains(['?', '#']) {
        return Err(format!(
            "`{url}` must be a plain address, without `?` or `#`"
        ));
    }
    Ok(())
}

/// Why a custom domain cannot be written to CNAME, if it cannot: GitHub Pages reads the file
/// as one host name, such as `briefing.example.org`. Labels of ASCII letters, digits and
/// hyphens (not at either end), 63 characters at most, at least two of them, 253 characters
/// in all, as DNS has them (RFC 1035); the last label is not a number (that is an IP address).
pub fn check_domain(domain: &str) -> Result<(), String> {
    let name = domain.trim();
    if name.is_empty() {
        return Err("is empty".to_string());
    }
    if name.contains("://") || name.contains('/') {
        return Err(format!(
            "`{name}` is an address, not a host name: write the name alone, without https:// or a path"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.')))
    {
        let shown = match c {
            ' ' => "a space".to_string(),
            c if c.is_whitespace() || c.is_control() || crate::control::is_forbidden(c) => {
                crate::control::name(c)
            }
            c if !c.is_ascii() => {
                format!("`{c}` (write an international name in its ASCII form, xn--…)")
            }
            c => format!("`{c}`"),
        };
        return Err(format!(
            "`{name}` is not a host name: it cannot hold {shown}; a host name is letters, digits, `-` and `.`"
        ));
    }
    if name.len() > 253 {
        return Err(format!(
            "`{name}` is too long for a host name: {} characters, at most 253",
            name.len()
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err(format!(
            "`{name}` is not a domain: a custom domain has at least two parts, as in example.org"
        ));
    }
    for label in &labels {
        if label.is_empty() {
            return Err(format!(
                "`{name}` has an empty part between dots, or a dot at an end"
            ));
        }
        if label.len() > 63 {
            return Err(format!(
                "`{name}` has a part of {} characters, at most 63: `{label}`",
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "`{name}` has a part that starts or ends with `-`: `{label}`"
            ));
        }
    }
    if labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "`{name}` is an IP address, not a domain: GitHub Pages serves a custom domain only"
        ));
    }
    Ok(())
}

/// The byte span of the value of the top-level `key` in site.toml's text, to point at it;
/// the start of the text when it is not found.
pub(crate) fn value_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return 0..0;
    };
    table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map_or(0..0, |(_, v)| v.span())
}

/// The values of site.toml that hold a control character written as an escape: an error at
/// the first, naming the others.
fn escaped_controls(file: &Path, text: &Arc<str>) -> Option<Diagnostic> {
    use toml::de::DeValue;
    /// The spans and first control characters of the strings in `value`, in order.
    fn walk(value: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(std::ops::Range<usize>, char)>) {
        match value.get_ref() {
            DeValue::String(s) => {
                out.extend(crate::control::find(s).map(|(_, c)| (value.span(), c)))
            }
            DeValue::Array(items) => items.iter().for_each(|v| walk(v, out)),
            DeValue::Table(table) => table.iter().for_each(|(k, v)| {
                out.extend(crate::control::find(k.get_ref()).map(|(_, c)| (k.span(), c)));
                walk(v, out);
            }),
            _ => {}
        }
    }
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut places = Vec::new();
    for (k, v) in table.get_ref().iter() {
        places.extend(crate::control::find(k.get_ref()).map(|(_, c)| (k.span(), c)));
        walk(v, &mut places);
    }
    // The table is not kept in the order of the file.
    places.sort_by_key(|(span, _)| span.start);
    crate::control::refuse_at(
        places
            .into_iter()
            .map(|(span, c)| (Location::new(file, text, span), c)),
        "this value holds",
        "remove the escape (such as `\\e`, `\\u001b` or `\\f`) from the quoted text: a control character cannot be shown on a page or put in the feed",
    )
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
    fn base_url_refuses_what_would_break_out_of_a_link() {
        for url in [
            "https://u.github.io/\"><script>",
            "https://u.github.io/<x>/",
            "https://u.github.io/`x`/",
            "https://u.github.io/a b/",
            "https://u.github.io/a\u{1b}[31m/",
            "https://u.github.io/a\u{85}/",
            "https://u.github.io/{x}|\\/",
        ] {
            let why = check_base_url(url).unwrap_err();
            assert!(why.contains("cannot hold"), "{url:?}: {why}");
        }
        assert!(check_base_url("https://u.github.io/a%20b/").is_ok());
        assert_eq!(
            check_base_url("https://x.org/a\"b").unwrap_err(),
            "`https://x.org/a\"b` must be a plain address: it cannot hold `\"` (write it percent-encoded, as %22)"
        );
        let e = parse("title = \"T\"\nbase_url = \"https://x.org/<b>\"\n").unwrap_err();
        assert_eq!(e.code, Code::Config);
        let loc = e.location.unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 12));
    }

    #[test]
    fn domain_must_be_a_host_name() {
        for ok in [
            "briefing.example.org",
            "a-b.example.co.uk",
            "EXAMPLE.org",
            "x1.io",
        ] {
            assert!(check_domain(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("https://example.org", "an address, not a host name"),
            ("example.org/briefing", "an address, not a host name"),
            ("exa mple.org", "cannot hold a space"),
            ("example.org\nevil.org", "U+000A"),
            ("ex_ample.org", "cannot hold `_`"),
            ("exämple.org", "xn--"),
            ("localhost", "at least two parts"),
            ("a..org", "empty part"),
            ("example.org.", "empty part"),
            ("-a.org", "starts or ends with `-`"),
            ("1.2.3.4", "IP address"),
            ("", "empty"),
        ] {
            let e = check_domain(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        let long_label = format!("{}.org", "a".repeat(64));
        assert!(
            check_domain(&long_label)
                .unwrap_err()
                .contains("at most 63")
        );
        let long = format!("{}org", "abcdefghi.".repeat(26));
        assert!(check_domain(&long).unwrap_err().contains("at most 253"));
        // In site.toml: an error at the value, with the fix in the help.
        let e =
            parse("title = \"T\"\nbase_url = \"https://x.org/\"\ndomain = \"https://x.org/\"\n")
                .unwrap_err();
        assert_eq!(e.code, Code::BadDomain);
        assert!(
            e.message
                .starts_with("domain `https://x.org/` is an address"),
            "{}",
            e.message
        );
        assert!(
            e.help
                .unwrap()
                .contains("domain = \"briefing.example.org\"")
        );
        let loc = e.location.unwrap();
        assert_eq!((loc.line(), loc.column()), (3, 10));
        let c =
            parse("title = \"T\"\nbase_url = \"https://x.org/\"\ndomain = \" x.org \"\n").unwrap();
        assert_eq!(c.domain.as_deref(), Some(" x.org "));
        // A blank domain is no domain, as it always was: no CNAME, no error.
        assert!(parse("title = \"T\"\nbase_url = \"https://x.org/\"\ndomain = \"\"\n").is_ok());
    }

    #[test]
    fn control_characters_are_refused_at_their_value() {
        // Written as escapes: TOML decodes them; the error points at the value.
        let e = parse("title = \"T\\u001b[2J\"\nauthor = 'ok'\nbase_url = \"https://x.org/\"\ndescription = \"\\e\"\n")
            .unwrap_err();
        assert_eq!(e.code, Code::ControlCharacter);
        assert_eq!(
            e.message,
            "this value holds the control character U+001B (escape)"
        );
        let loc = e.location.unwrap();
        assert_eq!((loc.line(), loc.column()), (1, 9));
        assert_eq!(e.related.len(), 1);
        assert_eq!(e.related[0].0.line(), 4);
        // Raw: TOML itself lets a C1 control stand in a string.
        let e = parse("title = \"T\u{9b}2J\"\nbase_url = \"https://x.org/\"\n").unwrap_err();
        assert_eq!(e.code, Code::ControlCharacter);
        assert_eq!(
            e.message,
            "site.toml holds the control character U+009B (control sequence introducer)"
        );
        assert_eq!(e.location.unwrap().column(), 11);
        // A backslash that is no such escape is fine.
        let c =
            parse("title = 'C:\\e'\nbase_url = \"https://x.org/\"\nboilerplate = ['^\\x1b$']\n")
                .unwrap();
        assert_eq!(c.boilerplate, ["^\\x1b$"]);
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
        assert_eq!(e.code, Code::MissingField);
        assert!(e.message.contains("title"), "{}", e.message);
    }

    #[test]
    fn an_unknown_key_gets_a_did_you_mean() {
        let e = parse("title = \"T\"\nbase_url = \"/\"\ntheme = \"x\"\n").unwrap_err();
        assert_eq!(e.code, Code::UnknownField);
        assert_eq!(e.message, "unknown field `theme` in site.toml");
        let e = parse("title = \"T\"\nbase_url = \"/\"\nlangauge = \"x\"\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn syntax_and_type_errors_have_their_own_codes() {
        let e = parse("title = \"T\nbase_url = \"/\"\n").unwrap_err();
        assert_eq!(e.code, Code::TomlSyntax);
        assert!(e.to_string().contains("--> site.toml:1:"), "{e}");
        let e = parse("title = \"T\"\nbase_url = \"/\"\nallow_html = \"yes\"\n").unwrap_err();
        assert_eq!(e.code, Code::WrongType);
        assert!(e.to_string().contains("--> site.toml:3:"), "{e}");
    }
}
