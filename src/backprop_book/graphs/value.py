"""A scalar computational graph that records every operation, so it can be drawn and differentiated.

Each arithmetic operation on a `Value` makes a new `Value` that remembers its node symbol
(×, +, exp, 1/x …), its inputs and its *local* gradients ∂out/∂input, computed during the forward
pass. `Value.backward` then applies the chain rule from the output back to the inputs:
every input receives `local gradient × upstream gradient`, and a value used by several nodes adds
up what each of them sends back. The idea follows Andrej Karpathy's micrograd `Value` and the
computational graphs of chapter 5 of *Deep Learning from Scratch* (밑바닥부터 시작하는 딥러닝);
`backprop_book.graphs.drawing` turns a recorded graph into the book's SVG figures.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable

# The checks of the graph engine, in the phrasing of `backprop_book.checks` (which needs numpy,
# while this subpackage runs on the standard library alone): "where: what, what was given".


def _finite(x: float, op: str, what: str = "result") -> float:
    """``x`` if it is finite; else a ``ValueError`` naming the operation."""
    if not math.isfinite(x):
        raise ValueError(f"{op}: the {what} must be a finite number, got {x!r}")
    return x


def _number(x: object, op: str, what: str = "input") -> float:
    """``x`` as a finite ``float``; a ``TypeError`` for anything but a real number."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{op}: the {what} must be a real number or a Value, got {x!r} ({type(x).__name__})"
        )
    return _finite(float(x), op, what)


