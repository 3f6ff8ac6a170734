"""Gradient flow through depth: a deep stack of Affine and activation layers, run both ways.

The weight-initialization chapter follows the activations of a deep stack forward; this module
measures the backward half. `DeepStack` chains ``Affine`` and ``Relu`` (or ``Sigmoid``) layers
from `backprop_book.layers`, with weights drawn by
`backprop_book.training.initializers.initialize_weight`; its ``backward`` keeps the gradient
that reaches every layer, and `measure_gradient_flow` runs one forward and one backward pass and
returns, layer by layer, the norm of ``dW``, the mean square of the activations and the
variance of the gradients (the quantities of Glorot and Bengio, 2010, and He et al., 2015).
`MaxGate` is the max node of the CS231n notes: its backward pass routes the gradient to the
larger input, and ReLU is the max gate with one input held at 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import choice, numeric_array, positive_int
from backprop_book.layers.activations import Relu, Sigmoid
from backprop_book.layers.affine import Affine
from backprop_book.training.initializers import METHODS, initialize_weight

__all__ = ["ACTIVATIONS", "DeepStack", "FlowStats", "MaxGate", "measure_gradient_flow"]

# The activation layers a stack can use, by name.
ACTIVATIONS: dict[str, type[Relu] | type[Sigmoid]] = {"relu": Relu, "sigmoid": Sigmoid}


# --8<-- [start:deep_stack]
class DeepStack:
    """A stack of ``Affine`` + activation layers: $h_l = f(h_{l-1} W_l + b_l)$, $l = 1 \\dots L$.

    ``widths`` are the sizes ``[D, M_1, ..., M_L]``: layer ``l`` has ``W_l`` of shape
    ``(M_{l-1}, M_l)`` (``M_0 = D``), drawn by ``initialize_weight`` from one generator in
    order, and ``b_l = 0``. ``forward`` keeps every activation in ``h`` (``h[0]`` is the
    input), ``backward`` every gradient in ``dh`` (``dh[l]`` is $\\partial L/\\partial h_l$).

    Args:
        widths: Layer sizes, at least two positive integers.
        activation: ``"relu"`` or ``"sigmoid"``.
        method: The initializer: ``"zeros"``, ``"std"``, ``"xavier"`` or ``"he"``.
        std: Standard deviation for ``method="std"``.
        rng: A ``numpy.random.Generator`` or an integer seed.

    Examples:
        >>> stack = DeepStack([3, 4, 2], "relu", "he", rng=0)
        >>> [layer.name for layer in stack.layers]
        ['Affine1', 'Relu1', 'Affine2', 'Relu2']
        >>> stack.forward(np.ones((5, 3))).shape
        (5, 2)
        >>> stack.backward(np.ones((5, 2))).shape, stack.affines[0].dW.shape
        ((5, 3), (3, 4))
    """

    def __init__(
        self,
        widths: Sequence[int],
        activation: str = "relu",
        method: str = "he",
        *,
        std: float = 0.01,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        widths = [positive_int("DeepStack", "widths", m) for m in widths]
        if len(widths) < 2:
            raise ValueError(f"DeepStack: widths needs at least 2 sizes [D, M], got {widths}")
        choice("DeepStack", "activation", activation, ACTIVATIONS)
        choice("DeepStack", "method", method, METHODS)
        rng = np.random.default_rng(rng)
        self.activation = activation
        self.affines: list[Affine] = []
        self.activations: list[Relu | Sigmoid] = []
        for k, (fan_in, fan_out) in enumerate(pairwise(widths), 1):
            W = initialize_weight(fan_in, fan_out, method, std=std, rng=rng)  # (M_{k-1}, M_k)
            self.affines.append(Affine(W, np.zeros(fan_out), name=f"Affine{k}"))
            self.activations.append(ACTIVATIONS[activation](name=f"{activation.title()}{k}"))
        self.h: list[np.ndarray] = []  # activations h_0 (the input) .. h_L
        self.dh: list[np.ndarray] = []  # gradients dL/dh_0 .. dL/dh_L

    @property
    def layers(self) -> list[Affine | Relu | Sigmoid]:
        """The layers in forward order: ``Affine1``, its activation, ``Affine2``, ..."""
        pairs = zip(self.affines, self.activations, strict=True)
        return [layer for pair in pairs for layer in pair]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return $h_L$ for the input ``x`` (``(N, D)``), keeping every $h_l$ in ``h``."""
        self.h, self.dh = [], []
        h = numeric_array("DeepStack", x, min_ndim=2)  # (N, D)
        hs = [h]
        for affine, act in zip(self.affines, self.activations, strict=True):
            h = act.forward(affine.forward(h))  # (N, M_{l-1}) @ (M_{l-1}, M_l) -> (N, M_l)
            hs.append(h)
        self.h = hs
        return h

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Set every layer's ``dW``, ``db``; return ``dx`` and keep every $dh_l$ in ``dh``."""
        if not self.h:
            raise RuntimeError("DeepStack.backward was called before forward: call forward first")
        dh = [np.asarray(dout)]  # dL/dh_L, (N, M_L); its shape is checked by the last layer
        for affine, act in zip(self.affines[::-1], self.activations[::-1], strict=True):
            da = act.backward(dh[0])  # dL/da_l = dL/dh_l * f'(a_l), (N, M_l)
            dx = affine.backward(da)  # dL/dh_{l-1} = da_l · W_lᵀ, (N, M_l) @ (M_l, M_{l-1})
            assert dx is not None  # every Affine here has input_grad=True
            dh.insert(0, dx)
        self.dh = dh
        return dh[0]


