"""No half-changed state: numerical_gradient restores x even when f fails, TwoLayerNet.params
cannot drift from the layers, a diverged Trainer run leaves the last finite weights."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book import Trainer, TwoLayerNet
from backprop_book.layers.gradient_check import numerical_gradient


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_numerical_gradient_restores_x_when_f_raises(error):
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 3:  # the second entry's + h evaluation
            raise error
        return float(np.sum(v))

    with pytest.raises(error):
        numerical_gradient(f, x)
    assert x.tolist() == [1.0, 2.0, 3.0]  # exact: the saved value is written back


@pytest.mark.parametrize("h", [0, -1e-4, float("nan"), "1e-4"])
def test_numerical_gradient_refuses_a_bad_step(h):
    with pytest.raises((ValueError, TypeError), match="numerical_gradient: h must be"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(2), h=h)


def test_a_step_too_small_for_the_dtype_is_named():
    with pytest.raises(ValueError, match="too small for float64"):
        numerical_gradient(lambda v: float(v.sum()), np.array([1e10]), h=1e-10)


def test_params_update_and_setdefault_reach_the_layers():
    net = TwoLayerNet(2, 3, 2, seed=0)
    net.params.update({"b1": np.ones(3)}, W2=np.full((3, 2), 2.0))
    assert net.layers["Affine1"].b is net.params["b1"]
    assert net.layers["Affine2"].W is net.params["W2"]
    net.params |= {"b2": np.full(2, 5.0)}
    assert net.layers["Affine2"].b is net.params["b2"]
    assert net.params.setdefault("b2", np.zeros(2)) is net.layers["Affine2"].b
    with pytest.raises(ValueError, match=r"params\['b1'\]: new value has shape \(4,\)"):
        net.params.update(b1=np.ones(4))


@pytest.mark.parametrize(
    "remove",
    [
        lambda p: p.pop("W1"),
        lambda p: p.popitem(),
        lambda p: p.clear(),
        lambda p: p.__delitem__("W1"),
    ],
)
def test_params_cannot_lose_an_entry(remove):
    net = TwoLayerNet(2, 3, 2, seed=0)
    with pytest.raises(TypeError, match="parameters cannot be removed"):
        remove(net.params)
    assert list(net.params) == ["W1", "b1", "W2", "b2"]


def test_a_diverged_run_leaves_the_last_finite_weights():
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    net = TwoLayerNet(4, 5, 3, seed=0)
    trainer = Trainer(net, x, t, x, t, optimizer="sgd", lr=1e300, batch_size=10, iters_num=20,
                      seed=0, progress=False)  # fmt: skip
    with pytest.raises(FloatingPointError, match="the loss became"):
        trainer.train()
    assert all(np.isfinite(p).all() for p in net.params.values())
    assert np.isfinite(net.loss(x, t))
    assert net.layers["Affine1"].W is net.params["W1"]
