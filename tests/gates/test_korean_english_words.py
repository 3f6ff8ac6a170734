"""The Korean edition reads as Korean: no run of four or more English words in visible text.

Reads every built Korean page (``site/ko``), takes the article's visible text without code
(``pre``, ``code``, ``kbd``, a notebook's input and output cells), math (``.arithmatex``,
KaTeX), figures (``svg``: their text is data and code identifiers), code-block titles
(``.filename``: file names) and the API reference that mkdocstrings generates from the
package's English docstrings (``.doc-contents``, said on each Korean reference page), and fails
on any run of four or more Latin words that is not in `ALLOWED`. A run is words joined only
by spaces, commas and slashes; a Hangul character, a parenthesis or a full stop ends it. The
style sheet for authors (``STYLE.ko.md``, kept true by ``tests/tooling/test_korean_style.py``)
says how to write such text in Korean.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.gates.test_korean_edition import PAGES, _soup, _url
from tests.helpers.built import text_without

WORD = r"[A-Za-z][A-Za-z0-9'’+-]*"
RUN = re.compile(rf"{WORD}(?:[ ,/]+{WORD}){{3,}}")
# Not read: code, its output, math, figures, file titles, generated API blocks, heading anchors.
HIDDEN = (
    "pre, code, kbd, script, style, svg, .arithmatex, .katex, .filename, .headerlink, "
    ".doc-contents, .jp-InputArea, .jp-OutputArea"
)
# Runs that stay English, by page, with the reason.
ALLOWED: dict[str, dict[str, str]] = {
    "*": {
        "Deep Learning from Scratch": "the title of the book the course follows, as published",
        "SGD, Momentum, AdaGrad, Adam": "the names of the optimizers (class names in the code)",
    },
    "glossary.md": {
        "forward propagation, forward pass": "the glossary's column of English terms",
        "fully connected layer, Dense Affine": "the glossary's column of English terms",
        "iteration, number of training steps": "the glossary's column of English terms",
    },
    "training/data-splits.md": {
        "Optical Recognition of Handwritten Digits": "the data set's published title (citation)",
        "UCI Machine Learning Repository": "where the data set is published (citation)",
    },
}


def english_runs(soup: BeautifulSoup) -> list[str]:
    """The runs of four or more English words in the visible prose of a page's article."""
    article = soup.select_one("article.md-content__inner") or soup
    return RUN.findall(text_without(article, HIDDEN))


def _allowed(md_path: str, run: str) -> bool:
    """True when what is left of ``run`` without its allowed names is no run of its own."""
    for name in {**ALLOWED["*"], **ALLOWED.get(md_path, {})}:
        run = run.replace(name, "·")
    return not RUN.search(run)


@pytest.mark.parametrize("md_path", PAGES)
def test_korean_page_has_no_run_of_english_words(md_path, site_dir):
    soup = _soup(site_dir / "ko", _url(md_path))
    runs = [run for run in english_runs(soup) if not _allowed(md_path, run)]
    assert not runs, (
        f"ko/{_url(md_path)} shows English text (write it in Korean, or allow-list it with a "
        "reason in ALLOWED):\n" + "\n".join(runs)
    )


def test_a_planted_english_sentence_fails_the_gate():
    page = (
        "<article class='md-content__inner'><p>이 문단은 한국어입니다. "
        "This sentence was left in English by mistake.</p>"
        "<pre><code>for k in range(10): print(k)</code></pre>"
        "<p>옵티마이저는 SGD, Momentum, AdaGrad, Adam입니다.</p>"
        "<div class='doc-contents'><p>The docstring stays in English here.</p></div>"
        "<svg><text>dout is the upstream gradient</text></svg></article>"
    )
    runs = english_runs(BeautifulSoup(page, "html.parser"))
    assert runs == ["This sentence was left in English by mistake", "SGD, Momentum, AdaGrad, Adam"]
    assert not _allowed("index.md", runs[0])
    assert _allowed("index.md", runs[1])


def test_three_english_words_and_names_in_korean_pass():
    page = (
        "<article class='md-content__inner'><p><code>Trainer</code>는 Keras의 fit 메서드와 "
        "같고, Python 3.11에서 돕니다.</p></article>"
    )
    assert english_runs(BeautifulSoup(page, "html.parser")) == []


HANGUL = re.compile("[\uac00-\ud7a3]")


def _plots(soup: BeautifulSoup) -> list:
    """The matplotlib figures of a page (their glyph paths are named after DejaVu Sans)."""
    return [svg for svg in soup.select("svg[role=img]") if "DejaVuSans" in str(svg)]


# Pages whose Korean figures are pending in another change (strict: the test says when done).
PLOTS_PENDING: dict[str, str] = {}


def _plot_pages() -> list:
    return [
        pytest.param(page, marks=[pytest.mark.xfail(strict=True, reason=PLOTS_PENDING[page])])
        if page in PLOTS_PENDING
        else page
        for page in PAGES
    ]


@pytest.mark.parametrize("md_path", PAGES)
def test_korean_graphs_are_described_in_korean(md_path, site_dir):
    """The computational graphs (`to_svg`, `explorer_html` with ``lang="ko"``) speak Korean."""
    soup = _soup(site_dir / "ko", _url(md_path))
    for svg in soup.select("svg.bp-graph"):
        name = svg.get("aria-label", "")
        assert HANGUL.search(name), f"ko/{_url(md_path)}: a graph described in English: {name!r}"
        title = svg.find("title")
        assert title is not None and HANGUL.search(title.get_text()), name


@pytest.mark.parametrize("md_path", _plot_pages())
def test_korean_plots_have_korean_names_and_text_as_paths(md_path, site_dir):
    soup = _soup(site_dir / "ko", _url(md_path))
    for svg in _plots(soup):
        name = svg.get("aria-label", "")
        assert HANGUL.search(name), f"ko/{_url(md_path)}: a plot named in English: {name!r}"
        title = svg.find("title")
        assert title is not None and HANGUL.search(title.get_text()), name
        assert svg.find("text") is None, f"{name!r}: text not drawn as paths"
