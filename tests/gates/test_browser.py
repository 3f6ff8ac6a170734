"""The built site in a real browser (Debian's Chromium through Playwright).

Every page loads with no console error, every formula typeset, no request off 127.0.0.1 and
every image loaded: the site tour (``test_tour.py``) checks that, and
``test_a_broken_page_is_caught`` shows it catches each problem. Here: the formulas come from
the KaTeX copy that set-up installed, search finds a page by a word from it (its index
fetched only when the reader reaches for search), and the light/dark toggle works.
"""

from __future__ import annotations

import pytest

from tests.helpers.browser import search_links, serve
from tests.helpers.tour import tour_tab, visit


def test_a_broken_page_is_caught(browser, tmp_path):
    """Each rendering problem the tour looks for, planted in a page of a tiny site; the clean
    page visited next in the same tab (as the tour does) inherits none of them."""
    (tmp_path / "index.html").write_text(_BROKEN.format(palettes=_PALETTES), encoding="utf-8")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "index.html").write_text(_CLEAN.format(palettes=_PALETTES), "utf-8")
    with serve(tmp_path, prefix="/") as url, tour_tab(browser) as tab:
        broken = visit(browser, url, tmp_path, "", tab=tab)
        clean = visit(browser, url, tmp_path, "clean/", tab=tab)
    assert clean.rendering_problems() == []
    found = "\n".join(broken.rendering_problems())
    for what in ["console errors", "requests leaving the machine", "failed requests",
                 "formulas KaTeX did not typeset", "broken images", "raw $$"]:  # fmt: skip
        assert what in found, found
    assert broken.outside_requests == ["http://example.invalid/font.woff2"]
    assert broken.untypeset == ["x^2"]


# The two palettes of Material's header, which the tour's axe run switches between.
_PALETTES = """<input type="radio" hidden data-md-color-scheme="default" data-md-color-media=""
  data-md-color-primary="indigo" data-md-color-accent="orange">
<input type="radio" hidden data-md-color-scheme="slate" data-md-color-media=""
  data-md-color-primary="indigo" data-md-color-accent="orange">"""
_CLEAN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body data-md-color-scheme="default">{palettes}<main><article><h1>Clean</h1>
<p>Nothing wrong.</p></article></main></body></html>"""
_BROKEN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<link rel="preload" as="font" crossorigin href="http://example.invalid/font.woff2"></head>
<body data-md-color-scheme="default">{palettes}<main><article><h1>Broken</h1>
<p>Math left as source: $$a + b$$</p><span class="arithmatex">x^2</span>
<img src="missing.png" alt="A missing picture">
<script>console.error("planted error")</script>
</article></main></body></html>"""


def test_math_is_typeset_at_build_and_styled_by_local_katex(open_page):
    rec = open_page("")
    page = rec.page
    assert page.locator(".arithmatex .katex").count() > 0, "the home page shows no typeset formula"
    sources = page.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert not any("katex" in s for s in sources), "KaTeX runs at build time, not in the browser"
    assert all(s.startswith("http://127.0.0.1") for s in sources), sources
    styles = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any(s.endswith("assets/katex/katex.min.css") for s in styles), styles


def test_search_finds_a_page_by_a_word_from_it(open_page):
    rec = open_page("", width=1400)
    links = search_links(rec.page, "conda")
    assert any("/getting-started/" in h for h in links), links
    assert not rec.console_errors


# Whether the page has fetched its edition's search index (resource timing lists each fetch).
INDEX_FETCHED = (
    "() => performance.getEntriesByType('resource')"
    ".some(e => new URL(e.name).pathname.endsWith('search/search_index.json'))"
)


def test_the_search_index_waits_until_the_reader_reaches_for_search(open_page):
    """The largest file a page would fetch, and the worker's work of building it, wait for the
    reader (overrides/partials/search-on-demand.html): a pointer over the search box, a search
    key, or a page opened from a search result (``?h=``, whose words are highlighted)."""
    english = open_page("graphs/chain-rule/")
    page = english.page
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-search").count() == 1
    assert not page.evaluate(INDEX_FETCHED), "the search index was fetched on load"
    # Every other request is the browser's own, its errors too (here a URL that is none).
    opened = (
        "() => { try { new XMLHttpRequest().open('GET', 'http://[x'); } "
        "catch (e) { return e.name; } }"
    )
    assert page.evaluate(opened) == "SyntaxError"
    page.locator("label.md-search__icon, .md-search__input").first.hover()
    page.wait_for_function(INDEX_FETCHED, timeout=10000)  # else: pointing at it fetched nothing

    korean = open_page("ko/graphs/chain-rule/")
    korean.page.wait_for_load_state("networkidle")
    assert not korean.page.evaluate(INDEX_FETCHED)
    korean.page.keyboard.press("/")  # Material's shortcut: focus in the search box
    assert korean.page.evaluate("document.activeElement.matches('input.md-search__input')")
    korean.page.wait_for_function(INDEX_FETCHED, timeout=10000)  # else: the key fetched nothing
    ko_index = korean.page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.endsWith('search/search_index.json'))"
    )
    assert len(ko_index) == 1 and "/ko/search/" in ko_index[0], ko_index

    found = open_page("graphs/chain-rule/?h=chain")
    found.page.wait_for_function(INDEX_FETCHED, timeout=10000)
    found.page.wait_for_selector("article mark", timeout=10000)  # search.highlight's marks
    for record in (english, korean, found):
        assert record.console_errors == [] and record.failed_requests == []


@pytest.mark.parametrize("start, toggled", [("light", "slate"), ("dark", "default")])
def test_light_dark_toggle(open_page, start, toggled):
    rec = open_page("", color_scheme=start)
    page = rec.page
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') === '{toggled}'", timeout=5000
    )
    assert before != toggled
    assert not rec.console_errors
