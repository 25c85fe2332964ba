/* 考核台帐 site: sortable and filterable tables, and the offline search. No network, no libraries. */
(function () {
  "use strict";

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function terms(query) {
    return norm(query).split(/\s+/).filter(function (t) { return t.length > 0; });
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

  function sortTable(table, header) {
    var index = header.cellIndex;
    var type = header.getAttribute("data-sort-type");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
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
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (!th.hasAttribute("data-sort-type")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "点击排序";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, th); });
    });
  }

  /* --- filterable tables ----------------------------------------------------------- */

  function applyFilter(tableId) {
    var table = document.getElementById(tableId);
    if (!table) { return; }
    var textInput = document.querySelector('[data-filter-text="' + tableId + '"]');
    var wanted = terms(textInput ? textInput.value : "");
    var selects = document.querySelectorAll('select[data-filter-table="' + tableId + '"]');
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var text = norm(row.textContent);
      var ok = wanted.every(function (t) { return text.indexOf(t) >= 0; });
      Array.prototype.forEach.call(selects, function (select) {
        if (select.value && row.getAttribute("data-" + select.getAttribute("data-filter-attr")) !== select.value) {
          ok = false;
        }
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var count = document.querySelector('[data-count-for="' + tableId + '"]');
    if (count) {
      count.textContent = shown === rows.length ? "共 " + rows.length + " 条" : "显示 " + shown + "／" + rows.length + " 条";
    }
  }

  function makeFilterable() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-text]"), function (input) {
      input.addEventListener("input", function () { applyFilter(input.getAttribute("data-filter-text")); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("select[data-filter-table]"), function (select) {
      select.addEventListener("change", function () { applyFilter(select.getAttribute("data-filter-table")); });
    });
  }

  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.hidden) {
      var table = target.closest("table");
      Array.prototype.forEach.call(document.querySelectorAll("[data-filter-text], select[data-filter-table]"), function (el) {
        el.value = "";
      });
      if (table) { applyFilter(table.id); }
      target.scrollIntoView();
    }
  }

  /* --- search ---------------------------------------------------------------------- */

  var LIMIT = 100;
  var KIND_ORDER = { "社区": 0, "各线": 1, "细则": 2, "台帐": 3 };

  function highlight(parent, text, wanted) {
    var lower = norm(text);
    var marks = [];
    wanted.forEach(function (t) {
      var at = lower.indexOf(t);
      while (at >= 0) { marks.push([at, at + t.length]); at = lower.indexOf(t, at + t.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) { return; }
      parent.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      pos = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(text, wanted) {
    var lower = norm(text);
    var first = -1;
    wanted.forEach(function (t) {
      var at = lower.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) { first = at; }
    });
    if (first < 0) { return ""; }
    var start = Math.max(0, first - 30);
    return (start > 0 ? "…" : "") + text.slice(start, start + 90) + (start + 90 < text.length ? "…" : "");
  }

  function matches(doc, wanted) {
    var title = norm(doc.title);
    var all = norm(doc.title + " " + doc.subtitle + " " + doc.text);
    var score = 0;
    for (var i = 0; i < wanted.length; i += 1) {
      if (all.indexOf(wanted[i]) < 0) { return -1; }
      if (title.indexOf(wanted[i]) >= 0) { score += 2; }
    }
    return score;
  }

  function resultItem(doc, wanted, base) {
    var li = document.createElement("li");
    li.className = "result";
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = doc.kind;
    var link = document.createElement("a");
    link.href = base + doc.url;
    highlight(link, doc.title, wanted);
    var sub = document.createElement("div");
    sub.className = "sub";
    highlight(sub, doc.subtitle, wanted);
    li.appendChild(kind);
    li.appendChild(link);
    li.appendChild(sub);
    var more = snippet(doc.text, wanted);
    if (more) {
      var p = document.createElement("div");
      p.className = "snippet";
      highlight(p, more, wanted);
      li.appendChild(p);
    }
    return li;
  }

  function runSearch(query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var docs = window.KAOHE_SEARCH || [];
    var wanted = terms(query);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (wanted.length === 0) {
      status.textContent = "输入关键词后按回车。多个关键词用空格分开，须同时出现。";
      return;
    }
    var found = [];
    docs.forEach(function (doc, i) {
      var score = matches(doc, wanted);
      if (score >= 0) { found.push({ doc: doc, score: score, i: i }); }
    });
    found.sort(function (a, b) {
      return (b.score - a.score) || ((KIND_ORDER[a.doc.kind] || 9) - (KIND_ORDER[b.doc.kind] || 9)) || (a.i - b.i);
    });
    found.slice(0, LIMIT).forEach(function (hit) { list.appendChild(resultItem(hit.doc, wanted, "")); });
    status.textContent = found.length === 0 ? "没有找到“" + query + "”。" :
      "找到 " + found.length + " 条" + (found.length > LIMIT ? "，显示前 " + LIMIT + " 条" : "") + "。";
  }

  function setUpSearch() {
    var list = document.getElementById("search-results");
    if (!list) { return; }
    var query = new URLSearchParams(location.search).get("q") || "";
    var input = document.getElementById("q");
    input.value = query;
    document.getElementById("site-search-q").value = query;
    runSearch(query);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runSearch(input.value); }, 150);
    });
  }

  function makeToggles() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-toggle-class]"), function (box) {
      var target = document.getElementById(box.getAttribute("data-toggle-target"));
      box.addEventListener("change", function () {
        if (target) { target.classList.toggle(box.getAttribute("data-toggle-class"), box.checked); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    makeToggles();
    makeFilterable();
    revealTarget();
    window.addEventListener("hashchange", revealTarget);
    setUpSearch();
  });
})();
