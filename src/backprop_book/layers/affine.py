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

import numpy as np

from backprop_book.checks import backward_inputs, numeric_array, weights
from backprop_book.layers._loss_helpers import (
    _column_sums,
    _labelled_sum,
    _mean_of_rows,
    _overflow_allowed,
    _row_max,
    _row_sums,
    _scores_and_labels,
)

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
