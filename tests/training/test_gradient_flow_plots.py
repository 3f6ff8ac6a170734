"""Tests for backprop_book.training.gradient_flow_plots: the norms-per-layer figure."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book.training.gradient_flow_plots import plot_gradient_norms
from backprop_book.training.svg import figure_to_svg

NORMS = {
    "sigmoid": {"std 0.01": [1e-9, 1e-6, 1e-3], "He": [0.01, 0.1, 0.3]},
    "ReLU": {"std 0.01": [1e-8, 1e-8, 1e-8], "He": [2.0, 2.1, 1.9]},
}


def test_one_panel_per_activation_one_line_per_initialization():
    fig = plot_gradient_norms(NORMS)
    assert [ax.get_title() for ax in fig.axes] == ["sigmoid", "ReLU"]
    for ax, curves in zip(fig.axes, NORMS.values(), strict=True):
        assert ax.get_yscale() == "log"
        lines = ax.get_lines()
        assert [line.get_label() for line in lines] == list(curves)
        for line, values in zip(lines, curves.values(), strict=True):
            np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])  # layers from 1
            np.testing.assert_array_equal(line.get_ydata(), values)
        assert len({line.get_linestyle() for line in lines}) == len(lines)  # not colour alone
    assert fig.axes[0].get_ylabel() == "‖dW‖ (log scale)"
    assert fig.get_suptitle() == "‖dW‖ per layer at initialization"


def test_korean_words():
    fig = plot_gradient_norms({**NORMS, "sigmoid": {"std 1": [1.0, 2.0, 3.0]}}, lang="ko")
    assert [ax.get_title() for ax in fig.axes] == ["시그모이드", "ReLU"]
    assert fig.axes[0].get_xlabel() == "계층" and fig.axes[0].get_ylabel() == "‖dW‖ (로그 눈금)"
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["표준편차 1"]
    assert [line.get_label() for line in fig.axes[1].get_lines()] == ["표준편차 0.01", "He"]
    assert fig.get_suptitle() == "초기화 상태에서 계층별 ‖dW‖"


def test_svg_is_deterministic_and_accessible():
    svg = figure_to_svg(plot_gradient_norms(NORMS), "norms per layer")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="norms per layer"' in svg
    assert svg == figure_to_svg(plot_gradient_norms(NORMS), "norms per layer")


@pytest.mark.parametrize(
    ("norms", "message"),
    [
        ({}, "norms is empty"),
        ({"ReLU": {"He": [1.0, 0.0]}}, "'ReLU'/'He' must be a non-empty 1-D sequence of positive"),
        ({"ReLU": {"He": []}}, "must be a non-empty 1-D sequence"),
    ],
)
def test_bad_norms(norms, message):
    with pytest.raises(ValueError, match=message):
        plot_gradient_norms(norms)


def test_bad_language():
    with pytest.raises(ValueError, match="plot_gradient_norms: unknown lang 'fr'; choose one of"):
        plot_gradient_norms(NORMS, lang="fr")
