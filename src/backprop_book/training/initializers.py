"""Weight initializers: the starting values of a layer's weight matrix ``W``.

A weight matrix of shape ``(fan_in, fan_out)`` maps ``fan_in`` inputs to ``fan_out`` outputs.
The lecture notes show why ``W = 0, b = 0`` fails (every unit computes the same thing, so every
unit gets the same gradient and they never become different); *Deep Learning from Scratch*
(section 6.2) starts from small random values (``std = 0.01``) and then introduces the scaled
initializations of Xavier Glorot (``std = 1/sqrt(fan_in)``, for sigmoid/tanh) and Kaiming He
(``std = sqrt(2/fan_in)``, for ReLU).

Every method draws from ``rng`` (a ``numpy.random.Generator``, or an integer seed), always in
float64 first and then cast to ``dtype``, so one seed gives the same weights in float32 and float64
up to rounding.
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import positive_int

__all__ = ["INITIALIZERS", "METHODS", "initialize_weight", "weight_std"]

METHODS = ("zeros", "std", "xavier", "he")  # the book's names
# The registry: every initializer name the package accepts (Dense, the CLI, model files),
# the book's methods and their Keras names, each mapped to the method that draws it.
INITIALIZERS = {
    **{method: method for method in METHODS},
    **{"random_normal": "std", "glorot_normal": "xavier", "he_normal": "he"},
}


def weight_std(method: str, fan_in: int, *, std: float = 0.01) -> float:
    """Standard deviation that ``method`` uses for a weight matrix with ``fan_in`` inputs.

    Args:
        method: One of ``"zeros"``, ``"std"``, ``"xavier"``, ``"he"``.
        fan_in: Number of inputs of the layer (rows of ``W``).
        std: The standard deviation used by ``"std"``.

    Returns:
        ``0`` for zeros, ``std`` for std, ``1/sqrt(fan_in)`` for xavier, ``sqrt(2/fan_in)`` for he.

    Raises:
        ValueError: Unknown method, or ``fan_in`` not a positive integer.

    Examples:
        >>> weight_std("xavier", 100)
        0.1
        >>> round(weight_std("he", 50), 4)
        0.2
    """
    positive_int("weight_std", "fan_in", fan_in)
    if method == "zeros":
        return 0.0
    if method == "std":
        if not np.isfinite(std) or std < 0:
            raise ValueError(f"weight_std: std must be a finite number >= 0, got {std!r}")
        return float(std)
    if method == "xavier":
        return float(1.0 / np.sqrt(fan_in))
    if method == "he":
        return float(np.sqrt(2.0 / fan_in))
    raise ValueError(f"weight_std: unknown method {method!r}; choose one of {', '.join(METHODS)}")


# --8<-- [start:initialize_weight]
def initialize_weight(
    fan_in: int,
    fan_out: int,
    method: str = "std",
    *,
    std: float = 0.01,
    rng: np.random.Generator | int | None = None,
    dtype: type | np.dtype = np.float64,
) -> np.ndarray:
    """A new weight matrix ``W`` of shape ``(fan_in, fan_out)``.

    Args:
        fan_in: Number of inputs (rows of ``W``).
        fan_out: Number of outputs (columns of ``W``).
        method: ``"zeros"``, ``"std"`` (normal times ``std``), ``"xavier"`` (normal times
            ``1/sqrt(fan_in)``) or ``"he"`` (normal times ``sqrt(2/fan_in)``).
        std: Standard deviation for ``method="std"``.
        rng: A ``numpy.random.Generator``, an integer seed, or ``None`` for fresh randomness.
        dtype: Floating dtype of the result (float64 or float32).

    Returns:
        The weight matrix, shape ``(fan_in, fan_out)``, of ``dtype``.

    Raises:
        ValueError: Unknown method or a size that is not a positive integer.
        TypeError: A dtype that is not floating point.

    Examples:
        >>> W = initialize_weight(3, 2, "std", rng=0)
        >>> W.shape, W.dtype
        ((3, 2), dtype('float64'))
        >>> initialize_weight(2, 2, "zeros")
        array([[0., 0.],
               [0., 0.]])
        >>> initialize_weight(784, 50, "he", rng=0, dtype=np.float32).dtype
        dtype('float32')
    """
    positive_int("initialize_weight", "fan_in", fan_in)
    positive_int("initialize_weight", "fan_out", fan_out)
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"initialize_weight: dtype must be floating point, got {dtype}")
    scale = weight_std(method, fan_in, std=std)
    if method == "zeros":
        return np.zeros((fan_in, fan_out), dtype=dtype)
    rng = np.random.default_rng(rng)
    W = scale * rng.standard_normal((fan_in, fan_out))  # (fan_in, fan_out), drawn in float64
    return W.astype(dtype)


# --8<-- [end:initialize_weight]
