"""The simple-layers page shows the seed's apple numbers, computed at build time."""

import re

import pytest

PAGE = "layers/simple-layers/"


def test_apple_numbers_are_on_the_page(page_text):
    text = page_text(PAGE)
    # by hand: 100 * 2 * 1.1 = 220; d/dapple = 2 * 1.1; d/dcount = 100 * 1.1; d/dtax = 200
    assert "price: 220 dApple: 2.2 dApple_num: 110 dTax: 200" in text
    # by hand: (200 + 450) * 1.1 = 715; 2 * 1.1, 100 * 1.1, 3 * 1.1, 150 * 1.1, 200 + 450
    assert "price: 715 dApple: 2.2 dApple_num: 110 dOrange: 3.3 dOrange_num: 165 dTax: 650" in text


def test_numerical_check_agrees(page_text):
    text = page_text(PAGE)
    for layer in ("MulLayer", "AddLayer"):
        errors = re.search(layer + r" relative errors: \{'x': '([^']+)', 'y': '([^']+)'\}", text)
        assert errors, layer
        assert max(float(errors.group(1)), float(errors.group(2))) < 1e-7
    numerical = re.search(r"numerical: \[([^\]]+)\]", text).group(1).split()
    assert [float(v) for v in numerical] == pytest.approx([2.2, 110, 3.3, 165, 650], abs=1e-6)
    assert float(re.search(r"largest difference: (\S+)", text).group(1)) < 1e-6


def test_exercise_outputs(page_text):
    text = page_text(PAGE)
    assert "tax 1.2: dApple 2.4, dApple_num 120, dTax 200" in text  # 2*1.2, 100*1.2, 100*2
    assert "price 165, dApple 2.2, dApple_num 110, dTax 150" in text  # (200-50)*1.1
    # three shops: dTax = (100+120+90)*2, dApple_num = (100+120+90)*1.1
    assert "dApple: [2.2 2.2 2.2]" in text and "dApple_num: 341.0" in text
    assert "dTax: 620.0" in text


def test_figure_and_graph_markers(page_html):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') >= 1 and "<svg" in html
    assert "Bar chart of the gradient of the price" in html
