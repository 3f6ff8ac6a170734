"""Lint the Python code of the book's Markdown pages with ruff, under the project's rules.

``ruff check`` does not read Markdown, so this script gives it the pages' code the way the build
runs it, and maps every finding back to ``docs/<page>.md:<line>:<column>``:

1. **Snippets are expanded first**, as ``pymdownx.snippets`` does before markdown-exec sees the
   page: a ``--8<-- "path"`` or ``--8<-- "path:section"`` line is replaced by that file or
   section (dedented, with the line's indentation), and section markers are dropped. Every line
   remembers the file and line it came from. (The block form and line ranges of snippets are not
   used in this book; the script stops with an error if a page starts using them.)
2. **The Python fences are collected** (```` ```python ````, ```` ```py ````, with or without
   markdown-exec options). ``pycon`` (``>>>``) blocks are left to the doctests of
   ``tests/tooling/test_docs_code_blocks.py``; fences of other languages are skipped whole.
3. **One ruff run per unit of execution.** The executed blocks (``exec="on"``) of one
   ``session="name"`` on one page run in one namespace, in page order, so they are linted as one
   module: their code is concatenated in order, each block after a ``# isort: split`` line (so
   each block's imports are sorted as a group of their own, as a reader sees them). A name
   defined in an earlier block is therefore defined, and one never used in any block of the
   session is unused. An executed block without a session, and a display block, is its own
   module. (markdown-exec keeps a session's namespace for the whole build, but a page must not
   lean on another page's blocks: their order is not the reader's, so sessions are per page.)
4. **Findings are reported where the line lives.** A finding on a line that a snippet brought in
   from another file is dropped: that file is linted where it lives (``src/`` and ``examples/``
   by ``ruff check``, an English page's section by this script on the English page). A block
   made only of such lines is linted only as context for its session.

ruff runs on standard input with ``--stdin-filename docs/<page>/<unit>.py``, so it reads
``pyproject.toml`` and applies its ``per-file-ignores`` for ``docs/**`` as for a file there.
``ruff format`` is not run on page code: see CONTRIBUTING.md, "Linting the pages' code".

Usage: ``python scripts/lint_page_code.py [PAGE.md ...]`` (default: every page under docs/).
Exit status 1 when there is a finding, 2 when a page cannot be read as the build would.

The page reading (``expand``, ``python_fences``, ``lines_of``) is also the tests' one reader of
pages: ``tests/tooling/test_claims.py`` finds the claims' asserts in ``expand``'s output and
``tests/tooling/test_docs_code_blocks.py`` scans fences with ``python_fences``, loading this
file through ``tests.helpers.load_script``. It lives here, not in a module of its own, because
this is the copy ``tests/tooling/test_lint_page_code.py`` holds to the build (its expansion is
compared with pymdownx.snippets page by page), and a script run as ``python scripts/...``
cannot import a sibling module without ``sys.path`` tricks. It uses the standard library only,
so the unit tests can load it on every Python the package claims.

>>> fences = python_fences([Line("```python", "p.md", 1), Line("x = 1", "p.md", 2),
...                         Line("```", "p.md", 3)])
>>> [(f.opening.number, f.session, [line.text for line in f.body]) for f in fences]
[(1, None, ['x = 1'])]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RUFF = Path(sys.executable).parent / "ruff"

# The same patterns as pymdownx.snippets (inline snippet, section marker) and as
# tests/tooling/test_docs_code_blocks.py (an opening fence).
INLINE_SNIPPET = re.compile(
    r"""^(?P<space>[ \t]*)(?P<escape>;*)-{1,}8<-{1,}[ \t]+"""
    r"""(?P<snippet>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')$"""
)
BLOCK_SNIPPET = re.compile(r"^[ \t]*;*-{1,}8<-{1,}$")
SECTION_MARKER = re.compile(
    r"(?i)^.*?(?<!;)-{1,}8<-{1,}[ \t]+\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*"
    r"(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]"
)
OPEN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
PYTHON_INFO = re.compile(r"^\s*\{?\.?(?P<lang>python|py|pycon)\b(?P<opts>.*)$")
SESSION = re.compile(r"""\bsession=["']?(?P<name>[^"'\s}]+)""")
EXEC_ON = re.compile(r"""\bexec=["']?(on|true|yes|1)\b""", re.IGNORECASE)
SPLIT = "# isort: split"


