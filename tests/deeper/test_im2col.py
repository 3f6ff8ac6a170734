"""Tests for backprop_book.deeper.im2col: the patch layout, the adjoint col2im, size errors."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop_book.deeper.im2col import col2im, im2col, output_size


@st.composite
def geometries(draw):
    """(x shape, FH, FW, stride, pad) whose output sizes are whole and positive."""
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    fh, fw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    oh, ow = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = (oh - 1) * stride + fh - 2 * pad, (ow - 1) * stride + fw - 2 * pad
    assume(h >= 1 and w >= 1)  # not more padding than image
    return (n, c, h, w), fh, fw, stride, pad


def _patch_by_loops(x, n, i, j, fh, fw, stride, pad):
    """The patch of image n at output position (i, j), read cell by cell from the padded x."""
    _, c, h, w = x.shape
    values = []
    for ch in range(c):
        for p in range(fh):
            for q in range(fw):
                r, s = i * stride + p - pad, j * stride + q - pad  # in unpadded coordinates
                values.append(x[n, ch, r, s] if 0 <= r < h and 0 <= s < w else 0.0)
    return values


@settings(max_examples=60, deadline=None)
@given(geometries(), st.integers(0, 2**32 - 1))
def test_each_row_is_one_patch(geometry, seed):
    shape, fh, fw, stride, pad = geometry
    x = np.random.default_rng(seed).standard_normal(shape)
    col = im2col(x, fh, fw, stride, pad)
    oh, ow = output_size("test", shape, fh, fw, stride, pad)
    assert col.shape == (shape[0] * oh * ow, shape[1] * fh * fw)
    for n in range(shape[0]):
        for i in range(oh):
            for j in range(ow):
                row = col[(n * oh + i) * ow + j]  # a copy of cells: exact, no arithmetic
                assert row.tolist() == _patch_by_loops(x, n, i, j, fh, fw, stride, pad)


@settings(max_examples=60, deadline=None)
@given(geometries(), st.integers(0, 2**32 - 1))
def test_col2im_is_the_adjoint_of_im2col(geometry, seed):
    shape, fh, fw, stride, pad = geometry
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    col_shape = im2col(x, fh, fw, stride, pad).shape
    c = rng.standard_normal(col_shape)
    left = np.vdot(im2col(x, fh, fw, stride, pad), c)  # ⟨im2col(x), c⟩
    right = np.vdot(x, col2im(c, shape, fh, fw, stride, pad))  # ⟨x, col2im(c)⟩
    # The same products x·c summed in two orders: each sum has at most a few hundred terms of
    # size about 1, so the rounding difference is far below 1e-12 · (Σ |x·c|).
    scale = np.vdot(np.abs(im2col(x, fh, fw, stride, pad)), np.abs(c))
    assert abs(left - right) <= 1e-12 * scale + 1e-300


def test_col2im_counts_the_patches_over_each_cell():
    # with all ones, col2im(1) tells how many patches cover each cell: here 3×3 patches, stride 1
    counts = col2im(np.ones((9, 9)), (1, 1, 5, 5), 3, 3)[0, 0]
    expected = np.outer([1, 2, 3, 2, 1], [1, 2, 3, 2, 1])  # one axis at a time, multiplied
    np.testing.assert_array_equal(counts, expected)  # small integer sums: exact


def test_non_overlapping_patches_round_trip():
    # stride = filter size and no padding: every cell in exactly one patch, col2im inverts im2col
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 4))
    np.testing.assert_array_equal(col2im(im2col(x, 2, 2, 2), x.shape, 2, 2, 2), x)


def test_float32_stays_float32():
    x = np.ones((1, 1, 3, 3), dtype=np.float32)
    col = im2col(x, 2, 2)
    assert col.dtype == np.float32
    assert col2im(col, x.shape, 2, 2).dtype == np.float32
    assert im2col(np.ones((1, 1, 3, 3), dtype=int), 2, 2).dtype == np.float64


def test_padding_is_zero():
    col = im2col(np.ones((1, 1, 2, 2)), 2, 2, stride=1, pad=1)  # 3×3 positions over a 4×4 pad
    assert col.shape == (9, 4)
    np.testing.assert_array_equal(col[0], [0, 0, 0, 1])  # the top-left corner sees one cell
    np.testing.assert_array_equal(col[4], [1, 1, 1, 1])  # the centre sees the whole image


@pytest.mark.parametrize(
    ("shape", "fh", "fw", "stride", "pad", "message"),
    [
        ((1, 1, 5, 5), 2, 2, 2, 0, r"output height .*\(5 \+ 2·0 - 2\)/2 \+ 1 is not a whole"),
        ((1, 1, 4, 5), 2, 2, 2, 0, r"output width .*\(5 \+ 2·0 - 2\)/2 \+ 1 is not a whole"),
        ((1, 1, 2, 2), 3, 1, 1, 0, r"output height .* is not positive.*filter FH=3"),
        ((1, 1, 2, 2), 1, 5, 1, 1, r"output width .*\(2 \+ 2·1 - 5\).* is not positive"),
    ],
)
def test_sizes_that_do_not_fit_are_named(shape, fh, fw, stride, pad, message):
    with pytest.raises(ValueError, match=message):
        im2col(np.zeros(shape), fh, fw, stride, pad)
    with pytest.raises(ValueError, match=message):
        col2im(np.zeros((1, 1)), shape, fh, fw, stride, pad)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"im2col: x must have shape \(N, C, H, W\), got \(3, 3\)"):
        im2col(np.zeros((3, 3)), 2, 2)
    with pytest.raises(ValueError, match="im2col: stride must be a positive integer, got 0"):
        im2col(np.zeros((1, 1, 3, 3)), 2, 2, stride=0)
    with pytest.raises(ValueError, match="im2col: pad must be an integer >= 0, got -1"):
        im2col(np.zeros((1, 1, 3, 3)), 2, 2, pad=-1)
    with pytest.raises(TypeError, match="im2col: filter_h must be a positive integer"):
        im2col(np.zeros((1, 1, 3, 3)), 2.0, 2)
    with pytest.raises(TypeError, match="im2col: x must be a numeric array"):
        im2col(np.array([[[["a"]]]]), 1, 1)
    with pytest.raises(ValueError, match=r"col2im: col has shape \(3, 4\) but .* need \(4, 4\)"):
        col2im(np.zeros((3, 4)), (1, 1, 3, 3), 2, 2)
    with pytest.raises(ValueError, match=r"col2im: input_shape must be \(N, C, H, W\)"):
        col2im(np.zeros((4, 4)), (3, 3), 2, 2)
