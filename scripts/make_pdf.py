"""Print the built site as one PDF per edition: ``backprop_book.pdf`` and ``backprop_book-ko.pdf``.

``make pdf`` runs this after ``make docs``. Each edition's chapters are read from the built site in
the order of its navigation, joined into one print document (a cover, a table of contents, then
one chapter per page), and printed by Debian's Chromium through Playwright: the math is the
KaTeX HTML typeset at build time, figures stay vectors (inline SVG), code wraps at the margin
(``docs/stylesheets/print.css``), interactive widgets print as their static figure (no script
runs), collapsed solutions are opened, and links between chapters become links inside the PDF.
Chromium embeds the fonts it uses (Hangul from the machine's Noto CJK) and writes PDF bookmarks
from the headings (``outline=True``). Nothing is fetched: the site is served on 127.0.0.1 and any
other request is refused. The PDF's dates are fixed so that the same commit prints the same file.

Usage: ``python scripts/make_pdf.py [--site site] [--out site] [--edition en|ko ...]``
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import re
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PRINT_DIR = "_print"  # written inside the site while printing, removed afterwards
EDITIONS = {
    "en": {"prefix": "", "pdf": "backprop_book.pdf", "lang": "en", "contents": "Contents"},
    "ko": {"prefix": "ko/", "pdf": "backprop_book-ko.pdf", "lang": "ko", "contents": "차례"},
}
# Pages of the site that are not chapters of the printed book.
SKIP = re.compile(r"^(reference/|benchmarks/|404)")
FIXED_DATE = "D:20000101000000Z"  # the PDF's creation and modification date, for every build


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


def _slug(path: str) -> str:
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
    """The chapters of one edition, in the order of its navigation."""
    root = site / EDITIONS[edition]["prefix"]
    config = ROOT / ("mkdocs.ko.yml" if edition == "ko" else "mkdocs.yml")
    entries = [e for e in nav_pages(config) if not SKIP.match(e[0])]
    pages = {href: _slug(href) for href, _, _ in entries}
    base = "/" + EDITIONS[edition]["prefix"]
    out = []
    for href, title, section in entries:
        page = (root / href / "index.html").read_text(encoding="utf-8")
        body = article_of(page)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        h1 = _text(heading[1]).rstrip("¶").strip() if heading else href
        out.append(Chapter(href, title or h1, h1, section, rewrite(body, href, pages, base)))
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


def document(site: Path, edition: str) -> str:
    """The whole print document of one edition: cover, contents, chapters."""
    info = EDITIONS[edition]
    index = (site / info["prefix"] / "index.html").read_text(encoding="utf-8")
    book = chapters(site, edition)
    title = re.search(r"<title>(.*?)</title>", index, re.S)
    name = _text(title[1]).split(" - ")[-1] if title else "backprop_book"
    description = re.search(r'<meta name="description" content="([^"]*)"', index)
    links = "".join(f'<link rel="stylesheet" href="{h}">' for h in stylesheets(index, edition))
    toc, section = [], None
    for ch in book:
        if ch.section != section:
            if section is not None:
                toc.append("</ol>")
            section = ch.section
            toc.append(f"<li class='bp-print-part'>{html.escape(section)}</li><ol>")
        toc.append(f'<li><a href="#{_slug(ch.path)}">{html.escape(ch.title)}</a></li>')
    if section is not None:
        toc.append("</ol>")
    body = "".join(
        f'<section class="bp-print-chapter" id="{_slug(ch.path)}">'
        f'<article class="md-content__inner md-typeset">{ch.body}</article></section>'
        for ch in book
    )
    return (
        f'<!doctype html><html lang="{info["lang"]}"><head><meta charset="utf-8">'
        f"<title>{html.escape(name)}</title>{links}</head>"
        '<body class="bp-print" data-md-color-scheme="default">'
        '<section class="bp-print-cover md-typeset">'
        f"<h1>{html.escape(name)}</h1>"
        f"<p>{html.escape(description[1] if description else '')}</p>"
        f'<p class="bp-print-build">{html.escape(build_info(index))}</p></section>'
        f'<nav class="bp-print-toc md-typeset"><h2>{info["contents"]}</h2>'
        f"<ol>{''.join(toc)}</ol></nav>"
        f'<main class="md-main"><div class="md-content">{body}</div></main></body></html>'
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


FOOTER = (
    '<div style="width:100%;font-size:8px;color:#666;text-align:center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def print_edition(browser: object, url: str, site: Path, edition: str, out: Path) -> Path:
    """Write one edition's PDF to ``out`` and return its path."""
    (site / PRINT_DIR).mkdir(exist_ok=True)
    source = site / PRINT_DIR / f"{edition}.html"
    source.write_text(document(site, edition), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    refused: list[str] = []

    def route(r: object) -> None:
        target = r.request.url  # type: ignore[attr-defined]
        if target.startswith(("data:", url)):
            r.continue_()  # type: ignore[attr-defined]
        else:
            refused.append(target)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.goto(f"{url}{PRINT_DIR}/{edition}.html", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    folder = out / EDITIONS[edition]["prefix"]  # beside the edition's pages
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / EDITIONS[edition]["pdf"]
    page.pdf(
        path=str(pdf), format="A4", print_background=True, outline=True, tagged=True,
        display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
        margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
    )  # fmt: skip
    context.close()
    if refused:
        raise SystemExit(f"make_pdf: the {edition} print document asked for {refused[:3]}")
    fix_dates(pdf)
    return pdf


def fix_dates(pdf: Path) -> None:
    """Set the creation and modification dates to a fixed value (the same commit, same file)."""
    import logging

    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's trailer size: harmless

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_metadata({"/CreationDate": FIXED_DATE, "/ModDate": FIXED_DATE})
    with pdf.open("wb") as f:
        writer.write(f)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site")
    parser.add_argument("--out", type=Path, default=None, help="folder for the PDFs (the site)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append")
    args = parser.parse_args(argv)
    site, out = args.site.resolve(), (args.out or args.site).resolve()
    if not (site / "index.html").is_file():
        print(f"make_pdf: no built site in {site}: run `make docs` first", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).is_file():
        print(f"make_pdf: {CHROMIUM} is missing: run `make setup` with --browser", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    try:
        with serve(site) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for edition in args.edition or list(EDITIONS):
                start = time.perf_counter()
                pdf = print_edition(browser, url, site, edition, out)
                seconds = time.perf_counter() - start
                print(f"make_pdf: {pdf} ({pdf.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)")
            browser.close()
    finally:
        for leftover in (site / PRINT_DIR).glob("*.html"):
            leftover.unlink()
        if (site / PRINT_DIR).is_dir():
            (site / PRINT_DIR).rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