class SnippetError(Exception):
    """A snippet this script cannot expand the way pymdownx.snippets would."""


@dataclass(frozen=True)
class Line:
    """One line of an expanded page, with the file and 1-based line it came from."""

    text: str
    source: str
    number: int


@dataclass
class Fence:
    """A Python fenced block: its opening line (in the file it was written in), options, body."""

    opening: Line
    indent: int
    opts: str
    body: list[Line]
    session: str | None = None
    executed: bool = False


@dataclass
class Unit:
    """Code that runs in one namespace: one block, or the blocks of one session of a page."""

    page: str
    name: str
    fences: list[Fence] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """A ruff finding, placed on a line of a page."""

    page: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}:{self.column}: {self.code} {self.message}"


def source_name(path: Path) -> str:
    """How a file is named in a ``Line``: relative to the repository root when it is inside."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def lines_of(text: str, source: str) -> list[Line]:
    """The lines of ``text``, numbered from 1, each remembering that it came from ``source``.

    >>> lines_of("a\\nb", "p.md")[1]
    Line(text='b', source='p.md', number=2)
    """
    return [Line(t, source, n) for n, t in enumerate(text.split("\n") if text else [], start=1)]


def _section(lines: list[Line], name: str, where: str) -> list[Line]:
    """The lines of section ``name``, without other sections' markers, dedented."""
    selected, inside, found = [], False, False
    for line in lines:
        marker = SECTION_MARKER.match(line.text)
        if marker and marker["name"] == name:
            if marker["type"] == "start":
                inside = found = True
                continue
            break
        if marker and inside:
            continue
        if inside:
            selected.append(line)
    if not found:
        raise SnippetError(f"{where}: no section {name!r}")
    return _dedent(selected)


def _dedent(lines: list[Line]) -> list[Line]:
    texts = textwrap.dedent("\n".join(line.text for line in lines)).split("\n")
    return [Line(text, line.source, line.number) for text, line in zip(texts, lines, strict=True)]


def expand(
    path: Path,
    *,
    section: str | None = None,
    seen: frozenset[str] = frozenset(),
    root: Path = ROOT,
) -> list[Line]:
    """The lines of ``path`` (or of one section of it) with its snippets expanded, as the build.

    Snippet paths are relative to ``root``, the repository root (``base_path: ["."]`` in
    mkdocs.yml); tests point it at a folder of their own.
    """
    source = source_name(path)
    lines = lines_of(path.read_text(encoding="utf-8"), source)
    if section is not None:
        lines = _section(lines, section, source)
    expanded: list[Line] = []
    for line in lines:
        snippet = INLINE_SNIPPET.match(line.text)
        if snippet and snippet["escape"]:
            expanded.append(Line(line.text.replace(";", "", 1), line.source, line.number))
            continue
        if BLOCK_SNIPPET.match(line.text):
            raise SnippetError(f"{source}:{line.number}: block snippets are not supported here")
        if snippet:
            target = snippet["snippet"][1:-1].strip()
            if target.startswith(";"):
                continue
            file, _, name = target.partition(":")
            if name and not re.fullmatch(r"(?i)[a-z][-_0-9a-z]*", name):
                raise SnippetError(f"{source}:{line.number}: only whole files and sections here")
            if file in seen or (root / file).resolve() == path.resolve():
                continue
            included = expand(root / file, section=name or None, seen=seen | {source}, root=root)
            space = snippet["space"].expandtabs(4)
            expanded += [Line(space + i.text, i.source, i.number) for i in included]
            continue
        if section is None and SECTION_MARKER.match(line.text):
            continue
        expanded.append(line)
    return expanded


