"""The checks every public entry point shares: one mistake, one exception type, one phrasing.

A message names where the mistake was caught (the function or class), what is wrong, what was
given and, where it helps, what to do: ``Dense: units must be a positive integer, got 0``.
Wrong *types* raise ``TypeError`` (a string where a number belongs, ``True`` for a count),
wrong *values* of the right type raise ``ValueError`` (0 units, an unknown name, a shape that does
not fit), and using an object in the wrong order raises ``RuntimeError``. The computational-graph
engine (`backprop_book.graphs`) runs on the standard library alone and keeps its own checks, in
the same phrasing."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "choice",
    "fraction",
    "labels",
    "numeric_array",
    "positive_int",
    "positive_number",
    "same_length",
    "weights",
]


def positive_int(where: str, name: str, value: Any, *, minimum: int = 1) -> int:
    """``value`` as an ``int`` of at least ``minimum`` (1 by default), or a clear error.

    ``numpy`` integers are welcome; ``True`` is not a count, and neither is ``2.0``.

    Examples:
        >>> positive_int("Dense", "units", 50)
        50
        >>> positive_int("Dense", "units", 0)
        Traceback (most recent call last):
        ...
        ValueError: Dense: units must be a positive integer, got 0
        >>> positive_int("EarlyStopping", "patience", "3", minimum=0)
        Traceback (most recent call last):
        ...
        TypeError: EarlyStopping: patience must be an integer >= 0, got '3' (str)
    """
    what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be {what}, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{where}: {name} must be {what}, got {value!r}")
    return int(value)


def _real(where: str, name: str, value: Any, what: str, ok: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be {what}, got {value!r} ({type(value).__name__})")
    if not ok(float(value)):  # NaN fails every comparison, so it fails here
        raise ValueError(f"{where}: {name} must be {what}, got {value!r}")
    return float(value)


def positive_number(where: str, name: str, value: Any) -> float:
    """``value`` as a finite ``float`` greater than 0 (a learning rate, a standard deviation).

    Examples:
        >>> positive_number("SGD", "lr", 0.1)
        0.1
        >>> positive_number("SGD", "lr", -1)
        Traceback (most recent call last):
        ...
        ValueError: SGD: lr must be a positive finite number, got -1
    """
    return _real(where, name, value, "a positive finite number", lambda v: 0 < v < math.inf)


def fraction(where: str, name: str, value: Any, *, zero: bool = False) -> float:
    """``value`` as a ``float`` below 1 and above 0 (or from 0 on, with ``zero=True``).

    A validation split is strictly between 0 and 1; a momentum or a decay rate may be 0.

    Examples:
        >>> fraction("Momentum", "momentum", 0.0, zero=True)
        0.0
        >>> fraction("train_validation_split", "validation_split", 1.0)
        Traceback (most recent call last):
        ...
        ValueError: train_validation_split: validation_split must be a number > 0 and < 1, got 1.0
    """
    what = f"a number {'>=' if zero else '>'} 0 and < 1"
    return _real(where, name, value, what, lambda v: (0 <= v if zero else 0 < v) and v < 1)


def choice(where: str, what: str, value: Any, valid: Iterable[object]) -> Any:
    """``value`` if it is one of ``valid``, else a ``ValueError`` listing the choices.

    Examples:
        >>> choice("Dense", "activation", "relu", ["relu", "sigmoid"])
        'relu'
        >>> choice("Dense", "activation", "tanh", ["relu", "sigmoid"])
        Traceback (most recent call last):
        ...
        ValueError: Dense: unknown activation 'tanh'; choose one of relu, sigmoid
    """
    valid = list(valid)
    if isinstance(value, bool) or value not in valid:
        raise ValueError(
            f"{where}: unknown {what} {value!r}; choose one of {', '.join(map(str, valid))}"
        )
    return value


def numeric_array(
    where: str, x: Any, *, min_ndim: int = 0, name: str = "x", finite: bool = False
) -> np.ndarray:
    """``x`` as a floating array: float32 stays float32, integers become float64.

    Booleans, strings, objects and complex numbers are refused with a ``TypeError``; fewer than
    ``min_ndim`` axes, or (with ``finite=True``) a NaN or an infinity, with a ``ValueError``.

    Examples:
        >>> numeric_array("Relu", [1, 2]).dtype
        dtype('float64')
        >>> numeric_array("Affine", 3.0, min_ndim=1)
        Traceback (most recent call last):
        ...
        ValueError: Affine: x must be an array with at least 1 axis, got shape ()
        >>> numeric_array("SoftmaxWithLoss", [0.0, float("nan")], finite=True)
        Traceback (most recent call last):
        ...
        ValueError: SoftmaxWithLoss: x contains NaN or inf; the scores must be finite
    """
    x = np.asarray(x)
    kind = x.dtype.kind  # "f" float, "i"/"u" integer, "b" bool, "c" complex, "O"/"U"/... other
    if kind == "c":
        raise TypeError(f"{where}: complex input is not supported (dtype {x.dtype})")
    if kind not in "fiu":
        raise TypeError(f"{where}: {name} must be a numeric array, got dtype {x.dtype}")
    if x.ndim < min_ndim:
        axes = "axis" if min_ndim == 1 else "axes"
        raise ValueError(
            f"{where}: {name} must be an array with at least {min_ndim} {axes}, got shape {x.shape}"
        )
    # x · x is finite only if every entry is (one dot product); else np.isfinite decides
    if finite and kind == "f" and not (math.isfinite(np.vdot(x, x)) or np.isfinite(x).all()):
        raise ValueError(f"{where}: {name} contains NaN or inf; the scores must be finite")
    return x if kind == "f" else x.astype(np.float64)


def weights(where: str, W: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` as given, if ``W`` is a floating ``(D, M)`` array and ``b`` has shape ``(M,)``.

    The arrays are kept, not copied: updating them in place updates the layer.

    Examples:
        >>> W, b = weights("Affine", np.ones((3, 2)), np.zeros(2))
        >>> W.shape, b.shape
        ((3, 2), (2,))
        >>> weights("Affine", np.ones((3, 2)), np.zeros(3))
        Traceback (most recent call last):
        ...
        ValueError: Affine: b has shape (3,) but W has shape (3, 2); b must have shape (2,)
    """
    if not isinstance(W, np.ndarray) or W.ndim != 2:
        raise ValueError(f"{where}: W must be a 2-D array (D, M), got {np.shape(W)}")
    if W.dtype.kind != "f":
        raise TypeError(f"{where}: W must be floating point, got dtype {W.dtype}")
    if not isinstance(b, np.ndarray) or b.shape != (W.shape[1],):
        raise ValueError(
            f"{where}: b has shape {np.shape(b)} but W has shape {W.shape}; "
            f"b must have shape ({W.shape[1]},)"
        )
    return W, b


