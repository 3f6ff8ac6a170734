"""`Trainer`: the book's training of a `TwoLayerNet`, run by the package's one training loop.

*Deep Learning from Scratch* (``ch05/train_neuralnet.py``) draws each mini-batch with
``np.random.choice(train_size, batch_size)``, updates, records the mini-batch loss *after* the
update, and measures train and test accuracy once per epoch. `Trainer` keeps exactly that (the
same seed gives the same batches, bit for bit) and hands the loop itself to
:func:`backprop_book.training.loop.train_loop`, the loop ``Sequential.fit`` runs too. Early
stopping is `EarlyStopping` watching the test accuracy; the progress bar is `ProgressBar`.

`Trainer` works with any object that has ``params`` (a dict of arrays), ``gradient(x, t)`` (a
dict of arrays with the same keys), ``loss(x, t)`` and ``accuracy(x, t)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backprop_book.checks import choice, positive_int, same_length
from backprop_book.training.callbacks import Callback, CallbackList, EarlyStopping
from backprop_book.training.loop import iterations_per_epoch, train_loop
from backprop_book.training.optimizers import Optimizer, get_optimizer
from backprop_book.training.progress import ProgressBar

__all__ = ["Trainer", "TrainingResult"]


@dataclass
class TrainingResult:
    """What a training run recorded.

    Attributes:
        train_loss_list: the mini-batch loss after every iteration.
        train_acc_list: accuracy on the training data, once per epoch.
        test_acc_list: accuracy on the test (or validation) data, once per epoch.
        evaluated_at: the iteration of each accuracy measurement.
        iterations: how many iterations (parameter updates) were run.
        epochs: how many epochs were completed (= accuracy measurements).
        iter_per_epoch: iterations per epoch.
        stopped_early: whether early stopping ended the run.
        best_epoch: the epoch (from 1) with the best test accuracy, 0 before any.

    Examples:
        >>> r = TrainingResult(iter_per_epoch=600)
        >>> r.iterations, r.epochs, r.train_loss_list
        (0, 0, [])
    """

    train_loss_list: list[float] = field(default_factory=list)
    train_acc_list: list[float] = field(default_factory=list)
    test_acc_list: list[float] = field(default_factory=list)
    evaluated_at: list[int] = field(default_factory=list)
    iterations: int = 0
    epochs: int = 0
    iter_per_epoch: int = 1
    stopped_early: bool = False
    best_epoch: int = 0


class Recorder(Callback):
    """Fills a `TrainingResult` and calls the ``on_epoch`` function of a `Trainer`."""

    def __init__(self, result: TrainingResult, on_epoch: Callable[..., None] | None) -> None:
        self.result, self.on_epoch = result, on_epoch

    def on_batch_end(self, seen: int, logs: Mapping[str, float] | None = None) -> None:
        """Record the mini-batch loss."""
        self.result.train_loss_list.append(float((logs or {})["loss"]))
        self.result.iterations += 1

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Record the epoch's accuracies and tell ``on_epoch``."""
        r, logs = self.result, logs or {}
        r.train_acc_list.append(logs["train_acc"])
        r.test_acc_list.append(logs["test_acc"])
        r.evaluated_at.append(r.iterations)
        r.epochs += 1
        if self.on_epoch is not None:
            self.on_epoch(r.epochs, r.iterations, logs["train_acc"], logs["test_acc"])


