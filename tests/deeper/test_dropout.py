"""Dropout: the mask's statistics, the expectation kept by the 1/(1 − p) scaling, the gradient
routed through the mask, inference as the identity, seeds, and clear errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.deeper.dropout import Dropout
from backprop_book.layers.gradient_check import numerical_gradient, relative_error

N = 200_000  # entries per statistic: the binomial's relative spread is about 1/√N


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_kept_fraction_is_one_minus_rate(rate):
    layer = Dropout(rate, seed=1)
    layer.forward(np.ones(N))
    kept = layer.mask.mean()
    # The number kept is Binomial(N, 1 − p): its fraction has standard deviation
    # √(p(1 − p)/N) <= 0.0012; five of them bound a chance failure by about 6e-7.
    assert abs(kept - (1 - rate)) < 5 * math.sqrt(rate * (1 - rate) / N)


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.9])
def test_expectation_is_preserved(rate):
    x = np.random.default_rng(2).uniform(0.5, 1.5, N)
    out = Dropout(rate, seed=3).forward(x)
    # Each output is x_i·B_i/(1 − p) with B_i ~ Bernoulli(1 − p): mean x_i, variance
    # x_i²·p/(1 − p). The mean of N of them has standard deviation
    # √(Σ x_i² · p/(1 − p))/N; the test allows five.
    sd = math.sqrt(np.sum(x**2) * rate / (1 - rate)) / N
    assert abs(out.mean() - x.mean()) < 5 * sd
    kept = Dropout(rate, seed=3).forward(x) != 0  # the same seed: the same mask
    np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-15)
    assert np.all(out[~kept] == 0)


def test_masks_differ_between_steps_and_are_independent_of_position():
    layer = Dropout(0.5, seed=4)
    first = layer.forward(np.ones((500, 400))) != 0
    second = layer.forward(np.ones((500, 400))) != 0
    assert not np.array_equal(first, second)  # a new mask every forward
    # Two independent masks agree on a fraction 0.5 of entries (sd √(0.25/200000) ≈ 0.0011).
    assert abs((first == second).mean() - 0.5) < 0.006
    # Every row and every column is kept about half the time: no position is favoured
    # (each row's fraction has sd √(0.25/400) = 0.025; the worst of 500 stays below 6 sd).
    assert np.abs(first.mean(axis=1) - 0.5).max() < 6 * 0.025


def test_same_seed_same_masks_and_generator_is_shared():
    a, b = Dropout(0.3, seed=7), Dropout(0.3, seed=7)
    x = np.ones((20, 30))
    for _ in range(3):
        np.testing.assert_array_equal(a.forward(x), b.forward(x))
    rng = np.random.default_rng(8)
    c = Dropout(0.3, seed=rng)
    assert c.rng is rng


@settings(max_examples=30, deadline=None)
@given(
    st.data(),
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.sampled_from([0.0, 0.25, 0.5, 0.75]),
)
def test_gradient_with_a_fixed_mask(data, shape, rate):
    x = data.draw(arrays(np.float64, shape, elements=st.floats(-5, 5, allow_nan=False)))
    dout = data.draw(arrays(np.float64, shape, elements=st.floats(-5, 5, allow_nan=False)))
    layer = Dropout(rate, seed=5)
    layer.forward(x)
    dx = layer.backward(dout)

    def f(v):  # a new layer with the same seed draws the same mask: the mask is fixed
        return float(np.sum(Dropout(rate, seed=5).forward(v) * dout))

    numeric = numerical_gradient(f, x.copy())
    # f is linear in x, so the central difference is exact up to rounding of f's sum
    # (|f| <= 4³·5·5·4, relative 1e-16, over 2h = 2e-4): 1e-9 absolute is ample.
    np.testing.assert_allclose(dx, numeric, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(dx == 0, ~layer.mask | (dout == 0))  # routed like ReLU's mask
    # dout·(1/(1 − p)) against dout/(1 − p): two roundings apart at most, 1e-15 relative
    np.testing.assert_allclose(dx[layer.mask], dout[layer.mask] / (1 - rate), rtol=1e-15)


def test_inference_is_the_identity():
    x = np.random.default_rng(9).standard_normal((4, 5))
    layer = Dropout(0.5, seed=0)
    out = layer.forward(x, train_flg=False)
    np.testing.assert_array_equal(out, x)
    assert out is not x
    dout = np.arange(20.0).reshape(4, 5)
    np.testing.assert_array_equal(layer.backward(dout), dout)
    assert layer.mask.all()


def test_rate_zero_keeps_everything():
    x = np.random.default_rng(10).standard_normal(50)
    np.testing.assert_array_equal(Dropout(0.0, seed=0).forward(x), x)


def test_no_mutation_float32_and_backward_uses_the_last_mask():
    x = np.ones((3, 4), dtype=np.float32)
    dout = np.full((3, 4), 2.0, dtype=np.float32)
    x_before, dout_before = x.copy(), dout.copy()
    layer = Dropout(0.5, seed=11)
    out = layer.forward(x)
    assert out.dtype == np.float32
    dx = layer.backward(dout)
    assert dx.dtype == np.float32
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, dout_before)
    np.testing.assert_array_equal(dx, out * 2)  # the same mask, the same scale
    assert relative_error(dx, np.where(layer.mask, 4.0, 0.0)) == 0  # 2 · 1/(1 − 0.5), exact


def test_backward_before_forward_and_wrong_dout_shape():
    layer = Dropout(0.5, seed=0)
    with pytest.raises(RuntimeError, match=r"Dropout\.backward was called before forward"):
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"Dropout.backward: dout has shape \(3,\) but the forward out"
    ):
        layer.backward(np.ones(3))
    with pytest.raises(TypeError, match="Dropout: x must be a numeric array"):
        layer.forward(np.array(["a"]))
    with pytest.raises(RuntimeError, match="before forward"):  # the failed forward left no mask
        layer.backward(np.ones((2, 3)))


@pytest.mark.parametrize(
    ("rate", "error"), [(1.0, ValueError), (-0.1, ValueError), (1.5, ValueError),
                        (math.nan, ValueError), ("0.5", TypeError), (True, TypeError)]
)  # fmt: skip
def test_rate_outside_zero_one_is_refused(rate, error):
    with pytest.raises(error, match=r"Dropout: rate must be a number >= 0 and < 1"):
        Dropout(rate)


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "seed must be an integer >= 0, got -1"),
        (1.5, TypeError, r"seed must be an integer >= 0, got 1.5 \(float\)"),
        ("42", TypeError, r"seed must be an integer >= 0, got '42' \(str\)"),
        (True, TypeError, "seed must be an integer >= 0, got True"),
    ],
)
def test_bad_seed_is_refused(seed, error, message):
    with pytest.raises(error, match=f"Dropout: {message}"):
        Dropout(0.5, seed=seed)
