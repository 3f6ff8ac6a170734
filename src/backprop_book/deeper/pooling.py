"""Max-pooling: the largest value of every window; backward sends each gradient to the winner.

A max-pooling layer keeps, for every channel of every image, the largest value in each
``PH × PW`` window. Its backward pass is the *max gate* of the chain-rule chapter applied to every
window: the maximum passes its upstream gradient to the input that won and gives the others
0, as a router. *Deep Learning from Scratch* (section 7.4.4) computes the windows with
`im2col`, one row per window and channel, and takes the maximum of each row; the backward pass
puts each gradient at its row's winner and adds the rows back with `col2im`, so that an input
that wins several overlapping windows collects all their gradients.

A tie goes to the *first* maximum of the window (row by row, as ``np.argmax`` picks it): the
whole gradient goes to that one input, as a subgradient of the max. Padding is ``-inf``, not 0,
so a padded cell never wins (and ``pad`` must be smaller than the window, so that every window
holds at least one real input).
"""

from __future__ import annotations

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import positive_int
from backprop_book.deeper.im2col import col2im, im2col, images, output_size

__all__ = ["MaxPooling"]


# --8<-- [start:max_pooling]
class MaxPooling:
    """Max-pooling over ``pool_h × pool_w`` windows taken every ``stride`` cells.

    $out_{n,c,i,j} = \\max_{p,q}\\, x_{n,c,iS+p,jS+q}$; the output is ``(N, C, OH, OW)`` with
    $OH = (H + 2P - PH)/S + 1$, $OW = (W + 2P - PW)/S + 1$.

    Args:
        pool_h: Window height $PH$.
        pool_w: Window width $PW$.
        stride: Step $S$ between windows; by default the window's size, so windows do not
            overlap (given as one number for both axes).
        pad: Cells $P$ of ``-inf`` added on each side, fewer than the window's height and width.
        name: Name used in error messages (default ``"MaxPooling"``).

    Examples:
        >>> x = np.array([[[[1.0, 3.0, 0.0, 2.0],
        ...                 [4.0, 2.0, 1.0, 5.0],
        ...                 [0.0, 1.0, 6.0, 0.0],
        ...                 [2.0, 3.0, 0.0, 1.0]]]])
        >>> pool = MaxPooling(2, 2)
        >>> pool.forward(x)
        array([[[[4., 5.],
                 [3., 6.]]]])
        >>> pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
        array([[[[ 0.,  0.,  0.,  0.],
                 [10.,  0.,  0., 20.],
                 [ 0.,  0., 40.,  0.],
                 [ 0., 30.,  0.,  0.]]]])
    """

    def __init__(
        self,
        pool_h: int,
        pool_w: int,
        stride: int | None = None,
        pad: int = 0,
        *,
        name: str | None = None,
    ) -> None:
        self.name = name or "MaxPooling"
        self.pool_h = positive_int(self.name, "pool_h", pool_h)
        self.pool_w = positive_int(self.name, "pool_w", pool_w)
        if stride is None and pool_h != pool_w:
            raise ValueError(
                f"{self.name}: a {pool_h}×{pool_w} window needs an explicit stride "
                "(the default stride is the window's size, one number for both axes)"
            )
        self.stride = positive_int(self.name, "stride", pool_h if stride is None else stride)
        self.pad = positive_int(self.name, "pad", pad, minimum=0)
        if self.pad >= min(self.pool_h, self.pool_w):
            raise ValueError(
                f"{self.name}: pad must be smaller than the window ({pool_h}×{pool_w}), got "
                f"{pad}; a window of padding alone would have no input to pick"
            )
        self.x_shape: tuple[int, ...] = ()  # (N, C, H + 2P, W + 2P) of the last forward
        self.out_shape: tuple[int, ...] = ()  # (N, C, OH, OW) of the last forward
        self.arg_max: np.ndarray | None = None  # the winner of each window, (N·OH·OW·C,)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return the maximum of every window of ``x`` ``(N, C, H, W)``: ``(N, C, OH, OW)``."""
        self.arg_max = None
        x = images(self.name, x)
        N, C = x.shape[:2]
        OH, OW = output_size(self.name, x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
        P = self.pad
        x = np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], constant_values=-np.inf)  # never wins
        col = im2col(x, self.pool_h, self.pool_w, self.stride)  # (N·OH·OW, C·PH·PW)
        col = col.reshape(-1, self.pool_h * self.pool_w)  # one window a row: (N·OH·OW·C, PH·PW)
        arg_max = np.argmax(col, axis=1)  # the first maximum of each row: (N·OH·OW·C,)
        out = col[np.arange(col.shape[0]), arg_max]  # (N·OH·OW·C,)
        self.x_shape, self.out_shape, self.arg_max = x.shape, (N, C, OH, OW), arg_max
        return out.reshape(N, OH, OW, C).transpose(0, 3, 1, 2)  # -> (N, C, OH, OW)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dx``: each window's gradient at its winner, 0 elsewhere; ``(N, C, H, W)``."""
        arg_max, dout = self._backward_inputs(dout)  # checked: forward ran; (N, C, OH, OW)
        dout = dout.transpose(0, 2, 3, 1).ravel()  # the rows' order: (N·OH·OW·C,)
        dmax = np.zeros((dout.size, self.pool_h * self.pool_w), dtype=dout.dtype)
        dmax[np.arange(dout.size), arg_max] = dout  # route: (N·OH·OW·C, PH·PW)
        dcol = dmax.reshape(-1, self.x_shape[1] * self.pool_h * self.pool_w)  # (N·OH·OW, C·PH·PW)
        dx = col2im(dcol, self.x_shape, self.pool_h, self.pool_w, self.stride)  # padded
        P = self.pad
        return dx[:, :, P : dx.shape[2] - P, P : dx.shape[3] - P]  # -> (N, C, H, W)

    # --8<-- [end:max_pooling]

    def _backward_inputs(self, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The winners from ``forward``, and ``dout`` checked against the output shape."""
        out_shape = None if self.arg_max is None else self.out_shape  # None: no forward yet
        arg_max, dout = backward_inputs(self.name, self.arg_max, dout, out_shape)
        return arg_max, dout
