"""The checks every public entry point shares: one mistake, one exception type, one phrasing.

A message names where the mistake was caught (the function or class), what is wrong, what was
given and, where it helps, what to do::

    Dense: units must be a positive integer, got 0
    Sequential.fit: x has 60 samples but y has 59
    Relu.backward was called before forward: call forward first

Wrong *types* raise ``TypeError`` (a string where a number belongs, ``True`` for a count),
wrong *values* of the right type raise ``ValueError`` (0 units, an unknown name, a shape that does
not fit), and using an object in the wrong order raises ``RuntimeError``. The computational-graph
engine (`backprop_book.graphs`) runs on the standard library alone and keeps its own checks, in
the same phrasing.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "choice",
    "dout_like",
    "labels",
    "not_ready",
    "numeric_array",
    "positive_int",
    "positive_number",
    "same_length",
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
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {value!r} ({type(value).__name__})")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{where}: {name} must be a positive finite number, got {value!r}")
    return float(value)


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


def numeric_array(where: str, x: Any, *, min_ndim: int = 0, name: str = "x") -> np.ndarray:
    """``x`` as a floating array: float32 stays float32, integers become float64.

    Booleans, strings, objects and complex numbers are refused with a ``TypeError``; fewer than
    ``min_ndim`` axes with a ``ValueError``.

    Examples:
        >>> numeric_array("Relu", [1, 2]).dtype
        dtype('float64')
        >>> numeric_array("Affine", 3.0, min_ndim=1)
        Traceback (most recent call last):
        ...
        ValueError: Affine: x must be an array with at least 1 axis, got shape ()
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
    return x if kind == "f" else x.astype(np.float64)


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
    out = t.astype(np.int64, copy=False)
    if out.size and (out.min() < 0 or out.max() >= num_classes):
        first = out[(out < 0) | (out >= num_classes)].ravel()[0]
        raise ValueError(
            f"{where}: label {first} is out of range for {num_classes} classes "
            f"(labels must be 0..{num_classes - 1})"
        )
    return out


def same_length(where: str, **arrays: Any) -> int:
    """The common first length of ``arrays`` (samples), or a ``ValueError`` naming both.

    Examples:
        >>> same_length("fit", x=np.zeros((3, 2)), y=np.zeros(3))
        3
        >>> same_length("fit", x=np.zeros((3, 2)), y=np.zeros(2))
        Traceback (most recent call last):
        ...
        ValueError: fit: x has 3 samples but y has 2
    """
    (first, a), *rest = arrays.items()
    n = len(a)
    for name, b in rest:
        if len(b) != n:
            raise ValueError(f"{where}: {first} has {n} samples but {name} has {len(b)}")
    return n


def not_ready(where: str) -> RuntimeError:
    """The error of ``backward`` called before ``forward`` (raise what it returns).

    Examples:
        >>> not_ready("Relu")
        RuntimeError('Relu.backward was called before forward: call forward first')
    """
    return RuntimeError(f"{where}.backward was called before forward: call forward first")


def dout_like(where: str, dout: Any, shape: tuple[int, ...]) -> np.ndarray:
    """``dout`` as an array, if it has the shape of the forward output; else a ``ValueError``.

    Examples:
        >>> dout_like("Relu", [1.0, 2.0], (2,))
        array([1., 2.])
        >>> dout_like("Relu", [1.0], (2,))
        Traceback (most recent call last):
        ...
        ValueError: Relu.backward: dout has shape (1,) but the forward output had shape (2,)
    """
    dout = np.asarray(dout)
    if dout.shape != tuple(shape):
        raise ValueError(
            f"{where}.backward: dout has shape {dout.shape} "
            f"but the forward output had shape {tuple(shape)}"
        )
    return dout
