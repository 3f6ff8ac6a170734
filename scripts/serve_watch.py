"""Which edition of the book an edit rebuilds, for scripts/serve.py (``make serve``).

The English build watches ``docs/`` except ``docs/ko``, and the code and settings; the Korean
build watches ``docs/ko``, the English notebooks, the parts of English pages its pages include
through snippets, and the same code and settings. Editors' temporary files and caches count
for neither.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
KOREAN_DOCS = DOCS / "ko"
CODE = ["src", "examples", "hooks", "requirements.lock"]
ENGLISH_WATCH = [*CODE, "docs", "overrides", "mkdocs.yml"]
KOREAN_WATCH = [*CODE, "docs/ko", "docs/notebooks", "overrides", "mkdocs.yml", "mkdocs.ko.yml"]
IGNORED_PARTS = {"__pycache__", ".cache", ".ipynb_checkpoints"}
# What a change is, among the events of the file system (inotify also reports reads: opened,
# closed_no_write; the build itself reads every page, and would rebuild forever on them).
CHANGES = {"created", "modified", "moved", "deleted", "closed"}


def english_ignores(path: Path) -> bool:
    """Whether a change at ``path`` leaves the English edition as it is."""
    path = Path(path).resolve()
    if IGNORED_PARTS & set(path.parts) or path.name.endswith((".tmp", "~", ".swp")):
        return True
    return path == KOREAN_DOCS or KOREAN_DOCS in path.parents or path.name == "mkdocs.ko.yml"


def korean_watches(path: Path, snippets: set[Path]) -> bool:
    """Whether a change at ``path`` can change the Korean edition (given its pages' snippets)."""
    path = Path(path).resolve()
    if IGNORED_PARTS & set(path.parts) or path.name.endswith((".tmp", "~", ".swp")):
        return False
    if path in snippets:
        return True
    if path.is_relative_to(DOCS) and not path.is_relative_to(KOREAN_DOCS):
        return path.is_relative_to(DOCS / "notebooks") and path.suffix == ".ipynb"
    return any(path == ROOT / w or path.is_relative_to(ROOT / w) for w in KOREAN_WATCH)


def snapshot(roots: list[Path]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every file under ``roots``."""
    found: dict[Path, tuple[int, int]] = {}
    for root in roots:
        paths = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[path.resolve()] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> set[Path]:
    """The files added, removed or modified between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def rel(path: Path) -> str:
    """``path`` relative to the repository (as given, if it lies outside)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