def python_fences(lines: Sequence[Line], *, pycon: bool = False) -> list[Fence]:
    """Every Python fenced block of an expanded page, in order (``pycon`` ones too if asked)."""
    fences, i = [], 0
    while i < len(lines):
        opening = OPEN_FENCE.match(lines[i].text)
        if not opening:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        start, body = i, []
        i += 1
        while i < len(lines) and not closing.match(lines[i].text):
            text = lines[i].text
            text = text[len(indent) :] if text.startswith(indent) else text.lstrip()
            body.append(Line(text, lines[i].source, lines[i].number))
            i += 1
        i += 1
        info = PYTHON_INFO.match(opening["info"])
        if not info or (info["lang"] == "pycon" and not pycon):
            continue
        session = SESSION.search(info["opts"])
        fences.append(
            Fence(
                opening=lines[start],
                indent=len(indent.expandtabs(4)),
                opts=info["opts"],
                body=body,
                session=session["name"] if session else None,
                executed=bool(EXEC_ON.search(info["opts"])),
            )
        )
    return fences


def units(page: Path) -> list[Unit]:
    """The units of execution of a page: its sessions and its other blocks."""
    name = source_name(page)
    found: dict[str, Unit] = {}
    for n, fence in enumerate(python_fences(expand(page)), start=1):
        key = f"session-{fence.session}" if fence.executed and fence.session else f"block-{n}"
        found.setdefault(key, Unit(name, key)).fences.append(fence)
    return [u for u in found.values() if any(_own_lines(f, name) for f in u.fences)]


def _own_lines(fence: Fence, page: str) -> list[Line]:
    return [line for line in fence.body if line.source == page and line.text.strip()]


def _module(unit: Unit) -> tuple[str, list[tuple[Fence, Line | None]]]:
    """The unit's code as one module, and for each of its lines the fence and page line."""
    code: list[str] = []
    where: list[tuple[Fence, Line | None]] = []
    for n, fence in enumerate(unit.fences):
        if n:  # a blank line (an import block before it ends there) and the split comment
            code += ["", SPLIT]
            where += [(fence, None), (fence, None)]
        for line in fence.body:
            code.append(line.text)
            where.append((fence, line))
    return "\n".join(code) + "\n", where


def _virtual_path(page: str, unit: Unit) -> str:
    """Where ruff is told the unit lives: under docs/, so pyproject's docs/** ignores apply."""
    relative = Path(page)
    if relative.parts[:1] != ("docs",):
        relative = Path("docs") / relative.name
    return str(relative.with_suffix("") / f"{unit.name}.py")


def lint_unit(unit: Unit, ruff: Path = RUFF) -> list[Finding]:
    """Run ``ruff check`` on one unit; the findings on lines written on its page."""
    code, where = _module(unit)
    command = [str(ruff), "check", "--no-fix", "--output-format", "json", "--stdin-filename"]
    result = subprocess.run(
        [*command, _virtual_path(unit.page, unit), "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed on {unit.page} ({unit.name}):\n{result.stderr}")
    findings = []
    for item in json.loads(result.stdout or "[]"):
        row, column = item["location"]["row"], item["location"]["column"]
        fence, line = _place(where, row)
        if line.source == unit.page:
            # "from line 12" in a message is a row of the module: say where that line lives
            message = re.sub(
                r"\bline (\d+)\b", lambda m: _where(where, int(m[1]), unit.page), item["message"]
            )
            column = 1 if line is fence.opening else column + fence.indent
            findings.append(Finding(unit.page, line.number, column, item["code"], message))
    return findings


def _place(where: list[tuple[Fence, Line | None]], row: int) -> tuple[Fence, Line]:
    """The fence and line of a module row (the split line before a block: its opening line)."""
    fence, line = where[min(max(row, 1), len(where)) - 1]
    return fence, line or fence.opening


def _where(where: list[tuple[Fence, Line | None]], row: int, page: str) -> str:
    line = _place(where, row)[1]
    return f"line {line.number}" if line.source == page else f"{line.source}:{line.number}"


def lint_pages(pages: Iterable[Path], ruff: Path = RUFF) -> list[Finding]:
    """The findings of every unit of every page, sorted by page and line."""
    work = [unit for page in pages for unit in units(page)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda unit: lint_unit(unit, ruff), work)
    found = {finding for result in results for finding in result}
    return sorted(found, key=lambda f: (f.page, f.line, f.column, f.code))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages (default: docs/)")
    args = parser.parse_args(argv)
    pages = args.pages or sorted(DOCS.rglob("*.md"))
    try:
        findings = lint_pages(pages)
    except SnippetError as error:
        print(f"lint_page_code: {error}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if findings:
        print(f"Found {len(findings)} problem(s) in the pages' code.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
