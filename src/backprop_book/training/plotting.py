"""Plots for the book: learning curves and image grids, rendered to deterministic SVG.

The lecture notes record the loss along training; these helpers draw it, with a
mark at every epoch, together with train and test accuracy per epoch and a grid of sample
images with their labels and predictions.

Figures are built with `matplotlib.figure.Figure` in the book's style and turned into
deterministic SVG text by `figure_to_svg`; both live in `backprop_book.training.svg` and are
importable from here too (``from backprop_book.training.plotting import figure_to_svg``).

The words a plot draws (axis labels, legends, titles) come from one table, `LABELS` (in
`backprop_book.training.labels`, importable from here too), keyed by
language and then by the English word: every plot function takes ``lang`` (``"en"``, the
default, or ``"ko"``), draws its own labels in that language, and looks up the labels it is
given (``xlabel="epoch"``, a curve named ``"train"``) in the same table, leaving names that are
not in it (``"SGD"``, ``"Adam"``, a code identifier) as they are. `label` looks one word up.
The Korean pages call the same functions with ``lang="ko"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from backprop_book.checks import positive_int, same_length
from backprop_book.training.labels import LABELS, label
from backprop_book.training.svg import COLORS, INK, book_figure, book_style, figure_to_svg

__all__ = [
    "COLORS",
    "LABELS",
    "book_figure",
    "book_style",
    "figure_to_svg",
    "label",
    "plot_accuracy",
    "plot_curves",
    "plot_histograms",
    "plot_images",
    "plot_learning_curves",
    "plot_loss",
]

_LINESTYLES = ("-", "--", "-.", ":")


def _figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn in (the whole figure when ``ax`` is in a subfigure)."""
    fig = ax.figure
    return fig if isinstance(fig, Figure) else fig.figure


def plot_curves(
    curves: Mapping[str, Sequence[float] | np.ndarray],
    *,
    xlabel: str = "iteration",
    ylabel: str = "",
    title: str = "",
    x_start: int = 1,
    figsize: tuple[float, float] = (6.0, 3.4),
    ax: Axes | None = None,
    lang: str = "en",
) -> Figure:
    """Line plot of one or more named curves against their index (from ``x_start``).

    With ``ax`` the curves are drawn into that axes (of a figure made here) instead. The
    labels, the title and the curves' names are looked up in `LABELS` for ``lang``.

    Examples:
        >>> fig = plot_curves({"SGD": [2.0, 1.0], "Adam": [2.0, 0.5]}, ylabel="loss")
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['SGD', 'Adam']
        >>> fig = plot_curves({"loss": [2.0, 1.0]}, xlabel="epoch", lang="ko")
        >>> fig.axes[0].get_xlabel(), fig.axes[0].get_lines()[0].get_label()
        ('에폭', '손실')
    """
    fig = book_figure(figsize) if ax is None else _figure_of(ax)
    with book_style():
        ax = fig.add_subplot() if ax is None else ax
        for k, (name, values) in enumerate(curves.items()):
            ys = np.asarray(values, dtype=float)
            style = _LINESTYLES[k % len(_LINESTYLES)]  # not colour alone
            xs = np.arange(x_start, x_start + len(ys))
            ax.plot(xs, ys, style, label=label(name, lang), linewidth=1.4)
        ax.set_xlabel(label(xlabel, lang))
        ax.set_ylabel(label(ylabel, lang))
        ax.set_title(label(title, lang))
        ax.grid(True)
        if len(curves) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside, never on, the lines
    return fig


