#!/usr/bin/env python3
"""Check that a release tag matches the package version and that CHANGELOG.md records it.

Usage: ``python scripts/check_release.py v0.1.0`` (without an argument the tag is read from
``GITHUB_REF_NAME``, which GitHub sets on a tag push). The release workflow runs it before
anything is built; it exits 0 when all is well and 1 with one line per problem otherwise.

The version has one home, ``__version__`` in ``src/backprop_book/__init__.py`` (hatchling
reads it from there for the metadata), so the file is read as text, not imported. The tag
must be ``v`` followed by exactly that version. CHANGELOG.md follows Keep a Changelog: the
release needs a heading ``## [X.Y.Z] - YYYY-MM-DD`` with some text under it, and the link
definition ``[X.Y.Z]: ...`` at the foot of the file. Only the standard library is used.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = Path("src", "backprop_book", "__init__.py")
CHANGELOG = Path("CHANGELOG.md")

_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.M)
# Release versions only (what a tag may carry): 1.2.3, 1.2.3rc1, 1.2.3.post1 and the like.
_RELEASE = re.compile(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.post\d+)?")
_HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?P<rest>.*)$", re.M)
_DATED = re.compile(r" - \d{4}-\d{2}-\d{2}")


def package_version(root: Path = ROOT) -> str:
    """``__version__`` as written in ``src/backprop_book/__init__.py`` (exactly one line)."""
    found = _VERSION_LINE.findall((root / INIT).read_text(encoding="utf-8"))
    if len(found) != 1:
        raise ValueError(f'{INIT}: expected one `__version__ = "..."` line, found {len(found)}')
    return found[0]


def changelog_entry(text: str, version: str) -> str | None:
    """The text under ``## [version] - date`` in a changelog (None: no such heading)."""
    headings = list(_HEADING.finditer(text))
    for i, heading in enumerate(headings):
        if heading["name"] == version and _DATED.match(heading["rest"]):
            end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
            body = text[heading.end() : end]
            # The link definitions at the foot belong to no entry.
            return re.split(r"^\[[^\]]+\]: ", body, maxsplit=1, flags=re.M)[0].strip()
    return None


def release_problems(tag: str, root: Path = ROOT) -> list[str]:
    """What stops ``tag`` from being released from the tree at ``root`` ([] if nothing)."""
    problems = []
    version = package_version(root)
    if not _RELEASE.fullmatch(version):
        problems.append(f"__version__ {version!r} is not a release version (e.g. 1.2.3)")
    if tag != f"v{version}":
        problems.append(
            f"tag {tag!r} does not match __version__ {version!r} (expected 'v{version}')"
        )
    changelog = (root / CHANGELOG).read_text(encoding="utf-8")
    entry = changelog_entry(changelog, version)
    if entry is None:
        problems.append(f"{CHANGELOG} has no entry '## [{version}] - YYYY-MM-DD'")
    elif not entry:
        problems.append(f"{CHANGELOG}: the entry for {version} is empty")
    if not re.search(rf"^\[{re.escape(version)}\]: \S", changelog, re.M):
        problems.append(f"{CHANGELOG} has no link definition '[{version}]: ...' at its foot")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    tag = args[0] if args else os.environ.get("GITHUB_REF_NAME", "")
    if not tag:
        print("usage: check_release.py vX.Y.Z (or set GITHUB_REF_NAME)", file=sys.stderr)
        return 2
    problems = release_problems(tag)
    for problem in problems:
        print(f"check_release: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check_release: {tag} matches __version__ and has a CHANGELOG entry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
