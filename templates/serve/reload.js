// The local preview (build.py serve): reload the page when the preview has built again.
// The page's generation is on this script's tag; /_kaohe/generation.js calls kaoheGeneration
// with the current one. Loading it as a script keeps to the pages' policy (script-src 'self').
(function () {
  "use strict";
  var tag = document.currentScript;
  var shown = tag ? tag.getAttribute("data-generation") : null;
  window.kaoheGeneration = function (current) {
    if (shown !== null && String(current) !== shown) {
      window.location.reload();
    }
  };
  function poll() {
    var probe = document.createElement("script");
    probe.src = "/_kaohe/generation.js?t=" + Date.now();
    probe.onload = probe.onerror = function () { probe.remove(); };
    document.head.appendChild(probe);
  }
  function addBar() {
    var href = tag && tag.getAttribute("data-new-href");
    if (!href) { return; }
    var bar = document.createElement("a");
    bar.className = "kaohe-preview-bar";
    bar.href = href;
    bar.textContent = tag.getAttribute("data-new-label");
    document.body.appendChild(bar);
  }
  addBar();
  window.setInterval(poll, 1000);
})();
