"""The scalar graph recorder: gradients vs numerical gradients, the layer classes, the notes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_book.graphs import (
    Value,
    add_graph,
    add_mul_graph,
    apple_graph,
    apple_orange_graph,
    fan_out_graph,
    mul_graph,
    sigmoid_graph,
)
from backprop_book.graphs.value import apply
from backprop_book.layers import Sigmoid
from backprop_book.layers.nodes import (
    AddConstLayer,
    AddLayer,
    ExpLayer,
    MulConstLayer,
    MulLayer,
    ReciprocalLayer,
)

# ---------------------------------------------------------------- random expression graphs
# A program is a list of steps (op, i, j): apply op to values number i and j of the pool
# (inputs first, then the results of earlier steps). Reusing a value makes a fan-out.

BINARY = ["add", "sub", "mul", "div"]
UNARY = ["neg", "exp", "reciprocal", "sigmoid"]

# The reference: the same operations on plain floats, written independently of Value.
REFERENCE = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "neg": lambda a: -a,
    "exp": math.exp,
    "reciprocal": lambda a: 1 / a,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
}


def _safe(op: str, a: float, b: float) -> bool:
    """Keep the graph well-conditioned so a central difference is accurate."""
    if op in ("div", "reciprocal"):
        return abs(b if op == "div" else a) >= 0.5
    if op == "exp":
        return abs(a) <= 3
    value = REFERENCE[op](a, b) if op in BINARY else REFERENCE[op](a)
    return abs(value) <= 50


@st.composite
def programs(draw):
    inputs = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4))
    pool = list(inputs)
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(BINARY + UNARY))
        i, j = (draw(st.integers(0, len(pool) - 1)) for _ in range(2))
        if not _safe(op, pool[i], pool[j]):
            op = "add" if _safe("add", pool[i], pool[j]) else "neg"
        steps.append((op, i, j))
        fn = REFERENCE[op]
        pool.append(fn(pool[i], pool[j]) if op in BINARY else fn(pool[i]))
    return inputs, steps


def run_reference(inputs: list[float], steps: list[tuple[str, int, int]]) -> float:
    pool = list(inputs)
    for op, i, j in steps:
        fn = REFERENCE[op]
        pool.append(fn(pool[i], pool[j]) if op in BINARY else fn(pool[i]))
    return pool[-1]


def build(inputs: list[float], steps: list[tuple[str, int, int]]) -> tuple[list[Value], Value]:
    leaves = [Value(x, f"x{k}") for k, x in enumerate(inputs)]
    pool: list[Value] = list(leaves)
    for op, i, j in steps:
        pool.append(apply(op, pool[i], pool[j]) if op in BINARY else apply(op, pool[i]))
    return leaves, pool[-1]


@settings(max_examples=150, deadline=None)
@given(programs())
def test_random_graph_gradients_equal_numerical_gradients(program):
    inputs, steps = program
    leaves, out = build(inputs, steps)
    assert out.data == pytest.approx(run_reference(inputs, steps), rel=1e-12, abs=1e-12)
    out.backward()
    h = 1e-5
    for k, leaf in enumerate(leaves):
        plus, minus = list(inputs), list(inputs)
        plus[k] += h
        minus[k] -= h
        numerical = (run_reference(plus, steps) - run_reference(minus, steps)) / (2 * h)
        assert leaf.grad == pytest.approx(numerical, rel=1e-4, abs=1e-5), (k, steps)


@settings(max_examples=50, deadline=None)
@given(programs())
def test_backward_twice_gives_the_same_gradients(program):
    _leaves, out = build(*program)
    out.backward()
    first = [v.grad for v in out.topo()]
    out.backward()
    assert [v.grad for v in out.topo()] == first
    assert out.grad == 1.0


def test_backward_scales_with_dout():
    x = Value(3.0, "x")
    y = x * 4
    y.backward(2.5)
    assert x.grad == 10.0


# ---------------------------------------------------------------- fan-out: gradients add


def test_a_value_used_twice_adds_its_gradients():
    x = Value(3.0, "x")
    (x * x).backward()  # d(x²)/dx = 2x
    assert x.grad == 6.0


def test_fan_out_graph():
    f = fan_out_graph(x=3.0, y=4.0, z=2.0)  # f = y·x + x·z, so df/dx = y + z
    named = f.named()
    assert f.data == 4.0 * 3.0 + 3.0 * 2.0
    assert named["x"].grad == 4.0 + 2.0
    assert (named["y"].grad, named["z"].grad) == (3.0, 3.0)


def test_intermediate_value_fan_out():
    x = Value(0.5, "x")
    e = x.exp()
    f = e * e + e  # df/de = 2e + 1, de/dx = e
    f.backward()
    assert x.grad == pytest.approx((2 * math.exp(0.5) + 1) * math.exp(0.5))


# ---------------------------------------------------------------- the seed numbers of the notes


def test_apple_graph_numbers_of_the_notes():
    # price = (apple × count) × tax, 220 = (100 × 2) × 1.1; each input's gradient is the
    # product of the other two: 2 × 1.1, 100 × 1.1, 100 × 2.
    price = apple_graph(apple=100, count=2, tax=1.1)
    named = price.named()
    assert price.data == pytest.approx(220)
    assert named["apple"].grad == pytest.approx(2.2)
    assert named["count"].grad == pytest.approx(110)
    assert named["tax"].grad == pytest.approx(200)
    assert named["price"] is price and price.ko == "가격"
    assert (named["apple"].ko, named["count"].ko, named["tax"].ko) == ("사과", "개수", "부가세")


def test_apple_orange_graph_numbers_of_the_notes():
    # 715 = {(100 × 2) + (150 × 3)} × 1.1; d/dapple = 2 × 1.1, d/dapple_count = 100 × 1.1,
    # d/dorange = 3 × 1.1, d/dorange_count = 150 × 1.1, d/dtax = 200 + 450.
    price = apple_orange_graph(apple=100, apple_count=2, orange=150, orange_count=3, tax=1.1)
    g = {name: v.grad for name, v in price.named().items()}
    assert price.data == pytest.approx(715)
    assert g["apple"] == pytest.approx(2.2)
    assert g["apple_count"] == pytest.approx(110)
    assert g["orange"] == pytest.approx(3.3)
    assert g["orange_count"] == pytest.approx(165)
    assert g["tax"] == pytest.approx(650)


def test_small_graphs():
    z = mul_graph(3.0, 5.0)
    assert (z.data, z.named()["x"].grad, z.named()["y"].grad) == (15.0, 5.0, 3.0)  # swapped
    z = add_graph(3.0, 5.0)
    assert (z.data, z.named()["x"].grad, z.named()["y"].grad) == (8.0, 1.0, 1.0)  # passed on
    f = add_mul_graph(-2.0, 5.0, -4.0)  # f = (x + y) z
    assert f.data == -12.0
    assert [f.named()[k].grad for k in "xyzq"] == [-4.0, -4.0, 3.0, -4.0]


def test_builders_without_backward_leave_gradients_zero():
    price = apple_graph(backward=False)
    assert all(v.grad == 0.0 for v in price.topo())


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.0, 2.5])
def test_sigmoid_graph_gradient_is_y_times_one_minus_y(x):
    y_value = sigmoid_graph(x)
    y = 1 / (1 + math.exp(-x))
    assert y_value.data == pytest.approx(y, rel=1e-12)
    assert y_value.named()["x"].grad == pytest.approx(y * (1 - y), rel=1e-12)
    assert [v.op for v in y_value.topo() if v.op] == ["×(−1)", "exp", "+", "1/x"]
    single = Value(x).sigmoid()  # the same function as one node
    assert single.data == pytest.approx(y, rel=1e-12)
    assert single.local_grads[0] == pytest.approx(y * (1 - y), rel=1e-12)


def test_sigmoid_node_is_stable_for_large_inputs():
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


# ---------------------------------------------------------------- agreement with the layer classes


def test_apple_graph_agrees_with_mul_layers():
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(100, 2), 1.1)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dcount = mul_apple.backward(dapple_price)
    g = apple_graph().named()
    assert g["price"].data == pytest.approx(price)
    assert [g[k].grad for k in ("apple", "count", "tax")] == pytest.approx([dapple, dcount, dtax])


def test_apple_orange_graph_agrees_with_mul_and_add_layers():
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    price = mul_tax.forward(add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3)), 1.1)
    dsum, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dsum)
    dapple, dapple_count = mul_apple.backward(dapple_price)
    dorange, dorange_count = mul_orange.backward(dorange_price)
    g = apple_orange_graph().named()
    assert g["price"].data == pytest.approx(price)
    got = [g[k].grad for k in ("apple", "apple_count", "orange", "orange_count", "tax")]
    assert got == pytest.approx([dapple, dapple_count, dorange, dorange_count, dtax])


@pytest.mark.parametrize("x", [-2.0, 0.3, 1.0])
def test_sigmoid_graph_agrees_with_node_layers_and_sigmoid_layer(x):
    nodes = [MulConstLayer(-1), ExpLayer(), AddConstLayer(1), ReciprocalLayer()]
    out = x
    for node in nodes:
        out = node.forward(out)
    dx = 1.0
    for node in reversed(nodes):
        dx = node.backward(dx)
    layer = Sigmoid()
    y_layer = layer.forward(np.array([x]))
    dx_layer = layer.backward(np.array([1.0]))
    graph = sigmoid_graph(x)
    assert graph.data == pytest.approx(out) == pytest.approx(y_layer[0])
    assert graph.named()["x"].grad == pytest.approx(dx) == pytest.approx(dx_layer[0])


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_input_is_a_value_error(bad):
    with pytest.raises(ValueError, match="Value: the input must be a finite number, got"):
        Value(bad)


@pytest.mark.parametrize("bad", ["3", None, [1.0], True, 1 + 2j])
def test_non_numeric_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="Value: the input must be a real number or a Value, got"):
        Value(bad)


def test_numpy_scalars_are_accepted():
    assert Value(np.float64(2.5)).data == 2.5
    assert (Value(2.0) * np.int64(3)).data == 6.0


@pytest.mark.parametrize(
    ("make", "op"),
    [
        (lambda: Value(1000.0).exp(), "exp"),
        (lambda: Value(0.0).reciprocal(), "1/x"),
        (lambda: Value(1.0) / 0, "1/x"),
        (lambda: 1 / Value(0.0), "1/x"),
        (lambda: Value(1e308) * 10, "×"),
        (lambda: Value(1e308) + 1e308, r"\+"),
        (lambda: Value(-1e308) - 1e308, "−"),
        (lambda: Value(1e-200).reciprocal(), "1/x"),  # 1e200 is fine, its gradient −1e400 is not
    ],
)
def test_an_operation_that_overflows_names_itself(make, op):
    with pytest.raises(ValueError, match=f"^{op}:"):
        make()


def test_gradient_overflow_in_backward_is_a_value_error():
    x = Value(1e-300, "x")
    y = (x * 1e300) * 1e300  # values stay finite, but dy/dx = 1e600
    with pytest.raises(ValueError, match="backward through ×"):
        y.backward()


def test_non_finite_dout_is_a_value_error():
    with pytest.raises(ValueError, match="backward"):
        Value(1.0).backward(float("nan"))


@pytest.mark.parametrize(
    ("make", "op"),
    [
        (lambda: Value(2.0) * "a", "×"),
        (lambda: "a" + Value(2.0), r"\+"),
        (lambda: Value(2.0) - None, "−"),
        (lambda: Value(2.0) / [1], "/"),
    ],
)
def test_non_numeric_operand_is_a_type_error(make, op):
    with pytest.raises(TypeError, match=f"^{op}: the input must be a real number or a Value, got"):
        make()


def test_unknown_operation_is_a_value_error_and_a_wrong_operand_a_type_error():
    with pytest.raises(ValueError, match=r"^apply: unknown operation 'pow'; choose one of add, "):
        apply("pow", Value(2.0), 3)
    with pytest.raises(TypeError, match=r"^apply: add takes 2 operand"):
        apply("add", Value(2.0))
    with pytest.raises(
        TypeError, match=r"^exp: the input must be a real number or a Value, got 'x'"
    ):
        apply("exp", "x")


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(1.0, "x")
    y = x
    for _ in range(5000):
        y = y + 0.0
    y.backward()
    assert x.grad == 1.0
