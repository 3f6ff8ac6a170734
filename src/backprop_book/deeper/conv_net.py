"""A small convolutional network: Conv → ReLU → Pool → Flatten → Affine → ReLU → Affine → Softmax.

This is ``SimpleConvNet`` of *Deep Learning from Scratch* section 7.5 (``ch07/simple_convnet.py``)
built from this part's layers, in the shape of `backprop_book.training.two_layer_net.TwoLayerNet`:
an ordered dict of layers, ``predict``, ``loss``, ``accuracy``, ``numerical_gradient``, and a
``gradient`` that is one backward loop over the reversed layers. Its ``params`` are the same
`Params` dict as the two-layer net's (assigning an array gives it to the layer), so the
package's optimizers and `backprop_book.training.trainer.Trainer` train it unchanged.

Inputs are images ``(N, C, H, W)`` (``load_digits(flatten=False)`` gives ``(N, 1, 8, 8)``);
a batch of another shape is refused with a ``ValueError`` that names both shapes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from backprop_book.checks import numeric_array, positive_int
from backprop_book.deeper.convolution import Convolution
from backprop_book.deeper.flatten import Flatten
from backprop_book.deeper.im2col import output_size
from backprop_book.deeper.pooling import MaxPooling
from backprop_book.layers import Affine, Relu, SoftmaxWithLoss
from backprop_book.layers.gradient_check import numerical_gradient as _numerical_gradient
from backprop_book.training.initializers import initialize_weight
from backprop_book.training.metrics import accuracy
from backprop_book.training.two_layer_net import Params

__all__ = ["SimpleConvNet"]


class SimpleConvNet:
    """``Conv1 → Relu1 → Pool1 → Flatten1 → Affine1 → Relu2 → Affine2`` and Softmax-with-Loss.

    The convolution has ``filter_num`` filters of ``filter_size × filter_size`` (stride
    ``stride``, ``pad`` zeros); the pooling takes the maximum of ``pool_size × pool_size``
    windows; ``Affine1`` has ``hidden_size`` units, ``Affine2`` one score per class.

    Args:
        input_dim: ``(C, H, W)`` of one image (``(1, 8, 8)`` for the bundled digits).
        filter_num: Filters $FN$ of the convolution.
        filter_size: Height and width $FH = FW$ of a filter.
        stride: Step $S$ of the convolution.
        pad: Zeros $P$ around each image before the convolution.
        pool_size: Height, width and stride of the pooling windows.
        hidden_size: Units of the hidden `Affine` layer.
        output_size: Classes.
        weight_init_std: Standard deviation of every initial weight, or ``"he"``/``"xavier"``
            (each layer's own fan-in: $C \\cdot FH \\cdot FW$ for the filters).
        seed: Integer seed for the initial weights.
        rng: A ``numpy.random.Generator`` instead of ``seed``.
        dtype: ``np.float64`` (default) or ``np.float32``.

    Examples:
        >>> net = SimpleConvNet((1, 4, 4), filter_num=2, filter_size=3, pad=1, hidden_size=5,
        ...                     output_size=3, seed=0)
        >>> [(k, v.shape) for k, v in net.params.items()]
        [('W1', (2, 1, 3, 3)), ('b1', (2,)), ('W2', (8, 5)), ('b2', (5,)), ('W3', (5, 3)), \
('b3', (3,))]
        >>> list(net.layers)
        ['Conv1', 'Relu1', 'Pool1', 'Flatten1', 'Affine1', 'Relu2', 'Affine2']
        >>> x, t = np.ones((2, 1, 4, 4)), np.array([0, 2])
        >>> net.predict(x).shape
        (2, 3)
        >>> grads = net.gradient(x, t)
        >>> for key in net.params:
        ...     net.params[key] -= 0.1 * grads[key]
    """

    def __init__(
        self,
        input_dim: tuple[int, int, int] = (1, 8, 8),
        filter_num: int = 16,
        filter_size: int = 3,
        stride: int = 1,
        pad: int = 1,
        pool_size: int = 2,
        hidden_size: int = 100,
        output_size: int = 10,
        weight_init_std: float | str = "he",
        *,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        dtype: type | np.dtype = np.float64,
    ) -> None:
        where = "SimpleConvNet"
        if seed is not None and rng is not None:
            raise ValueError(f"{where}: pass either seed or rng, not both")
        if len(tuple(input_dim)) != 3:
            raise ValueError(f"{where}: input_dim must be (C, H, W), got {input_dim!r}")
        C, H, W = (positive_int(where, "input_dim", v) for v in input_dim)
        FN = positive_int(where, "filter_num", filter_num)
        FS = positive_int(where, "filter_size", filter_size)
        PS = positive_int(where, "pool_size", pool_size)
        hidden_size = positive_int(where, "hidden_size", hidden_size)
        output_size = positive_int(where, "output_size", output_size)
        OH, OW = _conv_pool_sizes(where, (C, H, W), FS, stride, pad, PS)  # after the pooling
        rng = np.random.default_rng(seed if rng is None else rng)
        dtype = np.dtype(dtype)
        method, std = (
            (weight_init_std, 0.01)
            if isinstance(weight_init_std, str)
            else ("std", float(weight_init_std))
        )
        fan_in = C * FS * FS  # one filter sees C·FH·FW inputs
        W1 = initialize_weight(fan_in, FN, method, std=std, rng=rng, dtype=dtype)
        flat = FN * OH * OW  # what Flatten hands to Affine1
        arrays = {
            "W1": np.ascontiguousarray(W1.T.reshape(FN, C, FS, FS)),  # (FN, C, FH, FW)
            "b1": np.zeros(FN, dtype=dtype),
            "W2": initialize_weight(flat, hidden_size, method, std=std, rng=rng, dtype=dtype),
            "b2": np.zeros(hidden_size, dtype=dtype),
            "W3": initialize_weight(
                hidden_size, output_size, method, std=std, rng=rng, dtype=dtype
            ),
            "b3": np.zeros(output_size, dtype=dtype),
        }
        self.input_dim, self.dtype = (C, H, W), dtype
        self.layers: OrderedDict[str, Any] = OrderedDict()
        self.layers["Conv1"] = Convolution(arrays["W1"], arrays["b1"], stride, pad, name="Conv1")
        self.layers["Relu1"] = Relu(name="Relu1")
        self.layers["Pool1"] = MaxPooling(PS, PS, name="Pool1")
        self.layers["Flatten1"] = Flatten(name="Flatten1")
        self.layers["Affine1"] = Affine(arrays["W2"], arrays["b2"], name="Affine1")
        self.layers["Relu2"] = Relu(name="Relu2")
        self.layers["Affine2"] = Affine(arrays["W3"], arrays["b3"], name="Affine2")
        self.last_layer = SoftmaxWithLoss()
        owners = {
            "W1": (self.layers["Conv1"], "W"),
            "b1": (self.layers["Conv1"], "b"),
            "W2": (self.layers["Affine1"], "W"),
            "b2": (self.layers["Affine1"], "b"),
            "W3": (self.layers["Affine2"], "W"),
            "b3": (self.layers["Affine2"], "b"),
        }
        self.params = Params(owners, arrays)

    # --8<-- [start:predict]
    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores (before softmax) for images ``x`` ``(N, C, H, W)``: shape ``(N, classes)``."""
        x = self._images(x)  # (N, C, H, W), the shape of input_dim
        for layer in self.layers.values():
            x = layer.forward(x)  # (N, FN, H, W), same, (N, FN, OH, OW), (N, FN·OH·OW), ...
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy loss of the batch; ``t`` one-hot ``(N, C)`` or labels ``(N,)``."""
        return self.last_layer.forward(self.predict(x), t)

    # --8<-- [end:predict]

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of the images whose highest score is the correct class.

        Args:
            x: Images, ``(N, C, H, W)``.
            t: One-hot labels ``(N, classes)`` or integer labels ``(N,)``.

        Returns:
            Accuracy in ``[0, 1]``.

        Examples:
            >>> net = SimpleConvNet((1, 4, 4), 2, hidden_size=3, output_size=2, seed=0)
            >>> 0.0 <= net.accuracy(np.ones((2, 1, 4, 4)), np.array([0, 1])) <= 1.0
            True
        """
        return accuracy(self.predict(x), t, "SimpleConvNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the loss by central differences (slow; for checking ``gradient``).

        Args:
            x: Images.
            t: Labels.

        Returns:
            ``{"W1": ..., "b1": ..., "W2": ..., "b2": ..., "W3": ..., "b3": ...}``.

        Examples:
            >>> net = SimpleConvNet((1, 4, 4), 1, hidden_size=2, output_size=2, seed=0)
            >>> list(net.numerical_gradient(np.ones((1, 1, 4, 4)), np.array([1])))
            ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']
        """

        def loss_w(_: np.ndarray) -> float:
            return self.loss(x, t)

        return {key: _numerical_gradient(loss_w, param) for key, param in self.params.items()}

    # --8<-- [start:gradient]
    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the loss by backpropagation: forward, then backward through the layers.

        Args:
            x: Images.
            t: Labels.

        Returns:
            ``{"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}``.

        Examples:
            >>> net = SimpleConvNet((1, 4, 4), 2, hidden_size=3, output_size=2, seed=0)
            >>> grads = net.gradient(np.ones((1, 1, 4, 4)), np.array([1]))
            >>> grads["W1"].shape, grads["b3"].shape
            ((2, 1, 3, 3), (2,))
        """
        self.loss(x, t)  # forward
        dout = self.last_layer.backward(1)  # (N, classes): (y - t) / N
        for layer in reversed(self.layers.values()):  # Affine2, Relu2, ..., Pool1, Relu1, Conv1
            dout = layer.backward(dout)  # the gradient of each layer's input, down to the images
        conv, hidden, scores = (self.layers[k] for k in ("Conv1", "Affine1", "Affine2"))
        return {
            "W1": conv.dW, "b1": conv.db,
            "W2": hidden.dW, "b2": hidden.db,
            "W3": scores.dW, "b3": scores.db,
        }  # fmt: skip

    # --8<-- [end:gradient]

    def _images(self, x: np.ndarray) -> np.ndarray:
        """``x`` as a batch ``(N, C, H, W)`` of the network's image shape, or a clear error."""
        x = numeric_array("SimpleConvNet", x)
        if x.ndim != 4 or x.shape[1:] != self.input_dim:
            C, H, W = self.input_dim
            raise ValueError(
                f"SimpleConvNet: x has shape {x.shape} but the network takes images "
                f"(N, {C}, {H}, {W}) (input_dim={self.input_dim}); flat rows need "
                f"x.reshape(-1, {C}, {H}, {W}) (or load_digits(flatten=False))"
            )
        return x


def _conv_pool_sizes(
    where: str, input_dim: tuple[int, int, int], filter_size: int, stride: int, pad: int,
    pool_size: int,
) -> tuple[int, int]:  # fmt: skip
    """``(OH, OW)`` after the convolution and the pooling; an error if a size does not fit."""
    shape = (1, *input_dim)
    CH, CW = output_size(f"{where} (Conv1)", shape, filter_size, filter_size, stride, pad)
    return output_size(f"{where} (Pool1)", (1, 1, CH, CW), pool_size, pool_size, pool_size)
