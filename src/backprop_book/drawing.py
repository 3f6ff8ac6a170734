"""Draw a recorded computational graph (`backprop_book.graph.Value`) as a self-contained SVG.

The figure reads left to right like the graphs of *Deep Learning from Scratch* chapter 5: input
names on the left, a circle with the node's symbol (×, +, exp, 1/x …) for every operation, the
forward value above each arrow and, in a second colour, the backward gradient below it. The
layout is a small layered one written here (no Graphviz binary): a node's column is one more than
its deepest input's, inputs get one row each in the order they are first read, and a node sits at
the mean height of its inputs. Colours are CSS variables with fallbacks (``--bp-forward``,
``--bp-backward``, ``--bp-stroke``, ``--bp-node-fill``, ``--bp-muted``), set for the light and dark
themes in ``docs/stylesheets/book.css``. The same graph always gives the same bytes.

Number formatting rule (`format_number`): four significant digits, but never fewer digits than
the integer part has; trailing zeros dropped, so float noise disappears (220.00000000000003 →
220, 2.2000000000000006 → 2.2, 0.7310585786 → 0.7311); numbers below 1e-4 or from 1e16 up in
scientific notation; negative numbers with a true minus sign (−).
"""

from __future__ import annotations

import html
import itertools
import math

from backprop_book.graph import Value

FORWARD, BACKWARD = "var(--bp-forward, #1f4fbf)", "var(--bp-backward, #c0392b)"
STROKE, FILL, MUTED = "var(--bp-stroke, #222)", "var(--bp-node-fill, #fff)", "var(--bp-muted, #666)"
R, ROW_H, FONT = 22.0, 90.0, 14.0  # node radius, row height, label font size (px)
_MID = {"text_anchor": "middle"}
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


def _width(text: str, size: float = FONT) -> float:
    """Rough rendered width: wide glyphs (Hangul, CJK) one em, others 0.6 em."""
    return sum(size if ord(c) >= 0x1100 else 0.6 * size for c in text)


def _c(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _path(d: str) -> str:
    return f'<path d="{d}" style="fill: none; stroke: {STROKE}; stroke-width: 1.5"/>'


def _arrow(x: float, y: float) -> str:
    """An arrowhead pointing right with its tip at (x, y)."""
    d = f"M{_c(x)} {_c(y)} L{_c(x - 9)} {_c(y - 4.5)} L{_c(x - 9)} {_c(y + 4.5)} Z"
    return f'<path class="bp-arrow" d="{d}" style="fill: {STROKE}"/>'


def _text(x: float, y: float, text: str, cls: str, colour: str, **attrs: str | float) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text class="{cls}" x="{_c(x)}" y="{_c(y)}" style="fill: {colour}"{extra}>'
        f"{html.escape(text)}</text>"
    )


def expression(v: Value) -> str:
    """The formula a graph computes, with input names, e.g. ``(apple × count) × tax``.

    Examples:
        >>> from backprop_book.graph import apple_graph
        >>> expression(apple_graph())
        '(apple × count) × tax'
    """

    def expr(u: Value, top: bool = False) -> str:
        if u.op is None:
            return u.name or format_number(u.data)
        parts = [expr(w) for w in u.inputs]
        if len(parts) == 1:
            return _TEMPLATES.get(u.op, u.op + "({})").format(parts[0])
        text = f" {u.op} ".join(parts)
        return text if top else f"({text})"

    return expr(v, top=True)


class _Layout:
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
            labels.append(_total_label(self, s) if fan else _grad_label(t, i, local))
        self.stub = max(_width(text) for text in labels) + 20  # the straight part of an arrow
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
                main = [rows[id(u)] for u in v.inputs if not u.constant]
                if main:
                    rows[id(v)] = sum(main) / len(main)
                else:
                    rows[id(v)], next_row = float(next_row), next_row + 1
                placed.append(v)
            placed.sort(key=lambda v: rows[id(v)])
            for a, b in itertools.pairwise(placed):  # keep one row between nodes
                rows[id(b)] = max(rows[id(b)], rows[id(a)] + 1)
        names = [_width(v.name or "") for v in self.order if v.op is None and not v.constant]
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
            return x + _width(format_number(v.data)) / 2 + 4, y - 4
        return (x + R, y) if v.op else (x + 6, y)


