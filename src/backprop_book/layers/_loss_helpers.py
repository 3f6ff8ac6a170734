"""Private helpers of the Affine and Softmax-with-Loss layers (`backprop_book.layers.affine`).

The layers' pages show the layers; what is here makes them fast and safe without changing what
they compute: reductions over a short axis written as BLAS products (`_row_sums`,
`_column_sums`) or on a transposed copy (`_row_max`), and the loss layer's checks of its scores
and labels (`_scores_and_labels`), which the usual batch passes in a few numpy calls while any
other input still meets the full checks and their errors.
"""

from __future__ import annotations

import contextlib
import functools
import math

import numpy as np

from backprop_book.checks import labels, numeric_array


def _overflow_allowed(huge: bool) -> contextlib.AbstractContextManager[object]:
    """``np.errstate(over="ignore")`` if a gap ``x_k - max x`` can overflow (``huge``); else none.

    Only scores beyond the square root of the largest float can lie further apart than the float
    range: when ``x · x`` is finite (`_scores_and_labels` computes it once), every gap is too,
    and the batch skips the cost of ``np.errstate`` (more than the subtraction's for 10 classes).
    """
    return np.errstate(over="ignore") if huge else _NO_CHANGE


_NO_CHANGE = contextlib.nullcontext()  # reusable: it holds no state


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Sums over the last axis, kept as an axis of length 1: ``(N, C) -> (N, 1)``, ``(C,) -> (1,)``.

    The same numbers as ``a.sum(axis=-1, keepdims=True)`` up to rounding, written as a
    matrix-vector product: for a short last axis (10 classes) BLAS does it several times faster,
    and the loss needs it on every batch. (The pages' printed digits were computed this way.)
    ``np.dot`` rather than ``@``: the same BLAS call, with less of numpy's dispatch around it.
    """
    return np.dot(a, _ones((a.shape[-1], 1), a.dtype))  # (N, C) @ (C, 1) -> (N, 1)


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
    return np.dot(_ones((a.shape[0],), a.dtype), a)  # (N,) @ (N, M) -> (M,)


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
    The usual batch, floating scores ``(N, C)`` with one-hot rows of their dtype, is used as it
    is, with the same checks of its values as any other input (finite scores, label rows).
    """
    usual = (  # the usual batch: floating scores (N, C), one-hot rows of their dtype
        type(x) is np.ndarray
        and type(t) is np.ndarray
        and x.ndim == 2
        and t.dtype is x.dtype
        and x.dtype.kind == "f"
        and t.shape == x.shape
    )
    if not usual:
        x = numeric_array(name, x)
    huge = not math.isfinite(np.vdot(x, x))  # finite if every score is: one dot product
    if huge:  # a NaN or inf: the shared check's error; else scores beyond √(float max)
        numeric_array(name, x, finite=True)
    if usual:  # used as given: no conversion, no copy; checked like any other rows
        _check_label_rows(name, t)
        return x, t, huge
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
    row_sums = np.dot(t, _ones((t.shape[-1],), t.dtype))  # Σ_k t_k of each row: (N,), or ()
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
