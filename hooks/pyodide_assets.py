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

A lab notebook whose code uses only the graphs engine asks to be runnable in its own metadata,
``"backprop_book": {"runnable": "SESSION"}`` (Jupyter keeps unknown metadata and ignores it).
On its page, in both editions (the Korean notebook is made from the English one, metadata
included), this hook marks mkdocs-jupyter's ``<div class="jupyter-wrapper">`` with
``data-bp-notebook="SESSION"``; the runner then turns each code cell into a runnable block of
that session. A notebook that asks for it but whose page has no such wrapper stops the build.
"""

from __future__ import annotations

import ast
import html
import json
import re
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


WRAPPER = '<div class="jupyter-wrapper">'
SESSION = re.compile(r"[\w-]+")


def notebook_session(path: Path) -> str | None:
    """The session a notebook asks its code cells to run in (its metadata), or None."""
    metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    session = metadata.get("backprop_book", {}).get("runnable")
    if session is None:
        return None
    if not isinstance(session, str) or not SESSION.fullmatch(session):
        raise SystemExit(
            f"{path}: metadata backprop_book.runnable must be a session name "
            f"(letters, digits, - or _), got {session!r}"
        )
    return session


def mark_notebook(content: str, session: str, where: str = "the notebook") -> str:
    """``content`` (a notebook page's HTML) with its notebook marked runnable in ``session``."""
    if content.count(WRAPPER) != 1:
        raise SystemExit(
            f"{where} asks for runnable cells, but its page has {content.count(WRAPPER)} "
            f"{WRAPPER!r} (mkdocs-jupyter's notebook wrapper) instead of one"
        )
    marked = f'<div class="jupyter-wrapper" data-bp-notebook="{html.escape(session)}">'
    return content.replace(WRAPPER, marked, 1)


def on_page_content(content, page, **kwargs):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    session = notebook_session(Path(page.file.abs_src_path))
    return content if session is None else mark_notebook(content, session, page.file.src_uri)


def on_post_build(config, **kwargs):
    out = Path(config["site_dir"]) / "assets" / "pyodide"
    copy_pyodide(out)
    pack(out / ARCHIVE)
