"""The package has the book's shape, and keeps it.

Each part of the book has a folder of the same name in ``docs/``, ``src/backprop_book/`` and
``tests/``; modules stay short; imports form no cycle (counting imports inside functions too);
no module reaches for another module's private names; ``backprop_book.graphs`` runs on the
standard library alone (it is the engine a reader can run anywhere, a browser included).
The imports are read from the source with ``ast``, so nothing here depends on import order.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.helpers import DOCS, ROOT

PACKAGE = ROOT / "src" / "backprop_book"
PARTS = ("graphs", "layers", "training", "models", "deeper")
MAX_LINES = 300  # "no module over about 300 lines": a module is one idea a reader can hold


def _name(path: Path) -> str:
    """``src/backprop_book/layers/affine.py`` -> ``backprop_book.layers.affine``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import in a file, top level and inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
    return found


def _internal_edges(module: str) -> set[str]:
    """The package's modules that ``module`` imports (``from pkg import mod`` counts mod)."""
    edges = set()
    for target, names, _ in _imports(MODULES[module]):
        if not target.startswith("backprop_book"):
            continue
        for name in names:
            if f"{target}.{name}" in MODULES:
                edges.add(f"{target}.{name}")
        if target in MODULES:
            edges.add(target)
    edges.discard(module)
    return edges


def test_each_part_has_its_folder_in_docs_src_and_tests():
    for part in PARTS:
        assert (DOCS / part).is_dir(), f"docs/{part}/ is missing"
        assert (DOCS / "ko" / part).is_dir(), f"docs/ko/{part}/ is missing"
        assert (PACKAGE / part / "__init__.py").is_file(), f"src/backprop_book/{part}/ is missing"
        assert (ROOT / "tests" / part).is_dir(), f"tests/{part}/ is missing"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_long(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by idea (at most ~300)"


def test_no_import_cycle():
    """Depth-first search over the package's own imports; any back edge is a cycle."""
    # Importing the top package (``backprop_book``) from inside it is left out: every module is
    # reached through it. Edges into a part's ``__init__`` count: it imports the part's modules.
    graph = {m: _internal_edges(m) - {"backprop_book"} for m in MODULES}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for nxt in sorted(graph[m]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_no_module_level_getattr():
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "__getattr__" not in names, f"{module} defines a module-level __getattr__"


def test_no_private_name_is_imported_from_another_module():
    for path in MODULES.values():
        for target, names, line in _imports(path):
            if not target.startswith("backprop_book"):
                continue
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            hidden = [p for p in target.split(".") if p.startswith("_")]
            assert not private and not hidden, (
                f"{path.relative_to(ROOT)}:{line} imports private {private or hidden} from {target}"
            )


def test_graphs_imports_the_standard_library_only():
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for module, path in MODULES.items():
        if not module.startswith("backprop_book.graphs"):
            continue
        for target, _, line in _imports(path):
            top = target.split(".")[0]
            inside = target.startswith("backprop_book.graphs")
            assert inside or top in allowed, (
                f"{path.relative_to(ROOT)}:{line} imports {target}: backprop_book.graphs must "
                "run on the standard library alone"
            )


def test_every_public_name_is_importable_from_the_package_and_its_part():
    import importlib

    import backprop_book

    for part in PARTS:
        sub = importlib.import_module(f"backprop_book.{part}")
        for name in sub.__all__:
            assert getattr(backprop_book, name) is getattr(sub, name), name
    parts_names = [n for p in PARTS for n in importlib.import_module(f"backprop_book.{p}").__all__]
    assert sorted(backprop_book.__all__) == sorted(["__version__", *parts_names])
