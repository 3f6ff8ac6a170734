"""tests/helpers/built.py: one parse per page, and text left out without changing the tree.

The gates that read built pages share one tree per file, so what they leave out of the text
must come out as removing it would have, and the tree must stay as it was.
"""

from __future__ import annotations

import os

from bs4 import BeautifulSoup

from tests.helpers.built import left_out, page, string_without, text_without

HTML = (
    "<article class='md-content__inner'><h2 id='a'>One <code>x</code> two</h2>"
    "<p>Plain <em>words</em> and <code>code</code> and <span class='katex'>k<b>deep</b></span>"
    " end.</p><p><code>only code</code></p><p><span><code>nested only</code></span></p>"
    "<p><span>inner <b>bold</b></span><kbd>K</kbd></p><!-- a comment --><script>js()</script>"
    "<style>p {}</style><pre><code>print(1)</code></pre><div class='katex'><div class='katex'>"
    "twice</div></div><p>  spaced \n out  </p><h2 id='b'>Next</h2></article>"
)
HIDDEN = "pre, code, kbd, .katex, script, style"


def removed(html: str, selector: str) -> BeautifulSoup:
    """The tree as the gates used to make it: the selected elements removed."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(selector):
        element.decompose()
    return soup


def test_text_without_is_the_text_of_the_tree_with_the_parts_removed():
    soup = BeautifulSoup(HTML, "html.parser")
    before = str(soup)
    expected = " ".join(removed(HTML, HIDDEN).article.get_text(" ").split())
    assert text_without(soup.article, HIDDEN) == expected
    assert "words" in expected and "deep" not in expected and "js()" not in expected
    assert str(soup) == before, "the shared tree was changed"
    paragraphs = "code, pre, kbd, .arithmatex, .katex"  # as the Korean-paragraph gate reads
    theirs = [" ".join(p.get_text(" ").split()) for p in removed(HTML, paragraphs).find_all("p")]
    assert [text_without(p, paragraphs) for p in soup.find_all("p")] == theirs


def test_string_without_is_the_string_of_the_tree_with_the_parts_removed():
    soup = BeautifulSoup(HTML, "html.parser")
    gone = left_out(soup.article, HIDDEN)
    mine = [string_without(e, gone) for e in soup.article.find_all(True) if id(e) not in gone]
    theirs = [e.string for e in removed(HTML, HIDDEN).article.find_all(True)]
    assert mine == theirs
    assert None in mine and " end." not in mine  # a paragraph whose code is gone has no string
    assert "words" in mine


def test_left_out_holds_the_picked_elements_and_all_inside_them():
    soup = BeautifulSoup(HTML, "html.parser")
    gone = left_out(soup.article, ".katex")
    deep = soup.find("b", string="deep")
    assert id(deep) in gone and id(deep.string) in gone
    assert id(soup.find("em")) not in gone


def test_a_page_is_parsed_once_and_again_when_its_file_changes(tmp_path):
    path = tmp_path / "index.html"
    path.write_text("<p>first</p>", encoding="utf-8")
    assert page(path) is page(path)
    path.write_text("<p>second, longer</p>", encoding="utf-8")
    os.utime(path, ns=(0, 10**18))
    assert page(path).p.string == "second, longer"


def test_on_a_built_page_the_text_is_what_removing_the_parts_gives(site_dir):
    path = site_dir / "ko" / "layers" / "affine-softmax" / "index.html"
    soup = page(path)
    article = soup.select_one("article.md-content__inner")
    hidden = "pre, code, kbd, script, style, svg, .arithmatex, .katex, .doc-contents"
    html = path.read_text(encoding="utf-8")
    expected = removed(html, hidden).select_one("article.md-content__inner").get_text(" ")
    assert text_without(article, hidden) == " ".join(expected.split())
    assert page(path) is soup and soup.select(".katex"), "the shared tree lost its formulas"
