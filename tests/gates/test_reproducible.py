"""Reproducible build: a second build of the same sources gives the same files, byte for byte.

The test builds the site again (``mkdocs build --strict`` into a temporary folder, with the
environment ``make docs`` uses, and the notebook cache off so that every notebook runs again)
and compares every file with the site under test
(``BACKPROP_BOOK_SITE``, else ``site/``). The only differences allowed are listed in
``ALLOWED`` below, each with its reason and a normaliser that removes exactly that
difference before the comparison (nothing is skipped wholesale).

``compare_trees`` works on any two folders; the planted-defect tests show that it reports a
changed byte, a missing file and an extra file, and that the allowed differences are the only
ones it forgives.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.browser import ROOT

_LASTMOD = re.compile(rb"<lastmod>[0-9-]+</lastmod>")


def _sitemap(data: bytes) -> bytes:
    return _LASTMOD.sub(b"<lastmod>DATE</lastmod>", data)


def _sitemap_gz(data: bytes) -> bytes:
    return _sitemap(gzip.decompress(data))


# Measured durations that pages print on purpose: the Keras progress line of the notes
# ("- 1s 17us/step", or "- 0s" with verbose=2), the command line's "trained N iterations in
# 3.4 s", and "Why reverse mode"'s timing of the numerical gradient against backpropagation
# (three times and their ratio, "… would take <strong>12,345 times</strong>", in Korean
# "<strong>12,345배</strong>", written \ubc30 in the search index). Only the measured numbers
# are masked; everything around them must still be identical.
_DURATIONS = re.compile(
    rb"(?<= - )\d+s(?: \d+(?:s|ms|us)/step)?(?= - |\s|<|\\n|$)"
    rb"|(?<=iterations in )\d+\.\d s"
    rb"|(?<=parameters: )\d+\.\d ms|(?<=entries of b2: )\d+\.\d\d s"
    rb"|(?<=\(extrapolated\): )\d+ s"
    rb"|(?<=would take <strong>)[\d,]+(?= times)|(?<=would take )[\d,]+(?= times)"
    rb"|[\d,]+(?=\xeb\xb0\xb0</strong>|\\ubc30 \\uc624\\ub798)"
)


def _durations(data: bytes) -> bytes:
    return _DURATIONS.sub(b"<duration>", data)


@dataclass(frozen=True)
class Allowed:
    pattern: str  # fnmatch pattern on the path relative to the site root
    normalise: Callable[[bytes], bytes]
    reason: str


# The one list of differences two builds of one commit may show.
ALLOWED = [
    Allowed(
        "sitemap.xml",
        _sitemap,
        "<lastmod> is the day of the build (MkDocs reads SOURCE_DATE_EPOCH when it is set); "
        "two builds on different days differ there and nowhere else.",
    ),
    Allowed(
        "*/sitemap.xml",
        _sitemap,
        "the Korean edition's sitemap: same reason as sitemap.xml.",
    ),
    Allowed(
        "sitemap.xml.gz",
        _sitemap_gz,
        "gzip stores the build time in its header (MkDocs passes the build timestamp as mtime) "
        "and the content carries <lastmod>; compared decompressed, without the date.",
    ),
    Allowed(
        "*/sitemap.xml.gz",
        _sitemap_gz,
        "the Korean edition's compressed sitemap: same reason as sitemap.xml.gz.",
    ),
]
# Pages (and the search indexes that copy their text) that show a measured duration.
ALLOWED += [
    Allowed(
        pattern,
        _durations,
        "prints a measured time (Keras progress line, the CLI's training time, or the timed "
        "gradients of Why reverse mode), which differs on every run; the measured numbers are "
        "masked, nothing else.",
    )
    for pattern in (
        "models/keras-style/index.html",
        "ko/models/keras-style/index.html",
        "training/two-layer-net/index.html",
        "ko/training/two-layer-net/index.html",
        "notebooks/training-lab/index.html",
        "ko/notebooks/training-lab/index.html",
        "layers/reverse-mode/index.html",
        "ko/layers/reverse-mode/index.html",
        "search/search_index.json",
        "ko/search/search_index.json",
    )
]


def _allowed_for(rel: str, allowed: list[Allowed]) -> Allowed | None:
    for entry in allowed:
        if fnmatch.fnmatchcase(rel, entry.pattern):
            return entry
    return None


# The PDF editions are printed from the site after the build (make pdf); tests/gates/test_pdf.py
# checks them, and that their dates are fixed.
PRINTED = {"backprop_book.pdf", "ko/backprop_book-ko.pdf"}


def _files(root: Path) -> set[str]:
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    return files - PRINTED


def compare_trees(a: Path, b: Path, allowed: list[Allowed] = ALLOWED) -> list[str]:
    """Differences between two built sites, after the allowed normalisations; [] if none."""
    a, b = Path(a), Path(b)
    files_a, files_b = _files(a), _files(b)
    problems = [f"only in {a}: {rel}" for rel in sorted(files_a - files_b)]
    problems += [f"only in {b}: {rel}" for rel in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        data_a, data_b = (a / rel).read_bytes(), (b / rel).read_bytes()
        if data_a == data_b:
            continue
        entry = _allowed_for(rel, allowed)
        if entry is not None:
            try:
                if entry.normalise(data_a) == entry.normalise(data_b):
                    continue
            except (OSError, EOFError, gzip.BadGzipFile) as err:
                problems.append(f"{rel}: cannot normalise ({err})")
                continue
        problems.append(f"{rel}: differs{_first_difference(data_a, data_b)}")
    return problems


def _first_difference(x: bytes, y: bytes) -> str:
    n = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
    start = max(0, n - 60)
    return (
        f" at byte {n} ({len(x)} vs {len(y)} bytes):\n"
        f"    {x[start : n + 60]!r}\n    {y[start : n + 60]!r}"
    )


def test_durations_are_the_only_thing_masked():
    a = b"48000/48000 [====] - 1s 17us/step - loss: 2.3017 - acc: 0.1231\n - 0s - loss: 0.2"
    b = b"48000/48000 [====] - 2s 31us/step - loss: 2.3017 - acc: 0.1231\n - 1s - loss: 0.2"
    assert a != b and _durations(a) == _durations(b)
    assert _durations(b"trained 140 iterations in 3.4 s") == _durations(
        b"trained 140 iterations in 9.9 s"
    )
    assert _durations(b"- loss: 2.3017") != _durations(b"- loss: 2.3018")
    assert _durations(b"trained 140 iterations") != _durations(b"trained 141 iterations")


@pytest.mark.slow
def test_a_second_build_is_identical(site_dir, tmp_path):
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env["BACKPROP_BOOK_NOTEBOOK_CACHE"] = "off"  # the notebooks run again, not come from a cache
    env.setdefault("MPLBACKEND", "Agg")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"second build failed:\n{done.stderr[-3000:]}"
    problems = compare_trees(site_dir, out)
    if problems:
        built_from, now = _footer_commit(site_dir), _footer_commit(out)
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.splitlines()
        note = (
            f"the site under test was built from commit {built_from}, the work tree is at {now}"
            if built_from != now
            else f"both builds come from commit {now}"
        ) + f"; {len(status)} files of the work tree differ from that commit"
    assert not problems, (
        f"{len(problems)} files differ between {site_dir} and a second build ({note}; if the "
        "sources changed in between, rebuild the site first):\n" + "\n".join(problems[:20])
    )


def _footer_commit(site: Path) -> str | None:
    html = (site / "index.html").read_text("utf-8")
    match = re.search(r'class="bp-build__commit">([0-9a-f]+)<', html)
    return match.group(1) if match else None


# --- planted defects ---------------------------------------------------------------------------


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


_SITEMAP = b"<urlset><url><loc>x</loc><lastmod>2026-11-28</lastmod></url></urlset>"


def _site(root: Path, **changes: bytes) -> Path:
    files = {
        "index.html": b"<p>220</p>",
        "layers/index.html": b"<svg><path id='p1'/></svg>",
        "sitemap.xml": _SITEMAP,
        "sitemap.xml.gz": gzip.compress(_SITEMAP, mtime=1_000),
    }
    files.update({k.replace("__", "/").replace("_dot_", "."): v for k, v in changes.items()})
    return _tree(root, files)


def test_identical_trees_compare_equal(tmp_path):
    assert compare_trees(_site(tmp_path / "a"), _site(tmp_path / "b")) == []


def test_a_changed_byte_is_reported(tmp_path):
    a = _site(tmp_path / "a")
    b = _site(tmp_path / "b", layers__index_dot_html=b"<svg><path id='p2'/></svg>")
    problems = compare_trees(a, b)
    assert len(problems) == 1 and problems[0].startswith("layers/index.html: differs at byte 16")


def test_missing_and_extra_files_are_reported(tmp_path):
    a = _site(tmp_path / "a", extra_dot_js=b"1")
    b = _site(tmp_path / "b")
    (b / "index.html").unlink()
    problems = compare_trees(a, b)
    assert problems == [f"only in {a}: extra.js", f"only in {a}: index.html"]


def test_allowed_differences_are_forgiven_and_only_them(tmp_path):
    other_day = _SITEMAP.replace(b"2026-11-28", b"2026-11-29")
    a = _site(tmp_path / "a")
    b = _site(
        tmp_path / "b",
        sitemap_dot_xml=other_day,
        sitemap_dot_xml_dot_gz=gzip.compress(other_day, mtime=2_000),
    )
    assert compare_trees(a, b) == []
    c = _site(tmp_path / "c", sitemap_dot_xml=other_day.replace(b"<loc>x", b"<loc>y"))
    assert [p.split(":")[0] for p in compare_trees(a, c)] == ["sitemap.xml"]
    assert len(compare_trees(a, b, allowed=[])) == 2


def test_every_allowed_difference_has_a_reason():
    for entry in ALLOWED:
        assert len(entry.reason.split()) >= 6, entry
