"""hooks/pyodide_assets.py: what the browser gets to run the pages' blocks.

The archive holds the graphs package as this build imported it (byte for byte) beside a browser
``__init__`` that re-exports every name the graphs pages' blocks import from ``backprop_book``;
it imports without numpy, and the same source gives the same bytes. Only the Pyodide files
that ``loadPyodide`` needs are copied, and a missing one says where it looked.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import ROOT, load_hook

hook = load_hook("pyodide_assets")
GRAPHS = ROOT / "src" / "backprop_book" / "graphs"


def _imported_names() -> set[str]:
    """Every name a graphs page (either edition) imports ``from backprop_book``."""
    names: set[str] = set()
    for page in sorted((ROOT / "docs").glob("graphs/*.md")) + sorted(
        (ROOT / "docs" / "ko").glob("graphs/*.md")
    ):
        for found in re.findall(r"from backprop_book import ([\w, ]+)", page.read_text("utf-8")):
            names |= {n.strip() for n in found.split(",")}
    return names


def test_the_archive_holds_the_graphs_source_as_built(tmp_path):
    archive = hook.pack(tmp_path / "backprop_book.zip")
    with zipfile.ZipFile(archive) as z:
        files = {name: z.read(name) for name in z.namelist()}
    sources = {f"backprop_book/graphs/{p.name}": p.read_bytes() for p in GRAPHS.glob("*.py")}
    assert {k: v for k, v in files.items() if k != "backprop_book/__init__.py"} == sources
    assert "backprop_book/__init__.py" in files


def test_the_browser_package_exposes_what_the_pages_import(tmp_path):
    names = _imported_names()
    assert {"Value", "format_number", "apple_graph", "figure_html"} <= names
    assert names <= set(hook.graphs_names())
    archive = hook.pack(tmp_path / "backprop_book.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "browser")
    script = (
        "import sys\n"
        f"from backprop_book import {', '.join(sorted(names))}\n"
        "import backprop_book\n"
        "print(sorted(backprop_book.__all__))\n"
        "print(sorted(m for m in sys.modules if m.startswith('numpy')))\n"
    )
    path = f"import sys; sys.path.insert(0, {str(tmp_path / 'browser')!r})\n"
    done = subprocess.run(
        [sys.executable, "-I", "-c", path + script],
        capture_output=True, text=True, check=False, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    all_names, numpy = done.stdout.splitlines()
    assert all_names == str(sorted(hook.graphs_names()))
    assert numpy == "[]"  # the browser has no numpy; the graphs need none


def test_the_archive_is_deterministic(tmp_path):
    one = hook.pack(tmp_path / "one.zip").read_bytes()
    two = hook.pack(tmp_path / "two.zip").read_bytes()
    assert one == two


def test_only_the_needed_pyodide_files_are_copied(tmp_path):
    if not (hook.PYODIDE / "pyodide.asm.wasm").is_file():
        pytest.fail("node_modules/pyodide is needed: run `make setup` (npm ci)")
    hook.copy_pyodide(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(hook.FILES)
    for name in hook.FILES:
        assert (tmp_path / "out" / name).read_bytes() == (hook.PYODIDE / name).read_bytes()


def test_a_missing_pyodide_says_where_it_looked(tmp_path):
    with pytest.raises(SystemExit, match=str(tmp_path)):
        hook.copy_pyodide(tmp_path / "out", pyodide=tmp_path)


def test_the_hook_writes_into_the_site(tmp_path):
    if not (hook.PYODIDE / "pyodide.asm.wasm").is_file():
        pytest.fail("node_modules/pyodide is needed: run `make setup` (npm ci)")
    hook.on_post_build({"site_dir": str(tmp_path)})
    out = tmp_path / "assets" / "pyodide"
    assert (out / hook.ARCHIVE).is_file()
    assert all((out / name).is_file() for name in hook.FILES)
