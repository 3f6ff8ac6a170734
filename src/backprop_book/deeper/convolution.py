"""The convolution layer: im2col, then an Affine layer; backward: Affine's backward, then col2im.

A convolution layer slides ``FN`` filters of shape ``(C, FH, FW)`` over a batch of images
``(N, C, H, W)``; at every position, each filter gives the sum of its products with the patch
under it, plus its bias. *Deep Learning from Scratch* (section 7.4) computes this by laying the
patches out as the rows of a matrix (`im2col`) and the filters as its columns, so that the
forward pass is the product of an `Affine` layer and the backward pass is that layer's backward
pass followed by `col2im`, which adds each patch's gradient back onto the cells it came from.
This layer does exactly that, with the book's `Affine` itself.

Fixed on the way, as in `backprop_book.layers`: the inputs and ``dout`` are never modified;
a new ``forward`` first clears the old cache; ``backward`` before ``forward`` raises; a shape
that does not fit raises a ``ValueError`` naming the layer and the shapes; float32 stays float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import positive_int
from backprop_book.deeper.im2col import col2im, im2col, images, output_size
from backprop_book.layers.affine import Affine

__all__ = ["Convolution"]


def _filters(where: str, W: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` as given, if ``W`` is floating ``(FN, C, FH, FW)`` and ``b`` is ``(FN,)``."""
    if not isinstance(W, np.ndarray) or W.ndim != 4:
        raise ValueError(f"{where}: W must be a 4-D array (FN, C, FH, FW), got {np.shape(W)}")
    if W.dtype.kind != "f":
        raise TypeError(f"{where}: W must be floating point, got dtype {W.dtype}")
    if not isinstance(b, np.ndarray) or b.shape != (W.shape[0],):
        raise ValueError(
            f"{where}: b has shape {np.shape(b)} but W has shape {W.shape}; "
            f"b must have shape ({W.shape[0]},), one bias per filter"
        )
    return W, b


# --8<-- [start:convolution]
class Convolution:
    """Convolution layer: ``FN`` filters ``W`` of shape ``(FN, C, FH, FW)`` and biases ``b``.

    $out_{n,f,i,j} = \\sum_{c,p,q} x_{n,c,iS+p,jS+q}\\, W_{f,c,p,q} + b_f$ on the image padded
    with $P$ zeros; the output is ``(N, FN, OH, OW)`` with $OH = (H + 2P - FH)/S + 1$ and
    $OW = (W + 2P - FW)/S + 1$. The layer keeps ``W`` and ``b`` by reference: updating them in
    place updates the layer.

    Args:
        W: Filters, shape ``(FN, C, FH, FW)``, floating point.
        b: Biases, shape ``(FN,)``, one per filter.
        stride: Step $S$ between patches.
        pad: Zeros $P$ added on each side of every image.
        name: Name used in error messages (default ``"Convolution"``).

    Examples:
        >>> W = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # one 2×2 filter: top-left - bottom-right
        >>> layer = Convolution(W, np.zeros(1))
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> layer.forward(x)
        array([[[[-4., -4.],
                 [-4., -4.]]]])
        >>> layer.backward(np.ones((1, 1, 2, 2)))
        array([[[[ 1.,  1.,  0.],
                 [ 1.,  0., -1.],
                 [ 0., -1., -1.]]]])
        >>> layer.dW, layer.db
        (array([[[[ 8., 12.],
                 [20., 24.]]]]), array([4.]))
    """

    def __init__(
        self,
        W: np.ndarray,
        b: np.ndarray,
        stride: int = 1,
        pad: int = 0,
        *,
        name: str | None = None,
    ) -> None:
        self.name = name or "Convolution"
        self.W, self.b = _filters(self.name, W, b)  # checked: W (FN, C, FH, FW), b (FN,)
        self.stride = positive_int(self.name, "stride", stride)
        self.pad = positive_int(self.name, "pad", pad, minimum=0)
        self.x_shape: tuple[int, ...] = ()  # (N, C, H, W) of the last forward
        self.out_shape: tuple[int, ...] = ()  # (N, FN, OH, OW) of the last forward
        self.affine: Affine | None = None  # the product on the patches, made by forward
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return the convolution of ``x`` ``(N, C, H, W)``: shape ``(N, FN, OH, OW)``."""
        self.affine = None
        x = self._checked(x)  # (N, C, H, W) with W's C channels, in W's dtype
        FN, _, FH, FW = self.W.shape  # FN filters of C × FH × FW
        N = x.shape[0]
        OH, OW = output_size(self.name, x.shape, FH, FW, self.stride, self.pad)
        col = im2col(x, FH, FW, self.stride, self.pad)  # (N·OH·OW, C·FH·FW)
        col_W = self.W.reshape(FN, -1).T  # each filter a column: (C·FH·FW, FN)
        affine = Affine(col_W, self.b, name=self.name)
        out = affine.forward(col)  # (N·OH·OW, C·FH·FW) @ (C·FH·FW, FN) + (FN,) -> (N·OH·OW, FN)
        self.x_shape, self.out_shape, self.affine = x.shape, (N, FN, OH, OW), affine
        return out.reshape(N, OH, OW, FN).transpose(0, 3, 1, 2)  # -> (N, FN, OH, OW)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Set ``dW`` and ``db``; return ``dx``, shape ``(N, C, H, W)``."""
        affine, dout = self._backward_inputs(dout)  # checked: forward ran; (N, FN, OH, OW)
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)  # (N, OH, OW, FN) -> (N·OH·OW, FN)
        dcol = affine.backward(dout)  # dout @ col_Wᵀ: (N·OH·OW, FN) @ (FN, C·FH·FW)
        assert dcol is not None and affine.dW is not None  # input_grad is on: Affine made both
        self.dW = affine.dW.T.reshape(FN, C, FH, FW)  # colᵀ @ dout: (C·FH·FW, FN) -> filters
        self.db = affine.db  # Σ over every patch of every image: (FN,)
        return col2im(dcol, self.x_shape, FH, FW, self.stride, self.pad)  # -> (N, C, H, W)

    # --8<-- [end:convolution]

    def _checked(self, x: np.ndarray) -> np.ndarray:
        """``x`` as ``(N, C, H, W)`` images with the filters' ``C`` channels, in ``W``'s dtype."""
        x = images(self.name, x)
        if x.shape[1] != self.W.shape[1]:
            raise ValueError(
                f"{self.name}: x has shape {x.shape} ({x.shape[1]} channels) but W has shape "
                f"{self.W.shape} ({self.W.shape[1]} channels); x must be (N, {self.W.shape[1]}, "
                "H, W)"
            )
        return x.astype(self.W.dtype, copy=False)

    def _backward_inputs(self, dout: np.ndarray) -> tuple[Affine, np.ndarray]:
        """The forward pass's `Affine`, and ``dout`` checked against the output shape."""
        out_shape = None if self.affine is None else self.out_shape  # None: no forward yet
        affine, dout = backward_inputs(self.name, self.affine, dout, out_shape)
        return affine, dout.astype(self.W.dtype, copy=False)
