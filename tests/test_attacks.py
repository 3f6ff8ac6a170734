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
from backprop_book.models import BatchNormalization, Conv2D, Flatten, MaxPooling2D, Sequential
from backprop_book.models import Dropout as DropoutBlock
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


# ---- the Keras-style image blocks: hostile arguments, architectures and inputs ----------------

ODD_SIZES = st.sampled_from([True, "3", (3,), (2, 2, 2)])
SIZE = (JSON | st.integers(-3, 12) | st.floats(allow_nan=True, allow_infinity=True)
        | st.tuples(st.integers(-1, 12), st.integers(-1, 12)) | ODD_SIZES)  # fmt: skip
BLOCK_NAMES = ("Conv2D", "MaxPooling2D", "Flatten", "BatchNormalization", "Dropout", "Dense")


def clear(err: Exception, *where: str) -> bool:
    """The package's message: it starts by naming the class or the call that refused."""
    return isinstance(err, (ValueError, TypeError)) and str(err).startswith(where)


@FAST
@given(filters=SIZE, kernel_size=SIZE, strides=SIZE,
       padding=JSON | st.sampled_from(["valid", "same", "VALID", "full", ""]))  # fmt: skip
def test_conv2d_arguments_are_checked(filters, kernel_size, strides, padding):
    try:
        block = Conv2D(filters, kernel_size, strides=strides, padding=padding)
    except Exception as err:
        assert clear(err, "Conv2D"), repr(err)
    else:
        assert isinstance(block.filters, int) and block.filters >= 1
        assert all(isinstance(k, int) and k >= 1 for k in block.kernel_size)
        assert block.padding in ("valid", "same")


@FAST
@given(pool_size=SIZE, strides=SIZE | st.none())
def test_max_pooling_arguments_are_checked(pool_size, strides):
    try:
        block = MaxPooling2D(pool_size, strides=strides)
    except Exception as err:
        assert clear(err, "MaxPooling2D"), repr(err)
    else:
        assert all(isinstance(k, int) and k >= 1 for k in block.pool_size)


@FAST
@given(rate=JSON | st.floats(allow_nan=True, allow_infinity=True), momentum=JSON | st.floats(),
       epsilon=JSON | st.floats(allow_nan=True, allow_infinity=True))  # fmt: skip
def test_dropout_and_batch_normalization_arguments_are_checked(rate, momentum, epsilon):
    try:
        dropout = DropoutBlock(rate)
    except Exception as err:
        assert clear(err, "Dropout"), repr(err)
    else:
        assert 0 <= dropout.rate < 1
    try:
        norm = BatchNormalization(momentum=momentum, epsilon=epsilon)
    except Exception as err:
        assert clear(err, "BatchNormalization"), repr(err)
    else:
        assert 0 <= norm.momentum < 1 and 0 < norm.epsilon < float("inf")


def block_of(kind: str, size: int):
    return {"Conv2D": lambda: Conv2D(2, size), "MaxPooling2D": lambda: MaxPooling2D(size),
            "Flatten": Flatten, "BatchNormalization": BatchNormalization,
            "Dropout": lambda: DropoutBlock(0.5, seed=0),
            "Dense": lambda: Dense(size)}[kind]()  # fmt: skip


@FAST
@given(
    input_shape=st.lists(st.integers(1, 9), min_size=1, max_size=4),
    blocks=st.lists(
        st.tuples(st.sampled_from(BLOCK_NAMES), st.integers(1, 12)), min_size=1, max_size=4
    ),
)
def test_any_stack_of_blocks_builds_or_names_the_block(input_shape, blocks):
    layers = [block_of(kind, size) for kind, size in blocks]
    try:
        model = Sequential(layers, seed=0)
        model.build(input_shape)
    except Exception as err:  # a window bigger than the image, images after Flatten, ...
        assert clear(err, *BLOCK_NAMES, "Sequential"), repr(err)
        return
    out = model.predict(np.zeros((2, *input_shape)))
    assert out.shape[0] == 2 and np.isfinite(out).all()


def small_cnn():
    model = Sequential([Conv2D(2, 3, input_shape=(6, 6, 1)), BatchNormalization(),
                        MaxPooling2D(2), Flatten(), DropoutBlock(0.5, seed=0),
                        Dense(3, activation="softmax")], seed=0)  # fmt: skip
    model.compile("adam", "sparse_categorical_crossentropy", ["acc"])
    return model


def everything(model):
    """Copies of every weight (running averages too), Adam's state and Dropout's generator."""
    return model.get_weights(), model.optimizer.state(), model.layers[4].state()


def same(a, b) -> bool:
    """Exactly equal copies (nothing recomputed); NaN equals NaN only where both are NaN."""
    if isinstance(a, dict):
        return sorted(a) == sorted(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(u, v) for u, v in zip(a, b, strict=True))
    floats = isinstance(a, np.ndarray) and a.dtype.kind == "f"
    return bool(np.array_equal(a, b, equal_nan=floats))  # the generator's state: ints, text


HOSTILE_VALUE = st.sampled_from([0.0, 1.0, -3.5, 1e300, np.nan, np.inf, -np.inf])


@FAST
@given(
    shape=st.sampled_from([(2, 6, 6, 1), (2, 1, 6, 6), (2, 6, 6), (2, 36), (2, 6, 6, 3),
                           (2, 3, 3, 1), (1, 6, 6, 1, 1), (6, 6, 1)]),
    fill=HOSTILE_VALUE, spot=HOSTILE_VALUE,
    call=st.sampled_from(["fit", "evaluate", "predict"]),
)  # fmt: skip
def test_hostile_images_are_refused_and_leave_the_model_unchanged(shape, fill, spot, call):
    model = small_cnn()
    before = everything(model)
    x = np.full(shape, fill)
    x.flat[0] = spot  # one odd value among the others
    y = np.arange(shape[0]) % 3
    run = {
        "fit": lambda: model.fit(x, y, epochs=1, batch_size=8, verbose=0),
        "evaluate": lambda: model.evaluate(x, y),
        "predict": lambda: model.predict(x),
    }[call]
    with np.errstate(all="ignore"):
        try:
            result = run()
        except FloatingPointError as err:  # fit on NaN or overflowing inputs: one step, undone
            # (also a finite loss whose running variance overflowed: inputs near 1e300)
            assert str(err).startswith("Sequential.fit: the loss became")
            assert same(everything(model), before)
            return
        except ValueError as err:  # a wrong shape, or NaN scores met by the softmax
            assert clear(err, "Sequential.", "softmax:", "accuracy:"), repr(err)
            assert same(everything(model), before)
            return
    assert shape == (2, 6, 6, 1)  # every other shape is refused
    assert np.isfinite(x).all() or call != "fit"  # NaN or inf cannot train
    assert all(np.isfinite(w).all() for w in model.get_weights())
    if call == "predict":
        assert result.shape == (2, 3)


def test_an_empty_batch_of_images_gives_an_empty_prediction_or_a_clear_error():
    model = small_cnn()
    try:
        out = model.predict(np.zeros((0, 6, 6, 1)))
    except ValueError as err:
        assert clear(err, "Sequential.predict"), repr(err)
    else:
        assert out.shape == (0, 3)
