"""Tests for backprop_book.deeper.conv_net_plots: the figures draw the arrays they are given."""

import numpy as np
import pytest

from backprop_book.deeper.conv_net import SimpleConvNet
from backprop_book.deeper.conv_net_plots import (
    WORDS,
    plot_feature_maps,
    plot_filters,
    plot_training_comparison,
)
from backprop_book.training.svg import figure_to_svg


def test_filters_are_the_arrays_on_one_symmetric_scale():
    W = np.random.default_rng(0).standard_normal((5, 1, 3, 3))
    fig = plot_filters(W, ncols=3)
    assert len(fig.axes) == 5
    vmax = np.abs(W).max()
    for k, ax in enumerate(fig.axes):
        image = ax.get_images()[0]
        np.testing.assert_array_equal(image.get_array(), W[k, 0])
        assert image.get_clim() == (-vmax, vmax)
        assert ax.get_title() == str(k + 1)


def test_feature_maps_are_the_layers_outputs():
    net = SimpleConvNet((1, 4, 4), filter_num=2, hidden_size=3, seed=0)
    x = np.random.default_rng(1).random((1, 4, 4))
    fig = plot_feature_maps(net, x)
    maps = np.maximum(net.layers["Conv1"].forward(x[None]), 0)[0]
    pooled = net.layers["Pool1"].forward(maps[None])[0]
    arrays = [ax.get_images()[0].get_array() for ax in fig.axes]
    np.testing.assert_array_equal(arrays[0], x[0])
    for k in range(2):
        np.testing.assert_allclose(arrays[1 + k], maps[k], rtol=1e-12)
        np.testing.assert_allclose(arrays[3 + k], pooled[k], rtol=1e-12)


def test_feature_maps_refuse_an_image_of_another_shape():
    net = SimpleConvNet((1, 4, 4), filter_num=2, hidden_size=3, seed=0)
    with pytest.raises(ValueError, match=r"x has shape \(1, 16\)"):
        plot_feature_maps(net, np.zeros(16))


def test_comparison_draws_every_curve():
    fig = plot_training_comparison({"CNN": [2.0, 1.0, 0.5]}, {"CNN": [0.9, 0.95]})
    left, right = fig.axes
    np.testing.assert_array_equal(left.get_lines()[0].get_ydata(), [2.0, 1.0, 0.5])
    np.testing.assert_array_equal(right.get_lines()[0].get_ydata(), [0.9, 0.95])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_words_are_in_the_page_s_language(lang):
    fig = plot_filters(np.ones((2, 1, 3, 3)), lang=lang)
    assert fig.get_suptitle() == WORDS[lang]["filters"]
    assert figure_to_svg(fig).startswith("<svg")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"plot_filters: W must be \(FN, 1, FH, FW\)"):
        plot_filters(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="plot_filters: unknown lang 'fr'"):
        plot_filters(np.ones((2, 1, 3, 3)), lang="fr")
