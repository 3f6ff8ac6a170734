"""The gradient-checking page: steps, per-layer and network checks, computed at build."""

import re

import numpy as np

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
