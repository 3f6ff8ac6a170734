"""Keras-style layer blocks: ``Dense`` (fully connected, 완전연결) and ``Activation``.

As the lecture notes put it, ``X·W + b`` is an affine transformation (Affine 변환)
to a mathematician and a fully connected ``Dense`` layer to a neural-network library. A ``Dense``
block here is the book's own ``Affine`` layer followed by an activation layer (``Relu``,
``Sigmoid``, or a softmax that :class:`~backprop_book.models.sequential.Sequential` fuses with
the loss as
``SoftmaxWithLoss``), so nothing in it is magic. ``Sequential`` stacks these blocks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_book.checks import choice, positive_int
from backprop_book.layers import Affine, Relu, Sigmoid
from backprop_book.layers.functions import softmax
from backprop_book.training.initializers import INITIALIZERS, initialize_weight


class SoftmaxNode:
    """The softmax node: probabilities forward; its backward is fused with the loss."""

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or "Softmax"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return softmax(x)


# The registry of activations: every name Dense, Activation and model files accept, once.
ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid, "softmax": SoftmaxNode}


class Activation:
    """An activation as a layer of its own: ``Activation("relu" | "sigmoid" | "softmax")``.

    Examples:
        >>> Activation("relu").output_shape((50,))
        (50,)
    """

    kind = "activation"

    def __init__(self, activation: str, name: str | None = None) -> None:
        self.activation = choice("Activation", "activation", activation, list(ACTIVATIONS))
        self.name = name
        self.input_shape: tuple[int, ...] | None = None  # an activation takes any shape
        self.layers: list[Any] = []  # the node, once built

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create the activation node (an activation has no parameters)."""
        self.layers = [ACTIVATIONS[self.activation](name=self.name)]

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """An activation keeps the shape."""
        return tuple(input_shape)

    def count_params(self) -> int:
        """Always 0."""
        return 0

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """No weights: ``[]``."""
        return []

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this layer again (Keras' ``get_config``).

        Examples:
            >>> Activation("relu", name="act").get_config()
            {'name': 'act', 'activation': 'relu'}
        """
        return {"name": self.name, "activation": self.activation}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Activation:
        """``Activation(**config)``, the inverse of ``get_config`` (as in Keras).

        Examples:
            >>> Activation.from_config({"name": "act", "activation": "sigmoid"}).activation
            'sigmoid'
        """
        return cls(**config)


# --8<-- [start:dense]
class Dense:
    """A fully connected layer: ``Affine`` ($X \\cdot W + b$), then an optional activation.

    ``W`` has shape ``(inputs, units)`` and ``b`` shape ``(units,)``, so the layer has
    ``inputs × units + units`` parameters. The weights are created when the model knows the input
    size (``input_dim``/``input_shape`` on the first layer, or at the first ``fit``/``predict``).

    Args:
        units: Number of outputs (neurons).
        activation: ``None`` (or ``"linear"``), ``"relu"``, ``"sigmoid"`` or ``"softmax"``.
        input_dim: Number of inputs, for the first layer (Keras' ``input_dim=784``).
        input_shape: The same as a tuple, e.g. ``(784,)``, or ``(8, 8)`` (Affine flattens it).
        kernel_initializer: How ``W`` starts: ``"glorot_normal"``/``"xavier"`` (the default:
            std $1/\\sqrt{\\text{inputs}}$), ``"he_normal"``/``"he"`` (std
            $\\sqrt{2/\\text{inputs}}$), ``"random_normal"``/``"std"`` (std 0.01) or ``"zeros"``.
            Biases start at 0.
        name: Layer name; by default the model names it ``dense_1``, ``dense_2``, …

    Examples:
        >>> Dense(50, input_dim=784).count_params()  # 784 * 50 + 50
        39250
    """

    kind = "dense"

    def __init__(
        self,
        units: int,
        activation: str | None = None,
        input_dim: int | None = None,
        input_shape: Sequence[int] | None = None,
        kernel_initializer: str = "glorot_normal",
        name: str | None = None,
    ) -> None:
        positive_int("Dense", "units", units)
        activation = None if activation == "linear" else activation
        if activation is not None:
            choice("Dense", "activation", activation, list(ACTIVATIONS))
        choice("Dense", "kernel_initializer", kernel_initializer, list(INITIALIZERS))
        if input_dim is not None and input_shape is not None:
            raise ValueError("Dense: give input_dim or input_shape, not both")
        what = "input_dim" if input_dim is not None else "input_shape"
        shape = (input_dim,) if input_dim is not None else input_shape
        if shape is not None and (not isinstance(shape, (tuple, list)) or len(shape) == 0):
            raise TypeError(f"Dense: input_shape must be a tuple of sizes such as (784,), "
                            f"got {shape!r}")  # fmt: skip
        self.input_shape = (
            None if shape is None else tuple(positive_int("Dense", what, d) for d in shape)
        )  # no 2.7, no "4"
        self.units, self.activation, self.name = int(units), activation, name
        self.kernel_initializer = kernel_initializer
        self.affine: Affine | None = None
        self.layers: list[Any] = []  # the nodes: [Affine, activation]

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create ``W`` (inputs, units) with the initializer and ``b`` (units,) = 0."""
        fan_in, method = math.prod(input_shape), INITIALIZERS[self.kernel_initializer]
        W = initialize_weight(fan_in, self.units, method, rng=rng, dtype=dtype)  # (D, units)
        b = np.zeros(self.units, dtype=dtype)  # (units,)
        self.affine = Affine(W, b, name=self.name)
        act = [ACTIVATIONS[self.activation](name=self.name)] if self.activation else []
        self.layers = [self.affine, *act]

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(units,)``: every input row becomes ``units`` numbers."""
        return (self.units,)

    def count_params(self) -> int:
        """``inputs × units + units`` (known once the input size is known)."""
        if self.affine is not None:
            fan_in = self.affine.W.shape[0]
        elif self.input_shape is not None:
            fan_in = math.prod(self.input_shape)
        else:
            raise ValueError(f"Dense {self.name}: the number of inputs is not known yet")
        return fan_in * self.units + self.units

    # --8<-- [end:dense]

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """The weights ``(family, owner, attribute, trainable)``: the Affine's ``W`` and ``b``."""
        return [] if self.affine is None else [("W", self.affine, "W", True),
                                               ("b", self.affine, "b", True)]  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this layer again (Keras' ``get_config``; no weights).

        Examples:
            >>> config = Dense(10, activation="softmax", name="out").get_config()
            >>> config["units"], config["activation"], config["kernel_initializer"]
            (10, 'softmax', 'glorot_normal')
        """
        return {"name": self.name, "activation": self.activation, "units": self.units,
                "kernel_initializer": self.kernel_initializer}  # fmt: skip

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Dense:
        """``Dense(**config)``, the inverse of ``get_config`` (as in Keras).

        Examples:
            >>> Dense.from_config({"name": "out", "units": 3}).units
            3
        """
        return cls(**config)
