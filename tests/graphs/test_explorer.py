"""The explorer's graph description: it round-trips the package's numbers and rejects bad requests.

The JavaScript's arithmetic is checked against the package in Node (test_explorer_js.py, on the
fixtures of ``js_fixtures``) and its page in Chromium (test_explorer_browser.py); here an
independent evaluator written in this file recomputes every value and gradient from the
description alone, and central differences check the input gradients.
"""

from __future__ import annotations

import html
import json
import math
import re

import pytest

from backprop_book.graphs import Value, apple_graph, apple_orange_graph, sigmoid_graph
from backprop_book.graphs.drawing import to_svg
from backprop_book.graphs.explorer import KINDS, OPS, explorer_html, js_fixtures, to_spec

CASES = [
    ("apple", {"apple": 100, "count": 2, "tax": 1.1}),
    ("apple", {"apple": 0, "count": -3, "tax": 0.5}),
    ("apple", {"apple": -12.5, "count": 2.25, "tax": 1.08}),
    (
        "apple_orange",
        {"apple": 100, "apple_count": 2, "orange": 150, "orange_count": 3, "tax": 1.1},
    ),
    ("apple_orange", {"apple": -1, "apple_count": 0, "orange": 2.5, "orange_count": -4, "tax": 0}),
    ("sigmoid", {"x": 1.0}),
    ("sigmoid", {"x": 0.0}),
    ("sigmoid", {"x": -3.7}),
    ("sigmoid", {"x": 25.0}),
    ("add_mul", {"x": -2.0, "y": 5.0, "z": -4.0}),
    ("fan_out", {"x": 3.0, "y": 4.0, "z": 2.0}),
    ("fan_out", {"x": -0.5, "y": 0.0, "z": 7.25}),
]

# Forward value and local gradients per operation, written from the calculus (not from graph.py).
_FORWARD = {
    "mul": lambda a, b: (a * b, [b, a]),
    "add": lambda a, b: (a + b, [1.0, 1.0]),
    "sub": lambda a, b: (a - b, [1.0, -1.0]),
    "neg": lambda a: (-a, [-1.0]),
    "exp": lambda a: (math.exp(a), [math.exp(a)]),
    "reciprocal": lambda a: (1 / a, [-1 / a**2]),
    "sigmoid": lambda a: (1 / (1 + math.exp(-a)), [math.exp(-a) / (1 + math.exp(-a)) ** 2]),
}


def evaluate(spec: dict, values: dict[str, float]) -> tuple[dict, dict]:
    """Forward and backward pass computed from the description alone."""
    value, local, grad = {}, {}, {}
    for n in spec["nodes"]:
        if n["op"] is None:
            value[n["id"]] = values.get(n["name"], n["value"]) if not n["constant"] else n["value"]
            local[n["id"]] = []
        else:
            value[n["id"]], local[n["id"]] = _FORWARD[n["op"]](*(value[i] for i in n["inputs"]))
        grad[n["id"]] = 0.0
    grad[spec["output"]] = 1.0
    for n in reversed(spec["nodes"]):
        for s, g in zip(n["inputs"], local[n["id"]], strict=True):
            grad[s] += g * grad[n["id"]]
    return value, grad


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


@pytest.mark.parametrize(("kind", "inputs"), CASES)
def test_spec_round_trips_the_recorded_graph(kind, inputs):
    build = KINDS[kind][0]
    out = build(**inputs)
    spec = json.loads(json.dumps(to_spec(out, kind)))  # what the page carries
    order = out.topo()
    assert [n["id"] for n in spec["nodes"]] == [f"n{i}" for i in range(len(order))]
    assert spec["output"] == f"n{len(order) - 1}"
    for n, v in zip(spec["nodes"], order, strict=True):
        assert n["value"] == v.data and n["grad"] == v.grad
        assert n["symbol"] == v.op and n["op"] == (OPS[v.op] if v.op else None)
        assert n["inputs"] == [f"n{order.index(u)}" for u in v.inputs]
    assert {i["name"]: i["value"] for i in spec["inputs"]} == {
        k: float(x) for k, x in inputs.items()
    }


@pytest.mark.parametrize(("kind", "inputs"), CASES)
def test_an_independent_evaluator_of_the_spec_agrees_with_the_package(kind, inputs):
    default = to_spec(KINDS[kind][0](), kind)  # the page's defaults, then the reader's numbers
    value, grad = evaluate(default, inputs)
    out = KINDS[kind][0](**inputs)
    for n, v in zip(default["nodes"], out.topo(), strict=True):
        assert close(value[n["id"]], v.data), n
        assert close(grad[n["id"]], v.grad), n


@pytest.mark.parametrize(("kind", "inputs"), CASES)
def test_input_gradients_match_central_differences(kind, inputs):
    build, h = KINDS[kind][0], 1e-6
    spec = to_spec(build(**inputs), kind)
    for inp in spec["inputs"]:
        name = inp["name"]
        up = build(**{**inputs, name: inputs[name] + h}, backward=False).data
        down = build(**{**inputs, name: inputs[name] - h}, backward=False).data
        numerical = (up - down) / (2 * h)
        grad = next(n["grad"] for n in spec["nodes"] if n["id"] == inp["node"])
        assert math.isclose(grad, numerical, rel_tol=1e-6, abs_tol=1e-7), name


