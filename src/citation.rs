//! The inline citation syntax in Markdown text.
//!
//! ```text
//! [@src-id "exact quote"]          a passage of a source
//! [@src-id]                        the whole source
//! [@a "q1"; @b "q2"]               several citations at one point
//! [@a “typographic quote”]         also «…»; a straight " inside them needs no escape
//! [@a "a \"straight\" quote"]      \" escapes a straight quote inside straight quotes
//! [@a "цитата" "a quote"]          a quote and its translation (into the site's language)
//! ```
//!
//! Ids are `[A-Za-z0-9][A-Za-z0-9_.-]*`, without a trailing `.` or `-`. White space,
//! newlines included, may stand between the parts, but a blank line (a paragraph break)
//! ends a citation. A group starts only at `[@` (and not at `\[@`, the Markdown escape);
//! anything else, like `[see above]`, `a@b.c` or `[link](x)`, is plain text.
//!
//! [`parse`] finds every citation group and reports each malformed one as a
//! [`SyntaxError`], then goes on after it, so one run lists every mistake in a text.

use std::ops::Range;

/// One `[@…]` group in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteGroup {
    /// Byte range of the whole group, from `[` to `]` inclusive.
    pub range: Range<usize>,
    /// The citations in the group, in order; never empty.
    pub cites: Vec<Cite>,
}

/// One citation: a source, and optionally a quote from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    /// The source id, as written.
    pub source: String,
    /// Byte range of the source id in the text.
    pub source_range: Range<usize>,
    /// The quote with `\"` escapes resolved; `None` cites the whole source.
    pub quote: Option<String>,
    /// Byte range of the quote's text inside the quotation marks, as written (escapes
    /// included).
    pub quote_range: Option<Range<usize>>,
    /// A second quoted text after the quote: the quote's translation, escapes resolved.
    pub translation: Option<String>,
    /// Byte range of the translation inside its quotation marks.
    pub translation_range: Option<Range<usize>>,
}

/// A malformed citation.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Byte range of the offending part of the text.
    pub range: Range<usize>,
    /// What is wrong, in one line.
    pub message: String,
    /// How to mend it, in one line.
    pub help: String,
}

/// Finds every citation group in `text` (byte ranges into `text`), in order, plus syntax
/// errors.
///
/// Each malformed group gives one error and parsing goes on after it. Never panics; every
/// range lies on char boundaries of `text`.
pub fn parse(text: &str) -> (Vec<CiteGroup>, Vec<SyntaxError>) {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("[@")) {
        let start = from + offset;
        if is_escaped(text, start) {
            from = start + 1;
            continue;
        }
        let mut parser = GroupParser {
            text,
            start,
            pos: start + 1,
        };
        let next = match parser.group() {
            Ok(group) => {
                let end = group.range.end;
                groups.push(group);
                end
            }
            Err(failure) => {
                errors.push(failure.error);
                failure.resume
            }
        };
        // Every path consumes at least the "[@"; this guards against an endless loop.
        from = next.max(start + 2);
    }
    (groups, errors)
}

/// A syntax error and where parsing goes on after it.
struct Failure {
    error: SyntaxError,
    resume: usize,
}

/// What a quote parsed to.
struct Quote {
    /// From the opening to the closing mark, inclusive.
    whole: Range<usize>,
    /// Inside the marks.
    inner: Range<usize>,
    /// The text with escapes resolved.
    text: String,
}

/// Parses one group that starts with `[@` at `start`.
struct GroupParser<'a> {
    text: &'a str,
    start: usize,
    /// The next byte to look at; always on a char boundary.
    pos: usize,
}

/// What follows a citation inside a group.
enum Next {
    /// `]`: the group is complete.
    End,
    /// `;` and another `@`: the group goes on.
    Cite,
}

