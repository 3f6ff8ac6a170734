"""A model file is untrusted input: every field is checked against limits before anything is built.

A ``.npz`` may come from a stranger, so `load_model` reads it as an attacker might have written
it. The threat model: **a stranger's file can at worst be refused**, with a `ModelFileError`
that names the field. It never runs code (no pickle), and what it can cost is bounded before
anything is allocated or decompressed:

- the zip's member names are checked first (``architecture`` and ``W1``, ``b1``, …, nothing
  else), then each member's ``.npy`` *header* (shape and dtype) is read without its data;
- the architecture JSON is at most `MAX_JSON_CHARS` characters; every size in it (an input axis,
  ``units``, ``filters``, a kernel, a pooling window, a stride, each layer's output per sample)
  is a positive integer of at most `MAX_SIZE`; at most `MAX_LAYERS` layers; the layer kinds,
  their keys and the limits of their values are the known ones (`backprop_book.models.file_layers`);
- the total of weights and biases is at most ``max_params`` (`MAX_PARAMS` by default, 80 MB as
  float64; a caller who trusts a bigger file raises it: ``load_model(path, max_params=...)``);
- each member's decompressed size must be exactly its header plus the data its shape needs, and
  the zip reader never inflates more than that declared size, so a "zip bomb" costs nothing.

A model then costs at most about twice its weights in memory (the fresh model and the arrays
read into it) plus the JSON text.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from backprop_book.models.dense import ACTIVATIONS
from backprop_book.models.file_layers import (
    LAYER_KEYS,
    MAX_SIZE,
    FieldError,
    block_weights,
    check_values,
)
from backprop_book.models.inputs import LOSSES, METRICS
from backprop_book.training.initializers import INITIALIZERS
from backprop_book.training.optimizers import OPTIMIZERS

__all__ = [
    "MAX_JSON_CHARS",
    "MAX_LAYERS",
    "MAX_PARAMS",
    "MAX_SIZE",
    "ModelFileError",
    "check_architecture",
    "optimizer_config",
]

MAX_LAYERS = 1000
MAX_PARAMS = 10_000_000  # the default cap on weights and biases (80 MB as float64)
MAX_JSON_CHARS = 1 << 20  # the architecture text
DTYPES = ("float32", "float64")
WEIGHT = re.compile(r"(?:[Wb]|gamma|beta|running_mean|running_var)[1-9][0-9]{0,5}")  # W1, b1, …
ARRAYS_PER_LAYER = 4  # at most: BatchNormalization's gamma, beta, running mean and variance
TOP_KEYS = {"format", "format_version", "input_shape", "dtype", "layers", "compile", "weights"}
COMPILE_KEYS = {"loss", "metrics", "optimizer", "lr"}


class ModelFileError(ValueError):
    """A model file that cannot be loaded: corrupt, truncated, unsafe, too big, or of another
    version. The message names the file and the field."""


def refuse(path: str, field: str, problem: str) -> ModelFileError:
    """The error for one field of a model file (raise what it returns).

    Examples:
        >>> refuse("m.npz", "layers[0].units", "must be a positive integer, got -1")
        ModelFileError('load_model: m.npz: layers[0].units must be a positive integer, got -1')
    """
    return ModelFileError(f"load_model: {path}: {field} {problem}")


def size(path: str, field: str, value: Any) -> int:
    """``value`` if it is an integer from 1 to `MAX_SIZE` (JSON numbers only, no ``True``)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
        raise refuse(path, field, f"must be an integer from 1 to {MAX_SIZE}, got {value!r}")
    return value


def one_of(path: str, field: str, value: Any, valid: Any) -> Any:
    """``value`` if it is one of ``valid`` (a string, or None where ``valid`` holds None)."""
    if not (value is None or isinstance(value, str)) or value not in valid:
        names = ", ".join(map(str, valid))
        raise refuse(path, field, f"must be one of {names}, got {value!r:.80}")
    return value


def check_keys(path: str, field: str, entry: Any, required: set[str], optional: set[str]) -> None:
    """``entry`` is a JSON object with every key of ``required`` and none but ``optional``."""
    if not isinstance(entry, dict):
        raise refuse(path, field, f"must be a JSON object, got {type(entry).__name__}")
    missing, extra = required - entry.keys(), entry.keys() - required - optional
    if missing or extra:
        problem = f"lacks {sorted(missing)}" if missing else f"has unknown keys {sorted(extra)}"
        raise refuse(path, field, f"{problem:.200}")


