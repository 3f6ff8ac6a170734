// The step-backward walk: w.step is -1 (the whole graph shown), 0 … n−1 (that node of
// w.steps, the output's first) or n (done). showStep highlights the node being stepped, the
// edges it sends gradients along and the ones already done, and writes the readout: the
// upstream gradient and, for each input, upstream × local = the gradient sent back.

import { el } from "./dom.js";
import { fmt } from "./format.js";

const MARKS = ["bp-step-active", "bp-step-edge", "bp-step-upstream", "bp-step-done"];

export function showStep(w) {
  const { root, svg, steps, step, readout } = w;
  for (const g of svg.querySelectorAll(MARKS.map((c) => "." + c).join(", "))) g.classList.remove(...MARKS);
  root.classList.toggle("bp-stepping", step >= 0 && step < steps.length);
  const box = el("div");
  fillReadout(w, box);
  if (box.innerHTML !== readout.innerHTML) { // rewrite (and announce) only what changed
    readout.textContent = "";
    while (box.firstChild) readout.appendChild(box.firstChild);
  }
}

function fillReadout(w, readout) {
  const { spec, svg, steps, step, say, result: r } = w;
  if (step < 0) {
    readout.appendChild(el("p", {}, say("idle")));
    return;
  }
  if (step >= steps.length) {
    const out = w.byId[spec.output].name || "out";
    const grads = spec.inputs.map((inp) => "\u2202" + out + "/\u2202" + inp.name + " = " + fmt(r.grad[inp.node]));
    readout.appendChild(el("p", { "class": "bp-step-title" }, say("done", { grads: grads.join(", ") })));
    return;
  }
  const t = steps[step];
  const edges = (attr, id) => svg.querySelectorAll(`g.bp-edge[${attr}="${id}"]`);
  for (let k = 0; k < step; k++) for (const g of edges("data-to", steps[k].id)) g.classList.add("bp-step-done");
  for (const g of edges("data-from", t.id)) g.classList.add("bp-step-upstream", "bp-step-done");
  const node = svg.querySelector(`g.bp-node[data-node="${t.id}"]`);
  if (node) { node.classList.add("bp-step-active"); reveal(w.scroll, node); }
  for (const g of edges("data-to", t.id)) g.classList.add("bp-step-edge");
  fillStep(w, readout, t);
}

// Scroll the figure's box (on a narrow screen) so the node being stepped is in view.
function reveal(scroll, g) {
  if (!scroll || scroll.scrollWidth <= scroll.clientWidth) return;
  const a = scroll.getBoundingClientRect(), b = g.getBoundingClientRect();
  scroll.scrollLeft += (b.left + b.width / 2) - (a.left + a.width / 2);
}

// How the readout names a node: its name, a constant's number, its formula or "the × node".
function label(w, id) {
  const n = w.byId[id];
  return n.name || (n.constant ? fmt(n.value) : n.expr ? "(" + n.expr + ")" : w.say("node", { op: n.symbol }));
}

function fillStep(w, readout, t) {
  const { spec, steps, step, say, result: r } = w;
  const up = r.grad[t.id];
  readout.appendChild(el("p", { "class": "bp-step-title" }, say("step", {
    k: step + 1, n: steps.length, op: t.symbol, up: fmt(up),
    out: t.id === spec.output ? say("output", { name: label(w, t.id) }) : "",
  })));
  const list = el("ul", { "class": "bp-step-lines" });
  t.inputs.forEach((s, i) => {
    if (w.byId[s].constant) return;
    const local = r.local[t.id][i];
    list.appendChild(el("li", {
      "class": "bp-step-line", "data-to": s, "data-upstream": String(up),
      "data-local": String(local), "data-grad": String(up * local),
    }, say("line", { up: fmt(up), local: fmt(local), down: fmt(up * local), to: label(w, s) })));
  });
  readout.appendChild(list);
}
