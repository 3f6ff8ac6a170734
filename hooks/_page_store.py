"""hooks/page_cache.py's entries on disk: one pickle file per page key, never half written.

The files live only in the checkout's own ``.cache/serve-pages/``, the trust level of its code
(like Jinja's bytecode cache). A file that cannot be read, or that holds another key, counts as
missing; a folder that cannot be written stores nothing and raises nothing: serve goes on from
memory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.page_cache")


def read_entry(folder: Path | None, key: str) -> dict[str, Any] | None:
    """The entry stored under ``key`` in ``folder``, if one is there and holds that very key."""
    if folder is None:
        return None
    try:
        with (folder / f"{key}.pickle").open("rb") as file:
            entry = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file: convert the page instead
        log.debug("Page cache: unreadable entry %s (%s)", key, error)
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def write_entry(folder: Path | None, entry: dict[str, Any]) -> None:
    """Store ``entry`` under its key (written to a temporary file, then renamed: never half)."""
    if folder is None:
        return
    try:
        data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # something a plugin registered cannot be pickled: memory only
        log.debug("Page cache: entry not stored on disk (%s)", error)
        return
    path = folder / f"{entry['key']}.pickle"
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:  # a full disk, a read-only folder: the entry stays in memory only
        log.debug("Page cache: entry not stored on disk (%s)", error)
        with contextlib.suppress(OSError):
            temporary.unlink()
