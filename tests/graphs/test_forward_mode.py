"""Forward mode on a recorded graph agrees with reverse mode, and with the sum over paths."""

from __future__ import annotations

import math
import random

import pytest

from backprop_book.graphs import Value, apple_orange_graph, sigmoid_graph
from backprop_book.graphs.forward_mode import forward_derivative, forward_derivatives, paths

BINARY = ("add", "sub", "mul")
UNARY = ("neg", "exp", "sigmoid")


def random_graph(seed: int) -> tuple[list[Value], Value]:
    """A random expression over three inputs whose values are reused (fan-out) at random."""
    rng = random.Random(seed)
    inputs = [Value(rng.uniform(-1.5, 1.5), name) for name in ("a", "b", "c")]
    pool = list(inputs)
    for _ in range(rng.randint(3, 9)):
        if rng.random() < 0.7:
            u, v, op = rng.choice(pool), rng.choice(pool), rng.choice(BINARY)
            out = {"add": u + v, "sub": u - v, "mul": u * v}[op]
        else:
            u, op = rng.choice(pool), rng.choice(UNARY)
            out = {"neg": -u, "exp": u.exp(), "sigmoid": u.sigmoid()}[op]
        pool.append(out)
    return inputs, pool[-1]


def close(a: float, b: float) -> bool:
    # The two modes add the same products in a different order: rounding of a few ulps of the
    # largest term, far below 1e-9 for these small graphs with values of order 1.
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_forward_mode_equals_reverse_mode_and_the_sum_over_paths(seed):
    inputs, out = random_graph(seed)
    out.backward()
    for x in inputs:
        forward = forward_derivative(out, x) if any(v is x for v in out.topo()) else None
        if forward is None:  # an input the random program never read
            continue
        assert close(forward, x.grad), (seed, x.name)
        assert close(sum(product for _, product in paths(out, x)), x.grad), (seed, x.name)


@pytest.mark.parametrize("seed", range(10))
def test_one_forward_sweep_gives_every_outputs_derivative(seed):
    inputs, out = random_graph(seed)
    a = inputs[0]
    outputs = [out, a * a, a.exp() + out]
    together = forward_derivatives(outputs, a)
    separately = [
        forward_derivative(o, a) if any(v is a for v in o.topo()) else 0.0 for o in outputs
    ]
    assert all(close(p, q) for p, q in zip(together, separately, strict=True))
    assert close(together[1], 2 * a.data)  # d(a²)/da
    assert close(together[2], math.exp(a.data) + together[0])  # d(exp(a) + out)/da


def test_the_books_graphs_in_both_directions():
    for out in (apple_orange_graph(), sigmoid_graph(x=0.7)):
        for v in out.topo():
            if v.op is None and not v.constant:
                assert close(forward_derivative(out, v), v.grad)
                assert close(sum(g for _, g in paths(out, v)), v.grad)


def test_an_intermediate_value_and_an_unrelated_output():
    x, y = Value(2.0, "x"), Value(5.0, "y")
    u = x * y
    f = u * u + y
    f.backward()
    assert forward_derivative(f, u) == pytest.approx(u.grad) == pytest.approx(2 * u.data)
    assert forward_derivatives([f, y * 3], x) == [pytest.approx(x.grad), 0.0]


def test_paths_count_each_edge():
    x = Value(3.0, "x")
    square = x * x
    assert [g for _, g in paths(square, x)] == [3.0, 3.0]  # two edges into ×: x + x = 2x
    assert all(p[0] is x and p[-1] is square for p, _ in paths(square, x))


def test_bad_input_is_named():
    x = Value(1.0, "x")
    with pytest.raises(
        TypeError, match=r"forward_derivatives: wrt must be Value objects, got float"
    ):
        forward_derivative(x * 2, 1.0)
    with pytest.raises(TypeError, match=r"outputs must be Value objects, got int"):
        forward_derivatives([3], x)
    with pytest.raises(ValueError, match=r"outputs must hold at least one Value"):
        forward_derivatives([], x)
    with pytest.raises(ValueError, match=r"paths: wrt \(z\) is not in the graph"):
        paths(x * 2, Value(0.5, "z"))


def test_forward_mode_reads_no_gradient_and_changes_none():
    x, y = Value(1.5, "x"), Value(-2.0, "y")
    f = (x * y).exp() + x
    values = f.topo()
    for v in values:
        v.grad = 7.0  # stale numbers that forward mode must neither read nor change
    assert forward_derivative(f, x) == pytest.approx(y.data * math.exp(x.data * y.data) + 1)
    assert all(v.grad == 7.0 for v in values)
