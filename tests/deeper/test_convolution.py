"""Tests for backprop_book.deeper.convolution: gradients, a loop convolution, shapes and errors."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop_book.deeper.convolution import Convolution
from backprop_book.layers.gradient_check import check_layer, numerical_gradient, relative_error


@st.composite
def convolutions(draw):
    """(x shape, W shape, stride, pad) with whole, positive output sizes, small enough to check."""
    n, c, fn = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    fh, fw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    oh, ow = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = (oh - 1) * stride + fh - 2 * pad, (ow - 1) * stride + fw - 2 * pad
    assume(h >= 1 and w >= 1)
    return (n, c, h, w), (fn, c, fh, fw), stride, pad


def convolve_by_loops(x, W, b, stride, pad):
    """The formula, one term at a time.

    out[n, f, i, j] = Σ_c,p,q x_pad[n, c, iS+p, jS+q] · W[f, c, p, q] + b[f]
    """
    n_images, _, h, w = x.shape
    fn, c, fh, fw = W.shape
    x_pad = np.zeros((n_images, c, h + 2 * pad, w + 2 * pad))
    x_pad[:, :, pad : pad + h, pad : pad + w] = x
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    out = np.zeros((n_images, fn, oh, ow))
    for n in range(n_images):
        for f in range(fn):
            for i in range(oh):
                for j in range(ow):
                    total = b[f]
                    for ch in range(c):
                        for p in range(fh):
                            for q in range(fw):
                                total += (
                                    x_pad[n, ch, i * stride + p, j * stride + q] * W[f, ch, p, q]
                                )
                    out[n, f, i, j] = total
    return out


@settings(max_examples=40, deadline=None)
@given(convolutions(), st.integers(0, 2**32 - 1))
def test_agrees_with_the_loop_convolution(geometry, seed):
    x_shape, w_shape, stride, pad = geometry
    rng = np.random.default_rng(seed)
    x, W, b = (
        rng.standard_normal(x_shape),
        rng.standard_normal(w_shape),
        rng.standard_normal(w_shape[0]),
    )
    out = Convolution(W, b, stride, pad).forward(x)
    expected = convolve_by_loops(x, W, b, stride, pad)
    assert out.shape == expected.shape
    # the same at most 3·3·3 + 1 products of standard normals, added in another order (BLAS):
    # the difference is a few ulps of the largest partial sum, far below 1e-12 · 30
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12 * 30)


@settings(max_examples=40, deadline=None)
@given(convolutions(), st.integers(0, 2**32 - 1))
def test_gradients_match_numerical_gradients(geometry, seed):
    x_shape, w_shape, stride, pad = geometry
    rng = np.random.default_rng(seed)
    layer = Convolution(rng.standard_normal(w_shape), rng.standard_normal(w_shape[0]), stride, pad)
    errors = check_layer(layer, rng.standard_normal(x_shape), seed=seed % 1000)
    assert set(errors) == {"x", "W", "b"}
    # central differences of a function that is linear in each variable: only rounding is
    # left, about eps·|f|/h ≈ 1e-12 relative; 1e-7 is the book's threshold for a correct backward
    assert max(errors.values()) < 1e-7


def test_a_cell_in_no_patch_gets_no_gradient():
    # 5×5 image, 2×2 filter, stride 3: patches at rows and columns 0-1 and 3-4, none over the middle
    layer = Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), stride=3)
    layer.forward(np.ones((1, 1, 5, 5)))
    dx = layer.backward(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(dx[0, 0, 2], 0)  # row 2 is in no patch
    np.testing.assert_array_equal(dx[0, 0, :, 2], 0)  # nor is column 2
    assert dx.sum() == 16  # 4 patches of 4 cells, each gradient 1: exact small integers


def test_backward_is_affine_backward_then_col2im():
    rng = np.random.default_rng(3)
    W, b = rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)
    layer = Convolution(W, b, pad=1)
    x = rng.standard_normal((2, 3, 4, 4))
    out = layer.forward(x)
    assert out.shape == (2, 2, 4, 4)  # pad 1 keeps a 3×3 convolution's size
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    # db is dout summed over the batch and the positions; dW against numerical gradients
    np.testing.assert_allclose(layer.db, dout.sum(axis=(0, 2, 3)), rtol=1e-12)

    def f(_):
        return float(np.sum(layer.forward(x) * dout))

    assert relative_error(layer.dW, numerical_gradient(f, W)) < 1e-8
    assert relative_error(dx, numerical_gradient(f, x)) < 1e-8


def test_parameters_are_kept_by_reference():
    W, b = np.ones((1, 1, 2, 2)), np.zeros(1)
    layer = Convolution(W, b)
    x = np.ones((1, 1, 2, 2))
    assert layer.forward(x).item() == 4.0
    W -= 0.5  # an optimizer's in-place update
    b += 1.0
    assert layer.forward(x).item() == 3.0  # 4 · 0.5 + 1, exact in binary


def test_no_input_or_dout_is_modified_and_float32_stays():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 1, 4, 4)).astype(np.float32)
    W = rng.standard_normal((3, 1, 2, 2)).astype(np.float32)
    layer = Convolution(W, np.zeros(3, dtype=np.float32), stride=2)
    x_before = x.copy()
    out = layer.forward(x)
    assert out.dtype == np.float32
    dout = np.ones(out.shape, dtype=np.float32)
    dx = layer.backward(dout)
    assert dx.dtype == layer.dW.dtype == layer.db.dtype == np.float32
    dx += 1.0
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, 1.0)


def test_shape_errors_name_the_layer_and_shapes():
    layer = Convolution(np.ones((4, 3, 3, 3)), np.zeros(4), name="conv1")
    with pytest.raises(
        ValueError,
        match=r"conv1: x has shape \(2, 1, 5, 5\) \(1 channels\) but W "
        r"has shape \(4, 3, 3, 3\) \(3 channels\); x must be \(N, 3, H, W\)",
    ):
        layer.forward(np.ones((2, 1, 5, 5)))
    with pytest.raises(
        ValueError, match=r"conv1: x must have shape \(N, C, H, W\), got \(3, 5, 5\)"
    ):
        layer.forward(np.ones((3, 5, 5)))
    with pytest.raises(ValueError, match=r"conv1: the output height .* is not positive"):
        layer.forward(np.ones((1, 3, 2, 5)))
    with pytest.raises(ValueError, match=r"Convolution: the output width .* not a whole number"):
        Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), stride=2).forward(np.ones((1, 1, 4, 5)))
    with pytest.raises(
        ValueError,
        match=r"Convolution: b has shape \(3,\) but W has shape "
        r"\(4, 3, 3, 3\); b must have shape \(4,\)",
    ):
        Convolution(np.ones((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"Convolution: W must be a 4-D array \(FN, C, FH, FW\)"):
        Convolution(np.ones((4, 3)), np.zeros(3))
    with pytest.raises(TypeError, match="Convolution: W must be floating point"):
        Convolution(np.ones((1, 1, 2, 2), dtype=int), np.zeros(1))
    with pytest.raises(ValueError, match="Convolution: stride must be a positive integer, got 0"):
        Convolution(np.ones((1, 1, 2, 2)), np.zeros(1), stride=0)
    layer.forward(np.ones((2, 3, 5, 5)))
    with pytest.raises(
        ValueError,
        match=r"conv1.backward: dout has shape \(2, 4, 2, 2\) but the "
        r"forward output had shape \(2, 4, 3, 3\)",
    ):
        layer.backward(np.ones((2, 4, 2, 2)))


def test_backward_before_forward_and_after_a_failed_forward():
    layer = Convolution(np.ones((1, 1, 2, 2)), np.zeros(1))
    with pytest.raises(RuntimeError, match=r"Convolution\.backward was called before forward"):
        layer.backward(np.ones((1, 1, 1, 1)))
    layer.forward(np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError):
        layer.forward(np.ones((1, 2, 2, 2)))  # wrong channels: the old cache is gone
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((1, 1, 1, 1)))
