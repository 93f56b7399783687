//! Writes a synthetic briefing for benchmarks: `cargo run --release --example gen-corpus -- N DIR`.
//!
//! N news-like sources of about 750 words (front matter with title, outlet and date), N/5
//! items in people, venue and event collections whose names recur in the texts, about five
//! verified quotes per source as claims, a few disputes, and dated events. The output is the
//! same for the same N, so timings compare across runs and machines.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (xorshift), so the corpus needs no crate and never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const WORDS: &[&str] = &[
    "officials",
    "said",
    "the",
    "talks",
    "would",
    "continue",
    "after",
    "a",
    "long",
    "pause",
    "and",
    "both",
    "delegations",
    "arrived",
    "in",
    "city",
    "on",
    "morning",
    "of",
    "meeting",
    "ministry",
    "statement",
    "added",
    "that",
    "negotiators",
    "discussed",
    "prisoner",
    "exchanges",
    "ceasefire",
    "proposals",
    "while",
    "drone",
    "strikes",
    "continued",
    "overnight",
    "across",
    "several",
    "regions",
    "according",
    "to",
    "regional",
    "authorities",
    "who",
    "reported",
    "damage",
    "energy",
    "facilities",
    "no",
    "casualties",
    "were",
    "confirmed",
    "by",
    "evening",
    "diplomats",
    "described",
    "atmosphere",
    "as",
    "tense",
    "but",
    "constructive",
    "with",
    "further",
    "rounds",
    "expected",
    "next",
    "month",
    "observers",
    "noted",
    "gap",
    "between",
    "positions",
    "remained",
    "wide",
    "on",
    "territory",
    "security",
    "guarantees",
    "sanctions",
    "relief",
    "humanitarian",
    "corridors",
    "grain",
    "exports",
    "shipping",
    "lanes",
    "mediators",
    "urged",
    "patience",
    "restraint",
];
const FIRST: &[&str] = &[
    "Anna", "Boris", "Celal", "Daria", "Emre", "Fatima", "Georgy", "Hanna", "Ilya", "Jana",
    "Kemal", "Lena", "Mikhail", "Nadia", "Oleg", "Pavlo", "Rustam", "Sofia", "Taras", "Yulia",
];
const LAST: &[&str] = &[
    "Arslan",
    "Bondar",
    "Chernov",
    "Demir",
    "Efremov",
    "Fedorova",
    "Gurov",
    "Hrytsenko",
    "Ivanova",
    "Kaya",
    "Lysenko",
    "Morozov",
    "Nikitin",
    "Orlova",
    "Petrenko",
    "Rudenko",
    "Sokolov",
    "Tkachenko",
    "Usmanov",
    "Volkov",
    "Yilmaz",
    "Zorin",
];
const PLACES: &[&str] = &[
    "Palace", "Hall", "Centre", "Forum", "Pavilion", "House", "Gardens", "Terminal",
];
const TOWNS: &[&str] = &[
    "Northgate",
    "Eastbrook",
    "Westford",
    "Southmere",
    "Riverton",
    "Lakeside",
    "Hillcrest",
    "Stonebridge",
];
const OUTLETS: &[&str] = &[
    "Daily Wire Service",
    "Evening Courier",
    "Harbour Times",
    "Capital Post",
    "Frontline Report",
    "Morning Ledger",
];

struct Item {
    id: String,
    name: String,
    collection: usize,            // 0 people, 1 venues, 2 events
    claims: Vec<(usize, String)>, // (source, quote)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen-corpus N DIR";
    let n: usize = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let dir = std::path::PathBuf::from(args.next().expect(usage));
    generate(n, &dir).expect("write corpus");
    eprintln!(
        "wrote a briefing of {n} sources and {} items to {}",
        (n / 5).max(3),
        dir.display()
    );
}

