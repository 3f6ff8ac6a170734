"""Fixtures for tests of the built site: every test in this folder is marked ``site``.

``site_url`` serves ``site/`` on 127.0.0.1 from a thread; ``browser`` is Debian's Chromium
driven by Playwright (never a downloaded browser); ``open_page(path)`` opens one page in a
fresh context that records console errors and refuses every request that would leave the
machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.built_site._gates import CHROMIUM, launch, offline_context, record_problems, serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/built_site/" in str(item.fspath):
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def site_url(site_dir):
    with serve(site_dir, prefix="/") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
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
    """Open a page of the built site; outside requests are refused and recorded."""
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
