"""Tests for backprop_book.layers.affine: Affine and SoftmaxWithLoss, gradients and errors."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.layers import Affine, SoftmaxWithLoss
from backprop_book.layers.affine import _column_sums, _labelled_sum, _row_max, _row_sums
from backprop_book.layers.gradient_check import check_layer, numerical_gradient, relative_error

# Entries are 0 or at least 1e-3 in size: a gradient far below the rounding error of the central
# difference (eps * |f| / h, about 1e-12 here) cannot be resolved numerically (e.g. W = 1e-111).
values = st.floats(-5, 5, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
batch_shapes = st.tuples(st.integers(1, 4), st.integers(1, 5))  # batch size 1 included


# ---- gradients match numerical gradients (float64, relative error < 1e-7) ----


@settings(max_examples=30, deadline=None)
@given(
    st.data(),
    st.lists(st.integers(1, 3), min_size=1, max_size=3),  # sample shape: rank 1..3
    st.integers(1, 3),  # batch size
    st.integers(1, 4),  # output size M
)
def test_affine_gradient_any_rank(data, sample_shape, n, m):
    x = data.draw(arrays(np.float64, (n, *sample_shape), elements=values))  # rank 2..4
    d = math.prod(sample_shape)
    W = data.draw(arrays(np.float64, (d, m), elements=values))
    b = data.draw(arrays(np.float64, (m,), elements=values))
    layer = Affine(W, b)
    errors = check_layer(layer, x, seed=n)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-7


def test_affine_rank4_input_shapes_restored():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5))
    layer = Affine(rng.standard_normal((60, 7)), rng.standard_normal(7))
    out = layer.forward(x)
    assert out.shape == (2, 7)
    dx = layer.backward(np.ones((2, 7)))
    assert dx.shape == (2, 3, 4, 5)
    assert layer.dW.shape == (60, 7) and layer.db.shape == (7,)
    # dX = dY · Wᵀ: with dY all ones, each sample's dx is the row sums of W
    np.testing.assert_allclose(dx.reshape(2, 60)[1], layer.W.sum(axis=1))
    np.testing.assert_allclose(layer.db, [2.0] * 7)


def test_affine_single_sample_1d():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    layer = Affine(W, np.zeros(2))
    out = layer.forward(np.array([1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(out, [6.0, 8.0])  # row 0 + row 2 of W
    dx = layer.backward(np.array([1.0, 1.0]))
    np.testing.assert_array_equal(dx, [3.0, 7.0, 11.0])
    np.testing.assert_array_equal(layer.dW, [[1, 1], [0, 0], [1, 1]])
    assert check_layer(Affine(W.copy(), np.ones(2)), np.array([0.5, -1.0, 2.0]))["W"] < 1e-7


@settings(max_examples=30, deadline=None)
@given(st.data(), batch_shapes.filter(lambda s: s[1] >= 2), st.booleans())
def test_softmax_with_loss_gradient(data, shape, use_one_hot):
    x = data.draw(arrays(np.float64, shape, elements=values))
    labels = np.array(
        data.draw(st.lists(st.integers(0, shape[1] - 1), min_size=shape[0], max_size=shape[0]))
    )
    t = np.eye(shape[1])[labels] if use_one_hot else labels
    assert check_layer(SoftmaxWithLoss(), x, t)["x"] < 1e-7


# ---- semantics of the book's layers, checked by hand ----


def test_softmax_with_loss_values_by_hand():
    x = np.array(
        [[0.0, math.log(3.0)], [math.log(4.0), 0.0]]
    )  # softmax rows: [1/4, 3/4], [4/5, 1/5]
    t = np.array([1, 1])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    assert loss == pytest.approx(-(math.log(3 / 4) + math.log(1 / 5)) / 2)
    np.testing.assert_allclose(layer.backward(), [[0.25 / 2, -0.25 / 2], [0.8 / 2, -0.8 / 2]])
    np.testing.assert_allclose(layer.backward(2.0), [[0.25, -0.25], [0.8, -0.8]])
    assert layer.forward(x, np.eye(2)[t]) == pytest.approx(loss)


def test_softmax_with_loss_single_sample_and_huge_logits():
    layer = SoftmaxWithLoss()
    assert layer.forward(np.array([0.0, 0.0, 0.0]), 2) == pytest.approx(math.log(3))
    np.testing.assert_allclose(layer.backward(), [1 / 3, 1 / 3, -2 / 3])
    loss = layer.forward(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert loss == pytest.approx(2000.0)  # exact log-softmax: -(-1000 - 1000)
    np.testing.assert_allclose(layer.backward(), [[1.0, -1.0]])


def test_softmax_with_loss_of_a_gap_beyond_the_float_range_is_exact_not_nan():
    x = np.array([[1e308, -1e308]])  # x - max overflows to -inf for the second class
    layer = SoftmaxWithLoss()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warning either
        assert layer.forward(x, np.array([0])) == 0.0  # exact: log y_0 = 0 (y = [1, 0])
        np.testing.assert_array_equal(layer.backward(), [[0.0, 0.0]])  # y - t, exactly 0
        # the labelled class is 2e308 below the top: the exact loss is past the float range
        assert layer.forward(x, np.array([1])) == math.inf
        np.testing.assert_array_equal(layer.backward(), [[1.0, -1.0]])  # still finite
        # soft labels with weight on the far class: inf, never NaN
        assert layer.forward(x, np.array([[0.5, 0.5]])) == math.inf
        # two rows each 1e308 from the top: their sum overflows, their mean does not
        two = np.array([[0.0, -1e308], [0.0, -1e308]])
        assert layer.forward(two, np.array([1, 1])) == pytest.approx(1e308, rel=1e-15)
        # one row far off, one ordinary: the ordinary row's loss is what it always was
        mixed = np.array([[1e308, -1e308], [0.0, 0.0]])
        assert layer.forward(mixed, np.array([0, 1])) == pytest.approx(math.log(2) / 2)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_softmax_with_loss_refuses_nan_and_inf_scores_naming_the_layer(bad):
    layer = SoftmaxWithLoss(name="dense_2 loss")
    with pytest.raises(ValueError, match=r"^dense_2 loss: x contains NaN or inf; the scores"):
        layer.forward(np.array([[1.0, bad]]), np.array([0]))
    assert layer.loss is None and layer.y is None  # nothing half-computed is kept
    with pytest.raises(RuntimeError, match="called before forward"):
        layer.backward()


@settings(max_examples=40, deadline=None)
@given(st.data(), batch_shapes)
def test_softmax_with_loss_gradient_at_large_scores(data, shape):
    # scores up to 1e3 (gaps beyond exp's range): the gradient still matches the numerical one
    big = st.floats(-1e3, 1e3, allow_nan=False)
    x = data.draw(arrays(np.float64, shape, elements=big))
    t = data.draw(arrays(np.int64, shape[:-1], elements=st.integers(0, shape[1] - 1)))
    layer = SoftmaxWithLoss()
    assert math.isfinite(layer.forward(x, t))
    dx = layer.backward()
    num = numerical_gradient(lambda v: SoftmaxWithLoss().forward(v, t), x.copy(), h=1e-4)
    # central difference: rounding eps*|L|/h <= 2.2e-16 * 2000 / 1e-4 ~ 4e-9, truncation
    # h**2/6 * |third derivative| <= 2e-10 (softmax's derivatives are at most 1): 1e-7 is safe
    np.testing.assert_allclose(dx, num, rtol=0, atol=1e-7)


# ---- no mutation, no stale cache, dtypes ----


def test_no_layer_modifies_dout_or_inputs():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    W, b = rng.standard_normal((4, 2)), rng.standard_normal(2)
    layer = Affine(W, b)
    x_before = x.copy()
    dout = rng.standard_normal((3, 2))
    dout_before = dout.copy()
    layer.forward(x)
    dx = layer.backward(dout)
    dx += 1.0  # the caller owns dx: changing it must not reach the layer's inputs
    np.testing.assert_array_equal(dout, dout_before)
    np.testing.assert_array_equal(x, x_before)
    t = np.eye(4)[[0, 1, 2]]
    t_before = t.copy()
    loss_layer = SoftmaxWithLoss()
    loss_layer.forward(x, t)
    loss_layer.backward()
    np.testing.assert_array_equal(t, t_before)


def test_failed_forward_leaves_no_stale_cache():
    layer = Affine(np.ones((3, 2)), np.zeros(2))
    layer.forward(np.ones((1, 3)))
    with pytest.raises(ValueError):
        layer.forward(np.ones((1, 5)))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((1, 2)))
    loss = SoftmaxWithLoss()
    loss.forward(np.zeros((1, 2)), np.array([0]))
    with pytest.raises(ValueError):
        loss.forward(np.zeros((1, 2)), np.array([5]))
    with pytest.raises(RuntimeError, match="before forward"):
        loss.backward()


def test_float32_stays_float32():
    x = np.ones((2, 3), dtype=np.float32)
    W, b = np.ones((3, 2), dtype=np.float32), np.zeros(2, dtype=np.float32)
    affine = Affine(W, b)
    out = affine.forward(x)
    assert out.dtype == np.float32
    assert affine.backward(np.ones((2, 2), dtype=np.float32)).dtype == np.float32
    assert affine.dW.dtype == np.float32 and affine.db.dtype == np.float32
    assert affine.forward(np.ones((2, 3))).dtype == np.float32  # computed in W's dtype
    loss = SoftmaxWithLoss()
    loss.forward(x, np.array([0, 1]))
    assert loss.backward().dtype == np.float32
    assert loss.backward(np.float64(1.0)).dtype == np.float32


# ---- bad input: clear errors ----


@pytest.mark.parametrize("layer", [Affine(np.ones((2, 2)), np.zeros(2)), SoftmaxWithLoss()])
def test_backward_before_forward_raises(layer):
    with pytest.raises(RuntimeError, match=rf"{type(layer).__name__}.backward was called before"):
        layer.backward(np.ones((1, 2)))


def test_affine_shape_mismatch_names_layer_and_shapes():
    layer = Affine(np.ones((4, 3)), np.zeros(3), name="Affine1")
    with pytest.raises(ValueError, match=r"Affine1: input of shape \(2, 5\).*W of shape \(4, 3\)"):
        layer.forward(np.ones((2, 5)))
    layer.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"Affine1.backward: dout has shape \(2, 2\).*\(2, 3\)"):
        layer.backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"Affine: b has shape \(2,\) but W has shape \(4, 3\)"):
        Affine(np.ones((4, 3)), np.zeros(2))
    with pytest.raises(TypeError, match="Affine: W must be floating point"):
        Affine(np.ones((4, 3), dtype=int), np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match="Affine1: x must be a numeric array"):
        layer.forward(np.array([["a"] * 4]))
    with pytest.raises(ValueError, match=r"Affine1: x must be an array with at least 1 axis"):
        layer.forward(np.float64(1.0))
    with pytest.raises(ValueError, match=r"Affine: W must be a 2-D array \(D, M\), got \(3,\)"):
        Affine(np.ones(3), np.zeros(3))


def test_softmax_with_loss_rejects_bad_input():
    layer = SoftmaxWithLoss()
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="SoftmaxWithLoss: x contains NaN or inf"):
        layer.forward(np.array([[0.0, np.nan, 1.0]]), np.array([0]))
    with pytest.raises(ValueError, match="SoftmaxWithLoss: x contains NaN or inf"):
        layer.forward(np.array([[0.0, np.inf, 1.0]]), np.array([0]))
    with pytest.raises(TypeError, match="SoftmaxWithLoss: x must be a numeric array"):
        layer.forward(np.array([["a", "b"]]), np.array([0]))
    with pytest.raises(TypeError, match="SoftmaxWithLoss: x must be a numeric array"):
        layer.forward(np.array([[None, 1.0]], dtype=object), np.array([0]))
    with pytest.raises(ValueError, match=r"label 3 is out of range for 3 classes"):
        layer.forward(x, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"t has 3 samples but x has 2"):
        layer.forward(x, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"t has 1 samples but x has 2"):
        layer.forward(x, np.array([[1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="each one-hot label row of t must sum to 1"):
        layer.forward(x, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"x must have shape \(N, C\) or \(C,\)"):
        layer.forward(np.zeros((1, 2, 3)), np.array([[0]]))
    layer.forward(x, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"SoftmaxWithLoss.backward: dout has shape \(2,\)"):
        layer.backward(np.ones(2))


def test_numerical_gradient_of_loss_matches_y_minus_t_over_n():
    rng = np.random.default_rng(3)
    x, t = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    num = numerical_gradient(lambda v: SoftmaxWithLoss().forward(v, t), x.copy())
    assert relative_error(dx, num) < 1e-8
    np.testing.assert_allclose(dx.sum(axis=1), 0, atol=1e-15)  # rows of y - t sum to 0


def test_affine_without_input_grad_sets_dw_db_and_returns_none():
    rng = np.random.default_rng(4)
    W, b, x = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))
    dout = rng.standard_normal((4, 2))
    full, first = Affine(W, b), Affine(W, b, input_grad=False)
    full.forward(x)
    first.forward(x)
    assert full.backward(dout) is not None
    assert first.backward(dout) is None
    np.testing.assert_array_equal(first.dW, full.dW)
    np.testing.assert_array_equal(first.db, full.db)
    np.testing.assert_allclose(first.dW, x.T @ dout)  # dW = Xᵀ·dY


def test_one_hot_labels_with_nan_or_negative_entries_are_rejected():
    layer = SoftmaxWithLoss()
    x = np.zeros((1, 2))
    with pytest.raises(ValueError, match=r"each one-hot label row of t must sum to 1 \(and be"):
        layer.forward(x, np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="one-hot labels t must be >= 0"):
        layer.forward(x, np.array([[-1.0, 2.0]]))


def test_label_rows_with_one_nonzero_per_row_on_average_are_still_checked_row_by_row():
    layer = SoftmaxWithLoss()
    x = np.zeros((3, 2))
    # as many nonzero entries as rows, but a row of zeros: its sum is 0
    with pytest.raises(ValueError, match="each one-hot label row of t must sum to 1"):
        layer.forward(x, np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 0.0]]))
    # one nonzero entry a row, but negative (and the next row compensating in the total)
    with pytest.raises(ValueError, match="one-hot labels t must be >= 0"):
        layer.forward(x, np.array([[-1.0, 0.0], [3.0, 0.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="one-hot labels t must be >= 0"):  # sums to 1, one < 0
        layer.forward(x, np.array([[2.0, -1.0], [1.0, 0.0], [0.0, 1.0]]))
    # a row just past the 1e-5 tolerance is refused; soft rows inside it are accepted
    with pytest.raises(ValueError, match="must sum to 1"):
        layer.forward(x, np.array([[1.0 + 2e-5, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    # a negative entry too small to move its row's sum past the tolerance is still refused
    with pytest.raises(ValueError, match="one-hot labels t must be >= 0"):
        layer.forward(x, np.array([[1.0, -1e-9], [1.0, 0.0], [0.0, 1.0]]))
    soft = np.array([[0.3, 0.7], [1.0 - 5e-6, 0.0], [0.5, 0.5]])
    assert layer.forward(x, soft) == pytest.approx(math.log(2), rel=1e-5)  # y = 1/2 everywhere


@pytest.mark.parametrize("top", [9e153, 1.3e154, 1e308])
def test_scores_near_the_square_root_of_the_float_range_warn_of_nothing(top):
    # |x| below about 1.3e154: x · x is finite, no gap can overflow, no errstate is needed;
    # above it the gap may pass the float range and must become -inf silently
    x = np.array([[top, -top], [0.0, 1.0]])
    layer = SoftmaxWithLoss()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = layer.forward(x, np.array([0, 1]))
        dx = layer.backward()
    # row 0: its label is the top class, y = [1, 0] up to exp(-2·top) = 0: loss 0 there
    expected = math.log1p(math.exp(-1.0)) / 2  # row 1: -log(e / (1 + e)), halved by the mean
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(dx).all()


# ---- the fast forms give the numbers of the plain numpy ones ----


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        st.sampled_from([np.float32, np.float64]),
        st.one_of(st.tuples(st.integers(1, 6)), st.tuples(st.integers(0, 6), st.integers(1, 12))),
        elements=st.floats(-1e6, 1e6, width=32),
    )
)
def test_row_max_is_numpys_max(a):
    # a maximum picks one of the entries (no rounding), so the two must agree exactly
    expected = a.max(axis=-1, keepdims=True)
    got = _row_max(a)
    assert got.shape == expected.shape and got.dtype == a.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_and_column_sums_match_numpys_sum(dtype):
    rng = np.random.default_rng(5)
    a = rng.standard_normal((100, 10)).astype(dtype)
    eps = np.finfo(dtype).eps
    # any order of summing n terms is within n·eps·Σ|a| of the exact sum (and so of numpy's)
    np.testing.assert_allclose(
        _row_sums(a), a.sum(axis=-1, keepdims=True), rtol=0, atol=20 * eps * np.abs(a).sum(-1).max()
    )
    np.testing.assert_allclose(
        _column_sums(a), a.sum(axis=0), rtol=0, atol=200 * eps * np.abs(a).sum(0).max()
    )
    assert _row_sums(a).shape == (100, 1) and _column_sums(a).shape == (10,)
    assert _row_sums(a[0]).shape == (1,)  # one sample


def test_labelled_sum_leaves_out_unlabelled_classes_only_when_it_must():
    rng = np.random.default_rng(6)
    t = np.eye(4)[[0, 3, 1]]
    shifted = -rng.random((3, 4))
    # ordinary scores: one dot product; the unlabelled classes add 0 · shifted = 0
    assert _labelled_sum(t, shifted) == pytest.approx(shifted[[0, 1, 2], [0, 3, 1]].sum())
    # a -inf (a gap past the float range) in an unlabelled class: left out, no NaN
    shifted[0, 2] = -np.inf
    assert _labelled_sum(t, shifted) == pytest.approx(shifted[[0, 1, 2], [0, 3, 1]].sum())
    # in a labelled class: -inf, as the exact sum is
    shifted[1, 3] = -np.inf
    assert _labelled_sum(t, shifted) == -np.inf


def test_in_place_steps_touch_only_the_layers_own_arrays():
    rng = np.random.default_rng(7)
    W, b, x = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))
    W_before, b_before = W.copy(), b.copy()
    layer = Affine(W, b)
    out = layer.forward(x)
    out += 100.0  # the caller owns the output: the bias is added to a new array, not to b
    # b and W against copies taken before, with no arithmetic on them: untouched arrays are
    # bit-identical on every CPU, so exact equality is the claim (as for scores and y below)
    np.testing.assert_array_equal(b, b_before)
    np.testing.assert_array_equal(W, W_before)
    np.testing.assert_allclose(layer.forward(x), x @ W + b)
    scores, t = rng.standard_normal((4, 3)), np.array([0, 2, 1, 1])
    scores_before = scores.copy()
    loss = SoftmaxWithLoss()
    loss.forward(scores, t)
    np.testing.assert_array_equal(scores, scores_before)  # y was divided in its own array
    first = loss.backward(2.0)
    y_before = loss.y.copy()
    first *= 10.0  # the caller owns dx: y must not change, the next backward is the same
    np.testing.assert_array_equal(loss.y, y_before)
    np.testing.assert_allclose(loss.backward(2.0), 2.0 * (y_before - np.eye(3)[t]) / 4)
