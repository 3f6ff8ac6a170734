"""The dropout page: the mask and its gradient, the expectation, inference, the numerical check
and the overfitting measurement, as printed at build and as the package computes them now."""

import re

import numpy as np

from backprop_book.deeper.dropout import Dropout
from backprop_book.layers import Affine, Relu, SoftmaxWithLoss
from backprop_book.training.datasets import load_digits

PAGE = "deeper/dropout/"


def squash(text: str) -> str:
    return " ".join(text.split())


def test_small_mask_and_its_gradient(page_text):
    text = page_text(PAGE)
    x = np.arange(1.0, 13.0).reshape(2, 6)
    layer = Dropout(0.5, seed=0)
    y = layer.forward(x)
    dx = layer.backward(np.ones((2, 6)))
    assert squash(f"mask (kept): {layer.mask.astype(int)}") in text
    assert squash(f"y = x * mask / (1 - p): {y}") in text
    assert squash(f"dx for dy = 1: {dx}") in text
    np.testing.assert_array_equal(dx, 2.0 * layer.mask)  # routed by the mask, scaled by 2


def test_expectation_within_the_binomial_spread(page_text):
    text = page_text(PAGE)
    x_row, p, K = np.array([1.0, 2.0, 3.0, 4.0]), 0.5, 20_000
    mean = Dropout(p, seed=3).forward(np.tile(x_row, (K, 1))).mean(axis=0)
    assert squash(f"mean of y, K masks: {mean.round(4)}") in text
    printed = re.search(r"in standard deviations: \[([^\]]*)\]", text).group(1).split()
    assert len(printed) == 4 and all(abs(float(v)) < 4 for v in printed)


def test_inference_and_numerical_check(page_text):
    text = page_text(PAGE)
    assert "y == x: True dx == dy: True" in text
    assert float(re.search(r"relative error: (\d\.\de-\d\d)", text).group(1)) < 1e-7
    assert "p = 0: [1. 2. 3.]" in text and "p = 1: ValueError" in text
    assert "mean, inverted: 2.0 mean, original: 1.5 (1 - p)·x: 1.5" in text


def train(dropout: bool) -> dict[str, tuple[float, float]]:
    """The page's measurement, rebuilt from the package's layers."""
    (x_train, t_train), (x_test, t_test) = load_digits()
    x_small, t_small = x_train[:100].astype(np.float64), t_train[:100]
    rng = np.random.default_rng(0)
    sizes = [64, 200, 200, 10]
    layers = [Dropout(0.2, seed=10)] if dropout else []
    for i in range(3):
        W = rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(2 / sizes[i])
        layers.append(Affine(W, np.zeros(sizes[i + 1])))
        if i < 2:
            layers += [Relu(), Dropout(0.5, seed=i)] if dropout else [Relu()]

    def predict(x, train_flg):
        for layer in layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    loss, rng = SoftmaxWithLoss(), np.random.default_rng(0)  # a fresh generator for the order
    for _ in range(150):
        order = rng.permutation(100)
        for i in range(0, 100, 50):
            batch = order[i : i + 50]
            loss.forward(predict(x_small[batch], True), t_small[batch])
            dout = loss.backward()
            for layer in reversed(layers):
                dout = layer.backward(dout)
            for layer in layers:
                if isinstance(layer, Affine):
                    layer.W -= 0.1 * layer.dW
                    layer.b -= 0.1 * layer.db
    result = {}
    for split, (x, t) in {"train": (x_small, t_small), "test": (x_test, t_test)}.items():
        scores = predict(x.astype(np.float64), False)
        result[split] = (
            SoftmaxWithLoss().forward(scores, t),
            float((scores.argmax(1) == t).mean()),
        )
    return result


def test_overfitting_table(page_text):
    text = page_text(PAGE)
    rows = {
        name: [float(v) for v in values]
        for name, *values in re.findall(r"\b(plain|dropout)" + r" (\d+\.\d{3})" * 5, text)
    }
    assert list(rows) == ["plain", "dropout"]
    for name, (train_loss, test_loss, gap, train_acc, test_acc) in rows.items():
        assert abs(gap - (test_loss - train_loss)) <= 0.0011  # three decimals each
        now = train(dropout=name == "dropout")
        # 300 SGD steps from the same start: rounding differences between CPUs stay far below
        # the printed third decimal of the losses; the accuracies count whole digits
        assert abs(now["train"][0] - train_loss) < 2e-3 and abs(now["test"][0] - test_loss) < 2e-3
        assert abs(now["train"][1] - train_acc) < 0.011 and abs(now["test"][1] - test_acc) < 0.006
    assert rows["dropout"][2] < rows["plain"][2] - 0.02  # the gap shrinks, as the page claims
    assert rows["plain"][0] < 0.05 and rows["plain"][3] == 1.0


def test_figure(page_html):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') == 1
    assert len(re.findall(r'<svg\b[^>]*\brole="img"', html)) == 1
    labels = re.findall(r'<svg\b[^>]*\baria-label="([^"]*)"', page_html("ko/" + PAGE))
    assert len(labels) == 1 and re.search("[가-힣]", labels[0])
