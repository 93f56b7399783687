//! The codes of every problem brief reports: one variant a kind of problem.
//!
//! A code is the short stable name (`quote-not-found`, `duplicate-id` …) that `brief check
//! --format json` prints, that the human output shows as `error[code]`, and that
//! docs/errors.md lists with what it means and how to mend it (a test below holds the two to
//! each other). The string of a code never changes once released: editors and CI scripts
//! match on it.

use std::fmt;

/// Declares [`Code`] from one list, so the variants, their strings and [`Code::ALL`] cannot
/// drift apart.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// The kind of a problem: see docs/errors.md for each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order docs/errors.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as brief prints it: kebab-case, stable.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// site.toml is not valid TOML, or sets a key twice.
    TomlSyntax => "toml-syntax",
    /// A YAML file or front matter is not valid YAML, or front matter is never closed.
    YamlSyntax => "yaml-syntax",
    /// A YAML file that expands beyond what brief reads (aliases, deep nesting).
    YamlLimit => "yaml-limit",
    /// A key given twice in one YAML mapping.
    DuplicateKey => "duplicate-key",
    /// A value of the wrong type.
    WrongType => "wrong-type",
    /// A field or key that does not exist.
    UnknownField => "unknown-field",
    /// A key of strings.toml that the theme does not have (a warning).
    UnknownString => "unknown-string",
    /// Theme strings that neither a built-in table nor strings.toml give in the site's
    /// language, shown in English (a warning).
    MissingString => "missing-string",
    /// A field of another kind of item.
    FieldNotForKind => "field-not-for-kind",
    /// A required field is missing.
    MissingField => "missing-field",
    /// An unknown kind of collection.
    BadKind => "bad-kind",
    /// A file name or item id that is not an id.
    BadId => "bad-id",
    /// A collection or page named like a page of the site.
    ReservedId => "reserved-id",
    /// Two items with one id.
    DuplicateId => "duplicate-id",
    /// Two claims of one item with one id.
    DuplicateClaimId => "duplicate-claim-id",
    /// A reference to no item.
    DanglingReference => "dangling-reference",
    /// A citation of a source that does not exist.
    UnknownSource => "unknown-source",
    /// A quote that is not in its source.
    QuoteNotFound => "quote-not-found",
    /// A quote that occurs more than once in its source (a warning).
    AmbiguousQuote => "ambiguous-quote",
    /// A malformed `[@…]` citation, or an empty quote.
    CitationSyntax => "citation-syntax",
    /// A date that is malformed or does not exist.
    BadDate => "bad-date",
    /// Coordinates that are not `[latitude, longitude]` on the globe.
    BadCoordinates => "bad-coordinates",
    /// A source `url` that is not `http(s)://`.
    BadUrl => "bad-url",
    /// A `base_url` that is not an absolute, plain `http(s)://` address.
    Config => "config",
    /// A `domain` in site.toml that is not a host name.
    BadDomain => "bad-domain",
    /// A control character or noncharacter where text is written.
    ControlCharacter => "control-character",
    /// site.toml's `collections` names a collection with no file, or one twice.
    UnknownCollection => "unknown-collection",
    /// A file in content/ of a type brief does not read there (a warning).
    NotRead => "not-read",
    /// A boilerplate pattern that is not a regular expression.
    BadPattern => "bad-pattern",
    /// A source with no text.
    EmptySource => "empty-source",
    /// A file that is not UTF-8.
    InvalidUtf8 => "invalid-utf8",
    /// A binary file in content/.
    BinaryFile => "binary-file",
    /// A file that cannot be read.
    Unreadable => "unreadable",
    /// A file that vanished during the build, a link to nothing, or no site.toml.
    NotFound => "not-found",
    /// A link to a folder already read, or to itself.
    SymlinkLoop => "symlink-loop",
    /// A syntax error in a template.
    TemplateSyntax => "template-syntax",
    /// A template that fails while rendering.
    TemplateRender => "template-render",
    /// A link inside the site to nothing, or one that leaves the site or runs a script.
    BrokenLink => "broken-link",
    /// No content/index.md (a warning).
    MissingIndex => "missing-index",
    /// base_url is still the placeholder `brief init` wrote (a warning).
    PlaceholderBaseUrl => "placeholder-base-url",
    /// The output folder cannot be written.
    Write => "write",
    /// An `--output` that would mix the site with the briefing.
    Output => "output",
    /// The output folder holds a file brief did not write where the site has its own.
    OutputForeign => "output-foreign",
    /// A symbolic link that leads outside the briefing's folder.
    SymlinkOutside => "symlink-outside",
    /// A file in static/ at the path of a file brief makes.
    StaticInTheWay => "static-in-the-way",
    /// brief.lock cannot be read.
    LockSyntax => "lock-syntax",
    /// `--locked`, and the briefing has no brief.lock.
    LockMissing => "lock-missing",
    /// A source's text is not the one brief.lock holds (a warning; an error with `--locked`).
    SourceChanged => "source-changed",
    /// A cited passage is the same text at another place than brief.lock holds (a warning;
    /// an error with `--locked`).
    PassageMoved => "passage-moved",
    /// A citation's quote no longer matches the passage brief.lock holds (a warning; an error
    /// with `--locked`).
    PassageGone => "passage-gone",
    /// A source brief.lock does not hold (a warning; an error with `--locked`).
    SourceAdded => "source-added",
    /// A source brief.lock holds that the briefing no longer has (a warning; an error with
    /// `--locked`).
    SourceRemoved => "source-removed",
    /// A citation of a locked source that brief.lock does not hold (a warning; an error with
    /// `--locked`).
    CitationAdded => "citation-added",
    /// A citation brief.lock holds that the briefing no longer has (a warning; an error with
    /// `--locked`).
    CitationRemoved => "citation-removed",
    /// A public claim or dispute position whose every citation cites an internal source.
    InternalOnlyCitations => "internal-only-citations",
    /// content/index.md is `internal: true`: the public site needs a front page.
    InternalFrontPage => "internal-front-page",
    /// A file of a public build holds internal text (the leak check).
    InternalLeak => "internal-leak",
    /// The new site is in place, but the old folder could not be cleared whole (a warning).
    WriteKept => "write-kept",
    /// `brief init`: the folder given is a file.
    InitNotAFolder => "init-not-a-folder",
    /// `brief init`: the folder already holds files the scaffold would write.
    InitExists => "init-exists",
    /// `brief init`: a file of the scaffold cannot be written.
    InitWrite => "init-write",
    /// `brief publish`: not inside a git repository.
    NotARepository => "not-a-repository",
    /// `brief publish`: git is not installed or cannot be run.
    GitMissing => "git-missing",
    /// `brief publish`: a git command failed.
    GitFailed => "git-failed",
    /// `brief publish`: the temporary folder to build in cannot be made.
    PublishTemp => "publish-temp",
    /// `brief publish`: the branch name is not a valid git branch name.
    PublishBranch => "publish-branch",
    /// `brief publish`: the branch is checked out in a worktree.
    PublishCheckedOut => "publish-checked-out",
    /// `brief publish`: there is no git remote of that name.
    PublishNoRemote => "publish-no-remote",
    /// `brief publish`: the remote cannot be read or fetched from.
    PublishRemote => "publish-remote",
    /// `brief publish`: the local and the remote branch have diverged.
    PublishDiverged => "publish-diverged",
    /// `brief publish`: the push was refused or failed.
    PublishPush => "publish-push",
    /// `brief review`: a `reviewed:` name that is no kind of review finding (a warning).
    UnknownFinding => "unknown-finding",
    /// `brief build --since`: the git ref names no commit (or would be read as an option).
    SinceRef => "since-ref",
    /// `brief build --since`: the baseline cannot be read (a briefing.json that is not
    /// brief's, a commit without the briefing, or whose briefing does not build).
    SinceBaseline => "since-baseline",
    /// A source's kept original (`original:`) is not the file its `sha256` was taken of.
    OriginalChanged => "original-changed",
    /// `brief add`: the input cannot be read or made a source (no text, no title, a bad id).
    AddInput => "add-input",
    /// `brief add`: a URL cannot be fetched, answers an error, is too slow, too large or of
    /// a type brief does not read.
    AddFetch => "add-fetch",
    /// `brief add`: the source or original file of that id exists already.
    AddExists => "add-exists",
    /// `brief add`: a file cannot be written.
    AddWrite => "add-write",
}

