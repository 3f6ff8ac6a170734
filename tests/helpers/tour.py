"""The site tour: every page of the built site opened once in Chromium, for every page gate.

Opening a page costs far more than looking at it (Material's scripts, the layout of KaTeX's
formulas), so the gates that look at every page share one visit of it:

1. a tab of an offline context (``offline_context``: it refuses every request leaving
   127.0.0.1, and its routing turns the browser's HTTP cache off), back at the desktop size
   in the light theme, on a blank page; a tour visits its pages one after another in one tab
   (``tour_tab``), which spares starting a browser process per page, and every page still
   fetches all it needs: ``test_tour.py`` checks that a page weighs the same there as in a
   fresh context, and ``test_browser.py`` that a broken page leaves nothing to the next one;
2. the page loads, KaTeX typesets, no request (the page's or a worker's) is left in flight
   for ``QUIET_MS``: the page weight is counted;
3. what the browser tests read: formulas left untypeset, ``$$`` left in the text, broken
   images, the article's font, console errors and failed requests;
4. a screenshot for people to look at (``test-artifacts/screenshots/``, the first screen);
5. every block laid out, the width at a phone's size (``PHONE``);
6. axe in the light theme, then in the dark one (``axe.both_themes``; it removes repeated
   code tokens and text from the page, so it comes last).

``visit()`` does this for one page; ``test_tour.py`` does it for every page of both editions
and holds the gates that read the visits, one class per part of an edition's pages, so that
pytest-xdist (``--dist loadscope``) visits each page once and spreads the parts over its
workers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.axe import Finding, both_themes
from tests.helpers.browser import (
    PageLoad,
    SiteURL,
    count_sent,
    offline_context,
    record_problems,
    settle,
)

MATH_TYPESET = (
    "document.querySelectorAll('.arithmatex').length === 0 || "
    "document.querySelectorAll('.arithmatex .katex').length > 0"
)
DESKTOP = {"width": 1280, "height": 900}  # offline_context's viewport
PHONE = {"width": 390, "height": 844}  # a common phone in portrait (CSS pixels)
# What scrolls sideways at phone width: the page itself, and each element that reaches past the
# right edge without a scrolling box of its own between it and the page.
# It runs after two animation frames: the resize event and what the theme's scripts do on it.
_SIDEWAYS = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
      || getComputedStyle(e).overflowX === 'hidden';
  const inScroller = (e) => { for (let p = e.parentElement; p && p !== document.body;
      p = p.parentElement) { if (scrolls(p)) return true; } return false; };
  const wide = [...document.querySelectorAll('article *, .md-header *, .md-footer *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !inScroller(e))
    .slice(0, 5).map(e => e.tagName.toLowerCase()
      + (typeof e.className === 'string' && e.className ? '.' + e.className.trim()
        .split(/\\s+/).join('.') : ''));
  return {overflow: document.documentElement.scrollWidth - width, wide};
}"""
LAID_OUT = "* { content-visibility: visible !important; }"  # every block laid out
SCREENSHOT_QUALITY = 80  # JPEG: a fraction of the time and bytes of a PNG, fine for a look

_READ = """() => {
  const article = document.querySelector('article');
  const text = article ? [...article.querySelectorAll(':not(pre):not(code) > *')]
      .filter(e => !e.closest('pre, code, .katex, script'))
      .map(e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(''))
      .join(' ') : '';
  return {
    untypeset: [...document.querySelectorAll('.arithmatex')]
      .filter(e => !e.querySelector('.katex')).map(e => e.textContent.slice(0, 60)),
    rawMath: text.includes('$$'),
    brokenImages: [...document.images]
      .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    font: article ? getComputedStyle(article).fontFamily : '',
  };
}"""


def edition_of(path: str) -> str:
    """ "ko" for a page of the Korean edition (under ``ko/``), "en" for the others."""
    return "ko" if path.startswith("ko/") else "en"


def screenshot_name(path: str) -> str:
    """``layers/simple-layers/`` -> ``layers__simple-layers.jpg``; the home page is ``home``."""
    return (path.strip("/").replace("/", "__") or "home") + ".jpg"


@dataclass
class Visit:
    """What one visit of one page found."""

    path: str
    load: PageLoad  # the bytes the first load transferred, by kind
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)  # refused, over the whole visit
    untypeset: list[str] = field(default_factory=list)  # formulas KaTeX did not typeset
    raw_math: bool = False  # "$$" left in the article's text
    broken_images: list[str] = field(default_factory=list)
    font: str = ""  # the article's computed font-family
    findings: list[Finding] = field(default_factory=list)  # axe, serious and critical
    phone_overflow: int = 0  # CSS pixels the page scrolls sideways at phone width
    phone_wide: list[str] = field(default_factory=list)  # elements reaching past the edge

    def rendering_problems(self) -> list[str]:
        """Why the page does not render cleanly offline (empty when it does)."""
        problems = [
            f"/{self.path}: {what}: {found[:5]}"
            for what, found in [
                ("console errors", self.console_errors),
                ("requests leaving the machine", self.outside_requests),
                ("failed requests", self.failed_requests),
                ("formulas KaTeX did not typeset", self.untypeset),
                ("broken images", self.broken_images),
            ]
            if found
        ]
        if self.raw_math:
            problems.append(f"/{self.path}: raw $$ left in the text")
        return problems


@contextlib.contextmanager
def tour_tab(browser) -> Iterator:
    """A tab of a fresh offline context, for ``visit(..., tab=...)`` page after page."""
    context = offline_context(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(
    browser,
    base_url: SiteURL,
    site: Path,
    path: str,
    *,
    screenshot: Path | None = None,
    tab=None,
) -> Visit:
    """Visit one page of the site that ``base_url`` (from ``serve``) serves, in ``tab`` (from
    ``tour_tab``, one page at a time per tab and per server), else in a tab of its own."""
    if tab is None:
        with tour_tab(browser) as own:
            return visit(browser, base_url, site, path, screenshot=screenshot, tab=own)
    context = tab.context
    tab.goto("about:blank")  # the page before is gone, with whatever it was still fetching
    tab.set_viewport_size(DESKTOP)
    tab.emulate_media(color_scheme="light")
    context.outside.clear()
    base_url.sent.clear()
    errors: list[str] = []
    failed: list[str] = []
    stop_recording = record_problems(tab, errors, failed)
    try:
        load_ms = settle(tab, base_url + path, until=MATH_TYPESET)
        load = count_sent(base_url, site, path, load_ms=load_ms, outside=context.outside)
        read = tab.evaluate(_READ)
        if screenshot is not None:  # the first screen, as a reader opening the page sees it
            tab.screenshot(path=str(screenshot), type="jpeg", quality=SCREENSHOT_QUALITY)
        # book.css lets the browser skip laying out off-screen blocks (content-visibility:
        # auto); axe and the phone check must see every block laid out as a reader scrolling
        # to it would, so the rest of the visit turns that off
        tab.add_style_tag(content=LAID_OUT)
        tab.set_viewport_size(PHONE)  # the same load, reflowed at phone width
        sideways = tab.evaluate(_SIDEWAYS)
        tab.set_viewport_size(DESKTOP)  # axe removes repeated text: it comes last
        findings = both_themes(tab, path)
        return Visit(
            path=path,
            load=load,
            console_errors=errors,
            failed_requests=failed,
            outside_requests=list(context.outside),
            untypeset=read["untypeset"],
            raw_math=read["rawMath"],
            broken_images=read["brokenImages"],
            font=read["font"],
            findings=findings,
            phone_overflow=sideways["overflow"],
            phone_wide=sideways["wide"],
        )
    finally:
        stop_recording()
