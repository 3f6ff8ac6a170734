"""hooks/code_blocks.py: every highlighted code block takes the keyboard focus from the start,
and stays out of the search index.

Material's ``content.lazy`` sets a code block up (its copy button, and ``tabindex`` if it
scrolls) only when it comes into view, so the build makes every block focusable itself. Code
listings and outputs were 30-38 % of the search index that each reader who searches fetches;
search now reads the prose, headings and inline code.
"""

from __future__ import annotations

import json
import re

import markdown

from tests.helpers import load_hook

CODE_BLOCK = re.compile(r"<pre\b[^>]*><span></span><code\b[^>]*>")


def _highlighted(source: str) -> str:
    """``source`` as the book's Markdown turns it into HTML (pymdownx.highlight + superfences)."""
    return markdown.markdown(source, extensions=["pymdownx.highlight", "pymdownx.superfences"])


def test_each_block_of_a_page_becomes_focusable_and_nothing_else_changes():
    hook = load_hook("code_blocks")
    page = _highlighted(
        "Call `forward` first.\n\n```python\nx = 1\n```\n\ntext\n\n```text\n220.0\n```\n"
    )
    blocks = CODE_BLOCK.findall(page)
    assert len(blocks) == 2 and not any("tabindex" in b for b in blocks)
    out = hook.on_page_content(page, page=None)
    assert [b.endswith(' tabindex="0">') for b in CODE_BLOCK.findall(out)] == [True, True]
    assert "<code>forward</code>" in out  # inline code takes no tab stop
    assert out.count("<pre data-search-exclude") == 2
    untouched = out.replace(' tabindex="0"', "").replace("<pre data-search-exclude", "<pre")
    assert untouched == page  # nothing else is touched


def test_a_block_already_focusable_or_given_attributes_keeps_one_tabindex():
    hook = load_hook("code_blocks")
    page = '<pre id="__code_3"><span></span><code>y = 2\n</code></pre>'
    once = hook.focusable_code(page)
    assert once == '<pre id="__code_3"><span></span><code tabindex="0">y = 2\n</code></pre>'
    assert hook.focusable_code(once) == once  # a second pass adds nothing
    out = hook.on_page_content(once, page=None)
    assert hook.on_page_content(out, page=None) == out  # one data-search-exclude too


def test_search_reads_the_prose_and_inline_code_but_not_the_blocks():
    """Material's own search parser, on a page the hook has seen."""
    from material.plugins.search.plugin import Parser

    hook = load_hook("code_blocks")
    page = _highlighted(
        "# Softmax {#softmax}\n\nCall `SoftmaxWithLoss` first.\n\n"
        "```python\ne = np.exp(shifted)\n```\n\n```text\n0.6931\n```\n\nThen backward.\n"
    )
    for html, listed in [(page, True), (hook.on_page_content(page, page=None), False)]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        text = "".join(part for section in parser.data for part in section.text)
        assert "SoftmaxWithLoss" in text and "Then backward." in text
        assert ("np" in text and "0.6931" in text) is listed


def test_search_reads_a_notebook_cell_but_not_its_chrome():
    """Material's own search parser, on a cell as mkdocs-jupyter writes it, after the hook (a
    second pass changes nothing)."""
    from material.plugins.search.plugin import Parser

    hook = load_hook("code_blocks")
    cell = (
        '<h2 id="x">Try it<a class="anchor-link" href="#x">¶</a></h2>'
        '<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>'
        '<div class="zeroclipboard-container"><span class="notice" hidden>Copied!</span></div>'
        '<div class="highlight-ipynb"><pre><span></span>price = apple * count\n</pre></div>'
        '<div class="clipboard-copy-txt" id="cell-1">price = apple * count</div>'
    )
    out = hook.on_page_content(cell, page=None)
    assert hook.on_page_content(out, page=None) == out
    parser = Parser()
    parser.feed(out)
    parser.close()
    title = "".join(part for section in parser.data for part in section.title)
    text = "".join(part for section in parser.data for part in section.text)
    assert title.strip() == "Try it"
    assert text.count("price = apple * count") == 1
    assert "In [1]" not in text and "Copied!" not in text


def test_every_code_block_of_the_built_site_is_focusable(site_dir):
    """Every page of both editions: no highlighted block the keyboard cannot reach."""
    pages = sorted(site_dir.rglob("*.html"))
    assert pages
    missing = {
        str(p.relative_to(site_dir)): n
        for p in pages
        if (n := sum("tabindex" not in b for b in CODE_BLOCK.findall(p.read_text("utf-8"))))
    }
    assert not missing, f"code blocks without tabindex, by page: {missing}"


def test_the_built_search_indexes_hold_no_code_listing(site_dir):
    """Both editions: no page but a notebook has a code block in its search entries, and a word
    of a chapter's prose is still there."""
    for edition in ("", "ko/"):
        index = json.loads((site_dir / edition / "search" / "search_index.json").read_text("utf-8"))
        listed = {d["location"].split("#")[0] for d in index["docs"] if "<pre>" in d["text"]}
        assert all("notebooks/" in page for page in listed), sorted(listed)
        chain = " ".join(d["text"] for d in index["docs"] if "chain-rule" in d["location"])
        assert "<code>MulLayer</code>" in chain, "inline code left the index too"


def test_the_labs_are_searchable_without_the_notebook_chrome(site_dir):
    """Both editions: a lab's code is found, but not its prompts (``In [1]:``), its copy
    buttons' hidden ``Copied!``, the second, plain copy of each cell's source, or the ``¶``
    link of each heading."""
    for edition in ("", "ko/"):
        index = json.loads((site_dir / edition / "search" / "search_index.json").read_text("utf-8"))
        lab = " ".join(d["text"] for d in index["docs"] if "notebooks/graphs-lab" in d["location"])
        assert "apple_orange_graph" in lab
        assert "Copied!" not in lab and "In [1]" not in lab
        assert lab.count("from IPython.display import SVG, display") == 1
        titles = [d["title"] for d in index["docs"] if "notebooks/" in d["location"]]
        assert not [t for t in titles if "¶" in t], titles[:5]  # the headings' links are out
