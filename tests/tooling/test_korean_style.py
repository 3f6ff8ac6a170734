"""The Korean style sheet (``STYLE.ko.md``) is true of the Korean edition.

The sheet gives, for each concept, the one Korean term the book uses and the words it never
uses (orange is 귤, never 오렌지; gradient is 기울기, never 그래디언트). This test reads its
tables and checks the Korean edition against them:

- every term of the sheet occurs in the prose of ``docs/ko`` (a term the pages do not use is a
  sheet that has drifted from the book);
- no page uses a word the sheet rules out: not in its prose, not in the Korean strings of its
  own code blocks (figure names and captions), not in the Korean notebooks' text
  (``docs/ko/notebooks/*.ko.yml``) and not in the Korean words the package draws into figures
  (Hangul string literals under ``src/backprop_book/``). A ruled-out word may be *mentioned* in
  quotation marks, as the glossary does ("오렌지"가 아닙니다), and a term that contains a
  ruled-out word is not that word (경사 하강법 is a term, 경사 alone is not);
- the prose is 합니다체: no sentence ends in 해라체 (계산한다. 값이다.), and a number is
  separated from the % sign (20 %);
- the sheet's table of the explorer's buttons is the widget's own ``WORDS.ko``;
- every term of the glossary (``docs/ko/glossary.md``) is in the sheet, and the words the
  glossary quotes as wrong ("오렌지"가 아닙니다) are the sheet's ruled-out words.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT
from tests.tooling.test_korean_widget_words import BUTTON_KEYS, widget_words

SHEET = ROOT / "STYLE.ko.md"
KOREAN_DOCS = ROOT / "docs" / "ko"
PACKAGE = ROOT / "src" / "backprop_book"
TERM_HEADER = re.compile(r"^\|\s*English\s*\|\s*이 책의 말\s*\|\s*쓰지 않는 말\s*\|\s*$")
BUTTON_HEADER = re.compile(r"^\|\s*키\s*\|\s*위젯의 말\s*\|\s*$")
HANGUL = re.compile("[\uac00-\ud7a3]")
# A sentence in 해라체: a Hangul word ending in 다 before a full stop, but not 합니다 or 봅시다.
HAERACHE = re.compile(r"[\uac00-\ud7a3]+(?<![니시])다\.(?=\s|$)")
PERCENT = re.compile(r"\d%")
# Sources whose fix is pending in another change, by check (strict: the test says when done).
PENDING_WORDS: dict[str, str] = {}
PENDING_STYLE: dict[str, str] = {}


def sheet_terms(text: str) -> list[tuple[str, str, list[str]]]:
    """The rows of the sheet's term tables: (English, the Korean term, the words never used)."""
    rows, in_table = [], False
    for line in text.splitlines():
        if TERM_HEADER.match(line):
            in_table = True
            continue
        if not in_table or re.match(r"^\|[-| ]+\|$", line):
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        english, term, never = (cell.strip() for cell in line.strip().strip("|").split("|"))
        banned = [] if never in {"—", ""} else [w.strip() for w in never.split(",")]
        rows.append((english, term, banned))
    return rows


def sheet_buttons(text: str) -> dict[str, str]:
    """The sheet's table of the widget's buttons, key -> label."""
    buttons, in_table = {}, False
    for line in text.splitlines():
        if BUTTON_HEADER.match(line):
            in_table = True
        elif in_table and line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            key, label = (cell.strip() for cell in line.strip().strip("|").split("|"))
            buttons[key] = label
        elif in_table and not line.startswith("|"):
            break
    return buttons


def split_page(md: str) -> tuple[str, list[str]]:
    """A page's prose (no code, math or comments) and the Hangul strings of its code blocks."""
    prose, code, fence = [], [], ""
    for line in md.splitlines():
        opening = re.match(r"\s*(`{3,}|~{3,})", line)
        if fence:
            if line.strip() == fence:
                fence = ""
            else:
                code.append(line)
        elif opening:
            fence = opening.group(1)
        else:
            # an admonition's title is prose, not a quotation: `??? question "연습 문제 1: …"`
            prose.append(re.sub(r'^(\s*(?:!!!|\?\?\?\+?)\s+[\w -]+?)\s+"(.*)"\s*$', r"\1 \2", line))
    text = "\n".join(prose)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    strings = re.findall(r'"([^"\n]*)"|\'([^\'\n]*)\'', "\n".join(code))
    return text, [s for pair in strings for s in pair if HANGUL.search(s)]


