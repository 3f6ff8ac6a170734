"""Trainer: the book's loop on the package's one loop; batches, recording, early stop, seeds.

The network here is a tiny stand-in defined in this file (softmax regression, written out
independently of the package), so these tests depend only on the Trainer's contract.
"""

from __future__ import annotations

import contextlib
import io
import sys

import numpy as np
import pytest

from backprop_book.training.loop import evaluation_iterations
from backprop_book.training.optimizers import SGD
from backprop_book.training.trainer import Trainer, TrainingResult


class SoftmaxRegression:
    """y = softmax(x W + b), cross-entropy loss; records every batch it is asked about."""

    def __init__(self, n_in: int, n_out: int, scale: float = 0.0) -> None:
        rng = np.random.default_rng(123)
        self.params = {"W": scale * rng.normal(size=(n_in, n_out)), "b": np.zeros(n_out)}
        self.seen_batches: list[np.ndarray] = []

    def predict(self, x):
        a = x @ self.params["W"] + self.params["b"]  # (N, D) @ (D, C) -> (N, C)
        a = a - a.max(axis=1, keepdims=True)
        e = np.exp(a)
        return e / e.sum(axis=1, keepdims=True)

    def loss(self, x, t):
        y = self.predict(x)
        return -np.mean(np.log(y[np.arange(len(t)), t] + 1e-12))

    def gradient(self, x, t):
        self.seen_batches.append(x[:, -1].copy())  # last column holds the sample's index
        y = self.predict(x)
        y[np.arange(len(t)), t] -= 1.0
        dy = y / len(t)
        return {"W": x.T @ dy, "b": dy.sum(axis=0)}  # (D, N) @ (N, C) -> (D, C)

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == t))


