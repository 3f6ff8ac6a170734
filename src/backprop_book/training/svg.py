"""Figures as SVG text for a page: the book's matplotlib style and `figure_to_svg`.

`figure_to_svg` turns a `matplotlib.figure.Figure` (no pyplot, no window, never ``show()``) into
SVG text that gives the same bytes on every run, so the site build is reproducible. The style
(`book_style`) draws on a transparent background with mid-tone line colours (`COLORS`) and
text in ``currentColor`` (the page's own text colour), so a figure reads in the light and in the
dark theme. `backprop_book.training.plotting` draws the book's plots with both.

Text is drawn with DejaVu Sans (it ships with matplotlib) and, for the glyphs DejaVu lacks
(Hangul on the Korean pages), with Noto Sans CJK KR, which the set-up installs (Debian's
``fonts-noto-cjk``; ``scripts/setup.sh``). Glyphs are written as paths (``svg.fonttype: path``),
so a reader needs neither font. A figure with Hangul and no Hangul font on the machine is an
error that says how to install one, never a figure of empty boxes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.rcsetup import cycler
from matplotlib.text import Text

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "COLORS",
    "HANGUL_FONT",
    "HANGUL_FONTS",
    "INK",
    "book_figure",
    "book_style",
    "figure_to_svg",
]

# Mid-tone colours that keep their contrast on a white and on a near-black page.
COLORS = ("#4e79d8", "#e8743b", "#2ca58d", "#b05fc9", "#d4a017", "#8c8c8c")
# Text and axes are drawn in this colour, then written as ``currentColor`` into the SVG.
INK = "#7f7f7e"

# The Hangul font: Debian's fonts-noto-cjk (scripts/setup.sh installs it). Its files are font
# collections; matplotlib 3.10 (the last for Python 3.10) reads only a collection's first face,
# "Noto Sans CJK JP", whose Hangul glyphs are those of the KR face, so either one will do.
HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans CJK JP")


def _hangul_font() -> str | None:
    for name in HANGUL_FONTS:
        try:
            font_manager.findfont(name, fallback_to_default=False)
        except ValueError:
            continue
        return name
    return None


HANGUL_FONT = _hangul_font() or HANGUL_FONTS[0]
HAS_HANGUL_FONT = _hangul_font() is not None

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "backprop_book",
    "svg.fonttype": "path",  # glyphs as paths: same look everywhere, no font needed
    # DejaVu ships with matplotlib; matplotlib falls back, glyph by glyph, to the Hangul font
    "font.family": ["DejaVu Sans", HANGUL_FONT] if HAS_HANGUL_FONT else ["DejaVu Sans"],
    "font.size": 10,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "axes.titlecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "legend.labelcolor": INK,
    "grid.color": "#9a9a9a",
    "grid.alpha": 0.35,
    "axes.prop_cycle": cycler(color=COLORS),
    "path.simplify": True,
}


@contextlib.contextmanager
def book_style() -> Iterator[None]:
    """Draw in the book's style inside the ``with`` block (``matplotlib.rc_context``).

    Examples:
        >>> with book_style():
        ...     fig = Figure(figsize=(2, 1))
        >>> fig.get_facecolor()[3]  # transparent
        0.0
    """
    with mpl.rc_context(RC):
        yield


def book_figure(figsize: tuple[float, float]) -> Figure:
    """A new `Figure` in the book's style, with constrained layout.

    Examples:
        >>> book_figure((3.0, 2.0)).get_size_inches().tolist()
        [3.0, 2.0]
    """
    with book_style():
        return Figure(figsize=figsize, layout="constrained")


def _label_of(fig: Figure) -> str:
    texts = [fig.get_suptitle()] + [ax.get_title() for ax in fig.axes]
    label = "; ".join(t for t in texts if t)
    return label or "Figure"


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text)


def _hangul_texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if isinstance(t, Text) and _has_hangul(t.get_text())]


def _use_hangul_font(fig: Figure) -> None:
    """Give every text with Hangul the book's font list (DejaVu, then the Hangul font).

    A text keeps the font family that was current when it was made, so a figure made outside
    `book_style` (a page's own ``Figure(...)``) would draw its Hangul with DejaVu, as boxes.
    """
    hangul = _hangul_texts(fig)
    if hangul and not HAS_HANGUL_FONT:
        raise RuntimeError(
            f"figure_to_svg: the figure has Hangul text but matplotlib finds no {HANGUL_FONT!r} "
            "font; install Debian's fonts-noto-cjk (scripts/setup.sh does it as root, or "
            "`sudo apt-get install fonts-noto-cjk`), then remove matplotlib's font cache "
            "(~/.cache/matplotlib) so that it sees the new font"
        )
    for text in hangul:
        text.set_fontfamily(RC["font.family"])


def figure_to_svg(fig: Figure, label: str | None = None) -> str:
    """Render ``fig`` as SVG text that can be printed straight into an HTML page.

    The bytes are deterministic (fixed hash salt, no date, fixed font, glyphs as paths); the
    XML header, DOCTYPE and metadata block (creator, version) are removed; the root ``<svg>``
    gets ``role="img"``, an ``aria-label`` and a ``<title>``; and every ``id`` gets a prefix
    derived from the content so that several figures on one page do not share ids.

    Args:
        fig: a matplotlib figure.
        label: the text alternative; by default the figure's titles.

    Examples:
        >>> fig = book_figure((3.0, 2.0))
        >>> fig.add_subplot().set_title("A falling loss")  # doctest: +ELLIPSIS
        Text(...)
        >>> svg = figure_to_svg(fig, "A falling loss")
        >>> svg.startswith("<svg") and 'role="img"' in svg and "<title>A falling loss" in svg
        True
        >>> svg == figure_to_svg(fig, "A falling loss")
        True
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_to_svg: expected a matplotlib Figure, got {type(fig).__name__}")
    _use_hangul_font(fig)
    label = _label_of(fig) if label is None else label
    buf = io.StringIO()
    with book_style():
        # The layout engine (constrained layout) places the axes as savefig draws, and would
        # move them a little on every later draw: it is switched off after this one, so the same
        # figure gives the same bytes again (one draw, not a draw to settle and one to write)
        fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=True)
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine("none")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop <?xml …?> and <!DOCTYPE …>
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = svg.replace(INK, "currentColor")
    prefix = "bp" + hashlib.sha256(svg.encode()).hexdigest()[:8]
    for name in set(re.findall(r'\bid="([^"]+)"', svg)):
        new = f"{prefix}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{new}"')
        svg = svg.replace(f'"#{name}"', f'"#{new}"').replace(f"url(#{name})", f"url(#{new})")
    text = escape(label, {'"': "&quot;"})
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{text}"', svg, count=1)
    head_end = svg.index(">") + 1
    return svg[:head_end] + f"\n <title>{escape(label)}</title>" + svg[head_end:]
