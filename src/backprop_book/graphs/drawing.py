"""Draw a recorded computational graph (`backprop_book.graphs.value.Value`) as a self-contained SVG.

The figure reads left to right like the graphs of *Deep Learning from Scratch* chapter 5: input
names on the left, a circle with the node's symbol (×, +, exp, 1/x …) for every operation, the
forward value above each arrow and, in a second colour, the backward gradient below it. Where the
nodes go and how the numbers are written (`format_number`) is :mod:`backprop_book.graphs.layout`;
this module writes the SVG text. Colours are CSS variables with fallbacks (``--bp-forward``,
``--bp-backward``, ``--bp-stroke``, ``--bp-node-fill``, ``--bp-muted``), set for the light and dark
themes in ``docs/stylesheets/book.css``. The same graph always gives the same bytes.
"""

from __future__ import annotations

import html
import math

from backprop_book.graphs.layout import (
    FONT,
    Layout,
    R,
    expression,
    format_number,
    grad_label,
    text_width,
    total_label,
)
from backprop_book.graphs.value import Value

__all__ = ["figure_html", "to_svg"]

FORWARD, BACKWARD = "var(--bp-forward, #1f4fbf)", "var(--bp-backward, #c0392b)"
STROKE, FILL, MUTED = "var(--bp-stroke, #222)", "var(--bp-node-fill, #fff)", "var(--bp-muted, #666)"
_MID = {"text_anchor": "middle"}
# What a screen reader hears, per language of the page: `to_svg(..., lang="ko")` on Korean pages.
_WORDS = {
    "en": (
        "Computational graph of {name} = {formula}",
        ". Forward pass: ",
        " Backward pass, gradients of {name}: ",
    ),
    "ko": ("{name} = {formula}의 계산 그래프", ". 순전파: ", " 역전파, {name}의 기울기: "),
}


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


def _fan(lay: Layout, v: Value, backward: bool) -> list[str]:
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
        total = total_label(lay, v)
        parts.append(_text(mx, sy + 18, total, "bp-backward bp-grad-total", BACKWARD, **_MID))
    return [*parts, "</g>"]


def _edge(
    lay: Layout, s: Value, t: Value, i: int, k: int, backward: bool, local: bool
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
    grad = grad_label(t, i, local)
    if fan and backward:  # the branch carries only its own share of the gradient
        slope = abs(2 * (ey - sy) / max(bx - hx, 1.0))
        drop = 18 + slope * text_width(grad) / 2
        parts.append(_text((hx + bx) / 2, (sy + ey) / 2 + drop, grad, "bp-backward", BACKWARD,
                           **_MID))  # fmt: skip
    elif not fan and not s.constant:
        mx = (sx + hx) / 2
        parts.append(_text(mx, sy - 7, format_number(s.data), "bp-forward", FORWARD, **_MID))
        if backward:
            parts.append(_text(mx, sy + 18, grad, "bp-backward", BACKWARD, **_MID))
    return [*parts, "</g>"]


def _node(lay: Layout, v: Value, backward: bool) -> list[str]:
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
    lang: str = "en",
) -> str:
    """Draw the graph that computed ``out`` as an SVG string.

    Args:
        out: The last value of the graph (drawn with an arrow to its name on the right).
        backward: Also draw the backward pass: runs ``out.backward(dout)`` first, so the
            gradients below the arrows are always those of ``out``.
        title: The figure's title for screen readers (default: the formula).
        dout: The gradient arriving at ``out`` from the right.
        local: Write each gradient as ``upstream × local = product`` instead of the product.
        lang: The page's language, ``"en"`` or ``"ko"``: the language of the default title and
            of the ``aria-label`` that describes the values to a screen reader.

    Returns:
        An ``<svg>`` element with ``role="img"``, a ``<title>`` and an ``aria-label``.

    Raises:
        ValueError: If ``lang`` is not one of the book's languages.

    Examples:
        >>> from backprop_book.graphs.examples import apple_graph
        >>> svg = to_svg(apple_graph())
        >>> svg.startswith("<svg") and ">220<" in svg and ">2.2<" in svg
        True
        >>> "순전파: " in to_svg(apple_graph(), lang="ko")
        True
    """
    if lang not in _WORDS:
        raise ValueError(f"to_svg: lang must be one of {sorted(_WORDS)}, got {lang!r}")
    if backward:
        out.backward(dout)
    lay = Layout(out, backward, local)
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
    right = end_x + 10 + max(text_width(out_name), text_width(out.ko or ""))
    x_min, y_min = min(0.0, *(x - 40 for x in xs)), min(ys) - R - 22
    bottoms = [y + (10 if v.constant else R + 26) for v in lay.order for y in [lay.pos[id(v)][1]]]
    y_max = max(bottoms)
    width, height = right - x_min + 10, y_max - y_min
    formula = expression(out)
    title = title or _WORDS[lang][0].format(name=out_name, formula=formula)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="bp-graph" role="img" '
            f'viewBox="{_c(x_min)} {_c(y_min)} {_c(width)} {_c(height)}" '
            f'width="{_c(width)}" height="{_c(height)}" '
            f'data-backward="{str(backward).lower()}" '
            f'aria-label="{html.escape(_describe(out, formula, backward, lang), quote=True)}" '
            f"style=\"font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; "
            f'font-size: {_c(FONT)}px">',
            f"<title>{html.escape(title)}</title>",
            *body,
            "</svg>",
        ]
    )


def _describe(out: Value, formula: str, backward: bool, lang: str = "en") -> str:
    """A sentence for screen readers: the formula, the forward values, the gradients."""
    name = out.name or "out"
    inputs = [v for v in out.topo() if v.op is None and not v.constant]

    def label(v: Value) -> str:
        return v.name or format_number(v.data)

    heading, forward, backward_words = _WORDS[lang]
    text = heading.format(name=name, formula=formula) + forward
    text += ", ".join(f"{label(v)} = {format_number(v.data)}" for v in inputs)
    text += f", {name} = {format_number(out.data)}."
    if backward:
        text += backward_words.format(name=name)
        text += ", ".join(f"{label(v)} {format_number(v.grad)}" for v in inputs) + "."
    return text


def figure_html(
    out: Value,
    caption: str,
    backward: bool = True,
    title: str | None = None,
    dout: float = 1.0,
    local: bool = False,
    lang: str = "en",
) -> str:
    """Wrap `to_svg` in ``<figure class="bp-figure">`` with a caption, for a page's executed block.

    Examples:
        >>> from backprop_book.graphs.examples import mul_graph
        >>> figure_html(mul_graph(), "z = xy").startswith('<figure class="bp-figure">')
        True
    """
    svg = to_svg(out, backward=backward, title=title, dout=dout, local=local, lang=lang)
    return (
        f'<figure class="bp-figure">\n{svg}\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>"
    )