def _grad_label(t: Value, i: int, local: bool) -> str:
    """The gradient sent back along input ``i`` of node ``t``: local gradient × upstream."""
    grad = format_number(t.local_grads[i] * t.grad)
    if not local:
        return grad
    up, lo = (
        f"({n})" if n.startswith("−") else n for n in map(format_number, (t.grad, t.local_grads[i]))
    )
    return f"{up} × {lo} = {grad}"


def _total_label(lay: _Layout, v: Value) -> str:
    """The gradient of a value read by several nodes: the sum of what each node sends back."""
    sends = [t.local_grads[i] * t.grad for s, t, i in lay.edges if s is v]
    return " + ".join(format_number(g) for g in sends) + " = " + format_number(v.grad)


def _fan(lay: _Layout, v: Value, backward: bool) -> list[str]:
    """The shared stub of a value read by several nodes: its value above, the sum below."""
    sx, sy = lay.exit(v)
    hx, mx = sx + lay.stub, sx + lay.stub / 2
    attrs = f'class="bp-edge bp-fan" data-edge="fan-{lay.id[id(v)]}" data-from="{lay.id[id(v)]}"'
    attrs += f' data-value="{v.data!r}"' + (f' data-grad="{v.grad!r}"' if backward else "")
    parts = [f"<g {attrs}>", _path(f"M{_c(sx)} {_c(sy)} H{_c(hx)}")]
    parts.append(f'<circle class="bp-junction" cx="{_c(hx)}" cy="{_c(sy)}" r="3" '
                 f'style="fill: {STROKE}"/>')  # fmt: skip
    parts.append(_text(mx, sy - 7, format_number(v.data), "bp-forward", FORWARD, **_MID))
    if backward:
        total = _total_label(lay, v)
        parts.append(_text(mx, sy + 18, total, "bp-backward bp-grad-total", BACKWARD, **_MID))
    return [*parts, "</g>"]


def _edge(
    lay: _Layout, s: Value, t: Value, i: int, k: int, backward: bool, local: bool
) -> list[str]:
    """One input arrow: a straight stub carrying the labels, then a curve into the node."""
    sx, sy = lay.exit(s)
    tx, ty = lay.pos[id(t)]
    angle = max(-1.0, min(1.0, math.atan2(sy - ty, 60.0)))  # enter on the side it comes from
    ex, ey = tx - R * math.cos(angle), ty + R * math.sin(angle)
    bx = ex - 9  # the curve ends at the base of the arrowhead
    fan = lay.fan[id(s)] > 1
    hx = sx if s.constant else sx + lay.stub
    c = 0.5 * (bx - hx)
    head = f"M{_c(hx)} {_c(sy)}" if fan or s.constant else f"M{_c(sx)} {_c(sy)} H{_c(hx)}"
    path = f"{head} C{_c(hx + c)} {_c(sy)} {_c(bx - c)} {_c(ey)} {_c(bx)} {_c(ey)}"
    upstream, local_grad = t.grad, t.local_grads[i]
    attrs = (
        f'class="bp-edge" data-edge="e{k}" data-from="{lay.id[id(s)]}" data-to="{lay.id[id(t)]}" '
        f'data-input="{i}" data-value="{s.data!r}" data-local="{local_grad!r}"'
    )
    if backward:
        attrs += f' data-grad="{local_grad * upstream!r}" data-upstream="{upstream!r}"'
    parts = [f"<g {attrs}>", _path(path), _arrow(ex, ey)]
    grad = _grad_label(t, i, local)
    if fan and backward:  # the branch carries only its own share of the gradient
        slope = abs(2 * (ey - sy) / max(bx - hx, 1.0))
        drop = 18 + slope * _width(grad) / 2
        parts.append(_text((hx + bx) / 2, (sy + ey) / 2 + drop, grad, "bp-backward", BACKWARD,
                           **_MID))  # fmt: skip
    elif not fan and not s.constant:
        mx = (sx + hx) / 2
        parts.append(_text(mx, sy - 7, format_number(s.data), "bp-forward", FORWARD, **_MID))
        if backward:
            parts.append(_text(mx, sy + 18, grad, "bp-backward", BACKWARD, **_MID))
    return [*parts, "</g>"]


