"""Link gate: every internal link and ``#anchor`` in the built HTML resolves.

Every HTML file of the built site is parsed (both editions, notebooks, the 404 page). Each
``href``/``src`` that stays on the site is resolved the way a browser would (relative to the
page, or through the ``site_url`` prefix for absolute links such as the canonical URL and the
404 page's assets); the target file must exist, and a ``#fragment`` must be an ``id`` (or
``<a name>``) in the target page. External links are not fetched: they are listed, with the
pages that use them, in ``test-artifacts/external-links.txt``.

``check_site(directory)`` works on any directory, so the planted-defect tests run it on a tiny
fake site with a broken anchor and a missing page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from tests.helpers.browser import ROOT, site_prefix

REPORT = ROOT / "test-artifacts" / "external-links.txt"
# Attributes that point at another resource, per tag (``href`` on <a> inside inline SVG too).
LINK_ATTRS = {
    "a": ("href", "xlink:href"),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
_BASE = "http://book.invalid"  # a stand-in origin to resolve relative URLs against


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.page.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.page.ids.add(attrs["name"])
        for name in LINK_ATTRS.get(tag, ()):
            value = attrs.get(name)
            if value is not None and not (tag == "link" and attrs.get("rel") == "preconnect"):
                self.page.links.append((tag, value.strip()))

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> ParsedPage:
    """The ids and the outgoing links of one HTML file."""
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def _target_file(site: Path, url_path: str) -> Path | None:
    """The file a server would send for ``url_path`` (relative to the site root), or None."""
    rel = unquote(url_path).lstrip("/")
    candidate = site / rel
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


@dataclass
class LinkReport:
    problems: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    checked: int = 0
    pages: int = 0


def check_site(site: Path, prefix: str | None = None, site_host: str | None = None) -> LinkReport:
    """Check every internal link and anchor in every HTML file under ``site``.

    ``prefix`` is the path the site is served under (``/backprop_book/``); ``site_host`` the
    scheme and host of ``site_url``: absolute links to them count as internal.
    """
    site = Path(site)
    prefix = site_prefix() if prefix is None else prefix
    if site_host is None:
        site_host = _site_host()
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {rel: parse_page(path) for rel, path in pages.items()}
    id_cache: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        rel = path.relative_to(site).as_posix()
        if rel in parsed:
            return parsed[rel].ids
        if path not in id_cache:
            id_cache[path] = parse_page(path).ids
        return id_cache[path]

    report = LinkReport(pages=len(pages))
    for rel, page in parsed.items():
        page_url = f"{_BASE}{prefix}{rel}"
        for tag, raw in page.links:
            if not raw or raw.lower().startswith(SKIPPED_SCHEMES):
                continue
            if site_host and raw.startswith(site_host + prefix):
                raw = raw[len(site_host) :]
            url = urlparse(urljoin(page_url, raw))
            if f"{url.scheme}://{url.netloc}" != _BASE:
                report.external[raw].add(rel)
                continue
            report.checked += 1
            where = f"{rel}: <{tag}> {raw!r}"
            if not url.path.startswith(prefix) and url.path + "/" != prefix:
                report.problems.append(f"{where} leaves the site (path {url.path})")
                continue
            target = _target_file(site, url.path[len(prefix) :])
            if target is None:
                report.problems.append(f"{where}: no file for {url.path}")
                continue
            fragment = unquote(url.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                shown = target.relative_to(site).as_posix()
                report.problems.append(f"{where}: no id {fragment!r} in {shown}")
    return report


def _site_host() -> str:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for line in config.splitlines():
        if line.startswith("site_url:"):
            url = urlparse(line.split(":", 1)[1].strip())
            return f"{url.scheme}://{url.netloc}"
    return ""


def write_external_report(report: LinkReport, path: Path = REPORT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# External links in the built site (not fetched by `make test`).",
        "# <url>\t<number of pages>\t<first pages>",
    ]
    for url in sorted(report.external):
        pages = sorted(report.external[url])
        lines.append(f"{url}\t{len(pages)}\t{' '.join(pages[:3])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_internal_link_and_anchor_resolves(site_dir):
    report = check_site(site_dir)
    write_external_report(report)
    assert report.pages > 0 and report.checked > 0
    assert not report.problems, f"{len(report.problems)} broken links:\n" + "\n".join(
        report.problems[:50]
    )


# --- planted defects -------------------------------------------------------------------------

_PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="{up}assets/style.css">
<link rel="canonical" href="https://example.org/book/{canonical}">
</head><body>
<h1 id="top">Title</h1><p><a name="old-anchor"></a>
{body}
</p></body></html>"""


def _fake_site(tmp_path: Path, chapter_body: str) -> Path:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "style.css").write_text("body{}", encoding="utf-8")
    (site / "chapter").mkdir()
    home = _PAGE.format(
        up="",
        canonical="",
        body='<a href="chapter/">chapter</a> <a href="chapter/#section">section</a> '
        '<a href="#top">top</a> <a href="https://numpy.org/doc/">numpy</a> '
        '<a href="mailto:a@b.c">mail</a> <a href="/book/chapter/#section">absolute</a>',
    )
    (site / "index.html").write_text(home, encoding="utf-8")
    chapter = _PAGE.format(up="../", canonical="chapter/", body=chapter_body)
    (site / "chapter" / "index.html").write_text(chapter, encoding="utf-8")
    return site


def _check(site: Path) -> LinkReport:
    return check_site(site, prefix="/book/", site_host="https://example.org")


def test_a_clean_fake_site_passes(tmp_path):
    site = _fake_site(tmp_path, '<h2 id="section">S</h2><a href="../#old-anchor">back</a>')
    report = _check(site)
    assert report.problems == []
    assert set(report.external) == {"https://numpy.org/doc/"}
    assert report.checked == 9  # home: css, canonical, 4 links; chapter: css, canonical, 1 link


def test_a_broken_anchor_is_reported(tmp_path):
    site = _fake_site(tmp_path, '<h2 id="section">S</h2><a href="../#no-such-heading">back</a>')
    problems = _check(site).problems
    assert len(problems) == 1
    assert "chapter/index.html" in problems[0] and "'no-such-heading'" in problems[0]


def test_a_missing_page_and_asset_are_reported(tmp_path):
    site = _fake_site(tmp_path, '<h2 id="section">S</h2><img src="../figures/f.svg" alt="f">')
    (site / "assets" / "style.css").unlink()
    problems = _check(site).problems
    assert any("figures/f.svg" in p for p in problems), problems
    assert sum("style.css" in p for p in problems) == 2, problems


def test_a_link_that_climbs_out_of_the_site_is_reported(tmp_path):
    site = _fake_site(tmp_path, '<h2 id="section">S</h2><a href="../../../elsewhere/">x</a>')
    problems = _check(site).problems
    assert len(problems) == 1 and "leaves the site" in problems[0], problems


def test_external_report_lists_urls_with_pages(tmp_path):
    site = _fake_site(tmp_path, '<h2 id="section">S</h2><a href="https://numpy.org/doc/">n</a>')
    out = tmp_path / "external.txt"
    write_external_report(_check(site), out)
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line[0] == "#"]
    assert lines == ["https://numpy.org/doc/\t2\tchapter/index.html index.html"]
