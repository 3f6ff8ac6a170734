"""Run every benchmark script in this folder, one after the other (``make bench``).

Each ``bench_<name>.py`` writes ``results/<name>.json``, which the Benchmarks page shows. A
script that exits without error but leaves its results file unwritten counts as failed, so a
benchmark can no longer drop out of the published results unnoticed. The benchmarks that
measure the built site in Chromium (``bench_pages``, ``bench_runner``) read it from ``--site``
(default: ``$BACKPROP_BOOK_SITE``, else ``site/``); without a built site they are not run and
the run fails with the command that builds one.

Usage: ``python benchmarks/run_all.py [--site DIR] [NAME ...]`` (NAME: e.g. ``runner`` for
``bench_runner.py``; default: every benchmark).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NEEDS_SITE = {"pages", "runner"}  # the benchmarks of the built site


def scripts(names: list[str]) -> list[Path]:
    """The benchmark scripts to run: ``bench_<name>.py`` for each name, or all of them."""
    found = {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}
    unknown = [n for n in names if n not in found]
    if unknown:
        sys.exit(f"no benchmark named {', '.join(unknown)}: choose from {', '.join(found)}")
    return [found[n] for n in names] if names else list(found.values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("BACKPROP_BOOK_SITE",
                        HERE.parent / "site")))  # fmt: skip
    args = parser.parse_args(argv)
    env = {**os.environ, "BACKPROP_BOOK_SITE": str(args.site.resolve())}
    built = (args.site / "index.html").is_file()
    failed = []
    for script in scripts(args.names):
        name = script.stem.removeprefix("bench_")
        print(f"== {script.name}", flush=True)
        if name in NEEDS_SITE and not built:
            print(f"no built site in {args.site}: build it first (`make docs`)", flush=True)
            failed.append(f"{script.name} (no built site)")
            continue
        out = RESULTS / f"{name}.json"
        before = out.stat().st_mtime_ns if out.is_file() else None
        if subprocess.run([sys.executable, str(script)], env=env, check=False).returncode:
            failed.append(script.name)
        elif not out.is_file() or out.stat().st_mtime_ns == before:
            failed.append(f"{script.name} (did not write {out.relative_to(HERE.parent)})")
    if failed:
        sys.exit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
