"""Property-based attacks on the public API: each call gives the right answer or raises one of
the package's documented exceptions with a message naming where it was caught, never an
internal numpy or Python error (IndexError, KeyError, RecursionError, ...)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_book import Dense, ModelFileError, SoftmaxWithLoss, load_model
from backprop_book.layers.functions import one_hot, softmax
from backprop_book.training.metrics import accuracy

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture])  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
LAYER = st.fixed_dictionaries(
    {"class": st.sampled_from(["Dense", "Activation", "Conv2D", 3])},
    optional={"units": JSON | st.integers(-5, 10**7), "activation": JSON | st.sampled_from(
              ["relu", "softmax", None]), "name": JSON, "kernel_initializer": JSON},
)  # fmt: skip


@FAST
@given(
    input_shape=JSON | st.lists(st.integers(-3, 10**7), max_size=3),
    dtype=JSON | st.sampled_from(["float64", "float32", "object"]),
    layers=st.lists(LAYER, max_size=3) | JSON,
    compile_=JSON,
    weights=JSON,
)
def test_any_architecture_loads_or_is_a_model_file_error(
    tmp_path, input_shape, dtype, layers, compile_, weights
):
    config = {"format": "backprop_book.Sequential", "format_version": 1,
              "input_shape": input_shape, "dtype": dtype, "layers": layers,
              "compile": compile_, "weights": weights}  # fmt: skip
    path = tmp_path / "m.npz"
    np.savez(path, architecture=np.array(json.dumps(config)))
    try:
        model = load_model(path)
    except ModelFileError as err:
        assert "load_model:" in str(err) and "m.npz" in str(err)
    else:  # a valid architecture with no weight entries: only possible with no Dense layer
        assert model.count_params() == 0


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_are_refused_as_a_model_file_error(tmp_path, data):
    path = tmp_path / "m.npz"
    path.write_bytes(data)
    with pytest.raises(ModelFileError, match="load_model"):
        load_model(path)


@FAST
@given(
    scores=st.lists(
        st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    t=st.lists(st.integers(-2, 4) | st.floats(-1, 4), max_size=4),
)
def test_accuracy_is_right_or_a_clear_error(scores, t):
    try:
        y = np.array(scores)
    except ValueError:  # ragged rows: not an array at all
        return
    try:
        value = accuracy(y, np.array(t))
    except (ValueError, TypeError) as err:
        assert str(err).startswith("accuracy:")
    else:
        assert 0.0 <= value <= 1.0
        classes = np.array(t).astype(int)
        assert value == float(np.mean(y.argmax(axis=-1) == classes))


@FAST
@given(
    st.integers(1, 3).flatmap(
        lambda c: st.tuples(
            st.lists(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64),
                              min_size=c, max_size=c), min_size=1, max_size=3),
            st.integers(0, c - 1),
        )
    )
)  # fmt: skip
def test_softmax_with_loss_is_never_nan(case):
    scores, label = case
    x, t = np.array(scores), np.full(len(scores), label)
    layer = SoftmaxWithLoss()
    try:
        loss = layer.forward(x, t)
    except ValueError as err:  # NaN or inf among the scores, and only then
        assert str(err).startswith("SoftmaxWithLoss: x contains NaN or inf")
        assert not np.isfinite(x).all()
        return
    # finite scores: a loss >= 0 that is inf only past the float range, a finite gradient
    assert not np.isnan(loss) and loss >= 0
    dx = layer.backward()
    assert np.isfinite(dx).all() and np.allclose(dx.sum(axis=-1), 0, atol=1e-12)


@FAST
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5))
def test_softmax_is_a_distribution_or_a_clear_error(x):
    try:
        y = softmax(np.array(x, dtype=float))
    except ValueError as err:
        assert str(err).startswith("softmax:")
    else:
        assert np.isclose(y.sum(), 1.0) and np.all(y >= 0)


@FAST
@given(st.lists(st.floats(allow_nan=True) | st.integers(-(10**30), 10**30), max_size=4),
       st.integers(1, 5))  # fmt: skip
def test_one_hot_is_right_or_names_the_label(t, classes):
    try:
        array = np.array(t)
    except OverflowError:
        return
    try:
        out = one_hot(array, classes)
    except (ValueError, TypeError) as err:
        assert str(err).startswith("one_hot:")
    else:
        assert out.shape == (len(t), classes) and np.all(out.sum(axis=1) == 1)


@FAST
@given(units=JSON, input_dim=JSON)
def test_dense_arguments_are_checked(units, input_dim):
    try:
        layer = Dense(units, input_dim=input_dim)
    except (ValueError, TypeError) as err:
        assert str(err).startswith("Dense")
    else:
        assert isinstance(layer.units, int) and layer.units >= 1
        assert layer.input_shape is None or all(isinstance(d, int) for d in layer.input_shape)
