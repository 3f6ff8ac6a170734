"""MkDocs hook: every highlighted code block can take the keyboard focus from the start.

A code block wider than the article scrolls sideways, and a keyboard reader scrolls it only if
it can take the focus (axe's ``scrollable-region-focusable``). Material gives it
``tabindex="0"`` when it sets the block up; with the ``content.lazy`` feature (mkdocs.yml) it
sets up a block only when the block comes into view, not all of a page's blocks before the
page's load event (on a long chapter, a forced style and layout per block: about a tenth of
the load). So the build writes the ``tabindex`` into every block's ``<code>``, and a reader
tabbing through the page reaches each block before it has been set up; Material removes it
from a block that turns out not to scroll once that block comes into view, as it always has.
"""

from __future__ import annotations

import re

# pymdownx.highlight's block: <pre><span></span><code>, with or without attributes on <pre>
CODE_BLOCK = re.compile(r"(<pre\b[^>]*><span></span><code)>")


def focusable_code(html: str) -> str:
    """``html`` with ``tabindex="0"`` on the ``<code>`` of every highlighted code block.

    Examples:
        >>> focusable_code('<pre><span></span><code>x = 1\\n</code></pre>')
        '<pre><span></span><code tabindex="0">x = 1\\n</code></pre>'
        >>> focusable_code("<p>inline <code>x</code></p>")  # inline code is not a block
        '<p>inline <code>x</code></p>'
    """
    return CODE_BLOCK.sub(r'\1 tabindex="0">', html)


def on_page_content(html: str, page, **kwargs) -> str:
    return focusable_code(html)
