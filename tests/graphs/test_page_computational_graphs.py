"""The Computational graphs chapter and the part intro show the executed numbers and figures."""

import math

from backprop_book import format_number
from tests.helpers import svgs, texts


def test_apple_forward_pass_is_printed(page_text):
    text = page_text("graphs/computational-graphs/")
    # 220 = (100 × 2) × 1.1 from the notes; 200 = 100 × 2 is the first node's output.
    assert "apple × count = 200" in text
    assert "price = 220 = (100 × 2) × 1.1" in text
    assert "nodes: ['×', '×']" in text
    assert "exact float: 220.00000000000003" in text  # 1.1 is not exact in binary


def test_forward_only_apple_figure(page_html):
    figures = svgs(page_html("graphs/computational-graphs/"))
    apple = figures[0]
    assert apple.get("data-backward") == "false"
    assert {"100", "2", "1.1", "200", "220"} <= set(texts(apple, "bp-forward"))
    assert texts(apple, "bp-backward") == []
    assert texts(apple, "bp-name") == ["apple", "count", "tax", "price"]
    assert "price = (apple × count) × tax" in apple.get("aria-label")


def test_local_gradient_check_and_exercises(page_text, page_html):
    text = page_text("graphs/computational-graphs/")
    assert "local gradient recorded by the × node: (5.0, 3.0)" in text  # (y, x): swapped
    assert "∂z/∂x measured numerically: 5" in text
    assert "∂z/∂x = y? True" in text
    assert "price = 715" in text  # {(100 × 2) + (150 × 3)} × 1.1
    assert "tax 1.1: apple × count = 200 price = 220" in text
    assert "tax 1.2: apple × count = 200 price = 240" in text
    assert "q = x + y = 3 f = q × z = −12" in text
    figures = svgs(page_html("graphs/computational-graphs/"))
    assert len(figures) == 3
    assert "715" in texts(figures[1], "bp-forward")


def test_part_intro_shows_the_apple_graph(page_html):
    (figure,) = svgs(page_html("graphs/"))
    assert {"2.2", "110", "200"} <= set(texts(figure, "bp-backward"))


def test_graph_figures_on_the_simple_layers_page(page_html):
    """The graph helper's figures replace the markers of layers/simple-layers.md."""
    html = page_html("layers/simple-layers/")
    assert "<!-- figure:" not in html
    graphs = {s.get("aria-label").split(".")[0]: s for s in svgs(html)}
    apple = graphs["Computational graph of price = (apple × count) × tax"]
    assert {"2.2", "110", "200"} <= set(texts(apple, "bp-backward"))  # 2 × 1.1, 100 × 1.1, 100 × 2
    assert "220" in texts(apple, "bp-forward")
    both = graphs[
        "Computational graph of price = ((apple × apple_count) + (orange × orange_count)) × tax"
    ]
    assert {"2.2", "110", "3.3", "165", "650"} <= set(texts(both, "bp-backward"))
    assert "715" in texts(both, "bp-forward")  # {(100 × 2) + (150 × 3)} × 1.1


def test_sigmoid_graph_figure_on_the_activation_page(page_html):
    """The chain ×(−1) → exp → +1 → 1/x at x = 1 ends in dy/dx = y(1 − y)."""
    html = page_html("layers/activation-layers/")
    assert "<!-- figure:" not in html
    y = 1 / (1 + math.exp(-1.0))  # computed here, independently of the package
    # The chapter's figure at x = 1 (the explorer further down draws its own copy of the graph).
    candidates = [s for s in svgs(html) if "y = 1/(exp(−x) + 1)" in s.get("aria-label")]
    at_one = [s for s in candidates if format_number(y) in texts(s, "bp-forward")]
    assert at_one, "no sigmoid graph figure drawn at x = 1"
    sigmoid = at_one[0]
    assert texts(sigmoid, "bp-op-symbol") == ["×(−1)", "exp", "+", "1/x"]
    assert format_number(y) in texts(sigmoid, "bp-forward")
    assert format_number(y * (1 - y)) in texts(sigmoid, "bp-backward")
    assert format_number(-y * y) in texts(sigmoid, "bp-backward")  # through 1/x: 1 × (−y²)
    assert f"equals y(1 − y) = {format_number(y * (1 - y))}" in html
