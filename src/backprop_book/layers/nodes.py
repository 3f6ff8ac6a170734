"""Nodes of the computational-graph chapters: multiply, add, reciprocal, exp, and constants.

*Deep Learning from Scratch* section 5.4 builds the apple example from ``MulLayer`` and
``AddLayer``; section 5.5.2 and the lecture notes derive the sigmoid's backward pass through a
graph of four nodes: ``×(−1)``, ``exp``, ``+1`` and ``1/x``. Each node here has that one local
rule and the layer pattern: ``forward`` stores what ``backward`` needs, ``backward(dout)``
multiplies ``dout`` by the local derivative.

They work on Python numbers (``MulLayer().forward(100, 2)`` is ``200``, as in the book) and on
numpy arrays. When two array inputs broadcast, each gradient is summed back to its input's shape.
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import dout_like, not_ready

Number = float | np.ndarray


def _unbroadcast(grad: Number, shape: tuple[int, ...]) -> Number:
    """Sum ``grad`` over the axes that broadcasting added, so it has ``shape``."""
    if np.shape(grad) == shape:
        return grad
    g = np.asarray(grad)
    g = g.sum(axis=tuple(range(g.ndim - len(shape))))  # leading axes
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


def _broadcast_shape(name: str, x: Number, y: Number) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:
        raise ValueError(
            f"{name}: x of shape {np.shape(x)} and y of shape {np.shape(y)} "
            "cannot be broadcast together"
        ) from None


def _copy(value: Number) -> Number:
    return value.copy() if isinstance(value, np.ndarray) else value


# --8<-- [start:mul_layer]
class MulLayer:
    """Multiplication node $z = xy$; backward $dx = dout \\cdot y$, $dy = dout \\cdot x$.

    Examples:
        >>> mul = MulLayer()
        >>> mul.forward(100, 2)
        200
        >>> mul.backward(1.1)  # doctest: +NUMBER
        (2.2, 110.0)
    """

    def __init__(self) -> None:
        self.x: Number | None = None
        self.y: Number | None = None

    def forward(self, x: Number, y: Number) -> Number:
        """Return ``x * y`` and remember both inputs."""
        self.x = self.y = None
        _broadcast_shape("MulLayer", x, y)
        out = x * y
        self.x, self.y = _copy(x), _copy(y)
        return out

    def backward(self, dout: Number) -> tuple[Number, Number]:
        """Return ``(dout * y, dout * x)``: each input gets the other input (swapped)."""
        if self.x is None or self.y is None:
            raise not_ready("MulLayer")
        dout_like("MulLayer", dout, _broadcast_shape("MulLayer", self.x, self.y))
        dx = dout * self.y
        dy = dout * self.x
        return _unbroadcast(dx, np.shape(self.x)), _unbroadcast(dy, np.shape(self.y))


# --8<-- [end:mul_layer]


# --8<-- [start:add_layer]
class AddLayer:
    """Addition node $z = x + y$; backward passes ``dout`` on to both inputs unchanged.

    Examples:
        >>> add = AddLayer()
        >>> add.forward(200, 450)
        650
        >>> add.backward(1.1)
        (1.1, 1.1)
    """

    def __init__(self) -> None:
        self.x_shape: tuple[int, ...] | None = None
        self.y_shape: tuple[int, ...] | None = None

    def forward(self, x: Number, y: Number) -> Number:
        """Return ``x + y`` (only the shapes are needed for backward)."""
        self.x_shape = self.y_shape = None
        _broadcast_shape("AddLayer", x, y)
        out = x + y
        self.x_shape, self.y_shape = np.shape(x), np.shape(y)
        return out

    def backward(self, dout: Number) -> tuple[Number, Number]:
        """Return ``(dout, dout)`` (copies, summed back to each input's shape)."""
        if self.x_shape is None or self.y_shape is None:
            raise not_ready("AddLayer")
        dout_like("AddLayer", dout, np.broadcast_shapes(self.x_shape, self.y_shape))
        dx = _unbroadcast(_copy(dout), self.x_shape)
        dy = _unbroadcast(_copy(dout), self.y_shape)
        return dx, dy


# --8<-- [end:add_layer]


# --8<-- [start:mul_const_layer]
class MulConstLayer:
    """Multiply by a constant, $y = c\\,x$; backward $dx = dout \\cdot c$.

    Args:
        c: The constant (``-1`` in the sigmoid graph).

    Examples:
        >>> node = MulConstLayer(-1)
        >>> node.forward(2.0), node.backward(1.0)
        (-2.0, -1.0)
    """

    def __init__(self, c: float) -> None:
        self.c = c
        self.out_shape: tuple[int, ...] | None = None

    def forward(self, x: Number) -> Number:
        """Return ``c * x``."""
        self.out_shape = None
        out = self.c * x
        self.out_shape = np.shape(out)
        return out

    def backward(self, dout: Number) -> Number:
        """Return ``dout * c``."""
        if self.out_shape is None:
            raise not_ready("MulConstLayer")
        dout_like("MulConstLayer", dout, self.out_shape)
        return dout * self.c


# --8<-- [end:mul_const_layer]


# --8<-- [start:add_const_layer]
class AddConstLayer:
    """Add a constant, $y = x + c$; backward $dx = dout$ (the local derivative is 1).

    Args:
        c: The constant (``1`` in the sigmoid graph).

    Examples:
        >>> node = AddConstLayer(1)
        >>> node.forward(2.0), node.backward(0.5)
        (3.0, 0.5)
    """

    def __init__(self, c: float) -> None:
        self.c = c
        self.out_shape: tuple[int, ...] | None = None

    def forward(self, x: Number) -> Number:
        """Return ``x + c``."""
        self.out_shape = None
        out = x + self.c
        self.out_shape = np.shape(out)
        return out

    def backward(self, dout: Number) -> Number:
        """Return ``dout`` (a copy)."""
        if self.out_shape is None:
            raise not_ready("AddConstLayer")
        dout_like("AddConstLayer", dout, self.out_shape)
        return _copy(dout)


# --8<-- [end:add_const_layer]


# --8<-- [start:exp_layer]
class ExpLayer:
    """Exponential node $y = \\exp(x)$; backward $dx = dout \\cdot \\exp(x) = dout \\cdot y$.

    Examples:
        >>> node = ExpLayer()
        >>> float(node.forward(0.0)), float(node.backward(2.0))
        (1.0, 2.0)
    """

    def __init__(self) -> None:
        self.out: Number | None = None

    def forward(self, x: Number) -> Number:
        """Return ``exp(x)`` and remember it."""
        self.out = None
        self.out = np.exp(x)
        return self.out

    def backward(self, dout: Number) -> Number:
        """Return ``dout * y``: the exp node's local derivative is its own output."""
        if self.out is None:
            raise not_ready("ExpLayer")
        dout_like("ExpLayer", dout, np.shape(self.out))
        return dout * self.out


# --8<-- [end:exp_layer]


# --8<-- [start:reciprocal_layer]
class ReciprocalLayer:
    """Reciprocal node $y = 1/x$; backward $dx = dout \\cdot (-1/x^2) = dout \\cdot (-y^2)$.

    Examples:
        >>> node = ReciprocalLayer()
        >>> node.forward(2.0), node.backward(1.0)
        (0.5, -0.25)
    """

    def __init__(self) -> None:
        self.out: Number | None = None

    def forward(self, x: Number) -> Number:
        """Return ``1 / x`` and remember it; ``x`` must not contain 0."""
        self.out = None
        if np.any(np.asarray(x) == 0):
            raise ValueError("ReciprocalLayer: x contains 0, and 1/0 is undefined")
        self.out = 1 / x
        return self.out

    def backward(self, dout: Number) -> Number:
        """Return ``dout * (-y**2)``."""
        if self.out is None:
            raise not_ready("ReciprocalLayer")
        dout_like("ReciprocalLayer", dout, np.shape(self.out))
        return dout * (-(self.out**2))


# --8<-- [end:reciprocal_layer]