def test_the_notes_numbers_are_in_the_default_specs():
    # S3 and S4 of the lecture notes: 220 with gradients 2.2, 110, 200; 715 with 2.2, 110, 3.3,
    # 165, 650; and the sigmoid's gradient y(1 − y) at x = 0 is 1/4.
    apple = to_spec(apple_graph())
    grads = {i["name"]: apple["nodes"][int(i["node"][1:])]["grad"] for i in apple["inputs"]}
    assert math.isclose(apple["nodes"][-1]["value"], 220)
    assert [round(grads[k], 9) for k in ("apple", "count", "tax")] == [2.2, 110, 200]
    both = to_spec(apple_orange_graph())
    grads = {i["name"]: both["nodes"][int(i["node"][1:])]["grad"] for i in both["inputs"]}
    assert math.isclose(both["nodes"][-1]["value"], 715)
    names = ("apple", "apple_count", "orange", "orange_count", "tax")
    assert [round(grads[k], 9) for k in names] == [2.2, 110, 3.3, 165, 650]
    assert to_spec(sigmoid_graph(0.0))["nodes"][0]["grad"] == 0.25


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_explorer_html_carries_the_figure_and_the_spec(kind):
    out_html = explorer_html(kind)
    assert out_html.startswith(f'<div class="bp-explorer" data-bp-explorer="{kind}"')
    assert "\n\n" not in out_html  # a blank line would end Markdown's raw HTML block
    assert "<script" not in out_html  # Material re-runs page scripts on instant navigation
    spec = json.loads(html.unescape(re.search(r'data-bp-spec="([^"]*)"', out_html).group(1)))
    out = KINDS[kind][0]()
    assert spec == {
        **to_spec(out, kind),
        "local": False,
        **({"slider": spec["slider"], "identity": "sigmoid"} if kind == "sigmoid" else {}),
    }
    # The figure is the package's own static SVG: the same node ids and ops as the spec.
    assert to_svg(out) in out_html
    svg_nodes = dict(
        re.findall(r'data-node="(n\d+)" data-value="[^"]*" data-op="([^"]*)"', out_html)
    )
    assert svg_nodes == {n["id"]: html.escape(n["symbol"]) for n in spec["nodes"] if n["op"]}


def test_explorer_html_uses_the_inputs_given():
    spec_text = re.search(r'data-bp-spec="([^"]*)"', explorer_html("apple", apple=80, tax=1.0))
    spec = json.loads(html.unescape(spec_text.group(1)))
    assert {i["name"]: i["value"] for i in spec["inputs"]} == {"apple": 80, "count": 2, "tax": 1}
    assert spec["nodes"][-1]["value"] == 160


def test_bad_requests_are_rejected_with_clear_errors():
    with pytest.raises(ValueError, match="unknown kind 'pear'; known kinds: add_mul, apple, "):
        explorer_html("pear")
    with pytest.raises(TypeError, match="the apple graph has no input orange; its inputs are"):
        explorer_html("apple", orange=3)
    with pytest.raises(ValueError, match="exp"):  # the package refuses an overflow
        explorer_html("sigmoid", x=-1000)
    odd = Value(2.0, "x") * 3
    odd.op = "max"
    with pytest.raises(ValueError, match="cannot compute node 'max'"):
        to_spec(odd)
    twice = Value(1.0, "a") + Value(2.0, "a")
    with pytest.raises(ValueError, match="two inputs are named 'a'"):
        to_spec(twice)


def test_the_js_fixtures_cover_every_graph_and_operation_and_are_json():
    fixtures = json.loads(json.dumps(js_fixtures(), allow_nan=False))
    assert {c["op"] for c in fixtures["ops"]} == set(OPS.values())
    assert {c["kind"] for c in fixtures["graphs"]} == set(KINDS) == set(fixtures["specs"])
    sigmoid = {c["inputs"]["x"] for c in fixtures["graphs"] if c["kind"] == "sigmoid"}
    assert {k / 10 for k in range(-60, 61)} <= sigmoid  # every stop of the slider
    # Each graph is run with inputs the package accepts and with inputs it refuses.
    for kind in KINDS:
        cases = [c for c in fixtures["graphs"] if c["kind"] == kind]
        assert any("error" not in c for c in cases), kind
    assert sum("error" in c for c in fixtures["graphs"]) >= 3
    # Every ok case matches the package, and carries one label per edge.
    for c in fixtures["graphs"]:
        if "error" in c:
            continue
        out = KINDS[c["kind"]][0](**c["inputs"])
        assert c["value"][f"n{len(out.topo()) - 1}"] == out.data
        assert len(c["edges"]) == sum(len(v.inputs) for v in out.topo())
    texts = {x: t for x, t in fixtures["format"]}
    assert texts[1000.5] == "1000" and texts[12.125] == "12.12"  # ties go to even
    assert any(math.copysign(1, x) < 0 and x == 0 for x, _ in fixtures["format"])  # −0


def test_a_long_chain_exports_without_recursion_error():
    from backprop_book.graphs import Value
    from backprop_book.graphs.explorer import to_spec

    x = Value(0.5, "x")
    out = x
    for _ in range(600):
        out = out + 1.0
    out.backward()
    spec = to_spec(out)
    assert len(spec["nodes"]) == 1201 and spec["nodes"][0]["name"] == "x"


def test_a_formula_that_doubles_is_refused_with_its_limit():
    from backprop_book.graphs import Value
    from backprop_book.graphs.explorer import to_spec
    from backprop_book.graphs.layout import MAX_FORMULA

    out = Value(1.0, "x")  # 1 * 1 stays 1
    for _ in range(18):
        out = out * out  # the text doubles each time: 2**18 copies of x
    with pytest.raises(ValueError, match=f"longer than {MAX_FORMULA} characters"):
        to_spec(out)
