"""hooks/article_marks.py: pages with content tabs have their article marked for book.css."""

from __future__ import annotations

import re

from tests.helpers import ROOT, load_hook


def test_a_page_with_tabs_is_marked_and_others_are_not():
    hook = load_hook("article_marks")
    head = '<html><body><nav class="tabbed-set-not-here"></nav>'
    tabbed = head + hook.ARTICLE + '<div class="tabbed-set tabbed-alternate"></div></article>'
    plain = head + hook.ARTICLE + "<p>text</p></article>"
    assert hook.on_post_page(tabbed, None, {}).count(hook.TABBED) == 1
    assert hook.on_post_page(plain, None, {}) == plain
    before = '<div class="tabbed-set"></div>' + hook.ARTICLE + "<p>text</p></article>"
    assert hook.on_post_page(before, None, {}) == before  # tabs outside the article do not count
    assert hook.on_post_page("<p>no article</p>", None, {}) == "<p>no article</p>"


def test_book_css_finds_tabbed_pages_by_the_class_not_by_has():
    """A :has() on the article restyles all of it after each change inside (Material changes
    every code block at start-up); the class costs nothing to match."""
    css = (ROOT / "docs" / "stylesheets" / "book.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert ":has(" not in rules
    assert ".md-content__inner:not(.bp-tabbed)" in rules
