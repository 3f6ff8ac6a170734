"""Optimizers against steps computed by hand (the arithmetic is written out for two steps)."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book.training.optimizers import SGD, AdaGrad, Adam, Momentum, Optimizer, get_optimizer


def run_two_steps(opt: Optimizer, w0: list[float], g1: list[float], g2: list[float]):
    W = np.array(w0)
    params = {"W": W}
    opt.update(params, {"W": np.array(g1)})
    after_1 = W.copy()
    opt.update(params, {"W": np.array(g2)})
    assert params["W"] is W, "update must change the array in place, not rebind it"
    return after_1, W


def test_sgd_two_steps_by_hand():
    # lr = 0.1, W = [1, -2]
    # step 1: g = [0.5, 1]:  W = [1 - 0.05, -2 - 0.1]    = [0.95, -2.1]
    # step 2: g = [-1, 2]:   W = [0.95 + 0.1, -2.1 - 0.2] = [1.05, -2.3]
    w1, w2 = run_two_steps(SGD(lr=0.1), [1.0, -2.0], [0.5, 1.0], [-1.0, 2.0])
    np.testing.assert_allclose(w1, [0.95, -2.1], rtol=0, atol=1e-15)
    np.testing.assert_allclose(w2, [1.05, -2.3], rtol=0, atol=1e-15)


def test_momentum_two_steps_by_hand():
    # lr = 0.1, alpha = 0.9, W = [1], v = [0]
    # step 1: g = 2:  v = 0.9*0 - 0.1*2 = -0.2;             W = 1 - 0.2 = 0.8
    # step 2: g = -1: v = 0.9*(-0.2) - 0.1*(-1) = -0.08;    W = 0.8 - 0.08 = 0.72
    opt = Momentum(lr=0.1, momentum=0.9)
    w1, w2 = run_two_steps(opt, [1.0], [2.0], [-1.0])
    np.testing.assert_allclose(w1, [0.8], atol=1e-15)
    np.testing.assert_allclose(w2, [0.72], atol=1e-15)
    np.testing.assert_allclose(opt.v["W"], [-0.08], atol=1e-15)


def test_adagrad_two_steps_by_hand():
    # lr = 0.1, eps = 0, W = [1, 1], h = [0, 0]
    # step 1: g = [3, -4]: h = [9, 16];  W = [1 - 0.1*3/3, 1 + 0.1*4/4]      = [0.9, 1.1]
    # step 2: g = [4, 3]:  h = [25, 25]; W = [0.9 - 0.1*4/5, 1.1 - 0.1*3/5]  = [0.82, 1.04]
    opt = AdaGrad(lr=0.1, eps=1e-300)  # eps > 0, lost in rounding next to sqrt(h) >= 3
    w1, w2 = run_two_steps(opt, [1.0, 1.0], [3.0, -4.0], [4.0, 3.0])
    np.testing.assert_allclose(w1, [0.9, 1.1], atol=1e-15)
    np.testing.assert_allclose(w2, [0.82, 1.04], atol=1e-15)
    np.testing.assert_allclose(opt.h["W"], [25.0, 25.0])


def test_adagrad_default_eps_is_tiny_and_keeps_zero_gradient_finite():
    # with eps = 1e-7 step 1 of the test above moves by 0.1*3/(3 + 1e-7): 1e-8 relative change
    params = {"W": np.array([1.0, 5.0])}
    AdaGrad(lr=0.1).update(params, {"W": np.array([3.0, 0.0])})
    np.testing.assert_allclose(params["W"], [0.9, 5.0], rtol=1e-7)


def test_adam_two_steps_by_hand():
    # lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 0, W = [1], m = v = 0
    # step 1: g = 2: m = 0.1*2 = 0.2, v = 0.001*4 = 0.004
    #         m_hat = 0.2/(1 - 0.9) = 2, v_hat = 0.004/(1 - 0.999) = 4
    #         W = 1 - 0.1 * 2/sqrt(4) = 0.9
    # step 2: g = 1: m = 0.9*0.2 + 0.1*1 = 0.28, v = 0.999*0.004 + 0.001*1 = 0.004996
    #         m_hat = 0.28/(1 - 0.81) = 0.28/0.19
    #         v_hat = 0.004996/(1 - 0.998001) = 0.004996/0.001999
    #         W = 0.9 - 0.1 * (0.28/0.19) / sqrt(0.004996/0.001999)
    opt = Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-300)  # > 0, lost in rounding
    w1, w2 = run_two_steps(opt, [1.0], [2.0], [1.0])
    np.testing.assert_allclose(w1, [0.9], rtol=1e-12)
    expected = 0.9 - 0.1 * (0.28 / 0.19) / np.sqrt(0.004996 / 0.001999)
    np.testing.assert_allclose(w2, [expected], rtol=1e-12)
    assert 0.8067 < expected < 0.8068  # 0.9 - 0.1 * 1.47368 / 1.58090, done on paper
    np.testing.assert_allclose(opt.m["W"], [0.28], rtol=1e-12)
    np.testing.assert_allclose(opt.v["W"], [0.004996], rtol=1e-12)
    assert opt.iter == 2


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, Adam])
def test_every_parameter_updated_in_place_and_shared_arrays_see_it(cls):
    W = np.ones((2, 3))
    b = np.zeros(3)
    params = {"W": W, "b": b}
    layer_view = {"W": W}  # a layer holding the same array object
    cls(lr=0.1).update(params, {"W": np.ones((2, 3)), "b": np.ones(3)})
    assert params["W"] is W and params["b"] is b
    assert np.all(layer_view["W"] < 1.0) and np.all(b < 0.0)


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, Adam])
def test_grads_are_not_modified(cls):
    g = np.array([1.0, -2.0])
    cls(lr=0.1).update({"W": np.zeros(2)}, {"W": g})
    np.testing.assert_array_equal(g, [1.0, -2.0])


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, Adam])
def test_missing_and_extra_keys_name_them(cls):
    with pytest.raises(KeyError, match=r"missing gradients for \['b'\]"):
        cls().update({"W": np.zeros(2), "b": np.zeros(2)}, {"W": np.zeros(2)})
    with pytest.raises(KeyError, match=r"without parameter \['c'\]"):
        cls().update({"W": np.zeros(2)}, {"W": np.zeros(2), "c": np.zeros(1)})


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, Adam])
def test_shape_mismatch_names_both_shapes_and_nothing_changes(cls):
    W, b = np.ones((2, 3)), np.ones(3)
    opt = cls(lr=0.1)
    with pytest.raises(ValueError, match=r"params\['b'\] has shape \(3,\).*\(1, 3\)"):
        opt.update({"W": W, "b": b}, {"W": np.ones((2, 3)), "b": np.ones((1, 3))})
    np.testing.assert_array_equal(W, 1.0)  # checks happen before any update
    assert getattr(opt, "iter", 0) == 0


def test_integer_or_non_array_parameters_are_refused():
    with pytest.raises(TypeError, match="float numpy array"):
        SGD().update({"W": np.array([1, 2])}, {"W": np.array([1, 1])})
    with pytest.raises(TypeError, match="float numpy array"):
        SGD().update({"W": [1.0, 2.0]}, {"W": np.array([1.0, 1.0])})


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr must be a positive"):
        SGD(lr=lr)


def test_bad_momentum_and_betas():
    with pytest.raises(ValueError, match="momentum"):
        Momentum(momentum=1.0)
    with pytest.raises(ValueError, match="beta2"):
        Adam(beta2=-0.5)
    with pytest.raises(TypeError, match="lr must be a positive finite number"):
        SGD(lr="0.1")


def test_momentum_zero_is_sgd():
    a, b = {"W": np.array([1.0, 2.0])}, {"W": np.array([1.0, 2.0])}
    rng = np.random.default_rng(0)
    m, s = Momentum(lr=0.05, momentum=0.0), SGD(lr=0.05)
    for _ in range(5):
        g = rng.normal(size=2)
        m.update(a, {"W": g})
        s.update(b, {"W": g})
    np.testing.assert_allclose(a["W"], b["W"], rtol=1e-14)


@pytest.mark.parametrize(
    ("name", "cls"), [("sgd", SGD), ("momentum", Momentum), ("AdaGrad", AdaGrad), ("ADAM", Adam)]
)
def test_get_optimizer_by_name(name, cls):
    opt = get_optimizer(name, lr=0.5)
    assert type(opt) is cls and opt.lr == 0.5


def test_get_optimizer_object_and_errors():
    opt = Adam()
    assert get_optimizer(opt) is opt
    with pytest.raises(
        ValueError, match=r"unknown optimizer 'rmsprop'; choose one of adagrad, adam"
    ):
        get_optimizer("rmsprop")
    with pytest.raises(TypeError, match="only accepted with a name"):
        get_optimizer(opt, lr=0.1)
    with pytest.raises(TypeError, match="expected a name"):
        get_optimizer(3)


@pytest.mark.parametrize("cls", [AdaGrad, Adam])
@pytest.mark.parametrize("eps", [0.0, -1e-8, float("nan"), float("inf")])
def test_eps_must_be_finite_and_positive(cls, eps):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: eps must be a positive finite number"):
        cls(eps=eps)


# ---- the running state: state() copies it, restore(state) puts a copy back --------------------


@pytest.mark.parametrize(
    ("opt", "names"),
    [(SGD(lr=0.1), []), (Momentum(lr=0.1), ["v"]), (AdaGrad(lr=0.1), ["h"]),
     (Adam(lr=0.1), ["iter", "m", "v"])],
)  # fmt: skip
def test_the_running_state_is_what_the_constructor_does_not_take(opt, names):
    assert sorted(opt.state()) == names  # lr, momentum, eps, betas are settings, not state


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, Adam])
def test_a_restored_state_gives_the_same_next_updates(cls):
    rng = np.random.default_rng(0)
    grads = [{"W": rng.standard_normal((2, 3)), "b": rng.standard_normal(3)} for _ in range(6)]
    opt, params = cls(lr=0.1), {"W": np.ones((2, 3)), "b": np.zeros(3)}
    for g in grads[:3]:
        opt.update(params, g)
    saved, at_3 = opt.state(), {k: p.copy() for k, p in params.items()}
    for g in grads[3:]:
        opt.update(params, g)
    after = {k: p.copy() for k, p in params.items()}
    opt.restore(saved)  # back to step 3, weights too
    for k, p in params.items():
        np.copyto(p, at_3[k])
    for g in grads[3:]:
        opt.update(params, g)
    for k in params:  # the same arithmetic on the same numbers, in the same order
        np.testing.assert_allclose(params[k], after[k], rtol=1e-13, atol=0)


def test_state_is_a_copy_and_restore_keeps_it_unchanged():
    opt, W = Adam(lr=0.1), np.array([1.0, 2.0])
    opt.update({"W": W}, {"W": np.array([1.0, -1.0])})
    saved = opt.state()
    m_saved = saved["m"]["W"].copy()  # a copy of a copy: compared exactly below
    opt.update({"W": W}, {"W": np.array([5.0, 5.0])})
    assert np.array_equal(saved["m"]["W"], m_saved) and saved["iter"] == 1
    opt.restore(saved)
    opt.update({"W": W}, {"W": np.array([5.0, 5.0])})  # moves the optimizer's arrays...
    assert np.array_equal(saved["m"]["W"], m_saved)  # ...not the saved ones
    assert opt.iter == 2 and saved["iter"] == 1


def test_restore_refuses_a_state_of_another_kind():
    with pytest.raises(ValueError, match=r"^Momentum\.restore: the state must have the names "
                                         r"\['v'\], got \['iter', 'm', 'v'\]"):  # fmt: skip
        Momentum().restore(Adam().state())


def test_the_names_and_get_optimizer_are_importable_from_the_optimizers_module():
    from backprop_book.training import optimizer_base, optimizers

    assert optimizers.Optimizer is optimizer_base.Optimizer
    assert optimizers.OPTIMIZERS["adam"] is Adam
    assert optimizers.optimizer_name(Adam()) == "adam"
