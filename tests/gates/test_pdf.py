"""The PDF editions (``make pdf``): one book per language, printed from the built site.

``make pdf`` writes ``site/backprop_book.pdf`` and ``site/ko/backprop_book-ko.pdf`` (beside the
pages, so the site's "Download PDF" links work); these tests read them with pypdf. A book's
shape is checked: the contents give each chapter the page its bookmark points at, numbered
from 1 at the first chapter as the footers are (the cover and contents are labelled i, ii, …);
each chapter with exercises ends with its solutions, linked both ways; and every link inside
the book lands in the chapter it names.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest

from tests.helpers import ROOT, SITE

PDFS = {"en": SITE / "backprop_book.pdf", "ko": SITE / "ko" / "backprop_book-ko.pdf"}
# The seed's numbers, as the pages print them (the apples, apples and oranges, the Dense layer's
# parameters, the two-layer net's parameters, Keras' fit line).
SEED_NUMBERS = ["220", "715", "39,250", "Train on 48000 samples, validate on 12000 samples"]
PAGES = range(60, 500)  # today about 270 pages per edition; far outside this is a broken print


def _make_pdf():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import make_pdf

    return make_pdf


@functools.cache
def _chapters(edition: str) -> list:
    """The chapters of an edition as make_pdf reads them from the site (read once per edition)."""
    return _make_pdf().chapters(SITE, edition)


def _headings(edition: str) -> list[str]:
    """The <h1> of every chapter of an edition: each must be a bookmark of its PDF."""
    return [chapter.heading for chapter in _chapters(edition)]


def _page_texts(path: Path) -> list[str]:
    """The text of every page of a PDF, in reading order.

    PDFium (pypdfium2) reads a 270-page edition in about 1 s; pypdf's pure-Python extraction
    takes about 30 s for the same pages and is used only where pypdfium2 is not installed. Both
    give the text that the tests below search (numbers, words, the footers' page numbers) on
    the body's pages.
    """
    try:
        import pypdfium2
    except ImportError:
        return [page.extract_text() for page in pypdf.PdfReader(path).pages]
    document = pypdfium2.PdfDocument(path)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _flat(text: str) -> str:
    """Whitespace collapsed and ligatures undone (the PDF's text has "ﬃ" for "ffi")."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


def _book_chapters(edition: str, reader) -> list[dict]:
    """Each chapter of the edition, in order: slug, title, its bookmark and the page index of
    that bookmark, and the bookmarks under it."""
    _make_pdf()  # puts scripts/ on the path
    import pdf_pages

    book = _chapters(edition)
    items = list(reader.outline)
    found, at = [], 0
    for chapter in book:
        while at < len(items) and (
            isinstance(items[at], list) or _flat(items[at].title) != _flat(chapter.heading)
        ):
            at += 1
        assert at < len(items), f"{edition}: no bookmark for {chapter.heading!r}"
        children = items[at + 1] if at + 1 < len(items) and isinstance(items[at + 1], list) else []
        found.append(
            {
                "slug": pdf_pages.chapter_slug(chapter.path),
                "path": chapter.path,
                "title": chapter.title,
                "index": reader.get_destination_page_number(items[at]),
                "children": children,
            }
        )
        at += 1
    return found


def _chapter_of(chapters: list[dict], index: int) -> dict | None:
    """The chapter that page ``index`` belongs to (None in the front matter)."""
    inside = [ch for ch in chapters if ch["index"] <= index]
    return inside[-1] if inside else None


@pytest.fixture(scope="module", params=sorted(PDFS))
def book(request, site_dir):
    path = PDFS[request.param]
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test runs it before these tests)")
    reader = pypdf.PdfReader(path)
    pages = _page_texts(path)
    assert len(pages) == len(reader.pages), (path, len(pages), len(reader.pages))
    return request.param, reader, "\n".join(pages), pages


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(" ".join(item.title.split()))
    return titles


def test_page_count_is_that_of_a_book(book):
    edition, reader, _, _ = book
    assert len(reader.pages) in PAGES, f"{edition}: {len(reader.pages)} pages"


def test_every_chapter_has_a_bookmark(book):
    edition, reader, _, _ = book
    titles = set(_outline_titles(reader.outline))
    missing = [h for h in _headings(edition) if " ".join(h.split()) not in titles]
    assert not missing, f"{edition}: no bookmark for {missing}"


def test_the_seed_numbers_are_printed(book):
    edition, _, text, _ = book
    flat = " ".join(text.split())
    missing = [n for n in SEED_NUMBERS if n not in flat]
    assert not missing, f"{edition}: {missing} not in the PDF's text"


def test_no_raw_tex_is_printed(book):
    edition, _, text, _ = book
    # Code listings quote docstrings with $…$ and \\partial, so only what never appears in code.
    raw = re.findall(r"\\frac|\$\$|\\\(|\\\[", text)
    assert not raw, f"{edition}: raw TeX in the PDF: {raw[:5]}"


def test_every_font_is_embedded(book):
    edition, reader, _, _ = book
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
    edition, _, text, _ = book
    hangul = len(re.findall("[\uac00-\ud7a3]", text))
    if edition == "ko":
        assert hangul > 10_000, hangul
    else:
        assert hangul < 5_000, hangul  # the English book quotes the notes' Korean terms only


def test_the_dates_are_fixed_so_a_commit_prints_the_same_file(book):
    _, reader, _, _ = book
    meta = reader.metadata
    assert meta.get("/CreationDate") == meta.get("/ModDate") == "D:20000101000000Z"


def test_the_contents_give_each_chapter_the_page_of_its_bookmark(book):
    edition, reader, _, texts = book
    chapters = _book_chapters(edition, reader)
    front = chapters[0]["index"]
    assert front >= 2, f"{edition}: a cover and the contents come before the first chapter"
    labels = reader.page_labels
    assert labels[:front] == ["i", "ii", "iii", "iv", "v", "vi"][:front], labels[:front]
    assert labels[front:] == [str(n) for n in range(1, len(reader.pages) - front + 1)]
    # The contents pages by pypdf (a few pages, well under a second): PDFium loses the spaces
    # between the glyphs of a Korean contents page, which Chromium positions one by one.
    contents = _flat(" ".join(reader.pages[i].extract_text() for i in range(1, front)))
    at, missing = 0, []
    for chapter in chapters:
        body_number = chapter["index"] - front + 1  # the first chapter's first page is 1
        m = re.compile(re.escape(_flat(chapter["title"])) + r" ?(\d+)").search(contents, at)
        if not m or int(m[1]) != body_number:
            missing.append((chapter["title"], m[1] if m else None, body_number))
            continue
        at = m.end()
        # The page itself says so in its footer, the last line of its text.
        footer = texts[chapter["index"]].split()[-1]
        assert footer == str(body_number), (edition, chapter["title"], footer)
    assert not missing, f"{edition}: (title, in the contents, bookmark's page): {missing}"


def _destination_index(reader, annot) -> int | None:
    dest = annot.get("/Dest")
    if dest is None:
        return None
    if isinstance(dest, str):  # a named destination (Chromium names them after the ids)
        return reader.get_destination_page_number(reader.named_destinations[dest])
    return reader.get_page_number(dest[0].get_object())


def _links(reader) -> list[tuple[int, str | None, int]]:
    """Every link inside the PDF: (its page, its destination's name or None, target page)."""
    found = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            target = _destination_index(reader, annot)
            if target is not None:
                dest = annot["/Dest"]
                found.append((index, str(dest) if isinstance(dest, str) else None, target))
    return found


def test_links_inside_the_book_land_in_the_chapter_they_name(book):
    edition, reader, _, _ = book
    chapters = _book_chapters(edition, reader)
    by_slug = {ch["slug"]: ch for ch in chapters}
    links = _links(reader)
    wrong, between = [], 0
    for index, name, target in links:
        if name is None:  # the contents' links: each to the first page of a chapter
            if index >= chapters[0]["index"] or target not in {ch["index"] for ch in chapters}:
                wrong.append((index, "contents", target))
            continue
        slug = name.lstrip("/").split("--")[0]
        if slug not in by_slug or _chapter_of(chapters, target) is not by_slug[slug]:
            wrong.append((index, name, target))
        elif _chapter_of(chapters, index) is not by_slug[slug]:
            between += 1
    assert not wrong, f"{edition}: links that land outside their chapter: {wrong[:5]}"
    contents_links = [link for link in links if link[1] is None]
    assert len(contents_links) == len(chapters), (edition, len(contents_links), len(chapters))
    assert between >= 20, f"{edition}: only {between} links between chapters"


def _chapters_with_solutions(edition: str) -> set[str]:
    """The chapters whose page on the site has a collapsed solution inside an exercise."""
    prefix = "ko/" if edition == "ko" else ""
    found = set()
    for chapter in _chapters(edition):
        html = (SITE / prefix / chapter.path / "index.html").read_text(encoding="utf-8")
        if re.search(r'<details class="question"[^>]*>(?:(?!</details>).)*<details class="success"',
                     html, re.S):  # fmt: skip
            found.add(chapter.path)
    return found


def test_each_chapter_with_exercises_ends_with_its_solutions_linked_both_ways(book):
    edition, reader, _, _ = book
    heading = _make_pdf().EDITIONS[edition]["solutions"]
    chapters = _book_chapters(edition, reader)
    expected = _chapters_with_solutions(edition)
    assert len(expected) >= 10, f"{edition}: {len(expected)} chapters with solutions on the site"
    links = _links(reader)
    for ch in chapters:
        marks = [c for c in ch["children"] if not isinstance(c, list)]
        solutions = [m for m in marks if _flat(m.title) == heading]
        if ch["path"] not in expected:
            assert not solutions, f"{edition}: {ch['title']} has no exercise solution to gather"
            continue
        assert len(solutions) == 1, f"{edition}: {ch['title']}: {len(solutions)} {heading!r}"
        assert marks[-1] is solutions[0], f"{edition}: {ch['title']}: {heading!r} is not last"
        to_solution = [t for i, n, t in links if n == f"/{ch['slug']}--bp-solution-1"]
        back = [t for i, n, t in links if n == f"/{ch['slug']}--bp-exercise-1"]
        start = reader.get_destination_page_number(solutions[0])
        assert to_solution and back, f"{edition}: {ch['title']}: exercise 1 is not linked"
        assert to_solution[0] >= start >= back[0] >= ch["index"], (ch["title"], start, back)


def test_the_body_is_still_a_tagged_pdf_after_the_join(book):
    edition, reader, _, _ = book
    root = reader.trailer["/Root"]
    assert bool(root.get("/MarkInfo", {}).get("/Marked")), edition
    assert "/StructTreeRoot" in root, edition


def test_the_front_matter_is_tagged_in_the_same_structure_tree(book):
    """The cover and contents (printed apart, joined in front) keep their tags: each front
    page's marked content has its structure elements in the body's tree, reached from the
    catalog's /StructTreeRoot."""
    edition, reader, _, _ = book
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"]
    assert bool(root["/MarkInfo"].get("/Marked")), edition
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(parents) == int(tree["/ParentTreeNextKey"]), (edition, len(parents))
    front = _book_chapters(edition, reader)[0]["index"]
    for index in range(front):
        page = reader.pages[index]
        assert "/StructParents" in page, f"{edition}: front page {index + 1} is not tagged"
        content = page.get_contents().get_data()
        assert b"/MCID" in content, f"{edition}: front page {index + 1} has no marked content"
        elements = parents[int(page["/StructParents"])].get_object()
        assert len(elements) > 0, (edition, index)
        for element in elements:
            element = element.get_object()
            for _ in range(100):  # up the tree to its root
                if element.get("/Type") == "/StructTreeRoot":
                    break
                element = element["/P"].get_object()
            assert element.indirect_reference == tree.indirect_reference, (edition, index)


def test_each_exercise_says_its_solution_is_at_the_chapters_end(book):
    """Each exercise prints "Solution: at the end of the chapter" / "풀이: 이 장의 끝" once per
    solution it links to, and every such link lands on or after its chapter's Solutions heading
    (the solution keeps its exercise's title, so the paper reader finds it by number)."""
    edition, reader, _, texts = book
    words = _make_pdf().EDITIONS[edition]
    heading = words["solutions"]
    starts = {}  # chapter slug -> page of its Solutions heading
    for ch in _book_chapters(edition, reader):
        for mark in ch["children"]:
            if not isinstance(mark, list) and _flat(mark.title) == heading:
                starts[ch["slug"]] = reader.get_destination_page_number(mark)
    linked: dict[int, set[str]] = {}  # page: the solutions its links go to
    wrong = []
    for index, name, target in _links(reader):  # a link broken over boxes has one per box
        if name and re.search(r"--bp-solution-\d+$", name):
            linked.setdefault(index, set()).add(name)
            slug = name.lstrip("/").split("--")[0]
            if target < starts.get(slug, len(reader.pages)):
                wrong.append((index + 1, name, target + 1))
    assert not wrong, f"{edition}: solution links before their chapter's {heading!r}: {wrong[:5]}"
    assert sum(map(len, linked.values())) >= 20, f"{edition}: {len(linked)} pages link solutions"
    said = re.sub(r"\s+", "", words["to_solution"])
    miscounted = [
        (index + 1, re.sub(r"\s+", "", texts[index]).count(said), len(names))
        for index, names in sorted(linked.items())
        if re.sub(r"\s+", "", texts[index]).count(said) < len(names)
    ]
    assert not miscounted, (
        f"{edition}: (page, {said!r} printed, solutions linked): {miscounted[:5]}"
    )
