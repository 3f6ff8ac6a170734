// Numbers as the book prints them: backprop_book.graphs.layout.format_number, character for
// character. Four significant digits (never fewer digits than the integer part has), trailing
// zeros dropped so float noise disappears (220.00000000000003 → 220), below 1e-4 and from 1e16
// up in scientific notation (1.5e−07), and a true minus sign (−).
//
// Python rounds the exact binary value of a float half to even; JavaScript's toFixed and
// toExponential round a tie away from zero (1000.5 → "1001" where Python prints "1000"). So the
// rounding is done here, on the exact decimal value of the double, with BigInt.

const MINUS = "\u2212";

// |x| exactly, as digits / 10 ** scale: a double is m × 2 ** e, and m / 2 ** k = m × 5 ** k / 10 ** k.
function exactDecimal(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let m = bits & 0xfffffffffffffn;
  if (biased > 0) m |= 1n << 52n; // a normal number's leading 1 is not stored
  const e = Math.max(biased, 1) - 1075;
  return e >= 0 ? { digits: m << BigInt(e), scale: 0 } : { digits: m * 5n ** BigInt(-e), scale: -e };
}

// digits / 10 ** drop, rounded to an integer, a tie to the even neighbour (Python's rule).
function roundHalfEven(digits, drop) {
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  let q = digits / unit;
  const twice = 2n * (digits % unit);
  if (twice > unit || (twice === unit && q % 2n === 1n)) q += 1n;
  return q;
}

const trim = (text) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);

// Python's f"{abs(x):.{decimals}f}".
function fixed(x, decimals) {
  const { digits, scale } = exactDecimal(x);
  const text = roundHalfEven(digits, scale - decimals).toString().padStart(decimals + 1, "0");
  return decimals ? text.slice(0, -decimals) + "." + text.slice(-decimals) : text;
}

// Python's f"{abs(x):.3e}", trailing zeros of the mantissa dropped: 1.5e-07, 1.062e+16.
function scientific(x) {
  const { digits, scale } = exactDecimal(x);
  const length = digits.toString().length;
  let exponent = length - 1 - scale;
  let kept = roundHalfEven(digits, length - 4).toString(); // four significant digits
  if (kept.length > 4) { kept = kept.slice(0, 4); exponent += 1; } // 9.9996 rounds to 10.00
  const sign = exponent < 0 ? "-" : "+";
  const e = String(Math.abs(exponent)).padStart(2, "0");
  return trim(kept[0] + "." + kept.slice(1)) + "e" + sign + e;
}

export function fmt(x) {
  if (x === 0) return "0"; // -0 too
  const a = Math.abs(x);
  let text;
  if (a < 1e-4 || a >= 1e16) text = scientific(a);
  else text = trim(fixed(a, Math.max(0, 4 - (Math.floor(Math.log10(a)) + 1))));
  return ((x < 0 ? "-" : "") + text).replace(/-/g, MINUS);
}

// A number inside a product: a negative one in parentheses, as in (−2) × 3.
export function paren(x) {
  const t = fmt(x);
  return t.charAt(0) === MINUS ? "(" + t + ")" : t;
}

// The gradient sent back along one input (backprop_book.graphs.layout.grad_label):
// local × upstream, or, with withLocal, "upstream × local = gradient".
export function gradLabel(up, local, withLocal) {
  const grad = fmt(local * up);
  return withLocal ? paren(up) + " \u00d7 " + paren(local) + " = " + grad : grad;
}

// The gradient of a value read by several nodes (layout.total_label): what each sends back, summed.
export function totalLabel(sends, grad) {
  return sends.map(fmt).join(" + ") + " = " + fmt(grad);
}
