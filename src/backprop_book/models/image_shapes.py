"""The sizes of Keras-style image blocks: a kernel or window as a pair, and the output shape.

``Conv2D`` and ``MaxPooling2D`` (`backprop_book.models.conv_blocks`) take their sizes as Keras
does, one number or a pair ``(height, width)``, on channels-last images ``(H, W, C)``. The
output shape is pure arithmetic on sizes, ``OH = ⌊(H + 2P - FH)/S⌋ + 1``, so a model file's
shapes are checked with it before anything is built (`backprop_book.models.file_layers`).
"""

from __future__ import annotations

from typing import Any

from backprop_book.checks import positive_int

__all__ = ["conv_output_shape", "images_shape", "one_stride", "pair", "sample_shape"]


def pair(where: str, name: str, value: Any) -> tuple[int, int]:
    """``3`` or ``(3, 3)`` as ``(3, 3)``: a size for the height and the width (Keras' forms).

    Examples:
        >>> pair("Conv2D", "kernel_size", 3), pair("Conv2D", "kernel_size", [3, 5])
        ((3, 3), (3, 5))
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{where}: {name} must be one size or a pair (h, w), got {value!r}")
        return positive_int(where, name, value[0]), positive_int(where, name, value[1])
    size = positive_int(where, name, value)
    return size, size


def one_stride(where: str, value: Any) -> int:
    """``strides`` as one number: the book's layers step the same on both axes.

    Examples:
        >>> one_stride("Conv2D", (2, 2))
        2
    """
    h, w = pair(where, "strides", value)
    if h != w:
        raise ValueError(f"{where}: strides must be the same on both axes, got {value!r}")
    return h


def sample_shape(where: str, shape: Any) -> tuple[int, ...] | None:
    """``input_shape`` checked: None, or a tuple of positive sizes such as ``(8, 8, 1)``.

    Examples:
        >>> sample_shape("Conv2D", [8, 8, 1])
        (8, 8, 1)
    """
    if shape is None:
        return None
    if not isinstance(shape, (tuple, list)) or len(shape) == 0:
        raise TypeError(f"{where}: input_shape must be a tuple of sizes such as (28, 28, 1), "
                        f"got {shape!r}")  # fmt: skip
    return tuple(positive_int(where, "input_shape", d) for d in shape)


def images_shape(where: str, shape: tuple[int, ...]) -> tuple[int, int, int]:
    """``shape`` if it is one image ``(H, W, C)``, else a ``ValueError`` naming the block.

    Examples:
        >>> images_shape("Conv2D", (64,))
        Traceback (most recent call last):
        ...
        ValueError: Conv2D: takes images (N, H, W, C), channels-last as in Keras, but its inputs \
are (None, 64)
    """
    if len(shape) != 3:
        raise ValueError(f"{where}: takes images (N, H, W, C), channels-last as in Keras, but "
                         f"its inputs are {(None, *shape)}")  # fmt: skip
    return shape[0], shape[1], shape[2]


def conv_output_shape(
    where: str, shape: tuple[int, ...], filters: int, kernel: tuple[int, int], stride: int,
    padding: str,
) -> tuple[int, int, int]:  # fmt: skip
    """The output ``(OH, OW, filters)`` of a window ``kernel`` stepping ``stride`` on ``shape``.

    ``OH = ⌊(H + 2P - FH)/S⌋ + 1`` with ``P = 0`` (``"valid"``) or ``(FH - 1)/2`` (``"same"``).
    Pure arithmetic on sizes, so a model file's shapes are checked before anything is built.

    Examples:
        >>> conv_output_shape("Conv2D", (8, 8, 1), 8, (3, 3), 1, "valid")
        (6, 6, 8)
        >>> conv_output_shape("Conv2D", (7, 7, 3), 4, (3, 3), 2, "same")
        (4, 4, 4)
    """
    H, W, _ = images_shape(where, shape)
    out = []
    for axis, size, k in (("height", H, kernel[0]), ("width", W, kernel[1])):
        pad = 0
        if padding == "same":
            if k % 2 == 0 or (size - 1) % stride:
                raise ValueError(f"{where}: padding='same' needs an odd kernel_size and "
                                 f"(size - 1) divisible by strides; got kernel {k}, {axis} "
                                 f"{size}, strides {stride}")  # fmt: skip
            pad = (k - 1) // 2
        if size + 2 * pad < k:
            raise ValueError(f"{where}: the window {kernel} does not fit the inputs "
                             f"{(None, *shape)} ({axis} {size} < {k})")  # fmt: skip
        out.append((size + 2 * pad - k) // stride + 1)
    return out[0], out[1], filters
