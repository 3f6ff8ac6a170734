"""A two-layer neural network built from layers: Affine → ReLU → Affine → Softmax-with-Loss.

This is ``TwoLayerNet`` of *Deep Learning from Scratch* section 5.7 (``ch05/two_layer_net.py``)
with the same members (``params``, ``layers``, ``last_layer``, ``predict``, ``loss``,
``accuracy``, ``numerical_gradient``, ``gradient``), so the book's training loop
``params[key] -= lr * grads[key]`` works unchanged. Additions: labels ``t`` may be one-hot rows
or integer labels everywhere, weights come from an explicit ``seed``/``rng``, and ``dtype``
(float64 for gradient checks, float32 for speed) holds end to end.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from backprop_book.layers import Affine, Relu, SoftmaxWithLoss
from backprop_book.layers.gradient_check import numerical_gradient as _numerical_gradient
from backprop_book.training.initializers import initialize_weight
from backprop_book.training.metrics import accuracy

_MISSING = object()  # no array under that name yet


class Params(dict[str, np.ndarray]):
    """The network's parameters by name; assigning a new array also gives it to the layer.

    The layers hold the same arrays as this dict, so in-place updates (``params["W1"] -= ...``)
    reach them directly; ``params["W1"] = new_array`` is passed on too (after a shape check).

    Examples:
        >>> net = TwoLayerNet(2, 3, 2, seed=0)
        >>> net.params["b1"] = np.ones(3)
        >>> net.layers["Affine1"].b is net.params["b1"]
        True
    """

    def __init__(self, owners: dict[str, tuple[Any, str]], arrays: dict[str, np.ndarray]) -> None:
        super().__init__(arrays)
        self._owners = owners  # name -> (layer, attribute)

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        if value is dict.get(self, key, _MISSING):  # `params[key] -= ...`: the same array,
            return  # changed in place, so the layer has it already
        if key in self._owners:
            layer, attr = self._owners[key]
            old = getattr(layer, attr)
            value = np.asarray(value, dtype=old.dtype)
            if value.shape != old.shape:
                raise ValueError(
                    f"params[{key!r}]: new value has shape {value.shape}, expected {old.shape}"
                )
            setattr(layer, attr, value)
        super().__setitem__(key, value)

    # Every other way of changing the dict goes through __setitem__ or is refused, so that the
    # dict and the layers can never disagree (dict's own update() would bypass __setitem__).
    def update(self, *args: Any, **kwargs: Any) -> None:
        """Assign each pair through ``params[key] = value`` (so the layers get them too)."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Params:  # type: ignore[override,misc]  # dict, not Self
        self.update(other)
        return self

    def setdefault(self, key: str, default: Any = None) -> np.ndarray:
        """``params[key]``, set to ``default`` first if it is missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def _refuse(self, *args: Any) -> Any:
        raise TypeError(
            "params: a network's parameters cannot be removed; assign a new array instead "
            "(params['W1'] = ...)"
        )

    __delitem__ = pop = popitem = clear = _refuse


class TwoLayerNet:
    """Two-layer network ``Affine1 → Relu1 → Affine2`` with a Softmax-with-Loss output.

    Args:
        input_size: Inputs per sample (784 for MNIST).
        hidden_size: Units in the hidden layer.
        output_size: Classes (10 for MNIST).
        weight_init_std: Standard deviation of the initial weights (the book's ``0.01``), or a
            method name ``"xavier"``, ``"he"``, ``"zeros"`` (see ``initialize_weight``).
        seed: Integer seed for the initial weights.
        rng: A ``numpy.random.Generator`` instead of ``seed``.
        dtype: ``np.float64`` (default) or ``np.float32``; every array stays in it.

    Examples:
        >>> net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2, seed=0)
        >>> [(k, v.shape) for k, v in net.params.items()]
        [('W1', (4, 3)), ('b1', (3,)), ('W2', (3, 2)), ('b2', (2,))]
        >>> list(net.layers)
        ['Affine1', 'Relu1', 'Affine2']
        >>> x, t = np.ones((5, 4)), np.array([0, 1, 0, 1, 1])
        >>> net.predict(x).shape
        (5, 2)
        >>> grads = net.gradient(x, t)
        >>> for key in ("W1", "b1", "W2", "b2"):
        ...     net.params[key] -= 0.1 * grads[key]
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float | str = 0.01,
        *,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        dtype: type | np.dtype = np.float64,
    ) -> None:
        if seed is not None and rng is not None:
            raise ValueError("TwoLayerNet: pass either seed or rng, not both")
        rng = np.random.default_rng(seed if rng is None else rng)
        dtype = np.dtype(dtype)
        if isinstance(weight_init_std, str):
            method, std = weight_init_std, 0.01
        else:
            method, std = "std", float(weight_init_std)
        arrays = {
            "W1": initialize_weight(input_size, hidden_size, method, std=std, rng=rng, dtype=dtype),
            "b1": np.zeros(hidden_size, dtype=dtype),
            "W2": initialize_weight(
                hidden_size, output_size, method, std=std, rng=rng, dtype=dtype
            ),
            "b2": np.zeros(output_size, dtype=dtype),
        }
        self.dtype = dtype
        self.layers: OrderedDict[str, Any] = OrderedDict()  # Affine and Relu layers, by name
        # Nothing below Affine1 needs its dx, so its backward skips dout @ W1.T.
        self.layers["Affine1"] = Affine(
            arrays["W1"], arrays["b1"], name="Affine1", input_grad=False
        )
        self.layers["Relu1"] = Relu(name="Relu1")
        self.layers["Affine2"] = Affine(arrays["W2"], arrays["b2"], name="Affine2")
        self.last_layer = SoftmaxWithLoss()
        owners = {
            "W1": (self.layers["Affine1"], "W"),
            "b1": (self.layers["Affine1"], "b"),
            "W2": (self.layers["Affine2"], "W"),
            "b2": (self.layers["Affine2"], "b"),
        }
        self.params = Params(owners, arrays)

    # --8<-- [start:predict]
    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores (before softmax) for a batch ``x`` of shape ``(N, input_size)``."""
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy loss of the batch; ``t`` one-hot ``(N, C)`` or labels ``(N,)``."""
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    # --8<-- [end:predict]

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of samples whose highest score is the correct class.

        Args:
            x: Input batch, ``(N, input_size)``.
            t: One-hot labels ``(N, C)`` or integer labels ``(N,)``.

        Returns:
            Accuracy in ``[0, 1]`` (`backprop_book.training.metrics.accuracy` of the scores).

        Examples:
            >>> net = TwoLayerNet(2, 2, 2, seed=0)
            >>> 0.0 <= net.accuracy(np.eye(2), np.array([0, 1])) <= 1.0
            True
        """
        return accuracy(self.predict(x), t, "TwoLayerNet.accuracy")  # the package's one accuracy

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the loss by central differences (slow; for checking ``gradient``).

        Args:
            x: Input batch.
            t: Labels.

        Returns:
            ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``.

        Examples:
            >>> net = TwoLayerNet(2, 2, 2, seed=0)
            >>> sorted(net.numerical_gradient(np.ones((1, 2)), np.array([1])))
            ['W1', 'W2', 'b1', 'b2']
        """

        def loss_w(_: np.ndarray) -> float:
            return self.loss(x, t)

        return {key: _numerical_gradient(loss_w, param) for key, param in self.params.items()}

    # --8<-- [start:gradient]
    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the loss by backpropagation: forward, then backward through the layers.

        Args:
            x: Input batch.
            t: Labels.

        Returns:
            ``{"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}``.

        Examples:
            >>> net = TwoLayerNet(2, 2, 2, seed=0)
            >>> grads = net.gradient(np.ones((1, 2)), np.array([1]))
            >>> grads["W1"].shape, grads["b2"].shape
            ((2, 2), (2,))
        """
        self.loss(x, t)  # forward
        dout = self.last_layer.backward(1)  # (N, C): (y - t) / N, the gradient of the scores
        for layer in reversed(self.layers.values()):  # Affine2, Relu1, Affine1
            dout = layer.backward(dout)  # (N, H), (N, H), then None (Affine1: input_grad=False)
        return {
            "W1": self.layers["Affine1"].dW,
            "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW,
            "b2": self.layers["Affine2"].db,
        }

    # --8<-- [end:gradient]
