"""What the Keras-style image blocks share: the `Block` base, and `ChannelsLast`.

Keras lays images out channels-last, ``(N, H, W, C)``; the book's layers
(`backprop_book.deeper`) take them channels-first, ``(N, C, H, W)``. `ChannelsLast` runs one of
the book's layers between two transposes, so that a block computes exactly what the book's
layer does, on Keras' layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.models.image_shapes import sample_shape

__all__ = ["Block", "ChannelsLast"]


class ChannelsLast:
    """The book's channels-first layer run on channels-last data: transpose, layer, transpose.

    ``forward`` takes ``(N, H, W, C)`` (or rows ``(N, D)``, passed as they are), keeps the first
    ``crop`` rows and columns (what a stride reaches), runs ``layer`` on ``(N, C, H, W)`` and
    returns the output channels-last; ``backward`` undoes each step (zeros for cropped cells).

    Args:
        layer: A layer with ``forward``/``backward`` on ``(N, C, H, W)``.
        crop: ``(H', W')`` to keep, or None for all.
        modal: ``layer.forward`` takes ``train_flg`` (Dropout, BatchNormalization).

    Examples:
        >>> from backprop_book.deeper import MaxPooling
        >>> node = ChannelsLast(MaxPooling(2, 2))
        >>> node.forward(np.arange(16.0).reshape(1, 2, 2, 4)).shape  # (N, H, W, C)
        (1, 1, 1, 4)
    """

    takes_training = True  # the model passes the mode to forward

    def __init__(
        self, layer: Any, crop: tuple[int, int] | None = None, modal: bool = False
    ) -> None:
        self.layer, self.crop, self.modal = layer, crop, modal
        self.name = layer.name
        self.x_shape: tuple[int, ...] = ()  # channels-first, before the crop

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The layer's output for ``x`` ``(N, H, W, C)``, channels-last."""
        images = x.ndim == 4
        if images:
            x = x.transpose(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)
            self.x_shape = x.shape
            if self.crop is not None:
                x = x[:, :, : self.crop[0], : self.crop[1]]
        out = self.layer.forward(x, train_flg=training) if self.modal else self.layer.forward(x)
        return out.transpose(0, 2, 3, 1) if images else out  # -> (N, OH, OW, C')

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """``dx`` for ``dout`` (channels-last), in the shape of the last forward's input."""
        if dout.ndim != 4:
            return self.layer.backward(dout)
        dx = self.layer.backward(dout.transpose(0, 3, 1, 2))  # (N, C, H', W')
        if dx.shape != self.x_shape:  # cropped: the cells no window reached get 0
            full = np.zeros(self.x_shape, dtype=dx.dtype)
            full[:, :, : dx.shape[2], : dx.shape[3]] = dx
            dx = full
        return dx.transpose(0, 2, 3, 1)  # -> (N, H, W, C)


class Block:
    """What every block shares: its name, ``input_shape``, no activation, nodes once built.

    Args:
        name: Block name (the model names it if None).
        input_shape: The shape of one sample, for a first block, or None.

    Examples:
        >>> Block("b", [4]).input_shape, Block("b", None).count_params()
        ((4,), 0)
    """

    kind = "block"
    activation: str | None = None

    def __init__(self, name: str | None, input_shape: Any) -> None:
        self.name = name
        self.input_shape = sample_shape(type(self).__name__, input_shape)
        self.layers: list[Any] = []  # the nodes, once built

    @property
    def where(self) -> str:
        """``Conv2D conv2d_1``: the block and its name, for error messages."""
        return f"{type(self).__name__} {self.name}" if self.name else type(self).__name__

    def count_params(self) -> int:
        """The number of weights (0 for a block without any)."""
        return sum(getattr(owner, attr).size for _, owner, attr, _ in self.slots())

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """The weights: ``(family, owner, attribute, trainable)``; none by default."""
        return []

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        """``cls(**config)``, the inverse of ``get_config`` (as in Keras)."""
        return cls(**config)
