"""Tests for backprop_book.training.initializers: shapes, scales, seeds, dtypes, errors."""

import numpy as np
import pytest

from backprop_book.training.initializers import initialize_weight, weight_std


@pytest.mark.parametrize(
    ("method", "expected_std"),
    [("std", 0.01), ("xavier", 1 / np.sqrt(400)), ("he", np.sqrt(2 / 400))],
)
def test_sample_std_matches_the_method(method, expected_std):
    W = initialize_weight(400, 300, method, rng=0)
    assert W.shape == (400, 300)
    # 120,000 normal draws: the sample std is within 1 % of the true one
    assert W.std() == pytest.approx(expected_std, rel=0.01)
    assert abs(W.mean()) < 0.01 * expected_std * 10


def test_std_parameter_and_zeros():
    assert initialize_weight(100, 100, "std", std=1.0, rng=1).std() == pytest.approx(1.0, rel=0.03)
    W = initialize_weight(3, 4, "zeros")
    assert W.shape == (3, 4) and not W.any()
    assert weight_std("zeros", 10) == 0.0
    assert weight_std("he", 8) == pytest.approx(0.5)


def test_seed_reproducible_and_dtypes_agree():
    a = initialize_weight(5, 4, "he", rng=7)
    b = initialize_weight(5, 4, "he", rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    c = initialize_weight(5, 4, "he", rng=7, dtype=np.float32)
    assert c.dtype == np.float32
    np.testing.assert_allclose(c, a, rtol=1e-6)
    assert not np.array_equal(a, initialize_weight(5, 4, "he", rng=8))


def test_errors():
    with pytest.raises(ValueError, match="unknown method 'glorot'; choose one of zeros, std"):
        initialize_weight(2, 2, "glorot")
    with pytest.raises(ValueError, match="fan_in must be a positive integer, got 0"):
        initialize_weight(0, 2)
    with pytest.raises(TypeError, match=r"fan_out must be a positive integer, got 2\.5 \(float\)"):
        initialize_weight(2, 2.5)
    with pytest.raises(TypeError, match="dtype must be floating point, got int64"):
        initialize_weight(2, 2, dtype=np.int64)
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        initialize_weight(2, 2, std=-1.0)
