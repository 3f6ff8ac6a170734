"""docs/stylesheets/book.css: rules that keep pages fast."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def test_no_has_selector():
    """A :has() on the article restyles all of it after each change inside, and Material's
    script changes every code block once at start-up (0.6 s on a reference page of 100 code
    blocks); book.css must do without."""
    css = (ROOT / "docs" / "stylesheets" / "book.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "content-visibility: auto" in rules
    assert ":has(" not in rules
