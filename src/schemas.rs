//! The JSON Schemas shipped in `schemas/`: their stable URLs, spelled in this one place.
//!
//! Each URL names the file at the tag of this version of brief
//! (`https://raw.githubusercontent.com/<owner>/<repo>/v<version>/schemas/<file>`), so a
//! briefing made with one version keeps validating against that version's schema.

/// The format version of briefing.json (its `version` key): bumped when a key is removed or
/// renamed or its meaning changes, not when one is added.
pub const BRIEFING_FORMAT_VERSION: u32 = 1;

/// The schema of briefing.json.
pub const BRIEFING: &str = "briefing.schema.json";
/// The schema of a collection file, content/annotations/<id>.yaml.
pub const ANNOTATIONS: &str = "annotations.schema.json";
/// The schema of site.toml (read as JSON).
pub const SITE: &str = "site.schema.json";

/// The stable URL of the schema `file` (one of the constants above).
pub fn url(file: &str) -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let path = repo
        .strip_prefix("https://github.com/")
        .unwrap_or(repo)
        .trim_end_matches('/');
    format!(
        "https://raw.githubusercontent.com/{path}/v{}/schemas/{file}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The first line of a collection file, for yaml-language-server (VS Code, Neovim).
pub fn yaml_modeline() -> String {
    format!("# yaml-language-server: $schema={}", url(ANNOTATIONS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_tag_of_this_version() {
        assert_eq!(
            url(BRIEFING),
            format!(
                "https://raw.githubusercontent.com/brief-site/brief/v{}/schemas/briefing.schema.json",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
