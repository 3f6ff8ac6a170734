"""What fit keeps beside the loop: a diverging fit leaves the last finite weights, not NaN;
a misplaced softmax is refused at compile, naming the layer."""

from __future__ import annotations

import re

import numpy as np
import pytest

from backprop_book import SGD, Activation, Adam, Dense, Sequential
from backprop_book.models import BatchNormalization, Dropout
from backprop_book.models.fitting import LastFinite
from backprop_book.training.callbacks import Callback

DIVERGED = r"^Sequential\.fit: the loss became nan at iteration (\d+) \(epoch \d+\); the updates"


class Snapshots(Callback):
    """The weights at the start and after every step that the loop accepted."""

    def on_train_begin(self, logs=None):
        self.weights = [self.model.get_weights()]

    def on_batch_end(self, seen, logs=None):
        self.weights.append(self.model.get_weights())


def model_and_data(lr: float, scale: float = 1.0):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((20, 5)) * scale, np.arange(20) % 3
    model = Sequential(
        [Dense(4, activation="relu", input_dim=5), Dense(3, activation="softmax")], seed=0
    )
    model.compile(SGD(lr=lr), "sparse_categorical_crossentropy", ["acc"])
    return model, x, y


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    # exact: the weights are copied back (np.copyto), not recomputed
    return all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))


def test_an_update_that_overflows_the_weights_is_undone():
    # inputs of about 1e3 make gradients above 1: the first update takes a weight past 1.8e308
    model, x, y = model_and_data(lr=1e308, scale=1e3)
    before = model.get_weights()
    with pytest.raises(FloatingPointError, match=DIVERGED) as err:
        model.fit(x, y, epochs=3, batch_size=5, shuffle=False, verbose=0)
    assert re.match(DIVERGED, str(err.value)).group(1) == "1"
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert same(model.get_weights(), before)  # the weights from before the bad step


def test_weights_whose_scores_overflow_go_back_to_the_step_before():
    # lr 1e200: the first update leaves finite weights of about 1e200, whose scores overflow;
    # the second step's loss is NaN, so the weights go back to those before the first update
    model, x, y = model_and_data(lr=1e200)
    before, snap = model.get_weights(), Snapshots()
    with pytest.raises(FloatingPointError, match=DIVERGED) as err:
        model.fit(x, y, epochs=3, batch_size=5, shuffle=False, verbose=0, callbacks=[snap])
    assert re.match(DIVERGED, str(err.value)).group(1) == "2"
    assert all(np.isfinite(w).all() for w in snap.weights[1])  # finite, but unusable
    assert not same(snap.weights[1], before)
    assert same(model.get_weights(), before)


@pytest.mark.parametrize("lr", [1e3, 1e6, 1e12, 1e100])
def test_a_diverged_fit_keeps_the_last_weights_with_a_finite_loss(lr):
    model, x, y = model_and_data(lr=lr, scale=1e3)
    snap = Snapshots()
    with pytest.raises(FloatingPointError, match=DIVERGED) as err:
        model.fit(x, y, epochs=50, batch_size=5, verbose=0, callbacks=[snap])
    k = int(re.match(DIVERGED, str(err.value)).group(1))  # the step that found the NaN
    assert len(snap.weights) == k  # the start, then the k - 1 accepted steps
    restored = model.get_weights()
    assert all(np.isfinite(w).all() for w in restored)
    # step k either measured a NaN loss (its weights, from step k - 1, are undone) or its own
    # update overflowed (undone): the weights are those before the bad step, exactly
    assert any(same(restored, w) for w in snap.weights[-2:])
    assert all(np.isfinite(v) for v in model.history.history.get("loss", []))


def test_last_finite_puts_back_only_after_a_bad_loss_or_weight():
    W = np.array([1.0, 2.0])
    guard = LastFinite({"W": W})
    assert guard.keep({"W": W}, 0.25)
    W += 1.0  # a good update
    assert guard.check({"W": W}, 0.25) == 0.25 and W.tolist() == [2.0, 3.0]
    assert guard.keep({"W": W}, 0.5)  # [2, 3] kept
    W[0] = np.nan
    assert np.isnan(guard.check({"W": W}, 0.5)) and W.tolist() == [2.0, 3.0]
    W *= 10.0  # finite weights whose next loss is infinite
    assert not guard.keep({"W": W}, float("inf")) and W.tolist() == [2.0, 3.0]


