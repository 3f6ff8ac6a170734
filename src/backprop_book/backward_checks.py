"""The checks of every layer's ``backward``: its ``forward`` ran, and ``dout`` fits what it made.

A layer's ``backward(dout)`` needs what its ``forward`` stored (called before it: a
``RuntimeError``), and an upstream gradient ``dout`` of real numbers (``TypeError``) in the
shape of the forward output (``ValueError``), named in the phrasing of `backprop_book.checks`:
``Relu.backward: dout has shape (1,) but the forward output had shape (2,)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["backward_inputs", "dout_like", "not_ready"]


def not_ready(where: str) -> RuntimeError:
    """The error of ``backward`` called before ``forward`` (raise what it returns).

    Examples:
        >>> not_ready("Relu")
        RuntimeError('Relu.backward was called before forward: call forward first')
    """
    return RuntimeError(f"{where}.backward was called before forward: call forward first")


def backward_inputs(
    where: str, cache: Any, dout: Any, shape: tuple[int, ...] | None = None
) -> tuple[Any, Any]:
    """``(cache, dout)`` for a ``backward``: what ``forward`` stored, and the upstream gradient.

    ``cache`` is what the layer's ``forward`` left (``None`` before it ran: ``RuntimeError``);
    ``dout`` must have the shape of the forward output, ``shape``, by default the cache's own
    (``ValueError``; see `dout_like`).

    Examples:
        >>> y, dout = backward_inputs("Sigmoid", np.array([0.5, 0.5]), [1.0, 2.0])
        >>> dout
        array([1., 2.])
        >>> backward_inputs("Sigmoid", None, [1.0])
        Traceback (most recent call last):
        ...
        RuntimeError: Sigmoid.backward was called before forward: call forward first
    """
    if cache is None:
        raise not_ready(where)
    expected = getattr(cache, "shape", ()) if shape is None else shape  # a number: ()
    ready = (  # the usual case, a floating array of the right shape: as it is
        type(dout) is np.ndarray and dout.shape == expected and dout.dtype.kind == "f"
    )
    return cache, dout if ready else dout_like(where, dout, expected)


def dout_like(where: str, dout: Any, shape: tuple[int, ...] | None) -> Any:
    """``dout`` if it has the shape of the forward output, ``shape``; else a ``ValueError``.

    A Python number stays a number (``MulLayer().backward(1.1)`` computes with floats, as in
    the book); anything else becomes an array. A gradient is real numbers: ``True``, complex
    numbers, strings and objects are refused with a ``TypeError`` (a complex ``dout`` would
    give complex gradients without a word). ``shape`` is ``None`` while there is no forward
    output: then the error of ``backward`` called before ``forward`` (``RuntimeError``).

    Examples:
        >>> dout_like("Relu", [1.0, 2.0], (2,))
        array([1., 2.])
        >>> dout_like("MulLayer", 1.1, ())
        1.1
        >>> dout_like("Relu", [1.0], (2,))
        Traceback (most recent call last):
        ...
        ValueError: Relu.backward: dout has shape (1,) but the forward output had shape (2,)
        >>> dout_like("Sigmoid", np.array([1 + 2j]), (1,))
        Traceback (most recent call last):
        ...
        TypeError: Sigmoid.backward: dout must be real numbers, got dtype complex128
    """
    if shape is None:
        raise not_ready(where)
    array = np.asarray(dout)
    if isinstance(dout, bool) or array.dtype.kind not in "fiu":
        what = "bool" if isinstance(dout, bool) else f"dtype {array.dtype}"
        raise TypeError(f"{where}.backward: dout must be real numbers, got {what}")
    if array.shape != tuple(shape):
        raise ValueError(
            f"{where}.backward: dout has shape {array.shape} "
            f"but the forward output had shape {tuple(shape)}"
        )
    return dout if isinstance(dout, (int, float)) else array
