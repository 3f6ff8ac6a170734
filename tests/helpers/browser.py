"""Helpers shared by the quality gates on the built site (accessibility, weight, benchmark).

``html_pages(site)`` lists every HTML file of a built site as a URL path, so a gate covers
whatever pages exist at each build (both editions, notebooks, 404 page), not a fixed list.
``serve(site)`` serves a site on 127.0.0.1 at the path of ``site_url`` (``/backprop_book/``)
as well as at ``/``: the 404 page links its assets by that absolute path, as on the host.
``offline_context(browser, ...)`` is a browser context that refuses every request leaving
127.0.0.1 and records it; ``launch(playwright)`` starts Debian's Chromium (never a downloaded
browser) with the flags this machine needs.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

if sys.version_info >= (3, 11):
    import tomllib
else:  # the package supports Python 3.10, where tomllib is not in the standard library yet
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BACKPROP_BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    """Debian's Chromium, headless, through Playwright's ``sync_playwright()`` object."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def site_prefix() -> str:
    """The path of ``site_url`` in mkdocs.yml, e.g. ``/backprop_book/``."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*(\S+)", config, re.MULTILINE)
    path = urlparse(match.group(1)).path if match else "/"
    return path if path.endswith("/") else path + "/"


def html_pages(site: Path) -> list[str]:
    """URL paths (relative to the site root) of every HTML file in a built site, sorted.

    ``layers/index.html`` becomes ``layers/``; ``404.html`` stays ``404.html``.
    """
    pages = []
    for path in sorted(Path(site).rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "index.html":
            rel = ""
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        pages.append(rel)
    return pages


class SiteURL(str):
    """The URL of a served site; ``sent`` lists (path, bytes, content type) of every response."""

    sent: list[tuple[str, int, str]]


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    sent: ClassVar[list[tuple[str, int, str]]] = []

    def translate_path(self, path: str) -> str:
        if self.prefix != "/" and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def send_header(self, keyword, value):
        if keyword.lower() == "content-type":
            self.content_type = value
        super().send_header(keyword, value)

    def copyfile(self, source, outputfile):
        body = source.read()
        try:
            outputfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the browser went away mid-response (a benchmark closed its context): not sent
        self.sent.append((self.path, len(body), getattr(self, "content_type", "")))

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(site: Path, prefix: str | None = None) -> Iterator[SiteURL]:
    """Serve ``site`` on 127.0.0.1; yield the URL of its root under ``prefix``.

    The server notes every body it sends in ``url.sent``: that is how ``measure_page`` counts
    bytes (requests of the page and of its workers alike, with no round trip per response).
    """
    prefix = site_prefix() if prefix is None else prefix
    sent: ClassVar[list[tuple[str, int, str]]] = []
    handler_class = type("Handler", (_PrefixHandler,), {"prefix": prefix, "sent": sent})
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = SiteURL(f"http://127.0.0.1:{server.server_address[1]}{prefix}")
        url.sent = sent
        yield url
    finally:
        server.shutdown()
        server.server_close()


def offline_context(
    browser, *, color_scheme: str = "light", width: int = 1280, height: int = 900, **options
):
    """A browser context whose requests never leave 127.0.0.1; ``context.outside`` lists them.

    ``options`` go to Playwright's ``new_context`` (e.g. ``java_script_enabled=False``).
    """
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=color_scheme, **options
    )
    context.outside = []

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            context.outside.append(url)
            r.abort()

    context.route("**/*", route)
    return context


def record_problems(tab, errors: list[str], failed: list[str]):
    """Note ``tab``'s console errors and uncaught exceptions in ``errors``, failed requests in
    ``failed``, from now on; return a function that stops noting them."""
    handlers = [
        ("console", lambda m: m.type == "error" and errors.append(m.text)),
        ("pageerror", lambda e: errors.append(str(e))),
        ("requestfailed", lambda r: failed.append(r.url)),
    ]
    for event, handler in handlers:
        tab.on(event, handler)

    def stop() -> None:
        for event, handler in handlers:
            tab.remove_listener(event, handler)

    return stop


def search_links(page, words: str) -> list[str]:
    """Type ``words`` into the open page's search box; return the results' links (absolute).

    A key-up after the text makes Material search: Hangul arrives as text input (IME).
    """
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words, delay=50)
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=10000)
    return page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")


# --- page weight -------------------------------------------------------------------------------

BUDGET_FILE = ROOT / "tests" / "gates" / "budget.toml"

# Content types a static host (GitHub Pages) sends gzip-compressed; the rest go as they are.
_COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                     "image/svg+xml", "application/x-javascript")  # fmt: skip


def kind_of(content_type: str) -> str:
    """html, css, js, fonts, images or other, from a response's content type."""
    content_type = content_type.split(";")[0].strip().lower()
    if content_type == "text/html":
        return "html"
    if content_type == "text/css":
        return "css"
    if content_type.endswith("javascript"):
        return "js"
    if content_type.startswith("font/") or content_type.endswith(("woff", "woff2", "ttf")):
        return "fonts"
    if content_type.startswith("image/"):
        return "images"
    return "other"


