"""axe-core in the browser: the accessibility checks every visit of the site tour runs.

axe-core comes bundled with axe-playwright-python (no network). It runs with the WCAG 2.x
A and AA rules only; findings of ``serious`` or ``critical`` impact are kept.

What runs where, to keep the time reasonable on a 2-core machine (one load per page):

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT

from tests.helpers.browser import ROOT, read_toml

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SEVERE = ("serious", "critical")
# The rules whose outcome depends on the colour palette: run again in the dark theme.
COLOR_RULES = ["color-contrast", "link-in-text-block"]
SCHEMES = {"light": "default", "dark": "slate"}
ALLOWLIST = ROOT / "tests" / "gates" / "a11y_allowlist.toml"

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


def both_themes(page, name: str) -> list[Finding]:
    """axe on the open ``page`` (loaded in the light theme), then again in the dark theme.

    Leaves the page in the dark theme with repeated code tokens removed: run it last.
    """
    drawn = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert drawn == SCHEMES["light"], f"/{name} loads in {drawn!r}, not the light theme"
    prepare(page)
    findings = axe_findings(page, page_name=name, theme="light")
    drawn = switch_theme(page, "dark")
    assert drawn == SCHEMES["dark"], f"/{name}: could not switch to the dark theme"
    return findings + axe_findings(page, page_name=name, theme="dark", rules=COLOR_RULES)


def load_allowlist(path: Path = ALLOWLIST) -> list[dict]:
    """Entries of the allow-list: ``rule``, ``selector`` (a regular expression), ``reason``."""
    entries = read_toml(path).get("allow", [])
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
