"""Ready-made computational graphs: the examples of the book's pages, built from `Value`.

The apple and orange shopping graphs are the running example of *Deep Learning from Scratch*
chapter 5 (and of the lecture notes: price (가격), tax (부가세)); ``add_mul_graph`` is the
``f = (x + y)·z`` example of the CS231n notes; ``fan_out_graph`` shows gradients adding up where a
value feeds two nodes; ``sigmoid_graph`` is the sigmoid as ×(−1) → exp → +1 → 1/x. Each builder
names its output and (by default) runs the backward pass, so it is ready to draw with
:func:`backprop_book.graphs.drawing.to_svg`.
"""

from __future__ import annotations

from backprop_book.graphs.value import Value

__all__ = [
    "add_graph",
    "add_mul_graph",
    "apple_graph",
    "apple_orange_graph",
    "fan_out_graph",
    "mul_graph",
    "sigmoid_graph",
]


def _done(out: Value, backward: bool, name: str, ko: str | None = None) -> Value:
    out.name, out.ko = name, ko
    if backward:
        out.backward()
    return out


def apple_graph(
    apple: float = 100, count: float = 2, tax: float = 1.1, backward: bool = True
) -> Value:
    """price (가격) = (apple (사과) × count (개수)) × tax (부가세).

    Examples:
        >>> round(apple_graph().data, 6)
        220.0
    """
    apple_v = Value(apple, "apple", "사과")
    count_v = Value(count, "count", "개수")
    tax_v = Value(tax, "tax", "부가세")
    price = (apple_v * count_v) * tax_v
    return _done(price, backward, "price", "가격")


def apple_orange_graph(
    apple: float = 100,
    apple_count: float = 2,
    orange: float = 150,
    orange_count: float = 3,
    tax: float = 1.1,
    backward: bool = True,
) -> Value:
    """price (가격) = {(apple × apple_count) + (orange × orange_count)} × tax (부가세).

    Examples:
        >>> round(apple_orange_graph().data, 6)
        715.0
    """
    a, na = Value(apple, "apple", "사과"), Value(apple_count, "apple_count", "개수")
    o, no = Value(orange, "orange", "귤"), Value(orange_count, "orange_count", "개수")
    return _done((a * na + o * no) * Value(tax, "tax", "부가세"), backward, "price", "가격")


def mul_graph(x: float = 3.0, y: float = 5.0, backward: bool = True) -> Value:
    """``z = x × y``: the multiplication node on its own.

    Examples:
        >>> [v.grad for v in mul_graph(3.0, 5.0).inputs]  # each input gets the other one
        [5.0, 3.0]
    """
    return _done(Value(x, "x") * Value(y, "y"), backward, "z")


def add_graph(x: float = 3.0, y: float = 5.0, backward: bool = True) -> Value:
    """``z = x + y``: the addition node on its own.

    Examples:
        >>> [v.grad for v in add_graph(3.0, 5.0).inputs]  # each input gets the gradient as is
        [1.0, 1.0]
    """
    return _done(Value(x, "x") + Value(y, "y"), backward, "z")


def add_mul_graph(x: float = -2.0, y: float = 5.0, z: float = -4.0, backward: bool = True) -> Value:
    """``f = (x + y) × z``: an add node feeding a mul node (the example of CS231n's notes).

    Examples:
        >>> f = add_mul_graph()
        >>> f.data, [f.named()[k].grad for k in "xyz"]
        (-12.0, [-4.0, -4.0, 3.0])
    """
    q = Value(x, "x") + Value(y, "y")
    q.name = "q"
    return _done(q * Value(z, "z"), backward, "f")


def fan_out_graph(x: float = 3.0, y: float = 4.0, z: float = 2.0, backward: bool = True) -> Value:
    """``f = y × x + x × z``: x feeds two nodes, so ∂f/∂x = y + z adds two gradients.

    Examples:
        >>> f = fan_out_graph(3.0, 4.0, 2.0)
        >>> f.data, f.named()["x"].grad
        (18.0, 6.0)
    """
    xv = Value(x, "x")
    return _done(Value(y, "y") * xv + xv * Value(z, "z"), backward, "f")


def sigmoid_graph(x: float = 1.0, backward: bool = True) -> Value:
    """``y = 1/(1 + exp(−x))`` built from the nodes ×(−1) → exp → +1 → 1/x.

    Examples:
        >>> y = sigmoid_graph(0.0)
        >>> y.data, y.named()["x"].grad       # y(1 − y) = 0.5 × 0.5
        (0.5, 0.25)
    """
    return _done(((-Value(x, "x")).exp() + 1).reciprocal(), backward, "y")
