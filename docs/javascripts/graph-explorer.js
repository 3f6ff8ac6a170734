// backprop_book graph explorer: makes a static graph figure explorable (no library, no network).
// The graph comes from the Python package (backprop_book.graphs.explorer.to_spec) in data-bp-spec; this
// script recomputes its forward and backward passes from that description when an input changes,
// and walks the backward pass node by node. Loaded by explorer-loader.js on pages that need it;
// window.bpExplorer.init() is idempotent (each widget is set up once, listeners on the widget).
(function () {
  "use strict";
  if (window.bpExplorer) return;

  // Same rule as backprop_book.graphs.drawing.format_number: 4 significant digits, noise dropped.
  function fmt(x) {
    if (x === 0) return "0";
    var text;
    if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16) {
      var parts = x.toExponential(3).split("e");
      var m = parts[0].replace(/0+$/, "").replace(/\.$/, "");
      var e = parseInt(parts[1], 10);
      text = m + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    } else {
      var decimals = Math.max(0, 4 - (Math.floor(Math.log10(Math.abs(x))) + 1));
      text = x.toFixed(decimals);
      if (text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    }
    return text.replace(/-/g, "\u2212");
  }

  // Each operation: forward value and the local gradients ∂out/∂input (as graph.Value records).
  var OPS = {
    mul: function (a, b) { return [a * b, [b, a]]; },
    add: function (a, b) { return [a + b, [1, 1]]; },
    sub: function (a, b) { return [a - b, [1, -1]]; },
    neg: function (a) { return [-a, [-1]]; },
    exp: function (a) { var y = Math.exp(a); return [y, [y]]; },
    reciprocal: function (a) {
      if (a === 0) throw new Error("1/x");
      var y = 1 / a; return [y, [-y * y]];
    },
    sigmoid: function (a) {
      var y = a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
      return [y, [y * (1 - y)]];
    }
  };
  // How each local gradient is found, shown beside its value in the sigmoid's table.
  var RULE = {
    mul: "the other input", add: "1", sub: "1 or \u22121", neg: "\u22121",
    exp: "exp(in) = out", reciprocal: "\u22121/in\u00b2 = \u2212out\u00b2", sigmoid: "out(1 \u2212 out)"
  };
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  var counter = 0;

  // The widget's own words, in the page's language (<html lang>, set by the theme per edition).
  var WORDS = {
    en: {
      scroll: "Graph figure; scroll sideways if it is wider than the page",
      inputs: "Inputs of {formula}", slider: "{name} (slider)",
      toolbar: "Backward pass, step by step", next: "Step backward", prev: "Previous step",
      reset: "Show all", keys: "Keys: → next step back, ← previous, Esc show the whole pass.",
      idle: "The whole backward pass is shown. Press “Step backward” to walk it node by node.",
      done: "Backward pass complete: every input has its gradient. {grads}.",
      step: "Step {k} of {n}: the {op} node{out}, upstream gradient {up}.",
      output: " (output {name})", node: "the {op} node",
      line: "upstream {up} × local {local} = {down} → {to}",
      desc: "Computational graph of {formula}. Forward pass: {forward}. " +
        "Backward pass, gradients of {out}: {backward}.",
      table: "Local gradients along the chain, from x to y",
      node_h: "node", local_h: "local gradient", value_h: "value",
      empty: "Enter a number.", nan: "“{text}” is not a number.",
      big: "Too large: enter a number below 1e308.",
      fail: "With {name} = {value}, the {op} node gives no finite number (too large for a float).",
      kept: "Showing the last good graph."
    },
    ko: {
      scroll: "계산 그래프 그림: 화면보다 넓으면 옆으로 스크롤하세요",
      inputs: "{formula}의 입력", slider: "{name} (슬라이더)",
      toolbar: "단계별 역전파", next: "한 단계 역전파", prev: "이전 단계",
      reset: "전체 보기", keys: "키: → 다음 단계, ← 이전 단계, Esc 역전파 전체 보기.",
      idle: "역전파 전체가 표시되어 있습니다. “한 단계 역전파”를 누르면 노드를 하나씩 따라갑니다.",
      done: "역전파 완료: 모든 입력이 기울기를 받았습니다. {grads}.",
      step: "{n}단계 중 {k}단계: {op} 노드{out}, 상류 기울기 {up}.",
      output: " (출력 {name})", node: "{op} 노드",
      line: "상류 {up} × 국소 {local} = {down} → {to}",
      desc: "{formula}의 계산 그래프. 순전파: {forward}. 역전파, {out}의 기울기: {backward}.",
      table: "x에서 y까지 사슬을 따라간 국소 기울기",
      node_h: "노드", local_h: "국소 기울기", value_h: "값",
      empty: "숫자를 입력하세요.", nan: "“{text}”은(는) 숫자가 아닙니다.",
      big: "너무 큽니다: 1e308보다 작은 수를 입력하세요.",
      fail: "{name} = {value}이면 {op} 노드의 값이 유한한 수가 아닙니다(부동소수점 범위 초과).",
      kept: "마지막으로 올바른 그래프를 보여 줍니다."
    }
  };

  // say(key, {name: value}) -> the sentence in the page's language, placeholders filled in.
  function words() {
    var lang = (document.documentElement.getAttribute("lang") || "en").slice(0, 2).toLowerCase();
    var w = WORDS[lang] || WORDS.en;
    return function (key, vars) {
      return String(w[key]).replace(/\{(\w+)\}/g, function (m, k) {
        return vars && k in vars ? vars[k] : m;
      });
    };
  }

  function paren(x) { var t = fmt(x); return t.charAt(0) === "\u2212" ? "(" + t + ")" : t; }

  // Forward then backward pass over the spec's nodes (topological order) for given inputs.
  // A value that is not a finite number throws an Error whose message is the node's symbol.
  function run(spec, values) {
    var r = { value: {}, grad: {}, local: {} };
    spec.nodes.forEach(function (n) {
      var v, local = [];
      if (!n.op) {
        v = n.constant || !(n.name in values) ? n.value : values[n.name];
      } else {
        var res = OPS[n.op].apply(null, n.inputs.map(function (i) { return r.value[i]; }));
        v = res[0]; local = res[1];
        if (!isFinite(v)) throw new Error(n.symbol);
        local.forEach(function (g) { if (!isFinite(g)) throw new Error(n.symbol); });
      }
      r.value[n.id] = v; r.local[n.id] = local; r.grad[n.id] = 0;
    });
    r.grad[spec.output] = 1;
    for (var k = spec.nodes.length - 1; k >= 0; k--) {
      var t = spec.nodes[k];
      t.inputs.forEach(function (s, i) {
        r.grad[s] += r.local[t.id][i] * r.grad[t.id];
        if (!isFinite(r.grad[s])) throw new Error(t.symbol);
      });
    }
    return r;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function setup(root) {
    var spec;
    try { spec = JSON.parse(root.getAttribute("data-bp-spec")); } catch (err) { return; }
    var svg = root.querySelector("svg.bp-graph");
    if (!svg || !spec || !spec.nodes) return;
    root.setAttribute("data-bp-ready", "true");
    var say = words();
    // On a narrow screen the figure keeps a readable size and scrolls sideways in its box.
    var scroll = root.querySelector(".bp-explorer-scroll");
    if (scroll) {
      scroll.setAttribute("tabindex", "0");
      scroll.setAttribute("role", "group");
      scroll.setAttribute("aria-label", say("scroll"));
    }
    var width = parseFloat(svg.getAttribute("width"));
    if (width > 0) svg.style.minWidth = Math.round(0.7 * width) + "px";
    var uid = "bpx" + (++counter);
    var byId = {};
    spec.nodes.forEach(function (n) { byId[n.id] = n; });
    var values = {};
    spec.inputs.forEach(function (inp) { values[inp.name] = inp.value; });
    var result = run(spec, values);
    var steps = spec.nodes.filter(function (n) { return n.op; }).reverse();
    var step = -1; // -1: whole graph shown; 0..steps.length-1: that node; steps.length: done

    function label(id) {
      var n = byId[id];
      return n.name || (n.constant ? fmt(n.value) : n.expr ? "(" + n.expr + ")" : say("node", { op: n.symbol }));
    }

    // Controls: one field per input (and a slider for the sigmoid's x).
    var panel = el("div", { "class": "bp-explorer-panel" });
    var fields = el("div", { "class": "bp-explorer-fields", role: "group", "aria-label": say("inputs", { formula: spec.formula }) });
    var inputs = {};
    spec.inputs.forEach(function (inp) {
      var id = uid + "-" + inp.name, msgId = id + "-msg";
      var box = el("div", { "class": "bp-field" });
      box.appendChild(el("label", { "for": id }, inp.name + (inp.ko ? " (" + inp.ko + ")" : "")));
      var input = el("input", {
        id: id, type: "text", autocomplete: "off", spellcheck: "false",
        "class": "bp-field-input", "data-input": inp.name, "aria-describedby": msgId, size: "8"
      });
      input.value = String(inp.value);
      box.appendChild(input);
      var slider = null;
      if (spec.slider) {
        slider = el("input", {
          type: "range", "class": "bp-slider", min: spec.slider.min, max: spec.slider.max,
          step: spec.slider.step, "aria-label": say("slider", { name: inp.name }), "data-input": inp.name
        });
        slider.value = String(inp.value);
        box.appendChild(slider);
      }
      var msg = el("span", { id: msgId, "class": "bp-field-msg", "aria-live": "polite" });
      box.appendChild(msg);
      fields.appendChild(box);
      inputs[inp.name] = { input: input, slider: slider, msg: msg };
    });
    panel.appendChild(fields);

    var bar = el("div", { "class": "bp-explorer-steps", role: "group", "aria-label": say("toolbar") });
    var next = el("button", { type: "button", "class": "bp-step-next", "aria-keyshortcuts": "ArrowRight" }, say("next"));
    var prev = el("button", { type: "button", "class": "bp-step-prev", "aria-keyshortcuts": "ArrowLeft" }, say("prev"));
    var reset = el("button", { type: "button", "class": "bp-step-reset", "aria-keyshortcuts": "Escape" }, say("reset"));
    bar.appendChild(next); bar.appendChild(prev); bar.appendChild(reset);
    panel.appendChild(bar);
    var hint = el("p", { "class": "bp-explorer-hint" }, say("keys"));
    panel.appendChild(hint);
    var readout = el("div", { "class": "bp-step-readout", "aria-live": "polite", role: "status" });
    panel.appendChild(readout);
    var identity = spec.identity ? el("div", { "class": "bp-identity" }) : null;
    if (identity) panel.appendChild(identity);
    root.appendChild(panel);

    // A value read by several nodes: the gradients sent back along each branch, and their sum.
    function total(id) {
      var sends = [];
      spec.nodes.forEach(function (t) {
        t.inputs.forEach(function (s, i) { if (s === id) sends.push(fmt(result.local[t.id][i] * result.grad[t.id])); });
      });
      return sends.join(" + ") + " = " + fmt(result.grad[id]);
    }

    function setText(g, selector, text) {
      var t = g && g.querySelector(selector);
      if (t) t.textContent = text;
    }

    // Write the current numbers into the figure: every edge's value and gradient, every node.
    function draw() {
      var r = result;
      svg.querySelectorAll("g.bp-edge").forEach(function (g) {
        var from = g.getAttribute("data-from"), to = g.getAttribute("data-to");
        var v = r.value[from];
        g.setAttribute("data-value", String(v));
        setText(g, "text.bp-forward", fmt(v));
        if (!to) { // the output's arrow, or the shared stub of a value read by several nodes
          g.setAttribute("data-grad", String(r.grad[from]));
          setText(g, "text.bp-backward", g.classList.contains("bp-fan") ? total(from) : fmt(r.grad[from]));
          return;
        }
        var i = +g.getAttribute("data-input"), up = r.grad[to], local = r.local[to][i];
        g.setAttribute("data-local", String(local));
        g.setAttribute("data-upstream", String(up));
        g.setAttribute("data-grad", String(local * up));
        setText(g, "text.bp-backward", spec.local
          ? paren(up) + " \u00d7 " + paren(local) + " = " + fmt(local * up) : fmt(local * up));
      });
      svg.querySelectorAll("g.bp-node[data-node]").forEach(function (g) {
        var id = g.getAttribute("data-node");
        if (!(id in r.value)) return;
        g.setAttribute("data-value", String(r.value[id]));
        g.setAttribute("data-grad", String(r.grad[id]));
        if (byId[id].constant) setText(g, "text.bp-constant", fmt(r.value[id]));
      });
      var out = byId[spec.output];
      var desc = say("desc", {
        formula: spec.formula,
        forward: spec.inputs.map(function (inp) { return inp.name + " = " + fmt(r.value[inp.node]); })
          .concat([(out.name || "out") + " = " + fmt(r.value[out.id])]).join(", "),
        out: out.name || "out",
        backward: spec.inputs.map(function (inp) { return inp.name + " " + fmt(r.grad[inp.node]); }).join(", ")
      });
      svg.setAttribute("aria-label", desc);
      if (identity) drawIdentity();
      showStep();
    }

    // For a chain (the sigmoid): each node's local gradient; their product equals y(1 − y).
    function drawIdentity() {
      var r = result, out = byId[spec.output], rows = [], prod = 1, id = out.id;
      while (byId[id].op) {
        var n = byId[id], k = -1;
        n.inputs.forEach(function (s, i) { if (!byId[s].constant) k = i; });
        if (k < 0) break;
        rows.unshift([n, r.local[id][k]]); prod *= r.local[id][k]; id = n.inputs[k];
      }
      var y = r.value[out.id];
      identity.textContent = "";
      var table = el("table", { "class": "bp-local-table" });
      table.appendChild(el("caption", {}, say("table")));
      var head = el("tr");
      [say("node_h"), say("local_h"), say("value_h")].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
      table.appendChild(head);
      rows.forEach(function (row) {
        var tr = el("tr", { "class": "bp-local-row", "data-node": row[0].id, "data-local": String(row[1]) });
        tr.appendChild(el("th", { scope: "row" }, row[0].symbol));
        tr.appendChild(el("td", {}, RULE[row[0].op] || ""));
        tr.appendChild(el("td", {}, fmt(row[1])));
        table.appendChild(tr);
      });
      identity.appendChild(table);
      identity.appendChild(el("p", { "class": "bp-chain", "data-grad": String(prod) },
        "\u2202y/\u2202x = " + rows.map(function (row) { return paren(row[1]); }).join(" \u00d7 ") +
        " = " + fmt(prod)));
      identity.appendChild(el("p", { "class": "bp-y1y", "data-grad": String(y * (1 - y)) },
        "y(1 \u2212 y) = " + fmt(y) + " \u00d7 " + fmt(1 - y) + " = " + fmt(y * (1 - y))));
    }

    function showStep() {
      svg.querySelectorAll(".bp-step-active, .bp-step-edge, .bp-step-upstream, .bp-step-done")
        .forEach(function (g) { g.classList.remove("bp-step-active", "bp-step-edge", "bp-step-upstream", "bp-step-done"); });
      root.classList.toggle("bp-stepping", step >= 0 && step < steps.length);
      var box = el("div");
      fillReadout(box);
      if (box.innerHTML !== readout.innerHTML) { // rewrite (and announce) only what changed
        readout.textContent = "";
        while (box.firstChild) readout.appendChild(box.firstChild);
      }
    }

    function fillReadout(readout) {
      if (step < 0) {
        readout.appendChild(el("p", {}, say("idle")));
        return;
      }
      if (step >= steps.length) {
        readout.appendChild(el("p", { "class": "bp-step-title" }, say("done", {
          grads: spec.inputs.map(function (inp) { return "\u2202" + (byId[spec.output].name || "out") + "/\u2202" + inp.name + " = " + fmt(result.grad[inp.node]); }).join(", ")
        })));
        return;
      }
      var t = steps[step];
      for (var k = 0; k < step; k++) {
        svg.querySelectorAll('g.bp-edge[data-to="' + steps[k].id + '"]').forEach(function (g) { g.classList.add("bp-step-done"); });
      }
      svg.querySelectorAll('g.bp-edge[data-from="' + t.id + '"]').forEach(function (g) { g.classList.add("bp-step-upstream"); g.classList.add("bp-step-done"); });
      var node = svg.querySelector('g.bp-node[data-node="' + t.id + '"]');
      if (node) { node.classList.add("bp-step-active"); reveal(node); }
      svg.querySelectorAll('g.bp-edge[data-to="' + t.id + '"]').forEach(function (g) { g.classList.add("bp-step-edge"); });
      fillStep(readout, t);
    }

    // Scroll the figure's box (on a narrow screen) so the node being stepped is in view.
    function reveal(g) {
      if (!scroll || scroll.scrollWidth <= scroll.clientWidth) return;
      var a = scroll.getBoundingClientRect(), b = g.getBoundingClientRect();
      scroll.scrollLeft += (b.left + b.width / 2) - (a.left + a.width / 2);
    }

    function fillStep(readout, t) {
      var r = result;
      var title = say("step", {
        k: step + 1, n: steps.length, op: t.symbol, up: fmt(r.grad[t.id]),
        out: t.id === spec.output ? say("output", { name: label(t.id) }) : ""
      });
      readout.appendChild(el("p", { "class": "bp-step-title" }, title));
      var list = el("ul", { "class": "bp-step-lines" });
      t.inputs.forEach(function (s, i) {
        if (byId[s].constant) return;
        var up = r.grad[t.id], local = r.local[t.id][i];
        list.appendChild(el("li", {
          "class": "bp-step-line", "data-to": s, "data-upstream": String(up),
          "data-local": String(local), "data-grad": String(up * local)
        }, say("line", { up: fmt(up), local: fmt(local), down: fmt(up * local), to: label(s) })));
      });
      readout.appendChild(list);
    }

    function go(to) {
      step = to;
      showStep();
    }
    next.addEventListener("click", function () { go(step >= steps.length ? 0 : step + 1); });
    prev.addEventListener("click", function () { go(step <= 0 ? -1 : step - 1); });
    reset.addEventListener("click", function () { go(-1); });
    bar.addEventListener("keydown", function (ev) {
      var k = ev.key;
      if (k === "ArrowRight" || k === "ArrowDown") go(Math.min(step + 1, steps.length));
      else if (k === "ArrowLeft" || k === "ArrowUp") go(Math.max(step - 1, -1));
      else if (k === "Escape" || k === "Home") go(-1);
      else if (k === "End") go(steps.length - 1);
      else return;
      ev.preventDefault();
    });

    // Read a field; keep the last good graph and explain what is wrong if the text is not usable.
    function update(name, text, source) {
      var f = inputs[name];
      var s = String(text).trim().replace(/\u2212/g, "-");
      var problem = null, x = NaN;
      if (s === "") problem = say("empty");
      else if (!NUMBER.test(s)) problem = say("nan", { text: String(text).trim().slice(0, 20) });
      else {
        x = Number(s);
        if (!isFinite(x)) problem = say("big");
      }
      if (!problem) {
        var trial = {};
        Object.keys(values).forEach(function (k) { trial[k] = values[k]; });
        trial[name] = x;
        try {
          result = run(spec, trial);
          values = trial;
        } catch (err) {
          problem = say("fail", { name: name, value: s, op: err.message });
        }
      }
      f.msg.textContent = problem ? problem + " " + say("kept") : "";
      f.input.setAttribute("aria-invalid", problem ? "true" : "false");
      f.input.parentNode.classList.toggle("bp-field-error", !!problem);
      if (problem) return;
      if (f.slider && source !== f.slider) f.slider.value = String(x);
      if (source !== f.input) f.input.value = String(x);
      draw();
    }
    Object.keys(inputs).forEach(function (name) {
      var f = inputs[name];
      f.input.addEventListener("input", function () { update(name, f.input.value, f.input); });
      if (f.slider) f.slider.addEventListener("input", function () { update(name, f.slider.value, f.slider); });
    });
    draw();
  }

  function init() {
    document.querySelectorAll("[data-bp-explorer]:not([data-bp-ready])").forEach(function (root) {
      try { setup(root); } catch (err) { root.setAttribute("data-bp-ready", "error"); }
    });
  }

  window.bpExplorer = { init: init, format: fmt, run: run };
})();
