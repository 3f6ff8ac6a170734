"""The hash of a set of files that the build's caches are keyed on (not a hook: a helper).

``hooks/exec_cache.py`` (executed blocks), ``hooks/page_cache.py`` (converted pages) and
``hooks/notebook_execution.py`` (executed notebooks) each keep their outputs while what those
outputs depend on stays the same: the package's source, the pinned dependencies, the build's
code. They name that state by :func:`tree_hash` of those files.

MkDocs puts a hook's folder on ``sys.path`` while it loads the hook, so a hook imports this
module as ``_hashing``; a hook loaded on its own (``importlib``, as the tests do) adds its
folder to ``sys.path`` when that import fails.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SKIPPED_PARTS = {"__pycache__"}  # folders of compiled files: not inputs
SKIPPED_SUFFIXES = {".pyc"}


def files_under(paths: list[Path]) -> list[Path]:
    """Every file of ``paths`` (a file, or a folder searched recursively), in a stable order.

    A folder's files come sorted; compiled files (``__pycache__``, ``.pyc``) and paths that do
    not exist are left out.

    Examples:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "b.py").write_text("x = 1\\n")
        6
        >>> (root / "__pycache__").mkdir()
        >>> (root / "__pycache__" / "b.pyc").write_bytes(b"")
        0
        >>> [p.name for p in files_under([root, root / "missing.txt"])]
        ['b.py']
    """
    found: list[Path] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if SKIPPED_PARTS & set(file.parts) or file.suffix in SKIPPED_SUFFIXES:
                continue
            if file.is_file():
                found.append(file)
    return found


def tree_hash(paths: list[Path], root: Path) -> str:
    """A SHA-256 (hex) over the path (relative to ``root``) and the bytes of every input file.

    A file outside ``root`` is named by its absolute path. Any byte of any file, a renamed, an
    added or a removed file changes the hash; compiled files do not.

    Examples:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> module = root / "layer.py"
        >>> _ = module.write_text("W = 1\\n")
        >>> before = tree_hash([root], root)
        >>> before == tree_hash([root], root), len(before)
        (True, 64)
        >>> _ = module.write_text("W = 2\\n")
        >>> tree_hash([root], root) != before
        True
    """
    digest = hashlib.sha256()
    for file in files_under(paths):
        name = file.relative_to(root) if file.is_relative_to(root) else file
        digest.update(name.as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()
