/* Today's search before the index was split (src/theme/assets/search.js as of commit 7fbde31),
   kept verbatim as the reference ranking tests/search_chunks.rs compares the chunked search
   with: it reads one whole index from window.BRIEF_SEARCH and answers synchronously. */
/* brief — offline search. Reads the index that search-index.js puts in window.BRIEF_SEARCH
   (a script, not a fetched file, so that the search works from file://), looks each word of
   the query up by prefix in the sorted term list, keeps the documents that have every word,
   and lists them with a short excerpt, the matches highlighted. Links are relative to the
   site root given by the results list's data-root, so the site works under any base path.
   Without JavaScript the page shows its list of every item and source instead. */
(function () {
  "use strict";
  var KIND = ["Item", "Claim", "Source"];
  // The page's words in the site's language (search.html's data-strings, from the theme's
  // strings table); English when a page does not give them.
  var T = {
    search_unavailable: "The search index could not be loaded.",
    search_nothing: "Nothing found for “{q}”.",
    search_results: ["{n} result for “{q}”.", "{n} results for “{q}”."],
    search_first: ["{n} results for “{q}”; the first {limit} are shown."],
    item: "Item", claim: "Claim", source_paragraph: "Source · paragraph {n}", also: "also {names}",
    plural_rule: "one-other"
  };
  function fill(s, args) {
    return s.replace(/\{(n|q|limit|names)\}/g, function (m, k) { return k in args ? String(args[k]) : m; });
  }
  // The plural form of `forms` for n, as strings.rs's PluralRule chooses it.
  function plural(forms, n, args) {
    if (typeof forms === "string") forms = [forms];
    var i;
    if (T.plural_rule === "east-slavic") {
      i = n % 10 === 1 && n % 100 !== 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;
    } else if (T.plural_rule === "zero-one-other") {
      i = n > 1 ? 1 : 0;
    } else {
      i = n === 1 ? 0 : 1;
    }
    args.n = n;
    return fill(forms[Math.min(i, forms.length - 1)], args);
  }
  var LIMIT = 50;
  var data = window.BRIEF_SEARCH;
  var terms = null, cache = {}, foldedNames = null;

  // As render/search.rs folds the index: marks dropped outside Cyrillic (whose й and ї are
  // letters of their own), ё as е, lower case, ı as i, every apostrophe look-alike as ', and
  // one between two Cyrillic letters (the Ukrainian мʼясо) dropped.
  var APOS = /['`‘’‛′´ʼʹʻ＇ꞌ]/gu;
  var APOS_IN_CYRILLIC = /(\p{Script=Cyrillic})['`‘’‛′´ʼʹʻ＇ꞌ](?=\p{Script=Cyrillic})/gu;
  function fold(s) {
    return s.replace(/[ёЁ]/g, "е")
      .replace(/[^\p{Script=Cyrillic}]+/gu, function (m) { return m.normalize("NFD").replace(/\p{M}/gu, ""); })
      .toLowerCase().replace(/ı/g, "i").replace(/\p{M}/gu, "")
      .replace(APOS_IN_CYRILLIC, "$1").replace(APOS, "'");
  }
  function isApostrophe(ch) { return ch !== undefined && /^['`‘’‛′´ʼʹʻ＇ꞌ]$/u.test(ch); }
  function isCyrillicLetter(ch) { return ch !== undefined && /^(?=\p{L})\p{Script=Cyrillic}$/u.test(ch); }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }
  function isWord(ch) { return /[\p{L}\p{N}]/u.test(ch); }

  function postings(i) {
    if (cache[i]) return cache[i];
    var out = [], last = 0, parts = data.postings[i].split(" ");
    for (var k = 0; k < parts.length; k++) { last += parseInt(parts[k], 36); out.push(last); }
    return (cache[i] = out);
  }

  // The first index in the sorted term list not below `p`.
  function lowerBound(p) {
    var lo = 0, hi = terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < p) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // doc -> 2 (the word itself) or 1 (a word it begins), for one query word.
  function lookup(w) {
    var hits = new Map();
    for (var i = lowerBound(w); i < terms.length && terms[i].lastIndexOf(w, 0) === 0; i++) {
      if (terms[i] !== w && w.length < 2) break;
      var score = terms[i] === w ? 2 : 1, docs = postings(i);
      for (var k = 0; k < docs.length; k++) {
        if ((hits.get(docs[k]) || 0) < score) hits.set(docs[k], score);
      }
    }
    return hits;
  }

  function wordStartIn(folded, w) {
    var at = -1;
    while ((at = folded.indexOf(w, at + 1)) !== -1) {
      if (at === 0 || !isWord(folded[at - 1])) return true;
    }
    return false;
  }

  /* The documents matching every word of `q`, best first: [{doc, score}]. */
  function search(q) {
    if (!data) return [];
    if (!terms) {
      terms = data.terms.split("\n");
      foldedNames = data.items.map(function (it) { return fold(it[0] + " " + it[3]); });
    }
    var ws = words(q).filter(function (w, i, a) { return a.indexOf(w) === i; });
    if (!ws.length) return [];
    var score = null;
    ws.forEach(function (w) {
      var hits = lookup(w), next = new Map();
      if (score === null) { next = hits; } else {
        score.forEach(function (s, d) { if (hits.has(d)) next.set(d, s + hits.get(d)); });
      }
      score = next;
    });
    var out = [];
    score.forEach(function (s, d) {
      var doc = data.docs[d], name = 0;
      if (doc[0] === 0) {
        s += 3;
        ws.forEach(function (w) { if (wordStartIn(foldedNames[doc[1]], w)) s += 4; });
        name = foldedNames[doc[1]].length;
      } else if (doc[0] === 1) {
        s += 1;
      }
      out.push({ doc: d, score: s, name: name });
    });
    // Of two items whose names hold the words, the shorter name is more nearly what was
    // asked for ("umerov": Rustem Umerov before Umerov's visit to Türkiye), whatever the
    // order of the collections.
    out.sort(function (a, b) { return b.score - a.score || a.name - b.name || a.doc - b.doc; });
    return out;
  }

  // The text folded character by character, with each folded character's place in the text.
  function foldMap(text) {
    var folded = "", map = [], i = 0, chars = Array.from(text);
    for (var n = 0; n < chars.length; n++) {
      var ch = chars[n];
      // An apostrophe inside a Cyrillic word folds to nothing, as in fold().
      var f = isApostrophe(ch) && isCyrillicLetter(folded[folded.length - 1]) && isCyrillicLetter(chars[n + 1]) ? "" : fold(ch);
      for (var k = 0; k < f.length; k++) { folded += f[k]; map.push(i); }
      i += ch.length;
    }
    map.push(text.length);
    return { folded: folded, map: map };
  }

  // [start, end) ranges of the text's words that begin with a query word.
  function matches(text, ws) {
    var fm = foldMap(text), f = fm.folded, out = [];
    ws.forEach(function (w) {
      var at = -1;
      while ((at = f.indexOf(w, at + 1)) !== -1) {
        if (at > 0 && isWord(f[at - 1])) continue;
        var end = at + w.length;
        while (end < f.length && isWord(f[end])) end++;
        out.push([fm.map[at], fm.map[end]]);
      }
    });
    out.sort(function (a, b) { return a[0] - b[0]; });
    return out;
  }

  // A short excerpt around the first match, the matches marked (`length` 0: the whole text).
  function excerpt(text, ws, into, length) {
    var ms = matches(text, ws), before = 70, whole = !length;
    length = length || text.length;
    var start = ms.length && !whole ? Math.max(0, ms[0][0] - before) : 0;
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp !== -1 && sp < ms[0][0]) start = sp + 1; }
    var end = Math.min(text.length, start + length);
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > start + length / 2) end = sp2; }
    var at = start;
    if (start > 0) into.appendChild(document.createTextNode("… "));
    ms.forEach(function (m) {
      if (m[0] < at || m[1] > end) return;
      into.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      into.appendChild(mark);
      at = m[1];
    });
    into.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
  }

  function link(root, path) {
    var hash = "", i = path.indexOf("#");
    if (i !== -1) { hash = path.slice(i); path = path.slice(0, i); }
    return root + path + (path === "" || path.slice(-1) === "/" ? "index.html" : "") + hash;
  }

  function render(q, list, status, browse) {
    list.textContent = "";
    var root = list.getAttribute("data-root") || "";
    if (!data) {
      status.textContent = T.search_unavailable;
      return;
    }
    var found = q.trim() ? search(q) : [];
    browse.hidden = !!q.trim();
    if (!q.trim()) { status.textContent = ""; return; }
    var ws = words(q);
    status.textContent = found.length === 0 ? fill(T.search_nothing, { q: q.trim() }) :
      plural(found.length > LIMIT ? T.search_first : T.search_results, found.length, { q: q.trim(), limit: LIMIT });
    found.slice(0, LIMIT).forEach(function (r) {
      var doc = data.docs[r.doc], kind = doc[0], title, path, meta;
      if (kind === 2) {
        var s = data.sources[doc[1]];
        title = s[0]; path = s[1] + "#p" + doc[2]; meta = fill(T.source_paragraph, { n: doc[2] });
      } else {
        var it = data.items[doc[1]];
        title = it[0];
        path = it[1] + (kind === 1 ? "#" + it[4][doc[2] - 1] : "");
        meta = (kind === 0 ? T.item : T.claim) + " · " + it[2] + (kind === 0 && it[3] ? " · " + fill(T.also, { names: it[3] }) : "");
      }
      var li = document.createElement("li");
      li.className = "result kind-" + KIND[kind].toLowerCase();
      var h = document.createElement("h2"), a = document.createElement("a");
      a.href = link(root, path);
      excerpt(title, ws, a);
      h.appendChild(a);
      var m = document.createElement("p");
      m.className = "meta";
      m.textContent = meta;
      li.appendChild(h);
      li.appendChild(m);
      if (doc[3]) {
        var p = document.createElement("p");
        p.className = "excerpt";
        // A paragraph of a source in another language than the site's is marked as such.
        if (kind === 2 && data.sources[doc[1]][2]) p.lang = data.sources[doc[1]][2];
        excerpt(doc[3], ws, p, 220);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  window.briefSearch = search;

  function start() {
    var input = document.getElementById("search-q"), form = document.getElementById("search-form");
    var list = document.getElementById("search-results"), status = document.getElementById("search-status");
    var browse = document.getElementById("search-browse");
    if (!input || !list || !status || !browse) return;
    try {
      var given = JSON.parse(list.getAttribute("data-strings") || "{}");
      for (var k in given) if (Object.prototype.hasOwnProperty.call(given, k)) T[k] = given[k];
    } catch (e) { /* a page without its words keeps the English ones */ }
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var timer = 0;
    function update() {
      render(input.value, list, status, browse);
      try {
        var url = location.pathname + (input.value.trim() ? "?q=" + encodeURIComponent(input.value.trim()) : "");
        history.replaceState(null, "", url);
      } catch (e) { /* file:// pages may not rewrite their address; the results still show */ }
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 120); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); update(); });
    render(input.value, list, status, browse);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
