"""The print document of one edition, read from the built site (used by ``make_pdf.py``).

Two HTML documents per edition: the *body* (every chapter, one per page, in the order of the
edition's navigation, printed first and numbered from 1) and the *front matter* (the cover and
the contents, printed once the body's page numbers are known). Each chapter's ids get the
chapter's slug as a prefix so that they stay unique in one document, links between chapters
become links inside the document, and the exercises' solutions move to the end of their
chapter (``pdf_solutions.py``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

from pdf_solutions import move_solutions

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {
    "en": {"prefix": "", "pdf": "backprop_book.pdf", "lang": "en", "contents": "Contents",
           "solutions": "Solutions", "to_solution": "Solution: at the end of the chapter",
           "back": "Back to the exercise"},
    "ko": {"prefix": "ko/", "pdf": "backprop_book-ko.pdf", "lang": "ko", "contents": "차례",
           "solutions": "풀이", "to_solution": "풀이: 이 장의 끝", "back": "연습 문제로 돌아가기"},
}  # fmt: skip
# Pages of the site that are not chapters of the printed book.
SKIP = re.compile(r"^(reference/|benchmarks/|404)")
# The contents' links are printed to this address, then pointed at their chapter's first page
# when the front matter joins the body (pdf_join.py): the two are printed apart.
CHAPTER_LINK = "https://print.invalid/"


@dataclass
class Chapter:
    """One page of the site as a chapter of the printed book."""

    path: str  # relative to the edition root, e.g. "layers/affine-softmax/"
    title: str
    heading: str  # the page's <h1>: the chapter's bookmark in the PDF
    section: str  # the navigation section it belongs to ("Layers"), or ""
    body: str  # the article's HTML, ids and links rewritten for the print document


def nav_pages(config_file: Path) -> list[tuple[str, str, str]]:
    """(site path, title, section) of every page in an edition's ``nav``, in reading order.

    Examples:
        >>> import tempfile
        >>> config = Path(tempfile.mkdtemp()) / "mkdocs.yml"
        >>> lines = ["nav:", "  - Home: index.md", "  - Layers:", "      - layers/index.md",
        ...          "      - Affine: layers/affine.md"]
        >>> _ = config.write_text("\\n".join(lines))
        >>> nav_pages(config)
        [('', 'Home', ''), ('layers/', '', 'Layers'), ('layers/affine/', 'Affine', 'Layers')]
    """
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml's !!python/name tags: not needed here
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    nav = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader).get("nav") or []
    found: list[tuple[str, str, str]] = []

    def walk(items: list[object], section: str) -> None:
        for item in items:
            title, target = next(iter(item.items())) if isinstance(item, dict) else ("", item)
            if isinstance(target, list):
                walk(target, str(title))
            elif isinstance(target, str) and not target.startswith(("http:", "https:")):
                path = re.sub(r"(^|/)index\.(md|ipynb)$", r"\1", target)
                path = re.sub(r"\.(md|ipynb)$", "/", path)
                found.append((path, str(title or ""), section))

    walk(nav, "")
    return found


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def chapter_slug(path: str) -> str:
    """The id of a chapter in the print document, from its site path.

    Examples:
        >>> chapter_slug("layers/affine-softmax/"), chapter_slug("")
        ('layers-affine-softmax', 'home')
    """
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def article_of(page_html: str) -> str:
    """The ``<article>`` of a built page, without Material's edit links and source buttons."""
    start = page_html.find('<article class="md-content__inner')
    end = page_html.find("</article>", start)
    body = page_html[page_html.find(">", start) + 1 : end] if start != -1 else ""
    return re.sub(r'<a[^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', "", body, flags=re.S)


def rewrite(body: str, path: str, pages: dict[str, str], base: str) -> str:
    """Prefix the ids of one chapter and point its links inside the print document.

    ``pages`` maps each chapter's site path to its slug; links to other chapters become
    ``#slug`` or ``#slug--fragment``, links to files (images, notebooks) absolute site paths.

    Examples:
        >>> rewrite('<h2 id="a">A</h2><a href="#a">x</a><a href="../b/#c">y</a>',
        ...         "x/a/", {"x/a/": "x-a", "x/b/": "x-b"}, "/")
        '<h2 id="x-a--a">A</h2><a href="#x-a--a">x</a><a href="#x-b--c">y</a>'
    """
    slug = pages[path]
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{slug}--{m[1]}"', body)
    page_url = base + path

    def link(m: re.Match[str]) -> str:
        attr, url = m[1], html.unescape(m[2])
        if url.startswith(("http:", "https:", "mailto:", "data:")):
            return m[0]
        if url.startswith("#"):
            return f'{attr}="#{slug}--{url[1:]}"'
        target = urlparse(urljoin(page_url, url))
        site_path = target.path[len(base) :] if target.path.startswith(base) else target.path
        if attr == "href" and site_path in pages:
            frag = f"--{target.fragment}" if target.fragment else ""
            return f'{attr}="#{pages[site_path]}{frag}"'
        return f'{attr}="{html.escape(target.path)}"'

    body = re.sub(r'\b(href|src)="([^"]*)"', link, body)
    return body.replace("<details", "<details open")  # solutions and asides are printed


