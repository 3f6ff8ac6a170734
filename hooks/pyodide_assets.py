"""MkDocs hook: serve Pyodide and the book's graph engine, so the pages' code runs in the browser.

Pyodide (Python compiled to WebAssembly) is installed at set-up from the npm registry at the
version pinned in ``package-lock.json`` and never committed. Only the files that
``loadPyodide({indexURL})`` fetches for standard-library Python are copied into
``assets/pyodide/`` of the built site: the loader, the runtime, the standard library and the
lock file (no package is loaded by name, so no wheel is needed and nothing is fetched from
elsewhere).

Beside them goes ``backprop_book.zip``: the source files of ``src/backprop_book/graphs/`` as
this build imported them, and a small ``backprop_book/__init__.py`` that re-exports the
graphs' public names (the real one also loads the numpy parts, which do not run in Pyodide).
The pages' runnable blocks (``docs/javascripts/runner/``) unpack it, so a reader's browser runs
exactly the code the build ran. The archive is deterministic: same source, same bytes.
"""

from __future__ import annotations

import ast
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"
GRAPHS = ROOT / "src" / "backprop_book" / "graphs"
# What loadPyodide() fetches from indexURL for standard-library Python.
FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
ARCHIVE = "backprop_book.zip"
DATE = (2020, 1, 1, 0, 0, 0)  # a fixed time stamp in the archive, for identical bytes


def graphs_names(graphs: Path = GRAPHS) -> list[str]:
    """The names in ``__all__`` of the graphs package, read from its source without importing it."""
    tree = ast.parse((graphs / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise SystemExit(f"{graphs / '__init__.py'} has no __all__ to re-export in the browser")


def browser_init(names: list[str]) -> str:
    """The browser's ``backprop_book/__init__.py``: the graphs part's names, nothing else."""
    lines = "".join(f"    {name!r},\n" for name in names)
    imports = "".join(f"    {name},\n" for name in names)
    return (
        '"""backprop_book in the browser: the graphs part only (it imports the standard library'
        ' only)."""\n\n'
        f"from backprop_book.graphs import (\n{imports})\n\n__all__ = [\n{lines}]\n"
    )


def pack(out: Path, graphs: Path = GRAPHS) -> Path:
    """Write the browser's ``backprop_book`` package as a zip archive at ``out``."""
    sources = sorted(p for p in graphs.glob("*.py"))
    if not sources:
        raise SystemExit(f"No Python files in {graphs} to pack for the browser")
    out.parent.mkdir(parents=True, exist_ok=True)
    entries = [("backprop_book/__init__.py", browser_init(graphs_names(graphs)).encode())]
    entries += [(f"backprop_book/graphs/{p.name}", p.read_bytes()) for p in sources]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out


def copy_pyodide(out: Path, pyodide: Path = PYODIDE) -> None:
    """Copy the Pyodide files the browser needs into ``out``."""
    missing = [name for name in FILES if not (pyodide / name).is_file()]
    if missing:
        raise SystemExit(
            f"Pyodide is missing {', '.join(missing)}: looked in {pyodide}. "
            "Run `make setup` (it runs `npm ci`)."
        )
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(pyodide / name, out / name)


def on_post_build(config, **kwargs):
    out = Path(config["site_dir"]) / "assets" / "pyodide"
    copy_pyodide(out)
    pack(out / ARCHIVE)
