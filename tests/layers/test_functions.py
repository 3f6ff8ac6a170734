"""Tests for backprop_book.layers.functions: values against direct formulas, stability."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.checks import labels
from backprop_book.layers.functions import (
    cross_entropy_error,
    one_hot,
    relu,
    sigmoid,
    softmax,
)

moderate = st.floats(-30, 30, allow_nan=False)


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(arrays(np.float64, st.integers(1, 6), elements=moderate))
def test_sigmoid_matches_the_textbook_formula(x):
    expected = np.array([1 / (1 + math.exp(-v)) for v in x])
    np.testing.assert_allclose(sigmoid(x), expected, rtol=1e-12)


def test_sigmoid_extremes_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = sigmoid(np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0]))
    assert y[0] == 0.0 and y[2] == 0.5 and y[-1] == 1.0
    assert np.all(np.isfinite(y))


def test_sigmoid_keeps_float32_and_promotes_integers():
    assert sigmoid(np.zeros(3, dtype=np.float32)).dtype == np.float32
    assert sigmoid(np.array([0, 1])).dtype == np.float64
    assert sigmoid(0.0) == 0.5


def test_relu():
    np.testing.assert_array_equal(relu(np.array([-3.0, -0.0, 0.5, 7.0])), [0, 0, 0.5, 7])
    assert relu(np.ones(2, dtype=np.float32)).dtype == np.float32


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=moderate))
def test_softmax_matches_exp_over_sum(x):
    e = np.exp(x)
    np.testing.assert_allclose(softmax(x), e / e.sum(axis=1, keepdims=True), rtol=1e-12)


def test_softmax_of_huge_logits_is_finite_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = softmax(np.array([[1000.0, -1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]]))
    np.testing.assert_allclose(y, [[0.5, 0, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_softmax_single_sample_and_float32():
    y = softmax(np.array([0.0, math.log(3.0)], dtype=np.float32))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, [0.25, 0.75], rtol=1e-6)


def test_softmax_rejects_a_scalar_and_strings():
    with pytest.raises(ValueError, match="softmax: expected scores"):
        softmax(3.0)
    with pytest.raises(TypeError, match="softmax: x must be a numeric array"):
        softmax(np.array(["a", "b"]))


def test_cross_entropy_error_by_hand():
    y = np.array([[0.1, 0.9], [0.8, 0.2]])
    by_hand = -(math.log(0.9 + 1e-7) + math.log(0.8 + 1e-7)) / 2
    assert cross_entropy_error(y, np.array([1, 0])) == pytest.approx(by_hand)
    assert cross_entropy_error(y, np.array([[0, 1], [1, 0]])) == pytest.approx(by_hand)


def test_cross_entropy_error_single_sample_book_example():
    # The book's example (section 4.2.2): t = 2, y[2] = 0.6 -> -log(0.6) = 0.5108...
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    t = np.zeros(10)
    t[2] = 1
    assert cross_entropy_error(y, t) == pytest.approx(-math.log(0.6 + 1e-7))
    assert cross_entropy_error(y, 2) == pytest.approx(-math.log(0.6 + 1e-7))


def test_cross_entropy_error_of_zero_probability_is_finite():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy_error(np.array([1.0, 0.0]), 1)
    assert loss == pytest.approx(-math.log(1e-7))


@pytest.mark.parametrize("y", [[0.5, np.nan], [1.5, -0.5], [3.0, -1.0], [np.inf, 0.0]])
def test_cross_entropy_error_refuses_what_is_not_probabilities(y):
    # scores passed where probabilities belong would give log of a negative number: NaN
    with pytest.raises(ValueError, match=r"^cross_entropy_error: y must hold probabilities"):
        cross_entropy_error(np.array(y), 0)


def test_cross_entropy_error_bad_labels():
    y = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"label 3 is out of range for 3 classes"):
        cross_entropy_error(y, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"label -1 is out of range"):
        cross_entropy_error(y, np.array([0, -1]))
    with pytest.raises(ValueError, match=r"t of shape \(3,\) does not fit y of shape \(2, 3\)"):
        cross_entropy_error(y, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="whole numbers"):
        cross_entropy_error(y, np.array([0.5, 1.0]))
    with pytest.raises(TypeError, match="labels must be integers"):
        cross_entropy_error(y, np.array(["0", "1"]))
    with pytest.raises(ValueError, match=r"y must have shape \(C,\) or \(N, C\)"):
        cross_entropy_error(np.ones((1, 2, 3)) / 3, np.array([[0]]))


def test_one_hot_and_check_labels():
    np.testing.assert_array_equal(one_hot(np.array([1, 0, 2]), 3), np.eye(3)[[1, 0, 2]])
    np.testing.assert_array_equal(one_hot(1, 2), [0.0, 1.0])
    np.testing.assert_array_equal(labels("f", np.array([1.0, 0.0]), 2), [1, 0])
    with pytest.raises(ValueError, match=r"one_hot: label 5 is out of range for 3 classes"):
        one_hot(np.array([5]), 3)
    with pytest.raises(TypeError, match="labels must be integers"):
        labels("f", np.array([True]), 2)
