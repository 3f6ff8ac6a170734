"""Activation layers: ReLU and Sigmoid, each one node of the computational graph.

Each layer has the pattern of *Deep Learning from Scratch* ``common/layers.py`` (chapter 5):
``forward`` stores what ``backward`` needs (ReLU the mask of the inputs that were not positive,
Sigmoid its output ``y``), and ``backward(dout)`` returns the gradient with respect to the input.
``dout`` is never modified in place, ``backward`` before ``forward`` raises, and float32 stays
float32.
"""

from __future__ import annotations

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import numeric_array
from backprop_book.layers.functions import sigmoid

__all__ = ["Relu", "Sigmoid"]


# --8<-- [start:relu]
class Relu:
    """ReLU layer: $y = x$ where $x > 0$, else $0$; backward passes ``dout`` where $x > 0$.

    Args:
        name: Name used in error messages (default ``"Relu"``).

    Examples:
        >>> layer = Relu()
        >>> layer.forward(np.array([-1.0, 2.0]))
        array([0., 2.])
        >>> layer.backward(np.array([5.0, 5.0]))
        array([0., 5.])
    """

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "Relu"
        self.mask: np.ndarray | None = None  # True where x <= 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return $\\max(0, x)$ and remember where $x \\le 0$."""
        self.mask = None
        x = numeric_array(self.name, x)  # checked: numbers, float32 kept
        self.mask = x <= 0
        out = np.maximum(x, 0)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dx``: ``dout`` where $x > 0$, 0 elsewhere (a new array)."""
        mask, dout = backward_inputs(self.name, self.mask, dout)  # checked: forward ran, shape
        dx = np.where(mask, 0, dout)
        return dx


# --8<-- [end:relu]


# --8<-- [start:sigmoid]
class Sigmoid:
    """Sigmoid layer: $y = 1/(1 + \\exp(-x))$; backward $dx = dout \\cdot y(1 - y)$.

    Args:
        name: Name used in error messages (default ``"Sigmoid"``).

    Examples:
        >>> layer = Sigmoid()
        >>> layer.forward(np.array([0.0]))
        array([0.5])
        >>> layer.backward(np.array([1.0]))
        array([0.25])
    """

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "Sigmoid"
        self.out: np.ndarray | None = None  # y, the forward output

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return $y = \\sigma(x)$ and remember it."""
        self.out = None
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dx = dout * y * (1 - y)``."""
        y, dout = backward_inputs(self.name, self.out, dout)  # checked: forward ran, shape
        dx = dout * (1 - y) * y
        return dx


# --8<-- [end:sigmoid]