def python_strings(source: str) -> list[str]:
    """The Hangul string literals of a Python module (the Korean words of its figures)."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and HANGUL.search(node.value)
    ]


def _unquoted(text: str) -> str:
    """The text without what stands in quotation marks (a word mentioned, not used)."""
    return re.sub(r'"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’', " ", text)


def banned_uses(texts: list[str], rows: list[tuple[str, str, list[str]]]) -> list[str]:
    """The ruled-out words used in ``texts``, each with the term the sheet gives instead."""
    terms = [term for _, term, _ in rows]
    found = []
    for _, term, banned in rows:
        for word in banned:
            containing = sorted((t for t in terms if word in t and t != word), key=len)[::-1]
            for text in texts:
                masked = _unquoted(text)
                for longer in containing:
                    masked = masked.replace(longer, " ")
                if word in masked:
                    found.append(f"{word!r} (the sheet: {term!r})")
                    break
    return found


def style_problems(prose: str) -> list[str]:
    """Sentences in 해라체 and numbers glued to %, in a page's prose."""
    problems = [f"a sentence in 해라체: {m.group(0)!r}" for m in HAERACHE.finditer(prose)]
    problems += [f"no space before %: {m.group(0)!r}" for m in PERCENT.finditer(prose)]
    return problems


def _korean_sources() -> dict[str, tuple[str, list[str]]]:
    """Every Korean text to check, by name: (prose, other Korean strings)."""
    sources = {}
    for path in sorted(KOREAN_DOCS.rglob("*.md")):
        sources[path.relative_to(KOREAN_DOCS).as_posix()] = split_page(path.read_text("utf-8"))
    for path in sorted((KOREAN_DOCS / "notebooks").glob("*.ko.yml")):
        cells = yaml.safe_load(path.read_text("utf-8"))
        prose, strings = split_page("\n\n".join(cell["ko"] for cell in cells))
        sources[path.relative_to(KOREAN_DOCS).as_posix()] = (prose, strings)
    for path in sorted(PACKAGE.rglob("*.py")):
        strings = python_strings(path.read_text("utf-8"))
        if strings:
            sources[path.relative_to(ROOT).as_posix()] = ("", strings)
    return sources


SOURCES = _korean_sources()
ROWS = sheet_terms(SHEET.read_text(encoding="utf-8"))
ALL_PROSE = "\n".join(prose for prose, _ in SOURCES.values())


def _params(names, pending: dict[str, str]) -> list:
    return [
        pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=pending[name])])
        if name in pending
        else pytest.param(name, id=name)
        for name in names
    ]


def test_the_sheet_is_read():
    assert len(ROWS) > 100, "the sheet's term tables were not found"
    terms = [term for _, term, _ in ROWS]
    assert len(set(terms)) == len(terms), "a Korean term stands for two concepts"
    banned = {word for _, _, words in ROWS for word in words}
    assert not banned & set(terms), "a word is both a term and ruled out"
    assert dict(sheet_buttons(SHEET.read_text(encoding="utf-8"))).keys() == set(BUTTON_KEYS)
    assert not re.search(r"\bS\d+\b|\bissue \d+", SHEET.read_text(encoding="utf-8"))


@pytest.mark.parametrize("term", [pytest.param(term, id=english) for english, term, _ in ROWS])
def test_every_term_of_the_sheet_is_used_by_the_pages(term):
    used = term in ALL_PROSE
    assert used, f"STYLE.ko.md lists {term!r}, but no Korean page uses it"


@pytest.mark.parametrize("name", _params(SOURCES, PENDING_WORDS))
def test_no_page_uses_a_word_the_sheet_rules_out(name):
    prose, strings = SOURCES[name]
    found = banned_uses([prose, *strings], ROWS)
    assert not found, f"{name} uses words STYLE.ko.md rules out:\n" + "\n".join(found)


PAGES = [name for name in SOURCES if not name.startswith("src/")]


@pytest.mark.parametrize("name", _params(PAGES, PENDING_STYLE))
def test_the_prose_is_hapnida_style_with_spaced_percent(name):
    problems = style_problems(SOURCES[name][0])
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_the_sheet_names_the_buttons_the_widget_shows():
    ko = widget_words("ko")
    assert sheet_buttons(SHEET.read_text(encoding="utf-8")) == {k: ko[k] for k in BUTTON_KEYS}