def _node(lay: _Layout, v: Value, backward: bool) -> list[str]:
    x, y = lay.pos[id(v)]
    kind = "op" if v.op else "constant" if v.constant else "input"
    attrs = f'class="bp-node bp-{kind}" data-node="{lay.id[id(v)]}" data-value="{v.data!r}"'
    attrs += f' data-op="{html.escape(v.op)}"' if v.op else ""
    attrs += f' data-name="{html.escape(v.name)}"' if v.name else ""
    attrs += f' data-grad="{v.grad!r}"' if backward else ""
    parts = [f"<g {attrs}>"]
    if v.op:
        size = 17 if len(v.op) <= 2 else 12 if len(v.op) <= 3 else 11
        parts.append(
            f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_c(R)}" '
            f'style="fill: {FILL}; stroke: {STROKE}; stroke-width: 1.5"/>'
        )
        parts.append(
            _text(
                x,
                y + size * 0.35,
                v.op,
                "bp-op-symbol",
                STROKE,
                text_anchor="middle",
                font_size=size,
            )
        )
        if v.name and v is not lay.order[-1]:  # a named intermediate value, e.g. q = x + y
            parts.append(_text(x, y - R - 6, v.name, "bp-name bp-name-op", MUTED, **_MID))
    elif v.constant:
        parts.append(
            _text(x, y + 1, format_number(v.data), "bp-constant", MUTED, text_anchor="middle")
        )
    else:
        parts.append(
            _text(x, y + 5, v.name or "", "bp-name", STROKE, text_anchor="end", font_weight="bold")
        )
        if v.ko:
            parts.append(_text(x, y + 22, v.ko, "bp-ko", MUTED, text_anchor="end", font_size=12))
    parts.append("</g>")
    return parts


