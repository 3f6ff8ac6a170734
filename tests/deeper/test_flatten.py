"""Tests for backprop_book.deeper.flatten: a reshape and its reverse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_book.deeper.flatten import Flatten
from backprop_book.deeper.im2col import im2col
from backprop_book.layers.gradient_check import check_layer


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4), st.integers(0, 2**32 - 1))
def test_round_trip_and_gradient(shape, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    flat = Flatten()
    out = flat.forward(x)
    assert out.shape == (shape[0], int(np.prod(shape[1:])))
    np.testing.assert_array_equal(out.ravel(), x.ravel())  # no value moves or changes
    np.testing.assert_array_equal(flat.backward(out), x)
    assert check_layer(Flatten(), x)["x"] < 1e-7


def test_outputs_are_new_arrays():
    x = np.zeros((2, 1, 2, 2))
    flat = Flatten()
    out = flat.forward(x)
    out += 1
    np.testing.assert_array_equal(x, 0)
    dout = np.zeros((2, 4))
    dx = flat.backward(dout)
    dx += 1
    np.testing.assert_array_equal(dout, 0)


def test_errors():
    flat = Flatten()
    with pytest.raises(RuntimeError, match=r"Flatten\.backward was called before forward"):
        flat.backward(np.ones((2, 4)))
    with pytest.raises(ValueError, match="Flatten: x must be an array with at least 2 axes"):
        flat.forward(np.ones(3))
    flat.forward(np.ones((2, 1, 2, 2)))
    with pytest.raises(
        ValueError,
        match=r"Flatten\.backward: dout has shape \(2, 3\) but the "
        r"forward output had shape \(2, 4\)",
    ):
        flat.backward(np.ones((2, 3)))


def test_an_empty_batch_flattens_and_im2col_gives_no_rows():
    """N = 0 is a batch like any other: the widths are named, never left to ``-1``."""
    x = np.zeros((0, 2, 3, 3))
    assert Flatten().forward(x).shape == (0, 18)
    assert im2col(x, 2, 2, stride=1, pad=0).shape == (0, 8)
