"""The glossary's links keep their word: each linked chapter really uses the term it is cited for.

Reads the built glossary of both editions (``site/glossary/`` and ``site/ko/glossary/``). Every
row of its table whose "Where" cell links to a page of the book names a term in its first column
(English on the English page, Korean on the Korean one). The linked page, built, must use that
term in its prose (code, math and figures are not prose): each comma-separated name of the cell,
with the ``(notes)``/``(노트)`` mark and any parenthesized gloss left out (for "오버피팅
(과대적합)": 오버피팅). With a ``#fragment`` the term must be in that section: from the heading with
that id to the next heading of the same or a higher level. English terms are compared without
regard to case ("Backpropagation" at the start of a sentence is the term).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.helpers import SITE, built
from tests.helpers.built import left_out, string_without, text_without

EDITIONS = {"en": "", "ko": "ko/"}
NOT_PROSE = "pre, code, kbd, script, style, svg, .arithmatex, .katex, .headerlink"
_BASE = "http://book.invalid/"  # a stand-in origin to resolve the relative links against


def glossary_rows(html: str) -> list[tuple[str, str]]:
    """(term cell text, href) of every glossary row whose last cell links somewhere."""
    soup = BeautifulSoup(html, "html.parser")
    rows = []
    for tr in soup.select("article table tbody tr"):
        cells = tr.find_all("td")
        link = cells[-1].find("a", href=True) if cells else None
        if link is not None:
            rows.append((cells[0].get_text(" ", strip=True), link["href"]))
    return rows


def term_names(cell: str) -> list[str]:
    """The names a term cell gives: marks and parenthesized glosses out, split at commas.

    >>> term_names("iteration, number of training steps (notes)")
    ['iteration', 'number of training steps']
    >>> term_names("오버피팅 (과대적합)")
    ['오버피팅']
    """
    cell = re.sub(r"\([^)]*\)", " ", cell)
    return [" ".join(name.split()) for name in cell.split(",") if name.strip()]


def prose(soup: BeautifulSoup, fragment: str = "") -> str:
    """The visible prose of a built page's article, or of the section that ``fragment`` opens."""
    article = soup.select_one("article.md-content__inner") or soup
    if not fragment:
        return text_without(article, NOT_PROSE)
    gone = left_out(article, NOT_PROSE)  # read around, not removed: the tree is shared
    heading = article.find(id=fragment)
    assert heading is not None and id(heading) not in gone, f"no element with id {fragment!r}"
    level = int(heading.name[1]) if re.fullmatch(r"h[1-6]", heading.name) else 7
    parts = [text_without(heading, NOT_PROSE)]
    for element in heading.find_all_next():
        if id(element) in gone:
            continue
        if re.fullmatch(r"h[1-6]", element.name) and int(element.name[1]) <= level:
            break
        if text := string_without(element, gone):
            parts.append(text)
    return " ".join(" ".join(parts).split())


def _entries(edition: str) -> list[tuple[str, str, str]]:
    """(term, linked page folder in the site, fragment) for the edition's glossary rows."""
    glossary = SITE / EDITIONS[edition] / "glossary" / "index.html"
    if not glossary.is_file():
        return []  # reported by test_glossary_is_built
    base = urljoin(_BASE, EDITIONS[edition] + "glossary/")
    entries = []
    for cell, href in glossary_rows(glossary.read_text(encoding="utf-8")):
        url = urlparse(urljoin(base, href))
        if url.netloc != urlparse(_BASE).netloc:
            continue  # a page outside the book
        for name in term_names(cell):
            entries.append((name, url.path.lstrip("/"), url.fragment))
    return entries


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_glossary_is_built_and_links_to_chapters(edition):
    glossary = SITE / EDITIONS[edition] / "glossary" / "index.html"
    assert glossary.is_file(), f"{glossary} is not built"
    assert len(_entries(edition)) >= 40  # the table has about fifty linked terms


@pytest.mark.parametrize(
    ("edition", "term", "page", "fragment"),
    [(edition, *entry) for edition in sorted(EDITIONS) for entry in _entries(edition)],
)
def test_linked_page_uses_the_term(edition, term, page, fragment):
    path = SITE / page / "index.html" if not page.endswith(".html") else SITE / page
    text = prose(built.page(path), fragment)  # parsed once per process for all its terms
    if edition == "en":
        text, term = text.lower(), term.lower()
    where = page + (f"#{fragment}" if fragment else "")
    assert term in text, f"the glossary links {term!r} to {where}, whose prose never uses it"


def test_a_page_without_the_term_fails():
    """The check itself: a page that does not use the word, and a section that does not."""
    page = BeautifulSoup(
        '<article class="md-content__inner"><h2 id="a">Splits</h2><p>three sets</p>'
        "<pre>overfitting</pre><h2 id='b'>Later</h2><p>overfitting</p></article>",
        "html.parser",
    )
    assert "overfitting" not in prose(BeautifulSoup(str(page), "html.parser"), "a")
    assert "overfitting" in prose(BeautifulSoup(str(page), "html.parser"), "b")
    assert "overfitting" in prose(BeautifulSoup(str(page), "html.parser"))
    rows = glossary_rows(
        "<article><table><tbody><tr><td>overfitting</td><td>오버피팅 (과대적합)</td>"
        '<td><a href="../training/data-splits/">Data splits</a></td></tr></tbody></table></article>'
    )
    assert rows == [("overfitting", "../training/data-splits/")]
