"""Benchmark: every page of the built site against a bare page of the same site, in Chromium.

The goal is every page's load event within 1.3 times that of a bare page: the site's own
chrome (header, navigation, style sheets, scripts, fonts) around an empty article. The bare
page is made at benchmark time, one per edition, by copying a built page of that edition and
emptying its ``<article>``; it is written into the served folder under a name no page uses
and removed afterwards. Each page is timed ``--runs`` times interleaved with its edition's
bare page (bare then page, page then bare, alternately, so that a change in the machine's
load falls on both), each load in a fresh browser context (empty cache) from a local
server; the medians are kept and their ratio is the page's ``ratio_to_bare``. One more load
of each page, as the weight gate (``tests/gates/test_weight.py``) makes it, counts the bytes
of every response (HTML, CSS, JS, fonts, images, the search index), uncompressed and
gzip-compressed as a static host sends text. Timings depend on the machine and its load:
they are reported, never asserted.

Usage: ``python benchmarks/bench_pages.py [--site site] [--runs 3]`` (build the site first,
``make docs``). Writes ``benchmarks/results/pages.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.browser import (  # noqa: E402
    html_pages,
    launch,
    load_budget,
    measure_page,
    offline_context,
    serve,
)

RESULTS = ROOT / "benchmarks" / "results" / "pages.json"
GOAL_RATIO_TO_BARE = 1.3  # the book's goal: every page within 1.3x its edition's bare page
BARE = "_bare-page/"  # where the bare page of an edition is served (no page of the book)
EDITIONS = {"en": "", "ko": "ko/"}
ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*">).*?(</article>)', re.S)


def edition_of(path: str) -> str:
    """``ko`` for a page of the Korean edition (``ko/...``), ``en`` for the others."""
    return "ko" if path.startswith("ko/") else "en"


def bare_html(page_html: str) -> str:
    """A built page with its article emptied: the site's chrome around nothing."""
    bare, count = ARTICLE.subn(r"\1\2", page_html, count=1)
    if not count:
        raise ValueError("page_html has no <article class=md-content__inner>: not a built page")
    return bare


@contextlib.contextmanager
def bare_pages(site: Path, pages: list[str]) -> Iterator[dict[str, str]]:
    """Write one bare page per edition into ``site``; yield {edition: its path}; remove them.

    Each is a copy of the edition's first page one folder deep (so that its relative links to
    the assets resolve as they do from the page it copies), with the article emptied.
    """
    made: dict[str, str] = {}
    try:
        for edition, prefix in EDITIONS.items():
            depth = prefix.count("/") + 1
            template = next(
                (p for p in pages if p.startswith(prefix) and p.endswith("/")
                 and p.count("/") == depth and edition_of(p) == edition),
                None,
            )  # fmt: skip
            if template is None:
                continue
            target = site / prefix / BARE / "index.html"
            if target.exists():
                sys.exit(f"{target} exists: a page uses the bare page's name {BARE!r}")
            target.parent.mkdir(parents=True)
            html = (site / template / "index.html").read_text(encoding="utf-8")
            target.write_text(bare_html(html), encoding="utf-8")
            made[edition] = prefix + BARE
        yield made
    finally:
        for path in made.values():
            (site / path / "index.html").unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                (site / path).rmdir()


def load_event_ms(browser, url: str) -> float:
    """Open ``url`` in a fresh browser context (empty cache); the time to its load event (ms)."""
    context = offline_context(browser)
    try:
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        return float(tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart"))
    finally:
        context.close()


def timed_pair(browser, url: str, page: str, bare: str, runs: int) -> tuple[list, list]:
    """``runs`` loads of ``page`` and of ``bare``, interleaved, alternating which goes first."""
    page_ms, bare_ms = [], []
    for run in range(runs):
        order = [(page, page_ms), (bare, bare_ms)]
        for path, out in order if run % 2 else order[::-1]:
            out.append(round(load_event_ms(browser, url + path), 1))
    return page_ms, bare_ms


def summary(rows: list[dict], goal: float) -> dict:
    """The headline numbers: median and worst ratio, pages over the goal, bytes."""
    worst = max(rows, key=lambda r: r["ratio_to_bare"])
    heaviest = max(rows, key=lambda r: r["bytes_transferred_gzip"])

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rows), 3)

    return {
        "pages_measured": len(rows),
        "pages_over_goal": sum(r["ratio_to_bare"] > goal for r in rows),
        "median": {
            "ratio_to_bare": median("ratio_to_bare"),
            "load_event_ms": median("load_event_ms_median"),
            "bare_ms": median("bare_ms_median"),
            "bytes_transferred_gzip": int(median("bytes_transferred_gzip")),
        },
        "worst": {
            "page": worst["page"],
            "ratio_to_bare": worst["ratio_to_bare"],
            "load_event_ms": worst["load_event_ms_median"],
            "bare_ms": worst["bare_ms_median"],
        },
        "heaviest": {
            "page": heaviest["page"],
            "bytes_transferred_gzip": heaviest["bytes_transferred_gzip"],
        },
    }


