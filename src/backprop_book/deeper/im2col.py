"""im2col and col2im: the patches of a batch of images as the rows of one matrix, and back.

A convolution slides a filter over an image and, at every position, takes the sum of the
products of the filter with the patch under it. Written out with loops that is slow in numpy;
*Deep Learning from Scratch* (section 7.4) instead copies every patch into a row of a matrix
(``im2col``, "image to columns"), after which the whole convolution is one matrix product, the
product an `Affine` layer computes. ``col2im`` goes the other way: it adds every row back onto
the cells of the image the patch came from. It is the *adjoint* of ``im2col``,
$\\langle \\mathrm{im2col}(x), c\\rangle = \\langle x, \\mathrm{col2im}(c)\\rangle$ for every
``x`` and ``c``, which is exactly what the backward pass needs: a cell that lies in several
patches receives the sum of their gradients.

Arrays are ``(N, C, H, W)``: batch, channels, height, width. The patches are ``FH × FW``
(``filter_h × filter_w``), taken every ``stride`` cells of an image padded with ``pad`` zeros on
each side; the output has $OH = (H + 2P - FH)/S + 1$ rows and $OW = (W + 2P - FW)/S + 1$
columns of patches, and a size that does not come out whole is an error, never a silent crop.
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import numeric_array, positive_int

__all__ = ["col2im", "im2col", "images", "output_size"]


def output_size(
    where: str,
    input_shape: tuple[int, ...],
    filter_h: int,
    filter_w: int,
    stride: int = 1,
    pad: int = 0,
) -> tuple[int, int]:
    """The output height and width $(OH, OW)$ of ``FH × FW`` patches taken every ``stride`` cells.

    $OH = (H + 2P - FH)/S + 1$ and $OW = (W + 2P - FW)/S + 1$. A size that is not a whole
    number, or not positive, is a ``ValueError`` that names ``where`` and every size involved.

    Args:
        where: The layer or function that asks, for the error message.
        input_shape: ``(N, C, H, W)``.
        filter_h: Patch height $FH$.
        filter_w: Patch width $FW$.
        stride: Step $S$ between patches, in cells.
        pad: Zeros $P$ added on each side of the image.

    Returns:
        ``(OH, OW)``.

    Examples:
        >>> output_size("demo", (1, 1, 28, 28), 5, 5, stride=1, pad=2)
        (28, 28)
        >>> output_size("demo", (1, 1, 5, 5), 2, 2, stride=2)
        Traceback (most recent call last):
        ...
        ValueError: demo: the output height (H + 2P - FH)/S + 1 = (5 + 2·0 - 2)/2 + 1 is not a \
