"""MkDocs hook: show the version of the package and the git commit the site was built from.

The version has one home, ``__version__`` in ``src/backprop_book/__init__.py`` (hatch reads
the same line for the wheel). The hook reads it there, asks git for the commit of the work
tree (when there is one), and hands both to the footer template
(``overrides/partials/copyright.html``) through ``config.extra.book_build``. Both are fixed
for a given commit, so two builds of one commit stay identical.

The Korean edition is built by a second process (``hooks/korean_edition.py``); the commit
found at the start of the English build is handed to it through the environment variable
``BACKPROP_BOOK_BUILD_COMMIT``, so both editions name the same commit even if one is made in
between. Setting that variable yourself pins the commit shown.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "src" / "backprop_book" / "__init__.py"
COMMIT_VARIABLE = "BACKPROP_BOOK_BUILD_COMMIT"
_set_here = False  # this build put the commit into the environment (and takes it out)


def package_version(init: Path = INIT) -> str:
    """The ``__version__ = "..."`` string of the package."""
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', init.read_text("utf-8"), re.M)
    if not match:
        raise SystemExit(f"hooks/version.py: no __version__ line in {init}")
    return match.group(1)


def git_commit(root: Path = ROOT) -> str | None:
    """The full hash of HEAD, or None outside a git work tree (e.g. an unpacked sdist)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", sha) else None


def _repository(config) -> str | None:
    for item in config["extra"].get("social", []) or []:
        link = str(item.get("link", ""))
        if link.startswith("https://github.com/"):
            return link.rstrip("/")
    return None


def on_config(config, **kwargs):
    global _set_here
    sha = os.environ.get(COMMIT_VARIABLE) or git_commit()
    if sha and not os.environ.get(COMMIT_VARIABLE):
        os.environ[COMMIT_VARIABLE] = sha
        _set_here = True
    repository = _repository(config)
    config["extra"]["book_build"] = {
        "version": package_version(),
        "commit": sha[:7] if sha else None,
        "commit_url": f"{repository}/commit/{sha}" if sha and repository else None,
    }
    return config


@event_priority(-100)  # after hooks/korean_edition.py has waited for the Korean edition
def on_post_build(config, **kwargs):
    global _set_here
    if _set_here:
        os.environ.pop(COMMIT_VARIABLE, None)
        _set_here = False
