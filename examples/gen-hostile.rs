//! Writes a briefing that hits one of the paths a hostile (or just large) briefing made slow
//! (issue 15, item 5), for `scripts/bench-hostile.sh`:
//!
//! ```text
//! cargo run --release --example gen-hostile -- CASE DIR [N]
//! ```
//!
//! | CASE          | what                                                                 | N (default)   |
//! |---------------|----------------------------------------------------------------------|---------------|
//! | `mentions`    | a 50 MB source in which an item's alias occurs N times               | 470,000       |
//! | `oneline`     | a source of one 2.5 MB line with N mentions                          | 100,000       |
//! | `links`       | N sources and a user template with a broken relative link            | 2,000         |
//! | `links-clean` | the same without the broken link (the baseline)                      | 2,000         |
//! | `quotes`      | N quotes that are not in a 4 MB source                               | 1,000         |
//! | `ambiguous`   | a 40 kB quote that occurs everywhere in 1 MB of repetitive text      | 40,000 (bytes)|
//! | `unclosed`    | a page with N unclosed citations                                     | 50,000        |
//!
//! The output is the same for the same arguments.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (xorshift), as in gen-corpus.
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
}

const USAGE: &str =
    "usage: gen-hostile mentions|oneline|links|links-clean|quotes|ambiguous|unclosed DIR [N]";

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().expect(USAGE);
    let dir = std::path::PathBuf::from(args.next().expect(USAGE));
    let n: Option<usize> = args.next().map(|a| a.parse().expect(USAGE));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["content/sources", "content/annotations", "content/pages"] {
        std::fs::create_dir_all(dir.join(sub)).expect("make folders");
    }
    write(
        &dir,
        "site.toml",
        "title = \"Hostile briefing\"\ndescription = \"A generated case for benchmarks.\"\nbase_url = \"https://example.org/hostile/\"\n",
    );
    write(
        &dir,
        "content/index.md",
        "---\ntitle: Front\n---\nA hostile case.\n",
    );
    match case.as_str() {
        "mentions" => mentions(&dir, n.unwrap_or(470_000)),
        "oneline" => oneline(&dir, n.unwrap_or(100_000)),
        "links" => links(&dir, n.unwrap_or(2_000), true),
        "links-clean" => links(&dir, n.unwrap_or(2_000), false),
        "quotes" => quotes(&dir, n.unwrap_or(1_000)),
        "ambiguous" => ambiguous(&dir, n.unwrap_or(40_000)),
        "unclosed" => unclosed(&dir, n.unwrap_or(50_000)),
        _ => panic!("{USAGE}"),
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    std::fs::write(dir.join(path), text).expect("write file");
}

/// One person, named "Vladimir Medinsky", alias "Medinsky".
fn medinsky(dir: &Path) {
    write(
        dir,
        "content/annotations/people.yaml",
        "title: People\nkind: person\nitems:\n  - id: vladimir-medinsky\n    name: Vladimir Medinsky\n    aliases: [Medinsky]\n",
    );
}

/// About 50 MB in paragraphs of ten sentences, each sentence naming Medinsky once.
fn mentions(dir: &Path, n: usize) {
    medinsky(dir);
    // 106 bytes: 470,000 of them make 50 MB.
    let sentence = "Medinsky said that the talks would continue after a long pause, officials of the ministry added today. ";
    let mut text = String::from("---\ntitle: A very long report\n---\n");
    for i in 0..n {
        text.push_str(sentence);
        if i % 10 == 9 {
            text.push_str("\n\n");
        }
    }
    write(dir, "content/sources/long.md", &text);
}

/// One line of N short sentences, each naming Medinsky.
fn oneline(dir: &Path, n: usize) {
    medinsky(dir);
    let mut text = String::from("---\ntitle: A report on one line\n---\n");
    for _ in 0..n {
        text.push_str("Medinsky met officials. ");
    }
    text.push('\n');
    write(dir, "content/sources/line.md", &text);
}

