"""The batch-normalization page: the nodes, both backward passes, the numerical check, the two
modes and the gradient norms of a deep stack, as printed at build and as the package computes
them now."""

import re

import numpy as np

from backprop_book.deeper.batch_norm import BatchNormalization, graph_forward
from backprop_book.layers import Affine, Relu, SoftmaxWithLoss
from backprop_book.training.datasets import load_digits

PAGE = "deeper/batch-normalization/"


def squash(text: str) -> str:
    return " ".join(text.split())


NUMBER = r"([-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?)"


def number_after(text: str, label: str) -> float:
    """The number printed after ``label`` (the label also occurs in the shown source)."""
    return float(re.search(re.escape(label) + r"\s*" + NUMBER, text).group(1))


def test_tiny_batch_through_the_nodes(page_text):
    text = page_text(PAGE)
    nodes = graph_forward(np.array([[1.0], [2.0], [6.0]]), np.array([2.0]), np.array([0.5]))
    for name in ("mu", "xc", "var", "sigma", "xhat", "out"):
        assert squash(f"{name:>6} {np.round(nodes[name].ravel(), 4)}") in text, name
    assert "mean of xhat: 0.0" in text and "variance of xhat: 0.999998" in text


def test_both_backward_passes_agree(page_text):
    text = page_text(PAGE)
    rng = np.random.default_rng(0)
    x, dout = rng.normal(3.0, 2.0, (8, 4)), rng.standard_normal((8, 4))
    layer = BatchNormalization(rng.uniform(0.5, 2.0, 4), rng.standard_normal(4))
    layer.forward(x)
    row = squash(str(np.round(layer.backward(dout)[0], 6)))
    assert f"dx (closed form), row 0: {row}" in text
    assert f"dx (staged), row 0: {squash(str(np.round(layer.staged_backward(dout)[0], 6)))}" in text
    assert number_after(text, "largest |difference|:") < 1e-12
    gamma_diff, beta_diff = re.search(
        r"dgamma, dbeta differences: " + NUMBER + " " + NUMBER, text
    ).groups()
    assert float(gamma_diff) < 1e-12 and float(beta_diff) < 1e-12


def test_numerical_check(page_text):
    text = page_text(PAGE)
    errors = re.search(f"x: {NUMBER} gamma: {NUMBER} beta: {NUMBER}", text).groups()
    assert max(float(e) for e in errors) < 1e-7


def test_running_statistics_and_inference(page_text):
    text = page_text(PAGE)
    layer = BatchNormalization(np.ones(2), np.zeros(2), momentum=0.9)
    data = np.random.default_rng(1).normal([5.0, -3.0], [2.0, 0.5], (1000, 2))
    for step in range(200):
        layer.forward(data[np.random.default_rng(step).integers(0, 1000, 50)])
    assert f"running mean: {squash(str(np.round(layer.running_mean, 2)))}" in text
    assert f"running var: {squash(str(np.round(layer.running_var, 2)))}" in text
    one = layer.forward(data[:1], train_flg=False)
    assert squash(f"-> {one.round(2)}") in text
    assert "one sample in training: ValueError" in text


def weight_gradient_norms(batch_norm: bool) -> list[float]:
    """The page's 8-layer measurement, rebuilt from the package's layers."""
    (x_train, t_train), _ = load_digits()
    x, t = x_train[:100].astype(np.float64), t_train[:100]
    rng = np.random.default_rng(0)
    sizes = [64] + [50] * 7 + [10]
    layers, affines = [], []
    for i in range(8):
        affines.append(Affine(0.01 * rng.standard_normal(sizes[i : i + 2]), np.zeros(sizes[i + 1])))
        layers.append(affines[-1])
        if i < 7:
            if batch_norm:
                layers.append(BatchNormalization(np.ones(sizes[i + 1]), np.zeros(sizes[i + 1])))
            layers.append(Relu())
    for layer in layers:
        x = layer.forward(x)
    loss = SoftmaxWithLoss()
    loss.forward(x, t)
    dout = loss.backward()
    for layer in reversed(layers):
        dout = layer.backward(dout)
    return [float(np.linalg.norm(a.dW)) for a in affines]


def test_gradient_norms_per_layer(page_text):
    text = page_text(PAGE)
    rows = re.findall(r"\b([1-8]) (\d\.\de[+-]\d\d) (\d\.\de[+-]\d\d)\b", text)
    assert [int(r[0]) for r in rows] == list(range(1, 9))
    plain, normed = weight_gradient_norms(False), weight_gradient_norms(True)
    for (_, p, b), p_now, b_now in zip(rows, plain, normed, strict=True):
        # printed to two significant digits: equal to rounding of the third
        assert abs(float(p) - p_now) <= 0.051 * p_now
        assert abs(float(b) - b_now) <= 0.051 * b_now
    assert max(plain) < 1e-6 and min(normed) > 0.1  # what the page claims
    ratio = number_after(text, "smallest ratio batch norm / plain:")
    assert abs(ratio - min(b / p for p, b in zip(plain, normed, strict=True))) <= 0.051 * ratio


def test_exercises(page_text):
    text = page_text(PAGE)
    assert number_after(text, "largest |sum of dx over the batch|:") < 1e-12
    assert "[1. 2.] -> [-0.99998 0.99998]" in text  # a batch of two: x̂ = (-1, 1) up to eps
    assert number_after(text, "largest |y - x|:") < 1e-12


def test_figures(page_html):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') == 2
    assert len(re.findall(r'<svg\b[^>]*\brole="img"', html)) == 2


def test_korean_figures_are_named_in_korean(page_html):
    html = page_html("ko/" + PAGE)
    labels = re.findall(r'<svg\b[^>]*\baria-label="([^"]*)"', html)
    assert len(labels) == 2 and all(re.search("[가-힣]", label) for label in labels)


def figure_code() -> dict:
    """The page's tiny batch and its graph-figure code, run here as the build runs them."""
    from tests.helpers import DOCS

    page = (DOCS / "deeper" / "batch-normalization.md").read_text(encoding="utf-8")
    namespace: dict = {}
    for name in ("bn-tiny", "bn-figure-code"):
        block = re.search(rf"\[start:{name}\] -->\n```python[^\n]*\n(.*?)```", page, re.S)
        exec(block.group(1), namespace)  # the page's own code
    return namespace


def test_the_graph_figure_has_no_two_texts_touching_in_either_edition(capsys):
    code = figure_code()
    for legend in [("above: the node's output", "below: the gradient of the loss"),
                   ("위: 노드의 출력", "아래: 손실의 기울기")]:  # fmt: skip
        fig = code["graph_figure"](legend)  # asserts it too, at build
        assert code["crowded"](fig) == []
        labels = [t for t in fig.axes[0].texts if t.get_text() and t.get_bbox_patch() is None]
        assert len(labels) == 2 * 13 + 2  # each node's output and gradient, the legend
    capsys.readouterr()  # the tiny batch's printout


def test_the_crowding_check_finds_a_label_put_on_another_or_on_an_arrow(capsys):
    code = figure_code()
    fig = code["graph_figure"](("a", "b"))
    ax = fig.axes[0]
    first = next(t for t in ax.texts if t.get_text().startswith("μ ="))
    ax.text(*first.get_position(), "on top", fontsize=9)  # the same place as the μ label
    ax.text(1.3, 3.3, "on the arrow", fontsize=9)  # on the arrow from x to x − μ
    found = code["crowded"](fig)
    assert any("on top" in pair for pair in found)
    assert ("on the arrow", "an arrow") in found
    capsys.readouterr()
