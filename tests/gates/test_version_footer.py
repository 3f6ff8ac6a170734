"""The site shows the version it was built from: package version and git commit, in the footer.

``hooks/version.py`` reads ``__version__`` from ``src/backprop_book/__init__.py`` and asks git
for the commit; ``overrides/partials/copyright.html`` prints both on every page (both
editions). The commit must be one of this repository's commits.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import backprop_book
from tests.helpers.browser import ROOT

_BUILD = re.compile(
    r'<div class="bp-build">\s*backprop_book <span class="bp-build__version">([^<]+)</span>'
    r'(?:\s*·\s*<(?:a href="([^"]+)"|span) class="bp-build__commit">([0-9a-f]{7})</)?'
)


def footer_build(html: str) -> tuple[str, str | None, str | None] | None:
    """(version, commit link, short commit) shown in a page's footer, or None."""
    match = _BUILD.search(html)
    return match.groups() if match else None


def test_every_page_shows_the_version_and_commit(site_dir):
    shown = {}
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        shown[rel] = footer_build(path.read_text(encoding="utf-8"))
    missing = [rel for rel, build in shown.items() if build is None]
    assert not missing, f"no version in the footer of {missing[:10]}"
    versions = {build[0] for build in shown.values()}
    assert versions == {backprop_book.__version__}, versions
    commits = {build[2] for build in shown.values()}
    assert len(commits) == 1, f"pages built from different commits: {commits}"
    (commit,) = commits
    if commit is not None:  # built in a git work tree: a commit of this repository
        known = subprocess.run(
            ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, check=False
        )
        assert known.returncode == 0, f"the footer's commit {commit} is not in this repository"
        links = {build[1] for build in shown.values()}
        assert all(link and link.endswith("/commit/" + link.rsplit("/", 1)[1]) for link in links)
        assert all(link.rsplit("/", 1)[1].startswith(commit) for link in links), links


def test_the_footer_pattern_matches_the_partial():
    html = (
        '<div class="bp-build">\n      backprop_book <span class="bp-build__version">1.2.3</span> ·'
        '\n        <a href="https://github.com/o/r/commit/' + "a" * 40 + '"'
        ' class="bp-build__commit">aaaaaaa</a>\n    </div>'
    )
    assert footer_build(html) == ("1.2.3", "https://github.com/o/r/commit/" + "a" * 40, "aaaaaaa")
    assert footer_build("<footer>no version</footer>") is None
