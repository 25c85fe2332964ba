/* 考核台帐 site: sortable and filterable tables, and the offline search. No network, no libraries. */
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  /* --- folding: what counts as the same character ----------------------------------
     NFKC and lower case, then the build's table of traditional and variant forms
     (window.KAOHE_FOLD, assets/fold.js, loaded by every page). fold() keeps, for every
     folded character, where it came from, so a match marks exactly the characters
     of the original text. */

  var foldCache = {};

  function foldChar(ch) {
    var done = foldCache[ch];
    if (done !== undefined) { return done; }
    var table = window.KAOHE_FOLD || {};
    var out = "";
    var plain = ch.normalize("NFKC").toLowerCase();
    for (var i = 0; i < plain.length; i += 1) {
      var c = plain.charAt(i);
      out += Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
    }
    foldCache[ch] = out;
    return out;
  }

  function fold(text) {
    var s = "";
    var starts = [];
    var ends = [];
    var i = 0;
    text = text || "";
    while (i < text.length) {
      var ch = String.fromCodePoint(text.codePointAt(i));
      var f = foldChar(ch);
      for (var k = 0; k < f.length; k += 1) { starts.push(i); ends.push(i + ch.length); }
      s += f;
      i += ch.length;
    }
    return { s: s, starts: starts, ends: ends };
  }

  function norm(text) { return fold(text).s; }

  function terms(query) {
    return norm(query).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  /* Where the terms occur in text: [start, end) ranges of the original text, sorted, not overlapping. */
  function ranges(text, wanted) {
    var f = fold(text);
    var found = [];
    wanted.forEach(function (t) {
      var at = f.s.indexOf(t);
      while (at >= 0 && t.length > 0) {
        found.push([f.starts[at], f.ends[at + t.length - 1]]);
        at = f.s.indexOf(t, at + t.length);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (r) {
      if (merged.length && r[0] < merged[merged.length - 1][1]) { return; }
      merged.push(r);
    });
    return merged;
  }

  function appendMarked(parent, text, marks) {
    var pos = 0;
    marks.forEach(function (m) {
      parent.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      pos = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  /* --- URL state: filters and highlights survive Back and can be shared -------------- */

  function params() { return new URLSearchParams(location.search); }

  function setParams(update) {
    var p = params();
    Object.keys(update).forEach(function (key) {
      if (update[key]) { p.set(key, update[key]); } else { p.delete(key); }
    });
    var query = p.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    carryFilters();
  }

  /* The month pager of a long ledger keeps the reader's filters, not the dates (each month has its own). */
  function carryFilters() {
    var p = params();
    p.delete("from");
    p.delete("to");
    var query = p.toString();
    each(document.querySelectorAll("a[data-keep-filters]"), function (link) {
      var bare = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", bare + (query ? "?" + query : ""));
    });
  }

  /* --- sortable tables ------------------------------------------------------------- */

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) { return type === "number" ? -Infinity : ""; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type !== "number") { return raw; }
    var n = parseFloat(raw.replace("\u2212", "-").replace(/[^0-9.+\-]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }

  function sortTable(table, header, ascending) {
    var index = header.cellIndex;
    var type = header.getAttribute("data-sort-type");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type);
      var y = cellValue(b, index, type);
      var result = type === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      if (result === 0) { result = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    each(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var picker = document.querySelector('select[data-sort-for="' + table.id + '"]');
    if (picker) { picker.value = index + (ascending ? ":asc" : ":desc"); }
  }

  function headerText(th) {
    var title = th.cloneNode(true);
    each(title.querySelectorAll(".pts"), function (pts) { pts.remove(); });
    return title.textContent.trim();
  }

  /* Card layouts (phones) hide the header row; a select above the cards sorts instead. */
  function sortPicker(table) {
    var tools = document.querySelector('[data-tools-for="' + table.id + '"]');
    if (!tools || !table.classList.contains("cards")) { return; }
    var label = document.createElement("label");
    label.className = "sort-picker";
    label.appendChild(document.createTextNode("排序 "));
    var select = document.createElement("select");
    select.setAttribute("data-sort-for", table.id);
    var none = document.createElement("option");
    none.value = "";
    none.textContent = "原顺序";
    select.appendChild(none);
    each(table.tHead.rows[0].cells, function (th) {
      if (!th.hasAttribute("data-sort-type")) { return; }
      var name = headerText(th);
      [["asc", "升序"], ["desc", "降序"]].forEach(function (way) {
        var option = document.createElement("option");
        option.value = th.cellIndex + ":" + way[0];
        option.textContent = name + "（" + way[1] + "）";
        select.appendChild(option);
      });
    });
    select.addEventListener("change", function () {
      var parts = select.value.split(":");
      if (parts.length === 2) { sortTable(table, table.tHead.rows[0].cells[Number(parts[0])], parts[1] === "asc"); }
    });
    label.appendChild(select);
    tools.appendChild(label);
  }

  function makeSortable(table) {
    each(table.tHead.rows[0].cells, function (th) {
      if (!th.hasAttribute("data-sort-type")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "点击排序";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortTable(table, th, th.getAttribute("aria-sort") !== "ascending");
      });
    });
    sortPicker(table);
  }

  /* --- filterable tables ----------------------------------------------------------- */

  function controls(tableId) {
    return document.querySelectorAll('[data-filter-table="' + tableId + '"]');
  }

  function rowPasses(row, control) {
    var value = control.value;
    if (!value) { return true; }
    var what = control.getAttribute("data-filter");
    if (what === "text") {
      var text = norm(row.textContent);
      return terms(value).every(function (t) { return text.indexOf(t) >= 0; });
    }
    if (what === "from") { return (row.getAttribute("data-date") || "") >= value; }
    if (what === "to") { return (row.getAttribute("data-date") || "") <= value; }
    return row.getAttribute("data-" + what) === value;
  }

  /* What one active filter control keeps, in words, for the printed page. */
  function filterWords(control) {
    var what = control.getAttribute("data-filter");
    if (what === "text") { return "文字“" + control.value + "”"; }
    if (what === "from") { return control.value + " 起"; }
    if (what === "to") { return control.value + " 止"; }
    var label = control.closest("label");
    var name = label ? label.firstChild.textContent.trim() : what;
    return name + "：" + control.options[control.selectedIndex].text;
  }

  function applyFilter(tableId) {
    var table = document.getElementById(tableId);
    if (!table) { return; }
    var active = Array.prototype.filter.call(controls(tableId), function (c) { return c.value; });
    var rows = table.tBodies[0].rows;
    var shown = 0;
    each(rows, function (row) {
      var ok = active.every(function (c) { return rowPasses(row, c); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var count = document.querySelector('[data-count-for="' + tableId + '"]');
    var counted = shown === rows.length ? "共 " + rows.length + " 条" : "显示 " + shown + "／" + rows.length + " 条";
    if (count) { count.textContent = counted; }
    var note = document.querySelector('[data-note-for="' + tableId + '"]');
    if (note) {
      note.textContent = "已筛选（" + active.map(filterWords).join("，") + "）：" + counted;
      note.hidden = active.length === 0;
    }
    var clear = document.querySelector('[data-clear-for="' + tableId + '"]');
    if (clear) { clear.hidden = active.length === 0; }
  }

  function remember(control) {
    var update = {};
    update[control.getAttribute("data-filter")] = control.value;
    setParams(update);
  }

  function makeFilterable() {
    var tables = {};
    each(document.querySelectorAll("[data-filter-table]"), function (control) {
      var tableId = control.getAttribute("data-filter-table");
      tables[tableId] = true;
      var fromUrl = params().get(control.getAttribute("data-filter"));
      if (fromUrl !== null) { control.value = fromUrl; }
      var changed = function () { remember(control); applyFilter(tableId); };
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", changed);
      if (control.type === "date") { control.addEventListener("change", changed); }
    });
    each(document.querySelectorAll("[data-clear-for]"), function (button) {
      button.addEventListener("click", function () {
        var tableId = button.getAttribute("data-clear-for");
        var update = {};
        each(controls(tableId), function (c) { c.value = ""; update[c.getAttribute("data-filter")] = ""; });
        setParams(update);
        applyFilter(tableId);
      });
    });
    Object.keys(tables).forEach(applyFilter);
    carryFilters();
  }

  /* A page shown again from the back-forward cache keeps its boxes; the rows follow them. */
  function reapplyFilters() {
    var seen = {};
    each(document.querySelectorAll("[data-filter-table]"), function (control) {
      var tableId = control.getAttribute("data-filter-table");
      if (!seen[tableId]) { seen[tableId] = true; applyFilter(tableId); }
    });
  }

  /* A link to an entry of a ledger shown on one page then (lines/<id>.html#e-<id>-<n>), now shown a month a
     page: on to the month that lists it, by the runs of source lines of each month (ledger.py: entry_month_runs). */
  function followMovedEntry() {
    var id = decodeURIComponent(location.hash.slice(1));
    var list = document.querySelector("ul[data-entry-months]");
    var match = /^e-.+-(\d+)$/.exec(id);
    if (!list || !match || document.getElementById(id)) { return false; }
    var month = -1;
    list.getAttribute("data-entry-months").split(",").forEach(function (run) {
      var parts = run.split(":");
      if (Number(parts[0]) <= Number(match[1])) { month = Number(parts[1]); }
    });
    var link = list.querySelectorAll("a")[month];
    if (!link) { return false; }
    location.replace(link.href + location.hash);  // its query: the reader's filters (carryFilters)
    return true;
  }

  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.hidden) {
      var table = target.closest("table");
      if (table) {
        var update = {};
        each(controls(table.id), function (c) { c.value = ""; update[c.getAttribute("data-filter")] = ""; });
        setParams(update);
        applyFilter(table.id);
      }
      target.scrollIntoView();
    }
  }

  /* --- the words a search led here with, marked on the page ------------------------- */

  function highlightPage() {
    var words = params().getAll("hl").map(norm).filter(function (w) { return w.length > 0; });
    var main = document.getElementById("main");
    if (words.length === 0 || !main) { return; }
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!node.nodeValue.trim() || parent.closest("script, style, mark, select, option, textarea")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    var first = null;
    nodes.forEach(function (node) {
      var marks = ranges(node.nodeValue, words);
      if (marks.length === 0) { return; }
      var box = document.createDocumentFragment();
      appendMarked(box, node.nodeValue, marks);
      var mark = box.querySelector("mark");
      first = first || mark;
      node.parentNode.replaceChild(box, node);
    });
    if (first && !location.hash) { first.scrollIntoView({ block: "center" }); }
  }

  /* --- search ---------------------------------------------------------------------- */

  var LIMIT = 100;
  var KIND_ORDER = { "社区": 0, "各线": 1, "细则": 2, "台帐": 3 };
  var CONTEXT = 30;
  var SNIPPET = 90;

  function kindOrder(doc) {
    return Object.prototype.hasOwnProperty.call(KIND_ORDER, doc.kind) ? KIND_ORDER[doc.kind] : 9;
  }

  /* A name's characters matched by pinyin: initials (zq) or syllables, the last one maybe unfinished (ziqia). */
  function pinyinRange(syllables, term) {
    if (!syllables || syllables.length === 0 || !/^[a-z]+$/.test(term)) { return null; }
    var initials = syllables.map(function (s) { return s.charAt(0); }).join("");
    var at = initials.indexOf(term);
    if (at >= 0) { return [at, at + term.length]; }
    for (var start = 0; start < syllables.length; start += 1) {
      var rest = term;
      var end = start;
      while (rest && end < syllables.length) {
        var s = syllables[end];
        if (rest.indexOf(s) === 0) { rest = rest.slice(s.length); end += 1; }
        else if (s.indexOf(rest) === 0 && end > start) { rest = ""; end += 1; }
        else { break; }
      }
      if (!rest && end > start) { return [start, end]; }
    }
    return null;
  }

  /* Character index (in syllables) → [start, end) in the title string, which may hold surrogate pairs. */
  function titleSpan(title, range) {
    var offsets = [];
    var i = 0;
    while (i < title.length) { offsets.push(i); i += String.fromCodePoint(title.codePointAt(i)).length; }
    offsets.push(title.length);
    return [offsets[range[0]], offsets[range[1]]];
  }

  var foldedDocs = new Map();

  function folded(doc) {
    var done = foldedDocs.get(doc);
    if (!done) {
      done = { title: norm(doc.title), all: norm(doc.title + " " + doc.subtitle + " " + doc.text) };
      foldedDocs.set(doc, done);
    }
    return done;
  }

  /* How close a document is to the query (smaller is closer), or -1 when a term is missing. */
  function closeness(doc, wanted) {
    var f = folded(doc);
    var worst = 0;
    for (var i = 0; i < wanted.length; i += 1) {
      var t = wanted[i];
      var rank;
      if (f.title === t) { rank = 0; }
      else if (f.title.indexOf(t) === 0) { rank = 1; }
      else if (f.title.indexOf(t) > 0) { rank = 2; }
      else if (pinyinRange(doc.pinyin, t)) { rank = 2; }
      else if (f.all.indexOf(t) >= 0) { rank = 3; }
      else { return -1; }
      worst = Math.max(worst, rank);
    }
    return worst;
  }

  function snippet(text, wanted) {
    var marks = ranges(text, wanted);
    if (marks.length === 0) { return null; }
    var start = Math.max(0, marks[0][0] - CONTEXT);
    var end = Math.min(text.length, start + SNIPPET);
    return {
      before: start > 0 ? "…" : "",
      text: text.slice(start, end),
      after: end < text.length ? "…" : ""
    };
  }

  function markedInto(parent, text, wanted, extra) {
    var marks = ranges(text, wanted);
    if (extra) {
      marks = marks.concat([extra]).sort(function (a, b) { return a[0] - b[0]; });
      marks = marks.filter(function (m, i) { return i === 0 || m[0] >= marks[i - 1][1]; });
    }
    appendMarked(parent, text, marks);
  }

  /* The original words this document matched, to mark on the page the result opens. */
  function matchedWords(doc, wanted, pinyin) {
    var words = [];
    [doc.title, doc.subtitle, doc.text].forEach(function (text) {
      ranges(text, wanted).forEach(function (r) {
        var w = text.slice(r[0], r[1]);
        if (words.indexOf(w) < 0) { words.push(w); }
      });
    });
    if (pinyin) {
      var w = doc.title.slice(pinyin[0], pinyin[1]);
      if (words.indexOf(w) < 0) { words.push(w); }
    }
    return words.slice(0, 5);
  }

  function resultHref(doc, words) {
    var hash = doc.url.indexOf("#");
    var path = hash >= 0 ? doc.url.slice(0, hash) : doc.url;
    var anchor = hash >= 0 ? doc.url.slice(hash) : "";
    var p = new URLSearchParams();
    words.forEach(function (w) { p.append("hl", w); });
    var query = p.toString();
    return path + (query ? "?" + query : "") + anchor;
  }

  function resultItem(doc, wanted) {
    var pinyin = null;
    wanted.forEach(function (t) {
      var r = !pinyin && folded(doc).title.indexOf(t) < 0 ? pinyinRange(doc.pinyin, t) : null;
      if (r) { pinyin = titleSpan(doc.title, r); }
    });
    var li = document.createElement("li");
    li.className = "result";
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = doc.kind;
    var link = document.createElement("a");
    link.href = resultHref(doc, matchedWords(doc, wanted, pinyin));
    markedInto(link, doc.title, wanted, pinyin);
    var sub = document.createElement("div");
    sub.className = "sub";
    markedInto(sub, doc.subtitle, wanted, null);
    li.appendChild(kind);
    li.appendChild(link);
    li.appendChild(sub);
    var more = snippet(doc.text, wanted);
    if (more) {
      var p = document.createElement("div");
      p.className = "snippet";
      p.appendChild(document.createTextNode(more.before));
      markedInto(p, more.text, wanted, null);
      p.appendChild(document.createTextNode(more.after));
      li.appendChild(p);
    }
    return li;
  }

  /* --- the ledger entries, loaded in parts (kaohe/render/site/search.py) --------------------
     A term's characters and adjacent pairs are looked up in the pair parts; their entry numbers
     intersect; only the entry parts holding candidates are loaded, at most PART_BUDGET of them. */

  var PART_BUDGET = 24;
  var parts = { e: {}, g: {} };
  var loading = {};

  window.KAOHE_SEARCH_PART = function (kind, n, payload) {
    if (Object.prototype.hasOwnProperty.call(parts, kind)) { parts[kind][n] = payload; }
  };

  function partsBase() {
    var index = document.querySelector("script[src$='search-index.js']");
    return index ? index.getAttribute("src").replace(/search-index\.js$/, "search/") : "assets/search/";
  }

  function loadPart(kind, n) {
    if (parts[kind][n] !== undefined) { return Promise.resolve(); }
    var key = kind + n;
    if (!loading[key]) {
      loading[key] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = partsBase() + kind + "-" + n + ".js";
        script.onload = resolve;
        script.onerror = resolve;  /* a missing part finds nothing rather than stopping the search */
        document.head.appendChild(script);
      });
    }
    return loading[key];
  }

  function fnv1a(text) {
    var h = 2166136261;
    Array.from(text).forEach(function (ch) { h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0; });
    return h;
  }

  function gramsOf(term) {
    var cps = Array.from(term);
    if (cps.length === 1) { return cps; }
    var grams = [];
    for (var i = 0; i + 1 < cps.length; i += 1) {
      var g = cps[i] + cps[i + 1];
      if (grams.indexOf(g) < 0) { grams.push(g); }
    }
    return grams;
  }

  function gramPart(gram, shape) { return fnv1a(gram) % shape.gram_parts; }

  function posting(gram, shape) {
    var coded = (parts.g[gramPart(gram, shape)] || {})[gram];
    if (!coded) { return []; }
    var at = 0;
    return coded.split(",").map(function (d) { at += parseInt(d, 36); return at; });
  }

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i += 1; j += 1; }
      else if (a[i] < b[j]) { i += 1; }
      else { j += 1; }
    }
    return out;
  }

  /* The entries that may match every term, and whether that is exact (terms of one or two characters). */
  function candidates(wanted, shape) {
    var grams = [];
    wanted.forEach(function (t) { grams = grams.concat(gramsOf(t)); });
    var needed = [];
    grams.forEach(function (g) { var n = gramPart(g, shape); if (needed.indexOf(n) < 0) { needed.push(n); } });
    return Promise.all(needed.map(function (n) { return loadPart("g", n); })).then(function () {
      var found = null;
      grams.forEach(function (g) { var p = posting(g, shape); found = found === null ? p : intersect(found, p); });
      return {
        numbers: found || [],
        exact: wanted.every(function (t) { return Array.from(t).length <= 2; })
      };
    });
  }

  /* The candidate entries' documents, from the parts holding the most candidates first. */
  function entryDocs(numbers, shape) {
    var per = shape.entries_per_part;
    var counts = {};
    numbers.forEach(function (n) { var p = Math.floor(n / per); counts[p] = (counts[p] || 0) + 1; });
    var chosen = Object.keys(counts).map(Number).sort(function (a, b) { return counts[b] - counts[a] || a - b; });
    var complete = chosen.length <= PART_BUDGET;
    chosen = chosen.slice(0, PART_BUDGET);
    return Promise.all(chosen.map(function (p) { return loadPart("e", p); })).then(function () {
      var docs = [];
      numbers.forEach(function (n) {
        var part = parts.e[Math.floor(n / per)];
        if (part && chosen.indexOf(Math.floor(n / per)) >= 0) { docs.push({ doc: part[n % per], i: n }); }
      });
      return { docs: docs, complete: complete };
    });
  }

  function entryHits(wanted) {
    var shape = window.KAOHE_SEARCH_PARTS;
    if (!shape || shape.entries === 0) { return Promise.resolve({ hits: [], total: 0, complete: true }); }
    return candidates(wanted, shape).then(function (c) {
      return entryDocs(c.numbers, shape).then(function (loaded) {
        var hits = [];
        loaded.docs.forEach(function (d) {
          var close = d.doc ? closeness(d.doc, wanted) : -1;
          if (close >= 0) { hits.push({ doc: d.doc, close: close, i: d.i }); }
        });
        var total = loaded.complete ? hits.length : (c.exact ? c.numbers.length : -1);
        return { hits: hits, total: total, complete: loaded.complete };
      });
    });
  }

  var searchRun = 0;

  function runSearch(query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var docs = window.KAOHE_SEARCH || [];
    var wanted = terms(query);
    var run = (searchRun += 1);
    if (wanted.length === 0) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      status.textContent = "输入关键词后按回车。多个关键词用空格分开，须同时出现。";
      return Promise.resolve();
    }
    var found = [];
    docs.forEach(function (doc, i) {
      var close = closeness(doc, wanted);
      if (close >= 0) { found.push({ doc: doc, close: close, i: i }); }
    });
    status.textContent = "正在查找……";
    list.setAttribute("aria-busy", "true");
    return entryHits(wanted).then(function (entries) {
      if (run !== searchRun) { return; }  /* a newer query is under way */
      list.removeAttribute("aria-busy");
      var offset = docs.length;
      entries.hits.forEach(function (hit) { found.push({ doc: hit.doc, close: hit.close, i: offset + hit.i }); });
      found.sort(function (a, b) {
        return (kindOrder(a.doc) - kindOrder(b.doc)) || (a.close - b.close) ||
          (a.doc.title.length - b.doc.title.length) || (a.i - b.i);
      });
      while (list.firstChild) { list.removeChild(list.firstChild); }
      found.slice(0, LIMIT).forEach(function (hit) { list.appendChild(resultItem(hit.doc, wanted)); });
      var others = found.length - entries.hits.length;
      var total = entries.total >= 0 ? others + entries.total : -1;
      var shown = Math.min(found.length, LIMIT);
      if (found.length === 0) { status.textContent = "没有找到“" + query + "”。"; }
      else if (total < 0) { status.textContent = "找到 " + found.length + " 条以上，显示前 " + shown + " 条；再加关键词可缩小范围。"; }
      else { status.textContent = "找到 " + total + " 条" + (total > shown ? "，显示前 " + shown + " 条" : "") + "。"; }
    });
  }

  function setUpSearch() {
    var list = document.getElementById("search-results");
    if (!list) { return; }
    var query = params().get("q") || "";
    var input = document.getElementById("q");
    input.value = query;
    runSearch(query);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runSearch(input.value); setParams({ q: input.value }); }, 150);
    });
  }

  /* A box that shows part of a table; a printed page says so (its data-note-for-toggle note). */
  function applyToggle(box) {
    var targetId = box.getAttribute("data-toggle-target");
    var target = document.getElementById(targetId);
    if (target) { target.classList.toggle(box.getAttribute("data-toggle-class"), box.checked); }
    var note = document.querySelector('[data-note-for-toggle="' + targetId + '"]');
    if (note) { note.hidden = !box.checked; }
  }

  function makeToggles() {
    each(document.querySelectorAll("input[data-toggle-class]"), function (box) {
      box.addEventListener("change", function () { applyToggle(box); });
      applyToggle(box);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("table.sortable"), makeSortable);
    makeToggles();
    makeFilterable();
    if (followMovedEntry()) { return; }
    revealTarget();
    window.addEventListener("hashchange", function () { if (!followMovedEntry()) { revealTarget(); } });
    window.addEventListener("pageshow", function (event) { if (event.persisted) { reapplyFilters(); } });
    setUpSearch();
    highlightPage();
    var scrolled = function () { document.body.classList.toggle("scrolled", window.scrollY > window.innerHeight); };
    window.addEventListener("scroll", scrolled, { passive: true });
    scrolled();
  });
})();
