"""The Korean pages name the explorer's buttons with the words the Korean widget shows.

The widget's words live in one place, ``docs/javascripts/explorer/words.js`` (``WORDS.en`` and
``WORDS.ko``). A Korean page that tells the reader to press a button must use the Korean
label the reader sees (**한 단계 역전파**, not **Step backward**). This test reads the two
tables from the script and every Korean page's prose, and fails when a page names a button
by its English label or bolds a "button" (버튼) that the widget does not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

WORDS_JS = ROOT / "docs" / "javascripts" / "explorer" / "words.js"
KOREAN_DOCS = ROOT / "docs" / "ko"
# The keys of WORDS that are the labels of the widget's buttons and toolbar.
BUTTON_KEYS = ("toolbar", "next", "prev", "reset")
# Pages whose fix is pending in another change (strict: the test says when it is done).
PENDING: dict[str, str] = {}


def widget_words(lang: str, source: str | None = None) -> dict[str, str]:
    """The ``WORDS[lang]`` table of words.js, key -> text."""
    text = WORDS_JS.read_text(encoding="utf-8") if source is None else source
    block = re.search(rf"^\s*{lang}: \{{(.*?)^\s*\}},", text, flags=re.S | re.M)
    assert block, f"{WORDS_JS}: no {lang} table"
    return dict(re.findall(r'(\w+): "([^"]*)"', block.group(1)))


def _prose(md: str) -> str:
    """The page without its code fences and inline code."""
    kept, fence = [], ""
    for line in md.splitlines():
        opening = re.match(r"\s*(`{3,}|~{3,})", line)
        if fence:
            if line.strip() == fence:  # a closing fence: the marker alone
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            kept.append(line)
    return re.sub(r"`[^`\n]*`", "", "\n".join(kept))


def button_problems(md: str, en: dict[str, str], ko: dict[str, str]) -> list[str]:
    """What a Korean page says about the widget's buttons that the widget does not show."""
    prose = _prose(md)
    labels_ko = {ko[k] for k in BUTTON_KEYS}
    problems = [
        f"names the button by its English label {en[k]!r}; the widget says {ko[k]!r}"
        for k in BUTTON_KEYS
        if re.search(rf"(\*\*|[“\"]){re.escape(en[k])}(\*\*|[”\"])", prose)
    ]
    for bold in re.findall(r"\*\*([^*\n]+)\*\*\s*버튼", prose):
        if bold not in labels_ko:
            problems.append(f"bolds a button **{bold}** the widget does not have ({labels_ko})")
    return problems


def _pages() -> list:
    params = []
    for path in sorted(KOREAN_DOCS.rglob("*.md")):
        rel = path.relative_to(KOREAN_DOCS).as_posix()
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[rel])] if rel in PENDING else []
        params.append(pytest.param(rel, marks=marks, id=rel))
    return params


@pytest.mark.parametrize("rel", _pages())
def test_korean_page_names_the_buttons_the_widget_shows(rel):
    en, ko = widget_words("en"), widget_words("ko")
    md = (KOREAN_DOCS / rel).read_text(encoding="utf-8")
    problems = button_problems(md, en, ko)
    assert not problems, f"docs/ko/{rel}:\n" + "\n".join(problems)


def test_the_tables_are_read_and_have_the_button_words():
    en, ko = widget_words("en"), widget_words("ko")
    assert en["next"] == "Step backward" and ko["next"] == "한 단계 역전파"
    assert set(BUTTON_KEYS) <= set(en) & set(ko)
    assert set(en) == set(ko)  # every word of the widget in both languages


def test_a_planted_mismatch_is_found():
    en, ko = widget_words("en"), widget_words("ko")
    planted = "그다음 **Step backward** 버튼을 누르면 됩니다. **다음** 버튼도 있습니다.\n"
    assert len(button_problems(planted, en, ko)) == 3  # English label, bold + 버튼, unknown
    good = f"**{ko['next']}** 버튼을 누르면 됩니다.\n```js\n**Step backward** 버튼\n```\n"
    assert button_problems(good, en, ko) == []


def test_the_word_table_parser_reads_a_small_script():
    source = (
        'export const WORDS = {\n  en: {\n    next: "Go",\n  },\n'
        '  ko: {\n    next: "가기",\n  },\n};\n'
    )
    assert widget_words("ko", source) == {"next": "가기"}
    assert widget_words("en", source) == {"next": "Go"}


def test_the_explorer_script_exists():
    assert Path(WORDS_JS).is_file()
