// What Python computed (backprop_book.graphs.explorer.js_fixtures), for the tests beside this file.
// tests/graphs/test_explorer_js.py writes it as JSON and names the file in BACKPROP_BOOK_JS_FIXTURES.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const path = process.env.BACKPROP_BOOK_JS_FIXTURES;
if (!path) {
  throw new Error("BACKPROP_BOOK_JS_FIXTURES is not set: run these through " +
    "tests/graphs/test_explorer_js.py (pytest), which writes the fixtures first");
}
export const fixtures = JSON.parse(readFileSync(path, "utf8"));

// Operations whose arithmetic is IEEE +, −, × and / only. Those are correctly rounded in every
// language on every machine, and the script does them in the package's order, so the numbers
// are equal bit for bit. exp comes from each language's maths library (V8's port of fdlibm,
// the C library's for Python): each is within 1 ulp of the true value, not always the same one.
export const EXACT = new Set(["mul", "add", "sub", "neg", "reciprocal"]);

// JavaScript's number against Python's. Exact (Object.is, so −0 is not 0) when the arithmetic is;
// with exp in the graph, within 1e-13 relative: an ulp is 1.1e-16 relative and a graph has a
// handful of nodes, each adding an ulp or two; a sum adds the errors of its terms, so the bound
// is taken relative to the largest term (scale). The sigmoid's y(1 − y) loses the digits y
// shares with 1: an ulp of y (at most 1.1e-16, as y < 1) becomes an absolute error of 1 − y.
export function same(js, py, exact, message, scale = 0, absolute = 0) {
  const both = `${message}: JavaScript ${show(js)}, Python ${show(py)}`;
  if (exact) {
    assert.ok(Object.is(js, py), both);
    return;
  }
  const bound = 1e-13 * Math.max(Math.abs(py), scale) + absolute;
  assert.ok(Math.abs(js - py) <= bound, `${both} (bound ${bound})`);
}

const show = (x) => (Object.is(x, -0) ? "-0" : String(x));
