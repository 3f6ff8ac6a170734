"""examples/train_two_layer_net.py: the book's loop on the bundled digits reaches 97 %."""

from __future__ import annotations

import re

import numpy as np
import pytest

from backprop_book import TwoLayerNet, load_digits
from backprop_book.training.optimizers import Momentum
from backprop_book.training.trainer import Trainer
from tests.helpers import run_example


@pytest.fixture(scope="module")
def output() -> str:
    return run_example("train_two_layer_net.py")


def test_prints_sizes_and_iterations_per_epoch(output):
    # 1,797 digits, 20 % of each class held out -> 1,438 train, 359 test; 1438 // 100 = 14
    assert "train size: 1438, test size: 359, batch size: 100" in output
    assert "iterations per epoch: 14, iterations: 280" in output


def test_one_accuracy_line_per_epoch_at_multiples_of_14(output):
    lines = re.findall(r"epoch +(\d+) \(iteration +(\d+)\) \| train acc, test acc \| ", output)
    assert [int(e) for e, _ in lines] == list(range(1, 21))
    assert [int(i) for _, i in lines] == [14 * e for e in range(1, 21)]


def test_reaches_97_percent_and_the_loss_falls(output):
    final = float(re.search(r"final test accuracy: ([0-9.]+)", output).group(1))
    assert final >= 0.97
    first, last = map(
        float, re.search(r"first loss: ([0-9.]+), last loss: ([0-9.]+)", output).groups()
    )
    assert first > 2.0  # about ln 10 = 2.30 for a fresh net guessing among 10 classes
    assert last < 0.1 * first


def test_trainer_runs_the_same_loop(output):
    """The package's Trainer, given the same seeds, reproduces the example's numbers exactly."""
    (x_train, t_train), (x_test, t_test) = load_digits()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    std[std == 0] = 1.0
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    network = TwoLayerNet(64, 50, 10, "he", seed=0)
    result = Trainer(
        network, x_train, t_train, x_test, t_test, optimizer=Momentum(lr=0.1, momentum=0.9),
        batch_size=100, epochs=20, sampling="replacement", seed=0, progress=False,
    ).train()  # fmt: skip
    printed = [float(v) for v in re.findall(r"\| [0-9.]+, ([0-9.]+)\n", output)]
    np.testing.assert_allclose(result.test_acc_list, printed, atol=5e-5)
    assert f"final test accuracy: {result.test_acc_list[-1]:.4f}" in output
