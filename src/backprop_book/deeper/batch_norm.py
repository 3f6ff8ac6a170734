"""Batch normalization: each feature of a batch centred, scaled to unit variance, then shifted.

Ioffe and Szegedy (2015) normalize every feature over the batch, $\\hat x = (x - \\mu)/\\sigma$,
and let the network undo it where it helps, $y = \\gamma \\hat x + \\beta$. *Deep Learning from
Scratch* (section 6.3) builds it as a layer with the pattern of ``common/layers.py``; this module
does the same, with the layer's computational graph written out node by node: `graph_forward`
computes the mean, the centring, the square, the variance, the $+\\varepsilon$, the square root,
the reciprocal, the multiplication, the scale and the shift, and `graph_backward` runs the chain
rule back through those ten nodes. `BatchNormalization.backward` uses the compact closed form
that the nodes sum up to; `BatchNormalization.staged_backward` goes through the nodes.

In training mode (``train_flg=True``) the layer normalizes with the batch's own mean and
(biased) variance and updates running averages of both; in inference mode it uses the running
averages, so one sample gives the same output alone or in any batch. Inputs are ``(N, D)``, or
images ``(N, C, H, W)`` normalized per channel over the batch and the pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import fraction, numeric_array, positive_number

__all__ = ["BatchNormalization", "graph_backward", "graph_forward"]


# --8<-- [start:graph_forward]
def graph_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> dict[str, np.ndarray]:
    """The forward pass of batch normalization node by node, every intermediate kept by name.

    Args:
        x: A batch of rows, ``(N, D)``.
        gamma: Scale, ``(D,)``.
        beta: Shift, ``(D,)``.
        eps: Added to the variance before the square root.

    Returns:
        The inputs ``"x"``, ``"gamma"``, ``"beta"`` and the output of each node by its name:
        ``"mu"``, ``"xc"``, ``"sq"``, ``"var"``, ``"var_eps"``, ``"sigma"``, ``"inv"``,
        ``"xhat"``, ``"scaled"``, ``"out"``.

    Examples:
        >>> nodes = graph_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), eps=0.0)
        >>> nodes["mu"], nodes["var"], nodes["out"].ravel()
        (array([2.]), array([1.]), array([-1.,  1.]))
    """
    N = x.shape[0]
    mu = x.sum(axis=0) / N  # mean: (N, D) -> (D,)
    xc = x - mu  # centre: (N, D) - (D,) -> (N, D)
    sq = xc**2  # square: (N, D)
    var = sq.sum(axis=0) / N  # variance, the mean of the squares: (N, D) -> (D,)
    var_eps = var + eps  # + eps: (D,)
    sigma = np.sqrt(var_eps)  # square root: (D,)
    inv = 1 / sigma  # reciprocal: (D,)
    xhat = xc * inv  # multiply: (N, D) * (D,) -> (N, D)
    scaled = gamma * xhat  # scale: (D,) * (N, D) -> (N, D)
    out = scaled + beta  # shift: (N, D) + (D,) -> (N, D)
    return {"x": x, "gamma": gamma, "beta": beta, "mu": mu, "xc": xc, "sq": sq, "var": var,
            "var_eps": var_eps, "sigma": sigma, "inv": inv, "xhat": xhat, "scaled": scaled,
            "out": out}  # fmt: skip


# --8<-- [end:graph_forward]


# --8<-- [start:graph_backward]
def graph_backward(nodes: dict[str, np.ndarray], dout: np.ndarray) -> dict[str, np.ndarray]:
    """The backward pass through the nodes of `graph_forward`, from the shift back to ``x``.

    Each line is one node's local gradient times the gradient that arrives from above. A value
    used by several nodes (``xc`` by the square and the multiplication, ``x`` by the mean and the
    centring) adds what each of them sends back; a ``(D,)`` value broadcast over the ``N`` rows
    (``mu``, ``inv``, ``gamma``, ``beta``) sums its ``N`` gradients.

    Args:
        nodes: What `graph_forward` returned.
        dout: Gradient of the loss with respect to ``out``, ``(N, D)``.

    Returns:
        The gradient of every node's output by the node's name, ``"x"`` (``dx``), ``"gamma"``
        (``dgamma``) and ``"beta"`` (``dbeta``) among them.

    Examples:
        >>> nodes = graph_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1))
        >>> grads = graph_backward(nodes, np.array([[1.0], [1.0]]))
        >>> grads["beta"], grads["gamma"], bool(np.abs(grads["x"]).max() < 1e-12)
        (array([2.]), array([0.]), True)
    """
    N = dout.shape[0]
    xc, sigma, inv, xhat = nodes["xc"], nodes["sigma"], nodes["inv"], nodes["xhat"]
    d = {"out": dout}
    d["beta"] = dout.sum(axis=0)  # shift: beta is broadcast over N rows, (N, D) -> (D,)
    d["scaled"] = dout  # shift: local gradient 1
    d["gamma"] = (d["scaled"] * xhat).sum(axis=0)  # scale: ∂(γ·x̂)/∂γ = x̂, summed, (D,)
    d["xhat"] = d["scaled"] * nodes["gamma"]  # scale: ∂(γ·x̂)/∂x̂ = γ, (N, D)
    d["inv"] = (d["xhat"] * xc).sum(axis=0)  # multiply: ∂(xc·inv)/∂inv = xc, summed, (D,)
    d["sigma"] = d["inv"] * (-1 / sigma**2)  # reciprocal: ∂(1/σ)/∂σ = −1/σ², (D,)
    d["var_eps"] = d["sigma"] / (2 * sigma)  # square root: ∂√v/∂v = 1/(2√v), (D,)
    d["var"] = d["var_eps"]  # + eps: local gradient 1
    d["sq"] = np.broadcast_to(d["var"] / N, xc.shape)  # mean: each square gets 1/N, (N, D)
    d["xc"] = d["xhat"] * inv + d["sq"] * 2 * xc  # multiply (inv) + square (2·xc), (N, D)
    d["mu"] = -d["xc"].sum(axis=0)  # centre: ∂(x − μ)/∂μ = −1, summed, (D,)
    d["x"] = d["xc"] + d["mu"] / N  # centre (1) + mean (1/N each), (N, D)
    return d


# --8<-- [end:graph_backward]


# --8<-- [start:batch_norm]
class BatchNormalization:
    """Batch normalization: $y = \\gamma \\hat x + \\beta$ with $\\hat x = (x - \\mu)/\\sigma$.

    Args:
        gamma: Scale, ``(D,)`` (one per channel for images), floating point; kept by reference.
        beta: Shift, same shape and dtype as ``gamma``; kept by reference.
        momentum: Weight of the old running averages in each update, in ``[0, 1)``.
        eps: Added to the variance before the square root, a positive number.
        name: Name used in error messages (default ``"BatchNormalization"``).

    Examples:
        >>> layer = BatchNormalization(np.ones(2), np.zeros(2))
        >>> x = np.array([[0.0, 10.0], [3.0, 10.0], [6.0, 40.0]])  # (N, D) = (3, 2)
        >>> layer.forward(x).round(4)  # each column: mean 0, variance 1
        array([[-1.2247, -0.7071],
               [ 0.    , -0.7071],
               [ 1.2247,  1.4142]])
        >>> layer.running_mean, layer.running_var  # 0.9 of the old, 0.1 of the batch's
        (array([0.3, 2. ]), array([ 1.5, 20.9]))
        >>> layer.backward(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])).round(4)
        array([[ 0.068 ,  0.    ],
               [-0.1361,  0.    ],
               [ 0.068 ,  0.    ]])
        >>> layer.dgamma.round(4), layer.dbeta
        (array([-1.2247,  0.    ]), array([1., 0.]))
    """

    def __init__(
        self,
        gamma: np.ndarray,
        beta: np.ndarray,
        *,
        momentum: float = 0.9,
        eps: float = 1e-5,
        name: str | None = None,
    ) -> None:
        self.name = name or "BatchNormalization"
        self.gamma, self.beta = _parameters(self.name, gamma, beta)
        self.momentum = fraction(self.name, "momentum", momentum, zero=True)
        self.eps = positive_number(self.name, "eps", eps)
        self.running_mean = np.zeros_like(self.gamma)  # (D,)
        self.running_var = np.ones_like(self.gamma)  # (D,)
        self.train_flg = True  # the mode of the last forward
        self.nodes: dict[str, np.ndarray] | None = None  # what backward needs, rows (N, D)
        self.original_x_shape: tuple[int, ...] = ()
        self.dgamma: np.ndarray | None = None
        self.dbeta: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        """Normalize ``x`` with the batch's statistics (training) or the running ones."""
        self.nodes = None
        rows = self._rows(x)  # checked: (N, D), or (N·H·W, C) for images
        if train_flg:
            if rows.shape[0] < 2:  # one value per feature: variance 0, x̂ = 0 whatever x is
                raise ValueError(
                    f"{self.name}: training needs at least 2 values per feature to normalize, "
                    f"got input of shape {self.original_x_shape}; use a larger batch, or "
                    "forward(x, train_flg=False) for one sample"
                )
            nodes = graph_forward(rows, self.gamma, self.beta, self.eps)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * nodes["mu"]  # (D,)
            self.running_var = m * self.running_var + (1 - m) * nodes["var"]  # (D,)
        else:
            inv = 1 / np.sqrt(self.running_var + self.eps)  # (D,)
            xhat = (rows - self.running_mean) * inv  # (N, D)
            nodes = {"xhat": xhat, "inv": inv, "out": self.gamma * xhat + self.beta}
        self.nodes, self.train_flg = nodes, bool(train_flg)
        return self._unrows(nodes["out"])

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Set ``dgamma``, ``dbeta``; return ``dx`` by the closed form (a new array)."""
        nodes, dout = self._backward_inputs(dout)  # checked: forward ran; dout as rows (N, D)
        N, xhat, inv = dout.shape[0], nodes["xhat"], nodes["inv"]
        self.dbeta = dout.sum(axis=0)  # (N, D) -> (D,)
        self.dgamma = (dout * xhat).sum(axis=0)  # (N, D) -> (D,)
        if self.train_flg:  # dx = (1/N)·γ/σ·(N·dy − Σdy − x̂·Σ(dy·x̂))
            dx = (self.gamma * inv / N) * (N * dout - self.dbeta - xhat * self.dgamma)
        else:  # inference: a fixed affine map of each feature, dx = γ/σ·dy
            dx = dout * (self.gamma * inv)
        return self._unrows(dx)

    # --8<-- [end:batch_norm]

    def staged_backward(self, dout: np.ndarray) -> np.ndarray:
        """The same as `backward`, node by node through `graph_backward` (training mode only).

        Examples:
            >>> layer = BatchNormalization(np.ones(1), np.zeros(1))
            >>> _ = layer.forward(np.array([[1.0], [2.0], [4.0]]))
            >>> dout = np.array([[1.0], [0.0], [0.0]])
            >>> bool(np.allclose(layer.staged_backward(dout), layer.backward(dout)))
            True
        """
        nodes, dout = self._backward_inputs(dout)
        if not self.train_flg:
            raise RuntimeError(
                f"{self.name}.staged_backward follows the training graph, but the last forward "
                "ran with train_flg=False: use backward, or forward with train_flg=True"
            )
        grads = graph_backward(nodes, dout)
        self.dgamma, self.dbeta = grads["gamma"], grads["beta"]
        return self._unrows(grads["x"])

    def _rows(self, x: np.ndarray) -> np.ndarray:
        """``x`` checked, in ``gamma``'s dtype, as rows: ``(N, D)`` or ``(N·H·W, C)``."""
        x = numeric_array(self.name, x)
        D = self.gamma.shape[0]
        if x.ndim not in (2, 4) or x.shape[1] != D:
            raise ValueError(
                f"{self.name}: input of shape {x.shape} does not fit gamma of shape "
                f"{self.gamma.shape}: x must be (N, {D}) or images (N, {D}, H, W)"
            )
        self.original_x_shape = x.shape
        rows = x if x.ndim == 2 else x.transpose(0, 2, 3, 1).reshape(-1, D)  # (N·H·W, C)
        return rows.astype(self.gamma.dtype, copy=False)

    def _unrows(self, rows: np.ndarray) -> np.ndarray:
        """Rows back in the input's shape: ``(N·H·W, C) -> (N, C, H, W)`` for images."""
        if len(self.original_x_shape) == 2:
            return rows
        N, C, H, W = self.original_x_shape
        return rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)

    def _backward_inputs(self, dout: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The cached nodes, and ``dout`` checked against the forward output, as rows."""
        shape = None if self.nodes is None else self.original_x_shape
        nodes, dout = backward_inputs(self.name, self.nodes, dout, shape)
        dout = numeric_array(self.name, dout, name="dout").astype(self.gamma.dtype, copy=False)
        rows = dout if dout.ndim == 2 else dout.transpose(0, 2, 3, 1).reshape(-1, dout.shape[1])
        return nodes, rows


def _parameters(where: str, gamma: Any, beta: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(gamma, beta)`` as given, if both are floating ``(D,)`` arrays of one shape and dtype."""
    if not isinstance(gamma, np.ndarray) or gamma.ndim != 1 or gamma.size == 0:
        raise ValueError(f"{where}: gamma must be a 1-D array (D,), got {np.shape(gamma)}")
    if gamma.dtype.kind != "f":
        raise TypeError(f"{where}: gamma must be floating point, got dtype {gamma.dtype}")
    if not isinstance(beta, np.ndarray) or beta.shape != gamma.shape:
        raise ValueError(
            f"{where}: beta has shape {np.shape(beta)} but gamma has shape {gamma.shape}; "
            f"beta must have shape {gamma.shape}"
        )
    if beta.dtype != gamma.dtype:
        raise TypeError(f"{where}: beta has dtype {beta.dtype} but gamma has {gamma.dtype}")
    return gamma, beta
