"""Keras-style models: ``Sequential``, with Keras' ``compile``, ``fit``, ``evaluate``, ``save``.

The second half of the lecture notes switches to Keras. Here that interface
is built on the earlier chapters, so nothing in it is magic: the layers and backpropagation are
:class:`backprop_book.models.stack.LayerStack`, and ``fit`` runs the package's one training loop
(:func:`backprop_book.training.loop.train_loop`, also the two-layer net's `Trainer` loop) with
Keras' bookkeeping around it (validation split, progress line, ``History``). ``save_model`` and
``load_model`` write ``get_config()`` and the weights to one file (`backprop_book.models.saving`).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from backprop_book.checks import choice, positive_int
from backprop_book.models.dense import Activation, Dense
from backprop_book.models.fitting import LastFinite, fit_callbacks, fit_data
from backprop_book.models.inputs import LOSSES, METRICS, batch_size_or_32, check_xy
from backprop_book.models.saving import (
    ModelFileError,
    read_model_file,
    write_model_file,
)
from backprop_book.models.stack import LayerStack
from backprop_book.models.untrusted import MAX_PARAMS, optimizer_config
from backprop_book.training.callbacks import Callback, History
from backprop_book.training.loop import train_loop
from backprop_book.training.metrics import n_correct
from backprop_book.training.optimizers import get_optimizer, optimizer_name
from backprop_book.training.progress import progress_line

__all__ = ["Sequential", "load_model", "save_model"]


class Sequential(LayerStack):
    """A stack of layers, each feeding the next, with Keras' ``compile``/``fit``/``evaluate``.

    Args:
        layers: ``Dense``, ``Activation``, ``Conv2D``, ``MaxPooling2D``, ``Flatten``,
            ``BatchNormalization``, ``Dropout`` blocks, first to last.
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
        super().__init__(layers, seed=seed, dtype=dtype)
        self.optimizer: Any = None
        self.loss_name: str | None = None  # Keras' model.loss (here loss() is a method)
        self.metrics: list[str] = []
        self.stop_training = False
        self.history: History | None = None
        self.validation: tuple[np.ndarray, np.ndarray, int] | None = None  # set by fit
        self.last_finite = LastFinite({})  # fit's copy of the weights: what a divergence restores
        self.sums = (0.0, 0, 0)  # the epoch's loss sum, correct count, samples (fit's logs)

    def compile(
        self,
        optimizer: Any = "sgd",
        loss: str = "categorical_crossentropy",
        metrics: Sequence[str] | None = None,
    ) -> None:
        """Choose the optimizer, the loss and the metrics.

        Args:
            optimizer: ``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"adam"`` (the names and
                default learning rates of :data:`backprop_book.training.optimizers.OPTIMIZERS`)
                or an optimizer object such as ``SGD(lr=0.1)``.
            loss: ``"categorical_crossentropy"`` (one-hot labels) or
                ``"sparse_categorical_crossentropy"`` (integer labels); the model must end in a
                softmax, which is fused with the loss for the backward pass.
            metrics: ``["acc"]`` or ``["accuracy"]`` (also the key in ``History``), or none.

        Raises:
            ValueError: an unknown loss or metric, or a softmax before the last layer.
        """
        self.check_softmax_last("compile")
        self.loss_name = choice("Sequential.compile", "loss", loss, LOSSES)
        if isinstance(metrics, str):
            raise TypeError(f"Sequential.compile: metrics must be a list, e.g. [{metrics!r}]")
        self.metrics = [choice("Sequential.compile", "metric", m, METRICS) for m in metrics or []]
        self.optimizer = get_optimizer(optimizer)

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
            batch_size: Samples per mini-batch (one update each; the last may be smaller).
            validation_split: Fraction of ``x``, taken from the end before shuffling, kept apart
                to measure ``val_loss``/``val_acc`` after each epoch.
            validation_data: ``(x_val, y_val)`` to use instead of a split.
            shuffle: Visit the samples in a new random order each epoch.
            verbose: 0 silent, 1 progress line, 2 one line per epoch.
            callbacks: e.g. ``[EarlyStopping(patience=3)]``.
            seed: Seed of the shuffling (by default the model's ``seed`` stream).

        Raises:
            FloatingPointError: the loss became NaN or infinite: the weights diverged (lower
                the learning rate, or scale the inputs, and train again). The weights, the
                optimizer's running state and the blocks' running averages are then those of
                the last step whose loss was finite, and the epochs done so far are in
                ``model.history``.
        """
        epochs = positive_int("Sequential.fit", "epochs", epochs)
        batch_size = positive_int("Sequential.fit", "batch_size", batch_size)
        choice("Sequential.fit", "verbose", verbose, [0, 1, 2])
        x, y, self.validation = fit_data(self, x, y, validation_split, validation_data, batch_size)
        self.last_finite = LastFinite(self.params)  # the start: what a first bad step restores
        rng = self.rng if seed is None else np.random.default_rng(seed)
        self.history, self.stop_training = History(), False
        cbs = fit_callbacks(self, callbacks, verbose, epochs, batch_size, len(x))

        # --8<-- [start:fit_loop]
        def shuffled_batches() -> Iterator[list[np.ndarray]]:  # one list per epoch
            for _ in range(epochs):
                order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
                yield [order[i : i + batch_size] for i in range(0, len(x), batch_size)]

        steps_per_epoch = math.ceil(len(x) / batch_size)  # the last batch may be smaller
        train_loop("Sequential.fit", self, x, y, shuffled_batches(), steps_per_epoch, cbs)
        # --8<-- [end:fit_loop]
        return self.history

    def train_step(self, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """One mini-batch, as in Keras: forward to the loss, backward, update; the epoch's means.

        A NaN or infinite loss (or weight) puts back the last finite weights (`LastFinite`)."""
        # --8<-- [start:train_step]
        with np.errstate(over="ignore", invalid="ignore"):  # divergence: the loop raises
            loss, scores = self.forward_loss(x, y, training=True)  # (N, classes) scores, loss
            if self.last_finite.keep(self.params, loss):  # NaN/inf: back to the last good W
                self.optimizer.update(self.params, self.backward())  # W <- W - lr * dL/dW
            loss = self.last_finite.check(self.params, loss)  # an overflowed W: back, NaN
        # --8<-- [end:train_step]
        loss_sum, correct, seen = self.sums
        right = n_correct(scores, y) if math.isfinite(loss) else 0  # diverged: the loop raises
        self.sums = (loss_sum + loss * len(x), correct + right, seen + len(x))
        return self.logs(*self.sums)

    def reset_metrics(self) -> None:
        """Start the epoch's running means again (the loop calls it as each epoch begins)."""
        self.sums = (0.0, 0, 0)

    def logs(self, loss_sum: float, correct: int, n: int, prefix: str = "") -> dict[str, float]:
        """``{"loss": mean loss, "acc": accuracy}`` (with the compiled metric's name)."""
        return {prefix + "loss": loss_sum / n, **{prefix + m: correct / n for m in self.metrics}}

    def test_step(self) -> dict[str, float]:
        """After each epoch of ``fit``: ``val_loss`` and ``val_acc`` (none without validation)."""
        if self.validation is None:
            return {}
        x_val, y_val, batch_size = self.validation
        return self.logs(*self.sums_on(x_val, y_val, batch_size), prefix="val_")

    def evaluate(self, x: np.ndarray, y: np.ndarray, batch_size: int | None = None,
                 verbose: int = 0) -> float | list[float]:  # fmt: skip
        """``[loss, accuracy]`` on ``(x, y)`` (just the loss when no metric was compiled).

        As in Keras the samples go through ``batch_size`` at a time (32 by default); the loss
        is the mean over all samples, equal to one whole batch up to rounding.

        Examples:
            >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
            >>> model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
            >>> x, y = np.ones((40, 3)), np.zeros(40, dtype=int)
            >>> loss, acc = model.evaluate(x, y, batch_size=128, verbose=0)
            >>> bool(np.isclose(loss, model.loss(x, y))), acc in (0.0, 1.0)
            (True, True)
        """
        x, y = check_xy(self, x, y, "evaluate")
        batch_size = batch_size_or_32("Sequential.evaluate", batch_size)
        choice("Sequential.evaluate", "verbose", verbose, [0, 1, 2])
        start = time.perf_counter()
        logs = self.logs(*self.sums_on(x, y, batch_size))
        if verbose:
            print(progress_line(len(x), len(x), time.perf_counter() - start, logs))
        return [*logs.values()] if self.metrics else logs["loss"]

    def get_compile_config(self) -> dict[str, Any] | None:
        """``loss``, ``metrics``, the optimizer's name, ``lr`` and its other hyperparameters."""
        if self.loss_name is None:
            return None
        name, opt = optimizer_name(self.optimizer), self.optimizer
        return {"loss": self.loss_name, "metrics": list(self.metrics), "optimizer": name,
                "lr": None if name is None else float(opt.lr),
                **({"optimizer_config": optimizer_config(opt)} if name else {})}  # fmt: skip

    def compile_from_config(self, config: dict[str, Any]) -> None:
        """``compile`` again from ``get_compile_config()`` (a fresh optimizer, as in Keras)."""
        name, lr = config.get("optimizer"), config.get("lr")
        kwargs = {**({} if lr is None else {"lr": lr}), **config.get("optimizer_config", {})}
        self.compile(get_optimizer(name, **kwargs) if name else "sgd", config["loss"],
                     config.get("metrics"))  # fmt: skip

    def save(self, path: str | os.PathLike[str], overwrite: bool = True) -> None:
        """Write the architecture (JSON) and the weights to one ``.npz`` file (``load_model``)."""
        save_model(self, path, overwrite=overwrite)


# --8<-- [start:save_model]
def save_model(model: Sequential, path: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Write ``model`` to ``path``: one ``.npz`` with the JSON architecture and the weights.

    As in Keras an existing file is replaced unless ``overwrite=False``; only a regular file is
    ever replaced, atomically, keeping its permissions, and through a symlink its target.

    The optimizer's name and learning rate are kept, its running state (momentum, Adam's moments)
    is not: a loaded model predicts exactly, and training it again starts a fresh optimizer.

    Examples:
        >>> import pathlib, tempfile
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> save_model(model, path)
        >>> sorted(np.load(path, allow_pickle=False).files)
        ['W1', 'architecture', 'b1']
    """
    config, compiled = model.get_config(), model.get_compile_config()
    write_model_file(path, config, compiled, model.named_weights(), overwrite=bool(overwrite))


# --8<-- [end:save_model]


# --8<-- [start:load_model]
def load_model(path: str | os.PathLike[str], max_params: int = MAX_PARAMS) -> Sequential:
    """Read a model written by ``model.save(path)``: the same layers, the same weights.

    The file is untrusted input: its whole architecture and every array's header are checked
    before anything is built (`backprop_book.models.untrusted`), so a stranger's file can at
    worst be refused. ``max_params`` caps the weights it may hold (raise it for a big model).

    Returns:
        The ``Sequential``, compiled again with its loss and metrics if it was compiled.

    Raises:
        FileNotFoundError: No such file.
        ModelFileError: (a ``ValueError``) a truncated or corrupt file, a pickle payload, another
            format version, an invalid or too big architecture, weights that do not fit.

    Examples:
        >>> import pathlib, tempfile
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> model.save(path)
        >>> x = np.ones((1, 3))
        >>> bool(np.allclose(load_model(path).predict(x), model.predict(x), rtol=1e-12, atol=0))
        True
    """
    max_params = positive_int("load_model", "max_params", max_params)
    config, compile_config, weights = read_model_file(path, max_params)  # all checked, no pickle
    try:
        model = Sequential.from_config(config)  # the layers, with fresh weights
        if compile_config is not None:
            model.compile_from_config(compile_config)  # e.g. refuses a misplaced softmax
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"load_model: {path}: the architecture is invalid ({err!r})") from err
    model.set_weights([weights[key] for key in model.named_weights()])  # W1, b1, W2, b2, ...
    return model


# --8<-- [end:load_model]
