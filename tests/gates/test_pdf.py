"""The PDF editions (``make pdf``): one book per language, printed from the built site.

``make pdf`` writes ``site/backprop_book.pdf`` and ``site/ko/backprop_book-ko.pdf`` (beside the
pages, so the site's "Download PDF" links work); these tests read them with pypdf.
"""

from __future__ import annotations

import re

import pypdf
import pytest

from tests.helpers import ROOT, SITE

PDFS = {"en": SITE / "backprop_book.pdf", "ko": SITE / "ko" / "backprop_book-ko.pdf"}
# The seed's numbers, as the pages print them (the apples, apples and oranges, the Dense layer's
# parameters, the two-layer net's parameters, Keras' fit line).
SEED_NUMBERS = ["220", "715", "39,250", "Train on 48000 samples, validate on 12000 samples"]
PAGES = range(60, 400)  # today about 150 pages per edition; far outside this is a broken print


def _headings(edition: str) -> list[str]:
    """The <h1> of every chapter of an edition: each must be a bookmark of its PDF."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import make_pdf

    return [chapter.heading for chapter in make_pdf.chapters(SITE, edition)]


@pytest.fixture(scope="module", params=sorted(PDFS))
def book(request, site_dir):
    path = PDFS[request.param]
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test runs it before these tests)")
    reader = pypdf.PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return request.param, reader, text


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(" ".join(item.title.split()))
    return titles


def test_page_count_is_that_of_a_book(book):
    edition, reader, _ = book
    assert len(reader.pages) in PAGES, f"{edition}: {len(reader.pages)} pages"


def test_every_chapter_has_a_bookmark(book):
    edition, reader, _ = book
    titles = set(_outline_titles(reader.outline))
    missing = [h for h in _headings(edition) if " ".join(h.split()) not in titles]
    assert not missing, f"{edition}: no bookmark for {missing}"


def test_the_seed_numbers_are_printed(book):
    edition, _, text = book
    flat = " ".join(text.split())
    missing = [n for n in SEED_NUMBERS if n not in flat]
    assert not missing, f"{edition}: {missing} not in the PDF's text"


def test_no_raw_tex_is_printed(book):
    edition, _, text = book
    # Code listings quote docstrings with $…$ and \\partial, so only what never appears in code.
    raw = re.findall(r"\\frac|\$\$|\\\(|\\\[", text)
    assert not raw, f"{edition}: raw TeX in the PDF: {raw[:5]}"


def test_every_font_is_embedded(book):
    edition, reader, _ = book
    bare = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3":  # glyphs drawn inside the PDF itself
                continue
            descendants = font.get("/DescendantFonts") or [font]
            for part in descendants:
                descriptor = part.get_object().get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    bare.add(str(font.get("/BaseFont")))
    assert not bare, f"{edition}: fonts not embedded: {sorted(bare)}"


def test_the_korean_edition_is_in_korean(book):
    edition, _, text = book
    hangul = len(re.findall("[\uac00-\ud7a3]", text))
    if edition == "ko":
        assert hangul > 10_000, hangul
    else:
        assert hangul < 5_000, hangul  # the English book quotes the notes' Korean terms only


def test_the_dates_are_fixed_so_a_commit_prints_the_same_file(book):
    _, reader, _ = book
    meta = reader.metadata
    assert meta.get("/CreationDate") == meta.get("/ModDate") == "D:20000101000000Z"
