"""MkDocs hook: what the build writes on every highlighted code block.

**Focusable from the start.** A code block wider than the article scrolls sideways, and a
keyboard reader scrolls it only if it can take the focus (axe's ``scrollable-region-focusable``).
Material gives it ``tabindex="0"`` when it sets the block up; with the ``content.lazy`` feature
(mkdocs.yml) it sets up a block only when the block comes into view, not all of a page's blocks
before the page's load event (on a long chapter, a forced style and layout per block: about a
tenth of the load). So the build writes the ``tabindex`` into every block's ``<code>``, and a
reader tabbing through the page reaches each block before it has been set up; Material removes
it from a block that turns out not to scroll once that block comes into view, as it always has.

**Out of the search index.** Each reader who searches fetches the edition's search index and
builds it in a worker, and code listings and their printed outputs were 30-38 % of it (the
largest file the site sends). The block's ``<pre>`` gets ``data-search-exclude`` (Material's search
plugin leaves such elements out), so search finds the words of the prose, headings, tables and
inline code (``SoftmaxWithLoss`` in a sentence), not every listing that calls ``np.exp``.
Notebook cells are not highlighted blocks: the labs stay searchable whole, but the chrome
mkdocs-jupyter writes around each cell leaves the index too: the prompts (``In [1]:``), the
copy button (whose hidden ``Copied!`` every result showed), the plain copy of the cell's
source it copies from, which held every cell's code a second time, and the ``¶`` link after
each heading (which every result's title showed).
"""

from __future__ import annotations

import re

# pymdownx.highlight's block: <pre><span></span><code>, with or without attributes on <pre>
CODE_BLOCK = re.compile(r"(<pre\b[^>]*><span></span><code)>")
# mkdocs-jupyter's chrome around a notebook cell: prompts, the copy button, the text it copies
CHROME = ["jp-InputPrompt", "jp-OutputPrompt", "zeroclipboard-container", "clipboard-copy-txt"]
NOTEBOOK_CHROME = re.compile(
    rf'<(div|a)(?= class="(?:{"|".join(CHROME)}|anchor-link)\b)'  # and the headings' ¶ links
)
BLOCK_PRE = re.compile(r"<pre\b(?![^>]*\bdata-search-exclude\b)(?=[^>]*><span></span><code\b)")


def focusable_code(html: str) -> str:
    """``html`` with ``tabindex="0"`` on the ``<code>`` of every highlighted code block.

    Examples:
        >>> focusable_code('<pre><span></span><code>x = 1\\n</code></pre>')
        '<pre><span></span><code tabindex="0">x = 1\\n</code></pre>'
        >>> focusable_code("<p>inline <code>x</code></p>")  # inline code is not a block
        '<p>inline <code>x</code></p>'
    """
    return CODE_BLOCK.sub(r'\1 tabindex="0">', html)


def unsearched_code(html: str) -> str:
    """``html`` with ``data-search-exclude`` on the ``<pre>`` of every highlighted code block.

    Examples:
        >>> unsearched_code('<pre id="c"><span></span><code>x = 1\\n</code></pre>')
        '<pre data-search-exclude id="c"><span></span><code>x = 1\\n</code></pre>'
        >>> unsearched_code("<p>inline <code>x</code></p>")  # inline code stays searchable
        '<p>inline <code>x</code></p>'
    """
    return BLOCK_PRE.sub("<pre data-search-exclude", html)


def unsearched_chrome(html: str) -> str:
    """``html`` with ``data-search-exclude`` on mkdocs-jupyter's chrome around each cell.

    Examples:
        >>> unsearched_chrome('<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>')
        '<div data-search-exclude class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>'
        >>> unsearched_chrome('<h2 id="x">Try it<a class="anchor-link" href="#x">¶</a></h2>')
        '<h2 id="x">Try it<a data-search-exclude class="anchor-link" href="#x">¶</a></h2>'
        >>> unsearched_chrome('<div class="jp-InputArea">')  # the cell itself stays
        '<div class="jp-InputArea">'
    """
    return NOTEBOOK_CHROME.sub(r"<\1 data-search-exclude", html)


def on_page_content(html: str, page, **kwargs) -> str:
    return unsearched_chrome(unsearched_code(focusable_code(html)))
