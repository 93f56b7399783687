//! The theme in the site's language on the pages of the later features (issue 21 §7): the
//! example briefing with `language = "uk"`, in a git repository of two commits, built with
//! `--since HEAD~1 --internal`, shows no English word of the theme on the front page, an item
//! page (its marks of this edition, its internal badge and notes, its neighbourhood drawing),
//! a dispute whose positions changed, the network page, the venues with their map, the
//! timeline with its strip and the changes page; changes.xml speaks Ukrainian too.
//!
//! The method is that of the language test of branch `lang` (tests/languages.rs): every
//! English text of the strings table that the Ukrainian table words differently, as a pattern
//! of a whole shown text, must match nothing a reader sees or hears.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Run, brief, copy_dir, git};

/// The English theme strings (src/theme/strings/en.toml) that the Ukrainian table words
/// differently, each as a pattern of a whole text (its `{n}`, `{name}` … standing for
/// anything).
fn english_theme_words() -> Vec<(String, String, regex::Regex)> {
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
            // A text that is little but its placeholders (`{names} and {name}`, `In {name}`)
            // would match readers' own words; the pages below check those where they stand.
            let letters = placeholder_text
                .replace_all(&text, "")
                .chars()
                .filter(|c| c.is_alphabetic())
                .count();
            if ukrainian.contains(&text) || letters < 4 {
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
    assert!(out.len() > 200, "{}", out.len());
    out
}

/// What a reader sees or hears of a page: its text between tags (outside scripts and styles)
/// and the attributes that are read out or shown.
fn shown(html: &str) -> Vec<String> {
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

/// The example briefing (the repository's own) in Ukrainian, in `repo`, committed twice: the
/// second commit (edition 2 after 1) rewords two claims of Medinsky's (one keeps its id, so it
/// is changed, not removed and added), makes another internal, rewords a position
/// of a dispute and adds a negotiator.
fn two_editions(repo: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &repo.join("content"));
    for file in ["site.toml", "brief.lock"] {
        std::fs::copy(root.join(file), repo.join(file)).expect("copy");
    }
    let edit = |path: &str, from: &str, to: &str| {
        let p = repo.join(path);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{path}: no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
    };
    edit(
        "site.toml",
        "language = \"en\"",
        "language = \"uk\"\nedition = \"1\"",
    );
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "Edition 1"]);
    edit(
        "content/annotations/negotiators.yaml",
        "      - text: Took part in the negotiations of 2022.\n        date: 2022\n",
        "      - text: Took part in the talks of 2022 as well.\n        date: 2022-03\n",
    );
    edit(
        "content/annotations/negotiators.yaml",
        "      - text: Headed the Russian delegation again at the round of 23 July 2025.\n",
        "      - text: Headed the Russian delegation again at the round of 23 July 2025.\n        internal: true\n",
    );
    edit(
        "content/annotations/negotiators.yaml",
        "        text: Ukrainian officials have called him a figurehead.\n",
        "        text: Ukrainian officials have called him a mere figurehead.\n        date: 2025-07\n",
    );
    edit(
        "content/annotations/disputes.yaml",
        "in Istanbul on 23 July 2025, lasting about forty minutes.",
        "in Istanbul on 23 July 2025, lasting roughly forty minutes.",
    );
    edit("site.toml", "edition = \"1\"", "edition = \"2\"");
    let people = repo.join("content/annotations/negotiators.yaml");
    let mut text = std::fs::read_to_string(&people).expect("read");
    text.push_str("  - id: new-envoy\n    name: Nova Envoy\n    role: Envoy\n");
    std::fs::write(&people, text).expect("write");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "Edition 2"]);
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_new_features_speak_the_sites_language() {
    let tmp = tempfile::tempdir().expect("temp");
    let repo = tmp.path();
    two_editions(repo);
    let run: Run = brief(repo, &["build", "--since", "HEAD~1", "--internal"]);
    assert!(run.ok, "build failed:\n{}", run.stderr);
    let out = repo.join("internal");
    let english = english_theme_words();
    // Each page, with Ukrainian words of the new features it must show.
    let pages: &[(&str, &[&str])] = &[
        (
            "index.html",
            &[
                "Внутрішня версія: внутрішні частини показано й позначено. Не для публікації.",
                "Випуск 2",
                "що змінилося",
                ">Зв’язки<",
                ">Зміни<",
                ">Де<",
                "Мапа: ",
            ],
        ),
        (
            "negotiators/vladimir-medinsky/index.html",
            &[
                ">Внутрішнє<",
                "Не входить до публічного сайту",
                "Внутрішні нотатки",
                ">нове<",
                "у цьому випуску",
                "Vladimir Medinsky і пов’язані записи",
                "центральна позначка веде до всієї мережі.",
            ],
        ),
        (
            "disputes/july-23-meeting/index.html",
            &["Позиції змінилися в цьому випуску"],
        ),
        (
            "network/index.html",
            &[
                "Хто з ким пов’язаний",
                "Зв’язки словами",
                ">Особа<",
                ">Організація<",
                "Мережа учасників: ",
                "(належність)",
            ],
        ),
        (
            "venues/index.html",
            &[
                "Мапа: ",
                "з координатами",
                "Контур: Natural Earth",
                "41.01° пн. ш., 28.98° сх. д.",
            ],
        ),
        (
            "timeline/index.html",
            &[
                "Датовані події та суперечки за місяцями",
                "за місяцями: крапка — день",
                ">Ч<",
            ],
        ),
        (
            "changes/index.html",
            &[
                "<h1>Що змінилося</h1>",
                "Випуск 2, порівняно з випуском 1 (HEAD~1 (",
                "Ці зміни як стрічка",
                "Види змін",
                "Додані твердження",
                "Вилучені твердження",
                "Суперечки, у яких змінилися позиції",
                ">Було<",
                ">Тепер<",
                "(березень 2022)",
                "Змінено текст і дату",
                "Додані записи",
                "Додано до розділу «Negotiators»",
            ],
        ),
    ];
    for (path, words) in pages {
        let html = read(&out, path);
        assert!(html.contains("<html lang=\"uk\">"), "{path}");
        for w in *words {
            assert!(html.contains(w), "{path}: no {w:?}");
        }
        for text in shown(&html) {
            for (key, word, pattern) in &english {
                assert!(
                    !pattern.is_match(&text),
                    "{path}: the English theme word `{key}` ({word:?}) is shown: {text:?}"
                );
            }
        }
    }
    // The feed of the changes: its titles and subtitle in Ukrainian, no English label.
    let xml = read(&out, "changes.xml");
    assert!(xml.contains("The Istanbul Talks, 2: що змінилося"), "{xml}");
    assert!(
        xml.contains("<subtitle>Зміни порівняно з випуском 1 (HEAD~1 ("),
        "{xml}"
    );
    assert!(xml.contains("<title>Додано твердження: "), "{xml}");
    for english in [
        "what changed",
        "Changes since",
        "Claim added",
        "Claim removed",
    ] {
        assert!(!xml.contains(english), "changes.xml: {english:?}");
    }
}
