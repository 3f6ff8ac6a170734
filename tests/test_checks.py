"""Tests for backprop_book.checks: what each check accepts, and each error's type and words."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.checks import (
    choice,
    fraction,
    labels,
    numeric_array,
    positive_int,
    positive_number,
    same_length,
    weights,
)

# ---- positive_int ----


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(st.integers(1, 10**12))
def test_positive_int_accepts_every_positive_int(n):
    assert positive_int("Dense", "units", n) == n


def test_positive_int_accepts_numpy_integers_and_a_minimum():
    assert positive_int("Dense", "units", np.int64(3)) == 3
    assert type(positive_int("Dense", "units", np.int64(3))) is int
    assert positive_int("EarlyStopping", "patience", 0, minimum=0) == 0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "Dense: units must be a positive integer, got 0"),
        (-3, ValueError, "Dense: units must be a positive integer, got -3"),
        (True, TypeError, "Dense: units must be a positive integer, got True (bool)"),
        (2.0, TypeError, "Dense: units must be a positive integer, got 2.0 (float)"),
        ("3", TypeError, "Dense: units must be a positive integer, got '3' (str)"),
        (None, TypeError, "Dense: units must be a positive integer, got None (NoneType)"),
    ],
)
def test_positive_int_errors(value, error, message):
    with pytest.raises(error) as raised:
        positive_int("Dense", "units", value)
    assert str(raised.value) == message


def test_positive_int_with_a_minimum_says_so():
    with pytest.raises(
        ValueError, match=r"^EarlyStopping: patience must be an integer >= 0, got -1$"
    ):
        positive_int("EarlyStopping", "patience", -1, minimum=0)


# ---- positive_number and fraction ----


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(st.floats(min_value=1e-300, max_value=1e300))
def test_positive_number_accepts_positive_finite_floats(v):
    assert positive_number("SGD", "lr", v) == v


def test_positive_number_accepts_ints_and_numpy_numbers():
    assert positive_number("SGD", "lr", 1) == 1.0
    assert positive_number("SGD", "lr", np.float32(0.5)) == 0.5


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "SGD: lr must be a positive finite number, got 0"),
        (-0.1, ValueError, "SGD: lr must be a positive finite number, got -0.1"),
        (math.inf, ValueError, "SGD: lr must be a positive finite number, got inf"),
        (math.nan, ValueError, "SGD: lr must be a positive finite number, got nan"),
        (True, TypeError, "SGD: lr must be a positive finite number, got True (bool)"),
        ("0.1", TypeError, "SGD: lr must be a positive finite number, got '0.1' (str)"),
    ],
)
def test_positive_number_errors(value, error, message):
    with pytest.raises(error) as raised:
        positive_number("SGD", "lr", value)
    assert str(raised.value) == message


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True))
def test_fraction_accepts_the_open_interval(v):
    assert fraction("split", "validation_split", v) == v


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (1, ValueError), (-0.5, ValueError), (math.nan, ValueError),
     (True, TypeError), ("0.2", TypeError)],
)  # fmt: skip
def test_fraction_errors(value, error):
    with pytest.raises(error, match=r"^split: validation_split must be a number > 0 and < 1, got"):
        fraction("split", "validation_split", value)


# ---- choice ----


def test_choice_returns_the_value():
    assert choice("Dense", "activation", "relu", ("relu", "sigmoid")) == "relu"
    assert choice("fit", "verbose", 0, range(3)) == 0


@pytest.mark.parametrize("value", ["tanh", True, None])
def test_choice_lists_the_choices(value):
    with pytest.raises(ValueError) as raised:
        choice("Dense", "activation", value, ["relu", "sigmoid"])
    assert str(raised.value) == (
        f"Dense: unknown activation {value!r}; choose one of relu, sigmoid"
    )


def test_choice_refuses_true_for_one():
    with pytest.raises(ValueError, match="unknown verbose True"):
        choice("fit", "verbose", True, [0, 1, 2])  # True == 1, but it is not a verbosity


# ---- numeric_array ----


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(arrays(st.sampled_from([np.float32, np.float64]), st.integers(0, 5)))
def test_numeric_array_keeps_floats_as_they_are(x):
    out = numeric_array("Relu", x)
    assert out is x


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(arrays(st.sampled_from([np.int8, np.int64, np.uint16]), st.integers(0, 5)))
def test_numeric_array_turns_integers_into_float64(x):
    out = numeric_array("Relu", x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (np.array([True]), TypeError, "Relu: x must be a numeric array, got dtype bool"),
        (np.array(["a"]), TypeError, "Relu: x must be a numeric array, got dtype <U1"),
        (np.array([None]), TypeError, "Relu: x must be a numeric array, got dtype object"),
        (np.array([1j]), TypeError, "Relu: complex input is not supported (dtype complex128)"),
    ],
)
def test_numeric_array_type_errors(x, error, message):
    with pytest.raises(error) as raised:
        numeric_array("Relu", x)
    assert str(raised.value) == message


def test_numeric_array_min_ndim_name_and_finite():
    with pytest.raises(ValueError, match=r"^Affine: x must be an array with at least 1 axis, got"):
        numeric_array("Affine", 1.0, min_ndim=1)
    with pytest.raises(ValueError, match=r"at least 2 axes, got shape \(3,\)$"):
        numeric_array("Affine", np.ones(3), min_ndim=2)
    with pytest.raises(TypeError, match=r"^SoftmaxWithLoss: t must be a numeric array"):
        numeric_array("SoftmaxWithLoss", ["a"], name="t")
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(ValueError, match=r"^L: x contains NaN or inf; the scores must be"):
            numeric_array("L", [0.0, bad], finite=True)
    assert numeric_array("L", [0.0, np.inf]).shape == (2,)  # finite is off by default


def test_numeric_array_finite_decides_when_the_squares_overflow():
    # x · x overflows for these finite scores: the entry-by-entry test must accept them ...
    for big in ([1e200, -1e200], np.array([1e30, 3.0], dtype=np.float32), [1e308] * 3):
        assert numeric_array("L", big, finite=True).shape == np.shape(big)
    # ... and still refuse a NaN or an infinity hidden among such entries, or among tiny ones
    for bad in ([1e200, np.nan], [1e200, -np.inf], [1e-300, np.inf], np.full((3, 4), np.nan)):
        with pytest.raises(ValueError, match=r"^L: x contains NaN or inf"):
            numeric_array("L", bad, finite=True)
    assert numeric_array("L", np.zeros((0, 3)), finite=True).shape == (0, 3)  # nothing to refuse
    assert numeric_array("L", [10**15], finite=True).dtype == np.float64  # integers: finite


# ---- labels ----


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(st.integers(1, 20).flatmap(lambda c: st.tuples(st.just(c), st.lists(st.integers(0, c - 1)))))
def test_labels_accepts_every_label_in_range(case):
    num_classes, given_labels = case
    out = labels("demo", np.array(given_labels, dtype=np.int64), num_classes)
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, given_labels)


def test_labels_accepts_whole_floats_and_unsigned():
    np.testing.assert_array_equal(labels("demo", np.array([2.0, 0.0]), 3), [2, 0])
    np.testing.assert_array_equal(labels("demo", np.array([1], dtype=np.uint8), 2), [1])


@pytest.mark.parametrize(
    ("t", "error", "match"),
    [
        (
            [3],
            ValueError,
            r"^demo: label 3 is out of range for 2 classes \(labels must be 0\.\.1",
        ),
        ([-1], ValueError, r"^demo: label -1 is out of range for 2 classes"),
        ([0.5], ValueError, r"^demo: labels must be whole numbers, got \[0\.5\]"),
        ([np.nan], ValueError, r"^demo: labels must be whole numbers"),
        (["a"], TypeError, r"^demo: labels must be integers, got dtype <U1$"),
        ([True], TypeError, r"^demo: labels must be integers, got dtype bool$"),
    ],
)
def test_labels_errors(t, error, match):
    with pytest.raises(error, match=match):
        labels("demo", np.array(t), 2)


# ---- same_length ----


@settings(deadline=None)  # a busy machine must not fail a correct check
@given(st.integers(0, 50))
def test_same_length_returns_the_common_length(n):
    assert same_length("fit", x=np.zeros((n, 2)), y=list(range(n)), w=np.zeros(n)) == n


def test_same_length_names_both_and_the_unit():
    with pytest.raises(ValueError) as raised:
        same_length("fit", x=np.zeros((3, 2)), y=np.zeros(2))
    assert str(raised.value) == "fit: x has 3 samples but y has 2"
    with pytest.raises(ValueError, match=r"^plot_accuracy: a has 2 values but b has 1$"):
        same_length("plot_accuracy", unit="values", a=[0.1, 0.2], b=[0.3])


def test_same_length_refuses_a_number():
    with pytest.raises(TypeError, match=r"^fit: y must be an array with one entry per sample"):
        same_length("fit", x=np.zeros(3), y=3)


# ---- weights ----


def test_weights_keeps_the_arrays():
    W, b = np.ones((3, 2), dtype=np.float32), np.zeros(2, dtype=np.float32)
    W2, b2 = weights("Affine", W, b)
    assert W2 is W and b2 is b


@pytest.mark.parametrize(
    ("W", "b", "error", "message"),
    [
        (np.ones(3), np.zeros(3), ValueError, "Affine: W must be a 2-D array (D, M), got (3,)"),
        ([[1.0]], np.zeros(1), ValueError, "Affine: W must be a 2-D array (D, M), got (1, 1)"),
        (np.ones((2, 2), dtype=int), np.zeros(2), TypeError,
         "Affine: W must be floating point, got dtype int64"),
        (np.ones((2, 3)), np.zeros(2), ValueError,
         "Affine: b has shape (2,) but W has shape (2, 3); b must have shape (3,)"),
        (np.ones((2, 3)), [0.0] * 3, ValueError,
         "Affine: b has shape (3,) but W has shape (2, 3); b must have shape (3,)"),
    ],
)  # fmt: skip
def test_weights_errors(W, b, error, message):
    with pytest.raises(error) as raised:
        weights("Affine", W, b)
    assert str(raised.value) == message
