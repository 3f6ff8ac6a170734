"""Shared fixtures; what the tests share besides fixtures is in ``tests/helpers``.

A test that reads the built site (it uses ``site_dir``, directly or through ``page_text``,
``page_html`` or ``open_page``) or lives in ``tests/gates/`` is marked ``site``: ``make unit``
runs the others, ``make site-tests`` these, after ``make docs`` has built ``site/``.
``page_text("layers/simple-layers/")`` returns the visible text of one built page, so a test can
assert that a number printed by executed code really is on the page. The browser fixtures load
Playwright only when a test asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import ROOT, SITE, article, html_to_text

ARTIFACTS = ROOT / "test-artifacts"
SITE_TESTS = ROOT / "tests" / "gates"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave ``tests/gates`` unimported when ``-m "not site"`` deselects all of it.

    Its helpers drive a browser and need the docs toolchain; the unit tests (``make unit``,
    ``make matrix``) must start without them, on every Python the package claims.
    """
    deselected = " ".join(config.getoption("markexpr", "").split()) == "not site"
    if deselected and collection_path == SITE_TESTS:
        return True
    return None


# The longest work units of the site tests, in this order (about a minute or more each on two
# cores: the blocks run in Pyodide, the four parts of the site tour, the second build, the
# runner's endless loops, the glossary's every term on every page).
LONG_FIRST = (
    "tests/gates/test_runnable_blocks.py",
    "tests/gates/test_tour.py",
    "tests/gates/test_reproducible.py",
    "tests/gates/test_runner_worker.py",
    "tests/gates/test_glossary.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the site tests; put the longest work units first.

    pytest-xdist (``--dist loadscope --no-loadscope-reorder``, ``make site-tests``) hands
    whole classes and modules to the workers in this order, so the short ones fill in at the
    end and no worker sits idle waiting for one that drew a long unit last.
    """
    for item in items:
        in_site = SITE_TESTS in Path(str(item.fspath)).parents
        if in_site or "site_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
    rank = {path: i for i, path in enumerate(LONG_FIRST)}

    def first(item: pytest.Item) -> int:
        path = Path(str(item.fspath))
        rel = path.relative_to(ROOT).as_posix() if ROOT in path.parents else ""
        return rank.get(rel, len(rank))

    items.sort(key=first)  # stable: the rest keep their order


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
        return article(path.read_text(encoding="utf-8"))

    return read


@pytest.fixture(scope="session")
def page_text(page_html):
    """Return the visible text of the article of a built page."""

    def read(rel: str) -> str:
        return html_to_text(page_html(rel))

    return read


# --- the built site in Chromium ------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served on 127.0.0.1 from a thread."""
    from tests.helpers.browser import serve

    with serve(site_dir, prefix="/") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from tests.helpers.browser import CHROMIUM, launch

    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs it) or "
            "`sudo apt-get install chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@dataclass
class PageRecord:
    """What happened while a page was open."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser, site_url):
    """Open a page of the built site in a fresh context; outside requests are refused."""
    from tests.helpers.browser import offline_context, record_problems

    contexts = []

    def open_(
        path: str = "", *, color_scheme: str = "light", width: int = 1280, height: int = 900
    ) -> PageRecord:
        context = offline_context(browser, color_scheme=color_scheme, width=width, height=height)
        contexts.append(context)
        page = context.new_page()
        record = PageRecord(page, outside_requests=context.outside)
        record_problems(page, record.console_errors, record.failed_requests)
        page.goto(site_url + path, wait_until="load")
        return record

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out
