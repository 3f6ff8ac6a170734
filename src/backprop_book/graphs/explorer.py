"""The graph explorer: a recorded graph exported for the page, where the reader edits its inputs.

`to_spec` reads a graph recorded by `backprop_book.graphs.value.Value` (its nodes, their operations,
inputs, values and gradients) into a plain dictionary; `explorer_html` puts that description,
as JSON, beside the static SVG of `backprop_book.graphs.drawing`. In the browser,
``docs/javascripts/graph-explorer.js`` reads the description and recomputes the forward and
backward passes whenever the reader changes an input, so the page's arithmetic is the package's
graph, not a copy typed into JavaScript. Without JavaScript the reader sees the static figure.
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
from backprop_book.graphs.layout import expression
from backprop_book.graphs.value import Value

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
    order = out.topo()
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
                "expr": expression(v),  # how the step readout names an unnamed node
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
        "formula": f"{out.name or 'out'} = {expression(out)}",
        "output": ids[id(out)],
        "nodes": nodes,
        "inputs": inputs,
    }


def explorer_html(kind: str, caption: str | None = None, **inputs: float) -> str:
    """The explorer for one of the book's graphs, as HTML for an executed block (``html="on"``).

    The static figure of `backprop_book.graphs.drawing.to_svg` (the fallback without
    JavaScript) and the
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
    svg = to_svg(out, backward=True)
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
