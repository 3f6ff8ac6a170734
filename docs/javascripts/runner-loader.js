// Load the code runner (runner/runner.js, an ES module) only on pages that hold a runnable block
// or an exercise ([data-bp-run], [data-bp-exercise]) or a runnable lab notebook
// ([data-bp-notebook]), once, from this site. It adds an editor,
// Run, Stop and Reset to each; Pyodide itself (assets/pyodide/) is fetched only when a reader
// presses Run, by the Web Worker that runs the code (runner/worker.js). Runs on first load and
// after each instant navigation (Material's document$). Without JavaScript the page keeps the
// code and the output the build printed.
(function () {
  var here = (document.currentScript && document.currentScript.src) || window.location.href;
  var src = new URL("runner/runner.js", here).href;
  var assets = new URL("../assets/pyodide/", here).href;
  var loading = null;
  function check() {
    if (!document.querySelector("[data-bp-run], [data-bp-exercise], [data-bp-notebook]")) return;
    if (!loading) loading = import(src);
    loading.then(function (runner) { runner.init(assets); }, function () { loading = null; });
  }
  if (typeof document$ !== "undefined") document$.subscribe(check);
  else document.addEventListener("DOMContentLoaded", check);
})();
