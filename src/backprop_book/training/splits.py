"""Training, validation and test data: ``train_validation_split``, like Keras' ``validation_split``.

The lecture notes split the training data once more: TRAIN′ to fit the
weights, a validation part to choose settings and to stop early, and the test data kept for the
very end. Keras' ``fit(..., validation_split=0.2)`` takes the *last* 20 % of the arrays as
validation data, before any shuffling; :func:`train_validation_split` does the same, and can
shuffle first with an explicit seed.
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import fraction, same_length

Split = tuple[np.ndarray, np.ndarray]


def train_validation_split(
    x: np.ndarray,
    t: np.ndarray,
    validation_split: float = 0.2,
    *,
    shuffle: bool = False,
    seed: int | None = None,
) -> tuple[Split, Split]:
    """Split training data into TRAIN′ and validation, the way Keras' ``validation_split`` does.

    Keras keeps the first ``floor(N * (1 - validation_split))`` samples for training and
    validates on the rest, the *last* fraction, before any shuffling. With ``shuffle=True``
    the samples are first put in a random order drawn from ``np.random.default_rng(seed)``.

    Args:
        x: Inputs, first axis = samples.
        t: Targets with the same number of samples.
        validation_split: Fraction for validation, strictly between 0 and 1.
        shuffle: Shuffle (seeded) before splitting instead of taking the last fraction.
        seed: Seed of the shuffle; the same seed gives the same split.

    Returns:
        ``(x_train, t_train), (x_val, t_val)``.

    Raises:
        ValueError: If the fraction is not between 0 and 1, the numbers of samples differ, or
            either part would be empty.
        TypeError: If the fraction is not a number, or ``x`` or ``t`` has no first axis.

    Examples:
        >>> idx = np.arange(10)
        >>> (a, _), (b, _) = train_validation_split(idx, idx, 0.2)
        >>> a, b
        (array([0, 1, 2, 3, 4, 5, 6, 7]), array([8, 9]))
    """
    x, t = np.asarray(x), np.asarray(t)
    validation_split = fraction("train_validation_split", "validation_split", validation_split)
    same_length("train_validation_split", x=x, t=t)
    # --8<-- [start:train_validation_split]
    n = x.shape[0]
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"train_validation_split: {n} samples with validation_split={validation_split} "
            f"leave {split_at} for training and {n - split_at} for validation; both need at "
            "least one"
        )
    if shuffle:
        order = np.random.default_rng(seed).permutation(n)
        x, t = x[order], t[order]
    return (x[:split_at], t[:split_at]), (x[split_at:], t[split_at:])
    # --8<-- [end:train_validation_split]
