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
  low-contrast token among many good ones is still caught;
* the colour rules take most of axe's time (each text element's background stack, and a
  grid of every element's box): the light theme runs the other rules first, on the whole
  page; then what no reader sees drawn is removed (boxes their clip-path cuts away whole, such
  as KaTeX's MathML copy of each formula for screen readers), and the other leaf elements
  with text (prose, navigation, headings) that repeat the look of one already kept on the
  page *in both themes* are removed too, and the colour rules run in both themes on what is
  left. The look here also holds what ``link-in-text-block`` compares (the colours and font
  of the surrounding block, underline and border), and only an element plainly on the page
  keeps a look or loses one: shown, not clipped by a scrolling or hidden-overflow box, with
  a letter or digit in it (axe passes over hidden and symbol-only text, so such an element
  must not stand for the others). ``test_repeated_prose_does_not_hide_a_faint_line`` shows
  that one faint line among many good ones, or after a hidden one, is still caught.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

# Remove repeated leaf elements (see the module docstring): those of code blocks and formulas
# (``CODE_LEAVES``, all of them), or the other ones with text (``TEXT_LEAVES``, ``plain``: only
# elements plainly on the page keep or lose a look, and the look holds the block around them).
CODE_LEAVES = ":is(.highlight, .highlight-ipynb, .katex-html) *"
TEXT_LEAVES = "body *:not(input, select, textarea, button, img, svg, svg *, video, canvas, iframe)"
_DEDUPE = """({selector, plain, code}) => {
  const memo = (f) => { const m = new Map();
    return el => { if (!m.has(el)) m.set(el, f(el)); return m.get(el); }; };
  const box = memo(el => el.getBoundingClientRect());
  // the boxes that clip what is inside them (scrolling or hidden overflow, clip, clip-path)
  const clippers = memo(el => {
    if (!el || el === document.body) return [];
    const s = getComputedStyle(el), up = clippers(el.parentElement);
    const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clip !== 'auto'
        || s.clipPath !== 'none';
    return clips ? [el, ...up] : up;
  });
  const shown = el => {  // plainly on the page: drawn, not clipped away, with a letter or digit
    if (!/[\\p{L}\\p{N}]/u.test(el.textContent)) return false;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const r = box(el);
    if (r.width < 2 || r.height < 2) return false;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return clippers(el.parentElement).every(a => { const c = box(a);
      return x >= c.left && x <= c.right && y >= c.top && y <= c.bottom; });
  };
  const looks = () => {  // one theme: what axe's contrast rules depend on, element by element
    // the backgrounds from an element up to the first opaque one, and the product of opacities
    const behind = memo(el => {
      if (!el) return {bg: '', opacity: 1};
      const s = getComputedStyle(el), up = behind(el.parentElement);
      let bg = '', opaque = false;
      if (s.backgroundImage !== 'none') bg += s.backgroundImage + '|';
      if (s.backgroundColor !== 'rgba(0, 0, 0, 0)') {
        bg += s.backgroundColor + '|'; opaque = !s.backgroundColor.startsWith('rgba');
      }
      return {bg: opaque ? bg : bg + up.bg, opacity: parseFloat(s.opacity) * up.opacity};
    });
    // link-in-text-block: the text of the block around an element, up to its first block box
    const block = memo(el => {
      if (!el) return '';
      const s = getComputedStyle(el);
      const own = [s.color, s.fontWeight, s.fontStyle, s.textDecorationLine].join('|');
      return s.display.startsWith('inline') ? own + '<' + block(el.parentElement) : own;
    });
    return el => {
      const cs = getComputedStyle(el), b = behind(el);
      const parts = [cs.color, cs.fontSize, cs.fontWeight, cs.textShadow];
      if (plain) parts.push(cs.fontStyle, cs.textDecorationLine, cs.borderBottomStyle,
                            cs.borderBottomWidth, cs.borderBottomColor, block(el.parentElement));
      return parts.join('|') + '|' + b.bg + b.opacity;
    };
  };
  const leaves = [...document.querySelectorAll(selector)].filter(el => !el.childElementCount
      && (!plain || el.closest(code) === null && shown(el)));
  const body = document.body, before = body.getAttribute('data-md-color-scheme');
  const keys = leaves.map(() => '');
  for (const scheme of ['default', 'slate']) {
    body.setAttribute('data-md-color-scheme', scheme);
    const look = looks();
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


# What no reader sees drawn: boxes that their clip-path cuts away whole (``inset(50%)``), such as
# KaTeX's MathML copy of each formula, there for screen readers (a third of a chapter's
# elements). The colour rules have nothing to judge in them, and their time grows with the
# elements on the page; the other rules, run before, read them.
_UNDRAWN = """() => {
  const undrawn = [...document.querySelectorAll('body *')]
    .filter(el => getComputedStyle(el).clipPath === 'inset(50%)');
  let removed = 0;
  for (const el of undrawn) {
    if (!el.isConnected) continue;  // inside one removed before it
    removed += 1 + el.querySelectorAll('*').length;
    el.remove();
  }
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


def axe_findings(
    page,
    *,
    page_name: str,
    theme: str,
    rules: list[str] | None = None,
    leave_out: Sequence[str] = (),
):
    """Run axe on the open ``page``; return its serious and critical findings.

    ``rules``: only these; else every WCAG A/AA rule but those in ``leave_out``.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    if leave_out and not rules:
        options["rules"] = {rule: {"enabled": False} for rule in leave_out}
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
    return page.evaluate(_DEDUPE, {"selector": CODE_LEAVES, "plain": False, "code": ""})


def thin_text(page) -> int:
    """Remove what no reader sees drawn (``_UNDRAWN``), then the text leaves plainly on the page
    that repeat a look kept before them, in both themes (for the colour rules only: run the
    others first); return how many elements were removed."""
    undrawn = page.evaluate(_UNDRAWN)
    return undrawn + page.evaluate(
        _DEDUPE, {"selector": TEXT_LEAVES, "plain": True, "code": CODE_LEAVES}
    )


def switch_theme(page, theme: str) -> str | None:
    """Show the open page in ``theme`` ("light" or "dark"); return the scheme now drawn."""
    page.emulate_media(color_scheme=theme)
    return page.evaluate(_SET_SCHEME, SCHEMES[theme])


def both_themes(page, name: str) -> list[Finding]:
    """axe on the open ``page`` (loaded in the light theme), then again in the dark theme.

    Every WCAG A/AA rule runs in the light theme: the colour rules (``COLOR_RULES``) after
    ``thin_text``, the others before it. Leaves the page in the dark theme with repeated code
    tokens and text removed: run it last.
    """
    drawn = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert drawn == SCHEMES["light"], f"/{name} loads in {drawn!r}, not the light theme"
    prepare(page)
    findings = axe_findings(page, page_name=name, theme="light", leave_out=COLOR_RULES)
    thin_text(page)
    findings += axe_findings(page, page_name=name, theme="light", rules=COLOR_RULES)
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
