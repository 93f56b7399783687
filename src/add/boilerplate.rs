//! Lines of an extracted text that look like web boilerplate: what readability leaves inside
//! an article (an "Advertisement" slot, "Read more: …", a photo credit, a newsletter
//! prompt). They stay in the source — it is the text as retrieved, and a quote may span
//! them — and `brief add` prints them as site.toml `boilerplate` patterns, which hide them
//! on the page.

use regex::Regex;

/// Line shapes of boilerplate, in the languages of the briefings brief is used for
/// (English, Russian, Ukrainian, Turkish), matched case-insensitively against a whole line.
const SHAPES: &[&str] = &[
    r"advert(isement|ising)?|sponsored( content)?|реклама|reklam",
    r"(read|see) (more|also)\b.*|related( stories| articles| news)?:?.*|читайте (также|еще|ещё)\b.*|читайте також\b.*|ayrıca (okuyun|bakınız)\b.*|ilgili haberler\b.*",
    r"(share|tweet|email|print)( this( article| story)?)?(\s*[|·•]\s*\w+)*",
    r"(subscribe|sign up)\b.*(newsletter|updates|free)\b.*|подпишитесь\b.*|abone ol\b.*",
    r"follow us\b.*|подписывайтесь\b.*|bizi takip edin\b.*",
    r"(photo|image|picture|фото|fotoğraf)\s*:.*|.*\b(getty images|reuters/|ap photo|afp via)\b.*",
    r"(\d+\s+)?comments?|комментари(и|ев)|yorumlar",
];

/// The longest line taken for boilerplate: longer ones are text.
const MAX_LEN: usize = 90;

/// The patterns to copy into site.toml for the boilerplate lines of `paragraphs` that the
/// `existing` patterns do not hide already, each once, in the order the lines come.
pub fn suggest(paragraphs: &[String], existing: &[Regex]) -> Vec<String> {
    let shapes: Vec<Regex> = SHAPES
        .iter()
        .map(|s| Regex::new(&format!("(?i)^(?:{s})$")).expect("a valid pattern"))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for p in paragraphs {
        let line = p.trim();
        if line.is_empty()
            || line.chars().count() > MAX_LEN
            || existing.iter().any(|r| r.is_match(line))
            || !shapes.iter().any(|r| r.is_match(line))
        {
            continue;
        }
        let pattern = format!("^{}$", regex::escape(line));
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_lines_become_patterns_text_does_not() {
        let paragraphs: Vec<String> = [
            "The talks resumed on Monday.",
            "Advertisement",
            "Read more: Talks stall again (May 2)",
            "Реклама",
            "Advertisement",
            "Photo: Jane Roe",
            "A sponsored content budget was debated at length by the committee.",
        ]
        .map(String::from)
        .to_vec();
        let got = suggest(&paragraphs, &[]);
        assert_eq!(
            got,
            [
                "^Advertisement$",
                r"^Read more: Talks stall again \(May 2\)$",
                "^Реклама$",
                "^Photo: Jane Roe$"
            ]
        );
        // What site.toml already hides is not suggested again.
        let existing = [Regex::new("^Advertisement$").unwrap()];
        assert!(!suggest(&paragraphs, &existing).contains(&"^Advertisement$".to_string()));
    }
}

/// The `boilerplate = [...]` line of site.toml holding `patterns`, each as a TOML literal
/// string (no escapes to double) unless it holds a `'`.
pub fn site_toml_line(patterns: &[String]) -> String {
    let items: Vec<String> = patterns
        .iter()
        .map(|p| {
            if p.contains('\'') || p.contains('\n') {
                toml::Value::String(p.clone()).to_string()
            } else {
                format!("'{p}'")
            }
        })
        .collect();
    format!("boilerplate = [{}]", items.join(", "))
}

#[cfg(test)]
mod toml_tests {
    use super::*;

    #[test]
    fn the_line_is_toml_that_gives_the_patterns_back() {
        let patterns = vec!["^Advertisement$".to_string(), r"^It\'s \(c\)$".to_string()];
        let line = site_toml_line(&patterns);
        let v: toml::Table = toml::from_str(&line).unwrap();
        let back: Vec<&str> = v["boilerplate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(back, patterns);
    }
}
