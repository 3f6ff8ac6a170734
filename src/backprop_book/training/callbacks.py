"""Callbacks: what the training loop reports to (``History``, ``EarlyStopping``, progress).

The one training loop of the package (:func:`backprop_book.training.loop.train_loop`, run by
both ``Trainer.train`` and ``Sequential.fit``) calls every callback at fixed points of training
(``on_train_begin``, ``on_epoch_begin``, ``on_batch_end``, ``on_epoch_end``, ``on_train_end``),
the design of Keras' ``keras.callbacks``. ``History`` records the numbers per epoch (the learning
curves of the lecture notes) and ``EarlyStopping`` stops when a monitored number stops improving.
The progress line of the notes is :class:`backprop_book.training.progress.ProgressBar`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from backprop_book.checks import choice, positive_int

__all__ = ["Callback", "CallbackList", "EarlyStopping", "History"]


class Callback:
    """Base class: every hook does nothing; the loop sets ``model`` and ``params`` first.

    ``model`` is the object being trained: a ``Sequential``, or the ``Trainer`` of a
    ``TwoLayerNet``. Both have ``stop_training``, ``get_weights()`` and ``set_weights()``.

    Examples:
        >>> class Count(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print("epoch", epoch, "loss", logs["loss"])
        >>> Count().on_epoch_end(0, {"loss": 2.3})
        epoch 0 loss 2.3
    """

    model: Any = None
    params: dict[str, Any] = {}  # noqa: RUF012 (replaced, never mutated)

    def set_model(self, model: Any) -> None:
        """Remember the model being trained."""
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        """Remember the training parameters (epochs, samples, batch size, …)."""
        self.params = params

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """Called once before the first epoch."""

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Called at the start of epoch ``epoch`` (counted from 0)."""

    def on_batch_end(self, seen: int, logs: Mapping[str, float] | None = None) -> None:
        """Called after each mini-batch; ``seen`` samples of this epoch are done."""

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Called after each epoch with its numbers (and validation numbers)."""

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Called once after training (also after an error, to close a live display)."""


class CallbackList:
    """Calls the same hook on several callbacks, in order (what the loop talks to).

    Args:
        callbacks: The callbacks.
        model: The model being trained (given to each callback).
        **params: Training settings (``epochs``, ``samples``, …), given to each callback.

    Examples:
        >>> cbs = CallbackList([History(), History()], model=None, epochs=1)
        >>> cbs.on_train_begin()
        >>> cbs.on_epoch_end(0, {"loss": 1.0})
        >>> [cb.history for cb in cbs.callbacks]
        [{'loss': [1.0]}, {'loss': [1.0]}]
    """

    def __init__(self, callbacks: Sequence[Callback], model: Any, **params: Any) -> None:
        self.callbacks = list(callbacks)
        self.model = model
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"fit: callbacks must be Callback objects, got {cb!r}")
            cb.set_model(model)
            cb.set_params(params)

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """``on_train_begin`` of every callback."""
        for cb in self.callbacks:
            cb.on_train_begin(logs)

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """``on_epoch_begin`` of every callback."""
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch, logs)

    def on_batch_end(self, seen: int, logs: Mapping[str, float] | None = None) -> None:
        """``on_batch_end`` of every callback."""
        for cb in self.callbacks:
            cb.on_batch_end(seen, logs)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """``on_epoch_end`` of every callback."""
        for cb in self.callbacks:
            cb.on_epoch_end(epoch, logs)

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """``on_train_end`` of every callback."""
        for cb in self.callbacks:
            cb.on_train_end(logs)


class History(Callback):
    """Records the logs of every epoch: ``history["loss"]``, ``history["val_acc"]``, …

    ``fit`` returns it. ``epoch`` lists the epoch numbers (from 0) and ``params`` the settings.

    Examples:
        >>> h = History()
        >>> h.on_train_begin()
        >>> h.on_epoch_end(0, {"loss": 2.3, "acc": 0.12})
        >>> h.on_epoch_end(1, {"loss": 2.2, "acc": 0.19})
        >>> h.epoch, h.history["loss"]
        ([0, 1], [2.3, 2.2])
    """

    def __init__(self) -> None:
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """Start a fresh record."""
        self.epoch, self.history = [], {}

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Append this epoch's numbers."""
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has not improved for ``patience`` epochs (as in Keras 3).

    ``best_epoch`` is the epoch (from 0) of the best value. With ``restore_best_weights`` the
    model gets the weights of that epoch back when training ends, stopped early or not.

    Args:
        monitor: The log to watch, e.g. ``"val_loss"`` (lower is better) or ``"val_acc"``.
        min_delta: The smallest change that counts as an improvement.
        patience: Epochs without improvement to wait before stopping.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (max for accuracies, min otherwise).
        restore_best_weights: Put back the weights of the best epoch at the end.
        verbose: Print ``Epoch 00005: early stopping`` when it stops.

    Examples:
        >>> class Model:
        ...     stop_training = False
        >>> stop = EarlyStopping(monitor="val_loss", patience=1)
        >>> stop.set_model(Model())
        >>> stop.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.4, 0.45]):
        ...     stop.on_epoch_end(epoch, {"val_loss": val_loss})
        >>> stop.model.stop_training, stop.stopped_epoch, stop.best, stop.best_epoch
        (True, 2, 0.4, 1)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
        verbose: int = 0,
    ) -> None:
        choice("EarlyStopping", "mode", mode, ["auto", "min", "max"])
        self.patience = positive_int("EarlyStopping", "patience", patience, minimum=0)
        self.monitor, self.verbose = monitor, verbose
        self.min_delta = abs(float(min_delta))
        if mode == "auto":
            mode = "max" if monitor.endswith(("acc", "accuracy")) else "min"
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.on_train_begin()

    def improved(self, current: float) -> bool:
        """Whether ``current`` beats the best so far by more than ``min_delta``.

        Examples:
            >>> EarlyStopping(monitor="val_acc").improved(0.5)  # anything beats -inf
            True
        """
        if self.mode == "min":
            return current < self.best - self.min_delta
        return current > self.best + self.min_delta

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """Reset the counters (a callback can be reused for another fit)."""
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best_weights: list[Any] | None = None
        self.best = math.inf if self.mode == "min" else -math.inf

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Compare the monitored value with the best so far; stop after ``patience`` misses."""
        logs = logs or {}
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping: monitor {self.monitor!r} is not among the logs "
                f"{sorted(logs)}; give fit validation data to monitor 'val_…' values"
            )
        current = float(logs[self.monitor])
        if self.improved(current):
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Restore the best weights (if asked); say so when training stopped early."""
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1:05d}: early stopping")
