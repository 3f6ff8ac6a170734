"""Arrays drawn as grids of numbered cells, as SVG: how im2col and max-pooling move numbers.

The convolution and pooling pages show where each number goes: the cells of a small image, the
patch each row of ``im2col`` copies, the window each maximum comes from and the input each
gradient is sent back to. `grids_svg` draws rows of `Panel` s (a 2-D array each, with a colour
per cell and some cells in bold) joined by arrows; `im2col_panels` and `max_pooling_panels`
build the panels from the package's own `im2col` and `MaxPooling`, so the figure shows what the
code computed. Text and lines are drawn in ``currentColor`` and the cells are filled with the
book's mid-tone colours, half transparent, so the figure reads in the light and the dark theme.
The same arrays always give the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from backprop_book.deeper.im2col import im2col, images, output_size
from backprop_book.deeper.pooling import MaxPooling
from backprop_book.training.svg import COLORS

__all__ = ["Panel", "grids_svg", "im2col_panels", "max_pooling_panels"]

CELL, GAP, ARROW, TITLE = 26, 14, 34, 20  # pixels: a cell, between rows, an arrow, a title


@dataclass(frozen=True)
class Panel:
    """One 2-D array drawn as a grid, with a title above it.

    Args:
        title: Text above the grid (a code name such as ``"x"`` or ``"col[0]"``).
        values: The numbers, shape ``(rows, columns)``.
        colors: Per cell an index into the book's colours, or ``-1`` for no fill.
        strong: Per cell ``True`` to draw it in bold with a thick border.
        faint: Per cell ``True`` to draw its number in grey (padding, zeros).

    Examples:
        >>> Panel("x", np.zeros((2, 2))).values.shape
        (2, 2)
    """

    title: str
    values: np.ndarray
    colors: np.ndarray | None = None
    strong: np.ndarray | None = None
    faint: np.ndarray | None = None


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.3g}"


def _panel(panel: Panel, x0: float, y0: float) -> list[str]:
    rows, cols = panel.values.shape
    out = [
        f'<text x="{x0 + cols * CELL / 2:g}" y="{y0 + TITLE - 6:g}" text-anchor="middle" '
        f'font-family="monospace">{html.escape(panel.title)}</text>'
    ]
    outlines = []  # the bold borders, drawn last so that no neighbour's thin border covers them
    for r in range(rows):
        for c in range(cols):
            x, y = x0 + c * CELL, y0 + TITLE + r * CELL
            color = -1 if panel.colors is None else int(panel.colors[r, c])
            fill = "none" if color < 0 else COLORS[color % len(COLORS)]
            strong = panel.strong is not None and bool(panel.strong[r, c])
            out.append(
                f'<rect x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" fill="{fill}" '
                'fill-opacity="0.45" stroke="currentColor" stroke-width="0.6"/>'
            )
            if strong:
                outlines.append(
                    f'<rect x="{x + 1:g}" y="{y + 1:g}" width="{CELL - 2}" height="{CELL - 2}" '
                    'fill="none" stroke="currentColor" stroke-width="2"/>'
                )
            faint = panel.faint is not None and bool(panel.faint[r, c])
            style = ' font-weight="bold"' if strong else (' opacity="0.45"' if faint else "")
            out.append(
                f'<text x="{x + CELL / 2:g}" y="{y + CELL / 2 + 4:g}" '
                f'text-anchor="middle"{style}>{_number(panel.values[r, c])}</text>'
            )
    return out + outlines


def grids_svg(rows: list[list[Panel]], label: str) -> str:
    """Draw rows of panels, left to right with an arrow between neighbours, as one ``<svg>``.

    Args:
        rows: The panels of each row of the figure.
        label: The figure's accessible name (``aria-label`` and ``<title>``), in the page's
            language.

    Returns:
        An ``<svg>`` element with ``role="img"``, an ``aria-label`` and a ``<title>``.

    Examples:
        >>> svg = grids_svg([[Panel("x", np.eye(2)), Panel("y", np.ones((1, 2)))]], "Two grids")
        >>> svg.startswith("<svg") and 'role="img"' in svg and "<title>Two grids</title>" in svg
        True
    """
    body, y, width = [], 0.0, 0.0
    for row in rows:
        tallest = max(p.values.shape[0] for p in row)
        mid = y + TITLE + CELL * tallest / 2  # panels and arrows are centred on this line
        x = 0.0
        for k, panel in enumerate(row):
            if k:  # an arrow from the previous panel
                body.append(
                    f'<path d="M{x + 6:g},{mid:g} h{ARROW - 12} m-6,-5 l6,5 l-6,5" '
                    'fill="none" stroke="currentColor" stroke-width="1.5"/>'
                )
                x += ARROW
            body += _panel(panel, x, mid - TITLE - CELL * panel.values.shape[0] / 2)
            x += panel.values.shape[1] * CELL
        width, y = max(width, x), y + TITLE + tallest * CELL + GAP
    w, h = width + 2, y - GAP + 2
    text = html.escape(label, quote=True)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{text}" '
            f'viewBox="-1 -1 {w:g} {h:g}" width="{w:g}" height="{h:g}" '
            'style="font-family: system-ui, sans-serif; font-size: 12px" fill="currentColor">',
            f"<title>{html.escape(label)}</title>",
            *body,
            "</svg>",
        ]
    )


def im2col_panels(
    x: np.ndarray, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0
) -> list[list[Panel]]:
    """One figure row per patch of a one-channel image: the padded image with the patch
    coloured, an arrow, and the row of `im2col` that holds it, in the same colour.

    Args:
        x: One image with one channel, shape ``(1, 1, H, W)``.
        filter_h: Patch height.
        filter_w: Patch width.
        stride: Step between patches.
        pad: Zeros added on each side (drawn in grey).

    Returns:
        The rows of panels for `grids_svg`.

    Examples:
        >>> rows = im2col_panels(np.arange(9.0).reshape(1, 1, 3, 3), 2, 2)
        >>> len(rows), [p.title for p in rows[0]], rows[0][1].values.tolist()
        (4, ['x', 'col[0]'], [[0.0, 1.0, 3.0, 4.0]])
    """
    x = images("im2col_panels", x)
    if x.shape[:2] != (1, 1):
        raise ValueError(f"im2col_panels: x must be one image of one channel, got {x.shape}")
    _, OW = output_size("im2col_panels", x.shape, filter_h, filter_w, stride, pad)
    col = im2col(x, filter_h, filter_w, stride, pad)  # (OH·OW, FH·FW)
    img = np.pad(x[0, 0], pad)  # (H + 2P, W + 2P)
    padding = np.pad(np.zeros(x.shape[2:], dtype=bool), pad, constant_values=True)
    rows = []
    for k in range(col.shape[0]):
        i, j = divmod(k, OW)
        colors = np.full(img.shape, -1)
        colors[i * stride : i * stride + filter_h, j * stride : j * stride + filter_w] = k
        left = Panel("x", img, colors, colors == k, padding)
        right = Panel(f"col[{k}]", col[k : k + 1], np.full((1, col.shape[1]), k))
        rows.append([left, right])
    return rows


def max_pooling_panels(x: np.ndarray, pool: MaxPooling, dout: np.ndarray) -> list[list[Panel]]:
    """Two figure rows for a one-channel image: ``x → out`` (forward) and ``dout → dx``.

    Each window has its colour; each window's winner is in bold in ``x`` and in ``dx``, where
    the window's gradient arrives; inputs that won nothing get 0, in grey.

    Args:
        x: One image with one channel, shape ``(1, 1, H, W)``, windows that do not overlap.
        pool: The `MaxPooling` layer (run forward and backward here).
        dout: The upstream gradient, the output's shape ``(1, 1, OH, OW)``.

    Returns:
        The rows of panels for `grids_svg`.

    Examples:
        >>> x = np.array([[[[1.0, 3.0], [4.0, 2.0]]]])
        >>> rows = max_pooling_panels(x, MaxPooling(2, 2), np.array([[[[5.0]]]]))
        >>> [[p.title for p in row] for row in rows], rows[1][1].values.tolist()
        ([['x', 'out'], ['dout', 'dx']], [[0.0, 0.0], [5.0, 0.0]])
    """
    x = images("max_pooling_panels", x)
    if x.shape[:2] != (1, 1):
        raise ValueError(f"max_pooling_panels: x must be one image of one channel, got {x.shape}")
    out = pool.forward(x)
    assert pool.arg_max is not None  # forward ran: the winner of each window, (OH·OW,)
    winners = pool.arg_max.copy()
    dx = pool.backward(dout)
    _, _, OH, OW = out.shape
    S, P, PH, PW = pool.stride, pool.pad, pool.pool_h, pool.pool_w
    windows = np.full(x.shape[2:], -1)  # the window of each input cell (the last, if several)
    won = np.zeros(x.shape[2:], dtype=bool)
    for k, a in enumerate(winners):
        i, j = divmod(k, OW)
        top, left = i * S - P, j * S - P  # the window's corner, in unpadded cells
        windows[max(top, 0) : top + PH, max(left, 0) : left + PW] = k
        won[top + a // PW, left + a % PW] = True
    ids = np.arange(OH * OW).reshape(OH, OW)
    every = np.ones((OH, OW), dtype=bool)
    return [
        [Panel("x", x[0, 0], windows, won), Panel("out", out[0, 0], ids, every)],
        [
            Panel("dout", np.asarray(dout)[0, 0], ids),
            Panel("dx", dx[0, 0], np.where(won, windows, -1), won, ~won),
        ],
    ]
