"""The layers and training labs' "Your turn" solutions: their printed numbers, recomputed here.

The labs (``docs/notebooks/layers-lab.ipynb``, ``docs/notebooks/training-lab.ipynb``, with the
Korean notebooks made from them at build time) end with solution cells that compute each answer
and assert it. This test reads what the built notebooks printed, in both editions, and compares
it with the same computation done here, independently of the notebooks' code.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from backprop_book import Relu, Sigmoid, Trainer, TwoLayerNet, check_layer, load_digits

EDITIONS = ["", "ko/"]
FLOAT = r"(\d\.\de[+-]\d\d)"  # printed with :.1e


def _numbers(printed: str) -> list[float]:
    """The entries of a printed 1-row array such as ``[[0.  0.5 1. ]]``."""
    return [float(v) for v in printed.strip("[] ").split()]


class _BrokenSigmoid(Sigmoid):
    def backward(self, dout):
        return dout * self.out  # the lab's bug: (1 - y) left out


@pytest.mark.parametrize("edition", EDITIONS)
def test_layers_lab_solutions(page_text, edition):
    text = page_text(edition + "notebooks/layers-lab/")
    assert ("풀이 1" if edition else "Solution 1") in text
    assert ("풀이 2" if edition else "Solution 2") in text

    x = np.random.default_rng(1).standard_normal((4, 3))
    broken = check_layer(_BrokenSigmoid(), x)["x"]
    printed = float(re.search(rf"BrokenSigmoid x: {FLOAT}", text).group(1))
    assert broken > 0.1 and abs(printed - broken) <= 0.0051  # two digits of a number near 0.4
    assert float(re.search(rf"\bSigmoid x: {FLOAT}", text).group(1)) < 1e-7

    numerical = re.search(r"numerical_gradient: (\[\[[^\]]*\]\])", text).group(1)
    backward = re.search(r"relu\.backward: (\[\[[^\]]*\]\])", text).group(1)
    # x = [-1, 0, 2] with dout = 1: slopes 0 and 1, and the central difference at the kink
    # averages them to 1/2 (printed rounded); the backward pass gives 0 there.
    assert _numbers(numerical) == [0.0, 0.5, 1.0]
    assert _numbers(backward) == [0.0, 0.0, 1.0]

    x = np.array([[-1.0, 0.0, 2.0]])
    at_kink = check_layer(Relu(), x)["x"]
    moved = check_layer(Relu(), np.where(x == 0, 0.1, x))["x"]
    found = re.search(rf"check_layer x: {FLOAT} \(0 in x\), {FLOAT} \(0 -> 0\.1\)", text)
    assert found
    digit = 10 ** math.floor(math.log10(at_kink))
    assert abs(float(found.group(1)) - at_kink) <= 0.051 * digit and at_kink > 1e-3
    assert float(found.group(2)) < 1e-7 and moved < 1e-7


@pytest.fixture(scope="module")
def zero_init_run():
    """The training lab's second solution: the two-layer net from all-zero weights."""
    (x_train, t_train), (x_test, t_test) = load_digits()
    net = TwoLayerNet(64, 50, 10, weight_init_std="zeros", seed=0)
    result = Trainer(
        net, x_train, t_train, x_test, t_test, optimizer="sgd", lr=0.1, batch_size=100,
        epochs=30, seed=0, progress=False,
    ).train()  # fmt: skip
    return net, result, len(x_train), t_test


@pytest.mark.parametrize("edition", EDITIONS)
def test_training_lab_solutions(page_text, edition, zero_init_run):
    text = page_text(edition + "notebooks/training-lab/")
    assert ("풀이 1" if edition else "Solution 1") in text
    net, result, n, t_test = zero_init_run

    for split in (0.2, 0.5):
        train_n = math.floor(n * (1 - split))  # Keras: the first floor(N (1 - split)) train
        line = (
            f"validation_split={split}: floor({n} * {1 - split:.1f}) = {train_n}, "
            f"{n - train_n}; samples = {train_n}, val_samples = {n - train_n}"
        )
        assert line in text, line

    found = re.search(
        rf"max \|W1\| = {FLOAT} max \|b1\| = {FLOAT} max \|W2\| = {FLOAT} max \|b2\| = {FLOAT}",
        text,
    )
    assert found and [float(found.group(i)) for i in (1, 2, 3)] == [0.0, 0.0, 0.0]
    assert float(found.group(4)) > 0  # b2 alone learned
    assert all(np.all(net.params[k] == 0) for k in ("W1", "b1", "W2"))  # products with 0: exact

    only = int(np.argmax(net.params["b2"]))
    share = np.mean(t_test == only)  # a count over the test set
    found = re.search(
        r"argmax\(b2\) = (\d+): mean\(t_test == \d+\) = (\S+), test_acc = (\S+)", text
    )
    assert found and int(found.group(1)) == only
    assert abs(float(found.group(2)) - share) <= 5e-4  # printed with three decimals
    assert abs(float(found.group(3)) - result.test_acc_list[-1]) <= 5e-4
    assert abs(result.test_acc_list[-1] - share) < 1e-12  # one class for every image
