"""hooks/katex_math.py: every formula is typeset at build time, nothing else is touched."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from tests.helpers import load_hook


@pytest.fixture(scope="module")
def katex():
    hook = load_hook("katex_math")
    yield hook
    hook.on_post_build(config=None)  # stops the Node process


def test_inline_and_display_math_become_katex_html_in_their_wrapper(katex):
    page = (
        '<p>A node <span class="arithmatex">\\(y = x \\cdot W\\)</span>.</p>'
        '<div class="arithmatex">\\[\\frac{\\partial L}{\\partial x} = y(1 - y)\\]</div>'
    )
    out = katex.render_page(page, "demo.md")
    assert out.count('<span class="arithmatex"><span class="katex">') == 1
    assert '<div class="arithmatex"><span class="katex-display">' in out
    # MathML with the TeX source stays for screen readers; no raw delimiters remain
    assert '<annotation encoding="application/x-tex">y = x \\cdot W</annotation>' in out
    assert "\\(" not in out.replace("<annotation", "\0").split("\0")[0]


def test_html_escapes_in_the_tex_are_undone_before_typesetting(katex):
    out = katex.render_page('<span class="arithmatex">\\(a &lt; b\\)</span>', "demo.md")
    assert "a &lt; b</annotation>" in out  # escaped once, by KaTeX, not twice


def test_notebook_markdown_cells_are_typeset_but_code_is_not(katex):
    cell = (
        '<div class="jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">'
        "<p>watch $y(1-y)$ appear; it costs $5 and $6; $$E = mc^2$$</p>"
        "<pre><code>price = $x$</code></pre></div>"
    )
    out = katex.render_page(cell, "lab.ipynb")
    assert out.count('class="katex"') == 2  # y(1-y) and the display formula
    assert "it costs $5 and $6" in out  # money, not math: a space just inside the dollars
    assert "<pre><code>price = $x$</code></pre>" in out


def test_math_in_navigation_titles_is_typeset(katex):
    nav = '<span class="md-ellipsis">\n Its backward pass is \\((y - t)/N\\)\n</span>'
    out = katex.render_page(nav + '<span class="arithmatex">\\(N\\)</span>', "p.md")
    assert out.count('class="katex"') == 2
    assert "\\((y - t)/N\\)" not in out


def test_a_formula_katex_cannot_parse_fails_with_the_page_and_the_formula(katex):
    with pytest.raises(PluginError, match=r"broken\.md: cannot typeset '\\\\frac\{1\}'"):
        katex.render_page('<span class="arithmatex">\\(\\frac{1}\\)</span>', "broken.md")


def test_a_page_without_math_is_returned_unchanged(katex):
    page = "<p>No formulas, only $ signs in code: <code>$HOME</code></p>"
    assert katex.on_post_page(page, page=None, config=None) == page
