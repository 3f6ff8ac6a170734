"""The site tour: every page of both editions opened once in Chromium, and the gates on it.

Each page is visited once (``tour.visit``: the load in the part's own tab of an offline
context, KaTeX, the network going quiet, a screenshot, axe in both themes, the phone width)
and every gate below reads that visit:

* it renders offline: no console error, no request leaving 127.0.0.1, no failed request, every
  formula typeset by KaTeX, no ``$$`` left in the text, every image loaded; Korean pages use
  the Hangul font stack (``korean.css``);
* it stays within the weight budget of ``budget.toml``
  (``test-artifacts/page-weight-EDITION-PART.txt``);
* axe finds no serious or critical violation in either theme that ``a11y_allowlist.toml``
  does not allow with a reason (``test-artifacts/axe-report-EDITION-PART.json``).

Screenshots of the first screen of every page go to ``test-artifacts/screenshots/``. The
planted-defect tests of each check are in ``test_browser.py``, ``test_weight.py`` and
``test_accessibility.py``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from tests.helpers.axe import allowed_by, load_allowlist
from tests.helpers.browser import (
    ROOT,
    html_pages,
    load_budget,
    measure_page,
    serve,
    site_prefix,
    weight_line,
    weight_problems,
)
from tests.helpers.tour import edition_of, screenshot_name, tour_tab, visit

REPORTS = ROOT / "test-artifacts"


PARTS = 2  # each edition is toured in this many parts, each a class of its own (see below)


def tour_pages(site_dir, edition: str, part: int) -> list[str]:
    """The pages of ``edition`` that part ``part`` (of ``PARTS``) of its tour visits.

    Every other page in sorted order, so that the parts hold as many long pages as short ones;
    together the parts hold every page of the edition, each once.
    """
    pages = [p for p in html_pages(site_dir) if edition_of(p) == edition]
    assert pages, f"the built site has no page of the {edition!r} edition"
    return pages[part::PARTS]


@pytest.fixture(scope="module")
def tour(browser, site_dir, screenshots_dir):
    """``tour(edition, part)``: the ``Visit`` of every page of that part of the tour of "en" or
    "ko" (``tour_pages``), each page visited once, one after another in one tab."""
    visits: dict[tuple[str, int], list] = {}
    with serve(site_dir) as url:

        def of(edition: str, part: int) -> list:
            if (edition, part) not in visits:
                pages = tour_pages(site_dir, edition, part)
                shots = [screenshots_dir / screenshot_name(p) for p in pages]
                with tour_tab(browser) as tab:
                    visits[edition, part] = [
                        visit(browser, url, site_dir, p, screenshot=shot, tab=tab)
                        for p, shot in zip(pages, shots, strict=True)
                    ]
            return visits[edition, part]

        yield of


def _sitemap_pages(site_dir, edition: str) -> set[str]:
    """Pages the sitemap of an edition lists, as paths relative to the site: 'ko/graphs/'."""
    sitemap = site_dir / ("ko/sitemap.xml" if edition == "ko" else "sitemap.xml")
    prefix = site_prefix()
    paths = set()
    for loc in re.findall(r"<loc>\s*(.*?)\s*</loc>", sitemap.read_text(encoding="utf-8")):
        path = urlparse(loc).path
        paths.add(path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/"))
    return paths


class _EditionGates:
    """The gates on one part of the tour of one edition; a subclass per part sets ``edition``
    and ``part``.

    Under pytest-xdist (``--dist loadscope``) each class runs whole on one worker, so each page
    is visited once and the parts of both tours run side by side on as many workers.
    """

    edition = ""
    part = 0

    def visits(self, tour) -> list:
        return tour(self.edition, self.part)

    def test_the_tour_visits_every_page(self, tour, site_dir):
        toured = {v.path for v in self.visits(tour)}
        assert toured == set(tour_pages(site_dir, self.edition, self.part))
        parts = [set(tour_pages(site_dir, self.edition, k)) for k in range(PARTS)]
        every = set().union(*parts)
        assert sum(map(len, parts)) == len(every), "a page is in two parts of the tour"
        listed = _sitemap_pages(site_dir, self.edition)
        assert len(listed) > 10 and listed <= every, sorted(listed - every)
        assert ("ko/404.html" if self.edition == "ko" else "404.html") in every

    def test_every_page_renders_offline(self, tour):
        problems = [p for v in self.visits(tour) for p in v.rendering_problems()]
        assert not problems, "\n".join(problems)

    def test_every_page_is_within_the_weight_budget(self, tour):
        budget = load_budget()
        loads = [v.load for v in self.visits(tour)]
        REPORTS.mkdir(parents=True, exist_ok=True)
        header = "page\ttransferred (gzip)\tuncompressed\trequests\tload event (ms)\tby kind"
        report = "\n".join([header, *map(weight_line, loads)]) + "\n"
        name = f"page-weight-{self.edition}-{self.part + 1}.txt"
        (REPORTS / name).write_text(report, encoding="utf-8")
        problems = [p for load in loads for p in weight_problems(load, budget)]
        assert all(load.requests > 0 for load in loads)
        assert not problems, "\n".join(problems)

    def test_a_page_weighs_the_same_after_the_others_as_alone(self, tour, browser, site_dir):
        """The tour's tab has opened every other page of the part before the last one: the last
        one still fetches everything a first visit in a fresh context fetches."""
        last = self.visits(tour)[-1].load
        with serve(site_dir) as url:
            alone = measure_page(browser, url, site_dir, last.path)
        assert (last.requests, last.raw) == (alone.requests, alone.raw), (last, alone)

    def test_no_page_scrolls_sideways_on_a_phone(self, tour):
        """At 390×844 every page fits its width; wide formulas, tables, code and figures
        scroll inside their own box."""
        wide = [
            f"/{v.path}: {v.phone_overflow}px too wide, at {v.phone_wide}"
            for v in self.visits(tour)
            if v.phone_overflow > 0
        ]
        assert not wide, "\n".join(wide)

    def test_no_serious_accessibility_violation(self, tour):
        visits = self.visits(tour)
        allowlist = load_allowlist()
        findings = [f for v in visits for f in v.findings]
        report = [
            {**f.__dict__, "allowed": (allowed_by(f, allowlist) or {}).get("reason")}
            for f in findings
        ]
        REPORTS.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report, indent=1, ensure_ascii=False) + "\n"
        name = f"axe-report-{self.edition}-{self.part + 1}.json"
        (REPORTS / name).write_text(text, encoding="utf-8")
        bad = [f for f in findings if not allowed_by(f, allowlist)]
        listing = "\n".join(f.line() for f in bad[:40])
        assert not bad, (
            f"{len(bad)} serious/critical axe findings on {len(visits)} pages:\n{listing}"
        )


class _English(_EditionGates):
    edition = "en"

    def test_the_korean_font_stack_stays_in_the_korean_edition(self, tour):
        fonts = {v.path: v.font for v in self.visits(tour) if "Malgun Gothic" in v.font}
        assert not fonts, fonts


class _Korean(_EditionGates):
    edition = "ko"

    def test_korean_pages_use_the_hangul_font_stack(self, tour):
        wrong = [f"/{v.path}: {v.font}" for v in self.visits(tour) if "Malgun Gothic" not in v.font]
        assert not wrong, "the Korean font stack is not applied:\n" + "\n".join(wrong)


class TestEnglishEditionPart1(_English):
    part = 0


class TestEnglishEditionPart2(_English):
    part = 1


class TestKoreanEditionPart1(_Korean):
    part = 0


class TestKoreanEditionPart2(_Korean):
    part = 1
