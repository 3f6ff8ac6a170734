"""What ``Sequential.fit`` keeps beside the training loop: validation data, last finite weights.

``fit`` hands its mini-batches to the package's one loop
(:func:`backprop_book.training.loop.train_loop`). Two things sit beside it and are kept here:
the data ``val_loss``/``val_acc`` are measured on (`fit_data`: a pair given by the
caller, or the last fraction of ``x`` as Keras splits it), and `LastFinite`, the copy of the
weights that a diverging run goes back to.

Divergence has one policy in the package: the loop stops with a ``FloatingPointError`` when a
mini-batch loss is NaN or infinite. An update that overflowed is useless, so the weights must
not be left as it made them: like `Trainer` (``training/trainer.py``), ``fit`` then puts back
the weights of the last step whose loss was finite, and the model stays usable.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backprop_book.models.inputs import check_xy
from backprop_book.training.callbacks import Callback, CallbackList
from backprop_book.training.progress import ProgressBar
from backprop_book.training.splits import train_validation_split

__all__ = ["LastFinite", "fit_callbacks", "fit_data"]


class LastFinite:
    """A copy of the weights of the last step with a finite loss, put back when training diverges.

    One step of ``fit`` measures the loss of the current weights, then updates them. `keep`
    takes that loss: finite, it copies the weights (the ones the update is about to change) and
    says go on; NaN or infinite, it puts the copy back and says stop. `check`, after the update,
    puts the copy back if the update itself overflowed a weight. Either way the model is left
    with the weights from before the step that broke it, never with NaN.

    Args:
        params: The model's weight arrays by name (updated in place by the optimizer).

    Examples:
        >>> W = np.array([1.0, 2.0])
        >>> guard = LastFinite({"W": W})
        >>> guard.keep({"W": W}, 0.5)  # a finite loss: go on (a copy of W is kept)
        True
        >>> W[1] = np.inf  # an update that overflowed
        >>> guard.check({"W": W}, 0.5)  # the loss becomes NaN and W is put back
        nan
        >>> W
        array([1., 2.])
    """

    def __init__(self, params: dict[str, np.ndarray]) -> None:
        self.weights = {key: p.copy() for key, p in params.items()}

    def keep(self, params: dict[str, np.ndarray], loss: float) -> bool:
        """Before an update: True (and a copy of ``params``) when ``loss`` is finite; else the
        copy is put back into ``params`` and False (do not update)."""
        if not math.isfinite(loss):
            self.restore(params)
            return False
        for key, p in params.items():
            np.copyto(self.weights[key], p)
        return True

    def check(self, params: dict[str, np.ndarray], loss: float) -> float:
        """After an update: ``loss``, or NaN (and the copy put back) if a weight is not finite."""
        if all(np.isfinite(p).all() for p in params.values()):
            return loss
        self.restore(params)
        return math.nan

    def restore(self, params: dict[str, np.ndarray]) -> None:
        """Copy the kept weights into ``params``, in place (the layers hold these very arrays)."""
        for key, p in params.items():
            np.copyto(p, self.weights[key])


def fit_data(
    model: Any,
    x: Any,
    y: Any,
    validation_split: float,
    validation_data: Any,
    batch_size: int,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, int] | None]:
    """``x, y`` checked for the compiled ``model``, split, and ``(x_val, y_val, batch_size)``.

    The validation part is None without validation. ``validation_data`` wins over
    ``validation_split``; a split takes the *last* fraction of ``x``, before any shuffling, as
    Keras does.

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=1)])
        >>> model.compile("sgd", "sparse_categorical_crossentropy")
        >>> x, y = np.arange(10.0).reshape(10, 1), np.zeros(10, dtype=int)
        >>> x_train, _, (x_val, _, _) = fit_data(model, x, y, 0.2, None, 32)
        >>> len(x_train), x_val.ravel().tolist()
        (8, [8.0, 9.0])
    """
    x, y = check_xy(model, x, y, "fit")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("Sequential.fit: validation_data must be a pair (x_val, y_val)")
        x_val, y_val = check_xy(model, validation_data[0], validation_data[1],
                                "fit (validation_data)")  # fmt: skip
        return x, y, (x_val, y_val, batch_size)
    if validation_split:
        (x, y), (x_val, y_val) = train_validation_split(x, y, validation_split)
        return x, y, (x_val, y_val, batch_size)
    return x, y, None


def fit_callbacks(
    model: Any, callbacks: Any, verbose: int, epochs: int, batch_size: int, samples: int
) -> CallbackList:
    """What ``fit``'s loop reports to: the progress line (unless silent), ``model.history``,
    then the caller's callbacks, each told the run's settings (Keras' ``params``).

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> from backprop_book.training.callbacks import History
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=1)])
        >>> model.history = History()
        >>> cbs = fit_callbacks(model, None, 0, epochs=3, batch_size=4, samples=10)
        >>> cbs.callbacks == [model.history], cbs.callbacks[0].params["epochs"]
        (True, 3)
    """
    cbs: list[Callback] = [*([ProgressBar(verbose)] if verbose else []), model.history]
    return CallbackList(
        [*cbs, *(callbacks or [])], model, epochs=epochs, batch_size=batch_size,
        samples=samples, verbose=verbose, metrics=model.metrics,
        val_samples=0 if model.validation is None else len(model.validation[0]),
    )  # fmt: skip
