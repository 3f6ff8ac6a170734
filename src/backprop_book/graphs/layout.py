"""Where a computational graph's nodes go, and the numbers written on it.

The figures of :mod:`backprop_book.graphs.drawing` read left to right like the graphs of
*Deep Learning
from Scratch* chapter 5. The layout is a small layered one written here (no Graphviz binary): a
node's column is one more than its deepest input's, inputs get one row each in the order they are
first read, and a node sits at the mean height of its inputs; a constant sits below and to the
left of the node it feeds. The same graph always gives the same positions.

Number formatting rule (`format_number`): four significant digits, but never fewer digits than
the integer part has; trailing zeros dropped, so float noise disappears (220.00000000000003 →
220, 2.2000000000000006 → 2.2, 0.7310585786 → 0.7311); numbers below 1e-4 or from 1e16 up in
scientific notation; negative numbers with a true minus sign (−).
"""

from __future__ import annotations

import itertools
import math

from backprop_book.graphs.value import Value

R, ROW_H, FONT = 22.0, 90.0, 14.0  # node radius, row height, label font size (px)
_TEMPLATES = {"exp": "exp({})", "1/x": "1/{}", "×(−1)": "−{}", "σ": "σ({})"}


def format_number(x: float) -> str:
    """Format a number for a figure or a page: 4 significant digits, float noise removed.

    Examples:
        >>> [format_number(v) for v in (220.00000000000003, 2.2000000000000006, 39250.0)]
        ['220', '2.2', '39250']
        >>> [format_number(v) for v in (0.7310585786, -0.5, 1.5e-07, 0.0)]
        ['0.7311', '−0.5', '1.5e−07', '0']
    """
    if x == 0:
        return "0"
    if abs(x) < 1e-4 or abs(x) >= 1e16:
        mantissa, exponent = f"{x:.3e}".split("e")
        text = mantissa.rstrip("0").rstrip(".") + "e" + exponent
    else:
        decimals = max(0, 4 - (math.floor(math.log10(abs(x))) + 1))
        text = f"{x:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace("-", "−")


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: wide glyphs (Hangul, CJK) one em, others 0.6 em."""
    return sum(size if ord(c) >= 0x1100 else 0.6 * size for c in text)


MAX_FORMULA = 10_000  # characters: a shared subexpression repeats, so formulas can double


def expressions(out: Value) -> dict[int, str]:
    """The formula of every value ``out`` depends on, by ``id``: one pass in `Value.topo` order.

    Iterative (a chain of thousands of nodes is fine) and refused with a ``ValueError`` past
    `MAX_FORMULA` characters (``o = o * o`` repeated doubles the text at every step).

    Examples:
        >>> from backprop_book.graphs.examples import apple_graph
        >>> out = apple_graph()
        >>> expressions(out)[id(out)]
        '(apple × count) × tax'
    """
    texts: dict[int, str] = {}
    for u in out.topo():  # inputs before the nodes that read them
        if u.op is None:
            texts[id(u)] = u.name or format_number(u.data)
            continue
        parts = [texts[id(w)] if w.op is None or len(w.inputs) == 1 else f"({texts[id(w)]})"
                 for w in u.inputs]  # a binary operation inside another is bracketed  # fmt: skip
        if len(parts) == 1:
            text = _TEMPLATES.get(u.op, u.op + "({})").format(parts[0])
        else:
            text = f" {u.op} ".join(parts)
        if len(text) > MAX_FORMULA:
            raise ValueError(
                f"expression: the formula is longer than {MAX_FORMULA} characters (a value used "
                "many times is written out each time); draw a smaller graph"
            )
        texts[id(u)] = text
    return texts


def expression(v: Value) -> str:
    """The formula a graph computes, with input names, e.g. ``(apple × count) × tax``.

    Examples:
        >>> from backprop_book.graphs.examples import apple_graph
        >>> expression(apple_graph())
        '(apple × count) × tax'
    """
    return expressions(v)[id(v)]


class Layout:
    """Positions of the nodes and the edges between them."""

    def __init__(self, out: Value, backward: bool, local: bool) -> None:
        self.order = out.topo()
        self.id = {id(v): f"n{i}" for i, v in enumerate(self.order)}
        self.edges = [(s, t, i) for t in self.order for i, s in enumerate(t.inputs)]
        self.fan: dict[int, int] = {}
        for s, _t, _i in self.edges:
            self.fan[id(s)] = self.fan.get(id(s), 0) + 1
        labels = [format_number(v.data) for v in self.order]
        for s, t, i in self.edges if backward else ():
            fan = self.fan[id(s)] > 1
            labels.append(total_label(self, s) if fan else grad_label(t, i, local))
        self.stub = max(text_width(text) for text in labels) + 20  # the straight part of an arrow
        col_w = self.col_w = self.stub + 110
        col: dict[int, int] = {}
        for v in self.order:
            main = [col[id(u)] for u in v.inputs if not u.constant]
            col[id(v)] = 1 + max(main, default=0) if v.op else 0
        rows: dict[int, float] = {}
        next_row = 0
        for c in range(max(col.values()) + 1):
            placed = []
            for v in self.order:
                if col[id(v)] != c or v.constant:
                    continue
                main_rows = [rows[id(u)] for u in v.inputs if not u.constant]
                if main_rows:
                    rows[id(v)] = sum(main_rows) / len(main_rows)
                else:
                    rows[id(v)], next_row = float(next_row), next_row + 1
                placed.append(v)
            placed.sort(key=lambda v: rows[id(v)])
            for a, b in itertools.pairwise(placed):  # keep one row between nodes
                rows[id(b)] = max(rows[id(b)], rows[id(a)] + 1)
        names = [text_width(v.name or "") for v in self.order if v.op is None and not v.constant]
        self.x0 = max([*names, 10.0]) + 16
        self.pos = {}
        for v in self.order:
            if not v.constant:
                self.pos[id(v)] = (self.x0 + col[id(v)] * col_w, rows[id(v)] * ROW_H)
        for s, t, _i in self.edges:  # a constant sits below and to the left of the node it feeds
            if s.constant and id(s) not in self.pos:
                tx, ty = self.pos[id(t)]
                self.pos[id(s)] = (tx - 0.55 * col_w, ty + 0.7 * ROW_H)

    def exit(self, v: Value) -> tuple[float, float]:
        x, y = self.pos[id(v)]
        if v.constant:
            return x + text_width(format_number(v.data)) / 2 + 4, y - 4
        return (x + R, y) if v.op else (x + 6, y)


def grad_label(t: Value, i: int, local: bool) -> str:
    """The gradient sent back along input ``i`` of node ``t``: local gradient × upstream."""
    grad = format_number(t.local_grads[i] * t.grad)
    if not local:
        return grad
    up, lo = (
        f"({n})" if n.startswith("−") else n for n in map(format_number, (t.grad, t.local_grads[i]))
    )
    return f"{up} × {lo} = {grad}"


def total_label(lay: Layout, v: Value) -> str:
    """The gradient of a value read by several nodes: the sum of what each node sends back."""
    sends = [t.local_grads[i] * t.grad for s, t, i in lay.edges if s is v]
    return " + ".join(format_number(g) for g in sends) + " = " + format_number(v.grad)
