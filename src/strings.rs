//! The theme's own words in the site's language: every fixed word the built-in templates,
//! the HTML that render makes and the search page's script show.
//!
//! Six tables are built in (`src/theme/strings/<lang>.toml`: English, Ukrainian, Russian,
//! Turkish, German, French), all with the same keys; site.toml's `language` picks one by its
//! primary subtag (`uk`, `de-AT` → `de`). A briefing's `strings.toml`, beside site.toml,
//! replaces any of them or gives a language brief has no table for; what neither gives is
//! English, with one `missing-string` warning. A key the theme does not have is an
//! `unknown-string` warning (a typo would otherwise change nothing, silently).
//!
//! A value is a text (`{n}`, `{name}` … filled in where it is used) or a list: a word with
//! its plural forms, chosen by the language's [`PluralRule`]; the months are two lists of
//! twelve. Templates read them as `t` (`{{ t.sources }}`, `{{ n | plural(forms=t.n_items) }}`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::date::PartialDate;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};

/// The strings file of a briefing, beside site.toml.
pub const FILE: &str = "strings.toml";

/// The built-in tables: language subtag and TOML.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("theme/strings/en.toml")),
    ("uk", include_str!("theme/strings/uk.toml")),
    ("ru", include_str!("theme/strings/ru.toml")),
    ("tr", include_str!("theme/strings/tr.toml")),
    ("de", include_str!("theme/strings/de.toml")),
    ("fr", include_str!("theme/strings/fr.toml")),
];

/// One string of the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Entry {
    Text(String),
    /// Plural forms (see [`PluralRule`]), or the twelve months.
    Forms(Vec<String>),
}

/// How a language chooses among a word's plural forms (CLDR's cardinal rules, for the
/// built-in languages and their neighbours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluralRule {
    /// `[one, other]`: one for 1 (English, German, Turkish, most others).
    OneOther,
    /// `[one, other]`: one for 0 and 1 (French, Portuguese).
    ZeroOneOther,
    /// `[one, few, many]`: one for 1, 21, 31 …; few for 2–4, 22–24 …; many for the rest
    /// (Ukrainian, Russian, Belarusian).
    EastSlavic,
}

impl PluralRule {
    /// The rule of a language tag.
    pub fn of(language: &str) -> PluralRule {
        match primary(language).as_str() {
            "uk" | "ru" | "be" => PluralRule::EastSlavic,
            "fr" | "pt" => PluralRule::ZeroOneOther,
            _ => PluralRule::OneOther,
        }
    }

    /// The index of the form for `n`.
    pub fn index(self, n: u64) -> usize {
        match self {
            PluralRule::OneOther => usize::from(n != 1),
            PluralRule::ZeroOneOther => usize::from(n > 1),
            PluralRule::EastSlavic => match (n % 10, n % 100) {
                (1, r) if r != 11 => 0,
                (2..=4, r) if !(12..=14).contains(&r) => 1,
                _ => 2,
            },
        }
    }

    /// The rule's name for the search page's script (`assets/search.js`).
    pub fn name(self) -> &'static str {
        match self {
            PluralRule::OneOther => "one-other",
            PluralRule::ZeroOneOther => "zero-one-other",
            PluralRule::EastSlavic => "east-slavic",
        }
    }
}

/// The primary language subtag, lower case: `de-AT` → `de`.
fn primary(language: &str) -> String {
    // Letters only: a tag is letters, digits and `-`, and whatever follows its first letters
    // (a region, or a mistake) does not change the table.
    language
        .trim()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The theme's words for one site: every key of the English table, each in the site's
/// language where a table or the strings file gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Strings {
    rule: PluralRule,
    entries: BTreeMap<String, Entry>,
}

impl Default for Strings {
    /// The English table.
    fn default() -> Strings {
        Strings::built_in("en").unwrap_or_else(|| Strings {
            rule: PluralRule::OneOther,
            entries: BTreeMap::new(),
        })
    }
}

