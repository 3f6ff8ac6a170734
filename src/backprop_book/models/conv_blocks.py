"""Keras-style image blocks: ``Conv2D``, ``MaxPooling2D`` and ``Flatten``, channels-last.

Keras lays a batch of images out *channels-last*, ``(N, H, W, C)``, and so do these blocks:
``Conv2D(8, 3, input_shape=(8, 8, 1))`` takes 8×8 grey images and ``summary()`` shows its output
as ``(None, 6, 6, 8)``, as Keras does. The book's layers (`backprop_book.deeper`) are
*channels-first*, ``(N, C, H, W)``; each block runs the book's layer between two transposes
(`ChannelsLast`), so the arithmetic is the book's own: a ``Conv2D`` is a
:class:`~backprop_book.deeper.Convolution` (im2col, then an Affine product) whose filters ``W``
keep the book's shape ``(filters, C, FH, FW)``, and a ``MaxPooling2D`` is a
:class:`~backprop_book.deeper.MaxPooling`. As in Keras, ``padding="valid"`` drops the last rows
and columns that a stride does not reach (they get a zero gradient); ``padding="same"`` pads
``(FH - 1)/2`` zeros on each side, so it needs an odd kernel. ``Flatten`` turns each sample into
one row, in Keras' order (row, column, channel).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_book.checks import choice, positive_int
from backprop_book.deeper import Convolution, MaxPooling
from backprop_book.deeper import Flatten as FlattenLayer
from backprop_book.models.block_base import Block, ChannelsLast
from backprop_book.models.dense import ACTIVATIONS
from backprop_book.models.image_shapes import conv_output_shape, images_shape, one_stride, pair
from backprop_book.training.initializers import INITIALIZERS, initialize_weight

__all__ = ["CONV_ACTIVATIONS", "Conv2D", "Flatten", "MaxPooling2D"]

CONV_ACTIVATIONS = [a for a in ACTIVATIONS if a != "softmax"]  # a softmax ends a classifier


class Conv2D(Block):
    """Keras' ``Conv2D``: ``filters`` windows of ``kernel_size`` slid over channels-last images.

    The weights are the book's: ``W`` of shape ``(filters, C, FH, FW)`` and ``b`` of shape
    ``(filters,)``, so the block has ``(FH·FW·C + 1)·filters`` parameters.

    Args:
        filters: Number of filters (output channels).
        kernel_size: ``FH`` = ``FW``, or a pair ``(FH, FW)``.
        strides: Step between windows (one number, or a pair of equal numbers).
        padding: ``"valid"`` (no padding) or ``"same"`` (odd kernels: the size kept at stride 1).
        activation: ``None``/``"linear"``, ``"relu"`` or ``"sigmoid"``.
        input_shape: ``(H, W, C)`` of one image, for the first block.
        kernel_initializer: As for ``Dense`` (fan-in ``FH·FW·C``); the biases start at 0.
        name: Block name; by default ``conv2d_1``, ``conv2d_2``, …

    Examples:
        >>> Conv2D(8, 3, input_shape=(8, 8, 1)).output_shape((8, 8, 1))
        (6, 6, 8)
    """

    kind = "conv2d"

    def __init__(
        self, filters: int, kernel_size: int | Sequence[int], strides: int | Sequence[int] = 1,
        padding: str = "valid", activation: str | None = None,
        input_shape: Sequence[int] | None = None, kernel_initializer: str = "glorot_normal",
        name: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(name, input_shape)
        self.filters = positive_int("Conv2D", "filters", filters)
        self.kernel_size = pair("Conv2D", "kernel_size", kernel_size)
        self.strides = one_stride("Conv2D", strides)
        self.padding = choice("Conv2D", "padding", padding, ["valid", "same"])
        activation = None if activation == "linear" else activation
        if activation is not None:
            choice("Conv2D", "activation", activation, CONV_ACTIVATIONS)
        self.activation = activation
        self.kernel_initializer = choice("Conv2D", "kernel_initializer", kernel_initializer,
                                         list(INITIALIZERS))  # fmt: skip
        self.conv: Convolution | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(OH, OW, filters)``; a window that does not fit is a ``ValueError``."""
        return conv_output_shape(self.where, input_shape, self.filters, self.kernel_size,
                                 self.strides, self.padding)  # fmt: skip

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create ``W`` ``(filters, C, FH, FW)`` with the initializer and ``b`` = 0."""
        OH, OW, _ = self.output_shape(input_shape)
        C, (FH, FW), S = input_shape[2], self.kernel_size, self.strides
        cols = initialize_weight(FH * FW * C, self.filters, INITIALIZERS[self.kernel_initializer],
                                 rng=rng, dtype=dtype)  # (C·FH·FW, filters) # fmt: skip
        W = np.ascontiguousarray(cols.T.reshape(self.filters, C, FH, FW))
        pad = (FH - 1) // 2 if self.padding == "same" else 0
        self.conv = Convolution(W, np.zeros(self.filters, dtype=dtype), S, pad, name=self.name)
        crop = ((OH - 1) * S + FH - 2 * pad, (OW - 1) * S + FW - 2 * pad)  # what S reaches
        act = [ACTIVATIONS[self.activation](name=self.name)] if self.activation else []
        self.layers = [ChannelsLast(self.conv, crop), *act]

    def count_params(self) -> int:
        """``(FH·FW·C + 1)·filters`` (known once the input's channels are known)."""
        if self.conv is None and self.input_shape is None:
            raise ValueError(f"{self.where}: the number of input channels is not known yet")
        C = self.conv.W.shape[1] if self.conv is not None else self.input_shape[-1]  # type: ignore[index]
        return (self.kernel_size[0] * self.kernel_size[1] * C + 1) * self.filters

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """``W`` and ``b`` of the convolution (once built)."""
        return [] if self.conv is None else [("W", self.conv, "W", True),
                                             ("b", self.conv, "b", True)]  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this block again (Keras' ``get_config``; no weights).

        Examples:
            >>> Conv2D(4, (3, 5), name="c").get_config()["kernel_size"]
            [3, 5]
        """
        return {"name": self.name, "filters": self.filters, "kernel_size": list(self.kernel_size),
                "strides": self.strides, "padding": self.padding, "activation": self.activation,
                "kernel_initializer": self.kernel_initializer}  # fmt: skip


class MaxPooling2D(Block):
    """Keras' ``MaxPooling2D``: the largest value of each ``pool_size`` window, per channel.

    Args:
        pool_size: Window size, one number or a pair ``(PH, PW)``.
        strides: Step between windows, by default the window's size (one number for both axes).
        input_shape: ``(H, W, C)``, for a first block.
        name: Block name; by default ``max_pooling2d_1``, …

    Examples:
        >>> MaxPooling2D(2).output_shape((6, 6, 8)), MaxPooling2D(2).count_params()
        ((3, 3, 8), 0)
    """

    kind = "max_pooling2d"

    def __init__(
        self, pool_size: int | Sequence[int] = 2, strides: int | Sequence[int] | None = None,
        input_shape: Sequence[int] | None = None, name: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(name, input_shape)
        self.pool_size = pair("MaxPooling2D", "pool_size", pool_size)
        if strides is None and self.pool_size[0] != self.pool_size[1]:
            raise ValueError(f"MaxPooling2D: a {self.pool_size} window needs strides=<one "
                             "number> (the book's pooling steps alike on both axes)")  # fmt: skip
        self.strides = one_stride("MaxPooling2D", self.pool_size[0] if strides is None else strides)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(OH, OW, C)``: ``⌊(H - PH)/S⌋ + 1`` windows down, as in Keras."""
        C = images_shape(self.where, input_shape)[2]
        return conv_output_shape(self.where, input_shape, C, self.pool_size, self.strides,
                                 "valid")  # fmt: skip

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create the pooling node (no weights)."""
        OH, OW, _ = self.output_shape(input_shape)
        (PH, PW), S = self.pool_size, self.strides
        pool = MaxPooling(PH, PW, S, name=self.name)
        self.layers = [ChannelsLast(pool, ((OH - 1) * S + PH, (OW - 1) * S + PW))]

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this block again.

        Examples:
            >>> MaxPooling2D(2, name="p").get_config()
            {'name': 'p', 'pool_size': [2, 2], 'strides': 2}
        """
        return {"name": self.name, "pool_size": list(self.pool_size), "strides": self.strides}


class Flatten(Block):
    """Keras' ``Flatten``: each sample as one row, ``(N, H, W, C) -> (N, H·W·C)``.

    Args:
        input_shape: The shape of one sample, for a first block.
        name: Block name; by default ``flatten_1``, …

    Examples:
        >>> Flatten().output_shape((3, 3, 8))
        (72,)
    """

    kind = "flatten"

    def __init__(self, input_shape: Sequence[int] | None = None, name: str | None = None) -> None:
        super().__init__(name, input_shape)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(D,)``, the product of the sample's sizes."""
        return (math.prod(input_shape),)

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create the reshape node: the book's `Flatten` layer."""
        self.layers = [FlattenLayer(name=self.name)]

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this block again.

        Examples:
            >>> Flatten(name="f").get_config()
            {'name': 'f'}
        """
        return {"name": self.name}
