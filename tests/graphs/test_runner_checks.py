"""The exercise checks (docs/javascripts/runner/checks.py) and the block runner, in CPython.

The same files run in the reader's browser (``tests/gates/test_runnable_blocks.py``). Here: the
reference solution printed on each page passes its check, the starter code and typical wrong
answers fail with the expected value and the numerical gradient in the message, in both
languages; the reference and the numerical gradient agree; ``bp_runner.run`` prints what the
code prints, runs a session's earlier blocks silently and turns an error into a traceback that
starts at the reader's code.
"""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from tests.helpers import ROOT

RUNNER = ROOT / "docs" / "javascripts" / "runner"


@pytest.fixture(scope="module")
def modules():
    sys.path.insert(0, str(RUNNER))
    try:
        yield importlib.import_module("bp_runner"), importlib.import_module("checks")
    finally:
        sys.path.remove(str(RUNNER))
        sys.modules.pop("bp_runner", None)
        sys.modules.pop("checks", None)


def _page_block(page: str, section: str) -> str:
    """The code of the snippet section ``section`` of ``docs/graphs/<page>.md``, dedented."""
    text = (ROOT / "docs" / "graphs" / page).read_text("utf-8")
    body = text.split(f"[start:{section}] -->", 1)[1].split(f"[end:{section}]", 1)[0]
    lines = body.split("```", 2)[1].splitlines()[1:]
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


EXERCISES = [
    ("computational-graphs.md", "cg-ex-mul-local", "mul_local",
     "def mul_local(x, y):\n    return x, y\n"),
    ("chain-rule.md", "cr-ex-bill", "bill_gradients",
     "def bill_gradients(apple, apple_count, orange, orange_count, tax):\n"
     "    return {'apple': apple_count, 'apple_count': apple, 'orange': orange_count,\n"
     "            'orange_count': orange, 'tax': apple * apple_count + orange * orange_count}\n"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "section", "name", "wrong"), EXERCISES)
def test_the_pages_solution_passes_and_wrong_answers_fail(modules, page, section, name, wrong):
    bp_runner, checks = modules
    solution = _page_block(page, f"{section}-2")
    bp_runner.run([], solution)
    passed, message = checks.check(name, "en")
    assert passed, message
    assert "Right" in message
    for code in (_page_block(page, section), wrong):  # the starter, then a wrong answer
        bp_runner.run([], code)
        for lang, word in (("en", "expected"), ("ko", "기대한")):
            passed, message = checks.check(name, lang)
            assert not passed
            assert word in message, message
    bp_runner.run([], "x = 1\n")
    passed, message = checks.check(name, "en")
    assert not passed and "Define a function" in message


def test_a_raising_answer_is_reported_not_raised(modules):
    bp_runner, checks = modules
    bp_runner.run([], "def mul_local(x, y):\n    return 1 / 0\n")
    passed, message = checks.check("mul_local", "en")
    assert not passed and "ZeroDivisionError" in message


@pytest.mark.parametrize("name", ["mul_local", "bill_gradients"])
def test_the_reference_agrees_with_the_numerical_gradient(modules, name):
    _, checks = modules
    for _, reference, numerical in checks.EXERCISES[name]():
        pairs = reference.items() if isinstance(reference, dict) else enumerate(reference)
        for key, value in pairs:
            assert abs(value - numerical[key]) <= 1e-6 * max(1.0, abs(value)), (name, key)


def test_the_runner_prints_runs_earlier_blocks_and_shows_tracebacks(modules):
    bp_runner, _ = modules
    assert bp_runner.run([], "print('hi')\n") == "hi\n"
    assert bp_runner.run(["a = 2\nprint('not shown')\n"], "print(a * 3)\n") == "6\n"
    out = bp_runner.run([], "x = 1\nprint(x / 0)\n")
    assert out.startswith("Traceback (most recent call last):\n")
    assert re.search(r'File "<your code>", line 2', out)
    assert "bp_runner" not in out
    assert out.rstrip().endswith("ZeroDivisionError: division by zero")
    out = bp_runner.run([], "print(\n")
    assert "SyntaxError" in out and "Traceback" not in out.splitlines()[0]
