//! The theme in the site's language on the pages of the later features (issue 21 §7): the
//! example briefing with `language = "uk"`, in a git repository of two commits, built with
//! `--since HEAD~1 --internal`, shows no English word of the theme on the front page, an item
//! page (its marks of this edition, its internal badge and notes, its neighbourhood drawing),
//! a dispute whose positions changed, the network page, the venues with their map, the
//! timeline with its strip and the changes page; changes.xml speaks Ukrainian too.
//!
//! The method is that of tests/languages.rs (tests/common/theme_words.rs): every
//! English text of the strings table that the Ukrainian table words differently, as a pattern
//! of a whole shown text, must match nothing a reader sees or hears.

mod common;

use std::path::Path;

use common::theme_words::{english_theme_words, shown};
use common::{Run, brief, copy_dir, git};

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
    // A text that is little but its placeholders would match readers' own words; the pages
    // below check those where they stand.
    let english = english_theme_words(4);
    assert!(english.len() > 200, "{}", english.len());
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