def test_planted_drifts_are_found():
    sheet = (
        "| English | 이 책의 말 | 쓰지 않는 말 |\n|---|---|---|\n"
        "| orange | 귤 | 오렌지 |\n| gradient descent | 경사 하강법 | — |\n"
        "| gradient | 기울기 | 그래디언트, 경사 |\n| accuracy | 정확도 | — |\n"
        "| test accuracy | 시험 정확도 | 테스트 정확도 |\n| hyperparameter | 하이퍼파라미터 | — |\n"
        "| parameter | 매개변수 | 파라미터 |\n\n| 키 | 위젯의 말 |\n|---|---|\n| next | 다음 |\n"
    )
    rows = sheet_terms(sheet)
    assert [term for _, term, _ in rows] == [
        "귤",
        "경사 하강법",
        "기울기",
        "정확도",
        "시험 정확도",
        "하이퍼파라미터",
        "매개변수",
    ]
    assert sheet_buttons(sheet) == {"next": "다음"}
    page = (
        '귤("오렌지"가 아닙니다)을 삽니다. 경사 하강법은 하이퍼파라미터를 고르지 않습니다.\n'
        '??? question "연습 문제 1: 정확도"\n```python\nprint("시험 정확도", 0.9)\n```\n'
    )
    prose, strings = split_page(page)
    assert strings == ["시험 정확도"]
    assert banned_uses([prose, *strings], rows) == []
    assert "연습 문제 1: 정확도" in prose
    drifted = page + "오렌지 두 개의 경사가 가파릅니다. 테스트 정확도와 파라미터를 봅니다.\n"
    found = banned_uses(list(split_page(drifted)[:1]), rows)
    assert found == [
        "'오렌지' (the sheet: '귤')",
        "'경사' (the sheet: '기울기')",
        "'테스트 정확도' (the sheet: '시험 정확도')",
        "'파라미터' (the sheet: '매개변수')",
    ]
    code = 'print(figure_to_svg(fig, "테스트 정확도"))'
    assert banned_uses(split_page(f"```python\n{code}\n```\n")[1], rows) == [found[2]]
    assert banned_uses(python_strings('LABELS = {"ko": "오렌지"}\n'), rows) == [found[0]]


def test_planted_style_slips_are_found():
    good = "값을 계산합니다. 직접 해 봅시다. 20 %를 검증에 씁니다. 그럴까요?"
    assert style_problems(good) == []
    bad = "값을 계산한다. 이것이 기울기이다. 20%를 검증에 씁니다."
    assert style_problems(bad) == [
        "a sentence in 해라체: '계산한다.'",
        "a sentence in 해라체: '기울기이다.'",
        "no space before %: '0%'",
    ]


def test_the_pending_table_names_real_sources():
    pending = {*PENDING_WORDS, *PENDING_STYLE}
    assert pending <= set(SOURCES), pending - set(SOURCES)


def test_the_sheet_exists():
    assert Path(SHEET).is_file()


GLOSSARY = KOREAN_DOCS / "glossary.md"


def glossary_rows(text: str) -> list[tuple[list[str], list[str]]]:
    """The glossary's rows: (its Korean terms, the words it quotes as wrong)."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not HANGUL.search(cells[0]) or cells[0] == "한국어":
            continue
        korean = re.sub(r"\*\*\(노트\)\*\*|\([^)]*\)", "", cells[0])
        terms = [term.strip() for term in korean.split(",") if term.strip()]
        rows.append((terms, re.findall(r'"([^"]+)"', " ".join(cells[1:]))))
    return rows


def test_the_sheet_has_every_term_of_the_glossary():
    rows = glossary_rows(GLOSSARY.read_text(encoding="utf-8"))
    assert len(rows) > 60, "the glossary's table was not found"
    banned = {term: words for _, term, words in ROWS}
    for terms, quoted in rows:
        for term in terms:
            assert term in banned, f"glossary.md uses {term!r}; STYLE.ko.md does not list it"
        for word in quoted:  # the glossary's "not …" words are the sheet's ruled-out words
            assert any(word in banned[term] for term in terms), (term, word)


def test_a_glossary_term_missing_from_the_sheet_is_found():
    row = '| 기울기 자르기 | gradient clipping ("경사 자르기"가 아닙니다) | [옵티마이저](x.md) |'
    assert glossary_rows(row) == [(["기울기 자르기"], ["경사 자르기"])]
    assert glossary_rows("| 가격 **(노트)** | price | [간단한 계층](x.md) |") == [(["가격"], [])]
