"""Benchmark: the author's edit loop of ``make serve`` (scripts/serve.py), in seconds.

The book is served from a temporary copy of the repository (``git archive HEAD``, plus a
link to ``node_modules`` and a copy of the build caches in ``.cache``), so no file of the
working tree is ever written; the copy imports its own ``src`` (``PYTHONPATH``). The server
runs with the environment ``make serve`` gives it (``PYTHONPYCACHEPREFIX`` in the copy's
``.cache/pycache``, ``MPLBACKEND=Agg``, one BLAS thread unless set). The script starts it on
a free port (never 8000) and measures, each from the moment the file is written or the server
started until the served HTML shows it:

- ``serve_start_cold_s``: the first start, with the caches as copied (cold: the page and
  block caches know their files by their place, and the copy is elsewhere);
- ``serve_start_s``: a second start, the caches warm (the first start's): both editions served;
- ``prose_edit_en_s`` / ``prose_edit_ko_s``: a sentence appended to an English / Korean page;
- ``code_edit_s``: a line added to an executed block of the English page (it prints a number
  the page did not show), which runs that block and its session's earlier blocks again.

Each edit is made ``--edits`` times (a new sentence or number each time); the result is the
median, every time is kept under ``samples``, and the 1-minute load average when each result
was taken under ``machine.load_average_at``. Each edited file is restored right after its
measurement (in ``finally``) and the copy is removed at the end. Timings depend on the machine
and its load (2 cores shared here): they are reported, never asserted. ``--baseline`` also
measures ``mkdocs serve`` on the same copy with the caches off (the edit loop before
scripts/serve.py), as ``before_*`` results.

Usage: ``python benchmarks/bench_serve.py [--page layers/simple-layers] [--edits 3]
[--baseline] [--output FILE]``. Writes ``benchmarks/results/serve.json`` (or ``FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "serve.json"
GOAL = {"serve_start_s": 20, "prose_edit_en_s": 3, "prose_edit_ko_s": 3}
MOUNT = "/backprop_book/"  # the path of site_url, where mkdocs serves the site
TIMEOUT = 1800.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_repository(target: Path, cache: Path) -> None:
    """The committed tree into ``target``, with node_modules linked and ``cache`` copied."""
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    if cache.is_dir():
        shutil.copytree(cache, target / ".cache")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, test, started: float, process: subprocess.Popen) -> float:
    """Seconds from ``started`` until the page at ``url`` passes ``test``."""
    while time.monotonic() - started < TIMEOUT:
        if process.poll() is not None:
            raise SystemExit(f"the server ended (code {process.returncode}); see its log")
        html = fetch(url)
        if html is not None and test(html):
            return time.monotonic() - started
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show the change within {TIMEOUT:.0f} s")


def start(command: list[str], cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def timed_edit(path: Path, edit, url: str, token: str, process: subprocess.Popen) -> float:
    """Write ``edit(text)`` to ``path``, time until ``url`` shows ``token``, then restore."""
    original = path.read_bytes()
    try:
        started = time.monotonic()
        path.write_text(edit(original.decode("utf-8")), encoding="utf-8")
        return round(wait_for(url, lambda html: token in html, started, process), 2)
    finally:
        path.write_bytes(original)
        wait_for(url, lambda html: token not in html, time.monotonic(), process)


def add_print(text: str, line: str) -> str:
    """``text`` with ``line`` added at the end of its last executed block of a session."""
    blocks = list(re.finditer(r'^( *)```python exec="on"[^\n]*session="[^"]+"[^\n]*\n', text, re.M))
    if not blocks:
        raise SystemExit("the page has no executed block in a session to edit")
    indent = blocks[-1].group(1)
    end = text.index(f"\n{indent}```", blocks[-1].end() - 1)
    return text[:end] + f"\n{indent}{line}" + text[end:]


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def measure(
    copy: Path, command: list[str], env: dict, page: str, log: Path, edits: int = 1
) -> tuple[dict[str, float], dict[str, list[float]], dict[str, float]]:
    """The results (medians), every sample, and the load average at each result."""
    base = f"http://127.0.0.1:{command[-1].rsplit(':', 1)[1]}{MOUNT}"
    en, ko = f"{base}{page}/", f"{base}ko/{page}/"
    results: dict[str, float] = {}
    samples: dict[str, list[float]] = {}
    loads: dict[str, float] = {}
    for name in ("serve_start_cold_s", "serve_start_s"):
        started = time.monotonic()
        process = start(command, copy, env, log)
        try:
            wait_for(en, lambda html: "<article" in html, started, process)
            results[name] = round(wait_for(ko, lambda h: 'lang="ko"' in h, started, process), 2)
            loads[name] = _load()
        finally:
            if name == "serve_start_cold_s":
                stop(process)
    try:
        time.sleep(2)  # let the Korean build finish what follows its last page (search, assets)
        for name, path, url in [
            ("prose_edit_en_s", copy / "docs" / f"{page}.md", en),
            ("prose_edit_ko_s", copy / "docs" / "ko" / f"{page}.md", ko),
        ]:
            for _ in range(edits):
                token = f"editloopprobe{random.randrange(10**8, 10**9)}"
                sentence = f"\n\nThis sentence, {token}, was added by the benchmark.\n"
                edit = timed_edit(path, lambda t, s=sentence: t + s, url, token, process)
                samples.setdefault(name, []).append(edit)
            loads[name] = _load()
        for _ in range(edits):
            a, b = random.randrange(10**4, 10**5), random.randrange(10**4, 10**5)
            edit = timed_edit(
                copy / "docs" / f"{page}.md",
                lambda t, a=a, b=b: add_print(t, f"print({a} * {b})"),
                en,
                str(a * b),
                process,
            )
            samples.setdefault("code_edit_s", []).append(edit)
            loads["code_edit_s"] = _load()
    finally:
        stop(process)
    for name, times in samples.items():
        results[name] = round(statistics.median(times), 2)
    return results, samples, loads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="layers/simple-layers", help="page to edit, no .md")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="caches to copy")
    parser.add_argument("--edits", type=int, default=3, help="times each edit is made")
    parser.add_argument("--baseline", action="store_true", help="also time plain mkdocs serve")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    copy = Path(tempfile.mkdtemp(prefix="backprop-book-bench-serve-"))
    log = Path(tempfile.gettempdir()) / "bench_serve.log"
    log.write_text("")
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # what make serve runs with (the Makefile's exports)
    env.update(MPLBACKEND="Agg", PYTHONPYCACHEPREFIX=str(copy / ".cache" / "pycache"))
    for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # the Makefile's, unless set
        env.setdefault(threads, "1")
    machine = {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        copy_repository(copy, args.cache)
        address = f"127.0.0.1:{free_port()}"
        serve = [sys.executable, "scripts/serve.py", "--dev-addr", address]
        results, samples, loads = measure(copy, serve, env, args.page, log, args.edits)
        if args.baseline:
            mkdocs = str(Path(sys.executable).with_name("mkdocs"))
            plain = [mkdocs, "serve", "--livereload", "--dev-addr", f"127.0.0.1:{free_port()}"]
            off = {**env, "BACKPROP_BOOK_EXEC_CACHE": "off", "BACKPROP_BOOK_PAGE_CACHE": "off"}
            before, before_samples, before_loads = measure(copy, plain, off, args.page, log)
            results.update({f"before_{k}": v for k, v in before.items()})
            samples.update({f"before_{k}": v for k, v in before_samples.items()})
            loads.update({f"before_{k}": v for k, v in before_loads.items()})
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    # The load at the start alone can mislead: other work may start during the minutes it runs.
    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    machine["load_average_at"] = loads
    report = {
        "what": "make serve (scripts/serve.py): seconds until the served page shows a start or an "
        f"edit of {args.page} (English, Korean, an executed block); a copy of the repository",
        "machine": machine,
        "results": results,
        "samples": samples,
        "goal": GOAL,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        goal = GOAL.get(key)
        line = f"{key:24} {value:8.2f} s   load {loads.get(key, 0):5.2f}"
        print(line + (f"   (goal {goal} s)" if goal else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
