"""Every Python code block on every page is executed at build or run by a test.

A ```python block in ``docs/`` must be one of:

- executed at build time by markdown-exec (``exec="on"``), so its output is real;
- an embed of package or example code (only ``--8<--`` snippet lines), which the package's
  tests and the example tests run;
- a ``>>>`` session, which is checked here as a doctest.

A block that is none of these could hold code that no longer runs, so it fails this test.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT, load_script

DOCS = ROOT / "docs"
page_code = load_script("lint_page_code")  # the page lint's fence scanner, the one reader
# Blocks that cannot run at build time (they would download a data set), each with the test
# file that runs the same package calls against a local server or local files instead.
RUN_BY_TESTS = {"training/data-splits.md": "tests/training/test_datasets.py"}


def _package_calls(code: str) -> set[str]:
    import backprop_book

    return {name for name in re.findall(r"(\w+)\(", code) if name in backprop_book.__all__}


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def python_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number, options, body) of every Python fenced block, ``pycon`` too, of a text."""
    fences = page_code.python_fences(page_code.lines_of(text, "page.md"), pycon=True)
    return [(f.opening.number, f.opts, "\n".join(x.text for x in f.body)) for f in fences]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_python_blocks_run(page):
    problems = []
    for line, opts, body in python_blocks(page.read_text(encoding="utf-8")):
        code = [s for s in body.splitlines() if s.strip()]
        if 'exec="on"' in opts or "exec='on'" in opts:
            continue
        if code and all(s.strip().startswith("--8<--") for s in code):
            continue
        if code and code[0].lstrip().startswith(">>>"):
            test = doctest.DocTestParser().get_doctest(body, {}, page.name, str(page), line)
            runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
            runner.run(test, out=lambda _: None)
            if runner.failures:
                problems.append(f"line {line}: the >>> session fails as a doctest")
            continue
        test_file = RUN_BY_TESTS.get(str(page.relative_to(DOCS)))
        if "notest" in opts and test_file:
            tested = _package_calls((ROOT / test_file).read_text(encoding="utf-8"))
            untested = _package_calls(body) - tested
            if not untested:
                continue
            problems.append(f"line {line}: {test_file} never calls {sorted(untested)}")
            continue
        problems.append(f"line {line}: a Python block that is neither executed nor embedded")
    assert not problems, f"{page.relative_to(DOCS)}:\n" + "\n".join(problems)


def test_the_scanner_finds_blocks():
    text = '```python exec="on"\nprint(1)\n```\n\n    ```python\n    x = 1\n    ```\n'
    found = python_blocks(text)
    assert [(opts.strip(), body) for _, opts, body in found] == [
        ('exec="on"', "print(1)"),
        ("", "x = 1"),
    ]
