"""The optimizers page: the valley, the paths, the checks and the exercises, computed at build.

The numbers the page prints are recomputed here by hand where the arithmetic allows it (the
valley, SGD's closed form, AdaGrad's and Adam's first steps) and otherwise read back and checked
against what must hold (every path ends closer than it started).
"""

from __future__ import annotations

import math
import re

import pytest

PAGE = "training/optimizers/"
START = (-7.0, 2.0)  # the start point of Deep Learning from Scratch 6.1
STEPS = 30
RATES = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "Adam": 0.3}
NUM = r"(-?\d[\d.]*(?:e[+-]?\d+)?)"  # a printed number (the page's source shows {…} instead)
ROW = re.compile(
    r"(SGD|Momentum|AdaGrad|Adam) η = (\S+) ‖p_0‖ = (\S+) ‖p_30‖ = (\S+) f = (\S+) n_y = (\d+)"
)


@pytest.fixture(params=["", "ko/"], ids=["en", "ko"])
def text(request, page_text):
    return page_text(request.param + PAGE)


def _rows(text: str) -> dict[str, tuple[float, ...]]:
    return {m[1]: tuple(float(v) for v in m.groups()[1:]) for m in ROW.finditer(text)}


def test_the_valley_at_the_start(text):
    x, y = START
    f, dfdx, dfdy = x**2 / 20 + y**2, x / 10, 2 * y  # 49/20 + 4, -0.7, 4
    assert f"f(x0, y0) = {f} (df/dx, df/dy) = ({dfdx}, {dfdy})" in text


def test_sgd_factors_per_step(text):
    lr = RATES["SGD"]
    assert f"η = {lr}: x ← {1 - lr / 10:.3f}·x, y ← {1 - 2 * lr:.3f}·y" in text


def test_the_paths_have_one_row_per_point(text):
    shapes = ", ".join(f"'{name}': ({STEPS + 1}, 2)" for name in RATES)
    assert "{" + shapes + "}" in text


def test_distance_table(text):
    rows = _rows(text)
    assert list(rows) == list(RATES)
    start = math.hypot(*START)
    for name, (lr, d0, d_end, f_end, _) in rows.items():
        assert lr == RATES[name]
        assert d0 == round(start, 4)
        assert d_end < d0 and f_end < START[0] ** 2 / 20 + START[1] ** 2
    # SGD by its closed form: x_k = (1 - lr/10)^k x_0, y_k = (1 - 2 lr)^k y_0
    lr = RATES["SGD"]
    x, y = (1 - lr / 10) ** STEPS * START[0], (1 - 2 * lr) ** STEPS * START[1]
    assert rows["SGD"][2] == round(math.hypot(x, y), 4)
    assert rows["SGD"][4] == STEPS  # 1 - 2 lr < 0: y changes sign at every step
    assert 2 * rows["Momentum"][4] < rows["SGD"][4]


def test_shapes_of_momentum_and_adagrad(text):
    max_x = float(re.search(r"Momentum: max x = " + NUM, text)[1])
    assert max_x > 0
    # AdaGrad's first step: lr * g / sqrt(g²) = lr in each coordinate (eps is 1e-7)
    lr = RATES["AdaGrad"]
    assert f"AdaGrad: |Δx|, |Δy| at k = 1: [{lr} {lr}]" in text


def test_gradient_check(text):
    diffs = [float(v) for v in re.findall(r"\|diff\| = " + NUM, text)]
    assert len(diffs) == 4  # three points of the gradient check, then the Adam check
    assert max(diffs[:3]) < 1e-8
    assert "∇f = [-0.7 4. ] numerical = [-0.7 4. ]" in text


def test_adam_by_hand(text):
    lr = RATES["Adam"]
    x1, y1 = START[0] + lr, START[1] - lr  # the first step is lr against the gradient's sign
    assert f"k = 1: Adam [{x1} {y1}] [{x1} {y1}]" in text
    assert float(re.findall(r"\|diff\| = " + NUM, text)[-1]) < 1e-12
    rows = re.findall(r"k = (\d): Adam \[([^\]]+)\] \[([^\]]+)\]", text)
    assert [k for k, _, _ in rows] == ["0", "1", "2", "3"]
    assert all(by_class == by_hand for _, by_class, by_hand in rows)  # both rounded to 6 places


def test_exercise_adagrad_rates(text):
    lr = RATES["AdaGrad"]
    gx, gy = abs(START[0] / 10), abs(2 * START[1])
    assert f"k = 1: |g| = [{gx} {gy:.0f}. ] η/√h = [{lr / gx:.4f} {lr / gy:.3f} ]" in text
    rates = re.findall(r"η/√h = \[\s*(\S+)\s+(\S+)\s*\]", text)
    assert len(rates) == 5 and all(float(ry) < float(rx) for rx, ry in rates)


def test_exercise_bias_correction(text):
    assert "corrected step / η: [ 1. -1.]" in text
    assert f"(1 - β1) / √(1 - β2) = {round(0.1 / math.sqrt(0.001), 4)}" in text


def test_exercise_learning_rates(text):
    for lr in (0.4, 0.95, 1.05):
        y_end = (1 - 2 * lr) ** STEPS * START[1]
        assert f"η = {lr}: 1 - 2η = {1 - 2 * lr:+.2f} y_0 = 2 y_30 = {y_end:.4g}" in text


@pytest.mark.parametrize(("edition", "hangul"), [("", False), ("ko/", True)])
def test_figure(page_html, edition, hangul):
    html = page_html(edition + PAGE)
    svgs = re.findall(r'<svg\b[^>]*\brole="img"[^>]*aria-label="([^"]+)"', html)
    assert len(svgs) == 1
    assert bool(re.search("[\uac00-\ud7a3]", svgs[0])) is hangul
    for name in RATES:  # matplotlib keeps each title's text in a comment beside its glyphs
        assert f"<!-- {name} -->" in html


@pytest.mark.parametrize("edition", ["", "ko/"])
def test_links_to_the_neighbours_and_the_api(page_html, edition):
    html = page_html(edition + PAGE)
    for href in (
        "../two-layer-net/",
        "../weight-initialization/",
        "../../reference/training-optimizers/",
    ):
        assert f'href="{href}' in html