def to_svg(
    out: Value,
    backward: bool = True,
    title: str | None = None,
    dout: float = 1.0,
    local: bool = False,
) -> str:
    """Draw the graph that computed ``out`` as an SVG string.

    Args:
        out: The last value of the graph (drawn with an arrow to its name on the right).
        backward: Also draw the backward pass: runs ``out.backward(dout)`` first, so the
            gradients below the arrows are always those of ``out``.
        title: The figure's title for screen readers (default: the formula).
        dout: The gradient arriving at ``out`` from the right.
        local: Write each gradient as ``upstream × local = product`` instead of the product.

    Returns:
        An ``<svg>`` element with ``role="img"``, a ``<title>`` and an ``aria-label``.

    Examples:
        >>> from backprop_book.graph import apple_graph
        >>> svg = to_svg(apple_graph())
        >>> svg.startswith("<svg") and ">220<" in svg and ">2.2<" in svg
        True
    """
    if backward:
        out.backward(dout)
    lay = _Layout(out, backward, local)
    ox, oy = lay.pos[id(out)]
    out_name = out.name or "out"
    end_x = ox + R + lay.stub + 30
    body = ['<g class="bp-edges">']
    for v in lay.order:
        if lay.fan.get(id(v), 0) > 1:
            body += _fan(lay, v, backward)
    for k, (s, t, i) in enumerate(lay.edges):
        body += _edge(lay, s, t, i, k, backward, local)
    body.append(
        f'<g class="bp-edge bp-output-edge" data-edge="out" data-from="{lay.id[id(out)]}" '
        f'data-value="{out.data!r}"' + (f' data-grad="{out.grad!r}">' if backward else ">")
    )
    body += [_path(f"M{_c(ox + R)} {_c(oy)} L{_c(end_x - 9)} {_c(oy)}"), _arrow(end_x, oy)]
    mid = (ox + R + end_x) / 2
    body.append(
        _text(mid, oy - 7, format_number(out.data), "bp-forward", FORWARD, text_anchor="middle")
    )
    if backward:
        body.append(
            _text(
                mid, oy + 18, format_number(out.grad), "bp-backward", BACKWARD, text_anchor="middle"
            )
        )
    body += ["</g>", "</g>", '<g class="bp-nodes">']
    for v in lay.order:
        body += _node(lay, v, backward)
    body.append(
        f'<g class="bp-node bp-output" data-node="out" data-name="{html.escape(out_name)}">'
    )
    body.append(_text(end_x + 6, oy + 5, out_name, "bp-name", STROKE, font_weight="bold"))
    if out.ko:
        body.append(_text(end_x + 6, oy + 22, out.ko, "bp-ko", MUTED, font_size=12))
    body += ["</g>", "</g>"]
    # Bounds: every position, widened by the longest label, plus a margin.
    xs = [p[0] for p in lay.pos.values()]
    ys = [p[1] for p in lay.pos.values()]
    right = end_x + 10 + max(_width(out_name), _width(out.ko or ""))
    x_min, y_min = min(0.0, *(x - 40 for x in xs)), min(ys) - R - 22
    bottoms = [y + (10 if v.constant else R + 26) for v in lay.order for y in [lay.pos[id(v)][1]]]
    y_max = max(bottoms)
    width, height = right - x_min + 10, y_max - y_min
    formula = expression(out)
    title = title or f"Computational graph of {out_name} = {formula}"
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="bp-graph" role="img" '
            f'viewBox="{_c(x_min)} {_c(y_min)} {_c(width)} {_c(height)}" '
            f'width="{_c(width)}" height="{_c(height)}" '
            f'data-backward="{str(backward).lower()}" '
            f'aria-label="{html.escape(_describe(out, formula, backward), quote=True)}" '
            f"style=\"font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; "
            f'font-size: {_c(FONT)}px">',
            f"<title>{html.escape(title)}</title>",
            *body,
            "</svg>",
        ]
    )


def _describe(out: Value, formula: str, backward: bool) -> str:
    """A sentence for screen readers: the formula, the forward values, the gradients."""
    name = out.name or "out"
    inputs = [v for v in out.topo() if v.op is None and not v.constant]
    label = lambda v: v.name or format_number(v.data)  # noqa: E731
    text = f"Computational graph of {name} = {formula}. Forward pass: "
    text += ", ".join(f"{label(v)} = {format_number(v.data)}" for v in inputs)
    text += f", {name} = {format_number(out.data)}."
    if backward:
        text += f" Backward pass, gradients of {name}: "
        text += ", ".join(f"{label(v)} {format_number(v.grad)}" for v in inputs) + "."
    return text


def figure_html(
    out: Value,
    caption: str,
    backward: bool = True,
    title: str | None = None,
    dout: float = 1.0,
    local: bool = False,
) -> str:
    """Wrap `to_svg` in ``<figure class="bp-figure">`` with a caption, for a page's executed block.

    Examples:
        >>> from backprop_book.graph import mul_graph
        >>> figure_html(mul_graph(), "z = xy").startswith('<figure class="bp-figure">')
        True
    """
    svg = to_svg(out, backward=backward, title=title, dout=dout, local=local)
    return (
        f'<figure class="bp-figure">\n{svg}\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>"
    )
