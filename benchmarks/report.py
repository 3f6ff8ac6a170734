"""Render benchmark results (``benchmarks/results/*.json``) as Markdown tables for the site.

The benchmark scripts measure and write JSON; the Benchmarks page calls :func:`table` in an
executed block, so every number on that page comes from a measurement file, never typed in.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def load(name: str) -> dict:
    """The results of one benchmark, or an empty dict if it has not been run yet."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _flatten(data: object, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(data, dict):
        rows: list[tuple[str, object]] = []
        for key, value in data.items():
            rows += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    return [(prefix, data)]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def table(name: str) -> str:
    """A two-column Markdown table of every measurement in ``results/<name>.json``."""
    data = load(name)
    if not data:
        return f"*No results yet: run `python benchmarks/bench_{name}.py`.*"
    lines = ["| measurement | value |", "|---|---|"]
    lines += [f"| `{key}` | {_fmt(value)} |" for key, value in _flatten(data)]
    return "\n".join(lines)
