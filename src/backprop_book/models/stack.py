"""A stack of layers, each feeding the next: the network inside a Keras-style ``Sequential``.

`LayerStack` holds what a model *is*: its blocks (``Dense``, ``Activation``, ``Conv2D``,
``MaxPooling2D``, ``Flatten``, ``BatchNormalization``, ``Dropout``), their weights,
the forward pass to the loss, backpropagation through every block in reverse (the softmax fused
with the cross-entropy loss, as ``SoftmaxWithLoss``), predictions in batches, and the
architecture as plain data (``get_config``/``from_config``, Keras' names). What a model *does*
with it, ``compile``/``fit``/``evaluate``, is :class:`backprop_book.models.sequential.Sequential`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from backprop_book.checks import choice
from backprop_book.layers import SoftmaxWithLoss
from backprop_book.models.conv_blocks import Conv2D, Flatten, MaxPooling2D
from backprop_book.models.dense import Activation, Dense
from backprop_book.models.inputs import LOSSES, batch_size_or_32, check_x, check_y
from backprop_book.models.mode_blocks import BatchNormalization, Dropout
from backprop_book.models.summary import summary_lines
from backprop_book.training.metrics import n_correct

__all__ = ["LAYERS", "LayerStack"]

LAYERS: dict[str, type[Any]] = {
    "Dense": Dense,
    "Activation": Activation,
    "Conv2D": Conv2D,
    "MaxPooling2D": MaxPooling2D,
    "Flatten": Flatten,
    "BatchNormalization": BatchNormalization,
    "Dropout": Dropout,
}  # the layer classes a config may name


class LayerStack:
    """Layers in order, their weights, forward, backward and predict (``Sequential``'s base).

    It takes the arguments of `Sequential` (the layers, a seed, a dtype); training, evaluation
    and saving are `Sequential`'s.

    Examples:
        >>> stack = LayerStack([Dense(2, activation="softmax", input_dim=3)], seed=0)
        >>> list(stack.params), stack.count_params()  # 3*2 + 2
        (['W1', 'b1'], 8)
    """

    def __init__(
        self,
        layers: Sequence[Any] | None = None,
        *,
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
    ) -> None:
        self.layers: list[Any] = []
        self.input_shape: tuple[int, ...] | None = None
        self.rng, self.dtype = np.random.default_rng(seed), np.dtype(dtype)
        self.loss_layer = SoftmaxWithLoss(name="Sequential loss")
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Any) -> None:
        """Append a layer, named ``dense_<n>``, ``conv2d_<n>``, … (numbered per model from 1)."""
        known: tuple[type[Any], ...] = tuple(LAYERS.values())
        if not isinstance(layer, known):
            raise TypeError(f"Sequential.add: expected a layer ({', '.join(LAYERS)}), "
                            f"got {layer!r:.80}")  # fmt: skip
        if layer.name is None:
            layer.name = f"{layer.kind}_{sum(lay.kind == layer.kind for lay in self.layers) + 1}"
        if any(lay.name == layer.name for lay in self.layers):
            raise ValueError(
                f"Sequential.add: a layer named {layer.name!r} is already in the model"
            )
        self.layers.append(layer)
        if self.input_shape is None and len(self.layers) == 1:
            self.input_shape = layer.input_shape
        if self.input_shape is not None:
            self.build(self.input_shape)

    def build(self, input_shape: Sequence[int]) -> None:
        """Create the weights of every layer not yet built, for inputs ``(N, *input_shape)``."""
        shape = tuple(int(d) for d in input_shape)
        if self.input_shape not in (None, shape) and any(lay.layers for lay in self.layers):
            raise ValueError(
                f"Sequential.build: the model is built for inputs {(None, *self.input_shape)}, "
                f"not {(None, *shape)}; make a new model for another input size"
            )
        self.input_shape = shape
        for layer in self.layers:
            if not layer.layers:
                layer.build(shape, self.rng, self.dtype)
            shape = layer.output_shape(shape)

    @property
    def built(self) -> bool:
        """True once the weights exist (the input size is known)."""
        return self.input_shape is not None and bool(self.layers)

    def nodes(self) -> list[Any]:
        """The layers that compute, in order: e.g. each Dense block's ``Affine`` and activation."""
        return [node for layer in self.layers for node in layer.layers]

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """Every weight as ``(key, owner, attribute, trainable)``, keys numbered per family.

        ``W1, b1, W2, b2, …`` number the ``Conv2D`` and ``Dense`` blocks in order (as the book's
        ``SimpleConvNet`` does), ``gamma1, beta1, running_mean1, running_var1, …`` the
        ``BatchNormalization`` blocks.
        """
        counts: dict[str, int] = {}
        out = []
        for layer in self.layers:
            slots = layer.slots()
            if slots:
                family = slots[0][0]
                counts[family] = counts.get(family, 0) + 1
                out += [(f"{k}{counts[family]}", o, a, t) for k, o, a, t in slots]
        return out

    @property
    def params(self) -> dict[str, np.ndarray]:
        """The trainable weights ``W1, b1, …, gamma1, beta1, …``: the very arrays the layers use."""
        return {key: getattr(owner, attr) for key, owner, attr, trainable in self.slots()
                if trainable}  # fmt: skip

    def named_weights(self) -> dict[str, np.ndarray]:
        """Every weight by name, the running averages of ``BatchNormalization`` too."""
        return {key: getattr(owner, attr) for key, owner, attr, _ in self.slots()}

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight array, ``[W1, b1, W2, b2, …]`` (as Keras, non-trainable too)."""
        return [p.copy() for p in self.named_weights().values()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy ``[W1, b1, …]`` into the model's arrays, in place (the shapes must match)."""
        slots = self.slots()
        if len(weights) != len(slots):
            raise ValueError(
                f"Sequential.set_weights: the model has {len(slots)} weight arrays "
                f"({', '.join(s[0] for s in slots)}), got {len(weights)}"
            )
        for (key, owner, attr, _), w in zip(slots, weights, strict=True):
            p = getattr(owner, attr)
            if np.shape(w) != p.shape:
                raise ValueError(f"Sequential.set_weights: {key} is {p.shape}, got {np.shape(w)}")
            p[...] = w

    def count_params(self) -> int:
        """Total number of weights and biases: the sum of each layer's ``count_params()``."""
        return sum(layer.count_params() for layer in self.layers)

    def count_non_trainable(self) -> int:
        """The weights the optimizer does not change (``BatchNormalization``'s running averages)."""
        return sum(getattr(o, a).size for _, o, a, trainable in self.slots() if not trainable)

    def summary(self, print_fn: Callable[[str], Any] = print) -> None:
        """Print Keras' table: ``Layer (type)``, ``Output Shape``, ``Param #``, then the totals."""
        for line in summary_lines(self):
            print_fn(line)

    def forward(self, x: np.ndarray, nodes: list[Any], training: bool) -> np.ndarray:
        """``x`` through ``nodes``, each in training or inference mode if it has one."""
        for node in nodes:
            x = node.forward(x, training) if getattr(node, "takes_training", False) else \
                node.forward(x)  # fmt: skip
        return x

    def forward_loss(
        self, x: np.ndarray, y: np.ndarray, training: bool = False
    ) -> tuple[float, np.ndarray]:
        """The loss and the scores (the inputs of the softmax) for checked ``x, y``.

        ``training=True`` (``fit``) runs Dropout and BatchNormalization in training mode."""
        out = self.forward(x, self.nodes()[:-1], training)  # every node but the softmax
        if not np.all(np.isfinite(out)):  # diverged: the training loop raises
            return math.nan, out
        return self.loss_layer.forward(out, y), out

    def check_softmax_last(self, where: str) -> None:
        """Refuse a softmax anywhere but in the last layer, naming the layer and what is allowed.

        ``backward`` fuses the model's softmax with the cross-entropy loss, so the softmax can
        only be the model's last step: a softmax in a hidden layer (or two at the end) would
        have no backward pass. ``compile`` and every method that computes the loss check this.

        Examples:
            >>> stack = LayerStack([Dense(4, activation="softmax", input_dim=3), Dense(2)])
            >>> stack.check_softmax_last("compile")
            Traceback (most recent call last):
            ...
            ValueError: Sequential.compile: layers[0] (dense_1) has a softmax, but only the \
last layer may (it is fused with the loss); give hidden layers activation='relu', 'sigmoid' or None
        """
        for i, layer in enumerate(self.layers[:-1]):
            if layer.activation == "softmax":
                raise ValueError(
                    f"Sequential.{where}: layers[{i}] ({layer.name}) has a softmax, but only "
                    "the last layer may (it is fused with the loss); give hidden layers "
                    "activation='relu', 'sigmoid' or None"
                )

    def backward(self) -> dict[str, np.ndarray]:
        """Backpropagation from the fused softmax-and-loss down: ``{"W1": dW1, …}``."""
        # --8<-- [start:backward]
        dout = self.loss_layer.backward(1)  # softmax and loss fused: (y - t) / N
        for node in reversed(self.nodes()[:-1]):
            dout = node.backward(dout)
        # --8<-- [end:backward]
        return {key: getattr(owner, f"d{attr}") for key, owner, attr, trainable in self.slots()
                if trainable}  # fmt: skip

    def loss(self, x: np.ndarray, y: np.ndarray, training: bool = False) -> float:
        """The mean loss on ``(x, y)``, like ``TwoLayerNet.loss`` (one-hot or integer labels).

        Inference mode by default (as Keras' ``model(x)``); ``training=True`` as in ``fit``."""
        x = check_x(self, x, "loss")
        loss = LOSSES[np.ndim(y) == 1]  # either label form, as in TwoLayerNet
        y = check_y(self, y, x.shape[0], "loss", loss)
        return self.forward_loss(x, y, training=bool(training))[0]

    def gradient(self, x: np.ndarray, y: np.ndarray, training: bool = False) -> dict[str, Any]:
        """Backpropagation, like ``TwoLayerNet.gradient``: ``{"W1": dW1, "b1": db1, …}``.

        The gradient of ``loss(x, y, training)``: the same mode, so a numerical check agrees."""
        self.loss(x, y, training)
        return self.backward()

    def sums_on(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> tuple[float, int, int]:
        """The loss sum and the correct count on checked ``(x, y)``, ``batch_size`` at a time."""
        loss_sum, correct = 0.0, 0
        for i in range(0, len(x), batch_size):
            loss, scores = self.forward_loss(x[i : i + batch_size], y[i : i + batch_size])
            loss_sum += loss * len(scores)
            correct += n_correct(scores, y[i : i + batch_size])
        return loss_sum, correct, len(x)

    def predict(self, x: np.ndarray, batch_size: int | None = None, verbose: int = 0) -> np.ndarray:
        """The output for each row of ``x``, ``batch_size`` rows at a time (32 by default, as in
        Keras): class probabilities when the model ends in softmax.

        Examples:
            >>> stack = LayerStack([Dense(2, activation="softmax", input_dim=3)], seed=0)
            >>> stack.predict(np.ones((40, 3)), batch_size=128, verbose=0).shape
            (40, 2)
        """
        x = check_x(self, x, "predict")
        batch_size = batch_size_or_32("Sequential.predict", batch_size)
        choice("Sequential.predict", "verbose", verbose, [0, 1, 2])
        outs = []
        for i in range(0, max(len(x), 1), batch_size):
            outs.append(self.forward(x[i : i + batch_size], self.nodes(), training=False))
        return np.concatenate(outs)

    def predict_classes(self, x: np.ndarray) -> np.ndarray:
        """The most probable class of each row: ``predict(x).argmax(axis=1)``."""
        return self.predict(x).argmax(axis=1)

    def get_config(self) -> dict[str, Any]:
        """The architecture as plain data (Keras' ``get_config``): the layers, no weights.

        Examples:
            >>> config = LayerStack([Dense(2, activation="softmax", input_dim=3)]).get_config()
            >>> config["input_shape"], [layer["class_name"] for layer in config["layers"]]
            ([3], ['Dense'])
        """
        if not self.built:
            raise ValueError("save_model: the model is not built yet (its input size is unknown)")
        assert self.input_shape is not None  # set when the model was built
        layers = [{"class_name": type(lay).__name__, "config": lay.get_config()}
                  for lay in self.layers]  # fmt: skip
        return {"input_shape": list(self.input_shape), "dtype": self.dtype.name, "layers": layers}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        """The model a ``get_config()`` describes, built, with fresh weights (as in Keras).

        Examples:
            >>> config = LayerStack([Dense(2, activation="softmax", input_dim=3)]).get_config()
            >>> LayerStack.from_config(config).count_params()
            8
        """
        layers = []
        for entry in config["layers"]:
            layer_class = LAYERS[choice("from_config", "layer class", entry["class_name"], LAYERS)]
            layers.append(layer_class.from_config(entry["config"]))
        model = cls(layers, dtype=config["dtype"])
        model.build(config["input_shape"])
        return model
