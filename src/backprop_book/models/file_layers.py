"""The layer entries of a model file: each kind's keys, the limits of its values, its weights.

`backprop_book.models.untrusted` checks a stranger's model file field by field; this module
says what one layer entry may hold and, by arithmetic on sizes alone (nothing is allocated),
which weight arrays it needs and what shape it outputs. A field that breaks a rule is a
`FieldError` naming the field (``kernel_size[1]``, ``rate``), which the file's reader turns into
a ``ModelFileError`` naming the file and the layer.

The limits: every size (``units``, ``filters``, a kernel's or a window's height and width, a
stride) is an integer from 1 to `MAX_SIZE`; so is the product of each layer's output shape (the
numbers one sample makes); ``momentum`` and ``rate`` are numbers from 0 up to (not including)
1, ``epsilon`` a positive finite number, a Dropout ``seed`` ``null`` or an integer from 0 to
$2^{63} - 1$.
"""

from __future__ import annotations

import math
from typing import Any

from backprop_book.models.conv_blocks import CONV_ACTIVATIONS
from backprop_book.models.image_shapes import conv_output_shape
from backprop_book.training.initializers import INITIALIZERS

__all__ = ["LAYER_KEYS", "MAX_SIZE", "FieldError", "block_weights", "check_values"]

MAX_SIZE = 1 << 20  # units, or one input axis (and their product): at most 1,048,576
LAYER_KEYS = {  # class -> (required keys, optional keys)
    "Dense": ({"units"}, {"name", "activation", "kernel_initializer"}),
    "Activation": ({"activation"}, {"name"}),
    "Conv2D": ({"filters", "kernel_size"},
               {"name", "strides", "padding", "activation", "kernel_initializer"}),
    "MaxPooling2D": ({"pool_size"}, {"name", "strides"}),
    "Flatten": (set(), {"name"}),
    "BatchNormalization": (set(), {"name", "momentum", "epsilon"}),
    "Dropout": ({"rate"}, {"name", "seed"}),
}  # fmt: skip


class FieldError(ValueError):
    """A field of a layer entry that breaks its rule: ``field`` and what is wrong with it.

    Examples:
        >>> str(FieldError("rate", "must be a number from 0 to below 1, got 2"))
        'rate must be a number from 0 to below 1, got 2'
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field, self.problem = field, problem


def size(field: str, value: Any, maximum: int = MAX_SIZE) -> int:
    """``value`` if it is an integer from 1 to ``maximum`` (JSON numbers only, no ``True``).

    Examples:
        >>> size("filters", 8)
        8
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise FieldError(field, f"must be an integer from 1 to {maximum}, got {value!r:.80}")
    return value


def sizes(field: str, value: Any) -> tuple[int, int]:
    """A ``[height, width]`` pair of sizes (as ``get_config`` writes them).

    Examples:
        >>> sizes("kernel_size", [3, 5])
        (3, 5)
    """
    if not isinstance(value, list) or len(value) != 2:
        raise FieldError(field, f"must be a list of 2 sizes, got {value!r:.80}")
    return size(f"{field}[0]", value[0]), size(f"{field}[1]", value[1])


def one_of(field: str, value: Any, valid: list[Any]) -> Any:
    """``value`` if it is one of ``valid`` (a string, or None where ``valid`` holds None).

    Examples:
        >>> one_of("padding", "same", ["valid", "same"])
        'same'
    """
    if not (value is None or isinstance(value, str)) or value not in valid:
        raise FieldError(field, f"must be one of {', '.join(map(str, valid))}, got {value!r:.80}")
    return value


