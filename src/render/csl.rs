//! `sources.csl.json`: the briefing's sources as CSL-JSON, the bibliography format Zotero,
//! Pandoc and every citeproc read (docs/exports.md).
//!
//! One item a source, its id the source's: `article-newspaper` when it names an outlet (the
//! `container-title`), else `webpage`; its title, authors (a person's name split into family
//! and given names, anything else — a desk, an agency — as a `literal`), `issued` (published)
//! and `accessed` (retrieved) as `date-parts`, its `URL` (the original's; a summary, written
//! by the briefing's authors, is published at its page on the site), its language; a summary
//! names what it summarizes in `original-title`, `original-author`, `original-publisher` and
//! `original-date`.

use std::io::Write;

use serde::Serialize;

use crate::date::PartialDate;
use crate::resolve::Briefing;
use crate::site_map;

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<Date>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "original-title", skip_serializing_if = "Option::is_none")]
    original_title: Option<&'a str>,
    #[serde(rename = "original-author", skip_serializing_if = "Vec::is_empty")]
    original_author: Vec<Name>,
    #[serde(rename = "original-publisher", skip_serializing_if = "Option::is_none")]
    original_publisher: Option<&'a str>,
    #[serde(rename = "original-date", skip_serializing_if = "Option::is_none")]
    original_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// A CSL name: a person's family and given names, or a literal (an organization).
#[derive(Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub(in crate::render) enum Name {
    Person {
        family: String,
        given: String,
        #[serde(
            rename = "non-dropping-particle",
            skip_serializing_if = "Option::is_none"
        )]
        particle: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<String>,
    },
    Literal {
        literal: String,
    },
}

/// A CSL date: `[[year, month, day]]`, as much of it as is known.
#[derive(Serialize)]
struct Date {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

impl Date {
    fn of(d: PartialDate) -> Date {
        let mut parts = vec![d.year];
        parts.extend(d.month.map(i32::from));
        parts.extend(d.day.map(i32::from));
        Date {
            date_parts: [parts],
        }
    }
}

/// Words that make an author an organization rather than a person.
const NOT_A_PERSON: &[&str] = &[
    "agency",
    "bureau",
    "correspondent",
    "correspondents",
    "desk",
    "editorial",
    "editors",
    "media",
    "news",
    "newsroom",
    "office",
    "press",
    "reporters",
    "service",
    "staff",
    "team",
    "wire",
];

/// Particles that belong to a family name (`van Gogh`, `de la Cruz`).
const PARTICLES: &[&str] = &[
    "al", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "la", "le", "st",
    "ten", "ter", "van", "von",
];

/// Suffixes after a family name (`Martin Luther King Jr.`).
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// The names of an `author` field: several are separated by `;`, ` and ` or ` & `, or by
/// commas when every part has two words or more (`Jane Roe, John Doe`, not `Roe, Jane`).
pub(in crate::render) fn names(author: &str) -> Vec<Name> {
    author
        .split(';')
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .flat_map(|part| {
            let commas: Vec<&str> = part.split(',').collect();
            if commas.len() > 1 && commas.iter().all(|c| c.split_whitespace().count() >= 2) {
                commas
            } else {
                vec![part]
            }
        })
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(name)
        .collect()
}

/// Whether a word rules out a person's name: a desk, an agency, digits.
fn not_a_name(w: &str) -> bool {
    !w.chars().all(|c| c.is_alphabetic() || "'’.-".contains(c))
        || NOT_A_PERSON.contains(&w.to_lowercase().as_str())
}

/// One name: `Family, Given`, or `Given [particle] Family` of two to four capitalized words;
/// anything else (one word, a desk or an agency, digits) is a literal.
fn name(n: &str) -> Name {
    let literal = || Name::Literal {
        literal: n.to_string(),
    };
    if let Some((family, given)) = n.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        if family.is_empty()
            || given.is_empty()
            || given.contains(',')
            || family
                .split_whitespace()
                .chain(given.split_whitespace())
                .any(not_a_name)
        {
            return literal();
        }
        return Name::Person {
            family: family.to_string(),
            given: given.to_string(),
            particle: None,
            suffix: None,
        };
    }
    let mut words: Vec<&str> = n.split_whitespace().collect();
    let suffix = match words.last() {
        Some(last) if words.len() > 2 && SUFFIXES.contains(last) => {
            let s = last.to_string();
            words.pop();
            Some(s)
        }
        _ => None,
    };
    let looks_like_a_name = (2..=4).contains(&words.len())
        && !words.iter().copied().any(not_a_name)
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words[words.len() - 1]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
    if !looks_like_a_name {
        return literal();
    }
    // The family name is the last word, with the particles before it (`Al Mansoori`).
    let mut first_family = words.len() - 1;
    while first_family > 1 && PARTICLES.contains(&words[first_family - 1].to_lowercase().as_str()) {
        first_family -= 1;
    }
    let given = words[..first_family].join(" ");
    let particle =
        (first_family < words.len() - 1).then(|| words[first_family..words.len() - 1].join(" "));
    Name::Person {
        family: words[words.len() - 1].to_string(),
        given,
        particle,
        suffix,
    }
}

