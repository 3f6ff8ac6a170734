"""BatchNormalization: the closed-form and the staged backward agree with each other and with
numerical gradients; running statistics, inference mode, images per channel, clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.deeper.batch_norm import BatchNormalization, graph_backward, graph_forward
from backprop_book.layers.gradient_check import check_layer, numerical_gradient, relative_error

# Inputs well inside [-5, 5], and each column spread out (its variance well above eps), so that
# the normalization is well conditioned and central differences resolve every gradient.
values = st.floats(-5, 5, allow_nan=False, allow_subnormal=False)


def spread_out(x):
    """Each column's variance at least 0.1 (σ >= 0.3): well above eps, and well conditioned."""
    return bool((x.var(axis=0) > 0.1).all())


def layer_for(d, seed, **kwargs):
    rng = np.random.default_rng(seed)
    return BatchNormalization(rng.uniform(0.5, 2, d), rng.standard_normal(d), **kwargs)


def assert_matches_numerical(layer, x, dout):
    """dx, dgamma and dbeta of backward against central differences of f = Σ out·dout.

    A relative error is meaningless here: for a constant dout, or a batch of two, the exact dx
    is 0 (the normalized output does not move when x is shifted or, for N = 2, scaled), and
    both sides are rounding noise. So the comparison is absolute, on the gradient's own scale
    |γ|·|dout|/σ: the central difference's truncation error, h²/6 times a third derivative of
    order |γ|·|dout|·N/σ³ (σ >= 0.3, N <= 6, h = 1e-4), is below 1e-6 of that scale, and its
    rounding error (1e-16·|f|/h, |f| <= 1e3) below 1e-9.
    """

    def f(_):
        return float(np.sum(layer.forward(x) * dout))

    x = x.copy()
    layer.forward(x)
    dx = layer.backward(dout)
    scale = np.abs(layer.gamma).max() * max(np.abs(dout).max(), 1.0) / 0.3
    pairs = [(dx, x), (layer.dgamma.copy(), layer.gamma), (layer.dbeta.copy(), layer.beta)]
    for analytic, target in pairs:
        numeric = numerical_gradient(f, target)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6 * scale)


# ---- the two backward passes and the numerical gradient agree ----


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(2, 6), st.integers(1, 4))
def test_closed_form_staged_and_numerical_gradients_agree(data, n, d):
    x = data.draw(arrays(np.float64, (n, d), elements=values).filter(spread_out))
    dout = data.draw(arrays(np.float64, (n, d), elements=values))
    layer = layer_for(d, seed=n * 10 + d)
    layer.forward(x)
    dx = layer.backward(dout)
    dgamma, dbeta = layer.dgamma, layer.dbeta
    dx_staged = layer.staged_backward(dout)
    # The two are the same sums in another order: they differ by rounding, a few ulps of the
    # largest term, |γ/σ|·(N·|dy| + ...) ≲ 2·10·5·N with σ >= 0.1, so 1e-9 absolute is ample.
    scale = 1 + np.abs(dout).max() * np.abs(layer.gamma).max() / np.sqrt(x.var(axis=0).min())
    np.testing.assert_allclose(dx_staged, dx, rtol=1e-10, atol=1e-12 * n * scale)
    np.testing.assert_allclose(layer.dgamma, dgamma, rtol=1e-12, atol=1e-12 * n * 25)
    np.testing.assert_allclose(layer.dbeta, dbeta, rtol=1e-12, atol=1e-12 * n * 5)
    assert_matches_numerical(layer_for(d, seed=n * 10 + d), x, dout)


def test_check_layer_on_a_batch_of_five():
    rng = np.random.default_rng(7)
    x, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    assert check_layer(layer_for(3, seed=7), x, dout=dout)["x"] < 1e-7
    layer = layer_for(3, seed=7)
    layer.forward(x)
    dx_closed = layer.backward(dout)
    assert relative_error(layer.staged_backward(dout), dx_closed) < 1e-14


@settings(max_examples=20, deadline=None)
@given(st.data(), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_images_are_normalized_per_channel(data, n, c, h, w):
    x = data.draw(arrays(np.float64, (n, c, h, w), elements=values))
    rows = x.transpose(0, 2, 3, 1).reshape(-1, c)  # every pixel of every image, per channel
    if n * h * w < 2 or not spread_out(rows):
        return
    layer = layer_for(c, seed=c)
    out = layer.forward(x)
    assert out.shape == x.shape
    # Each channel's output, over the batch and the pixels, has mean β and standard deviation
    # γ·σ/√(σ² + ε): the same as normalizing the rows (N·H·W, C) as a (N, D) batch.
    flat = layer_for(c, seed=c)
    expected = flat.forward(rows).reshape(n, h, w, c).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    dout = np.random.default_rng(0).standard_normal(x.shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    np.testing.assert_allclose(layer.staged_backward(dout), dx, rtol=1e-9, atol=1e-10)
    assert_matches_numerical(layer_for(c, seed=c), x, dout)


# ---- what the layer computes ----


def test_training_output_has_mean_beta_and_std_gamma():
    rng = np.random.default_rng(2)
    x = rng.normal(5.0, 3.0, (50, 4))
    layer = layer_for(4, seed=3)
    out = layer.forward(x)
    # exact arithmetic gives mean β and std γ·σ/√(σ²+ε); σ² ≈ 9, so the ε term is ~1e-6
    np.testing.assert_allclose(out.mean(axis=0), layer.beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), layer.gamma, rtol=1e-5)


def test_running_statistics_follow_the_momentum():
    rng = np.random.default_rng(4)
    layer = layer_for(3, seed=4, momentum=0.8)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(5):
        x = rng.normal(2.0, 0.5, (20, 3))
        layer.forward(x)
        mean = 0.8 * mean + 0.2 * x.mean(axis=0)
        var = 0.8 * var + 0.2 * x.var(axis=0)  # the biased batch variance
    np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var, var, rtol=1e-12)


