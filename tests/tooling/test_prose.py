"""Prose gate: codespell checks the pages, docstrings, tests and scripts, with a word list.

``make lint`` runs codespell over the same paths; these tests show that the check catches a
planted misspelling, that the repository is clean, and that every entry of the project word
list ``.codespell-words.txt`` is a real word of the book that codespell would otherwise flag
(with its reason here, as the word list format has no comments).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

WORDS = ROOT / ".codespell-words.txt"
CODESPELL = Path(sys.executable).with_name("codespell")
# The paths `make lint` checks.
CHECKED = ["src", "tests", "examples", "hooks", "scripts", "benchmarks", "docs", "README.md"]
# Why each word of .codespell-words.txt is there.
REASONS = {
    "dout": "the upstream gradient dL/dout, the book's name for it in every backward(dout)",
    "nd": "a subscript in the derivations, e.g. X_{nd} (sample n, feature d)",
}


def _codespell(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CODESPELL), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_planted_misspelling_is_caught(tmp_path):
    receive, the = "rec" + "ieve", "t" + "eh"  # split, or codespell flags this file
    page = tmp_path / "page.md"
    page.write_text(f"The backward pass will {receive} dout from {the} next layer.\n", "utf-8")
    done = _codespell(str(page))  # run from the repository: its configuration applies
    assert done.returncode != 0
    assert f"{receive} ==> receive" in done.stdout and f"{the} ==> the" in done.stdout
    assert "dout" not in done.stdout  # the word list applies too


def test_the_repository_is_spelled_right():
    existing = [p for p in CHECKED if (ROOT / p).exists()]
    done = _codespell(*existing)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_listed_word_is_needed_and_explained(tmp_path):
    words = [w.strip() for w in WORDS.read_text(encoding="utf-8").splitlines() if w.strip()]
    assert words == sorted(set(words)), "keep .codespell-words.txt sorted, one word per line"
    assert set(words) == set(REASONS), "give each listed word its reason in REASONS"
    sample = tmp_path / "words.txt"
    sample.write_text("\n".join(words) + "\n", "utf-8")
    done = _codespell(str(sample), cwd=tmp_path)  # no project configuration: no word list
    flagged = {line.split(": ", 1)[1].split(" ==>")[0] for line in done.stdout.splitlines()}
    assert flagged == set(words), f"codespell does not flag {set(words) - flagged}: drop them"


# The planning labels of the seed table (S1-S17 in the project's chapter map) never reach a
# reader: a page that says "(seed S6)" points at a table no reader has. The package's docstrings
# count as pages (the API reference shows them).
PLANNING_LABEL = re.compile(r"\bS(?:[1-9]|1[0-7])\b")


def _reader_files() -> list[Path]:
    pages = [p for p in (ROOT / "docs").rglob("*") if p.suffix in {".md", ".ipynb"}]
    return sorted([*pages, *(ROOT / "src").rglob("*.py"), ROOT / "README.md"])


def test_a_planted_planning_label_is_caught():
    assert PLANNING_LABEL.search("the reciprocal node (seed S6)")
    assert PLANNING_LABEL.search("노트의 S9")
    assert not PLANNING_LABEL.search("S18 SGD S0 xS6 MS1")


def test_no_page_shows_a_planning_label():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _reader_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PLANNING_LABEL.search(line)
    ]
    assert not found, "planning labels on reader pages:\n" + "\n".join(found)
