// format.js prints every number as backprop_book.graphs.layout.format_number does.

import assert from "node:assert/strict";
import { test } from "node:test";

import { fmt, gradLabel, paren, totalLabel } from "../../../docs/javascripts/explorer/format.js";
import { fixtures } from "./fixtures.mjs";

test("fmt gives format_number's text for every number of the fixtures", () => {
  assert.ok(fixtures.format.length > 40);
  for (const [x, text] of fixtures.format) assert.equal(fmt(x), text, `fmt(${x})`);
});

test("fmt rounds a tie to even, as Python does (toFixed would not)", () => {
  assert.equal((1000.5).toFixed(0), "1001"); // JavaScript's own rule: away from zero
  assert.equal(fmt(1000.5), "1000");
  assert.equal(fmt(-12.125), "\u221212.12");
  assert.equal(fmt(1.0625e16), "1.062e+16");
});

test("fmt gives format_number's text for every value and gradient of every graph", () => {
  for (const c of fixtures.graphs.filter((c) => !c.error)) {
    for (const [id, [value, grad]] of Object.entries(c.text)) {
      assert.equal(fmt(c.value[id]), value, `${c.kind} ${JSON.stringify(c.inputs)} ${id}`);
      assert.equal(fmt(c.grad[id]), grad, `${c.kind} ${JSON.stringify(c.inputs)} ${id} gradient`);
    }
  }
});

test("the edge labels are grad_label's and total_label's", () => {
  for (const c of fixtures.graphs.filter((c) => !c.error)) {
    for (const e of c.edges) {
      assert.equal(gradLabel(e.up, e.local, false), e.label, `${c.kind} ${e.from}→${e.to}`);
      assert.equal(gradLabel(e.up, e.local, true), e.label_local, `${c.kind} ${e.from}→${e.to}`);
    }
    for (const [id, label] of Object.entries(c.fans)) {
      const sends = c.edges.filter((e) => e.from === id).map((e) => e.local * e.up);
      assert.equal(totalLabel(sends, c.grad[id]), label, `${c.kind} ${id}`);
    }
  }
});

test("paren wraps a negative number only", () => {
  assert.equal(paren(-2), "(\u22122)");
  assert.equal(paren(2), "2");
  assert.equal(paren(-0), "0");
});
