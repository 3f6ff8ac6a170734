"""The built 'Weight initialization' page: the zero-init measurement and the scale check."""

from __future__ import annotations

import math
import re

import pytest

PAGE = "training/weight-initialization/"
NUM = r"([0-9.e+-]+)"


@pytest.fixture(scope="module")
def text(page_text):
    return page_text(PAGE)


@pytest.fixture(scope="module")
def table(text):
    rows = {}
    for name in ("zeros", "symmetric", "std 0.01", "Xavier", "He"):
        m = re.search(re.escape(name) + rf" +{NUM} +{NUM} +{NUM} +(\d+) ", text)
        assert m, f"row {name!r} missing"
        acc, spread, moved, classes = m.groups()
        rows[name] = (float(acc), float(spread), float(moved), int(classes))
    return rows


# Equal columns may round differently in the last bits, depending on the CPU's BLAS kernel
# (the page explains why); the page's own block asserts 1e-10, far above rounding.
ROUNDING = 1e-10


def test_identical_hidden_units_measured(table, text):
    assert table["zeros"][1] == 0.0  # exact: every gradient term has an exact 0 factor
    assert table["symmetric"][1] <= ROUNDING, "symmetric: columns of W1 equal to rounding"
    assert "its columns are equal to rounding: the largest difference is" in text
    assert table["zeros"][2] == 0.0  # W1 never moved
    assert table["zeros"][3] == 1  # one class predicted for every digit
    assert table["symmetric"][2] > 0.0  # it moved, all columns together
    for name in ("std 0.01", "Xavier", "He"):
        assert table[name][1] > 0.0


def test_zero_init_much_worse_than_xavier_and_he(table, text):
    best = max(table["Xavier"][0], table["He"][0])
    assert table["zeros"][0] < 0.15 and table["symmetric"][0] < 0.5
    assert (
        min(table["Xavier"][0], table["He"][0]) - max(table["zeros"][0], table["symmetric"][0])
        > 0.4
    )
    assert table["std 0.01"][0] < min(table["Xavier"][0], table["He"][0])  # the prose says so
    assert f"best of Xavier/He {best:.4f}" in text
    assert "zeros: W1 moved by 0 in" in text and "1 class predicted for every digit" in text


def test_symmetric_gradient_and_numerical_check(text):
    for name in ("dW1[:, j] - dW1[:, 0]", "dW2[j, :] - dW2[0, :]"):
        m = re.search(re.escape(f"largest |{name}|: ") + NUM, text)
        assert m and float(m.group(1)) <= ROUNDING, name
    assert float(re.search(r"but dW1 itself is not zero: +" + NUM, text).group(1)) > 1e-3
    errors = re.search(r"relative error: \{([^}]*)\}", text).group(1)
    values = dict(re.findall(r"'(\w+)': '([0-9.e+-]+)'", errors))
    assert sorted(values) == ["W1", "W2", "b1", "b2"]
    assert all(float(v) < 1e-6 for v in values.values())


@pytest.mark.parametrize(
    ("name", "sigma2"), [("std 0.01", 0.01**2), ("Xavier", 1 / 100), ("He", 2 / 100)]
)
def test_activation_scale_follows_n_sigma2_over_2(text, name, sigma2):
    predicted = math.sqrt(100 * sigma2 / 2)  # rms ratio per ReLU layer of 100 inputs
    m = re.search(
        re.escape(name)
        + r" +rms per layer: [^r]*?ratio per layer: ([0-9., ]+)\(predicted ([0-9.]+)\)",
        text,
    )
    assert m, name
    ratios = [float(r) for r in m.group(1).split(",")]
    assert float(m.group(2)) == round(predicted, 3)
    assert len(ratios) == 4
    assert abs(sum(ratios) / 4 - predicted) < 0.1 * predicted


def test_figures(page_html):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') == 2
    assert 'aria-label="Test accuracy per epoch for five initializations' in html
    assert 'aria-label="Histograms of log10 of the fifth layer' in html


def test_exercises(text):
    assert f"xavier [{round(1 / 28, 4)}, {round(1 / math.sqrt(50), 4)}]" in text
    assert f"he [{round(math.sqrt(2 / 784), 4)}, 0.2]" in text
    differ = [float(v) for v in re.findall(r"columns of W1 differ by up to " + NUM, text)]
    accs = [float(v) for v in re.findall(r"test acc ([0-9.]+), columns of W1", text)]
    assert len(differ) == 2 and all(d > 0 for d in differ)  # symmetry broken both times
    assert accs[0] > 0.8  # random W1, zero W2 learns
