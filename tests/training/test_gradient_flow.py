"""Tests for backprop_book.training.gradient_flow: the deep stack's gradients and their size."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book.layers import Relu, Sigmoid
from backprop_book.layers.gradient_check import check_layer, numerical_gradient, relative_error
from backprop_book.training.gradient_flow import (
    DeepStack,
    FlowStats,
    MaxGate,
    measure_gradient_flow,
)
from backprop_book.training.initializers import weight_std

# ---- the backward pass is the gradient: every W, b and the input, against central differences


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
@pytest.mark.parametrize("widths", [[3, 4], [4, 5, 3], [3, 6, 5, 4, 2]])
def test_backward_matches_numerical_gradient(activation, widths):
    rng = np.random.default_rng(len(widths))
    stack = DeepStack(widths, activation, "he", rng=rng)
    for affine in stack.affines:  # non-zero biases, so that b's gradient is tested too
        affine.b[...] = rng.normal(0.0, 0.5, size=affine.b.shape)
    x = rng.standard_normal((5, widths[0]))
    dout = rng.standard_normal((5, widths[-1]))

    def loss(_: np.ndarray) -> float:  # L = Σ h_L ⊙ dout, so dL/dh_L = dout
        return float(np.sum(stack.forward(x) * dout))

    stack.forward(x)
    dx = stack.backward(dout)
    analytic = {"x": dx}
    for k, affine in enumerate(stack.affines, 1):
        analytic[f"W{k}"], analytic[f"b{k}"] = affine.dW, affine.db
    numeric = {"x": numerical_gradient(loss, x)}
    for k, affine in enumerate(stack.affines, 1):
        numeric[f"W{k}"] = numerical_gradient(loss, affine.W)
        numeric[f"b{k}"] = numerical_gradient(loss, affine.b)
    # central differences in float64 agree to ~1e-9 on smooth functions; a ReLU kink within
    # h = 1e-4 of a pre-activation would break it, and these seeds put none there
    errors = {name: relative_error(analytic[name], numeric[name]) for name in analytic}
    assert max(errors.values()) < 1e-7, errors


def test_forward_and_backward_keep_every_layer():
    stack = DeepStack([3, 4, 5, 2], "sigmoid", "xavier", rng=0)
    x = np.random.default_rng(1).standard_normal((6, 3))
    dout = np.ones((6, 2))
    out = stack.forward(x)
    assert [h.shape for h in stack.h] == [(6, 3), (6, 4), (6, 5), (6, 2)]
    assert np.array_equal(stack.h[0], x)
    assert np.array_equal(stack.h[-1], out)
    dx = stack.backward(dout)
    assert [d.shape for d in stack.dh] == [(6, 3), (6, 4), (6, 5), (6, 2)]
    assert stack.dh[0] is dx and np.array_equal(stack.dh[-1], dout)
    assert [layer.name for layer in stack.layers] == [
        "Affine1",
        "Sigmoid1",
        "Affine2",
        "Sigmoid2",
        "Affine3",
        "Sigmoid3",
    ]
    assert all(np.array_equal(a.b, np.zeros(a.W.shape[1])) for a in stack.affines)


def test_dout_is_not_modified():
    stack = DeepStack([3, 4], rng=0)
    stack.forward(np.ones((2, 3)))
    dout = np.ones((2, 4))
    stack.backward(dout)
    assert np.array_equal(dout, np.ones((2, 4)))


# ---- how the gradient's size changes with depth -------------------------------------------

DEPTH, WIDTH = 8, 100


def _flow(activation: str, method: str, std: float = 0.01, n: int = 500) -> FlowStats:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, WIDTH))
    dout = rng.standard_normal((n, WIDTH)) / n
    stack = DeepStack([WIDTH] * (DEPTH + 1), activation, method, std=std, rng=0)
    return measure_gradient_flow(stack, x, dout)


@pytest.mark.parametrize("method", ["std", "xavier", "he"])
def test_sigmoid_gradients_shrink_towards_the_input(method):
    norms = _flow("sigmoid", method).dW_norm
    # sigmoid' <= 1/4: each layer down multiplies Var(dh) by at most fan_out·σ²/16 (<= 1/8 for
    # He), so the norms fall by a factor of about 2 or more per layer, far from equality
    assert np.all(norms[:-1] < norms[1:]), norms
    assert norms[0] < 1e-2 * norms[-1]


def test_relu_stacks_are_rescaled_copies():
    # zero biases and the same seed: W = σ·Z with the same Z, ReLU(c·a) = c·ReLU(a) for c > 0,
    # so h_l scales as σ^l and dh_l as σ^(L-l): every dW_l as σ^(L-1). Only rounding differs.
    he = _flow("relu", "he")
    sigma_he = weight_std("he", WIDTH)
    for std in (0.01, 1.0):
        flow = _flow("relu", "std", std)
        expected = he.dW_norm * (std / sigma_he) ** (DEPTH - 1)
        np.testing.assert_allclose(flow.dW_norm, expected, rtol=1e-9)


def test_relu_small_weights_vanish_large_explode_he_steady():
    small, he, large = _flow("relu", "std", 0.01), _flow("relu", "he"), _flow("relu", "std", 1.0)
    assert small.dW_norm.max() < 1e-6 * he.dW_norm.min()
    assert large.dW_norm.min() > 1e5 * he.dW_norm.max()
    assert he.dW_norm.max() < 1.5 * he.dW_norm.min()
    assert small.dh_var[0] < 1e-15 * small.dh_var[-1] and large.dh_var[0] > 1e10 * large.dh_var[-1]
    assert 0.5 < he.dh_var[0] / he.dh_var[-1] < 2


@pytest.mark.parametrize(("fan_in", "fan_out"), [(100, 100), (100, 400), (400, 100)])
def test_relu_backward_variance_is_fan_out_sigma2_over_2(fan_in, fan_out):
    # one wide layer, many samples: the measured gain is within a few % of the expectation
    rng = np.random.default_rng(2)
    stack = DeepStack([fan_in, fan_out], "relu", "he", rng=3)
    flow = measure_gradient_flow(
        stack, rng.standard_normal((4000, fan_in)), rng.standard_normal((4000, fan_out))
    )
    sigma2 = weight_std("he", fan_in) ** 2
    assert flow.backward_ratios()[0] == pytest.approx(fan_out * sigma2 / 2, rel=0.1)
    assert flow.forward_ratios()[0] == pytest.approx(fan_in * sigma2 / 2, rel=0.1)


def test_a_dead_unit_gets_exactly_zero_gradient():
    stack = DeepStack([10, 20, 5], "relu", "he", rng=0)
    stack.affines[0].b[3] = -100.0  # every input of unit 3 of layer 1 is negative
    x = np.random.default_rng(1).standard_normal((50, 10))
    stack.forward(x)
    stack.backward(np.random.default_rng(2).standard_normal((50, 5)))
    dW, db = stack.affines[0].dW, stack.affines[0].db
    assert np.all(dW[:, 3] == 0.0) and db[3] == 0.0  # exact: products with an exact 0
    assert np.abs(np.delete(dW, 3, axis=1)).min(axis=0).max() > 0  # the others learn


def test_flow_stats_ratios():
    stats = FlowStats(np.ones(2), np.array([1.0, 4.0, 2.0]), np.array([3.0, 6.0, 1.5]))
    np.testing.assert_array_equal(stats.forward_ratios(), [4.0, 0.5])
    np.testing.assert_array_equal(stats.backward_ratios(), [0.5, 4.0])


# ---- the max gate ---------------------------------------------------------------------------


def test_max_gate_routes_the_gradient():
    gate = MaxGate()
    out = gate.forward(np.array([1.0, 5.0, 2.0]), np.array([3.0, 4.0, 2.0]))
    np.testing.assert_array_equal(out, [3.0, 5.0, 2.0])
    dx, dy = gate.backward(np.array([7.0, 8.0, 9.0]))
    np.testing.assert_array_equal(dx, [0.0, 8.0, 0.0])  # a tie goes to y
    np.testing.assert_array_equal(dy, [7.0, 0.0, 9.0])


def test_relu_is_the_max_gate_with_zero():
    x = np.random.default_rng(0).standard_normal((4, 5))
    x[0, 0] = 0.0
    dout = np.random.default_rng(1).standard_normal((4, 5))
    gate, relu = MaxGate(), Relu()
    np.testing.assert_array_equal(gate.forward(x, np.zeros_like(x)), relu.forward(x))
    np.testing.assert_array_equal(gate.backward(dout)[0], relu.backward(dout))  # selection: exact


def test_max_gate_gradient_check():
    rng = np.random.default_rng(0)
    errors = check_layer(MaxGate(), rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))
    assert set(errors) == {"x", "y"} and max(errors.values()) < 1e-7


# ---- errors name the argument, the shape and the layer --------------------------------------


@pytest.mark.parametrize(
    ("widths", "error", "message"),
    [
        ([3], ValueError, "DeepStack: widths needs at least 2 sizes"),
        ([3, 0], ValueError, "DeepStack: widths must be a positive integer, got 0"),
        ([3, 2.0], TypeError, "DeepStack: widths must be a positive integer"),
    ],
)
def test_bad_widths(widths, error, message):
    with pytest.raises(error, match=message):
        DeepStack(widths)


def test_bad_names():
    with pytest.raises(ValueError, match="unknown activation 'tanh'; choose one of relu, sigmoid"):
        DeepStack([2, 2], "tanh")
    with pytest.raises(ValueError, match="unknown method 'lecun'"):
        DeepStack([2, 2], "relu", "lecun")


def test_bad_shapes_name_the_layer():
    stack = DeepStack([3, 4, 2], rng=0)
    with pytest.raises(RuntimeError, match=r"DeepStack\.backward was called before forward"):
        stack.backward(np.ones((1, 2)))
    with pytest.raises(ValueError, match="Affine1: input of shape"):
        stack.forward(np.ones((5, 4)))
    with pytest.raises(ValueError, match="DeepStack: x must be an array with at least 2 axes"):
        stack.forward(np.ones(3))
    stack.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"Relu2.backward: dout has shape \(5, 3\)"):
        stack.backward(np.ones((5, 3)))


def test_max_gate_errors():
    gate = MaxGate()
    with pytest.raises(RuntimeError, match=r"MaxGate\.backward was called before forward"):
        gate.backward(np.ones(2))
    with pytest.raises(ValueError, match=r"MaxGate: x has shape \(2,\) but y has shape \(3,\)"):
        gate.forward(np.ones(2), np.ones(3))
    with pytest.raises(TypeError, match="MaxGate: y must be a numeric array"):
        gate.forward(np.ones(2), np.array(["a", "b"]))


def test_layers_are_the_book_layers():
    stack = DeepStack([2, 3, 3], "sigmoid", rng=0)
    assert all(isinstance(a, Sigmoid) for a in stack.activations)