pub fn generate(n: usize, dir: &Path) -> std::io::Result<()> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    for sub in ["content/sources", "content/annotations", "content/pages"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Synthetic briefing\"\ndescription = \"A generated corpus for benchmarks.\"\nbase_url = \"https://example.org/bench/\"\nauthor = \"gen-corpus\"\n",
    )?;

    // Items with unique names.
    let count = (n / 5).max(3);
    let mut items: Vec<Item> = (0..count)
        .map(|i| {
            let collection = i % 3;
            let name = match collection {
                0 => format!(
                    "{} {}{}",
                    FIRST[i % FIRST.len()],
                    LAST[(i / FIRST.len()) % LAST.len()],
                    suffix(i / (FIRST.len() * LAST.len()))
                ),
                1 => format!(
                    "{} {}{}",
                    TOWNS[i % TOWNS.len()],
                    PLACES[(i / TOWNS.len()) % PLACES.len()],
                    suffix(i / (TOWNS.len() * PLACES.len()))
                ),
                _ => format!("Round {} at {}", i / 3 + 1, TOWNS[i % TOWNS.len()]),
            };
            Item {
                id: format!("item-{i:05}"),
                name,
                collection,
                claims: Vec::new(),
            }
        })
        .collect();

    for s in 0..n {
        let mut body = String::new();
        let mut quotes = Vec::new();
        for p in 0..8 {
            let mut para = String::new();
            for sentence in 0..5 {
                let mut words: Vec<String> = (0..18).map(|_| rng.pick(WORDS).to_string()).collect();
                // Names recur: about six mentions a source.
                if sentence % 3 == 0 {
                    let item = &items[rng.below(items.len())];
                    let at = rng.below(words.len());
                    words.insert(at, item.name.clone());
                }
                // A unique figure makes each quoted sentence unique in its source.
                if sentence == 1 && p < 5 {
                    words.insert(3, format!("{}", 1000 + s * 10 + p));
                    quotes.push(words[1..9].join(" "));
                }
                let mut text = words.join(" ");
                text[..1].make_ascii_uppercase();
                let _ = write!(para, "{text}. ");
            }
            body.push_str(para.trim_end());
            body.push_str("\n\n");
        }
        for (k, q) in quotes.into_iter().enumerate() {
            let owner = (s * 5 + k) % items.len();
            items[owner].claims.push((s, q));
        }
        let day = s % 600;
        let date = format!(
            "{}-{:02}-{:02}",
            2024 + day / 300,
            (day % 300) / 25 + 1,
            day % 25 + 1
        );
        let page = format!(
            "---\ntitle: Report {s} on the talks\noutlet: {}\nauthor: Desk {}\npublished: {date}\n---\n{body}",
            OUTLETS[s % OUTLETS.len()],
            s % 17
        );
        std::fs::write(dir.join(format!("content/sources/s{s:05}.md")), page)?;
    }

    let titles = [
        ("people", "People", "person"),
        ("venues", "Venues", "venue"),
        ("events", "Events", "event"),
    ];
    for (c, (file, title, kind)) in titles.iter().enumerate() {
        let mut y = format!("title: {title}\nkind: {kind}\nitems:\n");
        for (i, item) in items
            .iter()
            .enumerate()
            .filter(|(_, it)| it.collection == c)
        {
            let _ = write!(y, "  - id: {}\n    name: {}\n", item.id, item.name);
            match *kind {
                "person" => y.push_str("    role: Negotiator\n    side: Delegation\n"),
                "venue" => y.push_str("    city: Istanbul\n    country: Türkiye\n"),
                _ => {
                    let _ = write!(
                        y,
                        "    date: 2025-{:02}-{:02}\n    place: item-{:05}\n",
                        i % 12 + 1,
                        i % 28 + 1,
                        (i / 3) * 3 + 1
                    );
                }
            }
            if let Some((s, q)) = item.claims.first() {
                let _ = writeln!(y, "    summary: Named in the reports [@s{s:05} \"{q}\"].");
            }
            y.push_str("    claims:\n");
            for (k, (s, q)) in item.claims.iter().enumerate() {
                let date = match k % 3 {
                    0 => format!("2025-{:02}", k % 12 + 1),
                    1 => format!("2025-{:02}-{:02}", k % 12 + 1, k % 28 + 1),
                    _ => "2025".to_string(),
                };
                let _ = write!(
                    y,
                    "      - text: Reported in source {s}.\n        date: {date}\n        cite:\n          - source: s{s:05}\n            quote: \"{q}\"\n"
                );
            }
        }
        std::fs::write(dir.join(format!("content/annotations/{file}.yaml")), y)?;
    }

    let mut d = String::from("title: Disputes\nkind: dispute\nitems:\n");
    for k in 0..(n / 100).max(2) {
        let a = &items[(k * 7) % items.len()];
        let b = &items[(k * 7 + 1) % items.len()];
        let (Some((sa, qa)), Some((sb, qb))) = (a.claims.first(), b.claims.first()) else {
            continue;
        };
        let _ = write!(
            d,
            "  - id: dispute-{k}\n    question: Which account of matter {k} holds?\n    positions:\n      - text: One account.\n        cite:\n          - source: s{sa:05}\n            quote: \"{qa}\"\n      - text: Another account.\n        cite:\n          - source: s{sb:05}\n            quote: \"{qb}\"\n"
        );
    }
    std::fs::write(dir.join("content/annotations/disputes.yaml"), d)?;
    let first = &items[0].claims[0];
    std::fs::write(
        dir.join("content/index.md"),
        format!(
            "---\ntitle: Synthetic briefing\n---\nA generated briefing [@s{:05} \"{}\"].\n",
            first.0, first.1
        ),
    )?;
    Ok(())
}

/// Disambiguates names once the lists are exhausted: "", " II", " III" …
fn suffix(round: usize) -> String {
    const ROMAN: &[&str] = &[
        "", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X",
    ];
    match ROMAN.get(round) {
        Some(r) => r.to_string(),
        None => format!(" {}", round + 1),
    }
}
