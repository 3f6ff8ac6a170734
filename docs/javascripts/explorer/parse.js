// What the reader types into an input field, read as a number or as the reason it is not one.
// Plain decimal and e-notation only (so not "0x10", "Infinity", "1,5"); a true minus sign (−) is
// read as a hyphen. Returns {value} or {problem}: "empty", "nan" or "big" (beyond a double).

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function readNumber(text) {
  const s = String(text).trim().replace(/\u2212/g, "-");
  if (s === "") return { problem: "empty" };
  if (!NUMBER.test(s)) return { problem: "nan" };
  const value = Number(s);
  return Number.isFinite(value) ? { value, text: s } : { problem: "big" };
}