def plot_loss(
    loss_list: Sequence[float],
    iter_per_epoch: int | None = None,
    *,
    title: str = "Training loss",
    ax: Axes | None = None,
    lang: str = "en",
) -> Figure:
    """The mini-batch loss per iteration, with a dotted line at the end of every epoch.

    With many epochs only every k-th epoch is marked (at most 20 marks).

    Examples:
        >>> fig = plot_loss([2.3, 2.0, 1.2, 0.9, 0.7, 0.6], iter_per_epoch=2)
        >>> [float(line.get_xdata()[0]) for line in fig.axes[0].get_lines()[1:]]
        [2.0, 4.0, 6.0]
    """
    loss = np.asarray(loss_list, dtype=float)
    if loss.ndim != 1 or loss.size == 0:
        raise ValueError(
            f"plot_loss: loss_list must be a non-empty 1-D sequence, got shape {loss.shape}"
        )
    if iter_per_epoch is not None:
        positive_int("plot_loss", "iter_per_epoch", iter_per_epoch)
    fig = plot_curves({"loss": loss}, ylabel="loss", title=title, ax=ax, lang=lang)
    if iter_per_epoch:
        ax = fig.axes[0] if ax is None else ax
        n_epochs = loss.size // iter_per_epoch
        step = max(1, -(-n_epochs // 20))
        with book_style():
            for epoch in range(step, n_epochs + 1, step):
                ax.axvline(epoch * iter_per_epoch, color=INK, linestyle=":", linewidth=0.8)
            xlabel = label("iteration (dotted: end of an epoch, {n} iterations)", lang)
            ax.set_xlabel(xlabel.format(n=iter_per_epoch))
    return fig


def plot_accuracy(
    train_acc: Sequence[float],
    test_acc: Sequence[float],
    *,
    title: str = "Accuracy per epoch",
    ax: Axes | None = None,
    lang: str = "en",
) -> Figure:
    """Train and test accuracy per epoch, solid and dashed, with markers.

    Examples:
        >>> fig = plot_accuracy([0.8, 0.9], [0.78, 0.86])
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['train', 'test']
    """
    same_length("plot_accuracy", unit="values", train_acc=train_acc, test_acc=test_acc)
    fig = book_figure((6.0, 3.4)) if ax is None else _figure_of(ax)
    with book_style():
        ax = fig.add_subplot() if ax is None else ax
        epochs = np.arange(1, len(train_acc) + 1)
        ax.plot(epochs, train_acc, marker="o", markersize=3, label=label("train", lang))
        test_label = label("test", lang)
        ax.plot(epochs, test_acc, marker="s", markersize=3, linestyle="--", label=test_label)
        ax.set_xlabel(label("epoch", lang))
        ax.set_ylabel(label("accuracy", lang))
        ax.set_title(label(title, lang))
        ax.grid(True)
        ax.legend()
    return fig


def plot_learning_curves(
    loss_list: Sequence[float],
    train_acc: Sequence[float],
    test_acc: Sequence[float],
    iter_per_epoch: int | None = None,
    *,
    lang: str = "en",
) -> Figure:
    """Loss per iteration (left) and train/test accuracy per epoch (right), side by side.

    Examples:
        >>> fig = plot_learning_curves([2.0, 1.0, 0.5, 0.4], [0.6, 0.8], [0.5, 0.7], 2)
        >>> [ax.get_title() for ax in fig.axes]
        ['Training loss', 'Accuracy per epoch']
        >>> fig = plot_learning_curves([2.0, 1.0, 0.5, 0.4], [0.6, 0.8], [0.5, 0.7], 2, lang="ko")
        >>> [ax.get_title() for ax in fig.axes]
        ['훈련 손실', '에폭별 정확도']
    """
    fig = book_figure((10.0, 3.4))
    with book_style():
        left, right = fig.subplots(1, 2)
    plot_loss(loss_list, iter_per_epoch, ax=left, lang=lang)
    plot_accuracy(train_acc, test_acc, ax=right, lang=lang)
    return fig


def plot_histograms(
    data: Mapping[str, np.ndarray],
    *,
    bins: int = 30,
    xlabel: str = "",
    title: str = "",
    sharex: bool = False,
    lang: str = "en",
) -> Figure:
    """One histogram per named array, side by side (e.g. activations per initialization).

    With ``sharex`` all histograms use the same bins and horizontal axis, so they can be
    compared by position.

    Examples:
        >>> fig = plot_histograms({"a": np.zeros(5), "b": np.ones(5)}, bins=3)
        >>> len(fig.axes)
        2
    """
    positive_int("plot_histograms", "bins", bins)
    fig = book_figure((2.2 * max(len(data), 1) + 0.6, 2.6))
    with book_style():
        axes = fig.subplots(1, len(data), sharey=True, sharex=sharex, squeeze=False)[0]
        edges: int | np.ndarray = bins
        if sharex:
            values_all = np.concatenate([np.ravel(v) for v in data.values()])
            edges = np.histogram_bin_edges(values_all, bins=bins)
        for k, (ax, (name, values)) in enumerate(zip(axes, data.items(), strict=True)):
            ax.hist(np.ravel(values), bins=edges, color=COLORS[k % len(COLORS)])
            ax.set_title(label(name, lang))
            ax.set_xlabel(label(xlabel, lang))
        if title:
            fig.suptitle(label(title, lang))
    return fig


def plot_images(
    x: np.ndarray,
    labels: Sequence[int],
    predictions: Sequence[int] | None = None,
    shape: tuple[int, int] = (8, 8),
    *,
    ncols: int = 10,
) -> Figure:
    """A grid of images, each titled with its label (and prediction, marked ✗ when wrong).

    Args:
        x: images, flat ``(N, H*W)`` or ``(N, H, W)``.
        labels: the true class of each image.
        predictions: the predicted class of each image, or None.
        shape: ``(H, W)`` of one image.
        ncols: images per row.

    Examples:
        >>> fig = plot_images(np.zeros((3, 64)), [1, 2, 3], predictions=[1, 2, 0])
        >>> [ax.get_title() for ax in fig.axes]
        ['1', '2', '3 → 0 ✗']
    """
    x = np.asarray(x, dtype=float)
    n = len(x)
    if x.reshape(n, -1).shape[1] != shape[0] * shape[1]:
        raise ValueError(f"plot_images: images of shape {x.shape[1:]} do not fit shape={shape}")
    same_length("plot_images", unit="images", x=x, labels=labels)
    if predictions is not None:
        same_length("plot_images", unit="images", x=x, predictions=predictions)
    ncols = min(positive_int("plot_images", "ncols", ncols), max(n, 1))
    nrows = -(-n // ncols)
    fig = book_figure((0.9 * ncols, 1.05 * nrows))
    with book_style():
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for k, ax in enumerate(axes):
            ax.set_axis_off()
            if k >= n:
                continue
            ax.imshow(x[k].reshape(shape), cmap="gray_r", interpolation="nearest")
            title, color = f"{labels[k]}", INK
            if predictions is not None and predictions[k] != labels[k]:
                title, color = f"{labels[k]} → {predictions[k]} ✗", COLORS[1]
            ax.set_title(title, color=color, fontsize=9)
    return fig
