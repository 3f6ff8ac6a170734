"""Plots render to deterministic, accessible, inlineable SVG."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop_book.training.plotting import (
    figure_to_svg,
    plot_accuracy,
    plot_curves,
    plot_histograms,
    plot_images,
    plot_loss,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


_RNG = np.random.default_rng(0)
_LOSS = 2.3 * np.exp(-np.arange(120) / 40) + 0.05 * _RNG.random(120)
_FIGURES = {
    "loss": lambda: plot_loss(_LOSS, iter_per_epoch=17),
    "accuracy": lambda: plot_accuracy([0.8, 0.9, 0.95], [0.78, 0.88, 0.93]),
    "images": lambda: plot_images(np.linspace(0, 1, 4 * 64).reshape(4, 64), range(4), [0] * 4),
    "hist": lambda: plot_histograms({"a": np.linspace(-2, 2, 100), "b": np.linspace(0, 1, 100)}),
    "curves": lambda: plot_curves({"SGD": _LOSS, "Adam": _LOSS / 2}, ylabel="loss"),
}


def figure(name: str) -> Figure:
    return _FIGURES[name]()


@pytest.mark.parametrize("name", ["loss", "accuracy", "images", "hist", "curves"])
def test_two_renders_give_identical_bytes(name):
    fig = figure(name)
    assert figure_to_svg(fig).encode() == figure_to_svg(fig).encode()


@pytest.mark.slow
def test_identical_bytes_across_processes():
    code = (
        "import numpy as np; from backprop_book.training.plotting import figure_to_svg, plot_loss;"
        "print(figure_to_svg(plot_loss(np.linspace(2, 0.1, 50), 10)), end='')"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and runs[0].startswith("<svg")


@pytest.mark.parametrize("name", ["loss", "accuracy", "images", "hist", "curves"])
def test_svg_is_well_formed_inlineable_and_accessible(name):
    svg = figure_to_svg(figure(name), label=f"{name} & more")
    assert svg.startswith("<svg")  # no <?xml …?> header, no DOCTYPE
    assert "<!DOCTYPE" not in svg and "<?xml" not in svg
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == SVG_NS + "svg"
    assert root.get("role") == "img" and root.get("aria-label") == f"{name} & more"
    assert root[0].tag == SVG_NS + "title" and root[0].text == f"{name} & more"


def test_no_date_and_no_metadata():
    svg = figure_to_svg(figure("loss"))
    assert "dc:date" not in svg and "<metadata" not in svg and "Matplotlib v" not in svg


def test_transparent_background_and_theme_text_colour():
    svg = figure_to_svg(figure("accuracy"))
    assert "currentColor" in svg  # text and axes follow the page's text colour
    assert "#7f7f7e" not in svg
    # no opaque white or black page background rectangle
    assert "fill: #ffffff" not in svg and "fill: #000000" not in svg


def test_ids_are_unique_per_figure_and_references_follow():
    svg_a = figure_to_svg(figure("loss"))
    svg_b = figure_to_svg(figure("accuracy"))
    ids_a = {e.get("id") for e in ET.fromstring(svg_a).iter() if e.get("id")}
    ids_b = {e.get("id") for e in ET.fromstring(svg_b).iter() if e.get("id")}
    assert ids_a and ids_b and not ids_a & ids_b
    root = ET.fromstring(svg_a)
    refs = [v for e in root.iter() for v in e.attrib.values() if v.startswith("#")]
    assert refs and all(r[1:] in ids_a for r in refs)


def test_default_label_comes_from_titles():
    svg = figure_to_svg(plot_accuracy([0.5], [0.4], title="Digits"))
    assert 'aria-label="Digits"' in svg


def test_loss_plot_marks_every_epoch_and_caps_the_marks():
    fig = plot_loss(np.ones(10), iter_per_epoch=3)
    marks = [line.get_xdata()[0] for line in fig.axes[0].get_lines()[1:]]
    assert marks == [3, 6, 9]
    fig = plot_loss(np.ones(1000), iter_per_epoch=10)  # 100 epochs: every 5th marked
    marks = [line.get_xdata()[0] for line in fig.axes[0].get_lines()[1:]]
    assert len(marks) == 20 and marks[0] == 50
    line = fig.axes[0].get_lines()[0]
    assert line.get_xdata()[0] == 1 and line.get_xdata()[-1] == 1000  # iterations from 1


def test_accuracy_plot_x_is_epochs_from_one():
    fig = plot_accuracy([0.1, 0.2, 0.3], [0.1, 0.15, 0.2])
    train, test = fig.axes[0].get_lines()
    assert list(train.get_xdata()) == [1, 2, 3] and list(test.get_ydata()) == [0.1, 0.15, 0.2]


def test_image_grid_titles_mark_wrong_predictions():
    fig = plot_images(np.zeros((4, 8, 8)), [1, 2, 3, 4], predictions=[1, 0, 3, 9], ncols=3)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["1", "2 → 0 ✗", "3", "4 → 9 ✗"]
    assert len(fig.axes) == 6  # 2 rows of 3, the last two empty


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="do not fit shape"):
        plot_images(np.zeros((2, 10)), [0, 1])
    with pytest.raises(ValueError, match="plot_images: x has 2 images but labels has 1"):
        plot_images(np.zeros((2, 64)), [0])
    with pytest.raises(ValueError, match="plot_images: x has 2 images but predictions has 3"):
        plot_images(np.zeros((2, 64)), [0, 1], predictions=[0, 1, 2])
    with pytest.raises(ValueError, match="plot_images: ncols must be a positive integer, got 0"):
        plot_images(np.zeros((2, 64)), [0, 1], ncols=0)
    with pytest.raises(ValueError, match="train_acc has 2 values but test_acc has 1"):
        plot_accuracy([0.1, 0.2], [0.1])
    with pytest.raises(TypeError, match="plot_loss: iter_per_epoch must be a positive integer"):
        plot_loss([1.0, 0.5], iter_per_epoch=1.5)
    with pytest.raises(ValueError, match="plot_histograms: bins must be a positive integer, got 0"):
        plot_histograms({"a": np.zeros(3)}, bins=0)
    with pytest.raises(ValueError, match="non-empty"):
        plot_loss([])
    with pytest.raises(TypeError, match="matplotlib Figure"):
        figure_to_svg("not a figure")


def test_no_pyplot_and_global_rcparams_untouched():
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    fig = plot_loss([1.0, 0.5])
    figure_to_svg(fig)
    assert isinstance(fig, Figure)
    assert dict(mpl.rcParams) == before


def test_curves_differ_by_line_style_not_colour_alone_and_legend_sits_outside():
    fig = plot_curves({"a": [1, 2], "b": [2, 1], "c": [1, 1]})
    styles = [line.get_linestyle() for line in fig.axes[0].get_lines()]
    assert len(set(styles)) == 3
    anchor = fig.axes[0].get_legend().get_bbox_to_anchor()
    assert anchor.x0 > fig.axes[0].get_window_extent().x1 - 1  # right of the plot area


def test_histograms_can_share_bins():
    fig = plot_histograms({"a": np.linspace(0, 1, 50), "b": np.linspace(5, 6, 50)}, sharex=True)
    left, right = fig.axes
    assert left.get_xlim() == right.get_xlim()
    assert left.patches[0].get_width() == pytest.approx(right.patches[0].get_width())


def test_korean_labels_come_from_the_one_table():
    from backprop_book.training.plotting import LABELS, label, plot_learning_curves

    fig = plot_learning_curves([2.0, 1.0, 0.5, 0.4], [0.6, 0.8], [0.5, 0.7], 2, lang="ko")
    left, right = fig.axes
    assert left.get_title() == LABELS["ko"]["Training loss"]
    assert left.get_xlabel() == "반복 (점선: 에폭의 끝, 2회 반복)"
    assert right.get_xlabel() == "에폭" and right.get_ylabel() == "정확도"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["훈련", "시험"]
    assert label("SGD", "ko") == "SGD"  # names that are not words stay as they are
    with pytest.raises(ValueError, match="lang must be one of"):
        label("epoch", "fr")


def test_hangul_is_drawn_as_paths_in_a_hangul_font_and_reproducibly():
    from backprop_book.training import svg as svg_module

    if not svg_module.HAS_HANGUL_FONT:
        pytest.fail("no Hangul font for matplotlib: run scripts/setup.sh (fonts-noto-cjk)")
    assert svg_module.HANGUL_FONT in svg_module.RC["font.family"]
    fig = plot_accuracy([0.5, 0.6], [0.4, 0.5], lang="ko")
    svg = figure_to_svg(fig)
    assert "<text" not in svg  # glyphs are paths: the reader needs no font
    assert 'aria-label="에폭별 정확도"' in svg and "<title>에폭별 정확도</title>" in svg
    assert "NotoSansCJK" in svg  # matplotlib names each glyph's path after its font
    assert svg == figure_to_svg(plot_accuracy([0.5, 0.6], [0.4, 0.5], lang="ko"))


def test_hangul_without_a_hangul_font_is_a_clear_error(monkeypatch):
    from backprop_book.training import svg as svg_module

    monkeypatch.setattr(svg_module, "HAS_HANGUL_FONT", False)
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        figure_to_svg(plot_accuracy([0.5], [0.4], lang="ko"))
    assert figure_to_svg(plot_accuracy([0.5], [0.4]))  # English figures need no Hangul font


def test_hangul_in_a_figure_made_outside_the_book_style_gets_the_hangul_font():
    from backprop_book.training import svg as svg_module

    fig = Figure(figsize=(3, 2))  # a page's own figure, made before book_style applies
    fig.add_subplot().set_title("사과와 귤")
    svg = figure_to_svg(fig)
    assert fig.axes[0].title.get_fontfamily() == svg_module.RC["font.family"]
    assert "NotoSansCJK" in svg
