"""Tests for backprop_book.deeper.grids: the figures show what im2col and MaxPooling computed."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from backprop_book.deeper.grids import Panel, grids_svg, im2col_panels, max_pooling_panels
from backprop_book.deeper.im2col import im2col
from backprop_book.deeper.pooling import MaxPooling

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_svg_is_well_formed_named_and_deterministic():
    rows = [[Panel("x", np.array([[1.0, 2.5]])), Panel("y", np.array([[3.0]]))]]
    svg = grids_svg(rows, 'A "quoted" <name>')
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == 'A "quoted" <name>'
    assert root.find(f"{SVG}title").text == 'A "quoted" <name>'
    assert _texts(svg) == ["x", "1", "2.5", "y", "3"]
    assert len(root.findall(f"{SVG}path")) == 1  # one arrow between the two panels
    assert svg == grids_svg(rows, 'A "quoted" <name>')


@pytest.mark.parametrize(("fh", "fw", "stride", "pad"), [(3, 3, 1, 0), (2, 2, 2, 0), (2, 3, 1, 1)])
def test_im2col_panels_show_the_rows_of_im2col(fh, fw, stride, pad):
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    rows = im2col_panels(x, fh, fw, stride, pad)
    col = im2col(x, fh, fw, stride, pad)
    assert len(rows) == col.shape[0]
    for k, (image, row) in enumerate(rows):
        np.testing.assert_array_equal(row.values, col[k : k + 1])  # copies: exact
        # the coloured cells of the padded image, read row by row, are exactly the patch
        np.testing.assert_array_equal(image.values[image.colors == k], col[k])
        assert image.strong.sum() == fh * fw
        assert image.faint.sum() == (4 + 2 * pad) ** 2 - 16  # the padding, drawn faint


def test_max_pooling_panels_mark_the_winners():
    x = np.array(
        [[[[1.0, 3.0, 0.0, 2.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 6.0, 0.0], [2.0, 3.0, 0.0, 1.0]]]]
    )
    dout = np.array([[[[10.0, 20.0], [30.0, 40.0]]]])
    (xs, out), (ds, dx) = max_pooling_panels(x, MaxPooling(2, 2), dout)
    np.testing.assert_array_equal(out.values, [[4, 5], [3, 6]])
    np.testing.assert_array_equal(xs.values[xs.strong], [4, 5, 6, 3])  # the image row by row
    np.testing.assert_array_equal(dx.values[dx.strong], [10, 20, 40, 30])
    assert not dx.values[~dx.strong].any()  # the faint cells got nothing
    assert (xs.colors >= 0).all()  # every cell is in a window
    svg = grids_svg([[xs, out], [ds, dx]], "pool")
    assert len(re.findall(r'font-weight="bold"', svg)) == 12


def test_panels_refuse_more_than_one_image_or_channel():
    with pytest.raises(ValueError, match=r"im2col_panels: x must be one image of one channel"):
        im2col_panels(np.zeros((2, 1, 3, 3)), 2, 2)
    with pytest.raises(ValueError, match=r"max_pooling_panels: x must be one image of one"):
        max_pooling_panels(np.zeros((1, 2, 2, 2)), MaxPooling(2, 2), np.zeros((1, 2, 1, 1)))
