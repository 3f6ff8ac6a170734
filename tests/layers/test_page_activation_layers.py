"""The activation-layers page: the sigmoid graph's numbers and the checks, computed at build."""

import math
import re

PAGE = "layers/activation-layers/"


def _number(text: str, label: str) -> float:
    match = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?\d+)?)", text)
    assert match, label
    return float(match.group(1))


def test_sigmoid_graph_step_by_step(page_text):
    text = page_text(PAGE)
    y = 1 / (1 + math.exp(-1.0))  # sigmoid(1), by hand
    assert _number(text, "forward ×(-1):") == -1.0
    assert _number(text, "forward exp:") == round(math.exp(-1), 6)
    assert _number(text, "forward 1/x:") == round(y, 6)
    assert _number(text, "backward 1/x:") == round(-(y**2), 6)  # local gradient -y²
    assert _number(text, "backward exp:") == round(-(y**2) * math.exp(-1), 6)
    assert _number(text, "backward ×(-1):") == round(y * (1 - y), 6)
    assert _number(text, "y² exp(-x) =") == _number(text, "y(1 - y) =") == round(y * (1 - y), 6)
    assert _number(text, "largest difference, output:") < 1e-12
    assert _number(text, "largest difference, gradient:") < 1e-12


def test_numerical_checks(page_text):
    text = page_text(PAGE)
    rows = re.findall(r"\) Sigmoid (\S+) Relu (\S+)", text)
    assert len(rows) == 3
    assert all(float(a) < 1e-7 and float(b) < 1e-7 for a, b in rows)


def test_exercises(page_text):
    text = page_text(PAGE)
    assert "largest y(1 - y): 0.250000 at x = 0.0000" in text
    assert f"after ten layers at most: {0.25**10:.3e}" in text
    assert "layer: [0.] central difference: [0.5]" in text
    assert _number(text, "relative error:") < 1e-7  # tanh' = 1 - y²


def test_figure(page_html):
    html = page_html(PAGE)
    assert '<figure class="bp-figure">' in html and "<svg" in html
    assert "Sigmoid and ReLU with the derivatives" in html


def test_sigmoid_figure_uses_the_derivations_names(page_html):
    import html as html_lib

    for edition in ("", "ko/"):
        html = page_html(edition + PAGE)
        figure = html[html.index('<figure class="bp-figure">') :]
        figure = figure[: figure.index("</figure>")]
        # a, b, c drawn above the nodes that compute them, as the derivation names them
        names = re.findall(r'class="bp-name bp-name-op"[^>]*>([^<]*)<', figure)
        assert names == ["a", "b", "c"]
        caption = html_lib.unescape(re.search(r"<figcaption>(.*?)</figcaption>", figure).group(1))
        assert "x → ×(−1) → a → exp → b → +1 → c → 1/x → y" in caption
        assert "a = −x, b = exp(a), c = 1 + b" in caption and "y = 1/c" in caption
    assert "의 계산 그래프" in page_html("ko/" + PAGE)  # the Korean figure's accessible name
