"""The chain-rule chapter prints the apple gradients and draws the add/mul/fan-out figures."""

import xml.etree.ElementTree as ET

from tests.helpers import svgs, texts


def figure(page_html, label_start: str) -> ET.Element:
    found = [
        s
        for s in svgs(page_html("graphs/chain-rule/"))
        if s.get("aria-label").startswith(label_start)
    ]
    assert found, label_start
    return found[0]


def test_apple_backward_numbers_are_printed(page_text):
    text = page_text("graphs/chain-rule/")
    # Each input's gradient is the product of the other two: 2 × 1.1, 100 × 1.1, 100 × 2.
    assert "price = 220" in text
    assert "∂price/∂apple = 2.2" in text
    assert "∂price/∂count = 110" in text
    assert "∂price/∂tax = 200" in text
    assert "× node: upstream 1 × local 200 = 200 → tax" in text
    assert "× node: upstream 1.1 × local 100 = 110 → count" in text


def test_numerical_check_agrees(page_text):
    text = page_text("graphs/chain-rule/")
    for name, grad in (("apple", "2.2"), ("count", "110"), ("tax", "200")):
        assert f"{name} backprop {grad} numerical {grad} relative error" in text


def test_apple_backward_figure(page_html):
    svg = figure(page_html, "Computational graph of price = (apple × count) × tax")
    assert svg.get("data-backward") == "true"
    assert {"2.2", "110", "200"} <= set(texts(svg, "bp-backward"))
    assert {"100", "2", "1.1", "220"} <= set(texts(svg, "bp-forward"))


def test_mul_node_swaps_and_add_node_distributes(page_html):
    mul = figure(page_html, "Computational graph of z = x × y")
    assert {"1.3 × 5 = 6.5", "1.3 × 3 = 3.9"} <= set(texts(mul, "bp-backward"))
    add_mul = figure(page_html, "Computational graph of f = (x + y) × z")
    back = texts(add_mul, "bp-backward")
    # f = (x + y) z at x = −2, y = 5, z = −4: df/dq = z = −4 goes to x and y; df/dz = q = 3.
    assert back.count("(−4) × 1 = −4") == 2
    assert "1 × 3 = 3" in back and "1 × (−4) = −4" in back


def test_fan_out_gradients_add(page_html):
    fan = figure(page_html, "Computational graph of f = (y × x) + (x × z)")
    assert "4 + 2 = 6" in texts(fan, "bp-grad-total")  # df/dx = y + z at y = 4, z = 2


def test_exercise_solutions(page_text):
    text = page_text("graphs/chain-rule/")
    for name, grad in (
        ("apple", "2.2"),
        ("apple_count", "110"),
        ("orange", "3.3"),
        ("orange_count", "165"),
        ("tax", "650"),
    ):
        assert f"∂price/∂{name} = {grad}" in text
    assert "call 1: ∂price/∂apple = 2.2" in text and "call 2: ∂price/∂apple = 2.2" in text
    assert "f = 9 ∂f/∂x = 6" in text  # d(x²)/dx = 2x at x = 3
