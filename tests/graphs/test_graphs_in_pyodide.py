"""``backprop_book.graphs`` runs in Pyodide (Python compiled to WebAssembly), offline.

The computational-graph engine imports the standard library only, so a reader's browser can run
the very code the build ran. This runs it in Pyodide under Node (the copy of package-lock.json,
nothing fetched), with the package laid out as a browser would get it: ``backprop_book/graphs/``
as in the source tree beside a one-line ``backprop_book/__init__.py`` (the real one loads the
numpy parts). The apple graphs, the sigmoid graph and their SVG figures must come out the same
as in CPython, byte for byte (they are made of exact decimal formatting, not of BLAS sums).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNNER = Path(__file__).with_name("pyodide") / "run.mjs"
SCRIPT = """
import hashlib, sys
from backprop_book.graphs import apple_graph, apple_orange_graph, sigmoid_graph, to_svg
for build in (apple_graph, apple_orange_graph, sigmoid_graph):
    out = build()
    leaves = [(v.name, v.data, v.grad) for v in out.topo() if not v.inputs]
    print(build.__name__, out.data, leaves)
    print("svg", hashlib.sha256(to_svg(out).encode()).hexdigest())
print("modules", sorted(m for m in sys.modules if m.startswith("numpy")))
"""


def _browser_layout(tmp_path: Path) -> Path:
    root = tmp_path / "browser"
    shutil.copytree(
        ROOT / "src" / "backprop_book" / "graphs",
        root / "backprop_book" / "graphs",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (root / "backprop_book" / "__init__.py").write_text('"""The graphs part, in a browser."""\n')
    return root


@pytest.mark.slow
def test_the_graphs_run_in_pyodide_as_in_cpython(tmp_path):
    node = shutil.which("node")
    if node is None or not (PYODIDE / "pyodide.asm.wasm").is_file():
        pytest.fail("Node and node_modules/pyodide are needed: run `make setup` (npm ci)")
    root = _browser_layout(tmp_path)
    script = tmp_path / "graphs.py"
    script.write_text(SCRIPT, encoding="utf-8")
    cpython = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False,
        cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}, timeout=60,
    )  # fmt: skip
    assert cpython.returncode == 0, cpython.stderr
    pyodide = subprocess.run(
        [node, str(RUNNER), f"{PYODIDE}/", str(root), str(script)],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert pyodide.returncode == 0, pyodide.stderr[-3000:]
    assert pyodide.stdout.splitlines() == cpython.stdout.splitlines()
    assert "modules []" in pyodide.stdout  # no numpy, in either
    assert len(pyodide.stdout.splitlines()) == 7  # three graphs, three figures, the modules
