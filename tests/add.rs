//! End-to-end: `brief add` on saved pages in the shapes news sites have (tests/fixtures/add/
//! pages/, written for these tests), a PDF made here, a local HTTP server, standard input;
//! each source written holds its paragraphs and none of the page's boilerplate, its
//! metadata, the original byte for byte with its SHA-256 — and builds clean.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Run, Site};
use sha2::Digest;

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/add/pages")
        .join(name)
}

/// A fresh copy of the fixture briefing, a front page and no source.
fn briefing() -> Site {
    Site::copy("add/site")
}

fn add(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    site.run(&all)
}

fn added(site: &Site, args: &[&str]) -> Run {
    let run = add(site, args);
    assert!(run.ok, "brief add {args:?} failed:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The source's front matter field `name`, as written.
fn field(source: &str, name: &str) -> Option<String> {
    let front = source.split("\n---\n").next()?;
    front.lines().find_map(|l| {
        let v = l.strip_prefix(name)?.strip_prefix(": ")?;
        Some(v.trim_matches('"').to_string())
    })
}

/// The text below the front matter, a paragraph an entry.
fn body(source: &str) -> Vec<String> {
    let text = source.split_once("\n---\n").expect("front matter").1;
    text.split("\n\n").map(|p| p.trim().to_string()).collect()
}

/// Asserts the shape of one added page: the source and its original, what the text holds
/// and what it must not.
fn check_page(site: &Site, id: &str, file: &str, holds: &[&str], never: &[&str]) -> String {
    let source = site.read(&format!("content/sources/{id}.md"));
    let original = std::fs::read(site.path().join(format!("content/archive/{id}.html")))
        .expect("the original is kept");
    assert_eq!(
        original,
        std::fs::read(page(file)).unwrap(),
        "the original is not the bytes given"
    );
    assert_eq!(
        field(&source, "original").unwrap(),
        format!("archive/{id}.html")
    );
    assert_eq!(field(&source, "sha256").unwrap(), sha256(&original));
    let paragraphs = body(&source);
    for h in holds {
        assert!(
            paragraphs.iter().any(|p| p == h),
            "{id}: the text lacks the paragraph {h:?}:\n{source}"
        );
    }
    for n in never {
        assert!(
            !source.contains(n),
            "{id}: the text holds boilerplate {n:?}:\n{source}"
        );
    }
    source
}

/// Navigation, share bars, related stories, comments and footers of the fixture pages.
const CHROME: &[&str] = &[
    "Politics",
    "Subscribe for 1 dollar",
    "Share on Facebook",
    "Email this story",
    "Related stories",
    "Ferry crews vote",
    "Comments",
    "harbourwatcher",
    "Nobody in town believes",
    "Leave a comment",
    "morning newsletter",
    "All rights reserved",
    "Privacy policy",
    "window.dataLayer",
];

#[test]
fn a_page_with_json_ld_gives_its_article_and_all_its_metadata() {
    let site = briefing();
    let run = added(&site, &[page("jsonld.html").to_str().unwrap()]);
    let id = "fishing-talks-in-port-alder-end-without-a-deal";
    let source = check_page(
        &site,
        id,
        "jsonld.html",
        &[
            "Negotiators from the two coastal provinces left the old customs house in Port Alder on Monday evening without agreeing on the quotas that have divided their fishing fleets for a decade.",
            "The delegations had met for nine hours behind closed doors. A mediator from the regional council said both sides had \"moved further than at any meeting before\", but that the question of the northern banks remained open.",
            "Neither delegation would say whether the temporary quotas would be extended in the meantime. The current arrangement ends on the first of July.",
        ],
        CHROME,
    );
    assert_eq!(
        field(&source, "title").unwrap(),
        "Fishing talks in Port Alder end without a deal"
    );
    assert_eq!(field(&source, "outlet").unwrap(), "The Harbour Ledger");
    assert_eq!(field(&source, "author").unwrap(), "Ines Varga, Tomas Reel");
    assert_eq!(field(&source, "published").unwrap(), "2025-06-02");
    assert_eq!(
        field(&source, "url").unwrap(),
        "https://harbour-ledger.example/world/2025/06/02/fishing-talks-port-alder"
    );
    assert_eq!(field(&source, "language").unwrap(), "en");
    let retrieved = field(&source, "retrieved").unwrap();
    assert!(
        retrieved.len() == 10 && retrieved.starts_with("20"),
        "{retrieved}"
    );
    // The headline is the title, not a paragraph; the byline is the author, not text.
    assert!(
        !body(&source)
            .iter()
            .any(|p| p.contains("Port Alder end without"))
    );
    assert!(!body(&source).iter().any(|p| p.starts_with("By ")));
    // In-article boilerplate stays in the text as retrieved and is offered as patterns.
    assert!(
        run.stderr
            .contains("boilerplate = ['^Advertisement$', '^Photo: Lena Dorsch$']"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("found:") && !run.stderr.contains("not found"),
        "{}",
        run.stderr
    );

    // With the patterns in site.toml, the page built shows none of it.
    site.edit(
        "site.toml",
        "language = \"en\"\n",
        "language = \"en\"\nboilerplate = ['^Advertisement$', '^Photo: Lena Dorsch$']\n",
    );
    site.build_clean();
    let html = site.output(&format!("sources/{id}/index.html"));
    assert!(html.contains("northern banks hold most of the cod"));
    assert!(!html.contains("Advertisement") && !html.contains("Lena Dorsch"));
    // Archives are not published unless site.toml says so.
    assert!(
        !site
            .path()
            .join(format!("public/sources/{id}/original.html.txt"))
            .exists()
    );
    assert!(!html.contains("original.html"));
}

#[test]
fn a_page_with_opengraph_only_gives_its_metadata_and_none_of_its_chrome() {
    let site = briefing();
    let run = added(&site, &[page("opengraph.html").to_str().unwrap()]);
    let source = check_page(
        &site,
        "rail-link-vote-postponed-again",
        "opengraph.html",
        &[
            "The county assembly has put off its vote on the valley rail link for the third time this year, after two members asked for a new estimate of the costs of the tunnel under Harrow Ridge.",
            "The chair of the assembly said the vote would now take place in May, once the engineers had reported. \"We owe it to the valley to decide on real figures,\" she said.",
        ],
        &[
            "cookies",
            "Weather",
            "Most read",
            "Flood warnings",
            "Share on X",
            "Careers",
        ],
    );
    assert_eq!(field(&source, "outlet").unwrap(), "Valley Courier");
    assert_eq!(field(&source, "author").unwrap(), "Priya Holm");
    assert_eq!(field(&source, "published").unwrap(), "2025-03-14");
    assert_eq!(
        field(&source, "url").unwrap(),
        "https://valley-courier.example/news/rail-link-vote-postponed"
    );
    assert_eq!(field(&source, "language").unwrap(), "en-GB");
    assert!(
        run.stderr
            .contains("'^Read more: Bus routes to be cut in the new year$'"),
        "{}",
        run.stderr
    );
    site.build_clean();
}

#[test]
fn a_page_without_metadata_says_what_it_could_not_find() {
    let site = briefing();
    let run = added(&site, &[page("bare.html").to_str().unwrap()]);
    let source = check_page(
        &site,
        "harbour-pilots-return-to-work",
        "bare.html",
        &[
            "The harbour pilots who stopped work on Thursday went back to their boats on Saturday morning, after the port authority agreed to look again at the new shift rota.",
            "Talks between the two are to continue next week.",
        ],
        &["Archive", "Contact", "webmaster", "Copyright"],
    );
    assert_eq!(
        field(&source, "title").unwrap(),
        "Harbour pilots return to work"
    );
    for absent in ["outlet", "author", "url", "published", "language"] {
        assert!(
            field(&source, absent).is_none(),
            "{absent} was made up:\n{source}"
        );
    }
    assert!(
        run.stderr
            .contains("not found: outlet, author, url, published, language"),
        "{}",
        run.stderr
    );
    site.build_clean();
}

#[test]
fn a_windows_1251_page_is_decoded_as_it_declares() {
    let site = briefing();
    added(&site, &[page("cyrillic-1251.html").to_str().unwrap()]);
    let id = "peregovory-o-parome-otlozheny-do-oseni";
    let source = check_page(
        &site,
        id,
        "cyrillic-1251.html",
        &[
            "Представители двух островных районов не смогли договориться о новом расписании парома и перенесли переговоры на сентябрь.",
            "Жители острова собрали более тысячи подписей под обращением с просьбой сохранить вечерний рейс круглый год.",
        ],
        &[
            "Главная",
            "Экономика",
            "Поделиться",
            "Читайте также",
            "Новый причал",
            "Все права",
        ],
    );
    assert_eq!(
        field(&source, "title").unwrap(),
        "Переговоры о пароме отложены до осени"
    );
    assert_eq!(field(&source, "outlet").unwrap(), "Северный вестник");
    assert_eq!(field(&source, "author").unwrap(), "Мария Лесная");
    assert_eq!(field(&source, "published").unwrap(), "2025-08-21");
    assert_eq!(field(&source, "language").unwrap(), "ru");
    site.build_clean();
    assert!(
        site.output(&format!("sources/{id}/index.html"))
            .contains("вечерний рейс")
    );
}

#[test]
fn an_iso_8859_9_page_is_decoded_as_it_declares() {
    let site = briefing();
    let run = added(&site, &[page("turkish-8859-9.html").to_str().unwrap()]);
    let source = check_page(
        &site,
        "liman-gorusmeleri-ikinci-gununde",
        "turkish-8859-9.html",
        &[
            "Kooperatif başkanı, küçük teknelerin ödediği ücretin son iki yılda iki katına çıktığını ve birçok balıkçının işi bırakmayı düşündüğünü söyledi.",
            "Işıklı iskelenin onarımı için ayrılan bütçe de masadaki konular arasında yer alıyor.",
        ],
        &[
            "Ana sayfa",
            "Gündem",
            "İlgili haberler",
            "Balık fiyatları",
            "Tüm hakları",
        ],
    );
    assert_eq!(
        field(&source, "title").unwrap(),
        "Liman görüşmeleri ikinci gününde"
    );
    assert_eq!(field(&source, "outlet").unwrap(), "Kıyı Postası");
    assert_eq!(field(&source, "author").unwrap(), "Şule Yıldız");
    assert_eq!(field(&source, "published").unwrap(), "2025-10-07");
    assert_eq!(field(&source, "language").unwrap(), "tr");
    assert!(
        run.stderr.contains("boilerplate = ['^Reklam$']"),
        "{}",
        run.stderr
    );
    site.build_clean();
}

#[test]
fn a_page_that_is_mostly_navigation_gives_its_story_only() {
    let site = briefing();
    added(&site, &[page("navigation.html").to_str().unwrap()]);
    let source = check_page(
        &site,
        "bridge-toll-frozen-for-another-year",
        "navigation.html",
        &[
            "The toll on the estuary bridge will stay at two pounds for cars until next summer, the bridge trust decided at its meeting on Tuesday night, despite a shortfall in its repair fund.",
            "Trustees said that raising the toll while the ferry remains out of service would have hit the commuters who have no other way across. The ferry is expected back in the spring.",
            "The trust will instead borrow against next year's income to pay for the resurfacing work, which starts in October and will close one lane at night for six weeks.",
        ],
        &[
            "Obituaries",
            "Podcasts",
            "Newsletters",
            "Trending",
            "Storm damage",
            "More from Local",
            "Parking charges",
            "morning briefing",
            "Accessibility",
            "Site map",
            "Transport",
        ],
    );
    assert_eq!(body(&source).len(), 3, "{source}");
    assert_eq!(field(&source, "outlet").unwrap(), "Estuary Times");
    site.build_clean();
}

#[test]
fn every_page_added_to_one_briefing_builds_clean_and_is_cited() {
    let site = briefing();
    for f in [
        "jsonld.html",
        "opengraph.html",
        "bare.html",
        "cyrillic-1251.html",
        "turkish-8859-9.html",
        "navigation.html",
    ] {
        added(&site, &[page(f).to_str().unwrap()]);
    }
    // The path from a link to a cited claim: a quote from the added text builds.
    site.write(
        "content/index.md",
        "# Sources added\n\nThe pilots went back to work [@harbour-pilots-return-to-work \"went back to their boats on Saturday morning\"].\n",
    );
    let run = site.run(&["check"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    site.build_clean();
    let html = site.output("index.html");
    assert!(html.contains("went back to their boats"), "{html}");
}

#[test]
fn an_existing_source_is_never_overwritten_and_a_free_id_is_offered() {
    let site = briefing();
    let arg = page("bare.html");
    added(&site, &[arg.to_str().unwrap()]);
    let before = site.read("content/sources/harbour-pilots-return-to-work.md");
    let run = add(&site, &[arg.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("error[add-exists]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--id harbour-pilots-return-to-work-2"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(
        before,
        site.read("content/sources/harbour-pilots-return-to-work.md")
    );
    // A .txt source of the id takes it too; the suggested id is free.
    added(
        &site,
        &[
            arg.to_str().unwrap(),
            "--id",
            "harbour-pilots-return-to-work-2",
        ],
    );
    site.write("content/sources/pilots.txt", "Pilots\nA line.\n");
    let run = add(&site, &[arg.to_str().unwrap(), "--id", "pilots"]);
    assert!(
        run.stderr.contains("error[add-exists]") && run.stderr.contains("--id pilots-2"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("content/archive/pilots.html").exists());
    // An id that cannot be one is refused before anything is written.
    let run = add(&site, &[arg.to_str().unwrap(), "--id", "Not An Id"]);
    assert!(run.stderr.contains("error[add-input]"), "{}", run.stderr);
}

#[test]
fn plain_text_from_standard_input_needs_a_title() {
    let site = briefing();
    let stdin = |args: &[&str], text: &str| -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .arg("add")
            .args(args)
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap().into()
    };
    let text = "The envoy arrived on Tuesday.\nShe met the harbour master first.\n";
    let run = stdin(&["-"], text);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("error[add-input]") && run.stderr.contains("--title"),
        "{}",
        run.stderr
    );
    assert!(
        !site.path().join("content/sources").exists()
            || std::fs::read_dir(site.path().join("content/sources"))
                .unwrap()
                .next()
                .is_none()
    );

    let run = stdin(&["-", "--title", "Envoy's notes: day one"], text);
    assert!(run.ok, "{}", run.stderr);
    let source = site.read("content/sources/envoy-s-notes-day-one.md");
    assert_eq!(field(&source, "title").unwrap(), "Envoy's notes: day one");
    assert_eq!(
        body(&source),
        [
            "The envoy arrived on Tuesday.",
            "She met the harbour master first."
        ]
    );
    let kept = std::fs::read(
        site.path()
            .join("content/archive/envoy-s-notes-day-one.txt"),
    )
    .unwrap();
    assert_eq!(kept, text.as_bytes());
    assert!(field(&source, "url").is_none());
    site.build_clean();
}

/// A small valid PDF of `pages`, each page's lines in Helvetica, made with lopdf.
fn make_pdf(pages: &[&[&str]]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
        ];
        for line in *lines {
            ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Report of the harbour commission"),
        "Author" => Object::string_literal("Harbour Commission"),
        "CreationDate" => Object::string_literal("D:20250915120000Z"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_pdf_keeps_its_pages_so_a_quote_can_be_found_by_page() {
    let site = briefing();
    let pdf = make_pdf(&[
        &[
            "The commission met four times between March and August and heard",
            "evidence from pilots, fishers and the port authority.",
            "Its findings are set out below.",
        ],
        &[
            "The commission finds that the night rota left the harbour without a",
            "second pilot on eleven nights in July.",
        ],
        &["It recommends that two pilots be on duty at all times."],
    ]);
    let path = site.path().join("commission.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let run = added(&site, &["commission.pdf"]);
    assert!(run.stderr.contains("from a PDF"), "{}", run.stderr);
    let id = "report-of-the-harbour-commission";
    let source = site.read(&format!("content/sources/{id}.md"));
    assert_eq!(field(&source, "author").unwrap(), "Harbour Commission");
    assert_eq!(field(&source, "published").unwrap(), "2025-09-15");
    assert_eq!(
        field(&source, "original").unwrap(),
        format!("archive/{id}.pdf")
    );
    assert_eq!(field(&source, "sha256").unwrap(), sha256(&pdf));
    assert_eq!(
        std::fs::read(site.path().join(format!("content/archive/{id}.pdf"))).unwrap(),
        pdf
    );
    assert_eq!(
        body(&source),
        [
            "[Page 1]",
            "The commission met four times between March and August and heard evidence from pilots, fishers and the port authority.",
            "Its findings are set out below.",
            "[Page 2]",
            "The commission finds that the night rota left the harbour without a second pilot on eleven nights in July.",
            "[Page 3]",
            "It recommends that two pilots be on duty at all times.",
        ],
        "{}",
        run.stderr
    );
    site.write(
        "content/index.md",
        "# Sources added\n\nThe rota left gaps [@report-of-the-harbour-commission \"without a second pilot on eleven nights\"].\n",
    );
    site.build_clean();
    let html = site.output(&format!("sources/{id}/index.html"));
    assert!(html.contains("[Page 2]"), "{html}");
}

/// A local HTTP server on 127.0.0.1 for the URL paths; it answers until the test ends.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    addr
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The rest of the request head.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let respond = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match path.as_str() {
        "/story" => respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            &std::fs::read(page("opengraph.html")).unwrap(),
        ),
        "/moved" => respond(
            &mut stream,
            "301 Moved Permanently",
            "Location: /story\r\n",
            b"",
        ),
        "/cyrillic" => {
            // The charset only in the header: the page's own meta is taken out.
            let bytes = strip_meta(&std::fs::read(page("cyrillic-1251.html")).unwrap());
            respond(
                &mut stream,
                "200 OK",
                "Content-Type: text/html; charset=windows-1251\r\n",
                &bytes,
            )
        }
        "/slow" => {
            std::thread::sleep(Duration::from_secs(5));
            respond(
                &mut stream,
                "200 OK",
                "Content-Type: text/html\r\n",
                b"<p>late</p>",
            )
        }
        "/huge" => {
            let body = vec![b'a'; 3 * 1024 * 1024];
            respond(&mut stream, "200 OK", "Content-Type: text/html\r\n", &body)
        }
        "/picture" => respond(
            &mut stream,
            "200 OK",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n",
        ),
        "/broken" => respond(
            &mut stream,
            "503 Service Unavailable",
            "Content-Type: text/html\r\n",
            b"down",
        ),
        _ => respond(
            &mut stream,
            "404 Not Found",
            "Content-Type: text/html\r\n",
            b"<h1>Not found</h1>",
        ),
    }
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
}

/// The windows-1251 fixture without its `charset=windows-1251` declaration (ASCII bytes).
fn strip_meta(bytes: &[u8]) -> Vec<u8> {
    let needle = b"charset=windows-1251";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the fixture declares its charset");
    [&bytes[..at], &bytes[at + needle.len()..]].concat()
}

#[test]
fn a_url_is_fetched_through_redirects_and_kept_as_fetched() {
    let server = serve();
    let site = briefing();
    let run = added(&site, &[&format!("{server}/moved")]);
    assert!(run.stderr.contains("from a web page"), "{}", run.stderr);
    let source = check_page(
        &site,
        "rail-link-vote-postponed-again",
        "opengraph.html",
        &[
            "Opponents on the assembly argue that the tunnel alone would swallow the county's whole transport budget for six years, and that buses could serve the same towns at a fraction of the price.",
        ],
        &["cookies", "Most read"],
    );
    assert!(
        run.stderr
            .contains(&format!("(fetched from {server}/story;")),
        "{}",
        run.stderr
    );
    // The page's canonical address, not the local one it was fetched from.
    assert_eq!(
        field(&source, "url").unwrap(),
        "https://valley-courier.example/news/rail-link-vote-postponed"
    );
    // A charset given only by the Content-Type header.
    let run = added(&site, &[&format!("{server}/cyrillic"), "--id", "parom"]);
    assert!(run.ok);
    let source = site.read("content/sources/parom.md");
    assert!(source.contains("сохранить вечерний рейс"), "{source}");
    site.build_clean();
}

#[test]
fn url_errors_are_named_and_write_nothing() {
    let server = serve();
    let site = briefing();
    let fails = |args: &[&str], expect: &[&str]| {
        let started = std::time::Instant::now();
        let run = add(&site, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error[add-fetch]"), "{}", run.stderr);
        for e in expect {
            assert!(
                run.stderr.contains(e),
                "{args:?} lacks {e:?}: {}",
                run.stderr
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{args:?} took {:?}",
            started.elapsed()
        );
        assert!(
            !site.path().join("content/archive").exists(),
            "{args:?} wrote an original"
        );
        assert!(
            !site.path().join("content/sources").exists(),
            "{args:?} wrote a source"
        );
    };
    fails(
        &[&format!("{server}/nothing-here")],
        &["answered 404 Not Found", "check the address"],
    );
    fails(
        &[&format!("{server}/broken")],
        &["answered 503 Service Unavailable", "try again later"],
    );
    fails(
        &[&format!("{server}/slow"), "--timeout", "0.5"],
        &["did not answer in 0.5 seconds", "--timeout"],
    );
    fails(
        &[&format!("{server}/huge"), "--max-size", "1"],
        &["is larger than 1048576 bytes", "--max-size"],
    );
    fails(
        &[&format!("{server}/picture")],
        &["is image/png, neither a web page, a PDF nor plain text"],
    );
    // The timeout may be set for a whole session too.
    let run = common::brief_with_env(
        site.path(),
        &["add", &format!("{server}/slow")],
        &[("BRIEF_ADD_TIMEOUT", "0.3")],
    );
    assert!(
        run.stderr.contains("did not answer in 0.3 seconds"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_changed_original_is_an_error_at_its_source() {
    let site = briefing();
    added(&site, &[page("bare.html").to_str().unwrap()]);
    site.build_clean();
    let archive = site
        .path()
        .join("content/archive/harbour-pilots-return-to-work.html");
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"<!-- edited -->");
    std::fs::write(&archive, bytes).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("error[original-changed]"),
        "{}",
        run.stderr
    );
    assert!(
        run.problems
            .contains("content/sources/harbour-pilots-return-to-work.md:4:"),
        "{}",
        run.problems
    );
    std::fs::remove_file(&archive).unwrap();
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains("error[not-found]")
            && run.stderr.contains("cannot read the kept original"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_source_that_cannot_be_written_leaves_nothing() {
    let site = briefing();
    // content/sources is a file: the source cannot be written, after its original was.
    site.write("content/sources", "not a folder\n");
    let run = add(&site, &[page("bare.html").to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("error[add-write]"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let archive = site.path().join("content/archive");
    assert!(
        std::fs::read_dir(&archive).map_or(true, |mut d| d.next().is_none()),
        "the original was left behind"
    );
    assert_eq!(site.read("content/sources"), "not a folder\n");
}

#[test]
fn published_archives_are_copied_beside_their_source_pages_as_text() {
    let site = briefing();
    added(
        &site,
        &[page("jsonld.html").to_str().unwrap(), "--id", "talks"],
    );
    let pdf = make_pdf(&[&["A single page of findings."]]);
    std::fs::write(site.path().join("findings.pdf"), &pdf).unwrap();
    added(&site, &["findings.pdf", "--id", "findings"]);
    site.build_clean();
    let page_html = site.output("sources/talks/index.html");
    assert!(
        page_html.contains("SHA-256"),
        "the kept original's hash is shown"
    );
    assert!(!page_html.contains("original.html.txt"));
    assert!(
        !site
            .path()
            .join("public/sources/talks/original.html.txt")
            .exists()
    );

    site.edit(
        "site.toml",
        "language = \"en\"\n",
        "language = \"en\"\npublish_archives = true\n",
    );
    site.build_clean();
    let page_html = site.output("sources/talks/index.html");
    assert!(
        page_html.contains("href=\"original.html.txt\""),
        "{page_html}"
    );
    assert!(page_html.contains(&sha256(&std::fs::read(page("jsonld.html")).unwrap())));
    // The page as retrieved, byte for byte, under a name that is served as text (its
    // scripts never run on the briefing's site); a PDF as it is.
    assert_eq!(
        std::fs::read(site.path().join("public/sources/talks/original.html.txt")).unwrap(),
        std::fs::read(page("jsonld.html")).unwrap()
    );
    assert_eq!(
        std::fs::read(site.path().join("public/sources/findings/original.pdf")).unwrap(),
        pdf
    );
    assert!(
        site.output("sources/findings/index.html")
            .contains("href=\"original.pdf\"")
    );
    // Turned off again, the copies go with the next build.
    site.edit("site.toml", "publish_archives = true\n", "");
    site.build_clean();
    assert!(
        !site
            .path()
            .join("public/sources/talks/original.html.txt")
            .exists()
    );
}
