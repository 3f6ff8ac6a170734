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

from tests.helpers import ROOT, python_blocks

DOCS = ROOT / "docs"
PROSE_CLAIM = re.compile(r"<!--\s*claim:\s*(?P<name>[\w-]+)\s*-->")
CODE_CLAIM = re.compile(r"#\s*claim:\s*(?P<name>[\w-]+)\s*$")
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')


def _section(text: str, name: str) -> str:
    """The lines between the ``[start:name]`` and ``[end:name]`` snippet markers of a text."""
    lines = text.splitlines()
    starts = [i for i, s in enumerate(lines) if f"[start:{name}]" in s]
    ends = [i for i, s in enumerate(lines) if f"[end:{name}]" in s]
    if not starts or not ends:
        raise ValueError(f"snippet section {name!r} not found")
    return "\n".join(lines[starts[0] + 1 : ends[0]])


def expand_includes(text: str, root: Path = ROOT, depth: int = 0) -> str:
    """The text with every ``--8<-- "path[:section]"`` line replaced by what it includes.

    Examples:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "a.md").write_text("x\\n<!-- [start:s] -->\\ny = 1\\n<!-- [end:s] -->\\n")
        >>> expand_includes('  --8<-- "a.md:s"', d)
        '  y = 1'
    """
    if depth > 5:
        raise ValueError("snippet includes nested more than five deep")
    out = []
    for line in text.splitlines():
        match = INCLUDE.match(line)
        if not match:
            out.append(line)
            continue
        included = (root / match["path"]).read_text(encoding="utf-8")
        if match["section"]:
            included = _section(included, match["section"])
        included = expand_includes(included, root, depth + 1)
        out.extend(match["indent"] + s if s.strip() else s for s in included.splitlines())
    return "\n".join(out)


def _without_fences(text: str) -> str:
    """Markdown text with its fenced code blocks removed (markers in code are not prose)."""
    return re.sub(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", "", text, flags=re.M | re.S)


def claims_in_markdown(text: str, root: Path = ROOT) -> tuple[set[str], set[str], list[str]]:
    """(claims the prose makes, claims executed code asserts, problems) of one Markdown page."""
    made = {m["name"] for m in PROSE_CLAIM.finditer(_without_fences(text))}
    asserted, problems = set(), []
    for line, opts, body in python_blocks(expand_includes(text, root)):
        executed = 'exec="on"' in opts or "exec='on'" in opts
        for offset, code in enumerate(body.splitlines()):
            match = CODE_CLAIM.search(code)
            if not match:
                continue
            where, name = f"line {line + 1 + offset}", match["name"]
            if not executed:
                problems.append(f"{where}: claim {name!r} in a block not executed")
            elif not code.lstrip().startswith("assert "):
                problems.append(f"{where}: '# claim: {name}' is not on an assert")
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
        found = claims_in_markdown(page.read_text(encoding="utf-8"))
    assert claim_problems(*found) == []


def test_the_book_marks_its_claims():
    """The convention is in use: the weight-initialization pages make and assert claims."""
    for rel in ("training/weight-initialization.md", "ko/training/weight-initialization.md"):
        made, asserted, _ = claims_in_markdown((DOCS / rel).read_text(encoding="utf-8"))
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


def test_a_claim_without_its_assert_is_caught(tmp_path):
    page = PLANTED.format(asserted="converged", shown="x")
    made, asserted, problems = claims_in_markdown(page, tmp_path)
    assert made == {"converged"} and asserted == {"converged"}
    assert problems == ["line 9: claim 'x' in a block not executed"]

    page = PLANTED.format(asserted="diverged", shown="x").replace("assert True  # claim: x", "")
    assert claim_problems(*claims_in_markdown(page, tmp_path)) == [
        "claim 'converged' is stated but no executed block asserts it",
        "claim 'diverged' is asserted but no sentence states it",
    ]
    page = page.replace("assert loss < 0.1  # claim: diverged", "print(loss)  # claim: converged")
    assert claim_problems(*claims_in_markdown(page, tmp_path))[0] == (
        "line 5: '# claim: converged' is not on an assert"
    )


def test_included_code_carries_its_asserts(tmp_path):
    """A page whose executed block comes from another page through ``--8<--`` is checked too."""
    (tmp_path / "en.md").write_text(
        '<!-- --8<-- [start:b] -->\n```python exec="on"\nassert 1 < 2  # claim: order\n```\n'
        "<!-- --8<-- [end:b] -->\n",
        encoding="utf-8",
    )
    page = '<!-- claim: order --> 1 is less than 2.\n\n--8<-- "en.md:b"\n'
    assert claim_problems(*claims_in_markdown(page, tmp_path)) == []
    with pytest.raises(ValueError, match="section 'c' not found"):
        claims_in_markdown(page.replace(":b", ":c"), tmp_path)
