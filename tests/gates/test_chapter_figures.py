"""Every chapter page shows at least one figure generated at build time (an inline SVG)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

DOCS = ROOT / "docs"
PARTS = ("graphs", "layers", "training", "models", "deeper")
CHAPTERS = sorted(
    f"{p.parent.name}/{p.stem}/"
    for part in PARTS
    for p in (DOCS / part).glob("*.md")
    if p.stem != "index"
)


def test_there_are_chapters():
    assert len(CHAPTERS) >= 11, CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("edition", ["", "ko/"])
def test_chapter_has_a_generated_figure(chapter, edition, page_html):
    html = page_html(edition + chapter)
    figures = len(re.findall(r'<svg\b[^>]*\brole="img"', html))
    assert figures >= 1, f"/{edition}{chapter} shows no figure generated at build time"
