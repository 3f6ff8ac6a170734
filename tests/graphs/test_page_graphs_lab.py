"""The graphs lab notebook: runnable in the page, with solutions that assert their answers.

The notebook asks for its code cells to be runnable (``backprop_book.runnable`` in its
metadata); ``hooks/pyodide_assets.py`` marks its page's notebook for the runner, in both
editions, and stops the build when it cannot. Its code imports only what the browser has (the
graphs engine, the standard library, and ``IPython.display``, which ``bp_runner`` stands in
for where IPython is missing). The "Your turn" items have solutions, in English and in Korean,
whose cells assert the answers; the build ran them and printed what they found. The cells in
Chromium are ``tests/gates/test_runnable_blocks.py``'s.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT, load_hook

NOTEBOOK = ROOT / "docs" / "notebooks" / "graphs-lab.ipynb"
KOREAN = ROOT / "docs" / "ko" / "notebooks" / "graphs-lab.ko.yml"
RUNNER = ROOT / "docs" / "javascripts" / "runner"
PAGE = "notebooks/graphs-lab/"
hook = load_hook("pyodide_assets")


def _cells(kind: str) -> list[str]:
    cells = json.loads(NOTEBOOK.read_text("utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == kind]


def test_the_notebook_asks_for_runnable_cells_and_imports_only_what_the_browser_has():
    assert hook.notebook_session(NOTEBOOK) == "graphs-lab"
    browser = set(hook.graphs_names())  # what the browser's backprop_book exports
    for code in _cells("code"):
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and node.module == "backprop_book":
                assert {a.name for a in node.names} <= browser, code
            elif isinstance(node, ast.ImportFrom):
                assert node.module in {"IPython.display", "math"}, code
            elif isinstance(node, ast.Import):
                assert {a.name for a in node.names} <= {"math"}, code


def test_the_hook_marks_one_notebook_and_refuses_what_it_cannot_mark(tmp_path):
    page = '<h1>Lab</h1><div class="jupyter-wrapper"><div class="jp-Notebook"></div></div>'
    marked = hook.mark_notebook(page, "graphs-lab")
    wrapper = '<div class="jupyter-wrapper" data-bp-notebook="graphs-lab">'
    assert marked == page.replace('<div class="jupyter-wrapper">', wrapper)
    for wrong in ("<p>no notebook</p>", page + page):
        with pytest.raises(SystemExit, match="jupyter-wrapper"):
            hook.mark_notebook(wrong, "graphs-lab", "notebooks/x.ipynb")
    plain = tmp_path / "plain.ipynb"
    plain.write_text(json.dumps({"cells": [], "metadata": {}}), "utf-8")
    assert hook.notebook_session(plain) is None
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps({"cells": [], "metadata": {"backprop_book": {"runnable": "a b"}}}))
    with pytest.raises(SystemExit, match="session name"):
        hook.notebook_session(bad)


def test_without_ipython_display_prints_the_figure_for_the_page_to_draw():
    """bp_runner's stand-in, in a Python that has no IPython (``-S``: no site-packages)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bp_runner\n"
        "print(bp_runner.run([], 'from IPython.display import SVG, display\\n"
        "display(SVG(\"<svg><text>1.1</text></svg>\"), 3)\\n'), end='')\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(RUNNER)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "<svg><text>1.1</text></svg>\n3\n"


def test_the_your_turn_items_have_solutions_that_assert_their_answers():
    markdown = _cells("markdown")
    solutions = [m for m in markdown if m.startswith("### Solution to ")]
    assert [s.split(" · ")[0] for s in solutions] == ["### Solution to 1", "### Solution to 2"]
    code = _cells("code")
    checks = [c for c in code if "# claim: lab-" in c]
    assert len(checks) == 2 and all("assert " in c for c in checks)
    korean = KOREAN.read_text("utf-8")
    for solution in solutions:
        assert f'- en: "{solution.splitlines()[0]}"' in korean  # each has its Korean text


def test_the_built_pages_are_runnable_and_show_the_solutions(page_html, page_text):
    from backprop_book import Value

    x, y, z = Value(-2, "x"), Value(5, "y"), Value(-4, "z")
    f = (x + y) * z
    f.backward()
    square = Value(3.0, "x")
    (square * square).backward()
    for edition, heading in (("", "Solution to 1"), ("ko/", "1번 풀이")):
        html = page_html(edition + PAGE)
        assert html.count('<div class="jupyter-wrapper" data-bp-notebook="graphs-lab">') == 1
        text = page_text(edition + PAGE)
        assert heading in text
        assert f"x.grad = {x.grad}, y.grad = {y.grad}, z.grad = {z.grad}" in text
        assert f"x.grad = {square.grad}, 2x = {2 * square.data}" in text
