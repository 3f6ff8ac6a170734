"""The gradient-checking page: steps, per-layer and network checks, computed at build."""

import re

import numpy as np
import pytest

PAGE = "layers/gradient-checking/"


def test_steps(page_text):
    text = page_text(PAGE)
    eps64, eps32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
    assert (
        f"float64: eps = {eps64:.2e}, eps^(1/3) = {eps64 ** (1 / 3):.2e}, step used = 1.00e-04"
        in text
    )
    assert f"float32: eps = {eps32:.2e}, eps^(1/3) = {eps32 ** (1 / 3):.2e}" in text


def test_every_layer_passes(page_text):
    text = page_text(PAGE)
    section = text[text.index("MulLayer x:") : text.index("Checking a whole network")]
    for name in (
        "MulLayer",
        "AddLayer",
        "MulConstLayer",
        "AddConstLayer",
        "ExpLayer",
        "ReciprocalLayer",
        "Relu",
        "Sigmoid",
        "Affine",
        "SoftmaxWithLoss",
    ):
        assert f"{name} x:" in section, name
    errors = [float(v) for v in re.findall(r"\b[xyWb]: (\S+)", section)]
    assert len(errors) == 14 and max(errors) < 1e-7


def test_network_checks(page_text):
    text = page_text(PAGE)
    rows = re.findall(r"\b(W1|b1|W2|b2) (64x10|10x10|10) (\S+) (\S+)", text)
    assert [r[0] for r in rows] == ["W1", "b1", "W2", "b2"]
    assert all(float(r[3]) < 1e-7 for r in rows)
    worst = re.findall(r"batch \d, (?:labels|one-hot) worst relative error: (\S+)", text)
    assert len(worst) == 4 and max(map(float, worst)) < 1e-7


def test_exercises(page_text):
    text = page_text(PAGE)
    pattern = r"seed {}: closest hidden input ([^,\s]+), W1 ([^,\s]+), b1 ([^,\s]+)"
    seed0 = re.search(pattern.format(0), text)
    seed2 = re.search(pattern.format(2), text)
    assert float(seed0.group(1)) < 1e-4 < float(seed2.group(1))  # inside / outside one step
    assert float(seed0.group(3)) > 1e-3 and float(seed2.group(3)) < 1e-7
    assert float(re.search(r"buggy:\s+(\d\S*)", text).group(1)) > 0.1
    assert float(re.search(r"correct:\s+(\d\S*)", text).group(1)) < 1e-7
    small = float(re.search(r"h = 1e-4 relative error (\S+)", text).group(1))
    default = float(re.search(r"default h relative error (\S+)", text).group(1))
    assert default < small


def test_figure(page_html):
    html = page_html(PAGE)
    assert '<figure class="bp-figure">' in html and "<svg" in html


# --- "Write the backward pass yourself": the same layers as the page's solutions, rebuilt here --

EDITIONS = ["", "ko/"]
FLOAT = r"(\d\.\de[+-]\d\d)"  # a number printed with :.1e


class _Tanh:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out**2)


class _Divide:
    def __init__(self):
        self.x = self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x / y

    def backward(self, dout):
        return dout / self.y, -dout * self.x / self.y**2


class _Affine:
    def __init__(self, W, b, reduce):
        self.W, self.b, self.reduce = W, b, reduce
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = self.reduce(dout, axis=0)
        return dout @ self.W.T


def _close(printed: str, computed: float) -> bool:
    """A relative error printed with two digits against the one computed here.

    Errors below 1e-7 are rounding noise whose last digit may depend on the CPU's kernels, so
    those only need to be below 1e-7 on both sides; larger ones must agree to the printed digits.
    """
    value = float(printed)
    if computed < 1e-7:
        return value < 1e-7
    return abs(value - computed) <= 0.051 * 10 ** np.floor(np.log10(computed))


@pytest.mark.parametrize("edition", EDITIONS)
def test_tanh_exercise(page_text, edition):
    from backprop_book import check_layer

    text = page_text(edition + PAGE)
    text = text[text.index("class Tanh") :]
    assert "x (2, 3) -> y (2, 3); dout (2, 3) -> dx (2, 3)" in text  # the task's shapes
    rng = np.random.default_rng(0)
    for shape in ((2, 3), (5,), (2, 3, 4)):
        computed = check_layer(_Tanh(), rng.standard_normal(shape))["x"]
        found = re.search(re.escape(str(shape)) + r" x: " + FLOAT, text)
        assert found, shape
        assert _close(found.group(1), computed) and computed < 1e-7, shape


@pytest.mark.parametrize("edition", EDITIONS)
def test_divide_exercise(page_text, edition):
    from backprop_book import check_layer

    text = page_text(edition + PAGE)
    text = text[text.index("class Divide") :]  # after the section on every layer (MulLayer x, y)
    assert "x (3, 4), y (3, 4) -> z (3, 4); dout (3, 4) -> dx (3, 4), dy (3, 4)" in text
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    y = np.abs(rng.standard_normal((3, 4))) + 0.5
    computed = check_layer(_Divide(), x, y)
    found = re.search(rf"x: {FLOAT} y: {FLOAT}", text)
    assert found
    assert _close(found.group(1), computed["x"]) and _close(found.group(2), computed["y"])
    for name in ("dx", "dy"):
        gap = re.search(rf"max \|{name} - {name}_nodes\| / \|{name}_nodes\| = (\S+)", text)
        assert gap and float(gap.group(1)) < 1e-14, name  # a few ulps, as the page asserts


@pytest.mark.parametrize("edition", EDITIONS)
def test_find_the_bug_exercise(page_text, edition):
    from backprop_book import check_layer

    text = page_text(edition + PAGE)
    text = text[text.index("class MyAffine") :]  # after the section on every layer (Affine x, W, b)
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((3, 2)), rng.standard_normal(2)
    x = rng.standard_normal((4, 3))
    broken = check_layer(_Affine(W, b, np.mean), x)
    fixed = check_layer(_Affine(W, b, np.sum), x)
    assert abs(broken["b"] - 3 / 5) < 1e-8  # (N - 1)/(N + 1) with N = 4, by hand

    found = re.search(rf"x: {FLOAT} W: {FLOAT} b: {FLOAT}", text)  # the task's check, first
    assert found and not text[: found.start()].endswith("FixedAffine ")
    assert _close(found.group(1), broken["x"]) and _close(found.group(2), broken["W"])
    assert _close(found.group(3), broken["b"]) and float(found.group(3)) > 0.1
    in_full = re.search(r"MyAffine b: (\d\.\d{6})", text)
    assert in_full and abs(float(in_full.group(1)) - 3 / 5) < 1e-6  # printed with six decimals
    assert "(N - 1)/(N + 1) = 0.600000" in text
    found = re.search(rf"FixedAffine x: {FLOAT} W: {FLOAT} b: {FLOAT}", text)
    assert found
    assert all(_close(found.group(i), fixed[k]) for i, k in enumerate(("x", "W", "b"), start=1))
    assert max(fixed.values()) < 1e-7


@pytest.mark.parametrize("edition", EDITIONS)
def test_backward_exercises_are_collapsible_with_solutions(page_html, edition):
    html = page_html(edition + PAGE)
    heading = "Write the backward pass yourself" if not edition else "역전파를 직접 써 보기"
    section = html[html.index(heading) :]
    assert section.count('<details class="question"') == 3
    assert section.count('<details class="success"') == 3
