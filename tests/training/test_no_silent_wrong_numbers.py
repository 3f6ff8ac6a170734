"""No silent wrong numbers: labels, one-hot rows, scores and hyperparameters are checked the
same way everywhere, so a mistake is an error naming the argument, never a plausible number."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from backprop_book import Dense, Sequential, TwoLayerNet
from backprop_book.layers.functions import one_hot, softmax
from backprop_book.training.metrics import accuracy, n_correct


def test_two_layer_net_accuracy_refuses_labels_of_the_wrong_size():
    net = TwoLayerNet(4, 3, 4, seed=0)
    with pytest.raises(ValueError, match=r"TwoLayerNet\.accuracy: t of shape \(4,\)"):
        net.accuracy(np.ones((1, 4)), np.array([0, 1, 2, 3]))  # 4 labels for one sample


@pytest.mark.parametrize(
    "t", [np.array([[1, 1], [0, 1]]), np.array([[0.5, 0.5], [0, 1]]), np.array([[0, 0], [0, 1]])]
)
def test_invalid_one_hot_rows_are_refused(t):
    with pytest.raises(ValueError, match="t is not one-hot"):
        accuracy(np.array([[0.9, 0.1], [0.2, 0.8]]), t)


def test_nan_scores_are_refused_not_counted_as_class_0():
    with pytest.raises(ValueError, match="scores contains NaN or inf"):
        n_correct(np.array([[np.nan, 0.0]]), np.array([0]))


def test_sequential_evaluate_refuses_invalid_one_hot_rows():
    model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
    model.compile("sgd", "categorical_crossentropy", ["acc"])
    x, bad = np.ones((2, 3)), np.array([[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="one-hot label row of t must sum to 1"):
        model.evaluate(x, bad)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_dim": 2.7}, TypeError, "Dense: input_dim must be a positive integer"),
        ({"input_dim": "4"}, TypeError, "Dense: input_dim must be a positive integer"),
        ({"input_dim": 0}, ValueError, "Dense: input_dim must be a positive integer"),
        ({"input_shape": 4}, TypeError, "Dense: input_shape must be a tuple"),
        ({"input_shape": ()}, TypeError, "Dense: input_shape must be a tuple"),
        ({"input_shape": (8, 8.5)}, TypeError, "Dense: input_shape must be a positive"),
    ],
)
def test_dense_input_sizes_are_whole_numbers(kwargs, error, match):
    with pytest.raises(error, match=match):
        Dense(2, **kwargs)


def test_softmax_of_inf_or_empty_is_a_clear_error_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="softmax: x contains NaN or inf"):
            softmax(np.array([np.inf, 1.0]))
        with pytest.raises(ValueError, match=r"softmax: expected scores .* got \(0,\)"):
            softmax(np.array([]))
        with pytest.raises(ValueError, match=r"got \(2, 0\)"):
            softmax(np.zeros((2, 0)))
        assert softmax(np.zeros((0, 3))).shape == (0, 3)  # no samples: no rows, defined


def test_one_hot_names_the_real_label():
    with pytest.raises(ValueError, match=r"label 1e\+20 is out of range for 3 classes"):
        one_hot(np.array([1e20]), 3)
    with pytest.raises(ValueError, match="label -1 is out of range"):
        one_hot(np.array([0, -1]), 3)


def test_an_optimizer_class_and_a_bad_validation_pair_are_clear_errors():
    from backprop_book import SGD

    model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
    with pytest.raises(TypeError, match=r"give an optimizer object such as SGD\(lr=0\.1\)"):
        model.compile(optimizer=SGD)
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = np.ones((4, 3)), np.zeros(4, dtype=int)
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(x_val, y_val\)"):
        model.fit(x, y, validation_data=(x, y, y), verbose=0)
