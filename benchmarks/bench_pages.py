"""Benchmark: weight and time to the load event of every page of the built site, in Chromium.

Each page is opened once in a fresh browser context (empty cache) from a local server, the
same measure as the weight gate (``tests/gates/test_weight.py``): bytes of every response
(HTML, CSS, JS, fonts, images, the search index), uncompressed and gzip-compressed as a
static host sends text, and the time from navigation to the load event. Each page is loaded
``--runs`` times; the median load time is kept. Timings depend on the machine and its load:
they are reported, never asserted.

Usage: ``python benchmarks/bench_pages.py [--site site] [--runs 3]`` (build the site first,
``make docs``). Writes ``benchmarks/results/pages.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.browser import (  # noqa: E402
    html_pages,
    launch,
    load_budget,
    measure_page,
    serve,
)

RESULTS = ROOT / "benchmarks" / "results" / "pages.json"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        ROOT / "site")))  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        sys.exit(f"no built site in {args.site}: run `make docs` first")

    from playwright.sync_api import sync_playwright

    rows = []
    with serve(args.site) as url, sync_playwright() as p:
        browser = launch(p)
        try:
            for path in html_pages(args.site):
                loads = [measure_page(browser, url, args.site, path) for _ in range(args.runs)]
                first = loads[0]
                rows.append(
                    {
                        "page": "/" + path,
                        "requests": first.requests,
                        "bytes_uncompressed": first.raw_total,
                        "bytes_transferred_gzip": first.transfer_total,
                        "transferred_by_kind": dict(sorted(first.transfer.items())),
                        "load_event_ms_median": round(
                            statistics.median(x.load_ms for x in loads), 1
                        ),
                        "load_event_ms_runs": [round(x.load_ms, 1) for x in loads],
                    }
                )
        finally:
            browser.close()

    budget = load_budget()["page"]
    result = {
        "what": "first load of every page of the built site in Chromium, from 127.0.0.1",
        "runs_per_page": args.runs,
        "budget_bytes_transferred": budget["max_transfer_bytes"],
        "machine": {
            "python": platform.python_version(),
            "system": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "pages": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")

    print(f"{'page':44} {'req':>4} {'uncompressed':>13} {'gzip':>10} {'load ms':>8}")
    for row in rows:
        print(
            f"{row['page']:44} {row['requests']:>4} {row['bytes_uncompressed']:>13,} "
            f"{row['bytes_transferred_gzip']:>10,} {row['load_event_ms_median']:>8.0f}"
        )
    heaviest = max(rows, key=lambda r: r["bytes_transferred_gzip"])
    print(
        f"{len(rows)} pages; heaviest {heaviest['page']} "
        f"{heaviest['bytes_transferred_gzip']:,} bytes (budget {budget['max_transfer_bytes']:,});"
        f" written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    )


if __name__ == "__main__":
    main()