impl GroupParser<'_> {
    /// Parses the group; `pos` starts at its first `@`.
    fn group(&mut self) -> Result<CiteGroup, Failure> {
        let mut cites = Vec::new();
        loop {
            let mut cite = self.source()?;
            let next = self.rest_of_cite(&mut cite)?;
            cites.push(cite);
            if let Next::End = next {
                return Ok(CiteGroup {
                    range: self.start..self.pos,
                    cites,
                });
            }
        }
    }

    /// Parses `@src-id`, with `pos` at the `@`.
    fn source(&mut self) -> Result<Cite, Failure> {
        let at = self.pos;
        self.pos += 1;
        let source_range = self.id();
        if source_range.is_empty() {
            let mut end = at + 1;
            // Point at the misplaced id, if one follows after some space.
            if let Some(id) = self.text.get(end..).map(str::trim_start)
                && id.starts_with(is_id_start)
            {
                end = self.text.len() - id.len() + id_len(id);
            }
            return Err(self.fail_and_recover(
                at..end,
                "citation has no source id after `@`".into(),
                "write the source id right after `@`: [@src-id \"quote\"]".into(),
                at + 1,
            ));
        }
        Ok(Cite {
            source: self.text[source_range.clone()].to_owned(),
            source_range,
            quote: None,
            quote_range: None,
            translation: None,
            translation_range: None,
        })
    }

    /// Parses what follows a source id: an optional quote, then `]` (leaving `pos` after it)
    /// or `;` and the next `@` (leaving `pos` at the `@`).
    fn rest_of_cite(&mut self, cite: &mut Cite) -> Result<Next, Failure> {
        // The closing `"` of the quote, when it was a straight one.
        let mut straight_close: Option<Range<usize>> = None;
        loop {
            if !self.skip_space() {
                return Err(self.unclosed_bracket());
            }
            match self.peek() {
                None => return Err(self.unclosed_bracket()),
                Some(']') => {
                    self.pos += 1;
                    return Ok(Next::End);
                }
                Some(';') => return self.semicolon(),
                Some('@') => {
                    let at = self.pos;
                    let end = at + 1 + self.text.get(at + 1..).map_or(0, id_len);
                    return Err(self.fail_and_recover(
                        at..end,
                        "two citations need a `;` between them".into(),
                        "separate them with `;`: [@a \"q1\"; @b \"q2\"]".into(),
                        at + 1,
                    ));
                }
                Some('[') if self.rest().starts_with("[@") => {
                    return Err(self.unclosed_bracket());
                }
                Some(open) if closing_mark(open).is_some() => {
                    let quote = self.quote(open)?;
                    if cite.translation.is_some() {
                        let help = format!(
                            "cite each quote on its own: [@{0} \"first\" \"its translation\"; @{0} \"second\"]",
                            cite.source
                        );
                        return Err(self.fail_and_recover(
                            quote.whole,
                            "a citation takes one quote and its translation, and this is a third text".into(),
                            help,
                            self.pos,
                        ));
                    }
                    if open == '"' {
                        straight_close = Some(quote.whole.end - 1..quote.whole.end);
                    }
                    if cite.quote.is_some() {
                        // The second quoted text: the translation of the first.
                        cite.translation = Some(quote.text);
                        cite.translation_range = Some(quote.inner);
                    } else {
                        cite.quote = Some(quote.text);
                        cite.quote_range = Some(quote.inner);
                    }
                }
                Some(_) => {
                    // Words after the quote and another `"` before the `]`: the quote held
                    // quotation marks of its own, and the first of them ended it.
                    if let Some(mark) = straight_close.clone()
                        && let Some(bracket) = self.closing_bracket()
                        && self.text[self.pos..bracket].contains('"')
                    {
                        return Err(self.fail_and_recover(
                            mark,
                            "this `\"` ends the quote, and the words after it are left outside".into(),
                            "write the quotation marks inside a quote as “…” (they match the source's quotation marks, straight or curly), or as \\\"".into(),
                            self.pos,
                        ));
                    }
                    return Err(self.junk());
                }
            }
        }
    }

    /// Parses `;` and the space after it, with `pos` at the `;`.
    fn semicolon(&mut self) -> Result<Next, Failure> {
        let semicolon = self.pos;
        self.pos += 1;
        if !self.skip_space() {
            return Err(self.unclosed_bracket());
        }
        if self.peek() == Some('@') {
            return Ok(Next::Cite);
        }
        Err(self.fail_and_recover(
            semicolon..semicolon + 1,
            "`;` is not followed by another citation".into(),
            "remove the `;`, or add a citation after it: [@a \"q1\"; @b \"q2\"]".into(),
            self.pos,
        ))
    }

    /// The error for unexpected text at `pos`.
    fn junk(&self) -> Failure {
        if self.closing_bracket().is_none() {
            // Words after a citation and no `]` anywhere after them: the bracket was
            // forgotten, and the words are just the text that follows.
            return self.unclosed_bracket();
        }
        // The junk runs up to the next white space, bracket, `;` or quotation mark, and is
        // at least one char.
        let rest = self.rest();
        let first = rest.chars().next().map_or(0, char::len_utf8);
        let len = rest[first..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '[' | ']' | ';') || closing_mark(c).is_some()
            })
            .map_or(rest.len(), |n| first + n);
        let junk = self.pos..self.pos + len;
        self.fail_and_recover(
            junk.clone(),
            format!(
                "unexpected `{}` in citation",
                shorten(&self.text[junk.clone()])
            ),
            "a citation is [@src-id \"exact quote\"]; put other words outside the brackets".into(),
            junk.end,
        )
    }

    /// Takes a source id at `pos` and returns its range (empty if there is none).
    fn id(&mut self) -> Range<usize> {
        let start = self.pos;
        self.pos += id_len(self.rest());
        start..self.pos
    }

    /// Parses a quote that opens with `open` at `pos`, leaving `pos` after its closing mark.
    fn quote(&mut self, open: char) -> Result<Quote, Failure> {
        let Some(close) = closing_mark(open) else {
            // Only called for opening marks; kept total rather than panicking.
            return Err(self.unclosed_bracket());
        };
        let opened = self.pos;
        let inner_start = opened + open.len_utf8();
        let mut text = String::new();
        let mut chars = self.text[inner_start..].char_indices();
        while let Some((offset, c)) = chars.next() {
            let at = inner_start + offset;
            if c == close {
                self.pos = at + c.len_utf8();
                if text.trim().is_empty() {
                    return Err(self.fail_and_recover(
                        opened..self.pos,
                        "quote is empty".into(),
                        "put the exact words between the quotation marks, or cite the whole \
                         source: [@src-id]"
                            .into(),
                        self.pos,
                    ));
                }
                return Ok(Quote {
                    whole: opened..self.pos,
                    inner: inner_start..at,
                    text,
                });
            }
            if close == '"' && c == '\\' && self.text[at + 1..].starts_with('"') {
                chars.next();
                text.push('"');
                continue;
            }
            // A quote does not run on into the next paragraph or citation: a missing
            // closing mark is far more likely than either inside a quote.
            if (c == '\n' && is_paragraph_break(self.text, at)) || self.text[at..].starts_with("[@")
            {
                return Err(self.unclosed_quote(opened, close, at));
            }
            text.push(c);
        }
        Err(self.unclosed_quote(opened, close, self.text.len()))
    }

    fn unclosed_quote(&self, opened: usize, close: char, stop: usize) -> Failure {
        let end = opened + self.text[opened..stop].trim_end().len();
        Failure {
            error: SyntaxError {
                range: opened..end,
                message: format!("quote is missing its closing `{close}`"),
                help: format!(
                    "close the quote: [@src-id {0}quote{1}]",
                    opening_mark(close),
                    close
                ),
            },
            resume: stop,
        }
    }

    /// The group ran into the end of the text, a paragraph break or the next group.
    fn unclosed_bracket(&self) -> Failure {
        let end = self.start + self.text[self.start..self.pos].trim_end().len();
        Failure {
            error: SyntaxError {
                range: self.start..end,
                message: "citation is missing its closing `]`".into(),
                help: "close it: [@src-id \"quote\"]".into(),
            },
            resume: self.pos,
        }
    }

    /// An error at `range`; parsing goes on after the group's `]` if there is one past
    /// `from` (see [`Self::closing_bracket`]), else at the end of the group's paragraph or
    /// the next group, whichever comes first.
    fn fail_and_recover(
        &self,
        range: Range<usize>,
        message: String,
        help: String,
        from: usize,
    ) -> Failure {
        let resume = match self.scan_for_bracket(from) {
            Ok(bracket) => bracket + 1,
            Err(stop) => stop,
        };
        Failure {
            error: SyntaxError {
                range,
                message,
                help,
            },
            resume,
        }
    }

    /// Where the next `]` is from `pos` on, if it comes before a paragraph break, the next
    /// group or the end of the text.
    fn closing_bracket(&self) -> Option<usize> {
        self.scan_for_bracket(self.pos).ok()
    }

    /// `Ok` with the offset of the next `]` from `from` on, or `Err` with where the search
    /// stopped: a paragraph break, the next group or the end of the text.
    fn scan_for_bracket(&self, from: usize) -> Result<usize, usize> {
        let rest = self.text.get(from..).unwrap_or_default();
        for (offset, c) in rest.char_indices() {
            let at = from + offset;
            if c == ']' {
                return Ok(at);
            }
            if (c == '\n' && is_paragraph_break(self.text, at)) || rest[offset..].starts_with("[@")
            {
                return Err(at);
            }
        }
        Err(self.text.len())
    }

    /// Skips white space; false (leaving `pos` at the break) if it contains a blank line.
    fn skip_space(&mut self) -> bool {
        for (offset, c) in self.rest().char_indices() {
            if !c.is_whitespace() {
                self.pos += offset;
                return true;
            }
            if c == '\n' && is_paragraph_break(self.text, self.pos + offset) {
                self.pos += offset;
                return false;
            }
        }
        self.pos = self.text.len();
        true
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }
}

