"""Dropout: in training, every input is kept or set to 0 at random; in inference, nothing is.

Srivastava, Hinton et al. (2014) drop each unit with probability ``rate`` on every training
step, so that no unit can rely on any other being there. *Deep Learning from Scratch*
(section 6.4) builds it as a layer with a mask, like ReLU's: ``forward`` draws the mask and
keeps it, and ``backward`` sends the gradient through the kept inputs only. This layer is
*inverted* dropout, as the frameworks implement it: the kept inputs are scaled by
$1/(1 - \\text{rate})$ during training, so that the expected output equals the input and
inference is the identity, with no rescaling at test time.

The mask is drawn from the layer's own generator (``numpy.random.default_rng(seed)``), so a
seeded layer gives the same masks on every run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_book.backward_checks import backward_inputs
from backprop_book.checks import fraction, numeric_array, positive_int

__all__ = ["Dropout"]


# --8<-- [start:dropout]
class Dropout:
    """Inverted dropout: keep each input with probability $1 - p$ and scale it by $1/(1 - p)$.

    Args:
        rate: The probability $p$ of dropping an input, in ``[0, 1)``.
        seed: Seed of the layer's random generator (an integer >= 0), a
            ``numpy.random.Generator`` to draw from, or ``None`` for a fresh unseeded one.
        name: Name used in error messages (default ``"Dropout"``).

    Examples:
        >>> layer = Dropout(0.5, seed=0)
        >>> layer.forward(np.array([1.0, 2.0, 3.0, 4.0]))  # kept inputs doubled
        array([2., 0., 0., 0.])
        >>> layer.mask
        array([ True, False, False, False])
        >>> layer.backward(np.array([1.0, 1.0, 1.0, 1.0]))  # the same route back
        array([2., 0., 0., 0.])
        >>> layer.forward(np.array([1.0, 2.0, 3.0, 4.0]), train_flg=False)  # the identity
        array([1., 2., 3., 4.])
    """

    def __init__(
        self,
        rate: float = 0.5,
        *,
        seed: int | np.random.Generator | None = None,
        name: str | None = None,
    ) -> None:
        self.name = name or "Dropout"
        self.rate = fraction(self.name, "rate", rate, zero=True)
        self.rng = _generator(self.name, seed)
        self.scale = 1.0  # the factor of the last forward: 1/(1 - rate) in training, else 1
        self.mask: np.ndarray | None = None  # True where the input was kept

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        """Training: drop inputs at random and scale the rest; inference: return ``x``."""
        self.mask = None
        x = numeric_array(self.name, x)  # checked: numbers, float32 kept
        if train_flg:
            mask = self.rng.random(x.shape) >= self.rate  # kept with probability 1 - rate
            self.scale = 1 / (1 - self.rate)
        else:
            mask = np.ones(x.shape, dtype=bool)  # everything kept, nothing scaled
            self.scale = 1.0
        out = np.where(mask, x * self.scale, 0).astype(x.dtype, copy=False)  # a new array
        self.mask = mask
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dx``: ``dout`` scaled where the input was kept, 0 where it was dropped."""
        mask, dout = backward_inputs(self.name, self.mask, dout)  # checked: forward ran, shape
        dout = numeric_array(self.name, dout, name="dout")
        dx = np.where(mask, dout * self.scale, 0).astype(dout.dtype, copy=False)
        return dx


# --8<-- [end:dropout]


def _generator(where: str, seed: Any) -> np.random.Generator:
    """A generator for ``seed``: ``None``, an integer >= 0, or a ``Generator`` used as it is."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(positive_int(where, "seed", seed, minimum=0))