@pytest.mark.parametrize(
    ("layers", "index", "name"),
    [
        ([Dense(10, activation="softmax", input_dim=4), Dense(3, activation="softmax")], 0,
         "dense_1"),
        ([Dense(4, activation="relu", input_dim=4), Activation("softmax"), Dense(3),
          Activation("softmax")], 1, "activation_1"),
        ([Dense(3, activation="softmax", input_dim=4), Activation("softmax")], 0, "dense_1"),
    ],
)  # fmt: skip
def test_a_softmax_before_the_last_layer_is_refused_at_compile(layers, index, name):
    model = Sequential(layers, seed=0)
    message = (
        rf"^Sequential\.compile: layers\[{index}\] \({name}\) has a softmax, but only the last "
        r"layer may \(it is fused with the loss\); give hidden layers activation='relu'"
    )
    with pytest.raises(ValueError, match=message):
        model.compile("sgd", "sparse_categorical_crossentropy")
    assert model.predict(np.ones((2, 4))).shape == (2, 3)  # the forward pass alone still works


def test_a_softmax_made_hidden_after_compile_is_refused_by_fit_and_loss():
    model = Sequential([Dense(3, activation="softmax", input_dim=4)], seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.add(Dense(3, activation="softmax"))
    x, y = np.ones((2, 4)), np.array([0, 1])
    for call, where in [(model.fit, "fit"), (model.evaluate, "evaluate"), (model.loss, "loss")]:
        with pytest.raises(ValueError, match=rf"^Sequential\.{where}: layers\[0\] \(dense_1\)"):
            call(x, y)


def test_a_model_file_with_a_hidden_softmax_and_a_loss_is_refused(tmp_path):
    from backprop_book.models import load_model
    from backprop_book.models.saving import ModelFileError, write_model_file

    model = Sequential([Dense(3, activation="softmax", input_dim=4), Dense(2)], seed=0)
    compiled = {"loss": "sparse_categorical_crossentropy", "metrics": [], "optimizer": "sgd",
                "lr": 0.01}  # fmt: skip
    path = tmp_path / "m.npz"
    write_model_file(path, model.get_config(), compiled, model.params)
    with pytest.raises(ModelFileError, match=r"the architecture is invalid .*layers\[0\]"):
        load_model(path)
    model.save(path)  # not compiled: a file that only predicts still loads
    assert load_model(path).predict(np.ones((1, 4))).shape == (1, 2)


# ---- a divergence puts back the optimizer's and the blocks' state with the weights -----------


class Overflowing(Adam):
    """Adam whose update number ``at`` gets infinite gradients: m, v and the weights overflow."""

    def __init__(self, lr: float = 0.01, at: int = 0) -> None:
        super().__init__(lr=lr)
        self.at = at  # a setting (constructor argument): not running state, not put back

    def update(self, params, grads):
        if self.iter + 1 == self.at:
            grads = {k: np.full_like(g, np.inf) for k, g in grads.items()}
            self.at = 0  # once: a resumed fit is not diverged again
        super().update(params, grads)


class States(Callback):
    """Every weight (running averages too), the optimizer's and Dropout's state: at the start
    and after every step the loop accepted."""

    def on_train_begin(self, logs=None):
        self.states = [self.state()]

    def on_batch_end(self, seen, logs=None):
        self.states.append(self.state())

    def state(self):
        return self.model.get_weights(), self.model.optimizer.state(), self.model.layers[2].state()


def bn_model(optimizer):
    model = Sequential([Dense(6, activation="relu", input_dim=5), BatchNormalization(),
                        Dropout(0.3, seed=1), Dense(3, activation="softmax")], seed=0)  # fmt: skip
    model.compile(optimizer, "sparse_categorical_crossentropy", ["acc"])
    return model


def equal(a, b) -> bool:
    """Exactly equal nested weights and states (copies of the same arrays, not recomputed)."""
    if isinstance(a, dict):
        return sorted(a) == sorted(b) and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(equal(u, v) for u, v in zip(a, b, strict=True))
    return bool(np.array_equal(a, b))


def state_of(model):
    return model.get_weights(), model.optimizer.state(), model.layers[2].state()


def diverge(how: str):
    """A fit that breaks at step 4 of batches of 5, and the steps its state is left at."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 5)), np.arange(40) % 3
    if how == "update":  # update 4 overflows: back to the start of step 4
        model, steps_kept = bn_model(Overflowing(at=4)), 3
    else:  # batch 4's inputs overflow the forward pass: its loss is NaN, and the weights
        x[15:20] = 1e308  # that step measured are not known good: back to the start of step 3
        model, steps_kept = bn_model(Adam(lr=0.01)), 2
    return model, x, y, steps_kept


@pytest.mark.parametrize("how", ["update", "loss"])
def test_a_diverged_fit_puts_back_the_optimizer_and_the_running_averages(how):
    model, x, y, kept = diverge(how)
    snap = States()
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="iteration 4 "):
        model.fit(x, y, epochs=1, batch_size=5, shuffle=False, verbose=0, callbacks=[snap])
    assert len(snap.states) == 4  # the start and the 3 accepted steps
    assert equal(state_of(model), snap.states[kept])  # all of one step: weights, Adam, Dropout
    assert model.optimizer.iter == kept
    assert all(np.isfinite(w).all() for w in model.get_weights())  # running averages included
    # a NaN loss also undoes the step before, whose weights it measured: one state further back
    assert equal(state_of(model), snap.states[-1]) == (how == "update")


@pytest.mark.parametrize("how", ["update", "loss"])
def test_a_resumed_fit_is_the_fit_that_never_diverged(how):
    model, x, y, kept = diverge(how)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError):
        model.fit(x, y, epochs=1, batch_size=5, shuffle=False, verbose=0)
    clean = bn_model(Adam(lr=0.01))
    clean.fit(x[: 5 * kept], y[: 5 * kept], epochs=1, batch_size=5, shuffle=False, verbose=0)
    assert equal(state_of(model), state_of(clean))  # the same steps, copied back exactly
    rng = np.random.default_rng(1)
    x2, y2 = rng.standard_normal((30, 5)), np.arange(30) % 3
    for m in (model, clean):
        m.fit(x2, y2, epochs=3, batch_size=5, verbose=0, seed=2)
    # the same updates on the same numbers in the same order: at most rounding apart
    for a, b in zip(model.get_weights(), clean.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert model.optimizer.iter == clean.optimizer.iter == kept + 18


def test_last_finite_puts_back_each_stateful_object():
    class Counter:
        def __init__(self):
            self.n = 0

        def state(self):
            return self.n

        def restore(self, state):
            self.n = state

    W, counter = np.array([1.0]), Counter()
    guard = LastFinite({"W": W}, [counter])
    assert guard.keep({"W": W}, 0.1)
    counter.n, W[0] = 1, 2.0  # one good step
    assert guard.check({"W": W}, 0.1) == 0.1
    counter.n = 2  # the next forward moves the counter, and its loss is NaN
    assert not guard.keep({"W": W}, float("nan"))
    assert counter.n == 0 and W.tolist() == [1.0]  # the start of the last finite step


def test_a_running_variance_that_overflows_is_a_divergence_too():
    # inputs near 1e300: the batch variance overflows to inf, yet BatchNormalization's output
    # (x - mean) / sqrt(inf) and so the loss stay finite; the running variance would be inf
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((10, 5)), np.arange(10) % 3
    x[7] = 1e300
    model = bn_model(Adam(lr=0.01))
    before = state_of(model)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="iteration 1 "):
        model.fit(x, y, epochs=1, batch_size=10, verbose=0)
    assert equal(state_of(model), before)
    assert all(np.isfinite(w).all() for w in model.get_weights())
