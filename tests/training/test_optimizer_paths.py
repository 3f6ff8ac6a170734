"""The optimizers' paths on the valley f(x, y) = x²/20 + y², against closed forms and by hand."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from backprop_book.layers.gradient_check import numerical_gradient
from backprop_book.training.optimizer_paths import (
    START,
    optimizer_path,
    plot_optimizer_paths,
    valley,
    valley_gradient,
)
from backprop_book.training.optimizers import Adam, Momentum
from backprop_book.training.svg import figure_to_svg


@pytest.mark.parametrize("point", [(-7.0, 2.0), (3.0, -0.5), (0.0, 0.0)])
def test_valley_gradient_matches_central_differences(point):
    p = np.array(point)
    numerical = numerical_gradient(lambda v: float(valley(v[0], v[1])), p)
    # f is quadratic, so the central difference has no truncation error, only rounding: about
    # eps * |f| / h = 2.2e-16 * 6.45 / 1e-4 (the default h) ~ 1.4e-11; 1e-8 leaves a wide margin
    np.testing.assert_allclose(valley_gradient(*p), numerical, rtol=0, atol=1e-8)


def test_the_minimum_is_at_the_origin():
    xs, ys = np.meshgrid(np.linspace(-3, 3, 61), np.linspace(-3, 3, 61))
    f = valley(xs, ys)
    k = np.unravel_index(np.argmin(f), f.shape)
    assert (xs[k], ys[k]) == (0.0, 0.0) and f[k] == 0.0  # 0²/20 + 0² is exact


def test_path_has_one_row_per_point_from_the_start():
    path = optimizer_path("adam", 7, lr=0.3)
    assert path.shape == (8, 2)
    assert tuple(path[0]) == START


@pytest.mark.parametrize("lr", [0.1, 0.5, 0.95])
def test_sgd_path_is_the_closed_form(lr):
    # x <- x - lr * x/10 = (1 - lr/10) x and y <- y - lr * 2y = (1 - 2 lr) y, so after k steps
    # x_k = (1 - lr/10)^k x_0 and y_k = (1 - 2 lr)^k y_0. Each step rounds once or twice, so
    # 30 steps drift by at most ~60 units in the last place: rtol 1e-12 leaves room.
    steps = 30
    path = optimizer_path("sgd", steps, lr=lr)
    k = np.arange(steps + 1)
    np.testing.assert_allclose(path[:, 0], (1 - lr / 10) ** k * START[0], rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], (1 - 2 * lr) ** k * START[1], rtol=1e-12, atol=1e-300)


def test_sgd_above_half_the_curvature_bound_flips_y_every_step():
    y = optimizer_path("sgd", 30, lr=0.95)[:, 1]  # factor 1 - 2*0.95 = -0.9 per step
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))
    y_ok = optimizer_path("sgd", 30, lr=0.4)[:, 1]  # factor 0.2: never changes sign
    assert np.all(y_ok > 0)


def test_momentum_without_momentum_is_sgd():
    # v = 0*v - lr*g and W + v is W - lr*g up to one rounding: a tight tolerance holds
    plain = optimizer_path("sgd", 20, lr=0.3)
    no_memory = optimizer_path("momentum", 20, lr=0.3, momentum=0.0)
    np.testing.assert_allclose(no_memory, plain, rtol=1e-13, atol=1e-300)


def test_momentum_changes_the_sign_of_y_less_often_than_sgd_at_the_books_rates():
    def sign_changes(path: np.ndarray) -> int:
        return int(np.sum(np.sign(path[1:, 1]) != np.sign(path[:-1, 1])))

    sgd = optimizer_path("sgd", 30, lr=0.95)
    momentum = optimizer_path("momentum", 30, lr=0.1)
    assert sign_changes(sgd) == 30
    assert 0 < sign_changes(momentum) < sign_changes(sgd)


@pytest.mark.parametrize(("name", "lr"), [("adagrad", 1.5), ("adam", 0.3)])
def test_first_adaptive_step_moves_every_coordinate_by_lr(name, lr):
    # AdaGrad: g / sqrt(g²) = sign(g); Adam step 1: m_hat = g, v_hat = g², the same ratio.
    # The eps (1e-7, 1e-8) next to |g| >= 0.7 changes the step by at most lr * 1.5e-7.
    first_step = np.diff(optimizer_path(name, 1, lr=lr), axis=0)[0]
    gx, gy = valley_gradient(*START)
    np.testing.assert_allclose(first_step, [-lr * np.sign(gx), -lr * np.sign(gy)], atol=1e-6)


@pytest.mark.parametrize(
    ("name", "lr"), [("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)]
)
def test_every_optimizer_ends_closer_to_the_minimum_than_it_started(name, lr):
    path = optimizer_path(name, 30, lr=lr)
    distance = np.hypot(path[:, 0], path[:, 1])
    assert distance[-1] < 0.2 * distance[0]
    assert valley(*path[-1]) < valley(*path[0])


def test_an_optimizer_object_is_used_and_keeps_its_state():
    opt = Adam(lr=0.3)
    first = optimizer_path(opt, 5)
    assert opt.iter == 5
    np.testing.assert_array_equal(first, optimizer_path(Adam(lr=0.3), 5))  # same ops, same order
    momentum = Momentum(lr=0.1)
    optimizer_path(momentum, 3)
    assert set(momentum.v) == {"x", "y"}


def test_a_start_point_of_integers_is_accepted():
    np.testing.assert_array_equal(optimizer_path("sgd", 1, lr=0.5, start=(10, 1))[1], [9.5, 0.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": 0}, ValueError, "optimizer_path: steps must be a positive integer, got 0"),
        ({"steps": "3"}, TypeError, "optimizer_path: steps must be a positive integer"),
        (
            {"start": (1.0, 2.0, 3.0)},
            ValueError,
            r"start must be a point \(x, y\), got shape \(3,\)",
        ),
        ({"start": (float("nan"), 0.0)}, ValueError, "optimizer_path: start must be finite"),
        ({"start": ("a", "b")}, TypeError, "optimizer_path: start must be a numeric array"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        optimizer_path("sgd", **kwargs)


def test_an_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; choose one of adagrad"):
        optimizer_path("rmsprop")


def _paths() -> dict[str, np.ndarray]:
    return {
        "SGD": optimizer_path("sgd", 30, lr=0.95),
        "Momentum": optimizer_path("momentum", 30, lr=0.1),
        "AdaGrad": optimizer_path("adagrad", 30, lr=1.5),
    }


def test_plot_draws_each_path_in_its_own_panel():
    paths = _paths()
    fig = plot_optimizer_paths(paths)
    drawn = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert [ax.get_title() for ax in drawn] == list(paths)
    for ax, path in zip(drawn, paths.values(), strict=True):
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) == len(path)]
        assert len(lines) == 1
        np.testing.assert_array_equal(lines[0].get_xydata(), path)
        assert ax.collections, "no contour lines"
    assert len(fig.axes) == 4  # 2 × 2 panels, the fourth turned off


def test_plot_titles_are_looked_up_for_the_language():
    fig = plot_optimizer_paths({"loss": optimizer_path("sgd", 2)}, lang="ko")
    assert fig.axes[0].get_title() == "손실"
    assert (
        plot_optimizer_paths({"Adam": optimizer_path("adam", 2)}, lang="ko").axes[0].get_title()
        == "Adam"
    )


def test_plot_covers_a_path_that_leaves_the_default_window():
    far = optimizer_path("sgd", 3, lr=1.2)  # y factor -1.4: it grows
    assert np.abs(far[:, 1]).max() > 5
    ax = plot_optimizer_paths({"SGD": far}).axes[0]
    assert ax.get_ylim()[1] >= np.abs(far[:, 1]).max()


def test_plot_renders_to_deterministic_accessible_svg():
    svg = figure_to_svg(plot_optimizer_paths(_paths()), "paths")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>paths</title>" in svg
    assert svg == figure_to_svg(plot_optimizer_paths(_paths()), "paths")


@pytest.mark.parametrize(
    ("paths", "match"),
    [
        ({}, "plot_optimizer_paths: paths is empty"),
        ({"SGD": np.zeros((3, 3))}, r"paths\['SGD'\] must have shape \(n, 2\).*got \(3, 3\)"),
        ({"SGD": np.zeros((0, 2))}, r"paths\['SGD'\] must have shape \(n, 2\) with n >= 1"),
    ],
)
def test_plot_refuses_bad_paths(paths, match):
    with pytest.raises(ValueError, match=match):
        plot_optimizer_paths(paths)


def test_importing_the_module_does_not_load_matplotlib():
    code = (
        "import sys, backprop_book.training.optimizer_paths as m; m.optimizer_path('sgd', 2); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
