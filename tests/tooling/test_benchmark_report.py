"""benchmarks/report.py: the Benchmarks page's tables, read from the results files."""

from __future__ import annotations

import json
import sys

import pytest

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import report


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path)

    def write(name: str, data: dict) -> None:
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")

    return write


def test_every_measurement_is_a_row(results):
    results("pages", {"machine": {"cpus": 2}, "pages": [{"path": "/", "bytes": 123456.0}]})
    assert report.table("pages").splitlines() == [
        "| measurement | value |",
        "|---|---|",
        "| `machine.cpus` | 2 |",
        "| `pages` | {'path': '/', 'bytes': 123456.0} |",
    ]


def test_goals_stand_beside_their_results(results):
    results(
        "setup",
        {
            "machine": {"cpus": 2},
            "results": {"strict_build_cold_s": 59.04, "setup_again_s": 0.0},
            "goal": {"strict_build_cold_s": 90, "make_test_fresh_clone_s": 600},
        },
    )
    assert report.table("setup").splitlines() == [
        "| measurement | value | goal |",
        "|---|---|---|",
        "| `machine.cpus` | 2 |  |",
        "| `results.strict_build_cold_s` | 59 | 90 |",
        "| `results.setup_again_s` | 0 |  |",
        "| `goal.make_test_fresh_clone_s` |  | 600 |",  # no result yet: the goal stays shown
    ]


def test_a_goal_stands_beside_each_group_of_results(results):
    results(
        "two_layer",
        {
            "results": {"float32": {"ratio": 1.123}, "float64": {"ratio": 1.0512, "ms": 2.0}},
            "goal": {"ratio": 1.15},
        },
    )
    assert report.table("two_layer").splitlines()[2:] == [
        "| `results.float32.ratio` | 1.12 | 1.15 |",
        "| `results.float64.ratio` | 1.05 | 1.15 |",
        "| `results.float64.ms` | 2 |  |",
    ]


def test_a_benchmark_not_run_yet_says_how_to_run_it(results):
    assert report.table("two_layer") == (
        "*No results yet: run `python benchmarks/bench_two_layer.py`.*"
    )


def test_large_and_small_numbers(results):
    results("training", {"a": 1234567.0, "b": 0.000123456, "c": [1.5, 2]})
    rows = report.table("training").splitlines()[2:]
    assert rows == ["| `a` | 1,234,567 |", "| `b` | 0.000123 |", "| `c` | 1.5, 2 |"]
