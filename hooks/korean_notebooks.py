"""MkDocs hook of the Korean edition: Korean notebooks made from the English ones at build time.

A lab notebook's code is shared, not copied: ``docs/ko/notebooks/<name>.ko.yml`` holds only the
Korean text of the markdown cells of ``docs/notebooks/<name>.ipynb``, in order, each with the
first line of the English cell it translates. Before the Korean build reads its files, this hook
writes ``docs/ko/notebooks/<name>.ipynb`` (git-ignored): the English notebook with its markdown
cells in Korean and every code cell unchanged. mkdocs-jupyter then executes it like the English
one. A markdown cell added or rewritten in English stays English (logged) until its Korean text
is written: tests/gates/test_korean_edition.py flags it; everyone else's build goes on.

Files are written only when their content changes, so ``mkdocs serve`` does not loop.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import yaml

log = logging.getLogger("mkdocs.hooks.korean_notebooks")

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "docs" / "notebooks"
KOREAN = ROOT / "docs" / "ko" / "notebooks"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def korean_notebook(english: dict, cells: list[dict], name: str) -> dict:
    """The English notebook with each markdown cell replaced by its Korean text.

    A cell is matched by its first line (``cells[i]["en"]``). A cell with no Korean text yet
    stays English, and is logged: the Korean edition's test then flags its English paragraphs.
    """
    korean = {entry["en"].strip(): entry["ko"] for entry in cells}
    notebook = json.loads(json.dumps(english))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        first = _first_line("".join(cell["source"]))
        if first in korean:
            cell["source"] = korean[first].rstrip("\n").splitlines(keepends=True)
        else:
            log.info("%s: markdown cell %d (%r) has no Korean text yet", name, number, first)
    return notebook


def on_config(config, **kwargs):
    for english_path in sorted(ENGLISH.glob("*.ipynb")):
        name = english_path.stem
        source = KOREAN / f"{name}.ko.yml"
        cells = yaml.safe_load(source.read_text(encoding="utf-8")) if source.is_file() else []
        english = json.loads(english_path.read_text(encoding="utf-8"))
        text = json.dumps(korean_notebook(english, cells, name), ensure_ascii=False, indent=1)
        target = KOREAN / f"{name}.ipynb"
        if not target.is_file() or target.read_text(encoding="utf-8") != text + "\n":
            target.write_text(text + "\n", encoding="utf-8")
    return config