impl Strings {
    /// The English table, parsed once.
    pub fn english() -> &'static Strings {
        static ENGLISH: std::sync::LazyLock<Strings> = std::sync::LazyLock::new(Strings::default);
        &ENGLISH
    }

    /// The built-in table of a language subtag, `None` for a language without one.
    pub fn built_in(language: &str) -> Option<Strings> {
        let (_, text) = BUILT_IN
            .iter()
            .find(|(lang, _)| *lang == primary(language))?;
        Some(Strings {
            rule: PluralRule::of(language),
            entries: parse_table(text).ok()?,
        })
    }

    /// The words of a site in `language`, with its strings file (`text` of [`FILE`], when
    /// there is one) on top. Problems of the file go to `diags`: a file that does not parse
    /// is an error and left out; keys it does not know, values of the wrong type and what is
    /// missing for a language without a table are warnings.
    /// `language_at`: where site.toml gives the language, which a `missing-string` warning
    /// points at.
    pub fn for_site(
        language: &str,
        file: Option<&Arc<str>>,
        language_at: &Location,
        diags: &mut Diagnostics,
    ) -> Strings {
        let english = Strings::english();
        let mut strings = Strings::built_in(language).unwrap_or_else(|| Strings {
            rule: PluralRule::of(language),
            entries: BTreeMap::new(),
        });
        let path = Path::new(FILE);
        if let Some(text) = file {
            match toml::from_str::<BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>>(
                text,
            ) {
                Err(e) => diags.push(
                    Diagnostic::error(
                        Code::TomlSyntax,
                        format!("{FILE}: {}", e.message().trim()),
                    )
                    .at(Location::new(path, text, e.span().unwrap_or(0..0)))
                    .help("each line is `key = \"text\"` or `key = [\"one\", \"other\"]`; see docs/format.md, Languages"),
                ),
                Ok(table) => {
                    for (key, value) in table {
                        let at = Location::new(path, text, key.span());
                        let Some(like) = english.entries.get(key.get_ref()) else {
                            let near = crate::diagnostics::closest_name(
                                key.get_ref(),
                                english.entries.keys().map(String::as_str),
                            );
                            diags.push(
                                Diagnostic::warning(
                                    Code::UnknownString,
                                    format!("the theme has no string `{}`", key.get_ref()),
                                )
                                .at(at)
                                .help(match near {
                                    Some(n) => format!("did you mean `{n}`? The keys are those of src/theme/strings/en.toml"),
                                    None => "the keys are those of src/theme/strings/en.toml (docs/format.md, Languages)".to_string(),
                                }),
                            );
                            continue;
                        };
                        match entry_of(value.get_ref(), like) {
                            Some(entry) => {
                                strings.entries.insert(key.into_inner(), entry);
                            }
                            None => diags.push(
                                Diagnostic::warning(
                                    Code::WrongType,
                                    format!(
                                        "`{}` in {FILE} is {}",
                                        key.get_ref(),
                                        match like {
                                            Entry::Text(_) => "a text: give it in quotes",
                                            Entry::Forms(_) => "a list of texts: give it as [\"…\", \"…\"]",
                                        }
                                    ),
                                )
                                .at(Location::new(path, text, value.span()))
                                .help("this value is left out and the theme's own used"),
                            ),
                        }
                    }
                }
            }
        }
        let missing: Vec<&str> = english
            .entries
            .keys()
            .filter(|k| !strings.entries.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(5).copied().collect();
            let more = if missing.len() > shown.len() {
                format!(" and {} more", missing.len() - shown.len())
            } else {
                String::new()
            };
            let d = Diagnostic::warning(
                Code::MissingString,
                format!(
                    "brief has no words for the language `{language}`: {} of the theme's strings are in English ({}{more})",
                    missing.len(),
                    shown.join(", ")
                ),
            )
            .help(format!(
                "write them in {FILE} beside site.toml, in the form of src/theme/strings/en.toml (docs/format.md, Languages)"
            ));
            diags.push(d.at(language_at.clone()));
            for k in missing {
                if let Some(e) = english.entries.get(k) {
                    strings.entries.insert(k.to_string(), e.clone());
                }
            }
        }
        strings
    }

    /// The text of `key` (the key itself for a key no table has, which is a bug of brief's:
    /// a unit test holds every key used here to the English table).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(Entry::Text(t)) => t,
            Some(Entry::Forms(f)) => f.first().map_or(key, String::as_str),
            None => key,
        }
    }

    /// The list of `key` (a word's plural forms, or the twelve months); `None` for a text.
    pub fn forms(&self, key: &str) -> Option<&[String]> {
        match self.entries.get(key) {
            Some(Entry::Forms(f)) => Some(f),
            _ => None,
        }
    }

    /// The text of `key` with each `{name}` of `args` filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args)
    }

    /// The plural form of `key` for `n`, with `{n}` and `args` filled in.
    pub fn plural(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let form = match self.entries.get(key) {
            Some(Entry::Forms(forms)) => pick(forms, self.rule, n),
            Some(Entry::Text(t)) => t.as_str(),
            None => key,
        };
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(form, &all)
    }

    /// The language's plural rule.
    pub fn rule(&self) -> PluralRule {
        self.rule
    }

    /// A date for readers, in the language: `2 June 2025`, `2 червня 2025`, `2. Juni 2025`;
    /// `June 2025`, `червень 2025`; `2025`.
    pub fn date(&self, d: &PartialDate) -> String {
        let month = |key: &str, m: u8| match self.entries.get(key) {
            Some(Entry::Forms(f)) => f.get(usize::from(m.saturating_sub(1))).cloned(),
            _ => None,
        };
        let year = d.year.to_string();
        match (d.month, d.day) {
            (Some(m), Some(day)) => {
                let Some(name) = month("months_with_day", m) else {
                    return d.display();
                };
                self.fill(
                    "date_day",
                    &[("day", &day.to_string()), ("month", &name), ("year", &year)],
                )
            }
            (Some(m), None) => {
                let Some(name) = month("months", m) else {
                    return d.display();
                };
                self.fill("date_month", &[("month", &name), ("year", &year)])
            }
            _ => year,
        }
    }

    /// The name of a language tag in the site's language ("Russian", "російська"); the
    /// English name (or the tag) for a language the table does not name.
    pub fn language_name(&self, tag: &str) -> String {
        let key = format!("language_{}", primary(tag));
        match self.entries.get(&key) {
            Some(Entry::Text(t)) => t.clone(),
            _ => crate::render::language_name(tag),
        }
    }

    /// The table as a template value: `t` (texts as strings, lists as lists).
    pub fn to_value(&self) -> tera::Value {
        let mut map = tera::Map::new();
        for (k, e) in &self.entries {
            let v = match e {
                Entry::Text(t) => tera::Value::from(t.as_str()),
                Entry::Forms(f) => tera::Value::from(
                    f.iter()
                        .map(|s| tera::Value::from(s.as_str()))
                        .collect::<Vec<_>>(),
                ),
            };
            map.insert(k.clone().into(), v);
        }
        tera::Value::from(map)
    }

    /// The table as JSON, for the search page's script: the texts and lists, and the plural
    /// rule as `plural_rule`.
    pub fn to_json(&self, keys: &[&str]) -> String {
        let mut map = serde_json::Map::new();
        for k in keys {
            let v = match self.entries.get(*k) {
                Some(Entry::Text(t)) => serde_json::Value::from(t.as_str()),
                Some(Entry::Forms(f)) => serde_json::Value::from(f.clone()),
                None => continue,
            };
            map.insert((*k).to_string(), v);
        }
        map.insert("plural_rule".into(), self.rule.name().into());
        serde_json::Value::Object(map).to_string()
    }

    /// Every text of the table, forms and months included (for tests that look for theme
    /// words on a page).
    pub fn all_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().flat_map(|(k, e)| {
            let texts: Vec<&str> = match e {
                Entry::Text(t) => vec![t.as_str()],
                Entry::Forms(f) => f.iter().map(String::as_str).collect(),
            };
            texts.into_iter().map(move |t| (k.as_str(), t))
        })
    }
}