/// The code as brief prints it ([`Code::as_str`]).
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes docs/errors.md lists: the first cell of each row of its table of checks (the
    /// first table under `What is checked`).
    fn documented() -> Vec<&'static str> {
        let doc = include_str!("../../docs/errors.md");
        let table = doc
            .split("## What is checked")
            .nth(1)
            .expect("docs/errors.md has a section `What is checked`");
        table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once('`'))
            .map(|(code, _)| code)
            .collect()
    }

    #[test]
    fn every_code_is_documented_and_every_documented_code_exists() {
        let documented = documented();
        for code in Code::ALL {
            assert!(
                documented.contains(&code.as_str()),
                "docs/errors.md does not list `{code}`: add a row for it to the table under `What is checked`"
            );
        }
        for name in &documented {
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == *name),
                "docs/errors.md lists `{name}`, which is not a code of brief"
            );
        }
        let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            documented, all,
            "docs/errors.md lists the codes in another order, or one twice"
        );
    }

    #[test]
    fn codes_are_distinct_kebab_case() {
        for (i, code) in Code::ALL.iter().enumerate() {
            let s = code.as_str();
            assert!(
                !s.is_empty()
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "`{s}` is not kebab-case"
            );
            assert_eq!(code.to_string(), s);
            assert!(
                Code::ALL[..i].iter().all(|c| c.as_str() != s),
                "`{s}` is given twice"
            );
        }
    }
}
