"""The model file: one ``.npz`` holding a model's architecture (JSON) and its weights.

The lecture notes train a network once in a "Training Center" and ship it to an
"App" that only predicts. What has to travel is the architecture (which layers, how many units,
which activations) and the trained weights. Both go into one ``.npz`` file (a zip of ``.npy``
arrays, numpy's own format):

- ``architecture``: a JSON string with a format name and version, the layers, the loss and the
  names and shapes of the weight arrays;
- ``W1``, ``b1``, ``W2``, ``b2``, … (``Conv2D`` and ``Dense``), ``gamma1``, ``beta1``,
  ``running_mean1``, ``running_var1``, … (``BatchNormalization``): the weight arrays.

This module only writes and reads that file; the model's own ``get_config()`` and
``from_config()`` (in :mod:`backprop_book.models.sequential`, with ``save_model`` and
``load_model``) say what the architecture is. No pickle: ``np.savez`` is given only numeric
arrays and one string, and the reader uses ``allow_pickle=False``, so a file from a stranger can
at worst be wrong, never run code (unpickling runs whatever code the file names). A file is
written to a temporary name first and then renamed over the target (``os.replace``), so a crash
or a full disk never leaves half a model behind: the old file survives any failure (a save
killed outright leaves only a hidden temporary file, which the next save removes; see
`backprop_book.models.replacing`). Saving never destroys: only a regular file is replaced
(never a folder, a device, a socket), with its permissions kept, not a read-only one, and not
at all with ``overwrite=False``; a symlink is written through (its target is replaced, the link
stays). Reading is the other half (`backprop_book.models.untrusted`): a stranger's file can at
worst be refused.

Format version 1 (the only one so far) stores each layer as one flat entry,
``{"class": "Dense", "name": …, "activation": …, "units": …, "kernel_initializer": …}``, and the
compile settings as ``{"loss", "metrics", "optimizer", "lr"}``.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from backprop_book.models.replacing import target_of, temporary_beside
from backprop_book.models.untrusted import (
    ARRAYS_PER_LAYER,
    MAX_JSON_CHARS,
    MAX_LAYERS,
    MAX_PARAMS,
    WEIGHT,
    ModelFileError,
    check_architecture,
    check_members,
    member_header,
    read_text,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelFileError",
    "read_model_file",
    "target_of",
    "write_model_file",
]

FORMAT = "backprop_book.Sequential"
FORMAT_VERSION = 1


def architecture_json(
    config: Mapping[str, Any],
    compile_config: Mapping[str, Any] | None,
    weights: Mapping[str, np.ndarray],
) -> str:
    """The JSON text of a model file (format version 1) for a model's configuration.

    Args:
        config: ``Sequential.get_config()``: ``input_shape``, ``dtype`` and ``layers``, each
            ``{"class_name": …, "config": {…}}``.
        compile_config: ``Sequential.get_compile_config()``, or None when not compiled.
        weights: The weight arrays by name (only their shapes go into the JSON).

    Examples:
        >>> layer = {"class_name": "Activation", "config": {"name": "a", "activation": "relu"}}
        >>> text = architecture_json({"input_shape": [3], "dtype": "float64", "layers": [layer]},
        ...                          None, {})
        >>> json.loads(text)["layers"]
        [{'class': 'Activation', 'name': 'a', 'activation': 'relu'}]
    """
    return json.dumps({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "input_shape": list(config["input_shape"]),
        "dtype": config["dtype"],
        "layers": [{"class": layer["class_name"], **layer["config"]} for layer in config["layers"]],
        "compile": None if compile_config is None else dict(compile_config),
        "weights": {key: list(w.shape) for key, w in weights.items()},
    })  # fmt: skip


# --8<-- [start:write_model_file]
def write_model_file(
    path: str | os.PathLike[str],
    config: Mapping[str, Any],
    compile_config: Mapping[str, Any] | None,
    weights: Mapping[str, np.ndarray],
    overwrite: bool = True,
) -> None:
    """Write one ``.npz``: the architecture as JSON text and the weight arrays, no pickle.

    Args:
        path: The file to write: a new file, or an existing regular file replaced atomically,
            keeping its permissions (through a symlink: the link's target; see `target_of`).
        config: The model's ``get_config()``.
        compile_config: The model's ``get_compile_config()`` (None when not compiled).
        weights: ``{"W1": …, "b1": …, …}``.
        overwrite: Replace an existing file (Keras' default); False refuses it.

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> config = {"input_shape": [3], "dtype": "float64", "layers": []}
        >>> write_model_file(path, config, None, {"W1": np.zeros((3, 2))})
        >>> sorted(np.load(path, allow_pickle=False).files)
        ['W1', 'architecture']
    """
    path = os.fspath(path)
    text = architecture_json(config, compile_config, weights)
    arrays = {"architecture": np.array(text), **weights}  # a 0-d unicode array, then numbers
    target, mode = target_of(path, overwrite)  # a regular file, or none yet
    fd, tmp = temporary_beside(target)  # a fresh name; a killed save's leftovers are removed
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, allow_pickle=False, **arrays)
        if mode is None:  # a new file: the usual permissions, not mkstemp's owner-only 0o600
            umask = os.umask(0o022)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)  # an existing file keeps its own
        os.replace(tmp, target)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        os.unlink(tmp)
        raise


# --8<-- [end:write_model_file]


def open_model_zip(path: str) -> zipfile.ZipFile:
    """``path`` opened as a zip whose members are ``architecture.npy`` and weights only.

    Examples:
        >>> open_model_zip("no/such/model.npz")
        Traceback (most recent call last):
        ...
        FileNotFoundError: load_model: no model file at no/such/model.npz
    """
    try:
        with open(path, "rb") as f:
            head = f.read(6)
        zf = zipfile.ZipFile(path) if head.startswith(b"PK") else None
    except FileNotFoundError:
        raise FileNotFoundError(f"load_model: no model file at {path}") from None
    except IsADirectoryError:
        raise ModelFileError(f"load_model: {path} is a folder, not a model file") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise ModelFileError(
            f"load_model: {path} is truncated or corrupt and cannot be read ({err})"
        ) from None
    if head == b"\x93NUMPY":
        raise ModelFileError(f"load_model: {path} is a single .npy array, not a model")
    if zf is None:
        raise ModelFileError(f"load_model: {path} is not a model file (not a .npz zip archive)")
    names = zf.namelist()
    keys = [n.removesuffix(".npy") for n in names]
    bad = [n for n in names if not n.endswith(".npy") or not WEIGHT.fullmatch(n[:-4])]
    bad = [n for n in bad if n != "architecture.npy"]
    if bad or len(set(names)) != len(names) or len(names) > ARRAYS_PER_LAYER * MAX_LAYERS + 1:
        zf.close()
        raise ModelFileError(
            f"load_model: {path} has entries a model file never holds: "
            f"{bad[:5] or names[:5]!r:.200}"
        )
    if "architecture" not in keys:
        zf.close()
        raise ModelFileError(f"load_model: {path} has no 'architecture' entry: not a model file")
    return zf


def read_member(zf: zipfile.ZipFile, path: str, name: str) -> np.ndarray:
    """One member's array, after its header was checked (``member_header``): no pickle."""
    try:
        with zf.open(f"{name}.npy") as f:
            return np.lib.format.read_array(f, allow_pickle=False)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise ModelFileError(
            f"load_model: {path} is truncated or corrupt and cannot be read ({err})"
        ) from None


def read_architecture(path: str, zf: zipfile.ZipFile) -> Any:
    """The JSON of a model file, checked for its format name and version.

    Examples:
        >>> import io
        >>> buffer = io.BytesIO()
        >>> np.savez(buffer, architecture=np.array('{"format": "backprop_book.Sequential", '
        ...                                         '"format_version": 1}'))
        >>> read_architecture("m.npz", zipfile.ZipFile(buffer))["format_version"]
        1
    """
    shape, dtype = member_header(zf, path, "architecture")
    if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * MAX_JSON_CHARS:
        raise ModelFileError(
            f"load_model: {path}: 'architecture' must be a JSON string of at most "
            f"{MAX_JSON_CHARS} characters"
        )
    config = read_text(path, str(read_member(zf, path, "architecture")))
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise ModelFileError(f"load_model: {path} is not a {FORMAT} file")
    version = config.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"load_model: {path} has format version {version!r:.40}; this version of "
            f"backprop_book reads format version {FORMAT_VERSION}"
        )
    return config


def read_model_file(
    path: str | os.PathLike[str], max_params: int = MAX_PARAMS
) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, np.ndarray]]:
    """The ``(config, compile_config, weights)`` that ``write_model_file`` wrote to ``path``.

    Everything is checked before any weight is read (`backprop_book.models.untrusted`): the
    member names, the whole architecture against its limits, each array's header.

    Raises:
        FileNotFoundError: No such file.
        ModelFileError: (a ``ValueError``) a truncated or corrupt file, a pickle payload,
            another format version, an invalid or too big architecture, weights that do not fit.

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> layer = {"class_name": "Activation", "config": {"name": "a", "activation": "relu"}}
        >>> config = {"input_shape": [3], "dtype": "float64", "layers": [layer]}
        >>> write_model_file(path, config, None, {})
        >>> read_model_file(path) == (config, None, {})
        True
    """
    path = os.fspath(path)
    with open_model_zip(path) as zf:
        file_config = read_architecture(path, zf)
        shapes = check_architecture(path, file_config, max_params)
        check_members(path, zf, shapes)  # headers only: shapes and dtypes, before any data
        weights = {key: read_member(zf, path, key) for key in shapes}
    layers = [dict(entry) for entry in file_config["layers"]]
    config = {
        "input_shape": list(file_config["input_shape"]),
        "dtype": file_config["dtype"],
        "layers": [{"class_name": e.pop("class"), "config": e} for e in layers],
    }
    return config, file_config.get("compile") or None, weights
