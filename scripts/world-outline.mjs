// Converts the land of world-atlas's countries-110m.json (Natural Earth 1:110m, public domain;
// world-atlas ISC) into src/theme/data/world-110m.txt, the outline brief draws its venue maps
// on (src/render/map.rs reads it). Land and coasts only, no borders: borders are disputed in
// the regions briefings are about (Natural Earth's default edition draws Crimea inside
// Russia), and a map that draws none takes no side. Run once, by hand, when the outline is to
// change:
//
//   cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//   node scripts/world-outline.mjs /tmp/package/countries-110m.json > src/theme/data/world-110m.txt
//
// The output: comment lines starting with `#`, then one line a landmass: `land`, a tab, its
// rings separated by `;` (its coast, a lake or inland sea in it, or the same coast drawn again
// 360° over; drawn with the even-odd rule). A ring is integer points in tenths of a degree (longitude, latitude),
// the first absolute and each next one the difference from the one before, `x,y` pairs
// separated by spaces. Points that round onto the one before are dropped, as are rings left
// with fewer than three points. No dependency: TopoJSON is decoded here.
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/world-outline.mjs countries-110m.json");
  process.exit(2);
}
const topo = JSON.parse(readFileSync(file, "utf8"));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
// Arcs are delta-encoded quantized points; decode them to degrees.
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});
// A ring is a list of arc indices; a negative index ~i is arc i reversed. Consecutive arcs
// share their end point, so each arc after the first drops its first point.
function ring(indices) {
  const points = [];
  for (const i of indices) {
    const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return points;
}
function quantize(points) {
  const q = [];
  // Longitudes are unwrapped: a ring that crosses the antimeridian (Fiji, Chukotka) goes on
  // past ±180° instead of jumping across the world, and is drawn a second time shifted by
  // 360° (see `shifted`), so a flat map shows both halves.
  let offset = 0;
  for (const [lon, lat] of points) {
    const last = q[q.length - 1];
    let x = Math.round(lon * 10) + offset;
    if (last && x - last[0] > 1800) {
      offset -= 3600;
      x -= 3600;
    } else if (last && x - last[0] < -1800) {
      offset += 3600;
      x += 3600;
    }
    const p = [x, Math.round(lat * 10)];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) q.push(p);
  }
  // The closing point repeats the first: the drawing closes the ring itself.
  if (q.length > 1 && q[0][0] === q[q.length - 1][0] && q[0][1] === q[q.length - 1][1]) q.pop();
  return q.length < 3 ? null : q;
}
function shifted(q) {
  const out = [q];
  if (q.some((p) => p[0] > 1800)) out.push(q.map(([x, y]) => [x - 3600, y]));
  if (q.some((p) => p[0] < -1800)) out.push(q.map(([x, y]) => [x + 3600, y]));
  return out;
}
function encode(q) {
  const out = [`${q[0][0]},${q[0][1]}`];
  for (let k = 1; k < q.length; k++) out.push(`${q[k][0] - q[k - 1][0]},${q[k][1] - q[k - 1][1]}`);
  return out.join(" ");
}
const lines = [
  "# World outline for brief's venue maps: the land of Natural Earth 1:110m (public domain,",
  "# naturalearthdata.com), from the npm package world-atlas 2.0.2 (ISC licence, Michael Bostock),",
  "# converted by scripts/world-outline.mjs; no borders. Per line: a landmass, a tab, its rings separated",
  "# by ';'; a ring is integer (longitude, latitude) points in tenths of a degree, the first",
  "# absolute and each next one relative to the one before.",
];
let points = 0;
for (const g of topo.objects.land.geometries) {
  const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  for (const polygon of polygons) {
    const rings = [];
    for (const r of polygon) {
      const q = quantize(ring(r));
      for (const copy of q ? shifted(q) : []) {
        rings.push(encode(copy));
        points += copy.length;
      }
    }
    if (rings.length) lines.push(`land\t${rings.join(";")}`);
  }
}
process.stdout.write(lines.join("\n") + "\n");
console.error(`${lines.length - 5} landmasses, ${points} points`);
