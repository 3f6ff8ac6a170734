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


def _page(article: str) -> str:
    head = '<head><link rel="stylesheet" href="../assets/katex/katex.min.css"></head>'
    return f'<html>{head}<body><article class="md-content__inner md-typeset">{article}</article>'


def test_a_page_asks_early_for_the_fonts_of_its_opening_formulas(katex):
    page = katex.render_page(
        _page(
            '<h1>T</h1><p><span class="arithmatex">\\(x \\cdot W\\)</span></p>'
            '<h2>One</h2><div class="arithmatex">\\[\\sum_i \\mathbb{R}\\]</div>'
            '<h2>Two</h2><p><span class="arithmatex">\\(\\mathcal{L}\\)</span></p>'
        ),
        "p.md",
    )
    # x: KaTeX_Math italic; the sum, display size: Size2; \mathbb: AMS; \mathcal only after
    # the second section heading, out of the first screens: not asked for
    fonts = katex.fonts_of(katex.opening(page))
    assert fonts[0] == "KaTeX_Main-Regular.woff2"
    assert {
        "KaTeX_Math-Italic.woff2",
        "KaTeX_Size2-Regular.woff2",
        "KaTeX_AMS-Regular.woff2",
    } <= set(fonts)
    assert "KaTeX_Caligraphic-Regular.woff2" in katex.fonts_of(page)
    assert "KaTeX_Caligraphic-Regular.woff2" not in fonts
    out = katex.preload_fonts(page)
    head = out.split("</head>")[0]
    for font in fonts:
        href = f'href="../assets/katex/fonts/{font}"'
        assert f'<link rel="preload" {href} as="font" type="font/woff2" crossorigin>' in head
    assert head.count('rel="preload"') == len(fonts)
    assert out.split("</head>")[1] == page.split("</head>")[1]  # the body is untouched


def test_every_font_file_a_rule_names_is_shipped_with_katex(katex):
    rules = katex.font_rules()
    assert len(rules) > 20
    shipped = {p.name for p in (katex.KATEX / "fonts").glob("*.woff2")}
    assert {file for _, _, file in rules} <= shipped
    # a rule on two classes of one element needs both on one element, not anywhere in the page
    two = '<span class="delimsizing">(</span><span class="sizing size4">x</span>'
    assert "KaTeX_Size4-Regular.woff2" not in katex.fonts_of('<span class="katex">' + two)


def test_a_page_without_katex_output_asks_for_no_font(katex):
    page = _page("<p>No formula here.</p>")
    assert katex.fonts_of(page) == [] and katex.preload_fonts(page) == page
