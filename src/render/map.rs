//! The map of the venues: the venues with `coordinates` drawn as links on a world outline,
//! as inline SVG made at build time (no script, no tiles: it works from file://, in print
//! and in dark mode, where the theme's colours reach it through CSS).
//!
//! The outline is Natural Earth's 1:110m land (public domain) as the npm package world-atlas
//! ships it (ISC), converted once by scripts/world-outline.mjs into
//! `src/theme/data/world-110m.txt` (35 kB, 6,300 points): coasts only, no borders, which are
//! disputed in the regions briefings are about (Natural Earth draws Crimea inside Russia). The extent is the box of the venues with a margin, at a
//! fixed aspect ratio, in an equirectangular projection whose standard parallel is the
//! middle of that box (east–west distances true there): for the regions a briefing covers,
//! as true as Mercator and simpler.

use std::fmt::Write;
use std::sync::LazyLock;

use super::svg::{self, Rect, n, num};
use crate::markdown::escape_into;
use crate::strings::Strings;

/// The outline, as scripts/world-outline.mjs writes it.
const WORLD: &str = include_str!("../theme/data/world-110m.txt");

/// The drawing's size in SVG units (it scales to the column).
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 350.0;
/// The labels' size in SVG units.
const LABEL: f64 = 13.0;
/// The smallest extent drawn, in degrees of latitude: one venue alone still shows its region.
const MIN_SPAN: f64 = 8.0;

/// A landmass of the outline: its rings, in tenths of a degree (longitude, latitude), and
/// their box.
struct Landmass {
    rings: Vec<Vec<(i32, i32)>>,
    min: (i32, i32),
    max: (i32, i32),
}

/// The outline, parsed the first time a map is drawn (6,300 points: well under a
/// millisecond).
static LANDMASSES: LazyLock<Vec<Landmass>> = LazyLock::new(|| parse(WORLD));

fn parse(text: &str) -> Vec<Landmass> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let Some((_name, rings)) = line.split_once('\t') else {
            continue;
        };
        let mut land = Landmass {
            rings: Vec::new(),
            min: (i32::MAX, i32::MAX),
            max: (i32::MIN, i32::MIN),
        };
        for ring in rings.split(';') {
            let mut points = Vec::new();
            let (mut x, mut y) = (0, 0);
            for (k, pair) in ring.split(' ').enumerate() {
                let Some((a, b)) = pair.split_once(',') else {
                    continue;
                };
                let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) else {
                    continue;
                };
                // The first point is absolute, each next one relative to the one before.
                if k == 0 {
                    (x, y) = (a, b);
                } else {
                    (x, y) = (x + a, y + b);
                }
                land.min = (land.min.0.min(x), land.min.1.min(y));
                land.max = (land.max.0.max(x), land.max.1.max(y));
                points.push((x, y));
            }
            if points.len() >= 3 {
                land.rings.push(points);
            }
        }
        out.push(land);
    }
    out
}

/// A venue on the map.
pub(in crate::render) struct Place<'a> {
    pub(in crate::render) name: &'a str,
    /// Where it is, for the list and the link's name ("Istanbul, Türkiye").
    pub(in crate::render) where_: String,
    pub(in crate::render) url: String,
    pub(in crate::render) lat: f64,
    pub(in crate::render) lon: f64,
}

/// The projection of one map: longitude and latitude (degrees) to SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::render) struct Projection {
    /// The cosine of the standard parallel: east–west degrees are this much shorter.
    k: f64,
    /// The west and north edges, in degrees.
    west: f64,
    north: f64,
    /// SVG units a degree of latitude.
    scale: f64,
}