def check_layer(path: str, i: int, entry: Any, names: set[str]) -> None:
    """One layer entry: a known class, its known keys, each value valid (``layers[i].key``)."""
    field = f"layers[{i}]"
    if not isinstance(entry, dict):
        raise refuse(path, field, f"must be a JSON object, got {type(entry).__name__}")
    kind = one_of(path, f"{field}.class", entry.get("class"), list(LAYER_KEYS))
    check_keys(path, field, entry, {"class", *LAYER_KEYS[kind][0]}, LAYER_KEYS[kind][1])
    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not 0 < len(name) <= 100):
        raise refuse(path, f"{field}.name", "must be a string of 1 to 100 characters")
    if name is not None and name in names:
        raise refuse(path, f"{field}.name", f"{name!r} names two layers")
    if name is not None:
        names.add(name)
    if kind in ("Dense", "Activation"):
        activations = [*ACTIVATIONS, *([None, "linear"] if kind == "Dense" else [])]
        one_of(path, f"{field}.activation", entry.get("activation"), activations)
    try:
        check_values(kind, entry)
    except FieldError as err:
        raise refuse(path, f"{field}.{err.field}", err.problem) from None
    if kind == "Dense":
        size(path, f"{field}.units", entry["units"])
        init = entry.get("kernel_initializer", "glorot_normal")
        one_of(path, f"{field}.kernel_initializer", init, list(INITIALIZERS))


def weight_shapes(path: str, config: dict[str, Any], max_params: int) -> dict[str, tuple[int, ...]]:
    """The shapes ``W1, b1, …`` the layers need, refused if they hold more than ``max_params``."""
    shapes: dict[str, tuple[int, ...]] = {}
    counts: dict[str, int] = {}  # W1, b1 for Conv2D and Dense; gamma1, … for BatchNormalization
    shape = tuple(config["input_shape"])
    for i, entry in enumerate(config["layers"]):
        try:
            weights, shape = block_weights(entry["class"], entry, shape)
        except FieldError as err:
            raise refuse(path, f"layers[{i}].{err.field}", err.problem) from None
        size(path, f"the product of layers[{i}]'s output shape {shape}", math.prod(shape))
        if weights:
            family = next(iter(weights))
            counts[family] = counts.get(family, 0) + 1
            shapes.update({f"{k}{counts[family]}": s for k, s in weights.items()})
    total = sum(math.prod(s) for s in shapes.values())
    if total > max_params:
        raise refuse(
            path, "layers", f"hold {total} weights, more than max_params={max_params}; if you "
            f"trust this file, load it with load_model(path, max_params={total})"
        )  # fmt: skip
    return shapes


def check_compile(path: str, section: Any) -> None:
    """The compile section: a known loss, metrics, optimizer and its hyperparameters."""
    if section is None:
        return
    check_keys(path, "compile", section, {"loss"}, {*COMPILE_KEYS, "optimizer_config"} - {"loss"})
    one_of(path, "compile.loss", section["loss"], LOSSES)
    metrics = section.get("metrics", [])
    if not isinstance(metrics, list) or len(metrics) > len(METRICS):
        raise refuse(path, "compile.metrics", f"must be a list of {', '.join(METRICS)}")
    for metric in metrics:
        one_of(path, "compile.metrics", metric, METRICS)
    name = one_of(path, "compile.optimizer", section.get("optimizer"), [None, *OPTIMIZERS])
    hyper = section.get("optimizer_config", {})
    if name is None or not isinstance(hyper, dict):
        if hyper:
            raise refuse(path, "compile.optimizer_config", "needs a named optimizer")
        return
    lr = section.get("lr")
    try:  # the optimizer's own checks: lr > 0, 0 <= momentum < 1, ...
        OPTIMIZERS[name](**({} if lr is None else {"lr": lr}), **hyper)
    except (TypeError, ValueError) as err:
        raise refuse(path, "compile", f"has invalid optimizer settings ({err})") from None


