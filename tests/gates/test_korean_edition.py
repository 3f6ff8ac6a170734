"""The Korean edition (한국어판, ``site/ko``) against the English one, page by page.

The pages that must match are read from the English nav in ``mkdocs.yml``, so a chapter added
to the English book fails this test until its Korean page exists. For each page: the Korean
page is built, says ``<html lang="ko">``, has as many section headings, the same executed
numbers (in code blocks and their outputs, tables and figure labels) and as many figures as
the English page, and holds no paragraph left in English. The language selector of each page
links to the same page in the other edition, also after instant navigation. In Chromium, search
finds Korean pages by a Korean word; the site tour (``test_tour.py``) opens every Korean page
and checks its math, its requests, its console and its Hangul font stack.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.helpers import ROOT, built
from tests.helpers.browser import search_links
from tests.helpers.built import text_without

HANGUL = re.compile("[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*(?:e[+-]?\d+)?")
# Wall-clock durations ("trained in 1.6 s", "- 1s 20us/step") differ between any two runs.
DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|us|µs)(?:/step)?\b")
# A Korean paragraph may quote English (a command, a class name) but not be English: a <p> with
# no Hangul and more Latin words than this is English prose left untranslated.
MAX_LATIN_WORDS = 8
# Paragraphs allowed to stay in English, with the reason: (page path, start of the paragraph).
ENGLISH_ALLOWED: list[tuple[str, str]] = []
# Parts of a page that stay English by design: the API reference is generated from the
# package's English docstrings (mkdocstrings' .doc-contents); the Korean page introduces it.
ENGLISH_PARTS = [".doc-contents"]


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its ``!!python/name:`` tags read as plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def _config(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_Loader)


def _nav_shape(nav) -> list:
    """The nav with titles removed: the files, nested as the sections are."""
    shape = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        shape.append(_nav_shape(value) if isinstance(value, list) else value)
    return shape


def _flat(shape) -> list[str]:
    return [p for item in shape for p in (_flat(item) if isinstance(item, list) else [item])]


ENGLISH_NAV = _nav_shape(_config("mkdocs.yml")["nav"])
PAGES = _flat(ENGLISH_NAV)


def _url(md_path: str) -> str:
    """The page's folder in the built site: 'layers/index.md' -> 'layers/', 'index.md' -> ''."""
    stem = md_path.removesuffix(".md").removesuffix(".ipynb")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _soup(site: Path, url: str) -> BeautifulSoup:
    """The built page at ``url``, parsed once per test process (shared: read it only)."""
    return built.page(site / url / "index.html")


def _article(soup: BeautifulSoup):
    article = soup.select_one("article.md-content__inner")
    assert article is not None, "no article on the page"
    return article


@pytest.fixture(scope="session")
def ko_dir(site_dir) -> Path:
    ko = site_dir / "ko"
    if not (ko / "index.html").is_file():
        pytest.fail(f"the Korean edition is not built at {ko}: hooks/korean_edition.py builds it")
    return ko


def test_korean_nav_has_the_english_pages_in_the_same_places():
    korean = _nav_shape(_config("mkdocs.ko.yml")["nav"])
    assert korean == ENGLISH_NAV


@pytest.mark.parametrize("md_path", PAGES)
def test_every_english_page_has_a_korean_page(md_path):
    assert (ROOT / "docs" / md_path).is_file(), f"docs/{md_path} is in the English nav only"
    assert (ROOT / "docs" / "ko" / md_path).is_file(), f"docs/ko/{md_path} is missing"


def _headings(article) -> tuple[int, int]:
    return len(article.find_all("h2")), len(article.find_all("h3"))


def _numbers(article) -> dict[str, list[str]]:
    """Numbers a reader sees as results: code and its output, table cells, figure labels."""
    found = {"code blocks": [], "tables": [], "figures": []}
    for pre in article.find_all("pre"):
        found["code blocks"] += NUMBER.findall(DURATION.sub(" ", pre.get_text()))
    for cell in article.find_all("td"):
        text = cell.get_text(" ")
        if len(re.sub(r"[\d\W_]", "", text)) <= 4:  # a value cell, not a cell of prose
            found["tables"] += NUMBER.findall(text)
    for text in article.select("svg text"):
        found["figures"] += NUMBER.findall(text.get_text())
    return found


def _figures(article) -> tuple[int, int]:
    svgs = [s for s in article.find_all("svg") if not s.find_parent(class_="twemoji")]
    return len(article.find_all("figure")), len(svgs)


