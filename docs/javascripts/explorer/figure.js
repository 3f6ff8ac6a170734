// Writing the numbers of a run (graph.js) into the static SVG figure of
// backprop_book.graphs.drawing: every edge's value and gradient, every node's data attributes,
// the figure's description for screen readers, and, for the sigmoid, the table of local gradients.
// The figure's shapes are the package's; only texts and attributes change. `w` is the widget's
// state (graph-explorer.js): spec, byId, svg, say, result, identity.

import { el, setText } from "./dom.js";
import { fmt, gradLabel, paren, totalLabel } from "./format.js";
import { chain, sends } from "./graph.js";
import { RULE } from "./ops.js";

export function drawFigure(w) {
  const { spec, svg, result: r } = w;
  for (const g of svg.querySelectorAll("g.bp-edge")) {
    const from = g.getAttribute("data-from"), to = g.getAttribute("data-to");
    const v = r.value[from];
    g.setAttribute("data-value", String(v));
    setText(g, "text.bp-forward", fmt(v));
    if (!to) { // the output's arrow, or the shared stub of a value read by several nodes
      g.setAttribute("data-grad", String(r.grad[from]));
      const fan = g.classList.contains("bp-fan");
      setText(g, "text.bp-backward", fan ? totalLabel(sends(spec, r, from), r.grad[from]) : fmt(r.grad[from]));
      continue;
    }
    const i = +g.getAttribute("data-input"), up = r.grad[to], local = r.local[to][i];
    g.setAttribute("data-local", String(local));
    g.setAttribute("data-upstream", String(up));
    g.setAttribute("data-grad", String(local * up));
    setText(g, "text.bp-backward", gradLabel(up, local, spec.local));
  }
  for (const g of svg.querySelectorAll("g.bp-node[data-node]")) {
    const id = g.getAttribute("data-node");
    if (!(id in r.value)) continue;
    g.setAttribute("data-value", String(r.value[id]));
    g.setAttribute("data-grad", String(r.grad[id]));
    if (w.byId[id].constant) setText(g, "text.bp-constant", fmt(r.value[id]));
  }
  svg.setAttribute("aria-label", describe(w));
  if (w.identity) drawIdentity(w);
}

// "Computational graph of price = …. Forward pass: apple = 100, …. Backward pass, gradients …"
function describe(w) {
  const { spec, result: r } = w;
  const out = w.byId[spec.output], name = out.name || "out";
  const forward = spec.inputs.map((inp) => inp.name + " = " + fmt(r.value[inp.node]));
  return w.say("desc", {
    formula: spec.formula,
    forward: [...forward, name + " = " + fmt(r.value[out.id])].join(", "),
    out: name,
    backward: spec.inputs.map((inp) => inp.name + " " + fmt(r.grad[inp.node])).join(", "),
  });
}

// For a chain (the sigmoid): each node's local gradient; their product equals y(1 − y).
function drawIdentity(w) {
  const { result: r, say, identity } = w;
  const { rows, product } = chain(w.spec, r);
  const y = r.value[w.spec.output];
  identity.textContent = "";
  const table = el("table", { "class": "bp-local-table" });
  table.appendChild(el("caption", {}, say("table")));
  const head = el("tr");
  for (const h of [say("node_h"), say("local_h"), say("value_h")]) head.appendChild(el("th", { scope: "col" }, h));
  table.appendChild(head);
  for (const { node, local } of rows) {
    const tr = el("tr", { "class": "bp-local-row", "data-node": node.id, "data-local": String(local) });
    tr.appendChild(el("th", { scope: "row" }, node.symbol));
    tr.appendChild(el("td", {}, RULE[node.op] || ""));
    tr.appendChild(el("td", {}, fmt(local)));
    table.appendChild(tr);
  }
  identity.appendChild(table);
  identity.appendChild(el("p", { "class": "bp-chain", "data-grad": String(product) },
    "\u2202y/\u2202x = " + rows.map((row) => paren(row.local)).join(" \u00d7 ") + " = " + fmt(product)));
  identity.appendChild(el("p", { "class": "bp-y1y", "data-grad": String(y * (1 - y)) },
    "y(1 \u2212 y) = " + fmt(y) + " \u00d7 " + fmt(1 - y) + " = " + fmt(y * (1 - y))));
}
