//! A source's text as HTML: numbered paragraphs, cited passages marked, mentions linked.

use std::fmt::Write;
use std::ops::Range;

use crate::markdown::escape_into;

/// A link placed after a cited passage, back to a page that cites it.
pub struct CitedBy {
    pub href: String,
    pub label: String,
}

/// What to draw over a source's text.
pub struct Overlay<'a> {
    /// Cited passages (sorted by start); passage `i` gets the id `q-{i+1}`.
    pub passages: &'a [Range<usize>],
    /// For each passage, the pages citing it.
    pub cited_by: &'a [Vec<CitedBy>],
    /// Mentions: range and link target.
    pub mentions: &'a [(Range<usize>, String)],
    /// The language of the "cited by" notes (the site's) when the text is in another: the
    /// notes stand inside the text's `lang` and would be read out in its language.
    pub notes_lang: Option<&'a str>,
    /// The theme's words ("Paragraph 3", "cited by").
    pub strings: &'a crate::strings::Strings,
}

/// ` lang="…" ` for a paragraph's number in a text of another language than the site's: its
/// label is in the site's language, as the "cited by" notes are.
fn pnum_lang(overlay: &Overlay<'_>) -> String {
    match overlay.notes_lang {
        Some(lang) => {
            let mut out = String::from("lang=\"");
            escape_into(&mut out, lang);
            out.push_str("\" ");
            out
        }
        None => String::new(),
    }
}

/// The `aria-label` of a paragraph's number, before and after the number: "Paragraph {n}"
/// cut once per source rather than filled for each of its paragraphs.
fn paragraph_label(strings: &crate::strings::Strings) -> (String, String) {
    let mut label = String::new();
    escape_into(&mut label, strings.get("paragraph_n"));
    match label.split_once("{n}") {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (format!("{label} "), String::new()),
    }
}

