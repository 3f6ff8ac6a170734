"""Render benchmark results (``benchmarks/results/*.json``) as Markdown tables for the site.

The benchmark scripts measure and write JSON; the Benchmarks page calls :func:`table` (and
:func:`records` for a list of one row per item, such as the pages of the site, and
:func:`goals` for every goal at once) in an executed
block, so every number on that page comes from a measurement file, never typed in. Both
editions call the same functions: ``lang="ko"`` gives the Korean column headers and notes;
the measurements' names (the JSON keys) stay as they are, as identifiers.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

WORDS = {
    "en": {
        "measurement": "measurement",
        "value": "value",
        "goal": "goal",
        "none": "*No results yet: run `python benchmarks/bench_{name}.py`.*",
        "benchmark": "benchmark",
        "status": "status",
        "met": "met",
        "missed": "missed ({ratio:.2f}× the goal)",
        "no_result": "not measured yet",
        "earlier": "{status}, measured on {day} (not in this run)",
    },
    "ko": {
        "measurement": "측정 항목",
        "value": "값",
        "goal": "목표",
        "none": "*아직 결과가 없습니다. `python benchmarks/bench_{name}.py`를 실행하면 생깁니다.*",
        "benchmark": "벤치마크",
        "status": "판정",
        "met": "달성",
        "missed": "미달 (목표의 {ratio:.2f}배)",
        "no_result": "아직 측정 전",
        "earlier": "{status}, {day} 측정 (이번 실행에는 없음)",
    },
}


def load(name: str) -> dict:
    """The results of one benchmark, or an empty dict if it has not been run yet."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _is_records(value: object) -> bool:
    """True for a list of rows (dicts): shown by :func:`records`, not as one cell."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _flatten(data: object, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(data, dict):
        rows: list[tuple[str, object]] = []
        for key, value in data.items():
            if not _is_records(value):
                rows += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    return [(prefix, data)]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _cell(value: object) -> str:
    """A value as a table cell: numbers as they are, text verbatim (as code, as in the file)."""
    if isinstance(value, str):
        return "`" + value.replace("`", "'").replace("|", "\\|") + "`"
    return _fmt(value).replace("|", "\\|")


def _words(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise ValueError(f"lang must be one of {sorted(WORDS)}, got {lang!r}")
    return WORDS[lang]


def _goal_rows(name: str, data: dict) -> list[tuple[str, object, float, str | None]]:
    """``(measurement, value, goal, day)`` per goal of one results file, the largest result of
    its name; ``day`` is None for a result of this run, or the day of an earlier measurement
    that the file keeps under ``earlier`` (a benchmark run without its slowest part).

    Every goal of the book is an upper limit that each result of the same name must meet (each
    page's load ratio, each float type's training ratio), so the largest of them stands for it.
    """
    goals = data.get("goal") if isinstance(data.get("goal"), dict) else {}
    found = _flatten(data.get("results", {}), "results")
    earlier = data.get("earlier") if isinstance(data.get("earlier"), dict) else {}
    rows: list[tuple[str, object, float, str | None]] = []
    for goal_name, goal in goals.items():
        same = [(k, v) for k, v in found if k.rsplit(".", 1)[-1] == goal_name]
        numbers = [(k, v) for k, v in same if isinstance(v, (int, float))]
        if numbers:
            rows.append((*max(numbers, key=lambda kv: kv[1]), goal, None))
        elif isinstance(earlier.get(goal_name), (int, float)):
            day = str(earlier.get("measured_on", "?"))
            rows.append((f"earlier.{goal_name}", earlier[goal_name], goal, day))
        else:
            rows.append((f"goal.{goal_name}", None, goal, None))
    return rows


def goals(lang: str = "en") -> str:
    """One Markdown table of every goal of every results file, each beside its measurement.

    The last column says whether the measurement meets its goal (every goal is an upper limit),
    or by how much it misses it, as the ratio of the two; a measurement kept from an earlier
    run says on which day it was taken.

    Examples:
        >>> print(goals().splitlines()[0])
        | benchmark | measurement | value | goal | status |
    """
    words = _words(lang)
    lines = [
        f"| {words['benchmark']} | {words['measurement']} | {words['value']} | {words['goal']} "
        f"| {words['status']} |",
        "|---|---|---|---|---|",
    ]
    for path in sorted(RESULTS.glob("*.json")):
        for key, value, goal, day in _goal_rows(path.stem, load(path.stem)):
            if not isinstance(value, (int, float)):
                status = words["no_result"]
            elif value <= goal:
                status = words["met"]
            else:
                status = words["missed"].format(ratio=value / goal)
            if day is not None:
                status = words["earlier"].format(status=status, day=day)
            shown = "" if value is None else _fmt(value)
            lines.append(f"| `{path.stem}` | `{key}` | {shown} | {_fmt(goal)} | {status} |")
    return "\n".join(lines)


def table(name: str, lang: str = "en") -> str:
    """A Markdown table of every measurement in ``results/<name>.json``.

    When the file has a ``goal`` section, each goal is shown in a third column beside every
    result of the same name (``results.<name>``, or ``results.<group>.<name>`` such as one row
    per float type); a goal that matches no result keeps a row of its own. Lists of rows
    (``pages``: one dict per page) are left to :func:`records`.
    """
    words, data = _words(lang), load(name)
    if not data:
        return words["none"].format(name=name)
    goals = data.get("goal") if isinstance(data.get("goal"), dict) else None
    if goals is None:
        lines = [f"| {words['measurement']} | {words['value']} |", "|---|---|"]
        lines += [f"| `{key}` | {_cell(value)} |" for key, value in _flatten(data)]
        return "\n".join(lines)
    lines = [f"| {words['measurement']} | {words['value']} | {words['goal']} |", "|---|---|---|"]
    used = set()
    for key, value in _flatten({k: v for k, v in data.items() if k != "goal"}):
        last = key.rsplit(".", 1)[-1]
        goal = goals.get(last) if key.startswith("results.") else None
        if goal is not None:
            used.add(last)
        lines.append(f"| `{key}` | {_cell(value)} | {'' if goal is None else _fmt(goal)} |")
    lines += [f"| `goal.{k}` |  | {_fmt(v)} |" for k, v in goals.items() if k not in used]
    return "\n".join(lines)


def records(name: str, key: str, lang: str = "en") -> str:
    """A Markdown table of the list ``<key>`` of ``results/<name>.json``, one row per item.

    The columns are the keys of the items whose values are numbers or text (lists and nested
    dicts, such as the single runs, stay in the file); a column with a goal of the same name
    says it in its header.
    """
    words, data = _words(lang), load(name)
    rows = data.get(key)
    if not _is_records(rows):
        return words["none"].format(name=name)
    goals = data.get("goal") if isinstance(data.get("goal"), dict) else {}
    columns = [k for k, v in rows[0].items() if isinstance(v, (int, float, str)) or v is None]
    header = [
        f"`{c}`" + (f" ({words['goal']} {_fmt(goals[c])})" if c in goals else "") for c in columns
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append(
            "| " + " | ".join("" if row.get(c) is None else _cell(row[c]) for c in columns) + " |"
        )
    return "\n".join(lines)
