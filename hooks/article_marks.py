"""MkDocs hook: mark the ``<article>`` of a page that holds content tabs (``bp-tabbed``).

``docs/stylesheets/book.css`` lets the article's off-screen blocks wait until they come near
the screen (``content-visibility: auto``), but not on pages with content tabs. It used to find
those pages with ``.md-content__inner:not(:has(.tabbed-set))``; a ``:has()`` on the article
makes Chromium restyle the whole article after every change inside it, and Material's script
changes every code block once as the page starts (its copy button, its size): about 6 ms a code
block, 0.6 s on a reference page of 100 blocks. The class, written here once per page, costs
nothing to match.
"""

from __future__ import annotations

ARTICLE = '<article class="md-content__inner md-typeset">'
TABBED = '<article class="md-content__inner md-typeset bp-tabbed">'


def mark_tabbed(output: str) -> str:
    """``output`` with its article marked ``bp-tabbed`` when the page holds content tabs.

    Examples:
        >>> page = ARTICLE + '<div class="tabbed-set tabbed-alternate">…</div></article>'
        >>> mark_tabbed(page).startswith(TABBED)
        True
        >>> plain = ARTICLE + "<p>No tabs</p></article>"
        >>> mark_tabbed(plain) == plain
        True
    """
    start = output.find(ARTICLE)
    if start == -1 or 'class="tabbed-set' not in output[start:]:
        return output
    return output[:start] + TABBED + output[start + len(ARTICLE) :]


def on_post_page(output: str, page, config) -> str:
    return mark_tabbed(output)
