"""MkDocs hook: in one ``mkdocs build``, each block and notebook the two editions share runs once.

The Korean pages take the English pages' code through snippets, and the Korean lab notebooks
are the English ones with Korean text (``hooks/korean_notebooks.py``), so the English build and
the Korean build (a second process, ``hooks/korean_edition.py``) used to run every executed
block and every notebook twice. In a build, ``hooks/korean_edition.py`` gives both processes one
fresh temporary folder (``BACKPROP_BOOK_EDITION_SHARE``), removed when the build ends. This hook,
in both processes, works through it:

- Pages are shared out. Before a page is read, a process claims it (a file created with
  ``O_EXCL``: one process wins). A page the other process is converting is put off until every
  other page is read (``on_env``, before any other plugin's ``on_env``), so the two processes
  convert different pages side by side instead of the same page twice.
- The output of every markdown-exec Python block, and the outputs of every notebook's code cells
  (nbconvert's ``ExecutePreprocessor``), are written to the folder under a key of everything the
  output can depend on: a hash of the package and what it runs on (``src/``, ``examples/``,
  ``requirements.lock``), the page's path inside its edition, the block's code and options, and
  the code of every earlier block of the same session in this process, in order (markdown-exec
  keeps a session across pages). A process that meets a key the other one wrote takes its output;
  on a page the other process is still converting, it waits for it. A block of the other edition
  with other code has another key and runs here. When a block must run after earlier blocks of
  its session were taken, those run first (their output unused), so the session's variables
  are the ones the page builds.

So every output on both editions comes from code run in this build, with the same code and the
same session history; a block that fails is never shared (the waiting process runs it and shows
its own error). Nothing outlives the build: no folder, no entry, no key is read from an earlier
one. ``mkdocs serve`` and a build of one edition alone have no shared folder, and this hook does
nothing there; ``BACKPROP_BOOK_EDITION_SHARE=off`` turns it off in a build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
SHARE = "BACKPROP_BOOK_EDITION_SHARE"  # the folder of this build, set by hooks/korean_edition.py
INPUTS = [ROOT / "src", ROOT / "examples", ROOT / "requirements.lock"]
VERSION = "1"
POLL = 0.02  # seconds between two looks at a page the other process is converting

log = logging.getLogger("mkdocs.hooks.edition_share")

_folder: Path | None = None  # this build's shared folder, while the patches are on
_command = ""
_inputs = ""
_page = ""
_originals: dict[str, Any] = {}
_history: dict[str, list[str]] = {}  # session -> digests of its earlier blocks, in order
_pending: dict[str, list[tuple[str, dict[str, Any], int]]] = {}  # taken, not run here
_deferred: list[Any] = []  # pages the other process was converting
_stats = {"taken": 0, "run": 0, "pages put off": 0}


def inputs_hash(paths: list[Path] = INPUTS) -> str:
    """A short SHA-256 over the relative path and bytes of every file under ``paths``."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or not file.exists():
                continue
            digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _key(*parts: Any) -> str:
    text = json.dumps([VERSION, _inputs, *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a dead child not yet reaped by its parent is a zombie: not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _claim_path(page: str) -> Path:
    assert _folder is not None
    return _folder / "pages" / hashlib.sha256(page.encode()).hexdigest()


def _claim(page: str) -> bool:
    """Claim ``page`` for this process: whether it is ours (False: the other one has it)."""
    try:
        fd = os.open(_claim_path(page), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as file:
        file.write(str(os.getpid()))
    return True


def _busy(page: str) -> bool:
    """Whether the other process is converting ``page`` now."""
    path = _claim_path(page)
    if not path.exists() or path.with_suffix(".done").exists():
        return False
    try:
        pid = int(path.read_text() or 0)
    except (OSError, ValueError):
        return True  # claimed an instant ago, pid not written yet
    return pid != os.getpid() and _alive(pid)


def _read(key: str, page: str) -> str | None:
    """The shared output of ``key``, waiting while the other process converts ``page``."""
    assert _folder is not None
    path = _folder / "out" / key
    while True:
        if path.exists():
            return path.read_text(encoding="utf-8")
        if path.with_suffix(".failed").exists() or not _busy(page):
            return None
        time.sleep(POLL)


def _write(key: str, text: str) -> None:
    assert _folder is not None
    path = _folder / "out" / key
    temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _failed(key: str) -> None:
    assert _folder is not None
    (_folder / "out" / key).with_suffix(".failed").touch()


def shared_run(code: str, returncode: int | None = None, session: str | None = None,
               id: str | None = None, **extra: Any) -> str:  # fmt: skip
    """markdown-exec's Python runner, taking the output the other edition computed if any."""
    from markdown_exec._internal.formatters import python

    options = {
        "returncode": returncode, "id": id or "", "cwd": os.getcwd(),
        "columns": os.environ.get("COLUMNS", ""), **{f"extra.{k}": v for k, v in extra.items()},
    }  # fmt: skip
    earlier = _history.setdefault(session, []) if session else []
    key = _key("block", _page, session or "", list(earlier), code, sorted(options.items()))
    if session:
        earlier.append(
            hashlib.sha256(json.dumps([code, options], default=repr).encode()).hexdigest()
        )
    call = {"returncode": returncode, "session": session, "id": id, **extra}
    counter = python._sessions_counter[session] + 1  # markdown-exec's block number
    output = _read(key, _page)
    if output is not None:
        _stats["taken"] += 1
        python._sessions_counter[session] = counter  # as if it had run here
        if session:
            _pending.setdefault(session, []).append((code, call, counter))
        return output
    for old_code, old_call, old_counter in _pending.pop(session, []) if session else []:
        python._sessions_counter[session] = old_counter - 1  # same block number as before
        _originals["run"](old_code, **old_call)  # the session's state; output already taken
    python._sessions_counter[session] = counter - 1
    _stats["run"] += 1
    try:
        output = _originals["run"](code, **call)
    except BaseException:
        _failed(key)
        raise
    _write(key, output)
    return output


def shared_execute(self: Any, nb: Any, resources: Any = None, km: Any = None) -> Any:
    """nbconvert's ``ExecutePreprocessor.preprocess``, taking the other edition's outputs if any."""
    import nbformat

    code = [c.source for c in nb.cells if c.cell_type == "code"]
    key = _key("notebook", _page, code, self.kernel_name, self.allow_errors, self.timeout)
    text = _read(key, _page)
    if text is not None:
        _stats["taken"] += 1
        done = json.loads(text)
        nb.metadata = nbformat.from_dict(done["metadata"])
        cells = [c for c in nb.cells if c.cell_type == "code"]
        for cell, ran in zip(cells, done["cells"], strict=True):
            cell.outputs = nbformat.from_dict(ran["outputs"])
            cell.execution_count = ran["execution_count"]
            cell.metadata = nbformat.from_dict(ran["metadata"])
        return nb, resources
    _stats["run"] += 1
    try:
        nb, resources = _originals["execute"](self, nb, resources, km)
    except BaseException:
        _failed(key)
        raise
    cells = [
        {"outputs": c.outputs, "execution_count": c.execution_count, "metadata": c.metadata}
        for c in nb.cells
        if c.cell_type == "code"
    ]
    _write(key, json.dumps({"metadata": nb.metadata, "cells": cells}))
    return nb, resources


def shared_populate(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
    """mkdocs' ``_populate_page``, putting off a page the other process is converting."""
    uri = page.file.src_uri
    if not _claim(uri) and _busy(uri):
        _deferred.append((page, files, dirty))
        _stats["pages put off"] += 1
        return
    _convert(page, config, files, dirty)


def _convert(page: Any, config: Any, files: Any, dirty: bool) -> None:
    global _page
    from markdown_exec._internal.rendering import MarkdownConverter

    uri = _page = page.file.src_uri
    # markdown-exec numbers its HTML ids (exec-N--) across the build: from 0 on every page,
    # so a page's ids do not depend on which pages this process converted before it
    MarkdownConverter.counter = 0
    try:
        _originals["populate"](page, config, files, dirty)
    finally:
        _claim_path(uri).with_suffix(".done").touch()


def on_startup(command: str, dirty: bool = False, **kwargs: Any) -> None:
    global _command
    _command = command


@event_priority(-100)  # after hooks/korean_edition.py has made this build's folder
def on_pre_build(config: Any, **kwargs: Any) -> None:
    global _folder, _inputs
    on_shutdown()  # the patches of an earlier build in this process, if any
    folder = os.environ.get(SHARE, "")
    if _command != "build" or folder.lower() in {"", "off", "0", "no", "false"}:
        return
    import mkdocs.commands.build as build
    from markdown_exec._internal.formatters import pycon, python
    from nbconvert.preprocessors import ExecutePreprocessor

    try:  # this build's folder: made by this process or by its parent, the English build
        owner = int((Path(folder) / "owner").read_text())
    except (OSError, ValueError):
        return
    if owner not in {os.getpid(), os.getppid()}:
        return
    _folder = Path(folder)
    (_folder / "pages").mkdir(parents=True, exist_ok=True)
    (_folder / "out").mkdir(exist_ok=True)
    _inputs = inputs_hash()
    _history.clear()
    _pending.clear()
    _deferred.clear()
    _stats.update({name: 0 for name in _stats})
    _originals.update(
        run=python._run_python, execute=ExecutePreprocessor.preprocess,
        populate=build._populate_page,
    )  # fmt: skip
    python._run_python = pycon._run_python = shared_run
    ExecutePreprocessor.preprocess = shared_execute
    build._populate_page = shared_populate


def on_shutdown(**kwargs: Any) -> None:
    global _folder
    if _folder is None:
        return
    import mkdocs.commands.build as build
    from markdown_exec._internal.formatters import pycon, python
    from nbconvert.preprocessors import ExecutePreprocessor

    python._run_python = pycon._run_python = _originals["run"]
    ExecutePreprocessor.preprocess = _originals["execute"]
    build._populate_page = _originals["populate"]
    _folder = None


def on_post_build(config: Any, **kwargs: Any) -> None:
    on_shutdown()


def on_build_error(error: Any, **kwargs: Any) -> None:
    on_shutdown()


@event_priority(100)  # before any plugin reads the pages' content
def on_env(env: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    while _deferred:
        page, page_files, dirty = _deferred.pop(0)
        _convert(page, config, page_files, dirty)
    if _folder is not None:
        log.info("Shared with the other edition: %(taken)d outputs taken, %(run)d run here, "
                 "%(pages put off)d pages put off", _stats)  # fmt: skip
    return env
