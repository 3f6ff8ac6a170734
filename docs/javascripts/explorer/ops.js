// The operations of a graph, as backprop_book.graphs.value.Value computes them. Each takes its
// inputs and returns [out, local gradients ∂out/∂input], the numbers Value records in
// `local_grads` during the forward pass. The names are those of backprop_book.graphs.explorer.OPS
// (× is "mul", 1/x is "reciprocal" …). A result that is not a finite number (1/0, exp(800)) is
// returned as it is; evaluate() in graph.js refuses it, as Value does.

export const OPS = {
  mul: (a, b) => [a * b, [b, a]], // ∂(ab)/∂a = b: the mul node swaps its inputs
  add: (a, b) => [a + b, [1, 1]],
  sub: (a, b) => [a - b, [1, -1]],
  neg: (a) => [-a, [-1]],
  exp: (a) => {
    const y = Math.exp(a);
    return [y, [y]]; // exp is its own derivative
  },
  reciprocal: (a) => {
    const y = 1 / a;
    return [y, [-y * y]]; // ∂(1/a)/∂a = −1/a² = −y²
  },
  sigmoid: (a) => {
    // exp of a negative number only, so that neither branch overflows
    const y = a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    return [y, [y * (1 - y)]];
  },
};

// How each local gradient is found, shown beside its value in the sigmoid's table.
export const RULE = {
  mul: "the other input",
  add: "1",
  sub: "1 or \u22121",
  neg: "\u22121",
  exp: "exp(in) = out",
  reciprocal: "\u22121/in\u00b2 = \u2212out\u00b2",
  sigmoid: "out(1 \u2212 out)",
};
