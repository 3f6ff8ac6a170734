"""What a page includes through its snippet lines (``--8<--``), for hooks/page_cache.py.

A page's cached HTML stays valid while the parts of files it includes stay the same: a section
between ``--8<-- [start:name]`` and ``--8<-- [end:name]``, or a whole file, followed into what
those parts include in turn. scripts/serve.py's Korean watcher asks the same question of an
edited English page (does a Korean page include the part that changed?).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --8<-- "path", --8<-- "path:section", --8<-- 'path:3:9', and a path alone on a line of a block.
SNIPPET = re.compile(r"""--8<--\s*(?:"([^"\n]+)"|'([^'\n]+)')""")
SNIPPET_BLOCK = re.compile(r"^[ \t]*--8<--[ \t]*\n(.*?)^[ \t]*--8<--[ \t]*$", re.S | re.M)


def snippet_sections(markdown: str, base: Path = ROOT) -> dict[Path, set[str]]:
    """The files that the snippet lines of ``markdown`` include, and which sections of each.

    A section is the text between ``--8<-- [start:name]`` and ``--8<-- [end:name]``; ``""``
    stands for the whole file (a snippet line without a section, or with line numbers). The
    included text is followed into the files that it includes in turn.
    """
    found: dict[Path, set[str]] = {}
    queue = [markdown]
    while queue:
        text = queue.pop()
        names = [a or b for a, b in SNIPPET.findall(text)]
        for block in SNIPPET_BLOCK.findall(text):
            names += [line.strip() for line in block.splitlines() if line.strip()]
        for name in names:
            if name.startswith(";"):  # a snippet line commented out
                continue
            file, _, rest = name.partition(":")
            section = rest if re.fullmatch(r"[A-Za-z_][\w-]*", rest) else ""
            path = (base / file).resolve()
            if not path.is_file() or section in found.get(path, set()):
                continue
            found.setdefault(path, set()).add(section)
            queue.append(section_text(path, section))
    return found


def section_text(path: Path, section: str) -> str:
    """One section of a file (the whole file for ``""`` or a section it does not have)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not section:
        return text
    name = re.escape(section)
    found = re.search(rf"--8<-- \[start:{name}\](.*?)--8<-- \[end:{name}\]", text, re.S)
    return found.group(1) if found else text


def sections_digest(path: Path, sections: set[str]) -> str:
    """A hash of the parts of ``path`` that a page includes."""
    parts = [""] if "" in sections else sorted(sections)
    digest = hashlib.sha256()
    for section in parts:
        digest.update(section.encode() + b"\0" + section_text(path, section).encode() + b"\0")
    return digest.hexdigest()
