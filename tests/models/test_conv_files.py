"""Model files with Conv2D, MaxPooling2D, Flatten, BatchNormalization and Dropout: a round trip
predicts identically, and a hostile file is refused, naming the field, before any allocation."""

from __future__ import annotations

import json
import time
import tracemalloc

import numpy as np
import pytest

from backprop_book import ModelFileError, load_model
from backprop_book.models import (
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPooling2D,
    Sequential,
)
from backprop_book.models.file_layers import MAX_SIZE


def trained_cnn() -> tuple[Sequential, np.ndarray]:
    model = Sequential(
        [
            Conv2D(4, 3, padding="same", activation="relu", input_shape=(6, 6, 2)),
            BatchNormalization(momentum=0.9),
            MaxPooling2D(2),
            Flatten(),
            Dropout(0.25, seed=3),
            Dense(3, activation="softmax"),
        ],
        seed=0,
    )
    model.compile("adam", "sparse_categorical_crossentropy", ["acc"])
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((20, 6, 6, 2)), np.arange(20) % 3
    model.fit(x, t, epochs=2, batch_size=10, verbose=0)  # running averages away from 0 and 1
    return model, x


def test_a_saved_cnn_loads_with_its_weights_and_running_averages(tmp_path):
    model, x = trained_cnn()
    path = tmp_path / "cnn.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as npz:
        names = sorted(npz.files)
    assert names == sorted(["architecture", "W1", "b1", "gamma1", "beta1", "running_mean1",
                            "running_var1", "W2", "b2"])  # fmt: skip
    twin = load_model(path)
    assert twin.get_config() == model.get_config()
    assert twin.get_compile_config() == model.get_compile_config()
    theirs, ours = twin.named_weights(), model.named_weights()
    assert list(theirs) == list(ours)
    for key in ours:
        assert np.array_equal(theirs[key], ours[key]), key  # stored and read back exactly
    assert not np.allclose(ours["running_mean1"], 0)  # the averages did move, and travelled
    # the same numbers through the same operations: equal up to rounding order at most
    assert np.allclose(twin.predict(x), model.predict(x), rtol=1e-12, atol=1e-15)
    assert [type(layer).__name__ for layer in twin.layers] == [
        "Conv2D", "BatchNormalization", "MaxPooling2D", "Flatten", "Dropout", "Dense"
    ]  # fmt: skip


def cnn_file(tmp_path, change_layer=None, *more, input_shape=None, name="m.npz"):
    """A saved small CNN whose architecture JSON is then changed as an attacker would."""
    model = Sequential([Conv2D(2, 3, input_shape=(5, 5, 1)), BatchNormalization(),
                        MaxPooling2D(3), Flatten(), Dropout(0.5, seed=1),
                        Dense(2, activation="softmax")], seed=0)  # fmt: skip
    path = tmp_path / name
    model.save(path)
    with np.load(path, allow_pickle=False) as npz:
        config = json.loads(str(npz["architecture"]))
        arrays = {key: npz[key] for key in npz.files if key != "architecture"}
    for index, changes in [] if change_layer is None else [change_layer, *more]:
        config["layers"][index].update(changes)
    if input_shape is not None:
        config["input_shape"] = input_shape
    np.savez(path, architecture=np.array(json.dumps(config)), **arrays)
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ((0, {"filters": 0}), r"layers\[0\]\.filters must be an integer from 1 to"),
        ((0, {"filters": 2.0}), r"layers\[0\]\.filters must be an integer"),
        ((0, {"kernel_size": [0, 3]}), r"layers\[0\]\.kernel_size\[0\] must be an integer"),
        ((0, {"kernel_size": 3}), r"layers\[0\]\.kernel_size must be a list of 2 sizes"),
        ((0, {"kernel_size": [3, MAX_SIZE + 1]}), r"layers\[0\]\.kernel_size\[1\]"),
        ((0, {"strides": True}), r"layers\[0\]\.strides must be an integer"),
        ((0, {"padding": "full"}), r"layers\[0\]\.padding must be one of valid, same"),
        ((0, {"activation": "softmax"}), r"layers\[0\]\.activation must be one of"),
        ((0, {"kernel_size": [9, 9]}), r"layers\[0\]\.class Conv2D does not fit its inputs"),
        ((0, {"bias": 1}), r"layers\[0\] has unknown keys \['bias'\]"),
        ((1, {"momentum": 1.0}), r"layers\[1\]\.momentum must be a number from 0 to below 1"),
        ((1, {"epsilon": -1}), r"layers\[1\]\.epsilon must be a positive finite number"),
        ((2, {"pool_size": [2, 2, 2]}), r"layers\[2\]\.pool_size must be a list of 2 sizes"),
        ((2, {"pool_size": [2, 3], "strides": None}), r"layers\[2\]\.strides must be given"),
        ((3, {"units": 4}), r"layers\[3\] has unknown keys \['units'\]"),
        ((4, {"rate": 1.5}), r"layers\[4\]\.rate must be a number from 0 to below 1"),
        ((4, {"seed": -1}), r"layers\[4\]\.seed must be null or an integer"),
        ((4, {"seed": 2**64}), r"layers\[4\]\.seed must be null or an integer"),
    ],
)
def test_a_malformed_field_is_refused_naming_it(tmp_path, change, field):
    path = cnn_file(tmp_path, change_layer=change)
    with pytest.raises(ModelFileError, match=f"load_model: {path}: {field}"):
        load_model(path)


def test_a_conv2d_on_inputs_that_are_not_images_is_refused(tmp_path):
    path = cnn_file(tmp_path, input_shape=[25])
    with pytest.raises(ModelFileError, match=r"layers\[0\]\.class Conv2D does not fit its inputs"):
        load_model(path)


def refused_quickly(path, match):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ModelFileError, match=match):
            load_model(path)
        elapsed, (_, peak) = time.perf_counter() - start, tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return elapsed, peak


def test_a_huge_conv2d_is_refused_before_allocating(tmp_path):
    # 2^20 filters of 500 × 500 × 3: 7.9·10^11 weights (6 TB in float64), each size in bounds
    huge = {"filters": MAX_SIZE, "kernel_size": [500, 500]}
    pool = {"pool_size": [1, 1], "strides": 1}  # so that the rest of the model fits its inputs
    path = cnn_file(tmp_path, (0, huge), (2, pool), input_shape=[500, 500, 3])
    elapsed, peak = refused_quickly(path, r"layers hold \d+ weights, more than max_params")
    assert peak < 20 * 2**20  # the JSON and the headers only: nowhere near one filter bank
    assert elapsed < 5  # no weight drawn, nothing decompressed


def test_an_output_bigger_than_the_limit_is_refused(tmp_path):
    # few weights ((1·1·1 + 1)·2^20 = 2·2^20), but 32·32·2^20 numbers for every sample
    wide = {"filters": MAX_SIZE, "kernel_size": [1, 1]}
    path = cnn_file(tmp_path, (0, wide), input_shape=[32, 32, 1])
    _, peak = refused_quickly(path, r"the product of layers\[0\]'s output shape")
    assert peak < 20 * 2**20
