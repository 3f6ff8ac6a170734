"""The built 'Training a two-layer net' page carries the numbers its executed blocks printed."""

from __future__ import annotations

import itertools
import math
import re

import pytest

PAGE = "training/two-layer-net/"


@pytest.fixture(scope="module")
def text(page_text):
    return page_text(PAGE)


def test_notes_600_1200_1800(text):
    # 60,000 / 100 = 600 iterations per epoch; evaluations at its multiples
    assert "iterations per epoch: 600" in text
    for i in (600, 1200, 1800):
        assert f"iteration {i}: {i} % 600 == 0 -> record loss and accuracy" in text
    # floor(10,000 / 600) = 16 evaluations, the last at 16 * 600 = 9600
    assert "... 16 evaluations in 10,000 iterations, the last at iteration 9600" in text


def test_first_order_check_of_the_sgd_step(text):
    ratios = {
        float(lr): float(r)
        for lr, r in re.findall(r"lr ([0-9.]+): loss fell by [0-9.e+-]+, predicted [0-9.e+-]+, "
                                r"ratio ([0-9.]+)", text)
    }  # fmt: skip
    assert sorted(ratios) == [0.001, 0.01, 0.1]
    errors = [abs(1 - ratios[lr]) for lr in (0.1, 0.01, 0.001)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.01  # error shrinks like lr


def test_example_output_on_the_page(text):
    # 1438 // 100 = 14 iterations per epoch, 20 epochs = 280 iterations
    assert "iterations per epoch: 14, iterations: 280" in text
    lines = re.findall(r"epoch +(\d+) \(iteration +(\d+)\) \| train acc, test acc \| ", text)
    assert [(int(e), int(i)) for e, i in lines] == [(e, 14 * e) for e in range(1, 21)]
    final = float(re.search(r"final test accuracy: ([0-9.]+)", text).group(1))
    assert final >= 0.97


def test_learning_curves_and_optimizer_figures(page_html, text):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') == 4
    assert html.count('role="img"') == 4
    label = re.search(r'aria-label="(Learning curves on the digits[^"]*)"', html).group(1)
    final = re.search(r"final test accuracy: ([0-9.]+)", text).group(1)
    assert label.endswith(f"test accuracy {float(final):.3f}")
    assert 'aria-label="Loss per iteration for SGD, Momentum, AdaGrad and Adam' in html


def _standardized_digits():
    from backprop_book import load_digits

    (x_train, t_train), _ = load_digits()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    std[std == 0] = 1.0  # as examples/train_two_layer_net.py does
    return (x_train - mean) / std, t_train


def test_loss_at_initialization(text):
    from backprop_book import TwoLayerNet

    number = r"([0-9.]+)"
    rows = {
        init: tuple(map(float, m))
        for init, *m in re.findall(
            rf"init (he|0\.01) *: loss {number} = ln 10 {number} \+ spread {number} "
            rf"\+ label term ([+-][0-9.]+)",
            text,
        )
    }
    assert sorted(rows) == ["0.01", "he"]
    x_train, t_train = _standardized_digits()
    for init, (loss, ln10, spread, label) in rows.items():
        assert ln10 == round(math.log(10), 4)
        # four printed decimals each: the sum of three rounded terms is within 1.5e-4 of the loss
        assert abs(loss - (ln10 + spread + label)) <= 1.5e-4
        net = TwoLayerNet(64, 50, 10, weight_init_std="he" if init == "he" else 0.01, seed=0)
        assert abs(net.loss(x_train, t_train) - loss) <= 5e-5  # the untrained net, recomputed
        assert spread >= 0  # Jensen: the log of a mean of exponentials >= the mean exponent
    he, small = rows["he"], rows["0.01"]
    assert he[0] > math.log(10) + 0.1 and he[2] > abs(he[3])  # He starts above ln 10
    assert abs(small[0] - math.log(10)) < 0.01  # small weights start at ln 10
    first = float(re.search(r"first recorded loss, after update 1: ([0-9.]+)", text).group(1))
    assert first < he[0]
    train, test = map(
        float,
        re.search(r"after 280 iterations: train acc ([0-9.]+), test acc ([0-9.]+)", text).groups(),
    )
    assert train >= test >= 0.97


def _real_pass():
    """The shapes of one pass of the page's network on the page's batch, computed here."""
    import numpy as np

    from backprop_book import TwoLayerNet, load_digits

    (x_train, t_train), _ = load_digits()
    x, t = x_train[:100].astype(np.float64), t_train[:100]
    network = TwoLayerNet(64, 50, 10, weight_init_std="he", seed=0)
    forward, out = [x.shape], x
    for layer in network.layers.values():
        out = layer.forward(out)
        forward.append(out.shape)
    network.last_layer.forward(out, t)
    dout = network.last_layer.backward(1)
    backward = {"SoftmaxWithLoss": dout.shape}
    for name, layer in reversed(network.layers.items()):
        dout = layer.backward(dout)
        backward[name] = None if dout is None else dout.shape
    return network, forward, backward


def test_dout_shapes_of_the_reversed_layers(text):
    network, _, backward = _real_pass()
    printed = re.findall(r"(SoftmaxWithLoss|Affine2|Relu1|Affine1) +dout (None|\([0-9, ]+\))", text)
    assert [name for name, _ in printed] == ["SoftmaxWithLoss", "Affine2", "Relu1", "Affine1"]
    assert {name: shape for name, shape in printed} == {k: str(v) for k, v in backward.items()}
    assert backward["Affine1"] is None and network.layers["Affine1"].input_grad is False
    for name in ("Affine2", "Affine1"):
        layer = network.layers[name]
        assert (
            f"{name} W {layer.W.shape}, dW {layer.dW.shape}; b {layer.b.shape}, db {layer.db.shape}"
            in text
        )
    difference = float(
        re.search(r"largest difference from network.gradient: ([0-9.e+-]+)", text)[1]
    )
    assert difference <= 1e-12


@pytest.mark.parametrize(("edition", "start"), [("", "The two-layer network"), ("ko/", "2층")])
def test_layer_chain_figure_has_the_real_shapes(page_html, edition, start):
    import html as html_lib

    _, forward, backward = _real_pass()
    html = page_html(edition + PAGE)
    svg = re.search(r'<svg[^>]*class="bp-layer-chain"[^>]*>.*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg
    label = html_lib.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))
    assert label.startswith(start)
    texts = [html_lib.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    # the arrows' labels: forward shapes (and the loss's ()), then the dout shapes coming back
    arrows = [str(s) for s in [*forward, ()]]
    back = [str(backward[k]) for k in ("Affine1", "Relu1", "Affine2", "SoftmaxWithLoss")] + ["()"]
    pairs = list(itertools.pairwise(texts))
    for above, below in zip(arrows, back, strict=True):  # each arrow: forward, then backward
        assert (above, below) in pairs
    chain = " → Affine1 → {} → Relu1 → {} → Affine2 → {} → SoftmaxWithLoss → L".format(*arrows[1:4])
    assert f"x {arrows[0]}{chain}" in label
    assert ", ".join(back[::-1]) in label
    for name in ("Affine1", "Relu1", "Affine2", "SoftmaxWithLoss"):
        assert name in texts


def test_four_optimizers_all_learn(text):
    rows = re.findall(
        r"(sgd|momentum|adagrad|adam) +lr ([0-9.]+) +loss after 70 iterations ([0-9.]+), "
        r"test acc ([0-9.]+)",
        text,
    )
    assert [r[0] for r in rows] == ["sgd", "momentum", "adagrad", "adam"]
    assert all(float(r[3]) > 0.85 for r in rows)
    assert all(float(r[2]) < 1.0 for r in rows)  # far below ln 10 after 5 epochs


def test_command_line_run(text):
    assert "$ backprop-book train --dataset digits --optimizer adam --lr 0.01" in text
    assert "14 iterations per epoch, 140 iterations" in text  # 10 epochs of 14
    acc = float(re.search(r"--seed 0 .*?final test accuracy: ([0-9.]+)", text).group(1))
    assert acc > 0.9


def test_exercise_outputs(text):
    assert "100 -> 14 iterations per epoch" in text
    assert "32 -> 44 iterations per epoch" in text  # floor(1438 / 32) = 44
    assert "2000 -> 1 iterations per epoch" in text
    assert "measured after: [44, 88]" in text
    assert "book's i: [0, 600, 1200, 1800] updates done: [1, 601, 1201, 1801]" in text
    losses = [float(v) for v in re.findall(r"iteration +\d+: loss ([0-9.]+e[+-]\d+)", text)]
    assert len(losses) == 5 and losses == sorted(losses) and losses[-1] > 1e10
    accs = re.search(r"test accuracy per epoch: \[([^\]]*)\]", text).group(1)
    assert all(float(a) < 0.3 for a in accs.split(","))
    exact = 1 - (1 - 1 / 1438) ** 1400
    assert f"exact {exact:.4f}" in text
    simulated = float(re.search(r"simulated \(200 epochs\) ([0-9.]+)", text).group(1))
    assert abs(simulated - exact) < 0.01


def test_gradient_check_on_digits(text):
    errors = re.search(r"relative error per parameter: \{([^}]*)\}", text).group(1)
    values = dict(re.findall(r"'(\w+)': '([0-9.e+-]+)'", errors))
    assert sorted(values) == ["W1", "W2", "b1", "b2"]
    assert all(float(v) < 1e-6 for v in values.values())


def test_misclassified_digits_match_the_accuracy(page_html, text):
    final = float(re.search(r"final test accuracy: ([0-9.]+)", text).group(1))
    m = re.search(r"The (\d+) of (\d+) test digits that the trained network misclassifies", text)
    wrong, total = int(m.group(1)), int(m.group(2))
    assert total == 359 and wrong == round((1 - final) * total)
    html = page_html(PAGE)
    assert html.count(" ✗ -->") == wrong  # matplotlib keeps each title's text in a comment
