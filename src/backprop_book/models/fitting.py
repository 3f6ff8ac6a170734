"""What ``Sequential.fit`` keeps beside the training loop: validation data, last finite weights.

``fit`` hands its mini-batches to the package's one loop
(:func:`backprop_book.training.loop.train_loop`). Two things sit beside it and are kept here:
the data ``val_loss``/``val_acc`` are measured on (`fit_data`: a pair given by the
caller, or the last fraction of ``x`` as Keras splits it), and `LastFinite`, the copy of the
weights that a diverging run goes back to.

Divergence has one policy in the package: the loop stops with a ``FloatingPointError`` when a
mini-batch loss is NaN or infinite. An update that overflowed is useless, so the weights must
not be left as it made them: like `Trainer` (``training/trainer.py``), ``fit`` then puts back
the weights of the last step whose loss was finite, with the optimizer's state (Momentum's
velocity, Adam's moments and step count) and ``BatchNormalization``'s running averages of that
same step, and the model stays usable: training it again carries on from that step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_book.models.inputs import check_xy
from backprop_book.training.callbacks import Callback, CallbackList
from backprop_book.training.progress import ProgressBar
from backprop_book.training.splits import train_validation_split

__all__ = ["LastFinite", "finite", "fit_callbacks", "fit_data", "training_state"]


class LastFinite:
    """The state of the last step with a finite loss, put back when training diverges.

    One step of ``fit`` runs the forward pass (which moves ``BatchNormalization``'s running
    averages and ``Dropout``'s generator), measures the loss, then updates the weights (which
    moves the optimizer's running state). `keep` takes that loss: finite, the state at the
    start of this step becomes the one to go back to, and it says go on; NaN or infinite, it
    puts that state back and says stop. `check`, after the update, puts it back if the update
    itself overflowed a weight, and otherwise copies the state the next step starts from.
    Either way the model is left as it was at the start of the step that broke it: the weights,
    the optimizer's state and the blocks' state all of one step, never NaN.

    Args:
        params: The model's weight arrays by name (updated in place by the optimizer).
        stateful: Objects with ``state()`` and ``restore(state)``: the optimizer
            (:class:`backprop_book.training.optimizer_base.Optimizer`) and the blocks that
            training moves (``BatchNormalization``, ``Dropout``); see `training_state`.

    Examples:
        >>> from backprop_book.training.optimizers import Momentum
        >>> W, opt = np.array([1.0, 2.0]), Momentum(lr=0.5)
        >>> guard = LastFinite({"W": W}, [opt])
        >>> guard.keep({"W": W}, 0.5)  # a finite loss: go on
        True
        >>> opt.update({"W": W}, {"W": np.array([1.0, np.inf])})  # an update that overflows
        >>> guard.check({"W": W}, 0.5)  # the loss becomes NaN; W and the velocity are put back
        nan
        >>> W, opt.v
        (array([1., 2.]), {})
    """

    def __init__(self, params: dict[str, np.ndarray], stateful: Sequence[Any] = ()) -> None:
        self.stateful = list(stateful)
        self.start = self.snapshot(params)  # the state the current step started from
        self.kept = self.start  # the state of the last step whose loss was finite

    def snapshot(self, params: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[Any]]:
        """Copies of the weights and of each stateful object's ``state()``."""
        return {key: p.copy() for key, p in params.items()}, [s.state() for s in self.stateful]

    def keep(self, params: dict[str, np.ndarray], loss: float) -> bool:
        """Before an update: True when ``loss`` is finite (the state this step started from is
        kept); else the kept state is put back and False (do not update)."""
        if not math.isfinite(loss):
            self.restore(params)
            return False
        self.kept = self.start
        return True

    def check(self, params: dict[str, np.ndarray], loss: float) -> float:
        """After an update: ``loss``, or NaN (and the kept state put back) if a weight or a
        running state is not finite (an average of inputs near the float limit overflows, with
        a finite loss); else, with a finite loss, the state is copied for the next step."""
        snapshot = self.snapshot(params)
        if finite(snapshot):
            if math.isfinite(loss):
                self.start = snapshot
            return loss
        self.restore(params)
        return math.nan

    def restore(self, params: dict[str, np.ndarray]) -> None:
        """Copy the kept weights into ``params``, in place (the layers hold these very arrays),
        and give each stateful object its kept state back."""
        weights, states = self.kept
        for key, p in params.items():
            np.copyto(p, weights[key])
        for obj, state in zip(self.stateful, states, strict=True):
            obj.restore(state)


def finite(state: Any) -> bool:
    """True when every float array in ``state`` (nested dicts, lists, tuples) is finite.

    Examples:
        >>> finite(({"W": np.ones(2)}, [{"rng": {"state": 7}}])), finite([np.array([np.inf])])
        (True, False)
    """
    if isinstance(state, dict):
        return all(finite(value) for value in state.values())
    if isinstance(state, (list, tuple)):
        return all(finite(value) for value in state)
    if isinstance(state, np.ndarray) and state.dtype.kind == "f":
        return bool(np.isfinite(state).all())
    return True


def training_state(model: Any) -> list[Any]:
    """What training moves besides the weights, each with ``state()`` and ``restore(state)``.

    The compiled optimizer (if it has that API: any object with ``update`` may be given to
    ``compile``) and the blocks that have it (``BatchNormalization``: the running averages;
    ``Dropout``: the generator of its masks).

    Examples:
        >>> from backprop_book.models import BatchNormalization, Dense, Sequential
        >>> model = Sequential([Dense(2, input_dim=3), BatchNormalization(),
        ...                     Dense(2, activation="softmax")])
        >>> model.compile("adam", "sparse_categorical_crossentropy")
        >>> [type(obj).__name__ for obj in training_state(model)]
        ['Adam', 'BatchNormalization']
    """
    objects = [model.optimizer, *model.layers]
    return [obj for obj in objects if callable(getattr(obj, "restore", None))]


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

    ``model.last_finite`` is made here to follow `training_state` too, so that a diverging fit
    puts back the optimizer's and the blocks' state with the weights (`LastFinite`).

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> from backprop_book.training.callbacks import History
        >>> model = Sequential([Dense(2, activation="softmax", input_dim=1)])
        >>> model.history = History()
        >>> cbs = fit_callbacks(model, None, 0, epochs=3, batch_size=4, samples=10)
        >>> cbs.callbacks == [model.history], cbs.callbacks[0].params["epochs"]
        (True, 3)
    """
    model.last_finite = LastFinite(model.params, training_state(model))  # the run's start
    cbs: list[Callback] = [*([ProgressBar(verbose)] if verbose else []), model.history]
    return CallbackList(
        [*cbs, *(callbacks or [])], model, epochs=epochs, batch_size=batch_size,
        samples=samples, verbose=verbose, metrics=model.metrics,
        val_samples=0 if model.validation is None else len(model.validation[0]),
    )  # fmt: skip
