// The forward and backward passes over a graph description (backprop_book.graphs.explorer.to_spec):
// the nodes in topological order, each with its operation and the ids of its inputs. The same
// passes as backprop_book.graphs.value.Value: forward records every node's value and local
// gradients; backward starts from 1 at the output and, from the output back to the inputs, adds
// local gradient × upstream gradient into each input (a value read twice gets two terms).
// A value that is not a finite number throws an Error whose message is the node's symbol (×, exp …).

import { OPS } from "./ops.js";

function finite(x, node) {
  if (!Number.isFinite(x)) throw new Error(node.symbol);
  return x;
}

// values: the reader's numbers by input name; any input not given keeps the spec's value.
export function forward(spec, values) {
  const r = { value: {}, local: {}, grad: {} };
  for (const n of spec.nodes) {
    if (!n.op) {
      r.value[n.id] = n.constant || !(n.name in values) ? n.value : values[n.name];
      r.local[n.id] = [];
    } else {
      const [out, local] = OPS[n.op](...n.inputs.map((i) => r.value[i]));
      r.value[n.id] = finite(out, n);
      r.local[n.id] = local.map((g) => finite(g, n));
    }
  }
  return r;
}

export function backward(spec, r) {
  for (const n of spec.nodes) r.grad[n.id] = 0;
  r.grad[spec.output] = 1;
  for (let k = spec.nodes.length - 1; k >= 0; k--) { // outputs before inputs
    const t = spec.nodes[k];
    t.inputs.forEach((s, i) => {
      r.grad[s] = finite(r.grad[s] + r.local[t.id][i] * r.grad[t.id], t);
    });
  }
  return r;
}

export function run(spec, values) {
  return backward(spec, forward(spec, values));
}

// The gradients the nodes reading `id` send back to it, in node order; they add up to its grad.
export function sends(spec, r, id) {
  const out = [];
  for (const t of spec.nodes) {
    t.inputs.forEach((s, i) => { if (s === id) out.push(r.local[t.id][i] * r.grad[t.id]); });
  }
  return out;
}

// The nodes the step-backward walk visits: every operation, the output first.
export function backwardSteps(spec) {
  return spec.nodes.filter((n) => n.op).reverse();
}

// For a chain (the sigmoid's ×(−1) → exp → +1 → 1/x): from the input to the output, each node
// with the local gradient along the chain (its one non-constant input), and their product.
export function chain(spec, r) {
  const byId = Object.fromEntries(spec.nodes.map((n) => [n.id, n]));
  const rows = [];
  let id = spec.output;
  while (byId[id].op) {
    const n = byId[id];
    const k = n.inputs.findLastIndex((s) => !byId[s].constant);
    if (k < 0) break;
    rows.unshift({ node: n, local: r.local[id][k] });
    id = n.inputs[k];
  }
  let product = 1;
  for (let k = rows.length - 1; k >= 0; k--) product *= rows[k].local; // output to input, as backward
  return { rows, product };
}
