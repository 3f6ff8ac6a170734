"""Benchmark: time from Run to the first output of a runnable block, cold and warm, in Chromium.

The graphs chapters' runnable blocks (``docs/javascripts/runner/``) load Pyodide and the book's
graph engine from the site on the first Run of a page, in a Web Worker (cold: start the worker,
fetch, compile the WebAssembly, start Python, unpack the package, run), then reuse it (warm:
send the code to the worker, run, send the output back). Each run opens the
computational-graphs chapter in a fresh browser context (empty cache) from a local server,
presses Run on its first block and waits for the output, then presses Run again. The bytes the
first Run fetched (Pyodide and the package) are counted too. Timings depend on the machine and
its load: they are reported, never asserted. The goal: cold ≤ 3 s, warm ≤ 100 ms.

Usage: ``python benchmarks/bench_runner.py [--site site] [--runs 3] [--out FILE]`` (build the
site first). Writes ``benchmarks/results/runner.json`` by default and prints a summary. The
file has the shape ``benchmarks/report.py`` reads: the medians under ``results`` (``cold_s``,
``warm_ms``, beside the single runs and the bytes), the goals of the same names under ``goal``,
and the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.browser import launch, offline_context, serve  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "runner.json"
PAGE = "graphs/computational-graphs/"
DONE = "el => !el.hasAttribute('aria-busy') && el.querySelector('.bp-run__text')"
GOAL = {"cold_s": 3, "warm_ms": 100}  # the goals, by the names of the results they bound


def _run_ms(page, block) -> float:
    box = block.locator(".bp-run__output")
    started = time.perf_counter()
    block.locator(".bp-run__run").click()
    page.wait_for_function(DONE, arg=box.element_handle(), timeout=120_000)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        ROOT / "site")))  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if not (args.site / PAGE / "index.html").is_file():
        sys.exit(f"no built site in {args.site}: build it first (`make docs`)")

    from playwright.sync_api import sync_playwright

    cold, warm, fetched = [], [], []
    with serve(args.site) as url, sync_playwright() as p:
        browser = launch(p)
        try:
            for _ in range(args.runs):
                context = offline_context(browser)
                page = context.new_page()
                page.goto(url + PAGE, wait_until="load")
                page.wait_for_selector(".bp-run__panel")
                page.wait_for_load_state("networkidle")
                since = len(url.sent)
                block = page.locator("[data-bp-run]").first
                cold.append(_run_ms(page, block))
                fetched.append(sum(n for path, n, _ in url.sent[since:]))
                warm.append(_run_ms(page, block))
                assert not context.outside, context.outside
                context.close()
        finally:
            browser.close()

    result = {
        "what": f"Run to first output of the first runnable block of /{PAGE}, in Chromium",
        "runs": args.runs,
        "results": {
            "cold_s": round(statistics.median(cold) / 1000, 2),
            "warm_ms": round(statistics.median(warm), 1),
            "cold_s_runs": [round(x / 1000, 2) for x in cold],
            "warm_ms_runs": [round(x, 1) for x in warm],
            "first_run_bytes": fetched[0],
        },
        "goal": GOAL,
        "machine": {
            "python": platform.python_version(),
            "system": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    measured = result["results"]
    print(
        f"cold {measured['cold_s']} s (goal {GOAL['cold_s']}), warm {measured['warm_ms']} ms "
        f"(goal {GOAL['warm_ms']}), median of {args.runs}; first Run fetched {fetched[0]:,} "
        f"bytes; written to {args.out}"
    )


if __name__ == "__main__":
    main()
