"""Nodes of the computational-graph chapters: multiply, add, reciprocal, exp, and constants.

*Deep Learning from Scratch* section 5.4 builds the apple example from ``MulLayer`` and
``AddLayer``; section 5.5.2 and the lecture notes derive the sigmoid's backward pass through a
graph of four nodes: ``×(−1)``, ``exp``, ``+1`` and ``1/x``. Each node here has that one local
rule and the layer pattern: ``forward`` stores what ``backward`` needs, ``backward(dout)``
multiplies ``dout`` by the local derivative.

They work on Python numbers (``MulLayer().forward(100, 2)`` is ``200``, as in the book) and on
numpy arrays. When two array inputs broadcast (a number times an array), an input that was
used many times collects the gradient of every use: `sum_to_shape` adds them up.
"""

from __future__ import annotations

import numpy as np

from backprop_book.backward_checks import backward_inputs, dout_like

__all__ = [
    "AddConstLayer",
    "AddLayer",
    "ExpLayer",
    "MulConstLayer",
    "MulLayer",
    "ReciprocalLayer",
    "sum_to_shape",
]

Number = float | np.ndarray


def sum_to_shape(grad: Number, shape: tuple[int, ...]) -> Number:
    """Sum ``grad`` over the axes that broadcasting added, so that it has ``shape``.

    An input that broadcasting used several times (a number times an array) receives the
    gradient of every use, and the chain rule adds them up. ``grad`` of that shape already is
    returned as it is.

    Examples:
        >>> sum_to_shape(np.array([1.0, 2.0, 3.0]), ())  # a number used three times
        np.float64(6.0)
        >>> sum_to_shape(np.ones((2, 3)), (1, 3))
        array([[2., 2., 2.]])
    """
    if np.shape(grad) == shape:
        return grad
    g = np.asarray(grad)
    g = g.sum(axis=tuple(range(g.ndim - len(shape))))  # leading axes
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


def _broadcast(name: str, x: Number, y: Number) -> tuple[int, ...]:
    """The shape of ``x`` and ``y`` broadcast together (the output's), or a clear error."""
    try:
        return np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:
        raise ValueError(
            f"{name}: x of shape {np.shape(x)} and y of shape {np.shape(y)} "
            "cannot be broadcast together"
        ) from None


def _copy(value: Number) -> Number:
    """A copy of an array (so a later change by the caller cannot reach the cache)."""
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
        self.inputs: tuple[Number, Number] | None = None  # (x, y)
        self.out_shape: tuple[int, ...] | None = None

    def forward(self, x: Number, y: Number) -> Number:
        """Return ``x * y`` and remember both inputs."""
        self.inputs = self.out_shape = None
        out_shape = _broadcast("MulLayer", x, y)  # checked: x and y fit together
        out = x * y
        self.inputs, self.out_shape = (_copy(x), _copy(y)), out_shape
        return out

    def backward(self, dout: Number) -> tuple[Number, Number]:
        """Return ``(dout * y, dout * x)``: each input gets the other input (swapped)."""
        (x, y), dout = backward_inputs("MulLayer", self.inputs, dout, self.out_shape)
        dx = dout * y
        dy = dout * x
        return sum_to_shape(dx, np.shape(x)), sum_to_shape(dy, np.shape(y))


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
        self.input_shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self.out_shape: tuple[int, ...] | None = None

    def forward(self, x: Number, y: Number) -> Number:
        """Return ``x + y`` (only the shapes are needed for backward)."""
        self.input_shapes = self.out_shape = None
        out_shape = _broadcast("AddLayer", x, y)  # checked: x and y fit together
        out = x + y
        self.input_shapes, self.out_shape = (np.shape(x), np.shape(y)), out_shape
        return out

    def backward(self, dout: Number) -> tuple[Number, Number]:
        """Return ``(dout, dout)`` (copies, summed back to each input's shape)."""
        (x_shape, y_shape), dout = backward_inputs(
            "AddLayer", self.input_shapes, dout, self.out_shape
        )
        dx = dout * 1  # a new array (or number), never dout itself
        dy = dout * 1
        return sum_to_shape(dx, x_shape), sum_to_shape(dy, y_shape)


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
        dout = dout_like("MulConstLayer", dout, self.out_shape)  # checked: forward ran, shape
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
        """Return ``dout * 1``: the local derivative of ``x + c`` is 1 (a new array)."""
        dout = dout_like("AddConstLayer", dout, self.out_shape)  # checked: forward ran, shape
        return dout * 1


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
        y, dout = backward_inputs("ExpLayer", self.out, dout)  # checked: forward ran, shape
        return dout * y


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
            raise ValueError("ReciprocalLayer: x contains 0, and 1/0 is undefined; avoid x = 0")
        self.out = 1 / x
        return self.out

    def backward(self, dout: Number) -> Number:
        """Return ``dout * (-y**2)``."""
        y, dout = backward_inputs("ReciprocalLayer", self.out, dout)  # checked: forward ran
        return dout * (-(y**2))


# --8<-- [end:reciprocal_layer]
