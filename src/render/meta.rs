//! What a page says about itself to search engines and readers: the `<meta name="description">`
//! text, and the names of languages shown instead of their codes.

/// The longest description kept, in characters: search engines show about this much.
const DESCRIPTION_MAX: usize = 160;

/// The first paragraph of Markdown as plain text, citations and markup dropped; empty when the
/// text has no paragraph (only headings, lists or nothing).
pub fn first_paragraph(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut depth = 0usize;
    let mut para = String::new();
    let mut in_para = false;
    for e in Parser::new(md) {
        match e {
            // A paragraph inside a list or quote is not the page's opening paragraph.
            Event::Start(Tag::Paragraph) if depth == 0 => in_para = true,
            Event::End(TagEnd::Paragraph) if in_para => break,
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) if in_para => para.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_para => para.push(' '),
            _ => {}
        }
    }
    crate::markdown::without_citations(&para)
}

/// Plain text cut to at most [`DESCRIPTION_MAX`] characters, at a word boundary, with an
/// ellipsis when cut within a sentence. The result is plain text: the template escapes it.
pub fn description(text: &str) -> String {
    cut(text, DESCRIPTION_MAX)
}

/// [`description`] to at most `max` characters (at least 2), white space collapsed.
pub fn cut(text: &str, max: usize) -> String {
    let text = crate::text::collapse_white_space(text.trim());
    if text.chars().count() <= max {
        return text.into_owned();
    }
    // The byte index just past the last character that may be kept (leaving room for "…").
    let limit = text
        .char_indices()
        .nth(max.max(2) - 1)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    // Cut at the last space, unless that leaves almost nothing (one very long word).
    let cut = match head.rfind(' ') {
        Some(i) if i > limit / 2 => &head[..i],
        _ => head,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-".contains(c));
    // Cut after a whole sentence, the text reads as whole; else the ellipsis says there is more.
    if cut.ends_with(['.', '!', '?']) {
        cut.to_string()
    } else {
        format!("{cut}…")
    }
}

/// ISO 639-1 codes of the languages a briefing most likely quotes, with their English names.
/// Sorted by code (looked up by binary search).
const LANGUAGES: &[(&str, &str)] = &[
    ("ar", "Arabic"),
    ("az", "Azerbaijani"),
    ("be", "Belarusian"),
    ("bg", "Bulgarian"),
    ("bs", "Bosnian"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("cy", "Welsh"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("eu", "Basque"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("ga", "Irish"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("hy", "Armenian"),
    ("id", "Indonesian"),
    ("is", "Icelandic"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ka", "Georgian"),
    ("kk", "Kazakh"),
    ("ko", "Korean"),
    ("ku", "Kurdish"),
    ("ky", "Kyrgyz"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("mk", "Macedonian"),
    ("mn", "Mongolian"),
    ("ms", "Malay"),
    ("mt", "Maltese"),
    ("nb", "Norwegian Bokmål"),
    ("nl", "Dutch"),
    ("nn", "Norwegian Nynorsk"),
    ("no", "Norwegian"),
    ("pl", "Polish"),
    ("ps", "Pashto"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("sq", "Albanian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("tg", "Tajik"),
    ("th", "Thai"),
    ("tk", "Turkmen"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
];

/// The English name of a language tag (`ru`, `pt-BR` → "Russian", "Portuguese"); the tag
/// itself when its language is not in the table. A region or script part is not named: the
/// reader learns the language, and the page's `lang` keeps the whole tag.
pub fn language_name(tag: &str) -> String {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match LANGUAGES.binary_search_by(|(code, _)| (*code).cmp(primary.as_str())) {
        Ok(i) => LANGUAGES[i].1.to_string(),
        Err(_) => tag.to_string(),
    }
}

/// Whether two language tags name the same language (`en` and `en-GB` do): a quote needs its
/// own `lang` only when its language differs from the page's.
pub fn same_language(a: &str, b: &str) -> bool {
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}

/// Markdown as plain text (for feed summaries): citations and markup dropped.
pub(super) fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new(md) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    crate::markdown::without_citations(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_what_fits_and_cuts_the_rest_at_a_word() {
        assert_eq!(cut("  Short   title ", 20), "Short title");
        assert_eq!(
            cut("Summary: Kremlin warns of very difficult talks", 30),
            "Summary: Kremlin warns of…"
        );
        // Cyrillic counts by characters, not bytes.
        assert_eq!(
            cut("Стислий виклад: другий раунд переговорів", 24),
            "Стислий виклад: другий…"
        );
        // One long word is cut inside it rather than left empty.
        assert_eq!(cut("Incomprehensibilities", 8), "Incompr…");
    }

    #[test]
    fn the_table_is_sorted_for_the_binary_search() {
        assert!(LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn names_and_fallbacks() {
        assert_eq!(language_name("ru"), "Russian");
        assert_eq!(language_name("UK"), "Ukrainian");
        assert_eq!(language_name("pt-BR"), "Portuguese");
        assert_eq!(language_name("tlh"), "tlh");
        assert_eq!(language_name(""), "");
        assert!(same_language("en", "en-GB"));
        assert!(!same_language("en", "ru"));
    }

    #[test]
    fn descriptions_are_cut_at_a_word() {
        assert_eq!(description("  Short   text. "), "Short text.");
        let long = "word ".repeat(60);
        let d = description(&long);
        assert!(d.ends_with("word…"), "{d}");
        assert!(
            d.chars().count() <= DESCRIPTION_MAX,
            "{}",
            d.chars().count()
        );
        let one = "x".repeat(400);
        assert_eq!(description(&one).chars().count(), DESCRIPTION_MAX);
        let sentences = format!("{}end. {}", "a ".repeat(77), "b ".repeat(40));
        assert!(
            description(&sentences).ends_with("a end."),
            "{}",
            description(&sentences)
        );
    }

    #[test]
    fn the_first_paragraph_skips_headings_lists_and_citations() {
        let md =
            "# Title\n\n- a list\n\nThe *first* [@src \"a quote\"] paragraph\ngoes on.\n\nSecond.";
        assert_eq!(first_paragraph(md), "The first paragraph goes on.");
        assert_eq!(first_paragraph("# Only a heading"), "");
    }
}
