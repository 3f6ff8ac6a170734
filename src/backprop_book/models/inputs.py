"""The checks of a model's inputs: ``x`` of the shape the model expects, ``y`` in the loss's form.

Every entry point of ``Sequential`` (``fit``, ``evaluate``, ``predict``, ``loss``) passes its
arguments through here, so one mistake always gets one message, in the phrasing of
:mod:`backprop_book.checks`: which method, what was expected, what was given, what to do.
This module also holds the registries of the names ``compile`` accepts (`LOSSES`, `METRICS`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.checks import labels, positive_int
from backprop_book.models.dense import SoftmaxNode

__all__ = [
    "LOSSES",
    "METRICS",
    "batch_size_or_32",
    "check_x",
    "check_xy",
    "check_y",
]

# The registries of compile's names: the losses (both end in the fused softmax) and metrics.
LOSSES = ("categorical_crossentropy", "sparse_categorical_crossentropy")
METRICS = ("acc", "accuracy")


def check_x(model: Any, x: Any, where: str) -> np.ndarray:
    """``x`` as an array of the model's dtype, building the model at its first input.

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> check_x(Sequential([Dense(2)]), [[1, 2, 3]], "predict").shape
        (1, 3)
        >>> check_x(Sequential([Dense(2)]), [1, 2, 3], "predict")
        Traceback (most recent call last):
        ...
        ValueError: Sequential.predict: x must be a numeric array of shape (N, ...), got dtype \
int64 and shape (3,)
        >>> check_x(Sequential([Dense(2)]), [[1, 2, 3], [4, float("nan"), 6]], "fit")
        Traceback (most recent call last):
        ...
        ValueError: Sequential.fit: x contains NaN or inf (first in sample 1); the inputs must be \
finite numbers
    """
    x = np.asarray(x)
    if x.dtype.kind not in "fiu" or x.ndim < 2:  # not bool, complex, strings, objects
        raise ValueError(
            f"Sequential.{where}: x must be a numeric array of shape (N, ...), "
            f"got dtype {x.dtype} and shape {x.shape}"
        )
    if not model.layers:
        raise ValueError(f"Sequential.{where}: the model has no layers")
    if not model.built:
        model.build(x.shape[1:])
    assert model.input_shape is not None  # set by build()
    if x.shape[1:] != model.input_shape:
        raise ValueError(
            f"Sequential.{where}: x has shape {x.shape} but the model expects "
            f"{(None, *model.input_shape)}"
        )
    with np.errstate(over="ignore"):  # an overflowing cast is reported just below
        cast = x.astype(model.dtype, copy=False)
    bad = ~np.isfinite(cast)
    if bad.any():  # refused here, before a NaN reaches the loss and looks like a divergence
        sample = int(np.argwhere(bad)[0][0])
        given = x.dtype.kind == "f" and not np.isfinite(x).all()
        what = "NaN or inf" if given else f"values too large for {model.dtype.name}"
        raise ValueError(
            f"Sequential.{where}: x contains {what} (first in sample {sample}); "
            "the inputs must be finite numbers"
        )
    return cast


def check_y(model: Any, y: Any, n: int, where: str, loss: str) -> np.ndarray:
    """Labels in the form ``loss`` expects, or an error saying which form to use.

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> model = Sequential([Dense(3, activation="softmax", input_dim=2)])
        >>> check_y(model, [0, 2], 2, "fit", "sparse_categorical_crossentropy")
        array([0, 2])
    """
    nodes, y = model.nodes(), np.asarray(y)
    model.check_softmax_last(where)
    if not isinstance(nodes[-1], SoftmaxNode):
        raise ValueError(
            f"Sequential.{where}: the cross-entropy loss needs a softmax output; "
            "give the last Dense activation='softmax' (or add Activation('softmax'))"
        )
    shape = model.input_shape
    assert shape is not None  # check_x, always called first, builds the model
    for layer in model.layers:
        shape = layer.output_shape(shape)
    classes = shape[-1]
    if y.ndim == 0 or y.shape[0] != n:
        raise ValueError(f"Sequential.{where}: x has {n} samples but y has shape {y.shape}")
    if loss == "sparse_categorical_crossentropy":
        if y.ndim != 1:
            raise ValueError(
                f"Sequential.{where}: loss '{loss}' expects integer labels of shape ({n},), "
                f"got shape {y.shape}; for one-hot labels use loss='categorical_crossentropy'"
            )
        return labels(f"Sequential.{where}", y, classes)
    if y.shape != (n, classes):
        hint = " use loss='sparse_categorical_crossentropy' for integer labels, or" * (y.ndim == 1)
        raise ValueError(
            f"Sequential.{where}: loss '{loss}' expects one-hot labels of shape "
            f"({n}, {classes}), got shape {y.shape};{hint} one-hot encode them "
            "(backprop_book.layers.functions.one_hot)"
        )
    return y


def batch_size_or_32(where: str, batch_size: Any) -> int:
    """The batch size of ``evaluate``/``predict``: 32 when None, as in Keras.

    Examples:
        >>> batch_size_or_32("Sequential.predict", None), batch_size_or_32("predict", 128)
        (32, 128)
    """
    return 32 if batch_size is None else positive_int(where, "batch_size", batch_size)


def check_xy(model: Any, x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` of a compiled model, checked against its loss; at least one sample.

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> check_xy(Sequential([Dense(2, activation="softmax")]), [[1.0]], [0], "fit")
        Traceback (most recent call last):
        ...
        RuntimeError: Sequential.fit: compile the model first, e.g. model.compile(optimizer='sgd', \
loss='categorical_crossentropy', metrics=['acc'])
    """
    if model.loss_name is None or model.optimizer is None:
        raise RuntimeError(
            f"Sequential.{where}: compile the model first, e.g. model.compile("
            "optimizer='sgd', loss='categorical_crossentropy', metrics=['acc'])"
        )
    x = check_x(model, x, where)
    if x.shape[0] == 0:
        raise ValueError(f"Sequential.{where}: x has no samples; give at least one")
    return x, check_y(model, y, x.shape[0], where, model.loss_name)
