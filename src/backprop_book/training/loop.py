"""The training loop: mini-batches, iterations and epochs, one loop for every model.

This is the loop of *Deep Learning from Scratch* (ch. 4.5 and 5.7, ``train_neuralnet.py``)
and of the lecture notes: draw a mini-batch, ask the network for
its gradient (backpropagation), move every parameter against the gradient
($W \\leftarrow W - \\eta\\, \\partial L/\\partial W$), record the loss, and once per epoch
(에폭) — when ``iteration % iter_per_epoch == 0`` — measure accuracy on held-out data.

The loop is kept apart from the model, as in minGPT. :func:`train_loop` is the only loop of
the package: `Trainer.train` (the book's `TwoLayerNet`) and ``Sequential.fit`` (Keras style)
both run it, each with its own ``train_step`` (one mini-batch: forward, backward, update) and
``test_step`` (the numbers measured after an epoch), and with callbacks that record, print and
stop (`backprop_book.training.callbacks`).

Divergence has one policy: when the loss of a mini-batch is NaN or infinite, the loop raises
``FloatingPointError`` naming the iteration, the epoch and the remedy. The update that overflowed
is useless, so training cannot sensibly go on (`Trainer` puts back the weights and the optimizer's
state of the last update with a finite loss); the epochs that did finish are still in the
callbacks (``model.history`` after ``fit``, ``trainer.result``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from backprop_book.checks import positive_int
from backprop_book.training.callbacks import CallbackList

__all__ = [
    "Trainee",
    "check_finite",
    "evaluation_iterations",
    "iterations_per_epoch",
    "train_loop",
]


# --8<-- [start:iterations]
def iterations_per_epoch(train_size: int, batch_size: int) -> int:
    """How many mini-batches make one epoch: ``max(train_size // batch_size, 1)``.

    Examples:
        >>> iterations_per_epoch(60_000, 100)
        600
        >>> iterations_per_epoch(50, 100)  # a batch larger than the data: one per epoch
        1
    """
    positive_int("iterations_per_epoch", "train_size", train_size)
    positive_int("iterations_per_epoch", "batch_size", batch_size)
    return max(train_size // batch_size, 1)


def evaluation_iterations(train_size: int, batch_size: int, iters_num: int) -> list[int]:
    """The iterations (counted from 1) after which a `Trainer` measures accuracy.

    One evaluation per epoch: at every iteration ``i`` with ``i % iter_per_epoch == 0``.

    Examples:
        >>> evaluation_iterations(60_000, 100, 2_000)
        [600, 1200, 1800]
    """
    iter_per_epoch = iterations_per_epoch(train_size, batch_size)
    positive_int("evaluation_iterations", "iters_num", iters_num)
    return [i for i in range(1, iters_num + 1) if i % iter_per_epoch == 0]


# --8<-- [end:iterations]


class Trainee(Protocol):
    """What :func:`train_loop` trains: a ``Sequential``, or the ``Trainer`` of a network."""

    stop_training: bool

    def train_step(self, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
        """One mini-batch: forward, backward, update; returns at least ``{"loss": …}``."""

    def test_step(self) -> dict[str, float]:
        """The numbers measured after an epoch (test accuracy, validation loss, …)."""

    def reset_metrics(self) -> None:
        """Called as each epoch begins (``fit`` restarts its running means of loss and acc)."""


def check_finite(where: str, loss: float, iteration: int, epoch: int) -> None:
    """Raise ``FloatingPointError`` when a mini-batch loss is NaN or infinite (divergence).

    Args:
        where: Who trains, for the message (``"Trainer"``, ``"Sequential.fit"``).
        loss: The mini-batch loss.
        iteration: The iteration (mini-batch) of the whole run, from 1.
        epoch: The epoch, from 1.

    Examples:
        >>> check_finite("Trainer", 0.5, 1, 1)
        >>> check_finite("Trainer", float("inf"), 7, 1)
        Traceback (most recent call last):
        ...
        FloatingPointError: Trainer: the loss became inf at iteration 7 (epoch 1); the updates \
diverged: train again with a smaller learning rate (or scaled inputs, or another initialization)
    """
    if not math.isfinite(loss):
        raise FloatingPointError(
            f"{where}: the loss became {loss} at iteration {iteration} (epoch {epoch}); the "
            "updates diverged: train again with a smaller learning rate (or scaled inputs, "
            "or another initialization)"
        )


def train_loop(
    where: str,
    model: Trainee,
    x: np.ndarray,
    t: np.ndarray,
    epochs: Iterable[Sequence[np.ndarray]],
    steps_per_epoch: int,
    callbacks: CallbackList,
) -> None:
    """Train ``model`` on the mini-batches of every epoch, reporting to ``callbacks``.

    Args:
        where: Who trains, for error messages.
        model: Has ``train_step(x, t)``, ``test_step()``, ``reset_metrics()`` and
            ``stop_training``.
        x: Training inputs, first axis = samples.
        t: Their labels.
        epochs: For each epoch, the index arrays of its mini-batches, in order.
        steps_per_epoch: Mini-batches in a whole epoch; a shorter last epoch (a ``Trainer``
            given ``iters_num``) is run but not measured.
        callbacks: What records, prints and stops.

    Raises:
        FloatingPointError: the loss became NaN or infinite (see :func:`check_finite`).

    Examples:
        >>> from backprop_book.training.callbacks import History
        >>> class Halver:  # a toy model: the "loss" halves with every step
        ...     stop_training, loss = False, 1.0
        ...     def train_step(self, x, t):
        ...         self.loss /= 2
        ...         return {"loss": self.loss}
        ...     def test_step(self):
        ...         return {}
        ...     def reset_metrics(self):
        ...         pass
        >>> model, history = Halver(), History()
        >>> batches = [np.array([0, 1]), np.array([2, 3])]  # 2 mini-batches per epoch
        >>> train_loop("demo", model, np.zeros((4, 1)), np.zeros(4), [batches] * 3, 2,
        ...            CallbackList([history], model))
        >>> history.history["loss"]  # after 2, 4 and 6 steps
        [0.25, 0.0625, 0.015625]
    """
    iteration, logs = 0, {"loss": math.nan}
    try:
        callbacks.on_train_begin()
        # --8<-- [start:loop]
        for epoch, batches in enumerate(epochs):
            callbacks.on_epoch_begin(epoch)
            model.reset_metrics()  # the epoch's running means start again
            seen = 0
            for batch_mask in batches:  # the sample indices of one mini-batch
                logs = model.train_step(x[batch_mask], t[batch_mask])  # backprop, W -= lr * dW
                iteration, seen = iteration + 1, seen + len(batch_mask)
                check_finite(where, logs["loss"], iteration, epoch + 1)
                callbacks.on_batch_end(seen, logs)
            if len(batches) == steps_per_epoch:  # a whole epoch: measure and report
                callbacks.on_epoch_end(epoch, {**logs, **model.test_step()})
            if model.stop_training:  # e.g. set by EarlyStopping
                break
        # --8<-- [end:loop]
    finally:
        callbacks.on_train_end()  # also after an error: closes a live progress bar
