/* brief — offline search. search-index.js, loaded with the page, puts the index's manifest in
   window.BRIEF_SEARCH: where its chunks are, the first term of each term chunk, the first
   document of each document chunk, and the items' names. A query loads the term chunks that
   hold its words' prefixes, keeps the documents that have every word and ranks them, then
   loads the document chunks of the results it shows, and lists them with a short excerpt,
   the matches highlighted. Each chunk is a script that hands its data to
   window.BRIEF_SEARCH_CHUNK, loaded by adding a <script> (not fetched, so that the search
   works from file://), from the folder of search-index.js (so under any base path). Links
   are relative to the site root given by the results list's data-root. Without JavaScript
   the page shows its list of items and sources instead. */
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
  var foldedNames = null;

  // The chunks of the index: each loaded once, by a script that calls BRIEF_SEARCH_CHUNK.
  var loaded = {}, loading = {};
  window.BRIEF_SEARCH_CHUNK = function (c) {
    var key = c.terms !== undefined ? "t" + c.terms : "d" + c.docs;
    if (c.terms !== undefined) { c.list = c.list === "" ? [] : c.list.split("\n"); c.cache = {}; }
    loaded[key] = c;
  };
  // The folder search-index.js came from: the site's root, wherever the site is.
  function indexRoot() {
    var s = document.querySelector('script[src$="search-index.js"]');
    return s ? s.src.slice(0, s.src.length - "search-index.js".length) : "";
  }
  function chunk(kind, k) {
    var key = kind + k;
    if (loaded[key]) return Promise.resolve(loaded[key]);
    if (!loading[key]) {
      loading[key] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = indexRoot() + (kind === "t" ? data.term_chunks : data.doc_chunks) + k + ".js";
        s.onload = function () {
          if (loaded[key]) resolve(loaded[key]);
          else { delete loading[key]; reject(new Error(s.src)); }
        };
        s.onerror = function () { delete loading[key]; reject(new Error(s.src)); };
        document.head.appendChild(s);
      });
    }
    return loading[key];
  }

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

  function postings(c, i) {
    if (c.cache[i]) return c.cache[i];
    var out = [], last = 0, parts = c.postings[i].split(" ");
    for (var k = 0; k < parts.length; k++) { last += parseInt(parts[k], 36); out.push(last); }
    return (c.cache[i] = out);
  }

  // The first index in the sorted list not below `p`.
  function lowerBound(list, p) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < p) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // The first index in the sorted list above `p`.
  function upperBound(list, p) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] <= p) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // The term chunks that may hold words beginning with `w` (the word itself only, for one
  // letter): the one where `w` would be, and those after it that begin with `w`.
  function chunksFor(w) {
    var firsts = data.terms, k = Math.max(0, upperBound(firsts, w) - 1), out = [];
    if (!firsts.length) return out;
    out.push(k);
    if (w.length < 2) return out;
    for (k++; k < firsts.length && firsts[k].lastIndexOf(w, 0) === 0; k++) out.push(k);
    return out;
  }

  // doc -> 2 (the word itself) or 1 (a word it begins), for one query word, from its chunks
  // (loaded), in term order as in one sorted list.
  function lookup(w, chunks) {
    var hits = new Map();
    for (var n = 0; n < chunks.length; n++) {
      var c = chunks[n], terms = c.list;
      for (var i = n === 0 ? lowerBound(terms, w) : 0; i < terms.length && terms[i].lastIndexOf(w, 0) === 0; i++) {
        if (terms[i] !== w && w.length < 2) return hits;
        var score = terms[i] === w ? 2 : 1, docs = postings(c, i);
        for (var k = 0; k < docs.length; k++) {
          if ((hits.get(docs[k]) || 0) < score) hits.set(docs[k], score);
        }
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

  // What a document number is without its chunk: [kind, item number] (an item or a claim,
  // the item's own document or one after it) or [2, -1] (a source paragraph).
  function kindOf(d) {
    if (d >= data.passages) return [2, -1];
    var i = upperBound(data.item_docs, d) - 1;
    return [data.item_docs[i] === d ? 0 : 1, i];
  }

  /* The documents matching every word of `q`, best first: a promise of [{doc, score}]. */
  function search(q) {
    if (!data) return Promise.resolve([]);
    if (!foldedNames) foldedNames = data.names.map(fold);
    var ws = words(q).filter(function (w, i, a) { return a.indexOf(w) === i; });
    if (!ws.length) return Promise.resolve([]);
    return Promise.all(ws.map(function (w) {
      return Promise.all(chunksFor(w).map(function (k) { return chunk("t", k); }));
    })).then(function (chunks) { return rank(ws, chunks); });
  }

  function rank(ws, chunks) {
    var score = null;
    ws.forEach(function (w, n) {
      var hits = lookup(w, chunks[n]), next = new Map();
      if (score === null) { next = hits; } else {
        score.forEach(function (s, d) { if (hits.has(d)) next.set(d, s + hits.get(d)); });
      }
      score = next;
    });
    var out = [];
    score.forEach(function (s, d) {
      var kind = kindOf(d), name = 0;
      if (kind[0] === 0) {
        s += 3;
        ws.forEach(function (w) { if (wordStartIn(foldedNames[kind[1]], w)) s += 4; });
        name = foldedNames[kind[1]].length;
      } else if (kind[0] === 1) {
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

  // The document chunks of these results, loaded.
  function docChunks(found) {
    var ks = [];
    found.forEach(function (r) {
      var k = upperBound(data.docs, r.doc) - 1;
      if (ks.indexOf(k) === -1) ks.push(k);
    });
    return Promise.all(ks.map(function (k) { return chunk("d", k); }));
  }

  // Document `d` as [kind, of, n, text], with the item or source it is of, from its chunk.
  function docOf(d) {
    var k = upperBound(data.docs, d) - 1, c = loaded["d" + k];
    var doc = c.list[d - c.first];
    return { doc: doc, of: doc[0] === 2 ? c.sources[doc[1]] : c.items[doc[1]] };
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

  var shown = 0;
  function render(q, list, status, browse) {
    var root = list.getAttribute("data-root") || "", turn = ++shown;
    function fail() {
      if (turn !== shown) return;
      list.textContent = "";
      status.textContent = T.search_unavailable;
    }
    if (!data) { fail(); return; }
    if (!q.trim()) { browse.hidden = false; list.textContent = ""; status.textContent = ""; return; }
    search(q).then(function (found) {
      return docChunks(found.slice(0, LIMIT)).then(function () {
        // A later query has answered, or will: this one shows nothing.
        if (turn !== shown) return;
        // The list of everything gives way to the results in the same frame, not while the
        // chunks load: hidden first, the page would shrink and then grow again under the
        // reader's eyes (a layout shift of 0.4 by Lighthouse's measure).
        browse.hidden = true;
        show(q, found, root, list, status);
      });
    }).catch(fail);
  }

  function show(q, found, root, list, status) {
    list.textContent = "";
    var ws = words(q);
    status.textContent = found.length === 0 ? fill(T.search_nothing, { q: q.trim() }) :
      plural(found.length > LIMIT ? T.search_first : T.search_results, found.length, { q: q.trim(), limit: LIMIT });
    found.slice(0, LIMIT).forEach(function (r) {
      var got = docOf(r.doc), doc = got.doc, kind = doc[0], title, path, meta;
      if (kind === 2) {
        var s = got.of;
        title = s[0]; path = s[1] + "#p" + doc[2]; meta = fill(T.source_paragraph, { n: doc[2] });
      } else {
        var it = got.of;
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
        if (kind === 2 && got.of[2]) p.lang = got.of[2];
        excerpt(doc[3], ws, p, 220);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  // The search, for tests and the console: a promise of the results, best first.
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
