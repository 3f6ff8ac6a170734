"""backprop_book.backward_checks: every layer's backward refuses what its forward did not make."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.numpy import array_shapes, arrays

from backprop_book.backward_checks import backward_inputs, dout_like, not_ready


def test_not_ready_is_returned_not_raised():
    error = not_ready("Relu")
    assert isinstance(error, RuntimeError)
    assert str(error) == "Relu.backward was called before forward: call forward first"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=3)))
def test_dout_like_accepts_the_output_shape(dout):
    out = dout_like("Relu", dout, dout.shape)
    assert out is dout


def test_dout_like_keeps_python_numbers_and_turns_lists_into_arrays():
    assert dout_like("MulLayer", 1.1, ()) == 1.1
    assert type(dout_like("MulLayer", 1.1, ())) is float
    assert isinstance(dout_like("Relu", [1.0, 2.0], (2,)), np.ndarray)


def test_dout_like_errors():
    with pytest.raises(ValueError) as raised:
        dout_like("Relu", np.ones((3, 2)), (2, 3))
    assert str(raised.value) == (
        "Relu.backward: dout has shape (3, 2) but the forward output had shape (2, 3)"
    )
    with pytest.raises(RuntimeError, match=r"^Relu.backward was called before forward"):
        dout_like("Relu", np.ones(2), None)


@pytest.mark.parametrize(
    ("dout", "what"),
    [
        (np.array([1 + 2j, 0j]), "dtype complex128"),
        (np.array(["1", "2"]), "dtype <U1"),
        (np.array([None, 1.0], dtype=object), "dtype object"),
        (np.array([True, False]), "dtype bool"),
        (True, "bool"),
        (1j, "dtype complex128"),
    ],
)
def test_dout_that_is_not_real_numbers_is_a_type_error_in_every_layer(dout, what):
    shape = np.shape(dout)
    with pytest.raises(TypeError) as raised:
        dout_like("Relu", dout, shape)
    assert str(raised.value) == f"Relu.backward: dout must be real numbers, got {what}"
    cache = np.ones(shape)
    with pytest.raises(TypeError, match=r"^Sigmoid.backward: dout must be real numbers"):
        backward_inputs("Sigmoid", cache, dout)  # the fast path refuses it too


def test_integer_dout_is_still_accepted():
    dout = np.array([1, 2])
    assert backward_inputs("Relu", np.ones(2), dout)[1] is dout
    assert dout_like("MulLayer", 3, ()) == 3


def test_backward_inputs_returns_the_cache_and_dout():
    y = np.array([0.5, 0.25])
    cache, dout = backward_inputs("Sigmoid", y, [1.0, 2.0])
    assert cache is y and isinstance(dout, np.ndarray)
    pair, dout = backward_inputs("MulLayer", (2.0, 3.0), 1.5, ())
    assert pair == (2.0, 3.0) and dout == 1.5
    cache, dout = backward_inputs("ExpLayer", 2.0, 1.0)  # a number's shape is ()
    assert (cache, dout) == (2.0, 1.0)


def test_backward_inputs_errors():
    with pytest.raises(RuntimeError, match=r"^Sigmoid.backward was called before forward"):
        backward_inputs("Sigmoid", None, np.ones(2))
    with pytest.raises(ValueError, match=r"^Sigmoid.backward: dout has shape \(3,\) but"):
        backward_inputs("Sigmoid", np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"the forward output had shape \(4, 2\)$"):
        backward_inputs("Affine", np.ones((4, 3)), np.ones((4, 3)), (4, 2))


def test_a_layer_refuses_a_complex_dout_and_keeps_its_forward():
    from backprop_book.layers import Affine, MulLayer, Relu, Sigmoid

    x = np.array([[1.0, -2.0]])
    for layer, forward in [
        (Relu(), lambda layer: layer.forward(x)),
        (Sigmoid(), lambda layer: layer.forward(x)),
        (Affine(np.ones((2, 3)), np.zeros(3)), lambda layer: layer.forward(x)),
        (MulLayer(), lambda layer: layer.forward(x, x)),
    ]:
        out = forward(layer)
        with pytest.raises(TypeError, match=r"\.backward: dout must be real numbers"):
            layer.backward(np.ones(np.shape(out)) * 1j)
        grads = layer.backward(np.ones(np.shape(out)))  # the cache is still there
        assert np.isrealobj(grads[0] if isinstance(grads, tuple) else grads)