whole number (height H=5, filter FH=2, stride S=2, pad P=0)
    """
    filter_h = positive_int(where, "filter_h", filter_h)
    filter_w = positive_int(where, "filter_w", filter_w)
    stride = positive_int(where, "stride", stride)
    pad = positive_int(where, "pad", pad, minimum=0)
    sizes = []
    for axis, size, f, letters in (
        ("height", input_shape[-2], filter_h, ("H", "FH")),
        ("width", input_shape[-1], filter_w, ("W", "FW")),
    ):
        span = size + 2 * pad - f
        if span < 0 or span % stride:
            s, fs = letters
            formula = f"({s} + 2P - {fs})/S + 1 = ({size} + 2·{pad} - {f})/{stride} + 1"
            given = f"({axis} {s}={size}, filter {fs}={f}, stride S={stride}, pad P={pad})"
            if span < 0:
                raise ValueError(
                    f"{where}: the output {axis} {formula} is not positive: the filter is "
                    f"larger than the padded image {given}"
                )
            raise ValueError(f"{where}: the output {axis} {formula} is not a whole number {given}")
        sizes.append(span // stride + 1)
    return sizes[0], sizes[1]


def images(where: str, x: np.ndarray, name: str = "x") -> np.ndarray:
    """``x`` as a floating ``(N, C, H, W)`` array (integers become float64), or a clear error.

    Args:
        where: The layer or function that asks, for the error message.
        x: The array to check.
        name: Its name in the error message.

    Returns:
        ``x``, floating point.

    Examples:
        >>> images("demo", np.zeros((2, 1, 3, 3))).shape
        (2, 1, 3, 3)
        >>> images("demo", np.zeros((3, 3)))
        Traceback (most recent call last):
        ...
        ValueError: demo: x must have shape (N, C, H, W), got (3, 3)
    """
    x = numeric_array(where, x, name=name)
    if x.ndim != 4:
        raise ValueError(f"{where}: {name} must have shape (N, C, H, W), got {x.shape}")
    return x


# --8<-- [start:im2col]
def im2col(
    x: np.ndarray, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0
) -> np.ndarray:
    """Every ``FH × FW`` patch of ``x`` as a row: ``(N, C, H, W) -> (N·OH·OW, C·FH·FW)``.

    Row ``(n·OH + i)·OW + j`` holds the patch of image ``n`` whose top-left corner is the padded
    cell ``(i·S, j·S)``, channel by channel, each channel's patch row by row.

    Args:
        x: Images, shape ``(N, C, H, W)``.
        filter_h: Patch height $FH$.
        filter_w: Patch width $FW$.
        stride: Step $S$ between patches.
        pad: Zeros $P$ added on each side.

    Returns:
        The patches, ``(N·OH·OW, C·FH·FW)``, in ``x``'s floating dtype.

    Examples:
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> im2col(x, 2, 2)  # four 2×2 patches of a 3×3 image
        array([[0., 1., 3., 4.],
               [1., 2., 4., 5.],
               [3., 4., 6., 7.],
               [4., 5., 7., 8.]])
    """
    x = images("im2col", x)
    N, C = x.shape[:2]
    OH, OW = output_size("im2col", x.shape, filter_h, filter_w, stride, pad)
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])  # (N, C, H + 2P, W + 2P)
    col = np.empty((N, C, filter_h, filter_w, OH, OW), dtype=x.dtype)
    for p in range(filter_h):  # patch row p of every patch at once
        for q in range(filter_w):  # patch column q
            col[:, :, p, q] = img[:, :, p : p + stride * OH : stride, q : q + stride * OW : stride]
    # (N, C, FH, FW, OH, OW) -> (N, OH, OW, C, FH, FW) -> (N·OH·OW, C·FH·FW)
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * OH * OW, C * filter_h * filter_w)


# --8<-- [end:im2col]


# --8<-- [start:col2im]
def col2im(
    col: np.ndarray,
    input_shape: tuple[int, ...],
    filter_h: int,
    filter_w: int,
    stride: int = 1,
    pad: int = 0,
) -> np.ndarray:
    """Add every row of ``col`` back onto its patch: ``(N·OH·OW, C·FH·FW) -> (N, C, H, W)``.

    The adjoint of `im2col`: a cell that lies in several patches gets the sum of their
    entries, and what lands on the padding is dropped.

    Args:
        col: Rows in the layout `im2col` makes, ``(N·OH·OW, C·FH·FW)``.
        input_shape: The images' shape ``(N, C, H, W)``.
        filter_h: Patch height $FH$.
        filter_w: Patch width $FW$.
        stride: Step $S$ between patches.
        pad: Zeros $P$ that were added on each side.

    Returns:
        An array of shape ``input_shape``, in ``col``'s floating dtype.

    Examples:
        >>> col = np.ones((4, 4))  # four 2×2 patches of a 3×3 image, every entry 1
        >>> col2im(col, (1, 1, 3, 3), 2, 2)[0, 0]  # how many patches hold each cell
        array([[1., 2., 1.],
               [2., 4., 2.],
               [1., 2., 1.]])
    """
    if len(input_shape) != 4:
        raise ValueError(f"col2im: input_shape must be (N, C, H, W), got {tuple(input_shape)}")
    N, C, H, W = (positive_int("col2im", "input_shape", v) for v in input_shape)
    OH, OW = output_size("col2im", (N, C, H, W), filter_h, filter_w, stride, pad)
    col = numeric_array("col2im", col, name="col")
    if col.shape != (N * OH * OW, C * filter_h * filter_w):
        raise ValueError(
            f"col2im: col has shape {col.shape} but images {(N, C, H, W)} with {filter_h}×"
            f"{filter_w} patches need ({N * OH * OW}, {C * filter_h * filter_w})"
        )
    # (N·OH·OW, C·FH·FW) -> (N, OH, OW, C, FH, FW) -> (N, C, FH, FW, OH, OW)
    col = col.reshape(N, OH, OW, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=col.dtype)
    for p in range(filter_h):
        for q in range(filter_w):  # += : overlapping patches add up
            img[:, :, p : p + stride * OH : stride, q : q + stride * OW : stride] += col[:, :, p, q]
    return img[:, :, pad : pad + H, pad : pad + W]  # drop the padding: (N, C, H, W)


# --8<-- [end:col2im]
