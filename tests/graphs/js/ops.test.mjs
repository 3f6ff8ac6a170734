// ops.js computes each operation and its local gradients as backprop_book.graphs.value.Value does.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OPS, RULE } from "../../../docs/javascripts/explorer/ops.js";
import { EXACT, fixtures, same } from "./fixtures.mjs";

test("the script knows exactly the operations graphs/explorer.py exports", () => {
  const exported = [...new Set(fixtures.ops.map((c) => c.op))].sort();
  assert.deepEqual(Object.keys(OPS).sort(), exported);
  assert.deepEqual(Object.keys(RULE).sort(), exported);
});

test("every operation: the value and local gradients Python records", () => {
  for (const c of fixtures.ops.filter((c) => !c.error)) {
    const [value, local] = OPS[c.op](...c.inputs);
    const what = `${c.op}(${c.inputs.join(", ")})`;
    const exact = EXACT.has(c.op);
    same(value, c.value, exact, what);
    assert.equal(local.length, c.local.length, what);
    const absolute = c.op === "sigmoid" ? 1.2e-16 : 0; // 1 − y: see fixtures.mjs
    local.forEach((g, i) => same(g, c.local[i], exact, `${what} local gradient ${i}`, 0, absolute));
  }
});

test("where Value refuses the result, the script's is not a finite number either", () => {
  const refused = fixtures.ops.filter((c) => c.error);
  assert.ok(refused.some((c) => c.op === "exp") && refused.some((c) => c.op === "reciprocal"));
  for (const c of refused) {
    const [value, local] = OPS[c.op](...c.inputs);
    const numbers = [value, ...local];
    assert.ok(!numbers.every(Number.isFinite), `${c.op}(${c.inputs.join(", ")}): ${numbers} (${c.error})`);
  }
});

test("the sigmoid's slider range (−6 … 6) is in the fixtures", () => {
  const xs = fixtures.ops.filter((c) => c.op === "sigmoid").map((c) => c.inputs[0]);
  for (let k = -60; k <= 60; k++) assert.ok(xs.includes(k / 10), `x = ${k / 10}`);
});
