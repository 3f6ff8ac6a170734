"""Print the built site as one PDF per edition: ``backprop_book.pdf`` and ``backprop_book-ko.pdf``.

``make pdf`` runs this after ``make docs``. Each edition's chapters are read from the built site in
the order of its navigation (``pdf_pages.py``) and printed by Debian's Chromium through
Playwright, as a book, both editions at once (a process and a Chromium each: Chromium lays out
a document on one core, and the machine has two): the body first (one chapter per page, footers
numbered from 1), then the
front matter (a cover, and a table of contents whose page numbers are read from the body's
bookmarks), joined in front of the body (``pdf_join.py``; the front matter is labelled i, ii, …).
The math is the KaTeX HTML typeset at build time, figures stay vectors (inline SVG), code wraps
at the margin (``docs/stylesheets/print.css``), interactive widgets print as their static figure
(no script runs), asides are opened, each chapter's exercise solutions are gathered at its end
with links both ways (``pdf_solutions.py``), and links between chapters become links inside the
PDF. Chromium embeds the fonts it uses (Hangul from the machine's Noto CJK) and writes PDF
bookmarks from the headings (``outline=True``). Nothing is fetched: the site is served on
127.0.0.1 and any other request is refused. The PDF's dates are fixed so that the same commit
prints the same file.

Usage: ``python scripts/make_pdf.py [--site site] [--out site] [--edition en|ko ...] [--jobs N]``
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pdf_join import body_marks, join
from pdf_pages import (
    CHAPTER_LINK,
    EDITIONS,
    ROOT,
    Chapter,
    body_document,
    chapter_slug,
    chapters,
    front_document,
)

__all__ = ["EDITIONS", "Chapter", "Printed", "chapters", "main", "print_edition"]
CHROMIUM = "/usr/bin/chromium"
PRINT_DIR = "_print"  # written inside the site while printing, removed afterwards
TIMEOUT_MS = 600_000  # a loaded machine takes minutes to lay out the whole book, not 30 s
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
# The body's footer: its page number, the one the contents print (the front matter has none).
FOOTER = (
    '<div style="width:100%;font-size:8px;color:#666;text-align:center;">'
    '<span class="pageNumber"></span></div>'
)


@dataclass
class Printed:
    """One printed edition: its file, page counts and the seconds each step took."""

    pdf: Path
    pages: int
    front_pages: int
    seconds: dict[str, float] = field(default_factory=dict)  # body, front, join, total


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _print(browser: object, url: str, site: Path, name: str, source: str, numbered: bool) -> bytes:
    """Print one HTML document, served from the site's ``_print/`` folder, to PDF bytes."""
    (site / PRINT_DIR).mkdir(exist_ok=True)
    (site / PRINT_DIR / f"{name}.html").write_text(source, encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    refused: list[str] = []

    def route(r: object) -> None:
        target = r.request.url  # type: ignore[attr-defined]
        if target.startswith(("data:", url)):
            r.continue_()  # type: ignore[attr-defined]
        else:
            refused.append(target)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}{PRINT_DIR}/{name}.html", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    data: bytes = page.pdf(
        format="A4", print_background=True, outline=True, tagged=True, margin=MARGIN,
        display_header_footer=numbered, header_template="<span></span>", footer_template=FOOTER,
    )  # fmt: skip
    context.close()
    if refused:
        raise SystemExit(f"make_pdf: the print document {name} asked for {refused[:3]}")
    return data


def print_edition(browser: object, url: str, site: Path, edition: str, out: Path) -> Printed:
    """Print one edition (the body, then the front matter, then the join) to ``out``."""
    seconds, start = {}, time.perf_counter()
    book = chapters(site, edition)
    body = _print(browser, url, site, edition, body_document(site, edition, book), True)
    marks = body_marks(body, {chapter_slug(ch.path): ch.heading for ch in book})
    seconds["body"], at = time.perf_counter() - start, time.perf_counter()
    numbers = {slug: index + 1 for slug, (index, _, _) in marks.items()}
    front_html = front_document(site, edition, book, numbers)
    front = _print(browser, url, site, f"{edition}-front", front_html, False)
    seconds["front"], at = time.perf_counter() - at, time.perf_counter()
    folder = out / EDITIONS[edition]["prefix"]  # beside the edition's pages
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / EDITIONS[edition]["pdf"]
    pdf.write_bytes(join(front, body, marks, CHAPTER_LINK, EDITIONS[edition]["contents"]))
    seconds["join"] = time.perf_counter() - at
    seconds["total"] = time.perf_counter() - start
    from pypdf import PdfReader

    pages_count, front_pages = len(PdfReader(pdf).pages), len(PdfReader(io.BytesIO(front)).pages)
    return Printed(pdf, pages_count, front_pages, seconds)


def _print_one(url: str, site: Path, edition: str, out: Path) -> Printed:
    """Launch a Chromium of its own and print one edition (run in a process of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            return print_edition(browser, url, site, edition, out)
        finally:
            browser.close()


def print_editions(
    site: Path, out: Path, editions: Sequence[str], jobs: int | None = None
) -> list[Printed]:
    """Serve the site and print ``editions``, each in a process of its own with its own
    Chromium, ``jobs`` at a time (default: one per edition, at most one per core); ``_print/``
    is removed after.

    Chromium lays out and prints a document on one core: two editions printed side by side on
    two cores take little more than one alone. Each edition's steps are timed in its process.
    """
    jobs = jobs or max(1, min(len(editions), os.cpu_count() or 1))
    try:
        with serve(site) as url:
            if jobs == 1:
                return [_print_one(url, site, edition, out) for edition in editions]
            context = multiprocessing.get_context("spawn")  # no fork of the server's thread
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                futures = [pool.submit(_print_one, url, site, e, out) for e in editions]
                return [future.result() for future in futures]
    finally:
        for leftover in (site / PRINT_DIR).glob("*.html"):
            leftover.unlink()
        if (site / PRINT_DIR).is_dir():
            (site / PRINT_DIR).rmdir()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site")
    parser.add_argument("--out", type=Path, default=None, help="folder for the PDFs (the site)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append")
    parser.add_argument("--jobs", type=int, default=None,
                        help="editions printed at once (default: one per core)")  # fmt: skip
    args = parser.parse_args(argv)
    site, out = args.site.resolve(), (args.out or args.site).resolve()
    if not (site / "index.html").is_file():
        print(f"make_pdf: no built site in {site}: run `make docs` first", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).is_file():
        print(f"make_pdf: {CHROMIUM} is missing: run `make setup` with --browser", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for done in print_editions(site, out, args.edition or list(EDITIONS), args.jobs):
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in done.seconds.items())
        size = done.pdf.stat().st_size / 1e6
        print(f"make_pdf: {done.pdf} ({done.pages} pages, {size:.1f} MB; {steps})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
