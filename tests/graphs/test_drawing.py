"""The SVG renderer: well-formed, deterministic, and showing the numbers the graph computed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_book.graphs import (
    Value,
    add_mul_graph,
    apple_graph,
    apple_orange_graph,
    fan_out_graph,
    mul_graph,
    sigmoid_graph,
)
from backprop_book.graphs.drawing import expression, figure_html, format_number, to_svg

SVG = "{http://www.w3.org/2000/svg}"
BUILDERS = [apple_graph, apple_orange_graph, sigmoid_graph, mul_graph, add_mul_graph, fan_out_graph]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on malformed XML


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [
        t.text or ""
        for t in root.iter(f"{SVG}text")
        if cls is None or cls in t.get("class", "").split()
    ]


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("backward", [True, False])
def test_svg_is_well_formed_and_accessible(builder, backward):
    root = parse(to_svg(builder(), backward=backward))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label", "").startswith("Computational graph of ")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    assert root.get("data-backward") == str(backward).lower()


@pytest.mark.parametrize("builder", BUILDERS)
def test_korean_figure_speaks_korean_with_the_same_numbers(builder):
    english, korean = parse(to_svg(builder())), parse(to_svg(builder(), lang="ko"))
    label = korean.get("aria-label", "")
    assert "의 계산 그래프. 순전파: " in label and " 역전파, " in label
    assert "의 계산 그래프" in (korean.find(f"{SVG}title").text or "")
    # Only the words change: the drawing and every number in the description are the same.
    assert texts(korean) == texts(english)
    numbers = re.findall(r"\d+(?:\.\d+)?", english.get("aria-label", ""))
    assert numbers and re.findall(r"\d+(?:\.\d+)?", label) == numbers


def test_an_unknown_language_is_refused_before_drawing():
    out = apple_graph()
    before = [(v.data, v.grad) for v in out.topo()]
    with pytest.raises(ValueError, match=r"lang must be one of \['en', 'ko'\], got 'fr'"):
        figure_html(out, "caption", lang="fr", dout=2.0)
    assert [(v.data, v.grad) for v in out.topo()] == before  # refused before backward ran


@pytest.mark.parametrize("builder", BUILDERS)
def test_same_graph_gives_the_same_bytes(builder):
    assert to_svg(builder()) == to_svg(builder())
    out = builder()
    assert to_svg(out, backward=False) == to_svg(out, backward=False)
    assert to_svg(out) == to_svg(out)  # drawing runs backward again: nothing doubles


def test_apple_numbers_are_in_the_svg_text():
    root = parse(to_svg(apple_graph()))
    forward, backward = texts(root, "bp-forward"), texts(root, "bp-backward")
    for number in ("100", "2", "1.1", "200", "220"):  # 200 = 100 × 2, 220 = 200 × 1.1
        assert number in forward
    for number in ("2.2", "110", "200", "1.1", "1"):  # d/dapple, d/dcount, d/dtax, d/d(200), dout
        assert number in backward
    names = texts(root, "bp-name")
    assert names == ["apple", "count", "tax", "price"]
    assert texts(root, "bp-ko") == ["사과", "개수", "부가세", "가격"]


def test_apple_orange_numbers_are_in_the_svg_text():
    root = parse(to_svg(apple_orange_graph()))
    assert {"715", "650", "200", "450"} <= set(texts(root, "bp-forward"))
    assert {"2.2", "110", "3.3", "165", "650"} <= set(texts(root, "bp-backward"))


def test_forward_only_figure_has_no_gradients():
    svg = to_svg(apple_graph(), backward=False)
    root = parse(svg)
    assert texts(root, "bp-backward") == []
    assert "bp-backward" not in svg and "data-grad" not in svg
    assert "110" not in texts(root) and "2.2" not in texts(root)
    assert "220" in texts(root, "bp-forward")


def test_fan_out_figure_shows_the_sum_of_the_gradients():
    root = parse(to_svg(fan_out_graph(x=3.0, y=4.0, z=2.0)))
    assert "4 + 2 = 6" in texts(root, "bp-grad-total")  # df/dx = y + z
    fan = [g for g in root.iter(f"{SVG}g") if "bp-fan" in g.get("class", "")]
    assert len(fan) == 1 and fan[0].get("data-grad") == "6.0"


def test_local_mode_writes_upstream_times_local():
    root = parse(to_svg(mul_graph(3.0, 5.0), dout=1.3, local=True))
    back = texts(root, "bp-backward")
    assert "1.3 × 5 = 6.5" in back and "1.3 × 3 = 3.9" in back  # the mul node swaps x and y


def test_sigmoid_figure_ends_in_y_times_one_minus_y():
    y = sigmoid_graph(1.0)
    root = parse(to_svg(y))
    value = 1 / (1 + 2.718281828459045**-1)
    assert format_number(value * (1 - value)) in texts(root, "bp-backward")
    assert [t for t in texts(root, "bp-op-symbol")] == ["×(−1)", "exp", "+", "1/x"]
    assert texts(root, "bp-constant") == ["1"]


def test_structure_a_widget_can_rely_on():
    out = apple_orange_graph()
    root = parse(to_svg(out))
    groups = list(root.iter(f"{SVG}g"))
    nodes = {g.get("data-node") for g in groups if g.get("data-node")}
    edges = [g for g in groups if g.get("data-edge")]
    assert len(nodes) == len(out.topo()) + 1  # every value, plus the output label
    value = {g.get("data-node"): g.get("data-value") for g in groups if g.get("data-node")}
    for edge in edges:
        assert edge.get("data-from") in nodes
        assert edge.get("data-to") in nodes | {None}
        assert edge.get("data-value") == value[edge.get("data-from")]  # the source's value
    inner = [e for e in edges if e.get("data-edge", "").startswith("e")]
    assert len(inner) == sum(len(v.inputs) for v in out.topo())
    tax_edge = next(e for e in inner if e.get("data-from") == node_id(root, "tax"))
    assert float(tax_edge.get("data-grad")) == pytest.approx(650)


def node_id(root: ET.Element, name: str) -> str:
    return next(g.get("data-node") for g in root.iter(f"{SVG}g") if g.get("data-name") == name)


def test_drawing_runs_backward_with_the_given_dout():
    out = mul_graph(3.0, 5.0)
    root = parse(to_svg(out, dout=2.0))
    assert out.named()["x"].grad == 10.0  # the figure and the values agree
    assert "10" in texts(root, "bp-backward")


def test_names_are_escaped():
    out = Value(1.0, "a<b & c>") * Value(2.0, '"q"')
    out.name = "<out>"
    root = parse(figure_html(out, "caption with <tags> & ampersands"))
    assert "a<b & c>" in texts(root)


def test_figure_html_wraps_the_svg():
    html = figure_html(apple_graph(), "The apple problem")
    root = parse(html)
    assert root.tag == "figure" and root.get("class") == "bp-figure"
    assert root.find("figcaption").text == "The apple problem"
    assert root.find(f"{SVG}svg") is not None
    assert "\n\n" not in html  # a blank line would end the raw HTML block in Markdown


def test_expression():
    assert expression(apple_graph()) == "(apple × count) × tax"
    assert expression(sigmoid_graph()) == "1/(exp(−x) + 1)"


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (220.00000000000003, "220"),
        (2.2000000000000006, "2.2"),
        (110.00000000000001, "110"),
        (0.1 + 0.2, "0.3"),
        (715.0000000000001, "715"),
        (39250.0, "39250"),
        (123456.7, "123457"),  # integer digits are never rounded away
        (0.7310585786300049, "0.7311"),
        (-0.19661193324148185, "−0.1966"),
        (9999.7, "10000"),
        (1.5e-07, "1.5e−07"),
        (2e20, "2e+20"),
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
    ],
)
def test_format_number(x, text):
    assert format_number(x) == text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=4),
    st.lists(st.tuples(st.sampled_from(["+", "×", "exp", "neg"]), st.integers(0, 20)), max_size=8),
)
def test_random_graphs_draw_to_well_formed_svg(inputs, steps):
    pool = [Value(x, f"x{k}") for k, x in enumerate(inputs)]
    for op, i in steps:
        a, b = pool[i % len(pool)], pool[(i * 7 + 1) % len(pool)]
        if op == "+":
            pool.append(a + b)
        elif op == "×" and abs(a.data * b.data) < 1e6:
            pool.append(a * b)
        elif op == "exp" and a.data < 50:
            pool.append(a.exp())
        else:
            pool.append(-a)
    svg = to_svg(pool[-1])
    parse(svg)
    assert svg == to_svg(pool[-1])
