"""MkDocs hook: typeset every formula at build time with KaTeX, so readers' devices run none.

``pymdownx.arithmatex`` (generic mode) leaves ``<span class="arithmatex">\\(…\\)</span>`` and
``<div class="arithmatex">\\[…\\]</div>`` in the Markdown pages; the notebook pages
(mkdocs-jupyter) carry ``$…$`` and ``$$…$$`` in their rendered Markdown cells. This hook replaces
each formula with KaTeX's HTML and MathML (MathML is what screen readers read), keeping the
``arithmatex`` wrapper, so a page shows typeset math with JavaScript off and loads only KaTeX's
stylesheet and fonts (``hooks/offline_assets.py`` copies them). KaTeX is the copy of
``package-lock.json`` in ``node_modules``, run by one Node process per build
(``hooks/katex_render.cjs``), one request per page. A formula KaTeX cannot parse fails the
build with the page and the formula. This runs on the finished HTML (``on_post_page``), after
the search plugin has read the page: the index gets each formula as plain text from
``hooks/search_math.py``, which finds a notebook's formulas with ``NOTEBOOK_MATH`` too.

A page with formulas also asks for the KaTeX fonts they use in its ``<head>``
(``<link rel="preload" as="font">``, `preload_fonts`): otherwise the browser finds a font only
when it lays out the first formula, fetches it then and lays the formulas out again, all before
the page's load event. Only the fonts of the page's opening are asked for (its article up to
the second section heading, about what the first screens show: the browser lays out the rest
as the reader scrolls, and a font fetched for it before the load event would only delay that
event). Which fonts formulas use follows from KaTeX's own stylesheet: each of its rules that
picks a font names the classes it applies to (``.katex .mathnormal``: KaTeX_Math, italic), and
the formulas carry those classes.
"""

from __future__ import annotations

import atexit
import functools
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).with_name("katex_render.cjs")
KATEX = ROOT / "node_modules" / "katex" / "dist"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*)katex\.min\.css">')
CLASSES = re.compile(r'class="([^"]*)"')
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">')
SECTION = re.compile(r"<h2\b")

ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
NOTEBOOK_MARKDOWN = re.compile(
    r'(<div class="[^"]*\bjp-MarkdownOutput\b[^"]*"[^>]*>)(.*?)(</div>)', re.S
)
# Inside a notebook's Markdown cell: skip tags and code, typeset $$…$$ then $…$ in the text.
NOTEBOOK_SKIP = re.compile(r"(<(code|pre)\b.*?</\2>|<[^>]+>)", re.S)
# Headings with math appear as plain text in the navigation and the table of contents.
NAV_TITLE = re.compile(r'(<span class="md-ellipsis">)(.*?)(</span>)', re.S)
NAV_MATH = re.compile(r"\\\((.+?)\\\)", re.S)
NOTEBOOK_MATH = re.compile(
    r"\$\$(?P<display>.+?)\$\$"  # $$ display $$
    r"|\$(?P<inline>[^\s$](?:[^$]*?[^\s$])?)\$",  # $inline$: no space just inside the dollars
    re.S,
)

_process: subprocess.Popen[str] | None = None
_cache: dict[tuple[str, bool], str] = {}