def check_architecture(
    path: str, config: Any, max_params: int = MAX_PARAMS
) -> dict[str, tuple[int, ...]]:
    """Check a model file's whole JSON; return the weight shapes its layers need.

    Raises:
        ModelFileError: naming the first field that is missing, unknown, of the wrong type, or
            beyond a limit (`MAX_SIZE`, `MAX_LAYERS`, ``max_params``).

    Examples:
        >>> layer = {"class": "Dense", "units": 2, "activation": "softmax"}
        >>> config = {"format": "backprop_book.Sequential", "format_version": 1,
        ...           "input_shape": [3], "dtype": "float64", "layers": [layer],
        ...           "weights": {"W1": [3, 2], "b1": [2]}}
        >>> check_architecture("m.npz", config)
        {'W1': (3, 2), 'b1': (2,)}
        >>> check_architecture("m.npz", {**config, "layers": [{"class": "Conv3D"}]})
        Traceback (most recent call last):
        ...
        backprop_book.models.untrusted.ModelFileError: load_model: m.npz: layers[0].class must \
be one of Dense, Activation, Conv2D, MaxPooling2D, Flatten, BatchNormalization, Dropout, got \
'Conv3D'
    """
    check_keys(path, "the architecture", config, TOP_KEYS - {"compile"}, {"compile"})
    shape = config["input_shape"]
    if not isinstance(shape, list) or not 1 <= len(shape) <= 4:
        raise refuse(path, "input_shape", f"must be a list of 1 to 4 sizes, got {shape!r:.80}")
    for axis, d in enumerate(shape):
        size(path, f"input_shape[{axis}]", d)
    size(path, "the product of input_shape", math.prod(shape))
    one_of(path, "dtype", config["dtype"], DTYPES)
    layers = config["layers"]
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise refuse(path, "layers", f"must be a list of 1 to {MAX_LAYERS} layers")
    names: set[str] = set()
    for i, entry in enumerate(layers):
        check_layer(path, i, entry, names)
    check_compile(path, config["compile"] if "compile" in config else None)
    shapes = weight_shapes(path, config, max_params)
    declared = config["weights"]
    if not isinstance(declared, dict) or {k: tuple(v) if isinstance(v, list) else v
                                          for k, v in declared.items()} != shapes:  # fmt: skip
        raise refuse(path, "weights", f"does not list the shapes the layers need, {shapes}")
    return shapes


def read_text(path: str, text: str) -> Any:
    """The JSON of the architecture, or a `ModelFileError` (never a ``RecursionError``)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise refuse(path, "the architecture", "is nested too deeply to be a model") from None
    except ValueError as err:  # JSONDecodeError, or an integer of too many digits
        raise refuse(path, "the architecture", f"is not valid JSON ({err})") from None


def member_header(zf: zipfile.ZipFile, path: str, name: str) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and dtype a member's ``.npy`` header declares, read without its data.

    The zip entry must be exactly as long as that header plus the data: nothing hidden.
    """
    info = zf.getinfo(f"{name}.npy")
    try:
        with zf.open(info) as f:
            version = np.lib.format.read_magic(f)
            read = {(1, 0): np.lib.format.read_array_header_1_0,
                    (2, 0): np.lib.format.read_array_header_2_0}.get(version)  # fmt: skip
            if read is None:
                raise ValueError(f"unsupported .npy version {version}")
            shape, _, dtype = read(f)
            header = f.tell()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as err:
        raise ModelFileError(f"load_model: {path} is truncated or corrupt ({err})") from None
    except ValueError as err:
        raise refuse(path, name, f"has no valid .npy header ({err})") from None
    if dtype.hasobject:
        raise ModelFileError(
            f"load_model: refusing {path}: it holds pickled Python objects ({name}), which could "
            "run code when loaded; a model file holds only numbers and a JSON string"
        )
    if info.file_size != header + math.prod(shape) * dtype.itemsize:
        raise refuse(path, name, f"declares shape {shape} but its entry has {info.file_size} bytes")
    return shape, dtype


def optimizer_config(optimizer: Any) -> dict[str, float]:
    """The hyperparameters of a named optimizer besides ``lr`` (saved so that they round-trip).

    Examples:
        >>> from backprop_book.training.optimizers import Momentum
        >>> optimizer_config(Momentum(lr=0.1, momentum=0.5))
        {'momentum': 0.5}
    """
    names = inspect.signature(type(optimizer)).parameters
    return {k: float(getattr(optimizer, k)) for k in names if k != "lr"}


def check_members(path: str, zf: zipfile.ZipFile, shapes: Mapping[str, tuple[int, ...]]) -> None:
    """Every weight member is there, float, of the shape the layers need (headers only)."""
    need = {key: tuple(s) for key, s in shapes.items()}
    found, kinds = {}, set()
    for info in zf.infolist():
        key = info.filename.removesuffix(".npy")
        if key != "architecture":
            found[key], dtype = member_header(zf, path, key)
            kinds.add(dtype.kind)
    if need != found or kinds - {"f"}:
        raise ModelFileError(
            f"load_model: {path}: the weight arrays {found} do not fit the "
            f"architecture, which needs float arrays {need}"
        )