@pytest.mark.parametrize("md_path", PAGES)
def test_korean_page_matches_the_english_page(md_path, site_dir, ko_dir):
    url = _url(md_path)
    english, korean = _soup(site_dir, url), _soup(ko_dir, url)
    assert korean.html.get("lang") == "ko", f"ko/{url}: <html lang> is not ko"
    assert english.html.get("lang") == "en"
    en, ko = _article(english), _article(korean)
    assert _headings(ko) == _headings(en), f"ko/{url}: (h2, h3) counts differ from the English"
    assert _figures(ko) == _figures(en), f"ko/{url}: (figure, svg) counts differ from the English"
    en_numbers, ko_numbers = _numbers(en), _numbers(ko)
    for where in en_numbers:
        assert ko_numbers[where] == en_numbers[where], f"ko/{url}: numbers in {where} differ"


def _english_paragraphs(article) -> list[str]:
    english = []
    for p in article.find_all("p"):
        if "admonition-title" in (p.get("class") or []):
            continue
        if any(p.find_parent(class_=part.lstrip(".")) for part in ENGLISH_PARTS):
            continue
        text = text_without(p, "code, pre, kbd, .arithmatex, .katex")
        if not HANGUL.search(text) and len(LATIN_WORD.findall(text)) > MAX_LATIN_WORDS:
            english.append(text)
    return english


@pytest.mark.parametrize("md_path", PAGES)
def test_korean_page_has_no_english_paragraph(md_path, ko_dir):
    url = _url(md_path)
    left = [
        text
        for text in _english_paragraphs(_article(_soup(ko_dir, url)))
        if not any(page == md_path and text.startswith(start) for page, start in ENGLISH_ALLOWED)
    ]
    assert not left, f"ko/{url} still has English paragraphs:\n" + "\n".join(left)


def test_durations_are_not_compared_but_other_numbers_are():
    text = "trained 140 iterations in 1.6 s; 48000/48000 - 1s 20us/step - loss: 2.48; 20 samples"
    assert NUMBER.findall(DURATION.sub(" ", text)) == ["140", "48000", "48000", "2.48", "20"]


def test_the_english_finder_flags_english_and_spares_korean():
    soup = BeautifulSoup(
        "<article><p>This paragraph was left in English by mistake and must be found.</p>"
        "<p>이 문단은 <code>MulLayer</code>와 <code>AddLayer</code>를 씁니다.</p>"
        "<p><code>pip install numpy matplotlib ipykernel jupyter notebook pandas scipy</code></p>"
        "<p>Run make serve now.</p></article>",
        "html.parser",
    )
    assert _english_paragraphs(soup.article) == [
        "This paragraph was left in English by mistake and must be found."
    ]


def _selector(soup: BeautifulSoup) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}


@pytest.mark.parametrize("md_path", PAGES)
def test_language_selector_links_to_the_same_page(md_path, site_dir, ko_dir):
    url = _url(md_path)
    base = "http://book.test/"
    en_page, ko_page = base + url, base + "ko/" + url
    for page, soup in [(en_page, _soup(site_dir, url)), (ko_page, _soup(ko_dir, url))]:
        links = _selector(soup)
        assert set(links) == {"en", "ko"}, f"{page}: selector entries {links}"
        assert urljoin(page, links["en"]) == en_page, f"{page}: English link {links['en']}"
        assert urljoin(page, links["ko"]) == ko_page, f"{page}: Korean link {links['ko']}"


def test_korean_pages_load_hangul_fonts_from_the_system(ko_dir):
    css = (ko_dir / "stylesheets" / "korean.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "url(" not in css  # nothing downloaded
    for font in ["Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans CJK KR"]:
        assert font in css
    home = (ko_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="stylesheets/korean.css"' in home


# --- in the browser ------------------------------------------------------------------------


def test_korean_search_finds_korean_pages(open_page):
    rec = open_page("ko/", width=1400)
    links = search_links(rec.page, "역전파")
    assert links and all("/ko/" in h for h in links), links
    assert not rec.console_errors


def test_language_switch_in_the_browser_follows_instant_navigation(open_page, site_url):
    rec = open_page("getting-started/")
    page = rec.page
    # Instant navigation to the next page: the header stays, the selector must follow it.
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url("**/graphs/")
    korean = page.locator("a.md-select__link[hreflang='ko']")
    assert korean.get_attribute("href") == site_url + "ko/graphs/"
    korean.dispatch_event("click")
    page.wait_for_url("**/ko/graphs/")
    assert page.evaluate("document.documentElement.lang") == "ko"
    english = page.locator("a.md-select__link[hreflang='en']")
    assert english.get_attribute("href") == site_url + "graphs/"
    english.dispatch_event("click")
    page.wait_for_url(site_url + "graphs/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not rec.console_errors
