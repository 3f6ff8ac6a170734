// The widget's words (words.js) in both editions, and how it reads what the reader types (parse.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { readNumber } from "../../../docs/javascripts/explorer/parse.js";
import { WORDS, words } from "../../../docs/javascripts/explorer/words.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("English and Korean have the same sentences with the same placeholders", () => {
  assert.deepEqual(Object.keys(WORDS.ko).sort(), Object.keys(WORDS.en).sort());
  for (const [key, text] of Object.entries(WORDS.en)) {
    assert.deepEqual(placeholders(WORDS.ko[key]), placeholders(text), key);
  }
});

test("say fills the placeholders, in the page's language, English by default", () => {
  assert.equal(words("ko")("next"), "한 단계 역전파");
  assert.equal(words("en-GB")("step", { k: 1, n: 2, op: "\u00d7", up: "1", out: "" }),
    "Step 1 of 2: the \u00d7 node, upstream gradient 1.");
  assert.equal(words("fr")("next"), "Step backward");
  assert.equal(words(null)("slider", {}), "{name} (slider)"); // a missing value stays visible
});

test("readNumber reads decimals and e-notation, with a true minus sign too", () => {
  const read = (text) => readNumber(text).value;
  assert.equal(read("3"), 3);
  assert.equal(read(" -2.5 "), -2.5);
  assert.equal(read("\u22122.5"), -2.5);
  assert.equal(read(".5"), 0.5);
  assert.equal(read("1e-3"), 0.001);
  assert.equal(read("+4."), 4);
  assert.ok(Object.is(read("-0"), -0));
});

test("readNumber says why a text is not a number", () => {
  const problem = (text) => readNumber(text).problem;
  assert.equal(problem(""), "empty");
  assert.equal(problem("   "), "empty");
  for (const text of ["abc", "NaN", "Infinity", "1..2", "--3", "1,5", "0x10", "1e", "e5"]) {
    assert.equal(problem(text), "nan", text);
  }
  assert.equal(problem("1e400"), "big");
  assert.equal(problem("-1e400"), "big");
});
