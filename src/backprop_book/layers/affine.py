"""The Affine layer and the Softmax-with-Loss output layer.

Each layer is one node of the computational graph with the pattern of *Deep Learning from
Scratch* ``common/layers.py`` (chapter 5): caches are ``None`` until ``forward``, ``forward``
stores what ``backward`` needs, ``backward(dout)`` returns the gradient with respect to the
input, and parameter gradients land on ``dW`` and ``db``.

Fixed on the way: ``dout`` and the inputs are never modified in place; a new ``forward`` first
clears the old cache, so a failed call never leaves a stale one behind; ``backward`` before
``forward`` raises; a shape that does not fit raises ``ValueError`` naming the layer and both
shapes; the loss rejects NaN/inf scores, out-of-range labels and batch-size mismatches. Float32
inputs stay float32.
"""

from __future__ import annotations

import contextlib
import functools
import math

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import labels, numeric_array, weights

__all__ = ["Affine", "SoftmaxWithLoss"]


# --8<-- [start:affine]
class Affine:
    """Affine (fully connected, Dense) layer: $Y = X \\cdot W + b$.

    Inputs of any rank are flattened to ``(N, D)`` as the book does (``x.reshape(N, -1)``) and
    ``dx`` is returned in the input's original shape. A 1-D input is one sample. The layer keeps
    ``W`` and ``b`` by reference: updating them in place updates the layer.

    Args:
        W: Weights, shape ``(D, M)``, floating point.
        b: Bias, shape ``(M,)``, same dtype as ``W``.
        name: Name used in error messages (default ``"Affine"``).
        input_grad: Whether ``backward`` computes ``dx``. A network's first layer has nothing
            below it that needs ``dx``; with ``input_grad=False`` its ``backward`` only sets
            ``dW`` and ``db`` and returns ``None``, skipping a third of its arithmetic.

    Examples:
        >>> layer = Affine(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5]))
        >>> layer.forward(np.array([[1.0, 1.0]]))
        array([[4.5, 5.5]])
        >>> layer.backward(np.array([[1.0, 0.0]]))
        array([[1., 3.]])
        >>> layer.dW, layer.db
        (array([[1., 0.],
               [1., 0.]]), array([1., 0.]))
    """

    def __init__(
        self, W: np.ndarray, b: np.ndarray, *, name: str | None = None, input_grad: bool = True
    ) -> None:
        self.name = name or "Affine"
        self.W, self.b = weights(self.name, W, b)  # checked: W (D, M) floating, b (M,)
        self.input_grad = input_grad
        self.x: np.ndarray | None = None  # the input as rows, (N, D)
        self.original_x_shape: tuple[int, ...] = ()
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return $X \\cdot W + b$ for ``x`` of shape ``(N, ...)`` (or ``(D,)``)."""
        self.x = None
        x = self._checked(x)  # numbers with D values a sample, in W's dtype
        self.original_x_shape = x.shape
        if x.ndim != 2:  # (N, ...) or one sample (D,): as rows (N, D), a view
            x = x.reshape(1 if x.ndim == 1 else x.shape[0], self.W.shape[0])
        out = x @ self.W  # (N, D) @ (D, M) -> (N, M), a new array
        out += self.b  # + b on every row, in place: no second (N, M) array for the sum
        self.x = x
        return out[0] if len(self.original_x_shape) == 1 else out  # one sample: (M,)

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Set ``dW = Xᵀ·dY`` and ``db = Σ dY``; return ``dX = dY·Wᵀ`` in the input's shape."""
        x, dout = self._backward_inputs(dout)  # checked: forward ran; dout as (N, M)
        self.dW = x.T @ dout  # (D, N) @ (N, M) -> (D, M)
        self.db = _column_sums(dout)  # Σ_n dY: (N, M) -> (M,)
        if not self.input_grad:  # the first layer: nothing below it needs dx
            return None
        dx = dout @ self.W.T  # (N, M) @ (M, D) -> (N, D)
        return dx.reshape(self.original_x_shape)

    # --8<-- [end:affine]

    def _checked(self, x: np.ndarray) -> np.ndarray:
        """``x`` as a numeric array in ``W``'s dtype whose samples have ``D`` values each."""
        W = self.W
        if type(x) is np.ndarray and x.dtype is W.dtype and x.ndim == 2 and x.shape[1] == len(W):
            return x  # the usual batch: rows (N, D) of W's floating dtype, nothing to convert
        x = numeric_array(self.name, x, min_ndim=1)
        n = 1 if x.ndim == 1 else x.shape[0]
        if x.size != n * self.W.shape[0]:
            raise ValueError(
                f"{self.name}: input of shape {x.shape} flattens to ({n}, {x.size // max(n, 1)}), "
                f"which does not fit W of shape {self.W.shape} "
                f"(each sample needs {self.W.shape[0]} values)"
            )
        return x.astype(self.W.dtype, copy=False)

    def _backward_inputs(self, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cached rows ``x`` (N, D), and ``dout`` checked against the forward output, (N, M)."""
        x = self.x  # None before forward: backward_inputs raises
        n, m = (0, 0) if x is None else (x.shape[0], self.W.shape[1])
        one = len(self.original_x_shape) == 1  # one sample: the output was (M,)
        x, dout = backward_inputs(self.name, x, dout, (m,) if one else (n, m))
        return x, dout.reshape(n, m) if one else dout


# --8<-- [start:softmax_with_loss]
class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy loss; backward $dx = dout\\,(y - t)/N$.

    The loss is computed from the scores with the log-sum-exp form
    $\\log y_k = x_k - m - \\log\\sum_i \\exp(x_i - m)$, $m = \\max_i x_i$, which is exact
    for any finite scores (no $\\delta$ is needed), so its gradient is exactly $(y - t)/N$.
    Only the classes with $t_k > 0$ enter the sum: a score that lies further below the row's
    largest than the float range reaches gives probability 0 and no NaN. The loss is finite
    whenever its exact value is a float; it is ``inf`` only when it exceeds the largest float
    (a labelled class about $1.8 \\times 10^{308}$ below the top score), and the gradient
    stays finite even then. NaN or infinite scores are refused (``ValueError``).

    Args:
        name: Name used in error messages (default ``"SoftmaxWithLoss"``).

    Examples:
        >>> layer = SoftmaxWithLoss()
        >>> round(layer.forward(np.array([[0.0, 0.0]]), np.array([1])), 4)  # -log(1/2)
        0.6931
        >>> layer.backward()
        array([[ 0.5, -0.5]])
    """

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "SoftmaxWithLoss"
        self.loss: float | None = None
        self.y: np.ndarray | None = None  # softmax output, (N, C)
        self.t: np.ndarray | None = None  # labels as one-hot rows, (N, C)

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        """Return the mean loss for scores ``x`` (``(N, C)`` or ``(C,)``) and labels ``t``."""
        self.loss = self.y = self.t = None
        x, t, huge = _scores_and_labels(self.name, x, t)  # checked; t as one-hot rows like x
        with _overflow_allowed(huge):  # a gap beyond the float range is -inf: exp gives 0
            shifted = x - _row_max(x)  # (N, C) - (N, 1): the largest is 0
        e = np.exp(shifted)
        total = _row_sums(e)  # Σ_i exp(x_i) of each row, (N, 1), between 1 and C
        # L = -Σ t log y / N, with log y = shifted - log(total) and each row of t summing to 1;
        # only the classes with t > 0 count (0 · (-inf) would be NaN)
        batch_size = x.shape[0] if x.ndim == 2 else 1
        labelled = _labelled_sum(t, shifted)  # Σ t · shifted over the classes with t > 0
        self.loss = float((np.log(total).sum() - labelled) / batch_size)
        if self.loss == np.inf:  # the sum over the batch overflowed: the mean of each row's
            self.loss = _mean_of_rows(np.log(total), t, shifted, batch_size)  # loss may not
        e /= total  # softmax y = e / Σ e, in place: e is this call's own array
        self.y, self.t = e, t  # (N, C)
        return self.loss

    def backward(self, dout: float = 1) -> np.ndarray:
        """Return ``dx = dout * (y - t) / N`` (a new array, the dtype of the scores)."""
        y, dout = backward_inputs(self.name, self.y, dout, shape=())  # checked: a number
        batch_size = y.shape[0] if y.ndim == 2 else 1
        dx = y - self.t  # (N, C), a new array
        dx *= float(dout) / batch_size  # in place: no second (N, C) array
        return dx


# --8<-- [end:softmax_with_loss]


def _overflow_allowed(huge: bool) -> contextlib.AbstractContextManager[object]:
    """``np.errstate(over="ignore")`` if a gap ``x_k - max x`` can overflow (``huge``); else none.

    Only scores beyond the square root of the largest float can lie further apart than the float
    range: when ``x · x`` is finite (`_scores_and_labels` computes it once), every gap is too,
    and the batch skips the cost of ``np.errstate`` (more than the subtraction's for 10 classes).
    """
    return np.errstate(over="ignore") if huge else contextlib.nullcontext()


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Sums over the last axis, kept as an axis of length 1: ``(N, C) -> (N, 1)``, ``(C,) -> (1,)``.

    The same numbers as ``a.sum(axis=-1, keepdims=True)`` up to rounding, written as a
    matrix-vector product: for a short last axis (10 classes) BLAS does it several times faster,
    and the loss needs it on every batch. (The pages' printed digits were computed this way.)
    """
    return a @ _ones((a.shape[-1], 1), a.dtype)  # (N, C) @ (C, 1) -> (N, 1)


def _row_max(a: np.ndarray) -> np.ndarray:
    """The largest entry of each row, kept as an axis of length 1: ``(N, C) -> (N, 1)``.

    Exactly ``a.max(axis=-1, keepdims=True)`` (a maximum has no rounding). numpy reduces a short
    last axis (10 classes) slowly, row by row; on a copy laid out class by class the same
    maximum is ``C - 1`` elementwise comparisons of whole columns, about twice as fast.
    """
    if a.ndim == 1:  # one sample: (C,) -> (1,)
        return a.max(axis=-1, keepdims=True)
    return np.maximum.reduce(a.T.copy(), axis=0)[:, None]  # (C, N), contiguous -> (N, 1)


def _column_sums(a: np.ndarray) -> np.ndarray:
    """Sums over the first axis (the batch): ``(N, M) -> (M,)``.

    The same numbers as ``a.sum(axis=0)`` up to rounding, as a vector-matrix product
    ``1ᵀ · a``, which BLAS does about twice as fast for a batch of 100 rows.
    """
    return _ones((a.shape[0],), a.dtype) @ a  # (N,) @ (N, M) -> (M,)


@functools.lru_cache(maxsize=32)
def _ones(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A read-only array of ones, made once per shape and dtype (not on every batch)."""
    ones = np.ones(shape, dtype=dtype)
    ones.flags.writeable = False
    return ones


def _labelled_sum(t: np.ndarray, shifted: np.ndarray) -> np.floating:
    """``Σ t · shifted`` over the classes with ``t > 0``: ``0 · (-inf)`` would be NaN.

    ``shifted`` holds ``-inf`` only where a score lies further below its row's largest than the
    float range reaches; otherwise every class may enter (``0 · shifted`` is 0), and one dot
    product gives the same sum without building the masked array.
    """
    labelled = np.vdot(t, shifted)
    if math.isfinite(labelled):  # no 0 · (-inf) met (it would have made the sum NaN)
        return labelled
    return np.vdot(t, np.where(t > 0, shifted, 0))


def _mean_of_rows(
    log_total: np.ndarray, t: np.ndarray, shifted: np.ndarray, batch_size: int
) -> float:
    """The mean loss divided row by row first: finite whenever it is a float (inf past it)."""
    t_log = t * np.where(t > 0, shifted, 0)  # only the classes with t > 0
    with np.errstate(over="ignore"):
        rows = log_total.reshape(-1) - t_log.reshape(batch_size, -1).sum(axis=-1)  # (N,)
        return float(np.sum(rows / batch_size))


def _scores_and_labels(
    name: str, x: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Scores ``x`` checked (finite, ``(N, C)`` or ``(C,)``), labels ``t`` as rows like ``x``.

    ``t`` may be one-hot (or soft) rows of ``x``'s shape, or integer labels, one per sample.
    The third says that ``x · x`` overflowed: a gap may pass the float range (`_overflow_allowed`).
    """
    x = numeric_array(name, x)
    huge = not math.isfinite(np.vdot(x, x))  # finite if every score is: one dot product
    if huge:  # a NaN or inf: the shared check's error; else scores beyond √(float max)
        numeric_array(name, x, finite=True)
    if x.ndim not in (1, 2):
        raise ValueError(f"{name}: x must have shape (N, C) or (C,), got {x.shape}")
    t = np.asarray(t)
    if t.shape == x.shape:  # one-hot (or soft) label rows
        t = numeric_array(name, t, name="t")
        _check_label_rows(name, t)
        return x, t.astype(x.dtype, copy=False), huge
    if t.shape == x.shape[:-1]:  # integer labels
        classes = labels(name, t, x.shape[-1]).reshape(-1)  # (N,)
        rows = np.zeros((classes.size, x.shape[-1]), dtype=x.dtype)  # (N, C)
        rows[np.arange(classes.size), classes] = 1
        return x, rows.reshape(x.shape), huge
    hint = ""
    if x.ndim == 2 and t.ndim >= 1 and t.shape[0] != x.shape[0]:
        hint = f": t has {t.shape[0]} samples but x has {x.shape[0]}"
    raise ValueError(
        f"{name}: t of shape {t.shape} does not fit x of shape {x.shape}{hint} "
        f"(expected one-hot labels {x.shape} or integer labels {x.shape[:-1]})"
    )


def _check_label_rows(name: str, t: np.ndarray) -> None:
    """Refuse label rows ``t`` with a negative entry, or a row that does not sum to 1 (or NaN).

    Rows that pass, the usual case, take four numpy calls and no boolean array: the row sums as a
    matrix-vector product, their squared distance from 1, and the smallest entry (with 0, so that
    an empty batch passes). Any other ``t`` gets the two checks one by one, for the error.
    """
    row_sums = t @ _ones((t.shape[-1],), t.dtype)  # Σ_k t_k of each row: (N,), or () if (C,)
    deviation = row_sums - 1
    # Σ (row sum - 1)² below half of (1e-5)² puts every row within 1e-5, rounding included;
    # NaN fails both comparisons and takes the checks below (min with 0 too: no error if empty)
    if np.vdot(deviation, deviation) <= 0.5e-10 and np.minimum.reduce(t, None, initial=0) >= 0:
        return
    if t.size and t.min() < 0:
        raise ValueError(f"{name}: one-hot labels t must be >= 0")
    # written so that NaN fails too (every comparison with NaN is False)
    if t.size and not (row_sums.min() >= 1 - 1e-5 and row_sums.max() <= 1 + 1e-5):
        raise ValueError(f"{name}: each one-hot label row of t must sum to 1 (and be finite)")
