/* brief — footnote previews. Hovering or focusing a citation mark (sup.cite a) shows the
   note it points to in a small popup; Esc, moving away or leaving it with the keyboard hides
   it. The page works fully without this script: the marks are ordinary links to the notes. */
(function () {
  "use strict";
  var pop = null;      // the popup element, made on first use
  var current = null;  // the citation link the popup belongs to
  var timer = 0;

  function citeOf(node) {
    return node && node.closest ? node.closest("sup.cite a") : null;
  }

  function noteFor(link) {
    var id = link.getAttribute("data-note") ||
      (link.getAttribute("href") || "").replace(/^#/, "");
    return id ? document.getElementById(id) : null;
  }

  function makePopup() {
    pop = document.createElement("div");
    pop.id = "brief-note-preview";
    pop.className = "note-pop";
    pop.setAttribute("role", "tooltip");
    pop.hidden = true;
    pop.addEventListener("mouseenter", function () { clearTimeout(timer); });
    pop.addEventListener("mouseleave", hideSoon);
    document.body.appendChild(pop);
  }

  function show(link) {
    clearTimeout(timer);
    if (link === current) return;
    var note = noteFor(link);
    if (!note) return;
    hide();
    if (!pop) makePopup();
    var copy = note.cloneNode(true);
    // No duplicate ids, no back links; links inside stay usable by mouse, out of the tab order.
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.querySelectorAll(".backref, .backrefs").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });
    pop.textContent = "";
    var label = document.createElement("p");
    label.className = "note-pop-n";
    // "Note 3" in the site's language: the page's body carries the words (base.html).
    var words = document.body.getAttribute("data-note-label") || "Note {n}";
    label.textContent = words.replace("{n}", (link.textContent || "").trim());
    pop.appendChild(label);
    var line = document.createElement("p");
    while (copy.firstChild) line.appendChild(copy.firstChild);
    pop.appendChild(line);
    // The short note names its source in a few words; the list of sources cited below the
    // notes gives it in full (title, outlet, date, "Our summary of …"): show that too.
    var cited = note.querySelector(".note-source a");
    var ref = cited && document.getElementById((cited.getAttribute("href") || "").replace(/^#/, ""));
    if (ref) {
      var full = ref.cloneNode(true);
      full.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });
      var source = document.createElement("p");
      source.className = "note-pop-source";
      while (full.firstChild) source.appendChild(full.firstChild);
      pop.appendChild(source);
    }
    pop.hidden = false;
    current = link;
    link.setAttribute("aria-describedby", pop.id);
    place(link);
  }

  function place(link) {
    var margin = 8;
    var view = document.documentElement.clientWidth;
    var r = link.getBoundingClientRect();
    pop.style.left = "0px";
    pop.style.top = "0px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.min(Math.max(margin, r.left + r.width / 2 - w / 2), view - w - margin);
    var top = r.bottom + 6;
    if (top + h > window.innerHeight - margin && r.top - h - 6 > margin) top = r.top - h - 6;
    pop.style.left = Math.max(margin, left) + window.scrollX + "px";
    pop.style.top = top + window.scrollY + "px";
  }

  function hide() {
    clearTimeout(timer);
    if (!current) return;
    current.removeAttribute("aria-describedby");
    current = null;
    pop.hidden = true;
  }

  function hideSoon() {
    clearTimeout(timer);
    timer = setTimeout(hide, 200);
  }

  document.addEventListener("mouseover", function (e) {
    var link = citeOf(e.target);
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (e) {
    if (citeOf(e.target) && !citeOf(e.relatedTarget)) hideSoon();
  });
  document.addEventListener("focusin", function (e) {
    var link = citeOf(e.target);
    if (link) show(link); else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (citeOf(e.target) && !e.relatedTarget) hideSoon();
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && current) hide();
  });
  window.addEventListener("hashchange", hide);

  // A passage reached by a link (#q-N) may be drawn as several marks (where it overlaps
  // others): light up all of them, not only the first.
  function arrive() {
    document.querySelectorAll("mark.arrived").forEach(function (m) { m.classList.remove("arrived"); });
    var m = /^#q-(\d+)$/.exec(location.hash);
    if (!m) return;
    document.querySelectorAll("mark.passage[data-q]").forEach(function (el) {
      if ((" " + el.getAttribute("data-q") + " ").indexOf(" " + m[1] + " ") !== -1) el.classList.add("arrived");
    });
  }
  window.addEventListener("hashchange", arrive);
  arrive();

  // A source page's "cited by" notes, one after each cited passage (see brief.css).
  var sourceText = document.querySelector(".source-text");
  if (sourceText) citedBy(sourceText);

  function citedBy(text) {
    var notes = Array.prototype.slice.call(text.querySelectorAll(".cited-by"));
    if (!notes.length) return;
    // Narrow screens: the note's links go in a list that a small button shows and hides.
    notes.forEach(function (note, k) {
      var list = document.createElement("span");
      list.className = "cited-by-list";
      list.id = "cited-by-" + (k + 1);
      while (note.firstChild) list.appendChild(note.firstChild);
      var count = list.querySelectorAll("a").length;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cited-by-toggle";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", list.id);
      var shown = document.createElement("span");
      shown.setAttribute("aria-hidden", "true");
      shown.textContent = "\u2190" + count;
      var said = document.createElement("span");
      said.className = "visually-hidden";
      // In the site's language, made with the page (source_body.rs).
      said.textContent = note.getAttribute("data-said") || "cited by " + count + (count === 1 ? " page" : " pages");
      button.appendChild(shown);
      button.appendChild(said);
      button.addEventListener("click", function () {
        var open = note.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
      note.appendChild(button);
      note.appendChild(list);
    });
    text.classList.add("cited-by-js");

    // Wide screens: each note beside the line where its passage starts, or just below the
    // note above it when that one is in the way.
    var wide = window.matchMedia("(min-width: 78rem)");
    function place() {
      text.style.paddingBottom = "";
      text.classList.toggle("cited-by-placed", wide.matches);
      var floor = -Infinity; // where the note placed last ends, in page coordinates
      notes.forEach(function (note) {
        note.style.top = "";
        if (!wide.matches) return;
        var mark = note.previousElementSibling;
        while (mark && mark.tagName !== "MARK") mark = mark.previousElementSibling;
        var para = note.closest(".para") || text;
        var paraTop = para.getBoundingClientRect().top + window.scrollY;
        var line = mark && mark.getClientRects()[0];
        var top = Math.max(line ? line.top + window.scrollY : paraTop, floor);
        note.style.top = (top - paraTop) + "px";
        floor = top + note.offsetHeight + 6;
      });
      // The last notes may reach below the text: keep them clear of what follows.
      var end = text.getBoundingClientRect().bottom + window.scrollY;
      if (floor > end) text.style.paddingBottom = (floor - end) + "px";
    }
    place();
    window.addEventListener("resize", place);
    window.addEventListener("load", place);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
  }
  // The print view's "Print this page" button (hidden without this script).
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  window.addEventListener("resize", function () { if (current) place(current); });
  // On a phone the navigation is one row that scrolls sideways: bring the current page's
  // entry into view (scrollLeft, which never moves the page itself).
  var here = document.querySelector('.site-nav a[aria-current="page"]');
  var row = here && here.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = here.offsetLeft - row.offsetLeft - (row.clientWidth - here.offsetWidth) / 2;
  }
})();
