"""The Affine/Softmax page: shapes, parameter counts, loss and checks, computed at build."""

import math
import re

PAGE = "layers/affine-softmax/"


def test_shapes_and_formulas(page_text):
    text = page_text(PAGE)
    assert "X (2, 3) W (3, 4) b (4,) -> Y (2, 4)" in text
    assert "dY (2, 4) -> dX (2, 3) dW (3, 4) db (4,)" in text
    for line in ("dX == dY·Wᵀ: True", "dW == Xᵀ·dY: True", "db == Σ dY: True"):
        assert line in text
    assert "images (5, 1, 28, 28) -> (5, 50) ; dX back to (5, 1, 28, 28)" in text


def test_parameter_counts(page_text):
    text = page_text(PAGE)
    first, second = 784 * 50 + 50, 50 * 10 + 10  # D·M + M, by hand
    assert f"Affine1: 784 × 50 + 50 = {first:,} (arrays: {first:,})" in text
    assert f"Affine2: 50 × 10 + 10 = {second:,} (arrays: {second:,})" in text
    assert f"total: {first + second:,}" in text
    assert f"784 -> 50: {784 * 50 + 50:,} parameters" in text  # the notes' dense_1
    assert f"50 -> 100: {50 * 100 + 100:,} parameters" in text  # the notes' dense_2


def test_softmax_with_loss_numbers(page_text):
    text = page_text(PAGE)
    rows, labels = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], [0, 2]
    ys = [[math.exp(v) / sum(math.exp(u) for u in row) for v in row] for row in rows]
    loss = -sum(math.log(y[k]) for y, k in zip(ys, labels, strict=True)) / 2
    assert f"loss = {round(loss, 6)} by the formula: {round(loss, 6)}" in text
    dx00 = (ys[0][0] - 1) / 2
    assert f"dx = [[{round(dx00, 4)}," in text
    assert "(y - t)/N: True" in text and "one-hot labels give the same loss: True" in text
    assert "naive: [nan 0.]" in text and "loss for label 1: 1000.0" in text


def test_gradient_checks(page_text):
    text = page_text(PAGE)
    section = text[text.index("Affine (1, 6) -> 4") : text.index("Exercises")]
    errors = [float(v) for v in re.findall(r"\b[xWb]: (\S+)", section)]
    assert len(errors) == 3 * 3 + 2
    assert max(errors) < 1e-7


def test_figure(page_html):
    html = page_html(PAGE)
    assert '<figure class="bp-figure">' in html and "<svg" in html


def test_jacobian_and_log_sum_exp_agree(page_text):
    text = page_text(PAGE)
    for label in ("Jacobian vs log-sum-exp", "layer vs log-sum-exp"):
        found = re.search(rf"largest difference, {label}: +([0-9.e+-]+)", text)
        assert found and float(found.group(1)) <= 1e-12  # float64 rounding, values below 1
    rows, labels = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], [0, 2]
    ys = [[math.exp(v) / sum(math.exp(u) for u in row) for v in row] for row in rows]
    by_hand = [
        [round((y - (k == j)) / 2, 4) for j, y in enumerate(row)]
        for row, k in zip(ys, labels, strict=True)
    ]  # (y - t) / N by hand, N = 2
    for route in ("the Jacobian", "log-sum-exp"):
        printed = re.search(rf"dx by {route}: +(\[\[.*?\]\])", text).group(1)
        values = [[float(v) for v in r.split(",")] for r in re.findall(r"\[([^\[\]]+)\]", printed)]
        assert values == by_hand


def _svg_texts(html: str, start: str) -> tuple[str, list[str]]:
    import html as html_lib

    svg = re.search(
        rf'<svg[^>]*class="bp-shape-graph"[^>]*aria-label="{start}[^"]*".*?</svg>', html, re.S
    )
    assert svg, start
    label = html_lib.unescape(re.search(r'aria-label="([^"]*)"', svg.group(0)).group(1))
    texts = [html_lib.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.group(0))]
    return label, texts


def test_graphs_with_shapes_on_the_edges(page_html):
    import numpy as np

    from backprop_book import Affine

    # the page's arrays, rebuilt: N, D, M = 2, 3, 4 from rng seed 0
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3))
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    layer = Affine(W, b)
    Y = layer.forward(X)
    dX = layer.backward(rng.standard_normal(Y.shape))
    for edition, (affine_start, loss_start) in {
        "": ("The Affine layer as a graph", "Softmax-with-Loss as a graph"),
        "ko/": ("Affine 계층의 계산 그래프", "Softmax-with-Loss의 계산 그래프"),
    }.items():
        html = page_html(edition + PAGE)
        _, texts = _svg_texts(html, affine_start)
        for expected in (
            f"X {X.shape}",
            f"W {W.shape}",
            f"b {b.shape}",
            f"Y {Y.shape}",
            f"dX = dY·Wᵀ {dX.shape}",
            f"dW = Xᵀ·dY {layer.dW.shape}",
            f"db = Σₙ dY {layer.db.shape}",  # the copy node's gradient: a column sum
            f"b, {X.shape[0]} rows {Y.shape}",  # b broadcast to every row
        ):
            assert expected in texts, (edition, expected)
        _, texts = _svg_texts(html, loss_start)
        for expected in ("x (2, 3)", "y (2, 3)", "t (2, 3)", "L ()", "dx = (y − t)/N (2, 3)"):
            assert expected in texts, (edition, expected)
