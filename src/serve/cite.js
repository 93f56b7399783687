// The Cite button of source pages. Selecting words of the source's text shows a "Cite"
// button; pressing it cites exactly that selection as brief's matcher would: extended word
// by word when the words occur more than once, cut in two around hidden boilerplate, or
// refused with the reason. The citation is copied and shown, with the YAML `cite:` entry,
// in a panel.
//
// Two ways to make the citation, one for each place the script is found:
// - in `brief serve` (the script has data-endpoint), the page asks the server (GET
//   data-endpoint), which cites with the Rust code of `brief quote` from the file;
// - on a published source page (site.toml `cite_button = true`), `cite` below does it from
//   the page's data (#__brief-cite-data, see `page_data` in src/quote.rs): the text as
//   written and as the build folds it, with a map between them. The page folds nothing
//   itself: what is compared is always the build's fold, so the two cannot disagree; the
//   word-by-word extension is `make_unique` of src/quote.rs, step for step.
// When brief serve serves a page of a site with the setting on, the server's way wins.
//
// Where a selection is, is told by paragraph and offset: each `.para` of `.source-text`
// holds, after its number (`.pnum`) and one space, exactly the text of its paragraph in the
// source, cut into text nodes by marks and mention links; the "cited by" notes
// (`.cited-by`) are not the source's text. Offsets count UTF-16 code units, as the DOM
// does.
(() => {
  "use strict";

  // ---- Citing from the page's data (published pages; see src/quote.rs for each step) ----

  const MAX_RIVALS = 1000;
  const MAX_ADDED = 30;
  // White space as Rust's `char::is_whitespace` sees it (JavaScript's \s also has U+FEFF
  // and lacks U+0085).
  const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  const SPACES = new RegExp(SPACE.source + "+", "g");
  const WORD_CHAR = /[\p{Alphabetic}\p{N}\p{M}]/u;

  // The page's data made ready: `m[i]`, where unit i of the folded text comes from.
  function prepare(data) {
    const m = new Int32Array(data.folded.length);
    const pairs = data.map;
    for (let k = 0; k < pairs.length; k += 2) {
      const end = k + 2 < pairs.length ? pairs[k + 2] : m.length;
      for (let i = pairs[k]; i < end; i++) m[i] = pairs[k + 1] + (i - pairs[k]);
    }
    const paras = [];
    for (let k = 0; k < data.paras.length; k += 3) {
      paras.push({ start: data.paras[k], end: data.paras[k + 1], hidden: data.paras[k + 2] === 1 });
    }
    return { id: data.id, text: data.text, hay: data.folded, m, paras, inside: new Set(data.inside) };
  }

  // Folded.folded_offset: the first folded unit that comes from `at` or after it.
  function foldedOffset(d, at) {
    let lo = 0, hi = d.m.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.m[mid] < at) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Folded.is_unit_boundary.
  function isBoundary(d, at) {
    if (at <= 0 || at >= d.m.length) return at >= 0 && at <= d.m.length;
    return d.m[at - 1] !== d.m[at];
  }

  // Folded.original_range: whole units, and what left no trace after the end.
  function originalRange(d, start, end) {
    const origin = (at) => (at < d.m.length ? d.m[at] : d.text.length);
    if (start >= end) return [origin(start), origin(start)];
    const unit = d.m[end - 1];
    let j = end;
    while (j < d.m.length && d.m[j] === unit) j++;
    return [origin(start), j < d.m.length ? d.m[j] : d.text.length];
  }

  // find_all_folded: every occurrence of the folded needle between units, overlapping ones
  // included; at most `limit`.
  function findAll(d, needle, limit) {
    const all = [];
    if (!needle) return all;
    for (let at = d.hay.indexOf(needle); at >= 0 && all.length < limit; at = d.hay.indexOf(needle, at + 1)) {
      if (isBoundary(d, at) && isBoundary(d, at + needle.length)) all.push([at, at + needle.length]);
    }
    return all;
  }

  // text::quote::words: [start, end) of each run of letters, digits and combining marks.
  function words(s) {
    const out = [];
    let start = -1;
    let at = 0;
    for (const c of s) {
      const w = WORD_CHAR.test(c);
      if (w && start < 0) start = at;
      if (!w && start >= 0) { out.push([start, at]); start = -1; }
      at += c.length;
    }
    if (start >= 0) out.push([start, s.length]);
    return out;
  }

  const collapse = (s) => s.split(SPACES).filter((w) => w !== "").join(" ");
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  function extendedBy(before, after) {
    if (before === 0) return "extended by " + plural(after, "word") + " after";
    if (after === 0) return "extended by " + plural(before, "word") + " before";
    return "extended by " + plural(before, "word") + " before and " + plural(after, "word") + " after";
  }

  // The index of the paragraph holding `at`, or the last one before it; -1 for none.
  function paragraphAt(d, at) {
    let i = -1;
    for (let k = 0; k < d.paras.length && d.paras[k].start <= at; k++) i = k;
    return i;
  }

  // make_unique: {asIs} | {text, before, after} | {why}.
  function makeUnique(d, occ, all) {
    if (all.length === 1) return { asIs: true };
    const hay = d.hay;
    const [os, oe] = occ;
    const original = originalRange(d, os, oe);
    const first = paragraphAt(d, original[0]);
    const last = paragraphAt(d, Math.max(original[1] - 1, original[0]));
    const from = first < 0 ? os : Math.min(foldedOffset(d, d.paras[first].start), os);
    const to = last < 0 ? oe : Math.max(foldedOffset(d, d.paras[last].end), oe);
    const after = words(hay.slice(oe, to)).map((w) => oe + w[1]);
    const before = words(hay.slice(from, os)).reverse().map((w) => from + w[0]);
    if (all.length > MAX_RIVALS) {
      return { why: "it occurs " + all.length + " times: quote more words of the passage you mean" };
    }
    const backTo = before.length ? before[Math.min(before.length, MAX_ADDED) - 1] : os;
    const forthTo = after.length ? after[Math.min(after.length, MAX_ADDED) - 1] : oe;
    const rivals = all.filter((o) => o[0] !== os).map((o) => {
      let b = 0;
      while (os - 1 - b >= backTo && o[0] - 1 - b >= 0 && hay[os - 1 - b] === hay[o[0] - 1 - b]) b++;
      let a = 0;
      while (oe + a < forthTo && o[1] + a < hay.length && hay[oe + a] === hay[o[1] + a]) a++;
      return { at: o, before: b, after: a };
    });
    const most = Math.min(after.length + before.length, MAX_ADDED);
    for (let added = 1; added <= most; added++) {
      for (let forwards = Math.min(added, after.length); forwards >= 0; forwards--) {
        const backwards = added - forwards;
        if (backwards > before.length) break;
        const start = backwards === 0 ? os : before[backwards - 1];
        const end = forwards === 0 ? oe : after[forwards - 1];
        const back = os - start;
        const forth = end - oe;
        const alone = rivals.every((r) => r.before < back || r.after < forth ||
          !isBoundary(d, r.at[0] - back) || !isBoundary(d, r.at[1] + forth));
        if (!alone) continue;
        // As the build's matcher would judge it: found once, here.
        const found = findAll(d, hay.slice(start, end).replace(/^ +| +$/g, ""), 2);
        if (found.length === 1) {
          const range = originalRange(d, start, end);
          return { text: collapse(d.text.slice(range[0], range[1])), before: backwards, after: forwards };
        }
      }
    }
    if (after.length + before.length > MAX_ADDED) {
      return { why: "it occurs " + all.length + " times, and stays ambiguous with " + MAX_ADDED +
        " words added around it: quote a passage that says which one you mean" };
    }
    return { why: "it occurs " + all.length + " times, and stays ambiguous up to the ends of its " +
      "paragraph: quote on into the next paragraph, or cite the whole source" };
  }

  // utf16_to_byte, in UTF-16 units: the page counts each "\r\n" of the text as one unit.
  function pageToText(text, start, end, units) {
    let seen = 0;
    let at = start;
    while (at < end) {
      if (seen >= units) return at;
      if (text[at] === "\r" && text[at + 1] === "\n") { at += 2; seen += 1; continue; }
      at += 1;
      seen += 1;
    }
    return end;
  }

  const YAML_WORDS = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];
  const yamlId = (id) => (/^[A-Za-z]/.test(id) && !YAML_WORDS.includes(id.toLowerCase()) ? id : JSON.stringify(id));

  // inline_citation.
  function inlineCitation(id, quotes) {
    return "[" + quotes.map((q) => {
      let marked;
      if (!q.endsWith("\\")) marked = '"' + q.replaceAll('"', '\\"') + '"';
      else if (!q.includes("”")) marked = "“" + q + "”";
      else marked = "«" + q + "»";
      return "@" + id + " " + marked;
    }).join("; ") + "]";
  }

  // yaml_cite.
  function yamlCite(id, quotes) {
    let out = "cite:\n";
    for (const q of quotes) out += "  - source: " + yamlId(id) + "\n    quote: " + JSON.stringify(q) + "\n";
    return out;
  }

  // cite_selection: the answer the server would give, {ok, citation, yaml, quotes, notes}
  // or {ok: false, why}.
  function cite(d, selection) {
    const text = d.text;
    const visible = d.paras.filter((p) => !p.hidden);
    const point = ([number, offset]) => {
      const p = visible[number - 1];
      return p ? pageToText(text, p.start, p.end, offset) : null;
    };
    const stale = "the page is older than the source's file: reload the page and select again";
    const a = point(selection.start);
    const b = point(selection.end);
    if (a === null || b === null) return { ok: false, why: stale };
    if (a >= b) return { ok: false, why: "select some words of the text first" };
    let parts = [];
    let open = null;
    for (const p of d.paras) {
      if (!(p.end > a && p.start < b)) continue;
      if (p.hidden) {
        if (open) parts.push(open);
        open = null;
      } else {
        const piece = [Math.max(a, p.start), Math.min(b, p.end)];
        open = open ? [open[0], piece[1]] : piece;
      }
    }
    if (open) parts.push(open);
    // Trimmed of white space; each a folded range too.
    parts = parts.map(([s, e]) => {
      while (s < e && SPACE.test(text[s])) s++;
      while (e > s && SPACE.test(text[e - 1])) e--;
      let fs = foldedOffset(d, s);
      let fe = foldedOffset(d, e);
      while (fs < fe && d.hay[fs] === " ") fs++;
      while (fe > fs && d.hay[fe - 1] === " ") fe--;
      return { s, e, fs, fe, cut: d.inside.has(s) || d.inside.has(e) };
    }).filter((r) => r.fe > r.fs || r.cut);
    if (!parts.length) return { ok: false, why: "select some words of the text first" };
    const shown = parts.map((r) => text.slice(r.s, r.e)).join(" ");
    if (collapse(shown) !== collapse(selection.text)) return { ok: false, why: stale };
    const quotes = [];
    const notes = [];
    if (parts.length > 1) {
      notes.push("the selection spans hidden boilerplate: cited as " + parts.length + " passages, one on each side");
    }
    for (const r of parts) {
      if (r.cut || !isBoundary(d, r.fs) || !isBoundary(d, r.fe)) {
        return { ok: false, why: "the selection starts or ends inside a character: select whole words" };
      }
      const all = findAll(d, d.hay.slice(r.fs, r.fe), Infinity);
      const selected = collapse(text.slice(r.s, r.e));
      const u = makeUnique(d, [r.fs, r.fe], all);
      if (u.asIs) quotes.push(selected);
      else if (u.why) return { ok: false, why: "“" + selected + "” cannot be cited: " + u.why };
      else {
        notes.push("“" + selected + "” occurs " + all.length + " times in the source: " +
          extendedBy(u.before, u.after) + " to be unique");
        quotes.push(u.text);
      }
    }
    const marked = quotes.find((q) => q.includes("[@"));
    if (marked !== undefined) {
      return { ok: false, why: "“" + marked + "” holds `[@`, which starts a citation: a quote cannot hold it" };
    }
    return { ok: true, citation: inlineCitation(d.id, quotes), yaml: yamlCite(d.id, quotes), quotes, notes };
  }

  // For tests run with Node: the same steps over a page's data.
  if (typeof module === "object" && module.exports) module.exports = { prepare, cite };
  if (typeof document === "undefined") return;

  // ---- The button and its panel ----

  const script = document.currentScript;
  const endpoint = script.dataset.endpoint;
  if (endpoint) {
    window.__briefCiteServer = true;
    start(script.dataset.source, (sel) => ask(script.dataset.source, endpoint, sel), script.dataset.strings);
  } else {
    // A published page: unless brief serve added its own script (which runs as the page is
    // read, so before this), cite from the page's data.
    const local = () => {
      if (window.__briefCiteServer) return;
      const el = document.getElementById("__brief-cite-data");
      if (!el) return;
      // Read at the first citation: a long source's data takes a while to parse.
      let d = null;
      start(el.dataset.source, async (sel) => cite(d || (d = prepare(JSON.parse(el.textContent))), sel), el.dataset.strings);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", local);
    else local();
  }

  async function ask(source, endpoint, current) {
    const q = new URLSearchParams({
      source,
      sp: current.start[0], so: current.start[1],
      ep: current.end[0], eo: current.end[1],
      text: current.text,
    });
    try {
      const res = await fetch(endpoint + "?" + q.toString(), { cache: "no-store" });
      return await res.json();
    } catch (e) {
      return { ok: false, why: "the server did not answer (is brief serve still running?)" };
    }
  }

  // Shows the button on source pages; `citeOf(selection)` gives the answer; `strings`, the
  // words in the site's language (strings.rs, the cite_ keys: the script's or the page
  // data's data-strings); the matcher's reasons (`answer.why`, `answer.notes`) are brief
  // quote's, in English.
  function start(source, citeOf, strings) {
  const article = document.querySelector(".source-text");
  if (!article || !source) return;
  let words = {};
  try { words = JSON.parse(strings || "{}"); } catch (_) { words = {}; }
  const t = (key, fallback) => (typeof words[key] === "string" ? words[key] : fallback);
  const esc = (s) => s.replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const fill = (text, name, value) => text.split("{" + name + "}").join(value);

  // Fixed in the viewport, so that showing them moves nothing on the page; the site's
  // colours (light and dark), with the system's as a fallback.
  const style = document.createElement("style");
  style.textContent = `
#__brief-cite, #__brief-cite-panel button {
  font: 600 .9rem/1.2 var(--font-ui, system-ui, sans-serif);
  color: var(--bg, Canvas); background: var(--link, LinkText);
  border: 1px solid var(--link, LinkText); border-radius: 4px; padding: .35rem .7rem;
  cursor: pointer;
}
#__brief-cite { position: fixed; z-index: 2147483646; box-shadow: 0 2px 8px var(--shadow, rgb(0 0 0 / .25)); }
#__brief-cite[hidden], #__brief-cite-panel[hidden] { display: none; }
#__brief-cite:focus-visible, #__brief-cite-panel :focus-visible {
  outline: 3px solid var(--focus, Highlight); outline-offset: 2px;
}
#__brief-cite-panel {
  position: fixed; z-index: 2147483646; right: 1rem; bottom: 1rem; width: min(36rem, calc(100vw - 2rem));
  box-sizing: border-box; max-height: 70vh; overflow: auto; padding: .75rem 1rem;
  color: var(--fg, CanvasText); background: var(--surface, Canvas);
  border: 1px solid var(--muted, GrayText); border-radius: 6px;
  box-shadow: 0 4px 16px var(--shadow, rgb(0 0 0 / .3));
  font: .9rem/1.45 var(--font-ui, system-ui, sans-serif); text-align: left;
}
#__brief-cite-panel h2 { font: inherit; font-weight: 700; margin: 0 0 .4rem; }
#__brief-cite-panel p { margin: 0 0 .5rem; }
#__brief-cite-panel label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
#__brief-cite-panel textarea {
  display: block; box-sizing: border-box; width: 100%; resize: vertical;
  font: .85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--fg, FieldText); background: var(--bg, Field);
  border: 1px solid var(--muted, GrayText); border-radius: 4px; padding: .3rem .4rem;
}
#__brief-cite-panel .__brief-cite-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
#__brief-cite-panel button.__brief-cite-quiet { color: var(--fg, ButtonText); background: transparent; border-color: var(--muted, GrayText); }
`;
  document.head.appendChild(style);

  // Right after the text in the document, so the keyboard reaches them from it.
  const button = document.createElement("button");
  button.type = "button";
  button.id = "__brief-cite";
  button.textContent = t("cite_button", "Cite");
  button.setAttribute("aria-label", t("cite_button_label", "Cite the selected words"));
  button.setAttribute("aria-keyshortcuts", "Alt+Shift+C");
  button.title = t("cite_button_label", "Cite the selected words") + " (Alt+Shift+C)";
  button.hidden = true;

  const panel = document.createElement("div");
  panel.id = "__brief-cite-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "__brief-cite-head");
  panel.hidden = true;
  panel.innerHTML = `
<h2 id="__brief-cite-head">${esc(t("cite_head", "Cite the selection"))}</h2>
<p id="__brief-cite-status" role="status"></p>
<div id="__brief-cite-fields">
<label for="__brief-cite-inline">${esc(t("cite_inline_label", "Citation for Markdown"))}</label>
<textarea id="__brief-cite-inline" rows="2" readonly></textarea>
<label for="__brief-cite-yaml">${fill(esc(t("cite_yaml_label", "The {name} entry for a claim (YAML)")), "name", "<code>cite:</code>")}</label>
<textarea id="__brief-cite-yaml" rows="4" readonly></textarea>
</div>
<div class="__brief-cite-actions">
<button type="button" id="__brief-cite-copy">${esc(t("cite_copy", "Copy citation"))}</button>
<button type="button" id="__brief-cite-copy-yaml">${esc(t("cite_copy_yaml", "Copy YAML"))}</button>
<button type="button" id="__brief-cite-close" class="__brief-cite-quiet">${esc(t("cite_close", "Close"))}</button>
</div>`;
  article.after(button, panel);
  const status = panel.querySelector("#__brief-cite-status");
  const fields = panel.querySelector("#__brief-cite-fields");
  const inline = panel.querySelector("#__brief-cite-inline");
  const yaml = panel.querySelector("#__brief-cite-yaml");
  const copyButtons = [panel.querySelector("#__brief-cite-copy"), panel.querySelector("#__brief-cite-copy-yaml")];

  // Whether a text node is the source's text: inside a paragraph, not its number or a
  // "cited by" note.
  function isText(node) {
    const el = node.parentElement;
    return !!el && !!el.closest(".para") && !el.closest(".pnum, .cited-by");
  }

  // The selection as the server wants it: the paragraph numbers and offsets of its first
  // and last selected character of the source's text, and that text, one line a paragraph.
  // Null when no text of the source is selected.
  function measure(range) {
    let start = null;
    let end = null;
    const pieces = [];
    for (const p of article.querySelectorAll(".para")) {
      if (!range.intersectsNode(p)) continue;
      const number = Number(p.id.slice(1));
      let at = 0; // offset in the paragraph's text of the current node's first character
      let first = true;
      let piece = "";
      const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        if (!isText(t)) continue;
        // The paragraph's first text node starts with the space after its number.
        const skip = first ? 1 : 0;
        first = false;
        if (range.intersectsNode(t)) {
          let s = t === range.startContainer ? range.startOffset : 0;
          let e = t === range.endContainer ? range.endOffset : t.length;
          s = Math.max(s, skip);
          e = Math.max(e, skip);
          if (e > s) {
            if (!start) start = [number, at + s - skip];
            end = [number, at + e - skip];
            piece += t.data.slice(s, e);
          }
        }
        at += t.length - skip;
      }
      if (piece) pieces.push(piece);
    }
    if (!start || !pieces.join("").trim()) return null;
    return { start, end, text: pieces.join("\n") };
  }

  let current = null; // the measured selection the button would cite
  let returnFocus = null;

  function place(range) {
    const rects = range.getClientRects();
    const r = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    button.hidden = false;
    const w = button.offsetWidth;
    const h = button.offsetHeight;
    let top = r.bottom + 6;
    if (top + h > innerHeight - 4) top = Math.max(4, r.top - h - 6);
    const left = Math.min(Math.max(4, r.right - w / 2), innerWidth - w - 4);
    button.style.top = top + "px";
    button.style.left = left + "px";
  }

  function onSelection() {
    // While the panel is in use (its fields select their text), the button stays as it is.
    if (panel.contains(document.activeElement)) return;
    const sel = getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
      // Focus on the button or in the panel keeps what they act on.
      if (!button.contains(document.activeElement) && !panel.contains(document.activeElement)) {
        button.hidden = true;
        current = null;
      }
      return;
    }
    const range = sel.getRangeAt(0);
    const measured = measure(range);
    if (!measured) {
      button.hidden = true;
      current = null;
      return;
    }
    current = measured;
    place(range);
  }

  let pending = 0;
  document.addEventListener("selectionchange", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(onSelection);
  });
  addEventListener("scroll", () => {
    const sel = getSelection();
    if (!button.hidden && sel && sel.rangeCount && !sel.isCollapsed) place(sel.getRangeAt(0));
  }, { passive: true });
  // A mouse press on the button must not take the selection away first.
  button.addEventListener("mousedown", (e) => e.preventDefault());

  function show(message, ok) {
    status.textContent = message;
    fields.hidden = !ok;
    for (const b of copyButtons) b.hidden = !ok;
    panel.hidden = false;
  }

  // `what`: the key of what is copied (cite_what_citation, cite_what_yaml), which the
  // messages name in the form their sentence needs.
  async function copy(text, what) {
    try {
      await navigator.clipboard.writeText(text);
      return t(what + "_copied", what === "cite_what_yaml" ? "YAML entry copied to the clipboard." : "Citation copied to the clipboard.");
    } catch (_) {
      return t(what + "_select", what === "cite_what_yaml" ? "Select the YAML entry below and copy it (Ctrl+C or ⌘C)." : "Select the citation below and copy it (Ctrl+C or ⌘C).");
    }
  }

  button.addEventListener("click", async () => {
    if (!current) return;
    returnFocus = button;
    const answer = await citeOf(current);
    if (answer.ok) {
      inline.value = answer.citation;
      yaml.value = answer.yaml;
      // Tall enough for every entry (two or more around hidden boilerplate).
      yaml.rows = Math.max(3, answer.yaml.split("\n").length - 1);
      const notes = answer.notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1) + ".").join(" ");
      show(notes, true);
      status.textContent = (notes ? notes + " " : "") + await copy(answer.citation, "cite_what_citation");
      inline.focus();
      inline.select();
    } else {
      show(fill(t("cite_refused", "This selection cannot be cited: {name}."), "name", answer.why), false);
      panel.querySelector("#__brief-cite-close").focus();
    }
  });

  panel.querySelector("#__brief-cite-copy").addEventListener("click", async () => {
    status.textContent = await copy(inline.value, "cite_what_citation");
  });
  panel.querySelector("#__brief-cite-copy-yaml").addEventListener("click", async () => {
    status.textContent = await copy(yaml.value, "cite_what_yaml");
  });

  function close() {
    panel.hidden = true;
    const to = returnFocus && !returnFocus.hidden ? returnFocus : article;
    returnFocus = null;
    if (to === article && !article.hasAttribute("tabindex")) article.setAttribute("tabindex", "-1");
    to.focus();
  }
  panel.querySelector("#__brief-cite-close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    } else if (e.altKey && e.shiftKey && e.code === "KeyC" && current && !button.hidden) {
      // For a selection made with the keyboard (caret browsing), wherever the focus is.
      e.preventDefault();
      button.focus();
      button.click();
    }
  });
}
})();
