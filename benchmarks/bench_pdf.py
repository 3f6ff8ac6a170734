"""Benchmark: how long printing the two PDF editions takes, from the built site.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
Runs what ``make pdf`` runs after the build (``scripts/make_pdf.py``): for each edition, the
print of the body (every chapter), the print of the front matter (cover and contents, once the
body's page numbers are known) and the join of the two. ``total_s`` is the wall time of the
whole run, Chromium's start included. The machine's load is recorded beside the numbers: on a
machine shared with other jobs the same print takes several times longer.

Usage: ``python benchmarks/bench_pdf.py [--site site] [--pdfs folder]`` (build the site first,
``make docs``). Writes ``benchmarks/results/pdf.json``; the PDFs go to a temporary folder unless
``--pdfs`` names one (the site, to test them afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_pdf  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "pdf.json"
# make pdf's limit for both editions after the build, on an idle machine.
GOAL = {"total_s": 90}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        ROOT / "site")))  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--pdfs", type=Path, default=None,
                        help="keep the PDFs in this folder (default: a temporary one)")  # fmt: skip
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"no built site in {site}: run `make docs` first")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        pdfs = (args.pdfs or Path(folder)).resolve()
        printed = make_pdf.print_editions(site, pdfs, list(make_pdf.EDITIONS))
        total = time.perf_counter() - start
    results: dict[str, float | int] = {}
    for edition, done in zip(make_pdf.EDITIONS, printed, strict=True):
        results[f"print_{edition}_s"] = round(done.seconds["total"], 1)
        for step in ("body", "front", "join"):
            results[f"{step}_{edition}_s"] = round(done.seconds[step], 1)
    results["total_s"] = round(total, 1)
    for edition, done in zip(make_pdf.EDITIONS, printed, strict=True):
        results[f"pages_{edition}"] = done.pages
    result = {
        "what": "make pdf after the build: each edition's body, front matter and join, printed "
        "by Chromium from the built site",
        "machine": {
            "python": platform.python_version(),
            "system": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 1) for x in load_before],
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
        },
        "results": results,
        "goal": GOAL,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:<14} {value}")


if __name__ == "__main__":
    main()
