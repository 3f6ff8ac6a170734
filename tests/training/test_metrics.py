"""accuracy and n_correct: one definition of "correct" for every model of the book."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book.training.metrics import accuracy, n_correct


def test_integer_and_one_hot_labels_count_the_same():
    scores = np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    t = np.array([1, 0, 0, 0])  # rows 0, 1, 3 right, row 2 wrong (its argmax is 2)
    assert n_correct(scores, t) == 3 == n_correct(scores, np.eye(3)[t])
    assert accuracy(scores, t) == 0.75  # 3 / 4 is exact in binary
    assert n_correct(scores[0], np.array([1])) == 1  # one row counts as N = 1


def test_bad_labels_name_the_caller():
    scores = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"^demo: t of shape \(2,\) does not fit scores"):
        accuracy(scores, np.array([0, 1]), "demo")
    with pytest.raises(ValueError, match="label 5 is out of range for 2 classes"):
        n_correct(scores, np.array([0, 1, 5]))
    with pytest.raises(ValueError, match="no samples"):
        accuracy(np.zeros((0, 2)), np.zeros(0, dtype=int))
