//! Writes a synthetic briefing for benchmarks: `cargo run --release --example gen-corpus -- N DIR`.
//!
//! N news-like sources of about 750 words (front matter with title, outlet and date), N/5
//! items in people, venue and event collections whose names recur in the texts, about five
//! verified quotes per source as claims, a few disputes, and dated events. The output is the
//! same for the same N, so timings compare across runs and machines.
//!
//! `--hugo HDIR` and `--zola ZDIR` also write the same N sources as a Hugo and a Zola site, for
//! `scripts/bench.sh` to build beside brief: the same Markdown text, front matter of the same
//! shape (title, date, author, outlet), and a minimal theme each with a page template, a list
//! page of every source, and two taxonomies — `outlets`, and `items` (the names of the items a
//! source mentions, as brief links them) — whose term pages stand for brief's item pages.

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
    let usage = "usage: gen-corpus N DIR [--hugo HDIR] [--zola ZDIR]";
    let n: usize = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let dir = std::path::PathBuf::from(args.next().expect(usage));
    let mut peers = Peers::default();
    while let Some(flag) = args.next() {
        let at = std::path::PathBuf::from(args.next().expect(usage));
        match flag.as_str() {
            "--hugo" => peers.hugo = Some(at),
            "--zola" => peers.zola = Some(at),
            _ => panic!("{usage}"),
        }
    }
    peers.start().expect("write the peers' sites");
    generate_with_peers(n, &dir, &peers).expect("write corpus");
    eprintln!(
        "wrote a briefing of {n} sources and {} items to {}",
        (n / 5).max(3),
        dir.display()
    );
}

/// The briefing alone, without the peers' sites (what tests/search_chunks.rs generates).
#[allow(dead_code)] // Used by the tests that include this file, not by its own main.
pub fn generate(n: usize, dir: &Path) -> std::io::Result<()> {
    generate_with_peers(n, dir, &Peers::default())
}

