// Typeset TeX with KaTeX for hooks/katex_math.py: one process per build, one line per page.
// Reads lines of JSON, each a list of [tex, display] pairs; writes for each a line of JSON, a
// list of {"html": ...} or {"error": ...} in the same order. KaTeX comes from node_modules
// (package-lock.json), resolved from this file's folder upwards.
"use strict";
const katex = require("katex");
const readline = require("node:readline");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const results = JSON.parse(line).map(([tex, display]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true }) };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(results) + "\n");
});
