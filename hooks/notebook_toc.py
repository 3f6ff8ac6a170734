"""MkDocs hook: unique heading ids on notebook pages, and a table of contents that points at them.

mkdocs-jupyter writes heading ids with an ASCII-only slug and builds the page's table of
contents with a different slug, so headings in Korean (or any non-Latin script) end up with
empty or repeated ids (``id=""``) and contents links that lead nowhere (``#_1``). This hook
rewrites, on notebook pages only, every heading id inside the article with the same
Unicode-aware slug the Markdown pages use, and re-targets each contents link (and the "Skip to
content" link) at the heading whose text it shows.
"""

from __future__ import annotations

import html
import re

from pymdownx.slugs import slugify

_SLUG = slugify(case="lower")
_HEADING = re.compile(r'<h([1-6])([^>]*?)\sid="([^"]*)"([^>]*)>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_TOC_LINK = re.compile(
    r'(<a href=")#[^"]*(" class="md-nav__link">\s*<span class="md-ellipsis">\s*)(.*?)(\s*</span>)',
    re.DOTALL,
)


_SKIP = re.compile(r'(<a href=")#[^"]*(" class="md-skip">)')


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).replace("¶", "").split())


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    start = output.find("<article")
    end = output.find("</article>", start)
    if start == -1 or end == -1:
        return output
    ids: dict[str, str] = {}
    used: set[str] = set()

    def new_heading(match: re.Match) -> str:
        level, before, old, after, inner = match.groups()
        text = _text(inner)
        base = _SLUG(text, "-") or f"section-{level}"
        anchor, n = base, 0
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        ids.setdefault(text, anchor)
        inner = inner.replace(f'href="#{old}"', f'href="#{anchor}"', 1)
        return f'<h{level}{before} id="{anchor}"{after}>{inner}</h{level}>'

    article = _HEADING.sub(new_heading, output[start:end])

    def new_link(match: re.Match) -> str:
        anchor = ids.get(_text(match.group(3)))
        if anchor is None:
            return match.group(0)
        return f"{match.group(1)}#{anchor}{match.group(2)}{match.group(3)}{match.group(4)}"

    head = _TOC_LINK.sub(new_link, output[:start])
    if used:  # Material's "Skip to content" link targets the first heading
        first = _HEADING.search(article)
        head = _SKIP.sub(rf"\g<1>#{first.group(3)}\g<2>", head) if first else head
    return head + article + output[end:]
