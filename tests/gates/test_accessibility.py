"""Accessibility gate: the axe checker and its allow-list, tried on planted defects.

The site tour (``test_tour.py``) runs axe on every page of both editions, in the light theme
with every WCAG 2.x A and AA rule and in the dark theme with the rules that depend on colours
(``_axe.py`` says how, and how repeated code tokens are thinned out first). A violation of
``serious`` or ``critical`` impact fails the tour unless ``a11y_allowlist.toml`` lists it with
a reason (theme problems our overrides in ``docs/stylesheets/a11y.css`` cannot fix).
"""

from __future__ import annotations

import pytest

from tests.helpers.axe import (
    COLOR_RULES,
    Finding,
    allowed_by,
    axe_findings,
    load_allowlist,
    prepare,
    thin_text,
)
from tests.helpers.browser import offline_context, serve
from tests.helpers.tour import visit


def test_allowlist_entries_are_complete():
    entries = load_allowlist()
    for entry in entries:
        assert len(entry["reason"].split()) >= 5, f"give a real reason for {entry}"


# --- planted defects: the checker must catch them -------------------------------------------

_FAKE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Planted defects</title></head>
<body data-md-color-scheme="default"><main>
<h1>Planted defects</h1>
<p>An image without alt text:</p>
<img src="pixel.svg">
<p style="color:#aaaaaa;background:#ffffff">Grey text on white: 2.3:1.</p>
<input type="text">
</main></body></html>
"""

_FAKE_CODE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code</title>
<style>.highlight { background: #ffffff; } .ok { color: #222222; } .bad { color: #bbbbbb; }</style>
</head><body data-md-color-scheme="default"><main><h1>Code</h1>
<div class="highlight"><pre><code>{tokens}</code></pre></div>
</main></body></html>
"""