/// N short sources, an item citing each, and (when `broken`) a base template whose footer
/// links to `nowhere/`, relative, so that every page has its own broken target.
fn links(dir: &Path, n: usize, broken: bool) {
    let mut items = String::from("title: People\nkind: person\nitems:\n");
    for i in 0..n {
        write(
            dir,
            &format!("content/sources/s{i:05}.md"),
            &format!(
                "---\ntitle: Report {i}\n---\nOfficials said the talks would continue, report number {i} says.\n\nSee [the front page](/).\n"
            ),
        );
        let _ = write!(
            items,
            "  - id: p{i:05}\n    name: Person {i}\n    summary: Named in [report {i}](/sources/s{i:05}/) [@s{i:05} \"report number {i} says\"].\n"
        );
    }
    write(dir, "content/annotations/people.yaml", &items);
    if broken {
        std::fs::create_dir_all(dir.join("templates")).expect("make templates/");
        let base = include_str!("../src/theme/templates/base.html");
        let base = base.replacen(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><a href=\"nowhere/\">Nowhere</a>",
            1,
        );
        assert!(base.contains("nowhere/"), "the footer of base.html moved");
        write(dir, "templates/base.html", &base);
    }
}

/// Pseudo-words of two to four syllables: a vocabulary with many distinct words, as a long
/// real text has.
fn vocabulary(rng: &mut Rng, n: usize) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "ga", "po", "ze", "bra", "tin",
        "mon", "sel", "dar", "vek", "ost", "ul",
    ];
    (0..n)
        .map(|_| {
            (0..2 + rng.below(3))
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

/// A 4 MB source and N claims whose quotes it does not hold: passages of it with one word
/// changed (they have a closest passage), and words with a typo that occur nowhere.
fn quotes(dir: &Path, n: usize) {
    let mut rng = Rng(0x005E_ED0F_0DD5);
    let vocab = vocabulary(&mut rng, 30_000);
    let mut words: Vec<&str> = Vec::new();
    let mut len = 0;
    while len < 4_000_000 {
        let w = vocab[rng.below(vocab.len())].as_str();
        len += w.len() + 1;
        words.push(w);
    }
    let mut text = String::from("---\ntitle: A long text\n---\n");
    for (i, w) in words.iter().enumerate() {
        text.push_str(w);
        text.push(if i % 120 == 119 { '\n' } else { ' ' });
        if i % 120 == 119 {
            text.push('\n');
        }
    }
    write(dir, "content/sources/long.md", &text);
    let mut items = String::from(
        "title: People\nkind: person\nitems:\n  - id: reader\n    name: Reader\n    claims:\n",
    );
    for k in 0..n {
        let quote = if k % 4 == 3 {
            // A word with a typo, found nowhere.
            format!("{}x", vocab[rng.below(vocab.len())])
        } else {
            // Twelve words of the text, the sixth one changed.
            let at = rng.below(words.len() - 12);
            let mut q: Vec<&str> = words[at..at + 12].to_vec();
            q[5] = "zzzquux";
            q.join(" ")
        };
        let _ = write!(
            items,
            "      - text: Claim {k}.\n        cite:\n          - source: long\n            quote: \"{quote}\"\n"
        );
    }
    write(dir, "content/annotations/people.yaml", &items);
}

/// 1 MB of "ha " and a quote of N bytes of it, which occurs at almost every third byte.
fn ambiguous(dir: &Path, n: usize) {
    let text = format!(
        "---\ntitle: Laughter\n---\n{}\n",
        "ha ".repeat(1_000_000 / 3)
    );
    write(dir, "content/sources/laughter.md", &text);
    let quote = "ha ".repeat(n / 3);
    write(
        dir,
        "content/annotations/people.yaml",
        &format!(
            "title: People\nkind: person\nitems:\n  - id: reader\n    name: Reader\n    claims:\n      - text: Laughs.\n        cite:\n          - source: laughter\n            quote: \"{}\"\n",
            quote.trim_end()
        ),
    );
}

/// A page with N citations whose quotes are never closed, one a line.
fn unclosed(dir: &Path, n: usize) {
    write(
        dir,
        "content/sources/alpha.md",
        "---\ntitle: Alpha\n---\nThe talks went on.\n",
    );
    let mut page = String::from("---\ntitle: Notes\n---\n");
    for i in 0..n {
        let _ = writeln!(page, "Note {i} [@alpha \"the talks went on");
    }
    write(dir, "content/pages/notes.md", &page);
}