@dataclass
class PageLoad:
    """What one first visit of a page transferred, by kind, and when its load event fired."""

    path: str
    raw: dict[str, int] = field(default_factory=dict)  # bytes of the bodies, by kind
    transfer: dict[str, int] = field(default_factory=dict)  # gzip as a static host sends them
    requests: int = 0
    load_ms: float = 0.0
    outside: list[str] = field(default_factory=list)
    largest: list[tuple[int, str]] = field(default_factory=list)  # (transfer bytes, path)

    @property
    def raw_total(self) -> int:
        return sum(self.raw.values())

    @property
    def transfer_total(self) -> int:
        return sum(self.transfer.values())


@functools.lru_cache(maxsize=4096)
def _gzip_size(site_file: str, mtime_ns: int, size: int) -> int:
    return len(gzip.compress(Path(site_file).read_bytes(), compresslevel=6, mtime=0))


def transfer_size(body_or_file: bytes | Path, content_type: str) -> int:
    """Bytes on the wire for a body: gzip level 6 for text types (what static hosts do)."""
    compressed = content_type.split(";")[0].strip().lower().startswith(_COMPRESSED_TYPES)
    if isinstance(body_or_file, Path):
        stat = body_or_file.stat()
        if not compressed:
            return stat.st_size
        return _gzip_size(str(body_or_file), stat.st_mtime_ns, stat.st_size)
    return (
        len(gzip.compress(body_or_file, compresslevel=6, mtime=0))
        if compressed
        else len(body_or_file)
    )


QUIET_MS = 400  # no request in flight for this long: the page has fetched what it fetches


def _track_requests(tab) -> dict:
    """Count ``tab``'s requests in flight (its workers' too) and note when the last one ended."""
    state: dict = {"open": 0, "last": 0.0}

    def began(_request) -> None:
        state["open"] += 1
        state["last"] = time.monotonic()

    def ended(_request) -> None:
        state["open"] -= 1
        state["last"] = time.monotonic()

    handlers = [("request", began), ("requestfinished", ended), ("requestfailed", ended)]
    for event, handler in handlers:  # a dedicated worker's requests are reported on its page too
        tab.on(event, handler)
    state["handlers"] = handlers
    return state


