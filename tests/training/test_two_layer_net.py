"""Tests for backprop_book.training.two_layer_net.TwoLayerNet: API, gradients, dtypes."""

import numpy as np
import pytest

from backprop_book.layers.gradient_check import relative_error
from backprop_book.training.two_layer_net import TwoLayerNet


def _batch(n=4, d=6, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, c, size=n)


def test_members_and_shapes():
    net = TwoLayerNet(input_size=6, hidden_size=5, output_size=3, seed=0)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (6, 5),
        "b1": (5,),
        "W2": (5, 3),
        "b2": (3,),
    }
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.5)
    x, _ = _batch()
    assert net.predict(x).shape == (4, 3)


def test_predict_is_affine_relu_affine_by_hand():
    net = TwoLayerNet(3, 4, 2, weight_init_std=1.0, seed=1)
    x, _ = _batch(n=2, d=3)
    p = net.params
    expected = np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    np.testing.assert_allclose(net.predict(x), expected)


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize("one_hot", [False, True])
def test_backprop_gradient_matches_numerical(n, one_hot):
    net = TwoLayerNet(6, 5, 3, weight_init_std=1.0, seed=n)
    x, t = _batch(n=n)
    if one_hot:
        t = np.eye(3)[t]
    grads = net.gradient(x, t)
    numerical = net.numerical_gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        assert relative_error(grads[key], numerical[key]) < 1e-7, key


def test_one_hot_and_integer_labels_agree():
    net = TwoLayerNet(6, 5, 3, seed=0)
    x, t = _batch()
    assert net.loss(x, t) == pytest.approx(net.loss(x, np.eye(3)[t]))
    assert net.accuracy(x, t) == net.accuracy(x, np.eye(3)[t])


def test_accuracy_by_hand():
    net = TwoLayerNet(2, 2, 2, weight_init_std=1.0, seed=0)
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    predicted = net.predict(x).argmax(axis=1)
    t = predicted.copy()
    t[0] = 1 - t[0]  # one of three wrong
    assert net.accuracy(x, t) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"TwoLayerNet.accuracy: t of shape \(2,\)"):
        net.accuracy(x, t[:2])


def test_in_place_update_reaches_the_layers():
    net = TwoLayerNet(6, 5, 3, seed=0)
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.layers["Affine1"].input_grad is False  # nothing below it needs dx
    x, t = _batch()
    before = net.predict(x)
    grads = net.gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= 0.5 * grads[key]
    assert not np.allclose(net.predict(x), before)
    net.params["b2"] = np.array([1.0, 2.0, 3.0])  # assignment is passed on too
    assert net.layers["Affine2"].b is net.params["b2"]
    with pytest.raises(ValueError, match=r"params\['b2'\]: new value has shape \(2,\)"):
        net.params["b2"] = np.zeros(2)


def test_training_loop_reduces_loss_and_learns():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 4))
    t = (x[:, 0] + x[:, 1] > 0).astype(int)  # a separable two-class problem
    net = TwoLayerNet(4, 10, 2, weight_init_std="he", seed=0)
    first = net.loss(x, t)
    for _ in range(300):
        grads = net.gradient(x, t)
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= 0.1 * grads[key]
    assert net.loss(x, t) < first / 3
    assert net.accuracy(x, t) > 0.9


def test_seed_and_rng_reproducible():
    a = TwoLayerNet(4, 3, 2, seed=5)
    b = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(5))
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    with pytest.raises(ValueError, match="pass either seed or rng, not both"):
        TwoLayerNet(4, 3, 2, seed=1, rng=np.random.default_rng(1))


@pytest.mark.parametrize(
    ("init", "expected_std"), [("xavier", 1 / np.sqrt(400)), ("he", np.sqrt(2 / 400))]
)
def test_named_initializations(init, expected_std):
    net = TwoLayerNet(400, 300, 10, weight_init_std=init, seed=0)
    assert net.params["W1"].std() == pytest.approx(expected_std, rel=0.02)
    assert not TwoLayerNet(4, 3, 2, weight_init_std="zeros").params["W1"].any()