def labels(where: str, t: Any, num_classes: int) -> np.ndarray:
    """``t`` as an ``int64`` array of class labels in ``[0, num_classes)``, or a clear error.

    Whole-valued floats such as ``2.0`` are accepted (labels often arrive as floats).

    Examples:
        >>> labels("demo", [1, 0], 2)
        array([1, 0])
        >>> labels("demo", [3], 2)
        Traceback (most recent call last):
        ...
        ValueError: demo: label 3 is out of range for 2 classes (labels must be 0..1)
    """
    t = np.asarray(t)
    if t.dtype.kind not in "iuf":
        raise TypeError(f"{where}: labels must be integers, got dtype {t.dtype}")
    if t.dtype.kind == "f" and (not np.all(np.isfinite(t)) or not np.all(t == np.round(t))):
        raise ValueError(f"{where}: labels must be whole numbers, got {t.ravel()[:5]}")
    bad = (t < 0) | (t >= num_classes)  # on the values given: 1e20 must not wrap around
    if bad.any():
        raise ValueError(
            f"{where}: label {t[bad].ravel()[0].item()!r} is out of range for {num_classes} "
            f"classes (labels must be 0..{num_classes - 1})"
        )
    return t.astype(np.int64, copy=False)


def same_length(where: str, *, unit: str = "samples", **arrays: Any) -> int:
    """The common first length of ``arrays`` (samples), or a ``ValueError`` naming both.

    An array with no first axis (a plain number) has no samples: ``TypeError``.

    Examples:
        >>> same_length("fit", x=np.zeros((3, 2)), y=np.zeros(3))
        3
        >>> same_length("fit", x=np.zeros((3, 2)), y=np.zeros(2))
        Traceback (most recent call last):
        ...
        ValueError: fit: x has 3 samples but y has 2
        >>> same_length("plot_accuracy", unit="values", train_acc=[0.8, 0.9], test_acc=[0.7])
        Traceback (most recent call last):
        ...
        ValueError: plot_accuracy: train_acc has 2 values but test_acc has 1
    """
    lengths = {}
    for name, a in arrays.items():
        if np.ndim(a) == 0:
            raise TypeError(
                f"{where}: {name} must be an array with one entry per sample, "
                f"got {type(a).__name__} {a!r}"
            )
        lengths[name] = len(a)
    (first, n), *rest = lengths.items()
    for name, m in rest:
        if m != n:
            raise ValueError(f"{where}: {first} has {n} {unit} but {name} has {m}")
    return n
