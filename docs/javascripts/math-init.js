// Typeset every formula with the KaTeX copy served by this site (no CDN).
// Runs on first load and after each instant navigation (Material's document$).
// Markdown pages wrap math in .arithmatex; notebook pages (mkdocs-jupyter) carry raw $...$
// in their rendered markdown cells.
(function () {
  var options = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true }
    ],
    throwOnError: false
  };
  function typeset() {
    if (typeof renderMathInElement !== "function") return;
    document
      .querySelectorAll(".arithmatex, .jp-RenderedMarkdown, .jp-MarkdownOutput")
      .forEach(function (el) { renderMathInElement(el, options); });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
