"""Benchmark: how long printing the two PDF editions takes, from the built site.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
Runs what ``make pdf`` runs after the build (``scripts/make_pdf.py``): the two editions at once,
each in a process with its own Chromium; for each, the print of the body (``body``), the print of
the front matter (cover and contents, once the body's page numbers are known) and the join.
``total_s`` is the wall time of the whole print, Chromium's start included. With ``--build`` it
first times the strict build of both editions (``mkdocs build --strict`` into a temporary
folder, as ``make docs``), and ``make_pdf_s`` is the whole command: build, then print. The
machine's load is recorded beside the numbers: on a machine shared with other jobs the same
print takes several times longer.

Usage: ``python benchmarks/bench_pdf.py [--site site] [--pdfs folder] [--build]`` (without
``--build``, build the site first: ``make docs``). Writes ``benchmarks/results/pdf.json``; the
PDFs go to a temporary folder unless ``--pdfs`` names one (the site, to test them afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_pdf  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "pdf.json"
# make pdf's limit for both editions, on an idle machine: the whole command (build and print)
# and the print alone.
GOAL = {"make_pdf_s": 90, "total_s": 90}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        ROOT / "site")))  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--pdfs", type=Path, default=None,
                        help="keep the PDFs in this folder (default: a temporary one)")  # fmt: skip
    parser.add_argument("--build", action="store_true",
                        help="time the strict build first and print from it")  # fmt: skip
    args = parser.parse_args(argv)
    site = args.site.resolve()
    load_before = os.getloadavg()
    results: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as folder:
        if args.build:
            site = Path(folder) / "site"
            start = time.perf_counter()
            command = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-q"]
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            subprocess.run([*command, "-d", str(site)], cwd=ROOT, check=True, env=env)
            results["build_s"] = round(time.perf_counter() - start, 1)
        if not (site / "index.html").is_file():
            sys.exit(f"no built site in {site}: run `make docs` first")
        start = time.perf_counter()
        pdfs = (args.pdfs or Path(folder) / "pdfs").resolve()
        printed = make_pdf.print_editions(site, pdfs, list(make_pdf.EDITIONS))
        total = time.perf_counter() - start
    for edition, done in zip(make_pdf.EDITIONS, printed, strict=True):
        results[f"print_{edition}_s"] = round(done.seconds["total"], 1)
        for step in ("body", "front", "join"):
            results[f"{step}_{edition}_s"] = round(done.seconds[step], 1)
    results["total_s"] = round(total, 1)
    if "build_s" in results:
        results["make_pdf_s"] = round(results["build_s"] + total, 1)
    for edition, done in zip(make_pdf.EDITIONS, printed, strict=True):
        results[f"pages_{edition}"] = done.pages
    result = {
        "what": "make pdf: the strict build of both editions (build_s, with --build), then both "
        "editions printed at once by Chromium from it (total_s: each edition's body, "
        "front matter, join); make_pdf_s = build_s + total_s",
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
