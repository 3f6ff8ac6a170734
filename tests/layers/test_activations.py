"""Tests for backprop_book.layers.activations: Relu and Sigmoid against numerical gradients."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.layers import Relu, Sigmoid
from backprop_book.layers.gradient_check import check_layer

# Entries are 0 or at least 1e-3 in size: a gradient far below the rounding error of the central
# difference (eps * |f| / h, about 1e-12 here) cannot be resolved numerically (e.g. W = 1e-111).
values = st.floats(-5, 5, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
batch_shapes = st.tuples(st.integers(1, 4), st.integers(1, 5))  # batch size 1 included


# ---- gradients match numerical gradients (float64, relative error < 1e-7) ----


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, batch_shapes, elements=values))
def test_relu_gradient(x):
    assume(np.all(np.abs(x) > 1e-3))  # keep away from the kink at 0 (h = 1e-4)
    assert check_layer(Relu(), x)["x"] < 1e-7


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, batch_shapes, elements=values))
def test_sigmoid_gradient(x):
    assert check_layer(Sigmoid(), x)["x"] < 1e-7


# ---- the book's semantics, checked by hand ----


def test_relu_and_sigmoid_values():
    relu = Relu()
    np.testing.assert_array_equal(relu.forward(np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 2]])
    np.testing.assert_array_equal(relu.backward(np.array([[3.0, 3.0, 3.0]])), [[0, 0, 3]])
    sig = Sigmoid()
    y = sig.forward(np.array([math.log(3.0)]))  # 1 / (1 + 1/3) = 3/4
    np.testing.assert_allclose(y, [0.75])
    np.testing.assert_allclose(sig.backward(np.array([1.0])), [0.75 * 0.25])


def test_lists_are_accepted_as_x_and_dout():
    relu, sig = Relu(), Sigmoid()
    np.testing.assert_array_equal(relu.forward([-1.0, 2.0]), [0.0, 2.0])
    np.testing.assert_array_equal(relu.backward([4.0, 4.0]), [0.0, 4.0])
    sig.forward([0.0])
    np.testing.assert_allclose(sig.backward([1.0]), [0.25])


# ---- no mutation, no stale cache, dtypes ----


@pytest.mark.parametrize("layer", [Relu(), Sigmoid()])
def test_no_layer_modifies_dout_or_inputs(layer):
    rng = np.random.default_rng(1)
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    x_before, dout_before = x.copy(), dout.copy()
    layer.forward(x)
    dx = layer.backward(dout)
    dx += 1.0  # the caller owns dx: changing it must not reach the layer's inputs
    np.testing.assert_array_equal(dout, dout_before)
    np.testing.assert_array_equal(x, x_before)


@pytest.mark.parametrize("layer", [Relu(), Sigmoid()])
def test_failed_forward_leaves_no_stale_cache(layer):
    layer.forward(np.ones((1, 3)))
    with pytest.raises(TypeError, match="must be a numeric array"):
        layer.forward(np.array(["a"]))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((1, 3)))


@pytest.mark.parametrize("layer", [Relu(), Sigmoid()])
def test_float32_stays_float32(layer):
    x = np.ones((2, 3), dtype=np.float32)
    assert layer.forward(x).dtype == np.float32
    assert layer.backward(x).dtype == np.float32


# ---- bad input: clear errors ----


@pytest.mark.parametrize("layer", [Relu(), Sigmoid()])
def test_backward_before_forward_raises(layer):
    with pytest.raises(RuntimeError, match=rf"{type(layer).__name__}.backward was called before"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize("layer", [Relu(), Sigmoid(name="Sigmoid2")])
def test_dout_mismatch_names_the_layer_and_both_shapes(layer):
    layer.forward(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=rf"{layer.name}.backward: dout has shape \(3, 2\).*\(2, 3\)"
    ):
        layer.backward(np.ones((3, 2)))