def blobs(n: int, seed: int = 0):
    """Two separable Gaussian blobs; the last feature is the sample index / 1000."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) % 2
    x = rng.normal(size=(n, 2)) + 3.0 * t[:, None]
    idx = np.arange(n)[:, None] / 1000.0
    return np.hstack([x, idx]), t


def test_trainer_records_loss_each_iteration_and_accuracy_each_epoch():
    x, t = blobs(50)
    net = SoftmaxRegression(3, 2)
    result = Trainer(net, x, t, x, t, lr=0.5, batch_size=10, iters_num=23, seed=0).train()
    # 50 // 10 = 5 iterations per epoch; 23 iterations -> evaluations after 5, 10, 15, 20
    assert result.iter_per_epoch == 5
    assert result.iterations == 23 and len(result.train_loss_list) == 23
    assert result.evaluated_at == [5, 10, 15, 20] == evaluation_iterations(50, 10, 23)
    assert result.epochs == 4 == len(result.train_acc_list) == len(result.test_acc_list)
    assert len(net.seen_batches) == 23 and all(len(b) == 10 for b in net.seen_batches)


def test_epochs_argument_sets_iterations():
    x, t = blobs(30)
    result = Trainer(SoftmaxRegression(3, 2), x, t, x, t, batch_size=7, epochs=3).train()
    assert result.iter_per_epoch == 4 and result.iterations == 12 and result.epochs == 3


def test_training_learns_and_loss_falls():
    x, t = blobs(200)
    result = Trainer(
        SoftmaxRegression(3, 2), x, t, x, t, lr=0.5, batch_size=20, epochs=10, seed=1
    ).train()
    assert np.mean(result.train_loss_list[-10:]) < 0.5 * result.train_loss_list[0]
    assert result.test_acc_list[-1] > 0.9


# ---- mini-batches ---------------------------------------------------------------------------


def test_replacement_sampling_is_the_books_rng_choice():
    x, t = blobs(40)
    net = SoftmaxRegression(3, 2)
    Trainer(net, x, t, x, t, batch_size=8, iters_num=6, seed=7).train()
    rng = np.random.default_rng(7)
    expected = [rng.choice(40, 8) / 1000.0 for _ in range(6)]
    for got, want in zip(net.seen_batches, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_epoch_sampling_visits_every_sample_once_per_epoch():
    x, t = blobs(40)
    net = SoftmaxRegression(3, 2)
    Trainer(net, x, t, x, t, batch_size=8, epochs=3, sampling="epoch", seed=3).train()
    assert len(net.seen_batches) == 15
    for e in range(3):
        ids = np.concatenate(net.seen_batches[5 * e : 5 * e + 5])
        assert sorted(np.round(ids * 1000).astype(int)) == list(range(40))
    first, second = np.concatenate(net.seen_batches[:5]), np.concatenate(net.seen_batches[5:10])
    assert not np.array_equal(first, second), "each epoch needs a fresh permutation"


def test_epoch_sampling_drops_the_remainder_and_handles_a_big_batch():
    x, t = blobs(10)
    net = SoftmaxRegression(3, 2)
    Trainer(net, x, t, x, t, batch_size=4, epochs=1, sampling="epoch", seed=0).train()
    ids = np.concatenate(net.seen_batches)
    assert len(ids) == 8 and len(set(ids.tolist())) == 8  # 2 batches of 4, no repeats
    net = SoftmaxRegression(3, 2)
    Trainer(net, x, t, x, t, batch_size=50, epochs=2, sampling="epoch", seed=0).train()
    assert [len(b) for b in net.seen_batches] == [10, 10]


# ---- reproducibility -------------------------------------------------------------------------


@pytest.mark.parametrize("sampling", ["replacement", "epoch"])
def test_same_seed_same_run_bit_for_bit(sampling):
    x, t = blobs(60)

    def run(seed):
        net = SoftmaxRegression(3, 2, scale=0.1)
        res = Trainer(
            net,
            x,
            t,
            x,
            t,
            optimizer="adam",
            lr=0.05,
            batch_size=8,
            epochs=4,
            sampling=sampling,
            seed=seed,
        ).train()
        return net, res

    (n1, r1), (n2, r2), (_, r3) = run(5), run(5), run(6)
    assert r1.train_loss_list == r2.train_loss_list  # exact float equality
    assert r1.test_acc_list == r2.test_acc_list
    for key in n1.params:
        assert n1.params[key].tobytes() == n2.params[key].tobytes()
    assert r1.train_loss_list != r3.train_loss_list


# ---- early stopping, divergence, progress ----------------------------------------------------


class Scripted(SoftmaxRegression):
    """Reports a scripted test accuracy per epoch (to test early stopping exactly)."""

    def __init__(self, test_accs):
        super().__init__(3, 2)
        self.test_accs = list(test_accs)
        self.calls = 0

    def accuracy(self, x, t):
        self.calls += 1
        if self.calls % 2 == 0:  # the trainer asks train first, then test
            return self.test_accs[self.calls // 2 - 1]
        return 0.5


def test_early_stopping_waits_patience_epochs_without_improvement():
    x, t = blobs(20)
    net = Scripted([0.5, 0.7, 0.6, 0.7, 0.65, 0.9, 0.95])
    result = Trainer(net, x, t, x, t, batch_size=10, epochs=7, patience=3).train()
    # best 0.7 at epoch 2; epochs 3, 4, 5 do not beat it -> stop after epoch 5
    assert result.stopped_early and result.epochs == 5 and result.best_epoch == 2
    assert result.iterations == 10 and result.test_acc_list == [0.5, 0.7, 0.6, 0.7, 0.65]


def test_no_early_stop_without_patience():
    x, t = blobs(20)
    result = Trainer(Scripted([0.9, 0.1, 0.1]), x, t, x, t, batch_size=10, epochs=3).train()
    assert not result.stopped_early and result.epochs == 3 and result.best_epoch == 1


def test_restore_best_puts_back_the_best_parameters_in_place():
    x, t = blobs(20)
    net = Scripted([0.5, 0.9, 0.1, 0.1])
    W = net.params["W"]
    snapshots = []
    Trainer(
        net,
        x,
        t,
        x,
        t,
        lr=0.5,
        batch_size=10,
        epochs=4,
        restore_best=True,
        on_epoch=lambda *a: snapshots.append(net.params["W"].copy()),
    ).train()
    assert net.params["W"] is W
    np.testing.assert_array_equal(W, snapshots[1])
    assert not np.array_equal(W, snapshots[-1])


def test_on_epoch_gets_epoch_iteration_and_accuracies():
    x, t = blobs(20)
    calls = []
    Trainer(
        Scripted([0.3, 0.4]),
        x,
        t,
        x,
        t,
        batch_size=5,
        epochs=2,
        on_epoch=lambda *a: calls.append(a),
    ).train()
    assert calls == [(1, 4, 0.5, 0.3), (2, 8, 0.5, 0.4)]


class LeastSquares:
    """y = x w, loss mean((y - t)^2): gradient descent on it diverges when lr is too large."""

    def __init__(self) -> None:
        self.params = {"w": np.ones(3)}

    def loss(self, x, t):
        return float(np.mean((x @ self.params["w"] - t) ** 2))

    def gradient(self, x, t):
        return {"w": 2 * x.T @ (x @ self.params["w"] - t) / len(t)}  # (D, N) @ (N,) -> (D,)

    def accuracy(self, x, t):
        return 0.0


def test_diverging_loss_stops_with_a_clear_error():
    x, t = blobs(20)
    # the step multiplies the error by about (1 - lr * 2 * |x|^2): lr = 10 makes it explode
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=r"became inf"):
        Trainer(LeastSquares(), x, t, x, t, lr=10.0, batch_size=5, epochs=500, seed=0).train()


class NaNNet(SoftmaxRegression):
    def loss(self, x, t):
        return float("nan")


def test_nan_loss_message_names_iteration_and_advice():
    x, t = blobs(20)
    trainer = Trainer(NaNNet(3, 2), x, t, x, t, batch_size=5, epochs=1)
    with pytest.raises(FloatingPointError, match=r"^Trainer: the loss became nan at iteration 1 "
                       r"\(epoch 1\).*learning rate"):  # fmt: skip
        trainer.train()
    assert trainer.result.iterations == 0  # the diverged batch is not recorded


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shown_only_when_asked_and_only_on_a_terminal(monkeypatch, capsys):
    x, t = blobs(20)
    Trainer(SoftmaxRegression(3, 2), x, t, x, t, batch_size=5, epochs=2, progress=True).train()
    assert capsys.readouterr() == ("", "")  # a log or a page: nothing drawn
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # the plain Keras line, redrawn
    for progress, drawn in ((False, False), (True, True)):
        out = Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        Trainer(SoftmaxRegression(3, 2), x, t, x, t, batch_size=5, epochs=2,
                progress=progress).train()  # fmt: skip
        # a fast run may never reach the 20-per-second redraw, but each epoch clears its line
        assert ("\r\x1b[K" in out.getvalue()) == drawn


def test_progress_default_is_on_for_long_runs_only():
    x, t = blobs(20)
    assert not Trainer(SoftmaxRegression(3, 2), x, t, x, t, batch_size=5, iters_num=999).progress
    assert Trainer(SoftmaxRegression(3, 2), x, t, x, t, batch_size=5, iters_num=1000).progress


def test_training_without_tqdm_installed(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # makes `import tqdm.auto` fail
    x, t = blobs(20)
    result = Trainer(
        SoftmaxRegression(3, 2), x, t, x, t, batch_size=5, epochs=2, progress=True
    ).train()
    assert result.iterations == 8 and capsys.readouterr().err == ""


# ---- bad input -------------------------------------------------------------------------------


def test_bad_arguments_give_clear_errors():
    x, t = blobs(20)
    net = SoftmaxRegression(3, 2)
    with pytest.raises(ValueError, match="exactly one of iters_num or epochs"):
        Trainer(net, x, t, x, t)
    with pytest.raises(ValueError, match="exactly one of iters_num or epochs"):
        Trainer(net, x, t, x, t, iters_num=5, epochs=5)
    with pytest.raises(ValueError, match="x_train has 20 samples but t_train has 19"):
        Trainer(net, x, t[:-1], x, t, epochs=1)
    with pytest.raises(ValueError, match="x_test has 20 samples but t_test has 3"):
        Trainer(net, x, t, x, t[:3], epochs=1)
    with pytest.raises(ValueError, match="Trainer: unknown sampling 'shuffle'; choose one of"):
        Trainer(net, x, t, x, t, epochs=1, sampling="shuffle")
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        Trainer(net, x, t, x, t, epochs=1, batch_size=0)
    with pytest.raises(TypeError, match="object has no 'params'"):
        Trainer(object(), x, t, x, t, epochs=1)
    with pytest.raises(TypeError, match="lr is only used with an optimizer name"):
        Trainer(net, x, t, x, t, epochs=1, optimizer=SGD(), lr=0.1)


def test_optimizer_object_is_used():
    x, t = blobs(20)
    opt = SGD(lr=0.3)
    trainer = Trainer(SoftmaxRegression(3, 2), x, t, x, t, optimizer=opt, epochs=1, batch_size=5)
    assert trainer.optimizer is opt
    assert isinstance(trainer.train(), TrainingResult) and trainer.result.iterations == 4


# ---- with the real network and data: the numbers the issue asks for -------------------------


@pytest.fixture(scope="module")
def digits():
    from backprop_book import load_digits

    (x_train, t_train), (x_test, t_test) = load_digits()
    return x_train.astype(np.float64), t_train, x_test.astype(np.float64), t_test


def train_digits(digits, init, *, symmetric=False, epochs=10):
    from backprop_book import TwoLayerNet

    x_train, t_train, x_test, t_test = digits
    net = TwoLayerNet(64, 50, 10, weight_init_std=init, seed=0)
    if symmetric:
        net.params["W1"][...] = 0.01
        net.params["W2"][...] = np.random.default_rng(1).normal(0.0, 0.1, size=10)
    W1_start = net.params["W1"].copy()
    result = Trainer(
        net, x_train, t_train, x_test, t_test, lr=0.1, batch_size=100, epochs=epochs, seed=0,
        progress=False,
    ).train()  # fmt: skip
    return net, W1_start, result.test_acc_list[-1]


def test_zero_init_hidden_units_identical_and_far_worse_than_he_and_xavier(digits):
    zero_net, zero_start, zero_acc = train_digits(digits, "zeros")
    sym_net, sym_start, sym_acc = train_digits(digits, "zeros", symmetric=True)
    _, _, he_acc = train_digits(digits, "he")
    he_net, _, xavier_acc = train_digits(digits, "xavier")
    # Equal in exact arithmetic; in floating point, BLAS may sum each column's products in another
    # order (the kernel, hence the order, depends on the CPU), so equal columns can differ in the
    # last bits: about eps = 2.2e-16 per update, some 150 updates. 1e-10 is far above that and far
    # below what separately learning units differ by (the He net's columns: more than 0.1).
    rounding = 1e-10
    for net in (zero_net, sym_net):
        W1, W2 = net.params["W1"], net.params["W2"]
        assert np.abs(W1 - W1[:, :1]).max() <= rounding, "hidden units differ"
        assert np.abs(W2 - W2[:1, :]).max() <= rounding
    # zeros: ReLU(0) = 0 blocks every gradient of W1 and W2; only b2 learns. Every term of those
    # gradients has an exact 0 factor, and 0 times a finite float is exactly 0 in any summation
    # order, so here exact equality holds on every machine.
    assert np.array_equal(zero_net.params["W1"], zero_start)
    assert not np.array_equal(sym_net.params["W1"], sym_start)  # it learned, all units alike
    x_test = digits[2]
    assert len(np.unique(zero_net.predict(x_test).argmax(axis=1))) == 1
    W1 = he_net.params["W1"]
    assert np.abs(W1 - W1[:, :1]).max() > 0.1  # random starts: units differ
    # 10 classes: chance is about 0.1; a symmetric net is one hidden unit wide
    assert zero_acc < 0.15 and sym_acc < 0.5
    assert min(he_acc, xavier_acc) > 0.85
    assert min(he_acc, xavier_acc) - max(zero_acc, sym_acc) > 0.4


def test_iters_num_that_ends_inside_an_epoch_runs_it_without_measuring():
    x, t = blobs(20)
    net = SoftmaxRegression(3, 2)
    result = Trainer(net, x, t, x, t, batch_size=5, iters_num=6, patience=1, seed=0).train()
    # 4 iterations per epoch: one measured epoch, then 2 more iterations without a measurement
    assert result.iterations == 6 and result.evaluated_at == [4] and not result.stopped_early
    assert len(net.seen_batches) == 6


def test_get_and_set_weights_copy_in_place():
    x, t = blobs(20)
    net = SoftmaxRegression(3, 2)
    trainer = Trainer(net, x, t, x, t, epochs=1)
    W = net.params["W"]
    weights = trainer.get_weights()
    weights[0][...] = 7.0
    assert not np.any(W == 7.0)  # copies
    trainer.set_weights(weights)
    assert net.params["W"] is W and np.all(W == 7.0)  # in place


def test_scores_that_overflow_on_a_new_batch_are_a_divergence_not_a_value_error():
    # weights whose loss was finite on the last batch can overflow on the next one: the
    # gradient's forward pass then meets inf scores, which the loss layer refuses (ValueError);
    # the Trainer reports that as the divergence it is, and keeps the last finite weights
    from backprop_book.training.two_layer_net import TwoLayerNet

    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((200, 5)) * 1e3, np.arange(200) % 3
    trainer = Trainer(TwoLayerNet(5, 4, 3, seed=0), x, t, x, t, lr=1e6, batch_size=10,
                      epochs=20, seed=0)  # fmt: skip
    measured: list[tuple[float, list[np.ndarray]]] = []  # each loss after an update, weights
    batch_loss = trainer.batch_loss

    def recording(x_batch, t_batch):
        loss = batch_loss(x_batch, t_batch)
        measured.append((loss, trainer.get_weights()))
        return loss

    trainer.batch_loss = recording
    with pytest.raises(FloatingPointError, match=r"^Trainer: the loss became nan at iteration (\d+)"
                       ) as err:  # fmt: skip
        trainer.train()
    k = int(str(err.value).split("iteration ")[1].split()[0])
    assert len(measured) == k - 1  # step k never updated: its gradient's scores overflowed
    assert all(np.isfinite(loss) for loss, _ in measured)
    weights = trainer.get_weights()  # those after the last update, whose loss was finite
    assert all(np.array_equal(a, b) for a, b in zip(weights, measured[-1][1], strict=True))


# ---- a divergence puts back the optimizer's state with the weights ----------------------------


class Recording(__import__("backprop_book").Momentum):
    """Momentum that keeps (weights, state) after every update; its update number ``at`` is
    given an infinite gradient (a planted divergence: the velocity and the weights overflow)."""

    def __init__(self, lr: float = 0.5, momentum: float = 0.9, at: int = 0, after=None) -> None:
        super().__init__(lr=lr, momentum=momentum)
        self.at, self.after = at, [] if after is None else after  # settings, not running state

    def update(self, params, grads):
        if len(self.after) + 1 == self.at:
            grads = {k: np.full_like(g, np.inf) for k, g in grads.items()}
            self.at = 0  # once: a resumed run is not diverged again
        super().update(params, grads)
        self.after.append(({k: p.copy() for k, p in params.items()}, self.state()))


def same_state(a, b) -> bool:
    # exact: both sides are copies of the same arrays (np.copyto / deepcopy), not recomputed
    return sorted(a) == sorted(b) and all(np.array_equal(a[k][j], b[k][j]) for k in a for j in a[k])


def test_a_diverged_train_puts_back_the_optimizers_state_of_the_last_finite_loss():
    x, t = blobs(60)
    net, opt = SoftmaxRegression(3, 2, scale=0.1), Recording(at=7)
    trainer = Trainer(net, x, t, x, t, optimizer=opt, batch_size=10, iters_num=40, seed=1)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=r"iteration 7 "):
        trainer.train()
    weights, state = opt.after[5]  # after update 6: the last with a finite loss
    assert not np.isfinite(opt.after[6][0]["W"]).all()  # update 7 did overflow
    assert all(np.array_equal(net.params[k], weights[k]) for k in weights)
    assert same_state(opt.state(), state)
    assert not same_state(opt.state(), opt.after[6][1])


def test_a_resumed_train_is_the_train_that_never_diverged():
    x, t = blobs(60)
    runs = {}
    for name, at, first_iters in [("diverged", 7, 40), ("clean", 0, 6)]:
        net, opt = SoftmaxRegression(3, 2, scale=0.1), Recording(at=at)
        first = Trainer(net, x, t, x, t, optimizer=opt, batch_size=10, iters_num=first_iters,
                        seed=1)  # fmt: skip
        with np.errstate(all="ignore"), contextlib.suppress(FloatingPointError):
            first.train()  # the same 6 batches; the diverged run breaks on the 7th
        Trainer(net, x, t, x, t, optimizer=opt, batch_size=10, iters_num=15, seed=2).train()
        runs[name] = net.params, opt.state()
    (p1, s1), (p2, s2) = runs["diverged"], runs["clean"]
    for k in p1:  # the same updates on the same numbers in the same order: rounding at most
        np.testing.assert_allclose(p1[k], p2[k], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(s1["v"][k], s2["v"][k], rtol=1e-12, atol=1e-15)
