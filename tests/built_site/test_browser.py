"""The built site in a real browser (Debian's Chromium through Playwright).

For every page: it loads with no console error, every formula is typeset by the KaTeX copy
that set-up installed, no request leaves 127.0.0.1, every image loads; search finds a page by
a word from it; the light/dark toggle works. A screenshot of each page is saved under
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import pytest


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "__") or "home"


def test_every_page_renders_offline(site_pages, open_page, screenshots_dir):
    problems = []
    for path in site_pages:
        rec = open_page(path)
        page = rec.page
        page.wait_for_function(
            "document.querySelectorAll('.arithmatex').length === 0 || "
            "document.querySelectorAll('.arithmatex .katex').length > 0",
            timeout=5000,
        )
        untypeset = page.evaluate(
            "[...document.querySelectorAll('.arithmatex')]"
            ".filter(e => !e.querySelector('.katex')).map(e => e.textContent.slice(0, 60))"
        )
        raw_math = page.evaluate(
            "(() => { const a = document.querySelector('article'); if (!a) return false;"
            " const t = [...a.querySelectorAll(':not(pre):not(code) > *')]"
            ".filter(e => !e.closest('pre, code, .katex, script'))"
            ".map(e => [...e.childNodes].filter(n => n.nodeType === 3)"
            ".map(n => n.textContent).join('')).join(' ');"
            " return t.includes('$$'); })()"
        )
        broken_images = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        page.screenshot(path=str(screenshots_dir / f"{_slug(path)}.png"), full_page=True)
        for what, found in [
            ("console errors", rec.console_errors),
            ("requests leaving the machine", rec.outside_requests),
            ("failed requests", rec.failed_requests),
            ("formulas KaTeX did not typeset", untypeset),
            ("broken images", broken_images),
        ]:
            if found:
                problems.append(f"/{path}: {what}: {found[:5]}")
        if raw_math:
            problems.append(f"/{path}: raw $$ left in the text")
    assert not problems, "\n".join(problems)


def test_math_is_typeset_by_local_katex(open_page):
    rec = open_page("")
    page = rec.page
    assert page.locator(".arithmatex .katex").count() > 0, "the home page shows no typeset formula"
    sources = page.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert any("assets/katex/katex.min.js" in s for s in sources)
    assert all(s.startswith("http://127.0.0.1") for s in sources), sources


def test_search_finds_a_page_by_a_word_from_it(open_page):
    rec = open_page("", width=1400)
    page = rec.page
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("conda", delay=50)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=10000)
    links = page.eval_on_selector_all(
        ".md-search-result__item a", "as => as.map(a => a.getAttribute('href'))"
    )
    assert any("getting-started" in (h or "") for h in links), links
    assert not rec.console_errors


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
