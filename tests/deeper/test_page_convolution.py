"""The convolution page: sizes, im2col of a numbered image, shapes, the adjoint and the checks.

Each expected value is computed here from the formula or by hand, never copied from the page.
"""

import re

import pytest

PAGES = ["deeper/convolution/", "ko/deeper/convolution/"]


def _array_row(values) -> str:
    """A regular expression for one printed row of a float array, e.g. ``[1. 2. 2. 1.]``."""
    return r"\[\s*" + r"\s+".join(re.escape(f"{v}.") for v in values) + r"\s*\]"


@pytest.fixture(params=PAGES)
def text(request, page_text):
    return page_text(request.param)


def test_output_sizes(text):
    for H, FH, S, P in [(8, 3, 1, 1), (8, 3, 1, 0), (28, 5, 1, 0), (28, 2, 2, 0)]:
        OH = (H + 2 * P - FH) // S + 1  # the formula, here exact for these sizes
        assert f"FH={FH} S={S} P={P} -> OH={OH}" in text


def test_im2col_of_a_numbered_image(text):
    assert "col (4, 9)" in text
    # the four 3×3 patches of the cells 0..15 of a 4×4 image, row by row
    for top, left in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        cells = [4 * (top + p) + (left + q) for p in range(3) for q in range(3)]
        assert re.search(_array_row(cells), text), cells


def test_shapes_at_every_step(text):
    N, C, H, W, FN, FH, FW = 5, 1, 8, 8, 16, 3, 3  # pad 1, stride 1: OH = OW = 8
    for name, shape in [
        ("x", (N, C, H, W)),
        ("col", (N * H * W, C * FH * FW)),
        ("col_W", (C * FH * FW, FN)),
        ("rows", (N * H * W, FN)),
        ("out", (N, FN, H, W)),
    ]:
        assert f"{name} {shape}" in text
    loops = float(re.search(r"max \|layer - loops\|: (\S+)", text).group(1))
    assert loops < 1e-12


def test_adjoint_and_patch_counts(text):
    # a 3×3 patch at positions 0 and 1 of each axis covers cell k of 0..3 this many times
    per_axis = [sum(1 for start in (0, 1) if start <= k < start + 3) for k in range(4)]
    for a in per_axis:
        assert re.search(_array_row([a * b for b in per_axis]), text), a
    left = float(re.search(r"<im2col\(x\), c> = (\S+)", text).group(1))
    right = float(re.search(r"<x, col2im\(c\)> = (\S+)", text).group(1))
    assert left == pytest.approx(right, rel=1e-9)
    assert float(re.search(r"difference: (\S+)", text).group(1)) < 1e-10


def test_gradient_checks(text):
    section = text[text.index("x (2, 1, 5, 5) W (3, 1, 3, 3)") :]
    errors = [
        float(v) for v in re.findall(r"\b[xWb]: (\d\S*)", section[: section.index("S=2 P=0:")])
    ]
    assert len(errors) == 5 * 3
    assert max(errors) < 1e-7


def test_exercises(text):
    assert "S=1 P=0: (24, 24)" in text  # (28 - 5)/1 + 1
    assert "S=1 P=2: (28, 28)" in text  # (28 + 4 - 5)/1 + 1
    assert "S=2 P=0: ValueError" in text  # (28 - 5)/2 + 1 is not whole
    outputs = 16 * 8 * 8
    assert f"outputs: {outputs}" in text
    assert f"Convolution: {16 * 9 + 16}" in text
    assert f"Affine: {64 * outputs + outputs}" in text
    assert re.search(r"\(2, 5, 4, 4\) \(2, 5, 4, 4\) (\S+)", text)
    assert "FH=2 S=2: 0" in text
    assert float(re.search(r"FH=3 S=1: (\S+)", text).group(1)) > 0.1


@pytest.mark.parametrize("page", PAGES)
def test_figure_is_drawn_from_the_arrays(page, page_html):
    html = page_html(page)
    svg = re.search(r"<svg\b[^>]*role=\"img\".*?</svg>", html, re.S).group(0)
    assert svg.count(">col[") == 4  # one row of col per patch
    assert svg.count("fill-opacity") == 4 * (16 + 9)  # cells of each row: image, row of col
    assert svg.count('stroke-width="2"') == 4 * 9  # each patch outlined in bold
    label = re.search(r'aria-label="([^"]+)"', svg).group(1)
    assert ("패치" in label) == page.startswith("ko/")
