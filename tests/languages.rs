//! Other languages end to end (tests/fixtures/languages): quotes verified in Russian and
//! Ukrainian and shown with their translations, with their `lang`; names in Cyrillic found
//! in the texts; the theme in the site's language (a site with `language = "uk"` shows no
//! English word of the theme on any page), and a strings file that overrides it.

mod common;

use common::Site;
use common::theme_words::{english_theme_words, shown};

#[test]
fn quotes_in_other_languages_are_verified_in_the_original_and_shown_translated() {
    let site = Site::copy("languages");
    site.build_clean();

    // The claim's quote, written with е where the source has ё, is found, shown in Russian
    // with its lang, and its translation and translator under it.
    let item = site.output("people/vladimir-medinsky/index.html");
    assert!(
        item.contains(
            "<q class=\"note-quote\" lang=\"ru\">Российскую делегацию ещё раз возглавит</q>"
        ),
        "{item}"
    );
    assert!(
        item.contains("<span class=\"note-translation\"><span class=\"translation-label\">Translation</span> <q>will head the Russian delegation once more</q> <span class=\"translator\">translated by Jane Roe</span></span>"),
        "{item}"
    );
    // A typewriter apostrophe finds the Ukrainian one; a translation without a translator.
    let umerov = site.output("people/rustem-umerov/index.html");
    assert!(
        umerov.contains("<q class=\"note-quote\" lang=\"uk\">Деталі обʼєднаного меморандуму</q>"),
        "{umerov}"
    );
    assert!(
        umerov.contains("<span class=\"translation-label\">Translation</span> <q>The details of the joint memorandum</q></span>"),
        "{umerov}"
    );
    // The English source's quote needs no lang of its own, and has no translation.
    assert!(
        umerov.contains(
            "<q class=\"note-quote\">Delegations from both sides met at the palace</q></li>"
        ),
        "{umerov}"
    );
    // An inline citation's second quoted text is its translation.
    let index = site.output("index.html");
    assert!(
        index.contains("<q class=\"note-quote\" lang=\"ru\">переговоры будут очень непростыми</q> <span class=\"note-translation\"><span class=\"translation-label\">Translation</span> <q>the talks will be very difficult</q></span>"),
        "{index}"
    );
    // The print view's notes carry the same.
    let print = site.output("print/index.html");
    assert!(
        print.contains("<q>will head the Russian delegation once more</q>"),
        "{print}"
    );
    assert!(
        print.contains("<q class=\"note-quote\" lang=\"uk\">"),
        "{print}"
    );

    // The source's page: its text in its language, the site's words in the site's; the names
    // in Cyrillic are linked where the text mentions them.
    let source = site.output("sources/ukrinform-exchange/index.html");
    assert!(
        source.contains("<article class=\"source-text\" lang=\"uk\""),
        "{source}"
    );
    assert!(
        source.contains(
            "<a class=\"pnum\" href=\"#p1\" lang=\"en\" aria-label=\"Paragraph 1\">1</a>"
        ),
        "{source}"
    );
    assert!(
        source.contains(
            "<a class=\"mention\" href=\"../../people/rustem-umerov/index.html\">Умєров</a>"
        ),
        "{source}"
    );
    assert!(
        source.contains(
            "<span class=\"cited-by\" lang=\"en\" data-said=\"cited by 1 page\">cited by "
        ),
        "{source}"
    );
    let russian = site.output("sources/tass-peskov/index.html");
    assert!(
        russian.contains("href=\"../../people/vladimir-medinsky/index.html\">Мединский</a>"),
        "{russian}"
    );
    assert!(russian.contains("<dd>Russian</dd>"), "{russian}");

    // briefing.json gives each citation's translation and translator.
    let json: serde_json::Value =
        serde_json::from_str(&site.output("briefing.json")).expect("briefing.json");
    let citations = json["citations"].as_array().expect("citations");
    let translated: Vec<(&str, &str, Option<&str>)> = citations
        .iter()
        .filter_map(|c| {
            Some((
                c["quote"].as_str()?,
                c["translation"].as_str()?,
                c["translator"].as_str(),
            ))
        })
        .collect();
    assert!(translated.contains(&(
        "Российскую делегацию еще раз возглавит",
        "will head the Russian delegation once more",
        Some("Jane Roe")
    )));
    assert!(translated.contains(&(
        "Деталі об'єднаного меморандуму",
        "The details of the joint memorandum",
        None
    )));
    assert_eq!(translated.len(), 3, "{translated:?}");
    // The annotations give the translation as a second body, in the site's language.
    let annotations: serde_json::Value =
        serde_json::from_str(&site.output("annotations.jsonld")).expect("annotations.jsonld");
    let items = annotations["first"]["items"].as_array().expect("items");
    let with_translation = items
        .iter()
        .find(|a| {
            a["target"][0]["selector"][0]["exact"] == "Российскую делегацию ещё раз возглавит"
        })
        .expect("the annotation of the Russian quote");
    assert_eq!(
        with_translation["body"],
        serde_json::json!([
            {"type": "TextualBody", "value": "Led the Russian delegation once more.", "format": "text/plain", "language": "en"},
            {"type": "TextualBody", "value": "will head the Russian delegation once more", "format": "text/plain", "language": "en", "purpose": "describing"}
        ])
    );
}

