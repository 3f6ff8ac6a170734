"""Callbacks for ``Sequential.fit``: ``History``, ``EarlyStopping`` and the Keras progress line.

``fit`` calls every callback at fixed points of training (``on_train_begin``, ``on_epoch_begin``,
``on_batch_end``, ``on_epoch_end``, ``on_train_end``), the design of Keras' ``keras.callbacks``.
``History`` records the numbers per epoch (the learning curves of seed item S17),
``EarlyStopping`` stops when the validation loss stops improving, and ``ProgressPrinter`` prints
the lines of the lecture notes (seed item S15)::

    Train on 48000 samples, validate on 12000 samples
    Epoch 1/200
    48000/48000 [==============================] - 1s 17us/step - loss: 2.3017 - acc: 0.1231 - ...

The time fields come from the clock, so they differ on every run.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Mapping
from typing import Any


class Callback:
    """Base class: every hook does nothing; ``fit`` sets ``model`` and ``params`` first.

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
        """Called after each epoch with its averages (and validation numbers)."""

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Called once after training."""


class CallbackList:
    """Calls the same hook on several callbacks, in order (what ``fit`` talks to).

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

    def __init__(self, callbacks: list[Callback], model: Any, **params: Any) -> None:
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"fit: callbacks must be Callback objects, got {cb!r}")
            cb.set_model(model)
            cb.set_params(params)

    def __getattr__(self, hook: str) -> Any:
        if not hook.startswith("on_"):
            raise AttributeError(hook)
        return lambda *args: [getattr(cb, hook)(*args) for cb in self.callbacks] and None


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
    """Stop training when ``monitor`` has not improved for ``patience`` epochs.

    Args:
        monitor: The log to watch, e.g. ``"val_loss"`` (lower is better) or ``"val_acc"``.
        min_delta: The smallest change that counts as an improvement.
        patience: Epochs without improvement to wait before stopping.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (max for accuracies, min otherwise).
        restore_best_weights: Put back the weights of the best epoch when stopping.
        verbose: Print ``Epoch 00005: early stopping`` when it stops.

    Examples:
        >>> class Model:
        ...     stop_training = False
        >>> stop = EarlyStopping(monitor="val_loss", patience=1)
        >>> stop.set_model(Model())
        >>> stop.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.4, 0.45]):
        ...     stop.on_epoch_end(epoch, {"val_loss": val_loss})
        >>> stop.model.stop_training, stop.stopped_epoch, stop.best
        (True, 2, 0.4)
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
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be an integer >= 0, got {patience!r}")
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.min_delta = abs(float(min_delta))
        if mode == "auto":
            mode = "max" if monitor.endswith(("acc", "accuracy")) else "min"
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.on_train_begin()

    def _improved(self, current: float) -> bool:
        if self.mode == "min":
            return current < self.best - self.min_delta
        return current > self.best + self.min_delta

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """Reset the counters (a callback can be reused for another fit)."""
        self.wait, self.stopped_epoch, self.best_weights = 0, 0, None
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
        if self._improved(current):
            self.best, self.wait = current, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Say so when training was stopped early (if ``verbose``)."""
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1:05d}: early stopping")


def format_logs(logs: Mapping[str, float]) -> str:
    """``" - loss: 2.3017 - acc: 0.1231"``: four decimals, tiny values in ``e`` notation.

    Examples:
        >>> format_logs({"loss": 2.30171, "acc": 0.1231})
        ' - loss: 2.3017 - acc: 0.1231'
    """
    return "".join(
        f" - {key}: {value:.4f}" if abs(value) > 1e-3 else f" - {key}: {value:.4e}"
        for key, value in logs.items()
    )


def _per_step(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


# --8<-- [start:progress_line]
def progress_line(seen: int, target: int, elapsed: float, logs: Mapping[str, float],
                  width: int = 30) -> str:  # fmt: skip
    """One Keras progress line: ``48000/48000 [====…====] - 1s 17us/step - loss: …``.

    Before the end of the epoch the bar ends in ``>`` and the time is an estimate (``ETA``).

    Args:
        seen: Samples done in this epoch.
        target: Samples in the epoch.
        elapsed: Seconds since the epoch began.
        logs: The numbers to show, in order.
        width: Characters inside the brackets.

    Examples:
        >>> progress_line(48000, 48000, 0.8, {"loss": 2.3017, "acc": 0.1231})
        '48000/48000 [==============================] - 1s 17us/step - loss: 2.3017 - acc: 0.1231'
        >>> progress_line(12000, 48000, 0.25, {"loss": 2.3})
        '12000/48000 [======>.......................] - ETA: 1s - loss: 2.3000'
    """
    filled = int(width * seen / target)
    bar = "=" * max(filled - 1, 0) + (("=" if seen >= target else ">") if filled else "")
    head = f"{seen:{len(str(target))}d}/{target} [{bar}{'.' * (width - filled)}]"
    if seen >= target:
        return f"{head} - {elapsed:.0f}s {_per_step(elapsed / target)}{format_logs(logs)}"
    eta = elapsed / max(seen, 1) * (target - seen)
    return f"{head} - ETA: {eta:.0f}s{format_logs(logs)}"


# --8<-- [end:progress_line]


class ProgressPrinter(Callback):
    """Prints what Keras prints during ``fit`` (``fit`` adds it when ``verbose`` is 1 or 2).

    ``verbose=1``: ``Epoch i/E`` and the progress line, redrawn in place (carriage return) while
    the epoch runs when the output is a terminal, else printed once at the end of each epoch (so
    logs and web pages stay clean). ``verbose=2``: one line per epoch, `` - 1s - loss: … - acc: …``.

    Args:
        verbose: 1 or 2.

    Examples:
        >>> printer = ProgressPrinter(verbose=2)
        >>> printer.set_params({"epochs": 3, "samples": 48000, "val_samples": 12000})
        >>> printer.on_train_begin()
        Train on 48000 samples, validate on 12000 samples
    """

    def __init__(self, verbose: int = 1) -> None:
        if verbose not in (1, 2):
            raise ValueError(f"ProgressPrinter: verbose must be 1 or 2, got {verbose!r}")
        self.verbose = verbose
        self.start, self.last_draw, self.tty = 0.0, 0.0, False

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """``Train on N samples, validate on M samples``."""
        n, m = self.params["samples"], self.params.get("val_samples", 0)
        print(f"Train on {n} samples" + (f", validate on {m} samples" if m else ""))
        self.tty = bool(getattr(sys.stdout, "isatty", lambda: False)())

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """``Epoch i/E`` and start the clock."""
        print(f"Epoch {epoch + 1}/{self.params['epochs']}")
        self.start = self.last_draw = time.perf_counter()

    def on_batch_end(self, seen: int, logs: Mapping[str, float] | None = None) -> None:
        """Redraw the bar in place, at most 20 times a second, on a terminal only."""
        now = time.perf_counter()
        if self.verbose == 1 and self.tty and now - self.last_draw >= 0.05:
            line = progress_line(seen, self.params["samples"], now - self.start, logs or {})
            sys.stdout.write("\r" + line)
            sys.stdout.flush()
            self.last_draw = now

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """The final line of the epoch, with the validation numbers."""
        elapsed = time.perf_counter() - self.start
        if self.verbose == 2:
            print(f" - {elapsed:.0f}s{format_logs(logs or {})}")
            return
        line = progress_line(self.params["samples"], self.params["samples"], elapsed, logs or {})
        print(("\r\x1b[K" if self.tty else "") + line)


__all__ = [
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "ProgressPrinter",
    "format_logs",
    "progress_line",
]
