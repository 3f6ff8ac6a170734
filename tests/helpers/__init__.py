"""What the tests share: the project's folders, page text, examples, hooks, scripts, SVG figures.

No test imports another test module; what two of them need lives here (``tests.helpers``) or,
for the tests of the built site in a browser, in ``tests.helpers.browser``, ``.axe`` and
``.tour``. Everything here imports the standard library only, so the unit tests start on every
Python the package claims.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
HOOKS = ROOT / "hooks"
# BACKPROP_BOOK_SITE lets a test run read a site built elsewhere (e.g. mkdocs build -d /tmp/x).
SITE = Path(os.environ.get("BACKPROP_BOOK_SITE", ROOT / "site"))
SVG = "{http://www.w3.org/2000/svg}"


class _TextExtractor(HTMLParser):
    """Collect the text a reader sees in the article (scripts and styles skipped)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextExtractor()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def article(html: str) -> str:
    start = html.find('<article class="md-content__inner')
    end = html.find("</article>", start)
    return html[start:end] if start != -1 else html


def run_example(name: str, *args: str) -> str:
    """Run ``examples/<name>`` in a fresh interpreter and return what it printed."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stderr}"
    return done.stdout


def load_hook(name: str) -> ModuleType:
    """A new module object for ``hooks/<name>.py``."""
    spec = importlib.util.spec_from_file_location(f"{name}_hook", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def svgs(html: str) -> list[ET.Element]:
    """Every inline graph SVG of a page, parsed (so each must be well-formed XML)."""
    found = re.findall(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="bp-graph".*?</svg>', html, re.S
    )
    return [ET.fromstring(s) for s in found]


def texts(svg: ET.Element, cls: str) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if cls in t.get("class", "").split()]


@functools.cache
def load_script(name: str) -> ModuleType:
    """The module ``scripts/<name>.py``, loaded once per test run.

    The tests read pages with the page lint's own reader (``load_script("lint_page_code")``:
    ``expand``, ``python_fences``, ``lines_of``) rather than with a copy of it; that script says
    why the reader lives there.
    """
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module