class Trainer:
    """Train any network that has ``params``, ``gradient``, ``loss`` and ``accuracy``.

    Args:
        network: the model; its ``params`` arrays are updated in place.
        x_train: training inputs, first axis = samples.
        t_train: training labels (class indices or one-hot), same first length.
        x_test: test (or validation) inputs, measured once per epoch.
        t_test: their labels.
        optimizer: a name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"adam"``) or an object
            with ``update(params, grads)``.
        lr: learning rate for a named optimizer (its default when None).
        batch_size: samples per mini-batch.
        iters_num: how many iterations to run (give this or ``epochs``).
        epochs: how many epochs to run; ``iters_num = epochs * iter_per_epoch``.
        sampling: ``"replacement"`` draws each batch with ``rng.choice(train_size, batch_size)``
            like the book; ``"epoch"`` walks a fresh shuffled permutation every epoch.
        seed: seed for the batch draws (same seed, same run, bit for bit).
        patience: stop when the test accuracy has not improved for this many epochs.
        restore_best: at the end, put back the parameters of the epoch with the best test
            accuracy (useful with ``patience``).
        progress: show a live progress bar on a terminal; None shows one for runs of 1,000
            iterations or more.
        on_epoch: called after every accuracy measurement as
            ``on_epoch(epoch, iteration, train_acc, test_acc)``, e.g. to print a line.

    Raises (from ``train``):
        FloatingPointError: the loss became NaN or infinite: the updates diverged.

    Examples:
        >>> class Mean:  # a toy model: predicts one number, squared loss
        ...     def __init__(self):
        ...         self.params = {"w": np.zeros(1)}
        ...     def gradient(self, x, t):
        ...         return {"w": np.array([2 * np.mean(self.params["w"][0] - t)])}
        ...     def loss(self, x, t):
        ...         return float(np.mean((self.params["w"][0] - t) ** 2))
        ...     def accuracy(self, x, t):
        ...         return float(np.mean(np.abs(self.params["w"][0] - t) < 1))
        >>> x, t = np.zeros((4, 1)), np.full(4, 3.0)
        >>> result = Trainer(Mean(), x, t, x, t, lr=0.25, batch_size=2, epochs=3, seed=0).train()
        >>> result.iter_per_epoch, result.iterations, result.evaluated_at
        (2, 6, [2, 4, 6])
        >>> result.test_acc_list
        [1.0, 1.0, 1.0]
    """

    def __init__(
        self,
        network: Any,
        x_train: np.ndarray,
        t_train: np.ndarray,
        x_test: np.ndarray,
        t_test: np.ndarray,
        *,
        optimizer: str | Optimizer = "sgd",
        lr: float | None = None,
        batch_size: int = 100,
        iters_num: int | None = None,
        epochs: int | None = None,
        sampling: str = "replacement",
        seed: int | None = None,
        patience: int | None = None,
        restore_best: bool = False,
        progress: bool | None = None,
        on_epoch: Callable[[int, int, float, float], None] | None = None,
    ) -> None:
        for attr in ("params", "gradient", "loss", "accuracy"):
            if not hasattr(network, attr):
                raise TypeError(
                    f"Trainer: the network must have params, gradient(x, t), loss(x, t) and "
                    f"accuracy(x, t); {type(network).__name__} has no {attr!r}"
                )
        if same_length("Trainer", x_train=x_train, t_train=t_train) == 0:
            raise ValueError("Trainer: x_train is empty")
        same_length("Trainer", x_test=x_test, t_test=t_test)
        self.sampling = choice("Trainer", "sampling", sampling, ["replacement", "epoch"])
        if (iters_num is None) == (epochs is None):
            raise ValueError("Trainer: give exactly one of iters_num or epochs")
        self.batch_size = positive_int("Trainer", "batch_size", batch_size)
        self.iter_per_epoch = iterations_per_epoch(len(x_train), self.batch_size)
        if epochs is not None:
            self.iters_num = positive_int("Trainer", "epochs", epochs) * self.iter_per_epoch
        else:
            self.iters_num = positive_int("Trainer", "iters_num", iters_num)
        if patience is not None:
            positive_int("Trainer", "patience", patience)
        if not isinstance(optimizer, str) and lr is not None:
            raise TypeError("Trainer: lr is only used with an optimizer name, not an object")
        self.optimizer = get_optimizer(optimizer, **({} if lr is None else {"lr": lr}))
        self.network, self.x_train, self.t_train = network, x_train, t_train
        self.x_test, self.t_test = x_test, t_test
        self.seed, self.patience, self.restore_best = seed, patience, restore_best
        self.progress = self.iters_num >= 1000 if progress is None else bool(progress)
        self.on_epoch, self.stop_training = on_epoch, False
        self.result: TrainingResult | None = None
        self.last_good: tuple[list[np.ndarray], Any] | None = None  # after the last finite loss

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the network's parameter arrays (what ``EarlyStopping`` keeps)."""
        return [p.copy() for p in self.network.params.values()]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Copy ``weights`` into the network's arrays, in place, like every update."""
        for p, w in zip(self.network.params.values(), weights, strict=True):
            np.copyto(p, w)

    def epochs(self, rng: np.random.Generator) -> Iterator[list[np.ndarray]]:
        """The index arrays of the mini-batches, epoch by epoch: ``iters_num`` of them."""
        train_size, left = len(self.x_train), self.iters_num
        while left > 0:
            steps = min(self.iter_per_epoch, left)
            if self.sampling == "replacement":
                yield [rng.choice(train_size, self.batch_size) for _ in range(steps)]  # the book's
            else:
                size, order = min(self.batch_size, train_size), rng.permutation(train_size)
                yield [order[k * size : (k + 1) * size] for k in range(steps)]
            left -= steps

    # --8<-- [start:train_step]
    def train_step(self, x_batch: np.ndarray, t_batch: np.ndarray) -> dict[str, float]:
        """One iteration of the book's loop; returns the mini-batch loss after the update."""
        grads = self.gradient(x_batch, t_batch)  # backpropagation (None: the scores overflowed)
        if grads is None:  # diverged on this batch: no update, the loop raises
            return {"loss": math.nan}
        self.optimizer.update(self.network.params, grads)  # W <- W - lr * dL/dW
        return {"loss": self.batch_loss(x_batch, t_batch)}

    def test_step(self) -> dict[str, float]:
        """Once per epoch: accuracy on all the training data and on the test data."""
        train_acc = float(self.network.accuracy(self.x_train, self.t_train))
        test_acc = float(self.network.accuracy(self.x_test, self.t_test))
        return {"train_acc": train_acc, "test_acc": test_acc}

    # --8<-- [end:train_step]

    def gradient(self, x_batch: np.ndarray, t_batch: np.ndarray) -> dict[str, Any] | None:
        """The network's gradient on the batch; None when its scores overflow there (divergence).

        Weights whose loss was finite on the last batch can still overflow on the next one: the
        same divergence, reported by the loop as ``FloatingPointError``, not as a ``ValueError``.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                return dict(self.network.gradient(x_batch, t_batch))
            except ValueError:
                if math.isnan(self.unchecked_loss(x_batch, t_batch)):  # the scores overflowed
                    return None
                raise

    def batch_loss(self, x_batch: np.ndarray, t_batch: np.ndarray) -> float:
        """The mini-batch loss; NaN once the updates made the weights or the scores overflow.

        A layer may refuse non-finite scores (``SoftmaxWithLoss`` raises ``ValueError``); that
        is a divergence, which the loop reports as one ``FloatingPointError``. Then the weights
        and the optimizer's ``state()`` go back to those of the last update whose loss was finite
        (copied here at every step): a failed run leaves a usable network, ready to train on.
        """
        loss = self.unchecked_loss(x_batch, t_batch)
        if math.isfinite(loss):
            self.last_good = self.snapshot()
        elif self.last_good is not None:
            weights, state = self.last_good
            self.set_weights(weights)  # in place: the layers hold these very arrays
            if state is not None:
                self.optimizer.restore(state)
        return loss

    def snapshot(self) -> tuple[list[np.ndarray], Any]:
        """Copies of the weights and of the optimizer's ``state()`` (None if it has none)."""
        state = getattr(self.optimizer, "state", None)  # any object with update is allowed
        return self.get_weights(), state() if callable(state) else None

    def unchecked_loss(self, x_batch: np.ndarray, t_batch: np.ndarray) -> float:
        """The mini-batch loss, NaN when the weights or the scores are no longer finite."""
        with np.errstate(over="ignore", invalid="ignore"):
            if not all(np.isfinite(p).all() for p in self.network.params.values()):
                return math.nan
            try:
                return float(self.network.loss(x_batch, t_batch))
            except ValueError:
                predict = getattr(self.network, "predict", None)
                if predict is not None and not np.isfinite(predict(x_batch)).all():
                    return math.nan  # the scores overflowed
                raise

    def reset_metrics(self) -> None:
        """Nothing to reset: the book records the loss of every mini-batch, not a mean."""

    def train(self) -> TrainingResult:
        """Run the loop and return (and keep in ``self.result``) what it recorded.

        Raises:
            FloatingPointError: when the loss becomes NaN or infinite (the step is too large);
                the weights and the optimizer's state are those of the last finite loss.
        """
        self.result = result = TrainingResult(iter_per_epoch=self.iter_per_epoch)
        self.stop_training = False
        self.last_good = self.snapshot()  # the start
        epochs = -(-self.iters_num // self.iter_per_epoch)  # ceil: a last, shorter epoch
        best = EarlyStopping("test_acc", patience=self.patience or epochs, mode="max",
                             restore_best_weights=self.restore_best)  # fmt: skip
        bar = [ProgressBar(verbose=0, live=True)] if self.progress else []
        callbacks = CallbackList(
            [Recorder(result, self.on_epoch), best, *bar], self, epochs=epochs,
            samples=self.iter_per_epoch * self.batch_size, batch_size=self.batch_size,
        )  # fmt: skip
        try:
            train_loop("Trainer", self, self.x_train, self.t_train,
                       self.epochs(np.random.default_rng(self.seed)), self.iter_per_epoch,
                       callbacks)  # fmt: skip
        finally:
            result.stopped_early = self.stop_training
            result.best_epoch = best.best_epoch + 1 if result.epochs else 0
        return result
