"""Shared fixtures.

Tests marked ``site`` read the built site in ``site/`` (``make docs`` builds it first).
``page_text("layers/simple-layers/")`` returns the visible text of one built page, so a
test can assert that a number printed by executed code really is on the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# BACKPROP_BOOK_SITE lets a test run read a site built elsewhere (e.g. mkdocs build -d /tmp/x).
SITE = Path(os.environ.get("BACKPROP_BOOK_SITE", ROOT / "site"))
EXAMPLES = ROOT / "examples"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave ``tests/built_site`` unimported when ``-m "not site"`` deselects all of it.

    Its fixtures start servers and browsers and need the docs toolchain; the unit tests
    (``make unit``, ``make matrix``) must start without them, on every Python the package claims.
    """
    deselected = " ".join(config.getoption("markexpr", "").split()) == "not site"
    if deselected and collection_path == ROOT / "tests" / "built_site":
        return True
    return None


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


def _article(html: str) -> str:
    start = html.find('<article class="md-content__inner')
    end = html.find("</article>", start)
    return html[start:end] if start != -1 else html


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make docs` (or `mkdocs build --strict`) first")
    return SITE


@pytest.fixture(scope="session")
def page_html(site_dir):
    """Return the raw HTML of the article of a built page, e.g. ``page_html("layers/")``."""

    def read(rel: str) -> str:
        path = site_dir / rel / "index.html" if not rel.endswith(".html") else site_dir / rel
        assert path.is_file(), f"page {rel!r} not found in the built site at {path}"
        return _article(path.read_text(encoding="utf-8"))

    return read


@pytest.fixture(scope="session")
def page_text(page_html):
    """Return the visible text of the article of a built page."""

    def read(rel: str) -> str:
        return html_to_text(page_html(rel))

    return read


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
