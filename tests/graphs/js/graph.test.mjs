// graph.js runs the forward and backward passes of each of the book's graphs as the package does,
// from the description a page carries (to_spec of the default graph) and the reader's inputs.

import assert from "node:assert/strict";
import { test } from "node:test";

import { backwardSteps, chain, run, sends } from "../../../docs/javascripts/explorer/graph.js";
import { EXACT, fixtures, same } from "./fixtures.mjs";

const cases = fixtures.graphs;
const exactGraph = (spec) => spec.nodes.every((n) => !n.op || EXACT.has(n.op));

test("every graph and every input: the package's values and gradients", () => {
  assert.deepEqual(new Set(cases.map((c) => c.kind)), new Set(Object.keys(fixtures.specs)));
  for (const c of cases.filter((c) => !c.error)) {
    const spec = fixtures.specs[c.kind];
    const exact = exactGraph(spec);
    const r = run(spec, c.inputs);
    const what = `${c.kind} ${JSON.stringify(c.inputs)}`;
    assert.deepEqual(Object.keys(r.value), Object.keys(c.value), what);
    for (const id of Object.keys(c.value)) {
      same(r.value[id], c.value[id], exact, `${what} value of ${id}`);
      // a gradient is a sum over the nodes reading the value: the bound is relative to its terms
      const terms = c.edges.filter((e) => e.from === id).map((e) => Math.abs(e.up * e.local));
      same(r.grad[id], c.grad[id], exact, `${what} gradient of ${id}`, Math.max(0, ...terms));
    }
    for (const e of c.edges) {
      same(r.local[e.to][e.input], e.local, exact, `${what} local gradient ${e.from}→${e.to}`);
    }
  }
});

test("where the package refuses the inputs, run throws, naming the node", () => {
  const refused = cases.filter((c) => c.error);
  assert.ok(refused.length >= 3);
  for (const c of refused) {
    const spec = fixtures.specs[c.kind];
    const symbols = new Set(spec.nodes.filter((n) => n.op).map((n) => n.symbol));
    assert.throws(() => run(spec, c.inputs), (err) => symbols.has(err.message), `${c.kind} ${c.error}`);
  }
});

test("the gradients sent to a value read by several nodes add up to its gradient", () => {
  const fanOut = cases.filter((c) => !c.error && Object.keys(c.fans).length);
  assert.ok(fanOut.length > 0);
  for (const c of fanOut) {
    const spec = fixtures.specs[c.kind];
    const r = run(spec, c.inputs);
    for (const id of Object.keys(c.fans)) {
      const sent = sends(spec, r, id);
      assert.equal(sent.length, c.edges.filter((e) => e.from === id).length);
      // two terms: a + b is b + a exactly, whichever order backward added them in
      assert.equal(sent.length, 2);
      assert.equal(sent[0] + sent[1], r.grad[id]);
    }
  }
});

test("the step-backward walk visits every operation, the output first", () => {
  for (const spec of Object.values(fixtures.specs)) {
    const steps = backwardSteps(spec);
    assert.equal(steps[0].id, spec.output);
    assert.deepEqual(steps.map((n) => n.id), spec.nodes.filter((n) => n.op).map((n) => n.id).reverse());
  }
});

test("the sigmoid's chain: the product of the local gradients is dy/dx and y(1 − y)", () => {
  const spec = fixtures.specs.sigmoid;
  for (const c of cases.filter((c) => c.kind === "sigmoid" && !c.error)) {
    const r = run(spec, c.inputs);
    const { rows, product } = chain(spec, r);
    assert.deepEqual(rows.map((row) => row.node.symbol), ["\u00d7(\u22121)", "exp", "+", "1/x"]);
    const x = spec.inputs[0].node;
    assert.equal(product, r.grad[x], `x = ${c.inputs.x}`); // the same products in the same order
    const y = r.value[spec.output];
    same(product, y * (1 - y), false, `x = ${c.inputs.x}: y(1 − y)`, 0, 1.2e-16);
  }
});