def real(field: str, value: Any, ok: Any, what: str) -> float:
    """``value`` if it is a JSON number (not ``True``) for which ``ok`` holds.

    Examples:
        >>> real("rate", 0.5, lambda v: 0 <= v < 1, "a number from 0 to below 1")
        0.5
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not ok(value):
        raise FieldError(field, f"must be {what}, got {value!r:.80}")
    return float(value)


def check_values(kind: str, entry: dict[str, Any]) -> None:
    """Each value of a ``Conv2D``, ``MaxPooling2D``, ``BatchNormalization`` or ``Dropout`` entry.

    Examples:
        >>> check_values("Dropout", {"rate": 1.5})
        Traceback (most recent call last):
        ...
        backprop_book.models.file_layers.FieldError: rate must be a number from 0 to below 1, \
got 1.5
    """
    below_1 = "a number from 0 to below 1"
    if kind == "Conv2D":
        size("filters", entry["filters"])
        sizes("kernel_size", entry["kernel_size"])
        size("strides", entry.get("strides", 1))
        one_of("padding", entry.get("padding", "valid"), ["valid", "same"])
        one_of("activation", entry.get("activation"), [None, "linear", *CONV_ACTIVATIONS])
        one_of("kernel_initializer", entry.get("kernel_initializer", "glorot_normal"),
               list(INITIALIZERS))  # fmt: skip
    elif kind == "MaxPooling2D":
        sizes("pool_size", entry["pool_size"])
        if entry.get("strides") is not None:
            size("strides", entry["strides"])
    elif kind == "BatchNormalization":
        real("momentum", entry.get("momentum", 0.99), lambda v: 0 <= v < 1, below_1)
        real("epsilon", entry.get("epsilon", 1e-3), lambda v: 0 < v < math.inf,
             "a positive finite number")  # fmt: skip
    elif kind == "Dropout":
        real("rate", entry["rate"], lambda v: 0 <= v < 1, below_1)
        seed = entry.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)
                                 or not 0 <= seed < 2**63):  # fmt: skip
            raise FieldError("seed", f"must be null or an integer from 0 to 2**63 - 1, "
                             f"got {seed!r:.80}")  # fmt: skip


def block_weights(
    kind: str, entry: dict[str, Any], shape: tuple[int, ...]
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """The weight shapes by family (``W``, ``b``, ``gamma``, …) and the output shape of a layer
    whose values were checked, on inputs of one sample's ``shape``: sizes only, no array.

    Examples:
        >>> block_weights("Conv2D", {"filters": 8, "kernel_size": [3, 3]}, (8, 8, 1))
        ({'W': (8, 1, 3, 3), 'b': (8,)}, (6, 6, 8))
    """
    if kind == "Dense":
        return {"W": (math.prod(shape), entry["units"]), "b": (entry["units"],)}, (entry["units"],)
    if kind == "Flatten":
        return {}, (math.prod(shape),)
    if kind in ("Activation", "Dropout"):
        return {}, shape
    if kind == "BatchNormalization":
        if len(shape) not in (1, 3):
            raise FieldError("class", f"BatchNormalization takes features (D,) or images (H, W, "
                             f"C), but its inputs are {shape}")  # fmt: skip
        C = (shape[-1],)
        return {"gamma": C, "beta": C, "running_mean": C, "running_var": C}, shape
    try:
        if kind == "Conv2D":
            FH, FW = entry["kernel_size"]
            stride, padding = entry.get("strides", 1), entry.get("padding", "valid")
            out = conv_output_shape(kind, shape, entry["filters"], (FH, FW), stride, padding)
            channels = shape[2]
            weights = {"W": (entry["filters"], channels, FH, FW), "b": (entry["filters"],)}
            return weights, out
        pool, strides = entry["pool_size"], entry.get("strides")
        stride = pool[0] if strides is None else strides
        if strides is None and pool[0] != pool[1]:
            raise FieldError("strides", f"must be given for a {pool} window")
        return {}, conv_output_shape(kind, shape, shape[-1], tuple(pool), stride, "valid")
    except FieldError:
        raise
    except ValueError as err:
        raise FieldError("class", f"{kind} does not fit its inputs {shape} ({err})") from None