class Value:
    """A scalar in a computational graph: its value, its gradient and how it was computed.

    Args:
        data: The number (must be finite).
        name: A name drawn beside the value in a figure, e.g. ``"apple"``.
        ko: The Korean term from the lecture notes, drawn under the name, e.g. ``"사과"``.
        constant: True for a fixed number such as the ``1`` in ``1 + exp(-x)``; plain Python
            numbers in an expression become constants automatically.

    Attributes:
        grad: ∂out/∂(this value) after ``out.backward()``; 0.0 before.
        op: The node symbol that produced this value (``None`` for an input or a constant).
        inputs: The values the node read.
        local_grads: ∂(this value)/∂(input) for each input, fixed during the forward pass.

    Examples:
        >>> x = Value(3.0, "x")
        >>> y = x * 4 + x          # x feeds two nodes: its gradients add
        >>> y.backward()
        >>> y.data, x.grad
        (15.0, 5.0)
        >>> y.op, [v.data for v in y.inputs], y.local_grads
        ('+', [12.0, 3.0], (1.0, 1.0))
    """

    def __init__(
        self, data: float, name: str | None = None, ko: str | None = None, *, constant: bool = False
    ) -> None:
        self.data = _number(data, "Value")
        self.name, self.ko, self.constant = name, ko, constant
        self.grad = 0.0
        self.op: str | None = None
        self.inputs: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r}, op={self.op!r}, name={self.name!r})"

    # --8<-- [start:record]
    @classmethod
    def _node(
        cls, op: str, data: float, inputs: tuple[Value, ...], local_grads: tuple[float, ...]
    ) -> Value:
        """Record one node: its output, its inputs and ∂output/∂input for each input."""
        out = cls(_finite(data, op))
        out.op, out.inputs = op, inputs
        out.local_grads = tuple(_finite(g, op, "local gradient") for g in local_grads)
        return out

    # --8<-- [end:record]

    @staticmethod
    def _wrap(other: object, op: str) -> Value:
        return other if isinstance(other, Value) else Value(_number(other, op), constant=True)

    # --8<-- [start:ops]
    def __add__(self, other: Value | float) -> Value:
        other = self._wrap(other, "+")
        return self._node("+", self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other: Value | float) -> Value:
        other = self._wrap(other, "×")  # the mul node swaps its inputs: ∂(xy)/∂x = y
        return self._node("×", self.data * other.data, (self, other), (other.data, self.data))

    def __neg__(self) -> Value:
        return self._node("×(−1)", -self.data, (self,), (-1.0,))

    def __sub__(self, other: Value | float) -> Value:
        other = self._wrap(other, "−")
        return self._node("−", self.data - other.data, (self, other), (1.0, -1.0))

    def exp(self) -> Value:
        """``exp(x)``, whose local gradient is ``exp(x)`` itself."""
        try:
            y = math.exp(self.data)
        except OverflowError:
            raise ValueError(
                f"exp: the result must be a finite number, got exp({self.data!r}), which "
                "overflows a float; use an input below 709"
            ) from None
        return self._node("exp", y, (self,), (y,))

    def reciprocal(self) -> Value:
        """``y = 1/x``, whose local gradient is ``−1/x² = −y²``."""
        if self.data == 0:
            raise ValueError("1/x: the input must not be 0, got 0.0 (1/0 is undefined)")
        y = 1.0 / self.data
        return self._node("1/x", y, (self,), (-y * y,))

    def sigmoid(self) -> Value:
        """``y = 1/(1 + exp(−x))`` as one node, whose local gradient is ``y(1 − y)``."""
        x = self.data
        y = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._node("σ", y, (self,), (y * (1.0 - y),))

    # --8<-- [end:ops]

    def __truediv__(self, other: Value | float) -> Value:
        return self * self._wrap(other, "/").reciprocal()

    __radd__ = __add__  # 2 + x is drawn as x + 2
    __rmul__ = __mul__

    def __rsub__(self, other: float) -> Value:
        return self._wrap(other, "−") - self

    def __rtruediv__(self, other: float) -> Value:
        numerator = self._wrap(other, "/")
        return self.reciprocal() if numerator.data == 1 else numerator * self.reciprocal()

    def topo(self) -> list[Value]:
        """Every value this one depends on, each once, inputs before the nodes that read them.

        Examples:
            >>> a, b = Value(1, "a"), Value(2, "b")
            >>> [v.name or v.op for v in (a * b + a).topo()]
            ['a', 'b', '×', '+']
        """
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:  # iterative depth-first post-order: deep graphs do not hit the recursion limit
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((u, False) for u in reversed(v.inputs) if id(u) not in seen)
        return order

    # --8<-- [start:backward]
    def backward(self, dout: float = 1.0) -> None:
        """Fill ``grad`` of every value in the graph with ∂self/∂value (times ``dout``).

        Gradients are zeroed first, so calling ``backward()`` twice gives the same gradients.

        Examples:
            >>> x = Value(2.0, "x")
            >>> z = x * x
            >>> z.backward(); z.backward()
            >>> x.grad
            4.0
        """
        order = self.topo()
        for v in order:
            v.grad = 0.0
        self.grad = _number(dout, "backward", "dout")
        for v in reversed(order):  # outputs before inputs: each node's grad is complete here
            for u, local in zip(v.inputs, v.local_grads, strict=True):
                u.grad = _finite(u.grad + local * v.grad, f"backward through {v.op}", "gradient")

    # --8<-- [end:backward]

    def named(self) -> dict[str, Value]:
        """The named values of the graph, by name (e.g. the inputs of a builder).

        Examples:
            >>> from backprop_book.graphs.examples import apple_graph
            >>> apple_graph().named()["tax"].grad
            200.0
        """
        return {v.name: v for v in self.topo() if v.name}


_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
}
_UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": operator.neg,
    "exp": Value.exp,
    "reciprocal": Value.reciprocal,
    "sigmoid": Value.sigmoid,
}


def apply(op: str, *operands: Value | float) -> Value:
    """Apply an operation by name (``"add"``, ``"mul"``, ``"exp"`` …) to values or numbers.

    Raises:
        ValueError: For an unknown operation name.
        TypeError: For the wrong number of operands, or an operand that is not a number.

    Examples:
        >>> apply("mul", Value(3.0), 4).data
        12.0
        >>> apply("add", Value(3.0))
        Traceback (most recent call last):
        ...
        TypeError: apply: add takes 2 operand(s), got 1
    """
    arity = 2 if op in _BINARY else 1 if op in _UNARY else 0
    if not arity:
        known = ", ".join(sorted([*_BINARY, *_UNARY]))
        raise ValueError(f"apply: unknown operation {op!r}; choose one of {known}")
    if len(operands) != arity:
        raise TypeError(f"apply: {op} takes {arity} operand(s), got {len(operands)}")
    values = [Value._wrap(a, op) for a in operands]
    return _BINARY[op](*values) if arity == 2 else _UNARY[op](*values)
