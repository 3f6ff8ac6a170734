"""MkDocs hook: search results show each formula as text, not as its TeX source.

Material's search plugin reads a page before ``hooks/katex_math.py`` typesets it, so the index it
writes holds every formula as TeX between ``\\(`` and ``\\)`` (or ``\\[`` and ``\\]``), and a
result's title and excerpt read ``Simplifying to \\(y(1 - y)\\)`` or
``\\(\\partial L/\\partial a_j\\)``. After the build this hook rewrites the edition's
``search/search_index.json``: each formula outside inline code becomes plain text
(pylatexenc's ``LatexNodes2Text``: Greek letters and operators as Unicode, ``\\frac{a}{b}`` as
``a/b``, sub- and superscripts as ``_`` and ``^``). Readers see ``Simplifying to y(1 - y)`` and
``∂L/∂a_j``, and a search for ``frac`` or ``text`` no longer finds every formula. A lab's
entries hold the ``$`` formulas of its Markdown cells (mkdocs-jupyter keeps them as written):
those become text too. The rest of the index, and its format (Material's ``json.dumps`` with
compact separators), is unchanged.
"""

from __future__ import annotations

import functools
import html
import json
import re
import sys
from pathlib import Path

from pylatexenc import latex2text, latexwalker
from pylatexenc.macrospec import LatexContextDb, MacroSpec

try:
    from katex_math import NOTEBOOK_MATH
except ModuleNotFoundError:  # loaded by importlib (the tests), not by MkDocs: add its folder
    sys.path.append(str(Path(__file__).resolve().parent))
    from katex_math import NOTEBOOK_MATH

# A formula as Material's index holds it (HTML-escaped text): \( inline \) or \[ display \].
FORMULA = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
# In a notebook's Markdown cells (mkdocs-jupyter keeps their text), $$ display $$ or $ inline $:
# katex_math's NOTEBOOK_MATH, so that search reads as text exactly the formulas KaTeX typesets.
INLINE_CODE = re.compile(r"(<(?:code|pre)>.*?</(?:code|pre)>)", re.DOTALL)  # left as written

# Operator names that pylatexenc writes without the space TeX puts after them ("logy").
_SPACED = ["log", "exp", "max", "min", "argmax", "tanh", "sin", "cos", "lim", "ln"]
_FRACTIONS = ["frac", "tfrac", "dfrac"]  # and \frac's text-style and display-style forms
_COMPOUND = re.compile(r"[\s+\-−=/·×]")  # a numerator or denominator that needs parentheses
_PADDED = re.compile(r"(?<=\()\s+|\s+(?=\))")  # "( softmax )" -> "(softmax)"


def _contexts() -> tuple[LatexContextDb, LatexContextDb]:
    """pylatexenc's parsing and text rules (copies), with the book's few additions."""
    walker = latexwalker.get_default_latex_context_db().filter_context()
    fractions = [MacroSpec(name, "{{") for name in _FRACTIONS]
    walker.add_context_category(
        "backprop-book", prepend=True, macros=[MacroSpec("xrightarrow", "[{"), *fractions]
    )
    text = latex2text.get_default_latex_context_db().filter_context()
    spaced = [latex2text.MacroTextSpec(name, simplify_repl=f"{name} ") for name in _SPACED]
    arrow = latex2text.MacroTextSpec("xrightarrow", simplify_repl=_arrow)
    fractions = [latex2text.MacroTextSpec(name, simplify_repl=_fraction) for name in _FRACTIONS]
    text.add_context_category("backprop-book", prepend=True, macros=[*spaced, arrow, *fractions])
    return walker, text


def _arguments(node, l2tobj: latex2text.LatexNodes2Text, count: int) -> list[str]:
    """The text of a macro's last ``count`` arguments; "" for one the TeX left out (``\\frac{1}``).

    pylatexenc passes the converter as ``l2tobj`` (it looks for that argument name).
    """
    given = list(node.nodeargd.argnlist) if node.nodeargd is not None else []
    given = ([None] * count + given)[-count:]
    return ["" if arg is None else l2tobj.nodelist_to_text([arg]).strip() for arg in given]


def _fraction(node, l2tobj: latex2text.LatexNodes2Text) -> str:
    """``a/b``, each part in parentheses if it has more than one term: ``(a + b)/c``."""
    parts = _arguments(node, l2tobj, 2)
    return "/".join(f"({part})" if _COMPOUND.search(part) else part for part in parts)


def _arrow(node, l2tobj: latex2text.LatexNodes2Text) -> str:
    """``\\xrightarrow{label}`` as `` →(label) ``, or `` → `` without a label."""
    (label,) = _arguments(node, l2tobj, 1)
    return f" →({label}) " if label else " → "


_WALKER_CONTEXT, _TEXT_CONTEXT = _contexts()
_TEXT = latex2text.LatexNodes2Text(latex_context=_TEXT_CONTEXT, math_mode="text")


@functools.cache
def math_text(tex: str) -> str:
    """The plain text of one formula's TeX, whitespace collapsed.

    Examples:
        >>> math_text(r"\\partial L/\\partial a_j")
        '∂L/∂a_j'
        >>> math_text(r"\\frac{1}{N}\\sum_n \\log y_n")
        '1/N∑_n log y_n'
    """
    walker = latexwalker.LatexWalker(tex, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    nodes = walker.get_latex_nodes()[0]
    return _PADDED.sub("", " ".join(_TEXT.nodelist_to_text(nodes).split()))


def plain_formulas(fragment: str, *, notebook: bool = False) -> str:
    """``fragment`` (HTML text of the index) with each formula outside ``<code>`` as plain text.

    A notebook's entries (``notebook=True``) also hold the ``$`` formulas of its Markdown cells;
    on a page, a ``$`` that arithmatex left is a dollar sign.

    Examples:
        >>> plain_formulas(r"Simplifying to \\(y(1 - y)\\)")
        'Simplifying to y(1 - y)'
        >>> plain_formulas(r"when \\(x &lt; 0\\), see <code>\\(x\\)</code>")
        'when x &lt; 0, see <code>\\\\(x\\\\)</code>'
        >>> plain_formulas(r"the sigmoid $y = \\dfrac{1}{1 + \\exp(-x)}$", notebook=True)
        'the sigmoid y = 1/(1 + exp (-x))'
    """

    def one(match: re.Match[str]) -> str:
        tex = next(group for group in match.groups() if group is not None)
        return html.escape(math_text(html.unescape(tex)), quote=False)

    def formulas(text: str) -> str:
        text = FORMULA.sub(one, text)
        return NOTEBOOK_MATH.sub(one, text) if notebook else text

    parts = INLINE_CODE.split(fragment)
    return "".join(part if i % 2 else formulas(part) for i, part in enumerate(parts))


def on_post_build(config, **kwargs) -> None:
    """Rewrite the edition's search index (written by Material's search plugin just before)."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        notebook = str(doc.get("location", "")).startswith("notebooks/")
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = plain_formulas(doc[field], notebook=notebook)
    path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