/// Renders the visible paragraphs of a text.
///
/// The text is cut at every boundary of a paragraph, passage or mention; each piece is then
/// wrapped in what covers it. A `<mark>` is closed and reopened wherever the set of passages
/// covering the text changes, so each passage's id sits on the mark where it begins and
/// overlapping quotes stay valid HTML.
///
/// One pass over paragraphs, passages and mentions together (all sorted by start): the work
/// is linear in their number and in the size of the output, however many mentions or
/// passages a paragraph holds (a source of one long line can have a hundred thousand).
pub fn render(text: &str, paragraphs: &[(Range<usize>, bool)], overlay: &Overlay<'_>) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut number = 0;
    // The passages that started before the paragraph being rendered and may reach into it,
    // in passage order, and the first passage not yet taken in.
    let mut reaching: Vec<usize> = Vec::new();
    let mut next_passage = 0;
    // The first mention that may reach into the paragraph being rendered: mentions are in
    // text order and do not overlap, so those before it end before the paragraph starts.
    let mut first_mention = 0;
    let (before, after) = paragraph_label(overlay.strings);
    let pnum_lang = pnum_lang(overlay);
    for (para, hidden) in paragraphs {
        if *hidden {
            continue;
        }
        number += 1;
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "<p id=\"p{number}\" class=\"para\"><a class=\"pnum\" href=\"#p{number}\" {pnum_lang}aria-label=\"{before}{number}{after}\">{number}</a> "
        );
        // The passages and mentions that reach into this paragraph: each piece below looks
        // only at these, not at every one of the source.
        while next_passage < overlay.passages.len()
            && overlay.passages[next_passage].start < para.end
        {
            reaching.push(next_passage);
            next_passage += 1;
        }
        reaching.retain(|&i| overlay.passages[i].end > para.start);
        let passages = &reaching;
        while overlay
            .mentions
            .get(first_mention)
            .is_some_and(|(r, _)| r.end <= para.start)
        {
            first_mention += 1;
        }
        let in_para = overlay.mentions[first_mention..]
            .iter()
            .take_while(|(r, _)| r.start < para.end)
            .count();
        let mentions = &overlay.mentions[first_mention..first_mention + in_para];

        let mut cuts = vec![para.start, para.end];
        for r in passages
            .iter()
            .map(|&i| &overlay.passages[i])
            .chain(mentions.iter().map(|(r, _)| r))
        {
            for at in [r.start, r.end] {
                if at > para.start && at < para.end {
                    cuts.push(at);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();

        // Where passages start and end inside the paragraph, in text order: the set of
        // passages covering a piece changes only there.
        let mut changes: Vec<(usize, usize)> = Vec::new();
        let mut covering: Vec<usize> = Vec::new(); // passages covering the current piece
        for &i in passages {
            let r = &overlay.passages[i];
            if r.start > para.start {
                changes.push((r.start, i));
            } else {
                covering.push(i);
            }
            if r.end < para.end {
                changes.push((r.end, i));
            }
        }
        changes.sort_unstable();
        let mut next_change = 0;
        let mut mention = 0; // the first mention of the paragraph not ended before the piece

        let mut open: Vec<usize> = Vec::new(); // passages covered by the open <mark>
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            // A passage starting at `a` now covers the piece, one ending there no longer
            // does; `covering` stays in passage order.
            while let Some(&(at, i)) = changes.get(next_change)
                && at == a
            {
                match covering.binary_search(&i) {
                    Ok(k) => {
                        covering.remove(k);
                    }
                    Err(k) => covering.insert(k, i),
                }
                next_change += 1;
            }
            if covering != open {
                close_mark(&mut out, &open, a, overlay);
                if !covering.is_empty() {
                    let starting: Vec<usize> = covering
                        .iter()
                        .copied()
                        .filter(|&i| overlay.passages[i].start == a)
                        .collect();
                    // A mark that is not simply the start of one passage lists the passages
                    // it shows (`data-q="3 4"`), so that brief.js can light up every piece
                    // of a passage reached by a link.
                    let data_q = if covering.len() == 1 && starting.len() == 1 {
                        String::new()
                    } else {
                        let n: Vec<String> = covering.iter().map(|i| (i + 1).to_string()).collect();
                        format!(" data-q=\"{}\"", n.join(" "))
                    };
                    match starting.split_first() {
                        Some((first, rest)) => {
                            out.push_str(&format!(
                                "<mark id=\"q-{}\" class=\"passage\"{data_q}>",
                                first + 1
                            ));
                            for i in rest {
                                out.push_str(&format!("<span id=\"q-{}\"></span>", i + 1));
                            }
                        }
                        None => out.push_str(&format!("<mark class=\"passage\"{data_q}>")),
                    }
                }
                open.clone_from(&covering);
            }
            let piece = &text[a..b];
            // Mention boundaries are cuts, so a mention covers the piece whole or not at all.
            while mentions.get(mention).is_some_and(|(r, _)| r.end <= a) {
                mention += 1;
            }
            match mentions.get(mention).filter(|(r, _)| r.start < b) {
                Some((_, href)) => {
                    out.push_str("<a class=\"mention\" href=\"");
                    escape_into(&mut out, href);
                    out.push_str("\">");
                    escape_into(&mut out, piece);
                    out.push_str("</a>");
                }
                None => escape_into(&mut out, piece),
            }
        }
        close_mark(&mut out, &open, para.end, overlay);
        out.push_str("</p>\n");
    }
    out
}

/// Closes the open mark, then adds "cited by" links for the passages that end at `at`.
fn close_mark(out: &mut String, open: &[usize], at: usize, overlay: &Overlay<'_>) {
    if open.is_empty() {
        return;
    }
    out.push_str("</mark>");
    for &i in open {
        if overlay.passages[i].end <= at {
            let links = &overlay.cited_by[i];
            if links.is_empty() {
                continue;
            }
            out.push_str("<span class=\"cited-by\"");
            if let Some(lang) = overlay.notes_lang {
                out.push_str(" lang=\"");
                escape_into(out, lang);
                out.push('"');
            }
            // The script shows the links behind a button on narrow screens, which says this.
            out.push_str(" data-said=\"");
            escape_into(
                out,
                &overlay
                    .strings
                    .plural("cited_by_pages", links.len() as u64, &[]),
            );
            out.push_str("\">");
            escape_into(out, overlay.strings.get("cited_by"));
            out.push(' ');
            for (k, l) in links.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_str("<a href=\"");
                escape_into(out, &l.href);
                out.push_str("\">");
                escape_into(out, &l.label);
                out.push_str("</a>");
            }
            out.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STRINGS: std::sync::LazyLock<crate::strings::Strings> =
        std::sync::LazyLock::new(crate::strings::Strings::default);
    use proptest::prelude::*;

    #[test]
    fn marks_mentions_and_backlinks() {
        let text = "Medinsky led <the> talks.\nSecond line.";
        let paras = vec![(0..25, false), (26..38, false)];
        let passages = std::slice::from_ref(&(9..25));
        let cited_by = vec![vec![CitedBy {
            href: "../../x/index.html#cite-1-a".into(),
            label: "X".into(),
        }]];
        let mentions = vec![(0..8, "../../n/m/index.html".to_string())];
        let html = render(
            text,
            &paras,
            &Overlay {
                passages,
                cited_by: &cited_by,
                mentions: &mentions,
                notes_lang: None,
                strings: &STRINGS,
            },
        );
        assert!(
            html.contains("<a class=\"mention\" href=\"../../n/m/index.html\">Medinsky</a>"),
            "{html}"
        );
        assert!(html.contains("<mark id=\"q-1\" class=\"passage\">led &lt;the&gt; talks.</mark><span class=\"cited-by\" data-said=\"cited by 1 page\">cited by <a href=\"../../x/index.html#cite-1-a\">X</a></span>"), "{html}");
        assert!(html.contains("<p id=\"p2\" class=\"para\">"), "{html}");
    }

    #[test]
    fn overlapping_passages_nest_validly() {
        let text = "one two three four";
        let paras = vec![(0..18, false)];
        let passages = vec![0..7, 4..13];
        let cited_by = vec![vec![], vec![]];
        let html = render(
            text,
            &paras,
            &Overlay {
                passages: &passages,
                cited_by: &cited_by,
                mentions: &[],
                notes_lang: None,
                strings: &STRINGS,
            },
        );
        assert_eq!(
            html.matches("<mark").count(),
            html.matches("</mark>").count()
        );
        assert!(
            html.contains("id=\"q-1\"") && html.contains("id=\"q-2\""),
            "{html}"
        );
        // Each piece names the passages it shows.
        assert!(
            html.contains("<mark id=\"q-2\" class=\"passage\" data-q=\"1 2\">"),
            "{html}"
        );
        assert!(
            html.contains("<mark class=\"passage\" data-q=\"2\">"),
            "{html}"
        );
    }

    #[test]
    fn hidden_paragraphs_are_skipped_and_numbering_continues() {
        let text = "A\nAdvertisement\nB";
        let paras = vec![(0..1, false), (2..15, true), (16..17, false)];
        let html = render(
            text,
            &paras,
            &Overlay {
                passages: &[],
                cited_by: &[],
                mentions: &[],
                notes_lang: None,
                strings: &STRINGS,
            },
        );
        assert!(!html.contains("Advertisement"));
        assert!(html.contains("id=\"p2\" class=\"para\"><a class=\"pnum\" href=\"#p2\" aria-label=\"Paragraph 2\">2</a> B"), "{html}");
    }

    /// The renderer before it was made linear (it looked at every passage and mention for
    /// each paragraph, and at every mention of a paragraph for each piece), kept to check
    /// that the linear one writes the same bytes.
    fn reference(text: &str, paragraphs: &[(Range<usize>, bool)], overlay: &Overlay<'_>) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        let (before, after) = paragraph_label(overlay.strings);
        let pnum_lang = pnum_lang(overlay);
        let mut number = 0;
        for (para, hidden) in paragraphs {
            if *hidden {
                continue;
            }
            number += 1;
            // Writing into a String cannot fail.
            let _ = write!(
                out,
                "<p id=\"p{number}\" class=\"para\"><a class=\"pnum\" href=\"#p{number}\" {pnum_lang}aria-label=\"{before}{number}{after}\">{number}</a> "
            );
            // The passages and mentions that reach into this paragraph: each piece below looks
            // only at these, not at every one of the source.
            let overlaps = |r: &Range<usize>| r.start < para.end && r.end > para.start;
            let passages: Vec<usize> = (0..overlay.passages.len())
                .filter(|&i| overlaps(&overlay.passages[i]))
                .collect();
            let mentions: Vec<&(Range<usize>, String)> = overlay
                .mentions
                .iter()
                .filter(|(r, _)| overlaps(r))
                .collect();
            let mut cuts = vec![para.start, para.end];
            for r in passages
                .iter()
                .map(|&i| &overlay.passages[i])
                .chain(mentions.iter().map(|(r, _)| r))
            {
                for at in [r.start, r.end] {
                    if at > para.start && at < para.end {
                        cuts.push(at);
                    }
                }
            }
            cuts.sort_unstable();
            cuts.dedup();

            let mut open: Vec<usize> = Vec::new(); // passages covered by the open <mark>
            for w in cuts.windows(2) {
                let (a, b) = (w[0], w[1]);
                let covering: Vec<usize> = passages
                    .iter()
                    .copied()
                    .filter(|&i| overlay.passages[i].start < b && overlay.passages[i].end > a)
                    .collect();
                if covering != open {
                    close_mark(&mut out, &open, a, overlay);
                    if !covering.is_empty() {
                        let starting: Vec<usize> = covering
                            .iter()
                            .copied()
                            .filter(|&i| overlay.passages[i].start == a)
                            .collect();
                        // A mark that is not simply the start of one passage lists the passages
                        // it shows (`data-q="3 4"`), so that brief.js can light up every piece
                        // of a passage reached by a link.
                        let data_q = if covering.len() == 1 && starting.len() == 1 {
                            String::new()
                        } else {
                            let n: Vec<String> =
                                covering.iter().map(|i| (i + 1).to_string()).collect();
                            format!(" data-q=\"{}\"", n.join(" "))
                        };
                        match starting.split_first() {
                            Some((first, rest)) => {
                                out.push_str(&format!(
                                    "<mark id=\"q-{}\" class=\"passage\"{data_q}>",
                                    first + 1
                                ));
                                for i in rest {
                                    out.push_str(&format!("<span id=\"q-{}\"></span>", i + 1));
                                }
                            }
                            None => out.push_str(&format!("<mark class=\"passage\"{data_q}>")),
                        }
                    }
                    open = covering;
                }
                let piece = &text[a..b];
                match mentions.iter().find(|(r, _)| r.start < b && r.end > a) {
                    Some((_, href)) => {
                        out.push_str("<a class=\"mention\" href=\"");
                        escape_into(&mut out, href);
                        out.push_str("\">");
                        escape_into(&mut out, piece);
                        out.push_str("</a>");
                    }
                    None => escape_into(&mut out, piece),
                }
            }
            close_mark(&mut out, &open, para.end, overlay);
            out.push_str("</p>\n");
        }
        out
    }

    /// Paragraphs, passages (sorted, distinct, maybe overlapping or spanning paragraphs) and
    /// mentions (in order, disjoint, maybe across a paragraph break) over a text of ASCII
    /// words.
    /// A text, its paragraphs, passages and mentions.
    type Case = (
        String,
        Vec<(Range<usize>, bool)>,
        Vec<Range<usize>>,
        Vec<(Range<usize>, String)>,
    );

    fn overlays() -> impl Strategy<Value = Case> {
        (1usize..120, prop::collection::vec(any::<u16>(), 0..60)).prop_map(|(len, cuts)| {
            let text: String = (0..len)
                .map(|i| {
                    if i % 5 == 4 {
                        ' '
                    } else {
                        (b'a' + (i % 26) as u8) as char
                    }
                })
                .collect();
            let at = |k: usize| cuts.get(k).map_or(0, |&c| c as usize % (len + 1));
            // Paragraphs: consecutive pieces with a one-byte gap, some hidden.
            let mut paragraphs = Vec::new();
            let mut start = 0;
            for k in 0..6 {
                let end = (start + 1 + at(k) % 30).min(len);
                if start < end {
                    paragraphs.push((start..end, k % 4 == 3));
                }
                start = end + 1;
                if start >= len {
                    break;
                }
            }
            let mut passages: Vec<Range<usize>> = (0..8)
                .map(|k| {
                    let (a, b) = (at(10 + 2 * k), at(11 + 2 * k));
                    a.min(b)..a.max(b)
                })
                .filter(|r| r.start < r.end)
                .collect();
            passages.sort_by_key(|r| (r.start, r.end));
            passages.dedup();
            let mut mentions = Vec::new();
            let mut from = 0;
            for k in 0..10 {
                let a = from + at(30 + k) % 7;
                let b = a + 1 + at(40 + k) % 5;
                if b > len {
                    break;
                }
                mentions.push((a..b, format!("m{k}")));
                from = b;
            }
            (text, paragraphs, passages, mentions)
        })
    }

    proptest! {
        #[test]
        fn writes_what_the_quadratic_renderer_wrote((text, paragraphs, passages, mentions) in overlays()) {
            let cited_by: Vec<Vec<CitedBy>> = (0..passages.len())
                .map(|i| (0..i % 3).map(|k| CitedBy { href: format!("#c{i}-{k}"), label: format!("C{k}") }).collect())
                .collect();
            let overlay = Overlay { passages: &passages, cited_by: &cited_by, mentions: &mentions, notes_lang: None, strings: &STRINGS };
            prop_assert_eq!(render(&text, &paragraphs, &overlay), reference(&text, &paragraphs, &overlay));
        }
    }

    /// One line of 200,000 mentions and 20,000 passages: the quadratic renderer compared
    /// every mention with every piece of the line (about 10^10 steps, minutes); this takes
    /// well under a second even in a debug build. The bound is generous, for slow machines.
    #[test]
    fn a_line_with_many_mentions_and_passages_renders_in_linear_time() {
        let n = 200_000;
        let text = "Medinsky met officials. ".repeat(n);
        let paragraphs = vec![(0..text.len(), false)];
        let mentions: Vec<(Range<usize>, String)> = (0..n)
            .map(|i| (i * 24..i * 24 + 8, "m/".to_string()))
            .collect();
        let passages: Vec<Range<usize>> = (0..n / 10).map(|i| i * 240 + 9..i * 240 + 22).collect();
        let cited_by: Vec<Vec<CitedBy>> = passages.iter().map(|_| Vec::new()).collect();
        let start = std::time::Instant::now();
        let html = render(
            &text,
            &paragraphs,
            &Overlay {
                passages: &passages,
                cited_by: &cited_by,
                mentions: &mentions,
                notes_lang: None,
                strings: &STRINGS,
            },
        );
        assert_eq!(html.matches("class=\"mention\"").count(), n);
        assert_eq!(html.matches("<mark id=").count(), n / 10);
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }
}
