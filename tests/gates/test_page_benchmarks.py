"""The Benchmarks page shows every measurement of the results files, in both editions."""

from __future__ import annotations

import re
import statistics
import sys

import pytest

from tests.helpers import ROOT, html_to_text

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_setup
import report

RESULTS = sorted(p.stem for p in report.RESULTS.glob("*.json"))
# Every timing the book's goals name: set-up and build, the edit loop, the PDF editions, Run in
# the browser, the package against plain numpy, and the pages against a bare page.
PUBLISHED = ["setup", "serve", "pdf", "runner", "two_layer", "convolution", "training", "pages"]
PAGES = {"benchmarks/": "en", "ko/benchmarks/": "ko"}


def _cells(markdown_table: str) -> list[str]:
    """The cells of the body rows of a Markdown table, as a reader sees them (no code marks,
    whitespace collapsed, escaped pipes as pipes)."""
    rows = markdown_table.replace("\\|", "\x00").splitlines()[2:]
    cells = [c.strip().strip("`") for row in rows for c in row.strip("|").split("|")]
    return [" ".join(c.replace("\x00", "|").split()) for c in cells if c]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", RESULTS)
def test_every_measurement_is_on_the_page(page_text, page, name):
    text = page_text(page)
    missing = [cell for cell in _cells(report.table(name, lang=PAGES[page])) if cell not in text]
    assert not missing, f"/{page}: cells of {name}.json not shown: {missing[:10]}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", PUBLISHED)
def test_every_timing_has_its_section(page_text, page, name):
    """A results file not written yet shows the line that says how to write it."""
    text, lang = page_text(page), PAGES[page]
    if not report.load(name):
        line = report.table(name, lang=lang).strip("*").replace("`", "")
        # the text of the page has spaces around inline code: compare without any
        assert "".join(line.split()) in "".join(text.split()), f"/{page}: no {line!r}"


@pytest.mark.parametrize("page", PAGES)
def test_the_tables_speak_the_page_language(page_html, page):
    html, words = page_html(page), report.WORDS[PAGES[page]]
    other = report.WORDS["ko" if PAGES[page] == "en" else "en"]
    headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", html, re.S)
    assert words["measurement"] in headers and words["goal"] in headers
    assert other["measurement"] not in headers and other["goal"] not in headers


@pytest.mark.parametrize("page", PAGES)
def test_the_per_page_table_is_collapsed_and_complete(page_html, page):
    html = page_html(page)
    folded = re.findall(r"<details class=\"note\">(.*?)</details>", html, re.S)
    assert len(folded) == 1, f"/{page}: expected one collapsed note holding the per-page table"
    body = html_to_text(folded[0])
    rows = report.load("pages")["pages"]
    missing = [c for c in _cells(report.records("pages", "pages", PAGES[page])) if c not in body]
    assert not missing, f"/{page}: per-page cells not in the collapsed table: {missing[:10]}"
    assert all(row["page"] in body for row in rows)
    # the summary stays outside the fold, the per-page rows inside it
    assert "results.median.ratio_to_bare" in html_to_text(html.replace(folded[0], ""))
    assert "results.median.ratio_to_bare" not in body


def test_the_setup_goals_stand_beside_their_results(page_html):
    html = page_html("benchmarks/")
    data = report.load("setup")
    for name, goal in data["goal"].items():
        if name in data["results"]:
            row = re.search(rf"<tr>\s*<td><code>results\.{name}</code></td>(.*?)</tr>", html, re.S)
            assert row, name
            assert re.findall(r"<td>(.*?)</td>", row.group(1)) == [
                report._fmt(data["results"][name]),
                report._fmt(goal),
            ]


def test_the_setup_results_hold_the_scripts_goals():
    assert report.load("setup")["goal"] == bench_setup.GOAL


def test_the_pages_results_add_up():
    """Each page's ratio is its median over its bare page's; the summary is of those rows."""
    data = report.load("pages")
    rows, goal = data["pages"], data["goal"]["ratio_to_bare"]
    assert {row["edition"] for row in rows} == {"en", "ko"}
    for row in rows:
        assert row["load_event_ms_median"] == pytest.approx(
            statistics.median(row["load_event_ms_runs"]),
            abs=0.051,  # rounded to 0.1 ms
        )
        assert row["bare_ms_median"] == pytest.approx(
            statistics.median(row["bare_ms_runs"]), abs=0.051
        )
        assert len(row["load_event_ms_runs"]) == len(row["bare_ms_runs"]) == data["runs_per_page"]
        # ratio of the unrounded medians, rounded to 0.001: within rounding of the stored ones
        assert row["ratio_to_bare"] == pytest.approx(
            row["load_event_ms_median"] / row["bare_ms_median"], rel=1e-3, abs=1e-3
        )
    head = data["results"]
    assert head["pages_measured"] == len(rows)
    assert head["pages_over_goal"] == sum(row["ratio_to_bare"] > goal for row in rows)
    assert head["worst"]["ratio_to_bare"] == max(row["ratio_to_bare"] for row in rows)
    assert head["median"]["ratio_to_bare"] == pytest.approx(
        statistics.median(row["ratio_to_bare"] for row in rows), abs=5e-4
    )


def test_there_are_results_to_show():
    assert {"setup", "two_layer", "training", "pages", "convolution"} <= set(RESULTS)


@pytest.mark.parametrize("page", PAGES)
def test_every_goal_is_on_the_page_with_its_verdict(page_text, page):
    table = report.goals(lang=PAGES[page])
    assert len(table.splitlines()) > 2 + 5  # the results files hold more than five goals
    text = " ".join(page_text(page).split())
    missing = [cell for cell in _cells(table) if cell not in text]
    assert not missing, f"/{page}: cells of the goals table not shown: {missing[:10]}"
