//! What the drawings (the venue map, the network, the timeline strip) share: numbers written
//! short and the same on every machine, a label's estimated size, and a greedy placement of
//! labels that keeps them off each other and off the marks.

use std::fmt::Write;

/// Writes `v` with one decimal at most (`12`, `3.5`, `-0.2`): enough for a drawing a few
/// hundred units wide, and the same bytes for the same input (no `-0`).
pub(in crate::render) fn num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let abs = tenths.unsigned_abs();
    let _ = write!(out, "{}", abs / 10);
    if !abs.is_multiple_of(10) {
        let _ = write!(out, ".{}", abs % 10);
    }
}

/// [`num`] as a string.
pub(in crate::render) fn n(v: f64) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// The width of `text` in a sans-serif face at `size` units, estimated: the drawings are
/// made without fonts, so a label is given the room of its characters at an average width
/// (a little wide, so that estimates err towards room).
pub(in crate::render) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// `text` cut to `max` characters, with an ellipsis when cut (a label in a drawing; the
/// full name stays in the link's accessible name). It is cut after a whole word (within a
/// word only when the first is too long): what a label shows is then words of its name, as
/// assistive technology expects of a visible label (WCAG 2.5.3, axe's
/// label-content-name-mismatch).
pub(in crate::render) fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    let next_is_space = text
        .chars()
        .nth(max.saturating_sub(1))
        .is_some_and(char::is_whitespace);
    if let Some(space) = s
        .rfind(char::is_whitespace)
        .filter(|&k| k > 0 && !next_is_space)
    {
        s.truncate(space);
    }
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}

/// An axis-aligned box in drawing units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::render) struct Rect {
    pub(in crate::render) x0: f64,
    pub(in crate::render) y0: f64,
    pub(in crate::render) x1: f64,
    pub(in crate::render) y1: f64,
}

impl Rect {
    /// The area `self` and `other` share (0 when apart).
    pub(in crate::render) fn overlap(&self, other: &Rect) -> f64 {
        let w = self.x1.min(other.x1) - self.x0.max(other.x0);
        let h = self.y1.min(other.y1) - self.y0.max(other.y0);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }

    /// How much of `self` lies outside `bounds`.
    fn outside(&self, bounds: &Rect) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0) - self.overlap(bounds)
    }
}

/// Where a label stands: the point its text is drawn at and its `text-anchor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::render) struct Label {
    pub(in crate::render) x: f64,
    pub(in crate::render) y: f64,
    pub(in crate::render) anchor: &'static str,
}

/// Places one label a mark, greedily in the order given: each takes the first of eight
/// places around its mark (right, left, above, below, then the corners) that overlaps no
/// label placed before, no mark and stays within `bounds`; failing that, the place that
/// overlaps least, unless it would cover another label by more than a fifth, when the mark
/// goes without (its link keeps its name). Marks are `(x, y, radius)`; labels are `size`
/// units high, `widths[i]` wide. Deterministic: the same input, the same places.
pub(in crate::render) fn place_labels(
    marks: &[(f64, f64, f64)],
    widths: &[f64],
    size: f64,
    bounds: Rect,
) -> Vec<Option<Label>> {
    let mark_boxes: Vec<Rect> = marks
        .iter()
        .map(|&(x, y, r)| Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        })
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut out = Vec::with_capacity(marks.len());
    for (i, (&(x, y, r), &w)) in marks.iter().zip(widths).enumerate() {
        let gap = r + 3.0;
        // The baseline sits a little below the middle of the text's box.
        let base = size * 0.35;
        let candidates: [(f64, f64, &'static str); 8] = [
            (x + gap, y + base, "start"),
            (x - gap, y + base, "end"),
            (x, y - gap - size * 0.25, "middle"),
            (x, y + gap + size * 0.8, "middle"),
            (x + gap * 0.7, y - gap * 0.7, "start"),
            (x + gap * 0.7, y + gap * 0.7 + size * 0.7, "start"),
            (x - gap * 0.7, y - gap * 0.7, "end"),
            (x - gap * 0.7, y + gap * 0.7 + size * 0.7, "end"),
        ];
        let mut best: Option<(f64, f64, Label, Rect)> = None;
        for (lx, ly, anchor) in candidates {
            let x0 = match anchor {
                "start" => lx,
                "end" => lx - w,
                _ => lx - w / 2.0,
            };
            let rect = Rect {
                x0,
                y0: ly - size * 0.8,
                x1: x0 + w,
                y1: ly + size * 0.25,
            };
            let on_labels: f64 = placed.iter().map(|p| p.overlap(&rect)).sum();
            let on_marks: f64 = mark_boxes
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != i)
                .map(|(_, m)| m.overlap(&rect))
                .sum();
            let cost = on_labels * 4.0 + on_marks + rect.outside(&bounds) * 8.0;
            if best.as_ref().is_none_or(|b| cost < b.0) {
                best = Some((
                    cost,
                    on_labels,
                    Label {
                        x: lx,
                        y: ly,
                        anchor,
                    },
                    rect,
                ));
            }
            if cost == 0.0 {
                break;
            }
        }
        match best {
            Some((_, on_labels, label, rect)) if on_labels <= w * size * 0.2 => {
                placed.push(rect);
                out.push(Some(label));
            }
            _ => out.push(None),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(3.46), "3.5");
        assert_eq!(n(-0.02), "0");
        assert_eq!(n(-1.25), "-1.3");
        assert_eq!(n(0.05), "0.1");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(short("Istanbul", 10), "Istanbul");
        assert_eq!(short("Ministry of Foreign Affairs", 10), "Ministry…");
        assert_eq!(
            short("Russia says it downed 250 drones", 24),
            "Russia says it downed…"
        );
        assert_eq!(short("Supercalifragilistic", 10), "Supercali…");
        assert_eq!(short("Ukrainian intelligence service", 22), "Ukrainian…");
    }

    #[test]
    fn labels_of_marks_side_by_side_do_not_overlap() {
        let bounds = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        };
        // Two marks on the same spot: the second label goes to the other side.
        let marks = [(200.0, 150.0, 4.0), (200.0, 150.0, 4.0)];
        let placed = place_labels(&marks, &[60.0, 60.0], 12.0, bounds);
        let a = placed[0].unwrap();
        let b = placed[1].unwrap();
        assert_eq!(a.anchor, "start");
        assert_ne!((a.x, a.y, a.anchor), (b.x, b.y, b.anchor));
        // A mark at the right edge puts its label to its left.
        let edge = place_labels(&[(398.0, 150.0, 4.0)], &[60.0], 12.0, bounds);
        assert_eq!(edge[0].unwrap().anchor, "end");
    }
}
