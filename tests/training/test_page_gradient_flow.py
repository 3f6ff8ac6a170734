"""The built 'Gradient flow through depth' page: its printed numbers are the module's numbers.

The page's blocks are recomputed here with `backprop_book.training.gradient_flow` (same sizes,
same seeds) and compared with what the built page printed. A printed number is rounded to the
digits it shows, so it is compared to within half a unit of its last digit (plus a hair for
the rounding of the run itself, which may use another BLAS kernel than the build).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from backprop_book.training.gradient_flow import DeepStack, measure_gradient_flow
from backprop_book.training.initializers import weight_std

PAGE = "training/gradient-flow/"
NUM = r"(-?[0-9.]+(?:e[+-]?\d+)?)"
DEPTH, WIDTH, N = 8, 100, 1000
INITS = {"std 0.01": ("std", 0.01), "Xavier": ("xavier", 0.01), "He": ("he", 0.01),
         "std 1": ("std", 1.0)}  # fmt: skip


def close_to_printed(printed: str, value: float) -> bool:
    """Whether ``value`` rounds to ``printed`` (half a unit of its last digit, and a hair)."""
    mantissa, _, exponent = printed.partition("e")
    decimals = len(mantissa.partition(".")[2])
    unit = 10.0 ** (int(exponent or 0) - decimals)
    return abs(float(printed) - value) <= 0.5 * unit * (1 + 1e-6) + 1e-12 * abs(value)


def test_close_to_printed():
    assert close_to_printed("4.5e-12", 4.54e-12) and not close_to_printed("4.5e-12", 4.6e-12)
    assert close_to_printed("0.0519", 0.05189) and not close_to_printed("0.0519", 0.0518)


@pytest.fixture(scope="module")
def text(page_text):
    return page_text(PAGE)


@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((N, WIDTH))
    dout = rng.standard_normal((N, WIDTH)) / N
    return x, dout


@pytest.fixture(scope="module")
def flows(inputs):
    x, dout = inputs
    widths = [WIDTH] * (DEPTH + 1)
    return {
        (activation, name): measure_gradient_flow(
            DeepStack(widths, activation, method, std=std, rng=0), x, dout
        )
        for activation in ("sigmoid", "relu")
        for name, (method, std) in INITS.items()
    }


def _row(text: str, activation: str, name: str, count: int) -> list[str]:
    m = re.search(rf"{activation} +{re.escape(name)} +((?:\S+ +){{{count - 1}}}\S+)", text)
    assert m, f"row {activation} {name} missing"
    return m.group(1).split()


def test_gradient_check(text):
    errors = dict(re.findall(r"\b(sigmoid|relu) ([0-9.]+e-\d+)\b", text))
    assert sorted(errors) == ["relu", "sigmoid"]
    assert all(float(v) < 1e-7 for v in errors.values())


def test_norm_table_is_the_modules(text, flows):
    table = text[re.search(r"dW1 +dW2", text).start() :]  # the output, not the source
    for (activation, name), flow in flows.items():
        printed = _row(table, activation, name, DEPTH + 1)
        computed = [*flow.dW_norm, flow.dh_var[0] / flow.dh_var[-1]]
        assert all(close_to_printed(p, v) for p, v in zip(printed, computed, strict=True)), (
            activation,
            name,
            printed,
        )


def test_the_outcomes(flows):
    for name in ("std 0.01", "Xavier", "He"):
        norms = flows["sigmoid", name].dW_norm
        assert np.all(np.diff(norms) > 0) and norms[0] < 1e-2 * norms[-1]
    small, he, large = (flows["relu", k].dW_norm for k in ("std 0.01", "He", "std 1"))
    assert small.max() < 1e-6 * he.min() and large.min() > 1e5 * he.max()
    assert he.max() < 1.5 * he.min()


def test_variance_table_is_the_modules(text, flows):
    table = text[text.index("l=1") :]  # the output's header, not the source
    for (activation, name), flow in flows.items():
        printed = _row(table, activation, name, DEPTH + 1)
        method, std = INITS[name]
        slope2 = 0.5 if activation == "relu" else 1 / 16
        predicted = WIDTH * weight_std(method, WIDTH, std=std) ** 2 * slope2
        computed = [*flow.backward_ratios(), predicted]
        assert all(close_to_printed(p, v) for p, v in zip(printed, computed, strict=True)), (
            activation,
            name,
            printed,
        )
    worst = float(re.search(r"relu: largest \|measured / predicted - 1\| = " + NUM, text)[1])
    assert worst < 0.2


def test_dead_unit(text, inputs):
    x, _ = inputs
    stack = DeepStack([WIDTH] * (DEPTH + 1), "relu", "he", rng=0)
    stack.affines[3].b[7] = -100.0
    target = np.random.default_rng(3).standard_normal((N, WIDTH))
    out = stack.forward(x)
    a = stack.h[3] @ stack.affines[3].W + stack.affines[3].b
    stack.backward((out - target) / out.size)
    assert close_to_printed(re.search(r"a4\[:, 7\]\.max\(\) = " + NUM, text)[1], a[:, 7].max())
    assert "max |dW4[:, 7]| = 0.0, db4[7] = 0.0" in text
    live = re.search(r"max \|dW4\[:, 8\]\| = " + NUM, text)[1]
    assert close_to_printed(live, np.abs(stack.affines[3].dW[:, 8]).max())
    start, end = (float(v) for v in re.search(rf"loss {NUM} -> {NUM}", text).groups())
    assert close_to_printed(f"{start:.3f}", 0.5 * np.mean((out - target) ** 2))
    assert end < 0.6 * start
    assert "W4[:, 7] moved by 0.0, b4[7] = -100.0" in text
    dead = [int(act.mask.all(axis=0).sum()) for act in stack.activations]
    assert f"dead units per layer, start: {dead}" in text
    end_counts = re.search(r"dead units per layer, end: +\[([0-9, ]+)\]", text)[1]
    assert len(end_counts.split(",")) == DEPTH and dead[3] >= 1


def test_input_scale(text):
    assert "dW ratio per layer: [1000. 1000. 1000. 1000.]" in text
    assert float(re.search(r"largest \|ratio / 1000 - 1\| = " + NUM, text)[1]) < 1e-9
    assert "Var(dh0) ratio: 1.000000" in text


def test_max_gate(text):
    def shown(printed: str) -> bool:  # the page's text has its runs of spaces collapsed
        return re.search(r" +".join(map(re.escape, printed.split())), text) is not None

    assert shown("[3.  4.  0.5]")
    assert shown("(array([10.,  0.,  0.]), array([ 0., 20., 30.]))")
    assert shown("[0. 0. 3.] [0. 0. 3.]")


def test_exercises(text, flows):
    sigma_ratio = weight_std("std", WIDTH) / weight_std("he", WIDTH)
    predicted = flows["relu", "He"].dW_norm * sigma_ratio ** (DEPTH - 1)
    shown = re.search(r"predicted: ((?:\S+ ){7}\S+)", text)[1].split()
    assert all(close_to_printed(p, v) for p, v in zip(shown, predicted, strict=True))
    assert float(re.search(r"largest relative difference: " + NUM, text)[1]) < 1e-9
    fan = re.findall(
        rf"forward {NUM} \(predicted {NUM}\), backward {NUM} \(predicted {NUM}\)", text
    )
    assert [(f[1], f[3]) for f in fan] == [("1.0", "4.0"), ("0.25", "1.0")]
    assert all(abs(float(f[0]) / float(f[1]) - 1) < 0.1 for f in fan)
    sigmoid = re.findall(r"dW ratio per layer: \[([0-9. ]+)\]", text)[-1].split()
    assert float(sigmoid[0]) < 200


def test_figures(page_html):
    html = page_html(PAGE)
    assert html.count('<figure class="bp-figure">') == 1
    assert re.search(r'<svg role="img" aria-label="The norm of dW in each of 8 layers', html)
    korean = page_html("ko/" + PAGE)
    assert korean.count('<figure class="bp-figure">') == 1
    assert re.search(r'<svg role="img" aria-label="8개 계층 각각의 dW 노름', korean)
