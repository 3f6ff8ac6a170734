"""hooks/code_blocks.py: every highlighted code block takes the keyboard focus from the start.

Material's ``content.lazy`` sets a code block up (its copy button, and ``tabindex`` if it
scrolls) only when it comes into view, so the build makes every block focusable itself.
"""

from __future__ import annotations

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
    assert out.replace(' tabindex="0"', "") == page  # nothing else is touched


def test_a_block_already_focusable_or_given_attributes_keeps_one_tabindex():
    hook = load_hook("code_blocks")
    page = '<pre id="__code_3"><span></span><code>y = 2\n</code></pre>'
    once = hook.focusable_code(page)
    assert once == '<pre id="__code_3"><span></span><code tabindex="0">y = 2\n</code></pre>'
    assert hook.focusable_code(once) == once  # a second pass adds nothing


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