#[test]
fn a_citation_with_a_translation_but_no_quote_is_an_error() {
    let site = Site::copy("languages");
    site.edit(
        "content/annotations/events.yaml",
        "    summary: The second round",
        "    claims:\n      - text: Took place.\n        cite:\n          - source: wire-talks\n            translation: \"Відбулося\"\n          - source: wire-talks\n            quote: \"met at the palace\"\n            translator: Nobody\n    summary: The second round",
    );
    let run = site.run(&["check"]);
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("a `translation` needs a `quote`: a whole source has nothing to translate"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`translator` without a `translation`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_in_ukrainian_shows_the_theme_in_ukrainian() {
    let site = Site::copy("languages");
    site.edit("site.toml", "language = \"en\"", "language = \"uk\"");
    site.build_clean();
    let english = english_theme_words(0);
    assert!(english.len() > 100, "{}", english.len());
    // Each page type, with Ukrainian words of the theme it must show.
    let pages: &[(&str, &[&str])] = &[
        (
            "index.html",
            &[
                "Перейти до змісту",
                "Примітки",
                "Розділи",
                "Останні події",
                "Джерела",
                "Хронологія",
                "2 записи",
                "1 запис",
                "Переклад",
            ],
        ),
        ("people/index.html", &["Головне меню", "1 твердження"]),
        (
            "people/vladimir-medinsky/index.html",
            &[
                "Твердження",
                "Посада",
                "2 червня 2025",
                "Цитувати це твердження",
                "перекладач: Jane Roe",
                "Назад до тексту (примітка 1)",
                "Цитовані джерела",
                "<span class=\"visually-hidden\">Абзац ",
            ],
        ),
        (
            "people/rustem-umerov/index.html",
            &["червень 2025", "Також відомий як"],
        ),
        ("events/second-round/index.html", &["Дата", "Учасники"]),
        (
            "sources/index.html",
            &[
                "3 джерела, кожне наведене повністю з виділеними цитованими уривками.",
                "2 абзаци",
            ],
        ),
        (
            "sources/tass-peskov/index.html",
            &[
                "Видання",
                "Опубліковано",
                "російська",
                "Мова",
                "Абзац 1",
                "цитують:",
                "Імена в цьому тексті:",
            ],
        ),
        (
            "timeline/index.html",
            &["Подія", "Твердження", "червень 2025"],
        ),
        (
            "search/index.html",
            &["Пошук у брифінгу", "Усе в цьому брифінгу"],
        ),
        (
            "print/index.html",
            &["Зміст", "Надрукувати сторінку", "Примітки"],
        ),
        ("404.html", &["Сторінку не знайдено", "головна сторінка"]),
    ];
    for (path, words) in pages {
        let html = site.output(path);
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
    // The English source's quotes carry their language on a Ukrainian site.
    assert!(site.output("people/rustem-umerov/index.html").contains(
        "<q class=\"note-quote\" lang=\"en\">Delegations from both sides met at the palace</q>"
    ));
    // The search page hands its script the words and the plural rule.
    let search = site.output("search/index.html");
    assert!(
        search.contains("&quot;plural_rule&quot;:&quot;east-slavic&quot;"),
        "{search}"
    );
    assert!(search.contains("за запитом «{q}»"), "{search}");
}

#[test]
fn a_strings_file_overrides_the_theme_and_warns_of_what_it_does_not_know() {
    let site = Site::copy("languages");
    site.edit("site.toml", "language = \"en\"", "language = \"uk\"");
    site.write(
        "strings.toml",
        "sources = \"Документи\"\nnotes = \"Виноски\"\nn_items = [\"{n} особа\", \"{n} особи\", \"{n} осіб\"]\n",
    );
    site.build_clean();
    let index = site.output("index.html");
    assert!(
        index.contains("<h2 id=\"notes-heading\">Виноски</h2>"),
        "{index}"
    );
    assert!(index.contains(">Документи</a>"), "{index}");
    assert!(index.contains("2 особи"), "{index}");
    // Untouched words stay the table's.
    assert!(index.contains("Перейти до змісту"), "{index}");

    // A language brief has no table for: the file's words, English for the rest, a warning.
    site.edit("site.toml", "language = \"uk\"", "language = \"pl\"");
    site.write("strings.toml", "sources = \"Źródła\"\n");
    let run = site.run(&["build"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("missing-string"), "{}", run.stderr);
    let index = site.output("index.html");
    assert!(index.contains(">Źródła</a>"), "{index}");
    assert!(index.contains("Skip to content"), "{index}");
}

#[test]
fn each_built_in_language_names_the_pages_and_the_months() {
    let site = Site::copy("languages");
    let mut from = "language = \"en\"".to_string();
    for (lang, sources, date, notes) in [
        ("ru", "Источники", "2 июня 2025", "Примечания"),
        ("tr", "Kaynaklar", "2 Haziran 2025", "Notlar"),
        ("de-AT", "Quellen", "2. Juni 2025", "Anmerkungen"),
        ("fr", "Sources", "2 juin 2025", "Notes"),
        ("en-GB", "Sources", "2 June 2025", "Notes"),
    ] {
        let to = format!("language = \"{lang}\"");
        site.edit("site.toml", &from, &to);
        from = to;
        site.build_clean();
        let item = site.output("people/vladimir-medinsky/index.html");
        assert!(item.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(item.contains(&format!(">{sources}</a>")), "{lang}: {item}");
        assert!(item.contains(&format!(">{date}</time>")), "{lang}: {item}");
        assert!(
            item.contains(&format!("<h2 id=\"notes-heading\">{notes}</h2>")),
            "{lang}"
        );
    }
}
