"""MkDocs hook: how the lab notebooks run at build time: the same outputs every time, and a cache
that follows the package.

Outputs: a cell that prints while it computes reaches nbconvert as several stream messages,
and how the text is cut into them depends on timing (the kernel flushes every fraction of a
second), so two builds would split one printout into different output blocks. The nbconvert
settings in ``hooks/jupyter/jupyter_nbconvert_config.json`` run nbconvert's
``CoalesceStreamsPreprocessor`` right after the notebook is executed (nbconvert's own list of
preprocessors, with that one moved after ``ExecutePreprocessor`` and turned on): each cell's
stdout, and its stderr, becomes one block, with ``\r`` progress lines resolved. The hook puts
that folder on ``JUPYTER_CONFIG_PATH``, where mkdocs-jupyter's nbconvert application looks.

Cache: mkdocs-jupyter keeps each executed notebook in its cache under a key made of the notebook's
own bytes and the plugin's settings only. The labs import ``backprop_book``, so after a change
to the package a build would show outputs the package no longer gives. This hook moves the
cache into a folder named after a hash of what the notebooks run on: the package
(``src/backprop_book``, code and data), the pinned dependencies (``requirements.lock``) and
the nbconvert settings above.
Folders of other hashes are removed, so the cache holds one state of the package.

``BACKPROP_BOOK_NOTEBOOK_CACHE=off`` turns the cache off and every notebook runs: the
reproducibility test builds that way, so that it compares two real executions.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

try:
    import _hashing
except ModuleNotFoundError:  # loaded by importlib (the tests), not by MkDocs: add its folder
    sys.path.append(str(Path(__file__).resolve().parent))
    import _hashing

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_CONFIG = ROOT / "hooks" / "jupyter"
INPUTS = [ROOT / "src" / "backprop_book", ROOT / "requirements.lock", JUPYTER_CONFIG]
SWITCH = "BACKPROP_BOOK_NOTEBOOK_CACHE"

log = logging.getLogger("mkdocs.hooks.notebook_execution")


def inputs_hash(paths: list[Path] = INPUTS) -> str:
    """A short SHA-256 over the relative path and bytes of every file under ``paths``."""
    return _hashing.tree_hash(paths, ROOT)[:16]


def on_config(config, **kwargs):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return config
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if str(JUPYTER_CONFIG) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(JUPYTER_CONFIG), *paths])
    if os.environ.get(SWITCH, "").lower() in {"off", "0", "no", "false"}:
        jupyter.config["cache"] = False
        log.info("Notebook cache off (%s): every notebook runs", SWITCH)
        return config
    base = Path(jupyter.config["cache_dir"])
    key = inputs_hash()
    if base.is_dir():
        for old in base.iterdir():
            if old.name != key:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
    jupyter.config["cache_dir"] = str(base / key)
    return config