def chapters(site: Path, edition: str) -> list[Chapter]:
    """The chapters of one edition, in the order of its navigation, solutions at their ends."""
    root = site / EDITIONS[edition]["prefix"]
    config = ROOT / ("mkdocs.ko.yml" if edition == "ko" else "mkdocs.yml")
    entries = [e for e in nav_pages(config) if not SKIP.match(e[0])]
    pages = {href: chapter_slug(href) for href, _, _ in entries}
    base = "/" + EDITIONS[edition]["prefix"]
    out = []
    for href, title, section in entries:
        page = (root / href / "index.html").read_text(encoding="utf-8")
        body = article_of(page)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        h1 = _text(heading[1]).rstrip("¶").strip() if heading else href
        body = move_solutions(rewrite(body, href, pages, base), pages[href], EDITIONS[edition])
        out.append(Chapter(href, title or h1, h1, section, body))
    return out


def stylesheets(index_html: str, edition: str) -> list[str]:
    """The site's stylesheets (Material's, KaTeX's, the book's), as absolute site paths."""
    base = "/" + EDITIONS[edition]["prefix"]
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', index_html)
    paths = [urlparse(urljoin(base, h)).path for h in hrefs]
    if not any(p.endswith("/stylesheets/print.css") for p in paths):
        paths.append(base + "stylesheets/print.css")  # extra_css in mkdocs.yml lists it
    return paths


def build_info(index_html: str) -> str:
    """``backprop_book 0.1.0 · 1a2b3c4`` from the site's footer (hooks/version.py)."""
    m = re.search(r'<div class="bp-build">(.*?)</div>', index_html, re.S)
    return _text(m[1]) if m else ""


def _head(site: Path, edition: str) -> tuple[str, str]:
    """The site's home page of ``edition`` and the ``<head>`` of its print documents."""
    index = (site / EDITIONS[edition]["prefix"] / "index.html").read_text(encoding="utf-8")
    links = "".join(f'<link rel="stylesheet" href="{h}">' for h in stylesheets(index, edition))
    title = f"<title>{html.escape(book_name(index))}</title>"
    lang = EDITIONS[edition]["lang"]
    return index, (
        f'<!doctype html><html lang="{lang}" dir="ltr">'
        f'<head><meta charset="utf-8">{title}{links}</head>'
        '<body class="bp-print" data-md-color-scheme="default">'
    )


def book_name(index_html: str) -> str:
    """The site's name, from the ``<title>`` of its home page.

    Examples:
        >>> book_name("<title>Home - Backprop book</title>")
        'Backprop book'
    """
    title = re.search(r"<title>(.*?)</title>", index_html, re.S)
    return _text(title[1]).split(" - ")[-1] if title else "backprop_book"


def body_document(site: Path, edition: str, book: list[Chapter]) -> str:
    """The chapters of one edition as one HTML document, each chapter starting a page."""
    _, head = _head(site, edition)
    body = "".join(
        f'<section class="bp-print-chapter" id="{chapter_slug(ch.path)}">'
        f'<article class="md-content__inner md-typeset">{ch.body}</article></section>'
        for ch in book
    )
    return f'{head}<main class="md-main"><div class="md-content">{body}</div></main></body></html>'


def contents(book: list[Chapter], numbers: dict[str, int]) -> str:
    """The contents: every chapter under its part, with dot leaders to its page number.

    Examples:
        >>> book = [Chapter("a/", "A", "A", "Part", ""), Chapter("b/", "B", "B", "Part", "")]
        >>> toc = contents(book, {"a": 1, "b": 7})
        >>> re.findall(r'href="([^"]+)"', toc)
        ['https://print.invalid/a', 'https://print.invalid/b']
        >>> re.findall(r"<(?:li|span)[^>]*>([^<]+)<", toc)  # part, then title and page of each
        ['Part', 'A', '1', 'B', '7']
    """
    toc, section = [], None
    for ch in book:
        if ch.section != section:
            if section is not None:
                toc.append("</ol>")
            section = ch.section
            toc.append(f"<li class='bp-print-part'>{html.escape(section)}</li><ol>")
        slug = chapter_slug(ch.path)
        toc.append(
            f'<li><a href="{CHAPTER_LINK}{slug}"><span class="bp-print-title">'
            f'{html.escape(ch.title)}</span><span class="bp-print-leader"></span>'
            f'<span class="bp-print-page">{numbers[slug]}</span></a></li>'
        )
    if section is not None:
        toc.append("</ol>")
    return "".join(toc)


def front_document(site: Path, edition: str, book: list[Chapter], numbers: dict[str, int]) -> str:
    """The cover and the contents of one edition; ``numbers`` maps a chapter's slug to its page."""
    index, head = _head(site, edition)
    description = re.search(r'<meta name="description" content="([^"]*)"', index)
    return (
        f'{head}<section class="bp-print-cover md-typeset">'
        f"<h1>{html.escape(book_name(index))}</h1>"
        f"<p>{html.escape(description[1] if description else '')}</p>"
        f'<p class="bp-print-build">{html.escape(build_info(index))}</p></section>'
        f'<nav class="bp-print-toc md-typeset"><h2>{EDITIONS[edition]["contents"]}</h2>'
        f"<ol>{contents(book, numbers)}</ol></nav></body></html>"
    )
