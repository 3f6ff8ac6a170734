// Load the graph explorer (graph-explorer.js, an ES module, with its pieces in explorer/) only on
// pages that hold one ([data-bp-explorer]), once, from this site (no network beyond it). Runs on
// first load and after each instant navigation (Material's document$), where it (re)initialises
// the new page's explorers. Without JavaScript the page keeps the static figure.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var src = new URL("graph-explorer.js", here || window.location.href).href;
  var loading = null;
  function check() {
    if (!document.querySelector("[data-bp-explorer]")) return;
    if (!loading) loading = import(src);
    loading.then(function (explorer) { explorer.init(); }, function () { loading = null; });
  }
  if (typeof document$ !== "undefined") document$.subscribe(check);
  else document.addEventListener("DOMContentLoaded", check);
})();