def _renderer() -> subprocess.Popen[str]:
    global _process
    if _process is None or _process.poll() is not None:
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "katex").is_dir():
            raise PluginError(
                "katex_math: math is typeset at build time with Node and KaTeX; run "
                "`make setup` (it runs `npm ci`) so that `node` and node_modules/katex exist"
            )
        _process = subprocess.Popen(
            [node, str(RENDERER)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )  # fmt: skip
        atexit.register(_stop)
    return _process


def _stop() -> None:
    global _process
    if _process is not None:
        _process.stdin.close()  # type: ignore[union-attr]
        _process.wait(timeout=10)
        _process = None


def typeset(formulas: list[tuple[str, bool]], where: str) -> list[str]:
    """KaTeX's HTML for each ``(tex, display)``, in order (rendered once per distinct formula)."""
    todo = sorted({f for f in formulas if f not in _cache})
    if todo:
        process = _renderer()
        process.stdin.write(json.dumps(todo) + "\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
        answer = process.stdout.readline()  # type: ignore[union-attr]
        if not answer:
            raise PluginError(f"katex_math: the KaTeX process stopped while typesetting {where}")
        for (tex, display), result in zip(todo, json.loads(answer), strict=True):
            if "error" in result:
                raise PluginError(f"katex_math: {where}: cannot typeset {tex!r}: {result['error']}")
            _cache[tex, display] = result["html"]
    return [_cache[f] for f in formulas]


def _arithmatex_tex(body: str) -> tuple[str, bool]:
    tex = html.unescape(body).strip()
    for left, right, display in (("\\(", "\\)", False), ("\\[", "\\]", True), ("$$", "$$", True)):
        if tex.startswith(left) and tex.endswith(right):
            return tex[len(left) : len(tex) - len(right)].strip(), display
    raise PluginError(f"katex_math: an arithmatex element without delimiters: {body[:80]!r}")


def render_page(output: str, where: str) -> str:
    """``output`` with every formula typeset (the function the hook and the tests call)."""
    found = [(m, _arithmatex_tex(m["body"])) for m in ARITHMATEX.finditer(output)]
    cells = []
    for cell in NOTEBOOK_MARKDOWN.finditer(output):
        pieces = NOTEBOOK_SKIP.split(cell.group(2))
        cells.append((cell, pieces))
    notebook_formulas = [
        (html.unescape(m["display"] or m["inline"]).strip(), m["display"] is not None)
        for _, pieces in cells
        for piece in pieces[::3]  # text between tags (split keeps 2 groups per separator)
        for m in NOTEBOOK_MATH.finditer(piece or "")
    ]
    nav_formulas = [
        (html.unescape(m.group(1)).strip(), False)
        for title in NAV_TITLE.finditer(output)
        for m in NAV_MATH.finditer(title.group(2))
    ]
    rendered = iter(typeset([f for _, f in found] + notebook_formulas + nav_formulas, where))
    arith = notebook = nav = rendered  # consumed in the order they were collected

    def arithmatex(m: re.Match[str]) -> str:
        return f'<{m["tag"]} class="arithmatex">{next(arith)}</{m["tag"]}>'

    output = ARITHMATEX.sub(arithmatex, output)

    def cell_sub(m: re.Match[str]) -> str:
        pieces = NOTEBOOK_SKIP.split(m.group(2))
        out = []
        for i, piece in enumerate(pieces):
            if i % 3 == 0:
                out.append(NOTEBOOK_MATH.sub(lambda _: next(notebook), piece or ""))
            elif i % 3 == 1:
                out.append(piece)
        return m.group(1) + "".join(out) + m.group(3)

    output = NOTEBOOK_MARKDOWN.sub(cell_sub, output)

    def nav_sub(m: re.Match[str]) -> str:
        return m.group(1) + NAV_MATH.sub(lambda _: next(nav), m.group(2)) + m.group(3)

    output = NAV_TITLE.sub(nav_sub, output)
    if next(rendered, None) is not None:  # every formula collected must have found its place
        raise PluginError(f"katex_math: {where}: formulas and their places did not match")
    return output


@functools.cache
def font_rules(css_path: Path = KATEX / "katex.min.css") -> tuple[tuple[Any, Any, str], ...]:
    """``(own classes, ancestors' classes, font file)`` for each KaTeX rule that picks a font.

    ``.katex .mathnormal{font-family:KaTeX_Math;font-style:italic}`` gives
    ``({"mathnormal"}, set(), "KaTeX_Math-Italic.woff2")``; a rule that sets only the style or the
    weight keeps KaTeX_Main, the family of ``.katex``. Fonts KaTeX does not ship are left out.
    """
    css = re.sub(r"@font-face\{[^}]*\}", "", css_path.read_text(encoding="utf-8"))
    fonts = {p.name for p in (css_path.parent / "fonts").glob("*.woff2")}
    rules = []
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        family = re.search(r"font-family:(KaTeX_\w+)", declarations)
        bold = re.search(r"font-weight:(700|bold)", declarations) is not None
        italic = "font-style:italic" in declarations
        if family is None and not (bold or italic or "font-style:normal" in declarations):
            continue
        variant = {(0, 0): "Regular", (1, 0): "Bold", (0, 1): "Italic", (1, 1): "BoldItalic"}
        file = f"{family.group(1) if family else 'KaTeX_Main'}-{variant[bold, italic]}.woff2"
        for selector in selectors.split(","):
            # the last compound that names classes is one element; the rest are its ancestors
            compounds = [re.findall(r"\.([\w-]+)", c) for c in re.split(r"[\s>+~]+", selector)]
            own = next((frozenset(c) for c in reversed(compounds) if c), frozenset())
            others = frozenset(n for c in compounds for n in c) - own - {"katex"}
            if selector.strip().startswith(".katex") and own - {"katex"} and file in fonts:
                rules.append((own, others, file))
    return tuple(rules)


def fonts_of(output: str) -> list[str]:
    """The KaTeX font files the formulas of a page use: KaTeX_Main-Regular, then by rule."""
    if 'class="katex' not in output:
        return []
    elements = {frozenset(found.split()) for found in CLASSES.findall(output)}
    present = {name for classes in elements for name in classes}
    used = {
        file
        for own, others, file in font_rules()
        if others <= present and any(own <= classes for classes in elements)
    }
    return ["KaTeX_Main-Regular.woff2", *sorted(used - {"KaTeX_Main-Regular.woff2"})]


def opening(output: str) -> str:
    """A page's article up to its second section heading (all of it if it has fewer)."""
    article = ARTICLE.search(output)
    body = output[article.end() :] if article else output
    sections = [m.start() for m in SECTION.finditer(body)]
    return body[: sections[1]] if len(sections) > 1 else body


def preload_fonts(output: str) -> str:
    """``output`` asking in its ``<head>`` for the KaTeX fonts of its `opening`'s formulas."""
    stylesheet = STYLESHEET.search(output)
    fonts = fonts_of(opening(output))
    if stylesheet is None or not fonts or "</head>" not in output:
        return output
    links = "".join(
        f'<link rel="preload" href="{stylesheet.group(1)}fonts/{font}" as="font" '
        'type="font/woff2" crossorigin>'
        for font in fonts
    )
    return output.replace("</head>", links + "</head>", 1)


def on_post_page(output, page, config, **kwargs):
    if "arithmatex" not in output and "jp-MarkdownOutput" not in output:
        return output
    return preload_fonts(render_page(output, page.file.src_uri))


def on_post_build(config, **kwargs):
    _stop()


def on_shutdown(**kwargs):
    _stop()
