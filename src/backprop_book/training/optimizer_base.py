"""`Optimizer`: what every update rule shares: the checks of ``update``, and the running state.

Every optimizer of `backprop_book.training.optimizers` has the same method,
``update(params, grads)``: ``params`` and ``grads`` are dicts of arrays with the same keys and
shapes (``"W1"``, ``"b1"``, …). `Optimizer.update` checks that they match, then calls the
rule's ``_step`` for each array, which changes the parameter *in place*.

What a rule remembers between updates (Momentum's velocity, AdaGrad's sums of squares, Adam's
moments and step count) is its *running state*: `Optimizer.state` copies it and
`Optimizer.restore` puts a copy back, so that a diverging run (``Sequential.fit``, `Trainer`)
goes back to the optimizer of its last good step together with its weights.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["Optimizer"]


class Optimizer:
    """Base class: checks that ``params`` and ``grads`` match, then calls ``_step``.

    Subclasses implement ``_step(key, param, grad)``, which must change ``param`` in place,
    and set ``default_lr``, the learning rate a name such as ``"sgd"`` gets
    (`backprop_book.training.optimizers.OPTIMIZERS`).

    Examples:
        >>> class Halve(Optimizer):
        ...     def _step(self, key, param, grad):
        ...         param *= 0.5
        >>> p = {"W": np.array([2.0, 4.0])}
        >>> Halve().update(p, {"W": np.zeros(2)})
        >>> p["W"]
        array([1., 2.])
    """

    default_lr = 0.01

    def update(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array in ``params`` in place, using ``grads`` with the same keys.

        Args:
            params: name → parameter array (changed in place, must be a float ndarray).
            grads: name → gradient array of the same shape.

        Raises:
            KeyError: if the two dicts do not have the same keys.
            ValueError: if a gradient's shape differs from its parameter's.
            TypeError: if a parameter is not a floating-point numpy array.
        """
        name = type(self).__name__
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        if missing or extra:
            raise KeyError(
                f"{name}.update: params and grads must have the same keys; "
                f"missing gradients for {missing}, gradients without parameter {extra}"
            )
        for key in params:
            param, grad = params[key], np.asarray(grads[key])
            if not isinstance(param, np.ndarray) or not np.issubdtype(param.dtype, np.floating):
                raise TypeError(
                    f"{name}.update: params[{key!r}] must be a float numpy array "
                    f"(updated in place), got {type(param).__name__}"
                    + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else "")
                )
            if param.shape != grad.shape:
                raise ValueError(
                    f"{name}.update: params[{key!r}] has shape {param.shape} "
                    f"but grads[{key!r}] has shape {grad.shape}"
                )
        self._begin_update()
        for key in params:
            self._step(key, params[key], np.asarray(grads[key]))

    def state(self) -> dict[str, Any]:
        """Copies of the running state: every attribute that is not a constructor argument
        (of the class or of a base class: ``lr``, ``momentum``, ``eps``, … are settings).

        Returns:
            Attribute name → a deep copy of its value (``{}`` for ``SGD``: it remembers nothing).

        Examples:
            >>> from backprop_book.training.optimizers import Momentum
            >>> opt = Momentum(lr=0.1)
            >>> opt.update({"W": np.ones(2)}, {"W": np.ones(2)})
            >>> opt.state()  # the velocity after one step; lr and momentum are settings
            {'v': {'W': array([-0.1, -0.1])}}
        """
        settings = _settings(type(self))
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k not in settings}

    def restore(self, state: Mapping[str, Any]) -> None:
        """Put back a running state that `state` returned (a copy: ``state`` stays as it is).

        Args:
            state: What ``state()`` returned, on this optimizer or one of the same class.

        Raises:
            ValueError: if ``state`` does not have exactly the names of this running state.

        Examples:
            >>> from backprop_book.training.optimizers import Adam
            >>> opt = Adam()
            >>> start = opt.state()
            >>> opt.update({"W": np.ones(1)}, {"W": np.ones(1)})
            >>> opt.restore(start)
            >>> opt.iter, opt.m
            (0, {})
        """
        names, given = sorted(self.state()), sorted(state)
        if names != given:
            raise ValueError(f"{type(self).__name__}.restore: the state must have the names "
                             f"{names}, got {given}")  # fmt: skip
        for key, value in state.items():
            setattr(self, key, copy.deepcopy(value))

    def _begin_update(self) -> None:
        """Called once per ``update`` after the checks passed (Adam counts steps here)."""

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not isinstance(v, dict))
        return f"{type(self).__name__}({fields})"


_SETTINGS: dict[type, frozenset[str]] = {}


def _settings(cls: type) -> frozenset[str]:
    """The constructor arguments of ``cls`` and of its base classes (read once per class: the
    trainers copy the state at every step)."""
    if cls not in _SETTINGS:
        inits = [vars(c)["__init__"] for c in cls.__mro__ if "__init__" in vars(c)]
        _SETTINGS[cls] = frozenset(n for init in inits for n in inspect.signature(init).parameters)
    return _SETTINGS[cls]
