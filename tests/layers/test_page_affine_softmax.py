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
