// Load graph-explorer.js only on pages that hold a graph explorer ([data-bp-explorer]), once,
// from this site (no network beyond it). Runs on first load and after each instant navigation
// (Material's document$), where it (re)initialises the new page's explorers.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var src = new URL("graph-explorer.js", here || window.location.href).href;
  var loading = false;
  function check() {
    if (!document.querySelector("[data-bp-explorer]")) return;
    if (window.bpExplorer) { window.bpExplorer.init(); return; }
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () { if (window.bpExplorer) window.bpExplorer.init(); };
    s.onerror = function () { loading = false; };
    document.head.appendChild(s);
  }
  if (typeof document$ !== "undefined") document$.subscribe(check);
  else document.addEventListener("DOMContentLoaded", check);
})();
