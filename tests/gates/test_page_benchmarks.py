"""The Benchmarks page shows every measurement of the results files, in both editions."""

from __future__ import annotations

import re
import sys

import pytest

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import report

RESULTS = sorted(p.stem for p in report.RESULTS.glob("*.json"))


def _cells(markdown_table: str) -> list[str]:
    """The cells of the body rows of a Markdown table, as a reader sees them (no code marks,
    whitespace collapsed)."""
    rows = markdown_table.splitlines()[2:]
    cells = [c.strip().strip("`") for row in rows for c in row.strip("|").split("|")]
    return [" ".join(c.split()) for c in cells if c]


@pytest.mark.parametrize("page", ["benchmarks/", "ko/benchmarks/"])
@pytest.mark.parametrize("name", RESULTS)
def test_every_measurement_is_on_the_page(page_text, page, name):
    text = page_text(page)
    missing = [cell for cell in _cells(report.table(name)) if cell not in text]
    assert not missing, f"/{page}: cells of {name}.json not shown: {missing[:10]}"


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


def test_there_are_results_to_show():
    assert {"setup", "two_layer", "training", "pages", "convolution"} <= set(RESULTS)
