// brief serve's Cite button. Injected by the development server into source pages only
// (never into `brief build` output). Selecting words of the source's text shows a "Cite"
// button; pressing it asks the server (GET data-endpoint) for the citation of exactly that
// selection, which the server makes with brief's own matcher: extended word by word when
// the words occur more than once, cut in two around hidden boilerplate, or refused with the
// reason. The citation is copied and shown, with the YAML `cite:` entry, in a panel.
//
// Where a selection is, is told by paragraph and offset: each `.para` of `.source-text`
// holds, after its number (`.pnum`) and one space, exactly the text of its paragraph in the
// source, cut into text nodes by marks and mention links; the "cited by" notes
// (`.cited-by`) are not the source's text. Offsets count UTF-16 code units, as the DOM
// does; the server converts them.
(() => {
  "use strict";
  const script = document.currentScript;
  const source = script.dataset.source;
  const endpoint = script.dataset.endpoint;
  const article = document.querySelector(".source-text");
  if (!article || !source || !endpoint) return;
  // The words in the site's language (strings.rs, the cite_ keys), from the server; the
  // matcher's reasons (`answer.why`, `answer.notes`) are brief quote's, in English.
  let words = {};
  try { words = JSON.parse(script.dataset.strings || "{}"); } catch (_) { words = {}; }
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
    const q = new URLSearchParams({
      source,
      sp: current.start[0], so: current.start[1],
      ep: current.end[0], eo: current.end[1],
      text: current.text,
    });
    let answer;
    try {
      const res = await fetch(endpoint + "?" + q.toString(), { cache: "no-store" });
      answer = await res.json();
    } catch (e) {
      answer = { ok: false, why: t("cite_no_answer", "the server did not answer (is brief serve still running?)") };
    }
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
})();