/// The form of `forms` for `n`: the last one when the table gives fewer than the rule has
/// (Turkish gives one: the noun after a number stays singular).
fn pick(forms: &[String], rule: PluralRule, n: u64) -> &str {
    let i = rule.index(n).min(forms.len().saturating_sub(1));
    forms.get(i).map_or("", String::as_str)
}

/// `template` with each `{name}` of `args` replaced, in one pass (a value holding `{n}` is
/// not filled again).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value of the strings file as an entry of the same kind as `like`, `None` when it is not.
fn entry_of(value: &toml::Value, like: &Entry) -> Option<Entry> {
    match (value, like) {
        (toml::Value::String(s), Entry::Text(_)) => Some(Entry::Text(s.clone())),
        (toml::Value::Array(a), Entry::Forms(_)) if !a.is_empty() => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(Entry::Forms),
        // One text for a word with plural forms: the same for every number.
        (toml::Value::String(s), Entry::Forms(f)) if f.len() != 12 => {
            Some(Entry::Forms(vec![s.clone()]))
        }
        _ => None,
    }
}

/// A built-in table.
fn parse_table(text: &str) -> Result<BTreeMap<String, Entry>, toml::de::Error> {
    let table: BTreeMap<String, toml::Value> = toml::from_str(text)?;
    Ok(table
        .into_iter()
        .filter_map(|(k, v)| {
            let e = match v {
                toml::Value::String(s) => Entry::Text(s),
                toml::Value::Array(a) => Entry::Forms(
                    a.into_iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                ),
                _ => return None,
            };
            Some((k, e))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &Strings) -> Vec<&str> {
        s.entries.keys().map(String::as_str).collect()
    }

    #[test]
    fn every_built_in_table_has_every_key_and_no_other() {
        let en = Strings::default();
        assert!(en.entries.len() > 100);
        for (lang, text) in BUILT_IN {
            let table = parse_table(text).unwrap_or_else(|e| panic!("{lang}: {e}"));
            let s = Strings::built_in(lang).unwrap();
            assert_eq!(keys(&s), keys(&en), "{lang}");
            assert_eq!(
                table.len(),
                en.entries.len(),
                "{lang}: a value of another type"
            );
            for (k, e) in &s.entries {
                match (e, &en.entries[k]) {
                    (Entry::Text(t), Entry::Text(_)) => assert!(!t.trim().is_empty(), "{lang} {k}"),
                    (Entry::Forms(f), Entry::Forms(ef)) => {
                        if ef.len() == 12 {
                            assert_eq!(f.len(), 12, "{lang} {k}");
                        } else {
                            assert!(!f.is_empty() && f.len() <= 3, "{lang} {k}");
                        }
                    }
                    _ => panic!("{lang}: `{k}` is of another type than in English"),
                }
            }
            // The placeholders of each text are those of the English one.
            for (k, t) in s.all_texts() {
                for name in [
                    "{n}", "{name}", "{site}", "{q}", "{of}", "{title}", "{limit}", "{label}",
                    "{day}", "{month}", "{year}", "{names}",
                ] {
                    let english = en
                        .all_texts()
                        .filter(|(ek, _)| *ek == k)
                        .any(|(_, et)| et.contains(name));
                    if t.contains(name) {
                        assert!(english, "{lang} {k}: {name} is not filled there");
                    }
                }
            }
        }
    }

    /// Every file under `dir` whose name ends in `ext`.
    fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, ext, out);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_key_the_theme_and_render_use_is_in_the_table() {
        // `get` answers a missing key with the key itself, which no reader should see: the
        // templates' `t.key` and the literal keys of `get`/`fill`/`plural`/`forms` in the
        // code are held to the English table here.
        let en = Strings::default();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used: Vec<(String, String)> = Vec::new();
        let mut templates = Vec::new();
        files(&root.join("theme/templates"), "html", &mut templates);
        files(&root.join("theme/templates"), "xml", &mut templates);
        let in_template = regex::Regex::new(r"\bt\.([a-z][a-z0-9_]*)").unwrap();
        for f in &templates {
            let text = std::fs::read_to_string(f).unwrap();
            for c in in_template.captures_iter(&text) {
                used.push((f.display().to_string(), c[1].to_string()));
            }
        }
        let mut code = Vec::new();
        files(&root, "rs", &mut code);
        let in_code =
            regex::Regex::new(r#"\.(?:get|fill|plural|forms)\(\s*"([a-z][a-z0-9_]*)""#).unwrap();
        let strings_user = regex::Regex::new(r"strings|\bt\.|&Strings").unwrap();
        for f in &code {
            let text = std::fs::read_to_string(f).unwrap();
            if !strings_user.is_match(&text) {
                continue;
            }
            for c in in_code.captures_iter(&text) {
                // Other `get("…")`s (maps, headers, kwargs) are no strings: only keys that
                // look like the table's are checked, and the table's own test keys.
                let key = &c[1];
                if en.entries.contains_key(key) || key.contains('_') && !key.starts_with("__") {
                    used.push((f.display().to_string(), key.to_string()));
                }
            }
        }
        assert!(used.len() > 150, "{}", used.len());
        // The keys made up in the code: the changes page's headings and the feed's labels.
        for id in [
            "claim_added",
            "claim_changed",
            "claim_removed",
            "dispute_changed",
            "item_added",
            "item_removed",
            "source_added",
            "source_removed",
        ] {
            used.push(("changes".into(), format!("changes_{id}")));
            used.push(("changes".into(), format!("change_{id}")));
        }
        for what in ["cite_what_citation", "cite_what_yaml"] {
            for end in ["_copied", "_select"] {
                used.push(("cite.js".into(), format!("{what}{end}")));
            }
        }
        let missing: Vec<&(String, String)> = used
            .iter()
            .filter(|(_, k)| !en.entries.contains_key(k.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "keys the table does not have: {missing:?}"
        );
    }

    #[test]
    fn plural_rules() {
        let slavic = PluralRule::EastSlavic;
        let got: Vec<usize> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 122]
            .iter()
            .map(|&n| slavic.index(n))
            .collect();
        assert_eq!(got, [2, 0, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 2, 2, 1]);
        assert_eq!(PluralRule::OneOther.index(0), 1);
        assert_eq!(PluralRule::ZeroOneOther.index(0), 0);
        let uk = Strings::built_in("uk").unwrap();
        assert_eq!(uk.plural("n_items", 1, &[]), "1 запис");
        assert_eq!(uk.plural("n_items", 3, &[]), "3 записи");
        assert_eq!(uk.plural("n_items", 11, &[]), "11 записів");
        let tr = Strings::built_in("tr").unwrap();
        assert_eq!(tr.plural("n_items", 5, &[]), "5 kayıt");
        let en = Strings::built_in("en-GB").unwrap();
        assert_eq!(en.plural("n_claims", 1, &[]), "1 claim");
        assert_eq!(en.plural("n_claims", 2, &[]), "2 claims");
    }

    #[test]
    fn dates_in_each_language() {
        let d = PartialDate::parse("2025-06-02").unwrap();
        let m = PartialDate::parse("2025-06").unwrap();
        let y = PartialDate::parse("2025").unwrap();
        for (lang, day, month) in [
            ("en", "2 June 2025", "June 2025"),
            ("uk", "2 червня 2025", "червень 2025"),
            ("ru", "2 июня 2025", "июнь 2025"),
            ("tr", "2 Haziran 2025", "Haziran 2025"),
            ("de", "2. Juni 2025", "Juni 2025"),
            ("fr", "2 juin 2025", "juin 2025"),
        ] {
            let s = Strings::built_in(lang).unwrap();
            assert_eq!(s.date(&d), day);
            assert_eq!(s.date(&m), month);
            assert_eq!(s.date(&y), "2025");
        }
        assert_eq!(Strings::default().date(&d), d.display());
    }

    #[test]
    fn fill_replaces_once_and_leaves_other_braces() {
        assert_eq!(
            fill("{n} of {name} {x}", &[("n", "{name}"), ("name", "A")]),
            "{name} of A {x}"
        );
        assert_eq!(fill("{", &[]), "{");
        assert_eq!(fill("}{n", &[("n", "1")]), "}{n");
    }

    #[test]
    fn a_strings_file_overrides_and_completes() {
        let at = || Location::file(Path::new("site.toml"));
        let mut diags = Diagnostics::default();
        let file: Arc<str> = Arc::from(
            "sources = \"Джерела й документи\"\nn_items = \"{n} шт.\"\nsorces = \"x\"\nhome = 3\n",
        );
        let s = Strings::for_site("uk", Some(&file), &at(), &mut diags);
        assert_eq!(s.get("sources"), "Джерела й документи");
        assert_eq!(s.plural("n_items", 7, &[]), "7 шт.");
        assert_eq!(s.get("home"), "Головна");
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::WrongType, Code::UnknownString]);

        // A language without a table: the file's words, English for the rest, one warning.
        let mut diags = Diagnostics::default();
        let file: Arc<str> = Arc::from("sources = \"Źródła\"\n");
        let s = Strings::for_site("pl", Some(&file), &at(), &mut diags);
        assert_eq!(s.get("sources"), "Źródła");
        assert_eq!(s.get("home"), "Home");
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MissingString]);
        assert_eq!(s.plural("n_items", 2, &[]), "2 items");
    }
}
