"""Model files written by an attacker: each is refused with a ModelFileError naming the field,
before any weight is allocated or any member decompressed beyond its declared size."""

from __future__ import annotations

import io
import json
import time
import zipfile

import numpy as np
import pytest

from backprop_book import Dense, ModelFileError, Momentum, Sequential, load_model
from backprop_book.models.untrusted import MAX_PARAMS


def saved(tmp_path, name="m.npz") -> tuple[object, dict]:
    path = tmp_path / name
    model = Sequential([Dense(3, activation="relu", input_dim=2), Dense(2, activation="softmax")])
    model.compile(Momentum(lr=0.1, momentum=0.5), "sparse_categorical_crossentropy", ["acc"])
    model.save(path)
    with np.load(path, allow_pickle=False) as npz:
        return path, json.loads(str(npz["architecture"]))


def write_npz(path, architecture: str, **arrays) -> None:
    np.savez(path, architecture=np.array(architecture), **arrays)


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_hyperparameters_round_trip_exactly(tmp_path):
    path, _ = saved(tmp_path)
    model = load_model(path)
    assert type(model.optimizer) is Momentum
    assert model.optimizer.momentum == 0.5 and model.optimizer.lr == 0.1


def test_an_unknown_layer_class_is_refused(tmp_path):
    path, config = saved(tmp_path)
    config["layers"][1]["class"] = "Conv3D"
    write_npz(path, json.dumps(config))
    with pytest.raises(ModelFileError, match=r"layers\[1\]\.class must be one of Dense"):
        load_model(path)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"input_shape": [-2]}, r"input_shape\[0\]"),
        ({"input_shape": [2.5]}, r"input_shape\[0\]"),
        ({"input_shape": "2"}, "input_shape must be a list"),
        ({"dtype": "object"}, "dtype must be one of"),
        ({"layers": []}, "layers must be a list"),
        ({"layers": "Dense"}, "layers must be a list"),
        ({"compile": {"loss": "mse"}}, r"compile\.loss"),
        (
            {"compile": {"loss": "sparse_categorical_crossentropy", "metrics": "acc"}},
            r"compile\.metrics",
        ),
        (
            {"compile": {"loss": "sparse_categorical_crossentropy", "optimizer": "sgd", "lr": -1}},
            "invalid optimizer settings",
        ),
        (
            {
                "compile": {
                    "loss": "sparse_categorical_crossentropy",
                    "optimizer": "momentum",
                    "lr": 0.1,
                    "optimizer_config": {"momentum": 2},
                }
            },
            "invalid optimizer settings",
        ),
        (
            {
                "compile": {
                    "loss": "sparse_categorical_crossentropy",
                    "optimizer": "sgd",
                    "lr": 0.1,
                    "optimizer_config": {"evil": 1},
                }
            },
            "invalid optimizer settings",
        ),
        ({"compile": 3}, "compile must be a JSON object"),
        ({"weights": {"W1": [2, 3]}}, "weights does not list the shapes"),
        ({"extra": 1}, r"unknown keys \['extra'\]"),
    ],
)
def test_every_bad_field_is_named(tmp_path, change, field):
    path, config = saved(tmp_path)
    config.update(change)
    with np.load(path, allow_pickle=False) as npz:
        weights = {k: npz[k] for k in npz.files if k != "architecture"}
    write_npz(path, json.dumps(config), **weights)
    with pytest.raises(ModelFileError, match=field):
        load_model(path)


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ({"class": "Dense", "units": 2.7}, r"units must be an integer"),
        ({"class": "Dense", "units": "4"}, r"units must be an integer"),
        ({"class": "Dense", "units": True}, r"units must be an integer"),
        ({"class": "Dense", "units": 10**9}, r"units must be an integer from 1 to"),
        ({"class": "Dense"}, r"layers\[1\] lacks \['units'\]"),
        ({"class": "Dense", "units": 2, "activation": "tanh"}, r"activation must be one of"),
        ({"class": "Dense", "units": 2, "kernel_initializer": "evil"}, "kernel_initializer"),
        ({"class": "Activation", "activation": "relu", "name": "dense_1"}, "names two layers"),
        ({"class": "Activation", "activation": "relu", "name": 5}, r"name must be a string"),
        ({"class": "Activation", "activation": "relu", "units": 3}, "unknown keys"),
        ("Dense", r"layers\[1\] must be a JSON object"),
    ],
)
def test_every_bad_layer_field_is_named(tmp_path, layer, field):
    path, config = saved(tmp_path)
    config["layers"][1] = layer
    write_npz(path, json.dumps(config))
    with pytest.raises(ModelFileError, match=field):
        load_model(path)


def test_a_huge_declared_model_is_refused_before_anything_is_allocated(tmp_path):
    path, config = saved(tmp_path)
    config["input_shape"] = [8000]
    config["layers"][0]["units"] = 8000
    config["weights"] = {"W1": [8000, 8000], "b1": [8000], "W2": [8000, 2], "b2": [2]}
    write_npz(path, json.dumps(config))  # 2 KB on disk, 512 MB as float64
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"more than max_params=10000000.*max_params=64"):
        load_model(path)
    assert time.perf_counter() - start < 1.0  # nothing allocated: the JSON alone decides
    assert MAX_PARAMS == 10_000_000


def test_max_params_can_be_lowered_and_is_checked(tmp_path):
    path, _ = saved(tmp_path)
    assert load_model(path, max_params=17).count_params() == 17  # (2*3+3) + (3*2+2)
    with pytest.raises(ModelFileError, match="max_params=16"):
        load_model(path, max_params=16)
    with pytest.raises(ValueError, match="load_model: max_params must be a positive integer"):
        load_model(path, max_params=0)


def test_deep_json_is_a_model_file_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.npz"
    write_npz(path, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ModelFileError, match=r"deep\.npz"):
        load_model(path)


def test_huge_integer_in_json_is_a_model_file_error(tmp_path):
    path = tmp_path / "digits.npz"
    write_npz(path, '{"format": ' + "9" * 10_000 + "}")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(path)


def test_a_compressed_bomb_member_is_refused_from_its_header(tmp_path):
    path, _ = saved(tmp_path)
    bomb = npy_bytes(np.zeros(3, dtype=np.float64)) + bytes(50_000_000)  # 3 floats + 50 MB
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key, array in arrays.items():
            zf.writestr(f"{key}.npy", bomb if key == "b1" else npy_bytes(array))
    assert path.stat().st_size < 200_000
    with pytest.raises(ModelFileError, match=r"b1 declares shape \(3,\) but its entry has"):
        load_model(path)


def test_unknown_members_and_non_zip_files(tmp_path):
    path, _ = saved(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("evil.py", b"print('hi')")
    with pytest.raises(ModelFileError, match="entries a model file never holds"):
        load_model(path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ModelFileError, match=r"notes\.txt is not a model file"):
        load_model(text)
    with pytest.raises(ModelFileError, match="is a folder"):
        load_model(tmp_path)


def test_the_architecture_must_be_a_bounded_string(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, architecture=np.zeros(3))
    with pytest.raises(ModelFileError, match="'architecture' must be a JSON string"):
        load_model(path)


def test_a_missing_weight_member_is_named(tmp_path):
    path, config = saved(tmp_path)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files if k not in ("architecture", "b2")}
    write_npz(path, json.dumps(config), **arrays)
    with pytest.raises(ModelFileError, match="do not fit the architecture"):
        load_model(path)
