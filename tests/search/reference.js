/* Runs the single-index search (single-index.js, today's search.js before the split) under
   Node on a whole index (a JSON file in the single index's shape) and prints, for each query,
   the number of results and the links of the first 50 as the search page writes them from
   search/index.html (root "../").
   Usage: node reference.js single-index.js index.json queries.json */
"use strict";
const fs = require("fs");
const vm = require("vm");
const [script, indexFile, queriesFile] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(indexFile, "utf8"));
const window = { BRIEF_SEARCH: data };
// No results list on this "page": the script's start() returns at once.
const document = { readyState: "complete", getElementById: () => null };
vm.runInNewContext(fs.readFileSync(script, "utf8"), { window, document });
function link(root, path) {
  let hash = "";
  const i = path.indexOf("#");
  if (i !== -1) { hash = path.slice(i); path = path.slice(0, i); }
  return root + path + (path === "" || path.slice(-1) === "/" ? "index.html" : "") + hash;
}
const out = JSON.parse(fs.readFileSync(queriesFile, "utf8")).map((q) => {
  const found = window.briefSearch(q);
  const hrefs = found.slice(0, 50).map((r) => {
    const doc = data.docs[r.doc];
    if (doc[0] === 2) return link("../", data.sources[doc[1]][1] + "#p" + doc[2]);
    const it = data.items[doc[1]];
    return link("../", it[1] + (doc[0] === 1 ? "#" + it[4][doc[2] - 1] : ""));
  });
  return { query: q, count: found.length, hrefs };
});
process.stdout.write(JSON.stringify(out));
