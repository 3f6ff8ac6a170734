"""With JavaScript off, every page of both editions shows typeset math and no raw TeX.

The formulas are typeset at build time (hooks/katex_math.py), so a reader whose browser runs no
scripts, a text-mode reader and a printed page see the same mathematics. Each page is opened in
Chromium with JavaScript disabled: every ``.arithmatex`` element holds KaTeX output that takes
up room on the page (its stylesheet and fonts loaded from this site), and the visible text has
no TeX delimiters or commands left outside code. Every KaTeX font the page asks for early
(``<link rel="preload">``, hooks/katex_math.py) is one its formulas use once laid out.
"""

from __future__ import annotations

import pytest

from tests.helpers import SITE
from tests.helpers.browser import html_pages, offline_context

# Each font the page preloads, and whether the page used it once every block was laid out.
_PRELOADED = """async () => {
  const style = document.createElement('style');
  style.textContent = '* { content-visibility: visible !important; }';
  document.head.append(style);
  await document.fonts.ready;
  const links = [...document.querySelectorAll('link[rel=preload][as=font]')];
  return links.map((link) => {
    const [family, variant] = link.href.split('/').pop().replace('.woff2', '').split('-');
    const weight = variant.includes('Bold') ? '700' : '400';
    const style = variant.includes('Italic') ? 'italic' : 'normal';
    const used = [...document.fonts].some((f) => f.family.replace(/"/g, '') === family &&
      f.weight === weight && f.style === style && f.status === 'loaded');
    return [link.href.split('/').pop(), used];
  });
}"""

PAGES = [p for p in html_pages(SITE) if p != "404.html" and not p.endswith("404.html")]

_LOOK = """() => {
  const article = document.querySelector('article') || document.body;
  const math = [...article.querySelectorAll('.arithmatex')];
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, .katex-mathml').forEach(e => e.remove());
  const text = clone.textContent;
  const tex = /\\\\\\(|\\\\\\[|\\$\\$|\\\\(?:frac|cdot|partial|sum|exp|sqrt|leftarrow)\\b/g;
  const cells = [...clone.querySelectorAll('.jp-MarkdownOutput')].map(e => e.textContent);
  const dollars = cells.join(' ').match(/\\$[^\\s$][^$]*\\$/g);
  const raw = [...(text.match(tex) || []), ...(dollars || [])];
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('.katex')).length,
    invisible: math.filter(e => e.querySelector('.katex'))
      .filter(e => !shown(e.querySelector('.katex'))).length,
    raw: raw.slice(0, 5),
  };
}"""


def test_the_pages_are_there_to_be_checked(site_dir):
    assert len(PAGES) > 40, f"only {len(PAGES)} pages found in {SITE}"
    with_math = [p for p in PAGES if "arithmatex" in (site_dir / p / "index.html").read_text()]
    assert len(with_math) > 20, with_math


@pytest.fixture(scope="module")
def no_script_context(browser):
    context = offline_context(browser, java_script_enabled=False)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_typeset_math_without_javascript(no_script_context, site_url, path):
    tab = no_script_context.new_page()
    try:
        tab.goto(site_url + path, wait_until="load")
        found = tab.evaluate(_LOOK)
        preloaded = tab.evaluate(_PRELOADED)
    finally:
        tab.close()
    assert found["untypeset"] == 0, f"{path}: {found['untypeset']} formulas left as TeX"
    assert found["invisible"] == 0, f"{path}: {found['invisible']} formulas take no room"
    assert not found["raw"], f"{path}: raw TeX visible without JavaScript: {found['raw']}"
    assert not no_script_context.outside, no_script_context.outside
    unused = [font for font, used in preloaded if not used]
    assert not unused, f"{path}: preloads KaTeX fonts its formulas do not use: {unused}"
