"""The one training loop: counting iterations and epochs, train_loop, the divergence check."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book.training.callbacks import Callback, CallbackList, EarlyStopping, History
from backprop_book.training.loop import (
    check_finite,
    evaluation_iterations,
    iterations_per_epoch,
    train_loop,
)

# ---- counting iterations and epochs (S10) ----------------------------------------------------


def test_notes_numbers_600_1200_1800():
    # 60,000 samples, batch 100: 60000 / 100 = 600 iterations make one epoch
    assert iterations_per_epoch(60_000, 100) == 600
    its = evaluation_iterations(60_000, 100, 10_000)
    assert its[:3] == [600, 1200, 1800]
    assert its[-1] == 9600 and len(its) == 10_000 // 600  # 16 epochs fit in 10,000 iterations


@pytest.mark.parametrize(
    ("train_size", "batch", "per_epoch"), [(1797, 100, 17), (100, 100, 1), (10, 100, 1), (7, 3, 2)]
)
def test_iterations_per_epoch_floor_and_at_least_one(train_size, batch, per_epoch):
    assert iterations_per_epoch(train_size, batch) == per_epoch


@pytest.mark.parametrize("bad", [0, -1])
def test_counting_rejects_nonpositive(bad):
    with pytest.raises(ValueError, match="must be a positive integer"):
        iterations_per_epoch(bad, 100)
    with pytest.raises(ValueError, match="iters_num"):
        evaluation_iterations(100, 10, bad)
    with pytest.raises(TypeError, match="int"):
        iterations_per_epoch(100, 2.5)


# ---- train_loop ------------------------------------------------------------------------------


class Counter:
    """A toy model for the loop: its loss is a scripted list; it records what it was given."""

    def __init__(self, losses, test=None):
        self.losses, self.test = list(losses), test or {}
        self.stop_training, self.steps, self.resets = False, [], 0

    def train_step(self, x, t):
        self.steps.append(x[:, 0].tolist())
        return {"loss": self.losses[len(self.steps) - 1]}

    def test_step(self):
        return dict(self.test)

    def reset_metrics(self):
        self.resets += 1


class Spy(Callback):
    def __init__(self):
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append("begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(f"epoch {epoch}")

    def on_batch_end(self, seen, logs=None):
        self.calls.append(f"batch {seen}")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(f"end {epoch} {dict(logs)}")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


def test_train_loop_runs_every_batch_and_measures_whole_epochs_only():
    x = np.arange(5.0)[:, None]
    model, spy = Counter([4.0, 3.0, 2.0, 1.0, 0.5], test={"test_acc": 1.0}), Spy()
    epochs = [[np.array([0, 1]), np.array([2, 3])], [np.array([4, 0]), np.array([1, 2])],
              [np.array([3])]]  # the last epoch is short (a Trainer's iters_num)  # fmt: skip
    train_loop("demo", model, x, np.zeros(5), epochs, 2, CallbackList([spy], model))
    assert model.steps == [[0, 1], [2, 3], [4, 0], [1, 2], [3]]
    assert spy.calls == [
        "begin",
        "epoch 0", "batch 2", "batch 4", "end 0 {'loss': 3.0, 'test_acc': 1.0}",
        "epoch 1", "batch 2", "batch 4", "end 1 {'loss': 1.0, 'test_acc': 1.0}",
        "epoch 2", "batch 1",  # run, but not a whole epoch: not measured
        "train_end",
    ]  # fmt: skip
    assert model.resets == 3  # once as each epoch begins


def test_train_loop_stops_when_a_callback_says_so():
    model = Counter([1.0] * 10, test={"val_loss": 1.0})
    stop, history = EarlyStopping(patience=1), History()
    epochs = [[np.array([0])]] * 10
    train_loop("demo", model, np.zeros((1, 1)), np.zeros(1), epochs, 1,
               CallbackList([history, stop], model))  # fmt: skip
    # val_loss never improves after epoch 0: patience 1 stops after epoch 1
    assert model.stop_training and history.epoch == [0, 1] and len(model.steps) == 2


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_diverged_loss_raises_with_iteration_epoch_and_remedy_and_closes(bad):
    model, spy = Counter([1.0, 1.0, 1.0, bad]), Spy()
    epochs = [[np.array([0]), np.array([0])]] * 3
    with pytest.raises(FloatingPointError, match=rf"demo: the loss became {bad} at iteration 4 "
                       r"\(epoch 2\); the updates diverged: .*smaller learning rate"):  # fmt: skip
        train_loop("demo", model, np.zeros((1, 1)), np.zeros(1), epochs, 2,
                   CallbackList([spy], model))  # fmt: skip
    assert spy.calls[-1] == "train_end"  # a live progress bar is closed even after the error
    assert "batch 2" in spy.calls and spy.calls.count("batch 1") == 2  # the bad batch: no report


def test_check_finite_passes_finite_numbers():
    check_finite("demo", 1e300, 1, 1)
    with pytest.raises(FloatingPointError, match="iteration 3 \\(epoch 2\\)"):
        check_finite("demo", float("nan"), 3, 2)
