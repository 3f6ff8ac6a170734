"""The key of a page's cached HTML, for hooks/page_cache.py: everything the page depends on.

A page's key hashes its Markdown and what its snippets include (`page_key`) with the
*generation*: the build's code and settings, the list of pages, the Python and what is
installed (`environment`), the served address and ``COLUMNS``. An entry is used only under
the very key it was stored with, so a page of an earlier state of any of them is never served.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXEC_SWITCH = "BACKPROP_BOOK_EXEC_CACHE"  # hooks/exec_cache.py's: off, no page from the disk
VERSION = "1"  # change to drop every entry on disk (a change of what an entry holds)


def page_key(generation: str, page_path: str, markdown: str, snippets: dict[Path, str]) -> str:
    """The key of one page's rendering: its Markdown, what its snippets include, the inputs."""
    digest = hashlib.sha256(f"{generation}\0{page_path}\0{markdown}\0".encode())
    for path in sorted(snippets):
        digest.update(path.as_posix().encode() + b"\0" + snippets[path].encode() + b"\0")
    return digest.hexdigest()


def switched_off(variable: str) -> bool:
    """Whether the environment variable ``variable`` turns a cache off (off, 0, no, false)."""
    return os.environ.get(variable, "").lower() in {"off", "0", "no", "false"}


def environment() -> str:
    """What a converted page can depend on besides the files: the Python, what is installed.

    Examples:
        >>> import json
        >>> found = json.loads(environment())
        >>> found["python"] == sys.version
        True
        >>> any(name.lower().startswith("mkdocs==") for name in found["installed"])
        True
    """
    from importlib import metadata

    installed = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata
    )
    return json.dumps(
        {"version": VERSION, "python": sys.version, "prefix": sys.prefix, "installed": installed}
    )


def generation(inputs: str, environment: str, config: Any, pages: list[str]) -> str:
    """The hash that names a state of everything every page depends on (see the module)."""
    settings = [
        inputs,
        environment,
        config["docs_dir"],
        config["site_url"] or "",
        os.environ.get("COLUMNS", ""),
        switched_off(EXEC_SWITCH),
        sorted(pages),
    ]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()
