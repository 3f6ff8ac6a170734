"""Release check: ``scripts/check_release.py`` passes on this tree and stops a wrong release.

The release workflow runs it first on a tag push. On the real tree, ``v`` + ``__version__``
passes; a tag that differs from ``__version__``, a CHANGELOG.md without a dated entry for the
version (or with an empty one, or without its link definition) and a development version
each fail with a message naming the problem. The failing trees are copies of the real files
with one planted defect, and the script runs from inside each copy as it does in CI.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import backprop_book
from tests.helpers import ROOT

SCRIPT = ROOT / "scripts" / "check_release.py"
VERSION = backprop_book.__version__
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
INIT = (ROOT / "src" / "backprop_book" / "__init__.py").read_text(encoding="utf-8")


def _load():
    spec = importlib.util.spec_from_file_location("check_release", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_release = _load()


def run(tag: str | None, script: Path = SCRIPT) -> subprocess.CompletedProcess:
    """The script as CI runs it: a fresh interpreter, the tag as argument (or none)."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_REF_NAME"}
    return subprocess.run(
        [sys.executable, str(script), *([tag] if tag is not None else [])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def tree(tmp_path: Path, changelog: str = CHANGELOG, init: str = INIT) -> Path:
    """A copy of the files the check reads (and the script itself), to plant a defect in."""
    (tmp_path / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, tmp_path / "scripts" / "check_release.py")
    (tmp_path / "src" / "backprop_book").mkdir(parents=True)
    (tmp_path / "src" / "backprop_book" / "__init__.py").write_text(init, encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return tmp_path


def test_the_real_tag_passes():
    assert check_release.package_version() == VERSION
    assert check_release.release_problems(f"v{VERSION}") == []
    done = run(f"v{VERSION}")
    assert done.returncode == 0, done.stderr
    assert f"v{VERSION} matches __version__" in done.stdout


def test_the_tag_is_read_from_github_ref_name_without_an_argument():
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "GITHUB_REF_NAME": f"v{VERSION}"},
    )
    assert done.returncode == 0, done.stderr
    assert run(None).returncode == 2  # no tag at all is a usage error, not a pass


@pytest.mark.parametrize("tag", [VERSION, f"v{VERSION}.1", f"v{VERSION}rc1", "v9.9.9", "main"])
def test_a_tag_that_is_not_v_plus_the_version_fails(tag):
    done = run(tag)
    assert done.returncode == 1
    assert f"tag {tag!r} does not match __version__ {VERSION!r}" in done.stderr


def test_the_real_changelog_entry_is_found():
    entry = check_release.changelog_entry(CHANGELOG, VERSION)
    assert entry and "\n### " in f"\n{entry}"  # Keep a Changelog: Added, Changed, Fixed...
    first = check_release.changelog_entry(CHANGELOG, "0.1.0")
    assert first.startswith("The first version") and first.endswith(
        "commit hash with least privilege."
    )
    assert "[Unreleased]:" not in entry  # the link definitions at the foot are not part of it
    assert check_release.changelog_entry(CHANGELOG, "Unreleased") is None  # no date: no release


def test_a_version_without_a_changelog_entry_fails(tmp_path):
    bumped = INIT.replace(f'__version__ = "{VERSION}"', '__version__ = "0.2.0"')
    assert bumped != INIT
    root = tree(tmp_path, init=bumped)
    done = run("v0.2.0", root / "scripts" / "check_release.py")
    assert done.returncode == 1
    assert "CHANGELOG.md has no entry '## [0.2.0] - YYYY-MM-DD'" in done.stderr
    assert "no link definition '[0.2.0]: ...'" in done.stderr
    assert "does not match" not in done.stderr  # the tag itself was right


def test_an_undated_an_empty_or_an_unlinked_entry_fails(tmp_path):
    dated = re.search(rf"^## \[{re.escape(VERSION)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", CHANGELOG, re.M)
    assert dated, f"CHANGELOG.md has no dated heading for {VERSION}"
    undated = CHANGELOG.replace(dated[0], f"## [{VERSION}]")
    assert check_release.changelog_entry(undated, VERSION) is None

    empty = CHANGELOG[: dated.end()] + "\n\n" + CHANGELOG[CHANGELOG.index("\n[Unreleased]: ") :]
    assert check_release.changelog_entry(empty, VERSION) == ""
    assert check_release.release_problems(f"v{VERSION}", tree(tmp_path / "e", empty)) == [
        f"CHANGELOG.md: the entry for {VERSION} is empty"
    ]

    unlinked = "\n".join(
        line for line in CHANGELOG.splitlines() if not line.startswith(f"[{VERSION}]: ")
    )
    assert check_release.release_problems(f"v{VERSION}", tree(tmp_path / "u", unlinked)) == [
        f"CHANGELOG.md has no link definition '[{VERSION}]: ...' at its foot"
    ]


def test_a_development_version_is_not_released(tmp_path):
    dev = INIT.replace(f'__version__ = "{VERSION}"', f'__version__ = "{VERSION}.dev1"')
    problems = check_release.release_problems(f"v{VERSION}.dev1", tree(tmp_path, init=dev))
    assert f"__version__ '{VERSION}.dev1' is not a release version (e.g. 1.2.3)" in problems


def test_the_version_must_have_exactly_one_home(tmp_path):
    twice = INIT + f'\n__version__ = "{VERSION}"\n'
    with pytest.raises(ValueError, match="expected one `__version__"):
        check_release.package_version(tree(tmp_path, init=twice))
