//! The review for its readers: the terminal ([`terminal`]), a JSON document ([`json`]) and
//! the page `brief serve` shows at `/review/` ([`page`]). Each puts the counts on top and
//! lists the open findings, each with its file:line and the page it concerns.

use std::fmt::Write as _;

use crate::control::for_terminal;
use crate::markdown::escape_html;
use crate::site_map::ServePage;

use super::{Entry, Kind, Review};

/// The JSON document's version: a field added keeps it, a field changed or removed adds one.
pub const JSON_VERSION: u32 = 1;

/// The counts line: `3 open findings, 1 acknowledged`.
fn counts_line(r: &Review) -> String {
    let open = r.open_count();
    format!(
        "{}, {} acknowledged",
        crate::plural(open, "open finding"),
        r.entries.len() - open
    )
}

/// The kinds the review found, open or acknowledged, with their counts.
fn found_kinds(r: &Review) -> Vec<(Kind, usize, usize)> {
    Kind::ALL
        .into_iter()
        .map(|k| {
            let (open, ack) = r.count(k);
            (k, open, ack)
        })
        .filter(|(_, open, ack)| open + ack > 0)
        .collect()
}

/// The review for a terminal: the counts of each kind found, then each open finding with
/// its `file:line:col` (which terminals and editors open) and its page.
pub fn terminal(r: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "review of {} on {}: {}",
        for_terminal(&r.title),
        r.today,
        counts_line(r)
    );
    let kinds = found_kinds(r);
    if kinds.is_empty() {
        out.push_str("nothing to check\n");
        return out;
    }
    out.push('\n');
    let _ = writeln!(out, "  open  acknowledged  finding");
    for (k, open, ack) in &kinds {
        let _ = writeln!(out, "{open:>6}  {ack:>12}  {:<20} {}", k.name(), k.title());
    }
    for (k, open, _) in kinds {
        if open == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{}: {}", k.name(), k.title());
        for e in r.open().filter(|e| e.kind == k) {
            let _ = writeln!(out, "  {}", e.location);
            let _ = writeln!(out, "    {}", for_terminal(&e.message));
            let _ = writeln!(out, "    page: /{}", for_terminal(&e.page));
        }
        let _ = writeln!(out, "  = to acknowledge one, {}", k.how_to_acknowledge());
    }
    out
}

/// One finding as JSON.
fn entry_json(e: &Entry) -> serde_json::Value {
    serde_json::json!({
        "kind": e.kind.name(),
        "message": e.message,
        "file": e.location.file.to_string_lossy(),
        "line": e.location.line(),
        "column": e.location.column(),
        "page": e.page,
        "acknowledged": e.acknowledged,
    })
}

/// The review as one JSON document: the day, the counts of every kind (zeros included, so a
/// script can read any kind's), and every finding, open or acknowledged (with its note).
pub fn json(r: &Review) -> serde_json::Value {
    let mut counts = serde_json::Map::new();
    for k in Kind::ALL {
        let (open, acknowledged) = r.count(k);
        counts.insert(
            k.name().to_string(),
            serde_json::json!({ "open": open, "acknowledged": acknowledged }),
        );
    }
    serde_json::json!({
        "version": JSON_VERSION,
        "title": r.title,
        "today": r.today.iso(),
        "open": r.open_count(),
        "acknowledged": r.entries.len() - r.open_count(),
        "counts": counts,
        "findings": r.entries.iter().map(entry_json).collect::<Vec<_>>(),
    })
}

/// The page `brief serve` shows at `/review/`: the counts, the open findings of each kind
/// with their file:line and a link to their page, and the acknowledged ones with their
/// notes, folded away; `problems` are those of the review itself (a misspelt `reviewed:`).
/// Everything the briefing wrote is escaped. Its links are relative, so it works under any
/// base path. Its words are the terminal's (English), so the page is `lang="en"`; the
/// briefing's title keeps the site's `language`.
pub fn page(r: &Review, language: &str, problems: &[String]) -> String {
    let up = "../".repeat(ServePage::Review.dir().matches('/').count());
    let mut out = String::new();
    let title = escape_html(&r.title);
    let lang = escape_html(language);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>Review — {title}</title>\n\
         <link rel=\"stylesheet\" href=\"{up}assets/brief.css\">\n</head>\n<body>\n\
         <main id=\"main\" class=\"review\">\n<p><a href=\"{up}\" lang=\"{lang}\">{title}</a></p>\n\
         <h1>Review</h1>\n<p class=\"review-counts\">On {}: {}. Only <code>brief serve</code> shows this page; no build writes it.</p>\n",
        r.today,
        escape_html(&counts_line(r)),
    );
    if !problems.is_empty() {
        out.push_str("<h2>Problems of the review</h2>\n<ul class=\"review-problems\">\n");
        for p in problems {
            let _ = writeln!(out, "<li><pre>{}</pre></li>", escape_html(p));
        }
        out.push_str("</ul>\n");
    }
    let kinds = found_kinds(r);
    if kinds.is_empty() {
        out.push_str("<p>Nothing to check.</p>\n");
    } else {
        out.push_str("<table class=\"review-table\">\n<thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Open</th><th scope=\"col\">Acknowledged</th></tr></thead>\n<tbody>\n");
        for (k, open, ack) in &kinds {
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{0}\">{1}</a> <code>{0}</code></td><td>{open}</td><td>{ack}</td></tr>",
                k.name(),
                k.title()
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for (k, open, ack) in kinds {
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h2>{} <code>{}</code></h2>",
            k.name(),
            k.title(),
            k.name()
        );
        let list = |out: &mut String, entries: Vec<&Entry>| {
            out.push_str("<ul class=\"review-findings\">\n");
            for e in entries {
                let _ = write!(
                    out,
                    "<li><a href=\"{up}{}\">{}</a><br><code>{}</code>",
                    escape_html(&e.page),
                    escape_html(&e.message),
                    escape_html(&format!(
                        "{}:{}:{}",
                        e.location.file.to_string_lossy(),
                        e.location.line(),
                        e.location.column()
                    )),
                );
                if let Some(note) = &e.acknowledged {
                    let _ = write!(out, "<br>Reviewed: {}", escape_html(note));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        };
        if open > 0 {
            list(&mut out, r.open().filter(|e| e.kind == k).collect());
            let _ = writeln!(
                out,
                "<p>To acknowledge one, {}.</p>",
                escape_html(&k.how_to_acknowledge())
            );
        }
        if ack > 0 {
            let _ = writeln!(out, "<details><summary>{} acknowledged</summary>", ack);
            list(
                &mut out,
                r.entries
                    .iter()
                    .filter(|e| e.kind == k && e.acknowledged.is_some())
                    .collect(),
            );
            out.push_str("</details>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
