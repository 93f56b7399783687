//! The timeline strip: the months from the first dated event to the last, with each dated
//! event and dispute on them as a link, drawn as inline SVG above the timeline's list. A
//! date to the day is a dot; a date known only to the month or the year, and an event with
//! an `end_date`, is a bar over the time it may cover. Runs of empty months are cut out of
//! the strip (a short break mark stands for them), so a briefing with one event in 2014 and
//! the rest in 2025 still shows its months.

use std::fmt::Write;

use super::svg::{n, num};
use crate::date::{PartialDate, Precision};
use crate::markdown::escape_into;
use crate::strings::Strings;

/// The strip's width in SVG units (it scales to the column).
const WIDTH: f64 = 720.0;
/// Empty months in a row from this many on are cut out.
const GAP_MONTHS: usize = 3;
/// The width of a cut, in months' widths.
const GAP_WIDTH: f64 = 1.2;
/// The rows marks stack in where they meet; marks beyond them are left to the list.
const MAX_LANES: usize = 10;
/// Where the first row of marks is, and the height of a row.
const TOP: f64 = 46.0;
const ROW: f64 = 11.5;

/// A dated event or dispute on the strip.
pub(in crate::render) struct Mark<'a> {
    pub(in crate::render) name: &'a str,
    pub(in crate::render) url: String,
    /// Its class: `event` or `dispute`.
    pub(in crate::render) kind: &'static str,
    pub(in crate::render) date: PartialDate,
    /// An event's `end_date`.
    pub(in crate::render) end: Option<PartialDate>,
}

fn days_in_month(year: i32, month: u8) -> f64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29.0,
        2 => 28.0,
        4 | 6 | 9 | 11 => 30.0,
        _ => 31.0,
    }
}

/// The time a date may cover, in months since year 0 (March 2025 is 2025 × 12 + 2): a day
/// covers its share of its month, a month itself, a year its twelve months.
pub(in crate::render) fn span(d: PartialDate) -> (f64, f64) {
    let year = d.year as f64 * 12.0;
    match (d.month, d.day) {
        (Some(m), Some(day)) => {
            let dim = days_in_month(d.year, m);
            let start = year + (m - 1) as f64 + (day.saturating_sub(1)) as f64 / dim;
            (start, start + 1.0 / dim)
        }
        (Some(m), None) => (year + (m - 1) as f64, year + m as f64),
        _ => (year, year + 12.0),
    }
}

impl Mark<'_> {
    /// The mark's time, from its date to its end date's end (when that is later).
    fn time(&self) -> (f64, f64) {
        let (start, end) = span(self.date);
        match self.end.map(span) {
            Some((_, e)) if e > end => (start, e),
            _ => (start, end),
        }
    }

    /// Whether it is drawn as a bar: not a single day.
    fn is_bar(&self) -> bool {
        self.date.precision() != Precision::Day || self.end.is_some_and(|e| e != self.date)
    }

    fn when(&self, t: &Strings) -> String {
        match self.end.filter(|e| *e != self.date) {
            Some(e) => format!("{} – {}", t.date(&self.date), t.date(&e)),
            None => t.date(&self.date),
        }
    }
}

/// Where the months go: the first month shown, and for each month from it the x of its
/// start (`None`: cut out), with the width of a month.
pub(in crate::render) struct Axis {
    first: i64,
    starts: Vec<Option<f64>>,
    month: f64,
}

impl Axis {
    /// The axis for marks covering `times` (in months, as [`span`] gives them).
    pub(in crate::render) fn of(times: &[(f64, f64)]) -> Axis {
        let first = times.iter().map(|t| t.0.floor() as i64).min().unwrap_or(0);
        let last = times
            .iter()
            .map(|t| (t.1.ceil() as i64 - 1).max(t.0.floor() as i64))
            .max()
            .unwrap_or(0);
        let len = (last - first + 1).max(1) as usize;
        let mut used = vec![false; len];
        for &(s, e) in times {
            let a = (s.floor() as i64 - first) as usize;
            let b = ((e.ceil() as i64 - 1).max(s.floor() as i64) - first) as usize;
            for u in &mut used[a..=b.min(len - 1)] {
                *u = true;
            }
        }
        // Which months are shown: every used month, and empty runs shorter than a cut.
        let mut shown = vec![true; len];
        let mut k = 0;
        while k < len {
            if used[k] {
                k += 1;
                continue;
            }
            let run = used[k..].iter().take_while(|u| !**u).count();
            if run >= GAP_MONTHS {
                shown[k..k + run].iter_mut().for_each(|s| *s = false);
            }
            k += run;
        }
        let months = shown.iter().filter(|s| **s).count() as f64;
        let cuts = (1..len).filter(|&k| !shown[k] && shown[k - 1]).count() as f64;
        let month = WIDTH / (months + cuts * GAP_WIDTH);
        let mut x = 0.0;
        let mut starts = Vec::with_capacity(len);
        for k in 0..len {
            if shown[k] {
                starts.push(Some(x));
                x += month;
            } else {
                if k > 0 && shown[k - 1] {
                    x += month * GAP_WIDTH;
                }
                starts.push(None);
            }
        }
        Axis {
            first,
            starts,
            month,
        }
    }

