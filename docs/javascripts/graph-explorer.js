// backprop_book graph explorer: makes a static graph figure explorable (no library, no network).
// The graph comes from the Python package (backprop_book.graphs.explorer.to_spec) in data-bp-spec;
// this module recomputes its forward and backward passes from that description when an input
// changes, and walks the backward pass node by node. explorer-loader.js imports it on pages that
// need it; init() is idempotent (each widget is set up once, listeners on the widget).
//
// The pieces, in explorer/: format.js (numbers as the package prints them), ops.js (each
// operation's value and local gradients), graph.js (forward and backward passes), parse.js (the
// reader's text as a number), words.js (English and Korean), and the page: controls.js (fields
// and buttons), figure.js (numbers into the SVG), steps.js (the step-backward walk), dom.js.
// The pure ones are checked against Python in Node (tests/graphs/test_explorer_js.py).

import { buildPanel } from "./explorer/controls.js";
import { drawFigure } from "./explorer/figure.js";
import { fmt } from "./explorer/format.js";
import { backwardSteps, run } from "./explorer/graph.js";
import { readNumber } from "./explorer/parse.js";
import { showStep } from "./explorer/steps.js";
import { words } from "./explorer/words.js";

let counter = 0;

function setup(root) {
  let spec;
  try { spec = JSON.parse(root.getAttribute("data-bp-spec")); } catch (err) { return; }
  const svg = root.querySelector("svg.bp-graph");
  if (!svg || !spec || !spec.nodes) return;
  root.setAttribute("data-bp-ready", "true");
  const say = words(document.documentElement.getAttribute("lang"));
  // On a narrow screen the figure keeps a readable size and scrolls sideways in its box.
  const scroll = root.querySelector(".bp-explorer-scroll");
  if (scroll) {
    scroll.setAttribute("tabindex", "0");
    scroll.setAttribute("role", "group");
    scroll.setAttribute("aria-label", say("scroll"));
  }
  const width = parseFloat(svg.getAttribute("width"));
  if (width > 0) svg.style.minWidth = Math.round(0.7 * width) + "px";

  const values = Object.fromEntries(spec.inputs.map((inp) => [inp.name, inp.value]));
  const w = {
    root, spec, svg, scroll, say, values,
    byId: Object.fromEntries(spec.nodes.map((n) => [n.id, n])),
    result: run(spec, values),
    steps: backwardSteps(spec),
    step: -1,
    ...buildPanel(root, spec, say, "bpx" + (++counter)),
  };
  const draw = () => { drawFigure(w); showStep(w); };
  const go = (to) => { w.step = to; showStep(w); };
  const n = w.steps.length;

  w.next.addEventListener("click", () => go(w.step >= n ? 0 : w.step + 1));
  w.prev.addEventListener("click", () => go(w.step <= 0 ? -1 : w.step - 1));
  w.reset.addEventListener("click", () => go(-1));
  w.bar.addEventListener("keydown", (ev) => {
    const k = ev.key;
    if (k === "ArrowRight" || k === "ArrowDown") go(Math.min(w.step + 1, n));
    else if (k === "ArrowLeft" || k === "ArrowUp") go(Math.max(w.step - 1, -1));
    else if (k === "Escape" || k === "Home") go(-1);
    else if (k === "End") go(n - 1);
    else return;
    ev.preventDefault();
  });

  // Read a field; keep the last good graph and explain what is wrong if the text is not usable.
  function update(name, text, source) {
    const f = w.inputs[name];
    const read = readNumber(text);
    let problem = read.problem ? say(read.problem, { text: String(text).trim().slice(0, 20) }) : null;
    if (!problem) {
      const trial = { ...w.values, [name]: read.value };
      try {
        w.result = run(spec, trial);
        w.values = trial;
      } catch (err) {
        problem = say("fail", { name, value: read.text, op: err.message });
      }
    }
    f.msg.textContent = problem ? problem + " " + say("kept") : "";
    f.input.setAttribute("aria-invalid", problem ? "true" : "false");
    f.input.parentNode.classList.toggle("bp-field-error", !!problem);
    if (problem) return;
    if (f.slider && source !== f.slider) f.slider.value = String(read.value);
    if (source !== f.input) f.input.value = String(read.value);
    draw();
  }
  for (const [name, f] of Object.entries(w.inputs)) {
    f.input.addEventListener("input", () => update(name, f.input.value, f.input));
    if (f.slider) f.slider.addEventListener("input", () => update(name, f.slider.value, f.slider));
  }
  draw();
}

export function init() {
  for (const root of document.querySelectorAll("[data-bp-explorer]:not([data-bp-ready])")) {
    try { setup(root); } catch (err) { root.setAttribute("data-bp-ready", "error"); }
  }
}

window.bpExplorer = { init, format: fmt, run };
