"""A sentence that states a computed outcome is checked by the code that computes it.

When prose says what the code found (equal, larger, converged, never moved), the author marks
the sentence with an HTML comment just before it, ``<!-- claim: name -->``, and an executed
block of the same page asserts it on a line that ends ``# claim: name``. The strict build runs
the block, so the build fails on any machine where the sentence stops being true. This test
fails when

- a page marks a claim that no executed block of that page asserts,
- an executed block asserts a claim that no sentence of its page makes (a stale name), or
- the ``# claim:`` comment sits on a line that is not an ``assert``.

A Korean page that shares the English page's code through ``--8<--`` includes gets the
English asserts with it; its own sentences carry the same markers. Notebooks work the same way:
markers in Markdown cells, asserts in code cells. CONTRIBUTING.md explains the convention.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT, load_script

DOCS = ROOT / "docs"
PROSE_CLAIM = re.compile(r"<!--\s*claim:\s*(?P<name>[\w-]+)\s*-->")
CODE_CLAIM = re.compile(r"#\s*claim:\s*(?P<name>[\w-]+)\s*$")
# The page lint's reader: snippets expanded as the build expands them, then the Python fences,
# every line remembering the file and line it came from.
page_code = load_script("lint_page_code")


def _without_fences(text: str) -> str:
    """Markdown text with its fenced code blocks removed (markers in code are not prose)."""
    return re.sub(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", "", text, flags=re.M | re.S)


def claims_in_markdown(page: Path, root: Path = ROOT) -> tuple[set[str], set[str], list[str]]:
    """(claims the prose makes, claims executed code asserts, problems) of one Markdown page.

    A problem on a line that an include brought in is placed in the file it lives in.
    """
    made = {m["name"] for m in PROSE_CLAIM.finditer(_without_fences(page.read_text("utf-8")))}
    asserted, problems = set(), []
    name = page_code.source_name(page)
    for fence in page_code.python_fences(page_code.expand(page, root=root)):
        for line in fence.body:
            match = CODE_CLAIM.search(line.text)
            if not match:
                continue
            where = f"line {line.number}" if line.source == name else f"{line.source}:{line.number}"
            if not fence.executed:
                problems.append(f"{where}: claim {match['name']!r} in a block not executed")
            elif not line.text.lstrip().startswith("assert "):
                problems.append(f"{where}: '# claim: {match['name']}' is not on an assert")
            else:
                asserted.add(match["name"])
    return made, asserted, problems


def claims_in_notebook(path: Path) -> tuple[set[str], set[str], list[str]]:
    """(claims made, claims asserted, problems) of one notebook: Markdown and code cells."""
    made, asserted, problems = set(), set(), []
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            made |= {m["name"] for m in PROSE_CLAIM.finditer(source)}
        elif cell["cell_type"] == "code":
            for code in source.splitlines():
                match = CODE_CLAIM.search(code)
                if match and not code.lstrip().startswith("assert "):
                    problems.append(f"cell {number}: '# claim: {match['name']}' not on an assert")
                elif match:
                    asserted.add(match["name"])
    return made, asserted, problems


def claim_problems(made: set[str], asserted: set[str], problems: list[str]) -> list[str]:
    """Everything wrong with one page's claims (empty when each claim is asserted)."""
    return [
        *problems,
        *(f"claim {name!r} is stated but no executed block asserts it" for name in made - asserted),
        *(f"claim {name!r} is asserted but no sentence states it" for name in asserted - made),
    ]


def _pages() -> list[Path]:
    notebooks = sorted((DOCS / "notebooks").glob("*.ipynb"))  # the Korean ones are built from these
    return sorted(DOCS.rglob("*.md")) + notebooks


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_claim_on_a_page_is_asserted_by_its_code(page):
    if page.suffix == ".ipynb":
        found = claims_in_notebook(page)
    else:
        found = claims_in_markdown(page)
    assert claim_problems(*found) == []


def test_the_book_marks_its_claims():
    """The convention is in use: the weight-initialization pages make and assert claims."""
    for rel in ("training/weight-initialization.md", "ko/training/weight-initialization.md"):
        made, asserted, _ = claims_in_markdown(DOCS / rel)
        assert "symmetric-equal-to-rounding" in made & asserted, rel


PLANTED = """\
Text. <!-- claim: converged --> The loss converged.

```python exec="on" result="text"
loss = 0.01
assert loss < 0.1  # claim: {asserted}
```

```python
assert True  # claim: {shown}
```
"""


def _claims(tmp_path: Path, text: str) -> tuple[set[str], set[str], list[str]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return claims_in_markdown(page, tmp_path)


def test_a_claim_without_its_assert_is_caught(tmp_path):
    page = PLANTED.format(asserted="converged", shown="x")
    made, asserted, problems = _claims(tmp_path, page)
    assert made == {"converged"} and asserted == {"converged"}
    assert problems == ["line 9: claim 'x' in a block not executed"]

    page = PLANTED.format(asserted="diverged", shown="x").replace("assert True  # claim: x", "")
    assert claim_problems(*_claims(tmp_path, page)) == [
        "claim 'converged' is stated but no executed block asserts it",
        "claim 'diverged' is asserted but no sentence states it",
    ]
    page = page.replace("assert loss < 0.1  # claim: diverged", "print(loss)  # claim: converged")
    assert claim_problems(*_claims(tmp_path, page))[0] == (
        "line 5: '# claim: converged' is not on an assert"
    )


def test_included_code_carries_its_asserts(tmp_path):
    """A page whose executed block comes from another page through ``--8<--`` is checked too."""
    en = tmp_path / "en.md"
    en.write_text(
        '<!-- --8<-- [start:b] -->\n```python exec="on"\nassert 1 < 2  # claim: order\n```\n'
        "<!-- --8<-- [end:b] -->\n",
        encoding="utf-8",
    )
    page = '<!-- claim: order --> 1 is less than 2.\n\n--8<-- "en.md:b"\n'
    assert claim_problems(*_claims(tmp_path, page)) == []
    # a problem in included code is placed where that code lives
    en.write_text(en.read_text(encoding="utf-8").replace("assert 1 < 2", "print(1 < 2)"))
    assert claim_problems(*_claims(tmp_path, page)) == [
        f"{en.resolve()}:3: '# claim: order' is not on an assert",
        "claim 'order' is stated but no executed block asserts it",
    ]
    with pytest.raises(page_code.SnippetError, match="no section 'c'"):
        _claims(tmp_path, page.replace(":b", ":c"))
