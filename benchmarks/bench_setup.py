"""Benchmark: how long set-up and a strict build take on this machine.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
Clones the current commit into a temporary folder and times, there:

- a cold set-up (empty package caches, so everything comes from the registries),
- a second set-up in the same clone (idempotent: it should install nothing),
- a set-up of a fresh clone with warm caches (what a reader sees the second time),
- a cold strict build of the whole book (every block, figure and notebook executed),
- with ``--make-test``: the README's whole ``make test`` in a fresh clone (what CI runs).

Writes ``benchmarks/results/setup.json``. A run without ``--make-test`` keeps the last
measured ``make_test_fresh_clone_s`` under ``earlier``, with the day it was measured (the
results file's ``measured_on``, or the day the file was last committed), so that the page
still shows it, as an earlier measurement rather than one of this run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "setup.json"
# The limits the book holds itself to: a first set-up within a minute, a cold strict build of
# both editions within a minute, and the README's `make test` in a fresh clone within 8 minutes.
GOAL = {"setup_cold_s": 60, "strict_build_cold_s": 60, "make_test_fresh_clone_s": 480}


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(into)], check=True)
    return into


def earlier_make_test(previous: dict) -> dict:
    """The last measured ``make test`` of ``previous`` (an earlier results file), with its day."""
    if "make_test_fresh_clone_s" in previous.get("results", {}):
        day = previous.get("measured_on")
        if day is None:
            log = ["git", "log", "-1", "--format=%cs", "--", str(OUT.relative_to(ROOT))]
            day = subprocess.run(log, cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return {"make_test_fresh_clone_s": previous["results"]["make_test_fresh_clone_s"],
                "measured_on": day or "unknown"}  # fmt: skip
    return dict(previous.get("earlier", {}))


def main() -> None:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        cold_env = dict(
            env,
            UV_CACHE_DIR=str(tmp_path / "uv-cache"),
            PIP_CACHE_DIR=str(tmp_path / "pip-cache"),
            npm_config_cache=str(tmp_path / "npm-cache"),
        )
        first = clone(tmp_path / "first")
        results["setup_cold_s"] = timed(["scripts/setup.sh"], first, cold_env)
        results["setup_again_s"] = timed(["scripts/setup.sh"], first, cold_env)
        second = clone(tmp_path / "second")
        results["setup_warm_cache_s"] = timed(["scripts/setup.sh"], second, env)
        build = [".venv/bin/mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")]
        results["strict_build_cold_s"] = timed(build, first, env)
        results["strict_build_again_s"] = timed(build, first, env)
        if "--make-test" in sys.argv:
            third = clone(tmp_path / "third")
            results["make_test_fresh_clone_s"] = timed(["make", "test"], third, env)
    previous = json.loads(OUT.read_text(encoding="utf-8")) if OUT.is_file() else {}
    report = {
        "measured_on": datetime.now(timezone.utc).date().isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            # how busy the machine was (1, 5, 15 min) when the last timing ended: timings taken
            # on a shared, loaded machine are longer than the book's own cost
            "load_average": [round(x, 2) for x in os.getloadavg()]
            if hasattr(os, "getloadavg")
            else None,
        },
        "results": {k: round(v, 1) for k, v in results.items()},
        "goal": GOAL,
    }
    if "make_test_fresh_clone_s" not in results and earlier_make_test(previous):
        report["earlier"] = earlier_make_test(previous)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, results))
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds:7.1f} s")
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
