"""Tests for backprop_book.layers.gradient_check: numerical gradients and the checkers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from backprop_book.layers import Relu
from backprop_book.layers.gradient_check import (
    check_layer,
    default_step,
    gradient_check,
    gradient_errors,
    numerical_gradient,
    relative_error,
)
from backprop_book.training.two_layer_net import TwoLayerNet


@settings(max_examples=30, deadline=None)
@given(
    arrays(
        np.float64,
        array_shapes(min_dims=0, max_dims=4, max_side=3),
        elements=st.floats(-3, 3, allow_nan=False),
    )
)
def test_numerical_gradient_of_a_cubic_any_shape(x):
    # f = Σ x³ has gradient 3x² (by hand); central differences are off by h² exactly: f''' = 6.
    before = x.copy()
    grad = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert grad.shape == x.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, 3 * before**2 + 1e-8, atol=1e-6)
    np.testing.assert_array_equal(x, before)  # x restored exactly


def test_numerical_gradient_float32_uses_a_larger_step():
    x = np.array([0.3, -1.7, 2.5], dtype=np.float32)
    grad = numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, np.cos(x.astype(np.float64)), rtol=1e-3)
    assert default_step(np.float32) > 1e-3 and default_step(np.float64) == 1e-4


def test_numerical_gradient_rejects_integers_and_lists():
    with pytest.raises(TypeError, match=r"x must be a floating-point numpy array.*int64"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="got list"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([3.0, 4.0]), np.array([3.0, 4.0])) == 0.0
    # ||(1, 0)|| / (||(3, 4)|| + ||(2, 4)||) = 1 / (5 + sqrt(20))
    assert relative_error(np.array([3.0, 4.0]), np.array([2.0, 4.0])) == pytest.approx(
        1 / (5 + 20**0.5)
    )
    with pytest.raises(ValueError, match=r"shapes differ, \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


class _WrongRelu(Relu):
    """A ReLU whose backward forgets the mask: the checker must catch it."""

    def backward(self, dout):
        super().backward(dout)
        return np.asarray(dout).copy()


def test_check_layer_catches_a_wrong_backward():
    x = np.array([[-1.0, 2.0, -3.0]])
    assert check_layer(Relu(), x)["x"] < 1e-7
    assert check_layer(_WrongRelu(), x)["x"] > 0.1


def test_check_layer_does_not_touch_the_callers_input():
    x = np.array([[1.0, -2.0]])
    check_layer(Relu(), x)
    np.testing.assert_array_equal(x, [[1.0, -2.0]])


def test_gradient_check_of_network_and_a_broken_network():
    net = TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=2)
    x = np.random.default_rng(0).standard_normal((3, 5))
    t = np.array([0, 2, 1])
    errors = gradient_errors(net, x, t)
    assert list(errors) == ["W1", "b1", "W2", "b2"]
    assert gradient_check(net, x, t) == max(errors.values()) < 1e-7

    class Broken(TwoLayerNet):
        def gradient(self, x, t):
            grads = super().gradient(x, t)
            return {**grads, "b2": 2 * grads["b2"]}

    broken = Broken(5, 4, 3, weight_init_std=1.0, seed=2)
    errors = gradient_errors(broken, x, t)
    assert errors["b2"] > 0.1 and errors["W1"] < 1e-7


def test_gradient_check_of_a_layer():
    from backprop_book.layers import Affine, SoftmaxWithLoss

    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4))
    assert gradient_check(Affine(rng.standard_normal((4, 2)), np.zeros(2)), x) < 1e-7
    assert gradient_check(SoftmaxWithLoss(), x, np.array([0, 3, 1])) < 1e-7
    assert gradient_check(_WrongRelu(), np.array([[-1.0, 2.0]])) > 0.1
    with pytest.raises(TypeError, match=r"a network needs \(x, t\), got 1 input"):
        gradient_check(TwoLayerNet(2, 2, 2, seed=0), x)
