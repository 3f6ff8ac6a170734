"""The training loop: mini-batches, iterations and epochs, learning curves.

This is the loop of *Deep Learning from Scratch* (ch. 4.5 and 5.7, ``train_neuralnet.py``)
and of the lecture notes (seed items S10, S11, S17): draw a mini-batch, ask the network for
its gradient (backpropagation), move every parameter against the gradient
($W \\leftarrow W - \\eta\\, \\partial L/\\partial W$), record the loss, and once per epoch
(에폭) — when ``iteration % iter_per_epoch == 0`` — measure accuracy on the training and
test data.

The loop is kept apart from the model, as in minGPT: `Trainer` works with any object that has
``params`` (a dict of arrays), ``gradient(x, t)`` (a dict of arrays with the same keys),
``loss(x, t)`` and ``accuracy(x, t)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backprop_book.checks import positive_int
from backprop_book.training.optimizers import Optimizer, get_optimizer

__all__ = [
    "Trainer",
    "TrainingResult",
    "evaluation_iterations",
    "iterations_per_epoch",
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


def _progress_bar(total: int, show: bool) -> Any:
    """A tqdm bar (``tqdm.auto``: a widget in notebooks), or None when hidden or not installed."""
    if not show:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: train without a bar
        return None
    return tqdm(total=total, unit="it", desc="training", leave=True, dynamic_ncols=True)


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
        progress: show a progress bar; None shows one for runs of 1,000 iterations or more.
        on_epoch: called after every accuracy measurement as
            ``on_epoch(epoch, iteration, train_acc, test_acc)``, e.g. to print a line.

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
        if len(x_train) != len(t_train):
            raise ValueError(
                f"Trainer: x_train has {len(x_train)} samples but t_train has {len(t_train)}"
            )
        if len(x_test) != len(t_test):
            raise ValueError(
                f"Trainer: x_test has {len(x_test)} samples but t_test has {len(t_test)}"
            )
        if len(x_train) == 0:
            raise ValueError("Trainer: x_train is empty")
        if sampling not in ("replacement", "epoch"):
            raise ValueError(
                f"Trainer: sampling must be 'replacement' or 'epoch', got {sampling!r}"
            )
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
        if isinstance(optimizer, str):
            self.optimizer = get_optimizer(optimizer, **({} if lr is None else {"lr": lr}))
        elif lr is not None:
            raise TypeError("Trainer: lr is only used with an optimizer name, not an object")
        else:
            self.optimizer = get_optimizer(optimizer)
        self.network = network
        self.x_train, self.t_train = x_train, t_train
        self.x_test, self.t_test = x_test, t_test
        self.sampling = sampling
        self.seed = seed
        self.patience = patience
        self.restore_best = restore_best
        self.progress = self.iters_num >= 1000 if progress is None else bool(progress)
        self.on_epoch = on_epoch
        self.result: TrainingResult | None = None

    def _batches(self, rng: np.random.Generator) -> Any:
        """Yield the index array of every mini-batch, ``iters_num`` of them."""
        train_size = len(self.x_train)
        if self.sampling == "replacement":
            for _ in range(self.iters_num):
                yield rng.choice(train_size, self.batch_size)  # the book's draw
        else:
            size = min(self.batch_size, train_size)
            done = 0
            while done < self.iters_num:
                order = rng.permutation(train_size)
                for k in range(self.iter_per_epoch):
                    if done == self.iters_num:
                        return
                    yield order[k * size : (k + 1) * size]
                    done += 1

    # --8<-- [start:loop]
    def train(self) -> TrainingResult:
        """Run the loop and return (and keep in ``self.result``) what it recorded.

        Raises:
            FloatingPointError: when the loss becomes NaN or infinite (the step is too large).
        """
        network, rng = self.network, np.random.default_rng(self.seed)
        result = TrainingResult(iter_per_epoch=self.iter_per_epoch)
        self.result = result
        best_acc, best_params, waited = -np.inf, None, 0
        bar = _progress_bar(self.iters_num, self.progress)
        try:
            for i, batch_mask in enumerate(self._batches(rng), start=1):
                x_batch, t_batch = self.x_train[batch_mask], self.t_train[batch_mask]
                grads = network.gradient(x_batch, t_batch)  # backpropagation
                self.optimizer.update(network.params, grads)  # W <- W - lr * dL/dW
                loss = float(network.loss(x_batch, t_batch))
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"Trainer: the loss became {loss} at iteration {i}; the updates "
                        "diverged (try a smaller learning rate or another initialization)"
                    )
                result.train_loss_list.append(loss)
                result.iterations = i
                if bar is not None:
                    bar.update(1)
                if i % self.iter_per_epoch == 0:  # one epoch done
                    train_acc = float(network.accuracy(self.x_train, self.t_train))
                    test_acc = float(network.accuracy(self.x_test, self.t_test))
                    result.train_acc_list.append(train_acc)
                    result.test_acc_list.append(test_acc)
                    result.evaluated_at.append(i)
                    result.epochs += 1
                    if bar is not None:
                        bar.set_postfix(loss=f"{loss:.4f}", test_acc=f"{test_acc:.4f}")
                    if self.on_epoch is not None:
                        self.on_epoch(result.epochs, i, train_acc, test_acc)
                    if test_acc > best_acc:
                        best_acc, result.best_epoch, waited = test_acc, result.epochs, 0
                        if self.restore_best:
                            best_params = {k: v.copy() for k, v in network.params.items()}
                    else:
                        waited += 1
                    if self.patience is not None and waited >= self.patience:
                        result.stopped_early = True
                        break
        finally:
            if bar is not None:
                bar.close()
        if best_params is not None:
            for key, value in best_params.items():
                np.copyto(network.params[key], value)  # in place, like every update
        return result

    # --8<-- [end:loop]
