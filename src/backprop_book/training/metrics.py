"""Accuracy: the fraction of samples whose highest score is the true class.

One definition for every model in the book: `TwoLayerNet.accuracy`, the `Trainer`'s epoch
measurements and the ``acc`` of ``Sequential.fit``/``evaluate`` all count with
:func:`n_correct`. Labels ``t`` may be integer classes ``(N,)`` or one-hot rows ``(N, C)``, as
everywhere in the package; the scores may be the inputs of the softmax or its probabilities (the
softmax keeps the order of a row, so the largest entry is the same).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.checks import labels, numeric_array

__all__ = ["accuracy", "n_correct"]


def n_correct(scores: Any, t: Any, where: str = "accuracy") -> int:
    """How many rows of ``scores`` have their largest entry at the true class.

    Args:
        scores: ``(N, C)`` scores or probabilities (one row ``(C,)`` counts as ``N = 1``).
        t: Integer labels ``(N,)`` or one-hot rows ``(N, C)``.
        where: Who asks, for the error message.

    Examples:
        >>> scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
        >>> n_correct(scores, np.array([1, 0, 0]))
        2
        >>> n_correct(scores, np.eye(2)[[1, 0, 0]])  # the same labels, one-hot
        2
    """
    y = numeric_array(where, scores, min_ndim=1, name="scores", finite=True)  # argmax(NaN) is 0
    one_row, y = y.ndim == 1, y.reshape(1, -1) if y.ndim == 1 else y  # (N, C)
    t = np.asarray(t)
    if y.ndim != 2:
        raise ValueError(f"{where}: scores must have shape (N, C), got {y.shape}")
    if t.shape == y.shape or (one_row and t.shape == y.shape[1:]):  # one-hot rows
        t = t.reshape(y.shape)
        if t.dtype.kind not in "biuf" or not np.all((t == 0) | (t == 1)) or np.any(
                t.sum(axis=1) != 1):  # fmt: skip
            raise ValueError(f"{where}: t is not one-hot: each row must be 0s and a single 1")
        classes = t.argmax(axis=1)
    elif t.shape == (y.shape[0],) or (one_row and t.ndim == 0):  # integer labels
        classes = labels(where, t, y.shape[1]).reshape(-1)
    else:
        raise ValueError(
            f"{where}: t of shape {t.shape} does not fit scores of shape {y.shape} "
            f"(expected one-hot {y.shape} or integer labels ({y.shape[0]},))"
        )
    return int(np.sum(y.argmax(axis=1) == classes))


def accuracy(scores: Any, t: Any, where: str = "accuracy") -> float:
    """The fraction of correct rows, ``n_correct(scores, t) / N``, in ``[0, 1]``.

    Examples:
        >>> accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1]))
        0.5
    """
    y = np.asarray(scores)
    n = 1 if y.ndim == 1 else y.shape[0]
    if n == 0:
        raise ValueError(f"{where}: there are no samples to count (scores of shape {y.shape})")
    return n_correct(y, t, where) / n
