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
    """A Markdown table of every measurement in ``results/<name>.json``.

    When the file has a ``goal`` section, each goal is shown in a third column beside every
    result of the same name (``results.<name>``, or ``results.<group>.<name>`` such as one row
    per float type); a goal that matches no result keeps a row of its own.
    """
    data = load(name)
    if not data:
        return f"*No results yet: run `python benchmarks/bench_{name}.py`.*"
    goals = data.get("goal") if isinstance(data.get("goal"), dict) else None
    if goals is None:
        lines = ["| measurement | value |", "|---|---|"]
        lines += [f"| `{key}` | {_fmt(value)} |" for key, value in _flatten(data)]
        return "\n".join(lines)
    lines, used = ["| measurement | value | goal |", "|---|---|---|"], set()
    for key, value in _flatten({k: v for k, v in data.items() if k != "goal"}):
        last = key.rsplit(".", 1)[-1]
        goal = goals.get(last) if key.startswith("results.") else None
        if goal is not None:
            used.add(last)
        lines.append(f"| `{key}` | {_fmt(value)} | {'' if goal is None else _fmt(goal)} |")
    lines += [f"| `goal.{k}` |  | {_fmt(v)} |" for k, v in goals.items() if k not in used]
    return "\n".join(lines)
