"""Figures of a trained `SimpleConvNet`: its filters, the feature maps of one image, the curves.

Each function returns a `matplotlib.figure.Figure` in the book's style (`book_figure`), to be
turned into an inline SVG by `backprop_book.training.svg.figure_to_svg`. The words a figure
draws are in ``lang`` (``"en"`` or ``"ko"``), so that the Korean page draws Korean titles; the
maps are drawn from the arrays given, never from stored images.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from backprop_book.checks import choice
from backprop_book.deeper.conv_net import SimpleConvNet
from backprop_book.training.plotting import plot_curves
from backprop_book.training.svg import book_figure, book_style

__all__ = ["WORDS", "plot_feature_maps", "plot_filters", "plot_training_comparison"]

#: The words the figures draw, by language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "filters": "The learned 3 × 3 filters of Conv1",
        "filter": "filter",
        "input": "input",
        "conv": "Conv1 → ReLU",
        "pool": "Pool1",
        "maps": "Feature maps of one digit",
        "loss": "Training loss",
        "accuracy": "Test accuracy per epoch",
    },
    "ko": {
        "filters": "Conv1이 학습한 3 × 3 필터",
        "filter": "필터",
        "input": "입력",
        "conv": "Conv1 → ReLU",
        "pool": "Pool1",
        "maps": "숫자 하나의 특징 맵",
        "loss": "훈련 손실",
        "accuracy": "에폭별 시험 정확도",
    },
}


def _words(where: str, lang: str) -> dict[str, str]:
    return WORDS[choice(where, "lang", lang, WORDS)]


def _image(ax: Axes, values: np.ndarray, cmap: str, vmax: float, vmin: float = 0.0) -> None:
    ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def plot_filters(W: np.ndarray, *, ncols: int = 8, lang: str = "en") -> Figure:
    """The filters ``W`` ``(FN, 1, FH, FW)`` as small images: red positive, blue negative.

    One colour scale for all of them (symmetric around 0), so that their sizes compare.

    Args:
        W: Filters of one input channel, shape ``(FN, 1, FH, FW)``.
        ncols: Filters per row.
        lang: ``"en"`` or ``"ko"``.

    Returns:
        The figure, one axes per filter, titled with its number.

    Examples:
        >>> fig = plot_filters(np.arange(36.0).reshape(4, 1, 3, 3) - 18, ncols=2, lang="ko")
        >>> len(fig.axes), fig.get_suptitle()
        (4, 'Conv1이 학습한 3 × 3 필터')
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 4 or W.shape[1] != 1:
        raise ValueError(f"plot_filters: W must be (FN, 1, FH, FW), got shape {W.shape}")
    words = _words("plot_filters", lang)
    FN = W.shape[0]
    ncols = min(ncols, FN)
    nrows = -(-FN // ncols)
    vmax = float(np.abs(W).max()) or 1.0
    fig = book_figure((0.85 * ncols, 0.95 * nrows + 0.4))
    with book_style():
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for k, ax in enumerate(axes):
            if k >= FN:
                ax.set_axis_off()
                continue
            _image(ax, W[k, 0], "RdBu_r", vmax, -vmax)
            ax.set_title(f"{k + 1}", fontsize=8)
        for ax in axes[FN:]:
            fig.delaxes(ax)
        fig.suptitle(words["filters"], fontsize=10)
    return fig


def plot_feature_maps(net: SimpleConvNet, x: np.ndarray, *, lang: str = "en") -> Figure:
    """One image ``x`` ``(C, H, W)``, and what ``Conv1 → Relu1`` and ``Pool1`` make of it.

    Row 1 is the image, row 2 one map per filter after the ReLU, row 3 the same maps after
    max-pooling. The maps of a row share one colour scale.

    Args:
        net: A (trained) network.
        x: One image of the network's ``input_dim``.
        lang: ``"en"`` or ``"ko"``.

    Returns:
        The figure: ``1 + 2·FN`` axes.

    Examples:
        >>> net = SimpleConvNet((1, 4, 4), filter_num=2, hidden_size=3, seed=0)
        >>> fig = plot_feature_maps(net, np.ones((1, 4, 4)))
        >>> len(fig.axes), fig.get_suptitle()
        (5, 'Feature maps of one digit')
    """
    words = _words("plot_feature_maps", lang)
    image = net._images(np.asarray(x)[None])  # (1, C, H, W), checked against input_dim
    maps = net.layers["Relu1"].forward(net.layers["Conv1"].forward(image))[0]  # (FN, H, W)
    pooled = net.layers["Pool1"].forward(maps[None])[0]  # (FN, OH, OW)
    FN = maps.shape[0]
    fig = book_figure((0.75 * FN + 0.9, 2.9))
    with book_style():
        grid = fig.add_gridspec(3, FN)
        ax = fig.add_subplot(grid[0, :])
        _image(ax, image[0, 0], "gray_r", float(image.max()) or 1.0)
        ax.set_title(words["input"], fontsize=8)
        for row, (name, values) in enumerate((("conv", maps), ("pool", pooled)), start=1):
            vmax = float(values.max()) or 1.0
            for k in range(FN):
                ax = fig.add_subplot(grid[row, k])
                _image(ax, values[k], "viridis", vmax)
                if k == 0:
                    ax.set_ylabel(words[name], fontsize=7, rotation=0, ha="right", va="center")
        fig.suptitle(words["maps"], fontsize=10)
    return fig


def plot_training_comparison(
    loss: Mapping[str, Sequence[float]],
    test_acc: Mapping[str, Sequence[float]],
    *,
    lang: str = "en",
) -> Figure:
    """Mini-batch loss per iteration (left) and test accuracy per epoch (right), one line a net.

    Args:
        loss: Each network's name and its loss after every iteration.
        test_acc: Each network's name and its test accuracy after every epoch.
        lang: ``"en"`` or ``"ko"``.

    Returns:
        The figure, two axes.

    Examples:
        >>> fig = plot_training_comparison({"a": [2.0, 1.0], "b": [2.0, 1.5]},
        ...                                {"a": [0.8], "b": [0.7]}, lang="ko")
        >>> [ax.get_title() for ax in fig.axes]
        ['훈련 손실', '에폭별 시험 정확도']
    """
    words = _words("plot_training_comparison", lang)
    fig = book_figure((10.0, 3.4))
    with book_style():
        left, right = fig.subplots(1, 2)
    plot_curves(loss, ylabel="loss", title=words["loss"], ax=left, lang=lang)
    plot_curves(test_acc, xlabel="epoch", ylabel="accuracy", title=words["accuracy"], ax=right,
                lang=lang)  # fmt: skip
    left.legend(loc="upper right")  # inside: the two panels sit side by side
    right.legend(loc="lower right")
    return fig
