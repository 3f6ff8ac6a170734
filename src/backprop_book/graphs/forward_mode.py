"""Forward-mode derivatives on a recorded graph, and the chain rule as a sum over paths.

`Value.backward` is *reverse mode*: it seeds ∂out/∂out = 1 at the output and pulls gradients
back to every input in one sweep. Forward mode goes the other way: it seeds ∂x/∂x = 1 at one
input and pushes a derivative (a *tangent*) forward through the same recorded graph, node by
node, using the same local gradients; one sweep gives the derivative of every output with
respect to that one input. Both compute the same numbers, the sum over every path from the
input to the output of the product of the local gradients along the path (`paths` lists them).
The comparison follows Griewank and Walther, *Evaluating Derivatives*, and Baydin et al.,
"Automatic differentiation in machine learning: a survey" (2018).
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_book.graphs.value import Value


def _values(where: str, outputs: Sequence[Value], wrt: Value) -> list[Value]:
    """Every value the outputs depend on, inputs first; errors if ``wrt`` is not among them."""
    for what, v in [*(("outputs", o) for o in outputs), ("wrt", wrt)]:
        if not isinstance(v, Value):
            raise TypeError(f"{where}: {what} must be Value objects, got {type(v).__name__}")
    if not outputs:
        raise ValueError(f"{where}: outputs must hold at least one Value, got none")
    order: list[Value] = []
    seen: set[int] = set()
    for out in outputs:  # each topological order puts inputs first; their union keeps that
        for v in out.topo():
            if id(v) not in seen:
                seen.add(id(v))
                order.append(v)
    if id(wrt) not in seen:
        label = wrt.name or wrt.op or repr(wrt.data)
        raise ValueError(f"{where}: wrt ({label}) is not in the graph of the outputs")
    return order


# --8<-- [start:forward]
def forward_derivatives(outputs: Sequence[Value], wrt: Value) -> list[float]:
    """∂output/∂wrt for every output, in one forward sweep seeded with ∂wrt/∂wrt = 1.

    Args:
        outputs: Values of one or more recorded graphs.
        wrt: The value to differentiate with respect to (an input, usually).

    Returns:
        One derivative per output, in the order of ``outputs``.

    Raises:
        TypeError: An output or ``wrt`` is not a `Value`.
        ValueError: ``outputs`` is empty, or ``wrt`` is not in their graph.

    Examples:
        >>> x = Value(3.0, "x")
        >>> forward_derivatives([x * x, x * 4 + 1], x)  # d(x²)/dx = 2x, d(4x + 1)/dx = 4
        [6.0, 4.0]
    """
    order = _values("forward_derivatives", outputs, wrt)
    tangent = {id(wrt): 1.0}  # ∂v/∂wrt for every value v that depends on wrt
    for v in order:  # inputs before the nodes that read them: a node's inputs are done
        if v is wrt or not v.inputs:
            continue
        # the chain rule, forwards: ∂v/∂wrt = Σ over inputs u of (∂v/∂u) · (∂u/∂wrt)
        pushed = [
            local * tangent[id(u)]
            for u, local in zip(v.inputs, v.local_grads, strict=True)
            if id(u) in tangent
        ]
        if pushed:
            tangent[id(v)] = sum(pushed)
    return [tangent.get(id(out), 0.0) for out in outputs]


# --8<-- [end:forward]


def forward_derivative(out: Value, wrt: Value) -> float:
    """∂out/∂wrt by one forward sweep (forward mode); `Value.backward` gets it in reverse.

    Args:
        out: The output of a recorded graph.
        wrt: The value to differentiate with respect to.

    Returns:
        The derivative, the same number that ``out.backward()`` leaves in ``wrt.grad``.

    Examples:
        >>> from backprop_book.graphs.examples import apple_graph
        >>> price = apple_graph(backward=False)
        >>> round(forward_derivative(price, price.named()["apple"]), 10)
        2.2
    """
    return forward_derivatives([out], wrt)[0]


# --8<-- [start:paths]
def paths(out: Value, wrt: Value) -> list[tuple[list[Value], float]]:
    """Every path from ``wrt`` to ``out``, with the product of the local gradients along it.

    A value read twice by one node (``x * x``) has two edges into it, so two paths. The number
    of paths can grow exponentially with the depth of a graph: this is for small graphs, to
    show that the derivative is the sum of the products.

    Args:
        out: The output of a recorded graph.
        wrt: The value the paths start from.

    Returns:
        ``(path, product)`` pairs; each path lists the values from ``wrt`` to ``out``.

    Raises:
        TypeError: ``out`` or ``wrt`` is not a `Value`.
        ValueError: ``wrt`` is not in the graph of ``out``.

    Examples:
        >>> x, y = Value(3.0, "x"), Value(4.0, "y")
        >>> f = x * y + x
        >>> [([v.name or v.op for v in p], g) for p, g in paths(f, x)]
        [(['x', '×', '+'], 4.0), (['x', '+'], 1.0)]
    """
    _values("paths", [out], wrt)
    found: list[tuple[list[Value], float]] = []
    stack: list[tuple[Value, list[Value], float]] = [(out, [out], 1.0)]
    while stack:  # walk back from the output; a path ends when it reaches wrt
        v, path, product = stack.pop()
        if v is wrt:
            found.append((path[::-1], product))
            continue
        edges = zip(v.inputs, v.local_grads, strict=True)
        stack.extend((u, [*path, u], product * local) for u, local in reversed(list(edges)))
    return found


# --8<-- [end:paths]