# Token .b looks like every .a token in the light theme and is unreadable in the dark one.
_FAKE_THEMES = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Themes</title>
<style>
  [data-md-color-scheme=default] .highlight { background: #ffffff; color: #222222; }
  [data-md-color-scheme=slate] { background: #111111; color: #eeeeee; }
  [data-md-color-scheme=slate] .highlight { background: #111111; color: #eeeeee; }
  [data-md-color-scheme=slate] .highlight .b { color: #333333; }
  main a { color: #222222; }
</style></head>
<body data-md-color-scheme="default"><main><h1>Themes</h1>
<input type="radio" hidden data-md-color-media="(prefers-color-scheme: light)"
  data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="orange">
<input type="radio" hidden data-md-color-media="(prefers-color-scheme: dark)"
  data-md-color-scheme="slate" data-md-color-primary="indigo" data-md-color-accent="orange">
<div class="highlight"><pre><code>{tokens}</code></pre></div>
</main></body></html>
"""


# Many lines of prose that look alike, one faint line among them, and the same faint look
# first where no reader sees it: clipped by a box of no height, inside a closed <details>;
# and a copy for screen readers that its clip-path cuts away whole (as KaTeX's MathML).
_FAKE_PROSE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Prose</title>
<style>
  [data-md-color-scheme=default] main { background: #ffffff; color: #222222; }
  [data-md-color-scheme=slate] main { background: #111111; color: #eeeeee; }
  [data-md-color-scheme=default] .faint { color: #bbbbbb; }
  .undrawn { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
</style></head>
<body data-md-color-scheme="default"><main><h1>Prose</h1>
<input type="radio" hidden data-md-color-media="(prefers-color-scheme: light)"
  data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="orange">
<input type="radio" hidden data-md-color-media="(prefers-color-scheme: dark)"
  data-md-color-scheme="slate" data-md-color-primary="indigo" data-md-color-accent="orange">
<div style="height: 0; overflow: hidden"><p class="faint">clipped</p></div>
<details><summary>More</summary><p class="faint">folded</p></details>
<p class="undrawn">A copy for screen readers, <span>drawn nowhere</span>.</p>
{lines}
</main></body></html>
"""


@pytest.fixture
def fake_site(tmp_path):
    (tmp_path / "pixel.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', encoding="utf-8"
    )
    (tmp_path / "defects.html").write_text(_FAKE_PAGE, encoding="utf-8")
    good = "".join(f'<span class="ok">token{i}</span> ' for i in range(300))
    tokens = good[: len(good) // 2] + '<span class="bad">faint</span> ' + good[len(good) // 2 :]
    (tmp_path / "code.html").write_text(_FAKE_CODE.replace("{tokens}", tokens), encoding="utf-8")
    dark_only = tokens.replace('class="ok"', 'class="a"').replace('class="bad"', 'class="b"')
    (tmp_path / "themes.html").write_text(_FAKE_THEMES.replace("{tokens}", dark_only), "utf-8")
    lines = [f"<p>Line {i} of the prose.</p>" for i in range(200)]
    lines.insert(120, '<p class="faint">Faint line of the prose.</p>')
    (tmp_path / "prose.html").write_text(_FAKE_PROSE.replace("{lines}", "\n".join(lines)), "utf-8")
    with serve(tmp_path, prefix="/") as url:
        url.site = tmp_path
        yield url


def _findings_on(browser, url: str, name: str) -> list[Finding]:
    context = offline_context(browser)
    try:
        tab = context.new_page()
        tab.goto(url + name, wait_until="load")
        prepare(tab)
        return axe_findings(tab, page_name=name, theme="light")
    finally:
        context.close()


def test_planted_defects_are_found(browser, fake_site):
    findings = _findings_on(browser, fake_site, "defects.html")
    rules = {f.rule for f in findings}
    assert {"image-alt", "color-contrast", "label"} <= rules, findings
    assert not any(allowed_by(f, load_allowlist()) for f in findings if f.rule == "image-alt")


def test_repeated_code_tokens_do_not_hide_a_bad_one(browser, fake_site):
    findings = _findings_on(browser, fake_site, "code.html")
    faint = [f for f in findings if f.rule == "color-contrast"]
    assert len(faint) == 1 and "faint" in faint[0].html, findings


def test_a_token_unreadable_only_in_the_dark_theme_is_found(browser, fake_site):
    findings = visit(browser, fake_site, fake_site.site, "themes.html").findings
    assert [(f.theme, f.rule) for f in findings] == [("dark", "color-contrast")], findings
    assert "faint" in findings[0].html


def test_repeated_prose_does_not_hide_a_faint_line(browser, fake_site):
    """The colour rules run on prose thinned to one line per look; the faint line keeps its
    own look, and the hidden lines that share it stand for nothing."""
    context = offline_context(browser)
    try:
        tab = context.new_page()
        tab.goto(fake_site + "prose.html", wait_until="load")
        prepare(tab)
        assert thin_text(tab) >= 199 + 2  # the 200 alike lines but one, the undrawn copy
        kept = tab.evaluate("[...document.querySelectorAll('p')].map(p => p.textContent)")
        findings = axe_findings(tab, page_name="prose.html", theme="light", rules=COLOR_RULES)
    finally:
        context.close()
    assert "Faint line of the prose." in kept and "clipped" in kept and "folded" in kept
    assert not any("drawn nowhere" in line for line in kept)  # cut away whole: not judged
    assert [f.html for f in findings] == ['<p class="faint">Faint line of the prose.</p>']
    findings = visit(browser, fake_site, fake_site.site, "prose.html").findings
    assert [(f.theme, f.rule) for f in findings] == [("light", "color-contrast")], findings


def test_a_target_too_small_is_found_by_the_tour(browser, fake_site):
    """Two tiny buttons side by side (WCAG 2.2's target size), beside a copy for screen readers
    and lines of prose that the colour rules thin out: the tour's axe finds both, once."""
    tiny = '<button style="width: 10px; height: 10px; padding: 0; border: 0">{}</button>'
    lines = ["<p>" + tiny.format("a") + tiny.format("b") + "</p>"]
    lines += [f"<p>Line {i} of the prose.</p>" for i in range(20)]
    page = _FAKE_PROSE.replace("{lines}", "\n".join(lines)).replace(" .faint {", " .unused {")
    (fake_site.site / "targets.html").write_text(page, encoding="utf-8")
    findings = visit(browser, fake_site, fake_site.site, "targets.html").findings
    assert [(f.theme, f.rule) for f in findings] == [("light", "target-size")] * 2, findings


def test_allowlist_matching():
    finding = Finding("x/", "light", "color-contrast", "serious", ".md-footer a", "<a>", "low")
    entry = {"rule": "color-contrast", "selector": r"^\.md-footer", "reason": "because"}
    assert allowed_by(finding, [entry]) is entry
    assert allowed_by(finding, [{**entry, "rule": "image-alt"}]) is None
    assert allowed_by(finding, [{**entry, "selector": "md-header"}]) is None
    assert allowed_by(finding, [{**entry, "pages": "^ko/"}]) is None
