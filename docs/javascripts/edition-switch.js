// [korean] Language selector: link each language to the page the reader is on.
// overrides/partials/alternate.html renders the right links for the page first loaded; with
// Material's instant navigation the header stays while the page changes, so after every
// navigation (document$) the links are recomputed from the path below this edition's root.
(function () {
  var select = document.querySelector("[data-bp-editions]");
  if (!select) return;
  // The root of this edition, resolved once against the page first loaded.
  var root = new URL(select.getAttribute("data-bp-root"), window.location.href).href;
  function update() {
    var here = new URL(window.location.href);
    here.hash = "";
    here.search = "";
    var path = here.href.indexOf(root) === 0 ? here.href.slice(root.length) : "";
    select.querySelectorAll("a[data-bp-edition]").forEach(function (a) {
      a.href = new URL(a.getAttribute("data-bp-edition") + path, root).href;
    });
  }
  if (typeof document$ !== "undefined") document$.subscribe(update);
  else update();
})();
