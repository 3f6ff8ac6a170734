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
    results("training", {"machine": {"cpus": 2}, "mnist": {"skipped": "no data", "epochs": 16}})
    assert report.table("training").splitlines() == [
        "| measurement | value |",
        "|---|---|",
        "| `machine.cpus` | 2 |",
        "| `mnist.skipped` | `no data` |",  # text is shown verbatim, as code
        "| `mnist.epochs` | 16 |",
    ]


def test_korean_headers_keep_the_keys(results):
    results(
        "setup", {"results": {"strict_build_cold_s": 59.04}, "goal": {"strict_build_cold_s": 60}}
    )
    english, korean = report.table("setup"), report.table("setup", lang="ko")
    assert korean.splitlines()[0] == "| 측정 항목 | 값 | 목표 |"
    assert english.splitlines()[0] == "| measurement | value | goal |"
    assert korean.splitlines()[1:] == english.splitlines()[1:]  # same keys, numbers and goals


def test_an_unknown_language_is_refused(results):
    with pytest.raises(ValueError, match="lang must be one of"):
        report.table("setup", lang="fr")


def test_lists_of_rows_are_records_not_cells(results):
    results(
        "pages",
        {
            "results": {"median": {"ratio_to_bare": 1.04}},
            "goal": {"ratio_to_bare": 1.3},
            "pages": [
                {"page": "/a/", "ratio_to_bare": 1.04, "runs": [1.0, 2.0]},
                {"page": "/b|c/", "ratio_to_bare": 1.5, "runs": [3.0]},
            ],
        },
    )
    assert report.table("pages").splitlines()[2:] == [
        "| `results.median.ratio_to_bare` | 1.04 | 1.3 |"
    ]
    assert report.records("pages", "pages", lang="ko").splitlines() == [
        "| `page` | `ratio_to_bare` (목표 1.3) |",  # the runs (a list) stay in the file
        "|---|---|",
        "| `/a/` | 1.04 |",
        "| `/b\\|c/` | 1.5 |",  # a | in a value does not split the row
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
    assert "`python benchmarks/bench_pdf.py`" in report.table("pdf", lang="ko")
    assert "아직 결과가 없습니다" in report.table("pdf", lang="ko")
    assert report.records("pages", "pages", lang="ko") == report.table("pages", lang="ko")


def test_large_and_small_numbers(results):
    results("training", {"a": 1234567.0, "b": 0.000123456, "c": [1.5, 2]})
    rows = report.table("training").splitlines()[2:]
    assert rows == ["| `a` | 1,234,567 |", "| `b` | 0.000123 |", "| `c` | 1.5, 2 |"]


# --- benchmarks/bench_pages.py: the bare page and the summary, without a browser ---------------

bench_pages = pytest.importorskip("bench_pages")


def test_the_bare_page_keeps_the_chrome_and_empties_the_article():
    page = (
        '<html><head><link rel="stylesheet" href="../assets/a.css"></head><body><nav>menu</nav>'
        '<article class="md-content__inner md-typeset"><h1>T</h1><p>text</p></article>'
        "<script src='../assets/b.js'></script></body></html>"
    )
    bare = bench_pages.bare_html(page)
    assert '<article class="md-content__inner md-typeset"></article>' in bare
    assert bare.replace('<article class="md-content__inner md-typeset"></article>', "") == (
        page.replace(
            '<article class="md-content__inner md-typeset"><h1>T</h1><p>text</p></article>', ""
        )
    )
    with pytest.raises(ValueError, match="page_html has no <article"):
        bench_pages.bare_html("<html><body>no article</body></html>")


def test_the_editions_are_told_apart_by_their_folder():
    assert [
        bench_pages.edition_of(p) for p in ["", "layers/", "ko/", "ko/layers/", "404.html"]
    ] == [
        "en",
        "en",
        "ko",
        "ko",
        "en",
    ]


def test_the_summary_counts_the_pages_over_the_goal():
    def row(page, ms, bare, size):
        return {"page": page, "load_event_ms_median": ms, "bare_ms_median": bare,
                "ratio_to_bare": round(ms / bare, 3), "bytes_transferred_gzip": size}  # fmt: skip

    rows = [
        row("/a/", 100.0, 100.0, 10),
        row("/b/", 140.0, 100.0, 30),
        row("/c/", 120.0, 100.0, 20),
    ]
    head = bench_pages.summary(rows, goal=1.3)
    assert head["pages_measured"] == 3
    assert head["pages_over_goal"] == 1  # only /b/ (1.4) is over 1.3
    assert head["worst"]["page"] == "/b/"
    assert head["worst"]["ratio_to_bare"] == pytest.approx(1.4)
    assert head["median"]["ratio_to_bare"] == pytest.approx(1.2)
    assert head["heaviest"] == {"page": "/b/", "bytes_transferred_gzip": 30}


def test_a_setup_run_without_make_test_keeps_the_last_one_as_earlier():
    import bench_setup

    last = {"measured_on": "2026-11-28", "results": {"make_test_fresh_clone_s": 550.2}}
    assert bench_setup.earlier_make_test(last) == {
        "make_test_fresh_clone_s": 550.2,
        "measured_on": "2026-11-28",
    }
    older = {"results": {"setup_cold_s": 14.9}, "earlier": bench_setup.earlier_make_test(last)}
    assert bench_setup.earlier_make_test(older) == older["earlier"]  # carried over as it was
    assert bench_setup.earlier_make_test({}) == {}


def test_goals_stand_beside_the_largest_result_of_their_name(results):
    results(
        "two_layer",
        {
            "results": {"float32": {"ratio": 0.98}, "float64": {"ratio": 1.05}},
            "goal": {"ratio": 1.0},
        },
    )
    results("setup", {"results": {"build_s": 59.0}, "goal": {"build_s": 60, "test_s": 480}})
    results("training", {"results": {"accuracy": 0.97}})  # no goal: no row
    assert report.goals().splitlines()[2:] == [
        "| `setup` | `results.build_s` | 59 | 60 | met |",
        "| `setup` | `goal.test_s` |  | 480 | not measured yet |",
        "| `two_layer` | `results.float64.ratio` | 1.05 | 1 | missed (1.05× the goal) |",
    ]
    korean = report.goals(lang="ko").splitlines()
    assert korean[0] == "| 벤치마크 | 측정 항목 | 값 | 목표 | 판정 |"
    assert korean[2].endswith("| 달성 |") and korean[4].endswith("| 미달 (목표의 1.05배) |")


def test_a_goal_measured_only_in_an_earlier_run_says_when(results):
    earlier = {"test_s": 550.0, "measured_on": "2026-12-03"}
    results("setup", {"results": {"build_s": 30.0}, "goal": {"test_s": 480}, "earlier": earlier})
    assert report.goals().splitlines()[2:] == [
        "| `setup` | `earlier.test_s` | 550 | 480 | missed (1.15× the goal), measured on "
        "2026-12-03 (not in this run) |",
    ]
    assert (
        report.goals(lang="ko")
        .splitlines()[2]
        .endswith("| 미달 (목표의 1.15배), 2026-12-03 측정 (이번 실행에는 없음) |")
    )