# --8<-- [end:deep_stack]


@dataclass(frozen=True)
class FlowStats:
    """What one forward and backward pass of a `DeepStack` measured, layer by layer.

    Attributes:
        dW_norm: $\\lVert dW_l \\rVert$ (Frobenius norm) for $l = 1 \\dots L$, shape ``(L,)``.
        h_square: $\\mathbb{E}[h_l^2]$, the mean square of the activations, for
            $l = 0 \\dots L$ (``h_square[0]`` is the input's).
        dh_var: $\\operatorname{Var}(\\partial L/\\partial h_l)$ for $l = 0 \\dots L$
            (``dh_var[L]`` is the upstream gradient's).

    Examples:
        >>> stack = DeepStack([2, 3], rng=0)
        >>> stats = measure_gradient_flow(stack, np.ones((4, 2)), np.ones((4, 3)))
        >>> stats.dW_norm.shape, stats.h_square.shape, stats.dh_var.shape
        ((1,), (2,), (2,))
    """

    dW_norm: np.ndarray
    h_square: np.ndarray
    dh_var: np.ndarray

    def backward_ratios(self) -> np.ndarray:
        """$\\operatorname{Var}(dh_{l-1}) / \\operatorname{Var}(dh_l)$ for $l = 1 \\dots L$.

        How much one layer (activation, then affine) multiplies the gradient's variance on
        its way down.

        Examples:
            >>> FlowStats(np.ones(2), np.ones(3), np.array([1.0, 2.0, 8.0])).backward_ratios()
            array([0.5 , 0.25])
        """
        return self.dh_var[:-1] / self.dh_var[1:]

    def forward_ratios(self) -> np.ndarray:
        """$\\mathbb{E}[h_l^2] / \\mathbb{E}[h_{l-1}^2]$ for $l = 1 \\dots L$: the forward gain.

        Examples:
            >>> FlowStats(np.ones(2), np.array([1.0, 2.0, 8.0]), np.ones(3)).forward_ratios()
            array([2., 4.])
        """
        return self.h_square[1:] / self.h_square[:-1]


# --8<-- [start:gradient_flow]
def measure_gradient_flow(stack: DeepStack, x: np.ndarray, dout: np.ndarray) -> FlowStats:
    """Run ``stack`` forward on ``x`` and backward from ``dout``; measure every layer.

    Args:
        stack: The stack to measure.
        x: Input batch, ``(N, D)``.
        dout: Upstream gradient $\\partial L/\\partial h_L$, ``(N, M_L)``.

    Returns:
        The norms of ``dW``, the mean squares of the activations and the variances of the
        gradients, per layer.

    Examples:
        >>> stack = DeepStack([4, 4, 4], "relu", "he", rng=0)
        >>> rng = np.random.default_rng(1)
        >>> stats = measure_gradient_flow(stack, rng.standard_normal((8, 4)), np.ones((8, 4)))
        >>> bool(np.all(stats.dW_norm > 0))
        True
    """
    stack.forward(x)  # h_0 .. h_L
    stack.backward(dout)  # dh_0 .. dh_L, and every dW
    dW_norm = []
    for affine in stack.affines:
        assert affine.dW is not None  # backward has just set it
        dW_norm.append(np.linalg.norm(affine.dW))  # sqrt of the sum of squares, (M_{l-1}, M_l)
    return FlowStats(
        dW_norm=np.array(dW_norm),  # (L,)
        h_square=np.array([np.mean(h**2) for h in stack.h]),  # (L + 1,)
        dh_var=np.array([dh.var() for dh in stack.dh]),  # (L + 1,)
    )


# --8<-- [end:gradient_flow]


# --8<-- [start:max_gate]
class MaxGate:
    """The max node $z = \\max(x, y)$: backward routes ``dout`` to the larger input.

    Where $x > y$, $\\partial z/\\partial x = 1$ and $\\partial z/\\partial y = 0$; elsewhere
    the other way round (a tie goes to ``y``, so ``MaxGate`` with ``y = 0`` is ``Relu``).

    Args:
        name: Name used in error messages (default ``"MaxGate"``).

    Examples:
        >>> gate = MaxGate()
        >>> gate.forward(np.array([3.0, -1.0]), np.array([2.0, 5.0]))
        array([3., 5.])
        >>> gate.backward(np.array([10.0, 10.0]))
        (array([10.,  0.]), array([ 0., 10.]))
    """

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "MaxGate"
        self.x_wins: np.ndarray | None = None  # True where x > y

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return $\\max(x, y)$ elementwise and remember which input won."""
        self.x_wins = None
        x, y = numeric_array(self.name, x), numeric_array(self.name, y, name="y")
        if x.shape != y.shape:
            raise ValueError(f"{self.name}: x has shape {x.shape} but y has shape {y.shape}")
        self.x_wins = x > y
        return np.where(self.x_wins, x, y)

    def backward(self, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(dx, dy)``: ``dout`` to the winner, 0 to the other (new arrays)."""
        x_wins, dout = backward_inputs(self.name, self.x_wins, dout)  # checked: forward ran
        dx = np.where(x_wins, dout, 0.0)
        dy = np.where(x_wins, 0.0, dout)
        return dx, dy


# --8<-- [end:max_gate]
