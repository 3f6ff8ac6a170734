"""Save a trained model to one file and load it back: the "Training Center" → "App" of the notes.

The lecture notes (seed item S9) train a network once in a "Training Center" and ship it to an
"App" that only predicts. What has to travel is the architecture (which layers, how many units,
which activations) and the trained weights. Both go into one ``.npz`` file (a zip of ``.npy``
arrays, numpy's own format):

- ``architecture``: a JSON string with a format name and version, the layers, the loss and the
  names and shapes of the weight arrays;
- ``W1``, ``b1``, ``W2``, ``b2``, …: the weight arrays.

No pickle: ``np.savez`` is given only numeric arrays and one string, and :func:`load_model` reads
with ``allow_pickle=False``, so a file from a stranger can at worst be wrong, never run code
(unpickling runs whatever code the file names). A file is written to a temporary name first and
then renamed over the target (``os.replace``), so a crash never leaves half a model behind.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from typing import Any

import numpy as np

from backprop_book.models.dense import Activation, Dense
from backprop_book.models.sequential import Sequential
from backprop_book.training.optimizers import get_optimizer

FORMAT = "backprop_book.Sequential"
FORMAT_VERSION = 1
_OPTIMIZER_NAMES = ("sgd", "momentum", "adagrad", "adam")


class ModelFileError(ValueError):
    """A model file that cannot be loaded: corrupt, truncated, unsafe, or of another version."""


def model_config(model: Sequential) -> dict[str, Any]:
    """The architecture of ``model`` as plain data (what the file's JSON holds).

    Examples:
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)])
        >>> config = model_config(model)
        >>> config["format_version"], config["input_shape"], config["weights"]
        (1, [3], {'W1': [3, 2], 'b1': [2]})
    """
    if not model.built:
        raise ValueError("save_model: the model is not built yet (its input size is unknown)")
    assert model.input_shape is not None  # set when the model was built
    layers = []
    for layer in model.layers:
        entry = {"class": type(layer).__name__, "name": layer.name, "activation": layer.activation}
        if isinstance(layer, Dense):
            entry.update(units=layer.units, kernel_initializer=layer.kernel_initializer)
        layers.append(entry)
    opt = model.optimizer
    opt_name = type(opt).__name__.lower() if opt is not None else None
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "input_shape": list(model.input_shape),
        "dtype": model.dtype.name,
        "layers": layers,
        "compile": None
        if model.loss_name is None
        else {
            "loss": model.loss_name,
            "metrics": list(model.metrics),
            "optimizer": opt_name if opt_name in _OPTIMIZER_NAMES else None,
            "lr": float(opt.lr) if opt_name in _OPTIMIZER_NAMES else None,
        },
        "weights": {key: list(p.shape) for key, p in model.params.items()},
    }


# --8<-- [start:save_model]
def save_model(model: Sequential, path: str | os.PathLike[str]) -> None:
    """Write ``model`` to ``path``: one ``.npz`` with the JSON architecture and the weights.

    The optimizer's name and learning rate are kept, its running state (momentum, Adam's moments)
    is not: a loaded model predicts exactly, and training it again starts a fresh optimizer.

    Args:
        model: A built ``Sequential``.
        path: The file to write (replaced atomically if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> save_model(model, path)
        >>> sorted(np.load(path, allow_pickle=False).files)
        ['W1', 'architecture', 'b1']
    """
    path = os.fspath(path)
    arrays = {"architecture": np.array(json.dumps(model_config(model)))}  # a 0-d unicode array
    arrays.update(model.params)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save_model: cannot write {path}: no folder {folder}")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, allow_pickle=False, **arrays)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the usual permissions, not mkstemp's owner-only 0o600
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        os.unlink(tmp)
        raise


# --8<-- [end:save_model]


def _read(path: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The architecture string and the weight arrays, read without pickle."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except FileNotFoundError:
        raise FileNotFoundError(f"load_model: no model file at {path}") from None
    except (AttributeError, TypeError) as err:  # np.load gave one array: an .npy, not an .npz
        raise ModelFileError(f"load_model: {path} is a single .npy array, not a model") from err
    except ValueError as err:
        if "pickle" in str(err).lower():
            raise ModelFileError(
                f"load_model: refusing {path}: it holds pickled Python objects, which could run "
                "code when loaded; a model file holds only numbers and a JSON string"
            ) from err
        raise ModelFileError(f"load_model: {path} is not a valid model file ({err})") from err
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as err:
        raise ModelFileError(
            f"load_model: {path} is truncated or corrupt and cannot be read ({err})"
        ) from err
    if not isinstance(arrays, dict) or "architecture" not in arrays:
        raise ModelFileError(f"load_model: {path} has no 'architecture' entry: not a model file")
    return arrays.pop("architecture"), arrays


def _config(path: str, arch: np.ndarray) -> dict[str, Any]:
    if arch.ndim != 0 or arch.dtype.kind != "U":
        raise ModelFileError(f"load_model: {path}: 'architecture' must be a JSON string")
    try:
        config = json.loads(str(arch))
    except json.JSONDecodeError as err:
        raise ModelFileError(f"load_model: {path}: the architecture is not valid JSON") from err
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise ModelFileError(f"load_model: {path} is not a {FORMAT} file")
    version = config.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"load_model: {path} has format version {version!r}; this version of "
            f"backprop_book reads format version {FORMAT_VERSION}"
        )
    return config


# --8<-- [start:load_model]
def load_model(path: str | os.PathLike[str]) -> Sequential:
    """Read a model written by ``model.save(path)``: the same layers, the same weights.

    Args:
        path: The ``.npz`` file.

    Returns:
        The ``Sequential``, compiled again with its loss and metrics if it was compiled.

    Raises:
        FileNotFoundError: No such file.
        ModelFileError: (a ``ValueError``) a truncated or corrupt file, a pickle payload, another
            format version, or weights that do not fit the architecture.

    Examples:
        >>> import pathlib, tempfile
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> model.save(path)
        >>> x = np.ones((1, 3))
        >>> bool(np.array_equal(load_model(path).predict(x), model.predict(x)))
        True
    """
    path = os.fspath(path)
    arch, arrays = _read(path)
    config = _config(path, arch)
    try:
        layers = [
            Dense(e["units"], e["activation"], kernel_initializer=e["kernel_initializer"],
                  name=e["name"]) if e["class"] == "Dense"
            else Activation(e["activation"], name=e["name"])
            for e in config["layers"]
        ]  # fmt: skip
        model = Sequential(layers, dtype=config["dtype"])
        model.build(config["input_shape"])
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"load_model: {path}: the architecture is invalid ({err!r})") from err
    expected = {key: tuple(p.shape) for key, p in model.params.items()}
    found = {key: a.shape for key, a in arrays.items()}
    if expected != found or any(a.dtype.kind != "f" for a in arrays.values()):
        raise ModelFileError(
            f"load_model: {path}: the weight arrays {found} do not fit the architecture, "
            f"which needs float arrays {expected}"
        )
    model.set_weights([arrays[key] for key in expected])
    if config.get("compile"):
        c = config["compile"]
        opt = get_optimizer(c["optimizer"], lr=c["lr"]) if c["optimizer"] else "sgd"
        model.compile(opt, c["loss"], c["metrics"])
    return model


# --8<-- [end:load_model]

__all__ = ["FORMAT_VERSION", "ModelFileError", "load_model", "model_config", "save_model"]