def test_float32_end_to_end():
    net = TwoLayerNet(6, 5, 3, seed=0, dtype=np.float32)
    x, t = _batch()  # float64 data: computed in the network's float32
    assert all(p.dtype == np.float32 for p in net.params.values())
    assert net.predict(x).dtype == np.float32
    grads = net.gradient(x, t)
    assert all(g.dtype == np.float32 for g in grads.values())
    for key in grads:
        net.params[key] -= 0.1 * grads[key]
    assert all(p.dtype == np.float32 for p in net.params.values())
    assert all(g.dtype == np.float32 for g in net.numerical_gradient(x, t).values())


def test_bad_input_names_the_layer():
    net = TwoLayerNet(6, 5, 3, seed=0)
    with pytest.raises(ValueError, match=r"Affine1: input of shape \(4, 7\)"):
        net.predict(np.ones((4, 7)))
    x, _ = _batch()
    with pytest.raises(ValueError, match="label 3 is out of range for 3 classes"):
        net.loss(x, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="t has 2 samples but x has 4"):
        net.gradient(x, np.array([0, 1]))


def test_float32_gradients_agree_with_float64():
    x, t = _batch(n=5)
    g64 = TwoLayerNet(6, 5, 3, weight_init_std=1.0, seed=3).gradient(x, t)
    g32 = TwoLayerNet(6, 5, 3, weight_init_std=1.0, seed=3, dtype=np.float32).gradient(x, t)
    for key in g64:
        assert relative_error(g32[key], g64[key]) < 1e-5, key  # float32 rounding, ~1e-7 each


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_training_step_copies_no_batch_and_stays_in_its_dtype(dtype):
    # the benchmark's loop: a batch already in the network's dtype is used where it lies (the
    # first layer keeps the batch itself, the loss keeps the one-hot rows), every array of the
    # step is in that dtype, and the update changes the parameters in place, in the layers too
    net = TwoLayerNet(6, 5, 3, seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6)).astype(dtype)
    t = np.eye(3, dtype=dtype)[[0, 2, 1, 1]]
    arrays = {key: net.params[key] for key in net.params}
    grads = net.gradient(x, t)
    assert net.layers["Affine1"].x is x  # not a copy, not even a new view
    assert net.last_layer.t is t  # one-hot rows of the scores' dtype: kept as given
    hidden = net.layers["Affine2"].x  # the Relu's output, taken by Affine2 as it is
    assert hidden.dtype == dtype and hidden.base is None  # its own array, no conversion of one
    assert net.last_layer.y.dtype == dtype and net.layers["Relu1"].mask.dtype == bool
    assert all(g.dtype == dtype for g in grads.values())
    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= 0.1 * grads[key]
        assert net.params[key] is arrays[key]  # in place: the same arrays...
    assert net.layers["Affine1"].W is arrays["W1"] and net.layers["Affine2"].b is arrays["b2"]
    assert all(p.dtype == dtype for p in net.params.values())  # ...in the same dtype


def test_a_batch_of_another_dtype_or_shape_is_converted_not_refused():
    # the shortcut for (N, D) rows of W's dtype leaves the other inputs to the full path
    net = TwoLayerNet(6, 5, 3, seed=0, dtype=np.float32)
    x, t = _batch()  # float64
    net.gradient(x, t)
    assert net.layers["Affine1"].x.dtype == np.float32  # converted once, at the first layer
    images = x.reshape(4, 1, 2, 3).astype(np.float32)  # any rank: flattened to rows
    rows = net.predict(x.astype(np.float32))
    np.testing.assert_allclose(net.predict(images), rows)
    assert np.shares_memory(net.layers["Affine1"].x, images)  # the rows are a view of it
