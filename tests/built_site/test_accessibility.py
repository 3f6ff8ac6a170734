"""Accessibility gate: axe-core on every page of the built site, light and dark theme.

axe-core comes bundled with axe-playwright-python (no network). It runs with the WCAG 2.x
A and AA rules only. A violation of ``serious`` or ``critical`` impact fails the test unless
``a11y_allowlist.toml`` lists it with a reason (theme problems our overrides in
``docs/stylesheets/a11y.css`` cannot fix).

What runs where, to keep the time reasonable on a 2-core machine (one browser, one tab,
one load per page):

* the page loads in the light theme and axe runs every WCAG A/AA rule;
* the page is switched to the dark theme the way Material's own start-up script does it
  (the ``data-md-color-*`` attributes of the dark palette on ``<body>``, and the browser's
  ``prefers-color-scheme`` set to dark; transitions off) and axe runs again the rules whose
  result depends on colours (``COLOR_RULES``); the other rules look at the DOM, which the
  palette does not change;
* code blocks and formulas: a page such as the API reference carries thousands of
  highlighted tokens and KaTeX glyphs, and axe's contrast rule would take minutes on it.
  Before axe runs, those leaf elements that repeat an already-seen combination of colour,
  font, opacity and backgrounds *in both themes* are removed, so each combination is checked
  once per page. ``test_repeated_code_tokens_do_not_hide_a_bad_one`` shows that a single
  low-contrast token among many good ones is still caught.

The full list of serious/critical findings (allowed ones too) goes to
``test-artifacts/axe-report.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomllib
from axe_playwright_python.base import AXE_SCRIPT

from tests.built_site._gates import ROOT, html_pages, offline_context, serve

ALLOWLIST = Path(__file__).with_name("a11y_allowlist.toml")
REPORT = ROOT / "test-artifacts" / "axe-report.json"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SEVERE = ("serious", "critical")
# The rules whose outcome depends on the colour palette: run again in the dark theme.
COLOR_RULES = ["color-contrast", "link-in-text-block"]
SCHEMES = {"light": "default", "dark": "slate"}

# Switch a Material page to another palette as its start-up script does; returns the scheme.
_SET_SCHEME = """scheme => {
  const input = document.querySelector(`input[data-md-color-scheme='${scheme}']`);
  if (!input) return null;
  for (const key of ['media', 'scheme', 'primary', 'accent'])
    document.body.setAttribute('data-md-color-' + key, input.getAttribute('data-md-color-' + key));
  return document.body.getAttribute('data-md-color-scheme');
}"""

_NO_TRANSITIONS = """() => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; ' +
                      'animation: none !important; }';
  document.head.appendChild(style);
}"""

# Remove repeated leaf elements of code blocks and formulas (see the module docstring).
_DEDUPE = """() => {
  const look = el => {  // what axe's contrast rule depends on
    const cs = getComputedStyle(el);
    const parts = [cs.color, cs.fontSize, cs.fontWeight, cs.textShadow];
    let opacity = 1, opaque = false;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      opacity *= parseFloat(s.opacity);
      if (opaque) continue;
      if (s.backgroundImage !== 'none') parts.push(s.backgroundImage);
      if (s.backgroundColor !== 'rgba(0, 0, 0, 0)') {
        parts.push(s.backgroundColor); opaque = !s.backgroundColor.startsWith('rgba');
      }
    }
    return parts.join('|') + '|' + opacity;
  };
  const leaves = [...document.querySelectorAll(
    ':is(.highlight, .highlight-ipynb, .katex-html) *')].filter(el => !el.childElementCount);
  const body = document.body, before = body.getAttribute('data-md-color-scheme');
  const keys = leaves.map(() => '');
  for (const scheme of ['default', 'slate']) {
    body.setAttribute('data-md-color-scheme', scheme);
    leaves.forEach((el, i) => { keys[i] += look(el) + '#'; });
  }
  if (before === null) body.removeAttribute('data-md-color-scheme');
  else body.setAttribute('data-md-color-scheme', before);
  const seen = new Set(); let removed = 0;
  leaves.forEach((el, i) => {
    if (seen.has(keys[i])) { el.remove(); removed++; } else seen.add(keys[i]);
  });
  return removed;
}"""

_WAIT_FOR_MATH = (
    "document.querySelectorAll('.arithmatex').length === 0 || "
    "document.querySelectorAll('.arithmatex .katex').length > 0"
)


@dataclass(frozen=True)
class Finding:
    """One element that fails one axe rule."""

    page: str
    theme: str
    rule: str
    impact: str
    target: str
    html: str
    summary: str

    def line(self) -> str:
        return (
            f"/{self.page} [{self.theme}] {self.rule} ({self.impact}) at {self.target}: "
            f"{self.summary} -- {self.html[:120]}"
        )


def load_allowlist(path: Path = ALLOWLIST) -> list[dict]:
    """Entries of the allow-list: ``rule``, ``selector`` (a regular expression), ``reason``."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("allow", [])
    for entry in entries:
        missing = {"rule", "selector", "reason"} - entry.keys()
        if missing or not str(entry.get("reason", "")).strip():
            raise ValueError(f"{path.name}: entry {entry} needs rule, selector and a reason")
        re.compile(entry["selector"])
    return entries