impl Projection {
    /// The projection that fits `points` (latitude, longitude) with a margin into the
    /// drawing: their box grown by a fifth on each side (at least [`MIN_SPAN`] high), then
    /// widened or heightened to the drawing's aspect ratio, kept within ±85° of latitude.
    pub(in crate::render) fn fit(points: &[(f64, f64)]) -> Projection {
        let (mut south, mut north, mut west, mut east) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for &(lat, lon) in points {
            south = south.min(lat);
            north = north.max(lat);
            west = west.min(lon);
            east = east.max(lon);
        }
        if points.is_empty() {
            (south, north, west, east) = (-60.0, 80.0, -180.0, 180.0);
        }
        let mid_lat = ((south + north) / 2.0).clamp(-70.0, 70.0);
        let k = mid_lat.to_radians().cos();
        // Margins: a fifth of the span, and room for at least MIN_SPAN.
        let lat_span = ((north - south) * 1.4).max(MIN_SPAN);
        let lon_span = ((east - west) * 1.4).max(MIN_SPAN / k);
        let (mid_lon, mid_lat_box) = ((west + east) / 2.0, (south + north) / 2.0);
        // In projected degrees, x is longitude × k; fit the box to WIDTH × HEIGHT.
        let (w, h) = (lon_span * k, lat_span);
        let (w, h) = if w / h > WIDTH / HEIGHT {
            (w, w * HEIGHT / WIDTH)
        } else {
            (h * WIDTH / HEIGHT, h)
        };
        let h = h.min(170.0);
        let north = (mid_lat_box + h / 2.0).min(85.0);
        let north = north.max(-85.0 + h);
        Projection {
            k,
            west: mid_lon - w / k / 2.0,
            north,
            scale: WIDTH / w,
        }
    }

    /// Where a point (latitude, longitude in degrees) is drawn.
    pub(in crate::render) fn point(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.k * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// Clips a closed ring to `r` (Sutherland–Hodgman, one edge of the box at a time): what lies
/// outside the drawing is not written.
fn clip(ring: &[(f64, f64)], r: &Rect) -> Vec<(f64, f64)> {
    type Inside = fn(&(f64, f64), &Rect) -> bool;
    type Cross = fn((f64, f64), (f64, f64), &Rect) -> (f64, f64);
    let edges: [(Inside, Cross); 4] = [
        (
            |p, r| p.0 >= r.x0,
            |a, b, r| (r.x0, a.1 + (b.1 - a.1) * (r.x0 - a.0) / (b.0 - a.0)),
        ),
        (
            |p, r| p.0 <= r.x1,
            |a, b, r| (r.x1, a.1 + (b.1 - a.1) * (r.x1 - a.0) / (b.0 - a.0)),
        ),
        (
            |p, r| p.1 >= r.y0,
            |a, b, r| (a.0 + (b.0 - a.0) * (r.y0 - a.1) / (b.1 - a.1), r.y0),
        ),
        (
            |p, r| p.1 <= r.y1,
            |a, b, r| (a.0 + (b.0 - a.0) * (r.y1 - a.1) / (b.1 - a.1), r.y1),
        ),
    ];
    let mut points = ring.to_vec();
    for (inside, cross) in edges {
        if points.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(points.len());
        let mut prev = points[points.len() - 1];
        for &p in &points {
            match (inside(&p, r), inside(&prev, r)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, r));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, r)),
                (false, false) => {}
            }
            prev = p;
        }
        points = out;
    }
    points
}

/// The land of the outline within the drawing, as one path's `d`.
fn land(p: &Projection) -> String {
    // A little beyond the drawing, so the clipped edges stay out of sight.
    let view = Rect {
        x0: -2.0,
        y0: -2.0,
        x1: WIDTH + 2.0,
        y1: HEIGHT + 2.0,
    };
    let mut d = String::new();
    for c in LANDMASSES.iter() {
        let (x0, y1) = p.point(c.min.1 as f64 / 10.0, c.min.0 as f64 / 10.0);
        let (x1, y0) = p.point(c.max.1 as f64 / 10.0, c.max.0 as f64 / 10.0);
        if x1 < view.x0 || x0 > view.x1 || y1 < view.y0 || y0 > view.y1 {
            continue;
        }
        for ring in &c.rings {
            let projected: Vec<(f64, f64)> = ring
                .iter()
                .map(|&(lon, lat)| p.point(lat as f64 / 10.0, lon as f64 / 10.0))
                .collect();
            let clipped = clip(&projected, &view);
            // Points that round onto the one before add nothing.
            let mut last: Option<(i64, i64)> = None;
            let mut count = 0;
            let start = d.len();
            for (x, y) in clipped {
                let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
                if last == Some(q) {
                    continue;
                }
                d.push(if count == 0 { 'M' } else { 'L' });
                num(&mut d, x);
                d.push(' ');
                num(&mut d, y);
                last = Some(q);
                count += 1;
            }
            if count < 3 {
                d.truncate(start);
            } else {
                d.push('Z');
            }
        }
    }
    d
}

