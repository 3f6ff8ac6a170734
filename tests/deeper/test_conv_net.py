"""Tests for backprop_book.deeper.conv_net: SimpleConvNet's shapes, gradients, params, errors."""

import numpy as np
import pytest

from backprop_book.deeper.conv_net import SimpleConvNet
from backprop_book.layers.gradient_check import gradient_errors, relative_error
from backprop_book.training.optimizers import Adam
from backprop_book.training.trainer import Trainer


def tiny(**kwargs):
    options = {"filter_num": 3, "hidden_size": 4, "output_size": 3, "seed": 0}
    return SimpleConvNet((2, 4, 4), **{**options, **kwargs})


def test_shapes_through_the_layers():
    net = SimpleConvNet(filter_num=16, hidden_size=50, seed=0)  # the page's net, on 8×8 digits
    x = np.random.default_rng(0).random((5, 1, 8, 8))
    shapes = []
    for layer in net.layers.values():
        x = layer.forward(x)
        shapes.append(x.shape)
    assert shapes == [(5, 16, 8, 8), (5, 16, 8, 8), (5, 16, 4, 4), (5, 256), (5, 50), (5, 50),
                      (5, 10)]  # fmt: skip
    shapes = {k: v.shape for k, v in net.params.items()}
    assert shapes == {"W1": (16, 1, 3, 3), "b1": (16,), "W2": (256, 50), "b2": (50,),
                      "W3": (50, 10), "b3": (10,)}  # fmt: skip


def test_stride_2_and_no_padding_change_the_flat_size():
    net = SimpleConvNet((1, 9, 9), filter_num=2, filter_size=3, stride=2, pad=0, hidden_size=3,
                        seed=0)  # fmt: skip
    # (9 - 3)/2 + 1 = 4, pooled by 2 -> 2 × 2, 2 filters: 8 inputs to Affine1
    assert net.params["W2"].shape == (8, 3)
    assert net.predict(np.zeros((1, 1, 9, 9))).shape == (1, 10)


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("t_kind", ["labels", "one-hot"])
def test_gradient_matches_numerical(n, t_kind):
    # weights of std 0.5, not the He scale: larger scores, gradients well above rounding
    net = tiny(weight_init_std=0.5, seed=n)
    rng = np.random.default_rng(n)
    x = rng.standard_normal((n, 2, 4, 4))
    t = rng.integers(0, 3, n)
    if t_kind == "one-hot":
        t = np.eye(3)[t]
    errors = gradient_errors(net, x, t)
    assert list(errors) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    # float64 central differences with h = 1e-4: ~1e-9 typical; a ReLU kink or a pooling tie
    # within h of the point would be far larger, and random normal inputs make that unlikely
    assert max(errors.values()) < 1e-6


def test_numerical_gradient_method_agrees_with_gradient():
    net = tiny(weight_init_std=0.5)
    x = np.random.default_rng(1).standard_normal((2, 2, 4, 4))
    t = np.array([0, 2])
    numeric = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert max(relative_error(backprop[k], numeric[k]) for k in numeric) < 1e-6


def test_gradient_is_of_the_loss_of_the_whole_batch():
    # the mean loss: the gradient of a batch of two equal halves is the gradient of one half
    net = tiny(weight_init_std=0.5)
    x = np.random.default_rng(2).standard_normal((2, 2, 4, 4))
    t = np.array([1, 2])
    one = {k: v.copy() for k, v in net.gradient(x, t).items()}
    two = net.gradient(np.concatenate([x, x]), np.concatenate([t, t]))
    for key in one:
        np.testing.assert_allclose(two[key], one[key], rtol=1e-12, atol=1e-15)


def test_params_write_through_and_shape_check():
    net = tiny()
    new = np.ones((3, 2, 3, 3))
    net.params["W1"] = new
    assert net.layers["Conv1"].W is net.params["W1"]
    net.params["b3"] -= 1.0  # in place: the layer holds the same array
    np.testing.assert_array_equal(net.layers["Affine2"].b, -np.ones(3))
    with pytest.raises(ValueError, match=r"params\['W1'\]: new value has shape \(3, 3\)"):
        net.params["W1"] = np.ones((3, 3))


def test_the_package_trainer_trains_it():
    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, 40)
    x = rng.standard_normal((40, 1, 4, 4)) * 0.1
    x[:, 0, :2, :2] += 2.0 * t[:, None, None]  # class 1: a bright top-left corner
    net = SimpleConvNet((1, 4, 4), filter_num=2, hidden_size=4, output_size=2, seed=0)
    before = net.loss(x, t)
    result = Trainer(net, x, t, x, t, optimizer=Adam(lr=0.05), batch_size=10, epochs=10,
                     seed=0).train()  # fmt: skip
    assert net.loss(x, t) < before / 2
    assert result.test_acc_list[-1] == 1.0


def test_float32_stays_float32():
    net = tiny(dtype=np.float32)
    x = np.ones((2, 2, 4, 4), dtype=np.float32)
    assert net.predict(x).dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.gradient(x, np.array([0, 1])).values())


def test_seed_gives_the_same_weights():
    a, b = tiny(seed=3), tiny(seed=3)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W1"], tiny(seed=4).params["W1"])


def test_flat_rows_are_refused_with_both_shapes():
    net = SimpleConvNet(filter_num=2, hidden_size=3, seed=0)
    with pytest.raises(ValueError, match=r"x has shape \(5, 64\).*\(N, 1, 8, 8\)"):
        net.predict(np.zeros((5, 64)))
    with pytest.raises(ValueError, match=r"x has shape \(2, 3, 8, 8\)"):
        net.loss(np.zeros((2, 3, 8, 8)), np.array([0, 1]))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="SimpleConvNet: filter_num must be a positive integer"):
        SimpleConvNet(filter_num=0)
    with pytest.raises(ValueError, match=r"SimpleConvNet \(Pool1\).*not a whole number"):
        SimpleConvNet((1, 7, 7), pool_size=2)  # a 7 × 7 map does not split into 2 × 2 windows
    with pytest.raises(ValueError, match=r"SimpleConvNet \(Conv1\).*not positive"):
        SimpleConvNet((1, 2, 2), filter_size=5, pad=0)
    with pytest.raises(ValueError, match=r"input_dim must be \(C, H, W\)"):
        SimpleConvNet((8, 8))
    with pytest.raises(ValueError, match="either seed or rng"):
        SimpleConvNet(seed=0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"SimpleConvNet\.accuracy"):
        tiny().accuracy(np.zeros((2, 2, 4, 4)), np.array([0, 1, 2]))
