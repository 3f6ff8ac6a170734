"""Activation and loss functions: sigmoid, ReLU, softmax and cross-entropy error.

These are the plain functions of *Deep Learning from Scratch* ``common/functions.py`` (chapters 3
and 4), written so that extreme inputs give finite answers without floating-point warnings:
``sigmoid`` never evaluates ``exp`` of a large positive number, ``softmax`` subtracts the row
maximum before ``exp``. The layers in :mod:`backprop_book.layers` are built on them.

Labels ``t`` are accepted in the two forms the book uses: one-hot rows (same shape as ``y``) or
integer class indices (one per sample).
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import labels, numeric_array

# The book's small constant that keeps log(0) finite in cross_entropy_error.
DELTA = 1e-7


# --8<-- [start:sigmoid]
def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """Sigmoid $y = 1 / (1 + \\exp(-x))$, elementwise, without overflow.

    For $x < 0$ it uses the equal form $\\exp(x) / (1 + \\exp(x))$, so ``exp`` only ever sees
    numbers $\\le 0$.

    Args:
        x: Any numeric array or number.

    Returns:
        Array of the same shape (float32 stays float32).

    Examples:
        >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
        array([0. , 0.5, 1. ])
    """
    x = numeric_array("sigmoid", x)
    z = np.exp(-np.abs(x))  # exp of a number <= 0: never overflows
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


# --8<-- [end:sigmoid]


def relu(x: np.ndarray | float) -> np.ndarray:
    """Rectified linear unit $y = \\max(0, x)$, elementwise.

    Args:
        x: Any numeric array or number.

    Returns:
        Array of the same shape and dtype (integers become float64).

    Examples:
        >>> relu(np.array([-2.0, 0.0, 3.0]))
        array([0., 0., 3.])
    """
    x = numeric_array("relu", x)
    return np.maximum(x, 0)


# --8<-- [start:softmax]
def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis: $y_k = \\exp(x_k) / \\sum_i \\exp(x_i)$.

    The row maximum is subtracted first (it cancels in the ratio), so the largest exponent is 0.

    Args:
        x: Scores (logits), shape ``(C,)`` for one sample or ``(N, C)`` for a batch.

    Returns:
        Probabilities of the same shape; each row sums to 1.

    Examples:
        >>> softmax(np.array([1000.0, -1000.0]))
        array([1., 0.])
        >>> softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]]))
        array([[0.5 , 0.5 ],
               [0.25, 0.75]])
    """
    x = numeric_array("softmax", x, finite=True)  # inf - inf would be NaN
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(f"softmax: expected scores of shape (C,) or (N, C), C >= 1, got {x.shape}")
    with np.errstate(over="ignore"):  # a gap beyond the float range is -inf: exp gives 0
        shifted = x - x.max(axis=-1, keepdims=True)  # (N, C) - (N, 1): largest entry is 0
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)  # (N, C) / (N, 1)


# --8<-- [end:softmax]


def one_hot(t: np.ndarray | int, num_classes: int) -> np.ndarray:
    """One-hot rows for integer labels.

    Args:
        t: Integer class labels, shape ``(N,)`` (or a single label).
        num_classes: Number of classes ``C``.

    Returns:
        Float64 array of shape ``(N, C)`` (or ``(C,)`` for a single label) with a 1 in each row.

    Raises:
        ValueError: A label that is not an integer in ``[0, num_classes)``.

    Examples:
        >>> one_hot(np.array([2, 0]), 3)
        array([[0., 0., 1.],
               [1., 0., 0.]])
    """
    classes = labels("one_hot", t, num_classes)
    out = np.zeros((*classes.shape, num_classes))
    np.put_along_axis(out, classes[..., None], 1.0, axis=-1)
    return out


# --8<-- [start:cross_entropy_error]
def cross_entropy_error(y: np.ndarray, t: np.ndarray | int) -> float:
    """Mean cross-entropy $E = -\\frac{1}{N}\\sum_n \\sum_k t_{nk} \\log(y_{nk} + \\delta)$.

    As in the book, $\\delta = 10^{-7}$ keeps $\\log 0$ finite when a probability is 0.

    Args:
        y: Probabilities (softmax output), shape ``(C,)`` or ``(N, C)``.
        t: One-hot labels of the same shape as ``y``, or integer labels of shape ``()`` / ``(N,)``.

    Returns:
        The mean loss over the batch.

    Raises:
        ValueError: ``y`` that is not probabilities (NaN, negative or above 1), ``t`` whose
            shape fits neither form, or labels out of range.

    Examples:
        >>> y = np.array([[0.1, 0.9], [0.8, 0.2]])
        >>> round(cross_entropy_error(y, np.array([1, 0])), 4)
        0.1643
        >>> round(cross_entropy_error(y, np.array([[0, 1], [1, 0]])), 4)
        0.1643
    """
    y = numeric_array("cross_entropy_error", y, name="y")
    if y.ndim not in (1, 2):
        raise ValueError(f"cross_entropy_error: y must have shape (C,) or (N, C), got {y.shape}")
    if y.size and not (y.min() >= 0 and y.max() <= 1):  # NaN fails both comparisons
        raise ValueError(
            "cross_entropy_error: y must hold probabilities from 0 to 1 (no NaN); "
            "pass softmax(scores), not the scores"
        )
    y2 = y.reshape(1, -1) if y.ndim == 1 else y  # (N, C)
    batch_size = y2.shape[0]
    t_arr = np.asarray(t)
    if t_arr.shape == y.shape:  # one-hot rows: -sum(t * log(y + delta)) / N
        t2 = numeric_array("cross_entropy_error", t_arr).reshape(y2.shape)  # (N, C)
        return float(-np.sum(t2 * np.log(y2 + DELTA)) / batch_size)
    if t_arr.shape == y.shape[:-1]:  # integer labels: pick the correct class's probability
        classes = labels("cross_entropy_error", t_arr, y.shape[-1]).reshape(-1)
        picked = y2[np.arange(batch_size), classes]  # (N,)
        return float(-np.sum(np.log(picked + DELTA)) / batch_size)
    raise ValueError(
        f"cross_entropy_error: t of shape {t_arr.shape} does not fit y of shape {y.shape} "
        f"(expected one-hot {y.shape} or integer labels {y.shape[:-1]})"
    )


# --8<-- [end:cross_entropy_error]
