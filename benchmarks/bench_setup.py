"""Benchmark: how long set-up and a strict build take on this machine.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
Clones the current commit into a temporary folder and times, there:

- a cold set-up (empty package caches, so everything comes from the registries),
- a second set-up in the same clone (idempotent: it should install nothing),
- a set-up of a fresh clone with warm caches (what a reader sees the second time),
- a cold strict build of the whole book (every block, figure and notebook executed),
- with ``--make-test``: the README's whole ``make test`` in a fresh clone (what CI runs).

Writes ``benchmarks/results/setup.json``.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "setup.json"


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(into)], check=True)
    return into


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
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "results": {k: round(v, 1) for k, v in results.items()},
        "goal": {"setup_cold_s": 60, "strict_build_cold_s": 90, "make_test_fresh_clone_s": 600},
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, results))
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds:7.1f} s")
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