def test_inference_uses_running_statistics_and_is_per_sample():
    rng = np.random.default_rng(5)
    layer = layer_for(3, seed=5, momentum=0.0)  # momentum 0: the last batch's statistics
    x = rng.normal(1.0, 2.0, (30, 3))
    train_out = layer.forward(x)
    infer_out = layer.forward(x, train_flg=False)
    np.testing.assert_allclose(infer_out, train_out, rtol=1e-12, atol=1e-12)
    one = layer.forward(x[:1], train_flg=False)  # one sample is fine in inference
    np.testing.assert_allclose(one, infer_out[:1], rtol=1e-12, atol=1e-12)
    running = layer.running_mean.copy()
    layer.forward(x[:2] + 100, train_flg=False)
    np.testing.assert_array_equal(layer.running_mean, running)  # inference updates nothing
    assert check_layer(InferenceMode(layer), x[:4])["x"] < 1e-7
    with pytest.raises(RuntimeError, match="staged_backward follows the training graph"):
        layer.staged_backward(np.ones((4, 3)))


class InferenceMode:
    """A layer in inference mode, for check_layer (which calls forward(x))."""

    def __init__(self, layer):
        self.layer = layer

    def forward(self, x):
        return self.layer.forward(x, train_flg=False)

    def backward(self, dout):
        return self.layer.backward(dout)


def test_graph_nodes_by_hand():
    nodes = graph_forward(np.array([[1.0], [2.0], [6.0]]), np.array([2.0]), np.array([1.0]), 0.0)
    assert nodes["mu"].tolist() == [3.0]
    assert nodes["xc"].ravel().tolist() == [-2.0, -1.0, 3.0]
    assert nodes["var"].tolist() == [pytest.approx(14 / 3)]
    grads = graph_backward(nodes, np.array([[1.0], [0.0], [0.0]]))
    assert grads["beta"].tolist() == [1.0] and grads["scaled"].ravel().tolist() == [1.0, 0.0, 0.0]
    assert grads["gamma"].tolist() == [pytest.approx(-2 / np.sqrt(14 / 3))]
    np.testing.assert_allclose(grads["x"].sum(), 0, atol=1e-15)  # shifting x changes nothing


def test_no_mutation_and_float32_stays_float32():
    rng = np.random.default_rng(6)
    x, dout = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    x_before, dout_before = x.copy(), dout.copy()
    layer = layer_for(3, seed=6)
    layer.forward(x)
    layer.backward(dout)
    layer.staged_backward(dout)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, dout_before)
    layer32 = BatchNormalization(np.ones(3, np.float32), np.zeros(3, np.float32))
    out = layer32.forward(x.astype(np.float32))
    assert out.dtype == np.float32 and layer32.running_var.dtype == np.float32
    assert layer32.backward(dout.astype(np.float32)).dtype == np.float32
    assert layer32.staged_backward(dout.astype(np.float32)).dtype == np.float32
    assert layer32.dgamma.dtype == np.float32 and layer32.dbeta.dtype == np.float32


# ---- bad input: clear errors ----


def test_wrong_shapes_name_the_layer_and_the_shapes():
    layer = BatchNormalization(np.ones(3), np.zeros(3), name="bn1")
    with pytest.raises(ValueError, match=r"bn1: input of shape \(2, 5\) does not fit gamma of "
                                         r"shape \(3,\)"):  # fmt: skip
        layer.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"bn1: input of shape \(6,\)"):
        layer.forward(np.ones(6))
    layer.forward(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match=r"bn1.backward: dout has shape \(3, 3\) but the forward"):
        layer.backward(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"beta has shape \(2,\) but gamma has shape \(3,\)"):
        BatchNormalization(np.ones(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"gamma must be a 1-D array \(D,\), got \(3, 1\)"):
        BatchNormalization(np.ones((3, 1)), np.zeros(3))
    with pytest.raises(TypeError, match="gamma must be floating point"):
        BatchNormalization(np.ones(3, dtype=int), np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match="bn1: x must be a numeric array"):
        layer.forward(np.array([["a", "b", "c"]] * 2))


def test_backward_before_forward_and_after_a_failed_forward():
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    for backward in (layer.backward, layer.staged_backward):
        with pytest.raises(RuntimeError, match=r"BatchNormalization.backward was called before"):
            backward(np.ones((2, 2)))
    layer.forward(np.array([[1.0, 2.0], [3.0, 5.0]]))
    with pytest.raises(ValueError):
        layer.forward(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 2)))


def test_one_sample_in_training_mode_is_refused():
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"training needs at least 2 values per feature.*\(1, 2\)"):
        layer.forward(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"\(1, 2, 1, 1\)"):
        layer.forward(np.ones((1, 2, 1, 1)))
    assert layer.forward(np.ones((1, 2)), train_flg=False).shape == (1, 2)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"momentum": 1.0}, ValueError, "momentum must be a number >= 0 and < 1, got 1.0"),
        ({"momentum": "0.9"}, TypeError, "momentum must be a number"),
        ({"eps": 0.0}, ValueError, "eps must be a positive finite number, got 0.0"),
        ({"eps": -1e-5}, ValueError, "eps must be a positive finite number"),
    ],
)
def test_bad_momentum_and_eps(kwargs, error, message):
    with pytest.raises(error, match=f"BatchNormalization: {message}"):
        BatchNormalization(np.ones(2), np.zeros(2), **kwargs)