    /// The x of a time in months (within a shown month; the start of the strip otherwise).
    pub(in crate::render) fn x(&self, t: f64) -> f64 {
        let k = t.floor() as i64 - self.first;
        let within = t - t.floor();
        match self.starts.get(k.max(0) as usize) {
            Some(Some(x)) => x + within * self.month,
            // The end of the last month is the end of the strip.
            None if k as usize == self.starts.len() => WIDTH,
            _ => 0.0,
        }
    }
}

/// The strip of `marks` as a `<figure>`; empty without marks. Links are as given.
pub(in crate::render) fn strip_html(t: &Strings, marks: &[Mark]) -> String {
    if marks.is_empty() {
        return String::new();
    }
    let times: Vec<(f64, f64)> = marks.iter().map(Mark::time).collect();
    let axis = Axis::of(&times);
    // Each mark's extent on the strip, then its row: the first row where it meets nothing.
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by(|&a, &b| times[a].0.total_cmp(&times[b].0).then(a.cmp(&b)));
    let mut lanes: Vec<f64> = Vec::new();
    let mut placed: Vec<(usize, usize, f64, f64)> = Vec::new(); // (mark, row, x0, x1)
    let mut left_out = 0;
    for &i in &order {
        let (x0, x1) = if marks[i].is_bar() {
            let x0 = axis.x(times[i].0);
            (x0, axis.x(times[i].1 - 1e-9).max(x0 + 6.0))
        } else {
            let x = axis.x((times[i].0 + times[i].1) / 2.0);
            (x - 4.5, x + 4.5)
        };
        match lanes.iter().position(|&end| end + 1.5 <= x0) {
            Some(row) => {
                lanes[row] = x1;
                placed.push((i, row, x0, x1));
            }
            None if lanes.len() < MAX_LANES => {
                lanes.push(x1);
                placed.push((i, lanes.len() - 1, x0, x1));
            }
            None => left_out += 1,
        }
    }
    let height = TOP + lanes.len() as f64 * ROW + 4.0;
    let mut out = String::with_capacity(4096 + marks.len() * 200);
    let _ = write!(
        out,
        "<figure class=\"strip\" aria-labelledby=\"strip-caption\">\n<div class=\"drawing-scroll\">\n<svg class=\"strip-svg\" viewBox=\"-8 0 {} {}\" role=\"group\" aria-labelledby=\"strip-title\">\n<title id=\"strip-title\">",
        n(WIDTH + 16.0),
        n(height)
    );
    escape_into(&mut out, t.get("strip_title"));
    out.push_str("</title>\n");
    // A month's initial on the axis: the first letter of its name in the language.
    let initials: Vec<String> = match t.forms("months") {
        Some(names) if names.len() == 12 => names
            .iter()
            .map(|m| m.chars().take(1).flat_map(char::to_uppercase).collect())
            .collect(),
        _ => Vec::new(),
    };
    // The months: a tick a month, its initial where there is room, the year at January and
    // after each cut; the cuts.
    out.push_str("<g class=\"strip-axis\" aria-hidden=\"true\">");
    let _ = write!(
        out,
        "<line x1=\"0\" y1=\"34\" x2=\"{}\" y2=\"34\"/>",
        n(WIDTH)
    );
    let mut last_year_label = f64::NEG_INFINITY;
    for (k, start) in axis.starts.iter().enumerate() {
        let m = axis.first + k as i64;
        let (year, month) = (m.div_euclid(12), m.rem_euclid(12) as usize);
        let Some(x) = *start else {
            if k > 0 && axis.starts[k - 1].is_some() {
                let prev = axis.starts[k - 1].unwrap_or(0.0) + axis.month;
                let _ = write!(
                    out,
                    "<text class=\"strip-cut\" x=\"{}\" y=\"38\" text-anchor=\"middle\">⋯</text>",
                    n(prev + axis.month * GAP_WIDTH / 2.0)
                );
            }
            continue;
        };
        let after_cut = k == 0 || axis.starts[k - 1].is_none();
        let tall = month == 0 || after_cut;
        let _ = write!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"34\"/>",
            n(x),
            if tall { "18" } else { "29" }
        );
        if axis.month >= 11.0 {
            let _ = write!(
                out,
                "<text class=\"strip-month\" x=\"{}\" y=\"30\" text-anchor=\"middle\">{}</text>",
                n(x + axis.month / 2.0),
                initials.get(month).map_or("", String::as_str)
            );
        }
        if tall && x - last_year_label >= 34.0 {
            let _ = write!(
                out,
                "<text class=\"strip-year\" x=\"{}\" y=\"14\">{year}</text>",
                n(x + 2.0)
            );
            last_year_label = x;
        }
    }
    out.push_str("</g>\n");
    // The marks, in time order.
    for &(i, row, x0, x1) in &placed {
        let m = &marks[i];
        let y = TOP + row as f64 * ROW;
        out.push_str("<a href=\"");
        escape_into(&mut out, &m.url);
        out.push_str("\" aria-label=\"");
        escape_into(&mut out, m.name);
        out.push_str(", ");
        let when = m.when(t);
        escape_into(&mut out, &when);
        out.push_str("\"><title>");
        escape_into(&mut out, m.name);
        out.push_str(" (");
        escape_into(&mut out, &when);
        out.push_str(")</title>");
        if m.is_bar() {
            let _ = write!(out, "<rect class=\"strip-mark strip-bar {}\" x=\"", m.kind);
            num(&mut out, x0);
            out.push_str("\" y=\"");
            num(&mut out, y - 4.5);
            out.push_str("\" width=\"");
            num(&mut out, x1 - x0);
            out.push_str("\" height=\"9\" rx=\"4.5\"/>");
        } else {
            let _ = write!(out, "<circle class=\"strip-mark {}\" cx=\"", m.kind);
            num(&mut out, (x0 + x1) / 2.0);
            out.push_str("\" cy=\"");
            num(&mut out, y);
            out.push_str("\" r=\"4.5\"/>");
        }
        out.push_str("</a>\n");
    }
    out.push_str("</svg>\n</div>\n<figcaption id=\"strip-caption\">");
    let caption = if left_out > 0 {
        t.plural(
            "strip_caption_left_out",
            placed.len() as u64,
            &[("of", &left_out.to_string())],
        )
    } else {
        t.plural("strip_caption", placed.len() as u64, &[])
    };
    escape_into(&mut out, &caption);
    out.push_str("</figcaption>\n</figure>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn partial_dates_span_their_month_or_year() {
        assert_eq!(
            span(d("2025-03")),
            (2025.0 * 12.0 + 2.0, 2025.0 * 12.0 + 3.0)
        );
        assert_eq!(span(d("2025")), (2025.0 * 12.0, 2026.0 * 12.0));
        let (s, e) = span(d("2025-06-16"));
        assert!((s - (2025.0 * 12.0 + 5.5)).abs() < 1e-9, "{s}");
        assert!((e - s - 1.0 / 30.0).abs() < 1e-9);
        let (s, e) = span(d("2024-02-29"));
        assert!((e - s - 1.0 / 29.0).abs() < 1e-9);
    }

    #[test]
    fn empty_months_are_cut_out() {
        let times = [
            span(d("2014")),
            span(d("2025-05-31")),
            span(d("2025-11-12")),
        ];
        let axis = Axis::of(&times);
        // 2014's twelve months, May 2025 and November 2025 are shown; the years between and
        // June to October 2025 are cut out.
        let shown = axis.starts.iter().filter(|s| s.is_some()).count();
        assert_eq!(shown, 12 + 2);
        // Two empty months in a row are kept.
        let short = Axis::of(&[span(d("2025-05-31")), span(d("2025-08-01"))]);
        assert_eq!(short.starts.iter().filter(|s| s.is_some()).count(), 4);
        assert!(axis.x(span(d("2025-11-12")).0) > axis.x(span(d("2025-05-31")).0));
        assert!(axis.x(span(d("2025-11-12")).1) <= WIDTH + 1e-9);
    }

    #[test]
    fn marks_are_links_and_bars_for_partial_dates() {
        let marks = [
            Mark {
                name: "Talks <round 1>",
                url: "../talks/r1/".into(),
                kind: "event",
                date: d("2025-05-16"),
                end: None,
            },
            Mark {
                name: "Invasion",
                url: "../events/inv/".into(),
                kind: "event",
                date: d("2022-02"),
                end: None,
            },
            Mark {
                name: "Strikes",
                url: "../events/s/".into(),
                kind: "event",
                date: d("2025-05-31"),
                end: Some(d("2025-06-01")),
            },
        ];
        let html = strip_html(&Strings::default(), &marks);
        assert_eq!(html.matches("<a href=").count(), 3);
        assert_eq!(html.matches("strip-bar").count(), 2);
        assert!(html.contains("Talks &lt;round 1&gt;"));
        assert!(html.contains("31 May 2025 – 1 June 2025") || html.contains("2025-05-31"));
        assert_eq!(html, strip_html(&Strings::default(), &marks));
        assert!(strip_html(&Strings::default(), &[]).is_empty());
    }
}
