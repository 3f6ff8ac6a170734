"""The explorer's JavaScript computes what the package computes, checked in Node, not a browser.

``js_fixtures`` (graphs/explorer.py) asks Python for the numbers: formatted strings, each
operation's value and local gradients, every graph's forward and backward pass over a range of
inputs. This test writes them to a JSON file and runs Node's own test runner on
``tests/graphs/js/*.test.mjs``, which import the widget's pure pieces from
``docs/javascripts/explorer/`` (ES modules, no DOM needed) and compare. No npm package is used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from backprop_book.graphs.explorer import js_fixtures
from tests.helpers import ROOT

JS_TESTS = sorted((ROOT / "tests" / "graphs" / "js").glob("*.test.mjs"))
# The widget's modules are .js files under the project's package.json, which names no "type":
# Node 20.19+ and 22.7+ see the import/export syntax and load them as ES modules, warning
# each time that it had to look. The browser needs no such hint (<script type="module">).
NODE_FLAGS = ["--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", "--test", "--test-reporter=tap"]


_OLD_22 = {(22, minor) for minor in range(7)}


def node() -> str:
    """The ``node`` on PATH, if it is recent enough to load the widget's modules."""
    install = (
        "Install Node 20.19 or newer (22.7 or newer on the 22 line): `sudo apt-get install "
        "nodejs` on Debian and Ubuntu, or from nodejs.org; scripts/setup.sh needs it too, "
        "for KaTeX."
    )
    found = shutil.which("node")
    if found is None:
        pytest.fail(f"Node.js is not installed; it checks the explorer's JavaScript. {install}")
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    major, minor = (int(n) for n in version.strip().lstrip("v").split(".")[:2])
    # Node loads an ES module with a .js name and no "type" on its own from 20.19 and 22.7 on.
    if not ((major, minor) >= (20, 19) and major != 21 and (major, minor) not in _OLD_22):
        pytest.fail(f"Node {version.strip()} cannot load ES modules without a hint. {install}")
    return found


def test_the_js_tests_are_found():
    names = {path.name for path in JS_TESTS}
    assert {"format.test.mjs", "ops.test.mjs", "graph.test.mjs", "words.test.mjs"} <= names


def test_the_explorer_pieces_agree_with_python_in_node(tmp_path):
    fixtures = tmp_path / "explorer-fixtures.json"
    fixtures.write_text(
        json.dumps(js_fixtures(), ensure_ascii=False, allow_nan=False), encoding="utf-8"
    )
    env = {**os.environ, "BACKPROP_BOOK_JS_FIXTURES": str(fixtures), "NO_COLOR": "1"}
    run = subprocess.run(
        [node(), *NODE_FLAGS, *map(str, JS_TESTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"node --test failed (exit {run.returncode}):\n{output}"
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, output
