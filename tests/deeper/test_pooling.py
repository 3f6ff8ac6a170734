"""Tests for backprop_book.deeper.pooling: MaxPooling as a router, gradients, ties, errors."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop_book.deeper.pooling import MaxPooling
from backprop_book.layers.gradient_check import check_layer


@st.composite
def poolings(draw):
    """(x shape, pool_h, pool_w, stride, pad) with whole, positive output sizes."""
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    pad = draw(st.integers(0, min(ph, pw) - 1))
    oh, ow = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = (oh - 1) * stride + ph - 2 * pad, (ow - 1) * stride + pw - 2 * pad
    assume(h >= 1 and w >= 1)
    return (n, c, h, w), ph, pw, stride, pad


def distinct_values(shape, seed):
    """Values 0.01 apart in a random order: no ties, and no step h = 1e-4 changes a winner."""
    size = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(size) * 0.01 - 0.005 * size).reshape(shape)


def pool_by_loops(x, ph, pw, stride, pad):
    """The max of every window and the (row, column) of its first maximum, read cell by cell."""
    n_images, c, h, w = x.shape
    oh, ow = (h + 2 * pad - ph) // stride + 1, (w + 2 * pad - pw) // stride + 1
    out, winners = np.zeros((n_images, c, oh, ow)), {}
    for n in range(n_images):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    best = None
                    for p in range(ph):
                        for q in range(pw):
                            r, s = i * stride + p - pad, j * stride + q - pad
                            inside = 0 <= r < h and 0 <= s < w
                            if inside and (
                                best is None or x[n, ch, r, s] > x[n, ch, best[0], best[1]]
                            ):
                                best = (r, s)  # strictly larger: a tie keeps the first
                    out[n, ch, i, j] = x[n, ch, best[0], best[1]]
                    winners[n, ch, i, j] = best
    return out, winners


@settings(max_examples=50, deadline=None)
@given(poolings(), st.integers(0, 2**32 - 1))
def test_forward_and_backward_agree_with_loops(geometry, seed):
    shape, ph, pw, stride, pad = geometry
    x = np.random.default_rng(seed).integers(-3, 3, size=shape).astype(float)  # many ties
    pool = MaxPooling(ph, pw, stride, pad)
    out = pool.forward(x)
    expected, winners = pool_by_loops(x, ph, pw, stride, pad)
    np.testing.assert_array_equal(out, expected)  # a max copies a value: exact
    dout = np.random.default_rng(seed + 1).integers(1, 5, size=out.shape).astype(float)
    dx = pool.backward(dout)
    routed = np.zeros(shape)
    for (n, ch, i, j), (r, s) in winners.items():
        routed[n, ch, r, s] += dout[n, ch, i, j]  # each window's gradient to its first winner
    np.testing.assert_array_equal(dx, routed)  # sums of small integers: exact


@settings(max_examples=50, deadline=None)
@given(poolings(), st.integers(0, 2**32 - 1))
def test_gradients_match_numerical_gradients(geometry, seed):
    shape, ph, pw, stride, pad = geometry
    errors = check_layer(MaxPooling(ph, pw, stride, pad), distinct_values(shape, seed), seed=1)
    assert set(errors) == {"x"}
    # with no winner changing under the step, the max is linear around x: only rounding remains
    assert errors["x"] < 1e-7


def test_gradient_goes_to_the_winner_only():
    x = np.array([[[[1.0, 3.0], [4.0, 2.0]]]])
    pool = MaxPooling(2, 2)
    assert pool.forward(x).item() == 4.0
    np.testing.assert_array_equal(pool.backward(np.array([[[[7.0]]]])), [[[[0, 0], [7, 0]]]])


def test_a_tie_goes_to_the_first_maximum():
    x = np.array([[[[5.0, 1.0], [5.0, 5.0]]]])  # three inputs share the maximum
    pool = MaxPooling(2, 2)
    pool.forward(x)
    np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1))), [[[[1, 0], [0, 0]]]])


def test_overlapping_windows_add_up_at_a_shared_winner():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 9.0  # the centre wins all four 2×2 windows (stride 1)
    pool = MaxPooling(2, 2, stride=1)
    np.testing.assert_array_equal(pool.forward(x), np.full((1, 1, 2, 2), 9.0))
    dx = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    assert dx[0, 0, 1, 1] == 10.0 and dx.sum() == 10.0


def test_padding_never_wins():
    x = -np.arange(1.0, 5.0).reshape(1, 1, 2, 2)  # all negative: zero padding would win
    pool = MaxPooling(2, 2, stride=1, pad=1)
    out = pool.forward(x)
    assert out.shape == (1, 1, 3, 3)
    assert out.max() == -1.0 and np.isfinite(out).all()
    dx = pool.backward(np.ones(out.shape))
    assert dx.shape == x.shape and dx.sum() == 9.0  # all nine windows' gradients reach x


def test_default_stride_is_the_window_and_float32_stays():
    x = np.arange(32, dtype=np.float32).reshape(2, 1, 4, 4)
    pool = MaxPooling(2, 2)
    out = pool.forward(x)
    assert out.shape == (2, 1, 2, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0, 0], [[5, 7], [13, 15]])
    dout = np.ones(out.shape, dtype=np.float32)
    dx = pool.backward(dout)
    assert dx.dtype == np.float32
    dx += 1
    np.testing.assert_array_equal(dout, 1)  # dout untouched


def test_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"MaxPooling: the output height .*not a whole number"):
        MaxPooling(2, 2).forward(np.ones((1, 1, 5, 4)))
    with pytest.raises(ValueError, match=r"pool1: x must have shape \(N, C, H, W\), got \(4, 4\)"):
        MaxPooling(2, 2, name="pool1").forward(np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"MaxPooling: a 2×3 window needs an explicit stride"):
        MaxPooling(2, 3)
    with pytest.raises(ValueError, match=r"MaxPooling: pad must be smaller than the window"):
        MaxPooling(2, 2, pad=2)
    with pytest.raises(ValueError, match="MaxPooling: pool_h must be a positive integer, got 0"):
        MaxPooling(0, 2, stride=1)
    pool = MaxPooling(2, 2)
    with pytest.raises(RuntimeError, match=r"MaxPooling\.backward was called before forward"):
        pool.backward(np.ones((1, 1, 1, 1)))
    pool.forward(np.ones((1, 2, 4, 4)))
    with pytest.raises(
        ValueError,
        match=r"MaxPooling\.backward: dout has shape \(1, 2, 1, 1\) "
        r"but the forward output had shape \(1, 2, 2, 2\)",
    ):
        pool.backward(np.ones((1, 2, 1, 1)))
    with pytest.raises(ValueError):
        pool.forward(np.ones((1, 2, 3, 3)))  # a failed forward clears the cache
    with pytest.raises(RuntimeError, match="before forward"):
        pool.backward(np.ones((1, 2, 2, 2)))
