"""Keras-style models: ``Sequential``, stacking ``Dense`` and ``Activation`` blocks.

The second half of the lecture notes switches to Keras (seed items S13–S15): ``X·W + b`` is an
affine transformation (Affine 변환) to a mathematician and a fully connected (완전연결) ``Dense``
layer to a neural-network library. Here that interface is built from the layers of the earlier
chapters, so nothing in it is magic: ``Dense`` is an ``Affine`` layer followed by an activation
layer, a softmax at the end is fused with the cross-entropy loss exactly as ``SoftmaxWithLoss``,
and ``fit`` is the two-layer net's mini-batch loop with Keras' bookkeeping (validation split,
progress line, ``History``) around it. The blocks live in :mod:`backprop_book.models.dense` (and are
importable from here too), the callbacks in :mod:`backprop_book.training.callbacks`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from backprop_book.checks import choice, labels
from backprop_book.layers import Affine, SoftmaxWithLoss
from backprop_book.models.dense import Activation, Dense, SoftmaxNode
from backprop_book.training.callbacks import Callback, CallbackList, History, ProgressPrinter
from backprop_book.training.optimizers import get_optimizer
from backprop_book.training.splits import train_validation_split

__all__ = ["Sequential"]

LOSSES = ("categorical_crossentropy", "sparse_categorical_crossentropy")
METRICS = ("acc", "accuracy")


def _n_correct(scores: np.ndarray, y: np.ndarray) -> int:
    """How many rows of ``scores`` have their largest entry at the true class."""
    labels = y if y.ndim == 1 else y.argmax(axis=1)  # integer labels, or one-hot rows
    return int(np.sum(scores.argmax(axis=1) == labels))


class Sequential:
    """A stack of layers, each feeding the next, with Keras' ``compile``/``fit``/``evaluate``.

    Args:
        layers: ``Dense`` and ``Activation`` layers, first to last.
        seed: Seed (or ``numpy.random.Generator``) for the initial weights and the shuffling in
            ``fit``: the same seed gives the same model and the same training run.
        dtype: Floating dtype of the weights (float64 by default).

    Examples:
        >>> model = Sequential([Dense(3, activation="relu", input_dim=4),
        ...                     Dense(2, activation="softmax")], seed=0)
        >>> [layer.name for layer in model.layers], model.count_params()  # (4*3+3) + (3*2+2)
        (['dense_1', 'dense_2'], 23)
        >>> float(model.predict(np.ones((1, 4))).sum())
        1.0
    """

    def __init__(
        self,
        layers: Sequence[Dense | Activation] | None = None,
        *,
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
    ) -> None:
        self.layers: list[Dense | Activation] = []
        self.input_shape: tuple[int, ...] | None = None
        self.rng, self.dtype = np.random.default_rng(seed), np.dtype(dtype)
        self.optimizer: Any = None
        self.loss_name: str | None = None  # Keras' model.loss (here loss() is a method)
        self.metrics: list[str] = []
        self.stop_training = False
        self.history: History | None = None
        self._loss_layer = SoftmaxWithLoss(name="Sequential loss")
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Dense | Activation) -> None:
        """Append a layer, named ``dense_<n>`` or ``activation_<n>`` (numbered per model from 1)."""
        if not isinstance(layer, (Dense, Activation)):
            raise TypeError(f"Sequential.add: expected a Dense or Activation layer, got {layer!r}")
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

    def _nodes(self) -> list[Any]:
        return [node for layer in self.layers for node in layer.layers]

    def _dense(self) -> list[Affine]:
        return [lay.affine for lay in self.layers if isinstance(lay, Dense) and lay.affine]

    @property
    def params(self) -> dict[str, np.ndarray]:
        """``W1, b1, W2, b2, …`` of the Dense layers in order: the very arrays they compute with."""
        return {f"{k}{i}": getattr(a, k) for i, a in enumerate(self._dense(), 1) for k in "Wb"}

    def get_weights(self) -> list[np.ndarray]:
        """Copies of ``[W1, b1, W2, b2, …]``."""
        return [p.copy() for p in self.params.values()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy ``[W1, b1, …]`` into the model's arrays, in place (the shapes must match)."""
        params = self.params
        if len(weights) != len(params):
            raise ValueError(
                f"Sequential.set_weights: the model has {len(params)} weight arrays "
                f"({', '.join(params)}), got {len(weights)}"
            )
        for (key, p), w in zip(params.items(), weights, strict=True):
            if np.shape(w) != p.shape:
                raise ValueError(f"Sequential.set_weights: {key} is {p.shape}, got {np.shape(w)}")
            p[...] = w

    def count_params(self) -> int:
        """Total number of weights and biases: the sum of each layer's ``count_params()``."""
        return sum(layer.count_params() for layer in self.layers)

    # --8<-- [start:summary]
    def summary(self, print_fn: Callable[[str], Any] = print) -> None:
        """Print Keras' table: ``Layer (type)``, ``Output Shape``, ``Param #``, then the totals."""
        if not self.built:
            raise ValueError(
                "Sequential.summary: the model is not built yet; give the first layer "
                "input_dim=... (or input_shape=...), or call build() or fit() first"
            )
        assert self.input_shape is not None  # set by build()
        rows, shape = [("Layer (type)", "Output Shape", "Param #")], self.input_shape
        for layer in self.layers:
            shape = layer.output_shape(shape)  # e.g. (50,): shown as (None, 50), None = any N
            name = f"{layer.name} ({type(layer).__name__})"
            rows.append((name, str((None, *shape)), str(layer.count_params())))
        lines = [f"{a:<29}{b:<26}{c}" for a, b, c in rows]
        rules = ["=" * 65] + ["_" * 65] * (len(rows) - 2) + ["=" * 65]
        total = self.count_params()
        print_fn("_" * 65)
        for line, rule in zip(lines, rules, strict=True):
            print_fn(line.rstrip())
            print_fn(rule)
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {total:,}")
        print_fn("Non-trainable params: 0")
        print_fn("_" * 65)

    # --8<-- [end:summary]

    def compile(
        self,
        optimizer: Any = "sgd",
        loss: str = "categorical_crossentropy",
        metrics: Sequence[str] | None = None,
    ) -> None:
        """Choose the optimizer, the loss and the metrics.

        Args:
            optimizer: ``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"adam"`` (default settings of
                :mod:`backprop_book.training.optimizers`) or an optimizer object such as
                ``SGD(lr=0.1)``.
            loss: ``"categorical_crossentropy"`` (one-hot labels) or
                ``"sparse_categorical_crossentropy"`` (integer labels); the model must end in a
                softmax, which is fused with the loss for the backward pass.
            metrics: ``["acc"]`` or ``["accuracy"]`` (also the key in ``History``), or none.
        """
        self.loss_name = choice("Sequential.compile", "loss", loss, LOSSES)
        if isinstance(metrics, str):
            raise TypeError(f"Sequential.compile: metrics must be a list, e.g. [{metrics!r}]")
        self.metrics = [choice("Sequential.compile", "metric", m, METRICS) for m in metrics or []]
        self.optimizer = get_optimizer(optimizer)

    def _check_x(self, x: Any, where: str) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype == bool or not np.issubdtype(x.dtype, np.number) or x.ndim < 2:
            raise ValueError(
                f"Sequential.{where}: x must be a numeric array of shape (N, ...), "
                f"got dtype {x.dtype} and shape {x.shape}"
            )
        if not self.layers:
            raise ValueError(f"Sequential.{where}: the model has no layers")
        if not self.built:
            self.build(x.shape[1:])
        assert self.input_shape is not None  # set by build()
        if x.shape[1:] != self.input_shape:
            raise ValueError(
                f"Sequential.{where}: x has shape {x.shape} but the model expects "
                f"{(None, *self.input_shape)}"
            )
        return x.astype(self.dtype, copy=False)

    def _check_y(self, y: Any, n: int, where: str, loss: str | None = None) -> np.ndarray:
        """Labels in the form the loss expects, or an error saying which form to use."""
        loss = loss or self.loss_name
        nodes, y = self._nodes(), np.asarray(y)
        if not isinstance(nodes[-1], SoftmaxNode):
            raise ValueError(
                f"Sequential.{where}: the cross-entropy loss needs a softmax output; "
                "give the last Dense activation='softmax' (or add Activation('softmax'))"
            )
        shape = self.input_shape
        assert shape is not None  # _check_x, always called first, builds the model
        for layer in self.layers:
            shape = layer.output_shape(shape)
        classes = shape[-1]
        if y.ndim == 0 or y.shape[0] != n:
            raise ValueError(f"Sequential.{where}: x has {n} samples but y has shape {y.shape}")
        if loss == "sparse_categorical_crossentropy":
            if y.ndim != 1:
                raise ValueError(
                    f"Sequential.{where}: loss '{loss}' expects integer labels of shape ({n},), "
                    f"got shape {y.shape}; for one-hot labels use "
                    "loss='categorical_crossentropy'"
                )
            return labels(f"Sequential.{where}", y, classes)
        if y.shape != (n, classes):
            hint = " use loss='sparse_categorical_crossentropy' for integer labels, or" * (
                y.ndim == 1
            )
            raise ValueError(
                f"Sequential.{where}: loss '{loss}' expects one-hot labels of shape "
                f"({n}, {classes}), got shape {y.shape};{hint} one-hot encode them "
                "(backprop_book.layers.functions.one_hot)"
            )
        return y

    def _check(self, x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
        if self.loss_name is None or self.optimizer is None:
            raise RuntimeError(
                f"Sequential.{where}: compile the model first, e.g. model.compile("
                "optimizer='sgd', loss='categorical_crossentropy', metrics=['acc'])"
            )
        x = self._check_x(x, where)
        return x, self._check_y(y, x.shape[0], where)

    def _forward_loss(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The loss and the scores (the inputs of the softmax) for checked ``x, y``."""
        out = x
        for node in self._nodes()[:-1]:  # every node but the softmax
            out = node.forward(out)
        if not np.all(np.isfinite(out)):  # diverged: fit stops with a clear message
            return math.nan, out
        return self._loss_layer.forward(out, y), out

    def _backward(self) -> dict[str, np.ndarray]:
        # --8<-- [start:backward]
        dout = self._loss_layer.backward(1)  # softmax and loss fused: (y - t) / N
        for node in reversed(self._nodes()[:-1]):
            dout = node.backward(dout)
        # --8<-- [end:backward]
        return {
            f"{k}{i}": getattr(a, f"d{k}") for i, a in enumerate(self._dense(), 1) for k in "Wb"
        }

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """The mean loss on ``(x, y)``, like ``TwoLayerNet.loss`` (one-hot or integer labels)."""
        x = self._check_x(x, "loss")
        loss = LOSSES[np.ndim(y) == 1]  # either label form, as in TwoLayerNet
        return self._forward_loss(x, self._check_y(y, x.shape[0], "loss", loss))[0]

    def gradient(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """Backpropagation, like ``TwoLayerNet.gradient``: ``{"W1": dW1, "b1": db1, …}``."""
        self.loss(x, y)
        return self._backward()

    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        epochs: int = 1,
        batch_size: int = 32,
        validation_split: float = 0.0,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        shuffle: bool = True,
        verbose: int = 1,
        callbacks: Sequence[Callback] | None = None,
        seed: int | None = None,
    ) -> History:
        """Train on mini-batches for ``epochs`` passes over ``x`` and return the ``History``.

        Args:
            x: Inputs, ``(N, ...)``.
            y: Labels in the form the loss expects (one-hot or integers).
            epochs: Passes over the training data.
            batch_size: Samples per mini-batch (one update each).
            validation_split: Fraction of ``x``, taken from the end before shuffling, kept apart
                to measure ``val_loss``/``val_acc`` after each epoch.
            validation_data: ``(x_val, y_val)`` to use instead of a split.
            shuffle: Visit the samples in a new random order each epoch.
            verbose: 0 silent, 1 progress line, 2 one line per epoch.
            callbacks: e.g. ``[EarlyStopping(patience=3)]``.
            seed: Seed of the shuffling (by default the model's ``seed`` stream).
        """
        x, y = self._check(x, y, "fit")
        if x.shape[0] == 0:
            raise ValueError("Sequential.fit: x has no samples; training needs at least one")
        for name, value in (("epochs", epochs), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(
                    f"Sequential.fit: {name} must be a positive integer, got {value!r}"
                )
        choice("Sequential.fit", "verbose", verbose, [0, 1, 2])
        x_val: np.ndarray | None
        y_val: np.ndarray | None
        if validation_data is not None:
            x_val, y_val = self._check(*validation_data, "fit (validation_data)")
        elif validation_split:
            (x, y), (x_val, y_val) = train_validation_split(x, y, validation_split)
        else:
            x_val = y_val = None
        # --8<-- [start:fit_loop]
        rng = self.rng if seed is None else np.random.default_rng(seed)
        self.history, self.stop_training = History(), False
        printer = [ProgressPrinter(verbose)] if verbose else []
        settings = {"epochs": epochs, "batch_size": batch_size, "samples": x.shape[0],
                    "val_samples": 0 if x_val is None else len(x_val), "verbose": verbose,
                    "metrics": self.metrics}  # fmt: skip
        cbs = CallbackList([*printer, self.history, *(callbacks or [])], self, **settings)
        cbs.on_train_begin()
        for epoch in range(epochs):
            cbs.on_epoch_begin(epoch)
            order = rng.permutation(x.shape[0]) if shuffle else np.arange(x.shape[0])
            logs = self._train_epoch(x, y, order, batch_size, epoch, cbs)
            if x_val is not None and y_val is not None and not self.stop_training:
                val = np.ravel(self.evaluate(x_val, y_val))  # [val_loss, val_acc]
                logs.update(
                    zip(["val_loss", *("val_" + m for m in self.metrics)], val, strict=True)
                )
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        cbs.on_train_end()
        # --8<-- [end:fit_loop]
        return self.history

    def _train_epoch(self, x: np.ndarray, y: np.ndarray, order: np.ndarray, batch_size: int,
                     epoch: int, cbs: CallbackList) -> dict[str, float]:  # fmt: skip
        """One pass over ``x`` in mini-batches; returns the epoch's mean loss and accuracy."""
        loss_sum, correct, seen = 0.0, 0, 0
        logs: dict[str, float] = {}
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            with np.errstate(over="ignore", invalid="ignore"):  # divergence: caught below
                loss, scores = self._forward_loss(x[batch], y[batch])
                if math.isfinite(loss):
                    self.optimizer.update(self.params, self._backward())  # W -= lr * dL/dW
            if not math.isfinite(loss):
                self._stop_on_nan(epoch, start // batch_size, loss)
                return {"loss": math.nan, **{m: math.nan for m in self.metrics}}
            seen += batch.size
            loss_sum += loss * batch.size
            correct += _n_correct(scores, y[batch])
            logs = {"loss": loss_sum / seen, **{m: correct / seen for m in self.metrics}}
            cbs.on_batch_end(seen, logs)
        return logs

    def _stop_on_nan(self, epoch: int, batch: int, loss: float) -> None:
        self.stop_training = True
        warnings.warn(
            f"Sequential.fit: the loss became {loss} at epoch {epoch + 1}, batch {batch + 1}, so "
            "training stopped. The weights have diverged: lower the learning rate (or scale "
            "the inputs) and train a new model.",
            RuntimeWarning,
            stacklevel=3,
        )

    def evaluate(self, x: np.ndarray, y: np.ndarray) -> float | list[float]:
        """``[loss, accuracy]`` on ``(x, y)`` (just the loss when no metric was compiled)."""
        x, y = self._check(x, y, "evaluate")
        loss, scores = self._forward_loss(x, y)
        acc = _n_correct(scores, y) / x.shape[0]
        return [loss, *[acc for _ in self.metrics]] if self.metrics else loss

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The output for each row of ``x``: class probabilities when the model ends in softmax."""
        out = self._check_x(x, "predict")
        for node in self._nodes():
            out = node.forward(out)
        return out

    def predict_classes(self, x: np.ndarray) -> np.ndarray:
        """The most probable class of each row: ``predict(x).argmax(axis=1)``."""
        return self.predict(x).argmax(axis=1)

    def save(self, path: str) -> None:
        """Write the architecture (JSON) and the weights to one ``.npz`` file (``load_model``)."""
        from backprop_book.models.saving import save_model

        save_model(self, path)
