"""save / load_model: exact round trip, one file, no pickle, clear errors for bad files."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

from backprop_book import (
    Activation,
    Adam,
    Dense,
    ModelFileError,
    Sequential,
    load_model,
    save_model,
)


def trained_model() -> Sequential:
    model = Sequential(
        [Dense(6, activation="sigmoid", input_dim=4), Dense(3), Activation("softmax")], seed=0
    )
    model.compile(Adam(lr=0.01), "sparse_categorical_crossentropy", ["accuracy"])
    rng = np.random.default_rng(1)
    model.fit(rng.standard_normal((30, 4)), rng.integers(0, 3, 30), epochs=3, verbose=0)
    return model


def rewrite(path, **changes) -> None:
    """Write the arrays of ``path`` back with some entries changed (allowing pickle on purpose)."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays.update(changes)
    np.savez(path, **arrays)


def test_save_load_predict_round_trips_exactly(tmp_path):
    model = trained_model()
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = load_model(path)
    x = np.random.default_rng(5).standard_normal((10, 4))
    assert np.array_equal(loaded.predict(x), model.predict(x))  # bit for bit
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert [lay.name for lay in loaded.layers] == ["dense_1", "dense_2", "activation_1"]
    assert loaded.loss_name == "sparse_categorical_crossentropy"
    assert loaded.metrics == ["accuracy"]
    assert type(loaded.optimizer).__name__ == "Adam" and loaded.optimizer.lr == 0.01
    y = np.arange(10) % 3
    assert loaded.evaluate(x, y) == model.evaluate(x, y)


def test_the_file_is_one_npz_of_json_and_numbers(tmp_path):
    path = tmp_path / "m.npz"
    save_model(trained_model(), path)
    assert os.listdir(tmp_path) == ["m.npz"]  # no temporary file left behind
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["W1.npy", "W2.npy", "architecture.npy", "b1.npy", "b2.npy"]
    with np.load(path, allow_pickle=False) as npz:
        config = json.loads(str(npz["architecture"]))
        assert all(npz[k].dtype.kind in "fU" for k in npz.files)
    assert config["format"] == "backprop_book.Sequential" and config["format_version"] == 1
    assert config["weights"] == {"W1": [4, 6], "b1": [6], "W2": [6, 3], "b2": [3]}
    assert [layer["class"] for layer in config["layers"]] == ["Dense", "Dense", "Activation"]


def test_saving_replaces_atomically_and_a_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "m.npz"
    trained_model().save(path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="not built"):
        Sequential([Dense(2)]).save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.npz"]
    with pytest.raises(FileNotFoundError, match="no folder"):
        trained_model().save(tmp_path / "missing" / "m.npz")
    other = Sequential([Dense(2, activation="softmax", input_dim=4)], seed=9)
    other.save(path)
    assert load_model(path).count_params() == 10 and os.listdir(tmp_path) == ["m.npz"]


class Boom:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_a_pickle_payload_is_refused_and_never_runs(tmp_path):
    path, marker = tmp_path / "evil.npz", tmp_path / "code-ran"
    trained_model().save(path)
    rewrite(path, W1=np.array([Boom(str(marker))], dtype=object))
    with pytest.raises(ModelFileError, match=r"refusing .*evil\.npz.*pickled Python objects"):
        load_model(path)
    assert not marker.exists()
    # the same file does run code when loaded with pickle allowed: the check above matters
    np.load(path, allow_pickle=True)["W1"]
    assert marker.exists()


def test_truncated_file(tmp_path):
    path = tmp_path / "cut.npz"
    trained_model().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match=r"cut\.npz is truncated or corrupt"):
        load_model(path)


def test_corrupt_bytes_and_other_files(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ModelFileError, match=r"noise\.npz"):
        load_model(path)
    npy = tmp_path / "w.npy"
    np.save(npy, np.zeros(3))
    with pytest.raises(ModelFileError, match=r"w\.npy is a single \.npy array"):
        load_model(npy)
    plain = tmp_path / "plain.npz"
    np.savez(plain, W1=np.zeros(3))
    with pytest.raises(ModelFileError, match="no 'architecture' entry"):
        load_model(plain)
    with pytest.raises(FileNotFoundError, match="no model file at"):
        load_model(tmp_path / "missing.npz")


def test_flipped_byte_in_a_weight_is_caught_by_the_zip_checksum(tmp_path):
    path = tmp_path / "flip.npz"
    trained_model().save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("W1.npy")
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF  # inside W1's data
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"flip\.npz is truncated or corrupt"):
        load_model(path)


def test_wrong_version_and_bad_architecture(tmp_path):
    path = tmp_path / "m.npz"
    trained_model().save(path)
    with np.load(path, allow_pickle=False) as npz:
        config = json.loads(str(npz["architecture"]))
    rewrite(path, architecture=np.array(json.dumps({**config, "format_version": 2})))
    with pytest.raises(ModelFileError, match=r"format version 2; this version .* reads format"):
        load_model(path)
    rewrite(path, architecture=np.array("{not json"))
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(path)
    bad_layer = {**config, "layers": [{"class": "Dense", "name": "d", "units": -1}]}
    rewrite(path, architecture=np.array(json.dumps(bad_layer)))
    with pytest.raises(ModelFileError, match=r"layers\[0\]\.units must be an integer from 1 to"):
        load_model(path)


def test_weights_that_do_not_fit_the_architecture(tmp_path):
    path = tmp_path / "m.npz"
    trained_model().save(path)
    rewrite(path, W1=np.zeros((5, 6)))
    with pytest.raises(ModelFileError, match=r"'W1': \(5, 6\).*needs float arrays.*'W1': \(4, 6\)"):
        load_model(path)
    trained_model().save(path)
    rewrite(path, b2=np.zeros(3, dtype=np.int64))
    with pytest.raises(ModelFileError, match="do not fit"):
        load_model(path)


# tests/models/data/format1.npz was written by backprop_book before get_config()/from_config()
# existed (format version 1, commit 677c725): Dense(3, he_normal, input_dim=2), Activation("relu"),
# Dense(2, softmax), seed=7, compiled with SGD(lr=0.5), sparse_categorical_crossentropy, ["acc"],
# trained 3 epochs so the biases are not zero. Every later version must still load it.
FORMAT1 = os.path.join(os.path.dirname(__file__), "data", "format1.npz")
FORMAT1_X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
FORMAT1_PREDICTIONS = np.array(
    [
        [0.1435332619820563, 0.8564667380179437],
        [0.5307591530885396, 0.4692408469114604],
        [0.518816000809298, 0.48118399919070187],
    ]
)


def test_a_format1_file_saved_before_get_config_still_loads():
    model = load_model(FORMAT1)
    # Printed with 17 digits when the file was written; a (3, 2) @ (2, 3) product and a softmax
    # on another BLAS kernel may differ in the last bits, so compare to 1e-12 (values near 1).
    assert np.allclose(model.predict(FORMAT1_X), FORMAT1_PREDICTIONS, rtol=0, atol=1e-12)
    assert [lay.name for lay in model.layers] == ["dense_1", "activation_1", "dense_2"]
    assert [type(lay).__name__ for lay in model.layers] == ["Dense", "Activation", "Dense"]
    assert model.layers[0].kernel_initializer == "he_normal"
    assert model.loss_name == "sparse_categorical_crossentropy" and model.metrics == ["acc"]
    assert type(model.optimizer).__name__ == "SGD" and model.optimizer.lr == 0.5
