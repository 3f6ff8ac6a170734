"""The built site's pages, parsed once per test process, for the gates that read their HTML.

Several gates read the same built pages: the Korean edition's (every page of both editions,
three questions each), the English-words gate (every Korean page, three questions) and the
glossary's (the page each term links to, one test per term, so a chapter cited for ten terms
was read ten times). BeautifulSoup takes about 0.2 s to parse a long chapter; each test parsed
its page again, and the gates that left parts of the text out removed them from their tree, so
no tree could be shared. Here each file is parsed once per process (``page``) and every caller
reads the same tree; ``text_without`` and ``string_without`` leave parts out without changing
it. The tree is shared: read it, never change it (``tests/tooling/test_built_pages.py`` checks
that both give what removing the parts would).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag


def page(path: Path) -> BeautifulSoup:
    """The parsed ``path`` (a built page), the same tree for every caller until the file changes."""
    assert path.is_file(), f"{path} is not built"
    stat = path.stat()
    return _parsed(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)  # both editions' pages, with room to spare
def _parsed(path: Path, size: int, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def left_out(element: Tag, hidden: str) -> set[int]:
    """The ids of the elements under ``element`` that the CSS selector ``hidden`` picks, and of
    everything inside them."""
    ids: set[int] = set()
    for found in element.select(hidden):
        if id(found) not in ids:
            ids.add(id(found))
            ids.update(id(inner) for inner in found.descendants)
    return ids


def _strings(element: Tag, gone: set[int]) -> Iterator[str]:
    """The strings ``element.get_text()`` joins, in order, but none inside the ``gone``."""
    kinds = element.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES  # as get_text
    if isinstance(kinds, type):
        kinds = {kinds}
    stack = [iter(element.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if id(child) not in gone:
                stack.append(iter(child.children))
        elif isinstance(child, NavigableString) and type(child) in kinds:
            yield child


def text_without(element: Tag, hidden: str) -> str:
    """``element.get_text(" ")`` as if what the selector ``hidden`` picks were removed, with its
    runs of white space made one space."""
    return " ".join(" ".join(_strings(element, left_out(element, hidden))).split())


def string_without(element: Tag, gone: set[int]) -> str | None:
    """``element.string`` as if the elements of ``gone`` (from ``left_out``) were removed: the
    one string of an element with one child left (looked for in that child if it is a tag)."""
    children = [c for c in element.children if not (isinstance(c, Tag) and id(c) in gone)]
    if len(children) != 1:
        return None
    child = children[0]
    if isinstance(child, NavigableString):
        return child
    return string_without(child, gone) if isinstance(child, Tag) else None
