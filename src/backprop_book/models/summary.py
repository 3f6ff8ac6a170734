"""``model.summary()``: Keras' table of layers, output shapes and parameter counts.

As in Keras, the total counts every weight; ``BatchNormalization``'s running mean and variance
are the non-trainable ones (the optimizer does not change them).

Examples:
    >>> from backprop_book.models import Dense, Sequential
    >>> lines = summary_lines(Sequential([Dense(50, input_dim=784)]))
    >>> lines[3]
    'dense_1 (Dense)              (None, 50)                39250'
"""

from __future__ import annotations

from typing import Any

__all__ = ["summary_lines"]


def summary_lines(model: Any) -> list[str]:
    """The lines of the summary: ``Layer (type)``, ``Output Shape``, ``Param #``, the totals.

    Args:
        model: A built ``Sequential`` (its ``input_shape`` and ``layers``).

    Examples:
        >>> from backprop_book.models import Dense, Sequential
        >>> summary_lines(Sequential([Dense(2, input_dim=3)]))[-4:-1]
        ['Total params: 8', 'Trainable params: 8', 'Non-trainable params: 0']
    """
    if not model.built:
        raise ValueError(
            "Sequential.summary: the model is not built yet; give the first layer "
            "input_dim=... (or input_shape=...), or call build() or fit() first"
        )
    rows, shape = [("Layer (type)", "Output Shape", "Param #")], model.input_shape
    for layer in model.layers:
        shape = layer.output_shape(shape)  # e.g. (50,): shown as (None, 50), None = any N
        name = f"{layer.name} ({type(layer).__name__})"
        rows.append((name, str((None, *shape)), str(layer.count_params())))
    table = [f"{a:<28} {b:<25} {c}".rstrip() for a, b, c in rows]  # a space between, always
    rules = ["=" * 65] + ["_" * 65] * (len(rows) - 2) + ["=" * 65]
    total, fixed = model.count_params(), model.count_non_trainable()
    lines = ["_" * 65]
    for line, rule in zip(table, rules, strict=True):
        lines += [line, rule]
    lines += [f"Total params: {total:,}", f"Trainable params: {total - fixed:,}"]
    return [*lines, f"Non-trainable params: {fixed:,}", "_" * 65]
