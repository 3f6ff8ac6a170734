"""MkDocs hook: in ``mkdocs serve`` only, reuse the output of an unchanged executed block.

markdown-exec runs every ``exec="on"`` Python block of every page on every build. While an
author edits one page, that is minutes of work for nothing. In serve mode (``make serve``,
``scripts/serve.py``, ``mkdocs serve``) this hook wraps markdown-exec's Python runner with a
cache on disk (``.cache/exec-blocks/``). A block's output is reused when all of these are the
same as when it ran:

- the page (its path from the repository's root, so the two editions do not share entries),
- the block's code and options (session, id, title, the working directory and width),
- the code of every earlier block of the same session on that page, in order,
- the package and what it runs on: ``src/``, ``examples/`` and ``requirements.lock``.

So an edit to one block runs that block and the later blocks of its session again; an edit
to the prose runs nothing; an edit to the package runs every block again. When a block must
run and earlier blocks of its session were taken from the cache, those earlier blocks run
first (their output unused), so the session's variables are the ones the page builds.

Two differences from a build, both only in serve mode: a session belongs to one page (in a
build, markdown-exec shares a session name across pages, which no page of the book relies
on), and a block that failed is not cached (it runs again on the next build).

``mkdocs build`` (``make docs``, CI) never uses the cache: the hook turns itself on only when
MkDocs starts with the ``serve`` command, so every build executes every block.
``BACKPROP_BOOK_EXEC_CACHE=off`` turns it off in serve mode too;
``BACKPROP_BOOK_EXEC_CACHE_DIR`` puts it in another folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

try:
    import _hashing
except ModuleNotFoundError:  # loaded by importlib (the tests), not by MkDocs: add its folder
    sys.path.append(str(Path(__file__).resolve().parent))
    import _hashing

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("BACKPROP_BOOK_EXEC_CACHE_DIR", ROOT / ".cache" / "exec-blocks"))
INPUTS = [ROOT / "src", ROOT / "examples", ROOT / "requirements.lock"]
SWITCH = "BACKPROP_BOOK_EXEC_CACHE"
VERSION = "1"  # change to drop every cached output (a change of what the key means)

log = logging.getLogger("mkdocs.hooks.exec_cache")

_active = False
_original: Any = None  # markdown-exec's own _run_python
_inputs = ""  # hash of INPUTS for the current build
_page = ""  # the page being rendered
_history: dict[str, list[str]] = {}  # session -> key parts of its earlier blocks on this page
_pending: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # cached blocks not yet run
_stats = {"hits": 0, "runs": 0}


def inputs_hash(paths: list[Path] = INPUTS) -> str:
    """A short SHA-256 over the relative path and bytes of every file under ``paths``."""
    return _hashing.tree_hash(paths, ROOT)[:16]


def block_key(
    inputs: str, page: str, session: str, earlier: list[str], code: str, options: dict[str, Any]
) -> str:
    """The cache key of one block: everything its output can depend on, hashed."""
    text = json.dumps(
        [VERSION, inputs, page, session, earlier, code, sorted(options.items())],
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _options(returncode: Any, id: str | None, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "returncode": returncode,
        "id": id or "",
        "cwd": os.getcwd(),
        "columns": os.environ.get("COLUMNS", ""),
        **{f"extra.{k}": v for k, v in extra.items()},
    }


def cached_run(
    code: str,
    returncode: int | None = None,
    session: str | None = None,
    id: str | None = None,  # markdown-exec's name
    **extra: Any,
) -> str:
    """markdown-exec's Python runner, with the serve-mode cache in front of it."""
    session = session or ""
    options = _options(returncode, id, extra)
    earlier = _history.setdefault(session, []) if session else []
    key = block_key(_inputs, _page, session, list(earlier), code, options)
    path = CACHE / _inputs / key[:2] / f"{key}.txt"
    scoped = f"{_page}#{session}" if session else None
    call = {"returncode": returncode, "session": scoped, "id": id, **extra}
    if session:
        earlier.append(
            hashlib.sha256(json.dumps([code, options], default=repr).encode()).hexdigest()
        )
    if path.is_file():
        _stats["hits"] += 1
        if session:
            _pending.setdefault(session, []).append((code, call))
        return path.read_text(encoding="utf-8")
    for old_code, old_call in _pending.pop(session, []) if session else []:
        _original(old_code, **old_call)  # rebuild the session's state; output already cached
    _stats["runs"] += 1
    output = _original(code, **call)  # raises ExecutionError on failure: not cached
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(output, encoding="utf-8")
    temporary.replace(path)
    return output


def _start_page(page: str) -> None:
    global _page
    from markdown_exec._internal.formatters import python

    _page = page
    _history.clear()
    _pending.clear()
    for name in [n for n in python._sessions_globals if n.startswith(f"{page}#")]:
        del python._sessions_globals[name]


def on_startup(command: str, dirty: bool = False, **kwargs: Any) -> None:
    global _active, _original
    off = os.environ.get(SWITCH, "").lower() in {"off", "0", "no", "false"}
    if command != "serve" or off:
        return
    from markdown_exec._internal.formatters import python

    if _original is None:
        _original = python._run_python
    python._run_python = cached_run
    _active = True
    log.info("Serve mode: executed blocks are cached in %s (never in mkdocs build)", CACHE)


def on_shutdown(**kwargs: Any) -> None:
    global _active
    if _active:
        from markdown_exec._internal.formatters import python

        python._run_python = _original
        _active = False


def on_pre_build(config: Any, **kwargs: Any) -> None:
    global _inputs
    if not _active:
        return
    _inputs = inputs_hash()
    _stats.update(hits=0, runs=0)
    if CACHE.is_dir():
        for old in CACHE.iterdir():
            if old.name != _inputs:
                shutil.rmtree(old, ignore_errors=True)


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    if _active:
        source = Path(page.file.abs_src_path).resolve()
        try:
            _start_page(source.relative_to(ROOT).as_posix())
        except ValueError:
            _start_page(source.as_posix())
    return markdown


def on_post_build(config: Any, **kwargs: Any) -> None:
    if _active:
        log.info("Executed blocks: %(runs)d run, %(hits)d from the cache", _stats)
