"""Flatten: images ``(N, C, H, W)`` as rows ``(N, C·H·W)`` for an `Affine` layer, and back.

Between the convolution and pooling layers, which keep the image's shape, and the `Affine`
layers of a classifier, which take one row per sample, the batch is reshaped. A reshape moves
no number and changes none, so its backward pass is the reverse reshape: each gradient goes
back to the cell its value came from. Both directions return a new array, so that changing the
output never reaches the input (or ``dout``).
"""

from __future__ import annotations

import math

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import numeric_array

__all__ = ["Flatten"]


# --8<-- [start:flatten]
class Flatten:
    """Reshape ``(N, ...)`` to ``(N, D)``, ``D`` the product of the other axes; backward undoes it.

    Args:
        name: Name used in error messages (default ``"Flatten"``).

    Examples:
        >>> flat = Flatten()
        >>> flat.forward(np.arange(8.0).reshape(2, 1, 2, 2))
        array([[0., 1., 2., 3.],
               [4., 5., 6., 7.]])
        >>> flat.backward(np.ones((2, 4))).shape
        (2, 1, 2, 2)
    """

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "Flatten"
        self.x_shape: tuple[int, ...] | None = None  # (N, C, H, W) of the last forward

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x`` ``(N, C, H, W)`` as ``(N, C·H·W)``."""
        self.x_shape = None
        x = numeric_array(self.name, x, min_ndim=2)  # a batch: (N, ...)
        self.x_shape = x.shape
        # (N, C, H, W) -> (N, C·H·W), a new array; the width is named, not -1, so that an empty
        # batch (N = 0) flattens too
        return x.reshape(x.shape[0], math.prod(x.shape[1:])).copy()

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dout`` ``(N, C·H·W)`` in the input's shape ``(N, C, H, W)``."""
        out_shape = None  # no forward output yet
        if self.x_shape is not None:
            out_shape = (self.x_shape[0], int(np.prod(self.x_shape[1:])))
        x_shape, dout = backward_inputs(self.name, self.x_shape, dout, out_shape)
        return dout.reshape(x_shape).copy()  # (N, C·H·W) -> (N, C, H, W), a new array

    # --8<-- [end:flatten]
