"""The reverse-mode page: both modes on one graph, costs, memory, timing and the Value neuron.

Every expected number is worked out here by hand from the inputs the page uses, never copied
from its output. Timings differ on every build, so only the robust claim (backpropagation is
faster by more than a hundred times) is asserted, never a measured time.
"""

import math
import re

import pytest

from backprop_book import format_number

PAGE = "layers/reverse-mode/"
EDITIONS = ["", "ko/"]

A, B, C = 3.0, 2.0, 5.0  # the page's inputs of L = (a × b + b) × c
GRADS = {"a": B * C, "b": (A + 1) * C, "c": A * B + B}  # ∂L/∂a = bc, ∂L/∂b = ac + c, ∂L/∂c = s


@pytest.mark.parametrize("edition", EDITIONS)
def test_both_modes_on_the_small_graph(edition, page_text):
    text = page_text(edition + PAGE)
    u, s = A * B, A * B + B
    assert f"u = {format_number(u)} s = {format_number(s)} L = {format_number(s * C)}" in text
    for name, grad in GRADS.items():
        assert f"forward pass from {name}: ∂L/∂{name} = {format_number(grad)}" in text
    backward = ", ".join(f"∂L/∂{k} = {format_number(v)}" for k, v in GRADS.items())
    assert f"one backward pass: {backward}" in text
    edges = 2 + 2 + 2  # three binary nodes, two edges each
    assert f"forward mode 3 × {edges} = {3 * edges}, reverse mode 1 × {edges} = {edges}" in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_sum_over_paths(edition, page_text):
    text = page_text(edition + PAGE)
    assert f"a → u → s → L = {format_number(B * C)}" in text
    assert f"b → u → s → L = {format_number(A * C)}" in text  # local gradients a · 1 · c
    assert f"b → s → L = {format_number(C)}" in text
    assert f"c → L = {format_number(A * B + B)}" in text
    assert f"sent back to b along its two uses: {format_number(A * C)} + {format_number(C)}" in text
    for name, grad in GRADS.items():
        g = format_number(grad)
        found = re.search(
            rf"∂L/∂{name}: paths {g}, forward {g}, backward {g}, numerical (\S+)", text
        )
        assert found, name
        assert math.isclose(float(found.group(1)), grad, abs_tol=1e-5)  # printed to 6 places


@pytest.mark.parametrize("edition", EDITIONS)
def test_cost_and_memory(edition, page_text):
    text = page_text(edition + PAGE)
    n = 784 * 50 + 50 + 50 * 10 + 10
    assert f"forward-mode passes: {n:,} reverse-mode passes: 1" in text
    batch, float_bytes = 100, 8
    rows = {
        "Affine1.x": ("(100, 784)", "float64", batch * 784 * float_bytes),
        "Relu1.mask": ("(100, 50)", "bool", batch * 50),  # one byte per boolean
        "Affine2.x": ("(100, 50)", "float64", batch * 50 * float_bytes),
        "SoftmaxWithLoss.y": ("(100, 10)", "float64", batch * 10 * float_bytes),
        "SoftmaxWithLoss.t": ("(100, 10)", "float64", batch * 10 * float_bytes),
    }
    for name, (shape, dtype, nbytes) in rows.items():
        assert f"{name} {shape} {dtype} {nbytes:,} bytes" in text, name
    kept = sum(r[2] for r in rows.values())
    assert f"kept for backward: {kept:,} bytes parameters: {n * float_bytes:,} bytes" in text


def test_timing_claim_holds_in_both_editions(page_text):
    text = page_text(PAGE)
    n = 784 * 50 + 50 + 50 * 10 + 10
    backprop = re.search(rf"backprop, all {n:,} parameters: (\d+\.\d) ms", text)
    part = re.search(r"numerical, the 10 entries of b2: (\d+\.\d\d) s", text)
    total = re.search(rf"numerical, all {n:,} parameters \(extrapolated\): (\d+) s", text)
    assert backprop and part and total
    error = re.search(r"relative error on those entries: (\d\S*)", text)
    assert float(error.group(1)) < 1e-7  # the two gradients agree
    for edition, pattern in (("", r"would take ([\d,]+) times as long"), ("ko/", r"([\d,]+)배")):
        ratio = re.search(pattern, page_text(edition + PAGE))
        assert ratio, edition
        assert float(ratio.group(1).replace(",", "")) > 100  # the page's claim, not a number


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_value_neuron_is_affine(edition, page_text):
    text = page_text(edition + PAGE)
    found = re.findall(
        r"(Y|dX|dW|db) (\([\d, ]+\)) Value vs Affine: largest difference (\d\S*)", text
    )
    assert [(name, shape) for name, shape, _ in found] == [
        ("Y", "(2, 2)"),
        ("dX", "(2, 3)"),
        ("dW", "(3, 2)"),
        ("db", "(2,)"),
    ]
    assert all(float(d) < 1e-12 for _, _, d in found)
    # 2 × 3 inputs, 3 × 2 weights, 2 biases, the start 0; per output 3 × and 3 +; then per
    # output a constant dY entry, a × and a +
    nodes = 6 + 6 + 2 + 1 + 4 * 6 + 4 * 3
    assert f"nodes in the scalar graph: {nodes}" in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_exercises(edition, page_text):
    text = page_text(edition + PAGE)
    sig = 1 / (1 + math.exp(-0.5))
    expected = "  ".join(format_number(d) for d in (1.0, math.exp(0.5), sig * (1 - sig)))
    expected = " ".join(expected.split())
    for label in ("forward mode, 1 pass:", "reverse mode, 3 passes:", "by hand:"):
        assert f"{label} {expected}" in text, label
    per_sample = 784 * 8 + 50 + 50 * 8 + 10 * 8 + 10 * 8
    for batch in (1, 100, 1000):
        assert f"batch {batch}: kept {batch * per_sample:,} bytes" in text
    difference = re.search(r"largest difference in dW, dx, db: (\d\S*)", text)
    assert float(difference.group(1)) < 1e-12


@pytest.mark.parametrize("edition", EDITIONS)
def test_figure(edition, page_html):
    html = page_html(edition + PAGE)
    assert '<figure class="bp-figure">' in html
    assert re.search(r'<svg\b[^>]*\brole="img"', html)
    title = (
        "그래프 L = (a × b + b) × c의 값과 기울기" if edition else "The graph L = (a × b + b) × c"
    )
    assert title in html
