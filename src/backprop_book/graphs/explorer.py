"""The graph explorer: a recorded graph exported for the page, where the reader edits its inputs.

`to_spec` reads a graph recorded by `backprop_book.graphs.value.Value` (its nodes, their operations,
inputs, values and gradients) into a plain dictionary; `explorer_html` puts that description,
as JSON, beside the static SVG of `backprop_book.graphs.drawing`. In the browser,
``docs/javascripts/graph-explorer.js`` reads the description and recomputes the forward and
backward passes whenever the reader changes an input, so the page's arithmetic is the package's
graph, not a copy typed into JavaScript. Without JavaScript the reader sees the static figure.
The script's own arithmetic (its number formatting, each operation, the two passes) is checked
against this package by `js_fixtures`: what Python computes, for Node's tests of those pieces.
The idea follows the explorable explanations of distill.pub and TensorFlow Playground.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from backprop_book.graphs.drawing import to_svg
from backprop_book.graphs.examples import (
    add_mul_graph,
    apple_graph,
    apple_orange_graph,
    fan_out_graph,
    sigmoid_graph,
)
from backprop_book.graphs.layout import Layout, expressions, format_number, grad_label, total_label
from backprop_book.graphs.value import Value, apply

# The node symbols recorded by graph.Value and the operation names the JavaScript implements.
OPS = {
    "×": "mul",
    "+": "add",
    "−": "sub",
    "×(−1)": "neg",
    "exp": "exp",
    "1/x": "reciprocal",
    "σ": "sigmoid",
}

# The graphs a page can embed: the builder and the caption of the figure.
KINDS: dict[str, tuple[Callable[..., Value], str]] = {
    "apple": (apple_graph, "price = (apple × count) × tax: edit the inputs, step backward."),
    "apple_orange": (
        apple_orange_graph,
        "price = (apple × apple_count + orange × orange_count) × tax: edit the inputs.",
    ),
    "sigmoid": (sigmoid_graph, "y = 1/(1 + exp(−x)): move x and watch each local gradient."),
    "add_mul": (add_mul_graph, "f = (x + y) × z: edit x, y and z."),
    "fan_out": (fan_out_graph, "f = y × x + x × z: x feeds two nodes, so its gradients add."),
}

SLIDER = {"min": -6.0, "max": 6.0, "step": 0.1}  # the range offered for x in the sigmoid graph

# What `js_fixtures` asks Python for. Numbers to format: zeros (−0 too), the edges of the
# scientific notation (1e-4, 1e16), numbers that round at four digits (0.99995 → 1, 9999.5 →
# 10000), ties that Python rounds to even (1000.5 → 1000, 12.125 → 12.12, 1.0625e16 →
# 1.062e+16), float noise, the largest and the smallest doubles.
_NUMBERS = (0.0, -0.0, 1.0, -1.0, 0.1, -2.5, 3.0, 1e-300, 1e300, 1e-5, 123456.789, 710.0, -800.0)
# fmt: off
_FORMAT = (
    *_NUMBERS, 220.00000000000003, 2.2000000000000006, 0.7310585786300049, 0.25, 39250.0,
    1e-4, 9.99949e-5, 9.9995e-5, -1.5e-07, 1e16, 9999999999999998.0, 1.0625e16, -2.5e20,
    0.99995, 0.999949, 9999.5, 9999.4, 1000.5, -1000.5, 1001.5, 12.125, -0.03125, 2000.5,
    99.995, 0.0012345, 5e-324, 1.7976931348623157e308, 6.02214076e23, -1.602176634e-19,
)
_SLIDE = tuple(k / 10 for k in range(-60, 61))  # every position of the sigmoid's slider
_GRAPHS: dict[str, list[dict[str, float]]] = {  # {} is the page's numbers
    "apple": [
        {}, {"apple": 0.0, "count": -3.0, "tax": 0.5}, {"apple": -0.0, "count": 2.0},
        {"apple": -12.5, "count": 2.25, "tax": 1.08}, {"apple": 99.995, "count": 1.0, "tax": 1.0},
        {"apple": 1000.25, "count": 2.0, "tax": 1.0},  # price 2000.5: a tie at four digits
        {"apple": 1e6, "count": 1e5, "tax": 1.5e-5},
        {"apple": 1e-300, "count": 1e-300, "tax": 1e-10},  # underflows to 0, no error
        {"apple": 1e200, "count": 1e200},  # overflows: an error in both languages
    ],
    "apple_orange": [
        {}, {"apple": 0.0, "apple_count": 0.0, "orange": 0.0, "orange_count": 0.0, "tax": 0.0},
        {"apple": -1.5, "apple_count": 4.0, "orange": 2.25, "orange_count": -3.0, "tax": 1.2},
        {"apple": 99.99, "apple_count": 0.5, "orange": -150.0, "orange_count": 7.0, "tax": 0.1},
        {"orange": 1e300, "orange_count": 1e10},
    ],
    "sigmoid": [{"x": x} for x in (*_SLIDE, -0.0, 1e-9, -3.7, 10, 25, -25, 40, 800, -800)],
    "add_mul": [{}, {"x": 0.5, "y": -0.25, "z": 0.0}, {"x": 1e-5, "y": -1e-5, "z": 3.0}],
    "fan_out": [{}, {"x": -0.5, "y": 0.0, "z": 7.25}, {"x": -1.5, "y": 0.0, "z": 2.5}],
}
# fmt: on


def to_spec(out: Value, kind: str = "graph") -> dict[str, Any]:
    """Describe the graph that computed ``out`` for the explorer's JavaScript.

    Node ids are ``n0, n1, …`` in `Value.topo` order, the ids `backprop_book.graphs.drawing.to_svg`
    gives the same nodes, so the script can find each value's label in the figure.
    Gradients are those of the last ``backward`` call (0 if it never ran).

    Args:
        out: The last value of a recorded graph.
        kind: A name for the graph, stored in the description.

    Returns:
        ``{"kind", "formula", "output", "nodes", "inputs"}``: every node with its ``id``, ``op``
        (``None`` for inputs and constants, else an operation name of `OPS`), ``symbol``,
        ``inputs`` (ids), ``name``, ``expr`` (its formula), ``ko``, ``constant``, ``value``
        and ``grad``; ``inputs`` lists the named, non-constant leaves the reader may edit,
        with their current values.

    Raises:
        ValueError: For a graph with an operation the explorer cannot compute, or two inputs
            with the same name.

    Examples:
        >>> from backprop_book.graphs import apple_graph
        >>> spec = to_spec(apple_graph())
        >>> [(n["id"], n["op"], n["value"]) for n in spec["nodes"]][:4]
        [('n0', None, 100.0), ('n1', None, 2.0), ('n2', 'mul', 200.0), ('n3', None, 1.1)]
        >>> [(i["name"], i["value"]) for i in spec["inputs"]]
        [('apple', 100.0), ('count', 2.0), ('tax', 1.1)]
    """
    order, texts = out.topo(), expressions(out)  # every formula in one pass, bounded
    ids = {id(v): f"n{i}" for i, v in enumerate(order)}
    nodes: list[dict[str, Any]] = []
    inputs: list[dict[str, Any]] = []
    for v in order:
        if v.op is not None and v.op not in OPS:
            known = ", ".join(OPS)
            raise ValueError(f"to_spec: the explorer cannot compute node {v.op!r}; known: {known}")
        nodes.append(
            {
                "id": ids[id(v)],
                "op": OPS[v.op] if v.op else None,
                "symbol": v.op,
                "inputs": [ids[id(u)] for u in v.inputs],
                "name": v.name,
                "expr": texts[id(v)],  # how the step readout names an unnamed node
                "ko": v.ko,
                "constant": v.constant,
                "value": v.data,
                "grad": v.grad,
            }
        )
        if v.op is None and not v.constant and v.name:
            if any(i["name"] == v.name for i in inputs):
                raise ValueError(f"to_spec: two inputs are named {v.name!r}")
            inputs.append({"name": v.name, "ko": v.ko, "node": ids[id(v)], "value": v.data})
    return {
        "kind": kind,
        "formula": f"{out.name or 'out'} = {texts[id(out)]}",
        "output": ids[id(out)],
        "nodes": nodes,
        "inputs": inputs,
    }


def explorer_html(kind: str, caption: str | None = None, lang: str = "en", **inputs: float) -> str:
    """The explorer for one of the book's graphs, as HTML for an executed block (``html="on"``).

    The static figure of `backprop_book.graphs.drawing.to_svg` (the fallback without
    JavaScript, described to screen readers in ``lang``, ``"en"`` or ``"ko"``) and the
    graph's description from `to_spec`, in a ``data-bp-spec`` attribute that the script reads.

    Args:
        kind: ``"apple"``, ``"apple_orange"``, ``"sigmoid"``, ``"add_mul"`` or ``"fan_out"``
            (see `KINDS`).
        caption: The figure's caption (default: one per kind).
        **inputs: Starting values of the inputs, by name (default: the notes' numbers),
            e.g. ``apple=100, count=2, tax=1.1`` or ``x=1.0``.

    Returns:
        A ``<div class="bp-explorer" data-bp-explorer="…">`` holding the figure.

    Raises:
        ValueError: For an unknown kind.
        TypeError: For an input the graph does not have.

    Examples:
        >>> out = explorer_html("apple", apple=100, count=2, tax=1.1)
        >>> out.startswith('<div class="bp-explorer" data-bp-explorer="apple"')
        True
        >>> explorer_html("pear")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: explorer_html: unknown kind 'pear'; known kinds: add_mul, apple, ...
    """
    if kind not in KINDS:
        raise ValueError(
            f"explorer_html: unknown kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}"
        )
    build, default_caption = KINDS[kind]
    out = build(backward=False)
    names = [i["name"] for i in to_spec(out)["inputs"]]
    unknown = sorted(set(inputs) - set(names))
    if unknown:
        raise TypeError(
            f"explorer_html: the {kind} graph has no input {', '.join(unknown)}; "
            f"its inputs are {', '.join(names)}"
        )
    out = build(**inputs, backward=True)
    svg = to_svg(out, backward=True, lang=lang)
    spec = to_spec(out, kind)
    spec["local"] = False  # each gradient drawn as one number (not upstream × local = product)
    if kind == "sigmoid":
        spec["slider"] = SLIDER
        spec["identity"] = "sigmoid"  # the script lists the local gradients, product, y(1 − y)
    data = html.escape(json.dumps(spec, ensure_ascii=False, allow_nan=False), quote=True)
    caption = html.escape(caption if caption is not None else default_caption)
    return "\n".join(
        [
            f'<div class="bp-explorer" data-bp-explorer="{kind}" data-bp-spec="{data}">',
            '<figure class="bp-figure bp-explorer-figure">',
            '<div class="bp-explorer-scroll">',
            svg,
            "</div>",
            f"<figcaption>{caption}</figcaption>",
            "</figure>",
            "</div>",
        ]
    )


def js_fixtures() -> dict[str, Any]:
    """What Python computes, for the tests of the explorer's JavaScript (run by Node).

    ``tests/graphs/test_explorer_js.py`` writes this as JSON and runs ``node --test`` on
    ``tests/graphs/js/*.test.mjs``, which check the script's pieces against it: ``format``
    against `backprop_book.graphs.layout.format_number`, ``ops`` against the operations of
    `Value`, ``graphs`` against the forward and backward passes of each graph of `KINDS` over a
    range of inputs (every slider position of the sigmoid, zeros, negatives, huge and tiny
    numbers, ties at the display's four digits, −0), with the labels the figure shows.

    Returns:
        ``format``: ``[x, format_number(x)]`` pairs. ``ops``: ``{"op", "inputs", "value",
        "local"}``, or ``"error"`` where `Value` refuses the result. ``specs``: `to_spec` of each
        kind's default graph, as a page carries it. ``graphs``: ``{"kind", "inputs", "value",
        "grad", "text", "edges", "fans"}`` (by node id; ``text``: value and gradient formatted;
        edges with ``up``, ``local`` and their `grad_label` with and without the local
        gradient; ``fans``: `total_label`), or ``"error"`` where the package refuses the inputs.

    Examples:
        >>> fixtures = js_fixtures()
        >>> fixtures["format"][-2:]
        [[6.02214076e+23, '6.022e+23'], [-1.602176634e-19, '−1.602e−19']]
        >>> [c for c in fixtures["ops"] if c["op"] == "mul"][1]
        {'op': 'mul', 'inputs': [0.0, -0.0], 'value': -0.0, 'local': [-0.0, 0.0]}
        >>> apple = fixtures["graphs"][0]
        >>> apple["kind"], apple["text"]["n4"], apple["edges"][0]["label_local"]
        ('apple', ['220', '1'], '1.1 × 2 = 2.2')
        >>> refused = fixtures["graphs"][8]  # the package's message, in "error"
        >>> refused["inputs"], "error" in refused, "value" in refused
        ({'apple': 1e+200, 'count': 1e+200}, True, False)
    """
    return {
        "format": [[x, format_number(x)] for x in _FORMAT],
        "ops": [_op_case(op, args) for op in OPS.values() for args in _op_inputs(op)],
        "specs": {kind: to_spec(build(), kind) for kind, (build, _caption) in KINDS.items()},
        "graphs": [_graph_case(kind, given) for kind, cases in _GRAPHS.items() for given in cases],
    }


def _op_inputs(op: str) -> list[tuple[float, ...]]:
    if op in ("mul", "add", "sub"):
        return [(a, b) for a in _NUMBERS for b in _NUMBERS]
    return [(a,) for a in (*_NUMBERS, *_SLIDE, 709.0, -745.5)]  # exp(709) is near the largest


def _op_case(op: str, args: tuple[float, ...]) -> dict[str, Any]:
    case: dict[str, Any] = {"op": op, "inputs": list(args)}
    try:
        out = apply(op, *(Value(a) for a in args))
    except ValueError as error:
        return {**case, "error": str(error)}
    assert out.op is not None and OPS[out.op] == op  # the name the JavaScript knows the node by
    return {**case, "value": out.data, "local": list(out.local_grads)}


def _graph_case(kind: str, given: dict[str, float]) -> dict[str, Any]:
    case: dict[str, Any] = {"kind": kind, "inputs": given}
    try:
        out = KINDS[kind][0](**given)
    except ValueError as error:
        return {**case, "error": str(error)}
    lay = Layout(out, backward=True, local=False)
    n = lay.id  # id(value) -> its node id, n0, n1, … as in the spec and the figure
    edges = [
        {"from": n[id(s)], "to": n[id(t)], "input": i, "up": t.grad, "local": t.local_grads[i],
         "label": grad_label(t, i, local=False), "label_local": grad_label(t, i, local=True)}
        for s, t, i in lay.edges
    ]  # fmt: skip
    return {
        **case,
        "value": {n[id(v)]: v.data for v in lay.order},
        "grad": {n[id(v)]: v.grad for v in lay.order},
        "text": {n[id(v)]: [format_number(v.data), format_number(v.grad)] for v in lay.order},
        "edges": edges,
        "fans": {n[id(v)]: total_label(lay, v) for v in lay.order if lay.fan.get(id(v), 0) > 1},
    }
