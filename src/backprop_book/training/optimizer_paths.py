"""The optimizers on a long, narrow valley: the path each one takes, and a contour plot of it.

*Deep Learning from Scratch* (6.1) compares update rules on the function
$f(x, y) = x^2/20 + y^2$, whose minimum is at $(0, 0)$: along $x$ the valley is twenty times
flatter than along $y$, so the gradient points mostly across the valley, not along it. Here
`optimizer_path` runs one of the package's optimizers (`backprop_book.training.optimizers`) on
$f$ from the book's start point $(-7, 2)$, with the same ``update(params, grads)`` call that
trains a network, and returns every point it visits. `plot_optimizer_paths` draws the paths over
the contour lines of $f$, in the book's style (`backprop_book.training.svg`); it loads matplotlib
only when called, so importing this module does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_book.checks import numeric_array, positive_int
from backprop_book.training.labels import label
from backprop_book.training.optimizers import Optimizer, get_optimizer

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["START", "optimizer_path", "plot_optimizer_paths", "valley", "valley_gradient"]

START = (-7.0, 2.0)  # the start point of Deep Learning from Scratch 6.1


# --8<-- [start:valley]
def valley(x: Any, y: Any) -> Any:
    """The valley $f(x, y) = x^2/20 + y^2$ (numbers or arrays of the same shape).

    Examples:
        >>> valley(-7.0, 2.0)  # 49/20 + 4
        6.45
    """
    return x**2 / 20 + y**2


def valley_gradient(x: Any, y: Any) -> tuple[Any, Any]:
    """The gradient $(\\partial f/\\partial x, \\partial f/\\partial y) = (x/10,\\ 2y)$ of `valley`.

    Examples:
        >>> valley_gradient(-7.0, 2.0)
        (-0.7, 4.0)
    """
    return x / 10, 2 * y


# --8<-- [end:valley]


def _start_point(start: Any) -> np.ndarray:
    point = numeric_array("optimizer_path", start, name="start").astype(np.float64)
    if point.shape != (2,):
        raise ValueError(f"optimizer_path: start must be a point (x, y), got shape {point.shape}")
    if not np.isfinite(point).all():
        raise ValueError(f"optimizer_path: start must be finite, got {point.tolist()}")
    return point


# --8<-- [start:path]
def optimizer_path(
    optimizer: str | Optimizer,
    steps: int = 30,
    *,
    start: tuple[float, float] = START,
    **kwargs: float,
) -> np.ndarray:
    """The points an optimizer visits on `valley`, from ``start``, one per update.

    The parameters are the two coordinates, ``params = {"x": ..., "y": ...}``, and each step
    gives the optimizer their gradient, ``grads = {"x": x/10, "y": 2y}``, exactly as a training
    loop gives it a network's parameters and gradients.

    Args:
        optimizer: a name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"adam"``) or an optimizer
            object (it keeps its state: give a new one for every path).
        steps: the number of updates.
        start: the point $(x, y)$ to start from.
        **kwargs: with a name, passed to the optimizer's constructor, e.g. ``lr=0.95``.

    Returns:
        An array of shape ``(steps + 1, 2)``: row 0 is ``start``, row ``k`` the point after
        ``k`` updates.

    Raises:
        ValueError: for an unknown name, a ``steps`` below 1 or a ``start`` that is not a
            finite point (x, y).
        TypeError: for a ``steps`` that is not an integer, or what `get_optimizer` refuses.

    Examples:
        >>> optimizer_path("sgd", 2, lr=0.5, start=(10.0, 1.0))  # x <- 0.95 x, y <- 0 * y
        array([[10.   ,  1.   ],
               [ 9.5  ,  0.   ],
               [ 9.025,  0.   ]])
    """
    optimizer = get_optimizer(optimizer, **kwargs)
    steps = positive_int("optimizer_path", "steps", steps)
    x0, y0 = _start_point(start)
    params = {"x": np.array(x0), "y": np.array(y0)}  # 0-d arrays, changed in place
    path = np.empty((steps + 1, 2))  # (steps + 1, 2): one (x, y) row per point
    path[0] = x0, y0
    for k in range(1, steps + 1):
        dx, dy = valley_gradient(params["x"], params["y"])
        optimizer.update(params, {"x": dx, "y": dy})
        path[k] = params["x"], params["y"]
    return path


# --8<-- [end:path]


def _check_path(name: str, path: Any) -> np.ndarray:
    points = numeric_array("plot_optimizer_paths", path, name=f"paths[{name!r}]")
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(
            f"plot_optimizer_paths: paths[{name!r}] must have shape (n, 2) with n >= 1, "
            f"got {points.shape}"
        )
    return points


def plot_optimizer_paths(
    paths: Mapping[str, np.ndarray],
    *,
    ncols: int = 2,
    lang: str = "en",
) -> Figure:
    """One panel per optimizer: its path (from `optimizer_path`) over the contours of `valley`.

    Each panel shows the contour lines of $f$, the minimum $(0, 0)$ as a cross and the path as
    points joined by lines, from an open circle at its start. The panels share their axes, and
    their titles (the keys of ``paths``) are looked up in `LABELS` for ``lang``.

    Args:
        paths: name → array of shape ``(n, 2)``, e.g. ``{"SGD": optimizer_path("sgd")}``.
        ncols: panels per row.
        lang: the language of the titles (``"en"`` or ``"ko"``).

    Raises:
        ValueError: for no paths, or a path that is not of shape ``(n, 2)``.

    Examples:
        >>> fig = plot_optimizer_paths({"SGD": optimizer_path("sgd", 3, lr=0.95)})
        >>> [ax.get_title() for ax in fig.axes]
        ['SGD']
    """
    from backprop_book.training.svg import COLORS, INK, book_figure, book_style

    if not paths:
        raise ValueError("plot_optimizer_paths: paths is empty; give at least one path")
    checked = {name: _check_path(name, path) for name, path in paths.items()}
    ncols = min(positive_int("plot_optimizer_paths", "ncols", ncols), len(checked))
    nrows = -(-len(checked) // ncols)
    points = np.concatenate([START, *checked.values()], axis=None).reshape(-1, 2)
    x_max = max(10.0, float(np.abs(points[:, 0]).max()) * 1.1)
    y_max = max(5.0, float(np.abs(points[:, 1]).max()) * 1.1)
    levels = np.arange(1, 9) ** 2 / 8  # ellipses evenly spaced in "radius" sqrt(f)
    xs, ys = np.meshgrid(np.linspace(-x_max, x_max, 201), np.linspace(-y_max, y_max, 101))
    fig = book_figure((4.2 * ncols, 2.5 * nrows))
    with book_style():
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True).ravel()
        for k, (ax, (name, path)) in enumerate(zip(axes, checked.items(), strict=False)):
            ax.contour(xs, ys, valley(xs, ys), levels=levels, colors=COLORS[5], linewidths=0.6)
            ax.plot(0, 0, "+", color=INK, markersize=9)
            color = COLORS[k % len(COLORS)]
            ax.plot(path[:, 0], path[:, 1], "o-", color=color, markersize=2.5, linewidth=1.1)
            ax.plot(path[0, 0], path[0, 1], "o", color=color, markerfacecolor="none")
            ax.set_title(label(name, lang))
            ax.set_xlabel("x")
            ax.set_ylabel("y")
            ax.label_outer()  # axis labels on the outer panels only
        for ax in axes[len(checked) :]:
            ax.set_axis_off()
    return fig