/// How a latitude and longitude read, in the site's language: `41.01° N, 28.98° E`,
/// `41.01° пн. ш., 28.98° сх. д.` (the numbers as the item page's field gives them).
pub(in crate::render) fn coordinates_text(t: &Strings, lat: f64, lon: f64) -> String {
    let lat_text = format!("{:.2}", lat.abs());
    let lon_text = format!("{:.2}", lon.abs());
    format!(
        "{}, {}",
        t.fill(
            if lat < 0.0 {
                "coord_south"
            } else {
                "coord_north"
            },
            &[("n", &lat_text)]
        ),
        t.fill(
            if lon < 0.0 {
                "coord_west"
            } else {
                "coord_east"
            },
            &[("n", &lon_text)]
        )
    )
}

/// The map of `places` as a `<figure>` (the SVG: its title and description, the outline, a
/// link a venue, with its label where there is room; the attribution), then the list of the
/// venues drawn, which says the same in words. `id` makes the figure's ids unique on its
/// page; `missing` venues have no coordinates and are said to be left out. Empty when no
/// venue has coordinates.
pub(in crate::render) fn map_html(
    t: &Strings,
    places: &[Place],
    id: &str,
    missing: usize,
) -> String {
    if places.is_empty() {
        return String::new();
    }
    let points: Vec<(f64, f64)> = places.iter().map(|p| (p.lat, p.lon)).collect();
    let projection = Projection::fit(&points);
    let marks: Vec<(f64, f64, f64)> = places
        .iter()
        .map(|p| {
            let (x, y) = projection.point(p.lat, p.lon);
            (x, y, 5.0)
        })
        .collect();
    let widths: Vec<f64> = places
        .iter()
        .map(|p| svg::text_width(&svg::short(p.name, 28), LABEL))
        .collect();
    let bounds = Rect {
        x0: 2.0,
        y0: 2.0,
        x1: WIDTH - 2.0,
        y1: HEIGHT - 2.0,
    };
    let labels = svg::place_labels(&marks, &widths, LABEL, bounds);
    let mut out = String::with_capacity(8 * 1024);
    let count = places.len() as u64;
    let _ = write!(
        out,
        "<figure class=\"map\" aria-labelledby=\"{id}-caption\">\n<svg class=\"map-svg\" viewBox=\"0 0 {} {}\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\n<title id=\"{id}-title\">",
        n(WIDTH),
        n(HEIGHT),
    );
    escape_into(&mut out, &t.plural("map_title", count, &[]));
    let _ = write!(out, "</title>\n<desc id=\"{id}-desc\">");
    let names: Vec<&str> = places.iter().map(|p| p.name).collect();
    escape_into(
        &mut out,
        &t.fill("map_desc", &[("names", &names.join(", "))]),
    );
    out.push_str("</desc>\n");
    let _ = write!(
        out,
        "<rect class=\"map-sea\" width=\"{}\" height=\"{}\"/>\n<path class=\"map-land\" d=\"{}\"/>\n",
        n(WIDTH),
        n(HEIGHT),
        land(&projection)
    );
    for ((place, &(x, y, r)), label) in places.iter().zip(&marks).zip(&labels) {
        out.push_str("<a class=\"map-venue\" href=\"");
        escape_into(&mut out, &place.url);
        out.push_str("\" aria-label=\"");
        escape_into(&mut out, place.name);
        if !place.where_.is_empty() {
            out.push_str(", ");
            escape_into(&mut out, &place.where_);
        }
        out.push_str("\"><title>");
        escape_into(&mut out, place.name);
        out.push_str("</title><circle cx=\"");
        num(&mut out, x);
        out.push_str("\" cy=\"");
        num(&mut out, y);
        out.push_str("\" r=\"");
        num(&mut out, r);
        out.push_str("\"/>");
        if let Some(l) = label {
            out.push_str("<text x=\"");
            num(&mut out, l.x);
            out.push_str("\" y=\"");
            num(&mut out, l.y);
            let _ = write!(out, "\" text-anchor=\"{}\">", l.anchor);
            escape_into(&mut out, &svg::short(place.name, 28));
            out.push_str("</text>");
        }
        out.push_str("</a>\n");
    }
    out.push_str("</svg>\n");
    let _ = write!(out, "<figcaption id=\"{id}-caption\">");
    out.push_str("<span class=\"map-what\">");
    let what = if missing > 0 {
        t.plural(
            "map_caption_missing",
            count,
            &[("of", &missing.to_string())],
        )
    } else {
        t.plural("map_caption", count, &[])
    };
    escape_into(&mut out, &what);
    out.push_str("</span> <span class=\"map-credit\">");
    escape_into(&mut out, t.get("map_credit"));
    out.push_str("</span></figcaption>\n</figure>\n");
    // The list follows the figure (a figure's caption is its first or last child).
    out.push_str("<ul class=\"map-list\">");
    for place in places {
        out.push_str("\n<li><a href=\"");
        escape_into(&mut out, &place.url);
        out.push_str("\">");
        escape_into(&mut out, place.name);
        out.push_str("</a>");
        if !place.where_.is_empty() {
            out.push_str(", ");
            escape_into(&mut out, &place.where_);
        }
        out.push_str(" <span class=\"meta\">");
        escape_into(&mut out, &coordinates_text(t, place.lat, place.lon));
        out.push_str("</span></li>");
    }
    out.push_str("\n</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_parses() {
        let c = &*LANDMASSES;
        assert!(c.len() > 100, "{} landmasses", c.len());
        let points: usize = c.iter().flat_map(|c| &c.rings).map(Vec::len).sum();
        assert!(points > 6_000, "{points} points");
    }

    #[test]
    fn the_extent_holds_every_venue_with_a_margin() {
        let venues = [(41.0, 29.0), (55.75, 37.6), (47.3, 35.7)];
        let p = Projection::fit(&venues);
        for (lat, lon) in venues {
            let (x, y) = p.point(lat, lon);
            assert!(x > 0.1 * WIDTH && x < 0.9 * WIDTH, "x {x}");
            assert!(y > 0.05 * HEIGHT && y < 0.95 * HEIGHT, "y {y}");
        }
        // North is up and east is right.
        let (x1, y1) = p.point(41.0, 29.0);
        let (x2, y2) = p.point(55.75, 37.6);
        assert!(x2 > x1 && y2 < y1);
        // Equal east–west and north–south distances at the middle latitude are drawn equal.
        let mid = (41.0 + 55.75) / 2.0;
        let k = f64::cos(f64::to_radians(mid));
        let (a, _) = p.point(mid, 30.0);
        let (b, _) = p.point(mid, 30.0 + 1.0 / k);
        let (_, c) = p.point(mid, 30.0);
        let (_, d) = p.point(mid - 1.0, 30.0);
        assert!(((b - a) - (d - c)).abs() < 1e-9);
    }

    #[test]
    fn one_venue_shows_its_region() {
        let p = Projection::fit(&[(41.0, 29.0)]);
        let (x, y) = p.point(41.0, 29.0);
        assert!((x - WIDTH / 2.0).abs() < 1e-6 && (y - HEIGHT / 2.0).abs() < 1e-6);
        let (_, top) = p.point(41.0 + MIN_SPAN / 2.0, 29.0);
        assert!(top >= -1e-6);
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)];
        let clipped = clip(&square, &r);
        assert!(clipped.iter().all(|p| p.0 >= 0.0 && p.1 >= 0.0));
        assert!(clipped.contains(&(5.0, 5.0)));
        assert!(clip(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], &r).is_empty());
    }

    #[test]
    fn the_map_links_every_venue_and_escapes_names() {
        let places = [
            Place {
                name: "Çırağan <Palace>",
                where_: "Istanbul, Türkiye".into(),
                url: "../venues/ciragan/".into(),
                lat: 41.04,
                lon: 29.02,
            },
            Place {
                name: "Moscow",
                where_: String::new(),
                url: "../venues/moscow/".into(),
                lat: 55.76,
                lon: 37.62,
            },
        ];
        let html = map_html(&Strings::default(), &places, "map", 1);
        assert_eq!(html.matches("<a class=\"map-venue\"").count(), 2);
        assert!(html.contains("Çırağan &lt;Palace&gt;"));
        assert!(!html.contains("<Palace>"));
        assert!(html.contains("1 without coordinates"));
        assert!(html.contains("Natural Earth"));
        // Land is drawn.
        assert!(html.matches('Z').count() >= 1);
        assert_eq!(html, map_html(&Strings::default(), &places, "map", 1));
        assert!(map_html(&Strings::default(), &[], "map", 0).is_empty());
    }
}