def _bare_summary(bare_rows: dict[str, dict], rows: list[dict]) -> dict:
    """Each edition's bare page: its weight and the median of all its timed loads."""
    out = {}
    for edition, row in bare_rows.items():
        runs = [x for r in rows if r["edition"] == edition for x in r["bare_ms_runs"]]
        if runs:
            out[edition] = {**row, "load_event_ms_median": round(statistics.median(runs), 1)}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        ROOT / "site")))  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default="", help="measure only pages whose path contains this")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        sys.exit(f"no built site in {args.site}: run `make docs` first")
    if args.runs < 1:
        sys.exit(f"--runs must be at least 1, got {args.runs}")

    from playwright.sync_api import sync_playwright

    pages = [p for p in html_pages(args.site) if BARE not in p]
    rows, bare_rows = [], {}
    with bare_pages(args.site, pages) as bare, serve(args.site) as url, sync_playwright() as p:
        browser = launch(p)
        try:
            for edition, path in bare.items():
                weight = measure_page(browser, url, args.site, path)
                bare_rows[edition] = {
                    "page": "/" + path,
                    "requests": weight.requests,
                    "bytes_transferred_gzip": weight.transfer_total,
                }
            for path in (p for p in pages if args.only in p):
                edition = edition_of(path)
                weight = measure_page(browser, url, args.site, path)
                page_ms, bare_ms = timed_pair(browser, url, path, bare[edition], args.runs)
                load, bare_load = statistics.median(page_ms), statistics.median(bare_ms)
                rows.append(
                    {
                        "page": "/" + path,
                        "edition": edition,
                        "requests": weight.requests,
                        "bytes_uncompressed": weight.raw_total,
                        "bytes_transferred_gzip": weight.transfer_total,
                        "transferred_by_kind": dict(sorted(weight.transfer.items())),
                        "load_event_ms_median": round(load, 1),
                        "bare_ms_median": round(bare_load, 1),
                        "ratio_to_bare": round(load / bare_load, 3),
                        "load_event_ms_runs": page_ms,
                        "bare_ms_runs": bare_ms,
                    }
                )
                print(f"{rows[-1]['page']:52} {load:7.0f} {bare_load:7.0f} "
                      f"{rows[-1]['ratio_to_bare']:6.2f}", flush=True)  # fmt: skip
        finally:
            browser.close()
    if not rows:
        sys.exit(f"no page of {args.site} matches --only {args.only!r}")

    budget = load_budget()["page"]["max_transfer_bytes"]
    result = {
        "what": "load event of every page against a bare page of its edition, Chromium, 127.0.0.1",
        "runs_per_page": args.runs,
        "machine": {
            "python": platform.python_version(),
            "system": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]
            if hasattr(os, "getloadavg")
            else None,
        },
        "bare": _bare_summary(bare_rows, rows),
        "results": summary(rows, GOAL_RATIO_TO_BARE),
        "goal": {"ratio_to_bare": GOAL_RATIO_TO_BARE, "bytes_transferred_gzip": budget},
        "pages": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")

    head = result["results"]
    print(
        f"{len(rows)} pages; ratio to the bare page: median {head['median']['ratio_to_bare']},"
        f" worst {head['worst']['ratio_to_bare']} ({head['worst']['page']}),"
        f" {head['pages_over_goal']} over {GOAL_RATIO_TO_BARE}; heaviest"
        f" {head['heaviest']['page']} {head['heaviest']['bytes_transferred_gzip']:,} bytes"
        f" (budget {budget:,}); written to"
        f" {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    )


if __name__ == "__main__":
    main()