/// Writes the sources as a CSL-JSON array to `w`.
pub fn write_csl(b: &Briefing, w: &mut dyn Write) -> std::io::Result<()> {
    let base = &b.site.config.base_url;
    let items: Vec<Item<'_>> = b
        .sources
        .iter()
        .map(|s| {
            let m = &s.source.meta;
            let summary = m.summary_of.as_ref();
            Item {
                id: &s.source.id,
                kind: if m.outlet.is_some() {
                    "article-newspaper"
                } else {
                    "webpage"
                },
                title: &m.title,
                container_title: m.outlet.as_deref(),
                author: m.author.as_deref().map(names).unwrap_or_default(),
                issued: m.published.map(Date::of),
                accessed: m.retrieved.map(Date::of),
                url: m.url.clone().or_else(|| {
                    summary.map(|_| format!("{base}{}", site_map::source_dir(&s.source.id)))
                }),
                language: m.language.as_deref(),
                original_title: summary.and_then(|x| x.title.as_deref()),
                original_author: summary
                    .and_then(|x| x.author.as_deref())
                    .map(names)
                    .unwrap_or_default(),
                original_publisher: summary.and_then(|x| x.outlet.as_deref()),
                original_date: summary.and_then(|x| x.date).map(Date::of),
                note: summary.map(|x| format!("A summary of {}", x.describe())),
            }
        })
        .collect();
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer_pretty(&mut w, &items)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str, particle: Option<&str>) -> Name {
        Name::Person {
            family: family.into(),
            given: given.into(),
            particle: particle.map(Into::into),
            suffix: None,
        }
    }

    fn literal(s: &str) -> Name {
        Name::Literal { literal: s.into() }
    }

    #[test]
    fn people_are_split_and_organizations_are_literal() {
        assert_eq!(names("Jane Roe"), [person("Roe", "Jane", None)]);
        assert_eq!(names("Roe, Jane"), [person("Roe", "Jane", None)]);
        assert_eq!(
            names("Mary Ann O’Neil"),
            [person("O’Neil", "Mary Ann", None)]
        );
        assert_eq!(
            names("Ludwig van Beethoven"),
            [person("Beethoven", "Ludwig", Some("van"))]
        );
        assert_eq!(names("Олена Петренко"), [person("Петренко", "Олена", None)]);
        assert_eq!(
            names("Jane Roe and John Doe; Ana Lima"),
            [
                person("Roe", "Jane", None),
                person("Doe", "John", None),
                person("Lima", "Ana", None)
            ]
        );
        assert_eq!(
            names("Layla Al Mansoori"),
            [person("Mansoori", "Layla", Some("Al"))]
        );
        assert_eq!(
            names("Jane Roe, John Doe"),
            [person("Roe", "Jane", None), person("Doe", "John", None)]
        );
        assert_eq!(
            names("Martin Luther King Jr."),
            [Name::Person {
                family: "King".into(),
                given: "Martin Luther".into(),
                particle: None,
                suffix: Some("Jr.".into()),
            }]
        );
        for org in [
            "Reuters, staff",
            "Brief Desk",
            "Reuters",
            "TASS staff",
            "Kyiv Independent News Desk",
            "AP 24",
        ] {
            assert_eq!(names(org), [literal(org)], "{org}");
        }
    }

    #[test]
    fn dates_are_as_precise_as_written() {
        let parts = |s: &str| Date::of(PartialDate::parse(s).unwrap()).date_parts[0].clone();
        assert_eq!(parts("2025"), [2025]);
        assert_eq!(parts("2025-06"), [2025, 6]);
        assert_eq!(parts("2025-06-02"), [2025, 6, 2]);
    }
}