def _wait_until_quiet(tab, state: dict, *, quiet_ms: float, timeout_ms: float) -> None:
    """Wait until no request of ``tab`` has been in flight for ``quiet_ms`` (at most
    ``timeout_ms``). Playwright's ``networkidle`` does the same with a fixed 500 ms."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        idle_ms = (time.monotonic() - state["last"]) * 1000
        if state["open"] <= 0 and idle_ms >= quiet_ms:
            return
        tab.wait_for_timeout(max(20.0, min(quiet_ms - idle_ms, 100.0)))


def settle(tab, url: str, *, until: str | None = None, quiet_ms: float = QUIET_MS) -> float:
    """Open ``url`` in ``tab`` and wait until the network is quiet; return the load time (ms).

    ``until`` is a JavaScript condition to wait for after the load event (at most 5 s; a page
    that never meets it is still measured and the caller's checks report it). Waiting until no
    request (of the page or of its workers) has been in flight for ``quiet_ms`` lets late
    requests (KaTeX fonts, the search worker's script) count; a page that keeps polling
    is still measured after 10 s.
    """
    state = _track_requests(tab)
    tab.goto(url, wait_until="load")
    load_ms = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
    with contextlib.suppress(Exception):
        if until:
            tab.wait_for_function(until, timeout=5000)
    _wait_until_quiet(tab, state, quiet_ms=quiet_ms, timeout_ms=10000)
    for event, handler in state["handlers"]:  # the tab may open another page next (the tour)
        tab.remove_listener(event, handler)
    return float(load_ms)


def count_sent(base_url: SiteURL, site: Path, path: str, *, load_ms: float, outside) -> PageLoad:
    """A ``PageLoad`` from every body the server sent since ``base_url.sent`` was cleared.

    Text bodies count at their gzip size, computed once per file.
    """
    result = PageLoad(path=path, load_ms=load_ms, outside=list(outside))
    prefix = urlparse(base_url).path
    for url_path, size, content_type in list(base_url.sent):
        rel = unquote(url_path.split("?")[0])
        rel = rel[len(prefix) :] if rel.startswith(prefix) else rel.lstrip("/")
        file = Path(site) / rel
        if file.is_dir():
            file = file / "index.html"
        same = file.is_file() and file.stat().st_size == size
        sent = transfer_size(file, content_type) if same else size
        kind = kind_of(content_type)
        result.raw[kind] = result.raw.get(kind, 0) + size
        result.transfer[kind] = result.transfer.get(kind, 0) + sent
        result.largest.append((sent, url_path))
        result.requests += 1
    result.largest = sorted(result.largest, reverse=True)[:5]
    return result


def measure_page(
    browser, base_url: SiteURL, site: Path, path: str, *, quiet_ms: float = QUIET_MS
) -> PageLoad:
    """Open ``path`` in a fresh context (empty cache) and add up every body the server sent.

    ``base_url`` comes from ``serve(site)``; one page at a time per server. The page has
    fetched all it fetches once no request has been in flight for ``quiet_ms`` (`settle`).
    """
    context = offline_context(browser)
    base_url.sent.clear()
    try:
        load_ms = settle(context.new_page(), base_url + path, quiet_ms=quiet_ms)
        return count_sent(base_url, site, path, load_ms=load_ms, outside=context.outside)
    finally:
        context.close()


def read_toml(path: Path) -> dict:
    """The table a TOML file holds (``tomllib``, or ``tomli`` on Python 3.10)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_budget(path: Path = BUDGET_FILE) -> dict:
    """The page budget in ``budget.toml``: ``page`` and ``images`` limits, in bytes."""
    return read_toml(path)


def weight_problems(load: PageLoad, budget: dict) -> list[str]:
    """Why one page load breaks the budget (empty when it does not)."""
    limits = budget["page"]
    problems = []
    if load.transfer_total > limits["max_transfer_bytes"]:
        problems.append(
            f"/{load.path}: {load.transfer_total:,} bytes transferred > "
            f"{limits['max_transfer_bytes']:,} (largest: {load.largest[:3]})"
        )
    if load.raw_total > limits["max_raw_bytes"]:
        problems.append(
            f"/{load.path}: {load.raw_total:,} bytes uncompressed > {limits['max_raw_bytes']:,}"
        )
    if load.outside:
        problems.append(f"/{load.path}: requests leaving the machine: {load.outside[:3]}")
    return problems


def weight_line(load: PageLoad) -> str:
    """One line of the weight report: path, bytes sent and raw, requests, load time, kinds."""
    kinds = " ".join(f"{k}={v:,}" for k, v in sorted(load.transfer.items()))
    return (
        f"/{load.path}\t{load.transfer_total:,}\t{load.raw_total:,}\t{load.requests}\t"
        f"{load.load_ms:.0f}\t{kinds}"
    )
