"""The figure of the gradient-flow chapter: the norm of ``dW`` layer by layer, on a log scale.

One panel per activation (sigmoid, ReLU), one line per initialization, drawn in the book's
style (`backprop_book.training.svg`) so that `figure_to_svg` turns it into deterministic SVG.
Its words come in the page's language: the plot's own words from `WORDS`, the names of the
initializations (``"std 0.01"``) from `backprop_book.training.labels.LABELS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from backprop_book.checks import choice
from backprop_book.training.labels import LABELS, label
from backprop_book.training.svg import book_figure, book_style

__all__ = ["WORDS", "plot_gradient_norms"]

_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D")

# The words this figure draws, by language (English keys, as in LABELS).
WORDS: dict[str, dict[str, str]] = {
    "en": {},
    "ko": {
        "layer": "계층",
        "‖dW‖ (log scale)": "‖dW‖ (로그 눈금)",
        "sigmoid": "시그모이드",
        "std 1": "표준편차 1",
        "‖dW‖ per layer at initialization": "초기화 상태에서 계층별 ‖dW‖",
    },
}


def _word(word: str, lang: str) -> str:
    return WORDS[lang].get(word, label(word, lang))


def plot_gradient_norms(
    norms: Mapping[str, Mapping[str, Sequence[float] | np.ndarray]],
    *,
    title: str = "‖dW‖ per layer at initialization",
    lang: str = "en",
) -> Figure:
    """One panel per activation, one line per initialization: $\\lVert dW_l \\rVert$ against $l$.

    Args:
        norms: ``{panel: {curve: norms}}``, e.g. ``{"ReLU": {"He": [2.1, 2.0, ...]}}``; each
            curve's norms are for layers ``1 .. L`` and must be positive (log scale).
        title: The figure's title (looked up in `WORDS` and `LABELS`).
        lang: ``"en"`` or ``"ko"``.

    Returns:
        The figure; the panels share the vertical axis.

    Examples:
        >>> fig = plot_gradient_norms({"sigmoid": {"He": [0.01, 0.1]}, "ReLU": {"He": [1, 1]}})
        >>> [ax.get_title() for ax in fig.axes], fig.axes[0].get_yscale()
        (['sigmoid', 'ReLU'], 'log')
        >>> fig = plot_gradient_norms({"sigmoid": {"std 0.01": [0.1, 1.0]}}, lang="ko")
        >>> fig.axes[0].get_title(), fig.axes[0].get_lines()[0].get_label()
        ('시그모이드', '표준편차 0.01')
    """
    choice("plot_gradient_norms", "lang", lang, LABELS)
    if not norms:
        raise ValueError("plot_gradient_norms: norms is empty; give at least one panel")
    fig = book_figure((4.0 * len(norms) + 1.6, 3.4))
    with book_style():
        axes = fig.subplots(1, len(norms), sharey=True, squeeze=False)[0]
        for ax, (panel, curves) in zip(axes, norms.items(), strict=True):
            for k, (name, values) in enumerate(curves.items()):
                ys = np.asarray(values, dtype=float)
                if ys.ndim != 1 or ys.size == 0 or not np.all(ys > 0):
                    raise ValueError(
                        f"plot_gradient_norms: the norms of {panel!r}/{name!r} must be a "
                        f"non-empty 1-D sequence of positive numbers (a log scale), got {ys}"
                    )
                ax.plot(
                    np.arange(1, ys.size + 1),
                    ys,
                    linestyle=_LINESTYLES[k % len(_LINESTYLES)],  # not colour alone
                    marker=_MARKERS[k % len(_MARKERS)],
                    markersize=3,
                    label=_word(name, lang),
                )
            ax.set_yscale("log")
            ax.set_title(_word(panel, lang))
            ax.set_xlabel(_word("layer", lang))
            ax.grid(True)
        axes[0].set_ylabel(_word("‖dW‖ (log scale)", lang))
        axes[-1].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the lines
        fig.suptitle(_word(title, lang))
    return fig
