"""Callback, CallbackList, History and EarlyStopping (Keras 3 semantics)."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book import Dense, EarlyStopping, History, Sequential
from backprop_book.training.callbacks import Callback, CallbackList


class FakeModel:
    """Stands in for a model: weights are a list of one array."""

    def __init__(self) -> None:
        self.stop_training = False
        self.w = np.array([0.0])

    def get_weights(self) -> list[np.ndarray]:
        return [self.w.copy()]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        self.w[...] = weights[0]


def run_early_stopping(values: list[float], **kw) -> tuple[EarlyStopping, FakeModel, int]:
    stop, model = EarlyStopping(**kw), FakeModel()
    stop.set_model(model)
    stop.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.w[...] = epoch  # the weights "of epoch i" are the number i
        stop.on_epoch_end(epoch, {kw.get("monitor", "val_loss"): value})
        epochs += 1
        if model.stop_training:
            break
    return stop, model, epochs


def test_history_records_every_epoch_and_resets():
    h = History()
    h.on_train_begin()
    for epoch, loss in enumerate([3.0, 2.0, 1.0]):
        h.on_epoch_end(epoch, {"loss": loss, "val_loss": loss + 1})
    assert h.epoch == [0, 1, 2]
    assert h.history == {"loss": [3.0, 2.0, 1.0], "val_loss": [4.0, 3.0, 2.0]}
    h.on_train_begin()
    assert h.history == {} and h.epoch == []


def test_early_stopping_waits_patience_epochs_after_the_best():
    # best at epoch 1 (0.4); epochs 2, 3 do not improve; patience 2 -> stop after epoch 3
    stop, model, epochs = run_early_stopping([0.5, 0.4, 0.41, 0.45, 0.1], patience=2)
    assert epochs == 4 and stop.stopped_epoch == 3 and stop.best == 0.4
    assert model.w[0] == 3  # without restore_best_weights the last weights stay


def test_early_stopping_restores_the_best_weights_when_training_ends():
    stop, model, _ = run_early_stopping([0.5, 0.4, 0.41, 0.45], patience=2,
                                        restore_best_weights=True)  # fmt: skip
    assert model.w[0] == 3  # as in Keras 3: restored when training ends, not at the stop
    stop.on_train_end()
    assert model.w[0] == 1 and stop.best_epoch == 1
    # not stopped early at all: the best weights still come back at the end
    stop, model, epochs = run_early_stopping([0.5, 0.3, 0.4], patience=5, restore_best_weights=True)
    stop.on_train_end()
    assert epochs == 3 and not model.stop_training and model.w[0] == 1


def test_early_stopping_mode_auto_maximises_accuracy_and_min_delta():
    stop, _, epochs = run_early_stopping([0.5, 0.6, 0.55, 0.9], monitor="val_acc", patience=1)
    assert (epochs, stop.best, stop.mode) == (3, 0.6, "max")
    # improvements smaller than min_delta do not count
    stop, _, epochs = run_early_stopping([1.0, 0.99, 0.98], patience=1, min_delta=0.05)
    assert (epochs, stop.best) == (2, 1.0)


def test_early_stopping_bad_input():
    stop = EarlyStopping(monitor="val_loss")
    stop.set_model(FakeModel())
    with pytest.raises(ValueError, match=r"'val_loss' is not among the logs \['loss'\]"):
        stop.on_epoch_end(0, {"loss": 1.0})
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="up")
    with pytest.raises(ValueError, match="patience must be an integer >= 0, got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match="patience must be an integer >= 0"):
        EarlyStopping(patience="3")


def test_early_stopping_says_so_when_verbose(capsys):
    stop, _, _ = run_early_stopping([1.0, 2.0], patience=1, verbose=1)
    stop.on_train_end()
    assert capsys.readouterr().out == "Epoch 00002: early stopping\n"


def test_custom_callback_sees_every_hook_in_order():
    calls: list[str] = []

    class Spy(Callback):
        def on_train_begin(self, logs=None):
            calls.append(f"train_begin {self.params['samples']}")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin {epoch}")

        def on_batch_end(self, seen, logs=None):
            calls.append(f"batch {seen}")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch} {sorted(logs)}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    model.fit(np.zeros((5, 3)), np.zeros(5, dtype=int), epochs=2, batch_size=3, verbose=0,
              callbacks=[Spy()])  # fmt: skip
    assert calls == [
        "train_begin 5",
        "epoch_begin 0", "batch 3", "batch 5", "epoch_end 0 ['acc', 'loss']",
        "epoch_begin 1", "batch 3", "batch 5", "epoch_end 1 ['acc', 'loss']",
        "train_end",
    ]  # fmt: skip
    with pytest.raises(TypeError, match="callbacks must be Callback objects"):
        model.fit(np.zeros((5, 3)), np.zeros(5, dtype=int), verbose=0, callbacks=[print])


def test_callback_list_calls_every_hook_of_every_callback_in_order():
    calls: list[str] = []

    class Named(Callback):
        def __init__(self, name):
            self.name = name

        def on_batch_end(self, seen, logs=None):
            calls.append(f"{self.name} {seen} {self.params['epochs']}")

    cbs = CallbackList([Named("a"), Named("b")], model="m", epochs=3)
    cbs.on_batch_end(10, {"loss": 1.0})
    assert calls == ["a 10 3", "b 10 3"]
    assert all(cb.model == "m" for cb in cbs.callbacks)
