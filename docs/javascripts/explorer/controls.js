// The widget's controls, added under the figure: one text field per input (and a slider for the
// sigmoid's x), the step-backward buttons, the keyboard hint, the readout announced to screen
// readers, and the sigmoid's table of local gradients. Returns the elements the widget wires.

import { el } from "./dom.js";

export function buildPanel(root, spec, say, uid) {
  const panel = el("div", { "class": "bp-explorer-panel" });
  const fields = el("div", {
    "class": "bp-explorer-fields", role: "group", "aria-label": say("inputs", { formula: spec.formula }),
  });
  const inputs = {};
  for (const inp of spec.inputs) {
    const id = uid + "-" + inp.name, msgId = id + "-msg";
    const box = el("div", { "class": "bp-field" });
    box.appendChild(el("label", { "for": id }, inp.name + (inp.ko ? " (" + inp.ko + ")" : "")));
    const input = el("input", {
      id, type: "text", autocomplete: "off", spellcheck: "false",
      "class": "bp-field-input", "data-input": inp.name, "aria-describedby": msgId, size: "8",
    });
    input.value = String(inp.value);
    box.appendChild(input);
    let slider = null;
    if (spec.slider) {
      slider = el("input", {
        type: "range", "class": "bp-slider", min: spec.slider.min, max: spec.slider.max,
        step: spec.slider.step, "aria-label": say("slider", { name: inp.name }), "data-input": inp.name,
      });
      slider.value = String(inp.value);
      box.appendChild(slider);
    }
    const msg = el("span", { id: msgId, "class": "bp-field-msg", "aria-live": "polite" });
    box.appendChild(msg);
    fields.appendChild(box);
    inputs[inp.name] = { input, slider, msg };
  }
  panel.appendChild(fields);

  const bar = el("div", { "class": "bp-explorer-steps", role: "group", "aria-label": say("toolbar") });
  const button = (cls, key, text) => el("button", { type: "button", "class": cls, "aria-keyshortcuts": key }, text);
  const next = button("bp-step-next", "ArrowRight", say("next"));
  const prev = button("bp-step-prev", "ArrowLeft", say("prev"));
  const reset = button("bp-step-reset", "Escape", say("reset"));
  bar.append(next, prev, reset);
  panel.appendChild(bar);
  panel.appendChild(el("p", { "class": "bp-explorer-hint" }, say("keys")));
  const readout = el("div", { "class": "bp-step-readout", "aria-live": "polite", role: "status" });
  panel.appendChild(readout);
  const identity = spec.identity ? el("div", { "class": "bp-identity" }) : null;
  if (identity) panel.appendChild(identity);
  root.appendChild(panel);
  return { inputs, bar, next, prev, reset, readout, identity };
}