/// The briefing, and the same sources as a Hugo and a Zola site where `peers` asks.
fn generate_with_peers(n: usize, dir: &Path, peers: &Peers) -> std::io::Result<()> {
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
        let mut mentioned: Vec<usize> = Vec::new();
        for p in 0..8 {
            let mut para = String::new();
            for sentence in 0..5 {
                let mut words: Vec<String> = (0..18).map(|_| rng.pick(WORDS).to_string()).collect();
                // Names recur: about six mentions a source.
                if sentence % 3 == 0 {
                    let pick = rng.below(items.len());
                    let item = &items[pick];
                    if !mentioned.contains(&pick) {
                        mentioned.push(pick);
                    }
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
        let names: Vec<&str> = mentioned.iter().map(|&i| items[i].name.as_str()).collect();
        let front = PeerFront {
            title: format!("Report {s} on the talks"),
            outlet: OUTLETS[s % OUTLETS.len()],
            author: format!("Desk {}", s % 17),
            date: &date,
            items: &names,
        };
        peers.page(&format!("s{s:05}"), &front, &body)?;
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

/// Where to write the peers' versions of the corpus.
#[derive(Default)]
struct Peers {
    hugo: Option<std::path::PathBuf>,
    zola: Option<std::path::PathBuf>,
}

/// A source's front matter, as the peers read it.
struct PeerFront<'a> {
    title: String,
    outlet: &'a str,
    author: String,
    date: &'a str,
    items: &'a [&'a str],
}

/// Hugo's templates (the template lookup of Hugo 0.146 and later): one base, a page, a list
/// for the home page and sections, and the taxonomy and term pages.
const HUGO_FILES: &[(&str, &str)] = &[
    (
        "hugo.toml",
        "baseURL = \"https://example.org/bench/\"\ntitle = \"Synthetic briefing\"\nlanguageCode = \"en\"\n[taxonomies]\noutlet = \"outlets\"\nitem = \"items\"\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Synthetic briefing\n---\nA generated briefing.\n",
    ),
    ("content/sources/_index.md", "---\ntitle: Sources\n---\n"),
    (
        "layouts/baseof.html",
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} | {{ site.Title }}</title></head>\n<body><nav><a href=\"{{ site.Home.RelPermalink }}\">{{ site.Title }}</a></nav>\n<main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    ),
    (
        "layouts/single.html",
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>\n<p>{{ .Params.author }}, {{ range .GetTerms \"outlets\" }}<a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a>{{ end }}, <time>{{ .Date.Format \"2006-01-02\" }}</time></p>\n{{ .Content }}\n<h2>Mentioned</h2><ul>{{ range .GetTerms \"items\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>{{ end }}\n",
    ),
    (
        "layouts/list.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}\n<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "layouts/taxonomy.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "layouts/term.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ end }}\n",
    ),
];

/// Zola's templates: a base, the home page, a section, a page, and the taxonomy pages.
const ZOLA_FILES: &[(&str, &str)] = &[
    (
        "config.toml",
        "base_url = \"https://example.org/bench/\"\ntitle = \"Synthetic briefing\"\ndefault_language = \"en\"\ncompile_sass = false\nbuild_search_index = true\ngenerate_feeds = true\ntaxonomies = [{ name = \"outlets\" }, { name = \"items\" }]\n[markdown]\nrender_emoji = false\n",
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Synthetic briefing\"\n+++\nA generated briefing.\n",
    ),
    (
        "content/sources/_index.md",
        "+++\ntitle = \"Sources\"\nsort_by = \"date\"\n+++\n",
    ),
    (
        "templates/base.html",
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>\n<body><nav><a href=\"{{ get_url(path='/') }}\">{{ config.title }}</a></nav>\n<main>{% block main %}{% endblock %}</main></body></html>\n",
    ),
    (
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% set s = get_section(path=\"sources/_index.md\") %}<p><a href=\"{{ s.permalink }}\">{{ s.pages | length }} sources</a></p>{% endblock %}\n",
    ),
    (
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>\n<ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.date }}</li>{% endfor %}</ul>{% endblock %}\n",
    ),
    (
        "templates/page.html",
        "{% extends \"base.html\" %}{% block title %}{{ page.title }} | {{ config.title }}{% endblock %}{% block main %}<article><h1>{{ page.title }}</h1>\n<p>{{ page.extra.author }}, {% for o in page.taxonomies.outlets %}<a href=\"{{ get_taxonomy_url(kind='outlets', name=o) }}\">{{ o }}</a>{% endfor %}, <time>{{ page.date }}</time></p>\n{{ page.content | safe }}\n<h2>Mentioned</h2><ul>{% for i in page.taxonomies.items %}<li><a href=\"{{ get_taxonomy_url(kind='items', name=i) }}\">{{ i }}</a></li>{% endfor %}</ul></article>{% endblock %}\n",
    ),
    (
        "templates/taxonomy_list.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ taxonomy.name }}</h1><ul>{% for t in terms %}<li><a href=\"{{ t.permalink }}\">{{ t.name }}</a> ({{ t.page_count }})</li>{% endfor %}</ul>{% endblock %}\n",
    ),
    (
        "templates/taxonomy_single.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ term.name }}</h1><ul>{% for p in term.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.date }}</li>{% endfor %}</ul>{% endblock %}\n",
    ),
];

impl Peers {
    /// Writes each peer's configuration, theme and list pages.
    fn start(&self) -> std::io::Result<()> {
        for (dir, files) in [(&self.hugo, HUGO_FILES), (&self.zola, ZOLA_FILES)] {
            let Some(dir) = dir else { continue };
            for (path, text) in files {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().expect("a file in a folder"))?;
                std::fs::write(path, text)?;
            }
        }
        Ok(())
    }

    /// Writes one source as a page of each peer: the same Markdown, the same fields.
    fn page(&self, id: &str, front: &PeerFront, body: &str) -> std::io::Result<()> {
        // Names and titles are plain words here, so YAML and TOML need no quoting beyond "…".
        let list = |names: &[&str]| {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("[{}]", quoted.join(", "))
        };
        if let Some(dir) = &self.hugo {
            let page = format!(
                "---\ntitle: \"{}\"\ndate: {}\nauthor: \"{}\"\noutlets: [\"{}\"]\nitems: {}\n---\n{body}",
                front.title,
                front.date,
                front.author,
                front.outlet,
                list(front.items)
            );
            std::fs::write(dir.join(format!("content/sources/{id}.md")), page)?;
        }
        if let Some(dir) = &self.zola {
            let page = format!(
                "+++\ntitle = \"{}\"\ndate = {}\n[taxonomies]\noutlets = [\"{}\"]\nitems = {}\n[extra]\nauthor = \"{}\"\n+++\n{body}",
                front.title,
                front.date,
                front.outlet,
                list(front.items),
                front.author
            );
            std::fs::write(dir.join(format!("content/sources/{id}.md")), page)?;
        }
        Ok(())
    }
}
