// Lighthouse on a list of pages, in one headless Chromium (started once: a fresh one per
// page would cost a second or two each). Run by tests/browser.rs (the test
// `lighthouse_scores_every_page_type_at_least_95`, which scripts/lighthouse.sh runs too),
// not on its own:
//
//   node scripts/lighthouse.mjs CI_NODE CHROMIUM PAGES_JSON
//
// CI_NODE is the folder Lighthouse was installed into (npm --prefix; see scripts/test.sh),
// CHROMIUM the browser, PAGES_JSON `[{"name", "url", "categories": ["performance", …]}]`.
// Prints one JSON array on stdout: per page its scores (0–100, by category) and, for each
// category under 100, the audits that cost it points (weighted, scored below 1), so a
// failing score says why.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [ciNode, chromePath, pagesJson] = process.argv.slice(2);
if (!ciNode || !chromePath || !pagesJson) {
  console.error('usage: node scripts/lighthouse.mjs CI_NODE CHROMIUM PAGES_JSON');
  process.exit(2);
}
const load = (rel) => import(pathToFileURL(path.join(ciNode, 'node_modules', rel)).href);
const { default: lighthouse } = await load('lighthouse/core/index.js');
const chromeLauncher = await load('chrome-launcher/dist/index.js');

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const out = [];
try {
  for (const page of JSON.parse(pagesJson)) {
    const started = Date.now();
    const { lhr } = await lighthouse(page.url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: page.categories,
    });
    const scores = {};
    const lost = {};
    for (const [id, cat] of Object.entries(lhr.categories)) {
      scores[id] = cat.score === null ? null : Math.round(cat.score * 100);
      lost[id] = cat.auditRefs
        .filter((r) => r.weight > 0)
        .map((r) => lhr.audits[r.id])
        .filter((a) => a.score !== null && a.score < 1)
        .map((a) => `${a.id} (${Math.round(a.score * 100)}${a.displayValue ? ', ' + a.displayValue : ''})`);
    }
    out.push({
      name: page.name,
      url: page.url,
      scores,
      lost,
      error: lhr.runtimeError ? lhr.runtimeError.message : null,
      seconds: (Date.now() - started) / 1000,
    });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(out));