/// The closing mark for an opening quotation mark, `None` if `c` opens no quote.
fn closing_mark(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '«' => Some('»'),
        _ => None,
    }
}

/// The opening mark for a closing quotation mark (for help texts).
fn opening_mark(close: char) -> char {
    match close {
        '”' => '“',
        '»' => '«',
        other => other,
    }
}

fn is_id_start(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Length in bytes of the source id at the start of `s` (0 if there is none). A trailing
/// `.` or `-` is not part of an id, so `[@doe.]` reads as the id `doe` followed by `.`.
fn id_len(s: &str) -> usize {
    if !s.starts_with(is_id_start) {
        return 0;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(s.len());
    s[..end].trim_end_matches(['.', '-']).len()
}

/// Whether the `\n` at `at` starts a blank line, which ends a Markdown paragraph.
fn is_paragraph_break(text: &str, at: usize) -> bool {
    let after = text.get(at + 1..).unwrap_or_default();
    after
        .trim_start_matches(|c: char| c.is_whitespace() && c != '\n')
        .starts_with('\n')
}

/// Whether the char at `at` is escaped by an odd number of backslashes before it.
fn is_escaped(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    backslashes % 2 == 1
}

/// `s` for a one-line message: at most 30 chars, with an ellipsis if cut.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(30) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Parses a text that must have no errors and returns its groups.
    fn groups(text: &str) -> Vec<CiteGroup> {
        let (groups, errors) = parse(text);
        assert!(
            errors.is_empty(),
            "unexpected errors in {text:?}: {errors:#?}"
        );
        groups
    }

    /// (source, quote) pairs of every cite in `text`.
    fn cites(text: &str) -> Vec<(String, Option<String>)> {
        groups(text)
            .into_iter()
            .flat_map(|g| g.cites)
            .map(|c| (c.source, c.quote))
            .collect()
    }

    fn cite(source: &str, quote: Option<&str>) -> (String, Option<String>) {
        (source.to_owned(), quote.map(str::to_owned))
    }

    /// The one error in `text`, which must have exactly one.
    fn error(text: &str) -> SyntaxError {
        let (_, mut errors) = parse(text);
        assert_eq!(errors.len(), 1, "errors in {text:?}: {errors:#?}");
        errors.remove(0)
    }

    #[test]
    fn passage_citation_with_ranges() {
        let text = "Talks resume [@tass-readiness \"ready to resume\"] soon.";
        let found = groups(text);
        assert_eq!(found.len(), 1);
        let group = &found[0];
        assert_eq!(
            &text[group.range.clone()],
            "[@tass-readiness \"ready to resume\"]"
        );
        let cite = &group.cites[0];
        assert_eq!(cite.source, "tass-readiness");
        assert_eq!(&text[cite.source_range.clone()], "tass-readiness");
        assert_eq!(cite.quote.as_deref(), Some("ready to resume"));
        assert_eq!(&text[cite.quote_range.clone().unwrap()], "ready to resume");
    }

    #[test]
    fn whole_source_citation() {
        assert_eq!(
            cites("See [@kyiv-independent]."),
            vec![cite("kyiv-independent", None)]
        );
    }

    #[test]
    fn several_citations_in_one_group() {
        assert_eq!(
            cites("[@a \"q1\"; @b \"q2\";@c]"),
            vec![
                cite("a", Some("q1")),
                cite("b", Some("q2")),
                cite("c", None)
            ]
        );
    }

    #[test]
    fn typographic_quotes() {
        assert_eq!(
            cites("[@a “He said \"no\"”; @b «oui»]"),
            vec![cite("a", Some("He said \"no\"")), cite("b", Some("oui"))]
        );
        let text = "[@a “Çırağan”]";
        let range = groups(text)[0].cites[0].quote_range.clone().unwrap();
        assert_eq!(&text[range], "Çırağan");
    }

    #[test]
    fn escaped_straight_quote() {
        let text = r#"[@a "the \"final\" round"]"#;
        let found = groups(text);
        let cite = &found[0].cites[0];
        assert_eq!(cite.quote.as_deref(), Some("the \"final\" round"));
        assert_eq!(
            &text[cite.quote_range.clone().unwrap()],
            r#"the \"final\" round"#
        );
    }

    #[test]
    fn white_space_and_newlines_between_parts() {
        assert_eq!(
            cites("[@a\n  \"q1\"\n ;\t@b   \"two\nlines\"  ]"),
            vec![cite("a", Some("q1")), cite("b", Some("two\nlines"))]
        );
        assert_eq!(cites("[@a\"q\"]"), vec![cite("a", Some("q"))]);
    }

    #[test]
    fn ids() {
        assert_eq!(cites("[@A_b.c-9]"), vec![cite("A_b.c-9", None)]);
        assert_eq!(
            cites("[@2025-report \"x\"]"),
            vec![cite("2025-report", Some("x"))]
        );
        let e = error("[@doe.]");
        assert_eq!(e.message, "unexpected `.` in citation");
        assert_eq!(e.range, 5..6);
    }

    #[test]
    fn plain_text_is_not_a_citation() {
        for text in [
            "[see above] and a@b.c and [link](x) and [ @a] and @a",
            "no brackets at all",
            "",
            r"an escaped \[@a] is text",
        ] {
            assert_eq!(parse(text), (vec![], vec![]), "{text:?}");
        }
        // An escaped backslash does not escape the bracket.
        assert_eq!(cites(r"\\[@a]"), vec![cite("a", None)]);
    }

    #[test]
    fn citations_in_order_with_multibyte_text() {
        let text = "Мединский [@tass]; «Çırağan» [@a “Да”] 😀 [@b]";
        let found = groups(text);
        assert_eq!(found.len(), 3);
        assert_eq!(&text[found[1].range.clone()], "[@a “Да”]");
        assert!(found.windows(2).all(|w| w[0].range.end <= w[1].range.start));
    }

    #[test]
    fn unclosed_bracket() {
        for text in [
            "Talks [@a \"q\"",
            "Talks [@a \"q\" resumed.",
            "Talks [@a \"q\"\n",
        ] {
            let e = error(text);
            assert_eq!(e.message, "citation is missing its closing `]`", "{text:?}");
            assert_eq!(e.range, 6..13, "{text:?}");
        }
        let e = error("Talks [@a \"q\"");
        assert_eq!(e.message, "citation is missing its closing `]`");
        assert_eq!(e.range, 6..13);
        assert!(e.help.contains("[@src-id \"quote\"]"));
        // A paragraph break ends it.
        let e = error("[@a \"q\"\n\nNext paragraph [b]");
        assert_eq!(e.message, "citation is missing its closing `]`");
        assert_eq!(e.range, 0..7);
    }

    #[test]
    fn unclosed_bracket_before_the_next_group() {
        let (found, errors) = parse("[@a \"q\" [@b \"r\"]");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "citation is missing its closing `]`");
        assert_eq!(errors[0].range, 0..7);
        // Parsing went on with the next group.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].cites[0].source, "b");
    }

    #[test]
    fn unclosed_quote() {
        let e = error("[@a \"ready to resume]");
        assert_eq!(e.message, "quote is missing its closing `\"`");
        assert_eq!(e.range, 4..21);
        let e = error("[@a “ready]\n\nMore text.");
        assert_eq!(e.message, "quote is missing its closing `”`");
        assert_eq!(e.help, "close the quote: [@src-id “quote”]");
        // It stops before the next group, which is still parsed.
        let (found, errors) = parse("[@a \"oops] and [@b \"fine\"]");
        assert_eq!(errors.len(), 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].cites[0].quote.as_deref(), Some("fine"));
    }

    #[test]
    fn empty_id() {
        for (text, range) in [("[@ \"q\"]", 1..2), ("[@]", 1..2), ("[@ src]", 1..6)] {
            let e = error(text);
            assert_eq!(e.message, "citation has no source id after `@`", "{text:?}");
            assert_eq!(e.range, range, "{text:?}");
        }
    }

    #[test]
    fn empty_quote() {
        for text in ["[@a \"\"]", "[@a “  ”]"] {
            let e = error(text);
            assert_eq!(e.message, "quote is empty");
            assert_eq!(&text[e.range.clone()], &text[4..text.len() - 1]);
        }
    }

    #[test]
    fn junk_between_parts() {
        let text = "[@a \"q\" x] then [@b]";
        let (found, errors) = parse(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "unexpected `x` in citation");
        assert_eq!(&text[errors[0].range.clone()], "x");
        assert_eq!(found.len(), 1, "parsing goes on after the error");
        let e = error("[@a/b]");
        assert_eq!(e.message, "unexpected `/b` in citation");
    }

    #[test]
    fn missing_semicolon() {
        let text = "[@a \"q1\" @b \"q2\"]";
        let e = error(text);
        assert_eq!(e.message, "two citations need a `;` between them");
        assert_eq!(&text[e.range.clone()], "@b");
    }

    #[test]
    fn semicolon_without_a_citation() {
        for text in ["[@a;]", "[@a; b]", "[@a \"q\" ; ]"] {
            let e = error(text);
            assert_eq!(
                e.message, "`;` is not followed by another citation",
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_second_quote_is_the_translation_and_a_third_an_error() {
        let text = "[@a «Мы готовы» “We are ready”]";
        let (groups, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let c = &groups[0].cites[0];
        assert_eq!(c.quote.as_deref(), Some("Мы готовы"));
        assert_eq!(c.translation.as_deref(), Some("We are ready"));
        assert_eq!(&text[c.translation_range.clone().unwrap()], "We are ready");
        let text = "[@a \"q1\" \"t1\" \"q2\"]";
        let e = error(text);
        assert_eq!(&text[e.range.clone()], "\"q2\"");
        assert!(e.help.contains("@a \"second\"]"), "{}", e.help);
    }

    #[test]
    fn every_error_is_reported() {
        let (found, errors) = parse("[@] ok [@a] [@b \"\"] [@c x] [@d \"q\" [@e]");
        assert_eq!(errors.len(), 4);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn messages_and_help_are_single_lines() {
        let (_, errors) =
            parse("[@] [@a \"\"] [@a x\ny] [@a; ] [@a @b] [@a \"q\" \"r\" \"s\"] [@a \"q");
        assert_eq!(errors.len(), 7);
        for e in errors {
            assert!(!e.message.contains('\n') && !e.help.contains('\n'), "{e:?}");
        }
    }

    #[test]
    fn long_junk_is_shortened() {
        let e = error(&format!("[@a {}]", "x".repeat(100)));
        assert!(e.message.chars().count() < 60, "{}", e.message);
    }

    fn citation_like() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "[@", "[", "]", "@", ";", "\"", "\\\"", "\\", "“", "”", "«", "»", " ", "\n", "\n\n",
            "a", "src-id", ".", "-", "é", "😀", "x y",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_ranges_are_sound(
            text in prop_oneof![citation_like(), any::<String>()],
        ) {
            let (groups, errors) = parse(&text);
            let sound = |r: &Range<usize>| {
                r.start <= r.end
                    && r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end)
            };
            let mut last_end = 0;
            for group in &groups {
                prop_assert!(sound(&group.range) && group.range.start >= last_end);
                prop_assert!(text[group.range.clone()].starts_with("[@"));
                prop_assert!(text[group.range.clone()].ends_with(']'));
                prop_assert!(!group.cites.is_empty());
                last_end = group.range.end;
                for cite in &group.cites {
                    prop_assert!(sound(&cite.source_range));
                    prop_assert_eq!(&text[cite.source_range.clone()], cite.source.as_str());
                    prop_assert_eq!(cite.quote.is_some(), cite.quote_range.is_some());
                    if let Some(r) = &cite.quote_range {
                        prop_assert!(sound(r));
                    }
                }
            }
            for e in &errors {
                prop_assert!(sound(&e.range));
                prop_assert!(!e.message.contains('\n') && !e.help.contains('\n'));
            }
        }
    }
}