def allowed_by(finding: Finding, allowlist: list[dict]) -> dict | None:
    """The allow-list entry that covers ``finding``, or None."""
    for entry in allowlist:
        if entry["rule"] == finding.rule and re.search(entry["selector"], finding.target):
            if re.search(entry.get("pages", ".*"), finding.page):
                return entry
    return None


def axe_findings(page, *, page_name: str, theme: str, rules: list[str] | None = None):
    """Run axe on the open ``page``; return its serious and critical findings."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    results = page.evaluate("options => axe.run(document, options)", options)
    findings = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation.get("impact") or "unknown"
            if impact not in SEVERE:
                continue
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            summary = "; ".join(c["message"] for c in checks if c.get("message"))
            findings.append(
                Finding(
                    page=page_name,
                    theme=theme,
                    rule=violation["id"],
                    impact=impact,
                    target=" > ".join(map(str, node["target"])),
                    html=" ".join(node.get("html", "").split()),
                    summary=summary or violation["help"],
                )
            )
    return findings


def prepare(page) -> int:
    """Turn transitions off and remove repeated code tokens; return how many were removed."""
    page.evaluate(_NO_TRANSITIONS)
    return page.evaluate(_DEDUPE)


def switch_theme(page, theme: str) -> str | None:
    """Show the open page in ``theme`` ("light" or "dark"); return the scheme now drawn."""
    page.emulate_media(color_scheme=theme)
    return page.evaluate(_SET_SCHEME, SCHEMES[theme])


def check_pages(browser, base_url: str, pages: list[str]) -> list[Finding]:
    """Load each page once in one tab; run axe in the light theme, then in the dark one."""
    context = offline_context(browser, color_scheme="light")
    try:
        tab = context.new_page()
        findings = []
        for name in pages:
            tab.emulate_media(color_scheme="light")
            tab.goto(base_url + name, wait_until="load")
            try:
                tab.wait_for_function(_WAIT_FOR_MATH, timeout=5000)
            except Exception:  # the browser test reports untypeset math; axe still runs
                pass
            drawn = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert drawn == SCHEMES["light"], f"/{name} loads in {drawn!r}, not the light theme"
            prepare(tab)
            findings += axe_findings(tab, page_name=name, theme="light")
            drawn = switch_theme(tab, "dark")
            assert drawn == SCHEMES["dark"], f"/{name}: could not switch to the dark theme"
            findings += axe_findings(tab, page_name=name, theme="dark", rules=COLOR_RULES)
        assert not context.outside, f"requests left the machine: {context.outside[:5]}"
        return findings
    finally:
        context.close()


def _write_report(findings: list[Finding], allowlist: list[dict]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = [
        {**f.__dict__, "allowed": (allowed_by(f, allowlist) or {}).get("reason")} for f in findings
    ]
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def book_url(site_dir):
    with serve(site_dir) as url:
        yield url


def test_no_serious_accessibility_violation(browser, book_url, site_dir):
    pages = html_pages(site_dir)
    allowlist = load_allowlist()
    findings = check_pages(browser, book_url, pages)
    _write_report(findings, allowlist)
    bad = [f for f in findings if not allowed_by(f, allowlist)]
    listing = "\n".join(f.line() for f in bad[:40])
    assert not bad, f"{len(bad)} serious/critical axe findings on {len(pages)} pages:\n{listing}"


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
    with serve(tmp_path, prefix="/") as url:
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
    findings = check_pages(browser, fake_site, ["themes.html"])
    assert [(f.theme, f.rule) for f in findings] == [("dark", "color-contrast")], findings
    assert "faint" in findings[0].html


def test_allowlist_matching():
    finding = Finding("x/", "light", "color-contrast", "serious", ".md-footer a", "<a>", "low")
    entry = {"rule": "color-contrast", "selector": r"^\.md-footer", "reason": "because"}
    assert allowed_by(finding, [entry]) is entry
    assert allowed_by(finding, [{**entry, "rule": "image-alt"}]) is None
    assert allowed_by(finding, [{**entry, "selector": "md-header"}]) is None
    assert allowed_by(finding, [{**entry, "pages": "^ko/"}]) is None
